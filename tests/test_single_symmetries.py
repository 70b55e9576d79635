"""Symmetries of the single-system Hamiltonians: Hermiticity, flux periodicity, gauge invariance."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tunnelsim import four_level, four_level_energies, four_level_period, three_level, three_level_energies

coef = st.floats(-1.0, 1.0)


def traceless(v):
    v = np.asarray(v, float)
    return v - v.mean()


def levels(m):
    return np.linalg.eigvalsh(m)


@given(st.lists(coef, min_size=3, max_size=3), st.floats(0.05, 2), st.floats(-10, 10))
def test_3ls_hermitian_and_2pi_periodic(values, d0, phi):
    e = traceless(values)
    h = three_level(e, d0, phi).full()
    np.testing.assert_allclose(h, h.conj().T)
    np.testing.assert_allclose(levels(three_level(e, d0, phi + 2 * np.pi).full()), levels(h), atol=1e-12)
    # time reversal: phi -> -phi gives the complex-conjugate Hamiltonian, same levels
    np.testing.assert_allclose(levels(three_level(e, d0, -phi).full()), levels(h), atol=1e-12)
    # loop product is D0^3 e^{i phi}
    assert h[0, 1] * h[1, 2] * h[2, 0] == pytest.approx(d0**3 * np.exp(1j * phi))


@given(st.lists(coef, min_size=3, max_size=3), st.floats(0.05, 2), st.floats(-10, 10),
       st.lists(st.floats(-3, 3), min_size=3, max_size=3))
def test_3ls_gauge_invariance(values, d0, phi, thetas):
    """Moving phase between bonds (a diagonal unitary) keeps the loop product and the spectrum."""
    e = traceless(values)
    h = three_level(e, d0, phi).full()
    u = np.diag(np.exp(1j * np.asarray(thetas)))
    g = u @ h @ u.conj().T
    assert g[0, 1] * g[1, 2] * g[2, 0] == pytest.approx(h[0, 1] * h[1, 2] * h[2, 0])
    # the whole flux on a single bond: same spectrum
    one_bond = np.array([[e[0], d0 * np.exp(1j * phi), d0], [d0 * np.exp(-1j * phi), e[1], d0], [d0, d0, e[2]]])
    np.testing.assert_allclose(levels(one_bond), three_level_energies(e, d0, phi), atol=1e-12)
    np.testing.assert_allclose(levels(g), levels(h), atol=1e-12)


@given(st.lists(coef, min_size=4, max_size=4), st.floats(0.05, 2), st.floats(0.05, 2), st.floats(-10, 10))
def test_4ls_periods(values, d1, d2, phi):
    e = traceless(values)
    sym = four_level_energies(e, d1, d2, phi, "symmetrised")
    assert four_level_period("symmetrised") == pytest.approx(2 * np.pi)
    np.testing.assert_allclose(levels(four_level(e, d1, d2, phi + 2 * np.pi).full()), sym, atol=1e-7)
    assert four_level_period("straight") == pytest.approx(4 * np.pi)
    st_ = levels(four_level(e, d1, d2, phi, "straight").full())
    np.testing.assert_allclose(levels(four_level(e, d1, d2, phi + 4 * np.pi, "straight").full()), st_, atol=1e-12)


def test_4ls_straight_is_not_2pi_periodic():
    e = traceless([0.1, -0.3, 0.2, 0.0])
    a = levels(four_level(e, 1.0, 0.7, 0.3, "straight").full())
    b = levels(four_level(e, 1.0, 0.7, 0.3 + 2 * np.pi, "straight").full())
    assert np.max(np.abs(a - b)) > 0.1


@given(st.lists(coef, min_size=4, max_size=4), st.floats(0.05, 2), st.floats(0.05, 2), st.floats(-10, 10),
       st.lists(st.floats(-3, 3), min_size=4, max_size=4))
def test_4ls_gauge_invariance(values, d1, d2, phi, thetas):
    e = traceless(values)
    for diagonal in ("symmetrised", "straight"):
        h = four_level(e, d1, d2, phi, diagonal).full()
        np.testing.assert_allclose(h, h.conj().T)
        u = np.diag(np.exp(1j * np.asarray(thetas)))
        np.testing.assert_allclose(levels(u @ h @ u.conj().T), levels(h), atol=1e-12)
        # the square's flux moved onto the bonds 2-3 and 4-1 (phi/2 each): same loop products,
        # H12 H23 H34 H41 = d1^4 e^{i phi} and d1^2 t e^{i phi/2} on every triangle
        t = h[0, 2]
        g = np.array([[e[0], d1, t, d1 * np.exp(-1j * phi / 2)], [d1, e[1], d1 * np.exp(1j * phi / 2), t],
                      [t, d1 * np.exp(-1j * phi / 2), e[2], d1], [d1 * np.exp(1j * phi / 2), t, d1, e[3]]])
        assert g[0, 1] * g[1, 2] * g[2, 3] * g[3, 0] == pytest.approx(h[0, 1] * h[1, 2] * h[2, 3] * h[3, 0])
        # triangles 1-2-3 and 1-3-4 and 2-3-4 and 1-2-4 keep their loop phase phi/2
        assert g[0, 1] * g[1, 2] * g[2, 0] == pytest.approx(h[0, 1] * h[1, 2] * h[2, 0])
        assert g[1, 2] * g[2, 3] * g[3, 1] == pytest.approx(h[1, 2] * h[2, 3] * h[3, 1])
        assert g[0, 2] * g[2, 3] * g[3, 0] == pytest.approx(h[0, 2] * h[2, 3] * h[3, 0])
        assert g[0, 1] * g[1, 3] * g[3, 0] == pytest.approx(h[0, 1] * h[1, 3] * h[3, 0])
        np.testing.assert_allclose(levels(g), levels(h), atol=1e-12)


def test_phases_agree_at_zero_flux():
    e = traceless([0.3, -0.1, 0.2, 0.05])
    a = four_level(e, 1.0, 1.3, 0.0, "symmetrised").full()
    b = four_level(e, 1.0, 1.3, 0.0, "straight").full()
    np.testing.assert_allclose(a, b)
