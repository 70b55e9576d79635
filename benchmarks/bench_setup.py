"""Benchmarks of the cluster set-up: the configuration energies D (the diagonal of H; docs/clusters.md sec. 3), and
the 2LS product that builds each block's D from row tables instead of reading a stored diagonal.

Ours: :func:`clusters.hamiltonians.configuration_energies` (checks, memory estimate, then the parallel rows of
:mod:`clusters.diagonal` on the threads the machine gives). Baseline: the particle-by-particle numpy build
(:func:`clusters.diagonal.small_energies`), the default before the rows and the plain numpy way to build D without
an N x d^N table. Both are warmed untimed on a smaller cluster of the same kind, then timed alternately
``REPEATS`` times at each size (the minimum quoted, the load average at the start of the size recorded); each
call allocates its own output, as a solve does. The two must give the same energies (largest difference quoted).
Clusters: issue 15's disordered 2LS cluster (benchmarks/solver_cases.py) and its disordered 3LS one.

Rows against stored: the fused 2LS product step (y = H x + b y with its dot, the Lanczos step's first pass) with
the diagonal built per block from :func:`clusters.hamiltonians.configuration_rows`, against the same kernel reading
the stored D: one process, both warmed, alternating calls, minimum of ``PRODUCT_REPEATS``, on the threads the
solver would use. It sets :data:`clusters.kernels.ROWS_MIN_DIM`, the size from which solves build rows (a third less
memory).
"""

from __future__ import annotations

import os
import pathlib
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
for p in (str(ROOT), str(ROOT / "benchmarks")):
    if p not in sys.path:
        sys.path.insert(0, p)

from clusters.diagonal import small_energies  # noqa: E402
from clusters.hamiltonians import configuration_energies, configuration_rows  # noqa: E402

REPEATS = 5
PRODUCT_REPEATS = 15


def _tables(kind: str, n: int):
    """(wells, couplings, pair) of the benchmark cluster of ``kind`` with ``n`` particles."""
    from solver_cases import three_level, two_level

    c = two_level(n) if kind == "2LS" else three_level(n)
    wells, _ = c.terms()
    return np.ascontiguousarray(wells, dtype=float), np.asarray(c.couplings, dtype=float), np.asarray(c.pair)


def _alternate(ours, base, repeats: int = REPEATS) -> tuple[float, float]:
    """Minimum wall times of ``ours()`` and ``base()`` over ``repeats`` alternating calls."""
    best = [float("inf"), float("inf")]
    for _ in range(repeats):
        for i, func in enumerate((ours, base)):
            t0 = time.perf_counter()
            func()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best[0], best[1]


def diagonal_rows(cases: list[tuple[str, int]]) -> list[dict]:
    """One row per (kind, N): the parallel rows against the numpy build, with the largest difference."""
    for kind in {k for k, _ in cases}:  # warm-up: compilation and first calls, untimed
        small = _tables(kind, 16 if kind == "2LS" else 10)
        configuration_energies(*small)
        small_energies(*small)
    rows = []
    for kind, n in cases:
        tables = _tables(kind, n)
        diff = float(np.max(np.abs(configuration_energies(*tables) - small_energies(*tables))))
        load = os.getloadavg()[0]
        ours, base = _alternate(lambda t=tables: configuration_energies(*t), lambda t=tables: small_energies(*t))
        d = 2 if kind == "2LS" else 3
        rows.append({"benchmark": f"{kind} configuration energies D, N={n} (parallel rows)", "ours_s": ours,
                     "baseline_s": base, "baseline": "particle-by-particle numpy build (small_energies)",
                     "ratio": base / ours,
                     "notes": f"{d}^{n} states; min of {REPEATS} alternating calls (load {load:.1f}); max |dD| "
                              f"{diff:.1e} K"})
    return rows


def product_rows(ns: list[int]) -> list[dict]:
    """One row per N: the product building its diagonal from row tables against the one reading it stored."""
    from solver_cases import two_level

    from clusters._threads import numba_threads
    from clusters.hamiltonians import SPIN_PAIR
    from clusters.kernels import ProductKernel, row_particles

    rows = []
    for n in ns:
        c = two_level(n)
        wells, hoff = c.terms()
        built = ProductKernel(configuration_rows(wells, c.couplings, SPIN_PAIR, row_particles(n)), hoff)
        stored = ProductKernel(configuration_energies(wells, c.couplings, SPIN_PAIR), hoff)
        x = np.random.default_rng(0).standard_normal(built.dim)
        y1 = np.random.default_rng(1).standard_normal(built.dim)
        y2 = y1.copy()
        with numba_threads(built.dim):
            built.step(x, y1, 1.0, 0.5, dot=True)
            stored.step(x, y2, 1.0, 0.5, dot=True)
            diff = float(np.max(np.abs(y1 - y2)))
            load = os.getloadavg()[0]
            ours, base = _alternate(lambda k=built, x=x, y=y1: k.step(x, y, 1.0, 0.5, dot=True),
                                    lambda k=stored, x=x, y=y2: k.step(x, y, 1.0, 0.5, dot=True), PRODUCT_REPEATS)
        rows.append({"benchmark": f"2LS product step, N={n}, diagonal built per block from row tables",
                     "ours_s": ours, "baseline_s": base, "baseline": "the same kernel reading a stored diagonal",
                     "ratio": base / ours,
                     "notes": f"memory: 2 vectors of 2^N instead of 3; min of {PRODUCT_REPEATS} alternating steps "
                              f"(load {load:.1f}); max diff after the first step {diff:.1e}"})
    return rows


def main(quick: bool = False) -> list[dict]:
    """Run the benchmarks; return rows (module docstring)."""
    cases = [("2LS", 18), ("3LS", 10)] if quick else [("2LS", 20), ("2LS", 22), ("2LS", 24), ("3LS", 13),
                                                        ("3LS", 15)]
    return diagonal_rows(cases) + product_rows([16, 18] if quick else [20, 22, 24])


if __name__ == "__main__":
    for row in main(quick="--quick" in sys.argv):
        print(row)
