"""Study: heat capacity and dielectric response of the two-species glass model (docs/response.md).

Figures (paper Figs. 7-13 style, :mod:`.figures`) and CSV tables in ``out_dir``; report rows as
:class:`tunnelsim.studies.claims.Claim` (graded in the paper's regime, the verdict computed) and
:class:`tunnelsim.studies.claims.Finding` (identities, reconstructions, findings beyond the paper). The
heat-capacity rows are in :mod:`.heat_capacity`, the dielectric ones in :mod:`.dielectric`, the x dependence of
the magnetic response (paper sec. 5) in :mod:`.composition`; :mod:`.regimes` holds the near-degenerate regime
that the magnetodielectric study shares. Sweeps are cached in ``out_dir/.cache`` (run_sweep files).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tunnelsim.studies.response import composition, dielectric, heat_capacity

__all__ = ["run", "settings"]


def settings(quick: bool) -> dict:
    """Sizes of the study (quick: small ensembles and coarse grids, about 20 s)."""
    if quick:
        return dict(tag="quick", n_c=60, n_dos=20000, n_te=30, n_ensemble=10000, n_field=3000, n_theta=6, n_td=70,
                    scan_n=6, scan_k=[1e6, 1e9, 1e12], refine=30, freqs=[1e2, 1e3, 1e4, 1e5], n_mc=1500)
    return dict(tag="full", n_c=150, n_dos=200000, n_te=60, n_ensemble=60000, n_field=20000, n_theta=16, n_td=160,
                scan_n=8, scan_k=[1e6, 1e8, 1e10, 1e12], refine=120, freqs=list(np.geomspace(1e2, 1e6, 9)),
                n_mc=8000)


def run(out_dir: Path, quick: bool = False, executor=None) -> list:
    """Make the response figures and tables in ``out_dir``; return the report rows.

    Parameters
    ----------
    out_dir : pathlib.Path
        Output folder (created if needed); sweeps cached in ``out_dir/.cache``.
    quick : bool
        Smaller ensembles and coarser grids (~20 s).
    executor : concurrent.futures.Executor, optional
        Runs the C(T, B), V-scan and frequency sweeps.

    Returns
    -------
    list of Claim and Finding
    """
    out = Path(out_dir)
    cache = out / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    s = settings(quick)
    rows, field_res = heat_capacity.rows(out, cache, s, executor)
    rows += composition.rows(out, field_res, s)
    rows += dielectric.rows(out, cache, s, executor)
    return rows
