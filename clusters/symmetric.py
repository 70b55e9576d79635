"""Permutation-symmetric sectors of uniform clusters (THEORY.md sec. 3; docs/clusters.md sec. 2).

A uniform cluster (identical particles, all-to-all coupling J) commutes with every permutation
of the particles, so the fully symmetric states form an invariant subspace.

**2LS** (total spin S = N/2, dimension N + 1). Basis state index ``m = 0..N`` is the number of
particles in the right well R: ``|m> = C(N, m)^(-1/2) sum_{configurations with m R's} |config>``,
so ``m = 0`` is |L...L> and ``m = N`` is |R...R>; in spin language |S = N/2, M = N/2 - m>. With
sum_i sigma^z_i = N - 2m and sum_{i<j} sigma^z_i sigma^z_j = ((N - 2m)^2 - N)/2,

    <m|H|m>     = Delta (N - 2m)/2 + J ((N - 2m)^2 - N)/2,
    <m+1|H|m>   = (Delta0 / 2) sqrt((m + 1)(N - m)).

**3LS** (Schwinger bosons, dimension (N+1)(N+2)/2). Basis states are occupation triples
(n1, n2, n3), n1 + n2 + n3 = N, the numbers of particles in wells 1, 2, 3, normalised as
``sqrt(n1! n2! n3! / N!) sum_{configurations} |config>``. **Order**: n1 descending, then n2
descending: (N,0,0), (N-1,1,0), (N-1,0,1), (N-2,2,0), (N-2,1,1), (N-2,0,2), ...; index of
(n1, n2, n3) is ``r (r + 1)/2 + n3`` with r = N - n1. With b_a the boson of well a,

    <n|H|n> = sum_a E_a n_a + J sum_a n_a (n_a - 1)/2,
    <n + e_a - e_b| H |n> = H_ab sqrt((n_a + 1) n_b)    (a != b),

where H_ab is the one-particle hopping of THEORY.md sec. 1 (with the Peierls phase).
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from tunnelsim.validation import as_real_array, as_real_scalar, check_int, check_positive, check_sum_zero

from .operators import three_level_offdiagonal

__all__ = [
    "two_level_sector_dimension",
    "three_level_sector_dimension",
    "three_level_sector_states",
    "three_level_sector_index",
    "two_level_sector_hamiltonian",
    "three_level_sector_hamiltonian",
    "embed_symmetric_state",
    "symmetric_isometry",
    "MAX_EMBED_DIM",
]

#: Largest full-space dimension into which :func:`embed_symmetric_state` embeds (2^14 = 16384; 3^9).
MAX_EMBED_DIM = 2**14


def two_level_sector_dimension(n: int) -> int:
    """Dimension N + 1 of the symmetric (S = N/2) sector of N two-level systems."""
    return check_int(n, "n", minimum=1) + 1


def three_level_sector_dimension(n: int) -> int:
    """Dimension (N + 1)(N + 2)/2 of the symmetric sector of N three-level systems."""
    n = check_int(n, "n", minimum=1)
    return (n + 1) * (n + 2) // 2


def three_level_sector_states(n: int) -> np.ndarray:
    """Occupation triples (n1, n2, n3) of the 3LS symmetric sector, in the basis order of this module.

    Returns
    -------
    ndarray of int, shape ((N+1)(N+2)/2, 3)
    """
    n = check_int(n, "n", minimum=1)
    states = [(n - r, r - n3, n3) for r in range(n + 1) for n3 in range(r + 1)]
    return np.array(states, dtype=np.int64)


def three_level_sector_index(occupations: np.ndarray) -> np.ndarray:
    """Index r (r + 1)/2 + n3 (r = n2 + n3) of occupation triples in the 3LS sector basis."""
    occ = np.asarray(occupations)
    r = occ[..., 1] + occ[..., 2]
    return r * (r + 1) // 2 + occ[..., 2]


def two_level_sector_hamiltonian(n: int, asymmetry: float, tunneling: float, coupling: float) -> sp.csr_matrix:
    """Uniform 2LS cluster Hamiltonian in the S = N/2 sector, in K (module docstring; THEORY.md sec. 3).

    Parameters
    ----------
    n : int
        Number of particles N >= 1.
    asymmetry, tunneling, coupling : float
        Delta, Delta0 (> 0) and J of every particle / pair, in K.

    Returns
    -------
    scipy.sparse.csr_matrix, shape (N + 1, N + 1), real symmetric tridiagonal.
    """
    n = check_int(n, "n", minimum=1)
    asymmetry = as_real_scalar(asymmetry, "asymmetry")
    tunneling = as_real_scalar(tunneling, "tunneling")
    coupling = as_real_scalar(coupling, "coupling")
    diag, off = _two_level_tridiagonal(n, asymmetry, tunneling, coupling)
    return sp.diags([off, diag, off], [-1, 0, 1], format="csr")


def _two_level_tridiagonal(n: int, asymmetry: float, tunneling: float, coupling: float
                           ) -> tuple[np.ndarray, np.ndarray]:
    m = np.arange(n + 1, dtype=float)
    sz = n - 2.0 * m
    diag = 0.5 * asymmetry * sz + 0.5 * coupling * (sz**2 - n)
    off = 0.5 * tunneling * np.sqrt((m[:-1] + 1.0) * (n - m[:-1]))
    return diag, off


def three_level_sector_hamiltonian(n: int, energies: np.ndarray, d0: float, coupling: float,
                                   phi: float = 0.0) -> sp.csr_matrix:
    """Uniform 3LS cluster Hamiltonian in the symmetric (Schwinger-boson) sector, in K.

    Implements the module docstring's matrix elements (THEORY.md sec. 3, with the one-particle
    3LS of sec. 1 / paper eq. 3).

    Parameters
    ----------
    n : int
        Number of particles N >= 1.
    energies : array_like, shape (3,)
        Well energies (E1, E2, E3) in K, summing to zero.
    d0 : float
        Hopping D0 > 0 in K.
    coupling : float
        J in K, felt by each pair in the same well.
    phi : float
        Flux phase (rad) felt by each particle.

    Returns
    -------
    scipy.sparse.csr_matrix, shape ((N+1)(N+2)/2,) * 2; real for phi = 0, complex otherwise.
    """
    n = check_int(n, "n", minimum=1)
    e = as_real_array(energies, "energies", shape=(3,))
    check_sum_zero(e, "energies")
    d0 = float(check_positive(as_real_scalar(d0, "d0"), "d0"))
    coupling = as_real_scalar(coupling, "coupling")
    phi = as_real_scalar(phi, "phi")
    h1 = three_level_offdiagonal(np.array([d0]), phi)[0]
    occ = three_level_sector_states(n)
    dim = occ.shape[0]
    nf = occ.astype(float)
    diag = nf @ e + 0.5 * coupling * np.sum(nf * (nf - 1.0), axis=1)
    rows = [np.arange(dim)]
    cols = [np.arange(dim)]
    vals = [diag.astype(h1.dtype)]
    src = np.arange(dim)
    for a in range(3):
        for b in range(3):
            if a == b:
                continue
            ok = occ[:, b] > 0
            new = occ[ok].copy()
            new[:, a] += 1
            new[:, b] -= 1
            rows.append(three_level_sector_index(new))
            cols.append(src[ok])
            vals.append(h1[a, b] * np.sqrt((occ[ok, a] + 1.0) * occ[ok, b]))
    mat = sp.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(dim, dim))
    return mat.tocsr()


def symmetric_isometry(n: int, local_dim: int) -> sp.csr_matrix:
    """Columns = the symmetric-sector basis states written in the full product basis.

    V has shape (d^N, sector dimension) with orthonormal columns, in the order of this module
    (2LS: m = number of R's; 3LS: occupation triples). ``V^T H V`` is the sector Hamiltonian
    and ``V V^T`` the projector onto the symmetric subspace.

    Parameters
    ----------
    n : int
        Number of particles, with d^N <= MAX_EMBED_DIM.
    local_dim : {2, 3}
        d.
    """
    n = check_int(n, "n", minimum=1)
    d = check_int(local_dim, "local_dim", minimum=2, maximum=3)
    full = d**n
    if full > MAX_EMBED_DIM:
        raise ValueError(
            f"n={n} gives a full space of dimension {d}^{n} = {full}, too large to embed symmetric states "
            f"(limit {MAX_EMBED_DIM}); work in the symmetric sector instead"
        )
    digits = np.zeros((full, n), dtype=np.int64)
    s = np.arange(full)
    for i in range(n):
        digits[:, i] = (s // d ** (n - 1 - i)) % d
    if d == 2:
        col = digits.sum(axis=1)
        norm = np.array([math.comb(n, m) for m in range(n + 1)], dtype=float)
        dim = n + 1
    else:
        occ = np.stack([(digits == a).sum(axis=1) for a in range(3)], axis=1)
        col = three_level_sector_index(occ)
        sec = three_level_sector_states(n)
        norm = np.array([math.factorial(n) / (math.factorial(a) * math.factorial(b) * math.factorial(c))
                         for a, b, c in sec])
        dim = sec.shape[0]
    vals = 1.0 / np.sqrt(norm[col])
    return sp.csr_matrix((vals, (s, col)), shape=(full, dim))


def embed_symmetric_state(vec: np.ndarray, n: int, local_dim: int = 2) -> np.ndarray:
    """Embed a symmetric-sector vector into the full product space (d^N <= MAX_EMBED_DIM).

    Parameters
    ----------
    vec : array_like, shape (sector dimension,) or (sector dimension, k)
        Coefficients in this module's sector basis (e.g. a column of ``.eigenstates`` of a uniform
        cluster).
    n : int
        Number of particles.
    local_dim : {2, 3}
        2 for 2LS clusters, 3 for 3LS clusters.

    Returns
    -------
    ndarray, shape (d**N,) or (d**N, k)
        The same state(s) in the full basis of :mod:`clusters.operators` (particle 0 leftmost).
    """
    v = np.asarray(vec)
    iso = symmetric_isometry(n, local_dim)
    if v.ndim not in (1, 2) or v.shape[0] != iso.shape[1]:
        raise ValueError(f"vec must have {iso.shape[1]} rows (the sector dimension for n={n}), got shape {v.shape}")
    return iso @ v
