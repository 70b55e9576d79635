"""The appendix's renormalisation rules (paper A.9-A.20), returned exactly as the appendix writes them."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusters import ThreeLevelCluster, TwoLevelCluster
from clusters.perturbative import log10_perturbative_tunneling, perturbative_tunneling
from clusters.renormalisation import renormalise_three_level, renormalise_two_level


def two_level(delta, d0, j):
    return TwoLevelCluster(delta, d0, j)


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 8), seed=st.integers(0, 10**6))
def test_two_level_rules_and_coherent_diagonal(n, seed):
    rng = np.random.default_rng(seed)
    delta, d0 = rng.normal(size=n), rng.uniform(0.1, 2, n)
    j = rng.normal(size=(n, n))
    j = np.triu(j, 1) + np.triu(j, 1).T
    r = renormalise_two_level(two_level(delta, d0, j))
    assert r.n == n
    assert r.asymmetry == pytest.approx(delta.sum())
    assert r.tunneling == pytest.approx(d0.sum())
    assert r.interaction_energy == pytest.approx(sum(j[a, b] for a in range(n) for b in range(a + 1, n)))
    # the coherent states' diagonal energies, from the classical energy of all-L / all-R configurations
    for s, energy in ((1.0, r.energy_left), (-1.0, r.energy_right)):
        spins = np.full(n, s)
        direct = 0.5 * delta @ spins + 0.5 * spins @ j @ spins
        assert energy == pytest.approx(direct)
    # U cancels from the asymmetry: it is a common shift
    assert r.energy_left - r.energy_right == pytest.approx(r.asymmetry)
    assert r.splitting == pytest.approx(math.hypot(r.asymmetry, r.tunneling))


def test_uniform_interaction_energy_is_n_n_minus_1_over_2_j():
    n, j = 7, -2.5
    r = renormalise_two_level(two_level(np.full(n, 0.1), np.ones(n), j * (np.ones((n, n)) - np.eye(n))))
    assert r.interaction_energy == pytest.approx(n * (n - 1) / 2 * j)
    assert r.tunneling == pytest.approx(7.0)
    assert r.asymmetry == pytest.approx(0.7)


def test_three_level_rules():
    rng = np.random.default_rng(2)
    n, phi = 5, 0.37
    e = rng.normal(size=(n, 3))
    e -= e.mean(axis=1, keepdims=True)
    d0 = rng.uniform(0.5, 1.5, n)
    j = -3.0 * (np.ones((n, n)) - np.eye(n))
    r = renormalise_three_level(ThreeLevelCluster(e, d0, j, phi))
    assert r.well_energies == pytest.approx(tuple(e.sum(axis=0)))
    assert sum(r.well_energies) == pytest.approx(0.0, abs=1e-12)
    assert r.hopping == pytest.approx(d0.sum())
    assert r.charge == n
    assert r.loop_phase == pytest.approx(n * phi)
    assert r.interaction_energy == pytest.approx(n * (n - 1) / 2 * -3.0)
    # the loop phase of a charge-NQ particle on the unchanged area equals N phi; with charge Q the area is N S
    assert r.flux_area_ratio * r.charge * phi == pytest.approx(r.loop_phase)
    assert r.flux_area_ratio_bare_charge * phi == pytest.approx(r.loop_phase)


def test_results_are_frozen():
    r = renormalise_two_level(two_level([0.0], [1.0], [[0.0]]))
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.tunneling = 2.0


def test_perturbative_closed_form_values():
    # docs/theory.md sec. 3: N = 6 -> 1.5625e-8 at leading order (exact 1.5613e-8); N = 1 -> Delta0
    assert perturbative_tunneling(6, 1.0, -5.0) == pytest.approx(2 * 6 * 0.5**6 / (10**5 * 120))
    assert perturbative_tunneling(1, 0.3, -5.0) == pytest.approx(0.3)
    assert log10_perturbative_tunneling(600, 1.0, -5.0) < -2000
    assert perturbative_tunneling(600, 1.0, -5.0) == 0.0


def test_bad_input():
    with pytest.raises(TypeError, match="cluster must be a cluster model"):
        renormalise_two_level({"tunnelings": [1.0], "couplings": [[0.0]]})
    with pytest.raises(ValueError, match="two-level"):
        renormalise_two_level(ThreeLevelCluster.uniform(2, [0.0, 0.0, 0.0], 1.0, -1.0))
    with pytest.raises(TypeError, match="ThreeLevelCluster"):
        renormalise_three_level(TwoLevelCluster.uniform(2, 0.0, 1.0, -1.0))
    with pytest.raises(ValueError, match="n"):
        perturbative_tunneling(0, 1.0, -5.0)
    with pytest.raises(ValueError, match="coupling"):
        perturbative_tunneling(3, 1.0, 0.0)


def test_uniform_cluster_rules_match_its_scalars():
    """Reference: the appendix's rules written out by hand for N = 4 identical particles (paper A.9-A.15)."""
    r = renormalise_two_level(TwoLevelCluster.uniform(4, 0.2, 1.0, -5.0))
    assert r.tunneling == pytest.approx(4.0)
    assert r.asymmetry == pytest.approx(0.8)
    assert r.interaction_energy == pytest.approx(-30.0)
