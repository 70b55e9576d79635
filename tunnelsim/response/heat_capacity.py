"""Heat capacity of the two-species glass model (energies and temperatures in K, k_B = 1).

C(T) = int dE g(E) (E/2T)^2 sech^2(E/2T) for any species of effective two-level systems with DOS
g(E) (docs/theory.md sec. 5). Components: Debye phonons, STM 2LS, ATS (paper eq. 26), Fe3+
Schottky centres (paper eqs. 27-30) and their sum (paper eq. 31). Heat capacities come out in the
units of the prefactors (e.g. J/(g K) if c_debye is in J/(g K^4) and P*, c_2ls accordingly).
The ensemble route (exact three-level spectra) and the magnetic-field route are also here.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tunnelsim.constants import flux_phase
from tunnelsim.response._numerics import scaled
from tunnelsim.response.distributions import ATSSample, ats_dos, fe_pdf
from tunnelsim.response.parameters import GlassParameters, cutoffs, real_or_inf, resolve
from tunnelsim.single.three_level import three_level_energies
from tunnelsim.validation import (
    as_real_array,
    as_real_scalar,
    check_bool,
    check_callable,
    check_int,
    check_positive,
)

__all__ = [
    "schottky_2level",
    "schottky_levels",
    "heat_capacity_from_dos",
    "heat_capacity_debye",
    "heat_capacity_2ls",
    "heat_capacity_ats",
    "heat_capacity_fe",
    "heat_capacity",
    "heat_capacity_ats_ensemble",
    "heat_capacity_ats_field",
]

_GL_X, _GL_W = np.polynomial.legendre.leggauss(256)
_YMAX = 40.0  # (E/2T) beyond which sech^2 < 1e-33


def _temperature(T) -> np.ndarray:
    return np.asarray(check_positive(as_real_array(T, "T"), "T"), dtype=float)


def _out(arr: np.ndarray, like: np.ndarray):
    return float(np.asarray(arr).reshape(-1)[0]) if np.ndim(like) == 0 else arr


def _kernel(y: np.ndarray) -> np.ndarray:
    """(y sech y)^2 with y = E/2T: the two-level Schottky kernel, the one home of docs/theory.md sec. 5's kernel.

    Written as (2 y e^-y / (1 + e^-2y))^2, which underflows to the exact 0 for large y (y sech y < 1e-300 once
    y > 700) instead of dividing a huge y by a clipped cosh.
    """
    a = np.abs(np.asarray(y, dtype=float))
    small = a < 700.0
    b = np.where(small, a, 0.0)
    em = np.exp(-b)
    return np.where(small, (2.0 * b * em / (1.0 + em * em)) ** 2, 0.0)


def schottky_2level(splitting, T) -> np.ndarray:
    """Heat capacity of one two-level system, (E/2T)^2 sech^2(E/2T) (units of k_B).

    docs/theory.md sec. 5 (the kernel of every DOS integral).

    Parameters
    ----------
    splitting : float or array_like
        Level splitting E in K, >= 0.
    T : float or array_like
        Temperature in K, > 0; broadcast against ``splitting``.

    Returns
    -------
    float or numpy.ndarray
        Dimensionless (units of k_B).

    Examples
    --------
    >>> from scipy.optimize import minimize_scalar
    >>> peak = minimize_scalar(lambda t: -schottky_2level(1.0, t), bounds=(0.1, 1.0), method='bounded')
    >>> print(round(peak.x, 3), round(-peak.fun, 4))  # the Schottky maximum: T = 0.417 E, C = 0.4392 k_B
    0.417 0.4392
    """
    t = _temperature(T)
    e = np.asarray(check_positive(splitting, "splitting", strict=False), dtype=float)
    return _out(_kernel(e / (2.0 * t)), np.broadcast_arrays(e, t)[0])


def schottky_levels(levels, T) -> np.ndarray:
    """Heat capacity (<E^2> - <E>^2)/T^2 of systems with the given levels (units of k_B).

    The canonical Schottky heat capacity of a multilevel system (docs/theory.md sec. 5), which
    reduces to :func:`schottky_2level` for two levels.

    Parameters
    ----------
    levels : array_like, shape (n, m)
        Level energies of n systems with m levels each, K.
    T : array_like, shape (k,)
        Temperatures in K.

    Returns
    -------
    numpy.ndarray
        Shape (k, n).

    Examples
    --------
    >>> T = np.array([0.2, 0.5, 1.0])
    >>> bool(np.allclose(schottky_levels([[-0.5, 0.5]], T)[:, 0], schottky_2level(1.0, T)))  # two levels
    True
    """
    t = np.atleast_1d(_temperature(T))
    lev = as_real_array(levels, "levels", ndim=2)
    rel = lev - lev.min(axis=1, keepdims=True)
    z, m1, m2 = (np.zeros((t.size, lev.shape[0])) for _ in range(3))
    for col in rel.T:  # a few levels, many systems: one (k, n) array per level, no reduction over a short axis
        with np.errstate(over="ignore"):  # levels e^1000 kT up hold no weight: their x is clipped there, exactly
            x = np.minimum(col[None, :] / t[:, None], 1000.0)
        w = np.exp(-x)
        z += w
        wx = w * x
        m1 += wx
        m2 += wx * x
    m1 /= z
    return m2 / z - m1 * m1


def heat_capacity_from_dos(T, dos: Callable[[np.ndarray], np.ndarray], e_min: float, e_max: float):
    """C(T) = int_{e_min}^{e_max} dE g(E) (E/2T)^2 sech^2(E/2T), by Gauss-Legendre quadrature.

    docs/theory.md sec. 5. The integral runs in y = E/2T over [e_min/2T, min(e_max/2T, e_min/2T + 40)]
    (256 nodes, vectorised over T), accurate to ~1e-10 relative for smooth g.

    Parameters
    ----------
    T : array_like
        Temperatures in K (> 0).
    dos : callable
        g(E) in 1/K, vectorised over a numpy array of energies.
    e_min, e_max : float
        Energy cut-offs in K, 0 <= e_min < e_max (e_max may be inf).

    Returns
    -------
    float or numpy.ndarray
        C(T) in units of g times K.

    Examples
    --------
    >>> C = heat_capacity_from_dos(np.array([0.5, 1.0]), lambda E: np.ones_like(E), 0.0, np.inf)
    >>> print(np.round(C / (np.pi ** 2 / 6), 9))  # constant DOS: (pi^2/6) T
    [0.5 1. ]
    """
    t = _temperature(T)
    check_callable(dos, "dos")
    lo, hi = cutoffs(e_min, e_max, "e_min", "e_max", strict=False)
    tt = np.atleast_1d(t)
    a = lo / (2.0 * tt)
    b = np.minimum(hi / (2.0 * tt), a + _YMAX)  # sech^2 falls by e^-80 over the range
    ok = b > a
    half = 0.5 * np.where(ok, b - a, 0.0)
    y = (0.5 * (a + b))[:, None] + half[:, None] * _GL_X[None, :]
    y = np.maximum(y, 1e-300)
    e = 2.0 * tt[:, None] * y
    g = np.asarray(dos(e), dtype=float)
    integrand = g * _kernel(y) * 2.0 * tt[:, None]
    res = np.where(ok, (integrand * _GL_W[None, :]).sum(axis=1) * half, 0.0)
    return _out(res, t)


def heat_capacity_debye(T, c_debye: float):
    """Debye phonon heat capacity c_D T^3 (paper eq. 21, docs/theory.md sec. 5).

    Parameters
    ----------
    T : array_like
        Temperature in K.
    c_debye : float
        c_D >= 0 (e.g. J g^-1 K^-4).

    Returns
    -------
    float or numpy.ndarray
        C in the unit of c_D times K^3.

    Examples
    --------
    >>> print(heat_capacity_debye(2.0, 0.5))  # c_D T^3
    4.0
    """
    t = _temperature(T)
    c = float(check_positive(as_real_scalar(c_debye, "c_debye"), "c_debye", strict=False))
    return _out(_cube_term(c, t), t)


def _cube_term(c: float, t: np.ndarray) -> np.ndarray:
    """c T^3, refused (naming c_debye and T) where it overflows double precision."""
    with np.errstate(over="ignore"):
        t3 = np.asarray(t, dtype=float) ** 3
    return scaled(c, t3, "c_debye", f" (c_debye T^3 with T up to {np.max(t):g} K)")


def heat_capacity_2ls(T, p_bar: float, e_min: float = 0.0, e_max: float = np.inf):
    """STM two-level heat capacity for a constant DOS Pbar between e_min and e_max.

    With e_min = 0 and e_max = inf the closed form (pi^2/6) Pbar T (paper eq. 21, linear in T);
    otherwise the integral of docs/theory.md sec. 5 with g(E) = Pbar on [e_min, e_max].
    (The paper's c_2LS coefficient is c_2ls = (pi^2/6) Pbar.)

    Parameters
    ----------
    T : array_like
        Temperature in K.
    p_bar : float
        Constant DOS Pbar >= 0 (per K per unit amount).
    e_min, e_max : float
        Cut-offs of the DOS in K.

    Examples
    --------
    >>> print(round(float(heat_capacity_2ls(0.1, 3.0) / (np.pi ** 2 / 6 * 3.0 * 0.1)), 9))  # (pi^2/6) Pbar T
    1.0
    >>> ratio = heat_capacity_2ls(0.1, 3.0, 1e-6, 1e3) / heat_capacity_2ls(0.1, 3.0)
    >>> print(round(float(ratio), 6))  # cut-offs far from T: the closed form
    1.0
    """
    t = _temperature(T)
    pb = float(check_positive(as_real_scalar(p_bar, "p_bar"), "p_bar", strict=False))
    lo, hi = as_real_scalar(e_min, "e_min"), real_or_inf(e_max, "e_max")
    if lo == 0.0 and hi == np.inf:
        return _out(scaled(np.pi**2 / 6.0 * pb, np.asarray(t, dtype=float), "p_bar",
                           f" (p_bar T with T up to {np.max(t):g} K)"), t)
    return heat_capacity_from_dos(t, lambda e: np.full_like(e, pb), lo, hi)


def heat_capacity_ats(T, p_star: float, d_min: float):
    """ATS heat capacity in closed form, C = P* [ln 2 - a tanh a + ln cosh a], a = d_min/(2T).

    Paper eq. 26: the integral of docs/theory.md sec. 5 with g(E) = P*/E for E > D_min.
    Evaluated stably as P* [a (1 - tanh a) + ln(1 + exp(-2a))]. Tends to P* ln 2 for T >> D_min
    (the shoulder) and to P* (2a + 1) exp(-2a) for T << D_min.

    Parameters
    ----------
    T : array_like
        Temperature in K.
    p_star : float
        P* >= 0 (ATS per unit ln E).
    d_min : float
        D_min > 0 in K.

    Examples
    --------
    >>> print(round(float(heat_capacity_ats(1e3, 1.0, 0.01)), 6), round(np.log(2), 6))  # the shoulder P* ln 2
    0.693147 0.693147
    >>> a = 0.01 / (2 * 1e-3)  # T << D_min: P* (2a + 1) exp(-2a)
    >>> print(round(float(heat_capacity_ats(1e-3, 1.0, 0.01) / ((2 * a + 1) * np.exp(-2 * a))), 4))
    1.0
    """
    t = _temperature(T)
    ps = float(check_positive(as_real_scalar(p_star, "p_star"), "p_star", strict=False))
    dm = float(check_positive(as_real_scalar(d_min, "d_min"), "d_min"))
    a = dm / (2.0 * t)
    em = np.exp(-2.0 * a)
    res = ps * (a * 2.0 * em / (1.0 + em) + np.log1p(em))
    return _out(res, t)


def heat_capacity_fe(T, n_fe: float, delta_fe: float):
    """Fe3+ Schottky heat capacity averaged over the Poisson-type splitting law (docs/theory.md sec. 5).

    C_Fe = n_Fe int_0^inf dDelta p(Delta) (Delta/2T)^2 sech^2(Delta/2T), with
    p(Delta) = Delta/delta_fe^2 exp(-Delta/delta_fe) (paper eqs. 27-30 in the toolkit's form,
    :func:`tunnelsim.fe_pdf`). Two equally degenerate Kramers doublets: the
    two-level Schottky kernel.

    Parameters
    ----------
    T : array_like
        Temperature in K.
    n_fe : float
        Amount of Fe3+ centres n_Fe >= 0 (sets the units: C_Fe -> 0 ... n_Fe * O(0.44)).
    delta_fe : float
        Peak splitting delta_fe > 0 in K.

    Examples
    --------
    >>> from tunnelsim.response.distributions import fe_pdf
    >>> T, C = np.array([0.2, 0.5]), heat_capacity_fe([0.2, 0.5], 1.0, 1.0)  # against the DOS integral of p(Delta):
    >>> bool(np.allclose(C, heat_capacity_from_dos(T, lambda d: fe_pdf(d, 1.0), 0.0, np.inf)))
    True
    """
    t = _temperature(T)
    n = float(check_positive(as_real_scalar(n_fe, "n_fe"), "n_fe", strict=False))
    d = float(check_positive(as_real_scalar(delta_fe, "delta_fe"), "delta_fe"))
    # integrate in x = Delta/delta_fe over [0, 60] (exp(-60) negligible), where the law is fe_pdf(x, 1)
    x = 30.0 * (_GL_X + 1.0)
    w = 30.0 * _GL_W
    tt = np.atleast_1d(t)
    kern = _kernel((d * x)[None, :] / (2.0 * tt[:, None]))
    res = n * (kern * (fe_pdf(x, 1.0) * w)[None, :]).sum(axis=1)
    return _out(res, t)


def heat_capacity(T, params: GlassParameters | None = None, *, parts: bool = False, **values):
    """Total heat capacity of paper eq. 31: c_D T^3 + c_2LS T + C_ATS + C_Fe (docs/theory.md sec. 5).

    Parameters
    ----------
    T : array_like
        Temperature in K.
    params : GlassParameters, optional
        The glass parameters (e.g. :func:`tunnelsim.get_preset`); the dielectric ones are ignored.
        A term is present when its amplitude is set and non-zero: ``c_debye`` (c_D T^3), ``c_2ls``
        (the linear term, = (pi^2/6) Pbar), ``p_star`` (ATS, eq. 26, needs ``d_min``; with a finite
        ``d_max`` the DOS integral of g = P*/E on [d_min, d_max]), ``n_fe`` (Fe3+, needs ``delta_fe``).
    parts : bool
        If True return a dict of the components (keys debye, 2ls, ats, fe, total).
    **values
        Parameters by name (the fields of :class:`GlassParameters`), over ``params``.

    Returns
    -------
    float, numpy.ndarray or dict
        C(T) in the units of the amplitudes.

    Examples
    --------
    >>> print(np.round(heat_capacity([0.5, 1.0], c_debye=1.0, c_2ls=2.0), 9))  # c_D T^3 + c_2LS T
    [1.125 3.   ]
    >>> parts = heat_capacity([0.5], c_debye=1.0, c_2ls=2.0, p_star=1.0, d_min=0.01, parts=True)
    >>> bool(np.allclose(parts['total'], parts['debye'] + parts['2ls'] + parts['ats'] + parts['fe']))
    True
    """
    t = _temperature(T)
    p = resolve(params, values)
    check_bool(parts, "parts")
    if all(getattr(p, a) is None for a in ("c_debye", "c_2ls", "p_star", "n_fe")):
        raise ValueError("params set no heat-capacity term: give c_debye, c_2ls, p_star (with d_min) or n_fe "
                         "(with delta_fe)")
    zero = np.zeros_like(np.atleast_1d(t))
    out = {"debye": zero, "2ls": zero, "ats": zero, "fe": zero}
    if p.present("c_debye"):
        out["debye"] = np.atleast_1d(_cube_term(p.c_debye, t))
    if p.present("c_2ls"):
        out["2ls"] = scaled(p.c_2ls, np.atleast_1d(t), "c_2ls", f" (c_2ls T with T up to {np.max(t):g} K)")
    if p.present("p_star"):
        out["ats"] = np.atleast_1d(_ats_term(t, *p.require("p_star"), p.upper_gap))
    if p.present("n_fe"):
        out["fe"] = np.atleast_1d(heat_capacity_fe(t, *p.require("n_fe")))
    with np.errstate(over="ignore"):
        total = out["debye"] + out["2ls"] + out["ats"] + out["fe"]
    total = scaled(1.0, total, "params", f" (the sum of the terms at T up to {np.max(t):g} K)")
    if parts:
        out["total"] = total
        return out
    return _out(total, t)


def _ats_term(t: np.ndarray, p_star: float, d_min: float, d_max: float):
    if np.isinf(d_max):
        return heat_capacity_ats(t, p_star, d_min)
    return heat_capacity_from_dos(t, lambda e: ats_dos(e, p_star, d_min=d_min, d_max=d_max), d_min, d_max)


def heat_capacity_ats_ensemble(T, sample: ATSSample, p_star: float, *, phi=0.0,
                               effective: bool = False, chunk: int = 20000) -> np.ndarray:
    """ATS heat capacity from an explicitly diagonalised ensemble of three-level systems.

    Each system's levels come from Viete's closed form (paper eq. 7, :func:`tunnelsim.three_level_energies`,
    vectorised over the ensemble); its full three-level Schottky heat capacity
    (<E^2> - <E>^2)/T^2 is averaged over the ensemble and scaled to the density P* ln(d_max/d_min)
    of systems between the gap cut-offs, so that it compares with eq. 26
    (docs/theory.md sec. 5; :func:`heat_capacity_ats` for d_max -> inf).

    Parameters
    ----------
    T : array_like, shape (k,)
        Temperatures in K.
    sample : ATSSample
        From :func:`tunnelsim.sample_ats` (its gaps log-uniform in [d_min, d_max]).
    p_star : float
        P*, the coefficient of g(E) = P*/E.
    phi : float or array_like, shape (n,)
        Aharonov-Bohm phase per system (0 in zero field).
    effective : bool
        If True use only the two lowest levels (the effective 2LS of the doublet), to isolate the
        contribution of the third level.
    chunk : int
        Systems per vectorised block.

    Returns
    -------
    numpy.ndarray, shape (k,)

    Examples
    --------
    >>> from tunnelsim.response.distributions import sample_ats
    >>> sample = sample_ats(4000, rng=0, d_min=0.01, d_max=1.0, d0_min=10.0, d0_max=100.0)
    >>> T, C = np.array([0.02, 0.1]), heat_capacity_ats_ensemble([0.02, 0.1], sample, 1.0)
    >>> print(np.round(C / heat_capacity(T, p_star=1.0, d_min=0.01, d_max=1.0), 1))  # the DOS integral of g = P*/E
    [1. 1.]
    """
    t = np.atleast_1d(_temperature(T))
    ps = float(check_positive(as_real_scalar(p_star, "p_star"), "p_star", strict=False))
    if not isinstance(sample, ATSSample):
        raise TypeError(f"sample must be an ATSSample (from sample_ats), got {type(sample).__name__}")
    n = sample.d0.size
    phi_arr = _per_system(phi, n)
    check_bool(effective, "effective")
    chunk = check_int(chunk, "chunk", minimum=1)
    if sample.d_min > 0 and sample.d_max > sample.d_min:
        norm = ps * np.log(sample.d_max / sample.d_min)
    else:
        gaps0 = sample.effective_gap
        norm = ps * np.log(gaps0.max() / gaps0.min()) if gaps0.size > 1 else ps
    acc = np.zeros_like(t)
    for s in range(0, n, chunk):
        lev = three_level_energies(sample.energies[s:s + chunk], sample.d0[s:s + chunk], phi_arr[s:s + chunk])
        if effective:
            lev = lev[:, :2]
        acc += schottky_levels(lev, t).sum(axis=1)
    return norm * acc / n


def _per_system(phi, n: int) -> np.ndarray:
    """phi (radians) as one value per system of an ensemble of ``n``: a scalar or an array of length n."""
    ph = as_real_array(phi, "phi")
    if ph.ndim > 1 or (ph.ndim == 1 and ph.size != n):
        raise ValueError(f"phi must be a number or hold one phase per system ({n}), got shape {ph.shape}")
    return np.broadcast_to(ph, (n,))


def heat_capacity_ats_field(T, field, sample: ATSSample, p_star: float, *, area: float,
                            charge: float = 1.0, n_theta: int = 16) -> np.ndarray:
    """ATS heat capacity C(T, B) from exact 3LS spectra in a magnetic field, orientation-averaged.

    phi = 2 pi B S cos(theta) / Phi_0 with Phi_0 = h/|Q| (docs/theory.md sec. 0,
    :func:`tunnelsim.constants.flux_phase`); cos(theta) is averaged uniformly over [0, 1]
    (the spectrum is even in phi) with ``n_theta`` Gauss-Legendre nodes. Beyond the paper
    (after its ref. [21], Jug 2004).

    Parameters
    ----------
    T : array_like, shape (k,)
        Temperatures in K.
    field : array_like, shape (m,)
        Magnetic fields in T.
    sample : ATSSample
        The ATS ensemble.
    p_star : float
        P*.
    area : float
        Flux-threaded area S in m^2.
    charge : float
        Tunneling charge Q in units of e (a cluster of N particles carries N e).
    n_theta : int
        Orientation nodes (1..64).

    Returns
    -------
    numpy.ndarray, shape (m, k)

    Examples
    --------
    >>> from tunnelsim.response.distributions import sample_ats
    >>> sample, T = sample_ats(500, rng=0, d_min=0.01, d_max=1.0), np.array([0.05, 0.2])
    >>> C = heat_capacity_ats_field(T, [0.0], sample, 1.0, area=1e-18)
    >>> bool(np.allclose(C[0], heat_capacity_ats_ensemble(T, sample, 1.0)))  # B = 0: the zero-field ensemble
    True
    """
    t = np.atleast_1d(_temperature(T))
    b = np.atleast_1d(as_real_array(field, "field"))
    s_area = float(check_positive(as_real_scalar(area, "area"), "area"))
    q = float(as_real_scalar(charge, "charge"))
    flux_phase(b, s_area, 0.0, q)  # the largest phases: a zero charge or an overflow is refused before any work
    xg, wg = np.polynomial.legendre.leggauss(check_int(n_theta, "n_theta", minimum=1, maximum=64))
    cos_t = 0.5 * (xg + 1.0)
    wts = 0.5 * wg
    out = np.zeros((b.size, t.size))
    for i, bi in enumerate(b):
        for ct, wt in zip(cos_t, wts):
            ph = flux_phase(bi, s_area, np.arccos(ct), q)
            out[i] += wt * heat_capacity_ats_ensemble(t, sample, p_star, phi=ph)
    return out
