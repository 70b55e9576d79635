"""Valid calls of the echo functions on the face (tunnelsim.response.echo*, for tests/test_property.py).

One cheap call per public function of the ``_export("response.echo...")`` lines of tunnelsim/__init__.py. The
result containers (EchoProtocol, EchoSample, EchoData) hold what the functions computed and are not called here.
"""

import numpy as np
from property_engine import Example

import tunnelsim as ts

E = [0.03, -0.01, -0.02]
DIP = [0.0, 1.0, -1.0]
SEQ = {"frequency": 6.3e8, "rabi": 2e7, "tau": 1e-7, "pulses": (2e-8, 4e-8), "temperature": 0.05,
       "t1_relax": None, "t2_relax": None}
SAMPLE = ts.sample_echo(2000, 1, frequency=1e9, band=8e6)
PROTO = ts.echo_protocol(frequency=1e9, rabi=2e6, tau=3e-6, pulses=(2.5e-7, 5e-7), temperature=0.01)
ANY_REAL = {"negative", "zero", "huge"}
_RELAX = {"none", "huge"}  # no damping / a T1, T2 far longer than the sequence
_SWEEP = {"n": 2000, "seed": 1, "frequency": 1e9, "rabi": 2e6, "pulses": None, "temperature": 0.01, "band": None,
          "area": 1e-18, "charge": 2.0, "d_min": None, "d0_min": 20.0, "d0_max": 200.0, "field_angle": 0.0,
          "t1_relax": None, "t2_relax": None, "executor": None, "path": None, "progress": False}
_SWEEP_VALID = {"pulses": {"none"}, "band": {"none", "huge"}, "d_min": {"none"}, "t1_relax": _RELAX,
                "t2_relax": _RELAX, "charge": {"negative", "huge"}, "field_angle": {"zero"},
                "progress": {"none", "bool"}, "seed": {"zero"}, "frequency": {"huge"}, "temperature": {"huge"},
                "area": {"huge"},
                "d0_max": {"huge"}}

EXAMPLES = [
    Example(ts.echo_protocol, dict(SEQ, cycle=True), valid={"t1_relax": _RELAX, "t2_relax": _RELAX, "cycle": {"bool"},
                                                           "tau": {"huge"}, "frequency": {"huge"},
                                                           "temperature": {"huge"}, "rabi": {"huge"}}),
    Example(ts.echo_single, dict(SEQ, energies=E, d0=1.0, dipole=DIP, phi=0.001, cycle=True, frame="rotating"),
            valid={"phi": ANY_REAL, "t1_relax": _RELAX, "t2_relax": _RELAX, "tau": {"huge"}, "frequency": {"huge"},
                   "cycle": {"bool"},
                   "temperature": {"huge"}, "d0": {"huge"}, "dipole": {"zero", "negative", "huge"}}),
    Example(ts.echo_density, dict(SEQ, energies=E, d0=1.0, dipole=DIP, phi=0.001, frame="rotating"),
            valid={"phi": ANY_REAL, "t1_relax": _RELAX, "t2_relax": _RELAX, "tau": {"huge"}, "frequency": {"huge"},
                   "cycle": {"bool"},
                   "temperature": {"huge"}, "d0": {"huge"}, "dipole": {"zero", "negative", "huge"}}),
    Example(ts.echo_amplitudes, dict(SEQ, energies=[E, E], d0=[1.0, 2.0], dipole=[DIP, DIP], phi=[0.0, 0.01],
                                     cycle=True),
            valid={"phi": ANY_REAL, "t1_relax": _RELAX, "t2_relax": _RELAX, "tau": {"huge"}, "frequency": {"huge"},
                   "cycle": {"bool"},
                   "temperature": {"huge"}, "d0": {"huge"}, "dipole": {"zero", "negative", "huge"},
                   "rabi": {"huge"}}),
    Example(ts.sample_echo, {"n": 100, "seed": 1, "frequency": 1e9, "band": 8e6, "d_min": None, "d0_min": 20.0,
                             "d0_max": 200.0, "field_angle": 0.0},
            valid={"seed": {"none", "zero", "huge"}, "d_min": {"none"}, "field_angle": {"zero"},
                   "frequency": {"huge"}, "d0_max": {"huge"}}),
    Example(ts.echo_ensemble, {"sample": SAMPLE, "field": 0.3, "proto": PROTO, "band": 8e6, "area": 1e-18,
                               "charge": 2.0},
            valid={"field": ANY_REAL, "charge": {"negative", "huge"}, "band": {"huge"}, "area": {"huge"}}),
    Example(ts.echo_sweep, dict(_SWEEP, fields=[0.3], taus=[3e-6]), valid=dict(_SWEEP_VALID, fields={"empty", "zero"},
                                                                             taus={"huge"}),
            skip={"executor", "path"}, why="executors and sweep files are tested in tests/test_floor_sweep.py"),
    Example(ts.echo_vs_field, dict(_SWEEP, fields=[0.3], tau=3e-6), valid=dict(_SWEEP_VALID, fields={"empty", "zero"},
                                                                              tau={"huge"}),
            skip={"executor", "path"}, why="executors and sweep files are tested in tests/test_floor_sweep.py"),
    Example(ts.echo_vs_tau, dict(_SWEEP, taus=[3e-6], field=0.3), valid=dict(_SWEEP_VALID, field={"zero", "huge"},
                                                                            taus={"huge"}),
            skip={"executor", "path"}, why="executors and sweep files are tested in tests/test_floor_sweep.py"),
]

assert np.isfinite(abs(ts.echo_single(E, 1.0, DIP, **SEQ)))
