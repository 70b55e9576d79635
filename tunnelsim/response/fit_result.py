"""The result of a glass-response fit: values, errors, a report, intervals, AIC/BIC, a band, a plot, a file.

:class:`FitResult` is returned by :func:`tunnelsim.fit_heat_capacity`, :func:`tunnelsim.fit_heat_capacity_global`
and :func:`tunnelsim.fit_dielectric` (docs/theory.md secs. 5-6, docs/response.md "Fits"). Confidence
intervals are Wald intervals in the parametrisation the fit used: scale parameters (D_min, delta_fe,
Delta0min, K, K*) were fitted as logarithms, so their intervals are value * exp(+-z sigma_ln), asymmetric and
positive; amplitudes are value +- z sigma, cut at their bound 0. ``conf_interval(method="profile")`` runs
lmfit's profile-likelihood intervals instead (a fresh fit only). ``report()`` adds the correlations, AIC and
BIC (lmfit's definitions: n ln(chi^2/n) + 2k and n ln(chi^2/n) + k ln n; the lower, the better the model for
the same data); ``fit_report()`` is lmfit's own report of the fit. ``eval_uncertainty(T)`` is the
delta-method confidence band of the model (lmfit's ``ModelResult.eval_uncertainty``), drawn by ``plot()``.
``save`` writes JSON atomically and ``FitResult.load`` reads it back (checked) with the model rebuilt.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.stats import norm

from tunnelsim.files import atomic_write, read_text_checked, write_text_atomic
from tunnelsim.response.dielectric import dielectric_total
from tunnelsim.response.heat_capacity import heat_capacity
from tunnelsim.validation import as_real_scalar, check_bool, check_range

__all__ = ["FitResult", "model_of"]

_FORMAT = "tunnelsim.FitResult/1"


def model_of(spec: dict, params: dict[str, float]) -> Callable[[np.ndarray], np.ndarray] | None:
    """The fitted model T (K) -> prediction, rebuilt from a fit's ``spec`` and its parameters.

    ``spec["kind"]``: "heat_capacity" (paper eq. 31, :func:`tunnelsim.heat_capacity`) or "dielectric"
    (offset + paper eqs. 8 and 14, :func:`tunnelsim.dielectric_total` at ``spec["frequency"]`` Hz); a
    global fit (several datasets) has no single model (None).

    Examples
    --------
    >>> import numpy as np
    >>> model = model_of({'kind': 'heat_capacity'}, {'c_debye': 1.0, 'c_2ls': 2.0})
    >>> print(np.round(model(np.array([1.0, 2.0])), 9))  # c_D T^3 + c_2LS T
    [ 3. 12.]
    """
    kind = spec.get("kind")
    if kind == "heat_capacity":
        return lambda tt: heat_capacity(tt, **params)
    if kind == "dielectric":
        rest = {k: v for k, v in params.items() if k != "offset"}
        return lambda tt: params["offset"] + dielectric_total(tt, spec["frequency"], **rest)
    return None


@dataclass
class FitResult:
    """Result of a fit of paper eq. 31 or of the dielectric constant (docs/theory.md secs. 5-6).

    Attributes
    ----------
    params, stderr : dict
        Best-fit values and one-sigma standard errors by name (fixed parameters: error 0).
    covariance : numpy.ndarray
        Covariance matrix of the fitted parameters, in the order of ``names``.
    names : list of str
        The fitted parameters.
    residuals : numpy.ndarray
        Weighted residuals (data - model)/sigma at the optimum.
    chi2, redchi : float
        Sum of squared weighted residuals; divided by (points - parameters).
    T, y, sigma : numpy.ndarray
        The data (temperatures in K; concatenated over datasets for global fits).
    model : callable or None
        model(T) -> prediction for single-dataset fits (None for global ones).
    success : bool
        The optimiser converged and every fitted parameter is identifiable (full-rank Jacobian).
    message : str
    extra : dict
        Fit-specific information (e.g. per-dataset parameters of a global fit).
    log_params : list of str
        The fitted parameters that were fitted as logarithms (scale parameters).
    fixed : list of str
        Parameters held fixed.
    spec : dict
        What was fitted (``kind``; for the dielectric constant ``frequency`` in Hz; ``weights``: "sigma" or
        "relative" when no sigma was given, sigma then holding |y|); rebuilds the model.
    aic, bic : float
        Akaike and Bayesian information criteria (lmfit's definitions; compare models on the same data).

    Examples
    --------
    >>> import numpy as np
    >>> from tunnelsim.response.fit_engine import run_fit
    >>> t = np.geomspace(0.05, 2.0, 20)
    >>> y, s = 2.0 * t, np.full(20, 0.01)
    >>> resid = lambda v: (y - v['c_2ls'] * t) / s
    >>> opts = dict(t=t, y=y, s=s, absolute=True, spec={'kind': 'heat_capacity'})
    >>> fit = run_fit(resid, ['c_2ls'], [{'c_2ls': 1.0}], {}, ['c_2ls'], **opts)
    >>> print(type(fit).__name__, round(fit.params['c_2ls'], 6), fit.names, round(fit.chi2, 9) + 0.0)
    FitResult 2.0 ['c_2ls'] 0.0
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
    log_params: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    spec: dict = field(default_factory=dict)
    aic: float = math.nan
    bic: float = math.nan

    def __post_init__(self) -> None:
        self._lmfit = None  # (MinimizerResult, Minimizer, start Parameters) of a fresh fit; not saved

    def __eq__(self, other: object) -> bool:
        """Value equality of everything :meth:`save` writes (arrays element by element, NaN equal to NaN)."""
        if not isinstance(other, FitResult):
            return NotImplemented
        a, b = self.as_dict(), other.as_dict()
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)

    __hash__ = None  # mutable, compared by value

    def __getstate__(self) -> dict:  # closures (the model, lmfit's residual) do not pickle: rebuilt or dropped
        state = dict(self.__dict__)
        state["_lmfit"], state["model"] = None, None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.model = model_of(self.spec, self.params)

    def attach_lmfit(self, result, minimizer, params) -> None:
        """Keep lmfit's MinimizerResult and Minimizer (:meth:`fit_report`, profile intervals)."""
        self._lmfit = (result, minimizer, params)

    @property
    def lmfit_result(self):
        """lmfit's ``MinimizerResult`` of the fit (None for a result read from a file)."""
        return None if self._lmfit is None else self._lmfit[0]

    def __repr__(self) -> str:
        kind = self.spec.get("kind", "fit")
        return (f"FitResult({kind}: {len(self.names)} fitted parameters ({', '.join(self.names)[:120]}), "
                f"{self.T.size} points, reduced chi^2 {self.redchi:.4g}, AIC {self.aic:.4g}, "
                f"success {self.success})")

    def correlations(self) -> dict[tuple[str, str], float]:
        """Correlation coefficients between the fitted parameters, {(a, b): r} for a before b in ``names``."""
        cov = np.asarray(self.covariance, dtype=float)
        d = np.sqrt(np.clip(np.diag(cov), 0, None))
        out = {}
        for i, a in enumerate(self.names):
            for j in range(i + 1, len(self.names)):
                den = d[i] * d[j]
                out[(a, self.names[j])] = float(cov[i, j] / den) if den > 0 else math.nan
        return out

    def fit_report(self, min_correl: float = 0.1) -> str:
        """lmfit's report of the fit (variables, statistics, correlations above ``min_correl``).

        A result read from a file has no lmfit object: :meth:`report` is returned instead.
        """
        if self._lmfit is None:
            return self.report()
        import lmfit

        return lmfit.fit_report(self._lmfit[0], min_correl=float(as_real_scalar(min_correl, "min_correl")))

    def eval_uncertainty(self, T, level: float = 0.95) -> np.ndarray:
        """Half-width of the confidence band of the model at temperatures ``T`` (K), at ``level``.

        Delta method, as lmfit's ``ModelResult.eval_uncertainty``: z * sqrt(g^T C g), g the gradient of the
        model with respect to the fitted parameters (central differences), C the covariance.
        """
        from tunnelsim.validation import as_real_array

        if self.model is None:
            raise ValueError("FitResult.eval_uncertainty: a global fit has no single model; fit one dataset")
        tt = np.atleast_1d(as_real_array(T, "T"))
        lv = float(check_range(as_real_scalar(level, "level"), "level", 0.0, 1.0, lo_open=True, hi_open=True))
        grads = []
        for name in self.names:
            v = self.params[name]
            h = 1e-4 * max(abs(v), self.stderr.get(name, 0.0), 1e-12)
            up, down = dict(self.params), dict(self.params)
            up[name], down[name] = v + h, (v - h if (v - h > 0 or name == "offset") else v)
            step = (up[name] - down[name]) or h
            grads.append((model_of(self.spec, up)(tt) - model_of(self.spec, down)(tt)) / step)
        g = np.array(grads)
        var = np.einsum("it,ij,jt->t", g, np.asarray(self.covariance, dtype=float), g)
        return float(norm.ppf(0.5 + 0.5 * lv)) * np.sqrt(np.clip(var, 0, None))

    def conf_interval(self, level: float = 0.95, method: str = "wald") -> dict[str, tuple[float, float]]:
        """Confidence intervals at ``level`` (in (0, 1)), by parameter name.

        ``method="wald"`` (default, any result): from the standard errors, as below. ``method="profile"``:
        lmfit's ``conf_interval`` (profile likelihood by F-test; a fresh fit only; slower).

        Log-fitted scale parameters: value * exp(+-z stderr/value) (the delta method run backwards, so the
        interval is that of ln value); amplitudes: value +- z stderr, with the lower end cut at 0 (their
        bound). Fixed parameters: (value, value). Units those of the parameters.
        """
        lv = float(check_range(as_real_scalar(level, "level"), "level", 0.0, 1.0, lo_open=True, hi_open=True))
        from tunnelsim.validation import check_choice

        if check_choice(method, "method", ("wald", "profile")) == "profile":
            return self._profile_interval(lv)
        z = float(norm.ppf(0.5 + 0.5 * lv))
        out = {}
        for name, value in self.params.items():
            err = self.stderr.get(name, 0.0)
            if name in self.log_params and value > 0:
                f = math.exp(min(z * err / value, 700.0))
                out[name] = (value / f, value * f)
            else:
                lo = value - z * err
                out[name] = (max(lo, 0.0) if name != "offset" and value >= 0 else lo, value + z * err)
        return out

    def _profile_interval(self, level: float) -> dict[str, tuple[float, float]]:
        """lmfit.conf_interval on the varying lmfit parameters (ln_<name> mapped back by exp)."""
        import lmfit

        if self._lmfit is None:
            raise ValueError("FitResult.conf_interval(method='profile') needs the fit itself (lmfit's minimizer), "
                             "not a result read from a file; use method='wald'")
        result, minimizer, _ = self._lmfit
        varying = [f"ln_{n}" if n in self.log_params else n for n in self.names]
        ci = lmfit.conf_interval(minimizer, result, p_names=varying, sigmas=[level])
        out = {}
        for name, lname in zip(self.names, varying):
            rows = ci[lname]
            lo, hi = rows[0][1], rows[-1][1]
            out[name] = (math.exp(lo), math.exp(hi)) if lname != name else (float(lo), float(hi))
        out.update({n: (self.params[n], self.params[n]) for n in self.fixed})
        return out

    def report(self, level: float = 0.95) -> str:
        """A plain-text report: one line per parameter (value, standard error, interval at ``level``), the fit
        statistics and the optimiser's message."""
        ci = self.conf_interval(level)
        width = max([len(n) for n in self.params] + [9])
        pct = f"{100 * level:g}%"
        lines = [f"{'parameter':<{width}}  {'value':>12}  {'stderr':>10}  {pct + ' interval':>27}"]
        for name, value in self.params.items():
            tag = "  (fixed)" if name in self.fixed else ("  (fitted as ln)" if name in self.log_params else "")
            lo, hi = ci[name]
            lines.append(f"{name:<{width}}  {value:>12.6g}  {self.stderr[name]:>10.3g}  "
                         f"[{lo:>11.5g}, {hi:>11.5g}]{tag}")
        n, k = self.T.size, len(self.names)
        lines.append(f"points {n}, fitted parameters {k}, chi^2 {self.chi2:.4g}, reduced chi^2 {self.redchi:.4g}")
        lines.append(f"AIC {self.aic:.6g}, BIC {self.bic:.6g} (lower is better, same data)")
        strong = [(a, b, r) for (a, b), r in self.correlations().items() if abs(r) >= 0.1]
        if strong:
            lines.append("correlations (|r| >= 0.1):")
            lines += [f"  ({a}, {b}) = {r:+.3f}" for a, b, r in sorted(strong, key=lambda x: -abs(x[2]))]
        lines.append(f"success {self.success}: {self.message}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()

    def plot(self, ax=None, path=None, *, ylabel: str = "C", logy: bool = True, band: float | None = 0.95):
        """Data with error bars, the model with its confidence band, and the weighted residuals.

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
        band : float or None
            Confidence level of the shaded band (:meth:`eval_uncertainty`); None: no band.

        Returns
        -------
        (matplotlib.figure.Figure, matplotlib.axes.Axes)
            The figure and the data axes.
        """
        import matplotlib.pyplot as plt

        check_bool(logy, "logy")
        if not isinstance(ylabel, str):
            raise TypeError(f"ylabel must be a string, got {type(ylabel).__name__}")
        if ax is None:
            fig, (ax, axr) = plt.subplots(2, 1, figsize=(6, 5), sharex=True, gridspec_kw={"height_ratios": [3, 1]},
                                          layout="constrained")
        else:
            fig, axr = ax.figure, None
        relative = self.spec.get("weights") == "relative"  # no sigma given: the weights |y| are not error bars
        ax.errorbar(self.T, self.y, yerr=None if relative else self.sigma, fmt="o", ms=3, label="data")
        if self.model is not None:
            tt = np.geomspace(self.T.min(), self.T.max(), 300)
            line = ax.plot(tt, self.model(tt), "-", label="fit")[0]
            if band is not None:
                half = self.eval_uncertainty(tt, band)
                ax.fill_between(tt, self.model(tt) - half, self.model(tt) + half, color=line.get_color(), alpha=0.25,
                                lw=0, label=f"{100 * band:g}% confidence band")
        ax.set_xscale("log")
        if logy and np.all(self.y > 0):
            ax.set_yscale("log")
        ax.set_ylabel(ylabel)
        ax.legend()
        if axr is not None:
            axr.plot(self.T, self.residuals, "o", ms=3)
            axr.axhline(0, color="k", lw=0.5)
            axr.set_xlabel("T (K)")
            axr.set_ylabel("relative residual" if relative else "residual / sigma")
        else:
            ax.set_xlabel("T (K)")
        if path is not None:
            with atomic_write(path, "wb") as fh:
                fig.savefig(fh, format="png", dpi=120, bbox_inches="tight")
        return fig, ax

    def as_dict(self) -> dict:
        """Plain JSON-able data (arrays as lists); the model is rebuilt from ``spec`` on load."""
        return {"format": _FORMAT, "params": self.params, "stderr": self.stderr,
                "covariance": np.asarray(self.covariance).tolist(), "names": self.names,
                "residuals": self.residuals.tolist(), "chi2": self.chi2, "redchi": self.redchi,
                "T": self.T.tolist(), "y": self.y.tolist(), "sigma": self.sigma.tolist(), "success": self.success,
                "message": self.message, "extra": self.extra, "log_params": self.log_params,
                "fixed": self.fixed, "spec": self.spec, "aic": self.aic, "bic": self.bic}

    def save(self, path: str | os.PathLike) -> Path:
        """Write the result as JSON, atomically (:func:`tunnelsim.files.write_text_atomic`); returns the path."""
        return write_text_atomic(path, json.dumps(self.as_dict(), indent=1) + "\n")

    @classmethod
    def load(cls, path: str | os.PathLike) -> FitResult:
        """Read a result written by :meth:`save` (the model is rebuilt from its ``spec``)."""
        try:
            data = json.loads(read_text_checked(path, "path", max_bytes=256 * 2**20))
        except (json.JSONDecodeError, RecursionError) as exc:  # damaged, or nested beyond any real fit file
            why = getattr(exc, "msg", "nested too deeply")
            raise ValueError(f"path {str(path)!r} is not a {_FORMAT} file (not JSON: {why})") from None
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ValueError(f"path {str(path)!r} is not a {_FORMAT} file")
        data.pop("format")
        return cls(model=model_of(data.get("spec", {}), data.get("params", {})), **_checked(data, path))


def _same(a, b) -> bool:
    """Equal JSON-like values, floats and lists of floats compared exactly with NaN equal to NaN."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def _checked(data: dict, path) -> dict:
    """The fields of a saved FitResult, checked: types, equal lengths of T, y, sigma, residuals, a k x k covariance."""
    where = f"FitResult.load({str(path)!r})"
    known = {"params", "stderr", "covariance", "names", "residuals", "chi2", "redchi", "T", "y", "sigma", "success",
             "message", "extra", "log_params", "fixed", "spec", "aic", "bic"}
    missing = sorted(known - {"aic", "bic"} - set(data))
    if missing or set(data) - known:
        raise ValueError(f"{where}: missing fields {missing} or unknown fields {sorted(set(data) - known)}")
    try:
        for key in ("covariance", "residuals", "T", "y", "sigma"):
            data[key] = np.asarray(data[key], dtype=float)
        for key in ("chi2", "redchi", "aic", "bic"):
            data[key] = float(data.get(key, math.nan))
        ok = all(isinstance(data[k], dict) for k in ("params", "stderr", "extra", "spec"))
        ok = ok and all(isinstance(data[k], list) for k in ("names", "log_params", "fixed"))
        ok = ok and isinstance(data["success"], bool) and isinstance(data["message"], str)
        ok = ok and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in data["params"].values())
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"{where}: a field has the wrong type (numbers, lists and dicts as FitResult.save writes)")
    n, k = data["T"].shape, len(data["names"])
    if data["T"].ndim != 1 or any(data[key].shape != n for key in ("y", "sigma", "residuals")):
        raise ValueError(f"{where}: T, y, sigma and residuals must be 1-D of one length, got shapes "
                         f"{[data[key].shape for key in ('T', 'y', 'sigma', 'residuals')]}")
    if data["covariance"].shape != (k, k) or any(name not in data["params"] for name in data["names"]):
        raise ValueError(f"{where}: the covariance must be {k} x {k} and params must hold every fitted name")
    if math.isnan(data["aic"]) and data["T"].size:  # files from before AIC/BIC were stored
        m = data["T"].size
        base = m * math.log(max(data["chi2"], 1e-300) / m)
        data["aic"], data["bic"] = base + 2 * k, base + math.log(m) * k
    return data
