"""The cluster example scripts run in quick mode."""

from __future__ import annotations

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_how_large_can_n_be_quick():
    res = subprocess.run([sys.executable, str(ROOT / "examples" / "how_large_can_n_be.py"), "--quick"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert "matrix_free" in res.stdout
    assert "uniform 3LS N=60" in res.stdout
