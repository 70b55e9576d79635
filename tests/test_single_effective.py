"""The effective-2LS (doublet) descriptions against the exact spectra: where they hold, and their error."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tunnelsim import (
    four_level,
    four_level_doublet,
    three_level,
    three_level_doublet,
    three_level_doublet_gap,
)


def exact_gap(h):
    lev = np.linalg.eigvalsh(h.full())
    return lev[1] - lev[0]


def traceless(v):
    v = np.asarray(v, float)
    return v - v.mean()


@given(st.lists(st.floats(-1, 1), min_size=3, max_size=3).filter(lambda v: np.ptp(v) > 0.1),
       st.floats(0.0, 1.0), st.floats(0.5, 2.0))
def test_3ls_effective_gap_error_is_first_order_in_small_parameter(values, phi_unit, d0):
    """Relative error of the effective gap shrinks linearly with the scale eps of E and phi."""
    e = traceless(values)
    errs = []
    for eps in (1e-2, 1e-3):
        ex = exact_gap(three_level(eps * d0 * e, d0, eps * phi_unit))
        eff = three_level_doublet_gap(eps * d0 * e, d0, eps * phi_unit)
        errs.append(abs(eff - ex) / ex)
    assert errs[1] < 5e-3
    assert errs[1] < errs[0] / 3 or errs[1] < 1e-9


def test_3ls_effective_gap_limits():
    d0 = 1.3
    # zero field: gap = sqrt(2/3 sum E^2) to second order
    e = np.array([2e-4, -0.5e-4, -1.5e-4])
    assert three_level_doublet_gap(e, d0, 0.0) == pytest.approx(exact_gap(three_level(e, d0, 0.0)), rel=1e-3)
    # zero asymmetry: gap = (2/sqrt3) d0 phi, exact 2 sqrt3 d0 sin(phi/3)
    for phi in (1e-4, 1e-2):
        ex = exact_gap(three_level(np.zeros(3), d0, phi))
        assert ex == pytest.approx(2 * np.sqrt(3) * d0 * np.sin(phi / 3), rel=1e-9)
        assert three_level_doublet_gap(np.zeros(3), d0, phi) == pytest.approx(ex, rel=phi**2)
    # the description fails at E ~ D0: error above 5 %
    e = np.array([1.0, -0.3, -0.7]) * d0
    assert abs(three_level_doublet_gap(e, d0, 0.0) / exact_gap(three_level(e, d0, 0.0)) - 1) > 0.05


def test_3ls_doublet_is_periodic_representative():
    e = np.array([1e-3, -4e-4, -6e-4])
    a = three_level_doublet(e, 1.0, 0.01)
    b = three_level_doublet(e, 1.0, 0.01 + 2 * np.pi)
    assert a.gap == pytest.approx(b.gap)
    levels = three_level_doublet(e, 1.0, np.array([0.0, 0.01])).levels()
    assert levels.shape == (2, 2)


@pytest.mark.parametrize("diagonal", ["symmetrised", "straight"])
def test_4ls_doublet_for_d2_above_d1(diagonal):
    d1, d2 = 1.0, 2.0
    e = traceless([3e-3, -1e-3, 2e-3, -4e-3])
    for phi in (0.0, 1e-3, 1e-2):
        ex = exact_gap(four_level(e, d1, d2, phi, diagonal))
        eff = float(four_level_doublet(e, d1, d2, phi, diagonal).gap)
        assert eff == pytest.approx(ex, rel=5e-3)
    # larger asymmetry: error grows (second order in E / (2 (d2 - d1)))
    big = traceless([0.6, -0.2, 0.4, -0.8])
    err_big = abs(float(four_level_doublet(big, d1, d2, 0.0, diagonal).gap) - exact_gap(four_level(big, d1, d2, 0.0,
                                                                                                    diagonal)))
    err_small = abs(float(four_level_doublet(e, d1, d2, 0.0, diagonal).gap) - exact_gap(four_level(e, d1, d2, 0.0,
                                                                                                    diagonal)))
    assert err_big / 200 > err_small


def test_4ls_doublet_centre_matches_exact():
    d = four_level_doublet(np.zeros(4), 1.0, 2.0, 0.3)
    lev = np.linalg.eigvalsh(four_level(np.zeros(4), 1.0, 2.0, 0.3).full())
    np.testing.assert_allclose(d.levels(), lev[:2], atol=1e-12)
