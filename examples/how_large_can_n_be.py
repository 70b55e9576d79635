"""How large can a cluster be on this machine?

For each full-space solver backend the script prints the largest N whose estimated memory fits
into the memory available now (clusters.solvers.estimate_bytes, the estimate registered with each
backend), for disordered 2LS and 3LS clusters; uniform clusters use the symmetric sector. Then it
times one solve of each kind at a size that runs in seconds (``--quick``: a few tenths of a second).

Run:  python examples/how_large_can_n_be.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from clusters import ThreeLevelCluster, TwoLevelCluster, random_couplings
from clusters.memory import available_memory_bytes, format_gib
from clusters.solvers import Problem, estimate_bytes


def full_space(n: int, local_dim: int, complex_values: bool) -> Problem:
    """The size of the full product space of N particles (all a memory estimate needs)."""
    return Problem(dimension=local_dim**n, nnz_per_row=1 + n * (local_dim - 1), is_complex=complex_values,
                   label=f"N={n}")


def largest_n(local_dim: int, method: str, budget: float, k: int = 4, complex_values: bool = False) -> int:
    """Largest N whose estimated memory for ``method`` (k levels) fits into ``budget`` bytes."""
    n = 1
    while estimate_bytes(method, full_space(n + 1, local_dim, complex_values), k) <= budget:
        n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="time only small clusters")
    args = parser.parse_args()

    budget = 0.8 * available_memory_bytes()
    print(f"memory budget: {format_gib(budget)} (80% of what is available now)\n")
    print(f"{'method':<14}{'2LS: largest N':>16}{'3LS (field): largest N':>26}")
    for method in ("dense", "sparse", "matrix_free"):
        print(f"{method:<14}{largest_n(2, method, budget):>16d}"
              f"{largest_n(3, method, budget, complex_values=True):>26d}")
    print("sector        uniform clusters only: 2LS dimension N+1 (thousands), 3LS (N+1)(N+2)/2 (hundreds)\n")

    rng = np.random.default_rng(0)
    n2, n3, nu2, nu3 = (12, 7, 500, 60) if args.quick else (20, 12, 3000, 200)
    cases = [
        (f"disordered 2LS N={n2}",
         TwoLevelCluster(rng.normal(size=n2), rng.uniform(0.5, 1.5, n2), random_couplings(n2, 0.5, 1))),
        (f"disordered 3LS N={n3}, phi=0.5",
         ThreeLevelCluster(np.zeros((n3, 3)), rng.uniform(0.5, 1.5, n3), random_couplings(n3, 0.5, 2), 0.5)),
        (f"uniform 2LS N={nu2}", TwoLevelCluster.uniform(nu2, 0.0, 1.0, -0.01)),
        (f"uniform 3LS N={nu3}, phi=0.3", ThreeLevelCluster.uniform(nu3, [0.0, 0.0, 0.0], 1.0, -0.01, 0.3)),
    ]
    for label, cluster in cases:
        t0 = time.perf_counter()
        levels = cluster.eigenenergies(4)
        dt = time.perf_counter() - t0
        print(f"{label:<34} lowest 4 levels in {dt:6.2f} s: E - E0 = {np.round(levels - levels[0], 6)} K")


if __name__ == "__main__":
    try:
        main()
    except (ValueError, TypeError, OSError, MemoryError) as exc:  # bad input: one line on stderr, no traceback
        sys.exit(f"{Path(sys.argv[0]).name}: error: {exc}")
    except KeyboardInterrupt:
        sys.exit(130)
