"""One result family for spectra versus a parameter (shared floor; scqubits' SpectrumData is the model).

A :class:`SpectrumData` holds the parameter values, the levels, optionally the eigenstates and the
matrix elements of named operators (a dipole, sigma_z of a site, well projectors) between them. It
prints concisely, plots itself (``plot`` returns ``(fig, ax)``), converts to pandas / xarray and
saves to / loads from ``.npz``. Single systems (:mod:`tunnelsim.single.spectra`), clusters
(``ClusterBase.spectrum_vs`` of :mod:`clusters.models`), size sweeps and coherent comparisons all
return it. :func:`spectrum_of_stack` builds one from a stack of Hermitian matrices by batched LAPACK
(exact at any parameter, unlike closed forms near degeneracies).

File formats: ``.npz`` (numpy's zip of arrays; :meth:`SpectrumData.save` / :func:`load_spectrum`) needs
nothing beyond numpy and stores complex states losslessly; netCDF (:meth:`SpectrumData.to_netcdf` /
:func:`load_spectrum_netcdf`, through xarray) stores complex arrays as ``<name>_real`` / ``<name>_imag`` pairs,
since netCDF has no complex type; CSV (:meth:`SpectrumData.to_csv` / :meth:`SpectrumData.from_csv`) holds the
levels only (with ``with_metadata=True`` also the unit, label and metadata in a JSON comment line). Two
results compare equal (``==``) when every field is the same, arrays exactly (NaN padding equal to NaN padding).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .files import atomic_write, load_npz_checked, write_bytes_atomic, write_table
from .memory import check_memory
from .spectrum_files import checked_metadata as _checked_metadata
from .spectrum_files import read_levels_csv
from .validation import _numeric_source, as_complex_array, as_real_array, check_bool

__all__ = ["SpectrumData", "spectrum_of_stack", "load_spectrum", "load_spectrum_netcdf"]

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
        for name in ("parameter", "unit", "label"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"SpectrumData: {name} must be a string, got {type(getattr(self, name)).__name__}")
        if not self.parameter.strip():
            raise ValueError("SpectrumData: parameter must name the swept parameter (e.g. 'phi'), got ''")
        self.metadata = _checked_metadata(self.metadata)
        self.values = as_real_array(self.values, "values", ndim=1, allow_empty=True)
        e = np.array(_numeric_source(self.energies, "energies"), dtype=float)
        if e.ndim != 2 or e.shape[0] != self.values.size:
            raise ValueError(f"energies must have shape ({self.values.size}, n_levels) to match the values, "
                             f"got {e.shape}")
        if np.any(np.isinf(e)):
            raise ValueError("energies must be finite (NaN only pads rows with fewer levels), got an infinity")
        steps = np.diff(e, axis=1)
        tol = 1e-12 * max(1.0, float(np.nanmax(np.abs(e)))) if e.size and not np.all(np.isnan(e)) else 0.0
        if np.any(steps < -tol):  # roundoff between degenerate closed-form levels is not a misordering
            row = int(np.argwhere(steps < -tol)[0, 0])
            raise ValueError(f"energies must ascend in each row; row {row} ({self.parameter} = "
                             f"{self.values[row]:.6g}) does not")
        self.energies = e
        n_levels = e.shape[1]
        if self.states is not None:
            s = np.array(_numeric_source(self.states, "states", complex_ok=True))
            if s.ndim != 3 or s.shape[0] != self.values.size or s.shape[2] != n_levels:
                raise ValueError(f"states must have shape ({self.values.size}, dim, {n_levels}), got {s.shape}")
            self.states = s
        if not isinstance(self.matrix_elements, Mapping):
            raise TypeError(f"matrix_elements must be a dict of operator names to arrays, got "
                            f"{type(self.matrix_elements).__name__}")
        mes = {}
        for name, m in self.matrix_elements.items():
            if not isinstance(name, str) or not name:
                raise TypeError(f"matrix_elements keys must be operator names (non-empty strings), got {name!r}")
            m = np.array(_numeric_source(m, f"matrix_elements[{name!r}]", complex_ok=True))
            if m.shape != (self.values.size, n_levels, n_levels):
                raise ValueError(f"matrix_elements[{name!r}] must have shape ({self.values.size}, {n_levels}, "
                                 f"{n_levels}), got {m.shape}")
            mes[name] = m
        self.matrix_elements = mes

    def __eq__(self, other: object) -> bool:
        """Value equality: the same fields, arrays equal element by element (NaN padding equal)."""
        if not isinstance(other, SpectrumData):
            return NotImplemented
        if (self.parameter, self.unit, self.label, self.metadata) != (other.parameter, other.unit, other.label,
                                                                      other.metadata):
            return False
        if set(self.matrix_elements) != set(other.matrix_elements) or (self.states is None) != (other.states is None):
            return False
        pairs = [(self.values, other.values), (self.energies, other.energies)]
        pairs += [(self.matrix_elements[k], other.matrix_elements[k]) for k in self.matrix_elements]
        if self.states is not None:
            pairs.append((self.states, other.states))
        return all(a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True)) for a, b in pairs)

    __hash__ = None  # mutable, compared by value

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
        label = f"{self.label[:60]}{'...' if len(self.label) > 60 else ''}: " if self.label else ""
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
        fig, ax = plt.subplots(figsize=(5.5, 3.8), layout="constrained") if ax is None else (ax.figure, ax)
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

    def to_xarray(self, *, split_complex: bool = True):
        """An xarray Dataset with dims (parameter, level[, level_j, basis]) and the metadata as attributes.

        Parameters
        ----------
        split_complex : bool
            Store complex states / matrix elements as ``<name>_real`` and ``<name>_imag`` (netCDF has no
            complex type, so the Dataset writes with ``to_netcdf()`` on any engine); False keeps them complex.
            :meth:`from_xarray` reads both forms.
        """
        xr = _xarray("to_xarray")
        split = check_bool(split_complex, "split_complex")
        p = self.parameter
        data = {"energies": ((p, "level"), self.energies, {"units": "K"})}
        arrays = {f"me_{name}": ((p, "level", "level_j"), m) for name, m in self.matrix_elements.items()}
        if self.states is not None:
            arrays["states"] = ((p, "basis", "level"), self.states)
        for key, (dims, arr) in arrays.items():
            if split and np.iscomplexobj(arr):
                data[f"{key}_real"], data[f"{key}_imag"] = (dims, arr.real), (dims, arr.imag)
            else:
                data[key] = (dims, arr)
        attrs = {"format": _FORMAT, "parameter": p, "unit": self.unit, "label": self.label,
                 "metadata": json.dumps(self.metadata), "matrix_elements": json.dumps(list(self.matrix_elements))}
        return xr.Dataset(data, coords={p: (p, self.values, {"units": self.unit}),
                                        "level": np.arange(self.n_levels)}, attrs=attrs)

    @classmethod
    def from_xarray(cls, ds) -> SpectrumData:
        """The SpectrumData of a Dataset made by :meth:`to_xarray` (complex arrays whole or split)."""
        attrs = getattr(ds, "attrs", None)
        if not isinstance(attrs, Mapping) or attrs.get("format") != _FORMAT:
            raise ValueError(f"ds must be an xarray Dataset made by SpectrumData.to_xarray (attribute format = "
                             f"{_FORMAT!r}), got {type(ds).__name__}")

        def get(key):
            if key in ds:
                return np.asarray(ds[key].values)
            if f"{key}_real" in ds:
                return np.asarray(ds[f"{key}_real"].values) + 1j * np.asarray(ds[f"{key}_imag"].values)
            return None

        names = json.loads(attrs["matrix_elements"])
        return cls(attrs["parameter"], np.asarray(ds[attrs["parameter"]].values), get("energies"),
                   unit=attrs["unit"], label=attrs["label"], metadata=json.loads(attrs["metadata"]),
                   states=get("states"), matrix_elements={n: get(f"me_{n}") for n in names})

    def to_netcdf(self, path: str | os.PathLike) -> Path:
        """Write the :meth:`to_xarray` Dataset (complex arrays split) as netCDF, atomically; returns the path.

        :func:`load_spectrum_netcdf` reads it back.
        """
        return write_bytes_atomic(path, bytes(self.to_xarray().to_netcdf()))

    def to_csv(self, path: str | os.PathLike, *, with_metadata: bool = False) -> Path:
        """Write the parameter column and one column per level (K) atomically (:meth:`from_csv` reads it).

        Parameters
        ----------
        path : path-like
            The file.
        with_metadata : bool
            Start with a ``#`` comment line holding the unit, label and metadata as JSON, so that
            :meth:`from_csv` restores them (``pandas.read_csv(path, comment="#")`` skips it). Default: a plain
            table any CSV reader opens. States and matrix elements are never written (use :meth:`save` or
            :meth:`to_netcdf`).
        """
        rows = [[float(v), *map(float, e)] for v, e in zip(self.values, self.energies)]
        head = json.dumps({"format": _FORMAT, "unit": self.unit, "label": self.label, "metadata": self.metadata})
        return write_table(path, [self.parameter] + [f"E{k}_K" for k in range(self.n_levels)], rows,
                           float_format=".17g", comment=head if check_bool(with_metadata, "with_metadata") else "")

    @classmethod
    def from_csv(cls, path: str | os.PathLike, *, unit: str | None = None, label: str | None = None) -> SpectrumData:
        """Read a CSV file written by :meth:`to_csv` (or any file with a parameter column and E0_K, E1_K, ...).

        Parameters
        ----------
        path : path-like
            The file.
        unit, label : str, optional
            Override what the file's JSON comment line says.
        """
        header, head, arr = read_levels_csv(path)
        return cls(header[0], arr[:, 0], arr[:, 1:], unit=head.get("unit", "") if unit is None else unit,
                   label=head.get("label", "") if label is None else label, metadata=head.get("metadata", {}))

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


def _xarray(what: str):
    try:
        import xarray as xr
    except ImportError as exc:  # pragma: no cover - xarray is a dev/data dependency
        raise ImportError(f"{what} needs xarray: pip install 'tunnelsim[data]'") from exc
    return xr


def load_spectrum_netcdf(path: str | os.PathLike) -> SpectrumData:
    """Read a :class:`SpectrumData` written by :meth:`SpectrumData.to_netcdf` (netCDF through xarray)."""
    from .files import regular_file

    xr = _xarray("load_spectrum_netcdf")
    with xr.open_dataset(regular_file(path, "path")) as ds:
        return SpectrumData.from_xarray(ds.load())


def load_spectrum(path: str | os.PathLike) -> SpectrumData:
    """Read a :class:`SpectrumData` saved with :meth:`SpectrumData.save` (``.npz``).

    The file is untrusted: it must be a regular file, each array's declared size is checked against the
    memory budget before anything is allocated (:func:`tunnelsim.files.load_npz_checked`), pickles are
    refused and the header is validated; a damaged file gives a ``ValueError`` naming it.
    """
    arrays = load_npz_checked(path, "path")
    header = _spectrum_header(arrays, path)
    try:
        mes = {name: arrays[f"me_{i}"] for i, name in enumerate(header["matrix_elements"])}
        values, energies = arrays["values"], arrays["energies"]
    except KeyError as exc:
        raise ValueError(f"{os.fspath(path)} is damaged: the array {exc.args[0]!r} is missing") from None
    return SpectrumData(header["parameter"], values, energies, unit=header["unit"], label=header["label"],
                        metadata=header["metadata"], states=arrays.get("states"), matrix_elements=mes)


def _spectrum_header(arrays: Mapping[str, np.ndarray], path: str | os.PathLike) -> dict:
    """The validated JSON header of a spectrum file (a ValueError naming the file when it is damaged)."""
    where = os.fspath(path)
    raw = arrays.get("header")
    if raw is None:
        raise ValueError(f"{where} is not a tunnelsim spectrum file (no header)")
    if raw.ndim != 0 or raw.dtype.kind != "U":
        raise ValueError(f"{where} is damaged: its header must be one text value, got dtype {raw.dtype}")
    try:
        header = json.loads(str(raw))
    except (ValueError, RecursionError):
        raise ValueError(f"{where} is damaged: its header is not valid JSON") from None
    if not isinstance(header, dict):
        raise ValueError(f"{where} is damaged: its header must be a JSON object")
    if header.get("format") != _FORMAT:
        raise ValueError(f"{where} has format {header.get('format')!r}, expected {_FORMAT!r}")
    for key, kind in (("parameter", str), ("unit", str), ("label", str), ("metadata", dict),
                      ("matrix_elements", list)):
        if not isinstance(header.get(key), kind):
            raise ValueError(f"{where} is damaged: header entry {key!r} must be a {kind.__name__}, got "
                             f"{type(header.get(key)).__name__}")
    if not all(isinstance(n, str) for n in header["matrix_elements"]):
        raise ValueError(f"{where} is damaged: header entry 'matrix_elements' must list names")
    return header


def _check_stack_memory(shape: tuple[int, ...], complex_: bool, vectors: bool, n_ops: int) -> None:
    """Estimate the peak memory of :func:`spectrum_of_stack` from the stack's shape, before any copy."""
    if len(shape) != 3:
        return
    m, d = shape[0], shape[1]
    per = float(m) * d * d * (16 if complex_ else 8)
    # the copy, the Hermiticity check (transpose, difference, mask), eigenvectors and LAPACK work, each operator
    needed = per * (4 + (2 if vectors else 0)) + per * 2 * n_ops
    check_memory(needed, f"the spectra of {m} matrices of size {d} x {d}",
                 hint="split the stack into parts (e.g. fewer parameter values per call)")


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
    keep = check_bool(keep_states, "keep_states")
    if operators is not None and not isinstance(operators, Mapping):
        raise TypeError(f"operators must be a mapping of names to matrices, got {type(operators).__name__}")
    n_ops = len(operators or {})
    if isinstance(matrices, np.ndarray):  # estimate before the copy
        _check_stack_memory(matrices.shape, matrices.dtype.kind == "c", keep or n_ops > 0, n_ops)
    h = as_complex_array(matrices, "matrices", ndim=3, keep_real=True)
    _check_stack_memory(h.shape, np.iscomplexobj(h), keep or n_ops > 0, n_ops)
    if h.shape[0] != vals.size or h.shape[1] != h.shape[2]:
        raise ValueError(f"matrices must have shape ({vals.size}, d, d), got {h.shape}")
    if not np.allclose(h, np.conj(np.swapaxes(h, 1, 2)), atol=1e-12 * max(1.0, float(np.max(np.abs(h))))):
        raise ValueError("matrices must be Hermitian")
    if np.iscomplexobj(h) and np.all(h.imag == 0):
        h = h.real
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
