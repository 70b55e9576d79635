"""Coupling helpers (THEORY.md sec. 3): uniform, random, dipolar J0 (1 - 3 cos^2 theta)/r^3, positions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusters import (
    TwoLevelCluster,
    dipolar_couplings,
    random_couplings,
    random_positions_in_sphere,
    uniform_couplings,
)


def test_uniform_and_random_are_valid_cluster_couplings():
    u = uniform_couplings(4, -0.3)
    assert np.all(np.diag(u) == 0) and np.all(u[~np.eye(4, dtype=bool)] == -0.3)
    r = random_couplings(6, 0.5, seed=3)
    assert np.array_equal(r, r.T) and np.all(np.diag(r) == 0)
    assert np.array_equal(r, random_couplings(6, 0.5, seed=3))
    assert not np.array_equal(r, random_couplings(6, 0.5, seed=4))
    TwoLevelCluster(np.zeros(6), np.ones(6), r)  # accepted by the model
    big = random_couplings(300, 2.0, seed=0)[np.triu_indices(300, 1)]
    assert abs(np.std(big) - 2.0) < 0.05  # 44850 draws: std error ~ 0.007


def test_dipolar_known_geometries():
    """Along the axis: 1 - 3 = -2 -> J = -2 J0 / r^3; perpendicular: J = J0 / r^3; magic angle: 0."""
    pos = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 2.0], [3.0, 0.0, 0.0], [1.0, 1.0, np.sqrt(2.0)]])
    j = dipolar_couplings(pos, j0=8.0)
    assert j[0, 1] == pytest.approx(-2 * 8.0 / 8.0)
    assert j[0, 2] == pytest.approx(8.0 / 27.0)
    # (1,1,sqrt 2): cos theta = sqrt(2)/2 -> 1 - 3/2 = -1/2, r = 2
    assert j[0, 3] == pytest.approx(8.0 * (-0.5) / 8.0)
    magic = np.array([[0.0, 0.0, 0.0], [np.sqrt(2.0), 0.0, 1.0]])
    assert abs(dipolar_couplings(magic, 1.0)[0, 1]) < 1e-15


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(0.1, 10.0))
def test_dipolar_symmetries(seed, scale):
    """Symmetric, zero diagonal, J -> J / s^3 under scaling, invariant under a common rotation."""
    rng = np.random.default_rng(seed)
    pos = rng.normal(size=(5, 3))
    axis = rng.normal(size=3)
    j = dipolar_couplings(pos, 1.3, axis=axis)
    assert np.allclose(j, j.T) and np.all(np.diag(j) == 0)
    assert np.allclose(dipolar_couplings(scale * pos, 1.3, axis=axis), j / scale**3)
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    assert np.allclose(dipolar_couplings(pos @ q.T, 1.3, axis=q @ axis), j)
    # the angular factor averages to zero over directions: trace of (1 - 3 n n^T) is 0
    assert np.allclose(sum(dipolar_couplings(np.array([[0, 0, 0], e]), 1.0, axis=axis)[0, 1]
                           for e in np.eye(3)), 0.0)


def test_positions_in_sphere_density():
    n, density = 4000, 2.5
    pos = random_positions_in_sphere(n, density, seed=1)
    radius = (3 * n / (4 * np.pi * density)) ** (1 / 3)
    r = np.linalg.norm(pos, axis=1)
    assert pos.shape == (n, 3) and np.all(r <= radius)
    # uniform in the ball: (r/R)^3 ~ U(0, 1), mean 1/2 with std error 1/sqrt(12 n) ~ 0.0046
    assert abs(np.mean((r / radius) ** 3) - 0.5) < 0.02
    assert np.allclose(pos, random_positions_in_sphere(n, density, seed=1))
    j = dipolar_couplings(random_positions_in_sphere(6, 1.0, seed=2), -1.0)
    TwoLevelCluster(np.zeros(6), np.ones(6), j)


def test_coupling_bad_input():
    with pytest.raises(ValueError, match="positions must have shape"):
        dipolar_couplings(np.zeros((3, 2)), 1.0)
    with pytest.raises(ValueError, match="positions must be distinct"):
        dipolar_couplings(np.zeros((2, 3)), 1.0)
    with pytest.raises(ValueError, match="axis must be a non-zero vector"):
        dipolar_couplings(np.eye(3), 1.0, axis=(0, 0, 0))
    with pytest.raises(ValueError, match="density must be > 0"):
        random_positions_in_sphere(3, 0.0)
    with pytest.raises(ValueError, match="scale must be >= 0"):
        random_couplings(3, -1.0)
    with pytest.raises(ValueError, match="n must be >= 1"):
        uniform_couplings(0, 1.0)
