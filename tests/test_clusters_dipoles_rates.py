"""Transition dipoles and leaving rates against the tests' own Kronecker Hamiltonians and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from cluster_factories import SIGMA_Z, kron_two_level, site

from clusters import TwoLevelCluster, random_couplings, uniform_couplings
from clusters.dipoles import random_dipoles, transition_dipole
from clusters.rates import escape_rates, leaving_variance


def _reference_dipole(cl, p):
    e, v = np.linalg.eigh(kron_two_level(cl.asymmetries, cl.tunnelings, cl.couplings))
    d = [sum(p[i, a] / 2 * site(SIGMA_Z, i, cl.n) for i in range(cl.n)) for a in range(3)]
    return np.array([v[:, 0] @ d[a] @ v[:, 1] for a in range(3)]), e[1] - e[0]


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_transition_dipole_every_route_matches_dense_kronecker(n):
    rng = np.random.default_rng(n)
    p = random_dipoles(n, 2.0, rng)
    for cl in (TwoLevelCluster.uniform(n, 0.0, 1.0, -0.7), TwoLevelCluster.uniform(n, 0.3, 1.0, -0.7),
               TwoLevelCluster(np.zeros(n), rng.uniform(0.5, 1.5, n), random_couplings(n, 0.5, rng, mean=-0.8)),
               TwoLevelCluster(rng.normal(size=n), rng.uniform(0.5, 1.5, n), random_couplings(n, 0.5, rng, mean=-0.8))):
        res = transition_dipole(cl, p)
        ref, gap = _reference_dipole(cl, p)
        assert res.magnitude == pytest.approx(np.linalg.norm(ref), rel=1e-9, abs=1e-12)
        assert res.gap == pytest.approx(gap, rel=1e-9) and res.resolved
        assert res.effective_dipole == pytest.approx(2 * res.magnitude)


def test_single_particle_is_the_stm_dipole_times_u():
    # one 2LS: p_N = p Delta0 / E (the STM's resonant weight u)
    cl = TwoLevelCluster([0.6], [0.8], [[0.0]])
    res = transition_dipole(cl, [[0.0, 0.0, 3.0]])
    assert res.effective_dipole == pytest.approx(3.0 * 0.8 / 1.0)


def test_parity_route_is_exact_where_the_splitting_is_below_float64():
    # N = 12, J = -5 K: splitting ~ 1e-21 K, far below the float64 resolution of E ~ 330 K; the coherent
    # doublet (|L..L> +- |R..R>)/sqrt 2 has mu_01 = sum p_i / 2 up to the model-space weight (> 0.999)
    n = 12
    cl = TwoLevelCluster(np.zeros(n), np.ones(n), uniform_couplings(n, -5.0) + random_couplings(n, 0.05, 1))
    p = random_dipoles(n, aligned=True)
    res = transition_dipole(cl, p)
    assert res.method == "parity-sectors" and res.effective_dipole == pytest.approx(n, rel=2e-3)
    big = transition_dipole(TwoLevelCluster.uniform(200, 0.0, 1.0, -5.0), random_dipoles(200, aligned=True))
    assert big.effective_dipole == pytest.approx(200, rel=1e-4)


def test_dipole_bad_input():
    cl = TwoLevelCluster.uniform(3, 0.0, 1.0, -1.0)
    with pytest.raises(ValueError, match="dipoles"):
        transition_dipole(cl, np.ones((2, 3)))
    with pytest.raises(ValueError, match="parity"):
        transition_dipole(TwoLevelCluster.uniform(3, 0.2, 1.0, -1.0), np.ones((3, 3)), method="parity")
    with pytest.raises(ValueError, match="axis"):
        random_dipoles(3, aligned=True, axis=(0, 0, 0))


def test_leaving_variance_is_the_sum_of_squares():
    rng = np.random.default_rng(3)
    cl = TwoLevelCluster(rng.normal(size=4), rng.uniform(0.1, 2, 4), random_couplings(4, 1.0, 2))
    h = kron_two_level(cl.asymmetries, cl.tunnelings, cl.couplings)
    col = h[:, 0]
    assert leaving_variance(cl) == pytest.approx(col @ col - col[0] ** 2)
    assert leaving_variance(cl) == pytest.approx(np.sum(cl.tunnelings**2) / 4)
    assert leaving_variance(TwoLevelCluster.uniform(50, 0.2, 0.6, -1.0)) == pytest.approx(50 * 0.09)


def test_escape_rates_detailed_balance_and_limits():
    cl = TwoLevelCluster([0.5, -0.3], [1.0, 2.0], [[0.0, -1.0], [-1.0, 0.0]])
    t = 0.7
    r = escape_rates(cl, t, 3.0)
    # eps_i = -Delta_i - 2 sum_j J_ij
    assert r.energies == pytest.approx([-0.5 + 2.0, 0.3 + 2.0])
    assert r.rates == pytest.approx(3.0 * np.array([1.0, 4.0]) * r.energies / np.expm1(r.energies / t))
    # the reverse process has eps -> -eps: ratio exp(eps / T) (detailed balance)
    up = 3.0 * r.energies / np.expm1(r.energies / t)
    down = 3.0 * -r.energies / np.expm1(-r.energies / t)
    assert down / up == pytest.approx(np.exp(r.energies / t))
    free = escape_rates(TwoLevelCluster([0.0], [1.0], [[0.0]]), t)
    assert free.total == pytest.approx(t)  # eps -> 0: K Delta0^2 T
    assert math.isclose(r.total, r.rates.sum())
