"""Solving a cluster model: its eigenproblems, symmetry sectors and solves (docs/clusters.md sec. 3).

:class:`Solving` is a base of :class:`clusters.models.base.ClusterBase`. It turns the model's parts
into :class:`clusters.solvers.Problem` objects (the full product space, each symmetry sector of
:mod:`clusters.sectors`, the symmetric sector of a uniform cluster and its parity blocks) and solves
them by :func:`clusters.solvers.solve` (memory estimate and residual check included): merged into
one spectrum (``eigenenergies``) or sector by sector (:meth:`Solving.solve_sectors`).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import norm as sparse_norm

from tunnelsim.validation import check_choice, check_int

from .. import kernels
from ..hamiltonians import (
    configuration_energies,
    configuration_rows,
    hamiltonian_csr,
    hamiltonian_operator,
    norm_bound,
)
from ..kernels import ProductKernel, row_particles
from ..memory import check_memory, lean_lanczos_bytes
from ..solvers import Problem, check_k, methods, solve

__all__ = ["Solving", "SectorLevels", "has_identical_particles", "FULL_SPACE_MAX_DIM"]

#: Full spaces beyond this dimension (2^40) are refused before any estimate (no memory could hold them).
FULL_SPACE_MAX_DIM = 2**40


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


@dataclass(frozen=True)
class SectorLevels:
    """The lowest levels of one symmetry sector (:meth:`ClusterBase.solve_sectors`).

    Attributes
    ----------
    name : str
        "P=+1", "P=-1" (spin-flip parity), "q=0", "q=1", "q=2" (Z3), or "all" (no symmetry used).
    energies : numpy.ndarray, shape (k,)
        In K, ascending.
    states : numpy.ndarray, shape (dim, k)
        The eigenvectors written in the space that was split: the product basis (full space) or the
        symmetric-sector basis (uniform clusters) of :mod:`clusters.bases`.

    Examples
    --------
    >>> import numpy as np
    >>> from clusters import TwoLevelCluster
    >>> c = TwoLevelCluster([0.0, 0.0], [1.0, 1.0], [[0.0, -1.0], [-1.0, 0.0]])   # all Delta_i = 0: parity sectors
    >>> levels = c.solve_sectors(2)
    >>> [s.name for s in levels], np.sort(np.concatenate([s.energies for s in levels])).round(6).tolist()
    (['P=+1', 'P=-1'], [-1.414214, -1.0, 1.0, 1.414214])
    >>> c.eigenenergies(4, sectors="none").round(6).tolist()   # unsplit: +-J and +-sqrt(J^2 + Delta0^2)
    [-1.414214, -1.0, 1.0, 1.414214]
    """

    name: str
    energies: np.ndarray
    states: np.ndarray


class Solving:
    """Eigenproblems and solves of a cluster model (module docstring)."""

    def _degenerate(self) -> bool:
        return self.is_uniform or has_identical_particles(self._one_particle(), self.couplings)

    def _full_parts(self) -> tuple[np.ndarray, np.ndarray]:
        """(configuration energies D, hoppings h_i), built once (eq. 3.1), after a memory check."""
        cache = self.__dict__.get("_parts_cache")
        if cache is None:
            check_memory(lean_lanczos_bytes(min(self.dimension, 2**62), 1),
                         f"the diagonal of a {self.n}-particle cluster")
            wells, hop = self._terms()
            cache = (configuration_energies(wells, self.couplings, self.pair), hop)
            self.__dict__["_parts_cache"] = cache
        return cache

    def _full_rows(self) -> tuple:
        """(row tables of D, hoppings h_i): the product kernel builds each block's diagonal from them (eq. 3.1 with
        no array of d^N entries; :func:`clusters.hamiltonians.configuration_rows`)."""
        wells, hop = self._terms()
        return configuration_rows(wells, self.couplings, self.pair, row_particles(self.n)), hop

    def _problem(self, parts, dimension: int, particles: int, label: str, is_complex: bool,
                 global_terms: int = 0, tables=None, rows=None) -> Problem:
        """A :class:`Problem` on (diag, hoff[, glob]) from ``parts()`` (built lazily, once); ``tables`` gives the
        small tables (wells, hoppings, couplings, pair) from which the ``gpu`` backend builds the diagonal on the
        device without a 2^N host array; ``rows()`` gives (row tables, hoff) from which the host kernel and the
        norm bound build the diagonal block by block (no 2^N diagonal stored)."""
        parts = functools.cache(parts)
        source = parts if rows is None else functools.cache(rows)  # what the kernel and the norm bound read
        kernel = functools.cache(lambda: ProductKernel(*source()))
        d = self.local_dim

        def scale() -> float:
            p = source()
            return norm_bound(p[0], p[1]) + (float(np.sum(np.abs(p[2]))) if len(p) > 2 else 0.0)

        return Problem(
            dimension=dimension, nnz_per_row=1 + particles * (d - 1) + global_terms, is_complex=is_complex,
            label=label, csr=lambda: hamiltonian_csr(*parts()), operator=lambda: hamiltonian_operator(*parts()),
            kernel=kernel, apply=lambda v: kernel().apply(v), scale=scale, degenerate=self._degenerate(),
            local_dim=d, tables=tables, stored_diagonal=rows is None)

    def _full_problem(self) -> Problem:
        d, n = self.local_dim, self.n
        real_2ls = d == 2 and not self._is_complex()
        tables = (lambda: (*self.terms(), self.couplings, self.pair)) if real_2ls else None
        return self._problem(self._full_parts, self.dimension, n, f"N={n} particles (dimension {d}^{n} = "
                             f"{self.dimension})", self._is_complex(), tables=tables,
                             rows=self._full_rows if real_2ls and self.dimension >= kernels.ROWS_MIN_DIM else None)

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

    def _sector_runs(self, symmetry, k: int | None, method: str, vectors: bool) -> list:
        """Each symmetry sector of the full space solved on its own: [(name, builder index, e, v, copies, backend)]."""
        build = symmetry[0]
        d, n = self.local_dim, self.n
        dim = d ** (n - 1)
        runs = []
        for idx, (name, is_complex, copies) in enumerate(symmetry[1]):
            problem = self._problem(lambda i=idx: (build()[i].diag, build()[i].hoff, build()[i].glob), dim, n - 1,
                                    f"N={n} particles, sector {name} (dimension {d}^{n - 1} = {dim})", is_complex,
                                    d - 1)
            e, v, how = solve(problem, None if k is None else min(k, dim), method, vectors)
            runs.append((name, idx, e, v, copies, how))
        return runs

    def _solve_sectors(self, symmetry, k: int | None, method: str, vectors: bool):
        """Each symmetry sector solved on its own (:mod:`clusters.sectors`); levels merged, states embedded."""
        symmetry = (functools.cache(symmetry[0]), symmetry[1])
        runs = self._sector_runs(symmetry, k, method, vectors)
        found = [(float(e[j]), idx, j, c == 1, v) for _, idx, e, v, copies, _ in runs
                 for c in range(copies) for j in range(len(e))]
        found.sort(key=lambda t: t[0])
        found = found if k is None else found[:k]
        energies = np.array([t[0] for t in found])
        used = "+".join(sorted({r[5] for r in runs}))
        if not vectors:
            return energies, None, used
        cols = [symmetry[0]()[idx].embed(v[:, j], conjugate=conj) for _, idx, j, conj, v in found]
        return energies, np.column_stack(cols), used

    def solve_sectors(self, k: int = 1, method: str = "auto", space: str = "auto") -> list[SectorLevels]:
        """The lowest k levels and states of each symmetry sector, solved apart (docs/clusters.md sec. 3).

        Exact however small the splitting between sectors (the coherent doublet of a cluster with every
        Delta_i = 0 has one member in each parity sector). Full space: the sectors of
        :meth:`symmetry` (:mod:`clusters.sectors`), each by :func:`clusters.solvers.solve`; symmetric
        sector of a uniform 2LS cluster with parity: its two parity blocks (m -> N - m), solved the same
        way. Without a symmetry one entry "all" holds the lowest levels of the whole space.

        Parameters
        ----------
        k : int
            Levels per sector (at most the sector's dimension).
        method : str
            Backend of :func:`clusters.solvers.solve` for the full-space sectors ("auto" or a name).
        space : {"auto", "sector", "full"}
            As :meth:`space`.

        Returns
        -------
        list of SectorLevels
            States in the basis of the space that was split (product basis or symmetric-sector basis).

        Examples
        --------
        >>> from clusters import TwoLevelCluster
        >>> even, odd = TwoLevelCluster.uniform(8, 0.0, 1.0, -5.0).solve_sectors(1)
        >>> even.name, odd.name, float(odd.energies[0] - even.energies[0]) > 0   # the coherent splitting, resolved
        ('P=+1', 'P=-1', True)
        """
        k = check_int(k, "k", minimum=1)
        method = check_choice(method, "method", ("auto", *methods()))
        if self.space(space) == "sector":
            if self.symmetry() == "parity":
                return self._sector_parity_levels(k)
            e, v, _ = solve(self._sector_problem(), min(k, self.sector_dimension), "auto", True)
            return [SectorLevels("all", e, v)]
        self._check_full_size(k)
        symmetry = self._symmetry() if self.symmetry() is not None else None
        if symmetry is None:
            e, v, _ = solve(self._full_problem(), min(k, self.dimension), method, True)
            return [SectorLevels("all", e, v)]
        symmetry = (functools.cache(symmetry[0]), symmetry[1])
        out = []
        for _, idx, e, v, copies, _ in self._sector_runs(symmetry, k, method, True):
            sector = symmetry[0]()[idx]
            out.append(SectorLevels(sector.name, e, sector.embed(v)))
            if copies == 2:  # the conjugate partner sector q -> 3 - q (Z3 at real hoppings): the same levels
                out.append(SectorLevels(f"q={(3 - sector.charge) % 3}", e, sector.embed(v, conjugate=True)))
        return out

    def _sector_parity_levels(self, k: int) -> list[SectorLevels]:
        """The two spin-flip parity blocks of the symmetric sector (2LS, Delta = 0): basis (|m> +- |N-m>)/sqrt 2."""
        sector = self.sector_basis
        flipped = sector.index(sector.occupations()[:, ::-1])
        h = sp.csr_matrix(self.sector_hamiltonian())
        out = []
        for sign in (1, -1):
            lo = np.flatnonzero(np.arange(sector.dimension) < flipped)
            rows = np.concatenate([lo, flipped[lo]])
            cols = np.concatenate([np.arange(lo.size)] * 2)
            vals = np.concatenate([np.full(lo.size, 1.0), np.full(lo.size, float(sign))]) / math.sqrt(2.0)
            if sign > 0:
                mid = np.flatnonzero(np.arange(sector.dimension) == flipped)
                rows, cols = np.concatenate([rows, mid]), np.concatenate([cols, lo.size + np.arange(mid.size)])
                vals = np.concatenate([vals, np.ones(mid.size)])
            b = sp.csr_matrix((vals, (rows, cols)), shape=(sector.dimension, int(cols.max()) + 1))
            block = functools.cache(lambda b=b: sp.csr_matrix(b.T @ h @ b))
            problem = Problem(dimension=b.shape[1], nnz_per_row=3, is_complex=self._is_complex(),
                              label=f"the P={sign:+d} block of the symmetric sector of N={self.n} particles",
                              csr=block, apply=lambda v, f=block: f() @ v,
                              scale=lambda f=block: float(sparse_norm(f(), 1)))
            e, v, _ = solve(problem, min(k, b.shape[1]), "auto", True)
            out.append(SectorLevels(f"P={sign:+d}", e, b @ v))
        return out

