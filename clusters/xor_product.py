"""The fused 2LS product y = a (H x) + b y in XOR form (docs/clusters.md sec. 3), called by
:class:`clusters.kernels.ProductKernel`.

h_i = t_i sigma^x_i, so (H x)[s] = D[s] x[s] + sum_j t_j x[s XOR 2^j] (bit j belongs to particle N-1-j). The state
is walked in blocks of 2^BLOCK_BITS amplitudes accumulated in an L1-resident buffer: the diagonal (read from D, or
built for the block from :class:`clusters.diagonal.RowTables`), the update b y and bits 0-2 in one loop (partners
from shifted views of the block, one selected per amplitude), bits 3..BLOCK_BITS-1 two at a time (quarter blocks
with two partners), bits above the block as contiguous streams of a partner block (four bits per pass over the
buffer). The block loops are bound by the L1 loads and stores, so fusing bits into one pass over the buffer saves
about a tenth of the product. A parity sector adds f x[s XOR (2^n - 1)] (the flip of every particle; a reversed
stream of the partner block), and y is written once per block with its part of <x, y>.

Two-pass form (:func:`_xor_high`, opt-in): the vector is X[h, l]; pass 1 is the kernel above with the low bits
only, pass 2 gathers tiles of a few cache lines of l for every h and applies the high bits inside the tile, so
each amplitude is read about twice per product instead of once per high bit. On the 2-core test machine the
product is bound by its in-cache block loops (~0.1 ns per amplitude and term on one thread), not by memory, so the
one-pass form stays the default.

Inputs are checked by :class:`clusters.kernels.ProductKernel` before any loop here runs.
"""

from __future__ import annotations

import numba
import numpy as np

from .diagonal import row_energies

__all__ = ["BLOCK_BITS"]

#: 2LS kernel: blocks of 2^BLOCK_BITS amplitudes (16 KiB of float64: fits the L1 cache with its partner).
BLOCK_BITS = 11


@numba.njit(cache=True, fastmath=True)
def _group_first(acc, d, xb, yb, a, b, c0, c1, c2, g):  # pragma: no cover - compiled
    """:func:`_block_first` on the group of 8 at g, one amplitude at a time (the two edge groups of a block)."""
    for r in range(8):
        t = g + r
        v = a * d[t] * xb[t] + c0 * xb[g + (r ^ 1)] + c1 * xb[g + (r ^ 2)] + c2 * xb[g + (r ^ 4)]
        acc[t] = v + b * yb[t] if b != 0.0 else v


@numba.njit(cache=True, fastmath=True)
def _block_first(acc, d, xb, yb, a, b, c0, c1, c2):  # pragma: no cover - compiled
    """acc <- a D x (+ b y) + c0 x[s XOR 1] + c1 x[s XOR 2] + c2 x[s XOR 4] on one block (y is not read when
    b = 0: it may hold anything).

    The partner of bit j is x[s + 2^j] or x[s - 2^j] by that bit of s: both are read as shifted contiguous views
    and one is selected, which LLVM vectorises (the swaps inside a group of 8 written as s XOR 2^j stay scalar:
    with the start, 0.80-0.87 against 0.48-0.55 ns per amplitude in L1, one thread). Both views must be loaded
    before the selection: a load inside the conditional is not vectorised. The first and last groups, whose
    shifted views would leave the block, go one amplitude at a time.
    """
    n = acc.shape[0]
    _group_first(acc, d, xb, yb, a, b, c0, c1, c2, 0)
    if n <= 16:
        if n == 16:
            _group_first(acc, d, xb, yb, a, b, c0, c1, c2, 8)
        return
    _group_first(acc, d, xb, yb, a, b, c0, c1, c2, n - 8)
    m = n - 16
    out, dd, xx, yy = acc[8:8 + m], d[8:8 + m], xb[8:8 + m], yb[8:8 + m]
    p1, q1, p2, q2, p4, q4 = xb[9:9 + m], xb[7:7 + m], xb[10:10 + m], xb[6:6 + m], xb[12:12 + m], xb[4:4 + m]
    if b != 0.0:
        for u in range(m):  # u = s - 8: the same three low bits as s
            u1, l1, u2, l2, u4, l4 = p1[u], q1[u], p2[u], q2[u], p4[u], q4[u]  # both loaded, then one selected
            v1 = l1 if (u & 1) != 0 else u1
            v2 = l2 if (u & 2) != 0 else u2
            v4 = l4 if (u & 4) != 0 else u4
            out[u] = a * dd[u] * xx[u] + b * yy[u] + c0 * v1 + c1 * v2 + c2 * v4
    else:
        for u in range(m):
            u1, l1, u2, l2, u4, l4 = p1[u], q1[u], p2[u], q2[u], p4[u], q4[u]
            v1 = l1 if (u & 1) != 0 else u1
            v2 = l2 if (u & 2) != 0 else u2
            v4 = l4 if (u & 4) != 0 else u4
            out[u] = a * dd[u] * xx[u] + c0 * v1 + c1 * v2 + c2 * v4


@numba.njit(cache=True, fastmath=True)
def _block_low(acc, xb, coef, a, bb):  # pragma: no cover - compiled
    """acc += a sum_{3 <= j < bb} coef[j] x[s XOR 2^j] inside one block of 2^bb (bits 0-2: :func:`_block_first`):
    two bits at a time (:func:`_block_pair`), a last odd bit as a half-block swap."""
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
def _xor_step(x, y, diag, rows, coef, flip, a, b, dots):  # pragma: no cover - compiled
    """y <- a (H x) + b y for a 2LS product space (module docstring); dots[blk] = sum_blk x y.

    Blocks of 2^BLOCK_BITS amplitudes (fewer for small n) accumulate in a buffer held in the L1 cache: the
    diagonal, the bits inside the block (:func:`_block_first`, :func:`_block_low`), then each higher bit j as one
    contiguous stream of the partner block at base XOR 2^j (:func:`_block_high`, four per pass), and the flip as
    the mirrored block; y is written once per block. Every inner loop runs with unit stride, so LLVM vectorises
    it. The diagonal is read from ``diag``, or, when ``diag`` is empty, each block's row is built from ``rows``
    (the arrays of a :class:`clusters.diagonal.RowTables` whose rows are the blocks; n >= 3).
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
    low, high, wells, cross, pair = rows
    built = diag.shape[0] == 0
    for blk in numba.prange(dim >> bb):
        base = blk * size
        acc = np.empty(size)
        xb = x[base:base + size]
        yb = y[base:base + size]
        if built:
            db = np.empty(size)
            row_energies(db, blk, low, high, wells, cross, pair, np.empty(2 * wells.shape[0]))
        else:
            db = diag[base:base + size]
        _block_first(acc, db, xb, yb, a, b, a * coef[0], a * coef[1], a * coef[2])
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
