"""The tetrahedron study's rows: findings beyond the paper and the builder's identities (nothing graded).

The paper (appendix) defers "the tetrahedral 4LS in a magnetic field" to its ref. 59 and only remarks that a square
with d2 > d1 mimics it; sec. 2 cites Sussmann for a degenerate ground level in triangular or tetrahedral geometry.
The toolkit's result, a ground *triplet* carrying the 3LS's orbital moment with entropy ln 3, is therefore a
finding beyond the paper, not a verdict on it (issue 18).
"""

from __future__ import annotations

import numpy as np

from tunnelsim.constants import FLUX_QUANTUM
from tunnelsim.single.four_level import four_level
from tunnelsim.single.polyhedron import multiwell, polygon_positions, tetrahedron_positions
from tunnelsim.single.three_level import three_level
from tunnelsim.studies.claims import Finding, FindingKind
from tunnelsim.studies.polyhedron.model import EDGE, T_HOP
from tunnelsim.studies.polyhedron.triplet import Triplet

__all__ = ["MU_B_K_PER_T", "triplet_finding", "splitting_finding", "builder_identity"]

MU_B_K_PER_T = 0.67171381563  #: Bohr magneton over k_B, K/T (CODATA 2018)


def _entropy_text(tr: Triplet) -> str:
    pick = [i for i, t in enumerate(tr.temperatures) if t in (0.2, 0.5)]
    tet = ", ".join(f"{tr.entropy[i] - np.log(3):.2g} at T = {tr.temperatures[i]:g} t" for i in pick)
    three = ", ".join(f"{tr.entropy_3ls[i] - np.log(2):.2g}" for i in pick)
    return (f"entropy S/k_B - ln 3 = {tet} (the gap above the triplet is {tr.gap_above:g} t; S -> "
            f"{tr.entropy[-1]:.4f} at T = {tr.temperatures[-1]:g} t, ln 4 = {np.log(4):.4f}); the 3LS (gap 3t): "
            f"S/k_B - ln 2 = {three} at the same T")


def triplet_finding(tr: Triplet) -> Finding:
    """The ground triplet: degeneracy, moment against the 3LS of one face, entropy ln 3; the square stand-in."""
    m = np.asarray(tr.moments)
    spread = float(np.max(np.abs(m / tr.moment_3ls - 1)))
    levels = ", ".join(f"{x:.6g}" for x in tr.levels)
    square = ", ".join(f"{x:.6g}" for x in tr.square_levels)
    return Finding(
        FindingKind.BEYOND_PAPER,
        "The tetrahedral 4LS (hopping t > 0 on all six edges, E_i = 0; deferred by the paper to its ref. 59) has a "
        "threefold degenerate ground level, not the 3LS's doublet: it carries the 3LS's orbital moment for every field "
        "direction, and its entropy tends to ln 3 (the 3LS's to ln 2) below the gap 4t",
        f"zero-field levels {levels} K (t = {T_HOP:g} K): degeneracy {tr.degeneracy}, gap {tr.gap_above:g} t above; "
        f"moment -dE0/dB of the lowest level = {m.mean():.6g} K/T over {m.size} directions (max |m/m_3LS - 1| = "
        f"{spread:.1e}), the 3LS of one face with B along its normal m_3LS = (t/sqrt3) 2 pi e S_f/h = "
        f"{tr.moment_3ls:.6g} K/T = {tr.moment_3ls / MU_B_K_PER_T:.4g} mu_B (edge {EDGE * 1e9:g} nm, charge e; "
        f"scales as e S_f t); the triplet's middle level has no linear moment (|m| <= "
        f"{np.max(np.abs(tr.middle_moments)):.1e} K/T, {np.max(np.abs(tr.middle_moments)) / abs(m.mean()):.0e} of the "
        f"lowest level's: the finite differences' resolution); {_entropy_text(tr)}. The paper's square stand-in at "
        f"d2 = d1 (straight diagonals) is the same graph K4, levels {square} K: its d2 > d1 splits the triplet into "
        "the ground doublet and a level 2 (d2 - d1) above",
        "tunnelsim.studies.polyhedron.triplet.triplet (tunnelsim.multiwell_field_spectrum, three_level_energies)",
        "tetrahedron_entropy.png")


def splitting_finding() -> Finding:
    """The weak-field splitting of the triplet (docs/theory.md eq. (1.15))."""
    return Finding(FindingKind.BEYOND_PAPER,
                   "The field splits the tetrahedron's triplet into -t + m t phi_f/sqrt3, m = -1, 0, +1, isotropically "
                   "at first order; the middle level moves at second order, t phi_f^2 (2 sum n_i^4 - 1)/12 (n in the "
                   "cube frame); the lowest gap is half the 3LS doublet's",
                   "tested at five directions against a line-integral Peierls Hamiltonian (tests/test_single_polyhedron"
                   ".py); figures tetrahedron_vs_3ls.png and tetrahedron_spectrum_field.png",
                   "tunnelsim.multiwell_field_spectrum", "tetrahedron_vs_3ls.png")


def builder_identity() -> Finding:
    """The polyhedron builder against the 3LS, the straight-diagonal 4LS and a moved gauge origin."""
    s, b, e3, e4 = 2e-18, 40.0, [0.1, -0.04, -0.06], [0.1, -0.04, -0.06, 0.0]
    phi = 2 * np.pi * b * s / FLUX_QUANTUM
    d3 = np.max(np.abs(multiwell(polygon_positions(3, s), e3, 0.5, field=(0, 0, b)).full()
                       - three_level(e3, 0.5, phi).full()))
    sq = [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2), (1, 3)]
    d4 = np.max(np.abs(multiwell(polygon_positions(4, s), e4, [1, 1, 1, 1, 2, 2], edges=sq, field=(0, 0, b)).full()
                       - four_level(e4, 1, 2, phi, "straight").full()))
    r, field = tetrahedron_positions(EDGE), (30.0, -50.0, 80.0)
    gauge = max(np.max(np.abs(np.linalg.eigvalsh(multiwell(r, e4, 1.0, field=field, gauge_origin=o).full())
                              - np.linalg.eigvalsh(multiwell(r, e4, 1.0, field=field).full())))
                for o in ([1e-8, 0, 0], [0, -3e-9, 7e-9]))
    return Finding(FindingKind.IDENTITY, "The polyhedron builder reduces to the 3LS and to the 4LS with straight "
                   "diagonals, and its spectra do not depend on the gauge origin",
                   f"max |H - three_level| = {d3:.1e} K, max |H - four_level(straight)| = {d4:.1e} K (including the "
                   f"sign of the flux); levels change by {gauge:.1e} K when the origin moves", "tunnelsim.multiwell")
