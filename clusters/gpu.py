"""Optional GPU backend (CuPy): the 2LS product kernel and the lean Lanczos on a CUDA device.

Never required: ``import clusters`` does not import CuPy; :func:`gpu_available` tries it on first
use (cached) and says False without it or without a device. When available, ``auto`` picks the
``gpu`` backend for real 2LS spaces (full space or parity sector) from ``GPU_MIN_DIM`` states on;
the same driver (:func:`clusters.lanczos.lanczos_lowest`) runs with device arrays
(docs/clusters.md sec. 3). The kernel is the per-amplitude form of :mod:`clusters.kernels`
(one thread per amplitude: (H x)[s] = D[s] x[s] + sum_j t_j x[s XOR 2^j] + f x[s XOR (2^n - 1)]).
Status: written and tested for its selection logic on CPU-only machines; not yet measured on a device.
"""

from __future__ import annotations

import functools
import math

import numpy as np

__all__ = ["GPU_MIN_DIM", "gpu_available", "GpuKernel"]

#: ``auto`` picks the GPU backend from this many states on (below, transfers and launches dominate).
GPU_MIN_DIM = 2**20

_SOURCE = r"""
extern "C" __global__ void xor_step(const double* x, double* y, const double* diag, const double* coef,
                                    const int nbits, const double flip, const double a, const double b,
                                    const long long dim) {
    long long s = (long long)blockDim.x * blockIdx.x + threadIdx.x;
    if (s >= dim) return;
    double acc = diag[s] * x[s];
    for (int j = 0; j < nbits; ++j) acc += coef[j] * x[s ^ (1LL << j)];
    if (flip != 0.0) acc += flip * x[dim - 1 - s];
    acc *= a;
    if (b != 0.0) acc += b * y[s];
    y[s] = acc;
}
"""


@functools.cache
def gpu_available() -> bool:
    """Whether CuPy imports and sees at least one CUDA device (cached; False on any failure)."""
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # noqa: BLE001 - no cupy, no driver, no device: all mean "not available"
        return False


class GpuKernel:
    """A :class:`clusters.kernels.ProductKernel` of a real 2LS space, on the device (same methods).

    Parameters
    ----------
    kernel : ProductKernel
        A host kernel with the XOR form (real 2LS; checked).
    """

    def __init__(self, kernel) -> None:
        import cupy

        if not getattr(kernel, "_xor", False):
            raise ValueError("kernel must be a real 2LS product kernel (the GPU backend has the XOR form only)")
        self.xp = cupy
        self.dim, self.n, self.d, self.dtype = kernel.dim, kernel.n, 2, np.dtype(np.float64)
        self.diag = cupy.asarray(kernel.diag)
        self.coef = cupy.asarray(kernel.coef)
        self.flip = float(kernel.flip)
        self._step = cupy.RawKernel(_SOURCE, "xor_step")

    def step(self, x, y, a: float = 1.0, b: float = 0.0, dot: bool = False):
        """y <- a (H x) + b y on the device; returns <x, y> when ``dot``."""
        threads = 256
        blocks = (self.dim + threads - 1) // threads
        self._step((blocks,), (threads,), (x, y, self.diag, self.coef, np.int32(self.coef.size),
                                           np.float64(self.flip), np.float64(a), np.float64(b),
                                           np.int64(self.dim)))
        return float(self.xp.vdot(x, y).real) if dot else None

    def apply(self, x):
        """H x (a host array in, a host array out)."""
        y = self.xp.empty(self.dim)
        self.step(self.xp.asarray(x, dtype=np.float64), y)
        return self.xp.asnumpy(y)

    def axpy_norm(self, y, x, c: float) -> float:
        """y <- y - c x; returns ||y||^2."""
        y -= c * x
        return float(self.xp.vdot(y, y).real)

    def accumulate(self, out, r, coefs) -> None:
        """out[i] += coefs[i] r."""
        out += self.xp.asarray(coefs)[:, None] * r[None, :]


def estimate_gpu_host_bytes(dim: int) -> float:
    """Host memory of the GPU backend: the diagonal built on the host (float64) plus slack (bytes)."""
    return 2.0 * 8.0 * float(dim) + 64.0 * 2**20


def device_fits(dim: int, k: int, vectors: bool) -> bool:
    """Whether the device memory holds the diagonal, two vectors and the Ritz accumulators."""
    import cupy

    free, _ = cupy.cuda.runtime.memGetInfo()
    need = 8.0 * dim * (3 + ((2 * k + 1) if vectors else 0))
    return need < 0.9 * free and math.isfinite(need)
