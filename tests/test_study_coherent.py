"""The coherent study in quick mode: its files, and the grading decisions that are mechanical (issue 18).

One graded row per claim; the limit claims (loop phase N phi) graded by a trend over at least four couplings;
"tunneling probabilities add up", the N-th order formula, the A.11 reconstruction and the D > 0 premise are
findings, not graded claims; the comparison table holds numbers, not verdict words.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tunnelsim.studies.claims import Claim, Finding, FindingKind, Verdict
from tunnelsim.studies.report import check_distinct_claims

KEYS = {"Delta0_N = sum Delta0_i", "Delta_N = sum Delta_i", "E_a^N = sum_i E_a^i", "loop phase N phi (odd N)",
        "loop phase N phi (even N)", "cluster dipole much smaller than p"}


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    from tunnelsim.studies.coherent import run

    out = tmp_path_factory.mktemp("coherent")
    return out, run(out, quick=True)


def _graded(rows):
    return {r.key: r for r in rows if isinstance(r, Claim) and r.graded}


def test_files_and_rows(study):
    out, rows = study
    for name in ("coherent_comparison.csv", "coherent_extra.csv", "coherent_tunneling_vs_n.png",
                 "coherent_tunneling_vs_j.png", "coherent_asymmetry.png", "coherent_loop_phase.png",
                 "coherent_dipole.png", "coherent_magnetic_n.png", "coherent_3ls_premise.png", "coherent_sum_rule.png"):
        assert (out / name).stat().st_size > 1000, name
    text = (out / "coherent_comparison.csv").read_text()
    assert not any(str(v) in text for v in Verdict)  # numbers only; Claim grades
    for r in rows:
        assert isinstance(r, (Claim, Finding))
        if r.figure:
            assert (out / r.figure).exists()
        if isinstance(r, Claim):
            assert "paper" in r.source.lower() and r.combine and r.cases
            # graded exactly where the coherent states are the low doublet (multiplet)
            assert (r.verdict is Verdict.BEYOND) == bool(r.regime.outside(r.conditions))


def test_each_claim_graded_once(study):
    _, rows = study
    check_distinct_claims(rows)
    graded = [r.key for r in rows if isinstance(r, Claim) and r.graded]
    assert sorted(graded) == sorted(KEYS)


def test_tunneling_rule_one_row_with_all_cases(study):
    """Delta0_N = sum Delta0_i: uniform N, couplings, random clusters and the 3LS twin D_N inside one row."""
    _, rows = study
    row = _graded(rows)["Delta0_N = sum Delta0_i"]
    assert row.verdict is Verdict.DISAGREES
    systems = {c.conditions["system"] for c in row.cases}
    assert {"2LS uniform", "2LS random", "3LS uniform"} <= systems
    assert {c.conditions["N"] for c in row.cases if c.conditions["system"] == "2LS uniform"} >= {2, 200}
    # N = 2, J = -5 K: exact splitting against the 4x4 Hamiltonian built here, rule 2 Delta0
    sx, sz, one = np.array([[0, 1], [1, 0]]), np.diag([1.0, -1.0]), np.eye(2)
    h = 0.5 * (np.kron(sx, one) + np.kron(one, sx)) - 5.0 * np.kron(sz, sz)
    e = np.linalg.eigvalsh(h)
    case = next(c for c in row.cases if c.conditions == {"system": "2LS uniform", "N": 2, "J": -5.0})
    assert case.value == pytest.approx(math.log10((e[1] - e[0]) / 2.0), abs=1e-4)
    # the cases where the coherent states are not low are shown beyond the regime, under the same key
    beyond = [r for r in rows if isinstance(r, Claim) and r.key == row.key and not r.graded]
    assert beyond and all("not low" in c.note for r in beyond for c in r.cases)


@pytest.mark.parametrize("parity, verdict, limit", [("odd", Verdict.AGREES, 0.0), ("even", Verdict.DISAGREES, math.pi)])
def test_loop_phase_graded_by_trend(study, parity, verdict, limit):
    _, rows = study
    row = _graded(rows)[f"loop phase N phi ({parity} N)"]
    assert row.trend is not None and len(set(row.trend.x)) >= 4
    assert (row.measured.value, row.measured.uncertainty) == (row.trend.intercept, row.trend.intercept_err)
    assert row.trend.intercept == pytest.approx(limit, abs=0.02)
    assert row.verdict is verdict and row.reconstruction  # the charge / area relations are stripped from the text
    if parity == "odd":  # the correction is of order D0/|J|: deviation x |J| about 6 rad at phi = 1
        assert row.trend.slope == pytest.approx(6.0, rel=0.1)


def test_findings_not_graded(study):
    """Identities and consequences of graded rows are findings, never claims."""
    _, rows = study
    findings = [r for r in rows if isinstance(r, Finding)]
    claims = [r for r in rows if isinstance(r, Claim)]
    prob = [f for f in findings if "probabilities" in f.statement]
    assert len(prob) == 1 and prob[0].kind is FindingKind.IDENTITY
    assert not any("probabilit" in c.statement for c in claims)
    assert any(f.kind is FindingKind.IDENTITY and f.statement.startswith("N-th order") for f in findings)
    assert not any("N-th order" in c.statement for c in claims)
    a11 = [f for f in findings if "A.11" in f.statement]
    assert len(a11) == 1 and a11[0].kind is FindingKind.RECONSTRUCTION and a11[0].result.startswith("undefined")
    assert not any("magnetic parameter" in c.statement or "premise D > 0" in c.statement for c in claims)
    premise = next(f for f in findings if "premise D > 0" in f.statement)
    for part in premise.result.split("; "):  # every odd N keeps the doublet, every even N has the singlet
        counts = [int(w) for w in part.replace("(h12 < 0)", "").split() if w.isdigit()]
        assert counts[0] == counts[1] and counts[2] == counts[3], part


def test_dipole_row(study):
    _, rows = study
    row = _graded(rows)["cluster dipole much smaller than p"]
    assert row.verdict is Verdict.DISAGREES and row.reconstruction
    assert {c.conditions["dipoles"] for c in row.cases} == {"aligned", "random"}
