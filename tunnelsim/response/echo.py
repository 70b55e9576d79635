"""The two-pulse polarization echo of exact three-level ATS with finite pulses (beyond the paper).

docs/theory.md sec. 6c. One ATS is the 3LS of paper eq. 3 (:func:`tunnelsim.three_level`, Aharonov-Bohm phase
phi) with the diagonal dipole operator D = sum_a d_a |a><a| of :func:`tunnelsim.ats_dipole_wells` (units of
p* = Q a / sqrt 2). An RF electric field F(t) = F0 cos(omega t), switched on for two pulses of lengths t_a and
t_b centred at t = 0 and t = tau, adds -F(t) D. The echo is read at t = 2 tau as the demodulated amplitude

    <D>(t) = Re[A e^{-i omega t}] + (terms that do not oscillate at omega),   A = 2 <0|D|1> rho~_10(2 tau),

with |0>, |1> the low doublet of the exact 3LS and rho~ the density matrix in the frame rotating at omega
(rho_10 = rho~_10 e^{-i omega t}): Re A is the in-phase and Im A the quadrature component, in units of p*. A is
independent of the phases of the eigenvectors. For ideal resonant pulses of angles theta_a, theta_b,
A = -i (p_0 - p_1) |<0|D|1>| sin(theta_a) sin^2(theta_b/2): the echo of a pi/2 - pi sequence lies in quadrature.

Phase cycle: a finite ensemble does not average away the free-induction signals of the two pulses (terms
e^{-i delta tau}, e^{-2 i delta tau} with the detuning delta), so by default A is the weighted sum over the 4-step
cycle of pulse phases (phi_a, phi_b) = (0, 0), (pi, 0), (0, pi/2), (pi, pi/2) with receiver weights
(1, -1, -1, 1)/4: the echo pathway carries e^{i phi_a - 2 i phi_b} and is kept whole, the others cancel exactly, as in
the experiments' phase cycling (``cycle=False``: one run, both phases 0).

Pulse strength: ``rabi`` = F0 p*/h in Hz, so a system with |<0|D|1>| = 1 (units of p*) nutates at the angular
frequency 2 pi rabi and a pulse of length t turns it by theta = 2 pi rabi |<0|D|1>| t.

Two engines, which the tests hold against each other:

* :func:`echo_single` (QuTiP): ``frame="rotating"`` evolves the full 3x3 problem in the rotating-wave
  approximation (RWA) with QuTiP propagators (superoperator propagators, i.e. the Lindblad equation of mesolve,
  when a phenomenological T1/T2 is given); ``frame="lab"`` integrates the full time-dependent 3LS in the lab frame
  (all three levels, all matrix elements, no RWA; free evolution exact), the reference for the RWA.
* :func:`tunnelsim.echo_amplitudes` (:mod:`tunnelsim.response.echo_batch`, numpy, batched over systems): exact
  eigenpairs of each 3LS by batched LAPACK (:func:`tunnelsim.results.spectrum_of_stack`), the doublet's RWA
  propagators in closed form (SU(2)), T1/T2 exact during the free evolution (Bloch equations) and neglected during
  the pulses (t_a, t_b << T1, T2).

Units: energies and temperatures in K, frequencies in Hz, times in s, phases in radians.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tunnelsim.constants import KELVIN_PER_HZ
from tunnelsim.validation import (
    as_real_array,
    as_real_scalar,
    check_bool,
    check_choice,
    check_positive,
    check_sum_zero,
)

__all__ = ["EchoProtocol", "echo_protocol", "echo_single", "echo_density", "RAD_PER_SECOND_PER_KELVIN"]

#: Angular frequency (rad/s) of an energy of 1 K: k_B / hbar.
RAD_PER_SECOND_PER_KELVIN = 2.0 * np.pi / KELVIN_PER_HZ
_FRAMES = ("rotating", "lab")
#: The 4-step phase cycle of the echo pathway: ((phi_a, phi_b), receiver weight).
_CYCLE = (((0.0, 0.0), 0.25), ((np.pi, 0.0), -0.25), ((0.0, np.pi / 2), -0.25), ((np.pi, np.pi / 2), 0.25))
#: rad/ns per K: the QuTiP engine works in ns
_PER_NS = RAD_PER_SECOND_PER_KELVIN * 1e-9


@dataclass(frozen=True)
class EchoProtocol:
    """A checked two-pulse sequence (:func:`echo_protocol`): times in s, frequencies in Hz, temperature in K.

    The sequence of docs/theory.md sec. 6c: pulse a centred at t = 0, pulse b at t = tau, the echo read at 2 tau.

    Attributes
    ----------
    frequency : float
        RF frequency f = omega / 2 pi, Hz.
    rabi : float
        F0 p* / h, Hz (module docstring).
    tau : float
        Time between the centres of the two pulses, s; the echo is read at 2 tau.
    pulses : tuple of float
        Lengths (t_a, t_b) of the two pulses, s.
    temperature : float
        Temperature of the initial Boltzmann state, K.
    rate1, rate2 : float
        1/T1 and 1/T2 of the doublet's phenomenological relaxation and dephasing, 1/s (0: none).
    cycle : bool
        Whether the 4-step phase cycle selects the echo pathway (:meth:`runs`).

    Examples
    --------
    A pi/2 - pi sequence for a doublet dipole of p* at rabi = 1 MHz (t_a = 1/(4 rabi) = 250 ns, t_b = 2 t_a). Its
    segments run from the start of pulse a (-t_a/2) to the readout (2 tau); the phase cycle keeps the echo pathway
    e^{i phi_a - 2 i phi_b} whole and cancels the free-induction signals e^{i phi_a} and e^{i phi_b} of the pulses:

    >>> import numpy as np
    >>> p = echo_protocol(frequency=1e9, rabi=1e6, tau=2e-6, pulses=(2.5e-7, 5e-7), temperature=0.01)
    >>> round(sum(length for _, length, _ in p.segments()) / (2 * p.tau + p.pulses[0] / 2), 12), p.damped
    (1.0, False)
    >>> def pathway(k_a, k_b):  # |weighted sum over the cycle of e^{i (k_a phi_a + k_b phi_b)}|
    ...     return round(float(abs(sum(w * np.exp(1j * (k_a * a + k_b * b)) for (a, b), w in p.runs()))), 12)
    >>> pathway(1, -2), pathway(1, 0), pathway(0, 1)  # the echo, the free induction of pulse a, of pulse b
    (1.0, 0.0, 0.0)
    """

    frequency: float
    rabi: float
    tau: float
    pulses: tuple[float, float]
    temperature: float
    rate1: float = 0.0
    rate2: float = 0.0
    cycle: bool = True

    @property
    def damped(self) -> bool:
        """Whether a finite T1 or T2 is set."""
        return self.rate1 > 0.0 or self.rate2 > 0.0

    def segments(self) -> list[tuple[str, float, int]]:
        """The sequence from the start of pulse a (t = -t_a/2) to the readout (t = 2 tau): (kind, length in s,
        index of the pulse or -1)."""
        ta, tb = self.pulses
        return [("pulse", ta, 0), ("free", self.tau - ta / 2 - tb / 2, -1), ("pulse", tb, 1),
                ("free", self.tau - tb / 2, -1)]

    def runs(self) -> tuple[tuple[tuple[float, float], float], ...]:
        """((phase of pulse a, phase of pulse b) in rad, receiver weight) of each run whose weighted sum is A.

        With ``cycle``, the 4-step cycle (0, 0) +, (pi, 0) -, (0, pi/2) -, (pi, pi/2) + (weights 1/4): the echo
        pathway picks up e^{i phi_a - 2 i phi_b} and survives; the free-induction signals of either pulse, which
        a finite ensemble would not average away, cancel exactly (docs/theory.md sec. 6c). Else one run (0, 0).
        """
        return _CYCLE if self.cycle else (((0.0, 0.0), 1.0),)


def _relaxation(t1_relax, t2_relax) -> tuple[float, float]:
    """(1/T1, 1/T2) in 1/s from the optional times in s (0: no damping), checked."""
    t1 = np.inf if t1_relax is None else float(check_positive(as_real_scalar(t1_relax, "t1_relax"), "t1_relax"))
    t2 = 2.0 * t1 if t2_relax is None else float(check_positive(as_real_scalar(t2_relax, "t2_relax"), "t2_relax"))
    if t2 > 2.0 * t1 * (1.0 + 1e-12):
        raise ValueError(f"t2_relax must not exceed 2 t1_relax (a pure-dephasing rate cannot be negative), got "
                         f"t2_relax={t2:g} s > 2 t1_relax={2.0 * t1:g} s")
    return 1.0 / t1, 1.0 / t2  # 0 for no damping


def echo_protocol(*, frequency: float, rabi: float, tau: float, pulses, temperature: float,
                  t1_relax: float | None = None, t2_relax: float | None = None, cycle: bool = True) -> EchoProtocol:
    """Check a two-pulse echo sequence and return it as an :class:`EchoProtocol` (docs/theory.md sec. 6c).

    Parameters
    ----------
    frequency : float
        RF frequency f in Hz, > 0.
    rabi : float
        F0 p*/h in Hz, > 0: the nutation frequency of a doublet with |<0|D|1>| = p*.
    tau : float
        Time between the pulse centres in s; the pulses must not overlap: tau >= (t_a + t_b)/2.
    pulses : pair of float
        Pulse lengths (t_a, t_b) in s, > 0 (pi/2 - pi for a doublet dipole d: t_a = 1/(4 rabi d), t_b = 2 t_a).
    temperature : float
        K, > 0.
    t1_relax, t2_relax : float, optional
        Phenomenological T1 and T2 of the doublet in s (None: no damping; only t1_relax: T2 = 2 T1; only
        t2_relax: pure dephasing). T2 <= 2 T1.
    cycle : bool
        Select the echo pathway with the 4-step phase cycle (:meth:`EchoProtocol.runs`; default); False: one run
        with both pulses at phase 0 (the echo plus the free-induction signals of the two pulses).

    Returns
    -------
    EchoProtocol

    Examples
    --------
    >>> p = echo_protocol(frequency=1e9, rabi=1e6, tau=2e-6, pulses=(2.5e-7, 5e-7), temperature=0.01)
    >>> [kind for kind, _, _ in p.segments()]
    ['pulse', 'free', 'pulse', 'free']
    """
    f = float(check_positive(as_real_scalar(frequency, "frequency"), "frequency"))
    r = float(check_positive(as_real_scalar(rabi, "rabi"), "rabi"))
    tt = float(check_positive(as_real_scalar(tau, "tau"), "tau"))
    p = as_real_array(pulses, "pulses", ndim=1)
    if p.size != 2:
        raise ValueError(f"pulses must be the two pulse lengths (t_a, t_b) in s, got {p.size} values")
    ta, tb = (float(x) for x in check_positive(p, "pulses"))
    if tt < 0.5 * (ta + tb):
        raise ValueError(f"tau must be at least (t_a + t_b)/2 = {0.5 * (ta + tb):g} s so that the pulses do not "
                         f"overlap, got tau={tt:g} s")
    temp = float(check_positive(as_real_scalar(temperature, "temperature"), "temperature"))
    r1, r2 = _relaxation(t1_relax, t2_relax)
    return EchoProtocol(f, r, tt, (ta, tb), temp, r1, r2, check_bool(cycle, "cycle"))


def _one_system(energies, d0, dipole, phi) -> tuple[np.ndarray, float, np.ndarray, float]:
    e = as_real_array(energies, "energies", shape=(3,))
    check_sum_zero(e, "energies")
    d = float(check_positive(as_real_scalar(d0, "d0"), "d0"))
    dip = as_real_array(dipole, "dipole", shape=(3,))
    return e, d, dip, float(as_real_scalar(phi, "phi"))


def populations(levels: np.ndarray, temperature: float) -> np.ndarray:
    """The initial state of the echo: Boltzmann populations of the levels (..., k) in K at ``temperature``."""
    w = np.exp(-(levels - levels[..., :1]) / temperature)
    return w / w.sum(axis=-1, keepdims=True)


# ------------------------------------------------------------------------------------------- QuTiP engine
def echo_single(energies, d0: float, dipole, *, phi: float = 0.0, frequency: float, rabi: float, tau: float,
                pulses, temperature: float, t1_relax: float | None = None, t2_relax: float | None = None,
                cycle: bool = True, frame: str = "rotating") -> complex:
    """Echo amplitude A of one exact 3LS, computed with QuTiP (docs/theory.md sec. 6c).

    H(t) = H_3LS(phi) - F(t) D (paper eq. 3 with the Peierls phase, :func:`tunnelsim.three_level`); initial
    state Boltzmann at ``temperature``; pulses of lengths ``pulses`` centred at 0 and ``tau``; A as defined in the
    module docstring (units of p*), from the density matrix of :func:`echo_density`. ``frame="rotating"``: RWA on
    the doublet, the third level kept (it is not driven in the RWA), QuTiP propagators exp(-i H t) of the
    piecewise-constant rotating-frame Hamiltonian, or the Lindblad superoperator propagators exp(L t) (mesolve's
    equation) with the collapse operators sqrt(G_down)|0><1|, sqrt(G_up)|1><0| (G_down + G_up = 1/T1,
    G_up/G_down = exp(-E/T)) and sqrt(2 G_phi)|1><1| (G_phi = 1/T2 - 1/(2 T1)) when a T1/T2 is given.
    ``frame="lab"``: the lab-frame Schroedinger equation of all three levels with F(t) = F0 cos(omega t) during
    the pulses (QuTiP propagator of the time-dependent H, no RWA, all matrix elements); undamped only.

    Parameters
    ----------
    energies : array_like, shape (3,)
        Well energies in K, summing to zero.
    d0 : float
        Hopping D0 in K, > 0.
    dipole : array_like, shape (3,)
        Dipole component of each well along the RF field, units of p* (e.g. :func:`tunnelsim.ats_dipole_wells`).
    phi : float
        Aharonov-Bohm phase, radians (:func:`tunnelsim.flux_phase`).
    frequency, rabi, tau, pulses, temperature, t1_relax, t2_relax, cycle
        The sequence, see :func:`echo_protocol` (Hz, Hz, s, s, K, s, s; ``cycle``: the 4-step phase cycle).
    frame : {"rotating", "lab"}
        The engine (see above).

    Returns
    -------
    complex
        A = in-phase + i quadrature, units of p*.

    Examples
    --------
    >>> a = echo_single([0.03, -0.01, -0.02], 1.0, [0.0, 1.0, -1.0], frequency=6.338e8, rabi=2e7,
    ...                 tau=1e-7, pulses=(2e-8, 4e-8), temperature=0.05)
    >>> round(abs(a), 2)
    0.16
    """
    prep = _prepare(energies, d0, dipole, phi, frame, dict(frequency=frequency, rabi=rabi, tau=tau, pulses=pulses,
                                                           temperature=temperature, t1_relax=t1_relax,
                                                           t2_relax=t2_relax, cycle=cycle))
    return complex(sum(w * 2.0 * prep["d01"] * _evolve(prep, ph)[1, 0] for ph, w in prep["proto"].runs()))


def echo_density(energies, d0: float, dipole, *, phi: float = 0.0, frequency: float, rabi: float, tau: float,
                 pulses, temperature: float, t1_relax: float | None = None, t2_relax: float | None = None,
                 frame: str = "rotating") -> tuple[np.ndarray, np.ndarray, complex]:
    """The density matrix at t = 2 tau of one run of :func:`echo_single` (both pulses at phase 0), for checks of
    norm and energy (docs/theory.md sec. 6c).

    Parameters
    ----------
    energies, d0, dipole, phi, frequency, rabi, tau, pulses, temperature, t1_relax, t2_relax, frame
        As in :func:`echo_single`.

    Returns
    -------
    tuple
        (rho, levels, d01): rho (3, 3) in the eigenbasis of the 3LS (ascending levels), the doublet coherence in
        the frame rotating at omega (populations are frame independent); the levels in K; <0|D|1> in units of p*.

    Examples
    --------
    >>> import numpy as np
    >>> rho, lev, d01 = echo_density([0.03, -0.01, -0.02], 1.0, [0.0, 1.0, -1.0], frequency=6.338e8, rabi=2e7,
    ...                              tau=1e-7, pulses=(2e-8, 4e-8), temperature=0.05)
    >>> round(float(np.trace(rho).real), 9)
    1.0
    """
    prep = _prepare(energies, d0, dipole, phi, frame, dict(frequency=frequency, rabi=rabi, tau=tau, pulses=pulses,
                                                           temperature=temperature, t1_relax=t1_relax,
                                                           t2_relax=t2_relax))
    return _evolve(prep, (0.0, 0.0)), prep["levels"], prep["d01"]


def _prepare(energies, d0, dipole, phi, frame, sequence: dict) -> dict:
    """The checked inputs and the eigenpairs of one 3LS (QuTiP, energies in rad/ns), before any evolution."""
    import qutip

    from tunnelsim.single.three_level import three_level

    e, d, dip, ph = _one_system(energies, d0, dipole, phi)
    proto = echo_protocol(**sequence)
    check_choice(frame, "frame", _FRAMES)
    if frame == "lab" and proto.damped:
        raise ValueError("t1_relax and t2_relax need frame='rotating' (the lab-frame engine is undamped)")
    h0 = three_level(e, d, ph) * _PER_NS
    lev, states = h0.eigenstates()
    dop = qutip.Qobj(np.diag(dip))
    return {"qutip": qutip, "h0": h0, "lev": lev, "levels": lev / _PER_NS, "dop": dop, "frame": frame,
            "vecs": np.column_stack([st.full()[:, 0] for st in states]), "proto": proto,
            "d01": complex(states[0].dag() * dop * states[1]), "pops": populations(lev / _PER_NS, proto.temperature)}


def _evolve(prep: dict, phases: tuple[float, float]) -> np.ndarray:
    """rho~ (3, 3) at 2 tau in the eigenbasis for one run with pulse phases ``phases`` (rad)."""
    if prep["frame"] == "lab":
        return _lab(prep["qutip"], prep["h0"], prep["dop"], prep["vecs"], prep["pops"], prep["proto"], phases)
    return _rotating(prep["qutip"], prep["lev"], prep["d01"], prep["pops"], prep["proto"], phases)


def _rotating(qutip, levels: np.ndarray, d01: complex, pops: np.ndarray, proto: EchoProtocol,
              phases: tuple[float, float]) -> np.ndarray:
    """rho~ at 2 tau in the eigenbasis, rotating frame (RWA), QuTiP propagators; energies in rad/ns."""
    w = 2.0 * np.pi * proto.frequency * 1e-9
    g = np.pi * proto.rabi * 1e-9 * d01
    free = np.diag([0.0, levels[1] - levels[0] - w, levels[2] - levels[0]]).astype(complex)
    rho = qutip.Qobj(np.diag(pops).astype(complex))
    c_ops = _collapse(qutip, (levels[1] - levels[0]) / _PER_NS, proto)
    for kind, length, k in proto.segments():
        if length <= 0.0:
            continue
        h = free.copy()
        if kind == "pulse":  # F0 cos(omega t + phase): RWA coupling -(F0/2) <0|D|1> e^{i phase} |0><1| + h.c.
            h[0, 1] = -g * np.exp(1j * phases[k])
            h[1, 0] = np.conj(h[0, 1])
        h = qutip.Qobj(h)
        if c_ops:  # the Lindblad propagator exp(L t) of mesolve's equation, exact for a constant L
            s = (qutip.liouvillian(h, c_ops) * (length * 1e9)).expm()
            rho = qutip.vector_to_operator(s * qutip.operator_to_vector(rho))
        else:
            u = (-1j * h * (length * 1e9)).expm()
            rho = u * rho * u.dag()
    return rho.full()


def _collapse(qutip, gap: float, proto: EchoProtocol) -> list:
    """Lindblad operators of the phenomenological T1/T2 of the doublet (rates in 1/ns); [] when undamped."""
    if not proto.damped:
        return []
    rate1 = 1e-9 * proto.rate1
    rate_phi = max(1e-9 * proto.rate2 - 0.5 * rate1, 0.0)
    down = rate1 / (1.0 + np.exp(-gap / proto.temperature))
    ops = []
    if rate1 > 0.0:
        ops += [np.sqrt(down) * qutip.basis(3, 0) * qutip.basis(3, 1).dag(),
                np.sqrt(rate1 - down) * qutip.basis(3, 1) * qutip.basis(3, 0).dag()]
    if rate_phi > 0.0:
        ops.append(np.sqrt(2.0 * rate_phi) * qutip.basis(3, 1) * qutip.basis(3, 1).dag())
    return ops


def _lab(qutip, h0, dop, vecs: np.ndarray, pops: np.ndarray, proto: EchoProtocol,
         phases: tuple[float, float]) -> np.ndarray:
    """rho~ at 2 tau in the eigenbasis, from the lab-frame evolution of all three levels (ns, rad/ns)."""
    w = 2.0 * np.pi * proto.frequency * 1e-9
    f0 = 2.0 * np.pi * proto.rabi * 1e-9
    rho = qutip.Qobj(vecs @ np.diag(pops) @ vecs.conj().T)
    t = -0.5 * proto.pulses[0] * 1e9
    opts = {"atol": 1e-11, "rtol": 1e-10, "nsteps": 10**7, "method": "dop853"}
    for kind, length, k in proto.segments():
        dt = length * 1e9
        if dt <= 0.0:
            continue
        if kind == "pulse":
            coeff = _carrier(w, phases[k])
            u = qutip.propagator([h0, [-f0 * dop, coeff]], [t, t + dt], options=opts)[-1]
        else:
            u = (-1j * h0 * dt).expm()
        rho = u * rho * u.dag()
        t += dt
    r = vecs.conj().T @ rho.full() @ vecs
    rot = np.array([1.0, np.exp(1j * w * t), 1.0])  # level 1 into the frame rotating at omega (t = 2 tau here)
    return rot[:, None] * r * rot.conj()[None, :]


def _carrier(w: float, phase: float):
    """cos(w t + phase) as a function of t (ns) for QuTiP."""
    return lambda t: np.cos(w * t + phase)
