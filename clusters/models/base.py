"""What every cluster model shares: Hamiltonian, eigenenergies, eigenstates (docs/clusters.md secs. 1 and 3).

A model supplies only its terms (docs/theory.md sec. 3, eq. (3.1) of :mod:`clusters.hamiltonians`):
``_terms()`` -> (well energies (N, d), one-particle hoppings (N, d, d)), the pair matrix ``pair``,
``_symmetry()`` (its symmetry sectors of the full space, :mod:`clusters.sectors`, or None),
``_one_particle()`` (per-particle parameters, rows compared to find identical particles) and, for
uniform clusters, ``sector_hamiltonian()`` (plus ``_sector_tridiagonal()`` with
``_sector_is_tridiagonal = True`` where the sector is tridiagonal). Everything else is built here
from :mod:`clusters.hamiltonians` and solved by :func:`clusters.solvers.solve`.

Uniform clusters keep their scalars: the per-particle arrays and the N x N couplings are built
only when something asks for them (a full-space method, or the attributes themselves).
"""

from __future__ import annotations

import functools
import math
import warnings

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import norm as sparse_norm

from tunnelsim.validation import as_complex_array, as_real_scalar, check_choice, check_positive

from ..bases import SymmetricSector, embed_symmetric_state
from ..hamiltonians import configuration_energies, hamiltonian_csr, hamiltonian_operator, norm_bound
from ..kernels import ProductKernel
from ..memory import GIB, check_memory, lean_lanczos_bytes, qobj_bytes
from ..solvers import Problem, check_k, methods, solve

__all__ = ["UnresolvedGapWarning", "ClusterBase", "HAMILTONIAN_MAX_BYTES", "FULL_SPACE_MAX_DIM", "frozen",
           "has_identical_particles"]


class UnresolvedGapWarning(RuntimeWarning):
    """Two returned levels differ by less than the float64 resolution of the levels (an exact degeneracy,
    or a splitting only extended precision resolves: ``coherent_doublet`` / ``coherent_multiplet``)."""

#: ``.hamiltonian()`` refuses to build a Qobj whose CSR data would exceed this many bytes (2 GiB).
HAMILTONIAN_MAX_BYTES = 2 * GIB
#: Full spaces beyond this dimension (2^40) are refused before any estimate (no memory could hold them).
FULL_SPACE_MAX_DIM = 2**40


def frozen(arr: np.ndarray) -> np.ndarray:
    """A read-only float64 copy."""
    arr = np.array(arr, dtype=float)
    arr.setflags(write=False)
    return arr


def has_identical_particles(one_particle: np.ndarray, couplings: np.ndarray) -> bool:
    """Whether two particles can be swapped: equal parameters and equal couplings to every other particle.

    Such a swap symmetry makes levels exactly degenerate (the ``lanczos`` backend then locks).
    """
    n = couplings.shape[0]
    rows = one_particle.reshape(n, -1)
    for i in range(n):
        for j in range(i + 1, n):
            if np.array_equal(rows[i], rows[j]):
                keep = np.ones(n, dtype=bool)
                keep[[i, j]] = False
                if np.array_equal(couplings[i, keep], couplings[j, keep]):
                    return True
    return False


class ClusterBase:
    """Common interface: ``hamiltonian``, ``eigenenergies``, ``eigenstates``, ``to_qobj`` (see the subclasses)."""

    local_dim: int = 2
    pair: np.ndarray
    n: int
    is_uniform: bool = False
    coupling: float = 0.0
    _couplings: np.ndarray | None = None

    # --- supplied by subclasses -------------------------------------------------------------
    def _terms(self) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _one_particle(self) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _is_complex(self) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def _symmetry(self):  # pragma: no cover - abstract
        """(builder of the list of :class:`clusters.sectors.Sector`, [(name, is_complex, copies)]) or None."""
        raise NotImplementedError

    def sector_hamiltonian(self) -> sp.csr_matrix:  # pragma: no cover - abstract
        raise NotImplementedError

    _sector_is_tridiagonal = False

    def _sector_tridiagonal(self) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - abstract
        raise NotImplementedError

    # --- lazily built arrays of uniform clusters ---------------------------------------------
    @property
    def couplings(self) -> np.ndarray:
        """J_ij in K, shape (N, N) (built on first access for uniform clusters, after a memory check)."""
        if self._couplings is None:
            n = self.n
            check_memory(16.0 * n * n, f"the {n} x {n} coupling matrix of a uniform cluster (n={n})")
            self._couplings = frozen(self.coupling * (np.ones((n, n)) - np.eye(n)))
        return self._couplings

    # --- spaces -------------------------------------------------------------------------------
    @property
    def dimension(self) -> int:
        """Dimension d^N of the full product space (a Python int, exact; refused beyond 10^3000)."""
        if self._log2_dimension() > 10_000:
            raise ValueError(f"n={self.n}: the full space {self.local_dim}^{self.n} has more than 3000 digits; "
                             "use the symmetric sector of a uniform cluster")
        return self.local_dim**self.n

    def _log2_dimension(self) -> float:
        return self.n * math.log2(self.local_dim)

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

    def _degenerate(self) -> bool:
        return self.is_uniform or has_identical_particles(self._one_particle(), self.couplings)

    def _full_parts(self) -> tuple[np.ndarray, np.ndarray]:
        """(configuration energies D, hoppings h_i), built once (eq. 3.1), after a memory check."""
        cache = self.__dict__.get("_parts_cache")
        if cache is None:
            check_memory(lean_lanczos_bytes(min(self.dimension, 2**62), 1, local_dim=self.local_dim),
                         f"the diagonal of a {self.n}-particle cluster")
            wells, hop = self._terms()
            cache = (configuration_energies(wells, self.couplings, self.pair), hop)
            self.__dict__["_parts_cache"] = cache
        return cache

    def _problem(self, parts, dimension: int, particles: int, label: str, is_complex: bool,
                 global_terms: int = 0) -> Problem:
        """A :class:`Problem` on (diag, hoff[, glob]) from ``parts()`` (built lazily, once)."""
        parts = functools.cache(parts)
        kernel = functools.cache(lambda: ProductKernel(*parts()))
        d = self.local_dim

        def scale() -> float:
            p = parts()
            return norm_bound(p[0], p[1]) + (float(np.sum(np.abs(p[2]))) if len(p) > 2 else 0.0)

        return Problem(
            dimension=dimension, nnz_per_row=1 + particles * (d - 1) + global_terms, is_complex=is_complex,
            label=label, csr=lambda: hamiltonian_csr(*parts()), operator=lambda: hamiltonian_operator(*parts()),
            kernel=kernel, apply=lambda v: kernel().apply(v), scale=scale, degenerate=self._degenerate(),
            local_dim=d)

    def _full_problem(self) -> Problem:
        d, n = self.local_dim, self.n
        return self._problem(self._full_parts, self.dimension, n, f"N={n} particles (dimension {d}^{n} = "
                             f"{self.dimension})", self._is_complex())

    def _sector_problem(self) -> Problem:
        self._require_uniform()
        csr = functools.cache(self.sector_hamiltonian)
        tri = functools.cache(self._sector_tridiagonal) if self._sector_is_tridiagonal else None
        dim = self.sector_dimension
        return Problem(
            dimension=dim, nnz_per_row=1 + self.local_dim * (self.local_dim - 1),
            is_complex=self._is_complex(),
            label=f"the symmetric sector of N={self.n} particles (dimension {dim})",
            csr=csr, tridiagonal=tri, apply=lambda v: csr() @ v, scale=lambda: float(sparse_norm(csr(), 1)))

    def _check_full_size(self, k: int | None) -> None:
        """Refuse full spaces beyond FULL_SPACE_MAX_DIM before computing d^N or anything else."""
        if self._log2_dimension() > math.log2(FULL_SPACE_MAX_DIM):
            log10_bytes = self._log2_dimension() * math.log10(2.0) + math.log10(24.0)
            raise ValueError(
                f"the full space of dimension {self.local_dim}^{self.n} (n={self.n}) is far beyond any memory "
                f"(Lanczos alone would need about 10^{log10_bytes:.1f} bytes); use the symmetric sector of a "
                "uniform cluster"
            )

    # --- solving --------------------------------------------------------------------------------
    def _solve(self, k: int | None, method: str, vectors: bool, sectors: str = "auto"):
        method = check_choice(method, "method", ("auto", "sector", *methods()))
        sectors = check_choice(sectors, "sectors", ("auto", "none"))
        if method == "sector" or (method == "auto" and self.is_uniform):
            e, v, _ = solve(self._sector_problem(), k, "auto", vectors)
            return e, v, "sector"
        self._check_full_size(k)
        check_k(k, self.dimension)
        symmetry = self._symmetry() if sectors == "auto" and self.n > 1 else None
        if symmetry is None:
            return solve(self._full_problem(), k, method, vectors)
        return self._solve_sectors(symmetry, k, method, vectors)

    def _solve_sectors(self, symmetry, k: int | None, method: str, vectors: bool):
        """Each symmetry sector solved on its own (:mod:`clusters.sectors`); levels merged, states embedded."""
        build = functools.cache(symmetry[0])
        d, n = self.local_dim, self.n
        dim = d ** (n - 1)
        found, used = [], set()
        for idx, (name, is_complex, copies) in enumerate(symmetry[1]):
            problem = self._problem(lambda i=idx: (build()[i].diag, build()[i].hoff, build()[i].glob), dim, n - 1,
                                    f"N={n} particles, sector {name} (dimension {d}^{n - 1} = {dim})", is_complex,
                                    d - 1)
            e, v, how = solve(problem, None if k is None else min(k, dim), method, vectors)
            used.add(how)
            for c in range(copies):
                found += [(float(e[j]), idx, j, c == 1, v) for j in range(len(e))]
        found.sort(key=lambda t: t[0])
        found = found if k is None else found[:k]
        energies = np.array([t[0] for t in found])
        if not vectors:
            return energies, None, "+".join(sorted(used))
        cols = [build()[idx].embed(v[:, j], conjugate=conj) for _, idx, j, conj, v in found]
        return energies, np.column_stack(cols), "+".join(sorted(used))

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
        self._check_full_size(None)
        d, n = self.local_dim, self.n
        check_memory(qobj_bytes(self.dimension, 1 + n * (d - 1)),
                     f"hamiltonian() as a QuTiP Qobj for N={n} (dimension {d}^{n})", limit=limit)
        import qutip

        return qutip.Qobj(hamiltonian_csr(*self._full_parts()), dims=[[d] * n, [d] * n], isherm=True)

    def eigenenergies(self, k: int | None = None, method: str = "auto", sectors: str = "auto") -> np.ndarray:
        """Lowest k energy levels in K, ascending (docs/clusters.md sec. 3; eq. 3.1 of docs/theory.md sec. 3).

        Parameters
        ----------
        k : int, optional
            Number of levels; None gives all levels (dense, or the whole sector).
        method : str
            ``auto``: the symmetric sector for uniform clusters; otherwise the automatic choice of
            :func:`clusters.solvers.choose_backend` (dense up to dimension 256, the lean Lanczos of
            :mod:`clusters.lanczos` beyond). ``sector`` (uniform clusters only) returns the levels
            of the permutation-symmetric sector; a backend name (``dense``, ``lanczos``, ``sparse``,
            ``matrix_free``, ... see :func:`clusters.solvers.methods`) the levels of the full
            product space (which for a uniform cluster include the other symmetry sectors).
        sectors : {"auto", "none"}
            Full-space solves: ``auto`` splits the space into its symmetry sectors where the
            Hamiltonian has them (spin-flip parity when every Delta_i = 0, Z3 when every 3LS well
            energy is zero; :mod:`clusters.sectors`) and merges their levels; ``none`` does not.

        Returns
        -------
        ndarray, shape (k,)

        Warns
        -----
        RuntimeWarning
            When two returned levels differ by less than the float64 resolution of the levels (an
            exact degeneracy, or a splitting such as the coherent one that float64 cannot resolve).
        """
        e = self._solve(k, method, False, sectors)[0]
        self._warn_unresolved(e)
        return e

    def eigenstates(self, k: int | None = None, method: str = "auto", sectors: str = "auto"):
        """Lowest k eigenpairs (docs/clusters.md sec. 3); arguments as :meth:`eigenenergies`.

        Returns
        -------
        energies : ndarray, shape (k,)
            In K, ascending.
        states : ndarray, shape (dim, k)
            Always numpy columns. Full-space solves: dim = d^N, the product basis of
            :mod:`clusters.bases` (sector solves embedded there); :meth:`to_qobj` makes Qobj kets.
            Symmetric-sector solves (the default for uniform clusters): dim = the sector dimension,
            the sector basis of :mod:`clusters.bases` (embed with :func:`clusters.embed_symmetric_state`;
            :meth:`to_qobj` embeds them too).
        """
        e, v, _ = self._solve(k, method, True, sectors)
        self._warn_unresolved(e)
        return e, v

    def to_qobj(self, states: np.ndarray) -> list:
        """Columns of :meth:`eigenstates` as a list of :class:`qutip.Qobj` kets (dims [[d]*N, [1]*N]).

        Columns in the symmetric-sector basis (uniform clusters) are embedded first (d^N <= 2^14).
        """
        v = as_complex_array(states, "states")
        if v.ndim == 1:
            v = v[:, None]
        self._check_full_size(None)
        if v.ndim != 2 or v.shape[0] not in (self.dimension, self.sector_dimension) or v.dtype.kind not in "fc":
            raise ValueError(f"states must be numeric columns with {self.dimension} rows (full space) or "
                             f"{self.sector_dimension} (symmetric sector), got shape {v.shape}")
        if not np.all(np.isfinite(v)):
            raise ValueError("states must be finite")
        if v.shape[0] != self.dimension:
            v = embed_symmetric_state(v, self.n, self.local_dim)
        import qutip

        dims = [[self.local_dim] * self.n, [1] * self.n]
        return [qutip.Qobj(v[:, j].reshape(-1, 1), dims=dims) for j in range(v.shape[1])]

    @staticmethod
    def _warn_unresolved(e: np.ndarray) -> None:
        if e.size < 2:
            return
        resolution = 8.0 * np.finfo(float).eps * max(float(np.max(np.abs(e))), 1e-300)
        gaps = np.diff(e)
        if np.any(gaps < resolution):
            j = int(np.argmin(gaps))
            warnings.warn(
                f"levels {j} and {j + 1} differ by {gaps[j]:.3g} K, below the float64 resolution of the levels "
                f"({resolution:.3g} K): an exact degeneracy, or a splitting that float64 cannot resolve. For the "
                "coherent tunneling splitting use cluster.coherent_doublet() (2LS) or coherent_multiplet() (3LS), "
                "which work in extended precision (mpmath)",
                UnresolvedGapWarning, stacklevel=3)
