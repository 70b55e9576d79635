"""Valid calls of the coherent-tunneling and ensemble side of ``clusters`` (for tests/test_property.py)."""

import numpy as np
from property_engine import Example

import clusters as cl
from clusters.ensembles import ensemble_block

_UNIFORM3 = cl.TwoLevelCluster.uniform(3, 0.0, 1.0, -5.0)
_THREE = cl.ThreeLevelCluster.uniform(2, [0.0, 0.0, 0.0], 1.0, -20.0, 0.3)
_J3 = -5.0 * (np.ones((3, 3)) - np.eye(3))
_SIGNED = {"negative", "zero", "huge"}

EXAMPLES = [
    Example(cl.uniform_couplings, {"n": 3, "j": -1.0}, valid={"j": _SIGNED}),
    Example(cl.random_couplings, {"n": 3, "scale": 0.5, "seed": 1, "distribution": "normal", "mean": 0.0},
            valid={"scale": {"zero", "huge"}, "seed": {"zero", "huge", "none"}, "mean": _SIGNED}),
    Example(cl.dipolar_couplings, {"positions": [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 1.0]], "j0": -1.0,
                                   "axis": (0.0, 0.0, 1.0), "normalise": False},
            valid={"j0": _SIGNED, "normalise": {"bool"}}),
    Example(cl.random_positions_in_sphere, {"n": 4, "density": None, "seed": 2, "radius": 1.0, "min_distance": 0.1},
            valid={"density": {"none"}, "seed": {"zero", "huge", "none"}, "radius": {"huge"},
                   "min_distance": {"zero"}},
            aliases={"density": ("radius",), "radius": ("density",)}),
    Example(cl.coherent_doublet, {"cluster": _UNIFORM3, "method": "auto", "dps": 30, "warn": True},
            valid={"warn": {"bool"}}),
    Example(cl.coherent_multiplet, {"cluster": _THREE, "method": "auto", "warn": True},
            valid={"warn": {"bool"}}),
    Example(cl.perturbative_tunneling, {"n": 3, "tunneling": 1.0, "coupling": -5.0},
            valid={"tunneling": {"negative", "zero"}, "coupling": {"negative", "huge"}}),
    Example(cl.log10_perturbative_tunneling, {"n": 3, "tunneling": 1.0, "coupling": -5.0},
            valid={"n": {"huge"}, "tunneling": {"negative", "huge"}, "coupling": {"negative", "huge"}}),
    Example(cl.perturbative_hopping, {"asymmetries": [0.0, 0.1, 0.0], "tunnelings": [1.0, 1.0, 0.5],
                                      "couplings": _J3, "max_n": 16},
            valid={"asymmetries": {"zero", "negative", "huge"}}),
    Example(cl.log10_perturbative_hopping, {"asymmetries": [0.0, 0.1, 0.0], "tunnelings": [1.0, 1.0, 0.5],
                                            "couplings": _J3, "max_n": 16},
            valid={"asymmetries": {"zero", "negative", "huge"}}),
    Example(cl.renormalise_two_level, {"cluster": _UNIFORM3}),
    Example(cl.renormalise_three_level, {"cluster": _THREE}),
    Example(cl.random_dipoles, {"n": 3, "magnitude": 1.5, "seed": 1, "aligned": False, "axis": (0.0, 0.0, 1.0)},
            valid={"seed": {"zero", "huge", "none"}, "magnitude": {"huge"}, "aligned": {"bool"}}),
    Example(cl.transition_dipole, {"cluster": _UNIFORM3, "dipoles": np.eye(3), "method": "auto"}),
    Example(cl.leaving_variance, {"cluster": _UNIFORM3}),
    Example(cl.escape_rates, {"cluster": _UNIFORM3, "temperature": 2.0, "coupling_constant": 1.0},
            valid={"temperature": {"huge"}, "coupling_constant": {"huge"}}),
    Example(cl.sample_cluster, {"spec": cl.EnsembleSpec(3), "seed": 1}, valid={"seed": {"zero", "huge", "none"}}),
    Example(cl.cluster_quantities, {"sampled": cl.sample_cluster(cl.EnsembleSpec(3), 2), "levels": 4}),
    # N = 1: every per-cluster value is defined (larger N mask the coherent parameters of non-coherent clusters)
    Example(cl.run_ensemble, {"spec": cl.EnsembleSpec(1), "clusters": 3, "path": None, "seed": 1, "executor": None,
                              "progress": False, "block_size": 2, "levels": 3},
            valid={"seed": {"zero", "huge", "none"}, "progress": {"bool", "none"}},
            skip={"path", "executor"}, why="paths and executors: tests/test_clusters_ensembles.py"),
    Example(ensemble_block, {"n": 1, "density": 1.0, "j0": 1.0, "delta_max": 1.0, "d0_min": 1e-3, "d0_max": 1.0,
                             "axes": "common", "hard_core": 0.0, "seed": 3, "block": 0, "size": 2, "levels": 2},
            valid={"j0": _SIGNED, "delta_max": {"zero", "huge"}, "density": {"huge"}, "d0_max": {"huge"},
                   "hard_core": {"zero"}, "seed": {"zero", "huge"}, "block": {"zero", "huge"}},
            aliases={"d0_max": ("d0_min",), "density": ("hard_core",)}),
    Example(cl.EnsembleSpec, {"n": 3, "density": 1.0, "j0": 1.0, "delta_max": 1.0, "d0_min": 1e-3, "d0_max": 1.0,
                              "axes": "common", "hard_core": 0.0},
            valid={"j0": _SIGNED, "delta_max": {"zero", "huge"}, "density": {"huge"}, "d0_max": {"huge"},
                   "hard_core": {"zero"}},
            aliases={"d0_max": ("d0_min",), "density": ("hard_core",)}),
    # the cluster model's own methods (docs/clusters.md sec. 1)
    Example(_UNIFORM3.spectrum_vs, {"parameter": "tunneling", "values": [0.5, 1.0], "k": 2, "method": "auto",
                                    "operators": None, "unit": "K"},
            valid={"operators": {"none", "empty"}, "unit": {"string"}, "values": {"zero", "negative", "huge"}}),
    Example(_UNIFORM3.matrix_elements, {"op": "sigma_z", "k": 2, "states": None, "method": "auto"},
            valid={"states": {"none"}, "k": {"none"}}),
    Example(_UNIFORM3.operator, {"name": "sigma_x", "particle": 1, "weights": None, "well": 0, "space": "full"},
            valid={"particle": {"none", "zero"}, "weights": {"none"}, "well": {"zero"}}),
    Example(_UNIFORM3.solve_sectors, {"k": 1, "method": "auto", "space": "auto"}),
    Example(_UNIFORM3.configuration_energy, {"configurations": [[0, 1, 0]]}),
    Example(cl.perturbative.log10_hopping_from_parts, {"configuration_energies": [-5.0, 5.0, 5.0, -5.0],
                                                       "hoppings": [0.5, 0.5], "max_n": 16},
            valid={"hoppings": {"zero"}, "configuration_energies": {"zero", "negative", "huge"}}),
]
