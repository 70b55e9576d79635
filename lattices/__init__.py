"""Percolation clusters and fractal exponents: the NM/NF clustering behind the exponent alpha.

See docs/fractal_clustering.md and docs/theory.md sec. 4. A :class:`Lattice` (square, triangular,
honeycomb, simple_cubic, bcc, or your own offsets) is built once from a name or passed directly and
carried through site or bond percolation (open or periodic), fast array labelling (scipy.ndimage /
numba union-find), networkx as the general layer, Newman-Ziff sweeps, the registry of site
observables, exponent estimators with error bars and the exponent alpha.
"""

from .alpha import (
    alpha_direct,
    alpha_exponent,
    heuristic_alpha,
    interface_sites,
    simulate_interface,
)
from .exponents import Estimate, correlation_length_exponent, fractal_dimension, percolation_threshold
from .geometry import LATTICES, Lattice, as_lattice, box_shape, lattice_graph
from .graph_threshold import graph_threshold
from .labeling import label_bonds, label_graph, label_sites, percolate_graph, random_bonds, random_sites
from .newman_ziff import NZResult, canonical_average, newman_ziff
from .observables import (
    cluster_size_distribution,
    external_perimeter_sites,
    hull_sites,
    hull_walk,
    largest_cluster,
    mass_radius,
    perimeter_sites,
)
from .reference import EXPONENTS, PC_BOND, PC_SITE

__all__ = [
    "Lattice", "as_lattice", "LATTICES", "box_shape", "lattice_graph",
    "random_sites", "random_bonds", "label_sites", "label_bonds", "label_graph", "percolate_graph",
    "newman_ziff", "NZResult", "canonical_average", "graph_threshold",
    "largest_cluster", "cluster_size_distribution", "mass_radius", "perimeter_sites", "hull_sites",
    "hull_walk", "external_perimeter_sites",
    "Estimate", "percolation_threshold", "fractal_dimension", "correlation_length_exponent",
    "alpha_exponent", "heuristic_alpha", "interface_sites", "simulate_interface",
    "alpha_direct",
    "PC_SITE", "PC_BOND", "EXPONENTS",
]
