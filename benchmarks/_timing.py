"""Shared timing helper of the benchmarks."""

from __future__ import annotations

import time


def best_time(func, repeat: int = 3) -> float:
    """Best wall time (s) of ``repeat`` calls of ``func()``."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best
