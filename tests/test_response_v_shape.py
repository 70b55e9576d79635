"""The V of delta eps'/eps_r: the arm fitter against exact V's, the ATS static limit in closed form,
and what the toolkit's eq. 14 can and cannot do to the -2:1 V of silica (docs/theory.md sec. 6)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from tunnelsim.response.curves import dielectric_minimum, log_slope
from tunnelsim.response.dielectric import dielectric_ats_parts, dielectric_total
from tunnelsim.response.presets import PRESETS, get_preset
from tunnelsim.response.v_shape import (
    T_GRID,
    ats_parameters_for_ratio,
    ats_v_scan,
    closest_ratio,
    dielectric_v_shape,
    v_shape,
)

F = 1e3
STM = {"chi": 1.0, "delta0_min": 1e-7, "k_relax": 1e8}


@settings(max_examples=40, deadline=None)
@given(a=st.floats(-5.0, -0.1), b=st.floats(0.1, 5.0), t0=st.floats(1e-3, 1.0), c=st.floats(-30, 30))
def test_exact_piecewise_linear_v_is_recovered(a, b, t0, c):
    # v = c + a ln(T/t0) below t0, c + b ln(T/t0) above: both arms are exact lines
    t = np.geomspace(t0 / 1e3, t0 * 1e3, 241)
    x = np.log(t / t0)
    s = v_shape(t, c + np.where(x < 0, a * x, b * x))
    assert s.slope_below == pytest.approx(a, rel=1e-9)
    assert s.slope_above == pytest.approx(b, rel=1e-9)
    assert s.ratio == pytest.approx(abs(a / b), rel=1e-9)
    assert abs(s.bend_below) < 1e-7 and abs(s.bend_above) < 1e-7
    assert abs(math.log(s.t_min / t0)) <= math.log(10) / 40  # within one grid step


def test_bend_of_a_parabola_and_of_a_saturating_arm():
    t = np.geomspace(1e-3, 1e3, 2001)
    x = np.log(t)
    # v = (ln T)^2: the slope is 2 ln T, so a half-window fit gives 2 ln T at the half's centre and the
    # bend is (ln 10 / 2) / |centre of the window in ln T| = 1.1513 / (ln 3 + 1.1513) on both arms
    # (window edges fall between samples: a grid step of ln 10/333 allows ~0.3 %)
    bent = v_shape(t, x * x)
    expected = 0.5 * math.log(10) / (math.log(3) + 0.5 * math.log(10))
    assert bent.bend_below == pytest.approx(expected, rel=5e-3)
    assert bent.bend_above == pytest.approx(expected, rel=5e-3)
    # v = -exp(-|ln T|): arms that flatten away from the minimum bend the other way
    assert v_shape(t, -np.exp(-np.abs(x))).bend_above < 0


def test_model_v_of_silica():
    # far from the minimum the arms are the STM asymptotes of paper eqs. 10-11: -2 chi and -> +chi
    s = dielectric_v_shape(T_GRID, F, gap=30.0, decades=0.5, **STM)
    assert s.slope_below == pytest.approx(-2.0, abs=0.01)
    assert 0.93 < s.slope_above < 1.0
    tmin, _ = dielectric_minimum(np.geomspace(1e-4, 10.0, 200), F, **STM)
    assert s.t_min == pytest.approx(tmin, rel=0.01)  # two samplings, one minimum
    # the same windows through the generic slope fitter
    t = np.geomspace(1e-5, 30.0, 200)
    v = dielectric_total(t, F, **STM)
    assert s.slope_below == pytest.approx(log_slope(t, v, *s.window_below), rel=1e-12)


def _static_ats(a):
    """Closed form of the fully relaxed ATS response, RES + REL (offset included), in units of chi_ats:
    S(a) - 1 with S(a) = 2 a int_a^inf tanh(x)/x^2 dx - tanh(a), a = D_min/2T (integration by parts of
    D_min int dE/E [tanh(E/2T)/E + sech^2(E/2T)/(2T)] with the doublet's <u^2> = <1-u^2> = 1/2)."""
    return 2 * a * quad(lambda x: np.tanh(x) / x**2, a, np.inf, limit=200)[0] - np.tanh(a) - 1.0


def test_ats_static_limit_closed_form_and_its_bump():
    d_min = 0.05
    a = np.geomspace(0.01, 30.0, 60)
    t = d_min / (2 * a)
    p = dielectric_ats_parts(t, 1e-9, chi_ats=1.0, d_min=d_min, k_ats=1e14)  # omega tau* << 1 everywhere
    ref = np.array([_static_ats(x) for x in a])
    assert np.allclose(p["total"], ref, atol=1e-8)
    # the fully relaxed ATS rise above its T -> 0 value by at most ~0.11 chi_ats (maximum at a ~ 0.8),
    # then fall: on their own they give a bump, no ln T arm
    assert 0.10 < ref.max() < 0.115
    assert abs(math.log(a[np.argmax(ref)] / 0.8)) < 0.2
    assert ref[0] < -0.9  # T >> D_min: the resonant step of -chi_ats is nearly complete


def test_minus_one_to_one_v_and_its_price():
    p = get_preset("multicomponent_dielectric_v")
    f = PRESETS["multicomponent_dielectric_v"].frequency
    s = dielectric_v_shape(T_GRID, f, p)
    bare = dielectric_v_shape(T_GRID, f, **STM)
    assert bare.ratio == pytest.approx(2.07, abs=0.03)
    assert s.ratio == pytest.approx(1.0, abs=0.02)  # a -1:1 V ...
    # ... whose arms bend more than silica's but less than a parabola's (+0.51) ...
    assert max(bare.bend_below, bare.bend_above) < s.bend_below < 0.4
    assert max(bare.bend_below, bare.bend_above) < s.bend_above < 0.4
    assert s.t_min > 5 * bare.t_min  # ... but the minimum has moved far above silica's 20-100 mK
    # and the STM -2 arm is still there further down
    t = np.geomspace(1e-5, 30.0, 300)
    assert log_slope(t, dielectric_total(t, f, p), s.t_min / 1000, s.t_min / 100) == pytest.approx(-2.0, abs=0.02)


@pytest.mark.slow
def test_search_finds_the_minus_one_to_one_point_from_a_scan():
    start = {"chi_ats": 3.16, "d_min": 0.04, "k_ats": 1e12}
    params, s = ats_parameters_for_ratio(1.0, F, start, max_evaluations=60, **STM)
    assert s.ratio == pytest.approx(1.0, abs=0.02)
    assert params["d_min"] == pytest.approx(0.05, rel=0.2)


@pytest.mark.slow
def test_with_tmin_in_silica_range_no_ats_flattens_the_low_arm(tmp_path):
    path = tmp_path / "scan.jsonl"
    rows = ats_v_scan(F, [0.3, 1.0, 3.0], [1e-3, 1e-2, 0.04], [1e8, 1e12], path=path, progress=False, **STM)
    assert len(path.read_text().splitlines()) == len(rows) == 18  # every point written as it finished
    best = closest_ratio(rows, 1.0, (0.02, 0.1))
    assert best is not None and best["ratio"] > 1.9
    # outside the band the same grid already gets much closer to -1:1
    assert closest_ratio(rows, 1.0)["ratio"] < 1.5


def test_closest_ratio_on_hand_made_rows():
    rows = [
        {"chi_ats": 1, "d_min": 1, "k_ats": 1, "t_min": 0.05, "ratio": 2.0, "slope_below": -2.0, "slope_above": 1.0},
        {"chi_ats": 2, "d_min": 1, "k_ats": 1, "t_min": 0.5, "ratio": 1.1, "slope_below": -1.1, "slope_above": 1.0},
        {"chi_ats": 3, "d_min": 1, "k_ats": 1, "t_min": 0.06, "ratio": 0.5, "slope_below": 0.5, "slope_above": 1.0},
        {"chi_ats": 4, "d_min": 1, "k_ats": 1, "error": "no interior minimum"},
    ]
    assert closest_ratio(rows, 1.0)["chi_ats"] == 2
    assert closest_ratio(rows, 1.0, (0.0, 0.1))["chi_ats"] == 1  # the rising 'low arm' row is no V
    assert closest_ratio(rows, 1.0, (1.0, 2.0)) is None


@pytest.mark.parametrize("call, match", [
    (lambda: v_shape(np.geomspace(1e-3, 1, 50), np.linspace(0, 1, 50)), "no interior minimum"),
    (lambda: v_shape(np.geomspace(1e-2, 1, 50), np.abs(np.log(np.geomspace(1e-2, 1, 50) / 0.1))), "T must span"),
    (lambda: v_shape([1.0, 0.5, 0.2, 0.1, 0.05], [1, 0, -1, 0, 1]), "strictly increasing"),
    (lambda: v_shape(np.geomspace(1e-3, 1, 50), np.ones(49)), "values"),
    (lambda: v_shape(np.geomspace(1e-3, 1, 50), np.ones(50), gap=0.5), "gap"),
    (lambda: v_shape(np.geomspace(1e-3, 1, 50), np.ones(50), decades=0), "decades"),
    (lambda: ats_parameters_for_ratio(1.0, F, {"chi_ats": 1.0, "d_min": 0.01}, **STM), "k_ats"),
    (lambda: ats_parameters_for_ratio(-1.0, F, {"chi_ats": 1.0, "d_min": 0.01, "k_ats": 1e9}, **STM), "target"),
    (lambda: ats_v_scan(F, [1.0], [-0.01], [1e9], progress=False, **STM), "d_min"),
    (lambda: ats_v_scan(F, [1.0], [0.01], [1e9], progress=False), "chi, delta0_min, k_relax"),
    (lambda: ats_v_scan(F, [1.0], [0.01], [1e9], get_preset("multicomponent_dielectric_v"), progress=False),
     "chi_ats, d_min, k_ats"),
    (lambda: dielectric_v_shape(T_GRID[::-1], F, **STM), "T"),
    (lambda: dielectric_v_shape(T_GRID[:3], F, **STM), "T"),
    (lambda: dielectric_v_shape(T_GRID, F), "no dielectric term"),
    (lambda: closest_ratio([], 1.0, (0.1, 0.01)), "t_min_bounds"),
    (lambda: ats_v_scan(F, [1.0], [0.01], [1e9], chi=-1.0, progress=False), "chi"),
    (lambda: ats_parameters_for_ratio(1.0, F, {"chi_ats": 1.0, "d_min": 0.01, "k_ats": 1e9}, **{**STM, "k_relax": 0.0}),
     "k_relax"),
    (lambda: ats_parameters_for_ratio(1.0, F, {"chi_ats": 1.0, "d_min": 0.01, "k_ats": 1e9}, chi_ats=2.0, **STM),
     "chi_ats"),
])
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_minimum_of_the_minus_one_to_one_v_hardly_moves_with_frequency():
    # silica's minimum sits where omega tau_min ~ 1 (T_min ~ f^(1/3)); the -1:1 minimum is placed by the
    # resonant ATS step near D_min, which has no omega in it, so it moves much less with f
    p = get_preset("multicomponent_dielectric_v")
    t = np.geomspace(1e-4, 10.0, 200)
    lo, hi = dielectric_minimum(t, 1e2, p)[0], dielectric_minimum(t, 1e5, p)[0]
    s_lo, s_hi = dielectric_minimum(t, 1e2, **STM)[0], dielectric_minimum(t, 1e5, **STM)[0]
    assert math.log(s_hi / s_lo) / math.log(1e3) == pytest.approx(1 / 3, abs=0.02)
    assert 0 < math.log(hi / lo) / math.log(1e3) < 0.15
