"""Heat capacity: closed forms against integrals, limits, ensembles (docs/theory.md sec. 5)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from tunnelsim.response.distributions import sample_ats, sample_fe
from tunnelsim.response.heat_capacity import (
    heat_capacity,
    heat_capacity_2ls,
    heat_capacity_ats,
    heat_capacity_ats_ensemble,
    heat_capacity_ats_field,
    heat_capacity_debye,
    heat_capacity_fe,
    heat_capacity_from_dos,
    schottky_levels,
)
from tunnelsim.response.parameters import GlassParameters
from tunnelsim.response.presets import get_preset
from tunnelsim.single.three_level import three_level_energies


def _kernel(e, t):
    y = e / (2 * t)
    return y * y / np.cosh(y) ** 2 if y < 300 else 0.0


def _quad_dos(g, lo, hi, t):
    pts = [p for p in (2 * t, 10 * t) if lo < p < hi]
    return quad(lambda e: g(e) * _kernel(e, t), lo, hi, points=pts or None, limit=300, epsabs=0)[0]


@settings(max_examples=25, deadline=None)
@given(st.floats(1e-3, 10.0), st.floats(1e-3, 1.0))
def test_eq26_closed_form_equals_integral(t, d_min):
    if d_min / (2 * t) > 300:
        return
    ref = quad(lambda e: _kernel(e, t) / e, d_min, np.inf, limit=300)[0]
    assert heat_capacity_ats(t, 2.0, d_min) == pytest.approx(2.0 * ref, rel=1e-7, abs=1e-300)


def test_eq26_limits():
    # shoulder P* ln 2 for T >> D_min; (2a + 1) exp(-2a) for T << D_min
    assert heat_capacity_ats(1e4, 1.0, 0.1) == pytest.approx(np.log(2), rel=1e-6)
    a = 0.1 / (2 * 0.002)
    assert heat_capacity_ats(0.002, 1.0, 0.1) == pytest.approx((2 * a + 1) * np.exp(-2 * a), rel=1e-6)


def test_2ls_linear_in_t_and_with_cutoffs():
    t = np.array([0.01, 0.1, 1.0])
    assert np.allclose(heat_capacity_2ls(t, 3.0), 3.0 * np.pi**2 / 6 * t, rtol=1e-14)
    for ti in t:
        ref = _quad_dos(lambda e: 3.0, 0.05, 2.0, ti)
        assert heat_capacity_2ls(ti, 3.0, 0.05, 2.0) == pytest.approx(ref, rel=1e-8)
    # general DOS integral: constant DOS without cut-offs reproduces (pi^2/6) Pbar T
    assert heat_capacity_from_dos(0.3, lambda e: np.ones_like(e), 0.0, np.inf) == pytest.approx(
        np.pi**2 / 6 * 0.3, rel=1e-10)


def test_debye_and_total_is_sum_of_parts():
    t = np.geomspace(0.01, 2, 7)
    p = {"c_debye": 1.5, "c_2ls": 1.2, "p_star": 3.0, "d_min": 0.08, "n_fe": 2.0, "delta_fe": 0.5}
    tot = heat_capacity(t, GlassParameters(**p))
    parts = (heat_capacity_debye(t, 1.5) + 1.2 * t + heat_capacity_ats(t, 3.0, 0.08)
             + heat_capacity_fe(t, 2.0, 0.5))
    assert np.allclose(tot, parts, rtol=1e-14)
    np.testing.assert_array_equal(heat_capacity(t, **p), tot)  # keywords and the container are one API
    assert np.allclose(heat_capacity(t, GlassParameters(**p), parts=True)["total"], tot)
    assert np.allclose(heat_capacity_debye(t, 2.0), 2.0 * t**3)
    # keywords go over the container; a term with amplitude 0 is absent
    np.testing.assert_allclose(heat_capacity(t, GlassParameters(**p), n_fe=0.0), tot - heat_capacity_fe(t, 2.0, 0.5),
                               rtol=1e-14)


def test_presets_go_into_heat_capacity_as_they_are():
    t = np.geomspace(0.05, 1.0, 5)
    p = get_preset("k2o_silica_illustrative", 0.2)
    ref = (heat_capacity_debye(t, p.c_debye) + p.c_2ls * t + heat_capacity_ats(t, p.p_star, p.d_min)
           + heat_capacity_fe(t, p.n_fe, p.delta_fe))
    assert np.allclose(heat_capacity(t, p), ref, rtol=1e-14)
    # at x = 0 there is no ATS term; a dielectric preset holds no heat-capacity term at all
    assert heat_capacity(t, get_preset("k2o_silica_illustrative", 0.0), parts=True)["ats"].max() == 0.0
    with pytest.raises(ValueError, match="no heat-capacity term"):
        heat_capacity(t, get_preset("silica_dielectric"))


def test_ats_term_with_an_upper_gap_cut_off():
    # g = P*/E on [d_min, d_max]: the DOS integral by quadrature, written out here
    t, d_min, d_max = 0.2, 0.05, 0.5
    ref = _quad_dos(lambda e: 2.0 / e, d_min, d_max, t)
    assert heat_capacity(t, p_star=2.0, d_min=d_min, d_max=d_max) == pytest.approx(ref, rel=1e-9)
    assert heat_capacity(t, p_star=2.0, d_min=d_min) > heat_capacity(t, p_star=2.0, d_min=d_min, d_max=d_max)


def test_fe_schottky_against_monte_carlo_and_quad():
    t = 0.3
    split = sample_fe(200_000, 0.5, 9)
    y = split / (2 * t)
    mc = np.mean(y * y / np.cosh(y) ** 2)
    ref = quad(lambda d: d / 0.25 * np.exp(-d / 0.5) * _kernel(d, t), 0, np.inf, limit=200)[0]
    assert heat_capacity_fe(t, 1.0, 0.5) == pytest.approx(ref, rel=1e-8)
    assert heat_capacity_fe(t, 1.0, 0.5) == pytest.approx(mc, rel=0.01)


def test_schottky_levels_two_level_and_high_t():
    t = np.array([0.1, 1.0])
    c = schottky_levels([[0.0, 0.5]], t)[:, 0]
    y = 0.5 / (2 * t)
    assert np.allclose(c, y * y / np.cosh(y) ** 2)
    # three equal spacings: high-T expansion C ~ (<E^2> - <E>^2)/T^2 for the uniform distribution
    c3 = schottky_levels([[0.0, 1.0, 2.0]], [1e3])[0, 0]
    assert c3 == pytest.approx(2.0 / 3.0 / 1e6, rel=1e-3)


def test_ensemble_agrees_with_effective_2ls_and_third_level_shows():
    t = np.geomspace(5e-3, 0.2, 8)
    s = sample_ats(20_000, 3, d_min=0.01, d_max=1.0, d0_min=10.0, d0_max=100.0)
    c = heat_capacity_ats_ensemble(t, s, 1.0)
    ref = np.array([_quad_dos(lambda e: 1.0 / e, 0.01, 1.0, ti) for ti in t])
    assert np.allclose(c, ref, rtol=0.05)
    near = sample_ats(5000, 4, d_min=0.01, d_max=1.0, d0_min=0.2, d0_max=2.0)
    tt = np.array([0.01, 1.0])
    full = heat_capacity_ats_ensemble(tt, near, 1.0)
    two = heat_capacity_ats_ensemble(tt, near, 1.0, effective=True)
    assert full[0] == pytest.approx(two[0], rel=1e-6)  # third level frozen out at 10 mK
    assert full[1] > 2 * two[1]  # and dominant once T ~ D0


def test_field_average_zero_field_and_even():
    t = np.array([0.05, 0.3])
    s = sample_ats(500, 6, d_min=0.01, d_max=1.0, d0_min=0.2, d0_max=2.0)
    c = heat_capacity_ats_field(t, [0.0, 2.0, -2.0], s, 1.0, area=1e-18, charge=100.0, n_theta=6)
    assert np.allclose(c[0], heat_capacity_ats_ensemble(t, s, 1.0), rtol=1e-12)
    assert np.allclose(c[1], c[2], rtol=1e-12)
    assert not np.allclose(c[0], c[1], rtol=1e-3)


def test_field_ensemble_matches_effective_gap_in_field():
    # near-degenerate 3LS in a field: exact doublet vs sqrt((2/3) sum E^2 + (4/3) D0^2 phi^2)
    s = sample_ats(2000, 8, d_min=0.01, d_max=0.1, d0_min=20.0, d0_max=50.0)
    phi = 0.002
    lev = three_level_energies(s.energies, s.d0, phi)
    eff = np.sqrt((2 / 3) * np.sum(s.energies**2, axis=1) + (4 / 3) * s.d0**2 * phi**2)
    assert np.allclose(lev[:, 1] - lev[:, 0], eff, rtol=2e-2)


@pytest.mark.parametrize("call, match", [
    (lambda: heat_capacity_ats([0.1, 0.0], 1.0, 0.1), "T"),
    (lambda: heat_capacity_ats(0.1, 1.0, -0.1), "d_min"),
    (lambda: heat_capacity_2ls(-1.0, 1.0), "T"),
    (lambda: heat_capacity_2ls(0.1, 1.0, 1.0, 0.5), "e_min"),
    (lambda: heat_capacity_fe(0.1, 1.0, 0.0), "delta_fe"),
    (lambda: heat_capacity_2ls(0.1, 1.0, 0.0, "inf"), "e_max"),
    (lambda: heat_capacity_from_dos(0.1, "1/E", 0.1, 1.0), "dos"),
    (lambda: heat_capacity_debye(float("nan"), 1.0), "T"),
    (lambda: heat_capacity(0.1, c_debye=1.0, bogus=2.0), "bogus"),
    (lambda: heat_capacity(0.1, p_star=1.0), "d_min"),
    (lambda: heat_capacity(0.1, {"c_debye": 1.0}), "GlassParameters"),
    (lambda: heat_capacity(0.1, c_debye=-1.0), "c_debye"),
    (lambda: heat_capacity(0.1, c_debye="1"), "c_debye"),
    (lambda: heat_capacity(0.1, p_star=1.0, d_min=0.5, d_max=0.1), "d_min"),
    (lambda: heat_capacity(0.1, c_debye=1.0, parts="yes"), "parts"),
    (lambda: heat_capacity_ats_ensemble([0.1], sample_ats(5, 0), 1.0, phi=[0.1, 0.2]), "phi"),
    (lambda: heat_capacity_ats_ensemble([0.1], "not a sample", 1.0), "sample"),
])
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
