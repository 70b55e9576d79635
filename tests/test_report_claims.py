"""Report rows cannot carry a hand-written verdict: it is computed from value, reference, tolerance, regime."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tunnelsim.stats import Reference
from tunnelsim.studies.claims import Claim, Finding, FindingKind, Measured, Regime, Tolerance, Verdict, row_from_dict

WEAK = Regime("weak fields (phi << 1)", {"phi": (0.0, 0.5)})


def claim(value, *, uncertainty=0.0, ref=1.0, ref_err=0.0, tol=0.1, relative=False, phi=(0.0, 0.3)):
    return Claim("the doublet splitting is 4 d1 sin(phi/4)", "paper eq. A.5", WEAK, {"phi": phi},
                 Measured(value, uncertainty), Reference(ref, ref_err, "closed form"),
                 Tolerance(tol, "float64 round-off", relative), "tunnelsim.four_level_doublet")


@given(st.floats(-10, 10), st.floats(0, 1), st.floats(0.01, 1))
def test_verdict_follows_the_two_sigma_rule(value, unc, tol):
    """Firm verdicts only at 2 sigma from the tolerance edge (inside or outside), undecided otherwise."""
    c = claim(value, uncertainty=unc, tol=tol)
    d = abs(value - 1.0)
    if d + 2 * unc <= tol:
        assert c.verdict is Verdict.AGREES
    elif d - 2 * unc > tol:
        assert c.verdict is Verdict.DISAGREES
    else:
        assert c.verdict is Verdict.INCONCLUSIVE


def test_no_firm_verdict_within_two_sigma_of_the_tolerance_edge():
    assert claim(1.09, uncertainty=0.01, tol=0.1).verdict is Verdict.INCONCLUSIVE  # 0.09 + 0.02 > 0.1
    assert claim(1.11, uncertainty=0.01, tol=0.1).verdict is Verdict.INCONCLUSIVE  # 0.11 - 0.02 < 0.1
    assert claim(1.07, uncertainty=0.01, tol=0.1).verdict is Verdict.AGREES
    assert claim(1.13, uncertainty=0.01, tol=0.1).verdict is Verdict.DISAGREES


def test_deciding_case_follows_the_two_sigma_rule():
    """The claim holds only if it holds in every case and fails if it fails in any (grading.deciding_case)."""
    from tunnelsim.studies.grading import deciding_case, inside, outside

    # all inside at 2 sigma: the case farthest from agreement (largest |d| + 2u), whatever the sign of d
    devs = {2: (0.01, 0.01), 4: (-0.05, 0.01), 6: (0.02, 0.02)}
    assert all(inside(abs(d), u, 0.1) for d, u in devs.values())
    assert deciding_case(devs, 0.1) == 4
    assert deciding_case({2: (0.05, 0.01), 4: (0.02, 0.04)}, 0.1) == 4  # |d| + 2u = 0.07 and 0.1
    # one outside at 2 sigma: that one, though another lies farther off with a larger error (undecided)
    devs = {2: (0.05, 0.01), 4: (0.2, 0.01), 6: (0.3, 0.2)}
    assert [n for n, (d, u) in devs.items() if outside(abs(d), u, 0.1)] == [4]
    assert deciding_case(devs, 0.1) == 4
    # two outside: the most significant (largest |d| - 2u), not the largest deviation
    devs = {2: (0.05, 0.01), 6: (-0.5, 0.15), 8: (0.25, 0.001)}
    assert [n for n, (d, u) in devs.items() if outside(abs(d), u, 0.1)] == [6, 8]
    assert deciding_case(devs, 0.1) == 8  # |d| - 2u = 0.2 and 0.248
    # the rule is Claim.verdict's: inside -> agrees, outside -> disagrees, neither -> undecided
    for value in (1.07, 1.13, 1.09):
        c = claim(value, uncertainty=0.01, tol=0.1)
        d, u = c.deviation, c.uncertainty
        assert (inside(d, u, 0.1), outside(d, u, 0.1)) == (c.verdict is Verdict.AGREES, c.verdict is Verdict.DISAGREES)
        assert deciding_case({1: (d, u)}, 0.1) == 1


def test_relative_tolerance_and_reference_uncertainty():
    assert claim(1.05, ref=1.0, tol=0.1, relative=True).verdict is Verdict.AGREES
    assert claim(120.0, ref=100.0, tol=0.1, relative=True).verdict is Verdict.DISAGREES
    assert claim(1.0, ref_err=0.2, tol=0.1).verdict is Verdict.INCONCLUSIVE  # the reference is too uncertain
    assert claim(1.0, ref_err=0.04, tol=0.1).verdict is Verdict.AGREES  # 2 x 0.04 inside the tolerance
    assert claim(math.nan).verdict is Verdict.INCONCLUSIVE
    with pytest.raises(ValueError, match="non-zero reference"):
        claim(1.0, ref=0.0, relative=True)


def test_outside_the_papers_regime_is_not_graded():
    c = claim(5.0, phi=(0.0, 2.0))  # measured up to phi = 2, the paper speaks of weak fields
    assert c.verdict is Verdict.BEYOND and not c.graded
    with pytest.raises(ValueError, match="conditions must give 'phi'"):
        Claim("s", "paper eq. 1", WEAK, {}, Measured(1.0), Reference(1.0, 0, "x"), Tolerance(0.1, "r"), "w")


def test_no_verdict_can_be_written_in():
    c = claim(1.0)
    with pytest.raises((AttributeError, TypeError)):
        c.verdict = Verdict.DISAGREES  # frozen, and a computed property
    with pytest.raises(TypeError):
        Claim("s", "paper eq. 1", WEAK, {"phi": 0.1}, Measured(1.0), Reference(1.0, 0, "x"), Tolerance(0.1, "r"), "w",
              verdict=Verdict.AGREES)
    with pytest.raises(ValueError, match="needs its reason"):
        Tolerance(0.1, " ")


def test_rows_round_trip_through_json():
    rows = [claim(1.02, phi=0.2), Finding(FindingKind.TIMING, "3LS spectrum at 2000 fluxes", "1.3 ms", "bench")]
    back = [row_from_dict(json.loads(json.dumps(r.as_dict()))) for r in rows]
    assert back == rows
    assert back[0].verdict is Verdict.AGREES
    assert "verdict" not in rows[0].as_dict()


def test_every_claim_row_says_where_it_was_measured(tmp_path):
    from types import SimpleNamespace

    from tunnelsim.studies.report import write_report

    step = SimpleNamespace(name="s", module="m", title="A study")
    rows = [claim(1.02, phi=0.2), claim(5.0, phi=(0.0, 2.0))]  # one graded, one beyond the regime
    md = write_report(tmp_path, [(step, rows, 0.1, False, None)], quick=True).read_text()
    graded, beyond = (line for line in md.splitlines() if line.startswith("| the doublet splitting"))
    assert "| phi = 0.2 |" in graded and f"**{Verdict.AGREES}**" in graded
    assert "| phi = (0.0, 2.0) |" in beyond
    assert "measured at phi = 0.2" in (tmp_path / "report.html").read_text()


def test_a_claim_must_cite_the_paper():
    """A statement the paper does not make (a toolkit derivation) cannot be graded: it is a Finding."""
    with pytest.raises(ValueError, match="must cite the paper"):
        Claim("Viete's closed form matches eigvalsh", "docs/theory.md eq. (1.5)", WEAK, {"phi": 0.1},
              Measured(0.0), Reference(0.0, 0, "eigvalsh"), Tolerance(1e-12, "round-off"), "w")


def test_a_limit_is_graded_by_its_trend_not_one_point():
    from tunnelsim.studies.grading import trend_fit

    with pytest.raises(ValueError, match="at least 3"):
        trend_fit("1/J", [0.1, 0.01], [0.5, 0.05])
    # the deviation vanishes linearly: the extrapolation is 0 although every point misses by > tolerance
    vanishing = trend_fit("1/|J|", [0.1, 0.03, 0.01, 0.003], [0.45, 0.135, 0.045, 0.0135])
    good = Claim.limit("period -> 2 pi / N as |J| grows", "paper appendix", WEAK, {"phi": 0.1}, vanishing,
                       Tolerance(0.01, "in the limit"), "w")
    assert good.verdict is Verdict.AGREES and all(y > 0.01 for y in vanishing.y)
    # a deviation that stays: the limit law fails
    stays = trend_fit("1/|J|", [0.1, 0.03, 0.01, 0.003], [0.55, 0.235, 0.145, 0.1135])
    bad = Claim.limit("period -> 2 pi / N as |J| grows", "paper appendix", WEAK, {"phi": 0.1}, stays,
                      Tolerance(0.01, "in the limit"), "w")
    assert bad.verdict is Verdict.DISAGREES and abs(bad.measured.value - 0.1) < 1e-9
    with pytest.raises(ValueError, match="trend's extrapolation"):
        Claim("s", "paper", WEAK, {"phi": 0.1}, Measured(0.0), Reference(0.0, 0, "x"), Tolerance(0.1, "r"), "w",
              trend=stays)


def test_a_shape_is_graded_by_goodness_of_fit():
    """A hump graded against 'flat': the chi-square rejects it whatever a fitted slope says."""
    from tunnelsim.studies.grading import goodness_of_fit

    rng = np.random.default_rng(1)
    x = np.linspace(-1, 1, 8)
    counts = 1000 * np.exp(-x ** 2) + rng.normal(0, 1, 8)  # symmetric: a straight-line slope near 0
    flat = np.full(8, counts.mean())
    hump = Claim.shape("P(log Delta0) is flat", "paper sec. 3", WEAK, {"phi": 0.1},
                       goodness_of_fit("flat", counts, flat, np.sqrt(counts), n_params=1), "w")
    assert hump.verdict is Verdict.DISAGREES and hump.gof.p_value < 1e-10
    truly_flat = 1000 + rng.normal(0, np.sqrt(1000), 8)
    ok = Claim.shape("P(log Delta0) is flat", "paper sec. 3", WEAK, {"phi": 0.1},
                     goodness_of_fit("flat", truly_flat, np.full(8, truly_flat.mean()), np.sqrt(truly_flat),
                                     n_params=1), "w")
    assert ok.gof.p_value > 0.0455 and ok.verdict is Verdict.AGREES


def test_one_graded_row_per_claim_and_identities_counted_apart(tmp_path):
    from types import SimpleNamespace

    from tunnelsim.studies.grading import Case
    from tunnelsim.studies.report import write_report

    step = SimpleNamespace(name="s", module="m", title="A study")
    twice = [claim(1.02, phi=0.2), claim(1.03, phi=0.1)]
    with pytest.raises(ValueError, match="more than once"):
        write_report(tmp_path, [(step, twice, 0.1, False, None)], quick=True)
    one = Claim("the doublet splitting is 4 d1 sin(phi/4)", "paper eq. A.5", WEAK, {"phi": (0.1, 0.2)},
                Measured(1.03), Reference(1.0, 0, "closed form"), Tolerance(0.1, "r"), "w",
                cases=(Case({"phi": 0.1}, 1.03), Case({"phi": 0.2}, 1.02)), combine="worst case graded")
    ident = Finding(FindingKind.IDENTITY, "Viete against eigvalsh", "1e-15", "w")
    ctrl = Finding(FindingKind.CONTROL, "N = 1 control", "1.226 +- 0.026", "w")
    md = write_report(tmp_path, [(step, [one, ident, ctrl], 0.1, False, None)], quick=True).read_text()
    assert "1 distinct claims of the paper graded" in md
    assert "identity: 1" in md and "control: 1" in md
    assert "phi = 0.1: 1.03; phi = 0.2: 1.02. worst case graded" in md
    assert "## The verdict in short" in md and "What the paper gets right** (1)" in md
    back = row_from_dict(json.loads(json.dumps(one.as_dict())))
    assert back == one and back.cases[1].conditions == {"phi": 0.2}


def test_a_bound_is_shown_as_a_bound():
    c = Claim("s", "paper", WEAK, {"phi": 0.1}, Measured(1e-15, what="|dE|", bound="<"), Reference(0.0, 0, "x"),
              Tolerance(1e-12, "r"), "w")
    assert "|dE| = < 1e-15" in c.result_text()
    with pytest.raises(ValueError, match="bound"):
        Measured(1.0, bound="~")
