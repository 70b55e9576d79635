"""Study: the appendix's coherent-tunneling renormalisation against the exact spectra.

``run(out_dir, quick=False, executor=None)`` runs
:func:`tunnelsim.studies.coherent_compare.compare_renormalisation`, writes ``coherent_comparison.csv``
and four figures into ``out_dir`` and returns the report rows of
:mod:`tunnelsim.studies.coherent_claims` (docs/coherent_tunneling.md; docs/theory.md sec. 3; paper A.9-A.20).
"""

from __future__ import annotations

import math
import pathlib
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from tunnelsim.studies.claims import Claim, Finding
from tunnelsim.studies.coherent_claims import CLAIMS, points
from tunnelsim.studies.coherent_compare import TOLERANCE, compare_renormalisation
from tunnelsim.studies.coherent_extra import rows_and_figures
from tunnelsim.studies.figures import save_figure

__all__ = ["run"]


def _settings(quick: bool) -> dict[str, Any]:
    if quick:
        return dict(ns=tuple(range(1, 9)), large_ns=(25, 200, 600), couplings=(-0.1, -0.5, -2.0, -5.0, -20.0),
                    coupling_n=6, disorders=(0.0, 0.3), disorder_n=6, biases=(0.1, 0.5), dipolar_seeds=(0,),
                    phis=(1.0,), phase_ns=(1, 2, 3, 4, 5), phase_couplings=(-20.0, -200.0),
                    phase_disorders=(0.3,), phase_disorder_ns=(2, 3))
    return dict(ns=tuple(range(1, 13)) + (16, 20, 30, 40), large_ns=(25, 50, 100, 200, 400, 600),
                couplings=(-0.05, -0.1, -0.2, -0.5, -1.0, -2.0, -5.0, -10.0, -20.0, -50.0, -100.0),
                coupling_n=6, disorders=(0.0, 0.1, 0.3, 1.0), disorder_n=10, biases=(0.01, 0.1, 0.5),
                dipolar_seeds=(0, 1, 2, 3, 4), phis=(0.3, 1.0), phase_ns=tuple(range(1, 13)),
                phase_couplings=(-20.0, -200.0), phase_disorders=(0.1, 0.5), phase_disorder_ns=(2, 3, 4, 5, 6))


def _fig_tunneling_vs_n(results, path: pathlib.Path) -> None:
    pts = sorted(points(results, "n"), key=lambda pr: pr[0]["n"])
    n = np.array([p["n"] for p, _ in pts])
    exact = np.array([r["log10_exact_tunneling"] for _, r in pts])
    pert = np.array([r["log10_perturbative_tunneling"] for _, r in pts])
    rule = np.log10([r["rule_tunneling"] for _, r in pts])
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, sel in zip(axes, (n <= 12, n > 0)):
        ax.plot(n[sel], exact[sel], "o", label="exact (partitioning)")
        ax.plot(n[sel], pert[sel], "--", label="N-th order perturbation")
        ax.plot(n[sel], rule[sel], "-", label=r"rule $\sum_i \Delta_{0,i}$")
        ax.set_xlabel("cluster size N")
        ax.set_ylabel(r"$\log_{10}(\Delta_0^{\rm eff}$ / K)")
    axes[1].set_xscale("log")
    axes[0].set_title(r"uniform cluster, $\Delta_0$ = 1 K, J = -5 K")
    axes[1].set_title("up to the paper's N ~ 25-600")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, path)


def _fig_tunneling_vs_j(results, path: pathlib.Path) -> None:
    pts = sorted(points(results, "coupling"), key=lambda pr: -pr[0]["coupling"])
    j = np.array([abs(p["coupling"]) for p, _ in pts])
    exact = np.array([r["log10_exact_tunneling"] for _, r in pts])
    low = np.array([r["low_energy"] for _, r in pts])
    pert = np.array([r["log10_perturbative_tunneling"] for _, r in pts])
    rule = np.log10([r["rule_tunneling"] for _, r in pts])
    n = pts[0][0]["n"]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(j[low], exact[low], "o", label="exact (model space low-energy)")
    if np.any(~low):
        ax.plot(j[~low], exact[~low], "o", mfc="none", label="exact (flagged: not low-energy)")
    ax.plot(j, pert, "--", label="N-th order perturbation")
    ax.plot(j, rule, "-", label=r"rule $\sum_i \Delta_{0,i}$")
    ax.set_xscale("log")
    ax.set_xlabel(r"$|J| / \Delta_0$ (K/K)")
    ax.set_ylabel(r"$\log_{10}(\Delta_0^{\rm eff}$ / K)")
    ax.set_title(f"uniform cluster, N = {n}, " + r"$\Delta_0$ = 1 K")
    ax.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, path)


def _fig_asymmetry(results, path: pathlib.Path) -> None:
    """Exact vs rule (left) and the relative deviation per point (right); flagged points drawn on top in red."""
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4.3))
    lim, idx = 0.0, 0
    for study, marker in (("disorder", "o"), ("bias", "s"), ("dipolar", "^")):
        pts = [pr for pr in points(results, study) if pr[1]["rule_asymmetry"] != 0]
        if not pts:
            continue
        x = np.array([r["rule_asymmetry"] for _, r in pts])
        y = np.array([r["exact_asymmetry"] for _, r in pts])
        low = np.array([r["low_energy"] for _, r in pts], dtype=bool)
        dev = np.abs(y - x) / np.abs(x)
        k = np.arange(idx, idx + len(pts))
        idx += len(pts)
        for sel, style in ((low, dict(color="C0", mfc="C0")), (~low, dict(color="C3", mfc="none", mew=1.5))):
            if np.any(sel):
                lab = f"{study}" + ("" if style["color"] == "C0" else " (coherent states not low)")
                ax.plot(x[sel], y[sel], marker, ms=7, zorder=3, label=lab, **style)
                ax2.plot(k[sel], np.maximum(dev[sel], 1e-8), marker, ms=7, zorder=3, **style)
        lim = max(lim, float(np.max(np.abs(np.concatenate([x, y])))))
    lim = lim * 1.1 + 1e-3
    ax.plot([-lim, lim], [-lim, lim], "k:", lw=1, label="exact = rule")
    ax.set_xlabel(r"rule $\Delta_N = \sum_i \Delta_i$ (K)")
    ax.set_ylabel("exact effective asymmetry (K)")
    ax.set_title("asymmetry of the coherent doublet", fontsize=10)
    ax.legend(fontsize=8)
    ax2.axhline(TOLERANCE, color="k", ls="--", lw=1, label=f"tolerance {TOLERANCE:.0%}")
    ax2.set_yscale("log")
    ax2.set_xlabel("comparison point")
    ax2.set_ylabel("|exact - rule| / |rule|")
    ax2.set_title("relative deviation (red: not graded)", fontsize=10)
    ax2.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, path)


def _offset(p, r) -> float:
    """exact loop phase - N phi, reduced to [-pi/2, 3 pi/2): 0 (rule) and pi (sign (-1)^(N-1)) never wrap."""
    return float((r["exact_loop_phase"] - p["n"] * p["phi"] + math.pi / 2) % (2 * math.pi) - math.pi / 2)


def _fig_loop_phase(results, path: pathlib.Path) -> None:
    pts = points(results, "loop_phase")
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    keys = sorted({(p["coupling"], p["phi"]) for p, _ in pts}, key=lambda k: (abs(k[0]), k[1]))
    for c, (coupling, phi) in enumerate(keys):
        for odd, marker in ((True, "o"), (False, "s")):
            sel = sorted((p["n"], _offset(p, r)) for p, r in pts
                         if p["coupling"] == coupling and p["phi"] == phi and (p["n"] % 2 == 1) == odd)
            ax.plot([q[0] for q in sel], [q[1] for q in sel], marker, color=f"C{c}", ms=6, ls="none",
                    label=f"J = {coupling:g} K, φ = {phi:g} rad" if odd else None)
    dis = points(results, "loop_phase_disorder")
    if dis:
        ax.plot([p["n"] for p, _ in dis], [_offset(p, r) for p, r in dis], "kx", ms=8,
                label=f"random 3LS, J = {dis[0][0]['coupling']:g} K")
    ax.axhline(0.0, color="k", lw=0.8, ls=":", label="rule N φ")
    ax.axhline(math.pi, color="k", lw=0.8, ls="--", label="N φ + π (even N, N-th order)")
    ax.set_yticks([-math.pi / 2, 0, math.pi / 2, math.pi, 3 * math.pi / 2], ["-π/2", "0", "π/2", "π", "3π/2"])
    ax.set_ylim(-math.pi / 2, 3 * math.pi / 2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("cluster size N (circles odd, squares even)")
    ax.set_ylabel("exact loop phase - N φ (rad, mod 2π)")
    ax.set_title("3LS clusters, D0 = 1 K: loop phase of the coherent multiplet", fontsize=10)
    ax.legend(fontsize=8, loc="center right")
    fig.tight_layout()
    save_figure(fig, path)


FIGURES = {"coherent_tunneling_vs_n.png": _fig_tunneling_vs_n, "coherent_tunneling_vs_j.png": _fig_tunneling_vs_j,
           "coherent_asymmetry.png": _fig_asymmetry, "coherent_loop_phase.png": _fig_loop_phase}


def run(out_dir: pathlib.Path, quick: bool = False, executor=None) -> list[Claim | Finding]:
    """Run the comparison, write the CSV and figures into ``out_dir``, return the report rows.

    Parameters
    ----------
    out_dir : pathlib.Path
        Output folder (created). Sweep results are cached in ``out_dir/.cache``.
    quick : bool
        Small grids (about 3-10 s) instead of the full ones (about 10-30 s).
    executor : concurrent.futures.Executor, optional
        Passed to :func:`tunnelsim.sweep.run_sweep`.

    Returns
    -------
    list of tunnelsim.studies.claims.Claim and Finding
    """
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    settings = _settings(quick)
    sub = out_dir / (".cache/quick" if quick else ".cache/full")
    results = compare_renormalisation(sub, executor=executor, progress=False, **settings)
    (sub / "coherent_comparison.csv").replace(out_dir / "coherent_comparison.csv")
    for name, figure in FIGURES.items():
        figure(results, out_dir / name)
    doublets = {item["params"]["n"]: item["result"] for item in results["n"]}
    extra = rows_and_figures(out_dir, quick, executor, doublets)
    return [row for claims in CLAIMS for row in claims(results, settings)] + extra
