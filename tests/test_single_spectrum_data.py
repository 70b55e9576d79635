"""flux_spectrum / field_spectrum / sweep_spectrum return tunnelsim.results.SpectrumData (issue 12).

References: hand-written matrices diagonalised by numpy, the flux phase from scipy.constants, Fourier states.
"""

import warnings

import numpy as np
import pytest
import scipy.constants as sc

from tunnelsim import field_spectrum, flux_spectrum, four_level, sweep_spectrum, three_level
from tunnelsim.results import SpectrumData, load_spectrum


def triangle(e, d0, phi):
    w = d0 * np.exp(1j * phi / 3)
    return np.array([[e[0], w, np.conj(w)], [np.conj(w), e[1], w], [w, np.conj(w), e[2]]])


def square(e, d1, d2, phi):  # symmetrised diagonal
    w, t = d1 * np.exp(1j * phi / 4), d2 * np.cos(phi / 2)
    return np.array([[e[0], w, t, np.conj(w)], [np.conj(w), e[1], w, t], [t, np.conj(w), e[2], w],
                     [w, t, np.conj(w), e[3]]])


def test_the_4ls_default_is_exact_on_a_tiny_doublet():
    """Issue 12: the closed-form quartic was 3 % off on a 2e-7 K doublet; the default is now exact."""
    e = [1e-7, -1e-7, 0.0, 0.0]
    phi = np.array([0.0, 1e-9])
    s = flux_spectrum("4ls", phi, energies=e, d1=1.0, d2=2.0)
    assert isinstance(s, SpectrumData) and s.metadata["method"] == "exact"
    ref = np.array([np.linalg.eigvalsh(square(e, 1.0, 2.0, p)) for p in phi])
    np.testing.assert_allclose(s.gaps()[:, 0], ref[:, 1] - ref[:, 0], rtol=1e-7)
    with pytest.warns(RuntimeWarning, match="method='exact'"):
        c = flux_spectrum("4ls", phi, method="closed_form", energies=e, d1=1.0, d2=2.0)
    assert abs(c.gaps()[0, 0] / (ref[0, 1] - ref[0, 0]) - 1) > 1e-3  # why the default changed
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a well-resolved spectrum does not warn
        flux_spectrum("4ls", [0.3], method="closed_form", energies=[0.1, 0, 0, -0.1], d1=1.0, d2=2.0)


def test_the_3ls_default_keeps_viete_and_it_is_exact():
    e = [1e-7, -0.4e-7, -0.6e-7]
    phi = np.linspace(-7, 7, 15)
    s = flux_spectrum("3ls", phi, energies=e, d0=1.0)
    assert s.metadata["method"] == "closed_form" and s.parameter == "phi" and s.unit == "rad"
    ref = np.array([np.linalg.eigvalsh(triangle(e, 1.0, p)) for p in phi])
    np.testing.assert_allclose(s.energies, ref, atol=1e-14)
    np.testing.assert_allclose(s.gaps()[:, 0], ref[:, 1] - ref[:, 0], rtol=1e-6)


def test_states_and_named_operators():
    e = [0.02, -0.01, -0.01]
    phi = np.array([0.05, 0.3])
    s = flux_spectrum("3ls", phi, energies=e, d0=1.0, keep_states=True,
                      operators=["P1", "P2", "P3", "sigma_z", "dipole_x", "dipole_y"])
    assert s.metadata["method"] == "exact" and s.states.shape == (2, 3, 3)
    for k, p in enumerate(phi):
        h = triangle(e, 1.0, p)
        np.testing.assert_allclose(h @ s.states[k], s.states[k] * s.energies[k], atol=1e-13)
    occupation = sum(np.real(np.diagonal(s.matrix_elements[f"P{a}"], axis1=1, axis2=2)) for a in (1, 2, 3))
    np.testing.assert_allclose(occupation, 1.0, atol=1e-13)
    # at phi > 0 the ground state is the chiral state k = 1: sigma_z = -1 (H_eff = -D0 + Delta_eff sz / 2)
    assert np.real(s.matrix_elements["sigma_z"][1, 0, 0]) == pytest.approx(-1.0, abs=0.01)
    # the dipole of the unit-circumradius triangle: well 1 at x = 1; <i|d_x|i> summed over levels = sum of x = 0
    trace = np.real(np.trace(s.matrix_elements["dipole_x"], axis1=1, axis2=2))
    np.testing.assert_allclose(trace, 0.0, atol=1e-13)
    m = flux_spectrum("4ls", phi, energies=np.zeros(4), d1=1.0, d2=2.0, operators={"H": square(np.zeros(4), 1, 2, 0.3)})
    assert m.matrix_elements["H"].shape == (2, 4, 4)
    with pytest.raises(ValueError, match="operators: unknown operator 'dipole_q'"):
        flux_spectrum("3ls", phi, energies=e, d0=1.0, operators=["dipole_q"])
    with pytest.raises(ValueError, match="closed_form.*levels only"):
        flux_spectrum("3ls", phi, method="closed_form", energies=e, d0=1.0, keep_states=True)
    with pytest.raises(TypeError, match="operators must be"):
        flux_spectrum("3ls", phi, energies=e, d0=1.0, operators="P1")


def test_field_spectrum_in_tesla():
    b = np.linspace(0, 3, 7)
    area, theta, q = 2e-18, 0.4, 20
    phi = 2 * np.pi * b * area * np.cos(theta) * q * sc.e / sc.h  # independent of tunnelsim.constants
    e = [0.004, -0.001, -0.003]
    s = field_spectrum("3ls", b, area=area, theta=theta, charge=q, energies=e, d0=0.05)
    assert s.parameter == "B" and s.unit == "T" and s.metadata["area_m2"] == area
    ref = np.array([np.linalg.eigvalsh(triangle(e, 0.05, p)) for p in phi])
    np.testing.assert_allclose(s.energies, ref, atol=1e-14)
    # a negative charge reverses the phase: the same levels (H(-phi) = H(phi)*), conjugate states
    sp = field_spectrum("4ls", b, area=area, charge=q, energies=np.zeros(4), d1=0.05, d2=0.1, keep_states=True)
    sm = field_spectrum("4ls", b, area=area, charge=-q, energies=np.zeros(4), d1=0.05, d2=0.1, keep_states=True)
    np.testing.assert_allclose(sp.energies, sm.energies, atol=1e-14)
    phis = 2 * np.pi * b * area * q * sc.e / sc.h
    h = square(np.zeros(4), 0.05, 0.1, -phis[3])
    np.testing.assert_allclose(h @ sm.states[3], sm.states[3] * sm.energies[3], atol=1e-14)
    with pytest.raises(ValueError, match="area must be > 0"):
        field_spectrum("3ls", b, area=0.0, energies=e, d0=0.05)
    with pytest.raises(ValueError, match="charge must be non-zero"):
        field_spectrum("3ls", b, area=area, charge=0, energies=e, d0=0.05)


def test_dipole_in_field_spectrum_is_in_e_m():
    area = 1e-18
    s = field_spectrum("4ls", [0.0], area=area, charge=2, energies=[0.3, -0.1, -0.1, -0.1], d1=0.01, d2=0.0,
                       operators=["dipole_x"])
    # the top level sits in well 1 (E1 = 0.3 K) at x = R, the circumradius of the square of area S: R = sqrt(S/2)
    assert np.real(s.matrix_elements["dipole_x"][0, 3, 3]) == pytest.approx(2 * np.sqrt(area / 2), rel=0.01)


def test_sweep_spectrum_any_builder():
    s = sweep_spectrum(three_level, "d0", [0.5, 1.0], energies=[0.1, -0.04, -0.06], phi=0.3, operators=["P2"])
    ref = [np.linalg.eigvalsh(triangle([0.1, -0.04, -0.06], d, 0.3)) for d in (0.5, 1.0)]
    np.testing.assert_allclose(s.energies, ref, atol=1e-14)
    assert s.parameter == "d0" and "P2" in s.matrix_elements
    with pytest.raises(ValueError, match="parameter must name a keyword argument of builder"):
        sweep_spectrum(three_level, "d3", [0.5], energies=[0.1, -0.04, -0.06])
    with pytest.raises(TypeError, match="builder must be callable"):
        sweep_spectrum("three_level", "d0", [0.5])


def test_result_family_round_trip_and_plots(tmp_path):
    s = flux_spectrum("4ls", np.linspace(0, 4 * np.pi, 9), energies=np.zeros(4), d1=1.0, d2=0.0,
                      operators=["sigma_z"], keep_states=True)
    path = s.save(tmp_path / "s.npz")
    back = load_spectrum(path)
    np.testing.assert_array_equal(back.energies, s.energies)
    np.testing.assert_array_equal(back.matrix_elements["sigma_z"], s.matrix_elements["sigma_z"])
    assert "4 levels at 9 values of phi" in repr(s)
    assert list(s.to_dataframe().columns) == ["phi", "E0_K", "E1_K", "E2_K", "E3_K"]
    fig, ax = s.plot(xscale=2 * np.pi)
    assert ax.get_xlabel() != "phi (rad)" and "flux quanta" in ax.get_xlabel()
    fig, ax = s.plot(xlabel="my label")
    assert ax.get_xlabel() == "my label"
    b = field_spectrum("3ls", [0.0, 1.0], area=1e-18, energies=[0.1, -0.04, -0.06], d0=1.0)
    fig, ax = b.plot()
    assert ax.get_xlabel() == "B (T)"


def test_four_level_matrix_equals_the_hand_written_one():
    e = [0.1, -0.04, -0.06, 0.0]
    np.testing.assert_allclose(four_level(e, 1.0, 2.0, 0.7).full(), square(e, 1.0, 2.0, 0.7), atol=1e-15)


def test_a_doublet_gap_below_float64_resolution_warns_and_names_the_alternative():
    e = [1e-17, -0.5e-17, -0.5e-17]
    with pytest.warns(RuntimeWarning, match="below the float64 resolution.*three_level_doublet_gap"):
        flux_spectrum("3ls", [0.0], energies=e, d0=1.0)
    with pytest.warns(RuntimeWarning, match="four_level_doublet"):
        flux_spectrum("4ls", [1e-20], energies=np.zeros(4), d1=1.0, d2=2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an exact degeneracy is resolved (gap 0), and so is a 1e-9 K doublet
        flux_spectrum("3ls", [0.0], energies=np.zeros(3), d0=1.0)
        flux_spectrum("3ls", [0.0], energies=[1e-9, -0.5e-9, -0.5e-9], d0=1.0)
