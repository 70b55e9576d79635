"""Ctrl-C stops everything: a KeyboardInterrupt wrapped by a compiled kernel is an interrupt, not a failed point;
finished points are kept and resumed; the command line exits 130 without worker tracebacks; progress lines in logs;
the toolkit's own dataclass results go through run_sweep."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tunnelsim.progress import log_lines, progress_bar
from tunnelsim.sweep import is_interrupt, load_results, run_sweep

CALLS: list[int] = []
INTERRUPT = {"at": 2}


def numba_like(i: int) -> int:
    """Raise what numba raises when Ctrl-C arrives inside a kernel: SystemError caused by KeyboardInterrupt."""
    CALLS.append(i)
    if i == INTERRUPT["at"]:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise SystemError("CPUDispatcher(<function kernel>) returned a result with an exception set") from exc
    return i * i


def test_is_interrupt_follows_cause_and_context():
    assert is_interrupt(KeyboardInterrupt())
    assert not is_interrupt(ValueError("x")) and not is_interrupt(None)
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise RuntimeError("while handling")  # noqa: B904 - the implicit __context__ is the point
    except RuntimeError as exc:
        assert is_interrupt(exc)


def test_wrapped_interrupt_stops_the_sweep_and_keeps_finished_points(tmp_path):
    CALLS.clear()
    path = tmp_path / "s.jsonl"
    points = [{"i": i} for i in range(6)]
    with pytest.raises(KeyboardInterrupt) as info:
        run_sweep(numba_like, points, path, progress=False)
    assert CALLS == [0, 1, 2]  # nothing after the interrupt ran
    assert [r["result"] for r in info.value.partial] == [0, 1]
    assert [r["result"] for r in load_results(path)] == [0, 1]  # no point recorded as failed
    CALLS.clear()
    INTERRUPT["at"] = None
    try:  # the rerun resumes: only the unfinished points run
        rows = run_sweep(numba_like, points, path, progress=False)
    finally:
        INTERRUPT["at"] = 2
    assert CALLS == [2, 3, 4, 5] and [r["result"] for r in rows] == [i * i for i in range(6)]


def test_dataclass_results_are_stored_as_dicts(tmp_path):
    import clusters

    def doublet(n: int):
        return clusters.coherent_doublet(clusters.TwoLevelCluster.uniform(n, 0.0, 1.0, -3.0), warn=False)

    rows = run_sweep(doublet, [{"n": 2}, {"n": 3}], tmp_path / "d.jsonl", progress=False)
    direct = doublet(3)
    assert rows[1]["result"]["log10_tunneling"] == pytest.approx(direct.log10_tunneling, rel=1e-12)
    assert load_results(tmp_path / "d.jsonl")[0]["result"]["asymmetry"] == pytest.approx(doublet(2).asymmetry)


def test_progress_lines_in_a_log(capsys):
    log_lines(True)
    try:
        bar = progress_bar(range(3), desc="steps")
        for _ in bar:
            bar.set_postfix_str("item")
    finally:
        log_lines(False)
    err = capsys.readouterr().err.splitlines()
    assert [line.split(",")[0] for line in err] == ["steps: 1/3 done (item)", "steps: 2/3 done (item)",
                                                      "steps: 3/3 done (item)"]
    assert not any("\r" in line or "\x1b" in line for line in err)


_CALLBACK_CTRL_C = """
import signal, sys, time, weakref
from tunnelsim.interrupts import interrupts_delivered

signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, even if the runner ignores SIGINT

class Node:
    pass

def callback(_):  # Ctrl-C while a garbage-collection callback runs (matplotlib's transforms build many)
    signal.raise_signal(signal.SIGINT)

def work():
    node = Node()
    ref = weakref.ref(node, callback)
    del node
    end = time.monotonic() + 3.0  # the work goes on after the callback
    while time.monotonic() < end:
        pass
    print("work finished")

if sys.argv[1] == "delivered":
    with interrupts_delivered():
        work()
else:
    work()
"""


@pytest.mark.parametrize("mode", ["plain", "delivered"])
def test_ctrl_c_inside_a_callback_is_delivered_again(mode):
    """Plain Python drops the KeyboardInterrupt raised in a weakref callback and runs on (why the command line
    once ignored a Ctrl-C); inside interrupts_delivered it is raised again while the work is still running."""
    done = subprocess.run([sys.executable, "-c", _CALLBACK_CTRL_C, mode], capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).resolve().parents[1])
    if mode == "plain":
        assert done.returncode == 0 and "work finished" in done.stdout and "KeyboardInterrupt" in done.stderr
    else:
        assert done.returncode != 0 and "work finished" not in done.stdout, done.stderr
        assert done.stderr.rstrip().endswith("KeyboardInterrupt") and "Exception ignored" not in done.stderr
        assert "in _on_sigint" in done.stderr and "in work" in done.stderr  # raised again inside the busy loop


def test_ctrl_c_on_the_command_line_exits_130_without_tracebacks(tmp_path):
    env = {**os.environ, "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "NUMBA_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "tunnelsim.cli", "reproduce", "--quick", "--out", str(tmp_path / "out"),
           "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True, cwd=Path(__file__).resolve().parents[1])
    deadline = time.monotonic() + 120
    while not (tmp_path / "out").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3.0)  # well inside the studies (the whole quick run takes minutes)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    try:
        out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    assert proc.returncode == 130, err[-3000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-3000:]
    assert "interrupted" in err
