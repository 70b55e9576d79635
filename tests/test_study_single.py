"""The single-system study: quick run, the kinds of its rows (identities apart, limits graded by trend), its numbers.

References written here: the perturbative slope of the 4LS doublet ratio (degenerate perturbation theory by hand,
from the paper's E = 0 levels 2 d1 cos(phi/4 + pi k/2) + d2 (-1)^k), and numpy eigvalsh of a 3LS matrix built here.
"""

from __future__ import annotations

import numpy as np
import pytest

from tunnelsim.studies.claims import Claim, Finding, FindingKind, Verdict
from tunnelsim.studies.report import check_distinct_claims


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    from tunnelsim.studies.single import run

    out = tmp_path_factory.mktemp("single")
    return out, run(out, quick=True)


def test_quick_run_writes_its_figures_and_table(rows):
    out, result = rows
    for name in ("spectrum_3ls_flux", "spectrum_4ls_flux", "4ls_doublet_threshold", "effective_gap_error"):
        assert (out / f"{name}.png").stat().st_size > 1000
    assert (out / "effective_gap_error.csv").stat().st_size > 100
    assert all(isinstance(r, (Claim, Finding)) for r in result)
    assert all((out / r.figure).exists() for r in result if r.figure)


def test_three_paper_claims_each_graded_once_by_its_trend(rows):
    _, result = rows
    claims = [r for r in result if isinstance(r, Claim)]
    assert len(claims) == 3
    check_distinct_claims(claims)
    for c in claims:
        assert "paper" in c.source.lower()
        assert c.graded and c.verdict is Verdict.AGREES, c.result_text()
        # a limit: graded by the extrapolation of a trend over >= 4 values of the small parameter, all inside the
        # paper's regime, never by the worst point at the regime's edge
        assert c.trend is not None and len(set(c.trend.x)) >= 4
        assert (c.measured.value, c.measured.uncertainty) == (c.trend.intercept, c.trend.intercept_err)
        assert max(c.trend.x) <= 0.1 and len(c.cases) >= 3
        assert abs(c.measured.value) + 2 * c.measured.uncertainty < c.tolerance.value
    ats = next(c for c in claims if "ATS" in c.statement)
    assert ats.reconstruction  # the paper's gap formula is not in its available text
    assert {case.conditions["limit"] for case in ats.cases} == {"E and phi", "E only", "phi only"}


def test_identities_and_findings_are_not_graded(rows):
    _, result = rows
    found = [r for r in result if isinstance(r, Finding)]
    kinds = {r.statement.split(" ")[0]: r.kind for r in found}
    viete = next(r for r in found if r.statement.startswith("Viete"))
    quartic = next(r for r in found if "quartic" in r.statement)
    threshold = next(r for r in found if "threshold" in r.statement)
    assert viete.kind is quartic.kind is threshold.kind is FindingKind.IDENTITY, kinds
    assert float(viete.result.split("= ")[1].split(" ")[0]) < 1e-12
    end = next(r for r in found if r.kind is FindingKind.BEYOND_PAPER)
    assert f"{2 * np.arcsin(0.75):.6f}" in end.result
    assert any(r.kind is FindingKind.OBSERVATION and "ATS" in r.statement for r in found)


def test_ground_doublet_slopes_match_perturbation_theory(rows):
    """(E1 - E0)/(E2 - E1) ~ x sqrt(1 + (E1 - E2 + E3 - E4)^2 / 4) / (2 (d2 - d1)) for E = x (1, -0.2, 0.5, -1.3)."""
    _, result = rows
    ground = next(r for r in result if isinstance(r, Claim) and "d2 > d1" in r.statement)
    e = np.array([1.0, -0.2, 0.5, -1.3])
    mix = (e[0] - e[1] + e[2] - e[3]) / 2
    for case in ground.cases:
        b = float(case.note.split("b = ")[1].split(";")[0])
        r = case.conditions["d2/d1"]
        # the chiral pair is split by phi d1 (from 4 d1 sin(phi/4)) and mixed by the well energies
        expected = np.hypot(1.0, mix) / (2 * (r - 1))
        assert b == pytest.approx(expected, rel=0.1), case


def test_ats_effective_gap_error_is_independent_of_the_toolkit_matrix():
    """The study's ATS deviation at one point against a 3LS matrix built here (paper eq. 3 with the Peierls phase)."""
    from tunnelsim.studies.single.limits import ats_gap_cases

    x, d0 = 0.01, 1.0
    e = x * np.array([1.0, -0.3, -0.7])
    w = np.exp(1j * x / 3)
    h = np.array([[e[0], d0 * w, d0 * np.conj(w)], [d0 * np.conj(w), e[1], d0 * w], [d0 * w, d0 * np.conj(w), e[2]]])
    lev = np.linalg.eigvalsh(h)
    gap = np.sqrt(2 / 3 * np.sum(e**2) + 4 / 3 * d0**2 * x**2)
    case = next(c for c in ats_gap_cases([x]) if c.conditions == {"E/(x D0)": "(1, -0.3, -0.7)", "limit": "E and phi"})
    assert case.deviation[0] == pytest.approx(abs(gap / (lev[1] - lev[0]) - 1), rel=1e-9)


def test_the_limit_grading_can_fail_outside_the_premise():
    """The same measurement and grading refute the ground-doublet claim at d2 < d1 and the middle one at d2 > d1."""
    from tunnelsim.studies.single.claims import LIMIT_TOLERANCE, graded_trend
    from tunnelsim.studies.single.limits import SMALL, ground_doublet_cases, middle_doublet_cases

    wrong_ground = graded_trend("x", ground_doublet_cases(SMALL, cases=((0.5, "symmetrised"),)))
    wrong_middle = graded_trend("x", middle_doublet_cases(SMALL, cases=((2.0, "symmetrised"),)))
    # d2 < d1: the lowest pair is the singlet and one member of the middle doublet; its ratio diverges as x -> 0
    assert wrong_ground.intercept - 2 * wrong_ground.intercept_err > LIMIT_TOLERANCE
    # d2 > d1: the ground pair is the near-degenerate one, so the middle pair over the ground gap diverges
    assert wrong_middle.intercept - 2 * wrong_middle.intercept_err > LIMIT_TOLERANCE
