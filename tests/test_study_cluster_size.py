"""The cluster-size demo runs in quick mode, writes its files and returns well-formed claims."""

from __future__ import annotations

import csv

from tunnelsim.studies.cluster_size import run
from tunnelsim.studies.report import Claim


def test_demo_size_quick(tmp_path):
    claims = run(tmp_path, quick=True)
    assert len(claims) == 3
    for c in claims:
        assert isinstance(c, Claim)
        assert c.claim and c.result and c.where
        assert c.verdict in ("agrees", "disagrees", "agrees in part")
        if c.figure:
            assert (tmp_path / c.figure).stat().st_size > 1000
    for name in ("clusters_size_two_level.csv", "clusters_size_three_level_flux.csv"):
        with (tmp_path / name).open() as fh:
            rows = list(csv.reader(fh))
        assert len(rows) > 10
    assert (tmp_path / "clusters_size_two_level_spectrum.png").exists()
    # resumable: the sweep caches exist and a second run reads them
    assert list((tmp_path / ".cache").glob("*.jsonl"))
    again = run(tmp_path, quick=True)
    assert [c.verdict for c in again] == [c.verdict for c in claims]
