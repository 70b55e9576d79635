"""The verification report: its rows (:class:`Claim`), report.md / report.html, and the docs export.

Every study returns a list of :class:`Claim`; :mod:`tunnelsim.studies.runner` collects them and
:func:`write_report` writes ``report.md`` and a self-contained ``report.html`` atomically.
"""

from __future__ import annotations

import base64
import html
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from tunnelsim.files import write_text_atomic

__all__ = ["Claim", "VERDICTS", "verdict", "write_report", "export_report"]

VERDICTS = ("agrees", "disagrees", "agrees in part")


@dataclass(frozen=True)
class Claim:
    """One row of the report.

    Attributes
    ----------
    claim : str
        What the theory (paper or docs/theory.md) says, in one sentence, with its equation number.
    result : str
        What the toolkit computed, with numbers.
    verdict : str
        One of ``"agrees"``, ``"disagrees"``, ``"agrees in part"``.
    where : str
        The function or module that computed it.
    figure : str
        Optional file name of the figure that shows it (relative to the output folder).
    """

    claim: str
    result: str
    verdict: str
    where: str
    figure: str = ""

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")

    def as_dict(self) -> dict[str, str]:
        """The row as a plain dict (for JSON caching)."""
        return asdict(self)


def verdict(ok: bool) -> str:
    """``"agrees"`` if ``ok`` else ``"disagrees"``."""
    return "agrees" if ok else "disagrees"


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _markdown(results, quick: bool) -> str:
    lines = ["# tunnelsim verification report", "",
             f"Mode: {'quick' if quick else 'full'}. Each row holds a claim of the theory against the exact or",
             "measured result computed by the toolkit. Verdicts: agrees / agrees in part / disagrees.", ""]
    counts: dict[str, int] = {}
    for _, claims, _, _, _ in results:
        for c in claims:
            counts[c.verdict] = counts.get(c.verdict, 0) + 1
    lines += ["Summary: " + ", ".join(f"{v}: {n}" for v, n in sorted(counts.items())) + ".", ""]
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
        for f in sorted({c.figure for c in claims if c.figure}):
            lines.append(f"![{f}]({f})")
        lines.append("")
    return "\n".join(lines)


def _html(out_dir: Path, results, quick: bool) -> str:
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
    return "\n".join(body)


def write_report(out_dir: Path, results, quick: bool, *, stem: str = "report") -> Path:
    """Write ``<stem>.md`` and a self-contained ``<stem>.html`` (figures embedded) atomically.

    ``results`` holds one ``(step, claims, seconds, cached, error)`` per study. Returns the .md path.
    """
    out_dir = Path(out_dir)
    md = write_text_atomic(out_dir / f"{stem}.md", _markdown(results, quick))
    write_text_atomic(out_dir / f"{stem}.html", _html(out_dir, results, quick))
    return md


def export_report(out_dir: str | Path = "out", docs_dir: str | Path = "docs") -> Path:
    """Copy ``out_dir/report.md`` into the docs site as ``docs_dir/report.md`` with its figures.

    The figures go to ``docs_dir/figures/report/`` and the image links are rewritten to match.

    Returns
    -------
    pathlib.Path
        The written docs page.
    """
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
    return write_text_atomic(docs_dir / "report.md", text)
