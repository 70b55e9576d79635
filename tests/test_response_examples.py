"""The response examples and the demo step run in quick mode."""

import subprocess
import sys
from pathlib import Path

from tunnelsim.studies.claims import Claim, Finding, FindingKind, Verdict

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


def test_demo_response_quick(tmp_path):
    from tunnelsim.studies.response import run

    rows = run(tmp_path, quick=True)
    claims = [r for r in rows if isinstance(r, Claim)]
    assert len(claims) >= 10 and any(isinstance(r, Finding) for r in rows)
    for r in rows:
        assert isinstance(r, (Claim, Finding)) and r.statement and r.where
        if r.figure:
            assert (tmp_path / r.figure).exists(), r.figure
    for name in ("response_c_over_t.png", "response_dielectric_v.png", "response_prefactors_x.png",
                 "response_ats_ensemble.png", "response_c_field.png", "response_c_over_t.csv", "response_fe_law.png",
                 "response_v_ratio_map.png", "response_v_variants.png", "response_v_scan.csv"):
        assert (tmp_path / name).exists(), name
    by_source = {c.statement: c for c in claims}
    eq26 = [c for c in claims if c.where == "tunnelsim.heat_capacity_ats"]
    assert all(c.verdict is Verdict.AGREES for c in eq26) and len(eq26) == 2
    stm = [c for c in claims if c.where == "tunnelsim.dielectric_stm"]
    assert len(stm) == 2 and all(c.verdict is Verdict.AGREES for c in stm)
    third = [c for c in claims if "third level" in c.statement][0]
    assert third.verdict is Verdict.BEYOND  # |E_i| ~ D0: outside the paper's regime, shown but not graded
    # eq. 14 is a reconstruction: both forms are graded, each row names the other with its result
    v_rows = [c for c in claims if "-1:1 V" in c.statement]
    assert len(v_rows) == 2 and all(c.reconstruction for c in v_rows)
    assert "'stm'" in v_rows[0].reconstruction and "'isotropic'" in v_rows[1].reconstruction
    kinds = {r.kind for r in rows if isinstance(r, Finding)}
    assert {FindingKind.RECONSTRUCTION, FindingKind.BEYOND_PAPER, FindingKind.OBSERVATION} <= kinds
    assert len(by_source) == len(claims)
    import tunnelsim

    for r in rows:  # every 'where' names what computed it, on the face
        for name in r.where.split(" + "):
            assert getattr(tunnelsim, name.removeprefix("tunnelsim.")) is not None, r.where
    assert list((tmp_path / ".cache").glob("response_*.jsonl"))  # sweeps cached for resume


def test_study_magnetodielectric_quick(tmp_path):
    from tunnelsim.studies.magnetodielectric import TITLE, run

    rows = run(tmp_path, quick=True)
    assert TITLE
    zero = [r for r in rows if isinstance(r, Claim)]
    assert len(zero) == 1 and zero[0].graded and zero[0].reconstruction  # the B = 0 limit is graded
    assert zero[0].verdict in (Verdict.AGREES, Verdict.INCONCLUSIVE)
    kinds = [r.kind for r in rows if isinstance(r, Finding)]
    assert kinds.count(FindingKind.BEYOND_PAPER) == 2 and FindingKind.TIMING in kinds
    for name in ("magnetodielectric_T.png", "magnetodielectric_B.png", "magnetodielectric_T.csv",
                 "magnetodielectric_B.csv"):
        assert (tmp_path / name).exists(), name
