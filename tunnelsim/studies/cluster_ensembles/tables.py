"""CSV tables of the cluster-ensemble study: per cluster, a summary per N, C(T) per N."""

from __future__ import annotations

import pathlib

import numpy as np

from clusters.ensembles import Ensemble
from tunnelsim.files import write_table

from .sampling import temperatures
from .statistics import U_RESOLUTION, p_value, u_split

__all__ = ["write_tables"]


def write_tables(out_dir: pathlib.Path, ensembles: dict[int, Ensemble], caps: dict, powers: dict, gofs: dict) -> None:
    """cluster_ensembles_N<N>.csv, cluster_ensembles_summary.csv, cluster_ensembles_heat_capacity.csv."""
    for n, ens in ensembles.items():
        header, rows = ens.table()
        write_table(out_dir / f"cluster_ensembles_N{n}.csv", header, rows, float_format=".8g")
    summary = []
    for n, e in sorted(ensembles.items()):
        good, below, _ = u_split(e)
        g = gofs.get(n)
        summary.append([n, len(e), float(e.coherent.mean()), float(np.median(e.gap)), below, good.size + below,
                        *powers[n], g.chi2 if g else "", g.dof if g else "", p_value(g) if g else ""])
    write_table(out_dir / "cluster_ensembles_summary.csv",
                ["N", "clusters", "coherent_fraction", "median_gap_K", f"u_below_{U_RESOLUTION:g}", "u_defined",
                 "C_power", "C_power_err", "flat_chi2", "flat_dof", "flat_p"], summary, float_format=".6g")
    t = temperatures()
    write_table(out_dir / "cluster_ensembles_heat_capacity.csv", ["T_K", *[f"C_N{n}" for n in sorted(ensembles)]],
                [[float(tt), *[float(caps[n][:, i].mean()) for n in sorted(ensembles)]] for i, tt in enumerate(t)],
                float_format=".8g")
