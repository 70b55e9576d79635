"""run_sweep on a dask.distributed LocalCluster through Client.get_executor() (dask is a dev/optional extra)."""

import pytest

from tunnelsim import grid, load_results, run_sweep
from tunnelsim.single.three_level import three_level_energies

distributed = pytest.importorskip("distributed")


def ground(d0, phi):
    return {"e0": float(three_level_energies([0.0, 0.0, 0.0], d0, phi)[0])}


def test_sweep_on_local_cluster(tmp_path):
    import numpy as np

    path = tmp_path / "dask.jsonl"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        res = run_sweep(ground, grid(d0=[0.5, 1.0], phi=[0.0, 1.0]), path, executor=client.get_executor(),
                        progress=False)
    # E = 0: ground level 2 d0 cos((phi + 2 pi)/3), an independent closed form
    for r in res:
        d0, phi = r["params"]["d0"], r["params"]["phi"]
        assert r["result"]["e0"] == pytest.approx(2 * d0 * np.cos((phi + 2 * np.pi) / 3), abs=1e-12)
    assert len(load_results(path)) == 4
