"""Figures of the echo study: A(B)/A(0) at fixed tau, and A(tau) at fixed B (docs/echo.md)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from tunnelsim.studies.figures import save_figure

__all__ = ["field_dependence", "tau_dependence"]


def field_dependence(path: Path, field: np.ndarray, ratio: np.ndarray, err: np.ndarray, tau: float,
                     scales: dict[float, float]) -> None:
    """|A(B)|/|A(0)| versus B (B > 0, log axis) with its sampling error; ``scales``: D0 (K) -> field B* (T)."""
    fig, ax = plt.subplots(figsize=(5.6, 3.9), layout="constrained")
    ax.errorbar(field, ratio, yerr=err, fmt="o-", ms=4, capsize=2, label=rf"exact 3LS ensemble, $\tau$ = "
                                                                          rf"{tau * 1e6:g} $\mu$s")
    ax.axhline(1.0, color="k", lw=0.6)
    for (d0, b), ls in zip(scales.items(), ("--", ":")):
        ax.axvline(b, color="grey", ls=ls, lw=1.0, label=rf"$(2/\sqrt{{3}})\,D_0\varphi = hf$, $D_0$ = {d0:g} K")
    ax.set_xscale("log")
    ax.set_xlabel("magnetic field B (T)")
    ax.set_ylabel(r"echo amplitude $|A(B)|\,/\,|A(0)|$")
    ax.set_title("Two-pulse echo of ATS in a field (beyond the paper)", fontsize=9)
    ax.legend(fontsize=7, loc="best")
    save_figure(fig, path)


def tau_dependence(path: Path, tau: np.ndarray, amp: dict[float, np.ndarray], ratio: dict[float, np.ndarray],
                   err: dict[float, np.ndarray], t2: float) -> None:
    """Left: |A(tau, B)| normalised to |A(tau_0, 0)|; right: |A(tau, B)|/|A(tau, 0)| with its sampling error
    (``err``); ``amp``, ``ratio``, ``err``: B -> curve over ``tau`` (s)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8.4, 3.6), layout="constrained")
    colour = {b: f"C{i}" for i, b in enumerate(amp)}
    for b, a in amp.items():
        ax1.semilogy(tau * 1e6, a, "o-", ms=3, color=colour[b], label=f"B = {b:g} T")
    ax1.semilogy(tau * 1e6, amp[0.0][0] * np.exp(-2 * (tau - tau[0]) / t2), "k--", lw=0.8,
                 label=rf"$e^{{-2\tau/T_2}}$, $T_2$ = {t2 * 1e6:g} $\mu$s")
    ax1.set_xlabel(r"pulse separation $\tau$ ($\mu$s)")
    ax1.set_ylabel(r"$|A(\tau, B)|\,/\,|A(\tau_0, 0)|$")
    ax1.legend(fontsize=7)
    for b, r in ratio.items():
        if b > 0:
            ax2.errorbar(tau * 1e6, r, yerr=err[b], fmt="o-", ms=3, capsize=2, color=colour[b], label=f"B = {b:g} T")
    ax2.set_xlabel(r"pulse separation $\tau$ ($\mu$s)")
    ax2.set_ylabel(r"$|A(\tau, B)|\,/\,|A(\tau, 0)|$")
    ax2.set_ylim(bottom=0.0)
    ax2.legend(fontsize=7)
    fig.suptitle(r"Echo decay of exact 3LS ATS: the field rescales it, no oscillation in $\tau$ (beyond the paper)",
                 fontsize=9)
    save_figure(fig, path)
