"""Closed forms of the single tunneling systems against exact diagonalisation (docs/theory.md sec. 1)."""

import numpy as np
import pytest
import qutip
from hypothesis import given
from hypothesis import strategies as st

from tunnelsim import (
    four_level,
    four_level_char_poly,
    four_level_energies,
    four_level_energies_degenerate,
    three_level,
    three_level_char_poly,
    three_level_energies,
    two_level,
    two_level_energies,
)

scales = st.sampled_from([1e-8, 1e-3, 0.1, 1.0, 30.0])
coef = st.floats(-1.0, 1.0)
hop = st.floats(0.01, 3.0)
phase = st.floats(-20.0, 20.0)


def traceless(values, scale):
    e = np.asarray(values, float) * scale
    return e - e.mean()


def exact(h: qutip.Qobj) -> np.ndarray:
    # numpy's Hermitian solver on the dense matrix: an independent route to the levels
    return np.linalg.eigvalsh(h.full())


@given(st.floats(-5, 5), st.floats(-5, 5))
def test_two_level_levels(delta, delta0):
    h = two_level(delta, delta0)
    assert h.isherm
    np.testing.assert_allclose(exact(h), two_level_energies(delta, delta0), atol=1e-14)
    # sigma_z |L> = +|L>: the L well carries +Delta/2
    assert h.full()[0, 0] == pytest.approx(delta / 2)


@given(st.lists(coef, min_size=3, max_size=3), scales, hop, phase)
def test_viete_matches_exact_3ls(values, scale, d0, phi):
    e = traceless(values, scale)
    h = three_level(e, d0, phi)
    assert h.isherm
    ref = exact(h)
    got = three_level_energies(e, d0, phi)
    tol = 1e-13 * max(1.0, np.abs(ref).max())
    np.testing.assert_allclose(got, ref, atol=tol)


@given(st.lists(coef, min_size=3, max_size=3), st.sampled_from([1e-9, 1e-6, 1e-4]), hop, st.floats(0, 1e-5))
def test_viete_near_degenerate_doublet_keeps_relative_accuracy(values, scale, d0, phi):
    # the doublet splitting is tiny; the stable discriminant keeps it accurate relative to itself
    e = traceless(values, scale)
    ref = exact(three_level(e, d0, phi))
    got = three_level_energies(e, d0, phi)
    split_ref = ref[1] - ref[0]
    # eigvalsh itself is accurate to ~ eps * |H|, which bounds how well the reference knows the split
    assert abs((got[1] - got[0]) - split_ref) <= 1e-14 * 3 * d0 + 1e-6 * split_ref


@given(st.lists(coef, min_size=3, max_size=3), scales, hop, phase)
def test_3ls_char_poly_coefficients(values, scale, d0, phi):
    e = traceless(values, scale)
    p, q, disc = three_level_char_poly(e, d0, phi)
    c = np.poly(three_level(e, d0, phi).full())  # lambda^3 + c1 lambda^2 + c2 lambda + c3
    s = max(1.0, scale, d0) ** 3
    assert abs(c[1]) < 1e-12 * s
    assert -c[2].real == pytest.approx(p, rel=1e-10, abs=1e-12 * s)
    assert -c[3].real == pytest.approx(q, rel=1e-10, abs=1e-12 * s)
    lev = exact(three_level(e, d0, phi))
    vander = np.prod([lev[1] - lev[0], lev[2] - lev[0], lev[2] - lev[1]]) ** 2
    assert disc == pytest.approx(vander / 108, rel=1e-6, abs=1e-10 * s**2)


def test_3ls_degenerate_limit_closed_form():
    d0 = 0.7
    for phi in np.linspace(-7, 7, 29):
        ref = np.sort(2 * d0 * np.cos((phi + 2 * np.pi * np.arange(3)) / 3))
        np.testing.assert_allclose(three_level_energies(np.zeros(3), d0, phi), ref, atol=1e-14)
        np.testing.assert_allclose(exact(three_level(np.zeros(3), d0, phi)), ref, atol=1e-14)
    # D0 > 0: symmetric ground state doubly degenerate at phi = 0, third level 3 D0 above
    lev = three_level_energies(np.zeros(3), d0, 0.0)
    np.testing.assert_allclose(lev, [-d0, -d0, 2 * d0], atol=1e-14)


@given(st.lists(coef, min_size=4, max_size=4), st.sampled_from([1e-3, 0.1, 1.0, 10.0]), hop, hop, phase,
       st.sampled_from(["symmetrised", "straight"]))
def test_quartic_matches_exact_4ls(values, scale, d1, d2, phi, diagonal):
    e = traceless(values, scale)
    h = four_level(e, d1, d2, phi, diagonal)
    assert h.isherm
    ref = exact(h)
    got = four_level_energies(e, d1, d2, phi, diagonal)
    gaps = np.diff(ref)
    # well separated levels: near machine precision; clustered pairs: the sqrt(eps) conditioning
    tol = max(1.0, np.abs(ref).max()) * (1e-11 if gaps.min() > 1e-3 * max(1.0, np.abs(ref).max()) else 2e-7)
    np.testing.assert_allclose(got, ref, atol=tol)


@given(st.lists(coef, min_size=4, max_size=4), st.sampled_from([0.1, 1.0, 5.0]), hop, hop, phase,
       st.sampled_from(["symmetrised", "straight"]))
def test_4ls_char_poly_coefficients(values, scale, d1, d2, phi, diagonal):
    e = traceless(values, scale)
    a, b, c = four_level_char_poly(e, d1, d2, phi, diagonal)
    ref = np.poly(four_level(e, d1, d2, phi, diagonal).full()).real
    s = max(1.0, scale, d1, d2) ** 4
    np.testing.assert_allclose([ref[1], ref[2], ref[3], ref[4]], [0.0, a, b, c], atol=1e-11 * s)


@pytest.mark.parametrize("diagonal", ["symmetrised", "straight"])
def test_4ls_degenerate_limit(diagonal):
    for d1, d2 in [(1.0, 0.5), (1.0, 2.0), (0.3, 0.3)]:
        phi = np.linspace(-9, 9, 37)
        closed = four_level_energies_degenerate(d1, d2, phi, diagonal)
        ex = np.array([exact(four_level(np.zeros(4), d1, d2, p, diagonal)) for p in phi])
        np.testing.assert_allclose(closed, ex, atol=1e-13)
    # phi = 0: 2 d1 + d2, -d2 (twice), d2 - 2 d1
    np.testing.assert_allclose(four_level_energies_degenerate(1.0, 0.4, 0.0), [-1.6, -0.4, -0.4, 2.4])
    # sort=False: lambda_k belongs to the Fourier state (1, i^k, (-1)^k, (-i)^k)/2, checked as H v = lambda v
    phi = 0.9
    lam = four_level_energies_degenerate(1.0, 0.4, phi, diagonal, sort=False)
    h = four_level(np.zeros(4), 1.0, 0.4, phi, diagonal).full()
    for k in range(4):
        v = np.array([1, 1j**k, (-1) ** k, (-1j) ** k]) / 2
        np.testing.assert_allclose(h @ v, lam[k] * v, atol=1e-13)


def test_4ls_ground_doublet_split_by_field_when_d2_exceeds_d1():
    d1, d2 = 1.0, 2.5
    for phi in np.linspace(0.0, 1.2, 13):
        for diagonal in ("symmetrised", "straight"):
            lev = exact(four_level(np.zeros(4), d1, d2, phi, diagonal))
            assert lev[1] - lev[0] == pytest.approx(4 * d1 * abs(np.sin(phi / 4)), abs=1e-12)
            assert lev[2] - lev[1] > 1.0  # an isolated doublet
    # d2 < d1: the ground state is a singlet at phi = 0, the doublet sits in the middle
    lev = exact(four_level(np.zeros(4), 1.0, 0.5, 0.0))
    assert lev[1] - lev[0] > 0.5 and lev[2] - lev[1] < 1e-12
