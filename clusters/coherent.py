"""Exact effective Hamiltonians of the coherent model space of a cluster (docs/theory.md sec. 3).

The model space P is spanned by the coherent states {|L...L>, |R...R>} of a 2LS cluster or
{|1...1>, |2...2>, |3...3>} of a 3LS cluster; Q is the rest of the (full or permutation-symmetric)
Hilbert space. Loewdin partitioning gives the energy-dependent effective Hamiltonian
(Brillouin-Wigner form)

    A(E) = P H P + P H Q (E - Q H Q)^{-1} Q H P,                                        (1)

whose eigenvalues E_k = eig_k A(E_k) are exact eigenvalues of H. Its derivative gives the metric
S(E) = I - dA/dE = I + X^dagger X with X = (E - QHQ)^{-1} Q H P: the squared norm of an exact
eigenstate whose P-part is v is v^dagger S v. Linearising A about the self-consistent centre E0
(E0 = tr A(E0) / n) and orthonormalising symmetrically gives the des Cloizeaux (Hermitian)
effective Hamiltonian

    h = E0 + S^{-1/2} (A(E0) - E0) S^{-1/2},                                             (2)

exact up to O((E_k - E0)^2 d^2A/dE^2); the neglected term is reported as ``energy_residual``
(max_k |eig_k A(lambda_k) - lambda_k| over the eigenvalues lambda_k of h).

Precision. The off-diagonal elements of h are exponentially small in N (1.5e-21 K at N = 12
for Delta0 = 1, J = -5) while the diagonal is O(N^2 |J|): a dense eigen-solve loses them.
Here Q is cut into layers by the number n_a of particles in well a; a single hop changes n_a by
at most one, so Q H Q is block tridiagonal and (E - QHQ) X = QHP is solved by block
elimination from the layer farthest from |a...a> inwards. The exponentially small elements of X
(and thus A_ab, S_ab) then arise as products of well-conditioned factors and keep their RELATIVE
precision in float64. The 3x3 problems use one layering per pair (a, b). Uniform 2LS clusters
are solved in the S = N/2 sector (tridiagonal in m = number of R particles) in mpmath (default
50 digits), which reaches N in the hundreds without underflow. All 2x2/3x3 algebra of (2) is
done in mpmath with operations that keep relative precision (LU-based Denman-Beavers square
root, no eigen-rotations of S).

Whether the model space is the low-energy space is decided exactly: the coherent multiplet
holds the n lowest exact states iff E_max - QHQ is negative definite at the highest root
E_max (Sylvester's law of inertia on the Schur complement; checked by Cholesky of every
eliminated block) and every exact multiplet state has a model-space weight above 1/2.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp

from tunnelsim.validation import (
    check_choice,
    check_int,
)

from ._arrays import three_level_arrays, two_level_arrays
from ._threads import single_blas_thread

__all__ = [
    "CoherentDoublet",
    "CoherentMultiplet",
    "coherent_doublet",
    "coherent_multiplet",
    "MAX_SHELL_N_TWO_LEVEL",
    "MAX_SHELL_N_THREE_LEVEL",
]

#: Largest disordered 2LS cluster for the full-space layer elimination (largest layer C(14, 7) = 3432).
MAX_SHELL_N_TWO_LEVEL = 14
#: Largest disordered 3LS cluster for the full-space layer elimination (3^8 = 6561 states).
MAX_SHELL_N_THREE_LEVEL = 8


# --------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class CoherentDoublet:
    """Exact effective 2LS of the coherent doublet {|L..L>, |R..R>} (energies in K).

    H_eff = offset + 1/2 (asymmetry sz + tunneling_signed sx), so that at zero asymmetry
    ``tunneling`` equals the doublet splitting (docs/theory.md sec. 1 convention).

    Attributes
    ----------
    n : int
        Number of particles.
    asymmetry : float
        Effective asymmetry h_LL - h_RR.
    tunneling : float
        Effective tunneling |2 h_LR| (>= 0; 0.0 where it underflows float64, see ``log10_tunneling``).
    hopping : float
        The signed element h_LR = <L..L|h|R..R> (its sign is (-1)^(N-1) for ferromagnetic clusters).
    log10_tunneling : float
        log10 of ``tunneling``, finite even below 1e-308.
    offset : float
        (h_LL + h_RR) / 2.
    splitting : float
        sqrt(asymmetry^2 + tunneling^2), the exact gap of the doublet.
    energies : tuple of float
        The two exact doublet energies (ascending).
    weights : tuple of float
        Model-space weight |P psi|^2 of the two exact doublet states (ascending energy).
    model_space_is_low_energy : bool
        True when the two lowest exact states are the doublet, each mainly (> 1/2) in the model space.
    energy_residual : float
        Error estimate of the linearisation, max_k |eig_k A(lambda_k) - lambda_k| (K).
    h_eff : numpy.ndarray
        The 2x2 effective Hamiltonian (float64; tiny elements may underflow).
    method : str
        "symmetric-sector/mpmath" or "layers/float64".
    """

    n: int
    asymmetry: float
    tunneling: float
    hopping: float
    log10_tunneling: float
    offset: float
    splitting: float
    energies: tuple[float, float]
    weights: tuple[float, float]
    model_space_is_low_energy: bool
    energy_residual: float
    h_eff: np.ndarray
    method: str


@dataclass(frozen=True)
class CoherentMultiplet:
    """Exact effective 3LS of the coherent multiplet {|1..1>, |2..2>, |3..3>} (K, rad).

    Attributes
    ----------
    n : int
        Number of particles.
    well_energies : tuple of float
        h_aa - offset (sum to zero).
    offset : float
        tr h / 3.
    hoppings : tuple of float
        |h_12|, |h_23|, |h_31| (0.0 where they underflow, see ``log10_hoppings``).
    log10_hoppings : tuple of float
        log10 of the hoppings.
    loop_phase : float
        arg(h_12 h_23 h_31) in (-pi, pi], the gauge-invariant flux phase of the effective 3LS.
    energies : tuple of float
        The three exact multiplet energies (ascending).
    weights : tuple of float
        Model-space weights of the three exact states.
    model_space_is_low_energy : bool
        True when the three lowest exact states are the multiplet, each mainly in the model space.
    energy_residual : float
        Linearisation error estimate (K).
    h_eff : numpy.ndarray
        The 3x3 complex effective Hamiltonian.
    method : str
        "symmetric-sector/float64" or "layers/float64".
    """

    n: int
    well_energies: tuple[float, float, float]
    offset: float
    hoppings: tuple[float, float, float]
    log10_hoppings: tuple[float, float, float]
    loop_phase: float
    energies: tuple[float, float, float]
    weights: tuple[float, float, float]
    model_space_is_low_energy: bool
    energy_residual: float
    h_eff: np.ndarray
    method: str


# ------------------------------------------------------------------------- layered elimination
class _Layered:
    """Block-tridiagonal elimination of Q for one layering (float64 or complex128)."""

    def __init__(self, h: sp.csr_matrix, layer_of: np.ndarray, model: np.ndarray) -> None:
        self.model = model
        in_q = np.ones(h.shape[0], dtype=bool)
        in_q[model] = False
        top = int(layer_of[in_q].max()) if in_q.any() else -1
        self.layers = [np.flatnonzero(in_q & (layer_of == k)) for k in range(top + 1)]
        self.layers = [lay for lay in self.layers if lay.size]
        self.diag = [h[lay][:, lay].toarray() for lay in self.layers]
        self.up = [h[self.layers[k]][:, self.layers[k + 1]].toarray() for k in range(len(self.layers) - 1)]
        self.src = [h[lay][:, model].toarray() for lay in self.layers]
        self.hpp = h[model][:, model].toarray()
        self.dtype = np.result_type(h.dtype, float)
        # the layers must be block tridiagonal: check that no hop skips a layer
        pos = np.full(h.shape[0], -1)
        for k, lay in enumerate(self.layers):
            pos[lay] = k
        coo = h.tocoo()
        both = (pos[coo.row] >= 0) & (pos[coo.col] >= 0)
        if np.any(np.abs(pos[coo.row][both] - pos[coo.col][both]) > 1):
            raise RuntimeError("internal error: the layering of Q is not block tridiagonal")

    def solve(self, energy: float) -> tuple[np.ndarray, np.ndarray, bool]:
        """Return A(E) (eq. 1), S(E) = I + X^H X and whether E - QHQ is negative definite."""
        n = self.model.size
        nl = len(self.layers)
        if nl == 0:
            return self.hpp.astype(self.dtype), np.eye(n, dtype=self.dtype), True
        negdef = True
        inv: list = [None] * nl
        y: list = [None] * nl
        for k in range(nl - 1, -1, -1):
            d = energy * np.eye(self.diag[k].shape[0]) - self.diag[k]
            yk = self.src[k].astype(self.dtype)
            if k < nl - 1:
                up = self.up[k]
                d = d - up @ (inv[k + 1] @ up.conj().T)
                yk = yk + up @ (inv[k + 1] @ y[k + 1])
            if negdef:
                # Sylvester: E - QHQ is negative definite iff every eliminated block is
                try:
                    sla.cho_factor(-d, lower=True, check_finite=False)
                except np.linalg.LinAlgError:
                    negdef = False
            # explicit inverses (small, well-conditioned blocks); LAPACK triangular solves are
            # far slower than gemm under threaded OpenBLAS on busy machines
            inv[k] = np.linalg.inv(d)
            y[k] = yk
        x: list = [None] * nl
        for k in range(nl):
            rhs = y[k] if k == 0 else y[k] + self.up[k - 1].conj().T @ x[k - 1]
            x[k] = inv[k] @ rhs
        sigma = sum(self.src[k].conj().T @ x[k] for k in range(nl))
        metric = np.eye(n, dtype=self.dtype) + sum(x[k].conj().T @ x[k] for k in range(nl))
        return self.hpp + sigma, metric, negdef


def _merged_evaluator(h: sp.csr_matrix, counts: np.ndarray, model: np.ndarray
                      ) -> Callable[[float], tuple[np.ndarray, np.ndarray, bool]]:
    """A(E), S(E) with each pair (a, b), a < b, taken from the layering by n_a."""
    n = model.size
    layerings = [_Layered(h, counts[:, a], model) for a in range(n - 1)]

    def evaluate(energy: float):
        res = [lay.solve(energy) for lay in layerings]
        a_mat = res[0][0].copy()
        s_mat = res[0][1].copy()
        for a in range(1, n - 1):
            for b in range(a + 1, n):
                a_mat[a, b] = res[a][0][a, b]
                a_mat[b, a] = np.conj(res[a][0][a, b])
                s_mat[a, b] = res[a][1][a, b]
                s_mat[b, a] = np.conj(res[a][1][a, b])
        # Hermitise the pair elements with the accurate one (row a of layering a)
        for b in range(1, n):
            a_mat[b, 0] = np.conj(a_mat[0, b])
            s_mat[b, 0] = np.conj(s_mat[0, b])
        return a_mat, s_mat, all(r[2] for r in res)

    return evaluate


# --------------------------------------------------------------------------- mpmath 2x2 / 3x3
def _to_mp(a: np.ndarray) -> mpmath.matrix:
    n = a.shape[0]
    out = mpmath.matrix(n, n)
    for i in range(n):
        for j in range(n):
            z = complex(a[i, j])
            out[i, j] = mpmath.mpf(z.real) if z.imag == 0 else mpmath.mpc(z.real, z.imag)
    return out


def _mp_trace(a: mpmath.matrix) -> mpmath.mpf:
    return mpmath.re(sum(a[i, i] for i in range(a.rows)))


def _inv_sqrt(s: mpmath.matrix) -> mpmath.matrix:
    """S^{-1/2} by the Denman-Beavers iteration (LU inverses keep tiny elements' relative precision)."""
    n = s.rows
    y = s.copy()
    z = mpmath.eye(n)
    for _ in range(200):
        yi, zi = mpmath.inverse(y), mpmath.inverse(z)
        y_new = (y + zi) / 2
        z_new = (z + yi) / 2
        change = max(abs(z_new[i, j] - z[i, j]) / (abs(z_new[i, j]) + mpmath.mpf(10) ** (-10 * mpmath.mp.dps))
                     for i in range(n) for j in range(n))
        y, z = y_new, z_new
        if change < mpmath.mpf(10) ** (-mpmath.mp.dps + 5):
            break
    return (z + z.H) / 2


def _eigh_mp(a: mpmath.matrix) -> tuple[list, mpmath.matrix]:
    e, q = mpmath.eighe(a) if any(isinstance(a[i, j], mpmath.mpc) for i in range(a.rows)
                                  for j in range(a.cols)) else mpmath.eigsy(a)
    order = sorted(range(a.rows), key=lambda k: e[k])
    vals = [mpmath.re(e[k]) for k in order]
    vecs = mpmath.matrix(a.rows, a.rows)
    for c, k in enumerate(order):
        for i in range(a.rows):
            vecs[i, c] = q[i, k]
    return vals, vecs


def _root_check(ev: Callable, roots: list) -> tuple:
    """Largest |lambda_idx(H_eff(root_idx)) - root_idx| over the roots, and the AND of the evaluator's
    low-energy flag (third value of ``ev``) at every root."""
    residual = mpmath.mpf(0)
    negdef_all = True
    for idx, root in enumerate(roots):
        a_r, _s_r, neg_r = ev(root)
        lam, _ = _eigh_mp((a_r + a_r.H) / 2)
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
        return _mp_trace(a) / n - energy, _mp_trace(s) / n, neg

    width = 1 + abs(start)
    lo = start - width
    for _ in range(200):
        g, _, neg = g_of(lo)
        if neg and g > 0:
            break
        lo -= width
        width *= 2
    else:  # pragma: no cover - g is +inf far below the spectrum
        raise RuntimeError("could not bracket the self-consistent centre E0 = tr A(E0)/n from below")
    hi = start
    for _ in range(200):
        g, _, neg = g_of(hi)
        if (not neg) or g < 0:
            break
        hi = hi + (hi - lo)
    for _ in range(400):
        mid = (lo + hi) / 2
        g, gs, neg = g_of(mid)
        if neg and g > 0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= tol * (1 + abs(mid)):
            return (lo + hi) / 2
    raise RuntimeError("the self-consistent centre E0 = tr A(E0)/n did not converge "
                       "(the model space is far from an isolated low-energy multiplet)")


def _effective(evaluate: Callable, n: int, start: float, dps: int, float_engine: bool,
               flip_symmetric: bool) -> dict:
    """Solve eq. (1) self-consistently for the centre E0 and build h by eq. (2)."""
    with mpmath.workdps(dps):
        tol = mpmath.mpf(10) ** (-13 if float_engine else -(dps - 8))

        def ev(energy):
            if float_engine:
                for shift in (0.0, 1e-12, -1e-12, 1e-9):
                    # E may hit an eigenvalue of QHQ exactly (symmetric weak-coupling cases): nudge it
                    try:
                        a, s, neg = evaluate(float(energy) + shift * (1 + abs(float(energy))))
                        break
                    except np.linalg.LinAlgError:
                        continue
                else:
                    raise RuntimeError("E - QHQ is singular at every trial energy near the multiplet: "
                                       "the coherent model space is degenerate with other states")
                return _to_mp(a), _to_mp(s), neg
            try:
                return evaluate(energy)
            except ZeroDivisionError:
                return evaluate(energy * (1 + mpmath.mpf(10) ** (-dps // 2)) + mpmath.mpf(10) ** (-dps // 2))

        energy = mpmath.mpf(start)
        converged = False
        for _ in range(200):
            a, s, _neg = ev(energy)
            g = _mp_trace(a) / n - energy
            step = g / (_mp_trace(s) / n)
            energy = energy + step
            if abs(step) <= tol * (1 + abs(energy)):
                converged = True
                break
        if not converged:
            energy = _bracketed_centre(ev, n, mpmath.mpf(start), tol)
        a, s, _neg = ev(energy)
        sih = _inv_sqrt(s)
        k = sih * (a - energy * mpmath.eye(n)) * sih
        k = (k + k.H) / 2
        if flip_symmetric:
            mean = (k[0, 0] + k[1, 1]) / 2
            k[0, 0] = k[1, 1] = mean
        vals, vecs = _eigh_mp(k)
        roots = [energy + v for v in vals]
        sinv = mpmath.inverse(s)
        weights = []
        for c in range(n):
            w = vecs[:, c]
            weights.append(float(mpmath.re((w.H * sinv * w)[0, 0])))
        # linearisation residual and the low-energy test at every root
        residual, negdef_all = _root_check(ev, roots)
        # the exact-root construction below costs relative precision eps |E| / (root separation) in the
        # off-diagonal elements; use it only where the linearisation error is larger than that
        eps = mpmath.mpf(2) ** (-52) if float_engine else mpmath.mpf(10) ** (-dps)
        exact_roots = bool(residual > 10 * eps * (1 + abs(energy)))
        if exact_roots:
            # roots resolvable: each exact root and its P-projection, then the des Cloizeaux h
            u = mpmath.matrix(n, n)
            for idx in range(n):
                root = roots[idx]
                for _ in range(100):
                    a_r, s_r, _neg = ev(root)
                    lam, vec = _eigh_mp((a_r + a_r.H) / 2)
                    v = vec[:, idx]
                    norm = mpmath.re((v.H * s_r * v)[0, 0])
                    step = (lam[idx] - root) / norm
                    root = root + step
                    if abs(step) <= tol * (1 + abs(root)):
                        break
                a_r, s_r, _neg = ev(root)
                lam, vec = _eigh_mp((a_r + a_r.H) / 2)
                v = vec[:, idx]
                norm = mpmath.re((v.H * s_r * v)[0, 0])
                weights[idx] = float(1 / norm)
                roots[idx] = root
                for i in range(n):
                    u[i, idx] = v[i] / mpmath.sqrt(norm)
            ut = u * _inv_sqrt(u.H * u)
            diag = mpmath.diag([roots[i] - energy for i in range(n)])
            k = ut * diag * ut.H
            k = (k + k.H) / 2
            if flip_symmetric:
                mean = (k[0, 0] + k[1, 1]) / 2
                k[0, 0] = k[1, 1] = mean
        if exact_roots:
            residual, negdef_all = _root_check(ev, roots)
        return {"centre": energy, "k": k, "roots": roots, "weights": weights,
                "residual": float(residual), "negdef": negdef_all, "exact_roots": exact_roots}


def _log10(x) -> float:
    x = abs(x)
    return float(mpmath.log10(x)) if x != 0 else -math.inf


# ------------------------------------------------------------------------------ 2LS clusters
def _is_uniform_two_level(delta, d0, j) -> bool:
    n = d0.size
    if n == 1:
        return True
    off = j[~np.eye(n, dtype=bool)]
    return bool(np.all(delta == delta[0]) and np.all(d0 == d0[0]) and np.all(off == off[0]))


def _two_level_sector_evaluator(n: int, delta: float, d0: float, j: float):
    """A(E), S(E) of the S = N/2 sector (tridiagonal in m = number of R particles), in mpmath."""
    dm = [mpmath.mpf(delta) / 2 * (n - 2 * m) + mpmath.mpf(j) * ((n - 2 * m) ** 2 - n) / 2 for m in range(n + 1)]
    hm = [mpmath.mpf(d0) / 2 * mpmath.sqrt((m + 1) * (n - m)) for m in range(n)]

    def evaluate(energy):
        if n == 1:
            return mpmath.matrix([[dm[0], hm[0]], [hm[0], dm[1]]]), mpmath.eye(2), True
        # Q = m = 1..n-1; eliminate from the top (m = n-1) downwards
        dd = {}
        yr = {}
        negdef = True
        for m in range(n - 1, 0, -1):
            val = energy - dm[m]
            y = hm[n - 1] if m == n - 1 else mpmath.mpf(0)
            if m < n - 1:
                val -= hm[m] ** 2 / dd[m + 1]
                y = hm[m] * yr[m + 1] / dd[m + 1]
            dd[m] = val
            yr[m] = y
            negdef = negdef and val < 0
        xl, xr = {}, {}
        for m in range(1, n):
            if m == 1:
                xl[m] = hm[0] / dd[1]
                xr[m] = yr[1] / dd[1]
            else:
                xl[m] = hm[m - 1] * xl[m - 1] / dd[m]
                xr[m] = (yr[m] + hm[m - 1] * xr[m - 1]) / dd[m]
        sll = hm[0] * xl[1]
        slr = hm[0] * xr[1]
        srr = hm[n - 1] * xr[n - 1]
        a = mpmath.matrix([[dm[0] + sll, slr], [slr, dm[n] + srr]])
        s_ll = 1 + sum(xl[m] ** 2 for m in range(1, n))
        s_lr = sum(xl[m] * xr[m] for m in range(1, n))
        s_rr = 1 + sum(xr[m] ** 2 for m in range(1, n))
        return a, mpmath.matrix([[s_ll, s_lr], [s_lr, s_rr]]), negdef

    return evaluate, min(dm[0], dm[n])


def _two_level_full_hamiltonian(delta, d0, j) -> tuple[sp.csr_matrix, np.ndarray]:
    n = d0.size
    dim = 2**n
    states = np.arange(dim)
    bits = (states[:, None] >> np.arange(n)[None, :]) & 1
    s = 1.0 - 2.0 * bits
    diag = 0.5 * s @ delta + 0.5 * np.einsum("ki,ij,kj->k", s, j, s)
    rows, cols, vals = [states], [states], [diag]
    for i in range(n):
        if d0[i] != 0:
            rows.append(states ^ (1 << i))
            cols.append(states)
            vals.append(np.full(dim, 0.5 * d0[i]))
    h = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(dim, dim))
    counts = np.stack([n - bits.sum(axis=1), bits.sum(axis=1)], axis=1)   # (n_L, n_R)
    return h, counts


def coherent_doublet(cluster: object, *, method: str = "auto", dps: int = 50) -> CoherentDoublet:
    """Exact effective 2LS of the coherent states {|L..L>, |R..R>} of a 2LS cluster.

    Loewdin partitioning, eq. (1) of this module, solved self-consistently and turned into
    the Hermitian (des Cloizeaux) effective Hamiltonian by eq. (2); docs/theory.md sec. 3
    ("Exact counterpart"), to be compared with the appendix's rule Delta0_N = sum Delta0_i
    (paper A.13-A.15). Accurate to relative precision for splittings far below the float64
    resolution of the total energy (see the module docstring).

    Parameters
    ----------
    cluster : TwoLevelCluster or any object with ``asymmetries`` (N,), ``tunnelings`` (N,),
        ``couplings`` (N, N) in K.
    method : {"auto", "symmetric", "layers"}
        "symmetric": S = N/2 sector in mpmath (uniform clusters only, any N);
        "layers": full space 2^N, layer elimination in float64 (N <= 14);
        "auto": "symmetric" for uniform clusters, else "layers".
    dps : int
        mpmath decimal digits for the symmetric-sector method.

    Returns
    -------
    CoherentDoublet
    """
    method = check_choice(method, "method", ("auto", "symmetric", "layers"))
    dps = check_int(dps, "dps", minimum=20, maximum=2000)
    delta, d0, j = two_level_arrays(cluster)
    n = d0.size
    uniform = _is_uniform_two_level(delta, d0, j)
    if method == "symmetric" and not uniform:
        raise ValueError("method='symmetric' needs a uniform cluster (equal asymmetries, tunnelings and "
                         "all-to-all couplings); use method='layers'")
    if method == "auto":
        method = "symmetric" if uniform else "layers"
    flip_symmetric = bool(np.all(delta == 0))
    if method == "symmetric":
        jj = float(j[0, 1]) if n > 1 else 0.0
        evaluate, start = _two_level_sector_evaluator(n, float(delta[0]), float(d0[0]), jj)
        res = _effective(evaluate, 2, start, dps, float_engine=False, flip_symmetric=flip_symmetric)
        label = "symmetric-sector/mpmath"
    else:
        if n > MAX_SHELL_N_TWO_LEVEL:
            raise ValueError(f"cluster of n = {n} particles is too large for the full-space layer "
                             f"elimination (n <= {MAX_SHELL_N_TWO_LEVEL}: the middle layer alone needs "
                             f"{math.comb(n, n // 2) ** 2 * 8 / 2**30:.1f} GiB); uniform clusters use "
                             f"method='symmetric'")
        h, counts = _two_level_full_hamiltonian(delta, d0, j)
        model = np.array([0, 2**n - 1])
        evaluate = _merged_evaluator(h, counts, model)
        start = float(min(h[0, 0], h[2**n - 1, 2**n - 1]))
        with single_blas_thread():
            res = _effective(evaluate, 2, start, 30, float_engine=True, flip_symmetric=flip_symmetric)
        label = "layers/float64"
    with mpmath.workdps(dps):
        k = res["k"]
        hop = mpmath.re(k[0, 1])
        asym = mpmath.re(k[0, 0] - k[1, 1])
        tun = 2 * abs(hop)
        centre = res["centre"] + mpmath.re(k[0, 0] + k[1, 1]) / 2
        h_eff = np.array([[float(res["centre"] + mpmath.re(k[0, 0])), float(hop)],
                          [float(hop), float(res["centre"] + mpmath.re(k[1, 1]))]])
        weights = tuple(res["weights"])
        low = bool(res["negdef"] and min(weights) > 0.5)
        return CoherentDoublet(
            n=int(n), asymmetry=float(asym), tunneling=float(tun), hopping=float(hop),
            log10_tunneling=_log10(tun), offset=float(centre),
            splitting=float(mpmath.sqrt(asym**2 + tun**2)),
            energies=(float(res["roots"][0]), float(res["roots"][1])), weights=weights,
            model_space_is_low_energy=low, energy_residual=res["residual"], h_eff=h_eff, method=label)


# ------------------------------------------------------------------------------ 3LS clusters
def _single_three_level(e: np.ndarray, d0: float, phi: float) -> np.ndarray:
    w = np.exp(1j * phi / 3)
    return np.array([[e[0], d0 * w, d0 * np.conj(w)],
                     [d0 * np.conj(w), e[1], d0 * w],
                     [d0 * w, d0 * np.conj(w), e[2]]])


def _three_level_sector_hamiltonian(n: int, e: np.ndarray, d0: float, j: float, phi: float):
    """Symmetric (Schwinger-boson) sector: states (n1, n2, n3), n1 + n2 + n3 = N."""
    states = [(a, b, n - a - b) for a in range(n, -1, -1) for b in range(n - a, -1, -1)]
    index = {s: i for i, s in enumerate(states)}
    h1 = _single_three_level(e, d0, phi)
    rows, cols, vals = [], [], []
    for i, occ in enumerate(states):
        rows.append(i)
        cols.append(i)
        vals.append(sum(occ[a] * e[a] + j * occ[a] * (occ[a] - 1) / 2 for a in range(3)))
        for a in range(3):
            for b in range(3):
                if a != b and occ[b] > 0:
                    new = list(occ)
                    new[a] += 1
                    new[b] -= 1
                    rows.append(index[tuple(new)])
                    cols.append(i)
                    vals.append(h1[a, b] * math.sqrt((occ[a] + 1) * occ[b]))
    dim = len(states)
    h = sp.csr_matrix((np.array(vals, dtype=complex), (rows, cols)), shape=(dim, dim))
    counts = np.array(states)
    model = np.array([index[(n, 0, 0)], index[(0, n, 0)], index[(0, 0, n)]])
    return h, counts, model


def _three_level_full_hamiltonian(e: np.ndarray, d0: np.ndarray, j: np.ndarray, phi: float):
    n = d0.size
    dim = 3**n
    states = np.arange(dim)
    digits = (states[:, None] // 3 ** np.arange(n)[None, :]) % 3
    diag = e[np.arange(n)[None, :], digits].sum(axis=1)
    same = digits[:, :, None] == digits[:, None, :]
    diag = diag + 0.5 * np.einsum("kij,ij->k", same, j)
    rows, cols, vals = [states], [states], [diag.astype(complex)]
    for i in range(n):
        h1 = _single_three_level(e[i], d0[i], phi)
        for a in range(3):
            for b in range(3):
                if a == b:
                    continue
                sel = states[digits[:, i] == b]
                rows.append(sel + (a - b) * 3**i)
                cols.append(sel)
                vals.append(np.full(sel.size, h1[a, b]))
    h = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(dim, dim))
    counts = np.stack([(digits == a).sum(axis=1) for a in range(3)], axis=1)
    model = np.array([0, sum(3**i for i in range(n)), sum(2 * 3**i for i in range(n))])
    return h, counts, model


def coherent_multiplet(cluster: object, *, method: str = "auto") -> CoherentMultiplet:
    """Exact effective 3LS of the coherent states {|1..1>, |2..2>, |3..3>} of a 3LS cluster.

    Loewdin partitioning and des Cloizeaux orthonormalisation, eqs. (1)-(2) of this module
    (docs/theory.md sec. 3), to be compared with the appendix's rules D_N = sum D0_i, summed
    well energies, charge N Q and loop phase N phi (paper A.16-A.20).

    Parameters
    ----------
    cluster : ThreeLevelCluster or any object with ``energies`` (N, 3), ``d0s`` (N,),
        ``couplings`` (N, N) in K and ``phi`` in rad.
    method : {"auto", "symmetric", "layers"}
        "symmetric": Schwinger-boson sector, dimension (N+1)(N+2)/2 (uniform clusters only);
        "layers": full space 3^N (N <= 8); "auto" picks "symmetric" for uniform clusters.
        Both eliminate Q layer by layer in float64 (hoppings below ~1e-300 K underflow).

    Returns
    -------
    CoherentMultiplet
    """
    method = check_choice(method, "method", ("auto", "symmetric", "layers"))
    e, d0, j, phi = three_level_arrays(cluster)
    n = d0.size
    off = j[~np.eye(n, dtype=bool)]
    uniform = bool(np.all(e == e[0]) and np.all(d0 == d0[0]) and (n == 1 or np.all(off == off[0])))
    if method == "symmetric" and not uniform:
        raise ValueError("method='symmetric' needs a uniform cluster (equal energies, d0s and all-to-all "
                         "couplings); use method='layers'")
    if method == "auto":
        method = "symmetric" if uniform else "layers"
    if method == "symmetric":
        check_int(n, "cluster.n", maximum=400)
        h, counts, model = _three_level_sector_hamiltonian(n, e[0], float(d0[0]), float(off[0]) if n > 1 else 0.0,
                                                           phi)
        label = "symmetric-sector/float64"
    else:
        if n > MAX_SHELL_N_THREE_LEVEL:
            raise ValueError(f"cluster of n = {n} particles is too large for the full-space layer elimination "
                             f"(n <= {MAX_SHELL_N_THREE_LEVEL}, 3^n states); uniform clusters use "
                             f"method='symmetric'")
        h, counts, model = _three_level_full_hamiltonian(e, d0, j, phi)
        label = "layers/float64"
    if n == 1:
        evaluate = lambda energy: (h.toarray(), np.eye(3, dtype=complex), True)  # noqa: E731
    else:
        evaluate = _merged_evaluator(h, counts, model)
    start = float(np.min(h.diagonal()[model].real))
    with single_blas_thread():
        res = _effective(evaluate, 3, start, 30, float_engine=True, flip_symmetric=False)
    with mpmath.workdps(30):
        k = res["k"]
        c = res["centre"]
        hmat = np.array([[complex(c * (a == b) + k[a, b]) for b in range(3)] for a in range(3)])
        offset = float(mpmath.re(k[0, 0] + k[1, 1] + k[2, 2]) / 3)
        wells = tuple(float(mpmath.re(k[a, a]) - offset) for a in range(3))
        pairs = [(0, 1), (1, 2), (2, 0)]
        hops = tuple(float(abs(k[a, b])) for a, b in pairs)
        logs = tuple(_log10(k[a, b]) for a, b in pairs)
        loop = k[0, 1] * k[1, 2] * k[2, 0]
        phase = float(mpmath.arg(loop)) if loop != 0 else float("nan")
        weights = tuple(res["weights"])
        low = bool(res["negdef"] and min(weights) > 0.5)
        return CoherentMultiplet(
            n=int(n), well_energies=wells, offset=float(c) + offset, hoppings=hops, log10_hoppings=logs,
            loop_phase=phase, energies=tuple(float(r) for r in res["roots"]), weights=weights,
            model_space_is_low_energy=low, energy_residual=res["residual"], h_eff=hmat, method=label)
