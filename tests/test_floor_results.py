"""The result family: exact batched spectra against Viete's closed form, matrix elements, save/load, pandas/xarray."""

from __future__ import annotations

import numpy as np
import pytest

from tunnelsim.results import SpectrumData, load_spectrum, spectrum_of_stack


def triangle(phi, d0=1.0):
    w = d0 * np.exp(1j * phi / 3)
    return np.array([[0, w, np.conj(w)], [np.conj(w), 0, w], [w, np.conj(w), 0]])


def test_stack_matches_closed_form_and_dipole_elements():
    phi = np.linspace(0, 4 * np.pi, 41)
    x = np.diag([1.0, -0.5, -0.5])  # a dipole along the triangle's axis (well positions)
    s = spectrum_of_stack("phi", phi, [triangle(p) for p in phi], operators={"dipole": x}, keep_states=True,
                          unit="rad")
    closed = np.sort(2 * np.cos((phi[:, None] + 2 * np.pi * np.arange(3)) / 3), axis=1)  # E_i = 0
    np.testing.assert_allclose(s.energies, closed, atol=1e-12)
    me = s.matrix_elements["dipole"]
    np.testing.assert_allclose(me, np.conj(np.swapaxes(me, 1, 2)), atol=1e-12)  # Hermitian
    np.testing.assert_allclose(np.trace(me, axis1=1, axis2=2), 0.0, atol=1e-12)  # trace of x is basis invariant
    # sum rule: sum_j |<0|x|j>|^2 = <0|x^2|0>
    v0 = s.states[:, :, 0]
    np.testing.assert_allclose(s.transition_strengths("dipole").sum(axis=1),
                               np.einsum("mi,ij,mj->m", v0.conj(), x @ x, v0).real, atol=1e-12)


def test_repr_is_concise_and_labels_flux_quanta():
    s = spectrum_of_stack("phi", [0.0, 1.0], [triangle(0.0), triangle(1.0)], unit="rad", label="3LS")
    text = repr(s)
    assert text.startswith("SpectrumData(3LS: 3 levels at 2 values of phi") and len(text) < 120
    assert s.axis_label(2 * np.pi) == "phi / 2π (flux quanta)"
    fig, ax = s.plot(xscale=2 * np.pi)
    assert ax.get_xlabel() == "phi / 2π (flux quanta)" and ax.figure is fig
    fig2, ax2 = s.plot(xlabel="my label")
    assert ax2.get_xlabel() == "my label"


def test_save_load_round_trip(tmp_path):
    s = spectrum_of_stack("phi", [0.2, 0.4], [triangle(0.2), triangle(0.4)], operators={"x": np.eye(3)},
                          keep_states=True, unit="rad", metadata={"d0": 1.0})
    back = load_spectrum(s.save(tmp_path / "s.npz"))
    assert back.parameter == "phi" and back.metadata == {"d0": 1.0}
    np.testing.assert_array_equal(back.states, s.states)
    np.testing.assert_array_equal(back.matrix_elements["x"], s.matrix_elements["x"])
    with pytest.raises(ValueError, match="must end in .npz"):
        s.save(tmp_path / "s.nc")


def test_dataframe_and_xarray():
    s = spectrum_of_stack("B", [0.0, 1.0], [np.diag([0.0, 1.0]), np.diag([0.0, 2.0])], unit="T")
    df = s.to_dataframe()
    assert list(df.columns) == ["B", "E0_K", "E1_K"] and df["E1_K"].tolist() == [1.0, 2.0]
    ds = s.to_xarray()
    assert ds["energies"].dims == ("B", "level") and ds["B"].attrs["units"] == "T"


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match="energies must have shape \\(2, n_levels\\)"):
        SpectrumData("x", [1.0, 2.0], np.zeros((3, 2)))
    with pytest.raises(ValueError, match="must be Hermitian"):
        spectrum_of_stack("x", [0.0], [[[0, 1], [2, 0]]])
    with pytest.raises(TypeError, match="values must be numeric"):
        spectrum_of_stack("x", ["a"], [[[0.0]]])


def test_real_stacks_stay_real_and_levels_do_not_depend_on_the_path():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(6, 4, 4))
    h = a + np.swapaxes(a, 1, 2)  # real symmetric
    x = np.diag([1.0, -1.0, 0.5, -0.5])
    levels_only = spectrum_of_stack("k", np.arange(6.0), h)
    full = spectrum_of_stack("k", np.arange(6.0), h, operators={"x": x}, keep_states=True)
    assert levels_only.states is None and levels_only.matrix_elements == {}
    np.testing.assert_allclose(levels_only.energies, np.sort(np.linalg.eigvals(h).real, axis=1), atol=1e-12)
    np.testing.assert_allclose(full.energies, levels_only.energies, atol=1e-12)
    assert not np.iscomplexobj(full.states) and not np.iscomplexobj(full.matrix_elements["x"])
    # a complex stack with zero imaginary part is the same problem
    np.testing.assert_allclose(spectrum_of_stack("k", np.arange(6.0), h + 0j).energies, levels_only.energies,
                               atol=1e-12)
