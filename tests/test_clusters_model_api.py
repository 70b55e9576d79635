"""The cluster model as the one input of every analysis: sectors, operators, matrix elements, spectra, new models.

Every reference here is built in the tests with numpy (Kronecker products of one-particle matrices, a
symmetriser summed over permutations, the spin-flip and cyclic-shift operators), sharing no code with
``clusters`` (docs/clusters.md sec. 1, "The model is the input of every analysis").
"""

from __future__ import annotations

import ast
import itertools
import pathlib
import warnings

import numpy as np
import pytest
from cluster_factories import kron_three_level, kron_two_level, site

from clusters import (
    ThreeLevelCluster,
    TwoLevelCluster,
    coherent_doublet,
    escape_rates,
    leaving_variance,
    random_couplings,
    renormalise_two_level,
    transition_dipole,
    uniform_couplings,
)
from clusters.models import ClusterBase
from clusters.models.base import UnresolvedGapWarning
from tunnelsim.results import SpectrumData

SX = np.array([[0.0, 1.0], [1.0, 0.0]])
SZ = np.diag([1.0, -1.0])


def _kron_all(op: np.ndarray, n: int) -> np.ndarray:
    out = np.ones((1, 1))
    for _ in range(n):
        out = np.kron(out, op)
    return out


def _lowest_in(h: np.ndarray, projector: np.ndarray, k: int) -> np.ndarray:
    """Lowest k levels of h in the range of a Hermitian projector (orthonormal basis from its eigenvalue 1)."""
    w, v = np.linalg.eigh(projector)
    b = v[:, w > 0.5]
    return np.linalg.eigvalsh(b.conj().T @ h @ b)[:k]


def _symmetriser(n: int, d: int) -> np.ndarray:
    """(1/N!) sum over particle permutations of the permutation operator on (C^d)^N."""
    dim = d**n
    out = np.zeros((dim, dim))
    states = list(itertools.product(range(d), repeat=n))
    index = {s: i for i, s in enumerate(states)}
    perms = list(itertools.permutations(range(n)))
    for p in perms:
        for s in states:
            out[index[tuple(s[p[i]] for i in range(n))], index[s]] += 1.0 / len(perms)
    return out


# ---------------------------------------------------------------------------------------- sectors
def test_parity_sectors_match_exact_diagonalisation_in_each_flip_sector():
    """Reference: dense kron H restricted to the +-1 eigenspaces of P = prod_i sigma^x_i (numpy eigh)."""
    n = 5
    rng = np.random.default_rng(3)
    d0, j = rng.uniform(0.5, 1.5, n), random_couplings(n, 1.0, seed=4, mean=-2.0)
    cl = TwoLevelCluster(np.zeros(n), d0, j)
    h, p = kron_two_level(np.zeros(n), d0, j), _kron_all(SX, n)
    assert cl.symmetry() == "parity"
    got = {s.name: s for s in cl.solve_sectors(3)}
    for sign in (1, -1):
        sec = got[f"P={sign:+d}"]
        assert sec.energies == pytest.approx(_lowest_in(h, (np.eye(2**n) + sign * p) / 2, 3), abs=1e-10)
        for c in range(3):  # each state an eigenvector of H and of P with eigenvalue sign
            v = sec.states[:, c]
            assert np.allclose(h @ v, sec.energies[c] * v, atol=1e-9)
            assert np.allclose(p @ v, sign * v, atol=1e-12)


def test_z3_sectors_in_a_field_match_exact_diagonalisation():
    """Reference: dense kron 3LS H restricted to the eigenspaces w^q of the cyclic well shift T (numpy eigh)."""
    n, phi = 3, 0.7
    rng = np.random.default_rng(5)
    d0, j = rng.uniform(0.5, 1.5, n), -1.5 * (np.ones((n, n)) - np.eye(n))
    cl = ThreeLevelCluster(np.zeros((n, 3)), d0, j, phi)
    h = kron_three_level(np.zeros((n, 3)), d0, j, phi)
    shift = _kron_all(np.roll(np.eye(3), 1, axis=0), n)  # |a> -> |a+1> on every particle
    omega = np.exp(2j * np.pi / 3)
    got = {s.name: s.energies for s in cl.solve_sectors(2)}
    for q in range(3):
        proj = sum(omega ** (-q * k) * np.linalg.matrix_power(shift, k) for k in range(3)) / 3
        assert got[f"q={q}"] == pytest.approx(_lowest_in(h, proj, 2), abs=1e-10)


def test_symmetric_sector_parity_blocks_match_exact_diagonalisation():
    """Reference: dense kron H of a uniform cluster restricted to (symmetric) x (P = +-1), test-built symmetriser."""
    n, d0, jj = 4, 1.0, -2.0
    cl = TwoLevelCluster.uniform(n, 0.0, d0, jj)
    h = kron_two_level(np.zeros(n), np.full(n, d0), uniform_couplings(n, jj))
    sym, p = _symmetriser(n, 2), _kron_all(SX, n)
    got = {s.name: s.energies for s in cl.solve_sectors(2)}
    for sign in (1, -1):
        ref = _lowest_in(h, sym @ ((np.eye(2**n) + sign * p) / 2), 2)
        assert got[f"P={sign:+d}"] == pytest.approx(ref[: got[f"P={sign:+d}"].size], abs=1e-10)


# -------------------------------------------------------------------------- operators, elements
def test_operators_and_matrix_elements_match_dense_kron():
    """Reference: V^T O V with V from numpy eigh of the kron H and O = kron of sigma matrices (phases fixed by |.|)."""
    n = 4
    rng = np.random.default_rng(7)
    delta, d0, j = rng.normal(0, 0.5, n), rng.uniform(0.5, 1.5, n), random_couplings(n, 1.0, seed=8)
    cl = TwoLevelCluster(delta, d0, j)
    e, v = np.linalg.eigh(kron_two_level(delta, d0, j))
    for name, op in (("sigma_z", SZ), ("sigma_x", SX)):
        for i in range(n):
            dense = site(op, i, n)
            assert np.allclose(cl.operator(name, i).toarray(), dense)
            ref = v[:, :3].T @ dense @ v[:, :3]
            got = cl.matrix_elements(name, 3, particle=i)
            assert np.allclose(np.abs(got), np.abs(ref), atol=1e-9)
            assert np.allclose(np.diag(got), np.diag(ref), atol=1e-9)
    w = rng.normal(size=n)
    total = sum(w[i] / 2 * site(SZ, i, n) for i in range(n))
    assert np.allclose(cl.operator("dipole", weights=w).toarray(), total)


def test_three_level_projector_elements_in_a_field_match_dense_kron():
    """Reference: numpy eigh of the complex kron 3LS H; |<i|P_a^(0)|j>| with P_a = |a><a| of particle 0."""
    n, phi = 3, 0.9
    rng = np.random.default_rng(9)
    e = rng.normal(0, 0.3, (n, 3))
    e -= e.mean(axis=1, keepdims=True)
    d0, j = rng.uniform(0.5, 1.5, n), -1.0 * (np.ones((n, n)) - np.eye(n))
    cl = ThreeLevelCluster(e, d0, j, phi)
    _, v = np.linalg.eigh(kron_three_level(e, d0, j, phi))
    proj = site(np.diag([0.0, 1.0, 0.0]), 0, n)
    ref = v[:, :3].conj().T @ proj @ v[:, :3]
    assert np.allclose(np.abs(cl.matrix_elements("projector", 3, particle=0, well=1)), np.abs(ref), atol=1e-9)


def test_sector_matrix_elements_match_the_symmetric_subspace_of_the_full_space():
    """Reference: symmetric eigenstates from a test-built symmetriser on the kron H; sigma_z of one particle."""
    n, delta, d0, jj = 4, 0.3, 1.0, -1.0
    cl = TwoLevelCluster.uniform(n, delta, d0, jj)
    h = kron_two_level(np.full(n, delta), np.full(n, d0), uniform_couplings(n, jj))
    w, u = np.linalg.eigh(_symmetriser(n, 2))
    b = u[:, w > 0.5]
    e, v = np.linalg.eigh(b.T @ h @ b)
    states = b @ v[:, :3]
    ref = states.T @ site(SZ, 0, n) @ states
    got = cl.matrix_elements("sigma_z", 3, particle=0)
    assert cl.eigenenergies(3) == pytest.approx(e[:3], abs=1e-10)
    assert np.allclose(np.abs(got), np.abs(ref), atol=1e-9)


# ------------------------------------------------------------------------------ spectrum_vs
def test_spectrum_vs_matches_per_point_eigvalsh():
    """Reference: numpy eigvalsh of the kron H at each value (couplings scaled), and <i|sum sigma_z|i> from eigh."""
    n = 3
    rng = np.random.default_rng(11)
    delta, d0, j = rng.normal(0, 0.5, n), rng.uniform(0.5, 1.5, n), random_couplings(n, 1.0, seed=12)
    cl = TwoLevelCluster(delta, d0, j)
    scales = np.array([0.0, 0.5, 1.0, 2.5])
    data = cl.spectrum_vs("couplings", scales, k=4, operators={"Sz": "sigma_z"})
    assert isinstance(data, SpectrumData) and data.parameter == "couplings"
    sz = sum(site(SZ, i, n) for i in range(n))
    for row, x in enumerate(scales):
        e, v = np.linalg.eigh(kron_two_level(delta, d0, x * j))
        assert data.energies[row] == pytest.approx(e[:4], abs=1e-10)
        assert np.diag(data.matrix_elements["Sz"][row]) == pytest.approx(np.diag(v[:, :4].T @ sz @ v[:, :4]),
                                                                         abs=1e-9)


def test_spectrum_vs_n_pads_small_sectors_with_nan():
    """Reference: eigvalsh of the S = N/2 tridiagonal written out here (docs/clusters.md sec. 2)."""
    values = [1, 2, 5]
    data = TwoLevelCluster.uniform(3, 0.2, 1.0, -1.0).spectrum_vs("n", values, k=3)
    for row, n in enumerate(values):
        m = np.arange(n + 1)
        h = np.diag(0.2 * (n - 2 * m) / 2 - 1.0 * ((n - 2 * m) ** 2 - n) / 2)
        off = 0.5 * np.sqrt((m[:-1] + 1) * (n - m[:-1]))
        e = np.linalg.eigvalsh(h + np.diag(off, 1) + np.diag(off, -1))[:3]
        assert data.energies[row, : e.size] == pytest.approx(e, abs=1e-10)
        assert np.all(np.isnan(data.energies[row, e.size:]))


# --------------------------------------------------------------------------- one notion of uniform
def test_equal_arrays_and_uniform_constructor_are_each_solved_one_way_by_every_route():
    """Reference: numpy eigvalsh of the kron H (full space) and the splitting e1 - e0 of the two lowest levels."""
    n, d0, jj = 4, 1.0, -3.0
    arrays = TwoLevelCluster(np.zeros(n), np.full(n, d0), uniform_couplings(n, jj))
    uni = TwoLevelCluster.uniform(n, 0.0, d0, jj)
    e = np.linalg.eigvalsh(kron_two_level(np.zeros(n), np.full(n, d0), uniform_couplings(n, jj)))
    assert not arrays.is_uniform and uni.is_uniform
    # equal arrays: the full space, by eigenenergies and by every analysis alike
    with pytest.warns(UnresolvedGapWarning):  # the full space holds exactly degenerate permutation partners
        assert arrays.space() == "full" and arrays.eigenenergies().size == 2**n
    assert coherent_doublet(arrays).method == "layers/float64"
    assert transition_dipole(arrays, np.eye(3)[[2] * n]).method == "parity-sectors"
    # the uniform constructor: the symmetric sector, by eigenenergies and by every analysis alike
    assert uni.space() == "sector" and uni.eigenenergies().size == n + 1
    assert coherent_doublet(uni).method == "symmetric-sector/mpmath"
    assert transition_dipole(uni, np.eye(3)[[2] * n]).method == "symmetric-sector"
    # and both give the same physics
    for cl in (arrays, uni):
        assert coherent_doublet(cl).splitting == pytest.approx(e[1] - e[0], rel=1e-8)
        assert leaving_variance(cl) == pytest.approx(n * (d0 / 2) ** 2, rel=1e-12)
    assert escape_rates(arrays, 2.0).total == pytest.approx(escape_rates(uni, 2.0).total, rel=1e-12)


# ----------------------------------------------------------------------------------- a new model
class LatticeGas(ClusterBase):
    """A toy model defined only here: N two-well particles, site energies eps_i in well 1, hopping t_i,
    and a pair energy J_ij only when both particles sit in well 1 (W = [[0, 0], [0, 1]])."""

    local_dim = 2
    pair = np.array([[0.0, 0.0], [0.0, 1.0]])

    def __init__(self, epsilons, hoppings, couplings):
        self.epsilons, self.hoppings = np.asarray(epsilons, float), np.asarray(hoppings, float)
        self.n = self.epsilons.size
        self._couplings = np.asarray(couplings, float)

    def _terms(self):
        wells = np.stack([np.zeros(self.n), self.epsilons], axis=1)
        hop = np.zeros((self.n, 2, 2))
        hop[:, 0, 1] = hop[:, 1, 0] = self.hoppings
        return wells, hop

    def _one_particle(self):
        return np.stack([self.epsilons, self.hoppings], axis=1)

    def _is_complex(self):
        return False

    def _parameters(self):
        return {"epsilons": self.epsilons, "hoppings": self.hoppings, "couplings": self._couplings}

    def _rebuild(self, parameters):
        return LatticeGas(**parameters)


def _lattice_gas_dense(eps, t, j):
    """The toy model's H from numpy.kron: sum_i (eps_i n_i + t_i sigma^x_i) + sum_{i<j} J_ij n_i n_j."""
    n = len(eps)
    num = np.diag([0.0, 1.0])
    h = sum(eps[i] * site(num, i, n) + t[i] * site(SX, i, n) for i in range(n))
    return h + sum(j[a, b] * site(num, a, n) @ site(num, b, n) for a in range(n) for b in range(a + 1, n))


def test_every_analysis_works_on_a_new_model():
    """Reference: numpy eigh of the toy model's kron H; D = sum_i (p_i / 2) sigma^z_i; eps_i of single flips."""
    eps, t = np.array([5.0, 5.0, 5.0]), np.array([0.5, 0.4, 0.6])
    j = -5.0 * (np.ones((3, 3)) - np.eye(3))  # E(000) = 0 = E(111) = 3 eps + 3 J: the coherent doublet is low
    toy = LatticeGas(eps, t, j)
    e, v = np.linalg.eigh(_lattice_gas_dense(eps, t, j))
    assert toy.eigenenergies(4) == pytest.approx(e[:4], abs=1e-10)
    assert np.allclose(toy.hamiltonian_matrix().toarray(), _lattice_gas_dense(eps, t, j))
    d = coherent_doublet(toy)
    assert d.method == "layers/float64" and d.model_space_is_low_energy
    assert d.energies == pytest.approx(tuple(e[:2]), abs=1e-10)
    assert d.splitting == pytest.approx(e[1] - e[0], rel=1e-8)
    p = np.random.default_rng(1).normal(size=(3, 3))
    dip = sum(np.einsum("c,ab->cab", p[i] / 2, site(SZ, i, 3)) for i in range(3))
    mu = np.array([v[:, 0] @ dip[c] @ v[:, 1] for c in range(3)])
    res = transition_dipole(toy, p)
    assert res.method == "states" and res.magnitude == pytest.approx(np.linalg.norm(mu), rel=1e-8)
    assert escape_rates(toy, 1.0).energies == pytest.approx(eps)
    data = toy.spectrum_vs("hoppings", [0.5, 1.0], k=3)
    for row, x in enumerate([0.5, 1.0]):
        assert data.energies[row] == pytest.approx(np.linalg.eigvalsh(_lattice_gas_dense(eps, x * t, j))[:3],
                                                   abs=1e-10)
    with pytest.raises(ValueError, match="pair energies"):  # W(0, 0) != W(1, 1): the appendix's rules do not apply
        renormalise_two_level(toy)


def test_analyses_refuse_what_is_not_a_cluster_model():
    """Reference: the boundary contract (a clear TypeError naming ``cluster``), for a look-alike object."""

    class LookAlike:
        asymmetries, tunnelings, couplings = np.zeros(2), np.ones(2), np.zeros((2, 2))

    for analysis in (coherent_doublet, leaving_variance, renormalise_two_level):
        with pytest.raises(TypeError, match="cluster must be a cluster model"):
            analysis(LookAlike())
    with pytest.raises(ValueError, match="'tunneling' is not a parameter"):
        TwoLevelCluster(np.zeros(2), np.ones(2), np.zeros((2, 2))).replace(tunneling=1.0)
    with pytest.raises(ValueError, match="parameter must be one of"):
        TwoLevelCluster.uniform(2, 0.0, 1.0, -1.0).spectrum_vs("delta", [0.0])
    with pytest.raises(ValueError, match="needs particles with 2 wells"):
        ThreeLevelCluster.uniform(2, [0.0, 0.0, 0.0], 1.0, -1.0).operator("sigma_z")


def test_models_import_no_analysis():
    """Reference: the import statements of clusters/models/*.py (ast): the analyses import the models, never back."""
    analyses = {"coherent", "dipoles", "rates", "renormalisation", "perturbative", "ensembles"}
    root = pathlib.Path(__file__).resolve().parents[1] / "clusters" / "models"
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                parts = set((node.module or "").split("."))
                assert not parts & analyses, f"{path.name} imports {node.module}"


@pytest.mark.contract
def test_spectrum_vs_names_values_for_an_invalid_or_overflowing_point():
    """A scale factor that makes an invalid model, or levels beyond float64, is refused naming ``values``; the
    perturbative hopping names both arguments when their lengths do not match."""
    from clusters.perturbative import log10_hopping_from_parts

    c = TwoLevelCluster.uniform(3, 0.1, 0.5, 0.2)
    with pytest.raises(ValueError, match="values"):
        c.spectrum_vs("tunneling", [0.5, -1.0])
    with pytest.raises(ValueError, match="values"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c.spectrum_vs("tunneling", [1.2e308])
    with pytest.raises(ValueError, match="hoppings"):
        log10_hopping_from_parts([-5.0, 5.0, 5.0, -5.0], [0.0])
