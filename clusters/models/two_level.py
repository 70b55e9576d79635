"""Clusters of N interacting two-level systems (docs/theory.md sec. 3; docs/clusters.md sec. 1).

    H = sum_i 1/2 (Delta_i sigma^z_i + Delta0_i sigma^x_i) + sum_{i<j} J_ij sigma^z_i sigma^z_j,

with sigma^z |L> = +|L>, |L> the well 0 of every particle (paper eq. 1 for one particle, appendix
A.9 for the cluster). The terms are those of eq. (3.1) of :mod:`clusters.hamiltonians`.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from tunnelsim.validation import as_real_array, as_real_scalar, check_int, check_nonnegative, check_square_symmetric

from ..hamiltonians import SPIN_PAIR, two_level_sector_hamiltonian, two_level_terms, two_level_tridiagonal
from .base import ClusterBase

__all__ = ["TwoLevelCluster"]


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr = np.array(arr, dtype=float)
    arr.setflags(write=False)
    return arr


class TwoLevelCluster(ClusterBase):
    """N two-level systems coupled by J_ij sigma^z_i sigma^z_j (energies in K).

    Parameters
    ----------
    asymmetries : array_like, shape (N,)
        Delta_i in K.
    tunnelings : array_like, shape (N,)
        Delta0_i >= 0 in K.
    couplings : array_like, shape (N, N)
        J_ij in K, symmetric with zero diagonal (see :mod:`clusters.couplings`).

    Attributes
    ----------
    n : int
    asymmetries, tunnelings : ndarray, shape (N,)
    couplings : ndarray, shape (N, N)
    is_uniform : bool
        True when built by :meth:`uniform`; then ``asymmetry``, ``tunneling``, ``coupling`` hold the
        scalars and the default solver uses the S = N/2 sector.
    """

    local_dim = 2
    pair = SPIN_PAIR
    _sector_is_tridiagonal = True

    def __init__(self, asymmetries, tunnelings, couplings) -> None:
        asym = as_real_array(asymmetries, "asymmetries", ndim=1)
        n = asym.shape[0]
        tun = as_real_array(tunnelings, "tunnelings", ndim=1)
        if tun.shape != (n,):
            raise ValueError(f"tunnelings must have shape ({n},) like asymmetries, got shape {tun.shape}")
        check_nonnegative(tun, "tunnelings")
        coup = check_square_symmetric(couplings, "couplings", n)
        self.n = int(n)
        self.asymmetries = _frozen(asym)
        self.tunnelings = _frozen(tun)
        self.couplings = _frozen(coup)
        self.is_uniform = False

    @classmethod
    def uniform(cls, n: int, asymmetry: float, tunneling: float, coupling: float) -> TwoLevelCluster:
        """N identical 2LS with all-to-all coupling J (solved in the S = N/2 sector, dimension N + 1).

        Parameters
        ----------
        n : int
            Number of particles (>= 1; hundreds or thousands are fine).
        asymmetry, tunneling, coupling : float
            Delta, Delta0 (>= 0), J in K.
        """
        n = check_int(n, "n", minimum=1)
        asymmetry = as_real_scalar(asymmetry, "asymmetry")
        tunneling = float(check_nonnegative(as_real_scalar(tunneling, "tunneling"), "tunneling"))
        coupling = as_real_scalar(coupling, "coupling")
        obj = cls(np.full(n, asymmetry), np.full(n, tunneling), coupling * (np.ones((n, n)) - np.eye(n)))
        obj.is_uniform = True
        obj.asymmetry, obj.tunneling, obj.coupling = asymmetry, tunneling, coupling
        return obj

    def __repr__(self) -> str:
        if self.is_uniform:
            return (f"TwoLevelCluster.uniform(n={self.n}, asymmetry={self.asymmetry:g}, "
                    f"tunneling={self.tunneling:g}, coupling={self.coupling:g})")
        return f"TwoLevelCluster(n={self.n})"

    def _terms(self) -> tuple[np.ndarray, np.ndarray]:
        return two_level_terms(self.asymmetries, self.tunnelings)

    def sector_hamiltonian(self) -> sp.csr_matrix:
        """H in the S = N/2 sector in K (uniform clusters; basis of :class:`clusters.bases.SymmetricSector`)."""
        self._require_uniform()
        return two_level_sector_hamiltonian(self.n, self.asymmetry, self.tunneling, self.coupling)

    def _sector_tridiagonal(self) -> tuple[np.ndarray, np.ndarray]:
        return two_level_tridiagonal(self.n, self.asymmetry, self.tunneling, self.coupling)

    def renormalised(self):
        """The appendix's fictitious particle (A.9-A.20); see :func:`clusters.renormalisation.renormalise_two_level`."""
        from ..renormalisation import renormalise_two_level
        return renormalise_two_level(self)

    def coherent_doublet(self, **kwargs):
        """Exact effective 2LS of {|L...L>, |R...R>}; see :func:`clusters.coherent.coherent_doublet`."""
        from ..coherent import coherent_doublet
        return coherent_doublet(self, **kwargs)
