"""Pair couplings J_ij of tunneling clusters (THEORY.md sec. 3; docs/clusters.md sec. 1).

All helpers return a symmetric N x N float array in K with a zero diagonal, ready for
:class:`clusters.TwoLevelCluster` / :class:`clusters.ThreeLevelCluster`.
"""

from __future__ import annotations

import numpy as np

from tunnelsim.validation import as_real_array, as_real_scalar, check_int, check_positive

__all__ = ["uniform_couplings", "random_couplings", "dipolar_couplings", "random_positions_in_sphere"]


def uniform_couplings(n: int, j: float) -> np.ndarray:
    """All-to-all coupling J_ij = j for i != j (K), zero diagonal.

    Parameters
    ----------
    n : int
        Number of particles N >= 1.
    j : float
        Coupling in K (j < 0 favours aligned, coherent configurations).
    """
    n = check_int(n, "n", minimum=1)
    j = as_real_scalar(j, "j")
    return j * (np.ones((n, n)) - np.eye(n))


def random_couplings(n: int, scale: float, seed: int | None = None) -> np.ndarray:
    """Gaussian random couplings J_ij = J_ji ~ N(0, scale^2) in K for i < j, zero diagonal.

    Parameters
    ----------
    n : int
        Number of particles.
    scale : float
        Standard deviation in K (>= 0).
    seed : int, optional
        Seed of :func:`numpy.random.default_rng` (reproducible draws).
    """
    n = check_int(n, "n", minimum=1)
    scale = float(check_positive(as_real_scalar(scale, "scale"), "scale", strict=False))
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.normal(0.0, scale, size=(n, n)), k=1) if scale > 0 else np.zeros((n, n))
    return upper + upper.T


def dipolar_couplings(positions: np.ndarray, j0: float, axis: tuple[float, float, float] = (0.0, 0.0, 1.0)
                      ) -> np.ndarray:
    """Dipole-dipole couplings J_ij = J0 (1 - 3 cos^2 theta_ij) / r_ij^3 (THEORY.md sec. 3).

    theta_ij is the angle between r_ij = x_j - x_i and the common dipole axis (elastic or electric
    dipoles all aligned with ``axis``).

    Parameters
    ----------
    positions : array_like, shape (N, 3)
        Particle positions (any length unit; J0 carries K x unit^3).
    j0 : float
        Coupling strength J0 in K x (length unit)^3.
    axis : sequence of 3 floats
        Dipole direction (normalised internally; must be non-zero).

    Returns
    -------
    ndarray, shape (N, N)
    """
    pos = as_real_array(positions, "positions", shape=(None, 3))
    j0 = as_real_scalar(j0, "j0")
    ax = as_real_array(axis, "axis", shape=(3,))
    norm = np.linalg.norm(ax)
    if norm == 0.0:
        raise ValueError("axis must be a non-zero vector")
    ax = ax / norm
    diff = pos[None, :, :] - pos[:, None, :]
    r = np.linalg.norm(diff, axis=2)
    n = pos.shape[0]
    off = ~np.eye(n, dtype=bool)
    if np.any(r[off] == 0.0):
        i, j = np.argwhere((r == 0.0) & off)[0]
        raise ValueError(f"positions must be distinct, but particles {i} and {j} sit at the same point")
    out = np.zeros((n, n))
    cos = (diff[off] @ ax) / r[off]
    out[off] = j0 * (1.0 - 3.0 * cos**2) / r[off] ** 3
    return 0.5 * (out + out.T)


def random_positions_in_sphere(n: int, density: float, seed: int | None = None) -> np.ndarray:
    """N points uniformly distributed in a ball of volume N / density.

    Parameters
    ----------
    n : int
        Number of particles.
    density : float
        Number density (> 0), in particles per unit volume; the radius is (3 N / (4 pi density))^(1/3).
    seed : int, optional
        Seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    ndarray, shape (N, 3)
    """
    n = check_int(n, "n", minimum=1)
    density = float(check_positive(as_real_scalar(density, "density"), "density"))
    radius = (3.0 * n / (4.0 * np.pi * density)) ** (1.0 / 3.0)
    rng = np.random.default_rng(seed)
    direction = rng.normal(size=(n, 3))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    r = radius * rng.random(n) ** (1.0 / 3.0)
    return direction * r[:, None]
