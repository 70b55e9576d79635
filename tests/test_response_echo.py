"""The two-pulse polarization echo of exact 3LS (tunnelsim.response.echo, echo_ensemble; docs/theory.md sec. 6c).

References built here, sharing no code with the implementation: the closed form of the ideal-pulse 2LS echo
(Bloch rotations by hand), the effective 2LS of the ATS doublet from the chiral states projected by hand, the
Hamiltonian of the 3LS written out with numpy, and the lab-frame (no RWA) QuTiP engine for the rotating frame.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import tunnelsim as ts
from tunnelsim.response.echo import echo_protocol
from tunnelsim.response.echo_batch import doublet_echo
from tunnelsim.response.echo_ensemble import EchoData, echo_ensemble, sample_echo

K_PER_HZ = 6.62607015e-34 / 1.380649e-23  # h / k_B, written out (not the toolkit's constant)
E = np.array([0.03, -0.01, -0.02])  # K; |E_i| / D0 <= 3e-2 below
DIP = np.array([0.0, 1.0, -1.0])  # units of p*
LAB_D0 = 0.3  # K: the lab-frame engine resolves the third level (3 D0 above), so keep it low there


def hamiltonian(e, d0, phi):
    """The 3LS of docs/theory.md eq. (1.3), written out."""
    w = d0 * np.exp(1j * phi / 3)
    return np.array([[e[0], w, np.conj(w)], [np.conj(w), e[1], w], [w, np.conj(w), e[2]]])


def doublet(e, d0, phi, dip, temp):
    """Gap (K), |<0|D|1>| and p0 - p1 of the exact 3LS by numpy."""
    lev, v = np.linalg.eigh(hamiltonian(e, d0, phi))
    p = np.exp(-(lev - lev[0]) / temp)
    p /= p.sum()
    return lev[1] - lev[0], abs(v[:, 0].conj() @ (dip * v[:, 1])), p[0] - p[1]


def ideal_echo(z0, d, theta_a, theta_b, delta=0.0, tau=0.0, t2=np.inf, cycle=True):
    """A = 2 d01 rho_10(2 tau) of a 2LS with ideal pulses at 0 and tau (Bloch rotations by hand), pure dephasing T2:
    the echo term, plus (without the phase cycle) the free-induction terms of pulse a and of pulse b."""
    decay1, decay2 = np.exp(-tau / t2), np.exp(-2 * tau / t2)
    echo = -np.sin(theta_a) * np.sin(theta_b / 2) ** 2 * decay2
    fids = (np.sin(theta_a) * np.cos(theta_b / 2) ** 2 * np.exp(-2j * delta * tau) * decay2
            + np.cos(theta_a) * np.sin(theta_b) * np.exp(-1j * delta * tau) * decay1)
    return 1j * z0 * d * (echo + (0.0 if cycle else fids))


def resonant(e=E, d0=1.0, phi=0.0, dip=DIP, temp=0.05, rabi=2e7):
    gap, d, z0 = doublet(e, d0, phi, dip, temp)
    ta = 1.0 / (4.0 * rabi * d)  # pi/2 for this system
    return dict(frequency=gap / K_PER_HZ, rabi=rabi, pulses=(ta, 2 * ta), temperature=temp), d, z0


# ------------------------------------------------------------------------------------------- closed forms
def test_ideal_pulse_echo_of_a_3ls_has_the_2ls_amplitude_and_phase():
    """pi/2 - pi, resonant, pulses short against 1/detuning: A = -i (p0 - p1) |d01| (quadrature, ideal)."""
    seq, d, z0 = resonant(rabi=2e8)
    a = ts.echo_single(E, 1.0, DIP, tau=1e-7, **seq)
    ref = -1j * z0 * d
    assert abs(a - ref) < 1e-6 * abs(ref)
    assert abs(np.angle(a) + np.pi / 2) < 1e-6


@pytest.mark.parametrize("cycle", [False, True])
@pytest.mark.parametrize("theta", [(np.pi / 2, np.pi), (1.0, 2.2), (2.0, 0.7)])
def test_doublet_engine_matches_the_ideal_pulse_closed_form_with_detuning_and_t2(theta, cycle):
    """The batched engine with very short pulses against the Bloch-rotation closed form: all three terms for one
    run, the echo term alone with the phase cycle."""
    rng = np.random.default_rng(3)
    n, tau, t2, rabi, tp = 8, 3e-7, 1e-6, 1e11, 1e-12
    gap = 5e-2 + rng.uniform(-1e-5, 1e-5, n)  # detunings up to ~ 2 pi x 0.2 GHz
    f = 5e-2 / K_PER_HZ
    d01 = rng.uniform(0.3, 1.0, n) * np.exp(1j * rng.uniform(0, 2 * np.pi, n))
    pops = np.column_stack([np.full(n, 0.7), np.full(n, 0.3)])
    # pulse lengths giving the angles theta for each system would differ; use one |d01| scale per call instead
    out = []
    for k in range(n):
        ta, tb = theta[0] / (2 * np.pi * rabi * abs(d01[k])), theta[1] / (2 * np.pi * rabi * abs(d01[k]))
        proto = echo_protocol(frequency=f, rabi=rabi, tau=tau, pulses=(ta, tb), temperature=1.0, t2_relax=t2,
                              cycle=cycle)
        out.append(doublet_echo(gap[k:k + 1], d01[k:k + 1], pops[k:k + 1], proto)[0])
        assert ta < 100 * tp
    delta = 2 * np.pi * (gap / K_PER_HZ - f)
    ref = ideal_echo(0.4, np.abs(d01), theta[0], theta[1], delta, tau, t2, cycle)
    assert np.allclose(out, ref, rtol=0, atol=2e-3 * 0.4)


def test_short_pulse_limit_approaches_the_ideal_pulse_result():
    """A detuned system: the finite-pulse error shrinks ~ linearly in (pulse length x detuning)."""
    gap, d, z0 = doublet(E, 1.0, 0.0, DIP, 0.05)
    det = 2e6  # Hz
    f, tau = gap / K_PER_HZ - det, 2e-6
    errors = []
    for ta in (4e-8, 1e-8, 2.5e-9, 6.25e-10):
        rabi = 1.0 / (4.0 * d * ta)
        a = ts.echo_single(E, 1.0, DIP, frequency=f, rabi=rabi, tau=tau, pulses=(ta, 2 * ta), temperature=0.05,
                           cycle=False)
        errors.append(abs(a - ideal_echo(z0, d, np.pi / 2, np.pi, 2 * np.pi * det, tau, cycle=False)))
    errors = np.array(errors)
    assert np.all(errors[1:] < errors[:-1] / 3)  # each 4x shorter pulse: 4x smaller error (at least 3x)
    assert errors[-1] < 2e-3 * z0 * d
    assert errors[0] > 1e-2 * z0 * d  # the finite pulses are visible at the start of the trend


def test_zero_field_ats_echo_against_its_effective_2ls():
    """B = 0: the exact 3LS echo equals the echo of the effective 2LS of the chiral doublet (to O(E/D0))."""
    d0, temp = 30.0, 0.04
    om = np.exp(2j * np.pi / 3)
    chiral = np.array([[1, om, om**2], [1, om**2, om**4]]).T / np.sqrt(3)  # |+>, |->
    h2 = chiral.conj().T @ np.diag(E) @ chiral  # the hopping is -D0 on both: only the well energies split them
    d2 = chiral.conj().T @ np.diag(DIP) @ chiral
    lev, v = np.linalg.eigh(h2)
    gap_eff = lev[1] - lev[0]
    assert abs(gap_eff - np.sqrt(2 / 3 * np.sum(E**2))) < 1e-12  # docs/theory.md eq. (1.6), phi = 0
    d_eff = abs(v[:, 0].conj() @ d2 @ v[:, 1])
    z_eff = np.tanh(gap_eff / (2 * temp))
    rabi, tau = 1e8, 5e-7
    ta = 1.0 / (4 * rabi * d_eff)
    a = ts.echo_single(E, d0, DIP, frequency=gap_eff / K_PER_HZ, rabi=rabi, tau=tau, pulses=(ta, 2 * ta),
                       temperature=temp)
    ref = -1j * z_eff * d_eff  # resonant pi/2 - pi echo of the effective 2LS
    assert abs(a - ref) < 0.01 * abs(ref)  # |E_i|/D0 ~ 1e-3: the exact gap is off resonance by ~ E^2/D0


def test_echo_is_flux_periodic_and_field_dependent():
    """phi -> phi + 2 pi leaves the echo unchanged (gauge), and a flux does change it."""
    seq, _, _ = resonant()
    a = [ts.echo_single(E, 1.0, DIP, phi=p, tau=2e-7, **seq) for p in (0.004, 0.004 + 2 * np.pi, 0.004 - 4 * np.pi)]
    assert abs(a[1] - a[0]) < 1e-9 * abs(a[0]) and abs(a[2] - a[0]) < 1e-9 * abs(a[0])
    assert abs(a[0] - ts.echo_single(E, 1.0, DIP, tau=2e-7, **seq)) > 0.05 * abs(a[0])
    vec = ts.echo_amplitudes(np.tile(E, (2, 1)), [1.0, 1.0], np.tile(DIP, (2, 1)), [0.004, 0.004 + 2 * np.pi],
                             tau=2e-7, **seq)
    assert abs(vec[1] - vec[0]) < 1e-9 * abs(vec[0])


# ------------------------------------------------------------------------------------ engines and laws
@pytest.mark.parametrize("frame", ["rotating", "lab"])
def test_norm_and_spectrum_of_the_state_are_conserved_without_damping(frame):
    """Unitary evolution: rho(2 tau) is Hermitian, has trace 1 and the initial Boltzmann populations as its
    eigenvalues (the lab frame's time-dependent propagator is an ODE solution: a real check)."""
    seq, _, _ = resonant(d0=LAB_D0, phi=0.002)
    rho, lev, _ = ts.echo_density(E, LAB_D0, DIP, phi=0.002, tau=1e-7, frame=frame, **seq)
    p = np.exp(-(lev - lev[0]) / seq["temperature"])
    p /= p.sum()
    assert np.allclose(rho, rho.conj().T, atol=1e-12)
    assert abs(np.trace(rho) - 1) < 1e-8
    assert np.allclose(np.sort(np.linalg.eigvalsh(rho)), np.sort(p), atol=1e-7)


def test_energy_taken_from_the_field_matches_between_lab_frame_and_rwa():
    """<H0>(2 tau) - <H0>(0): the lab frame (no RWA, all levels) and the rotating frame agree to O(rabi/f)."""
    seq, _, _ = resonant(d0=LAB_D0)
    seq["pulses"] = (seq["pulses"][0], seq["pulses"][0])  # pi/2 - pi/2: energy is absorbed
    out = {}
    for frame in ("rotating", "lab"):
        rho, lev, _ = ts.echo_density(E, LAB_D0, DIP, tau=1e-7, frame=frame, **seq)
        p = np.exp(-(lev - lev[0]) / seq["temperature"])
        out[frame] = float(np.real(np.diag(rho)) @ lev - (p / p.sum()) @ lev)
    assert out["rotating"] > 0.1 * (lev[1] - lev[0]) * 0.3
    assert abs(out["lab"] - out["rotating"]) < 0.05 * out["rotating"]


def test_rotating_frame_matches_the_lab_frame():
    """RWA (3x3, QuTiP propagators) against the full lab-frame 3LS (no RWA): relative difference ~ rabi/f."""
    seq, _, _ = resonant(d0=LAB_D0, phi=0.001)
    seq["frequency"] *= 1.0 + 2e-3  # detuned by ~ the Rabi frequency
    a = {fr: ts.echo_single(E, LAB_D0, DIP, phi=0.001, tau=1e-7, frame=fr, cycle=False, **seq)
         for fr in ("rotating", "lab")}
    ratio = seq["rabi"] / seq["frequency"]
    assert abs(a["lab"] - a["rotating"]) < 3 * ratio * abs(a["rotating"])


def test_vectorised_engine_equals_the_qutip_engine():
    """Random systems in a field, detuned, finite pulses: numpy batch == QuTiP, undamped and with T1/T2."""
    rng = np.random.default_rng(5)
    n = 5
    e = rng.normal(0, 0.02, (n, 3))
    e -= e.mean(axis=1, keepdims=True)
    d0 = rng.uniform(1.0, 3.0, n)
    phi = rng.uniform(-0.01, 0.01, n)
    dip = ts.ats_dipole_wells(rng.uniform(0, np.pi, n), rng.uniform(0, 2 * np.pi, n))
    gaps = np.array([doublet(e[k], d0[k], phi[k], dip[k], 1.0)[0] for k in range(n)])
    seq = dict(frequency=np.median(gaps) / K_PER_HZ, rabi=3e7, pulses=(1e-8, 2e-8), temperature=0.03, tau=1e-7)
    for damping in ({}, {"t1_relax": 3e-5, "t2_relax": 2e-5}):
        vec = ts.echo_amplitudes(e, d0, dip, phi, **seq, **damping)
        qt = np.array([ts.echo_single(e[k], d0[k], dip[k], phi=phi[k], **seq, **damping) for k in range(n)])
        scale = np.abs(qt).max()
        tol = 1e-9 if not damping else 2e-3  # damping during the pulses: ~ pulse / T2
        assert np.allclose(vec, qt, rtol=0, atol=tol * scale), damping


def test_echo_decays_with_t2_as_exp_of_minus_two_tau():
    """Pure dephasing (QuTiP Lindblad): |A(tau)| = |A_ideal| exp(-2 tau / T2) for short pulses."""
    seq, d, z0 = resonant(rabi=2e8)
    t2 = 4e-7
    for tau in (1e-7, 3e-7):
        a = ts.echo_single(E, 1.0, DIP, tau=tau, t2_relax=t2, **seq)
        assert abs(abs(a) - z0 * d * np.exp(-2 * tau / t2)) < 5e-3 * z0 * d


# ------------------------------------------------------------------------------------------- ensembles
def test_ensemble_sweep_is_labelled_normalised_and_executor_independent():
    kw = dict(n=20000, seed=4, rabi=2e6)
    serial = ts.echo_sweep([0.3], [3e-6, 6e-6], **kw)
    assert serial.dims == ("field", "tau")
    assert list(serial.field.values) == [0.0, 0.3]  # B = 0 added: it normalises
    assert np.allclose(serial.sel(field=0.0).values, 1.0)
    assert int(serial.systems.sel(field=0.0).min()) > 50
    with ThreadPoolExecutor(2) as ex:
        threaded = ts.echo_sweep([0.3], [3e-6, 6e-6], executor=ex, **kw)
    assert np.array_equal(serial.values, threaded.values)
    # the amplitude is per unit P*: a lower gap cut-off d_min (more draws off resonance) leaves it unchanged
    per = {}
    for d_min in (0.0024, 0.012):  # h f / 20 and h f / 4, K
        runs = [ts.echo_sweep([], [3e-6], n=40000, seed=s, rabi=2e6, d_min=d_min).amplitude.values[0, 0]
                for s in range(10, 14)]
        per[d_min] = (np.mean(np.abs(runs)), np.std(np.abs(runs), ddof=1) / 2)
    (m1, e1), (m2, e2) = per.values()
    assert abs(m1 - m2) < 3 * np.hypot(e1, e2) and e1 < 0.2 * m1


def test_ensemble_echo_vanishes_when_the_field_lifts_every_doublet_out_of_resonance():
    """With D0 >= 20 K and S Q large, (2/sqrt 3) D0 phi >> h f for all but edge-on triangles: A(B) -> ~0."""
    s = sample_echo(50000, 2, frequency=1e9, band=2e7)
    proto = echo_protocol(frequency=1e9, rabi=2e6, tau=3e-6, pulses=(2.5e-7, 5e-7), temperature=0.01)
    a0, n0 = echo_ensemble(s, 0.0, proto, band=2e7, area=1e-18, charge=2.0)
    a1, n1 = echo_ensemble(s, 200.0, proto, band=2e7, area=1e-18, charge=2.0)
    assert n0 > 300 and abs(a1) < 0.05 * abs(a0)


def test_default_band_of_four_rabi_misses_under_one_percent_of_the_echo():
    """Systems detuned by more than 4 rabi add < 1 % (the same draws, band 4 rabi against 15 rabi)."""
    s = sample_echo(200000, 3, frequency=1e9, band=3e7)
    proto = echo_protocol(frequency=1e9, rabi=2e6, tau=3e-6, pulses=(2.5e-7, 5e-7), temperature=0.01)
    for b in (0.0, 0.3):
        narrow, n_narrow = echo_ensemble(s, b, proto, band=8e6, area=1e-18, charge=2.0)
        wide, n_wide = echo_ensemble(s, b, proto, band=3e7, area=1e-18, charge=2.0)
        assert n_wide > 3 * n_narrow and abs(abs(narrow) / abs(wide) - 1) < 0.01


def test_band_preselection_keeps_every_resonant_system():
    """The band from exact gaps of all draws (numpy eigvalsh here) equals the band of the pre-selected candidates."""
    from tunnelsim.response.echo_ensemble import _band

    s = sample_echo(20000, 6, frequency=1e9, band=5e7, d0_min=0.5, d0_max=5.0)  # |E_i|/D0 up to ~0.1: a hard case
    proto = echo_protocol(frequency=1e9, rabi=1e7, tau=1e-6, pulses=(2.5e-8, 5e-8), temperature=0.01)
    for b in (0.0, 1.0, 10.0, 60.0):
        phi = ts.flux_phase(b, 1e-18, np.arccos(s.cos_theta), 2.0)
        h = np.array([hamiltonian(e, d, p) for e, d, p in zip(s.ats.energies, s.ats.d0, phi)])
        lev = np.linalg.eigvalsh(h)
        ref = np.flatnonzero(np.abs((lev[:, 1] - lev[:, 0]) / K_PER_HZ - 1e9) <= 5e7)
        assert ref.size > 20 and np.array_equal(_band(s, phi, proto, 5e7), ref), b


def test_echo_data_without_xarray_keeps_the_numbers():
    d = EchoData(np.array([0.0, 1.0]), np.array([1e-6]), np.array([[2j], [1j]]), np.array([[10], [5]]), {"n": 3})
    assert np.allclose(d.normalised, [[1.0], [0.5]])
    assert float(d.to_xarray().sel(field=1.0, tau=1e-6)) == 0.5


# ------------------------------------------------------------------------------------------- bad input
@pytest.mark.contract
@pytest.mark.parametrize("kwargs, match", [
    (dict(tau=1e-8), "tau must be at least"),
    (dict(pulses=(1e-8,)), "pulses must be the two"),
    (dict(pulses=(1e-8, -1e-8)), "pulses"),
    (dict(rabi=-1.0), "rabi"),
    (dict(frequency=0.0), "frequency"),
    (dict(temperature=float("nan")), "temperature"),
    (dict(t1_relax=1e-6, t2_relax=5e-6), "t2_relax must not exceed"),
    (dict(frame="lab", t2_relax=1e-6), "frame='rotating'"),
    (dict(frame="lap"), "frame"),
])
def test_echo_single_refuses_bad_sequences(kwargs, match):
    seq = dict(frequency=1e9, rabi=1e7, tau=1e-7, pulses=(1e-8, 2e-8), temperature=0.05)
    seq.update(kwargs)
    with pytest.raises(ValueError, match=match):
        ts.echo_single(E, 1.0, DIP, **seq)


@pytest.mark.contract
def test_bad_systems_and_ensembles_are_refused_naming_the_parameter():
    seq = dict(frequency=1e9, rabi=1e7, tau=1e-7, pulses=(1e-8, 2e-8), temperature=0.05)
    with pytest.raises(ValueError, match="energies"):
        ts.echo_single([0.1, 0.0, 0.0], 1.0, DIP, **seq)
    with pytest.raises(ValueError, match="d0"):
        ts.echo_single(E, -1.0, DIP, **seq)
    with pytest.raises(ValueError, match="dipole"):
        ts.echo_amplitudes([E], [1.0], [DIP[:2]], **seq)
    with pytest.raises(ValueError, match="phi"):
        ts.echo_amplitudes([E, E], [1.0, 1.0], [DIP, DIP], [0.0, 0.1, 0.2], **seq)
    with pytest.raises(ValueError, match="band"):
        sample_echo(10, 1, frequency=1e9, band=2e9)
    with pytest.raises(ValueError, match="d_min"):
        sample_echo(10, 1, frequency=1e9, band=1e7, d_min=1.0)
    with pytest.raises(ValueError, match="fields"):
        ts.echo_sweep([-1.0], [1e-6], n=100)
    with pytest.raises(ValueError, match="tau must be at least"):
        ts.echo_sweep([0.1], [1e-8], n=100)
    with pytest.raises(TypeError, match="sample"):
        echo_ensemble("x", 0.0, echo_protocol(**seq), band=1e7, area=1e-18)
