"""Coupling factories (docs/theory.md sec. 3): uniform, random, dipolar J0 (1 - 3 cos^2 theta)/r^3, positions."""

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
    with pytest.raises(ValueError, match="distribution must be one of"):
        random_couplings(3, 1.0, distribution="cauchy")
    with pytest.raises(TypeError, match="mean must be"):
        random_couplings(3, 1.0, mean="large")
    with pytest.raises(ValueError, match="exactly one of density and radius"):
        random_positions_in_sphere(3, 1.0, radius=2.0)
    with pytest.raises(ValueError, match="min_distance must be >= 0"):
        random_positions_in_sphere(3, radius=1.0, min_distance=-0.1)
    with pytest.raises(ValueError, match="could not place n=10"):
        random_positions_in_sphere(10, radius=1.0, min_distance=1.5)
    with pytest.raises(TypeError, match="normalise must be"):
        dipolar_couplings(np.eye(3), 1.0, normalise=1)
    with pytest.raises(TypeError, match="seed must be"):
        random_couplings(3, 1.0, seed=1.5)


@settings(max_examples=20, deadline=None)
@given(n=st.integers(2, 12), mean=st.floats(-5.0, 5.0).filter(lambda x: abs(x) > 1e-3),
       spread=st.floats(0.0, 1.5), seed=st.integers(0, 10_000))
def test_relative_uniform_couplings(n, mean, spread, seed):
    """J_ij = mean (1 + spread u_ij), u_ij in [-1/2, 1/2]: symmetric, within the band, reproducible."""
    j = random_couplings(n, spread, seed, distribution="relative_uniform", mean=mean)
    off = j[~np.eye(n, dtype=bool)]
    assert np.array_equal(j, j.T) and np.all(np.diag(j) == 0)
    rel = off / mean - 1
    assert np.all(np.abs(rel) <= 0.5 * spread + 1e-12)
    assert np.array_equal(j, random_couplings(n, spread, seed, distribution="relative_uniform", mean=mean))


def test_relative_uniform_statistics_and_shared_stream():
    """Uniform relative spread: mean -> mean, variance spread^2/12; a Generator is advanced by the draw."""
    big = random_couplings(300, 0.6, 5, distribution="relative_uniform", mean=-2.0)[np.triu_indices(300, 1)]
    assert abs(np.mean(big) + 2.0) < 0.01   # std error 2 * 0.6 / sqrt(12 * 44850) = 0.0016
    assert abs(np.std(big / -2.0) - 0.6 / np.sqrt(12)) < 0.003
    rng = np.random.default_rng(7)
    first = random_couplings(4, 1.0, rng)
    assert not np.array_equal(first, random_couplings(4, 1.0, rng))
    assert np.array_equal(first, random_couplings(4, 1.0, 7))
    shifted = random_couplings(5, 0.5, 3, mean=1.5)
    assert np.allclose(shifted - 1.5 * (1 - np.eye(5)), random_couplings(5, 0.5, 3))


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 30), radius=st.floats(0.5, 3.0), frac=st.floats(0.0, 0.3), seed=st.integers(0, 1000))
def test_rejection_sampled_sphere_respects_radius_and_distance(n, radius, frac, seed):
    d_min = frac * radius * n ** (-1 / 3)
    pos = random_positions_in_sphere(n, radius=radius, seed=seed, min_distance=d_min)
    assert pos.shape == (n, 3)
    assert np.all(np.linalg.norm(pos, axis=1) <= radius * (1 + 1e-12))
    if n > 1:
        dist = np.linalg.norm(pos[:, None] - pos[None, :], axis=-1)[~np.eye(n, dtype=bool)]
        assert np.all(dist > d_min)
    assert np.array_equal(pos, random_positions_in_sphere(n, radius=radius, seed=seed, min_distance=d_min))


def test_rejection_sampled_sphere_is_uniform():
    """(r/R)^3 of hard-core points at low packing is still close to U(0, 1) (mean 1/2)."""
    pos = random_positions_in_sphere(1000, radius=10.0, seed=4, min_distance=0.05)
    assert abs(np.mean((np.linalg.norm(pos, axis=1) / 10.0) ** 3) - 0.5) < 0.03   # std error 0.009


def test_dipolar_normalised_to_mean_coupling():
    pos = random_positions_in_sphere(8, radius=1.0, seed=2, min_distance=0.2)
    for target in (-5.0, 0.7):
        j = dipolar_couplings(pos, target, normalise=True)
        off = j[~np.eye(8, dtype=bool)]
        assert np.mean(np.abs(off)) == pytest.approx(abs(target))
        assert np.all(np.diag(j) == 0)
        # the same shape as the unnormalised couplings, rescaled (sign flipped for negative targets)
        raw = dipolar_couplings(pos, 1.0)
        assert np.allclose(j, raw * target / np.mean(np.abs(raw[~np.eye(8, dtype=bool)])))
    with pytest.raises(ValueError, match="at least 2 particles"):
        dipolar_couplings(np.zeros((1, 3)), 1.0, normalise=True)
