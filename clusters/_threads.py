"""Thread counts: one BLAS thread around small dense blocks and Lanczos solves; numba threads by size.

ARPACK calls BLAS between matrix-vector products; OpenBLAS worker threads then busy-wait and
compete with the numba threads of the matrix-free product, and on small dense blocks threaded
BLAS spends most of its time synchronising. On a 2-core machine this slowed a matrix-free solve
about 10x (37 s versus 3.9 s at N = 18) and a 3LS coherent-multiplet point up to 40x.
:func:`single_blas_thread` limits every loaded BLAS to one thread inside the block (threadpoolctl)
and restores the previous counts afterwards (docs/clusters.md sec. 3, implementation note).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from threadpoolctl import threadpool_limits


@contextlib.contextmanager
def single_blas_thread() -> Iterator[None]:
    """Context manager: one BLAS thread inside, the previous setting restored after."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


#: Products below this many amplitudes run on one numba thread (a parallel region stalls when the other core is busy).
PARALLEL_MIN_DIM = 2**18


@contextlib.contextmanager
def numba_threads(dim: int) -> Iterator[None]:
    """Context manager: one numba thread for spaces below ``PARALLEL_MIN_DIM``, all of them above; restored after."""
    import numba

    old = numba.get_num_threads()
    numba.set_num_threads(1 if dim < PARALLEL_MIN_DIM else numba.config.NUMBA_NUM_THREADS)
    try:
        yield
    finally:
        numba.set_num_threads(old)
