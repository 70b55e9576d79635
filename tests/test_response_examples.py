"""The response examples and the demo step run in quick mode."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_fit_heat_capacity_example_recovers_parameters(tmp_path):
    png = tmp_path / "fit.png"
    res = subprocess.run([sys.executable, str(ROOT / "examples" / "fit_heat_capacity.py"), "--quick",
                          "--plot", str(png)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert png.exists()
    table = res.stdout.split("\n\n")[0]  # the value/stderr/true table comes before the report
    rows = {ln.split()[0]: ln.split() for ln in table.splitlines() if ln.startswith(("c_", "p_", "d_"))}
    for name in ("c_debye", "c_2ls", "p_star", "d_min"):
        val, err, true = map(float, rows[name][1:4])
        assert abs(val - true) < 5 * err + 1e-9, name


def test_fit_heat_capacity_example_reports_bad_file(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("T,C\n0.1,1.0\n0.2,oops\n")
    res = subprocess.run([sys.executable, str(ROOT / "examples" / "fit_heat_capacity.py"), str(f)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode != 0 and "line 3" in res.stderr


def test_dielectric_example_reports_minus_two_to_one(tmp_path):
    res = subprocess.run([sys.executable, str(ROOT / "examples" / "dielectric_v_shape.py"), "--quick"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    line = [ln for ln in res.stdout.splitlines() if ln.startswith("slope below")][0]
    lo = float(line.split("=")[1].split(",")[0])
    assert -2.1 < lo < -1.9
    assert "ratio 2.0" in line  # the -2:1 V of silica


def test_dielectric_example_with_the_minus_one_to_one_preset(tmp_path):
    res = subprocess.run([sys.executable, str(ROOT / "examples" / "dielectric_v_shape.py"), "--quick",
                          "--preset", "multicomponent_dielectric_v"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    line = [ln for ln in res.stdout.splitlines() if ln.startswith("slope below")][0]
    assert "ratio 1.0" in line
    bad = subprocess.run([sys.executable, str(ROOT / "examples" / "dielectric_v_shape.py"), "--preset",
                          "k2o_silica_illustrative"], capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "not a dielectric preset" in bad.stderr


def test_magnetocapacitance_example_reproduces_the_zero_field_limit(tmp_path):
    png = tmp_path / "mc.png"
    res = subprocess.run([sys.executable, str(ROOT / "examples" / "magnetocapacitance.py"), "--quick", "--plot",
                          str(png)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    line = [ln for ln in res.stdout.splitlines() if ln.startswith("B = 0 against")][0]
    assert float(line.split("difference")[1].split()[0]) < 0.05
    assert png.exists()


def test_fit_example_saves_a_result_that_loads(tmp_path):
    out = tmp_path / "fit.json"
    res = subprocess.run([sys.executable, str(ROOT / "examples" / "fit_heat_capacity.py"), "--quick", "--save",
                          str(out)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "95% interval" in res.stdout
    import tunnelsim

    assert tunnelsim.FitResult.load(out).params["d_min"] > 0


def test_docs_response_code_runs_as_written(tmp_path, monkeypatch):
    """Every python block of docs/response.md runs, in order, in a fresh namespace (issue 12: first try)."""
    import re

    text = (ROOT / "docs" / "response.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 3
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for code in blocks:
        exec(compile(code, "docs/response.md", "exec"), namespace)  # noqa: S102 - the docs' own code
