"""Report rows cannot carry a hand-written verdict: it is computed from value, reference, tolerance, regime."""

from __future__ import annotations

import json
import math

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
def test_verdict_follows_the_rule(value, unc, tol):
    c = claim(value, uncertainty=unc, tol=tol)
    if unc > tol:
        assert c.verdict is Verdict.INCONCLUSIVE
    elif abs(value - 1.0) <= tol:
        assert c.verdict is Verdict.AGREES
    else:
        assert c.verdict is Verdict.DISAGREES


def test_relative_tolerance_and_reference_uncertainty():
    assert claim(1.05, ref=1.0, tol=0.1, relative=True).verdict is Verdict.AGREES
    assert claim(120.0, ref=100.0, tol=0.1, relative=True).verdict is Verdict.DISAGREES
    assert claim(1.0, ref_err=0.2, tol=0.1).verdict is Verdict.INCONCLUSIVE  # the reference is too uncertain
    assert claim(math.nan).verdict is Verdict.INCONCLUSIVE
    with pytest.raises(ValueError, match="non-zero reference"):
        claim(1.0, ref=0.0, relative=True)


def test_outside_the_papers_regime_is_not_graded():
    c = claim(5.0, phi=(0.0, 2.0))  # measured up to phi = 2, the paper speaks of weak fields
    assert c.verdict is Verdict.BEYOND and not c.graded
    with pytest.raises(ValueError, match="conditions must give 'phi'"):
        Claim("s", "eq", WEAK, {}, Measured(1.0), Reference(1.0, 0, "x"), Tolerance(0.1, "r"), "w")


def test_no_verdict_can_be_written_in():
    c = claim(1.0)
    with pytest.raises((AttributeError, TypeError)):
        c.verdict = Verdict.DISAGREES  # frozen, and a computed property
    with pytest.raises(TypeError):
        Claim("s", "eq", WEAK, {"phi": 0.1}, Measured(1.0), Reference(1.0, 0, "x"), Tolerance(0.1, "r"), "w",
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
