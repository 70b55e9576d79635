"""Dipole moments of 2LS clusters: the dipole operator and the exact transition dipole of the lowest pair.

Particle i carries the dipole p_i (a 3-vector) between its wells: the cluster's dipole operator is

    D = sum_i (p_i / 2) sigma^z_i,                                                          (D.1)

so that one particle has <L|D|L> - <R|D|R> = p_i, the STM's dipole p (docs/theory.md sec. 6), and
the coherent states of a cluster differ by sum_i p_i. The transition dipole of the lowest pair is

    mu_01 = <0|D|1>,     p_N = 2 |mu_01|,                                                   (D.2)

p_N being the dipole of the equivalent single 2LS (p_N = p u for one particle, u = Delta0 / E).
Dipoles are in any unit (Debye, or e x length): every result carries the unit of ``dipoles``.
Energies in K. See docs/coherent_tunneling.md sec. 6.

Exactness: at zero asymmetries (``cluster.symmetry() == "parity"``) the global flip F = prod_i sigma^x_i
commutes with H and D anticommutes with it, so the lowest pair is the lowest even and the lowest odd
state, each from its own parity sector (:meth:`clusters.models.ClusterBase.solve_sectors`), exact however
small the splitting. Uniform clusters work in the S = N/2 sector (any N; there D acts as
(sum_i p_i / N) S_z, :meth:`~clusters.models.ClusterBase.operator`). Otherwise the two lowest states
come from :meth:`~clusters.models.ClusterBase.eigenstates`, and ``resolved`` says whether the gap is
far above the float64 resolution of the energies. The cluster model supplies every matrix and state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tunnelsim.stats import as_generator
from tunnelsim.validation import as_real_array, as_real_scalar, check_bool, check_choice, check_int, check_positive

from .bases import ProductBasis
from .models import ClusterBase, check_cluster

__all__ = ["TransitionDipole", "random_dipoles", "transition_dipole", "dipole_diagonal", "MAX_PARITY_N", "RESOLUTION"]

#: Largest disordered cluster for the exact parity-sector route (two sectors of 2^(N-1) states).
MAX_PARITY_N = 18
#: A gap is resolved when above this many (1e3) float64 roundoffs of the largest |energy| (at least 1 K).
RESOLUTION = 1e3 * np.finfo(float).eps


@dataclass(frozen=True)
class TransitionDipole:
    """The transition dipole of the lowest pair of a 2LS cluster (eq. D.2; unit of the input dipoles).

    Attributes
    ----------
    vector : numpy.ndarray, shape (3,)
        mu_01 = <0|D|1> (real: the states are real).
    magnitude : float
        |mu_01|.
    effective_dipole : float
        p_N = 2 |mu_01|, the dipole of the equivalent single 2LS.
    coherent_dipole : float
        |sum_i p_i|, the dipole difference of the coherent states |L..L> and |R..R>.
    gap : float
        E1 - E0 in K.
    resolved : bool
        False when the gap is within 1e3 float64 roundoffs of the energies (then the states of the pair
        mix arbitrarily and mu_01 is not determined); always True for the exact parity and sector routes.
    method : str
        "symmetric-sector", "parity-sectors" or "states".

    Examples
    --------
    >>> from clusters import TwoLevelCluster, random_dipoles, transition_dipole, uniform_couplings
    >>> c = TwoLevelCluster([0.0] * 3, [1.0] * 3, uniform_couplings(3, -20.0))   # |J| >> Delta0: the coherent doublet
    >>> mu = transition_dipole(c, random_dipoles(3, 1.0, aligned=True))
    >>> print(round(mu.effective_dipole, 3), mu.coherent_dipole, mu.method)     # p_N = 2 |mu_01| = |sum_i p_i|
    3.0 3.0 parity-sectors
    """

    vector: np.ndarray
    magnitude: float
    effective_dipole: float
    coherent_dipole: float
    gap: float
    resolved: bool
    method: str


def random_dipoles(n: int, magnitude: float = 1.0, seed=None, *, aligned: bool = False,
                   axis=(0.0, 0.0, 1.0)) -> np.ndarray:
    """N dipole vectors of equal length: all along ``axis`` or in independent random directions.

    Parameters
    ----------
    n : int
        Number of particles.
    magnitude : float
        |p_i| (> 0), in the caller's dipole unit (Debye or e x length).
    seed : int, None or numpy.random.Generator
        Random stream for the directions (:func:`tunnelsim.stats.as_generator`).
    aligned : bool
        All along ``axis`` (no randomness) instead of isotropic random directions.
    axis : sequence of 3 floats
        The common direction (non-zero).

    Returns
    -------
    ndarray, shape (N, 3)

    Examples
    --------
    >>> import numpy as np
    >>> from clusters import random_dipoles
    >>> print(random_dipoles(2, 2.0, aligned=True, axis=(0.0, 0.0, 5.0)))
    [[0. 0. 2.]
     [0. 0. 2.]]
    >>> p = random_dipoles(2000, 2.0, seed=0)              # isotropic: |p_i| = 2, mean direction ~ 0
    >>> bool(np.allclose(np.linalg.norm(p, axis=1), 2.0)), bool(np.all(np.abs(p.mean(axis=0)) < 0.1))
    (True, True)
    """
    n = check_int(n, "n", minimum=1, maximum=10**7)
    magnitude = float(check_positive(as_real_scalar(magnitude, "magnitude"), "magnitude"))
    aligned = check_bool(aligned, "aligned")
    ax = as_real_array(axis, "axis", shape=(3,))
    if not np.any(ax):
        raise ValueError("axis must be a non-zero vector")
    if aligned:
        return np.tile(magnitude * ax / np.linalg.norm(ax), (n, 1))
    v = as_generator(seed).normal(size=(n, 3))
    return magnitude * v / np.linalg.norm(v, axis=1, keepdims=True)


def dipole_diagonal(n: int, dipoles: np.ndarray, states: np.ndarray | None = None) -> np.ndarray:
    """<s|D|s> = sum_i (p_i / 2) sigma^z_i(s) of eq. (D.1) for product states s (basis of :mod:`clusters.bases`).

    Parameters
    ----------
    n : int
        Number of particles.
    dipoles : ndarray, shape (N, 3)
        p_i (any dipole unit).
    states : ndarray of int, optional
        Product-state indices (default: all 2^N).

    Returns
    -------
    ndarray, shape (len(states), 3)
        In the unit of ``dipoles``; D is diagonal in the product basis (sigma^z = +1 in L).

    Examples
    --------
    >>> import numpy as np
    >>> print(dipole_diagonal(2, np.array([[0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]))[:, 2] + 0.0)   # LL, LR, RL, RR
    [ 1.  0.  0. -1.]
    """
    return 0.5 * (1 - 2 * ProductBasis(n, 2).digits(states)) @ dipoles


def _mu(cluster: ClusterBase, dipoles: np.ndarray, psi0: np.ndarray, psi1: np.ndarray) -> np.ndarray:
    """<psi0|D|psi1> (eq. D.1), D built by the cluster in the space of the states."""
    states = np.column_stack([psi0, psi1])
    return np.array([cluster.matrix_elements("dipole", states=states, weights=dipoles[:, c])[0, 1].real
                     for c in range(3)])


def _parity_route(cluster: ClusterBase, dipoles: np.ndarray, space: str):
    """mu_01 from the lowest even and the lowest odd state (flip-symmetric cluster, all Delta_i = 0)."""
    even, odd = cluster.solve_sectors(1, space=space)
    pair = sorted([even, odd], key=lambda s: float(s.energies[0]))
    vec = _mu(cluster, dipoles, pair[0].states[:, 0], pair[1].states[:, 0])
    return vec, abs(float(odd.energies[0]) - float(even.energies[0])), True


def _states_route(cluster: ClusterBase, dipoles: np.ndarray, method: str):
    e, states = cluster.eigenstates(2, method)
    gap = float(e[1] - e[0])
    resolved = gap > RESOLUTION * max(1.0, float(np.max(np.abs(e))))
    return _mu(cluster, dipoles, states[:, 0], states[:, 1]), gap, resolved


def transition_dipole(cluster: object, dipoles, *, method: str = "auto") -> TransitionDipole:
    """The transition dipole mu_01 = <0|D|1> of the lowest pair, D = sum_i (p_i/2) sigma^z_i (eqs. D.1-D.2).

    Parameters
    ----------
    cluster : TwoLevelCluster or any cluster model with two wells per particle (:class:`clusters.models.ClusterBase`)
    dipoles : array_like, shape (N, 3)
        p_i in Debye or e x length (the result has the same unit); see :func:`random_dipoles`.
    method : {"auto", "symmetric", "parity", "states"}
        "symmetric": uniform clusters (``cluster.is_uniform``) in the S = N/2 sector (any N; exact by parity
        at Delta = 0);
        "parity": all Delta_i = 0, the two flip-parity sectors of the full space (N <= ``MAX_PARITY_N``),
        exact; "states": the two lowest states of the full space (``resolved`` flags a gap below the
        float64 resolution); "auto": the first that applies.

    Returns
    -------
    TransitionDipole

    Examples
    --------
    >>> from clusters import TwoLevelCluster, transition_dipole
    >>> mu = transition_dipole(TwoLevelCluster([0.3], [0.4], [[0.0]]), [[0.0, 0.0, 1.0]])   # one 2LS: p Delta0 / (2 E)
    >>> print(round(mu.magnitude, 12), 1.0 * 0.4 / (2 * 0.5), round(mu.gap, 12))
    0.4 0.4 0.5
    """
    cluster = check_cluster(cluster, local_dim=2)
    method = check_choice(method, "method", ("auto", "symmetric", "parity", "states"))
    n = cluster.n
    p = as_real_array(dipoles, "dipoles", shape=(n, 3))
    flip = cluster.symmetry() == "parity"
    if method == "auto":
        method = "symmetric" if cluster.is_uniform else ("parity" if flip and n <= MAX_PARITY_N else "states")
    if method == "symmetric" and not cluster.is_uniform:
        raise ValueError("method='symmetric' needs a uniform cluster (built by TwoLevelCluster.uniform(...): "
                         "cluster.is_uniform)")
    if method == "parity" and not (flip and 2 <= n <= MAX_PARITY_N):
        raise ValueError(f"method='parity' needs all asymmetries zero and 2 <= n <= {MAX_PARITY_N} particles")
    if method == "symmetric":
        vec, gap, ok = (_parity_route(cluster, p, "sector") if flip else _states_route(cluster, p, "sector"))
    elif method == "parity":
        vec, gap, ok = _parity_route(cluster, p, "full")
    else:
        vec, gap, ok = _states_route(cluster, p, "auto")
    vec = np.asarray(vec, dtype=float)
    mag = float(np.linalg.norm(vec))
    return TransitionDipole(vector=vec, magnitude=mag, effective_dipole=2 * mag,
                            coherent_dipole=float(np.linalg.norm(p.sum(axis=0))), gap=float(gap), resolved=bool(ok),
                            method={"symmetric": "symmetric-sector", "parity": "parity-sectors"}.get(method, method))
