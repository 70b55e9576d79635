"""Interacting clusters of N tunneling systems: models, exact solvers, coherent tunneling.

See docs/clusters.md (models, basis conventions, solvers), docs/coherent_tunneling.md and
docs/theory.md sec. 3. Layout: :mod:`clusters.models` (the two models on a common base,
:class:`~clusters.models.ClusterBase`, the one input of every analysis below: parts, spaces, symmetry
sectors, operators, matrix elements, spectra versus a parameter),
:mod:`clusters.bases` (product basis and symmetric sector: the one basis convention),
:mod:`clusters.hamiltonians` (the one builder of every cluster operator), :mod:`clusters.solvers`
(table of eigensolver backends), :mod:`clusters.memory`, :mod:`clusters.couplings`,
:mod:`clusters.coherent` (exact coherent effective Hamiltonians), :mod:`clusters.renormalisation`
(the appendix's rules), :mod:`clusters.perturbative` (N-th order perturbation theory),
:mod:`clusters.dipoles` (transition dipoles), :mod:`clusters.rates` (leaving rates of |L...L>) and
:mod:`clusters.ensembles` (ensembles of interacting STM clusters, docs/cluster_ensembles.md).
"""

from .bases import embed_symmetric_state
from .coherent import CoherentDoublet, CoherentMultiplet, CoherentSpaceWarning, coherent_doublet, coherent_multiplet
from .couplings import dipolar_couplings, random_couplings, random_positions_in_sphere, uniform_couplings
from .dipoles import TransitionDipole, random_dipoles, transition_dipole
from .ensembles import Ensemble, EnsembleSpec, SampledCluster, cluster_quantities, run_ensemble, sample_cluster
from .hamiltonians import three_level_sector_hamiltonian, two_level_sector_hamiltonian
from .memory import ClusterMemoryError, available_memory_bytes
from .models import ClusterBase, SectorLevels, ThreeLevelCluster, TwoLevelCluster
from .models.base import UnresolvedGapWarning
from .perturbative import (
    log10_perturbative_hopping,
    log10_perturbative_tunneling,
    perturbative_hopping,
    perturbative_tunneling,
)
from .rates import EscapeRates, escape_rates, leaving_variance
from .renormalisation import (
    RenormalisedThreeLevel,
    RenormalisedTwoLevel,
    renormalise_three_level,
    renormalise_two_level,
)
from .solvers import ConvergenceError

__all__ = [
    "ClusterBase",
    "SectorLevels",
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
    "UnresolvedGapWarning",
    "available_memory_bytes",
    "CoherentDoublet",
    "CoherentMultiplet",
    "CoherentSpaceWarning",
    "coherent_doublet",
    "coherent_multiplet",
    "perturbative_tunneling",
    "log10_perturbative_tunneling",
    "perturbative_hopping",
    "log10_perturbative_hopping",
    "RenormalisedTwoLevel",
    "RenormalisedThreeLevel",
    "renormalise_two_level",
    "renormalise_three_level",
    "TransitionDipole",
    "random_dipoles",
    "transition_dipole",
    "EscapeRates",
    "escape_rates",
    "leaving_variance",
    "EnsembleSpec",
    "SampledCluster",
    "Ensemble",
    "sample_cluster",
    "cluster_quantities",
    "run_ensemble",
]
