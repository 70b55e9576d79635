"""Estimates with error budgets, straight-line and power-law fits, and the seed convention.

Part of the shared floor (imports only :mod:`tunnelsim.validation`). Every estimator of the toolkit
returns an :class:`Estimate` (value, statistical and systematic error, optional literature
:class:`Reference`); every fit of a line or a power law goes through :func:`line_fit` or
:func:`power_law_fit`; every random draw takes ``seed`` as an int, ``None`` or a
:class:`numpy.random.Generator` (:func:`as_generator`). docs/theory.md sec. 0 states the conventions.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from .validation import as_real_array, as_real_scalar, check_positive, check_same_length, describe

__all__ = ["Reference", "Estimate", "LineFit", "line_fit", "power_law_fit", "as_generator", "seed_entropy"]


@dataclass(frozen=True)
class Reference:
    """A literature (or exact) value with its one-sigma uncertainty (0 for exact results) and its source.

    The literature values of the estimators (docs/fractal_clustering.md sec. 5, lattices.reference).

    Examples
    --------
    >>> ref = Reference(0.5, 0.0, 'exact')
    >>> print(ref.value, ref.stderr, ref.source)
    0.5 0.0 exact
    """

    value: float
    stderr: float
    source: str


@dataclass
class Estimate:
    """An estimated quantity with its error budget.

    How the estimators of docs/fractal_clustering.md sec. 5 report a result against its literature value.

    Attributes
    ----------
    name : str
        What was estimated (e.g. ``"p_c"``, ``"D"``).
    value : float
    stat, sys : float
        Statistical error and systematic (e.g. finite-size) error; :attr:`stderr` adds them in quadrature.
    reference : Reference or None
        Literature value for comparison.
    data : dict
        Measured data (sizes, means, errors, ...).
    fit : dict
        Fit parameters and details.

    Examples
    --------
    >>> est = Estimate('p_c', 0.503, stat=0.003, sys=0.004, reference=Reference(0.5, 0.0, 'exact'))
    >>> print(round(est.stderr, 6), round(est.deviation(), 6))  # sqrt(stat^2 + sys^2) = 0.005; |value - ref| / ref
    0.005 0.006
    """

    name: str
    value: float
    stat: float
    sys: float
    reference: Reference | None = None
    data: dict = field(default_factory=dict)
    fit: dict = field(default_factory=dict)

    @property
    def stderr(self) -> float:
        """sqrt(stat^2 + sys^2)."""
        return float(np.hypot(self.stat, self.sys))

    def deviation(self) -> float:
        """Relative deviation |value - reference| / |reference| (NaN without a reference)."""
        if self.reference is None or self.reference.value == 0:
            return float("nan")
        return abs(self.value - self.reference.value) / abs(self.reference.value)

    def agrees(self, k: float = 1.0) -> bool:
        """Whether the reference lies within k combined standard errors."""
        if self.reference is None:
            return False
        return abs(self.value - self.reference.value) <= k * np.hypot(self.stderr, self.reference.stderr)

    def __repr__(self) -> str:
        ref = "" if self.reference is None else f", reference={self.reference.value:.6g}"
        return (f"Estimate({self.name}={self.value:.6g} +- {self.stderr:.2g} "
                f"[stat {self.stat:.2g}, sys {self.sys:.2g}]{ref})")


@dataclass(frozen=True)
class LineFit:
    """Least-squares line y = slope x + intercept.

    Attributes
    ----------
    slope, intercept : float
    cov : numpy.ndarray, shape (2, 2)
        Covariance of (slope, intercept); scaled by the reduced chi^2 when no sigma was given.
    chi2_red : float
        Reduced chi^2 (NaN with fewer than 3 points).
    n : int
        Number of points used.

    Examples
    --------
    >>> fit = line_fit([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    >>> print(type(fit).__name__, round(fit.slope, 9), round(fit.intercept, 9), fit.n)
    LineFit 2.0 1.0 3
    """

    slope: float
    intercept: float
    cov: np.ndarray
    chi2_red: float
    n: int

    @property
    def slope_err(self) -> float:
        """One-sigma error of the slope."""
        return float(np.sqrt(max(self.cov[0, 0], 0.0)))

    @property
    def intercept_err(self) -> float:
        """One-sigma error of the intercept."""
        return float(np.sqrt(max(self.cov[1, 1], 0.0)))


def line_fit(x, y, sigma=None) -> LineFit:
    """Weighted least-squares straight line through (x, y) (e.g. the arms of the V in ln T, docs/theory.md sec. 6).

    Parameters
    ----------
    x, y : array_like, shape (n,)
        At least 2 points (finite numbers, same length).
    sigma : array_like, shape (n,), optional
        One-sigma errors of y (> 0). Without them the covariance is scaled by the reduced chi^2.

    Returns
    -------
    LineFit

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(5.0)
    >>> fit = line_fit(x, 2.0 * x - 1.0, sigma=np.full(5, 0.1))
    >>> print(round(fit.slope, 9), round(fit.intercept, 9))
    2.0 -1.0
    >>> print(round(fit.slope_err, 6), round(0.1 / np.sqrt(np.sum((x - x.mean()) ** 2)), 6))  # sigma / sqrt(S_xx)
    0.031623 0.031623
    """
    xs = as_real_array(x, "x", ndim=1)
    ys = as_real_array(y, "y", ndim=1)
    check_same_length("x", xs, "y", ys)
    if xs.size < 2:
        raise ValueError(f"a line fit needs at least 2 points, got {xs.size}")
    w = np.ones_like(xs) if sigma is None else 1.0 / check_positive(as_real_array(sigma, "sigma", shape=(xs.size,)),
                                                                   "sigma")
    a = np.stack([xs, np.ones_like(xs)], axis=1) * w[:, None]
    b = ys * w
    dof = xs.size - 2
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is detected below and refused by name
        params, *_ = np.linalg.lstsq(a, b, rcond=None)
        cov = np.linalg.pinv(a.T @ a)
        chi2 = float(np.sum((a @ params - b) ** 2)) / dof if dof > 0 else float("nan")
    if sigma is None and dof > 0:
        cov = cov * chi2
    if not (np.all(np.isfinite(params)) and np.all(np.isfinite(cov)) and (dof == 0 or np.isfinite(chi2))):
        what = "sigma spans too many orders of magnitude" if sigma is not None else "x and y are too large"
        raise ValueError(f"the line fit overflows float64: {what} (rescale the data)")
    return LineFit(float(params[0]), float(params[1]), cov, chi2, int(xs.size))


def power_law_fit(x, y, yerr, omega: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least squares of ln y = c + a ln x (+ b x^-omega), returning (params, covariance).

    The weights are y / yerr (the error of ln y); the covariance is scaled by the reduced chi^2 when
    that exceeds 1 (docs/theory.md sec. 4, finite-size scaling fits).

    Parameters
    ----------
    x, y, yerr : array_like, shape (n,)
        Positive x and y; yerr >= 0 (clipped at 1e-12 relative).
    omega : float, optional
        Correction-to-scaling exponent; adds the column x^-omega.

    Returns
    -------
    params : numpy.ndarray
        (c, a) or (c, a, b).
    cov : numpy.ndarray
        Their covariance matrix.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([8.0, 16.0, 32.0, 64.0])
    >>> params, cov = power_law_fit(x, 3.0 * x ** 1.75, 0.01 * x ** 1.75)
    >>> print(round(float(np.exp(params[0])), 6), round(float(params[1]), 6))  # y = e^c x^a
    3.0 1.75
    """
    xs = check_positive(as_real_array(x, "x", ndim=1), "x")
    ys = check_positive(as_real_array(y, "y", ndim=1), "y")
    es = as_real_array(yerr, "yerr", ndim=1)
    check_same_length("x", xs, "y", ys)
    check_same_length("x", xs, "yerr", es)
    cols = [np.ones_like(xs), np.log(xs)]
    if omega is not None:
        cols.append(xs ** (-float(check_positive(as_real_scalar(omega, "omega"), "omega"))))
    a = np.stack(cols, axis=1)
    if xs.size < a.shape[1]:
        raise ValueError(f"a power-law fit with {a.shape[1]} parameters needs at least {a.shape[1]} points, "
                         f"got {xs.size}")
    w = 1.0 / np.maximum(np.abs(es) / ys, 1e-12)
    aw = a * w[:, None]
    bw = np.log(ys) * w
    params, *_ = np.linalg.lstsq(aw, bw, rcond=None)
    cov = np.linalg.pinv(aw.T @ aw)
    dof = xs.size - a.shape[1]
    if dof > 0:
        chi2 = float(np.sum((aw @ params - bw) ** 2)) / dof
        cov = cov * max(chi2, 1.0)
    return params, cov


def _int_seed(seed: object, name: str) -> int:
    """``seed`` as an int >= 0, the one non-Generator, non-None form of the seed convention; errors name ``name``."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{name} must be an int >= 0, None or a numpy.random.Generator, got {describe(seed)}")
    if seed < 0:
        raise ValueError(f"{name} must be >= 0, got {seed}")
    return int(seed)


def as_generator(seed: object = None, name: str = "seed") -> np.random.Generator:
    """The toolkit's seed convention: an int >= 0, ``None`` (fresh entropy) or a numpy Generator.

    Returns
    -------
    numpy.random.Generator
        ``seed`` itself when it is a Generator (draws advance it), else ``numpy.random.default_rng(seed)``.

    Examples
    --------
    >>> a, b = as_generator(7).random(3), as_generator(7).random(3)
    >>> bool((a == b).all())  # the same seed, the same stream
    True
    >>> try:
    ...     as_generator(-1)
    ... except ValueError as err:
    ...     print('seed' in str(err))
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    return np.random.default_rng(_int_seed(seed, name))


def seed_entropy(seed: object = None, name: str = "seed") -> int:
    """An int >= 0 from which independent, reproducible chunk streams are spawned.

    ``seed`` follows :func:`as_generator`'s convention: an int is returned as it is, ``None`` gives
    fresh entropy, a Generator gives one draw from it (so the chunks are reproducible from it).

    Examples
    --------
    >>> seed_entropy(5) == seed_entropy(5), seed_entropy(5) >= 0
    (True, True)
    """
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63 - 1))
    if seed is None:
        return int(np.random.SeedSequence().entropy % (2**63))
    return _int_seed(seed, name)
