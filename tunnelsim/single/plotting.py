"""Spectrum figures: levels versus flux for the 3LS (paper Fig. 5) and the 4LS (paper Fig. 14).

docs/theory.md sec. 1.4. Every function returns ``(fig, ax)`` (``ax`` an array for several panels,
as :meth:`tunnelsim.results.SpectrumData.plot`, the plot of one spectrum) and never calls ``plt.show``.
"""

from __future__ import annotations

import numpy as np

from tunnelsim.single.effective import four_level_doublet_threshold
from tunnelsim.single.four_level import four_level_energies_degenerate, four_level_period
from tunnelsim.single.spectra import flux_spectrum
from tunnelsim.single.three_level import three_level_energies
from tunnelsim.validation import as_real_array, as_real_scalar, check_int, check_positive

__all__ = ["figure_three_level_flux", "figure_four_level_flux"]


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
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = figure_three_level_flux(d0=1.0, asymmetries=(0.0,), n_phi=21)
    >>> len(ax.lines) >= 3  # the three levels
    True
    >>> plt.close(fig)
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
        ax.plot(phi / (2 * np.pi), lev[:, 0] / d0, color=col, label=rf"$E_i = ({eps:g}, {half:g}, {half:g})\,D_0$")
        ax.plot(phi / (2 * np.pi), lev[:, 1:] / d0, color=col)
    ax.set_xlabel(r"flux $\Phi/\Phi_0 = \varphi / 2\pi$")
    ax.set_ylabel(r"$E\,/\,D_0$")
    ax.set_title("3LS (ATS) levels versus Aharonov-Bohm flux")
    ax.legend(fontsize=8, loc="center right")
    fig.tight_layout()
    return fig, ax


def figure_four_level_flux(d1: float = 1.0, ratios=(0.5, 2.0), energies=None, n_phi: int = 401):
    """The 4LS plaquette spectrum versus flux, d2 < d1 and d2 > d1, both diagonal prescriptions.

    A grid (rows: d2/d1 in ``ratios``; columns: "symmetrised", "straight"), phi from 0 to 4 pi so that
    the 2 pi (symmetrised) and 4 pi (straight) periods show. Solid lines: exact levels (eq. (1.7)
    diagonalised) at the given ``energies`` (default: small asymmetries); dotted: the degenerate limit
    E = 0 (eq. (1.10)); dashed vertical line: the flux up to which the k = 1, 3 doublet stays the
    lowest pair when d2 > d1 (:func:`tunnelsim.four_level_doublet_threshold`, eq. (1.12)). Paper Fig. 14 style.

    Parameters
    ----------
    d1 : float
        Nearest-neighbour hopping in K, > 0 (the energy unit of the plot).
    ratios : sequence of float
        Values of d2/d1 (>= 0), one row each.
    energies : array_like, shape (4,), optional
        Well energies in K, summing to zero.
    n_phi : int
        Number of flux values, >= 2.

    Returns
    -------
    (matplotlib.figure.Figure, numpy.ndarray of matplotlib.axes.Axes)
        The axes have shape (len(ratios), 2).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, axes = figure_four_level_flux(d1=1.0, ratios=(2.0,), n_phi=21)
    >>> fig.get_axes().__len__()  # one row (d2/d1 = 2), two diagonal prescriptions
    2
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    n_phi = check_int(n_phi, "n_phi", minimum=2)
    d1 = float(check_positive(as_real_scalar(d1, "d1"), "d1"))
    ratios = check_positive(as_real_array(ratios, "ratios", ndim=1), "ratios", strict=False)
    energies = np.array([0.25, -0.1, 0.05, -0.2]) * d1 if energies is None else energies
    phi = np.linspace(0, 4 * np.pi, n_phi)
    fig, axes = plt.subplots(len(ratios), 2, figsize=(9, 3.0 * len(ratios) + 0.6), sharex=True, squeeze=False)
    for r, row in zip(ratios, axes):
        for diag, ax in zip(("symmetrised", "straight"), row):
            lev = flux_spectrum("4ls", phi, energies=energies, d1=d1, d2=r * d1, diagonal=diag).energies
            deg = four_level_energies_degenerate(d1, r * d1, phi, diag)
            ax.plot(phi / (2 * np.pi), lev / d1, color="C0", lw=2.0, alpha=0.8)
            ax.plot(phi / (2 * np.pi), deg / d1, color="k", lw=0.8, ls=":")
            _mark_threshold(ax, four_level_doublet_threshold(d1, r * d1, diag) if r > 1 else 0.0)
            ax.set_title(f"$d_2/d_1 = {r:g}$, {diag} diagonal (period {four_level_period(diag) / np.pi:.0f}$\\pi$)",
                         fontsize=9)
            ax.set_ylabel(r"$E\,/\,d_1$")
    for ax in axes[-1]:
        ax.set_xlabel(r"flux $\varphi / 2\pi$ through the square")
    shown = ", ".join(f"{v:g}" for v in np.asarray(energies, dtype=float) / d1)
    fig.suptitle(f"4LS plaquette: solid = well energies $E_i = ({shown})\\,d_1$, dotted = all $E_i = 0$, dashed = "
                 "end of\nthe ground doublet ($E_i = 0$)", fontsize=9)
    fig.tight_layout()
    return fig, axes


def _mark_threshold(ax, phi_star: float) -> None:
    """A dashed line where the k = 1, 3 doublet stops being the lowest pair (none when 0 or inf)."""
    if 0.0 < phi_star < np.inf:
        ax.axvline(phi_star / (2 * np.pi), color="C3", ls="--", lw=1.0)
        ax.text(phi_star / (2 * np.pi), 0.97, f" $\\varphi^*$ = {phi_star:.4f} rad", color="C3", fontsize=8,
                va="top", transform=ax.get_xaxis_transform())
