"""Demo step: the cheap benchmarks (quick mode) and the solver scaling figure.

Loads ``benchmarks/bench_single.py`` and ``benchmarks/bench_clusters.py`` from the repository and
runs their quick variants; the full benchmarks (``make bench``) write docs/benchmarks.md.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from .report import Claim

__all__ = ["run"]

BENCH_DIR = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str):
    path = BENCH_DIR / f"{name}.py"
    if not path.exists():
        raise FileNotFoundError(f"benchmark module {path} not found: run the demo from a checkout of the repository")
    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))  # the benchmarks share benchmarks/_timing.py
    spec = importlib.util.spec_from_file_location(f"_tunnelsim_{name}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run(out_dir: Path, quick: bool = False, executor=None) -> list[Claim]:
    """Run the quick benchmarks, write ``benchmark_scaling.png`` and return report rows.

    Parameters
    ----------
    out_dir : pathlib.Path
        Output folder.
    quick : bool
        Smaller cluster sizes in the scaling plot.
    executor : concurrent.futures.Executor, optional
        Unused (timings must not share cores).

    Returns
    -------
    list of Claim
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    claims = []
    rows = _load("bench_single").main(quick=True)
    for r in rows:
        claims.append(Claim(
            f"Speed: {r['benchmark']} (closed form) against {r['baseline']}",
            f"{r['ours_s']:.2e} s against {r['baseline_s']:.2e} s: {r['ratio']:.0f}x; {r['notes']}",
            "agrees" if r["ratio"] > 1 else "disagrees", "benchmarks/bench_single.py"))
    bc = _load("bench_clusters")
    pts = bc.scaling(quick=True)
    bc.plot_scaling(pts, out_dir / "benchmark_scaling.png")
    largest = {}
    for p in pts:
        largest[p["method"]] = p
    text = "; ".join(f"{m}: N={p['n']} in {p['seconds']:.2g} s, {p['peak_bytes'] / 2**20:.3g} MiB"
                     for m, p in largest.items())
    claims.append(Claim("Exact cluster spectra: time and memory versus N for each solver (quick sizes)",
                        text + ". Full sizes (N = 24 2LS, N = 14 3LS) are in docs/benchmarks.md",
                        "agrees", "clusters.TwoLevelCluster.eigenenergies", "benchmark_scaling.png"))
    return claims
