"""The V shape of delta eps'/eps_r versus ln T: its minimum, its two arms, and what the ATS can do to it.

docs/theory.md sec. 6. Pure silica shows a -2:1 V (paper eqs. 10-11): slope -2 chi per unit ln T
below the minimum, +chi above. The paper says that adding the ATS (eq. 14) turns it into the
roughly -1:1 V of multicomponent glasses (Figs. 7-9). This module measures a V and says what it
takes in the toolkit's eq. 14 (:func:`tunnelsim.dielectric.dielectric_ats_parts`):

* :func:`v_shape` fits both arms of any sampled curve (model or data) with straight lines in
  ln T, in windows placed relative to the minimum, and reports how straight they are;
* :func:`dielectric_v_shape` does it for the STM (+ ATS) model;
* :func:`ats_v_scan` maps the V over a grid of ATS parameters (chi_ats, D_min, K*), writing every
  point to a JSON-lines file as it goes (resumable, with a progress bar);
* :func:`closest_ratio` picks the scan point nearest a target ratio, optionally with T_min held
  in a window; :func:`ats_parameters_for_ratio` refines it with a local search.

Temperatures in K, frequency in Hz, delta eps'/eps_r in units of chi (as in
:mod:`tunnelsim.dielectric`), slopes per unit ln T.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np
from scipy.optimize import minimize

from tunnelsim.progress import show_progress
from tunnelsim.response.curves import log_slope, parabolic_minimum, temperature_grid
from tunnelsim.response.dielectric import ATS_VARIANTS, dielectric_total
from tunnelsim.response.parameters import GlassParameters, real_or_inf, resolve
from tunnelsim.sweep import grid, run_sweep
from tunnelsim.validation import (
    as_real_array,
    as_real_scalar,
    check_choice,
    check_int,
    check_positive,
    check_range,
    check_same_length,
)

__all__ = [
    "T_GRID",
    "VShape",
    "v_shape",
    "dielectric_v_shape",
    "v_shape_point",
    "ats_v_scan",
    "closest_ratio",
    "ats_parameters_for_ratio",
]

#: The temperature grid (K) of the model V's of the scans and searches: 200 log-spaced points, 1e-5..30 K.
T_GRID: np.ndarray = np.geomspace(1e-5, 30.0, 200)
T_GRID.setflags(write=False)

_STM = ("chi", "delta0_min", "k_relax")


@dataclass(frozen=True)
class VShape:
    """The minimum and the two arms of a V-shaped curve in ln T (docs/theory.md sec. 6, paper eqs. 10-11).

    Attributes
    ----------
    t_min : float
        Temperature of the minimum, K (parabola in ln T through the smallest sample).
    value_min : float
        The curve at ``t_min`` (units of the curve, e.g. chi).
    slope_below, slope_above : float
        Least-squares slopes per unit ln T over ``window_below`` and ``window_above``.
    bend_below, bend_above : float
        How much each arm bends: (slope over the upper half of its window - slope over the lower
        half) / |slope over the whole window|, halves taken in ln T. 0 for a straight arm; positive
        when the curve opens upward there (the arms steepen away from the minimum, as in a U),
        negative when they flatten. Silica's STM V at 1 kHz: about 0.07-0.09; a parabola in ln T
        centred on the minimum: about 0.51 with the default windows.
    window_below, window_above : tuple of float
        The fitting windows in K: [t_min / (gap 10^decades), t_min / gap] and
        [gap t_min, gap 10^decades t_min].

    Examples
    --------
    >>> T = np.geomspace(1e-4, 10.0, 201)
    >>> x = np.log(T / 0.03)
    >>> v = v_shape(T, np.where(x < 0, -2.0 * x, x))  # an exact -2:1 V at 30 mK
    >>> print(type(v).__name__, round(v.slope_below, 6), round(v.slope_above, 6), round(v.bend_below, 6) + 0.0)
    VShape -2.0 1.0 0.0
    """

    t_min: float
    value_min: float
    slope_below: float
    slope_above: float
    bend_below: float
    bend_above: float
    window_below: tuple[float, float]
    window_above: tuple[float, float]

    @property
    def ratio(self) -> float:
        """|slope_below / slope_above| (dimensionless): 2 for the -2:1 V of silica (docs/theory.md sec. 6), 1 for a
        -1:1 V."""
        return abs(self.slope_below / self.slope_above) if self.slope_above != 0 else math.inf

    def as_dict(self) -> dict:
        """Plain dict of the fields plus ``ratio`` (for sweep files and tables); temperatures in K."""
        d = asdict(self)
        d["window_below"] = list(self.window_below)
        d["window_above"] = list(self.window_above)
        d["ratio"] = self.ratio
        return d


def _stm_part(params: GlassParameters | None, values: dict) -> GlassParameters:
    """The STM part (chi, delta0_min, k_relax) of a scan or search, all given; the ATS part is what varies.

    Heat-capacity parameters are ignored; ATS dielectric parameters are refused (they are scanned).
    """
    p = resolve(params, values)
    extra = sorted(set(p.as_dict()) & {"chi_ats", "d_min", "k_ats", "d_max"})
    if extra:
        raise TypeError(f"the ATS parameters are scanned / searched: give only the STM part {', '.join(_STM)}, "
                        f"got also {', '.join(extra)}")
    missing = [k for k in _STM if getattr(p, k) is None]
    if missing:
        raise ValueError(f"the STM part needs {', '.join(missing)} (e.g. params=get_preset('silica_dielectric'))")
    return GlassParameters(**{k: getattr(p, k) for k in _STM})


def _start(start: dict) -> list[float]:
    """chi_ats, d_min, k_ats (> 0) of the starting point of a search."""
    if not isinstance(start, dict):
        raise TypeError(f"start must be a dict with the keys chi_ats, d_min, k_ats, got {type(start).__name__}")
    out = []
    for key in ("chi_ats", "d_min", "k_ats"):
        if key not in start:
            raise ValueError(f"start must have the keys chi_ats, d_min, k_ats; {key!r} is missing")
        name = f"start[{key!r}]"
        out.append(float(check_positive(as_real_scalar(start[key], name), name)))
    return out


def _bounds(t_min_bounds) -> tuple[float, float]:
    """A window (lo, hi) of T_min in K with 0 <= lo < hi (hi may be inf)."""
    if not isinstance(t_min_bounds, (tuple, list)) or len(t_min_bounds) != 2:
        raise TypeError(f"t_min_bounds must be a pair (lo, hi) of temperatures in K, got {t_min_bounds!r}")
    lo = float(check_positive(as_real_scalar(t_min_bounds[0], "t_min_bounds[0]"), "t_min_bounds[0]", strict=False))
    hi = real_or_inf(t_min_bounds[1], "t_min_bounds[1]")
    if not lo < hi:
        raise ValueError(f"t_min_bounds must satisfy lo < hi, got ({lo:g}, {hi:g})")
    return lo, hi


def _windows(gap: float, decades: float) -> tuple[float, float]:
    g = float(check_range(as_real_scalar(gap, "gap"), "gap", 1.0, 1e6))  # the arms start a factor gap from T_min
    d = float(check_range(as_real_scalar(decades, "decades"), "decades", 0.0, 30.0, lo_open=True))
    return g, d


def v_shape(T, values, *, gap: float = 3.0, decades: float = 1.0) -> VShape:
    """Measure the V of a curve sampled in temperature: minimum, arm slopes and how much the arms bend.

    The minimum is the parabola in ln T through the smallest sample and its two neighbours. Each
    arm is a least-squares line in ln T (docs/theory.md sec. 6: the STM arms are
    delta eps'/eps_r = -2 chi ln T + const below and +chi ln T + const above, paper eqs. 10-11),
    fitted over ``decades`` decades starting a factor ``gap`` away from T_min; each half of a window
    is fitted too, to measure the bend (see :class:`VShape`).

    Parameters
    ----------
    T : array_like
        Strictly increasing temperatures in K (1-D, log-spaced is best), reaching at least
        ``gap * 10**decades`` below and above the minimum, with at least 3 points in each half window.
    values : array_like
        The curve at ``T`` (model or measured delta eps'/eps_r, any units).
    gap : float
        Factor (>= 1) between T_min and the near end of each window (default 3).
    decades : float
        Width of each window in decades of T (default 1).

    Returns
    -------
    VShape

    Raises
    ------
    ValueError
        If the smallest value sits at an end of ``T`` (no interior minimum), if ``T`` does not reach
        far enough for a window, or if a half window holds fewer than 3 points.

    Examples
    --------
    >>> T = np.geomspace(1e-4, 10.0, 201)
    >>> x = np.log(T / 0.03)
    >>> v = v_shape(T, np.where(x < 0, -2.0 * x, x))
    >>> print(round(v.t_min, 4), round(v.slope_below, 6), round(v.slope_above, 6))
    0.0302 -2.0 1.0
    """
    t = temperature_grid(T, 5)
    v = as_real_array(values, "values", ndim=1)
    check_same_length("T", t, "values", v)
    g, d = _windows(gap, decades)
    tmin, vmin, i0 = parabolic_minimum(t, v)
    if i0 in (0, t.size - 1):
        raise ValueError(f"values has no interior minimum: the smallest value is at the end T = {t[i0]:g} K "
                         f"of the range [{t[0]:g}, {t[-1]:g}] K; widen the temperature range")
    below = (tmin / (g * 10**d), tmin / g)
    above = (tmin * g, tmin * g * 10**d)
    if below[0] < t[0] * (1 - 1e-9) or above[1] > t[-1] * (1 + 1e-9):
        raise ValueError(f"T must span [{below[0]:g}, {above[1]:g}] K to fit both arms around T_min = {tmin:g} K "
                         f"(gap={g:g}, decades={d:g}); it spans [{t[0]:g}, {t[-1]:g}] K")
    arms = []
    for lo, hi in (below, above):
        mid = math.sqrt(lo * hi)
        try:
            slope = log_slope(t, v, lo, hi)
            bend = log_slope(t, v, mid, hi) - log_slope(t, v, lo, mid)
        except ValueError as exc:
            raise ValueError(f"T is too coarse for arm windows of decades = {d:g} starting gap = {g:g} from T_min "
                             f"({exc})") from None
        arms.append((slope, bend / abs(slope) if slope != 0 else math.inf))
    return VShape(tmin, vmin, arms[0][0], arms[1][0], arms[0][1], arms[1][1], below, above)


def dielectric_v_shape(T, frequency: float, params: GlassParameters | None = None, *, gap: float = 3.0,
                       decades: float = 1.0, ats_variant: str = "isotropic", **values) -> VShape:
    """The V of the model delta eps'/eps_r (STM, or STM + ATS) at one frequency.

    Evaluates :func:`tunnelsim.dielectric_total` (docs/theory.md sec. 6, paper eqs. 8 and 14) on the
    temperatures ``T`` and passes the curve to :func:`v_shape`.

    Parameters
    ----------
    T : array_like
        Strictly increasing temperatures in K, log-spaced, holding both windows (:data:`T_GRID`:
        200 points over 1e-5..30 K, the grid of the scans).
    frequency : float
        Measuring frequency in Hz.
    params : GlassParameters, optional
        The glass parameters; ``**values`` by name over them (see :func:`tunnelsim.dielectric_total`).
    gap, decades : float
        Window placement, see :func:`v_shape`.
    ats_variant : {"isotropic", "stm"}
        The form of the toolkit's eq. 14 (see :func:`tunnelsim.dielectric_ats_parts`).

    Returns
    -------
    VShape

    Examples
    --------
    >>> from tunnelsim.response.presets import get_preset
    >>> v = dielectric_v_shape(T_GRID, 1e3, get_preset('silica_dielectric'))
    >>> print(round(v.slope_below, 1), bool(0.9 < v.slope_above < 1.0), bool(0.02 < v.t_min < 0.1))  # STM: -2 : ~1
    -2.0 True True
    """
    t = temperature_grid(T, 5)
    g, d = _windows(gap, decades)
    curve = dielectric_total(t, frequency, params, ats_variant=ats_variant, **values)
    try:
        return v_shape(t, curve, gap=g, decades=d)
    except ValueError as exc:  # the curve of this model has no V there: say at which frequency
        raise ValueError(f"{exc} (model at frequency = {float(frequency):g} Hz)") from None


def v_shape_point(frequency: float, chi_ats: float, d_min: float, k_ats: float, gap: float = 3.0,
                  decades: float = 1.0, chi: float = 1.0, delta0_min: float = 1e-7,
                  k_relax: float = 1e8, ats_variant: str = "isotropic") -> dict:
    """One point of :func:`ats_v_scan`: the V of STM + ATS on :data:`T_GRID` as a dict, or ``{"error": ...}``.

    :func:`dielectric_v_shape` of the STM + ATS model (docs/theory.md sec. 6, paper eqs. 8 and 14)
    with frequency in Hz, chi_ats and chi dimensionless, d_min and delta0_min in K, k_ats and
    k_relax in K^-3 s^-1, ``ats_variant`` the form of eq. 14. Flat keyword arguments and module level,
    so that process executors can run it and sweep files record its parameters. A curve without an
    interior minimum or without room for the windows in 1e-5..30 K is recorded with its reason, not raised.

    Examples
    --------
    >>> row = v_shape_point(1e3, chi_ats=0.5, d_min=0.01, k_ats=1e8)
    >>> print(sorted(k for k in row if k.startswith('slope')), row['slope_below'] < 0 < row['slope_above'])
    ['slope_above', 'slope_below'] True
    """
    stm = GlassParameters(chi=chi, delta0_min=delta0_min, k_relax=k_relax)
    try:
        shape = _grid_shape(frequency, stm, chi_ats, d_min, k_ats, gap, decades, ats_variant)
    except ValueError as exc:
        return {"error": str(exc)}
    return shape.as_dict()


@lru_cache(maxsize=8)
def _stm_on_grid(frequency: float, chi: float, delta0_min: float, k_relax: float) -> np.ndarray:
    """The STM delta eps'/eps_r on :data:`T_GRID` (the part a scan or search does not vary), cached read-only."""
    out = dielectric_total(T_GRID, frequency, chi=chi, delta0_min=delta0_min, k_relax=k_relax)
    out.setflags(write=False)
    return out


def _grid_shape(frequency: float, stm: GlassParameters, chi_ats: float, d_min: float, k_ats: float, gap: float,
                decades: float, ats_variant: str) -> VShape:
    """:func:`dielectric_v_shape` on :data:`T_GRID` for the STM part ``stm`` plus the ATS term, with the STM curve
    computed once per STM part (the sum is that of :func:`tunnelsim.dielectric_total`)."""
    ats = dielectric_total(T_GRID, frequency, chi_ats=chi_ats, d_min=d_min, k_ats=k_ats, ats_variant=ats_variant)
    curve = _stm_on_grid(float(frequency), stm.chi, stm.delta0_min, stm.k_relax) + ats
    return v_shape(T_GRID, curve, gap=gap, decades=decades)


def ats_v_scan(frequency: float, chi_ats: Sequence[float], d_min: Sequence[float], k_ats: Sequence[float],
               params: GlassParameters | None = None, *, path=None, executor=None, progress: bool | None = None,
               gap: float = 3.0, decades: float = 1.0, ats_variant: str = "isotropic", **values) -> list[dict]:
    """Map the V of STM + ATS over a grid of ATS parameters (docs/theory.md sec. 6, paper eqs. 8 and 14).

    Every grid point runs :func:`v_shape_point`; results are appended to ``path`` as they arrive
    (:func:`tunnelsim.sweep.run_sweep`: an interrupted scan resumes where it stopped).

    Parameters
    ----------
    frequency : float
        Hz.
    chi_ats, d_min, k_ats : sequence of float
        Grid axes: ATS strength chi_ats = P* p*^2/(3 eps0 eps_r D_min) (dimensionless, see
        :func:`tunnelsim.dielectric_ats_parts`), D_min in K, K* in K^-3 s^-1.
    params : GlassParameters
        The STM part: chi, delta0_min (K), k_relax (K^-3 s^-1), all required (e.g.
        ``get_preset("silica_dielectric")``); ``**values`` by name over it.
    path : path-like, optional
        JSON-lines file for the results.
    executor : concurrent.futures.Executor, optional
        Where to run the points (None: in this process).
    progress : bool or None
        Show a progress bar (None: only on a terminal).
    gap, decades : float
        Window placement, see :func:`v_shape`.
    ats_variant : {"isotropic", "stm"}
        The form of the toolkit's eq. 14 (see :func:`tunnelsim.dielectric_ats_parts`).

    Returns
    -------
    list of dict
        One flat dict per grid point: the parameters (chi_ats, d_min, k_ats) and either the
        :class:`VShape` fields (with ``ratio``) or ``error``.

    Examples
    --------
    >>> from tunnelsim.response.presets import get_preset
    >>> rows = ats_v_scan(1e3, [0.5], [0.01], [1e8], get_preset('silica_dielectric'), progress=False)
    >>> print(len(rows), rows[0]['slope_below'] < 0 < rows[0]['slope_above'])
    1 True
    """
    f = float(check_positive(as_real_scalar(frequency, "frequency"), "frequency"))
    axes = {}
    for name, axis in (("chi_ats", chi_ats), ("d_min", d_min), ("k_ats", k_ats)):
        axes[name] = [float(x) for x in np.atleast_1d(check_positive(as_real_array(axis, name), name))]
    stm = _stm_part(params, values).as_dict()
    gap, decades = _windows(gap, decades)
    show_progress(progress)
    check_choice(ats_variant, "ats_variant", ATS_VARIANTS)
    points = [dict(p, frequency=f, gap=gap, decades=decades, **stm, **_variant(ats_variant)) for p in grid(**axes)]
    rows = run_sweep(v_shape_point, points, path, executor=executor, progress=progress, desc="ATS V scan")
    return [{"chi_ats": r["params"]["chi_ats"], "d_min": r["params"]["d_min"], "k_ats": r["params"]["k_ats"],
             **r["result"]} for r in rows]


def _variant(ats_variant: str) -> dict:
    """The sweep-point entry of the eq. 14 form: none for the default (so that cached scans keep their keys)."""
    return {} if ats_variant == "isotropic" else {"ats_variant": ats_variant}


def closest_ratio(rows: Sequence[dict], target: float = 1.0,
                  t_min_bounds: tuple[float, float] = (0.0, math.inf)) -> dict | None:
    """The scan row whose slope ratio is nearest ``target`` (in |ln(ratio/target)|).

    Only rows with a V (negative slope below, positive above; docs/theory.md sec. 6) and T_min inside
    ``t_min_bounds`` (K) count. ``rows`` are those of :func:`ats_v_scan`. Returns ``None`` when no
    row qualifies.

    Examples
    --------
    >>> rows = [dict(slope_below=-2.0, slope_above=1.0, ratio=2.0, t_min=0.05),
    ...         dict(slope_below=-1.1, slope_above=1.0, ratio=1.1, t_min=0.05)]
    >>> closest_ratio(rows, target=1.0)['slope_below']
    -1.1
    >>> print(closest_ratio(rows, target=1.0, t_min_bounds=(0.1, 1.0)))  # no row with T_min in the window
    None
    """
    tgt = float(check_positive(as_real_scalar(target, "target"), "target"))
    lo, hi = _bounds(t_min_bounds)
    if not isinstance(rows, (list, tuple)):
        raise TypeError(f"rows must be a list of the rows of ats_v_scan, got {type(rows).__name__}")
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise TypeError(f"rows[{i}] must be a dict (a row of ats_v_scan), got {type(row).__name__}")
        missing = [k for k in ("t_min", "ratio", "slope_below", "slope_above") if k not in row]
        if "error" not in row and missing:
            raise ValueError(f"rows[{i}] must be a row of ats_v_scan (with t_min, ratio, slope_below, slope_above "
                             f"or error), it lacks {', '.join(missing)}")
    best, best_cost = None, math.inf
    for row in rows:
        if "error" in row or not (row["slope_below"] < 0 < row["slope_above"]):
            continue
        if not lo <= row["t_min"] <= hi:
            continue
        cost = abs(math.log(row["ratio"] / tgt))
        if cost < best_cost:
            best, best_cost = row, cost
    return best


def ats_parameters_for_ratio(target: float, frequency: float, start: dict, params: GlassParameters | None = None, *,
                             t_min_bounds: tuple[float, float] = (0.0, math.inf), gap: float = 3.0,
                             decades: float = 1.0, max_evaluations: int = 120, ats_variant: str = "isotropic",
                             **values) -> tuple[dict, VShape]:
    """ATS parameters (chi_ats, D_min, K*) whose STM + ATS V has the slope ratio ``target`` (docs/theory.md sec. 6).

    Local Nelder-Mead search in (ln chi_ats, ln D_min, ln K*) from ``start`` (e.g. the
    :func:`closest_ratio` row of a scan) minimising ln(ratio/target)^2, with T_min held inside
    ``t_min_bounds`` by a penalty. The answer is what the toolkit's eq. 14 needs; whether it is
    physical (where T_min ends up, how straight the arms are) is read off the returned VShape.

    Parameters
    ----------
    target : float
        Wanted |slope_below / slope_above| (1 for a -1:1 V).
    frequency : float
        Hz.
    start : dict
        Starting point with keys chi_ats, d_min (K), k_ats (K^-3 s^-1).
    params : GlassParameters
        The STM part: chi, delta0_min (K), k_relax (K^-3 s^-1), all required; ``**values`` by name
        over it.
    t_min_bounds : (float, float)
        Allowed range of T_min in K.
    gap, decades : float
        Window placement, see :func:`v_shape`.
    max_evaluations : int
        Budget of model evaluations (each ~0.2 s).
    ats_variant : {"isotropic", "stm"}
        The form of the toolkit's eq. 14 (see :func:`tunnelsim.dielectric_ats_parts`).

    Returns
    -------
    (params, VShape)
        ``params`` has chi_ats, d_min, k_ats; the VShape is that of the best point found.

    Examples
    --------
    >>> from tunnelsim.response.presets import get_preset
    >>> start = {'chi_ats': 0.5, 'd_min': 0.01, 'k_ats': 1e8}
    >>> best, v = ats_parameters_for_ratio(1.5, 1e3, start, get_preset('silica_dielectric'), max_evaluations=15)
    >>> sorted(best)
    ['chi_ats', 'd_min', 'k_ats']
    >>> print(abs(v.slope_below / v.slope_above - 1.5) < abs(-2.0 / 0.95 - 1.5))  # nearer the target than the pure STM
    True
    """
    tgt = float(check_positive(as_real_scalar(target, "target"), "target"))
    frequency = float(check_positive(as_real_scalar(frequency, "frequency"), "frequency"))
    x0 = [math.log(v) for v in _start(start)]
    stm = _stm_part(params, values)
    lo, hi = _bounds(t_min_bounds)
    gap, decades = _windows(gap, decades)
    budget = check_int(max_evaluations, "max_evaluations", minimum=1)
    check_choice(ats_variant, "ats_variant", ATS_VARIANTS)

    def shape_at(x):
        try:
            return _grid_shape(frequency, stm, math.exp(x[0]), math.exp(x[1]), math.exp(x[2]), gap, decades,
                               ats_variant)
        except ValueError:
            return None

    def cost(x):
        s = shape_at(x)
        if s is None or not s.slope_below < 0 < s.slope_above:
            return 1e3
        pen = max(0.0, math.log(lo / s.t_min)) if lo > 0 else 0.0
        pen += max(0.0, math.log(s.t_min / hi)) if math.isfinite(hi) else 0.0
        return math.log(s.ratio / tgt) ** 2 + 10.0 * pen**2

    res = minimize(cost, np.array(x0), method="Nelder-Mead",
                   options={"maxfev": budget, "xatol": 1e-3, "fatol": 1e-8,
                            "initial_simplex": np.array(x0) + np.vstack([np.zeros(3), 0.3 * np.eye(3)])})
    shape = shape_at(res.x)
    if shape is None:
        raise ValueError(f"the search ended on parameters without a V at frequency = {frequency:g} Hz (gap = {gap:g}, "
                         f"decades = {decades:g}); start from a scan point that has one")
    return {"chi_ats": math.exp(res.x[0]), "d_min": math.exp(res.x[1]), "k_ats": math.exp(res.x[2])}, shape


