"""Spectrum figures: levels versus flux for the 3LS (paper Fig. 5) and the 4LS (paper Fig. 14).

docs/theory.md sec. 1.4. All functions return matplotlib objects and never call ``plt.show``.
"""

from __future__ import annotations

import numpy as np

from tunnelsim.single.four_level import four_level_energies, four_level_energies_degenerate, four_level_period
from tunnelsim.single.three_level import three_level_energies
from tunnelsim.validation import as_real_array, as_real_scalar, check_bool, check_int, check_positive

__all__ = ["plot_spectrum", "figure_three_level_flux", "figure_four_level_flux"]


def plot_spectrum(sweep, ax=None, *, scale: float = 1.0, xscale: float = 1.0, xlabel: str | None = None,
                  relative: bool = False, color=None, label: str | None = None, **line_kwargs):
    """Plot the levels of a :class:`~tunnelsim.single.spectra.SpectrumSweep` versus its parameter.

    docs/theory.md sec. 1.4; energies in K (divided by ``scale``), the parameter in its own unit.

    Parameters
    ----------
    sweep : SpectrumSweep
        The sweep (energies in K).
    ax : matplotlib Axes, optional
        Where to draw; a new figure if omitted.
    scale : float
        Energies are divided by ``scale`` (e.g. a hopping, for dimensionless plots).
    xscale : float
        Parameter values are divided by ``xscale`` (e.g. 2 pi for phi in flux quanta).
    xlabel : str, optional
        Axis label; default from the parameter name and unit.
    relative : bool
        Plot levels minus the ground level.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.6))
    y = sweep.relative_to_ground() if check_bool(relative, "relative") else sweep.energies
    x = np.asarray(sweep.values) / xscale
    lines = ax.plot(x, y / scale, color=color, **line_kwargs)
    if label is not None and lines:
        lines[0].set_label(label)
    ax.set_xlabel(xlabel or f"{sweep.parameter} ({sweep.unit})" if sweep.unit else sweep.parameter)
    unit = "K" if scale == 1.0 else f"units of {scale:g} K"
    ax.set_ylabel(("E - E0" if relative else "E") + f" ({unit})")
    return ax


def figure_three_level_flux(d0: float = 1.0, asymmetries=(0.0, 0.1, 0.3), n_phi: int = 401):
    """The 3LS spectrum versus flux for a few well asymmetries (paper Fig. 5 style).

    Levels from Viete's closed form (docs/theory.md eq. (1.5)) for energies (eps, -eps/2, -eps/2) with
    eps in ``asymmetries`` (units of d0), phi from -2 pi to 2 pi.

    Parameters
    ----------
    d0 : float
        Hopping in K, > 0 (the energy unit of the plot).
    asymmetries : sequence of float
        Well-energy scales eps in units of d0.
    n_phi : int
        Number of flux values, >= 2.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    n_phi = check_int(n_phi, "n_phi", minimum=2)
    d0 = float(check_positive(as_real_scalar(d0, "d0"), "d0"))
    asymmetries = as_real_array(asymmetries, "asymmetries", ndim=1)
    phi = np.linspace(-2 * np.pi, 2 * np.pi, n_phi)
    fig, ax = plt.subplots(figsize=(6, 4.2))
    colors = plt.cm.viridis(np.linspace(0, 0.85, len(asymmetries)))
    for eps, col in zip(asymmetries, colors):
        e = np.array([eps, -eps / 2, -eps / 2]) * d0
        lev = three_level_energies(e, d0, phi)
        half = -eps / 2 + 0.0
        ax.plot(phi / (2 * np.pi), lev[:, 0] / d0, color=col, label=f"E = ({eps:g}, {half:g}, {half:g}) D0")
        ax.plot(phi / (2 * np.pi), lev[:, 1:] / d0, color=col)
    ax.set_xlabel(r"flux $\Phi/\Phi_0 = \varphi / 2\pi$")
    ax.set_ylabel(r"$E\,/\,D_0$")
    ax.set_title("3LS (ATS) levels versus Aharonov-Bohm flux")
    ax.legend(fontsize=7, loc="center right")
    fig.tight_layout()
    return fig


def figure_four_level_flux(d1: float = 1.0, ratios=(0.5, 1.5), energies=None, n_phi: int = 401):
    """The 4LS plaquette spectrum versus flux, d2 < d1 and d2 > d1, both diagonal prescriptions.

    A 2 x 2 grid (rows: d2/d1 in ``ratios``; columns: "symmetrised", "straight"), phi from 0 to 4 pi
    so that the 2 pi (symmetrised) and 4 pi (straight) periods show. Solid lines: the analytic quartic
    (docs/theory.md eq. (1.9)) at the given ``energies`` (default: small asymmetries); dotted: the
    degenerate limit E = 0 (eq. (1.10)). Paper Fig. 14 style.

    Parameters
    ----------
    d1 : float
        Nearest-neighbour hopping in K, > 0 (the energy unit of the plot).
    ratios : sequence of float
        Values of d2/d1, one row each.
    energies : array_like, shape (4,), optional
        Well energies in K, summing to zero.
    n_phi : int
        Number of flux values, >= 2.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    n_phi = check_int(n_phi, "n_phi", minimum=2)
    d1 = float(check_positive(as_real_scalar(d1, "d1"), "d1"))
    ratios = as_real_array(ratios, "ratios", ndim=1)

    if energies is None:
        energies = np.array([0.25, -0.1, 0.05, -0.2]) * d1
    phi = np.linspace(0, 4 * np.pi, n_phi)
    fig, axes = plt.subplots(len(ratios), 2, figsize=(9, 3.3 * len(ratios)), sharex=True, squeeze=False)
    for r, row in zip(ratios, axes):
        for diag, ax in zip(("symmetrised", "straight"), row):
            lev = four_level_energies(energies, d1, r * d1, phi, diag)
            deg = four_level_energies_degenerate(d1, r * d1, phi, diag)
            ax.plot(phi / (2 * np.pi), lev / d1, color="C0", lw=2.0, alpha=0.8)
            ax.plot(phi / (2 * np.pi), deg / d1, color="k", lw=0.8, ls=":")
            ax.set_title(f"d2/d1 = {r:g}, {diag} diagonal (period {four_level_period(diag)/np.pi:.0f}$\\pi$)",
                         fontsize=9)
            ax.set_ylabel(r"$E\,/\,d_1$")
    for ax in axes[-1]:
        ax.set_xlabel(r"flux $\varphi / 2\pi$ through the square")
    fig.suptitle("4LS plaquette: solid = small well asymmetries, dotted = all well energies zero", fontsize=9)
    fig.tight_layout()
    return fig
