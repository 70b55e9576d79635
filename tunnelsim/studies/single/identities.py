"""The toolkit's closed forms against its own exact diagonalisation: identities, counted apart from the paper.

Viete's cubic (docs/theory.md eq. (1.5)), the analytic quartic (eq. (1.9)), the E = 0 doublet splitting and the
effective 4LS gap (eq. (1.11)), the doublet threshold as a root against its closed form (eq. (1.12)), the flux
periods: each checks a derivation of docs/theory.md against the matrix it came from. They cannot disagree with the
paper, so they are :class:`~tunnelsim.studies.claims.Finding` rows of kind identity (issue 18). Where the weak-field
4LS doublet ends is a result beyond the paper (the paper speaks of weak fields only).
"""

from __future__ import annotations

import numpy as np

from tunnelsim.single.effective import four_level_doublet_threshold
from tunnelsim.single.four_level import four_level, four_level_energies
from tunnelsim.single.three_level import three_level, three_level_energies
from tunnelsim.studies.claims import Finding, FindingKind
from tunnelsim.studies.grading import trend_fit
from tunnelsim.studies.single.limits import SMALL, LimitCase, levels

__all__ = ["RATIOS", "closed_form_identities", "doublet_splitting_identity", "threshold_identity",
           "effective_four_level_identity", "periodicity_identity", "doublet_end_finding"]

#: d2/d1 values of the threshold check and figure.
RATIOS = (1.05, 1.2, 1.3, 1.5, 2.0, 3.0, 5.0)
WHAT = "max |closed form - eigvalsh| / max(1 K, max|E|)"


def _traceless(rng, n: int, scale: float) -> np.ndarray:
    e = rng.normal(scale=scale, size=n)
    return e - e.mean()


def closed_form_identities(rng, samples: int) -> list[Finding]:
    """Viete's cubic and the analytic quartic against eigvalsh at random well energies, hoppings and fluxes."""
    err3 = err4 = 0.0
    for _ in range(samples):
        phi = rng.uniform(-4 * np.pi, 4 * np.pi)
        e3 = _traceless(rng, 3, rng.choice([1e-6, 0.1, 1.0, 10.0]))
        d0 = rng.uniform(0.05, 2)
        ex = levels(three_level(e3, d0, phi))
        err3 = max(err3, np.max(np.abs(three_level_energies(e3, d0, phi) - ex)) / max(1.0, np.abs(ex).max()))
        e4 = _traceless(rng, 4, rng.choice([0.1, 1.0, 10.0]))
        d1, d2 = rng.uniform(0.05, 2, 2)
        for diag in ("symmetrised", "straight"):
            ex = levels(four_level(e4, d1, d2, phi, diag))
            dev = np.max(np.abs(four_level_energies(e4, d1, d2, phi, diag) - ex))
            err4 = max(err4, dev / max(1.0, np.abs(ex).max()))
    where = f"{samples} random systems, phi in (-4 pi, 4 pi)"
    return [
        Finding(FindingKind.IDENTITY, "Viete's closed form of the 3LS levels (paper eq. 7, docs/theory.md eq. (1.5)) "
                "against exact diagonalisation", f"{WHAT} = {err3:.2g} over {where}", "tunnelsim.three_level_energies",
                "spectrum_3ls_flux.png"),
        Finding(FindingKind.IDENTITY, "The analytic quartic of the 4LS levels (docs/theory.md eq. (1.9)), both "
                "diagonal prescriptions, against exact diagonalisation",
                f"{WHAT} = {err4:.2g} over {where} (Descartes' quartic resolves a near-degenerate pair only to "
                "~sqrt(eps) of the scale; the toolkit diagonalises there by default)", "tunnelsim.four_level_energies",
                "spectrum_4ls_flux.png"),
    ]


def doublet_splitting_identity(n_phi: int) -> Finding:
    """At E = 0 and d2 > d1 the lowest pair splits as 4 d1 |sin(phi/4)| (eq. (1.11)), against eigvalsh."""
    phi = np.linspace(0.0, 1.0, n_phi)
    err = 0.0
    for r in (1.5, 2.0, 3.0):
        for diag in ("symmetrised", "straight"):
            lev = np.array([levels(four_level(np.zeros(4), 1.0, r, p, diag)) for p in phi])
            err = max(err, float(np.max(np.abs(lev[:, 1] - lev[:, 0] - 4.0 * np.abs(np.sin(phi / 4))))))
    return Finding(FindingKind.IDENTITY, "The 4LS doublet splitting 4 d1 |sin(phi/4)| at E = 0, d2 > d1 "
                   "(docs/theory.md eq. (1.11)) against exact diagonalisation",
                   f"max |(E1 - E0) - 4 d1 |sin(phi/4)|| = {err:.2g} K at d1 = 1 K, d2/d1 = 1.5, 2, 3, both diagonals, "
                   f"{n_phi} fluxes in [0, 1] rad", "tunnelsim.four_level, tunnelsim.four_level_doublet",
                   "spectrum_4ls_flux.png")


def threshold_identity() -> Finding:
    """The root-found doublet threshold against its closed forms (docs/theory.md eq. (1.12))."""
    dev = 0.0
    for r in RATIOS:
        dev = max(dev, abs(four_level_doublet_threshold(1.0, r, "symmetrised") - 2 * np.arcsin(1 - r**-2)))
        if r < np.sqrt(2):
            dev = max(dev, abs(four_level_doublet_threshold(1.0, r, "straight") - 2 * np.arcsin(r * r - 1)))
    return Finding(FindingKind.IDENTITY, "The 4LS doublet threshold phi* as a root of the level-crossing condition "
                   "against its closed forms 2 arcsin(1 - (d1/d2)^2) (symmetrised) and 2 arcsin((d2/d1)^2 - 1) "
                   "(straight, d2 < sqrt2 d1) (docs/theory.md eq. (1.12), the toolkit's derivation)",
                   f"max |root - closed form| = {dev:.2g} rad over d2/d1 = {', '.join(f'{r:g}' for r in RATIOS)}",
                   "tunnelsim.four_level_doublet_threshold", "4ls_doublet_threshold.png")


def effective_four_level_identity(cases: list[LimitCase]) -> Finding:
    """The effective 4LS gap with well energies (eq. (1.11)) against eigvalsh: its error vanishes in the limit."""
    x = np.asarray(cases[0].x)
    worst_all = np.max([np.asarray(c.deviation) for c in cases], axis=0)
    keep = x <= max(SMALL) * (1 + 1e-12)
    worst = worst_all[keep]
    t = trend_fit("x = max|E_i|/d1 = phi", x[keep], worst, power=1.0)
    points = ", ".join(f"{w:.2g} at x = {v:g}" for v, w in zip(x, worst_all))
    return Finding(FindingKind.IDENTITY, "The effective 4LS doublet gap sqrt(16 d1^2 sin^2(phi/4) + (E1 - E2 + E3 - "
                   "E4)^2 / 4) for d2 > d1 (docs/theory.md eq. (1.11), the toolkit's perturbation theory) against "
                   "exact diagonalisation",
                   f"worst relative error over d2/d1 = 1.5, 2, 3 and both diagonals: {points}; trend a + b x over "
                   f"x <= {max(SMALL):g}: a = {t.intercept:.2g} +- "
                   f"{t.intercept_err:.1g}, b = {t.slope:.3g}", "tunnelsim.four_level_doublet",
                   "effective_gap_error.png")


def periodicity_identity() -> Finding:
    """The 4LS spectrum's flux period: 2 pi symmetrised, 4 pi straight."""
    e4 = np.array([0.05, -0.02, 0.01, -0.04])

    def shift(by: float, diagonal: str) -> float:
        p0 = 0.7
        return float(np.max(np.abs(levels(four_level(e4, 1, 1.5, p0 + by, diagonal))
                                   - levels(four_level(e4, 1, 1.5, p0, diagonal)))))

    return Finding(
        FindingKind.IDENTITY,
        "The 4LS spectrum is periodic in the flux: 2 pi with the paper's symmetrised diagonal, 4 pi with the straight "
        "one (each triangle of two sides and a diagonal encloses half the flux)",
        f"symmetrised: levels change by {shift(2 * np.pi, 'symmetrised'):.1e} K after 2 pi; straight: by "
        f"{shift(2 * np.pi, 'straight'):.2f} K after 2 pi and {shift(4 * np.pi, 'straight'):.1e} K after 4 pi",
        "tunnelsim.four_level_period")


def doublet_end_finding() -> Finding:
    """Beyond the paper's weak fields: the flux phi* where the d2 > d1 doublet stops being the lowest pair."""
    star = four_level_doublet_threshold(1.0, 2.0)
    straight = four_level_doublet_threshold(1.0, 1.2, "straight")
    return Finding(FindingKind.BEYOND_PAPER,
                   "Beyond the paper's weak fields: the 4LS doublet (d2 > d1, E = 0) is the lowest pair only up to a "
                   "flux phi*, not over the whole period",
                   f"phi* = 2 arcsin(3/4) = {star:.6f} rad at d2 = 2 d1 (symmetrised diagonal; period 2 pi); straight "
                   f"diagonal: phi* = {straight:.4f} rad at d2 = 1.2 d1 and no end for d2 >= sqrt2 d1",
                   "tunnelsim.four_level_doublet_threshold", "4ls_doublet_threshold.png")
