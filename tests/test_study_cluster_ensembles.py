"""The cluster-ensemble study: tiny ensembles run end to end, and its grading decisions are held mechanically.

* the ensemble C(T) power is ONE graded row, every N inside it, graded against the model's own N = 1 control
  (the idealised C ~ T shown beside it), and the control itself is a control finding;
* "P(log10 Delta0_eff) is flat" is a shape claim graded by a goodness of fit (a hump is rejected even where a
  fitted straight-line slope is zero);
* u values below the float64 resolution are counted as bounds, never histogrammed;
* every claim key appears once.
"""

from __future__ import annotations

import csv
import json
from types import SimpleNamespace

import numpy as np
import pytest

from tunnelsim.stats import line_fit
from tunnelsim.studies import cluster_ensembles
from tunnelsim.studies.claims import Claim, Finding, FindingKind, Verdict, row_from_dict
from tunnelsim.studies.cluster_ensembles import claims as ce_claims
from tunnelsim.studies.cluster_ensembles import sampling, statistics
from tunnelsim.studies.report import check_distinct_claims


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("ensembles_tiny")
    mp = pytest.MonkeyPatch()
    mp.setattr(sampling, "settings", lambda quick: dict(tag="tiny", counts={1: 60, 2: 120, 3: 20}, block=20))
    try:
        rows = cluster_ensembles.run(out, quick=True)
    finally:
        mp.undo()
    with (out / "cluster_ensembles_summary.csv").open() as fh:
        summary = {int(r["N"]): r for r in csv.DictReader(fh)}
    return out, rows, summary


def test_writes_figures_and_tables(tiny):
    out, rows, summary = tiny
    for name in ("cluster_ensembles_gap_dos.png", "cluster_ensembles_u.png", "cluster_ensembles_d0_eff.png",
                 "cluster_ensembles_heat_capacity.png"):
        assert (out / name).stat().st_size > 1000
    assert sorted(summary) == [1, 2, 3] and float(summary[1]["coherent_fraction"]) == 1.0
    with (out / "cluster_ensembles_N2.csv").open() as fh:
        assert len(list(csv.reader(fh))) == 121
    for r in rows:
        assert isinstance(r, (Claim, Finding)) and (not r.figure or (out / r.figure).stat().st_size > 1000)


def test_c_power_is_one_row_graded_against_the_n1_control(tiny):
    _, rows, summary = tiny
    c_rows = [r for r in rows if isinstance(r, Claim) and r.key == ce_claims.KEY_C]
    assert len(c_rows) == 1
    row = c_rows[0]
    assert float(summary[1]["C_power"]) == pytest.approx(row.reference.value, rel=1e-5)
    assert float(summary[1]["C_power_err"]) == pytest.approx(row.reference.stderr, rel=1e-5)
    assert row.reference.stderr > 0
    assert "control" in row.reference.source and row.ideal is not None and row.ideal.value == 1.0
    assert [c.conditions["N"] for c in row.cases] == [2, 3]
    controls = [r for r in rows if isinstance(r, Finding) and r.kind is FindingKind.CONTROL]
    assert len(controls) == 1 and f"{row.reference.value:.3f}" in controls[0].result


def test_flat_claim_is_a_shape_claim_and_keys_are_distinct(tiny):
    _, rows, _ = tiny
    claims = [r for r in rows if isinstance(r, Claim)]
    check_distinct_claims(rows)
    assert len({c.key for c in claims}) == len(claims)
    flat = [c for c in claims if c.key == ce_claims.KEY_FLAT]
    assert len(flat) == 1 and flat[0].gof is not None and flat[0].trend is None
    assert flat[0].verdict in (Verdict.AGREES, Verdict.DISAGREES)  # decided by the chi-square p-value
    back = [row_from_dict(json.loads(json.dumps(r.as_dict()))) for r in rows]  # the runner's JSON cache
    assert back == rows and [r.verdict for r in back if isinstance(r, Claim)] == [r.verdict for r in claims]


def test_the_flat_test_rejects_a_hump_that_a_slope_would_pass():
    rng = np.random.default_rng(3)
    hump = rng.uniform(-3, 0, 4000) + rng.uniform(-3, 0, 4000)  # log Delta0_eff of N = 2: a sum of two flat logs
    counts, edges = np.histogram(hump, bins=8)
    slope = line_fit(0.5 * (edges[1:] + edges[:-1]), np.log10(counts)).slope
    assert abs(slope) < 0.1  # the old statistic: "flat"
    g = statistics.flat_gof(hump)
    assert g.dof == statistics.FLAT_BINS - 3 and g.p_value < 1e-6
    flat = statistics.flat_gof(rng.uniform(-3, 0, 4000))
    assert flat.p_value > 1e-3
    assert statistics.flat_gof(rng.uniform(-3, 0, statistics.MIN_COHERENT - 1)) is None


def test_u_below_resolution_are_bounds_not_histogrammed():
    u = np.ma.masked_invalid([0.3, 1e-3, 5e-11, 1e-14, np.nan, 2e-6])
    good, below, undefined = statistics.u_split(SimpleNamespace(u=u))
    assert below == 2 and undefined == 1 and np.all(good >= statistics.U_RESOLUTION) and good.size == 3
    ens = SimpleNamespace(u=u, gap=np.ones(6))
    row = ce_claims._u({8: ens})
    assert row.kind is FindingKind.BEYOND_PAPER and "in 2 of 5" in row.result


def test_u_bounds_are_counted_in_the_study_tables(tiny):
    _, _, summary = tiny
    for r in summary.values():
        assert int(r["u_below_1e-10"]) <= int(r["u_defined"])


def test_poisson_intervals_of_histograms():
    _, dens, err, counts = statistics.histogram(np.array([0.5, 1.5, 1.6]), [0, 1, 2, 3], 3)
    assert counts.tolist() == [1, 2, 0] and err.shape == (2, 3)
    assert err[0, 2] == 0 and err[1, 2] * 3 == pytest.approx(1.841, abs=1e-3)  # empty bin: upper 68 % limit
    assert np.all(err >= 0) and np.all(dens - err[0] >= 0)
