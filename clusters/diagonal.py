"""The configuration energies D of eq. (3.1), built in parallel rows (docs/clusters.md sec. 3).

D(a_0..a_{N-1}) = sum_i E^i_{a_i} + sum_{i<j} J_ij W(a_i, a_j), particle 0 the most significant digit of the
state index. Split the particles into the first N - m ("high", index h) and the last m ("low", index l, m
chosen so that d^m is about LOW_STATES). Then

    D[h, l] = D_high(h) + D_pairs_low(l) + sum_{j low} G_j(h)[a_j(l)],
    G_j(h)[b] = E^j_b + sum_{i high} J_ij W(a_i(h), b),

so each row h is the low particles' pair energies (one table, shared by all rows) plus a separable sum of
effective well energies, built digit by digit in contiguous loops (:func:`row_energies`). The tables
(:class:`RowTables`: the pair table, D_high, the low wells, the high-low couplings and W) are small; rows run in
parallel (numba); D_high is the same construction one level down. Every amplitude is written once: no 2^N
temporaries, no serial numpy pass. Below LOW_STATES states the particle-by-particle numpy build
(:func:`small_energies`) is used. The 2LS product kernel builds each of its blocks' rows from the tables
instead of reading a stored diagonal (:mod:`clusters.kernels`).

:func:`clusters.hamiltonians.configuration_energies` checks the inputs and the memory, then calls
:func:`energies`.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numba
import numpy as np

from ._threads import numba_threads

__all__ = ["LOW_STATES", "RowTables", "energies", "low_particles", "row_energies", "row_tables", "small_energies"]

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


class RowTables(NamedTuple):
    """D of eq. (3.1) as rows of d^m states, kept as small tables (module docstring), in K.

    Row h (the digits of the first N - m particles) holds D[h d^m + l] = high[h] + low[l] + sum_j G_j(h)[a_j(l)]
    with G_j(h)[b] = wells[j, b] + sum_i cross[i, j] pair[a_i(h), b]: :func:`row_energies` builds one row,
    :meth:`energies` all of them, :meth:`max_abs` the largest |D| without storing D. The 2LS product kernel builds
    each block's row on the fly from them (:mod:`clusters.kernels`), so a solve keeps no 2^N diagonal.

    Examples
    --------
    >>> import numpy as np
    >>> wells = np.array([[0.1, -0.1], [0.2, -0.2]])
    >>> J = np.array([[0.0, -1.0], [-1.0, 0.0]])
    >>> rows = row_tables(wells, J, np.array([[1.0, -1.0], [-1.0, 1.0]]), 1)   # two rows of one particle each
    >>> print(rows.energies().round(12), round(rows.max_abs(), 12))
    [-0.7  0.9  1.1 -1.3] 1.3
    """

    low: np.ndarray
    high: np.ndarray
    wells: np.ndarray
    cross: np.ndarray
    pair: np.ndarray

    @property
    def m(self) -> int:
        """Particles of a row (its d^m states)."""
        return int(self.wells.shape[0])

    @property
    def size(self) -> int:
        """States of a row."""
        return int(self.low.shape[0])

    @property
    def dim(self) -> int:
        """States of the whole space."""
        return int(self.high.shape[0]) * self.size

    def check(self, n: int, d: int) -> None:
        """Raise ValueError unless the tables describe n particles of d wells (shapes, float64, contiguous): the
        compiled row builder trusts them, so every consumer checks them first."""
        nh = self.cross.shape[0] if getattr(self.cross, "ndim", 0) == 2 else -1
        m = n - nh
        shapes = {"low": (d**m,), "high": (d**nh,), "wells": (m, d), "cross": (nh, m), "pair": (d, d)}
        for name, shape in shapes.items():
            a = getattr(self, name)
            if not (isinstance(a, np.ndarray) and a.shape == shape and a.dtype == np.float64 and a.flags.c_contiguous):
                raise ValueError(f"diag: row tables for n={n} particles of d={d} wells need {name} as a contiguous "
                                 f"float64 array of shape {shape}, got {getattr(a, 'shape', type(a).__name__)}; build "
                                 "them with clusters.hamiltonians.configuration_rows")

    def energies(self) -> np.ndarray:
        """Every configuration energy D (K), rows in parallel, every amplitude written once."""
        out = np.empty(self.dim)
        with numba_threads(self.dim):
            _rows(out, *self)
        return out

    def max_abs(self) -> float:
        """max |D| over every configuration (K), row by row in parallel: no array of d^N entries."""
        hi, lo = np.empty(self.high.shape[0]), np.empty(self.high.shape[0])
        with numba_threads(self.dim):
            _row_extremes(hi, lo, *self)
        return max(float(np.max(hi)), -float(np.min(lo)))


def row_tables(wells: np.ndarray, couplings: np.ndarray, pair: np.ndarray, m: int) -> RowTables:
    """The :class:`RowTables` of D with rows of the last m particles, for checked inputs (wells (N, d), couplings
    (N, N), pair (d, d), 0 <= m <= N); high[h] is D of the first N - m particles (:func:`energies`)."""
    n, d = wells.shape
    nh = n - m
    f64 = functools.partial(np.ascontiguousarray, dtype=np.float64)
    return RowTables(f64(small_energies(np.zeros((m, d)), couplings[nh:, nh:], pair)),
                     f64(energies(wells[:nh], couplings[:nh, :nh], pair)), f64(wells[nh:]),
                     f64(couplings[:nh, nh:]), f64(pair))


@numba.njit(cache=True, fastmath=True)
def row_energies(out, h, low, high, wells, cross, pair, buf):  # pragma: no cover - compiled
    """out[:d^m] <- D of row h (:class:`RowTables`); buf (d m floats) holds the effective wells, buf[b m + j] =
    G_j(h)[b].

    sum_j G_j[a_j] is built forwards, digit by digit from the least significant (the last particle): the states
    whose digit k is b are those below d^k shifted by G_j[b] - G_j[0]. Every loop is contiguous (vectorised).
    """
    m, d = wells.shape
    for b in range(d):
        for j in range(m):
            buf[b * m + j] = wells[j, b]
    rest = np.int64(h)  # prange indices may be unsigned: int64 keeps the digits integer
    for i in range(cross.shape[0] - 1, -1, -1):  # particle i's digit of h, the last high particle first
        if d == 2:
            a = rest & 1
            rest >>= 1
        else:
            a = rest % d
            rest //= d
        coupling = cross[i]
        for b in range(d):
            w = pair[a, b]
            g = buf[b * m:(b + 1) * m]
            for j in range(m):
                g[j] += w * coupling[j]
    s = high[np.int64(h)]
    for j in range(m):
        s += buf[j]
    out[0] = s
    length = 1
    for k in range(m):
        j = m - 1 - k
        src = out[:length]
        for b in range(1, d):
            shift = buf[b * m + j] - buf[j]
            dst = out[b * length:(b + 1) * length]
            for t in range(length):
                dst[t] = src[t] + shift
        length *= d
    for t in range(length):
        out[t] += low[t]


@numba.njit(parallel=True, cache=True)
def _rows(out, low, high, wells, cross, pair):  # pragma: no cover - compiled
    """Every row h of D, in parallel."""
    size = low.shape[0]
    for h in numba.prange(high.shape[0]):
        buf = np.empty(max(wells.shape[0] * wells.shape[1], 1))
        row_energies(out[h * size:(h + 1) * size], h, low, high, wells, cross, pair, buf)


@numba.njit(parallel=True, cache=True)
def _row_extremes(hi, lo, low, high, wells, cross, pair):  # pragma: no cover - compiled
    """hi[h], lo[h] <- the largest and smallest D of row h, each row built in a buffer of its own."""
    size = low.shape[0]
    for h in numba.prange(high.shape[0]):
        buf = np.empty(max(wells.shape[0] * wells.shape[1], 1))
        row = np.empty(size)
        row_energies(row, h, low, high, wells, cross, pair, buf)
        hi[h], lo[h] = np.max(row), np.min(row)


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
    return row_tables(wells, couplings, pair, m).energies()
