"""What several studies share: the paper's regimes they grade against, and one warning filter.

One study, one folder: a study imports no other study. What two of them need lives here, once:

* :data:`COHERENT_REGIME` -- the appendix's coherently tunneling cluster (coherent, cluster_size);
* :data:`LOOP_PHASE_RECONSTRUCTION` -- how the stripped loop-phase equations are read (coherent, cluster_size);
* :data:`NEAR_DEGENERATE` and :func:`ratio_range` -- the effective-2LS ATS (response, magnetodielectric);
* :func:`quiet_gaps` -- silence the unresolved-gap warning where a study marks such gaps itself
  (cluster_size, benchmarks).
"""

from __future__ import annotations

import contextlib
import warnings

import numpy as np

from clusters import UnresolvedGapWarning
from tunnelsim.studies.claims import Regime, round_condition

__all__ = ["COHERENT_REGIME", "LOOP_PHASE_RECONSTRUCTION", "NEAR_DEGENERATE", "ratio_range", "quiet_gaps"]

#: multiplet) and applies its rules up to the N ~ 600 it infers.
COHERENT_REGIME = Regime("a coherently tunneling cluster, i.e. the coherent states are its lowest doublet "
                         "(multiplet), of the sizes the appendix uses (N up to ~600)",
                         {"coherent_states_low": (1, 1), "N": (1, 600)})

#: How the stripped loop-phase equations are read (coherent and cluster_size studies).
LOOP_PHASE_RECONSTRUCTION = (
                  "The fictitious particle's charge and flux-threaded area (after A.9) are stripped from the available "
                  "text; docs/theory.md sec. 3 gives Q_N = N Q with a renormalised area. The loop phase is N phi for "
                  "Q_N = N Q and S_N = S, and equally for the bare charge with S_N = N S: both readings give the one "
                  "testable statement graded here.")

#: The paper's regime of the effective-2LS ATS (sec. 3: "in the |E_i| << D0 ... limits"): |E_i|/D0 and T/D0 <= 0.1.
NEAR_DEGENERATE = Regime("near-degenerate ATS, |E_i| << D0 and T << D0 (paper sec. 3, the effective 2LS before eq. 14)",
                         {"E_over_D0": (None, 0.1), "T_over_D0": (None, 0.1)})


def ratio_range(s) -> tuple[float, float]:
    """(min, max) of max_i |E_i| / D0 over an ATS sample, to 4 significant digits (a claim's conditions)."""
    r = np.abs(s.energies).max(axis=1) / s.d0
    return round_condition(r.min()), round_condition(r.max())


@contextlib.contextmanager
def quiet_gaps():
    """Silence the unresolved-gap warning: the studies mark unresolved gaps in their tables and figures."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnresolvedGapWarning)
        yield
