"""Distributions and densities of states (docs/response.md; docs/theory.md sec. 2)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from tunnelsim.response.distributions import (
    ats_dos,
    fe_pdf,
    sample_ats,
    sample_fe,
    sample_stm,
    stm_dos,
)
from tunnelsim.single.effective import three_level_doublet_gap
from tunnelsim.single.three_level import three_level_energies


def _explicit_3ls(e, d0, phi):
    w = np.exp(1j * phi / 3)
    h = np.array([[e[0], d0 * w, d0 * np.conj(w)],
                  [d0 * np.conj(w), e[1], d0 * w],
                  [d0 * w, d0 * np.conj(w), e[2]]])
    return np.linalg.eigvalsh(h)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=3, max_size=3), st.floats(0.01, 3), st.floats(-7, 7))
def test_ensemble_levels_match_explicit_matrix(e, d0, phi):
    e = np.array(e) - np.mean(e)
    lev = three_level_energies(e[None, :], np.array([d0]), np.array([phi]))[0]
    ref = _explicit_3ls(e, d0, phi)
    assert np.allclose(lev, ref, atol=1e-9 * max(1.0, np.abs(ref).max()))


def test_ensemble_levels_equal_one_system_at_a_time():
    s = sample_ats(20, 5, d_min=0.01, d_max=1.0, d0_min=0.1, d0_max=10.0)
    phi = np.linspace(-7.0, 7.0, 20)
    lev = three_level_energies(s.energies, s.d0, phi)
    ref = np.array([three_level_energies(e, d, p) for e, d, p in zip(s.energies, s.d0, phi)])
    np.testing.assert_array_equal(lev, ref)  # the same arithmetic, row by row
    assert three_level_energies(s.energies, s.d0, 0.7).shape == (20, 3)


def test_ensemble_levels_near_degenerate_doublet_accuracy():
    # doublet gap 1e-4 of the hopping: the stable discriminant keeps it to high relative accuracy
    e = np.array([1e-4, -0.3e-4, -0.7e-4])
    lev = three_level_energies(e[None, :], np.array([1.0]))[0]
    ref = _explicit_3ls(e, 1.0, 0.0)
    assert abs((lev[1] - lev[0]) / (ref[1] - ref[0]) - 1) < 1e-6


def test_stm_sampler_reproduces_analytic_dos():
    n = 200_000
    s = sample_stm(n, 3, delta_max=1.0, delta0_min=1e-4, delta0_max=1.0)
    # normalisation: N = Pbar * 2 delta_max * ln(delta0_max/delta0_min), so g/N is the sample density
    norm = 2.0 * np.log(1e4)
    edges = np.geomspace(1e-3, 1.3, 20)
    hist, _ = np.histogram(s.energy, edges)
    for lo, hi, h in zip(edges[:-1], edges[1:], hist):
        expect = quad(lambda e: stm_dos(e, 1.0, delta_max=1.0, delta0_min=1e-4, delta0_max=1.0),
                      lo, hi, limit=200)[0] / norm * n
        assert abs(h - expect) < 4 * np.sqrt(expect) + 2


def test_stm_dos_against_direct_double_integral():
    # g(E) = int dDelta dDelta0 Pbar/Delta0 delta(E - sqrt(Delta^2 + Delta0^2)), via Delta0 integral
    e, lo = 0.3, 1e-3
    direct = quad(lambda d0: 2 * e / (d0 * np.sqrt(e * e - d0 * d0)), lo, e, limit=200)[0]
    assert stm_dos(e, 1.0, delta_max=1.0, delta0_min=lo, delta0_max=1.0) == pytest.approx(direct, rel=1e-7)
    # nearly constant: 2 ln(2E/Delta0min) for Delta0min << E
    assert stm_dos(0.5, 1.0, delta0_min=1e-7) == pytest.approx(2 * np.log(1e7), rel=1e-6)


def test_ats_sampler_dos_from_exact_diagonalisation():
    n = 40_000
    s = sample_ats(n, 1, d_min=0.01, d_max=1.0, d0_min=10.0, d0_max=100.0)
    gap = np.diff(three_level_energies(s.energies, s.d0), axis=1)[:, 0]
    assert np.allclose(s.energies.sum(axis=1), 0, atol=1e-15)
    edges = np.geomspace(0.012, 0.8, 12)
    hist, _ = np.histogram(gap, edges)
    for lo, hi, h in zip(edges[:-1], edges[1:], hist):
        expect = quad(lambda e: ats_dos(e, 1.0, d_min=0.01, d_max=1.0), lo, hi)[0] / np.log(100) * n
        assert abs(h - expect) < 4 * np.sqrt(expect)
    # below D_min the exact gaps are (almost) absent: the effective gap is only approximate
    assert np.mean(gap < 0.0095) < 1e-3


def test_effective_gap_of_an_ensemble_is_the_near_degenerate_limit():
    rng = np.random.default_rng(2)
    e = rng.normal(size=(50, 3)) * 1e-3
    e -= e.mean(axis=1, keepdims=True)
    for phi in (0.0, 0.01, 0.01 + 2 * np.pi, 0.01 - 4 * np.pi):  # phi is wrapped: the spectrum is 2 pi periodic
        lev = _explicit_levels(e, 1.0, phi)
        assert np.allclose(lev[:, 1] - lev[:, 0], three_level_doublet_gap(e, 1.0, phi), rtol=1e-2)
    s = sample_ats(30, 3, d_min=0.01, d_max=0.1, d0_min=20.0, d0_max=50.0)
    assert np.allclose(s.effective_gap, np.sqrt((2 / 3) * np.sum(s.energies**2, axis=1)), rtol=1e-14)


def _explicit_levels(e, d0, phi):
    return np.array([_explicit_3ls(row, d0, phi) for row in e])


def test_fe_pdf_normalised_peaked_and_sampled():
    x = np.linspace(0, 40, 40001)
    p = fe_pdf(x, 0.5)
    assert np.trapezoid(p, x) == pytest.approx(1.0, rel=1e-6)
    assert x[np.argmax(p)] == pytest.approx(0.5, abs=1e-3)
    s = sample_fe(100_000, 0.5, 4)
    assert s.mean() == pytest.approx(1.0, rel=0.01)  # mean of the gamma(2) law is 2 delta_fe


@pytest.mark.parametrize("call, match", [
    (lambda: sample_stm(10, 0, delta0_min=1.0, delta0_max=0.1), "delta0_min"),
    (lambda: sample_stm(0), "n"),
    (lambda: sample_ats(10, 0, d_min=-1.0), "d_min"),
    (lambda: sample_ats(10, 0, d_min=1.0, d_max=0.5), "d_min"),
    (lambda: stm_dos([0.1, -0.2]), "energy"),
    (lambda: ats_dos(0.1, d_min=0.2, d_max=0.1), "d_min"),
    (lambda: three_level_energies([[1.0, 1.0, 1.0]], [1.0]), "energies"),
    (lambda: three_level_energies([[1.0, -1.0, 0.0]], [-1.0]), "d0"),
    (lambda: three_level_energies(np.zeros((4, 3)), np.ones(3)), "d0"),
    (lambda: three_level_doublet_gap(np.zeros((4, 3)), 1.0, np.zeros(2)), "phi"),
    (lambda: fe_pdf(1.0, 0.0), "delta_fe"),
    (lambda: sample_stm(5, rng="seed"), "rng"),
    (lambda: sample_fe(5, 0.5, rng=-1), "rng"),
])
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
