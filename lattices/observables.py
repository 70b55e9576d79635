"""Cluster observables on array lattices, and the registry of site observables (docs/fractal_clustering.md sec. 4).

Cluster-level quantities: sizes, the largest and spanning clusters, cluster numbers n_s, radius of
gyration and mass-radius pairs. Site observables -- sets of sites attached to one cluster whose count
X(L) at p_c grows as L^D_X -- live in the registry :data:`SITE_OBSERVABLES`:

* ``mass``: the cluster itself (D; any lattice);
* ``perimeter`` (alias ``surface``): empty sites with a neighbour in the cluster (every such site,
  inside holes too); it scales like the mass, D_s = D (any lattice);
* ``hull``: perimeter sites in the *external* region of the complement of the cluster, connected with
  the dual (8 in 2D / 26 in 3D) connectivity. In 2D this is exactly the set visited by the external
  boundary walk with nearest and next-nearest steps (:func:`hull_walk`; Grossman and Aharony,
  J. Phys. A 19, L745 (1986)): D_H = 7/4. In 3D the complement is almost everywhere connected to the
  outside: D_H = D (Strenski et al.). Square / simple-cubic lattices only (their dual connectivity);
* ``external_perimeter``: as the hull but the complement connected with nearest-neighbour steps only,
  so narrow fjords are closed: D_EP = 4/3 in 2D. Square / simple-cubic only.

The complement of a cluster contains empty sites *and* other clusters. Everything outside the box is
taken as empty (one padding layer), so the spanning cluster's hull includes its box-facing boundary.

A new observable is one function ``f(mask, lattice=None) -> mask`` here, decorated with
:func:`site_observable`; :func:`lattices.fractal_dimension`, :func:`lattices.alpha_direct`,
:func:`lattices.heuristic_alpha` and the percolation study pick it up by name (its literature
exponent, if any, goes into :data:`lattices.reference.EXPONENTS`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from tunnelsim.validation import check_choice, check_int

from ._checks import BYTES_MASK_OBS, as_array, check_box_memory
from .geometry import LATTICES, Lattice, as_lattice
from .reference import EXPONENTS

__all__ = ["SiteObservable", "SITE_OBSERVABLES", "site_observable", "get_site_observable", "site_kinds",
           "interface_definitions", "cluster_sizes", "largest_cluster", "spanning_labels",
           "cluster_size_distribution", "radius_of_gyration", "mass_radius", "mass_sites", "perimeter_sites",
           "hull_sites", "external_perimeter_sites", "hull_walk", "count_sites", "checked_mask"]


@dataclass(frozen=True)
class SiteObservable:
    """A registered site observable (docs/fractal_clustering.md sec. 4).

    Attributes
    ----------
    name : str
        Registry key, also the ``kind`` of :func:`lattices.fractal_dimension` and the ``definition``
        of the interface functions in :mod:`lattices.alpha`.
    sites : callable
        ``sites(mask, lattice)`` -> boolean mask of the observable's sites for the cluster ``mask``.
    symbol : str
        Name of its fractal dimension in estimates ('D', 'D_H', ...).
    exponent : str or None
        Key of its literature dimension in :data:`lattices.reference.EXPONENTS` (None: no reference).
    interface : bool
        Sites outside the cluster (perimeter-type): counted in open boxes only, and usable as NM/NF
        interface sites in :mod:`lattices.alpha`. Such an observable must equal the perimeter for a
        cluster that encloses no empty site.
    hypercubic : bool
        Defined only for the square / simple-cubic lattices.
    local : bool
        Its sites for a union of clusters are the union of its sites for each cluster (the perimeter).
    aliases : tuple of str
        Other accepted names.
    """

    name: str
    sites: Callable[[np.ndarray, Lattice], np.ndarray]
    symbol: str
    exponent: str | None
    interface: bool
    hypercubic: bool
    local: bool = False
    aliases: tuple[str, ...] = ()


#: The site observables by name (filled by :func:`site_observable`).
SITE_OBSERVABLES: dict[str, SiteObservable] = {}


def site_observable(name: str, *, symbol: str, exponent: str | None = None, interface: bool = True,
                    hypercubic: bool = True, local: bool = False, aliases: tuple[str, ...] = ()):
    """Decorator: register ``func(mask, lattice=None) -> mask`` as the site observable ``name``.

    Parameters are the fields of :class:`SiteObservable`; ``exponent`` defaults to ``name``
    when :data:`lattices.reference.EXPONENTS` has an entry of that name. Returns ``func`` unchanged.
    """
    if exponent is None and name in EXPONENTS[2]:
        exponent = name

    def register(func: Callable) -> Callable:
        taken = {a for obs in SITE_OBSERVABLES.values() for a in (obs.name, *obs.aliases)}
        clash = taken & {name, *aliases}
        if clash:
            raise ValueError(f"name {sorted(clash)[0]!r} is already a registered site observable")
        SITE_OBSERVABLES[name] = SiteObservable(name, func, symbol, exponent, interface, hypercubic, local,
                                                tuple(aliases))
        return func

    return register


def site_kinds() -> tuple[str, ...]:
    """Every accepted observable name, aliases included."""
    return tuple(a for obs in SITE_OBSERVABLES.values() for a in (obs.name, *obs.aliases))


def interface_definitions() -> tuple[str, ...]:
    """Names of the registered interface (perimeter-type) observables, in registration order."""
    return tuple(obs.name for obs in SITE_OBSERVABLES.values() if obs.interface)


def get_site_observable(kind: str, name: str = "kind") -> SiteObservable:
    """The registered observable called ``kind`` (name or alias); ValueError naming ``name`` otherwise."""
    kind = check_choice(kind, name, site_kinds())
    return next(obs for obs in SITE_OBSERVABLES.values() if kind in (obs.name, *obs.aliases))


def checked_mask(mask: np.ndarray, lattice: str | Lattice | None = None, what: str = "", name: str = "mask"
                 ) -> tuple[np.ndarray, Lattice]:
    """Validated boolean mask and its lattice (default: square in 2D, simple cubic in 3D); errors name ``name``.

    ``what`` names an observable restricted to the hypercubic lattices.
    """
    m = as_array(mask, name)
    if m.dtype != bool:
        raise TypeError(f"{name} must be a boolean array, got dtype {m.dtype}")
    if lattice is None:
        if m.ndim not in (2, 3):
            raise ValueError(f"{name} must be a 2D (square) or 3D (simple_cubic) array, got {m.ndim} dimensions")
        lat = LATTICES["square" if m.ndim == 2 else "simple_cubic"]
    else:
        lat = as_lattice(lattice)
        if m.ndim != lat.dim:
            raise ValueError(f"{name} must be {lat.dim}-dimensional for the {lat.name} lattice, got {m.ndim}")
    if what and not lat.hypercubic:
        raise ValueError(f"lattice must be square or simple_cubic for the {what} (its dual connectivity), "
                         f"got {lat.name!r}")
    check_box_memory(m.size, BYTES_MASK_OBS, "a site observable", name)
    return m, lat


def _labels(labels: np.ndarray, name: str = "labels") -> np.ndarray:
    lab = as_array(labels, name)
    if lab.dtype.kind not in "iu":
        raise TypeError(f"{name} must be an integer array of cluster labels, got dtype {lab.dtype}")
    if lab.ndim == 0 or lab.size == 0:
        raise ValueError(f"{name} must be a non-empty array of cluster labels, got shape {lab.shape}")
    if lab.min() < 0:
        raise ValueError(f"{name} must be >= 0 (0 empty, 1..n clusters), got {lab.min()}")
    if lab.max() > lab.size:  # n clusters never exceed the sites; bincount allocates max + 1 entries
        raise ValueError(f"{name} must number the clusters 1..n with n <= the number of sites ({lab.size}), "
                         f"got the label {lab.max()}")
    check_box_memory(lab.size, 24 + 8 * lab.ndim, "cluster observables", name)
    return lab


def cluster_sizes(labels: np.ndarray) -> np.ndarray:
    """Number of sites of each cluster 1..n (index i holds cluster i + 1)."""
    return np.bincount(_labels(labels).ravel())[1:]


def largest_cluster(labels: np.ndarray) -> np.ndarray:
    """Mask of the largest cluster (docs/fractal_clustering.md sec. 4).

    Parameters
    ----------
    labels : array of int
        Cluster labels (0 empty, 1..n clusters), e.g. from :func:`lattices.label_sites`.

    Returns
    -------
    numpy.ndarray of bool
        True on the sites of the cluster with the most sites (the lowest label on ties); all False
        when no site is occupied.

    Examples
    --------
    >>> largest_cluster(np.array([[1, 1, 0], [0, 0, 2], [1, 0, 0]])).astype(int).tolist()
    [[1, 1, 0], [0, 0, 0], [1, 0, 0]]
    """
    lab = _labels(labels)
    sizes = np.bincount(lab.ravel())[1:]
    if sizes.size == 0 or sizes.max() == 0:
        return np.zeros(lab.shape, dtype=bool)
    return lab == int(np.argmax(sizes)) + 1


def spanning_labels(labels: np.ndarray, axis: int = 0) -> np.ndarray:
    """Labels of the clusters touching both faces perpendicular to ``axis`` (open box)."""
    lab = _labels(labels)
    axis = check_int(axis, "axis", minimum=0, maximum=lab.ndim - 1)
    lo = np.unique(np.take(lab, 0, axis=axis))
    hi = np.unique(np.take(lab, -1, axis=axis))
    both = np.intersect1d(lo, hi)
    return both[both > 0]


def cluster_size_distribution(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cluster numbers n_s = (number of clusters of s sites) / (number of lattice sites) (docs sec. 4).

    At p_c, n_s ~ s^-tau (docs/theory.md sec. 4).

    Parameters
    ----------
    labels : array of int
        Cluster labels (0 empty).

    Returns
    -------
    s : numpy.ndarray of int
        The cluster sizes present (sites), increasing.
    n_s : numpy.ndarray of float
        Clusters of that size per lattice site.

    Examples
    --------
    >>> s, n_s = cluster_size_distribution(np.array([[1, 1, 0], [0, 0, 2], [3, 0, 2]]))
    >>> print(s.tolist(), np.round(n_s * 9, 9).tolist())  # clusters of each size per site, times 9 sites
    [1, 2] [1.0, 2.0]
    """
    lab = _labels(labels)
    sizes = np.bincount(lab.ravel())[1:]
    s, counts = np.unique(sizes[sizes > 0], return_counts=True)
    return s, counts / lab.size


def radius_of_gyration(mask: np.ndarray) -> float:
    """R_g = sqrt(<|r - r_cm|^2>) over the sites of ``mask`` (lattice units; open box).

    Examples
    --------
    >>> mask = np.zeros((3, 3), dtype=bool); mask[1, 0] = mask[1, 2] = True
    >>> radius_of_gyration(mask)  # two sites two apart: R_g = 1
    1.0
    """
    pts = np.argwhere(np.asarray(mask))
    if len(pts) == 0:
        raise ValueError("mask has no sites: no radius of gyration")
    return float(np.sqrt(np.mean(np.sum((pts - pts.mean(axis=0)) ** 2, axis=1))))


def mass_radius(labels: np.ndarray, min_size: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Mass s and radius of gyration R_g of every cluster with s >= ``min_size`` (open box).

    Clusters smaller than the correlation length obey the mass-radius relation s ~ R_g^D
    (docs/fractal_clustering.md sec. 5.2).

    Parameters
    ----------
    labels : array of int
        Cluster labels (0 empty) of an open box.
    min_size : int
        Smallest cluster kept (sites, >= 1).

    Returns
    -------
    s : numpy.ndarray
        Masses (sites).
    rg : numpy.ndarray
        R_g = sqrt(<r^2> - <r>^2) (lattice units).

    Examples
    --------
    >>> s, rg = mass_radius(np.ones((1, 5), dtype=int), min_size=2)  # a line of 5 sites
    >>> print(s.tolist(), np.round(rg ** 2, 9).tolist())  # R_g^2 = (4 + 1 + 0 + 1 + 4) / 5
    [5.0] [2.0]
    """
    lab2 = _labels(labels)
    lab = lab2.ravel()
    min_size = check_int(min_size, "min_size", minimum=1)
    coords = np.indices(lab2.shape).reshape(lab2.ndim, -1).astype(float)
    s = np.bincount(lab)
    keep = np.flatnonzero(s >= min_size)
    keep = keep[keep > 0]
    if keep.size == 0:
        return np.zeros(0), np.zeros(0)
    r2 = np.zeros(s.size)
    for c in coords:
        m1 = np.bincount(lab, weights=c, minlength=s.size)
        m2 = np.bincount(lab, weights=c * c, minlength=s.size)
        with np.errstate(invalid="ignore", divide="ignore"):
            r2 += m2 / s - (m1 / s) ** 2
    return s[keep].astype(float), np.sqrt(np.maximum(r2[keep], 0.0))


# ---------------------------------------------------------------- site observables


@site_observable("mass", symbol="D", interface=False, hypercubic=False)
def mass_sites(mask: np.ndarray, lattice: str | Lattice | None = None) -> np.ndarray:
    """The cluster's own sites (a copy of ``mask``); their number scales as L^D at p_c (docs sec. 4)."""
    m, _ = checked_mask(mask, lattice)
    return m.copy()


def _dilate(m: np.ndarray, lat: Lattice) -> np.ndarray:
    """Sites with a lattice neighbour in ``m`` (open box): out[x + d] |= m[x] for every direction d."""
    out = np.zeros_like(m)
    psum = np.indices(m.shape).sum(axis=0) % 2 if lat.parity_dependent else None
    for d, par in zip(*lat.directions()):
        src = m if par < 0 else m & (psum == par)
        take = tuple(slice(max(0, -k), max(0, n - max(0, k))) for k, n in zip(d, m.shape))
        put = tuple(slice(max(0, k), max(0, n - max(0, -k))) for k, n in zip(d, m.shape))
        out[put] |= src[take]
    return out


@site_observable("perimeter", symbol="D_s", exponent="surface", hypercubic=False, local=True, aliases=("surface",))
def perimeter_sites(mask: np.ndarray, lattice: str | Lattice | None = None) -> np.ndarray:
    """Perimeter (surface) sites: empty sites with a lattice neighbour in ``mask`` (docs sec. 4).

    Parameters
    ----------
    mask : array of bool
        The cluster (or any set of occupied sites) in an open box.
    lattice : str or Lattice, optional
        Any lattice; default square (2D) or simple cubic (3D).

    Returns
    -------
    numpy.ndarray of bool
        The perimeter inside the box (holes included); it scales like the mass, D_s = D.

    Examples
    --------
    >>> mask = np.zeros((5, 5), dtype=bool); mask[2, 2] = True
    >>> print(int(perimeter_sites(mask).sum()), int(perimeter_sites(mask, 'triangular').sum()))  # coordination 4 and 6
    4 6
    """
    m, lat = checked_mask(mask, lattice)
    return _dilate(m, lat) & ~m


def _external(mask: np.ndarray, connectivity: int) -> np.ndarray:
    """Sites of the box in the complement component of ``mask`` connected to the outside."""
    m = np.pad(mask, 1, constant_values=False)
    comp, _ = ndimage.label(~m, structure=ndimage.generate_binary_structure(m.ndim, connectivity))
    outside = comp[(0,) * m.ndim]
    inner = tuple(slice(1, -1) for _ in range(m.ndim))
    return comp[inner] == outside


@site_observable("hull", symbol="D_H")
def hull_sites(mask: np.ndarray, lattice: str | Lattice | None = None) -> np.ndarray:
    """Hull: perimeter sites in the external complement with dual (8 in 2D / 26 in 3D) connectivity.

    Parameters
    ----------
    mask : array of bool
        One cluster in an open box (outside the box counts as empty).
    lattice : str or Lattice, optional
        Square or simple cubic (the default for 2D / 3D masks).

    Returns
    -------
    numpy.ndarray of bool
        The hull sites; D_H = 7/4 in 2D, = D in 3D (docs/fractal_clustering.md sec. 4).

    Examples
    --------
    >>> mask = np.pad(np.ones((5, 5), dtype=bool), 1); mask[3, 3] = False  # a 5 x 5 block with a hole
    >>> print(int(perimeter_sites(mask).sum()), int(hull_sites(mask).sum()), int(external_perimeter_sites(mask).sum()))
    21 20 20
    """
    m, _ = checked_mask(mask, lattice, "hull")
    return perimeter_sites(m) & _external(m, m.ndim)


@site_observable("external_perimeter", symbol="D_EP")
def external_perimeter_sites(mask: np.ndarray, lattice: str | Lattice | None = None) -> np.ndarray:
    """Accessible external perimeter: perimeter sites reachable from outside by nearest-neighbour steps.

    Parameters
    ----------
    mask : array of bool
        One cluster in an open box.
    lattice : str or Lattice, optional
        Square or simple cubic (the default for 2D / 3D masks).

    Returns
    -------
    numpy.ndarray of bool
        The accessible perimeter; D_EP = 4/3 in 2D (docs/fractal_clustering.md sec. 4).

    Examples
    --------
    >>> mask = np.pad(np.ones((5, 5), dtype=bool), 1); mask[3, 3] = False  # a 5 x 5 block with a hole
    >>> int(external_perimeter_sites(mask).sum())  # the 20 outer neighbours; the enclosed hole is not reached
    20
    """
    m, _ = checked_mask(mask, lattice, "external perimeter")
    return perimeter_sites(m) & _external(m, 1)


# headings 0 north, 1 east, 2 south, 3 west; vertex moves and the pixels ahead-left / ahead-right of a
# vertex (r, c) and left of the crack leaving it, as offsets from the vertex (pixel (i, j) spans the
# square with corners (i, j) and (i + 1, j + 1))
_MOVE = ((-1, 0), (0, 1), (1, 0), (0, -1))
_AHEAD_LEFT = ((-1, -1), (-1, 0), (0, 0), (0, -1))
_AHEAD_RIGHT = ((-1, 0), (0, 0), (0, -1), (-1, -1))
_LEFT_OF_CRACK = ((-1, -1), (-1, 0), (0, 0), (0, -1))


def hull_walk(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """2D external boundary walk around a nearest-neighbour cluster (docs/fractal_clustering.md sec. 4).

    The walker follows the cracks between the cluster and its complement with the cluster on its right,
    starting above the top-left cluster site. Where two cluster sites touch only diagonally it turns
    between them (the cluster is 4-connected, its complement 8-connected), so it enters fjords through
    diagonal necks. The empty sites across the visited cracks are the hull perimeter sites.

    Parameters
    ----------
    mask : 2D array of bool
        One nearest-neighbour connected cluster (everything outside the array counts as empty).

    Returns
    -------
    hull : numpy.ndarray of bool
        Perimeter sites visited by the walk (inside the box); equal to :func:`hull_sites`.
    length : int
        Number of cracks walked (the hull length in lattice units, box-facing cracks included).

    Examples
    --------
    >>> hull_walk(np.pad(np.ones((2, 2), dtype=bool), 1))[1]  # around a 2 x 2 block: 8 cracks
    8
    """
    m, _ = checked_mask(mask)
    if m.ndim != 2:
        raise ValueError(f"mask must be 2D for the boundary walk, got {m.ndim} dimensions")
    if not m.any():
        raise ValueError("mask has no sites: nothing to walk around")
    n_clusters = ndimage.label(m)[1]
    if n_clusters != 1:
        raise ValueError(f"mask must hold one nearest-neighbour connected cluster, got {n_clusters}")
    pad = np.pad(m, 1, constant_values=False)
    visited = np.zeros_like(pad)
    sites = np.argwhere(pad)
    r0, c0 = (int(v) for v in sites[0])  # top row first, then leftmost: the site above is empty
    start = (r0, c0, 1)
    r, c, d = start
    length = 0
    while True:
        lr, lc = _LEFT_OF_CRACK[d]
        visited[r + lr, c + lc] = True
        r, c = r + _MOVE[d][0], c + _MOVE[d][1]
        length += 1
        ar = pad[r + _AHEAD_RIGHT[d][0], c + _AHEAD_RIGHT[d][1]]
        al = pad[r + _AHEAD_LEFT[d][0], c + _AHEAD_LEFT[d][1]]
        if not ar:
            d = (d + 1) % 4
        elif al:
            d = (d + 3) % 4
        if (r, c, d) == start:
            break
    return visited[1:-1, 1:-1] & ~m, length


def count_sites(mask: np.ndarray, kind: str = "mass", lattice: str | Lattice | None = None) -> int:
    """Number of sites of the registered observable ``kind`` of the cluster ``mask`` (docs sec. 4).

    Parameters
    ----------
    mask : array of bool
        One cluster.
    kind : str
        A name of :data:`SITE_OBSERVABLES` ('mass', 'perimeter' or 'surface', 'hull', 'external_perimeter').
    lattice : str or Lattice, optional
        Default square (2D) or simple cubic (3D).

    Returns
    -------
    int
        X, whose mean over boxes at p_c scales as L^D_X.
    """
    obs = get_site_observable(kind)
    m, lat = checked_mask(mask, lattice, obs.name if obs.hypercubic else "")
    return int(obs.sites(m, lat).sum())
