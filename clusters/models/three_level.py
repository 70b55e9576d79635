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

from tunnelsim.validation import (
    as_real_array,
    as_real_scalar,
    check_int,
    check_positive,
    check_square_symmetric,
    check_sum_zero,
)

from ..hamiltonians import SAME_WELL_PAIR, three_level_sector_hamiltonian, three_level_terms
from .base import ClusterBase
from .two_level import _frozen

__all__ = ["ThreeLevelCluster"]


class ThreeLevelCluster(ClusterBase):
    """N three-level systems coupled by J_ij when in the same well (energies in K).

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
        values and the default solver uses the symmetric sector, dimension (N+1)(N+2)/2).
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
        self.energies = _frozen(e)
        self.d0s = _frozen(d0)
        self.couplings = _frozen(coup)
        self.phi = as_real_scalar(phi, "phi")
        self.is_uniform = False

    @classmethod
    def uniform(cls, n: int, energies, d0: float, coupling: float, phi: float = 0.0) -> ThreeLevelCluster:
        """N identical 3LS with all-to-all coupling J (solved in the symmetric sector).

        Parameters
        ----------
        n : int
            Number of particles (>= 1; N = 200 gives a sector of dimension 20301).
        energies : array_like, shape (3,)
            Well energies (E1, E2, E3) in K, summing to zero.
        d0 : float
            Hopping D0 > 0 in K.
        coupling : float
            J in K.
        phi : float
            Flux phase in rad.
        """
        n = check_int(n, "n", minimum=1)
        e = as_real_array(energies, "energies", shape=(3,))
        check_sum_zero(e, "energies")
        d0 = float(check_positive(as_real_scalar(d0, "d0"), "d0"))
        coupling = as_real_scalar(coupling, "coupling")
        obj = cls(np.tile(e, (n, 1)), np.full(n, d0), coupling * (np.ones((n, n)) - np.eye(n)), phi)
        obj.is_uniform = True
        obj.energy, obj.d0, obj.coupling = _frozen(e), d0, coupling
        return obj

    def __repr__(self) -> str:
        if self.is_uniform:
            return (f"ThreeLevelCluster.uniform(n={self.n}, energies={self.energy.tolist()}, d0={self.d0:g}, "
                    f"coupling={self.coupling:g}, phi={self.phi:g})")
        return f"ThreeLevelCluster(n={self.n}, phi={self.phi:g})"

    def _terms(self) -> tuple[np.ndarray, np.ndarray]:
        return three_level_terms(self.energies, self.d0s, self.phi)

    def sector_hamiltonian(self) -> sp.csr_matrix:
        """H in the symmetric sector in K (uniform clusters; basis of :class:`clusters.bases.SymmetricSector`)."""
        self._require_uniform()
        return three_level_sector_hamiltonian(self.n, self.energy, self.d0, self.coupling, self.phi)

    def renormalised(self):
        """The appendix's fictitious 3LS (A.9-A.20); see :func:`clusters.renormalisation.renormalise_three_level`."""
        from ..renormalisation import renormalise_three_level
        return renormalise_three_level(self)

    def coherent_multiplet(self, **kwargs):
        """Exact effective 3LS of {|a...a>}; see :func:`clusters.coherent.coherent_multiplet`."""
        from ..coherent import coherent_multiplet
        return coherent_multiplet(self, **kwargs)
