"""The code of docs/fractal_clustering.md runs as written (the task "p_c and D of a lattice", first try).

Every fenced ``python`` block of the page is executed in order in one namespace, in a temporary
folder, and the printed numbers are checked against the literature values quoted beside them.
"""

import contextlib
import io
import os
import re
from pathlib import Path

import numpy as np

DOC = Path(__file__).resolve().parents[1] / "docs" / "fractal_clustering.md"


def _blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", DOC.read_text(), flags=re.S | re.M)


def test_the_page_has_runnable_blocks():
    blocks = _blocks()
    assert len(blocks) >= 2
    assert any("percolation_threshold" in b and "fractal_dimension" in b for b in blocks)


def test_docs_code_runs_as_written(tmp_path):
    here = os.getcwd()
    namespace: dict = {"__name__": "__docs__"}
    out = io.StringIO()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(out):
            for block in _blocks():
                exec(compile(block, str(DOC), "exec"), namespace)  # noqa: S102 - the page's own code
    finally:
        os.chdir(here)
    # the quick start's estimates, against the literature (independent of the estimators' code)
    pc, D = namespace["pc"], namespace["D"]
    assert abs(pc.value - 0.59274605) < 4 * pc.stderr  # Jacobsen 2015
    assert abs(D.value - 91 / 48) < 4 * D.stderr  # exact 2D value
    assert np.isfinite(namespace["nnn_pc"].value) and abs(namespace["nnn_pc"].value - 0.40725) < 0.02
    assert (tmp_path / "dimension.png").stat().st_size > 5000
    assert "p_c" in out.getvalue()
