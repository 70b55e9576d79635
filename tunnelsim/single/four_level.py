"""The four-well plaquette (4LS) in a magnetic flux: paper appendix eq. A.1, docs/theory.md sec. 1.3.

Wells 1-2-3-4 on a square; nearest-neighbour hopping d1 with Peierls phase phi/4 on each bond
(H12 = H23 = H34 = H41 = d1 e^{i phi/4}), diagonal hopping d2 on 1-3 and 2-4. Two prescriptions for
the diagonal's phase:

* ``"symmetrised"`` (the paper's): e^{+-i phi/2} replaced by cos(phi/2), so H13 = H24 = d2 cos(phi/2).
  The spectrum is periodic in phi with period 2 pi.
* ``"straight"``: the straight path through the centre carries no phase in the symmetric gauge,
  H13 = H24 = d2. Each triangle (two edges and a diagonal) then encloses half the flux, and the
  spectrum is periodic with period 4 pi, not 2 pi.
"""

from __future__ import annotations

import numpy as np
import qutip

from tunnelsim.phases import ring_hopping
from tunnelsim.single._checks import flux, hopping, matrix_phase, well_energies
from tunnelsim.single.polynomials import depressed_quartic_roots
from tunnelsim.validation import check_bool, check_choice

__all__ = [
    "DIAGONALS",
    "four_level",
    "four_level_char_poly",
    "four_level_energies",
    "four_level_energies_degenerate",
    "four_level_period",
    "four_level_matrices",
    "checked_plaquette",
    "diagonal_hopping",
]

DIAGONALS = ("symmetrised", "straight")


def diagonal_hopping(d2: float, ph: np.ndarray, diagonal: str) -> np.ndarray:
    """The diagonal hopping t of eq. (1.7) in K: d2 cos(phi/2) ("symmetrised") or d2 ("straight"); phi in rad.

    Examples
    --------
    >>> import numpy as np
    >>> print(np.round(diagonal_hopping(0.5, np.array([0.0, np.pi]), 'symmetrised'), 6) + 0.0)  # d2 cos(phi/2)
    [0.5 0. ]
    >>> print(diagonal_hopping(0.5, np.array([0.0, np.pi]), 'straight'))
    [0.5 0.5]
    """
    return d2 * np.cos(ph / 2.0) if diagonal == "symmetrised" else d2 + 0.0 * ph


def checked_plaquette(energies, d1, d2, phi, diagonal: str, allow_negative_hopping: bool):
    """The checked inputs of the plaquette (eq. 1.7): well energies (K), d1, d2 (K) and phi (rad) reduced mod 8 pi.

    8 pi is the matrix's own period, so the matrix and the closed forms see the same reduced phase.

    Examples
    --------
    >>> import numpy as np
    >>> E, d1, d2, phi = checked_plaquette([0.1, -0.1, 0.0, 0.0], 1.0, 0.5, 9 * np.pi, 'symmetrised', False)
    >>> print(round(float(np.ravel(phi)[0]) / np.pi, 6))  # 9 pi reduced mod 8 pi
    1.0
    """
    e = well_energies(energies, 4)
    a = hopping(d1, "d1", allow_negative_hopping)
    b = hopping(d2, "d2", allow_negative_hopping)
    check_choice(diagonal, "diagonal", DIAGONALS)
    return e, a, b, matrix_phase(flux(phi), 4)


def four_level_period(diagonal: str = "symmetrised") -> float:
    """Period in phi (radians) of the 4LS spectrum: 2 pi (symmetrised) or 4 pi (straight).

    docs/theory.md sec. 1.3: phi -> phi + 2 pi is removed from the square bonds by the gauge
    transformation diag(1, i, -1, -i), which flips the sign of both diagonal elements; the
    symmetrised cos(phi/2) flips sign too and compensates, the straight diagonal does not.

    Examples
    --------
    >>> import numpy as np
    >>> four_level_period() / np.pi, four_level_period('straight') / np.pi
    (2.0, 4.0)
    >>> E, phi = [0.1, -0.2, 0.3, -0.2], 0.4
    >>> shifted = four_level_energies(E, 1.0, 0.5, phi + four_level_period())
    >>> bool(np.allclose(four_level_energies(E, 1.0, 0.5, phi), shifted))
    True
    """
    check_choice(diagonal, "diagonal", DIAGONALS)
    return 2 * np.pi if diagonal == "symmetrised" else 4 * np.pi


def four_level(energies, d1: float, d2: float, phi: float = 0.0, diagonal: str = "symmetrised", *,
               allow_negative_hopping: bool = False) -> qutip.Qobj:
    """Hamiltonian of the square plaquette with nearest and next-nearest hopping in a flux.

    Implements docs/theory.md eq. (1.7) (paper eq. A.1)::

        H = [[E1,  w,   t,   w*],
             [w*,  E2,  w,   t ],
             [t,   w*,  E3,  w ],
             [w,   t,   w*,  E4]],   w = d1 e^{i phi/4},  t = d2 cos(phi/2) or d2.

    The nearest-neighbour part is the ring of four wells of :func:`tunnelsim.phases.ring_hopping`;
    the diagonal hopping t is this module's own.

    Parameters
    ----------
    energies : array_like, shape (4,)
        Well energies in K, summing to zero.
    d1, d2 : float
        Nearest-neighbour and diagonal hopping in K: d1 > 0 and d2 >= 0 by convention (d2 = 0 is the plain
        square, the appendix's first case); any sign with ``allow_negative_hopping``.
    phi : float
        Flux phase through the square, radians.
    diagonal : {"symmetrised", "straight"}
        Phase prescription of the diagonal hopping (module docstring).

    Returns
    -------
    qutip.Qobj
        4 x 4 Hermitian operator, K.

    Examples
    --------
    >>> import numpy as np
    >>> H = four_level([0.0] * 4, 1.0, 0.5)  # eq. (1.10) at phi = 0: d2 - 2 d1, -d2 (twice), 2 d1 + d2
    >>> print(np.round(H.eigenenergies(), 6) + 0.0)
    [-1.5 -0.5 -0.5  2.5]
    """
    if flux(phi).ndim != 0:
        raise ValueError("phi must be a single number for four_level (use four_level_energies for arrays)")
    return qutip.Qobj(four_level_matrices(energies, d1, d2, phi, diagonal, allow_negative_hopping)[0])


def four_level_matrices(energies, d1, d2, phi, diagonal: str = "symmetrised",
                        allow_negative_hopping: bool = False) -> np.ndarray:
    """The plaquette matrices of eq. (1.7) (docs/theory.md sec. 1.3) for each phase of ``phi`` (checked once).

    Energies, d1, d2 in K, phi in rad (scalar or M phases); returns shape (M, 4, 4), complex, K. The
    batched builder of :func:`four_level` (and of the sweeps of :mod:`tunnelsim.single.spectra`).

    Examples
    --------
    >>> import numpy as np
    >>> H = four_level_matrices([0.1, -0.2, 0.3, -0.2], 1.0, 0.5, [0.0, 0.4])
    >>> H.shape
    (2, 4, 4)
    >>> bool(np.allclose(H[1], four_level([0.1, -0.2, 0.3, -0.2], 1.0, 0.5, 0.4).full()))
    True
    """
    e, a, b, ph = checked_plaquette(energies, d1, d2, phi, diagonal, allow_negative_hopping)
    ph = np.atleast_1d(ph)
    h = (ring_hopping(a, ph, 4) + np.diag(e)).astype(complex)
    h[:, [0, 1, 2, 3], [2, 3, 0, 1]] = diagonal_hopping(b, ph, diagonal)[:, None]
    return h


def four_level_char_poly(energies, d1: float, d2: float, phi=0.0, diagonal: str = "symmetrised", *,
                         allow_negative_hopping: bool = False):
    """Coefficients of det(lambda - H) = lambda^4 + a lambda^2 + b lambda + c for the 4LS.

    Derived in docs/theory.md eq. (1.8), with t the diagonal element and e_k the elementary
    symmetric polynomials of the well energies::

        a = e2 - 4 d1^2 - 2 t^2                      (e2 = -sum E_i^2 / 2)
        b = -(e3 + 8 d1^2 t cos(phi/2))
        c = E1 E2 E3 E4 - t^2 (E1 E3 + E2 E4) - d1^2 (E1 + E3)(E2 + E4) + t^4 - 4 d1^2 t^2
            + 2 d1^4 (1 - cos phi)

    Every triangle of the square (two edges and one diagonal) has the loop product d1^2 t e^{i phi/2}.

    Parameters
    ----------
    energies : array_like, shape (4,)
        Well energies in K, summing to zero.
    d1, d2 : float
        Hoppings in K: d1 > 0, d2 >= 0 (any sign with ``allow_negative_hopping``).
    phi : float or 1-D array_like
        Flux phase(s), radians.
    diagonal : {"symmetrised", "straight"}
        Diagonal phase prescription.

    Returns
    -------
    tuple of numpy.ndarray
        (a, b, c), broadcast over phi; units K^2, K^3, K^4.

    Examples
    --------
    >>> import numpy as np
    >>> a, b, c = four_level_char_poly([0.0] * 4, 1.0, 0.0)  # plain square: lambda^2 (lambda^2 - 4 d1^2)
    >>> print(float(a), float(b) + 0.0, float(c) + 0.0)
    -4.0 0.0 0.0
    >>> E = [0.1, -0.2, 0.3, -0.2]
    >>> a, b, c = four_level_char_poly(E, 1.0, 0.5, 0.4)
    >>> bool(np.allclose([1, 0, a, b, c], np.poly(four_level(E, 1.0, 0.5, 0.4).full())))
    True
    """
    e, d, b2, ph = checked_plaquette(energies, d1, d2, phi, diagonal, allow_negative_hopping)
    t = diagonal_hopping(b2, ph, diagonal)
    e1, e2_, e3_, e4 = e
    sym2 = -0.5 * float(np.sum(e**2))
    sym3 = e1 * e2_ * e3_ + e1 * e2_ * e4 + e1 * e3_ * e4 + e2_ * e3_ * e4
    a = sym2 - 4.0 * d * d - 2.0 * t * t
    b = -(sym3 + 8.0 * d * d * t * np.cos(ph / 2.0))
    c = (e1 * e2_ * e3_ * e4 - t * t * (e1 * e3_ + e2_ * e4) - d * d * (e1 + e3_) * (e2_ + e4)
         + t**4 - 4.0 * d * d * t * t + 2.0 * d**4 * (1.0 - np.cos(ph)))
    return a, b, c


def four_level_energies(energies, d1: float, d2: float, phi=0.0, diagonal: str = "symmetrised", *,
                        allow_negative_hopping: bool = False) -> np.ndarray:
    """4LS levels as the roots of the analytic characteristic polynomial, ascending, vectorised over phi.

    Implements docs/theory.md eqs. (1.8)-(1.9): :func:`four_level_char_poly` solved with
    Descartes' closed form (:func:`tunnelsim.single.polynomials.depressed_quartic_roots`); no eigensolver.
    Accuracy: ~1e-15 relative for well separated levels; a near-degenerate pair splits with an
    absolute error ~ sqrt(eps) * max(d1, d2, |E|) ~ 1e-8 (the conditioning of the polynomial). For
    doublet splittings below ~1e-6 of the scale diagonalise :func:`four_level` instead.

    Parameters
    ----------
    energies : array_like, shape (4,)
        Well energies in K, summing to zero.
    d1, d2 : float
        Hoppings in K: d1 > 0, d2 >= 0 (any sign with ``allow_negative_hopping``).
    phi : float or 1-D array_like
        Flux phase(s), radians (any real value; reduced mod 8 pi like the matrix).
    diagonal : {"symmetrised", "straight"}
        Diagonal phase prescription.

    Returns
    -------
    numpy.ndarray
        Shape (4,) or (len(phi), 4), K.

    Examples
    --------
    >>> import numpy as np
    >>> print(np.round(four_level_energies([0.0] * 4, 1.0, 0.5), 6) + 0.0)
    [-1.5 -0.5 -0.5  2.5]
    >>> E = [0.1, -0.2, 0.3, -0.2]
    >>> bool(np.allclose(four_level_energies(E, 1.0, 0.5, 0.4), four_level(E, 1.0, 0.5, 0.4).eigenenergies()))
    True
    """
    a, b, c = four_level_char_poly(energies, d1, d2, phi, diagonal, allow_negative_hopping=allow_negative_hopping)
    return depressed_quartic_roots(a, b, c)


def four_level_energies_degenerate(d1: float, d2: float, phi=0.0, diagonal: str = "symmetrised", *,
                                   sort: bool = True) -> np.ndarray:
    """Closed form of the 4LS levels with all well energies zero, ascending (or by Fourier index k).

    docs/theory.md eq. (1.10): the Hamiltonian is circulant, with eigenvalues
    lambda_k = 2 d1 cos(phi/4 + pi k/2) + t (-1)^k, k = 0..3, t = d2 cos(phi/2) (symmetrised) or d2
    (straight); the eigenvector of lambda_k is the Fourier state (1, i^k, (-1)^k, (-i)^k)/2. At
    phi = 0: 2 d1 + d2, -d2 (twice), d2 - 2 d1. For d2 > d1 the ground doublet (k = 1, 3) is split
    by the flux as 4 d1 |sin(phi/4)|.

    Parameters
    ----------
    d1, d2 : float
        Hoppings in K, any real value (this closed form holds for every sign).
    phi : float or 1-D array_like
        Flux phase(s), radians.
    diagonal : {"symmetrised", "straight"}
        Diagonal phase prescription.
    sort : bool
        Ascending levels (default), or lambda_0..lambda_3 in the order of k (which level is which
        Fourier state).

    Returns
    -------
    numpy.ndarray
        Shape (4,) or (len(phi), 4), K.

    Examples
    --------
    >>> import numpy as np
    >>> print(four_level_energies_degenerate(1.0, 0.5) + 0.0)  # 2 d1 + d2, -d2 (twice), d2 - 2 d1, ascending
    [-1.5 -0.5 -0.5  2.5]
    >>> print(np.round(four_level_energies_degenerate(1.0, 0.5, sort=False), 6) + 0.0)  # by Fourier index k
    [ 2.5 -0.5 -1.5 -0.5]
    >>> exact = four_level([0.0] * 4, 1.0, 0.5, 0.8).eigenenergies()
    >>> bool(np.allclose(four_level_energies_degenerate(1.0, 0.5, 0.8), exact))
    True
    """
    d = hopping(d1, "d1", True)
    b2 = hopping(d2, "d2", True)
    check_choice(diagonal, "diagonal", DIAGONALS)
    ph = matrix_phase(flux(phi), 4)  # the matrix period 8 pi: same reduced phase in matrix and closed forms
    sort = check_bool(sort, "sort")
    t = diagonal_hopping(b2, ph, diagonal)
    k = np.arange(4)
    lam = 2.0 * d * np.cos(ph[..., None] / 4.0 + np.pi * k / 2.0) + t[..., None] * (-1.0) ** k
    return np.sort(lam, axis=-1) if sort else lam
