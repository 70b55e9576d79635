"""The percolation study's report rows, each against the paper's own words (sec. 3, eq. 20 and the text after it).

* graded: the percolation values the paper quotes (p_c as x_c, D, D_H, nu in 2D; D in 3D), alpha = nu (D - D_H)
  = 7/36 from the measured exponents, and the density of interface sites per NM site ~ (x_c - x)^alpha near
  the threshold (2D hull: 7/36; 3D hull: 0), a limit claim graded by the trend of its local exponent;
* a control: all perimeter sites per NM site (alpha = 0 by construction of the heuristic), whose non-zero
  exponent in the window shows how pre-asymptotic x_c - x = 0.02-0.15 is;
* an identity: the 3D hull is the whole perimeter;
* findings beyond the paper: the accessible perimeter's dimension (the paper quotes none) and eq. 20 against
  the simulated hull-site density (the paper fits eq. 20 to measured 2LS prefactors, not to lattice counts).
"""

from __future__ import annotations

import numpy as np

from lattices import alpha_exponent, heuristic_alpha
from tunnelsim.stats import Reference
from tunnelsim.studies.claims import Case, Claim, Finding, FindingKind, Measured

from .figures import FIG_ALPHA, FIG_FITS, FIG_HULL, FIG_WRAP
from .rules import ALPHA_TOL, AT_PC, NEAR_XC, NU_TOL, PAPER, PC_TOL, dimension_tol
from .settings import DIMENSIONS, nf_top

__all__ = ["rows"]


def _where(key: str) -> str:
    fn = {"pc": "percolation_threshold", "nu": "correlation_length_exponent"}.get(key[:2], "fractal_dimension")
    return f"lattices.exponents.{fn}"


def _errors(e) -> str:
    return f"stat {e.stat:.2g}, finite-size sys {e.sys:.2g} (both in the error, 2-sigma rule)"


def _claims_exponents(est: dict) -> list[Claim]:
    """p_c and the exponents the paper quotes, against the literature with its error, to the accuracy alpha needs."""
    rows = []
    for key, lab in (("pc_sq", "square"), ("pc_sc", "simple cubic")):
        e = est[key]
        rows.append(Claim(f"site percolation threshold of the {lab} lattice, p_c = {e.reference.value:.7g}",
                          f"{PAPER}: x_c; value {e.reference.source}", AT_PC, {}, Measured(e.value, e.stderr, "p_c"),
                          e.reference, PC_TOL, _where(key), FIG_WRAP,
                          f"Newman-Ziff wrapping ({e.fit['method']}), L = {e.data['sizes'][0]}..{e.data['sizes'][-1]}, "
                          f"{e.data['samples']} sweeps per size; {_errors(e)}."))
    texts = {k: (text, dimension_tol(lat.dim)) for k, (lat, _, text) in DIMENSIONS.items() if k != "dep"}
    texts["nu2"] = ("2D correlation-length exponent nu = 4/3", NU_TOL)
    for key, (text, tol) in texts.items():
        e = est[key]
        extra = f"; mass-radius cross-check {e.data['mass_radius_D']:.3f}" if "mass_radius_D" in e.data else ""
        rows.append(Claim(text, f"{PAPER} (quoted from percolation theory); value {e.reference.source}", AT_PC, {},
                          Measured(e.value, e.stderr, e.name), e.reference, tol, _where(key), FIG_FITS,
                          f"finite-size scaling, L = {int(e.data['x'][0])}..{int(e.data['x'][-1])}; "
                          f"{_errors(e)}{extra}."))
    return rows


def _finding_dep(est: dict) -> Finding:
    e = est["dep"]
    return Finding(FindingKind.BEYOND_PAPER, "2D accessible external perimeter dimension D_EP = 4/3 (one of the "
                   "interfaces the paper leaves open; it quotes no value)",
                   f"D_EP = {e.value:.4g} +- {e.stderr:.2g} ({_errors(e)}) against {e.reference.value:.4g} "
                   f"({e.reference.source}); finite-size scaling, L = {int(e.data['x'][0])}..{int(e.data['x'][-1])}",
                   _where("dep"), FIG_HULL)


def _claim_alpha_measured(est: dict) -> Claim:
    """alpha = nu (D - D_H) from the measured 2D exponents, errors propagated as independent."""
    d2, dh, nu2 = est["d2"], est["dh"], est["nu2"]
    a_meas = alpha_exponent(d2.value, dh.value, nu2.value)
    a_err = float(np.sqrt((nu2.value * d2.stderr) ** 2 + (nu2.value * dh.stderr) ** 2
                          + ((d2.value - dh.value) * nu2.stderr) ** 2))
    return Claim("2D: alpha = nu (D - D_H) = (4/3)(91/48 - 7/4) = 7/36 with the hull as interface", PAPER, AT_PC, {},
                 Measured(a_meas, a_err, "alpha from the measured D, D_H, nu"),
                 Reference(7 / 36, 0.0, "exact exponents"), ALPHA_TOL, "lattices.alpha.alpha_exponent", FIG_FITS,
                 f"D = {d2.value:.4f}, D_H = {dh.value:.4f}, nu = {nu2.value:.4f}; errors (stat and finite-size) "
                 "propagated as independent.")


def _local_cases(trend, sigma) -> tuple[Case, ...]:
    return tuple(Case({"x_c - x": round(float(x), 4)}, float(y), float(s), "local exponent")
                 for x, y, s in zip(trend.x, trend.y, sigma))


def _limit_claim(tab, alpha: dict, dim: int, statement: str, ref: float, extra: tuple[Case, ...] = (),
                 combine: str = "") -> Claim:
    trend, sigma = alpha["trends"][(dim, "hull", "nm")]
    window = alpha["fits"][(dim, "hull", "largest", "nm")]
    dx = window.data["x"]
    cases = _local_cases(trend, sigma) + (Case({"fit over the window": "one power law"}, window.value, window.stderr,
                                        "shown, not graded: the window is pre-asymptotic (see the control)"),) + extra
    return Claim.limit(statement, f"{PAPER}: the 2LS density on the NM clusters' interface ~ xi^(D_s - D) ~ "
                       "|x - x_c|^alpha", NEAR_XC, {"x_c - x": (round(float(dx.min()), 4), round(float(dx.max()), 4))},
                       trend, ALPHA_TOL, "lattices.alpha.simulate_interface / tunnelsim.studies.percolation."
                       "measurements.local_trend", what="local exponent extrapolated to x -> x_c",
                       reference=Reference(ref, 0.0, "heuristic alpha = nu (D - D_H), exact exponents"),
                       figure=FIG_ALPHA, cases=cases,
                       combine=combine or "graded by the extrapolation of the local exponents (independent pairs of "
                       "neighbouring x) to x -> x_c",
                       detail=f"largest NM cluster, {dim}D box L = {tab.size}, {tab.samples} boxes per x; interface "
                       "(hull) sites per NM site, the paper's density.")


def _claims_direct(tabs: dict, alpha: dict) -> list[Claim]:
    t2, _ = alpha["trends"][(2, "hull", "perimeter")]
    part = (Case({"per perimeter site": "extrapolated"}, t2.intercept, t2.intercept_err,
                 "the fractal part alone, background divided out; shown"),)
    return [
        _limit_claim(tabs[2], alpha, 2, "2D: hull sites per NM site scale as (x_c - x)^alpha with alpha = nu (D - "
                     "D_H) = 7/36 as x -> x_c", 7 / 36, part),
        _limit_claim(tabs[3], alpha, 3, "3D: hull sites per NM site scale as (x_c - x)^alpha with alpha = nu (D - "
                     "D_H) = 0 (hull = bulk dimension) as x -> x_c", 0.0),
    ]


def _control(alpha: dict) -> Finding:
    est, (trend, _) = alpha["fits"][(2, "perimeter", "largest", "nm")], alpha["trends"][(2, "perimeter", "nm")]
    local = ", ".join(f"{y:.3f} at {x:.3g}" for x, y in zip(trend.x, trend.y))
    return Finding(FindingKind.CONTROL, "2D control: all perimeter sites per NM site scale like the mass, so the "
                   "heuristic gives alpha = nu (D - D) = 0 for them; a non-zero exponent measures the smooth "
                   "background in the window",
                   f"one power law over x_c - x = {est.data['x'].min():.3g}..{est.data['x'].max():.3g}: "
                   f"{est.value:.3f} +- {est.stderr:.3f} ({abs(est.value) / est.stderr:.1f} sigma from 0: as far as it "
                   "is from 0, the window is pre-asymptotic for every hull row); "
                   f"local exponents {local}; {trend.text()}", "lattices.alpha.alpha_direct", FIG_ALPHA)


def _finding_3d_identity(tab) -> Finding:
    """3D: the hull of a site cluster is its whole perimeter, so hull per perimeter site is 1 by construction."""
    hull, per, ext = (np.asarray(tab.raw[f"{k}_largest"]) for k in ("hull", "perimeter", "external_perimeter"))
    return Finding(FindingKind.IDENTITY, "3D: the hull of the largest NM cluster is its whole perimeter (26-connected "
                   "complement), so hull per perimeter site is 1 and its alpha is 0 by construction, not a test",
                   f"at all {tab.x.size} concentrations x = {tab.x.min():.3f}..{tab.x.max():.3f} ({tab.samples} boxes "
                   f"of {tab.size}^3 each): hull - perimeter = {int(np.abs(hull - per).max())} sites at most; the "
                   f"accessible perimeter differs from the perimeter by at most {int(np.abs(ext - per).max())} sites "
                   f"(a fraction {float(np.max(np.abs(ext - per) / np.maximum(per, 1))):.1e})",
                   "lattices.alpha.simulate_interface", FIG_ALPHA)


def _composition_text(f: dict, top: float, dim: int) -> str:
    where = "inside" if f["x"].max() <= top else "beyond"
    return (f"x = {f['x'].min():.3g}..{f['x'].max():.3g} ({where} x <= 1 - p_c = {top:.4g}, {f['x'].size} "
            f"concentrations): rms misfit {100 * f['misfit_rms']:.0f} % (data noise {100 * f['noise']:.1f} %), largest "
            f"{100 * f['misfit_max']:.0f} %, chi2/dof = {f['chi2_red']:.3g}; P0 = {f['P0']:.3g}, P1 = {f['P1']:.3g}, "
            f"alpha = {f['alpha']:.3f} +- {f['alpha_err'] * np.sqrt(max(f['chi2_red'], 1.0)):.2g} (fit error scaled by "
            f"sqrt(chi2/dof); heuristic {heuristic_alpha(dim, 'hull'):.4g})")


def _findings_composition(tabs: dict, alpha: dict) -> list[Finding]:
    """Eq. 20 against the simulated hull-site density: beyond the paper (it fits eq. 20 to measured prefactors)."""
    rows = []
    for dim, tab in tabs.items():
        top = nf_top(tab.lattice)
        parts = [_composition_text(alpha["comp"][(dim, True)], top, dim)]
        wide = alpha["comp"][(dim, False)]
        if wide["x"].max() > top:
            parts.append(_composition_text(wide, top, dim))
        rows.append(Finding(FindingKind.BEYOND_PAPER, f"{dim}D: eq. 20, P0 (1 - x) + P1 x^alpha, fitted to the "
                            "simulated hull-site density per lattice site (the paper fits eq. 20 to measured 2LS "
                            "prefactors and says its exponents hold 'strictly, only at the threshold': not a claim it "
                            "makes)",
                            "; ".join(parts) + f". {dim}D box L = {tab.size}, {tab.samples} boxes per x; the misfit "
                            "depends on the box size (3D: 9 % at 16^3, 16 % at 48^3), so it is no stable number.",
                            "tunnelsim.fit_tls_prefactor", FIG_ALPHA))
    return rows


def rows(est: dict, tabs: dict, alpha: dict) -> list[Claim | Finding]:
    """Every report row of the study, graded claims first."""
    return (_claims_exponents(est) + [_claim_alpha_measured(est)] + _claims_direct(tabs, alpha)
            + [_control(alpha), _finding_3d_identity(tabs[3]), _finding_dep(est)] + _findings_composition(tabs, alpha))
