"""The fused kernels and the lean Lanczos against the tests' own Kronecker references (docs/clusters.md sec. 3)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from cluster_factories import (
    fast_two_level,
    kron_three_level,
    kron_two_level,
    random_three_level,
    random_two_level,
    tensor_two_level_product,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.linalg import LinearOperator, eigsh

from clusters import ThreeLevelCluster, TwoLevelCluster, kernels
from clusters.hamiltonians import SPIN_PAIR, configuration_rows, norm_bound, three_level_parts, two_level_parts
from clusters.kernels import ProductKernel, accumulate, axpy_norm, cache_bytes, row_particles, tile_plan
from clusters.lanczos import lanczos_lowest, lowest_with_locking
from clusters.memory import lean_lanczos_bytes
from clusters.solvers import estimate_bytes

ROOT = Path(__file__).resolve().parent.parent


def _kernel2(c):
    return ProductKernel(*two_level_parts(c.asymmetries, c.tunnelings, c.couplings))


def _kernel3(c):
    return ProductKernel(*three_level_parts(c.energies, c.d0s, c.couplings, c.phi))


@settings(max_examples=12, deadline=None)
@given(n=st.integers(1, 9), seed=st.integers(0, 10_000), a=st.floats(-2, 2), b=st.floats(-2, 2))
def test_fused_two_level_step_matches_kronecker(n, seed, a, b):
    """y <- a H x + b y and <x, y> in one pass, against dense kron (every block size: N = 1 ... 9)."""
    c = random_two_level(n, seed)
    h = kron_two_level(c.asymmetries, c.tunnelings, c.couplings)
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=2**n), rng.normal(size=2**n)
    expected = a * (h @ x) + b * y
    dot = _kernel2(c).step(x, y, a, b, dot=True)
    assert np.allclose(y, expected, atol=1e-12)
    assert dot == pytest.approx(float(x @ expected), abs=1e-10)


@settings(max_examples=8, deadline=None)
@given(n=st.integers(1, 5), seed=st.integers(0, 10_000), phi=st.floats(-4, 4))
def test_fused_three_level_step_matches_kronecker(n, seed, phi):
    c = random_three_level(n, seed, phi)
    h = kron_three_level(c.energies, c.d0s, c.couplings, phi)
    rng = np.random.default_rng(seed)
    kernel = _kernel3(c)
    x = rng.normal(size=3**n) + (1j * rng.normal(size=3**n) if kernel.dtype.kind == "c" else 0.0)
    y = rng.normal(size=3**n).astype(kernel.dtype)
    expected = 0.5 * (h @ x) - 0.25 * y
    dot = kernel.step(x, y, 0.5, -0.25, dot=True)
    assert np.allclose(y, expected, atol=1e-12)
    assert dot == pytest.approx(float(np.vdot(x, expected).real), abs=1e-10)


@pytest.mark.parametrize("n", [11, 12, 14, 17, 18])
def test_large_two_level_product_matches_tensor_reference(n):
    """N >= 11 crosses the kernel's block size (2^11): against the tests' own N-axis tensor product (0-7 bits above
    the block: every grouping of the high bits, four, two and one per pass)."""
    c = random_two_level(n, 4)
    x = np.random.default_rng(1).normal(size=2**n)
    ref = tensor_two_level_product(c.asymmetries, c.tunnelings, c.couplings, x)
    assert np.allclose(_kernel2(c).apply(x), ref, atol=1e-10)


@pytest.mark.parametrize("b", [0.0, -0.3])
@pytest.mark.parametrize("n", [3, 4, 5, 6, 12])
def test_first_pass_edges_and_update_match_tensor_reference(n, b):
    """The block's first loop (diagonal, update b y and bits 0-2 from shifted views, edge groups one at a time):
    blocks of 8, 16, 32, 64 and 2^11 amplitudes, with and without the update, against the tests' own product."""
    c = random_two_level(n, 11)
    rng = np.random.default_rng(n)
    x, y = rng.normal(size=2**n), rng.normal(size=2**n)
    expected = 0.8 * tensor_two_level_product(c.asymmetries, c.tunnelings, c.couplings, x) + b * y
    dot = _kernel2(c).step(x, y, 0.8, b, dot=True)
    assert np.allclose(y, expected, atol=1e-10)
    assert dot == pytest.approx(float(x @ expected), rel=1e-12, abs=1e-9)


@pytest.mark.parametrize("n", [3, 5, 11, 12, 14])
def test_kernel_building_its_diagonal_from_rows_matches_tensor_reference(n):
    """Row tables instead of a stored diagonal (each block builds its own): update, flip-free product and dot
    against the tests' own tensor product; no diagonal is stored."""
    c = random_two_level(n, 21)
    _, hoff = two_level_parts(c.asymmetries, c.tunnelings, c.couplings)
    wells = np.stack([0.5 * np.asarray(c.asymmetries), -0.5 * np.asarray(c.asymmetries)], axis=1)
    kernel = ProductKernel(configuration_rows(wells, c.couplings, SPIN_PAIR, row_particles(n)), hoff)
    assert kernel.diag is None and kernel.rows is not None
    rng = np.random.default_rng(n)
    x, y = rng.normal(size=2**n), rng.normal(size=2**n)
    expected = 1.3 * tensor_two_level_product(c.asymmetries, c.tunnelings, c.couplings, x) - 0.4 * y
    dot = kernel.step(x, y, 1.3, -0.4, dot=True)
    assert np.allclose(y, expected, atol=1e-10)
    assert dot == pytest.approx(float(x @ expected), rel=1e-12, abs=1e-9)
    tiled = ProductKernel(configuration_rows(wells, c.couplings, SPIN_PAIR, row_particles(n)), hoff, cache=2**12)
    if tiled.tile:  # the two-pass form reads a stored diagonal: the rows are built once for it
        assert tiled.diag is not None and tiled.rows is None


@pytest.mark.contract
def test_row_tables_that_do_not_fit_the_hoppings_are_refused():
    """Tables of another size, or a damaged table, are refused by name before any compiled loop."""
    c = random_two_level(6, 2)
    _, hoff = two_level_parts(c.asymmetries, c.tunnelings, c.couplings)
    wells = np.zeros((6, 2))
    rows = configuration_rows(wells, c.couplings, SPIN_PAIR, 3)
    with pytest.raises(ValueError, match="low"):
        ProductKernel(rows._replace(low=rows.low[:4]), hoff)
    with pytest.raises(ValueError, match="n=5"):
        ProductKernel(rows, hoff[:5])
    with pytest.raises(ValueError, match="low"):
        norm_bound(rows._replace(low=rows.low[:4]), hoff)


def test_solve_through_row_tables_matches_dense_levels(monkeypatch):
    """A full 2LS solve whose kernel builds its diagonal from rows (threshold lowered to N = 12): the same levels as
    ARPACK on the tests' own tensor product, and a memory estimate without the stored diagonal."""
    monkeypatch.setattr(kernels, "ROWS_MIN_DIM", 2**10)
    c = random_two_level(12, 5)
    problem = c._full_problem()
    assert not problem.stored_diagonal and problem.kernel().diag is None
    op = LinearOperator((2**12, 2**12), dtype=float, matvec=lambda v: tensor_two_level_product(
        c.asymmetries, c.tunnelings, c.couplings, np.ravel(v)))
    reference = np.sort(eigsh(op, k=4, which="SA", tol=1e-12, return_eigenvectors=False))
    assert np.allclose(c.eigenenergies(4, method="lanczos"), reference, atol=1e-9)
    assert estimate_bytes("lanczos", problem, 4) == lean_lanczos_bytes(2**12, 4, diagonal=False)


@settings(max_examples=10, deadline=None)
@given(n=st.integers(11, 20), seed=st.integers(0, 10_000), flip=st.sampled_from([0.0, 0.6]),
       cache=st.sampled_from([2**12, 2**14, 2**16]))
def test_two_pass_tiled_product_matches_one_pass(n, seed, flip, cache):
    """The two-pass tiling (a tiny cache forces every split of low and high bits) against the one-pass kernel,
    the parity-sector flip included; product, update and dot product."""
    rng = np.random.default_rng(seed)
    hoff = np.zeros((n, 2, 2))
    hoff[:, 0, 1] = hoff[:, 1, 0] = rng.normal(size=n)
    diag, glob = rng.normal(size=2**n), np.array([0.0, flip])
    tiled, plain = ProductKernel(diag, hoff, glob, cache=cache), ProductKernel(diag, hoff, glob)
    assert tiled.tile > 0 and plain.tile == 0
    x, y0 = rng.normal(size=2**n), rng.normal(size=2**n)
    y1, y2 = y0.copy(), y0.copy()
    d1 = plain.step(x, y1, 0.7, -0.4, dot=True)
    d2 = tiled.step(x, y2, 0.7, -0.4, dot=True)
    assert np.allclose(y2, y1, atol=1e-12)
    assert d2 == pytest.approx(d1, rel=1e-12, abs=1e-9)


@pytest.mark.parametrize("n", [12, 15])
def test_tiled_product_matches_tensor_reference(n):
    """The tiled product against the tests' own N-axis tensor product (independent of both kernels)."""
    c = random_two_level(n, 5)
    x = np.random.default_rng(2).normal(size=2**n)
    ref = tensor_two_level_product(c.asymmetries, c.tunnelings, c.couplings, x)
    kernel = ProductKernel(*two_level_parts(c.asymmetries, c.tunnelings, c.couplings), cache=2**13)
    assert kernel.tile > 0
    assert np.allclose(kernel.apply(x), ref, atol=1e-10)


def test_tile_plan_fits_the_cache():
    """Half the cache holds a tile (2^high rows x width columns); small spaces and big caches: one pass."""
    assert tile_plan(10, 2**20) == (10, 0)
    assert tile_plan(3, 16) == (3, 0)
    for n in range(6, 30):
        for cache in (2**12, 2**15, 2**20):
            low, width = tile_plan(n, cache)
            if width:
                assert 3 <= low < n and 8 <= width <= 2**low
                assert 2 ** (n - low) * width * 8 <= cache // 2 or width == 8 and n - low == 1
    with pytest.raises(ValueError, match="cache"):
        tile_plan(20, 0)


def test_cache_bytes_reads_a_sane_size():
    assert 2**14 <= cache_bytes() <= 2**30


def test_kernels_check_sizes_before_compiled_loops():
    c = random_two_level(4, 1)
    k = _kernel2(c)
    with pytest.raises(ValueError, match="x must be a 1-D numpy array of 16"):
        k.step(np.ones(8), np.ones(16))
    with pytest.raises(ValueError, match="y must be a 1-D numpy array of 16"):
        k.step(np.ones(16), np.ones(32))
    with pytest.raises(TypeError, match="x must be a contiguous float64"):
        k.step(np.ones(16, dtype=complex), np.ones(16))
    with pytest.raises(TypeError, match="contiguous"):
        k.step(np.ones(32)[::2], np.ones(16))
    buf = np.ones(16)
    with pytest.raises(ValueError, match="must not overlap"):
        k.step(buf, buf)
    d, h = two_level_parts(c.asymmetries, c.tunnelings, c.couplings)
    with pytest.raises(ValueError, match="diag must be a 1-D array of length"):
        ProductKernel(d[:8], h)
    with pytest.raises(TypeError, match="hoff must be"):
        ProductKernel(d, h[0])
    with pytest.raises(ValueError, match="glob must have shape"):
        ProductKernel(d, h, np.ones(3))
    with pytest.raises(ValueError, match="same length|one length"):
        axpy_norm(np.ones(4), np.ones(5), 1.0)
    with pytest.raises(ValueError, match="coefs must have shape"):
        accumulate(np.zeros((2, 4)), np.ones(4), np.ones(3))


def _dense(h, k):
    return np.linalg.eigvalsh(h)[:k]


@pytest.mark.parametrize("n, seed", [(9, 1), (10, 2), (10, 3)])
def test_lanczos_levels_match_dense_kronecker(n, seed):
    c = random_two_level(n, seed)
    ref = _dense(fast_two_level(c.asymmetries, c.tunnelings, c.couplings), 6)
    assert np.allclose(c.eigenenergies(6, method="lanczos"), ref, atol=1e-9)


@pytest.mark.parametrize("phi", [0.0, 0.9])
def test_lanczos_three_level_in_a_field_matches_dense(phi):
    c = random_three_level(6, 5, phi)
    h = kron_three_level(c.energies, c.d0s, c.couplings, phi)
    e, v = c.eigenstates(4, method="lanczos")
    assert np.allclose(e, _dense(h, 4), atol=1e-9)
    assert np.allclose(h @ v, v * e, atol=1e-7)
    assert np.allclose(v.conj().T @ v, np.eye(4), atol=1e-8)


def test_two_pass_states_are_orthonormal_eigenvectors():
    c = random_two_level(10, 8)
    h = fast_two_level(c.asymmetries, c.tunnelings, c.couplings)
    e, v = c.eigenstates(5, method="lanczos")
    assert v.shape == (1024, 5)
    assert np.allclose(v.T @ v, np.eye(5), atol=1e-8)
    assert np.max(np.abs(h @ v - v * e)) < 1e-7


def test_ghost_copies_are_merged_and_spurious_values_dropped():
    """Far past convergence (tol = 0: no level counts as converged while simple) every level gets a ghost copy.

    The run stops only once each of the 6 lowest levels is a merged multiple (bound 0), with no duplicate
    and no spurious value among the levels returned.
    """
    c = random_two_level(10, 6)
    parts = two_level_parts(c.asymmetries, c.tunnelings, c.couplings)
    k, scale = ProductKernel(*parts), norm_bound(*parts)
    res = lanczos_lowest(k, 6, tol=0.0, merge_tol=1e-11 * scale, max_steps=2000)
    assert res.converged and np.all(res.bounds == 0.0) and res.steps < 2000
    assert np.all(np.diff(res.energies) > 1e-6)
    ref = _dense(fast_two_level(c.asymmetries, c.tunnelings, c.couplings), 6)
    assert np.allclose(res.energies, ref, atol=1e-9)


@pytest.mark.parametrize("n, seed", [(11, 1), (12, 7)])
def test_gap_bound_stops_earlier_with_the_same_energies(n, seed):
    """Energies alone: the gap bound r^2 / delta (Kato-Temple) stops no later than the residual bound, and the
    energies stay within the bound it reports of the dense levels."""
    c = random_two_level(n, seed)
    parts = two_level_parts(c.asymmetries, c.tunnelings, c.couplings)
    k, scale = ProductKernel(*parts), norm_bound(*parts)
    ref = _dense(fast_two_level(c.asymmetries, c.tunnelings, c.couplings), 4)
    plain = lanczos_lowest(k, 4, tol=1e-9 * scale, merge_tol=1e-11 * scale)
    gap = lanczos_lowest(k, 4, tol=1e-9 * scale, merge_tol=1e-11 * scale, energy_tol=1e-12 * scale)
    assert gap.converged and gap.steps <= plain.steps
    assert np.all(np.abs(gap.energies - ref) <= np.maximum(gap.bounds, 0.0) + 1e-12 * scale)
    assert np.allclose(gap.energies, ref, atol=1e-10)
    # with states the residual bound alone decides (the energy bound says nothing about the vectors)
    with_states = lanczos_lowest(k, 4, tol=1e-9 * scale, merge_tol=1e-11 * scale, energy_tol=1e10, vectors=True)
    assert with_states.steps == plain.steps


def test_convergence_test_cadence_follows_the_cost_model():
    """Every step or few on large spaces, up to j/4 on small ones; always forward."""
    from clusters.lanczos import _next_check

    for dim, n in [(2**10, 10), (2**12, 12), (2**20, 20), (2**26, 26)]:
        for j in (0, 5, 40, 300, 5000):
            nxt = _next_check(j, dim, n, 16)
            assert j + 1 <= nxt <= j + max(10, j // 4)
    assert _next_check(100, 2**26, 26, 16) == 101
    assert _next_check(100, 2**12, 12, 16) == 125


def test_degenerate_levels_get_their_multiplicities():
    """Identical particles, J = 0: the first excited level is N-fold degenerate; locking finds every copy."""
    n = 10
    c = TwoLevelCluster(np.full(n, 0.3), np.ones(n), np.zeros((n, n)))
    levels = np.linalg.eigvalsh(fast_two_level(c.asymmetries, c.tunnelings, c.couplings))
    ref = levels[:8]
    with pytest.warns(RuntimeWarning, match="float64 resolution"):
        e = c.eigenenergies(8, method="lanczos")
    assert np.allclose(e, ref, atol=1e-9)
    # a single run sees each level once; the locked runs add the copies
    k = _kernel2(c)
    single = lanczos_lowest(k, 3, tol=1e-9, merge_tol=1e-10)
    assert np.allclose(single.energies, np.unique(np.round(levels, 8))[:3], atol=1e-8)
    locked = lowest_with_locking(k, 8, tol=1e-9, merge_tol=1e-10)
    assert np.allclose(locked.energies, ref, atol=1e-9)
    assert np.allclose(locked.vectors.conj() @ locked.vectors.T, np.eye(8), atol=1e-8)


def test_degenerate_three_level_uniform_full_space():
    c = ThreeLevelCluster.uniform(5, [0.2, -0.1, -0.1], 0.8, -0.3, phi=0.4)
    ref = _dense(kron_three_level(c.energies, c.d0s, c.couplings, 0.4), 6)
    with pytest.warns(RuntimeWarning):
        assert np.allclose(c.eigenenergies(6, method="lanczos"), ref, atol=1e-9)


_RSS_SCRIPT = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, {root!r})
    import numpy as np
    from clusters import TwoLevelCluster, random_couplings
    from clusters.solvers import estimate_bytes
    def cluster(n):
        rng = np.random.default_rng(3)
        return TwoLevelCluster(rng.uniform(-1, 1, n), rng.uniform(0.1, 1, n), random_couplings(n, 0.3, rng))
    cluster(12).eigenstates(2, method="lanczos")     # compile the kernels before the baseline
    cluster(18).eigenstates(2, method="lanczos")     # and start the numba thread pool (2^18 states and more)
    def status(field):
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith(field))
    with open("/proc/self/clear_refs", "w") as f:    # reset the peak (the peak of compiling is not ours)
        f.write("5")
    base = status("VmRSS:")
    c = cluster({n})
    problem = c._full_problem()
    est = estimate_bytes("lanczos", problem, 3, vectors={vectors})
    if {vectors}:
        c.eigenstates(3, method="lanczos")
    else:
        c.eigenenergies(3, method="lanczos")
    print(json.dumps({{"estimate": est, "measured": status("VmHWM:") - base}}))
""")


@pytest.mark.parametrize("vectors", [False, True])
def test_memory_estimate_bounds_measured_peak_rss(vectors):
    """The registered estimate bounds the measured peak RSS, and not loosely (N = 21, 16 MiB a vector)."""
    code = _RSS_SCRIPT.format(root=str(ROOT), n=21, vectors=vectors)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300,
                         env={"OPENBLAS_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    r = json.loads(out.stdout.strip().splitlines()[-1])
    assert r["measured"] <= r["estimate"]
    assert r["estimate"] <= 2.0 * r["measured"] + 64 * 2**20


def test_levels_are_found_far_past_convergence(monkeypatch):
    """A first convergence test far past convergence (ghost copies of the converged levels crowd the lowest Ritz
    values) still finds all k levels; reference: eigvalsh of the tests' own Kronecker Hamiltonian.

    Regression: an N = 12 ensemble cluster tested first after ~400 steps found 1 of 6 levels and ran to the step
    limit, because a fixed window of 2k + 4 Ritz values held only ghost copies of the ground level.
    """
    import clusters.lanczos as lanczos

    rng = np.random.default_rng(5)
    n = 8
    asym, tun = rng.uniform(-1, 1, n), np.exp(rng.uniform(np.log(1e-3), 0, n))
    j = np.triu(rng.normal(0, 1.0, (n, n)), 1)
    j = j + j.T
    exact = np.linalg.eigvalsh(kron_two_level(asym, tun, j))[:6]
    kernel = ProductKernel(*two_level_parts(asym, tun, j))
    scale = norm_bound(*two_level_parts(asym, tun, j)[:2])
    monkeypatch.setattr(lanczos, "_next_check", lambda step, *args: max(step + 1, 1200))  # first test at 1200
    res = lanczos_lowest(kernel, 6, tol=1e-10 * scale, merge_tol=1e-9 * scale, max_steps=3000)
    assert res.converged and res.steps == 1200
    np.testing.assert_allclose(res.energies, exact, atol=1e-9 * scale)


@pytest.mark.parametrize("keep", [None, 20])
def test_kept_vectors_give_the_states_of_the_second_pass(keep):
    """States from the kept Lanczos vectors (all kept, or a cap of 20 vectors passed mid-run: the second pass
    again) equal those regenerated by the second pass to rounding, and are eigenvectors of the dense matrix."""
    from clusters.kept import reuse_kept_memory

    c = random_two_level(10, 5)
    parts = two_level_parts(c.asymmetries, c.tunnelings, c.couplings)
    k, scale = ProductKernel(*parts), norm_bound(*parts)
    cap = None if keep is None else keep * 8.0 * 2**10
    with reuse_kept_memory():  # the default budget applies inside an ensemble-like block only
        kept = lanczos_lowest(k, 4, tol=1e-10 * scale, merge_tol=1e-11 * scale, vectors=True, keep_bytes=cap)
        twice = lanczos_lowest(k, 4, tol=1e-10 * scale, merge_tol=1e-11 * scale, vectors=True, keep_bytes=cap)
    assert np.array_equal(kept.vectors, twice.vectors)  # the reused memory changes nothing
    again = lanczos_lowest(k, 4, tol=1e-10 * scale, merge_tol=1e-11 * scale, vectors=True, keep_bytes=0)
    assert kept.steps == again.steps > 20
    assert np.allclose(kept.vectors, again.vectors, rtol=0, atol=1e-12)
    assert np.array_equal(kept.energies, again.energies)
    h = fast_two_level(c.asymmetries, c.tunnelings, c.couplings)
    h = h.toarray() if hasattr(h, "toarray") else np.asarray(h)
    for e, v in zip(kept.energies, kept.vectors):
        assert np.linalg.norm(h @ v - e * v) < 1e-8 * scale



def test_sturm_counts_match_the_eigenvalues_of_the_tridiagonal_matrix():
    """The Cullum-Willoughby test's Sturm counts against numpy's eigvalsh of the same dense tridiagonal matrix."""
    from clusters.lanczos import _count_below, _count_within

    rng = np.random.default_rng(4)
    a, b = rng.normal(size=40), rng.uniform(0.1, 1.0, 39)
    ev = np.linalg.eigvalsh(np.diag(a) + np.diag(b, 1) + np.diag(b, -1))
    for x in np.concatenate([rng.uniform(-4, 4, 50), ev + 1e-9, ev - 1e-9]):
        assert _count_below(a, b * b, x) == int(np.sum(ev < x))
    assert _count_within(a, b * b, ev[3], 1e-9) == 1
    assert _count_within(a, b * b, 0.5 * (ev[3] + ev[4]), 0.4 * (ev[4] - ev[3])) == 0


def test_a_one_off_solve_keeps_nothing_and_a_block_reuses_its_memory():
    """Outside reuse_kept_memory no vector is kept (the second pass); inside, the kept chunk goes back to the pool
    and the next solve writes into the same memory (no new chunk)."""
    import clusters.kept as kept_mod

    c = random_two_level(9, 2)
    kernel = _kernel2(c)
    assert kept_mod.keeper(kernel, True, None) is None
    seen = []
    with kept_mod.reuse_kept_memory():
        keeper = kept_mod.keeper(kernel, True, None)
        assert keeper is not None and keeper.cap >= 2**9 * 8
        for _ in range(2):
            lanczos_lowest(kernel, 3, tol=1e-10, merge_tol=1e-11, vectors=True)
            seen.append([id(chunk) for chunks in kept_mod._LOCAL.pool.values() for chunk in chunks])
    assert len(seen[0]) == 1 and seen[1] == seen[0]  # one chunk holds every vector; reused, not renewed
    assert getattr(kept_mod._LOCAL, "pool", None) is None  # freed with the block
