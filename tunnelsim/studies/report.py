"""The verification report: report.md / report.html from the studies' rows, and the docs export.

Every study returns a list of rows (:class:`tunnelsim.studies.claims.Claim`, graded with a computed
verdict, or :class:`~tunnelsim.studies.claims.Finding`, ungraded); :mod:`tunnelsim.studies.runner`
collects them and :func:`write_report` writes ``report.md`` and a self-contained ``report.html``
atomically: per study the graded claims, the claims beyond the paper's regime and the findings.
"""

from __future__ import annotations

import base64
import html
import os
import re
from pathlib import Path

from tunnelsim.files import read_bytes_checked, read_text_checked, write_bytes_atomic, write_text_atomic
from tunnelsim.studies.claims import Claim, Finding, Verdict

__all__ = ["write_report", "export_report", "check_distinct_claims"]


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _status(row) -> str:
    return str(row.verdict) if isinstance(row, Claim) else f"finding: {row.kind}"


def _all_rows(results):
    return [r for _, rows, _, _, _ in results for r in rows]


def check_distinct_claims(rows) -> None:
    """Refuse two graded rows of one claim (one key): a claim is graded once, its conditions inside the row."""
    seen: dict[str, int] = {}
    for r in rows:
        if isinstance(r, Claim) and r.graded:
            seen[r.key] = seen.get(r.key, 0) + 1
    dup = sorted(k for k, n in seen.items() if n > 1)
    if dup:
        raise ValueError(f"claims graded more than once (one graded row per claim; put the conditions in the row's "
                         f"cases): {dup}")


def _summary(results) -> str:
    rows = _all_rows(results)
    claims = [r for r in rows if isinstance(r, Claim)]
    graded = [r for r in claims if r.graded]
    counts = {str(v): sum(1 for r in graded if r.verdict is v) for v in Verdict if v is not Verdict.BEYOND}
    kinds: dict[str, int] = {}
    for r in rows:
        if isinstance(r, Finding):
            kinds[str(r.kind)] = kinds.get(str(r.kind), 0) + 1
    text = (f"Summary: {len({r.key for r in graded})} distinct claims of the paper graded ("
            + ", ".join(f"{k}: {n}" for k, n in counts.items()) + ")")
    beyond = len(claims) - len(graded)
    if beyond:
        text += f"; {beyond} measured beyond the paper's regime (shown, not graded)"
    if kinds:
        text += "; ungraded rows: " + ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items()))
    return text + "."


def _bullet(r: Claim) -> str:
    m = r.measured
    if r.gof is not None:
        value = f"p = {r.gof.p_value:.3g}"
    else:
        pm = f" +- {m.uncertainty:.2g}" if m.uncertainty else ""
        value = f"{m.what + ' = ' if m.what else ''}{'< ' if m.bound else ''}{m.value:.4g}{pm}"
    return f"- {r.statement} ({r.source}): {value}."


def _verdict_section(results) -> list[str]:
    """What the paper gets right, what it gets wrong, what cannot be decided here: computed from the rows."""
    graded = [r for r in _all_rows(results) if isinstance(r, Claim) and r.graded]
    heads = ((Verdict.AGREES, "What the paper gets right"), (Verdict.DISAGREES, "What the paper gets wrong"),
             (Verdict.INCONCLUSIVE, "What cannot be decided here"))
    out = ["## The verdict in short", "",
           "Computed from the graded rows below (one row per claim of the paper, graded in the regime the paper "
           "states). Identities (the toolkit's closed forms against its own exact solutions), controls and "
           "findings beyond the paper are not counted here.", ""]
    for verdict, head in heads:
        rows = [r for r in graded if r.verdict is verdict]
        out += [f"**{head}** ({len(rows)}):", ""] + ([_bullet(r) for r in rows] or ["- none"]) + [""]
    return out


def _claim_tables(rows) -> list[str]:
    graded = [r for r in rows if isinstance(r, Claim) and r.graded]
    beyond = [r for r in rows if isinstance(r, Claim) and not r.graded]
    order = {k: i for i, k in enumerate(("identity", "control", "observation", "beyond the paper",
                                         "reconstruction", "timing"))}
    findings = sorted((r for r in rows if isinstance(r, Finding)), key=lambda r: order.get(str(r.kind), 99))
    out: list[str] = []
    if graded:
        out += ["| claim of the paper | paper | regime of the claim | measured where (cases) | "
                "measured, reference, tolerance | verdict | where computed |", "|---|---|---|---|---|---|---|"]
        for r in graded:
            extra = f" {r.detail}" if r.detail else ""
            extra += f" Reconstruction: {r.reconstruction}" if r.reconstruction else ""
            where = r.conditions_text() + (f". Cases: {r.cases_text()}" if r.cases or r.combine else "")
            out.append(f"| {_md_cell(r.statement)} | {_md_cell(r.source)} | {_md_cell(r.regime.describe())} | "
                       f"{_md_cell(where)} | {_md_cell(r.result_text() + '.' + extra)} | "
                       f"**{r.verdict}** | `{_md_cell(r.where)}` |")
        out.append("")
    if beyond:
        out += ["Beyond the paper's regime (shown, not graded):", "",
                "| claim of the paper | paper's regime | measured where | result | where computed |",
                "|---|---|---|---|---|"]
        for r in beyond:
            where = r.conditions_text() + (f". Cases: {r.cases_text()}" if r.cases or r.combine else "")
            out.append(f"| {_md_cell(r.statement)} | {_md_cell(r.regime.describe())} | "
                       f"{_md_cell(where)} | "
                       f"{_md_cell(r.result_text() + ('. ' + r.detail if r.detail else ''))} | `{_md_cell(r.where)}` |")
        out.append("")
    if findings:
        out += ["Not graded against the paper (identities and controls of the toolkit, findings beyond the paper, "
                "timings):", "", "| finding (not graded) | kind | result | where computed |", "|---|---|---|---|"]
        for r in findings:
            out.append(f"| {_md_cell(r.statement)} | {r.kind} | {_md_cell(r.result)} | `{_md_cell(r.where)}` |")
        out.append("")
    return out


def _markdown(results, quick: bool) -> str:
    lines = ["# tunnelsim verification report", "",
             f"Mode: {'quick' if quick else 'full'}. Each graded row holds one claim of the paper, the regime in",
             "which the paper makes it, every condition it was measured under, the toolkit's measurement with its",
             "error, the reference (the theory's prediction for the same inputs) and a tolerance with its reason.",
             "The verdict is computed: agreement only if the value lies inside the tolerance at 2 sigma,",
             "disagreement only if outside at 2 sigma, otherwise undecided (" + " / ".join(str(v) for v in Verdict)
             + "); a limit is graded by its trend, a shape by its goodness of fit.",
             "Identities, controls, findings and timings are shown without a verdict.", "", _summary(results), ""]
    lines += _verdict_section(results)
    for step, rows, seconds, cached, error in results:
        lines += [f"## {step.title}", "",
                  f"Study `{step.name}` ({getattr(step.module, '__name__', step.module)}), {seconds:.1f} s"
                  f"{' (cached)' if cached else ''}.", ""]
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
            result += f". Cases: {r.cases_text()}" if r.cases or r.combine else ""
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
    body += [f"<p>{html.escape(line)}</p>" for line in _verdict_section(results) if line]
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
    check_distinct_claims(_all_rows(results))
    md = write_text_atomic(out_dir / f"{stem}.md", _markdown(results, quick))
    write_text_atomic(out_dir / f"{stem}.html", _html(out_dir, results, quick))
    return md


def export_report(out_dir: str | Path = "out", docs_dir: str | Path = "docs") -> Path:
    """Copy ``out_dir/report.md`` into the docs site as ``docs_dir/report.md`` with its figures.

    The figures go to ``docs_dir/figures/report/`` and the image links are rewritten to match. The report is
    read as untrusted text: every image link must be a plain file name (no folder part, not absolute, no
    ``..``), so nothing outside ``out_dir`` is read and nothing outside ``docs_dir`` is written.

    Returns
    -------
    pathlib.Path
        The written docs page.

    Raises
    ------
    FileNotFoundError
        ``out_dir/report.md`` does not exist.
    ValueError
        The report is not a regular UTF-8 file, or it links an image by a path that is not a plain name.
    """
    out_dir, docs_dir = Path(out_dir), Path(docs_dir)
    src = out_dir / "report.md"
    if not os.path.lexists(src):
        raise FileNotFoundError(f"{src} does not exist: run `tunnelsim reproduce --out {out_dir}` first")
    text = read_text_checked(src, "the report", max_bytes=64 * 2**20)
    names = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", text)
    bad = [n for n in names if n in (".", "..") or not re.fullmatch(r"[^/\\\x00:~][^/\\\x00]*", n)]
    if bad:
        raise ValueError(f"{src} links the image {bad[0]!r}, which is not a plain file name inside {out_dir}; "
                         "the report is not exported")
    fig_dir = docs_dir / "figures" / "report"
    fig_dir.mkdir(parents=True, exist_ok=True)
    for name in dict.fromkeys(names):
        figure = out_dir / name
        if figure.is_file() and not figure.is_symlink():
            write_bytes_atomic(fig_dir / name, read_bytes_checked(figure, "a figure of the report"))
    text = re.sub(r"!\[([^\]]*)\]\(([^)]+\.png)\)", r"![\1](figures/report/\2)", text)
    text = text.replace("# tunnelsim verification report", "# Verification report", 1)
    return write_text_atomic(docs_dir / "report.md", text)
