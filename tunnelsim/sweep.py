"""Parameter sweeps that write each result as it arrives and resume after an interruption (shared floor).

A sweep maps a function over a list of parameter points (dicts). Every finished point is appended
at once, as one JSON line, to the output file; re-running the same sweep skips the points already
in the file. Work is spread over any :class:`concurrent.futures.Executor` (a local process pool, or
a dask.distributed cluster through ``Client.get_executor()``).

Safety (docs/reliability.md): the output folder is checked writable before any work; a lock file
keeps two runs from appending to the same file; a torn last line (an interrupted write) is cut off
before appending; damaged lines elsewhere are skipped with a warning; every record carries the
function's qualified name and a hash of its source, so a changed function never returns stale
results; a point that raises is recorded with its error and retried on the next run, while the
other points go on.

Ctrl-C: a KeyboardInterrupt (also one that a compiled kernel wraps, e.g. numba's ``SystemError``
whose ``__cause__`` is the KeyboardInterrupt: :func:`is_interrupt`) stops the sweep at once: pending
points are cancelled, the worker processes of a :func:`process_pool` are ended, the finished points
stay in the file (a rerun resumes) and KeyboardInterrupt is raised again, with the finished rows as
its ``partial`` attribute. Workers of :func:`process_pool` ignore SIGINT, so Ctrl-C prints no worker
tracebacks.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import itertools
import json
import multiprocessing
import os
import signal
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import numpy as np

from .files import check_writable, folder_lock, named_disk_error, read_bytes_checked, write_bytes_atomic
from .progress import progress_bar
from .validation import check_callable, check_choice

__all__ = ["grid", "point_key", "function_key", "load_results", "run_sweep", "SweepError", "is_interrupt",
           "process_pool"]


def is_interrupt(exc: BaseException | None) -> bool:
    """True if ``exc`` is a KeyboardInterrupt or has one in its ``__cause__`` / ``__context__`` chain.

    numba (and other compiled code) re-raises a Ctrl-C that arrives inside a kernel as
    ``SystemError(...)`` caused by the KeyboardInterrupt; such an error is an interrupt, not a failure.

    Examples
    --------
    >>> try:
    ...     raise SystemError("CPUDispatcher(...) returned a result with an exception set") from KeyboardInterrupt()
    ... except SystemError as err:
    ...     is_interrupt(err)
    True
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ if exc.__cause__ is not None else exc.__context__
    return False


def _ignore_sigint() -> None:  # pragma: no cover - runs in the worker processes
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A local process pool whose workers ignore Ctrl-C (the parent stops them; no worker tracebacks).

    The workers start from a clean server process ("forkserver"; "spawn" where there is none), not as
    forks of this one: a fork of a process that has already run numba's parallel kernels (its GNU OpenMP
    threading layer) aborts in the child ("fork() called from a process already using GNU OpenMP"), which
    a fork-based pool reports only as a BrokenProcessPool.

    Parameters
    ----------
    workers : int
        Number of processes (>= 1).

    Examples
    --------
    >>> with process_pool(1) as pool:
    ...     rows = run_sweep(dict, [{"x": -2}], executor=pool, progress=False)
    >>> rows[0]["result"]
    {'x': -2}
    """
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        raise ValueError(f"workers must be a whole number >= 1, got {workers!r}")
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return ProcessPoolExecutor(int(workers), mp_context=context, initializer=_ignore_sigint)


def _stop(executor: Executor, futures) -> None:
    """Cancel the pending futures and end the worker processes of a local process pool at once."""
    for fut in futures:
        fut.cancel()
    if isinstance(executor, ProcessPoolExecutor):
        processes = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            if proc.is_alive():
                proc.terminate()


class SweepError(RuntimeError):
    """Some points of a sweep raised; the others finished and were saved.

    Attributes
    ----------
    failures : list of dict
        ``{"params": point, "error": "ExceptionType: message"}`` for each failed point.
    """

    def __init__(self, failures: list[dict[str, Any]], path: Path | None) -> None:
        self.failures = failures
        first = failures[0]
        where = f" (recorded in {path}; they are retried on the next run)" if path else ""
        super().__init__(f"{len(failures)} sweep point(s) failed{where}; first: {first['params']} -> "
                         f"{first['error']}")


def grid(**axes: Iterable[Any]) -> list[dict[str, Any]]:
    """Cartesian product of named parameter axes, as a list of dicts.

    Examples
    --------
    >>> grid(n=[2, 3], j=[-1.0])
    [{'n': 2, 'j': -1.0}, {'n': 3, 'j': -1.0}]
    """
    if not axes:
        raise ValueError("grid needs at least one named axis, e.g. grid(n=[2, 3])")
    names = list(axes)
    values = []
    for name, v in axes.items():
        if isinstance(v, (str, bytes)) or not isinstance(v, Iterable):
            raise TypeError(f"axis {name!r} of the grid must be a sequence of values, got {type(v).__name__}")
        values.append(list(v))
        if not values[-1]:
            raise ValueError(f"axis {name!r} of the grid is empty")
    return [dict(zip(names, combo)) for combo in itertools.product(*values)]


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # the toolkit's own result records
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, complex):
        return {"re": value.real, "im": value.imag}
    return value


def point_key(point: Mapping[str, Any]) -> str:
    """Canonical text key of a parameter point (sorted JSON), used to resume sweeps."""
    if not isinstance(point, Mapping):
        raise TypeError(f"each sweep point must be a dict of parameters, got {type(point).__name__}")
    return json.dumps(_jsonable(dict(point)), sort_keys=True)


def function_key(func: Callable[..., Any]) -> str:
    """``module.qualname:hash`` of ``func``'s source (joblib.Memory's idea): a changed function is a new key."""
    target = inspect.unwrap(getattr(func, "func", func))
    name = f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', type(target).__name__)}"
    try:
        source = inspect.getsource(target)
    except (OSError, TypeError):
        source = name
    return f"{name}:{hashlib.sha256(source.encode()).hexdigest()[:12]}"


def _repair_tail(path: Path) -> None:
    """Cut a torn last line (no trailing newline) so that the next record starts on its own line."""
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb+") as fh:
        fh.seek(-1, os.SEEK_END)
        if fh.read(1) == b"\n":
            return
        chunk = min(size, 1 << 20)
        fh.seek(size - chunk)
        tail = fh.read(chunk)
        cut = tail.rfind(b"\n")
        fh.truncate(size - chunk + cut + 1 if cut >= 0 else 0)
    warnings.warn(f"{path}: an incomplete last record (an interrupted write) was removed; that point is "
                  "recomputed", RuntimeWarning, stacklevel=3)


def _decode_record(raw: bytes, want: str | None, check: Callable[[Any], Any] | None) -> dict[str, Any] | None:
    """One sweep line as ``{"params", "result"}``; None for a failed point or another function's record.

    Raises ValueError (or TypeError) for a damaged line: invalid UTF-8, not JSON, not a record, or a result
    that ``check`` refuses.
    """
    row = json.loads(raw.decode("utf-8"))
    if not isinstance(row, dict) or not isinstance(row.get("params"), dict):
        raise ValueError("not a sweep record")
    if not isinstance(row.get("func", ""), str) or ("error" not in row and "result" not in row):
        raise ValueError("not a sweep record")
    if "error" in row or (want is not None and row.get("func") != want):
        return None
    if check is not None:
        try:
            check(row["result"])
        except (ValueError, TypeError) as exc:
            raise _RefusedRecord(str(exc)) from exc
    return {"params": row["params"], "result": row["result"]}


class _RefusedRecord(Exception):
    """A complete sweep record whose result the caller's check refused."""


def load_results(path: str | os.PathLike, func: Callable[..., Any] | None = None, *,
                 check: Callable[[Any], Any] | None = None) -> list[dict[str, Any]]:
    """Read the finished points of a sweep file (JSON lines with keys 'params' and 'result').

    Parameters
    ----------
    path : path-like
        The sweep file (missing: no rows). It must be a regular file; its size is checked against the
        memory budget before it is read.
    func : callable, optional
        Keep only records written by this function (same :func:`function_key`).
    check : callable, optional
        Called with each stored result; a ``ValueError`` or ``TypeError`` from it marks the record as
        damaged (e.g. a result of the wrong shape), so it is skipped and its point recomputed.

    Returns
    -------
    list of dict
        ``{"params", "result"}`` rows (failed points, stored with an ``"error"``, are left out). A
        truncated last line is ignored; damaged lines elsewhere (invalid UTF-8, not JSON, not a record,
        refused by ``check``) are skipped with a warning that names the file and their line numbers.
    """
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a path to a sweep file, got {type(path).__name__}")
    path = Path(path)
    rows, bad, _lines = _scan(path, func, check)
    if bad:
        warnings.warn(f"{path}: skipped {len(bad)} damaged line(s) {bad[:10]}; those points are recomputed",
                      RuntimeWarning, stacklevel=2)
    return rows


def _scan(path: Path, func: Callable[..., Any] | None, check: Callable[[Any], Any] | None):
    """(rows, numbers of the damaged lines, the raw lines) of a sweep file; see :func:`load_results`."""
    rows: list[dict[str, Any]] = []
    if not os.path.lexists(path):
        return rows, [], []
    if check is not None:
        check_callable(check, "check")
    want = None if func is None else function_key(func)
    bad: list[int] = []
    lines = read_bytes_checked(path, "the sweep file").split(b"\n")
    for i, raw in enumerate(lines, start=1):
        raw = raw.strip()
        if not raw:
            continue
        try:
            row = _decode_record(raw, want, check)
        except _RefusedRecord:
            bad.append(i)
            continue
        except (ValueError, TypeError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            if i < len(lines):  # the last line may simply be torn
                bad.append(i)
            continue
        if row is not None:
            rows.append(row)
    return rows, bad, lines


def _load_and_heal(path: Path, func: Callable[..., Any], check: Callable[[Any], Any] | None) -> list[dict[str, Any]]:
    """:func:`load_results`, then (the sweep's lock held) rewrite the file without its damaged lines, atomically."""
    rows, bad, lines = _scan(path, func, check)
    if bad:
        drop = set(bad)
        kept = [line for i, line in enumerate(lines, start=1) if i not in drop and line.strip()]
        write_bytes_atomic(path, b"".join(line + b"\n" for line in kept))
        warnings.warn(f"{path}: removed {len(bad)} damaged line(s) {bad[:10]}; those points are recomputed",
                      RuntimeWarning, stacklevel=4)
    return rows


def run_sweep(
    func: Callable[..., Any],
    points: Sequence[Mapping[str, Any]],
    path: str | os.PathLike | None = None,
    *,
    executor: Executor | None = None,
    progress: bool | None = None,
    desc: str = "sweep",
    errors: str = "raise",
    check: Callable[[Any], Any] | None = None,
) -> list[dict[str, Any]]:
    """Evaluate ``func(**point)`` for every point, writing each result to ``path`` as it arrives.

    Parameters
    ----------
    func : callable
        Called as ``func(**point)``; must return something JSON-serialisable (numbers, lists, dicts,
        numpy arrays; dataclasses such as ``clusters.CoherentDoublet`` are stored as dicts of their fields).
        With a process executor it must be picklable (a module-level function).
    points : sequence of dict
        Parameter points, e.g. from :func:`grid`.
    path : path-like, optional
        JSON-lines output file. Points already present (written by the same function) are not
        recomputed (resume). The folder is checked writable and locked before any work.
    executor : concurrent.futures.Executor, optional
        Where to run the points. ``None`` runs them in this process, in order.
    progress : bool or None
        Show a progress bar (None: only when standard error is a terminal).
    desc : str
        Label of the progress bar.
    errors : {"raise", "return"}
        A failing point never stops the others: it is recorded with its error (and retried next
        time). At the end, ``"raise"`` raises :class:`SweepError` naming the failures; ``"return"``
        returns them as rows with an ``"error"`` entry instead of ``"result"``.
    check : callable, optional
        Validates each result stored in ``path`` (raises ``ValueError``/``TypeError`` for one of the wrong
        shape or type); refused records are skipped with a warning naming the file and recomputed.

    Returns
    -------
    list of dict
        One ``{"params": point, "result": value}`` per point, in the order of ``points``.
    """
    check_callable(func, "func")
    check_choice(errors, "errors", ("raise", "return"))
    if check is not None:
        check_callable(check, "check")
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise TypeError(f"executor must be a concurrent.futures.Executor (with a submit method), got "
                        f"{type(executor).__name__}")
    if isinstance(points, (Mapping, str, bytes)) or not isinstance(points, Iterable):
        raise TypeError(f"points must be a sequence of dicts, e.g. grid(n=[2, 3]); got {type(points).__name__}")
    points = list(points)
    bad = next((p for p in points if not isinstance(p, Mapping)), None)
    if bad is not None:
        raise TypeError(f"points must hold dicts of parameters, got a {type(bad).__name__} ({bad!r:.40})")
    keys = [point_key(p) for p in points]
    fkey = function_key(func)
    if path is None:
        return _evaluate(func, points, keys, fkey, None, executor, progress, desc, errors)
    path = Path(path)
    check_writable(path.parent, "the sweep file's folder")
    with folder_lock(path.parent, name=f".{path.name}.lock", wait=5.0):
        if path.exists():
            _repair_tail(path)
        return _evaluate(func, points, keys, fkey, path, executor, progress, desc, errors, check)


def _evaluate(func, points, keys, fkey, path, executor, progress, desc, errors, check=None):
    done: dict[str, Any] = {}
    if path is not None:
        for row in _load_and_heal(path, func, check):
            done[point_key(row["params"])] = row["result"]
    todo = [(k, p) for k, p in zip(keys, points) if k not in done]
    failed: dict[str, str] = {}
    bar = progress_bar(total=len(points), initial=len(points) - len(todo), desc=desc, progress=progress)

    def record(key: str, point: Mapping[str, Any], result: Any = None, error: str | None = None) -> None:
        entry: dict[str, Any] = {"params": _jsonable(dict(point)), "func": fkey}
        if error is None:
            entry["result"] = done[key] = _jsonable(result)
        else:
            entry["error"] = failed[key] = error
        if path is not None:
            try:
                with path.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(entry) + "\n")
                    fh.flush()
            except OSError as exc:  # a full disk: name the file
                if exc.filename is None and exc.errno is not None:
                    raise named_disk_error(exc, path) from exc
                raise
        bar.update(1)

    def describe_error(exc: BaseException) -> str:
        return f"{type(exc).__name__}: {exc}"

    def finished() -> list[dict[str, Any]]:
        return [{"params": dict(p), "error": failed[k]} if k in failed else {"params": dict(p), "result": done[k]}
                for k, p in zip(keys, points) if k in failed or k in done]

    futures: dict = {}
    try:
        if executor is None:
            for key, point in todo:
                try:
                    value = func(**point)
                except Exception as exc:  # recorded, the sweep goes on (unless it is a wrapped Ctrl-C)
                    if is_interrupt(exc):
                        raise KeyboardInterrupt(f"interrupted at {point_key(point)}") from exc
                    record(key, point, error=describe_error(exc))
                else:
                    record(key, point, value)
        else:
            futures = {executor.submit(func, **point): (key, point) for key, point in todo}
            for fut in as_completed(futures):
                key, point = futures[fut]
                exc = fut.exception()
                if exc is None:
                    record(key, point, fut.result())
                elif is_interrupt(exc):
                    raise KeyboardInterrupt(f"interrupted at {point_key(point)}") from exc
                else:
                    record(key, point, error=describe_error(exc))
    except KeyboardInterrupt as exc:
        if executor is not None:
            _stop(executor, futures)
        exc.partial = finished()  # the finished points (also in the file: a rerun resumes)
        raise
    finally:
        bar.close()
    rows = finished()
    if failed and errors == "raise":
        raise SweepError([r for r in rows if "error" in r], path)
    return rows
