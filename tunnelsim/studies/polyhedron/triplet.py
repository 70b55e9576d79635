"""The tetrahedron's ground triplet: its degeneracy, its orbital moment against the 3LS's, its entropy.

Beyond the paper (which defers the tetrahedral 4LS to its ref. 59): at zero field the tetrahedral 4LS with
hopping t > 0 (the complete graph K4) has levels -t (three times) and 3t; a weak field splits the triplet as
-t + m t phi_f / sqrt3, m = -1, 0, 1 (docs/theory.md eq. (1.15)). Measured here on the exact spectra
(:func:`tunnelsim.multiwell_field_spectrum`): the moment -dE/dB of the lowest level for many field directions,
against the 3LS of one face with the field along its normal (Viete, docs/theory.md eq. (1.5)); the entropy of the
levels S/k_B = ln Z + <E>/T (k_B = 1), which tends to ln 3 for T well below the gap 4t, where the 3LS's tends
to ln 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tunnelsim.constants import FLUX_QUANTUM
from tunnelsim.single.four_level import four_level
from tunnelsim.single.polyhedron import multiwell, multiwell_field_spectrum, sphere_directions, tetrahedron_positions
from tunnelsim.single.three_level import three_level_energies
from tunnelsim.studies.polyhedron.model import EDGE, FACE, T_HOP, field_of_phase

__all__ = ["Triplet", "STEP", "TEMPERATURES", "entropy", "lowest_moments", "moment_3ls", "triplet"]

#: Face flux phase of the finite differences (rad): Richardson's two steps cancel the O(phi^2) term.
STEP = 1e-3
#: Temperatures of the entropy, in units of t (the gap above the triplet is 4t).
TEMPERATURES = (0.05, 0.1, 0.2, 0.5, 1.0, 10.0, 100.0)


@dataclass(frozen=True)
class Triplet:
    """Numbers of the tetrahedron's ground level (energies in K, moments in K/T, entropies in units of k_B).

    Attributes
    ----------
    levels : tuple of float
        Zero-field levels.
    degeneracy : int
        Number of levels within 1e-9 t of the lowest.
    gap_above : float
        From the ground level to the next distinct level.
    moment_3ls : float
        -dE0/dB of the 3LS of one face (hopping t, E = 0) with B along its normal.
    moments : tuple of float
        -dE0/dB of the tetrahedron's lowest level, one per field direction.
    middle_moments : tuple of float
        -dE1/dB of the triplet's middle level, one per direction (zero at first order).
    temperatures : tuple of float
        T / t of the entropies.
    entropy : tuple of float
        S/k_B of the tetrahedron at zero field.
    entropy_3ls : tuple of float
        S/k_B of the 3LS (D0 = t, E = 0) at zero field.
    square_levels : tuple of float
        The paper's square stand-in at d2 = d1 = t (straight diagonals, zero field): the graph K4 again.
    """

    levels: tuple[float, ...]
    degeneracy: int
    gap_above: float
    moment_3ls: float
    moments: tuple[float, ...]
    middle_moments: tuple[float, ...]
    temperatures: tuple[float, ...]
    entropy: tuple[float, ...]
    entropy_3ls: tuple[float, ...]
    square_levels: tuple[float, ...]


def entropy(levels, temperatures) -> np.ndarray:
    """S/k_B = ln Z + <E - E0>/T of a set of levels (K) at temperatures T (K), k_B = 1."""
    e = np.sort(np.asarray(levels, dtype=float))
    t = np.asarray(temperatures, dtype=float)[:, None]
    w = np.exp(-(e - e[0]) / t)
    z = w.sum(axis=1)
    return np.log(z) + (w * (e - e[0])).sum(axis=1) / (z * t[:, 0])


def _richardson(e0, e1, e2, step: float) -> float:
    """-dE/dx at 0 from E(0), E(h), E(2h): the O(h^2) term cancels."""
    return -float(4 * (e1 - e0) - (e2 - e0)) / (2 * step)


def lowest_moments(directions, level: int = 0) -> np.ndarray:
    """-dE_level/dB (K/T) of the tetrahedron at B = 0, one per direction (rows of ``directions``)."""
    r = tetrahedron_positions(EDGE)
    h = float(field_of_phase(STEP))
    out = []
    for d in np.asarray(directions, dtype=float):
        lev = multiwell_field_spectrum(r, np.zeros(4), T_HOP, [0.0, h, 2 * h], direction=d).energies[:, level]
        out.append(_richardson(*lev, h))
    return np.array(out)


def moment_3ls() -> float:
    """-dE0/dB (K/T) of the 3LS of one face (D0 = t, E = 0) with B along its normal: Viete, eq. (1.5)."""
    lev = three_level_energies(np.zeros(3), T_HOP, np.array([0.0, STEP, 2 * STEP]))[:, 0]
    return _richardson(*lev, STEP) * 2 * np.pi * FACE / FLUX_QUANTUM


def triplet(n_directions: int, directions=None) -> Triplet:
    """The triplet's numbers, over ``n_directions`` quasi-uniform field directions (or the given ``directions``)."""
    dirs = sphere_directions(n_directions) if directions is None else np.asarray(directions, dtype=float)
    lev = np.linalg.eigvalsh(multiwell(tetrahedron_positions(EDGE), np.zeros(4), T_HOP).full())
    deg = int(np.sum(lev - lev[0] < 1e-9 * T_HOP))
    temps = np.asarray(TEMPERATURES) * T_HOP
    e3 = three_level_energies(np.zeros(3), T_HOP, 0.0)
    square = np.linalg.eigvalsh(four_level(np.zeros(4), T_HOP, T_HOP, 0.0, "straight").full())
    return Triplet(tuple(map(float, lev)), deg, float(lev[deg] - lev[0]), moment_3ls(),
                   tuple(map(float, lowest_moments(dirs))), tuple(map(float, lowest_moments(dirs, level=1))),
                   tuple(TEMPERATURES), tuple(map(float, entropy(lev, temps))), tuple(map(float, entropy(e3, temps))),
                   tuple(map(float, square)))
