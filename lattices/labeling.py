"""Cluster labelling: a fast array path and a general networkx path (docs/fractal_clustering.md sec. 2).

* Fast path (never networkx): ``scipy.ndimage.label`` for open hypercubic (square / simple-cubic)
  boxes, a numba union-find for every other lattice, for periodic wrapping and for bond percolation.
* General path: :func:`label_graph` / :func:`percolate_graph` for any :class:`networkx.Graph`.

Every function takes the lattice as a :class:`lattices.geometry.Lattice` or its name. Labels are 1..n
for clusters and 0 for empty sites; the numbering is arbitrary, only the partition matters.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from scipy import ndimage

from tunnelsim.stats import as_generator
from tunnelsim.validation import as_real_scalar, check_bool, check_choice, check_probability

from ._checks import BYTES_LABEL_ND, BYTES_LABEL_UF, BYTES_RANDOM, as_array, check_box_memory
from ._kernels import uf_label_bonds, uf_label_sites
from .geometry import Lattice, as_lattice

__all__ = ["random_sites", "random_bonds", "label_sites", "label_bonds", "label_graph", "percolate_graph",
           "cluster_partition"]


def random_sites(lattice: str | Lattice, size: int | tuple[int, ...], p: float,
                 seed: int | np.random.Generator | None = None) -> np.ndarray:
    """Occupied-site mask of an open box: each site occupied independently with probability ``p``.

    Parameters
    ----------
    lattice : str or Lattice
    size : int or tuple of int
        Side L (lattice units) or explicit shape (:func:`lattices.geometry.box_shape`).
    p : float
        Occupation probability in [0, 1].
    seed : int, numpy.random.Generator or None
        :func:`tunnelsim.stats.as_generator` convention.

    Returns
    -------
    numpy.ndarray of bool
        The box shape; entry True with probability p (Bernoulli site percolation, docs/theory.md sec. 4).

    Examples
    --------
    >>> import numpy as np
    >>> occ = random_sites('square', 200, 0.3, seed=0)
    >>> print(occ.shape, round(float(occ.mean()), 2))  # each site with probability p
    (200, 200) 0.3
    """
    lat = as_lattice(lattice)
    p = check_probability(as_real_scalar(p, "p"), "p")
    shape = lat.box_shape(size)
    rng = as_generator(seed)
    check_box_memory(int(np.prod(shape)), BYTES_RANDOM, "random_sites")
    return rng.random(shape) < p


def random_bonds(lattice: str | Lattice, size: int | tuple[int, ...], p: float,
                 seed: int | np.random.Generator | None = None) -> np.ndarray:
    """Open-bond mask of an open box: each bond open independently with probability ``p``.

    Bond percolation (docs/fractal_clustering.md sec. 2); ``p`` is a probability in [0, 1].

    Parameters
    ----------
    lattice : str or Lattice
    size : int or tuple of int
        Side L (lattice units) or explicit shape.
    p : float
        Bond probability in [0, 1].
    seed : int, numpy.random.Generator or None

    Returns
    -------
    numpy.ndarray of bool, shape ``box + (k,)``
        Entry [..., k] is the bond along the k-th +offset (Bernoulli bond percolation).

    Examples
    --------
    >>> b = random_bonds('square', 100, 0.5, seed=0)
    >>> print(b.shape, round(float(b.mean()), 2))  # one open/closed flag per bond direction and site
    (100, 100, 2) 0.5
    """
    lat = as_lattice(lattice)
    p = check_probability(as_real_scalar(p, "p"), "p")
    shape = lat.box_shape(size)
    rng = as_generator(seed)
    check_box_memory(int(np.prod(shape)), BYTES_RANDOM * len(lat.offsets), "random_bonds")
    return rng.random(shape + (len(lat.offsets),)) < p


def label_sites(occupied: np.ndarray, lattice: str | Lattice = "square", periodic: bool = False,
                method: str = "auto") -> tuple[np.ndarray, int]:
    """Label the clusters of occupied sites (site percolation; docs/fractal_clustering.md sec. 2).

    Two occupied sites belong to one cluster when a path of occupied lattice neighbours joins them.

    Parameters
    ----------
    occupied : array of bool
        Occupation mask, 2D for square/triangular/honeycomb, 3D for simple_cubic/bcc.
    lattice : str or Lattice
        The lattice (:class:`lattices.geometry.Lattice` or a name of ``LATTICES``).
    periodic : bool
        Periodic boundaries along every axis.
    method : {'auto', 'ndimage', 'unionfind'}
        'auto' uses scipy.ndimage for open hypercubic boxes and the numba union-find otherwise.

    Returns
    -------
    labels : numpy.ndarray of int
        Same shape as ``occupied``; 0 for empty sites, 1..n for clusters.
    n : int
        Number of clusters.

    Examples
    --------
    >>> import numpy as np
    >>> occ = np.array([[1, 1, 0], [0, 0, 0], [1, 0, 1]], dtype=bool)
    >>> labels, n = label_sites(occ)
    >>> print(n)
    3
    >>> print(label_sites(occ, periodic=True)[1])  # the torus joins the corners
    1
    >>> print(label_sites(occ, 'triangular')[1] <= n)
    True
    """
    lat = as_lattice(lattice)
    periodic = check_bool(periodic, "periodic")
    method = check_choice(method, "method", ("auto", "ndimage", "unionfind"))
    occ = as_array(occupied, "occupied")
    if occ.dtype != bool:
        raise TypeError(f"occupied must be a boolean array, got dtype {occ.dtype}")
    if occ.ndim != lat.dim:
        raise ValueError(f"occupied must be {lat.dim}-dimensional for the {lat.name} lattice, got {occ.ndim}")
    lat.box_shape(occ.shape, periodic)
    nd_ok = lat.hypercubic and not periodic
    if method == "ndimage" and not nd_ok:
        raise ValueError("method='ndimage' only handles open square or simple_cubic boxes")
    use_nd = method == "ndimage" or (method == "auto" and nd_ok)
    check_box_memory(occ.size, BYTES_LABEL_ND if use_nd else BYTES_LABEL_UF, "labelling", "occupied")
    if use_nd:
        labels, n = ndimage.label(occ)
        return labels, int(n)
    dirs, dpar = lat.directions()
    labels, n = uf_label_sites(np.ascontiguousarray(occ).ravel(), np.array(occ.shape, dtype=np.int64),
                               dirs, dpar, bool(periodic))
    return labels.reshape(occ.shape), int(n)


def label_bonds(bonds: np.ndarray, lattice: str | Lattice = "square",
                periodic: bool = False) -> tuple[np.ndarray, int]:
    """Label the clusters of bond percolation (every site belongs to a cluster, isolated sites too).

    Two sites belong to one cluster when a path of open bonds joins them (docs/fractal_clustering.md sec. 2).

    Parameters
    ----------
    bonds : array of bool, shape ``box + (k,)``
        Open bonds along the k +offsets (:func:`random_bonds`); bonds leaving an open box are ignored.
    lattice : str or Lattice
    periodic : bool

    Returns
    -------
    labels : numpy.ndarray of int
        Box shape, cluster label 1..n of every site.
    n : int
        Number of clusters.

    Examples
    --------
    >>> import numpy as np
    >>> labels, n = label_bonds(np.zeros((3, 3, 2), dtype=bool))  # no open bond: every site alone
    >>> print(n)
    9
    >>> labels, n = label_bonds(np.ones((3, 3, 2), dtype=bool))  # every bond open: one cluster
    >>> print(n)
    1
    """
    lat = as_lattice(lattice)
    periodic = check_bool(periodic, "periodic")
    b = as_array(bonds, "bonds")
    if b.dtype != bool:
        raise TypeError(f"bonds must be a boolean array, got dtype {b.dtype}")
    k = len(lat.offsets)
    if b.ndim != lat.dim + 1 or b.shape[-1] != k:
        raise ValueError(f"bonds must have shape box + ({k},) for the {lat.name} lattice, got {b.shape}")
    shape = lat.box_shape(b.shape[:-1], periodic)
    check_box_memory(int(np.prod(shape)), BYTES_LABEL_UF + k, "bond labelling", "bonds")
    dirs, dpar = lat.directions()
    labels, n = uf_label_bonds(np.ascontiguousarray(b).reshape(-1, k), np.array(shape, dtype=np.int64),
                               dirs, dpar, bool(periodic))
    return labels.reshape(shape), int(n)


def _graph(graph: nx.Graph) -> nx.Graph:
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"graph must be a networkx.Graph, got {type(graph).__name__}")
    if graph.number_of_nodes() == 0:
        raise ValueError("graph has no nodes: nothing to percolate")
    return graph


def label_graph(graph: nx.Graph, occupied=None) -> dict:
    """networkx path: cluster label of every occupied node (site percolation; docs/fractal_clustering.md sec. 2).

    Parameters
    ----------
    graph : networkx.Graph
        Any graph (e.g. :func:`lattices.lattice_graph`).
    occupied : iterable of nodes or callable, optional
        The occupied nodes (default: all), or a predicate node -> bool.

    Returns
    -------
    dict
        node -> label 0..n-1, numbered by decreasing cluster size.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.path_graph(5)
    >>> lab = label_graph(g, occupied=[0, 1, 3, 4])
    >>> print(len(set(lab.values())))  # node 2 missing: two clusters
    2
    """
    graph = _graph(graph)
    nodes = _occupied_nodes(graph, occupied)
    comps = sorted(nx.connected_components(graph.subgraph(nodes)), key=len, reverse=True)
    return {v: i for i, comp in enumerate(comps) for v in comp}


def _occupied_nodes(graph: nx.Graph, occupied) -> list:
    """The occupied nodes: all (None), those where the predicate is true (callable), or the given ones."""
    if occupied is None:
        return list(graph.nodes)
    if callable(occupied):
        nodes = [v for v in graph.nodes if _truth(occupied(v))]
        return nodes
    if isinstance(occupied, (str, bytes)) or not hasattr(occupied, "__iter__"):
        raise TypeError(f"occupied must be an iterable of nodes, a predicate or None, got {type(occupied).__name__}")
    nodes = list(occupied)
    for v in nodes:
        try:
            present = v in graph
        except TypeError:  # unhashable
            present = False
        if not present:
            raise ValueError(f"occupied must hold nodes of graph, got {v!r:.60}")
    return nodes


def _truth(value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"occupied (a predicate) must return True or False, got {type(value).__name__}")
    return bool(value)


def percolate_graph(graph: nx.Graph, p: float, kind: str = "site",
                    seed: int | np.random.Generator | None = None) -> list[set]:
    """Percolate a user's graph: keep each node (site) or edge (bond) independently with probability ``p``.

    Parameters
    ----------
    graph : networkx.Graph
    p : float
        Keep probability in [0, 1].
    kind : {'site', 'bond'}
    seed : int, numpy.random.Generator or None
        :func:`tunnelsim.stats.as_generator` convention.

    Returns
    -------
    list of set
        The clusters (sets of nodes) by decreasing size (docs/fractal_clustering.md sec. 2). For bond
        percolation every node is in some cluster; for site percolation only the kept nodes are.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.path_graph(6)
    >>> print(len(percolate_graph(g, 1.0)), len(percolate_graph(g, 1.0, kind='bond')))  # p = 1: the whole graph
    1 1
    """
    graph = _graph(graph)
    p = check_probability(as_real_scalar(p, "p"), "p")
    kind = check_choice(kind, "kind", ("site", "bond"))
    rng = as_generator(seed)
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
    """The partition of occupied sites (labels > 0) into clusters, as a set of frozensets of flat indices.

    The clusters of docs/fractal_clustering.md sec. 2 independent of the label numbers (to compare two labellings).

    Examples
    --------
    >>> import numpy as np
    >>> occ = np.array([[1, 1, 0], [0, 0, 0], [1, 0, 1]], dtype=bool)
    >>> sorted(sorted(c) for c in cluster_partition(label_sites(occ)[0]))
    [[0, 1], [6], [8]]
    """
    flat = np.asarray(labels).ravel()
    idx = np.flatnonzero(flat)
    order = np.argsort(flat[idx], kind="stable")
    groups = np.split(idx[order], np.flatnonzero(np.diff(flat[idx][order])) + 1)
    return {frozenset(int(i) for i in g) for g in groups if g.size}
