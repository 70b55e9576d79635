"""Study: solver scaling (time and memory versus N) and closed-form speed, measured where cheap.

The timings and the scaling figure are made here; ``benchmarks/`` (``make bench``) imports these
functions for its full runs and writes docs/benchmarks.md. Nothing here loads the benchmark scripts.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import numpy as np

import tunnelsim as ts
from clusters import TwoLevelCluster, random_couplings
from tunnelsim.studies.claims import Finding, FindingKind
from tunnelsim.studies.cluster_size import quiet_gaps
from tunnelsim.studies.figures import save_figure

__all__ = ["run", "disordered_two_level", "solver_scaling", "plot_scaling", "closed_form_timings", "best_time",
           "timed"]


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

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for method in dict.fromkeys(p["method"] for p in points):
        sel = [p for p in points if p["method"] == method]
        ns = [p["n"] for p in sel]
        ax1.plot(ns, [p["seconds"] for p in sel], "o-", label=method)
        ax2.plot(ns, [p["peak_bytes"] / 1024**2 for p in sel], "o-", label=method)
    for p in extra:
        ax1.plot([p["n"]], [p["seconds"]], "k*", ms=10)
        ax2.plot([p["n"]], [p["peak_gib"] * 1024], "k*", ms=10)
        ax1.annotate(f"N={p['n']} (process)", (p["n"], p["seconds"]), fontsize=7)
    for ax in (ax1, ax2):
        ax.set_xscale("log" if log_n else "linear")
        ax.set_yscale("log")
        ax.set_xlabel("cluster size N (2LS, lowest 4 levels)")
        ax.legend(fontsize=7)
    ax1.set_ylabel("wall time (s)")
    ax2.set_ylabel("peak memory (MiB)")
    ax2.set_title(memory_label, fontsize=8)
    save_figure(fig, path)


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


def run(out_dir: Path, quick: bool = False, executor=None) -> list[Finding]:
    """Run the quick timings, write ``benchmark_scaling.png`` and return timing rows (ungraded; executor unused)."""
    out_dir = Path(out_dir)
    rows = [Finding(FindingKind.TIMING, f"{r['benchmark']} by the closed form against {r['baseline']}",
                    f"{r['ours_s']:.2e} s against {r['baseline_s']:.2e} s: ratio {r['ratio']:.2g}; {r['notes']}",
                    "tunnelsim.studies.benchmarks.closed_form_timings")
            for r in closed_form_timings(quick=True)]
    pts = solver_scaling(quick=True)
    plot_scaling(pts, out_dir / "benchmark_scaling.png")
    largest = {p["method"]: p for p in pts}
    text = "; ".join(f"{m}: N={p['n']} in {p['seconds']:.2g} s, {p['peak_bytes'] / 2**20:.3g} MiB"
                     for m, p in largest.items())
    rows.append(Finding(FindingKind.TIMING, "Exact cluster spectra: time and memory versus N for each solver "
                        "(quick sizes)", text + ". Full sizes (2LS up to N = 28, 3LS N = 16 in a field) are in "
                        "docs/benchmarks.md", "clusters.TwoLevelCluster.eigenenergies", "benchmark_scaling.png"))
    return rows
