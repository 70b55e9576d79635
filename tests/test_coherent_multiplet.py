"""Exact coherent multiplet of 3LS clusters against independent references (docs/theory.md secs. 1.2, 3)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from cluster_factories import kron_three_level, single_three_level
from hypothesis import given, settings
from hypothesis import strategies as st

from clusters import ThreeLevelCluster, TwoLevelCluster
from clusters.coherent import CoherentSpaceWarning, coherent_multiplet


def uniform3(n, d0=1.0, j=-20.0, phi=0.0, e=(0.0, 0.0, 0.0)):
    return ThreeLevelCluster.uniform(n, e, d0, j, phi)


def random3(n, seed, j=-6.0, phi=0.7):
    rng = np.random.default_rng(seed)
    e = rng.normal(0, 0.2, (n, 3))
    e -= e.mean(axis=1, keepdims=True)
    u = rng.uniform(-0.3, 0.3, (n, n))
    jm = j * (1 + np.triu(u, 1) + np.triu(u, 1).T)
    np.fill_diagonal(jm, 0.0)
    return ThreeLevelCluster(e, rng.uniform(0.5, 1.5, n), jm, phi)


def dense3(cl):
    """The tests' own Kronecker-product construction, and the indices of |a...a> (particle 0 leftmost)."""
    n = len(cl.d0s)
    model = [sum(a * 3 ** (n - 1 - i) for i in range(n)) for a in range(3)]
    return kron_three_level(cl.energies, cl.d0s, cl.couplings, cl.phi), model


def mp_des_cloizeaux(h, model, dps=40):
    with mpmath.workdps(dps):
        hm = mpmath.matrix(h.tolist())
        e, q = mpmath.eighe(hm)
        order = sorted(range(len(e)), key=lambda k: mpmath.re(e[k]))[: len(model)]
        u = mpmath.matrix(len(model), len(model))
        for c, k in enumerate(order):
            for i, m in enumerate(model):
                u[i, c] = q[m, k]
        s = u.H * u
        ev, ov = mpmath.eighe(s)
        sih = ov * mpmath.diag([1 / mpmath.sqrt(mpmath.re(x)) for x in ev]) * ov.H
        ut = u * sih
        heff = ut * mpmath.diag([mpmath.re(e[k]) for k in order]) * ut.H
        return np.array([[complex(heff[a, b]) for b in range(3)] for a in range(3)])


def wrap(x):
    return (x + math.pi) % (2 * math.pi) - math.pi


def test_single_particle_is_its_own_multiplet():
    cl = uniform3(1, d0=0.7, phi=0.9, e=(0.1, -0.3, 0.2))
    res = coherent_multiplet(cl)
    assert res.h_eff == pytest.approx(single_three_level((0.1, -0.3, 0.2), 0.7, 0.9), abs=1e-13)
    assert res.loop_phase == pytest.approx(0.9)
    assert res.hoppings == pytest.approx((0.7, 0.7, 0.7))
    # docs/theory.md sec. 1.2: all E_i = 0 gives lambda_k = 2 D0 cos((phi + 2 pi k)/3)
    lam = sorted(2 * 0.7 * math.cos((0.9 + 2 * math.pi * k) / 3) for k in range(3))
    assert coherent_multiplet(uniform3(1, d0=0.7, phi=0.9)).energies == pytest.approx(lam, abs=1e-12)


@pytest.mark.parametrize("seed", [0, 1])
def test_disordered_against_mpmath_des_cloizeaux(seed):
    cl = random3(3, seed)
    h, model = dense3(cl)
    ref = mp_des_cloizeaux(h, model)
    res = coherent_multiplet(cl)
    assert res.h_eff == pytest.approx(ref, rel=1e-9, abs=1e-12)
    ref_phase = np.angle(ref[0, 1] * ref[1, 2] * ref[2, 0])
    assert res.loop_phase == pytest.approx(ref_phase, abs=1e-9)


@pytest.mark.parametrize("n", [2, 3])
def test_symmetric_sector_matches_full_space(n):
    cl = uniform3(n, j=-8.0, phi=0.4, e=(0.05, -0.02, -0.03))
    a = coherent_multiplet(cl, method="symmetric")
    b = coherent_multiplet(cl, method="layers")
    assert a.h_eff == pytest.approx(b.h_eff, rel=1e-9, abs=1e-13)
    e = np.linalg.eigvalsh(dense3(cl)[0])
    assert a.energies == pytest.approx(tuple(e[:3]), rel=1e-11)


def test_tiny_hoppings_keep_relative_precision():
    # uniform, phi = 0, zero energies: the three hoppings are equal by symmetry, and the multiplet
    # splits into 2|t| ... the N-th order value N D0^N / (|J|^(N-1) (N-1)!) holds for |J| >> D0
    n, j = 10, -400.0
    res = coherent_multiplet(uniform3(n, j=j))
    pert = n / (abs(j) ** (n - 1) * math.factorial(n - 1))
    assert res.hoppings[0] == pytest.approx(pert, rel=0.05)     # ~1e-26 K, far below float resolution of E
    assert res.hoppings == pytest.approx((res.hoppings[0],) * 3, rel=1e-8)
    assert res.model_space_is_low_energy


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_loop_phase_strong_coupling_limit(n):
    # |J| >> D0: the effective hopping is (-1)^(N-1) |t| e^{i N phi / 3}: loop phase N phi + (N-1) pi
    phi = 0.8
    dev = [abs(wrap(coherent_multiplet(uniform3(n, j=j, phi=phi)).loop_phase - n * phi - (n - 1) * math.pi))
           for j in (-50.0, -500.0)]
    assert dev[1] < 0.02
    # the deviation is a correction of order D0/|J| (paths through the third well): 10x J -> dev / 10
    assert dev[0] / dev[1] == pytest.approx(10.0, rel=0.1)


def test_weak_coupling_flag():
    assert coherent_multiplet(uniform3(3, j=-20.0)).model_space_is_low_energy
    with pytest.warns(CoherentSpaceWarning, match="not the lowest multiplet"):
        assert not coherent_multiplet(uniform3(4, j=-0.05)).model_space_is_low_energy


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10**6), phi=st.floats(-3.0, 3.0))
def test_energies_are_exact_eigenvalues(seed, phi):
    cl = random3(2, seed, phi=phi)
    res = coherent_multiplet(cl)
    e = np.linalg.eigvalsh(dense3(cl)[0])
    for energy in res.energies:
        assert np.min(np.abs(e - energy)) < 1e-9
    assert np.allclose(res.h_eff, res.h_eff.conj().T)
    assert sum(res.well_energies) == pytest.approx(0.0, abs=1e-12)


def test_bad_input():
    with pytest.raises(ValueError, match="method"):
        coherent_multiplet(uniform3(2), method="qutip")
    with pytest.raises(ValueError, match="method"):
        coherent_multiplet(random3(2, 0), method="symmetric")
    with pytest.raises(TypeError, match="cluster must be a cluster model"):
        coherent_multiplet({"energies": np.zeros((2, 3)), "d0s": np.ones(2), "couplings": np.zeros((2, 2))})
    with pytest.raises(ValueError, match="three-level"):
        coherent_multiplet(TwoLevelCluster.uniform(2, 0.0, 1.0, -5.0))
    with pytest.raises(ValueError, match="energies"):
        ThreeLevelCluster(np.zeros((2, 2)), np.ones(2), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="n = 9"):
        coherent_multiplet(random3(9, 0))


def test_real_cluster_class_if_available():
    clusters = pytest.importorskip("clusters")
    cl = clusters.ThreeLevelCluster.uniform(3, [0.0, 0.0, 0.0], 1.0, -20.0, phi=0.5)
    res = coherent_multiplet(cl)
    e = cl.eigenenergies(3)
    assert res.energies == pytest.approx(tuple(e), rel=1e-10)


def test_weak_coupling_centre_fallback_regression():
    # plain Newton for E0 wanders between poles here; the bracketed fallback must still return
    # exact eigenvalues of H (found by a random search over J in [-8, 3])
    cl = random3(2, 974487, j=-1.2408453221978313, phi=-1.9468219958815478)
    res = coherent_multiplet(cl, warn=False)
    e = np.linalg.eigvalsh(dense3(cl)[0])
    for energy in res.energies:
        assert np.min(np.abs(e - energy)) < 1e-9
