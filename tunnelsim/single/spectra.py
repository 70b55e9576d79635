"""Spectra of the single systems versus one parameter, as :class:`tunnelsim.results.SpectrumData`.

docs/theory.md sec. 1.4. :func:`sweep_spectrum` diagonalises any Hamiltonian builder at each value;
:func:`flux_spectrum` gives the 3LS / 4LS levels versus the flux phase phi, :func:`field_spectrum`
versus the magnetic field B in tesla. The exact route (batched LAPACK through
:func:`tunnelsim.results.spectrum_of_stack`) is the default wherever a closed form loses accuracy
(the 4LS quartic near degeneracies); the closed forms stay available with ``method="closed_form"``.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable

import numpy as np
import qutip

from tunnelsim.constants import flux_phase
from tunnelsim.memory import check_memory
from tunnelsim.progress import progress_bar, show_progress
from tunnelsim.results import SpectrumData, spectrum_of_stack
from tunnelsim.single import four_level as _four
from tunnelsim.single import three_level as _three
from tunnelsim.single.effective import four_level_doublet, three_level_doublet
from tunnelsim.single.operators import (
    chiral_sigma_z,
    dipole_operators,
    polygon_circumradius,
    projectors,
    resolve_operators,
    ring_positions,
)
from tunnelsim.validation import (
    MAX_GRID_POINTS,
    as_real_array,
    as_real_scalar,
    check_bool,
    check_callable,
    check_choice,
    check_grid_size,
)

__all__ = ["sweep_spectrum", "flux_spectrum", "field_spectrum", "parse_range", "SYSTEMS", "METHODS"]

SYSTEMS = ("3ls", "4ls")
METHODS = ("auto", "exact", "closed_form")
_RING = {"3ls": (3, _three.three_level_matrices, _three.three_level_energies, "3LS (ATS)"),
         "4ls": (4, _four.four_level_matrices, _four.four_level_energies, "4LS plaquette")}


def _check_parameter(builder, parameter) -> str:
    if not isinstance(parameter, str):
        raise TypeError(f"parameter must be the name of a keyword of builder, got {type(parameter).__name__}")
    try:
        sig = inspect.signature(builder)
    except (TypeError, ValueError):  # builtins without a signature: trust the caller
        return parameter
    kinds = {p.kind for p in sig.parameters.values()}
    if parameter not in sig.parameters and inspect.Parameter.VAR_KEYWORD not in kinds:
        raise ValueError(f"parameter must name a keyword argument of builder; {parameter!r} is not one of "
                         f"{', '.join(sig.parameters)}")
    return parameter


def _stack(builder, parameter: str, values: np.ndarray, fixed: dict, progress: bool) -> np.ndarray:
    """The builder's matrices at each value, shape (M, d, d), every one a Hermitian Qobj."""
    mats = []
    for v in progress_bar(values, desc=f"spectrum vs {parameter}", progress=progress):
        h = builder(**{**fixed, parameter: float(v)})
        if not isinstance(h, qutip.Qobj) or not h.isherm:
            raise ValueError(f"builder must return a Hermitian qutip.Qobj, got {type(h).__name__}")
        mats.append(h.full())
    if len({m.shape for m in mats}) > 1:
        raise ValueError("builder must return matrices of one size for every value of the parameter")
    return np.array(mats)


def sweep_spectrum(builder: Callable[..., qutip.Qobj], parameter: str, values, *, progress: bool | None = None,
                   label: str = "", unit: str = "", keep_states: bool = False, operators=None,
                   **fixed) -> SpectrumData:
    """Exact spectrum of ``builder(**fixed, parameter=value)`` for each value (batched dense diagonalisation).

    docs/theory.md sec. 1.4: the reference route of every closed form (levels in K).

    Parameters
    ----------
    builder : callable
        Returns a Hermitian :class:`qutip.Qobj` in K (e.g. :func:`tunnelsim.three_level`).
    parameter : str
        Keyword of ``builder`` to sweep.
    values : 1-D array_like
        Parameter values (in the parameter's own unit).
    progress : bool or None
        Show a progress bar (None: only on a terminal).
    label, unit : str
        Description of the system and unit of the parameter, for plots.
    keep_states : bool
        Store the eigenvectors (columns) in the result.
    operators : sequence of str or mapping of str to matrix, optional
        Operators whose matrix elements between the eigenstates are stored: names among the well
        projectors "P1" ... "Pn", or a mapping name -> (n, n) matrix.
    **fixed
        The other keyword arguments of ``builder``.

    Returns
    -------
    tunnelsim.results.SpectrumData
        Levels in K versus the parameter.

    Examples
    --------
    >>> import numpy as np
    >>> from tunnelsim.single.two_level import two_level
    >>> spec = sweep_spectrum(two_level, 'asymmetry', [0.0, 0.3], tunneling=0.4)
    >>> print(np.round(spec.energies, 6) + 0.0)  # -+ sqrt(Delta^2 + Delta0^2)/2, eq. (1.2)
    [[-0.2   0.2 ]
     [-0.25  0.25]]
    """
    check_callable(builder, "builder")
    parameter = _check_parameter(builder, parameter)
    vals = as_real_array(values, "values", ndim=1)
    progress = show_progress(progress)
    keep_states = check_bool(keep_states, "keep_states")
    for name, text in (("label", label), ("unit", unit)):
        if not isinstance(text, str):
            raise TypeError(f"{name} must be a string, got {type(text).__name__}")
    mats = _stack(builder, parameter, vals, fixed, progress)
    ops = resolve_operators(operators, projectors(mats.shape[1]), mats.shape[1])
    return spectrum_of_stack(parameter, vals, mats, operators=ops, keep_states=keep_states, unit=unit, label=label,
                             metadata=dict(fixed))


def _ring_operators(n: int, dipole_scale: float, charge: float) -> dict[str, np.ndarray]:
    ops = projectors(n)
    ops.update(dipole_operators(ring_positions(n, dipole_scale), charge))
    ops["sigma_z"] = chiral_sigma_z(n)
    return ops


def _warn_unresolved(levels: np.ndarray) -> None:
    """Warn where the quartic's error (~sqrt(eps) x scale) may exceed 1 % of a level spacing."""
    scale = float(np.max(np.abs(levels))) or 1.0
    limit = 100 * np.sqrt(np.finfo(float).eps) * scale
    close = np.any(np.diff(levels, axis=-1) < limit, axis=-1)
    if np.any(close):
        warnings.warn(f"{int(np.sum(close))} flux value(s) have a level spacing below {limit:.1e} K, where the "
                      f"closed-form quartic's error (~sqrt(eps) x {scale:.3g} K) can exceed 1 % of it; use "
                      f"method='exact' (or four_level_doublet for the doublet gap)", RuntimeWarning, stacklevel=4)


def _warn_below_resolution(system: str, ph: np.ndarray, levels: np.ndarray, params: dict) -> None:
    """Warn when the effective doublet gap (eqs. (1.6), (1.11)) is non-zero but below the levels' resolution.

    The flux part of the gap counts only above the rounding of phi itself (~eps |phi| x hopping): a
    phase that equals a degeneracy point up to rounding is a degeneracy, not a tiny gap.
    """
    eps = np.finfo(float).eps
    resolution = 64 * eps * (float(np.max(np.abs(levels))) or 1.0)
    keys = ("energies", "d0") if system == "3ls" else ("energies", "d1", "d2", "diagonal")
    args = {k: params[k] for k in keys if k in params}
    try:
        eff = three_level_doublet(phi=ph, **args) if system == "3ls" else four_level_doublet(phi=ph, **args)
    except (TypeError, ValueError):  # a model outside the effective forms' range (e.g. negative hopping)
        return
    hop = abs(float(args.get("d0", args.get("d1", 1.0))))
    asym = np.abs(np.asarray(eff.asymmetry))
    asym = np.where(asym > 16 * eps * np.abs(ph) * hop, asym, 0.0)
    gap = np.hypot(asym, np.asarray(eff.tunneling))
    tiny = (gap > 0) & (gap < resolution)
    if np.any(tiny):
        name = "three_level_doublet_gap" if system == "3ls" else "four_level_doublet(...).gap"
        warnings.warn(f"{int(np.sum(tiny))} flux value(s) have a doublet gap (~{float(np.min(gap[tiny])):.1e} K) below "
                      f"the float64 resolution of the levels (~{resolution:.1e} K); the levels cannot resolve it: use "
                      f"{name} for the gap", RuntimeWarning, stacklevel=4)


def _check_model_params(where: str, system: str, params: dict) -> None:
    """Refuse a keyword the model does not take, naming the public function (not an internal builder)."""
    import inspect

    check_choice(system, "system", SYSTEMS)
    takes = [k for k in inspect.signature(_RING[system][1]).parameters if k != "phi"]
    unknown = [k for k in params if k not in takes]
    if unknown:
        hint = " (keep_states=True keeps the eigenstates)" if any("eigen" in k or "state" in k for k in unknown) else ""
        raise TypeError(f"{where}() got unknown keyword(s) {', '.join(map(repr, unknown))} for system {system!r}; "
                        f"its model takes {', '.join(takes)}, plus method, keep_states, operators{hint}")


def _check_points(count: int, name: str) -> None:
    """Refuse more than MAX_GRID_POINTS parameter values (10^7: ~1 GB for the 3LS closed form) before any work."""
    if count > MAX_GRID_POINTS:
        check_grid_size(count, name)


def _ring_spectrum(system, ph, method, keep_states, operators, params, dipole_scale=1.0, charge=1.0):
    check_choice(system, "system", SYSTEMS)
    check_choice(method, "method", METHODS)
    keep_states = check_bool(keep_states, "keep_states")
    n, matrices, closed, label = _RING[system]
    if system == "4ls":
        label += f", {params.get('diagonal', 'symmetrised')} diagonal"
    wants_states = keep_states or operators is not None
    if method == "closed_form" and wants_states:
        raise ValueError("method='closed_form' gives levels only: use method='exact' (or 'auto') for keep_states "
                         "or operators")
    exact = method == "exact" or wants_states or (method == "auto" and system == "4ls")
    meta = {"system": system, "method": "exact" if exact else "closed_form", **params}
    _check_points(ph.size, "phi")
    if not exact:
        check_memory(48.0 * n * ph.size, f"closed-form levels of the {system.upper()} at {ph.size} points",
                     hint="use fewer points")
        levels = closed(phi=ph, **params)
        if system == "4ls":
            _warn_unresolved(levels)
        _warn_below_resolution(system, ph, levels, params)
        return SpectrumData("phi", ph, np.atleast_2d(levels), unit="rad", label=label, metadata=meta)
    ops = resolve_operators(operators, _ring_operators(n, dipole_scale, charge), n)
    # the stack, its copy and LAPACK's work, eigenvectors, two products per operator (benchmarked: 4LS 1.2 kB/point)
    per_point = 16.0 * n * n * (5 + (2 if wants_states else 0) + 2 * len(ops or {}))
    check_memory(per_point * ph.size, f"exact spectra of the {system.upper()} at {ph.size} points",
                 hint="use fewer points")
    mats = matrices(phi=ph, **params)
    out = spectrum_of_stack("phi", ph, mats, operators=ops, keep_states=keep_states, unit="rad", label=label,
                            metadata=meta)
    _warn_below_resolution(system, ph, out.energies, params)
    return out


def flux_spectrum(system: str, phi, *, method: str = "auto", keep_states: bool = False, operators=None,
                  **params) -> SpectrumData:
    """Spectrum of the 3LS or 4LS versus the flux phase phi (radians).

    docs/theory.md sec. 1.4. ``method="auto"`` (default) takes Viete's closed form for the 3LS (eq.
    (1.5), accurate to round-off for every splitting) and exact diagonalisation for the 4LS, whose
    analytic quartic (eq. (1.9)) resolves splittings only to ~sqrt(eps) x scale (3 % off on a 2e-7 K
    doublet); exact whenever states or matrix elements are asked for.

    Parameters
    ----------
    system : {"3ls", "4ls"}
        Which system.
    phi : 1-D array_like
        Flux phases in radians (any real values).
    method : {"auto", "exact", "closed_form"}
        As above; "closed_form" with the 4LS warns where a spacing is below the quartic's resolution.
    keep_states : bool
        Store the eigenvectors (well basis).
    operators : sequence of str or mapping of str to matrix, optional
        Matrix elements to store: "P1" ... "Pn" (well projectors), "dipole_x", "dipole_y" (wells on the
        regular polygon of unit circumradius, well 1 on the x axis, counter-clockwise: units of Q times
        the circumradius), "sigma_z" (the effective doublet's chiral sigma_z), or name -> (n, n) matrix.
    **params
        ``energies, d0`` (3LS) or ``energies, d1, d2, diagonal`` (4LS), in K, and ``allow_negative_hopping``.

    Returns
    -------
    tunnelsim.results.SpectrumData
        Levels in K versus phi (unit "rad"); ``metadata["method"]`` says which route was taken.

    Examples
    --------
    >>> import numpy as np
    >>> spec = flux_spectrum('3ls', [0.0, np.pi], energies=[0.0, 0.0, 0.0], d0=1.0)
    >>> print(np.round(spec.energies, 6) + 0.0)  # 2 D0 cos((phi + 2 pi k)/3), eq. (1.5)
    [[-1. -1.  2.]
     [-2.  1.  1.]]
    >>> spec4 = flux_spectrum('4ls', [0.0], energies=[0.0] * 4, d1=1.0, d2=0.5)
    >>> print(np.round(spec4.energies, 6) + 0.0)  # eq. (1.10)
    [[-1.5 -0.5 -0.5  2.5]]
    """
    _check_model_params("flux_spectrum", system, params)
    _check_points(np.size(phi) if isinstance(phi, np.ndarray) else 0, "phi")
    ph = as_real_array(phi, "phi", ndim=1)
    return _ring_spectrum(system, ph, method, keep_states, operators, params)


def field_spectrum(system: str, field, *, area: float, theta: float = 0.0, charge: float = 1.0,
                   method: str = "auto", keep_states: bool = False, operators=None, **params) -> SpectrumData:
    """Spectrum of the 3LS or 4LS versus the magnetic field B in tesla.

    The phase is phi = sign(Q) 2 pi B S cos(theta) |Q| / (h/e) (docs/theory.md sec. 0,
    :func:`tunnelsim.flux_phase`, with the sign of the charge kept: a negative charge reverses the
    phase), S the area of the loop (triangle or square), theta the angle between B and the loop's
    normal (the wells counter-clockwise about it); then as :func:`flux_spectrum`.

    Parameters
    ----------
    system : {"3ls", "4ls"}
        Which system.
    field : 1-D array_like
        Magnetic field B in tesla.
    area : float
        Flux-threaded area S of the loop in m^2, > 0.
    theta : float
        Angle between B and the loop's normal, radians.
    charge : float
        Tunneling charge Q in units of e, non-zero.
    method, keep_states : see :func:`flux_spectrum`
    operators : sequence of str or mapping, optional
        As in :func:`flux_spectrum`; here "dipole_x", "dipole_y" are in e m (the regular polygon of area S).
    **params
        The system's parameters, as in :func:`flux_spectrum` (K).

    Returns
    -------
    tunnelsim.results.SpectrumData
        Levels in K versus B (parameter "B", unit "T"); area, theta and charge in the metadata.

    Examples
    --------
    >>> import numpy as np
    >>> from tunnelsim.single.three_level import three_level_energies
    >>> from tunnelsim.constants import flux_phase
    >>> B, S = np.array([0.0, 5.0]), 1e-17
    >>> spec = field_spectrum('3ls', B, area=S, energies=[0.0, 0.0, 0.0], d0=1.0)
    >>> bool(np.allclose(spec.energies, three_level_energies([0.0, 0.0, 0.0], 1.0, flux_phase(B, S))))
    True
    """
    _check_model_params("field_spectrum", system, params)
    _check_points(np.size(field) if isinstance(field, np.ndarray) else 0, "field")
    b = as_real_array(field, "field", ndim=1)
    _check_points(b.size, "field")
    s = as_real_scalar(area, "area")
    if s <= 0:
        raise ValueError(f"area must be > 0 (m^2), got {s:g}")
    th = as_real_scalar(theta, "theta")
    q = as_real_scalar(charge, "charge")
    ph = np.sign(q) * np.atleast_1d(flux_phase(b, s, th, q))  # flux_phase refuses q = 0 and an overflowing phase
    n = _RING[system][0]
    out = _ring_spectrum(system, ph, method, keep_states, operators, params, polygon_circumradius(n, s), q)
    meta = {**out.metadata, "area_m2": s, "theta_rad": th, "charge_e": q}
    return SpectrumData("B", b, out.energies, unit="T", label=out.label, metadata=meta, states=out.states,
                        matrix_elements=out.matrix_elements)


def parse_range(text: str) -> np.ndarray:
    """Parse ``"start:stop:num"`` (inclusive, like numpy.linspace) or a comma list into an array.

    Examples
    --------
    >>> parse_range('0:1:5')
    array([0.  , 0.25, 0.5 , 0.75, 1.  ])
    >>> parse_range('0.1, 2, 30')
    array([ 0.1,  2. , 30. ])
    """
    if not isinstance(text, str):
        raise TypeError(f"range must be a string like '0:6.28:200', got {type(text).__name__}")
    try:
        if ":" in text:
            parts = text.split(":")
            if len(parts) != 3:
                raise ValueError
            num = int(parts[2])
            if not 1 <= num <= MAX_GRID_POINTS:
                raise ValueError(f"the number of points in {text!r} must be between 1 and {MAX_GRID_POINTS}, got "
                                 f"{num}")
            return np.linspace(float(parts[0]), float(parts[1]), num)
        return np.array([float(x) for x in text.split(",")])
    except ValueError as exc:
        if "number of points" in str(exc):
            raise
        raise ValueError(f"could not parse {text!r}: expected 'start:stop:num' or a comma-separated list") from None
