"""The memory budget sees the process's own cgroup (v1 and v2, every ancestor), and refuses nonsense sizes.

Fake /proc and /sys trees stand for the machine (tunnelsim.memory.PROC_ROOT / SYS_ROOT); one test puts a
child process into a real memory cgroup where the machine allows it (root, a writable cgroup v1 or v2 tree).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tunnelsim import memory

ROOT = Path(__file__).resolve().parents[1]
GIB = 2**30


def _tree(tmp_path, monkeypatch, cgroup: str, mountinfo: str) -> Path:
    proc = tmp_path / "proc" / "self"
    proc.mkdir(parents=True)
    (proc / "cgroup").write_text(cgroup)
    (proc / "mountinfo").write_text(mountinfo)
    monkeypatch.setattr(memory, "PROC_ROOT", tmp_path / "proc")
    monkeypatch.setattr(memory, "SYS_ROOT", tmp_path)
    monkeypatch.setattr(memory, "_meminfo_available", lambda: 64.0 * GIB)
    monkeypatch.setattr(memory, "_rlimit_headroom", lambda: None)
    return tmp_path


def _write(folder: Path, **files: object) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, value in files.items():
        (folder / name.replace("__", ".")).write_text(f"{value}\n")


V1_MOUNTS = ("31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
             "32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
             "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n")


def test_v1_nested_cgroup_limit_is_seen(tmp_path, monkeypatch):
    # The case: a 2 GiB limit on the process's own v1 cgroup, none at the root of the hierarchy.
    root = _tree(tmp_path, monkeypatch, "4:memory:/batch/job42\n1:cpu:/\n0::/\n", V1_MOUNTS)
    mem = root / "sys/fs/cgroup/memory"
    _write(mem, memory__limit_in_bytes=9223372036854771712, memory__usage_in_bytes=10 * GIB)
    _write(mem / "batch", memory__limit_in_bytes=9223372036854771712, memory__usage_in_bytes=GIB)
    _write(mem / "batch/job42", memory__limit_in_bytes=2 * GIB, memory__usage_in_bytes=GIB // 2,
           memory__stat=f"cache 1\ntotal_inactive_file {GIB // 4}\n")
    assert memory._cgroup_headroom() == pytest.approx(2 * GIB - GIB // 4)
    assert memory.available_memory_bytes() == pytest.approx(2 * GIB - GIB // 4)
    with pytest.raises(memory.MemoryBudgetError, match=r"1\.75 GiB available"):
        memory.check_memory(3 * GIB, "a random 2LS N = 27 solve")


def test_v1_tightest_ancestor_wins(tmp_path, monkeypatch):
    root = _tree(tmp_path, monkeypatch, "4:memory:/slice/a/b\n", V1_MOUNTS)
    mem = root / "sys/fs/cgroup/memory"
    _write(mem / "slice", memory__limit_in_bytes=3 * GIB, memory__usage_in_bytes=2 * GIB)
    _write(mem / "slice/a", memory__limit_in_bytes=8 * GIB, memory__usage_in_bytes=GIB)
    _write(mem / "slice/a/b", memory__limit_in_bytes=9223372036854771712, memory__usage_in_bytes=GIB)
    assert memory._cgroup_headroom() == pytest.approx(GIB)  # the slice: 3 GiB less 2 GiB used by all of it


def test_v2_nested_and_unlimited(tmp_path, monkeypatch):
    root = _tree(tmp_path, monkeypatch, "0::/user.slice/session-3.scope\n",
                 "41 31 0:38 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n")
    cg = root / "sys/fs/cgroup"
    _write(cg, memory__current=20 * GIB)  # the root has no memory.max
    _write(cg / "user.slice", memory__max="max", memory__current=3 * GIB)
    _write(cg / "user.slice/session-3.scope", memory__max=4 * GIB, memory__current=GIB,
           memory__stat=f"anon 5\ninactive_file {GIB // 2}\n")
    assert memory._cgroup_headroom() == pytest.approx(3.5 * GIB)
    (cg / "user.slice/session-3.scope/memory.max").write_text("max\n")
    assert memory._cgroup_headroom() is None
    assert memory.available_memory_bytes() == pytest.approx(64.0 * GIB)


def test_container_mount_root_maps_the_path(tmp_path, monkeypatch):
    # A container without a cgroup namespace: /proc/self/cgroup names the host path, the mount's root is the
    # container's own cgroup, so the limit is read at the mount point itself.
    root = _tree(tmp_path, monkeypatch, "0::/system.slice/docker-abc.scope\n",
                 "41 31 0:38 /system.slice/docker-abc.scope /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n")
    _write(root / "sys/fs/cgroup", memory__max=2 * GIB, memory__current=0)
    assert memory._cgroup_headroom() == pytest.approx(2 * GIB)


def test_damaged_or_missing_cgroup_files_are_ignored(tmp_path, monkeypatch):
    root = _tree(tmp_path, monkeypatch, "garbage\n0::/x\n", "not a mountinfo line\n")
    _write(root / "sys/fs/cgroup/x", memory__max="nonsense", memory__current="-5")
    assert memory._cgroup_headroom() is None
    _write(root / "sys/fs/cgroup/x", memory__max=GIB, memory__current="-5")  # default mount point is used
    assert memory._cgroup_headroom() == pytest.approx(GIB)


@pytest.mark.parametrize("needed", [math.nan, -1, -1e-9])
def test_check_memory_refuses_nonsense_sizes(needed):
    with pytest.raises(ValueError, match="needed must be a number of bytes >= 0"):
        memory.check_memory(needed, "x")


@pytest.mark.parametrize("kwargs", [{"fraction": 0.0}, {"fraction": math.nan}, {"fraction": 2},
                                    {"limit": math.nan}, {"limit": -1.0}])
def test_check_memory_refuses_nonsense_options(kwargs):
    with pytest.raises(ValueError, match="fraction|limit"):
        memory.check_memory(1.0, "x", **kwargs)


def test_check_memory_refuses_non_numbers_and_infinite_needs():
    with pytest.raises(TypeError, match="needed"):
        memory.check_memory("1", "x")
    with pytest.raises(memory.MemoryBudgetError, match="would need about inf GiB"):
        memory.check_memory(math.inf, "x")
    with pytest.raises(memory.MemoryBudgetError):
        memory.check_memory(10**400, "x")


def _real_cgroup() -> tuple[Path | None, str]:
    """A fresh child of this process's own memory cgroup with a 512 MiB limit, or (None, why not)."""
    if os.geteuid() != 0:
        return None, "creating a memory cgroup needs root"
    why = "no memory cgroup hierarchy is mounted"
    for version, path in memory._own_cgroups(Path("/proc")):
        folders = memory._cgroup_folders(version, path, Path("/proc"), Path("/"))
        if not folders:
            continue
        child = folders[0] / f"tunnelsim-test-{uuid.uuid4().hex[:8]}"
        try:
            child.mkdir()
        except OSError as exc:
            why = f"cannot create a cgroup under {folders[0]}: {exc.strerror}"
            continue
        try:
            (child / ("memory.limit_in_bytes" if version == "v1" else "memory.max")).write_text(str(512 * 2**20))
            return child, version
        except OSError as exc:
            child.rmdir()
            why = f"cannot set a memory limit in {child}: {exc.strerror}"
    return None, why


def test_real_cgroup_limit_is_seen_by_a_process_inside_it():
    child, why = _real_cgroup()
    if child is None:
        pytest.skip(why)
    code = ("import os, sys\n"
            "open(sys.argv[1] + '/cgroup.procs', 'w').write(str(os.getpid()))\n"
            "from tunnelsim import memory\n"
            "print(memory.available_memory_bytes() / 2**20)\n"
            "try:\n    memory.check_memory(2**30, 'a 1 GiB array')\n"
            "except memory.MemoryBudgetError as e:\n    print('refused:', e)\n")
    try:
        res = subprocess.run([sys.executable, "-c", code, str(child)], capture_output=True, text=True, cwd=ROOT,
                             timeout=120)
    finally:
        for _ in range(50):
            try:
                child.rmdir()
                break
            except OSError:
                time.sleep(0.1)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert float(lines[0]) <= 512.0
    assert lines[1].startswith("refused: a 1 GiB array would need about 1 GiB")
