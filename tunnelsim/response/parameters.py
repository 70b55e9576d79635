"""One parameter container for both observables of the glass model: heat capacity and dielectric constant.

:class:`GlassParameters` holds every parameter of paper eq. 31 (heat capacity, docs/theory.md sec. 5)
and of paper eqs. 8 and 14 (dielectric constant, docs/theory.md sec. 6). The ATS gap cut-offs D_min
and d_max are the same numbers in both (d_max None: no upper cut-off). A term is present when its
amplitude (c_debye, c_2ls, p_star, n_fe; chi, chi_ats) is set and non-zero; its scales must then be set
too. The combined observables (:func:`tunnelsim.heat_capacity`, :func:`tunnelsim.dielectric_total` and
what builds on it) take a GlassParameters (for instance from :func:`tunnelsim.get_preset`), keyword
arguments with the same names, or both (the keywords win).

Units: c_debye per K^4, c_2ls per K^2, p_star and n_fe per K (times the heat-capacity unit, e.g.
uJ g^-1), chi and chi_ats dimensionless, d_min, d_max, delta_fe and delta0_min in K, k_relax and
k_ats in K^-3 s^-1.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from tunnelsim.validation import as_real_scalar, check_positive, describe

__all__ = ["GlassParameters", "resolve"]

#: amplitudes (>= 0): a term is present when its amplitude is set and non-zero
AMPLITUDES = ("c_debye", "c_2ls", "p_star", "n_fe", "chi", "chi_ats")
#: scales (> 0), needed by the terms named in :data:`NEEDS`
SCALES = ("d_min", "delta_fe", "delta0_min", "k_relax", "k_ats")
#: the scales each amplitude's term needs
NEEDS = {"p_star": ("d_min",), "n_fe": ("delta_fe",), "chi": ("delta0_min", "k_relax"),
         "chi_ats": ("d_min", "k_ats")}


@dataclass(frozen=True)
class GlassParameters:
    """Parameters of the two-species glass model, shared by heat capacity and dielectric constant.

    docs/theory.md secs. 5 (paper eq. 31) and 6 (paper eqs. 8 and 14).

    Every field is optional (None: not given). Values are checked on construction: amplitudes
    >= 0, scales > 0, d_min < d_max. An infinite d_max is stored as None (no upper cut-off), so that
    every stored number is finite.

    Attributes
    ----------
    c_debye : float
        Debye coefficient c_D of c_D T^3 (paper eq. 21).
    c_2ls : float
        Coefficient c_2LS = (pi^2/6) Pbar of the linear STM term (paper eq. 21).
    p_star, d_min, d_max : float
        ATS density P* (per unit ln E) and gap cut-offs in K (paper eqs. 18, 26): g(E) = P*/E on
        [d_min, d_max]; d_max = None (no upper cut-off, i.e. infinity) by default.
    n_fe, delta_fe : float
        Amount of Fe3+ centres and peak splitting in K (paper eqs. 27-30).
    chi, delta0_min, k_relax : float
        STM dielectric strength Pbar p^2/(3 eps0 eps_r), lower tunneling cut-off Delta0min in K and
        relaxation constant K in K^-3 s^-1 (paper eqs. 8-11).
    chi_ats, k_ats : float
        ATS dielectric strength P* p*^2/(3 eps0 eps_r D_min) and relaxation constant K* in
        K^-3 s^-1 (the toolkit's eq. 14).

    Examples
    --------
    >>> import math
    >>> g = GlassParameters(p_star=1.0, d_min=0.01, d_max=math.inf)
    >>> print(g.d_max)  # no upper cut-off is stored as None
    None
    >>> try:
    ...     GlassParameters(d_min=1.0, d_max=0.5)
    ... except ValueError as err:
    ...     print('d_max' in str(err) or 'd_min' in str(err))
    True
    """

    c_debye: float | None = None
    c_2ls: float | None = None
    p_star: float | None = None
    d_min: float | None = None
    d_max: float | None = None
    n_fe: float | None = None
    delta_fe: float | None = None
    chi: float | None = None
    delta0_min: float | None = None
    k_relax: float | None = None
    chi_ats: float | None = None
    k_ats: float | None = None

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is not None:
                object.__setattr__(self, f.name, _checked(f.name, value))
        if self.d_max == math.inf:  # no upper cut-off
            object.__setattr__(self, "d_max", None)
        if self.d_min is not None and self.d_max is not None and not self.d_min < self.d_max:
            raise ValueError(f"d_min must be smaller than d_max, got d_min={self.d_min:g}, d_max={self.d_max:g}")

    def __repr__(self) -> str:
        return "GlassParameters(" + ", ".join(f"{k}={v!r}" for k, v in self.as_dict().items()) + ")"

    def as_dict(self) -> dict[str, float]:
        """The parameters that are set, as a plain dict; units as in the class."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if getattr(self, f.name) is not None}

    def replace(self, **changes: float | None) -> GlassParameters:
        """A copy with some fields changed (None removes one; units as in the class).

        Unknown names raise a TypeError naming them; values are checked as on construction.
        """
        unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(self)})
        if unknown:
            known = ", ".join(f.name for f in dataclasses.fields(self))
            raise TypeError(f"unknown glass parameter(s) {', '.join(unknown)}; known: {known}")
        return dataclasses.replace(self, **changes)

    def present(self, amplitude: str) -> bool:
        """Whether the term of ``amplitude`` (one of :data:`AMPLITUDES`) is set and non-zero.

        The terms are those of paper eq. 31 (heat capacity) and eqs. 8 and 14 (dielectric constant).
        """
        value = getattr(self, amplitude)
        return value is not None and value != 0.0

    @property
    def upper_gap(self) -> float:
        """d_max in K, or inf when there is no upper cut-off (d_max None)."""
        return math.inf if self.d_max is None else self.d_max

    def require(self, amplitude: str) -> tuple[float, ...]:
        """The amplitude and the scales its term needs (:data:`NEEDS`, in that order).

        A ValueError names a missing scale.
        """
        missing = [s for s in NEEDS.get(amplitude, ()) if getattr(self, s) is None]
        if missing:
            raise ValueError(f"params must give {' and '.join(missing)} for the term of {amplitude} "
                             f"({amplitude} = {getattr(self, amplitude):g} is set)")
        return (getattr(self, amplitude),) + tuple(getattr(self, s) for s in NEEDS.get(amplitude, ()))


def real_or_inf(value: object, name: str) -> float:
    """A real number, where +inf is allowed (an absent upper cut-off, e.g. d_max in K); errors name ``name``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == math.inf:
        return math.inf
    return as_real_scalar(value, name)


def cutoffs(lo: object, hi: object, name_lo: str, name_hi: str, *, strict: bool = True,
            finite: bool = False) -> tuple[float, float]:
    """An energy window [lo, hi] in K: lo > 0 (>= 0 with ``strict=False``), hi real or +inf, lo < hi.

    The one rule for every energy window of the response package: the gap cut-offs of the ATS DOS
    g(E) = P*/E (paper eq. 18, docs/theory.md sec. 2), the limits of the DOS integral of docs/theory.md
    sec. 5, and the ranges the samplers draw from. ``finite=True`` where the quantity needs a finite
    upper edge (log-uniform draws, the number ln(hi/lo) of systems in the window); errors name
    ``name_lo`` / ``name_hi``.
    """
    low = float(check_positive(as_real_scalar(lo, name_lo), name_lo, strict=strict))
    high = real_or_inf(hi, name_hi)
    if finite and high == math.inf:
        raise ValueError(f"{name_hi} must be finite here (an open window holds infinitely many systems), got inf")
    if not low < high:
        raise ValueError(f"{name_lo} must be smaller than {name_hi}, got {name_lo}={low:g}, {name_hi}={high:g}")
    return low, high


def _checked(name: str, value: object) -> float:
    v = real_or_inf(value, name) if name == "d_max" else as_real_scalar(value, name)
    return v if v == math.inf else float(check_positive(v, name, strict=name not in AMPLITUDES))


def resolve(params: GlassParameters | None, values: dict[str, float | None]) -> GlassParameters:
    """The parameters of one call: ``params`` (a GlassParameters or None) with the keyword ``values`` over it.

    The parameter convention of the glass-response observables (docs/theory.md secs. 5-6).

    Raises
    ------
    TypeError
        ``params`` is something else (a dict: pass ``GlassParameters(**d)`` or ``**d``), or a keyword
        is not a parameter name.
    ValueError
        A value out of range (see :class:`GlassParameters`).

    Examples
    --------
    >>> g = resolve(GlassParameters(c_2ls=1.0, c_debye=2.0), {'c_2ls': 3.0})
    >>> print(g.c_2ls, g.c_debye)  # keywords over the container
    3.0 2.0
    """
    if params is None:
        params = GlassParameters()
    elif not isinstance(params, GlassParameters):
        raise TypeError(f"params must be a GlassParameters (e.g. get_preset(...) or GlassParameters(**d)) or None, "
                        f"got {type(params).__name__} ({describe(params)}); a dict goes in as keywords: **d")
    return params.replace(**values) if values else params
