"""tunnelsim: quantum tunneling systems of cold multicomponent glasses.

Single tunneling systems (2LS, 3LS/ATS, 4LS plaquette) with exact Hamiltonians (QuTiP Qobj) and
closed-form spectra, effective-2LS descriptions, parameter sweeps and spectrum figures; ensembles,
heat capacity and dielectric response. Energies in kelvin (k_B = 1). See docs/theory.md.
"""

from .composition import (
    ALPHA_2D_HULL,
    alpha_from_fractal,
    ats_prefactor,
    composition_params,
    debye_prefactor,
    tls_prefactor,
)
from .constants import FLUX_QUANTUM, KELVIN_PER_HZ, flux_phase, frequency_to_kelvin
from .datafiles import DataFileError, Dataset, read_csv, write_csv
from .dielectric import (
    dielectric_ats,
    dielectric_ats_parts,
    dielectric_minimum,
    dielectric_stm,
    dielectric_stm_parts,
    dielectric_total,
    log_slope,
)
from .distributions import (
    ATSSample,
    STMSample,
    ats_dos,
    ats_effective_gap,
    ats_gap_range,
    ats_levels,
    fe_pdf,
    sample_ats,
    sample_fe,
    sample_stm,
    stm_dos,
)
from .effective import EffectiveTwoLevel, four_level_doublet, three_level_doublet, wrap_phase
from .fitting import FitResult, fit_dielectric, fit_heat_capacity, fit_heat_capacity_global
from .four_level import (
    four_level,
    four_level_char_poly,
    four_level_energies,
    four_level_energies_degenerate,
    four_level_period,
)
from .presets import PRESETS, get_preset
from .report import Claim
from .specific_heat import (
    heat_capacity,
    heat_capacity_2ls,
    heat_capacity_ats,
    heat_capacity_ats_ensemble,
    heat_capacity_ats_field,
    heat_capacity_debye,
    heat_capacity_fe,
    heat_capacity_from_dos,
    schottky_2level,
    schottky_levels,
)
from .spectra import SpectrumSweep, flux_spectrum, sweep_spectrum
from .sweep import grid, load_results, run_sweep
from .three_level import three_level, three_level_char_poly, three_level_energies
from .two_level import two_level, two_level_energies
from .v_shape import (
    VShape,
    ats_parameters_for_ratio,
    ats_v_scan,
    closest_ratio,
    dielectric_v_shape,
    v_shape,
)

__version__ = "0.1.0"


def three_level_doublet_gap(energies, d0: float, phi=0.0):
    """Effective-2LS gap of the 3LS doublet, sqrt((2/3) sum E_i^2 + (4/3) d0^2 phi^2) (docs/theory.md eq. (1.6)), K."""
    return three_level_doublet(energies, d0, phi).gap


__all__ = [
    "ALPHA_2D_HULL",
    "alpha_from_fractal",
    "ats_prefactor",
    "composition_params",
    "debye_prefactor",
    "tls_prefactor",
    "DataFileError",
    "Dataset",
    "read_csv",
    "write_csv",
    "dielectric_ats",
    "dielectric_ats_parts",
    "dielectric_minimum",
    "dielectric_stm",
    "dielectric_stm_parts",
    "dielectric_total",
    "log_slope",
    "VShape",
    "v_shape",
    "dielectric_v_shape",
    "ats_v_scan",
    "closest_ratio",
    "ats_parameters_for_ratio",
    "ATSSample",
    "STMSample",
    "ats_dos",
    "ats_effective_gap",
    "ats_gap_range",
    "ats_levels",
    "fe_pdf",
    "sample_ats",
    "sample_fe",
    "sample_stm",
    "stm_dos",
    "FitResult",
    "fit_dielectric",
    "fit_heat_capacity",
    "fit_heat_capacity_global",
    "PRESETS",
    "get_preset",
    "heat_capacity",
    "heat_capacity_2ls",
    "heat_capacity_ats",
    "heat_capacity_ats_ensemble",
    "heat_capacity_ats_field",
    "heat_capacity_debye",
    "heat_capacity_fe",
    "heat_capacity_from_dos",
    "schottky_2level",
    "schottky_levels",
    "FLUX_QUANTUM",
    "KELVIN_PER_HZ",
    "flux_phase",
    "frequency_to_kelvin",
    "EffectiveTwoLevel",
    "three_level_doublet",
    "three_level_doublet_gap",
    "four_level_doublet",
    "wrap_phase",
    "four_level",
    "four_level_char_poly",
    "four_level_energies",
    "four_level_energies_degenerate",
    "four_level_period",
    "Claim",
    "SpectrumSweep",
    "flux_spectrum",
    "sweep_spectrum",
    "grid",
    "load_results",
    "run_sweep",
    "three_level",
    "three_level_char_poly",
    "three_level_energies",
    "two_level",
    "two_level_energies",
]
