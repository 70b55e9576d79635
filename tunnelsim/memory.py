"""The memory budget, checked before any large allocation (shared floor).

The budget of one computation is a fraction (default 0.8) of the memory a new allocation can
really get: the minimum of the machine's ``MemAvailable`` (``/proc/meminfo``), the headroom left
under the address-space limit (``ulimit -v`` / ``RLIMIT_AS``) and the headroom left under the memory
limits of the process's own control group and of every ancestor (the path from ``/proc/self/cgroup``,
the mount from ``/proc/self/mountinfo``; v2 ``memory.max`` less ``memory.current``, v1
``memory.limit_in_bytes`` less ``memory.usage_in_bytes``, both less reclaimable page cache). Every path that
may allocate more than ~100 MiB estimates its need first and calls :func:`check_memory`, which
raises :class:`MemoryBudgetError` naming the GiB needed and the GiB available, instead of letting the
process be killed half-way. docs/reliability.md states the guarantee.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import os
import re
from pathlib import Path

__all__ = [
    "GIB",
    "MemoryBudgetError",
    "available_memory_bytes",
    "format_gib",
    "check_memory",
]

GIB = 1024.0**3
#: Estimates below this many bytes are never refused (small work runs without the check's cost).
SMALL_BYTES = 100 * 1024.0**2
# Fallback when nothing can be read: assume 4 GiB.
_FALLBACK_BYTES = 4 * GIB


class MemoryBudgetError(MemoryError, ValueError):
    """A computation would exceed the memory budget.

    Derives from :class:`MemoryError` and :class:`ValueError`: it is both a memory problem and bad
    input (a size too large for the method).
    """


def _meminfo_available() -> float | None:
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024.0
    except OSError:
        pass
    try:
        return float(os.sysconf("SC_AVPHYS_PAGES")) * float(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def _rlimit_headroom() -> float | None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft in (resource.RLIM_INFINITY, -1):
        return None
    used = 0.0
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    used = float(line.split()[1]) * 1024.0
                    break
    except OSError:
        pass
    return max(float(soft) - used, 0.0)


#: Roots of the files the budget reads; tests point them at fake trees.
PROC_ROOT = Path("/proc")
SYS_ROOT = Path("/")


def _read_number(path: Path) -> float | None:
    try:
        text = path.read_text().strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not text or text == "max":
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return None if not math.isfinite(value) or value >= 2.0**62 or value < 0 else value


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(errors="replace").splitlines()
    except OSError:
        return []


def _stat_value(folder: Path, key: str) -> float:
    for line in _read_lines(folder / "memory.stat"):
        parts = line.split()
        if len(parts) == 2 and parts[0] == key:
            with contextlib.suppress(ValueError):
                return max(float(parts[1]), 0.0)
    return 0.0


def _own_cgroups(proc: Path) -> list[tuple[str, str]]:
    """``[(version, path)]`` of this process's memory cgroups from ``/proc/self/cgroup``: v1 "memory", v2 "0::"."""
    found = []
    for line in _read_lines(proc / "self" / "cgroup"):
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        hid, controllers, path = parts
        if hid == "0" and controllers == "":
            found.append(("v2", path))
        elif "memory" in controllers.split(","):
            found.append(("v1", path))
    return found


def _unescape(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _mounts(proc: Path, version: str) -> list[tuple[str, str]]:
    """``[(root inside the hierarchy, mount point)]`` of the cgroup filesystems of ``version`` (mountinfo)."""
    out = []
    for line in _read_lines(proc / "self" / "mountinfo"):
        left, sep, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if not sep or len(fields) < 5 or len(tail) < 3:
            continue
        fstype, options = tail[0], tail[2].split(",")
        if (version == "v2" and fstype == "cgroup2") or (version == "v1" and fstype == "cgroup"
                                                          and "memory" in options):
            out.append((_unescape(fields[3]), _unescape(fields[4])))
    return out


def _cgroup_folders(version: str, cg_path: str, proc: Path, sys_root: Path) -> list[Path]:
    """The folders of the process's cgroup and of every ancestor visible under the mount, innermost first."""
    mounts = _mounts(proc, version) or [("/", "/sys/fs/cgroup" if version == "v2" else "/sys/fs/cgroup/memory")]
    for root, point in mounts:
        rel = os.path.relpath(cg_path, root) if root != "/" else cg_path.lstrip("/")
        if rel.startswith(".."):  # the process's cgroup lies outside this mount's root: only the root is seen
            rel = "."
        base = sys_root / point.lstrip("/")
        if not base.is_dir():
            continue
        folders, parts = [], [p for p in Path(rel).parts if p not in (".", "/")]
        for depth in range(len(parts), -1, -1):
            folders.append(base.joinpath(*parts[:depth]))
        return folders
    return []


def _cgroup_headroom(proc: Path | None = None, sys_root: Path | None = None) -> float | None:
    """Bytes left under the tightest memory limit of this process's cgroup and its ancestors.

    Reads the cgroup paths in ``/proc/self/cgroup`` (v1 "memory" controller and v2), finds their mounts in
    ``/proc/self/mountinfo``, and for the cgroup and every ancestor up to the mount root takes the limit
    (v2 ``memory.max``, v1 ``memory.limit_in_bytes``) less the usage (``memory.current`` /
    ``memory.usage_in_bytes``) less the reclaimable page cache (``inactive_file`` in ``memory.stat``).
    Returns None where no limit is set.
    """
    proc = PROC_ROOT if proc is None else Path(proc)
    sys_root = SYS_ROOT if sys_root is None else Path(sys_root)
    names = {"v2": ("memory.max", "memory.current", "inactive_file"),
             "v1": ("memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file")}
    best = None
    for version, cg_path in _own_cgroups(proc):
        limit_name, usage_name, cache_key = names[version]
        for folder in _cgroup_folders(version, cg_path, proc, sys_root):
            limit = _read_number(folder / limit_name)
            if limit is None:
                continue
            usage = _read_number(folder / usage_name) or 0.0
            usage = max(usage - _stat_value(folder, cache_key), 0.0)
            room = max(limit - usage, 0.0)
            best = room if best is None else min(best, room)
    return best


def available_memory_bytes() -> float:
    """Bytes a new allocation can get: min(MemAvailable, RLIMIT_AS headroom, cgroup headroom).

    Returns
    -------
    float
        Bytes (4 GiB when nothing can be read).
    """
    values = [v for v in (_meminfo_available(), _rlimit_headroom(), _cgroup_headroom()) if v is not None]
    return min(values) if values else _FALLBACK_BYTES


def format_gib(nbytes: float) -> str:
    """Format a byte count as GiB with three significant digits (e.g. ``'2.5 GiB'``)."""
    return f"{nbytes / GIB:.3g} GiB"


def _check_bytes(value: object, name: str) -> float:
    """A byte count: a real number, finite (inf is allowed: it never fits) and >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number of bytes, got {type(value).__name__} ({value!r})")
    try:
        value = float(value)
    except OverflowError:  # an int beyond float range: never fits
        value = math.inf
    if math.isnan(value) or value < 0:
        raise ValueError(f"{name} must be a number of bytes >= 0, got {value!r}")
    return value


def check_memory(needed: float, what: str, *, fraction: float = 0.8, limit: float | None = None,
                 hint: str = "", error: type[MemoryBudgetError] = MemoryBudgetError) -> None:
    """Raise ``error`` (a :class:`MemoryBudgetError`) when ``needed`` bytes exceed the budget.

    Parameters
    ----------
    needed : float
        Estimated peak bytes of the computation.
    what : str
        What would be allocated, named in the message.
    fraction : float
        Fraction of the available memory one computation may use.
    limit : float, optional
        An explicit budget in bytes (capped by the available memory).
    hint : str
        How to do with less (appended to the message).
    error : type
        The exception class to raise (a subclass of :class:`MemoryBudgetError`).
    """
    needed = _check_bytes(needed, "needed")
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0.0 < fraction <= 1.0:
        raise ValueError(f"fraction must be a number in (0, 1], got {fraction!r}")
    if limit is not None:
        limit = _check_bytes(limit, "limit")
    if needed <= SMALL_BYTES and limit is None:
        return
    avail = available_memory_bytes()
    budget = fraction * avail if limit is None else min(float(limit), avail)
    if needed > budget:
        tail = f"; {hint}" if hint else ""
        raise error(f"{what} would need about {format_gib(needed)} of memory, but only {format_gib(budget)} "
                    f"may be used ({format_gib(avail)} available to this process){tail}")
