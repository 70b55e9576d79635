"""Valid calls of every public function of the ``lattices`` face (for tests/test_property.py).

One cheap call per function of ``lattices.__all__`` (classes and constants excluded). The cost
parameters of the generators and estimators (box sizes, sample and resample counts) are not mutated
here: a legitimate mid-range value, which hypothesis draws often (10^3..10^5), is a real computation
longer than the engine's hang limit. :data:`COST_PARAMETERS` lists them; tests/test_lattices_limits.py
throws every bad value of the engine at each of them (sizes of 10^12, NaN, strings, ...).
"""

import networkx as nx
import numpy as np
from property_engine import Example

import lattices as lt

SEED = {"zero", "huge", "none"}
FLAG = {"bool"}
PROGRESS = {"none", "bool"}
COST = "cost parameter (box size or sample count): bad values thrown by tests/test_lattices_limits.py"
CACHE = "cache folders: tests/test_lattices_limits.py (a file, a number, an empty name)"


def _mask() -> np.ndarray:
    m = np.zeros((6, 6), dtype=bool)
    m[1:5, 2] = True
    m[2, 1:5] = True
    return m


def _labels() -> np.ndarray:
    return lt.label_sites(np.random.default_rng(2).random((8, 8)) < 0.6, "square")[0]


_GRAPH = nx.grid_2d_graph(3, 3)
_ESTIMATOR = dict(executor=None, progress=False, cache=None)
_ESTIMATOR_VALID = {"executor": {"none"}, "progress": PROGRESS, "seed": SEED}

EXAMPLES = [
    Example(lt.as_lattice, {"lattice": "square", "name": "lattice"}, valid={"name": {"string"}}),
    Example(lt.box_shape, {"lattice": "square", "size": 4, "periodic": False}, valid={"periodic": FLAG}),
    Example(lt.lattice_graph, {"lattice": "square", "size": 3, "periodic": False}, valid={"periodic": FLAG},
            skip={"size"}, why=COST),
    Example(lt.random_sites, {"lattice": "square", "size": 4, "p": 0.5, "seed": 1}, valid={"seed": SEED},
            skip={"size"}, why=COST),
    Example(lt.random_bonds, {"lattice": "triangular", "size": 4, "p": 0.5, "seed": 1}, valid={"seed": SEED},
            skip={"size"}, why=COST),
    Example(lt.label_sites, {"occupied": _mask(), "lattice": "square", "periodic": False, "method": "auto"},
            valid={"periodic": FLAG}),
    Example(lt.label_bonds, {"bonds": np.ones((4, 4, 2), dtype=bool), "lattice": "square", "periodic": False},
            valid={"periodic": FLAG}),
    Example(lt.label_graph, {"graph": _GRAPH, "occupied": None}, valid={"occupied": {"none"}}),
    Example(lt.percolate_graph, {"graph": _GRAPH, "p": 0.5, "kind": "site", "seed": 1}, valid={"seed": SEED}),
    Example(lt.newman_ziff, {"lattice": "square", "size": 4, "samples": 2, "seed": 0, "kind": "site",
                             "periodic": True, "track_largest": True, "chunks": None, **_ESTIMATOR},
            valid={**_ESTIMATOR_VALID, "chunks": {"none"}, "periodic": FLAG, "track_largest": FLAG},
            skip={"size", "samples", "cache"}, why=f"{COST}; {CACHE}"),
    Example(lt.canonical_average, {"micro": [0.0, 1.0, 2.0, 3.0, 4.0], "p": 0.5}),
    Example(lt.largest_cluster, {"labels": _labels()}),
    Example(lt.cluster_size_distribution, {"labels": _labels()}),
    Example(lt.mass_radius, {"labels": _labels(), "min_size": 1}, valid={"min_size": {"huge"}}),
    Example(lt.perimeter_sites, {"mask": _mask(), "lattice": None}, valid={"lattice": {"none"}}),
    Example(lt.hull_sites, {"mask": _mask(), "lattice": None}, valid={"lattice": {"none"}}),
    Example(lt.external_perimeter_sites, {"mask": _mask(), "lattice": None}, valid={"lattice": {"none"}}),
    Example(lt.hull_walk, {"mask": _mask()}),
    Example(lt.percolation_threshold, {"lattice": "square", "size": 16, "samples": 20, "seed": 1, "kind": "site",
                                       "method": "auto", "n_boot": 2, **_ESTIMATOR},
            valid={**_ESTIMATOR_VALID, "size": {"none"}, "samples": {"none"}},
            skip={"size", "samples", "n_boot", "cache"},
            why=f"{COST}; {CACHE}"),
    Example(lt.fractal_dimension, {"lattice": "square", "kind": "mass", "sizes": [4, 5, 6], "samples": 4, "seed": 1,
                                   "p": None, "periodic": None, **_ESTIMATOR},
            valid={**_ESTIMATOR_VALID, "p": {"none"}, "periodic": {"none", "bool"}, "sizes": {"none"},
                   "samples": {"none"}},
            skip={"sizes", "samples", "cache"}, why=f"{COST}; {CACHE}"),
    Example(lt.correlation_length_exponent, {"lattice": "square", "sizes": [4, 8, 16], "samples": 10, "seed": 1,
                                             "kind": "site", "which": "either", "p": None, "n_boot": 2, **_ESTIMATOR},
            valid={**_ESTIMATOR_VALID, "p": {"none"}, "sizes": {"none"}, "samples": {"none"}},
            skip={"sizes", "samples", "n_boot", "cache"},
            why=f"{COST}; {CACHE}"),
    Example(lt.alpha_exponent, {"D": 91 / 48, "D_s": 7 / 4, "nu": 4 / 3},
            valid={"D": {"huge"}, "D_s": {"huge"}, "nu": {"huge"}}),
    Example(lt.heuristic_alpha, {"dim": 2, "definition": "hull"}),
    Example(lt.interface_sites, {"occupied": _mask(), "definition": "hull", "clusters": "all", "lattice": None},
            valid={"lattice": {"none"}}),
    Example(lt.simulate_interface, {"lattice": "square", "x_values": [0.5, 0.55, 0.58], "size": 8, "samples": 2,
                                    "seed": 1, **_ESTIMATOR},
            valid={**_ESTIMATOR_VALID, "x_values": {"none"}, "size": {"none"}, "samples": {"none"}},
            skip={"size", "samples", "cache"},
            why=f"{COST}; {CACHE}"),
    Example(lt.alpha_direct, {"lattice": "square", "definition": "hull", "clusters": "largest", "table": None,
                              "near": 0.15, "normalise": "nm", "x_values": [0.45, 0.5, 0.55, 0.58], "size": 12,
                              "samples": 2, "seed": 1, "progress": False},
            valid={"table": {"none"}, "near": {"huge"}, "seed": SEED, "progress": PROGRESS, "x_values": {"none"},
                   "size": {"none"}, "samples": {"none"}},
            skip={"size", "samples"}, why=COST),
]

#: (function name, cost parameters) of the examples above, for tests/test_lattices_limits.py.
COST_PARAMETERS = {ex.func.__name__: sorted(ex.skip - {"cache"}) for ex in EXAMPLES if ex.skip - {"cache"}}
