"""Study: the dielectric constant eps(T, B) of the ATS from exact three-level systems (docs/theory.md sec. 6b).

The magnetic-field effects of multicomponent glasses are what the ATS model was built for (the paper's ref.
[21]). This study samples ATS with :func:`tunnelsim.sample_ats` (the sampler of C(T, B)), diagonalises each
3LS exactly in the field (:func:`tunnelsim.dielectric_ats_field`) and reports: the zero-field limit against
the effective-2LS ATS term of the response module (graded by its trend towards |E_i|/D0 -> 0, the paper's
regime), eps'(T, B) and the magnetocapacitance as a measurement gives it (the B = 0 value subtracted once;
beyond the paper, ungraded), and the throughput as a timing. :mod:`.sweeps` holds the ensembles and the field
point, :mod:`.claims` the rows, :mod:`.figures` the plots. Sweeps are cached in ``out_dir/.cache``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tunnelsim.files import write_table
from tunnelsim.studies.magnetodielectric import figures
from tunnelsim.studies.magnetodielectric.claims import field_findings, throughput, zero_field_claim
from tunnelsim.studies.magnetodielectric.sweeps import FIELDS, field_point, settings
from tunnelsim.sweep import run_sweep

__all__ = ["run", "field_point", "settings", "TITLE"]

#: The report title of this study (for tunnelsim.studies.runner.STEPS).
TITLE = "Magnetodielectric response: eps(T, B) of exact three-level ATS (beyond the paper)"
_KEYS = ("res", "rel", "total", "loss", "van_vleck")


def run(out_dir: Path, quick: bool = False, executor=None) -> list:
    """Make the eps(T, B) figures and tables in ``out_dir``; return the report rows.

    Parameters
    ----------
    out_dir : pathlib.Path
        Output folder (created if needed); sweeps cached in ``out_dir/.cache``.
    quick : bool
        Smaller ensembles (~10 s).
    executor : concurrent.futures.Executor, optional
        Runs the field sweeps.

    Returns
    -------
    list of Claim and Finding
    """
    out = Path(out_dir)
    cache = out / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    s = settings(quick)
    t = np.geomspace(2e-3, 0.5, s["n_t"])
    claim, zero = zero_field_claim(t, s)
    base = {"n": s["n"], "seed": 1, "n_theta": s["n_theta"]}
    # v2: the results are measured from the T -> 0, B = 0 value (issue 18); older caches held another reference
    curves = run_sweep(field_point, [dict(base, field=b, temperatures=t.tolist()) for b in FIELDS],
                       cache / f"magnetodielectric_T_v2_{s['tag']}.jsonl", executor=executor, desc="eps(T, B)")
    fixed = [0.01, 0.05]
    sweep = run_sweep(field_point, [dict(base, field=b, temperatures=fixed) for b in [0.0, *s["b_sweep"]]],
                      cache / f"magnetodielectric_B_v2_{s['tag']}.jsonl", executor=executor, desc="eps(B)")
    figures.eps_t(out / "magnetodielectric_T.png", t, {r["params"]["field"]: r["result"] for r in curves}, zero)
    b = np.array([r["params"]["field"] for r in sweep])
    total = np.array([r["result"]["total"] for r in sweep])  # (fields, 2)
    vv = np.array([r["result"]["van_vleck"][0] for r in sweep])
    change = total[1:] - total[0]
    figures.eps_b(out / "magnetodielectric_B.png", b[1:], change, vv[1:], fixed)
    write_table(out / "magnetodielectric_T.csv", ["B_T", "T_K", *_KEYS],
                [(r["params"]["field"], ti, *(r["result"][k][i] for k in _KEYS))
                 for r in curves for i, ti in enumerate(t)], float_format=".8g")
    write_table(out / "magnetodielectric_B.csv", ["B_T", *[f"mc_T{ti:g}K" for ti in fixed], "van_vleck"],
                [(bi, *c, v) for bi, c, v in zip(b[1:], change, vv[1:])], float_format=".8g")
    return [claim, *field_findings(t, curves, b[1:], change, vv[1:], fixed), throughput(base, t)]
