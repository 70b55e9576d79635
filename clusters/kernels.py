"""Fused numba kernels of the cluster product y = a (H x) + b y (docs/clusters.md sec. 3).

H = diag(D) + sum_i h_i (+ one "global" term in a symmetry sector, :mod:`clusters.sectors`) in the
product basis of :mod:`clusters.bases`. Each kernel reads every amplitude of x once per block,
adds the diagonal and all N one-particle terms into the output block while it is in cache, and can
fold one Lanczos update (``b y``) and a dot product into the same pass, so a Lanczos step costs one
sweep over memory (:mod:`clusters.lanczos`). The output buffer is the caller's (no allocation).

* 2LS (:mod:`clusters.xor_product`, real float64): h_i = t_i sigma^x_i, so (H x)[s] = D[s] x[s] +
  sum_j t_j x[s XOR 2^j] (bit j belongs to particle N-1-j), in blocks of 2^BLOCK_BITS amplitudes; the
  diagonal read from D or built per block from row tables (:class:`clusters.diagonal.RowTables`); a
  parity sector adds the flip of every particle. Two-pass form opt-in (``ProductKernel(..., cache=...)``,
  :func:`tile_plan`).
* 3LS (:func:`_digit_step`, real or complex): base-3 digits, chunks of 3^m <= CHUNK_TARGET
  amplitudes, high digits as streams of partner chunks, low digits inside the chunk; a Z3 sector
  adds sum_g c_g x[shift_g(s)], every digit shifted by g (mod 3).

Sizes and dtypes are checked in :class:`ProductKernel` before any compiled loop runs.
"""

from __future__ import annotations

import os

import numba
import numpy as np

from tunnelsim.validation import check_int

from .bases import shift_wells
from .diagonal import RowTables
from .xor_product import BLOCK_BITS, _xor_high, _xor_step

__all__ = ["BLOCK_BITS", "CHUNK_TARGET", "ProductKernel", "chunk_digits", "shift_table", "axpy_norm",
           "accumulate", "cache_bytes", "row_particles", "tile_plan", "ROWS_MIN_DIM"]

#: 3LS kernel: chunks of at most this many amplitudes (d^m).
CHUNK_TARGET = 4096
#: 2LS kernel: L2 cache size assumed when the machine does not say (bytes); sets the two-pass tiling.
DEFAULT_CACHE_BYTES = 2**18
#: Blocks of the vector kernels (axpy, norms): fixed, so every reduction is summed in the same order.
VECTOR_BLOCK = 4096
#: Full 2LS spaces from this many states on build each block's diagonal from row tables instead of storing it: a
#: third less memory (two vectors of 2^N instead of three), at the same speed (benchmarks, section setup: the
#: product step within 2 % of the stored diagonal's at N = 20-24; building a row costs ~0.2 ns per amplitude on one
#: thread, about what reading it from memory costs). Below, the stored diagonal is kept: small products pay
#: relatively more for the rows, and the CSR and operator backends reuse it.
ROWS_MIN_DIM = 2**24
#: Stand-ins of the 2LS kernel's arguments it does not use: no stored diagonal, no row tables.
_EMPTY = np.zeros(0)
_NO_ROWS = (np.zeros(1), np.zeros(1), np.zeros((0, 2)), np.zeros((0, 0)), np.zeros((2, 2)))


def row_particles(n: int) -> int:
    """Particles of a row of :class:`clusters.diagonal.RowTables` from which the 2LS kernel of n particles builds
    its blocks' diagonal: one row per block of 2^min(n, BLOCK_BITS) amplitudes.

    Examples
    --------
    >>> row_particles(8), row_particles(24)
    (8, 11)
    """
    return min(check_int(n, "n", minimum=1), BLOCK_BITS)


@numba.njit(parallel=True, cache=True, fastmath=True)
def _digit_step(x, y, diag, hoff, glob, shift_lo, a, b, dots, m):  # pragma: no cover - compiled
    """y <- a (H x) + b y in base d (module docstring); dots[chunk] = Re sum conj(x) y."""
    dim = x.shape[0]
    n = hoff.shape[0]
    d = hoff.shape[1]
    chunk = 1
    for _ in range(m):
        chunk *= d
    for c in numba.prange(dim // chunk):
        base = np.uint64(c * chunk)  # unsigned offsets: no wraparound checks, vectorised inner loops
        if b == 0.0:
            for t in range(chunk):
                u = base + np.uint64(t)
                y[u] = a * diag[u] * x[u]
        else:
            for t in range(chunk):
                u = base + np.uint64(t)
                y[u] = b * y[u] + a * diag[u] * x[u]
        p = dim // d
        for i in range(n - m):
            digit = (c * chunk // p) % d
            for v in range(d):
                if v != digit:
                    cc = a * hoff[i, digit, v]
                    if cc != 0:
                        off = np.uint64(c * chunk + (v - digit) * p)
                        for t in range(chunk):
                            y[base + np.uint64(t)] += cc * x[off + np.uint64(t)]
            p //= d
        for i in range(n - m, n - 1 if d == 3 else n):
            for a0 in range(chunk // (d * p)):
                b0 = c * chunk + a0 * d * p
                for w in range(d):
                    for v in range(d):
                        if w != v:
                            cc = a * hoff[i, w, v]
                            if cc != 0:
                                ou = np.uint64(b0 + w * p)
                                ov = np.uint64(b0 + v * p)
                                for t in range(p):
                                    y[ou + np.uint64(t)] += cc * x[ov + np.uint64(t)]
            p //= d
        if d == 3 and m > 0:  # the last particle: each triple of amplitudes in registers
            h = hoff[n - 1]
            h01, h02, h10, h12, h20, h21 = a * h[0, 1], a * h[0, 2], a * h[1, 0], a * h[1, 2], a * h[2, 0], a * h[2, 1]
            for q in range(chunk // 3):
                u = base + np.uint64(3 * q)
                x0, x1, x2 = x[u], x[u + np.uint64(1)], x[u + np.uint64(2)]
                y[u] += h01 * x1 + h02 * x2
                y[u + np.uint64(1)] += h10 * x0 + h12 * x2
                y[u + np.uint64(2)] += h20 * x0 + h21 * x1
        for g in range(1, glob.shape[0]):
            cg = a * glob[g]
            if cg != 0:
                hs = 0
                rest = np.int64(c)
                p = 1
                for _ in range(n - m):
                    hs += ((rest % d + g) % d) * p
                    rest //= d
                    p *= d
                pbase = hs * chunk
                for t in range(chunk):
                    y[base + np.uint64(t)] += cg * x[pbase + shift_lo[g, t]]
        if dots.shape[0] > 0:
            s = 0.0
            for t in range(chunk):
                u = base + np.uint64(t)
                s += x[u].real * y[u].real + x[u].imag * y[u].imag
            dots[c] = s


@numba.njit(parallel=True, cache=True, fastmath=True)
def _axpy_norm(y, x, c, parts):  # pragma: no cover - compiled
    """y <- y - c x; parts[blk] = sum_blk |y|^2 (blocks of VECTOR_BLOCK, so the sum does not depend on the
    threads). Memory-bound; on the threads of the solve (:func:`clusters._threads.choose_threads`: one below 2^18
    amplitudes or with the other core busy), two of which moved 42-45 GB/s at N = 24 against 31-34 for one."""
    dim = y.shape[0]
    for blk in numba.prange((dim + VECTOR_BLOCK - 1) // VECTOR_BLOCK):
        s = 0.0
        lo = np.uint64(blk * VECTOR_BLOCK)
        for t in range(min(dim - blk * VECTOR_BLOCK, VECTOR_BLOCK)):
            i = lo + np.uint64(t)
            v = y[i] - c * x[i]
            y[i] = v
            s += v.real * v.real + v.imag * v.imag
        parts[blk] = s


@numba.njit(cache=True, fastmath=True)
def _accumulate(out, r, coefs):  # pragma: no cover - compiled
    """out[i] += coefs[i] r for every row i of out (Ritz vectors from Lanczos vectors)."""
    dim = r.shape[0]
    k = out.shape[0]
    for blk in numba.prange((dim + VECTOR_BLOCK - 1) // VECTOR_BLOCK):
        lo = np.uint64(blk * VECTOR_BLOCK)
        for i in range(k):
            ci = coefs[i]
            row = out[i]
            for t in range(min(dim - blk * VECTOR_BLOCK, VECTOR_BLOCK)):
                u = lo + np.uint64(t)
                row[u] += ci * r[u]


def cache_bytes() -> int:
    """Bytes of the per-core L2 cache (sysfs of cpu0; DEFAULT_CACHE_BYTES when unknown)."""
    base = "/sys/devices/system/cpu/cpu0/cache"
    try:
        for entry in sorted(os.listdir(base)):
            with open(os.path.join(base, entry, "level")) as f:
                if f.read().strip() != "2":
                    continue
            with open(os.path.join(base, entry, "size")) as f:
                text = f.read().strip().upper()
            scale = {"K": 2**10, "M": 2**20}.get(text[-1:], 1)
            size = int(text.rstrip("KM")) * scale
            return size if 2**14 <= size <= 2**30 else DEFAULT_CACHE_BYTES
    except (OSError, ValueError):
        pass
    return DEFAULT_CACHE_BYTES


def tile_plan(n: int, cache: int) -> tuple[int, int]:
    """(low_bits, width) of the two-pass 2LS product for 2^n amplitudes and a cache of ``cache`` bytes.

    (n, 0): one pass (the vectors fit the cache, or n is too small to split). Otherwise pass 1 acts
    with the low ``low_bits`` bits block by block and pass 2 with the n - low_bits high bits on tiles of
    ``width`` columns times 2^(n - low_bits) rows, a tile taking at most half the cache.

    Examples
    --------
    >>> tile_plan(20, 2**20)  # 1 MiB L2: 2^10 rows x 64 columns x 8 B = half of it
    (10, 64)
    >>> tile_plan(12, 2**20)  # 3 vectors of 32 KiB fit: one pass
    (12, 0)
    """
    n = check_int(n, "n", minimum=0)
    cache = check_int(cache, "cache", minimum=1)
    if 3 * 8 * 2**n <= cache or n < 4:
        return n, 0
    half = cache // 2
    high_max = (half // 64).bit_length() - 1  # rows of one cache line (8 amplitudes) in half the cache
    high = min(max(high_max, 1), n // 2, n - 3)
    low = n - high
    width = 8
    while width < 64 and 2 * width <= 2**low and (2**high) * 2 * width * 8 <= half:
        width *= 2
    return low, width


def chunk_digits(n: int, d: int) -> int:
    """Number m of low particles per chunk of the base-d kernel: the largest with d^m <= CHUNK_TARGET (1 <= m <= N)."""
    m = 0
    while m < n and d ** (m + 1) <= CHUNK_TARGET:
        m += 1
    return max(min(m, n), 0)


def shift_table(m: int, d: int) -> np.ndarray:
    """(d, d^m) int64: entry [g, t] is the index of t with each of its m base-d digits shifted by g (mod d)."""
    t = np.arange(d**m, dtype=np.int64)
    return np.stack([shift_wells(t, m, d, g) for g in range(d)])


def _check_vector(v: object, name: str, dim: int, dtype: np.dtype) -> np.ndarray:
    if not isinstance(v, np.ndarray) or v.ndim != 1 or v.shape[0] != dim:
        raise ValueError(f"{name} must be a 1-D numpy array of {dim} amplitudes, got "
                         f"{getattr(v, 'shape', type(v).__name__)}")
    if v.dtype != dtype or not v.flags.c_contiguous:
        raise TypeError(f"{name} must be a contiguous {dtype} array, got {v.dtype}")
    return v


def _parts_size(dim: int, width: int) -> int:
    return (dim + width - 1) // width


def axpy_norm(y: np.ndarray, x: np.ndarray, c: float) -> float:
    """y <- y - c x in place; returns ||y||^2 (the second pass of a Lanczos step)."""
    if not (isinstance(y, np.ndarray) and isinstance(x, np.ndarray)) or y.shape != x.shape or y.ndim != 1:
        raise ValueError("y and x must be 1-D numpy arrays of one length")
    if y.dtype != x.dtype or not (y.flags.c_contiguous and x.flags.c_contiguous):
        raise TypeError("y and x must be contiguous arrays of one dtype")
    parts = np.zeros(_parts_size(y.shape[0], VECTOR_BLOCK))
    _axpy_norm(y, x, float(c), parts)
    return float(parts.sum())


def accumulate(out: np.ndarray, r: np.ndarray, coefs: np.ndarray) -> None:
    """out[i] += coefs[i] r for each row i (shape (k, dim); coefs real, shape (k,))."""
    if not (isinstance(out, np.ndarray) and out.ndim == 2 and isinstance(r, np.ndarray) and r.ndim == 1
            and out.shape[1] == r.shape[0]):
        raise ValueError("out must have shape (k, len(r))")
    coefs = np.ascontiguousarray(coefs, dtype=float)
    if coefs.shape != (out.shape[0],):
        raise ValueError(f"coefs must have shape ({out.shape[0]},), got {coefs.shape}")
    if out.dtype != r.dtype or not (out.flags.c_contiguous and r.flags.c_contiguous):
        raise TypeError("out and r must be contiguous arrays of one dtype")
    _accumulate(out, r, coefs)


class ProductKernel:
    """H of eq. (3.1) (or of one symmetry sector) as a fused product kernel (module docstring).

    Parameters
    ----------
    diag : ndarray, shape (d**n,), or clusters.diagonal.RowTables
        Configuration energies in K, or their row tables (:func:`clusters.hamiltonians.configuration_rows`): with
        rows of :func:`row_particles` particles the one-pass 2LS kernel builds each block's diagonal from them
        and stores none; every other kernel builds D from them once.
    hoff : ndarray, shape (n, d, d)
        One-particle hoppings h_i in K (zero diagonal); for d = 2 real symmetric (t_i sigma^x).
    glob : ndarray, shape (d,), optional
        Coefficients in K of the global term: d = 2: glob[1] x[s XOR (2^n - 1)] (flip of every
        particle); d = 3: sum_g glob[g] x[every digit + g]. Zero or None: none.
    cache : int, optional
        Cache bytes for the two-pass tiling of the 2LS product (:func:`tile_plan`, e.g.
        :func:`cache_bytes`, the machine's L2). Default None: one pass (faster where the product is bound by
        its in-cache loops, as measured on the 2-core machine: docs/clusters.md sec. 3). Results agree to
        rounding.

    Attributes
    ----------
    dim, n, d : int
    dtype : numpy.dtype
        float64, or complex128 when hoff or glob is complex.
    diag : ndarray or None
        The stored configuration energies (K); None when the blocks build theirs from ``rows``.
    rows : clusters.diagonal.RowTables or None
        The row tables the blocks build their diagonal from; None when ``diag`` is stored.
    """

    def __init__(self, diag: np.ndarray, hoff: np.ndarray, glob: np.ndarray | None = None,
                 cache: int | None = None) -> None:
        if not (isinstance(hoff, np.ndarray) and hoff.ndim == 3 and hoff.shape[1] == hoff.shape[2]):
            raise TypeError("hoff must be a numpy array of shape (n, d, d) (one-particle hoppings)")
        self.n, self.d = int(hoff.shape[0]), int(hoff.shape[1])
        check_int(self.d, "d (wells per particle)", minimum=2, maximum=3)
        self.dim = self.d**self.n
        rows = diag if isinstance(diag, RowTables) else None
        if rows is not None:
            rows.check(self.n, self.d)
        if rows is None and not (isinstance(diag, np.ndarray) and diag.ndim == 1 and diag.shape[0] == self.dim):
            raise ValueError(f"diag must be a 1-D array of length d^n = {self.d}^{self.n} = {self.dim} to match "
                             f"hoff, or clusters.diagonal.RowTables, got {getattr(diag, 'shape', type(diag).__name__)}")
        if rows is None and not np.isrealobj(diag):
            raise TypeError("diag must be real (configuration energies in K)")
        glob = np.zeros(self.d) if glob is None else np.asarray(glob)
        if glob.shape != (self.d,):
            raise ValueError(f"glob must have shape ({self.d},), got {glob.shape}")
        complex_values = bool(np.iscomplexobj(hoff) or np.iscomplexobj(glob))
        self.dtype = np.dtype(np.complex128 if complex_values else np.float64)
        self._xor = self.d == 2 and not complex_values and np.array_equal(hoff[:, 0, 1], hoff[:, 1, 0]) \
            and not np.any(hoff[:, 0, 0]) and not np.any(hoff[:, 1, 1])
        built = rows is not None and self._xor and cache is None and self.n >= 3 and rows.m == row_particles(self.n)
        #: The row tables the 2LS kernel builds each block's diagonal from (None: the stored ``diag`` is read).
        self.rows = rows if built else None
        #: The configuration energies D (K) when stored; None when every block builds its own from ``rows``.
        self.diag = None if built else (rows.energies() if rows is not None else
                                        np.ascontiguousarray(diag, dtype=np.float64))
        if self._xor:
            self.coef = np.ascontiguousarray(hoff[::-1, 0, 1], dtype=np.float64)
            self.flip = float(np.real(glob[1]))
            self.low_bits, self.tile = (self.n, 0) if cache is None else tile_plan(self.n, cache)
            self._scratch = np.empty((0, 0))
            if self.tile:
                self._width = self.dim // ((1 << self.low_bits) // self.tile)  # one dot partial per tile
            else:
                self._width = 1 if self.n < 3 else 1 << min(BLOCK_BITS, self.n)
        else:
            self.hoff = np.ascontiguousarray(hoff, dtype=self.dtype)
            self.glob = np.ascontiguousarray(glob, dtype=self.dtype)
            self.m = chunk_digits(self.n, self.d)
            self.shift = shift_table(self.m, self.d) if np.any(glob) else np.zeros((self.d, 1), dtype=np.int64)
            self._width = self.d**self.m

    def __repr__(self) -> str:
        return f"ProductKernel(n={self.n}, d={self.d}, dtype={self.dtype})"

    @property
    def blocks(self) -> int:
        """Number of blocks of one product (length of the dot partials)."""
        return self.dim // self._width

    def step(self, x: np.ndarray, y: np.ndarray, a: float = 1.0, b: float = 0.0, dot: bool = False):
        """y <- a (H x) + b y in place (b = 0: y is overwritten); returns Re <x, y> when ``dot``.

        x and y must be distinct contiguous arrays of ``dtype`` and length ``dim`` (checked).
        """
        _check_vector(x, "x", self.dim, self.dtype)
        _check_vector(y, "y", self.dim, self.dtype)
        if np.shares_memory(x, y):
            raise ValueError("x and y must not overlap (the product is not in place)")
        dots = np.zeros(self.blocks if dot else 0)
        if self._xor and self.tile:
            _xor_step(x, y, self.diag, _NO_ROWS, self.coef[: self.low_bits], self.flip, float(a), float(b), dots[:0])
            _xor_high(x, y, self.coef[self.low_bits:], float(a), self.low_bits, self.tile,
                      self._tile_scratch(), dots if dot else np.zeros(self.blocks))
        elif self._xor:
            diag, rows = (_EMPTY, tuple(self.rows)) if self.diag is None else (self.diag, _NO_ROWS)
            _xor_step(x, y, diag, rows, self.coef, self.flip, float(a), float(b), dots)
        else:
            _digit_step(x, y, self.diag, self.hoff, self.glob, self.shift, float(a), float(b), dots, self.m)
        return float(dots.sum()) if dot else None

    def _tile_scratch(self) -> np.ndarray:
        """One gathered tile per numba thread (pass 2), allocated once (at most half the cache each)."""
        threads = numba.get_num_threads()
        if self._scratch.shape[0] < threads:
            self._scratch = np.empty((threads, (self.dim >> self.low_bits) * self.tile))
        return self._scratch[:threads]

    xp = np  # the array module of the vectors (the GPU kernel of clusters.gpu has cupy)

    def axpy_norm(self, y: np.ndarray, x: np.ndarray, c: float) -> float:
        """y <- y - c x in place; returns ||y||^2 (:func:`axpy_norm`)."""
        return axpy_norm(y, x, c)

    def accumulate(self, out: np.ndarray, r: np.ndarray, coefs: np.ndarray) -> None:
        """out[i] += coefs[i] r (:func:`accumulate`)."""
        accumulate(out, r, coefs)

    def apply(self, x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """H x (a new array, or ``out``), in K times the units of x.

        Runs on the numba threads :func:`clusters._threads.choose_threads` picks for this size (one below
        2^18 amplitudes): a one-off product outside a solver must not open a parallel region that waits for
        a busy core (measured: 7.6 ms instead of 0.15 ms at N = 12 with the other core loaded).
        """
        from ._threads import numba_threads

        y = np.empty(self.dim, dtype=self.dtype) if out is None else out
        with numba_threads(self.dim):
            self.step(np.ascontiguousarray(x, dtype=self.dtype), y)
        return y
