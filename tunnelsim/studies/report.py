"""The verification report: report.md / report.html from the studies' rows, and the docs export.

Every study returns a list of rows (:class:`tunnelsim.studies.claims.Claim`, graded with a computed
verdict, or :class:`~tunnelsim.studies.claims.Finding`, ungraded); :mod:`tunnelsim.studies.runner`
collects them and :func:`write_report` writes ``report.md`` and a self-contained ``report.html``
atomically: per study the graded claims, the claims beyond the paper's regime and the findings.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from tunnelsim.files import write_bytes_atomic, write_text_atomic
from tunnelsim.studies.claims import Claim, Finding, Verdict

__all__ = ["write_report", "export_report"]


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _status(row) -> str:
    return str(row.verdict) if isinstance(row, Claim) else f"finding: {row.kind}"


def _summary(results) -> str:
    counts: dict[str, int] = {}
    for _, rows, _, _, _ in results:
        for r in rows:
            counts[_status(r)] = counts.get(_status(r), 0) + 1
    order = [str(v) for v in Verdict] + sorted(k for k in counts if k not in {str(v) for v in Verdict})
    return "Summary: " + ", ".join(f"{k}: {counts[k]}" for k in order if k in counts) + "."


def _claim_tables(rows) -> list[str]:
    graded = [r for r in rows if isinstance(r, Claim) and r.graded]
    beyond = [r for r in rows if isinstance(r, Claim) and not r.graded]
    findings = [r for r in rows if isinstance(r, Finding)]
    out: list[str] = []
    if graded:
        out += ["| claim of the theory | paper | regime of the claim | measured where | "
                "measured, reference, tolerance | verdict | where computed |", "|---|---|---|---|---|---|---|"]
        for r in graded:
            extra = f" {r.detail}" if r.detail else ""
            extra += f" Reconstruction: {r.reconstruction}" if r.reconstruction else ""
            out.append(f"| {_md_cell(r.statement)} | {_md_cell(r.source)} | {_md_cell(r.regime.describe())} | "
                       f"{_md_cell(r.conditions_text())} | {_md_cell(r.result_text() + '.' + extra)} | "
                       f"**{r.verdict}** | `{_md_cell(r.where)}` |")
        out.append("")
    if beyond:
        out += ["Beyond the paper's regime (shown, not graded):", "",
                "| claim of the theory | paper's regime | measured where | result | where computed |",
                "|---|---|---|---|---|"]
        for r in beyond:
            out.append(f"| {_md_cell(r.statement)} | {_md_cell(r.regime.describe())} | "
                       f"{_md_cell(r.conditions_text())} | "
                       f"{_md_cell(r.result_text() + ('. ' + r.detail if r.detail else ''))} | `{_md_cell(r.where)}` |")
        out.append("")
    if findings:
        out += ["| finding (not graded) | kind | result | where computed |", "|---|---|---|---|"]
        for r in findings:
            out.append(f"| {_md_cell(r.statement)} | {r.kind} | {_md_cell(r.result)} | `{_md_cell(r.where)}` |")
        out.append("")
    return out


def _markdown(results, quick: bool) -> str:
    lines = ["# tunnelsim verification report", "",
             f"Mode: {'quick' if quick else 'full'}. Each graded row holds a claim of the theory, the regime in",
             "which the paper makes it, the toolkit's measurement, the reference and a tolerance with its reason;",
             "the verdict is computed from them (" + " / ".join(str(v) for v in Verdict) + "). Findings,",
             "identities and timings are shown without a verdict.", "", _summary(results), ""]
    for step, rows, seconds, cached, error in results:
        lines += [f"## {step.title}", "",
                  f"Study `{step.name}` ({step.module}), {seconds:.1f} s{' (cached)' if cached else ''}.", ""]
        if error:
            lines += ["**This study failed:**", "", "```", error.strip(), "```", ""]
            continue
        lines += _claim_tables(rows)
        for f in sorted({r.figure for r in rows if r.figure}):
            lines.append(f"![{f}]({f})")
        lines.append("")
    return "\n".join(lines)


def _html_rows(rows) -> list[str]:
    body = ["<table><tr><th>claim</th><th>result</th><th>verdict</th><th>where</th></tr>"]
    for r in rows:
        if isinstance(r, Claim):
            text = f"{r.statement} ({r.source}; regime: {r.regime.describe()}; measured at {r.conditions_text()})"
            result = r.result_text()
            result += f". {r.detail}" if r.detail else ""
        else:
            text, result = r.statement, r.result
        status = _status(r)
        cls = {str(Verdict.AGREES): "good", str(Verdict.DISAGREES): "bad"}.get(status, "other")
        body.append(f"<tr class='{cls}'><td>{html.escape(text)}</td><td>{html.escape(result)}</td>"
                    f"<td>{html.escape(status)}</td><td><code>{html.escape(r.where)}</code></td></tr>")
    body.append("</table>")
    return body


def _html(out_dir: Path, results, quick: bool) -> str:
    body = ["<html><head><meta charset='utf-8'><title>tunnelsim verification report</title>",
            "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}table{border-collapse:collapse}"
            "td,th{border:1px solid #bbb;padding:4px;font-size:13px;vertical-align:top}"
            ".good{background:#e6f5e6}.bad{background:#fbe3e3}.other{background:#fff6d9}</style>"
            "</head><body><h1>tunnelsim verification report</h1>",
            f"<p>Mode: {'quick' if quick else 'full'}. {html.escape(_summary(results))}</p>"]
    for step, rows, _seconds, _cached, error in results:
        body.append(f"<h2>{html.escape(step.title)}</h2>")
        if error:
            body.append(f"<pre>{html.escape(error)}</pre>")
            continue
        body += _html_rows(rows)
        for f in sorted({r.figure for r in rows if r.figure}):
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
            write_bytes_atomic(fig_dir / name, (out_dir / name).read_bytes())
    text = re.sub(r"!\[([^\]]*)\]\(([^)]+\.png)\)", r"![\1](figures/report/\2)", text)
    text = text.replace("# tunnelsim verification report", "# Verification report", 1)
    return write_text_atomic(docs_dir / "report.md", text)
