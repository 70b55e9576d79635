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
           "prefactors"]


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


def v_ratio_map(path: Path, good: list[dict], v_ats: VShape, silica_band: tuple[float, float]) -> None:
    """Slope ratio against T_min of every scanned V (``good``: the scan rows that are V's)."""
    fig, ax = plt.subplots(figsize=(5.6, 4.6))
    sc = ax.scatter([r["t_min"] for r in good], [r["ratio"] for r in good], s=14,
                    c=[np.log10(r["chi_ats"]) for r in good], cmap="viridis")
    fig.colorbar(sc, ax=ax, label=r"log$_{10}$ chi_ats")
    ax.axvspan(*silica_band, color="0.85", zorder=0, label="T_min of silica (20-100 mK)")
    ax.axhline(2.0, color="C3", ls=":", lw=1, label="-2:1 (STM)")
    ax.axhline(1.0, color="C2", ls="--", lw=1, label="-1:1")
    ax.plot([v_ats.t_min], [v_ats.ratio], "r*", ms=12, label="-1:1 preset")
    ax.set_xscale("log")
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlim(1e-2, max([3.0] + [2 * r["t_min"] for r in good]))
    ax.set_ylim(0, min(8.0, 1.1 * max([r["ratio"] for r in good] + [2.5])))
    ax.set_xlabel("T_min (K) at 1 kHz")
    ax.set_ylabel("|slope below / slope above|")
    ax.set_title("STM + ATS (toolkit's eq. 14): which V shapes are reachable", fontsize=9)
    fig.legend(fontsize=7, loc="lower center", ncol=2, frameon=False)
    fig.subplots_adjust(bottom=0.24)
    save_figure(fig, path)


def dielectric_v(path: Path, td: np.ndarray, curves: dict[str, np.ndarray], shapes: tuple[VShape, VShape]) -> None:
    """delta eps'/eps_r with the fitted arms, and the loss tangent, for STM and STM + ATS (keys of ``curves``:
    stm, both, loss, loss_both; ``shapes``: the V's of stm and both)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.8))
    ax1.semilogx(td, curves["stm"], label="STM (2LS) only: -2:1")
    ax1.semilogx(td, curves["both"], label="STM + ATS (preset multicomponent_dielectric_v)")
    for shape, curve, col in zip(shapes, (curves["stm"], curves["both"]), ("C0", "C1")):
        for (lo, hi), slope in ((shape.window_below, shape.slope_below), (shape.window_above, shape.slope_above)):
            tt = np.geomspace(lo, hi, 20)
            anchor = np.interp(np.log(np.sqrt(lo * hi)), np.log(td), curve)
            ax1.semilogx(tt, anchor + slope * np.log(tt / np.sqrt(lo * hi)), color=col, lw=3, alpha=0.35)
    ax1.set_xlabel("T (K)")
    ax1.set_ylabel(r"$\delta\varepsilon'/\varepsilon_r$ (units of chi, T$\to$0 offset removed)")
    ax1.legend(fontsize=8)
    ax2.loglog(td, curves["loss"], label="STM")
    ax2.loglog(td, curves["loss_both"], label="STM + ATS")
    ax2.set_xlabel("T (K)")
    ax2.set_ylabel(r"tan $\delta$ (units of chi)")
    ax2.legend(fontsize=8)
    fig.suptitle("Dielectric response at 1 kHz", fontsize=10)
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


def prefactors(path: Path, law: CompositionLaw, xs: list[float], fit: dict[str, np.ndarray]) -> None:
    """The composition laws of the prefactors and the global fit's values (keys of ``fit``: c_2ls, p_star, c_debye)."""
    xx = np.linspace(0, 0.35, 100)
    fig, ax = plt.subplots(figsize=(5.5, 4))
    ax.plot(xx, tls_prefactor(xx, law.p0, law.p1, law.alpha), "C0-", label="c_2LS(x) = P0(1-x) + P1 x^alpha (eq. 20)")
    ax.plot(xx, ats_prefactor(xx, law.p_star_slope) / 10, "C1-", label="P*(x)/10 (linear)")
    ax.plot(xx, debye_prefactor(xx, law.c_debye0, law.c_debye1), "C2-", label="c_D(x) (assumed linear)")
    ax.plot(xs, fit["c_2ls"], "C0o", label="global fit")
    ax.plot(xs, fit["p_star"] / 10, "C1s")
    ax.plot(xs, fit["c_debye"], "C2^")
    ax.set_xlabel("network-modifier fraction x")
    ax.set_ylabel(r"prefactor ($\mu$J g$^{-1}$ K$^{-n}$)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    save_figure(fig, path)
