"""numba kernels shared by the labelling and Newman-Ziff modules (private).

Union-find with union by size and path compression; neighbours computed on the fly from the
directions of a :class:`lattices.geometry.Lattice` (:meth:`~lattices.geometry.Lattice.directions`:
+-offsets and the parity rule of each direction's start site), so no neighbour table is stored and
256^3 boxes fit in memory (docs/fractal_clustering.md secs. 2-3).

The compiled loops index their arrays without bounds checks, so each is called only through a
Python wrapper (:func:`uf_label_sites`, :func:`uf_label_bonds`, :func:`nz_sites`, :func:`nz_bonds`)
that checks the dtypes, the shapes and the index ranges of its arguments first and raises a
ValueError on any mismatch: a size mismatch can never become an out-of-bounds read.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _unravel(s, shape, coords):
    psum = 0
    for a in range(shape.size - 1, -1, -1):
        coords[a] = s % shape[a]
        s //= shape[a]
        psum += coords[a]
    return psum


@njit(cache=True)
def _step(coords, vec, shape, periodic):
    """Flat index of coords + vec, or -1 outside an open box."""
    idx = 0
    for a in range(shape.size):
        c = coords[a] + vec[a]
        if c < 0 or c >= shape[a]:
            if not periodic:
                return -1
            c %= shape[a]
        idx = idx * shape[a] + c
    return idx


@njit(cache=True)
def _face_mask(coords, shape):
    """Bit 2a (2a + 1): the site lies on the low (high) face of axis a."""
    f = 0
    for a in range(shape.size):
        if coords[a] == 0:
            f |= 1 << (2 * a)
        if coords[a] == shape[a] - 1:
            f |= 1 << (2 * a + 1)
    return f


@njit(cache=True)
def _find(x, parent):
    r = x
    while parent[r] != r:
        r = parent[r]
    while parent[x] != r:
        nxt = parent[x]
        parent[x] = r
        x = nxt
    return r


@njit(cache=True)
def _union(a, b, parent, size):
    ra = _find(a, parent)
    rb = _find(b, parent)
    if ra == rb:
        return ra
    if size[ra] < size[rb]:
        ra, rb = rb, ra
    parent[rb] = ra
    size[ra] += size[rb]
    return ra


@njit(cache=True)
def _relabel(mask, parent):
    n = parent.size
    labels = np.zeros(n, dtype=np.int64)
    root_label = np.zeros(n, dtype=np.int64)
    nxt = 0
    for s in range(n):
        if mask[s]:
            r = _find(s, parent)
            if root_label[r] == 0:
                nxt += 1
                root_label[r] = nxt
            labels[s] = root_label[r]
    return labels, nxt


@njit(cache=True)
def _uf_label_sites(occ, shape, dirs, dpar, periodic):
    """Cluster labels (1..n, 0 empty) of occupied sites, flat arrays."""
    n = occ.size
    parent = np.arange(n)
    size = np.ones(n, dtype=np.int64)
    coords = np.zeros(shape.size, dtype=np.int64)
    half = dirs.shape[0] // 2
    for s in range(n):
        if not occ[s]:
            continue
        psum = _unravel(s, shape, coords)
        for k in range(half):  # +offsets suffice: every bond is seen from its lower end
            if dpar[k] >= 0 and psum % 2 != dpar[k]:
                continue
            t = _step(coords, dirs[k], shape, periodic)
            if t >= 0 and occ[t]:
                _union(s, t, parent, size)
    return _relabel(occ, parent)


@njit(cache=True)
def _uf_label_bonds(bonds, shape, dirs, dpar, periodic):
    """Cluster labels (1..n) of all sites, given open bonds ``bonds[s, k]`` along +offset k."""
    n = bonds.shape[0]
    parent = np.arange(n)
    size = np.ones(n, dtype=np.int64)
    coords = np.zeros(shape.size, dtype=np.int64)
    half = dirs.shape[0] // 2
    for s in range(n):
        psum = _unravel(s, shape, coords)
        for k in range(half):
            if not bonds[s, k]:
                continue
            if dpar[k] >= 0 and psum % 2 != dpar[k]:
                continue
            t = _step(coords, dirs[k], shape, periodic)
            if t >= 0:
                _union(s, t, parent, size)
    mask = np.ones(n, dtype=np.bool_)
    return _relabel(mask, parent)


@njit(cache=True)
def _find_disp(x, parent, disp, acc):
    """Root of x; acc <- unwrapped position of root minus position of x. Compresses the path."""
    d = disp.shape[1]
    for a in range(d):
        acc[a] = 0
    r = x
    while parent[r] != r:
        for a in range(d):
            acc[a] += disp[r, a]
        r = parent[r]
    t0 = acc[0]
    t1 = acc[1] if d > 1 else 0
    t2 = acc[2] if d > 2 else 0
    # second pass: point every node on the path straight at r with its total displacement
    y = x
    while parent[y] != y:
        nxt = parent[y]
        o = disp[y, 0]
        disp[y, 0] = t0
        t0 -= o
        if d > 1:
            o = disp[y, 1]
            disp[y, 1] = t1
            t1 -= o
        if d > 2:
            o = disp[y, 2]
            disp[y, 2] = t2
            t2 -= o
        parent[y] = r
        y = nxt
    return r


@njit(cache=True)
def _merge(s, t, vec, parent, size, disp, faces, periodic, ds, dt, wrapped):
    """Join the clusters of s and t (t = s + vec); sets wrapped[a] when a cluster closes a loop
    that winds around axis a. Returns the root of the joined cluster."""
    d = disp.shape[1]
    rs = _find_disp(s, parent, disp, ds)
    rt = _find_disp(t, parent, disp, dt)
    if rs == rt:
        if periodic:
            for a in range(d):
                if ds[a] - vec[a] - dt[a] != 0:
                    wrapped[a] = True
        return rs
    # pos(rs) - pos(rt) = (pos(s) + ds) - (pos(t) + dt) = ds - vec - dt
    if size[rs] >= size[rt]:
        parent[rt] = rs
        for a in range(d):
            disp[rt, a] = ds[a] - vec[a] - dt[a]
        size[rs] += size[rt]
        faces[rs] |= faces[rt]
        return rs
    parent[rs] = rt
    for a in range(d):
        disp[rs, a] = -(ds[a] - vec[a] - dt[a])
    size[rt] += size[rs]
    faces[rt] |= faces[rs]
    return rt


@njit(cache=True)
def _update_events(n, root, faces, wrapped, first_wrap, first_span, d):
    for a in range(d):
        if wrapped[a] and first_wrap[a] > n:
            first_wrap[a] = n
        if (faces[root] >> (2 * a)) & 3 == 3 and first_span[a] > n:
            first_span[a] = n


@njit(cache=True)
def _nz_sites(order, shape, dirs, dpar, periodic, largest):
    """One Newman-Ziff site sweep in the given occupation order.

    ``largest[n]`` (n = 0..N) is incremented by the largest cluster size after n sites.
    Returns (first_wrap, first_span): per axis, the number of occupied sites at which a cluster
    first wraps (periodic) / spans (open) along that axis (N + 1 if never).
    """
    n_sites = order.size
    d = shape.size
    parent = np.full(n_sites, -1, dtype=np.int64)
    size = np.zeros(n_sites, dtype=np.int64)
    disp = np.zeros((n_sites, d), dtype=np.int32)
    faces = np.zeros(n_sites, dtype=np.int64)
    coords = np.zeros(d, dtype=np.int64)
    ds = np.zeros(d, dtype=np.int64)
    dt = np.zeros(d, dtype=np.int64)
    wrapped = np.zeros(d, dtype=np.bool_)
    first_wrap = np.full(d, n_sites + 1, dtype=np.int64)
    first_span = np.full(d, n_sites + 1, dtype=np.int64)
    big = 0
    for i in range(n_sites):
        s = order[i]
        parent[s] = s
        size[s] = 1
        psum = _unravel(s, shape, coords)
        faces[s] = _face_mask(coords, shape)
        root = s
        for k in range(dirs.shape[0]):
            if dpar[k] >= 0 and psum % 2 != dpar[k]:
                continue
            t = _step(coords, dirs[k], shape, periodic)
            if t < 0 or parent[t] < 0:
                continue
            root = _merge(s, t, dirs[k], parent, size, disp, faces, periodic, ds, dt, wrapped)
        if size[root] > big:
            big = size[root]
        largest[i + 1] += big
        _update_events(i + 1, root, faces, wrapped, first_wrap, first_span, d)
    return first_wrap, first_span


@njit(cache=True)
def _nz_bonds(order, edges, kinds, shape, dirs, periodic, largest):
    """One Newman-Ziff bond sweep: bonds ``edges[order[i]]`` added in turn (all sites present).

    ``largest[n]`` (n = 0..n_bonds) is incremented by the largest cluster size after n bonds.
    """
    n_sites = 1
    for a in range(shape.size):
        n_sites *= shape[a]
    d = shape.size
    parent = np.arange(n_sites)
    size = np.ones(n_sites, dtype=np.int64)
    disp = np.zeros((n_sites, d), dtype=np.int32)
    faces = np.zeros(n_sites, dtype=np.int64)
    coords = np.zeros(d, dtype=np.int64)
    for s in range(n_sites):
        _unravel(s, shape, coords)
        faces[s] = _face_mask(coords, shape)
    ds = np.zeros(d, dtype=np.int64)
    dt = np.zeros(d, dtype=np.int64)
    wrapped = np.zeros(d, dtype=np.bool_)
    n_b = order.size
    first_wrap = np.full(d, n_b + 1, dtype=np.int64)
    first_span = np.full(d, n_b + 1, dtype=np.int64)
    big = 1
    largest[0] += 1
    for i in range(n_b):
        e = order[i]
        s = edges[e, 0]
        t = edges[e, 1]
        root = _merge(s, t, dirs[kinds[e]], parent, size, disp, faces, periodic, ds, dt, wrapped)
        if size[root] > big:
            big = size[root]
        largest[i + 1] += big
        _update_events(i + 1, root, faces, wrapped, first_wrap, first_span, d)
    return first_wrap, first_span


# ---------------------------------------------------------------- checked entry points


def _need(ok: bool, what: str) -> None:
    if not ok:
        raise ValueError(f"kernel arguments do not match: {what}")


def _geometry(shape: np.ndarray, dirs: np.ndarray, dpar: np.ndarray) -> int:
    """Check shape / directions / parity rules; return the number of sites."""
    _need(shape.dtype == np.int64 and shape.ndim == 1 and 2 <= shape.size <= 3, "shape must be int64 of length 2 or 3")
    _need(bool(np.all(shape >= 1)), "every side must be >= 1")
    _need(dirs.dtype == np.int64 and dirs.ndim == 2 and dirs.shape[1] == shape.size and dirs.shape[0] % 2 == 0
          and dirs.shape[0] > 0, "dirs must be int64 of shape (2k, dim)")
    _need(dpar.dtype == np.int64 and dpar.shape == (dirs.shape[0],), "dpar must be int64 with one entry per direction")
    return int(np.prod(shape))


def uf_label_sites(occ: np.ndarray, shape: np.ndarray, dirs: np.ndarray, dpar: np.ndarray, periodic: bool):
    """Cluster labels (1..n, 0 empty) of the flat occupied mask ``occ`` of a box ``shape`` (checked)."""
    n = _geometry(shape, dirs, dpar)
    _need(occ.dtype == np.bool_ and occ.ndim == 1 and occ.size == n, f"occ must be a flat boolean array of {n} sites")
    return _uf_label_sites(np.ascontiguousarray(occ), shape, dirs, dpar, bool(periodic))


def uf_label_bonds(bonds: np.ndarray, shape: np.ndarray, dirs: np.ndarray, dpar: np.ndarray, periodic: bool):
    """Cluster labels (1..n) of all sites given open bonds ``bonds[s, k]`` along +offset k (checked)."""
    n = _geometry(shape, dirs, dpar)
    _need(bonds.dtype == np.bool_ and bonds.shape == (n, dirs.shape[0] // 2),
          f"bonds must be boolean of shape ({n}, {dirs.shape[0] // 2})")
    return _uf_label_bonds(np.ascontiguousarray(bonds), shape, dirs, dpar, bool(periodic))


def nz_sites(order: np.ndarray, shape: np.ndarray, dirs: np.ndarray, dpar: np.ndarray, periodic: bool,
             largest: np.ndarray):
    """One Newman-Ziff site sweep in the occupation ``order`` (a permutation of the sites; checked)."""
    n = _geometry(shape, dirs, dpar)
    _need(order.dtype == np.int64 and order.shape == (n,), f"order must be int64 of length {n}")
    _need(n == 0 or (int(order.min()) >= 0 and int(order.max()) < n), "order must hold site indices 0..n-1")
    _need(largest.dtype == np.float64 and largest.shape == (n + 1,), f"largest must be float64 of length {n + 1}")
    return _nz_sites(order, shape, dirs, dpar, bool(periodic), largest)


def nz_bonds(order: np.ndarray, edges: np.ndarray, kinds: np.ndarray, shape: np.ndarray, dirs: np.ndarray,
             periodic: bool, largest: np.ndarray):
    """One Newman-Ziff bond sweep adding the bonds ``edges[order[i]]`` in turn (checked)."""
    n = _geometry(shape, dirs, np.full(dirs.shape[0], -1, dtype=np.int64))
    nb = edges.shape[0] if edges.ndim == 2 else -1
    _need(edges.dtype == np.int64 and edges.ndim == 2 and edges.shape[1] == 2, "edges must be int64 of shape (n_b, 2)")
    _need(nb == 0 or (int(edges.min()) >= 0 and int(edges.max()) < n), "edges must hold site indices 0..n-1")
    _need(kinds.dtype == np.int64 and kinds.shape == (nb,), "kinds must be int64 with one entry per bond")
    _need(nb == 0 or (int(kinds.min()) >= 0 and int(kinds.max()) < dirs.shape[0]), "kinds must index dirs")
    _need(order.dtype == np.int64 and order.shape == (nb,), f"order must be int64 of length {nb}")
    _need(nb == 0 or (int(order.min()) >= 0 and int(order.max()) < nb), "order must hold bond indices")
    _need(largest.dtype == np.float64 and largest.shape == (nb + 1,), f"largest must be float64 of length {nb + 1}")
    return _nz_bonds(order, edges, kinds, shape, dirs, bool(periodic), largest)
