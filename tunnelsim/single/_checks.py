"""Validation of the single-system parameters shared by the 3LS and 4LS modules."""

from __future__ import annotations

import numpy as np

from tunnelsim.validation import as_real_array, as_real_scalar, check_sum_zero


def well_energies(energies, n_wells: int) -> np.ndarray:
    """Check n_wells finite well energies that sum to zero (docs/theory.md sec. 1)."""
    e = as_real_array(energies, "energies")
    if e.shape != (n_wells,):
        raise ValueError(f"energies must hold {n_wells} well energies (shape ({n_wells},)), got shape {e.shape}")
    check_sum_zero(e, "energies")
    return e


def hopping(value, name: str, allow_negative: bool) -> float:
    """Check a hopping energy: > 0 by the model's convention unless explicitly allowed."""
    v = as_real_scalar(value, name)
    if not allow_negative and v <= 0:
        raise ValueError(
            f"{name} must be > 0 (the model's convention: positive hopping makes the symmetric ground state "
            f"of the triangle doubly degenerate); got {v:g}. Pass allow_negative_hopping=True to study {name} <= 0"
        )
    return v


def flux(phi) -> np.ndarray:
    """Check the Aharonov-Bohm phase (scalar or 1-D array, radians)."""
    ph = as_real_array(phi, "phi")
    if ph.ndim > 1:
        raise ValueError(f"phi must be a number or a 1-D array of phases, got shape {ph.shape}")
    return ph
