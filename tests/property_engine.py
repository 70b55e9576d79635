"""The engine of the property suite: throw bad values at one argument of a valid call, judge the outcome.

A public function passes when, for every bad value of every argument, it either raises a
ValueError / TypeError / MemoryError subclass whose message names the parameter, raised by the
toolkit's own code (not from inside numpy, scipy or mpmath), or returns a finite result (no NaN
anywhere, no silent garbage). The registries of valid calls live in ``tests/property_examples_*.py``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import numbers
import time
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
#: CPU seconds (outside numba's compiler) one call may use before it counts as a hang.
TIME_LIMIT = 20
#: Wall-clock seconds (outside numba's compiler) one call may take, for a call that blocks without using CPU.
WALL_LIMIT = 300


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


class _Clock:
    """CPU seconds of this process spent outside numba's compiler, and a watchdog that stops a runaway call.

    A call's time is the process CPU time it used (``time.process_time``: a loaded machine slows the wall clock,
    not the CPU time) less the CPU time numba spent compiling kernels meanwhile (numba's "numba:compile" events):
    neither machine load nor JIT compilation counts. A daemon thread watches the running call; once it has used
    ``TIME_LIMIT`` CPU seconds outside the compiler (or ``WALL_LIMIT`` seconds of wall time, for a call that
    blocks without using CPU), it sends SIGALRM to the main thread, whose handler raises only outside the
    compiler: never inside llvmlite's callbacks. Examples are warmed (one valid call) before they are judged.
    """

    def __init__(self) -> None:
        import threading

        self.lock = threading.RLock()  # the SIGALRM handler may run while the main thread holds it
        self.depth = 0  # compilations in progress
        self.compile_cpu = 0.0  # CPU seconds spent compiling, in all
        self.compile_wall = 0.0
        self._started = (0.0, 0.0)
        self.call: tuple[float, float, float, float] | None = None  # cpu, wall, compile cpu, compile wall at start
        self.fired = False
        self.watchdog = None
        self._listen()

    def _listen(self) -> None:
        try:
            from numba.core import event
        except ImportError:  # pragma: no cover - numba is a dependency
            return
        clock = self

        class _Compiles(event.Listener):
            def on_start(self, ev) -> None:
                with clock.lock:
                    if clock.depth == 0:
                        clock._started = (time.process_time(), time.monotonic())
                    clock.depth += 1

            def on_end(self, ev) -> None:
                with clock.lock:
                    clock.depth -= 1
                    if clock.depth == 0:
                        clock.compile_cpu += time.process_time() - clock._started[0]
                        clock.compile_wall += time.monotonic() - clock._started[1]

        event.register("numba:compile", _Compiles())

    def used(self) -> tuple[float, float]:
        """(CPU, wall) seconds of the running call outside the compiler."""
        cpu0, wall0, ccpu0, cwall0 = self.call
        ccpu, cwall = self.compile_cpu, self.compile_wall
        if self.depth:  # a compilation is running: its time so far does not count
            ccpu += time.process_time() - self._started[0]
            cwall += time.monotonic() - self._started[1]
        return (time.process_time() - cpu0) - (ccpu - ccpu0), (time.monotonic() - wall0) - (cwall - cwall0)

    def _watch(self, main_ident: int) -> None:
        import signal

        while True:
            time.sleep(0.1)
            with self.lock:
                if self.call is None or self.fired or self.depth:
                    continue
                cpu, wall = self.used()
                if cpu > TIME_LIMIT or wall > WALL_LIMIT:
                    self.fired = True
                    signal.pthread_kill(main_ident, signal.SIGALRM)

    def _handler(self, signum, frame) -> None:
        with self.lock:
            if self.call is None or self.depth:  # never raise inside the compiler (llvmlite's C callbacks)
                self.fired = False  # the watchdog tries again once the compilation is over
                return
        raise _Hang

    def run(self, func, kwargs):
        """``func(**kwargs)``, stopped by :class:`_Hang` past the limits; returns (result, CPU s outside compiles)."""
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_kill"):
            return func(**kwargs), 0.0
        if self.watchdog is None:
            self.watchdog = threading.Thread(target=self._watch, args=(threading.main_thread().ident,), daemon=True)
            self.watchdog.start()
        old = signal.signal(signal.SIGALRM, self._handler)
        with self.lock:
            self.call = (time.process_time(), time.monotonic(), self.compile_cpu, self.compile_wall)
            self.fired = False
        try:
            result = func(**kwargs)
            with self.lock:
                cpu, _wall = self.used()
            return result, cpu
        finally:
            with self.lock:
                self.call = None
            signal.signal(signal.SIGALRM, old)


_CLOCK: _Clock | None = None
_WARM: set[int] = set()


def _call(func, kwargs, warm_kwargs=None):
    """Call with a limit on the CPU time outside numba's compiler (see :class:`_Clock`); raises _Hang past it."""
    global _CLOCK
    if _CLOCK is None:
        _CLOCK = _Clock()
    if warm_kwargs is not None and id(func) not in _WARM:  # compile the example's kernels before it is judged
        _WARM.add(id(func))
        with contextlib.suppress(Exception):
            _CLOCK.run(func, warm_kwargs)
    result, cpu = _CLOCK.run(func, kwargs)
    if cpu > TIME_LIMIT:
        raise _Hang
    return result


def judge(example: Example, param: str, kind: str, value) -> str | None:
    """Call ``example`` with ``param`` replaced by ``value``; return a failure description or None."""
    kwargs = dict(example.kwargs)
    kwargs[param] = value
    try:
        result = _call(example.func, kwargs, example.kwargs)
    except _Hang:
        return (f"no answer within {TIME_LIMIT} s of CPU time outside JIT compilation (or {WALL_LIMIT} s of wall "
                "time while blocked): a hang or an unguarded size")
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
