"""Figures of the cluster-ensemble study: every histogram with Poisson error bars, C(T) with its error band.

u values below the float64 resolution are bounds: they are counted in the legend and the shaded band,
never drawn as a distribution. Constrained layout, mathtext labels, legends of at least 8 pt.
"""

from __future__ import annotations

import math
import pathlib

import matplotlib.pyplot as plt
import numpy as np

from clusters.ensembles import Ensemble
from tunnelsim.response.distributions import stm_dos
from tunnelsim.studies.figures import save_figure

from .sampling import SPEC, T_WINDOW, temperatures
from .statistics import MIN_COHERENT, U_RESOLUTION, histogram, p_value, truncation_limit, u_split

__all__ = ["fig_d0", "fig_gap", "fig_heat", "fig_u"]

LEGEND = 8.5


def _steps(ax, centre, dens, err, colour, label, marker="o"):
    ax.errorbar(centre, dens, yerr=err, fmt=marker, ms=3, color=colour, capsize=1.5, lw=1, label=label)
    ax.plot(centre, dens, "-", drawstyle="steps-mid", color=colour, lw=0.8, alpha=0.6)


def fig_d0(ensembles: dict[int, Ensemble], gofs: dict, path: pathlib.Path) -> None:
    """P(log10 Delta0_eff) and P(Delta_eff) of the coherent doublets per N, with Poisson intervals."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.6), layout="constrained")
    for c, (n, ens) in enumerate(sorted(ensembles.items())):
        v = ens.log10_d0_eff.compressed()
        if v.size < 5:
            continue
        g = gofs.get(n)
        test = (f"; flat: $\\chi^2$/dof = {g.chi2 / g.dof:.3g}, p = {p_value(g):.1g}" if g is not None else
                f" (fewer than {MIN_COHERENT}: not tested)")
        bins = np.linspace(v.min(), v.max(), 17 if v.size >= MIN_COHERENT else 6)
        _steps(ax1, *histogram(v, bins, v.size)[:3], f"C{c}", f"N = {n}: {v.size} of {len(ens)}{test}")
        d = ens.delta_eff.compressed()
        _steps(ax2, *histogram(d, np.linspace(d.min(), d.max(), 13), d.size)[:3], f"C{c}", f"N = {n}")
    lo, hi = math.log10(SPEC["d0_min"]), math.log10(SPEC["d0_max"])
    ax1.plot([lo, hi], [1 / (hi - lo)] * 2, "k--", lw=1, label="STM box (N = 1): $1/\\Delta_0$, flat")
    ax1.set_xlabel("$\\log_{10}(\\Delta_{0,\\mathrm{eff}}$ / K)")
    ax1.set_ylabel("probability density per decade")
    ax1.set_title("effective tunneling of the coherent doublet (68 % Poisson intervals)", fontsize=10)
    ax1.legend(fontsize=LEGEND)
    ax2.plot([-1, 1], [0.5, 0.5], "k--", lw=1, label="STM box (N = 1): uniform")
    ax2.set_xlabel("$\\Delta_\\mathrm{eff}$ (K)")
    ax2.set_ylabel("probability density (1/K)")
    ax2.set_title("effective asymmetry of the coherent doublet (68 % Poisson intervals)", fontsize=10)
    ax2.legend(fontsize=LEGEND)
    save_figure(fig, path)


def fig_gap(ensembles: dict[int, Ensemble], path: pathlib.Path) -> None:
    """Density g(E) of the lowest gap per N (1/K) with Poisson intervals, and the analytic STM g(E)."""
    fig, ax = plt.subplots(figsize=(6.4, 4.6), layout="constrained")
    bins = np.geomspace(1e-4, 30, 36)
    for c, (n, ens) in enumerate(sorted(ensembles.items())):
        centre, dens, err, counts = histogram(ens.gap, bins, len(ens))
        ok = counts > 0
        ax.errorbar(np.sqrt(bins[1:] * bins[:-1])[ok], dens[ok], yerr=err[:, ok], fmt="o-", ms=3, lw=1, capsize=1.5,
                    color=f"C{c}", label=f"N = {n} ({len(ens)} clusters)")
    pbar = 1.0 / (2 * SPEC["delta_max"] * math.log(SPEC["d0_max"] / SPEC["d0_min"]))
    e = np.geomspace(1.1e-3, math.hypot(SPEC["delta_max"], SPEC["d0_max"]) * 0.999, 200)
    ax.plot(e, stm_dos(e, pbar, delta_max=SPEC["delta_max"], delta0_min=SPEC["d0_min"], delta0_max=SPEC["d0_max"]),
            "k--", lw=1, label="STM $g(E)$, analytic (N = 1)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("lowest gap $E = E_1 - E_0$ (K)")
    ax.set_ylabel("$g(E)$ per cluster (1/K)")
    ax.set_title("density of the lowest gap (68 % Poisson intervals): a pseudogap at low $E$?", fontsize=10)
    ax.legend(fontsize=LEGEND)
    save_figure(fig, path)


def fig_heat(ensembles: dict[int, Ensemble], caps: dict[int, np.ndarray], powers: dict, path: pathlib.Path) -> None:
    """Mean C(T) per cluster (k_B) with its 1-sigma band, drawn where the kept levels suffice."""
    t = temperatures()
    fig, ax = plt.subplots(figsize=(6.4, 4.8), layout="constrained")
    for c, n in enumerate(sorted(ensembles)):
        ok = t < truncation_limit(ensembles[n], t)  # drawn only where the kept levels suffice
        mean = caps[n].mean(axis=0)
        sem = caps[n].std(axis=0, ddof=1) / math.sqrt(caps[n].shape[0])
        p, e = powers[n]
        ax.fill_between(t[ok], (mean - sem)[ok], (mean + sem)[ok], color=f"C{c}", alpha=0.3, lw=0)
        ax.plot(t[ok], mean[ok], "-", color=f"C{c}", label=f"N = {n}: $C \\propto T^{{{p:.3f} \\pm {e:.3f}}}$"
                + (" (control)" if n == 1 else ""))
    ax.plot(t, 0.3 * t, "k--", lw=1, label="$\\propto T$ (idealised STM)")
    ax.axvspan(*T_WINDOW, color="0.9", label="power fitted here")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-4, 3)
    ax.set_xlabel("$T$ (K)")
    ax.set_ylabel("$C$ per cluster ($k_B$), exact kept levels")
    ax.set_title("heat capacity of the cluster ensembles (band: $\\pm 1\\sigma$; each curve ends\nwhere its 6 kept "
                 "levels no longer suffice)", fontsize=10)
    ax.legend(fontsize=LEGEND)
    save_figure(fig, path)


def fig_u(ensembles: dict[int, Ensemble], path: pathlib.Path) -> None:
    """log10 u for u >= U_RESOLUTION with Poisson intervals; the bounds below it counted in the legend."""
    fig, ax = plt.subplots(figsize=(6.8, 4.8), layout="constrained")
    lo = math.log10(U_RESOLUTION)
    bins = np.linspace(lo, 0, 21)
    for c, (n, ens) in enumerate(sorted(ensembles.items())):
        good, below, _ = u_split(ens)
        total = good.size + below
        _steps(ax, *histogram(np.log10(good), bins, total)[:3], f"C{c}",
               f"N = {n}: {below} of {total} ({100 * below / max(total, 1):.0f} %) below $10^{{{lo:.0f}}}$")
    ax.axvspan(lo - 2, lo, color="0.85",
               label=f"$u < 10^{{{lo:.0f}}}$: float64 round-off,\ncounted (bounds), not drawn")
    ax.set_xlim(lo - 2, 0.2)
    ax.set_xlabel("$\\log_{10} u$, $u = \\Delta_0/E$ of the lowest pair (eq. E.1)")
    ax.set_ylabel("fraction of clusters per decade")
    ax.set_title("resonant weight $u$ (RES $\\propto u^2$, REL $\\propto 1 - u^2$; 68 % Poisson intervals)",
                 fontsize=10)
    ax.legend(fontsize=LEGEND, loc="upper left")
    save_figure(fig, path)
