"""Every solver backend against the dense one; the backend table; residual, memory, k errors (docs/clusters.md)."""

from __future__ import annotations

import numpy as np
import pytest
import qutip
from cluster_factories import random_three_level, random_two_level
from hypothesis import given, settings
from hypothesis import strategies as st

import clusters.solvers as solvers
from clusters import ClusterMemoryError, ConvergenceError, TwoLevelCluster
from clusters.hamiltonians import apply_hamiltonian, hamiltonian_csr, three_level_parts, two_level_parts
from clusters.memory import available_memory_bytes, format_gib


@pytest.mark.parametrize("method", ["sparse", "matrix_free", "lanczos"])
def test_two_level_iterative_solvers_match_dense(method):
    c = random_two_level(10, 7)
    dense = np.linalg.eigvalsh(c.hamiltonian().full())[:5]
    assert np.allclose(c.eigenenergies(5, method=method), dense, atol=1e-9)


@pytest.mark.parametrize("method", ["sparse", "matrix_free", "lanczos"])
@pytest.mark.parametrize("phi", [0.0, 1.3])
def test_three_level_iterative_solvers_match_dense(method, phi):
    c = random_three_level(6, 11, phi)
    dense = np.linalg.eigvalsh(c.hamiltonian().full())[:4]
    assert np.allclose(c.eigenenergies(4, method=method), dense, atol=1e-9)


@settings(max_examples=8, deadline=None)
@given(n=st.integers(2, 9), seed=st.integers(0, 1000))
def test_matrix_free_product_equals_csr_product(n, seed):
    rng = np.random.default_rng(seed)
    c = random_two_level(n, seed)
    d, h = two_level_parts(c.asymmetries, c.tunnelings, c.couplings)
    x = rng.normal(size=2**n)
    assert np.allclose(apply_hamiltonian(d, h, x), hamiltonian_csr(d, h) @ x, atol=1e-12)
    c3 = random_three_level(min(n, 6), seed, 0.7)
    d3, h3 = three_level_parts(c3.energies, c3.d0s, c3.couplings, 0.7)
    x3 = rng.normal(size=3**c3.n) + 1j * rng.normal(size=3**c3.n)
    assert np.allclose(apply_hamiltonian(d3, h3, x3), c3.hamiltonian().full() @ x3, atol=1e-12)


def test_eigenstates_are_eigenvectors_qobj():
    """One return type: numpy columns; to_qobj makes kets."""
    c = random_three_level(4, 2, 0.4)
    h = c.hamiltonian()
    for method in ("dense", "sparse", "matrix_free", "lanczos"):
        e, vecs = c.eigenstates(3, method=method)
        assert isinstance(vecs, np.ndarray) and vecs.shape == (81, 3)
        kets = c.to_qobj(vecs)
        assert len(kets) == 3
        for ej, ket in zip(e, kets):
            assert isinstance(ket, qutip.Qobj) and ket.isket and ket.dims[0] == [3] * 4
            assert (h * ket - ej * ket).norm() < 1e-8
            assert abs(ket.norm() - 1) < 1e-10


def _full(dim: int) -> solvers.Problem:
    """A full-space problem description (no arrays: only what the choice and the estimates need)."""
    unused = lambda *a: None  # noqa: E731
    return solvers.Problem(dimension=dim, nnz_per_row=21, is_complex=False, label="test", csr=unused,
                           operator=unused, apply=unused, scale=unused, kernel=unused)


def test_auto_chooses_dense_then_lanczos(monkeypatch):
    import clusters.gpu as gpu

    monkeypatch.setattr(gpu, "gpu_available", lambda: False)
    assert solvers.choose_backend(_full(100), 4) == "dense"
    assert solvers.choose_backend(_full(solvers.DENSE_MAX_DIM), 4) == "dense"
    assert solvers.choose_backend(_full(solvers.DENSE_MAX_DIM + 1), 4) == "lanczos"
    assert solvers.choose_backend(_full(2**16), 4) == "lanczos"
    assert solvers.choose_backend(_full(2**22), 4) == "lanczos"
    assert solvers.choose_backend(_full(2**16), None) == "dense"
    assert solvers.choose_backend(_full(100), 99) == "dense"
    sector = solvers.Problem(dimension=5000, nnz_per_row=7, is_complex=True, label="sector", csr=lambda: None)
    assert solvers.choose_backend(sector, 4) == "sparse"
    tri = solvers.Problem(dimension=5000, nnz_per_row=3, is_complex=False, label="2LS sector", csr=lambda: None,
                          tridiagonal=lambda: None)
    assert solvers.choose_backend(tri, 4) == "tridiagonal"


def test_bad_residual_raises(monkeypatch):
    c = random_two_level(9, 1)
    monkeypatch.setattr(solvers, "RESIDUAL_RTOL", 1e-30)
    with pytest.raises(ConvergenceError, match="residual"):
        c.eigenenergies(3, method="sparse")


def test_k_and_method_errors():
    c = random_two_level(3, 0)
    with pytest.raises(ValueError, match="k=9 is larger than the dimension 8"):
        c.eigenenergies(9)
    with pytest.raises(ValueError, match="k must be >= 1"):
        c.eigenenergies(0)
    with pytest.raises(ValueError, match="method must be one of"):
        c.eigenenergies(2, method="magic")
    with pytest.raises(ValueError, match="method='sector' needs a uniform cluster"):
        c.eigenenergies(2, method="sector")
    with pytest.raises(ValueError, match="give k"):
        random_two_level(13, 0).eigenenergies(method="sparse")
    with pytest.raises(ValueError, match="k=5 is larger than the dimension 4"):
        TwoLevelCluster.uniform(3, 0.0, 1.0, -1.0).eigenenergies(5)


def test_memory_errors_name_gib():
    big = TwoLevelCluster(np.zeros(36), np.ones(36), np.zeros((36, 36)))
    with pytest.raises(ClusterMemoryError, match=r"GiB.*available"):
        big.eigenenergies(4, method="matrix_free")
    with pytest.raises(ClusterMemoryError, match="dense"):
        random_two_level(17, 0).eigenenergies(4, method="dense")
    # auto refuses before anything is built (no diagonal, no sector parts)
    rng = np.random.default_rng(0)
    disordered = TwoLevelCluster(rng.normal(size=36), np.ones(36), np.zeros((36, 36)))
    with pytest.raises(ClusterMemoryError, match="lanczos"):
        disordered.eigenenergies(4)
    assert "_parts_cache" not in disordered.__dict__
    huge = TwoLevelCluster.uniform(60, 0.0, 1.0, -1.0)
    with pytest.raises(ValueError, match="symmetric sector"):
        huge.eigenenergies(2, method="matrix_free")
    with pytest.warns(RuntimeWarning, match="coherent_doublet"):
        assert huge.eigenenergies(2).shape == (2,)


def test_memory_estimates_scale_as_documented():
    assert solvers.estimate_bytes("dense", _full(1000)) == 3 * 1000**2 * 8
    assert solvers.estimate_bytes("matrix_free", _full(2**20), 4) < solvers.estimate_bytes("sparse", _full(2**20), 4)
    # ARPACK basis of max(2k + 1, 20) + 6 vectors plus the diagonal
    assert solvers.estimate_bytes("matrix_free", _full(2**20), 4) == (26 + 1) * 8 * 2**20
    # the lean Lanczos: diagonal + 2 vectors (+ 5k + 1 with states), plus 64 MiB of interpreter slack
    mib = 2**20
    assert solvers.estimate_bytes("lanczos", _full(2**28), 4) == 3 * 8 * 2**28 + 64 * mib
    assert solvers.estimate_bytes("lanczos", _full(2**20), 4, vectors=True) == (3 + 21) * 8 * 2**20 + 64 * mib
    arpack = solvers.estimate_bytes("matrix_free", _full(2**24), 4)
    assert solvers.estimate_bytes("lanczos", _full(2**24), 4) < arpack / 7
    # all levels of a huge tridiagonal sector need O(D) memory, its eigenvectors O(D^2)
    tri = solvers.Problem(dimension=10**6, nnz_per_row=3, is_complex=False, label="t", csr=lambda: None,
                          tridiagonal=lambda: None)
    assert solvers.estimate_bytes("tridiagonal", tri, None) == 5 * 8 * 10**6
    assert solvers.estimate_bytes("tridiagonal", tri, None, vectors=True) > 8 * 10**12
    assert available_memory_bytes() > 0
    assert format_gib(2 * 1024**3) == "2 GiB"


@pytest.mark.parametrize("method", ["auto", "dense", "matrix_free", "lanczos"])
def test_eigenstates_are_always_numpy_columns(method):
    c = random_two_level(6, 5)
    e, vecs = c.eigenstates(2, method=method)
    assert isinstance(vecs, np.ndarray) and vecs.shape == (64, 2)
    h = c.hamiltonian().full()
    assert np.allclose(h @ vecs, vecs * e, atol=1e-8)
    u = TwoLevelCluster.uniform(5, 0.1, 1.0, -0.3)
    eu, vu = u.eigenstates(2)
    assert isinstance(vu, np.ndarray) and vu.shape == (6, 2)
    kets = u.to_qobj(vu)
    assert len(kets) == 2 and kets[0].dims[0] == [2] * 5 and kets[0].isket
    assert abs((u.hamiltonian() * kets[0] - eu[0] * kets[0]).norm()) < 1e-10
    with pytest.raises(ValueError, match="with 32 rows"):
        u.to_qobj(np.ones((7, 1)))


def test_dipolar_cluster_all_methods_agree():
    """A cluster in a sphere with dipolar couplings: dense, CSR and matrix-free give the same levels."""
    from clusters import dipolar_couplings, random_positions_in_sphere

    n = 9
    rng = np.random.default_rng(8)
    j = dipolar_couplings(random_positions_in_sphere(n, 1.0, seed=8), -0.5)
    c = TwoLevelCluster(rng.normal(scale=0.3, size=n), np.ones(n), j)
    dense = c.eigenenergies(4, method="dense")
    for method in ("sparse", "matrix_free"):
        assert np.allclose(c.eigenenergies(4, method=method), dense, atol=1e-9)


def test_single_blas_thread_restores_setting():
    from threadpoolctl import threadpool_info

    from clusters._threads import single_blas_thread

    def blas_threads():
        return [d["num_threads"] for d in threadpool_info() if d["user_api"] == "blas"]

    before = blas_threads()
    with single_blas_thread():
        assert all(n == 1 for n in blas_threads())
    assert blas_threads() == before


def test_a_new_backend_is_one_registered_function(monkeypatch):
    """Registering one function makes a backend selectable by name, memory-checked and residual-checked."""
    monkeypatch.setattr(solvers, "BACKENDS", dict(solvers.BACKENDS))
    calls = []

    @solvers.register("numpy_eigh", needs="csr", estimate=lambda p, k, vectors: 8.0 * p.dimension**2)
    def _numpy_eigh(problem, k, vectors):
        calls.append(problem.label)
        e, v = np.linalg.eigh(problem.csr().toarray())
        return e[:k], (v[:, :k] if vectors else None)

    c = random_two_level(6, 3)
    assert "numpy_eigh" in solvers.methods()
    assert np.allclose(c.eigenenergies(4, method="numpy_eigh"), c.eigenenergies(4, method="dense"), atol=1e-12)
    assert calls == ["N=6 particles (dimension 2^6 = 64)"]

    @solvers.register("broken", needs="csr", iterative=True, estimate=lambda p, k, vectors: 0.0)
    def _broken(problem, k, vectors):
        e, v = np.linalg.eigh(problem.csr().toarray())
        return e[:k] + 1e-3, v[:, :k]   # wrong energies: the entry point's residual check must catch them

    with pytest.raises(ConvergenceError, match="method='broken'.*residual"):
        c.eigenenergies(3, method="broken")
    with pytest.raises(ValueError, match="needs a tridiagonal form"):
        c.eigenenergies(3, method="tridiagonal")

    @solvers.register("first_choice", needs="csr", estimate=lambda p, k, vectors: 0.0,
                      auto=lambda p, k: p.dimension < 100, before="dense")
    def _first(problem, k, vectors):
        e = np.linalg.eigvalsh(problem.csr().toarray())
        return (e if k is None else e[:k]), None

    assert solvers.methods().index("first_choice") == solvers.methods().index("dense") - 1
    assert solvers.choose_backend(_full(64), 4) == "first_choice"
    assert solvers.choose_backend(_full(200), 4) == "dense"
    with pytest.raises(ValueError, match="name must be"):
        solvers.register("auto", estimate=lambda p, k, vectors: 0.0)
    with pytest.raises(ValueError, match="needs must be one of"):
        solvers.register("x", needs="gpu", estimate=lambda p, k, vectors: 0.0)
    # a backend that does not resolve multiplicities warns on nearly degenerate levels
    @solvers.register("arpack_like", needs="csr", iterative=True, estimate=lambda p, k, vectors: 0.0)
    def _arpack_like(problem, k, vectors):
        e, v = np.linalg.eigh(problem.csr().toarray())
        return e[:k], v[:, :k]

    free = TwoLevelCluster(np.zeros(4), np.ones(4), np.zeros((4, 4)))
    with pytest.warns(RuntimeWarning, match="Lanczos may miss copies"):
        free.eigenenergies(3, method="arpack_like", sectors="none")


@settings(max_examples=10, deadline=None)
@given(n=st.integers(1, 6), seed=st.integers(0, 1000), phi=st.floats(-4.0, 4.0))
def test_norm_bound_bounds_the_spectrum(n, seed, phi):
    from clusters.hamiltonians import norm_bound

    for parts in (two_level_parts(*_arrays2(n, seed)), three_level_parts(*_arrays3(min(n, 4), seed), phi)):
        e = np.linalg.eigvalsh(hamiltonian_csr(*parts).toarray())
        assert np.max(np.abs(e)) <= norm_bound(*parts) * (1 + 1e-12)


def _arrays2(n, seed):
    c = random_two_level(n, seed)
    return c.asymmetries, c.tunnelings, c.couplings


def _arrays3(n, seed):
    c = random_three_level(n, seed, 0.0)
    return c.energies, c.d0s, c.couplings


def test_operator_builders_refuse_mismatched_parts():
    d, h = two_level_parts(np.zeros(3), np.ones(3), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="diag must have length"):
        hamiltonian_csr(d[:-1], h)
    with pytest.raises(ValueError, match="x must have 8 amplitudes"):
        apply_hamiltonian(d, h, np.ones(4))
    with pytest.raises(ValueError, match="diag must have length"):
        apply_hamiltonian(d[:4], h, np.ones(4))
    with pytest.raises(TypeError, match="hoff must be"):
        hamiltonian_csr(d, h[0])
    with pytest.raises(ValueError, match="tunnelings must have shape"):
        two_level_parts(np.zeros(3), np.ones(2), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="couplings must be symmetric"):
        two_level_parts(np.zeros(2), np.ones(2), np.array([[0.0, 1.0], [0.0, 0.0]]))


def test_dense_refuses_a_non_hermitian_matrix():
    """LAPACK's eigh would read one triangle of it silently (issue 13)."""
    import scipy.sparse as sp

    bad = sp.csr_matrix(np.array([[0.0, 1.0], [0.0, 0.0]]))
    problem = solvers.Problem(dimension=2, nnz_per_row=2, is_complex=False, label="a test matrix",
                              csr=lambda: bad)
    with pytest.raises(ValueError, match="not Hermitian"):
        solvers.solve(problem, None, "dense")
    good = solvers.Problem(dimension=2, nnz_per_row=2, is_complex=False, label="ok",
                           csr=lambda: sp.csr_matrix(np.array([[0.0, 1.0], [1.0, 0.0]])))
    assert np.allclose(solvers.solve(good, None, "dense")[0], [-1.0, 1.0])


def test_builders_check_memory_before_allocating():
    from clusters.hamiltonians import configuration_energies

    with pytest.raises(ClusterMemoryError, match="configuration energies"):
        configuration_energies(np.zeros((40, 2)), np.zeros((40, 40)), np.eye(2))
    with pytest.raises(ValueError, match="beyond any memory"):
        configuration_energies(np.zeros((70, 2)), np.zeros((70, 70)), np.eye(2))


def _machine(monkeypatch, tmp_path, *, cpus, affinity, load, quota="max 100000", pool=16):
    """Monkeypatch what clusters._threads reads about the machine."""
    import numba

    from clusters import _threads

    quota_file = tmp_path / "cpu.max"
    quota_file.write_text(quota)
    monkeypatch.setattr(_threads, "CGROUP_CPU_MAX", str(quota_file))
    monkeypatch.setattr(_threads.os, "cpu_count", lambda: cpus)
    monkeypatch.setattr(_threads.os, "sched_getaffinity", lambda pid: set(range(affinity)))
    monkeypatch.setattr(_threads.os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(numba.config, "NUMBA_NUM_THREADS", pool)
    return _threads


@pytest.mark.parametrize("cpus, affinity, load, quota, pool, expected", [
    (2, 2, 1.0, "max 100000", 16, 2),      # quiet 2-core machine (the load is this process): both cores
    (2, 2, 2.0, "max 100000", 16, 1),      # the other core busy: one thread
    (2, 2, 6.0, "max 100000", 16, 1),      # heavily loaded: still at least one
    (16, 16, 5.0, "max 100000", 16, 12),   # 16 cores, 4 busy besides us
    (16, 4, 1.0, "max 100000", 16, 4),     # affinity mask of 4 CPUs
    (16, 16, 1.0, "300000 100000", 16, 3),  # a cgroup quota of 3 CPUs
    (16, 16, 1.0, "max 100000", 2, 2),     # numba's pool is the ceiling
])
def test_thread_count_follows_the_machine(monkeypatch, tmp_path, cpus, affinity, load, quota, pool, expected):
    threads = _machine(monkeypatch, tmp_path, cpus=cpus, affinity=affinity, load=load, quota=quota, pool=pool)
    assert threads.choose_threads(2**22) == expected
    assert threads.choose_threads(2**10) == 1  # small products: one thread whatever the machine


def test_thread_count_without_load_or_quota_information(monkeypatch, tmp_path):
    threads = _machine(monkeypatch, tmp_path, cpus=4, affinity=4, load=0.0, quota="garbage")

    def no_load():
        raise OSError("no load average")

    monkeypatch.setattr(threads.os, "getloadavg", no_load)
    assert threads.usable_cpus() == 4
    assert threads.choose_threads(2**22) == 4


def test_numba_threads_sets_and_restores(monkeypatch, tmp_path):
    import numba

    before = numba.get_num_threads()
    threads = _machine(monkeypatch, tmp_path, cpus=2, affinity=2, load=3.0, pool=numba.config.NUMBA_NUM_THREADS)
    with threads.numba_threads(2**22):
        assert numba.get_num_threads() == 1
    assert numba.get_num_threads() == before
