"""One parameter container for both observables: GlassParameters, presets of one shape, keywords over it."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tunnelsim import PRESETS, GlassParameters, dielectric_total, get_preset, heat_capacity

amp = st.floats(0.1, 10.0)


def test_presets_are_glass_parameters_and_round_trip():
    for name, preset in PRESETS.items():
        p = preset.at(0.1 if preset.composition is not None else None)
        assert isinstance(p, GlassParameters), name
        assert GlassParameters(**p.as_dict()) == p
        assert "GlassParameters(" in repr(p) and "None" not in repr(p)
    assert get_preset("silica_dielectric").as_dict() == {"chi": 1.0, "delta0_min": 1e-7, "k_relax": 1e8}


def test_replace_and_the_upper_cut_off():
    p = GlassParameters(p_star=2.0, d_min=0.1)
    assert p.d_max is None and p.upper_gap == math.inf and "d_max" not in p.as_dict()  # no cut-off: all finite
    q = p.replace(d_max=1.0)
    assert q.d_max == 1.0 and p.d_max is None and q.upper_gap == 1.0  # frozen: a copy
    assert q.replace(d_max=None).d_max is None and q.replace(d_max=math.inf).d_max is None
    assert p.replace(p_star=None).p_star is None
    assert GlassParameters(d_min=0.1, d_max=None).d_max is None


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"c_debye": -1.0}, ValueError, "c_debye must be >= 0"),
    ({"d_min": 0.0}, ValueError, "d_min must be > 0"),
    ({"k_relax": -1e8}, ValueError, "k_relax"),
    ({"d_min": 0.5, "d_max": 0.1}, ValueError, "d_min must be smaller than d_max"),
    ({"chi": "1"}, TypeError, "chi"),
    ({"chi": True}, TypeError, "chi"),
    ({"p_star": float("nan")}, ValueError, "p_star"),
    ({"d_max": -math.inf}, ValueError, "d_max"),
])
def test_values_are_checked_on_construction(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        GlassParameters(**kwargs)


def test_unknown_names_and_dicts_are_refused():
    with pytest.raises(TypeError, match="unknown glass parameter"):
        GlassParameters().replace(c_phonon=1.0)
    with pytest.raises(TypeError, match=r"\*\*d"):
        heat_capacity(0.1, {"c_debye": 1.0})


@settings(max_examples=20, deadline=None)
@given(amp, amp, amp, amp, st.floats(0.5, 3.0))
def test_both_observables_are_linear_in_the_amplitudes(c_debye, c_2ls, p_star, n_fe, lam):
    """Paper eq. 31 and eqs. 8 + 14 are linear in their amplitudes: scaling every amplitude scales the result."""
    t = np.geomspace(0.01, 1.0, 7)
    p = GlassParameters(c_debye=c_debye, c_2ls=c_2ls, p_star=p_star, d_min=0.05, n_fe=n_fe, delta_fe=0.3,
                        chi=c_2ls, delta0_min=1e-7, k_relax=1e8, chi_ats=p_star, k_ats=1e10)
    scaled = p.replace(**{a: lam * getattr(p, a) for a in ("c_debye", "c_2ls", "p_star", "n_fe", "chi", "chi_ats")})
    np.testing.assert_allclose(heat_capacity(t, scaled), lam * heat_capacity(t, p), rtol=1e-12)
    np.testing.assert_allclose(dielectric_total(t, 1e3, scaled), lam * dielectric_total(t, 1e3, p), rtol=1e-10,
                               atol=1e-14)
