"""The two-level system (2LS) of the standard tunneling model (docs/theory.md sec. 1.1, paper eq. 1)."""

from __future__ import annotations

import numpy as np
import qutip

from tunnelsim.validation import as_real_array, as_real_scalar

__all__ = ["two_level", "two_level_energies"]


def two_level(asymmetry: float, tunneling: float) -> qutip.Qobj:
    """Hamiltonian of a 2LS in the well basis: H = 1/2 (Delta sigma_z + Delta0 sigma_x).

    Implements docs/theory.md eq. (1.1) (paper eq. 1), with |L> = (1, 0), |R> = (0, 1) and
    sigma_z |L> = +|L>.

    Parameters
    ----------
    asymmetry : float
        Delta, the asymmetry energy in K.
    tunneling : float
        Delta0, the tunneling energy in K (twice the tunneling matrix element).

    Returns
    -------
    qutip.Qobj
        2 x 2 Hermitian operator, energies in K.

    Examples
    --------
    >>> two_level(0.3, 0.4).eigenenergies()
    array([-0.25,  0.25])
    """
    d = as_real_scalar(asymmetry, "asymmetry")
    d0 = as_real_scalar(tunneling, "tunneling")
    return qutip.Qobj(0.5 * np.array([[d, d0], [d0, -d]]))


def two_level_energies(asymmetry, tunneling) -> np.ndarray:
    """Closed-form levels -E/2, +E/2 of the 2LS, E = sqrt(Delta^2 + Delta0^2) (docs/theory.md eq. (1.2)).

    Parameters
    ----------
    asymmetry, tunneling : float or array_like
        Delta and Delta0 in K; broadcast against each other.

    Returns
    -------
    numpy.ndarray
        Shape ``broadcast.shape + (2,)``, ascending, in K.
    """
    d = as_real_array(asymmetry, "asymmetry")
    d0 = as_real_array(tunneling, "tunneling")
    e = np.hypot(d, d0)
    return np.stack([-0.5 * e, 0.5 * e], axis=-1)
