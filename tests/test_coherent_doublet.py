"""Exact coherent doublet of 2LS clusters against independent references (docs/theory.md sec. 3)."""

from __future__ import annotations

import itertools
import math

import mpmath
import numpy as np
import pytest
from cluster_factories import kron_two_level
from hypothesis import given, settings
from hypothesis import strategies as st

from clusters import ThreeLevelCluster, TwoLevelCluster
from clusters.coherent import CoherentSpaceWarning, coherent_doublet
from clusters.perturbative import perturbative_hopping, perturbative_tunneling


def uniform(n, delta=0.0, d0=1.0, j=-5.0):
    return TwoLevelCluster.uniform(n, delta, d0, j)


def random_cluster(n, seed, j=-5.0, disorder=0.3, spread=0.3):
    rng = np.random.default_rng(seed)
    u = rng.uniform(-spread, spread, (n, n))
    jm = j * (1 + np.triu(u, 1) + np.triu(u, 1).T)
    np.fill_diagonal(jm, 0.0)
    return TwoLevelCluster(disorder * rng.normal(size=n), rng.uniform(0.5, 1.5, n), jm)


def dense_hamiltonian(cl):
    """The tests' own Kronecker-product construction (independent of clusters)."""
    return kron_two_level(cl.asymmetries, cl.tunnelings, cl.couplings)


def mp_sector_splitting(n, d0, j, dps=60):
    """Doublet splitting from an mpmath eigen-solve of the S = N/2 sector (built here from scratch)."""
    with mpmath.workdps(dps):
        h = mpmath.matrix(n + 1, n + 1)
        for m in range(n + 1):
            sz = n - 2 * m
            h[m, m] = mpmath.mpf(j) * (sz * sz - n) / 2
            if m < n:
                h[m, m + 1] = h[m + 1, m] = mpmath.mpf(d0) / 2 * mpmath.sqrt((m + 1) * (n - m))
        e = sorted(mpmath.eigsy(h, eigvals_only=True))
        return e[1] - e[0]


def mp_des_cloizeaux(h, model, dps=40):
    """des Cloizeaux effective Hamiltonian from an mpmath eigen-solve of the full matrix."""
    with mpmath.workdps(dps):
        hm = mpmath.matrix(h.tolist())
        e, q = mpmath.eigsy(hm)
        order = sorted(range(len(e)), key=lambda k: e[k])[: len(model)]
        u = mpmath.matrix(len(model), len(model))
        for c, k in enumerate(order):
            for i, m in enumerate(model):
                u[i, c] = q[m, k]
        s = u.T * u
        ev, ov = mpmath.eigsy(s)
        sih = ov * mpmath.diag([1 / mpmath.sqrt(x) for x in ev]) * ov.T
        ut = u * sih
        heff = ut * mpmath.diag([e[k] for k in order]) * ut.T
        return np.array(heff.tolist(), dtype=float)


# ----------------------------------------------------- reference values of docs/coherent_tunneling.md
@pytest.mark.parametrize(("n", "ref", "digits"), [(2, 0.09902, 4), (6, 1.5613e-8, 5), (12, 1.4675e-21, 5)])
def test_theory_reference_values(n, ref, digits):
    got = coherent_doublet(uniform(n)).tunneling
    assert got == pytest.approx(ref, rel=10.0 ** (1 - digits))


@pytest.mark.parametrize("n", range(2, 13))
def test_relative_error_below_1e6_against_mpmath_diagonalisation(n):
    exact = float(mp_sector_splitting(n, 1.0, -5.0))
    res = coherent_doublet(uniform(n))
    assert res.asymmetry == 0.0
    assert abs(res.tunneling / exact - 1) < 1e-6
    assert abs(res.splitting / exact - 1) < 1e-6
    assert res.model_space_is_low_energy
    # the hopping sign of a ferromagnetic cluster is (-1)^(N-1) (N! orders of N flips)
    assert np.sign(res.hopping) == (-1) ** (n - 1)


@pytest.mark.parametrize("n", [2, 5, 8])
def test_layer_elimination_matches_symmetric_sector(n):
    a = coherent_doublet(uniform(n), method="symmetric")
    b = coherent_doublet(uniform(n), method="layers")
    assert b.tunneling == pytest.approx(a.tunneling, rel=1e-9)
    assert b.weights == pytest.approx(a.weights, rel=1e-9)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_dense_float64_where_resolvable(n):
    cl = uniform(n)
    e = np.linalg.eigvalsh(dense_hamiltonian(cl))
    res = coherent_doublet(cl)
    assert res.tunneling == pytest.approx(e[1] - e[0], rel=1e-8)
    assert res.energies == pytest.approx(tuple(e[:2]), rel=1e-12)


@pytest.mark.parametrize("n", [2, 4, 6, 8, 10])
def test_perturbative_regime(n):
    # J/Delta0 = -50: the N-th order formula holds up to relative corrections of order Delta0/|J|
    exact = coherent_doublet(uniform(n, j=-50.0)).tunneling
    pert = perturbative_tunneling(n, 1.0, -50.0)
    dev50 = abs(exact / pert - 1)
    assert dev50 < 2.0 / 50
    exact100 = coherent_doublet(uniform(n, j=-100.0)).tunneling
    dev100 = abs(exact100 / perturbative_tunneling(n, 1.0, -100.0) - 1)
    assert dev100 < dev50   # the corrections shrink as |J| grows


def test_large_n_symmetric_sector_continues_the_closed_form():
    res = coherent_doublet(uniform(200))
    assert res.tunneling == 0.0   # underflows float64 ...
    # ... but log10 is exact; the N-th order form agrees up to O(1/|J|) corrections
    log_pert = math.log10(2 * 200) + 200 * math.log10(0.5) - 199 * math.log10(10) - math.lgamma(200) / math.log(10)
    assert res.log10_tunneling == pytest.approx(log_pert, abs=0.01)


@pytest.mark.parametrize("seed", [0, 1])
def test_disordered_against_mpmath_des_cloizeaux(seed):
    cl = random_cluster(4, seed)
    ref = mp_des_cloizeaux(dense_hamiltonian(cl), [0, 15])
    res = coherent_doublet(cl)
    assert res.h_eff[0, 1] == pytest.approx(ref[0, 1], rel=1e-8)
    assert res.asymmetry == pytest.approx(ref[0, 0] - ref[1, 1], rel=1e-9)
    assert res.h_eff == pytest.approx(ref, rel=1e-10, abs=1e-12)


def test_disordered_perturbative_subset_sum():
    cl = random_cluster(6, 3, j=-60.0, disorder=0.0)
    res = coherent_doublet(cl)
    t = perturbative_hopping(cl.asymmetries, cl.tunnelings, cl.couplings)
    assert res.hopping == pytest.approx(t, rel=0.05)
    assert res.asymmetry == 0.0   # flip parity: all Delta_i = 0


def _brute_force_hopping(delta, d0, j):
    """The N-th order hopping summed over all N! flip orders, with classical energies written out here."""
    n = len(d0)

    def energy(spins):
        return 0.5 * np.dot(delta, spins) + sum(j[a, b] * spins[a] * spins[b]
                                                 for a in range(n) for b in range(a + 1, n))

    e0 = 0.5 * (energy(np.ones(n)) + energy(-np.ones(n)))
    total = 0.0
    for order in itertools.permutations(range(n)):
        spins = np.ones(n)
        term = 1.0
        for step, i in enumerate(order):
            spins[i] = -1.0
            term *= 0.5 * d0[i]
            if step < n - 1:
                term /= e0 - energy(spins)
        total += term
    return total


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_perturbative_subset_sum_equals_sum_over_flip_orders(seed):
    cl = random_cluster(5, seed, j=-4.0, disorder=0.5)
    t = perturbative_hopping(cl.asymmetries, cl.tunnelings, cl.couplings)
    assert t == pytest.approx(_brute_force_hopping(cl.asymmetries, cl.tunnelings, cl.couplings), rel=1e-12)


def test_perturbative_subset_sum_reproduces_closed_form():
    for n in (2, 3, 5, 7):
        cl = uniform(n, j=-3.0)
        t = perturbative_hopping(cl.asymmetries, cl.tunnelings, cl.couplings)
        assert 2 * abs(t) == pytest.approx(perturbative_tunneling(n, 1.0, -3.0), rel=1e-12)
        assert np.sign(t) == (-1) ** (n - 1)


def test_bias_asymmetry_and_weights_against_dense():
    cl = uniform(5, delta=0.2)
    e, v = np.linalg.eigh(dense_hamiltonian(cl))
    res = coherent_doublet(cl)
    assert res.energies == pytest.approx(tuple(e[:2]), rel=1e-12)
    w_dense = [v[0, k] ** 2 + v[-1, k] ** 2 for k in (0, 1)]
    assert res.weights == pytest.approx(w_dense, rel=1e-9)
    assert res.splitting == pytest.approx(e[1] - e[0], rel=1e-9)


def test_flag_weak_coupling():
    with pytest.warns(CoherentSpaceWarning, match="not the lowest doublet"):
        weak = coherent_doublet(uniform(6, j=-0.1))
    strong = coherent_doublet(uniform(6, j=-1.0))
    assert strong.model_space_is_low_energy
    assert not weak.model_space_is_low_energy
    assert min(weak.weights) < 0.5
    # where flagged, the lowest exact levels are not the doublet's energies
    e = np.linalg.eigvalsh(dense_hamiltonian(uniform(6, j=-0.1)))
    assert not np.allclose(weak.energies, e[:2])


@settings(max_examples=10, deadline=None)
@given(n=st.integers(2, 4), seed=st.integers(0, 10**6), j=st.floats(-8.0, 3.0))
def test_energies_are_exact_eigenvalues(n, seed, j):
    cl = random_cluster(n, seed, j=j)
    res = coherent_doublet(cl, warn=False)  # the flag is checked below
    e = np.linalg.eigvalsh(dense_hamiltonian(cl))
    for energy in res.energies:
        assert np.min(np.abs(e - energy)) < 1e-9 * (1 + abs(energy))
    if res.model_space_is_low_energy:
        assert res.energies == pytest.approx(tuple(e[:2]), abs=1e-9)
    assert res.h_eff == pytest.approx(res.h_eff.T)


def test_bad_input():
    with pytest.raises(ValueError, match="method"):
        coherent_doublet(uniform(3), method="dense")
    with pytest.raises(ValueError, match="method"):
        coherent_doublet(random_cluster(3, 0), method="symmetric")
    with pytest.raises(TypeError, match="cluster must be a cluster model"):
        coherent_doublet({"tunnelings": np.ones(2), "couplings": np.zeros((2, 2))})
    with pytest.raises(ValueError, match="two-level"):
        coherent_doublet(ThreeLevelCluster.uniform(2, [0.0, 0.0, 0.0], 1.0, -5.0))
    with pytest.raises(ValueError, match="couplings"):
        TwoLevelCluster(np.zeros(3), np.ones(3), np.array([[0, 1, 2], [0, 0, 1], [2, 1, 0]], dtype=float))
    with pytest.raises(ValueError, match="n = 16"):
        coherent_doublet(random_cluster(16, 0))
    with pytest.raises(ValueError, match="dps"):
        coherent_doublet(uniform(3), dps=5)


def test_real_cluster_class_if_available():
    clusters = pytest.importorskip("clusters")
    cl = clusters.TwoLevelCluster.uniform(6, 0.0, 1.0, -5.0)
    res = coherent_doublet(cl)
    assert res.tunneling == pytest.approx(1.5613e-8, rel=1e-4)
    rng = np.random.default_rng(4)
    j = -5 * np.ones((4, 4))
    np.fill_diagonal(j, 0)
    cl2 = clusters.TwoLevelCluster(rng.normal(size=4) * 0.1, np.ones(4), j)
    e = cl2.eigenenergies(2)
    res2 = coherent_doublet(cl2)
    assert res2.energies == pytest.approx(tuple(e), rel=1e-10)



def test_uniform_clusters_use_their_scalars_not_the_coupling_matrix(monkeypatch):
    """A .uniform(...) cluster is solved from its scalars: the N x N coupling matrix is never built."""
    import clusters

    def refuse(self):
        raise AssertionError("the N x N coupling matrix was built")

    j6 = -5 * (np.ones((6, 6)) - np.eye(6))
    ref2 = clusters.coherent_doublet(clusters.TwoLevelCluster(np.zeros(6), np.ones(6), j6))
    ref3 = clusters.coherent_multiplet(clusters.ThreeLevelCluster(np.zeros((4, 3)), np.ones(4),
                                                                  -20 * (np.ones((4, 4)) - np.eye(4)), 0.3))
    monkeypatch.setattr(clusters.TwoLevelCluster, "couplings", property(refuse))
    monkeypatch.setattr(clusters.ThreeLevelCluster, "couplings", property(refuse))
    d = clusters.coherent_doublet(clusters.TwoLevelCluster.uniform(6, 0.0, 1.0, -5.0))
    m = clusters.coherent_multiplet(clusters.ThreeLevelCluster.uniform(4, [0, 0, 0], 1.0, -20.0, 0.3))
    assert d.log10_tunneling == pytest.approx(ref2.log10_tunneling, abs=1e-12)
    assert m.loop_phase == pytest.approx(ref3.loop_phase, abs=1e-10)
