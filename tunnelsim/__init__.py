"""tunnelsim: quantum tunneling systems of cold multicomponent glasses.

Single tunneling systems (2LS, 3LS/ATS, 4LS plaquette) with exact Hamiltonians (QuTiP Qobj) and
closed-form spectra, effective-2LS descriptions, parameter sweeps and spectrum figures; ensembles,
heat capacity and dielectric response. Energies in kelvin (k_B = 1). See docs/theory.md.
"""

from .constants import FLUX_QUANTUM, KELVIN_PER_HZ, flux_phase, frequency_to_kelvin
from .effective import EffectiveTwoLevel, four_level_doublet, three_level_doublet, wrap_phase
from .four_level import (
    four_level,
    four_level_char_poly,
    four_level_energies,
    four_level_energies_degenerate,
    four_level_period,
)
from .report import Claim
from .spectra import SpectrumSweep, flux_spectrum, sweep_spectrum
from .sweep import grid, load_results, run_sweep
from .three_level import three_level, three_level_char_poly, three_level_energies
from .two_level import two_level, two_level_energies

__version__ = "0.1.0"


def three_level_doublet_gap(energies, d0: float, phi=0.0):
    """Effective-2LS gap of the 3LS doublet, sqrt((2/3) sum E_i^2 + (4/3) d0^2 phi^2) (docs/theory.md eq. (1.6)), K."""
    return three_level_doublet(energies, d0, phi).gap


__all__ = [
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
