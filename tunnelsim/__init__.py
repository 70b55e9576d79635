"""tunnelsim: quantum tunneling systems of cold multicomponent glasses.

Single tunneling systems (2LS, 3LS/ATS, 4LS plaquette) with exact Hamiltonians (QuTiP Qobj) and
closed-form spectra, effective-2LS descriptions, parameter sweeps and spectrum figures; ensembles,
heat capacity and dielectric response. Energies in kelvin (k_B = 1). See docs/theory.md and, for
where each piece lives, docs/architecture.md.

The face is thin: every public name is loaded on first use (PEP 562), so ``import tunnelsim`` (and
``import clusters`` / ``import lattices``, which use tunnelsim's shared floor) import neither QuTiP
nor matplotlib.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: Public name -> module that defines it (one home per name).
_EXPORTS: dict[str, str] = {}


def _export(module: str, *names: str) -> None:
    for name in names:
        _EXPORTS[name] = f"tunnelsim.{module}"


# --- shared floor
_export("constants", "FLUX_QUANTUM", "KELVIN_PER_HZ", "flux_phase", "frequency_to_kelvin")
_export("phases", "wrap_phase")
_export("sweep", "grid", "load_results", "run_sweep", "process_pool", "is_interrupt")
_export("results", "SpectrumData", "load_spectrum", "load_spectrum_netcdf", "spectrum_of_stack")
# --- single tunneling systems
_export("single.two_level", "two_level", "two_level_energies")
_export("single.three_level", "three_level", "three_level_char_poly", "three_level_energies")
_export("single.four_level", "four_level", "four_level_char_poly", "four_level_energies",
        "four_level_energies_degenerate", "four_level_period")
_export("single.effective", "EffectiveTwoLevel", "three_level_doublet", "three_level_doublet_gap", "four_level_doublet",
        "four_level_doublet_threshold")
_export("single.spectra", "field_spectrum", "flux_spectrum", "sweep_spectrum")
_export("single.spectrum_maps", "spectrum_map", "field_map")
_export("single.polyhedron", "loop_phase", "multiwell", "multiwell_field_spectrum", "multiwell_orientation_average",
        "peierls_phases", "polygon_positions", "sphere_directions", "tetrahedron_positions", "wells_from_graph")
# --- glass response
_export("response.parameters", "GlassParameters")
_export("response.composition", "ALPHA_2D_HULL", "CompositionLaw", "ats_prefactor", "composition_params",
        "debye_prefactor", "tls_prefactor", "fit_tls_prefactor")
_export("response.datafiles", "DataFileError", "Dataset", "read_csv", "write_csv")
_export("response.curves", "dielectric_minimum", "log_slope")
_export("response.dielectric", "ATS_VARIANTS", "dielectric_ats", "dielectric_ats_parts", "dielectric_stm",
        "dielectric_stm_parts", "dielectric_total")
_export("response.distributions", "ATSSample", "STMSample", "ats_dos", "ats_gap_range", "fe_pdf", "sample_ats",
        "sample_fe", "sample_stm", "stm_dos")
_export("response.fit_result", "FitResult")
_export("response.fitting", "fit_dielectric", "fit_heat_capacity", "fit_heat_capacity_global")
_export("response.magnetodielectric", "ats_dipole_wells", "ats_linear_response", "dielectric_ats_ensemble",
        "dielectric_ats_field", "magnetocapacitance")
_export("response.echo", "EchoProtocol", "echo_density", "echo_protocol", "echo_single")
_export("response.echo_batch", "echo_amplitudes")
_export("response.echo_ensemble", "EchoData", "EchoSample", "echo_ensemble", "echo_sweep", "echo_vs_field",
        "echo_vs_tau", "sample_echo")
_export("response.presets", "PRESETS", "Preset", "get_preset")
_export("response.heat_capacity", "heat_capacity", "heat_capacity_2ls", "heat_capacity_ats",
        "heat_capacity_ats_ensemble", "heat_capacity_ats_field", "heat_capacity_debye", "heat_capacity_fe",
        "heat_capacity_from_dos", "schottky_2level", "schottky_levels")
_export("response.v_shape", "VShape", "ats_parameters_for_ratio", "ats_v_scan", "closest_ratio", "dielectric_v_shape",
        "v_shape")

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tunnelsim' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
