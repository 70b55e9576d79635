"""Benchmark: single-system spectra.

* closed-form flux spectra (vectorised Viete / Descartes) against QuTiP per phi
  (:func:`tunnelsim.studies.benchmarks.closed_form_timings`, also used by the demo);
* the 4LS default, exact batched diagonalisation, against the analytic quartic it replaced as default, with the
  error of each on a 2e-7 K doublet;
* the polyhedron builder's batched field spectrum against building and diagonalising one Qobj per field.
"""

from __future__ import annotations

import numpy as np

import tunnelsim as ts
from tunnelsim.studies.benchmarks import best_time, closed_form_timings


def _four_level_default(n: int) -> dict:
    phi = np.linspace(0, 4 * np.pi, n)
    e = [1e-7, -1e-7, 0.0, 0.0]
    exact = ts.flux_spectrum("4ls", phi, energies=e, d1=1.0, d2=2.0)
    closed = ts.four_level_energies(e, 1.0, 2.0, phi)
    ours = best_time(lambda: ts.flux_spectrum("4ls", phi, energies=e, d1=1.0, d2=2.0))
    base = best_time(lambda: ts.four_level_energies(e, 1.0, 2.0, phi))
    ref = np.linalg.eigvalsh(ts.four_level(e, 1.0, 2.0, 0.0).full())
    err_exact = abs(exact.gaps()[0, 0] / (ref[1] - ref[0]) - 1)
    err_closed = abs((closed[0, 1] - closed[0, 0]) / (ref[1] - ref[0]) - 1)
    return {"benchmark": f"4LS spectrum at {n} fluxes, exact default", "ours_s": ours, "baseline_s": base,
            "baseline": "analytic quartic (the former default)", "ratio": base / ours,
            "notes": f"relative error of a 2e-7 K doublet: exact {err_exact:.1e}, quartic {err_closed:.1e}"}


def _multiwell(n: int) -> dict:
    r = ts.tetrahedron_positions(1e-8)
    fields = np.linspace(0, 200, n)
    ours = best_time(lambda: ts.multiwell_field_spectrum(r, np.zeros(4), 1.0, fields, direction=(1, 2, 2)))
    d = np.array([1, 2, 2]) / 3
    base = best_time(lambda: [ts.multiwell(r, np.zeros(4), 1.0, field=b * d).eigenenergies() for b in fields],
                     repeat=1)
    return {"benchmark": f"tetrahedron spectrum at {n} fields", "ours_s": ours, "baseline_s": base,
            "baseline": "multiwell Qobj per field + eigenenergies()", "ratio": base / ours, "notes": "batched LAPACK"}


def main(quick: bool = False) -> list[dict]:
    n = 200 if quick else 2000
    return closed_form_timings(quick) + [_four_level_default(n), _multiwell(n)]


if __name__ == "__main__":
    for row in main(quick=True):
        print(row)
