"""Lattice definitions: neighbour offsets, box shapes, open or periodic boundaries, networkx graphs.

Every lattice lives on an integer array (docs/fractal_clustering.md sec. 1):

* ``square``        -- offsets (1,0), (0,1)                                  z = 4
* ``triangular``    -- square array plus the diagonal (1,-1) (a rhombus)     z = 6
* ``honeycomb``     -- brick-wall representation: horizontal bonds always,
                       the vertical bond (i,j)-(i+1,j) only when i+j is even z = 3
* ``simple_cubic``  -- offsets e_x, e_y, e_z                                 z = 6
* ``bcc``           -- primitive (rhombohedral) basis: e_x, e_y, e_z, (1,1,1) z = 8

Only the half set of offsets is listed; the neighbours are +-offset. ``parity[k]`` is -1 when the
bond along offset k exists at every site, 0 when it exists only at sites with even coordinate sum
(honeycomb). Periodic honeycomb boxes need even side lengths.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from tunnelsim.validation import check_int

__all__ = ["LatticeSpec", "LATTICES", "canonical_lattice", "lattice_spec", "box_shape", "lattice_graph",
           "bond_list"]


@dataclass(frozen=True)
class LatticeSpec:
    """Neighbour structure of a lattice on an integer array.

    Attributes
    ----------
    name : str
    dim : int
    offsets : numpy.ndarray
        Half set of neighbour offsets, shape (k, dim).
    parity : numpy.ndarray
        Per offset: -1 (bond at every site) or 0 (bond only from sites with even coordinate sum).
    coordination : int
        Number of nearest neighbours z.
    """

    name: str
    dim: int
    offsets: np.ndarray
    parity: np.ndarray
    coordination: int


LATTICES: dict[str, LatticeSpec] = {
    "square": LatticeSpec("square", 2, np.array([[1, 0], [0, 1]]), np.array([-1, -1]), 4),
    "triangular": LatticeSpec("triangular", 2, np.array([[1, 0], [0, 1], [1, -1]]), np.array([-1, -1, -1]), 6),
    "honeycomb": LatticeSpec("honeycomb", 2, np.array([[0, 1], [1, 0]]), np.array([-1, 0]), 3),
    "simple_cubic": LatticeSpec("simple_cubic", 3, np.eye(3, dtype=int), np.array([-1, -1, -1]), 6),
    "bcc": LatticeSpec("bcc", 3, np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]),
                       np.array([-1, -1, -1, -1]), 8),
}

_ALIASES = {"sc": "simple_cubic", "cubic": "simple_cubic", "simple-cubic": "simple_cubic",
            "triangle": "triangular", "hexagonal": "honeycomb", "body_centered_cubic": "bcc"}


def canonical_lattice(lattice: str) -> str:
    """Return the canonical name of ``lattice`` or raise a ValueError naming the parameter."""
    if not isinstance(lattice, str):
        raise TypeError(f"lattice must be a string naming a lattice, got {type(lattice).__name__}")
    name = _ALIASES.get(lattice.lower(), lattice.lower())
    if name not in LATTICES:
        raise ValueError(f"lattice must be one of {', '.join(repr(k) for k in LATTICES)}; got {lattice!r}")
    return name


def lattice_spec(lattice: str) -> LatticeSpec:
    """The :class:`LatticeSpec` of ``lattice`` (name or alias)."""
    return LATTICES[canonical_lattice(lattice)]


def box_shape(lattice: str, size: int | tuple[int, ...], periodic: bool = False) -> tuple[int, ...]:
    """Array shape of an L^d box (``size`` an int) or of an explicit shape, validated.

    Every side must be >= 2; periodic honeycomb boxes need even sides (the brick-wall parity).
    """
    spec = lattice_spec(lattice)
    if isinstance(size, (tuple, list, np.ndarray)):
        shape = tuple(check_int(s, "size", minimum=2) for s in size)
        if len(shape) != spec.dim:
            raise ValueError(f"size must have {spec.dim} entries for the {spec.name} lattice, got {len(shape)}")
    else:
        shape = (check_int(size, "size", minimum=2),) * spec.dim
    if periodic and spec.name == "honeycomb" and any(s % 2 for s in shape):
        raise ValueError(f"size must be even for a periodic honeycomb (brick-wall) box, got {shape}")
    if periodic and min(shape) < 3:
        raise ValueError(f"size must be >= 3 for periodic boundaries (no double bonds), got {shape}")
    return shape


def bond_list(lattice: str, shape: tuple[int, ...], periodic: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """All nearest-neighbour bonds of the box as flat site indices.

    Returns
    -------
    edges : numpy.ndarray, shape (n_bonds, 2)
        Flat (C-order) indices of the two ends; bond ``b`` goes from ``edges[b, 0]`` along ``offsets[k]``.
    kinds : numpy.ndarray, shape (n_bonds,)
        Offset index k of each bond.
    """
    spec = lattice_spec(lattice)
    shape = tuple(shape)
    coords = np.indices(shape).reshape(spec.dim, -1)
    flat = np.arange(int(np.prod(shape)))
    edges, kinds = [], []
    for k, (off, par) in enumerate(zip(spec.offsets, spec.parity)):
        nb = coords + off[:, None]
        ok = np.ones(flat.size, dtype=bool)
        if par >= 0:
            ok &= coords.sum(axis=0) % 2 == par
        if periodic:
            nb = nb % np.array(shape)[:, None]
        else:
            ok &= np.all((nb >= 0) & (nb < np.array(shape)[:, None]), axis=0)
        j = np.ravel_multi_index(tuple(np.clip(nb, 0, np.array(shape)[:, None] - 1)), shape)
        edges.append(np.stack([flat[ok], j[ok]], axis=1))
        kinds.append(np.full(int(ok.sum()), k))
    return np.concatenate(edges), np.concatenate(kinds)


def lattice_graph(lattice: str, size: int | tuple[int, ...], periodic: bool = False) -> nx.Graph:
    """The lattice box as a :class:`networkx.Graph` (the general, slow layer).

    Nodes are coordinate tuples; each edge carries ``offset`` (the index k of its half-set offset).
    """
    spec = lattice_spec(lattice)
    shape = box_shape(spec.name, size, periodic)
    edges, kinds = bond_list(spec.name, shape, periodic)
    g = nx.Graph()
    nodes = [tuple(int(c) for c in np.unravel_index(i, shape)) for i in range(int(np.prod(shape)))]
    g.add_nodes_from(nodes)
    for (a, b), k in zip(edges, kinds):
        g.add_edge(nodes[a], nodes[b], offset=int(k))
    g.graph.update(lattice=spec.name, shape=shape, periodic=periodic)
    return g
