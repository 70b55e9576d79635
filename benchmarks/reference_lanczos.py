"""The practical-limit yardstick: a plain numba Lanczos for 2LS clusters in ~60 lines (issue 15).

A per-amplitude XOR product kernel, numpy vector operations, three-term recurrence without
re-orthogonalisation; every 10 steps the k lowest distinct Ritz values of the tridiagonal (copies
within 1e-8 K merged: the ghosts of converged levels); stop when they change by less than ``tol`` K.
No spurious-value test, no states, no checks: what a careful person writes in an afternoon. It
shares no code with :mod:`clusters` (its diagonal is built here too).
"""

from __future__ import annotations

import numba
import numpy as np
import scipy.linalg as sla


@numba.njit(parallel=True, fastmath=True, cache=True)
def xor_product(x, y, diag, coef):
    """y[s] = diag[s] x[s] + sum_j coef[j] x[s XOR 2^j] (per amplitude, parallel over states)."""
    n = coef.shape[0]
    for s in numba.prange(x.shape[0]):
        acc = diag[s] * x[s]
        for j in range(n):
            acc += coef[j] * x[s ^ (1 << j)]
        y[s] = acc


@numba.njit(parallel=True, cache=True)
def diagonal(asym, couplings):
    """sum_i Delta_i/2 sz_i + sum_{i<j} J_ij sz_i sz_j over the 2^N states (bit N-1-i is particle i)."""
    n = asym.shape[0]
    diag = np.empty(2**n)
    for s in numba.prange(2**n):
        sz = np.empty(n)
        for i in range(n):
            sz[i] = 1.0 - 2.0 * ((s >> (n - 1 - i)) & 1)
        acc = 0.0
        for i in range(n):
            field = 0.5 * asym[i]
            for j in range(i + 1, n):
                field += couplings[i, j] * sz[j]
            acc += field * sz[i]
        diag[s] = acc
    return diag


def lowest_levels(asym, tun, couplings, k=4, tol=1e-11, max_steps=5000, seed=0):
    """Lowest k Ritz values of the 2LS cluster (K), plain Lanczos; returns (levels, steps)."""
    diag = diagonal(np.asarray(asym, dtype=float), np.asarray(couplings, dtype=float))
    coef = 0.5 * np.asarray(tun, dtype=float)[::-1].copy()
    v = np.random.default_rng(seed).standard_normal(diag.size)
    v /= np.linalg.norm(v)
    v_prev, w = np.zeros_like(v), np.empty_like(v)
    alphas, betas, last = [], [], None
    for step in range(1, max_steps + 1):
        xor_product(v, w, diag, coef)
        if betas:
            w -= betas[-1] * v_prev
        alphas.append(float(v @ w))
        w -= alphas[-1] * v
        betas.append(float(np.linalg.norm(w)))
        v_prev, v, w = v, w, v_prev
        v /= betas[-1]
        if step % 10 == 0 and step > 2 * k:
            theta = sla.eigh_tridiagonal(np.array(alphas), np.array(betas[:-1]), eigvals_only=True,
                                         select="i", select_range=(0, min(3 * k, step) - 1))
            theta = theta[np.concatenate([[True], np.diff(theta) > 1e-8])][:k]
            if last is not None and len(theta) == k == len(last) and np.max(np.abs(theta - last)) < tol:
                return theta, step
            last = theta
    return last, max_steps
