"""The cluster-size study runs in quick mode, writes its files and returns computed, regime-aware rows."""

from __future__ import annotations

import csv
import math

import numpy as np

from tunnelsim.results import load_spectrum
from tunnelsim.studies.claims import Claim, Finding, FindingKind, Verdict
from tunnelsim.studies.cluster_size import run


def test_study_size_quick(tmp_path):
    rows = run(tmp_path, quick=True)
    claims = [r for r in rows if isinstance(r, Claim)]
    findings = [r for r in rows if isinstance(r, Finding)]
    assert claims and findings and len(claims) + len(findings) == len(rows)
    for c in claims:
        assert c.regime.text and c.tolerance.reason and c.where
        if c.figure:
            assert (tmp_path / c.figure).stat().st_size > 1000
    # timings are findings, never graded
    assert any(f.kind is FindingKind.TIMING for f in findings)
    gap = [c for c in claims if "lowest gap" in c.statement]
    # graded only where the coherent states are the low doublet
    for c in gap:
        assert (c.verdict is Verdict.BEYOND) == (c.conditions["coherent_states_low"] == 0)
    # J = -1 K: graded, and the exact gap is far below N Delta0
    strong = next(c for c in gap if c.conditions["J_K"] == -1.0)
    assert strong.verdict is Verdict.DISAGREES and strong.measured.value < math.log10(strong.conditions["N"]) - 3
    flux = [c for c in claims if "period 2 pi" in c.statement]
    assert len(flux) == 4 and all(c.verdict in (Verdict.AGREES, Verdict.DISAGREES, Verdict.BEYOND) for c in flux)
    for name in ("clusters_size_two_level.csv", "clusters_size_three_level_flux.csv"):
        with (tmp_path / name).open() as fh:
            assert len(list(csv.reader(fh))) > 10
    spec = load_spectrum(tmp_path / "clusters_size_two_level_J-1.npz")
    assert spec.parameter == "N" and np.isnan(spec.energies[0, -1])  # N = 2 has 3 levels, not 6
    # resumable: the sweep caches exist and a second run reads them
    assert list((tmp_path / ".cache").glob("*.jsonl"))
    again = run(tmp_path, quick=True)
    assert [r.verdict for r in again if isinstance(r, Claim)] == [c.verdict for c in claims]
