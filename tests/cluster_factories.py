"""Seeded random clusters shared by the cluster tests."""

from __future__ import annotations

import numpy as np

from clusters import ThreeLevelCluster, TwoLevelCluster, random_couplings


def random_two_level(n: int, seed: int) -> TwoLevelCluster:
    rng = np.random.default_rng(seed)
    return TwoLevelCluster(rng.normal(size=n), rng.uniform(0.1, 1.5, n), random_couplings(n, 0.8, seed))


def random_three_level(n: int, seed: int, phi: float) -> ThreeLevelCluster:
    rng = np.random.default_rng(seed)
    e = rng.normal(scale=0.5, size=(n, 3))
    e -= e.mean(axis=1, keepdims=True)
    return ThreeLevelCluster(e, rng.uniform(0.3, 1.5, n), random_couplings(n, 0.8, seed + 1), phi)
