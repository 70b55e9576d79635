"""The configuration energies D of eq. (3.1), built in parallel rows (docs/clusters.md sec. 3).

D(a_0..a_{N-1}) = sum_i E^i_{a_i} + sum_{i<j} J_ij W(a_i, a_j), particle 0 the most significant digit of the
state index. Split the particles into the first N - m ("high", index h) and the last m ("low", index l, m
chosen so that d^m is about LOW_STATES). Then

    D[h, l] = D_high(h) + D_pairs_low(l) + sum_{j low} G_j(h)[a_j(l)],
    G_j(h)[b] = E^j_b + sum_{i high} J_ij W(a_i(h), b),

so each row h is the low particles' pair energies (one table, shared by all rows) plus a separable sum of
effective well energies, built by doubling in a buffer of d^m. Rows run in parallel (numba); D_high is the
same construction one level down. Every amplitude is written once: no 2^N temporaries, no serial numpy pass.
Below LOW_STATES states the particle-by-particle numpy build (:func:`small_energies`) is used.

:func:`clusters.hamiltonians.configuration_energies` checks the inputs and the memory, then calls
:func:`energies`.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from ._threads import numba_threads

__all__ = ["LOW_STATES", "energies", "low_particles", "small_energies"]

#: States of the low block of a row: its pair table and buffer (8 bytes each) stay in the L1/L2 cache.
LOW_STATES = 4096


def small_energies(wells: np.ndarray, couplings: np.ndarray, pair: np.ndarray) -> np.ndarray:
    """D particle by particle in numpy: adding particle k multiplies the length by d and adds
    E^k_a + sum_{j<k} J_jk W(a_j, a) to the states with a_k = a (O(d N d^N), no N x d^N table).

    Examples
    --------
    >>> import numpy as np
    >>> wells = np.array([[0.1, -0.1], [0.2, -0.2]])
    >>> J = np.array([[0.0, -1.0], [-1.0, 0.0]])
    >>> print(small_energies(wells, J, np.array([[1.0, -1.0], [-1.0, 1.0]])).round(12))
    [-0.7  0.9  1.1 -1.3]
    """
    n, d = wells.shape
    diag = np.zeros(1)
    for k in range(n):
        new = np.empty((d**k, d))
        for a in range(d):
            field = np.full(d**k, wells[k, a])
            for j in range(k):
                if couplings[j, k] != 0.0:
                    view = field.reshape(d**j, d, d ** (k - 1 - j))
                    for b in range(d):
                        if pair[b, a] != 0.0:
                            view[:, b, :] += couplings[j, k] * pair[b, a]
            new[:, a] = diag + field
        diag = new.reshape(-1)
    return diag


@numba.njit(cache=True)
def _row(out, base, top, low_pairs, wells, cross, pair, nh, buf, g):  # pragma: no cover - compiled
    """out[base:base + d^m] = top + low_pairs + sum_j G_j[a_j] for the row whose high digits are in ``g``."""
    m, d = wells.shape
    for j in range(m):
        for b in range(d):
            s = wells[j, b]
            for i in range(nh):
                s += cross[i, j] * pair[g[i], b]
            buf[j * d + b] = s
    sep = buf[m * d:]
    sep[0] = 0.0
    length = 1
    for j in range(m):  # doubling, from the back so that it runs in place
        for q in range(length - 1, -1, -1):
            v = sep[q]
            for b in range(d - 1, -1, -1):
                sep[q * d + b] = v + buf[j * d + b]
        length *= d
    for t in range(length):
        out[base + t] = top + low_pairs[t] + sep[t]


@numba.njit(parallel=True, cache=True)
def _rows(out, high, low_pairs, wells, cross, pair):  # pragma: no cover - compiled
    """Every row h of D (module docstring), in parallel."""
    m, d = wells.shape
    nh = cross.shape[0]
    size = low_pairs.shape[0]
    for h in numba.prange(high.shape[0]):
        g = np.empty(max(nh, 1), dtype=np.int64)
        for i in range(nh):
            g[i] = (h // d ** (nh - 1 - i)) % d
        buf = np.empty(m * d + size)
        _row(out, h * size, high[h], low_pairs, wells, cross, pair, nh, buf, g)


def low_particles(d: int) -> int:
    """m: the most particles whose d^m states fit LOW_STATES.

    Examples
    --------
    >>> low_particles(2), low_particles(3)
    (12, 7)
    """
    return int(math.floor(math.log(LOW_STATES, d) + 1e-9))


def energies(wells: np.ndarray, couplings: np.ndarray, pair: np.ndarray) -> np.ndarray:
    """D of eq. (3.1) for checked inputs (wells (N, d), couplings (N, N), pair (d, d)), in K: parallel rows above
    LOW_STATES states (module docstring), the numpy build below.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> wells, J = rng.normal(size=(14, 2)), rng.normal(size=(14, 14))
    >>> J = np.triu(J, 1) + np.triu(J, 1).T
    >>> pair = np.array([[1.0, -1.0], [-1.0, 1.0]])
    >>> bool(np.allclose(energies(wells, J, pair), small_energies(wells, J, pair), atol=1e-12))
    True
    """
    n, d = wells.shape
    m = low_particles(d)
    if n <= m:
        return small_energies(wells, couplings, pair)
    nh = n - m
    high = energies(wells[:nh], couplings[:nh, :nh], pair)
    low_pairs = small_energies(np.zeros((m, d)), couplings[nh:, nh:], pair)
    out = np.empty(d**n)
    with numba_threads(d**n):
        _rows(out, high, low_pairs, np.ascontiguousarray(wells[nh:], dtype=np.float64),
              np.ascontiguousarray(couplings[:nh, nh:], dtype=np.float64), np.ascontiguousarray(pair, dtype=np.float64))
    return out
