"""Demo for ``make demo``: percolation clusters, fractal exponents and the exponent alpha.

``run(out_dir, quick=False, executor=None)`` writes figures (PNG) and CSV tables into ``out_dir`` and
returns the report rows (:class:`tunnelsim.report.Claim`). Sweeps are cached in ``out_dir/.cache``.
"""

from __future__ import annotations

import pathlib
from concurrent.futures import Executor

import matplotlib.pyplot as plt
import numpy as np

from lattices.alpha import (
    alpha_direct,
    alpha_exponent,
    fit_composition_law,
    heuristic_alpha,
    simulate_interface,
)
from lattices.exponents import Estimate, correlation_length_exponent, fractal_dimension, percolation_threshold
from lattices.labeling import label_sites
from lattices.observables import external_perimeter_sites, hull_sites, interface_definitions, largest_cluster
from lattices.reference import PC_SITE
from tunnelsim.files import write_table
from tunnelsim.studies.figures import save_figure
from tunnelsim.studies.report import Claim

__all__ = ["run"]

SEED = 2026
DPI = 120


def _verdict(est: Estimate, target: float | None = None) -> str:
    """'agrees' within 2 combined sigma; 'agrees in part' if only the relative target is met."""
    if est.agrees(2.0):
        return "agrees"
    if target is not None and est.deviation() <= target:
        return "agrees in part"
    return "disagrees"


def _fmt(est: Estimate, digits: int = 4) -> str:
    dev = est.deviation()
    return (f"{est.value:.{digits}f} +- {est.stderr:.{digits}f} (stat {est.stat:.1g}, sys {est.sys:.1g}); "
            f"literature {est.reference.value:.{digits}f}; deviation {100 * dev:.2f}%")


def _cluster_figure(out: pathlib.Path, size: int) -> str:
    rng = np.random.default_rng(SEED)
    occ = rng.random((size, size)) < PC_SITE["square"].value
    labels, _ = label_sites(occ, "square")
    big = largest_cluster(labels)
    hull = hull_sites(big)
    ext = external_perimeter_sites(big)
    img = np.ones((size, size, 3))
    img[occ] = (0.85, 0.85, 0.85)
    img[big] = (0.35, 0.45, 0.75)
    img[hull] = (0.95, 0.45, 0.1)
    img[ext] = (0.75, 0.0, 0.0)
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.imshow(img, interpolation="nearest", origin="lower")
    ax.set_title(f"square site percolation at p_c, L = {size}\nlargest cluster (blue, {big.sum()} sites)\n"
                 f"hull (orange + red, {hull.sum()} sites), accessible perimeter (red, {ext.sum()})", fontsize=9)
    ax.set_xlabel("x (lattice units)")
    ax.set_ylabel("y (lattice units)")
    name = "lattices_cluster_hull.png"
    fig.tight_layout()
    save_figure(fig, out / name)
    return name


def run(out_dir: pathlib.Path, quick: bool = False, executor: Executor | None = None) -> list[Claim]:
    """Run the percolation demo; return the report rows.

    Parameters
    ----------
    out_dir : pathlib.Path
        Folder for figures and CSV tables (created if needed).
    quick : bool
        Small sizes (~10-15 s) for tests; full mode uses the estimators' defaults (~3 min on 2 cores).
    executor : concurrent.futures.Executor, optional
        Spreads the samples of every estimate.
    """
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    cache = out / ".cache"
    cache.mkdir(exist_ok=True)
    kw = dict(seed=SEED, executor=executor, progress=not quick, cache=cache)
    claims: list[Claim] = []
    _cluster_figure(out, 128 if quick else 256)

    # --- thresholds (Newman-Ziff wrapping probabilities)
    if quick:
        pc_sq = percolation_threshold("square", size=32, samples=150, n_boot=20, **kw)
        pc_sc = percolation_threshold("simple_cubic", size=16, samples=60, n_boot=20, **kw)
    else:
        pc_sq = percolation_threshold("square", **kw)
        pc_sc = percolation_threshold("simple_cubic", **kw)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    pc_sq.plot(axes[0])
    axes[0].set_title("square lattice, site, periodic L x L")
    pc_sc.plot(axes[1])
    axes[1].set_title("simple cubic, site, periodic L^3")
    fig.tight_layout()
    fig_wrap = "lattices_wrapping_probability.png"
    save_figure(fig, out / fig_wrap)
    rows = []
    for est in (pc_sq, pc_sc):
        for L, (p, r) in est.data["curves"].items():
            rows += [[est.name, L, f"{pp:.6f}", f"{rr:.6f}"] for pp, rr in zip(p, r)]
    write_table(out / "lattices_wrapping_probability.csv", ["estimate", "L", "p", "R_either"], rows)
    for est, target, lab in ((pc_sq, 0.003, "square"), (pc_sc, 0.005, "simple cubic")):
        claims.append(Claim(f"site p_c of the {lab} lattice = {est.reference.value} ({est.reference.source})",
                            f"Newman-Ziff wrapping ({est.fit['method']}, L <= {max(est.data['sizes'])}): "
                            + _fmt(est, 5), _verdict(est, target), "lattices.exponents.percolation_threshold",
                            fig_wrap))

    # --- fractal dimensions and nu
    if quick:
        s2, s3 = [16, 32, 64, 128], [6, 8, 12, 16, 24]
        d2 = fractal_dimension("square", "mass", sizes=s2, samples=150, **kw)
        dh = fractal_dimension("square", "hull", sizes=s2, samples=150, **kw)
        dep = fractal_dimension("square", "external_perimeter", sizes=s2, samples=150, **kw)
        d3 = fractal_dimension("simple_cubic", "mass", sizes=s3, samples=100, **kw)
        nu2 = correlation_length_exponent("square", sizes=[16, 32, 64], samples=300, n_boot=40, **kw)
    else:
        d2 = fractal_dimension("square", "mass", **kw)
        dh = fractal_dimension("square", "hull", **kw)
        dep = fractal_dimension("square", "external_perimeter", **kw)
        d3 = fractal_dimension("simple_cubic", "mass", **kw)
        nu2 = correlation_length_exponent("square", **kw)
    fig, axes = plt.subplots(2, 2, figsize=(10, 8))
    d2.plot(axes[0, 0])
    axes[0, 0].set_title("2D mass of the largest cluster at p_c (periodic)")
    for est in (dh, dep):
        est.plot(axes[0, 1])
    axes[0, 1].set_title("2D hull and accessible perimeter (open boxes)")
    axes[0, 1].set_ylabel("hull / accessible perimeter of the largest cluster (sites)")
    d3.plot(axes[1, 0])
    axes[1, 0].set_title("3D (simple cubic) mass at p_c (periodic)")
    nu2.plot(axes[1, 1])
    axes[1, 1].set_title("2D wrapping slope dR/dp at p_c ~ L^(1/nu)")
    fig.tight_layout()
    fig_fits = "lattices_fractal_fits.png"
    save_figure(fig, out / fig_fits)
    table = [[e.name, dim, f"{e.value:.5f}", f"{e.stderr:.5f}", f"{e.stat:.5f}", f"{e.sys:.5f}",
              f"{e.reference.value:.5f}", f"{100 * e.deviation():.3f}"]
             for e, dim in ((pc_sq, 2), (pc_sc, 3), (d2, 2), (dh, 2), (dep, 2), (d3, 3), (nu2, 2))]
    write_table(out / "lattices_exponents.csv",
               ["quantity", "dim", "value", "stderr", "stat", "sys", "literature", "deviation_percent"], table)
    for est, target, text in ((d2, 0.02, "2D cluster fractal dimension D = 91/48"),
                              (dh, 0.03, "2D hull dimension D_H = 7/4"),
                              (dep, None, "2D accessible external perimeter dimension = 4/3"),
                              (d3, 0.04, "3D cluster fractal dimension D = 2.52295(15) (Wang et al. 2013)"),
                              (nu2, 0.08, "2D correlation-length exponent nu = 4/3")):
        extra = ""
        if "mass_radius_D" in est.data:
            extra = f"; mass-radius cross-check {est.data['mass_radius_D']:.3f}"
        claims.append(Claim(f"{text} (docs/theory.md sec. 4 and THEORY.md sec. 4, quoted by the paper)",
                            f"finite-size scaling, L = {int(est.data['x'][0])}..{int(est.data['x'][-1])}: "
                            + _fmt(est) + extra, _verdict(est, target),
                            "lattices.exponents." + ("correlation_length_exponent" if est is nu2
                                                     else "fractal_dimension"), fig_fits))

    # --- alpha: heuristic with measured exponents
    a_meas = alpha_exponent(d2.value, dh.value, nu2.value)
    # error propagation (independent estimates)
    a_err = float(np.sqrt((nu2.value * d2.stderr) ** 2 + (nu2.value * dh.stderr) ** 2
                          + ((d2.value - dh.value) * nu2.stderr) ** 2))
    a_heur = heuristic_alpha(2, "hull")
    claims.append(Claim("2D: alpha = nu (D - D_hull) = (4/3)(91/48 - 7/4) = 7/36 = 0.1944 (paper, sec. 4)",
                        f"with the measured exponents: alpha = {a_meas:.3f} +- {a_err:.3f}",
                        "agrees" if abs(a_meas - a_heur) <= 2 * a_err else "disagrees",
                        "lattices.alpha.alpha_exponent", fig_fits))

    # --- alpha: direct simulation of interface sites
    if quick:
        t2 = simulate_interface("square", size=64, samples=3, **kw)
        t3 = simulate_interface("simple_cubic", size=16, samples=2, **kw)
    else:
        t2 = simulate_interface("square", **kw)
        t3 = simulate_interface("simple_cubic", **kw)
    for tab, name in ((t2, "2d"), (t3, "3d")):
        header, rows = ["x", "nm_all", "nm_largest"], []
        keys = ["nm_all", "nm_largest"] + [f"{d}_{c}" for d in interface_definitions() for c in ("all", "largest")]
        header = ["x"] + [f"{k}_mean" for k in keys]
        rows = [[f"{x:.4f}"] + [f"{np.mean(tab.raw[k][i]):.2f}" for k in keys] for i, x in enumerate(tab.x)]
        write_table(out / f"lattices_interface_{name}.csv", header, rows)

    fits = {}
    for tab, dim in ((t2, 2), (t3, 3)):
        for d in ("hull", "external_perimeter"):
            for c in ("all", "largest"):
                for norm in ("nm", "perimeter"):
                    fits[(dim, d, c, norm)] = alpha_direct(tab.lattice, d, c, table=tab, normalise=norm)
    control = {dim: alpha_direct(tab.lattice, "perimeter", "largest", table=tab, normalise="nm")
               for tab, dim in ((t2, 2), (t3, 3))}
    comp = {}
    for tab, dim in ((t2, 2), (t3, 3)):
        dens, err = tab.per_site("hull", "all")
        comp[dim] = fit_composition_law(tab.x, dens, np.maximum(err, 1e-6))

    fig, axes = plt.subplots(1, 3, figsize=(18, 5.5))
    for ax, dim in zip(axes[:2], (2, 3)):
        for (dd, d, c, norm), est in fits.items():
            if dd != dim or c != "largest":
                continue
            x, y, e = est.data["x"], est.data["y"], est.data["yerr"]
            ax.errorbar(x, y, yerr=e, fmt="o" if norm == "nm" else "s", ms=4,
                        label=f"{d} per {'NM' if norm == 'nm' else 'perimeter'} site: alpha = {est.value:.3f}"
                              f" +- {est.stderr:.3f} (heuristic {est.reference.value:.3f})")
            xx = np.geomspace(x.min(), x.max(), 50)
            ax.plot(xx, est.fit["model"](xx), "k-", lw=0.6)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("x_c - x (NM concentration below threshold)")
        ax.set_ylabel("interface sites per NM (or perimeter) site, largest cluster")
        ax.set_title(f"{dim}D {'square' if dim == 2 else 'simple cubic'}: direct simulation, largest cluster")
        ax.legend(fontsize=6.5, loc="center right" if dim == 3 else "lower right")
    ax = axes[2]
    for tab, dim, mk in ((t2, 2, "o"), (t3, 3, "s")):
        dens, err = tab.per_site("hull", "all")
        f = comp[dim]
        ax.errorbar(tab.x, dens, yerr=err, fmt=mk, ms=4, label=f"{dim}D hull sites per site")
        xx = np.linspace(tab.x.min(), tab.x.max(), 100)
        ax.plot(xx, f["model"](xx), "-", label=f"{dim}D fit P0(1-x)+P1 x^alpha: alpha = {f['alpha']:.3f} +- "
                                             f"{f['alpha_err']:.3f}, chi2/dof = {f['chi2_red']:.0f}")
    ax.set_xlabel("NM concentration x")
    ax.set_ylabel("interface (hull) sites per lattice site")
    ax.set_title("paper eq. 20 fitted to the hull-site density")
    ax.legend(fontsize=6.5)
    fig.tight_layout()
    fig_alpha = "lattices_alpha_comparison.png"
    save_figure(fig, out / fig_alpha)

    rows = [[dim, d, c, norm, f"{e.value:.4f}", f"{e.stderr:.4f}", f"{e.reference.value:.4f}"]
            for (dim, d, c, norm), e in fits.items()]
    rows += [[dim, "perimeter", "largest", "nm", f"{e.value:.4f}", f"{e.stderr:.4f}", "0.0000"]
             for dim, e in control.items()]
    rows += [[dim, "hull", "all", "composition_law", f"{f['alpha']:.4f}", f"{f['alpha_err']:.4f}",
              f"{heuristic_alpha(dim, 'hull'):.4f}"] for dim, f in comp.items()]
    write_table(out / "lattices_alpha.csv", ["dim", "definition", "clusters", "normalisation", "alpha_fit",
                                            "stderr", "alpha_heuristic"], rows)

    for dim in (2, 3):
        for norm in ("nm", "perimeter"):
            est = fits[(dim, "hull", "largest", norm)]
            per = "NM site" if norm == "nm" else "perimeter site"
            ok = est.agrees(2.0)
            verdict_text = "agrees" if ok else "disagrees"
            note = ""
            if norm == "nm" and ok and not control[dim].agrees(2.0):
                verdict_text = "agrees in part"
                note = (f"; but the control (all perimeter sites per NM site, heuristic 0) gives "
                        f"{control[dim].value:.3f}: the agreement includes a non-fractal background")
            claims.append(Claim(
                f"{dim}D: hull interface sites per {per} of the NM clusters scale as (x_c - x)^alpha with "
                f"alpha = nu (D - D_s) = {est.reference.value:.4f} (paper sec. 4 heuristic"
                + (", 3D hull = bulk: alpha = 0)" if dim == 3 else ")"),
                f"direct simulation (largest cluster, L = {(t2 if dim == 2 else t3).size}, "
                f"x_c - x = {est.data['x'].min():.3f}..{est.data['x'].max():.3f}): fitted alpha = "
                f"{est.value:.3f} +- {est.stderr:.3f}" + note,
                verdict_text, "lattices.alpha.alpha_direct", fig_alpha))
    for dim, est in control.items():
        claims.append(Claim(
            f"{dim}D control: all perimeter sites per NM site scale like the mass, so the heuristic gives "
            "alpha = nu (D - D) = 0 for them",
            f"direct simulation (largest cluster): fitted alpha = {est.value:.3f} +- {est.stderr:.3f}; a non-zero "
            "value here is the smooth (non-fractal) x dependence of the local neighbourhood, which also enters "
            "the hull-per-NM-site fit above",
            "agrees" if est.agrees(2.0) else "disagrees", "lattices.alpha.alpha_direct", fig_alpha))
    for tab, dim in ((t2, 2), (t3, 3)):
        f = comp[dim]
        h = heuristic_alpha(dim, "hull")
        claims.append(Claim(
            f"{dim}D: the interface-site density follows P(x) = P0 (1 - x) + P1 x^alpha (paper eq. 20) with the "
            f"heuristic alpha = {h:.4f}",
            f"fit to the simulated hull-site density (all clusters, x = {tab.x.min():.2f}..{tab.x.max():.2f}): "
            f"alpha = {f['alpha']:.3f} +- {f['alpha_err']:.3f}, P0 = {f['P0']:.3g}, P1 = {f['P1']:.3g}, "
            f"chi2/dof = {f['chi2_red']:.3g}"
            + (" (the law does not describe the simulated density)" if f["chi2_red"] > 3 else ""),
            "agrees" if abs(f["alpha"] - h) <= 2 * f["alpha_err"] and f["chi2_red"] < 3 else "disagrees",
            "lattices.alpha.fit_composition_law", fig_alpha))
    return claims
