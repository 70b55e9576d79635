"""CSV tables of the percolation study: wrapping curves, exponents, interface counts, alpha fits and trends."""

from __future__ import annotations

import pathlib

import numpy as np

from lattices import heuristic_alpha
from lattices.observables import interface_definitions
from tunnelsim.files import write_table

from .settings import nf_top

__all__ = ["write_tables"]


def write_tables(out: pathlib.Path, est: dict, tabs: dict, alpha: dict) -> None:
    """lattices_wrapping_probability.csv, lattices_exponents.csv, lattices_interface_<d>d.csv, lattices_alpha.csv."""
    rows = [[e.name, L, f"{pp:.6f}", f"{rr:.6f}"] for e in (est["pc_sq"], est["pc_sc"])
            for L, (p, r) in e.data["curves"].items() for pp, rr in zip(p, r)]
    write_table(out / "lattices_wrapping_probability.csv", ["estimate", "L", "p", "R_either"], rows)
    rows = [[e.name, dim, f"{e.value:.5f}", f"{e.stderr:.5f}", f"{e.stat:.5f}", f"{e.sys:.5f}",
             f"{e.reference.value:.5f}", f"{100 * e.deviation():.3f}"]
            for e, dim in ((est[k], d) for k, d in (("pc_sq", 2), ("pc_sc", 3), ("d2", 2), ("dh", 2), ("dep", 2),
                                                    ("d3", 3), ("nu2", 2)))]
    write_table(out / "lattices_exponents.csv",
                ["quantity", "dim", "value", "stderr", "stat", "sys", "literature", "deviation_percent"], rows)
    keys = ["nm_all", "nm_largest"] + [f"{d}_{c}" for d in interface_definitions() for c in ("all", "largest")]
    for dim, tab in tabs.items():
        rows = [[f"{x:.4f}"] + [f"{np.mean(tab.raw[k][i]):.2f}" for k in keys] for i, x in enumerate(tab.x)]
        write_table(out / f"lattices_interface_{dim}d.csv", ["x"] + [f"{k}_mean" for k in keys], rows)
    rows = [[dim, d, c, norm, f"{e.value:.4f}", f"{e.stderr:.4f}", f"{e.reference.value:.4f}"]
            for (dim, d, c, norm), e in alpha["fits"].items()]
    comp = [(dim, f) for (dim, regime), f in alpha["comp"].items()
            if regime or f["x"].max() > nf_top(tabs[dim].lattice)]
    rows += [[dim, "hull", "all", f"eq20_fit_x<={f['x'].max():.3f}", f"{f['alpha']:.4f}",
              f"{f['alpha_err']:.4f}", f"{heuristic_alpha(dim, 'hull'):.4f}"] for dim, f in comp]
    rows += [[dim, d, "largest", f"per_{norm}_local_trend_x->x_c", f"{t.intercept:.4f}", f"{t.intercept_err:.4f}",
              f"{heuristic_alpha(dim, d):.4f}"] for (dim, d, norm), (t, _) in alpha["trends"].items()]
    write_table(out / "lattices_alpha.csv", ["dim", "definition", "clusters", "normalisation", "alpha_fit",
                                            "stderr", "alpha_heuristic"], rows)
