"""Study: solver scaling (time and memory versus N) and closed-form speed, measured where cheap.

The timings (:mod:`~tunnelsim.studies.benchmarks.timings`) and the scaling figure
(:mod:`~tunnelsim.studies.benchmarks.scaling`) are made here; ``benchmarks/`` (``make bench``) imports these
functions for its full runs and writes docs/benchmarks.md. Nothing here loads the benchmark scripts.
"""

from __future__ import annotations

from pathlib import Path

from tunnelsim.studies.benchmarks.scaling import disordered_two_level, plot_scaling, solver_scaling
from tunnelsim.studies.benchmarks.timings import best_time, closed_form_timings, timed
from tunnelsim.studies.claims import Finding, FindingKind

__all__ = ["run", "disordered_two_level", "solver_scaling", "plot_scaling", "closed_form_timings", "best_time",
           "timed"]


def run(out_dir: Path, quick: bool = False, executor=None) -> list[Finding]:
    """Run the quick timings, write ``benchmark_scaling.png`` and return timing rows (ungraded; executor unused)."""
    out_dir = Path(out_dir)
    rows = [Finding(FindingKind.TIMING, f"{r['benchmark']} by the closed form against {r['baseline']}",
                    f"{r['ours_s']:.2e} s against {r['baseline_s']:.2e} s: ratio {r['ratio']:.2g}; {r['notes']}",
                    "tunnelsim.studies.benchmarks.closed_form_timings")
            for r in closed_form_timings(quick=True)]
    pts = solver_scaling(quick=True)
    plot_scaling(pts, out_dir / "benchmark_scaling.png")
    largest = {p["method"]: p for p in pts}
    text = "; ".join(f"{m}: N={p['n']} in {p['seconds']:.2g} s, {p['peak_bytes'] / 2**20:.3g} MiB"
                     for m, p in largest.items())
    rows.append(Finding(FindingKind.TIMING, "Exact cluster spectra: time and memory versus N for each solver "
                        "(quick sizes)", text + ". Full sizes (2LS up to N = 28, 3LS N = 16 in a field) are in "
                        "docs/benchmarks.md", "clusters.TwoLevelCluster.eigenenergies", "benchmark_scaling.png"))
    return rows
