"""Exact low spectra of uniform clusters versus N (2LS) and versus N phi (3LS), as sweep points and spectra.

The point functions run through :func:`tunnelsim.sweep.run_sweep` (one JSON line per point, resumable);
:func:`size_spectrum` and :func:`nphi_spectrum` gather them into :class:`tunnelsim.results.SpectrumData`
(docs/clusters.md sec. 5). :func:`quiet_gaps` silences the unresolved-gap warning where a study marks
unresolved gaps itself (the benchmarks use it too).
"""

from __future__ import annotations

import pathlib
import time

import numpy as np

from clusters import ThreeLevelCluster, TwoLevelCluster
from tunnelsim.files import write_table
from tunnelsim.results import SpectrumData
from tunnelsim.studies.claims import Finding, FindingKind
from tunnelsim.studies.shared import quiet_gaps

__all__ = ["LEVELS", "quiet_gaps", "two_level_point", "three_level_point", "size_spectrum", "nphi_spectrum",
           "resolution", "write_two_level_table", "findings_reachable"]

#: Levels kept per 2LS point.
LEVELS = 6


def two_level_point(n: int, coupling: float, tunneling: float = 1.0) -> dict:
    """Lowest LEVELS levels (K) of a uniform 2LS cluster (Delta = 0) in the S = N/2 sector, with timing."""
    t0 = time.perf_counter()
    with quiet_gaps():
        e = TwoLevelCluster.uniform(n, 0.0, tunneling, coupling).eigenenergies(min(LEVELS, n + 1))
    return {"levels": e.tolist(), "seconds": time.perf_counter() - t0}


def three_level_point(n: int, coupling: float, nphi: float, d0: float = 1.0) -> dict:
    """Lowest 3 levels (K) of a uniform 3LS cluster (E = 0) at flux phase phi = nphi / N (rad)."""
    t0 = time.perf_counter()
    c = ThreeLevelCluster.uniform(n, [0.0, 0.0, 0.0], d0, coupling, phi=nphi / n)
    with quiet_gaps():
        e = c.eigenenergies(3)
    return {"levels": e.tolist(), "seconds": time.perf_counter() - t0}


def size_spectrum(rows: list[dict], coupling: float) -> SpectrumData:
    """The lowest levels versus N (NaN where N + 1 < LEVELS) of the 2LS sweep at one coupling (K)."""
    sel = sorted((r for r in rows if r["params"]["coupling"] == coupling), key=lambda r: r["params"]["n"])
    e = np.full((len(sel), LEVELS), np.nan)
    for i, r in enumerate(sel):
        lv = r["result"]["levels"]
        e[i, :len(lv)] = lv
    return SpectrumData("N", [r["params"]["n"] for r in sel], e, label=f"uniform 2LS, J = {coupling:g} K",
                        metadata={"coupling_K": coupling, "tunneling_K": 1.0, "asymmetry_K": 0.0})


def nphi_spectrum(rows3: list[dict], n: int, coupling: float) -> SpectrumData:
    """The three lowest levels versus N phi (rad) of the 3LS sweep at one (N, J)."""
    sel = sorted((r for r in rows3 if r["params"]["n"] == n and r["params"]["coupling"] == coupling),
                 key=lambda r: r["params"]["nphi"])
    return SpectrumData("N phi", [r["params"]["nphi"] for r in sel], [r["result"]["levels"] for r in sel],
                        unit="rad", label=f"uniform 3LS, N = {n}, J = {coupling:g} K",
                        metadata={"n": n, "coupling_K": coupling, "d0_K": 1.0})


def resolution(spec: SpectrumData) -> np.ndarray:
    """Float64 resolution 4 eps max(1, |E0|) of each level difference (K)."""
    return 4 * np.finfo(float).eps * np.maximum(1.0, np.abs(spec.energies[:, 0]))


def write_two_level_table(specs: dict[float, SpectrumData], rows: list[dict], path: pathlib.Path) -> None:
    """One row per (N, J): the gaps E_k - E0 (empty where N + 1 < LEVELS), then the seconds."""
    seconds = {(r["params"]["n"], r["params"]["coupling"]): r["result"]["seconds"] for r in rows}
    table = []
    for j, spec in specs.items():
        for n, gaps in zip(spec.values, spec.relative_to_ground()[:, 1:]):
            table.append([int(n), j, *["" if np.isnan(g) else float(g) for g in gaps], seconds[(int(n), j)]])
    write_table(path, ["N", "J_K", *[f"E{k}-E0_K" for k in range(1, LEVELS)], "seconds"], table)


def findings_reachable(n3: int) -> list[Finding]:
    """Timing: the lowest levels of uniform clusters of the paper's sizes (symmetric sectors)."""
    with quiet_gaps():
        t0 = time.perf_counter()
        big2 = TwoLevelCluster.uniform(1000, 0.0, 1.0, -0.01).eigenenergies(6)
        t2 = time.perf_counter() - t0
        t0 = time.perf_counter()
        big3 = ThreeLevelCluster.uniform(n3, [0.05, -0.02, -0.03], 1.0, -0.01, phi=0.3).eigenenergies(6)
        t3 = time.perf_counter() - t0
    return [Finding(FindingKind.TIMING, "Exact low spectra of uniform clusters of the paper's sizes (N ~ 25-600)",
                    f"uniform 2LS N = 1000 (sector dim 1001): lowest 6 levels in {t2:.2g} s (E0 = {big2[0]:.6g} K); "
                    f"uniform 3LS N = {n3} (sector dim {(n3 + 1) * (n3 + 2) // 2}): lowest 6 levels in {t3:.2g} s "
                    f"(E0 = {big3[0]:.6g} K); disordered clusters: full space only, see the benchmarks",
                    "clusters.models (symmetric sector), clusters.solvers.solve")]
