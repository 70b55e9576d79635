"""The appendix's coherent-tunneling renormalisation rules (paper A.9-A.20; docs/theory.md sec. 3).

The paper replaces the coherent states of a cluster of N correlated particles,
|L...L> and |R...R> (2LS) or |a...a>, a = 1, 2, 3 (3LS), by ONE fictitious particle with

* asymmetry Delta_N = sum_i Delta_i (3LS: well energies summed per well, E_a^N = sum_i E_a^i),
* an interaction energy U = sum_{i<j} J_ij (= N (N-1)/2 J for a uniform cluster) on the diagonal,
* tunneling Delta0_N = sum_i Delta0_i (3LS: D_N = sum_i D0_i),
* charge Q_N = N Q and a flux loop phase N phi.

How U enters (this module's convention, H = sum_i 1/2 (Delta_i s^z_i + Delta0_i s^x_i) +
sum_{i<j} J_ij s^z_i s^z_j): in BOTH coherent states every pair is aligned, s^z_i s^z_j = +1, so
<L..L|H|L..L> = Delta_N / 2 + U and <R..R|H|R..R> = -Delta_N / 2 + U. U is a common shift of
the two coherent states: it cancels from their difference, so the fictitious particle's asymmetry
is Delta_N alone; U only fixes where the doublet sits relative to the rest of the spectrum. For
the 3LS cluster, J_ij acts when i and j share a well, i.e. again for every pair in each
coherent state |a...a>: the same common shift U.

What the "renormalised flux area" means: the fictitious particle's Aharonov-Bohm phase is
phi_N = 2 pi B S_N cos(theta) Q_N / h. With the charge Q_N = N Q this equals N phi exactly when
the flux-threaded area is unchanged, S_N = S (``flux_area_ratio`` = 1). Equivalently, a
particle of the bare charge Q would need the area S_N = N S (``flux_area_ratio_bare_charge``).
Either way, the rule is "loop phase = N phi", which the coherent study
(:mod:`tunnelsim.studies.coherent.sweeps`) tests against the exact effective Hamiltonian.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .models import ClusterBase, ThreeLevelCluster, check_cluster

__all__ = [
    "RenormalisedTwoLevel",
    "RenormalisedThreeLevel",
    "renormalise_two_level",
    "renormalise_three_level",
]


@dataclass(frozen=True)
class RenormalisedTwoLevel:
    """The appendix's fictitious 2LS of a cluster of N particles (energies in K).

    Attributes
    ----------
    n : int
        Number of particles N.
    asymmetry : float
        Delta_N = sum_i Delta_i (paper A.9-A.12).
    interaction_energy : float
        U = sum_{i<j} J_ij, the common diagonal shift of |L..L> and |R..R> (cancels from the asymmetry).
    tunneling : float
        Delta0_N = sum_i Delta0_i (paper A.13-A.15).

    Examples
    --------
    >>> from clusters import RenormalisedTwoLevel
    >>> r = RenormalisedTwoLevel(n=2, asymmetry=0.6, interaction_energy=-1.0, tunneling=0.8)
    >>> print(round(r.energy_left - r.energy_right, 12), round(r.splitting, 12))   # Delta_N; paper eq. 1
    0.6 1.0
    """

    n: int
    asymmetry: float
    interaction_energy: float
    tunneling: float

    @property
    def energy_left(self) -> float:
        """<L..L|H|L..L> = Delta_N/2 + U (K)."""
        return 0.5 * self.asymmetry + self.interaction_energy

    @property
    def energy_right(self) -> float:
        """<R..R|H|R..R> = -Delta_N/2 + U (K)."""
        return -0.5 * self.asymmetry + self.interaction_energy

    @property
    def splitting(self) -> float:
        """Level splitting of the fictitious 2LS, sqrt(Delta_N^2 + Delta0_N^2) (K; paper eq. 1)."""
        return float(np.hypot(self.asymmetry, self.tunneling))


@dataclass(frozen=True)
class RenormalisedThreeLevel:
    """The appendix's fictitious 3LS of a cluster of N particles (energies in K, phases in rad).

    Attributes
    ----------
    n : int
        Number of particles N.
    well_energies : tuple of float
        E_a^N = sum_i E_a^i, a = 1, 2, 3 (sums to zero like every row).
    interaction_energy : float
        U = sum_{i<j} J_ij, common shift of the three coherent states.
    hopping : float
        D_N = sum_i D0_i (paper A.16-A.20).
    charge : int
        Q_N / Q = N.
    loop_phase : float
        N phi, the Aharonov-Bohm phase of the fictitious particle (not reduced mod 2 pi).
    flux_area_ratio : float
        S_N / S = 1 at charge N Q (see the module docstring).
    flux_area_ratio_bare_charge : float
        S_N / S = N if one keeps the bare charge Q instead.

    Examples
    --------
    >>> from clusters import ThreeLevelCluster, renormalise_three_level
    >>> r = renormalise_three_level(ThreeLevelCluster.uniform(3, [0.1, -0.05, -0.05], 1.0, -1.0, phi=0.3))
    >>> r.charge, r.flux_area_ratio, r.flux_area_ratio_bare_charge   # charge N Q keeps the area; bare Q needs N S
    (3, 1.0, 3.0)
    """

    n: int
    well_energies: tuple[float, float, float]
    interaction_energy: float
    hopping: float
    charge: int
    loop_phase: float
    flux_area_ratio: float
    flux_area_ratio_bare_charge: float


def _coherent_parts(cluster: ClusterBase) -> tuple[np.ndarray, np.ndarray, float]:
    """(well energies summed per well, |<a|h_i|a+1>| per particle, U) from the cluster model's parts (eq. 3.1).

    U = sum_{i<j} J_ij W(a, a): the pair energy of a coherent state |a...a> (W(a, a) = 1 for both models).
    """
    wells, hop = cluster.terms()
    pair = np.diagonal(cluster.pair)
    if not np.all(pair == pair[0]):
        raise ValueError(f"the coherent states of {type(cluster).__name__} have different pair energies W(a, a) = "
                         f"{pair.tolist()}: the appendix's rules need one common shift U")
    return wells.sum(axis=0), np.abs(hop[:, 0, 1]), float(pair[0] * np.sum(np.triu(cluster.couplings, 1)))


def renormalise_two_level(cluster: object) -> RenormalisedTwoLevel:
    """Apply the appendix's rules to a 2LS cluster (paper A.9-A.15; docs/theory.md sec. 3).

    Parameters
    ----------
    cluster : TwoLevelCluster or any cluster model with two wells per particle (:class:`clusters.models.ClusterBase`)
        Its parts: Delta_i = E^i_L - E^i_R and Delta0_i = 2 |<L|h_i|R>| (eq. 3.1), J_ij in K.

    Returns
    -------
    RenormalisedTwoLevel
        Delta_N = sum Delta_i, U = sum_{i<j} J_ij, Delta0_N = sum Delta0_i.

    Examples
    --------
    >>> from clusters import TwoLevelCluster, renormalise_two_level, uniform_couplings
    >>> r = renormalise_two_level(TwoLevelCluster([0.1, 0.2, -0.05], [1.0, 2.0, 3.0], uniform_couplings(3, -1.0)))
    >>> print(round(r.asymmetry, 12), r.tunneling, r.interaction_energy)   # sum Delta_i, sum Delta0_i, 3 pairs x J
    0.25 6.0 -3.0
    """
    cluster = check_cluster(cluster, local_dim=2)
    wells, hop, u = _coherent_parts(cluster)
    return RenormalisedTwoLevel(n=int(cluster.n), asymmetry=float(wells[0] - wells[1]), interaction_energy=u,
                                tunneling=float(2.0 * hop.sum()))


def renormalise_three_level(cluster: object) -> RenormalisedThreeLevel:
    """Apply the appendix's rules to a 3LS cluster (paper A.16-A.20; docs/theory.md sec. 3).

    Parameters
    ----------
    cluster : ThreeLevelCluster
        Its parts: well energies E^i_a, D0_i = |<1|h_i|2>| (eq. 3.1), J_ij in K, and the flux phase ``phi``.

    Returns
    -------
    RenormalisedThreeLevel
        Well energies summed per well, U = sum_{i<j} J_ij, D_N = sum D0_i, charge N,
        loop phase N phi.

    Examples
    --------
    >>> from clusters import ThreeLevelCluster, renormalise_three_level
    >>> r = renormalise_three_level(ThreeLevelCluster.uniform(2, [0.1, -0.05, -0.05], 1.0, -1.0, phi=0.3))
    >>> print(r.charge, round(r.hopping, 12), round(r.loop_phase, 12), [round(e, 12) for e in r.well_energies])
    2 2.0 0.6 [0.2, -0.1, -0.1]
    """
    if not isinstance(cluster, ThreeLevelCluster):
        raise TypeError(f"cluster must be a ThreeLevelCluster (its flux phase phi enters the rule), got "
                        f"{type(cluster).__name__}")
    wells, hop, u = _coherent_parts(cluster)
    n, phi = cluster.n, cluster.phi
    return RenormalisedThreeLevel(
        n=int(n),
        well_energies=(float(wells[0]), float(wells[1]), float(wells[2])),
        interaction_energy=u,
        hopping=float(hop.sum()),
        charge=int(n),
        loop_phase=float(n * phi),
        flux_area_ratio=1.0,
        flux_area_ratio_bare_charge=float(n),
    )
