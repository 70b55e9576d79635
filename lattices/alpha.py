"""The exponent alpha of the composition law P(x) = P0 (1 - x) + P1 x^alpha (paper eq. 20; docs/theory.md sec. 4).

Heuristic (the paper): clusters of network-modifier (NM) sites of linear size xi hold ~ xi^D sites and
~ xi^D_s interface sites, so the interface sites per NM site scale as xi^(D_s - D); with
xi ~ |x - x_c|^-nu this is |x - x_c|^alpha with alpha = nu (D - D_s) (:func:`alpha_exponent`).

Direct simulation (docs/fractal_clustering.md sec. 6): NM sites occupy a square or simple-cubic box
with probability x; interface sites are network-former (NF, empty) sites next to NM clusters, defined as

* 'perimeter'          -- every empty nearest neighbour of an NM site (D_s = D, heuristic alpha = 0);
* 'hull'               -- the perimeter sites in the external region of each cluster (dual 8/26
                          connectivity; 2D D_s = 7/4, alpha = 7/36; 3D D_s = D, alpha = 0);
* 'external_perimeter' -- the accessible perimeter (nearest-neighbour connectivity; 2D D_s = 4/3, alpha = 3/4);

counted either for 'all' clusters (distinct sites) or for the 'largest' cluster only, per NM site of the
same clusters.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import ndimage, optimize

from tunnelsim.sweep import run_sweep
from tunnelsim.validation import as_real_array, as_real_scalar, check_choice, check_int, check_positive

from .exponents import Estimate, _entropy
from .geometry import box_shape, lattice_spec
from .labeling import label_sites
from .observables import external_perimeter_sites, hull_sites, largest_cluster, perimeter_sites
from .reference import Reference, reference_exponent, reference_pc

__all__ = ["composition_law", "alpha_exponent", "heuristic_alpha", "interface_sites", "InterfaceTable",
           "simulate_interface", "fit_composition_law", "alpha_direct", "DEFINITIONS", "CLUSTERS"]

DEFINITIONS = ("perimeter", "hull", "external_perimeter")
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
    """
    D = as_real_scalar(D, "D")
    D_s = as_real_scalar(D_s, "D_s")
    nu = float(check_positive(as_real_scalar(nu, "nu"), "nu"))
    check_positive(D, "D")
    check_positive(D_s, "D_s")
    return nu * (D - D_s)


def composition_law(x, p0, p1, alpha):
    """P(x) = P0 (1 - x) + P1 x^alpha (paper eq. 20; docs/theory.md sec. 4): the one home of the law.

    No validation (a kernel for fits and for :func:`tunnelsim.tls_prefactor`, which validates).

    Parameters
    ----------
    x : float or numpy.ndarray
        Network-modifier concentration in [0, 1].
    p0, p1 : float
        Bulk (network-former) and interface prefactors, in the unit of P.
    alpha : float
        The exponent alpha = nu (D - D_s) (:func:`alpha_exponent`).
    """
    return p0 * (1.0 - x) + p1 * np.power(x, alpha)


def heuristic_alpha(dim: int, definition: str = "hull") -> float:
    """The heuristic alpha with literature exponents: nu (D - D_s) for ``definition`` in ``dim`` D.

    2D: hull 7/36, external perimeter 3/4, perimeter 0; 3D: 0 for all (Strenski et al. 1991).
    """
    definition = check_choice(definition, "definition", DEFINITIONS)
    dim = check_int(dim, "dim", minimum=2, maximum=3)
    kind = {"perimeter": "surface", "hull": "hull", "external_perimeter": "external_perimeter"}[definition]
    return alpha_exponent(reference_exponent(dim, "mass").value, reference_exponent(dim, kind).value,
                          reference_exponent(dim, "nu").value)


def _cluster_interface(mask: np.ndarray, definition: str) -> np.ndarray:
    if definition == "perimeter":
        return perimeter_sites(mask)
    if definition == "hull":
        return hull_sites(mask)
    return external_perimeter_sites(mask)


def interface_sites(occupied: np.ndarray, definition: str = "hull", clusters: str = "all") -> np.ndarray:
    """Mask of the NF (empty) interface sites of the NM clusters of ``occupied`` (square / simple cubic, open).

    For clusters='all' the hull (or external perimeter) of every cluster is computed within its own
    bounding box (clusters of fewer than 7 sites enclose nothing: all their perimeter counts) and the
    union is returned, so each site counts once.
    """
    occ = np.asarray(occupied)
    if occ.dtype != bool or occ.ndim not in (2, 3):
        raise ValueError("occupied must be a 2D or 3D boolean array (square or simple_cubic box)")
    definition = check_choice(definition, "definition", DEFINITIONS)
    clusters = check_choice(clusters, "clusters", CLUSTERS)
    labels, n = label_sites(occ, "square" if occ.ndim == 2 else "simple_cubic")
    if clusters == "largest":
        return _cluster_interface(largest_cluster(labels), definition)
    if definition == "perimeter":
        return perimeter_sites(occ)
    sizes = np.bincount(labels.ravel())
    small = (sizes < _SMALL)[labels] & occ
    out = perimeter_sites(small)
    for i, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None or sizes[i] < _SMALL:
            continue
        lo = [max(s.start - 1, 0) for s in sl]
        hi = [min(s.stop + 1, dim) for s, dim in zip(sl, occ.shape)]
        box = tuple(slice(a, b) for a, b in zip(lo, hi))
        out[box] |= _cluster_interface(labels[box] == i, definition)
    return out & ~occ


@dataclass
class InterfaceTable:
    """NM-site and interface-site counts per box, against the NM concentration x.

    ``raw[key]`` has shape (len(x), samples) with key 'nm_all', 'nm_largest' or f'{definition}_{clusters}';
    ``n_sites`` is the number of sites per box.
    """

    lattice: str
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


def _interface_chunk(lattice: str, size: int, x: float, samples: int, entropy: int, chunk: int) -> dict:
    rng = np.random.default_rng([chunk, int(round(x * 1e6)), entropy])
    shape = box_shape(lattice, size)
    rows: dict[str, list[float]] = {}
    for _ in range(samples):
        occ = rng.random(shape) < x
        labels, _ = label_sites(occ, lattice)
        big = largest_cluster(labels)
        vals = {"nm_all": occ.sum(), "nm_largest": big.sum()}
        for d in DEFINITIONS:
            vals[f"{d}_all"] = interface_sites(occ, d, "all").sum()
            vals[f"{d}_largest"] = _cluster_interface(big, d).sum()
        for k, v in vals.items():
            rows.setdefault(k, []).append(float(v))
    return rows


def simulate_interface(lattice: str = "square", x_values=None, size: int | None = None,
                       samples: int | None = None, seed: int | None = None, executor: Executor | None = None,
                       progress: bool = True, cache: str | os.PathLike | None = None) -> InterfaceTable:
    """Direct simulation of NM/NF interface sites against the NM concentration x (open boxes).

    Parameters
    ----------
    lattice : {'square', 'simple_cubic'}
    x_values : sequence of float in (0, 1), optional
        Default: 12 values from 0.05 to just below x_c.
    size : int, optional
        Box side (default 256 in 2D, 48 in 3D).
    samples : int, optional
        Boxes per x (default 8).
    """
    spec = lattice_spec(lattice)
    if spec.name not in ("square", "simple_cubic"):
        raise ValueError(f"lattice must be 'square' or 'simple_cubic' for interface sites, got {spec.name!r}")
    xc = reference_pc(spec.name).value
    if x_values is None:
        x_values = np.round(np.concatenate([np.linspace(0.05, xc - 0.12, 6), xc - np.geomspace(0.1, 0.02, 6)]), 4)
    x = as_real_array(x_values, "x_values", ndim=1)
    if np.any((x <= 0) | (x >= 1)):
        raise ValueError(f"x_values must lie in (0, 1), got {x[(x <= 0) | (x >= 1)][0]:g}")
    size = (256 if spec.dim == 2 else 48) if size is None else check_int(size, "size", minimum=8)
    samples = 8 if samples is None else check_int(samples, "samples", minimum=2)
    entropy = _entropy(seed)
    points = [dict(lattice=spec.name, size=size, x=float(xi), samples=samples, entropy=entropy, chunk=0) for xi in x]
    path = None if cache is None else Path(cache) / f"interface_{spec.name}_{size}_{samples}_{entropy}.jsonl"
    rows = run_sweep(_interface_chunk, points, path, executor=executor, progress=progress,
                     desc=f"interface sites {spec.name}")
    raw = {k: np.array([r["result"][k] for r in rows]) for k in rows[0]["result"]}
    return InterfaceTable(spec.name, size, x, raw, int(np.prod(box_shape(spec.name, size))), samples)


def fit_composition_law(x, P, sigma=None) -> dict:
    """Fit P(x) = P0 (1 - x) + P1 x^alpha (paper eq. 20) by weighted least squares (P0, P1 >= 0).

    Returns a dict with P0, P1, alpha, their standard errors (P0_err, ...), the covariance, the reduced
    chi^2 (``chi2_red``, NaN without ``sigma``) and the fitted ``model``.
    """
    x = as_real_array(x, "x", ndim=1)
    P = as_real_array(P, "P", shape=(x.size,))
    if x.size < 4:
        raise ValueError(f"x must hold at least 4 points to fit P0, P1 and alpha, got {x.size}")
    sigma = None if sigma is None else np.maximum(as_real_array(sigma, "sigma", shape=(x.size,)), 1e-12)

    law = composition_law
    p0_guess = max(float(P[np.argmin(x)]), 0.0)
    prm, cov = optimize.curve_fit(law, x, P, p0=[p0_guess, float(np.max(P)), 1.0], sigma=sigma,
                                  absolute_sigma=sigma is not None,
                                  bounds=([0, 0, 0], [np.inf, np.inf, 10]), maxfev=20000)
    err = np.sqrt(np.diag(cov))
    resid = (P - law(x, *prm)) / (1.0 if sigma is None else sigma)
    chi2_red = float(np.sum(resid**2) / max(x.size - 3, 1)) if sigma is not None else float("nan")
    return {"P0": prm[0], "P1": prm[1], "alpha": prm[2], "P0_err": err[0], "P1_err": err[1],
            "alpha_err": err[2], "cov": cov, "chi2_red": chi2_red,
            "model": lambda xx: law(np.asarray(xx, dtype=float), *prm)}


def alpha_direct(lattice: str = "square", definition: str = "hull", clusters: str = "largest",
                 table: InterfaceTable | None = None, near: float = 0.15, normalise: str = "nm",
                 **simulate_kwargs) -> Estimate:
    """Fitted alpha: interface sites per NM site r(x) ~ (x_c - x)^alpha for x_c - near <= x < x_c.

    The slope of ln r against ln(x_c - x) over the simulated x (docs/theory.md sec. 4: r ~ xi^(D_s - D)).
    With normalise='perimeter' the interface sites are divided by all perimeter sites of the same
    clusters instead of by their NM sites: since the perimeter scales like the mass this keeps the
    singular part xi^(D_s - D) and removes the smooth (analytic) x dependence of the local
    neighbourhood that dominates the NM-site ratio away from x_c.
    Stat error from the weighted fit; systematic error = change of the slope over the closer half of
    the points. The reference is the heuristic nu (D - D_s) with literature exponents.
    """
    spec = lattice_spec(lattice)
    definition = check_choice(definition, "definition", DEFINITIONS)
    clusters = check_choice(clusters, "clusters", CLUSTERS)
    normalise = check_choice(normalise, "normalise", ("nm", "perimeter"))
    if table is None:
        table = simulate_interface(spec.name, **simulate_kwargs)
    xc = reference_pc(spec.name).value
    if normalise == "perimeter":
        r, e = table.ratio(f"{definition}_{clusters}", f"perimeter_{clusters}")
    else:
        r, e = table.per_nm_site(definition, clusters)
    sel = (table.x < xc) & (table.x >= xc - near) & np.isfinite(r) & (r > 0)
    if sel.sum() < 3:
        raise ValueError(f"x_values must hold at least 3 concentrations in [x_c - {near}, x_c) to fit alpha")
    dx, rr, ee = xc - table.x[sel], r[sel], e[sel]
    from .exponents import power_law_fit

    prm, cov = power_law_fit(dx, rr, np.maximum(ee, 1e-12 * rr))
    order = np.argsort(dx)
    half = order[: max(3, (len(order) + 1) // 2)]
    prm_near, _ = power_law_fit(dx[half], rr[half], np.maximum(ee[half], 1e-12 * rr[half]))
    value = float(prm[1])

    def model(xx, p=prm):
        return np.exp(p[0] + p[1] * np.log(np.asarray(xx, dtype=float)))

    heur = heuristic_alpha(spec.dim, definition)
    return Estimate(f"alpha ({definition}, {clusters}, per {normalise})", value, float(np.sqrt(cov[1, 1])),
                    abs(value - float(prm_near[1])), Reference(heur, 0.0, "heuristic nu (D - D_s), exact exponents"),
                    data={"x": dx, "y": rr, "yerr": ee, "xlabel": "x_c - x",
                          "ylabel": f"{definition} sites per {'NM' if normalise == 'nm' else 'perimeter'} site "
                                    f"({clusters})", "table": table},
                    fit={"params": prm, "cov": cov, "model": model, "near_half": prm_near})
