"""Appendix A.9, Delta0_N = N Delta0: does the lowest gap of a uniform 2LS cluster grow like N Delta0?

The paper: "at least for moderate values of N, for CT in separate potentials we expect instead" of the
joint-tunneling Delta0^N the renormalised Delta0_N = N Delta0 (A.9), and it supports the cited N ~ 200.
Measured: the lowest gap E1 - E0 at zero asymmetry (the coherent splitting where the coherent doublet is
low) for several J over N, and at the cited N = 200 the exact coherent splitting by partitioning
(:func:`clusters.coherent_doublet`), since that gap lies far below float64 resolution. One graded row (cases
inside); gaps below float64 resolution are bounds (never graded or plotted as values); cases where the
coherent states are not the low doublet form one ungraded row beyond the regime.
"""

from __future__ import annotations

import math
import pathlib

import matplotlib.pyplot as plt
import numpy as np

from clusters import TwoLevelCluster, coherent_doublet
from tunnelsim.results import SpectrumData
from tunnelsim.studies.claims import Case, Claim, Measured, Reference, Tolerance
from tunnelsim.studies.cluster_size.spectra import LEVELS, resolution
from tunnelsim.studies.figures import save_figure
from tunnelsim.studies.shared import COHERENT_REGIME

__all__ = ["rows_gap", "fig_two_level_spectrum", "fig_gap", "KEY", "CITED_N"]

KEY = "Delta0_N = N Delta0 (A.9)"
#: The cluster size the paper supports (Lubchenko and Wolynes).
CITED_N = 200
WHERE = "tunnelsim.studies.cluster_size.spectra.two_level_point (TwoLevelCluster.uniform, S = N/2 sector)"
#: The appendix states its rules as equalities; 10 % (log10 1.1 in log space) is the margin granted.
RULE_TOLERANCE = Tolerance(math.log10(1.1), "the appendix states Delta0_N = N Delta0 as an equality; 10 % (a factor "
                                            "1.1)")


RECONSTRUCTION = ("A.9's formula is stripped from the available text; read as Delta0_N = N Delta0 from its contrast "
                  "with the joint tunneling Delta0^N ('depressed exponentially') and the appendix's words 'the "
                  "renormalized tunneling parameter is the sum of the Delta0 of each 2LS' (A.13-A.15), for equal "
                  "Delta0_i.")


def _low(n: int, j: float) -> bool:
    return bool(coherent_doublet(TwoLevelCluster.uniform(n, 0.0, 1.0, j), warn=False).model_space_is_low_energy)


def _cases(specs: dict[float, SpectrumData]) -> list[tuple[Case, bool | None]]:
    """(case, coherent doublet low; None for a float64 bound) of log10(gap / (N Delta0)) per (J, N)."""
    out = []
    for j, spec in specs.items():
        gap, floor = spec.gaps()[:, 0], resolution(spec)
        for i, n in enumerate(int(v) for v in spec.values):
            if not gap[i] > floor[i] * 20:  # within 5 % of the resolution or below: a bound, never a value
                out.append((Case({"J": j, "N": n}, round(math.log10(floor[i] * 20 / n), 3), 0.0,
                                 "bound: the gap is below float64 resolution"), None))
                continue
            out.append((Case({"J": j, "N": n}, round(math.log10(gap[i] / n), 4), 0.0, ""), _low(n, j)))
        d = coherent_doublet(TwoLevelCluster.uniform(CITED_N, 0.0, 1.0, j), warn=False)
        out.append((Case({"J": j, "N": CITED_N}, round(d.log10_tunneling - math.log10(CITED_N), 3), 0.0,
                         "the cited N ~ 200: coherent splitting by partitioning"), bool(d.model_space_is_low_energy)))
    return out


def rows_gap(specs: dict[float, SpectrumData]) -> list[Claim]:
    """The graded A.9 row (cases where the coherent doublet is low) and the row beyond the regime."""
    cases = _cases(specs)
    bounds = sum(1 for _, low in cases if low is None)
    rows = []
    for low in (True, False):
        sel = [c for c, lw in cases if lw is low]
        if not sel:
            continue
        worst = max(sel, key=lambda c: abs(c.value))
        best = min(sel, key=lambda c: abs(c.value))
        combine = (f"Graded by the worst case ({worst.text()}); even the most favourable ({best.text()}) misses by "
                   f"{abs(best.value):.3g} decades. The gap falls exponentially with N (the N-th order process), the "
                   f"opposite of A.9's growth; {bounds} further (J, N) lie below float64 resolution (bounds, not "
                   "graded)"
                   if low else "The coherent states are not the low doublet here: the appendix does not speak of them")
        rows.append(Claim(
            statement="A coherent cluster of N 2LS tunnels like one particle with Delta0_N = N Delta0 (instead of the "
                      "joint Delta0^N), so the lowest gap at zero asymmetry grows like N Delta0",
            source="paper appendix A.9 (with A.13-A.15)", regime=COHERENT_REGIME, key=KEY,
            conditions={"N": (min(c.conditions["N"] for c in sel), max(c.conditions["N"] for c in sel)),
                        "coherent_states_low": int(low), "J_K": (min(specs), max(specs)), "Delta0_K": 1.0},
            measured=Measured(worst.value, 0.0, "log10(E1 - E0 / (N Delta0)) at the worst case"),
            reference=Reference(0.0, 0.0, "the rule: log10(gap / (N Delta0)) = 0"), tolerance=RULE_TOLERANCE,
            where=WHERE + "; clusters.coherent_doublet at N = 200", figure="clusters_size_gap.png",
            cases=tuple(sel), combine=combine, detail="value of each case: log10(E1 - E0 / (N Delta0))",
            reconstruction=RECONSTRUCTION))
    return rows


def fig_two_level_spectrum(specs: dict[float, SpectrumData], path: pathlib.Path) -> None:
    """The lowest levels relative to the ground level versus N, one panel per J; unresolved gaps left out."""
    fig, axes = plt.subplots(1, len(specs), figsize=(4.2 * len(specs), 4.4), sharey=True, layout="constrained")
    top = max(float(np.nanmax(spec.relative_to_ground())) for spec in specs.values()) * 3
    for ax, (j, spec) in zip(axes, specs.items()):
        gaps, floor = spec.relative_to_ground(), resolution(spec)
        for k in range(1, LEVELS):
            ok = gaps[:, k] > floor  # NaN (too few levels) and unresolved gaps are left out, never joined
            ax.plot(spec.values[ok], gaps[ok, k], "o-", ms=3, label=f"$E_{k} - E_0$")
        ax.fill_between(spec.values, 1e-17, floor, color="0.85", label="below float64 resolution")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(1e-17, top)
        ax.set_title(rf"$J$ = {j:g} K, $\Delta_0$ = 1 K, $\Delta$ = 0", fontsize=10)
        ax.set_xlabel("cluster size N")
    axes[0].set_ylabel(r"$E_k - E_0$ (K)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=LEVELS, fontsize=9, frameon=False)
    fig.suptitle("uniform 2LS clusters: lowest levels of the S = N/2 sector", fontsize=10)
    save_figure(fig, path)


def fig_gap(specs: dict[float, SpectrumData], path: pathlib.Path) -> None:
    """The lowest gap versus N per J against the rule N Delta0; the float64 floor shaded."""
    fig, ax = plt.subplots(figsize=(6.2, 4.4), layout="constrained")
    for j, spec in specs.items():
        gap, floor = spec.gaps()[:, 0], resolution(spec)
        ok = gap > floor * 20
        ax.plot(spec.values[ok], gap[ok], "o-", ms=3, label=f"$J$ = {j:g} K")
    spec = next(iter(specs.values()))
    ax.fill_between(spec.values, 1e-17, resolution(spec) * 20, color="0.85", label="float64 resolution (bounds)")
    ax.plot(spec.values, spec.values * 1.0, "k--", lw=1, label=r"$N\Delta_0$ (rule A.9)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-17, None)
    ax.set_xlabel("cluster size N")
    ax.set_ylabel(r"lowest gap $E_1 - E_0$ (K)")
    ax.set_title(r"uniform 2LS clusters, $\Delta_0$ = 1 K, $\Delta$ = 0", fontsize=10)
    ax.legend(fontsize=8)
    save_figure(fig, path)
