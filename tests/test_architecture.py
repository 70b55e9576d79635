"""The floor plan holds: imports point down (import-linter contract), the packages import light."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_import_contract_kept():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(exe).exists():
        pytest.fail("import-linter is not installed: it is a dev dependency (pip install -e '.[dev]')")
    res = subprocess.run([exe, "--no-cache"], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert "broken" in res.stdout and "0 broken" in res.stdout


def test_library_imports_are_light():
    code = ("import lattices, clusters, tunnelsim, sys; "
            "heavy = [m for m in ('qutip', 'matplotlib.pyplot', 'tunnelsim.studies', 'scipy.optimize') "
            "if m in sys.modules]; "
            "assert not heavy, heavy")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr


def test_face_names_resolve():
    import tunnelsim

    for name in tunnelsim.__all__:
        assert getattr(tunnelsim, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        tunnelsim.nope  # noqa: B018


STUDIES = ROOT / "tunnelsim" / "studies"
#: The report machinery beside the study folders (docs/architecture.md, "The studies").
MACHINERY = {"__init__", "claims", "grading", "report", "runner", "figures", "shared"}
#: A module holds one subject: at most this many lines of code (docstrings, comments and blank lines not counted,
#: so that documentation and Examples never push a module to be split).
MAX_CODE_LINES = 400


def _code_lines(path: Path) -> int:
    import ast
    import io
    import tokenize

    src = path.read_text()
    docs: set[int] = set()
    for node in ast.walk(ast.parse(src)):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant) \
                    and isinstance(first.value.value, str):
                docs.update(range(first.lineno, first.end_lineno + 1))
    skip = (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)
    lines: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type not in skip:
            lines.update(range(tok.start[0], tok.end[0] + 1))
    return len(lines - docs)


def test_modules_hold_one_subject():
    """No module of the library, the studies or the CLI over MAX_CODE_LINES lines of code (docs/architecture.md)."""
    big = [f"{p.relative_to(ROOT)}: {n}" for folder in ("tunnelsim", "clusters", "lattices")
           for p in sorted((ROOT / folder).rglob("*.py")) if (n := _code_lines(p)) > MAX_CODE_LINES]
    assert not big, big


def test_one_study_one_folder():
    """Every step of the report is a package in tunnelsim/studies named like the step; no flat study modules."""
    from tunnelsim.studies.runner import STEPS

    for step in STEPS:
        path = Path(step.module.__file__)
        assert path.name == "__init__.py" and path.parent.parent == STUDIES, (step.name, path)
        assert path.parent.name == step.name
    flat = {p.stem for p in STUDIES.glob("*.py")} - MACHINERY
    assert not flat, f"study modules outside a study folder: {sorted(flat)}"
    folders = {p.name for p in STUDIES.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == {s.name for s in STEPS}, folders ^ {s.name for s in STEPS}


def test_studies_import_no_other_study():
    """One study, one folder: what two studies share lives in tunnelsim/studies/shared.py, not in a study."""
    import ast

    folders = {p.name for p in STUDIES.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    offenders = []
    for folder in folders:
        for path in sorted((STUDIES / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                    [a.name for a in node.names] if isinstance(node, ast.Import) else []
                for name in names:
                    parts = name.split(".")
                    if parts[:2] == ["tunnelsim", "studies"] and len(parts) > 2 and parts[2] in folders \
                            and parts[2] != folder:
                        offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders, offenders
