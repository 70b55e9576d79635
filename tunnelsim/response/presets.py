"""Parameter presets for the glass-response model.

IMPORTANT: the fitted-parameter tables of Jug & Paliienko (2013) could not be retrieved (the
search tool found only the abstract), so no preset here is the paper's. The "*_illustrative" ones are
of the right order of magnitude for (SiO2)1-x(K2O)x / (SiO2)1-x(Na2O)x glasses measured by MacDonald,
Anderson and Schroeder, Phys. Rev. B 31, 1090 (1985), and for vitreous silica; "silica_dielectric"
holds the check values of docs/theory.md sec. 6; "multicomponent_dielectric_v" holds the ATS parameters
that tunnelsim.v_shape finds for a -1:1 V of the toolkit's eq. 14.
Units: heat capacities in uJ g^-1 K^-1 (so c_debye in uJ g^-1 K^-4, c_2ls in uJ g^-1 K^-2,
p_star and n_fe in uJ g^-1 K^-1), energies in K, K-constants in K^-3 s^-1.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["PRESETS", "get_preset", "COMPOSITIONS"]

#: an illustrative series of network-modifier concentrations x
COMPOSITIONS: tuple[float, ...] = (0.0, 0.05, 0.1, 0.2, 0.3)

PRESETS = MappingProxyType({
    "k2o_silica_illustrative": MappingProxyType({
        "source": "illustrative (not the paper's table)",
        "c_debye0": 1.5, "c_debye1": 3.0,  # Debye c_D at x=0 and x=1
        "p0": 1.0, "p1": 2.5, "alpha": 0.2,  # c_2ls(x) = p0 (1-x) + p1 x^alpha
        "p_star_slope": 20.0, "d_min": 0.05,  # P*(x) = slope x, D_min
        "n_fe": 2.0, "delta_fe": 0.5,  # Fe3+ Schottky term
    }),
    "na2o_silica_illustrative": MappingProxyType({
        "source": "illustrative (not the paper's table)",
        "c_debye0": 1.5, "c_debye1": 2.5,
        "p0": 1.0, "p1": 2.0, "alpha": 0.2,
        "p_star_slope": 12.0, "d_min": 0.05,
        "n_fe": 1.0, "delta_fe": 0.5,
    }),
    "silica_dielectric": MappingProxyType({
        "source": "docs/theory.md sec. 6 check values (chi=1, Delta0min=1e-7 K, K=1e8, 1 kHz)",
        "chi": 1.0, "delta0_min": 1e-7, "k_relax": 1e8, "frequency": 1e3,
    }),
    "multicomponent_dielectric_illustrative": MappingProxyType({
        "source": "illustrative (not the paper's table)",
        "chi": 1.0, "delta0_min": 1e-7, "k_relax": 1e8, "frequency": 1e3,
        "chi_ats": 2.0, "d_min": 1e-3, "k_ats": 1e10,
    }),
    "multicomponent_dielectric_v": MappingProxyType({
        "source": "found by tunnelsim.v_shape.ats_parameters_for_ratio (slope ratio 1 at 1 kHz, windows a "
                  "decade wide from 3 T_min); the toolkit's eq. 14, not the paper's table",
        "chi": 1.0, "delta0_min": 1e-7, "k_relax": 1e8, "frequency": 1e3,
        "chi_ats": 3.39, "d_min": 0.0506, "k_ats": 1.16e12,
    }),
})


def get_preset(name: str) -> dict:
    """A mutable copy of the preset ``name`` (see :data:`PRESETS`)."""
    if name not in PRESETS:
        raise ValueError(f"name must be one of {', '.join(PRESETS)}; got {name!r}")
    return dict(PRESETS[name])
