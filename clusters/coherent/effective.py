"""The exact effective Hamiltonian of a coherent model space from an evaluator of A(E), S(E).

Given the partitioning of :mod:`clusters.coherent.partitioning` (docs/coherent_tunneling.md sec. 2),

    E_k = eig_k A(E_k)   (exact eigenvalues of H),                                            (1)
    h = E0 + S^{-1/2} (A(E0) - E0) S^{-1/2},   E0 = tr A(E0) / n,                             (2)

eq. (2) is the des Cloizeaux (Hermitian, symmetrically orthonormalised) effective Hamiltonian
linearised about the self-consistent centre E0; its error is the residual max_k |eig_k A(lambda_k) -
lambda_k| over its eigenvalues lambda_k. Where that residual exceeds the resolution, every exact
root E_k of (1) is found by Newton, the exact P-projections u_k = v_k / sqrt(v_k^+ S(E_k) v_k) are
orthonormalised symmetrically and h = sum_k E_k u~_k u~_k^+ exactly. The 2x2 / 3x3 algebra runs in
mpmath (:mod:`clusters.coherent.mplinalg`).
"""

from __future__ import annotations

from collections.abc import Callable

import mpmath
import numpy as np

from .mplinalg import eigh_mp, hermitian_part, inv_sqrt, mp_trace, to_mp

__all__ = ["effective_hamiltonian"]


def _float_evaluator(evaluate: Callable) -> Callable:
    """Wrap a float64 evaluator: mpmath in and out, nudging E off an exact eigenvalue of QHQ."""
    def ev(energy):
        for shift in (0.0, 1e-12, -1e-12, 1e-9):
            try:
                a, s, neg = evaluate(float(energy) + shift * (1 + abs(float(energy))))
                break
            except np.linalg.LinAlgError:
                continue
        else:
            raise RuntimeError("E - QHQ is singular at every trial energy near the multiplet: "
                               "the coherent model space is degenerate with other states")
        return to_mp(a), to_mp(s), neg

    return ev


def _mp_evaluator(evaluate: Callable, dps: int) -> Callable:
    def ev(energy):
        try:
            return evaluate(energy)
        except ZeroDivisionError:
            return evaluate(energy * (1 + mpmath.mpf(10) ** (-dps // 2)) + mpmath.mpf(10) ** (-dps // 2))

    return ev


def _root_check(ev: Callable, roots: list) -> tuple:
    """max_idx |lambda_idx(A(root_idx)) - root_idx| and the AND of the low-energy flags at the roots."""
    residual = mpmath.mpf(0)
    negdef_all = True
    for idx, root in enumerate(roots):
        a_r, _s_r, neg_r = ev(root)
        lam, _ = eigh_mp(hermitian_part(a_r))
        residual = max(residual, abs(lam[idx] - root))
        negdef_all = negdef_all and neg_r
    return residual, negdef_all


def _bracketed_centre(ev: Callable, n: int, start, tol):
    """Safeguarded root of g(E) = tr A(E)/n - E below the lowest pole of A (E < min spec QHQ).

    g decreases monotonically there (g' = -tr S / n < 0), from +inf at E -> -inf to -inf at the lowest
    pole, so bisection on the negative-definite side always finds it. Used when plain Newton wanders
    between poles (weak coupling).
    """
    def g_of(energy):
        a, s, neg = ev(energy)
        return mp_trace(a) / n - energy, neg

    width = 1 + abs(start)
    lo = start - width
    for _ in range(200):
        g, neg = g_of(lo)
        if neg and g > 0:
            break
        lo -= width
        width *= 2
    else:  # pragma: no cover - g is +inf far below the spectrum
        raise RuntimeError("could not bracket the self-consistent centre E0 = tr A(E0)/n from below")
    hi = start
    for _ in range(200):
        g, neg = g_of(hi)
        if (not neg) or g < 0:
            break
        hi = hi + (hi - lo)
    for _ in range(400):
        mid = (lo + hi) / 2
        g, neg = g_of(mid)
        if neg and g > 0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= tol * (1 + abs(mid)):
            return (lo + hi) / 2
    raise RuntimeError("the self-consistent centre E0 = tr A(E0)/n did not converge "
                       "(the model space is far from an isolated low-energy multiplet)")


def _centre(ev: Callable, n: int, start, tol):
    """E0 = tr A(E0) / n by Newton (g' = -tr S / n), with the bracketed fallback."""
    energy = mpmath.mpf(start)
    for _ in range(200):
        a, s, _neg = ev(energy)
        step = (mp_trace(a) / n - energy) / (mp_trace(s) / n)
        energy = energy + step
        if abs(step) <= tol * (1 + abs(energy)):
            return energy
    return _bracketed_centre(ev, n, mpmath.mpf(start), tol)


def _flip_average(k: mpmath.matrix, flip_symmetric: bool) -> mpmath.matrix:
    """Equal diagonal of a 2x2 h where the global flip symmetry (all Delta_i = 0) makes it exact."""
    if flip_symmetric:
        mean = (k[0, 0] + k[1, 1]) / 2
        k[0, 0] = k[1, 1] = mean
    return k


def _linearised(ev: Callable, n: int, energy, flip_symmetric: bool):
    """h - E0 of eq. (2), its roots and the model-space weights of its eigenvectors."""
    a, s, _neg = ev(energy)
    sih = inv_sqrt(s)
    k = _flip_average(hermitian_part(sih * (a - energy * mpmath.eye(n)) * sih), flip_symmetric)
    vals, vecs = eigh_mp(k)
    sinv = mpmath.inverse(s)
    weights = [float(mpmath.re((vecs[:, c].H * sinv * vecs[:, c])[0, 0])) for c in range(n)]
    return k, [energy + v for v in vals], weights


def _newton_root(ev: Callable, idx: int, root, tol):
    """The exact root idx of eq. (1) and the normalised P-projection of its eigenstate."""
    for _ in range(100):
        a_r, s_r, _neg = ev(root)
        lam, vec = eigh_mp(hermitian_part(a_r))
        v = vec[:, idx]
        step = (lam[idx] - root) / mpmath.re((v.H * s_r * v)[0, 0])
        root = root + step
        if abs(step) <= tol * (1 + abs(root)):
            break
    a_r, s_r, _neg = ev(root)
    lam, vec = eigh_mp(hermitian_part(a_r))
    v = vec[:, idx]
    return root, v, mpmath.re((v.H * s_r * v)[0, 0])


def _exact(ev: Callable, n: int, energy, roots: list, tol, flip_symmetric: bool):
    """h - E0 from the exact roots and their symmetrically orthonormalised P-projections."""
    u = mpmath.matrix(n, n)
    weights = [0.0] * n
    roots = list(roots)
    for idx in range(n):
        roots[idx], v, norm = _newton_root(ev, idx, roots[idx], tol)
        weights[idx] = float(1 / norm)
        for i in range(n):
            u[i, idx] = v[i] / mpmath.sqrt(norm)
    ut = u * inv_sqrt(u.H * u)
    k = ut * mpmath.diag([roots[i] - energy for i in range(n)]) * ut.H
    return _flip_average(hermitian_part(k), flip_symmetric), roots, weights


def effective_hamiltonian(evaluate: Callable, n: int, start: float, dps: int, float_engine: bool,
                          flip_symmetric: bool) -> dict:
    """Solve eq. (1) self-consistently for the centre E0 and build h by eq. (2) (energies in K).

    Parameters
    ----------
    evaluate : callable
        energy -> (A(E), S(E), E - QHQ negative definite); float64 arrays (``float_engine``) or mpmath.
    n : int
        Number of model states (2 or 3).
    start : float
        Start of the centre iteration (a model-state energy).
    dps : int
        mpmath decimal digits of the 2x2 / 3x3 algebra.
    float_engine : bool
        Whether ``evaluate`` works in float64 (tolerances at float64 resolution).
    flip_symmetric : bool
        Set the two diagonal elements equal (2LS with all Delta_i = 0).

    Returns
    -------
    dict
        "centre" (E0), "k" (h - E0, mpmath n x n), "roots", "weights", "residual" (K), "negdef"
        (E_max - QHQ negative definite at every root), "exact_roots".
    """
    with mpmath.workdps(dps):
        tol = mpmath.mpf(10) ** (-13 if float_engine else -(dps - 8))
        ev = _float_evaluator(evaluate) if float_engine else _mp_evaluator(evaluate, dps)
        energy = _centre(ev, n, start, tol)
        k, roots, weights = _linearised(ev, n, energy, flip_symmetric)
        residual, negdef_all = _root_check(ev, roots)
        # the exact-root construction costs relative precision eps |E| / (root separation) in the
        # off-diagonal elements; use it only where the linearisation error is larger than that
        eps = mpmath.mpf(2) ** (-52) if float_engine else mpmath.mpf(10) ** (-dps)
        exact_roots = bool(residual > 10 * eps * (1 + abs(energy)))
        if exact_roots:
            k, roots, weights = _exact(ev, n, energy, roots, tol, flip_symmetric)
            residual, negdef_all = _root_check(ev, roots)
        return {"centre": energy, "k": k, "roots": roots, "weights": weights,
                "residual": float(residual), "negdef": negdef_all, "exact_roots": exact_roots}
