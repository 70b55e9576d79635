"""Physical constants and unit conversions (energies in kelvin, k_B = 1).

All values come from :mod:`scipy.constants` (CODATA); see docs/theory.md section 0.
"""

from __future__ import annotations

import numpy as np
from scipy import constants as _c

from .validation import as_real_array

__all__ = [
    "K_B",
    "H_PLANCK",
    "HBAR",
    "E_CHARGE",
    "FLUX_QUANTUM",
    "KELVIN_PER_HZ",
    "frequency_to_kelvin",
    "flux_phase",
]

K_B: float = _c.k  #: Boltzmann constant, J/K
H_PLANCK: float = _c.h  #: Planck constant, J s
HBAR: float = _c.hbar  #: reduced Planck constant, J s
E_CHARGE: float = _c.e  #: elementary charge, C
FLUX_QUANTUM: float = _c.h / _c.e  #: h/e in Wb (4.135667e-15), the flux quantum of a charge e
KELVIN_PER_HZ: float = _c.h / _c.k  #: hbar*omega/k_B per hertz of f = omega/2pi: 4.799243e-11 K/Hz


def frequency_to_kelvin(frequency):
    """Energy hbar*omega/k_B in kelvin of a frequency f = omega/(2 pi) in hertz.

    Implements E = h f / k_B (docs/theory.md, sec. 0).

    Parameters
    ----------
    frequency : float or array_like
        Frequency in Hz.

    Returns
    -------
    float or numpy.ndarray
        Energy in K.

    Examples
    --------
    >>> print(f'{frequency_to_kelvin(1e9):.6e}')  # h f / k_B at 1 GHz
    4.799243e-02
    >>> print(f'{frequency_to_kelvin(20.836619e9):.5f}')  # ~1 K
    1.00000
    """
    f = as_real_array(frequency, "frequency")
    out = f * KELVIN_PER_HZ
    return float(out) if out.ndim == 0 else out


def flux_phase(field, area, theta=0.0, charge=1.0):
    """Aharonov-Bohm phase phi = 2 pi B S cos(theta) / Phi_0 with Phi_0 = h/|Q|.

    Implements docs/theory.md sec. 0.

    Parameters
    ----------
    field : float or array_like
        Magnetic field B in tesla.
    area : float
        Flux-threaded area S of the tunneling path in m^2.
    theta : float or array_like
        Angle between the field and the normal of the tunneling loop, in radians.
    charge : float
        Tunneling charge Q in units of the elementary charge e.

    Returns
    -------
    float or numpy.ndarray
        The dimensionless phase phi (radians).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.constants import e, h
    >>> print(round(flux_phase(1.0, h / e) / (2 * np.pi), 12))  # one flux quantum through the loop
    1.0
    >>> print(round(flux_phase(1.0, h / e, theta=np.pi / 2), 12) + 0.0)  # field in the loop's plane
    0.0
    >>> print(round(flux_phase(1.0, h / e, charge=2) / np.pi, 12))  # a pair: Phi_0 = h/2e
    4.0
    """
    b = as_real_array(field, "field")
    s = as_real_array(area, "area")
    th = as_real_array(theta, "theta")
    q = as_real_array(charge, "charge")
    if np.any(q == 0):
        raise ValueError("charge must be non-zero: a neutral particle feels no Aharonov-Bohm phase")
    with np.errstate(over="ignore", invalid="ignore"):
        out = 2 * np.pi * b * s * np.cos(th) * np.abs(q) / FLUX_QUANTUM
    if not np.all(np.isfinite(out)):
        raise ValueError("field, area and charge give an Aharonov-Bohm phase that overflows double precision")
    return float(out) if np.ndim(out) == 0 else out
