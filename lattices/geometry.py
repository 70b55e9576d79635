"""Lattice objects: neighbour offsets with parity, box shapes, bond lists, networkx graphs.

A :class:`Lattice` is built once at the public boundary (:func:`as_lattice`, from a name or passed
directly) and carried through labelling, Newman-Ziff sweeps, observables, estimators and alpha
(docs/fractal_clustering.md sec. 1). Every lattice lives on an integer array:

* ``square``        -- offsets (1,0), (0,1)                                  z = 4
* ``triangular``    -- square array plus the diagonal (1,-1) (a rhombus)     z = 6
* ``honeycomb``     -- brick-wall representation: horizontal bonds always,
                       the vertical bond (i,j)-(i+1,j) only when i+j is even z = 3
* ``simple_cubic``  -- offsets e_x, e_y, e_z                                 z = 6
* ``bcc``           -- primitive (rhombohedral) basis: e_x, e_y, e_z, (1,1,1) z = 8

Only the half set of offsets is listed; the neighbours are +-offset. ``parity[k]`` is -1 when the
bond along offset k exists at every site, 0 (1) when it exists only at sites with even (odd)
coordinate sum -- the sublattice structure of a non-Bravais lattice such as the honeycomb, in the
spirit of kwant's polyatomic lattices. Periodic boxes of parity-dependent lattices need even sides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from tunnelsim.stats import Reference
from tunnelsim.validation import check_bool, check_choice, check_int

from ._checks import BYTES_GRAPH_EDGE, BYTES_GRAPH_NODE, check_box_memory, check_sites
from .reference import PC_BOND, PC_SITE

__all__ = ["Lattice", "LATTICES", "as_lattice", "box_shape", "lattice_graph"]


@dataclass(frozen=True)
class Lattice:
    """A lattice on an integer array: neighbour offsets, their parity rule and reference thresholds.

    docs/fractal_clustering.md sec. 1; offsets in lattice units. The thresholds are probabilities (literature values).

    Parameters
    ----------
    name : str
        Name used in messages, cache files and figure labels.
    offsets : sequence of sequence of int, shape (k, dim)
        Half set of neighbour offsets in lattice units (dim 2 or 3); the neighbours are +-offset.
    parity : sequence of int, shape (k,)
        Per offset: -1 (bond from every site), 0 or 1 (bond only from sites whose coordinate sum
        has that parity).
    pc_site, pc_bond : tunnelsim.stats.Reference, optional
        Literature percolation thresholds (probabilities) from :mod:`lattices.reference`.

    Notes
    -----
    Two lattices are equal when their names, offsets and parities are.

    Examples
    --------
    >>> lat = Lattice('square', offsets=((1, 0), (0, 1)), parity=(-1, -1))
    >>> print(lat.name, len(lat.offsets))
    square 2
    >>> print(as_lattice('triangular').name, as_lattice('bcc').name)
    triangular bcc
    """

    name: str
    offsets: tuple[tuple[int, ...], ...]
    parity: tuple[int, ...]
    pc_site: Reference | None = field(default=None, compare=False, repr=False)
    pc_bond: Reference | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"name must be a non-empty string, got {self.name!r}")
        off = np.asarray(self.offsets)
        if off.ndim != 2 or off.shape[1] not in (2, 3) or off.dtype.kind not in "iu" or off.shape[0] == 0:
            raise ValueError(f"offsets must be a (k, 2) or (k, 3) array of integers, got {self.offsets!r}")
        if np.any(np.all(off == 0, axis=1)):
            raise ValueError("offsets must not contain the zero vector")
        par = np.asarray(self.parity)
        if par.shape != (off.shape[0],) or par.dtype.kind not in "iu" or not np.all(np.isin(par, (-1, 0, 1))):
            raise ValueError(f"parity must hold one of -1, 0, 1 per offset ({off.shape[0]}), got {self.parity!r}")
        object.__setattr__(self, "offsets", tuple(tuple(int(c) for c in row) for row in off))
        object.__setattr__(self, "parity", tuple(int(p) for p in par))

    @property
    def dim(self) -> int:
        """Number of array axes (2 or 3)."""
        return len(self.offsets[0])

    @property
    def coordination(self) -> int:
        """Number of nearest neighbours z: 2 per offset present at every site, 1 per parity offset."""
        return sum(2 if p < 0 else 1 for p in self.parity)

    @property
    def hypercubic(self) -> bool:
        """Nearest-neighbour square / simple-cubic connectivity (scipy.ndimage labels, perimeter observables)."""
        return self.offsets == tuple(tuple(int(i == j) for j in range(self.dim)) for i in range(self.dim)) \
            and all(p < 0 for p in self.parity)

    @property
    def parity_dependent(self) -> bool:
        """Whether some bonds exist only from sites of one parity (periodic sides must be even)."""
        return any(p >= 0 for p in self.parity)

    def directions(self) -> tuple[np.ndarray, np.ndarray]:
        """Full set of +-offsets (int64, shape (2k, dim)) and the parity rule of each direction's start site."""
        off = np.asarray(self.offsets, dtype=np.int64)
        par = np.asarray(self.parity, dtype=np.int64)
        back = np.where(par >= 0, (par + off.sum(axis=1)) % 2, -1)
        return np.concatenate([off, -off]), np.concatenate([par, back]).astype(np.int64)

    def threshold(self, kind: str = "site") -> Reference:
        """Literature percolation threshold (a probability) for ``kind`` 'site' or 'bond' (docs/theory.md sec. 4)."""
        kind = check_choice(kind, "kind", ("site", "bond"))
        ref = self.pc_site if kind == "site" else self.pc_bond
        if ref is None:
            raise ValueError(f"lattice {self.name!r} has no literature {kind} threshold; pass p explicitly")
        return ref

    def box_shape(self, size: int | tuple[int, ...], periodic: bool = False) -> tuple[int, ...]:
        """Array shape of an L^d box (``size`` an int, lattice units) or of an explicit shape, validated.

        Every side must be >= 2; periodic sides must exceed twice the longest offset component (no
        double bonds) and be even for parity-dependent lattices (the brick-wall honeycomb). A box holds
        at most 2^31 - 1 sites (ValueError naming ``size``).
        """
        periodic = check_bool(periodic, "periodic")
        if isinstance(size, (tuple, list, np.ndarray)):
            shape = tuple(check_int(s, "size", minimum=2) for s in size)
            if len(shape) != self.dim:
                raise ValueError(f"size must have {self.dim} entries for the {self.name} lattice, got {len(shape)}")
        else:
            shape = (check_int(size, "size", minimum=2),) * self.dim
        if periodic and self.parity_dependent and any(s % 2 for s in shape):
            raise ValueError(f"size must be even for a periodic {self.name} box (parity-dependent bonds), got {shape}")
        reach = int(np.max(np.abs(self.offsets)))
        if periodic and min(shape) < 2 * reach + 1:
            raise ValueError(f"size must be >= {2 * reach + 1} for periodic boundaries (no double bonds), got {shape}")
        check_sites(shape)
        return shape

    def bonds(self, shape: tuple[int, ...], periodic: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """All nearest-neighbour bonds of the box ``shape`` as flat (C-order) site indices.

        Returns
        -------
        edges : numpy.ndarray, shape (n_bonds, 2)
            The two ends; bond ``b`` goes from ``edges[b, 0]`` along ``offsets[kinds[b]]``.
        kinds : numpy.ndarray, shape (n_bonds,)
            Offset index k of each bond.
        """
        shape = self.box_shape(tuple(shape), periodic)
        k, d = len(self.offsets), self.dim
        check_box_memory(int(np.prod(shape)), 8 * d + 16 + k * (8 * d + 48), f"the bond list of a {self.name} box",
                         "shape")
        dims = np.array(shape)[:, None]
        coords = np.indices(shape).reshape(self.dim, -1)
        flat = np.arange(int(np.prod(shape)))
        edges, kinds = [], []
        for k, (off, par) in enumerate(zip(np.asarray(self.offsets), self.parity)):
            nb = coords + off[:, None]
            ok = np.ones(flat.size, dtype=bool)
            if par >= 0:
                ok &= coords.sum(axis=0) % 2 == par
            if periodic:
                nb = nb % dims
            else:
                ok &= np.all((nb >= 0) & (nb < dims), axis=0)
            j = np.ravel_multi_index(tuple(np.clip(nb, 0, dims - 1)), shape)
            edges.append(np.stack([flat[ok], j[ok]], axis=1))
            kinds.append(np.full(int(ok.sum()), k))
        return np.concatenate(edges), np.concatenate(kinds)

    def graph(self, size: int | tuple[int, ...], periodic: bool = False) -> nx.Graph:
        """The box as a :class:`networkx.Graph` (the general, slow layer).

        Nodes are coordinate tuples; each edge carries ``offset`` (the index k of its half-set offset);
        ``graph.graph`` holds ``lattice`` (this object), ``shape`` and ``periodic``.
        """
        shape = self.box_shape(size, periodic)
        check_box_memory(int(np.prod(shape)), BYTES_GRAPH_NODE + BYTES_GRAPH_EDGE * self.coordination,
                         f"a networkx graph of a {self.name} box")
        edges, kinds = self.bonds(shape, periodic)
        g = nx.Graph()
        nodes = [tuple(int(c) for c in np.unravel_index(i, shape)) for i in range(int(np.prod(shape)))]
        g.add_nodes_from(nodes)
        for (a, b), k in zip(edges, kinds):
            g.add_edge(nodes[a], nodes[b], offset=int(k))
        g.graph.update(lattice=self, shape=shape, periodic=periodic)
        return g

    def to_dict(self) -> dict:
        """JSON form (name, offsets, parity) for sweep points; :meth:`from_dict` inverts it."""
        return {"name": self.name, "offsets": [list(o) for o in self.offsets], "parity": list(self.parity)}

    @classmethod
    def from_dict(cls, data: dict) -> Lattice:
        """The lattice of :meth:`to_dict`; the registered one (with its thresholds) when it matches."""
        lat = cls(data["name"], tuple(tuple(o) for o in data["offsets"]), tuple(data["parity"]))
        return LATTICES.get(lat.name) if LATTICES.get(lat.name) == lat else lat


def _registered(name: str, offsets, parity) -> Lattice:
    return Lattice(name, offsets, parity, PC_SITE[name], PC_BOND[name])


#: The five built-in lattices, with their literature thresholds.
LATTICES: dict[str, Lattice] = {
    "square": _registered("square", ((1, 0), (0, 1)), (-1, -1)),
    "triangular": _registered("triangular", ((1, 0), (0, 1), (1, -1)), (-1, -1, -1)),
    "honeycomb": _registered("honeycomb", ((0, 1), (1, 0)), (-1, 0)),
    "simple_cubic": _registered("simple_cubic", ((1, 0, 0), (0, 1, 0), (0, 0, 1)), (-1, -1, -1)),
    "bcc": _registered("bcc", ((1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1)), (-1, -1, -1, -1)),
}

_ALIASES = {"sc": "simple_cubic", "cubic": "simple_cubic", "simple-cubic": "simple_cubic",
            "triangle": "triangular", "hexagonal": "honeycomb", "body_centered_cubic": "bcc"}


def as_lattice(lattice: str | Lattice, name: str = "lattice") -> Lattice:
    """The :class:`Lattice` for ``lattice`` (a Lattice, or a name or alias of :data:`LATTICES`).

    docs/fractal_clustering.md sec. 1.

    Raises a TypeError (not a name or a Lattice) or ValueError (unknown name) naming ``name``.

    Examples
    --------
    >>> print(as_lattice('square').offsets)
    ((1, 0), (0, 1))
    >>> as_lattice(as_lattice('square')) is as_lattice('square') or as_lattice('square').name
    True
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string (the parameter name used in messages), got {type(name).__name__}")
    if isinstance(lattice, Lattice):
        return lattice
    if not isinstance(lattice, str):
        raise TypeError(f"{name} must be a Lattice or a string naming one, got {type(lattice).__name__}")
    key = _ALIASES.get(lattice.lower(), lattice.lower())
    if key not in LATTICES:
        raise ValueError(f"{name} must be one of {', '.join(repr(k) for k in LATTICES)}; got {lattice!r}")
    return LATTICES[key]


def box_shape(lattice: str | Lattice, size: int | tuple[int, ...], periodic: bool = False) -> tuple[int, ...]:
    """Array shape of an L^d box of ``lattice`` (docs/fractal_clustering.md sec. 1).

    Parameters
    ----------
    lattice : str or Lattice
        A :class:`Lattice` or a name of :data:`LATTICES`.
    size : int or tuple of int
        Side L (lattice units) or an explicit shape; every side >= 2.
    periodic : bool
        Periodic boundaries (sides >= 3, even for parity-dependent lattices).

    Returns
    -------
    tuple of int
        The validated shape (:meth:`Lattice.box_shape`).

    Examples
    --------
    >>> box_shape('square', 8), box_shape('simple_cubic', 4)
    ((8, 8), (4, 4, 4))
    """
    return as_lattice(lattice).box_shape(size, periodic)


def lattice_graph(lattice: str | Lattice, size: int | tuple[int, ...], periodic: bool = False) -> nx.Graph:
    """The L^d box of ``lattice`` as a :class:`networkx.Graph` (docs/fractal_clustering.md sec. 1).

    Parameters
    ----------
    lattice : str or Lattice
        A :class:`Lattice` or a name of :data:`LATTICES`.
    size : int or tuple of int
        Side L (lattice units) or an explicit shape.
    periodic : bool
        Periodic boundaries.

    Returns
    -------
    networkx.Graph
        Nodes are coordinate tuples; edges carry ``offset``, the index of their half-set offset
        (:meth:`Lattice.graph`).

    Examples
    --------
    >>> g = lattice_graph('square', 4)
    >>> print(g.number_of_nodes(), g.number_of_edges())  # open 4 x 4 box: 2 L (L - 1) = 24 bonds
    16 24
    >>> g = lattice_graph('square', 4, periodic=True)
    >>> print(g.number_of_edges(), sorted(set(dict(g.degree()).values())))  # torus: 2 L^2 bonds, degree 4
    32 [4]
    >>> print(lattice_graph('triangular', 4, periodic=True).number_of_edges())  # degree 6: 3 L^2
    48
    """
    return as_lattice(lattice).graph(size, periodic)
