"""N-dimensional spectrum sweeps as labelled arrays (scqubits' ParameterSweep; docs/single.md).

:func:`spectrum_map` evaluates a Hamiltonian builder on the Cartesian grid of several parameters
(phi x E, B x theta, ...) and diagonalises the whole stack by batched LAPACK (numpy.linalg.eigvalsh, exact
at every grid point, docs/theory.md sec. 1.4); :func:`field_map` is the 3LS / 4LS ring in a magnetic field
B at angle theta to the loop normal (phi = 2 pi B S cos(theta) Q / h, docs/theory.md sec. 0). Both return
an ``xarray.DataArray`` of the levels in K with one dimension per parameter, in the order given, plus
``level``: ``levels.sel(theta=0).isel(level=1)``, ``levels.plot(...)``, ``levels.to_netcdf(...)``.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Callable, Mapping

import numpy as np

from tunnelsim.constants import flux_phase
from tunnelsim.memory import check_memory
from tunnelsim.progress import progress_bar
from tunnelsim.validation import as_real_array, as_real_scalar, check_callable, check_choice

__all__ = ["spectrum_map", "field_map"]

_RINGS = {"3ls": ("tunnelsim.single.three_level", "three_level_matrices"),  # modules (not the same-named
           "4ls": ("tunnelsim.single.four_level", "four_level_matrices")}   # functions of tunnelsim.single)


def _dataarray(levels: np.ndarray, axes: dict[str, np.ndarray], units: Mapping[str, str], attrs: dict):
    try:
        import xarray as xr
    except ImportError as exc:  # pragma: no cover - xarray is a data dependency
        raise ImportError("spectrum maps need xarray: pip install 'tunnelsim[data]'") from exc
    coords = {name: (name, vals, {"units": units.get(name, "")}) for name, vals in axes.items()}
    coords["level"] = np.arange(levels.shape[-1])
    return xr.DataArray(levels, dims=(*axes, "level"), coords=coords, name="energy",
                        attrs={"units": "K", **attrs})


def _axes(axes: object) -> dict[str, np.ndarray]:
    if not isinstance(axes, Mapping) or not axes:
        raise TypeError("axes must be a non-empty dict of parameter name -> 1-D values, e.g. "
                        "{'phi': np.linspace(0, 6.28, 50), 'd0': [0.5, 1.0]}")
    out = {}
    for name, vals in axes.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise TypeError(f"axes keys must be keyword names of the builder, got {name!r}")
        out[name] = as_real_array(vals, f"axes[{name!r}]", ndim=1)
    return out


def spectrum_map(builder: Callable[..., object], axes: Mapping[str, object], *, units: Mapping[str, str] | None = None,
                 progress: bool | None = None, **fixed):
    """Levels of ``builder(**fixed, **point)`` at every point of the grid of ``axes``, as a labelled array.

    The exact route of docs/theory.md sec. 1.4 (dense diagonalisation) over a grid of parameters.

    Parameters
    ----------
    builder : callable
        Returns a Hermitian matrix in K: a :class:`qutip.Qobj` (e.g. :func:`tunnelsim.three_level`) or an array.
    axes : dict of str to 1-D array_like
        The swept keywords of ``builder`` and their values (the grid is their Cartesian product).
    units : dict of str to str, optional
        Units of the axes (coordinate attributes).
    progress : bool or None
        Progress over the grid points while building the matrices (None: a bar on a terminal).
    **fixed
        The other keyword arguments of ``builder``.

    Returns
    -------
    xarray.DataArray
        Levels in K (ascending), dims (*axes, "level").

    Examples
    --------
    >>> import numpy as np, tunnelsim as ts
    >>> m = spectrum_map(ts.three_level, {"phi": np.linspace(0, np.pi, 3), "d0": [0.5, 1.0]}, energies=[0, 0, 0])
    >>> m.dims, m.shape
    (('phi', 'd0', 'level'), (3, 2, 3))
    """
    check_callable(builder, "builder")
    grid = _axes(axes)
    shape = tuple(v.size for v in grid.values())
    points = itertools.product(*(v.tolist() for v in grid.values()))
    mats = []
    for point in progress_bar(points, total=int(np.prod(shape)), desc="spectrum map", progress=progress):
        h = builder(**fixed, **dict(zip(grid, point)))
        m = np.asarray(h.full() if hasattr(h, "full") else h)
        if m.ndim != 2 or m.shape[0] != m.shape[1] or (mats and m.shape != mats[0].shape):
            raise ValueError(f"spectrum_map: builder must return square matrices of one size, got shape {m.shape} at "
                             f"{dict(zip(grid, point))}")
        if not np.allclose(m, m.conj().T, atol=1e-12 * max(1.0, float(np.max(np.abs(m))))):
            raise ValueError(f"spectrum_map: builder returned a non-Hermitian matrix at {dict(zip(grid, point))}")
        if not mats:
            check_memory(16.0 * m.size * int(np.prod(shape)), f"spectrum_map ({int(np.prod(shape))} matrices)",
                         hint="use a coarser grid")
        mats.append(m)
    levels = np.linalg.eigvalsh(np.array(mats)).reshape(*shape, -1)
    return _dataarray(levels, grid, dict(units or {}), {"builder": getattr(builder, "__name__", "builder")})


def field_map(system: str, field, theta, *, area: float, charge: float = 1.0, **params):
    """Levels of the 3LS / 4LS ring versus magnetic field B and its angle theta to the loop normal (labelled).

    docs/theory.md sec. 1.4: phi = 2 pi B S cos(theta) |Q| / (h/e) (sec. 0), eqs. (1.3) and (1.7).

    Parameters
    ----------
    system : {"3ls", "4ls"}
    field : 1-D array_like
        B in T.
    theta : 1-D array_like
        Angles between B and the loop normal, rad.
    area : float
        Flux-threaded area S in m^2 (> 0).
    charge : float
        Tunneling charge Q in units of e (non-zero).
    **params
        The model: ``energies``, ``d0`` (3LS) or ``energies``, ``d1``, ``d2``, ``diagonal`` (4LS), K.

    Returns
    -------
    xarray.DataArray
        Levels in K, dims ("B", "theta", "level").

    Examples
    --------
    >>> import numpy as np
    >>> m = field_map("3ls", [0.0, 1.0], np.linspace(0, np.pi / 2, 4), area=1e-18, energies=[0, 0, 0], d0=1.0)
    >>> m.shape
    (2, 4, 3)
    """
    check_choice(system, "system", tuple(_RINGS))
    b = as_real_array(field, "field", ndim=1)
    th = as_real_array(theta, "theta", ndim=1)
    s = float(as_real_scalar(area, "area"))
    if s <= 0:
        raise ValueError(f"field_map: area must be > 0 (m^2), got {s:g}")
    q = float(as_real_scalar(charge, "charge"))
    phi = np.sign(q) * flux_phase(b[:, None], s, th[None, :], q)
    module, builder = _RINGS[system]
    h = getattr(importlib.import_module(module), builder)(phi=phi.ravel(), **params)
    levels = np.linalg.eigvalsh(h).reshape(b.size, th.size, -1)
    return _dataarray(levels, {"B": b, "theta": th}, {"B": "T", "theta": "rad"},
                      {"system": system, "area_m2": s, "charge_e": q})
