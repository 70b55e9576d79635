"""Numerical helpers of the response integrals: overflow-free elementary functions, bounded-memory blocks.

Private to :mod:`tunnelsim.response`. Every function here returns the exact limit where the naive
formula would overflow, divide 0 by 0 or warn (docs/reliability.md: nothing silent), so the callers
need no ``numpy.errstate``; :func:`blocks` cuts a long axis into pieces whose workspace stays below
:data:`WORK_BYTES`, after :func:`tunnelsim.memory.check_memory` has accepted what stays allocated.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy.special import expit

from tunnelsim.memory import check_memory

#: Workspace of one block of a response integral, bytes (the estimate behind :func:`blocks`).
WORK_BYTES = 32 * 1024**2
_LOG2 = float(np.log(2.0))


def log_cosh(x: np.ndarray) -> np.ndarray:
    """ln cosh x for any real x (no overflow): |x| + ln(1 + e^-2|x|) - ln 2."""
    a = np.abs(x)
    return a + np.log1p(np.exp(-2.0 * a)) - _LOG2


def acosh_exp(lz: np.ndarray) -> np.ndarray:
    """arccosh(e^lz) for lz >= 0 (lz < 0 is taken as 0), without forming e^lz when it would overflow."""
    lz = np.maximum(np.asarray(lz, dtype=float), 0.0)
    big = lz > 20.0
    small = np.arccosh(np.exp(np.where(big, 0.0, lz)))
    return np.where(big, lz + _LOG2, small)  # arccosh z = ln 2z - 1/(4 z^2) - ..., exact to 1e-17 at z > e^20


def tanh_minus_one(y: np.ndarray) -> np.ndarray:
    """tanh(y) - 1 = -2 / (e^{2y} + 1) for y >= 0, without cancellation and without overflow."""
    return -2.0 * expit(-2.0 * np.asarray(y, dtype=float))


def tanh_over_x(y: np.ndarray) -> np.ndarray:
    """tanh(y)/y for y >= 0, 1 at y = 0 (and below 1e-8, where the difference is < 1e-16)."""
    y = np.asarray(y, dtype=float)
    tiny = y < 1e-8
    return np.where(tiny, 1.0, np.tanh(y) / np.where(tiny, 1.0, y))


def log_sech2(y: np.ndarray) -> np.ndarray:
    """ln sech^2 y = -2 ln cosh y."""
    return -2.0 * log_cosh(y)


def debye_weights(log_wt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """1/(1 + x^2) and x/(1 + x^2) of x = omega tau given as ln x (docs/theory.md sec. 6, Debye relaxation).

    ln x is clipped to [-150, 150]: there 1/(1 + x^2) differs from 1 or 0 by < 1e-130 and x/(1 + x^2) from
    0 by < 1e-65, so the limits x -> 0 and x -> inf are exact to double precision, without overflow.
    """
    x = np.exp(np.clip(log_wt, -150.0, 150.0))
    d = 1.0 / (1.0 + x * x)
    return d, x * d


def blocks(n: int, per_item_bytes: float, kept_bytes: float, what: str, size: int | None = None) -> Iterator[slice]:
    """Slices of ``range(n)`` whose workspace (``per_item_bytes`` each) stays within :data:`WORK_BYTES`.

    ``kept_bytes`` (the outputs) is checked against the memory budget first
    (:func:`tunnelsim.memory.check_memory`), with one block's workspace added; an explicit block ``size``
    (a caller's ``chunk``) is checked the same way.
    """
    if size is None:
        size = max(1, int(WORK_BYTES // max(per_item_bytes, 1.0)))
    check_memory(kept_bytes + min(n, size) * per_item_bytes, what,
                 hint="use fewer temperatures (or systems) per call")
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


def scaled(amplitude: float, values: np.ndarray, name: str, also: str = "") -> np.ndarray:
    """amplitude * values, refusing (ValueError naming ``name``) a product that overflows double precision."""
    if amplitude == 0.0:
        return np.zeros_like(values)
    big = float(np.max(np.abs(values))) if np.size(values) else 0.0
    if big > 1.0 and abs(amplitude) > np.finfo(float).max / big:
        raise ValueError(f"{name} = {amplitude:g} makes the result overflow double precision{also}")
    return amplitude * values
