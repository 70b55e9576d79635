"""The resumable sweep helper and the reproduce driver."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from tunnelsim import grid, load_results, run_sweep
from tunnelsim.studies.claims import Verdict


def square(x, y=0):
    return {"value": x * x + y}


def test_sweep_writes_each_point_and_resumes(tmp_path):
    path = tmp_path / "s.jsonl"
    pts = grid(x=[1, 2, 3], y=[10])
    calls = []

    def f(x, y):
        calls.append(x)
        if x == 3 and len(calls) == 3 and not path.with_suffix(".flag").exists():
            path.with_suffix(".flag").write_text("")
            raise KeyboardInterrupt
        return square(x, y)

    with pytest.raises(KeyboardInterrupt):
        run_sweep(f, pts, path, progress=False)
    assert [r["params"]["x"] for r in load_results(path)] == [1, 2]  # finished points are kept
    res = run_sweep(f, pts, path, progress=False)
    assert calls == [1, 2, 3, 3]  # only the missing point was recomputed
    assert [r["result"]["value"] for r in res] == [11, 14, 19]


def test_sweep_with_executor_and_truncated_line(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"params": {"x": 1}, "result": {"value": 1}}) + "\n{\"params\": {\"x\"")
    with ThreadPoolExecutor(2) as ex, pytest.warns(RuntimeWarning, match="incomplete last record"):
        res = run_sweep(square, grid(x=[1, 2, 3]), path, executor=ex, progress=False)
    assert [r["result"]["value"] for r in res] == [1, 4, 9]


def test_bad_arguments():
    with pytest.raises(ValueError, match="axis 'x' of the grid is empty"):
        grid(x=[])
    with pytest.raises(TypeError, match="func must be callable"):
        run_sweep(3, [{}])


def test_reproduce_single_step_caches(tmp_path):
    from tunnelsim.studies.runner import reproduce

    report = reproduce(tmp_path, quick=True, only=["single"], progress=False)
    text = report.read_text()
    assert "| claim of the paper |" in text and f"**{Verdict.AGREES}**" in text
    assert (tmp_path / "report.html").read_text().count("data:image/png;base64") >= 2
    cache = json.loads((tmp_path / ".cache" / "step-single.json").read_text())
    assert cache["claims"]
    # second run comes from the cache
    reproduce(tmp_path, quick=True, only=["single"], progress=False)
    assert "(cached)" in report.read_text()
    with pytest.raises(ValueError, match="unknown steps"):
        reproduce(tmp_path, quick=True, only=["nope"], progress=False)


def test_reproduce_quick_all_steps(tmp_path):
    """`tunnelsim reproduce --quick` (the main job in quick mode) runs every step and fills the report."""
    from tunnelsim.cli import main
    from tunnelsim.studies.runner import STEPS

    assert main(["reproduce", "--out", str(tmp_path), "--quick"]) == 0
    text = (tmp_path / "report.md").read_text()
    for step in STEPS:
        assert step.title in text
    assert "This study failed" not in text
    assert f"**{Verdict.DISAGREES}**" in text  # the toolkit reports where the theory fails, not only agreement
    rows = [line for line in text.splitlines() if line.startswith("| ") and "**" in line]
    assert len(rows) >= 15
    pngs = list(tmp_path.glob("*.png"))
    assert len(pngs) >= 15


def test_export_report_to_docs(tmp_path):
    from tunnelsim.studies.report import export_report
    from tunnelsim.studies.runner import reproduce

    out = tmp_path / "out"
    reproduce(out, quick=True, only=["single"], progress=False)
    page = export_report(out, tmp_path / "docs")
    text = page.read_text()
    assert text.startswith("# Verification report")
    assert "](figures/report/spectrum_3ls_flux.png)" in text
    assert (tmp_path / "docs" / "figures" / "report" / "spectrum_3ls_flux.png").exists()
    with pytest.raises(FileNotFoundError, match="run `tunnelsim reproduce"):
        export_report(tmp_path / "nothing", tmp_path / "docs")
