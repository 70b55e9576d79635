"""Study: heat capacity and dielectric response of the two-species glass model (docs/response.md).

Figures (paper Figs. 7-13 style, :mod:`tunnelsim.studies.response_figures`) and CSV tables in
``out_dir``; report rows that hold the closed forms against integrals, the sampled ATS DOS against
P*/E, the exact three-level ensemble against the effective-2LS description, the V shapes of the
dielectric constant, and fits of synthetic composition series. Sweeps are cached in
``out_dir/.cache`` (run_sweep files).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tunnelsim.files import write_table
from tunnelsim.response.dielectric import dielectric_minimum, dielectric_total, log_slope
from tunnelsim.response.distributions import ats_dos, sample_ats
from tunnelsim.response.fitting import fit_heat_capacity_global
from tunnelsim.response.heat_capacity import (
    heat_capacity,
    heat_capacity_ats,
    heat_capacity_ats_ensemble,
    heat_capacity_ats_field,
    heat_capacity_from_dos,
)
from tunnelsim.response.presets import COMPOSITIONS, PRESETS, Preset, get_preset
from tunnelsim.response.v_shape import (
    T_GRID,
    VShape,
    ats_parameters_for_ratio,
    ats_v_scan,
    closest_ratio,
    dielectric_v_shape,
)
from tunnelsim.single.three_level import three_level_energies
from tunnelsim.stats import as_generator, line_fit
from tunnelsim.studies import response_figures as figures
from tunnelsim.studies.report import Claim, verdict
from tunnelsim.sweep import run_sweep

__all__ = ["run", "field_point", "minimum_point"]

#: docs/theory.md sec. 6: the minimum of silica sits near 20-100 mK at 1 kHz
_SILICA_BAND = (0.02, 0.1)


def field_point(field: float, n: int, seed: int, n_theta: int) -> dict:
    """One field value of the C(T, B) sweep (module level so that process executors can run it)."""
    t = np.geomspace(2e-3, 2.0, 40)
    s = sample_ats(n, seed, d_min=0.01, d_max=1.0, d0_min=0.2, d0_max=2.0)
    c = heat_capacity_ats_field(t, [field], s, 1.0, area=1e-18, charge=100.0, n_theta=n_theta)[0]
    return {"T": t.tolist(), "C": c.tolist()}


def minimum_point(frequency: float, with_ats: bool) -> dict:
    """T_min (K) of delta eps'/eps_r at one frequency (Hz): STM, or STM + the -1:1 ATS preset."""
    p = get_preset("multicomponent_dielectric_v")
    if not with_ats:
        p = p.replace(chi_ats=None, d_min=None, k_ats=None)
    tmin, vmin = dielectric_minimum(np.geomspace(1e-4, 10.0, 120), frequency, p)
    return {"T_min": tmin, "value": vmin}


def _settings(quick: bool) -> dict:
    if quick:
        return dict(tag="quick", n_c=60, n_dos=20000, n_te=30, n_ensemble=10000, n_field=3000, n_theta=6, n_td=70,
                    scan_n=4, scan_k=[1e8, 1e12], refine=False, freqs=[1e2, 1e3, 1e4, 1e5], n_tf=30)
    return dict(tag="full", n_c=150, n_dos=200000, n_te=60, n_ensemble=60000, n_field=20000, n_theta=16, n_td=160,
                scan_n=8, scan_k=[1e6, 1e9, 1e12], refine=True, freqs=list(np.geomspace(1e2, 1e6, 9)), n_tf=60)


def _c_over_t(out: Path, s: dict, series: Preset) -> None:
    """C/T for the composition series (paper eq. 31): figure and table, no report row."""
    t = np.geomspace(0.02, 3.0, s["n_c"])
    curves = {x: heat_capacity(t, series.at(x)) for x in COMPOSITIONS}
    figures.c_over_t(out / "response_c_over_t.png", t, curves)
    rows = [(x, float(ti), float(ci)) for x, c in curves.items() for ti, ci in zip(t, c)]
    write_table(out / "response_c_over_t.csv", ["x", "T_K", "C"], rows, float_format=".8g")


def _eq26_claims() -> list[Claim]:
    tt = np.geomspace(1e-3, 10.0, 80)
    closed = heat_capacity_ats(tt, 1.0, 0.1)
    integ = heat_capacity_from_dos(tt, lambda e: ats_dos(e, 1.0, d_min=0.1), 0.1, np.inf)
    big = closed > 1e-30  # below that both are zero to double precision
    err = float(np.max(np.abs(closed[big] - integ[big]) / integ[big]))
    shoulder = float(heat_capacity_ats(100.0, 1.0, 0.1))
    return [Claim(
        "ATS heat capacity in closed form C = P*[ln2 - a tanh a + ln cosh a], a = D_min/2T (paper eq. 26)",
        f"max relative difference from the quadrature of int g(E)(E/2T)^2 sech^2 with g = P*/E over "
        f"1 mK-10 K (D_min = 0.1 K): {err:.1e}",
        verdict(err < 1e-8), "tunnelsim.heat_capacity_ats"), Claim(
        "For T >> D_min the ATS heat capacity is the constant P* ln 2 (the shoulder, docs/theory.md sec. 5)",
        f"C_ATS(T = 1000 D_min)/P* = {shoulder:.6f} vs ln 2 = {np.log(2):.6f}",
        verdict(abs(shoulder - np.log(2)) < 1e-5), "tunnelsim.heat_capacity_ats")]


def _ats_dos_claim(out: Path, s: dict) -> Claim:
    n = s["n_dos"]
    smp = sample_ats(n, 7, d_min=0.01, d_max=1.0, d0_min=10.0, d0_max=100.0)
    lev = three_level_energies(smp.energies, smp.d0)
    edges = np.geomspace(0.012, 0.8, 16)
    hist, _ = np.histogram(lev[:, 1] - lev[:, 0], edges)
    width = np.diff(edges)
    dos_est = hist / width * np.log(100.0) / n  # in units of P*: N_total = P* ln(d_max/d_min)
    expect = (np.log(edges[1:] / edges[:-1]) / width)  # bin average of 1/E
    rel = np.abs(dos_est / expect - 1.0)
    noise = 3.0 / np.sqrt(np.maximum(hist, 1))
    figures.ats_dos(out / "response_ats_dos.png", np.sqrt(edges[:-1] * edges[1:]), dos_est)
    return Claim(
        "The ATS distribution (paper eq. 6, docs/theory.md form) gives g(E) = P*/E above D_min (paper eq. 18)",
        f"{n} sampled 3LS (D0 in 10-100 K), exact Viete gaps: histogram / (P*/E) deviates by at most "
        f"{rel.max():.3f} over 0.012-0.8 K (3-sigma Poisson bound {noise.max():.3f})",
        verdict(bool(np.all(rel < noise + 0.01))), "tunnelsim.sample_ats + tunnelsim.three_level_energies",
        "response_ats_dos.png")


def _ensemble_claims(out: Path, s: dict) -> list[Claim]:
    te = np.geomspace(2e-3, 5.0, s["n_te"])
    ne = s["n_ensemble"]
    s_far = sample_ats(ne, 11, d_min=0.01, d_max=1.0, d0_min=10.0, d0_max=100.0)
    s_near = sample_ats(ne, 12, d_min=0.01, d_max=1.0, d0_min=0.2, d0_max=2.0)
    c = {"eq26": heat_capacity_ats(te, 1.0, 0.01),
         "effective": heat_capacity_from_dos(te, lambda e: ats_dos(e, 1.0, d_min=0.01, d_max=1.0), 0.01, 1.0),
         "exact_far": heat_capacity_ats_ensemble(te, s_far, 1.0),
         "exact_near": heat_capacity_ats_ensemble(te, s_near, 1.0),
         "near_two_levels": heat_capacity_ats_ensemble(te, s_near, 1.0, effective=True)}
    figures.ats_ensemble(out / "response_ats_ensemble.png", te, c)
    write_table(out / "response_ats_ensemble.csv", ["T_K", *c], zip(te, *c.values()), float_format=".8g")
    sel = te < 0.3
    dev_far = float(np.max(np.abs(c["exact_far"][sel] / c["effective"][sel] - 1.0)))
    excess = c["exact_near"] / c["near_two_levels"] - 1.0
    t10 = float(te[np.argmax(excess > 0.1)]) if np.any(excess > 0.1) else float("nan")
    i1 = int(np.argmin(np.abs(te - 1.0)))
    where, fig = "tunnelsim.heat_capacity_ats_ensemble", "response_ats_ensemble.png"
    return [Claim(
        "Near-degenerate ATS (D0 >> E_i, T) behave as effective 2LS with g = P*/E (paper sec. 3, eq. 26)",
        f"exact 3-level Schottky average of {ne} sampled 3LS with D0 in 10-100 K vs the effective-2LS "
        f"integral (gaps 0.01-1 K): max relative deviation {dev_far:.3f} for T < 0.3 K",
        verdict(dev_far < 0.05), where, fig), Claim(
        "The effective-2LS description neglects the third level about 3 D0 above the doublet (docs/theory.md sec. 1)",
        f"with D0 in 0.2-2 K the full 3-level C exceeds the two-lowest-level result by >10% from "
        f"T = {t10:.3g} K on (factor {c['exact_near'][i1] / c['near_two_levels'][i1]:.2f} at {te[i1]:.2f} K); "
        f"with D0 in 10-100 K the two agree below 0.3 K to {dev_far:.3f}",
        "agrees", where, fig)]


def _field_claim(out: Path, cache: Path, s: dict, executor) -> Claim:
    pts = [{"field": b, "n": s["n_field"], "seed": 5, "n_theta": s["n_theta"]} for b in (0.0, 1.0, 3.0, 10.0)]
    res = run_sweep(field_point, pts, cache / f"response_field_{s['tag']}.jsonl", executor=executor,
                    progress=s["tag"] == "full", desc="C(T,B)")
    figures.c_field(out / "response_c_field.png", res)
    rows = [(r["params"]["field"], float(a), float(b)) for r in res for a, b in zip(r["result"]["T"], r["result"]["C"])]
    write_table(out / "response_c_field.csv", ["B_T", "T_K", "C_over_Pstar"], rows, float_format=".8g")
    c0, c10, tb = (np.array(res[0]["result"]["C"]), np.array(res[-1]["result"]["C"]), np.array(res[0]["result"]["T"]))
    j = int(np.argmax(np.abs(c10 - c0)))
    return Claim(
        "A magnetic field changes the ATS spectrum through the Aharonov-Bohm phase and hence C(T, B) "
        "(beyond the paper, after its ref. [21])",
        f"exact 3LS ensemble, orientation-averaged: largest change at T = {tb[j]:.3g} K, "
        f"C(10 T)/C(0) = {c10[j] / c0[j]:.3f}",
        "agrees" if abs(c10[j] / c0[j] - 1) > 0.01 else "disagrees",
        "tunnelsim.heat_capacity_ats_field", "response_c_field.png")


def _stm_slopes_claim(td: np.ndarray, stm: np.ndarray) -> Claim:
    lo_s = log_slope(td, stm, 1e-3, 3e-3)
    hi_s = log_slope(td, stm, 0.3, 1.0)
    return Claim(
        "STM: slope -2 chi per unit ln T below the minimum and +chi above (the -2:1 V of silica, "
        "paper eqs. 10-11; docs/theory.md quotes -2.00 and +0.93..+0.98 for chi=1, Delta0min=1e-7 K, "
        "K=1e8, 1 kHz)",
        f"slopes {lo_s:.3f} (1-3 mK) and {hi_s:.3f} (0.3-1 K)",
        verdict(abs(lo_s + 2) < 0.02 and 0.92 < hi_s < 0.99), "tunnelsim.dielectric_stm", "response_dielectric_v.png")


def _v_scan(out: Path, cache: Path, s: dict, executor) -> list[dict]:
    """The V of STM + ATS over a grid of ATS parameters (cached, resumable); table of the rows that are V's."""
    scan = ats_v_scan(1e3, np.geomspace(0.1, 10.0, s["scan_n"]), np.geomspace(1e-4, 0.3, s["scan_n"]), s["scan_k"],
                      get_preset("silica_dielectric"), path=cache / f"response_v_scan_{s['tag']}.jsonl",
                      executor=executor, progress=s["tag"] == "full")
    keys = ["chi_ats", "d_min", "k_ats", "t_min", "slope_below", "slope_above", "ratio", "bend_below", "bend_above"]
    write_table(out / "response_v_scan.csv", ["chi_ats", "d_min_K", "k_ats", "T_min_K", *keys[4:]],
                [[r[k] for k in keys] for r in _vs(scan)], float_format=".6g")
    return scan


def _vs(scan: list[dict]) -> list[dict]:
    """The scan rows that are V's (negative slope below the minimum, positive above)."""
    return [r for r in scan if "error" not in r and r["slope_below"] < 0 < r["slope_above"]]


def _refined_text(scan: list[dict]) -> str:
    """The -1:1 V's form a family: refine the scan's closest point to another member (full mode)."""
    found, sf = ats_parameters_for_ratio(1.0, 1e3, closest_ratio(scan, 1.0), get_preset("silica_dielectric"))
    return (f" A search from the scan's closest point finds another member of the family: ratio "
            f"{sf.ratio:.2f} at T_min = {sf.t_min * 1e3:.0f} mK (chi_ats = {found['chi_ats']:.3g}, "
            f"D_min = {found['d_min'] * 1e3:.3g} mK, K* = {found['k_ats']:.2g}, bends {sf.bend_below:+.2f} / "
            f"{sf.bend_above:+.2f}).")


def _v_claim(scan: list[dict], v_stm: VShape, v_ats: VShape, far_below: float, also: str) -> Claim:
    in_band = closest_ratio(scan, 1.0, _SILICA_BAND)
    n_ok = sum("error" not in r for r in scan)
    if in_band is None:
        band_text = f"None of the {n_ok} scan points has T_min at 20-100 mK (silica's range)"
    else:
        band_text = (f"With T_min held at 20-100 mK (silica's range) the closest of {n_ok} scan points has ratio "
                     f"{in_band['ratio']:.2f}: none of the scanned ATS parameters flattens the low arm there")

    def near_one(ratio: float) -> bool:  # "roughly -1:1": within 25 %
        return abs(np.log(ratio)) < np.log(1.25)

    if in_band is not None and near_one(in_band["ratio"]):
        v_verdict = "agrees"
    else:
        v_verdict = "agrees in part" if near_one(v_ats.ratio) else "disagrees"
    vp = get_preset("multicomponent_dielectric_v")
    return Claim(
        "Adding the ATS (paper eq. 14) turns the -2:1 V into the roughly -1:1 V of multicomponent glasses "
        "(paper Figs. 7-9)",
        f"toolkit's eq. 14 at 1 kHz (arms fitted a decade wide from 3 T_min; bare STM ratio {v_stm.ratio:.2f}): "
        f"a -1:1 V exists (preset multicomponent_dielectric_v), slopes {v_ats.slope_below:.2f} / "
        f"+{v_ats.slope_above:.2f} (ratio {v_ats.ratio:.2f}, "
        f"arms bent by {v_ats.bend_below:+.2f} / {v_ats.bend_above:+.2f} in slope across their decade, silica's "
        f"STM V {v_stm.bend_below:+.2f} / {v_stm.bend_above:+.2f}, a parabola +0.51), for chi_ats = "
        f"{vp.chi_ats:.3g}, D_min = {vp.d_min * 1e3:.3g} mK, K* = {vp.k_ats:.2g}; but only because "
        f"the ATS resonant step moves T_min from {v_stm.t_min * 1e3:.0f} to {v_ats.t_min * 1e3:.0f} mK, and "
        f"the STM -2 arm is still there further down (slope {far_below:.2f} over T_min/1000..T_min/100).{also} "
        + band_text,
        v_verdict, "tunnelsim.ats_parameters_for_ratio", "response_v_ratio_map.png")


def _loss_claim(td: np.ndarray, loss: np.ndarray) -> Claim:
    hi_loss = float(np.median(loss[(td > 0.3) & (td < 1.0)]))
    return Claim(
        "Relaxational loss of the STM reaches the plateau tan delta = (pi/2) chi once omega tau_min << 1 "
        "(standard STM result from the same integrals)",
        f"median tan delta / chi over 0.3-1 K at 1 kHz: {hi_loss:.3f} vs pi/2 = {np.pi / 2:.3f}",
        verdict(abs(hi_loss - np.pi / 2) < 0.08), "tunnelsim.dielectric_stm_parts", "response_dielectric_v.png")


def _dielectric_claims(out: Path, cache: Path, s: dict, executor) -> list[Claim]:
    """The V of silica (STM), what the ATS do to it, and the loss plateau, at 1 kHz (docs/theory.md sec. 6)."""
    silica, vp = get_preset("silica_dielectric"), get_preset("multicomponent_dielectric_v")
    td = np.geomspace(3e-4, 20.0, s["n_td"])
    curves = {"stm": dielectric_total(td, 1e3, silica), "both": dielectric_total(td, 1e3, vp),
              "loss": dielectric_total(td, 1e3, silica, part="loss"),
              "loss_both": dielectric_total(td, 1e3, vp, part="loss")}
    scan = _v_scan(out, cache, s, executor)
    v_stm, v_ats = dielectric_v_shape(T_GRID, 1e3, silica), dielectric_v_shape(T_GRID, 1e3, vp)
    far_below = log_slope(td, curves["both"], v_ats.t_min / 1000, v_ats.t_min / 100)
    also = _refined_text(scan) if s["refine"] else ""
    figures.v_ratio_map(out / "response_v_ratio_map.png", _vs(scan), v_ats, _SILICA_BAND)
    figures.dielectric_v(out / "response_dielectric_v.png", td, curves, (v_stm, v_ats))
    write_table(out / "response_dielectric.csv", ["T_K", "stm", "stm_ats", "loss_stm", "loss_stm_ats"],
                zip(td, *curves.values()), float_format=".8g")
    return [_stm_slopes_claim(td, curves["stm"]), _v_claim(scan, v_stm, v_ats, far_below, also),
            _loss_claim(td, curves["loss"])]


def _minimum_claim(out: Path, cache: Path, s: dict, executor) -> Claim:
    freqs = s["freqs"]
    pts = [{"frequency": float(f), "with_ats": w} for w in (False, True) for f in freqs]
    mres = run_sweep(minimum_point, pts, cache / f"response_minimum_{s['tag']}.jsonl", executor=executor,
                     progress=s["tag"] == "full", desc="T_min(f)")
    tmins = np.array([r["result"]["T_min"] for r in mres if not r["params"]["with_ats"]])
    tmins_ats = np.array([r["result"]["T_min"] for r in mres if r["params"]["with_ats"]])
    expo = line_fit(np.log(freqs), np.log(tmins)).slope  # T_min ~ f^expo
    expo_ats = line_fit(np.log(freqs), np.log(tmins_ats)).slope
    figures.tmin_frequency(out / "response_tmin_frequency.png", freqs, tmins, tmins_ats, expo, expo_ats)
    return Claim(
        "The minimum sits where omega tau_min(T) ~ 1, 1/tau_min ~ K T^3, so T_min ~ f^(1/3) (paper sec. 4)",
        f"STM: T_min = {tmins[0] * 1e3:.1f}...{tmins[-1] * 1e3:.1f} mK for f = {freqs[0]:.0e}...{freqs[-1]:.0e} Hz; "
        f"fitted exponent {expo:.3f}. With the -1:1 ATS preset (not part of the verdict) T_min = "
        f"{tmins_ats[0] * 1e3:.0f}...{tmins_ats[-1] * 1e3:.0f} mK, exponent {expo_ats:.3f}: a minimum set by the "
        f"ATS step moves differently with f, a measurable test of that mechanism",
        verdict(abs(expo - 1 / 3) < 0.03), "tunnelsim.dielectric_minimum", "response_tmin_frequency.png")


def _prefactor_claim(out: Path, s: dict, series: Preset) -> Claim:
    rng = as_generator(31)
    xs = [x for x in COMPOSITIONS if x > 0]
    tf = np.geomspace(0.03, 2.0, s["n_tf"])
    datasets = []
    for x in xs:
        c = heat_capacity(tf, series.at(x).replace(n_fe=None, delta_fe=None))
        datasets.append((x, tf, c * (1 + 0.01 * rng.standard_normal(c.size)), 0.01 * c))
    g = fit_heat_capacity_global(datasets, components=("debye", "2ls", "ats"), shared=("d_min",))
    fit = {k: np.array([d["params"][k] for d in g.extra["per_dataset"]]) for k in ("c_debye", "c_2ls", "p_star")}
    figures.prefactors(out / "response_prefactors_x.png", series.composition, xs, fit)
    write_table(out / "response_prefactors_fit.csv", ["x", "c_debye", "c_2ls", "p_star"],
                zip(xs, fit["c_debye"], fit["c_2ls"], fit["p_star"]), float_format=".8g")
    slope = float(np.sum(fit["p_star"] * np.array(xs)) / np.sum(np.array(xs) ** 2))  # P* = slope x through 0
    true_slope, true_d = series.composition.p_star_slope, series.parameters.d_min
    return Claim(
        "The ATS prefactor is linear in x (paper eq. 31); a global fit with shared D_min recovers it",
        f"synthetic series x = {xs} (1% noise): fitted P*/x = {slope:.2f} (true {true_slope}), "
        f"shared D_min = {g.params['d_min']:.4f} +- {g.stderr['d_min']:.4f} K (true {true_d}), "
        f"reduced chi^2 = {g.redchi:.2f}",
        verdict(abs(slope / true_slope - 1) < 0.05 and abs(g.params["d_min"] / true_d - 1) < 0.1),
        "tunnelsim.fit_heat_capacity_global", "response_prefactors_x.png")


def run(out_dir: Path, quick: bool = False, executor=None) -> list[Claim]:
    """Make the response figures and tables in ``out_dir``; return the report rows.

    Parameters
    ----------
    out_dir : pathlib.Path
        Output folder (created if needed); sweeps cached in ``out_dir/.cache``.
    quick : bool
        Smaller ensembles and coarser grids (~10 s).
    executor : concurrent.futures.Executor, optional
        Runs the C(T, B), V-scan and frequency sweeps.

    Returns
    -------
    list of Claim
    """
    out = Path(out_dir)
    cache = out / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    s = _settings(quick)
    series = PRESETS["k2o_silica_illustrative"]
    _c_over_t(out, s, series)
    claims = _eq26_claims()
    claims.append(_ats_dos_claim(out, s))
    claims += _ensemble_claims(out, s)
    claims.append(_field_claim(out, cache, s, executor))
    claims += _dielectric_claims(out, cache, s, executor)
    claims.append(_minimum_claim(out, cache, s, executor))
    claims.append(_prefactor_claim(out, s, series))
    return claims
