"""The estimate returned by every estimator of the package: the floor's Estimate with a plot (docs sec. 5)."""

from __future__ import annotations

import numpy as np

from tunnelsim import stats

__all__ = ["Estimate"]


class Estimate(stats.Estimate):
    """:class:`tunnelsim.stats.Estimate` with the lattice-specific :meth:`plot`.

    How the estimators of docs/fractal_clustering.md sec. 5 report a threshold or exponent (dimensionless).

    Attributes
    ----------
    name, value, stat, sys, reference, data, fit
        As in :class:`tunnelsim.stats.Estimate`; ``stderr`` = sqrt(stat^2 + sys^2). ``data`` holds
        'curves' (p_c: {L: (p, R(p))}) or 'x', 'y', 'yerr' (power-law fits); ``fit['model']`` is
        the fitted curve.

    Examples
    --------
    >>> from tunnelsim.stats import Reference
    >>> est = Estimate('p_c', 0.5930, stat=0.0008, sys=0.0006, reference=Reference(0.5927460507921, 2e-14, 'Jacobsen'))
    >>> print(round(est.stderr, 6), round(est.deviation(), 6))  # sqrt(stat^2 + sys^2); |value - ref| / ref
    0.001 0.000428
    """

    def plot(self, ax=None):
        """Plot the data and the fit (log-log for exponents, R(p) curves for p_c); returns ``(fig, ax)``."""
        import matplotlib.pyplot as plt
        from matplotlib.ticker import NullFormatter

        if ax is None:
            _, ax = plt.subplots(figsize=(5, 4), layout="constrained")
        if "curves" in self.data:  # threshold
            for L, (p, r) in self.data["curves"].items():
                ax.plot(p, r, label=self.data.get("curve_label", "L = {}").format(L))
            ax.axvline(self.value, color="k", lw=0.8, ls="--",  # the estimate
                       label=f"estimate p_c = {self.value:.4f} ± {self.stderr:.4f}")
            if self.reference is not None:
                ax.axvline(self.reference.value, color="r", lw=0.8, ls=":",
                           label=f"literature p_c = {self.reference.value:.4f}")
            if self.fit.get("target") is not None:
                ax.axhline(self.fit["target"], color="0.5", lw=0.8, ls="-.",
                           label=f"universal R at p_c = {self.fit['target']:.4f}")
            ax.set_xlabel("occupation probability p")
            event = {"either": "along either axis", "both": "along every axis"}.get(self.fit.get("which", "either"), "")
            ax.set_ylabel(self.data.get("ylabel", f"wrapping probability R(p) {event}"))
        else:
            x, y, e = (np.asarray(self.data[k]) for k in ("x", "y", "yerr"))
            bars = ax.errorbar(x, y, yerr=e, fmt="o", ms=4, label=f"{self.name}: simulation")
            xx = np.geomspace(x.min(), x.max(), 100)
            ax.plot(xx, self.fit["model"](xx), "-", color=bars[0].get_color(),  # the fit in its data's colour
                    label=f"fit: {self.name} = {self.value:.3f} ± {self.stderr:.3f}")
            if self.reference is not None:
                ax.plot([], [], " ", label=f"literature {self.name} = {self.reference.value:.4f}")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.xaxis.set_minor_formatter(NullFormatter())
            ax.set_xticks(x)
            ax.set_xticklabels([f"{v:.3g}" for v in x])
            ax.set_xlabel(self.data.get("xlabel", "L (lattice units)"))
            ax.set_ylabel(self.data.get("ylabel", ""))
        ax.legend(fontsize=8)
        return ax.figure, ax
