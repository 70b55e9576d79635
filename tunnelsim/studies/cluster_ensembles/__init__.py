"""Study: what parameter distribution does coherent tunneling produce? Ensembles of interacting STM clusters.

The paper describes its tunneling "particle" by the STM, P(Delta, Delta0) = Pbar / Delta0 (eq. 2), and says
(sec. 2, appendix) that this particle is a fictitious one replacing a cluster of N interacting real particles.
This study samples such clusters (:mod:`clusters.ensembles`: Poisson positions at density rho = 1 per r0^3,
random dipole axes, J0 = 1 K at r0, Delta_i in [-1, 1] K, Delta0_i log-uniform in [1 mK, 1 K]), computes every
cluster exactly and compares, per N, with the model's own control (N = 1 of the same box):

* P(log10 Delta0_eff) and P(Delta_eff) of the coherent doublet (clusters whose coherent states are the low doublet);
* the density of states g(E) of the lowest gap (an interaction pseudogap at low E?);
* the heat capacity C(T) of the ensemble from the exact kept levels (:meth:`clusters.Ensemble.heat_capacity`);
* the distribution of u = Delta0 / E of the lowest pair (eq. E.1), u below float64 resolution counted as bounds.

Modules: :mod:`.sampling` (what is sampled), :mod:`.statistics` (powers, goodness of fit, bounds, histograms),
:mod:`.claims` (report rows), :mod:`.figures`, :mod:`.tables`. Figures ``cluster_ensembles_*.png`` and tables
``cluster_ensembles_*.csv`` go to ``out_dir``; docs/cluster_ensembles.md.
"""

from __future__ import annotations

import pathlib

import numpy as np

from tunnelsim.studies.claims import Claim, Finding

from . import claims, figures, sampling, statistics, tables

__all__ = ["run"]


def run(out_dir: pathlib.Path, quick: bool = False, executor=None) -> list[Claim | Finding]:
    """Sample the ensembles, write figures and CSV tables into ``out_dir``, return the report rows.

    Parameters
    ----------
    out_dir : pathlib.Path
        Output folder (created); the sweeps resume from ``out_dir/.cache``.
    quick : bool
        Small ensembles (a few hundred clusters per N up to N = 8) instead of 10^4 per N.
    executor : concurrent.futures.Executor, optional
        Passed to :func:`clusters.ensembles.run_ensemble` (a process pool or ``Client.get_executor()``).
    """
    out_dir = pathlib.Path(out_dir)
    ensembles = sampling.sample(out_dir, sampling.settings(quick), quick, executor)
    t = sampling.temperatures()
    caps = {n: statistics.heat_capacity(ens, t) for n, ens in ensembles.items()}
    rng = np.random.default_rng(0)
    powers = {n: statistics.c_power(t, caps[n], rng) for n in sorted(ensembles)}
    limits = {n: statistics.truncation_limit(ens, t) for n, ens in ensembles.items()}
    gofs = {n: statistics.flat_gof(ens.log10_d0_eff.compressed()) for n, ens in ensembles.items()}
    tables.write_tables(out_dir, ensembles, caps, powers, gofs)
    figures.fig_d0(ensembles, gofs, out_dir / claims.FIG_D0)
    figures.fig_gap(ensembles, out_dir / claims.FIG_GAP)
    figures.fig_heat(ensembles, caps, powers, out_dir / claims.FIG_HEAT)
    figures.fig_u(ensembles, out_dir / claims.FIG_U)
    return claims.rows(ensembles, powers, gofs, limits)
