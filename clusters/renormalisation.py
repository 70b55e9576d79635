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
(:mod:`tunnelsim.studies.coherent_compare`) tests against the exact effective Hamiltonian.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .models.parameters import three_level_arrays, two_level_arrays

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
    """

    n: int
    well_energies: tuple[float, float, float]
    interaction_energy: float
    hopping: float
    charge: int
    loop_phase: float
    flux_area_ratio: float
    flux_area_ratio_bare_charge: float


def _pair_sum(couplings: np.ndarray) -> float:
    return float(np.sum(np.triu(couplings, 1)))


def renormalise_two_level(cluster: object) -> RenormalisedTwoLevel:
    """Apply the appendix's rules to a 2LS cluster (paper A.9-A.15; docs/theory.md sec. 3).

    Parameters
    ----------
    cluster : TwoLevelCluster or any object with ``asymmetries`` (N,), ``tunnelings`` (N,)
        and ``couplings`` (N, N) in K.

    Returns
    -------
    RenormalisedTwoLevel
        Delta_N = sum Delta_i, U = sum_{i<j} J_ij, Delta0_N = sum Delta0_i.
    """
    delta, d0, j = two_level_arrays(cluster)
    n = d0.size
    return RenormalisedTwoLevel(n=int(n), asymmetry=float(delta.sum()), interaction_energy=_pair_sum(j),
                                tunneling=float(d0.sum()))


def renormalise_three_level(cluster: object) -> RenormalisedThreeLevel:
    """Apply the appendix's rules to a 3LS cluster (paper A.16-A.20; docs/theory.md sec. 3).

    Parameters
    ----------
    cluster : ThreeLevelCluster or any object with ``energies`` (N, 3), ``d0s`` (N,),
        ``couplings`` (N, N) in K and ``phi`` (rad).

    Returns
    -------
    RenormalisedThreeLevel
        Well energies summed per well, U = sum_{i<j} J_ij, D_N = sum D0_i, charge N,
        loop phase N phi.
    """
    e, d0, j, phi = three_level_arrays(cluster)
    n = e.shape[0]
    wells = e.sum(axis=0)
    return RenormalisedThreeLevel(
        n=int(n),
        well_energies=(float(wells[0]), float(wells[1]), float(wells[2])),
        interaction_energy=_pair_sum(j),
        hopping=float(d0.sum()),
        charge=int(n),
        loop_phase=float(n * phi),
        flux_area_ratio=1.0,
        flux_area_ratio_bare_charge=float(n),
    )
