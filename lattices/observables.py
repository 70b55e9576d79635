"""Cluster observables on array lattices (docs/fractal_clustering.md sec. 4).

Perimeter-type observables (hull, external perimeter, surface, interface sites) are defined for the
nearest-neighbour square and simple-cubic lattices, where the dual connectivity of the empty region
is the 8- (2D) or 26- (3D) neighbourhood:

* perimeter (surface) sites: empty sites with a nearest neighbour in the cluster (every such site,
  inside holes too); they scale like the mass, D_s = D.
* hull sites: perimeter sites that belong to the *external* region of the complement of the cluster,
  connected with the dual (8 / 26) connectivity. In 2D this is exactly the set visited by the external
  boundary walk with nearest and next-nearest steps (Grossman and Aharony, J. Phys. A 19, L745 (1986)):
  D_H = 7/4. In 3D the complement is almost everywhere connected to the outside: D_H = D (Strenski et al.).
* external (accessible) perimeter: as the hull but the complement connected with nearest-neighbour
  steps only, so narrow fjords are closed: D_EP = 4/3 in 2D.

The complement of a cluster contains empty sites *and* other clusters. Everything outside the box is
taken as empty (one padding layer), so the spanning cluster's hull includes its box-facing boundary.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from tunnelsim.validation import check_choice, check_int

__all__ = ["cluster_sizes", "largest_cluster", "spanning_labels", "cluster_size_distribution",
           "radius_of_gyration", "mass_radius", "perimeter_sites", "hull_sites", "external_perimeter_sites",
           "hull_walk", "count_sites", "SITE_KINDS"]

SITE_KINDS = ("mass", "surface", "hull", "external_perimeter")


def _mask(mask: np.ndarray, name: str = "mask") -> np.ndarray:
    m = np.asarray(mask)
    if m.dtype != bool:
        raise TypeError(f"{name} must be a boolean array, got dtype {m.dtype}")
    if m.ndim not in (2, 3):
        raise ValueError(f"{name} must be a 2D (square) or 3D (simple_cubic) array, got {m.ndim} dimensions")
    return m


def cluster_sizes(labels: np.ndarray) -> np.ndarray:
    """Number of sites of each cluster 1..n (index i holds cluster i + 1)."""
    return np.bincount(np.asarray(labels).ravel())[1:]


def largest_cluster(labels: np.ndarray) -> np.ndarray:
    """Boolean mask of the largest cluster (all False when there is no occupied site)."""
    sizes = cluster_sizes(labels)
    if sizes.size == 0 or sizes.max() == 0:
        return np.zeros(np.shape(labels), dtype=bool)
    return np.asarray(labels) == int(np.argmax(sizes)) + 1


def spanning_labels(labels: np.ndarray, axis: int = 0) -> np.ndarray:
    """Labels of the clusters touching both faces perpendicular to ``axis`` (open box)."""
    lab = np.asarray(labels)
    axis = check_int(axis, "axis", minimum=0, maximum=lab.ndim - 1)
    lo = np.unique(np.take(lab, 0, axis=axis))
    hi = np.unique(np.take(lab, -1, axis=axis))
    both = np.intersect1d(lo, hi)
    return both[both > 0]


def cluster_size_distribution(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cluster numbers n_s: (s, number of clusters of size s per lattice site)."""
    sizes = cluster_sizes(labels)
    s, counts = np.unique(sizes[sizes > 0], return_counts=True)
    return s, counts / np.asarray(labels).size


def radius_of_gyration(mask: np.ndarray) -> float:
    """R_g^2 = <|r - r_cm|^2> over the sites of ``mask`` (lattice units; open box)."""
    pts = np.argwhere(np.asarray(mask))
    if len(pts) == 0:
        raise ValueError("mask has no sites: no radius of gyration")
    return float(np.sqrt(np.mean(np.sum((pts - pts.mean(axis=0)) ** 2, axis=1))))


def mass_radius(labels: np.ndarray, min_size: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """(mass s, radius of gyration R_g) of every cluster with s >= ``min_size`` (open box).

    For clusters smaller than the correlation length s ~ R_g^D (mass-radius relation).
    """
    lab = np.asarray(labels).ravel()
    coords = np.indices(np.shape(labels)).reshape(np.ndim(labels), -1).astype(float)
    s = np.bincount(lab)
    keep = np.flatnonzero(s >= max(min_size, 1))
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


def _nn_structure(ndim: int) -> np.ndarray:
    return ndimage.generate_binary_structure(ndim, 1)


def perimeter_sites(mask: np.ndarray) -> np.ndarray:
    """Empty sites (not in ``mask``) with a nearest neighbour in ``mask`` (inside the box)."""
    m = _mask(mask)
    return ndimage.binary_dilation(m, structure=_nn_structure(m.ndim)) & ~m


def _external(mask: np.ndarray, connectivity: int) -> np.ndarray:
    """Sites of the box in the complement component of ``mask`` connected to the outside."""
    m = np.pad(mask, 1, constant_values=False)
    comp, _ = ndimage.label(~m, structure=ndimage.generate_binary_structure(m.ndim, connectivity))
    outside = comp[(0,) * m.ndim]
    inner = tuple(slice(1, -1) for _ in range(m.ndim))
    return comp[inner] == outside


def hull_sites(mask: np.ndarray) -> np.ndarray:
    """Hull: perimeter sites in the external complement with dual (8 in 2D / 26 in 3D) connectivity."""
    m = _mask(mask)
    return perimeter_sites(m) & _external(m, m.ndim)


def external_perimeter_sites(mask: np.ndarray) -> np.ndarray:
    """Accessible external perimeter: perimeter sites reachable from outside by nearest-neighbour steps."""
    m = _mask(mask)
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
    """
    m = _mask(mask)
    if m.ndim != 2:
        raise ValueError(f"mask must be 2D for the boundary walk, got {m.ndim} dimensions")
    if not m.any():
        raise ValueError("mask has no sites: nothing to walk around")
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


def count_sites(mask: np.ndarray, kind: str = "mass") -> int:
    """Number of sites of the cluster ``mask`` ('mass') or of its 'surface', 'hull', 'external_perimeter'."""
    kind = check_choice(kind, "kind", SITE_KINDS)
    m = _mask(mask)
    if kind == "mass":
        return int(m.sum())
    if kind == "surface":
        return int(perimeter_sites(m).sum())
    if kind == "hull":
        return int(hull_sites(m).sum())
    return int(external_perimeter_sites(m).sum())
