"""Memory estimates of the cluster computations, checked before any large allocation.

The budget is the shared floor's (:mod:`tunnelsim.memory`: the minimum of MemAvailable, the RLIMIT_AS
headroom and the cgroup headroom). This module gives the building blocks of the estimates (bytes of
a dense matrix with LAPACK work space, of a CSR matrix, of a Lanczos basis, of a QuTiP Qobj); each
solver backend of :mod:`clusters.solvers` composes its own estimate from them when it is registered.
When an estimate exceeds the budget, :func:`check_memory` raises a :class:`ClusterMemoryError` that
names both numbers in GiB, instead of the process being killed half-way (docs/clusters.md sec. 3).
"""

from __future__ import annotations

import math
import numbers

from tunnelsim.memory import GIB, MemoryBudgetError, available_memory_bytes, format_gib
from tunnelsim.memory import check_memory as _check_memory

__all__ = [
    "ClusterMemoryError",
    "GIB",
    "available_memory_bytes",
    "format_gib",
    "check_memory",
    "itemsize",
    "dense_bytes",
    "csr_bytes",
    "lanczos_bytes",
    "lean_lanczos_bytes",
    "qobj_bytes",
]


class ClusterMemoryError(MemoryBudgetError):
    """Raised when a requested cluster computation would exceed the memory budget.

    A :class:`tunnelsim.memory.MemoryBudgetError`, hence both a :class:`MemoryError` and a
    :class:`ValueError` (the size is too large for the method).

    Examples
    --------
    >>> from clusters import ClusterMemoryError
    >>> from clusters.memory import check_memory
    >>> try:
    ...     check_memory(1e30, "a 10^30-byte array")
    ... except ClusterMemoryError as err:
    ...     print(isinstance(err, MemoryError), isinstance(err, ValueError), "10^30-byte" in str(err))
    True True True
    """


def _size(value: object, name: str, minimum: float = 0.0) -> float:
    """A size of an estimate as a float: a real number >= ``minimum`` (NaN, negatives and non-numbers refused;
    inf beyond the float range: certainly too large)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} ({value!r:.40})")
    try:
        v = float(value)
    except OverflowError:
        return math.inf
    if math.isnan(v) or v < minimum:
        raise ValueError(f"{name} must be a number >= {minimum:g}, got {value!r}")
    return v


def _dim(dim: int) -> float:
    """The dimension as a float (inf beyond the float range: certainly too large)."""
    return _size(dim, "dim")


def itemsize(complex_values: bool) -> float:
    """Bytes per matrix or vector entry: 16 (complex128) or 8 (float64).

    Examples
    --------
    >>> itemsize(False), itemsize(True)
    (8.0, 16.0)
    """
    return 16.0 if complex_values else 8.0


def dense_bytes(dim: int, complex_values: bool = False) -> float:
    """A dense dim x dim matrix plus LAPACK work space: 3 dim^2 entries (bytes).

    Examples
    --------
    >>> dense_bytes(2**10) == 3 * 8 * 4**10, dense_bytes(2**10, True) == 2 * dense_bytes(2**10)   # N = 10 2LS
    (True, True)
    """
    d = _dim(dim)
    return 3.0 * d * d * itemsize(complex_values)


def csr_bytes(dim: int, nnz_per_row: int, complex_values: bool = False) -> float:
    """A CSR matrix with ``dim * nnz_per_row`` entries (value and int32/int64 index), twice for its construction.

    Examples
    --------
    >>> csr_bytes(2**10, 11) == 2 * 2**10 * 11 * (8 + 4)    # N = 10 2LS: diagonal + N flips per row
    True
    """
    d = _dim(dim)
    index = 4.0 if d < 2.0**31 else 8.0
    return 2.0 * d * _size(nnz_per_row, "nnz_per_row") * (itemsize(complex_values) + index)


def lanczos_bytes(dim: int, k: int, complex_values: bool = False) -> float:
    """ARPACK's Lanczos basis of ncv = max(2k + 1, 20) vectors plus 6 work vectors (bytes).

    Examples
    --------
    >>> lanczos_bytes(2**20, 1) / (8.0 * 2**20)           # 26 float64 vectors of 8 bytes x 2^N
    26.0
    """
    return (max(2 * _size(k, "k") + 1, 20) + 6) * _dim(dim) * itemsize(complex_values)


#: States of the lean Lanczos: most bytes of Lanczos vectors kept instead of a second pass (clusters.lanczos) ...
KEPT_VECTORS_MAX_BYTES = 2.0**28
#: ... and most vectors counted by the estimate (a solve keeping more takes more steps than any seen here).
KEPT_VECTORS_MAX_STEPS = 2000


def kept_vectors_bytes(dim: int, complex_values: bool = False) -> float:
    """Most bytes of Lanczos vectors a solve keeps on a space of dimension ``dim``: the smaller of
    KEPT_VECTORS_MAX_BYTES and KEPT_VECTORS_MAX_STEPS vectors (:mod:`clusters.kept` may keep less).

    Examples
    --------
    >>> kept_vectors_bytes(2**12) == 2000 * 8 * 2**12            # small: 2000 vectors
    True
    >>> kept_vectors_bytes(2**24) == 2**28                       # large: 256 MiB
    True
    """
    return min(KEPT_VECTORS_MAX_BYTES, KEPT_VECTORS_MAX_STEPS * itemsize(complex_values) * _dim(dim))


def lean_lanczos_bytes(dim: int, k: int, complex_values: bool = False, vectors: bool = False,
                       locking: bool = False, kept: bool = False, diagonal: bool = True) -> float:
    """Peak bytes of :mod:`clusters.lanczos` on a space of dimension ``dim``.

    The solve: the float64 diagonal when it is stored (``diagonal``; built in place, every amplitude written once:
    :mod:`clusters.diagonal`; not stored when the kernel builds each block's from row tables), two Lanczos
    vectors, and with ``vectors`` 2k Ritz accumulators (ghost copies included), their products (Rayleigh-Ritz),
    the k states, and with ``kept`` (a solve inside :func:`clusters.kept.reuse_kept_memory`) the Lanczos vectors
    kept for them (:func:`kept_vectors_bytes`); ``locking`` (repeated runs for degenerate levels) keeps up to 2k
    more states.

    Examples
    --------
    >>> (lean_lanczos_bytes(2**24, 1) - 64 * 2**20) / (8.0 * 2**24)   # energies only: diagonal + 2 vectors of 8 x 2^N
    3.0
    >>> (lean_lanczos_bytes(2**24, 1, diagonal=False) - 64 * 2**20) / (8.0 * 2**24)   # rows built by the kernel
    2.0
    """
    d, k = _dim(dim), _size(k, "k")
    item = itemsize(complex_values)
    rows = 2.0 + ((5.0 * k + 1.0) if (vectors or locking) else 0.0) + (2.0 * k if locking else 0.0)
    kept = kept_vectors_bytes(d, complex_values) if vectors and kept else 0.0
    return (8.0 * d if diagonal else 0.0) + rows * item * d + kept + 64.0 * 2**20


def qobj_bytes(dim: int, nnz_per_row: int) -> float:
    """The QuTiP CSR copy built by ``.hamiltonian()`` (complex values, 64-bit indices), twice (bytes).

    Examples
    --------
    >>> qobj_bytes(2**10, 11) == 2 * 2**10 * 11 * (16 + 8)
    True
    """
    return 2.0 * _dim(dim) * _size(nnz_per_row, "nnz_per_row") * (16.0 + 8.0)


def check_memory(needed: float, what: str, *, fraction: float = 0.8, limit: float | None = None) -> None:
    """Raise :class:`ClusterMemoryError` when ``needed`` bytes exceed the budget of :mod:`tunnelsim.memory`.

    Parameters
    ----------
    needed : float
        Estimated bytes.
    what : str
        What would be allocated, named in the error message.
    fraction : float
        Fraction of the available memory that one computation may use.
    limit : float, optional
        An explicit budget in bytes (capped by the available memory).

    Examples
    --------
    >>> check_memory(8.0 * 2**10, "one vector of N = 10 2LS")   # 8 bytes x 2^N: fits, returns None
    >>> try:
    ...     check_memory(100.0, "a 100-byte test array", limit=50.0)
    ... except ClusterMemoryError:
    ...     print("refused before allocation")
    refused before allocation
    """
    _check_memory(needed, what, fraction=fraction, limit=limit, error=ClusterMemoryError,
                  hint="use a smaller N, fewer levels k, or a lighter method (method='matrix_free', or the "
                       "symmetric sector of a uniform cluster)")
