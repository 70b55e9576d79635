"""Cluster labelling: a fast array path and a general networkx path (docs/fractal_clustering.md sec. 2).

* Fast path (never networkx): ``scipy.ndimage.label`` for open square / simple-cubic boxes
  (nearest-neighbour connectivity), a numba union-find for every other lattice, for periodic
  wrapping and for bond percolation.
* General path: :func:`label_graph` / :func:`percolate_graph` for any :class:`networkx.Graph`.

Labels are 1..n for clusters and 0 for empty sites; the numbering is arbitrary, only the
partition matters.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from scipy import ndimage

from tunnelsim.validation import check_choice, check_probability

from ._kernels import directions, uf_label_bonds, uf_label_sites
from .geometry import box_shape, lattice_spec

__all__ = ["random_sites", "random_bonds", "label_sites", "label_bonds", "label_graph", "percolate_graph",
           "cluster_partition"]


def _rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def random_sites(lattice: str, size: int | tuple[int, ...], p: float,
                 seed: int | np.random.Generator | None = None) -> np.ndarray:
    """Occupied-site mask of a box: each site occupied with probability ``p`` (independently).

    Returns a boolean array of the box shape (:func:`lattices.geometry.box_shape`).
    """
    p = check_probability(p, "p")
    shape = box_shape(lattice, size)
    return _rng(seed).random(shape) < p


def random_bonds(lattice: str, size: int | tuple[int, ...], p: float,
                 seed: int | np.random.Generator | None = None) -> np.ndarray:
    """Open-bond mask, shape ``box + (k,)``: entry [..., k] is the bond along the k-th +offset."""
    p = check_probability(p, "p")
    spec = lattice_spec(lattice)
    shape = box_shape(lattice, size)
    return _rng(seed).random(shape + (len(spec.offsets),)) < p


def label_sites(occupied: np.ndarray, lattice: str = "square", periodic: bool = False,
                method: str = "auto") -> tuple[np.ndarray, int]:
    """Label the clusters of occupied sites (site percolation).

    Parameters
    ----------
    occupied : array of bool
        Occupation mask, 2D for square/triangular/honeycomb, 3D for simple_cubic/bcc.
    lattice : str
        Lattice name (see :mod:`lattices.geometry`).
    periodic : bool
        Periodic boundaries along every axis.
    method : {'auto', 'ndimage', 'unionfind'}
        'auto' uses scipy.ndimage for open square / simple-cubic boxes and the numba union-find otherwise.

    Returns
    -------
    labels : numpy.ndarray of int
        Same shape as ``occupied``; 0 for empty sites, 1..n for clusters.
    n : int
        Number of clusters.
    """
    spec = lattice_spec(lattice)
    method = check_choice(method, "method", ("auto", "ndimage", "unionfind"))
    occ = np.asarray(occupied)
    if occ.dtype != bool:
        raise TypeError(f"occupied must be a boolean array, got dtype {occ.dtype}")
    if occ.ndim != spec.dim:
        raise ValueError(f"occupied must be {spec.dim}-dimensional for the {spec.name} lattice, got {occ.ndim}")
    box_shape(spec.name, occ.shape, periodic)
    nd_ok = spec.name in ("square", "simple_cubic") and not periodic
    if method == "ndimage" and not nd_ok:
        raise ValueError("method='ndimage' only handles open square or simple_cubic boxes")
    if method == "ndimage" or (method == "auto" and nd_ok):
        labels, n = ndimage.label(occ)
        return labels, int(n)
    dirs, dpar = directions(spec.offsets, spec.parity)
    labels, n = uf_label_sites(np.ascontiguousarray(occ).ravel(), np.array(occ.shape, dtype=np.int64),
                               dirs, dpar, bool(periodic))
    return labels.reshape(occ.shape), int(n)


def label_bonds(bonds: np.ndarray, lattice: str = "square", periodic: bool = False) -> tuple[np.ndarray, int]:
    """Label the clusters of bond percolation (every site belongs to a cluster, isolated sites too).

    ``bonds`` has shape ``box + (k,)`` (see :func:`random_bonds`); bonds leaving an open box are ignored.
    """
    spec = lattice_spec(lattice)
    b = np.asarray(bonds)
    if b.dtype != bool:
        raise TypeError(f"bonds must be a boolean array, got dtype {b.dtype}")
    k = len(spec.offsets)
    if b.ndim != spec.dim + 1 or b.shape[-1] != k:
        raise ValueError(f"bonds must have shape box + ({k},) for the {spec.name} lattice, got {b.shape}")
    shape = box_shape(spec.name, b.shape[:-1], periodic)
    dirs, dpar = directions(spec.offsets, spec.parity)
    labels, n = uf_label_bonds(np.ascontiguousarray(b).reshape(-1, k), np.array(shape, dtype=np.int64),
                               dirs, dpar, bool(periodic))
    return labels.reshape(shape), int(n)


def label_graph(graph: nx.Graph, occupied=None) -> dict:
    """networkx path: cluster label (0..n-1, by decreasing size) of every occupied node.

    ``occupied`` is an iterable of nodes (default: all nodes) or a callable node -> bool.
    """
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"graph must be a networkx.Graph, got {type(graph).__name__}")
    if graph.number_of_nodes() == 0:
        raise ValueError("graph has no nodes: nothing to percolate")
    if occupied is None:
        nodes = list(graph.nodes)
    elif callable(occupied):
        nodes = [v for v in graph.nodes if occupied(v)]
    else:
        nodes = list(occupied)
    comps = sorted(nx.connected_components(graph.subgraph(nodes)), key=len, reverse=True)
    return {v: i for i, comp in enumerate(comps) for v in comp}


def percolate_graph(graph: nx.Graph, p: float, kind: str = "site",
                    seed: int | np.random.Generator | None = None) -> list[set]:
    """Percolate a user's graph: keep each node (site) or edge (bond) with probability ``p``.

    Returns the clusters (sets of nodes) by decreasing size. For bond percolation every node
    is in some cluster; for site percolation only the kept nodes are.
    """
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"graph must be a networkx.Graph, got {type(graph).__name__}")
    if graph.number_of_nodes() == 0:
        raise ValueError("graph has no nodes: nothing to percolate")
    p = check_probability(p, "p")
    kind = check_choice(kind, "kind", ("site", "bond"))
    rng = _rng(seed)
    if kind == "site":
        nodes = list(graph.nodes)
        keep = [v for v, r in zip(nodes, rng.random(len(nodes))) if r < p]
        sub = graph.subgraph(keep)
    else:
        edges = list(graph.edges)
        keep = [e for e, r in zip(edges, rng.random(len(edges))) if r < p]
        sub = nx.Graph()
        sub.add_nodes_from(graph.nodes)
        sub.add_edges_from(keep)
    return sorted((set(c) for c in nx.connected_components(sub)), key=len, reverse=True)


def cluster_partition(labels: np.ndarray) -> set[frozenset]:
    """The partition of occupied sites (labels > 0) into clusters, as a set of frozensets of flat indices."""
    flat = np.asarray(labels).ravel()
    idx = np.flatnonzero(flat)
    order = np.argsort(flat[idx], kind="stable")
    groups = np.split(idx[order], np.flatnonzero(np.diff(flat[idx][order])) + 1)
    return {frozenset(int(i) for i in g) for g in groups if g.size}
