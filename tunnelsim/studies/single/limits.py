"""The single-system limits the paper states, measured on exact spectra at shrinking small parameters.

Each claim of paper sec. 2 and of its appendix is made in a limit (well energies E_i -> 0 against the hopping,
weak fields phi -> 0). Here the small parameter x sets both: E_i = x * shape * (hopping), phi = x rad, and the
deviation from the limit law is measured on the exact levels (numpy ``eigvalsh`` of the toolkit's Hamiltonian,
docs/theory.md eqs. (1.2), (1.7)) at each x, for several shapes and hoppings (the cases of one claim):

* ATS (3LS, paper sec. 2): relative error of the effective-2LS gap, docs/theory.md eq. (1.6);
* 4LS with d2 > d1 (appendix, Fig. 14 main): splitting of the lowest pair over the gap to the third level;
* 4LS with d2 < d1 (appendix, Fig. 14 inset): splitting of the middle pair over the ground gap.

The limit law holds when the deviation extrapolates to zero (the study fits its trend, docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tunnelsim.single.effective import four_level_doublet, three_level_doublet
from tunnelsim.single.four_level import four_level
from tunnelsim.single.three_level import three_level

__all__ = ["SMALL", "EDGE", "BEYOND", "ATS_SHAPES", "FOUR_SHAPE", "GROUND_CASES", "MIDDLE_CASES", "LimitCase",
           "ats_gap_cases", "ground_doublet_cases", "middle_doublet_cases", "four_level_gap_cases",
           "ground_gaps_middle", "ats_third_gap", "levels"]

#: Values of the small parameter x (E_i / hopping and phi in rad) whose trend is graded: deep inside the regime,
#: where the next order's curvature does not bias the extrapolation.
SMALL = (0.001, 0.003, 0.01, 0.03)
#: The edge of the paper's regime (shown, not fitted).
EDGE = 0.1
#: Values outside it (|E_i| ~ hopping, phi ~ 1): shown, never graded.
BEYOND = (0.3, 1.0)
#: Well-energy shapes of the 3LS (traceless): a generic one, a symmetric one, a third.
ATS_SHAPES = {"(1, -0.3, -0.7)": (1.0, -0.3, -0.7), "(1, -0.5, -0.5)": (1.0, -0.5, -0.5),
              "(0.2, 0.5, -0.7)": (0.2, 0.5, -0.7)}
#: Well-energy shape of the 4LS (traceless).
FOUR_SHAPE = (1.0, -0.2, 0.5, -1.3)
#: (d2/d1, diagonal) of the appendix's "tetrahedral" case d2 > d1 and of its plain case d2 < d1.
GROUND_CASES = ((1.5, "symmetrised"), (1.5, "straight"), (2.0, "symmetrised"), (2.0, "straight"),
                (3.0, "symmetrised"), (3.0, "straight"))
MIDDLE_CASES = ((0.0, "symmetrised"), (0.5, "symmetrised"), (0.5, "straight"))


@dataclass(frozen=True)
class LimitCase:
    """One case of a limit claim: its conditions and the deviation at each value of the small parameter.

    Attributes
    ----------
    label : str
        The case in words (``"d2/d1 = 2, symmetrised"``).
    conditions : dict
        Its conditions (shown inside the report row).
    x : tuple of float
        The small parameter.
    deviation : tuple of float
        The deviation from the limit law at each x (dimensionless).
    """

    label: str
    conditions: dict
    x: tuple[float, ...]
    deviation: tuple[float, ...]


def levels(h) -> np.ndarray:
    """Exact levels (K) of a qutip Hamiltonian: numpy ``eigvalsh`` of its matrix, ascending."""
    return np.linalg.eigvalsh(h.full())


def _ats_error(shape, mode: str, x: float) -> float:
    e = np.zeros(3) if mode == "phi only" else x * np.asarray(shape)
    phi = 0.0 if mode == "E only" else x
    lev = levels(three_level(e, 1.0, phi))
    return abs(float(three_level_doublet(e, 1.0, phi).gap) / (lev[1] - lev[0]) - 1.0)


def ats_gap_cases(xs=SMALL) -> list[LimitCase]:
    """Relative error of the ATS effective gap (docs/theory.md eq. (1.6)) against the exact doublet, D0 = 1 K.

    Cases: each shape of ``ATS_SHAPES`` with E and phi going to zero together and with E alone (zero field), and
    E = 0 with phi alone.
    """
    plan = [(name, shape, mode) for name, shape in ATS_SHAPES.items() for mode in ("E and phi", "E only")]
    plan.append(("0", (0.0, 0.0, 0.0), "phi only"))
    return [LimitCase(f"E ~ {name}, {mode} -> 0", {"E/(x D0)": name, "limit": mode}, tuple(xs),
                      tuple(_ats_error(shape, mode, x) for x in xs)) for name, shape, mode in plan]


def _four(x: float, d2: float, diagonal: str) -> np.ndarray:
    return levels(four_level(x * np.asarray(FOUR_SHAPE), 1.0, d2, x, diagonal, allow_negative_hopping=d2 == 0))


def _doublet_cases(ratio, label, xs, cases) -> list[LimitCase]:
    """One LimitCase per (d2/d1, diagonal) pair: ``ratio(levels)`` at each x (d1 = 1 K)."""
    return [LimitCase(label(d2, diag), {"d2/d1": d2, "diagonal": diag}, tuple(xs),
                      tuple(ratio(_four(x, d2, diag)) for x in xs)) for d2, diag in cases]


def ground_doublet_cases(xs=SMALL, cases=GROUND_CASES) -> list[LimitCase]:
    """(E1 - E0) / (E2 - E1) of the 4LS for d2 > d1: the lowest pair's splitting over the gap to the third level.

    ``cases``: (d2/d1, diagonal) pairs, d1 = 1 K.
    """
    return _doublet_cases(lambda lev: (lev[1] - lev[0]) / (lev[2] - lev[1]),
                          lambda d2, diag: f"d2/d1 = {d2:g}, {diag}", xs, cases)


def middle_doublet_cases(xs=SMALL, cases=MIDDLE_CASES) -> list[LimitCase]:
    """(E2 - E1) / (E1 - E0) of the 4LS for d2 < d1: the middle pair's splitting over the ground gap.

    ``cases``: (d2/d1, diagonal) pairs, d1 = 1 K.
    """
    return _doublet_cases(lambda lev: (lev[2] - lev[1]) / (lev[1] - lev[0]),
                          lambda d2, diag: f"d2/d1 = {d2:g}" + (", plain square" if d2 == 0 else f", {diag}"), xs,
                          cases)


def four_level_gap_cases(xs=SMALL) -> list[LimitCase]:
    """Relative error of the 4LS effective doublet gap (docs/theory.md eq. (1.11)) for d2 > d1, d1 = 1 K."""
    out = []
    for d2, diag in GROUND_CASES:
        dev = []
        for x in xs:
            lev = _four(x, d2, diag)
            eff = float(four_level_doublet(x * np.asarray(FOUR_SHAPE), 1.0, d2, x, diag).gap)
            dev.append(abs(eff / (lev[1] - lev[0]) - 1.0))
        out.append(LimitCase(f"d2/d1 = {d2:g}, {diag}", {"d2/d1": d2, "diagonal": diag}, tuple(xs), tuple(dev)))
    return out


def ground_gaps_middle(x: float = SMALL[0]) -> dict[float, float]:
    """The ground gap E1 - E0 (K, d1 = 1 K) of the d2 < d1 cases at the smallest x: the singlet's distance."""
    return {d2: float(np.diff(_four(x, d2, diag)[:2])[0]) for d2, diag in MIDDLE_CASES if diag == "symmetrised"}


def ats_third_gap(x: float = SMALL[0]) -> float:
    """(E2 - E1) / D0 of the 3LS at E ~ x (1, -0.3, -0.7) D0 and phi = x: how far the third level lies."""
    e = x * np.asarray(ATS_SHAPES["(1, -0.3, -0.7)"])
    lev = levels(three_level(e, 1.0, x))
    return float(lev[2] - lev[1])
