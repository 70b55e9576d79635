"""The anomalous tunneling system as a three-level system (3LS) on a triangle in a magnetic flux.

docs/theory.md sec. 1.2; paper eq. 3 (with the Peierls phase of Jug, Phil. Mag. 84, 3599 (2004))
and eq. 7 (Viete's closed form).
"""

from __future__ import annotations

import numpy as np
import qutip

from tunnelsim.single._checks import flux, hopping, well_energies
from tunnelsim.single.polynomials import depressed_cubic_roots

__all__ = ["three_level", "three_level_energies", "three_level_char_poly"]


def three_level(energies, d0: float, phi: float = 0.0, *, allow_negative_hopping: bool = False) -> qutip.Qobj:
    """Hamiltonian of the 3LS (ATS) with Aharonov-Bohm phase phi.

    Implements docs/theory.md eq. (1.3)::

        H = [[E1,               D0 e^{i phi/3},  D0 e^{-i phi/3}],
             [D0 e^{-i phi/3},  E2,              D0 e^{i phi/3} ],
             [D0 e^{i phi/3},   D0 e^{-i phi/3}, E3             ]]

    whose gauge-invariant loop product is H12 H23 H31 = D0^3 e^{i phi}.

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
    w = d * np.exp(1j * float(ph) / 3.0)
    h = np.array([[e[0], w, np.conj(w)], [np.conj(w), e[1], w], [w, np.conj(w), e[2]]])
    return qutip.Qobj(h)


def three_level_char_poly(energies, d0: float, phi=0.0, *, allow_negative_hopping: bool = False):
    """Coefficients of the characteristic polynomial lambda^3 - p lambda - q of the 3LS.

    docs/theory.md eq. (1.4): p = 3 D0^2 + (E1^2 + E2^2 + E3^2)/2, q = E1 E2 E3 + 2 D0^3 cos(phi).

    Returns
    -------
    tuple of numpy.ndarray
        (p, q, discriminant) with discriminant = (p/3)^3 - (q/2)^2 written without cancellation as
        D0^6 sin^2 phi + D0^4 s/2 + D0^2 s^2/12 - e3 D0^3 cos phi + prod_{i<j}(E_i - E_j)^2 / 108,
        s = sum E_i^2, e3 = E1 E2 E3 (units K^2, K^3, K^6).
    """
    e = well_energies(energies, 3)
    d = hopping(d0, "d0", allow_negative_hopping)
    ph = flux(phi)
    s = float(np.sum(e**2))
    e3 = float(np.prod(e))
    p = 3.0 * d * d + 0.5 * s + 0.0 * ph
    q = e3 + 2.0 * d**3 * np.cos(ph)
    vander = ((e[0] - e[1]) * (e[1] - e[2]) * (e[0] - e[2])) ** 2
    disc = (d**6 * np.sin(ph) ** 2 + 0.5 * d**4 * s + d * d * s * s / 12.0
            - e3 * d**3 * np.cos(ph) + vander / 108.0)
    return p, q, disc


def three_level_energies(energies, d0: float, phi=0.0, *, allow_negative_hopping: bool = False) -> np.ndarray:
    """Exact 3LS levels from Viete's closed form, ascending, vectorised over phi.

    Implements docs/theory.md eq. (1.5) (paper eq. 7):
    lambda_k = 2 sqrt(p/3) cos( (1/3) arccos( (3q/(2p)) sqrt(3/p) ) - 2 pi k/3 ), with the
    arccos evaluated as atan2(sqrt(Delta), q/2) and the discriminant Delta taken from
    :func:`three_level_char_poly`, so that nearly degenerate doublets keep full relative accuracy.

    Parameters
    ----------
    energies : array_like, shape (3,)
        Well energies in K, summing to zero.
    d0 : float
        Hopping in K (> 0 by convention).
    phi : float or 1-D array_like
        Aharonov-Bohm phase(s) in radians.

    Returns
    -------
    numpy.ndarray
        Shape (3,) for scalar phi, (len(phi), 3) for an array; ascending, K.
    """
    p, q, disc = three_level_char_poly(energies, d0, phi, allow_negative_hopping=allow_negative_hopping)
    return depressed_cubic_roots(p, q, disc)
