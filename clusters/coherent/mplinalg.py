"""Extended-precision (mpmath) linear algebra of the 2x2 / 3x3 effective problems (docs/coherent_tunneling.md sec. 2).

Every operation here keeps the RELATIVE precision of exponentially small off-diagonal elements:
no eigen-rotation of the metric S (its inverse square root comes from the LU-based Denman-Beavers
iteration), and float64 input is converted exactly.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

__all__ = ["to_mp", "mp_trace", "inv_sqrt", "eigh_mp", "log10_abs", "hermitian_part"]


def to_mp(a: np.ndarray) -> mpmath.matrix:
    """An exact mpmath copy of a small float64 / complex128 matrix (real entries as mpf)."""
    n = a.shape[0]
    out = mpmath.matrix(n, n)
    for i in range(n):
        for j in range(n):
            z = complex(a[i, j])
            out[i, j] = mpmath.mpf(z.real) if z.imag == 0 else mpmath.mpc(z.real, z.imag)
    return out


def mp_trace(a: mpmath.matrix) -> mpmath.mpf:
    """Real part of the trace."""
    return mpmath.re(sum(a[i, i] for i in range(a.rows)))


def hermitian_part(a: mpmath.matrix) -> mpmath.matrix:
    """(A + A^dagger) / 2."""
    return (a + a.H) / 2


def inv_sqrt(s: mpmath.matrix) -> mpmath.matrix:
    """S^{-1/2} of a Hermitian positive matrix by the Denman-Beavers iteration (LU inverses), Hermitised."""
    n = s.rows
    y = s.copy()
    z = mpmath.eye(n)
    for _ in range(200):
        yi, zi = mpmath.inverse(y), mpmath.inverse(z)
        y_new = (y + zi) / 2
        z_new = (z + yi) / 2
        change = max(abs(z_new[i, j] - z[i, j]) / (abs(z_new[i, j]) + mpmath.mpf(10) ** (-10 * mpmath.mp.dps))
                     for i in range(n) for j in range(n))
        y, z = y_new, z_new
        if change < mpmath.mpf(10) ** (-mpmath.mp.dps + 5):
            break
    return hermitian_part(z)


def eigh_mp(a: mpmath.matrix) -> tuple[list, mpmath.matrix]:
    """Eigenvalues (ascending, real) and eigenvector columns of a small Hermitian mpmath matrix."""
    e, q = mpmath.eighe(a) if any(isinstance(a[i, j], mpmath.mpc) for i in range(a.rows)
                                  for j in range(a.cols)) else mpmath.eigsy(a)
    order = sorted(range(a.rows), key=lambda k: e[k])
    vals = [mpmath.re(e[k]) for k in order]
    vecs = mpmath.matrix(a.rows, a.rows)
    for c, k in enumerate(order):
        for i in range(a.rows):
            vecs[i, c] = q[i, k]
    return vals, vecs


def log10_abs(x) -> float:
    """log10 |x| as a float, finite far below 1e-308 (-inf for 0)."""
    x = abs(x)
    return float(mpmath.log10(x)) if x != 0 else -math.inf
