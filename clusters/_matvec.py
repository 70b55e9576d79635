"""The numba kernel of the matrix-free product y = H x (docs/clusters.md sec. 3).

H = diag(D) + sum_i h_i in the product basis of :mod:`clusters.bases` (particle 0 the most
significant digit); :func:`clusters.hamiltonians.apply_hamiltonian` is the checked entry. The
kernel walks the state in cache-sized chunks of d^m amplitudes (one parallel loop per product), so
the y chunk stays in cache while all N one-particle terms are added; H is never stored.
"""

from __future__ import annotations

import numba

__all__ = ["CHUNK_TARGET", "chunk_particles", "matvec"]

#: Target number of amplitudes per chunk of the matrix-free product (fits the L2 cache).
CHUNK_TARGET = 4096


@numba.njit(parallel=True, cache=True)
def _matvec_chunked(x, y, diag, hoff, d, n, m):  # pragma: no cover - compiled
    """y = diag * x + sum_i h_i x, in chunks of d^m consecutive amplitudes (one parallel loop).

    Within a chunk the first n - m particles ("high" digits) are fixed, so their neighbours form
    another contiguous chunk at offset (v - a_i) d^(n-1-i); the last m particles act inside the
    chunk through its block structure.
    """
    dim = x.shape[0]
    chunk = d**m
    nchunks = dim // chunk
    for c in numba.prange(nchunks):
        base = c * chunk
        for t in range(chunk):
            y[base + t] = diag[base + t] * x[base + t]
        for i in range(n - m):
            p = d ** (n - 1 - i)
            digit = (base // p) % d
            for v in range(d):
                if v != digit:
                    cc = hoff[i, digit, v]
                    if cc != 0:
                        off = base + (v - digit) * p
                        for t in range(chunk):
                            y[base + t] += cc * x[off + t]
        for i in range(n - m, n):
            p = d ** (n - 1 - i)
            blocks = chunk // (d * p)
            for a in range(blocks):
                b0 = base + a * d * p
                for u in range(d):
                    for v in range(d):
                        if u != v:
                            cc = hoff[i, u, v]
                            if cc != 0:
                                ou = b0 + u * p
                                ov = b0 + v * p
                                for t in range(p):
                                    y[ou + t] += cc * x[ov + t]


def chunk_particles(n: int, d: int) -> int:
    """Number m of low particles per chunk: the largest with d^m <= CHUNK_TARGET (at least 1, at most N)."""
    m = 0
    while m < n and d ** (m + 1) <= CHUNK_TARGET:
        m += 1
    return max(m, 1)


def matvec(x, y, diag, hoff, d: int, n: int) -> None:
    """Fill y with H x (arrays of one dtype, contiguous; see the module docstring)."""
    _matvec_chunked(x, y, diag, hoff, d, n, chunk_particles(n, d))
