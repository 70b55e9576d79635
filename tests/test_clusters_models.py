"""Cluster Hamiltonians against the tests' own Kronecker products of one-site operators (docs/theory.md sec. 3)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from cluster_factories import kron_three_level, kron_two_level, random_three_level, random_two_level
from hypothesis import given, settings
from hypothesis import strategies as st

from clusters import ThreeLevelCluster, TwoLevelCluster, uniform_couplings
from clusters.memory import ClusterMemoryError


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 5), seed=st.integers(0, 10_000))
def test_two_level_hamiltonian_matches_tensor_construction(n, seed):
    c = random_two_level(n, seed)
    h = c.hamiltonian()
    ref = kron_two_level(c.asymmetries, c.tunnelings, c.couplings)
    assert h.dims == [[2] * n, [2] * n]
    assert np.max(np.abs(h.full() - ref)) < 1e-12
    assert h.isherm


@settings(max_examples=10, deadline=None)
@given(n=st.integers(1, 4), seed=st.integers(0, 10_000), phi=st.floats(-7.0, 7.0))
def test_three_level_hamiltonian_matches_tensor_construction(n, seed, phi):
    c = random_three_level(n, seed, phi)
    h = c.hamiltonian()
    ref = kron_three_level(c.energies, c.d0s, c.couplings, phi)
    assert h.dims == [[3] * n, [3] * n]
    assert np.max(np.abs(h.full() - ref)) < 1e-12
    full = h.full()
    assert np.allclose(full, full.conj().T, atol=1e-14)


def test_single_three_level_matches_foundation():
    """One particle: the foundation's tunnelsim.three_level Qobj (docs/theory.md sec. 1.2)."""
    import tunnelsim

    e = np.array([0.3, -0.5, 0.2])
    c = ThreeLevelCluster(e[None, :], [0.9], [[0.0]], phi=1.1)
    assert (c.hamiltonian() - tunnelsim.three_level(e, 0.9, 1.1)).norm("max") < 1e-12


def test_non_interacting_two_level_levels_are_sums_of_single_levels():
    """J = 0: every level is sum_i +-E_i/2 with E_i = sqrt(Delta_i^2 + Delta0_i^2)."""
    rng = np.random.default_rng(3)
    n = 5
    asym, tun = rng.normal(size=n), rng.uniform(0.2, 1.0, n)
    c = TwoLevelCluster(asym, tun, np.zeros((n, n)))
    e = np.sqrt(asym**2 + tun**2)
    sums = np.sort([0.5 * np.dot(s, e) for s in itertools.product((-1, 1), repeat=n)])
    assert np.allclose(c.eigenenergies(method="dense"), sums, atol=1e-12)


def _viete(e, d0, phi):
    """docs/theory.md sec. 1.2, paper eq. 7 (written out independently of the package)."""
    p = 3 * d0**2 + 0.5 * np.sum(np.square(e))
    q = np.prod(e) + 2 * d0**3 * np.cos(phi)
    arg = np.clip(1.5 * q / p * np.sqrt(3 / p), -1, 1)
    return np.sort([2 * np.sqrt(p / 3) * np.cos(np.arccos(arg) / 3 - 2 * np.pi * k / 3) for k in range(3)])


def test_non_interacting_three_level_levels_are_sums_of_viete_levels():
    rng = np.random.default_rng(4)
    n, phi = 4, 0.8
    e = rng.normal(scale=0.4, size=(n, 3))
    e -= e.mean(axis=1, keepdims=True)
    d0 = rng.uniform(0.5, 1.2, n)
    c = ThreeLevelCluster(e, d0, np.zeros((n, n)), phi)
    single = [_viete(e[i], d0[i], phi) for i in range(n)]
    sums = np.sort([sum(levels) for levels in itertools.product(*single)])
    assert np.allclose(c.eigenenergies(method="dense"), sums, atol=1e-10)


def test_uniform_stores_full_arrays():
    c = TwoLevelCluster.uniform(5, 0.2, 1.0, -0.5)
    assert c.is_uniform and c.n == 5
    assert np.allclose(c.asymmetries, 0.2) and np.allclose(c.tunnelings, 1.0)
    assert np.allclose(c.couplings, uniform_couplings(5, -0.5))
    c3 = ThreeLevelCluster.uniform(4, [0.1, -0.3, 0.2], 1.0, -0.5, phi=0.3)
    assert c3.energies.shape == (4, 3) and c3.d0s.shape == (4,) and c3.phi == 0.3 and c3.is_uniform
    assert not random_two_level(3, 1).is_uniform


# ----------------------------------------------------------------------------- bad input
def test_bad_two_level_input():
    with pytest.raises(ValueError, match="tunnelings must have shape"):
        TwoLevelCluster([0.0, 1.0], [1.0], np.zeros((2, 2)))
    with pytest.raises(ValueError, match="couplings must be symmetric"):
        TwoLevelCluster([0.0, 1.0], [1.0, 1.0], [[0.0, 1.0], [2.0, 0.0]])
    with pytest.raises(ValueError, match="couplings must have a zero diagonal"):
        TwoLevelCluster([0.0, 1.0], [1.0, 1.0], [[1.0, 1.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="couplings must have shape"):
        TwoLevelCluster([0.0, 1.0], [1.0, 1.0], np.zeros((3, 3)))
    with pytest.raises(ValueError, match="tunnelings must be >= 0"):
        TwoLevelCluster([0.0], [-1.0], [[0.0]])
    with pytest.raises(ValueError, match="asymmetries must be finite"):
        TwoLevelCluster([np.nan], [1.0], [[0.0]])
    with pytest.raises(ValueError, match="n must be >= 1"):
        TwoLevelCluster.uniform(0, 0.0, 1.0, -1.0)
    with pytest.raises(TypeError, match="n must be an integer"):
        TwoLevelCluster.uniform(2.5, 0.0, 1.0, -1.0)


def test_bad_three_level_input():
    with pytest.raises(ValueError, match=r"energies must sum to zero.*0\.6.*row 1"):
        ThreeLevelCluster([[0.0, 0.0, 0.0], [0.1, 0.2, 0.3]], [1.0, 1.0], np.zeros((2, 2)))
    with pytest.raises(ValueError, match="d0s must be > 0"):
        ThreeLevelCluster([[0.0, 0.0, 0.0]], [0.0], [[0.0]])
    with pytest.raises(ValueError, match="energies must have shape"):
        ThreeLevelCluster([[0.0, 0.0]], [1.0], [[0.0]])
    with pytest.raises(ValueError, match="d0s must have shape"):
        ThreeLevelCluster([[0.0, 0.0, 0.0]], [1.0, 2.0], [[0.0]])
    with pytest.raises(ValueError, match="d0 must be > 0"):
        ThreeLevelCluster.uniform(3, [0.0, 0.0, 0.0], -1.0, 0.0)
    with pytest.raises(ValueError, match="energies must sum to zero"):
        ThreeLevelCluster.uniform(3, [1.0, 0.0, 0.0], 1.0, 0.0)
    with pytest.raises(TypeError, match="phi must be"):
        ThreeLevelCluster([[0.0, 0.0, 0.0]], [1.0], [[0.0]], phi=[1.0, 2.0])


def test_hamiltonian_refuses_large_sizes_naming_memory():
    c = TwoLevelCluster.uniform(30, 0.0, 1.0, -1.0)
    with pytest.raises(ClusterMemoryError, match=r"hamiltonian\(\).*GiB"):
        c.hamiltonian()
    small = random_two_level(8, 0)
    with pytest.raises(MemoryError, match="GiB"):
        small.hamiltonian(max_bytes=1000)


def test_uniform_clusters_keep_their_scalars():
    """No N x N array (nor per-particle array) until something asks for it (issue 13)."""
    c = TwoLevelCluster.uniform(20_000, 0.0, 1.0, -0.01)
    assert c._couplings is None and c._asymmetries is None
    e = c.eigenenergies(3, method="sector")
    assert e.shape == (3,) and c._couplings is None
    c3 = ThreeLevelCluster.uniform(5000, [0.0, 0.0, 0.0], 1.0, -0.01)
    assert c3._couplings is None and c3._energies is None and c3.sector_dimension == 5001 * 5002 // 2
    small = TwoLevelCluster.uniform(4, 0.1, 1.0, -0.3)
    assert np.array_equal(small.couplings, uniform_couplings(4, -0.3))  # built on access
    with pytest.raises(ClusterMemoryError, match="coupling matrix"):
        TwoLevelCluster.uniform(10**7, 0.0, 1.0, -0.01).couplings  # noqa: B018


def test_unresolved_gap_warns_and_names_the_extended_precision_route():
    """A uniform cluster's coherent splitting (~1e-550 K here) is below float64: warned (issue 12)."""
    c = TwoLevelCluster.uniform(1000, 0.0, 1.0, -1.0)
    with pytest.warns(RuntimeWarning, match=r"float64 resolution.*coherent_doublet\(cluster\)"):
        c.eigenenergies(2)
    resolved = TwoLevelCluster.uniform(4, 0.0, 1.0, -0.1)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.diff(resolved.eigenenergies(2))[0] > 1e-3


def test_huge_n_is_refused_before_computing_d_to_the_n():
    c = TwoLevelCluster.uniform(10**9, 0.0, 1.0, -0.01)
    with pytest.raises(ValueError, match="far beyond any memory"):
        c.eigenenergies(2, method="lanczos")
    with pytest.raises(ValueError, match="far beyond any memory"):
        c.hamiltonian()
    with pytest.raises(ValueError, match="more than 3000 digits"):
        c.dimension  # noqa: B018
