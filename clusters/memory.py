"""Memory estimates for the cluster solvers, checked before any large allocation.

Each solver of :mod:`clusters.solvers` first estimates the bytes it will need (see
docs/clusters.md, "Solver choice") and compares them with the budget of the shared floor
(:mod:`tunnelsim.memory`: the minimum of MemAvailable, the RLIMIT_AS headroom and the cgroup
headroom). When the estimate exceeds it, a :class:`ClusterMemoryError` is raised that names both
numbers in GiB, instead of the process being killed half-way.
"""

from __future__ import annotations

from tunnelsim.memory import GIB, MemoryBudgetError, available_memory_bytes, format_gib
from tunnelsim.memory import check_memory as _check_memory

__all__ = [
    "ClusterMemoryError",
    "GIB",
    "available_memory_bytes",
    "format_gib",
    "check_memory",
    "estimate_bytes",
]


class ClusterMemoryError(MemoryBudgetError):
    """Raised when a requested cluster computation would exceed the memory budget.

    A :class:`tunnelsim.memory.MemoryBudgetError`, hence both a :class:`MemoryError` and a
    :class:`ValueError` (the size is too large for the method).
    """


def estimate_bytes(dim: int, method: str, *, n_particles: int = 1, local_dim: int = 2, k: int = 6,
                   complex_values: bool = False) -> float:
    """Estimate the peak memory of one solve, in bytes.

    Parameters
    ----------
    dim : int
        Hilbert-space (or sector) dimension.
    method : {"dense", "sparse", "matrix_free", "qobj"}
        ``dense``: the full matrix plus LAPACK work space (3 dim^2 numbers);
        ``sparse``: a CSR matrix with ``dim * (1 + N (d - 1))`` stored entries (value and int32/int64
        column index each) plus the Lanczos basis; ``matrix_free``: the diagonal vector plus the
        Lanczos basis only; ``qobj``: the QuTiP CSR copy built by ``.hamiltonian()`` (complex values
        and 64-bit indices).
    n_particles, local_dim : int
        N and d (2 for 2LS, 3 for 3LS), used for the number of non-zeros.
    k : int
        Number of wanted eigenpairs (the Lanczos basis holds ``max(2k + 1, 20)`` vectors).
    complex_values : bool
        Whether the matrix is complex (3LS clusters in a field).

    Returns
    -------
    float
        Estimated bytes.
    """
    if dim > 10**300:  # beyond float range: certainly too large
        return float("inf")
    dim = float(dim)
    item = 16.0 if complex_values else 8.0
    ncv = max(2 * k + 1, 20)
    lanczos = (ncv + 6) * dim * item
    nnz = dim * (1 + n_particles * (local_dim - 1))
    index = 4.0 if dim < 2.0**31 else 8.0
    if method == "dense":
        return 3.0 * dim * dim * item
    if method == "sparse":
        # CSR values + column indices, and a COO-like construction copy (x 2)
        return 2.0 * nnz * (item + index) + lanczos + dim * 8.0
    if method == "matrix_free":
        return lanczos + dim * 8.0
    if method == "qobj":
        return 2.0 * nnz * (16.0 + 8.0)
    raise ValueError(f"method must be one of 'dense', 'sparse', 'matrix_free', 'qobj'; got {method!r}")


def check_memory(needed: float, what: str, *, fraction: float = 0.8, limit: float | None = None) -> None:
    """Raise :class:`ClusterMemoryError` when ``needed`` bytes exceed the budget.

    The budget is that of :func:`tunnelsim.memory.check_memory`.

    Parameters
    ----------
    needed : float
        Estimated bytes (from :func:`estimate_bytes`).
    what : str
        What would be allocated, named in the error message.
    fraction : float
        Fraction of the available memory that one computation may use.
    limit : float, optional
        An explicit budget in bytes (capped by the available memory).
    """
    _check_memory(needed, what, fraction=fraction, limit=limit, error=ClusterMemoryError,
                  hint="use a smaller N, fewer levels k, or a lighter method (method='matrix_free', or the "
                       "symmetric sector of a uniform cluster)")
