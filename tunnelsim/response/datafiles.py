"""CSV input of measured heat capacities and dielectric constants.

Format (docs/response.md): optional comment lines starting with '#', then a header line naming
the columns, then one row per temperature, comma separated. Columns:

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
    if kind not in ("C", "eps"):
        raise ValueError(f"kind must be 'C' or 'eps', got {kind!r}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"path {str(path)!r} is not a file")
    header: list[str] | None = None
    cols: dict[str, list[float]] = {}
    with path.open() as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            fields = [f.strip() for f in line.split(",")]
            where = f"{path.name}, line {lineno}"
            if header is None:
                header = fields
                unknown = [h for h in header if h not in ("T", kind, "sigma", "x")]
                if "T" not in header or kind not in header:
                    raise DataFileError(f"{where}: the header must name the columns T and {kind} "
                                        f"(optional sigma, x), got {line!r}")
                if unknown:
                    raise DataFileError(f"{where}: unknown column(s) {unknown} in the header")
                if len(set(header)) != len(header):
                    raise DataFileError(f"{where}: repeated column name in the header")
                cols = {h: [] for h in header}
                continue
            if len(fields) != len(header):
                raise DataFileError(f"{where}: expected {len(header)} fields ({', '.join(header)}), "
                                    f"got {len(fields)}")
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
    if header is None or not cols["T"]:
        raise DataFileError(f"{path.name}: no data rows (need a header line and at least one row)")
    arr = {h: np.array(v) for h, v in cols.items()}
    return Dataset(arr["T"], arr[kind], arr.get("sigma"), arr.get("x"), kind)


def write_csv(path: str | os.PathLike, T, y, *, sigma=None, x=None, kind: str = "C",
              comment: str = "") -> Path:
    """Write data in the format read by :func:`read_csv`."""
    if kind not in ("C", "eps"):
        raise ValueError(f"kind must be 'C' or 'eps', got {kind!r}")
    cols = {"T": np.asarray(T, float), kind: np.asarray(y, float)}
    if sigma is not None:
        cols["sigma"] = np.broadcast_to(np.asarray(sigma, float), cols["T"].shape)
    if x is not None:
        cols["x"] = np.broadcast_to(np.asarray(x, float), cols["T"].shape)
    path = Path(path)
    with path.open("w") as fh:
        for c in comment.splitlines():
            fh.write(f"# {c}\n")
        fh.write(",".join(cols) + "\n")
        for row in zip(*cols.values()):
            fh.write(",".join(f"{v:.10g}" for v in row) + "\n")
    return path
