"""How a claim's measurement is made gradable: trends towards a limit, goodness-of-fit of a shape, cases.

The report's rules (docs/architecture.md, "Report rows") ask for three kinds of measurement besides a plain
value with its error:

* :class:`Case` -- one condition at which a claim was measured (``N = 6, J = -20``) and what was found there.
  A claim holds all its cases (one graded row per claim); they are shown inside the row.
* :class:`Trend` -- a claim the paper makes *in a limit* is graded by the trend of the deviation against the
  small parameter ``x``: the fit ``deviation = a + b x^p`` over at least three points, and the verdict comes
  from the extrapolated deviation ``a`` at ``x -> 0`` with its standard error (:func:`trend_fit`), never
  from one chosen point.
* :class:`GoodnessOfFit` -- a claim about a *shape* (a flat histogram, a power law) is graded by the
  chi-square of that shape against the data (:func:`goodness_of_fit`), never by one fitted parameter.

The 2-sigma rule of the verdicts lives here (:func:`inside`, :func:`outside`, :data:`SIGMAS`), with
:func:`deciding_case`, the case that decides a claim over several cases by that rule. Nothing here knows about a
particular study; the verdict itself is computed by :class:`tunnelsim.studies.claims.Claim`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import stats as _st

__all__ = ["Case", "Trend", "GoodnessOfFit", "trend_fit", "goodness_of_fit", "MIN_TREND_POINTS", "SHAPE_ALPHA",
           "SIGMAS", "inside", "outside", "deciding_case", "fmt"]

#: A limit is graded by a trend over at least this many points.
MIN_TREND_POINTS = 3
#: A shape is rejected when its chi-square p-value lies below this (the two-sided 2-sigma level).
SHAPE_ALPHA = 0.0455
#: Firm verdicts are given at this many standard errors from the tolerance edge (the 2-sigma rule).
SIGMAS = 2


def inside(d: float, u: float, tol: float) -> bool:
    """Whether a deviation ``d`` with one-sigma error ``u`` lies inside the tolerance at 2 sigma: d + 2u <= tol.

    Examples
    --------
    >>> inside(0.05, 0.02, 0.1), inside(0.05, 0.03, 0.1)    # 0.05 + 2 x 0.02 <= 0.1; 0.05 + 2 x 0.03 is not
    (True, False)
    """
    return d + SIGMAS * u <= tol


def outside(d: float, u: float, tol: float) -> bool:
    """Whether a deviation ``d`` with one-sigma error ``u`` lies outside the tolerance at 2 sigma: d - 2u > tol.

    Examples
    --------
    >>> outside(0.2, 0.04, 0.1), outside(0.2, 0.06, 0.1)    # 0.2 - 2 x 0.04 > 0.1; 0.2 - 2 x 0.06 is not
    (True, False)
    """
    return d - SIGMAS * u > tol


def deciding_case(devs: Mapping[object, tuple[float, float]], tol: float):
    """The case that decides 'the claim holds only if it holds in every case and fails if it fails in any'.

    ``devs`` maps a case to (deviation, one-sigma error) on the tolerance's scale. If some case lies outside the
    tolerance at 2 sigma (:func:`outside`: |d| - 2u > tol), the most significant of them (largest |d| - 2u);
    otherwise the case farthest from agreement (largest |d| + 2u, the left side of :func:`inside`).

    Examples
    --------
    >>> deciding_case({2: (0.05, 0.01), 4: (0.2, 0.01), 6: (0.3, 0.2)}, 0.1)  # only N = 4 is outside at 2 sigma
    4
    """
    excess = {case: abs(d) - SIGMAS * u for case, (d, u) in devs.items()}
    worst = max(excess, key=excess.get)
    if outside(abs(devs[worst][0]), devs[worst][1], tol):
        return worst
    return max(devs, key=lambda case: abs(devs[case][0]) + SIGMAS * devs[case][1])


@dataclass(frozen=True)
class Case:
    """One condition of a claim's measurement and what was found there.

    Attributes
    ----------
    conditions : mapping of str to value
        Where (``{"N": 6, "J": -20.0}``).
    value : float
        What was measured there (on the claim's scale).
    uncertainty : float
        Its one-sigma error (0 if exact).
    note : str
        A word on the case (``"premise holds"``, ``"float64 bound"``).
    bound : str
        ``"<"`` when the value is only an upper bound (below the numerical resolution): shown as ``< value``.
    """

    conditions: Mapping[str, object]
    value: float
    uncertainty: float = 0.0
    note: str = ""
    bound: str = ""

    def __post_init__(self) -> None:
        if self.bound not in ("", "<"):
            raise ValueError(f"bound must be '' or '<', got {self.bound!r}")

    def text(self) -> str:
        """``N = 6, J = -20: 0.0123 +- 0.0004 (note)``."""
        where = ", ".join(f"{k} = {fmt(v)}" for k, v in self.conditions.items())
        pm = f" +- {fmt(self.uncertainty)}" if self.uncertainty else ""
        note = f" ({self.note})" if self.note else ""
        return f"{where}: {'< ' if self.bound else ''}{fmt(self.value)}{pm}{note}"

    def as_dict(self) -> dict:
        """Plain data for the JSON cache."""
        return {"conditions": {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.conditions.items()},
                "value": self.value, "uncertainty": self.uncertainty, "note": self.note, "bound": self.bound}

    @classmethod
    def from_dict(cls, data: Mapping) -> Case:
        """Inverse of :meth:`as_dict`."""
        cond = {k: (tuple(v) if isinstance(v, list) else v) for k, v in dict(data["conditions"]).items()}
        return cls(cond, float(data["value"]), float(data.get("uncertainty", 0.0)), str(data.get("note", "")),
                   str(data.get("bound", "")))


@dataclass(frozen=True)
class Trend:
    """The deviation from a limit law against its small parameter, and its extrapolation to the limit.

    Attributes
    ----------
    parameter : str
        The small parameter (``"Delta0/|J|"``).
    x, y : tuple of float
        Its values and the deviations measured there.
    power : float
        ``p`` in ``y = a + b x^p`` (the order the theory expects for the correction).
    intercept, intercept_err : float
        ``a`` (the deviation left in the limit) and its standard error.
    slope, slope_err : float
        ``b`` (the coefficient of the correction) and its standard error.
    """

    parameter: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    power: float
    intercept: float
    intercept_err: float
    slope: float
    slope_err: float

    def text(self) -> str:
        """The fit in words."""
        return (f"trend over {len(self.x)} points, {self.parameter} = {fmt(min(self.x))}..{fmt(max(self.x))}: "
                f"deviation = a + b ({self.parameter})^{fmt(self.power)}, a = {fmt(self.intercept)} +- "
                f"{fmt(self.intercept_err)} (left in the limit), b = {fmt(self.slope)} +- {fmt(self.slope_err)}")

    def as_dict(self) -> dict:
        """Plain data for the JSON cache."""
        return {"parameter": self.parameter, "x": list(self.x), "y": list(self.y), "power": self.power,
                "intercept": self.intercept, "intercept_err": self.intercept_err, "slope": self.slope,
                "slope_err": self.slope_err}

    @classmethod
    def from_dict(cls, data: Mapping) -> Trend:
        """Inverse of :meth:`as_dict`."""
        d = dict(data)
        return cls(str(d["parameter"]), tuple(float(v) for v in d["x"]), tuple(float(v) for v in d["y"]),
                   float(d["power"]), float(d["intercept"]), float(d["intercept_err"]), float(d["slope"]),
                   float(d["slope_err"]))


def trend_fit(parameter: str, x, y, *, power: float = 1.0, sigma=None) -> Trend:
    """Fit ``y = a + b x^power`` by (weighted) least squares and return the extrapolation ``a`` with its error.

    Parameters
    ----------
    parameter : str
        Name of the small parameter (shown in the report).
    x : array_like
        Values of the small parameter (> 0, at least :data:`MIN_TREND_POINTS` distinct).
    y : array_like
        The deviation from the limit law at each ``x``.
    power : float
        Expected order of the correction (> 0).
    sigma : array_like, optional
        One-sigma errors of ``y`` (statistical data); without them the residual scatter sets the errors.

    Returns
    -------
    Trend

    Examples
    --------
    >>> t = trend_fit("1/J", [0.01, 0.02, 0.04], [0.05, 0.1, 0.2])
    >>> abs(t.intercept) < 1e-12, round(t.slope, 6)
    (True, 5.0)
    """
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if xa.ndim != 1 or xa.shape != ya.shape:
        raise ValueError(f"x and y must be 1-D of one length, got shapes {xa.shape} and {ya.shape}")
    if len(np.unique(xa)) < MIN_TREND_POINTS:
        raise ValueError(f"a limit is graded by a trend over at least {MIN_TREND_POINTS} distinct values of "
                         f"{parameter}, got {len(np.unique(xa))}")
    if not (np.all(np.isfinite(xa)) and np.all(np.isfinite(ya)) and np.all(xa > 0)):
        raise ValueError(f"the trend needs finite deviations at {parameter} > 0, got x = {xa}, y = {ya}")
    if not (power > 0 and math.isfinite(power)):
        raise ValueError(f"power must be a finite number > 0, got {power!r}")
    design = np.column_stack([np.ones_like(xa), xa ** power])
    if sigma is None:
        w = np.ones_like(xa)
    else:
        s = np.asarray(sigma, dtype=float)
        if s.shape != xa.shape or not np.all(s > 0):
            raise ValueError(f"sigma must be positive with the shape of x, got {s}")
        w = 1.0 / s
    coef, *_ = np.linalg.lstsq(design * w[:, None], ya * w, rcond=None)
    resid = (ya - design @ coef) * w
    dof = len(xa) - 2
    cov = np.linalg.inv((design * w[:, None]).T @ (design * w[:, None]))
    scale = (resid @ resid) / dof if (sigma is None and dof > 0) else 1.0
    if sigma is None and dof == 0:
        scale = 0.0
    err = np.sqrt(np.diag(cov) * scale)
    # float64 floor: a perfect fit still carries the round-off of the deviations themselves
    floor = 8 * np.finfo(float).eps * max(1.0, float(np.max(np.abs(ya))))
    return Trend(parameter, tuple(map(float, xa)), tuple(map(float, ya)), float(power), float(coef[0]),
                 float(max(err[0], floor)), float(coef[1]), float(max(err[1], floor)))


@dataclass(frozen=True)
class GoodnessOfFit:
    """Chi-square of a shape against the data: ``chi2`` for ``dof`` degrees of freedom, and its p-value."""

    shape: str
    chi2: float
    dof: int
    extra: dict = field(default_factory=dict)

    @property
    def p_value(self) -> float:
        """Probability of a chi-square at least this large if the shape were right."""
        return float(_st.chi2.sf(self.chi2, self.dof))

    def text(self) -> str:
        """``chi2/dof = 230/7, p = 1e-45`` in words."""
        return (f"goodness of fit of {self.shape}: chi2 = {fmt(self.chi2)} for {self.dof} dof "
                f"(chi2/dof = {fmt(self.chi2 / self.dof)}), p = {self.p_value:.3g}")

    def as_dict(self) -> dict:
        """Plain data for the JSON cache."""
        return {"shape": self.shape, "chi2": self.chi2, "dof": self.dof, "extra": dict(self.extra)}

    @classmethod
    def from_dict(cls, data: Mapping) -> GoodnessOfFit:
        """Inverse of :meth:`as_dict`."""
        return cls(str(data["shape"]), float(data["chi2"]), int(data["dof"]), dict(data.get("extra", {})))


def goodness_of_fit(shape: str, observed, expected, sigma, *, n_params: int = 0) -> GoodnessOfFit:
    """Chi-square of ``observed`` against the shape's ``expected`` values with one-sigma errors ``sigma``.

    Bins with ``sigma <= 0`` (empty bins of a histogram) are left out; ``dof`` = bins used - ``n_params``.

    Examples
    --------
    >>> g = goodness_of_fit("flat", [10, 12, 9, 11], [10.5] * 4, [3.2] * 4, n_params=1)
    >>> g.dof, g.p_value > 0.5
    (3, True)
    """
    o, e, s = (np.asarray(a, dtype=float) for a in (observed, expected, sigma))
    if not (o.shape == e.shape == s.shape and o.ndim == 1):
        raise ValueError(f"observed, expected and sigma must be 1-D of one length, got {o.shape}, {e.shape}, "
                         f"{s.shape}")
    use = s > 0
    dof = int(use.sum()) - int(n_params)
    if dof < 1:
        raise ValueError(f"a goodness of fit needs more bins with an error than parameters, got {int(use.sum())} "
                         f"bins and {n_params} parameters")
    chi2 = float(np.sum(((o[use] - e[use]) / s[use]) ** 2))
    return GoodnessOfFit(shape, chi2, dof)


def fmt(x) -> str:
    """A value as the report rows show it: a float to 4 significant digits, a tuple or list item by item, else str.

    Examples
    --------
    >>> fmt(3.14159265), fmt((1e-12, float("nan"))), fmt(12)
    ('3.142', '(1e-12, nan)', '12')
    """
    if isinstance(x, (tuple, list)):
        return "(" + ", ".join(fmt(v) for v in x) + ")"
    if isinstance(x, float):
        return f"{x:.4g}" if math.isfinite(x) else str(x)
    return str(x)
