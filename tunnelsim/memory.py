"""The memory budget, checked before any large allocation (shared floor).

The budget of one computation is a fraction (default 0.8) of the memory a new allocation can
really get: the minimum of the machine's ``MemAvailable`` (``/proc/meminfo``), the headroom left
under the address-space limit (``ulimit -v`` / ``RLIMIT_AS``) and the headroom left under the
control group's limit (cgroup v2 ``memory.max`` or v1 ``memory.limit_in_bytes``). Every path that
may allocate more than ~100 MiB estimates its need first and calls :func:`check_memory`, which
raises :class:`MemoryBudgetError` naming the GiB needed and the GiB available, instead of letting the
process be killed half-way. docs/reliability.md states the guarantee.
"""

from __future__ import annotations

import os
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


def _read_number(path: Path) -> float | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    if not text or text == "max":
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return None if value >= 2.0**62 else value


def _cgroup_headroom() -> float | None:
    base = Path("/sys/fs/cgroup")
    for limit_name, usage_name in (("memory.max", "memory.current"),
                                   ("memory/memory.limit_in_bytes", "memory/memory.usage_in_bytes")):
        limit = _read_number(base / limit_name)
        if limit is not None:
            usage = _read_number(base / usage_name) or 0.0
            return max(limit - usage, 0.0)
    return None


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
    if needed <= SMALL_BYTES and limit is None:
        return
    avail = available_memory_bytes()
    budget = fraction * avail if limit is None else min(float(limit), avail)
    if needed > budget:
        tail = f"; {hint}" if hint else ""
        raise error(f"{what} would need about {format_gib(needed)} of memory, but only {format_gib(budget)} "
                    f"may be used ({format_gib(avail)} available to this process){tail}")
