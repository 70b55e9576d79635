"""The figures of the response study (paper Figs. 7-13 style): plotting only, from data the study computed.

Each function draws one figure and writes it with :func:`tunnelsim.studies.figures.save_figure`.
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
           "prefactors", "fe_laws", "v_variants", "magnetodielectric_t", "magnetodielectric_b"]


def c_over_t(path: Path, t: np.ndarray, curves: dict[float, np.ndarray]) -> None:
    """C/T versus T for each composition x (``curves``: x -> C(t))."""
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for x, c in curves.items():
        ax.loglog(t, c / t, label=f"x = {x:g}")
    ax.set_xlabel("T (K)")
    ax.set_ylabel(r"C/T ($\mu$J g$^{-1}$ K$^{-2}$)")
    ax.set_title("Heat capacity, paper eq. 31 (illustrative preset)", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, path)


def ats_dos(path: Path, centre: np.ndarray, dos_est: np.ndarray) -> None:
    """The histogram of sampled exact doublet gaps against P*/E (paper eq. 18)."""
    fig, ax = plt.subplots(figsize=(5, 3.8))
    ax.loglog(centre, dos_est, "o", label="sampled 3LS, exact gap")
    ee = np.geomspace(0.01, 1.0, 50)
    ax.loglog(ee, 1.0 / ee, "-", label="P*/E (paper eq. 18)")
    ax.set_xlabel("doublet gap E (K)")
    ax.set_ylabel("g(E) / P* (1/K)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, path)


def ats_ensemble(path: Path, te: np.ndarray, c: dict[str, np.ndarray]) -> None:
    """The exact 3LS ensembles against eq. 26 and the effective-2LS integral (keys of ``c``: eq26,
    effective, exact_far, exact_near, near_two_levels)."""
    fig, ax = plt.subplots(figsize=(5.5, 4))
    ax.semilogx(te, c["eq26"], "k-", label="eq. 26 closed form (d_max = inf)")
    ax.semilogx(te, c["effective"], "k--", label="effective 2LS, gaps 0.01-1 K")
    ax.semilogx(te, c["exact_far"], "o", ms=4, label="exact 3LS ensemble, D0 10-100 K")
    ax.semilogx(te, c["exact_near"], "s", ms=4, label="exact 3LS ensemble, D0 0.2-2 K")
    ax.semilogx(te, c["near_two_levels"], "^", ms=4, label="same, two lowest levels only")
    ax.set_xlabel("T (K)")
    ax.set_ylabel("C_ATS / P*")
    ax.legend(fontsize=7)
    fig.tight_layout()
    save_figure(fig, path)


def c_field(path: Path, res: list[dict]) -> None:
    """C_ATS(T) at each field of the C(T, B) sweep (its run_sweep records)."""
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for r in res:
        ax.semilogx(r["result"]["T"], r["result"]["C"], label=f"B = {r['params']['field']:g} T")
    ax.set_xlabel("T (K)")
    ax.set_ylabel("C_ATS / P*")
    ax.set_title("ATS heat capacity in a field (S = 1 nm^2, Q = 100 e, orientation average)", fontsize=8)
    ax.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, path)


def v_ratio_map(path: Path, good: dict[str, list[dict]], best: dict[str, dict | None], v_ats: VShape,
                band: tuple[float, float]) -> None:
    """Slope ratio against T_min of every scanned V, for each form of eq. 14 (``good``: variant -> the scan rows that
    are V's; ``best``: variant -> the best V found inside ``band``, K)."""
    fig, ax = plt.subplots(figsize=(5.8, 4.8))
    style = {"isotropic": ("C0", "o", "isotropic (toolkit's)"), "stm": ("C3", "^", "STM-like u law (alternative)")}
    for variant, rows in good.items():
        col, mk, label = style[variant]
        ax.scatter([r["t_min"] for r in rows], [r["ratio"] for r in rows], s=12, c=col, marker=mk, alpha=0.55,
                   label=f"eq. 14 {label}")
        b = best.get(variant)
        if b is not None:
            ax.plot([b["t_min"]], [b["ratio"]], marker=mk, ms=11, mfc="none", mec=col, mew=2,
                    label=f"best in band, {variant}: {b['ratio']:.2f}")
    ax.axvspan(*band, color="0.88", zorder=0, label="T_min near 100 mK (50-200 mK)")
    ax.axhline(2.0, color="0.3", ls=":", lw=1, label="-2:1 (STM)")
    ax.axhline(1.0, color="C2", ls="--", lw=1, label="-1:1")
    ax.plot([v_ats.t_min], [v_ats.ratio], "k*", ms=11, label="preset multicomponent_dielectric_v")
    ax.set_xscale("log")
    ax.xaxis.set_minor_formatter(NullFormatter())
    allrows = [r for rows in good.values() for r in rows]
    ax.set_xlim(1e-2, max([3.0] + [2 * r["t_min"] for r in allrows]))
    ax.set_ylim(0, min(8.0, 1.1 * max([r["ratio"] for r in allrows] + [2.5])))
    ax.set_xlabel("T_min (K) at 1 kHz")
    ax.set_ylabel("|slope below / slope above|")
    ax.set_title("STM + ATS: which V shapes each form of eq. 14 reaches", fontsize=9)
    fig.legend(fontsize=7, loc="lower center", ncol=2, frameon=False)
    fig.subplots_adjust(bottom=0.32)
    save_figure(fig, path)


def dielectric_v(path: Path, td: np.ndarray, curves: dict[str, np.ndarray], shapes: tuple[VShape, VShape]) -> None:
    """delta eps'/eps_r with the fitted arms, and the loss tangent, for STM and STM + ATS (keys of ``curves``:
    stm, both, loss, loss_ats, loss_both; ``shapes``: the V's of stm and both)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.5, 3.9))
    ax1.semilogx(td, curves["stm"], label="STM (2LS) only: -2:1")
    ax1.semilogx(td, curves["both"], label="STM + ATS (preset multicomponent_dielectric_v)")
    for shape, curve, col in zip(shapes, (curves["stm"], curves["both"]), ("C0", "C1")):
        for (lo, hi), slope in ((shape.window_below, shape.slope_below), (shape.window_above, shape.slope_above)):
            tt = np.geomspace(lo, hi, 20)
            anchor = np.interp(np.log(np.sqrt(lo * hi)), np.log(td), curve)
            ax1.semilogx(tt, anchor + slope * np.log(tt / np.sqrt(lo * hi)), color=col, lw=3, alpha=0.35)
    ax1.set_xlabel("T (K)")
    ax1.set_ylabel(r"$\delta\varepsilon'/\varepsilon_r$ (units of chi, T$\to$0 offset removed)")
    ax1.legend(fontsize=7, title="thick: arms fitted a decade wide", title_fontsize=7)
    ax2.loglog(td, curves["loss"], "C0-", lw=2, label="STM")
    ax2.loglog(td, curves["loss_ats"], "C1-", label="ATS term alone (preset)")
    ax2.loglog(td, curves["loss_both"], "k--", lw=1, label="STM + ATS (on top of STM: the ATS add < 0.4 %)")
    ax2.set_ylim(1e-6, 5.0)
    ax2.set_xlabel("T (K)")
    ax2.set_ylabel(r"tan $\delta$ (units of chi)")
    ax2.legend(fontsize=7)
    fig.suptitle("Dielectric response at 1 kHz", fontsize=10)
    fig.tight_layout()
    save_figure(fig, path)


def v_variants(path: Path, td: np.ndarray, curves: dict[str, np.ndarray], shapes: dict[str, VShape],
               band: tuple[float, float]) -> None:
    """The best V with T_min in ``band`` (K) of each form of eq. 14, beside silica's STM V (``curves`` and ``shapes``:
    label -> delta eps'/eps_r on ``td`` and its VShape), arms drawn thick."""
    fig, ax = plt.subplots(figsize=(6.2, 4.2))
    for (label, curve), col in zip(curves.items(), ("C0", "C1", "C3")):
        shape = shapes[label]
        ax.semilogx(td, curve - shape.value_min, color=col,
                    label=f"{label}: ratio {shape.ratio:.2f}, T_min {shape.t_min * 1e3:.0f} mK")
        for (lo, hi), slope in ((shape.window_below, shape.slope_below), (shape.window_above, shape.slope_above)):
            tt = np.geomspace(lo, hi, 20)
            anchor = np.interp(np.log(np.sqrt(lo * hi)), np.log(td), curve - shape.value_min)
            ax.semilogx(tt, anchor + slope * np.log(tt / np.sqrt(lo * hi)), color=col, lw=4, alpha=0.3)
    ax.axvspan(*band, color="0.9", zorder=0, label="T_min near 100 mK")
    ax.set_ylim(-0.5, 8.0)
    ax.set_xlabel("T (K)")
    ax.set_ylabel(r"$\delta\varepsilon'/\varepsilon_r$ - its minimum (units of chi)")
    ax.set_title("Best V near 100 mK of each form of eq. 14 (1 kHz; thick: arms fitted)", fontsize=9)
    ax.legend(fontsize=7, loc="upper center")
    fig.tight_layout()
    save_figure(fig, path)


def tmin_frequency(path: Path, freqs: list[float], tmins: np.ndarray, tmins_ats: np.ndarray, expo: float,
                   expo_ats: float) -> None:
    """T_min against the measuring frequency, STM and STM + the -1:1 ATS preset."""
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    ax.loglog(freqs, tmins * 1e3, "o-", label=f"STM: exponent {expo:.2f}")
    ax.loglog(freqs, tmins_ats * 1e3, "s-", label=f"STM + ATS (-1:1 preset): {expo_ats:.2f}")
    ax.set_xlabel("frequency f (Hz)")
    ax.set_ylabel("T_min (mK)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    save_figure(fig, path)


def prefactors(path: Path, laws: dict[str, CompositionLaw]) -> None:
    """The composition laws of the prefactors (paper eqs. 20 and 31) of each composition series (``laws``: preset
    name -> its CompositionLaw); illustrative parameters, not the paper's tables."""
    xx = np.linspace(0, 0.35, 100)
    fig, ax = plt.subplots(figsize=(8.0, 4))
    for (name, law), ls in zip(laws.items(), ("-", "--")):
        short = name.split("_")[0].upper()
        ax.plot(xx, tls_prefactor(xx, law.p0, law.p1, law.alpha), "C0" + ls,
                label=f"{short}: c_2LS(x) = P0(1-x) + P1 x^alpha (eq. 20)")
        ax.plot(xx, ats_prefactor(xx, law.p_star_slope) / 10, "C1" + ls, label=f"{short}: P*(x)/10 (linear)")
        ax.plot(xx, debye_prefactor(xx, law.c_debye0, law.c_debye1), "C2" + ls, label=f"{short}: c_D(x) (assumed)")
    ax.set_xlabel("network-modifier fraction x")
    ax.set_ylabel(r"prefactor ($\mu$J g$^{-1}$ K$^{-n}$)")
    ax.set_title("Composition laws of the illustrative presets", fontsize=9)
    ax.legend(fontsize=6.5, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.tight_layout()
    save_figure(fig, path)


def fe_laws(path: Path, t: np.ndarray, c: dict[str, np.ndarray], pdfs: dict) -> None:
    """The Fe3+ splitting laws (``pdfs``: label -> p(Delta) with the peak at 1 K) and their heat capacities (``c``:
    label -> C_Fe(t)/n_Fe), for the reconstruction row of paper eqs. 27-30."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8.5, 3.5))
    dd = np.linspace(0.0, 6.0, 300)
    for (label, pdf), col in zip(pdfs.items(), ("C0", "C3")):
        p = pdf(dd)
        ax1.plot(dd, p / p.max(), col, label=label)
        ax2.semilogx(t, c[label], col, label=label)
    ax1.set_xlabel("splitting Delta / delta_fe")
    ax1.set_ylabel("p(Delta) / its peak")
    ax1.legend(fontsize=7)
    ax2.set_xlabel("T / delta_fe")
    ax2.set_ylabel("C_Fe / n_Fe")
    fig.suptitle("Fe3+ trace centres (paper eqs. 27-30): the toolkit's law and the alternative tried", fontsize=9)
    fig.tight_layout()
    save_figure(fig, path)


def magnetodielectric_t(path: Path, t: np.ndarray, by_field: dict[float, dict], zero: dict[str, np.ndarray]) -> None:
    """delta eps'/eps_r and the relaxational loss of exact 3LS ATS versus T at several fields (``by_field``:
    B in T -> {res, rel, total, loss}), with the effective-2LS ATS term at B = 0 (``zero``: exact, effective)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.5, 3.9))
    for (b, r), col in zip(sorted(by_field.items()), ("k", "C0", "C1", "C3")):
        ax1.semilogx(t, r["total"], color=col, label=f"B = {b:g} T")
        ax2.loglog(t, np.maximum(r["loss"], 1e-12), color=col, label=f"B = {b:g} T")
    ax1.semilogx(t, zero["effective"], "k--", lw=2.5, alpha=0.4, label="effective 2LS, B = 0 (eq. 14, isotropic)")
    ax1.set_xlabel("T (K)")
    ax1.set_ylabel(r"$\delta\varepsilon'/\varepsilon_r$ of the ATS (units of chi_ats)")
    ax1.legend(fontsize=7)
    ax2.set_ylim(1e-5, 1.0)
    ax2.set_xlabel("T (K)")
    ax2.set_ylabel(r"relaxational tan $\delta$ of the ATS (units of chi_ats)")
    fig.suptitle("Exact 3LS ATS in a magnetic field (S = 1 nm$^2$, Q = 2e, 1 kHz; beyond the paper)", fontsize=10)
    fig.tight_layout()
    save_figure(fig, path)


def magnetodielectric_b(path: Path, b: np.ndarray, change: np.ndarray, temperatures: list[float]) -> None:
    """The magnetocapacitance delta eps(T, B) - delta eps(T, 0) versus B (``change``: fields x temperatures)."""
    fig, ax = plt.subplots(figsize=(5.2, 3.8))
    for c, ti, mk in zip(change.T, temperatures, ("o", "s")):
        ax.semilogx(b, c, "-" + mk, ms=4, label=f"T = {ti * 1e3:g} mK")
    ax.axhline(0.0, color="k", lw=0.5)
    ax.set_xlabel("magnetic field B (T)")
    ax.set_ylabel(r"$\delta\varepsilon(T,B)-\delta\varepsilon(T,0)$ (units of chi_ats)")
    ax.set_title("Magnetocapacitance of exact 3LS ATS (beyond the paper)", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, path)
