"""The property engine's hang check counts neither JIT compilation nor machine load, and never raises inside
numba's compiler (tests/property_engine.py)."""

from __future__ import annotations

import subprocess
import sys
import time

import numba
import numpy as np
import property_engine as engine
import pytest


def _spin(x):
    """A runaway loop (no size guard): must be reported as a hang."""
    while True:
        x = x + 1.0


def _blocked(x):
    """A call that waits without using CPU (like reading a FIFO): caught by the wall-clock limit."""
    time.sleep(30.0)
    return x


def _fresh_kernel():
    """A numba kernel never compiled before (each call builds a new one): its compilation takes CPU seconds."""
    namespace = {}
    body = "\n".join(f"    s = s + np.sin(x * {i}.5) * np.cos(s + {i})" for i in range(40))
    exec(f"def kernel(x):\n    s = 0.0\n{body}\n    return s\n", {"np": np}, namespace)  # noqa: S102 - test only
    return numba.njit(namespace["kernel"])


def test_runaway_call_is_reported_as_a_hang(monkeypatch):
    monkeypatch.setattr(engine, "TIME_LIMIT", 1.0)
    ex = engine.Example(_spin, {"x": 1.0})
    failure = engine.judge(ex, "x", "negative", -1.5)
    assert failure is not None and "no answer within 1.0 s of CPU time" in failure


def test_blocked_call_is_reported_by_the_wall_clock(monkeypatch):
    monkeypatch.setattr(engine, "WALL_LIMIT", 1.0)
    ex = engine.Example(_blocked, {"x": 1.0})
    t0 = time.monotonic()
    failure = engine.judge(ex, "x", "negative", -1.5)
    assert failure is not None and "wall time while blocked" in failure
    assert time.monotonic() - t0 < 25.0


def test_jit_compilation_does_not_count_and_is_never_interrupted(monkeypatch):
    kernel = _fresh_kernel()
    t0 = time.process_time()
    kernel(0.5)  # compiles
    compile_cpu = time.process_time() - t0
    if compile_cpu < 0.3:
        pytest.skip(f"compiling the test kernel took only {compile_cpu:.2f} s of CPU here")
    monkeypatch.setattr(engine, "TIME_LIMIT", compile_cpu / 4)  # far less than one compilation
    fresh = _fresh_kernel()
    ex = engine.Example(lambda x: float(fresh(x)), {"x": 0.5})
    ex.kwargs = {"x": 0.5}
    engine._WARM.add(id(ex.func))  # no warm-up: the judged call itself compiles
    assert engine.judge(ex, "x", "negative", -1.5) is None


def test_machine_load_does_not_count(monkeypatch):
    """A call that uses 0.3 s of CPU passes a 1 s limit even when two busy processes compete for the cores."""
    monkeypatch.setattr(engine, "TIME_LIMIT", 1.0)

    def work(x):
        end = time.process_time() + 0.3
        while time.process_time() < end:
            np.sin(np.arange(1000.0))
        return x

    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        assert engine.judge(engine.Example(work, {"x": 1.0}), "x", "negative", -1.5) is None
    finally:
        for proc in busy:
            proc.kill()
            proc.wait()
