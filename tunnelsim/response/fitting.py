"""Bounded least-squares fits of heat-capacity and dielectric data, through lmfit (:mod:`.fit_engine`).

* :func:`fit_heat_capacity` fits paper eq. 31 (components debye, 2ls, ats, fe; docs/theory.md sec. 5)
  to (T, C), with the model :func:`tunnelsim.heat_capacity`;
* :func:`fit_heat_capacity_global` fits a series of compositions with some parameters shared
  (e.g. D_min and the Fe3+ splitting, as the paper does);
* :func:`fit_dielectric` fits delta eps'/eps_r (STM, optionally + ATS, plus a free offset; docs/theory.md
  sec. 6), with the model :func:`tunnelsim.dielectric_total`.

Parameter names are the fields of :class:`tunnelsim.GlassParameters` (plus ``offset``).

Without ``sigma`` the residuals are relative, (C - model)/C, and the standard errors are scaled
by sqrt(reduced chi^2); with ``sigma`` they are absolute. The returned :class:`FitResult` carries lmfit's
report (``fit_report()``), correlations, AIC/BIC, profile-likelihood intervals
(``conf_interval(method="profile")``) and a confidence band (``eval_uncertainty``, drawn by ``plot()``).
Per-dataset parameters of a global fit are named ``<name>_ds<i>`` (lmfit names must be identifiers) and
listed structurally in ``extra["per_dataset"]``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import nnls

from tunnelsim.response.dielectric import dielectric_total
from tunnelsim.response.fit_engine import run_fit
from tunnelsim.response.fit_result import FitResult
from tunnelsim.response.heat_capacity import heat_capacity, heat_capacity_ats, heat_capacity_fe
from tunnelsim.validation import (
    as_real_array,
    as_real_scalar,
    check_bool,
    check_positive,
    check_probability,
    check_same_length,
)

__all__ = ["FitResult", "fit_heat_capacity", "fit_heat_capacity_global", "fit_dielectric", "COMPONENTS"]

#: parameters of each heat-capacity component (paper eq. 31)
COMPONENTS: dict[str, tuple[str, ...]] = {
    "debye": ("c_debye",),
    "2ls": ("c_2ls",),
    "ats": ("p_star", "d_min"),
    "fe": ("n_fe", "delta_fe"),
}
_NONLINEAR = ("d_min", "delta_fe")


def _data(T, y, sigma, yname: str, *, relative: bool = True):
    """Checked data: T (K, > 0), y of the same length, sigma (> 0, a number or one per point).

    Without sigma: relative weights |y| (``relative``) or 1 (absolute residuals scaled afterwards).
    """
    t = np.asarray(check_positive(as_real_array(T, "T", ndim=1), "T"), dtype=float)
    yy = as_real_array(y, yname, ndim=1)
    check_same_length("T", t, yname, yy)
    if sigma is None:
        if not relative:
            return t, yy, np.ones_like(yy), False
        s = np.abs(yy)
        if np.any(s == 0):
            raise ValueError(f"{yname} has zero entries: give sigma (relative weighting needs {yname} != 0)")
        return t, yy, s, False
    sg = np.asarray(check_positive(as_real_array(sigma, "sigma"), "sigma"), dtype=float)
    if sg.ndim == 0:
        return t, yy, _weights(yy, np.full(t.shape, float(sg)), yname), True
    if sg.ndim != 1:
        raise ValueError(f"sigma must be a number or one value per point, got shape {sg.shape}")
    check_same_length("T", t, "sigma", sg)
    return t, yy, _weights(yy, sg.copy(), yname), True


def _weights(y: np.ndarray, s: np.ndarray, yname: str) -> np.ndarray:
    """sigma, refused where it is so small against the data that the weighted residuals would overflow."""
    scale = float(np.max(np.abs(y))) or 1.0
    if scale / float(np.min(s)) > 1e100:
        raise ValueError(f"sigma is too small against {yname} (max |{yname}| / min sigma = "
                         f"{scale / float(np.min(s)):.3g} > 1e100): the weighted residuals would overflow")
    return s


def _free(allnames: Sequence[str], fixed: Mapping[str, float], n_points: int) -> list[str]:
    """The fitted names (not fixed); refuses nothing to fit and an under-determined fit."""
    names = [n for n in allnames if n not in fixed]
    if not names:
        raise ValueError("fixed holds every parameter: nothing to fit")
    if n_points <= len(names):
        raise ValueError(f"T has {n_points} points, need more than the {len(names)} fitted parameters "
                         f"({', '.join(names)}): the fit would be under-determined")
    return names


def _names(values: object, what: str) -> list[str]:
    """A sequence of names (a single string counts as one), each a string."""
    if isinstance(values, str):
        return [values]
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
        raise TypeError(f"{what} must be a string or a sequence of strings, got {values!r:.60}")
    return list(values)


def _check_components(components: Sequence[str]) -> list[str]:
    comps = _names(components, "components")
    if not comps:
        raise ValueError("components must name at least one of debye, 2ls, ats, fe")
    for c in comps:
        if c not in COMPONENTS:
            raise ValueError(f"components must be among {', '.join(COMPONENTS)}; got {c!r}")
    return comps


def _linear_basis(t: np.ndarray, comps: list[str], nl: Mapping[str, float]) -> list[np.ndarray]:
    cols = []
    for c in comps:
        if c == "debye":
            cols.append(t**3)
        elif c == "2ls":
            cols.append(t.copy())
        elif c == "ats":
            cols.append(np.atleast_1d(heat_capacity_ats(t, 1.0, nl["d_min"])))
        elif c == "fe":
            cols.append(np.atleast_1d(heat_capacity_fe(t, 1.0, nl["delta_fe"])))
    return cols


def _initial_guesses(t, y, s, comps, fixed, n_best: int = 6) -> list[dict[str, float]]:
    """Starting points: a grid over the nonlinear parameters (D_min, delta_fe) with non-negative
    linear least squares for the amplitudes (paper eq. 31 is linear in them); the ``n_best`` best."""
    grid_d = np.geomspace(t.min() / 3, t.max() * 3, 12)
    dm_grid = [fixed["d_min"]] if "d_min" in fixed else (grid_d if "ats" in comps else [1.0])
    df_grid = [fixed["delta_fe"]] if "delta_fe" in fixed else (grid_d if "fe" in comps else [1.0])
    cand = []
    for dm in dm_grid:
        for df in df_grid:
            cols = _linear_basis(t, comps, {"d_min": dm, "delta_fe": df})
            a = np.column_stack(cols) / s[:, None]
            coef, rnorm = nnls(a, y / s)
            cand.append((rnorm, dm, df, coef))
    cand.sort(key=lambda c: c[0])
    out = []
    for _, dm, df, coef in cand[:n_best]:
        g = {COMPONENTS[c][0]: float(v) for c, v in zip(comps, coef)}
        if "ats" in comps:
            g["d_min"] = float(dm)
        if "fe" in comps:
            g["delta_fe"] = float(df)
        out.append(g)
    return out


def _initial_guess(t, y, s, comps, fixed) -> dict[str, float]:
    return _initial_guesses(t, y, s, comps, fixed, 1)[0]


def _named(values: Mapping[str, float] | None, what: str, allnames: Sequence[str]) -> dict[str, float]:
    """``values`` (p0 or fixed) checked: known parameter names, real numbers."""
    if values is not None and not isinstance(values, Mapping):
        raise TypeError(f"{what} must be a mapping of parameter names to values, got {type(values).__name__}")
    out = {}
    for k, v in dict(values or {}).items():
        if k not in allnames:
            raise ValueError(f"{what} names unknown parameter {k!r}; known: {', '.join(allnames)}")
        out[k] = as_real_scalar(v, f"{what}[{k!r}]")
    return out


def fit_heat_capacity(T, C, components: Sequence[str] = ("debye", "2ls", "ats", "fe"), *, sigma=None,
                      p0: Mapping[str, float] | None = None,
                      fixed: Mapping[str, float] | None = None) -> FitResult:
    """Fit C(T) = c_D T^3 + c_2LS T + C_ATS(P*, D_min) + C_Fe(n_Fe, delta_Fe) (paper eq. 31, docs/theory.md sec. 5).

    Bounded least squares by lmfit (all parameters >= 0; D_min and delta_fe fitted in log space, > 0).
    Starting values come from a grid over D_min and delta_fe with non-negative linear least
    squares for the amplitudes, unless ``p0`` is given.

    Parameters
    ----------
    T, C : array_like
        Temperatures (K) and heat capacities.
    components : sequence of str
        Subset of ("debye", "2ls", "ats", "fe").
    sigma : array_like, optional
        Standard errors of C (absolute). Default: relative residuals.
    p0 : mapping, optional
        Starting values by parameter name.
    fixed : mapping, optional
        Parameters held fixed (by name), e.g. {"d_min": 0.05}.

    Returns
    -------
    FitResult
        ``.params`` with names among c_debye, c_2ls, p_star, d_min, n_fe, delta_fe; ``.report()`` and
        ``.fit_report()`` print them with errors, intervals, correlations, AIC and BIC.

    Examples
    --------
    >>> import numpy as np
    >>> T = np.geomspace(0.05, 1.0, 20)
    >>> r = fit_heat_capacity(T, 0.7 * T + 2.0 * T**3, components=("debye", "2ls"))
    >>> round(r.params["c_2ls"], 6), round(r.params["c_debye"], 6)
    (0.7, 2.0)
    """
    comps = _check_components(components)
    t, y, s, absolute = _data(T, C, sigma, "C")
    allnames = [n for c in comps for n in COMPONENTS[c]]
    fixed = _named(fixed, "fixed", allnames)
    p0 = _named(p0, "p0", allnames)
    names = _free(allnames, fixed, t.size)
    starts = _initial_guesses(t, y, s, comps, fixed)
    if p0:
        starts = [{**starts[0], **p0}]

    def resid(values):
        return (y - heat_capacity(t, **{n: values[n] for n in allnames})) / s

    return run_fit(resid, names, starts, fixed, _NONLINEAR, t=t, y=y, s=s, absolute=absolute,
                   spec={"kind": "heat_capacity"})


def fit_heat_capacity_global(datasets: Sequence[tuple[float, object, object] | tuple[float, object, object, object]],
                             components: Sequence[str] = ("debye", "2ls", "ats"),
                             shared: Sequence[str] = ("d_min",),
                             fixed: Mapping[str, float] | None = None) -> FitResult:
    """Global fit of paper eq. 31 over a series of compositions with shared parameters (docs/theory.md secs. 4-5).

    Heat capacities in any unit, temperatures in K; parameter names as in :func:`fit_heat_capacity`.

    Parameters
    ----------
    datasets : sequence of (x, T, C) or (x, T, C, sigma)
        One entry per composition.
    components : sequence of str
        Components present in every dataset.
    shared : sequence of str
        Parameter names common to all datasets (e.g. d_min, delta_fe).
    fixed : mapping, optional
        Parameters held fixed for all datasets.

    Returns
    -------
    FitResult
        ``.params`` holds the shared names and ``<name>_ds<i>`` for dataset i; ``.extra["per_dataset"]``
        a list of {x, params, names} dicts (the dataset's composition, its parameters by their plain names,
        and which fitted name each one is). Units: c_2ls in C/K, c_debye in C/K^3, p_star and n_fe in C (the
        unit C of the heat capacities), d_min and delta_fe in K.

    Examples
    --------
    Two compositions sharing the ATS gap cut-off D_min = 0.1 K, each with its own c_2LS and P* (noise-free data
    from the model itself, eq. 31): the global fit recovers the shared and the per-dataset parameters.

    >>> import numpy as np
    >>> from tunnelsim.response.heat_capacity import heat_capacity
    >>> T = np.geomspace(0.02, 2.0, 30)
    >>> data = [(x, T, heat_capacity(T, c_2ls=c, p_star=p, d_min=0.1))
    ...         for x, c, p in ((0.0, 0.5, 0.2), (0.1, 0.8, 0.4))]
    >>> r = fit_heat_capacity_global(data, components=("2ls", "ats"), shared=("d_min",))
    >>> round(r.params["d_min"], 6)
    0.1
    >>> [(d["x"], round(d["params"]["c_2ls"], 6), round(d["params"]["p_star"], 6)) for d in r.extra["per_dataset"]]
    [(0.0, 0.5, 0.2), (0.1, 0.8, 0.4)]
    """
    comps = _check_components(components)
    allnames = [n for c in comps for n in COMPONENTS[c]]
    fixed = _named(fixed, "fixed", allnames)
    shared = _names(shared, "shared")
    _named(dict.fromkeys(shared, 0.0), "shared", allnames)
    if isinstance(datasets, (str, bytes)) or not isinstance(datasets, Sequence) or len(datasets) < 1:
        raise TypeError("datasets must be a sequence of at least one (x, T, C) or (x, T, C, sigma) entry")
    data = []
    for i, d in enumerate(datasets):
        if not isinstance(d, (tuple, list)) or len(d) not in (3, 4):
            raise ValueError(f"datasets[{i}] must be (x, T, C) or (x, T, C, sigma)")
        t, y, s, absolute = _data(d[1], d[2], d[3] if len(d) == 4 else None, f"datasets[{i}] C")
        data.append((float(check_probability(as_real_scalar(d[0], f"datasets[{i}] x"), f"datasets[{i}] x")),
                     t, y, s, absolute))
    absolute = all(a for *_, a in data)
    # starting values: independent fits (quick) then average the shared ones
    starts = [_initial_guess(t, y, s, comps, fixed) for _, t, y, s, _ in data]
    names: list[str] = [n for n in allnames if n in shared and n not in fixed]
    local = [n for n in allnames if n not in shared and n not in fixed]
    # structured names: of[i][base] is the fitted (or fixed) parameter that holds base for dataset i
    of = [{n: (f"{n}_ds{i}" if n in local else n) for n in allnames} for i in range(len(data))]
    for i in range(len(data)):
        names += [of[i][n] for n in local]
    n_points = sum(d[1].size for d in data)
    if n_points <= len(names):
        raise ValueError(f"datasets hold {n_points} points in all, need more than the {len(names)} fitted parameters "
                         f"({', '.join(names)}): the fit would be under-determined; share or fix parameters, or "
                         f"add data")

    start = {n: float(np.exp(np.mean([np.log(max(st[n], 1e-12)) for st in starts]))) for n in names if n in allnames}
    for i, st in enumerate(starts):
        start.update({of[i][n]: st[n] for n in local})

    def resid(values):
        return np.concatenate([(y - heat_capacity(t, **{n: values[of[i][n]] for n in allnames})) / s
                               for i, (_, t, y, s, _) in enumerate(data)])

    t_all, y_all, s_all = (np.concatenate([d[k] for d in data]) for k in (1, 2, 3))
    res = run_fit(resid, names, [start], fixed, _NONLINEAR, t=t_all, y=y_all, s=s_all, absolute=absolute,
                  spec={"kind": "global"})
    res.extra["per_dataset"] = [{"x": data[i][0], "params": {n: res.params[of[i][n]] for n in allnames},
                                 "names": dict(of[i])} for i in range(len(data))]
    return res


def fit_dielectric(T, eps, frequency: float, *, with_ats: bool = False, sigma=None,
                   p0: Mapping[str, float] | None = None,
                   fixed: Mapping[str, float] | None = None) -> FitResult:
    """Fit delta eps'/eps_r(T) = offset + STM (paper eq. 8) [+ ATS (eq. 14)] (docs/theory.md sec. 6).

    The model is :func:`tunnelsim.dielectric_total` plus a free offset. Parameters: offset, chi,
    delta0_min, k_relax [, chi_ats, d_min, k_ats]; delta0_min, k_relax, d_min, k_ats are fitted in
    log space. delta0_min is by default fixed at 1e-7 K (it only sets the offset and the lowest-T
    curvature). Absolute residuals (give ``sigma`` for weights; default sigma = 1, errors scaled by
    sqrt(reduced chi^2)).

    Parameters
    ----------
    T, eps : array_like
        Temperatures in K and delta eps'/eps_r (dimensionless).
    frequency : float
        Measuring frequency in Hz.
    with_ats : bool
        Add the ATS term.
    sigma : array_like, optional
        Standard errors of eps.
    p0, fixed : mapping, optional
        Starting values / parameters held fixed, by name (chi, chi_ats dimensionless; delta0_min, d_min
        in K; k_relax, k_ats in K^-3 s^-1).

    Returns
    -------
    FitResult
        ``.params``: offset, chi, delta0_min, k_relax [, chi_ats, d_min, k_ats] in the units above.

    Examples
    --------
    The STM's V of silica at 1 kHz (chi = 3e-4, K = 3e7 K^-3 s^-1, paper eq. 8) on an offset of 1e-4, noise-free:
    the fit recovers chi and the relaxation constant (a start near the size of chi, since the residuals are
    absolute).

    >>> import numpy as np
    >>> from tunnelsim.response.dielectric import dielectric_total
    >>> T = np.geomspace(0.003, 0.3, 10)
    >>> eps = 1e-4 + dielectric_total(T, 1e3, chi=3e-4, delta0_min=1e-7, k_relax=3e7)
    >>> r = fit_dielectric(T, eps, 1e3, p0={"chi": 1e-4})
    >>> round(r.params["chi"] / 3e-4, 4), round(r.params["k_relax"] / 3e7, 4), round(r.params["offset"] / 1e-4, 4)
    (1.0, 1.0, 1.0)
    """
    t, y, s, absolute = _data(T, eps, sigma, "eps", relative=False)
    f = float(check_positive(as_real_scalar(frequency, "frequency"), "frequency"))
    with_ats = check_bool(with_ats, "with_ats")
    allnames = ["offset", "chi", "delta0_min", "k_relax"] + (["chi_ats", "d_min", "k_ats"] if with_ats else [])
    fixed = {"delta0_min": 1e-7, **_named(fixed, "fixed", allnames)}
    logs = {"delta0_min", "k_relax", "d_min", "k_ats"}
    start = {"offset": 0.0, "chi": 1.0, "k_relax": 1e8, "chi_ats": 1.0, "d_min": 1e-3, "k_ats": 1e10,
             "delta0_min": 1e-7, **_named(p0, "p0", allnames)}
    names = _free(allnames, fixed, t.size)
    for n in names:
        if n != "offset" and start[n] < 0 or (n in logs and start[n] == 0):
            raise ValueError(f"p0[{n!r}] must be {'> 0' if n in logs else '>= 0'}, got {start[n]:g}")
    def resid(p):
        return (y - p["offset"] - dielectric_total(t, f, **{k: p[k] for k in allnames if k != "offset"})) / s

    return run_fit(resid, names, [start], fixed, tuple(logs), t=t, y=y, s=s, absolute=absolute,
                   spec={"kind": "dielectric", "frequency": f}, free_sign=("offset",))
