"""Valid calls of the public functions of clusters' solver side (models, sectors, solvers) for tests/test_property.py.

Model constructors and methods are wrapped in small functions so that every argument (of the
constructor and of the method) gets every bad value.
"""

import numpy as np
from property_engine import Example

from clusters import (
    ThreeLevelCluster,
    TwoLevelCluster,
    available_memory_bytes,
    embed_symmetric_state,
    three_level_sector_hamiltonian,
    two_level_sector_hamiltonian,
)

SIGNED = {"negative", "zero", "huge"}
J3 = 0.3 * (np.ones((3, 3)) - np.eye(3))


def two_level_levels(asymmetries, tunnelings, couplings, k, method):
    """TwoLevelCluster(...).eigenenergies(k, method)."""
    return TwoLevelCluster(asymmetries, tunnelings, couplings).eigenenergies(k, method)


def two_level_states(asymmetries, tunnelings, couplings, k, method, sectors):
    """TwoLevelCluster(...).eigenstates(k, method, sectors)."""
    return TwoLevelCluster(asymmetries, tunnelings, couplings).eigenstates(k, method, sectors)


def two_level_uniform_levels(n, asymmetry, tunneling, coupling, k, method):
    """TwoLevelCluster.uniform(...).eigenenergies(k, method)."""
    return TwoLevelCluster.uniform(n, asymmetry, tunneling, coupling).eigenenergies(k, method)


def three_level_levels(energies, d0s, couplings, phi, k, method):
    """ThreeLevelCluster(...).eigenenergies(k, method)."""
    return ThreeLevelCluster(energies, d0s, couplings, phi).eigenenergies(k, method)


def three_level_uniform_levels(n, energies, d0, coupling, phi, k, method):
    """ThreeLevelCluster.uniform(...).eigenenergies(k, method)."""
    return ThreeLevelCluster.uniform(n, energies, d0, coupling, phi).eigenenergies(k, method)


def uniform_to_qobj(states):
    """TwoLevelCluster.uniform(3, ...).to_qobj(states)."""
    return TwoLevelCluster.uniform(3, 0.1, 1.0, -0.2).to_qobj(states)


def uniform_hamiltonian(n, max_bytes):
    """TwoLevelCluster.uniform(n, ...).hamiltonian(max_bytes)."""
    return TwoLevelCluster.uniform(n, 0.1, 1.0, -0.2).hamiltonian(max_bytes)


_TWO = {"asymmetries": [0.1, -0.4, 0.3], "tunnelings": [0.5, 1.0, 0.7], "couplings": J3}
_THREE = {"energies": [[0.1, -0.2, 0.1], [0.0, 0.0, 0.0], [0.3, -0.1, -0.2]], "d0s": [0.5, 1.0, 0.8],
          "couplings": J3, "phi": 0.4}
_K_METHOD = {"k": 3, "method": "lanczos"}
_K_VALID = {"k": {"none"}}  # k = None: all levels (dense)

EXAMPLES = [
    Example(TwoLevelCluster, dict(_TWO), valid={"asymmetries": set()}),
    Example(TwoLevelCluster.uniform, {"n": 4, "asymmetry": 0.1, "tunneling": 1.0, "coupling": -0.2},
            valid={"n": {"huge"}, "asymmetry": SIGNED, "tunneling": {"zero", "huge"}, "coupling": SIGNED}),
    Example(ThreeLevelCluster, dict(_THREE), valid={"phi": SIGNED}),
    Example(ThreeLevelCluster.uniform, {"n": 4, "energies": [0.1, -0.2, 0.1], "d0": 1.0, "coupling": -0.2,
                                        "phi": 0.3},
            valid={"n": {"huge"}, "coupling": SIGNED, "phi": SIGNED}),
    Example(two_level_levels, {**_TWO, **_K_METHOD}, valid=_K_VALID),
    Example(two_level_states, {**_TWO, **_K_METHOD, "sectors": "auto"}, valid=_K_VALID),
    Example(two_level_uniform_levels, {"n": 40, "asymmetry": 0.1, "tunneling": 1.0, "coupling": -0.02,
                                       "k": 3, "method": "auto"},
            valid={"asymmetry": SIGNED, "tunneling": {"zero", "huge"}, "coupling": SIGNED, "k": {"none"}}),
    Example(three_level_levels, {**_THREE, **_K_METHOD}, valid={"phi": SIGNED, **_K_VALID}),
    Example(three_level_uniform_levels, {"n": 12, "energies": [0.1, -0.2, 0.1], "d0": 1.0, "coupling": -0.2,
                                         "phi": 0.3, "k": 3, "method": "auto"},
            valid={"coupling": SIGNED, "phi": SIGNED, "k": {"none"}}),
    Example(uniform_to_qobj, {"states": np.eye(4)[:, :2]}),
    Example(uniform_hamiltonian, {"n": 3, "max_bytes": None}, valid={"max_bytes": {"none", "huge"}}),
    Example(two_level_sector_hamiltonian, {"n": 6, "asymmetry": 0.1, "tunneling": 1.0, "coupling": -0.3},
            valid={"asymmetry": SIGNED, "tunneling": SIGNED, "coupling": SIGNED}),
    Example(three_level_sector_hamiltonian, {"n": 4, "energies": [0.1, -0.2, 0.1], "d0": 1.0, "coupling": -0.3,
                                             "phi": 0.2},
            valid={"coupling": SIGNED, "phi": SIGNED}),
    Example(embed_symmetric_state, {"vec": np.eye(7)[0], "n": 6, "local_dim": 2}),
    Example(available_memory_bytes, {}),
]
