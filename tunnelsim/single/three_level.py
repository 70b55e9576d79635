"""The anomalous tunneling system as a three-level system (3LS) on a triangle in a magnetic flux.

docs/theory.md sec. 1.2; paper eq. 3 (with the Peierls phase of Jug, Phil. Mag. 84, 3599 (2004))
and eq. 7 (Viete's closed form). The closed forms are vectorised over the flux and over ensembles
of systems (one row of well energies per system), so the glass response uses them as they are.
"""

from __future__ import annotations

import numpy as np
import qutip

from tunnelsim.phases import ring_hopping
from tunnelsim.single._checks import flux, hopping, matrix_phase, systems_shape, well_energies
from tunnelsim.single.polynomials import depressed_cubic_roots

__all__ = ["three_level", "three_level_energies", "three_level_char_poly", "three_level_matrices"]


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
        Aharonov-Bohm phase in radians, phi = 2 pi Phi / Phi_0 (see :func:`tunnelsim.flux_phase`), any real
        value: it is reduced mod 6 pi (the matrix's own period) before use, as in the closed forms.
    allow_negative_hopping : bool
        Accept d0 <= 0 (the ground state is then a singlet at phi = 0).

    Returns
    -------
    qutip.Qobj
        3 x 3 Hermitian operator in the well basis, K.

    Examples
    --------
    >>> import numpy as np
    >>> H = three_level([0.0, 0.0, 0.0], 1.0)  # E = 0, phi = 0: levels -D0 (twice) and 2 D0
    >>> print(np.round(H.eigenenergies(), 6) + 0.0)
    [-1. -1.  2.]
    >>> H = three_level([0.1, -0.05, -0.05], 1.0, phi=0.3)
    >>> loop = complex(H[0, 1] * H[1, 2] * H[2, 0])  # gauge invariant: D0^3 e^{i phi}
    >>> print(round(np.angle(loop), 6), round(abs(loop), 6))
    0.3 1.0
    """
    if flux(phi).ndim != 0:
        raise ValueError("phi must be a single number for three_level (use three_level_energies for arrays)")
    return qutip.Qobj(three_level_matrices(energies, d0, phi, allow_negative_hopping)[0])


def three_level_matrices(energies, d0, phi, allow_negative_hopping: bool = False) -> np.ndarray:
    """The 3LS matrices of eq. (1.3) (docs/theory.md sec. 1.2) for each phase of ``phi`` (checked once), in K.

    Energies and d0 in K, phi in rad (scalar or array of M phases); returns shape (M, 3, 3), complex. The
    batched builder of :func:`three_level` (and of the sweeps of :mod:`tunnelsim.single.spectra`).

    Examples
    --------
    >>> import numpy as np
    >>> H = three_level_matrices([0.1, -0.05, -0.05], 1.0, [0.0, 0.5])
    >>> H.shape
    (2, 3, 3)
    >>> bool(np.allclose(H[1], three_level([0.1, -0.05, -0.05], 1.0, 0.5).full()))
    True
    >>> bool(np.allclose(H, np.conj(np.swapaxes(H, 1, 2))))  # Hermitian
    True
    """
    e = well_energies(energies, 3)
    d = hopping(d0, "d0", allow_negative_hopping)
    ph = np.atleast_1d(matrix_phase(flux(phi), 3))
    return (ring_hopping(d, ph, 3) + np.diag(e)).astype(complex)


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
        Aharonov-Bohm phase(s) in radians, any real value (reduced mod 6 pi like the matrix); broadcast
        against the systems.

    Returns
    -------
    tuple of numpy.ndarray
        (p, q, discriminant), broadcast over systems and phi, with discriminant = (p/3)^3 - (q/2)^2
        written without cancellation as
        D0^6 sin^2 phi + D0^4 s/2 + D0^2 s^2/12 - e3 D0^3 cos phi + prod_{i<j}(E_i - E_j)^2 / 108,
        s = sum E_i^2, e3 = E1 E2 E3 (units K^2, K^3, K^6).

    Examples
    --------
    >>> import numpy as np
    >>> p, q, disc = three_level_char_poly([0.0, 0.0, 0.0], 1.0)  # p = 3 D0^2, q = 2 D0^3, degenerate
    >>> print(float(p), float(q), round(float(disc), 12) + 0.0)
    3.0 2.0 0.0
    >>> p, q, disc = three_level_char_poly([0.0, 0.0, 0.0], 1.0, phi=np.pi / 2)  # disc = D0^6 sin^2 phi
    >>> print(round(float(disc), 12))
    1.0
    >>> E = [0.2, -0.15, -0.05]
    >>> p, q, _ = three_level_char_poly(E, 1.0, 0.7)
    >>> bool(np.allclose([1.0, 0.0, -p, -q], np.poly(three_level(E, 1.0, 0.7).full())))
    True
    """
    e = well_energies(energies, 3, ensemble=True)
    d = hopping(d0, "d0", allow_negative_hopping, ensemble=True)
    ph = flux(phi)
    systems_shape(e, d, ph)
    ph = matrix_phase(ph, 3)  # the same reduced phase as three_level's matrix (accurate at huge phi)
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

    Examples
    --------
    >>> import numpy as np
    >>> print(np.round(three_level_energies([0.0, 0.0, 0.0], 1.0), 6) + 0.0)  # 2 D0 cos(2 pi k/3)
    [-1. -1.  2.]
    >>> levels = three_level_energies([0.0, 0.0, 0.0], 1.0, phi=0.3)
    >>> print(round(levels[1] - levels[0], 6), round(2 * np.sqrt(3) * np.sin(0.3 / 3), 6))  # exact E = 0 gap
    0.345833 0.345833
    >>> E = [0.2, -0.15, -0.05]
    >>> bool(np.allclose(three_level_energies(E, 1.0, 0.7), three_level(E, 1.0, 0.7).eigenenergies()))
    True
    """
    p, q, disc = three_level_char_poly(energies, d0, phi, allow_negative_hopping=allow_negative_hopping)
    return depressed_cubic_roots(p, q, disc)
