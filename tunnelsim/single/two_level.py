"""The two-level system (2LS) of the standard tunneling model (docs/theory.md sec. 1.1, paper eq. 1)."""

from __future__ import annotations

import numpy as np
import qutip

from tunnelsim.single._checks import check_scale
from tunnelsim.validation import as_real_array, as_real_scalar

__all__ = ["two_level", "two_level_energies"]


def two_level(asymmetry: float, tunneling: float) -> qutip.Qobj:
    """Hamiltonian of a 2LS in the well basis: H = 1/2 (Delta sigma_z + Delta0 sigma_x).

    Implements docs/theory.md eq. (1.1) (paper eq. 1), with |L> = (1, 0), |R> = (0, 1) and
    sigma_z |L> = +|L>.

    Parameters
    ----------
    asymmetry : float
        Delta, the asymmetry energy in K (|Delta| <= MAX_ENERGY = 1e20 K, as every single-system energy).
    tunneling : float
        Delta0, the tunneling energy in K (twice the tunneling matrix element), |Delta0| <= 1e20 K.

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
    check_scale(d, "asymmetry")
    check_scale(d0, "tunneling")
    return qutip.Qobj(0.5 * np.array([[d, d0], [d0, -d]]))


def two_level_energies(asymmetry, tunneling) -> np.ndarray:
    """Closed-form levels -E/2, +E/2 of the 2LS, E = sqrt(Delta^2 + Delta0^2) (docs/theory.md eq. (1.2)).

    Parameters
    ----------
    asymmetry, tunneling : float or array_like
        Delta and Delta0 in K (magnitudes <= 1e20 K); broadcast against each other.

    Returns
    -------
    numpy.ndarray
        Shape ``broadcast.shape + (2,)``, ascending, in K.

    Examples
    --------
    >>> import numpy as np
    >>> two_level_energies(0.3, 0.4)  # E = sqrt(0.3^2 + 0.4^2) = 0.5 K
    array([-0.25,  0.25])
    >>> bool(np.allclose(two_level_energies(0.3, 0.4), two_level(0.3, 0.4).eigenenergies()))
    True
    """
    d = as_real_array(asymmetry, "asymmetry")
    d0 = as_real_array(tunneling, "tunneling")
    check_scale(d, "asymmetry")
    check_scale(d0, "tunneling")
    try:
        np.broadcast_shapes(d.shape, d0.shape)
    except ValueError:
        raise ValueError(f"asymmetry and tunneling must broadcast against each other (one value per system or a "
                         f"single value), got shapes {d.shape} and {d0.shape}") from None
    e = np.hypot(d, d0)
    return np.stack([-0.5 * e, 0.5 * e], axis=-1)
