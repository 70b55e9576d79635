"""Exact low-lying spectra of cluster Hamiltonians: dense, CSR Lanczos, matrix-free Lanczos, sector.

See docs/clusters.md sec. 3 for the solver-choice table. Every iterative result is checked by
its residual ||H v - E v|| (relative to a bound on ||H||); a bad residual raises
:class:`ConvergenceError`. Before any large allocation the memory is estimated
(:mod:`clusters.memory`) and a :class:`~clusters.memory.ClusterMemoryError` names the GiB
needed and available.

Known limitation of Lanczos (``sparse``, ``matrix_free``, large sectors): a Krylov space grown
from one start vector cannot resolve the multiplicity of an *exactly* degenerate level (e.g. the
non-interacting J = 0 cluster); such levels may be returned once. Use ``method="dense"`` for
exactly degenerate spectra of small spaces.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigsh
from scipy.sparse.linalg import norm as sparse_norm

from tunnelsim.validation import check_choice, check_int

from ._threads import single_blas_thread
from .memory import check_memory, estimate_bytes
from .operators import hamiltonian_csr, hamiltonian_operator, norm_bound

__all__ = [
    "ConvergenceError",
    "METHODS",
    "DENSE_MAX_DIM",
    "SPARSE_MAX_DIM",
    "check_k",
    "choose_method",
    "residuals",
    "lowest_dense",
    "lowest_lanczos",
    "lowest_tridiagonal",
    "solve_full",
    "solve_sector",
]

METHODS = ("auto", "dense", "sparse", "matrix_free", "sector")
#: ``auto`` uses a dense solve up to this dimension when k levels are asked for (2^10; 3^6 = 729).
DENSE_MAX_DIM = 1024
#: ``auto`` uses CSR Lanczos up to this dimension and matrix-free Lanczos beyond (2^20; 3^12 = 531441).
SPARSE_MAX_DIM = 2**20
#: Non-tridiagonal (3LS) sectors are solved densely up to this dimension, by CSR Lanczos beyond.
SECTOR_DENSE_MAX_DIM = 600
#: Residual tolerance of iterative results, relative to the bound on ||H||.
RESIDUAL_RTOL = 1e-7


class ConvergenceError(RuntimeError):
    """An iterative eigensolver did not converge, or its residual ||H v - E v|| is too large."""


def check_k(k: int | None, dim: int) -> int | None:
    """Validate the number of wanted levels k (None = all) against the space dimension."""
    if k is None:
        return None
    k = check_int(k, "k", minimum=1)
    if k > dim:
        raise ValueError(f"k={k} is larger than the dimension {dim} of the space; ask for at most {dim} levels")
    return k


def choose_method(dim: int, k: int | None) -> str:
    """The ``auto`` choice for a full product space of dimension ``dim`` (docs/clusters.md sec. 3)."""
    if k is None or dim <= DENSE_MAX_DIM or k >= dim - 1:
        return "dense"
    return "sparse" if dim <= SPARSE_MAX_DIM else "matrix_free"


def residuals(apply, energies: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """||H v_j - E_j v_j|| for each column v_j (``apply`` computes H @ vectors)."""
    hv = apply(vectors)
    return np.linalg.norm(hv - vectors * energies[None, :], axis=0)


def _verify(apply, energies: np.ndarray, vectors: np.ndarray, scale: float, what: str) -> None:
    res = residuals(apply, energies, vectors)
    tol = RESIDUAL_RTOL * max(scale, 1e-300)
    if np.any(~np.isfinite(res)) or np.any(res > tol):
        j = int(np.nanargmax(res))
        raise ConvergenceError(
            f"{what}: eigenpair {j} (E = {energies[j]:.12g} K) has residual ||Hv - Ev|| = {res[j]:.3g} K, "
            f"above the tolerance {tol:.3g} K ({RESIDUAL_RTOL:g} x ||H|| bound {scale:.3g} K); "
            f"try method='dense' for small spaces or ask for more levels k"
        )


def lowest_dense(matrix, k: int | None, vectors: bool = False):
    """Lowest k eigenpairs by LAPACK (``scipy.linalg.eigh``), ascending.

    Parameters
    ----------
    matrix : ndarray or scipy.sparse matrix
        Hermitian matrix in K.
    k : int or None
        Number of levels (None: all).
    vectors : bool
        Also return eigenvectors (columns).
    """
    dim = matrix.shape[0]
    check_memory(estimate_bytes(dim, "dense", complex_values=np.issubdtype(matrix.dtype, np.complexfloating)),
                 f"a dense solve of dimension {dim}")
    dense = matrix.toarray() if sp.issparse(matrix) else np.asarray(matrix)
    subset = None if k is None or k >= dim else (0, k - 1)
    if vectors:
        e, v = sla.eigh(dense, subset_by_index=subset)
        return e, v
    return sla.eigh(dense, eigvals_only=True, subset_by_index=subset), None


def lowest_lanczos(operator, k: int, vectors: bool = False, *, scale: float, what: str = "Lanczos",
                   tol: float | None = None, seed: int = 12345):
    """Lowest k eigenpairs by implicitly restarted Lanczos (ARPACK ``eigsh``, which='SA').

    The operator may be a CSR matrix or a matrix-free :class:`LinearOperator`. The result is
    checked by its residuals (tolerance ``RESIDUAL_RTOL * scale``). A seeded start vector makes
    the run reproducible. ARPACK's relative tolerance defaults to 1e-8 for energies only (the
    eigenvalue error is then of order residual^2 / gap, ~1e-13 K in the benchmarks) and 1e-10
    when eigenvectors are wanted (their error is of order residual / gap).
    """
    if tol is None:
        tol = 1e-10 if vectors else 1e-8
    dim = operator.shape[0]
    ncv = min(dim, max(2 * k + 1, 20))
    rng = np.random.default_rng(seed)
    v0 = rng.standard_normal(dim).astype(operator.dtype)
    try:
        with single_blas_thread():
            e, v = eigsh(operator, k=k, which="SA", tol=tol, ncv=ncv, v0=v0, maxiter=max(1000, 20 * dim // ncv))
    except ArpackNoConvergence as exc:
        raise ConvergenceError(
            f"{what}: ARPACK did not converge for k={k} levels of dimension {dim}: {exc}"
        ) from exc
    order = np.argsort(e)
    e, v = e[order], v[:, order]

    def apply(x: np.ndarray) -> np.ndarray:
        return operator @ x if not isinstance(operator, LinearOperator) else operator.matmat(x)

    _verify(apply, e, v, scale, what)
    return e, (v if vectors else None)


def lowest_tridiagonal(diag: np.ndarray, off: np.ndarray, k: int | None, vectors: bool = False):
    """Lowest k eigenpairs of a real symmetric tridiagonal matrix (LAPACK stemr via scipy)."""
    select = "a" if k is None or k >= len(diag) else "i"
    rng = None if select == "a" else (0, k - 1)
    if vectors:
        return sla.eigh_tridiagonal(diag, off, select=select, select_range=rng)
    return sla.eigh_tridiagonal(diag, off, eigvals_only=True, select=select, select_range=rng), None


def solve_full(diag: np.ndarray, hoff: np.ndarray, k: int | None, method: str = "auto", vectors: bool = False):
    """Lowest k levels of H = diag + sum_i h_i in the full product space.

    Parameters
    ----------
    diag, hoff
        See :mod:`clusters.operators`.
    k : int or None
        Number of levels (None: all, dense only).
    method : {"auto", "dense", "sparse", "matrix_free"}
    vectors : bool
        Also return the eigenvectors as columns.

    Returns
    -------
    energies : ndarray, shape (k,)
    vecs : ndarray or None
    method : str
        The method actually used.
    """
    method = check_choice(method, "method", ("auto", "dense", "sparse", "matrix_free"))
    dim = diag.shape[0]
    n, d = hoff.shape[0], hoff.shape[1]
    k = check_k(k, dim)
    cplx = np.iscomplexobj(hoff)
    if method == "auto":
        method = choose_method(dim, k)
    if method != "dense" and k is None:
        raise ValueError(f"method={method!r} computes only the lowest levels: give k (at most {dim - 2})")
    if method != "dense" and k >= dim - 1:
        method = "dense"  # ARPACK needs k < dim - 1
    est = estimate_bytes(dim, method, n_particles=n, local_dim=d, k=k or dim, complex_values=cplx)
    check_memory(est, f"method={method!r} for N={n} particles (dimension {d}^{n} = {dim})")
    scale = norm_bound(diag, hoff)
    if method == "dense":
        e, v = lowest_dense(hamiltonian_csr(diag, hoff), k, vectors)
        return e, v, method
    op = hamiltonian_csr(diag, hoff) if method == "sparse" else hamiltonian_operator(diag, hoff)
    e, v = lowest_lanczos(op, k, vectors, scale=scale, what=f"method={method!r}, N={n}")
    return e, v, method


def solve_sector(matrix: sp.csr_matrix, k: int | None, vectors: bool = False, *, tridiagonal: bool = False):
    """Lowest k levels of a symmetric-sector Hamiltonian (from :mod:`clusters.symmetric`).

    A tridiagonal (2LS) sector is solved exactly by LAPACK for any k. Otherwise sectors up to
    ``SECTOR_DENSE_MAX_DIM`` (or k = None) are solved densely and larger ones by CSR Lanczos with a
    residual check.
    """
    dim = matrix.shape[0]
    k = check_k(k, dim)
    if tridiagonal:
        return lowest_tridiagonal(matrix.diagonal().real, matrix.diagonal(1).real, k, vectors)
    if k is None or dim <= SECTOR_DENSE_MAX_DIM or k >= dim - 1:
        return lowest_dense(matrix, k, vectors)
    check_memory(estimate_bytes(dim, "sparse", n_particles=7, local_dim=2, k=k,
                                complex_values=np.iscomplexobj(matrix.data)),
                 f"a sector Lanczos solve of dimension {dim}")
    scale = float(sparse_norm(matrix, 1))
    return lowest_lanczos(matrix, k, vectors, scale=scale, what=f"symmetric sector of dimension {dim}")


def warn_degenerate(energies: np.ndarray, method: str) -> None:
    """Warn when an iterative method returned (near-)equal levels whose multiplicity may be incomplete."""
    if method in ("sparse", "matrix_free") and len(energies) > 1:
        gaps = np.diff(energies)
        if np.any(gaps < 1e-9 * max(1.0, float(np.max(np.abs(energies))))):
            warnings.warn(
                f"method={method!r} found (nearly) degenerate levels; Lanczos may miss copies of exactly "
                "degenerate levels, use method='dense' to get full multiplicities",
                RuntimeWarning,
                stacklevel=3,
            )
