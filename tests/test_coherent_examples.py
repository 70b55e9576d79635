"""The coherent-tunneling example runs in quick mode and answers its question."""

from __future__ import annotations

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_is_delta0_n_sum_delta0_quick():
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "is_delta0_n_sum_delta0.py"), "--quick"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    lines = [ln.split() for ln in out.stdout.splitlines() if ln.strip() and ln.split()[0].isdigit()]
    table = {int(p[0]): [float(x) for x in p[1:4]] for p in lines}
    assert table[1][0] == 0.0 and table[1][1] == 0.0
    # docs/coherent_tunneling.md: N = 12 splitting 1.4675e-21 K for Delta0 = 1 K, J = -5 K
    assert abs(table[12][0] - (-20.8334)) < 1e-3
    assert table[200][0] < -600 < table[200][1]
    assert "Answer: no" in out.stdout
