"""The polarization echo of ATS ensembles in a magnetic field: A(B) and A(tau) (beyond the paper).

docs/theory.md sec. 6c. The ATS are drawn from paper eq. 6 (:func:`tunnelsim.sample_ats`, in the form of
docs/theory.md sec. 2) with the zero-field gap log-uniform on [d_min, d_max], d_max just above the resonance
h f + band (a field only opens the doublet, so no system with a larger zero-field gap can be resonant), and an
isotropic orientation: cos(theta) of the magnetic field to the triangle's normal uniform on [-1, 1], the RF
electric field at ``field_angle`` to B (its azimuth around B and its in-plane azimuth uniform). At each field the
exact doublet gap of every draw is computed in closed form (:func:`tunnelsim.three_level_energies`); the draws with
|gap/h - f| <= band form the resonant band, and their echo amplitudes come from the batched engine of
:mod:`tunnelsim.response.echo_batch`. The ensemble amplitude is the sum over the band, per draw, times ln(d_max/d_min):
A in units of p* per unit P* (P* ln(d_max/d_min) systems per unit volume). The same draws serve every field and
every tau (common random numbers), so the ratio A(B)/A(0) carries little sampling noise.

Units: fields in T, areas in m^2, charges in e, times in s, frequencies in Hz, energies in K.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from tunnelsim.constants import KELVIN_PER_HZ, flux_phase
from tunnelsim.memory import check_memory
from tunnelsim.phases import wrap_phase
from tunnelsim.response.distributions import ATSSample, sample_ats
from tunnelsim.response.echo import EchoProtocol, echo_protocol
from tunnelsim.response.echo_batch import doublet_echo, doublet_of_stack
from tunnelsim.response.magnetodielectric import ats_dipole_wells
from tunnelsim.single.three_level import three_level_energies
from tunnelsim.stats import as_generator
from tunnelsim.sweep import run_sweep
from tunnelsim.validation import as_real_array, as_real_scalar, check_int, check_positive, check_range

__all__ = ["EchoSample", "EchoData", "sample_echo", "echo_ensemble", "echo_point", "echo_sweep", "echo_vs_field",
           "echo_vs_tau"]

#: Bytes per draw of the band selection (energies, hopping, orientations, phases, levels).
_PER_DRAW = 16 * 8


@dataclass(frozen=True)
class EchoSample:
    """ATS for the echo: paper eq. 6 plus orientations (:func:`sample_echo`, docs/theory.md sec. 6c); energies in K.

    Attributes
    ----------
    ats : ATSSample
        Well energies (n, 3) and hoppings (n,), with the gap cut-offs d_min, d_max.
    cos_theta : numpy.ndarray, shape (n,)
        Cosine of the angle between the magnetic field and the triangle's normal.
    dipole : numpy.ndarray, shape (n, 3)
        Dipole component of each well along the RF electric field, units of p*.
    gap0 : numpy.ndarray, shape (n,)
        Zero-field effective gap sqrt((2/3) sum E_i^2) (docs/theory.md eq. (1.6)), K: the pre-selection of the band.

    Examples
    --------
    The zero-field gaps lie on [d_min, d_max], d_max = 1.05 (h f + h band) just above the resonant band; the dipole
    of every draw is traceless (sum_a d_a = 0, sec. 6b):

    >>> import numpy as np
    >>> from tunnelsim.constants import KELVIN_PER_HZ
    >>> s = sample_echo(2000, 1, frequency=1e9, band=2e7)
    >>> s.size, round(s.ats.d_max / (1.05 * (1e9 + 2e7) * KELVIN_PER_HZ), 12)
    (2000, 1.0)
    >>> bool(np.all((s.gap0 >= s.ats.d_min) & (s.gap0 <= s.ats.d_max)))
    True
    >>> round(float(np.abs(s.dipole.sum(axis=1)).max()), 12)
    0.0
    """

    ats: ATSSample
    cos_theta: np.ndarray
    dipole: np.ndarray
    gap0: np.ndarray

    @property
    def size(self) -> int:
        """Number of draws."""
        return int(self.ats.d0.size)


def sample_echo(n: int, seed=None, *, frequency: float, band: float, d_min: float | None = None,
                d0_min: float = 20.0, d0_max: float = 200.0, field_angle: float = 0.0) -> EchoSample:
    """Draw ``n`` ATS (paper eq. 6, docs/theory.md sec. 2) and their orientations for the echo at ``frequency``.

    The zero-field gap is log-uniform on [d_min, d_max] with d_max = 1.05 (h f + h band) (5 % above the top of
    the band: the exact zero-field gap differs from the effective one by O(|E_i|/D0)); D0 log-uniform on
    [d0_min, d0_max] (:func:`tunnelsim.sample_ats`); orientations as in the module docstring.

    Parameters
    ----------
    n : int
        Number of draws (1 ... 10^7).
    seed : int, numpy.random.Generator or None
        The toolkit's seed convention (:func:`tunnelsim.stats.as_generator`).
    frequency : float
        RF frequency f in Hz.
    band : float
        Half-width of the resonant band in Hz (0 < band < f).
    d_min : float, optional
        Lower cut-off of the zero-field gap in K (default h f / 20).
    d0_min, d0_max : float
        Range of D0 in K.
    field_angle : float
        Angle between the RF electric field and the magnetic field, radians in [0, pi/2].

    Returns
    -------
    EchoSample

    Examples
    --------
    >>> s = sample_echo(1000, 1, frequency=1e9, band=2e7)
    >>> s.size, s.dipole.shape
    (1000, (1000, 3))
    """
    f = float(check_positive(as_real_scalar(frequency, "frequency"), "frequency"))
    w = float(check_range(check_positive(as_real_scalar(band, "band"), "band"), "band", hi=f, hi_open=True))
    hf = f * KELVIN_PER_HZ
    lo = hf / 20.0 if d_min is None else float(check_positive(as_real_scalar(d_min, "d_min"), "d_min"))
    hi = 1.05 * (f + w) * KELVIN_PER_HZ
    if not lo < hf - w * KELVIN_PER_HZ:
        raise ValueError(f"d_min must lie below the resonant band (h (f - band) = {hf - w * KELVIN_PER_HZ:g} K), "
                         f"got d_min={lo:g} K")
    gamma = float(check_range(as_real_scalar(field_angle, "field_angle"), "field_angle", 0.0, np.pi / 2))
    g = as_generator(seed, "seed")
    ats = sample_ats(n, g, d_min=lo, d_max=hi, d0_min=d0_min, d0_max=d0_max)
    cos_t = g.uniform(-1.0, 1.0, ats.d0.size)
    beta, alpha = g.uniform(0.0, 2.0 * np.pi, (2, ats.d0.size))
    cos_f = np.cos(gamma) * cos_t + np.sin(gamma) * np.sqrt(1.0 - cos_t**2) * np.cos(beta)
    return EchoSample(ats, cos_t, ats_dipole_wells(np.arccos(np.clip(cos_f, -1.0, 1.0)), alpha), ats.effective_gap)


def _band(sample: EchoSample, phi: np.ndarray, proto: EchoProtocol, band: float) -> np.ndarray:
    """Indices of the draws whose exact doublet gap lies within ``band`` (Hz) of the RF frequency.

    The exact gaps (docs/theory.md eq. (1.5)) are computed only for the candidates whose effective gap
    sqrt(gap0^2 + (4/3) D0^2 phi^2) (eq. (1.6), phi wrapped) lies within band + 10 % of f of the frequency: near the
    resonance phi << 1 and |E_i| << D0, where the two differ by far less than that margin.
    """
    a = 2.0 / np.sqrt(3.0) * sample.ats.d0 * np.abs(np.asarray(wrap_phase(phi)))
    eff = np.hypot(sample.gap0, a) / KELVIN_PER_HZ
    cand = np.flatnonzero(np.abs(eff - proto.frequency) <= band + 0.1 * proto.frequency)
    if cand.size == 0:
        return cand
    lev = np.atleast_2d(three_level_energies(sample.ats.energies[cand], sample.ats.d0[cand], phi[cand]))
    gap = (lev[:, 1] - lev[:, 0]) / KELVIN_PER_HZ
    return cand[np.abs(gap - proto.frequency) <= band]


def echo_ensemble(sample: EchoSample, field: float, proto: EchoProtocol, *, band: float, area: float,
                  charge: float = 1.0) -> tuple[complex, int]:
    """Ensemble echo amplitude at one field (docs/theory.md sec. 6c): (A per unit P*, systems in the band).

    Parameters
    ----------
    sample : EchoSample
        From :func:`sample_echo` (its band must cover ``band``).
    field : float
        Magnetic field B in T.
    proto : EchoProtocol
        The sequence (:func:`tunnelsim.response.echo.echo_protocol`).
    band : float
        Half-width of the resonant band in Hz.
    area : float
        Flux-threaded area S of the triangle, m^2.
    charge : float
        Tunneling charge Q in units of e.

    Returns
    -------
    tuple of (complex, int)
        A in units of p* P* (in-phase + i quadrature) and the number of systems in the band.

    Examples
    --------
    A pi/2 - pi sequence for a doublet dipole of p*/2 (t_a = 1/(2 rabi)): at B = 0 the ensemble echo lies in
    quadrature (-i, as the ideal-pulse echo of docs/theory.md sec. 6c), and it is even in B (phi -> -phi turns
    every H into its complex conjugate; same band, same A):

    >>> import numpy as np
    >>> from tunnelsim.response.echo import echo_protocol
    >>> s = sample_echo(20000, 1, frequency=1e9, band=8e6)
    >>> p = echo_protocol(frequency=1e9, rabi=2e6, tau=5e-6, pulses=(2.5e-7, 5e-7), temperature=0.01)
    >>> a0, n0 = echo_ensemble(s, 0.0, p, band=8e6, area=1e-18, charge=2.0)
    >>> n0 > 0, round(float(np.angle(a0) / np.pi), 1)
    (True, -0.5)
    >>> (a1, n1), (a2, n2) = (echo_ensemble(s, b, p, band=8e6, area=1e-18, charge=2.0) for b in (0.5, -0.5))
    >>> n1 == n2, bool(abs(a1 - a2) < 1e-8 * abs(a1))
    (True, True)
    """
    if not isinstance(sample, EchoSample):
        raise TypeError(f"sample must be an EchoSample (from sample_echo), got {type(sample).__name__}")
    if not isinstance(proto, EchoProtocol):
        raise TypeError(f"proto must be an EchoProtocol (from echo_protocol), got {type(proto).__name__}")
    b = float(as_real_scalar(field, "field"))
    w = float(check_positive(as_real_scalar(band, "band"), "band"))
    check_memory(_PER_DRAW * sample.size, f"the resonant band of {sample.size} draws", hint="draw fewer systems")
    phi = np.asarray(flux_phase(b, area, np.arccos(sample.cos_theta), charge), dtype=float)
    idx = _band(sample, phi, proto, w)
    if idx.size == 0:
        return 0j, 0
    gap, d01, pops = doublet_of_stack(sample.ats.energies[idx], sample.ats.d0[idx], sample.dipole[idx], phi[idx],
                                      proto.temperature)
    amp = doublet_echo(gap, d01, pops, proto).sum()
    norm = np.log(sample.ats.d_max / sample.ats.d_min) / sample.size
    return complex(amp * norm), int(idx.size)


@lru_cache(maxsize=2)
def _cached_sample(n, seed, frequency, band, d_min, d0_min, d0_max, field_angle) -> EchoSample:
    return sample_echo(n, seed, frequency=frequency, band=band, d_min=d_min, d0_min=d0_min, d0_max=d0_max,
                       field_angle=field_angle)


def echo_point(field: float, tau: float, n: int, seed: int, frequency: float, rabi: float, pulses: list,
               temperature: float, band: float, area: float, charge: float, d_min: float | None = None,
               d0_min: float = 20.0, d0_max: float = 200.0, field_angle: float = 0.0,
               t1_relax: float | None = None, t2_relax: float | None = None) -> list:
    """One (B, tau) point of :func:`echo_sweep`: [Re A, Im A, systems in the band] (module level, picklable).

    The sample is drawn from ``seed`` (and kept for the next point of the same process), so every point of a
    sweep sees the same draws. Arguments as in :func:`echo_sweep` (T, s, Hz, K, m^2, e; docs/theory.md sec. 6c); A
    in units of p* P*.

    Examples
    --------
    The point is :func:`echo_ensemble` on the sample of ``seed``; at B = 0 the echo of pi/2 - pi lies in quadrature:

    >>> from tunnelsim.response.echo import echo_protocol
    >>> row = echo_point(0.0, 5e-6, 20000, 1, 1e9, 2e6, [2.5e-7, 5e-7], 0.01, 8e6, 1e-18, 2.0)
    >>> row[2] > 0, round(row[1] / abs(complex(row[0], row[1])), 2)
    (True, -1.0)
    >>> p = echo_protocol(frequency=1e9, rabi=2e6, tau=5e-6, pulses=(2.5e-7, 5e-7), temperature=0.01)
    >>> a, n = echo_ensemble(sample_echo(20000, 1, frequency=1e9, band=8e6), 0.0, p, band=8e6, area=1e-18, charge=2.0)
    >>> (complex(row[0], row[1]), row[2]) == (a, n)
    True
    """
    proto = echo_protocol(frequency=frequency, rabi=rabi, tau=tau, pulses=pulses, temperature=temperature,
                          t1_relax=t1_relax, t2_relax=t2_relax)
    s = _cached_sample(n, seed, frequency, band, d_min, d0_min, d0_max, field_angle)
    amp, count = echo_ensemble(s, field, proto, band=band, area=area, charge=charge)
    return [amp.real, amp.imag, count]


@dataclass(frozen=True)
class EchoData:
    """Echo amplitudes on a (field, tau) grid; :meth:`to_xarray` labels them (docs/theory.md sec. 6c).

    Attributes
    ----------
    field : numpy.ndarray, shape (m,)
        Magnetic fields in T (the first is 0).
    tau : numpy.ndarray, shape (k,)
        Pulse separations in s.
    amplitude : numpy.ndarray, shape (m, k), complex
        A in units of p* P*.
    systems : numpy.ndarray, shape (m, k), int
        Systems in the resonant band.
    attrs : dict
        The parameters of the sweep.

    Examples
    --------
    The field dependence is read as |A(B, tau)|/|A(0, tau)| (1 at B = 0 by construction; here the echo halves at
    1 T):

    >>> import numpy as np
    >>> d = EchoData(np.array([0.0, 1.0]), np.array([5e-6]), np.array([[-2e-4j], [1e-5 - 1e-4j]]),
    ...              np.array([[105], [60]]))
    >>> np.round(d.normalised, 3).tolist()
    [[1.0], [0.502]]
    >>> da = d.to_xarray()
    >>> da.dims, da["field"].attrs["units"], da["tau"].attrs["units"]
    (('field', 'tau'), 'T', 's')
    """

    field: np.ndarray
    tau: np.ndarray
    amplitude: np.ndarray
    systems: np.ndarray
    attrs: dict = field(default_factory=dict)

    @property
    def normalised(self) -> np.ndarray:
        """|A(B, tau)| / |A(0, tau)|, shape (m, k)."""
        zero = np.abs(self.amplitude[0])
        return np.abs(self.amplitude) / np.where(zero > 0, zero, np.nan)

    def to_xarray(self):
        """The DataArray ``echo_amplitude`` = |A(B, tau)|/|A(0, tau)| on dims (field, tau), with the complex A
        (``amplitude``) and the band size (``systems``) as coordinates; needs xarray."""
        import xarray as xr

        dims = ("field", "tau")
        return xr.DataArray(self.normalised, dims=dims, name="echo_amplitude",
                            coords={"field": ("field", self.field, {"units": "T"}),
                                    "tau": ("tau", self.tau, {"units": "s"}),
                                    "amplitude": (dims, self.amplitude, {"units": "p* P*"}),
                                    "systems": (dims, self.systems)},
                            attrs={"long_name": "|A(B, tau)| / |A(0, tau)|", **self.attrs})


def _labelled(data: EchoData):
    try:
        import xarray  # noqa: F401
    except ImportError:
        return data
    return data.to_xarray()


def echo_sweep(fields, taus, *, n: int = 200000, seed: int = 1, frequency: float = 1e9, rabi: float = 2e6,
               pulses=None, temperature: float = 0.01, band: float | None = None, area: float = 1e-18,
               charge: float = 2.0, d_min: float | None = None, d0_min: float = 20.0, d0_max: float = 200.0,
               field_angle: float = 0.0, t1_relax: float | None = None, t2_relax: float | None = None,
               executor=None, path=None, progress: bool | None = None):
    """Echo amplitude of an ATS ensemble on a grid of fields and pulse separations (docs/theory.md sec. 6c).

    Every (B, tau) point is :func:`echo_point` (the sample of ``n`` draws of eq. 6, the resonant band, the batched
    echo); the points run through :func:`tunnelsim.run_sweep` on ``executor`` (any concurrent.futures Executor)
    and resume from ``path`` when given. B = 0 is added when missing (it normalises the result).

    Parameters
    ----------
    fields : array_like
        Magnetic fields B in T, >= 0.
    taus : array_like
        Pulse separations tau in s (each >= (t_a + t_b)/2).
    n : int
        Draws from eq. 6 (about 1 % of them fall in the band of the defaults).
    seed : int
        Seed of the draws (>= 0).
    frequency, rabi, pulses, temperature, t1_relax, t2_relax
        The sequence (:func:`tunnelsim.response.echo.echo_protocol`); ``pulses`` default: pi/2 - pi for a doublet
        dipole of p*/2, t_a = 1/(2 rabi), t_b = 2 t_a.
    band : float, optional
        Half-width of the resonant band in Hz (default 4 rabi: systems detuned by more give < 1 % of the echo,
        docs/echo.md).
    area, charge : float
        Flux-threaded area S (m^2) and tunneling charge Q (e) of every ATS.
    d_min, d0_min, d0_max, field_angle
        The ATS distribution and the field geometry (:func:`sample_echo`).
    executor : concurrent.futures.Executor, optional
        Runs the points (None: in this process).
    path : path-like, optional
        JSON-lines file of the sweep (resume).
    progress : bool or None
        Progress bar (None: only on a terminal).

    Returns
    -------
    xarray.DataArray or EchoData
        |A(B, tau)|/|A(0, tau)| on dims (field, tau) (:meth:`EchoData.to_xarray`), or the :class:`EchoData` when
        xarray is not installed.

    Examples
    --------
    >>> r = echo_sweep([0.0, 0.5], [5e-6], n=20000)
    >>> float(r.sel(field=0.0, tau=5e-6))
    1.0
    """
    fb = as_real_array(fields, "fields", allow_empty=True).ravel()
    if fb.size:
        check_positive(fb, "fields", strict=False)
    b = np.unique(np.concatenate([[0.0], fb]))
    t = np.atleast_1d(check_positive(as_real_array(taus, "taus"), "taus")).ravel()
    r = float(check_positive(as_real_scalar(rabi, "rabi"), "rabi"))
    pl = [0.5 / r, 1.0 / r] if pulses is None else [float(x) for x in as_real_array(pulses, "pulses", ndim=1)]
    f = float(check_positive(as_real_scalar(frequency, "frequency"), "frequency"))
    if band is None and 4.0 * r >= f:
        raise ValueError(f"rabi must be below frequency/4 = {f / 4:g} Hz (the default band is 4 rabi), got {r:g} Hz")
    w = 4.0 * r if band is None else float(check_positive(as_real_scalar(band, "band"), "band"))
    spec = dict(n=check_int(n, "n", minimum=1, maximum=10**7), seed=check_int(seed, "seed", minimum=0),
                frequency=frequency, rabi=r, pulses=pl, temperature=temperature, band=w,
                area=float(check_positive(as_real_scalar(area, "area"), "area")),
                charge=float(as_real_scalar(charge, "charge")), d_min=d_min, d0_min=d0_min, d0_max=d0_max,
                field_angle=field_angle, t1_relax=t1_relax, t2_relax=t2_relax)
    for ti in t:  # every argument checked before any work
        echo_protocol(frequency=frequency, rabi=r, tau=ti, pulses=pl, temperature=temperature, t1_relax=t1_relax,
                      t2_relax=t2_relax)
    flux_phase(b[-1], spec["area"], 0.0, spec["charge"])
    sample_echo(1, 0, frequency=frequency, band=w, d_min=d_min, d0_min=d0_min, d0_max=d0_max,
                field_angle=field_angle)
    points = [dict(spec, field=float(bi), tau=float(ti)) for bi in b for ti in t]
    rows = run_sweep(echo_point, points, path, executor=executor, progress=progress, desc="echo(B, tau)")
    res = np.array([row["result"] for row in rows], dtype=float).reshape(b.size, t.size, 3)
    attrs = {k: (v if v is not None else "none") for k, v in spec.items() if k != "pulses"}
    attrs["pulses"] = f"{pl[0]:g} s, {pl[1]:g} s"
    return _labelled(EchoData(b, t, res[..., 0] + 1j * res[..., 1], res[..., 2].astype(int), attrs))


def echo_vs_field(fields, tau: float, **kwargs):
    """A(B)/A(0) at one pulse separation ``tau`` (s): :func:`echo_sweep` on the fields, dims (field,).

    Examples
    --------
    >>> r = echo_vs_field([0.0, 0.5], 5e-6, n=20000)
    >>> r.dims
    ('field',)
    """
    t = float(check_positive(as_real_scalar(tau, "tau"), "tau"))
    out = echo_sweep(fields, [t], **kwargs)
    return out.isel(tau=0) if hasattr(out, "isel") else out


def echo_vs_tau(taus, field: float, **kwargs):
    """A(tau, B)/A(tau, 0) at one field ``field`` (T): :func:`echo_sweep` on the taus, dims (tau,).

    Examples
    --------
    >>> r = echo_vs_tau([3e-6, 6e-6], 0.5, n=20000)
    >>> r.dims
    ('tau',)
    """
    b = float(check_positive(as_real_scalar(field, "field"), "field", strict=False))
    out = echo_sweep([b], taus, **kwargs)
    return out.sel(field=b) if hasattr(out, "sel") else out
