"""Newman-Ziff sweeps: one pass adds sites (or bonds) in random order and records every occupation
(Newman and Ziff, PRE 64, 016706 (2001); docs/fractal_clustering.md sec. 3).

Microcanonical observables Q_n (n occupied sites or bonds out of M) become canonical averages by
the binomial convolution Q(p) = sum_n C(M, n) p^n (1 - p)^(M - n) Q_n (NZ eq. 2). Wrapping (periodic
boxes) is detected from the unwrapped displacement of every site to its root; spanning (open boxes)
from the faces a cluster touches.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor
from dataclasses import dataclass, field

import numpy as np

from tunnelsim.memory import check_memory
from tunnelsim.stats import seed_entropy
from tunnelsim.sweep import run_sweep
from tunnelsim.validation import as_real_array, check_bool, check_choice, check_int, check_probability

from ._checks import cache_dir, cache_file, check_executor, check_progress, check_samples
from ._kernels import nz_bonds, nz_sites
from .geometry import Lattice, as_lattice

__all__ = ["NZResult", "newman_ziff", "canonical_average", "sweep_bytes", "EVENTS"]

EVENTS = ("either", "both", "one", "axis0", "axis1", "axis2")


def canonical_average(micro: np.ndarray, p: float | np.ndarray) -> np.ndarray | float:
    """Binomial convolution Q(p) = sum_{n=0}^{M} C(M, n) p^n (1 - p)^(M - n) Q_n (Newman-Ziff eq. 2).

    docs/fractal_clustering.md sec. 3.

    Parameters
    ----------
    micro : array, shape (M + 1,)
        Microcanonical values Q_n for n = 0..M occupied units.
    p : float or array
        Occupation probabilities in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        The canonical average Q(p), shaped like ``p``.

    Examples
    --------
    >>> import numpy as np
    >>> M = 10
    >>> print(round(float(canonical_average(np.arange(M + 1) / M, 0.3)), 12))  # binomial mean of n/M is p
    0.3
    >>> print(round(float(canonical_average(np.ones(M + 1), 0.7)), 12))  # the weights sum to one
    1.0
    """
    q = as_real_array(micro, "micro", ndim=1)
    if q.size < 2:
        raise ValueError(f"micro must be a 1D array of length M + 1 >= 2, got shape {q.shape}")
    p_arr = np.atleast_1d(check_probability(p, "p"))
    check_memory(24.0 * q.size, f"canonical_average (micro: {q.size} values)", hint="use fewer values in micro")
    m = q.size - 1
    n = np.arange(m + 1)
    from scipy import stats  # here: scipy.stats imports scipy.optimize, which `import lattices` avoids

    out = np.array([np.dot(stats.binom.pmf(n, m, pp), q) for pp in p_arr])
    return float(out[0]) if np.ndim(p) == 0 else out


@dataclass
class NZResult:
    """Outcome of many Newman-Ziff sweeps of one box.

    docs/fractal_clustering.md sec. 3: the occupation numbers (units added) at which each sweep first wraps or spans.

    Attributes
    ----------
    lattice : Lattice
        The lattice swept.
    kind : {'site', 'bond'}
    shape : tuple of int
        Box shape (lattice units).
    periodic : bool
    n_units : int
        M, the number of sites (site sweeps) or bonds (bond sweeps) of the box.
    first_wrap, first_span : numpy.ndarray, shape (samples, dim)
        Per sample and axis, the number n of occupied units (sites or bonds) at which a cluster first
        wraps around (periodic) or spans (open) that axis; M + 1 if it never does.
    largest_mean : numpy.ndarray, shape (M + 1,) or None
        Sample mean of the largest cluster size (in sites) after n units.

    Examples
    --------
    >>> res = newman_ziff('square', 8, samples=4, seed=0, progress=False)
    >>> print(type(res).__name__, res.n_units, res.first_wrap.shape)
    NZResult 64 (4, 2)
    """

    lattice: Lattice
    kind: str
    shape: tuple[int, ...]
    periodic: bool
    n_units: int
    first_wrap: np.ndarray
    first_span: np.ndarray
    largest_mean: np.ndarray | None = None
    meta: dict = field(default_factory=dict)

    @property
    def samples(self) -> int:
        return int(self.first_wrap.shape[0])

    @property
    def n_sites(self) -> int:
        return int(np.prod(self.shape))

    def first_event(self, which: str = "either") -> np.ndarray:
        """Per sample, the n at which ``which`` first happens: 'either' axis, 'both' (all axes), 'axisK'.

        Uses wrapping for periodic boxes and spanning for open ones.
        """
        which = check_choice(which, "which", EVENTS)
        f = self.first_wrap if self.periodic else self.first_span
        if which == "either":
            return f.min(axis=1)
        if which == "both":
            return f.max(axis=1)
        if which == "one":
            raise ValueError("which='one' has no single first event; use probability(p, 'one')")
        axis = int(which[-1])
        if axis >= f.shape[1]:
            raise ValueError(f"which={which!r} needs a lattice with more than {f.shape[1]} axes")
        return f[:, axis]

    def probability(self, p: float | np.ndarray, which: str = "either",
                    samples: np.ndarray | None = None) -> np.ndarray | float:
        """Canonical wrapping (periodic) / spanning (open) probability R(p) for event ``which``.

        For the step function R_n = [n >= n_first] of each sample the convolution (NZ eq. 2) is exact:
        R(p) = mean over samples of P(Binomial(M, p) >= n_first) (docs/fractal_clustering.md sec. 3).

        Parameters
        ----------
        p : float or array
            Occupation probabilities in [0, 1].
        which : {'either', 'both', 'one', 'axis0', 'axis1', 'axis2'}
        samples : array of int, optional
            Which samples to average (with repetition, for the bootstrap).

        Returns
        -------
        float or numpy.ndarray
            R(p), shaped like ``p``.
        """
        which = check_choice(which, "which", EVENTS)
        p_arr = np.atleast_1d(check_probability(p, "p"))
        if which == "one":
            out = self.probability(p_arr, "either", samples) - self.probability(p_arr, "both", samples)
        else:
            n_first = self.first_event(which)
            if samples is not None:
                n_first = n_first[samples]
            vals, counts = np.unique(n_first, return_counts=True)
            w = counts / counts.sum()
            out = np.empty(p_arr.size)
            step = max(1, 2**20 // vals.size)  # blocks of about 10^6 binomial tails
            from scipy import stats  # here: scipy.stats imports scipy.optimize, which `import lattices` avoids

            for i in range(0, p_arr.size, step):
                out[i:i + step] = stats.binom.sf(vals[None, :] - 1, self.n_units, p_arr[i:i + step, None]) @ w
        return float(out[0]) if np.ndim(p) == 0 else out

    def largest_fraction(self, p: float | np.ndarray) -> np.ndarray | float:
        """P_max(p): canonical mean largest-cluster size (NZ eq. 2) per site (docs/fractal_clustering.md sec. 3)."""
        if self.largest_mean is None:
            raise ValueError("this sweep did not track the largest cluster (track_largest=False)")
        return canonical_average(self.largest_mean, p) / self.n_sites


def _nz_chunk(lattice: dict, shape: list[int], kind: str, periodic: bool, samples: int, entropy: int,
              chunk: int, track_largest: bool) -> dict:
    """Run ``samples`` sweeps with generator seeded by (chunk, entropy); module level for executors."""
    lat = Lattice.from_dict(lattice)
    shp = np.array(shape, dtype=np.int64)
    dirs, dpar = lat.directions()
    rng = np.random.default_rng([chunk, entropy])
    n_sites = int(np.prod(shp))
    if kind == "bond":
        edges, kinds = lat.bonds(tuple(shape), periodic)
        m = len(edges)
    else:
        m = n_sites
    largest = np.zeros(m + 1, dtype=np.float64)
    fw, fs = [], []
    for _ in range(samples):
        order = rng.permutation(m)
        if kind == "bond":
            a, b = nz_bonds(order, edges, kinds, shp, dirs, periodic, largest)
        else:
            a, b = nz_sites(order, shp, dirs, dpar, periodic, largest)
        fw.append(a)
        fs.append(b)
    out = {"first_wrap": np.array(fw).tolist(), "first_span": np.array(fs).tolist(), "n_units": m}
    if track_largest:
        out["largest_sum"] = largest.tolist()
    return out


def sweep_bytes(lat: Lattice, shape: tuple[int, ...], kind: str, track_largest: bool, chunks: int) -> float:
    """Peak bytes of one chunk of Newman-Ziff sweeps (arrays of _nz_chunk and the kernels) plus the tracked results.

    The memory estimate (bytes) made before the sweeps of docs/fractal_clustering.md sec. 3.

    The memory estimate of :func:`newman_ziff`, also used before the sweeps of :mod:`lattices.exponents`.

    Examples
    --------
    >>> print(sweep_bytes(as_lattice('square'), (16, 16), 'site', False, 1) > 0)
    True
    """
    n = float(np.prod(shape))
    units = n if kind == "site" else n * lat.coordination / 2
    per_site = 32 + 4 * lat.dim + 8  # parent, size, faces, order (int64), disp (int32 per axis), largest
    per_bond = 40 if kind == "bond" else 0  # edges, kinds, order, the bond list's temporaries
    kept = 40.0 * chunks * units if track_largest else 0.0  # Python floats of every chunk's largest-cluster sum
    return n * per_site + units * per_bond + kept


def newman_ziff(lattice: str | Lattice = "square", size: int | tuple[int, ...] = 64, samples: int = 100,
                seed: int | np.random.Generator | None = None, kind: str = "site", periodic: bool = True,
                track_largest: bool = False, executor: Executor | None = None, progress: bool | None = None,
                cache: str | os.PathLike | None = None, chunks: int | None = None) -> NZResult:
    """Run ``samples`` Newman-Ziff sweeps of an L^d box (docs/fractal_clustering.md sec. 3).

    Each sweep occupies the sites (or opens the bonds) in a random order and records, per axis, the
    first n at which a cluster wraps (periodic box) or spans (open box), and optionally the largest
    cluster after every n; canonical averages follow from NZ eq. 2 (:func:`canonical_average`).

    Parameters
    ----------
    lattice : str or Lattice
        A :class:`lattices.geometry.Lattice` or a name: 'square', 'triangular', 'honeycomb',
        'simple_cubic', 'bcc'.
    size : int or tuple
        Side length L in lattice units (or explicit shape).
    samples : int
        Number of independent sweeps.
    seed : int, numpy.random.Generator or None
        Seed (:func:`tunnelsim.stats.seed_entropy`). Chunk i uses ``default_rng([i, seed])``, so
        results depend on (seed, chunks) and not on the executor.
    kind : {'site', 'bond'}
    periodic : bool
        Periodic boxes record wrapping; open boxes record spanning.
    track_largest : bool
        Also accumulate the mean largest cluster size for every n (memory M + 1 floats per chunk).
    executor : concurrent.futures.Executor, optional
        Spreads chunks of samples (via :func:`tunnelsim.sweep.run_sweep`).
    progress : bool or None
        Progress bar over chunks (None: only on a terminal; :mod:`tunnelsim.progress`).
    cache : path, optional
        A folder; the finished chunks are kept there in a JSON-lines file named after the lattice, the
        kind and the box, and reused (resume).
    chunks : int, optional
        Number of chunks (default min(samples, 10)).

    Raises
    ------
    ValueError, TypeError
        Bad arguments, named; a box above 2^31 - 1 sites, more than 10^7 samples.
    tunnelsim.memory.MemoryBudgetError
        When the sweep's arrays (about 50 bytes per site and chunk, plus 40 bytes per unit and chunk
        with ``track_largest``) would exceed the memory budget.

    Returns
    -------
    NZResult
        First wrapping / spanning occupations of every sweep (and the mean largest cluster).

    Examples
    --------
    >>> import numpy as np
    >>> res = newman_ziff('square', 16, samples=50, seed=0, progress=False)
    >>> print(res.n_units, bool(np.all((res.first_wrap >= 1) & (res.first_wrap <= res.n_units))))
    256 True
    """
    lat = as_lattice(lattice)
    kind = check_choice(kind, "kind", ("site", "bond"))
    periodic = check_bool(periodic, "periodic")
    track_largest = check_bool(track_largest, "track_largest")
    shape = lat.box_shape(size, periodic)
    samples = check_samples(samples)
    chunks = min(samples, 10) if chunks is None else check_int(chunks, "chunks", minimum=1, maximum=samples)
    entropy = seed_entropy(seed)
    executor, progress, folder = check_executor(executor), check_progress(progress), cache_dir(cache)
    check_memory(sweep_bytes(lat, shape, kind, track_largest, chunks),
                 f"Newman-Ziff sweeps of a {'x'.join(map(str, shape))} {lat.name} box (size)",
                 hint="reduce size, or chunks with track_largest")
    per = [samples // chunks + (1 if i < samples % chunks else 0) for i in range(chunks)]
    points = [dict(lattice=lat.to_dict(), shape=list(shape), kind=kind, periodic=periodic, samples=k,
                   entropy=entropy, chunk=i, track_largest=track_largest) for i, k in enumerate(per)]
    path = cache_file(folder, f"nz_{lat.name}_{kind}_{'x'.join(map(str, shape))}_{'periodic' if periodic else 'open'}")
    rows = run_sweep(_nz_chunk, points, path, executor=executor, progress=progress,
                     desc=f"Newman-Ziff {lat.name} {kind} L={shape[0]}")
    res = [r["result"] for r in rows]
    m = int(res[0]["n_units"])
    fw = np.concatenate([np.asarray(r["first_wrap"], dtype=np.int64).reshape(-1, lat.dim) for r in res])
    fs = np.concatenate([np.asarray(r["first_span"], dtype=np.int64).reshape(-1, lat.dim) for r in res])
    largest = None
    if track_largest:
        largest = np.sum([np.asarray(r["largest_sum"]) for r in res], axis=0) / samples
    return NZResult(lat, kind, shape, periodic, m, fw, fs, largest,
                    meta={"seed": seed, "entropy": entropy, "chunks": chunks})
