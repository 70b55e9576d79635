"""Result objects in ordinary use: equality, checked inputs, netCDF / CSV round trips, short reprs, unclipped
figures, N-dimensional spectrum maps (against closed forms written here)."""

from __future__ import annotations

import numpy as np
import pytest

import tunnelsim as ts
from tunnelsim.results import SpectrumData, load_spectrum_netcdf, spectrum_of_stack


def triangle(phi, d0=1.0):
    w = d0 * np.exp(1j * phi / 3)
    return np.array([[0, w, np.conj(w)], [np.conj(w), 0, w], [w, np.conj(w), 0]])


def _spectrum():
    phi = np.linspace(0.1, 2.0, 5)
    return spectrum_of_stack("phi", phi, [triangle(p) for p in phi], operators={"x": np.diag([1.0, -0.5, -0.5])},
                             keep_states=True, unit="rad", label="3LS", metadata={"d0": 1.0, "wells": (0, 1, 2)})


def test_equality_is_by_value():
    a, b = _spectrum(), _spectrum()
    assert a == b and not (a != b)
    c = _spectrum()
    c.energies[0, 0] = np.nextafter(c.energies[0, 0], 0)  # one ulp differs: arrays compare exactly
    assert a != c
    assert a != SpectrumData("phi", a.values, a.energies, unit="rad", label="3LS", metadata=a.metadata)  # no states
    assert (a == "text") is False
    padded = SpectrumData("N", [1, 2], [[0.0, np.nan], [0.0, 1.0]])
    assert padded == SpectrumData("N", [1, 2], [[0.0, np.nan], [0.0, 1.0]])  # NaN padding equals NaN padding


@pytest.mark.parametrize("kwargs, phrase", [
    ({"values": ["0.1", "0.2"]}, "values must be numeric"),
    ({"values": [True, False]}, "values must be numeric"),
    ({"values": [0.0, np.inf]}, "values must be finite"),
    ({"energies": [["0", "1"], ["0", "1"]]}, "energies must be numeric"),
    ({"energies": [[0.0, np.inf], [0.0, 1.0]]}, "energies must be finite"),
    ({"energies": [[1.0, 0.0], [0.0, 1.0]]}, "ascend in each row"),
    ({"parameter": 3}, "parameter must be a string"),
    ({"parameter": ""}, "parameter must name"),
    ({"metadata": {"f": print}}, r"metadata\['f'\]"),
    ({"metadata": [1, 2]}, "metadata must be a dict"),
    ({"label": None}, "label must be a string"),
])
def test_bad_inputs_are_refused_naming_the_parameter(kwargs, phrase):
    args = {"parameter": "B", "values": [0.0, 1.0], "energies": [[0.0, 1.0], [0.0, 2.0]], **kwargs}
    with pytest.raises((TypeError, ValueError), match=phrase):
        SpectrumData(**args)


def test_netcdf_round_trip_with_complex_states(tmp_path):
    s = _spectrum()
    assert np.iscomplexobj(s.states)
    ds = s.to_xarray()
    assert "states_real" in ds and "states_imag" in ds and "states" not in ds
    back = load_spectrum_netcdf(s.to_netcdf(tmp_path / "s.nc"))
    assert back == s
    np.testing.assert_array_equal(back.states, s.states)
    whole = s.to_xarray(split_complex=False)
    assert np.iscomplexobj(whole["states"].values) and SpectrumData.from_xarray(whole) == s
    with pytest.raises(ValueError, match="made by SpectrumData.to_xarray"):
        SpectrumData.from_xarray(ds.drop_attrs())


def test_csv_round_trip(tmp_path):
    s = _spectrum()
    back = SpectrumData.from_csv(s.to_csv(tmp_path / "s.csv", with_metadata=True))
    levels_only = SpectrumData(s.parameter, s.values, s.energies, unit=s.unit, label=s.label, metadata=s.metadata)
    assert back == levels_only
    bare = SpectrumData.from_csv(s.to_csv(tmp_path / "bare.csv"), unit="rad")  # a plain table
    assert bare.unit == "rad" and np.array_equal(bare.energies, s.energies) and bare.metadata == {}
    plain = tmp_path / "plain.csv"
    plain.write_text("B,E0_K,E1_K\n0,0,1\n1,0,2\n")
    p = SpectrumData.from_csv(plain, unit="T")
    assert p.parameter == "B" and p.unit == "T" and p.energies.tolist() == [[0, 1], [0, 2]]
    plain.write_text("B,E0_K,E1_K\n0,0\n")
    with pytest.raises(ValueError, match="data row 1"):
        SpectrumData.from_csv(plain)


def test_reprs_are_short():
    s = _spectrum()
    assert len(repr(s)) < 300 and "[[" not in repr(s)
    long = SpectrumData("B", [0.0], [[0.0]], label="x" * 500)
    assert len(repr(long)) < 300


def _inside_canvas(fig, path):
    """Every artist's extent (the tight bbox, in inches) lies on the canvas of the saved figure."""
    fig.savefig(path, dpi=80)  # no bbox_inches: what is outside the canvas would be clipped
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    w, h = fig.get_size_inches()
    return (box.x0 >= -0.01 and box.y0 >= -0.01 and box.x1 <= w + 0.01 and box.y1 <= h + 0.01), box, (w, h)


def test_plots_return_fig_ax_and_nothing_is_clipped(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    fig, ax = _spectrum().plot(relative=True, scale=1e-3)
    assert ax.figure is fig and fig.get_layout_engine() is not None
    ok, box, canvas = _inside_canvas(fig, tmp_path / "spectrum.png")
    assert ok, (box, canvas)
    t = np.geomspace(0.05, 1.0, 20)
    fit = ts.fit_heat_capacity(t, 0.7 * t + 2.0 * t**3, components=("debye", "2ls"))
    fig2, ax2 = fit.plot()
    assert ax2.figure is fig2
    ok, box, canvas = _inside_canvas(fig2, tmp_path / "fit.png")
    assert ok, (box, canvas)


def test_spectrum_map_against_the_closed_form_of_the_ring():
    phi = np.linspace(0, 4 * np.pi, 7)
    d0 = np.array([0.5, 1.0, 2.0])
    m = ts.spectrum_map(ts.three_level, {"phi": phi, "d0": d0}, energies=[0, 0, 0], units={"phi": "rad"})
    assert m.dims == ("phi", "d0", "level") and m.shape == (7, 3, 3) and m.attrs["units"] == "K"
    k = np.arange(3)
    closed = np.sort(2 * d0[None, :, None] * np.cos((phi[:, None, None] - 2 * np.pi * k) / 3), axis=-1)
    np.testing.assert_allclose(m.values, closed, atol=1e-12)
    assert float(m.sel(d0=1.0).isel(phi=0, level=0)) == pytest.approx(-1.0)
    with pytest.raises(TypeError, match="axes must be"):
        ts.spectrum_map(ts.three_level, [0.1], energies=[0, 0, 0], d0=1.0)


def test_field_map_is_labelled_and_follows_the_flux_quantum():
    h_over_e = 6.62607015e-34 / 1.602176634e-19
    area, b = 1e-18, np.array([0.0, 0.5 * h_over_e / 1e-18, h_over_e / 1e-18])  # 0, 1/2, 1 flux quantum
    theta = np.array([0.0, np.pi / 3, np.pi / 2])
    m = ts.field_map("3ls", b, theta, area=area, energies=[0, 0, 0], d0=1.0)
    assert m.dims == ("B", "theta", "level") and m["B"].attrs["units"] == "T"
    phi = 2 * np.pi * b[:, None] * area * np.cos(theta)[None, :] / h_over_e
    k = np.arange(3)
    closed = np.sort(2 * np.cos((phi[..., None] - 2 * np.pi * k) / 3), axis=-1)
    np.testing.assert_allclose(m.values, closed, atol=1e-9)
