"""One result family for spectra versus a parameter (shared floor; scqubits' SpectrumData is the model).

A :class:`SpectrumData` holds the parameter values, the levels, optionally the eigenstates and the
matrix elements of named operators (a dipole, sigma_z of a site, well projectors) between them. It
prints concisely, plots itself (``plot`` returns ``(fig, ax)``), converts to pandas / xarray and
saves to / loads from ``.npz``. Single systems, clusters, size sweeps and coherent comparisons all
return it. :func:`spectrum_of_stack` builds one from a stack of Hermitian matrices by batched LAPACK
(exact at any parameter, unlike closed forms near degeneracies).

File format: ``.npz`` (numpy's zip of arrays). It needs nothing beyond numpy, stores complex states
losslessly, and opens anywhere with :func:`numpy.load`; xarray users convert with
:meth:`SpectrumData.to_xarray` and write netCDF themselves if they wish.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .files import atomic_write, write_table
from .validation import as_complex_array, as_real_array, check_bool

__all__ = ["SpectrumData", "spectrum_of_stack", "load_spectrum"]

_FORMAT = "tunnelsim.SpectrumData/1"


@dataclass
class SpectrumData:
    """Levels (and optionally states and matrix elements) of a system versus one parameter.

    Attributes
    ----------
    parameter : str
        Name of the swept parameter (``"phi"``, ``"B"``, ``"N"``, ...).
    values : numpy.ndarray, shape (M,)
        Parameter values.
    energies : numpy.ndarray, shape (M, n)
        Levels in K, ascending in each row (NaN where a row has fewer levels, e.g. small N).
    unit : str
        Unit of the parameter ("rad", "T", "" ...).
    label : str
        Description of the system (titles, legends).
    metadata : dict
        The fixed parameters.
    states : numpy.ndarray or None, shape (M, dim, n)
        Eigenvectors as columns, when kept.
    matrix_elements : dict of str to numpy.ndarray, shape (M, n, n)
        <i|O|j> between the eigenstates for each named operator O.
    """

    parameter: str
    values: np.ndarray
    energies: np.ndarray
    unit: str = ""
    label: str = ""
    metadata: dict = field(default_factory=dict)
    states: np.ndarray | None = None
    matrix_elements: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.values = as_real_array(self.values, "values", ndim=1)
        e = np.asarray(self.energies, dtype=float)
        if e.ndim != 2 or e.shape[0] != self.values.size:
            raise ValueError(f"energies must have shape ({self.values.size}, n_levels) to match the values, "
                             f"got {e.shape}")
        self.energies = e
        n_levels = e.shape[1]
        if self.states is not None:
            s = np.asarray(self.states)
            if s.ndim != 3 or s.shape[0] != self.values.size or s.shape[2] != n_levels:
                raise ValueError(f"states must have shape ({self.values.size}, dim, {n_levels}), got {s.shape}")
            self.states = s
        for name, m in self.matrix_elements.items():
            m = np.asarray(m)
            if m.shape != (self.values.size, n_levels, n_levels):
                raise ValueError(f"matrix_elements[{name!r}] must have shape ({self.values.size}, {n_levels}, "
                                 f"{n_levels}), got {m.shape}")
            self.matrix_elements[name] = m

    # ------------------------------------------------------------------------------------ views
    @property
    def n_levels(self) -> int:
        """Number of levels per parameter value."""
        return self.energies.shape[1]

    def __len__(self) -> int:
        return self.values.size

    def __repr__(self) -> str:
        lo, hi = (float(self.values.min()), float(self.values.max())) if self.values.size else (math.nan, math.nan)
        extra = []
        if self.states is not None:
            extra.append(f"states dim {self.states.shape[1]}")
        if self.matrix_elements:
            extra.append("matrix elements " + ", ".join(self.matrix_elements))
        tail = f"; {'; '.join(extra)}" if extra else ""
        label = f"{self.label}: " if self.label else ""
        return (f"SpectrumData({label}{self.n_levels} levels at {len(self)} values of {self.parameter} in "
                f"[{lo:.4g}, {hi:.4g}] {self.unit}{tail})").replace(" )", ")")

    def relative_to_ground(self) -> np.ndarray:
        """Levels minus the ground level at each parameter value, shape (M, n), K."""
        return self.energies - self.energies[:, :1]

    def gaps(self) -> np.ndarray:
        """Spacings between consecutive levels, shape (M, n - 1), K."""
        return np.diff(self.energies, axis=1)

    def transition_strengths(self, name: str, initial: int = 0) -> np.ndarray:
        """|<initial|O|j>|^2 for every level j, shape (M, n) (operator ``name`` of :attr:`matrix_elements`)."""
        if name not in self.matrix_elements:
            known = ", ".join(self.matrix_elements) or "none"
            raise KeyError(f"no matrix elements named {name!r} (known: {known})")
        return np.abs(self.matrix_elements[name][:, initial, :]) ** 2

    # ------------------------------------------------------------------------------------ plots
    def axis_label(self, xscale: float = 1.0) -> str:
        """The x-axis label for values divided by ``xscale`` (2 pi on a phase reads "flux quanta")."""
        if xscale == 1.0:
            return f"{self.parameter} ({self.unit})" if self.unit else self.parameter
        if math.isclose(xscale, 2 * math.pi) and self.unit == "rad":
            return f"{self.parameter} / 2π (flux quanta)"
        return f"{self.parameter} / {xscale:.4g}" + (f" {self.unit}" if self.unit else "")

    def plot(self, ax=None, *, relative: bool = False, scale: float = 1.0, xscale: float = 1.0,
             xlabel: str | None = None, levels: int | None = None, **line_kwargs):
        """Levels versus the parameter; returns ``(fig, ax)``.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw (a new figure if omitted).
        relative : bool
            Plot E - E0.
        scale : float
            Energies divided by ``scale`` (e.g. a hopping); the y label says so.
        xscale : float
            Parameter values divided by ``xscale`` (2 pi: phases in flux quanta); the x label says so.
        xlabel : str, optional
            Overrides the x label.
        levels : int, optional
            Draw only the lowest ``levels``.
        """
        import matplotlib.pyplot as plt

        relative = check_bool(relative, "relative")
        fig, ax = plt.subplots(figsize=(5.5, 3.8)) if ax is None else (ax.figure, ax)
        y = (self.relative_to_ground() if relative else self.energies)[:, :levels] / scale
        ax.plot(self.values / xscale, y, **line_kwargs)
        ax.set_xlabel(xlabel if xlabel is not None else self.axis_label(xscale))
        unit = "K" if scale == 1.0 else f"units of {scale:g} K"
        ax.set_ylabel(("E - E$_0$" if relative else "E") + f" ({unit})")
        if self.label:
            ax.set_title(self.label, fontsize=10)
        return fig, ax

    # ------------------------------------------------------------------------------- conversions
    def to_dataframe(self):
        """A pandas DataFrame: the parameter column, then one column per level (E0_K, E1_K, ...)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - pandas is a dev/data dependency
            raise ImportError("to_dataframe needs pandas: pip install 'tunnelsim[data]'") from exc
        data = {self.parameter: self.values}
        data.update({f"E{k}_K": self.energies[:, k] for k in range(self.n_levels)})
        return pd.DataFrame(data)

    def to_xarray(self):
        """An xarray Dataset with dims (parameter, level[, level_j, basis]) and the metadata as attributes."""
        try:
            import xarray as xr
        except ImportError as exc:  # pragma: no cover - xarray is a dev/data dependency
            raise ImportError("to_xarray needs xarray: pip install 'tunnelsim[data]'") from exc
        p = self.parameter
        data = {"energies": ((p, "level"), self.energies, {"units": "K"})}
        for name, m in self.matrix_elements.items():
            data[f"me_{name}"] = ((p, "level", "level_j"), m)
        if self.states is not None:
            data["states"] = ((p, "basis", "level"), self.states)
        attrs = {"label": self.label, "metadata": json.dumps(self.metadata, default=str)}
        return xr.Dataset(data, coords={p: (p, self.values, {"units": self.unit}),
                                        "level": np.arange(self.n_levels)}, attrs=attrs)

    def to_csv(self, path: str | os.PathLike) -> Path:
        """Write the parameter column and one column per level (K) atomically."""
        rows = [[float(v), *map(float, e)] for v, e in zip(self.values, self.energies)]
        return write_table(path, [self.parameter] + [f"E{k}_K" for k in range(self.n_levels)], rows,
                           float_format=".17g")

    def save(self, path: str | os.PathLike) -> Path:
        """Save everything to ``path`` (``.npz``) atomically; :func:`load_spectrum` reads it back."""
        path = Path(path)
        if path.suffix != ".npz":
            raise ValueError(f"path must end in .npz (numpy's archive format), got {str(path)!r}")
        header = {"format": _FORMAT, "parameter": self.parameter, "unit": self.unit, "label": self.label,
                  "metadata": self.metadata, "matrix_elements": list(self.matrix_elements)}
        arrays = {"values": self.values, "energies": self.energies,
                  "header": np.array(json.dumps(header, default=str))}
        if self.states is not None:
            arrays["states"] = self.states
        arrays.update({f"me_{i}": m for i, m in enumerate(self.matrix_elements.values())})
        with atomic_write(path, "wb") as fh:
            np.savez(fh, **arrays)
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> SpectrumData:
        """Read a file written by :meth:`save`."""
        return load_spectrum(path)


def load_spectrum(path: str | os.PathLike) -> SpectrumData:
    """Read a :class:`SpectrumData` saved with :meth:`SpectrumData.save` (``.npz``)."""
    with np.load(Path(path), allow_pickle=False) as npz:
        try:
            header = json.loads(str(npz["header"]))
        except KeyError:
            raise ValueError(f"{path} is not a tunnelsim spectrum file (no header)") from None
        if header.get("format") != _FORMAT:
            raise ValueError(f"{path} has format {header.get('format')!r}, expected {_FORMAT!r}")
        mes = {name: npz[f"me_{i}"] for i, name in enumerate(header["matrix_elements"])}
        states = npz["states"] if "states" in npz.files else None
        return SpectrumData(header["parameter"], npz["values"], npz["energies"], unit=header["unit"],
                            label=header["label"], metadata=header["metadata"], states=states, matrix_elements=mes)


def spectrum_of_stack(parameter: str, values, matrices, *, operators: Mapping[str, object] | None = None,
                      keep_states: bool = False, unit: str = "", label: str = "",
                      metadata: dict | None = None) -> SpectrumData:
    """Exact spectra of a stack of Hermitian matrices by batched LAPACK (``numpy.linalg.eigh``).

    Parameters
    ----------
    parameter : str
        Name of the swept parameter.
    values : array_like, shape (M,)
        Its values.
    matrices : array_like, shape (M, d, d)
        Hermitian matrices in K (one per value).
    operators : mapping of str to array_like, optional
        Operators O of shape (d, d) or (M, d, d); their matrix elements <i|O|j> between the
        eigenstates are stored.
    keep_states : bool
        Store the eigenvectors.
    unit, label, metadata
        As in :class:`SpectrumData`.

    Returns
    -------
    SpectrumData
    """
    vals = as_real_array(values, "values", ndim=1)
    h = as_complex_array(matrices, "matrices", ndim=3, keep_real=True)
    if h.shape[0] != vals.size or h.shape[1] != h.shape[2]:
        raise ValueError(f"matrices must have shape ({vals.size}, d, d), got {h.shape}")
    if not np.allclose(h, np.conj(np.swapaxes(h, 1, 2)), atol=1e-12 * max(1.0, float(np.max(np.abs(h))))):
        raise ValueError("matrices must be Hermitian")
    if np.iscomplexobj(h) and np.all(h.imag == 0):
        h = h.real
    keep = check_bool(keep_states, "keep_states")
    if not keep and not operators:  # levels only: LAPACK's eigenvalue-only path
        return SpectrumData(parameter, vals, np.linalg.eigvalsh(h), unit=unit, label=label,
                            metadata=dict(metadata or {}))
    e, v = np.linalg.eigh(h)
    mes = {}
    for name, op in (operators or {}).items():
        o = as_complex_array(op, f"operators[{name!r}]", keep_real=True)
        if o.shape not in ((h.shape[1],) * 2, h.shape):
            raise ValueError(f"operators[{name!r}] must have shape {h.shape[1:]} or {h.shape}, got {o.shape}")
        mes[name] = np.conj(np.swapaxes(v, 1, 2)) @ o @ v
    return SpectrumData(parameter, vals, e, unit=unit, label=label, metadata=dict(metadata or {}),
                        states=v if keep else None, matrix_elements=mes)
