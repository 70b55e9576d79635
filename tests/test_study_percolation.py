"""The lattices study in quick mode: figures, tables, and report rows whose verdicts are computed.

Every row is a :class:`tunnelsim.studies.claims.Claim` (graded in the paper's regime) or a
:class:`~tunnelsim.studies.claims.Finding` (an identity); the checks below use the vocabulary
:class:`~tunnelsim.studies.claims.Verdict`, never the words.
"""

import json

import pytest

from tunnelsim.studies.claims import Claim, Finding, FindingKind, Verdict, row_from_dict
from tunnelsim.studies.percolation import run

FILES = ("lattices_cluster_hull.png", "lattices_wrapping_probability.png", "lattices_fractal_fits.png",
         "lattices_alpha_comparison.png", "lattices_exponents.csv", "lattices_alpha.csv",
         "lattices_interface_2d.csv", "lattices_interface_3d.csv")


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("lattices_quick")
    return out, run(out, quick=True)


def _find(rows, *words):
    hits = [r for r in rows if isinstance(r, Claim) and all(w in r.statement for w in words)]
    assert len(hits) == 1, (words, [r.statement for r in hits])
    return hits[0]


def test_writes_its_figures_and_tables(quick):
    out, rows = quick
    for name in FILES:
        assert (out / name).stat().st_size > 300, name
    for r in rows:
        assert r.where.startswith("lattices.")
        if r.figure:
            assert (out / r.figure).stat().st_size > 5000


def test_rows_are_claims_and_findings_with_numbers(quick):
    _, rows = quick
    claims = [r for r in rows if isinstance(r, Claim)]
    assert len(claims) >= 15 and all(isinstance(r, (Claim, Finding)) for r in rows)
    for c in claims:
        assert c.source.startswith("paper sec. 3") and "THEORY.md" not in c.statement + c.source + c.detail
        assert c.tolerance.reason and "standard error" not in c.tolerance.reason  # closeness, not statistics
        assert any(ch.isdigit() for ch in c.result_text())
    text = " ".join(c.statement for c in claims)
    for key in ("p_c", "91/48", "7/4", "nu", "alpha", "3D", "P0 (1 - x) + P1 x^alpha"):
        assert key in text


def test_quick_mode_error_bars_make_rows_inconclusive(quick):
    _, rows = quick
    nu = _find(rows, "correlation-length exponent")
    assert nu.uncertainty > nu.tolerance.value and nu.verdict is Verdict.INCONCLUSIVE  # was graded "fine" at 9 % low
    for c in rows:
        if isinstance(c, Claim) and c.graded and c.uncertainty > c.tolerance.value:
            assert c.verdict is Verdict.INCONCLUSIVE


def test_3d_hull_identity_is_not_graded(quick):
    _, rows = quick
    ident = [r for r in rows if isinstance(r, Finding)]
    assert len(ident) == 1 and ident[0].kind is FindingKind.IDENTITY
    assert "hull - perimeter = 0 sites" in ident[0].result
    assert not any("0.000 +- 0.000" in r.result_text() for r in rows if isinstance(r, Claim))
    assert not any("per perimeter site" in r.statement and "3D" in r.statement for r in rows if isinstance(r, Claim))


def test_eq20_is_graded_only_where_the_network_former_percolates(quick):
    _, rows = quick
    law = [r for r in rows if isinstance(r, Claim) and "P0 (1 - x)" in r.statement]
    graded = [r for r in law if r.graded]
    beyond = [r for r in law if not r.graded]
    assert {r.statement[:2] for r in graded} == {"2D", "3D"}
    for r in graded:
        assert r.conditions["x"][1] <= r.regime.bounds["x"][1]
    assert len(beyond) == 1 and beyond[0].verdict is Verdict.BEYOND  # 2D up to x_c - 0.02 = 0.573
    assert beyond[0].conditions["x"][1] > 0.55 and beyond[0].regime.bounds["x"][1] < 0.41


def test_rows_survive_the_json_cache_and_a_second_run_reuses_the_sweeps(quick):
    out, rows = quick
    back = [row_from_dict(json.loads(json.dumps(r.as_dict()))) for r in rows]
    assert back == rows
    assert [r.verdict for r in back if isinstance(r, Claim)] == [r.verdict for r in rows if isinstance(r, Claim)]
    again = run(out, quick=True)
    assert again == rows
