"""How the percolation rows are graded: the paper's regimes (its own words) and the tolerances with their reasons.

Tolerances are the closeness the paper's argument needs (docs/fractal_clustering.md sec. 7): alpha to
+-0.05 resolves the 2D hull value 7/36 from the 3D value 0, the two cases the paper contrasts; every
exponent that enters alpha = nu (D - D_s) gets half of that, divided by its weight.
"""

from __future__ import annotations

from lattices import EXPONENTS
from tunnelsim.studies.claims import Regime, Tolerance

from .settings import NEAR

__all__ = ["PAPER", "ALPHA_TOL", "PC_TOL", "NU_TOL", "dimension_tol", "AT_PC", "NEAR_XC"]

PAPER = "paper sec. 3, eq. 20 and the text after it"

ALPHA_TOL = Tolerance(0.05, "alpha to +-0.05, a quarter of 7/36: resolves the 2D hull value 7/36 from the 3D "
                            "value 0, the cases the paper contrasts")
PC_TOL = Tolerance(0.002, "a tenth of the closest approach x_c - x = 0.02 of the alpha fits: an x_c = p_c off by "
                          "more would move their nearest point by over 10 %")
_DS_SPAN = max(EXPONENTS[2]["mass"].value - EXPONENTS[2][d].value for d in ("hull", "external_perimeter"))
NU_TOL = Tolerance(ALPHA_TOL.value / (2 * _DS_SPAN), f"half of alpha's +-0.05: nu enters alpha = nu (D - D_s) with "
                   f"weight D - D_s, up to {_DS_SPAN:.3g} for the accessible perimeter (one of the interfaces the "
                   "paper leaves open)")


def dimension_tol(dim: int) -> Tolerance:
    """Half of alpha's tolerance over the weight nu with which a dimension enters alpha = nu (D - D_s)."""
    nu = EXPONENTS[dim]["nu"].value
    return Tolerance(ALPHA_TOL.value / (2 * nu), f"half of alpha's +-0.05: alpha = nu (D - D_s) takes a dimension "
                                                 f"with weight nu = {nu:.4g}")


AT_PC = Regime("percolation clusters at the threshold: the paper quotes the exponents of percolation theory, "
               "which 'apply to percolation clusters, strictly, only at the percolation threshold'")
NEAR_XC = Regime("the limit x -> x_c: the paper's density of interface sites ~ |x - x_c|^alpha holds 'strictly, "
                 "only at the percolation threshold'; graded by the trend of the local exponent towards x_c inside "
                 "the simulated window", {"x_c - x": (0.0, NEAR)})
