"""Study: how large can a cluster be, and what do exact low spectra say versus N (docs/clusters.md sec. 5).

Two sweeps, each through :func:`tunnelsim.sweep.run_sweep` (progress bar, one JSON line per finished point,
resumable; cached in ``out_dir/.cache``), points and spectra in :mod:`~tunnelsim.studies.cluster_size.spectra`:

1. uniform 2LS clusters (Delta = 0, Delta0 = 1 K) for several J: the lowest levels versus N, up to N = 512
   (symmetric sector, dimension N + 1); the lowest gap against appendix A.9's Delta0_N = N Delta0
   (:mod:`~tunnelsim.studies.cluster_size.gap`, one graded row);
2. uniform 3LS clusters (E = 0, D0 = 1 K, J < 0) versus N phi: is the low multiplet 2 pi-periodic in N phi, as
   a fictitious particle of charge N Q implies? A limit claim graded by its trend in D0/|J|
   (:mod:`~tunnelsim.studies.cluster_size.flux_period`).

Figures ``clusters_size_*.png``, tables ``clusters_size_*.csv`` and spectra ``clusters_size_*.npz`` go to
``out_dir``.
"""

from __future__ import annotations

import pathlib
from concurrent.futures import Executor
from typing import Any

import numpy as np

from tunnelsim.files import write_table
from tunnelsim.studies.claims import Claim, Finding
from tunnelsim.studies.cluster_size.flux_period import fig_flux, periodicity, rows_flux
from tunnelsim.studies.cluster_size.gap import fig_gap, fig_two_level_spectrum, rows_gap
from tunnelsim.studies.cluster_size.spectra import (
    findings_reachable,
    nphi_spectrum,
    quiet_gaps,
    size_spectrum,
    three_level_point,
    two_level_point,
    write_two_level_table,
)
from tunnelsim.sweep import grid, run_sweep

__all__ = ["run", "settings", "quiet_gaps", "two_level_point", "three_level_point", "size_spectrum", "nphi_spectrum"]


def settings(quick: bool) -> dict[str, Any]:
    """Sweep grids; the N phi period is a limit claim: at least four couplings where the multiplet is low."""
    return dict(
        tag="quick" if quick else "full",
        ns=[2, 3, 4, 6, 8, 12, 16, 24, 32, 64, 128] if quick else
        [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512],
        couplings=[-0.01, -0.1, -1.0],
        n3_reachable=80 if quick else 200,
        n_list=[1, 2, 3] if quick else [1, 2, 3, 4],
        j_list=[-1.0, -10.0, -30.0, -100.0, -300.0, -1000.0],
        nphis=np.linspace(0.0, 4 * np.pi, 33 if quick else 129),  # two periods of 2 pi, grid aligned
    )


def run(out_dir: pathlib.Path, quick: bool = False, executor: Executor | None = None) -> list[Claim | Finding]:
    """Run the cluster-size exploration; write figures, CSV tables and spectra; return the report rows.

    Parameters
    ----------
    out_dir : pathlib.Path
        Output folder (created). Sweep caches live in ``out_dir/.cache``.
    quick : bool
        Small sweep (a few seconds) for tests.
    executor : concurrent.futures.Executor, optional
        Passed to :func:`tunnelsim.sweep.run_sweep`.
    """
    out_dir = pathlib.Path(out_dir)
    cache = out_dir / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    s = settings(quick)
    rows2 = run_sweep(two_level_point, grid(n=s["ns"], coupling=s["couplings"]),
                      cache / f"size_2ls_{s['tag']}.jsonl", executor=executor, desc="2LS clusters vs N")
    rows3 = run_sweep(three_level_point, grid(n=s["n_list"], coupling=s["j_list"], nphi=[float(v) for v in s["nphis"]]),
                      cache / f"size_3ls_{s['tag']}.jsonl", executor=executor, desc="3LS clusters vs N phi")
    specs = {j: size_spectrum(rows2, j) for j in s["couplings"]}
    specs3 = {(n, j): nphi_spectrum(rows3, n, j) for n in s["n_list"] for j in s["j_list"]}
    for j, spec in specs.items():
        spec.save(out_dir / f"clusters_size_two_level_J{j:g}.npz")
    write_two_level_table(specs, rows2, out_dir / "clusters_size_two_level.csv")
    write_table(out_dir / "clusters_size_three_level_flux.csv", ["N", "J_K", "N_phi_rad", "E1-E0_K", "E2-E0_K"],
                [[n, j, float(x), *map(float, g[1:])] for (n, j), sp in specs3.items()
                 for x, g in zip(sp.values, sp.relative_to_ground())])
    fig_two_level_spectrum(specs, out_dir / "clusters_size_two_level_spectrum.png")
    fig_gap(specs, out_dir / "clusters_size_gap.png")
    fig_flux(specs3, s, out_dir / "clusters_size_three_level_flux.png")
    return rows_gap(specs) + findings_reachable(s["n3_reachable"]) + rows_flux(periodicity(specs3), s)
