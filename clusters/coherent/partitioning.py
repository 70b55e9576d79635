"""Loewdin partitioning of a cluster Hamiltonian onto its coherent model space (docs/coherent_tunneling.md sec. 2).

For the model space P (the coherent states |a...a>) and Q the rest, an *evaluator* returns at an
energy E

    A(E) = P H P + P H Q (E - Q H Q)^{-1} Q H P,     S(E) = I + X^dagger X,  X = (E - QHQ)^{-1} QHP,

and whether E - QHQ is negative definite (docs/theory.md sec. 3, "Exact counterpart"). Q is cut into
layers by the number n_a of particles in well a; a single hop changes n_a by at most one, so QHQ is
block tridiagonal and (E - QHQ) X = QHP is solved by block elimination from the layer farthest from
|a...a> inwards: the exponentially small elements of X (and of A, S) arise as products of
well-conditioned factors and keep their relative precision in float64. Negative definiteness is
decided by Sylvester's law of inertia (a Cholesky of every eliminated block). The S = N/2 sector of a
uniform 2LS cluster is eliminated the same way in mpmath (:func:`two_level_sector_evaluator`).
"""

from __future__ import annotations

from collections.abc import Callable

import mpmath
import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp

__all__ = ["LayeredElimination", "merged_evaluator", "two_level_sector_evaluator"]


class LayeredElimination:
    """Block-tridiagonal elimination of Q for one layering (float64 or complex128).

    Parameters
    ----------
    h : scipy.sparse.csr_matrix
        The Hamiltonian (K) in a basis where ``model`` indexes the model states.
    layer_of : ndarray of int
        Layer label of each basis state (e.g. the number of particles in well a).
    model : ndarray of int
        Indices of the model states.
    """

    def __init__(self, h: sp.csr_matrix, layer_of: np.ndarray, model: np.ndarray) -> None:
        self.model = model
        in_q = np.ones(h.shape[0], dtype=bool)
        in_q[model] = False
        top = int(layer_of[in_q].max()) if in_q.any() else -1
        layers = [np.flatnonzero(in_q & (layer_of == k)) for k in range(top + 1)]
        self.layers = [lay for lay in layers if lay.size]
        self.diag = [h[lay][:, lay].toarray() for lay in self.layers]
        self.up = [h[self.layers[k]][:, self.layers[k + 1]].toarray() for k in range(len(self.layers) - 1)]
        self.src = [h[lay][:, model].toarray() for lay in self.layers]
        self.hpp = h[model][:, model].toarray()
        self.dtype = np.result_type(h.dtype, float)
        self._check_tridiagonal(h)

    def _check_tridiagonal(self, h: sp.csr_matrix) -> None:
        pos = np.full(h.shape[0], -1)
        for k, lay in enumerate(self.layers):
            pos[lay] = k
        coo = h.tocoo()
        both = (pos[coo.row] >= 0) & (pos[coo.col] >= 0)
        if np.any(np.abs(pos[coo.row][both] - pos[coo.col][both]) > 1):
            raise RuntimeError("internal error: the layering of Q is not block tridiagonal")

    def _eliminate(self, energy: float) -> tuple[list, list, bool]:
        """Inverses of the eliminated blocks, the eliminated sources, and negative definiteness."""
        nl = len(self.layers)
        negdef = True
        inv: list = [None] * nl
        y: list = [None] * nl
        for k in range(nl - 1, -1, -1):
            d = energy * np.eye(self.diag[k].shape[0]) - self.diag[k]
            yk = self.src[k].astype(self.dtype)
            if k < nl - 1:
                up = self.up[k]
                d = d - up @ (inv[k + 1] @ up.conj().T)
                yk = yk + up @ (inv[k + 1] @ y[k + 1])
            if negdef:
                # Sylvester: E - QHQ is negative definite iff every eliminated block is
                try:
                    sla.cho_factor(-d, lower=True, check_finite=False)
                except np.linalg.LinAlgError:
                    negdef = False
            # explicit inverses (small, well-conditioned blocks); LAPACK triangular solves are
            # far slower than gemm under threaded OpenBLAS on busy machines
            inv[k] = np.linalg.inv(d)
            y[k] = yk
        return inv, y, negdef

    def solve(self, energy: float) -> tuple[np.ndarray, np.ndarray, bool]:
        """A(E), S(E) = I + X^H X and whether E - QHQ is negative definite."""
        n = self.model.size
        nl = len(self.layers)
        if nl == 0:
            return self.hpp.astype(self.dtype), np.eye(n, dtype=self.dtype), True
        inv, y, negdef = self._eliminate(energy)
        x: list = [None] * nl
        for k in range(nl):
            rhs = y[k] if k == 0 else y[k] + self.up[k - 1].conj().T @ x[k - 1]
            x[k] = inv[k] @ rhs
        sigma = sum(self.src[k].conj().T @ x[k] for k in range(nl))
        metric = np.eye(n, dtype=self.dtype) + sum(x[k].conj().T @ x[k] for k in range(nl))
        return self.hpp + sigma, metric, negdef


def merged_evaluator(h: sp.csr_matrix, occupations: np.ndarray, model: np.ndarray
                     ) -> Callable[[float], tuple[np.ndarray, np.ndarray, bool]]:
    """Evaluator of A(E), S(E) for n model states, each pair (a, b), a < b, from the layering by n_a.

    Parameters
    ----------
    h : scipy.sparse.csr_matrix
        The Hamiltonian in K.
    occupations : ndarray of int, shape (dimension, d)
        Number of particles in each well, per basis state (:mod:`clusters.bases`).
    model : ndarray of int
        Indices of |0...0>, |1...1>, ...
    """
    n = model.size
    layerings = [LayeredElimination(h, occupations[:, a], model) for a in range(n - 1)]

    def evaluate(energy: float):
        res = [lay.solve(energy) for lay in layerings]
        a_mat = res[0][0].copy()
        s_mat = res[0][1].copy()
        for a in range(1, n - 1):
            for b in range(a + 1, n):
                a_mat[a, b] = res[a][0][a, b]
                a_mat[b, a] = np.conj(res[a][0][a, b])
                s_mat[a, b] = res[a][1][a, b]
                s_mat[b, a] = np.conj(res[a][1][a, b])
        # Hermitise the pair elements with the accurate one (row a of layering a)
        for b in range(1, n):
            a_mat[b, 0] = np.conj(a_mat[0, b])
            s_mat[b, 0] = np.conj(s_mat[0, b])
        return a_mat, s_mat, all(r[2] for r in res)

    return evaluate


def two_level_sector_evaluator(diagonal: list, off_diagonal: list):
    """Evaluator of A(E), S(E) in the S = N/2 sector of a uniform 2LS cluster, in mpmath.

    The sector is tridiagonal in m (:meth:`clusters.TwoLevelCluster.sector_tridiagonal` with
    ``number="mpmath"``); Q = {m = 1..N-1} is eliminated from m = N-1 downwards.

    Parameters
    ----------
    diagonal, off_diagonal : list of mpmath.mpf
        <m|H|m> (N + 1 entries) and <m+1|H|m> (N entries), K.

    Returns
    -------
    evaluate : callable
        energy (mpf) -> (A, S, negative definite) with 2x2 mpmath matrices.
    start : mpf
        min(<L..L|H|L..L>, <R..R|H|R..R>), a start for the centre E0.
    """
    dm, hm = list(diagonal), list(off_diagonal)
    n = len(dm) - 1

    def evaluate(energy):
        if n == 1:
            return mpmath.matrix([[dm[0], hm[0]], [hm[0], dm[1]]]), mpmath.eye(2), True
        dd, yr = {}, {}
        negdef = True
        for m in range(n - 1, 0, -1):
            val = energy - dm[m]
            y = hm[n - 1] if m == n - 1 else mpmath.mpf(0)
            if m < n - 1:
                val -= hm[m] ** 2 / dd[m + 1]
                y = hm[m] * yr[m + 1] / dd[m + 1]
            dd[m] = val
            yr[m] = y
            negdef = negdef and val < 0
        xl, xr = {}, {}
        for m in range(1, n):
            if m == 1:
                xl[m] = hm[0] / dd[1]
                xr[m] = yr[1] / dd[1]
            else:
                xl[m] = hm[m - 1] * xl[m - 1] / dd[m]
                xr[m] = (yr[m] + hm[m - 1] * xr[m - 1]) / dd[m]
        slr = hm[0] * xr[1]
        a = mpmath.matrix([[dm[0] + hm[0] * xl[1], slr], [slr, dm[n] + hm[n - 1] * xr[n - 1]]])
        s_ll = 1 + sum(xl[m] ** 2 for m in range(1, n))
        s_lr = sum(xl[m] * xr[m] for m in range(1, n))
        s_rr = 1 + sum(xr[m] ** 2 for m in range(1, n))
        return a, mpmath.matrix([[s_ll, s_lr], [s_lr, s_rr]]), negdef

    return evaluate, min(dm[0], dm[n])
