"""Plain-data pieces of :class:`tunnelsim.results.SpectrumData`: its metadata check and its CSV reader (floor).

Kept apart so that ``results.py`` stays small; :meth:`SpectrumData.from_csv` and ``SpectrumData(...)`` use them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

import numpy as np

__all__ = ["checked_metadata", "read_levels_csv"]


def checked_metadata(metadata: object) -> dict:
    """A copy of ``metadata``: string keys, JSON values (numbers, strings, bools, None, lists, dicts).

    The fixed parameters of a :class:`tunnelsim.results.SpectrumData` (docs/theory.md sec. 1.4), in the units of
    the toolkit (energies in K, fields in T, phases in rad; sec. 0). numpy scalars and arrays become plain numbers and
    lists and tuples become lists, so that a result saved as JSON equals the original; anything else is refused.

    Examples
    --------
    >>> import numpy as np
    >>> checked_metadata({"N": np.int64(6), "J_K": np.float64(-20.0), "phi_rad": (0.0, 0.5), "d0_K": np.ones(2)})
    {'N': 6, 'J_K': -20.0, 'phi_rad': [0.0, 0.5], 'd0_K': [1.0, 1.0]}
    >>> checked_metadata({"rng": np.random.default_rng(1)})
    Traceback (most recent call last):
    ...
    TypeError: SpectrumData: metadata['rng'] must be a number, string, bool, None or a list/dict of them ...
    """
    if not isinstance(metadata, Mapping):
        raise TypeError(f"SpectrumData: metadata must be a dict of the fixed parameters, got {type(metadata).__name__}")
    out = {}
    for key, value in metadata.items():
        if not isinstance(key, str):
            raise TypeError(f"SpectrumData: metadata keys must be strings, got {key!r}")
        if isinstance(value, np.ndarray):
            value = value.tolist()
        elif isinstance(value, np.generic):
            value = value.item()
        try:
            value = json.loads(json.dumps(value))  # tuples become lists: a saved result equals the original
        except (TypeError, ValueError):
            raise TypeError(f"SpectrumData: metadata[{key!r}] must be a number, string, bool, None or a list/dict "
                            f"of them (it is saved as JSON), got {type(value).__name__}") from None
        out[key] = value
    return out


def read_levels_csv(path: str | os.PathLike) -> tuple[list[str], dict, np.ndarray]:
    """(header, JSON head or {}, rows as an (M, 1 + n) array) of a CSV written by ``SpectrumData.to_csv``.

    The header is the parameter's name then ``E0_K``, ``E1_K``, ...: the levels in K (docs/theory.md sec. 1.4);
    the optional JSON comment line holds the unit, the label and the metadata.

    Examples
    --------
    The 2LS of docs/theory.md eq. (1.2), levels -E/2 and +E/2 with E = sqrt(Delta^2 + Delta0^2), written and read
    back: at Delta = 0 the gap is Delta0 = 0.5 K.

    >>> import pathlib, tempfile
    >>> import numpy as np
    >>> from tunnelsim.results import SpectrumData
    >>> delta = np.array([-1.0, 0.0, 1.0])
    >>> e = np.hypot(delta, 0.5)
    >>> spec = SpectrumData("Delta", delta, np.column_stack([-e / 2, e / 2]), unit="K", metadata={"delta0": 0.5})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     header, head, rows = read_levels_csv(spec.to_csv(pathlib.Path(tmp) / "tls.csv", with_metadata=True))
    >>> header, head["unit"], head["metadata"], rows.shape
    (['Delta', 'E0_K', 'E1_K'], 'K', {'delta0': 0.5}, (3, 3))
    >>> float(rows[1, 2] - rows[1, 1])
    0.5
    """
    from .files import read_text_checked

    text = read_text_checked(path, "path")
    head: dict = {}
    lines = [ln for ln in text.splitlines() if ln.strip()]
    while lines and lines[0].lstrip().startswith("#"):
        try:
            found = json.loads(lines.pop(0).lstrip()[1:])
            head = found if isinstance(found, dict) else head
        except ValueError:
            pass
    if not lines:
        raise ValueError(f"{path}: no header line (parameter, E0_K, E1_K, ...)")
    header = [h.strip() for h in lines[0].split(",")]
    if len(header) < 2 or any(h != f"E{k}_K" for k, h in enumerate(header[1:])):
        raise ValueError(f"{path}: the header must be the parameter then E0_K, E1_K, ...; got {lines[0]!r}")
    rows = []
    for i, line in enumerate(lines[1:], start=2):
        cells = line.split(",")
        try:
            if len(cells) != len(header):
                raise ValueError
            rows.append([float(c) for c in cells])
        except ValueError:
            raise ValueError(f"{path}: data row {i - 1} is not {len(header)} numbers: {line[:80]!r}") from None
    return header, head, np.array(rows, dtype=float).reshape(len(rows), len(header))
