"""Solver methods shared by :class:`~clusters.TwoLevelCluster` and :class:`~clusters.ThreeLevelCluster`.

docs/clusters.md sec. 3 describes the choice of method; the physics of each model lives in its
own module (two_level_cluster.py, three_level_cluster.py).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from tunnelsim.validation import as_real_scalar, check_choice, check_positive

from .memory import GIB, check_memory, estimate_bytes
from .operators import hamiltonian_csr
from .solvers import METHODS, solve_full, solve_sector, warn_degenerate

__all__ = ["ClusterBase", "HAMILTONIAN_MAX_BYTES", "QOBJ_STATE_MAX_DIM"]

#: ``.hamiltonian()`` refuses to build a Qobj whose CSR data would exceed this many bytes (2 GiB).
HAMILTONIAN_MAX_BYTES = 2 * GIB
#: ``.eigenstates`` returns Qobj kets up to this full-space dimension (2^16), numpy columns beyond.
QOBJ_STATE_MAX_DIM = 2**16


class ClusterBase:
    """Common interface: ``hamiltonian``, ``eigenenergies``, ``eigenstates`` (see subclasses)."""

    local_dim: int = 2
    n: int
    couplings: np.ndarray
    is_uniform: bool = False

    # --- supplied by subclasses -------------------------------------------------------------
    def _diagonal(self) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _offdiagonal(self) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def sector_hamiltonian(self) -> sp.csr_matrix:  # pragma: no cover - abstract
        raise NotImplementedError

    _sector_is_tridiagonal = False

    # --- shared -------------------------------------------------------------------------------
    @property
    def dimension(self) -> int:
        """Dimension d^N of the full product space (a Python int, exact for any N)."""
        return self.local_dim**self.n

    @property
    def sector_dimension(self) -> int:
        """Dimension of the permutation-symmetric sector (2LS: N + 1; 3LS: (N+1)(N+2)/2)."""
        if self.local_dim == 2:
            return self.n + 1
        return (self.n + 1) * (self.n + 2) // 2

    def _require_uniform(self) -> None:
        if not self.is_uniform:
            raise ValueError(
                "method='sector' needs a uniform cluster (identical particles, all-to-all coupling); "
                f"build it with {type(self).__name__}.uniform(...)"
            )

    def _full_parts(self) -> tuple[np.ndarray, np.ndarray]:
        cache = self.__dict__.get("_parts_cache")
        if cache is None:
            check_memory(8.0 * float(min(self.dimension, 2**62)) * 3, f"the diagonal of a {self.n}-particle cluster")
            cache = (self._diagonal(), self._offdiagonal())
            self.__dict__["_parts_cache"] = cache
        return cache

    def _check_full_size(self, method: str, k: int | None) -> None:
        dim = self.dimension
        if dim > 2**40:
            raise ValueError(
                f"method={method!r} needs the full space of dimension {self.local_dim}^{self.n}, "
                f"far beyond any memory (matrix-free Lanczos alone would need about "
                f"{estimate_bytes(dim, 'matrix_free', k=k or 1) / GIB:.3g} GiB); use the symmetric sector of a "
                "uniform cluster"
            )
        if method != "auto":
            est = estimate_bytes(dim, method, n_particles=self.n, local_dim=self.local_dim, k=k or dim,
                                 complex_values=self._is_complex())
            check_memory(est, f"method={method!r} for N={self.n} particles (dimension {self.local_dim}^{self.n} "
                              f"= {dim})")

    def _is_complex(self) -> bool:
        return False

    def hamiltonian(self, max_bytes: float | None = None):
        """The full cluster Hamiltonian as a :class:`qutip.Qobj` (CSR data), in K.

        dims are [[d]*N, [d]*N] with particle 0 the leftmost tensor factor (docs/clusters.md sec. 1).

        Parameters
        ----------
        max_bytes : float, optional
            Refuse (with :class:`~clusters.memory.ClusterMemoryError`) when the estimated size of
            the Qobj exceeds this many bytes; default ``HAMILTONIAN_MAX_BYTES`` (2 GiB), capped by
            the memory available.
        """
        limit = HAMILTONIAN_MAX_BYTES if max_bytes is None else float(check_positive(
            as_real_scalar(max_bytes, "max_bytes"), "max_bytes"))
        dim = self.dimension
        need = estimate_bytes(dim, "qobj", n_particles=self.n, local_dim=self.local_dim)
        check_memory(need, f"hamiltonian() as a QuTiP Qobj for N={self.n} (dimension {self.local_dim}^{self.n})",
                     limit=limit)
        import qutip

        diag, hoff = self._full_parts()
        mat = hamiltonian_csr(diag, hoff)
        dims = [[self.local_dim] * self.n, [self.local_dim] * self.n]
        return qutip.Qobj(mat, dims=dims, isherm=True)

    def _solve(self, k: int | None, method: str, vectors: bool):
        method = check_choice(method, "method", METHODS)
        if method == "sector" or (method == "auto" and self.is_uniform):
            self._require_uniform()
            e, v = solve_sector(self.sector_hamiltonian(), k, vectors, tridiagonal=self._sector_is_tridiagonal)
            return e, v, "sector"
        self._check_full_size(method, k)
        diag, hoff = self._full_parts()
        e, v, used = solve_full(diag, hoff, k, method, vectors)
        warn_degenerate(e, used)
        return e, v, used

    def eigenenergies(self, k: int | None = None, method: str = "auto") -> np.ndarray:
        """Lowest k energy levels in K, ascending (docs/clusters.md sec. 3).

        Parameters
        ----------
        k : int, optional
            Number of levels; None gives all levels (dense, or the whole sector).
        method : {"auto", "dense", "sparse", "matrix_free", "sector"}
            ``auto``: the symmetric sector for uniform clusters; otherwise dense up to dimension
            1024, CSR Lanczos up to 2^20, matrix-free Lanczos beyond. ``sector`` (uniform clusters
            only) returns the levels of the permutation-symmetric sector; the others the levels of
            the full product space (which for a uniform cluster include the other symmetry sectors).

        Returns
        -------
        ndarray, shape (k,)
        """
        return self._solve(k, method, False)[0]

    def eigenstates(self, k: int | None = None, method: str = "auto"):
        """Lowest k eigenpairs (docs/clusters.md sec. 3).

        Returns
        -------
        energies : ndarray, shape (k,)
            In K, ascending.
        states : list of qutip.Qobj, or ndarray
            Full-space solves (dense / sparse / matrix_free): a list of Qobj kets (ket dims
            [[d]*N, [1]], QuTiP 5 style) when d^N <= 2^16, otherwise an ndarray of shape (d^N, k) whose columns
            are the states in the basis of :mod:`clusters.operators`. Sector solves (the default for
            uniform clusters): an ndarray of shape (sector dimension, k), columns in the sector basis
            of :mod:`clusters.symmetric`; embed with :func:`clusters.symmetric.embed_symmetric_state`.
        """
        e, v, used = self._solve(k, method, True)
        if used == "sector" or self.dimension > QOBJ_STATE_MAX_DIM:
            return e, v
        import qutip

        dims = [[self.local_dim] * self.n, [1] * self.n]
        return e, [qutip.Qobj(v[:, j].reshape(-1, 1), dims=dims) for j in range(v.shape[1])]
