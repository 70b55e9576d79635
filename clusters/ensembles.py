"""Ensembles of interacting clusters of STM particles and their exact effective parameters (docs/cluster_ensembles.md).

Does a cluster of N interacting particles, each drawn from the STM's P(Delta, Delta0) = Pbar / Delta0
(paper eq. 2), tunnel like one STM particle? Each cluster is built as follows (:func:`sample_cluster`):

* particles at the points of a Poisson process of dimensionless density rho = n r0^3 (lengths in units
  of the coupling length r0), optionally with a hard core; the cluster is the N nearest neighbours of a
  random centre;
* each particle has Delta_i uniform in [-Delta_max, Delta_max] and Delta0_i log-uniform in
  [Delta0_min, Delta0_max] (K);
* elastic or electric dipolar couplings J_ij = J0 [a_i . a_j - 3 (a_i . r^)(a_j . r^)] / (r_ij / r0)^3
  (:func:`clusters.dipolar_couplings`) with a common axis or random axes a_i; the particle's dipole is
  p a_i (p = 1: dipoles in units of the elementary p, Debye or e x length).

Per cluster, exactly (:func:`cluster_quantities`): the lowest levels (K), the lowest gap E = E1 - E0,
the transition dipole of the lowest pair (:mod:`clusters.dipoles`, eq. D.2) and the resonant weight

    u = |2 mu_01| / sqrt(|2 mu_01|^2 + |mu_00 - mu_11|^2)                                       (E.1)

(u = Delta0 / E for one 2LS; the dielectric RES / REL weights are u^2 and 1 - u^2), and the coherent
doublet (Delta_eff, Delta0_eff) of :func:`clusters.coherent_doublet` where the coherent states are the
low doublet (flagged otherwise). :func:`run_ensemble` evaluates blocks of clusters through
:func:`tunnelsim.sweep.run_sweep` on any executor (resumable, progress bar); every block has its own
seed spawned from (seed, N, block), so a seeded ensemble is the same on every executor.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from tunnelsim.memory import check_memory
from tunnelsim.stats import seed_entropy
from tunnelsim.validation import as_real_array, as_real_scalar, check_bool, check_choice, check_int, check_positive

from ._threads import single_blas_thread
from .coherent import MAX_SHELL_N_TWO_LEVEL, coherent_doublet
from .couplings import dipolar_couplings
from .dipoles import RESOLUTION, dipole_diagonal
from .kept import reuse_kept_memory
from .models import TwoLevelCluster

__all__ = ["EnsembleSpec", "SampledCluster", "Ensemble", "sample_cluster", "cluster_quantities", "ensemble_block",
           "run_ensemble", "MAX_ENSEMBLE_N"]

#: Largest cluster of an ensemble (full 2^N space; the coherent doublet up to N = 14).
MAX_ENSEMBLE_N = 20
#: Most clusters in one sweep point (a block is one JSON line of the resumable file).
MAX_BLOCK = 100_000


@dataclass(frozen=True)
class EnsembleSpec:
    """The cluster ensemble: N, density, couplings and the STM box of one-particle parameters.

    Attributes
    ----------
    n : int
        Particles per cluster, 1 <= N <= ``MAX_ENSEMBLE_N``.
    density : float
        Dimensionless density rho = n r0^3 (> 0).
    j0 : float
        Coupling J0 at r = r0 in K (any sign; 0: independent particles).
    delta_max : float
        Delta_i uniform in [-delta_max, delta_max] (K, >= 0).
    d0_min, d0_max : float
        Delta0_i log-uniform in [d0_min, d0_max] (K, 0 < d0_min <= d0_max).
    axes : {"common", "random"}
        Dipole directions: all along z, or independent isotropic directions.
    hard_core : float
        Minimum distance between particles in units of r0 (>= 0).
    """

    n: int
    density: float = 1.0
    j0: float = 1.0
    delta_max: float = 1.0
    d0_min: float = 1e-3
    d0_max: float = 1.0
    axes: str = "common"
    hard_core: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "n", check_int(self.n, "n", minimum=1, maximum=MAX_ENSEMBLE_N))
        for name in ("density", "d0_min", "d0_max"):
            object.__setattr__(self, name, float(check_positive(as_real_scalar(getattr(self, name), name), name)))
        for name in ("delta_max", "hard_core"):
            value = as_real_scalar(getattr(self, name), name)
            object.__setattr__(self, name, float(check_positive(value, name, strict=False)))
        object.__setattr__(self, "j0", as_real_scalar(self.j0, "j0"))
        object.__setattr__(self, "axes", check_choice(self.axes, "axes", ("common", "random")))
        if self.d0_min > self.d0_max:
            raise ValueError(f"d0_min = {self.d0_min:g} K must not exceed d0_max = {self.d0_max:g} K")
        if self.hard_core > 0 and self.density * self.hard_core**3 > 0.5:
            raise ValueError(f"hard_core = {self.hard_core:g} r0 is too large for density = {self.density:g} "
                             "(rho d^3 > 0.5 cannot be packed by random sequential addition)")


@dataclass(frozen=True)
class SampledCluster:
    """One sampled cluster: the model, its positions (units of r0) and dipole directions."""

    cluster: TwoLevelCluster
    positions: np.ndarray
    axes: np.ndarray


def _positions(spec: EnsembleSpec, rng: np.random.Generator) -> np.ndarray:
    """The N nearest Poisson points (density rho, hard core) to a random centre at the origin (units of r0)."""
    n = spec.n
    radius = (3.0 * (2 * n + 20) / (4.0 * math.pi * spec.density)) ** (1.0 / 3.0)
    while True:
        count = rng.poisson(spec.density * 4.0 / 3.0 * math.pi * radius**3)
        if count >= n:
            break
        radius *= 1.5
    direction = rng.normal(size=(count, 3))
    radii = radius * rng.random(count) ** (1 / 3)
    pts = direction / np.linalg.norm(direction, axis=1, keepdims=True) * radii[:, None]
    if spec.hard_core > 0:  # random sequential addition: drop points too close to an earlier one
        keep: list[int] = []
        for i in range(count):
            if not keep or np.min(np.linalg.norm(pts[keep] - pts[i], axis=1)) >= spec.hard_core:
                keep.append(i)
        pts = pts[keep]
        if len(pts) < n:
            return _positions(spec, rng)
    order = np.argsort(np.linalg.norm(pts, axis=1))
    return pts[order[:n]]


def sample_cluster(spec: EnsembleSpec, seed=None) -> SampledCluster:
    """Draw one cluster of ``spec`` (module docstring); ``seed``: int, None or a Generator (advanced).

    Parameters
    ----------
    spec : EnsembleSpec
    seed : int, None or numpy.random.Generator

    Returns
    -------
    SampledCluster
        Couplings in K, positions in units of r0, unit dipole directions.

    Examples
    --------
    >>> import numpy as np
    >>> from clusters import EnsembleSpec, dipolar_couplings, sample_cluster
    >>> s = sample_cluster(EnsembleSpec(n=3, j0=0.5, delta_max=1.0), seed=1)   # common axis z
    >>> c = s.cluster
    >>> bool(np.allclose(c.couplings, dipolar_couplings(s.positions, 0.5))), bool(np.all(abs(c.asymmetries) <= 1.0))
    (True, True)
    """
    if not isinstance(spec, EnsembleSpec):
        raise TypeError(f"spec must be an EnsembleSpec, got {type(spec).__name__}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed_entropy(seed))
    pos = _positions(spec, rng)
    n = spec.n
    delta = rng.uniform(-spec.delta_max, spec.delta_max, n)
    d0 = np.exp(rng.uniform(math.log(spec.d0_min), math.log(spec.d0_max), n))
    if spec.axes == "random":
        axes = rng.normal(size=(n, 3))
        axes /= np.linalg.norm(axes, axis=1, keepdims=True)
    else:
        axes = np.tile([0.0, 0.0, 1.0], (n, 1))
    j = dipolar_couplings(pos, spec.j0, axes=axes) if n > 1 else np.zeros((1, 1))
    return SampledCluster(TwoLevelCluster(delta, d0, j), pos, axes)


def _dipole_elements(v: np.ndarray, dipoles: np.ndarray, n: int):
    d_state = dipole_diagonal(n, dipoles)  # <s|D|s>, D = sum_i p_i sigma^z_i / 2
    mu = [[(v[:, a] * v[:, b]) @ d_state for b in range(2)] for a in range(2)]
    return np.asarray(mu[0][1]), np.asarray(mu[0][0]) - np.asarray(mu[1][1])


def cluster_quantities(sampled: SampledCluster, levels: int = 6) -> dict:
    """Exact per-cluster quantities (module docstring; energies in K, dipoles in units of p).

    Parameters
    ----------
    sampled : SampledCluster
    levels : int
        Number of lowest levels kept (2 <= levels; at most 2^N).

    Returns
    -------
    dict
        "levels" (E_k - E0, K), "gap" (K), "resolved" (gap above 1e3 float64 roundoffs of the levels),
        "p_eff" (2 |mu_01|) and "u" (eq. E.1; None where unresolved), "coherent" (the coherent states
        are the low doublet), "delta_eff", "log10_d0_eff" (None where not coherent), "weight" (min
        weight of |L..L>, |R..R> in the two lowest states).

    Examples
    --------
    >>> import numpy as np
    >>> from clusters import EnsembleSpec, cluster_quantities, sample_cluster
    >>> s = sample_cluster(EnsembleSpec(n=2, j0=0.0), seed=1)    # uncoupled: the lowest pair is the softest particle
    >>> q, c = cluster_quantities(s, levels=4), s.cluster
    >>> E = np.hypot(c.asymmetries, c.tunnelings); k = int(np.argmin(E))
    >>> round(q["gap"], 9) == round(float(E[k]), 9), round(q["u"], 9) == round(float(c.tunnelings[k] / E[k]), 9)
    (True, True)
    """
    if not isinstance(sampled, SampledCluster):
        raise TypeError(f"sampled must be a SampledCluster, got {type(sampled).__name__}")
    levels = check_int(levels, "levels", minimum=2, maximum=64)
    cl = sampled.cluster
    k = min(levels, 2**cl.n)
    e, states = cl.eigenstates(k)
    v = np.real(states)
    gap = float(e[1] - e[0])
    resolved = gap > RESOLUTION * max(1.0, float(np.max(np.abs(e))))
    mu01, diff = _dipole_elements(v, sampled.axes, cl.n)
    p_eff, dd = 2 * float(np.linalg.norm(mu01)), float(np.linalg.norm(diff))
    weight = float(min(v[0, i] ** 2 + v[-1, i] ** 2 for i in range(2)))
    out = {"levels": (e - e[0]).tolist(), "gap": gap, "resolved": bool(resolved),
           "p_eff": p_eff if resolved else None, "u": p_eff / math.hypot(p_eff, dd) if resolved and p_eff + dd > 0
           else None, "coherent": False, "delta_eff": None, "log10_d0_eff": None, "weight": weight}
    if cl.n == 1:  # one particle is its own coherent doublet
        out.update(coherent=True, delta_eff=float(cl.asymmetries[0]),
                   log10_d0_eff=math.log10(cl.tunnelings[0]) if cl.tunnelings[0] > 0 else None)
    elif weight > 0.5 and cl.n <= MAX_SHELL_N_TWO_LEVEL:
        d = coherent_doublet(cl, warn=False)  # flagged, never warned: the ensemble records it
        if d.model_space_is_low_energy and math.isfinite(d.log10_tunneling):
            out.update(coherent=True, delta_eff=d.asymmetry, log10_d0_eff=d.log10_tunneling)
    return out


def _block_rng(seed: int, n: int, block: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(n, block)))


def ensemble_block(n: int, density: float, j0: float, delta_max: float, d0_min: float, d0_max: float, axes: str,
                   hard_core: float, seed: int, block: int, size: int, levels: int) -> dict:
    """``size`` clusters of one block (the unit of :func:`run_ensemble`'s sweep); lists of per-cluster values."""
    spec = EnsembleSpec(n, density, j0, delta_max, d0_min, d0_max, axes, hard_core)
    rng = _block_rng(check_int(seed, "seed", minimum=0), n, check_int(block, "block", minimum=0))
    size = check_int(size, "size", minimum=1, maximum=MAX_BLOCK)
    # many small problems: the parallelism is the executor's (docs/cluster_ensembles.md); one solve's kept Lanczos
    # vectors' memory serves the next (clusters.kept)
    with single_blas_thread(), reuse_kept_memory():
        rows = [cluster_quantities(sample_cluster(spec, rng), levels) for _ in range(size)]
    return {key: [r[key] for r in rows] for key in rows[0]}


@dataclass
class Ensemble:
    """Per-cluster results of :func:`run_ensemble` (arrays of length M, masked where a value is undefined).

    Attributes
    ----------
    spec : EnsembleSpec
    levels : numpy.ma.MaskedArray, shape (M, k)
        E_k - E0 (K; masked where 2^N < k).
    gap, weight : ndarray, shape (M,)
        K; min weight of the coherent states in the lowest pair.
    p_eff, u : numpy.ma.MaskedArray, shape (M,)
        Units of p; eq. E.1 (masked where the gap is unresolved).
    delta_eff, log10_d0_eff : numpy.ma.MaskedArray, shape (M,)
        K; log10 K (masked where the coherent states are not the low doublet).
    coherent, resolved : ndarray of bool, shape (M,)
    """

    spec: EnsembleSpec
    levels: np.ndarray
    gap: np.ndarray
    p_eff: np.ndarray
    u: np.ndarray
    coherent: np.ndarray
    resolved: np.ndarray
    delta_eff: np.ndarray
    log10_d0_eff: np.ndarray
    weight: np.ndarray
    seed: int = 0
    extra: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return self.gap.size

    def __repr__(self) -> str:
        s = self.spec
        return (f"Ensemble(N = {s.n}, {len(self)} clusters, {int(np.sum(self.coherent))} coherent (Delta0_eff "
                f"defined), {self.levels.shape[1]} levels kept; density {s.density:g}, j0 {s.j0:g} K, "
                f"Delta_max {s.delta_max:g} K, Delta0 in [{s.d0_min:g}, {s.d0_max:g}] K, axes {s.axes}, seed "
                f"{self.seed})")

    def __eq__(self, other: object) -> bool:
        """Value equality: the same spec, seed and per-cluster values (masks included, NaN equal to NaN)."""
        if not isinstance(other, Ensemble):
            return NotImplemented
        if (self.spec, self.seed, self.extra) != (other.spec, other.seed, other.extra):
            return False
        names = ("levels", "gap", "p_eff", "u", "coherent", "resolved", "delta_eff", "log10_d0_eff", "weight")
        return all(_same_array(getattr(self, n), getattr(other, n)) for n in names)

    __hash__ = None  # mutable, compared by value

    def heat_capacity(self, T, *, per_cluster: bool = False) -> np.ndarray:
        """Heat capacity from every kept level, C = (<E^2> - <E>^2) / T^2 per cluster (k_B = 1; docs/theory.md
        sec. 5, the Schottky sum over the levels), averaged over the clusters.

        Only the lowest ``levels`` of run_ensemble are kept, so C is a truncated sum: a RuntimeWarning says
        from which temperature the highest kept level E_max is populated by more than 1e-3 (exp(-E_max/T) >
        1e-3) in some truncated cluster, where C may be too low; keep more levels there.

        Parameters
        ----------
        T : array_like
            Temperatures in K (> 0).
        per_cluster : bool
            Return one row per cluster, shape (M, nT), instead of the mean.

        Returns
        -------
        numpy.ndarray
            Mean heat capacity per cluster (units of k_B), shape (nT,) (or (M, nT)).
        """
        t = np.atleast_1d(check_positive(as_real_array(T, "T"), "T")).astype(float)
        per_cluster = check_bool(per_cluster, "per_cluster")
        e = np.ma.filled(self.levels.astype(float), np.nan)  # E_k - E0 >= 0, NaN where not kept / not there
        kept = np.isfinite(e)
        x = np.where(kept[:, :, None], e[:, :, None], np.inf) / t[None, None, :]
        w = np.exp(-x)
        z = w.sum(axis=1)
        e0 = np.where(kept, e, 0.0)[:, :, None]
        m1 = (w * e0).sum(axis=1) / z
        m2 = (w * e0**2).sum(axis=1) / z
        c = (m2 - m1**2) / t[None, :] ** 2
        truncated = kept.sum(axis=1) < 2 ** min(self.spec.n, 62)
        if np.any(truncated):
            e_max = np.nanmax(np.where(kept, e, np.nan)[truncated], axis=1)
            bad = t[np.exp(-np.min(e_max) / t) > 1e-3]
            if bad.size:
                warnings.warn(f"Ensemble.heat_capacity: only {self.levels.shape[1]} levels were kept; above T = "
                              f"{bad.min():.3g} K the highest kept level (E_max = {np.min(e_max):.3g} K in some "
                              f"cluster) holds more than 1e-3 of the weight, so C is too low there; run_ensemble "
                              f"with more levels", RuntimeWarning, stacklevel=2)
        return c if per_cluster else c.mean(axis=0)

    def to_xarray(self):
        """An xarray Dataset: per-cluster variables on dim ``cluster`` (levels on ``cluster`` x ``level``), NaN
        where a value is undefined, the spec and seed as attributes."""
        try:
            import xarray as xr
        except ImportError as exc:  # pragma: no cover - xarray is a data dependency
            raise ImportError("Ensemble.to_xarray needs xarray: pip install 'tunnelsim[data]'") from exc

        def arr(a):
            return np.ma.filled(np.ma.asarray(a, dtype=float), np.nan) if np.ma.isMaskedArray(a) else np.asarray(a)

        data = {"levels": (("cluster", "level"), arr(self.levels), {"units": "K", "long_name": "E_k - E_0"}),
                "gap": ("cluster", arr(self.gap), {"units": "K"}), "p_eff": ("cluster", arr(self.p_eff)),
                "u": ("cluster", arr(self.u)), "coherent": ("cluster", arr(self.coherent)),
                "resolved": ("cluster", arr(self.resolved)), "delta_eff": ("cluster", arr(self.delta_eff),
                                                                            {"units": "K"}),
                "log10_d0_eff": ("cluster", arr(self.log10_d0_eff)), "weight": ("cluster", arr(self.weight))}
        return xr.Dataset(data, coords={"cluster": np.arange(len(self)), "level": np.arange(self.levels.shape[1])},
                          attrs={"spec": json.dumps(asdict(self.spec)), "seed": int(self.seed)})

    def table(self) -> tuple[list[str], list[list]]:
        """Header and rows of the per-cluster CSV table (K, units of p)."""
        header = ["gap_K", "p_eff", "u", "coherent", "resolved", "delta_eff_K", "log10_d0_eff", "weight"]
        cols = [self.gap, self.p_eff, self.u, self.coherent, self.resolved, self.delta_eff, self.log10_d0_eff,
                self.weight]
        return header, [["" if np.ma.is_masked(c[i]) else c[i].item() for c in cols] for i in range(len(self))]


def _same_array(a, b) -> bool:
    ma, mb = np.ma.getmaskarray(a), np.ma.getmaskarray(b)
    fa, fb = np.ma.getdata(a), np.ma.getdata(b)
    return fa.shape == fb.shape and bool(np.array_equal(ma, mb)) and bool(
        np.array_equal(np.where(ma, 0, fa), np.where(mb, 0, fb), equal_nan=fa.dtype.kind == "f"))


def _array(values) -> np.ma.MaskedArray:
    return np.ma.masked_invalid(np.array([np.nan if x is None else x for x in values], dtype=float))


_NUMBER_KEYS, _OPTIONAL_KEYS, _FLAG_KEYS = ("gap", "weight"), ("p_eff", "u", "delta_eff", "log10_d0_eff"), \
    ("coherent", "resolved")
#: Bytes per cluster value while a block is read back and assembled (a JSON number, a Python float, a list slot).
_BYTES_PER_VALUE = 64


def _block_check(size: int, k: int):
    """A check for one stored block of :func:`ensemble_block` (a result of the wrong shape is a damaged record)."""

    def number(x, optional=False) -> bool:
        return (optional and x is None) or (isinstance(x, (int, float)) and not isinstance(x, bool))

    def check(result) -> None:
        if not isinstance(result, dict):
            raise TypeError(f"a block must be a dict, got {type(result).__name__}")
        for key in ("levels", *_NUMBER_KEYS, *_OPTIONAL_KEYS, *_FLAG_KEYS):
            values = result.get(key)
            if not isinstance(values, list) or len(values) != size:
                raise ValueError(f"block entry {key!r} must be a list of {size} values")
        for key in _NUMBER_KEYS + _OPTIONAL_KEYS:
            if not all(number(x, key in _OPTIONAL_KEYS) for x in result[key]):
                raise ValueError(f"block entry {key!r} must hold numbers")
        if not all(isinstance(x, bool) for key in _FLAG_KEYS for x in result[key]):
            raise ValueError("block flags must be booleans")
        if not all(isinstance(row, list) and len(row) == k and all(number(x) for x in row)
                   for row in result["levels"]):
            raise ValueError(f"block levels must be lists of {k} numbers")

    return check


def _check_ensemble_size(spec: EnsembleSpec, clusters: int, blocks: int, block_size: int, levels: int) -> None:
    """Estimate the memory of the points and of the read-back results before building anything."""
    values = blocks * block_size * (levels + 10)
    check_memory(values * _BYTES_PER_VALUE + blocks * 2048.0,
                 f"an ensemble of {clusters} clusters at N = {spec.n} ({blocks} sweep points of {block_size})",
                 hint="use fewer clusters, or several runs into separate files")


def run_ensemble(spec: EnsembleSpec, clusters: int, path: str | os.PathLike | None = None, *, seed=0,
                 executor=None, progress: bool | None = None, block_size: int = 100, levels: int = 6) -> Ensemble:
    """Exact quantities of ``clusters`` sampled clusters of ``spec``, block by block through run_sweep.

    Parameters
    ----------
    spec : EnsembleSpec
    clusters : int
        Number of clusters (>= 1; rounded up to whole blocks).
    path : path-like, optional
        JSON-lines file of the blocks (resumable: finished blocks are read back, not recomputed).
    seed : int or None
        Base seed (:func:`tunnelsim.stats.seed_entropy`); block b draws from SeedSequence(seed, (N, b)),
        so the ensemble does not depend on the executor.
    executor : concurrent.futures.Executor, optional
        Any executor: a process pool, or ``distributed.Client(...).get_executor()`` for a dask cluster.
    progress : bool or None
        Progress bar (None: only on a terminal).
    block_size : int
        Clusters per sweep point (1 <= block_size <= ``MAX_BLOCK``).
    levels : int
        Lowest levels kept per cluster.

    Returns
    -------
    Ensemble

    Examples
    --------
    >>> import numpy as np
    >>> from clusters import EnsembleSpec, run_ensemble
    >>> a = run_ensemble(EnsembleSpec(n=1), 4, seed=3, block_size=2, progress=False)   # N = 1: single STM particles
    >>> b = run_ensemble(EnsembleSpec(n=1), 4, seed=3, block_size=2, progress=False)
    >>> a.gap.shape, bool(np.array_equal(a.gap, b.gap))
    ((4,), True)
    >>> bool(np.allclose(np.hypot(a.delta_eff, 10**a.log10_d0_eff), a.gap))   # the doublet is the particle itself
    True
    """
    from tunnelsim.sweep import run_sweep  # imported here: `import clusters` stays light

    if not isinstance(spec, EnsembleSpec):
        raise TypeError(f"spec must be an EnsembleSpec, got {type(spec).__name__}")
    clusters = check_int(clusters, "clusters", minimum=1, maximum=10**8)
    block_size = check_int(block_size, "block_size", minimum=1, maximum=MAX_BLOCK)
    levels = check_int(levels, "levels", minimum=2, maximum=64)
    progress = progress if progress is None else check_bool(progress, "progress")
    base = seed_entropy(seed) % 2**63
    blocks = -(-clusters // block_size)
    _check_ensemble_size(spec, clusters, blocks, block_size, levels)
    params = asdict(spec)
    points = ({**params, "seed": base, "block": b, "size": block_size, "levels": levels} for b in range(blocks))
    rows = run_sweep(ensemble_block, points, Path(path) if path is not None else None, executor=executor,
                     progress=progress, desc=f"ensemble N = {spec.n}",
                     check=_block_check(block_size, min(levels, 2**spec.n)))
    rows.sort(key=lambda r: r["params"]["block"])
    res = {key: [x for r in rows for x in r["result"][key]] for key in rows[0]["result"]}
    k = min(levels, 2**spec.n)
    lev = np.full((len(res["gap"]), levels), np.nan)
    lev[:, :k] = np.array(res["levels"], dtype=float)
    return _warn_if_sparse(Ensemble(spec=spec, levels=np.ma.masked_invalid(lev), gap=np.array(res["gap"], dtype=float),
                    p_eff=_array(res["p_eff"]), u=_array(res["u"]),
                    coherent=np.array(res["coherent"], dtype=bool), resolved=np.array(res["resolved"], dtype=bool),
                    delta_eff=_array(res["delta_eff"]), log10_d0_eff=_array(res["log10_d0_eff"]),
                    weight=np.array(res["weight"], dtype=float), seed=base))


def _warn_if_sparse(ens: Ensemble) -> Ensemble:
    """Warn when few clusters have a coherent doublet: the Delta0_eff distribution is then nearly empty."""
    n_coh = int(np.sum(ens.coherent))
    if 1 < ens.spec.n <= MAX_SHELL_N_TWO_LEVEL and len(ens) >= 20 and n_coh < max(10, 0.02 * len(ens)):
        warnings.warn(f"run_ensemble: only {n_coh} of {len(ens)} clusters at N = {ens.spec.n} have a coherent "
                      f"doublet as their lowest pair, so Delta_eff / Delta0_eff (log10_d0_eff) are nearly empty; "
                      f"their distribution is not meaningful (stronger coupling or smaller N gives more)",
                      RuntimeWarning, stacklevel=3)
    return ens
