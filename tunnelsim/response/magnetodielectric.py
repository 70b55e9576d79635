"""The dielectric constant eps(T, B) of the ATS from exact three-level systems (beyond the paper).

docs/theory.md sec. 6b. Each ATS of an ensemble drawn by :func:`tunnelsim.sample_ats` (paper eq. 6 in the
form of docs/theory.md sec. 2, the sampler of C(T, B)) is the 3LS of paper eq. 3: the well energies on the
diagonal, the Peierls ring of :func:`tunnelsim.phases.ring_hopping` off it (the one home of the hopping,
which :func:`tunnelsim.three_level` uses too), with the Aharonov-Bohm phase
phi = 2 pi B S cos(theta) / Phi_0 (:func:`tunnelsim.constants.flux_phase`). The particle of charge Q sits
in wells on a triangle of radius a, so an electric field F shifts well a by -Q r_a.F: the dipole operator
is diagonal in the well basis (:func:`ats_dipole_wells`). Its eigenpairs come from batched LAPACK
(:func:`tunnelsim.results.spectrum_of_stack`, with the dipole matrix elements), and the exact linear
response of each system is split as in docs/theory.md sec. 6:

* resonant (all level pairs): 2 sum_{k<l} (p_k - p_l) |d_kl|^2 / (e_l - e_k), minus its T -> 0 value AT B = 0
  (the reference state of a measurement, subtracted once): the T -> 0 van Vleck term itself depends on B (the
  field tilts and opens the doublet), and that change is part of eps'(T, B) - eps'(T, 0);
* relaxational: the thermal fluctuation (1/T)(<d_kk^2> - <d_kk>^2) of the diagonal dipole, times the Debye
  factor 1/(1 + omega^2 tau*^2) with the ATS relaxation time of the response module,
  1/tau* = K* u^2 E^3 coth(E/2T), E the doublet gap and u^2 = |d_01|^2 / (|d_01|^2 + (d_11 - d_00)^2/4)
  the tunneling fraction of the doublet (for a 2LS, (Delta0/E)^2). u^2 is taken from the probe dipole, so a
  system's tau* depends on the direction of the measuring field (a modelling choice, docs/theory.md sec. 6b).

Units: the results are delta eps'/eps_r in units of chi_ats = P* p*^2 / (3 eps0 eps_r D_min) with
p*^2 = Q^2 a^2 / 2 (the orientation average of the doublet's squared dipole is then p*^2/3, as for the
vector dipole of :func:`tunnelsim.dielectric_ats_parts`), so that for |E_i| << D0 and B = 0 they tend to
the effective-2LS ATS term of the response module (its "isotropic" form), the check of the tests and of the
report. Temperatures in K, frequency in Hz, fields in T, areas in m^2, charges in units of e.
"""

from __future__ import annotations

import numpy as np

from tunnelsim.constants import flux_phase
from tunnelsim.memory import check_memory
from tunnelsim.phases import ring_hopping
from tunnelsim.progress import progress_bar, show_progress
from tunnelsim.response._numerics import blocks, debye_weights, tanh_over_x
from tunnelsim.response.dielectric import checked_response_inputs, checked_temperatures
from tunnelsim.response.distributions import ATSSample
from tunnelsim.results import spectrum_of_stack
from tunnelsim.stats import seed_entropy
from tunnelsim.validation import (
    as_real_array,
    as_real_pair,
    as_real_scalar,
    check_int,
    check_positive,
    check_range,
    check_same_length,
    check_sum_zero,
)

__all__ = ["ats_dipole_wells", "ats_linear_response", "dielectric_ats_ensemble", "dielectric_ats_field",
           "magnetocapacitance"]

_ANGLES = 2.0 * np.pi * np.arange(3) / 3.0  # azimuths of the three wells on the triangle
#: bytes per (temperature, system) of the response sums (populations, pair terms, Debye factors)
_PER_TS = 40 * 8
#: Mixed into the orientation seed: the same int seed as the sample's (sample_ats) still gives independent draws.
_ORIENTATION_SALT = 0x3D1E


def _orientations(seed: object) -> np.random.Generator:
    """The generator of the field orientations: ``seed`` (int, None or Generator; docs/theory.md sec. 0) salted, so
    that an int shared with :func:`tunnelsim.sample_ats` does not replay the sample's uniform draws."""
    return np.random.default_rng([seed_entropy(seed, "seed"), _ORIENTATION_SALT])


#: bytes per system of the spectra (Hamiltonians, eigenvectors, matrix elements, complex)
_PER_S = 8 * 9 * 16


def ats_dipole_wells(theta, alpha) -> np.ndarray:
    """Dipole component along the electric field of the particle in each well, in units of p* = Q a / sqrt 2.

    docs/theory.md sec. 6b: wells at r_a = a (cos 2 pi a/3, sin 2 pi a/3) in the plane of the triangle,
    d_a = Q r_a . F/|F| = sqrt 2 sin(theta) cos(alpha - 2 pi a/3) (a = 0, 1, 2), which sums to zero.

    Parameters
    ----------
    theta : float or array_like, shape (n,)
        Angle between the electric field and the normal of the triangle, radians.
    alpha : float or array_like, shape (n,)
        Azimuth of the field's in-plane part, measured from well 1, radians.

    Returns
    -------
    numpy.ndarray, shape (n, 3) (or (3,) for scalars)
        The diagonal of the dipole operator in the well basis, units of p*.

    Examples
    --------
    A field in the plane of the triangle, along well 1; a field along the normal, which does not couple; and the
    sum rule sum_a d_a^2 = 3 sin^2(theta) (so that the mean over the wells of d_a^2 is 1 for an in-plane field):

    >>> import numpy as np
    >>> np.round(ats_dipole_wells(np.pi / 2, 0.0), 4).tolist()
    [1.4142, -0.7071, -0.7071]
    >>> float(np.abs(ats_dipole_wells(0.0, 1.0)).max())
    0.0
    >>> d = ats_dipole_wells([0.3, 1.0, 2.0], [0.1, 2.0, 5.0])
    >>> np.round(np.sum(d**2, axis=1) / (3 * np.sin([0.3, 1.0, 2.0]) ** 2), 12).tolist()
    [1.0, 1.0, 1.0]
    """
    th, al = as_real_pair(theta, "theta", alpha, "alpha")
    th, al = np.broadcast_arrays(th, al)
    return np.sqrt(2.0) * np.sin(th)[..., None] * np.cos(al[..., None] - _ANGLES)


def _checked_sample(sample: object) -> ATSSample:
    if not isinstance(sample, ATSSample):
        raise TypeError(f"sample must be an ATSSample (from sample_ats), got {type(sample).__name__}")
    if not 0.0 < sample.d_min < sample.d_max:
        raise ValueError("sample must carry its gap cut-offs 0 < d_min < d_max (as sample_ats sets them), got "
                         f"d_min={sample.d_min:g}, d_max={sample.d_max:g}")
    return sample


def _inputs(T, frequency, k_ats):
    """Checked T (K, 1-D), omega = 2 pi f (f in Hz) and K* (K^-3 s^-1), as in :func:`tunnelsim.dielectric_ats_parts`."""
    t, f, k = checked_response_inputs(T, frequency, k_ats, "k_ats")
    return t, 2.0 * np.pi * f, k


def _pair_factor(z: np.ndarray) -> np.ndarray:
    """(1 - e^-z)/z, 1 at z = 0: (p_k - p_l)/(e_l - e_k) = p_k (1 - e^{-z})/(z T), z = (e_l - e_k)/T."""
    small = z < 1e-8
    return np.where(small, 1.0, -np.expm1(-z) / np.where(small, 1.0, z))


def _spectrum(energies: np.ndarray, d0: np.ndarray, phi: float, dipole: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Levels (n, 3) in K and dipole matrix elements (n, 3, 3) of a stack of 3LS, by batched LAPACK."""
    h = ring_hopping(d0, phi, 3) + energies[:, :, None] * np.eye(3)
    spec = spectrum_of_stack("system", np.arange(h.shape[0], dtype=float), h,
                             operators={"dipole": dipole[:, :, None] * np.eye(3)})
    return spec.energies, spec.matrix_elements["dipole"]


def _van_vleck0(lev: np.ndarray, me: np.ndarray) -> np.ndarray:
    """The T -> 0 van Vleck term 2 sum_{l>0} |d_0l|^2 / (e_l - e_0) of each system (n,), p^2/K."""
    d2 = np.abs(me) ** 2
    return 2.0 * (d2[:, 0, 1] / (lev[:, 1] - lev[:, 0]) + d2[:, 0, 2] / (lev[:, 2] - lev[:, 0]))


def _response(t: np.ndarray, lev: np.ndarray, me: np.ndarray) -> dict[str, np.ndarray]:
    """The exact linear response of each system (module docstring): res (nT, n), res0 (n,), fluct (nT, n),
    gap (n,), u2 (n,)."""
    d2 = np.abs(me) ** 2
    diag = np.real(np.einsum("nkk->nk", me))
    x = (lev - lev[:, :1])[None, :, :] / t[:, None, None]  # (nT, n, 3)
    w = np.exp(-x)
    p = w / w.sum(axis=2, keepdims=True)
    res = np.zeros((t.size, lev.shape[0]))
    for a, b in ((0, 1), (0, 2), (1, 2)):
        g = lev[:, b] - lev[:, a]
        res += 2.0 * d2[:, a, b] * p[:, :, a] * _pair_factor(g / t[:, None]) / t[:, None]
    mean = (p * diag).sum(axis=2)
    fluct = (p * (diag - mean[..., None]) ** 2).sum(axis=2) / t[:, None]
    half = 0.25 * (diag[:, 1] - diag[:, 0]) ** 2
    u2 = np.where(d2[:, 0, 1] + half > 0, d2[:, 0, 1] / np.maximum(d2[:, 0, 1] + half, 1e-300), 1.0)
    return {"res": res, "res0": _van_vleck0(lev, me), "fluct": fluct, "gap": lev[:, 1] - lev[:, 0], "u2": u2}


def _sums(t: np.ndarray, omega: float, k: float, r: dict[str, np.ndarray], ref: np.ndarray) -> np.ndarray:
    """Sums over the systems at each T, shape (4, nT), from :func:`_response`: res - ref, rel, loss_rel and
    res0 - ref (constant in T), ``ref`` (n,) the T -> 0 van Vleck term of each system at B = 0."""
    gap, u2 = r["gap"], r["u2"]
    y = gap[None, :] / (2.0 * t[:, None])
    log_wt = (np.log(omega) + np.log(tanh_over_x(y)) - np.log(2.0 * t)[:, None] - np.log(k)
              - 2.0 * np.log(gap)[None, :] - np.log(np.maximum(u2, 1e-300))[None, :])
    real, imag = debye_weights(log_wt)
    return np.stack([(r["res"] - ref).sum(axis=1), (r["fluct"] * real).sum(axis=1),
                     (r["fluct"] * imag).sum(axis=1), np.full(t.size, (r["res0"] - ref).sum())])


def ats_linear_response(T, energies, d0, dipole, *, phi: float = 0.0) -> dict[str, np.ndarray]:
    """The exact static linear response of each of n three-level systems to an electric field (docs/theory.md
    sec. 6b).

    H = diag(E) + the Peierls ring of hopping D0 and phase phi (paper eq. 3), coupling -F sum_a d_a |a><a|;
    with eigenpairs e_k, |k> and Boltzmann weights p_k:

    * ``res`` = 2 sum_{k<l} (p_k - p_l) |<k|d|l>|^2 / (e_l - e_k) (van Vleck, all level pairs), ``res0`` its
      T -> 0 value;
    * ``fluct`` = (1/T) (sum_k p_k <k|d|k>^2 - (sum_k p_k <k|d|k>)^2), the thermal fluctuation of the dipole;
    * ``gap`` = e_1 - e_0 and ``u2`` = |d_01|^2 / (|d_01|^2 + (d_11 - d_00)^2/4), the doublet's tunneling
      fraction, which set the relaxation time 1/tau* = K* u2 gap^3 coth(gap/2T).

    res + fluct is the isothermal susceptibility -d^2 F / dF^2 of each system (the tests check it by
    differentiating the free energy of :func:`tunnelsim.three_level`).

    Parameters
    ----------
    T : array_like
        Temperatures in K (scalar or 1-D).
    energies : array_like, shape (n, 3)
        Well energies in K, each row summing to zero.
    d0 : array_like, shape (n,)
        Hoppings in K, > 0.
    dipole : array_like, shape (n, 3)
        Dipole component along the field of each well (e.g. :func:`ats_dipole_wells`), any unit p; the
        results are in p^2 per K.
    phi : float
        Aharonov-Bohm phase, radians.

    Returns
    -------
    dict of numpy.ndarray
        ``res``, ``fluct`` of shape (nT, n) in p^2/K; ``res0`` (n,) in p^2/K; ``gap`` (n,) in K; ``u2`` (n,).

    Examples
    --------
    One ATS with |E_i| << D0 and the field in the plane of the triangle: its doublet gap is the effective 2LS gap
    sqrt((2/3) sum E_i^2) of docs/theory.md eq. (1.6); as T -> 0 only the van Vleck term is left (no thermal
    fluctuation); for T >> D0 the response is Curie's, (1/3) sum_a d_a^2 / T = 1/T here.

    >>> import numpy as np
    >>> e = np.array([[0.03, -0.01, -0.02]])  # well energies, K
    >>> dip = ats_dipole_wells(np.pi / 2, 0.0)[None, :]
    >>> r = ats_linear_response([1e-3, 1e6], e, [50.0], dip)
    >>> round(float(r["gap"][0] / np.sqrt(2 / 3 * np.sum(e**2))), 3)
    1.0
    >>> round(float(r["res"][0, 0] / r["res0"][0]), 6), round(float(r["fluct"][0, 0]), 6)
    (1.0, 0.0)
    >>> round(float((r["res"][1, 0] + r["fluct"][1, 0]) * 1e6), 4)
    1.0
    """
    _check_response_memory(_length(T), _length(energies))  # before the inputs are copied
    t = checked_temperatures(T)
    e = as_real_array(energies, "energies", ndim=2)
    if e.shape[1] != 3:
        raise ValueError(f"energies must have shape (n, 3), got {e.shape}")
    check_sum_zero(e, "energies")
    d = np.asarray(check_positive(as_real_array(d0, "d0", ndim=1), "d0"), dtype=float)
    dip = as_real_array(dipole, "dipole", ndim=2)
    check_same_length("energies", e, "d0", d)
    if dip.shape != e.shape:
        raise ValueError(f"dipole must have the shape of energies {e.shape}, got {dip.shape}")
    ph = float(as_real_scalar(phi, "phi"))
    _check_response_memory(t.size, e.shape[0])
    return _response(t, *_spectrum(e, d, ph, dip))


def _length(value: object) -> int:
    """The number of items an input declares, without converting it (an array's first axis, a list's length)."""
    if isinstance(value, np.ndarray):
        return int(value.shape[0]) if value.ndim else 1
    return len(value) if isinstance(value, (list, tuple)) else 1


def _check_response_memory(n_t: int, n: int) -> None:
    """The outputs (res, fluct: n_t x n) and the per-system workspace of :func:`ats_linear_response`."""
    check_memory(8.0 * (2 * n_t + 3) * n + 8.0 * (8 * n_t + 150) * n,
                 f"the exact linear response of {n} systems at {n_t} temperatures", hint="pass fewer systems per call")


def _ensemble(t, omega, k, sample: ATSSample, phi: float, dip: np.ndarray, chunk: int | None) -> np.ndarray:
    """Mean over the systems of (res, rel, loss_rel, van_vleck) in units of chi_ats, shape (4, nT), at one phase:
    res and van_vleck relative to each system's T -> 0 van Vleck term at B = 0 (the reference of a measurement)."""
    n = sample.d0.size
    acc = np.zeros((4, t.size))
    per = _PER_TS * t.size + _PER_S
    what = f"the exact 3LS dielectric response of {n} systems at {t.size} temperatures"
    for sl in blocks(n, per, 8.0 * 4 * t.size, what, size=chunk):  # an explicit chunk is checked too
        r = _response(t, *_spectrum(sample.energies[sl], sample.d0[sl], phi, dip[sl]))
        ref = r["res0"] if phi == 0.0 else _van_vleck0(*_spectrum(sample.energies[sl], sample.d0[sl], 0.0, dip[sl]))
        acc += _sums(t, omega, k, r, ref)
    return acc * 3.0 * sample.d_min * np.log(sample.d_max / sample.d_min) / n


def _parts(acc: np.ndarray) -> dict[str, np.ndarray]:
    return {"res": acc[0], "rel": acc[1], "total": acc[0] + acc[1], "loss": acc[2], "van_vleck": acc[3]}


def _chunk(chunk) -> int | None:
    return None if chunk is None else check_int(chunk, "chunk", minimum=1)


def dielectric_ats_ensemble(T, frequency: float, sample: ATSSample, k_ats: float, *, phi: float = 0.0,
                            seed=None, chunk: int | None = None) -> dict[str, np.ndarray]:
    """delta eps'/eps_r of an exact 3LS ensemble at one Aharonov-Bohm phase, the field isotropic (docs/theory.md
    sec. 6b).

    Every system gets a random orientation of the electric field relative to its triangle (cos theta uniform
    on [0, 1], in-plane azimuth uniform; ``seed``); the exact linear response is split into the resonant and
    the relaxational part as in the module docstring. At phi = 0 and |E_i| << D0 it tends to
    :func:`tunnelsim.dielectric_ats_parts` (``variant="isotropic"``, gap cut-offs those of ``sample``).

    Parameters
    ----------
    T : array_like
        Temperatures in K (scalar or 1-D).
    frequency : float
        Measuring frequency in Hz.
    sample : ATSSample
        From :func:`tunnelsim.sample_ats` (its gap cut-offs set the normalisation P* ln(d_max/d_min)).
    k_ats : float
        ATS relaxation constant K* in K^-3 s^-1.
    phi : float
        Aharonov-Bohm phase of every system, radians (0 in zero field).
    seed : int, numpy.random.Generator or None
        Orientations of the field (the toolkit's seed convention; an int is salted, so the sample's own seed
        may be reused without correlating the draws).
    chunk : int, optional
        Systems per block (default: as many as keep the workspace near 32 MB).

    Returns
    -------
    dict of numpy.ndarray, shape (nT,)
        ``res``, ``rel``, ``total`` (delta eps'/eps_r: the T -> 0 value of the resonant part at phi = 0
        subtracted, so that results at different phases are differences a measurement gives), ``loss`` (the
        relaxational loss tangent) and ``van_vleck`` (the T -> 0 van Vleck term at phi minus that at phi = 0,
        constant in T), in units of chi_ats.

    Examples
    --------
    At B = 0 with |E_i| << D0 (D0 = 20-200 K, gaps 0.01-1 K) the exact ensemble is the effective-2LS ATS term of
    paper eq. 14 in its "isotropic" form (:func:`tunnelsim.dielectric_ats_parts`, same cut-offs) to within the
    sampling noise, with its step of about -chi_ats once T >> D_min:

    >>> import numpy as np
    >>> import tunnelsim as ts
    >>> s = ts.sample_ats(5000, 1, d_min=0.01, d_max=1.0, d0_min=20.0, d0_max=200.0)
    >>> T = [0.005, 0.02, 0.1, 0.5]
    >>> r = dielectric_ats_ensemble(T, 1e3, s, 1e10, seed=1)
    >>> ref = ts.dielectric_ats_parts(T, 1e3, 1.0, 0.01, 1e10, 1.0, variant="isotropic")
    >>> bool(np.allclose(r["total"], ref["total"], atol=0.02)), round(float(r["total"][-1]), 1)
    (True, -0.9)
    """
    t, omega, k = _inputs(T, frequency, k_ats)
    s = _checked_sample(sample)
    ph = float(as_real_scalar(phi, "phi"))
    rng = _orientations(seed)
    c = _chunk(chunk)
    n = s.d0.size
    dip = ats_dipole_wells(np.arccos(rng.uniform(0.0, 1.0, n)), rng.uniform(0.0, 2.0 * np.pi, n))
    return _parts(_ensemble(t, omega, k, s, ph, dip, c))


def dielectric_ats_field(T, frequency: float, field, sample: ATSSample, k_ats: float, *, area: float,
                         charge: float = 1.0, field_angle: float = 0.0, n_theta: int = 8, seed=None,
                         chunk: int | None = None, progress: bool | None = None) -> dict[str, np.ndarray]:
    """delta eps'/eps_r(T, B) of exact 3LS (ATS) in a magnetic field, orientation-averaged (docs/theory.md sec. 6b).

    Beyond the paper (its ref. [21], Jug 2004, is the magnetic-field theory it builds on). The magnetic field
    B makes the angle theta with the triangle's normal, phi = 2 pi B S cos(theta)/Phi_0, Phi_0 = h/|Q|;
    cos theta is averaged over [0, 1] with ``n_theta`` Gauss-Legendre nodes (the response is even in phi).
    The electric field makes the angle ``field_angle`` with B; its azimuth around B and its in-plane azimuth
    on the triangle are drawn per system (``seed``). At B = 0 this is :func:`dielectric_ats_ensemble`.

    Parameters
    ----------
    T : array_like
        Temperatures in K (scalar or 1-D).
    frequency : float
        Measuring frequency in Hz.
    field : array_like, shape (m,)
        Magnetic fields B in T.
    sample : ATSSample
        From :func:`tunnelsim.sample_ats` (the sampler of :func:`tunnelsim.heat_capacity_ats_field`).
    k_ats : float
        ATS relaxation constant K* in K^-3 s^-1.
    area : float
        Flux-threaded area S of the triangle's loop, m^2.
    charge : float
        Tunneling charge Q in units of e (a cluster of N particles carries N e), non-zero.
    field_angle : float
        Angle between the electric and the magnetic field, radians in [0, pi/2] (0: parallel).
    n_theta : int
        Gauss-Legendre nodes of cos theta (1..64).
    seed : int, numpy.random.Generator or None
        Orientations (the toolkit's seed convention; an int is salted, so the sample's own seed may be reused).
    chunk : int, optional
        Systems per block (default: workspace near 32 MB).
    progress : bool or None
        Progress bar over the (B, theta) nodes (None: only on a terminal).

    Returns
    -------
    dict of numpy.ndarray, shape (m, nT)
        ``res``, ``rel``, ``total`` and ``loss`` (relaxational loss tangent), units of chi_ats, all relative to
        one reference: the T -> 0 resonant term at B = 0 is subtracted at every field, so ``total[i] -
        total[0]`` with ``field[0] = 0`` is eps'(T, B)/eps_r - eps'(T, 0)/eps_r as measured
        (:func:`magnetocapacitance`); ``van_vleck`` is the field's change of the T -> 0 van Vleck term (constant
        in T; it rises as B^2 in weak fields and falls like 1/B once the field dominates the gaps).

    Examples
    --------
    At 50 mK and 1 kHz (pair tunneling, Q = 2e, S = 1e-18 m^2): the response is even in B (phi -> -phi turns H into
    its complex conjugate), B = 0 is the reference of the van Vleck term, and 10 T opens the doublets so far
    beyond T that the relaxational part freezes out:

    >>> import numpy as np
    >>> import tunnelsim as ts
    >>> s = ts.sample_ats(2000, 1, d_min=0.01, d_max=1.0, d0_min=20.0, d0_max=200.0)
    >>> r = dielectric_ats_field([0.05], 1e3, [-1.0, 0.0, 1.0, 10.0], s, 1e10, area=1e-18, charge=2.0, n_theta=4,
    ...                          seed=1)
    >>> bool(np.allclose(r["total"][0], r["total"][2])), float(r["van_vleck"][1, 0])
    (True, 0.0)
    >>> bool(r["rel"][3, 0] < 0.05 * r["rel"][1, 0])
    True
    """
    t, omega, k = _inputs(T, frequency, k_ats)
    b = np.atleast_1d(as_real_array(field, "field"))
    if b.ndim != 1:
        raise ValueError(f"field must be a number or a 1-D array of fields in T, got shape {b.shape}")
    s = _checked_sample(sample)
    s_area = float(check_positive(as_real_scalar(area, "area"), "area"))
    q = float(as_real_scalar(charge, "charge"))
    gamma = float(check_range(as_real_scalar(field_angle, "field_angle"), "field_angle", 0.0, np.pi / 2))
    nt = check_int(n_theta, "n_theta", minimum=1, maximum=64)
    rng = _orientations(seed)
    c = _chunk(chunk)
    show_progress(progress)
    _check_field_nodes(b.size, nt, t.size, s.d0.size)
    flux_phase(b, s_area, 0.0, q)  # the largest phases: a zero charge or an overflow is refused before any work
    xg, wg = np.polynomial.legendre.leggauss(nt)
    cos_t, wts = 0.5 * (xg + 1.0), 0.5 * wg
    n = s.d0.size
    beta, alpha = rng.uniform(0.0, 2.0 * np.pi, n), rng.uniform(0.0, 2.0 * np.pi, n)
    out = np.zeros((4, b.size, t.size))
    with progress_bar(total=b.size * nt, desc="eps(T, B)", progress=progress) as bar:
        for ct, wt in zip(cos_t, wts):
            st = np.sqrt(1.0 - ct * ct)
            cos_f = np.cos(gamma) * ct + np.sin(gamma) * st * np.cos(beta)
            dip = ats_dipole_wells(np.arccos(np.clip(cos_f, -1.0, 1.0)), alpha)
            for i, bi in enumerate(b):
                ph = float(flux_phase(bi, s_area, float(np.arccos(ct)), q))
                out[:, i] += wt * _ensemble(t, omega, k, s, ph, dip, c)
                bar.update()
    return _parts(out)


#: The most (B, cos theta) nodes one :func:`dielectric_ats_field` call evaluates (each a full exact ensemble).
MAX_FIELD_NODES = 100_000


def _check_field_nodes(m: int, n_theta: int, n_t: int, n: int) -> None:
    """Refuse a field grid whose (B, theta) nodes or outputs are out of reach, before any work."""
    if m * n_theta > MAX_FIELD_NODES:
        raise ValueError(f"field has {m} values, which with n_theta = {n_theta} makes {m * n_theta} exact ensembles "
                         f"of {n} systems, more than the {MAX_FIELD_NODES} one call evaluates; use fewer fields")
    check_memory(8.0 * 4 * m * n_t, f"eps(T, B) at {m} fields and {n_t} temperatures", hint="use fewer fields")


def magnetocapacitance(T, frequency: float, field, sample: ATSSample, k_ats: float, *, area: float,
                       charge: float = 1.0, field_angle: float = 0.0, n_theta: int = 8, seed=None,
                       chunk: int | None = None, progress: bool | None = None) -> dict[str, np.ndarray]:
    """The magnetocapacitance [eps'(T, B) - eps'(T, 0)]/eps_r of exact 3LS (ATS), as a measurement gives it
    (docs/theory.md sec. 6b; beyond the paper).

    :func:`dielectric_ats_field` at B = 0 and at each ``field`` with one set of orientations, the B = 0 curve
    subtracted once: the change of the T -> 0 van Vleck term with B is kept (it rises as B^2 in weak fields,
    where the field tilts each doublet's gap vector away from the dipole coupling, and falls like 1/B once the
    field opens the doublets), beside the thermal change (the field freezes the thermal response out).
    Parameters as for :func:`dielectric_ats_field`.

    Returns
    -------
    dict of numpy.ndarray, shape (m, nT)
        ``change`` = eps'(T, B)/eps_r - eps'(T, 0)/eps_r, ``van_vleck`` its T-independent part (the change of
        the T -> 0 van Vleck term), ``thermal`` = change - van_vleck, and ``loss`` = tan delta(T, B) -
        tan delta(T, 0) (relaxational), all in units of chi_ats = P* p*^2 / (3 eps0 eps_r D_min).

    Examples
    --------
    >>> import tunnelsim as ts
    >>> s = ts.sample_ats(300, 1, d_min=0.01, d_max=1.0, d0_min=20.0, d0_max=200.0)
    >>> r = ts.magnetocapacitance([0.05], 1e3, [1.0], s, 1e10, area=1e-18, charge=2.0, n_theta=2, seed=1)
    >>> bool(r["van_vleck"][0, 0] < 0)
    True
    """
    b = np.atleast_1d(as_real_array(field, "field"))
    if b.ndim != 1:
        raise ValueError(f"field must be a number or a 1-D array of fields in T, got shape {b.shape}")
    r = dielectric_ats_field(T, frequency, np.concatenate([[0.0], b]), sample, k_ats, area=area, charge=charge,
                             field_angle=field_angle, n_theta=n_theta, seed=seed, chunk=chunk, progress=progress)
    change = r["total"][1:] - r["total"][:1]
    vv = r["van_vleck"][1:] - r["van_vleck"][:1]
    return {"change": change, "van_vleck": vv, "thermal": change - vv, "loss": r["loss"][1:] - r["loss"][:1]}
