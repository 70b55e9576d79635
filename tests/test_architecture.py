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
            "heavy = [m for m in ('qutip', 'matplotlib.pyplot', 'tunnelsim.studies') if m in sys.modules]; "
            "assert not heavy, heavy")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr


def test_face_names_resolve():
    import tunnelsim

    for name in tunnelsim.__all__:
        assert getattr(tunnelsim, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        tunnelsim.nope  # noqa: B018


def test_modules_are_small():
    """No module of the library, the studies or the CLI over 500 lines (docs/architecture.md)."""
    big = [f"{p.relative_to(ROOT)}: {n}" for folder in ("tunnelsim", "clusters", "lattices")
           for p in sorted((ROOT / folder).rglob("*.py")) if (n := len(p.read_text().splitlines())) > 500]
    assert not big, big
