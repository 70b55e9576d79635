"""What every cluster model shares: Hamiltonian, eigenenergies, eigenstates (docs/clusters.md secs. 1 and 3).

A model supplies only its terms (docs/theory.md sec. 3, eq. (3.1) of :mod:`clusters.hamiltonians`):
``_terms()`` -> (well energies (N, d), one-particle hoppings (N, d, d)), the pair matrix ``pair``
and, for uniform clusters, ``sector_hamiltonian()`` (plus ``_sector_tridiagonal()`` with
``_sector_is_tridiagonal = True`` where the sector is tridiagonal). Everything else is built here
from :mod:`clusters.hamiltonians` and solved by :func:`clusters.solvers.solve`.
"""

from __future__ import annotations

import functools

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import norm as sparse_norm

from tunnelsim.validation import as_real_scalar, check_choice, check_positive

from ..bases import SymmetricSector
from ..hamiltonians import configuration_energies, hamiltonian_csr, hamiltonian_operator, norm_bound
from ..memory import GIB, check_memory, qobj_bytes
from ..solvers import Problem, estimate_bytes, methods, solve

__all__ = ["ClusterBase", "HAMILTONIAN_MAX_BYTES", "QOBJ_STATE_MAX_DIM", "FULL_SPACE_MAX_DIM"]

#: ``.hamiltonian()`` refuses to build a Qobj whose CSR data would exceed this many bytes (2 GiB).
HAMILTONIAN_MAX_BYTES = 2 * GIB
#: ``.eigenstates`` returns Qobj kets up to this full-space dimension (2^16), numpy columns beyond.
QOBJ_STATE_MAX_DIM = 2**16
#: Full spaces beyond this dimension (2^40) are refused before any estimate (no memory could hold them).
FULL_SPACE_MAX_DIM = 2**40


class ClusterBase:
    """Common interface: ``hamiltonian``, ``eigenenergies``, ``eigenstates`` (see the subclasses)."""

    local_dim: int = 2
    pair: np.ndarray
    n: int
    couplings: np.ndarray
    is_uniform: bool = False

    # --- supplied by subclasses -------------------------------------------------------------
    def _terms(self) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - abstract
        raise NotImplementedError

    def sector_hamiltonian(self) -> sp.csr_matrix:  # pragma: no cover - abstract
        raise NotImplementedError

    _sector_is_tridiagonal = False

    def _sector_tridiagonal(self) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - abstract
        raise NotImplementedError

    # --- spaces -------------------------------------------------------------------------------
    @property
    def dimension(self) -> int:
        """Dimension d^N of the full product space (a Python int, exact for any N)."""
        return self.local_dim**self.n

    @property
    def sector_dimension(self) -> int:
        """Dimension of the permutation-symmetric sector (2LS: N + 1; 3LS: (N+1)(N+2)/2)."""
        return SymmetricSector(self.n, self.local_dim).dimension

    def _require_uniform(self) -> None:
        if not self.is_uniform:
            raise ValueError(
                "method='sector' needs a uniform cluster (identical particles, all-to-all coupling); "
                f"build it with {type(self).__name__}.uniform(...)"
            )

    def _full_parts(self) -> tuple[np.ndarray, np.ndarray]:
        """(configuration energies D, hoppings h_i), built once (eq. 3.1)."""
        cache = self.__dict__.get("_parts_cache")
        if cache is None:
            check_memory(8.0 * float(min(self.dimension, 2**62)) * 3, f"the diagonal of a {self.n}-particle cluster")
            wells, hop = self._terms()
            cache = (configuration_energies(wells, self.couplings, self.pair), hop)
            self.__dict__["_parts_cache"] = cache
        return cache

    def _full_problem(self) -> Problem:
        d, n, parts = self.local_dim, self.n, self._full_parts
        return Problem(
            dimension=self.dimension, nnz_per_row=1 + n * (d - 1), is_complex=bool(np.iscomplexobj(self._terms()[1])),
            label=f"N={n} particles (dimension {d}^{n} = {self.dimension})",
            csr=lambda: hamiltonian_csr(*parts()), operator=lambda: hamiltonian_operator(*parts()),
            apply=lambda xs: hamiltonian_operator(*parts()) @ xs, scale=lambda: norm_bound(*parts()))

    def _sector_problem(self) -> Problem:
        self._require_uniform()
        csr = functools.cache(self.sector_hamiltonian)
        tri = functools.cache(self._sector_tridiagonal) if self._sector_is_tridiagonal else None
        dim = self.sector_dimension
        return Problem(
            dimension=dim, nnz_per_row=1 + self.local_dim * (self.local_dim - 1),
            is_complex=bool(np.iscomplexobj(self._terms()[1])), label=f"the symmetric sector of dimension {dim}",
            csr=csr, tridiagonal=tri,
            apply=lambda xs: csr() @ xs, scale=lambda: float(sparse_norm(csr(), 1)))

    def _check_full_size(self, k: int | None) -> None:
        if self.dimension > FULL_SPACE_MAX_DIM:
            need = estimate_bytes("matrix_free", self._full_problem(), k or 1)
            raise ValueError(
                f"the full space of dimension {self.local_dim}^{self.n} is far beyond any memory (matrix-free "
                f"Lanczos alone would need about {need / GIB:.3g} GiB); use the symmetric sector of a uniform "
                "cluster"
            )

    # --- public -------------------------------------------------------------------------------
    def hamiltonian(self, max_bytes: float | None = None):
        """The full cluster Hamiltonian (eq. 3.1) as a :class:`qutip.Qobj` (CSR data), in K.

        dims are [[d]*N, [d]*N] with particle 0 the leftmost tensor factor (basis of :mod:`clusters.bases`).

        Parameters
        ----------
        max_bytes : float, optional
            Refuse (with :class:`~clusters.memory.ClusterMemoryError`) when the estimated size of
            the Qobj exceeds this many bytes; default ``HAMILTONIAN_MAX_BYTES`` (2 GiB), capped by
            the memory available.
        """
        limit = HAMILTONIAN_MAX_BYTES if max_bytes is None else float(check_positive(
            as_real_scalar(max_bytes, "max_bytes"), "max_bytes"))
        d, n = self.local_dim, self.n
        check_memory(qobj_bytes(self.dimension, 1 + n * (d - 1)),
                     f"hamiltonian() as a QuTiP Qobj for N={n} (dimension {d}^{n})", limit=limit)
        import qutip

        return qutip.Qobj(hamiltonian_csr(*self._full_parts()), dims=[[d] * n, [d] * n], isherm=True)

    def _solve(self, k: int | None, method: str, vectors: bool):
        method = check_choice(method, "method", ("auto", "sector", *methods()))
        if method == "sector" or (method == "auto" and self.is_uniform):
            e, v, _ = solve(self._sector_problem(), k, "auto", vectors)
            return e, v, "sector"
        self._check_full_size(k)
        return solve(self._full_problem(), k, method, vectors)

    def eigenenergies(self, k: int | None = None, method: str = "auto") -> np.ndarray:
        """Lowest k energy levels in K, ascending (docs/clusters.md sec. 3; eq. 3.1 of docs/theory.md sec. 3).

        Parameters
        ----------
        k : int, optional
            Number of levels; None gives all levels (dense, or the whole sector).
        method : str
            ``auto``: the symmetric sector for uniform clusters; otherwise the automatic choice of
            :func:`clusters.solvers.choose_backend` (dense up to dimension 1024, CSR Lanczos up to
            2^20, matrix-free Lanczos beyond). ``sector`` (uniform clusters only) returns the levels of
            the permutation-symmetric sector; a backend name (``dense``, ``sparse``, ``matrix_free``,
            ... see :func:`clusters.solvers.methods`) the levels of the full product space (which for
            a uniform cluster include the other symmetry sectors).

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
            Full-space solves: a list of Qobj kets (dims [[d]*N, [1]*N]) when d^N <= 2^16, otherwise an
            ndarray of shape (d^N, k) whose columns are the states in the product basis of
            :mod:`clusters.bases`. Sector solves (the default for uniform clusters): an ndarray of
            shape (sector dimension, k), columns in the sector basis of :mod:`clusters.bases`; embed
            with :func:`clusters.embed_symmetric_state`.
        """
        e, v, used = self._solve(k, method, True)
        if used == "sector" or self.dimension > QOBJ_STATE_MAX_DIM:
            return e, v
        import qutip

        dims = [[self.local_dim] * self.n, [1] * self.n]
        return e, [qutip.Qobj(v[:, j].reshape(-1, 1), dims=dims) for j in range(v.shape[1])]
