"""Input checks shared by every package of the toolkit.

Each helper raises a :class:`ValueError` or :class:`TypeError` whose message names the
offending parameter and what was expected, so that bad input never surfaces as a numpy
traceback from deep inside a solver, nor as a silently wrong answer.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

__all__ = [
    "as_real_array",
    "as_real_scalar",
    "check_positive",
    "check_nonnegative",
    "check_sum_zero",
    "check_choice",
    "check_int",
    "check_probability",
    "check_square_symmetric",
]


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_real_array(
    value: object,
    name: str,
    *,
    shape: Sequence[int | None] | None = None,
    ndim: int | None = None,
    allow_empty: bool = False,
) -> np.ndarray:
    """Convert ``value`` to a finite float array, or raise an error naming ``name``.

    Parameters
    ----------
    value : array_like
        The user's input.
    name : str
        Parameter name used in error messages.
    shape : sequence of int or None, optional
        Required shape; ``None`` entries accept any length along that axis.
    ndim : int, optional
        Required number of dimensions (ignored when ``shape`` is given).
    allow_empty : bool
        Whether an array of size zero is acceptable.

    Returns
    -------
    numpy.ndarray
        A float64 copy of the input.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be numeric, got the string {_describe(value)}")
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a real number or an array of real numbers, got {_describe(value)}") from exc
    if np.iscomplexobj(np.asarray(value)):
        raise TypeError(f"{name} must be real, got complex values {_describe(value)}")
    if shape is not None:
        ok = arr.ndim == len(shape) and all(s is None or s == a for s, a in zip(shape, arr.shape))
        if not ok:
            want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} must have shape {want}, got shape {arr.shape}")
    elif ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got an array of shape {arr.shape}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty")
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))
        where = tuple(int(i) for i in bad[0]) if arr.ndim else ()
        raise ValueError(f"{name} must be finite, got NaN or infinity (first at index {where})")
    return arr


def as_real_scalar(value: object, name: str) -> float:
    """Return ``value`` as a finite Python float, or raise an error naming ``name``."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a real number, got the boolean {value}")
    if isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be real, got the complex number {value}")
    arr = as_real_array(value, name)
    if arr.ndim != 0:
        raise TypeError(f"{name} must be a single real number, got an array of shape {arr.shape}")
    return float(arr)


def check_positive(value: object, name: str, *, strict: bool = True) -> np.ndarray | float:
    """Check that every entry of ``value`` is > 0 (or >= 0 with ``strict=False``)."""
    arr = as_real_array(value, name)
    bad = arr <= 0 if strict else arr < 0
    if np.any(bad):
        first = arr[bad].flat[0]
        rel = "> 0" if strict else ">= 0"
        raise ValueError(f"{name} must be {rel}, got {first:g}")
    return float(arr) if arr.ndim == 0 else arr


def check_nonnegative(value: object, name: str) -> np.ndarray | float:
    """Check that every entry of ``value`` is >= 0."""
    return check_positive(value, name, strict=False)


def check_sum_zero(values: np.ndarray, name: str, *, axis: int = -1, rtol: float = 1e-9) -> None:
    """Check that well energies sum to zero along ``axis`` (THEORY sec. 1 convention).

    The tolerance is relative to the sum of absolute values (plus a tiny absolute floor),
    and the error message gives the offending sum.
    """
    total = np.sum(values, axis=axis)
    scale = np.sum(np.abs(values), axis=axis) + 1e-300
    bad = np.abs(total) > rtol * scale + 1e-12
    if np.any(bad):
        idx = np.argwhere(np.atleast_1d(bad))[0]
        s = np.atleast_1d(total)[tuple(idx)]
        where = "" if np.ndim(total) == 0 else f" (row {int(idx[0])})"
        raise ValueError(
            f"{name} must sum to zero (the well energies are measured from their mean), "
            f"but they sum to {s:.6g}{where}; subtract the mean first"
        )


def check_choice(value: object, name: str, choices: Sequence[str]) -> str:
    """Check that ``value`` is one of the strings in ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(repr(c) for c in choices)}; got {_describe(value)}")
    return value


def check_int(value: object, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Check that ``value`` is an integer within ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral,)):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_probability(value: object, name: str) -> np.ndarray | float:
    """Check that every entry of ``value`` lies in [0, 1]."""
    arr = as_real_array(value, name)
    if np.any((arr < 0) | (arr > 1)):
        first = arr[(arr < 0) | (arr > 1)].flat[0]
        raise ValueError(f"{name} must lie in [0, 1], got {first:g}")
    return float(arr) if arr.ndim == 0 else arr


def check_square_symmetric(value: object, name: str, n: int | None = None, *, zero_diagonal: bool = True,
                           atol: float = 1e-12) -> np.ndarray:
    """Check that ``value`` is a real symmetric ``n x n`` matrix (with zero diagonal by default)."""
    arr = as_real_array(value, name, ndim=2)
    if arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {arr.shape}")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} must have shape ({n}, {n}) to match {n} particles, got {arr.shape}")
    asym = np.max(np.abs(arr - arr.T)) if arr.size else 0.0
    if asym > atol * max(1.0, np.max(np.abs(arr))):
        i, j = np.unravel_index(np.argmax(np.abs(arr - arr.T)), arr.shape)
        raise ValueError(
            f"{name} must be symmetric, but {name}[{i},{j}]={arr[i, j]:g} != {name}[{j},{i}]={arr[j, i]:g}"
        )
    if zero_diagonal and np.any(np.diag(arr) != 0):
        i = int(np.argmax(np.diag(arr) != 0))
        raise ValueError(f"{name} must have a zero diagonal (no self-coupling), got {name}[{i},{i}]={arr[i, i]:g}")
    return arr
