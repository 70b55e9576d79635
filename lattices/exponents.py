"""Estimators of p_c, fractal dimensions and nu with honest error bars (docs/fractal_clustering.md sec. 5).

Every estimator returns an :class:`Estimate`: ``value``, ``stderr`` (statistical and finite-size
systematic parts added in quadrature, both also given separately), the raw ``data``, the ``fit`` and
a ``plot()`` method.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor

import numpy as np

from tunnelsim.memory import check_memory
from tunnelsim.stats import line_fit, power_law_fit, seed_entropy
from tunnelsim.sweep import run_sweep
from tunnelsim.validation import as_real_scalar, check_bool, check_choice, check_int, check_probability

from ._checks import (
    BYTES_BOX,
    cache_dir,
    cache_file,
    check_boot,
    check_box_memory,
    check_executor,
    check_progress,
    check_samples,
)
from .estimate import Estimate
from .geometry import Lattice, as_lattice
from .labeling import label_sites
from .newman_ziff import NZResult, newman_ziff, sweep_bytes
from .observables import get_site_observable, largest_cluster, mass_radius
from .reference import WRAPPING_SQUARE, reference_exponent

__all__ = ["Estimate", "percolation_threshold", "fractal_dimension", "correlation_length_exponent"]


def _check_sizes(sizes, name: str = "sizes", minimum: int = 3, smallest: int = 4) -> list[int]:
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
        raise TypeError(f"{name} must be a sequence of integers >= {smallest}, got {type(sizes).__name__}")
    try:
        sizes = [check_int(s, name, minimum=smallest) for s in sizes]
    except TypeError as exc:
        raise TypeError(f"{name} must be a sequence of integers >= {smallest}") from exc
    sizes = sorted(set(sizes))
    if len(sizes) < minimum:
        raise ValueError(f"{name} must hold at least {minimum} distinct sizes (each >= {smallest}) "
                         f"to fit an exponent, got {sizes}")
    return sizes


def _sweep_kw(executor, progress, cache) -> dict:
    """The executor / progress / cache arguments, checked (cache: a folder)."""
    return dict(executor=check_executor(executor), progress=check_progress(progress), cache=cache_dir(cache))


# ---------------------------------------------------------------- percolation threshold


def _crossing(f, lo: float, hi: float, guess: float, n: int = 121) -> float:
    """Root of f in [lo, hi]: the sign change on a grid nearest to ``guess``, refined by brentq."""
    grid = np.linspace(lo, hi, n)
    vals = np.asarray(f(grid), dtype=float)  # f takes an array of p
    change = np.flatnonzero((np.sign(vals[:-1]) * np.sign(vals[1:]) < 0) & (vals[:-1] != 0))
    if change.size == 0:
        return float("nan")
    from scipy import optimize  # here: `import lattices` stays free of scipy.optimize

    i = change[np.argmin(np.abs(grid[change] - guess))]
    return float(optimize.brentq(f, grid[i], grid[i + 1], xtol=1e-10))


def _wrapping_sweeps(lat: Lattice, kind: str, sizes: list[int], samples: int, entropy: int, stride: int,
                     first: int, nz_kw: dict) -> dict[int, NZResult]:
    """Newman-Ziff sweeps of periodic boxes, the i-th size seeded with entropy + stride * (i + first).

    The boxes are checked (size ceiling, memory of the largest) before the first sweep.
    """
    shape = [lat.box_shape(L, True) for L in sizes][-1]
    check_memory(sweep_bytes(lat, shape, kind, False, min(samples, 10)),
                 f"Newman-Ziff sweeps of a {'x'.join(map(str, shape))} {lat.name} box (size)", hint="reduce size")
    results = {}
    for i, L in enumerate(sizes):
        results[L] = newman_ziff(lat, L, samples, seed=(entropy + stride * (i + first)) % (2**63), kind=kind,
                                 periodic=True, **nz_kw)
    return results


def _bracket(result: NZResult) -> tuple[float, float, float]:
    """(lo, hi, guess): where the largest box goes from R = 0.02 to 0.98, and where R = 1/2.

    Only the data are used, never the literature value.
    """
    pp = np.linspace(1e-6, 1 - 1e-6, 1001)
    r = result.probability(pp, "either")
    inside = np.flatnonzero((r > 0.02) & (r < 0.98))
    if inside.size == 0:  # a step narrower than the grid (huge boxes)
        inside = np.array([int(np.argmin(np.abs(r - 0.5)))])
    lo, hi = float(pp[max(inside[0] - 1, 0)]), float(pp[min(inside[-1] + 1, pp.size - 1)])
    return lo, hi, float(pp[np.argmin(np.abs(r - 0.5))])


def _p_star(results: dict[int, NZResult], L: int, method: str, bracket: tuple, boot: dict | None = None) -> float:
    """p*(L): R_L(p*) = universal R (method 'universal') or R_L(p*) = R_{L/2}(p*) ('crossing')."""
    s1 = None if boot is None else boot[L]
    if method == "universal":
        target = WRAPPING_SQUARE["either"]
        return _crossing(lambda p: results[L].probability(p, "either", s1) - target, *bracket)
    s0 = None if boot is None else boot[L // 2]
    return _crossing(lambda p: results[L].probability(p, "either", s1)
                     - results[L // 2].probability(p, "either", s0), *bracket)


def _p_star_boot(results: dict[int, NZResult], sizes: list[int], method: str, bracket: tuple, n_boot: int,
                 entropy: int) -> tuple[dict[int, float], np.ndarray]:
    """p*(L) per size and the bootstrap values of p* at the largest size (resamples without a crossing dropped).

    ValueError (naming samples) when the data show no crossing.
    """
    size = sizes[-1]
    pstar = {L: _p_star(results, L, method, bracket) for L in (sizes if method == "universal" else sizes[1:])}
    if not all(np.isfinite(v) for v in pstar.values()):
        raise ValueError(f"the wrapping probabilities of sizes {sizes} show no crossing ({method}): increase samples "
                         f"(got {results[size].samples}) or size")
    rng = np.random.default_rng(entropy)
    boots = np.array([_p_star(results, size, method, bracket,
                              {L: rng.integers(0, results[L].samples, results[L].samples) for L in sizes})
                      for _ in range(n_boot)])
    boots = boots[np.isfinite(boots)]
    if boots.size < 2:
        raise ValueError(f"fewer than 2 of the n_boot = {n_boot} bootstrap resamples show a crossing: increase "
                         "samples or n_boot")
    return pstar, boots


def _threshold_method(lat: Lattice, method: str) -> str:
    method = check_choice(method, "method", ("auto", "universal", "crossing"))
    square = lat.hypercubic and lat.dim == 2
    if method == "universal" and not square:
        raise ValueError("method='universal' needs the square lattice (the universal R is for the square torus)")
    return ("universal" if square else "crossing") if method == "auto" else method


def percolation_threshold(lattice: str | Lattice = "square", size: int | None = None, samples: int | None = None,
                          seed: int | np.random.Generator | None = None, kind: str = "site", method: str = "auto",
                          executor: Executor | None = None, progress: bool | None = None,
                          cache: str | os.PathLike | None = None, n_boot: int = 60) -> Estimate:
    """Percolation threshold p_c (a probability) from Newman-Ziff wrapping probabilities on periodic L^d boxes.

    Methods (docs/fractal_clustering.md sec. 5.1; docs/theory.md sec. 4):

    * ``'universal'`` (square lattice, site or bond): p*(L) solves R_either(p) = 0.690473725, the exact
      universal value at p_c on the square torus (Newman and Ziff 2001, eq. 4); p* - p_c ~ L^(-2-1/nu).
    * ``'crossing'`` (any lattice): p*(L) solves R_L(p) = R_{L/2}(p).

    The estimate is p* at the largest size; the statistical error is a bootstrap over samples, the
    systematic error is |p*(L) - p*(L/2)| (the size dependence, an overestimate of the remaining bias).

    Parameters
    ----------
    lattice : str or Lattice
    size : int, optional
        Largest side L in lattice units (sizes L/4, L/2, L are simulated). Default 128 in 2D, 32 in 3D.
    samples : int, optional
        Sweeps per size. Default 1000 in 2D, 400 in 3D.
    seed : int, numpy.random.Generator or None
        :func:`tunnelsim.stats.seed_entropy` convention.
    kind : {'site', 'bond'}
    method : {'auto', 'universal', 'crossing'}
        'auto' = 'universal' for the square lattice, 'crossing' otherwise.
    executor, progress, cache
        Passed on to :func:`lattices.newman_ziff.newman_ziff` (progress None: a bar only on a terminal;
        cache: a folder).
    n_boot : int
        Bootstrap resamples (2..10^5).

    Returns
    -------
    Estimate
        ``data['curves']`` holds R_either(p) per size, ``data['p_star']`` p*(L).

    Raises
    ------
    ValueError, TypeError
        Bad arguments, named, before any sweep (boxes above 2^31 - 1 sites, more than 10^7 samples).
    tunnelsim.memory.MemoryBudgetError
        When the sweeps of the largest box would exceed the memory budget.

    Examples
    --------
    >>> est = percolation_threshold('square', size=16, samples=100, seed=1, progress=False)  # vs Jacobsen 2015:
    >>> print(round(est.reference.value, 4), abs(est.value - est.reference.value) < 3 * est.stderr)
    0.5927 True
    """
    lat = as_lattice(lattice)
    kind = check_choice(kind, "kind", ("site", "bond"))
    method = _threshold_method(lat, method)
    size = (128 if lat.dim == 2 else 32) if size is None else check_int(size, "size", minimum=16)
    if lat.parity_dependent and size % 8:
        raise ValueError(f"size must be a multiple of 8 for the {lat.name} lattice (sizes L/4 even), got {size}")
    samples = (1000 if lat.dim == 2 else 400) if samples is None else check_samples(samples, minimum=20)
    n_boot = check_boot(n_boot)
    entropy = seed_entropy(seed)
    sizes = [size // 4, size // 2, size]
    results = _wrapping_sweeps(lat, kind, sizes, samples, entropy, 7919, 0, _sweep_kw(executor, progress, cache))
    bracket = _bracket(results[size])
    pstar, boots = _p_star_boot(results, sizes, method, bracket, n_boot, entropy)
    pp = np.linspace(bracket[0], bracket[1], 201)
    curves = {L: (pp, results[L].probability(pp, "either")) for L in sizes}
    target = WRAPPING_SQUARE["either"] if method == "universal" else None
    return Estimate(f"p_c ({lat.name}, {kind})", pstar[size], float(np.std(boots, ddof=1)),
                    abs(pstar[size] - pstar[size // 2]), lat.pc_site if kind == "site" else lat.pc_bond,
                    data={"curves": curves, "p_star": pstar, "bootstrap": boots, "sizes": sizes, "samples": samples},
                    fit={"method": method, "which": "either", "target": target})


# ---------------------------------------------------------------- fractal dimension


def _fss_chunk(lattice: dict, size: int, kind: str, p: float, samples: int, entropy: int, chunk: int,
               periodic: bool) -> list[float]:
    """X of the largest cluster in ``samples`` boxes; module level for executors."""
    lat = Lattice.from_dict(lattice)
    obs = get_site_observable(kind)
    rng = np.random.default_rng([chunk, size, entropy])
    shape = lat.box_shape(size, periodic)
    out = []
    for _ in range(samples):
        occ = rng.random(shape) < p
        labels, _ = label_sites(occ, lat, periodic)
        out.append(int(obs.sites(largest_cluster(labels), lat).sum()))
    return out


#: correction-to-scaling exponents used in the fits: open boxes are dominated by boundary corrections
#: ~ 1/L; periodic boxes by the bulk omega (3/2 in 2D, Ziff PRE 83, 020107 (2011); ~1.6 in 3D, Wang et al.)
_OMEGA = {(2, False): 1.0, (3, False): 1.0, (2, True): 1.5, (3, True): 1.6}


def _fss_measure(lat: Lattice, kind: str, sizes: list[int], samples: int, p: float, periodic: bool,
                 entropy: int, sweep_kw: dict) -> dict:
    """Mean X(L) and its standard error per size, from 4 chunks of boxes per size."""
    per = [samples // 4 + (1 if i < samples % 4 else 0) for i in range(4)]
    points = [dict(lattice=lat.to_dict(), size=L, kind=kind, p=p, samples=k, entropy=entropy, chunk=i,
                   periodic=periodic) for L in sizes for i, k in enumerate(per) if k > 0]
    path = cache_file(sweep_kw.pop("cache"), f"fss_{lat.name}_{kind}_{int(periodic)}")
    rows = run_sweep(_fss_chunk, points, path, desc=f"fractal dimension {kind} {lat.name}", **sweep_kw)
    vals: dict[int, list[float]] = {L: [] for L in sizes}
    for r in rows:
        vals[r["params"]["size"]].extend(r["result"])
    y = np.array([np.mean(vals[L]) for L in sizes])
    if np.any(y <= 0):
        raise ValueError(f"the {kind} of the largest cluster vanished at some size; increase sizes or p")
    e = np.array([np.std(vals[L], ddof=1) / np.sqrt(len(vals[L])) for L in sizes])
    return {"x": np.array(sizes, dtype=float), "y": y, "yerr": e, "values": vals}


def _fss_fit(x: np.ndarray, y: np.ndarray, e: np.ndarray, omega: float) -> tuple[float, float, float, dict]:
    """ln X = c + D ln L (+ b L^-omega): value, stat, sys (vs pure power laws) and the fit details."""
    params, cov = power_law_fit(x, y, e, omega=omega if len(x) >= 4 else None)
    p_plain, _ = power_law_fit(x[-3:], y[-3:], e[-3:])
    p_all, _ = power_law_fit(x, y, e)
    value = float(params[1])
    sys_ = max(abs(value - float(p_plain[1])), abs(value - float(p_all[1])))
    if len(x) < 4:  # no correction term: the drift of the slope towards the two largest sizes instead
        sys_ = abs(value - float(power_law_fit(x[-2:], y[-2:], e[-2:])[0][1]))

    def model(xx, prm=params):
        xx = np.asarray(xx, dtype=float)
        out = prm[0] + prm[1] * np.log(xx)
        if len(prm) > 2:
            out = out + prm[2] * xx ** (-omega)
        return np.exp(out)

    return value, float(np.sqrt(cov[1, 1])), sys_, {"params": params, "cov": cov, "plain_top3": p_plain,
                                                    "plain_all": p_all, "omega": omega, "model": model}


def fractal_dimension(lattice: str | Lattice = "square", kind: str = "mass", sizes=None, samples: int | None = None,
                      seed: int | np.random.Generator | None = None, p: float | None = None,
                      periodic: bool | None = None, executor: Executor | None = None, progress: bool | None = None,
                      cache: str | os.PathLike | None = None) -> Estimate:
    """Fractal dimension by finite-size scaling at p_c: X(L) ~ L^D_X (1 + b L^-omega) (docs/theory.md sec. 4).

    X is a registered site observable (:data:`lattices.observables.SITE_OBSERVABLES`) of the largest
    cluster of an L^d box at p = p_c: its mass (D; periodic box by default, which avoids the strong
    surface corrections of open boxes), its 'hull' (2D: 7/4), its 'external_perimeter' (2D: 4/3) or its
    'perimeter' / 'surface' (D) -- interface observables in open boxes (the hull needs an outside).
    The value is the fit with the correction term (omega = 1 for open boxes, 3/2 (2D) or 1.6 (3D) for
    periodic ones); the systematic error is the largest difference from a pure power law (through the
    three largest sizes, or through all sizes; with only three sizes, the slope through the two largest);
    docs/fractal_clustering.md sec. 5.2. For kind='mass' the mass-radius relation of the finite clusters
    is reported in ``data['mass_radius_D']``.

    Parameters
    ----------
    lattice : str or Lattice
        Any lattice for 'mass' and 'perimeter'; square or simple cubic for 'hull', 'external_perimeter'.
    kind : str
        A registered observable name ('mass', 'perimeter' or 'surface', 'hull', 'external_perimeter').
    sizes : sequence of int, optional
        At least 3 sides L >= 4 (lattice units). Default 2D: 16..512 (doubling); 3D: 8..64.
    samples : int, optional
        Boxes per size (2..10^7; default 1000 in 2D, 500 in 3D).
    seed : int, numpy.random.Generator or None
    p : float, optional
        Occupation probability (default: the lattice's literature site p_c).
    periodic : bool, optional
        Default True for 'mass', False (required) for the interface observables.
    executor, progress, cache
        Passed on to :func:`tunnelsim.sweep.run_sweep` (progress None: a bar only on a terminal;
        cache: a folder).

    Returns
    -------
    Estimate
        D_X with ``data`` x = L, y = mean X(L), yerr.

    Raises
    ------
    ValueError, TypeError
        Bad arguments, named, before any box is drawn (boxes above 2^31 - 1 sites, > 10^7 samples).
    tunnelsim.memory.MemoryBudgetError
        When one box of the largest size (about 80 bytes per site; for the mass, the mass-radius box
        of twice the side, about 120 bytes per site) would exceed the memory budget.

    Examples
    --------
    >>> est = fractal_dimension('square', 'mass', sizes=[8, 16, 32], samples=20, seed=0, progress=False)
    >>> print(round(est.reference.value, 4), abs(est.value - est.reference.value) < 3 * est.stderr)  # exact 91/48
    1.8958 True
    """
    lat = as_lattice(lattice)
    obs = get_site_observable(kind)
    if obs.hypercubic and not lat.hypercubic:
        raise ValueError(f"lattice must be 'square' or 'simple_cubic' for kind={kind!r}, got {lat.name!r}")
    if sizes is None:
        sizes = [16, 32, 64, 128, 256, 512] if lat.dim == 2 else [8, 12, 16, 24, 32, 48, 64]
    sizes = _check_sizes(sizes)
    if lat.parity_dependent:
        sizes = [s + s % 2 for s in sizes]
    samples = (1000 if lat.dim == 2 else 500) if samples is None else check_samples(samples, minimum=2)
    periodic = (not obs.interface) if periodic is None else check_bool(periodic, "periodic")
    if periodic and obs.interface:
        raise ValueError(f"periodic must be False for kind={kind!r} (the hull and perimeters need an outside)")
    p = lat.threshold("site").value if p is None else float(check_probability(as_real_scalar(p, "p"), "p"))
    entropy = seed_entropy(seed)
    sweep_kw = _sweep_kw(executor, progress, cache)
    big = lat.box_shape((2 if obs.name == "mass" else 1) * sizes[-1], periodic)
    check_box_memory(int(np.prod(big)), BYTES_BOX + (40 if obs.name == "mass" else 0),
                     f"fractal_dimension's largest {lat.name} box", "sizes")
    data = _fss_measure(lat, obs.name, sizes, samples, p, periodic, entropy, sweep_kw)
    value, stat, sys_, fit = _fss_fit(data["x"], data["y"], data["yerr"], _OMEGA[(lat.dim, periodic)])
    data.update(samples=samples, p=p, periodic=periodic, ylabel=f"{obs.name} of the largest cluster (sites)",
                xlabel="box size L (lattice units)")
    if obs.name == "mass":
        d_mr = _mass_radius_check(lat, 2 * sizes[-1], p, entropy)
        if d_mr is not None:
            data["mass_radius_D"] = d_mr
    ref = None if obs.exponent is None else reference_exponent(lat.dim, obs.exponent)
    return Estimate(obs.symbol, value, stat, sys_, ref, data=data, fit=fit)


def _mass_radius_check(lat: Lattice, size: int, p: float, entropy: int) -> float | None:
    """Slope of ln s against ln R_g for the clusters of one box at p_c (None: fewer than 5 clusters to fit)."""
    rng = np.random.default_rng([entropy, 99])
    occ = rng.random(lat.box_shape(size)) < p
    labels, _ = label_sites(occ, lat)
    s, rg = mass_radius(labels, min_size=50)
    keep = (rg > max(4.0, size / 128)) & (rg < size / 8)
    if keep.sum() < 5:
        return None
    return line_fit(np.log(rg[keep]), np.log(s[keep])).slope


# ---------------------------------------------------------------- correlation-length exponent


def _slope_at(result: NZResult, which: str, p: float, samples: np.ndarray | None = None) -> float:
    """Canonical dR/dp at p: mean over samples of M * Binom.pmf(n_first - 1; M - 1, p)."""
    n = result.first_event(which)
    if samples is not None:
        n = n[samples]
    from scipy import stats as sps  # here: scipy.stats imports scipy.optimize

    m = result.n_units
    return float(np.mean(m * sps.binom.pmf(n - 1, m - 1, p)))


def _slopes(results: dict[int, NZResult], which: str, p: float, n_boot: int, entropy: int
            ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """dR_L/dp at p per size, its bootstrap error and the bootstrap values."""
    rng = np.random.default_rng(entropy)
    der, err, boots = [], [], []
    for r in results.values():
        der.append(_slope_at(r, which, p))
        b = np.array([_slope_at(r, which, p, rng.integers(0, r.samples, r.samples)) for _ in range(n_boot)])
        boots.append(b)
        err.append(np.std(b, ddof=1))
    return np.array(der), np.array(err), boots


def _nu_fit(x: np.ndarray, y: np.ndarray, e: np.ndarray, boots: list[np.ndarray], p: float) -> tuple:
    """1/nu from ln R' = c + ln L / nu: (nu, stat from the bootstrap, sys from the top three sizes, params, cov, top3).

    ValueError naming p and samples when the slopes vanish or do not grow with L.
    """
    if np.any(y <= 0):
        raise ValueError(f"the wrapping slope dR/dp vanishes at p = {p:g} for some size: p must lie near p_c and "
                         "samples must resolve it")
    params, cov = power_law_fit(x, y, e)
    p_top, _ = power_law_fit(x[-3:], y[-3:], e[-3:])
    if not (params[1] > 0 and p_top[1] > 0):
        raise ValueError(f"dR/dp at p = {p:g} does not grow with L (slope {params[1]:.3g}): p is not near p_c, or "
                         "samples are too few")
    slopes = [power_law_fit(x, yy, e)[0][1] for yy in np.array(boots).T if np.all(yy > 0)]
    slopes = np.array([s for s in slopes if s > 0])
    if slopes.size < 2:
        raise ValueError("fewer than 2 bootstrap resamples give a growing slope: increase samples or n_boot")
    value = 1.0 / float(params[1])
    return (value, float(np.std(1.0 / slopes, ddof=1)), abs(value - 1.0 / float(p_top[1])), params, cov, p_top)


def correlation_length_exponent(lattice: str | Lattice = "square", sizes=None, samples: int | None = None,
                                seed: int | np.random.Generator | None = None, kind: str = "site",
                                which: str = "either", p: float | None = None, executor: Executor | None = None,
                                progress: bool | None = None, cache: str | os.PathLike | None = None,
                                n_boot: int = 100) -> Estimate:
    """nu from the finite-size scaling of the wrapping probability: dR_L/dp at p_c ~ L^(1/nu).

    R_L(p) is the canonical Newman-Ziff wrapping probability of the periodic L^d box (event ``which``);
    its slope at p_c is the density of the wrapping point p_wrap, whose width shrinks as L^(-1/nu)
    (docs/theory.md sec. 4; docs/fractal_clustering.md sec. 5.3). The slope is exact for each sample:
    d/dp P(Bin(M, p) >= n) = M B(M-1, n-1, p). The fit of ln R' against ln L over all sizes gives 1/nu;
    stat error by bootstrap over samples; systematic error from the fit through the three largest sizes
    only. (The standard deviation of p_wrap converges more slowly -- its tails carry large corrections:
    nu ~ 1.45 at L <= 256 in 2D.)

    Parameters
    ----------
    lattice : str or Lattice
    sizes : sequence of int, optional
        At least 3 sides L (lattice units; default 2D: 16..256; 3D: 6..32).
    samples : int, optional
        Sweeps per size (default 1000 in 2D, 400 in 3D).
    seed : int, numpy.random.Generator or None
    kind : {'site', 'bond'}
    which : {'either', 'both', 'axis0'}
        Wrapping event.
    p : float, optional
        Where the slope is taken (default: the literature p_c).
    executor, progress, cache
        Passed on to :func:`lattices.newman_ziff.newman_ziff` (progress None: a bar only on a terminal;
        cache: a folder).
    n_boot : int
        Bootstrap resamples (2..10^5).

    Returns
    -------
    Estimate
        nu (dimensionless), ``data`` x = L, y = dR/dp.

    Raises
    ------
    ValueError, TypeError
        Bad arguments, named, before any sweep (boxes above 2^31 - 1 sites, more than 10^7 samples).
    tunnelsim.memory.MemoryBudgetError
        When the sweeps of the largest box would exceed the memory budget.
    """
    lat = as_lattice(lattice)
    kind = check_choice(kind, "kind", ("site", "bond"))
    which = check_choice(which, "which", ("either", "both", "axis0"))
    if sizes is None:
        sizes = [16, 32, 64, 128, 256] if lat.dim == 2 else [6, 8, 12, 16, 24, 32]
    sizes = _check_sizes(sizes)
    samples = (1000 if lat.dim == 2 else 400) if samples is None else check_samples(samples, minimum=10)
    p = lat.threshold(kind).value if p is None else float(check_probability(as_real_scalar(p, "p"), "p"))
    n_boot = check_boot(n_boot)
    entropy = seed_entropy(seed)
    results = _wrapping_sweeps(lat, kind, sizes, samples, entropy, 104729, 1, _sweep_kw(executor, progress, cache))
    x = np.array(sizes, dtype=float)
    y, e, boots = _slopes(results, which, p, n_boot, entropy)
    value, stat, sys_, params, cov, p_top = _nu_fit(x, y, e, boots, p)

    def model(xx, prm=params):
        return np.exp(prm[0] + prm[1] * np.log(np.asarray(xx, dtype=float)))

    return Estimate("nu", value, stat, sys_,
                    reference_exponent(lat.dim, "nu"),
                    data={"x": x, "y": y, "yerr": e, "samples": samples, "p": p,
                          "ylabel": "slope dR/dp at p_c", "xlabel": "box size L (lattice units)"},
                    fit={"params": params, "cov": cov, "plain_top3": p_top, "model": model, "which": which})
