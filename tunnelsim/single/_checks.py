"""Validation of the single-system parameters shared by the 2LS, 3LS and 4LS modules (docs/theory.md sec. 0)."""

from __future__ import annotations

import numpy as np

from tunnelsim.validation import as_real_array, as_real_scalar, check_bool, check_sum_zero

#: Largest magnitude of a well energy or hopping, K: the closed forms raise them to the 12th power (the
#: 4LS resolvent cubic's discriminant), which must stay below float64's 1.8e308.
MAX_ENERGY = 1e20


def check_scale(v, name: str) -> None:
    """Refuse energies beyond :data:`MAX_ENERGY` K in magnitude (naming ``name``)."""
    big = np.abs(np.asarray(v)) > MAX_ENERGY
    if np.any(big):
        raise ValueError(f"{name} must be at most {MAX_ENERGY:g} K in magnitude (larger values overflow the "
                         f"characteristic polynomials), got {float(np.asarray(v)[big].flat[0]):g}")


def well_energies(energies, n_wells: int, *, ensemble: bool = False) -> np.ndarray:
    """Check n_wells finite well energies that sum to zero (docs/theory.md sec. 0), in K.

    With ``ensemble=True`` an array of shape (N, n_wells), one system per row, is accepted too.
    """
    e = as_real_array(energies, "energies")
    check_scale(e, "energies")
    if not (e.shape == (n_wells,) or (ensemble and e.ndim == 2 and e.shape[1] == n_wells)):
        want = f"shape ({n_wells},)" + (f" or (N, {n_wells}), one system per row" if ensemble else "")
        raise ValueError(f"energies must hold {n_wells} well energies ({want}), got shape {e.shape}")
    check_sum_zero(e, "energies", axis=-1)
    return e


#: Each hopping's allowed range, stated for its own model (docs/theory.md sec. 0 and sec. 1).
HOPPING_RANGES = {
    "d0": ("> 0", "the 3LS hopping: positive hopping makes the symmetric ground state of the triangle doubly "
                  "degenerate (Sussmann's trapped particle)"),
    "d1": ("> 0", "the 4LS nearest-neighbour hopping along the square's sides"),
    "d2": (">= 0", "the 4LS diagonal hopping: d2 = 0 is the plain square of the appendix, d2 > d1 its "
                   "'tetrahedral' case"),
    "hoppings": ("> 0", "the multi-well hoppings along the chosen edges: positive as for the 3LS"),
}


def hopping(value, name: str, allow_negative: bool, *, ensemble: bool = False):
    """Check a hopping energy in K against its model's range (:data:`HOPPING_RANGES`).

    ``d0``, ``d1`` and multi-well ``hoppings`` must be > 0, ``d2`` >= 0, unless ``allow_negative``
    (any real value). Returns a float, or with ``ensemble=True`` a float or a 1-D array (one hopping
    per system).
    """
    allow_negative = check_bool(allow_negative, "allow_negative_hopping")
    if ensemble:
        v = as_real_array(value, name)
        if v.ndim > 1:
            raise ValueError(f"{name} must be a number or a 1-D array (one per system), got shape {v.shape}")
        v = float(v) if v.ndim == 0 else v
    else:
        v = as_real_scalar(value, name)
    check_scale(v, name)
    rel, why = HOPPING_RANGES[name]
    bad = np.asarray(v) < 0 if rel == ">= 0" else np.asarray(v) <= 0
    if not allow_negative and np.any(bad):
        first = float(np.asarray(v)[bad].flat[0])
        raise ValueError(f"{name} must be {rel} ({why}); got {first:g}. Pass allow_negative_hopping=True to study "
                         f"other signs")
    return v


def matrix_phase(phi: np.ndarray, n_bonds: int) -> np.ndarray:
    """phi reduced to [0, 2 pi n_bonds), where n_bonds bonds share the flux (phase phi/n_bonds each).

    The Hamiltonian is exactly periodic with this period, so the closed forms and the matrix see the
    same reduced phase, and huge phases (1e17) give the same levels by both routes.
    """
    return np.remainder(phi, 2 * np.pi * n_bonds)


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
