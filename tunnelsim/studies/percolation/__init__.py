"""Study: percolation clusters, fractal exponents and the exponent alpha (docs/fractal_clustering.md).

``run(out_dir, quick=False, executor=None)`` writes figures (PNG) and CSV tables into ``out_dir`` and
returns the report rows (:mod:`.claims`): claims graded against the paper's own words (sec. 3, eq. 20
and the text after it), a control, an identity and findings beyond the paper. Sweeps are cached in
``out_dir/.cache``. Modules: :mod:`.settings` (what is simulated), :mod:`.rules` (regimes and tolerances),
:mod:`.measurements` (estimates, local-exponent trends, eq. 20 fits), :mod:`.claims`, :mod:`.figures`,
:mod:`.tables`.
"""

from __future__ import annotations

import pathlib
from concurrent.futures import Executor

from lattices import simulate_interface
from tunnelsim.studies.claims import Claim, Finding

from . import claims, figures, measurements, settings, tables

__all__ = ["run"]


def run(out_dir: pathlib.Path, quick: bool = False, executor: Executor | None = None) -> list[Claim | Finding]:
    """Run the percolation study; return the report rows.

    Parameters
    ----------
    out_dir : pathlib.Path
        Folder for figures and CSV tables (created if needed).
    quick : bool
        Small sizes (~20 s) for tests; full mode uses the estimators' defaults (~4 min on 2 cores).
    executor : concurrent.futures.Executor, optional
        Spreads the samples of every estimate.
    """
    out = pathlib.Path(out_dir)
    (out / ".cache").mkdir(parents=True, exist_ok=True)
    kw = dict(seed=settings.SEED, executor=executor, progress=False, cache=out / ".cache")  # the runner's bar only
    s = settings.settings(quick)
    figures.fig_cluster(out, s["cluster_size"])
    est = measurements.estimates(s, kw)
    tabs = {2: simulate_interface(settings.SQUARE, **s["t2"], **kw),
            3: simulate_interface(settings.CUBIC, **s["t3"], **kw)}
    alpha = measurements.alpha_fits(tabs)
    figures.fig_wrapping(out, est)
    figures.fig_fits(out, est)
    figures.fig_alpha(out, tabs, alpha)
    tables.write_tables(out, est, tabs, alpha)
    return claims.rows(est, tabs, alpha)
