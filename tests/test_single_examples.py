import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_plot_3ls_example_runs(tmp_path):
    out = tmp_path / "f.png"
    res = subprocess.run([sys.executable, str(ROOT / "examples" / "plot_3ls_spectrum_vs_field.py"), "--quick",
                          "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    diff = float(res.stdout.split("max |diff| = ")[1].split()[0])
    assert diff < 1e-12 and out.exists()


def test_readme_example_runs():
    """The README's first Python example runs and its closed form equals the exact levels."""
    text = (ROOT / "README.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "MPLBACKEND": "Agg"})
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == lines[1]  # h.eigenenergies() and Viete print the same levels


def test_tetrahedron_example_runs(tmp_path):
    out = tmp_path / "t.png"
    res = subprocess.run([sys.executable, str(ROOT / "examples" / "tetrahedron_in_a_field.py"), "--quick",
                          "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "[-1. -1. -1.  3.]" in res.stdout and out.exists()
    slopes = [float(line.split("moves by ")[1].split()[0]) for line in res.stdout.splitlines() if "moves by" in line]
    assert len(slopes) == 3 and all(abs(s - 1 / 3**0.5) < 1e-3 for s in slopes)
