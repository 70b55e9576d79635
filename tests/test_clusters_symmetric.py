"""Symmetric sectors of uniform clusters against the full space; the bases' index maps (docs/theory.md sec. 3)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from clusters import ThreeLevelCluster, TwoLevelCluster, embed_symmetric_state
from clusters.bases import ProductBasis, SymmetricSector, symmetric_isometry
from clusters.hamiltonians import three_level_sector_hamiltonian, two_level_sector_hamiltonian


def _is_subset(sector: np.ndarray, full: np.ndarray, tol: float = 1e-9) -> bool:
    return all(np.min(np.abs(full - e)) < tol for e in sector)


@pytest.mark.parametrize("n", [1, 2, 5, 8])
def test_two_level_sector_is_projected_full_hamiltonian(n):
    c = TwoLevelCluster.uniform(n, 0.37, 0.9, -0.6)
    full = c.hamiltonian().full()
    v = symmetric_isometry(n, 2).toarray()
    assert np.allclose(v.T @ v, np.eye(n + 1))
    # P H P restricted to the symmetric subspace equals the sector matrix
    assert np.allclose(v.T @ full @ v, c.sector_hamiltonian().toarray(), atol=1e-12)
    # the symmetric subspace is invariant: H V = V (V^T H V)
    assert np.allclose(full @ v, v @ (v.T @ full @ v), atol=1e-12)
    sector = c.eigenenergies()
    assert sector.shape == (n + 1,)
    assert _is_subset(sector, np.linalg.eigvalsh(full))


@pytest.mark.parametrize(("n", "phi"), [(1, 0.0), (3, 0.0), (4, 1.7), (5, -0.4)])
def test_three_level_sector_is_projected_full_hamiltonian(n, phi):
    c = ThreeLevelCluster.uniform(n, [0.3, -0.5, 0.2], 1.1, -0.45, phi)
    full = c.hamiltonian().full()
    v = symmetric_isometry(n, 3).toarray()
    assert np.allclose(v.T @ v, np.eye((n + 1) * (n + 2) // 2))
    hs = c.sector_hamiltonian().toarray()
    assert np.allclose(v.T @ full @ v, hs, atol=1e-12)
    assert np.allclose(full @ v, v @ hs, atol=1e-12)
    assert _is_subset(c.eigenenergies(), np.linalg.eigvalsh(full))


def test_ferromagnetic_ground_state_lies_in_symmetric_sector():
    """For J < 0 (and Delta0 > 0) the lowest full-space level is symmetric (Perron-Frobenius)."""
    c = TwoLevelCluster.uniform(7, 0.2, 1.0, -0.3)
    assert abs(c.eigenenergies(1)[0] - c.eigenenergies(1, method="dense")[0]) < 1e-10


def test_three_level_basis_order_and_index():
    sector = SymmetricSector(3, 3)
    states = sector.occupations()
    assert states[:4].tolist() == [[3, 0, 0], [2, 1, 0], [2, 0, 1], [1, 2, 0]]
    assert np.all(states.sum(axis=1) == 3)
    assert np.array_equal(sector.index(states), np.arange(len(states)))
    assert [sector.coherent_state(a) for a in range(3)] == [0, 6, 9]
    assert sector.dimension == 10 == len(states)


def test_embedding_of_sector_eigenstates():
    c = TwoLevelCluster.uniform(6, 0.1, 1.0, -0.8)
    e, vecs = c.eigenstates(3)
    assert vecs.shape == (7, 3)
    full = c.hamiltonian().full()
    psi = embed_symmetric_state(vecs, 6)
    assert psi.shape == (64, 3)
    assert np.allclose(full @ psi, psi * e, atol=1e-10)
    # m = 0 is |L...L> (basis state 0), m = N is |R...R> (last basis state)
    assert embed_symmetric_state(np.eye(7)[0], 6)[0] == 1.0
    assert embed_symmetric_state(np.eye(7)[6], 6)[-1] == 1.0
    c3 = ThreeLevelCluster.uniform(3, [0.0, 0.0, 0.0], 1.0, -0.5, 0.6)
    e3, v3 = c3.eigenstates(2)
    psi3 = embed_symmetric_state(v3, 3, local_dim=3)
    assert np.allclose(c3.hamiltonian().full() @ psi3, psi3 * e3, atol=1e-10)
    with pytest.raises(ValueError, match="vec must have 7 rows"):
        embed_symmetric_state(np.ones(5), 6)
    with pytest.raises(ValueError, match="too large to embed"):
        embed_symmetric_state(np.ones(31), 30)


def test_two_level_thousand_free_spins():
    """N = 1000, J = 0: the S = N/2 multiplet in the field E has levels -N E/2 + m E (exact)."""
    delta, delta0 = 0.3, 0.4
    e = np.hypot(delta, delta0)
    levels = TwoLevelCluster.uniform(1000, delta, delta0, 0.0).eigenenergies(6)
    assert np.allclose(levels, -500 * e + np.arange(6) * e, rtol=1e-12, atol=1e-9)


def test_two_level_sector_ising_limit():
    """Delta0 = 0: the sector levels are Delta (N - 2m)/2 + J ((N - 2m)^2 - N)/2 (diagonal)."""
    n, delta, j = 40, 0.25, -0.1
    m = np.arange(n + 1)
    expected = np.sort(delta * (n - 2 * m) / 2 + j * ((n - 2 * m) ** 2 - n) / 2)
    assert np.allclose(TwoLevelCluster.uniform(n, delta, 0.0, j).eigenenergies(), expected)


def test_three_level_two_hundred_free_bosons():
    """N = 200, J = 0: symmetric levels are sum_a n_a eps_a over the single-3LS levels eps_a."""
    energies, d0, phi = np.array([0.05, -0.02, -0.03]), 1.0, 0.3
    c = ThreeLevelCluster.uniform(200, energies, d0, 0.0, phi)
    levels = c.eigenenergies(5)
    eps = np.linalg.eigvalsh(c.sector_hamiltonian().shape and
                             ThreeLevelCluster(energies[None], [d0], [[0.0]], phi).hamiltonian().full())
    occ = SymmetricSector(200, 3).occupations()
    expected = np.sort(occ @ eps)[:5]
    assert np.allclose(levels, expected, atol=1e-8)


def test_sector_functions_validate():
    with pytest.raises(ValueError, match="energies must sum to zero"):
        three_level_sector_hamiltonian(3, [1.0, 1.0, 1.0], 1.0, 0.0)
    with pytest.raises(ValueError, match="d0 must be > 0"):
        three_level_sector_hamiltonian(3, [0.0, 0.0, 0.0], 0.0, 0.0)
    with pytest.raises(ValueError, match="n must be >= 1"):
        two_level_sector_hamiltonian(0, 0.0, 1.0, 0.0)


def test_sector_hamiltonians_hermitian():
    h = three_level_sector_hamiltonian(6, [0.1, 0.2, -0.3], 1.0, -0.2, 2.0).toarray()
    assert np.allclose(h, h.conj().T)
    h2 = two_level_sector_hamiltonian(9, 0.1, 1.0, -0.2).toarray()
    assert np.allclose(h2, h2.T)
    assert list(itertools.islice(np.diag(h2, 1) > 0, 3)) == [True] * 3


@pytest.mark.parametrize(("n", "d"), [(1, 2), (4, 2), (7, 2), (1, 3), (3, 3), (5, 3)])
def test_bases_index_maps_and_convention(n, d):
    """Index s = sum_i a_i d^(N-1-i) (particle 0 leftmost); sector index inverts the occupations."""
    basis = ProductBasis(n, d)
    digits = basis.digits()
    assert basis.dimension == d**n == digits.shape[0]
    # itertools.product enumerates the leftmost factor slowest, like numpy.kron / qutip.tensor
    assert digits.tolist() == [list(t) for t in itertools.product(range(d), repeat=n)]
    assert np.array_equal(basis.occupations().sum(axis=1), np.full(d**n, n))
    for a in range(d):
        assert digits[basis.coherent_state(a)].tolist() == [a] * n
    assert all(basis.stride(i) == d ** (n - 1 - i) for i in range(n))
    sector = SymmetricSector(n, d)
    occ = sector.occupations()
    assert np.array_equal(sector.index(occ), np.arange(sector.dimension))
    assert sorted(map(tuple, occ.tolist()), reverse=True) == list(map(tuple, occ.tolist()))   # n_0 descending ...
    assert sector.multiplicities().sum() == d**n
    v = sector.isometry().toarray()
    assert np.allclose(v.T @ v, np.eye(sector.dimension))
    for a in range(d):
        assert v[basis.coherent_state(a), sector.coherent_state(a)] == 1.0


def test_two_level_sector_index_is_number_of_right_particles():
    sector = SymmetricSector(5, 2)
    assert sector.occupations().tolist() == [[5 - m, m] for m in range(6)]
    assert sector.coherent_state(0) == 0 and sector.coherent_state(1) == 5


def test_two_level_tridiagonal_float_and_mpmath_agree():
    """One expression, two number types: mpmath at 40 digits rounds to the float64 arrays."""
    import mpmath

    from clusters.hamiltonians import two_level_tridiagonal

    d, o = two_level_tridiagonal(9, 0.3, 1.1, -0.7)
    with mpmath.workdps(40):
        dm, om = two_level_tridiagonal(9, 0.3, 1.1, -0.7, number="mpmath")
        assert all(isinstance(x, mpmath.mpf) for x in dm + om)
        assert np.allclose([float(x) for x in dm], d, rtol=1e-15, atol=0)
        assert np.allclose([float(x) for x in om], o, rtol=1e-15, atol=0)
    with pytest.raises(ValueError, match="number"):
        two_level_tridiagonal(3, 0.0, 1.0, 0.0, number="decimal")


@pytest.mark.parametrize("n", [1, 4, 5])
def test_two_level_spin_blocks_make_up_the_full_spectrum(n):
    """Every total spin S, with its multiplicity C(N, N/2 - S) - C(N, N/2 - S - 1), gives the full 2^N spectrum."""
    import math

    from scipy.linalg import eigvalsh_tridiagonal

    from clusters.hamiltonians import two_level_tridiagonal

    c = TwoLevelCluster.uniform(n, 0.37, 0.9, -0.6)
    full = np.sort(np.linalg.eigvalsh(c.hamiltonian().full()))
    levels = []
    for two_s in range(n, -1, -2):
        d, o = two_level_tridiagonal(n, 0.37, 0.9, -0.6, two_s=two_s)
        copies = math.comb(n, (n - two_s) // 2) - (math.comb(n, (n - two_s) // 2 - 1) if two_s < n else 0)
        levels += list(eigvalsh_tridiagonal(d, o) if two_s else d) * copies
    assert np.allclose(np.sort(levels), full, atol=1e-12)
    assert np.array_equal(two_level_tridiagonal(n, 0.37, 0.9, -0.6, two_s=n)[0],
                          two_level_tridiagonal(n, 0.37, 0.9, -0.6)[0])
    with pytest.raises(ValueError, match="two_s"):
        two_level_tridiagonal(n, 0.37, 0.9, -0.6, two_s=n - 1)
