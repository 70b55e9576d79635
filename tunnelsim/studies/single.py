"""Study: single tunneling systems, flux spectra (paper Figs. 5 and 14) and their checks.

Writes figures and CSV tables into the output folder and returns report rows that hold each
closed form and each appendix claim of docs/theory.md sec. 1 against exact diagonalisation.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tunnelsim.files import write_table
from tunnelsim.single.effective import four_level_doublet, three_level_doublet
from tunnelsim.single.four_level import four_level, four_level_energies, four_level_energies_degenerate
from tunnelsim.single.plotting import figure_four_level_flux, figure_three_level_flux
from tunnelsim.single.three_level import three_level, three_level_energies
from tunnelsim.stats import as_generator
from tunnelsim.studies.figures import save_figure
from tunnelsim.studies.report import Claim, verdict

__all__ = ["run"]


def _random_traceless(rng, n, scale):
    e = rng.normal(scale=scale, size=n)
    return e - e.mean()


def _closed_forms_vs_exact(rng, samples: int) -> tuple[float, float]:
    err3 = err4 = 0.0
    for _ in range(samples):
        phi = rng.uniform(-4 * np.pi, 4 * np.pi)
        e3 = _random_traceless(rng, 3, rng.choice([1e-6, 0.1, 1.0, 10.0]))
        d0 = rng.uniform(0.05, 2)
        ex = three_level(e3, d0, phi).eigenenergies()
        err3 = max(err3, np.max(np.abs(three_level_energies(e3, d0, phi) - ex)) / max(1.0, np.abs(ex).max()))
        e4 = _random_traceless(rng, 4, rng.choice([0.1, 1.0, 10.0]))
        d1, d2 = rng.uniform(0.05, 2, 2)
        for diag in ("symmetrised", "straight"):
            ex = four_level(e4, d1, d2, phi, diag).eigenenergies()
            cf = four_level_energies(e4, d1, d2, phi, diag)
            err4 = max(err4, np.max(np.abs(cf - ex)) / max(1.0, np.abs(ex).max()))
    return err3, err4


def _effective_gap_table(path: Path) -> list[dict]:
    rows = []
    d0 = 1.0
    for eps in (0.01, 0.03, 0.1, 0.3, 1.0):
        for phi in (0.0, 0.03, 0.1, 0.3, 1.0):
            e = np.array([eps, -0.3 * eps, -0.7 * eps])
            lev = np.linalg.eigvalsh(three_level(e, d0, phi).full())
            exact = lev[1] - lev[0]
            eff = float(three_level_doublet(e, d0, phi).gap)
            rows.append({"system": "3LS", "E_scale/D0": eps, "phi": phi, "exact_gap_K": exact,
                         "effective_gap_K": eff, "relative_error": abs(eff - exact) / exact})
    for eps in (0.01, 0.03, 0.1, 0.3):
        for phi in (0.0, 0.1, 0.3, 1.0):
            e = np.array([eps, -0.2 * eps, 0.5 * eps, -1.3 * eps])
            lev = np.linalg.eigvalsh(four_level(e, 1.0, 2.0, phi).full())
            exact = lev[1] - lev[0]
            eff = float(four_level_doublet(e, 1.0, 2.0, phi).gap)
            rows.append({"system": "4LS d2/d1=2", "E_scale/D0": eps, "phi": phi, "exact_gap_K": exact,
                         "effective_gap_K": eff, "relative_error": abs(eff - exact) / exact})
    write_table(path, list(rows[0]), [list(r.values()) for r in rows])
    return rows


def _effective_gap_figure(rows, path: Path) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    for system, marker in (("3LS", "o"), ("4LS d2/d1=2", "s")):
        for phi in sorted({r["phi"] for r in rows if r["system"] == system}):
            sel = [r for r in rows if r["system"] == system and r["phi"] == phi]
            ax.loglog([r["E_scale/D0"] for r in sel], [max(r["relative_error"], 1e-17) for r in sel],
                      marker=marker, ls="-" if system == "3LS" else "--", label=f"{system}, phi={phi:g}")
    ax.set_xlabel("well-energy scale max|E_i| / hopping")
    ax.set_ylabel("relative error of the effective doublet gap")
    ax.set_title("Where the effective-2LS description fails", fontsize=10)
    ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    save_figure(fig, path)


def _closed_form_claims(rng, samples: int) -> list[Claim]:
    err3, err4 = _closed_forms_vs_exact(rng, samples)
    return [Claim("Viete's closed form gives the exact 3LS levels (paper eq. 7)",
                  f"max deviation from exact diagonalisation {err3:.1e} (relative to max(1 K, |E|))",
                  verdict(err3 < 1e-10), "tunnelsim.three_level_energies", "spectrum_3ls_flux.png"),
            Claim("The analytic quartic gives the exact 4LS levels (appendix eq. A.1)",
                  f"max deviation from exact diagonalisation {err4:.1e}, both diagonal prescriptions",
                  verdict(err4 < 1e-7), "tunnelsim.four_level_energies", "spectrum_4ls_flux.png")]


def _ground_doublet_claim() -> Claim:
    """Appendix: for d2 > d1 the lowest level is a doublet split by 4 d1 sin(phi/4) (docs/theory.md eq. (1.11))."""
    phi = np.linspace(0.0, 2 * np.pi, 361)
    split_err = []
    ground_doublet_upto = {}
    for diag in ("symmetrised", "straight"):
        lev = np.array([np.linalg.eigvalsh(four_level(np.zeros(4), 1.0, 2.0, p, diag).full()) for p in phi])
        lam = four_level_energies_degenerate(1.0, 2.0, phi, diag, sort=False)  # by Fourier index k
        lowest = np.maximum(lam[:, 1], lam[:, 3]) < np.minimum(lam[:, 0], lam[:, 2])
        pred = four_level_doublet(np.zeros(4), 1.0, 2.0, phi, diag).gap  # 4 d1 |sin(phi/4)|
        split_err.append(np.max(np.abs((lev[lowest, 1] - lev[lowest, 0]) - pred[lowest])))
        ground_doublet_upto[diag] = phi[np.argmin(lowest)] if not lowest.all() else phi[-1]
    lev_lo = np.linalg.eigvalsh(four_level(np.zeros(4), 1.0, 0.5, 0.0).full())
    singlet_below = lev_lo[1] - lev_lo[0] > 1e-9
    return Claim(
        "Appendix: for d2 > d1 the 4LS ground state is a doublet split by the field as 4 d1 sin(phi/4), "
        "like the 3LS; for d2 < d1 it is not",
        f"E = 0, d2/d1 = 2: |exact splitting - 4 d1 sin(phi/4)| <= {max(split_err):.1e} K while the doublet is "
        f"lowest; d2/d1 = 0.5: ground singlet ({'yes' if singlet_below else 'no'}). The doublet stays lowest up to "
        f"phi = {ground_doublet_upto['symmetrised']:.2f} (symmetrised, where d2 cos(phi/2) reaches ~d1) and "
        f"{ground_doublet_upto['straight']:.2f} (straight)",
        "agrees in part" if ground_doublet_upto["symmetrised"] < 2 * np.pi - 1e-9 else verdict(max(split_err) < 1e-12),
        "tunnelsim.four_level, tunnelsim.four_level_doublet", "spectrum_4ls_flux.png")


def _periodicity_claim() -> Claim:
    e4 = np.array([0.05, -0.02, 0.01, -0.04])
    p0 = 0.7

    def shift(by: float, diagonal: str) -> float:
        return float(np.max(np.abs(four_level_energies(e4, 1, 1.5, p0 + by, diagonal)
                                   - four_level_energies(e4, 1, 1.5, p0, diagonal))))

    return Claim(
        "The 4LS spectrum is periodic in the flux with period 2 pi (one flux quantum)",
        f"symmetrised diagonal: shift by 2 pi changes levels by {shift(2 * np.pi, 'symmetrised'):.1e} K (period "
        f"2 pi); straight diagonal: by {shift(2 * np.pi, 'straight'):.2f} K after 2 pi, "
        f"{shift(4 * np.pi, 'straight'):.1e} K after 4 pi (period 4 pi: each triangle encloses half the flux)",
        "agrees in part", "tunnelsim.four_level_period", "spectrum_4ls_flux.png")


def _effective_gap_claim(out_dir: Path) -> Claim:
    rows = _effective_gap_table(out_dir / "effective_gap_error.csv")
    _effective_gap_figure(rows, out_dir / "effective_gap_error.png")
    small = max(r["relative_error"] for r in rows if r["system"] == "3LS" and r["E_scale/D0"] <= 0.03
                and r["phi"] <= 0.1)
    large = max(r["relative_error"] for r in rows if r["system"] == "3LS" and r["E_scale/D0"] >= 1.0)
    return Claim(
        "The ATS low doublet is an effective 2LS with gap sqrt((2/3) sum E_i^2 + (4/3) D0^2 phi^2)",
        f"relative error <= {small:.1e} for |E|/D0 <= 0.03, phi <= 0.1; up to {large:.0%} at |E| ~ D0",
        "agrees in part", "tunnelsim.three_level_doublet", "effective_gap_error.png")


def run(out_dir: Path, quick: bool = False, executor=None) -> list[Claim]:
    """Write the single-system figures and tables into ``out_dir``; return the report rows.

    Parameters
    ----------
    out_dir : pathlib.Path
        Output folder (created if needed).
    quick : bool
        Fewer random samples and coarser curves.
    executor : concurrent.futures.Executor, optional
        Unused (the single-system checks are fast); accepted for a uniform study interface.

    Returns
    -------
    list of Claim
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    n_phi = 201 if quick else 801
    save_figure(figure_three_level_flux(n_phi=n_phi), out_dir / "spectrum_3ls_flux.png")
    save_figure(figure_four_level_flux(n_phi=n_phi), out_dir / "spectrum_4ls_flux.png")
    claims = _closed_form_claims(as_generator(2013), 50 if quick else 400)
    claims += [_ground_doublet_claim(), _periodicity_claim(), _effective_gap_claim(out_dir)]
    return claims
