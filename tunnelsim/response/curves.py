"""Curves sampled in temperature: the grid check, slopes in ln T and the minimum of delta eps'/eps_r.

docs/theory.md sec. 6: the arms of the V of the dielectric constant are straight lines in ln T (paper eqs. 10-11)
and its minimum sits where omega tau_min ~ 1. These helpers serve :mod:`tunnelsim.response.v_shape` and the
studies; temperatures in K, frequency in Hz.
"""

from __future__ import annotations

import numpy as np

from tunnelsim.response.dielectric import dielectric_total
from tunnelsim.response.parameters import GlassParameters
from tunnelsim.stats import line_fit
from tunnelsim.validation import as_real_array, as_real_scalar, check_positive, check_same_length

__all__ = ["log_slope", "dielectric_minimum", "parabolic_minimum", "temperature_grid"]


def log_slope(T, values, t_lo: float, t_hi: float) -> float:
    """Least-squares slope d(values)/d(ln T) over t_lo <= T <= t_hi (at least 3 points).

    The straight line of :func:`tunnelsim.stats.line_fit` in ln T (docs/theory.md sec. 6: the arms
    of the V are lines in ln T, paper eqs. 10-11).

    Parameters
    ----------
    T : array_like
        Temperatures in K (1-D).
    values : array_like
        The curve at ``T`` (e.g. delta eps'/eps_r in units of chi).
    t_lo, t_hi : float
        Window in K.

    Returns
    -------
    float
        Slope per unit ln T (units of ``values``).

    Examples
    --------
    >>> import numpy as np
    >>> T = np.geomspace(1e-3, 1.0, 31)
    >>> print(round(log_slope(T, -2.0 * np.log(T) + 1.0, 1e-3, 1e-2), 9))  # a straight line in ln T
    -2.0
    """
    t = np.asarray(check_positive(as_real_array(T, "T", ndim=1), "T"), dtype=float)
    v = as_real_array(values, "values", ndim=1)
    check_same_length("T", t, "values", v)
    lo = float(as_real_scalar(t_lo, "t_lo"))
    hi = float(as_real_scalar(t_hi, "t_hi"))
    sel = (t >= lo) & (t <= hi)
    if sel.sum() < 3:
        raise ValueError(f"T must hold at least 3 temperatures in [t_lo, t_hi] = [{lo:g}, {hi:g}] K, "
                         f"got {int(sel.sum())}")
    return line_fit(np.log(t[sel]), v[sel]).slope


def parabolic_minimum(T: np.ndarray, values: np.ndarray) -> tuple[float, float, int]:
    """Minimum of a sampled curve: the parabola in ln T through the smallest sample and its neighbours.

    The minimum of delta eps'/eps_r (docs/theory.md sec. 6) located between grid points. The answer never
    leaves the scanned grid: when the smallest sample is an end point (no interior minimum) the sample
    itself is returned, and an interior parabola's vertex lies between the two neighbours by construction.

    Parameters
    ----------
    T : numpy.ndarray
        Temperatures in K, > 0, increasing, at least 3 (as checked by :func:`temperature_grid`).
    values : numpy.ndarray
        The curve at ``T`` (same length).

    Returns
    -------
    (T_min, value, index) : tuple
        T_min in K (inside [T[0], T[-1]]), the curve there, and the index of the smallest sample.

    Examples
    --------
    >>> import numpy as np
    >>> T = np.geomspace(1e-3, 1.0, 31)
    >>> t_min, value, i = parabolic_minimum(T, (np.log(T) - np.log(0.05)) ** 2)  # an exact parabola in ln T
    >>> print(round(t_min, 9), round(value, 9) + 0.0)
    0.05 0.0
    """
    i0 = int(np.argmin(values))
    if i0 in (0, T.size - 1):
        return float(T[i0]), float(values[i0]), i0
    x = np.log(T[i0 - 1:i0 + 2])
    a, b, c0 = np.polyfit(x, values[i0 - 1:i0 + 2], 2)
    if a > 0:
        xv = float(np.clip(-b / (2 * a), x[0], x[2]))
        return float(np.exp(xv)), float(a * xv * xv + b * xv + c0), i0
    return float(T[i0]), float(values[i0]), i0


def temperature_grid(T, minimum: int = 3) -> np.ndarray:
    """Check a grid of temperatures in K: 1-D, > 0, strictly increasing, at least ``minimum`` points.

    The sampling of the curves whose minimum and arms are measured (docs/theory.md sec. 6).

    Parameters
    ----------
    T : array_like
        Temperatures in K.
    minimum : int
        Fewest points accepted.

    Returns
    -------
    numpy.ndarray
        The grid as floats; a ValueError/TypeError naming ``T`` otherwise.

    Examples
    --------
    >>> temperature_grid([0.1, 0.2, 0.4])
    array([0.1, 0.2, 0.4])
    >>> try:
    ...     temperature_grid([0.2, 0.1, 0.4])
    ... except ValueError as err:
    ...     print('T' in str(err))
    True
    """
    t = np.asarray(check_positive(as_real_array(T, "T", ndim=1), "T"), dtype=float)
    if t.size < minimum or np.any(np.diff(t) <= 0):
        raise ValueError(f"T must be strictly increasing with at least {minimum} points, got {t.size} points"
                         + ("" if t.size < minimum else " that are not increasing"))
    return t


def dielectric_minimum(T, frequency: float, params: GlassParameters | None = None, *, ats_variant: str = "isotropic",
                       **values) -> tuple[float, float]:
    """Temperature of the minimum of delta eps'/eps_r (STM, or STM + ATS), and the value there.

    docs/theory.md sec. 6: for the STM the minimum sits where omega tau_min(T) ~ 1 (paper eqs.
    10-11). Evaluates :func:`dielectric_total` on the grid ``T`` (log-spaced is best) at ``frequency``,
    then refines with a parabola in ln T through the three points around the smallest value.

    Parameters
    ----------
    T : array_like
        Strictly increasing temperatures in K (1-D, at least 3).
    frequency : float
        Measuring frequency in Hz.
    params : GlassParameters, optional
        The glass parameters; ``**values`` by name over them (see :func:`dielectric_total`).
    ats_variant : {"isotropic", "stm"}
        The form of the toolkit's eq. 14 (see :func:`dielectric_ats_parts`).

    Returns
    -------
    (T_min, value) : tuple of float
        T_min in K (inside the grid) and delta eps'/eps_r there, in units of chi.

    Raises
    ------
    ValueError
        When the smallest value sits at an end of ``T``: the curve has no minimum inside the scanned range.

    Examples
    --------
    >>> import numpy as np
    >>> T = np.geomspace(1e-3, 1.0, 61)
    >>> t_min, value = dielectric_minimum(T, 1e3, chi=1.0, delta0_min=1e-7, k_relax=1e8)
    >>> bool(0.02 < t_min < 0.1)  # where omega tau_min ~ 1: 20-100 mK at 1 kHz (docs/theory.md sec. 6)
    True
    """
    t = temperature_grid(T)
    tmin, vmin, i0 = parabolic_minimum(t, dielectric_total(t, frequency, params, ats_variant=ats_variant, **values))
    if i0 in (0, t.size - 1):
        raise ValueError(f"T holds no interior minimum: the smallest value of delta eps'/eps_r at frequency = "
                         f"{float(frequency):g} Hz is at the end T = {t[i0]:g} K of the scanned range "
                         f"[{t[0]:g}, {t[-1]:g}] K; widen the range")
    return tmin, vmin
