"""The main job: run every study, regenerate every figure and write the verification report.

``tunnelsim reproduce`` (and ``make demo``) runs each study in turn with a progress bar (on a
terminal only). Each study writes its figures and tables into the output folder and returns report
rows (:class:`tunnelsim.studies.claims.Claim` and ``Finding``). A finished study is cached in
``OUT/.cache/step-<name>.json`` (written atomically), keyed by the quick flag and a hash of the
library's source code, so a second run is fast and an interrupted run resumes at the first
unfinished study (studies also cache their own sweeps inside ``OUT/.cache``). A cache is an untrusted file:
it carries a SHA-256 of its content and the SHA-256 of every output the study wrote (figures, .npz, .csv);
a damaged or altered cache, a row that does not rebuild exactly, a figure that is not a plain file name, or a
missing or changed output makes the study run again, with a warning that names the file, never a failed
study. Before any work the output tree is checked (``.cache`` a file is refused at once) and temporary
files left by a killed run are removed; a full disk (ENOSPC) stops the run at once, naming the file. One run at a
time may write into an output folder (a lock file); an interrupted run leaves the last complete
report in place and writes what it had to ``report.partial.md``.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import importlib
import json
import os
import time
import traceback
import warnings
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from tunnelsim.files import (
    check_writable,
    folder_lock,
    read_text_checked,
    regular_file,
    remove_stale_temporaries,
    write_text_atomic,
)
from tunnelsim.progress import progress_bar
from tunnelsim.studies.claims import Claim, row_from_dict
from tunnelsim.studies.figures import use_file_backend
from tunnelsim.studies.report import write_report
from tunnelsim.sweep import is_interrupt
from tunnelsim.validation import check_bool

__all__ = ["STEPS", "Step", "reproduce"]

#: The library and the studies: a change anywhere below invalidates the cached study results.
_SOURCE_ROOTS = tuple(Path(__file__).resolve().parents[2] / name for name in ("tunnelsim", "clusters", "lattices"))


@dataclass(frozen=True)
class Step:
    """One study: its package, whose ``run(out_dir, quick, executor)`` makes its figures and claims, and its title.

    The package is given by name and imported when the step runs (``reproduce --only single`` does not pay every
    study's imports), or as a module. The step's name is the package's name (``tunnelsim.studies.single`` ->
    ``single``): one study, one folder.
    """

    package: ModuleType | str
    title: str

    @property
    def module(self) -> ModuleType:
        """The study's package, imported on first use."""
        return importlib.import_module(self.package) if isinstance(self.package, str) else self.package

    @property
    def name(self) -> str:
        """The study's name: the last component of its package's name."""
        full = self.package if isinstance(self.package, str) else self.package.__name__
        return full.rsplit(".", 1)[-1]


STEPS: tuple[Step, ...] = (
    Step("tunnelsim.studies.single", "Single tunneling systems: flux spectra (3LS, 4LS)"),
    Step("tunnelsim.studies.polyhedron", "Beyond the paper: the tetrahedral 4LS in a magnetic field"),
    Step("tunnelsim.studies.cluster_size", "Cluster size N: exact spectra of interacting clusters"),
    Step("tunnelsim.studies.coherent", "Coherent tunneling: the appendix against exact spectra"),
    Step("tunnelsim.studies.cluster_ensembles", "Ensembles of interacting clusters: effective STM parameters"),
    Step("tunnelsim.studies.percolation", "Percolation clusters and the exponent alpha"),
    Step("tunnelsim.studies.response", "Heat capacity and dielectric response"),
    Step("tunnelsim.studies.magnetodielectric",
         "Magnetodielectric response: eps(T, B) of exact three-level ATS (beyond the paper)"),
    Step("tunnelsim.studies.echo",
         "Beyond the paper: the two-pulse polarization echo of exact ATS ensembles in a magnetic field"),
    Step("tunnelsim.studies.benchmarks", "Benchmarks where cheap: solver scaling"),
)


def source_hash() -> str:
    """Hash of every .py file of the tunnelsim, clusters and lattices packages (names and contents)."""
    h = hashlib.sha256()
    for root in _SOURCE_ROOTS:
        for f in sorted(root.rglob("*.py")):
            h.update(str(f.relative_to(root.parent)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _png_complete(path: Path) -> bool:
    """A figure counts as cached only if it is a whole PNG (signature at the start, IEND at the end)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            fh.seek(-12, 2)
            tail = fh.read(12)
    except OSError:
        return False
    return head == b"\x89PNG\r\n\x1a\n" and tail[4:8] == b"IEND"


#: Files of the output tree that are not a study's outputs (nor is any hidden file or folder).
_NOT_OUTPUTS = ("report.md", "report.html", "report.partial.md", "report.partial.html")
#: The largest study cache read back (a cache holds rows of text, never arrays).
_CACHE_MAX_BYTES = 64 * 2**20


def plain_name(name: object) -> bool:
    """Whether ``name`` is a plain file name (no folder part, not absolute, not '.' or '..'): paths read back from
    a cache stay inside the output folder.

    Examples
    --------
    >>> plain_name("fig.png"), plain_name("../fig.png"), plain_name("/etc/fig.png")
    (True, False, False)
    """
    return (isinstance(name, str) and bool(name) and name not in (".", "..") and "/" not in name
            and "\\" not in name and "\x00" not in name and not name.startswith("~"))


def _relative_output(name: object) -> bool:
    """A path relative to the output folder made of plain names (an output listed in a cache)."""
    return isinstance(name, str) and all(plain_name(part) for part in name.split("/"))


def _digest(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, allow_nan=True).encode()).hexdigest()


def _file_digest(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with regular_file(path, "output").open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except (ValueError, OSError):
        return None
    return h.hexdigest()


def _snapshot(out_dir: Path) -> dict[str, tuple[int, int]]:
    """``{relative path: (mtime_ns, size)}`` of the files of the output tree that studies write."""
    found = {}
    for dirpath, dirs, files in os.walk(out_dir):
        rel_dir = Path(dirpath).relative_to(out_dir)
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # the caches, locks and temporaries are hidden
        for name in files:
            rel = (rel_dir / name).as_posix()
            if rel in _NOT_OUTPUTS or name.startswith("."):
                continue
            with contextlib.suppress(OSError):
                st = (Path(dirpath) / name).lstat()
                found[rel] = (st.st_mtime_ns, st.st_size)
    return found


class _Damaged(Exception):
    """A study cache that cannot be used (the reason is the message)."""


def _read_cache(cache: Path) -> dict:
    """The cache's JSON object after checking its file, size, encoding, structure and content hash."""
    try:
        data = json.loads(read_text_checked(cache, "the study cache", max_bytes=_CACHE_MAX_BYTES))
    except (ValueError, RecursionError, MemoryError) as exc:
        raise _Damaged(str(exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list) \
            or not isinstance(data.get("outputs", {}), dict) or not isinstance(data.get("sha256"), str):
        raise _Damaged("not a study cache of this version")
    body = {k: v for k, v in data.items() if k != "sha256"}
    if _digest(body) != data["sha256"]:
        raise _Damaged("its content does not match its hash (altered or damaged)")
    return body


def _rows(data: dict) -> list:
    """Rebuild the cached rows; any inconsistency (wrong field types, a figure path) makes the cache damaged."""
    claims = []
    for i, item in enumerate(data["claims"]):
        try:
            row = row_from_dict(item)
            faithful = json.dumps(row.as_dict(), sort_keys=True) == json.dumps(item, sort_keys=True)
            if isinstance(row, Claim):  # the report renders these: they must work
                row.regime.describe(), row.conditions_text(), row.result_text()
        except Exception as exc:  # noqa: BLE001 - any failure of untrusted data is damage, never a failed study
            if is_interrupt(exc):
                raise
            raise _Damaged(f"row {i} is invalid ({type(exc).__name__}: {exc})") from None
        if not faithful:
            raise _Damaged(f"row {i} does not rebuild to what was stored")
        if row.figure and not plain_name(row.figure):
            raise _Damaged(f"row {i} names the figure {row.figure!r}, which is not a plain file name")
        claims.append(row)
    return claims


def _outputs_intact(data: dict, claims: list, out_dir: Path) -> str | None:
    """Why the outputs a cached study relies on are not usable (a missing or changed file), or None."""
    for rel, digest in data.get("outputs", {}).items():
        if not _relative_output(rel) or not isinstance(digest, str):
            return f"it lists the output {rel!r}, which is not a path inside the output folder"
        if _file_digest(out_dir / rel) != digest:
            return f"the output {out_dir / rel} is missing or changed"
    for c in claims:
        if c.figure and not _png_complete(out_dir / c.figure):
            return f"the figure {out_dir / c.figure} is missing or not a complete PNG"
    return None


def _cached(cache: Path, key: dict, out_dir: Path):
    try:
        data = _read_cache(cache)
        if data.get("key") != key:
            return None
        claims = _rows(data)
        seconds = data.get("seconds", 0.0)
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds >= 0:
            raise _Damaged(f"seconds is {seconds!r}")
    except _Damaged as exc:
        warnings.warn(f"the cached result {cache} is damaged: {exc}; the study is recomputed",
                      RuntimeWarning, stacklevel=3)
        return None
    why = _outputs_intact(data, claims, out_dir)
    if why is not None:
        warnings.warn(f"{why}; the study cached in {cache} is recomputed", RuntimeWarning, stacklevel=3)
        return None
    return claims, float(seconds)


def _write_cache(cache: Path, key: dict, seconds: float, claims: list, outputs: dict[str, str]) -> None:
    body = {"key": key, "seconds": seconds, "claims": [c.as_dict() for c in claims], "outputs": outputs}
    write_text_atomic(cache, json.dumps({**body, "sha256": _digest(body)}, indent=1, sort_keys=True))


def _run_step(step: Step, out_dir: Path, quick: bool, executor: Executor | None, force: bool, key: dict):
    cache = out_dir / ".cache" / f"step-{step.name}.json"
    if os.path.lexists(cache) and not force:
        hit = _cached(cache, key, out_dir)
        if hit is not None:
            return hit[0], hit[1], True
    before = _snapshot(out_dir)
    t0 = time.perf_counter()
    claims = list(step.module.run(out_dir, quick=quick, executor=executor))
    seconds = time.perf_counter() - t0
    after = _snapshot(out_dir)
    outputs = {rel: digest for rel, stamp in sorted(after.items()) if before.get(rel) != stamp
               and (digest := _file_digest(out_dir / rel)) is not None}
    _write_cache(cache, key, seconds, claims, outputs)
    return claims, seconds, False


def check_output_tree(out_dir: Path, steps: tuple[Step, ...] | list[Step] = ()) -> None:
    """Before any work: the output folder, its cache folder and every existing subfolder must be writable folders.

    Raises
    ------
    NotADirectoryError
        ``.cache`` (or a subfolder the studies use) exists but is a file.
    IsADirectoryError
        A report or study cache file the run replaces is a folder.
    PermissionError, OSError
        A folder of the tree cannot be written (named in the message).
    """
    cache = out_dir / ".cache"
    for folder in (cache, cache / "quick", cache / "full"):
        if os.path.lexists(folder) and not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, f"{folder} must be a folder (the run's cache) but is a file; "
                                     "remove it or choose another output folder", str(folder))
    names = ["report.md", "report.html", "report.partial.md", "report.partial.html"]
    for name in [*names, *(f".cache/step-{step.name}.json" for step in steps)]:
        if (out_dir / name).is_dir():
            raise IsADirectoryError(errno.EISDIR, f"{out_dir / name} must be a file but is a folder; remove it",
                                    str(out_dir / name))
    check_writable(cache, "the cache folder")
    for dirpath, dirs, _files in os.walk(out_dir):
        for d in dirs:
            check_writable(Path(dirpath) / d, "the output subfolder")


def _disk_full_error(full: OSError, step: Step, out_dir: Path) -> OSError:
    where = full.filename if full.filename is not None else "a file of the output folder"
    return OSError(full.errno, f"{os.strerror(full.errno)} while writing {where} (study {step.name}); the run "
                   f"stopped; free some space and rerun to resume (what was done is in "
                   f"{out_dir / 'report.partial.md'} if it fitted)", where)


def disk_full(exc: BaseException | None) -> OSError | None:
    """The ENOSPC / EDQUOT error in ``exc``'s cause chain (a full disk or quota), or None.

    Examples
    --------
    >>> try:
    ...     raise RuntimeError("study failed") from OSError(errno.ENOSPC, "No space left on device")
    ... except RuntimeError as err:
    ...     disk_full(err).errno == errno.ENOSPC
    True
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ if exc.__cause__ is not None else exc.__context__
    return None


def _select(only) -> list[Step]:
    names = [s.name for s in STEPS]
    if only is None:
        return list(STEPS)
    if isinstance(only, str) or not all(isinstance(n, str) for n in only):
        raise TypeError(f"only must be a list of step names, got {only!r}")
    if not only or not all(n.strip() for n in only):
        raise ValueError(f"only must name at least one step (the steps are {names}); leave it out to run all")
    unknown = [n for n in only if n not in names]
    if unknown:
        raise ValueError(f"only names unknown steps {unknown}; the steps are {names}")
    return [s for s in STEPS if s.name in only]


def reproduce(out_dir: str | Path = "out", *, quick: bool = False, only: list[str] | None = None,
              executor: Executor | None = None, force: bool = False, progress: bool | None = None) -> Path:
    """Run every study and write ``report.md`` and ``report.html`` into ``out_dir``.

    Parameters
    ----------
    out_dir : path-like
        Output folder for figures, tables, the report and the cache (checked writable and locked
        before any work).
    quick : bool
        Small sizes and few samples (about a minute in all; the tests run it).
    only : list of str, optional
        Names of the studies to run (default all: see :data:`STEPS`).
    executor : concurrent.futures.Executor, optional
        Passed to the studies that spread sweeps or samples (a process pool, or a dask.distributed
        ``Client.get_executor()``).
    force : bool
        Ignore cached study results.
    progress : bool or None
        Progress bar over the studies (None: only on a terminal).

    Returns
    -------
    pathlib.Path
        The path of ``report.md``.
    """
    quick, force = check_bool(quick, "quick"), check_bool(force, "force")
    steps = _select(only)
    started = time.time()
    out_dir = check_writable(out_dir)
    use_file_backend()
    key = {"quick": quick, "source": source_hash()}
    with folder_lock(out_dir):
        check_output_tree(out_dir, steps)
        for stale in remove_stale_temporaries(out_dir, before=started):
            warnings.warn(f"removed {stale}, a temporary file left by an interrupted run", RuntimeWarning,
                          stacklevel=2)
        results = []
        bar = progress_bar(steps, desc="reproduce", progress=progress)
        try:
            for step in bar:
                bar.set_postfix_str(step.name)
                try:
                    claims, seconds, cached = _run_step(step, out_dir, quick, executor, force, key)
                    results.append((step, claims, seconds, cached, None))
                except Exception as exc:  # a failing study is reported, never hidden (a wrapped Ctrl-C stops)
                    if is_interrupt(exc):
                        raise KeyboardInterrupt(f"interrupted in {step.name}") from exc
                    full = disk_full(exc)
                    if full is not None:  # nothing more can be written: stop at once, naming the file
                        results.append((step, [], 0.0, False, traceback.format_exc()))
                        raise _disk_full_error(full, step, out_dir) from exc
                    results.append((step, [], 0.0, False, traceback.format_exc()))
        except BaseException:
            with contextlib.suppress(OSError):  # on a full disk the partial report may not fit either
                write_report(out_dir, results, quick, stem="report.partial")
            raise
        finally:
            bar.close()
        path = write_report(out_dir, results, quick)
    failed = [r[0].name for r in results if r[4]]
    if failed:
        raise RuntimeError(f"studies failed: {failed}; see {path} for the tracebacks")
    return path
