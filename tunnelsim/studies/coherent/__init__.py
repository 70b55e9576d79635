"""Study: the appendix's coherent-tunneling renormalisation against the exact spectra.

``run(out_dir, quick=False, executor=None)`` runs the sweeps of :mod:`~tunnelsim.studies.coherent.sweeps`,
writes ``coherent_comparison.csv`` (numbers only), ``coherent_extra.csv`` and the figures into ``out_dir``
and returns the report rows (docs/coherent_tunneling.md; docs/theory.md sec. 3; paper A.9-A.20):

* :mod:`~tunnelsim.studies.coherent.renormalisation` -- the rules Delta0_N = sum Delta0_i (with the 3LS
  D_N), Delta_N = sum Delta_i, E_a^N = sum E_a^i (one graded row each) and the N-th order identity;
* :mod:`~tunnelsim.studies.coherent.loop_phase` -- charge N Q: the loop phase N phi, odd and even N, graded
  by its trend in D0/|J|;
* :mod:`~tunnelsim.studies.coherent.fictitious_3ls` -- the fictitious 3LS at zero field (D > 0 premise, the
  A.11 magnetic parameter): findings;
* :mod:`~tunnelsim.studies.coherent.dipole` -- the cluster's dipole (Conclusions);
* :mod:`~tunnelsim.studies.coherent.probabilities` -- "tunneling probabilities add up": an identity.
"""

from __future__ import annotations

import pathlib
from typing import Any

from tunnelsim.files import write_table
from tunnelsim.studies.claims import Claim, Finding
from tunnelsim.studies.coherent.dipole import asymmetric_dipoles, dipole_point, fig_dipole, rows_dipole
from tunnelsim.studies.coherent.fictitious_3ls import (
    fig_magnetic,
    fig_premise,
    premise_point,
    premise_spectrum,
    ratio_exact,
    rows_fictitious,
)
from tunnelsim.studies.coherent.figures import FIGURES
from tunnelsim.studies.coherent.loop_phase import fig_loop_phase, rows_loop_phase
from tunnelsim.studies.coherent.probabilities import fig_sum_rule, rows_probabilities, sum_rule
from tunnelsim.studies.coherent.renormalisation import RULE_ROWS
from tunnelsim.studies.coherent.sweeps import compare_renormalisation
from tunnelsim.sweep import grid, run_sweep

__all__ = ["run", "settings"]


def settings(quick: bool) -> dict[str, dict[str, Any]]:
    """The sweep grids: ``compare`` (of :func:`compare_renormalisation`) and ``extra`` (3LS premise, dipoles).

    The loop phase is a limit claim: at least four couplings (|J| = 20-200 K, D0 = 1 K) for its trend.
    """
    if quick:
        compare = dict(ns=tuple(range(1, 9)), large_ns=(25, 200, 600), couplings=(-0.1, -0.5, -2.0, -5.0, -20.0),
                       coupling_n=6, disorders=(0.0, 0.3), disorder_n=6, biases=(0.1, 0.5), dipolar_seeds=(0,),
                       phis=(1.0,), phase_ns=(1, 2, 3, 4, 5), phase_couplings=(-20.0, -50.0, -100.0, -200.0),
                       phase_disorders=(0.3,), phase_disorder_ns=(2, 3))
    else:
        compare = dict(ns=tuple(range(1, 13)) + (16, 20, 30, 40), large_ns=(25, 50, 100, 200, 400, 600),
                       couplings=(-0.05, -0.1, -0.2, -0.5, -1.0, -2.0, -5.0, -10.0, -20.0, -50.0, -100.0),
                       coupling_n=6, disorders=(0.0, 0.1, 0.3, 1.0), disorder_n=10, biases=(0.01, 0.1, 0.5),
                       dipolar_seeds=(0, 1, 2, 3, 4), phis=(0.3, 1.0), phase_ns=tuple(range(1, 13)),
                       phase_couplings=(-20.0, -30.0, -50.0, -100.0, -200.0), phase_disorders=(0.1, 0.5),
                       phase_disorder_ns=(2, 3, 4, 5, 6))
    extra = dict(ns=(1, 2, 3, 4, 5, 6, 8, 25) if quick else tuple(range(1, 13)) + (16, 25, 40),
                 dipole_ns=(1, 2, 4, 8, 16, 25, 64, 200, 600), orientations=50 if quick else 400,
                 couplings=(-1.0, -2.0, -5.0, -20.0), asym_ns=(2, 4, 6))
    return {"compare": compare, "extra": extra}


def _extra(out_dir: pathlib.Path, cache: pathlib.Path, s: dict[str, Any], executor, doublets) -> list[Claim | Finding]:
    """The 3LS premise, the dipole and the probabilities rows, their figures and ``coherent_extra.csv``."""
    rows3 = run_sweep(premise_point, grid(n=s["ns"], coupling=list(s["couplings"])), cache / "coherent_premise.jsonl",
                      executor=executor, progress=False, desc="coherent 3LS premise")
    dips = run_sweep(dipole_point, grid(n=s["dipole_ns"], orientations=[s["orientations"]]),
                     cache / "coherent_dipole.jsonl", executor=executor, progress=False, desc="coherent dipoles")
    dip = {r["params"]["n"]: r["result"] for r in dips}
    asym = asymmetric_dipoles(s["asym_ns"])
    sums = sum_rule({n: r for n, r in doublets.items() if n > 0})
    write_table(out_dir / "coherent_extra.csv", ["quantity", "N", "J_K", "value"],
                [["log10_R_magnetic", n, j, v] for (n, j), v in sorted(ratio_exact(rows3).items())]
                + [["pN_over_p_aligned", n, -5.0, d["aligned"]] for n, d in sorted(dip.items())]
                + [["pN_over_p_random_mean", n, -5.0, d["random_mean"]] for n, d in sorted(dip.items())]
                + [["log10_2dH", r[0], -5.0, r[2]] for r in sums], float_format=".10g")
    fig_dipole(dip, asym, out_dir / "coherent_dipole.png")
    fig_magnetic(rows3, s["couplings"], out_dir / "coherent_magnetic_n.png")
    fig_premise(rows3, s["couplings"], out_dir / "coherent_3ls_premise.png")
    for j in s["couplings"]:
        premise_spectrum(rows3, j).save(out_dir / f"coherent_3ls_premise_J{j:g}.npz")
    fig_sum_rule(sums, out_dir / "coherent_sum_rule.png")
    return rows_dipole(dip, asym) + rows_fictitious(rows3, s["couplings"]) + rows_probabilities(sums)


def run(out_dir: pathlib.Path, quick: bool = False, executor=None) -> list[Claim | Finding]:
    """Run the comparison, write the CSV tables and figures into ``out_dir``, return the report rows.

    Parameters
    ----------
    out_dir : pathlib.Path
        Output folder (created). Sweep results are cached in ``out_dir/.cache``.
    quick : bool
        Small grids (about 10 s) instead of the full ones (about 30-60 s).
    executor : concurrent.futures.Executor, optional
        Passed to :func:`tunnelsim.sweep.run_sweep`.

    Returns
    -------
    list of tunnelsim.studies.claims.Claim and Finding
    """
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    s = settings(quick)
    sub = out_dir / (".cache/quick" if quick else ".cache/full")
    results = compare_renormalisation(sub, executor=executor, progress=False, **s["compare"])
    (sub / "coherent_comparison.csv").replace(out_dir / "coherent_comparison.csv")
    for name, figure in FIGURES.items():
        figure(results, out_dir / name)
    fig_loop_phase(results, out_dir / "coherent_loop_phase.png")
    doublets = {item["params"]["n"]: item["result"] for item in results["n"]}
    rows = [row for make in RULE_ROWS for row in make(results, s["compare"])] + rows_loop_phase(results, s["compare"])
    return rows + _extra(out_dir, sub, s["extra"], executor, doublets)
