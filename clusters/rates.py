"""How fast a 2LS cluster leaves its coherent state |L...L>: the sense in which tunneling probabilities add up.

The appendix remarks that "the tunneling probabilities of weakly correlated events should add up" for
moderate N (paper A.16-A.20). Two exact readings of "the probability of leaving |L...L>" are computed
here (docs/coherent_tunneling.md sec. 7; energies in K):

* the short-time leaving probability, 1 - |<L..L|e^{-iHt/hbar}|L..L>|^2 = (dH t / hbar)^2 + O(t^4) with
  the energy variance

      dH^2 = <L..L|H^2|L..L> - <L..L|H|L..L>^2 = sum_i (Delta0_i / 2)^2,                    (R.1)

  evaluated from the cluster's Hamiltonian matrix (:func:`leaving_variance`), i.e. additive in Delta0_i^2;
* the golden-rule escape rate with the STM's one-phonon bath (docs/theory.md sec. 6: the relaxation
  rate K Delta0^2 E coth(E/2T) is the sum of the up and down rates), one channel per single flip i with the
  exact configuration-energy change eps_i = E(flip i) - E(L..L):

      Gamma_i = K Delta0_i^2 eps_i / (exp(eps_i / T) - 1),    Gamma = sum_i Gamma_i           (R.2)

  (:func:`escape_rates`; Gamma_i -> K Delta0_i^2 T as eps_i -> 0; s^-1 for K in K^-3 s^-1).

Both add up over the particles in Delta0_i^2; neither is the fictitious particle's Delta0_N = sum_i Delta0_i.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tunnelsim.validation import as_real_scalar, check_positive

from .memory import check_memory
from .models import check_cluster

__all__ = ["EscapeRates", "leaving_variance", "escape_rates", "MAX_FULL_N"]

#: Largest disordered cluster whose full Hamiltonian is built for the variance (2^20 states).
MAX_FULL_N = 20


@dataclass(frozen=True)
class EscapeRates:
    """Golden-rule escape of |L...L> by single flips (eq. R.2).

    Attributes
    ----------
    energies : numpy.ndarray, shape (N,)
        eps_i = E(flip i) - E(L..L) in K.
    rates : numpy.ndarray, shape (N,)
        Gamma_i in s^-1 (for the coupling constant K in K^-3 s^-1).
    total : float
        Gamma = sum_i Gamma_i (s^-1).

    Examples
    --------
    >>> from clusters import TwoLevelCluster, escape_rates
    >>> pair = escape_rates(TwoLevelCluster([0.5, -0.2], [0.4, 0.1], [[0.0, 0.0], [0.0, 0.0]]), 1.0)   # uncoupled
    >>> single = [escape_rates(TwoLevelCluster([d], [d0], [[0.0]]), 1.0).total for d, d0 in ((0.5, 0.4), (-0.2, 0.1))]
    >>> print(pair.energies.round(6), round(pair.total, 12) == round(sum(single), 12))   # eps_i = -Delta_i; rates add
    [-0.5  0.2] True
    """

    energies: np.ndarray
    rates: np.ndarray
    total: float


def leaving_variance(cluster: object) -> float:
    """Energy variance dH^2 of |L...L> in K^2 from the cluster's Hamiltonian matrix (eq. R.1).

    Parameters
    ----------
    cluster : TwoLevelCluster or any cluster model with two wells per particle (:class:`clusters.models.ClusterBase`)
        Uniform clusters (``cluster.is_uniform``) use the S = N/2 sector (any N); others the full 2^N space
        (N <= ``MAX_FULL_N``), the matrix built by the cluster (``cluster.hamiltonian_matrix``).

    Returns
    -------
    float
        <H^2> - <H>^2 (K^2); 2 sqrt of it is the "tunneling" of the short-time leaving probability.

    Examples
    --------
    >>> from clusters import TwoLevelCluster, leaving_variance
    >>> print(round(leaving_variance(TwoLevelCluster([0.3], [0.4], [[0.0]])), 12))        # (Delta0/2)^2
    0.04
    >>> print(round(leaving_variance(TwoLevelCluster.uniform(3, 0.3, 0.4, -1.0)), 12))   # N (Delta0/2)^2, any J
    0.12
    """
    cluster = check_cluster(cluster, local_dim=2)
    n = cluster.n
    space = cluster.space("auto")
    if space == "full":
        if n > MAX_FULL_N:
            raise ValueError(f"cluster of n = {n} particles: the full 2^n space is built for n <= {MAX_FULL_N}")
        check_memory(2.0**n * (n + 1) * 24.0, f"the 2^{n} Hamiltonian of leaving_variance")
    basis = cluster.sector_basis if space == "sector" else cluster.basis
    start = basis.coherent_state(0)
    col = cluster.hamiltonian_matrix(space).tocsc()[:, start].toarray().ravel()  # H|L..L>
    col[start] = 0.0  # <H^2> - <H>^2 = sum over the other states of |<s|H|L..L>|^2 (no cancellation)
    return float(np.vdot(col, col).real)


def escape_rates(cluster: object, temperature: float, coupling_constant: float = 1.0) -> EscapeRates:
    """Golden-rule escape rates of |L...L> by single flips with the STM's one-phonon bath (eq. R.2).

    Parameters
    ----------
    cluster : TwoLevelCluster or any cluster model with two wells per particle (:class:`clusters.models.ClusterBase`)
    temperature : float
        T > 0 in K.
    coupling_constant : float
        The STM's K (> 0) in K^-3 s^-1 (1.0: rates in units of K x K^3).

    Returns
    -------
    EscapeRates

    Examples
    --------
    >>> import math
    >>> from clusters import TwoLevelCluster, escape_rates
    >>> r = escape_rates(TwoLevelCluster([0.5], [0.4], [[0.0]]), temperature=1.0)   # eps = -Delta (downhill)
    >>> print(round(r.total, 12), round(0.4**2 * -0.5 / (math.exp(-0.5) - 1.0), 12))  # K Delta0^2 eps / (e^(eps/T) - 1)
    0.203319526603 0.203319526603
    """
    cluster = check_cluster(cluster, local_dim=2)
    t = float(check_positive(as_real_scalar(temperature, "temperature"), "temperature"))
    k = float(check_positive(as_real_scalar(coupling_constant, "coupling_constant"), "coupling_constant"))
    # eps_i = E(flip i) - E(L..L) from the cluster's configuration energies (2LS: -Delta_i - 2 sum_j J_ij;
    # docs/theory.md sec. 3); Delta0_i = 2 |<L|h_i|R>|
    n = cluster.n
    flips = np.vstack([np.zeros((1, n), dtype=np.int64), np.eye(n, dtype=np.int64)])
    energy = cluster.configuration_energy(flips)
    eps = energy[1:] - energy[0]
    d0 = 2.0 * np.abs(cluster.terms()[1][:, 0, 1])
    x = eps / t
    with np.errstate(over="ignore"):
        factor = np.where(np.abs(x) < 1e-12, t, eps / np.expm1(np.where(x == 0, 1.0, x)))
    rates = k * d0**2 * np.where(np.isfinite(factor), factor, 0.0)
    return EscapeRates(energies=eps, rates=rates, total=float(rates.sum()))
