"""Parity and Z3 sectors against the full space of the tests' own Kronecker products (docs/clusters.md sec. 3)."""

from __future__ import annotations

import numpy as np
import pytest
from cluster_factories import SIGMA_X, fast_two_level, kron_three_level, site

from clusters import ThreeLevelCluster, TwoLevelCluster, random_couplings
from clusters.hamiltonians import hamiltonian_csr
from clusters.kernels import ProductKernel
from clusters.sectors import parity_sectors, z3_sectors


def _parity_cluster(n, seed):
    rng = np.random.default_rng(seed)
    return TwoLevelCluster(np.zeros(n), rng.uniform(0.2, 1.2, n), random_couplings(n, 0.7, seed))


def _z3_cluster(n, seed, phi):
    rng = np.random.default_rng(seed)
    return ThreeLevelCluster(np.zeros((n, 3)), rng.uniform(0.3, 1.2, n), random_couplings(n, 0.7, seed), phi)


def _flip_all(n):
    p = np.eye(1)
    for _ in range(n):
        p = np.kron(p, SIGMA_X)
    return p


def _cyclic_shift(n):
    """T: every particle's well a -> a + 1 (mod 3), as a permutation matrix of the tests' own basis."""
    one = np.roll(np.eye(3), 1, axis=0)
    t = np.eye(1)
    for _ in range(n):
        t = np.kron(t, one)
    return t


@pytest.mark.parametrize("n", [1, 2, 3, 6, 8])
def test_parity_sectors_reproduce_the_full_spectrum_and_states(n):
    c = _parity_cluster(n, n)
    h = fast_two_level(c.asymmetries, c.tunnelings, c.couplings)
    p = _flip_all(n)
    assert np.allclose(h @ p, p @ h)
    sectors = parity_sectors(c.asymmetries, c.tunnelings, c.couplings)
    levels = []
    for s in sectors:
        hs = hamiltonian_csr(s.diag, s.hoff, s.glob).toarray()
        e, v = np.linalg.eigh(hs)
        psi = s.embed(v)
        assert np.allclose(h @ psi, psi * e, atol=1e-11)
        assert np.allclose(p @ psi, s.charge * psi, atol=1e-12)
        x = np.random.default_rng(0).normal(size=hs.shape[0])
        assert np.allclose(ProductKernel(s.diag, s.hoff, s.glob).apply(x), hs @ x, atol=1e-12)
        levels.append(e)
    assert np.allclose(np.sort(np.concatenate(levels)), np.linalg.eigvalsh(h), atol=1e-11)


@pytest.mark.parametrize(("n", "phi"), [(1, 0.0), (2, 0.0), (3, 0.7), (4, 0.0), (4, -1.9), (5, 2.5)])
def test_z3_sectors_reproduce_the_full_spectrum_and_states(n, phi):
    c = _z3_cluster(n, n, phi)
    h = kron_three_level(c.energies, c.d0s, c.couplings, phi)
    t = _cyclic_shift(n)
    assert np.allclose(h @ t, t @ h)
    levels = []
    for s in z3_sectors(c.energies, c.d0s, c.couplings, phi):
        hs = hamiltonian_csr(s.diag, s.hoff, s.glob).toarray()
        assert np.allclose(hs, hs.conj().T)
        e, v = np.linalg.eigh(hs)
        x = np.random.default_rng(1).normal(size=hs.shape[0]) + 0j
        assert np.allclose(ProductKernel(s.diag, s.hoff, s.glob.astype(complex)).apply(x), hs @ x, atol=1e-12)
        for conj in ([False, True] if s.copies == 2 else [False]):
            psi = s.embed(v, conjugate=conj)
            q = (3 - s.charge) % 3 if conj else s.charge
            assert np.allclose(h @ psi, psi * e, atol=1e-11)
            assert np.allclose(t @ psi, np.exp(2j * np.pi * q / 3) * psi, atol=1e-12)
            levels.append(e)
    assert np.allclose(np.sort(np.concatenate(levels)), np.linalg.eigvalsh(h), atol=1e-11)


def test_models_use_sectors_by_default_and_agree_without_them():
    c = _parity_cluster(11, 4)
    h = fast_two_level(c.asymmetries, c.tunnelings, c.couplings)
    ref = np.linalg.eigvalsh(h)[:6]
    for method in ("auto", "lanczos", "dense"):
        assert np.allclose(c.eigenenergies(6, method=method), ref, atol=1e-9)
    assert np.allclose(c.eigenenergies(6, method="lanczos", sectors="none"), ref, atol=1e-9)
    e, v = c.eigenstates(4)
    assert v.shape == (2**11, 4) and np.allclose(h @ v, v * e, atol=1e-7)
    c3 = _z3_cluster(6, 2, 0.0)
    h3 = kron_three_level(c3.energies, c3.d0s, c3.couplings, 0.0)
    ref3 = np.linalg.eigvalsh(h3)[:5]
    with pytest.warns(RuntimeWarning, match="float64 resolution"):  # q = 1, 2 are degenerate at phi = 0
        assert np.allclose(c3.eigenenergies(5), ref3, atol=1e-9)
    e3, v3 = c3.eigenstates(3, method="lanczos")
    assert np.allclose(h3 @ v3, v3 * e3, atol=1e-7)
    with pytest.raises(ValueError, match="sectors must be one of"):
        c.eigenenergies(2, sectors="parity")


def test_coherent_doublet_splitting_is_a_difference_of_sector_ground_levels():
    """Delta = 0, strong ferromagnetic J: |L..L> +- |R..R> lie in P = +1 / -1; the splitting is resolved per sector."""
    n = 8
    c = TwoLevelCluster(np.zeros(n), np.ones(n), -0.3 * (np.ones((n, n)) - np.eye(n)))
    h = fast_two_level(c.asymmetries, c.tunnelings, c.couplings)
    ref = np.linalg.eigvalsh(h)[:2]
    e = c.eigenenergies(2)
    assert e[1] - e[0] == pytest.approx(ref[1] - ref[0], rel=1e-6)
    sectors = parity_sectors(c.asymmetries, c.tunnelings, c.couplings)
    ground = [np.linalg.eigvalsh(hamiltonian_csr(s.diag, s.hoff, s.glob).toarray())[0] for s in sectors]
    assert ground[0] < ground[1]  # the symmetric member is lower (Perron-Frobenius)
    assert ground[1] - ground[0] == pytest.approx(ref[1] - ref[0], rel=1e-6)


def test_sector_builders_refuse_asymmetric_clusters():
    with pytest.raises(ValueError, match="asymmetries must all be zero"):
        parity_sectors([0.1, 0.0], [1.0, 1.0], np.zeros((2, 2)))
    with pytest.raises(ValueError, match="energies must all be zero"):
        z3_sectors([[0.1, -0.1, 0.0]], [1.0], [[0.0]], 0.0)
    with pytest.raises(ValueError, match="couplings must be symmetric"):
        parity_sectors([0.0, 0.0], [1.0, 1.0], [[0.0, 1.0], [0.0, 0.0]])


def test_site_helper_is_the_tests_own():
    """The references above come from tests/cluster_factories.py (numpy.kron), not from clusters."""
    assert np.allclose(site(SIGMA_X, 0, 1), SIGMA_X)
