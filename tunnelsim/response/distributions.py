"""Parameter distributions of the tunneling species, seeded samplers and analytic DOS.

Three species (docs/response.md, docs/theory.md sec. 2 and 5):

* STM two-level systems, P(Delta, Delta0) = Pbar / Delta0 (paper eq. 2);
* anomalous tunneling systems (ATS), three-well systems with
  P(E1, E2, E3, D0) ~ P* / (D0 (E1^2 + E2^2 + E3^2)) on the plane E1 + E2 + E3 = 0 (paper eq. 6 in
  the form given by docs/theory.md sec. 2; the paper's text could not be retrieved to check it);
* Fe3+ trace centres, two low Kramers doublets split by Delta_Fe with the one-parameter
  Poisson-type (gamma, shape 2) density p(Delta) = Delta / delta_fe^2 exp(-Delta / delta_fe),
  peaked at delta_fe (paper eqs. 27-30 describe a one-parameter Poisson-type law peaked at a definite
  value; the precise form used here is this toolkit's choice, see docs/response.md).

All energies in kelvin. Samplers take a seed: an int >= 0, None or a
:class:`numpy.random.Generator` (:func:`tunnelsim.stats.as_generator`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tunnelsim.memory import check_memory
from tunnelsim.response._numerics import scaled
from tunnelsim.response.parameters import cutoffs
from tunnelsim.single.effective import three_level_doublet_gap
from tunnelsim.single.two_level import two_level_energies
from tunnelsim.stats import as_generator
from tunnelsim.validation import as_real_scalar, check_int, check_positive

__all__ = [
    "STMSample",
    "ATSSample",
    "sample_stm",
    "stm_dos",
    "sample_ats",
    "ats_gap_range",
    "ats_dos",
    "sample_fe",
    "fe_pdf",
]


#: The most systems one call of a sampler draws (a few seconds): larger ensembles come from several calls that
#: share one numpy Generator.
MAX_DRAWS = 10**7


def _count(n: object, floats_each: int) -> int:
    """The number 1 <= n <= MAX_DRAWS of draws, refused (naming n) when its arrays would not fit in memory."""
    n = check_int(n, "n", minimum=1, maximum=MAX_DRAWS)
    check_memory(8.0 * floats_each * n, f"a sample of n = {n} systems", hint="draw fewer systems (n) per call")
    return n


# --------------------------------------------------------------------------------------------- STM
@dataclass(frozen=True)
class STMSample:
    """An ensemble of STM two-level systems drawn from paper eq. 2 (docs/theory.md sec. 2); energies in K.

    Examples
    --------
    >>> s = sample_stm(4, rng=0)
    >>> print(type(s).__name__, s.asymmetry.shape, s.tunneling.shape)
    STMSample (4,) (4,)
    """

    asymmetry: np.ndarray  #: Delta, K
    tunneling: np.ndarray  #: Delta0, K

    @property
    def energy(self) -> np.ndarray:
        """Level splitting E = sqrt(Delta^2 + Delta0^2) in K (paper eq. 1, docs/theory.md eq. (1.2)).

        The gap between the two levels of :func:`tunnelsim.two_level_energies`, the one home of the equation.
        """
        return np.diff(two_level_energies(self.asymmetry, self.tunneling), axis=-1)[..., 0]


def sample_stm(n: int, rng: np.random.Generator | int | None = None, *, delta_max: float = 1.0,
               delta0_min: float = 1e-7, delta0_max: float = 1.0) -> STMSample:
    """Draw ``n`` STM two-level systems from P(Delta, Delta0) = Pbar / Delta0.

    Paper eq. 2 (docs/theory.md sec. 2): Delta uniform on [-delta_max, delta_max], Delta0
    log-uniform on [delta0_min, delta0_max].

    Parameters
    ----------
    n : int
        Number of systems.
    rng : numpy.random.Generator or int or None
        Random generator or seed.
    delta_max, delta0_min, delta0_max : float
        Cut-offs in K (delta0_min < delta0_max).

    Returns
    -------
    STMSample

    Examples
    --------
    >>> import numpy as np
    >>> s = sample_stm(20000, rng=1, delta_max=1.0, delta0_min=1e-6, delta0_max=1.0)
    >>> print(bool(np.all(np.abs(s.asymmetry) <= 1.0)), bool(np.all((s.tunneling >= 1e-6) & (s.tunneling <= 1.0))))
    True True
    >>> print(round(float(np.mean(np.log10(s.tunneling))), 1))  # log-uniform Delta0: mean of log10 at -3
    -3.0
    """
    n = _count(n, 3)
    dmax = float(check_positive(as_real_scalar(delta_max, "delta_max"), "delta_max"))
    lo, hi = cutoffs(delta0_min, delta0_max, "delta0_min", "delta0_max", finite=True)
    g = as_generator(rng, "rng")
    asym = dmax * g.uniform(-1.0, 1.0, n)  # scaled after the draw: no overflow of 2 delta_max
    tun = np.exp(g.uniform(np.log(lo), np.log(hi), n))
    return STMSample(asym, tun)


def stm_dos(energy, p_bar: float = 1.0, *, delta_max: float = 1.0, delta0_min: float = 1e-7,
            delta0_max: float = 1.0) -> np.ndarray:
    """Analytic density of states g(E) of the STM distribution with its cut-offs (per K).

    g(E) = int dDelta dDelta0 (Pbar/Delta0) delta(E - sqrt(Delta^2 + Delta0^2)) over
    |Delta| <= delta_max, delta0_min <= Delta0 <= delta0_max (paper eq. 2, docs/theory.md sec. 2).
    In closed form g(E) = 2 Pbar [arccosh(E/lo) - arccosh(E/hi)] with
    lo = max(delta0_min, sqrt(E^2 - delta_max^2)), hi = min(E, delta0_max) (zero when lo >= hi);
    for delta0_min << E <= delta_max, delta0_max this is 2 Pbar ln(2E/delta0_min): nearly constant.

    Parameters
    ----------
    energy : array_like
        E in K (> 0).
    p_bar : float
        Pbar, systems per unit Delta per unit ln Delta0 (per K per unit volume).

    Returns
    -------
    numpy.ndarray
        g(E), same shape as ``energy``.

    Examples
    --------
    >>> import numpy as np
    >>> E = 1e-2  # delta0_min << E < delta_max, delta0_max: g = 2 Pbar arccosh(E/delta0_min)
    >>> print(round(float(stm_dos(E)), 6), round(2 * np.arccosh(E / 1e-7), 6))
    24.412145 24.412145
    >>> print(round(2 * np.log(2 * E / 1e-7), 3))  # ~ 2 Pbar ln(2E/delta0_min)
    24.412
    """
    e = np.asarray(check_positive(energy, "energy"), dtype=float)
    pb = float(check_positive(as_real_scalar(p_bar, "p_bar"), "p_bar"))
    dmax = float(check_positive(as_real_scalar(delta_max, "delta_max"), "delta_max"))
    d0lo, d0hi = cutoffs(delta0_min, delta0_max, "delta0_min", "delta0_max", finite=True)
    lo = np.maximum(d0lo, np.sqrt(np.maximum(e * e - dmax * dmax, 0.0)))
    hi = np.minimum(e, d0hi)
    ok = lo < hi
    out = np.zeros_like(e)
    out[ok] = np.arccosh(e[ok] / lo[ok]) - np.arccosh(e[ok] / hi[ok])
    return scaled(2.0 * pb, out, "p_bar")


# --------------------------------------------------------------------------------------------- ATS
_SQRT23 = np.sqrt(2.0 / 3.0)


@dataclass(frozen=True)
class ATSSample:
    """An ensemble of three-well ATS drawn from paper eq. 6 (docs/theory.md sec. 2); energies in K.

    Examples
    --------
    >>> s = sample_ats(4, rng=0)
    >>> print(type(s).__name__, s.energies.shape, s.d0.shape, s.d_min, s.d_max)
    ATSSample (4, 3) (4,) 0.01 1.0
    """

    energies: np.ndarray  #: well energies, shape (n, 3), each row summing to zero, K
    d0: np.ndarray  #: hopping D0, shape (n,), K
    d_min: float = 0.0  #: lower cut-off of the zero-field effective gap, K (0: unknown)
    d_max: float = 0.0  #: upper cut-off of the zero-field effective gap, K (0: unknown)

    @property
    def effective_gap(self) -> np.ndarray:
        """Zero-field effective 2LS gap sqrt((2/3) sum E_i^2) of each system, K (docs/theory.md eq. (1.6))."""
        return three_level_doublet_gap(self.energies, self.d0, 0.0)


def sample_ats(n: int, rng: np.random.Generator | int | None = None, *, d_min: float = 0.01,
               d_max: float = 1.0, d0_min: float = 10.0, d0_max: float = 100.0) -> ATSSample:
    """Draw ``n`` ATS from P(E1, E2, E3, D0) ~ P* / (D0 (E1^2 + E2^2 + E3^2)).

    Paper eq. 6 in the form of docs/theory.md sec. 2. On the plane E1 + E2 + E3 = 0 write
    (E1, E2, E3) = r (cos t e_a + sin t e_b) with an orthonormal basis e_a, e_b of that plane, so that
    r^2 = sum E_i^2; the density ~ 1/r^2 in the plane means t uniform and r log-uniform. The cut-offs
    are put on the zero-field effective gap sqrt(2/3) r (docs/theory.md eq. (1.6) at phi = 0, solved for
    r), which then is log-uniform on [d_min, d_max]: the DOS g(E) = P*/E for d_min < E < d_max (paper
    eq. 18). D0 is log-uniform on [d0_min, d0_max].

    Parameters
    ----------
    n : int
        Number of systems.
    rng : numpy.random.Generator or int or None
        Random generator or seed.
    d_min, d_max : float
        Range of the effective gap sqrt((2/3) sum E_i^2) in K (d_min is the paper's D_min).
    d0_min, d0_max : float
        Range of the hopping D0 in K.

    Returns
    -------
    ATSSample

    Examples
    --------
    >>> import numpy as np
    >>> s = sample_ats(20000, rng=2, d_min=0.01, d_max=1.0)
    >>> print(np.round(np.abs(s.energies.sum(axis=1)).max(), 12) + 0.0)  # on the plane E1 + E2 + E3 = 0
    0.0
    >>> gap = np.sqrt(2 / 3 * np.sum(s.energies ** 2, axis=1))  # zero-field effective gap, eq. (1.6)
    >>> print(bool(np.all((gap >= 0.01) & (gap <= 1.0))), round(float(np.mean(np.log10(gap))), 1))  # log-uniform
    True -1.0
    """
    n = _count(n, 8)
    lo, hi = cutoffs(d_min, d_max, "d_min", "d_max", finite=True)
    d0lo, d0hi = cutoffs(d0_min, d0_max, "d0_min", "d0_max", finite=True)
    g = as_generator(rng, "rng")
    gap = np.exp(g.uniform(np.log(lo), np.log(hi), n))
    r = gap / _SQRT23
    t = g.uniform(0.0, 2.0 * np.pi, n)
    ea = np.array([1.0, -1.0, 0.0]) / np.sqrt(2.0)
    eb = np.array([1.0, 1.0, -2.0]) / np.sqrt(6.0)
    e = r[:, None] * (np.cos(t)[:, None] * ea + np.sin(t)[:, None] * eb)
    e -= e.mean(axis=1, keepdims=True)  # exact zero sum to rounding
    d0 = np.exp(g.uniform(np.log(d0lo), np.log(d0hi), n))
    return ATSSample(e, d0, lo, hi)


def ats_gap_range(d_min: float, d_max: float) -> float:
    """ln(d_max / d_min): the number of ATS per unit P* between the gap cut-offs.

    The integral of g(E) = P*/E (paper eq. 18, docs/theory.md sec. 2) over [d_min, d_max], per P*.

    Parameters
    ----------
    d_min, d_max : float
        Gap cut-offs in K, 0 < d_min < d_max < inf (the one window rule,
        :func:`tunnelsim.response.parameters.cutoffs`; an open window holds infinitely many ATS).

    Returns
    -------
    float
        Dimensionless.

    Examples
    --------
    >>> import numpy as np
    >>> print(round(ats_gap_range(0.01, 1.0), 6), round(np.log(100.0), 6))
    4.60517 4.60517
    """
    lo, hi = cutoffs(d_min, d_max, "d_min", "d_max", finite=True)
    return float(np.log(hi / lo))


def ats_dos(energy, p_star: float = 1.0, *, d_min: float = 0.01, d_max: float = np.inf) -> np.ndarray:
    """Analytic ATS density of states g(E) = P*/E for d_min < E < d_max, else 0 (paper eq. 18).

    The one home of the ATS DOS (docs/theory.md sec. 2); the heat capacity integrates it.

    Parameters
    ----------
    energy : array_like
        E in K (> 0).
    p_star : float
        P*, ATS per unit ln E (per unit volume).
    d_min, d_max : float
        Gap cut-offs in K (d_max may be inf).

    Returns
    -------
    numpy.ndarray
        g(E) in 1/K (times the unit of P*).

    Examples
    --------
    >>> print(ats_dos([0.005, 0.1, 2.0], 1.0, d_min=0.01, d_max=1.0))  # P*/E inside [d_min, d_max]
    [ 0. 10.  0.]
    """
    e = np.asarray(check_positive(energy, "energy"), dtype=float)
    ps = float(check_positive(as_real_scalar(p_star, "p_star"), "p_star"))
    lo, hi = cutoffs(d_min, d_max, "d_min", "d_max")
    inside = (e > lo) & (e < hi)
    return scaled(ps, np.where(inside, 1.0 / np.where(inside, e, 1.0), 0.0), "p_star", " (P*/E at the smallest E)")


# ------------------------------------------------------------------------------------------ Fe3+
def fe_pdf(splitting, delta_fe: float) -> np.ndarray:
    """Poisson-type (gamma, shape 2) density of the Fe3+ doublet splitting, 1/K.

    p(Delta) = Delta / delta_fe^2 exp(-Delta / delta_fe), normalised on Delta > 0, peaked at
    Delta = delta_fe (one parameter; paper eqs. 27-30 in the toolkit's form, docs/theory.md sec. 2
    and docs/response.md). The one home of the law: :func:`tunnelsim.heat_capacity_fe` averages
    the Schottky kernel over it.

    Parameters
    ----------
    splitting : float or array_like
        Delta in K, >= 0.
    delta_fe : float
        The peak splitting in K, > 0.

    Returns
    -------
    numpy.ndarray
        p(Delta) in 1/K.

    Examples
    --------
    >>> import numpy as np
    >>> d = np.linspace(0.0, 40.0, 400001)
    >>> p = fe_pdf(d, 1.0)
    >>> print(round(float(np.sum(p) * (d[1] - d[0])), 4))  # normalised
    1.0
    >>> print(round(float(d[np.argmax(p)]), 4))  # peaked at delta_fe
    1.0
    """
    x = np.asarray(check_positive(splitting, "splitting", strict=False), dtype=float)
    d = float(check_positive(as_real_scalar(delta_fe, "delta_fe"), "delta_fe"))
    with np.errstate(over="ignore"):  # x/d beyond 745 is where the density is 0 to double precision
        y = x / d
    core = np.where(y < 745.0, y * np.exp(-np.minimum(y, 745.0)), 0.0)
    if d < 1e-300:  # the density ~ 1/d near its peak: refuse what double precision cannot hold
        raise ValueError(f"delta_fe = {d:g} K is too small: p(Delta) ~ 1/delta_fe overflows double precision")
    return core / d


def sample_fe(n: int, delta_fe: float, rng: np.random.Generator | int | None = None) -> np.ndarray:
    """Draw ``n`` Fe3+ splittings (K) from :func:`fe_pdf` (a gamma law, shape 2, scale delta_fe).

    Paper eqs. 27-30 in the toolkit's form (docs/theory.md sec. 2).

    Parameters
    ----------
    n : int
        Number of splittings, >= 1.
    delta_fe : float
        The peak splitting in K, > 0.
    rng : numpy.random.Generator or int or None
        Random generator or seed (:func:`tunnelsim.stats.as_generator`).

    Returns
    -------
    numpy.ndarray
        Shape (n,), K.

    Examples
    --------
    >>> import numpy as np
    >>> x = sample_fe(40000, 0.5, rng=3)
    >>> print(round(float(np.mean(x)), 2))  # gamma law, shape 2: mean 2 delta_fe
    1.0
    """
    n = _count(n, 1)
    d = float(check_positive(as_real_scalar(delta_fe, "delta_fe"), "delta_fe"))
    return as_generator(rng, "rng").gamma(2.0, d, n)
