"""Closed-form flux spectra against batched LAPACK on the same stack, and the timing helpers.

:func:`best_time` and :func:`timed` are shared with ``benchmarks/`` (``make bench``), which imports them from
:mod:`tunnelsim.studies.benchmarks`; nothing here loads the benchmark scripts.
"""

from __future__ import annotations

import time

import numpy as np

import tunnelsim as ts

__all__ = ["best_time", "timed", "closed_form_timings"]


def best_time(func, repeat: int = 3) -> float:
    """Best wall time (s) of ``repeat`` calls of ``func()``."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def timed(func):
    """``(func(), wall time in s)`` of one call: a slow baseline timed once and its result kept."""
    t0 = time.perf_counter()
    out = func()
    return out, time.perf_counter() - t0


def _ring_stack(energies, hopping: float, phi: np.ndarray, diagonal: float = 0.0) -> np.ndarray:
    """Baseline matrices built directly with numpy broadcasting (ring hopping e^{i phi/n}, optional diagonal)."""
    n = len(energies)
    w = hopping * np.exp(1j * phi / n)
    h = np.zeros((phi.size, n, n), dtype=complex)
    h[:, np.arange(n), np.arange(n)] = energies
    for a in range(n):
        h[:, a, (a + 1) % n] = w
        h[:, (a + 1) % n, a] = np.conj(w)
    if n == 4:
        h[:, [0, 1, 2, 3], [2, 3, 0, 1]] = diagonal
    return h


def closed_form_timings(quick: bool) -> list[dict]:
    """Closed-form flux spectra (3LS Viete, 4LS quartic) against batched LAPACK on the same stack (same run).

    The baseline is the strongest reasonable alternative: all the matrices built at once with numpy and
    diagonalised by one batched ``numpy.linalg.eigvalsh`` call.
    """
    n = 200 if quick else 2000
    phi = np.linspace(0, 4 * np.pi, n)
    rows = []
    e3 = np.array([0.1, -0.04, -0.06])
    ours = best_time(lambda: ts.three_level_energies(e3, 1.0, phi))
    base = best_time(lambda: np.linalg.eigvalsh(_ring_stack(e3, 1.0, phi)))
    diff = np.abs(ts.three_level_energies(e3, 1.0, phi) - np.linalg.eigvalsh(_ring_stack(e3, 1.0, phi))).max()
    rows.append({"benchmark": f"3LS spectrum at {n} fluxes", "ours_s": ours, "baseline_s": base,
                 "baseline": "batched numpy eigvalsh of the stacked matrices", "ratio": base / ours,
                 "notes": f"max |diff| {diff:.1e} K"})
    e4 = np.array([0.1, -0.02, 0.03, -0.11])
    ours = best_time(lambda: ts.four_level_energies(e4, 1.0, 1.5, phi, diagonal="straight"))
    base = best_time(lambda: np.linalg.eigvalsh(_ring_stack(e4, 1.0, phi, 1.5)))
    diff = np.abs(ts.four_level_energies(e4, 1.0, 1.5, phi, diagonal="straight")
                  - np.linalg.eigvalsh(_ring_stack(e4, 1.0, phi, 1.5))).max()
    rows.append({"benchmark": f"4LS spectrum at {n} fluxes", "ours_s": ours, "baseline_s": base,
                 "baseline": "batched numpy eigvalsh of the stacked matrices", "ratio": base / ours,
                 "notes": f"analytic quartic; max |diff| {diff:.1e} K"})
    return rows
