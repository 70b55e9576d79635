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


def test_cluster_ensemble_example_quick():
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "cluster_ensemble.py"), "--quick"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    rows = {int(p[0]): p for p in (ln.split() for ln in out.stdout.splitlines()) if p and p[0].isdigit()}
    assert set(rows) == {1, 2, 4}
    assert float(rows[1][2]) == 1.0  # one particle is its own coherent doublet
    assert float(rows[4][2]) < float(rows[2][2]) < 1.0  # interactions destroy the coherent doublet


def _python_blocks(page: str) -> list[str]:
    text = (ROOT / "docs" / page).read_text()
    return [b.split("```", 1)[0] for b in text.split("```python\n")[1:]]


def test_docs_code_runs_as_written(tmp_path):
    """The tasks of docs/coherent_tunneling.md sec. 8 and docs/cluster_ensembles.md run first try, as written."""
    blocks = _python_blocks("coherent_tunneling.md") + _python_blocks("cluster_ensembles.md")
    assert len(blocks) >= 3
    for code in blocks:
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path,
                             env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
        assert res.returncode == 0, code + "\n" + res.stderr
