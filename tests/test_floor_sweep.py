"""Resumable sweeps survive torn and damaged files, stale functions, failing points and a second run."""

from __future__ import annotations

import json

import pytest

from tunnelsim.files import FolderLockedError, folder_lock
from tunnelsim.sweep import SweepError, function_key, load_results, run_sweep


def cube(x):
    return x**3


def fragile(x):
    if x == 2:
        raise ValueError("x = 2 is not allowed")
    return x


def test_torn_last_line_is_cut_before_appending(tmp_path):
    path = tmp_path / "s.jsonl"
    run_sweep(cube, [{"x": 1}], path)
    with path.open("a") as fh:
        fh.write('{"params": {"x": 2}, "res')  # an interrupted write
    with pytest.warns(RuntimeWarning, match="incomplete last record"):
        res = run_sweep(cube, [{"x": 1}, {"x": 2}], path)
    assert [r["result"] for r in res] == [1, 8]
    lines = path.read_text().splitlines()
    assert len(lines) == 2 and all(json.loads(line) for line in lines)  # no garbage left, nothing swallowed


def test_damaged_middle_line_is_skipped_and_reported(tmp_path):
    path = tmp_path / "s.jsonl"
    run_sweep(cube, [{"x": 1}, {"x": 2}], path)
    lines = path.read_text().splitlines()
    path.write_text(lines[0] + "\n#garbage#\n" + lines[1] + "\n")
    with pytest.warns(RuntimeWarning, match=r"skipped 1 damaged line\(s\) \[2\]"):
        rows = load_results(path, cube)
    assert [r["params"]["x"] for r in rows] == [1, 2]


def test_changed_function_does_not_reuse_results(tmp_path, monkeypatch):
    """Same module and name, edited body: the cached result is stale and recomputed (joblib.Memory's idea)."""
    import importlib

    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "sweepmod.py").write_text("def f(x):\n    return x + 1\n")
    mod = importlib.import_module("sweepmod")
    path = tmp_path / "s.jsonl"
    assert run_sweep(mod.f, [{"x": 2}], path)[0]["result"] == 3
    old_key = function_key(mod.f)
    (tmp_path / "sweepmod.py").write_text("def f(x):\n    return x + 100\n")
    mod = importlib.reload(mod)
    assert function_key(mod.f) != old_key
    assert run_sweep(mod.f, [{"x": 2}], path)[0]["result"] == 102


def test_failing_point_is_recorded_and_retried(tmp_path):
    path = tmp_path / "s.jsonl"
    with pytest.raises(SweepError, match="1 sweep point\\(s\\) failed.*x = 2 is not allowed"):
        run_sweep(fragile, [{"x": 1}, {"x": 2}, {"x": 3}], path)
    assert [r["params"]["x"] for r in load_results(path, fragile)] == [1, 3]  # the others finished
    rows = run_sweep(fragile, [{"x": 1}, {"x": 2}, {"x": 3}], path, errors="return")
    assert rows[1] == {"params": {"x": 2}, "error": "ValueError: x = 2 is not allowed"}
    assert rows[0]["result"] == 1 and rows[2]["result"] == 3


def test_second_run_on_the_same_file_is_refused(tmp_path):
    path = tmp_path / "s.jsonl"
    with folder_lock(tmp_path, name=f".{path.name}.lock"), pytest.raises(FolderLockedError):
        run_sweep(cube, [{"x": 1}], path)


def test_unwritable_location_fails_before_any_work(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    calls = []

    def f(x):
        calls.append(x)
        return x

    with pytest.raises(OSError, match="is not writable"):
        run_sweep(f, [{"x": 1}], blocker / "s.jsonl")
    assert calls == []
