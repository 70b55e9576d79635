"""Bad input to the single-system API gets a clear error naming the parameter."""

import numpy as np
import pytest

from tunnelsim import (
    flux_phase,
    flux_spectrum,
    four_level,
    four_level_energies,
    three_level,
    three_level_energies,
    two_level,
)
from tunnelsim.single.spectra import parse_range
from tunnelsim.validation import check_int, check_probability, check_square_symmetric


def test_wrong_number_of_energies():
    with pytest.raises(ValueError, match=r"energies must hold 3 well energies.*\(2,\)"):
        three_level([0.1, -0.1], 1.0)
    with pytest.raises(ValueError, match="energies must hold 4"):
        four_level([0.1, -0.1, 0.0], 1.0, 1.0)


def test_energies_must_sum_to_zero_and_the_sum_is_given():
    with pytest.raises(ValueError, match=r"energies must sum to zero.*0\.3"):
        three_level([0.1, 0.1, 0.1], 1.0)
    with pytest.raises(ValueError, match="sum to zero"):
        four_level_energies([1, 0, 0, 0], 1.0, 1.0)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values(bad):
    with pytest.raises(ValueError, match="energies must be finite"):
        three_level([bad, 0.0, 0.0], 1.0)
    with pytest.raises(ValueError, match="d0 must be finite"):
        three_level([0.0, 0.0, 0.0], bad)
    with pytest.raises(ValueError, match="phi must be finite"):
        three_level_energies([0.0, 0.0, 0.0], 1.0, [0.0, bad])
    with pytest.raises(ValueError, match="asymmetry must be finite"):
        two_level(bad, 1.0)


def test_negative_hopping_needs_a_flag():
    with pytest.raises(ValueError, match="d0 must be > 0"):
        three_level([0.0, 0.0, 0.0], -1.0)
    with pytest.raises(ValueError, match="d2 must be >= 0 .*plain square"):
        four_level(np.zeros(4), 1.0, -0.5)
    with pytest.raises(TypeError, match="allow_negative_hopping must be True or False"):
        three_level([0.0, 0.0, 0.0], -1.0, allow_negative_hopping="yes")
    h = three_level([0.0, 0.0, 0.0], -1.0, allow_negative_hopping=True)
    lev = np.linalg.eigvalsh(h.full())
    np.testing.assert_allclose(lev, [-2.0, 1.0, 1.0])  # negative hopping: singlet ground state
    np.testing.assert_allclose(three_level_energies(np.zeros(3), -1.0, 0.0, allow_negative_hopping=True), lev)


def test_unknown_diagonal_choice():
    with pytest.raises(ValueError, match="diagonal must be one of 'symmetrised', 'straight'; got 'curved'"):
        four_level(np.zeros(4), 1.0, 1.0, diagonal="curved")


def test_type_errors():
    with pytest.raises(TypeError, match="d0 must be numeric"):
        three_level(np.zeros(3), "one")
    with pytest.raises(TypeError, match="asymmetry must be real"):
        two_level(1j, 1.0)
    with pytest.raises(TypeError, match="tunneling must be a single real number"):
        two_level(1.0, [1.0, 2.0])
    with pytest.raises(ValueError, match="phi must be a number or a 1-D array"):
        three_level_energies(np.zeros(3), 1.0, np.zeros((2, 2)))


def test_other_validators():
    with pytest.raises(ValueError, match="charge must be non-zero"):
        flux_phase(1.0, 1e-20, charge=0)
    with pytest.raises(ValueError, match="p must lie in"):
        check_probability(1.5, "p")
    with pytest.raises(ValueError, match=r"n must be >= 2"):
        check_int(1, "n", minimum=2)
    with pytest.raises(ValueError, match="couplings must be symmetric"):
        check_square_symmetric([[0, 1], [2, 0]], "couplings")
    with pytest.raises(ValueError, match="zero diagonal"):
        check_square_symmetric([[1, 1], [1, 0]], "couplings")
    with pytest.raises(ValueError, match="system must be one of"):
        flux_spectrum("5ls", [0.0])
    with pytest.raises(ValueError, match="could not parse"):
        parse_range("0:1")


def test_regression_two_level_energies_shapes_that_do_not_broadcast():
    """Was a numpy broadcasting message that named neither parameter."""
    from tunnelsim import two_level_energies

    with pytest.raises(ValueError, match=r"asymmetry and tunneling must broadcast.*\(2,\) and \(3,\)"):
        two_level_energies([0.1, 0.2], [0.0, 0.0, 0.0])
    assert two_level_energies([0.3, 0.1], 0.4).shape == (2, 2)


def test_regression_energies_beyond_the_closed_forms_range_are_refused():
    """d0 = 2.4e51 raised OverflowError from d0**6; 1.7e308 gave an infinite 2LS level."""
    from tunnelsim import four_level_energies, three_level_char_poly, two_level_energies

    with pytest.raises(ValueError, match="d0 must be at most 1e\\+20 K"):
        three_level_char_poly([0.1, -0.04, -0.06], 2.4e51)
    with pytest.raises(ValueError, match="asymmetry must be at most"):
        two_level_energies(1.7e308, 1.0)
    with pytest.raises(ValueError, match="energies must be at most"):
        three_level([2e20, -1e20, -1e20], 1.0)
    # at the edge the quartic stays finite (its resolvent discriminant has degree 12)
    lev = four_level_energies([1e20, -1e20, 0.0, 0.0], 1e20, 1e20, 1.0)
    assert np.all(np.isfinite(lev))


def test_regression_threshold_when_d1_is_negligible():
    """Round-off made t(pi) = d2 cos(pi/2) > 0 and the symmetrised threshold came out infinite."""
    from tunnelsim import four_level_doublet_threshold

    assert four_level_doublet_threshold(1e-116, 2.0) == pytest.approx(np.pi)
    assert four_level_doublet_threshold(1e-116, 2.0, "straight") == np.inf


def test_regression_sweep_parameter_must_be_a_keyword_of_the_builder():
    from tunnelsim import sweep_spectrum

    with pytest.raises(ValueError, match="parameter must name a keyword argument of builder; '0.1'"):
        sweep_spectrum(three_level, "0.1", [0.0], energies=[0.1, -0.04, -0.06], d0=1.0)
