"""The lattices examples run in quick mode."""

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("script,expect", [
    ("measure_hull_dimension.py", "hull dimension D_H ="),
    ("percolate_my_graph.py", "True"),
])
def test_example_quick(script, expect, tmp_path):
    args = [sys.executable, str(ROOT / "examples" / script), "--quick"]
    if script.startswith("measure"):
        args += ["--plot", str(tmp_path / "hull.png")]
    out = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT,
                         env={**os.environ, "MPLBACKEND": "Agg"})
    assert out.returncode == 0, out.stderr
    assert expect in out.stdout
    if script.startswith("measure"):
        assert (tmp_path / "hull.png").exists()
