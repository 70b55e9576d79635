"""Figures of the tetrahedron study: spectra versus |B|, the weak-field triplet against the 3LS, the entropy.

Each function returns ``(fig, axes)``; the study saves them with :func:`tunnelsim.studies.figures.save_figure`.
"""

from __future__ import annotations

import numpy as np

from tunnelsim.single.polyhedron import multiwell_field_spectrum, tetrahedron_positions
from tunnelsim.single.three_level import three_level_energies
from tunnelsim.studies.polyhedron.model import B_QUANTUM, DIRECTIONS, EDGE, T_HOP, field_of_phase
from tunnelsim.studies.polyhedron.triplet import entropy

__all__ = ["figure_spectra", "weak_field_levels", "figure_weak", "figure_entropy"]


def figure_spectra(spectra):
    """Levels E/t versus |B| (T) for the named directions and the orientation average (2 x 2 panels)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(9.5, 7.0), sharex=True, sharey=True, layout="constrained")
    for ax, (name, s) in zip(axes.flat, spectra.items()):
        ax.plot(s.values, s.energies / T_HOP, color="C0")
        ax.set_title(name, fontsize=10)
        top = ax.secondary_xaxis("top", functions=(lambda b: b / B_QUANTUM, lambda f: f * B_QUANTUM))
        top.set_xlabel(r"flux per face $\Phi/\Phi_0$ ($\mathbf{B}$ along its normal)", fontsize=9)
    for ax in axes[-1]:
        ax.set_xlabel(r"magnetic field $|\mathbf{B}|$ (T)")
    for ax in axes[:, 0]:
        ax.set_ylabel(r"$E\,/\,t$")
    fig.suptitle(rf"Tetrahedral 4LS: 4 wells, edge {EDGE * 1e9:g} nm, hopping $t = {T_HOP:g}$ K on all 6 edges, "
                 r"charge $e$; ground level $-t$ three times at $B = 0$", fontsize=10)
    return fig, axes


def weak_field_levels():
    """phi_f (rad), the three lowest tetrahedron levels per named direction (K), and the 3LS's two lowest (K)."""
    phi = np.linspace(0.0, 0.6, 61)
    r = tetrahedron_positions(EDGE)
    low = {name: multiwell_field_spectrum(r, np.zeros(4), T_HOP, field_of_phase(phi), direction=d).energies[:, :3]
           for name, d in DIRECTIONS.items()}
    return phi, low, three_level_energies(np.zeros(3), T_HOP, phi)[:, :2]


def figure_weak(phi, low, three):
    """Left: the triplet's levels versus the face flux phase, with the 3LS of one face; right: the lowest gap."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), layout="constrained")
    for (name, lev), col in zip(low.items(), ("C0", "C1", "C2")):
        lines = axes[0].plot(phi, (lev + T_HOP) / T_HOP, color=col)
        lines[0].set_label(f"tetrahedron, {name}")
        gap = lev[1:, 1] - lev[1:, 0]
        axes[1].loglog(phi[1:], gap / T_HOP, color=col, label=f"tetrahedron, {name}")
    lines = axes[0].plot(phi, (three + T_HOP) / T_HOP, "k--", lw=1.2)
    lines[0].set_label("3LS on one face, B along its normal (paper Fig. 5)")
    axes[1].loglog(phi[1:], (three[1:, 1] - three[1:, 0]) / T_HOP, "k--", lw=1.2, label="3LS doublet gap")
    axes[0].set_xlabel(r"face flux phase $\varphi_f = 2\pi |\mathbf{B}| S_f e/h$ (rad)")
    axes[0].set_ylabel(r"$(E + t)\,/\,t$: the three lowest levels")
    axes[0].set_title(r"weak field: the triplet splits into $-t + m\,t\varphi_f/\sqrt{3}$, $m = -1, 0, 1$",
                      fontsize=10)
    axes[1].set_xlabel(r"$\varphi_f$ (rad)")
    axes[1].set_ylabel(r"lowest gap $(E_1 - E_0)\,/\,t$")
    axes[1].set_title("lowest gap: linear in B, half the 3LS doublet's", fontsize=10)
    axes[0].legend(fontsize=8, loc="upper left")
    axes[1].legend(fontsize=8, loc="upper left")
    return fig, axes


def figure_entropy(levels_tetra, levels_3ls, weak_tetra, weak_3ls, phi_weak: float):
    """S/k_B versus T/t of the tetrahedron and the 3LS, at zero field and at a weak field (levels in K)."""
    import matplotlib.pyplot as plt

    temps = np.geomspace(1e-4, 1e2, 400) * T_HOP
    fig, ax = plt.subplots(figsize=(7.2, 4.6), layout="constrained")
    ax.semilogx(temps / T_HOP, entropy(levels_tetra, temps), color="C0", label=r"tetrahedron, $B = 0$")
    ax.semilogx(temps / T_HOP, entropy(weak_tetra, temps), color="C0", ls="--",
                label=rf"tetrahedron, $\varphi_f = {phi_weak:g}$ rad, $\mathbf{{B}}$ along [001]")
    ax.semilogx(temps / T_HOP, entropy(levels_3ls, temps), color="C3", label=r"3LS ($D_0 = t$), $B = 0$")
    ax.semilogx(temps / T_HOP, entropy(weak_3ls, temps), color="C3", ls="--",
                label=rf"3LS, $\varphi = {phi_weak:g}$ rad")
    for value, text in ((np.log(2), r"$\ln 2$"), (np.log(3), r"$\ln 3$"), (np.log(4), r"$\ln 4$")):
        ax.axhline(value, color="0.6", lw=0.8, ls=":")
        ax.text(1.3e-4, value + 0.02, text, fontsize=9, color="0.3")
    ax.set_xlabel(r"temperature $T\,/\,t$ ($k_B = 1$)")
    ax.set_ylabel(r"entropy $S\,/\,k_B$")
    ax.set_title(r"Ground-level entropy: $\ln 3$ (triplet) against the 3LS's $\ln 2$, gaps $4t$ and $3t$ above",
                 fontsize=10)
    ax.set_ylim(-0.05, 1.55)
    ax.legend(fontsize=8, loc="lower right")
    return fig, ax
