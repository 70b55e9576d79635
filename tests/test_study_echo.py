"""The echo study runs in quick mode, writes its figures and tables and returns findings with numbers (no claims:
the paper states no checkable number for the echo)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np

from tunnelsim.studies.claims import Claim, Finding, FindingKind
from tunnelsim.studies.echo import TAU_FIELDS, run

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "echo_field_dependence.py"


def test_study_echo_quick(tmp_path):
    rows = run(tmp_path, quick=True)
    assert rows and all(isinstance(r, Finding) for r in rows) and not any(isinstance(r, Claim) for r in rows)
    assert any(r.kind is FindingKind.TIMING for r in rows)
    assert sum(r.kind is FindingKind.BEYOND_PAPER for r in rows) >= 3
    for r in rows:
        assert any(ch.isdigit() for ch in r.result) and r.where.startswith("tunnelsim.")
        if r.figure:
            assert (tmp_path / r.figure).stat().st_size > 5000
    with (tmp_path / "echo_B.csv").open() as fh:
        table = [row for row in csv.reader(fh) if row and not row[0].startswith("#")]
    b = np.array([float(r[0]) for r in table[1:]])
    ratio = np.array([float(r[1]) for r in table[1:]])
    assert b[0] == 0.0 and ratio[0] == 1.0
    assert ratio.max() > 1.5 and ratio[-1] < 0.5  # the rise and the high-field loss of resonance
    with (tmp_path / "echo_tau.csv").open() as fh:
        tau_rows = [row for row in csv.reader(fh) if row and not row[0].startswith("#")]
    assert len(tau_rows[0]) == 1 + len(TAU_FIELDS)
    # resumable: a second run reads the cached sweeps and gives the same rows (timings aside)
    again = run(tmp_path, quick=True)
    assert [r.result for r in again if r.kind is not FindingKind.TIMING] == \
        [r.result for r in rows if r.kind is not FindingKind.TIMING]


def test_echo_example_reproduces_the_field_dependence(tmp_path):
    png = tmp_path / "echo_B.png"
    res = subprocess.run([sys.executable, str(EXAMPLE), "--quick", "--plot", str(png)], capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    rows = [ln.split() for ln in res.stdout.splitlines() if ln[:10].strip().replace(".", "").replace("e-", "")
            .isdigit()]
    b, ratio = np.array([float(r[0]) for r in rows]), np.array([float(r[1]) for r in rows])
    assert b[0] == 0.0 and ratio[0] == 1.0 and ratio.max() > 1.5 and ratio[-1] < 0.5
    assert png.stat().st_size > 5000


def test_echo_example_refuses_bad_input_without_a_traceback():
    for args, word in ((["--tau", "-1"], "tau"), (["--fields", "a,b"], "--fields"), (["--workers", "0"], "--workers"),
                       (["--tau", "1e-8"], "overlap")):
        res = subprocess.run([sys.executable, str(EXAMPLE), *args], capture_output=True, text=True, timeout=120)
        assert res.returncode == 2 and word in res.stderr and "Traceback" not in res.stderr, args


def test_docs_echo_code_runs_as_written():
    """Every python block of docs/echo.md runs, in order, in a fresh namespace."""
    import re

    text = (EXAMPLE.parent.parent / "docs" / "echo.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "docs/echo.md", "exec"), namespace)  # noqa: S102
    assert namespace["r"].dims == ("field",) and abs(namespace["a"]) > 0
