"""The benchmarks study's pieces: the closed forms it times agree with the batched LAPACK baseline it times them
against, and the scaling figure is written from given points (no speed is asserted; run() is the demo's)."""

from __future__ import annotations

from tunnelsim.studies.benchmarks import closed_form_timings, plot_scaling


def test_closed_form_timings_compare_like_with_like():
    rows = closed_form_timings(quick=True)
    assert len(rows) == 2
    for r in rows:
        diff = float(r["notes"].split("max |diff| ")[1].split()[0])
        assert diff < 1e-12 and r["ours_s"] > 0 and r["baseline_s"] > 0 and r["ratio"] > 0


def test_scaling_figure(tmp_path):
    pts = [{"method": m, "n": n, "seconds": 1e-3 * n * k, "peak_bytes": 2**20 * n**2 * k}
           for k, m in enumerate(("dense", "lanczos"), start=1) for n in (8, 10, 12)]
    plot_scaling(pts, tmp_path / "s.png", extra=[{"n": 12, "seconds": 0.5, "peak_gib": 0.3}],
                 memory_label="peak RSS of the process (MiB)", log_n=False)
    assert (tmp_path / "s.png").stat().st_size > 1000
