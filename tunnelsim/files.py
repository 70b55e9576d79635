"""Atomic file writing, CSV tables, output-folder checks and locks (shared floor).

Nothing the toolkit writes is ever half-written: every file goes to a temporary file in the same
folder, is flushed and fsync'ed, then renamed over the target with :func:`os.replace` (atomic on
POSIX and Windows). An interrupted run leaves the previous complete file or none, never a torn one.
docs/reliability.md states the guarantees.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = [
    "atomic_write",
    "write_text_atomic",
    "write_bytes_atomic",
    "write_table",
    "check_writable",
    "FolderLockedError",
    "folder_lock",
]


@functools.cache
def _umask() -> int:
    """The process umask, read without changing it where /proc allows (os.umask can only be read by setting it)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _file_mode(path: Path) -> int:
    """The mode a plain ``open(path, "w")`` would leave: the old file's, else 0o666 less the umask (not mkstemp's
    0o600)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", *, newline: str | None = None,
                 encoding: str | None = "utf-8") -> Iterator[io.IOBase]:
    """Context manager: write to a temporary file next to ``path``, then rename it over ``path``.

    Parameters
    ----------
    path : path-like
        The target file; its folder is created if missing.
    mode : {"w", "wb"}
        Text or binary.
    newline, encoding
        As for :func:`open` (text mode only).

    Yields
    ------
    file object
        Write to it; on a clean exit it is fsync'ed and replaces ``path``; on an exception the
        temporary file is removed and ``path`` is left as it was.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"mode must be 'w' or 'wb', got {mode!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        kwargs = {} if mode == "wb" else {"newline": newline, "encoding": encoding}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; returns the path."""
    with atomic_write(path) as fh:
        fh.write(text)
    return Path(path)


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path."""
    with atomic_write(path, "wb") as fh:
        fh.write(data)
    return Path(path)


def write_table(path: str | os.PathLike, header: Sequence[str], rows: Sequence[Sequence],
                float_format: str | None = None, *, comment: str = "") -> Path:
    """Write a CSV table (``comment`` lines prefixed '# ', one header row, then ``rows``) atomically.

    Every row must have as many cells as the header (no silent truncation). ``float_format``
    (e.g. ``".8g"``) formats the float cells; other cells are written as they are. Lines end in '\\n'.

    Returns
    -------
    pathlib.Path
    """
    header = list(header)
    rows = [list(r) for r in rows]
    for i, r in enumerate(rows):
        if len(r) != len(header):
            raise ValueError(f"row {i} of the table for {os.fspath(path)} has {len(r)} cells, "
                             f"the header has {len(header)}")
    with atomic_write(path, newline="") as fh:
        for line in comment.splitlines():
            fh.write(f"# {line}\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([format(v, float_format) if float_format and isinstance(v, float) else v for v in r])
    return Path(path)


def check_writable(folder: str | os.PathLike, name: str = "out_dir") -> Path:
    """Create ``folder`` if needed and check that files can be created in it, before any work.

    Raises
    ------
    ValueError
        When ``folder`` is empty text.
    PermissionError, OSError
        With a message naming the folder, when it cannot be created or written.
    """
    if isinstance(folder, str) and not folder.strip():
        raise ValueError(f"{name} must name a folder, got an empty string")
    path = Path(folder)
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".write-test.", dir=path)
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        raise type(exc)(exc.errno, f"{name} {os.fspath(path)!r} is not writable: {exc.strerror}") from exc
    return path


class FolderLockedError(RuntimeError):
    """Another run holds the lock of this output folder."""


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike, *, wait: float = 0.0, name: str = ".lock") -> Iterator[Path]:
    """Hold an exclusive lock on an output folder while a run writes into it.

    The lock is an ``fcntl.flock`` on ``folder/.lock`` (released by the OS even if the process is
    killed). A second run waits up to ``wait`` seconds, then raises :class:`FolderLockedError` with a
    clear message. Where ``fcntl`` does not exist the lock is a no-op.
    """
    path = check_writable(folder)
    lock_path = path / name
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield lock_path
        return
    fh = open(lock_path, "a+")  # noqa: SIM115 - held for the duration of the context
    try:
        deadline = time.monotonic() + max(float(wait), 0.0)
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise FolderLockedError(
                        f"another run is writing into {os.fspath(path)!r} (lock {lock_path.name} held); "
                        "wait for it to finish or choose another output folder") from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        yield lock_path
    finally:
        fh.close()
