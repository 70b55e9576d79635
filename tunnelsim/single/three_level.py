"""The anomalous tunneling system as a three-level system (3LS) on a triangle in a magnetic flux.

docs/theory.md sec. 1.2; paper eq. 3 (with the Peierls phase of Jug, Phil. Mag. 84, 3599 (2004))
and eq. 7 (Viete's closed form). The closed forms are vectorised over the flux and over ensembles
of systems (one row of well energies per system), so the glass response uses them as they are.
"""

from __future__ import annotations

import numpy as np
import qutip

from tunnelsim.phases import ring_hopping
from tunnelsim.single._checks import flux, hopping, systems_shape, well_energies
from tunnelsim.single.polynomials import depressed_cubic_roots

__all__ = ["three_level", "three_level_energies", "three_level_char_poly"]


def three_level(energies, d0: float, phi: float = 0.0, *, allow_negative_hopping: bool = False) -> qutip.Qobj:
    """Hamiltonian of the 3LS (ATS) with Aharonov-Bohm phase phi.

    Implements docs/theory.md eq. (1.3)::

        H = [[E1,               D0 e^{i phi/3},  D0 e^{-i phi/3}],
             [D0 e^{-i phi/3},  E2,              D0 e^{i phi/3} ],
             [D0 e^{i phi/3},   D0 e^{-i phi/3}, E3             ]]

    whose gauge-invariant loop product is H12 H23 H31 = D0^3 e^{i phi}. The hopping part is the
    ring of three wells of :func:`tunnelsim.phases.ring_hopping`.

    Parameters
    ----------
    energies : array_like, shape (3,)
        Well energies E1, E2, E3 in K; they must sum to zero.
    d0 : float
        Hopping D0 in K, > 0 by convention (see ``allow_negative_hopping``).
    phi : float
        Aharonov-Bohm phase in radians, phi = 2 pi Phi / Phi_0 (see :func:`tunnelsim.flux_phase`).
    allow_negative_hopping : bool
        Accept d0 <= 0 (the ground state is then a singlet at phi = 0).

    Returns
    -------
    qutip.Qobj
        3 x 3 Hermitian operator in the well basis, K.
    """
    e = well_energies(energies, 3)
    d = hopping(d0, "d0", allow_negative_hopping)
    ph = flux(phi)
    if ph.ndim != 0:
        raise ValueError("phi must be a single number for three_level (use three_level_energies for arrays)")
    return qutip.Qobj(ring_hopping(d, float(ph), 3) + np.diag(e))


def three_level_char_poly(energies, d0, phi=0.0, *, allow_negative_hopping: bool = False):
    """Coefficients of the characteristic polynomial lambda^3 - p lambda - q of the 3LS.

    docs/theory.md eq. (1.4): p = 3 D0^2 + (E1^2 + E2^2 + E3^2)/2, q = E1 E2 E3 + 2 D0^3 cos(phi).

    Parameters
    ----------
    energies : array_like, shape (3,) or (N, 3)
        Well energies in K, each row summing to zero (one row per system).
    d0 : float or array_like, shape (N,)
        Hopping(s) D0 in K (> 0 unless ``allow_negative_hopping``).
    phi : float or 1-D array_like
        Aharonov-Bohm phase(s) in radians; broadcast against the systems.

    Returns
    -------
    tuple of numpy.ndarray
        (p, q, discriminant), broadcast over systems and phi, with discriminant = (p/3)^3 - (q/2)^2
        written without cancellation as
        D0^6 sin^2 phi + D0^4 s/2 + D0^2 s^2/12 - e3 D0^3 cos phi + prod_{i<j}(E_i - E_j)^2 / 108,
        s = sum E_i^2, e3 = E1 E2 E3 (units K^2, K^3, K^6).
    """
    e = well_energies(energies, 3, ensemble=True)
    d = hopping(d0, "d0", allow_negative_hopping, ensemble=True)
    ph = flux(phi)
    systems_shape(e, d, ph)
    e1, e2, e3 = e[..., 0], e[..., 1], e[..., 2]
    s = e1 * e1 + e2 * e2 + e3 * e3
    prod = e1 * e2 * e3
    p = 3.0 * d * d + 0.5 * s + 0.0 * ph
    q = prod + 2.0 * d**3 * np.cos(ph)
    vander = ((e1 - e2) * (e2 - e3) * (e1 - e3)) ** 2
    disc = (d**6 * np.sin(ph) ** 2 + 0.5 * d**4 * s + d * d * s * s / 12.0
            - prod * d**3 * np.cos(ph) + vander / 108.0)
    return tuple(np.broadcast_arrays(p, q, disc))


def three_level_energies(energies, d0, phi=0.0, *, allow_negative_hopping: bool = False) -> np.ndarray:
    """Exact 3LS levels from Viete's closed form, ascending, vectorised over phi and over systems.

    Implements docs/theory.md eq. (1.5) (paper eq. 7):
    lambda_k = 2 sqrt(p/3) cos( (1/3) arccos( (3q/(2p)) sqrt(3/p) ) - 2 pi k/3 ), with the
    arccos evaluated as atan2(sqrt(Delta), q/2) and the discriminant Delta taken from
    :func:`three_level_char_poly`, so that nearly degenerate doublets keep full relative accuracy.

    Parameters
    ----------
    energies : array_like, shape (3,) or (N, 3)
        Well energies in K, each row summing to zero (one row per system of an ensemble).
    d0 : float or array_like, shape (N,)
        Hopping(s) in K (> 0 by convention).
    phi : float or 1-D array_like
        Aharonov-Bohm phase(s) in radians, broadcast against the systems.

    Returns
    -------
    numpy.ndarray
        Shape (3,) for one system and a scalar phi, else (M, 3) with M the broadcast number of
        systems / phases; ascending, K.
    """
    p, q, disc = three_level_char_poly(energies, d0, phi, allow_negative_hopping=allow_negative_hopping)
    return depressed_cubic_roots(p, q, disc)
