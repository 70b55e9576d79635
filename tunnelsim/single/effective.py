"""Effective two-level (doublet) descriptions of the 3LS and of the 4LS plaquette.

docs/theory.md eqs. (1.6) (sec. 1.2) and (1.11) (sec. 1.3). The near-degenerate multi-well system is reduced to the two
states of its (nearly) degenerate doublet; the result is an ordinary 2LS H = 1/2 (Delta sz + Delta0 sx)
written in the chiral basis, where the flux splits the diagonal and the well energies mix the pair.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tunnelsim.phases import wrap_phase
from tunnelsim.single._checks import flux, hopping, systems_shape, well_energies
from tunnelsim.single.four_level import (
    DIAGONALS,
    checked_plaquette,
    diagonal_hopping,
    four_level_energies_degenerate,
)
from tunnelsim.validation import check_choice

__all__ = ["EffectiveTwoLevel", "three_level_doublet", "three_level_doublet_gap", "four_level_doublet",
           "four_level_doublet_threshold"]


@dataclass(frozen=True)
class EffectiveTwoLevel:
    """An effective 2LS H = centre + 1/2 (asymmetry sz + tunneling sx), energies in K (docs/theory.md eq. (1.1)).

    Attributes
    ----------
    asymmetry : numpy.ndarray or float
        Flux-induced splitting of the chiral pair (K).
    tunneling : numpy.ndarray or float
        Mixing of the chiral pair by the well energies (K).
    centre : numpy.ndarray or float
        Mean energy of the doublet in the zeroth order (K).
    gap : numpy.ndarray or float
        sqrt(asymmetry^2 + tunneling^2), the doublet splitting (K).
    validity : str
        Where the description holds.

    Examples
    --------
    >>> import numpy as np
    >>> eff = EffectiveTwoLevel(asymmetry=0.3, tunneling=0.4, centre=-1.0, gap=0.5, validity='example')
    >>> print(eff.gap, bool(np.isclose(eff.gap, np.hypot(eff.asymmetry, eff.tunneling))))
    0.5 True
    """

    asymmetry: np.ndarray | float
    tunneling: np.ndarray | float
    centre: np.ndarray | float
    gap: np.ndarray | float
    validity: str

    def levels(self) -> np.ndarray:
        """The two doublet levels centre -+ gap/2, shape (..., 2), K."""
        g = np.asarray(self.gap)
        c = np.asarray(self.centre) + 0.0 * g
        return np.stack([c - g / 2, c + g / 2], axis=-1)


def _scalar_or_array(x):
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


def three_level_doublet(energies, d0, phi=0.0) -> EffectiveTwoLevel:
    """Effective 2LS of the low doublet of the 3LS (the paper's zero-field ATS description).

    docs/theory.md eq. (1.6): projecting H onto the two chiral states |+->, orthogonal to the
    symmetric state, gives H_eff = -D0 + 1/2 (Delta_eff sz + Delta0_eff sx) with

        Delta_eff  = (2/sqrt 3) D0 phi,     Delta0_eff = sqrt((2/3)(E1^2 + E2^2 + E3^2)),
        gap        = sqrt((2/3) sum E_i^2 + (4/3) D0^2 phi^2),

    phi taken in (-pi, pi] (:func:`tunnelsim.phases.wrap_phase`: the spectrum is 2 pi periodic).
    Holds when |E_i| << D0 and D0 |phi| << D0; the corrections are of relative order max|E_i|/D0
    and phi^2 (the exact gap at E = 0 is 2 sqrt(3) D0 |sin(phi/3)|), and the third level lies
    ~3 D0 above. This is the one home of the effective ATS gap: ensembles of systems (one row of
    well energies per system) go through it as they are.

    Parameters
    ----------
    energies : array_like, shape (3,) or (N, 3)
        Well energies in K, each row summing to zero.
    d0 : float or array_like, shape (N,)
        Hopping(s) in K, > 0.
    phi : float or 1-D array_like
        Flux phase(s), radians, broadcast against the systems.

    Returns
    -------
    EffectiveTwoLevel
        Fields in K, broadcast over systems and phi (floats for one system and a scalar phi).

    Examples
    --------
    >>> from tunnelsim.single.three_level import three_level_energies
    >>> E = [0.002, -0.001, -0.001]
    >>> eff = three_level_doublet(E, 1.0, 0.01)
    >>> exact = three_level_energies(E, 1.0, 0.01)
    >>> print(f'{eff.gap:.4e} {exact[1] - exact[0]:.4e}')  # agree to O(max|E|/D0, phi^2)
    1.1719e-02 1.1719e-02
    >>> print(round(float(eff.centre), 6))
    -1.0
    """
    asym, tun, d = _three_level_parts(energies, d0, phi)
    return EffectiveTwoLevel(
        asymmetry=_scalar_or_array(asym + 0.0 * tun),
        tunneling=_scalar_or_array(tun),
        centre=_scalar_or_array(-d + 0.0 * tun),
        gap=_scalar_or_array(np.hypot(asym, tun)),
        validity="|E_i| << d0 and |phi| << 1 (phi mod 2 pi); relative error O(max|E|/d0, phi^2)",
    )


def four_level_doublet(energies, d1: float, d2: float, phi=0.0, diagonal: str = "symmetrised") -> EffectiveTwoLevel:
    """Effective 2LS of the k = 1, 3 doublet of the 4LS plaquette.

    docs/theory.md eq. (1.11): the Fourier states |k> = (1, i^k, (-1)^k, (-i)^k)/2 diagonalise the
    plaquette at zero well energies. The pair k = 1, 3 (degenerate at phi = 0, energy -t) is split
    by the flux and mixed by the alternating part of the well energies::

        Delta_eff  = 4 d1 sin(phi/4),      Delta0_eff = |E1 - E2 + E3 - E4| / 2,
        gap        = sqrt(16 d1^2 sin^2(phi/4) + (E1 - E2 + E3 - E4)^2 / 4),  centre = -t,

    t = d2 cos(phi/2) (symmetrised) or d2 (straight). For d2 > d1 this is the ground doublet at weak
    fields (the appendix's "tetrahedral" case, the same low-energy physics as the 3LS), up to
    |phi| = :func:`four_level_doublet_threshold` (docs/theory.md eq. (1.12)); for d2 < d1 it is the
    middle doublet. Holds when |E_i| and the flux splitting are small compared with the distance
    2 |t - d1| (k = 2 level) to the other levels; the error is second order in E/(2|t - d1|).

    Parameters
    ----------
    energies : array_like, shape (4,)
        Well energies in K, summing to zero.
    d1, d2 : float
        Hoppings in K: d1 > 0 (sides), d2 >= 0 (diagonals; d2 = 0 is the plain square).
    phi : float or 1-D array_like
        Flux phase(s), radians.
    diagonal : {"symmetrised", "straight"}
        Diagonal phase prescription.

    Returns
    -------
    EffectiveTwoLevel

    Examples
    --------
    >>> import numpy as np
    >>> eff = four_level_doublet([0.0] * 4, 1.0, 2.0, phi=0.2)
    >>> levels = four_level_energies_degenerate(1.0, 2.0, 0.2)
    >>> print(round(float(eff.gap), 6), round(float(levels[1] - levels[0]), 6))  # 4 d1 sin(phi/4), exact at E = 0
    0.199917 0.199917
    """
    e, a, b, ph = checked_plaquette(energies, d1, d2, phi, diagonal, False)
    t = diagonal_hopping(b, ph, diagonal)
    asym = 4.0 * a * np.sin(ph / 4.0)
    tun = abs(e[0] - e[1] + e[2] - e[3]) / 2.0 + 0.0 * asym
    return EffectiveTwoLevel(
        asymmetry=_scalar_or_array(asym),
        tunneling=_scalar_or_array(tun),
        centre=_scalar_or_array(-t + 0.0 * asym),
        gap=_scalar_or_array(np.hypot(asym, tun)),
        validity="|E_i|, 4 d1 |sin(phi/4)| << 2 |t - d1|; ground doublet while t > d1 (|sin(phi/4)| + |cos(phi/4)|)",
    )


def three_level_doublet_gap(energies, d0, phi=0.0):
    """Effective-2LS gap sqrt((2/3) sum E_i^2 + (4/3) d0^2 phi^2) of the 3LS doublet, K.

    The ``gap`` of :func:`three_level_doublet` (docs/theory.md eq. (1.6)), phi wrapped to (-pi, pi], computed
    from the same parts without building the effective 2LS (for large ensembles of systems and phases).

    Parameters
    ----------
    energies : array_like, shape (3,) or (N, 3)
        Well energies in K, each row summing to zero.
    d0 : float or array_like, shape (N,)
        Hopping(s) in K, > 0.
    phi : float or 1-D array_like
        Flux phase(s), radians, broadcast against the systems.

    Returns
    -------
    float or numpy.ndarray
        The doublet gap in K.

    Examples
    --------
    >>> import numpy as np
    >>> print(f'{three_level_doublet_gap([0.0] * 3, 1.0, 0.01):.6f}')  # (2/sqrt 3) D0 phi
    0.011547
    >>> print(f'{2 * np.sqrt(3) * np.sin(0.01 / 3):.6f}')  # exact E = 0 gap 2 sqrt(3) D0 sin(phi/3)
    0.011547
    >>> E = [0.002, -0.001, -0.001]
    >>> print(f'{three_level_doublet_gap(E, 1.0):.6f} {np.sqrt(2 / 3 * np.sum(np.square(E))):.6f}')
    0.002000 0.002000
    """
    asym, tun, _ = _three_level_parts(energies, d0, phi)
    return _scalar_or_array(np.hypot(asym, tun))


def _three_level_parts(energies, d0, phi):
    """Delta_eff, Delta0_eff (broadcast over systems and phi) and d0 of eq. (1.6), checked (its one home)."""
    e = well_energies(energies, 3, ensemble=True)
    d = hopping(d0, "d0", False, ensemble=True)
    ph = flux(phi)
    systems_shape(e, d, ph)
    asym = 2.0 / np.sqrt(3.0) * d * np.asarray(wrap_phase(ph))
    tun = np.sqrt(2.0 / 3.0 * np.sum(e**2, axis=-1)) + 0.0 * asym
    return asym + 0.0 * tun, tun, d


def four_level_doublet_threshold(d1: float, d2: float, diagonal: str = "symmetrised") -> float:
    """Flux phase up to which the k = 1, 3 doublet of the plaquette stays the lowest pair of levels, rad.

    docs/theory.md eq. (1.12), in the appendix's limit E_i -> 0 (eq. (1.10)): the doublet
    lambda_{1,3} = -+2 d1 sin(phi/4) - t lies below lambda_{0,2} = +-2 d1 cos(phi/4) + t while

        t(phi) > d1 (|sin(phi/4)| + |cos(phi/4)|),     t = d2 cos(phi/2) or d2.

    The threshold phi* is found as the root of this level-crossing condition (Brent's method on the
    gap min(lambda_0, lambda_2) - max(lambda_1, lambda_3), monotone on [0, pi]), not read off a
    grid. Its closed forms, which the tests hold it against: 2 arcsin(1 - (d1/d2)^2) for the
    symmetrised diagonal (1.6961 = 2 arcsin(3/4) at d2 = 2 d1); 2 arcsin((d2/d1)^2 - 1) for the
    straight one when d1 < d2 < sqrt(2) d1 (0.9117 at d2 = 1.2 d1), and no threshold (inf) when
    d2 >= sqrt(2) d1. The window is |phi| < phi* (the spectrum is even in phi).

    Parameters
    ----------
    d1 : float
        Nearest-neighbour hopping in K, > 0.
    d2 : float
        Diagonal hopping in K, >= 0.
    diagonal : {"symmetrised", "straight"}
        Diagonal phase prescription.

    Returns
    -------
    float
        phi* in radians, in [0, pi]; 0.0 when d2 <= d1 (the doublet is not lowest even at zero field);
        ``inf`` when the doublet stays lowest at every flux (straight diagonal, d2 > sqrt(2) d1).

    Examples
    --------
    >>> import numpy as np
    >>> print(round(four_level_doublet_threshold(1.0, 2.0), 4), round(2 * np.arcsin(0.75), 4))  # symmetrised
    1.6961 1.6961
    >>> print(round(four_level_doublet_threshold(1.0, 1.2, 'straight'), 4), round(2 * np.arcsin(1.2 ** 2 - 1), 4))
    0.9112 0.9112
    """
    from scipy.optimize import brentq

    a = hopping(d1, "d1", False)
    b = hopping(d2, "d2", False)
    check_choice(diagonal, "diagonal", DIAGONALS)

    def gap(phi: float) -> float:
        lam = four_level_energies_degenerate(a, b, phi, diagonal, sort=False)
        return float(min(lam[0], lam[2]) - max(lam[1], lam[3]))

    if gap(0.0) <= 0.0:
        return 0.0
    if gap(np.pi) > 0.0:  # symmetrised: t(pi) = 0 exactly, so only round-off (d1 << d2) can get here
        return float("inf") if diagonal == "straight" else float(np.pi)
    return float(brentq(gap, 0.0, np.pi, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=200))
