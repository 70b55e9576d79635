"""Parameter presets of the glass-response model: every preset gives a :class:`GlassParameters`.

IMPORTANT: the fitted-parameter tables of Jug & Paliienko (2013) could not be retrieved (the
search tool found only the abstract), so no preset here is the paper's. The "*_illustrative" ones are
of the right order of magnitude for (SiO2)1-x(K2O)x / (SiO2)1-x(Na2O)x glasses measured by MacDonald,
Anderson and Schroeder, Phys. Rev. B 31, 1090 (1985), and for vitreous silica; "silica_dielectric"
holds the check values of docs/theory.md sec. 6; "multicomponent_dielectric_v" holds the ATS parameters
that :func:`tunnelsim.ats_parameters_for_ratio` finds for a -1:1 V of the toolkit's eq. 14.
Composition series (``*_silica_illustrative``) give their parameters at a network-modifier fraction x
(paper eq. 31 with eq. 20, :func:`tunnelsim.composition_params`); the others do not depend on x.
Units: heat capacities in uJ g^-1 K^-1 (so c_debye in uJ g^-1 K^-4, c_2ls in uJ g^-1 K^-2,
p_star and n_fe in uJ g^-1 K^-1), energies in K, K-constants in K^-3 s^-1, frequencies in Hz.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from tunnelsim.response.composition import CompositionLaw, composition_params
from tunnelsim.response.parameters import GlassParameters
from tunnelsim.validation import check_choice

__all__ = ["Preset", "PRESETS", "get_preset", "COMPOSITIONS"]

#: an illustrative series of network-modifier concentrations x
COMPOSITIONS: tuple[float, ...] = (0.0, 0.05, 0.1, 0.2, 0.3)


@dataclass(frozen=True)
class Preset:
    """A named parameter set of the glass model (docs/theory.md secs. 5-6; none is the paper's table).

    Attributes
    ----------
    source : str
        Where the numbers come from (none is the paper's table).
    parameters : GlassParameters
        The parameters that do not depend on the composition x.
    composition : CompositionLaw or None
        For a composition series: the laws of c_debye, c_2ls and p_star in x (paper eqs. 20, 31).
    frequency : float or None
        The measuring frequency in Hz a dielectric preset was made for.

    Examples
    --------
    >>> p = PRESETS['silica_dielectric']
    >>> print(type(p).__name__, p.parameters.chi, p.frequency)
    Preset 1.0 1000.0
    """

    source: str
    parameters: GlassParameters
    composition: CompositionLaw | None = None
    frequency: float | None = None

    def at(self, x: float | None = None) -> GlassParameters:
        """The glass parameters (at composition ``x`` in [0, 1] for a composition series, paper eq. 31 with eq. 20;
        else ``x`` must be None)."""
        if self.composition is None:
            if x is not None:
                raise ValueError(f"x must be None: this preset does not depend on the composition (got x={x!r})")
            return self.parameters
        if x is None:
            raise ValueError("x must be given: this preset is a composition series (paper eq. 31 in x)")
        return composition_params(x, self.composition, self.parameters)


PRESETS = MappingProxyType({
    "k2o_silica_illustrative": Preset(
        "illustrative (not the paper's table)",
        GlassParameters(d_min=0.05, n_fe=2.0, delta_fe=0.5),
        CompositionLaw(c_debye0=1.5, c_debye1=3.0, p0=1.0, p1=2.5, alpha=0.2, p_star_slope=20.0)),
    "na2o_silica_illustrative": Preset(
        "illustrative (not the paper's table)",
        GlassParameters(d_min=0.05, n_fe=1.0, delta_fe=0.5),
        CompositionLaw(c_debye0=1.5, c_debye1=2.5, p0=1.0, p1=2.0, alpha=0.2, p_star_slope=12.0)),
    "silica_dielectric": Preset(
        "docs/theory.md sec. 6 check values (chi=1, Delta0min=1e-7 K, K=1e8, 1 kHz)",
        GlassParameters(chi=1.0, delta0_min=1e-7, k_relax=1e8), frequency=1e3),
    "multicomponent_dielectric_illustrative": Preset(
        "illustrative (not the paper's table)",
        GlassParameters(chi=1.0, delta0_min=1e-7, k_relax=1e8, chi_ats=2.0, d_min=1e-3, k_ats=1e10),
        frequency=1e3),
    "multicomponent_dielectric_v": Preset(
        "found by tunnelsim.ats_parameters_for_ratio (slope ratio 1 at 1 kHz, windows a decade wide from "
        "3 T_min); the toolkit's eq. 14, not the paper's table",
        GlassParameters(chi=1.0, delta0_min=1e-7, k_relax=1e8, chi_ats=3.39, d_min=0.0506, k_ats=1.16e12),
        frequency=1e3),
})


def get_preset(name: str, x: float | None = None) -> GlassParameters:
    """The :class:`GlassParameters` of the preset ``name`` (at composition ``x`` for a composition series).

    Composition series follow paper eq. 31 with eq. 20 (docs/theory.md secs. 4-5).

    Parameters
    ----------
    name : str
        A key of :data:`PRESETS`.
    x : float, optional
        Network-modifier fraction in [0, 1]; required by the composition series, refused by the others.

    Returns
    -------
    GlassParameters
        Accepted as it is by :func:`tunnelsim.heat_capacity` and :func:`tunnelsim.dielectric_total`.

    Examples
    --------
    >>> g = get_preset('silica_dielectric')
    >>> print(g.chi, g.delta0_min, g.k_relax)  # the check values of docs/theory.md sec. 6
    1.0 1e-07 100000000.0
    """
    check_choice(name, "name", tuple(PRESETS))
    return PRESETS[name].at(x)
