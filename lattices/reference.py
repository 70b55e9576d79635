"""Literature values for percolation thresholds and exponents (docs/fractal_clustering.md, docs/theory.md sec. 4).

Every value carries its one-sigma uncertainty (0 for exact results) and its source, so tests and
report rows can compare an estimate with ``|estimate - value| <= k * sqrt(stderr^2 + ref_err^2)``.
"""

from __future__ import annotations

from tunnelsim.stats import Reference
from tunnelsim.validation import check_choice, check_int

__all__ = ["PC_SITE", "PC_BOND", "EXPONENTS", "WRAPPING_SQUARE", "reference_exponent"]

_JACOBSEN = "Jacobsen, J. Phys. A 48, 454003 (2015)"
_WANG = "Wang, Zhou, Zhang, Garoni, Deng, PRE 87, 052107 (2013)"
_LZ = "Lorenz and Ziff, PRE 57, 230 (1998)"
_SE = "Sykes and Essam, J. Math. Phys. 5, 1117 (1964) (exact)"
_FDB = "Feng, Deng, Bloete, PRE 78, 031136 (2008)"
_EXACT2D = "exact (den Nijs 1979; Nienhuis 1982; Saleur and Duplantier 1987)"

#: Site percolation thresholds.
PC_SITE: dict[str, Reference] = {
    "square": Reference(0.59274605079210, 2e-14, _JACOBSEN),
    "triangular": Reference(0.5, 0.0, _SE),
    "honeycomb": Reference(0.697040230, 5e-9, _FDB),
    "simple_cubic": Reference(0.3116077, 2e-7, _WANG),
    "bcc": Reference(0.2459615, 1e-6, _LZ),
}

#: Bond percolation thresholds.
PC_BOND: dict[str, Reference] = {
    "square": Reference(0.5, 0.0, _SE),
    "triangular": Reference(0.34729635533386, 0.0, _SE + ": 2 sin(pi/18)"),
    "honeycomb": Reference(0.65270364466614, 0.0, _SE + ": 1 - 2 sin(pi/18)"),
    "simple_cubic": Reference(0.24881182, 1e-7, _WANG),
    "bcc": Reference(0.1802875, 1e-6, _LZ),
}

#: Exponents by dimension: D (mass), hull, external_perimeter, surface (all perimeter sites), nu, beta, tau.
#: A registered site observable (:mod:`lattices.observables`) names its entry here.
EXPONENTS: dict[int, dict[str, Reference]] = {
    2: {
        "mass": Reference(91 / 48, 0.0, _EXACT2D),
        "hull": Reference(7 / 4, 0.0, "exact (Saleur and Duplantier, PRL 58, 2325 (1987))"),
        "external_perimeter": Reference(4 / 3, 0.0, "exact (Grossman and Aharony 1986; Duplantier 2000)"),
        "surface": Reference(91 / 48, 0.0, "all perimeter sites scale like the mass"),
        "nu": Reference(4 / 3, 0.0, _EXACT2D),
        "beta": Reference(5 / 36, 0.0, _EXACT2D),
        "tau": Reference(187 / 91, 0.0, _EXACT2D),
    },
    3: {
        "mass": Reference(2.52295, 0.00015, _WANG + " (derived)"),
        "hull": Reference(2.52295, 0.00015, "Strenski, Bradley, Debierre, PRL 66, 1330 (1991): hull = bulk D"),
        "external_perimeter": Reference(2.52295, 0.00015, "Strenski et al. 1991: accessible surface = bulk D"),
        "surface": Reference(2.52295, 0.00015, "all perimeter sites scale like the mass"),
        "nu": Reference(0.8764, 0.0012, _WANG + " (derived)"),
        "beta": Reference(0.4181, 0.0008, _WANG + " (derived)"),
        "tau": Reference(2.189, 0.0002, _WANG + " (derived)"),
    },
}

#: Universal wrapping probabilities at p_c on an L x L torus of the square lattice
#: (Newman and Ziff, PRE 64, 016706 (2001), eqs. 4-6, from Pinson 1994).
WRAPPING_SQUARE: dict[str, float] = {
    "either": 0.690473725,
    "axis0": 0.521058290,
    "both": 0.351642855,
    "one": 0.169415435,
}


def reference_exponent(dim: int, kind: str) -> Reference:
    """Literature exponent ``kind`` in ``dim`` dimensions (docs/theory.md sec. 4).

    Parameters
    ----------
    dim : int
        2 or 3.
    kind : str
        'mass' (D), 'hull', 'external_perimeter', 'surface' (fractal dimensions of site sets), 'nu',
        'beta' or 'tau' (dimensionless exponents).

    Returns
    -------
    tunnelsim.stats.Reference
        Value, one-sigma uncertainty (0 for exact results) and source.

    Examples
    --------
    >>> ref = reference_exponent(2, 'hull')
    >>> print(ref.value, ref.stderr)  # exact 7/4 (Saleur and Duplantier)
    1.75 0.0
    """
    dim = check_int(dim, "dim", minimum=2, maximum=3)
    return EXPONENTS[dim][check_choice(kind, "kind", tuple(EXPONENTS[dim]))]
