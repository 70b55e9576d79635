"""In which sense do the tunneling probabilities of a coherent cluster add up? (appendix, after A.20)

The paper: "the tunneling probabilities of weakly correlated events should add up for values of N not too
large". A tunneling probability goes with Delta0_i^2, and the short-time leaving probability of |L...L> is
(dH t)^2 with (2 dH)^2 = sum_i Delta0_i^2 (:func:`clusters.leaving_variance`): the sentence holds
identically, so it is an IDENTITY row (counted apart), never graded; the amplitude rule Delta0_N = sum
Delta0_i is what the ``Delta0_N = sum Delta0_i`` row grades. The golden-rule escape of |L...L> by single
flips (:func:`clusters.escape_rates`) is an observation. Figure ``coherent_sum_rule.png``.
"""

from __future__ import annotations

import math
import pathlib

import matplotlib.pyplot as plt
import numpy as np

from clusters import TwoLevelCluster, escape_rates, leaving_variance
from tunnelsim.studies.claims import Finding, FindingKind
from tunnelsim.studies.figures import save_figure

__all__ = ["sum_rule", "rows_probabilities", "fig_sum_rule"]


def sum_rule(doublets: dict[int, dict]) -> list[tuple[int, float, float, float]]:
    """(N, log10 exact splitting, log10 2 dH, log10 sum Delta0_i) for uniform clusters, Delta0 = 1 K, J = -5 K."""
    out = []
    for n, r in sorted(doublets.items()):
        var = leaving_variance(TwoLevelCluster.uniform(n, 0.0, 1.0, -5.0))
        out.append((n, r["log10_exact_tunneling"], math.log10(2 * math.sqrt(var)), math.log10(r["rule_tunneling"])))
    return out


def rows_probabilities(rows) -> list[Finding]:
    """The identity (2 dH)^2 = sum Delta0_i^2 (uniform and disordered) and the golden-rule observation."""
    rng = np.random.default_rng(7)
    cl = TwoLevelCluster(rng.uniform(-1, 1, 6), rng.uniform(0.2, 2, 6), -5.0 * (np.ones((6, 6)) - np.eye(6)))
    var = leaving_variance(cl)
    uni = max(abs(10 ** (2 * r[2]) - r[0]) / r[0] for r in rows)
    esc = escape_rates(TwoLevelCluster.uniform(6, 0.0, 1.0, -5.0), temperature=20.0)
    return [
        Finding(FindingKind.IDENTITY,
                "The tunneling probabilities of weakly correlated events add up (paper appendix, after A.20): the "
                "short-time leaving probability of |L...L> is the sum of the particles', (2 dH)^2 = sum_i Delta0_i^2",
                f"disordered N = 6 cluster, from its Hamiltonian matrix: (2 dH)^2 = {4 * var:.12g} K^2 vs sum "
                f"Delta0_i^2 = {float(np.sum(cl.tunnelings ** 2)):.12g} K^2; uniform clusters N = {rows[0][0]}-"
                f"{rows[-1][0]}: max relative |(2 dH)^2 - N Delta0^2| / (N Delta0^2) = {uni:.1e}. Holds identically "
                "(a sum rule of H), hence not graded; the amplitude rule is graded in the Delta0_N = sum Delta0_i row",
                "clusters.leaving_variance", "coherent_sum_rule.png"),
        Finding(FindingKind.OBSERVATION, "Golden-rule escape of |L...L> by single flips (STM one-phonon bath) adds "
                                         "up in Delta0_i^2, not in the fictitious (sum Delta0_i)^2",
                f"uniform N = 6, Delta0 = 1 K, J = -5 K, T = 20 K, K = 1 K^-3 s^-1: Gamma = {esc.total:.4g} s^-1 = "
                f"6 Gamma_1 with Gamma_1 = {esc.rates[0]:.4g} s^-1 the single-flip rate (eps = {esc.energies[0]:g} K); "
                f"the fictitious (sum Delta0_i)^2 would give 36 Gamma_1", "clusters.escape_rates",
                "coherent_sum_rule.png")]


def fig_sum_rule(rows, path: pathlib.Path) -> None:
    """log10 of the rule, the leaving rate 2 dH and the exact splitting versus N."""
    n = np.array([r[0] for r in rows])
    fig, ax = plt.subplots(figsize=(6.4, 4.4), layout="constrained")
    ax.plot(n, [r[3] for r in rows], "k-", label=r"rule $\Delta_{0,N} = \sum_i \Delta_{0,i}$")
    ax.plot(n, [r[2] for r in rows], "s-", label=r"leaving rate: $2\,\delta H = (\sum_i \Delta_{0,i}^2)^{1/2}$")
    low = max(-60.0, min(r[1] for r in rows) - 2)
    off = [r[0] for r in rows if r[1] < low]
    note = f"; N >= {min(off)} below the axis" if off else ""
    ax.plot(n, [r[1] for r in rows], "o", label=f"coherent splitting (exact{note})")
    ax.set_xscale("log")
    ax.set_ylim(low, 4)
    ax.set_xlabel("cluster size N")
    ax.set_ylabel(r"$\log_{10}$(energy / K)")
    ax.set_title(r"in which sense do tunneling probabilities add up? $J$ = -5 K, $\Delta_0$ = 1 K", fontsize=10)
    ax.legend(fontsize=8)
    save_figure(fig, path)
