"""Study: single tunneling systems, flux spectra (paper Figs. 5 and 14), their limits and the toolkit's identities.

Writes figures and a CSV table into the output folder and returns the report rows (docs/architecture.md, "Report
rows"):

* three graded claims of the paper, each made in a limit and graded by its trend there
  (:mod:`~tunnelsim.studies.single.claims`, measured by :mod:`~tunnelsim.studies.single.limits`): the ATS as an
  effective 2LS (paper sec. 2), the near-degenerate 4LS ground doublet for d2 > d1 and the middle doublet for
  d2 < d1 (paper appendix, Fig. 14);
* identities, the toolkit's closed forms against its own exact diagonalisation, counted apart
  (:mod:`~tunnelsim.studies.single.identities`), and what lies beyond the paper (where the 4LS doublet ends, the
  ATS gap outside the limit);
* the figures (:mod:`~tunnelsim.studies.single.figures` and :mod:`tunnelsim.single.plotting`).
"""

from __future__ import annotations

from pathlib import Path

from tunnelsim.files import write_table
from tunnelsim.single.plotting import figure_four_level_flux, figure_three_level_flux
from tunnelsim.stats import as_generator
from tunnelsim.studies.figures import save_figure
from tunnelsim.studies.single import claims, identities, limits
from tunnelsim.studies.single.figures import figure_limits, figure_threshold

__all__ = ["run", "TITLE"]

TITLE = "Single tunneling systems: flux spectra (3LS, 4LS)"


def _limit_table(out_dir: Path, groups) -> None:
    rows = [[claim, case.label, x, dev] for claim, cases in groups for case in cases
            for x, dev in zip(case.x, case.deviation)]
    write_table(out_dir / "effective_gap_error.csv", ["claim", "case", "x", "deviation"], rows)


def run(out_dir: Path, quick: bool = False, executor=None) -> list:
    """Write the single-system figures and tables into ``out_dir``; return the report rows.

    Parameters
    ----------
    out_dir : pathlib.Path
        Output folder (created if needed).
    quick : bool
        Fewer random samples and coarser curves.
    executor : concurrent.futures.Executor, optional
        Unused (the single-system checks take seconds); accepted for a uniform study interface.

    Returns
    -------
    list of Claim and Finding
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    n_phi = 201 if quick else 801
    save_figure(figure_three_level_flux(n_phi=n_phi)[0], out_dir / "spectrum_3ls_flux.png")
    save_figure(figure_four_level_flux(n_phi=n_phi)[0], out_dir / "spectrum_4ls_flux.png")
    save_figure(figure_threshold(identities.RATIOS)[0], out_dir / "4ls_doublet_threshold.png")
    xs = limits.SMALL + (limits.EDGE,) + limits.BEYOND
    ats, ground, middle = limits.ats_gap_cases(xs), limits.ground_doublet_cases(xs), limits.middle_doublet_cases(xs)
    four = limits.four_level_gap_cases(limits.SMALL + (limits.EDGE,))
    _limit_table(out_dir, (("ATS effective gap", ats), ("4LS ground doublet", ground), ("4LS middle doublet", middle),
                           ("4LS effective gap (identity)", four)))
    graded = [claims.ats_claim(ats, limits.ats_third_gap()), claims.ground_doublet_claim(ground),
              claims.middle_doublet_claim(middle)]
    save_figure(figure_limits(ats, ground, middle, [c.trend for c in graded])[0], out_dir / claims.FIGURE)
    found = identities.closed_form_identities(as_generator(2013), 50 if quick else 400)
    found += [identities.doublet_splitting_identity(51 if quick else 201), identities.threshold_identity(),
              identities.effective_four_level_identity(four), identities.periodicity_identity(),
              identities.doublet_end_finding(), claims.ats_beyond_finding(ats)]
    return graded + found
