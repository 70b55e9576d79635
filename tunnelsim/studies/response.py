"""Demo step: heat capacity and dielectric response of the two-species glass model.

Figures (paper Figs. 7-13 style) and CSV tables in ``out_dir``; report rows that hold the
closed forms against integrals, the sampled ATS DOS against P*/E, the exact three-level ensemble
against the effective-2LS description, the V shapes of the dielectric constant, and fits of
synthetic composition series. Sweeps are cached in ``out_dir/.cache`` (run_sweep files).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tunnelsim.files import write_table
from tunnelsim.response.composition import ats_prefactor, composition_params, debye_prefactor, tls_prefactor
from tunnelsim.response.dielectric import dielectric_minimum, dielectric_total, log_slope
from tunnelsim.response.distributions import ats_levels, sample_ats
from tunnelsim.response.fitting import fit_heat_capacity_global
from tunnelsim.response.heat_capacity import (
    heat_capacity,
    heat_capacity_ats,
    heat_capacity_ats_ensemble,
    heat_capacity_ats_field,
    heat_capacity_from_dos,
)
from tunnelsim.response.presets import COMPOSITIONS, get_preset
from tunnelsim.response.v_shape import ats_parameters_for_ratio, ats_v_scan, closest_ratio, dielectric_v_shape
from tunnelsim.studies.figures import save_figure
from tunnelsim.studies.report import Claim, verdict
from tunnelsim.sweep import run_sweep

__all__ = ["run", "field_point", "minimum_point"]

_DPI = 120


def field_point(field: float, n: int, seed: int, n_theta: int) -> dict:
    """One field value of the C(T, B) sweep (module level so that process executors can run it)."""
    t = np.geomspace(2e-3, 2.0, 40)
    s = sample_ats(n, seed, d_min=0.01, d_max=1.0, d0_min=0.2, d0_max=2.0)
    c = heat_capacity_ats_field(t, [field], s, 1.0, area=1e-18, charge=100.0, n_theta=n_theta)[0]
    return {"T": t.tolist(), "C": c.tolist()}


def minimum_point(frequency: float, with_ats: bool) -> dict:
    """T_min (K) of delta eps'/eps_r at one frequency (Hz): STM, or STM + the -1:1 ATS preset."""
    p = get_preset("multicomponent_dielectric_v")
    kw = {"chi": p["chi"], "delta0_min": p["delta0_min"], "k_relax": p["k_relax"]}
    if with_ats:
        kw.update(chi_ats=p["chi_ats"], d_min=p["d_min"], k_ats=p["k_ats"])
    tmin, vmin = dielectric_minimum(frequency, (1e-4, 10.0), 120, **kw)
    return {"T_min": tmin, "value": vmin}


def run(out_dir: Path, quick: bool = False, executor=None) -> list[Claim]:
    """Make the response figures and tables in ``out_dir``; return the report rows.

    Parameters
    ----------
    out_dir : pathlib.Path
        Output folder (created if needed); sweeps cached in ``out_dir/.cache``.
    quick : bool
        Smaller ensembles and coarser grids (~10 s).
    executor : concurrent.futures.Executor, optional
        Runs the C(T, B) and frequency sweeps.

    Returns
    -------
    list of Claim
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    cache = out / ".cache"
    cache.mkdir(exist_ok=True)
    tag = "quick" if quick else "full"
    claims: list[Claim] = []
    preset = get_preset("k2o_silica_illustrative")

    # ---------------------------------------------------------------- 1. C/T vs T for a series of x
    t = np.geomspace(0.02, 3.0, 60 if quick else 150)
    fig, ax = plt.subplots(figsize=(5.5, 4))
    rows = []
    for x in COMPOSITIONS:
        c = heat_capacity(t, composition_params(x, preset))
        ax.loglog(t, c / t, label=f"x = {x:g}")
        rows += [(x, float(ti), float(ci)) for ti, ci in zip(t, c)]
    ax.set_xlabel("T (K)")
    ax.set_ylabel(r"C/T ($\mu$J g$^{-1}$ K$^{-2}$)")
    ax.set_title("Heat capacity, paper eq. 31 (illustrative preset)", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, out / "response_c_over_t.png")
    write_table(out / "response_c_over_t.csv", ["x", "T_K", "C"], rows, float_format=".8g")

    # ---------------------------------------------------------------- 2. eq. 26 closed form vs integral
    tt = np.geomspace(1e-3, 10.0, 80)
    closed = heat_capacity_ats(tt, 1.0, 0.1)
    integ = heat_capacity_from_dos(tt, lambda e: 1.0 / e, 0.1, np.inf)
    big = closed > 1e-30  # below that both are zero to double precision
    err = float(np.max(np.abs(closed[big] - integ[big]) / integ[big]))
    claims.append(Claim(
        "ATS heat capacity in closed form C = P*[ln2 - a tanh a + ln cosh a], a = D_min/2T (paper eq. 26)",
        f"max relative difference from the quadrature of int g(E)(E/2T)^2 sech^2 with g = P*/E over "
        f"1 mK-10 K (D_min = 0.1 K): {err:.1e}",
        verdict(err < 1e-8), "tunnelsim.specific_heat.heat_capacity_ats"))
    shoulder = float(heat_capacity_ats(100.0, 1.0, 0.1))
    claims.append(Claim(
        "For T >> D_min the ATS heat capacity is the constant P* ln 2 (the shoulder, docs/theory.md sec. 5)",
        f"C_ATS(T = 1000 D_min)/P* = {shoulder:.6f} vs ln 2 = {np.log(2):.6f}",
        verdict(abs(shoulder - np.log(2)) < 1e-5), "tunnelsim.specific_heat.heat_capacity_ats"))

    # ---------------------------------------------------------------- 3. ATS DOS from sampling + diagonalisation
    n = 20000 if quick else 200000
    s = sample_ats(n, 7, d_min=0.01, d_max=1.0, d0_min=10.0, d0_max=100.0)
    lev = ats_levels(s.energies, s.d0)
    gap = lev[:, 1] - lev[:, 0]
    edges = np.geomspace(0.012, 0.8, 16)
    hist, _ = np.histogram(gap, edges)
    width = np.diff(edges)
    centre = np.sqrt(edges[:-1] * edges[1:])
    dos_est = hist / width * np.log(100.0) / n  # in units of P*: N_total = P* ln(d_max/d_min)
    expect = (np.log(edges[1:] / edges[:-1]) / width)  # bin average of 1/E
    rel = np.abs(dos_est / expect - 1.0)
    noise = 3.0 / np.sqrt(np.maximum(hist, 1))
    claims.append(Claim(
        "The ATS distribution (paper eq. 6, docs/theory.md form) gives g(E) = P*/E above D_min (paper eq. 18)",
        f"{n} sampled 3LS (D0 in 10-100 K), exact Viete gaps: histogram / (P*/E) deviates by at most "
        f"{rel.max():.3f} over 0.012-0.8 K (3-sigma Poisson bound {noise.max():.3f})",
        verdict(bool(np.all(rel < noise + 0.01))), "distributions.sample_ats + distributions.ats_levels",
        "response_ats_dos.png"))
    fig, ax = plt.subplots(figsize=(5, 3.8))
    ax.loglog(centre, dos_est, "o", label="sampled 3LS, exact gap")
    ee = np.geomspace(0.01, 1.0, 50)
    ax.loglog(ee, 1.0 / ee, "-", label="P*/E (paper eq. 18)")
    ax.set_xlabel("doublet gap E (K)")
    ax.set_ylabel("g(E) / P* (1/K)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, out / "response_ats_dos.png")

    # ---------------------------------------------------------------- 4. 3LS ensemble vs effective 2LS
    te = np.geomspace(2e-3, 5.0, 30 if quick else 60)
    ne = 10000 if quick else 60000
    s_far = sample_ats(ne, 11, d_min=0.01, d_max=1.0, d0_min=10.0, d0_max=100.0)
    s_near = sample_ats(ne, 12, d_min=0.01, d_max=1.0, d0_min=0.2, d0_max=2.0)
    c_far = heat_capacity_ats_ensemble(te, s_far, 1.0)
    c_near = heat_capacity_ats_ensemble(te, s_near, 1.0)
    c_near2 = heat_capacity_ats_ensemble(te, s_near, 1.0, effective=True)
    c_eff = heat_capacity_from_dos(te, lambda e: 1.0 / e, 0.01, 1.0)
    c_26 = heat_capacity_ats(te, 1.0, 0.01)
    sel = te < 0.3
    dev_far = float(np.max(np.abs(c_far[sel] / c_eff[sel] - 1.0)))
    excess = c_near / c_near2 - 1.0
    t10 = float(te[np.argmax(excess > 0.1)]) if np.any(excess > 0.1) else float("nan")
    i1 = int(np.argmin(np.abs(te - 1.0)))
    claims.append(Claim(
        "Near-degenerate ATS (D0 >> E_i, T) behave as effective 2LS with g = P*/E (paper sec. 3, eq. 26)",
        f"exact 3-level Schottky average of {ne} sampled 3LS with D0 in 10-100 K vs the effective-2LS "
        f"integral (gaps 0.01-1 K): max relative deviation {dev_far:.3f} for T < 0.3 K",
        verdict(dev_far < 0.05), "tunnelsim.specific_heat.heat_capacity_ats_ensemble", "response_ats_ensemble.png"))
    claims.append(Claim(
        "The effective-2LS description neglects the third level about 3 D0 above the doublet (docs/theory.md sec. 1)",
        f"with D0 in 0.2-2 K the full 3-level C exceeds the two-lowest-level result by >10% from "
        f"T = {t10:.3g} K on (factor {c_near[i1] / c_near2[i1]:.2f} at {te[i1]:.2f} K); with D0 in 10-100 K "
        f"the two agree below 0.3 K to {dev_far:.3f}",
        "agrees", "tunnelsim.specific_heat.heat_capacity_ats_ensemble", "response_ats_ensemble.png"))
    fig, ax = plt.subplots(figsize=(5.5, 4))
    ax.semilogx(te, c_26, "k-", label="eq. 26 closed form (d_max = inf)")
    ax.semilogx(te, c_eff, "k--", label="effective 2LS, gaps 0.01-1 K")
    ax.semilogx(te, c_far, "o", ms=4, label="exact 3LS ensemble, D0 10-100 K")
    ax.semilogx(te, c_near, "s", ms=4, label="exact 3LS ensemble, D0 0.2-2 K")
    ax.semilogx(te, c_near2, "^", ms=4, label="same, two lowest levels only")
    ax.set_xlabel("T (K)")
    ax.set_ylabel("C_ATS / P*")
    ax.legend(fontsize=7)
    fig.tight_layout()
    save_figure(fig, out / "response_ats_ensemble.png")
    write_table(out / "response_ats_ensemble.csv", ["T_K", "eq26", "effective", "exact_far", "exact_near",
                                                     "near_two_levels"],
                zip(te, c_26, c_eff, c_far, c_near, c_near2), float_format=".8g")

    # ---------------------------------------------------------------- 5. C(T, B)
    fields = [0.0, 1.0, 3.0, 10.0]
    pts = [{"field": b, "n": 3000 if quick else 20000, "seed": 5, "n_theta": 6 if quick else 16} for b in fields]
    res = run_sweep(field_point, pts, cache / f"response_field_{tag}.jsonl", executor=executor,
                    progress=not quick, desc="C(T,B)")
    fig, ax = plt.subplots(figsize=(5.5, 4))
    rows = []
    for r in res:
        tb = np.array(r["result"]["T"])
        cb = np.array(r["result"]["C"])
        ax.semilogx(tb, cb, label=f"B = {r['params']['field']:g} T")
        rows += [(r["params"]["field"], float(a), float(b)) for a, b in zip(tb, cb)]
    ax.set_xlabel("T (K)")
    ax.set_ylabel("C_ATS / P*")
    ax.set_title("ATS heat capacity in a field (S = 1 nm^2, Q = 100 e, orientation average)", fontsize=8)
    ax.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, out / "response_c_field.png")
    write_table(out / "response_c_field.csv", ["B_T", "T_K", "C_over_Pstar"], rows, float_format=".8g")
    c0 = np.array(res[0]["result"]["C"])
    c10 = np.array(res[-1]["result"]["C"])
    tb = np.array(res[0]["result"]["T"])
    j = int(np.argmax(np.abs(c10 - c0)))
    claims.append(Claim(
        "A magnetic field changes the ATS spectrum through the Aharonov-Bohm phase and hence C(T, B) "
        "(beyond the paper, after its ref. [21])",
        f"exact 3LS ensemble, orientation-averaged: largest change at T = {tb[j]:.3g} K, "
        f"C(10 T)/C(0) = {c10[j] / c0[j]:.3f}",
        "agrees" if abs(c10[j] / c0[j] - 1) > 0.01 else "disagrees",
        "tunnelsim.specific_heat.heat_capacity_ats_field", "response_c_field.png"))

    # ---------------------------------------------------------------- 6. dielectric V shapes
    td = np.geomspace(3e-4, 20.0, 70 if quick else 160)
    stm = dielectric_total(td, 1e3, chi=1.0, delta0_min=1e-7, k_relax=1e8)
    lo_s = log_slope(td, stm, 1e-3, 3e-3)
    hi_s = log_slope(td, stm, 0.3, 1.0)
    claims.append(Claim(
        "STM: slope -2 chi per unit ln T below the minimum and +chi above (the -2:1 V of silica, "
        "paper eqs. 10-11; docs/theory.md quotes -2.00 and +0.93..+0.98 for chi=1, Delta0min=1e-7 K, "
        "K=1e8, 1 kHz)",
        f"slopes {lo_s:.3f} (1-3 mK) and {hi_s:.3f} (0.3-1 K)",
        verdict(abs(lo_s + 2) < 0.02 and 0.92 < hi_s < 0.99), "dielectric.dielectric_stm",
        "response_dielectric_v.png"))
    # the -1:1 V: scan the ATS parameters, then refine towards slope ratio 1 (tunnelsim.v_shape)
    scan = ats_v_scan(1e3, np.geomspace(0.1, 10.0, 4 if quick else 8), np.geomspace(1e-4, 0.3, 4 if quick else 8),
                      [1e8, 1e12] if quick else [1e6, 1e9, 1e12], path=cache / f"response_v_scan_{tag}.jsonl",
                      executor=executor, progress=not quick)
    silica_band = (0.02, 0.1)  # docs/theory.md sec. 6: the minimum of silica sits near 20-100 mK at 1 kHz
    in_band = closest_ratio(scan, 1.0, silica_band)
    vp = get_preset("multicomponent_dielectric_v")
    vkw = {k: vp[k] for k in ("chi", "delta0_min", "k_relax", "chi_ats", "d_min", "k_ats")}
    v_stm = dielectric_v_shape(1e3, chi=1.0, delta0_min=1e-7, k_relax=1e8)
    v_ats = dielectric_v_shape(1e3, **vkw)
    also = ""
    if not quick:  # the -1:1 V's form a family: refine the scan's closest point to another member
        found, s_found = ats_parameters_for_ratio(1.0, 1e3, closest_ratio(scan, 1.0), chi=1.0, delta0_min=1e-7,
                                                  k_relax=1e8)
        also = (f" A search from the scan's closest point finds another member of the family: ratio "
                f"{s_found.ratio:.2f} at T_min = {s_found.t_min * 1e3:.0f} mK (chi_ats = {found['chi_ats']:.3g}, "
                f"D_min = {found['d_min'] * 1e3:.3g} mK, K* = {found['k_ats']:.2g}, bends {s_found.bend_below:+.2f} / "
                f"{s_found.bend_above:+.2f}).")
    both = dielectric_total(td, 1e3, **vkw)
    far_below = log_slope(td, both, v_ats.t_min / 1000, v_ats.t_min / 100)
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
    claims.append(Claim(
        "Adding the ATS (paper eq. 14) turns the -2:1 V into the roughly -1:1 V of multicomponent glasses "
        "(paper Figs. 7-9)",
        f"toolkit's eq. 14 at 1 kHz (arms fitted a decade wide from 3 T_min; bare STM ratio {v_stm.ratio:.2f}): "
        f"a -1:1 V exists (preset multicomponent_dielectric_v), slopes {v_ats.slope_below:.2f} / "
        f"+{v_ats.slope_above:.2f} (ratio {v_ats.ratio:.2f}, "
        f"arms bent by {v_ats.bend_below:+.2f} / {v_ats.bend_above:+.2f} in slope across their decade, silica's "
        f"STM V {v_stm.bend_below:+.2f} / {v_stm.bend_above:+.2f}, a parabola +0.51), for chi_ats = "
        f"{vkw['chi_ats']:.3g}, D_min = {vkw['d_min'] * 1e3:.3g} mK, K* = {vkw['k_ats']:.2g}; but only because "
        f"the ATS resonant step moves T_min from {v_stm.t_min * 1e3:.0f} to {v_ats.t_min * 1e3:.0f} mK, and "
        f"the STM -2 arm is still there further down (slope {far_below:.2f} over T_min/1000..T_min/100).{also} "
        + band_text,
        v_verdict, "tunnelsim.v_shape.ats_parameters_for_ratio", "response_v_ratio_map.png"))
    fig, ax = plt.subplots(figsize=(5.6, 4.6))
    good = [r for r in scan if "error" not in r and r["slope_below"] < 0 < r["slope_above"]]
    sc = ax.scatter([r["t_min"] for r in good], [r["ratio"] for r in good], s=14,
                    c=[np.log10(r["chi_ats"]) for r in good], cmap="viridis")
    fig.colorbar(sc, ax=ax, label=r"log$_{10}$ chi_ats")
    ax.axvspan(*silica_band, color="0.85", zorder=0, label="T_min of silica (20-100 mK)")
    ax.axhline(2.0, color="C3", ls=":", lw=1, label="-2:1 (STM)")
    ax.axhline(1.0, color="C2", ls="--", lw=1, label="-1:1")
    ax.plot([v_ats.t_min], [v_ats.ratio], "r*", ms=12, label="-1:1 preset")
    ax.set_xscale("log")
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlim(1e-2, max([3.0] + [2 * r["t_min"] for r in good]))
    ax.set_ylim(0, min(8.0, 1.1 * max([r["ratio"] for r in good] + [2.5])))
    ax.set_xlabel("T_min (K) at 1 kHz")
    ax.set_ylabel("|slope below / slope above|")
    ax.set_title("STM + ATS (toolkit's eq. 14): which V shapes are reachable", fontsize=9)
    fig.legend(fontsize=7, loc="lower center", ncol=2, frameon=False)
    fig.subplots_adjust(bottom=0.24)
    save_figure(fig, out / "response_v_ratio_map.png")
    write_table(out / "response_v_scan.csv", ["chi_ats", "d_min_K", "k_ats", "T_min_K", "slope_below", "slope_above",
                                              "ratio", "bend_below", "bend_above"],
                [[r["chi_ats"], r["d_min"], r["k_ats"], r["t_min"], r["slope_below"], r["slope_above"], r["ratio"],
                  r["bend_below"], r["bend_above"]] for r in good], float_format=".6g")
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.8))
    ax1.semilogx(td, stm, label="STM (2LS) only: -2:1")
    ax1.semilogx(td, both, label="STM + ATS (preset multicomponent_dielectric_v)")
    for shape, curve, col in ((v_stm, stm, "C0"), (v_ats, both, "C1")):
        for (lo, hi), slope in ((shape.window_below, shape.slope_below), (shape.window_above, shape.slope_above)):
            tt = np.geomspace(lo, hi, 20)
            anchor = np.interp(np.log(np.sqrt(lo * hi)), np.log(td), curve)
            ax1.semilogx(tt, anchor + slope * np.log(tt / np.sqrt(lo * hi)), color=col, lw=3, alpha=0.35)
    ax1.set_xlabel("T (K)")
    ax1.set_ylabel(r"$\delta\varepsilon'/\varepsilon_r$ (units of chi, T$\to$0 offset removed)")
    ax1.legend(fontsize=8)
    loss = dielectric_total(td, 1e3, chi=1.0, delta0_min=1e-7, k_relax=1e8, part="loss")
    loss_b = dielectric_total(td, 1e3, **vkw, part="loss")
    ax2.loglog(td, loss, label="STM")
    ax2.loglog(td, loss_b, label="STM + ATS")
    ax2.set_xlabel("T (K)")
    ax2.set_ylabel(r"tan $\delta$ (units of chi)")
    ax2.legend(fontsize=8)
    fig.suptitle("Dielectric response at 1 kHz", fontsize=10)
    fig.tight_layout()
    save_figure(fig, out / "response_dielectric_v.png")
    write_table(out / "response_dielectric.csv", ["T_K", "stm", "stm_ats", "loss_stm", "loss_stm_ats"],
                zip(td, stm, both, loss, loss_b), float_format=".8g")
    hi_loss = float(np.median(loss[(td > 0.3) & (td < 1.0)]))
    claims.append(Claim(
        "Relaxational loss of the STM reaches the plateau tan delta = (pi/2) chi once omega tau_min << 1 "
        "(standard STM result from the same integrals)",
        f"median tan delta / chi over 0.3-1 K at 1 kHz: {hi_loss:.3f} vs pi/2 = {np.pi / 2:.3f}",
        verdict(abs(hi_loss - np.pi / 2) < 0.08), "dielectric.dielectric_stm_parts", "response_dielectric_v.png"))

    # ---------------------------------------------------------------- 7. minimum vs frequency
    freqs = [1e2, 1e3, 1e4, 1e5] if quick else list(np.geomspace(1e2, 1e6, 9))
    pts = [{"frequency": float(f), "with_ats": w} for w in (False, True) for f in freqs]
    mres = run_sweep(minimum_point, pts, cache / f"response_minimum_{tag}.jsonl", executor=executor,
                     progress=not quick, desc="T_min(f)")
    tmins = np.array([r["result"]["T_min"] for r in mres if not r["params"]["with_ats"]])
    tmins_ats = np.array([r["result"]["T_min"] for r in mres if r["params"]["with_ats"]])
    expo = float(np.polyfit(np.log(freqs), np.log(tmins), 1)[0])
    expo_ats = float(np.polyfit(np.log(freqs), np.log(tmins_ats), 1)[0])
    claims.append(Claim(
        "The minimum sits where omega tau_min(T) ~ 1, 1/tau_min ~ K T^3, so T_min ~ f^(1/3) (paper sec. 4)",
        f"STM: T_min = {tmins[0] * 1e3:.1f}...{tmins[-1] * 1e3:.1f} mK for f = {freqs[0]:.0e}...{freqs[-1]:.0e} Hz; "
        f"fitted exponent {expo:.3f}. With the -1:1 ATS preset (not part of the verdict) T_min = "
        f"{tmins_ats[0] * 1e3:.0f}...{tmins_ats[-1] * 1e3:.0f} mK, exponent {expo_ats:.3f}: a minimum set by the "
        f"ATS step moves differently with f, a measurable test of that mechanism",
        verdict(abs(expo - 1 / 3) < 0.03), "dielectric.dielectric_minimum", "response_tmin_frequency.png"))
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    ax.loglog(freqs, tmins * 1e3, "o-", label=f"STM: exponent {expo:.2f}")
    ax.loglog(freqs, tmins_ats * 1e3, "s-", label=f"STM + ATS (-1:1 preset): {expo_ats:.2f}")
    ax.set_xlabel("frequency f (Hz)")
    ax.set_ylabel("T_min (mK)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    save_figure(fig, out / "response_tmin_frequency.png")

    # ---------------------------------------------------------------- 8. prefactors vs x, global fit
    rng = np.random.default_rng(31)
    xs = [x for x in COMPOSITIONS if x > 0]
    tf = np.geomspace(0.03, 2.0, 30 if quick else 60)
    datasets = []
    for x in xs:
        p = composition_params(x, preset)
        p.pop("n_fe", None)
        p.pop("delta_fe", None)
        c = heat_capacity(tf, p)
        noisy = c * (1 + 0.01 * rng.standard_normal(c.size))
        datasets.append((x, tf, noisy, 0.01 * c))
    g = fit_heat_capacity_global(datasets, components=("debye", "2ls", "ats"), shared=("d_min",))
    per = g.extra["per_dataset"]
    fit_ps = np.array([d["params"]["p_star"] for d in per])
    fit_c2 = np.array([d["params"]["c_2ls"] for d in per])
    fit_cd = np.array([d["params"]["c_debye"] for d in per])
    slope = float(np.sum(fit_ps * np.array(xs)) / np.sum(np.array(xs) ** 2))
    claims.append(Claim(
        "The ATS prefactor is linear in x (paper eq. 31); a global fit with shared D_min recovers it",
        f"synthetic series x = {xs} (1% noise): fitted P*/x = {slope:.2f} (true {preset['p_star_slope']}), "
        f"shared D_min = {g.params['d_min']:.4f} +- {g.stderr['d_min']:.4f} K (true {preset['d_min']}), "
        f"reduced chi^2 = {g.redchi:.2f}",
        verdict(abs(slope / preset["p_star_slope"] - 1) < 0.05 and abs(g.params["d_min"] / preset["d_min"] - 1) < 0.1),
        "fitting.fit_heat_capacity_global", "response_prefactors_x.png"))
    xx = np.linspace(0, 0.35, 100)
    fig, ax = plt.subplots(figsize=(5.5, 4))
    ax.plot(xx, tls_prefactor(xx, preset["p0"], preset["p1"], preset["alpha"]), "C0-",
            label="c_2LS(x) = P0(1-x) + P1 x^alpha (eq. 20)")
    ax.plot(xx, ats_prefactor(xx, preset["p_star_slope"]) / 10, "C1-", label="P*(x)/10 (linear)")
    ax.plot(xx, debye_prefactor(xx, preset["c_debye0"], preset["c_debye1"]), "C2-", label="c_D(x) (assumed linear)")
    ax.plot(xs, fit_c2, "C0o", label="global fit")
    ax.plot(xs, fit_ps / 10, "C1s")
    ax.plot(xs, fit_cd, "C2^")
    ax.set_xlabel("network-modifier fraction x")
    ax.set_ylabel(r"prefactor ($\mu$J g$^{-1}$ K$^{-n}$)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    save_figure(fig, out / "response_prefactors_x.png")
    write_table(out / "response_prefactors_fit.csv", ["x", "c_debye", "c_2ls", "p_star"],
                zip(xs, fit_cd, fit_c2, fit_ps), float_format=".8g")
    return claims
