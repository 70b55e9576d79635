"""Ensemble statistics with their errors: the power of C(T), the flat-law goodness of fit, u bounds, histograms.

* :func:`c_power` -- the local power of the ensemble's C(T) in the 10-100 mK window, bootstrap error over clusters;
* :func:`flat_gof` -- the chi-square of the STM's 1/Delta0 law (flat in log10 Delta0_eff between free cutoffs)
  against the histogram of the coherent doublets' log10 Delta0_eff;
* :func:`u_split` -- u values below the float64 resolution are bounds (counted, never histogrammed or fitted);
* :func:`histogram` -- a density histogram with Poisson error bars.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import stats as _st

from clusters.ensembles import Ensemble
from tunnelsim.stats import line_fit
from tunnelsim.studies.grading import GoodnessOfFit, goodness_of_fit

from .sampling import T_WINDOW

__all__ = ["U_RESOLUTION", "MIN_COHERENT", "FLAT_BINS", "FLAT_QUANTILES", "heat_capacity", "truncation_limit",
           "c_power", "flat_gof", "p_value",
           "joint_gof", "u_split", "histogram"]

#: u = |2 mu01| / sqrt(...) from float64 eigenvectors: mixing errors ~ eps ||H|| / gap reach 1e-10 for the smallest
#: gaps of the ensembles, so a smaller u is round-off, only an upper bound
U_RESOLUTION = 1e-10
#: fewest coherent clusters for a goodness of fit of P(log10 Delta0_eff)
MIN_COHERENT = 30
#: bins of the flat-law test, and the quantiles that set its free cutoffs (the flat law's Delta0_min, Delta0_max)
FLAT_BINS = 8
FLAT_QUANTILES = (0.05, 0.95)


def heat_capacity(ens: Ensemble, t: np.ndarray) -> np.ndarray:
    """Per-cluster C(T) in k_B from every kept level, shape (M, T) (:meth:`clusters.Ensemble.heat_capacity`).

    The truncation warning is silenced here: the study draws C only where the kept levels suffice
    (:func:`truncation_limit`).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(ens.heat_capacity(t, per_cluster=True))


def truncation_limit(ens: Ensemble, t: np.ndarray) -> float:
    """Lowest T (K) where the mean Boltzmann weight of the highest kept level exceeds 1e-3 (inf: never)."""
    e = np.ma.filled(ens.levels.astype(float), np.nan)
    kept = np.isfinite(e)
    if np.all(kept.sum(axis=1) >= 2 ** min(ens.spec.n, 62)):
        return math.inf
    e_max = np.nanmax(e, axis=1)
    weight = np.exp(-e_max[:, None] / t[None, :]).mean(axis=0)
    bad = t[weight > 1e-3]
    return float(bad.min()) if bad.size else math.inf


def c_power(t: np.ndarray, c: np.ndarray, rng: np.random.Generator, resamples: int = 200) -> tuple[float, float]:
    """Power of the mean C(T) in T_WINDOW (log-log slope) and its bootstrap standard error over the clusters."""
    sel = (t >= T_WINDOW[0]) & (t <= T_WINDOW[1])
    x = np.log10(t[sel])
    cw = c[:, sel]

    def slope(rows):
        return line_fit(x, np.log10(np.maximum(cw[rows].mean(axis=0), 1e-300))).slope

    m = cw.shape[0]
    boots = [slope(rng.integers(0, m, m)) for _ in range(resamples)]
    return float(slope(np.arange(m))), float(np.std(boots, ddof=1))


def flat_gof(log10_d0: np.ndarray) -> GoodnessOfFit | None:
    """Chi-square of the flat law (the 1/Delta0 law) between the FLAT_QUANTILES of the data, FLAT_BINS bins.

    The flat law's cutoffs are free (the effective particle's Delta0_min, Delta0_max are not the box's), so they
    are set by the data's quantiles and counted as fitted parameters with the normalisation (3 in all); the
    expected count per bin is the mean, its error the Poisson sqrt(expected). None below MIN_COHERENT values.
    """
    v = np.asarray(log10_d0, dtype=float)
    v = v[np.isfinite(v)]
    if v.size < MIN_COHERENT:
        return None
    lo, hi = np.quantile(v, FLAT_QUANTILES)
    if not hi > lo:
        return None
    counts, _ = np.histogram(v[(v >= lo) & (v <= hi)], bins=FLAT_BINS, range=(lo, hi))
    expected = np.full(FLAT_BINS, counts.sum() / FLAT_BINS)
    g = goodness_of_fit("flat", counts, expected, np.sqrt(expected), n_params=3)
    return GoodnessOfFit(g.shape, g.chi2, g.dof, {"used": int(counts.sum()), "range": [float(lo), float(hi)]})


def joint_gof(gofs: dict[int, GoodnessOfFit]) -> GoodnessOfFit:
    """Independent ensembles: their chi-squares and degrees of freedom add."""
    return GoodnessOfFit(f"the 1/Delta0 law (flat in log10 Delta0_eff between free cutoffs at the {FLAT_QUANTILES[0]:g}"
                         f"-{FLAT_QUANTILES[1]:g} quantiles, {FLAT_BINS} bins), joint over N = "
                         + ", ".join(str(n) for n in sorted(gofs)),
                         float(sum(g.chi2 for g in gofs.values())), int(sum(g.dof for g in gofs.values())),
                         {"per_N": {str(n): [g.chi2, g.dof] for n, g in gofs.items()}})


def p_value(g: GoodnessOfFit) -> float:
    """The chi-square p-value (kept beside the GoodnessOfFit for tables)."""
    return float(_st.chi2.sf(g.chi2, g.dof))


def u_split(ens: Ensemble) -> tuple[np.ndarray, int, int]:
    """(u values at or above U_RESOLUTION, how many lie below it (bounds), how many are undefined (gap unresolved))."""
    u = np.ma.filled(ens.u.astype(float), np.nan)
    defined = np.isfinite(u)
    below = defined & (u < U_RESOLUTION)
    return u[defined & ~below], int(below.sum()), int((~defined).sum())


def histogram(values: np.ndarray, bins, total: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Density per unit of ``values`` normalised to ``total`` entries, with Poisson errors.

    Returns (centre, density, errors of shape (2, bins): the lower and upper one-sigma (68 %) Garwood interval
    of each count, right for small and empty bins, counts).

    Examples
    --------
    >>> c, d, e, n = histogram(np.array([0.5, 1.5, 1.6]), [0, 1, 2, 3], 3)
    >>> n.tolist(), round(float(e[1, 2]) * 3, 2)
    ([1, 2, 0], 1.84)
    """
    counts, edges = np.histogram(values, bins=bins)
    norm = max(total, 1) * np.diff(edges)
    lower = np.where(counts > 0, _st.chi2.ppf(0.15865, 2 * counts) / 2, 0.0)
    upper = _st.chi2.ppf(0.84135, 2 * counts + 2) / 2
    err = np.vstack([counts - lower, upper - counts]) / norm
    return 0.5 * (edges[1:] + edges[:-1]), counts / norm, err, counts
