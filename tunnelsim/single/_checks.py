"""Validation of the single-system parameters shared by the 2LS, 3LS and 4LS modules (docs/theory.md sec. 0)."""

from __future__ import annotations

import numpy as np

from tunnelsim.validation import as_real_array, as_real_scalar, check_bool, check_sum_zero


def well_energies(energies, n_wells: int, *, ensemble: bool = False) -> np.ndarray:
    """Check n_wells finite well energies that sum to zero (docs/theory.md sec. 0), in K.

    With ``ensemble=True`` an array of shape (N, n_wells), one system per row, is accepted too.
    """
    e = as_real_array(energies, "energies")
    if not (e.shape == (n_wells,) or (ensemble and e.ndim == 2 and e.shape[1] == n_wells)):
        want = f"shape ({n_wells},)" + (f" or (N, {n_wells}), one system per row" if ensemble else "")
        raise ValueError(f"energies must hold {n_wells} well energies ({want}), got shape {e.shape}")
    check_sum_zero(e, "energies", axis=-1)
    return e


def hopping(value, name: str, allow_negative: bool, *, ensemble: bool = False):
    """Check a hopping energy in K: > 0 by the model's convention unless explicitly allowed.

    Returns a float, or with ``ensemble=True`` a float or a 1-D array (one hopping per system).
    """
    allow_negative = check_bool(allow_negative, "allow_negative_hopping")
    if ensemble:
        v = as_real_array(value, name)
        if v.ndim > 1:
            raise ValueError(f"{name} must be a number or a 1-D array (one per system), got shape {v.shape}")
        v = float(v) if v.ndim == 0 else v
    else:
        v = as_real_scalar(value, name)
    if not allow_negative and np.any(np.asarray(v) <= 0):
        bad = float(np.asarray(v)[np.asarray(v) <= 0].flat[0])
        raise ValueError(
            f"{name} must be > 0 (the model's convention: positive hopping makes the symmetric ground state "
            f"of the triangle doubly degenerate); got {bad:g}. Pass allow_negative_hopping=True to study {name} <= 0"
        )
    return v


def flux(phi) -> np.ndarray:
    """Check the Aharonov-Bohm phase (scalar or 1-D array, radians)."""
    ph = as_real_array(phi, "phi")
    if ph.ndim > 1:
        raise ValueError(f"phi must be a number or a 1-D array of phases, got shape {ph.shape}")
    return ph


def systems_shape(energies: np.ndarray, d0, phi: np.ndarray) -> tuple[int, ...]:
    """The common shape of an ensemble: rows of ``energies``, entries of ``d0`` and of ``phi`` broadcast.

    Raises a ValueError naming the three shapes when they do not broadcast (no silent mismatch).
    """
    shapes = (energies.shape[:-1], np.shape(d0), np.shape(phi))
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError(f"energies (rows), d0 and phi must have matching lengths (one per system or a single "
                         f"value), got shapes {shapes[0]}, {shapes[1]} and {shapes[2]}") from None
