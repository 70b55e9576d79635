"""Spectra versus one parameter, as first-class sweep objects that can plot themselves.

docs/theory.md sec. 1.4. A :class:`SpectrumSweep` holds the parameter values and the levels
(shape (len(values), n_levels)); it is produced either by exact diagonalisation of any
Hamiltonian builder (:func:`sweep_spectrum`) or by the closed forms (:func:`flux_spectrum`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import qutip
from tqdm.auto import tqdm

from tunnelsim.files import write_table
from tunnelsim.single.four_level import four_level, four_level_energies
from tunnelsim.single.three_level import three_level, three_level_energies
from tunnelsim.validation import as_real_array, check_bool, check_choice, check_same_length

__all__ = ["SpectrumSweep", "sweep_spectrum", "flux_spectrum", "parse_range"]


@dataclass
class SpectrumSweep:
    """Levels of a system versus one parameter (docs/theory.md sec. 1.4), energies in K.

    Attributes
    ----------
    parameter : str
        Name of the swept parameter (e.g. ``"phi"``).
    values : numpy.ndarray
        Parameter values, shape (M,).
    energies : numpy.ndarray
        Levels, shape (M, n), ascending in each row, K.
    label : str
        Description of the system for titles and legends.
    unit : str
        Unit of the parameter, for axis labels.
    metadata : dict
        The fixed parameters.
    """

    parameter: str
    values: np.ndarray
    energies: np.ndarray
    label: str = ""
    unit: str = ""
    metadata: dict = field(default_factory=dict)

    def relative_to_ground(self) -> np.ndarray:
        """Levels minus the ground level at each parameter value (K)."""
        return self.energies - self.energies[:, :1]

    def gaps(self) -> np.ndarray:
        """Spacings between consecutive levels, shape (M, n - 1), K."""
        return np.diff(self.energies, axis=1)

    def to_csv(self, path: str | os.PathLike) -> None:
        """Write the sweep as CSV, atomically: the parameter column, then one column per level (K).

        Every float is written in full (repr); a sweep whose ``values`` and ``energies`` rows differ
        in number is refused with a ValueError (nothing is truncated).
        """
        levels = np.asarray(self.energies, dtype=float)
        if levels.ndim != 2:
            raise ValueError(f"energies must have shape (len(values), n_levels), got shape {levels.shape}")
        check_same_length("values", self.values, "energies", levels)
        header = [self.parameter] + [f"E{i}_K" for i in range(levels.shape[1])]
        write_table(path, header, [[float(v), *map(float, row)] for v, row in zip(self.values, levels)])

    def plot(self, ax=None, *, scale: float = 1.0, xscale: float = 1.0, xlabel: str | None = None, **kwargs):
        """Draw the levels versus the parameter (see :func:`tunnelsim.single.plotting.plot_spectrum`)."""
        from tunnelsim.single.plotting import plot_spectrum

        return plot_spectrum(self, ax=ax, scale=scale, xscale=xscale, xlabel=xlabel, **kwargs)


def sweep_spectrum(
    builder: Callable[..., qutip.Qobj],
    parameter: str,
    values,
    *,
    progress: bool = False,
    label: str = "",
    unit: str = "",
    **fixed,
) -> SpectrumSweep:
    """Exact spectrum of ``builder(**fixed, parameter=value)`` for each value (dense diagonalisation).

    docs/theory.md sec. 1.4: the reference route of every closed form (levels in K).

    Parameters
    ----------
    builder : callable
        Returns a Hermitian :class:`qutip.Qobj` (e.g. :func:`tunnelsim.three_level`).
    parameter : str
        Keyword of ``builder`` to sweep.
    values : 1-D array_like
        Parameter values.
    progress : bool
        Show a progress bar.
    label, unit : str
        For plots.
    **fixed
        The other keyword arguments of ``builder``.

    Returns
    -------
    SpectrumSweep
    """
    if not callable(builder):
        raise TypeError(f"builder must be a callable returning a qutip.Qobj, got {type(builder).__name__}")
    if not isinstance(parameter, str):
        raise TypeError(f"parameter must be the name of a keyword of builder, got {type(parameter).__name__}")
    vals = as_real_array(values, "values", ndim=1)
    check_bool(progress, "progress")
    rows = []
    for v in tqdm(vals, desc=f"spectrum vs {parameter}", disable=not progress):
        h = builder(**{**fixed, parameter: float(v)})
        if not isinstance(h, qutip.Qobj) or not h.isherm:
            raise ValueError(f"builder must return a Hermitian qutip.Qobj, got {type(h).__name__}")
        rows.append(h.eigenenergies())
    return SpectrumSweep(parameter, vals, np.array(rows), label=label, unit=unit, metadata=dict(fixed))


def flux_spectrum(system: str, phi, *, method: str = "closed_form", **params) -> SpectrumSweep:
    """Spectrum of the 3LS or 4LS versus the flux phase phi.

    Parameters
    ----------
    system : {"3ls", "4ls"}
        Which system.
    phi : 1-D array_like
        Flux phases in radians.
    method : {"closed_form", "exact"}
        Viete / analytic quartic (docs/theory.md eqs. (1.5), (1.9)) or dense diagonalisation of the Qobj.
    **params
        ``energies, d0`` for the 3LS; ``energies, d1, d2, diagonal`` for the 4LS (K).

    Returns
    -------
    SpectrumSweep
        Levels in K versus phi (radians).
    """
    check_choice(system, "system", ("3ls", "4ls"))
    check_choice(method, "method", ("closed_form", "exact"))
    ph = as_real_array(phi, "phi", ndim=1)
    if system == "3ls":
        closed, builder, label = three_level_energies, three_level, "3LS"
    else:
        closed, builder, label = four_level_energies, four_level, "4LS"
    if method == "closed_form":
        levels = closed(phi=ph, **params)
        sweep = SpectrumSweep("phi", ph, levels, label=label, unit="rad", metadata=dict(params))
    else:
        sweep = sweep_spectrum(builder, "phi", ph, label=label, unit="rad", **params)
    return sweep


def parse_range(text: str) -> np.ndarray:
    """Parse ``"start:stop:num"`` (inclusive, like numpy.linspace) or a comma list into an array."""
    if not isinstance(text, str):
        raise TypeError(f"range must be a string like '0:6.28:200', got {type(text).__name__}")
    try:
        if ":" in text:
            parts = text.split(":")
            if len(parts) != 3:
                raise ValueError
            return np.linspace(float(parts[0]), float(parts[1]), int(parts[2]))
        return np.array([float(x) for x in text.split(",")])
    except ValueError:
        raise ValueError(f"could not parse {text!r}: expected 'start:stop:num' or a comma-separated list") from None
