"""The main job: run every study, regenerate every figure and write the verification report.

``tunnelsim reproduce`` (and ``make demo``) runs each study in turn with a progress bar (on a
terminal only). Each study writes its figures and tables into the output folder and returns report
rows (:class:`tunnelsim.studies.claims.Claim` and ``Finding``). A finished study is cached in
``OUT/.cache/step-<name>.json`` (written atomically), keyed by the quick flag and a hash of the
library's source code, so a second run is fast and an interrupted run resumes at the first
unfinished study (studies also cache their own sweeps inside ``OUT/.cache``). A damaged cache is
recomputed with a warning; a cached figure that is not a complete PNG is regenerated. One run at a
time may write into an output folder (a lock file); an interrupted run leaves the last complete
report in place and writes what it had to ``report.partial.md``.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import time
import traceback
import warnings
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from tunnelsim.files import check_writable, folder_lock, write_text_atomic
from tunnelsim.progress import progress_bar
from tunnelsim.studies.claims import row_from_dict
from tunnelsim.studies.figures import use_file_backend
from tunnelsim.studies.report import write_report
from tunnelsim.validation import check_bool

__all__ = ["STEPS", "Step", "reproduce"]

#: The library and the studies: a change anywhere below invalidates the cached study results.
_SOURCE_ROOTS = tuple(Path(__file__).resolve().parents[2] / name for name in ("tunnelsim", "clusters", "lattices"))


@dataclass(frozen=True)
class Step:
    """One study: the module whose ``run(out_dir, quick, executor)`` makes its figures and claims."""

    name: str
    module: str
    title: str


STEPS: tuple[Step, ...] = (
    Step("single", "tunnelsim.studies.single", "Single tunneling systems: flux spectra (3LS, 4LS)"),
    Step("polyhedron", "tunnelsim.studies.polyhedron", "Beyond the paper: the tetrahedral 4LS in a magnetic field"),
    Step("clusters_size", "tunnelsim.studies.cluster_size", "Cluster size N: exact spectra of interacting clusters"),
    Step("coherent", "tunnelsim.studies.coherent", "Coherent tunneling: the appendix against exact spectra"),
    Step("cluster_ensembles", "tunnelsim.studies.cluster_ensembles",
         "Ensembles of interacting clusters: effective STM parameters (beyond the paper)"),
    Step("lattices", "tunnelsim.studies.percolation", "Percolation clusters and the exponent alpha"),
    Step("response", "tunnelsim.studies.response", "Heat capacity and dielectric response"),
    Step("magnetodielectric", "tunnelsim.studies.magnetodielectric",
         "Magnetodielectric response: eps(T, B) of exact three-level ATS (beyond the paper)"),
    Step("benchmarks", "tunnelsim.studies.benchmarks", "Benchmarks where cheap: solver scaling"),
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


def _cached(cache: Path, key: dict, out_dir: Path):
    try:
        data = json.loads(cache.read_text())
        claims = [row_from_dict(c) for c in data["claims"]]
    except (OSError, ValueError, TypeError, KeyError) as exc:
        warnings.warn(f"the cached result {cache} is damaged ({type(exc).__name__}); the study is recomputed",
                      RuntimeWarning, stacklevel=3)
        return None
    if data.get("key") != key:
        return None
    if not all(_png_complete(out_dir / c.figure) for c in claims if c.figure):
        return None
    return claims, float(data.get("seconds", 0.0))


def _run_step(step: Step, out_dir: Path, quick: bool, executor: Executor | None, force: bool, key: dict):
    cache = out_dir / ".cache" / f"step-{step.name}.json"
    if cache.exists() and not force:
        hit = _cached(cache, key, out_dir)
        if hit is not None:
            return hit[0], hit[1], True
    t0 = time.perf_counter()
    module = importlib.import_module(step.module)
    claims = list(module.run(out_dir, quick=quick, executor=executor))
    seconds = time.perf_counter() - t0
    write_text_atomic(cache, json.dumps({"key": key, "seconds": seconds, "claims": [c.as_dict() for c in claims]},
                                        indent=1))
    return claims, seconds, False


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
    out_dir = check_writable(out_dir)
    use_file_backend()
    key = {"quick": quick, "source": source_hash()}
    with folder_lock(out_dir):
        results = []
        bar = progress_bar(steps, desc="reproduce", progress=progress)
        try:
            for step in bar:
                bar.set_postfix_str(step.name)
                try:
                    claims, seconds, cached = _run_step(step, out_dir, quick, executor, force, key)
                    results.append((step, claims, seconds, cached, None))
                except Exception:  # a failing study is reported, never hidden
                    results.append((step, [], 0.0, False, traceback.format_exc()))
        except BaseException:
            write_report(out_dir, results, quick, stem="report.partial")
            raise
        finally:
            bar.close()
        path = write_report(out_dir, results, quick)
    failed = [r[0].name for r in results if r[4]]
    if failed:
        raise RuntimeError(f"studies failed: {failed}; see {path} for the tracebacks")
    return path
