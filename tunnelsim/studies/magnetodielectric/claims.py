"""The report rows of the magnetodielectric study: the B = 0 limit (graded), eps'(T, B) and the
magnetocapacitance (beyond the paper), and the throughput."""

from __future__ import annotations

import time

import numpy as np

from tunnelsim.response.dielectric import dielectric_ats_parts
from tunnelsim.response.distributions import sample_ats
from tunnelsim.response.magnetodielectric import dielectric_ats_ensemble
from tunnelsim.studies.claims import Case, Claim, Finding, FindingKind, Tolerance, round_condition
from tunnelsim.studies.grading import trend_fit
from tunnelsim.studies.magnetodielectric.sweeps import ATS, FIELD, FIELDS, field_point
from tunnelsim.studies.shared import NEAR_DEGENERATE, ratio_range

__all__ = ["zero_field_claim", "field_findings", "throughput"]

#: d0_min of the D0 ranges (d0_min, 10 d0_min) of the B = 0 trend: max |E_i|/D0 = 1 K / d0_min = 0.1 ... 0.0125.
_D0_MIN = (10.0, 20.0, 40.0, 80.0)


def _zero_field_batches(t: np.ndarray, n: int, d0_min: float, seed: int) -> tuple[np.ndarray, object]:
    runs, smp = [], None
    for b in range(5):
        smp = sample_ats(n // 5, seed + b, d_min=ATS["d_min"], d_max=ATS["d_max"], d0_min=d0_min, d0_max=10 * d0_min)
        runs.append(dielectric_ats_ensemble(t, FIELD["frequency"], smp, FIELD["k_ats"], seed=seed + 100 + b)["total"])
    return np.array(runs), smp


def zero_field_claim(t: np.ndarray, s: dict) -> tuple[Claim, dict]:
    """The exact ensemble at B = 0 against the effective-2LS ATS term, as a trend towards |E_i|/D0 -> 0."""
    eff = {v: dielectric_ats_parts(t, FIELD["frequency"], 1.0, ATS["d_min"], FIELD["k_ats"], ATS["d_max"],
                                   variant=v)["total"] for v in ("isotropic", "stm")}
    cases, dev, err, lo, hi, shown = [], [], [], [], [], None
    for i, d0 in enumerate(_D0_MIN):
        runs, smp = _zero_field_batches(t, s["n_zero"], d0, 100 + 10 * i)
        mean_dev = (runs - eff["isotropic"]).mean(axis=1)  # signed mean over 2 mK-0.5 K, per batch
        dev.append(float(mean_dev.mean()))
        err.append(float(mean_dev.std(ddof=1) / np.sqrt(len(mean_dev))))
        worst = float(np.max(np.abs(runs.mean(axis=0) - eff["isotropic"])))
        r = ratio_range(smp)
        lo, hi = lo + [r[0]], hi + [r[1]]
        cases.append(Case({"D0_K": (d0, 10 * d0)}, dev[-1], err[-1], f"largest |difference| over T {worst:.3f}"))
        if d0 == 20.0:
            shown = runs.mean(axis=0)
    trend = trend_fit("max|E_i|/D0", [1.0 / d for d in _D0_MIN], dev, power=1.0, sigma=err)
    other = float(np.max(np.abs(shown - eff["stm"])))
    claim = Claim.limit(
        "At B = 0 the near-degenerate ATS contribute to delta eps'/eps_r as effective 2LS (the construction of "
        "eq. 14 from the 3LS of eq. 3 and the distribution of eq. 6)", "paper sec. 3 (eqs. 13-14)", NEAR_DEGENERATE,
        {"E_over_D0": (min(lo), max(hi)),
         "T_over_D0": (round_condition(t[0] / (10 * _D0_MIN[-1])), round_condition(t[-1] / _D0_MIN[0]))}, trend,
        Tolerance(0.03, "a response of order chi_ats, to 3 %"), "tunnelsim.dielectric_ats_ensemble",
        what="mean difference exact 3LS - effective 2LS over 2 mK-0.5 K, extrapolated to |E_i|/D0 -> 0",
        unit="chi_ats", figure="magnetodielectric_T.png", key="near-degenerate ATS = effective 2LS (dielectric)",
        cases=tuple(cases),
        combine=f"four D0 ranges, 5 independent samples of {s['n_zero'] // 5} 3LS each (exact eigenpairs and dipole "
                f"matrix elements, field direction isotropic, K* = 1e10, 1 kHz); the trend is extrapolated",
        reconstruction=f"eq. 14 is not available; compared with the toolkit's isotropic form (RES and REL weights "
                       f"1/2). The alternative also tried, eq. 8 verbatim with g = P*/E (variant 'stm'), differs "
                       f"from the exact ensemble (D0 20-200 K) by up to {other:.2f} chi_ats: the exact 3LS select the "
                       f"isotropic form")
    return claim, {"exact": shown, "effective": eff["isotropic"]}


def throughput(base: dict, t: np.ndarray) -> Finding:
    """Time one field point afresh (the sweeps may come from the cache): systems x orientations per second."""
    t0 = time.perf_counter()
    field_point(**dict(base, field=FIELDS[-1], temperatures=t.tolist()))
    seconds = time.perf_counter() - t0
    count = base["n_theta"] * base["n"]
    return Finding(
        FindingKind.TIMING, "Throughput of the exact eps(T, B) of ATS ensembles (batched LAPACK, 3x3 per system)",
        f"{count / seconds:.3g} system-orientations per second ({base['n_theta']} orientations x {base['n']} systems "
        f"at {len(t)} temperatures, B = {FIELDS[-1]:g} T, with the B = 0 reference, in {seconds:.2f} s, timed afresh)",
        "tunnelsim.dielectric_ats_field")


def field_findings(t: np.ndarray, curves: list[dict], b: np.ndarray, change: np.ndarray, vv: np.ndarray,
                   fixed: list[float]) -> list[Finding]:
    """eps'(T, B) at the fields of the T curves, and the magnetocapacitance (headline at ~53 mK, and versus B)."""
    at = {r["params"]["field"]: r["result"] for r in curves}
    i = int(np.argmin(np.abs(t - 0.053)))
    mc = {f: at[f]["total"][i] - at[0.0]["total"][i] for f in FIELDS[1:]}
    vvs = {f: at[f]["van_vleck"][0] for f in FIELDS[1:]}
    head = "; ".join(f"{f:g} T: {mc[f]:+.3f} = van Vleck {vvs[f]:+.3f} + thermal {mc[f] - vvs[f]:+.3f}"
                     for f in FIELDS[1:])
    half = [float(b[np.argmax(np.abs(c) >= 0.5 * np.abs(c).max())]) for c in change.T]
    return [Finding(FindingKind.BEYOND_PAPER,
                    "The magnetocapacitance [eps'(T, B) - eps'(T, 0)]/eps_r of the ATS, as measured (the B = 0 value "
                    "subtracted once): the field lowers the T -> 0 van Vleck polarizability (it opens the doublets) "
                    "and freezes out the thermal response (the gap ~ (2/sqrt 3) D0 phi exceeds k_B T); the two "
                    "nearly cancel at 1 T",
                    f"at T = {t[i] * 1e3:.0f} mK, 1 kHz, units of chi_ats: {head} (S = 1 nm^2, Q = 2 e, "
                    f"orientation-averaged, E parallel to B). Subtracting the T -> 0 value at each field instead "
                    f"drops the van Vleck change and gives the wrong sign",
                    "tunnelsim.magnetocapacitance", "magnetodielectric_T.png"),
            Finding(FindingKind.BEYOND_PAPER,
                    "The magnetocapacitance versus B at fixed T: a weak-field rise (the field tilts each doublet's "
                    "gap vector away from the dipole coupling, the van Vleck term grows as B^2), then a fall",
                    "; ".join(f"T = {ti * 1e3:g} mK: {c[0]:+.2g} chi_ats at {b[0]:g} T, {c.max():+.3f} at most, "
                              f"{c[-1]:+.3f} at {b[-1]:g} T (van Vleck part {vv[-1]:+.3f}), half of the largest "
                              f"|change| first reached at B = {h:.2g} T"
                              for ti, c, h in zip(fixed, change.T, half)),
                    "tunnelsim.dielectric_ats_field", "magnetodielectric_B.png")]
