"""Interacting clusters of N tunneling systems: models, exact solvers, coherent tunneling.

See docs/clusters.md (models, basis conventions, solvers) and THEORY.md sec. 3.
"""

from .coherent import CoherentDoublet, CoherentMultiplet, coherent_doublet, coherent_multiplet
from .couplings import dipolar_couplings, random_couplings, random_positions_in_sphere, uniform_couplings
from .memory import ClusterMemoryError, available_memory_bytes
from .perturbative import log10_perturbative_tunneling, perturbative_hopping, perturbative_tunneling
from .renormalisation import (
    RenormalisedThreeLevel,
    RenormalisedTwoLevel,
    renormalise_three_level,
    renormalise_two_level,
)
from .solvers import ConvergenceError
from .symmetric import (
    embed_symmetric_state,
    three_level_sector_hamiltonian,
    two_level_sector_hamiltonian,
)
from .three_level_cluster import ThreeLevelCluster
from .two_level_cluster import TwoLevelCluster

__all__ = [
    "TwoLevelCluster",
    "ThreeLevelCluster",
    "uniform_couplings",
    "random_couplings",
    "dipolar_couplings",
    "random_positions_in_sphere",
    "two_level_sector_hamiltonian",
    "three_level_sector_hamiltonian",
    "embed_symmetric_state",
    "ClusterMemoryError",
    "ConvergenceError",
    "available_memory_bytes",
    "CoherentDoublet",
    "CoherentMultiplet",
    "coherent_doublet",
    "coherent_multiplet",
    "perturbative_tunneling",
    "log10_perturbative_tunneling",
    "perturbative_hopping",
    "RenormalisedTwoLevel",
    "RenormalisedThreeLevel",
    "renormalise_two_level",
    "renormalise_three_level",
]
