"""Composition laws of the model prefactors in the network-modifier concentration x.

docs/theory.md sec. 4 and 5: the ATS prefactor is linear in x; the 2LS prefactor is
P(x) = P0 (1 - x) + P1 x^alpha (paper eq. 20; its one home is :func:`lattices.alpha.composition_law`)
with alpha = nu (D - D_s) from fractal scaling (:func:`lattices.alpha_exponent`).
The Debye prefactor is mixed linearly, c_D(x) = c_D0 (1 - x) + c_D1 x: the paper's own form for
c_D(x) could not be retrieved, so this is the toolkit's (documented) assumption.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from lattices.alpha import composition_law, heuristic_alpha
from tunnelsim.validation import as_real_array, as_real_scalar, check_nonnegative, check_probability

__all__ = [
    "ALPHA_2D_HULL",
    "ats_prefactor",
    "tls_prefactor",
    "debye_prefactor",
    "composition_params",
]

#: alpha = nu (D - D_s) for 2D percolation with the hull D_s = 7/4: (4/3)(91/48 - 7/4) = 7/36
ALPHA_2D_HULL: float = heuristic_alpha(2, "hull")


def _x(x) -> np.ndarray | float:
    return check_probability(as_real_array(x, "x"), "x")


def ats_prefactor(x, slope: float):
    """ATS prefactor P*(x) = slope * x (linear in x; docs/theory.md sec. 4-5, paper eq. 31)."""
    xx = _x(x)
    s = float(check_nonnegative(as_real_scalar(slope, "slope"), "slope"))
    return s * xx


def tls_prefactor(x, p0: float, p1: float, alpha: float):
    """2LS prefactor P(x) = P0 (1 - x) + P1 x^alpha (paper eq. 20, docs/theory.md sec. 4)."""
    xx = _x(x)
    a0 = float(check_nonnegative(as_real_scalar(p0, "p0"), "p0"))
    a1 = float(check_nonnegative(as_real_scalar(p1, "p1"), "p1"))
    al = float(check_nonnegative(as_real_scalar(alpha, "alpha"), "alpha"))
    return composition_law(xx, a0, a1, al)


def debye_prefactor(x, c0: float, c1: float):
    """Debye prefactor c_D(x) = c0 (1 - x) + c1 x (toolkit assumption, see module docstring)."""
    xx = _x(x)
    a0 = float(check_nonnegative(as_real_scalar(c0, "c0"), "c0"))
    a1 = float(check_nonnegative(as_real_scalar(c1, "c1"), "c1"))
    return a0 * (1.0 - xx) + a1 * xx


def composition_params(x: float, preset: Mapping[str, float]) -> dict[str, float]:
    """Heat-capacity parameters (names of :func:`tunnelsim.specific_heat.heat_capacity`) at x.

    ``preset`` holds c_debye0, c_debye1, p0, p1, alpha, p_star_slope, d_min and optionally
    n_fe, delta_fe (see :mod:`tunnelsim.presets`). Implements paper eq. 31 with eq. 20.
    """
    xx = float(_x(as_real_scalar(x, "x")))
    need = ("c_debye0", "c_debye1", "p0", "p1", "alpha", "p_star_slope", "d_min")
    missing = [k for k in need if k not in preset]
    if missing:
        raise ValueError(f"preset lacks {missing}")
    out = {
        "c_debye": float(debye_prefactor(xx, preset["c_debye0"], preset["c_debye1"])),
        "c_2ls": float(tls_prefactor(xx, preset["p0"], preset["p1"], preset["alpha"])),
    }
    if xx > 0:
        out["p_star"] = float(ats_prefactor(xx, preset["p_star_slope"]))
        out["d_min"] = float(preset["d_min"])
    if "n_fe" in preset and "delta_fe" in preset:
        out["n_fe"] = float(preset["n_fe"])
        out["delta_fe"] = float(preset["delta_fe"])
    return out
