"""The engine of the property suite: throw bad values at one argument of a valid call, judge the outcome.

A public function passes when, for every bad value of every argument, it either raises a
ValueError / TypeError / MemoryError subclass whose message names the parameter, raised by the
toolkit's own code (not from inside numpy, scipy or mpmath), or returns a finite result (no NaN
anywhere, no silent garbage). The registries of valid calls live in ``tests/property_examples_*.py``.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OWN = tuple(str(ROOT / pkg) for pkg in ("tunnelsim", "clusters", "lattices"))

#: The bad values thrown at every argument (name -> value).
BAD_VALUES: dict[str, object] = {
    "string": "0.1",
    "bytes": b"1",
    "none": None,
    "bool": True,
    "nan": float("nan"),
    "inf": float("inf"),
    "-inf": -float("inf"),
    "negative": -1.5,
    "zero": 0,
    "empty": [],
    "ragged": [[1.0, 2.0], [3.0]],
    "complex": 1.0 + 2.0j,
    "huge": 10**12,
    "object": object(),
    "nan_list": [0.1, float("nan"), 0.2],
}
#: Kinds that must be refused unless an example declares them valid (a number silently made of them is a defect).
MUST_RAISE = {"string", "bytes", "none", "bool", "object", "complex", "nan", "nan_list", "ragged"}
#: Seconds one call may take before it counts as a hang.
TIME_LIMIT = 20


@dataclass
class Example:
    """A valid call of a public function, with every argument by name.

    Attributes
    ----------
    func : callable
    kwargs : dict
        A valid argument set (small sizes: each call must take well under a second).
    valid : dict of str to set of str
        Bad-value kinds that are legitimately valid for a parameter (e.g. a negative asymmetry).
    aliases : dict of str to tuple of str
        Other words the error message may use to name a parameter (e.g. "phi" for "theta").
    skip : set of str
        Parameters not to mutate (callables, executors, paths tested elsewhere), with a reason in ``why``.
    why : str
    """

    func: Callable
    kwargs: dict
    valid: dict = field(default_factory=dict)
    aliases: dict = field(default_factory=dict)
    skip: set = field(default_factory=set)
    why: str = ""

    @property
    def name(self) -> str:
        return f"{self.func.__module__}.{getattr(self.func, '__qualname__', self.func)}"


def _finite(value, depth: int = 0) -> bool:
    """Whether every number reachable in ``value`` is finite (NaN anywhere is a silent failure)."""
    if depth > 6 or value is None or isinstance(value, (str, bytes, bool, Path)):
        return True
    if isinstance(value, numbers.Number):
        return math.isfinite(abs(value))
    if isinstance(value, np.ndarray):
        return value.dtype.kind not in "fc" or bool(np.all(np.isfinite(value)))
    if hasattr(value, "full") and callable(value.full):  # qutip.Qobj
        return _finite(value.full(), depth + 1)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return all(_finite(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value))
    if isinstance(value, Mapping):
        return all(_finite(v, depth + 1) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_finite(v, depth + 1) for v in value[:1000])
    return True


def _raised_by_own_code(exc: BaseException) -> bool:
    """The innermost frame that raised is in the toolkit's packages (not numpy, scipy, mpmath...)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and frames[-1].filename.startswith(OWN)


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang


def _call(func, kwargs):
    """Call with a wall-clock limit (SIGALRM, main thread only; elsewhere no limit)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        return func(**kwargs)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT)
    try:
        return func(**kwargs)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def judge(example: Example, param: str, kind: str, value) -> str | None:
    """Call ``example`` with ``param`` replaced by ``value``; return a failure description or None."""
    kwargs = dict(example.kwargs)
    kwargs[param] = value
    try:
        result = _call(example.func, kwargs)
    except _Hang:
        return f"no answer within {TIME_LIMIT} s (a hang or an unguarded size)"
    except (ValueError, TypeError, MemoryError) as exc:
        names = (param, *example.aliases.get(param, ()))
        if not _raised_by_own_code(exc):
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            return f"{type(exc).__name__} from inside {frame.filename}:{frame.lineno}: {exc}"
        if not any(n in str(exc) for n in names):
            return f"{type(exc).__name__} does not name {param!r}: {exc}"
        return None
    except Exception as exc:  # noqa: BLE001 - anything else is a defect
        return f"unexpected {type(exc).__name__}: {exc}"
    if kind in example.valid.get(param, set()):
        return None if _finite(result) else "a valid value gave a non-finite result"
    if kind in MUST_RAISE:
        return f"{kind} value {value!r} for {param!r} was accepted silently"
    if not _finite(result):
        return f"silent non-finite result for {param}={value!r}"
    return None


def cases(examples: list[Example]) -> list[tuple[Example, str, str]]:
    """Every (example, parameter, bad kind) combination to test."""
    out = []
    for ex in examples:
        for param in ex.kwargs:
            if param in ex.skip:
                continue
            for kind in BAD_VALUES:
                out.append((ex, param, kind))
    return out
