"""Parameter sweeps that write each result as it arrives and resume after an interruption.

A sweep maps a function over a list of parameter points (dicts). Every finished point is
appended at once, as one JSON line, to the output file; re-running the same sweep skips the
points already in the file. Work is spread over any :class:`concurrent.futures.Executor`
(a local process pool, or a dask.distributed cluster through ``Client.get_executor()``).
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, as_completed
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

__all__ = ["grid", "point_key", "load_results", "run_sweep"]


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
    values = [list(v) for v in axes.values()]
    for name, v in zip(names, values):
        if not v:
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


def load_results(path: str | os.PathLike) -> list[dict[str, Any]]:
    """Read the finished points of a sweep file (JSON lines with keys 'params' and 'result').

    A truncated last line (an interrupted write) is ignored.
    """
    path = Path(path)
    rows: list[dict[str, Any]] = []
    if not path.exists():
        return rows
    with path.open() as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return rows


def run_sweep(
    func: Callable[..., Any],
    points: Sequence[Mapping[str, Any]],
    path: str | os.PathLike | None = None,
    *,
    executor: Executor | None = None,
    progress: bool = True,
    desc: str = "sweep",
) -> list[dict[str, Any]]:
    """Evaluate ``func(**point)`` for every point, writing each result to ``path`` as it arrives.

    Parameters
    ----------
    func : callable
        Called as ``func(**point)``; must return something JSON-serialisable (numbers,
        lists, dicts, numpy arrays). With a process executor it must be picklable
        (a module-level function).
    points : sequence of dict
        Parameter points, e.g. from :func:`grid`.
    path : path-like, optional
        JSON-lines output file. Points already present are not recomputed (resume).
    executor : concurrent.futures.Executor, optional
        Where to run the points. ``None`` runs them in this process, in order.
    progress : bool
        Show a tqdm progress bar.
    desc : str
        Label of the progress bar.

    Returns
    -------
    list of dict
        One ``{"params": point, "result": value}`` per point, in the order of ``points``.
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got {type(func).__name__}")
    points = list(points)
    keys = [point_key(p) for p in points]
    done: dict[str, Any] = {}
    if path is not None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for row in load_results(path):
            done[point_key(row["params"])] = row["result"]
    todo = [(k, p) for k, p in zip(keys, points) if k not in done]
    bar = tqdm(total=len(points), initial=len(points) - len(todo), desc=desc, disable=not progress)

    def record(key: str, point: Mapping[str, Any], result: Any) -> None:
        result = _jsonable(result)
        done[key] = result
        if path is not None:
            with path.open("a") as fh:
                fh.write(json.dumps({"params": _jsonable(dict(point)), "result": result}) + "\n")
                fh.flush()
        bar.update(1)

    try:
        if executor is None:
            for key, point in todo:
                record(key, point, func(**point))
        else:
            futures = {executor.submit(func, **point): (key, point) for key, point in todo}
            for fut in as_completed(futures):
                key, point = futures[fut]
                record(key, point, fut.result())
    finally:
        bar.close()
    return [{"params": dict(p), "result": done[k]} for k, p in zip(keys, points)]
