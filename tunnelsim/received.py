"""Reading files received from elsewhere: regular files only, sizes checked before allocation (shared floor).

Every reader of a file a user may have received (a spectrum, a cluster, a data table, a fit, a study cache, a
sweep file) opens it through these helpers: the file must be a regular file (a FIFO, a device or a folder is
refused at once, the open never blocks), its size or the sizes its headers declare (a .npy header's shape and
dtype, a zip member's uncompressed size) are checked against the memory budget
(:func:`tunnelsim.memory.check_memory`) and an optional cap before anything is allocated, text is decoded as
UTF-8 with an error that names the file and the byte, and pickles are refused. docs/reliability.md states the
guarantees; :mod:`tunnelsim.files` re-exports the helpers.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import stat
import zipfile
from pathlib import Path

import numpy as np

from .memory import check_memory, format_gib

__all__ = ["regular_file", "read_bytes_checked", "read_text_checked", "load_npy_checked", "load_npz_checked"]




def _check_path_arg(path: object, name: str) -> Path:
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or os.PathLike), got {type(path).__name__}")
    if isinstance(path, str) and not path.strip():
        raise ValueError(f"{name} must name a file, got an empty string")
    if "\x00" in os.fspath(path):
        raise ValueError(f"{name} must not contain a NUL character")
    return Path(path)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _open_regular(path: object, name: str) -> tuple[int, Path, int]:
    """Open ``path`` for reading without ever blocking; refuse anything but a regular file.

    The file is opened with ``O_NONBLOCK`` (a FIFO without a writer does not block the open) and then
    checked with ``fstat`` on the open descriptor (no race between the check and the read).
    Returns ``(fd, path, size)``; the caller closes ``fd``.
    """
    p = _check_path_arg(path, name)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(p, flags)
    except FileNotFoundError:
        raise ValueError(f"{name} {os.fspath(p)!r} does not exist") from None
    except IsADirectoryError:
        raise ValueError(f"{name} {os.fspath(p)!r} is a folder, not a file") from None
    except OSError as exc:
        raise ValueError(f"{name} {os.fspath(p)!r} cannot be opened: {exc.strerror}") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise ValueError(f"{name} {os.fspath(p)!r} must be a regular file, but it is {_kind(st.st_mode)}")
    with contextlib.suppress(AttributeError, OSError):
        os.set_blocking(fd, True)
    return fd, p, int(st.st_size)


def regular_file(path: str | os.PathLike, name: str) -> Path:
    """Check that ``path`` names an existing regular file, without ever blocking; return it as a Path.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    name : str
        The parameter name used in error messages.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    TypeError
        ``path`` is not a path.
    ValueError
        The file is missing, a folder, a FIFO, a device, a socket or otherwise not a regular file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "a.txt").write_text("x")
    1
    >>> regular_file(folder / "a.txt", "path").name
    'a.txt'
    >>> try:
    ...     regular_file(folder, "path")
    ... except ValueError as exc:
    ...     print("is a folder" in str(exc))
    True
    """
    fd, p, _size = _open_regular(path, name)
    os.close(fd)
    return p


def _check_size(size: float, p: Path, name: str, max_bytes: float | None, what: str, factor: float = 1.0) -> None:
    if max_bytes is not None and size > max_bytes:
        raise ValueError(f"{name} {os.fspath(p)!r} holds {format_gib(size)} ({int(size)} bytes) of {what}, more than "
                         f"the {format_gib(max_bytes)} (max_bytes = {int(max_bytes)}) accepted")
    check_memory(factor * size, f"reading {name} {os.fspath(p)!r}")


def _check_max(max_bytes: object) -> float | None:
    if max_bytes is None:
        return None
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, (int, float, np.integer, np.floating)) \
            or not math.isfinite(max_bytes) or max_bytes < 0:
        raise ValueError(f"max_bytes must be None or a finite number >= 0, got {max_bytes!r}")
    return float(max_bytes)


def read_bytes_checked(path: str | os.PathLike, name: str, max_bytes: float | None = None) -> bytes:
    """Read a regular file's bytes after checking its size against ``max_bytes`` and the memory budget.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    name : str
        The parameter name used in error messages.
    max_bytes : float, optional
        The largest file accepted.

    Returns
    -------
    bytes

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.bin"
    >>> _ = f.write_bytes(b"abc")
    >>> read_bytes_checked(f, "path")
    b'abc'
    """
    limit = _check_max(max_bytes)
    fd, p, size = _open_regular(path, name)
    with os.fdopen(fd, "rb") as fh:
        _check_size(size, p, name, limit, "data")
        # Read at most one byte beyond the size seen (a file that grows meanwhile is not read without bound).
        data = fh.read(size + 1)
    if limit is not None and len(data) > limit:
        raise ValueError(f"{name} {os.fspath(p)!r} grew beyond the {int(limit)} bytes accepted while it was read")
    return data


def read_text_checked(path: str | os.PathLike, name: str, max_bytes: float | None = None) -> str:
    """Read a regular UTF-8 text file after checking its size; bad bytes give a ValueError naming the file.

    A UTF-8 byte-order mark at the start is dropped. Line ends are kept as they are.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    name : str
        The parameter name used in error messages.
    max_bytes : float, optional
        The largest file accepted (besides the memory budget, which always applies).

    Returns
    -------
    str

    Raises
    ------
    ValueError
        Not a regular file, too large, or not valid UTF-8 (the message gives the byte offset).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = f.write_bytes(b"caf\\xc3\\xa9")
    >>> read_text_checked(f, "path")
    'café'
    """
    data = read_bytes_checked(path, name, max_bytes)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name} {os.fspath(path)!r} is not valid UTF-8 text (bad byte at offset {exc.start})") \
            from None


def _npy_header(fh: io.IOBase, where: str) -> tuple[tuple[int, ...], np.dtype, bool]:
    """Read and validate a .npy header from ``fh`` (no data read); ``where`` names the file in errors."""
    fmt = np.lib.format
    try:
        version = fmt.read_magic(fh)
        if version == (1, 0):
            shape, fortran, dtype = fmt.read_array_header_1_0(fh)
        elif version in ((2, 0), (3, 0)):
            shape, fortran, dtype = fmt.read_array_header_2_0(fh)
        else:
            raise ValueError(f"unsupported version {version}")
    except (ValueError, OSError, EOFError, SyntaxError, TypeError) as exc:
        raise ValueError(f"{where} is not a valid .npy array: {exc}") from None
    if dtype.hasobject:
        raise ValueError(f"{where} holds Python objects (dtype {dtype}); only numeric arrays are accepted")
    if not all(isinstance(n, int) and n >= 0 for n in shape):
        raise ValueError(f"{where} declares an invalid shape {shape}")
    return tuple(shape), dtype, bool(fortran)


def _declared_bytes(shape: tuple[int, ...], dtype: np.dtype) -> int:
    return math.prod(shape) * int(dtype.itemsize)


def load_npy_checked(path: str | os.PathLike, name: str, *, max_bytes: float | None = None) -> np.ndarray:
    """Load a .npy array after checking its header: numeric dtype, declared size held by the file and the budget.

    Parameters
    ----------
    path : str or os.PathLike
        The .npy file.
    name : str
        The parameter name used in error messages.
    max_bytes : float, optional
        The largest array accepted.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ValueError
        Not a regular file, not a .npy array, an object array, a header that declares more data than
        the file holds, or an array over ``max_bytes``.
    MemoryError
        A :class:`tunnelsim.memory.MemoryBudgetError` when the array does not fit in the budget.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.npy"
    >>> np.save(f, np.arange(3.0))
    >>> load_npy_checked(f, "path")
    array([0., 1., 2.])
    """
    limit = _check_max(max_bytes)
    fd, p, size = _open_regular(path, name)
    where = f"{name} {os.fspath(p)!r}"
    with os.fdopen(fd, "rb") as fh:
        shape, dtype, _fortran = _npy_header(fh, where)
        nbytes = _declared_bytes(shape, dtype)
        held = size - fh.tell()
        if nbytes > held:
            raise ValueError(f"{where} is damaged: its header declares {nbytes} bytes of data "
                             f"(shape {shape}, dtype {dtype}) but the file holds {held}")
        _check_size(nbytes, p, name, limit, "array data")
        fh.seek(0)
        try:
            return np.load(fh, allow_pickle=False)
        except (ValueError, OSError, EOFError) as exc:
            raise ValueError(f"{where} is not a valid .npy array: {exc}") from None


def load_npz_checked(path: str | os.PathLike, name: str, *, max_bytes: float | None = None) -> dict[str, np.ndarray]:
    """Load every array of a .npz archive after checking each member's declared sizes against the budget.

    Each member's uncompressed size declared in the zip directory bounds what is inflated (the zip reader
    stops there), and each member's .npy header must declare no more than that; the sum is checked against
    ``max_bytes`` and the memory budget before any array is allocated. Pickled objects are refused.

    Parameters
    ----------
    path : str or os.PathLike
        The .npz file.
    name : str
        The parameter name used in error messages.
    max_bytes : float, optional
        The largest total of array data accepted.

    Returns
    -------
    dict of str to numpy.ndarray
        The arrays, keyed by their names (without ``.npy``).

    Raises
    ------
    ValueError
        Not a regular file, not a zip archive of .npy arrays, damaged, or over ``max_bytes``.
    MemoryError
        A :class:`tunnelsim.memory.MemoryBudgetError` when the arrays do not fit in the budget.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.npz"
    >>> np.savez(f, x=np.arange(2.0))
    >>> load_npz_checked(f, "path")["x"]
    array([0., 1.])
    """
    limit = _check_max(max_bytes)
    fd, p, _size = _open_regular(path, name)
    where = f"{name} {os.fspath(p)!r}"
    with os.fdopen(fd, "rb") as fh:
        try:
            zf = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise ValueError(f"{where} is not a valid .npz archive: {exc}") from None
        with zf:
            infos = zf.infolist()
            total = 0
            for info in infos:
                member = f"{where} (member {info.filename!r})"
                if not info.filename.endswith(".npy") or info.is_dir():
                    raise ValueError(f"{member} is not a .npy array")
                try:
                    with zf.open(info) as mf:
                        shape, dtype, _fortran = _npy_header(mf, member)
                        header_len = mf.tell()
                except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
                    raise ValueError(f"{member} is damaged: {exc}") from None
                nbytes = _declared_bytes(shape, dtype)
                if nbytes > info.file_size - header_len:
                    raise ValueError(f"{member} is damaged: its header declares {nbytes} bytes of data "
                                     f"but the archive declares {info.file_size - header_len}")
                total += nbytes
            _check_size(total, p, name, limit, "array data")
            out: dict[str, np.ndarray] = {}
            for info in infos:
                try:
                    with zf.open(info) as mf:
                        out[info.filename[:-4]] = np.lib.format.read_array(mf, allow_pickle=False)
                except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
                    raise ValueError(f"{where} (member {info.filename!r}) is damaged: {exc}") from None
    return out
