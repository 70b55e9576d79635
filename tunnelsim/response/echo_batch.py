"""The batched (numpy) engine of the two-pulse echo of exact three-level ATS (beyond the paper).

docs/theory.md sec. 6c; the definitions (the sequence, the amplitude A, the phase cycle) are those of
:mod:`tunnelsim.response.echo`. Exact eigenpairs and <0|D|1> of every 3LS by batched LAPACK
(:func:`tunnelsim.results.spectrum_of_stack`), then the doublet in the rotating-wave approximation with closed-form
SU(2) pulse propagators; a phenomenological T1/T2 acts exactly during the free evolution (Bloch equations) and is
neglected during the pulses (t_a, t_b << T1, T2). The tests hold it against the QuTiP engine
(:func:`tunnelsim.echo_single`). Units: K, Hz, s, rad; dipoles in units of p*.
"""

from __future__ import annotations

import numpy as np

from tunnelsim.memory import check_memory
from tunnelsim.phases import ring_hopping
from tunnelsim.response.echo import RAD_PER_SECOND_PER_KELVIN, EchoProtocol, echo_protocol
from tunnelsim.response.echo import populations as boltzmann
from tunnelsim.results import spectrum_of_stack
from tunnelsim.validation import as_real_array, check_positive, check_same_length, check_sum_zero

__all__ = ["echo_amplitudes", "doublet_echo", "doublet_of_stack"]

#: bytes per system of the batched echo (Hamiltonian, eigenpairs, matrix elements, 2x2 propagators, complex)
_PER_SYSTEM = 60 * 16


def _checked_stack(energies, d0, dipole, phi) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    e = as_real_array(energies, "energies", ndim=2)
    if e.shape[1] != 3:
        raise ValueError(f"energies must have shape (n, 3), got {e.shape}")
    check_sum_zero(e, "energies")
    d = np.asarray(check_positive(as_real_array(d0, "d0", ndim=1), "d0"), dtype=float)
    check_same_length("energies", e, "d0", d)
    dip = as_real_array(dipole, "dipole", ndim=2)
    if dip.shape != e.shape:
        raise ValueError(f"dipole must have the shape of energies {e.shape}, got {dip.shape}")
    ph = as_real_array(phi, "phi")
    if ph.ndim == 0:
        ph = np.broadcast_to(ph, d.shape)
    elif ph.ndim != 1:
        raise ValueError(f"phi must be a number or a 1-D array (one phase per system), got shape {ph.shape}")
    check_same_length("energies", e, "phi", ph)
    return e, d, dip, np.asarray(ph, dtype=float)


def _su2(g: np.ndarray, delta: np.ndarray, t: float) -> np.ndarray:
    """exp(-i h t) for h = [[0, -g], [-g*, delta]] (rad/s), batched, closed form: shape (n, 2, 2)."""
    c = 0.5 * delta
    vx, vy, vz = -g.real, g.imag, -0.5 * delta
    norm = np.sqrt(vx * vx + vy * vy + vz * vz)
    cos = np.cos(norm * t)
    sin_over = t * np.sinc(norm * t / np.pi)  # sin(|v| t)/|v|, finite at |v| = 0
    ph = np.exp(-1j * c * t)
    u = np.empty(g.shape + (2, 2), dtype=complex)
    u[:, 0, 0] = ph * (cos - 1j * sin_over * vz)
    u[:, 1, 1] = ph * (cos + 1j * sin_over * vz)
    u[:, 0, 1] = ph * (-1j * sin_over * (vx - 1j * vy))
    u[:, 1, 0] = ph * (-1j * sin_over * (vx + 1j * vy))
    return u


def _free(rho: np.ndarray, delta: np.ndarray, eq1: np.ndarray, t: float, proto: EchoProtocol) -> np.ndarray:
    """Free evolution of the doublet's rho~ for a time t (s), with exact T1/T2 (Bloch equations)."""
    out = rho.copy()
    coh = np.exp((-1j * delta - proto.rate2) * t)
    out[:, 1, 0] = rho[:, 1, 0] * coh
    out[:, 0, 1] = np.conj(out[:, 1, 0])
    if proto.rate1 > 0.0:
        total = (rho[:, 0, 0] + rho[:, 1, 1]).real
        p1 = eq1 * total + (rho[:, 1, 1].real - eq1 * total) * np.exp(-t * proto.rate1)
        out[:, 1, 1], out[:, 0, 0] = p1, total - p1
    return out


def doublet_echo(gap, d01, populations, proto: EchoProtocol) -> np.ndarray:
    """Echo amplitudes A (units of p*) of doublets in the RWA, batched (docs/theory.md sec. 6c).

    Parameters
    ----------
    gap : numpy.ndarray, shape (n,)
        Doublet gaps e_1 - e_0 in K.
    d01 : numpy.ndarray, shape (n,)
        <0|D|1>, complex, units of p*.
    populations : numpy.ndarray, shape (n, 2)
        Initial populations p_0, p_1.
    proto : EchoProtocol
        The sequence (:func:`echo_protocol`).

    Returns
    -------
    numpy.ndarray, shape (n,), complex
        A = 2 <0|D|1> rho~_10(2 tau) of each doublet (in-phase + i quadrature), units of p*.

    Examples
    --------
    A resonant doublet (gap = h f) with |<0|D|1>| = p* and a pi/2 - pi sequence: the RWA pulses are exact rotations
    at zero detuning, so A is the ideal-pulse echo -i (p_0 - p_1) |<0|D|1>| (docs/theory.md sec. 6c), in quadrature,
    whatever the phase of <0|D|1> (a gauge):

    >>> import numpy as np
    >>> from tunnelsim.constants import KELVIN_PER_HZ
    >>> from tunnelsim.response.echo import echo_protocol
    >>> p = echo_protocol(frequency=1e9, rabi=1e6, tau=2e-6, pulses=(2.5e-7, 5e-7), temperature=0.01)
    >>> gap, pops = np.full(2, 1e9 * KELVIN_PER_HZ), np.array([[0.8, 0.2], [0.8, 0.2]])
    >>> a = doublet_echo(gap, np.array([1.0, np.exp(0.7j)]), pops, p)
    >>> np.round(np.abs(a), 9).tolist(), np.round(np.angle(a) / np.pi, 9).tolist()
    ([0.6, 0.6], [-0.5, -0.5])
    """
    delta = gap * RAD_PER_SECOND_PER_KELVIN - 2.0 * np.pi * proto.frequency
    g = np.pi * proto.rabi * d01
    rho = np.zeros(gap.shape + (2, 2), dtype=complex)
    rho[:, 0, 0], rho[:, 1, 1] = populations[:, 0], populations[:, 1]
    eq1 = 1.0 / (1.0 + np.exp(gap / proto.temperature))
    out = np.zeros(gap.shape, dtype=complex)
    for phases, weight in proto.runs():
        r = rho
        for kind, length, k in proto.segments():
            if kind == "pulse":
                u = _su2(g * np.exp(1j * phases[k]), delta, length)
                r = np.einsum("nij,njk,nlk->nil", u, r, u.conj())
            elif length > 0.0:
                r = _free(r, delta, eq1, length, proto)
        out += weight * 2.0 * d01 * r[:, 1, 0]
    return out


def doublet_of_stack(energies: np.ndarray, d0: np.ndarray, dipole: np.ndarray, phi: np.ndarray,
                     temperature: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact doublet gaps (K), <0|D|1> (units of p*) and populations (n, 2) of a stack of 3LS (batched LAPACK).

    The Hamiltonians are the Peierls ring of :func:`tunnelsim.phases.ring_hopping` plus the well energies (paper
    eq. 3, docs/theory.md eq. (1.3)); inputs are taken as checked (shapes (n, 3), (n,), (n, 3), (n,)): well energies
    and hoppings in K, dipoles in units of p*, phases in radians, ``temperature`` in K.

    Examples
    --------
    For |E_i| << D0 at phi = 0 the gap is the effective 2LS gap sqrt((2/3) sum E_i^2) of docs/theory.md eq. (1.6),
    and the doublet's populations are Boltzmann's, p_1/p_0 = exp(-gap/T):

    >>> import numpy as np
    >>> from tunnelsim.response.magnetodielectric import ats_dipole_wells
    >>> e = np.array([[0.03, -0.01, -0.02]])
    >>> gap, d01, pops = doublet_of_stack(e, np.array([50.0]), ats_dipole_wells(np.pi / 2, 0.0)[None, :],
    ...                                   np.array([0.0]), 0.05)
    >>> round(float(gap[0] / np.sqrt(2 / 3 * np.sum(e**2))), 3)
    1.0
    >>> round(float(pops[0, 1] / pops[0, 0] / np.exp(-gap[0] / 0.05)), 12)
    1.0
    """
    h = ring_hopping(d0, phi, 3) + energies[:, :, None] * np.eye(3)
    spec = spectrum_of_stack("system", np.arange(h.shape[0], dtype=float), h,
                             operators={"dipole": dipole[:, :, None] * np.eye(3)})
    lev, me = spec.energies, spec.matrix_elements["dipole"]
    return lev[:, 1] - lev[:, 0], me[:, 0, 1], boltzmann(lev, temperature)[:, :2]


def echo_amplitudes(energies, d0, dipole, phi=0.0, *, frequency: float, rabi: float, tau: float, pulses,
                    temperature: float, t1_relax: float | None = None, t2_relax: float | None = None,
                    cycle: bool = True) -> np.ndarray:
    """Echo amplitudes A of n exact 3LS, vectorised with numpy (docs/theory.md sec. 6c).

    The batched counterpart of :func:`echo_single` (``frame="rotating"``): exact eigenpairs and <0|D|1> of every
    3LS, then the doublet in the RWA with closed-form SU(2) pulse propagators; a T1/T2 acts exactly during the free
    evolution and is neglected during the pulses (the tests hold it against QuTiP's Lindblad propagators).

    Parameters
    ----------
    energies : array_like, shape (n, 3)
        Well energies in K, each row summing to zero.
    d0 : array_like, shape (n,)
        Hoppings in K, > 0.
    dipole : array_like, shape (n, 3)
        Dipole component of each well along the RF field, units of p*.
    phi : float or array_like, shape (n,)
        Aharonov-Bohm phase of each system, radians.
    frequency, rabi, tau, pulses, temperature, t1_relax, t2_relax, cycle
        The sequence, see :func:`echo_protocol` (Hz, Hz, s, s, K, s, s; ``cycle``: the 4-step phase cycle).

    Returns
    -------
    numpy.ndarray, shape (n,), complex
        A of each system, units of p* (in-phase + i quadrature).

    Examples
    --------
    >>> a = echo_amplitudes([[0.03, -0.01, -0.02]], [1.0], [[1.0, -0.5, -0.5]], frequency=1.1e9, rabi=2e7,
    ...                     tau=1e-7, pulses=(1e-8, 2e-8), temperature=0.05)
    >>> a.shape
    (1,)
    """
    e, d, dip, ph = _checked_stack(energies, d0, dipole, phi)
    proto = echo_protocol(frequency=frequency, rabi=rabi, tau=tau, pulses=pulses, temperature=temperature,
                          t1_relax=t1_relax, t2_relax=t2_relax, cycle=cycle)
    check_memory(_PER_SYSTEM * d.size, f"the echo of {d.size} systems", hint="pass fewer systems per call")
    gap, d01, pops = doublet_of_stack(e, d, dip, ph, proto.temperature)
    return doublet_echo(gap, d01, pops, proto)
