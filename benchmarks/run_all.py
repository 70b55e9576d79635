"""Run every benchmark (benchmarks/bench_*.py) and write docs/benchmarks.md.

Each benchmark module has ``main(quick=False) -> list[dict]`` whose rows hold our time, the time of a
baseline measured in the same run (the naive QuTiP way, networkx, a textbook loop) and their ratio.
Usage: python benchmarks/run_all.py [--quick] [--only NAME,...] [--update]
(``--update`` with ``--only``: replace only those sections of docs/benchmarks.md, keep the others.)
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import platform
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tunnelsim.files import write_text_atomic  # noqa: E402

#: Title of the closing section of docs/benchmarks.md (the cluster scaling figure).
FIGURE_SECTION = "Cluster solvers: time and memory versus N"


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(HERE))
    spec.loader.exec_module(mod)
    return mod


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    ap.add_argument("--update", action="store_true", help="with --only: replace those sections in --out")
    args = ap.parse_args()
    only = [x for x in args.only.split(",") if x]
    sections = []
    failed = False
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"== {name}", flush=True)
        try:
            mod = _load(path)
            rows = mod.main(quick=args.quick)
            extra = list(getattr(mod, "extra_markdown", []))
        except Exception:
            traceback.print_exc()
            failed = True
            sections.append((name, None, []))
            continue
        for r in rows:
            print(f"  {r['benchmark']}: ours {r['ours_s']:.4g} s, {r['baseline']} {r['baseline_s']:.4g} s, "
                  f"ratio {r['ratio']:.1f}x  {r.get('notes', '')}", flush=True)
        sections.append((name, rows, extra))
    lines = ["# Benchmarks", "",
             f"Latest run: {datetime.date.today().isoformat()}, {'quick' if args.quick else 'full'} mode, "
             f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the start (shared "
             "machine). Regenerate with `make bench`.",
             "", "Every ratio is baseline time / our time, both measured in the same run, under the same rules: "
             "each side imported and warmed on a small case before its timed block (compilation, imports and "
             "first calls never timed), the same tolerance (QuSpin is shown at the toolkit's tolerance and at its "
             "default beside it), runs interleaved and repeated (the minimum quoted) and the load average "
             "recorded with them. The baseline of each row is the strongest reasonable alternative we know for "
             "that job; the notes say what it is and where it stands.", ""]
    for name, rows, extra in sections:
        lines += [f"## {name}", ""]
        if rows is None:
            lines += ["The benchmark failed in this run.", ""]
            continue
        lines += ["| benchmark | ours (s) | baseline | baseline (s) | ratio | notes |", "|---|---|---|---|---|---|"]
        for r in rows:
            has_base = r["baseline_s"] == r["baseline_s"]  # NaN: no baseline for this row
            base = f"{r['baseline_s']:.4g}" if has_base else "-"
            ratio = f"{r['ratio']:.1f}x" if has_base else "-"
            name = r["baseline"] if has_base else "-"
            notes = str(r.get("notes", "")).replace("|", "\\|")
            lines.append(f"| {r['benchmark']} | {r['ours_s']:.4g} | {name} | {base} | {ratio} | {notes} |")
        lines.append("")
        lines += extra
    figure = ROOT / "docs" / "figures" / "clusters_scaling.png"
    if figure.exists():
        lines += [f"## {FIGURE_SECTION}", "", "![scaling](figures/clusters_scaling.png)", ""]
    if not only:
        write_text_atomic(args.out, "\n".join(lines))
        print(f"wrote {args.out}")
    elif args.update and not failed:
        write_text_atomic(args.out, _updated(Path(args.out).read_text(), "\n".join(lines), only))
        print(f"updated {', '.join(only)} in {args.out}")
    return 1 if failed else 0


def _sections(text: str) -> tuple[str, dict[str, str]]:
    """(head, {name: body}) of a benchmarks.md: the text before the first "## " and each "## name" section."""
    parts = text.split("\n## ")
    return parts[0], {p.split("\n", 1)[0].strip(): "## " + p for p in parts[1:]}


def _updated(old: str, new: str, names: list[str]) -> str:
    """``old`` with the sections ``names`` (and the figure section) taken from ``new``; the new header line."""
    head_old, old_sec = _sections(old)
    head_new, new_sec = _sections(new)
    for name in names + [FIGURE_SECTION]:
        if name in new_sec:
            old_sec[name] = new_sec[name]
    note = "\n".join(line for line in head_new.splitlines() if line.startswith("Latest run"))
    for name in names:
        if name in new_sec:
            title, body = old_sec[name].split("\n", 1)
            old_sec[name] = f"{title}\n\nThis section: {note[0].lower()}{note[1:]}\n{body}"
    figure = old_sec.pop(FIGURE_SECTION, None)  # the figure stays last, after a section new to the file
    if figure is not None:
        old_sec[FIGURE_SECTION] = figure
    return head_old.rstrip("\n") + "\n\n" + "\n".join(body.rstrip("\n") + "\n" for body in old_sec.values())


if __name__ == "__main__":
    raise SystemExit(main())
