"""Named operators of a multi-well system, whose matrix elements a spectrum can carry (docs/theory.md sec. 1.4).

In the well basis of n wells:

* ``"P1"`` ... ``"Pn"``: the well projectors |a><a| (occupation of well a, numbered from 1 as E1 ... En);
* ``"dipole_x"``, ``"dipole_y"`` (, ``"dipole_z"``): the dipole operator Q sum_a r_a |a><a| from the well
  positions r_a (measured from their centroid);
* ``"sigma_z"`` (rings of wells: the 3LS and the 4LS): the effective doublet's sigma_z in the chiral
  basis, |k = n-1><k = n-1| - |k = 1><k = 1| with the Fourier states |k> = (e^{2 pi i k a / n})_a / sqrt(n),
  the sign such that H_eff = centre + 1/2 (Delta_eff sigma_z + ...) of docs/theory.md eqs. (1.6), (1.11).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tunnelsim.validation import as_complex_array

__all__ = ["projectors", "dipole_operators", "chiral_sigma_z", "polygon_circumradius", "ring_positions",
           "resolve_operators"]


def projectors(n: int) -> dict[str, np.ndarray]:
    """The well projectors "P1" ... "Pn" (n x n, dimensionless).

    The named operators "P1" ... of docs/theory.md sec. 1.4.

    Examples
    --------
    >>> import numpy as np
    >>> P = projectors(3)
    >>> sorted(P)
    ['P1', 'P2', 'P3']
    >>> bool(np.allclose(sum(P.values()), np.eye(3)))  # completeness
    True
    """
    out = {}
    for a in range(n):
        p = np.zeros((n, n))
        p[a, a] = 1.0
        out[f"P{a + 1}"] = p
    return out


def dipole_operators(positions: np.ndarray, charge: float = 1.0) -> dict[str, np.ndarray]:
    """Q sum_a (r_a - centroid) |a><a| per Cartesian component ("dipole_x", "dipole_y"[, "dipole_z"]).

    The dipole operators of docs/theory.md sec. 1.4: units of Q (in e) times the unit of the positions.

    Examples
    --------
    >>> import numpy as np
    >>> d = dipole_operators(ring_positions(3), charge=1.0)
    >>> sorted(d)
    ['dipole_x', 'dipole_y']
    >>> print(np.round(np.diag(d['dipole_x']), 6) + 0.0, round(float(np.trace(d['dipole_x'])), 12) + 0.0)
    [ 1.  -0.5 -0.5] 0.0
    """
    r = np.asarray(positions, dtype=float)
    r = r - r.mean(axis=0)
    return {f"dipole_{axis}": np.diag(charge * r[:, i]) for i, axis in enumerate("xyz"[: r.shape[1]])}


def chiral_sigma_z(n: int) -> np.ndarray:
    """|k = n-1><k = n-1| - |k = 1><k = 1| for a ring of n wells (module docstring).

    The effective doublet's sigma_z of docs/theory.md eqs. (1.6) and (1.11) (sec. 1.4); dimensionless.

    Examples
    --------
    >>> import numpy as np
    >>> print(np.round(np.linalg.eigvalsh(chiral_sigma_z(3)), 6) + 0.0)  # the chiral pair +-1, the symmetric state 0
    [-1.  0.  1.]
    """
    a = np.arange(n)
    plus = np.exp(2j * np.pi * a / n) / np.sqrt(n)  # k = 1
    minus = np.conj(plus)  # k = n - 1
    return np.outer(minus, minus.conj()) - np.outer(plus, plus.conj())


def polygon_circumradius(n: int, area: float) -> float:
    """Circumradius R = sqrt(2 S / (n sin(2 pi / n))) of the regular n-gon of area S.

    The loop of :func:`tunnelsim.field_spectrum` and :func:`tunnelsim.polygon_positions` (docs/theory.md
    sec. 1.5: S is the area threaded by the flux).

    Parameters
    ----------
    n : int
        Number of corners (>= 3).
    area : float
        S in m^2, > 0.

    Returns
    -------
    float
        R in m.

    Examples
    --------
    >>> import numpy as np
    >>> print(round(polygon_circumradius(4, 2.0), 12))  # square of area 2: side sqrt 2, circumradius 1
    1.0
    >>> print(round(polygon_circumradius(3, 3 * np.sqrt(3) / 4), 12))  # unit-circumradius triangle
    1.0
    """
    return np.sqrt(2 * area / (n * np.sin(2 * np.pi / n)))


def ring_positions(n: int, circumradius: float = 1.0) -> np.ndarray:
    """Positions (n, 2) of a regular n-gon, well a at the angle 2 pi a / n (counter-clockwise).

    The wells of the regular polygon of docs/theory.md sec. 1.4, in units of the circumradius.

    Examples
    --------
    >>> import numpy as np
    >>> print(np.round(ring_positions(4), 6) + 0.0)
    [[ 1.  0.]
     [ 0.  1.]
     [-1.  0.]
     [ 0. -1.]]
    """
    ang = 2 * np.pi * np.arange(n) / n
    return circumradius * np.column_stack([np.cos(ang), np.sin(ang)])


def resolve_operators(operators, available: Mapping[str, np.ndarray], dim: int) -> dict[str, np.ndarray]:
    """Turn the user's ``operators`` into a dict name -> (dim, dim) matrix.

    The ``operators=`` argument of the spectra of docs/theory.md sec. 1.4.

    ``operators`` is None, a sequence of names from ``available``, or a mapping of names to matrices
    (array_like or qutip.Qobj) of shape (dim, dim). Raises naming ``operators`` otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> ops = resolve_operators(['P1'], projectors(2), 2)
    >>> print(list(ops), ops['P1'].tolist())
    ['P1'] [[1.0, 0.0], [0.0, 0.0]]
    >>> sorted(resolve_operators({'sz': np.diag([1.0, -1.0])}, {}, 2))
    ['sz']
    """
    if operators is None:
        return {}
    if isinstance(operators, (str, bytes)):
        raise TypeError(f"operators must be a list of names or a mapping of names to matrices, got {operators!r}")
    if isinstance(operators, Mapping):
        out = {}
        for name, op in operators.items():
            if not isinstance(name, str):
                raise TypeError(f"operators must be keyed by names (str), got the key {name!r}")
            m = as_complex_array(op.full() if hasattr(op, "full") else op, f"operators[{name!r}]")
            if m.shape != (dim, dim):
                raise ValueError(f"operators[{name!r}] must have shape ({dim}, {dim}), got {m.shape}")
            out[name] = m
        return out
    try:
        names = list(operators)
    except TypeError:
        raise TypeError(f"operators must be a list of names or a mapping, got {type(operators).__name__}") from None
    known = ", ".join(available)
    for name in names:
        if not isinstance(name, str) or name not in available:
            raise ValueError(f"operators: unknown operator {name!r}; known here: {known}")
    if not names:
        raise ValueError(f"operators must name at least one operator (known here: {known}) or be None")
    return {name: available[name] for name in names}
