"""The response and magnetodielectric studies in quick mode, and their grading decisions (issue 18).

Mechanical rules held here: the toolkit's closed forms checked against themselves are identities, not claims;
each claim key is graded once; limit claims carry a trend, the g = P*/E shape a goodness of fit; the -1:1 V is
one row with both forms of eq. 14 as cases; the x dependence of the magnetic response (paper sec. 5) is shown;
the magnetocapacitance of the report is the measured difference (negative at 1 T and 10 T near 50 mK).
"""

from __future__ import annotations

import csv

import pytest

import tunnelsim
from tunnelsim.studies.claims import Claim, Finding, FindingKind, Verdict
from tunnelsim.studies.report import check_distinct_claims


@pytest.fixture(scope="module")
def response(tmp_path_factory):
    from tunnelsim.studies.response import run

    out = tmp_path_factory.mktemp("response")
    return out, run(out, quick=True)


@pytest.fixture(scope="module")
def magnetodielectric(tmp_path_factory):
    from tunnelsim.studies.magnetodielectric import TITLE, run

    out = tmp_path_factory.mktemp("magnetodielectric")
    assert TITLE
    return out, run(out, quick=True)


def _claims(rows):
    return [r for r in rows if isinstance(r, Claim)]


def test_response_study_writes_its_figures_and_every_row_names_what_computed_it(response):
    out, rows = response
    for r in rows:
        assert isinstance(r, (Claim, Finding)) and r.statement and r.where
        if r.figure:
            assert (out / r.figure).exists(), r.figure
        for name in r.where.split(" + "):
            assert getattr(tunnelsim, name.removeprefix("tunnelsim.")) is not None, r.where
    for name in ("response_c_over_t.png", "response_dielectric_v.png", "response_prefactors_x.png",
                 "response_ats_ensemble.png", "response_c_field.png", "response_c_over_t.csv", "response_fe_law.png",
                 "response_v_ratio_map.png", "response_v_variants.png", "response_v_scan.csv",
                 "response_magnetic_x.png"):
        assert (out / name).exists(), name
    assert list((out / ".cache").glob("response_*.jsonl"))  # sweeps cached for resume


def test_self_checks_are_identities_not_claims(response):
    _, rows = response
    identities = [r for r in rows if isinstance(r, Finding) and r.kind is FindingKind.IDENTITY]
    text = " ".join(r.statement for r in identities)
    assert "closed form of eq. 26" in text and "shoulder P* ln 2" in text and "tan delta = (pi/2) chi" in text
    claims = _claims(rows)
    assert not [c for c in claims if c.where == "tunnelsim.heat_capacity_ats"]  # eq. 26 vs itself: no claim
    assert not [c for c in claims if "plateau" in c.statement]
    assert all("paper" in c.source.lower() for c in claims)


def test_each_claim_is_graded_once_and_by_the_right_statistic(response, magnetodielectric):
    rows = response[1] + magnetodielectric[1]
    check_distinct_claims(rows)
    graded = [c for c in _claims(rows) if c.graded]
    assert len({c.key for c in graded}) == len(graded)
    by_key = {c.key: c for c in graded}
    assert by_key["g(E) = P*/E"].gof is not None  # a shape: goodness of fit, no fitted slope
    for key in ("near-degenerate ATS = effective 2LS (heat capacity)", "STM slope -2 below T_min",
                "STM slope +1 above T_min", "near-degenerate ATS = effective 2LS (dielectric)"):
        assert by_key[key].trend is not None and len(by_key[key].trend.x) >= 3, key  # limit laws: by trend
    v = by_key["ATS turn the -2:1 V into -1:1"]  # one row, both forms of eq. 14 inside it
    assert v.reconstruction and "'stm'" in v.reconstruction
    assert {c.conditions["eq14"] for c in v.cases} == {"isotropic", "stm"}
    spread = abs(v.cases[0].value - v.cases[1].value)  # the reconstruction of eq. 14 is the row's error
    assert v.measured.uncertainty == pytest.approx(spread / 2)
    assert v.verdict is Verdict.INCONCLUSIVE  # the two forms bracket -1:1
    third = [c for c in _claims(rows) if "third level" in c.statement][0]
    assert third.verdict is Verdict.BEYOND  # |E_i| ~ D0: outside the paper's regime, shown but not graded


def test_the_x_dependence_of_the_magnetic_response_is_shown(response):
    _, rows = response
    x_rows = [r for r in rows if isinstance(r, Finding) and "scale" in r.statement and "x" in r.statement]
    kinds = {r.kind for r in x_rows}
    assert {FindingKind.IDENTITY, FindingKind.OBSERVATION} <= kinds
    assert all(r.figure == "response_magnetic_x.png" for r in x_rows)


def test_magnetodielectric_rows_and_the_measured_magnetocapacitance(magnetodielectric):
    out, rows = magnetodielectric
    claims = _claims(rows)
    assert len(claims) == 1 and claims[0].graded and claims[0].reconstruction  # the B = 0 limit is graded
    assert claims[0].verdict in (Verdict.AGREES, Verdict.INCONCLUSIVE)
    kinds = [r.kind for r in rows if isinstance(r, Finding)]
    assert kinds.count(FindingKind.BEYOND_PAPER) == 2 and FindingKind.TIMING in kinds
    for name in ("magnetodielectric_T.png", "magnetodielectric_B.png", "magnetodielectric_T.csv",
                 "magnetodielectric_B.csv"):
        assert (out / name).exists(), name
    with open(out / "magnetodielectric_B.csv") as fh:
        table = [r for r in csv.DictReader(fh) if not r["B_T"].startswith("#")]
    strong = [r for r in table if float(r["B_T"]) > 5.0]
    assert strong and all(float(r["mc_T0.05K"]) < -0.1 and float(r["van_vleck"]) < -0.5 for r in strong)
