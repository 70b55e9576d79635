"""The main job: regenerate every figure of the toolkit and the verification report.

``tunnelsim reproduce`` (and ``make demo``) runs each demo step in turn with a progress bar. Each
step writes its figures and tables into the output folder and returns report rows
(:class:`tunnelsim.report.Claim`). A finished step is cached in ``OUT/.cache/<step>.json``, keyed by
the quick flag and a hash of the step's source code, so a second run is fast and an interrupted
run resumes at the first unfinished step (steps also cache their own sweeps inside ``OUT/.cache``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib
import json
import time
import traceback
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from tqdm.auto import tqdm

from .report import Claim

__all__ = ["STEPS", "Step", "reproduce", "write_report", "export_report"]

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Step:
    """One demo step: the module whose ``run(out_dir, quick, executor)`` makes its figures."""

    name: str
    module: str
    title: str


STEPS: tuple[Step, ...] = (
    Step("single", "tunnelsim.demo_single", "Single tunneling systems: flux spectra (3LS, 4LS)"),
    Step("clusters_size", "clusters.demo_size", "Cluster size N: exact spectra of interacting clusters"),
    Step("coherent", "clusters.demo_coherent", "Coherent tunneling: the appendix against exact spectra"),
    Step("lattices", "lattices.demo", "Percolation clusters and the exponent alpha"),
    Step("response", "tunnelsim.demo_response", "Heat capacity and dielectric response"),
    Step("benchmarks", "tunnelsim.demo_benchmarks", "Benchmarks where cheap: solver scaling"),
)


def _source_hash(module_name: str) -> str:
    """Hash of every .py file of the step's top-level package and of tunnelsim's core modules."""
    pkg = module_name.split(".")[0]
    h = hashlib.sha256()
    for folder in sorted({ROOT / pkg, ROOT / "tunnelsim"}):
        for f in sorted(folder.glob("*.py")):
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _run_step(step: Step, out_dir: Path, quick: bool, executor: Executor | None, force: bool):
    cache_dir = out_dir / ".cache"
    cache_dir.mkdir(parents=True, exist_ok=True)
    cache = cache_dir / f"step-{step.name}.json"
    key = {"quick": quick, "source": _source_hash(step.module)}
    if cache.exists() and not force:
        data = json.loads(cache.read_text())
        claims = [Claim(**c) for c in data.get("claims", [])]
        if data.get("key") == key and all((out_dir / c.figure).exists() for c in claims if c.figure):
            return claims, data.get("seconds", 0.0), True
    t0 = time.perf_counter()
    module = importlib.import_module(step.module)
    claims = list(module.run(out_dir, quick=quick, executor=executor))
    seconds = time.perf_counter() - t0
    cache.write_text(json.dumps({"key": key, "seconds": seconds, "claims": [c.as_dict() for c in claims]}, indent=1))
    return claims, seconds, False


def reproduce(out_dir: str | Path = "out", *, quick: bool = False, only: list[str] | None = None,
              executor: Executor | None = None, force: bool = False, progress: bool = True) -> Path:
    """Run every demo step and write ``report.md`` and ``report.html`` into ``out_dir``.

    Parameters
    ----------
    out_dir : path-like
        Output folder for figures, tables, the report and the cache.
    quick : bool
        Small sizes and few samples (under a minute in all; the tests run it).
    only : list of str, optional
        Names of the steps to run (default all: see :data:`STEPS`).
    executor : concurrent.futures.Executor, optional
        Passed to the steps that spread sweeps or samples (e.g. a process pool, or a
        dask.distributed ``Client.get_executor()``).
    force : bool
        Ignore cached step results.
    progress : bool
        Show a progress bar over the steps.

    Returns
    -------
    pathlib.Path
        The path of ``report.md``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = [s.name for s in STEPS]
    if only:
        unknown = [n for n in only if n not in names]
        if unknown:
            raise ValueError(f"only names unknown steps {unknown}; the steps are {names}")
    steps = [s for s in STEPS if not only or s.name in only]
    results = []
    bar = tqdm(steps, desc="reproduce", disable=not progress)
    for step in bar:
        bar.set_postfix_str(step.name)
        try:
            claims, seconds, cached = _run_step(step, out_dir, quick, executor, force)
            results.append((step, claims, seconds, cached, None))
        except KeyboardInterrupt:
            write_report(out_dir, results, quick)
            raise
        except Exception:  # a failing step is reported, never hidden
            results.append((step, [], 0.0, False, traceback.format_exc()))
    write_report(out_dir, results, quick)
    failed = [r[0].name for r in results if r[4]]
    if failed:
        raise RuntimeError(f"demo steps failed: {failed}; see {out_dir / 'report.md'} for the tracebacks")
    return out_dir / "report.md"


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_report(out_dir: Path, results, quick: bool) -> None:
    """Write ``report.md`` and a self-contained ``report.html`` (figures embedded) from step results."""
    lines = ["# tunnelsim verification report", "",
             f"Mode: {'quick' if quick else 'full'}. Each row holds a claim of the theory against the exact or",
             "measured result computed by the toolkit. Verdicts: agrees / agrees in part / disagrees.", ""]
    counts: dict[str, int] = {}
    for _, claims, _, _, _ in results:
        for c in claims:
            counts[c.verdict] = counts.get(c.verdict, 0) + 1
    lines.append("Summary: " + ", ".join(f"{v}: {n}" for v, n in sorted(counts.items())) + ".")
    lines.append("")
    figures: list[str] = []
    for step, claims, seconds, cached, error in results:
        lines += [f"## {step.title}", "",
                  f"Step `{step.name}` ({step.module}), {seconds:.1f} s{' (cached)' if cached else ''}.", ""]
        if error:
            lines += ["**This step failed:**", "", "```", error.strip(), "```", ""]
            continue
        lines += ["| claim of the theory | exact or measured result | verdict | where computed |",
                  "|---|---|---|---|"]
        for c in claims:
            lines.append(f"| {_md_cell(c.claim)} | {_md_cell(c.result)} | **{c.verdict}** | `{_md_cell(c.where)}` |")
        lines.append("")
        figs = sorted({c.figure for c in claims if c.figure})
        for f in figs:
            lines.append(f"![{f}]({f})")
            figures.append(f)
        lines.append("")
    (out_dir / "report.md").write_text("\n".join(lines))

    body = ["<html><head><meta charset='utf-8'><title>tunnelsim verification report</title>",
            "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}table{border-collapse:collapse}"
            "td,th{border:1px solid #bbb;padding:4px;font-size:13px;vertical-align:top}"
            ".agrees{background:#e6f5e6}.disagrees{background:#fbe3e3}.part{background:#fff6d9}</style>"
            "</head><body><h1>tunnelsim verification report</h1>",
            f"<p>Mode: {'quick' if quick else 'full'}.</p>"]
    for step, claims, _seconds, _cached, error in results:
        body.append(f"<h2>{html.escape(step.title)}</h2>")
        if error:
            body.append(f"<pre>{html.escape(error)}</pre>")
            continue
        body.append("<table><tr><th>claim</th><th>result</th><th>verdict</th><th>where</th></tr>")
        for c in claims:
            cls = {"agrees": "agrees", "disagrees": "disagrees"}.get(c.verdict, "part")
            body.append(f"<tr class='{cls}'><td>{html.escape(c.claim)}</td><td>{html.escape(c.result)}</td>"
                        f"<td>{c.verdict}</td><td><code>{html.escape(c.where)}</code></td></tr>")
        body.append("</table>")
        for f in sorted({c.figure for c in claims if c.figure}):
            p = out_dir / f
            if p.exists():
                data = base64.b64encode(p.read_bytes()).decode()
                body.append(f"<p><img style='max-width:100%' src='data:image/png;base64,{data}' alt='{f}'></p>")
    body.append("</body></html>")
    (out_dir / "report.html").write_text("\n".join(body))


def export_report(out_dir: str | Path = "out", docs_dir: str | Path = "docs") -> Path:
    """Copy ``out_dir/report.md`` into the docs site as ``docs_dir/report.md`` with its figures.

    The figures go to ``docs_dir/figures/report/`` and the image links are rewritten to match.

    Returns
    -------
    pathlib.Path
        The written docs page.
    """
    import re
    import shutil

    out_dir, docs_dir = Path(out_dir), Path(docs_dir)
    src = out_dir / "report.md"
    if not src.exists():
        raise FileNotFoundError(f"{src} does not exist: run `tunnelsim reproduce --out {out_dir}` first")
    fig_dir = docs_dir / "figures" / "report"
    fig_dir.mkdir(parents=True, exist_ok=True)
    text = src.read_text()
    for name in re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", text):
        if (out_dir / name).exists():
            shutil.copy2(out_dir / name, fig_dir / name)
    text = re.sub(r"!\[([^\]]*)\]\(([^)]+\.png)\)", r"![\1](figures/report/\2)", text)
    text = text.replace("# tunnelsim verification report", "# Verification report", 1)
    page = docs_dir / "report.md"
    page.write_text(text)
    return page
