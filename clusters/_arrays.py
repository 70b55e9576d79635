"""Validated parameter arrays of any cluster-like object (duck typing), shared by the analyses."""

from __future__ import annotations

import numpy as np

from tunnelsim.validation import as_real_array, as_real_scalar, check_square_symmetric


def _require(cluster: object, attrs: tuple[str, ...], kind: str) -> None:
    for attr in attrs:
        if not hasattr(cluster, attr):
            raise TypeError(f"cluster must have an attribute {attr!r} (a {kind}), got {type(cluster).__name__}")


def two_level_arrays(cluster: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(asymmetries, tunnelings, couplings) of a 2LS cluster, checked; energies in K."""
    _require(cluster, ("asymmetries", "tunnelings", "couplings"), "TwoLevelCluster")
    d0 = as_real_array(cluster.tunnelings, "cluster.tunnelings", ndim=1)
    n = d0.size
    delta = as_real_array(cluster.asymmetries, "cluster.asymmetries", shape=(n,))
    j = check_square_symmetric(cluster.couplings, "cluster.couplings", n)
    return delta, d0, j


def three_level_arrays(cluster: object) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(energies (N, 3), d0s, couplings, phi) of a 3LS cluster, checked; energies in K, phi in rad."""
    _require(cluster, ("energies", "d0s", "couplings", "phi"), "ThreeLevelCluster")
    e = as_real_array(cluster.energies, "cluster.energies", shape=(None, 3))
    n = e.shape[0]
    d0 = as_real_array(cluster.d0s, "cluster.d0s", shape=(n,))
    j = check_square_symmetric(cluster.couplings, "cluster.couplings", n)
    phi = as_real_scalar(cluster.phi, "cluster.phi")
    return e, d0, j, phi
