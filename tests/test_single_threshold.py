"""The end of the 4LS ground doublet (docs/theory.md eq. (1.12)) and the per-model hopping ranges (d2 = 0).

References written here, independently of the library: the closed level-crossing condition
t(phi) = d1 (|sin(phi/4)| + |cos(phi/4)|), its arcsin solutions, and numpy eigvalsh of the plaquette matrix.
"""

import numpy as np
import pytest

from tunnelsim import (
    four_level,
    four_level_doublet,
    four_level_doublet_threshold,
    four_level_energies,
    three_level,
    three_level_doublet_gap,
    three_level_energies,
)

RATIOS = [1.01, 1.05, 1.2, 1.3, 1.4, 1.5, 2.0, 3.0, 7.0]


def plaquette(e, d1, d2, phi, diagonal):
    """eq. (1.7) written out by hand."""
    w = d1 * np.exp(1j * phi / 4)
    t = d2 * np.cos(phi / 2) if diagonal == "symmetrised" else d2
    return np.array([[e[0], w, t, np.conj(w)], [np.conj(w), e[1], w, t], [t, np.conj(w), e[2], w],
                     [w, t, np.conj(w), e[3]]])


def diagonal_element(d2, phi, diagonal):
    return d2 * np.cos(phi / 2) if diagonal == "symmetrised" else d2


def doublet_weight(d1, d2, phi, diagonal):
    """Weight of the two lowest eigenvectors in the span of the Fourier states k = 1, 3 (2 when they are it)."""
    _, v = np.linalg.eigh(plaquette(np.zeros(4), d1, d2, phi, diagonal))
    a = np.arange(4)
    fourier = np.array([1j ** (k * a) / 2 for k in (1, 3)]).T
    return float(np.sum(np.abs(fourier.conj().T @ v[:, :2]) ** 2))


@pytest.mark.parametrize("diagonal", ["symmetrised", "straight"])
@pytest.mark.parametrize("ratio", RATIOS)
def test_threshold_solves_the_closed_level_crossing_condition(ratio, diagonal):
    d1 = 0.7
    star = four_level_doublet_threshold(d1, ratio * d1, diagonal)
    if diagonal == "straight" and ratio >= np.sqrt(2):
        assert star == np.inf  # t = d2 exceeds d1 (|sin| + |cos|) <= sqrt(2) d1 at every flux
        assert all(doublet_weight(d1, ratio * d1, p, diagonal) > 2 - 1e-9 for p in np.linspace(0, 4 * np.pi, 41))
        return
    lhs = diagonal_element(ratio * d1, star, diagonal)
    rhs = d1 * (abs(np.sin(star / 4)) + abs(np.cos(star / 4)))
    assert lhs == pytest.approx(rhs, abs=1e-13)
    closed = 2 * np.arcsin(1 - ratio**-2) if diagonal == "symmetrised" else 2 * np.arcsin(ratio**2 - 1)
    assert star == pytest.approx(closed, abs=1e-12)
    # exact diagonalisation: the doublet is the lowest pair just below phi*, not just above
    assert doublet_weight(d1, ratio * d1, star * (1 - 1e-6), diagonal) > 2 - 1e-9
    assert doublet_weight(d1, ratio * d1, star * (1 + 1e-6) + 1e-9, diagonal) < 1.5


def test_threshold_values_of_the_issue():
    assert four_level_doublet_threshold(1.0, 2.0) == pytest.approx(2 * np.arcsin(0.75), abs=1e-14)
    assert four_level_doublet_threshold(1.0, 2.0) == pytest.approx(1.6961, abs=1e-4)
    assert four_level_doublet_threshold(1.0, 1.2, "straight") == pytest.approx(0.9112, abs=1e-4)
    assert four_level_doublet_threshold(1.0, 2.0, "straight") == np.inf
    # homogeneous in the hoppings; no doublet at the bottom when d2 <= d1
    assert four_level_doublet_threshold(3.0, 6.0) == pytest.approx(four_level_doublet_threshold(1.0, 2.0), abs=1e-14)
    assert four_level_doublet_threshold(1.0, 1.0) == 0.0 and four_level_doublet_threshold(1.0, 0.0) == 0.0


def test_threshold_refuses_bad_input():
    with pytest.raises(ValueError, match="d1 must be > 0"):
        four_level_doublet_threshold(0.0, 1.0)
    with pytest.raises(ValueError, match="d2 must be >= 0"):
        four_level_doublet_threshold(1.0, -1.0)
    with pytest.raises(ValueError, match="diagonal must be one of"):
        four_level_doublet_threshold(1.0, 2.0, "bent")


@pytest.mark.parametrize("diagonal", ["symmetrised", "straight"])
def test_plain_square_d2_zero_is_accepted(diagonal):
    """d2 = 0, the appendix's first case: levels 2 d1 cos(phi/4 + pi k/2), middle doublet degenerate at phi = 0."""
    e = np.array([0.03, -0.01, 0.02, -0.04])
    for phi in (0.0, 0.4, 3.0):
        ref = np.linalg.eigvalsh(plaquette(e, 1.3, 0.0, phi, diagonal))
        np.testing.assert_allclose(np.linalg.eigvalsh(four_level(e, 1.3, 0.0, phi, diagonal).full()), ref, atol=1e-13)
        np.testing.assert_allclose(four_level_energies(e, 1.3, 0.0, phi, diagonal), ref, atol=1e-7)
    k = np.arange(4)
    lev = np.linalg.eigvalsh(four_level(np.zeros(4), 1.3, 0.0, 0.5, diagonal).full())
    np.testing.assert_allclose(lev, np.sort(2 * 1.3 * np.cos(0.5 / 4 + np.pi * k / 2)), atol=1e-13)
    assert np.isfinite(four_level_doublet(e, 1.3, 0.0, 0.2, diagonal).gap)


def test_each_hopping_states_its_own_models_range():
    with pytest.raises(ValueError, match=r"d2 must be >= 0 \(the 4LS diagonal hopping: d2 = 0 is the plain square"):
        four_level(np.zeros(4), 1.0, -0.1)
    with pytest.raises(ValueError, match="d1 must be > 0 \\(the 4LS nearest-neighbour") as info:
        four_level(np.zeros(4), 0.0, 1.0)
    assert "triangle" not in str(info.value)
    with pytest.raises(ValueError, match="d0 must be > 0 \\(the 3LS hopping.*triangle"):
        three_level(np.zeros(3), 0.0)


@pytest.mark.parametrize("phi", [1e17, -3e15, 1e10, 2.5e8])
def test_huge_flux_phase_closed_forms_equal_the_hamiltonian(phi):
    """Regression (issue 13): at phi = 1e17 Viete differed from the Hamiltonian by 1.48 K."""
    e3 = [0.1, -0.04, -0.06]
    ex3 = np.linalg.eigvalsh(three_level(e3, 1.0, phi).full())
    np.testing.assert_allclose(three_level_energies(e3, 1.0, phi), ex3, atol=1e-12)
    e4 = [0.1, -0.04, -0.06, 0.0]
    for diagonal in ("symmetrised", "straight"):
        ex4 = np.linalg.eigvalsh(four_level(e4, 1.0, 2.0, phi, diagonal).full())
        np.testing.assert_allclose(four_level_energies(e4, 1.0, 2.0, phi, diagonal), ex4, atol=1e-9)
    assert np.isfinite(three_level_doublet_gap(e3, 1.0, phi))


def test_matrix_keeps_its_formula_within_its_period():
    """Reducing phi mod 6 pi (3LS) and 8 pi (4LS) leaves the matrix elements of eqs. (1.3), (1.7) unchanged."""
    phi = 7.3
    h = three_level([0.1, -0.04, -0.06], 1.0, phi).full()
    assert h[0, 1] == pytest.approx(np.exp(1j * phi / 3), abs=1e-14)
    h4 = four_level([0.1, -0.04, -0.06, 0.0], 1.0, 2.0, 20.0).full()
    assert h4[0, 1] == pytest.approx(np.exp(1j * 20.0 / 4), abs=1e-14)
    assert h4[0, 2] == pytest.approx(2.0 * np.cos(10.0), abs=1e-14)
