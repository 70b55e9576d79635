"""Fused numba kernels of the cluster product y = a (H x) + b y (docs/clusters.md sec. 3).

H = diag(D) + sum_i h_i (+ one "global" term in a symmetry sector, :mod:`clusters.sectors`) in the
product basis of :mod:`clusters.bases`. Each kernel reads every amplitude of x once per block,
adds the diagonal and all N one-particle terms into the output block while it is in cache, and can
fold one Lanczos update (``b y``) and a dot product into the same pass, so a Lanczos step costs one
sweep over memory (:mod:`clusters.lanczos`). The output buffer is the caller's (no allocation).

* 2LS (:func:`_xor_step`, real float64): h_i = t_i sigma^x_i, so (H x)[s] = D[s] x[s] +
  sum_j t_j x[s XOR 2^j] (bit j belongs to particle N-1-j). The state is walked in blocks of
  2^BLOCK_BITS amplitudes accumulated in an L1-resident buffer; bits above the block are contiguous
  streams of a partner block (four bits per pass over the buffer), bits 3..BLOCK_BITS-1 two at a time
  (quarter blocks with two partners), bits 0-2 groups of 8. The block loops are bound by the L1 loads
  and stores, so fusing bits into one pass over the buffer saves about a tenth of the product. A parity
  sector adds f x[s XOR (2^n - 1)] (the flip of every particle; a reversed stream of the partner block).
  Two-pass form (opt-in, ``ProductKernel(..., cache=...)``, :func:`tile_plan`): the vector is X[h, l];
  pass 1 is the kernel above with the low bits only, pass 2 (:func:`_xor_high`) gathers tiles of a few
  cache lines of l for every h and applies the high bits inside the tile, so each amplitude is read
  about twice per product instead of once per high bit. On the 2-core test machine the product is bound by
  its in-cache block loops (~0.1 ns per amplitude and term on one thread; bits 0-2 ~0.6 ns per amplitude, as
  LLVM leaves their in-register swaps scalar), not by memory, so the one-pass form stays the default.
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

__all__ = ["BLOCK_BITS", "CHUNK_TARGET", "ProductKernel", "chunk_digits", "shift_table", "axpy_norm",
           "accumulate", "cache_bytes", "tile_plan"]

#: 2LS kernel: blocks of 2^BLOCK_BITS amplitudes (16 KiB of float64: fits the L1 cache with its partner).
BLOCK_BITS = 11
#: 3LS kernel: chunks of at most this many amplitudes (d^m).
CHUNK_TARGET = 4096
#: 2LS kernel: L2 cache size assumed when the machine does not say (bytes); sets the two-pass tiling.
DEFAULT_CACHE_BYTES = 2**18
#: Blocks of the vector kernels (axpy, norms): fixed, so every reduction is summed in the same order.
VECTOR_BLOCK = 4096


@numba.njit(cache=True, fastmath=True)
def _block_start(acc, d, xb, yb, a, b):  # pragma: no cover - compiled
    """acc <- a D x (+ b y) on one block (y is not read when b = 0: it may hold anything)."""
    if b != 0.0:
        for t in range(acc.shape[0]):
            acc[t] = a * d[t] * xb[t] + b * yb[t]
    else:
        for t in range(acc.shape[0]):
            acc[t] = a * d[t] * xb[t]


@numba.njit(cache=True, fastmath=True)
def _block_low(acc, xb, coef, a, bb):  # pragma: no cover - compiled
    """acc += a sum_{j < bb} coef[j] x[s XOR 2^j] inside one block of 2^bb: bits 0-2 in groups of 8, the others
    two at a time (:func:`_block_pair`), a last odd bit as a half-block swap."""
    c0, c1, c2 = a * coef[0], a * coef[1], a * coef[2]
    for g in range(0, acc.shape[0], 8):
        for r in range(8):
            acc[g + r] += c0 * xb[g + (r ^ 1)] + c1 * xb[g + (r ^ 2)] + c2 * xb[g + (r ^ 4)]
    j = 3
    while j + 1 < bb:
        _block_pair(acc, xb, a * coef[j], a * coef[j + 1], 1 << j)
        j += 2
    if j < bb:
        h = 1 << j
        cj = a * coef[j]
        for q in range(0, acc.shape[0], 2 * h):
            lo, hi, xlo, xhi = acc[q:q + h], acc[q + h:q + 2 * h], xb[q:q + h], xb[q + h:q + 2 * h]
            for t in range(h):
                lo[t] += cj * xhi[t]
            for t in range(h):
                hi[t] += cj * xlo[t]


@numba.njit(cache=True, fastmath=True)
def _block_pair(acc, xb, cj, ck, h):  # pragma: no cover - compiled
    """acc += cj x[s XOR h] + ck x[s XOR 2h] inside a block: quarters of 4h, each with two contiguous partners
    (one pass over acc for two bits: the block kernels are bound by the L1 loads and stores)."""
    for q in range(0, acc.shape[0], 4 * h):
        for u in range(4):
            o, pj, pk = q + u * h, q + (u ^ 1) * h, q + (u ^ 2) * h
            out, xj, xk = acc[o:o + h], xb[pj:pj + h], xb[pk:pk + h]
            for t in range(h):
                out[t] += cj * xj[t] + ck * xk[t]


@numba.njit(cache=True, fastmath=True)
def _block_stream(acc, xs, c, reverse):  # pragma: no cover - compiled
    """acc += c xs (a partner block, contiguous), or c xs read backwards (the flip of every particle)."""
    if reverse:
        m = xs.shape[0] - 1
        for t in range(acc.shape[0]):
            acc[t] += c * xs[m - t]
    else:
        for t in range(acc.shape[0]):
            acc[t] += c * xs[t]


@numba.njit(cache=True, fastmath=True)
def _block_high(acc, x, base, coef, a, j0):  # pragma: no cover - compiled
    """acc += a sum_{j >= j0} coef[j] x[s XOR 2^j] for the block at ``base``: each bit one contiguous partner
    block, four partners per pass over acc (then two, then one)."""
    size, nbits, j = acc.shape[0], coef.shape[0], j0
    while j + 3 < nbits:
        p0, p1, p2, p3 = base ^ (1 << j), base ^ (1 << (j + 1)), base ^ (1 << (j + 2)), base ^ (1 << (j + 3))
        x0, x1, x2, x3 = x[p0:p0 + size], x[p1:p1 + size], x[p2:p2 + size], x[p3:p3 + size]
        c0, c1, c2, c3 = a * coef[j], a * coef[j + 1], a * coef[j + 2], a * coef[j + 3]
        for t in range(size):
            acc[t] += c0 * x0[t] + c1 * x1[t] + c2 * x2[t] + c3 * x3[t]
        j += 4
    if j + 1 < nbits:
        p0, p1 = base ^ (1 << j), base ^ (1 << (j + 1))
        x0, x1, c0, c1 = x[p0:p0 + size], x[p1:p1 + size], a * coef[j], a * coef[j + 1]
        for t in range(size):
            acc[t] += c0 * x0[t] + c1 * x1[t]
        j += 2
    if j < nbits:
        p0 = base ^ (1 << j)
        _block_stream(acc, x[p0:p0 + size], a * coef[j], False)


@numba.njit(cache=True, fastmath=True)
def _block_store(acc, xb, yb):  # pragma: no cover - compiled
    """y <- acc on one block; returns sum x acc (the block's part of <x, y>)."""
    s = 0.0
    for t in range(acc.shape[0]):
        yb[t] = acc[t]
        s += xb[t] * acc[t]
    return s


@numba.njit(parallel=True, cache=True, fastmath=True)
def _xor_step(x, y, diag, coef, flip, a, b, dots):  # pragma: no cover - compiled
    """y <- a (H x) + b y for a 2LS product space (module docstring); dots[blk] = sum_blk x y.

    Blocks of 2^BLOCK_BITS amplitudes (fewer for small n) accumulate in a buffer held in the L1 cache: the
    diagonal, the bits inside the block (:func:`_block_low`), then each higher bit j as one contiguous stream of
    the partner block at base XOR 2^j (:func:`_block_high`, four per pass), and the flip as the mirrored block;
    y is written once per block. Every inner loop runs with unit stride, so LLVM vectorises it.
    """
    dim = x.shape[0]
    nbits = coef.shape[0]
    if nbits < 3:
        for s in range(dim):
            acc = diag[s] * x[s] + flip * x[dim - 1 - s]
            for j in range(nbits):
                acc += coef[j] * x[s ^ (1 << j)]
            acc *= a
            if b != 0.0:
                acc += b * y[s]
            if dots.shape[0] > 0:
                dots[s] = x[s] * acc
            y[s] = acc
        return
    bb = min(nbits, BLOCK_BITS)
    size = 1 << bb
    cf = a * flip
    for blk in numba.prange(dim >> bb):
        base = blk * size
        acc = np.empty(size)
        xb = x[base:base + size]
        yb = y[base:base + size]
        _block_start(acc, diag[base:base + size], xb, yb, a, b)
        _block_low(acc, xb, coef, a, bb)
        _block_high(acc, x, base, coef, a, bb)
        if cf != 0.0:
            p = dim - size - base
            _block_stream(acc, x[p:p + size], cf, True)
        s = _block_store(acc, xb, yb)
        if dots.shape[0] > 0:
            dots[blk] = s


@numba.njit(parallel=True, cache=True, fastmath=True)
def _xor_high(x, y, coef, a, low_bits, width, scratch, dots):  # pragma: no cover - compiled
    """Pass 2 of the tiled 2LS product: y[h, l] += a sum_j coef[j] x[h XOR 2^j, l]; dots[tile] = sum_tile x y.

    The vector is X[h, l] (l: the low ``low_bits`` bits). A tile is ``width`` consecutive l for every h,
    gathered once into a row of ``scratch`` (contiguous, so the power-of-two stride between rows cannot
    alias in the cache); the high bits then act inside the tile. One chunk of tiles per row of scratch.
    """
    dim = x.shape[0]
    nh = coef.shape[0]
    cols = 1 << low_bits
    rows = dim >> low_bits
    ntiles = cols // width
    nchunks = min(scratch.shape[0], ntiles)
    for c in numba.prange(nchunks):
        buf = scratch[c]
        acc = np.empty(width)
        for t in range(c * ntiles // nchunks, (c + 1) * ntiles // nchunks):
            l0 = t * width
            for h in range(rows):
                src = np.uint64(h * cols + l0)
                dst = np.uint64(h * width)
                for r in range(width):
                    buf[dst + np.uint64(r)] = x[src + np.uint64(r)]
            s = 0.0
            for h in range(rows):
                for r in range(width):
                    acc[r] = 0.0
                for j in range(nh):
                    p = np.uint64((h ^ (1 << j)) * width)
                    cj = a * coef[j]
                    for r in range(width):
                        acc[r] += cj * buf[p + np.uint64(r)]
                dst = np.uint64(h * cols + l0)
                own = np.uint64(h * width)
                for r in range(width):
                    v = y[dst + np.uint64(r)] + acc[r]
                    y[dst + np.uint64(r)] = v
                    s += buf[own + np.uint64(r)] * v
            dots[t] = s


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


@numba.njit(cache=True, fastmath=True)
def _axpy_norm(y, x, c, parts):  # pragma: no cover - compiled
    """y <- y - c x; parts[blk] = sum_blk |y|^2 (blocks of VECTOR_BLOCK; one thread: memory-bound, and a
    parallel region stalls when the other core is busy)."""
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
    diag : ndarray, shape (d**n,)
        Configuration energies in K.
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
    """

    def __init__(self, diag: np.ndarray, hoff: np.ndarray, glob: np.ndarray | None = None,
                 cache: int | None = None) -> None:
        if not (isinstance(hoff, np.ndarray) and hoff.ndim == 3 and hoff.shape[1] == hoff.shape[2]):
            raise TypeError("hoff must be a numpy array of shape (n, d, d) (one-particle hoppings)")
        self.n, self.d = int(hoff.shape[0]), int(hoff.shape[1])
        check_int(self.d, "d (wells per particle)", minimum=2, maximum=3)
        self.dim = self.d**self.n
        if not (isinstance(diag, np.ndarray) and diag.ndim == 1 and diag.shape[0] == self.dim):
            raise ValueError(f"diag must be a 1-D array of length d^n = {self.d}^{self.n} = {self.dim} to match "
                             f"hoff, got {getattr(diag, 'shape', type(diag).__name__)}")
        glob = np.zeros(self.d) if glob is None else np.asarray(glob)
        if glob.shape != (self.d,):
            raise ValueError(f"glob must have shape ({self.d},), got {glob.shape}")
        complex_values = bool(np.iscomplexobj(hoff) or np.iscomplexobj(glob))
        self.dtype = np.dtype(np.complex128 if complex_values else np.float64)
        self.diag = np.ascontiguousarray(diag, dtype=np.float64)
        if not np.isrealobj(diag):
            raise TypeError("diag must be real (configuration energies in K)")
        self._xor = self.d == 2 and not complex_values and np.array_equal(hoff[:, 0, 1], hoff[:, 1, 0]) \
            and not np.any(hoff[:, 0, 0]) and not np.any(hoff[:, 1, 1])
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
            _xor_step(x, y, self.diag, self.coef[: self.low_bits], self.flip, float(a), float(b), dots[:0])
            _xor_high(x, y, self.coef[self.low_bits:], float(a), self.low_bits, self.tile,
                      self._tile_scratch(), dots if dot else np.zeros(self.blocks))
        elif self._xor:
            _xor_step(x, y, self.diag, self.coef, self.flip, float(a), float(b), dots)
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
