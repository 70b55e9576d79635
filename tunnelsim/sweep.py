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
"""

from __future__ import annotations

import hashlib
import inspect
import itertools
import json
import os
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, as_completed
from pathlib import Path
from typing import Any

import numpy as np

from .files import check_writable, folder_lock
from .progress import progress_bar
from .validation import check_callable, check_choice

__all__ = ["grid", "point_key", "function_key", "load_results", "run_sweep", "SweepError"]


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


def load_results(path: str | os.PathLike, func: Callable[..., Any] | None = None) -> list[dict[str, Any]]:
    """Read the finished points of a sweep file (JSON lines with keys 'params' and 'result').

    Parameters
    ----------
    path : path-like
        The sweep file (missing: no rows).
    func : callable, optional
        Keep only records written by this function (same :func:`function_key`).

    Returns
    -------
    list of dict
        ``{"params", "result"}`` rows (failed points, stored with an ``"error"``, are left out). A
        truncated last line is ignored; damaged lines elsewhere are skipped with a warning that
        names their line numbers.
    """
    path = Path(path)
    rows: list[dict[str, Any]] = []
    if not path.exists():
        return rows
    want = None if func is None else function_key(func)
    bad: list[int] = []
    with path.open() as fh:
        lines = fh.read().split("\n")
    for i, line in enumerate(lines, start=1):
        line = line.strip()
        if not line:
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or "params" not in row:
                raise ValueError
        except ValueError:
            if i < len(lines):  # the last line may simply be torn
                bad.append(i)
            continue
        if "error" in row or (want is not None and row.get("func") != want):
            continue
        rows.append({"params": row["params"], "result": row.get("result")})
    if bad:
        warnings.warn(f"{path}: skipped {len(bad)} damaged line(s) {bad[:10]}; those points are recomputed",
                      RuntimeWarning, stacklevel=2)
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
) -> list[dict[str, Any]]:
    """Evaluate ``func(**point)`` for every point, writing each result to ``path`` as it arrives.

    Parameters
    ----------
    func : callable
        Called as ``func(**point)``; must return something JSON-serialisable (numbers, lists, dicts,
        numpy arrays). With a process executor it must be picklable (a module-level function).
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

    Returns
    -------
    list of dict
        One ``{"params": point, "result": value}`` per point, in the order of ``points``.
    """
    check_callable(func, "func")
    check_choice(errors, "errors", ("raise", "return"))
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
        return _evaluate(func, points, keys, fkey, path, executor, progress, desc, errors)


def _evaluate(func, points, keys, fkey, path, executor, progress, desc, errors):
    done: dict[str, Any] = {}
    if path is not None:
        for row in load_results(path, func):
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
            with path.open("a") as fh:
                fh.write(json.dumps(entry) + "\n")
                fh.flush()
        bar.update(1)

    def describe_error(exc: BaseException) -> str:
        return f"{type(exc).__name__}: {exc}"

    try:
        if executor is None:
            for key, point in todo:
                try:
                    value = func(**point)
                except Exception as exc:  # recorded, the sweep goes on
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
                else:
                    record(key, point, error=describe_error(exc))
    finally:
        bar.close()
    rows = []
    for k, p in zip(keys, points):
        rows.append({"params": dict(p), "error": failed[k]} if k in failed else {"params": dict(p), "result": done[k]})
    if failed and errors == "raise":
        raise SweepError([r for r in rows if "error" in r], path)
    return rows
