"""CSV input of measured heat capacities and dielectric constants.

Format (docs/response.md): optional comment lines starting with '#', then a header line naming
the columns, then one row per temperature, comma separated (whitespace-separated rows, as
``numpy.savetxt`` writes by default, are read too). The header may also be the last comment line
before the data, as ``numpy.savetxt(..., header="T,C,sigma")`` writes it (``# T,C,sigma``); a UTF-8
byte-order mark is skipped. Columns:

* ``T`` (required): temperature in K, > 0;
* ``C`` (heat capacity files) or ``eps`` (dielectric files, delta eps'/eps_r): the data;
* ``sigma`` (optional): the standard error of each data point, > 0;
* ``x`` (optional): composition of each row, in [0, 1] (for global fits over compositions).

Any bad line raises :class:`DataFileError` naming the file and the line number.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tunnelsim.files import write_table
from tunnelsim.validation import (
    as_real_array,
    check_choice,
    check_positive,
    check_probability,
    check_same_length,
)

__all__ = ["DataFileError", "Dataset", "read_csv", "write_csv"]


class DataFileError(ValueError):
    """A malformed data file; the message names the file and line."""


@dataclass(frozen=True)
class Dataset:
    """Columns of a data file (arrays of equal length)."""

    T: np.ndarray
    y: np.ndarray
    sigma: np.ndarray | None
    x: np.ndarray | None
    kind: str  #: "C" or "eps"

    def split_by_x(self) -> list[tuple[float, Dataset]]:
        """One dataset per distinct composition x (requires the x column)."""
        if self.x is None:
            raise ValueError("the file has no x column")
        out = []
        for xv in np.unique(self.x):
            m = self.x == xv
            out.append((float(xv), Dataset(self.T[m], self.y[m], None if self.sigma is None
                                           else self.sigma[m], self.x[m], self.kind)))
        return out


def read_csv(path: str | os.PathLike, kind: str = "C") -> Dataset:
    """Read a CSV file with columns T, C (or T, eps), optionally sigma and x.

    Parameters
    ----------
    path : path-like
        The file.
    kind : {"C", "eps"}
        Which data column is expected.

    Returns
    -------
    Dataset

    Raises
    ------
    DataFileError
        With "<file>, line <n>: ..." for a missing header, a wrong number of fields, a
        non-numeric, NaN or infinite entry, T <= 0, sigma <= 0, x outside [0, 1], or no data.
    """
    check_choice(kind, "kind", ("C", "eps"))
    path = _path(path)
    if not path.is_file():
        raise FileNotFoundError(f"path {str(path)!r} is not a file")
    header: list[str] | None = None
    comment: tuple[int, str] | None = None  # the last comment line: numpy.savetxt writes the header there
    cols: dict[str, list[float]] = {}
    try:
        with path.open(encoding="utf-8-sig") as fh:
            for lineno, raw in enumerate(fh, start=1):
                line = raw.strip()
                if not line or line.startswith("#"):
                    comment = (lineno, line.lstrip("#").strip()) if line else comment
                    continue
                fields = _split(line)
                where = f"{path.name}, line {lineno}"
                if header is None:
                    header = _header(fields, line, where, kind, comment if _numeric(fields[0]) else None)
                    cols = {h: [] for h in header}
                    if not _numeric(fields[0]):
                        continue
                _row(fields, header, cols, where)
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path.name}: not a UTF-8 text file ({exc.reason} at byte {exc.start})") from None
    if header is None or not cols["T"]:
        raise DataFileError(f"{path.name}: no data rows (need a header line and at least one row)")
    arr = {h: np.array(v) for h, v in cols.items()}
    return Dataset(arr["T"], arr[kind], arr.get("sigma"), arr.get("x"), kind)


def _path(path: object) -> Path:
    if isinstance(path, (str, os.PathLike)) and not isinstance(path, bytes):
        return Path(path)
    raise TypeError(f"path must be a str or os.PathLike file name, got {type(path).__name__}")


def _split(line: str) -> list[str]:
    """Fields of a line: comma separated, or whitespace separated when it holds no comma."""
    return [f.strip() for f in line.split(",")] if "," in line else line.split()


def _numeric(field: str) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True


def _header(fields: list[str], line: str, where: str, kind: str, comment: tuple[int, str] | None) -> list[str]:
    """The column names: this line, or (when this line is already data) the last comment line before it."""
    if comment is not None:
        lineno, text = comment
        where = f"{where.rsplit(', line', 1)[0]}, line {lineno}"
        fields, line = _split(text), text
        if not text:
            raise DataFileError(f"{where}: the first data row comes before any header line naming the columns "
                                f"T and {kind}")
    if "T" not in fields or kind not in fields:
        raise DataFileError(f"{where}: the header must name the columns T and {kind} (optional sigma, x), "
                            f"got {line!r}")
    unknown = [h for h in fields if h not in ("T", kind, "sigma", "x")]
    if unknown:
        raise DataFileError(f"{where}: unknown column(s) {unknown} in the header")
    if len(set(fields)) != len(fields):
        raise DataFileError(f"{where}: repeated column name in the header")
    return fields


def _row(fields: list[str], header: list[str], cols: dict[str, list[float]], where: str) -> None:
    """Check one data row and append it to ``cols``."""
    if len(fields) != len(header):
        raise DataFileError(f"{where}: expected {len(header)} fields ({', '.join(header)}), got {len(fields)}")
    for h, f in zip(header, fields):
        try:
            v = float(f)
        except ValueError:
            raise DataFileError(f"{where}: column {h} is not a number: {f!r}") from None
        if not np.isfinite(v):
            raise DataFileError(f"{where}: column {h} is NaN or infinite")
        if h == "T" and v <= 0:
            raise DataFileError(f"{where}: temperature T must be > 0 K, got {v:g}")
        if h == "sigma" and v <= 0:
            raise DataFileError(f"{where}: sigma must be > 0, got {v:g}")
        if h == "x" and not 0 <= v <= 1:
            raise DataFileError(f"{where}: composition x must lie in [0, 1], got {v:g}")
        cols[h].append(v)


def write_csv(path: str | os.PathLike, T, y, *, sigma=None, x=None, kind: str = "C",
              comment: str = "") -> Path:
    """Write data in the format read by :func:`read_csv`, atomically (:func:`tunnelsim.files.write_table`).

    Parameters
    ----------
    path : path-like
        The file (replaced as a whole, never left half-written).
    T, y : array_like, shape (n,)
        Temperatures in K (> 0) and the data (heat capacity or delta eps'/eps_r), same length.
    sigma, x : float or array_like, shape (n,), optional
        Standard errors (> 0) and compositions (in [0, 1]); a single number applies to every row.
    kind : {"C", "eps"}
        Name of the data column.
    comment : str
        Written first, each line prefixed with '# '.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        Columns of different lengths (nothing is truncated), T <= 0, sigma <= 0, x outside [0, 1],
        NaN or infinity.
    """
    check_choice(kind, "kind", ("C", "eps"))
    path = _path(path)
    if not isinstance(comment, str):
        raise TypeError(f"comment must be a string, got {type(comment).__name__}")
    t = np.asarray(check_positive(as_real_array(T, "T", ndim=1), "T"), dtype=float)
    cols = {"T": t, kind: as_real_array(y, "y", ndim=1)}
    if sigma is not None:
        cols["sigma"] = _column(check_positive(as_real_array(sigma, "sigma"), "sigma"), "sigma", t.size)
    if x is not None:
        cols["x"] = _column(check_probability(as_real_array(x, "x"), "x"), "x", t.size)
    for name, col in cols.items():
        check_same_length("T", t, "y" if name == kind else name, col)
    return write_table(path, list(cols), zip(*cols.values()), float_format=".10g", comment=comment)


def _column(values, name: str, n: int) -> np.ndarray:
    """A column of n rows: a single number repeated, or a 1-D array as it is (its length checked later)."""
    v = np.asarray(values, dtype=float)
    if v.ndim == 0:
        return np.full(n, float(v))
    if v.ndim != 1:
        raise ValueError(f"{name} must be a number or a 1-D array, got shape {v.shape}")
    return v
