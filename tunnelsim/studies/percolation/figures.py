"""Figures of the percolation study: a cluster with its hull, wrapping probabilities, exponent fits, alpha.

Every figure uses constrained layout, mathtext labels and legends of at least 8 pt; the alpha figure
shows the interface ratios near x_c (2D, 3D), the local exponents with their trend towards x_c (how the
limit claims are graded) and eq. 20 against the hull-site density (a finding beyond the paper).
"""

from __future__ import annotations

import pathlib

import matplotlib.pyplot as plt
import numpy as np

from lattices import Estimate, external_perimeter_sites, hull_sites, label_sites, largest_cluster
from tunnelsim.studies.figures import save_figure

from .settings import NEAR, SEED, SQUARE, nf_top

__all__ = ["FIG_WRAP", "FIG_FITS", "FIG_ALPHA", "FIG_HULL", "fig_cluster", "fig_wrapping", "fig_fits", "fig_alpha"]

FIG_WRAP, FIG_FITS, FIG_ALPHA, FIG_HULL = ("lattices_wrapping_probability.png", "lattices_fractal_fits.png",
                                           "lattices_alpha_comparison.png", "lattices_cluster_hull.png")
LEGEND = 8.5
DX = "$x_c - x$ (NM concentration below the threshold $x_c$)"


def fig_cluster(out: pathlib.Path, size: int) -> None:
    """The largest cluster of a square box at p_c with its hull and accessible perimeter (FIG_HULL)."""
    rng = np.random.default_rng(SEED)
    occ = rng.random((size, size)) < SQUARE.pc_site.value
    labels, _ = label_sites(occ, SQUARE)
    big = largest_cluster(labels)
    hull, ext = hull_sites(big, SQUARE), external_perimeter_sites(big, SQUARE)
    img = np.ones((size, size, 3))
    for mask, colour in ((occ, (0.85, 0.85, 0.85)), (big, (0.35, 0.45, 0.75)), (hull, (0.95, 0.45, 0.1)),
                         (ext, (0.75, 0.0, 0.0))):
        img[mask] = colour
    fig, ax = plt.subplots(figsize=(6, 6.4), layout="constrained")
    ax.imshow(img, interpolation="nearest", origin="lower")
    ax.set_title(f"square site percolation at $p_c$, $L = {size}$; other clusters grey\nlargest cluster (blue, "
                 f"{big.sum()} sites); hull (orange + red, {hull.sum()} sites)\naccessible perimeter (red, "
                 f"{ext.sum()} sites)", fontsize=9.5)
    ax.set_xlabel("$x$ (lattice units)")
    ax.set_ylabel("$y$ (lattice units)")
    save_figure(fig, out / FIG_HULL)


def fig_wrapping(out: pathlib.Path, est: dict) -> None:
    """Wrapping probabilities R(p) and the p_c estimates, square and simple cubic (FIG_WRAP)."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), layout="constrained")
    for ax, key, title in ((axes[0], "pc_sq", "square lattice, site, periodic $L \\times L$"),
                           (axes[1], "pc_sc", "simple cubic, site, periodic $L^3$")):
        est[key].plot(ax)
        ax.set_title(title)
        ax.legend(fontsize=LEGEND)
    save_figure(fig, out / FIG_WRAP)


def fig_fits(out: pathlib.Path, est: dict) -> None:
    """Finite-size-scaling fits of D, D_H, D_EP (2D), D (3D) and nu (2D) (FIG_FITS)."""
    fig, axes = plt.subplots(2, 2, figsize=(10, 8.4), layout="constrained")
    est["d2"].plot(axes[0, 0])
    axes[0, 0].set_title("2D mass of the largest cluster at $p_c$ (periodic)")
    for key in ("dh", "dep"):
        est[key].plot(axes[0, 1])
    axes[0, 1].set_title("2D hull and accessible perimeter (open boxes)")
    axes[0, 1].set_ylabel("hull / accessible perimeter of the largest cluster (sites)")
    est["d3"].plot(axes[1, 0])
    axes[1, 0].set_title("3D (simple cubic) mass at $p_c$ (periodic)")
    est["nu2"].plot(axes[1, 1])
    axes[1, 1].set_title("2D wrapping slope $dR/dp$ at $p_c \\sim L^{1/\\nu}$")
    for ax in axes.flat:
        ax.legend(fontsize=LEGEND)
    save_figure(fig, out / FIG_FITS)


_WORDS = {"hull": "hull", "external_perimeter": "acc. perimeter", "perimeter": "all perimeter"}
_HEURISTIC = {(2, "hull"): "7/36", (2, "external_perimeter"): "3/4", (2, "perimeter"): "0"}


def _series(ax, est: Estimate, label: str, marker: str, colour: str) -> None:
    """Data with error bars and, in the same colour, one power law over the window (shown, not graded)."""
    x, y, e = est.data["x"], est.data["y"], est.data["yerr"]
    ax.errorbar(x, y, yerr=e, fmt=marker, ms=4, color=colour, label=label)
    xx = np.geomspace(x.min(), x.max(), 50)
    ax.plot(xx, est.fit["model"](xx), "-", lw=0.9, color=colour)


def _panel_2d(ax, fits: dict) -> None:
    for i, (d, norm) in enumerate((("hull", "nm"), ("hull", "perimeter"), ("external_perimeter", "nm"),
                                   ("external_perimeter", "perimeter"), ("perimeter", "nm"))):
        est = fits[(2, d, "largest", norm)]
        per = "NM" if norm == "nm" else "perim."
        tag = " (control)" if d == "perimeter" else ""
        _series(ax, est, f"{_WORDS[d]} / {per} site{tag}: {est.value:.2f} ± {est.stderr:.2f} "
                         f"[{_HEURISTIC[(2, d)]}]", "osv^D"[i], f"C{(0, 1, 2, 3, 7)[i]}")
    ax.set_title("(a) 2D square lattice, largest NM cluster", fontsize=10.5)
    ax.legend(fontsize=LEGEND, title="one power law over the window [heuristic α]", title_fontsize=LEGEND)


def _panel_3d(ax, fits: dict, tabs: dict) -> None:
    est = fits[(3, "hull", "largest", "nm")]
    _series(ax, est, f"hull (= all perimeter) / NM site: {est.value:.2f} ± {est.stderr:.2f} [0]", "o", "C0")
    tab = tabs[3]
    dx = tab.lattice.pc_site.value - tab.x
    keep = (dx > 0) & (dx <= NEAR + 1e-12)
    for key, marker, colour, text in (("hull", "s", "C1", "hull / perim. site"),
                                      ("external_perimeter", "v", "C3", "acc. perimeter / perim. site")):
        r, _ = tab.ratio(f"{key}_largest", "perimeter_largest")
        ax.plot(dx[keep], r[keep], marker, color=colour, ms=4,
                label=f"{text}: {np.min(r[keep]):.4f}..{np.max(r[keep]):.4f} (identity)")
    ax.set_title("(b) 3D simple cubic, largest NM cluster", fontsize=10.5)
    ax.legend(fontsize=LEGEND, title="one power law over the window [heuristic α]", title_fontsize=LEGEND)


def _panel_trends(ax, alpha: dict) -> None:
    """Local exponents between pairs of neighbouring x, their linear trend and its extrapolation to x_c."""
    series = (((2, "hull", "nm"), "2D hull / NM site", "o", "C0"), ((2, "hull", "perimeter"),
              "2D hull / perim. site", "s", "C1"), ((2, "perimeter", "nm"), "2D all perimeter / NM (control)", "D",
              "C7"), ((3, "hull", "nm"), "3D hull / NM site", "^", "C2"))
    for k, (key, text, marker, colour) in enumerate(series):
        trend, sigma = alpha["trends"][key]
        x = np.asarray(trend.x) * (1 + 0.03 * (k - 1.5))  # a small offset keeps the error bars apart
        ax.errorbar(x, trend.y, yerr=sigma, fmt=marker, ms=4, color=colour, capsize=2,
                    label=f"{text}: → {trend.intercept:.2f} ± {trend.intercept_err:.2f}")
        xx = np.linspace(0, max(trend.x) * 1.05, 20)
        ax.plot(xx, trend.intercept + trend.slope * xx, "-", lw=0.9, color=colour)
        ax.errorbar([0.0], [trend.intercept], yerr=[trend.intercept_err], fmt=marker, mfc="white", color=colour,
                    capsize=3)
    ax.axhline(7 / 36, color="k", ls="--", lw=0.9, label="heuristic 2D hull: 7/36")
    ax.axhline(0.0, color="k", ls=":", lw=0.9, label="heuristic 3D hull, control: 0")
    ax.set_xlim(-0.004, None)
    ax.set_xlabel(DX)
    ax.set_ylabel("local exponent $d\\ln r / d\\ln(x_c - x)$")
    ax.set_title("(c) local exponents and their trend to $x \\to x_c$ (graded)", fontsize=10.5)
    ax.legend(fontsize=LEGEND)


def _panel_composition(ax, tabs: dict, comp: dict) -> None:
    top = nf_top(SQUARE)
    ax.axvspan(top, tabs[2].x.max() + 0.02, color="0.9", zorder=0, label=f"2D: $x > 1 - p_c$ = {top:.3f}")
    for (dim, tab), mk, colour in zip(tabs.items(), ("o", "s"), ("C0", "C1")):
        dens, err = tab.per_site("hull", "all")
        ax.errorbar(tab.x, dens, yerr=err, fmt=mk, ms=4, color=colour, label=f"{dim}D hull sites per lattice site")
        for regime, ls in ((True, "-"), (False, "--")):
            f = comp[(dim, regime)]
            if not regime and f["x"].max() <= nf_top(tab.lattice):
                continue  # every x is in the regime: one fit only
            xx = np.linspace(f["x"].min(), f["x"].max(), 100)
            ax.plot(xx, f["model"](xx), ls, color=colour,
                    label=f"{dim}D eq. 20, $x \\leq$ {f['x'].max():.2f}: α = {f['alpha']:.2f}, "
                          f"misfit {100 * f['misfit_rms']:.0f} %")
    ax.set_xlabel("NM concentration $x$")
    ax.set_ylabel("interface (hull) sites per lattice site")
    ax.set_title("(d) eq. 20, $P_0(1 - x) + P_1 x^\\alpha$, against the hull density (finding)", fontsize=10.5)
    ax.legend(fontsize=LEGEND)


def fig_alpha(out: pathlib.Path, tabs: dict, alpha: dict) -> None:
    """Interface ratios near x_c, local exponents with their trend, eq. 20 (FIG_ALPHA, module docstring)."""
    fig, axes = plt.subplots(2, 2, figsize=(13, 10.5), layout="constrained")
    _panel_2d(axes[0, 0], alpha["fits"])
    _panel_3d(axes[0, 1], alpha["fits"], tabs)
    for ax in axes[0]:
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(DX)
        ax.set_ylabel("interface sites per NM (or perimeter) site")
    _panel_trends(axes[1, 0], alpha)
    _panel_composition(axes[1, 1], tabs, alpha["comp"])
    save_figure(fig, out / FIG_ALPHA)
