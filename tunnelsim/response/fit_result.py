"""The result of a glass-response fit: values, errors, a text report, confidence intervals, a plot, a file.

:class:`FitResult` is returned by :func:`tunnelsim.fit_heat_capacity`, :func:`tunnelsim.fit_heat_capacity_global`
and :func:`tunnelsim.fit_dielectric` (docs/theory.md secs. 5-6, docs/response.md "Fits"). Confidence
intervals are Wald intervals in the parametrisation the fit used: scale parameters (D_min, delta_fe,
Delta0min, K, K*) were fitted as logarithms, so their intervals are value * exp(+-z sigma_ln), asymmetric and
positive; amplitudes are value +- z sigma, cut at their bound 0. ``save`` writes JSON atomically and
``FitResult.load`` reads it back with the model rebuilt.
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

from tunnelsim.files import atomic_write, write_text_atomic
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
        What was fitted (``kind`` and, for the dielectric constant, ``frequency`` in Hz); rebuilds the model.
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

    def conf_interval(self, level: float = 0.95) -> dict[str, tuple[float, float]]:
        """Wald confidence intervals at ``level`` (in (0, 1)), by parameter name.

        Log-fitted scale parameters: value * exp(+-z stderr/value) (the delta method run backwards, so the
        interval is that of ln value); amplitudes: value +- z stderr, with the lower end cut at 0 (their
        bound). Fixed parameters: (value, value). Units those of the parameters.
        """
        lv = float(check_range(as_real_scalar(level, "level"), "level", 0.0, 1.0, lo_open=True, hi_open=True))
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
        lines.append(f"success {self.success}: {self.message}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()

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

        check_bool(logy, "logy")
        if not isinstance(ylabel, str):
            raise TypeError(f"ylabel must be a string, got {type(ylabel).__name__}")
        if ax is None:
            fig, (ax, axr) = plt.subplots(2, 1, figsize=(6, 5), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
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

    def as_dict(self) -> dict:
        """Plain JSON-able data (arrays as lists); the model is rebuilt from ``spec`` on load."""
        return {"format": _FORMAT, "params": self.params, "stderr": self.stderr,
                "covariance": np.asarray(self.covariance).tolist(), "names": self.names,
                "residuals": self.residuals.tolist(), "chi2": self.chi2, "redchi": self.redchi,
                "T": self.T.tolist(), "y": self.y.tolist(), "sigma": self.sigma.tolist(), "success": self.success,
                "message": self.message, "extra": self.extra, "log_params": self.log_params,
                "fixed": self.fixed, "spec": self.spec}

    def save(self, path: str | os.PathLike) -> Path:
        """Write the result as JSON, atomically (:func:`tunnelsim.files.write_text_atomic`); returns the path."""
        return write_text_atomic(path, json.dumps(self.as_dict(), indent=1) + "\n")

    @classmethod
    def load(cls, path: str | os.PathLike) -> FitResult:
        """Read a result written by :meth:`save` (the model is rebuilt from its ``spec``)."""
        data = json.loads(Path(path).read_text())
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ValueError(f"path {str(path)!r} is not a {_FORMAT} file")
        data.pop("format")
        for key in ("covariance", "residuals", "T", "y", "sigma"):
            data[key] = np.asarray(data[key], dtype=float)
        return cls(model=model_of(data["spec"], data["params"]), **data)
