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

from functools import lru_cache

import numpy as np

from tunnelsim.constants import frequency_to_kelvin
from tunnelsim.response._numerics import (
    acosh_exp,
    blocks,
    debye_weights,
    log_cosh,
    log_sech2,
    scaled,
    tanh_minus_one,
    tanh_over_x,
)
from tunnelsim.response.parameters import GlassParameters, cutoffs, resolve
from tunnelsim.validation import (
    as_real_array,
    as_real_scalar,
    check_choice,
    check_positive,
    check_range,
)

__all__ = [
    "ATS_VARIANTS",
    "checked_temperatures",
    "checked_response_inputs",
    "dielectric_stm_parts",
    "dielectric_stm",
    "dielectric_ats_parts",
    "dielectric_ats",
    "dielectric_total",
]

_YMAX = 40.0
#: The two forms of the toolkit's eq. 14 (docs/theory.md sec. 6, "Reconstruction variants"): "isotropic"
#: (the default: the angle between gap vector and field coupling uniform, RES and REL weights 1/2 each) and
#: "stm" (the STM's tunneling-fraction law 1/(u sqrt(1 - u^2)) on [u_min, 1], as in paper eq. 8).
ATS_VARIANTS = ("isotropic", "stm")
_KEYS = ("res", "rel", "total", "loss_res", "loss_rel", "loss")


def _gl(n: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(n)
    return 0.5 * (x + 1.0), 0.5 * w  # on [0, 1]


_X_OUT, _W_OUT = _gl(160)
_X_IN, _W_IN = _gl(256)
#: bytes of workspace per temperature of the relaxational integrals (about eight (160 x 256) float arrays)
_PER_T = 8 * 8 * _X_OUT.size * _X_IN.size


def checked_temperatures(T) -> np.ndarray:
    """Temperatures in K (> 0, a scalar or 1-D) as a 1-D float array; errors name T.

    Examples
    --------
    >>> checked_temperatures(0.5)
    array([0.5])
    """
    t = np.atleast_1d(np.asarray(check_positive(as_real_array(T, "T"), "T"), dtype=float))
    if t.ndim != 1:
        raise ValueError(f"T must be a scalar or 1-D array, got shape {t.shape}")
    return t


def checked_response_inputs(T, frequency, k_relax, name_k="k_relax"):
    """T (:func:`checked_temperatures`), the frequency in Hz and a relaxation constant in K^-3 s^-1, all checked.

    The boundary check of the dielectric observables (here and in :mod:`tunnelsim.response.magnetodielectric`);
    errors name T, frequency and ``name_k``.

    Examples
    --------
    >>> T, f, k = checked_response_inputs([0.1, 0.2], 1e3, 1e8)
    >>> print(T.tolist(), f, k)
    [0.1, 0.2] 1000.0 100000000.0
    """
    t = checked_temperatures(T)
    f = float(check_positive(as_real_scalar(frequency, "frequency"), "frequency"))
    k = float(check_positive(as_real_scalar(k_relax, name_k), name_k))
    return t, f, k


def _log_uc2(y: np.ndarray, log_e: np.ndarray, log_t: np.ndarray, omega: float, k: float) -> np.ndarray:
    """ln u_c^2, u_c^2 = omega / (K E^3 coth(E/2T)) = omega (tanh y / y) / (2 T K E^2), y = E/2T.

    omega tau = (u_c/u)^2 for 1/tau = K u^2 E^3 coth(E/2T) (docs/theory.md sec. 6); in logs, so that no
    extreme K, omega, T or E overflows.
    """
    return np.log(omega) + np.log(tanh_over_x(y)) - np.log(2.0) - log_t - np.log(k) - 2.0 * log_e


def _debye(weights: np.ndarray, log_u2: np.ndarray, log_uc2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted sums over the last axis of 1/(1 + omega^2 tau^2) and omega tau/(1 + omega^2 tau^2).

    omega tau = u_c^2/u^2 (docs/theory.md sec. 6), given through ln u^2 and ln u_c^2.
    """
    real, imag = debye_weights(log_uc2 - log_u2)
    return (weights * real).sum(axis=-1), (weights * imag).sum(axis=-1)


def _debye_bounded(weights: np.ndarray, inv_u2: np.ndarray, log_uc2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_debye` for nodes with bounded 1/u^2 (<= 1e24): omega tau = u_c^2 / u^2 formed directly.

    ln u_c^2 is clipped to [-100, 100] first (the Debye factors are then exact to < 1e-40), so omega tau
    stays below 1e68 and its square finite.
    """
    x = np.exp(np.clip(log_uc2, -100.0, 100.0))[..., None] * inv_u2
    d = 1.0 / (1.0 + x * x)
    return (weights * d).sum(axis=-1), (weights * (x * d)).sum(axis=-1)


def _thermal_nodes(e_lo: float, e_hi: float, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes in z = ln(E/2T) over [ln(e_lo/2T), ln(min(e_hi/2T, 40))] for each T.

    Returns (zspan, y, ln E): the length of each T's interval (0 where it is empty, its nodes then sit at
    y = 40 and carry no weight), y = E/2T and ln E (E in K), shapes (nT,), (nT, nz), (nT, nz).
    """
    log_2t = np.log(2.0 * t)
    z0 = np.log(e_lo) - log_2t
    z1 = np.minimum(np.log(e_hi) - log_2t, np.log(_YMAX))
    ok = z0 < z1
    zspan = np.where(ok, z1 - z0, 0.0)
    z = np.where(ok, z0, np.log(_YMAX))[:, None] + zspan[:, None] * _X_OUT[None, :]
    return zspan, np.exp(z), log_2t[:, None] + z


def _stm_block(t: np.ndarray, omega: float, k: float, d0: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """RES, REL and the relaxational loss of the STM per unit chi at the temperatures ``t`` (one block)."""
    # resonant: E = d0 cosh v, v from 0 to arccosh(max(80 T/d0, 2))
    vmax = acosh_exp(np.maximum(np.log(2.0 * _YMAX) + np.log(t) - np.log(d0), np.log(2.0)))
    v = vmax[:, None] * _X_IN[None, :]
    y_res = np.exp(np.minimum(np.log(d0) + log_cosh(v) - np.log(2.0 * t)[:, None], 10.0))
    res = 2.0 * vmax * (np.tanh(v) ** 2 * tanh_minus_one(y_res) * _W_IN).sum(axis=1)
    # relaxational: y = E/2T = exp(z), z from ln(d0/2T) to ln(40); inner u = 1/cosh(v)
    zspan, y, log_e = _thermal_nodes(d0, np.inf, t)
    vm = acosh_exp(log_e - np.log(d0))  # (nT, nz)
    vv = vm[..., None] * _X_IN  # (nT, nz, nv)
    em = np.exp(-2.0 * vv)  # tanh^2 v and ln u^2 = -2 ln cosh v from one exponential
    real_in, imag_in = _debye(((1.0 - em) / (1.0 + em)) ** 2 * _W_IN, -2.0 * (vv + np.log1p(em) - np.log(2.0)),
                              _log_uc2(y, log_e, np.log(t)[:, None], omega, k)[..., None])
    outer = y * np.exp(log_sech2(y)) * _W_OUT[None, :]  # sech^2(y) dy = sech^2(y) y dz
    rel = 2.0 * zspan * (outer * real_in * vm).sum(axis=1)
    loss_rel = 2.0 * zspan * (outer * imag_in * vm).sum(axis=1)
    return res, rel, loss_rel


def _parts(res, rel, loss_res, loss_rel, amplitude: float, name: str) -> dict[str, np.ndarray]:
    out = {"res": scaled(amplitude, res, name), "rel": scaled(amplitude, rel, name),
           "loss_res": scaled(amplitude, loss_res, name), "loss_rel": scaled(amplitude, loss_rel, name)}
    out["total"] = scaled(1.0, out["res"] + out["rel"], name, f" ({name} too large)")
    out["loss"] = scaled(1.0, out["loss_res"] + out["loss_rel"], name, f" ({name} too large)")
    return {key: out[key] for key in _KEYS}


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

    The temperatures are done in blocks of bounded workspace (about 2.6 MB per temperature, 32 MB per
    block); the memory of the outputs is checked first (:func:`tunnelsim.memory.check_memory`).

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

    Examples
    --------
    >>> from tunnelsim.response.curves import log_slope
    >>> T = np.geomspace(1e-3, 3e-3, 5)
    >>> parts = dielectric_stm_parts(T, 1e3)  # chi = 1, Delta0min = 1e-7 K, K = 1e8: the check values
    >>> print(round(log_slope(T, parts['res'] + parts['rel'], 1e-3, 3e-3), 2))  # RES slope -2 chi (paper eq. 10)
    -2.0
    """
    t, f, k = checked_response_inputs(T, frequency, k_relax)
    c = float(check_positive(as_real_scalar(chi, "chi"), "chi", strict=False))
    d0 = float(check_positive(as_real_scalar(delta0_min, "delta0_min"), "delta0_min"))
    omega = 2.0 * np.pi * f
    res, rel, loss_rel = (np.empty_like(t) for _ in range(3))
    for sl in blocks(t.size, _PER_T, 6 * 8.0 * t.size, f"the STM dielectric integrals at {t.size} temperatures"):
        res[sl], rel[sl], loss_rel[sl] = _stm_block(t[sl], omega, k, d0)
    hw = frequency_to_kelvin(f)
    loss_res = np.zeros_like(t)
    if hw > d0:
        loss_res = np.pi * np.tanh(hw / (2.0 * t)) * np.sqrt(1.0 - (d0 / hw) ** 2)
    return _parts(res, rel, loss_res, loss_rel, c, "chi")


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

    Examples
    --------
    >>> from tunnelsim.response.curves import log_slope
    >>> T = np.geomspace(0.3, 1.0, 7)
    >>> print(round(log_slope(T, dielectric_stm(T, 1e3), 0.3, 1.0), 2))  # relaxed arm: check value +0.93..+0.98
    0.96
    >>> print(round(float(dielectric_stm(1e-9, 1e3)[0]), 6) + 0.0)  # zero as T -> 0 (below Delta0min)
    0.0
    """
    check_choice(part, "part", _PARTS)
    return dielectric_stm_parts(T, frequency, chi, delta0_min, k_relax)[part]


def _ats_angles(variant: str, u_min: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Nodes of the tunneling fraction u of the ATS doublet: (weights incl. the REL factor, 1/u^2, RES weight).

    "isotropic": u = sin psi, psi uniform on [0, pi/2]; REL weight (2/pi) cos^2 psi dpsi (static sum 1/2),
    RES weight 2 <u^2> = 1. "stm": u = 1/cosh v on [u_min, 1] with the measure du/(u sqrt(1-u^2));
    REL weight (1 - u^2) -> tanh^2 v dv, RES weight 2 int u du/sqrt(1-u^2) = 2 sqrt(1 - u_min^2).
    """
    if variant == "isotropic":
        psi = 0.5 * np.pi * _X_IN
        return _W_IN * np.cos(psi) ** 2, 1.0 / np.sin(psi) ** 2, 1.0
    vm = float(np.arccosh(1.0 / u_min))
    v = vm * _X_IN
    return vm * _W_IN * np.tanh(v) ** 2, np.cosh(v) ** 2, 2.0 * np.sqrt(1.0 - u_min * u_min)


_L_MAX, _L_STEP = 60.0, 2e-3  # the table of the inner integrals in ln u_c^2 (linear interpolation error < 1e-6)


@lru_cache(maxsize=4)
def _inner_table(variant: str, u_min: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The inner (u) integrals of the ATS relaxation as functions of L = ln u_c^2, tabulated once.

    They depend on T and E only through u_c^2 (docs/theory.md sec. 6), so one table serves every call:
    (L grid, real part, imaginary part, RES weight); read-only.
    """
    w_u, inv_u2, res_weight = _ats_angles(variant, u_min)
    grid = np.arange(-_L_MAX, _L_MAX + 0.5 * _L_STEP, _L_STEP)
    real, imag = np.empty_like(grid), np.empty_like(grid)
    for sl in blocks(grid.size, 8.0 * 6 * inv_u2.size, 0.0, "the ATS relaxation table"):
        real[sl], imag[sl] = _debye_bounded(w_u, inv_u2, grid[sl])
    for arr in (grid, real, imag):
        arr.setflags(write=False)
    return grid, real, imag, res_weight


def _ats_inner(log_uc2: np.ndarray, variant: str, u_min: float) -> tuple[np.ndarray, np.ndarray]:
    """The inner integrals at ``log_uc2`` from :func:`_inner_table`; beyond the table the exact limits
    (ln u_c^2 < -60: fully relaxed; > 60: frozen, both parts ~ e^-60 relative: 0)."""
    grid, real, imag, _ = _inner_table(variant, u_min)
    x = np.clip(log_uc2, -_L_MAX, _L_MAX)
    frozen = log_uc2 > _L_MAX
    return (np.where(frozen, 0.0, np.interp(x, grid, real)), np.where(frozen, 0.0, np.interp(x, grid, imag)))


def _ats_block(t: np.ndarray, omega: float, k: float, lo: float, hi: float,
               variant: str, u_min: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """RES, REL and the relaxational loss of the ATS per unit chi_ats at the temperatures ``t`` (one block)."""
    res_weight = _inner_table(variant, u_min)[3]
    # resonant: s = ln(E/d_min) from 0 to ln(min(d_max, 80 T)/d_min)
    smax = np.log(np.maximum(np.minimum(hi, 2.0 * _YMAX * t) / lo, 1.0))
    s = smax[:, None] * _X_IN[None, :]
    e = lo * np.exp(s)
    res = res_weight * smax * (np.exp(-s) * tanh_minus_one(e / (2.0 * t[:, None])) * _W_IN).sum(axis=1)
    # relaxational: z = ln(E/2T) over [ln(d_min/2T), ln(min(d_max/2T, 40))]
    zspan, y, log_e = _thermal_nodes(lo, hi, t)
    real_in, imag_in = _ats_inner(_log_uc2(y, log_e, np.log(t)[:, None], omega, k), variant, u_min)
    # dE/E (d_min/T) sech^2(E/2T) = dz exp(ln d_min - ln T + ln sech^2 y)
    outer = np.exp(np.log(lo) - np.log(t)[:, None] + log_sech2(y)) * _W_OUT[None, :]
    return res, zspan * (outer * real_in).sum(axis=1), zspan * (outer * imag_in).sum(axis=1)


def dielectric_ats_parts(T, frequency: float, chi_ats: float = 1.0, d_min: float = 0.01,
                         k_ats: float = 1e8, d_max: float = np.inf, *, variant: str = "isotropic",
                         u_min: float = 1e-6) -> dict[str, np.ndarray]:
    """ATS contribution to delta eps'/eps_r (resonant + relaxational) and to the loss tangent.

    The construction of docs/theory.md sec. 6 applied to the ATS as effective 2LS (paper eq. 14 in
    the toolkit's reconstruction; the paper's text of eq. 14 was not available): DOS g(E) = P*/E on
    [d_min, d_max] (paper eq. 18), relaxation 1/tau* = K* u^2 E^3 coth(E/2T) with u the tunneling
    fraction of the doublet, chi_ats = P* p*^2 / (3 eps0 eps_r d_min). Two forms of the u law
    (``variant``, docs/theory.md sec. 6 "Reconstruction variants"):

    * ``"isotropic"`` (default; variant B): the doublet's splitting and its dipole coupling are
      vectors of the same two-dimensional (E) representation of the triangle at a uniform relative
      angle psi, u = sin psi, so RES and REL carry weight 1/2 each (the exact 3LS ensemble confirms
      it, :func:`tunnelsim.dielectric_ats_ensemble`):
      RES = chi_ats d_min int_{d_min}^{d_max} dE [tanh(E/2T) - 1] / E^2 (T -> 0 value subtracted),
      REL = chi_ats d_min int dE/E (1/T) sech^2(E/2T) (2/pi) int_0^{pi/2} dpsi cos^2 psi / (1 + omega^2 tau*^2);
    * ``"stm"`` (variant A): paper eq. 8 verbatim with g = P*/E, i.e. u distributed as
      1/(u sqrt(1-u^2)) on [u_min, 1]: RES = 2 sqrt(1 - u_min^2) times the RES above,
      REL = chi_ats d_min int dE/E (1/T) sech^2(E/2T) int_{u_min}^1 du sqrt(1-u^2)/u / (1 + omega^2 tau*^2).

    loss_rel likewise with omega tau*/(1 + omega^2 tau*^2); resonant loss (pi/2) chi_ats (d_min/hbar omega)
    tanh(hbar omega/2T) (times 2 sqrt(1 - u_min^2) in variant A) inside [d_min, d_max], else 0.
    Temperatures in blocks of bounded workspace, as in :func:`dielectric_stm_parts`.

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
    variant : {"isotropic", "stm"}
        The law of the tunneling fraction (see above).
    u_min : float
        Lower cut-off of u in variant "stm", in [1e-12, 1) (ignored by "isotropic").

    Returns
    -------
    dict of numpy.ndarray
        Keys ``res``, ``rel``, ``total``, ``loss_res``, ``loss_rel``, ``loss``.

    Examples
    --------
    >>> from scipy.integrate import quad
    >>> d_min, T = 0.01, 0.02  # static limit: RES + REL = chi_ats [S(a) - 1], a = d_min / 2T
    >>> a = d_min / (2 * T); S = 2 * a * quad(lambda x: np.tanh(x) / x ** 2, a, np.inf)[0] - np.tanh(a)
    >>> parts = dielectric_ats_parts(T, 1e-9, chi_ats=1.0, d_min=d_min, k_ats=1e8)
    >>> print(round(float(parts['res'][0] + parts['rel'][0]), 4), round(S - 1, 4))
    -0.1514 -0.1514
    """
    t, f, k = checked_response_inputs(T, frequency, k_ats, "k_ats")
    c = float(check_positive(as_real_scalar(chi_ats, "chi_ats"), "chi_ats", strict=False))
    lo, hi = cutoffs(d_min, d_max, "d_min", "d_max")
    check_choice(variant, "variant", ATS_VARIANTS)
    um = float(check_range(as_real_scalar(u_min, "u_min"), "u_min", 1e-12, 1.0, hi_open=True))
    if variant == "isotropic":
        um = 1e-6  # unused: one table for the isotropic form
    omega = 2.0 * np.pi * f
    res, rel, loss_rel = (np.empty_like(t) for _ in range(3))
    per_t = 8.0 * 16 * (_X_IN.size + _X_OUT.size)  # a few resonant (256) and outer (160) node arrays per T
    for sl in blocks(t.size, per_t, 6 * 8.0 * t.size, f"the ATS dielectric integrals at {t.size} temperatures"):
        res[sl], rel[sl], loss_rel[sl] = _ats_block(t[sl], omega, k, lo, hi, variant, um)
    hw = frequency_to_kelvin(f)
    loss_res = np.zeros_like(t)
    if lo < hw < hi:
        loss_res = 0.5 * np.pi * _inner_table(variant, um)[3] * (lo / hw) * np.tanh(hw / (2.0 * t))
    return _parts(res, rel, loss_res, loss_rel, c, "chi_ats")


def dielectric_ats(T, frequency: float, chi_ats: float = 1.0, d_min: float = 0.01, k_ats: float = 1e8,
                   d_max: float = np.inf, part: str = "total", *, variant: str = "isotropic",
                   u_min: float = 1e-6) -> np.ndarray:
    """ATS delta eps'/eps_r, or one part / the loss tangent (the toolkit's eq. 14, docs/theory.md sec. 6).

    See :func:`dielectric_ats_parts` for the integrals and the two variants.

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
    variant, u_min
        The law of the tunneling fraction, see :func:`dielectric_ats_parts`.

    Returns
    -------
    numpy.ndarray
        Dimensionless, one value per temperature.

    Examples
    --------
    >>> eps = dielectric_ats([1e-4, 10.0], 1e-9, chi_ats=1.0, d_min=0.01, k_ats=1e8)  # static limit
    >>> print(round(float(eps[0]), 4) + 0.0, round(float(eps[1]), 2))  # 0 below D_min, a step of -chi_ats above
    0.0 -0.99
    """
    check_choice(part, "part", _PARTS)
    return dielectric_ats_parts(T, frequency, chi_ats, d_min, k_ats, d_max, variant=variant, u_min=u_min)[part]


def dielectric_total(T, frequency: float, params: GlassParameters | None = None, *, part: str = "total",
                     ats_variant: str = "isotropic", **values) -> np.ndarray:
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
    ats_variant : {"isotropic", "stm"}
        The form of the toolkit's eq. 14 (``variant`` of :func:`dielectric_ats_parts`).
    **values
        Parameters by name (the fields of :class:`tunnelsim.GlassParameters`), over ``params``.

    Returns
    -------
    numpy.ndarray
        delta eps'/eps_r (or the loss tangent) at each T, dimensionless.

    Examples
    --------
    >>> T = np.array([0.01, 0.1])
    >>> total = dielectric_total(T, 1e3, chi=1.0, delta0_min=1e-7, k_relax=1e8, chi_ats=0.5, d_min=0.01, k_ats=1e8)
    >>> parts = dielectric_stm(T, 1e3) + dielectric_ats(T, 1e3, chi_ats=0.5, d_min=0.01, k_ats=1e8)
    >>> bool(np.allclose(total, parts))  # the sum of the two species
    True
    """
    check_choice(part, "part", _PARTS)
    check_choice(ats_variant, "ats_variant", ATS_VARIANTS)
    p = resolve(params, values)
    if p.chi is None and p.chi_ats is None:
        raise ValueError("params set no dielectric term: give chi (with delta0_min, k_relax) and/or chi_ats "
                         "(with d_min, k_ats)")
    out = np.zeros_like(checked_response_inputs(T, frequency, 1.0)[0])
    if p.present("chi"):
        out = out + dielectric_stm_parts(T, frequency, *p.require("chi"))[part]
    if p.present("chi_ats"):
        out = out + dielectric_ats_parts(T, frequency, *p.require("chi_ats"), p.upper_gap, variant=ats_variant)[part]
    return scaled(1.0, out, "params", " (chi and chi_ats too large)")
