"""Regressions at the edges where the coherent tools failed silently or with foreign errors (issue 13)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from clusters import (
    CoherentSpaceWarning,
    ThreeLevelCluster,
    TwoLevelCluster,
    coherent_doublet,
    coherent_multiplet,
    log10_perturbative_hopping,
    perturbative_hopping,
    perturbative_tunneling,
)


def test_uncoupled_identical_cluster_is_a_clear_error():
    # was: ZeroDivisionError from inside mpmath
    for n in (2, 4):
        with pytest.raises(ValueError, match="degenerate with other configurations"):
            coherent_doublet(TwoLevelCluster.uniform(n, 0.0, 1.0, 0.0), warn=False)


def test_uncoupled_disordered_cluster_still_has_its_exact_model_space_answer():
    cl = TwoLevelCluster([0.1, 0.2, 0.3], [1.0, 1.0, 1.0], np.zeros((3, 3)))
    with pytest.warns(CoherentSpaceWarning, match="not the lowest doublet"):
        res = coherent_doublet(cl)
    assert math.isfinite(res.tunneling) and not res.model_space_is_low_energy


def test_tiny_tunnelings_give_a_finite_log10():
    # was: log10_tunneling = -inf for Delta0_i = 1e-300 (h_LR underflows float64 in the layers method)
    n, j = 4, -1.0
    jm = j * (np.ones((n, n)) - np.eye(n))
    jm[0, 1] = jm[1, 0] = -1.001  # not uniform: the float64 layers method
    res = coherent_doublet(TwoLevelCluster(np.zeros(n), np.full(n, 1e-300), jm))
    assert res.method == "layers/float64" and res.tunneling == 0.0
    # closed form of the uniform cluster, 2 N (Delta0/2)^N / ((2|J|)^(N-1) (N-1)!), in log space
    closed = math.log10(2 * n) + n * math.log10(0.5e-300) - (n - 1) * math.log10(2.0) - math.log10(6.0)
    assert res.log10_tunneling == pytest.approx(closed, abs=2e-3)
    # and the same route agrees with the exact value where nothing underflows
    cl = TwoLevelCluster(np.zeros(n), np.full(n, 1e-3), jm)
    sign, log10_t = log10_perturbative_hopping(cl.asymmetries, cl.tunnelings, cl.couplings)
    assert math.log10(2) + log10_t == pytest.approx(coherent_doublet(cl).log10_tunneling, abs=1e-5)


def test_perturbative_hopping_guards_its_size():
    z = np.zeros(3)
    with pytest.raises(ValueError, match="max_n"):
        perturbative_hopping(z, np.ones(3), -np.ones((3, 3)) + np.eye(3), max_n=10**12)
    with pytest.raises(ValueError, match="max_n"):
        perturbative_hopping(np.zeros(5), np.ones(5), -np.ones((5, 5)) + np.eye(5), max_n=4)
    with pytest.raises(ValueError, match="degenerate"):
        perturbative_hopping(z, np.ones(3), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="tunnelings"):
        perturbative_hopping(z, -np.ones(3), -np.ones((3, 3)) + np.eye(3))
    with pytest.raises(ValueError, match="tunneling"):
        perturbative_tunneling(2, 1e200, -1.0)


def test_not_low_doublet_warns_and_names_what_to_do():
    with pytest.warns(CoherentSpaceWarning, match=r"\|J\| >> Delta0"):
        res = coherent_doublet(TwoLevelCluster.uniform(6, 0.0, 1.0, -0.1))
    assert not res.model_space_is_low_energy
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        coherent_doublet(TwoLevelCluster.uniform(6, 0.0, 1.0, -0.1), warn=False)
        coherent_doublet(TwoLevelCluster.uniform(6, 0.0, 1.0, -5.0))  # low doublet: silent
    with pytest.warns(CoherentSpaceWarning, match="lowest multiplet"):
        coherent_multiplet(ThreeLevelCluster.uniform(3, [0.0, 0.0, 0.0], 1.0, -0.05, 0.3))
    with pytest.raises(TypeError, match="warn"):
        coherent_doublet(TwoLevelCluster.uniform(2, 0.0, 1.0, -5.0), warn="yes")


def test_refusals_found_by_the_property_suite():
    from clusters import log10_perturbative_tunneling, random_couplings, uniform_couplings

    # an N x N coupling matrix beyond the memory: a MemoryError naming n, before numpy tries
    with pytest.raises(MemoryError, match="n = 10000000"):
        uniform_couplings(10**7, -1.0)
    with pytest.raises(MemoryError, match="n = 10000000"):
        random_couplings(10**7, 1.0, 0)
    # Delta0 = 0 has no finite log10 (was: -inf returned silently); the splitting itself is 0.0
    with pytest.raises(ValueError, match="tunneling = 0"):
        log10_perturbative_tunneling(3, 0.0, -1.0)
    assert perturbative_tunneling(3, 0.0, -1.0) == 0.0
    # mismatched lengths name both arrays (was: a message about asymmetries for a bad tunnelings)
    with pytest.raises(ValueError, match="asymmetries and tunnelings"):
        perturbative_hopping(np.zeros(3), [0.0], -np.ones((3, 3)) + np.eye(3))
