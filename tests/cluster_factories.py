"""Seeded random clusters and the tests' own, independent Kronecker-product Hamiltonians.

The reference Hamiltonians below are written out from docs/theory.md secs. 1.2 and 3 with
``numpy.kron`` (particle 0 the leftmost factor); they share no code with :mod:`clusters`, so the
library's builders, solvers, sectors and coherent partitioning are all checked against them.
"""

from __future__ import annotations

import numpy as np

from clusters import ThreeLevelCluster, TwoLevelCluster, random_couplings

SIGMA_Z = np.diag([1.0, -1.0])
SIGMA_X = np.array([[0.0, 1.0], [1.0, 0.0]])


def random_two_level(n: int, seed: int) -> TwoLevelCluster:
    rng = np.random.default_rng(seed)
    return TwoLevelCluster(rng.normal(size=n), rng.uniform(0.1, 1.5, n), random_couplings(n, 0.8, seed))


def random_three_level(n: int, seed: int, phi: float) -> ThreeLevelCluster:
    rng = np.random.default_rng(seed)
    e = rng.normal(scale=0.5, size=(n, 3))
    e -= e.mean(axis=1, keepdims=True)
    return ThreeLevelCluster(e, rng.uniform(0.3, 1.5, n), random_couplings(n, 0.8, seed + 1), phi)


def site(op: np.ndarray, i: int, n: int) -> np.ndarray:
    """op acting on particle i of n (identity elsewhere), particle 0 the leftmost Kronecker factor."""
    out = np.array([[1.0 + 0j]]) if np.iscomplexobj(op) else np.array([[1.0]])
    for k in range(n):
        out = np.kron(out, op if k == i else np.eye(op.shape[0]))
    return out


def single_three_level(e, d0: float, phi: float) -> np.ndarray:
    """The 3x3 matrix of docs/theory.md sec. 1.2 (paper eq. 3): H12 = H23 = H31 = D0 e^{i phi/3}."""
    w = np.exp(1j * phi / 3)
    return np.array([[e[0], d0 * w, d0 / w], [d0 / w, e[1], d0 * w], [d0 * w, d0 / w, e[2]]])


def kron_two_level(asymmetries, tunnelings, couplings) -> np.ndarray:
    """sum_i 1/2 (Delta_i sz_i + Delta0_i sx_i) + sum_{i<j} J_ij sz_i sz_j, dense."""
    n = len(tunnelings)
    h = sum(0.5 * (asymmetries[i] * site(SIGMA_Z, i, n) + tunnelings[i] * site(SIGMA_X, i, n)) for i in range(n))
    for i in range(n):
        for k in range(i + 1, n):
            h = h + couplings[i, k] * site(SIGMA_Z, i, n) @ site(SIGMA_Z, k, n)
    return h


def kron_three_level(energies, d0s, couplings, phi: float) -> np.ndarray:
    """sum_i H_3LS(E^i, D0_i, phi) + sum_{i<j} J_ij sum_a P_a^i P_a^j, dense complex."""
    n = len(d0s)
    h = sum(site(single_three_level(energies[i], d0s[i], phi), i, n) for i in range(n))
    proj = [np.diag(np.eye(3)[a]) for a in range(3)]
    for i in range(n):
        for k in range(i + 1, n):
            h = h + couplings[i, k] * sum(site(p, i, n) @ site(p, k, n) for p in proj)
    return h


def spin_z_columns(n: int) -> np.ndarray:
    """sigma^z_i of every basis state, shape (2^N, N), from numpy.kron of 1-D vectors (particle 0 leftmost)."""
    cols = []
    for i in range(n):
        v = np.ones(1)
        for k in range(n):
            v = np.kron(v, np.array([1.0, -1.0]) if k == i else np.ones(2))
        cols.append(v)
    return np.stack(cols, axis=1)


def fast_two_level(asymmetries, tunnelings, couplings) -> np.ndarray:
    """The same dense H as :func:`kron_two_level`, built without dense matrix products (N <= 12).

    Diagonal from the sigma^z columns, sigma^x_i as kron(I, sigma^x, I) (no matmul of 2^N matrices).
    """
    n = len(tunnelings)
    z = spin_z_columns(n)
    diag = z @ (0.5 * np.asarray(asymmetries)) + np.einsum("si,ij,sj->s", z, np.triu(couplings, 1), z)
    h = np.diag(diag)
    for i in range(n):
        h += 0.5 * tunnelings[i] * np.kron(np.kron(np.eye(2**i), SIGMA_X), np.eye(2 ** (n - 1 - i)))
    return h


def tensor_two_level_product(asymmetries, tunnelings, couplings, x: np.ndarray) -> np.ndarray:
    """H x for :func:`kron_two_level`'s H without any matrix: sigma^x_i flips axis i of x as an N-axis tensor."""
    n = len(tunnelings)
    z = spin_z_columns(n)
    diag = z @ (0.5 * np.asarray(asymmetries)) + np.einsum("si,ij,sj->s", z, np.triu(couplings, 1), z)
    xt = np.asarray(x).reshape([2] * n)
    y = diag * np.asarray(x)
    for i in range(n):
        y = y + 0.5 * tunnelings[i] * np.flip(xt, axis=i).reshape(-1)
    return y
