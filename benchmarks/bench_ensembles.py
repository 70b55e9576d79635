"""Throughput of cluster ensembles (docs/cluster_ensembles.md sec. 4; collected into docs/benchmarks.md).

Clusters per second of :func:`clusters.ensembles.run_ensemble` (exact low levels, lowest gap, transition
dipole, coherent doublet where low) at N = 8, 12, 16 on 2 cores: ``tunnelsim.sweep.process_pool(2)`` (ours;
forkserver workers) beside a dask.distributed ``LocalCluster`` of 2 single-threaded worker processes through
``Client.get_executor()`` (the baseline), both on the same seeded ensemble (so the same clusters), each
with one BLAS thread per worker. Quick mode: N = 8 and 12 with fewer clusters.

Beside it, the small-cluster solve alone on one core (issue 23): the lowest 6 levels of clusters drawn from the
ensemble's own distribution at N = 8, 12 and 16, with and without states, ours (``eigenenergies`` /
``eigenstates``) against a CSR matrix built with plain numpy and scipy's ARPACK ``eigsh`` (the strongest simple
alternative), both warmed on the first clusters, timed interleaved over ``REPEATS`` rounds (minimum quoted), with
the load average recorded, both on one BLAS thread. States are timed as a one-off solve and as run_ensemble
solves them, inside one block whose solves keep their Lanczos vectors in reused memory
(``clusters.kept.reuse_kept_memory``).
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from scipy.sparse.linalg import eigsh  # noqa: E402

from clusters._threads import single_blas_thread  # noqa: E402
from clusters.ensembles import EnsembleSpec, run_ensemble, sample_cluster  # noqa: E402
from clusters.kept import reuse_kept_memory  # noqa: E402
from tunnelsim.sweep import process_pool  # noqa: E402

WORKERS = 2
REPEATS = 3
LEVELS = 6


def numpy_csr(cluster) -> sp.csr_matrix:
    """The 2LS cluster Hamiltonian as CSR, built with plain numpy (bit N-1-i of a state is particle i)."""
    n, dim = cluster.n, 2**cluster.n
    s = np.arange(dim)
    sz = 1.0 - 2.0 * ((s[:, None] >> (n - 1 - np.arange(n))[None, :]) & 1)
    diag = sz @ (0.5 * cluster.asymmetries) + np.einsum("si,ij,sj->s", sz, np.triu(cluster.couplings, 1), sz)
    rows = np.tile(s, n + 1)
    cols = np.concatenate([s] + [s ^ (1 << (n - 1 - i)) for i in range(n)])
    vals = np.concatenate([diag] + [np.full(dim, 0.5 * cluster.tunnelings[i]) for i in range(n)])
    return sp.csr_matrix((vals, (rows, cols)), shape=(dim, dim))


def _small(n: int, count: int) -> list[dict]:
    """Clusters per second (one core, CPU time) of ours and numpy CSR + eigsh, with and without states."""
    spec = EnsembleSpec(n, axes="random")
    clusters = [sample_cluster(spec, seed=i).cluster for i in range(count)]
    methods = {
        "levels": (lambda c: c.eigenenergies(LEVELS),
                   lambda c: eigsh(numpy_csr(c), k=LEVELS, which="SA", return_eigenvectors=False), False),
        "states": (lambda c: c.eigenstates(LEVELS), lambda c: eigsh(numpy_csr(c), k=LEVELS, which="SA"), False),
        "states in an ensemble block": (lambda c: c.eigenstates(LEVELS),
                                        lambda c: eigsh(numpy_csr(c), k=LEVELS, which="SA"), True),
    }
    rows = []
    for what, (ours_f, base_f, block) in methods.items():
        for f in (ours_f, base_f):  # warm both sides on the first clusters, untimed
            [f(c) for c in clusters[:2]]
        best = {"ours": float("inf"), "base": float("inf")}
        load = os.getloadavg()[0]
        for _ in range(REPEATS):
            for side, f in (("ours", ours_f), ("base", base_f)):
                t0 = time.process_time()
                # in a block, as run_ensemble solves: the Lanczos vectors kept in reused memory (clusters.kept)
                with reuse_kept_memory() if block and side == "ours" else contextlib.nullcontext():
                    for c in clusters:
                        f(c)
                best[side] = min(best[side], time.process_time() - t0)
        rows.append({"benchmark": f"small clusters N={n}, lowest {LEVELS} {what} (one core, {count} clusters)",
                     "ours_s": best["ours"] / count, "baseline": "numpy CSR + scipy eigsh",
                     "baseline_s": best["base"] / count, "ratio": best["base"] / best["ours"],
                     "notes": f"{count / best['ours']:.3g} clusters/s ours, {count / best['base']:.3g} baseline; "
                              f"CPU time, min of {REPEATS} interleaved rounds; load {load:.1f}"})
    return rows


def _timed(spec: EnsembleSpec, count: int, block: int, executor) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        run_ensemble(spec, count, pathlib.Path(tmp) / "bench.jsonl", seed=1, executor=executor, progress=False,
                     block_size=block)
        return time.perf_counter() - t0


def _warm(executor) -> None:
    """Import the library in every worker before timing (a first tiny ensemble)."""
    _timed(EnsembleSpec(2), 2 * WORKERS, 2, executor)


def main(quick: bool = False) -> list[dict]:
    """Clusters per second at N = 8, 12, 16 (quick: 8, 12); rows as in benchmarks/run_all.py."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sizes = {8: 200, 12: 16} if quick else {8: 2000, 12: 200, 16: 8}
    rows = []
    with single_blas_thread():  # one core for both sides (the variables above come too late for a loaded BLAS)
        for n, count in ({8: 40, 12: 10} if quick else {8: 200, 12: 60, 16: 6}).items():
            rows += _small(n, count)
    with process_pool(WORKERS) as pool:
        _warm(pool)
        ours = {n: _timed(EnsembleSpec(n, axes="random"), c, max(1, c // (4 * WORKERS)), pool)
                for n, c in sizes.items()}
    try:
        import distributed
    except ImportError:  # pragma: no cover - dask is a dev extra
        distributed = None
    dask = {}
    if distributed is not None:
        with distributed.LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            ex = client.get_executor()
            _warm(ex)
            dask = {n: _timed(EnsembleSpec(n, axes="random"), c, max(1, c // (4 * WORKERS)), ex)
                    for n, c in sizes.items()}
    for n, c in sizes.items():
        base = dask.get(n, float("nan"))
        rows.append({"benchmark": f"ensemble N={n}: {c} clusters on {WORKERS} cores (process pool)", "ours_s": ours[n],
                     "baseline": "dask LocalCluster (2 workers)", "baseline_s": base, "ratio": base / ours[n],
                     "notes": f"{c / ours[n]:.3g} clusters/s (pool), {c / base:.3g} clusters/s (dask)"})
    return rows


if __name__ == "__main__":
    for row in main(quick="--quick" in sys.argv):
        print(row)
