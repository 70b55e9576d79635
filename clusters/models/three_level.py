"""Clusters of N interacting three-level systems (docs/theory.md secs. 1.2 and 3; docs/clusters.md sec. 1).

    H = sum_i H_3LS(E^i, D0_i, phi) + sum_{i<j} J_ij sum_a |a><a|_i |a><a|_j,

each particle the 3x3 matrix of docs/theory.md sec. 1.2 (paper eq. 3 with the Peierls phase:
H12 = H23 = H31 = D0 e^{i phi/3}, diagonal = the well energies), plus J_ij for each pair in the
same well. Every particle feels the same flux phase phi. The terms are those of eq. (3.1) of
:mod:`clusters.hamiltonians`.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from tunnelsim.phases import ring_hopping
from tunnelsim.validation import (
    as_real_array,
    as_real_scalar,
    check_int,
    check_positive,
    check_square_symmetric,
    check_sum_zero,
)

from ..hamiltonians import SAME_WELL_PAIR, three_level_sector_hamiltonian, three_level_terms
from ..sectors import has_z3_symmetry, z3_sectors
from .base import ClusterBase, frozen

__all__ = ["ThreeLevelCluster"]


class ThreeLevelCluster(ClusterBase):
    """N three-level systems coupled by J_ij when in the same well (energies in K; eq. 3.1 of docs/theory.md sec. 3).

    Parameters
    ----------
    energies : array_like, shape (N, 3)
        Well energies E^i_a in K; each row sums to zero.
    d0s : array_like, shape (N,)
        Hoppings D0_i > 0 in K.
    couplings : array_like, shape (N, N)
        J_ij in K, symmetric with zero diagonal.
    phi : float
        Flux phase in rad (2 pi Phi / Phi_0), the same for every particle.

    Attributes
    ----------
    n : int
    energies : ndarray, shape (N, 3)
    d0s : ndarray, shape (N,)
    couplings : ndarray, shape (N, N)
    phi : float
    is_uniform : bool
        True when built by :meth:`uniform` (then ``energy``, ``d0``, ``coupling`` hold the single-particle
        values, the default solver uses the symmetric sector, dimension (N+1)(N+2)/2, and the arrays
        are built on first access).

    Examples
    --------
    >>> import numpy as np
    >>> from clusters import ThreeLevelCluster
    >>> one = ThreeLevelCluster([[0.0, 0.0, 0.0]], [1.0], [[0.0]], phi=0.3)   # N = 1: the ATS ring (sec. 1.2)
    >>> print(np.round(one.eigenenergies(), 6))
    [-1.167921 -0.822088  1.990008]
    >>> print(np.round(np.sort(2.0 * np.cos((0.3 + 2 * np.pi * np.arange(3)) / 3)), 6))   # 2 D0 cos((phi + 2 pi k)/3)
    [-1.167921 -0.822088  1.990008]
    """

    local_dim = 3
    pair = SAME_WELL_PAIR

    def __init__(self, energies, d0s, couplings, phi: float = 0.0) -> None:
        e = as_real_array(energies, "energies", shape=(None, 3))
        n = e.shape[0]
        check_sum_zero(e, "energies", axis=1)
        d0 = as_real_array(d0s, "d0s", ndim=1)
        if d0.shape != (n,):
            raise ValueError(f"d0s must have shape ({n},) to match energies of shape {e.shape}, got {d0.shape}")
        check_positive(d0, "d0s")
        coup = check_square_symmetric(couplings, "couplings", n)
        self.n = int(n)
        self._energies = frozen(e)
        self._d0s = frozen(d0)
        self._couplings = frozen(coup)
        self.phi = as_real_scalar(phi, "phi")
        self._uniform = False

    @classmethod
    def uniform(cls, n: int, energies, d0: float, coupling: float, phi: float = 0.0) -> ThreeLevelCluster:
        """N identical 3LS with all-to-all coupling J (solved in the symmetric sector).

        The sector Hamiltonian is eq. (3.3) of docs/theory.md sec. 3 (energies in K).

        Parameters
        ----------
        n : int
            Number of particles (>= 1; N = 200 gives a sector of dimension 20301). Only the scalars are
            stored (no N x N array until a full-space method or ``.couplings`` asks).
        energies : array_like, shape (3,)
            Well energies (E1, E2, E3) in K, summing to zero.
        d0 : float
            Hopping D0 > 0 in K.
        coupling : float
            J in K.
        phi : float
            Flux phase in rad.

        Examples
        --------
        >>> from clusters import ThreeLevelCluster
        >>> c = ThreeLevelCluster.uniform(2, [0.1, -0.05, -0.05], 1.0, -0.5, phi=0.3)
        >>> sector = c.eigenenergies(1)                     # Schwinger-boson sector, dimension 6 (eq. 3.3)
        >>> full = c.eigenenergies(1, method="dense")       # the whole 3^2 space
        >>> print(round(float(sector[0]), 6), round(float(full[0]), 6))
        -2.546229 -2.546229
        """
        obj = cls.__new__(cls)
        obj.n = check_int(n, "n", minimum=1)
        e = as_real_array(energies, "energies", shape=(3,))
        check_sum_zero(e, "energies")
        obj.energy = frozen(e)
        obj.d0 = float(check_positive(as_real_scalar(d0, "d0"), "d0"))
        obj.coupling = as_real_scalar(coupling, "coupling")
        obj.phi = as_real_scalar(phi, "phi")
        obj._energies = obj._d0s = obj._couplings = None
        obj._uniform = True
        return obj

    @property
    def energies(self) -> np.ndarray:
        """E^i_a in K, shape (N, 3)."""
        if self._energies is None:
            self._energies = frozen(np.tile(self.energy, (self.n, 1)))
        return self._energies

    @property
    def d0s(self) -> np.ndarray:
        """D0_i in K, shape (N,)."""
        if self._d0s is None:
            self._d0s = frozen(np.full(self.n, self.d0))
        return self._d0s

    def __repr__(self) -> str:
        if self.is_uniform:
            return (f"ThreeLevelCluster.uniform(n={self.n}, energies={self.energy.tolist()}, d0={self.d0:g}, "
                    f"coupling={self.coupling:g}, phi={self.phi:g})")
        return f"ThreeLevelCluster(n={self.n}, phi={self.phi:g})"

    def _terms(self) -> tuple[np.ndarray, np.ndarray]:
        return three_level_terms(self.energies, self.d0s, self.phi)

    def _one_particle(self) -> np.ndarray:
        return np.concatenate([self.energies, self.d0s[:, None]], axis=1)

    def _is_complex(self) -> bool:
        return bool(np.any(np.imag(ring_hopping(1.0, self.phi, n_wells=3))))

    def _symmetry_name(self) -> str | None:
        """"z3" when every well energy is zero (:func:`clusters.sectors.has_z3_symmetry`)."""
        if not np.any(self.energy) if self.is_uniform else has_z3_symmetry(self.energies):
            return "z3"
        return None

    def _symmetry(self):
        """The Z3 sectors of the cyclic well shift when every well energy is zero (:mod:`clusters.sectors`).

        Returns (builder, [(name, is_complex, copies)]) or None.
        """
        if self.symmetry() != "z3":
            return None
        build = lambda: z3_sectors(self.energies, self.d0s, self.couplings, self.phi)  # noqa: E731
        if self._is_complex():
            return build, [("q=0", True, 1), ("q=1", True, 1), ("q=2", True, 1)]
        return build, [("q=0", False, 1), ("q=1 (and q=2)", True, 2)]

    def _parameters(self) -> dict:
        if self.is_uniform:
            return {"n": self.n, "energies": self.energy, "d0": self.d0, "coupling": self.coupling, "phi": self.phi}
        return {"energies": self.energies, "d0s": self.d0s, "couplings": self.couplings, "phi": self.phi}

    def _rebuild(self, parameters: dict) -> ThreeLevelCluster:
        return type(self).uniform(**parameters) if self.is_uniform else type(self)(**parameters)

    def sector_hamiltonian(self) -> sp.csr_matrix:
        """H in the symmetric sector in K (uniform clusters; basis of :class:`clusters.bases.SymmetricSector`)."""
        self._require_uniform()
        return three_level_sector_hamiltonian(self.n, self.energy, self.d0, self.coupling, self.phi)
