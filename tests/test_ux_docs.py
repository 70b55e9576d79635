"""The docs agree with the code: cli.md's quoted defaults against argparse, --help shows defaults, one full-run
time on every page and near the committed report's own study times, API pages that mark internal modules, a
pyproject that installs without the license-table deprecation."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import pkgutil
import re
from pathlib import Path

import pytest

from tunnelsim.cli import _parser

ROOT = Path(__file__).resolve().parents[1]


def _subparsers():
    p = _parser()
    return next(a for a in p._actions if isinstance(a, argparse._SubParsersAction)).choices


def _same(doc: str, default) -> bool:
    if isinstance(default, list):
        return [float(x) for x in doc.split(",")] == [float(x) for x in default]
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        return float(doc) == float(default)
    return doc == str(default)


def test_cli_md_defaults_are_argparse_defaults():
    text = (ROOT / "docs" / "cli.md").read_text()
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    subs = _subparsers()
    checked = 0
    for sec in sections:
        name = sec.split(":")[0].strip()
        block = re.search(r"^Defaults: (.*?)(?:\n\n|\Z)", sec, flags=re.M | re.S)
        assert block, f"docs/cli.md section {name!r} has no 'Defaults:' line"
        actions = {a.option_strings[0]: a for a in subs[name]._actions if a.option_strings}
        for opt, value in re.findall(r"`(--[\w-]+) ([^`]+)`", block.group(1)):
            assert opt in actions, f"docs/cli.md: {name} has no option {opt}"
            assert _same(value, actions[opt].default), (name, opt, value, actions[opt].default)
            checked += 1
    assert checked >= 25


@pytest.mark.parametrize("name", ["spectrum", "cluster", "fit", "magnetocapacitance", "reproduce"])
def test_help_shows_defaults(name):
    text = _subparsers()[name].format_help()
    for a in _subparsers()[name]._actions:
        if a.option_strings and a.help and a.default not in (None, argparse.SUPPRESS) \
                and not isinstance(a.default, bool):
            assert f"{a.option_strings[0]}" in text
    assert "(default:" in text


def _minutes(path: Path) -> set[int]:
    return {int(m) for m in re.findall(r"about (\d+) minutes on 2 cores", path.read_text())}


def test_full_run_time_is_one_number_near_the_committed_report():
    pages = [ROOT / "README.md", ROOT / "docs" / "index.md", ROOT / "docs" / "cli.md"]
    quoted = set().union(*(_minutes(p) for p in pages))
    assert len(quoted) == 1, f"the pages quote different full-run times: {quoted}"
    assert all(_minutes(p) for p in pages), [p.name for p in pages if not _minutes(p)]
    report = (ROOT / "docs" / "report.md").read_text()
    seconds = [float(s) for s in re.findall(r"^Study `\w+` \([\w.]+\), ([\d.]+) s\.", report, flags=re.M)]
    assert len(seconds) >= 8
    total = sum(seconds) / 60
    assert total / 1.5 <= quoted.pop() <= total * 1.5, total
    assert "two hours" not in (ROOT / "docs" / "index.md").read_text()


def _face_modules():
    import clusters
    import lattices
    import tunnelsim

    out = set()
    for pkg in (tunnelsim, clusters, lattices):
        for n in pkg.__all__:
            module = getattr(getattr(pkg, n), "__module__", None)
            if module:
                out.add(module)
    return out


@pytest.mark.parametrize("page, package", [("tunnelsim", "tunnelsim"), ("clusters", "clusters"),
                                           ("lattices", "lattices")])
def test_api_pages_mark_internal_modules(page, package):
    text = (ROOT / "docs" / "api" / f"{page}.md").read_text()
    public_part, _, internal_part = text.partition("## Internal modules")
    assert internal_part, f"docs/api/{page}.md has no 'Internal modules' section"
    public = set(re.findall(r"^::: ([\w.]+)", public_part, flags=re.M))
    internal = set(re.findall(r"^::: ([\w.]+)", internal_part, flags=re.M))
    face = {m for m in _face_modules() if m.split(".")[0] == package}
    assert face <= public, f"face modules missing from the public part: {sorted(face - public)}"
    assert not (internal & face), sorted(internal & face)
    pkg = importlib.import_module(package)
    every = {i.name for i in pkgutil.walk_packages(pkg.__path__, package + ".")
             if not any(part.startswith("_") for part in i.name.split(".")) and ".studies" not in i.name}
    assert every <= public | internal, f"modules on no API page: {sorted(every - public - internal)}"
    stale = sorted(m for m in public | internal if importlib.util.find_spec(m) is None)
    assert not stale, f"docs/api/{page}.md lists modules that no longer exist: {stale}"


def test_pyproject_installs_cleanly():
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert isinstance(data["project"]["license"], str)  # a table is deprecated by setuptools >= 77
    assert any(r.replace(" ", "").startswith("setuptools>=7") for r in data["build-system"]["requires"])
    assert any(d.startswith("lmfit") for d in data["project"]["dependencies"])


def test_index_results_as_data_example_runs(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    text = (ROOT / "docs" / "index.md").read_text()
    block = text.split("## Results as data")[1].split("```python")[1].split("```")[0]
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "docs/index.md", "exec"), {})
    assert (tmp_path / "s.nc").exists() and (tmp_path / "s.csv").exists()
