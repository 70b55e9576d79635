"""What the percolation study simulates: lattices, seed, concentration grids and sample sizes per mode."""

from __future__ import annotations

from typing import Any

import numpy as np

from lattices import LATTICES

__all__ = ["SEED", "SQUARE", "CUBIC", "NEAR", "WINDOW_POINTS", "DIMENSIONS", "nf_top", "x_grid", "settings"]

SEED = 2026
SQUARE, CUBIC = LATTICES["square"], LATTICES["simple_cubic"]
#: the window x_c - x <= NEAR of the direct alpha fits and of the local-exponent trends
NEAR = 0.15
#: concentrations in that window (geometric in x_c - x): an even number, so the local exponents come in
#: independent pairs of neighbouring points (4 pairs, the trend towards x_c has >= 3 points)
WINDOW_POINTS = 8
#: the fractal dimensions measured: key -> (lattice, site observable, statement)
DIMENSIONS = {
    "d2": (SQUARE, "mass", "2D cluster fractal dimension D = 91/48"),
    "dh": (SQUARE, "hull", "2D hull dimension D_H = 7/4"),
    "dep": (SQUARE, "external_perimeter", "2D accessible external perimeter dimension D_EP = 4/3"),
    "d3": (CUBIC, "mass", "3D cluster fractal dimension D = 2.52295(15)"),
}


def nf_top(lat) -> float:
    """1 - p_c rounded down to 4 decimals: above it the network-former (empty) sites no longer percolate."""
    return float(np.floor((1.0 - lat.pc_site.value) * 1e4) / 1e4)


def x_grid(lat) -> np.ndarray:
    """Concentrations: 9 from 0.04 to min(1 - p_c, x_c - 0.02) and WINDOW_POINTS with x_c - x = NEAR .. 0.02."""
    xc = lat.pc_site.value
    comp = np.linspace(0.04, min(nf_top(lat), xc - 0.02), 9)
    return np.unique(np.concatenate([comp, xc - np.geomspace(NEAR, 0.02, WINDOW_POINTS)]))


def settings(quick: bool) -> dict[str, Any]:
    """Estimator arguments per quantity (empty: the estimator's defaults)."""
    t2, t3 = dict(x_values=x_grid(SQUARE)), dict(x_values=x_grid(CUBIC))
    if not quick:
        return dict(cluster_size=256, pc_sq={}, pc_sc=dict(samples=1000), d2={}, dh={}, dep={}, d3={}, nu2={},
                    t2=t2, t3=t3)
    s2, s3 = dict(sizes=[16, 32, 64, 128], samples=150), dict(sizes=[6, 8, 12, 16, 24], samples=100)
    return dict(cluster_size=128, pc_sq=dict(size=32, samples=150, n_boot=20),
                pc_sc=dict(size=16, samples=60, n_boot=20), d2=s2, dh=s2, dep=s2, d3=s3,
                nu2=dict(sizes=[16, 32, 64], samples=300, n_boot=40), t2=dict(size=64, samples=3, **t2),
                t3=dict(size=16, samples=2, **t3))
