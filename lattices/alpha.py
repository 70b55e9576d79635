"""The exponent alpha of the composition law P(x) = P0 (1 - x) + P1 x^alpha (paper eq. 20; docs/theory.md sec. 4).

Heuristic (the paper): clusters of network-modifier (NM) sites of linear size xi hold ~ xi^D sites and
~ xi^D_s interface sites, so the interface sites per NM site scale as xi^(D_s - D); with
xi ~ |x - x_c|^-nu this is |x - x_c|^alpha with alpha = nu (D - D_s) (:func:`alpha_exponent`).

Direct simulation (docs/fractal_clustering.md sec. 6): NM sites occupy a square or simple-cubic box
with probability x; interface sites are network-former (NF, empty) sites next to NM clusters, by every
registered interface observable of :mod:`lattices.observables` (:func:`interface_definitions`):

* 'perimeter'          -- every empty nearest neighbour of an NM site (D_s = D, heuristic alpha = 0);
* 'hull'               -- the perimeter sites in the external region of each cluster (dual 8/26
                          connectivity; 2D D_s = 7/4, alpha = 7/36; 3D D_s = D, alpha = 0);
* 'external_perimeter' -- the accessible perimeter (nearest-neighbour connectivity; 2D D_s = 4/3, alpha = 3/4);

counted either for 'all' clusters (distinct sites) or for the 'largest' cluster only, per NM site of the
same clusters. This module is the one home of alpha = nu (D - D_s); the composition law itself and its fit are
glass response and live in :mod:`tunnelsim.response.composition` (``tunnelsim.tls_prefactor``,
``tunnelsim.fit_tls_prefactor``).
"""

from __future__ import annotations

import os
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from tunnelsim.stats import Reference, power_law_fit, seed_entropy
from tunnelsim.sweep import run_sweep
from tunnelsim.validation import (
    as_real_array,
    as_real_scalar,
    check_choice,
    check_int,
    check_positive,
)

from ._checks import (
    BYTES_BOX,
    cache_dir,
    cache_file,
    check_box_memory,
    check_executor,
    check_progress,
    check_samples,
)
from .exponents import Estimate
from .geometry import Lattice, as_lattice
from .labeling import label_sites
from .observables import (
    SiteObservable,
    checked_mask,
    get_site_observable,
    interface_definitions,
    largest_cluster,
    perimeter_sites,
)
from .reference import reference_exponent

__all__ = ["alpha_exponent", "heuristic_alpha", "interface_sites", "InterfaceTable", "simulate_interface",
           "alpha_direct", "CLUSTERS"]

CLUSTERS = ("all", "largest")
_SMALL = 7  # a nearest-neighbour cluster needs >= 7 sites to enclose an empty site


def alpha_exponent(D: float, D_s: float, nu: float) -> float:
    """alpha = nu (D - D_s) (docs/theory.md sec. 4; paper, text after eq. 20).

    Parameters
    ----------
    D : float
        Fractal (mass) dimension of the clusters.
    D_s : float
        Fractal dimension of the part of their surface where the 2LS form.
    nu : float
        Correlation-length exponent (> 0).

    Returns
    -------
    float
        alpha (dimensionless): the interface sites per NM site scale as |x - x_c|^alpha.

    Examples
    --------
    >>> print(round(alpha_exponent(91 / 48, 7 / 4, 4 / 3), 6), round(7 / 36, 6))  # 2D hull: (4/3)(91/48 - 7/4) = 7/36
    0.194444 0.194444
    """
    D = as_real_scalar(D, "D")
    D_s = as_real_scalar(D_s, "D_s")
    nu = float(check_positive(as_real_scalar(nu, "nu"), "nu"))
    check_positive(D, "D")
    check_positive(D_s, "D_s")
    return nu * (D - D_s)


def _interface(definition: str) -> SiteObservable:
    obs = get_site_observable(definition, "definition")
    if not obs.interface:
        raise ValueError(f"definition must be one of {', '.join(map(repr, interface_definitions()))}; "
                         f"got {definition!r} (not an interface observable)")
    return obs


def heuristic_alpha(dim: int, definition: str = "hull") -> float:
    """The heuristic alpha = nu (D - D_s) with literature exponents (docs/theory.md sec. 4).

    Parameters
    ----------
    dim : int
        2 or 3.
    definition : str
        A registered interface observable (:func:`lattices.observables.interface_definitions`) whose
        literature dimension D_s is known.

    Returns
    -------
    float
        2D: hull 7/36, external perimeter 3/4, perimeter 0; 3D: 0 for all (Strenski et al. 1991).

    Examples
    --------
    >>> print(round(heuristic_alpha(2, 'hull'), 6), round(4 / 3 * (91 / 48 - 7 / 4), 6))  # exact 2D exponents
    0.194444 0.194444
    """
    obs = _interface(definition)
    dim = check_int(dim, "dim", minimum=2, maximum=3)
    if obs.exponent is None:
        raise ValueError(f"definition {definition!r} has no literature dimension in lattices.reference.EXPONENTS")
    return alpha_exponent(reference_exponent(dim, "mass").value, reference_exponent(dim, obs.exponent).value,
                          reference_exponent(dim, "nu").value)


def interface_sites(occupied: np.ndarray, definition: str = "hull", clusters: str = "all",
                    lattice: str | Lattice | None = None) -> np.ndarray:
    """Mask of the NF (empty) interface sites of the NM clusters of ``occupied`` (open box; docs sec. 6).

    For clusters='all' the interface of every cluster is computed within its own bounding box (clusters
    of fewer than 7 sites enclose nothing: all their perimeter counts; a local observable such as the
    perimeter is computed at once) and the union is returned, so each site counts once.

    Parameters
    ----------
    occupied : array of bool
        NM sites (2D or 3D).
    definition : str
        A registered interface observable ('perimeter', 'hull', 'external_perimeter').
    clusters : {'all', 'largest'}
    lattice : str or Lattice, optional
        Default square (2D) or simple cubic (3D); non-local definitions need one of these.

    Returns
    -------
    numpy.ndarray of bool
        The interface sites (never NM sites).

    Examples
    --------
    >>> occupied = np.zeros((5, 5), dtype=bool); occupied[2, 2] = True  # one NM site in an open box
    >>> print(int(interface_sites(occupied, 'perimeter').sum()))  # its four square-lattice neighbours
    4
    """
    occ, lat = checked_mask(occupied, lattice, name="occupied")
    obs = _interface(definition)
    clusters = check_choice(clusters, "clusters", CLUSTERS)
    if not (lat.hypercubic or obs.local):
        raise ValueError(f"lattice must be square or simple_cubic for definition={definition!r}, got {lat.name!r}")
    labels, _ = label_sites(occ, lat)
    if clusters == "largest":
        return obs.sites(largest_cluster(labels), lat)
    return _union_interface(occ, labels, obs, lat)


def _union_interface(occ: np.ndarray, labels: np.ndarray, obs: SiteObservable, lat: Lattice) -> np.ndarray:
    """Union over the clusters ``labels`` of ``obs``, each non-local one in the cluster's bounding box."""
    if obs.local:
        return obs.sites(occ, lat)
    sizes = np.bincount(labels.ravel())
    small = (sizes < _SMALL)[labels] & occ
    out = perimeter_sites(small, lat)
    for i, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None or sizes[i] < _SMALL:
            continue
        lo = [max(s.start - 1, 0) for s in sl]
        hi = [min(s.stop + 1, dim) for s, dim in zip(sl, occ.shape)]
        box = tuple(slice(a, b) for a, b in zip(lo, hi))
        out[box] |= obs.sites(labels[box] == i, lat)
    return out & ~occ


@dataclass
class InterfaceTable:
    """NM-site and interface-site counts per box, against the NM concentration x.

    The data of the direct alpha (docs/fractal_clustering.md sec. 6): counts in sites per L^d box; x dimensionless.

    ``raw[key]`` has shape (len(x), samples) with key 'nm_all', 'nm_largest' or f'{definition}_{clusters}'
    for every interface definition; ``n_sites`` is the number of sites per box, ``size`` its side
    (lattice units).
    """

    lattice: Lattice
    size: int
    x: np.ndarray
    raw: dict
    n_sites: int
    samples: int

    def ratio(self, num: str, den: str) -> tuple[np.ndarray, np.ndarray]:
        """Ratio of the sample means of ``raw[num]`` and ``raw[den]`` with its jackknife standard error."""
        a, b = np.asarray(self.raw[num], dtype=float), np.asarray(self.raw[den], dtype=float)
        n = a.shape[1]
        with np.errstate(divide="ignore", invalid="ignore"):
            r = a.mean(axis=1) / b.mean(axis=1)
            jack = (a.sum(axis=1, keepdims=True) - a) / (b.sum(axis=1, keepdims=True) - b)
            err = np.sqrt((n - 1) / n * np.sum((jack - jack.mean(axis=1, keepdims=True)) ** 2, axis=1))
        return r, err

    def per_nm_site(self, definition: str, clusters: str) -> tuple[np.ndarray, np.ndarray]:
        """Interface sites per NM site of the same clusters, and its standard error."""
        return self.ratio(f"{definition}_{clusters}", f"nm_{clusters}")

    def per_site(self, definition: str, clusters: str) -> tuple[np.ndarray, np.ndarray]:
        """Interface sites per lattice site (the density that enters P(x)) and its standard error."""
        a = np.asarray(self.raw[f"{definition}_{clusters}"], dtype=float)
        return a.mean(axis=1) / self.n_sites, a.std(axis=1, ddof=1) / np.sqrt(a.shape[1]) / self.n_sites


def _interface_chunk(lattice: dict, size: int, x: float, samples: int, entropy: int, chunk: int) -> dict:
    """Counts of NM and interface sites in ``samples`` boxes at concentration x; module level for executors."""
    lat = Lattice.from_dict(lattice)
    rng = np.random.default_rng([chunk, int(round(x * 1e6)), entropy])
    shape = lat.box_shape(size)
    rows: dict[str, list[float]] = {}
    for _ in range(samples):
        occ = rng.random(shape) < x
        labels, _ = label_sites(occ, lat)
        big = largest_cluster(labels)
        vals = {"nm_all": occ.sum(), "nm_largest": big.sum()}
        for d in interface_definitions():
            obs = get_site_observable(d)
            vals[f"{d}_all"] = _union_interface(occ, labels, obs, lat).sum()
            vals[f"{d}_largest"] = obs.sites(big, lat).sum()
        for k, v in vals.items():
            rows.setdefault(k, []).append(float(v))
    return rows


def _x_values(x_values, xc: float) -> np.ndarray:
    if x_values is None:
        x_values = np.round(np.concatenate([np.linspace(0.05, xc - 0.12, 6), xc - np.geomspace(0.1, 0.02, 6)]), 4)
    x = as_real_array(x_values, "x_values", ndim=1)
    if np.any((x <= 0) | (x >= 1)):
        raise ValueError(f"x_values must lie in (0, 1), got {x[(x <= 0) | (x >= 1)][0]:g}")
    return x


def simulate_interface(lattice: str | Lattice = "square", x_values=None, size: int | None = None,
                       samples: int | None = None, seed: int | np.random.Generator | None = None,
                       executor: Executor | None = None, progress: bool | None = None,
                       cache: str | os.PathLike | None = None) -> InterfaceTable:
    """Direct simulation of NM/NF interface sites against the NM concentration x (open boxes; docs sec. 6).

    Every box is occupied by NM sites with probability x; the NM sites and the interface sites of every
    registered interface definition are counted for all clusters and for the largest one.

    Parameters
    ----------
    lattice : str or Lattice
        Square or simple cubic.
    x_values : sequence of float in (0, 1), optional
        NM concentrations. Default: 12 values from 0.05 to x_c - 0.02.
    size : int, optional
        Box side in lattice units (default 256 in 2D, 48 in 3D).
    samples : int, optional
        Boxes per x (2..10^7; default 8).
    seed : int, numpy.random.Generator or None
    executor, progress, cache
        Passed on to :func:`tunnelsim.sweep.run_sweep` (progress None: a bar only on a terminal;
        cache: a folder).

    Returns
    -------
    InterfaceTable

    Raises
    ------
    ValueError, TypeError
        Bad arguments, named, before any box is drawn (a box above 2^31 - 1 sites, > 10^7 samples).
    tunnelsim.memory.MemoryBudgetError
        When one box (about 80 bytes per site) would exceed the memory budget.
    """
    lat = as_lattice(lattice)
    if not lat.hypercubic:
        raise ValueError(f"lattice must be 'square' or 'simple_cubic' for interface sites, got {lat.name!r}")
    x = _x_values(x_values, lat.threshold("site").value)
    size = (256 if lat.dim == 2 else 48) if size is None else check_int(size, "size", minimum=8)
    samples = 8 if samples is None else check_samples(samples, minimum=2)
    entropy = seed_entropy(seed)
    executor, progress, folder = check_executor(executor), check_progress(progress), cache_dir(cache)
    check_box_memory(int(np.prod(lat.box_shape(size))), BYTES_BOX, f"simulate_interface's {lat.name} box")
    points = [dict(lattice=lat.to_dict(), size=size, x=float(xi), samples=samples, entropy=entropy, chunk=0)
              for xi in x]
    path = cache_file(folder, f"interface_{lat.name}_{size}_{samples}_{entropy}")
    rows = run_sweep(_interface_chunk, points, path, executor=executor, progress=progress,
                     desc=f"interface sites {lat.name}")
    raw = {k: np.array([r["result"][k] for r in rows]) for k in rows[0]["result"]}
    return InterfaceTable(lat, size, x, raw, int(np.prod(lat.box_shape(size))), samples)


def _alpha_data(table: InterfaceTable, definition: str, clusters: str, normalise: str, xc: float, near: float
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x_c - x, ratio r, its error) for x_c - near <= x < x_c."""
    if normalise == "perimeter":
        r, e = table.ratio(f"{definition}_{clusters}", f"perimeter_{clusters}")
    else:
        r, e = table.per_nm_site(definition, clusters)
    sel = (table.x < xc) & (table.x >= xc - near) & np.isfinite(r) & (r > 0)
    if sel.sum() < 3:
        raise ValueError(f"fewer than 3 concentrations (x_values) lie in [x_c - near, x_c) with near = {near:g}, "
                         f"x_c = {xc:g}: widen near or simulate more x_values there")
    return xc - table.x[sel], r[sel], e[sel]


def alpha_direct(lattice: str | Lattice = "square", definition: str = "hull", clusters: str = "largest",
                 table: InterfaceTable | None = None, near: float = 0.15, normalise: str = "nm",
                 **simulate_kwargs) -> Estimate:
    """Fitted alpha: interface sites per NM site r(x) ~ (x_c - x)^alpha for x_c - near <= x < x_c.

    The slope of ln r against ln(x_c - x) over the simulated x (docs/theory.md sec. 4: r ~ xi^(D_s - D),
    xi ~ (x_c - x)^-nu; docs/fractal_clustering.md sec. 6). With normalise='perimeter' the interface
    sites are divided by all perimeter sites of the same clusters instead of by their NM sites: since the
    perimeter scales like the mass this keeps the singular part xi^(D_s - D) and removes the smooth
    (analytic) x dependence of the local neighbourhood that dominates the NM-site ratio away from x_c.
    Stat error from the weighted fit; systematic error = change of the slope over the closer half of
    the points. The reference is the heuristic nu (D - D_s) with literature exponents.

    Parameters
    ----------
    lattice : str or Lattice
        Square or simple cubic (its literature x_c = site p_c is used).
    definition : str
        A registered interface observable.
    clusters : {'all', 'largest'}
    table : InterfaceTable, optional
        Simulated counts (default: :func:`simulate_interface` with ``simulate_kwargs``).
    near : float
        Width of the fitted concentration window below x_c (> 0).
    normalise : {'nm', 'perimeter'}

    Returns
    -------
    Estimate
        alpha (dimensionless), ``data`` x = x_c - x, y = r.
    """
    lat = as_lattice(lattice)
    obs = _interface(definition)
    clusters = check_choice(clusters, "clusters", CLUSTERS)
    normalise = check_choice(normalise, "normalise", ("nm", "perimeter"))
    near = float(check_positive(as_real_scalar(near, "near"), "near"))
    if table is None:
        table = simulate_interface(lat, **simulate_kwargs)
    elif not isinstance(table, InterfaceTable):
        raise TypeError(f"table must be an InterfaceTable (simulate_interface) or None, got {type(table).__name__}")
    elif simulate_kwargs:
        raise TypeError(f"pass either table or simulate_interface arguments, not both (got {sorted(simulate_kwargs)})")
    elif table.lattice != lat:
        raise ValueError(f"table was simulated on the {table.lattice.name} lattice, not on {lat.name!r} (lattice)")
    dx, rr, ee = _alpha_data(table, obs.name, clusters, normalise, lat.threshold("site").value, near)
    prm, cov = power_law_fit(dx, rr, np.maximum(ee, 1e-12 * rr))
    order = np.argsort(dx)
    half = order[: max(3, (len(order) + 1) // 2)]
    prm_near, _ = power_law_fit(dx[half], rr[half], np.maximum(ee[half], 1e-12 * rr[half]))
    value = float(prm[1])

    def model(xx, p=prm):
        return np.exp(p[0] + p[1] * np.log(np.asarray(xx, dtype=float)))

    heur = heuristic_alpha(lat.dim, obs.name)
    return Estimate(f"alpha ({obs.name}, {clusters}, per {normalise})", value, float(np.sqrt(cov[1, 1])),
                    abs(value - float(prm_near[1])), Reference(heur, 0.0, "heuristic nu (D - D_s), exact exponents"),
                    data={"x": dx, "y": rr, "yerr": ee, "xlabel": "x_c - x",
                          "ylabel": f"{obs.name} sites per {'NM' if normalise == 'nm' else 'perimeter'} site "
                                    f"({clusters})", "table": table},
                    fit={"params": prm, "cov": cov, "model": model, "near_half": prm_near})
