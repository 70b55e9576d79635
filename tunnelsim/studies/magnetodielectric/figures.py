"""The figures of the magnetodielectric study: eps'(T, B) and the magnetocapacitance of exact 3LS ATS."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from tunnelsim.studies.figures import save_figure

__all__ = ["eps_t", "eps_b"]


def eps_t(path: Path, t: np.ndarray, by_field: dict[float, dict], zero: dict[str, np.ndarray]) -> None:
    """delta eps'/eps_r (from its T -> 0, B = 0 value) and the relaxational loss of exact 3LS ATS versus T at several
    fields (``by_field``: B in T -> {res, rel, total, loss, van_vleck}), with the effective-2LS term at B = 0."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4.1), layout="constrained")
    for (b, r), col in zip(sorted(by_field.items()), ("k", "C0", "C1", "C3")):
        ax1.semilogx(t, r["total"], color=col, label=f"B = {b:g} T")
        if b > 0:
            ax1.semilogx(t, np.full(t.size, r["van_vleck"][0]), color=col, ls=":", lw=1)
        ax2.loglog(t, np.maximum(r["loss"], 1e-12), color=col, label=f"B = {b:g} T")
    ax1.semilogx(t, zero["effective"], "k--", lw=2.5, alpha=0.4, label="effective 2LS, B = 0 (eq. 14, isotropic)")
    ax1.plot([], [], "k:", lw=1, label=r"dotted: $T\to0$ van Vleck change at B")
    ax1.set_xlabel("T (K)")
    ax1.set_ylabel(r"$[\varepsilon'(T,B) - \varepsilon'(0,0)]/\varepsilon_r$ (units of $\chi_\mathrm{ats}$)")
    ax1.legend(fontsize=8)
    ax2.set_ylim(1e-7, 1.0)
    ax2.set_xlabel("T (K)")
    ax2.set_ylabel(r"relaxational $\tan\delta$ of the ATS (units of $\chi_\mathrm{ats}$)")
    ax2.legend(fontsize=8)
    fig.suptitle(r"Exact 3LS ATS in a magnetic field (S = 1 nm$^2$, Q = 2e, 1 kHz, E $\parallel$ B; beyond the paper)",
                 fontsize=10)
    save_figure(fig, path)


def eps_b(path: Path, b: np.ndarray, change: np.ndarray, van_vleck: np.ndarray, temperatures: list[float]) -> None:
    """The magnetocapacitance [eps'(T, B) - eps'(T, 0)]/eps_r versus B (``change``: fields x temperatures) and its
    T-independent part, the change of the T -> 0 van Vleck term (``van_vleck``: fields)."""
    fig, ax = plt.subplots(figsize=(5.8, 4.2), layout="constrained")
    for c, ti, mk in zip(change.T, temperatures, ("o", "s")):
        ax.semilogx(b, c, "-" + mk, ms=4, label=f"T = {ti * 1e3:g} mK")
    ax.semilogx(b, van_vleck, "k:", lw=1.5, label=r"its $T\to0$ van Vleck part")
    ax.axhline(0.0, color="k", lw=0.5)
    ax.set_xlabel("magnetic field B (T)")
    ax.set_ylabel(r"$[\varepsilon'(T,B) - \varepsilon'(T,0)]/\varepsilon_r$ (units of $\chi_\mathrm{ats}$)")
    ax.set_title("Magnetocapacitance of exact 3LS ATS (beyond the paper)", fontsize=9)
    ax.legend(fontsize=8)
    save_figure(fig, path)
