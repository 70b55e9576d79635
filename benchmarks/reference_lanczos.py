"""The practical-limit yardstick: a fused, threaded plain Lanczos for 2LS clusters (issue 23).

What a careful person writes who knows numba: the product ``H v`` and the three-term recurrence fused into
two parallel passes a step (pass 1: ``w = H v - beta v_prev`` and ``alpha = v.w``; pass 2: ``w -= alpha v`` and
``|w|^2``; the division by beta is folded into the next step's product), no re-orthogonalisation; every 10
steps the k lowest distinct Ritz values of the tridiagonal (copies within 1e-8 K merged: the ghosts of
converged levels); stop when they change by less than ``tol`` K. No spurious-value test, no states, no checks.
It shares no code with :mod:`clusters` (its diagonal is built here too). Threads: numba's default (all cores),
set with ``NUMBA_NUM_THREADS`` like the toolkit.
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


@numba.njit(parallel=True, fastmath=True, cache=True)
def _pass_one(v, v_prev, w, diag, coef, inv_scale, beta):
    """w = (H v) / scale - beta v_prev, returning alpha = (v / scale) . w (v holds the unscaled vector)."""
    n = coef.shape[0]
    alpha = 0.0
    for s in numba.prange(v.shape[0]):
        acc = diag[s] * v[s]
        for j in range(n):
            acc += coef[j] * v[s ^ (1 << j)]
        ws = acc * inv_scale - beta * v_prev[s]
        w[s] = ws
        alpha += v[s] * inv_scale * ws
    return alpha


@numba.njit(parallel=True, fastmath=True, cache=True)
def _pass_two(v, v_prev, w, inv_scale, alpha):
    """w -= alpha v / scale; v_prev = v / scale; returns |w|^2."""
    acc = 0.0
    for s in numba.prange(v.shape[0]):
        vs = v[s] * inv_scale
        ws = w[s] - alpha * vs
        w[s] = ws
        v_prev[s] = vs
        acc += ws * ws
    return acc


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


@numba.njit(parallel=True, cache=True)
def _start(n, seed):
    """A random start vector drawn in parallel (numba's per-thread generators, seeded here)."""
    np.random.seed(seed)  # noqa: NPY002 - numba supports only the legacy generator API
    v = np.empty(n)
    for s in numba.prange(n):
        v[s] = np.random.uniform(-1.0, 1.0)  # noqa: NPY002
    return v


def lowest_levels(asym, tun, couplings, k=4, tol=1e-11, max_steps=5000, seed=0):
    """Lowest k Ritz values of the 2LS cluster (K), fused plain Lanczos; returns (levels, steps)."""
    diag = diagonal(np.asarray(asym, dtype=float), np.asarray(couplings, dtype=float))
    coef = 0.5 * np.asarray(tun, dtype=float)[::-1].copy()
    v = _start(diag.size, seed)
    scale = float(np.sqrt(v @ v))
    v_prev, w = np.zeros_like(v), np.empty_like(v)
    alphas, betas, last = [], [], None
    beta = 0.0
    for step in range(1, max_steps + 1):
        alpha = _pass_one(v, v_prev, w, diag, coef, 1.0 / scale, beta)
        beta = float(np.sqrt(_pass_two(v, v_prev, w, 1.0 / scale, alpha)))
        alphas.append(alpha)
        betas.append(beta)
        v, w = w, v  # the new vector, unscaled: the next pass divides by beta
        scale = beta
        if step % 10 == 0 and step > 2 * k:
            theta = sla.eigh_tridiagonal(np.array(alphas), np.array(betas[:-1]), eigvals_only=True,
                                         select="i", select_range=(0, min(3 * k, step) - 1))
            theta = theta[np.concatenate([[True], np.diff(theta) > 1e-8])][:k]
            if last is not None and len(theta) == k == len(last) and np.max(np.abs(theta - last)) < tol:
                return theta, step
            last = theta
    return last, max_steps
