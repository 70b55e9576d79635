"""Clusters of N interacting two-level systems (docs/theory.md sec. 3; docs/clusters.md sec. 1).

    H = sum_i 1/2 (Delta_i sigma^z_i + Delta0_i sigma^x_i) + sum_{i<j} J_ij sigma^z_i sigma^z_j,

with sigma^z |L> = +|L>, |L> the well 0 of every particle (paper eq. 1 for one particle, appendix
A.9 for the cluster). The terms are those of eq. (3.1) of :mod:`clusters.hamiltonians`.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import scipy.sparse as sp

from tunnelsim.validation import as_real_array, as_real_scalar, check_int, check_nonnegative, check_square_symmetric

from ..hamiltonians import SPIN_PAIR, two_level_sector_hamiltonian, two_level_terms, two_level_tridiagonal
from ..sectors import has_parity_symmetry, parity_sectors
from ..solvers import Problem, solve
from .base import ClusterBase, frozen

__all__ = ["TwoLevelCluster"]


class TwoLevelCluster(ClusterBase):
    """N two-level systems coupled by J_ij sigma^z_i sigma^z_j (energies in K; eq. 3.1 of docs/theory.md sec. 3).

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
        scalars, the default solver uses the S = N/2 sector, and the arrays are built on first access.

    Examples
    --------
    >>> import math
    >>> from clusters import TwoLevelCluster
    >>> one = TwoLevelCluster([0.3], [0.4], [[0.0]])   # N = 1: the 2LS of paper eq. 1
    >>> e = one.eigenenergies()
    >>> print(round(float(e[1] - e[0]), 12), round(math.hypot(0.3, 0.4), 12))   # gap sqrt(Delta^2 + Delta0^2)
    0.5 0.5
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
        self._asymmetries = frozen(asym)
        self._tunnelings = frozen(tun)
        self._couplings = frozen(coup)
        self._uniform = False

    @classmethod
    def uniform(cls, n: int, asymmetry: float, tunneling: float, coupling: float) -> TwoLevelCluster:
        """N identical 2LS with all-to-all coupling J (solved in the S = N/2 sector, dimension N + 1).

        Only the scalars are stored (no N x N array until a full-space method or ``.couplings`` asks).
        The sector Hamiltonian is eq. (3.2) of docs/theory.md sec. 3 (energies in K).

        Parameters
        ----------
        n : int
            Number of particles (>= 1; N = 10^5 solves in milliseconds in the sector).
        asymmetry, tunneling, coupling : float
            Delta, Delta0 (>= 0), J in K.

        Examples
        --------
        >>> from clusters import TwoLevelCluster
        >>> c = TwoLevelCluster.uniform(3, 0.2, 1.0, -0.5)   # the ground state is permutation symmetric
        >>> sector = c.eigenenergies(1)                     # S = 3/2 sector, dimension 4 (eq. 3.2)
        >>> full = c.eigenenergies(1, method="dense")       # the whole 2^3 space
        >>> print(round(float(sector[0]), 6), round(float(full[0]), 6))
        -2.163995 -2.163995
        """
        obj = cls.__new__(cls)
        obj.n = check_int(n, "n", minimum=1)
        obj.asymmetry = as_real_scalar(asymmetry, "asymmetry")
        obj.tunneling = float(check_nonnegative(as_real_scalar(tunneling, "tunneling"), "tunneling"))
        obj.coupling = as_real_scalar(coupling, "coupling")
        obj._asymmetries = obj._tunnelings = obj._couplings = None
        obj._uniform = True
        return obj

    @property
    def asymmetries(self) -> np.ndarray:
        """Delta_i in K, shape (N,)."""
        if self._asymmetries is None:
            self._asymmetries = frozen(np.full(self.n, self.asymmetry))
        return self._asymmetries

    @property
    def tunnelings(self) -> np.ndarray:
        """Delta0_i in K, shape (N,)."""
        if self._tunnelings is None:
            self._tunnelings = frozen(np.full(self.n, self.tunneling))
        return self._tunnelings

    def __repr__(self) -> str:
        if self.is_uniform:
            return (f"TwoLevelCluster.uniform(n={self.n}, asymmetry={self.asymmetry:g}, "
                    f"tunneling={self.tunneling:g}, coupling={self.coupling:g})")
        return f"TwoLevelCluster(n={self.n})"

    def _terms(self) -> tuple[np.ndarray, np.ndarray]:
        return two_level_terms(self.asymmetries, self.tunnelings)

    def _one_particle(self) -> np.ndarray:
        return np.stack([self.asymmetries, self.tunnelings], axis=1)

    def _is_complex(self) -> bool:
        return False

    def _symmetry_name(self) -> str | None:
        """"parity" when every Delta_i = 0 (:func:`clusters.sectors.has_parity_symmetry`)."""
        if self.asymmetry == 0.0 if self.is_uniform else has_parity_symmetry(self.asymmetries):
            return "parity"
        return None

    def _symmetry(self):
        """The spin-flip parity sectors when every Delta_i = 0 (:func:`clusters.sectors.parity_sectors`)."""
        if self.symmetry() != "parity":
            return None
        return (lambda: parity_sectors(self.asymmetries, self.tunnelings, self.couplings),
                [("P=+1", False, 1), ("P=-1", False, 1)])

    def _parameters(self) -> dict:
        if self.is_uniform:
            return {"n": self.n, "asymmetry": self.asymmetry, "tunneling": self.tunneling, "coupling": self.coupling}
        return {"asymmetries": self.asymmetries, "tunnelings": self.tunnelings, "couplings": self.couplings}

    def _rebuild(self, parameters: dict) -> TwoLevelCluster:
        return type(self).uniform(**parameters) if self.is_uniform else type(self)(**parameters)

    def sector_hamiltonian(self) -> sp.csr_matrix:
        """H in the S = N/2 sector in K (uniform clusters; basis of :class:`clusters.bases.SymmetricSector`)."""
        self._require_uniform()
        return two_level_sector_hamiltonian(self.n, self.asymmetry, self.tunneling, self.coupling)

    def _sector_tridiagonal(self) -> tuple[np.ndarray, np.ndarray]:
        return two_level_tridiagonal(self.n, self.asymmetry, self.tunneling, self.coupling)

    def sector_tridiagonal(self, number: str = "float", two_s: int | None = None):
        """A total-spin block of this uniform cluster as (diagonal, off-diagonal), in K (docs/theory.md sec. 3).

        :func:`clusters.hamiltonians.two_level_tridiagonal`: by default the S = N/2 sector, in float64 or
        (``number="mpmath"``) in mpmath at the current precision; ``two_s`` picks the block of total spin S.

        Examples
        --------
        >>> from clusters import TwoLevelCluster
        >>> diag, off = TwoLevelCluster.uniform(1, 0.3, 0.4, 0.0).sector_tridiagonal()   # N = 1: eq. 3.2 is eq. 1
        >>> print(diag.round(12).tolist(), off.round(12).tolist())                       # +-Delta/2 and Delta0/2
        [0.15, -0.15] [0.2]
        """
        self._require_uniform()
        return two_level_tridiagonal(self.n, self.asymmetry, self.tunneling, self.coupling, number=number,
                                     two_s=two_s)

    def lowest_outside_sector(self) -> float:
        """Lowest level (K) of this uniform cluster outside the S = N/2 sector (inf for N = 1).

        Every total spin S < N/2 is a tridiagonal block (:meth:`sector_tridiagonal` with ``two_s``),
        each solved by :func:`clusters.solvers.solve`. The symmetric sector sees only S = N/2: the
        coherent doublet is the cluster's low doublet only if every other block lies above it.

        Examples
        --------
        >>> from clusters import TwoLevelCluster
        >>> TwoLevelCluster.uniform(2, 0.3, 1.0, -0.5).lowest_outside_sector()   # N = 2: the singlet, E = -J
        0.5
        """
        self._require_uniform()
        lowest = math.inf
        for two_s in range(self.n - 2, -1, -2):
            tri = functools.partial(self.sector_tridiagonal, two_s=two_s)
            problem = Problem(dimension=two_s + 1, nnz_per_row=3, is_complex=False,
                              label=f"the S = {two_s}/2 block of N={self.n} particles", tridiagonal=tri)
            lowest = min(lowest, float(solve(problem, 1, "tridiagonal")[0][0]))
        return lowest
