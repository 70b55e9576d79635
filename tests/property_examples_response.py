"""Valid calls of the glass-response functions on the face (tunnelsim.response, for tests/test_property.py).

One cheap call (well under 0.5 s once warm) per public function of the ``_export("response....")`` lines of
tunnelsim/__init__.py, plus the fit-result methods. The plain result containers (ATSSample, STMSample,
Dataset, FitResult, VShape, Preset) hold what the functions computed and are not called here; the parameter
containers that check their input (GlassParameters, CompositionLaw) are.
"""

import tempfile
from pathlib import Path

import numpy as np
from property_engine import Example

import tunnelsim as ts

_DIR = Path(tempfile.mkdtemp(prefix="tunnelsim-property-response-"))
_CSV = ts.write_csv(_DIR / "data.csv", [0.1, 0.2, 0.4], [1.0, 2.0, 3.0])
T3 = [0.01, 0.1, 1.0]
SILICA = ts.get_preset("silica_dielectric")
BOTH = ts.get_preset("multicomponent_dielectric_illustrative")
K2O = ts.get_preset("k2o_silica_illustrative", x=0.1)
LAW = ts.PRESETS["k2o_silica_illustrative"].composition
ATS = ts.sample_ats(6, 1, d_min=0.01, d_max=1.0, d0_min=10.0, d0_max=100.0)
_TV = np.geomspace(1e-3, 10.0, 60)
V_VALUES = (np.log(_TV) - np.log(0.1)) ** 2 - np.log(_TV)  # a V in ln T with its minimum inside
_TF = np.geomspace(0.05, 2.0, 12)
_CF = 0.7 * _TF + 2.0 * _TF**3
FIT = ts.fit_heat_capacity(_TF, _CF, ("debye", "2ls"))
_TD = np.geomspace(0.01, 1.0, 6)
_ED = ts.dielectric_total(_TD, 1e3, SILICA) + 0.3
SCAN_ROWS = [{"chi_ats": 1.0, "d_min": 0.01, "k_ats": 1e10, "t_min": 0.1, "ratio": 1.5, "slope_below": -1.5,
              "slope_above": 1.0}, {"error": "no minimum"}]

POS = {"zero", "negative"}  # kinds a strictly positive parameter must refuse (listed for readability only)
ANY_REAL = {"negative", "zero", "huge"}

_X = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5]  # eq. 20 data for the fit (P0 = 0.7, P1 = 2, alpha = 0.4, a little noise)
_P = [0.7 * (1 - v) + 2.0 * v**0.4 + 0.002 * (-1) ** i for i, v in enumerate(_X)]
_SIGMA = [0.01] * len(_X)

EXAMPLES = [
    # parameters, presets, composition laws
    Example(ts.GlassParameters, {"c_debye": 1.0, "c_2ls": 1.0, "p_star": 1.0, "d_min": 0.05, "chi": 1.0},
            valid={k: {"none", "huge", "zero"} for k in ("c_debye", "c_2ls", "p_star", "chi")}
            | {"d_min": {"none", "huge"}}),
    Example(ts.get_preset, {"name": "k2o_silica_illustrative", "x": 0.1}, valid={"x": {"zero"}}),
    Example(ts.ats_prefactor, {"x": 0.2, "slope": 10.0}, valid={"x": {"zero"}, "slope": {"zero", "huge"}}),
    Example(ts.tls_prefactor, {"x": 0.2, "p0": 1.0, "p1": 2.0, "alpha": 0.2},
            valid={"x": {"zero"}, "p0": {"zero", "huge"}, "p1": {"zero", "huge"}, "alpha": {"zero", "huge"}}),
    Example(ts.fit_tls_prefactor, {"x": _X, "P": _P, "sigma": _SIGMA}, valid={"sigma": {"none"}}),
    Example(ts.debye_prefactor, {"x": 0.2, "c0": 1.0, "c1": 2.0},
            valid={"x": {"zero"}, "c0": {"zero", "huge"}, "c1": {"zero", "huge"}}),
    Example(ts.CompositionLaw, {"c_debye0": 1.5, "c_debye1": 3.0, "p0": 1.0, "p1": 2.5, "alpha": 0.2,
                                "p_star_slope": 20.0},
            valid={k: {"zero", "huge"} for k in ("c_debye0", "c_debye1", "p0", "p1", "alpha", "p_star_slope")}),
    Example(ts.composition_params, {"x": 0.1, "law": LAW, "base": None},  # x = 0: no ATS term
            valid={"x": {"zero"}, "base": {"none"}}),
    # data files and fits
    Example(ts.read_csv, {"path": _CSV, "kind": "C"}, skip={"path"}, why="paths: tests/test_response_regressions.py"),
    Example(ts.write_csv, {"path": _DIR / "out.csv", "T": [0.1, 0.2], "y": [1.0, 2.0], "sigma": None, "x": None,
                           "kind": "C", "comment": ""},
            valid={"y": {"negative", "zero", "huge"}, "sigma": {"none", "huge"}, "x": {"none", "zero"},
                   "T": {"huge"}, "comment": {"string"}},
            skip={"path"}, why="paths: tests/test_response_regressions.py"),
    Example(ts.fit_heat_capacity, {"T": _TF, "C": _CF, "components": ("debye", "2ls"), "sigma": None, "p0": None,
                                   "fixed": None},
            valid={"sigma": {"none", "huge"}, "p0": {"none", "empty"}, "fixed": {"none", "empty"}}),
    Example(ts.fit_heat_capacity_global, {"datasets": [(0.1, _TF, _CF)], "components": ("debye", "2ls"),
                                          "shared": (), "fixed": None},
            valid={"fixed": {"none", "empty"}, "shared": {"empty"}}),
    Example(ts.fit_dielectric, {"T": _TD, "eps": _ED, "frequency": 1e3, "with_ats": False, "sigma": None, "p0": None,
                                "fixed": {"k_relax": 1e8}},
            valid={"sigma": {"none", "huge"}, "p0": {"none", "empty"}, "eps": {"negative", "zero", "huge"},
                   "with_ats": {"bool"}, "fixed": {"none", "empty"}}),
    Example(FIT.conf_interval, {"level": 0.95}),
    Example(FIT.report, {"level": 0.9}),
    # distributions
    Example(ts.sample_stm, {"n": 5, "rng": 1, "delta_max": 1.0, "delta0_min": 1e-7, "delta0_max": 1.0},
            valid={"rng": {"none", "zero", "huge"}, "delta_max": {"huge"}, "delta0_max": {"huge"}}),
    Example(ts.stm_dos, {"energy": [0.1, 0.5], "p_bar": 1.0, "delta_max": 1.0, "delta0_min": 1e-7, "delta0_max": 1.0},
            valid={"energy": {"huge"}, "p_bar": {"huge"}, "delta_max": {"huge"}, "delta0_max": {"huge"}}),
    Example(ts.sample_ats, {"n": 5, "rng": 1, "d_min": 0.01, "d_max": 1.0, "d0_min": 10.0, "d0_max": 100.0},
            valid={"rng": {"none", "zero", "huge"}, "d_max": {"huge"}, "d0_max": {"huge"}}),
    Example(ts.ats_gap_range, {"d_min": 0.01, "d_max": 1.0}, valid={"d_max": {"huge"}}),
    Example(ts.ats_dos, {"energy": [0.05, 0.5], "p_star": 1.0, "d_min": 0.01, "d_max": 1.0},
            valid={"energy": {"huge"}, "p_star": {"huge"}, "d_max": {"huge", "inf"}}),
    Example(ts.fe_pdf, {"splitting": [0.1, 1.0], "delta_fe": 0.5},
            valid={"splitting": {"zero", "huge"}, "delta_fe": {"huge"}}),
    Example(ts.sample_fe, {"n": 5, "delta_fe": 0.5, "rng": 1}, valid={"rng": {"none", "zero", "huge"},
                                                                    "delta_fe": {"huge"}}),
    # heat capacity
    Example(ts.schottky_2level, {"splitting": 1.0, "T": 0.5}, valid={"splitting": {"zero", "huge"}, "T": {"huge"}}),
    Example(ts.schottky_levels, {"levels": [[0.0, 1.0, 2.0]], "T": [0.5, 1.0]}, valid={"T": {"huge"}}),
    Example(ts.heat_capacity_from_dos, {"T": T3, "dos": lambda e: np.ones_like(e), "e_min": 0.0, "e_max": 10.0},
            valid={"T": {"huge"}, "e_min": {"zero"}, "e_max": {"huge", "inf"}},
            skip={"dos"}, why="a callable: tests/test_response_heat_capacity.py"),
    Example(ts.heat_capacity_debye, {"T": T3, "c_debye": 1.5}, valid={"c_debye": {"zero", "huge"}, "T": {"huge"}}),
    Example(ts.heat_capacity_2ls, {"T": T3, "p_bar": 1.0, "e_min": 0.0, "e_max": 10.0},
            valid={"p_bar": {"zero", "huge"}, "e_min": {"zero"}, "e_max": {"huge", "inf"}, "T": {"huge"}}),
    Example(ts.heat_capacity_ats, {"T": T3, "p_star": 1.0, "d_min": 0.05},
            valid={"p_star": {"zero", "huge"}, "d_min": {"huge"}, "T": {"huge"}}),
    Example(ts.heat_capacity_fe, {"T": T3, "n_fe": 1.0, "delta_fe": 0.5},
            valid={"n_fe": {"zero", "huge"}, "delta_fe": {"huge"}, "T": {"huge"}}),
    Example(ts.heat_capacity, {"T": T3, "params": K2O, "parts": False}, valid={"T": {"huge"}, "parts": {"bool"}}),
    Example(ts.heat_capacity_ats_ensemble, {"T": T3, "sample": ATS, "p_star": 1.0, "phi": 0.0, "effective": False,
                                            "chunk": 4},
            valid={"p_star": {"zero", "huge"}, "phi": ANY_REAL, "chunk": {"huge"}, "T": {"huge"},
                   "effective": {"bool"}}),
    Example(ts.heat_capacity_ats_field, {"T": T3, "field": [0.0, 1.0], "sample": ATS, "p_star": 1.0, "area": 1e-18,
                                         "charge": 10.0, "n_theta": 2},
            valid={"p_star": {"zero", "huge"}, "field": ANY_REAL, "charge": {"negative", "huge"}, "area": {"huge"},
                   "T": {"huge"}}),
    # dielectric constant
    Example(ts.dielectric_stm_parts, {"T": T3, "frequency": 1e3, "chi": 1.0, "delta0_min": 1e-7, "k_relax": 1e8},
            valid={"chi": {"zero", "huge"}, "frequency": {"huge"}, "delta0_min": {"huge"}, "k_relax": {"huge"},
                   "T": {"huge"}}),
    Example(ts.dielectric_stm, {"T": T3, "frequency": 1e3, "chi": 1.0, "delta0_min": 1e-7, "k_relax": 1e8,
                                "part": "loss"},
            valid={"chi": {"zero", "huge"}, "frequency": {"huge"}, "delta0_min": {"huge"}, "k_relax": {"huge"},
                   "T": {"huge"}}),
    Example(ts.dielectric_ats_parts, {"T": T3, "frequency": 1e3, "chi_ats": 1.0, "d_min": 0.01, "k_ats": 1e10,
                                      "d_max": 1.0, "variant": "stm", "u_min": 1e-6},
            valid={"chi_ats": {"zero", "huge"}, "frequency": {"huge"}, "k_ats": {"huge"}, "d_max": {"huge", "inf"},
                   "T": {"huge"}, "d_min": {"huge"}}),
    Example(ts.dielectric_ats, {"T": T3, "frequency": 1e3, "chi_ats": 1.0, "d_min": 0.01, "k_ats": 1e10,
                                "d_max": np.inf, "part": "rel", "variant": "isotropic", "u_min": 1e-6},
            valid={"chi_ats": {"zero", "huge"}, "frequency": {"huge"}, "k_ats": {"huge"}, "d_max": {"huge", "inf"},
                   "T": {"huge"}, "d_min": {"huge"}}),
    Example(ts.dielectric_total, {"T": T3, "frequency": 1e3, "params": BOTH, "part": "total",
                                  "ats_variant": "isotropic"},
            valid={"frequency": {"huge"}, "T": {"huge"}}),
    Example(ts.log_slope, {"T": [0.1, 0.2, 0.4, 0.8], "values": [1.0, 2.0, 3.0, 4.0], "t_lo": 0.1, "t_hi": 1.0},
            valid={"t_lo": {"zero", "negative", "-inf"}, "t_hi": {"huge", "inf"}}),
    Example(ts.dielectric_minimum, {"T": np.geomspace(1e-3, 1.0, 12), "frequency": 1e3, "params": SILICA,
                                    "ats_variant": "isotropic"}),
    Example(ts.v_shape, {"T": _TV, "values": V_VALUES, "gap": 3.0, "decades": 1.0}),
    Example(ts.dielectric_v_shape, {"T": np.geomspace(1e-4, 10.0, 50), "frequency": 1e3, "params": SILICA,
                                    "gap": 3.0, "decades": 1.0, "ats_variant": "isotropic"}),
    Example(ts.ats_v_scan, {"frequency": 1e3, "chi_ats": [1.0], "d_min": [0.05], "k_ats": [1e12], "params": SILICA,
                            "path": None, "executor": None, "progress": False, "gap": 3.0, "decades": 1.0,
                            "ats_variant": "isotropic"},
            valid={"progress": {"none", "bool"}}, skip={"path", "executor"},
            why="files and executors: tests/test_floor_sweep.py"),
    Example(ts.closest_ratio, {"rows": SCAN_ROWS, "target": 1.0, "t_min_bounds": (0.0, np.inf)},
            valid={"rows": {"empty"}, "target": {"huge"}}),
    Example(ts.ats_parameters_for_ratio, {"target": 1.0, "frequency": 1e3,
                                          "start": {"chi_ats": 3.39, "d_min": 0.0506, "k_ats": 1.16e12},
                                          "params": SILICA, "t_min_bounds": (0.0, np.inf), "gap": 3.0,
                                          "decades": 1.0, "max_evaluations": 3, "ats_variant": "isotropic"},
            valid={"target": {"huge"}}),
    # eps(T, B) of exact 3LS
    Example(ts.ats_dipole_wells, {"theta": [0.3, 1.0], "alpha": [0.0, 2.0]},
            valid={"theta": ANY_REAL, "alpha": ANY_REAL}),
    Example(ts.ats_linear_response, {"T": T3, "energies": ATS.energies, "d0": ATS.d0,
                                     "dipole": ts.ats_dipole_wells(np.ones(6), np.zeros(6)), "phi": 0.3},
            valid={"phi": ANY_REAL, "T": {"huge"}}),
    Example(ts.dielectric_ats_ensemble, {"T": T3, "frequency": 1e3, "sample": ATS, "k_ats": 1e10, "phi": 0.0,
                                         "seed": 1, "chunk": None},
            valid={"phi": ANY_REAL, "seed": {"none", "zero", "huge"}, "chunk": {"none", "huge"}, "T": {"huge"},
                   "frequency": {"huge"}, "k_ats": {"huge"}}),
    Example(ts.dielectric_ats_field, {"T": T3, "frequency": 1e3, "field": [0.0, 1.0], "sample": ATS, "k_ats": 1e10,
                                      "area": 1e-18, "charge": 2.0, "field_angle": 0.0, "n_theta": 2, "seed": 1,
                                      "chunk": None, "progress": False},
            valid={"field": ANY_REAL, "charge": {"negative", "huge"}, "field_angle": {"zero"},
                   "seed": {"none", "zero", "huge"}, "chunk": {"none", "huge"}, "progress": {"none", "bool"},
                   "T": {"huge"}, "frequency": {"huge"}, "k_ats": {"huge"}, "area": {"huge"}}),
    Example(ts.magnetocapacitance, {"T": T3, "frequency": 1e3, "field": [1.0], "sample": ATS, "k_ats": 1e10,
                                    "area": 1e-18, "charge": 2.0, "field_angle": 0.0, "n_theta": 2, "seed": 1,
                                    "chunk": None, "progress": False},
            valid={"field": ANY_REAL, "charge": {"negative", "huge"}, "field_angle": {"zero"},
                   "seed": {"none", "zero", "huge"}, "chunk": {"none", "huge"}, "progress": {"none", "bool"},
                   "T": {"huge"}, "frequency": {"huge"}, "k_ats": {"huge"}, "area": {"huge"}}),
]
