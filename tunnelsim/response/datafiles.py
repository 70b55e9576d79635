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

Other column names: ``read_csv(path, columns={"T": "temp_K", "C": "cp"})`` maps the toolkit's names to the
file's (other columns of the file are then ignored). A pandas DataFrame may be given instead of a path
(the same column names and mapping, the same checks per row).

Any bad line raises :class:`DataFileError` naming the file and the line number.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tunnelsim.files import read_text_checked, regular_file, write_table
from tunnelsim.memory import check_memory
from tunnelsim.validation import (
    as_real_array,
    check_choice,
    check_positive,
    check_probability,
    check_same_length,
)

__all__ = ["DataFileError", "Dataset", "read_csv", "write_csv"]


class DataFileError(ValueError):
    """A malformed data file; the message names the file and line.

    Examples
    --------
    >>> import pandas as pd
    >>> try:
    ...     read_csv(pd.DataFrame({'T': [0.1, -0.2], 'C': [1.0, 2.0]}))
    ... except DataFileError as err:
    ...     print(type(err).__name__)
    DataFileError
    """


@dataclass(frozen=True)
class Dataset:
    """Columns of a data file (arrays of equal length).

    Examples
    --------
    >>> import pandas as pd
    >>> data = read_csv(pd.DataFrame({'T': [0.1, 0.2], 'C': [1.0, 2.0]}))
    >>> print(type(data).__name__, data.kind, data.T.tolist(), data.sigma)
    Dataset C [0.1, 0.2] None
    """

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


def read_csv(path, kind: str = "C", *, columns: dict[str, str] | None = None) -> Dataset:
    """Read a CSV file (or a pandas DataFrame) with columns T, C (or T, eps), optionally sigma and x.

    Parameters
    ----------
    path : path-like or pandas.DataFrame
        The file, or a DataFrame holding the columns.
    kind : {"C", "eps"}
        Which data column is expected.
    columns : dict of str to str, optional
        The file's column name for each of T, C / eps, sigma, x, e.g. ``{"T": "temp_K", "C": "cp"}``; with
        it, columns of the file not named here are ignored.

    Returns
    -------
    Dataset

    Raises
    ------
    DataFileError
        With "<file>, line <n>: ..." for a missing header, a wrong number of fields, a
        non-numeric, NaN or infinite entry, T <= 0, sigma <= 0, x outside [0, 1], or no data.

    Examples
    --------
    >>> import pandas as pd
    >>> data = read_csv(pd.DataFrame({'temp_K': [0.1, 0.2], 'cp': [1.0, 2.0]}), columns={'T': 'temp_K', 'C': 'cp'})
    >>> print(data.T.tolist(), data.y.tolist())
    [0.1, 0.2] [1.0, 2.0]
    """
    check_choice(kind, "kind", ("C", "eps"))
    rename = _mapping(columns, kind)
    if hasattr(path, "columns") and hasattr(path, "to_numpy"):  # a pandas DataFrame
        return _from_frame(path, kind, rename)
    path = _path(path)
    if not path.is_file():
        raise FileNotFoundError(f"path {str(path)!r} is not a file")
    # a received file: a regular file (never a FIFO), its size checked before the rows are parsed into lists
    check_memory(8.0 * regular_file(path, "path").stat().st_size, f"reading the data file {str(path)!r}",
                 hint="thin the data or split the file")
    header: list[str] | None = None
    comment: tuple[int, str] | None = None  # the last comment line: numpy.savetxt writes the header there
    cols: dict[str, list[float]] = {}
    try:
        text = read_text_checked(path, "path")  # a regular file, its size checked before reading
    except ValueError as exc:
        raise DataFileError(f"{path.name}: {exc}") from None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            comment = (lineno, line.lstrip("#").strip()) if line else comment
            continue
        fields = _split(line)
        where = f"{path.name}, line {lineno}"
        if header is None:
            header = _header(fields, line, where, kind, comment if _numeric(fields[0]) else None,
                             rename)
            cols = {h: [] for h in header if h is not None}
            if not _numeric(fields[0]):
                continue
        _row(fields, header, cols, where)
    if header is None or not cols["T"]:
        raise DataFileError(f"{path.name}: no data rows (need a header line and at least one row)")
    arr = {h: np.array(v) for h, v in cols.items()}
    return Dataset(arr["T"], arr[kind], arr.get("sigma"), arr.get("x"), kind)


def _mapping(columns: object, kind: str) -> dict[str, str] | None:
    """``columns`` checked and inverted: the file's name -> the toolkit's name (T, kind, sigma, x)."""
    if columns is None:
        return None
    if not isinstance(columns, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items()):
        raise TypeError(f"columns must be a dict of str to str such as {{'T': 'temp_K', '{kind}': 'data'}}, "
                        f"got {columns!r:.80}")
    bad = [k for k in columns if k not in ("T", kind, "sigma", "x")]
    if bad:
        raise ValueError(f"columns maps unknown name(s) {bad}; the names are T, {kind}, sigma, x")
    if len(set(columns.values())) != len(columns):
        raise ValueError(f"columns maps two names to the same file column: {columns}")
    out = {v: k for k, v in columns.items()}
    for name in ("T", kind, "sigma", "x"):  # unmapped names keep their own column
        if name not in columns and name not in out:
            out[name] = name
    return out


def _from_frame(frame, kind: str, rename: dict[str, str] | None) -> Dataset:
    """A Dataset from a pandas DataFrame, each row checked as a file row would be."""
    names = [str(c) for c in frame.columns]
    header = _header(names, ",".join(names), "DataFrame", kind, None, rename)
    cols: dict[str, list[float]] = {h: [] for h in header if h is not None}
    for i, row in enumerate(frame.itertuples(index=False, name=None)):
        _row([str(v) for v in row], header, cols, f"DataFrame, row {i}")
    if not cols["T"]:
        raise DataFileError("DataFrame: no rows")
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


def _header(fields: list[str], line: str, where: str, kind: str, comment: tuple[int, str] | None,
            rename: dict[str, str] | None = None) -> list[str | None]:
    """The column names: this line, or (when this line is already data) the last comment line before it.

    With ``rename`` (the file's name -> the toolkit's), columns it does not name are None (skipped)."""
    if comment is not None:
        lineno, text = comment
        where = f"{where.rsplit(', line', 1)[0]}, line {lineno}"
        fields, line = _split(text), text
        if not text:
            raise DataFileError(f"{where}: the first data row comes before any header line naming the columns "
                                f"T and {kind}")
    if rename is not None:
        missing = [f"{k} (column {v!r})" for v, k in rename.items() if k in ("T", kind) and v not in fields]
        if missing:
            raise DataFileError(f"{where}: the header lacks {', '.join(missing)}; it has {fields}")
        fields = [rename.get(f) for f in fields]
        if len({f for f in fields if f is not None}) != len([f for f in fields if f is not None]):
            raise DataFileError(f"{where}: repeated column name in the header")
        return fields
    if "T" not in fields or kind not in fields:
        raise DataFileError(f"{where}: the header must name the columns T and {kind} (optional sigma, x), "
                            f"got {line!r}")
    unknown = [h for h in fields if h not in ("T", kind, "sigma", "x")]
    if unknown:
        raise DataFileError(f"{where}: unknown column(s) {unknown} in the header")
    if len(set(fields)) != len(fields):
        raise DataFileError(f"{where}: repeated column name in the header")
    return fields


def _row(fields: list[str], header: list[str | None], cols: dict[str, list[float]], where: str) -> None:
    """Check one data row and append it to ``cols`` (columns named None are skipped)."""
    if len(fields) != len(header):
        raise DataFileError(f"{where}: expected {len(header)} fields ({', '.join(map(str, header))}), "
                            f"got {len(fields)}")
    for h, f in zip(header, fields):
        if h is None:
            continue
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

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), 'c.csv')
    >>> _ = write_csv(path, [0.1, 0.2], [1.0, 2.0], sigma=0.1, comment='example')
    >>> back = read_csv(path)  # the round trip
    >>> print(back.T.tolist(), back.y.tolist(), back.sigma.tolist())
    [0.1, 0.2] [1.0, 2.0] [0.1, 0.1]
    >>> os.remove(path)
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
