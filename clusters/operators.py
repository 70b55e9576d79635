"""Cluster Hamiltonians in the full product space: diagonal vectors, matrix-free matvec, CSR builders.

Basis convention (docs/clusters.md, sec. "Basis"): a basis state of N particles with local
dimension d (2 for 2LS, 3 for 3LS) is the tuple of well labels (a_0, ..., a_{N-1}), a_i in
0..d-1, with index ``s = sum_i a_i d^(N-1-i)``: particle 0 is the most significant digit, i.e.
the leftmost factor of ``qutip.tensor``. For a 2LS, a_i = 0 is |L> (sigma_z = +1) and
a_i = 1 is |R> (sigma_z = -1).

Every cluster Hamiltonian treated here (THEORY.md sec. 3) has the form

    H = diag(D) + sum_i h_i,

where D is a vector of length d^N (well energies and pair couplings) and h_i is a purely
off-diagonal d x d matrix acting on particle i (the tunneling). The matrix-free product applies
h_i in a numba kernel that walks the state in cache-sized chunks of d^m amplitudes (one parallel
loop per product); the matrix is never stored.
"""

from __future__ import annotations

import numba
import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator

__all__ = [
    "two_level_diagonal",
    "three_level_diagonal",
    "two_level_offdiagonal",
    "three_level_offdiagonal",
    "apply_hamiltonian",
    "hamiltonian_operator",
    "hamiltonian_csr",
    "norm_bound",
]


def two_level_diagonal(asymmetries: np.ndarray, couplings: np.ndarray) -> np.ndarray:
    """Diagonal of the 2LS cluster Hamiltonian, in kelvin (THEORY.md sec. 3; docs/clusters.md sec. 1).

    D(s) = sum_i Delta_i z_i / 2 + sum_{i<j} J_ij z_i z_j with z_i = +1 (L) or -1 (R).

    Built particle by particle: adding particle k multiplies the vector length by 2 and adds
    z_k (Delta_k / 2 + sum_{j<k} J_jk z_j), so the cost is O(N 2^N) with no N x 2^N table.

    Parameters
    ----------
    asymmetries : ndarray, shape (N,)
        Delta_i in K.
    couplings : ndarray, shape (N, N)
        Symmetric J_ij in K with zero diagonal.

    Returns
    -------
    ndarray, shape (2**N,)
    """
    n = len(asymmetries)
    diag = np.zeros(1)
    for k in range(n):
        field = np.full(2**k, 0.5 * asymmetries[k])
        for j in range(k):
            if couplings[j, k] != 0.0:
                view = field.reshape(2**j, 2, 2 ** (k - 1 - j))
                view[:, 0, :] += couplings[j, k]
                view[:, 1, :] -= couplings[j, k]
        new = np.empty((2**k, 2))
        new[:, 0] = diag + field
        new[:, 1] = diag - field
        diag = new.reshape(-1)
    return diag


def three_level_diagonal(energies: np.ndarray, couplings: np.ndarray) -> np.ndarray:
    """Diagonal of the 3LS cluster Hamiltonian, in kelvin (THEORY.md sec. 3).

    D(a_0..a_{N-1}) = sum_i E^i_{a_i} + sum_{i<j} J_ij delta(a_i, a_j): each particle in its well
    energy, plus J_ij for every pair sitting in the same well.

    Parameters
    ----------
    energies : ndarray, shape (N, 3)
        Well energies E^i_a in K (rows sum to zero).
    couplings : ndarray, shape (N, N)
        Symmetric J_ij in K, zero diagonal.

    Returns
    -------
    ndarray, shape (3**N,)
    """
    n = energies.shape[0]
    diag = np.zeros(1)
    for k in range(n):
        new = np.empty((3**k, 3))
        for a in range(3):
            field = np.full(3**k, energies[k, a])
            for j in range(k):
                if couplings[j, k] != 0.0:
                    field.reshape(3**j, 3, 3 ** (k - 1 - j))[:, a, :] += couplings[j, k]
            new[:, a] = diag + field
        diag = new.reshape(-1)
    return diag


def two_level_offdiagonal(tunnelings: np.ndarray) -> np.ndarray:
    """One-particle tunneling matrices h_i = Delta0_i sigma_x / 2 (THEORY.md sec. 1, paper eq. 1).

    Returns
    -------
    ndarray, shape (N, 2, 2), float
    """
    h = np.zeros((len(tunnelings), 2, 2))
    h[:, 0, 1] = h[:, 1, 0] = 0.5 * np.asarray(tunnelings)
    return h


def three_level_offdiagonal(d0s: np.ndarray, phi: float) -> np.ndarray:
    """One-particle 3LS hopping matrices with the Peierls phase (THEORY.md sec. 1, paper eq. 3).

    H12 = H23 = H31 = D0 e^{i phi/3} and their conjugates; the loop product is D0^3 e^{i phi}.
    Real (float) when phi = 0, complex otherwise.

    Returns
    -------
    ndarray, shape (N, 3, 3)
    """
    d0s = np.asarray(d0s, dtype=float)
    if phi == 0.0:
        h = np.zeros((len(d0s), 3, 3))
        for a, b in ((0, 1), (1, 2), (0, 2)):
            h[:, a, b] = h[:, b, a] = d0s
        return h
    w = np.exp(1j * phi / 3.0)
    h = np.zeros((len(d0s), 3, 3), dtype=complex)
    for a, b in ((0, 1), (1, 2), (2, 0)):
        h[:, a, b] = d0s * w
        h[:, b, a] = d0s * np.conj(w)
    return h


@numba.njit(parallel=True, cache=True)
def _matvec_chunked(x, y, diag, hoff, d, n, m):  # pragma: no cover - compiled
    """y = diag * x + sum_i h_i x, in chunks of d^m consecutive amplitudes (one parallel loop).

    Within a chunk the first n - m particles ("high" digits) are fixed, so their neighbours form
    another contiguous chunk at offset (v - a_i) d^(n-1-i); the last m particles act inside the
    chunk through its block structure. The y chunk stays in cache while all N terms are added.
    """
    dim = x.shape[0]
    chunk = d**m
    nchunks = dim // chunk
    for c in numba.prange(nchunks):
        base = c * chunk
        for t in range(chunk):
            y[base + t] = diag[base + t] * x[base + t]
        for i in range(n - m):
            p = d ** (n - 1 - i)
            digit = (base // p) % d
            for v in range(d):
                if v != digit:
                    cc = hoff[i, digit, v]
                    if cc != 0:
                        off = base + (v - digit) * p
                        for t in range(chunk):
                            y[base + t] += cc * x[off + t]
        for i in range(n - m, n):
            p = d ** (n - 1 - i)
            blocks = chunk // (d * p)
            for a in range(blocks):
                b0 = base + a * d * p
                for u in range(d):
                    for v in range(d):
                        if u != v:
                            cc = hoff[i, u, v]
                            if cc != 0:
                                ou = b0 + u * p
                                ov = b0 + v * p
                                for t in range(p):
                                    y[ou + t] += cc * x[ov + t]


#: Target number of amplitudes per chunk of the matrix-free product (fits the L2 cache).
CHUNK_TARGET = 4096


def _chunk_particles(n: int, d: int) -> int:
    m = 0
    while m < n and d ** (m + 1) <= CHUNK_TARGET:
        m += 1
    return max(m, 1)


def apply_hamiltonian(diag: np.ndarray, hoff: np.ndarray, x: np.ndarray) -> np.ndarray:
    """y = H x without storing H (docs/clusters.md sec. 3, matrix-free Lanczos).

    Parameters
    ----------
    diag : ndarray, shape (d**N,)
        Diagonal of H (from :func:`two_level_diagonal` or :func:`three_level_diagonal`).
    hoff : ndarray, shape (N, d, d)
        Off-diagonal one-particle matrices h_i.
    x : ndarray, shape (d**N,)
        State vector.

    Returns
    -------
    ndarray, shape (d**N,)
    """
    n, d = hoff.shape[0], hoff.shape[1]
    dtype = np.result_type(diag.dtype, hoff.dtype, x.dtype)
    x = np.ascontiguousarray(x.reshape(-1), dtype=dtype)
    y = np.empty_like(x)
    _matvec_chunked(x, y, diag.astype(dtype, copy=False), hoff.astype(dtype, copy=False), d, n,
                    _chunk_particles(n, d))
    return y


def hamiltonian_operator(diag: np.ndarray, hoff: np.ndarray) -> LinearOperator:
    """The cluster Hamiltonian as a :class:`scipy.sparse.linalg.LinearOperator` (matrix-free).

    The operator is Hermitian; its dtype is complex when ``hoff`` is complex (3LS in a field).
    """
    dim = diag.shape[0]
    dtype = np.result_type(diag.dtype, hoff.dtype)

    def matvec(x: np.ndarray) -> np.ndarray:
        return apply_hamiltonian(diag, hoff, x)

    def matmat(xs: np.ndarray) -> np.ndarray:
        return np.column_stack([apply_hamiltonian(diag, hoff, xs[:, j]) for j in range(xs.shape[1])])

    return LinearOperator((dim, dim), matvec=matvec, rmatvec=matvec, matmat=matmat, dtype=dtype)


def hamiltonian_csr(diag: np.ndarray, hoff: np.ndarray) -> sp.csr_matrix:
    """The cluster Hamiltonian as a scipy CSR matrix (docs/clusters.md sec. 3).

    Each row holds exactly ``1 + N (d - 1)`` entries (the diagonal and one neighbour for every
    other well of every particle), so the CSR arrays are filled directly, without a COO sort.
    Explicit zeros (e.g. a zero tunneling) are kept; they do not change any product.

    Returns
    -------
    scipy.sparse.csr_matrix, shape (d**N, d**N)
    """
    n, d = hoff.shape[0], hoff.shape[1]
    dim = diag.shape[0]
    width = 1 + n * (d - 1)
    itype = np.int32 if dim * width < 2**31 else np.int64
    dtype = np.result_type(diag.dtype, hoff.dtype)
    cols = np.empty((dim, width), dtype=itype)
    vals = np.empty((dim, width), dtype=dtype)
    rows = np.arange(dim, dtype=itype)
    cols[:, 0] = rows
    vals[:, 0] = diag
    col = 1
    for i in range(n):
        p = d ** (n - 1 - i)
        digit = (rows // p) % d
        for shift in range(1, d):
            other = (digit + shift) % d
            cols[:, col] = rows + (other - digit) * p
            vals[:, col] = hoff[i][digit, other]
            col += 1
    indptr = np.arange(0, dim * width + 1, width, dtype=itype)
    mat = sp.csr_matrix((vals.reshape(-1), cols.reshape(-1), indptr), shape=(dim, dim))
    mat.sort_indices()
    return mat


def norm_bound(diag: np.ndarray, hoff: np.ndarray) -> float:
    """Upper bound on the operator norm ||H|| (max |diagonal| + sum of the largest row sums of h_i).

    Used to scale residual tolerances of the iterative solvers.
    """
    off = float(np.sum(np.max(np.sum(np.abs(hoff), axis=2), axis=1))) if hoff.size else 0.0
    return float(np.max(np.abs(diag))) + off
