"""Composition laws of the model prefactors in the network-modifier concentration x.

docs/theory.md sec. 4 and 5: the ATS prefactor is linear in x; the 2LS prefactor is
P(x) = P0 (1 - x) + P1 x^alpha (paper eq. 20; its one home is :func:`tls_prefactor`, fitted by
:func:`fit_tls_prefactor`) with alpha = nu (D - D_s) from fractal scaling (:func:`lattices.alpha_exponent`).
The Debye prefactor is mixed linearly, c_D(x) = c_D0 (1 - x) + c_D1 x: the paper's own form for
c_D(x) could not be retrieved, so this is the toolkit's (documented) assumption.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass

import numpy as np

from lattices.alpha import heuristic_alpha
from tunnelsim.response.parameters import GlassParameters, resolve
from tunnelsim.validation import (
    as_real_array,
    as_real_scalar,
    check_nonnegative,
    check_positive,
    check_probability,
    check_same_length,
)

__all__ = [
    "ALPHA_2D_HULL",
    "ats_prefactor",
    "tls_prefactor",
    "fit_tls_prefactor",
    "debye_prefactor",
    "CompositionLaw",
    "composition_params",
]

#: alpha = nu (D - D_s) for 2D percolation with the hull D_s = 7/4: (4/3)(91/48 - 7/4) = 7/36
ALPHA_2D_HULL: float = heuristic_alpha(2, "hull")


def _x(x) -> np.ndarray | float:
    return check_probability(as_real_array(x, "x"), "x")


def ats_prefactor(x, slope: float):
    """ATS prefactor P*(x) = slope * x, linear in x (paper eq. 31; docs/theory.md secs. 4-5).

    Parameters
    ----------
    x : float or array_like
        Network-modifier fraction in [0, 1].
    slope : float
        dP*/dx >= 0, in the unit of P* (e.g. uJ g^-1 K^-1).

    Returns
    -------
    float or numpy.ndarray
        P*(x).

    Examples
    --------
    >>> print(ats_prefactor(0.5, 2.0), ats_prefactor(0.0, 2.0))  # P*(x) = slope x: no ATS in the pure glass
    1.0 0.0
    """
    xx = _x(x)
    s = float(check_nonnegative(as_real_scalar(slope, "slope"), "slope"))
    return s * xx


def tls_prefactor(x, p0: float, p1: float, alpha: float):
    """2LS prefactor P(x) = P0 (1 - x) + P1 x^alpha (paper eq. 20, docs/theory.md sec. 4): the one home of the law.

    Fitted to data by :func:`fit_tls_prefactor`; alpha = nu (D - D_s) comes from :func:`lattices.alpha_exponent`.

    Parameters
    ----------
    x : float or array_like
        Network-modifier fraction in [0, 1].
    p0, p1 : float
        Bulk and interface prefactors >= 0, in the unit of P (e.g. c_2LS in uJ g^-1 K^-2).
    alpha : float
        The exponent alpha = nu (D - D_s) >= 0 (dimensionless).

    Returns
    -------
    float or numpy.ndarray
        P(x).

    Examples
    --------
    >>> print(tls_prefactor(0.0, 2.0, 3.0, 1.5), tls_prefactor(1.0, 2.0, 3.0, 1.5))  # the end points P0 and P1
    2.0 3.0
    >>> print(round(tls_prefactor(0.25, 2.0, 3.0, 0.5), 12))  # 2 (3/4) + 3 (1/4)^(1/2)
    3.0
    """
    xx = _x(x)
    a0 = float(check_nonnegative(as_real_scalar(p0, "p0"), "p0"))
    a1 = float(check_nonnegative(as_real_scalar(p1, "p1"), "p1"))
    al = float(check_nonnegative(as_real_scalar(alpha, "alpha"), "alpha"))
    return _eq20(xx, a0, a1, al)


def _eq20(x, p0: float, p1: float, alpha: float):
    """Eq. 20 on checked input (the fit calls it with trial parameters)."""
    return p0 * (1.0 - x) + p1 * np.power(x, alpha)


def fit_tls_prefactor(x, P, sigma=None) -> dict:
    """Fit the 2LS prefactor P(x) = P0 (1 - x) + P1 x^alpha (:func:`tls_prefactor`, paper eq. 20; docs/theory.md
    sec. 4) by weighted least squares.

    Bounds: P0, P1 >= 0, 0 <= alpha <= 10 (docs/fractal_clustering.md sec. 6). Used on measured 2LS prefactors
    (the paper's use of eq. 20) and on simulated interface counts (the percolation study).

    Parameters
    ----------
    x : array_like, shape (n,)
        NM concentrations in [0, 1], n >= 4.
    P : array_like, shape (n,)
        The quantity to fit (any unit; P0 and P1 come out in it).
    sigma : array_like, shape (n,), optional
        One-sigma errors of P (> 0, in the unit of P).

    Returns
    -------
    dict
        P0, P1, alpha, their standard errors (P0_err, ...), the covariance ``cov``, the reduced chi^2
        (``chi2_red``; without ``sigma`` the unweighted residual variance per degree of freedom, in the
        unit of P squared), the largest and the root-mean-square relative misfit |P - fit| / |P|
        (``misfit_max``, ``misfit_rms``, over the points with P != 0) and the fitted ``model`` (a callable of x).

    Raises
    ------
    ValueError
        Fewer than 4 points or 3 distinct x, a negative or zero sigma, or data that do not determine
        the three parameters (a singular covariance).

    Examples
    --------
    >>> x = np.linspace(0.05, 0.95, 10); fit = fit_tls_prefactor(x, tls_prefactor(x, 2.0, 3.0, 0.6))  # exact data
    >>> print({k: round(float(fit[k]), 6) for k in ('P0', 'P1', 'alpha')})
    {'P0': 2.0, 'P1': 3.0, 'alpha': 0.6}
    """
    x = check_probability(as_real_array(x, "x", ndim=1), "x")
    P = as_real_array(P, "P", ndim=1)
    check_same_length("x", x, "P", P)
    if x.size < 4 or np.unique(x).size < 3:
        raise ValueError(f"x must hold at least 4 points (3 distinct) to fit P0, P1 and alpha, got {x.size} points")
    if sigma is not None:
        sigma = check_positive(as_real_array(sigma, "sigma", ndim=1), "sigma")
        check_same_length("x", x, "sigma", sigma)
    prm, cov = _curve_fit(x, P, sigma)
    err = np.sqrt(np.diag(cov))
    fit = _eq20(x, *prm)
    resid = (P - fit) / (1.0 if sigma is None else sigma)
    chi2_red = float(np.sum(resid**2) / max(x.size - 3, 1))
    nz = P != 0
    rel = np.abs(P[nz] - fit[nz]) / np.abs(P[nz]) if nz.any() else np.zeros(1)
    return {"P0": prm[0], "P1": prm[1], "alpha": prm[2], "P0_err": err[0], "P1_err": err[1],
            "alpha_err": err[2], "cov": cov, "chi2_red": chi2_red, "misfit_max": float(rel.max()),
            "misfit_rms": float(np.sqrt(np.mean(rel**2))),
            "model": lambda xx, prm=prm: _eq20(np.asarray(xx, dtype=float), *prm)}


def _curve_fit(x: np.ndarray, P: np.ndarray, sigma: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Bounded least squares of eq. 20; ValueError naming P when the data do not determine the parameters."""
    from scipy import optimize  # here: `import tunnelsim` stays free of scipy.optimize

    p0_guess = max(float(P[np.argmin(x)]), 0.0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optimize.OptimizeWarning)
            prm, cov = optimize.curve_fit(_eq20, x, P, p0=[p0_guess, max(float(np.max(P)), 1e-12), 1.0],
                                          sigma=sigma, absolute_sigma=sigma is not None,
                                          bounds=([0, 0, 0], [np.inf, np.inf, 10]), maxfev=20000)
    except (RuntimeError, ValueError) as exc:
        raise ValueError(f"P cannot be fitted by eq. 20 over these x: {exc}") from exc
    if not (np.all(np.isfinite(prm)) and np.all(np.isfinite(cov))):
        raise ValueError("P and x do not determine P0, P1 and alpha of eq. 20 (the fit's covariance is singular)")
    return prm, cov


def debye_prefactor(x, c0: float, c1: float):
    """Debye prefactor c_D(x) = c0 (1 - x) + c1 x (the toolkit's assumption; docs/theory.md sec. 5, paper eq. 21).

    The paper's form of c_D(x) could not be retrieved (module docstring).

    Parameters
    ----------
    x : float or array_like
        Network-modifier fraction in [0, 1].
    c0, c1 : float
        c_D at x = 0 and x = 1, >= 0 (e.g. uJ g^-1 K^-4).

    Returns
    -------
    float or numpy.ndarray
        c_D(x).

    Examples
    --------
    >>> print(debye_prefactor(0.0, 1.0, 3.0), debye_prefactor(0.5, 1.0, 3.0), debye_prefactor(1.0, 1.0, 3.0))
    1.0 2.0 3.0
    """
    xx = _x(x)
    a0 = float(check_nonnegative(as_real_scalar(c0, "c0"), "c0"))
    a1 = float(check_nonnegative(as_real_scalar(c1, "c1"), "c1"))
    return a0 * (1.0 - xx) + a1 * xx


@dataclass(frozen=True)
class CompositionLaw:
    """Coefficients of the composition laws of the heat-capacity prefactors (paper eqs. 20 and 31;
    docs/theory.md secs. 4-5).

    c_D(x) = c_debye0 (1 - x) + c_debye1 x (assumed, see the module docstring),
    c_2LS(x) = p0 (1 - x) + p1 x^alpha (paper eq. 20), P*(x) = p_star_slope x (paper eq. 31); all >= 0,
    in the units of :class:`tunnelsim.GlassParameters` (c_debye0/1 per K^4, p0/p1 per K^2, p_star_slope per K).

    Examples
    --------
    >>> law = CompositionLaw(c_debye0=1.0, c_debye1=3.0, p0=2.0, p1=3.0, alpha=0.5, p_star_slope=4.0)
    >>> g = composition_params(0.25, law)
    >>> print(g.c_debye, round(g.c_2ls, 12), g.p_star)  # c_D(x), P(x) of eq. 20, P*(x) = slope x
    1.5 3.0 1.0
    """

    c_debye0: float
    c_debye1: float
    p0: float
    p1: float
    alpha: float
    p_star_slope: float

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            v = as_real_scalar(getattr(self, f.name), f.name)
            object.__setattr__(self, f.name, float(check_nonnegative(v, f.name)))


def composition_params(x: float, law: CompositionLaw, base: GlassParameters | None = None) -> GlassParameters:
    """The glass parameters at composition x: ``base`` with c_debye, c_2ls and p_star from ``law``.

    Implements paper eq. 31 with eq. 20 (docs/theory.md secs. 4-5): c_debye = c_D(x), c_2ls = c_2LS(x),
    p_star = P*(x) for x > 0 (no ATS term at x = 0). The x-independent parameters (D_min, the Fe3+
    term, the dielectric ones) come from ``base``.

    Parameters
    ----------
    x : float
        Network-modifier fraction in [0, 1].
    law : CompositionLaw
        The composition laws of the prefactors.
    base : GlassParameters, optional
        The x-independent parameters.

    Returns
    -------
    GlassParameters

    Examples
    --------
    >>> law = CompositionLaw(c_debye0=1.0, c_debye1=3.0, p0=2.0, p1=3.0, alpha=0.5, p_star_slope=4.0)
    >>> g = composition_params(0.0, law)
    >>> print(g.c_debye, g.c_2ls, g.p_star)  # pure glass: no ATS term
    1.0 2.0 None
    >>> print(round(composition_params(0.25, law).c_2ls, 12), round(tls_prefactor(0.25, 2.0, 3.0, 0.5), 12))
    3.0 3.0
    """
    xx = float(_x(as_real_scalar(x, "x")))
    if not isinstance(law, CompositionLaw):
        raise TypeError(f"law must be a CompositionLaw, got {type(law).__name__}")
    if base is not None and not isinstance(base, GlassParameters):
        raise TypeError(f"base must be a GlassParameters or None, got {type(base).__name__}")
    return resolve(base, {
        "c_debye": float(debye_prefactor(xx, law.c_debye0, law.c_debye1)),
        "c_2ls": float(tls_prefactor(xx, law.p0, law.p1, law.alpha)),
        "p_star": float(ats_prefactor(xx, law.p_star_slope)) if xx > 0 else None,
    })
