"""Figures of the single-system study: the limits the paper states, and where the 4LS doublet ends.

Each function returns ``(fig, axes)``; the study saves them with :func:`tunnelsim.studies.figures.save_figure`.
"""

from __future__ import annotations

import numpy as np

from tunnelsim.single.effective import four_level_doublet_threshold
from tunnelsim.studies.single.limits import EDGE, SMALL, LimitCase

__all__ = ["figure_limits", "figure_threshold"]

_MODES = {"E and phi": r"$E_i, \varphi \to 0$", "E only": r"$E_i \to 0$, $\varphi = 0$",
          "phi only": r"$\varphi \to 0$, $E_i = 0$"}


def _label(case: LimitCase) -> str:
    c = case.conditions
    if "limit" in c:
        shape = rf"$E \propto {c['E/(x D0)']}$" if c["E/(x D0)"] != "0" else ""
        return (shape + ", " if shape else "") + _MODES[c["limit"]]
    if c["d2/d1"] == 0:
        return r"$d_2 = 0$ (plain square)"
    return rf"$d_2/d_1 = {c['d2/d1']:g}$, {c['diagonal']}"


def _panel(ax, cases: list[LimitCase], trend, title: str, xlabel: str, ylabel: str) -> None:
    import matplotlib.pyplot as plt

    colors = plt.cm.viridis(np.linspace(0, 0.9, len(cases)))
    for case, col in zip(cases, colors):
        ax.loglog(case.x, case.deviation, marker="o", ms=3.5, lw=1.0, color=col, label=_label(case))
    xs = np.geomspace(min(SMALL), max(SMALL), 50)
    ax.loglog(xs, trend.intercept + trend.slope * xs, "k--", lw=1.4,
              label=rf"graded trend of the worst case, $a + b\,x$: $a = {trend.intercept:.1e}$, "
                    rf"$b = {trend.slope:.2f}$")
    x_all = cases[0].x
    ax.axvspan(EDGE * 1.15, max(x_all) * 1.5, color="0.9", zorder=0, label="beyond the paper's regime")
    ax.set_xlim(min(x_all) / 1.5, max(x_all) * 1.5)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), frameon=False)


def figure_limits(ats: list[LimitCase], ground: list[LimitCase], middle: list[LimitCase], trends):
    """The three limit claims: deviation from the limit law versus the small parameter x, every case.

    ``trends``: the graded :class:`~tunnelsim.studies.grading.Trend` of each claim (ATS, ground, middle).
    Energies: x sets max|E_i| in units of the hopping and phi in rad; levels from exact diagonalisation.
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(16, 7.4), layout="constrained")
    x3 = r"small parameter $x$: $\max_i|E_i| = x\,D_0$, $\varphi = x$ (rad)"
    x4 = r"small parameter $x$: $\max_i|E_i| = x\,d_1$, $\varphi = x$ (rad)"
    _panel(axes[0], ats, trends[0], "ATS (3LS), paper sec. 2: effective 2LS gap, eq. (1.6)", x3,
           r"relative error $|\Delta E_\mathrm{eff}/(E_1 - E_0) - 1|$")
    _panel(axes[1], ground, trends[1], r"4LS, $d_2 > d_1$ (appendix, Fig. 14 main): lowest pair", x4,
           r"$(E_1 - E_0)\,/\,(E_2 - E_1)$")
    _panel(axes[2], middle, trends[2], r"4LS, $d_2 < d_1$ (appendix, Fig. 14 inset): middle pair", x4,
           r"$(E_2 - E_1)\,/\,(E_1 - E_0)$")
    fig.suptitle("The paper's single-system limits on exact spectra: each deviation vanishes linearly as "
                 rf"$E_i, \varphi \to 0$ (graded: the trend over $x = {min(SMALL):g}$-${max(SMALL):g}$; "
                 rf"regime $x \leq {EDGE:g}$)", fontsize=11)
    return fig, axes


def figure_threshold(ratios):
    """phi* versus d2/d1: closed forms (lines) and roots of the level-crossing condition (markers).

    docs/theory.md eq. (1.12); the straight diagonal has no end for d2 >= sqrt(2) d1.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.6, 4.4), layout="constrained")
    r = np.linspace(1.0, max(ratios) * 1.02, 400)
    ax.plot(r, 2 * np.arcsin(1 - r**-2), color="C0", label=r"symmetrised: $2\arcsin(1 - (d_1/d_2)^2)$")
    rs = r[r < np.sqrt(2)]
    ax.plot(rs, 2 * np.arcsin(rs**2 - 1), color="C1", label=r"straight: $2\arcsin((d_2/d_1)^2 - 1)$")
    for diag, col, mk in (("symmetrised", "C0", "o"), ("straight", "C1", "s")):
        pts = [(x, four_level_doublet_threshold(1.0, x, diag)) for x in ratios]
        pts = [(x, y) for x, y in pts if np.isfinite(y)]
        ax.plot(*zip(*pts), ls="none", marker=mk, mfc="none", color=col, label=f"root of the level crossing ({diag})")
    ax.axvline(np.sqrt(2), color="C1", ls=":", lw=1)
    ax.text(np.sqrt(2) * 1.02, 0.3, "straight: no end\nfor $d_2 \\geq \\sqrt{2}\\,d_1$", color="C1", fontsize=9)
    ax.plot([2.0], [2 * np.arcsin(0.75)], marker="*", ms=12, color="C3", ls="none",
            label=r"$d_2 = 2 d_1$: $\varphi^* = 2\arcsin(3/4) = 1.6961$ rad")
    ax.set_ylim(0, np.pi)
    ax.set_xlabel(r"$d_2 / d_1$")
    ax.set_ylabel(r"$\varphi^*$ (rad): end of the ground doublet")
    ax.set_title(r"4LS, $E_i = 0$: flux up to which the $k = 1, 3$ doublet is the lowest pair", fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    return fig, ax
