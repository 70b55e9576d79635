"""Dielectric response: exact integrals of docs/theory.md sec. 6 against quadrature, slopes, limits."""

import numpy as np
import pytest
from scipy.integrate import quad

from tunnelsim.constants import frequency_to_kelvin
from tunnelsim.response.curves import dielectric_minimum, log_slope
from tunnelsim.response.dielectric import (
    dielectric_ats_parts,
    dielectric_stm,
    dielectric_stm_parts,
    dielectric_total,
)
from tunnelsim.response.parameters import GlassParameters
from tunnelsim.response.presets import get_preset

D0, K, F = 1e-7, 1e8, 1e3
W = 2 * np.pi * F
SILICA = get_preset("silica_dielectric")


def _rel_quad(t, d0=D0, k=K, w=W, imag=False):
    """REL (or its loss) by nested adaptive quadrature in the original variables E and u."""
    def inner(e):
        if e <= d0:
            return 0.0
        uc2 = w * np.tanh(e / (2 * t)) / (k * e**3)

        def f(u):
            wt = uc2 / (u * u)  # omega tau
            g = wt / (1 + wt * wt) if imag else 1 / (1 + wt * wt)
            return np.sqrt(1 - u * u) / u * g
        uc = np.sqrt(uc2)
        pts = [uc] if d0 / e < uc < 1 else None
        return quad(f, d0 / e, 1, points=pts, limit=300)[0]

    return quad(lambda s: np.exp(s) * inner(np.exp(s)) / t / np.cosh(np.exp(s) / (2 * t)) ** 2,
                np.log(d0), np.log(80 * t), limit=300)[0]


def _res_quad(t, d0=D0):
    return 2 * quad(lambda s: np.sqrt(1 - (d0 / np.exp(s)) ** 2) * (np.tanh(np.exp(s) / (2 * t)) - 1),
                    np.log(d0), np.log(80 * t), limit=300)[0]


@pytest.mark.parametrize("t", [0.004, 0.05, 0.5])
def test_stm_parts_match_nested_quadrature(t):
    p = dielectric_stm_parts([t], F, 1.0, D0, K)
    assert p["res"][0] == pytest.approx(_res_quad(t), rel=1e-7)
    assert p["rel"][0] == pytest.approx(_rel_quad(t), rel=1e-5)
    assert p["loss_rel"][0] == pytest.approx(_rel_quad(t, imag=True), rel=1e-4)


def test_static_relaxation_limit_closed_form():
    # omega -> 0: inner integral = ln((1 + sqrt(1-u0^2))/u0) - sqrt(1-u0^2), u0 = Delta0min/E
    t = 0.02

    def inner(e):
        u0 = D0 / e
        r = np.sqrt(1 - u0 * u0)
        return np.log((1 + r) / u0) - r
    ref = quad(lambda s: np.exp(s) * inner(np.exp(s)) / t / np.cosh(np.exp(s) / (2 * t)) ** 2,
               np.log(D0), np.log(80 * t), limit=300)[0]
    assert dielectric_stm(t, 1e-12, 1.0, D0, K, part="rel") == pytest.approx(ref, rel=1e-6)


def test_minus_two_to_one_v_of_silica():
    # docs/theory.md sec. 6: -2.00 (1-3 mK) and +0.93..+0.98 (0.3-1 K)
    t = np.geomspace(1e-3, 1.0, 60)
    v = dielectric_stm(t, F, 1.0, D0, K)
    assert log_slope(t, v, 1e-3, 3e-3) == pytest.approx(-2.0, abs=0.01)
    assert 0.93 <= log_slope(t, v, 0.3, 1.0) <= 0.98
    p = dielectric_stm_parts(t, F, 1.0, D0, K)
    assert log_slope(t, p["res"], 0.3, 1.0) == pytest.approx(-2.0, abs=1e-3)
    assert log_slope(t, p["rel"], 0.3, 1.0) == pytest.approx(3.0, abs=0.07)
    # scaling with chi
    assert np.allclose(dielectric_stm(t, F, 2.5, D0, K), 2.5 * v)


def test_minimum_moves_as_cube_root_of_frequency():
    t = np.geomspace(1e-3, 1.0, 80)
    t1, _ = dielectric_minimum(t, 1e3, SILICA)
    t2, _ = dielectric_minimum(t, 1e5, chi=1.0, delta0_min=D0, k_relax=K)
    assert 0.02 < t1 < 0.1  # "near 20-100 mK at 1 kHz"
    assert np.log(t2 / t1) / np.log(100) == pytest.approx(1 / 3, abs=0.02)


def test_loss_plateau_and_resonant_absorption():
    t = np.geomspace(0.3, 1.0, 5)
    loss = dielectric_stm(t, F, 1.0, D0, K, part="loss")
    assert np.allclose(loss, np.pi / 2, rtol=0.05)  # relaxational plateau (pi/2) chi
    # resonant absorption at a frequency with hbar omega > Delta0min, low T: pi chi tanh(hw/2T)
    f = 1e9
    hw = frequency_to_kelvin(f)
    lr = dielectric_stm([0.01], f, 1.0, D0, K, part="loss_res")[0]
    assert lr == pytest.approx(np.pi * np.tanh(hw / 0.02) * np.sqrt(1 - (D0 / hw) ** 2), rel=1e-12)


def test_ats_parts_match_quadrature():
    t, dmin, ka = 0.01, 1e-3, 1e10

    def res_ref():
        return quad(lambda s: dmin / np.exp(s) * (np.tanh(np.exp(s) / (2 * t)) - 1), np.log(dmin),
                    np.log(80 * t), limit=200)[0]

    def rel_ref():
        def inner(e):
            uc2 = W * np.tanh(e / (2 * t)) / (ka * e**3)
            return (2 / np.pi) * quad(lambda p: np.cos(p) ** 2 / (1 + (uc2 / np.sin(p) ** 2) ** 2),
                                      0, np.pi / 2, limit=200)[0]
        return dmin * quad(lambda s: inner(np.exp(s)) / t / np.cosh(np.exp(s) / (2 * t)) ** 2,
                           np.log(dmin), np.log(80 * t), limit=200)[0]

    p = dielectric_ats_parts([t], F, 1.0, dmin, ka)
    assert p["res"][0] == pytest.approx(res_ref(), rel=1e-7)
    assert p["rel"][0] == pytest.approx(rel_ref(), rel=1e-4)
    # far above D_min the resonant ATS part tends to -chi_ats (all doublets thermally saturated)
    assert dielectric_ats_parts([100.0], F, 1.0, dmin, ka)["res"][0] == pytest.approx(-1.0, abs=1e-3)
    tot = dielectric_total([t], F, SILICA, chi_ats=1.0, d_min=dmin, k_ats=ka)
    assert tot[0] == pytest.approx(dielectric_stm([t], F)[0] + p["total"][0], rel=1e-12)
    # one container for both species and both observables; keywords go over it
    both = GlassParameters(chi=1.0, delta0_min=D0, k_relax=K, chi_ats=1.0, d_min=dmin, k_ats=ka, p_star=3.0)
    assert dielectric_total([t], F, both)[0] == tot[0]
    assert dielectric_total([t], F, both, chi_ats=0.0)[0] == dielectric_stm([t], F)[0]
    assert dielectric_total([t], F, chi=0.0, chi_ats=1.0, d_min=dmin, k_ats=ka)[0] == p["total"][0]


@pytest.mark.parametrize("call, match", [
    (lambda: dielectric_stm([0.1, -0.1], F), "T"),
    (lambda: dielectric_stm(0.1, 0.0), "frequency"),
    (lambda: dielectric_stm(0.1, F, delta0_min=0.0), "delta0_min"),
    (lambda: dielectric_stm(0.1, F, k_relax=-1.0), "k_relax"),
    (lambda: dielectric_stm(0.1, F, part="imag"), "part"),
    (lambda: dielectric_ats_parts(0.1, F, d_min=0.1, d_max=0.01), "d_min"),
    (lambda: dielectric_ats_parts(0.1, F, d_max="1"), "d_max"),
    (lambda: dielectric_stm(float("nan"), F), "T"),
    (lambda: dielectric_minimum([1.0, 0.5, 0.1], F, SILICA), "T"),
    (lambda: dielectric_minimum(np.geomspace(1e-3, 1, 9), F), "no dielectric term"),
    (lambda: dielectric_total(0.1, F, chi=1.0), "delta0_min and k_relax"),
    (lambda: dielectric_total(0.1, F, SILICA, chi_ats=1.0, d_min=0.01), "k_ats"),
    (lambda: dielectric_total(0.1, F, SILICA, part="imag"), "part"),
    (lambda: dielectric_total(0.1, F, {"chi": 1.0}), "GlassParameters"),
    (lambda: dielectric_total(0.1, F, SILICA, k_relax=0.0), "k_relax"),
])
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
