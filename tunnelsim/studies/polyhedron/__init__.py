"""Study beyond the paper: the tetrahedral 4LS in a magnetic field (docs/theory.md sec. 1.5).

The paper defers "the tetrahedral 4LS in a magnetic field" to later work (its ref. 59) and, after Sussmann,
expects the same physics as its 3LS. Four wells on a regular tetrahedron, equal hopping t > 0 on the six edges, a
charge e in a uniform field B (:mod:`~tunnelsim.studies.polyhedron.model`): spectra versus |B| for several
orientations and their average, the weak-field levels against the 3LS of one face (paper Fig. 5), and the ground
triplet's moment and entropy (:mod:`~tunnelsim.studies.polyhedron.triplet`). Nothing here is graded against the
paper: the rows are findings beyond it and identities of the builder
(:mod:`~tunnelsim.studies.polyhedron.findings`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tunnelsim.single.polyhedron import multiwell_field_spectrum, multiwell_orientation_average, tetrahedron_positions
from tunnelsim.single.three_level import three_level_energies
from tunnelsim.studies.figures import save_figure
from tunnelsim.studies.polyhedron.figures import figure_entropy, figure_spectra, figure_weak, weak_field_levels
from tunnelsim.studies.polyhedron.findings import builder_identity, splitting_finding, triplet_finding
from tunnelsim.studies.polyhedron.model import B_QUANTUM, DIRECTIONS, EDGE, T_HOP, field_of_phase
from tunnelsim.studies.polyhedron.triplet import triplet

__all__ = ["run", "TITLE"]

TITLE = "Beyond the paper: the tetrahedral 4LS in a magnetic field"
PHI_WEAK = 0.05  #: face flux phase (rad) of the weak-field entropy curves


def _spectra(fields, n_avg: int):
    r = tetrahedron_positions(EDGE)
    out = {name: multiwell_field_spectrum(r, np.zeros(4), T_HOP, fields, direction=d) for name, d in DIRECTIONS.items()}
    out[f"orientation average over {n_avg} directions"] = multiwell_orientation_average(
        r, np.zeros(4), T_HOP, fields, n_directions=n_avg)
    return out


def _entropy_figure(tr, out_dir: Path) -> None:
    r = tetrahedron_positions(EDGE)
    weak = multiwell_field_spectrum(r, np.zeros(4), T_HOP, [field_of_phase(PHI_WEAK)], direction=(0, 0, 1)).energies[0]
    three = three_level_energies(np.zeros(3), T_HOP, np.array([0.0, PHI_WEAK]))
    save_figure(figure_entropy(tr.levels, three[0], weak, three[1], PHI_WEAK)[0], out_dir / "tetrahedron_entropy.png")


def run(out_dir: Path, quick: bool = False, executor=None) -> list:
    """Write the tetrahedron figures into ``out_dir``; return the report rows (findings, nothing graded).

    Parameters
    ----------
    out_dir : pathlib.Path
        Output folder (created if needed).
    quick : bool
        Fewer fields and directions.
    executor : concurrent.futures.Executor, optional
        Unused (seconds of work); accepted for a uniform study interface.

    Returns
    -------
    list of Finding
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    n_avg = 16 if quick else 128
    fields = np.linspace(0.0, 2.0 * B_QUANTUM, 121 if quick else 601)
    save_figure(figure_spectra(_spectra(fields, n_avg))[0], out_dir / "tetrahedron_spectrum_field.png")
    save_figure(figure_weak(*weak_field_levels())[0], out_dir / "tetrahedron_vs_3ls.png")
    tr = triplet(n_avg)
    _entropy_figure(tr, out_dir)
    return [triplet_finding(tr), splitting_finding(), builder_identity()]
