"""Benchmark: single-system spectra.

* closed-form flux spectra (vectorised Viete / Descartes) against batched numpy eigvalsh of the stacked matrices
  (:func:`tunnelsim.studies.benchmarks.closed_form_timings`, also used by the demo);
* the 4LS default, exact batched diagonalisation, against the analytic quartic it replaced as default, with the
  error of each on a 2e-7 K doublet;
* the polyhedron builder's batched field spectrum against a plain numpy build of the stacked Peierls matrices and
  one batched eigvalsh.
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


def _numpy_tetrahedra(r: np.ndarray, fields: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Plain numpy: the stacked Peierls Hamiltonians t e^{i theta_ab} of the complete graph (symmetric gauge about
    the centroid, theta_ab = pi e B . (r_a x r_b) / h), one batched eigvalsh."""
    from scipy.constants import e as charge
    from scipy.constants import h

    rc = r - r.mean(axis=0)
    unit = np.pi * charge / h * np.einsum("k,abk->ab", direction, np.cross(rc[:, None, :], rc[None, :, :]))
    ham = np.exp(1j * fields[:, None, None] * unit[None]) * (1.0 - np.eye(len(r)))
    return np.linalg.eigvalsh(ham)


def _multiwell(n: int) -> dict:
    r = ts.tetrahedron_positions(1e-8)
    fields = np.linspace(0, 200, n)
    d = np.array([1, 2, 2]) / 3
    ours_levels = ts.multiwell_field_spectrum(r, np.zeros(4), 1.0, fields, direction=(1, 2, 2)).energies
    ours = best_time(lambda: ts.multiwell_field_spectrum(r, np.zeros(4), 1.0, fields, direction=(1, 2, 2)))
    base = best_time(lambda: _numpy_tetrahedra(r, fields, d))
    diff = np.max(np.abs(ours_levels - _numpy_tetrahedra(r, fields, d)))
    return {"benchmark": f"tetrahedron spectrum at {n} fields", "ours_s": ours, "baseline_s": base,
            "baseline": "plain numpy: stacked Peierls matrices + batched eigvalsh", "ratio": base / ours,
            "notes": f"max |diff| {diff:.1e} K (the builder validates its input and keeps the gauge origin)"}


def main(quick: bool = False) -> list[dict]:
    n = 200 if quick else 2000
    return closed_form_timings(quick) + [_four_level_default(n), _multiwell(n)]


if __name__ == "__main__":
    for row in main(quick=True):
        print(row)
