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
    with pytest.raises(ValueError, match="d2 must be > 0"):
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
