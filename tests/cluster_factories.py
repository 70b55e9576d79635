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
