"""Exact low-lying spectra of cluster Hamiltonians: a table of backends, one automatic choice, one entry point.

A :class:`Problem` describes one Hermitian eigenproblem in K (the full product space of a cluster,
one of its symmetry sectors, or the symmetric sector of a uniform one) by what it can provide: a
CSR matrix, a matrix-free operator, a fused product kernel (:mod:`clusters.kernels`), a
tridiagonal form, a norm bound. A backend is ONE function registered with
:func:`register`, together with its memory estimate and the representation it needs
(docs/clusters.md sec. 3 has the table)::

    @register("lobpcg", needs="operator", iterative=True, estimate=lambda p, k, vectors: lanczos_bytes(...))
    def _lobpcg(problem, k, vectors): ...   # -> (energies ascending, vectors or None)

:func:`solve` validates k, picks the backend (:func:`choose_backend` for ``method="auto"``: the
first backend of the table whose ``auto`` rule accepts the problem), checks the memory estimate
against the budget before anything is built (:class:`~clusters.memory.ClusterMemoryError` names
the GiB needed and available), runs it, and checks every eigenvector of an iterative backend by its
residual ||H v - E v|| <= RESIDUAL_RTOL ||H||_bound (:class:`ConvergenceError` otherwise); energies
without vectors from ``lanczos`` are checked by their Ritz residual bound (Paige) or their gap bound r^2 / delta
(``ENERGY_RTOL``) in the backend.

``lanczos`` (:mod:`clusters.lanczos`, the automatic choice above dimension ``DENSE_MAX_DIM``)
resolves multiplicities by repeated runs with locking where the problem says degeneracies are
expected (identical particles) or where its first run meets nearly degenerate levels. The ARPACK
backends (``sparse``, ``matrix_free``, kept by name and for CSR-only sectors) cannot resolve the
multiplicity of an *exactly* degenerate level; they warn when they find nearly degenerate levels.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from scipy.sparse.linalg import ArpackNoConvergence, eigsh

from tunnelsim.validation import check_choice, check_int

from ._threads import numba_threads, single_blas_thread
from .kept import keeping
from .lanczos import MERGE_RTOL, lanczos_lowest, lowest_with_locking
from .memory import check_memory, csr_bytes, dense_bytes, lanczos_bytes, lean_lanczos_bytes

__all__ = [
    "ConvergenceError",
    "Problem",
    "Backend",
    "BACKENDS",
    "register",
    "methods",
    "choose_backend",
    "estimate_bytes",
    "solve",
    "check_k",
    "DENSE_MAX_DIM",
    "SPARSE_MAX_DIM",
    "RESIDUAL_RTOL",
    "LANCZOS_RTOL",
    "ENERGY_RTOL",
    "HERMITIAN_RTOL",
]

#: ``auto`` uses a dense solve up to this dimension and ``lanczos`` beyond (measured crossover, docs/benchmarks.md).
DENSE_MAX_DIM = 256
#: Largest dimension for which ``auto`` would take CSR Lanczos (ARPACK), on spaces without a product kernel.
SPARSE_MAX_DIM = 2**20
#: Residual tolerance of iterative results, relative to the bound on ||H||.
RESIDUAL_RTOL = 1e-7
#: ``lanczos``: Ritz residual bound (relative to the bound on ||H||) for energies; 1e-10 when states are wanted.
LANCZOS_RTOL = 1e-9
#: ``lanczos`` without states: a level also counts as converged when its gap bound r^2 / delta (error of the energy,
#: :mod:`clusters.lanczos`) is below this times the bound on ||H|| (10-20 % fewer steps, issue 23).
ENERGY_RTOL = 1e-12
#: ``dense`` refuses a matrix with max |A - A^H| above this (relative to max |A|): LAPACK would read one triangle.
HERMITIAN_RTOL = 1e-12


class ConvergenceError(RuntimeError):
    """An iterative eigensolver did not converge, or its residual ||H v - E v|| is too large."""


@dataclass(frozen=True)
class Problem:
    """One Hermitian eigenproblem (energies in K), described by the representations it can build.

    Attributes
    ----------
    dimension : int
        Dimension of the space.
    nnz_per_row : int
        Stored entries per row of its CSR matrix (for the memory estimates).
    is_complex : bool
        Whether the matrix is complex.
    label : str
        What it is, for messages (e.g. "N=12 particles (dimension 2^12 = 4096)").
    csr, operator, kernel, tridiagonal : callable or None
        Builders of the CSR matrix, of a matrix-free :class:`~scipy.sparse.linalg.LinearOperator`,
        of a :class:`~clusters.kernels.ProductKernel`, and of the (diagonal, off-diagonal) arrays of
        a real tridiagonal form; None where unavailable.
    apply : callable or None
        H @ v for one vector (residual checks).
    scale : callable or None
        An upper bound on ||H|| in K (residual tolerance).
    degenerate : bool
        Exact degeneracies are expected (identical particles): ``lanczos`` resolves them by locking.
    tables : callable or None
        (wells (N, d), hoppings (N, d, d), couplings (N, N), pair (d, d)) of the full product space: the small
        tables from which the ``gpu`` backend builds the diagonal on the device (no 2^N host array).
    local_dim : int
        Wells per particle of the space (memory estimate of the diagonal).
    stored_diagonal : bool
        Whether the kernel reads a stored diagonal of ``dimension`` floats (False: it builds each block's from row
        tables, :func:`clusters.hamiltonians.configuration_rows`; the memory estimates leave it out).
    """

    dimension: int
    nnz_per_row: int
    is_complex: bool
    label: str
    csr: Callable | None = None
    operator: Callable | None = None
    tridiagonal: Callable | None = None
    apply: Callable | None = None
    scale: Callable | None = None
    kernel: Callable | None = None
    degenerate: bool = False
    local_dim: int = 2
    tables: Callable | None = None
    stored_diagonal: bool = True

    def provides(self, what: str | None) -> bool:
        """Whether the representation ``what`` ("csr", "operator", "kernel", "tridiagonal"; None: any) can be built."""
        return what is None or getattr(self, what) is not None


@dataclass(frozen=True)
class Backend:
    """A registered eigensolver: ``solve(problem, k, vectors) -> (energies, vectors or None)``."""

    name: str
    solve: Callable
    estimate: Callable
    needs: str | None
    iterative: bool
    auto: Callable
    multiplicities: bool = False


#: The table of backends, in the order in which ``auto`` tries them.
BACKENDS: dict[str, Backend] = {}


def register(name: str, *, estimate: Callable, needs: str | None = None, iterative: bool = False,
             auto: Callable = lambda problem, k: False, before: str | None = None,
             multiplicities: bool = False) -> Callable:
    """Decorator: register ``func(problem, k, vectors)`` as the backend ``name``.

    Parameters
    ----------
    name : str
        The ``method=`` name of the backend.
    estimate : callable
        ``estimate(problem, k, vectors) -> bytes`` (built from :mod:`clusters.memory`; k is None for all
        levels, ``vectors`` whether eigenvectors are wanted).
    needs : {"csr", "operator", "kernel", "tridiagonal"} or None
        The representation the backend uses; it applies only to problems that provide it.
    iterative : bool
        Iterative backends need k < dimension - 1 (otherwise ``dense`` is used), return vectors,
        and get their residuals checked.
    auto : callable
        ``auto(problem, k) -> bool``: whether ``method="auto"`` picks it (tried in table order).
    before : str, optional
        Insert the backend before this one in the table (default: at the end, tried last by ``auto``).
    multiplicities : bool
        Whether the backend resolves exactly degenerate levels (otherwise nearly degenerate results warn).
    """
    if not isinstance(name, str) or not name or name in ("auto", "sector"):
        raise ValueError(f"name must be a non-empty string other than 'auto' and 'sector', got {name!r}")
    if needs is not None:
        check_choice(needs, "needs", ("csr", "operator", "kernel", "tridiagonal"))
    if before is not None:
        check_choice(before, "before", tuple(BACKENDS))

    def deco(func: Callable) -> Callable:
        entry = Backend(name, func, estimate, needs, iterative, auto, bool(multiplicities))
        items = [(k, v) for k, v in BACKENDS.items() if k != name]
        at = len(items) if before is None else [k for k, _ in items].index(before)
        BACKENDS.clear()
        BACKENDS.update(items[:at] + [(name, entry)] + items[at:])
        return func

    return deco


def methods() -> tuple[str, ...]:
    """The names of the registered backends, in table order."""
    return tuple(BACKENDS)


def check_k(k: int | None, dim: int) -> int | None:
    """Validate the number of wanted levels k (None = all) against the space dimension."""
    if k is None:
        return None
    k = check_int(k, "k", minimum=1)
    if k > dim:
        raise ValueError(f"k={k} is larger than the dimension {dim} of the space; ask for at most {dim} levels")
    return k


def choose_backend(problem: Problem, k: int | None) -> str:
    """The ``auto`` choice: the first backend of the table that applies and whose ``auto`` rule accepts."""
    usable = [b for b in BACKENDS.values() if problem.provides(b.needs)
              and not (b.iterative and (k is None or k >= problem.dimension - 1))]
    for b in usable:
        if b.auto(problem, k):
            return b.name
    return usable[-1].name


def estimate_bytes(method: str, problem: Problem, k: int | None = None, vectors: bool = False) -> float:
    """Estimated peak bytes of backend ``method`` on ``problem`` for k levels (None: all), with or without vectors."""
    if method not in BACKENDS:
        raise ValueError(f"method must be one of {', '.join(repr(m) for m in BACKENDS)}; got {method!r}")
    return float(BACKENDS[method].estimate(problem, k, vectors))


def _resolve(problem: Problem, k: int | None, method: str) -> Backend:
    if method == "auto":
        return BACKENDS[choose_backend(problem, k)]
    if method not in BACKENDS:
        raise ValueError(f"method must be one of 'auto', {', '.join(repr(m) for m in BACKENDS)}; got {method!r}")
    backend = BACKENDS[method]
    if not problem.provides(backend.needs):
        raise ValueError(f"method={method!r} needs a {backend.needs} form, which {problem.label} does not have")
    if backend.iterative and k is None:
        raise ValueError(f"method={method!r} computes only the lowest levels: give k (at most "
                         f"{problem.dimension - 2})")
    if backend.iterative and k >= problem.dimension - 1:
        return BACKENDS["dense"]  # ARPACK-like solvers need k < dim - 1
    return backend


def solve(problem: Problem, k: int | None, method: str = "auto", vectors: bool = False):
    """Lowest k eigenpairs of ``problem`` (docs/clusters.md sec. 3).

    Parameters
    ----------
    problem : Problem
    k : int or None
        Number of levels (None: all; only non-iterative backends).
    method : str
        "auto" or the name of a registered backend (:func:`methods`).
    vectors : bool
        Also return the eigenvectors (columns).

    Returns
    -------
    energies : ndarray, shape (k,)
        In K, ascending.
    vecs : ndarray or None
    method : str
        The backend actually used.
    """
    k = check_k(k, problem.dimension)
    backend = _resolve(problem, k, method)
    check_memory(backend.estimate(problem, k, vectors), f"method={backend.name!r} for {problem.label}")
    e, v = backend.solve(problem, k, vectors)
    if backend.iterative:
        if v is not None:
            _verify(problem, e, v, f"method={backend.name!r}, {problem.label}")
        if not backend.multiplicities:
            _warn_degenerate(e, backend.name)
    return e, (v if vectors else None), backend.name


def _verify(problem: Problem, energies: np.ndarray, vecs: np.ndarray, what: str) -> None:
    """Residual of every column, one at a time (one extra vector of memory)."""
    res = np.array([np.linalg.norm(problem.apply(np.ascontiguousarray(vecs[:, j])) - energies[j] * vecs[:, j])
                    for j in range(vecs.shape[1])])
    scale = problem.scale()
    tol = RESIDUAL_RTOL * max(scale, 1e-300)
    if np.any(~np.isfinite(res)) or np.any(res > tol):
        j = int(np.nanargmax(res))
        raise ConvergenceError(
            f"{what}: eigenpair {j} (E = {energies[j]:.12g} K) has residual ||Hv - Ev|| = {res[j]:.3g} K, "
            f"above the tolerance {tol:.3g} K ({RESIDUAL_RTOL:g} x ||H|| bound {scale:.3g} K); "
            f"try method='dense' for small spaces or ask for more levels k"
        )


def _warn_degenerate(energies: np.ndarray, method: str) -> None:
    if len(energies) > 1 and np.any(np.diff(energies) < 1e-9 * max(1.0, float(np.max(np.abs(energies))))):
        warnings.warn(
            f"method={method!r} found (nearly) degenerate levels; Lanczos may miss copies of exactly "
            "degenerate levels, use method='dense' to get full multiplicities",
            RuntimeWarning,
            stacklevel=5,
        )


def _lanczos(operator, k: int, vectors: bool, label: str, seed: int = 12345):
    """Lowest k eigenpairs by implicitly restarted Lanczos (ARPACK ``eigsh``, which='SA'), ascending.

    A seeded start vector makes runs reproducible. ARPACK's relative tolerance is 1e-8 for energies
    only (eigenvalue error ~ residual^2 / gap, ~1e-13 K in the benchmarks) and 1e-10 when
    eigenvectors are wanted (their error ~ residual / gap).
    """
    dim = operator.shape[0]
    ncv = min(dim, max(2 * k + 1, 20))
    v0 = np.random.default_rng(seed).standard_normal(dim).astype(operator.dtype)
    try:
        with single_blas_thread():
            e, v = eigsh(operator, k=k, which="SA", tol=1e-10 if vectors else 1e-8, ncv=ncv, v0=v0,
                         maxiter=max(1000, 20 * dim // ncv))
    except ArpackNoConvergence as exc:
        raise ConvergenceError(f"{label}: ARPACK did not converge for k={k} levels of dimension {dim}: {exc}") from exc
    order = np.argsort(e)
    return e[order], v[:, order]


# ------------------------------------------------------------------------------ the backends
@register("tridiagonal", needs="tridiagonal", auto=lambda p, k: True, multiplicities=True,
          estimate=lambda p, k, vectors: 8.0 * p.dimension * (4 + ((k or p.dimension) if vectors else 1)))
def _tridiagonal(problem: Problem, k: int | None, vectors: bool):
    """LAPACK stemr (``scipy.linalg.eigh_tridiagonal``) on a real symmetric tridiagonal form, any k.

    The form is divided by its largest entry first (LAPACK squares the entries: 1e200 K would overflow) and the
    levels multiplied back; the eigenvectors do not change.
    """
    diag, off = problem.tridiagonal()
    select = "a" if k is None or k >= len(diag) else "i"
    rng = None if select == "a" else (0, k - 1)
    scale = max(float(np.max(np.abs(diag), initial=0.0)), float(np.max(np.abs(off), initial=0.0))) or 1.0
    if vectors:
        e, v = sla.eigh_tridiagonal(diag / scale, off / scale, select=select, select_range=rng)
        return e * scale, v
    return scale * sla.eigh_tridiagonal(diag / scale, off / scale, eigvals_only=True, select=select,
                                        select_range=rng), None


@register("dense", needs="csr", estimate=lambda p, k, vectors: dense_bytes(p.dimension, p.is_complex),
          auto=lambda p, k: k is None or p.dimension <= DENSE_MAX_DIM or k >= p.dimension - 1, multiplicities=True)
def _dense(problem: Problem, k: int | None, vectors: bool):
    """LAPACK ``scipy.linalg.eigh`` of the dense matrix (all multiplicities exact); non-Hermitian input refused."""
    dense = problem.csr().toarray()
    check_hermitian(dense, problem.label)
    subset = None if k is None or k >= problem.dimension else (0, k - 1)
    if vectors:
        return sla.eigh(dense, subset_by_index=subset)
    return sla.eigh(dense, eigvals_only=True, subset_by_index=subset), None


@register("sparse", needs="csr", iterative=True, auto=lambda p, k: p.kernel is None and p.dimension <= SPARSE_MAX_DIM,
          estimate=lambda p, k, vectors: (csr_bytes(p.dimension, p.nnz_per_row, p.is_complex)
                                 + lanczos_bytes(p.dimension, k or 1, p.is_complex) + 8.0 * p.dimension))
def _sparse(problem: Problem, k: int, vectors: bool):
    """ARPACK Lanczos on the CSR matrix."""
    return _lanczos(problem.csr(), k, vectors, problem.label)


@register("matrix_free", needs="operator", iterative=True, auto=lambda p, k: p.kernel is None,
          estimate=lambda p, k, vectors: lanczos_bytes(p.dimension, k or 1, p.is_complex) + 8.0 * p.dimension)
def _matrix_free(problem: Problem, k: int, vectors: bool):
    """ARPACK Lanczos on the matrix-free operator (numba product; H never stored)."""
    return _lanczos(problem.operator(), k, vectors, problem.label)


def check_hermitian(matrix: np.ndarray, label: str) -> None:
    """Refuse a dense matrix that is not Hermitian (LAPACK's eigh would silently read its lower triangle)."""
    if matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix of {label} must be square, got shape {matrix.shape}")
    if not np.all(np.isfinite(matrix)):
        raise ValueError(f"matrix of {label} has non-finite entries")
    size = float(np.max(np.abs(matrix))) if matrix.size else 0.0
    asym = float(np.max(np.abs(matrix - matrix.conj().T))) if matrix.size else 0.0
    if asym > HERMITIAN_RTOL * max(size, 1e-300):
        raise ValueError(f"matrix of {label} is not Hermitian (max |A - A^H| = {asym:.3g}, max |A| = {size:.3g}); "
                         "the Hermitian eigensolvers would read only one triangle")


def _lean_estimate(p: Problem, k: int | None, vectors: bool) -> float:
    return lean_lanczos_bytes(p.dimension, k or 1, p.is_complex, vectors, p.degenerate, keeping(),
                              diagonal=p.stored_diagonal)


@register("lanczos", needs="kernel", iterative=True, auto=lambda p, k: p.dimension > DENSE_MAX_DIM,
          estimate=_lean_estimate, before="sparse", multiplicities=True)
def _lean_lanczos(problem: Problem, k: int, vectors: bool):
    """Plain Lanczos on the fused kernel (:mod:`clusters.lanczos`); repeated runs with locking for degeneracies."""
    kernel = problem.kernel()
    scale = max(problem.scale(), 1e-300)
    tol = (1e-10 if (vectors or problem.degenerate) else LANCZOS_RTOL) * scale
    merge = MERGE_RTOL * scale
    with numba_threads(kernel.dim):
        res = None if problem.degenerate else lanczos_lowest(kernel, k, tol=tol, merge_tol=merge, vectors=vectors,
                                                             energy_tol=ENERGY_RTOL * scale)
        if res is None or _needs_locking(res, k, scale):
            res = lowest_with_locking(kernel, k, tol=1e-10 * scale, merge_tol=merge)
    if not res.converged or len(res.energies) < k:
        raise ConvergenceError(f"{problem.label}: Lanczos found {len(res.energies)} of k={k} levels converged after "
                               f"{res.steps} steps; try method='dense' for small spaces or fewer levels k")
    return res.energies, (np.asarray(res.vectors).T if vectors else None)


def _gpu_auto(p: Problem, k: int | None) -> bool:
    """``auto`` takes the GPU for large real 2LS spaces when CuPy and a device are present (:mod:`clusters.gpu`),
    not where exact degeneracies are expected (the locking runs of the host Lanczos resolve those)."""
    from . import gpu

    return (p.local_dim == 2 and not p.is_complex and not p.degenerate and p.dimension >= gpu.GPU_MIN_DIM
            and gpu.gpu_available())


def _gpu_estimate(p: Problem, k: int | None, vectors: bool) -> float:
    """Host bytes of the ``gpu`` backend (:func:`clusters.gpu.estimate_gpu_host_bytes`): no 2^N array with tables."""
    from . import gpu

    return gpu.estimate_gpu_host_bytes(p.dimension, k or 1, vectors, tables=p.tables is not None)


@register("gpu", needs="kernel", iterative=True, auto=_gpu_auto, before="lanczos", multiplicities=True,
          estimate=_gpu_estimate)
def _gpu(problem: Problem, k: int, vectors: bool):
    """The lean Lanczos with device arrays (CuPy; real 2LS spaces only); states copied back to the host.

    Exactly degenerate levels (expected, or met by the first run) go to the host Lanczos with locking, so that
    no copy of a level is missed.
    """
    from . import gpu

    if not gpu.gpu_available():
        raise ValueError("method='gpu' needs CuPy and a CUDA device; use method='lanczos'")
    if not gpu.device_fits(problem.dimension, k, vectors):
        need = gpu.estimate_gpu_device_bytes(problem.dimension, k, vectors)
        raise ValueError(f"method='gpu': {problem.label} needs about {need / 2**30:.3g} GiB of device memory, more "
                         f"than 90 % of the free memory; use method='lanczos' or fewer levels")
    if problem.degenerate:
        return _lean_lanczos(problem, k, vectors)
    if problem.tables is not None:
        kernel = gpu.GpuKernel.from_tables(*problem.tables())
        scale = max(kernel.norm_bound(), 1e-300)
    else:
        kernel = gpu.GpuKernel.from_host(problem.kernel())
        scale = max(problem.scale(), 1e-300)
    tol = (1e-10 if vectors else LANCZOS_RTOL) * scale
    res = lanczos_lowest(kernel, k, tol=tol, merge_tol=MERGE_RTOL * scale, vectors=vectors,
                         energy_tol=ENERGY_RTOL * scale)
    if _needs_locking(res, k, scale):
        return _lean_lanczos(problem, k, vectors)
    if not res.converged or len(res.energies) < k:
        raise ConvergenceError(f"{problem.label}: GPU Lanczos found {len(res.energies)} of k={k} levels converged "
                               f"after {res.steps} steps; use method='lanczos'")
    return res.energies, (kernel.xp.asnumpy(res.vectors).T if vectors else None)


def _needs_locking(res, k: int, scale: float) -> bool:
    """A first run that found fewer levels than asked (an exhausted Krylov space) or nearly degenerate ones."""
    return res.converged and (len(res.energies) < k or bool(np.any(np.diff(res.energies) < 1e-9 * scale)))
