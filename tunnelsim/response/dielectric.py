"""Dielectric response (real part delta eps'/eps_r and loss tangent) of STM 2LS and ATS.

Exact integrals of docs/theory.md sec. 6 (paper eqs. 8-11 for the STM, eq. 14 for the ATS),
vectorised over temperature. Temperatures and energies in K, frequency f in Hz (omega = 2 pi f,
hbar omega / k_B = :func:`tunnelsim.constants.frequency_to_kelvin`), the one-phonon relaxation
constant K in K^-3 s^-1.

Offset convention: every real part is returned as delta eps'(T)/eps_r - delta eps'(T -> 0)/eps_r,
with the temperature-independent resonant constant (which depends on the upper energy cut-off)
dropped. Both the resonant and the relaxational part therefore vanish as T -> 0.

Integration variables (no endpoint singularities): u = Delta0/E = 1/cosh(v) for the tunneling
fraction (du sqrt(1-u^2)/u = tanh^2 v dv), E = Delta0min cosh(v) for the resonant part, and
ln(E/2T) for the outer relaxational integral; Gauss-Legendre with a few hundred nodes each.
"""

from __future__ import annotations

import numpy as np

from tunnelsim.constants import frequency_to_kelvin
from tunnelsim.response.parameters import GlassParameters, real_or_inf, resolve
from tunnelsim.stats import line_fit
from tunnelsim.validation import as_real_array, as_real_scalar, check_choice, check_positive

__all__ = [
    "dielectric_stm_parts",
    "dielectric_stm",
    "dielectric_ats_parts",
    "dielectric_ats",
    "dielectric_total",
    "log_slope",
    "dielectric_minimum",
    "parabolic_minimum",
    "temperature_grid",
]

_YMAX = 40.0


def _gl(n: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(n)
    return 0.5 * (x + 1.0), 0.5 * w  # on [0, 1]


_X_OUT, _W_OUT = _gl(160)
_X_IN, _W_IN = _gl(256)


def _common(T, frequency, k_relax, name_k="k_relax"):
    t = np.atleast_1d(np.asarray(check_positive(as_real_array(T, "T"), "T"), dtype=float))
    if t.ndim != 1:
        raise ValueError(f"T must be a scalar or 1-D array, got shape {t.shape}")
    f = float(check_positive(as_real_scalar(frequency, "frequency"), "frequency"))
    k = float(check_positive(as_real_scalar(k_relax, name_k), name_k))
    return t, f, k


def _uc2(e: np.ndarray, t: np.ndarray, omega: float, k: float) -> np.ndarray:
    """u_c^2 = omega / (K E^3 coth(E/2T)): omega tau = (u_c/u)^2 for 1/tau = K u^2 E^3 coth(E/2T)."""
    return omega * np.tanh(e / (2.0 * t)) / (k * e**3)


def _debye(weights: np.ndarray, u2: np.ndarray, uc2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted sums over u of the Debye relaxation 1/(1 + omega^2 tau^2) and omega tau/(1 + omega^2 tau^2).

    omega tau = uc2/u2 (docs/theory.md sec. 6); the sums run over the last axis.
    """
    with np.errstate(over="ignore", under="ignore"):
        denom = u2 * u2 + uc2 * uc2
        return (weights * (u2 * u2) / denom).sum(axis=-1), (weights * (u2 * uc2) / denom).sum(axis=-1)


def _thermal_nodes(e_lo: float, e_hi: float, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes in z = ln(E/2T) over [ln(e_lo/2T), ln(min(e_hi/2T, 40))] for each T.

    Returns (zspan, y, E): the length of each T's interval (0 where it is empty), y = E/2T and E in K,
    shapes (nT,), (nT, nz), (nT, nz).
    """
    z0 = np.log(e_lo / (2.0 * t))
    z1 = np.log(np.minimum(e_hi / (2.0 * t), _YMAX))
    zspan = np.where(z0 < z1, z1 - z0, 0.0)
    y = np.exp(z0[:, None] + zspan[:, None] * _X_OUT[None, :])
    return zspan, y, 2.0 * t[:, None] * y


def dielectric_stm_parts(T, frequency: float, chi: float = 1.0, delta0_min: float = 1e-7,
                         k_relax: float = 1e8) -> dict[str, np.ndarray]:
    """Resonant and relaxational parts of delta eps'/eps_r of STM 2LS, and the loss tangent.

    docs/theory.md sec. 6, paper eq. 8 (chi = Pbar p^2 / (3 eps0 eps_r)):

    * RES = 2 chi int_{Delta0min}^inf dE (1/E) sqrt(1 - (Delta0min/E)^2) [tanh(E/2T) - 1]
      (the T = 0 value subtracted; slope -2 chi per unit ln T, paper eq. 10);
    * REL = chi int dE (1/T) sech^2(E/2T) int_{Delta0min/E}^1 du sqrt(1-u^2)/u / (1 + omega^2 tau^2),
      1/tau = K u^2 E^3 coth(E/2T) (slope +3 chi once omega tau_min << 1, paper eq. 11);
    * loss_rel: the same with omega tau / (1 + omega^2 tau^2) (Debye relaxation, eps''/eps_r);
    * loss_res = pi chi tanh(hbar omega/2T) sqrt(1 - (Delta0min/hbar omega)^2) for hbar omega >
      Delta0min, else 0 (resonant absorption, unsaturated; from the same resonant susceptibility).

    Parameters
    ----------
    T : array_like
        Temperatures in K (scalar or 1-D).
    frequency : float
        Measuring frequency f in Hz.
    chi : float
        Pbar p^2/(3 eps0 eps_r), dimensionless.
    delta0_min : float
        Lower cut-off Delta0min of the tunneling energy, K.
    k_relax : float
        One-phonon relaxation constant K in K^-3 s^-1 (~1e8 for silica).

    Returns
    -------
    dict of numpy.ndarray
        Keys ``res``, ``rel``, ``total`` (real parts), ``loss_res``, ``loss_rel``, ``loss``.
    """
    t, f, k = _common(T, frequency, k_relax)
    c = float(check_positive(as_real_scalar(chi, "chi"), "chi", strict=False))
    d0 = float(check_positive(as_real_scalar(delta0_min, "delta0_min"), "delta0_min"))
    omega = 2.0 * np.pi * f
    # resonant: E = d0 cosh v
    vmax = np.arccosh(np.maximum(2.0 * _YMAX * t / d0, 2.0))
    v = vmax[:, None] * _X_IN[None, :]
    e = d0 * np.cosh(v)
    integ = np.tanh(v) ** 2 * (np.tanh(np.minimum(e / (2.0 * t[:, None]), 300.0)) - 1.0)
    res = 2.0 * c * vmax * (integ * _W_IN).sum(axis=1)
    # relaxational: y = E/2T = exp(z), z from ln(d0/2T) to ln(40); inner u = 1/cosh(v)
    zspan, y, en = _thermal_nodes(d0, np.inf, t)  # (nT,), (nT, nz), (nT, nz)
    vm = np.arccosh(np.maximum(en / d0, 1.0))  # (nT, nz)
    vv = vm[..., None] * _X_IN  # (nT, nz, nv)
    u = 1.0 / np.cosh(vv)
    real_in, imag_in = _debye(np.tanh(vv) ** 2 * _W_IN, u * u, _uc2(en, t[:, None], omega, k)[..., None])
    real_in, imag_in = real_in * vm, imag_in * vm
    outer = y / np.cosh(np.minimum(y, 300.0)) ** 2 * _W_OUT[None, :]  # sech^2(y) dy = sech^2(y) y dz
    rel = 2.0 * c * zspan * (outer * real_in).sum(axis=1)
    loss_rel = 2.0 * c * zspan * (outer * imag_in).sum(axis=1)
    hw = frequency_to_kelvin(f)
    loss_res = np.full_like(t, 0.0)
    if hw > d0:
        loss_res = np.pi * c * np.tanh(hw / (2.0 * t)) * np.sqrt(1.0 - (d0 / hw) ** 2)
    return {"res": res, "rel": rel, "total": res + rel, "loss_res": loss_res, "loss_rel": loss_rel,
            "loss": loss_res + loss_rel}


_PARTS = ("total", "res", "rel", "loss", "loss_res", "loss_rel")


def dielectric_stm(T, frequency: float, chi: float = 1.0, delta0_min: float = 1e-7,
                   k_relax: float = 1e8, part: str = "total") -> np.ndarray:
    """delta eps'/eps_r of STM 2LS (resonant + relaxational), or one part / the loss tangent.

    See :func:`dielectric_stm_parts` (docs/theory.md sec. 6, paper eqs. 8-11). Offset: the T -> 0
    value is zero (the cut-off dependent resonant constant is dropped).

    Parameters
    ----------
    T : array_like
        Temperatures in K (scalar or 1-D).
    frequency : float
        Measuring frequency f in Hz.
    chi, delta0_min, k_relax : float
        Pbar p^2/(3 eps0 eps_r) (dimensionless), Delta0min in K, K in K^-3 s^-1; the defaults are the
        check values of docs/theory.md sec. 6 (preset ``silica_dielectric``).
    part : str
        One of total, res, rel (real parts), loss, loss_res, loss_rel.

    Returns
    -------
    numpy.ndarray
        Dimensionless, one value per temperature.
    """
    check_choice(part, "part", _PARTS)
    return dielectric_stm_parts(T, frequency, chi, delta0_min, k_relax)[part]


def dielectric_ats_parts(T, frequency: float, chi_ats: float = 1.0, d_min: float = 0.01,
                         k_ats: float = 1e8, d_max: float = np.inf) -> dict[str, np.ndarray]:
    """ATS contribution to delta eps'/eps_r (resonant + relaxational) and to the loss tangent.

    The construction of docs/theory.md sec. 6 applied to the ATS as effective 2LS (paper eq. 14 in
    the toolkit's form; the paper's text was not available to check it): DOS g(E) = P*/E on
    [d_min, d_max] (paper eq. 18); inside the doublet both the splitting and the dipole p* are
    vectors of the same two-dimensional (E) representation of the triangle, at a relative angle
    psi uniform on [0, pi/2], so the tunneling fraction is u = sin psi (<u^2> = 1/2); relaxation
    1/tau* = K* u^2 E^3 coth(E/2T). With chi_ats = P* p*^2 / (3 eps0 eps_r d_min):

    * RES = chi_ats d_min int_{d_min}^{d_max} dE [tanh(E/2T) - 1] / E^2   (T -> 0 value subtracted);
    * REL = chi_ats d_min int dE/E (1/T) sech^2(E/2T) (2/pi) int_0^{pi/2} dpsi cos^2 psi / (1 + omega^2 tau*^2);
    * loss_rel likewise with omega tau*/(1 + omega^2 tau*^2); resonant loss
      (pi/2) chi_ats (d_min/hbar omega) tanh(hbar omega/2T) inside [d_min, d_max], else 0.

    Parameters
    ----------
    T : array_like
        Temperatures in K.
    frequency : float
        f in Hz.
    chi_ats : float
        Dimensionless ATS strength chi_ats = P* p*^2/(3 eps0 eps_r D_min).
    d_min, d_max : float
        ATS gap cut-offs in K.
    k_ats : float
        ATS relaxation constant K* in K^-3 s^-1.

    Returns
    -------
    dict of numpy.ndarray
        Keys ``res``, ``rel``, ``total``, ``loss_res``, ``loss_rel``, ``loss``.
    """
    t, f, k = _common(T, frequency, k_ats, "k_ats")
    c = float(check_positive(as_real_scalar(chi_ats, "chi_ats"), "chi_ats", strict=False))
    lo = float(check_positive(as_real_scalar(d_min, "d_min"), "d_min"))
    hi = real_or_inf(d_max, "d_max")
    if np.isnan(hi) or not lo < hi:
        raise ValueError(f"d_min must be smaller than d_max, got d_min={lo:g}, d_max={hi:g}")
    omega = 2.0 * np.pi * f
    # resonant: s = ln(E/d_min) from 0 to ln(min(d_max, 80 T)/d_min)
    smax = np.log(np.maximum(np.minimum(hi, 2.0 * _YMAX * t) / lo, 1.0))
    s = smax[:, None] * _X_IN[None, :]
    e = lo * np.exp(s)
    res = c * smax * ((lo / e) * (np.tanh(e / (2.0 * t[:, None])) - 1.0) * _W_IN).sum(axis=1)
    # relaxational: z = ln(E/2T) over [ln(d_min/2T), ln(min(d_max/2T, 40))]; inner u = sin(psi)
    zspan, y, en = _thermal_nodes(lo, hi, t)
    psi = 0.5 * np.pi * _X_IN
    wpsi = _W_IN * np.cos(psi) ** 2  # (2/pi) * (pi/2) cancels
    real_in, imag_in = _debye(wpsi, np.sin(psi) ** 2, _uc2(en, t[:, None], omega, k)[..., None])
    # dE/E (1/T) sech^2 = dz * (1/T) sech^2(y); times chi_ats d_min
    outer = (1.0 / np.cosh(np.minimum(y, 300.0))) ** 2 * _W_OUT[None, :] / t[:, None]
    rel = c * lo * zspan * (outer * real_in).sum(axis=1)
    loss_rel = c * lo * zspan * (outer * imag_in).sum(axis=1)
    hw = frequency_to_kelvin(f)
    loss_res = np.zeros_like(t)
    if lo < hw < hi:
        loss_res = 0.5 * np.pi * c * (lo / hw) * np.tanh(hw / (2.0 * t))
    return {"res": res, "rel": rel, "total": res + rel, "loss_res": loss_res, "loss_rel": loss_rel,
            "loss": loss_res + loss_rel}


def dielectric_ats(T, frequency: float, chi_ats: float = 1.0, d_min: float = 0.01, k_ats: float = 1e8,
                   d_max: float = np.inf, part: str = "total") -> np.ndarray:
    """ATS delta eps'/eps_r, or one part / the loss tangent (the toolkit's eq. 14, docs/theory.md sec. 6).

    See :func:`dielectric_ats_parts` for the integrals.

    Parameters
    ----------
    T : array_like
        Temperatures in K (scalar or 1-D).
    frequency : float
        Measuring frequency f in Hz.
    chi_ats : float
        P* p*^2/(3 eps0 eps_r D_min), dimensionless.
    d_min, d_max : float
        ATS gap cut-offs in K (d_max may be inf).
    k_ats : float
        ATS relaxation constant K* in K^-3 s^-1.
    part : str
        One of total, res, rel (real parts), loss, loss_res, loss_rel.

    Returns
    -------
    numpy.ndarray
        Dimensionless, one value per temperature.
    """
    check_choice(part, "part", _PARTS)
    return dielectric_ats_parts(T, frequency, chi_ats, d_min, k_ats, d_max)[part]


def dielectric_total(T, frequency: float, params: GlassParameters | None = None, *, part: str = "total",
                     **values) -> np.ndarray:
    """STM + ATS delta eps'/eps_r, or one part / the loss tangent (docs/theory.md sec. 6; paper eqs. 8 and 14).

    The sum of :func:`dielectric_stm_parts` and :func:`dielectric_ats_parts` over the terms that
    ``params`` sets: the STM term when ``chi`` is set and non-zero (needs ``delta0_min`` and
    ``k_relax``), the ATS term when ``chi_ats`` is (needs ``d_min`` and ``k_ats``; ``d_max``
    defaults to infinity). Offset: zero as T -> 0.

    Parameters
    ----------
    T : array_like
        Temperatures in K (scalar or 1-D).
    frequency : float
        Measuring frequency f in Hz.
    params : GlassParameters, optional
        The glass parameters (e.g. :func:`tunnelsim.get_preset`); the heat-capacity ones are ignored.
    part : str
        One of total, res, rel (real parts), loss, loss_res, loss_rel.
    **values
        Parameters by name (the fields of :class:`tunnelsim.GlassParameters`), over ``params``.

    Returns
    -------
    numpy.ndarray
        delta eps'/eps_r (or the loss tangent) at each T, dimensionless.
    """
    check_choice(part, "part", _PARTS)
    p = resolve(params, values)
    if p.chi is None and p.chi_ats is None:
        raise ValueError("params set no dielectric term: give chi (with delta0_min, k_relax) and/or chi_ats "
                         "(with d_min, k_ats)")
    out = np.zeros_like(_common(T, frequency, 1.0)[0])
    if p.present("chi"):
        out = out + dielectric_stm_parts(T, frequency, *p.require("chi"))[part]
    if p.present("chi_ats"):
        out = out + dielectric_ats_parts(T, frequency, *p.require("chi_ats"), p.d_max)[part]
    return out


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
    """
    t = np.asarray(check_positive(as_real_array(T, "T", ndim=1), "T"), dtype=float)
    v = as_real_array(values, "values", shape=(t.size,))
    lo = float(as_real_scalar(t_lo, "t_lo"))
    hi = float(as_real_scalar(t_hi, "t_hi"))
    sel = (t >= lo) & (t <= hi)
    if sel.sum() < 3:
        raise ValueError(f"need at least 3 temperatures in [t_lo, t_hi] = [{lo:g}, {hi:g}] K, got {int(sel.sum())}")
    return line_fit(np.log(t[sel]), v[sel]).slope


def parabolic_minimum(T: np.ndarray, values: np.ndarray) -> tuple[float, float, int]:
    """Minimum of a sampled curve: the parabola in ln T through the smallest sample and its neighbours.

    The minimum of delta eps'/eps_r (docs/theory.md sec. 6) located between grid points. At an end of
    the grid the parabola goes through the three end points, and the sample itself is returned if it
    opens down.

    Parameters
    ----------
    T : numpy.ndarray
        Temperatures in K, > 0, increasing, at least 3 (as checked by :func:`temperature_grid`).
    values : numpy.ndarray
        The curve at ``T`` (same length).

    Returns
    -------
    (T_min, value, index) : tuple
        T_min in K, the curve there, and the index of the smallest sample.
    """
    i0 = int(np.argmin(values))
    i = int(np.clip(i0, 1, T.size - 2))
    x = np.log(T[i - 1:i + 2])
    a, b, c0 = np.polyfit(x, values[i - 1:i + 2], 2)
    if a > 0:
        return float(np.exp(-b / (2 * a))), float(c0 - b * b / (4 * a)), i0
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
    """
    t = np.asarray(check_positive(as_real_array(T, "T", ndim=1), "T"), dtype=float)
    if t.size < minimum or np.any(np.diff(t) <= 0):
        raise ValueError(f"T must be strictly increasing with at least {minimum} points, got {t.size} points"
                         + ("" if t.size < minimum else " that are not increasing"))
    return t


def dielectric_minimum(T, frequency: float, params: GlassParameters | None = None, **values) -> tuple[float, float]:
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

    Returns
    -------
    (T_min, value) : tuple of float
        T_min in K and delta eps'/eps_r there, in units of chi.
    """
    t = temperature_grid(T)
    tmin, vmin, _ = parabolic_minimum(t, dielectric_total(t, frequency, params, **values))
    return tmin, vmin
