"""Optional GPU backend (CuPy): the 2LS product kernel and the lean Lanczos, device-resident.

Never required: ``import clusters`` does not import CuPy; :func:`gpu_available` tries it on first
use (cached) and says False without it or without a device. When available, ``auto`` picks the
``gpu`` backend for real 2LS spaces (full space or parity sector) from ``GPU_MIN_DIM`` states on;
the same driver (:func:`clusters.lanczos.lanczos_lowest`) runs with device arrays
(docs/clusters.md sec. 3).

Device-resident: built from the small tables of the cluster (:meth:`GpuKernel.from_tables`: wells
E^i_a, couplings J_ij, pair table W, hoppings), the diagonal D[s] = sum_i E^i_{a_i} + sum_{i<j} J_ij
W(a_i, a_j) is computed on the device (one thread per state), the start vector is drawn on the device,
the norm bound and every reduction (dot products, norms) run on the device; the host holds no array of
2^N entries (only the k states when they are asked for, copied back). Problems without tables (the
parity sector) copy their host kernel's diagonal (:meth:`GpuKernel.from_host`).

Product kernel (one thread per amplitude, blocks of 2^LOW_BITS threads): the block's amplitudes of x are
staged in shared memory, the low bits act there, the high bits read x[s XOR 2^j] from global memory
(coalesced: one contiguous partner block per bit), the flip x[dim - 1 - s]; y = a (H x) + b y, and the
block's partial sum of x y is reduced in the kernel (the Lanczos alpha without another pass).

Status: written against CuPy's documented API (RawModule, RandomState, memGetInfo) and tested for its
host-side logic (selection, memory estimates, refusals, table checks) on CPU-only machines; not yet run or
measured on a device (no GPU figure in the docs comes from this code).
"""

from __future__ import annotations

import functools
import math

import numpy as np

__all__ = ["GPU_MIN_DIM", "LOW_BITS", "gpu_available", "GpuKernel", "xor_coefficients", "check_tables",
           "estimate_gpu_device_bytes", "estimate_gpu_host_bytes", "device_fits"]

#: ``auto`` picks the GPU backend from this many states on (below, transfers and launches dominate).
GPU_MIN_DIM = 2**20
#: Threads per block of the product kernel (2^LOW_BITS; the low bits act in shared memory).
LOW_BITS = 10
#: Blocks of the grid-stride vector kernels: fixed, so every reduction is summed in the same order.
VECTOR_BLOCKS = 2048
#: Device bytes outside the arrays: CUDA context, CuPy's pool rounding, partial sums (bytes).
DEVICE_SLACK = 512.0 * 2**20

_SOURCE = r"""
extern "C" {
__device__ double block_sum(double v, double* red) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffff, v, o);
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) red[warp] = v;
    __syncthreads();
    v = (threadIdx.x < (blockDim.x + 31) / 32) ? red[lane] : 0.0;
    if (warp == 0) for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffff, v, o);
    return v;
}

__global__ void config_diag(double* diag, const double* wells, const double* coup, const double* pair,
                            const int n, const long long dim) {
    long long s = (long long)blockDim.x * blockIdx.x + threadIdx.x;
    if (s >= dim) return;
    double acc = 0.0;
    for (int i = 0; i < n; ++i) {
        int bi = (int)((s >> (n - 1 - i)) & 1);
        acc += wells[2 * i + bi];
        for (int j = i + 1; j < n; ++j) {
            double c = coup[i * n + j];
            if (c != 0.0) acc += c * pair[2 * bi + (int)((s >> (n - 1 - j)) & 1)];
        }
    }
    diag[s] = acc;
}

__global__ void xor_step(const double* x, double* y, const double* diag, const double* coef, const int nbits,
                         const int low, const double flip, const double a, const double b, const long long dim,
                         double* partial, const int want_dot) {
    extern __shared__ double xs[];
    __shared__ double red[32];
    int t = threadIdx.x;
    long long s = (long long)blockIdx.x * blockDim.x + t;
    double xv = x[s];
    xs[t] = xv;
    __syncthreads();
    double acc = diag[s] * xv;
    for (int j = 0; j < low; ++j) acc += coef[j] * xs[t ^ (1 << j)];
    for (int j = low; j < nbits; ++j) acc += coef[j] * x[s ^ (1LL << j)];
    if (flip != 0.0) acc += flip * x[dim - 1 - s];
    acc *= a;
    if (b != 0.0) acc += b * y[s];
    y[s] = acc;
    if (want_dot) {
        double v = block_sum(xv * acc, red);
        if (t == 0) partial[blockIdx.x] = v;
    }
}

__global__ void axpy_norm(double* y, const double* x, const double c, const long long dim, double* partial) {
    __shared__ double red[32];
    double acc = 0.0;
    long long stride = (long long)gridDim.x * blockDim.x;
    for (long long s = (long long)blockIdx.x * blockDim.x + threadIdx.x; s < dim; s += stride) {
        double v = y[s] - c * x[s];
        y[s] = v;
        acc += v * v;
    }
    acc = block_sum(acc, red);
    if (threadIdx.x == 0) partial[blockIdx.x] = acc;
}

__global__ void accumulate(double* out, const double* r, const double* coefs, const int k, const long long dim) {
    long long stride = (long long)gridDim.x * blockDim.x;
    for (long long s = (long long)blockIdx.x * blockDim.x + threadIdx.x; s < dim; s += stride) {
        double v = r[s];
        for (int i = 0; i < k; ++i) out[i * dim + s] += coefs[i] * v;
    }
}
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


def xor_coefficients(hoff: np.ndarray) -> np.ndarray:
    """coef[j] = t of particle N-1-j (bit j) from 2LS hoppings of shape (N, 2, 2): real, symmetric, zero diagonal.

    Raises ValueError naming what is wrong otherwise (the device kernel has the XOR form only).
    """
    hoff = np.asarray(hoff)
    if hoff.ndim != 3 or hoff.shape[1:] != (2, 2):
        raise ValueError(f"hoff must have shape (N, 2, 2) (2LS hoppings; the GPU kernel is 2LS only), got {hoff.shape}")
    if np.iscomplexobj(hoff) or not np.array_equal(hoff[:, 0, 1], hoff[:, 1, 0]) or np.any(hoff[:, 0, 0]) \
            or np.any(hoff[:, 1, 1]):
        raise ValueError("hoff must be real and symmetric with zero diagonal (t_i sigma^x_i) for the GPU kernel")
    coef = np.ascontiguousarray(hoff[::-1, 0, 1], dtype=np.float64)
    if not np.all(np.isfinite(coef)):
        raise ValueError("hoff must be finite")
    return coef


def check_tables(wells, hoff, couplings, pair):
    """(coef, wells, couplings, pair) as contiguous float64 after checking shapes and values (host side, small)."""
    coef = xor_coefficients(hoff)
    n = coef.shape[0]
    wells, couplings, pair = (np.ascontiguousarray(a, dtype=np.float64) for a in (wells, couplings, pair))
    if wells.shape != (n, 2) or couplings.shape != (n, n) or pair.shape != (2, 2):
        raise ValueError(f"tables must have shapes wells ({n}, 2), couplings ({n}, {n}), pair (2, 2); got "
                         f"{wells.shape}, {couplings.shape}, {pair.shape}")
    if not (np.all(np.isfinite(wells)) and np.all(np.isfinite(couplings)) and np.all(np.isfinite(pair))):
        raise ValueError("tables (wells, couplings, pair) must be finite")
    if not np.allclose(couplings, couplings.T) or np.any(np.diag(couplings)):
        raise ValueError("couplings must be symmetric with zero diagonal")
    return coef, wells, couplings, pair


def estimate_gpu_device_bytes(dim: int, k: int, vectors: bool) -> float:
    """Peak device bytes of the ``gpu`` backend: the diagonal and two Lanczos vectors; with ``vectors`` also 2k Ritz
    accumulators, their products and the k states (Rayleigh-Ritz: 5k rows), plus ``DEVICE_SLACK``."""
    rows = 3.0 + (5.0 * k if vectors else 0.0)
    return 8.0 * float(dim) * rows + DEVICE_SLACK


def estimate_gpu_host_bytes(dim: int, k: int = 1, vectors: bool = False, tables: bool = True) -> float:
    """Host bytes of the ``gpu`` backend: no 2^N array when built from tables; without tables the host diagonal
    (built as in :func:`clusters.hamiltonians.configuration_energies`: 2.5 vectors); the k states copied back
    (twice: the copy and its transpose) when asked for; plus 64 MiB."""
    build = 0.0 if tables else 2.5 * 8.0 * float(dim)
    states = 2.0 * 8.0 * float(dim) * k if vectors else 0.0
    return max(build, states + (0.0 if tables else 8.0 * float(dim))) + 64.0 * 2**20


def device_fits(dim: int, k: int, vectors: bool, free_bytes: float | None = None) -> bool:
    """Whether :func:`estimate_gpu_device_bytes` fits into 90 % of the free device memory (queried when not given)."""
    if free_bytes is None:
        import cupy

        free_bytes, _ = cupy.cuda.runtime.memGetInfo()
    need = estimate_gpu_device_bytes(dim, k, vectors)
    return math.isfinite(need) and need < 0.9 * float(free_bytes)


class GpuKernel:
    """A real 2LS product kernel on the device, with the methods :mod:`clusters.lanczos` calls.

    Build it with :meth:`from_tables` (device-resident) or :meth:`from_host` (copies a host kernel's diagonal).
    """

    def __init__(self, diag, coef: np.ndarray, flip: float, n: int) -> None:
        if int(n) < 5:
            raise ValueError(f"the GPU kernel needs N >= 5 particles (full warps), got N={n}; use method='lanczos'")
        import cupy

        self.xp = cupy
        self.n, self.d, self.dtype = int(n), 2, np.dtype(np.float64)
        self.dim = 2**self.n
        self.diag = diag
        self.coef = cupy.asarray(np.ascontiguousarray(coef, dtype=np.float64))
        self.flip = float(flip)
        self._module = _module()
        self._threads = min(self.dim, 2**LOW_BITS)
        self._low = self._threads.bit_length() - 1
        self._dots = cupy.zeros(self.dim // self._threads)
        self._parts = cupy.zeros(VECTOR_BLOCKS)

    @classmethod
    def from_host(cls, kernel) -> GpuKernel:
        """From a host :class:`clusters.kernels.ProductKernel` of XOR form (its diagonal copied to the device)."""
        import cupy

        if not getattr(kernel, "_xor", False):
            raise ValueError("kernel must be a real 2LS product kernel (the GPU backend has the XOR form only)")
        return cls(cupy.asarray(kernel.diag), kernel.coef, kernel.flip, kernel.n)

    @classmethod
    def from_tables(cls, wells: np.ndarray, hoff: np.ndarray, couplings: np.ndarray, pair: np.ndarray) -> GpuKernel:
        """From the cluster's tables (shapes (N, 2), (N, 2, 2), (N, N), (2, 2)): the diagonal built on the device."""
        coef, wells, couplings, pair = check_tables(wells, hoff, couplings, pair)
        n = coef.shape[0]
        import cupy

        dim = 2**n
        diag = cupy.empty(dim)
        threads = 256
        _module().get_function("config_diag")(((dim + threads - 1) // threads,), (threads,),
                                              (diag, cupy.asarray(wells), cupy.asarray(couplings),
                                               cupy.asarray(pair), np.int32(n), np.int64(dim)))
        return cls(diag, coef, 0.0, n)

    def norm_bound(self) -> float:
        """max |D| + sum |t| + |flip| in K (two device reductions, no temporary vector)."""
        top = max(abs(float(self.diag.max())), abs(float(self.diag.min())))
        return top + float(np.sum(np.abs(self.xp.asnumpy(self.coef)))) + abs(self.flip)

    def random_vector(self, seed: int):
        """The seeded standard-normal start vector, drawn on the device."""
        return self.xp.random.RandomState(seed).standard_normal(self.dim, dtype=np.float64)

    def step(self, x, y, a: float = 1.0, b: float = 0.0, dot: bool = False):
        """y <- a (H x) + b y on the device; returns <x, y> when ``dot`` (reduced in the kernel)."""
        t = self._threads
        self._module.get_function("xor_step")(
            (self.dim // t,), (t,),
            (x, y, self.diag, self.coef, np.int32(self.n), np.int32(self._low), np.float64(self.flip),
             np.float64(a), np.float64(b), np.int64(self.dim), self._dots, np.int32(1 if dot else 0)),
            shared_mem=8 * t)
        return float(self._dots.sum()) if dot else None

    def apply(self, x):
        """H x (a host array in, a host array out)."""
        y = self.xp.empty(self.dim)
        self.step(self.xp.asarray(x, dtype=np.float64), y)
        return self.xp.asnumpy(y)

    def axpy_norm(self, y, x, c: float) -> float:
        """y <- y - c x; returns ||y||^2 (one fused pass, reduced on the device)."""
        self._module.get_function("axpy_norm")((VECTOR_BLOCKS,), (256,),
                                               (y, x, np.float64(c), np.int64(self.dim), self._parts))
        return float(self._parts.sum())

    def accumulate(self, out, r, coefs) -> None:
        """out[i] += coefs[i] r (one pass over r)."""
        c = self.xp.asarray(np.ascontiguousarray(coefs, dtype=np.float64))
        self._module.get_function("accumulate")((VECTOR_BLOCKS,), (256,),
                                                (out, r, c, np.int32(out.shape[0]), np.int64(self.dim)))


@functools.cache
def _module():
    """The compiled CUDA module (once per process)."""
    import cupy

    return cupy.RawModule(code=_SOURCE)
