"""The tetrahedral 4LS of the study: geometry, hopping, charge, and the flux scale of one face.

Four wells on a regular tetrahedron of edge :data:`EDGE`, equal hopping :data:`T_HOP` > 0 on its six edges
(the complete graph K4), E_i = 0, a charge e in a uniform field B (docs/theory.md sec. 1.5, eq. (1.13)).
"""

from __future__ import annotations

import numpy as np

from tunnelsim.constants import FLUX_QUANTUM

__all__ = ["T_HOP", "EDGE", "FACE", "B_QUANTUM", "DIRECTIONS", "phi_face", "field_of_phase"]

T_HOP = 1.0  #: hopping t on every edge, K
EDGE = 1e-8  #: edge length, m
FACE = np.sqrt(3) / 4 * EDGE**2  #: area of one face, m^2
B_QUANTUM = FLUX_QUANTUM / FACE  #: T: one flux quantum h/e through a face at normal incidence (charge e)
DIRECTIONS = {"B along [001] (S4 axis)": (0, 0, 1), "B along [111] (C3 axis, face normal)": (1, 1, 1),
              "B along (1, -2, 0.5), generic": (1, -2, 0.5)}


def phi_face(b):
    """Flux phase through one face at normal incidence, rad, for |B| in T (charge e)."""
    return 2 * np.pi * np.asarray(b) / B_QUANTUM


def field_of_phase(phi):
    """|B| in T giving the face flux phase ``phi`` (rad) at normal incidence (charge e)."""
    return np.asarray(phi) * B_QUANTUM / (2 * np.pi)
