"""The cluster-ensemble study runs (tiny ensembles), writes its files and returns computed rows."""

from __future__ import annotations

import csv

from tunnelsim.studies import cluster_ensembles
from tunnelsim.studies.claims import Claim, Finding, FindingKind, Verdict


def test_study_ensembles_tiny(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster_ensembles, "_settings",
                        lambda quick: dict(tag="tiny", counts={1: 60, 2: 40, 3: 20}, block=20))
    rows = cluster_ensembles.run(tmp_path, quick=True)
    claims = [r for r in rows if isinstance(r, Claim)]
    assert claims and all(isinstance(r, (Claim, Finding)) for r in rows)
    for c in claims:
        assert c.regime.text and c.tolerance.reason and c.reference.source
        # tiny ensembles: the bootstrap error exceeds the tolerance, so nothing can be graded as agreeing
        assert c.verdict in (Verdict.INCONCLUSIVE, Verdict.AGREES, Verdict.DISAGREES)
        assert (tmp_path / c.figure).stat().st_size > 1000
    assert any(c.verdict is Verdict.INCONCLUSIVE for c in claims)
    assert {r.kind for r in rows if isinstance(r, Finding)} == {FindingKind.BEYOND_PAPER}
    for name in ("cluster_ensembles_gap_dos.png", "cluster_ensembles_u.png"):
        assert (tmp_path / name).stat().st_size > 1000
    with (tmp_path / "cluster_ensembles_summary.csv").open() as fh:
        summary = list(csv.DictReader(fh))
    assert [int(r["N"]) for r in summary] == [1, 2, 3] and float(summary[0]["coherent_fraction"]) == 1.0
    with (tmp_path / "cluster_ensembles_N2.csv").open() as fh:
        assert len(list(csv.reader(fh))) == 41
