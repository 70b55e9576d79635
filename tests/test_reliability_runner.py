"""`tunnelsim reproduce` heals damaged caches and outputs, refuses a bad output tree at once and stops on a full disk.

The studies here are two small stand-ins (stand-in packages, STEPS patched), so each test runs in well
under a second; the checks are the runner's own (tunnelsim/studies/runner.py), the same for every study.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import sys
import time
import types
import warnings

import numpy as np
import pytest

from tunnelsim.files import write_table
from tunnelsim.stats import Reference
from tunnelsim.studies import runner
from tunnelsim.studies.claims import Claim, Finding, FindingKind, Measured, Regime, Tolerance
from tunnelsim.studies.report import export_report

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x00IEND\xaeB`\x82"
RUNS: list[str] = []


def _study_a(out_dir, quick, executor):
    RUNS.append("a")
    (out_dir / "fig_a.png").write_bytes(PNG)
    write_table(out_dir / "table_a.csv", ["x", "y"], [[1, 2.5]])
    np.savez(out_dir / "data_a.npz", x=np.arange(3.0))
    return [Claim("the splitting is 1", "paper eq. 1", Regime("weak fields", {"phi": (0.0, 0.5)}), {"phi": 0.1},
                  Measured(1.0, 0.01), Reference(1.0, 0.0, "closed form"), Tolerance(0.1, "round-off"), "here",
                  figure="fig_a.png")]


def _study_b(out_dir, quick, executor):
    RUNS.append("b")
    return [Finding(FindingKind.TIMING, "time", "1 s", "there")]


@pytest.fixture
def steps(monkeypatch):
    RUNS.clear()
    fake_a = types.SimpleNamespace(__name__="fake.a", run=_study_a)  # a study package stands in: step name "a"
    fake_b = types.SimpleNamespace(__name__="fake.b", run=_study_b)
    monkeypatch.setattr(runner, "STEPS", (runner.Step(fake_a, "Study A"), runner.Step(fake_b, "Study B")))
    monkeypatch.setattr(runner, "source_hash", lambda: "fixed")
    return RUNS


def _reproduce(out):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        runner.reproduce(out, quick=True, progress=False)
    return [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]


def _rehash(cache):
    data = json.loads(cache.read_text())
    body = {k: v for k, v in data.items() if k != "sha256"}
    cache.write_text(json.dumps({**body, "sha256": runner._digest(body)}))


def test_clean_rerun_uses_the_caches(tmp_path, steps):
    assert _reproduce(tmp_path) == []
    assert _reproduce(tmp_path) == []
    assert steps == ["a", "b"]
    assert "(cached)" in (tmp_path / "report.md").read_text()


def test_wrong_field_type_with_a_valid_hash_is_recomputed(tmp_path, steps):
    _reproduce(tmp_path)
    cache = tmp_path / ".cache" / "step-a.json"
    data = json.loads(cache.read_text())
    data["claims"][0]["regime"]["bounds"] = [["phi", 0, 1]]  # the case: AttributeError past the handler
    cache.write_text(json.dumps(data))
    _rehash(cache)
    messages = _reproduce(tmp_path)
    assert steps == ["a", "b", "a"]
    assert any(str(cache) in m and "damaged" in m and "row 0 is invalid" in m for m in messages)
    assert "This study failed" not in (tmp_path / "report.md").read_text()


def test_altered_value_is_detected_by_the_content_hash(tmp_path, steps):
    _reproduce(tmp_path)
    before = (tmp_path / "report.md").read_text()
    cache = tmp_path / ".cache" / "step-a.json"
    data = json.loads(cache.read_text())
    data["claims"][0]["measured"]["value"] = 5.0  # would turn the verdict around
    cache.write_text(json.dumps(data))
    messages = _reproduce(tmp_path)
    assert steps == ["a", "b", "a"]
    assert any("does not match its hash" in m and str(cache) in m for m in messages)
    assert (tmp_path / "report.md").read_text().replace(" (cached)", "") == before.replace(" (cached)", "")


@pytest.mark.parametrize("damage", ["utf8", "truncated", "fifo", "folder", "not_a_dict"])
def test_damaged_cache_files_are_recomputed_never_fail(tmp_path, steps, damage):
    _reproduce(tmp_path)
    cache = tmp_path / ".cache" / "step-a.json"
    raw = cache.read_bytes()
    if damage == "utf8":
        cache.write_bytes(raw[:40] + b"\xff" + raw[41:])
    elif damage == "truncated":
        cache.write_bytes(raw[: len(raw) // 2])
    elif damage == "not_a_dict":
        cache.write_text("[1, 2]")
    else:
        cache.unlink()
        os.mkfifo(cache) if damage == "fifo" else cache.mkdir()
    if damage == "folder":  # a folder in the cache's place cannot be replaced: refused before any work
        with pytest.raises(IsADirectoryError, match="step-a.json must be a file"):
            _reproduce(tmp_path)
        assert steps == ["a", "b"]
        return
    messages = _reproduce(tmp_path)
    assert steps == ["a", "b", "a"]
    assert any(str(cache) in m for m in messages)


def test_figure_path_from_a_cache_is_confined_to_the_output_folder(tmp_path, steps):
    _reproduce(tmp_path)
    elsewhere = tmp_path / "elsewhere.png"
    elsewhere.write_bytes(PNG)
    out = tmp_path / "out"
    _reproduce(out)
    cache = out / ".cache" / "step-a.json"
    data = json.loads(cache.read_text())
    data["claims"][0]["figure"] = str(elsewhere)  # an absolute path, with a valid hash
    cache.write_text(json.dumps(data))
    _rehash(cache)
    messages = _reproduce(out)
    assert any("not a plain file name" in m for m in messages)
    assert str(elsewhere) not in (out / "report.md").read_text()


@pytest.mark.parametrize("output", ["table_a.csv", "data_a.npz", "fig_a.png"])
def test_broken_outputs_are_noticed_by_a_cached_rerun(tmp_path, steps, output):
    _reproduce(tmp_path)
    target = tmp_path / output
    target.write_bytes(target.read_bytes()[:-3])
    messages = _reproduce(tmp_path)
    assert steps == ["a", "b", "a"]
    assert any(str(target) in m for m in messages)
    _reproduce(tmp_path)
    assert steps == ["a", "b", "a"]  # healed: the next run is cached again


def test_stale_temporaries_are_removed_live_ones_kept(tmp_path, steps):
    stale = tmp_path / ".fig_a.png.abcd1234.tmp"
    stale.write_bytes(b"half a figure")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    live = tmp_path / ".table.csv.live0000.tmp"
    live.write_bytes(b"being written")
    os.utime(live, (old, old))
    other = tmp_path / ".someone_else.tmp"  # not a name this toolkit makes
    other.write_bytes(b"x")
    os.utime(other, (old, old))
    with open(live, "rb") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)  # a writer still holds it
        messages = _reproduce(tmp_path)
    assert not stale.exists()
    assert live.exists() and other.exists()
    assert any(str(stale) in m for m in messages)


def test_cache_that_is_a_file_is_refused_before_any_work(tmp_path, steps):
    (tmp_path / ".cache").write_text("not a folder")
    t0 = time.process_time()
    with pytest.raises(NotADirectoryError, match=r"\.cache must be a folder"):
        runner.reproduce(tmp_path, quick=True, progress=False)
    assert steps == []
    assert time.process_time() - t0 < 5.0


def test_disk_full_stops_at_once_names_the_file_and_writes_the_partial_report(tmp_path, steps, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "write_table", lambda path, *a, **k: _atomic_full(path))
    with pytest.raises(OSError) as info:
        runner.reproduce(tmp_path, quick=True, progress=False)
    assert info.value.errno == errno.ENOSPC
    assert "table_a.csv" in str(info.value) and "study a" in str(info.value)
    assert steps == ["a"]  # study b never started
    assert (tmp_path / "report.partial.md").exists()
    assert not (tmp_path / "table_a.csv").exists()
    assert not list(tmp_path.glob(".table_a.csv.*.tmp"))


def _atomic_full(path):
    """An atomic write whose write() finds the disk full (the temporary file is removed, the file is named)."""
    from tunnelsim.files import atomic_write

    with atomic_write(path) as fh:
        fh.write("x")
        raise OSError(errno.ENOSPC, "No space left on device")


def test_export_report_refuses_links_outside_its_folders(tmp_path, steps):
    out, docs = tmp_path / "out", tmp_path / "site" / "docs"
    _reproduce(out)
    page = export_report(out, docs)
    assert (docs / "figures" / "report" / "fig_a.png").read_bytes() == PNG
    assert "figures/report/fig_a.png" in page.read_text()
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    for link in ("../secret.png", str(secret), "sub/../../secret.png", "..\\secret.png"):
        (out / "report.md").write_text(f"# tunnelsim verification report\n\n![x]({link})\n")
        with pytest.raises(ValueError, match="not a plain file name"):
            export_report(out, docs)
    assert sorted(p.name for p in (tmp_path / "site").rglob("*") if p.is_file()) == ["fig_a.png", "report.md"]
