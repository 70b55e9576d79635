"""The percolation measurements: p_c and exponents, interface ratios near x_c and their local exponents, eq. 20 fits.

A claim the paper makes at the threshold (interface sites per NM site ~ (x_c - x)^alpha) is measured by the
trend of the local exponent towards x_c (:func:`local_trend`): the slope of ln r against ln(x_c - x) between
independent pairs of neighbouring concentrations, fitted as alpha_eff = a + b (x_c - x) and extrapolated to
x -> x_c (the smooth background's effective exponent ~ (x_c - x) a'/a vanishes linearly there), never one
power law over a window that is still pre-asymptotic.
"""

from __future__ import annotations

import numpy as np

from lattices import (
    Estimate,
    alpha_direct,
    correlation_length_exponent,
    fractal_dimension,
    percolation_threshold,
)
from lattices.observables import interface_definitions
from tunnelsim.response.composition import fit_tls_prefactor
from tunnelsim.studies.grading import Trend, trend_fit

from .settings import CUBIC, DIMENSIONS, NEAR, SQUARE, WINDOW_POINTS, nf_top

__all__ = ["estimates", "alpha_fits", "local_exponents", "local_trend", "composition", "window_ratio"]


def estimates(s: dict, kw: dict) -> dict[str, Estimate]:
    """p_c (square, simple cubic), the fractal dimensions of DIMENSIONS and nu (2D)."""
    est = {"pc_sq": percolation_threshold(SQUARE, **s["pc_sq"], **kw),
           "pc_sc": percolation_threshold(CUBIC, **s["pc_sc"], **kw)}
    for key, (lat, kind, _) in DIMENSIONS.items():
        est[key] = fractal_dimension(lat, kind, **s[key], **kw)
    est["nu2"] = correlation_length_exponent(SQUARE, **s["nu2"], **kw)
    return est


def composition(tab, regime: bool) -> dict:
    """Eq. 20 fitted to the hull-site density of all clusters (where the NF sites percolate, or over every x)."""
    dens, err = tab.per_site("hull", "all")
    sel = tab.x <= nf_top(tab.lattice) if regime else np.ones(tab.x.size, dtype=bool)
    sigma = np.maximum(err[sel], 1e-6)
    return {**fit_tls_prefactor(tab.x[sel], dens[sel], sigma), "x": tab.x[sel],
            "noise": float(np.sqrt(np.mean((sigma / dens[sel]) ** 2)))}  # rms relative error of the data


def window_ratio(tab, definition: str, normalise: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x_c - x, r, its error) of the largest cluster's interface ratio at the window's geometric grid.

    Only the WINDOW_POINTS concentrations x_c - x = NEAR .. 0.02 (geometric) are used: evenly spaced in
    ln(x_c - x), so neighbouring pairs give local exponents of comparable precision (in 3D some points of the
    composition grid also fall into the window; they are left out here).
    """
    den = "nm_largest" if normalise == "nm" else "perimeter_largest"
    r, e = tab.ratio(f"{definition}_largest", den)
    dx = tab.lattice.pc_site.value - tab.x
    grid = np.geomspace(NEAR, 0.02, WINDOW_POINTS)
    on_grid = np.min(np.abs(dx[:, None] - grid[None, :]), axis=1) < 1e-9
    sel = on_grid & np.isfinite(r) & (r > 0)
    order = np.argsort(dx[sel])
    return dx[sel][order], r[sel][order], e[sel][order]


def local_exponents(dx, r, e) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Slopes d ln r / d ln(x_c - x) between independent pairs of neighbours (0, 1), (2, 3), ...

    Returns the geometric mid-point of each pair, the local exponent and its error (the two points'
    relative errors in quadrature over the log spacing); pairs share no point, so the errors are independent.

    Examples
    --------
    >>> x, a, s = local_exponents(np.array([0.02, 0.04, 0.08, 0.16]), np.array([1.0, 2.0, 4.0, 8.0]), np.full(4, 0.01))
    >>> np.round(a, 12).tolist()
    [1.0, 1.0]
    """
    n = len(dx) - len(dx) % 2
    i, j = np.arange(0, n, 2), np.arange(1, n, 2)
    step = np.log(dx[j] / dx[i])
    slope = np.log(r[j] / r[i]) / step
    err = np.hypot(e[i] / r[i], e[j] / r[j]) / np.abs(step)
    return np.sqrt(dx[i] * dx[j]), slope, err


def local_trend(tab, definition: str, normalise: str = "nm") -> tuple[Trend, np.ndarray]:
    """The local exponent against x_c - x, fitted as a + b (x_c - x), and the local exponents' errors.

    Where the local exponents scatter more than their errors (chi2/dof > 1), the errors are scaled up by
    sqrt(chi2/dof) (Birge ratio) before the extrapolation.
    """
    x, a, s = local_exponents(*window_ratio(tab, definition, normalise))
    trend = trend_fit("x_c - x", x, a, power=1.0, sigma=np.maximum(s, 1e-9))
    resid = (np.asarray(trend.y) - trend.intercept - trend.slope * x) / np.maximum(s, 1e-9)
    birge = float(np.sqrt(max(1.0, resid @ resid / max(1, len(x) - 2))))
    if birge > 1.0:  # the local exponents scatter more than their errors: widen them (Birge ratio)
        trend = trend_fit("x_c - x", x, a, power=1.0, sigma=np.maximum(s, 1e-9) * birge)
    return trend, s


def alpha_fits(tabs: dict) -> dict:
    """One power law over the window per interface definition (shown, not graded), local trends, eq. 20 fits."""
    fits, comp, trends = {}, {}, {}
    for dim, tab in tabs.items():
        for d in interface_definitions():
            for c in ("all", "largest"):
                for norm in ("nm", "perimeter"):
                    if d != "perimeter" or norm == "nm":
                        fits[(dim, d, c, norm)] = alpha_direct(tab.lattice, d, c, table=tab, near=NEAR, normalise=norm)
        comp[(dim, True)], comp[(dim, False)] = composition(tab, True), composition(tab, False)
    trends[(2, "hull", "nm")] = local_trend(tabs[2], "hull", "nm")
    trends[(2, "hull", "perimeter")] = local_trend(tabs[2], "hull", "perimeter")
    trends[(2, "perimeter", "nm")] = local_trend(tabs[2], "perimeter", "nm")
    trends[(3, "hull", "nm")] = local_trend(tabs[3], "hull", "nm")
    return {"fits": fits, "comp": comp, "trends": trends}
