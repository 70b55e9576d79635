"""Bounded least-squares fits of heat-capacity and dielectric data (scipy.optimize.least_squares).

* :func:`fit_heat_capacity` fits paper eq. 31 (components debye, 2ls, ats, fe; docs/theory.md sec. 5)
  to (T, C), with the model :func:`tunnelsim.heat_capacity`;
* :func:`fit_heat_capacity_global` fits a series of compositions with some parameters shared
  (e.g. D_min and the Fe3+ splitting, as the paper does);
* :func:`fit_dielectric` fits delta eps'/eps_r (STM, optionally + ATS, plus a free offset; docs/theory.md
  sec. 6), with the model :func:`tunnelsim.dielectric_total`.

Parameter names are the fields of :class:`tunnelsim.GlassParameters` (plus ``offset``).

Without ``sigma`` the residuals are relative, (C - model)/C, and the standard errors are scaled
by sqrt(reduced chi^2); with ``sigma`` they are absolute.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares, nnls

from tunnelsim.files import atomic_write
from tunnelsim.response.dielectric import dielectric_total
from tunnelsim.response.heat_capacity import heat_capacity, heat_capacity_ats, heat_capacity_fe
from tunnelsim.validation import as_real_array, as_real_scalar, check_bool, check_positive, check_probability

__all__ = ["FitResult", "fit_heat_capacity", "fit_heat_capacity_global", "fit_dielectric", "COMPONENTS"]

#: parameters of each heat-capacity component (paper eq. 31)
COMPONENTS: dict[str, tuple[str, ...]] = {
    "debye": ("c_debye",),
    "2ls": ("c_2ls",),
    "ats": ("p_star", "d_min"),
    "fe": ("n_fe", "delta_fe"),
}
_NONLINEAR = ("d_min", "delta_fe")


@dataclass
class FitResult:
    """Result of a fit of paper eq. 31 or of the dielectric constant (docs/theory.md secs. 5-6).

    Attributes
    ----------
    params, stderr : dict
        Best-fit values and one-sigma standard errors by name.
    covariance : numpy.ndarray
        Covariance matrix, in the order of ``names``.
    names : list of str
    residuals : numpy.ndarray
        Weighted residuals (data - model)/sigma at the optimum.
    chi2, redchi : float
        Sum of squared weighted residuals; divided by (points - parameters).
    T, y, sigma : numpy.ndarray
        The data (concatenated over datasets for global fits).
    model : callable
        model(T) -> prediction for single-dataset fits (None for global ones).
    success : bool
    message : str
    extra : dict
        Fit-specific information (e.g. per-dataset parameters of a global fit).
    """

    params: dict[str, float]
    stderr: dict[str, float]
    covariance: np.ndarray
    names: list[str]
    residuals: np.ndarray
    chi2: float
    redchi: float
    T: np.ndarray
    y: np.ndarray
    sigma: np.ndarray
    model: Callable[[np.ndarray], np.ndarray] | None
    success: bool
    message: str
    extra: dict = field(default_factory=dict)

    def plot(self, ax=None, path=None, *, ylabel: str = "C", logy: bool = True):
        """Data with error bars, the model, and the weighted residuals (matplotlib figure).

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Draw into it (no residual panel); a new two-panel figure if omitted.
        path : path-like, optional
            Also write the figure as PNG, atomically.
        ylabel : str
            Label of the data axis.
        logy : bool
            Logarithmic data axis (when all data are positive).

        Returns
        -------
        matplotlib.figure.Figure
        """
        import matplotlib.pyplot as plt

        if ax is None:
            fig, (ax, axr) = plt.subplots(2, 1, figsize=(6, 5), sharex=True,
                                          gridspec_kw={"height_ratios": [3, 1]})
        else:
            fig, axr = ax.figure, None
        ax.errorbar(self.T, self.y, yerr=self.sigma, fmt="o", ms=3, label="data")
        if self.model is not None:
            tt = np.geomspace(self.T.min(), self.T.max(), 300)
            ax.plot(tt, self.model(tt), "-", label="fit")
        ax.set_xscale("log")
        if logy and np.all(self.y > 0):
            ax.set_yscale("log")
        ax.set_ylabel(ylabel)
        ax.legend()
        if axr is not None:
            axr.plot(self.T, self.residuals, "o", ms=3)
            axr.axhline(0, color="k", lw=0.5)
            axr.set_xlabel("T (K)")
            axr.set_ylabel("residual / sigma")
        else:
            ax.set_xlabel("T (K)")
        if path is not None:
            with atomic_write(path, "wb") as fh:
                fig.savefig(fh, format="png", dpi=120, bbox_inches="tight")
        return fig


def _data(T, y, sigma, yname: str):
    t = np.asarray(check_positive(as_real_array(T, "T", ndim=1), "T"), dtype=float)
    yy = as_real_array(y, yname, shape=(t.size,))
    if sigma is None:
        s = np.abs(yy)
        if np.any(s == 0):
            raise ValueError(f"{yname} has zero entries: give sigma (relative weighting needs {yname} != 0)")
        absolute = False
    else:
        s = np.broadcast_to(np.asarray(check_positive(as_real_array(sigma, "sigma"), "sigma"), float),
                            t.shape).copy()
        absolute = True
    return t, yy, s, absolute


def _finish(res, names, t, y, s, absolute, model, extra=None, transform=None) -> FitResult:
    r = res.fun
    dof = max(r.size - len(names), 1)
    chi2 = float(r @ r)
    redchi = chi2 / dof
    jac = res.jac
    try:
        cov = np.linalg.pinv(jac.T @ jac)
    except np.linalg.LinAlgError:
        cov = np.full((len(names), len(names)), np.nan)
    if not absolute:
        cov = cov * redchi
    vals = res.x.copy()
    if transform is not None:  # log-parametrised entries: delta method
        for i in transform:
            vals[i] = np.exp(res.x[i])
            cov[i, :] *= vals[i]
            cov[:, i] *= vals[i]
    params = dict(zip(names, map(float, vals)))
    stderr = dict(zip(names, map(float, np.sqrt(np.clip(np.diag(cov), 0, None)))))
    return FitResult(params, stderr, cov, list(names), r, chi2, redchi, t, y, s, model,
                     bool(res.success), str(res.message), extra or {})


def _check_components(components: Sequence[str]) -> list[str]:
    if isinstance(components, str):
        components = (components,)
    comps = list(components)
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


def _unpack(x: np.ndarray, names: Sequence[str], fixed: Mapping[str, float], logs) -> dict[str, float]:
    """Parameters by name from the fit vector x (entries named in ``logs`` are fitted as their logarithm)."""
    p = dict(fixed)
    for i, n in enumerate(names):
        p[n] = float(np.exp(x[i])) if n in logs else float(x[i])
    return p


def _with_fixed(out: FitResult, fixed: Mapping[str, float]) -> FitResult:
    """Report the fixed parameters too, with zero standard error."""
    for k, v in fixed.items():
        out.params[k] = float(v)
        out.stderr[k] = 0.0
    return out


def fit_heat_capacity(T, C, components: Sequence[str] = ("debye", "2ls", "ats", "fe"), *, sigma=None,
                      p0: Mapping[str, float] | None = None,
                      fixed: Mapping[str, float] | None = None) -> FitResult:
    """Fit C(T) = c_D T^3 + c_2LS T + C_ATS(P*, D_min) + C_Fe(n_Fe, delta_Fe) (paper eq. 31, docs/theory.md sec. 5).

    Bounded least squares (all parameters >= 0; D_min and delta_fe fitted in log space, > 0).
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
        ``.params`` with names among c_debye, c_2ls, p_star, d_min, n_fe, delta_fe.
    """
    comps = _check_components(components)
    t, y, s, absolute = _data(T, C, sigma, "C")
    allnames = [n for c in comps for n in COMPONENTS[c]]
    fixed = _named(fixed, "fixed", allnames)
    p0 = _named(p0, "p0", allnames)
    names = [n for n in allnames if n not in fixed]
    if not names:
        raise ValueError("fixed holds every parameter: nothing to fit")
    if len(t) <= len(names):
        raise ValueError(f"T has {len(t)} points, need more than the {len(names)} fitted parameters")
    starts = _initial_guesses(t, y, s, comps, fixed)
    if p0:
        starts = [{**starts[0], **p0}]
    logi = [i for i, n in enumerate(names) if n in _NONLINEAR]
    lower = np.array([-np.inf if n in _NONLINEAR else 0.0 for n in names])

    def resid(x):
        return (y - heat_capacity(t, **_unpack(x, names, fixed, _NONLINEAR))) / s

    res = None
    for start in starts:  # multistart: ATS and Fe3+ Schottky terms can trade places
        x0 = np.array([np.log(max(start[n], 1e-12)) if n in _NONLINEAR else start[n] for n in names])
        scale = np.maximum(np.abs(x0), 1e-3 * max(np.max(np.abs(x0)), 1e-12))
        x0 = np.clip(x0, lower, np.inf)
        r = least_squares(resid, x0, bounds=(lower, np.inf), x_scale=scale, method="trf")
        if res is None or r.cost < res.cost:
            res = r
    best = _unpack(res.x, names, fixed, _NONLINEAR)
    out = _finish(res, names, t, y, s, absolute, lambda tt: heat_capacity(tt, **best), transform=logi)
    return _with_fixed(out, fixed)


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
        ``.params`` holds the shared names and ``name[i]`` for dataset i;
        ``.extra["per_dataset"]`` a list of {x, params} dicts.
    """
    comps = _check_components(components)
    allnames = [n for c in comps for n in COMPONENTS[c]]
    fixed = _named(fixed, "fixed", allnames)
    shared = [shared] if isinstance(shared, str) else list(shared)
    _named(dict.fromkeys(shared, 0.0), "shared", allnames)
    if len(datasets) < 1:
        raise ValueError("datasets must hold at least one (x, T, C) entry")
    data = []
    for i, d in enumerate(datasets):
        if len(d) not in (3, 4):
            raise ValueError(f"datasets[{i}] must be (x, T, C) or (x, T, C, sigma)")
        t, y, s, absolute = _data(d[1], d[2], d[3] if len(d) == 4 else None, f"datasets[{i}] C")
        data.append((float(check_probability(as_real_scalar(d[0], f"datasets[{i}] x"), f"datasets[{i}] x")),
                     t, y, s, absolute))
    absolute = all(a for *_, a in data)
    # starting values: independent fits (quick) then average the shared ones
    starts = [_initial_guess(t, y, s, comps, fixed) for _, t, y, s, _ in data]
    names: list[str] = [n for n in allnames if n in shared and n not in fixed]
    local = [n for n in allnames if n not in shared and n not in fixed]
    for i in range(len(data)):
        names += [f"{n}[{i}]" for n in local]

    def base(n):
        return n.split("[")[0]

    x0 = []
    for n in names:
        if "[" in n:
            v = starts[int(n.split("[")[1][:-1])][base(n)]
        else:
            v = float(np.exp(np.mean([np.log(max(st[n], 1e-12)) for st in starts])))
        x0.append(np.log(max(v, 1e-12)) if base(n) in _NONLINEAR else v)
    x0 = np.array(x0)
    lower = np.array([-np.inf if base(n) in _NONLINEAR else 0.0 for n in names])
    scale = np.maximum(np.abs(x0), 1e-12)

    def params_of(x, i):
        p = dict(fixed)
        for j, n in enumerate(names):
            if "[" in n and int(n.split("[")[1][:-1]) != i:
                continue
            v = float(np.exp(x[j])) if base(n) in _NONLINEAR else float(x[j])
            p[base(n)] = v
        return p

    def resid(x):
        return np.concatenate([(y - heat_capacity(t, **params_of(x, i))) / s
                               for i, (_, t, y, s, _) in enumerate(data)])

    res = least_squares(resid, x0, bounds=(lower, np.inf), x_scale=scale, method="trf")
    logi = [j for j, n in enumerate(names) if base(n) in _NONLINEAR]
    t_all = np.concatenate([d[1] for d in data])
    y_all = np.concatenate([d[2] for d in data])
    s_all = np.concatenate([d[3] for d in data])
    per = [{"x": data[i][0], "params": params_of(res.x, i)} for i in range(len(data))]
    return _finish(res, names, t_all, y_all, s_all, absolute, None, {"per_dataset": per}, transform=logi)


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
    """
    t = np.asarray(check_positive(as_real_array(T, "T", ndim=1), "T"), dtype=float)
    y = as_real_array(eps, "eps", shape=(t.size,))
    f = float(check_positive(as_real_scalar(frequency, "frequency"), "frequency"))
    with_ats = check_bool(with_ats, "with_ats")
    if sigma is None:
        s, absolute = np.ones_like(y), False
    else:
        s = np.broadcast_to(np.asarray(check_positive(as_real_array(sigma, "sigma"), "sigma"), float),
                            t.shape).copy()
        absolute = True
    allnames = ["offset", "chi", "delta0_min", "k_relax"] + (["chi_ats", "d_min", "k_ats"] if with_ats else [])
    fixed = {"delta0_min": 1e-7, **_named(fixed, "fixed", allnames)}
    logs = {"delta0_min", "k_relax", "d_min", "k_ats"}
    start = {"offset": 0.0, "chi": 1.0, "k_relax": 1e8, "chi_ats": 1.0, "d_min": 1e-3, "k_ats": 1e10,
             "delta0_min": 1e-7, **_named(p0, "p0", allnames)}
    names = [n for n in allnames if n not in fixed]
    x0 = np.array([np.log(start[n]) if n in logs else start[n] for n in names])
    lower = np.array([-np.inf if (n in logs or n == "offset") else 0.0 for n in names])

    def model_of(p, tt):
        return p["offset"] + dielectric_total(tt, f, **{k: v for k, v in p.items() if k != "offset"})

    def resid(x):
        return (y - model_of(_unpack(x, names, fixed, logs), t)) / s

    res = least_squares(resid, x0, bounds=(lower, np.inf), method="trf", x_scale="jac")
    best = _unpack(res.x, names, fixed, logs)
    logi = [i for i, n in enumerate(names) if n in logs]
    return _with_fixed(_finish(res, names, t, y, s, absolute, lambda tt: model_of(best, tt), transform=logi), fixed)
