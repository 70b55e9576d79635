"""Valid calls of every public single-system function on the tunnelsim face (for tests/test_property.py).

Each call is cheap (a few wells, a few flux values). ``valid`` lists the bad-value kinds that are
legitimate for a parameter (a negative well energy, a zero flux, a huge flux phase ...).
"""

import numpy as np
from property_engine import Example

import tunnelsim as ts

E3 = [0.1, -0.04, -0.06]
E4 = [0.05, -0.02, 0.01, -0.04]
TETRA = ts.tetrahedron_positions(1e-8)
VECTOR = {"negative", "zero"}  # scalars where a 3-vector is expected are refused by shape
ANY_REAL = {"negative", "zero", "huge"}
FLAG = {"bool"}

EXAMPLES = [
    Example(ts.two_level, {"asymmetry": 0.3, "tunneling": 0.4},
            valid={"asymmetry": ANY_REAL, "tunneling": ANY_REAL}),
    Example(ts.two_level_energies, {"asymmetry": [0.3, 0.1], "tunneling": 0.4},
            valid={"asymmetry": ANY_REAL, "tunneling": ANY_REAL}),
    Example(ts.three_level, {"energies": E3, "d0": 1.0, "phi": 0.3, "allow_negative_hopping": False},
            valid={"phi": ANY_REAL, "allow_negative_hopping": FLAG}),
    Example(ts.three_level_char_poly, {"energies": E3, "d0": 1.0, "phi": [0.0, 0.3], "allow_negative_hopping": False},
            valid={"phi": ANY_REAL, "allow_negative_hopping": FLAG}),
    Example(ts.three_level_energies, {"energies": E3, "d0": 1.0, "phi": [0.0, 0.3], "allow_negative_hopping": False},
            valid={"phi": ANY_REAL, "allow_negative_hopping": FLAG}),
    Example(ts.three_level_doublet, {"energies": E3, "d0": 1.0, "phi": 0.3}, valid={"phi": ANY_REAL}),
    Example(ts.three_level_doublet_gap, {"energies": E3, "d0": 1.0, "phi": [0.0, 0.3]}, valid={"phi": ANY_REAL}),
    Example(ts.four_level, {"energies": E4, "d1": 1.0, "d2": 2.0, "phi": 0.3, "diagonal": "symmetrised",
                            "allow_negative_hopping": False},
            valid={"phi": ANY_REAL, "d2": {"zero", "huge"}, "allow_negative_hopping": FLAG}),
    Example(ts.four_level_char_poly, {"energies": E4, "d1": 1.0, "d2": 2.0, "phi": [0.0, 0.3],
                                      "diagonal": "straight", "allow_negative_hopping": False},
            valid={"phi": ANY_REAL, "d2": {"zero", "huge"}, "allow_negative_hopping": FLAG}),
    Example(ts.four_level_energies, {"energies": E4, "d1": 1.0, "d2": 2.0, "phi": [0.0, 0.3],
                                     "diagonal": "symmetrised", "allow_negative_hopping": False},
            valid={"phi": ANY_REAL, "d2": {"zero", "huge"}, "allow_negative_hopping": FLAG}),
    Example(ts.four_level_energies_degenerate, {"d1": 1.0, "d2": 2.0, "phi": [0.0, 0.3], "diagonal": "straight",
                                                "sort": True},
            valid={"phi": ANY_REAL, "d1": ANY_REAL, "d2": ANY_REAL, "sort": FLAG}),
    Example(ts.four_level_period, {"diagonal": "straight"}),
    Example(ts.four_level_doublet, {"energies": E4, "d1": 1.0, "d2": 2.0, "phi": 0.3, "diagonal": "symmetrised"},
            valid={"phi": ANY_REAL, "d2": {"zero", "huge"}}),
    Example(ts.four_level_doublet_threshold, {"d1": 1.0, "d2": 2.0, "diagonal": "symmetrised"},
            valid={"d2": {"zero", "huge"}, "d1": {"huge"}},
            why="symmetrised: finite for every d2 (the straight diagonal returns inf, documented, for d2 >= sqrt2 d1)"),
    Example(ts.flux_spectrum, {"system": "3ls", "phi": np.linspace(0.0, 1.0, 3), "method": "exact",
                               "keep_states": True, "operators": ["P1", "sigma_z", "dipole_x"], "energies": E3,
                               "d0": 1.0},
            valid={"phi": ANY_REAL, "keep_states": FLAG, "operators": {"none", "empty"}}),
    Example(ts.flux_spectrum, {"system": "4ls", "phi": np.linspace(0.0, 1.0, 3), "method": "closed_form",
                               "energies": E4, "d1": 1.0, "d2": 2.0, "diagonal": "straight"},
            valid={"phi": ANY_REAL, "d2": {"zero", "huge"}}),
    Example(ts.sweep_spectrum, {"builder": ts.three_level, "parameter": "phi", "values": [0.0, 0.5],
                                "progress": False, "energies": E3, "d0": 1.0},
            valid={"values": ANY_REAL, "progress": {"bool", "none"}}, skip={"builder"},
            why="builder: a callable, refused by type"),
    Example(ts.field_spectrum, {"system": "4ls", "field": [0.0, 1.0], "area": 1e-18, "theta": 0.3, "charge": 2.0,
                                "method": "auto", "keep_states": False, "operators": None,
                                "energies": E4, "d1": 1.0, "d2": 0.5, "diagonal": "symmetrised"},
            valid={"field": ANY_REAL, "theta": ANY_REAL, "charge": {"negative", "huge"}, "keep_states": FLAG,
                   "operators": {"none"}, "d2": {"zero", "huge"}, "area": {"huge"}}),
]

EXAMPLES += [
    Example(ts.multiwell, {"positions": TETRA, "energies": E4, "hoppings": 1.0, "edges": None,
                           "field": [10.0, 0.0, 20.0], "charge": 2.0, "gauge_origin": None,
                           "allow_negative_hopping": False},
            valid={"edges": {"none"}, "gauge_origin": {"none"}, "charge": {"negative", "huge"},
                   "allow_negative_hopping": FLAG, "hoppings": {"huge"}}),
    Example(ts.multiwell_field_spectrum, {"positions": TETRA, "energies": E4, "hoppings": 1.0, "fields": [0.0, 50.0],
                                          "direction": [1.0, 1.0, 1.0], "edges": [[0, 1], [1, 2], [2, 0], [0, 3]],
                                          "charge": 1.0, "gauge_origin": None, "keep_states": False,
                                          "operators": ["P1", "dipole_z"], "allow_negative_hopping": False},
            valid={"fields": ANY_REAL, "gauge_origin": {"none"}, "charge": {"negative", "huge"}, "edges": {"none"},
                   "keep_states": FLAG, "operators": {"none"}, "allow_negative_hopping": FLAG, "hoppings": {"huge"}}),
    Example(ts.multiwell_orientation_average, {"positions": TETRA, "energies": E4, "hoppings": 1.0,
                                               "fields": [0.0, 50.0], "n_directions": 3, "edges": None, "charge": 1.0,
                                               "allow_negative_hopping": False},
            valid={"fields": ANY_REAL, "edges": {"none"}, "charge": {"negative", "huge"},
                   "allow_negative_hopping": FLAG, "hoppings": {"huge"}}),
    Example(ts.peierls_phases, {"positions": TETRA, "field": [1.0, 2.0, 3.0], "edges": None, "charge": 1.0,
                                "gauge_origin": [0.0, 0.0, 1e-9]},
            valid={"edges": {"none"}, "gauge_origin": {"none"}, "charge": {"negative", "huge"}}),
    Example(ts.loop_phase, {"positions": TETRA, "loop": [0, 1, 2], "field": [1.0, 2.0, 3.0], "charge": 1.0},
            valid={"charge": {"negative", "huge"}}),
    Example(ts.tetrahedron_positions, {"edge": 1e-9}, valid={"edge": {"huge"}}),
    Example(ts.polygon_positions, {"n": 5, "area": 1e-18}, valid={"area": {"huge"}}),
    Example(ts.sphere_directions, {"n": 7}),
    Example(ts.wells_from_graph, {"graph": None}, skip={"graph"}, why="graphs: tests/test_single_polyhedron.py"),
]
