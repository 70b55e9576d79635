"""The figures of the response study (paper Figs. 7-13 style): plotting only, from data the study computed.

Each function draws one figure (constrained layout, mathtext labels with units) and writes it with
:func:`tunnelsim.studies.figures.save_figure`.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullFormatter

from tunnelsim.response.composition import CompositionLaw, ats_prefactor, debye_prefactor, tls_prefactor
from tunnelsim.response.v_shape import VShape
from tunnelsim.studies.figures import save_figure

__all__ = ["c_over_t", "ats_dos", "ats_ensemble", "c_field", "v_ratio_map", "dielectric_v", "tmin_frequency",
           "prefactors", "fe_laws", "v_variants", "x_scaling"]

_CHI = r"$\delta\varepsilon'/\varepsilon_r$"
_OXIDE = {"k2o": r"K$_2$O", "na2o": r"Na$_2$O"}


def c_over_t(path: Path, t: np.ndarray, curves: dict[float, np.ndarray]) -> None:
    """C/T versus T for each composition x (``curves``: x -> C(t))."""
    fig, ax = plt.subplots(figsize=(5.5, 4), layout="constrained")
    for x, c in curves.items():
        ax.loglog(t, c / t, label=f"x = {x:g}")
    ax.set_xlabel("T (K)")
    ax.set_ylabel(r"$C/T$ ($\mu$J g$^{-1}$ K$^{-2}$)")
    ax.set_title(r"Heat capacity of (SiO$_2$)$_{1-x}$(K$_2$O)$_x$, paper eq. 31 (illustrative preset)", fontsize=9)
    ax.legend(fontsize=8)
    save_figure(fig, path)


def ats_dos(path: Path, edges: np.ndarray, hist: np.ndarray, n: int) -> None:
    """The histogram of sampled exact doublet gaps (Poisson error bars) against g = P*/E (paper eq. 18)."""
    width, centre = np.diff(edges), np.sqrt(edges[:-1] * edges[1:])
    scale = np.log(100.0) / (n * width)  # counts -> g(E)/P* (N = P* ln 100 systems on 0.01-1 K)
    fig, ax = plt.subplots(figsize=(5, 3.8), layout="constrained")
    ax.errorbar(centre, hist * scale, yerr=np.sqrt(hist) * scale, fmt="o", ms=4, capsize=2,
                label=f"{n} sampled 3LS, exact doublet gap (Poisson errors)")
    ee = np.geomspace(0.01, 1.0, 50)
    ax.loglog(ee, 1.0 / ee, "-", label=r"$g = P^*/E$ (paper eq. 18)")
    ax.set_xlabel("doublet gap E (K)")
    ax.set_ylabel(r"$g(E)/P^*$ (K$^{-1}$)")
    ax.legend(fontsize=8)
    save_figure(fig, path)


def ats_ensemble(path: Path, te: np.ndarray, c: dict[str, np.ndarray]) -> None:
    """The exact 3LS ensembles against eq. 26 and the effective-2LS integral (keys of ``c``: eq26, effective,
    exact_far (+ exact_far_err), exact_near, near_two_levels)."""
    fig, ax = plt.subplots(figsize=(7.6, 3.8), layout="constrained")
    ax.semilogx(te, c["eq26"], "k-", label=r"eq. 26 closed form ($d_\mathrm{max} = \infty$)")
    ax.semilogx(te, c["effective"], "k--", label="effective 2LS, gaps 0.01-1 K")
    ax.errorbar(te, c["exact_far"], yerr=c["exact_far_err"], fmt="o", ms=4, capsize=2,
                label=r"exact 3LS ensemble, $D_0$ = 10-100 K (5 samples, $\pm$ error)")
    ax.semilogx(te, c["exact_near"], "s", ms=4, label=r"exact 3LS ensemble, $D_0$ = 0.2-2 K")
    ax.semilogx(te, c["near_two_levels"], "^", ms=4, label="same, two lowest levels only")
    ax.set_xscale("log")
    ax.set_xlabel("T (K)")
    ax.set_ylabel(r"$C_\mathrm{ATS}/P^*$")
    fig.legend(fontsize=8, loc="outside right upper")
    save_figure(fig, path)


def c_field(path: Path, res: list[dict], ats: dict) -> None:
    """C_ATS(T) at each field of the C(T, B) sweep (its run_sweep records; ``ats``: the sampled ATS)."""
    fig, ax = plt.subplots(figsize=(5.5, 4), layout="constrained")
    for r in res:
        ax.semilogx(r["result"]["T"], r["result"]["C"], label=f"B = {r['params']['field']:g} T")
    ax.set_xlabel("T (K)")
    ax.set_ylabel(r"$C_\mathrm{ATS}/P^*$")
    ax.set_title(rf"Exact 3LS ATS in a field ($D_0$ = {ats['d0_min']:g}-{ats['d0_max']:g} K, "
                 rf"S = {ats['area'] * 1e18:g} nm$^2$, Q = {ats['charge']:g}e, orientation average)", fontsize=8)
    ax.legend(fontsize=8)
    save_figure(fig, path)


def v_ratio_map(path: Path, good: dict[str, list[dict]], best: dict[str, dict | None], v_ats: VShape,
                band: tuple[float, float]) -> None:
    """Slope ratio against T_min of every scanned V, for each form of eq. 14 (``good``: variant -> the scan rows that
    are V's; ``best``: variant -> the best V found inside ``band``, K)."""
    fig, ax = plt.subplots(figsize=(8.2, 4.2), layout="constrained")
    style = {"isotropic": ("C0", "o", "isotropic (toolkit's)"), "stm": ("C3", "^", "STM-like u law (alternative)")}
    for variant, rows in good.items():
        col, mk, label = style[variant]
        ax.scatter([r["t_min"] for r in rows], [r["ratio"] for r in rows], s=12, c=col, marker=mk, alpha=0.55,
                   label=f"eq. 14 {label}")
        b = best.get(variant)
        if b is not None:
            ax.plot([b["t_min"]], [b["ratio"]], marker=mk, ms=11, mfc="none", mec=col, mew=2,
                    label=f"best in band, {variant}: {b['ratio']:.2f}")
    ax.axvspan(*band, color="0.88", zorder=0, label=r"$T_\mathrm{min}$ near 100 mK (50-200 mK)")
    ax.axhline(2.0, color="0.3", ls=":", lw=1, label="-2:1 (STM)")
    ax.axhline(1.0, color="C2", ls="--", lw=1, label="-1:1")
    ax.plot([v_ats.t_min], [v_ats.ratio], "k*", ms=11, label="preset multicomponent_dielectric_v")
    ax.set_xscale("log")
    ax.xaxis.set_minor_formatter(NullFormatter())
    allrows = [r for rows in good.values() for r in rows]
    tmins = [r["t_min"] for r in allrows] + [v_ats.t_min, *band]
    ax.set_xlim(0.7 * min(tmins), 1.4 * max(tmins))
    ax.set_ylim(0, min(8.0, 1.1 * max([r["ratio"] for r in allrows] + [2.5])))
    ax.set_xlabel(r"$T_\mathrm{min}$ (K) at 1 kHz")
    ax.set_ylabel("|slope below / slope above|")
    ax.set_title("STM + ATS: which V shapes each form of eq. 14 reaches", fontsize=9)
    fig.legend(fontsize=8, loc="outside right upper")
    save_figure(fig, path)


def dielectric_v(path: Path, td: np.ndarray, curves: dict[str, np.ndarray], shapes: tuple[VShape, VShape]) -> None:
    """delta eps'/eps_r with the fitted arms, and the loss tangent, for STM and STM + ATS (keys of ``curves``:
    stm, both, loss, loss_ats, loss_both; ``shapes``: the V's of stm and both)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.5, 3.9), layout="constrained")
    ax1.semilogx(td, curves["stm"], label="STM (2LS) only: -2:1")
    ax1.semilogx(td, curves["both"], label="STM + ATS (preset multicomponent_dielectric_v)")
    for shape, curve, col in zip(shapes, (curves["stm"], curves["both"]), ("C0", "C1")):
        for (lo, hi), slope in ((shape.window_below, shape.slope_below), (shape.window_above, shape.slope_above)):
            tt = np.geomspace(lo, hi, 20)
            anchor = np.interp(np.log(np.sqrt(lo * hi)), np.log(td), curve)
            ax1.semilogx(tt, anchor + slope * np.log(tt / np.sqrt(lo * hi)), color=col, lw=3, alpha=0.35)
    ax1.set_xlabel("T (K)")
    ax1.set_ylabel(_CHI + r" (units of $\chi$, $T\to0$ offset removed)")
    ax1.legend(fontsize=8, title="thick: arms fitted a decade wide", title_fontsize=8)
    ax2.loglog(td, curves["loss"], "C0-", lw=2, label="STM")
    ax2.loglog(td, curves["loss_ats"], "C1-", label="ATS term alone (preset)")
    ax2.loglog(td, curves["loss_both"], "k--", lw=1, label="STM + ATS (the ATS add < 0.4 %)")
    ax2.set_ylim(1e-6, 5.0)
    ax2.set_xlabel("T (K)")
    ax2.set_ylabel(r"$\tan\delta$ (units of $\chi$)")
    ax2.legend(fontsize=8)
    fig.suptitle("Dielectric response at 1 kHz", fontsize=10)
    save_figure(fig, path)


def v_variants(path: Path, td: np.ndarray, curves: dict[str, np.ndarray], shapes: dict[str, VShape],
               band: tuple[float, float]) -> None:
    """The best V with T_min in ``band`` (K) of each form of eq. 14, beside silica's STM V (``curves`` and ``shapes``:
    label -> delta eps'/eps_r on ``td`` and its VShape), arms drawn thick."""
    fig, ax = plt.subplots(figsize=(6.4, 4.4), layout="constrained")
    for (label, curve), col in zip(curves.items(), ("C0", "C1", "C3")):
        shape = shapes[label]
        ax.semilogx(td, curve - shape.value_min, color=col,
                    label=rf"{label}: ratio {shape.ratio:.2f}, $T_\mathrm{{min}}$ = {shape.t_min * 1e3:.0f} mK")
        for (lo, hi), slope in ((shape.window_below, shape.slope_below), (shape.window_above, shape.slope_above)):
            tt = np.geomspace(lo, hi, 20)
            anchor = np.interp(np.log(np.sqrt(lo * hi)), np.log(td), curve - shape.value_min)
            ax.semilogx(tt, anchor + slope * np.log(tt / np.sqrt(lo * hi)), color=col, lw=4, alpha=0.3)
    ax.axvspan(*band, color="0.9", zorder=0, label=r"$T_\mathrm{min}$ near 100 mK")
    ax.set_ylim(-0.5, 8.0)
    ax.set_xlabel("T (K)")
    ax.set_ylabel(_CHI + r" $-$ its minimum (units of $\chi$)")
    ax.set_title("Best V near 100 mK of each form of eq. 14 (1 kHz; thick: arms fitted)", fontsize=9)
    ax.legend(fontsize=8, loc="upper center")
    save_figure(fig, path)


def tmin_frequency(path: Path, freqs: list[float], tmins: np.ndarray, tmins_ats: np.ndarray, expo: float,
                   expo_ats: float) -> None:
    """T_min against the measuring frequency, STM and STM + the -1:1 ATS preset."""
    fig, ax = plt.subplots(figsize=(4.8, 3.6), layout="constrained")
    ax.loglog(freqs, tmins * 1e3, "o-", label=f"STM: exponent {expo:.3f}")
    ax.loglog(freqs, tmins_ats * 1e3, "s-", label=f"STM + ATS (-1:1 preset): {expo_ats:.3f}")
    ax.set_xlabel("frequency f (Hz)")
    ax.set_ylabel(r"$T_\mathrm{min}$ (mK)")
    ax.legend(fontsize=8)
    save_figure(fig, path)


def prefactors(path: Path, laws: dict[str, CompositionLaw]) -> None:
    """The composition laws of the prefactors (paper eqs. 20 and 31) of each composition series (``laws``: preset
    name -> its CompositionLaw), one panel per prefactor with its unit; illustrative parameters, not the paper's."""
    xx = np.linspace(0, 0.35, 100)
    fig, axes = plt.subplots(1, 3, figsize=(10.5, 3.6), layout="constrained")
    panels = ((r"$c_\mathrm{2LS}(x) = P_0(1-x) + P_1x^\alpha$ (eq. 20)", r"$\mu$J g$^{-1}$ K$^{-2}$",
               lambda law: tls_prefactor(xx, law.p0, law.p1, law.alpha)),
              (r"$P^*(x)$, linear in $x$ (eq. 31)", r"$\mu$J g$^{-1}$ K$^{-1}$",
               lambda law: ats_prefactor(xx, law.p_star_slope)),
              (r"$c_D(x)$, linear (assumed)", r"$\mu$J g$^{-1}$ K$^{-4}$",
               lambda law: debye_prefactor(xx, law.c_debye0, law.c_debye1)))
    for ax, (title, unit, law_of) in zip(axes, panels):
        for (name, law), ls in zip(laws.items(), ("-", "--")):
            oxide = _OXIDE.get(name.split("_")[0], name)
            ax.plot(xx, law_of(law), "k" + ls, label=f"(SiO$_2$)$_{{1-x}}$({oxide})$_x$")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("alkali-oxide fraction x")
        ax.set_ylabel(f"prefactor ({unit})")
        ax.legend(fontsize=8)
    fig.suptitle("Composition laws of the illustrative presets (not the paper's Tables 1-2)", fontsize=10)
    save_figure(fig, path)


def fe_laws(path: Path, t: np.ndarray, c: dict[str, np.ndarray], pdfs: dict) -> None:
    """The Fe3+ splitting laws (``pdfs``: label -> p(Delta) with the peak at 1 K) and their heat capacities (``c``:
    label -> C_Fe(t)/n_Fe), for the reconstruction row of paper eqs. 27-30."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8.5, 3.6), layout="constrained")
    dd = np.linspace(0.0, 6.0, 300)
    for (label, pdf), col in zip(pdfs.items(), ("C0", "C3")):
        p = pdf(dd)
        ax1.plot(dd, p / p.max(), col, label=label)
        ax2.semilogx(t, c[label], col, label=label)
    ax1.set_xlabel(r"splitting $\Delta/\delta_\mathrm{Fe}$")
    ax1.set_ylabel(r"$p(\Delta)$ / its peak")
    ax1.legend(fontsize=8)
    ax2.set_xlabel(r"$T/\delta_\mathrm{Fe}$")
    ax2.set_ylabel(r"$C_\mathrm{Fe}/n_\mathrm{Fe}$ ($k_B$ per centre)")
    fig.suptitle(r"Fe$^{3+}$ trace centres (paper eqs. 27-30): the toolkit's law and the alternative tried",
                 fontsize=9)
    save_figure(fig, path)


def x_scaling(path: Path, xs: np.ndarray, d_c: np.ndarray, rel: np.ndarray, d_eps: np.ndarray, t: float,
              b: float) -> None:
    """The magnetic response against the alkali fraction x: the absolute changes of C and eps' (proportional to x
    by construction) and the change of C relative to C(T, 0) (``d_c``, ``rel``, ``d_eps`` at each x)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.0, 3.7), layout="constrained")
    xx = np.linspace(0.0, xs.max() * 1.05, 50)
    ax1.plot(xs, d_c / d_c[-1], "o", color="C0", ms=7,
             label=rf"$C(T,B) - C(T,0)$ ({d_c[-1]:+.3g} $\mu$J g$^{{-1}}$ K$^{{-1}}$ at x = {xs[-1]:g})")
    ax1.plot(xs, d_eps / d_eps[-1], "s", color="C1", ms=4,
             label=r"$[\varepsilon'(T,B) - \varepsilon'(T,0)]/\varepsilon_r$" + f" ({d_eps[-1]:+.3g} "
                   r"$\chi_\mathrm{ats}$ at x = " + f"{xs[-1]:g})")
    ax1.plot(xx, xx / xs[-1], "k:", lw=1, label=r"$\propto x$")
    ax1.axhline(0.0, color="k", lw=0.5)
    ax1.set_xlabel("alkali-oxide fraction x")
    ax1.set_ylabel("field-induced change / its value at the largest x")
    ax1.set_title(f"absolute (T = {t * 1e3:g} mK, B = {b:g} T)", fontsize=9)
    ax1.legend(fontsize=8)
    ax2.plot(xs, rel, "o-", color="C0", label="exact ATS + 2LS + Debye + Fe (K$_2$O preset)")
    ax2.plot(xx, xx * rel[0] / xs[0], "k:", lw=1, label=r"$\propto x$ from the smallest x")
    ax2.axhline(0.0, color="k", lw=0.5)
    ax2.set_xlabel("alkali-oxide fraction x")
    ax2.set_ylabel(r"$[C(T,B) - C(T,0)]/C(T,0)$")
    ax2.set_title("relative to the zero-field heat capacity", fontsize=9)
    ax2.legend(fontsize=8)
    fig.suptitle("Magnetic response against x (paper sec. 5's prediction; illustrative preset)", fontsize=10)
    save_figure(fig, path)
