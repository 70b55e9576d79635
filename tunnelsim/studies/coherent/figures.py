"""Figures of the appendix's 2LS rules against the exact doublet: tunneling versus N and J, and the asymmetry.

Written by :func:`tunnelsim.studies.coherent.run` from the sweep results of
:func:`tunnelsim.studies.coherent.sweeps.compare_renormalisation` (docs/coherent_tunneling.md sec. 4).
"""

from __future__ import annotations

import pathlib

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from tunnelsim.studies.coherent.renormalisation import points
from tunnelsim.studies.coherent.sweeps import TOLERANCE
from tunnelsim.studies.figures import save_figure

__all__ = ["fig_tunneling_vs_n", "fig_tunneling_vs_j", "fig_asymmetry", "FIGURES"]


def fig_tunneling_vs_n(results, path: pathlib.Path) -> None:
    pts = sorted(points(results, "n"), key=lambda pr: pr[0]["n"])
    n = np.array([p["n"] for p, _ in pts])
    exact = np.array([r["log10_exact_tunneling"] for _, r in pts])
    pert = np.array([r["log10_perturbative_tunneling"] for _, r in pts])
    rule = np.log10([r["rule_tunneling"] for _, r in pts])
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), layout="constrained")
    for ax, sel in zip(axes, (n <= 12, n > 0)):
        ax.plot(n[sel], exact[sel], "o", label="exact (partitioning)")
        ax.plot(n[sel], pert[sel], "--", label="N-th order perturbation")
        ax.plot(n[sel], rule[sel], "-", label=r"rule $\sum_i \Delta_{0,i}$")
        ax.set_xlabel("cluster size N")
        ax.set_ylabel(r"$\log_{10}(\Delta_0^{\rm eff}$ / K)")
    axes[1].set_xscale("log")
    axes[0].set_title(r"uniform cluster, $\Delta_0$ = 1 K, $J$ = -5 K")
    axes[1].set_title("up to the paper's N ~ 25-600")
    axes[0].legend(fontsize=8)
    save_figure(fig, path)


def fig_tunneling_vs_j(results, path: pathlib.Path) -> None:
    pts = sorted(points(results, "coupling"), key=lambda pr: -pr[0]["coupling"])
    j = np.array([abs(p["coupling"]) for p, _ in pts])
    exact = np.array([r["log10_exact_tunneling"] for _, r in pts])
    low = np.array([r["low_energy"] for _, r in pts])
    pert = np.array([r["log10_perturbative_tunneling"] for _, r in pts])
    rule = np.log10([r["rule_tunneling"] for _, r in pts])
    n = pts[0][0]["n"]
    fig, ax = plt.subplots(figsize=(6.4, 4.4), layout="constrained")
    ax.plot(j[low], exact[low], "o", label="exact (model space low-energy)")
    if np.any(~low):
        ax.plot(j[~low], exact[~low], "o", mfc="none", label="exact (flagged: not low-energy)")
    ax.plot(j, pert, "--", label="N-th order perturbation")
    ax.plot(j, rule, "-", label=r"rule $\sum_i \Delta_{0,i}$")
    ax.set_xscale("log")
    ax.set_xlabel(r"$|J| / \Delta_0$")
    ax.set_ylabel(r"$\log_{10}(\Delta_0^{\rm eff}$ / K)")
    ax.set_title(f"uniform cluster, $N$ = {n}, " + r"$\Delta_0$ = 1 K")
    ax.legend(fontsize=8)
    save_figure(fig, path)


def fig_asymmetry(results, path: pathlib.Path) -> None:
    """Exact vs rule (left) and the relative deviation per point (right); flagged points drawn on top in red."""
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10.5, 4.5), layout="constrained")
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
    ax2.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax2.set_ylabel(r"$|$exact $-$ rule$|$ / $|$rule$|$")
    ax2.set_title("relative deviation (red: not graded)", fontsize=10)
    ax2.legend(fontsize=8)
    save_figure(fig, path)


FIGURES = {"coherent_tunneling_vs_n.png": fig_tunneling_vs_n, "coherent_tunneling_vs_j.png": fig_tunneling_vs_j,
           "coherent_asymmetry.png": fig_asymmetry}
