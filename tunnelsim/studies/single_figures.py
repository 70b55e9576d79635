"""Figures of the single-system study: where the effective doublets hold, where the 4LS doublet ends.

Each function returns ``(fig, axes)``; the study saves them with
:func:`tunnelsim.studies.figures.save_figure`.
"""

from __future__ import annotations

import numpy as np

from tunnelsim.single.effective import four_level_doublet_threshold

__all__ = ["figure_effective_gap_error", "figure_threshold"]


def _shade_regime(ax, e_max: float, label: str) -> None:
    ax.axvspan(ax.get_xlim()[0], e_max, color="0.9", zorder=0, label=label)


def figure_effective_gap_error(rows, ats_bounds, four_bounds):
    """Relative error of the effective-2LS gaps versus the well-energy scale, one panel per system.

    ``rows``: dicts with system, E_scale (max|E_i| in units of the hopping), phi, relative_error. The grey
    band is the paper's regime in |E| (the graded rows also bound phi, given in the legend).
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4.0), sharey=True, gridspec_kw={"width_ratios": (5, 4)})
    panels = (("3LS", "3LS (ATS): eq. (1.6)", r"max$|E_i|\,/\,D_0$", ats_bounds),
              ("4LS d2/d1=2", "4LS, d2 = 2 d1, symmetrised: eq. (1.11)",
               r"well-energy scale $\varepsilon$:  E = $\varepsilon$ (1, -0.2, 0.5, -1.3) $d_1$", four_bounds))
    for ax, (system, title, xlabel, bounds) in zip(axes, panels):
        sel = [r for r in rows if r["system"] == system]
        phis = sorted({r["phi"] for r in sel})
        colors = plt.cm.viridis(np.linspace(0, 0.85, len(phis)))
        for phi, col in zip(phis, colors):
            pts = [r for r in sel if r["phi"] == phi]
            inside = phi <= bounds["phi"][1]
            ax.loglog([r["E_scale"] for r in pts], [max(r["relative_error"], 1e-17) for r in pts], marker="o",
                      ms=4, color=col, ls="-" if inside else "--",
                      label=rf"$\varphi$ = {phi:g} rad" + ("" if inside else " (beyond)"))
        key = "E_scale/D0" if "E_scale/D0" in bounds else "E_scale/d1"
        scales = [r["E_scale"] for r in sel]
        ax.set_xlim(min(scales) / 1.4, max(scales) * 1.4)
        _shade_regime(ax, bounds[key][1], "paper's regime in |E|")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(xlabel)
        ax.legend(fontsize=7, loc="upper left")
    axes[0].set_ylabel("relative error of the effective doublet gap")
    fig.suptitle("Where the effective two-level descriptions hold (exact gaps by diagonalisation)", fontsize=10)
    fig.tight_layout()
    return fig, axes


def figure_threshold(ratios):
    """phi* versus d2/d1: closed forms (lines) and roots of the level-crossing condition (markers).

    docs/theory.md eq. (1.12); the straight diagonal has no end for d2 >= sqrt(2) d1.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.0))
    r = np.linspace(1.0, max(ratios) * 1.02, 400)
    ax.plot(r, 2 * np.arcsin(1 - r**-2), color="C0", label=r"symmetrised: $2\arcsin(1 - (d_1/d_2)^2)$")
    rs = r[r < np.sqrt(2)]
    ax.plot(rs, 2 * np.arcsin(rs**2 - 1), color="C1", label=r"straight: $2\arcsin((d_2/d_1)^2 - 1)$")
    for diag, col, mk in (("symmetrised", "C0", "o"), ("straight", "C1", "s")):
        pts = [(x, four_level_doublet_threshold(1.0, x, diag)) for x in ratios]
        pts = [(x, y) for x, y in pts if np.isfinite(y)]
        ax.plot(*zip(*pts), ls="none", marker=mk, mfc="none", color=col, label=f"root found ({diag})")
    ax.axvline(np.sqrt(2), color="C1", ls=":", lw=1)
    ax.text(np.sqrt(2) * 1.02, 0.3, "straight: no end\nfor $d_2 \\geq \\sqrt{2}\\,d_1$", color="C1", fontsize=8)
    ax.plot([2.0], [2 * np.arcsin(0.75)], marker="*", ms=12, color="C3", ls="none",
            label=r"$d_2 = 2 d_1$: $\varphi^*$ = 2 arcsin(3/4) = 1.6961")
    ax.set_ylim(0, np.pi)
    ax.set_xlabel(r"$d_2 / d_1$")
    ax.set_ylabel(r"$\varphi^*$ (rad): end of the ground doublet")
    ax.set_title("4LS: flux up to which the k = 1, 3 doublet is the lowest pair (E = 0)", fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig, ax
