"""Files a user may have received are untrusted: regular files only, sizes checked before allocation, bytes
decoded defensively, records validated, damage skipped or recomputed with a warning that names the file."""

from __future__ import annotations

import io
import json
import os
import threading
import warnings
import zipfile

import numpy as np
import pytest

from tunnelsim import files, memory
from tunnelsim.sweep import load_results, run_sweep

MIB = 2**20


def _quick(func, *args, **kwargs):
    """Run ``func`` in a thread and require an answer within 10 s (a blocked open would never return)."""
    out: dict = {}

    def target():
        try:
            out["value"] = func(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            out["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(10.0)
    assert not thread.is_alive(), f"{func.__name__} blocked"
    if "error" in out:
        raise out["error"]
    return out.get("value")


@pytest.fixture
def small_budget(monkeypatch):
    """A machine with 150 MiB available (budget 120 MiB): a 160 MiB allocation must be refused."""
    monkeypatch.setattr(memory, "available_memory_bytes", lambda: 150.0 * MIB)


@pytest.mark.parametrize("reader", [files.regular_file, files.read_text_checked, files.read_bytes_checked,
                                    files.load_npy_checked, files.load_npz_checked])
def test_fifo_folder_device_and_missing_files_are_refused_without_blocking(tmp_path, reader):
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    for path, why in ((fifo, "FIFO"), (tmp_path, "folder"), ("/dev/null", "device"),
                      (tmp_path / "nope", "does not exist")):
        with pytest.raises(ValueError, match=f"^the_file .*{why}"):
            _quick(reader, path, "the_file")
    with pytest.raises(TypeError, match="the_file must be a path"):
        reader(3, "the_file")


def test_text_is_decoded_defensively(tmp_path):
    f = tmp_path / "a.json"
    f.write_bytes(b"\xef\xbb\xbf{\"x\": 1}")  # a BOM is dropped
    assert json.loads(files.read_text_checked(f, "path")) == {"x": 1}
    f.write_bytes(b'{"x": "caf\xe9"}')  # Latin-1, not UTF-8
    with pytest.raises(ValueError, match=r"a\.json' is not valid UTF-8 text \(bad byte at offset 10\)"):
        files.read_text_checked(f, "path")
    with pytest.raises(ValueError, match="more than the"):
        files.read_text_checked(f, "path", max_bytes=4)
    with pytest.raises(ValueError, match="max_bytes"):
        files.read_text_checked(f, "path", max_bytes=float("nan"))


def test_file_size_is_checked_against_the_budget_before_reading(tmp_path, small_budget):
    f = tmp_path / "big.txt"
    with open(f, "wb") as fh:
        fh.truncate(160 * MIB)  # sparse: no disk used
    with pytest.raises(memory.MemoryBudgetError, match="reading path .*big.txt"):
        files.read_text_checked(f, "path")


def _npy_header(shape, dtype="<f8") -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": dtype, "fortran_order": False, "shape": shape})
    return buf.getvalue()


def test_npy_header_that_declares_more_than_the_file_holds(tmp_path):
    f = tmp_path / "bomb.npy"
    f.write_bytes(_npy_header((1_000_000_000,)) + b"\x00" * 1000)  # 1.2 KB asking for 7.45 GiB
    with pytest.raises(ValueError, match=r"damaged: its header declares 8000000000 bytes .* holds 1000"):
        files.load_npy_checked(f, "path")


def test_npy_declared_size_is_checked_against_the_budget(tmp_path, small_budget):
    f = tmp_path / "big.npy"
    header = _npy_header((20 * MIB,))  # 160 MiB of float64, really there (a sparse file)
    with open(f, "wb") as fh:
        fh.write(header)
        fh.truncate(len(header) + 160 * MIB)
    with pytest.raises(memory.MemoryBudgetError, match="1.6e\\+02|0.156 GiB"):
        files.load_npy_checked(f, "path")


def test_npy_objects_and_garbage_are_refused(tmp_path):
    f = tmp_path / "obj.npy"
    np.save(f, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match="holds Python objects"):
        files.load_npy_checked(f, "path")
    f.write_bytes(b"not an array at all")
    with pytest.raises(ValueError, match="is not a valid .npy array"):
        files.load_npy_checked(f, "path")
    np.save(f, np.arange(4.0))
    np.testing.assert_array_equal(files.load_npy_checked(f, "path"), np.arange(4.0))


def _zip_bomb(path, mib: int) -> None:
    """A .npz whose one member inflates to ``mib`` MiB of zeros (written in pieces: the test stays small)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("x.npy", "w", force_zip64=True) as fh:
        fh.write(_npy_header((mib * MIB // 8,)))
        chunk = bytes(MIB)
        for _ in range(mib):
            fh.write(chunk)


def test_npz_member_sizes_are_checked_before_inflating(tmp_path, small_budget):
    f = tmp_path / "bomb.npz"
    _zip_bomb(f, 160)
    assert f.stat().st_size < MIB  # a small file...
    with pytest.raises(memory.MemoryBudgetError, match="reading path"):  # ...refused before it inflates
        files.load_npz_checked(f, "path")
    with pytest.raises(ValueError, match="more than the"):
        files.load_npz_checked(f, "path", max_bytes=MIB)


def test_npz_member_header_that_lies_and_pickles_are_refused(tmp_path):
    f = tmp_path / "lie.npz"
    with zipfile.ZipFile(f, "w") as zf:
        zf.writestr("x.npy", _npy_header((10**6,)) + bytes(80))
    with pytest.raises(ValueError, match=r"member 'x.npy'\) is damaged: its header declares 8000000 bytes"):
        files.load_npz_checked(f, "path")
    np.savez(f, x=np.array([None, 1], dtype=object))
    with pytest.raises(ValueError, match="holds Python objects"):
        files.load_npz_checked(f, "path")
    f.write_bytes(b"PK\x03\x04 garbage")
    with pytest.raises(ValueError, match="is not a valid .npz archive"):
        files.load_npz_checked(f, "path")


def _square(x):
    return [x, x * x]


def test_sweep_file_with_invalid_utf8_is_repaired_not_fatal(tmp_path):
    path = tmp_path / "s.jsonl"
    points = [{"x": float(i)} for i in range(4)]
    first = run_sweep(_square, points, path, progress=False)
    lines = path.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b'"x"', b'"\xff"', 1)
    path.write_bytes(b"\n".join(lines))
    with pytest.warns(RuntimeWarning, match=rf"{path.name}: removed 1 damaged line\(s\) \[2\]"):
        again = run_sweep(_square, points, path, progress=False)
    assert again == first


def test_sweep_record_of_the_wrong_shape_is_recomputed(tmp_path):
    path = tmp_path / "s.jsonl"
    points = [{"x": float(i)} for i in range(3)]

    def pair(result):
        if not (isinstance(result, list) and len(result) == 2):
            raise ValueError("a result must be a pair")

    first = run_sweep(_square, points, path, progress=False, check=pair)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    rows[2]["result"] = {"not": "a pair"}  # the right key, the wrong shape
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.warns(RuntimeWarning, match=r"removed 1 damaged line\(s\) \[3\]"):
        again = run_sweep(_square, points, path, progress=False, check=pair)
    assert again == first
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(load_results(path, _square, check=pair)) == 3  # healed: the new record is there


def test_sweep_file_that_is_a_fifo_is_refused(tmp_path):
    path = tmp_path / "s.jsonl"
    os.mkfifo(path)
    with pytest.raises(ValueError, match="must be a regular file, but it is a FIFO"):
        _quick(load_results, path)


def test_folder_lock_refuses_endless_waits(tmp_path):
    for wait in (float("nan"), float("inf"), -1.0, "5", True):
        with pytest.raises(ValueError, match="wait must be a finite number of seconds"):
            with files.folder_lock(tmp_path, wait=wait):
                pass
    with pytest.raises(ValueError, match="plain file name"):
        with files.folder_lock(tmp_path, name="../x"):
            pass
