"""Lanczos vectors kept for the states, instead of a second Lanczos pass (docs/clusters.md sec. 3).

:func:`clusters.lanczos.lanczos_lowest` with ``vectors=True`` needs the Ritz vectors
x_i = sum_j s_ji q_j. Inside :func:`reuse_kept_memory` (many solves in a row: an ensemble block) it
keeps every Lanczos vector q_j (a copy per step, in chunks of KEEP_CHUNK_BYTES) and sums them by BLAS
(the second pass's sums, to rounding); otherwise, and on large spaces, the second pass regenerates the
vectors. The default budget is the smaller of
:func:`clusters.memory.kept_vectors_bytes` (what the memory estimate of the ``lanczos`` backend counts)
and KEEP_FRACTION of the memory a new allocation can get (:func:`tunnelsim.memory.available_memory_bytes`).

Why only there: fresh memory costs a page fault per 4 KiB page on its first write, and on the 2-core
test machine that made a kept vector of N = 16 cost 0.2-0.7 ms to write (0.04 ms in memory written
before; transparent huge pages, madvise, were slower still), as much as the product and vector pass
that the second pass spends on it. Inside :func:`reuse_kept_memory` the chunks of one solve serve the next and are freed
when the block ends; a one-off solve keeps nothing unless ``keep_bytes`` asks for it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import numpy as np
import scipy.linalg as sla

from .memory import available_memory_bytes, kept_vectors_bytes

__all__ = ["KEEP_FRACTION", "KEEP_CHUNK_BYTES", "Kept", "keeper", "keeping", "reuse_kept_memory"]

#: The kept vectors take at most this fraction of the memory a new allocation can get.
KEEP_FRACTION = 0.125
#: Kept vectors are stored in chunks of at most this many bytes and the cap (a chunk holds at least one vector).
KEEP_CHUNK_BYTES = 2**25

_LOCAL = threading.local()


@contextlib.contextmanager
def reuse_kept_memory() -> Iterator[None]:
    """Context manager: inside, solves with states keep their Lanczos vectors, in memory reused from one solve
    to the next (module docstring); the chunks are freed when the block ends. The results agree to rounding.

    Examples
    --------
    >>> import numpy as np
    >>> from clusters import TwoLevelCluster, random_couplings
    >>> c = TwoLevelCluster([0.1, -0.2] * 6, [0.5] * 12, random_couplings(12, 0.1, np.random.default_rng(1)))
    >>> e_plain, v_plain = c.eigenstates(3, method="lanczos")        # one-off: the second Lanczos pass
    >>> with reuse_kept_memory():                                     # a block: the Lanczos vectors kept
    ...     e_kept, v_kept = c.eigenstates(3, method="lanczos")
    >>> bool(np.array_equal(e_plain, e_kept)), bool(np.allclose(np.abs(v_plain), np.abs(v_kept), atol=1e-10))
    (True, True)
    """
    outer = getattr(_LOCAL, "pool", None)
    _LOCAL.pool = {} if outer is None else outer
    try:
        yield
    finally:
        _LOCAL.pool = outer


def keeping() -> bool:
    """True inside :func:`reuse_kept_memory` (solves with states then keep their Lanczos vectors).

    Examples
    --------
    >>> with reuse_kept_memory():
    ...     inside = keeping()
    >>> inside, keeping()
    (True, False)
    """
    return getattr(_LOCAL, "pool", None) is not None


def _take(shape: tuple[int, int], dtype: np.dtype) -> np.ndarray:
    """A chunk of this shape: a free one of the pool, or fresh memory."""
    pool = getattr(_LOCAL, "pool", None)
    free = pool.get((shape, np.dtype(dtype).str)) if pool is not None else None
    return free.pop() if free else np.empty(shape, dtype=dtype)


class Kept:
    """The Lanczos vectors q_j (unnormalised, with their norms sig_j) while they fit ``cap`` bytes.

    Examples
    --------
    >>> import numpy as np
    >>> kept = Kept(4, np.float64, cap=2 * 4 * 8)                 # room for two vectors of 4 float64
    >>> kept.add(np.ones(4), 1.0), kept.add(np.ones(4), 2.0), kept.add(np.ones(4), 3.0)
    (True, True, False)
    >>> kept.sigs                                                 # past the cap nothing is kept any more
    []
    """

    def __init__(self, dim: int, dtype: np.dtype, cap: float) -> None:
        self.dim, self.dtype = int(dim), np.dtype(dtype)
        self.cap, self.chunks, self.sigs = float(cap), [], []
        self.rows = max(1, int(min(KEEP_CHUNK_BYTES, self.cap) // (self.dim * self.dtype.itemsize)))

    def add(self, v: np.ndarray, sig: float) -> bool:
        """Keep a copy of v; False, and nothing kept any more, when it would pass the cap."""
        j = len(self.sigs)
        if j % self.rows == 0:
            if (len(self.chunks) + 1) * self.rows * self.dim * self.dtype.itemsize > self.cap:
                self.release()
                return False
            self.chunks.append(_take((self.rows, self.dim), self.dtype))
        self.chunks[-1][j % self.rows] = v
        self.sigs.append(float(sig))
        return True

    def accumulate(self, out: np.ndarray, s: np.ndarray) -> None:
        """out[i] += sum_j s[j, i] q_j / sig_j over the kept j: one BLAS gemm per chunk, in place.

        ``out`` has shape (k, dim) and is C-contiguous, so out.T is the Fortran-ordered C of C <- A B + C.
        """
        total = len(self.sigs)
        coefs = np.asarray(s[:total], dtype=self.dtype) / np.asarray(self.sigs)[:, None]
        for c, chunk in enumerate(self.chunks):
            lo, hi = c * self.rows, min((c + 1) * self.rows, total)
            if hi <= lo:
                break
            a, b = chunk[: hi - lo].T, np.asfortranarray(coefs[lo:hi])
            gemm = sla.get_blas_funcs("gemm", (a, b, out))
            gemm(1.0, a, b, beta=1.0, c=out.T, overwrite_c=True)

    def release(self) -> None:
        """Give the chunks back (to the pool of :func:`reuse_kept_memory`, or to the system)."""
        pool = getattr(_LOCAL, "pool", None)
        if pool is not None:
            pool.setdefault(((self.rows, self.dim), self.dtype.str), []).extend(self.chunks)
        self.chunks, self.sigs = [], []


def keeper(kernel, vectors: bool, keep_bytes: float | None) -> Kept | None:
    """Where a run's Lanczos vectors are kept: host kernels asking for states inside :func:`reuse_kept_memory`
    (or with an explicit ``keep_bytes``), within the budget; else None (the second pass).

    Examples
    --------
    >>> import numpy as np
    >>> from clusters.kernels import ProductKernel
    >>> kernel = ProductKernel(np.zeros(2**10), np.tile([[0.0, 0.5], [0.5, 0.0]], (10, 1, 1)))
    >>> keeper(kernel, True, None) is None                        # a one-off solve: the second pass
    True
    >>> with reuse_kept_memory():
    ...     kept = keeper(kernel, True, None)
    >>> kept.rows >= 1, keeper(kernel, False, 1e9) is None        # energies alone keep nothing
    (True, True)
    """
    if not vectors or kernel.xp is not np:
        return None
    size = kernel.dim * kernel.dtype.itemsize
    if keep_bytes is None and not keeping():
        return None  # a one-off solve: fresh memory costs more than the second pass here (module docstring)
    if keep_bytes is None:
        keep_bytes = min(kept_vectors_bytes(kernel.dim, kernel.dtype.kind == "c"),
                         KEEP_FRACTION * available_memory_bytes())
    return Kept(kernel.dim, kernel.dtype, keep_bytes) if keep_bytes >= size else None
