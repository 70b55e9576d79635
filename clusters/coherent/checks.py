"""Checks shared by the coherent doublet and multiplet: coupled clusters in, a warning when the model space is not low.

The coherent states are the lowest multiplet only where the couplings bind them (docs/coherent_tunneling.md
sec. 2, "Is the model space the low-energy space?"). Where they are not, the effective parameters still
describe the coherent model space exactly, but not the low-energy physics: :class:`CoherentSpaceWarning`
says so and names what to do.
"""

from __future__ import annotations

import warnings

__all__ = ["CoherentSpaceWarning", "warn_not_low", "degenerate_error"]


class CoherentSpaceWarning(UserWarning):
    """The coherent states are not the lowest doublet (multiplet) of the cluster.

    Examples
    --------
    >>> import warnings
    >>> from clusters import TwoLevelCluster, coherent_doublet
    >>> with warnings.catch_warnings(record=True) as caught:   # J > 0: |LR>, |RL> lie below |LL>, |RR>
    ...     warnings.simplefilter("always")
    ...     d = coherent_doublet(TwoLevelCluster.uniform(2, 0.0, 1.0, 5.0))
    >>> [w.category.__name__ for w in caught], d.model_space_is_low_energy
    (['CoherentSpaceWarning'], False)
    """


def degenerate_error(what: str, exc: Exception) -> ValueError:
    """The clear error for a model space exactly degenerate with other states (E - QHQ singular)."""
    return ValueError(f"the coherent {what} of this cluster is degenerate with other configurations (E - QHQ is "
                      f"singular: {exc}); the effective Hamiltonian does not exist. Make the ferromagnetic "
                      "couplings stronger than the tunnelings (|J| >> Delta0) or add asymmetries that lift "
                      "the degeneracy (cluster.couplings / cluster.asymmetries)")


def warn_not_low(low: bool, weights: tuple, what: str, stacklevel: int = 3) -> None:
    """Warn (:class:`CoherentSpaceWarning`) when the coherent states are not the lowest ``what``."""
    if not low:
        warnings.warn(
            f"the coherent states are not the lowest {what} of this cluster (model-space weights "
            f"{', '.join(f'{w:.3g}' for w in weights)}; other configurations lie lower or mix in): the effective "
            "parameters describe the coherent model space, not the low-energy physics. Make the ferromagnetic "
            "couplings stronger than the tunnelings (|J| >> Delta0) and free of frustration, check "
            "`model_space_is_low_energy`, or pass warn=False where you record that flag yourself",
            CoherentSpaceWarning, stacklevel=stacklevel)
