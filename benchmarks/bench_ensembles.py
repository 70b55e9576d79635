"""Throughput of cluster ensembles (docs/cluster_ensembles.md sec. 4; collected into docs/benchmarks.md).

Clusters per second of :func:`clusters.ensembles.run_ensemble` (exact low levels, lowest gap, transition
dipole, coherent doublet where low) at N = 8, 12, 16 on 2 cores: a local ``ProcessPoolExecutor(2)``
(ours) beside a dask.distributed ``LocalCluster`` of 2 single-threaded worker processes through
``Client.get_executor()`` (the baseline), both on the same seeded ensemble (so the same clusters), each
with one BLAS thread per worker. Quick mode: N = 8 and 12 with fewer clusters.
"""

from __future__ import annotations

import os
import pathlib
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from clusters.ensembles import EnsembleSpec, run_ensemble  # noqa: E402

WORKERS = 2


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
    with ProcessPoolExecutor(WORKERS) as pool:
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
