"""Do interacting clusters of STM particles tunnel like STM particles? A small ensemble per N.

Samples clusters of N nearest neighbours (Poisson positions at rho = 1 per r0^3, random dipole axes,
J0 = 1 K at r0, Delta_i in [-1, 1] K, Delta0_i log-uniform in [1 mK, 1 K]; docs/cluster_ensembles.md),
computes each exactly, and prints per N the fraction whose coherent states are the low doublet, the
median lowest gap, the median u = Delta0/E of the lowest pair and the slope of P(log10 Delta0_eff)
per decade (0 is the STM's 1/Delta0 law).

Run:  python examples/cluster_ensemble.py [--quick] [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from clusters import EnsembleSpec, run_ensemble
from tunnelsim.sweep import process_pool


def slope_per_decade(values: np.ndarray) -> float:
    """Least-squares slope of log10 counts of a histogram of log10 Delta0_eff (NaN below 30 values)."""
    if values.size < 30:
        return float("nan")
    counts, edges = np.histogram(values, bins=8)
    ok = counts >= 5
    centre = 0.5 * (edges[1:] + edges[:-1])
    return float(np.polyfit(centre[ok], np.log10(counts[ok]), 1)[0]) if ok.sum() >= 3 else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100 clusters per N, N = 1, 2, 4")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    ns, count = ((1, 2, 4), 100) if args.quick else ((1, 2, 4, 6, 8), 1000)
    print(" N  clusters  coherent  median gap (K)  median u   slope of P(log10 Delta0_eff)")
    with process_pool(args.workers) as pool:  # workers ignore Ctrl-C: the sweep stops them
        for n in ns:
            ens = run_ensemble(EnsembleSpec(n, axes="random"), count, None, seed=7, executor=pool,
                               block_size=max(10, count // (4 * args.workers)), progress=False)
            print(f"{n:2d}  {len(ens):8d}  {ens.coherent.mean():8.3f}  {np.median(ens.gap):14.4g}  "
                  f"{float(np.ma.median(ens.u)):8.3g}   {slope_per_decade(ens.log10_d0_eff.compressed()):+.3f}")


if __name__ == "__main__":
    try:
        main()
    except (ValueError, TypeError, OSError, MemoryError) as exc:  # bad input: one line on stderr, no traceback
        sys.exit(f"{Path(sys.argv[0]).name}: error: {exc}")
    except KeyboardInterrupt:
        sys.exit(130)
