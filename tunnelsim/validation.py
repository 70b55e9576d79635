"""Input checks shared by every package of the toolkit (the shared floor: imports nothing of the project).

Each helper raises a :class:`ValueError` or :class:`TypeError` whose message names the offending
parameter and what was expected, so that bad input never surfaces as a numpy traceback from deep
inside a solver, nor as a silently wrong answer. Values are inspected *before* any conversion:
strings, bytes, ``None`` and booleans (Python or numpy) are refused where numbers are expected,
instead of being turned into numbers by ``numpy.array(..., dtype=float)``. docs/reliability.md
lists the guarantees.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

__all__ = [
    "as_real_array",
    "as_real_pair",
    "as_real_scalar",
    "as_complex_array",
    "check_bool",
    "check_positive",
    "check_nonnegative",
    "check_sum_zero",
    "check_choice",
    "check_int",
    "check_probability",
    "check_range",
    "check_same_length",
    "check_square_symmetric",
    "check_callable",
    "MAX_GRID_POINTS",
    "check_grid_size",
]

#: The most values one parameter grid may hold (a spectrum's phi or B values, a command line's start:stop:num):
#: 10^7 points is beyond any figure; more is refused before anything is allocated.
MAX_GRID_POINTS = 10**7

#: Scanning a nested Python list for non-numbers stops after this many items (larger inputs are
#: checked through their numpy dtype only).
_SCAN_LIMIT = 100_000


def describe(value: object) -> str:
    """A short repr of ``value`` for error messages (at most 60 characters)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _non_number(value: object) -> str | None:
    """Why ``value`` (a scalar) is not a number, or None when it is one."""
    if value is None:
        return "None"
    if isinstance(value, (bool, np.bool_)):
        return f"the boolean {value}"
    if isinstance(value, (str, bytes)):
        return f"the string {describe(value)}"
    if isinstance(value, (numbers.Number, np.number)):
        return None
    return f"a {type(value).__name__} ({describe(value)})"


def _scan(value: object, name: str, budget: list[int]) -> None:
    """Refuse non-numbers inside (nested) Python lists and tuples, naming the first one's index."""
    stack = [((), value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, (list, tuple)):
            budget[0] -= len(item)
            if budget[0] < 0:
                return
            stack.extend(((*where, i), v) for i, v in reversed(list(enumerate(item))))
        elif not isinstance(item, np.ndarray):
            why = _non_number(item)
            if why is not None:
                at = f" at index {where}" if where else ""
                raise TypeError(f"{name} must be numeric (hold real numbers), got {why}{at}")


def _numeric_source(value: object, name: str, *, complex_ok: bool = False) -> np.ndarray:
    """``value`` as a numpy array after refusing every non-numeric input (no conversion yet)."""
    if isinstance(value, (list, tuple)):
        _scan(value, name, [_SCAN_LIMIT])
    else:
        why = None if isinstance(value, np.ndarray) else _non_number(value)
        if why is not None:
            raise TypeError(f"{name} must be numeric (a real number or an array of real numbers), got {why}")
    try:
        src = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers, got {describe(value)}") from exc
    kind = src.dtype.kind
    if kind == "b":
        raise TypeError(f"{name} must hold real numbers, got a boolean array")
    if kind == "c" and not complex_ok:
        raise TypeError(f"{name} must be real, got complex values {describe(value)}")
    if kind not in "iufc":
        raise TypeError(f"{name} must hold real numbers, got an array of dtype {src.dtype} ({describe(value)})")
    return src


def as_real_array(
    value: object,
    name: str,
    *,
    shape: Sequence[int | None] | None = None,
    ndim: int | None = None,
    allow_empty: bool = False,
) -> np.ndarray:
    """Convert ``value`` to a finite float64 array, or raise an error naming ``name``.

    Parameters
    ----------
    value : array_like
        The user's input: a number, a (nested) list or tuple of numbers, or a numeric array.
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

    Raises
    ------
    TypeError
        Strings, bytes, None, booleans, complex or object values.
    ValueError
        Wrong shape, empty input, NaN or infinity.
    """
    arr = np.array(_numeric_source(value, name), dtype=float)
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


def as_complex_array(value: object, name: str, *, ndim: int | None = None, keep_real: bool = False) -> np.ndarray:
    """Convert ``value`` to a finite complex128 array (numbers only), or raise naming ``name``.

    With ``keep_real`` a real input stays real (float64), so that real matrices keep LAPACK's real path.
    """
    src = _numeric_source(value, name, complex_ok=True)
    arr = np.array(src, dtype=float if keep_real and src.dtype.kind != "c" else complex)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got an array of shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got NaN or infinity")
    return arr


def as_real_scalar(value: object, name: str) -> float:
    """Return ``value`` as a finite Python float, or raise an error naming ``name``."""
    if isinstance(value, numbers.Complex) and not isinstance(value, (numbers.Real, bool, np.bool_)):
        raise TypeError(f"{name} must be real, got the complex number {value}")
    arr = as_real_array(value, name)
    if arr.ndim != 0:
        raise TypeError(f"{name} must be a single real number, got an array of shape {arr.shape}")
    return float(arr)


def check_bool(value: object, name: str) -> bool:
    """Check that a flag is a real boolean (``True``/``False`` or a numpy bool), not ``'no'`` or ``0``."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {describe(value)}")


def check_callable(value: object, name: str) -> object:
    """Check that ``value`` can be called."""
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {type(value).__name__}")
    return value


def check_positive(value: object, name: str, *, strict: bool = True) -> np.ndarray | float:
    """Check that every entry of ``value`` is > 0 (or >= 0 with ``strict=False``); returns it as floats."""
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


def check_range(value: object, name: str, lo: float | None = None, hi: float | None = None, *,
                lo_open: bool = False, hi_open: bool = False) -> np.ndarray | float:
    """Check that every entry of ``value`` lies in the interval between ``lo`` and ``hi``.

    ``lo_open`` / ``hi_open`` exclude the end points. The message states the interval.
    """
    arr = as_real_array(value, name)
    bad = np.zeros(arr.shape, dtype=bool)
    if lo is not None:
        bad |= (arr <= lo) if lo_open else (arr < lo)
    if hi is not None:
        bad |= (arr >= hi) if hi_open else (arr > hi)
    if np.any(bad):
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        low = "-inf" if lo is None else format(lo, "g")
        high = "inf" if hi is None else format(hi, "g")
        interval = f"{left}{low}, {high}{right}"
        raise ValueError(f"{name} must lie in {interval}, got {arr[bad].flat[0]:g}")
    return float(arr) if arr.ndim == 0 else arr


def check_sum_zero(values: np.ndarray, name: str, *, axis: int = -1, rtol: float = 1e-9) -> None:
    """Check that well energies sum to zero along ``axis`` (docs/theory.md sec. 1 convention).

    The tolerance is relative to the sum of absolute values (plus a tiny absolute floor), and the
    error message gives the offending sum.
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
        raise ValueError(f"{name} must be one of {', '.join(repr(c) for c in choices)}; got {describe(value)}")
    return value


def check_int(value: object, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Check that ``value`` is an integer within ``[minimum, maximum]`` (an integral float is accepted)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        if isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
            value = int(value)
        else:
            raise TypeError(f"{name} must be an integer, got {describe(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_probability(value: object, name: str) -> np.ndarray | float:
    """Check that every entry of ``value`` lies in [0, 1]."""
    return check_range(value, name, 0.0, 1.0)


def check_same_length(name_a: str, a: Sequence | np.ndarray, name_b: str, b: Sequence | np.ndarray) -> int:
    """Check that two 1-D inputs have equal lengths (no silent broadcasting or truncation)."""
    la, lb = len(a), len(b)
    if la != lb:
        raise ValueError(f"{name_a} and {name_b} must have the same length, got {la} and {lb}")
    return la


def as_real_pair(a: object, name_a: str, b: object, name_b: str) -> tuple[np.ndarray, np.ndarray]:
    """Two real inputs that broadcast against each other: each a number or 1-D, equal lengths when both are 1-D.

    Returns the two arrays as given (not broadcast), so a caller can still tell a scalar from an array.
    """
    arr_a, arr_b = as_real_array(a, name_a), as_real_array(b, name_b)
    if arr_a.ndim > 1 or arr_b.ndim > 1:
        raise ValueError(f"{name_a} and {name_b} must be numbers or 1-D arrays, got shapes {arr_a.shape} and "
                         f"{arr_b.shape}")
    if arr_a.ndim == 1 and arr_b.ndim == 1:
        check_same_length(name_a, arr_a, name_b, arr_b)
    return arr_a, arr_b


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


def check_grid_size(count: object, name: str, maximum: int = MAX_GRID_POINTS) -> int:
    """Check that a grid of ``count`` points is between 1 and ``maximum`` points (refused before it is built).

    Examples
    --------
    >>> check_grid_size(200, "phi")
    200
    """
    count = check_int(count, name + "'s number of points", minimum=1)
    if count > maximum:
        raise ValueError(f"{name} has {count} values, more than the {maximum} one call takes; use fewer points or "
                         "split the range into several calls")
    return count
