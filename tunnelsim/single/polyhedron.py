"""Multi-well systems on any polyhedron (or graph of wells) in a uniform magnetic field: docs/theory.md sec. 1.5.

N wells at 3D positions r_a, well energies E_a (summing to zero), hoppings t_ab on chosen edges, a
tunneling charge Q = q e and a uniform field B (tesla, any direction). The Peierls phase of the hop
between wells a and b is taken in the symmetric gauge A = B x (r - r0) / 2 about the origin r0 (by
default the centroid of the wells), along the straight segment from r_a to r_b (eq. (1.13))::

    H_ab = t_ab exp(i theta_ab),
    theta_ab = (Q / hbar) int_{r_a}^{r_b} A . dl = pi q B . ((r_a - r0) x (r_b - r0)) / Phi_0,

Phi_0 = h/e. Around any closed loop of wells the phases add up to the Aharonov-Bohm phase
2 pi q B . S / Phi_0 of the loop's vector area S (eq. (1.14)), independent of r0: spectra depend only
on the fluxes through the faces, and moving r0 is a gauge transformation (diagonal unitary). The
sign follows :func:`tunnelsim.three_level`: for wells 1, 2, 3 counter-clockwise about the normal n
(right-hand rule) H12 = D0 e^{+i phi/3} with phi = 2 pi q B S cos(theta) / Phi_0, theta the angle
between B and n. H(-B) = H(B)*, so spectra are even in B; the sign shows in the states only.
"""

from __future__ import annotations

import itertools

import numpy as np
import qutip

from tunnelsim.constants import FLUX_QUANTUM
from tunnelsim.memory import check_memory
from tunnelsim.phases import MAX_WELLS
from tunnelsim.results import SpectrumData, spectrum_of_stack
from tunnelsim.single._checks import hopping, well_energies
from tunnelsim.single.operators import (
    dipole_operators,
    polygon_circumradius,
    projectors,
    resolve_operators,
    ring_positions,
)
from tunnelsim.validation import as_real_array, as_real_scalar, check_bool, check_int

__all__ = ["multiwell", "multiwell_field_spectrum", "multiwell_orientation_average", "peierls_phases", "loop_phase",
           "tetrahedron_positions", "polygon_positions", "sphere_directions", "wells_from_graph"]


def _positions(positions) -> np.ndarray:
    r = as_real_array(positions, "positions", ndim=2)
    if r.shape[1] not in (2, 3) or not 2 <= r.shape[0] <= MAX_WELLS:
        raise ValueError(f"positions must have shape (N, 3) or (N, 2) with 2 <= N <= {MAX_WELLS} wells (m), got "
                         f"{r.shape}")
    r = np.column_stack([r, np.zeros(len(r))]) if r.shape[1] == 2 else r
    from scipy.spatial.distance import pdist

    scale = float(np.max(np.abs(r)))
    if scale == 0.0 or float(np.min(pdist(r))) <= 1e-12 * scale:
        raise ValueError("positions must be distinct points (two wells at one place have no edge between them)")
    return r


def _edges(edges, n: int) -> np.ndarray:
    if edges is None:
        return np.array(list(itertools.combinations(range(n), 2)), dtype=int)
    e = as_real_array(edges, "edges", ndim=2)
    if e.shape[1] != 2 or np.any(e != np.round(e)) or np.any((e < 0) | (e >= n)):
        raise ValueError(f"edges must be pairs (a, b) of well indices 0 <= a, b < {n}, got {e.tolist()[:4]}...")
    e = e.astype(int)
    pairs = {tuple(sorted(p)) for p in e.tolist()}
    if np.any(e[:, 0] == e[:, 1]) or len(pairs) != len(e):
        raise ValueError("edges must join two different wells, each pair once")
    return e


def _vector(value, name: str) -> np.ndarray:
    v = as_real_array(value, name, shape=(3,))
    return v


def _charge(charge) -> float:
    q = as_real_scalar(charge, "charge")
    if q == 0:
        raise ValueError("charge must be non-zero: a neutral particle feels no Aharonov-Bohm phase")
    return q


def _origin(r: np.ndarray, gauge_origin) -> np.ndarray:
    return r.mean(axis=0) if gauge_origin is None else _vector(gauge_origin, "gauge_origin")


def _unit_phases(r, edges, q, r0) -> np.ndarray:
    """theta_e per tesla along x, y, z: shape (n_edges, 3), rad/T (eq. (1.13))."""
    u = r - r0
    return np.pi * q * np.cross(u[edges[:, 0]], u[edges[:, 1]]) / FLUX_QUANTUM


def _finite(phases: np.ndarray) -> np.ndarray:
    """Refuse phases that overflow (huge charge x field x positions)."""
    if not np.all(np.isfinite(phases)):
        raise ValueError("charge, field and positions give a non-finite Peierls phase (their product overflows); "
                         "reduce them")
    return phases


def peierls_phases(positions, field, *, edges=None, charge: float = 1.0, gauge_origin=None) -> np.ndarray:
    """Peierls phases theta_ab of the hops a -> b in the symmetric gauge, rad (docs/theory.md eq. (1.13)).

    Parameters
    ----------
    positions : array_like, shape (N, 3) or (N, 2)
        Well positions in m (a plane z = 0 for (N, 2)).
    field : array_like, shape (3,)
        Magnetic field B in T.
    edges : array_like of int pairs, shape (n_edges, 2), optional
        The hops (wells numbered from 0); default every pair (the complete graph).
    charge : float
        Tunneling charge Q in units of e, non-zero (a negative charge reverses every phase).
    gauge_origin : array_like, shape (3,), optional
        r0 of the gauge A = B x (r - r0) / 2, m; default the centroid of the wells.

    Returns
    -------
    numpy.ndarray, shape (n_edges,)
        theta_ab = pi Q B . ((r_a - r0) x (r_b - r0)) / Phi_0 for each edge (a, b), radians.

    Examples
    --------
    >>> r = polygon_positions(3, 1e-18)
    >>> theta = peierls_phases(r, (0.0, 0.0, 1.0), edges=[(0, 1), (1, 2), (2, 0)])
    >>> bool(np.isclose(theta.sum(), loop_phase(r, [0, 1, 2], (0.0, 0.0, 1.0))))  # eq. (1.14)
    True
    >>> bool(np.allclose(peierls_phases(r, (0.0, 0.0, -1.0)), -peierls_phases(r, (0.0, 0.0, 1.0))))  # odd in B
    True
    """
    r = _positions(positions)
    e = _edges(edges, len(r))
    b = _vector(field, "field")
    with np.errstate(over="ignore", invalid="ignore"):
        return _finite(_unit_phases(r, e, _charge(charge), _origin(r, gauge_origin)) @ b)


def loop_phase(positions, loop, field, *, charge: float = 1.0) -> float:
    """Aharonov-Bohm phase of the closed loop of wells ``loop``: 2 pi Q B . S / Phi_0, rad (eq. (1.14)).

    S = 1/2 sum_k r_k x r_{k+1} is the loop's vector area (m^2; independent of the origin), so the
    phase is the flux through any surface bounded by the loop, in units of Phi_0 / (2 pi).

    Parameters
    ----------
    positions : array_like, shape (N, 3) or (N, 2)
        Well positions in m.
    loop : sequence of int
        Wells visited in order (at least 3, numbered from 0); the loop closes back to the first.
    field : array_like, shape (3,)
        Magnetic field in T.
    charge : float
        Tunneling charge in units of e, non-zero.

    Returns
    -------
    float
        The phase in radians; equal to the sum of :func:`peierls_phases` along the loop in any gauge.

    Examples
    --------
    >>> from tunnelsim.constants import flux_phase
    >>> r = polygon_positions(4, 1e-16)
    >>> print(round(loop_phase(r, [0, 1, 2, 3], (0.0, 0.0, 1.0)), 6), round(flux_phase(1.0, 1e-16), 6))
    0.151927 0.151927
    >>> print(round(loop_phase(r, [0, 1, 2, 3], (1.0, 0.0, 0.0)), 12) + 0.0)  # field in the plane: no flux
    0.0
    """
    r = _positions(positions)
    idx = as_real_array(loop, "loop", ndim=1)
    if idx.size < 3 or np.any(idx != np.round(idx)) or np.any((idx < 0) | (idx >= len(r))):
        raise ValueError(f"loop must list at least 3 well indices 0 <= a < {len(r)}, got {idx.tolist()}")
    p = r[idx.astype(int)]
    area = 0.5 * np.sum(np.cross(p, np.roll(p, -1, axis=0)), axis=0)
    q, b = _charge(charge), _vector(field, "field")
    with np.errstate(over="ignore", invalid="ignore"):
        return float(_finite(np.asarray(2 * np.pi * q * (b @ area) / FLUX_QUANTUM)))


def _setup(positions, energies, hoppings, edges, allow_negative_hopping):
    r = _positions(positions)
    e = well_energies(energies, len(r))
    ed = _edges(edges, len(r))
    t = hopping(hoppings, "hoppings", allow_negative_hopping, ensemble=True)
    t = np.broadcast_to(np.asarray(t, dtype=float), (len(ed),)) if np.ndim(t) == 0 else t
    if t.shape != (len(ed),):
        raise ValueError(f"hoppings must be one number or one per edge ({len(ed)}), got {t.shape[0]}")
    return r, e, ed, t


def _matrices(e, edges, t, phases) -> np.ndarray:
    """H for each row of ``phases`` (shape (M, n_edges)): shape (M, N, N), K."""
    n = len(e)
    h = np.zeros((phases.shape[0], n, n), dtype=complex)
    h[:, np.arange(n), np.arange(n)] = e
    w = t * np.exp(1j * phases)
    h[:, edges[:, 0], edges[:, 1]] = w
    h[:, edges[:, 1], edges[:, 0]] = np.conj(w)
    return h


def multiwell(positions, energies, hoppings, *, edges=None, field=(0.0, 0.0, 0.0), charge: float = 1.0,
              gauge_origin=None, allow_negative_hopping: bool = False) -> qutip.Qobj:
    """Hamiltonian of N wells at given positions, hoppings on chosen edges, in a uniform field (eq. (1.13)).

    H = sum_a E_a |a><a| + sum_{(a,b) in edges} (t_ab e^{i theta_ab} |a><b| + h.c.), theta_ab of
    :func:`peierls_phases`. With the wells of an equilateral triangle counter-clockwise about the field
    this is :func:`tunnelsim.three_level` exactly; with a square and its two diagonals (through the
    centre, hopping d2) it is :func:`tunnelsim.four_level` with ``diagonal="straight"``.

    Parameters
    ----------
    positions : array_like, shape (N, 3) or (N, 2)
        Distinct well positions in m.
    energies : array_like, shape (N,)
        Well energies in K, summing to zero.
    hoppings : float or array_like, shape (n_edges,)
        Hopping t_ab in K on each edge (one value for all), > 0 unless ``allow_negative_hopping``.
    edges : array_like of int pairs, optional
        The edges (a, b), wells numbered from 0; default every pair (the complete graph: for 4 wells the
        tetrahedron, whose ground level with t > 0 is -t, three times, below 3t).
    field : array_like, shape (3,)
        Magnetic field B in T.
    charge : float
        Tunneling charge Q in units of e, non-zero.
    gauge_origin : array_like, shape (3,), optional
        Origin of the symmetric gauge, m (default the centroid): changes the states by a gauge
        transformation, never the spectrum.
    allow_negative_hopping : bool
        Accept hoppings <= 0.

    Returns
    -------
    qutip.Qobj
        N x N Hermitian operator in the well basis, K.

    Examples
    --------
    >>> from tunnelsim.single.three_level import three_level_energies
    >>> from tunnelsim.constants import flux_phase
    >>> S = 1e-18  # m^2
    >>> r = polygon_positions(3, S)
    >>> H = multiwell(r, [0.1, -0.05, -0.05], 1.0, field=(0.0, 0.0, 2.0))
    >>> phi = flux_phase(2.0, S)
    >>> bool(np.allclose(H.eigenenergies(), three_level_energies([0.1, -0.05, -0.05], 1.0, phi)))  # eq. (1.3) limit
    True
    >>> print(np.round(multiwell(tetrahedron_positions(), [0.0] * 4, 1.0).eigenenergies(), 6) + 0.0)  # K4: -t (x3), 3t
    [-1. -1. -1.  3.]
    """
    r, e, ed, t = _setup(positions, energies, hoppings, edges, allow_negative_hopping)
    b = _vector(field, "field")
    check_memory(16.0 * len(r) ** 2, f"a {len(r)}-well Hamiltonian")
    with np.errstate(over="ignore", invalid="ignore"):
        phases = _finite(_unit_phases(r, ed, _charge(charge), _origin(r, gauge_origin)) @ b)
    return qutip.Qobj(_matrices(e, ed, t, phases[None, :])[0])


def multiwell_field_spectrum(positions, energies, hoppings, fields, *, direction=(0.0, 0.0, 1.0), edges=None,
                             charge: float = 1.0, gauge_origin=None, keep_states: bool = False, operators=None,
                             allow_negative_hopping: bool = False) -> SpectrumData:
    """Exact levels of :func:`multiwell` versus the field strength |B| along a fixed direction.

    Batched diagonalisation (:func:`tunnelsim.results.spectrum_of_stack`) of eq. (1.13) at B = |B| n.

    Parameters
    ----------
    positions, energies, hoppings, edges, charge, gauge_origin, allow_negative_hopping
        As in :func:`multiwell` (m, K, K, -, e, m).
    fields : 1-D array_like
        Field strengths |B| in T (a negative value reverses the direction).
    direction : array_like, shape (3,)
        Direction of B (normalised here; not zero).
    keep_states : bool
        Store the eigenvectors (well basis).
    operators : sequence of str or mapping, optional
        "P1" ... "PN" (well projectors), "dipole_x", "dipole_y", "dipole_z" (Q (r_a - centroid), in e m),
        or name -> (N, N) matrix.

    Returns
    -------
    tunnelsim.results.SpectrumData
        Levels in K versus B (parameter "B", unit "T"); the direction in the metadata.

    Examples
    --------
    >>> spec = multiwell_field_spectrum(tetrahedron_positions(), [0.0] * 4, 1.0, [0.0, 1.0])
    >>> print(np.round(spec.energies[0], 6) + 0.0)  # B = 0: -t (three times), 3t
    [-1. -1. -1.  3.]
    >>> bool(np.allclose(spec.energies.sum(axis=1), 0.0))  # traceless at every field
    True
    """
    r, e, ed, t = _setup(positions, energies, hoppings, edges, allow_negative_hopping)
    bs = as_real_array(fields, "fields", ndim=1)
    n = _vector(direction, "direction")
    if not np.linalg.norm(n) > 0:
        raise ValueError("direction must be a non-zero vector")
    n = n / np.linalg.norm(n)
    q = _charge(charge)
    check_memory(16.0 * 3 * bs.size * len(r) ** 2, f"{bs.size} Hamiltonians of {len(r)} wells")
    ops = resolve_operators(operators, {**projectors(len(r)), **dipole_operators(r, q)}, len(r))
    with np.errstate(over="ignore", invalid="ignore"):
        phases = _finite(np.outer(bs, _unit_phases(r, ed, q, _origin(r, gauge_origin)) @ n))
    meta = {"direction": n.tolist(), "charge_e": q, "n_wells": len(r), "n_edges": len(ed)}
    return spectrum_of_stack("B", bs, _matrices(e, ed, t, phases), operators=ops,
                             keep_states=check_bool(keep_states, "keep_states"), unit="T",
                             label=f"{len(r)} wells, {len(ed)} edges, B along ({n[0]:.3g}, {n[1]:.3g}, {n[2]:.3g})",
                             metadata=meta)


def sphere_directions(n: int) -> np.ndarray:
    """n quasi-uniform unit vectors on the sphere (Fibonacci lattice), shape (n, 3).

    The directions of the orientation average of docs/theory.md sec. 1.5 (dimensionless).

    Examples
    --------
    >>> n = sphere_directions(100)
    >>> bool(np.allclose(np.linalg.norm(n, axis=1), 1.0)), bool(np.all(np.abs(n.mean(axis=0)) < 0.02))
    (True, True)
    """
    n = check_int(n, "n", minimum=1, maximum=100_000)
    k = np.arange(n) + 0.5
    z = 1 - 2 * k / n
    phi = np.pi * (1 + np.sqrt(5)) * k
    s = np.sqrt(1 - z * z)
    return np.column_stack([s * np.cos(phi), s * np.sin(phi), z])


def multiwell_orientation_average(positions, energies, hoppings, fields, *, n_directions: int = 64, edges=None,
                                  charge: float = 1.0, allow_negative_hopping: bool = False) -> SpectrumData:
    """Levels versus |B| averaged over field directions (a powder of randomly oriented systems).

    docs/theory.md sec. 1.5, eq. (1.13) averaged over the directions of B; levels in K, |B| in T.

    Each ascending level E_k(|B| n) is averaged over the ``n_directions`` directions of
    :func:`sphere_directions` (equal weights); the spread over directions is kept as
    ``metadata["max_spread_K"]`` (largest max - min of a level).

    Parameters
    ----------
    positions, energies, hoppings, fields, edges, charge, allow_negative_hopping
        As in :func:`multiwell_field_spectrum`.
    n_directions : int
        Number of directions, 1 to 10000.

    Returns
    -------
    tunnelsim.results.SpectrumData
        Orientation-averaged levels in K versus |B| in T.

    Examples
    --------
    >>> avg = multiwell_orientation_average(tetrahedron_positions(), [0.0] * 4, 1.0, [0.0, 1.0], n_directions=8)
    >>> print(np.round(avg.energies[0], 6) + 0.0)  # no field: nothing to average
    [-1. -1. -1.  3.]
    """
    dirs = sphere_directions(check_int(n_directions, "n_directions", minimum=1, maximum=10_000))
    r, e, ed, t = _setup(positions, energies, hoppings, edges, allow_negative_hopping)
    bs = as_real_array(fields, "fields", ndim=1)
    q = _charge(charge)
    check_memory(16.0 * 3 * len(dirs) * bs.size * len(r) ** 2, f"{len(dirs) * bs.size} Hamiltonians of {len(r)} wells")
    with np.errstate(over="ignore", invalid="ignore"):
        per_tesla = _unit_phases(r, ed, q, r.mean(axis=0)) @ dirs.T  # (n_edges, n_directions)
        phases = _finite((bs[None, :, None] * per_tesla.T[:, None, :]).reshape(-1, len(ed)))  # direction-major
    stack = spectrum_of_stack("direction x field", np.arange(len(phases)), _matrices(e, ed, t, phases))
    levels = stack.energies.reshape(len(dirs), bs.size, len(r))
    spread = float(np.max(levels.max(axis=0) - levels.min(axis=0)))
    return SpectrumData("B", bs, levels.mean(axis=0), unit="T",
                        label=f"{len(r)} wells, average over {len(dirs)} field directions",
                        metadata={"n_directions": len(dirs), "max_spread_K": spread, "charge_e": q})


def tetrahedron_positions(edge: float = 1e-9) -> np.ndarray:
    """Vertices of a regular tetrahedron of the given edge length (m), centred at the origin, shape (4, 3).

    The tetrahedron of docs/theory.md sec. 1.5 (K4: levels 3t and -t three times; eq. (1.15) in a field).

    Alternate corners of a cube, (1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1) x edge / (2 sqrt 2): the
    cube axes are the tetrahedron's S4 (two-fold) axes, the body diagonals its C3 axes.

    Examples
    --------
    >>> r = tetrahedron_positions(edge=1.0)
    >>> print(sorted({round(float(np.linalg.norm(a - b)), 9) for i, a in enumerate(r) for b in r[i + 1:]}))
    [1.0]
    >>> print(np.round(r.mean(axis=0), 12) + 0.0)
    [0. 0. 0.]
    """
    a = as_real_scalar(edge, "edge")
    if not a > 0:
        raise ValueError(f"edge must be > 0 (m), got {a:g}")
    return np.array([(1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)], dtype=float) * a / (2 * np.sqrt(2))


def polygon_positions(n: int, area: float) -> np.ndarray:
    """Wells on a regular n-gon of the given area (m^2) in the plane z = 0, counter-clockwise about +z.

    docs/theory.md sec. 1.5: the loop of eq. (1.14) with the vector area S = area along +z.

    Well a at the angle 2 pi a / n; with the field along +z the loop 1 -> 2 -> ... encloses the flux
    B * area, as the loop of :func:`tunnelsim.three_level` (n = 3) and :func:`tunnelsim.four_level` (n = 4).
    Returns shape (n, 3).

    Examples
    --------
    >>> r = polygon_positions(4, 2.0)
    >>> x, y = r[:, 0], r[:, 1]
    >>> print(round(0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)), 9))  # shoelace: area > 0
    2.0
    """
    n = check_int(n, "n", minimum=3, maximum=MAX_WELLS)
    s = as_real_scalar(area, "area")
    if not s > 0:
        raise ValueError(f"area must be > 0 (m^2), got {s:g}")
    return np.column_stack([ring_positions(n, polygon_circumradius(n, s)), np.zeros(n)])


def wells_from_graph(graph) -> dict:
    """The arguments of :func:`multiwell` from a networkx graph with positions.

    docs/theory.md sec. 1.5, eq. (1.13): positions in m, energies and hoppings in K.

    Nodes carry ``pos`` (2 or 3 coordinates, m) and optionally ``energy`` (K, default 0); edges carry
    ``hopping`` (K). Nodes are numbered in the graph's order.

    Returns
    -------
    dict
        ``positions``, ``energies``, ``hoppings``, ``edges`` (and ``nodes``, the node labels in order):
        ``multiwell(**{k: v for k, v in d.items() if k != "nodes"}, field=...)``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.cycle_graph(3)
    >>> r = polygon_positions(3, 1e-18)
    >>> nx.set_node_attributes(g, {i: tuple(r[i]) for i in range(3)}, 'pos')
    >>> nx.set_edge_attributes(g, 1.0, 'hopping')
    >>> args = wells_from_graph(g)
    >>> sorted(args)
    ['edges', 'energies', 'hoppings', 'nodes', 'positions']
    >>> H = multiwell(**{k: v for k, v in args.items() if k != 'nodes'})
    >>> print(np.round(H.eigenenergies(), 6) + 0.0)  # the ring of three wells, E = 0: -D0 (twice), 2 D0
    [-1. -1.  2.]
    """
    if not (hasattr(graph, "nodes") and hasattr(graph, "edges")):
        raise TypeError(f"graph must be a networkx graph, got {type(graph).__name__}")
    nodes = list(graph.nodes)
    index = {v: i for i, v in enumerate(nodes)}
    missing = [v for v in nodes if "pos" not in graph.nodes[v]]
    if missing:
        raise ValueError(f"graph: every node needs a 'pos' attribute (m); missing at {missing[:3]}")
    without = [(a, b) for a, b, d in graph.edges(data=True) if "hopping" not in d]
    if without:
        raise ValueError(f"graph: every edge needs a 'hopping' attribute (K); missing at {without[:3]}")
    pos = [list(graph.nodes[v]["pos"]) for v in nodes]
    if len({len(p) for p in pos}) != 1:
        raise ValueError("graph: every node's 'pos' must have the same number of coordinates (2 or 3)")
    return {"positions": pos, "energies": [graph.nodes[v].get("energy", 0.0) for v in nodes],
            "hoppings": [d["hopping"] for _, _, d in graph.edges(data=True)],
            "edges": [[index[a], index[b]] for a, b in graph.edges()], "nodes": nodes}
