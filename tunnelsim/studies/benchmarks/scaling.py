"""Solver scaling: wall time and peak memory of exact cluster spectra versus N for each method, and its figure."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import numpy as np

from clusters import TwoLevelCluster, random_couplings
from tunnelsim.studies.figures import save_figure
from tunnelsim.studies.shared import quiet_gaps

__all__ = ["disordered_two_level", "solver_scaling", "plot_scaling"]


def disordered_two_level(n: int, seed: int = 1) -> TwoLevelCluster:
    """Delta_i ~ N(0, 1) K, Delta0_i ~ U(0.5, 1.5) K, J_ij ~ N(0, 0.5^2) K."""
    rng = np.random.default_rng(seed)
    return TwoLevelCluster(rng.normal(size=n), rng.uniform(0.5, 1.5, n), random_couplings(n, 0.5, seed))


def solver_scaling(quick: bool) -> list[dict]:
    """Time and peak numpy-allocated memory (tracemalloc) versus N for each method (lowest 4 levels)."""
    plan = {
        "dense": [6, 8, 10] if quick else [6, 8, 10, 11, 12],
        "sparse": [8, 10, 12] if quick else [8, 10, 12, 14, 16, 18],
        "matrix_free": [8, 10, 12] if quick else [8, 10, 12, 14, 16, 18, 20],
        "lanczos": [8, 10, 12, 14] if quick else [8, 10, 12, 14, 16, 18, 20],
    }
    for method in ("matrix_free", "lanczos"):  # compile the kernels outside the timings
        disordered_two_level(8).eigenenergies(4, method=method)
    out = [_measured(disordered_two_level(n), method) for method, ns in plan.items() for n in ns]
    return out + [_measured(TwoLevelCluster.uniform(n, 0.1, 1.0, -0.05), "auto", "sector (uniform)")
                  for n in ([10, 100, 1000] if quick else [10, 30, 100, 300, 1000, 3000])]


def _measured(cluster: TwoLevelCluster, method: str, label: str | None = None) -> dict:
    """Wall time and peak numpy-allocated memory (tracemalloc) of the lowest 4 levels by ``method``."""
    tracemalloc.start()
    t0 = time.perf_counter()
    with quiet_gaps():
        cluster.eigenenergies(4, method=method)
    dt = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"method": label or method, "n": cluster.n, "seconds": dt, "peak_bytes": peak}


def plot_scaling(points: list[dict], path: Path, extra: list[dict] = (),
                 memory_label: str = "lines: numpy allocations (tracemalloc); *: process RSS",
                 log_n: bool = True) -> None:
    """Write the scaling figure (time and memory versus N per method; ``memory_label`` says what was measured).

    ``log_n``: logarithmic N axis (uniform sectors span decades of N); False for full spaces (N = 16 ... 28).
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10.5, 4.4), layout="constrained")
    for method in dict.fromkeys(p["method"] for p in points):
        sel = [p for p in points if p["method"] == method]
        ns = [p["n"] for p in sel]
        ax1.plot(ns, [p["seconds"] for p in sel], "o-", label=method)
        ax2.plot(ns, [p["peak_bytes"] / 1024**2 for p in sel], "o-", label=method)
    for p in extra:
        ax1.plot([p["n"]], [p["seconds"]], "k*", ms=10)
        ax2.plot([p["n"]], [p["peak_gib"] * 1024], "k*", ms=10)
        ax1.annotate(f"N={p['n']} (process)", (p["n"], p["seconds"]), fontsize=8)
    for ax in (ax1, ax2):
        ax.set_xscale("log" if log_n else "linear")
        ax.set_yscale("log")
        ax.set_xlabel("cluster size N (2LS, lowest 4 levels)")
        ax.legend(fontsize=8)
    # plain numbers at 1, 2, 5 x 10^k and no minor labels: wide log tick labels never run into the axis label
    ax2.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax2.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax2.yaxis.set_minor_formatter(NullFormatter())
    ax1.set_ylabel("wall time (s)")
    ax2.set_ylabel("peak memory (MiB)")
    ax2.set_title(memory_label, fontsize=9)
    save_figure(fig, path)
