"""The engine under the glass-response fits: lmfit Parameters, lmfit.minimize and the FitResult it yields.

Every fit of :mod:`tunnelsim.response.fitting` comes here with its residual function, its parameter names
and its starting points (the toolkit's multistart: a grid over the nonlinear parameters with
non-negative linear least squares for the amplitudes). Each start is one ``lmfit.minimize`` run
(``method="least_squares"``: scipy's trust-region reflective solver with the bounds); the best by chi^2
is kept.

Parametrisation: amplitudes are bounded below by 0 (``min=0``); scale parameters (D_min, delta_fe,
Delta0min, K, K*) vary as their logarithm, ``ln_<name>``, with ``<name> = exp(ln_<name>)`` an lmfit
expression, so they stay positive across decades and their errors are those of ln value (asymmetric
intervals). Fixed parameters are lmfit parameters with ``vary=False``.

Statistics follow lmfit: chi^2, reduced chi^2, AIC = n ln(chi^2/n) + 2k, BIC = n ln(chi^2/n) + k ln n;
the covariance is (J^T J)^-1 of the weighted residuals' Jacobian, scaled by the reduced chi^2 when no
sigma was given (relative residuals), and the fit counts as a success only when J has full rank
(every fitted parameter is determined by the data).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import lmfit
import numpy as np

from tunnelsim.response.fit_result import FitResult, model_of

__all__ = ["make_parameters", "run_fit", "lmfit_name"]


def lmfit_name(name: str, logs: Sequence[str]) -> str:
    """The lmfit parameter that varies for ``name``: ``ln_<name>`` for a scale parameter, else ``name``.

    The engine of the fits of paper eq. 31 and of the dielectric constant (docs/theory.md secs. 5-6).

    Examples
    --------
    >>> lmfit_name('d_min', ['d_min']), lmfit_name('offset', ['d_min'])
    ('ln_d_min', 'offset')
    """
    return f"ln_{name}" if _is_log(name, logs) else name


def make_parameters(names: Sequence[str], start: Mapping[str, float], fixed: Mapping[str, float],
                    logs: Sequence[str], free_sign: Sequence[str] = ()) -> lmfit.Parameters:
    """lmfit Parameters: ``names`` varying from ``start`` (scale ones as logarithms), ``fixed`` held.

    The engine of the fits of paper eq. 31 and of the dielectric constant (docs/theory.md secs. 5-6).

    Parameters
    ----------
    names : sequence of str
        The fitted parameters (their order is that of the covariance matrix).
    start : mapping
        Starting values by name (scale parameters > 0).
    fixed : mapping
        Values held fixed.
    logs : sequence of str
        Scale parameters (fitted as ln value). ``logs`` may name a parameter by its base name: a name
        ``<base>_ds<i>`` of a global fit is a scale parameter when ``<base>`` is.
    free_sign : sequence of str
        Parameters with no lower bound (e.g. an offset); all others are >= 0.

    Examples
    --------
    >>> p = make_parameters(['c_2ls', 'offset'], {'c_2ls': 2.0, 'offset': 0.1}, {'c_debye': 1.0}, ['c_2ls'], ['offset'])
    >>> print(sorted(p), round(p['ln_c_2ls'].value, 6), p['c_debye'].vary)
    ['c_2ls', 'c_debye', 'ln_c_2ls', 'offset'] 0.693147 False
    """
    params = lmfit.Parameters()
    for n in names:
        if _is_log(n, logs):
            ln0 = math.log(max(float(start[n]), 1e-300))
            params.add(f"ln_{n}", value=ln0, min=ln0 - 80.0, max=ln0 + 80.0)  # e^80: far beyond any data
            params.add(n, expr=f"exp(ln_{n})")
        else:
            params.add(n, value=max(float(start[n]), 0.0) if n not in free_sign else float(start[n]),
                       min=-np.inf if n in free_sign else 0.0)
    for n, v in fixed.items():
        params.add(n, value=float(v), vary=False)
    return params


def _is_log(name: str, logs: Sequence[str]) -> bool:
    return name in logs or name.split("_ds")[0] in logs


def run_fit(resid: Callable[[dict[str, float]], np.ndarray], names: Sequence[str],
            starts: Sequence[Mapping[str, float]], fixed: Mapping[str, float], logs: Sequence[str], *,
            t: np.ndarray, y: np.ndarray, s: np.ndarray, absolute: bool, spec: dict, extra: dict | None = None,
            free_sign: Sequence[str] = ()) -> FitResult:
    """Minimise ``resid(values by name)`` from every start with lmfit; the best fit as a :class:`FitResult`.

    The engine of the fits of paper eq. 31 and of the dielectric constant (docs/theory.md secs. 5-6).

    Parameters
    ----------
    resid : callable
        Weighted residuals (data - model) / sigma for a dict of parameter values (fixed ones included).
    names, fixed, logs, free_sign
        As in :func:`make_parameters`.
    starts : sequence of mapping
        Starting values, one mapping per start (the multistart).
    t, y, s : numpy.ndarray
        Temperatures (K), data and sigma (the weights).
    absolute : bool
        sigma was given (covariance not rescaled by the reduced chi^2).
    spec : dict
        What was fitted (rebuilds the model: :func:`tunnelsim.response.fit_result.model_of`).
    extra : dict, optional
        Stored as ``FitResult.extra``.

    Examples
    --------
    >>> import numpy as np
    >>> from tunnelsim.response.heat_capacity import heat_capacity
    >>> t = np.geomspace(0.05, 2.0, 20)
    >>> y = heat_capacity(t, c_debye=1.0, c_2ls=2.0)
    >>> s = np.full_like(t, 0.01)
    >>> resid = lambda v: (y - heat_capacity(t, c_debye=v['c_debye'], c_2ls=v['c_2ls'])) / s
    >>> names, starts = ['c_debye', 'c_2ls'], [{'c_debye': 0.5, 'c_2ls': 1.0}]
    >>> fit = run_fit(resid, names, starts, {}, names, t=t, y=y, s=s, absolute=True, spec={'kind': 'heat_capacity'})
    >>> print(round(fit.params['c_debye'], 6), round(fit.params['c_2ls'], 6))  # recovers the noise-free truth
    1.0 2.0
    """
    def fcn(p: lmfit.Parameters) -> np.ndarray:
        return resid({k: p[k].value for k in p})

    best, best_params = None, None
    for start in starts:  # multistart: the ATS and Fe3+ Schottky terms can trade places
        params = make_parameters(names, start, fixed, logs, free_sign)
        x0 = np.array([params[lmfit_name(n, logs)].value for n in names])
        scale = np.maximum(np.abs(x0), 1e-3 * max(float(np.max(np.abs(x0))), 1e-12))  # as each start's sizes
        res = lmfit.minimize(fcn, params, method="least_squares", scale_covar=not absolute, x_scale=scale)
        if best is None or res.chisqr < best.chisqr:
            best, best_params = res, params
    return _result(best, fcn, best_params, names, fixed, logs, t, y, s, absolute, spec, extra or {})


def _result(res, fcn, start_params, names, fixed, logs, t, y, s, absolute, spec, extra) -> FitResult:
    r = np.asarray(res.residual, dtype=float)
    k = len(names)
    chi2 = float(r @ r)
    redchi = chi2 / max(r.size - k, 1)
    # lmfit leaves no Jacobian when the fit stops at its evaluation limit: then the errors are unknown (nan)
    jac = np.asarray(getattr(res, "jac", np.zeros((r.size, 0))), dtype=float).reshape(r.size, -1)
    rank = int(np.linalg.matrix_rank(jac)) if jac.size else 0
    cov = (np.linalg.pinv(jac.T @ jac) * (1.0 if absolute else redchi) if jac.shape[1] == k
           else np.full((k, k), np.nan))
    vals = np.array([res.params[n].value for n in names])
    scale = np.array([v if _is_log(n, logs) else 1.0 for n, v in zip(names, vals)])
    cov = cov * np.outer(scale, scale)  # delta method: errors of the values of log-fitted parameters
    params = {n: float(v) for n, v in zip(names, vals)}
    stderr = {n: float(math.sqrt(max(cov[i, i], 0.0))) if np.isfinite(cov[i, i]) else math.nan
              for i, n in enumerate(names)}
    message = str(res.message)
    if jac.shape[1] != k:
        message = f"{message}; no Jacobian (the fit stopped before converging): the standard errors are unknown"
    elif rank < k:
        message = (f"{message}; the Jacobian has rank {rank} < {k} fitted parameters: some are not "
                   f"determined by the data (their standard errors are meaningless); fix some or add data")
    for n, v in fixed.items():  # reported too, with zero standard error
        params[n], stderr[n] = float(v), 0.0
    n_data = r.size
    aic = n_data * math.log(max(chi2, 1e-300) / n_data) + 2 * k
    bic = n_data * math.log(max(chi2, 1e-300) / n_data) + math.log(n_data) * k
    spec = {**spec, "weights": "sigma" if absolute else "relative"}  # relative: sigma holds |y|, not errors
    out = FitResult(params, stderr, cov, list(names), r, chi2, redchi, t, y, s, model_of(spec, params),
                    bool(res.success) and rank == k, message, extra, [n for n in names if _is_log(n, logs)],
                    sorted(fixed), spec, aic=aic, bic=bic)
    out.attach_lmfit(res, lmfit.Minimizer(fcn, res.params, scale_covar=not absolute), start_params)
    return out
