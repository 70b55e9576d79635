"""Ensembles of interacting STM clusters against their independent limits (issue 14 part 1)."""

from __future__ import annotations

import itertools
import math
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from scipy import integrate, stats

from clusters import dipolar_couplings
from clusters.ensembles import EnsembleSpec, cluster_quantities, run_ensemble, sample_cluster


def _stm_gap_cdf(x: float, dmax: float, lo: float, hi: float) -> float:
    """P(E <= x) for Delta uniform in [-dmax, dmax], Delta0 log-uniform in [lo, hi], written out directly."""
    top = min(x, hi)
    if top <= lo:
        return 0.0
    f = lambda d0: min(1.0, math.sqrt(max(x * x - d0 * d0, 0.0)) / dmax) / (d0 * math.log(hi / lo))  # noqa: E731
    return integrate.quad(f, lo, top, limit=200)[0]


def test_single_particles_reproduce_the_sampled_stm_distribution(tmp_path):
    spec = EnsembleSpec(1, delta_max=1.0, d0_min=1e-3, d0_max=1.0)
    ens = run_ensemble(spec, 1200, tmp_path / "n1.jsonl", seed=5, block_size=300, progress=False)
    assert ens.coherent.all() and len(ens) == 1200
    # log10 Delta0_eff is uniform on [-3, 0] (the 1/Delta0 law): chi-square over 10 bins
    counts, _ = np.histogram(ens.log10_d0_eff, bins=10, range=(-3.0, 0.0))
    assert stats.chisquare(counts).pvalue > 1e-3
    assert stats.kstest(ens.delta_eff, stats.uniform(-1.0, 2.0).cdf).pvalue > 1e-3
    # the lowest gap E = sqrt(Delta^2 + Delta0^2) against its analytic distribution
    cdf = np.vectorize(lambda x: _stm_gap_cdf(x, 1.0, 1e-3, 1.0))
    assert stats.kstest(ens.gap, cdf).pvalue > 1e-3
    # one 2LS: u = Delta0 / E and p_eff = p u
    assert np.allclose(ens.u, 10**ens.log10_d0_eff / ens.gap, rtol=1e-9)
    assert np.allclose(ens.p_eff, ens.u, rtol=1e-9)


@pytest.mark.parametrize("n", [2, 3, 5])
def test_uncoupled_clusters_are_independent_particles(n):
    spec = EnsembleSpec(n, j0=0.0, axes="random")
    rng = np.random.default_rng(n)
    for _ in range(3):
        s = sample_cluster(spec, rng)
        q = cluster_quantities(s, levels=6)
        e = np.hypot(s.cluster.asymmetries, s.cluster.tunnelings)
        # levels of independent 2LS: sum_i +- E_i / 2, the lowest minus the ground level
        sums = sorted(0.5 * np.dot(signs, e) for signs in itertools.product((-1, 1), repeat=n))
        ref = np.array(sums[:6]) - sums[0]
        assert np.allclose(q["levels"], ref, atol=1e-10)
        assert q["gap"] == pytest.approx(e.min())
        i = int(np.argmin(e))
        assert q["u"] == pytest.approx(s.cluster.tunnelings[i] / e[i], rel=1e-6)
        assert not q["coherent"]


def test_dipolar_axes_reduce_to_the_common_axis_and_match_the_pair_formula():
    rng = np.random.default_rng(0)
    pos = rng.normal(size=(4, 3))
    common = dipolar_couplings(pos, 2.0)
    same = dipolar_couplings(pos, 2.0, axes=np.tile([0.0, 0.0, 3.0], (4, 1)))
    assert np.allclose(common, same)
    axes = rng.normal(size=(4, 3))
    j = dipolar_couplings(pos, 2.0, axes=axes)
    a = axes / np.linalg.norm(axes, axis=1, keepdims=True)
    r = pos[1] - pos[0]
    d = np.linalg.norm(r)
    rh = r / d
    assert j[0, 1] == pytest.approx(2.0 * (a[0] @ a[1] - 3 * (a[0] @ rh) * (a[1] @ rh)) / d**3)
    assert np.allclose(j, j.T) and np.all(np.diag(j) == 0)


def _same(a, b):
    for name in ("gap", "u", "p_eff", "log10_d0_eff", "delta_eff", "weight"):
        x, y = np.ma.filled(getattr(a, name), np.nan), np.ma.filled(getattr(b, name), np.nan)
        assert np.array_equal(x, y, equal_nan=True), name
    assert np.array_equal(np.ma.filled(a.levels, np.nan), np.ma.filled(b.levels, np.nan), equal_nan=True)


def test_seeded_ensemble_is_the_same_on_every_executor(tmp_path):
    distributed = pytest.importorskip("distributed")
    spec = EnsembleSpec(4, axes="random")
    kw = dict(seed=11, block_size=10, progress=False)
    local = run_ensemble(spec, 30, tmp_path / "local.jsonl", **kw)
    with ProcessPoolExecutor(2) as pool:
        _same(local, run_ensemble(spec, 30, tmp_path / "pool.jsonl", executor=pool, **kw))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        _same(local, run_ensemble(spec, 30, tmp_path / "dask.jsonl", executor=client.get_executor(), **kw))
    # resumable: a second run reads the finished blocks back
    lines = (tmp_path / "local.jsonl").read_text().splitlines()
    _same(local, run_ensemble(spec, 30, tmp_path / "local.jsonl", **kw))
    assert (tmp_path / "local.jsonl").read_text().splitlines() == lines
    assert not np.array_equal(local.gap, run_ensemble(spec, 30, None, seed=12, block_size=10, progress=False).gap)


def test_spec_and_run_refuse_bad_input():
    with pytest.raises(ValueError, match="d0_min"):
        EnsembleSpec(3, d0_min=2.0, d0_max=1.0)
    with pytest.raises(ValueError, match="axes"):
        EnsembleSpec(3, axes="parallel")
    with pytest.raises(ValueError, match="n"):
        EnsembleSpec(40)
    with pytest.raises(ValueError, match="hard_core"):
        EnsembleSpec(3, density=1.0, hard_core=2.0)
    with pytest.raises(TypeError, match="spec"):
        run_ensemble({"n": 3}, 10)
    with pytest.raises(ValueError, match="clusters"):
        run_ensemble(EnsembleSpec(2), 0)
    s = sample_cluster(EnsembleSpec(5, hard_core=0.5), 3)
    d = np.linalg.norm(s.positions[:, None] - s.positions[None], axis=2)
    assert d[~np.eye(5, dtype=bool)].min() >= 0.5
    assert math.isclose(float(np.linalg.norm(s.axes[0])), 1.0)


def test_the_process_pool_survives_a_parent_that_ran_numba_parallel_kernels(tmp_path):
    """A fork of a process that has run numba's parallel (GNU OpenMP) kernels aborts in the child; the toolkit's
    pool starts clean workers, so an ensemble after a parallel solve in the parent gives the serial result."""
    import os
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    code = textwrap.dedent("""
        import numpy as np
        from clusters import EnsembleSpec, TwoLevelCluster, random_couplings, run_ensemble
        from tunnelsim.sweep import process_pool
        c = TwoLevelCluster(np.linspace(-1, 1, 12), [0.5] * 12, random_couplings(12, 0.3, np.random.default_rng(1)))
        c.eigenstates(3)  # numba's parallel kernels run in this process first
        spec = EnsembleSpec(10)
        with process_pool(2) as pool:
            par = run_ensemble(spec, 4, seed=5, block_size=2, executor=pool, progress=False)
        ser = run_ensemble(spec, 4, seed=5, block_size=2, progress=False)
        print(bool(np.array_equal(par.gap, ser.gap)))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "True"
