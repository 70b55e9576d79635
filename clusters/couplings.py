"""Pair couplings J_ij of tunneling clusters: the one home of every coupling draw (docs/theory.md sec. 3).

All functions return a symmetric N x N float array in K with a zero diagonal, ready for
:class:`clusters.TwoLevelCluster` / :class:`clusters.ThreeLevelCluster`. Random draws take ``seed``
as an int, None or a :class:`numpy.random.Generator` (:func:`tunnelsim.stats.as_generator`; a
Generator is advanced, so one stream can feed several draws).
"""

from __future__ import annotations

import numpy as np

from tunnelsim.stats import as_generator
from tunnelsim.validation import as_real_array, as_real_scalar, check_bool, check_choice, check_int, check_positive

from .memory import check_memory

__all__ = ["uniform_couplings", "random_couplings", "dipolar_couplings", "random_positions_in_sphere"]

#: Rejection sampling with a minimum distance gives up after this many trial points per particle.
MAX_TRIALS_PER_PARTICLE = 1000


def _check_matrix_memory(n: int, copies: int = 3) -> None:
    """Refuse an N x N coupling matrix (and its work copies) that the memory cannot hold."""
    check_memory(8.0 * n * n * copies, f"the {n} x {n} coupling matrix (n = {n} particles)")


def uniform_couplings(n: int, j: float) -> np.ndarray:
    """All-to-all coupling J_ij = j for i != j (K), zero diagonal (docs/theory.md sec. 3).

    Parameters
    ----------
    n : int
        Number of particles N >= 1.
    j : float
        Coupling in K (j < 0 favours aligned, coherent configurations).

    Examples
    --------
    >>> from clusters import uniform_couplings
    >>> J = uniform_couplings(3, -1.0)
    >>> print(J + 0.0, float(J.sum() / 2))                # U = sum_{i<j} J_ij = N (N - 1) j / 2
    [[ 0. -1. -1.]
     [-1.  0. -1.]
     [-1. -1.  0.]] -3.0
    """
    n = check_int(n, "n", minimum=1)
    j = as_real_scalar(j, "j")
    _check_matrix_memory(n)
    return j * (np.ones((n, n)) - np.eye(n))


def random_couplings(n: int, scale: float, seed=None, *, distribution: str = "normal",
                     mean: float = 0.0) -> np.ndarray:
    """Random symmetric couplings J_ij = J_ji (i < j drawn independently) in K, zero diagonal (theory.md sec. 3).

    Parameters
    ----------
    n : int
        Number of particles.
    scale : float
        ``distribution="normal"``: the standard deviation in K (>= 0), J_ij = mean + N(0, scale^2).
        ``distribution="relative_uniform"``: the relative width (>= 0), J_ij = mean (1 + scale u_ij)
        with u_ij uniform in [-1/2, 1/2] (every coupling keeps the sign of ``mean``).
    seed : int, None or numpy.random.Generator
        Random stream (:func:`tunnelsim.stats.as_generator`).
    distribution : {"normal", "relative_uniform"}
    mean : float
        Mean coupling in K.

    Returns
    -------
    ndarray, shape (N, N)

    Examples
    --------
    >>> import numpy as np
    >>> from clusters import random_couplings
    >>> J = random_couplings(200, 0.5, seed=1, mean=-1.0)
    >>> bool(np.allclose(J, J.T)), bool(np.all(np.diag(J) == 0.0))
    (True, True)
    >>> pairs = J[np.triu_indices(200, 1)]                 # 19900 independent draws of N(mean, scale^2)
    >>> print(round(float(pairs.mean()), 1), round(float(pairs.std()), 1))
    -1.0 0.5
    """
    n = check_int(n, "n", minimum=1)
    scale = float(check_positive(as_real_scalar(scale, "scale"), "scale", strict=False))
    distribution = check_choice(distribution, "distribution", ("normal", "relative_uniform"))
    mean = as_real_scalar(mean, "mean")
    _check_matrix_memory(n, 4)
    rng = as_generator(seed)
    if distribution == "relative_uniform":
        u = np.triu(rng.uniform(-0.5, 0.5, size=(n, n)), 1)
        out = mean * (1 + scale * (u + u.T))
    else:
        upper = np.triu(rng.normal(0.0, scale, size=(n, n)), k=1) if scale > 0 else np.zeros((n, n))
        out = upper + upper.T + mean if mean != 0.0 else upper + upper.T
    np.fill_diagonal(out, 0.0)
    return out


def dipolar_couplings(positions: np.ndarray, j0: float, axis: tuple[float, float, float] = (0.0, 0.0, 1.0), *,
                      normalise: bool = False, axes=None) -> np.ndarray:
    """Dipole-dipole couplings J_ij = J0 [a_i . a_j - 3 (a_i . r^_ij)(a_j . r^_ij)] / r_ij^3 (docs/theory.md sec. 3).

    With a common axis a_i = a this is J0 (1 - 3 cos^2 theta_ij) / r_ij^3, theta_ij the angle between
    r_ij = x_j - x_i and ``axis`` (elastic or electric dipoles all aligned); ``axes`` gives each particle
    its own dipole direction a_i (random axes).

    Parameters
    ----------
    positions : array_like, shape (N, 3)
        Particle positions (any length unit; J0 carries K x unit^3).
    j0 : float
        Coupling strength J0 in K x (length unit)^3; with ``normalise``, the signed mean coupling in K.
    axis : sequence of 3 floats
        Dipole direction (normalised internally; must be non-zero).
    normalise : bool
        Rescale so that the mean of |J_ij| over the pairs is |j0| (K), with the sign of j0:
        J_ij = |j0| g_ij / mean|g| sign(j0), g_ij = (1 - 3 cos^2 theta_ij) / r_ij^3.
    axes : array_like, shape (N, 3), optional
        One dipole direction per particle (each normalised; none may be zero); overrides ``axis``.

    Returns
    -------
    ndarray, shape (N, N)

    Examples
    --------
    >>> from clusters import dipolar_couplings
    >>> along = dipolar_couplings([[0.0, 0.0, 0.0], [0.0, 0.0, 2.0]], 1.0)    # theta = 0: -2 J0 / r^3
    >>> across = dipolar_couplings([[0.0, 0.0, 0.0], [2.0, 0.0, 0.0]], 1.0)   # theta = 90 deg: J0 / r^3
    >>> print(float(along[0, 1]), -2.0 / 2.0**3, float(across[0, 1]), 1.0 / 2.0**3)
    -0.25 -0.25 0.125 0.125
    """
    pos = as_real_array(positions, "positions", shape=(None, 3))
    j0 = as_real_scalar(j0, "j0")
    ax = as_real_array(axis, "axis", shape=(3,))
    normalise = check_bool(normalise, "normalise")
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
    if normalise and n < 2:
        raise ValueError("normalise=True needs at least 2 particles (it divides by the mean |J_ij|)")
    if axes is None:
        per = np.tile(ax, (n, 1))
    else:
        per = as_real_array(axes, "axes", shape=(n, 3))
        lengths = np.linalg.norm(per, axis=1)
        if np.any(lengths == 0.0):
            raise ValueError("axes must be non-zero vectors (one dipole direction per particle)")
        per = per / lengths[:, None]
    out = np.zeros((n, n))
    unit = diff / np.where(r > 0, r, 1.0)[:, :, None]
    ai_r = np.einsum("ijk,ik->ij", unit, per)  # a_i . r^_ij
    aj_r = np.einsum("ijk,jk->ij", unit, per)  # a_j . r^_ij
    g = (per @ per.T - 3.0 * ai_r * aj_r)
    out[off] = (1.0 if normalise else j0) * g[off] / r[off] ** 3
    out = 0.5 * (out + out.T)
    if normalise:
        out = abs(j0) * out / np.mean(np.abs(out[off])) * np.sign(j0)
        np.fill_diagonal(out, 0.0)
    return out


def random_positions_in_sphere(n: int, density: float | None = None, seed=None, *, radius: float | None = None,
                               min_distance: float = 0.0) -> np.ndarray:
    """N points uniformly distributed in a ball, optionally no two closer than ``min_distance``.

    Parameters
    ----------
    n : int
        Number of particles.
    density : float, optional
        Number density (> 0) in particles per unit volume: the radius is (3 N / (4 pi density))^(1/3).
    seed : int, None or numpy.random.Generator
        Random stream (:func:`tunnelsim.stats.as_generator`).
    radius : float, optional
        The radius itself (give exactly one of ``density`` and ``radius``).
    min_distance : float
        Hard-core distance (>= 0). Zero: independent points (radius R u^(1/3) in a random
        direction). Positive: sequential rejection sampling, each point uniform in the cube
        [-R, R]^3, kept when inside the ball and farther than ``min_distance`` from all kept points
        (a ValueError after ``MAX_TRIALS_PER_PARTICLE`` trials per particle: too dense).

    Returns
    -------
    ndarray, shape (N, 3)

    Examples
    --------
    >>> import numpy as np
    >>> from clusters import random_positions_in_sphere
    >>> x = random_positions_in_sphere(20, radius=2.0, seed=0, min_distance=0.5)
    >>> d = np.linalg.norm(x[:, None] - x[None], axis=-1)[np.triu_indices(20, 1)]
    >>> x.shape, bool(np.linalg.norm(x, axis=1).max() <= 2.0), bool(d.min() >= 0.5)
    ((20, 3), True, True)
    """
    n = check_int(n, "n", minimum=1)
    if (density is None) == (radius is None):
        raise ValueError("give exactly one of density and radius")
    if radius is None:
        density = float(check_positive(as_real_scalar(density, "density"), "density"))
        radius = (3.0 * n / (4.0 * np.pi * density)) ** (1.0 / 3.0)
    else:
        radius = float(check_positive(as_real_scalar(radius, "radius"), "radius"))
    min_distance = float(check_positive(as_real_scalar(min_distance, "min_distance"), "min_distance",
                                        strict=False))
    rng = as_generator(seed)
    if min_distance == 0.0:
        direction = rng.normal(size=(n, 3))
        direction /= np.linalg.norm(direction, axis=1, keepdims=True)
        return direction * (radius * rng.random(n) ** (1.0 / 3.0))[:, None]
    pos = np.empty((n, 3))
    kept = 0
    for _ in range(MAX_TRIALS_PER_PARTICLE * n):
        p = radius * rng.uniform(-1, 1, size=3)
        if p @ p <= radius**2 and np.all(np.linalg.norm(pos[:kept] - p, axis=1) > min_distance):
            pos[kept] = p
            kept += 1
            if kept == n:
                return pos
    raise ValueError(f"could not place n={n} points in a ball of radius {radius:g} with min_distance="
                     f"{min_distance:g} after {MAX_TRIALS_PER_PARTICLE * n} trials; lower min_distance or n")
