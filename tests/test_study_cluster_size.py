"""The cluster-size study in quick mode: its files, resume, and its grading decisions (issue 18).

A.9 (Delta0_N = N Delta0) is one graded row with its (J, N) cases inside, float64-unresolved gaps kept out as
bounds; the N phi period is a limit claim graded by its trend over at least four couplings.
"""

from __future__ import annotations

import csv
import math

import numpy as np

from tunnelsim.results import load_spectrum
from tunnelsim.studies.claims import Claim, Finding, FindingKind, Verdict
from tunnelsim.studies.cluster_size import run, settings
from tunnelsim.studies.report import check_distinct_claims


def _uniform_2ls_gap(n: int, j: float) -> float:
    """E1 - E0 of the uniform 2LS cluster (Delta = 0, Delta0 = 1 K) from Kronecker products built here."""
    sx, sz = np.array([[0.0, 1.0], [1.0, 0.0]]), np.diag([1.0, -1.0])

    def site(op, i):
        out = np.eye(1)
        for k in range(n):
            out = np.kron(out, op if k == i else np.eye(2))
        return out

    h = sum(0.5 * site(sx, i) for i in range(n))
    h = h + sum(j * site(sz, a) @ site(sz, b) for a in range(n) for b in range(a + 1, n))
    e = np.linalg.eigvalsh(h)
    return e[1] - e[0]


def test_study_size_quick(tmp_path):
    rows = run(tmp_path, quick=True)
    claims = [r for r in rows if isinstance(r, Claim)]
    findings = [r for r in rows if isinstance(r, Finding)]
    assert claims and findings and len(claims) + len(findings) == len(rows)
    check_distinct_claims(rows)
    assert sorted(c.key for c in claims if c.graded) == ["Delta0_N = N Delta0 (A.9)",
                                                         "low multiplet 2 pi-periodic in N phi"]
    for c in claims:
        assert c.regime.text and c.tolerance.reason and c.where and c.cases and c.combine
        assert (c.verdict is Verdict.BEYOND) == (c.conditions["coherent_states_low"] == 0)
        if c.figure:
            assert (tmp_path / c.figure).stat().st_size > 1000
    assert any(f.kind is FindingKind.TIMING for f in findings)  # timings are findings, never graded

    # A.9: one graded row, cases inside; J = -1 K, N = 3 against an exact diagonalisation built here
    gap = next(c for c in claims if c.key.startswith("Delta0_N") and c.graded)
    assert gap.verdict is Verdict.DISAGREES and gap.reconstruction  # A.9's formula is stripped from the text
    case = next(c for c in gap.cases if c.conditions == {"J": -1.0, "N": 3})
    assert abs(case.value - math.log10(_uniform_2ls_gap(3, -1.0) / 3)) < 1e-3
    assert any(c.conditions["N"] == 200 for c in gap.cases)  # the cited N ~ 200
    assert not any(c.note.startswith("bound") for c in gap.cases)  # float64 bounds are never graded values

    # the N phi period: a limit claim, trend over >= 4 couplings, deviation x |J| about 6 (audit: 4.5-6.0)
    flux = next(c for c in claims if c.key.startswith("low multiplet") and c.graded)
    assert flux.trend is not None and len(set(flux.trend.x)) >= 4
    assert flux.verdict is Verdict.AGREES and 4.0 < flux.trend.slope < 6.5
    beyond = [c for c in claims if c.key == flux.key and not c.graded]
    assert [c.conditions["J_K"] for c in beyond] == [-1.0]

    for name in ("clusters_size_two_level.csv", "clusters_size_three_level_flux.csv"):
        with (tmp_path / name).open() as fh:
            assert len(list(csv.reader(fh))) > 10
    spec = load_spectrum(tmp_path / "clusters_size_two_level_J-1.npz")
    assert spec.parameter == "N" and np.isnan(spec.energies[0, -1])  # N = 2 has 3 levels, not 6
    # resumable: each sweep point is cached once (run_sweep's resume is tested in the sweep tests)
    s = settings(quick=True)
    lines = (tmp_path / ".cache" / "size_3ls_quick.jsonl").read_text().splitlines()
    assert len(lines) == len(s["n_list"]) * len(s["j_list"]) * len(s["nphis"])
