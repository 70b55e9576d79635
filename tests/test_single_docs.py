"""docs/single.md runs first try: its Python blocks, in order, in one namespace."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_single_page_code_runs():
    text = (ROOT / "docs" / "single.md").read_text()
    blocks = [b.split("```", 1)[0] for b in text.split("```python\n")[1:]]
    assert len(blocks) >= 5
    res = subprocess.run([sys.executable, "-c", "\n".join(blocks)], capture_output=True, text=True, timeout=300,
                         cwd=ROOT, env={**os.environ, "MPLBACKEND": "Agg"})
    assert res.returncode == 0, res.stderr[-3000:]
    out = res.stdout
    assert "[-2.  0.  0.  2.]" in out  # the plain square, d2 = 0
    assert "[-1. -1. -1.  3.]" in out  # the tetrahedron, K4
    assert "1.69612415796296" in out and "inf" in out
    assert out.rstrip().endswith("True")  # the triangle is the 3LS
