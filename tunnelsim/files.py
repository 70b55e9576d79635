"""Atomic file writing, CSV tables, output-folder checks and locks (shared floor).

Nothing the toolkit writes is ever half-written: every file goes to a temporary file in the same
folder, is flushed and fsync'ed, then renamed over the target with :func:`os.replace` (atomic on
POSIX and Windows). An interrupted run leaves the previous complete file or none, never a torn one.
docs/reliability.md states the guarantees.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import functools
import io
import math
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from .received import load_npy_checked, load_npz_checked, read_bytes_checked, read_text_checked, regular_file

__all__ = [
    "atomic_write",
    "write_text_atomic",
    "write_bytes_atomic",
    "write_table",
    "check_writable",
    "FolderLockedError",
    "folder_lock",
    "regular_file",
    "read_text_checked",
    "read_bytes_checked",
    "load_npy_checked",
    "load_npz_checked",
    "remove_stale_temporaries",
    "named_disk_error",
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


def _lock_fd(fd: int) -> None:
    with contextlib.suppress(ImportError, OSError):
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


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
    _lock_fd(fd)  # marks the temporary file as in use (remove_stale_temporaries leaves it alone)
    try:
        kwargs = {} if mode == "wb" else {"newline": newline, "encoding": encoding}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT) and exc.filename is None:
            raise named_disk_error(exc, path) from exc
        raise


def named_disk_error(exc: OSError, path: str | os.PathLike) -> OSError:
    """``exc`` (a full disk or quota error raised by a write, which names no file) as one that names ``path``.

    Examples
    --------
    >>> import errno
    >>> named_disk_error(OSError(errno.ENOSPC, "No space left on device"), "out/a.csv").filename
    'out/a.csv'
    """
    return OSError(exc.errno, exc.strerror or os.strerror(exc.errno), os.fspath(path))


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
    if isinstance(wait, bool) or not isinstance(wait, (int, float, np.integer, np.floating)) \
            or not math.isfinite(wait) or wait < 0:
        raise ValueError(f"wait must be a finite number of seconds >= 0, got {wait!r}")
    if not isinstance(name, str) or not name or "/" in name or name in (".", ".."):
        raise ValueError(f"name must be a plain file name, got {name!r}")
    path = check_writable(folder)
    lock_path = path / name
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield lock_path
        return
    fh = open(lock_path, "a+")  # noqa: SIM115 - held for the duration of the context
    try:
        deadline = time.monotonic() + float(wait)
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


# mkstemp names: prefix, 8 characters of [a-z0-9_], suffix.
_TMP_RE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def remove_stale_temporaries(folder: str | os.PathLike, *, before: float, recursive: bool = True) -> list[Path]:
    """Remove this toolkit's leftover temporary files (``.NAME.XXXXXXXX.tmp``) from ``folder``.

    Only files last modified before ``before`` (a :func:`time.time` stamp, e.g. the start of the
    current run) and not locked by a writer (:func:`atomic_write` holds an ``flock`` on its temporary
    file while it writes) are removed: the leftovers of a killed run. Symbolic links are not followed.

    Parameters
    ----------
    folder : path-like
        The output folder.
    before : float
        Seconds since the epoch; newer files are kept.
    recursive : bool
        Whether to look into subfolders.

    Returns
    -------
    list of pathlib.Path
        The files removed.

    Examples
    --------
    >>> import os, tempfile, time, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / ".fig.png.abcd1234.tmp").write_bytes(b"half")
    >>> os.utime(folder / ".fig.png.abcd1234.tmp", (0, 0))
    >>> [p.name for p in remove_stale_temporaries(folder, before=time.time())]
    ['.fig.png.abcd1234.tmp']
    """
    if isinstance(before, bool) or not isinstance(before, (int, float)) or not math.isfinite(before):
        raise ValueError(f"before must be a finite time stamp in seconds, got {before!r}")
    root = Path(folder)
    if not root.is_dir():
        return []
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        fcntl = None
    walker = os.walk(root) if recursive else [(str(root), [], os.listdir(root))]
    removed = []
    for dirpath, _dirs, files in walker:
        for fname in files:
            if not _TMP_RE.match(fname):
                continue
            path = Path(dirpath) / fname
            with contextlib.suppress(OSError):
                st = path.lstat()
                if not stat.S_ISREG(st.st_mode) or st.st_mtime >= before:
                    continue
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
                try:
                    if fcntl is not None:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises when a writer holds it
                    os.unlink(path)
                    removed.append(path)
                finally:
                    os.close(fd)
    return removed
