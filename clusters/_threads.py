"""Thread counts: one BLAS thread around small dense blocks and Lanczos solves; numba threads by size and load.

ARPACK calls BLAS between matrix-vector products; OpenBLAS worker threads then busy-wait and
compete with the numba threads of the matrix-free product, and on small dense blocks threaded
BLAS spends most of its time synchronising. On a 2-core machine this slowed a matrix-free solve
about 10x (37 s versus 3.9 s at N = 18) and a 3LS coherent-multiplet point up to 40x.
:func:`single_blas_thread` limits every loaded BLAS to one thread inside the block (threadpoolctl)
and restores the previous counts afterwards (docs/clusters.md sec. 3, implementation note).
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
from collections.abc import Iterator

from threadpoolctl import ThreadpoolController


@functools.cache
def _blas_controller():
    """One threadpoolctl controller per process, made once numpy's and scipy's BLAS are loaded: enumerating the
    loaded libraries costs ~1 ms, which a fresh ``threadpool_limits`` paid on every call (a third of an ensemble
    block of two N = 1 clusters)."""
    import scipy.linalg  # noqa: F401 - scipy's own BLAS, loaded before the libraries are listed

    return ThreadpoolController()


@contextlib.contextmanager
def single_blas_thread() -> Iterator[None]:
    """Context manager: one BLAS thread inside, the previous setting restored after."""
    with _blas_controller().limit(limits=1, user_api="blas"):
        yield


#: Products below this many amplitudes run on one numba thread (a parallel region stalls when the other core is busy).
PARALLEL_MIN_DIM = 2**18
#: The cgroup v2 CPU quota file ("max 100000", or "<quota> <period>" in microseconds).
CGROUP_CPU_MAX = "/sys/fs/cgroup/cpu.max"


def usable_cpus() -> int:
    """CPUs this process may run on: its affinity mask, capped by a cgroup v2 CPU quota (``cpu.max``)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    try:
        with open(CGROUP_CPU_MAX) as f:
            quota, period = f.read().split()[:2]
        if quota != "max":
            cpus = min(cpus, max(1, int(float(quota) / float(period))))
    except (OSError, ValueError):
        pass
    return max(1, cpus)


def idle_cpus() -> float:
    """CPUs of the machine not busy with other work: all CPUs less the 1-minute load average, this process
    counted as one (the load average counts it); all CPUs when the load is unknown."""
    total = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return float(total)
    return total - max(load - 1.0, 0.0)


def choose_threads(dim: int) -> int:
    """Numba threads for a product over ``dim`` amplitudes, chosen at run time from what the machine gives.

    One below ``PARALLEL_MIN_DIM``; otherwise the idle CPUs (:func:`idle_cpus`, rounded), at least one and at
    most the usable CPUs (:func:`usable_cpus`) and numba's pool. With the other core of a 2-core machine busy a
    single thread was measured 1.4-2.1x faster than two at N = 20 (issue 23): a parallel region waits for its
    slowest thread.
    """
    import numba

    if dim < PARALLEL_MIN_DIM:
        return 1
    idle = int(math.floor(idle_cpus() + 0.5))
    return max(1, min(idle, usable_cpus(), numba.config.NUMBA_NUM_THREADS))


@contextlib.contextmanager
def numba_threads(dim: int) -> Iterator[None]:
    """Context manager: :func:`choose_threads` numba threads inside, the previous count restored after."""
    import numba

    old = numba.get_num_threads()
    numba.set_num_threads(choose_threads(dim))
    try:
        yield
    finally:
        numba.set_num_threads(old)
