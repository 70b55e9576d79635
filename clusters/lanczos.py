"""A lean Lanczos eigensolver on the fused kernels of :mod:`clusters.kernels` (docs/clusters.md sec. 3).

Plain three-term Lanczos without re-orthogonalisation, written for one job: the lowest k levels
of a huge Hermitian H whose product is cheap. Per step one fused kernel pass computes
w = H q_j - beta_{j-1} q_{j-1} and alpha_j = <q_j, w>, one vector pass w -= alpha_j q_j with
||w||^2; the normalisation is folded into the next product, so two vectors live in memory
(plus the diagonal of H).

* **Spurious copies.** Without re-orthogonalisation a converged Ritz value reappears as a copy
  ("ghost") once orthogonality is lost. Following Cullum and Willoughby, eigenvalues of the
  tridiagonal T_j that agree within ``merge_tol`` are one level (a copy appears only after the
  level has converged), and a simple eigenvalue of T_j that is also an eigenvalue of T_j without
  its first row and column (found by Sturm counts within ``merge_tol``) is spurious and dropped.
* **Convergence.** A simple good Ritz value theta is converged when its residual bound
  r = beta_j |s_j| (last component of its eigenvector of T_j) is below ``tol``; by Paige's theorem an
  eigenvalue of H then lies within r (plus O(eps ||H||)) of theta. For energies alone (``energy_tol``)
  it is also converged when the gap bound r^2 / delta <= ``energy_tol`` (Kato-Temple, Parlett sec. 11.7),
  delta the distance to the nearest other Ritz interval [theta' - r', theta' + r'] (each holds an
  eigenvalue): the eigenvalue error falls like r^2, so far fewer steps are needed for the same energies.
* **States: kept vectors or a second pass.** Energies need only the coefficients alpha, beta. When
  states are wanted, the Ritz vectors x_i = sum_j s_ji q_j (one per member of each level's ghost
  cluster) are summed from the Lanczos vectors, then a Rayleigh-Ritz step on their span gives the k
  states. Inside an ensemble block (:mod:`clusters.kept`) the vectors are kept while they fit a budget;
  otherwise a second pass regenerates the same vectors from the same start and the stored
  coefficients. Both give the same states to rounding.
* **Degenerate levels** (repeated runs with locking). One start vector spans only one vector of
  each eigenspace, so an exactly degenerate level appears once. :func:`lowest_with_locking` runs
  again on the orthogonal complement of the states found (every Lanczos vector projected against
  them) until no run finds a level below the k-th one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numba
import numpy as np
import scipy.linalg as sla

from .kept import Kept, keeper

__all__ = ["LanczosResult", "lanczos_lowest", "lowest_with_locking", "MAX_STEPS"]

#: Most Lanczos steps of one run before a ConvergenceError-worthy failure is reported.
MAX_STEPS = 20000
#: Relative width (to the norm bound) within which Ritz values are one level (ghost copies).
MERGE_RTOL = 1e-11


@dataclass
class LanczosResult:
    """Outcome of one Lanczos run (energies in K)."""

    energies: np.ndarray
    bounds: np.ndarray
    converged: bool
    steps: int
    vectors: np.ndarray | None = None
    alphas: list = field(default_factory=list, repr=False)
    betas: list = field(default_factory=list, repr=False)


def _start(kernel, seed: int, locked: np.ndarray | None) -> np.ndarray:
    """The seeded random start vector (the kernel's own draw where it has one: on the device for the GPU kernel)."""
    if hasattr(kernel, "random_vector"):
        v = kernel.random_vector(seed)
        _project(v, locked)
        return v
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(kernel.dim)
    if kernel.dtype.kind == "c":
        v = v + 1j * rng.standard_normal(kernel.dim)
    v = kernel.xp.ascontiguousarray(kernel.xp.asarray(v, dtype=kernel.dtype))
    _project(v, locked)
    return v


def _project(w: np.ndarray, locked: np.ndarray | None) -> None:
    """w <- w - X^H X w for the locked orthonormal rows X (twice, for stability)."""
    if locked is None or locked.shape[0] == 0:
        return
    for _ in range(2):
        w -= (locked.conj() @ w) @ locked


def _ritz(alphas: list, betas: list, m: int, merge_tol: float):
    """Good Ritz values of T_j (lowest first): [(theta, bound, members)] after the ghost and CW tests."""
    a = np.asarray(alphas)
    b = np.asarray(betas[: len(alphas) - 1])
    j = a.size
    m = min(m, j)
    theta, s = sla.eigh_tridiagonal(a, b, select="i", select_range=(0, m - 1))
    hat_a, hat_b2 = a[1:], np.square(b[1:])  # T without its first row and column
    bounds = abs(betas[j - 1]) * np.abs(s[-1, :]) if len(betas) >= j else np.abs(s[-1, :]) * 0.0
    out, i = [], 0
    while i < m:
        group = [i]
        while group[-1] + 1 < m and theta[group[-1] + 1] - theta[group[0]] <= merge_tol:
            group.append(group[-1] + 1)
        i = group[-1] + 1
        if len(group) > 1:
            out.append((float(theta[group[0]]), 0.0, group))
            continue
        g = group[0]
        if j > 1 and bounds[g] > merge_tol and _count_within(hat_a, hat_b2, theta[g], merge_tol) > 0:
            continue  # Cullum-Willoughby: spurious
        out.append((float(theta[g]), float(bounds[g]), group))
    return out, s


@numba.njit(cache=True)
def _count_below(a, b2, x):  # pragma: no cover - compiled
    """Eigenvalues below x of the symmetric tridiagonal matrix (a, sqrt(b2)): the negative pivots of T - x
    (Sturm sequence; a zero pivot counts as negative)."""
    count, d = 0, 1.0
    for i in range(a.shape[0]):
        d = a[i] - x - (b2[i - 1] / d if i > 0 else 0.0)
        if d == 0.0:
            d = -1e-300
        if d < 0.0:
            count += 1
    return count


@numba.njit(cache=True)
def _count_within(a, b2, x, w):  # pragma: no cover - compiled
    """Eigenvalues of (a, sqrt(b2)) in [x - w, x + w): the Cullum-Willoughby test without the eigenvalues."""
    return _count_below(a, b2, x + w) - _count_below(a, b2, x - w)


#: Cost of a convergence test over the cost of a product, per unit of (j m) / (dim n): a LAPACK bisection of m
#: values of T_j with their vectors and the Sturm counts (~0.33 us per j m) against the product (~0.3 ns per
#: amplitude and particle), measured.
CHECK_COST = 1100.0


def _next_check(j: int, dim: int, n: int, m: int) -> int:
    """The step after step j at which to test convergence next (deterministic: a cost model, not a clock).

    Testing every c steps costs j/c tests and overshoots by c/2 steps on average; the total is least for
    c = sqrt(2 j t_test / t_step) = j sqrt(2 CHECK_COST m / (dim n)): every step or few on large spaces
    (where a product costs far more than a test), up to j/4 on small ones (where it is the other way round; at
    most 25 % overshoot: far past convergence the ghost copies crowd the lowest Ritz values).
    """
    c = j * math.sqrt(2.0 * CHECK_COST * m / (max(dim, 1) * max(n, 1)))
    return j + int(min(max(round(c), 1), max(10, j // 4)))


def _errors(good: list, quadratic: bool) -> list[float]:
    """Error bounds of the good Ritz values: r, or min(r, r^2 / delta) with the gap delta (module docstring)."""
    out = []
    for i, (theta, r, _) in enumerate(good):
        gap = min((abs(theta - t) - bd for o, (t, bd, _) in enumerate(good) if o != i), default=0.0)
        out.append(min(r, r * r / gap) if quadratic and gap > 0.0 else r)
    return out


def lanczos_lowest(kernel, k: int, *, tol: float, merge_tol: float, seed: int = 12345,
                   vectors: bool = False, locked: np.ndarray | None = None,
                   max_steps: int = MAX_STEPS, energy_tol: float | None = None,
                   keep_bytes: float | None = None) -> LanczosResult:
    """Lowest k levels of the Hermitian operator ``kernel`` (a :class:`clusters.kernels.ProductKernel`).

    Parameters
    ----------
    kernel : ProductKernel
    k : int
        Number of levels (distinct within ``merge_tol``).
    tol : float
        Residual bound in K at which a Ritz value counts as converged.
    merge_tol : float
        Width in K within which Ritz values are one level (ghost copies, module docstring).
    seed : int
        Seed of the random start vector (runs are reproducible).
    vectors : bool
        Also return the normalised Ritz vectors as rows, shape (k, dim) (second pass).
    locked : ndarray, shape (l, dim), optional
        Orthonormal states to work orthogonally to (repeated runs for degenerate levels).
    max_steps : int
        Most steps; the result says ``converged=False`` when they are used up.
    energy_tol : float, optional
        Without ``vectors``: also accept a level whose gap bound r^2 / delta is below this (K; module docstring).
        ``bounds`` then holds the smaller of r and r^2 / delta.
    keep_bytes : float, optional
        With ``vectors``: most bytes of Lanczos vectors kept for the states (:mod:`clusters.kept`); None: the
        default budget inside :func:`clusters.kept.reuse_kept_memory` and none outside, 0: always the second
        pass. The states agree to rounding either way.
    """
    dim, xp = kernel.dim, kernel.xp
    cur = _start(kernel, seed, locked)
    sig = math.sqrt(float(xp.vdot(cur, cur).real))
    prev = xp.zeros(dim, dtype=kernel.dtype)
    alphas, betas = [], []
    sig_prev, good, converged = 1.0, [], False
    limit = max_steps  # steps beyond the dimension are fine: copies of converged levels merge
    nxt = _next_check(0, dim, getattr(kernel, "n", 1), 2 * k + 4)
    kept = keeper(kernel, vectors, keep_bytes)
    for j in range(limit):
        if kept is not None and not kept.add(cur, sig):
            kept = None
        b = -betas[-1] / sig_prev if betas else 0.0
        dot = kernel.step(cur, prev, 1.0 / sig, b, dot=True)
        alpha = dot / sig
        nrm2 = kernel.axpy_norm(prev, cur, alpha / sig)
        if locked is not None:
            _project(prev, locked)
            nrm2 = float(xp.vdot(prev, prev).real)
        alphas.append(alpha)
        betas.append(math.sqrt(max(nrm2, 0.0)))
        prev, cur, sig_prev, sig = cur, prev, sig, betas[-1]
        exhausted = betas[-1] <= merge_tol * 1e-3 or j + 1 == limit
        if exhausted or j + 1 >= nxt:
            nxt = _next_check(j + 1, dim, getattr(kernel, "n", 1), 2 * k + 4)
            good = _good_window(alphas, betas, k, merge_tol)
            quad = energy_tol is not None and not vectors
            errs = _errors(good, quad)
            converged = len(good) >= k and all(bd <= tol or (quad and err <= energy_tol)
                                               for (_, bd, _), err in zip(good[:k], errs[:k]))
            if converged or exhausted:
                converged = converged or (exhausted and betas[-1] <= merge_tol * 1e-3)
                break
    energies = np.array([t for t, _, _ in good[:k]])
    bounds = np.array(_errors(good, energy_tol is not None and not vectors)[:k])
    res = LanczosResult(energies, bounds, converged, len(alphas), alphas=alphas, betas=betas)
    if vectors and len(good):
        res.vectors = _ritz_vectors(kernel, alphas, betas, good[:k], seed, locked, kept)
    elif kept is not None:
        kept.release()
    return res


def _good_window(alphas: list, betas: list, k: int, merge_tol: float) -> list:
    """Good Ritz values of the lowest window of T_j that holds at least k + 2 distinct levels.

    The window starts at 2k + 4 Ritz values and doubles while ghost copies of converged levels crowd it (far past
    convergence they fill any fixed window, and the levels above would never be seen).
    """
    m, j = 2 * k + 4, len(alphas)
    while True:
        good, _ = _ritz(alphas, betas, m, merge_tol)
        if len(good) >= k + 2 or m >= j:
            return good
        m = min(2 * m, j)


def _ritz_vectors(kernel, alphas: list, betas: list, good: list, seed: int, locked, kept: Kept | None) -> np.ndarray:
    """The Ritz vectors of ``good`` (rows) from the kept q_0 .. q_{J-1}, or a second pass that regenerates them."""
    j_total = len(alphas)
    a, b = np.asarray(alphas), np.asarray(betas[: j_total - 1])
    top = max(max(g) for _, _, g in good) + 1
    _, s = sla.eigh_tridiagonal(a, b, select="i", select_range=(0, top - 1))
    members = [i for _, _, g in good for i in g]
    xp = kernel.xp
    out = xp.zeros((len(members), kernel.dim), dtype=kernel.dtype)
    if kept is not None:
        kept.accumulate(out, s[:, members])
        kept.release()
        return _rayleigh_ritz(kernel, out, len(good), locked)
    cur = _start(kernel, seed, locked)
    sig = math.sqrt(float(xp.vdot(cur, cur).real))
    prev = xp.zeros(kernel.dim, dtype=kernel.dtype)
    sig_prev = 1.0
    for j in range(j_total):
        kernel.accumulate(out, cur, s[j, members] / sig)
        if j == j_total - 1:
            break
        bb = -betas[j - 1] / sig_prev if j else 0.0
        kernel.step(cur, prev, 1.0 / sig, bb)
        kernel.axpy_norm(prev, cur, alphas[j] / sig)
        if locked is not None:
            _project(prev, locked)
        prev, cur, sig_prev, sig = cur, prev, sig, betas[j]
    del cur, prev
    return _rayleigh_ritz(kernel, out, len(good), locked)


def _rayleigh_ritz(kernel, rows, k: int, locked) -> np.ndarray:
    """The k lowest Ritz vectors of H on the span of ``rows`` (orthonormalised in place; k products).

    The Ritz vectors of the members of a ghost cluster are each a mix of the same eigenvector and
    rounding noise; the projection onto their common span removes the noise.
    """
    xp = kernel.xp
    kept = []
    for i in range(rows.shape[0]):
        _project(rows[i], locked)
        for _ in range(2):
            for j in kept:
                rows[i] -= xp.vdot(rows[j], rows[i]) * rows[j]
        nrm = float(xp.linalg.norm(rows[i]))
        if nrm > 1e-8:
            rows[i] /= nrm
            kept.append(i)
    basis = rows if len(kept) == rows.shape[0] else rows[kept]
    hb = xp.empty_like(basis)
    for i in range(basis.shape[0]):
        kernel.step(basis[i], hb[i])
    g = basis.conj() @ hb.T
    _, c = np.linalg.eigh(0.5 * (_host(xp, g) + _host(xp, g).conj().T))
    vecs = xp.asarray(c[:, :k]).T @ basis
    for i in range(vecs.shape[0]):
        _project(vecs[i], locked)
        vecs[i] /= xp.linalg.norm(vecs[i])
    return vecs


def _host(xp, a):
    return a if xp is np else xp.asnumpy(a)


def lowest_with_locking(kernel, k: int, *, tol: float, merge_tol: float, seed: int = 12345,
                        max_runs: int = 8) -> LanczosResult:
    """Lowest k levels with their multiplicities: repeated runs on the complement of the states found.

    Each run after the first works orthogonally to every state found so far (module docstring);
    the search stops when a run finds no level below the current k-th level (less ``merge_tol``).
    Returns energies ascending with repeated copies, and the states as rows.
    """
    first = lanczos_lowest(kernel, k, tol=tol, merge_tol=merge_tol, seed=seed, vectors=True)
    if not first.converged:
        return first
    energies, states = list(first.energies), first.vectors
    steps = first.steps
    for run in range(1, max_runs):
        if states.shape[0] >= kernel.dim:
            break
        more = lanczos_lowest(kernel, min(k, kernel.dim - states.shape[0]), tol=tol, merge_tol=merge_tol,
                              seed=seed + run, vectors=True, locked=states)
        steps += more.steps
        if not more.converged:
            return LanczosResult(np.array(energies), np.zeros(len(energies)), False, steps, vectors=states)
        kth = sorted(energies)[k - 1] if len(energies) >= k else np.inf
        new = [i for i, e in enumerate(more.energies) if e < kth - merge_tol]
        if not new:
            break
        energies += [float(more.energies[i]) for i in new]
        states = kernel.xp.concatenate([states, more.vectors[new]], axis=0)
    order = np.argsort(energies, kind="stable")[:k]
    return LanczosResult(np.asarray(energies)[order], np.zeros(k), True, steps, vectors=states[order])
