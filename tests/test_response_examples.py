"""The response examples and the demo step run in quick mode."""

import subprocess
import sys
from pathlib import Path

from tunnelsim.studies.report import VERDICTS, Claim

ROOT = Path(__file__).resolve().parent.parent


def test_fit_heat_capacity_example_recovers_parameters(tmp_path):
    png = tmp_path / "fit.png"
    res = subprocess.run([sys.executable, str(ROOT / "examples" / "fit_heat_capacity.py"), "--quick",
                          "--plot", str(png)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert png.exists()
    rows = {ln.split()[0]: ln.split() for ln in res.stdout.splitlines() if ln.startswith(("c_", "p_", "d_"))}
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


def test_demo_response_quick(tmp_path):
    from tunnelsim.studies.response import run

    claims = run(tmp_path, quick=True)
    assert len(claims) >= 8
    for c in claims:
        assert isinstance(c, Claim) and c.verdict in VERDICTS and c.claim and c.result and c.where
        if c.figure:
            assert (tmp_path / c.figure).exists(), c.figure
    for name in ("response_c_over_t.png", "response_dielectric_v.png", "response_prefactors_x.png",
                 "response_ats_ensemble.png", "response_c_field.png", "response_c_over_t.csv",
                 "response_v_ratio_map.png", "response_v_scan.csv"):
        assert (tmp_path / name).exists(), name
    # the physics checks that must hold; the -1:1 V holds only with T_min far above silica's range
    by_where = {c.where: c for c in claims}
    assert by_where["tunnelsim.ats_parameters_for_ratio"].verdict == "agrees in part"
    assert by_where["tunnelsim.heat_capacity_ats"].verdict == "agrees"
    assert by_where["tunnelsim.dielectric_stm"].verdict == "agrees"
    import tunnelsim

    for c in claims:  # every 'where' names what computed it, on the face
        for name in c.where.split(" + "):
            assert getattr(tunnelsim, name.removeprefix("tunnelsim.")) is not None, c.where
    assert list((tmp_path / ".cache").glob("response_*.jsonl"))  # sweeps cached for resume
