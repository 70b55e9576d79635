"""Benchmark: closed-form flux spectra (vectorised Viete / Descartes) against the naive QuTiP loop.

Baseline, measured in the same run: build the Qobj and call ``Qobj.eigenenergies()`` for every phi.
"""

from __future__ import annotations

import numpy as np
from _timing import best_time

import tunnelsim as ts


def main(quick: bool = False) -> list[dict]:
    n = 200 if quick else 2000
    phi = np.linspace(0, 4 * np.pi, n)
    rows = []
    e3 = [0.1, -0.04, -0.06]
    ours = best_time(lambda: ts.three_level_energies(e3, 1.0, phi))
    base = best_time(lambda: [ts.three_level(e3, 1.0, p).eigenenergies() for p in phi], repeat=1)
    diff = np.abs(ts.three_level_energies(e3, 1.0, phi[:50])
                  - np.array([ts.three_level(e3, 1.0, p).eigenenergies() for p in phi[:50]])).max()
    rows.append({"benchmark": f"3LS spectrum at {n} fluxes", "ours_s": ours, "baseline_s": base,
                 "baseline": "QuTiP Qobj.eigenenergies() per phi", "ratio": base / ours,
                 "notes": f"max |diff| {diff:.1e} K"})
    e4 = [0.1, -0.02, 0.03, -0.11]
    ours = best_time(lambda: ts.four_level_energies(e4, 1.0, 1.5, phi))
    base = best_time(lambda: [ts.four_level(e4, 1.0, 1.5, p).eigenenergies() for p in phi], repeat=1)
    rows.append({"benchmark": f"4LS spectrum at {n} fluxes", "ours_s": ours, "baseline_s": base,
                 "baseline": "QuTiP Qobj.eigenenergies() per phi", "ratio": base / ours, "notes": "analytic quartic"})
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
