"""Validated parameter arrays of any cluster-like object (duck typing), shared by the analyses.

:mod:`clusters.coherent` and :mod:`clusters.renormalisation` accept a :class:`~clusters.TwoLevelCluster`
/ :class:`~clusters.ThreeLevelCluster` or any object with the same attributes; these helpers read
and check them (energies in K, phases in rad; docs/theory.md sec. 3), naming the attribute at fault.
"""

from __future__ import annotations

import numpy as np

from tunnelsim.validation import as_real_array, as_real_scalar, check_square_symmetric

__all__ = ["two_level_arrays", "three_level_arrays", "is_uniform", "uniform_scalars", "pair_matrix"]


def _require(cluster: object, attrs: tuple[str, ...], kind: str) -> None:
    for attr in attrs:
        if not hasattr(cluster, attr):
            raise TypeError(f"cluster must have an attribute {attr!r} (a {kind}), got {type(cluster).__name__}")


def two_level_arrays(cluster: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(asymmetries (N,), tunnelings (N,), couplings (N, N)) of a 2LS cluster, checked; energies in K."""
    _require(cluster, ("asymmetries", "tunnelings", "couplings"), "TwoLevelCluster")
    d0 = as_real_array(cluster.tunnelings, "cluster.tunnelings", ndim=1)
    n = d0.size
    delta = as_real_array(cluster.asymmetries, "cluster.asymmetries", shape=(n,))
    j = check_square_symmetric(cluster.couplings, "cluster.couplings", n)
    return delta, d0, j


def three_level_arrays(cluster: object) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(energies (N, 3), d0s (N,), couplings (N, N), phi) of a 3LS cluster, checked; energies in K, phi in rad."""
    _require(cluster, ("energies", "d0s", "couplings", "phi"), "ThreeLevelCluster")
    e = as_real_array(cluster.energies, "cluster.energies", shape=(None, 3))
    n = e.shape[0]
    d0 = as_real_array(cluster.d0s, "cluster.d0s", shape=(n,))
    j = check_square_symmetric(cluster.couplings, "cluster.couplings", n)
    phi = as_real_scalar(cluster.phi, "cluster.phi")
    return e, d0, j, phi


def is_uniform(one_particle: tuple[np.ndarray, ...], couplings: np.ndarray) -> bool:
    """Whether all particles are identical (equal rows of each array) and all pairs equally coupled.

    Parameters
    ----------
    one_particle : tuple of ndarray
        Per-particle parameters, first axis the particle (e.g. (asymmetries, tunnelings)).
    couplings : ndarray, shape (N, N)
        J_ij in K.
    """
    n = couplings.shape[0]
    off = couplings[~np.eye(n, dtype=bool)]
    same = all(bool(np.all(a == a[0])) for a in one_particle)
    return same and (n == 1 or bool(np.all(off == off[0])))


def uniform_scalars(cluster: object, names: tuple[str, ...]) -> tuple | None:
    """The scalars ``names`` of a cluster built by ``.uniform(...)`` (no N x N array is touched), else None.

    Returns ``(n, *values)`` when ``cluster.is_uniform`` is True and it has every attribute of ``names``
    (e.g. ("asymmetry", "tunneling", "coupling")); the values are returned as they are stored (K).
    """
    if getattr(cluster, "is_uniform", False) is not True or not all(hasattr(cluster, a) for a in ("n", *names)):
        return None
    return (int(cluster.n), *(getattr(cluster, a) for a in names))


def pair_matrix(n: int, coupling: float) -> np.ndarray:
    """The 2 x 2 stand-in [[0, J], [J, 0]] of an all-to-all coupling (the uniform paths read only J_01)."""
    return np.array([[0.0, coupling], [coupling, 0.0]]) if n > 1 else np.zeros((1, 1))
