"""Spectrum sweeps, plotting helpers, the console script and the single-system demo step."""

import csv
import subprocess
import sys

import numpy as np
import pytest

from tunnelsim import (
    FLUX_QUANTUM,
    flux_phase,
    flux_spectrum,
    frequency_to_kelvin,
    sweep_spectrum,
    three_level,
)
from tunnelsim.cli import main
from tunnelsim.single.plotting import figure_four_level_flux, figure_three_level_flux


def test_flux_spectrum_closed_form_equals_exact_sweep():
    phi = np.linspace(0, 4 * np.pi, 23)
    e = [0.1, -0.04, -0.06]
    a = flux_spectrum("3ls", phi, energies=e, d0=1.0)
    b = flux_spectrum("3ls", phi, method="exact", energies=e, d0=1.0)
    np.testing.assert_allclose(a.energies, b.energies, atol=1e-13)
    c = sweep_spectrum(three_level, "d0", [0.5, 1.0], energies=e, phi=0.3)
    assert c.energies.shape == (2, 3)
    np.testing.assert_allclose(c.relative_to_ground()[:, 0], 0.0)
    d = flux_spectrum("4ls", phi, energies=[0.1, 0, 0, -0.1], d1=1.0, d2=2.0, diagonal="straight")
    e2 = flux_spectrum("4ls", phi, method="exact", energies=[0.1, 0, 0, -0.1], d1=1.0, d2=2.0, diagonal="straight")
    np.testing.assert_allclose(d.energies, e2.energies, atol=1e-9)


def test_spectrum_csv_is_written_whole(tmp_path):
    sweep = flux_spectrum("3ls", np.linspace(0, 1, 5), energies=[0.1, -0.04, -0.06], d0=1.0)
    path = tmp_path / "s.csv"
    sweep.to_csv(path)
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["phi", "E0_K", "E1_K", "E2_K"] and len(rows) == 6
    np.testing.assert_array_equal(np.array(rows[1:], float), np.column_stack([sweep.values, sweep.energies]))


def test_units():
    # hbar omega / k_B for 1 GHz is 47.99 mK
    assert frequency_to_kelvin(1e9) == pytest.approx(0.04799243, rel=1e-6)
    assert FLUX_QUANTUM == pytest.approx(4.135667e-15, rel=1e-6)
    # one flux quantum through the area gives phi = 2 pi; a charge 2e halves the flux quantum
    s = 1e-18
    assert flux_phase(FLUX_QUANTUM / s, s) == pytest.approx(2 * np.pi)
    assert flux_phase(FLUX_QUANTUM / s, s, charge=2) == pytest.approx(4 * np.pi)
    assert flux_phase(FLUX_QUANTUM / s, s, theta=np.pi / 2) == pytest.approx(0.0, abs=1e-12)


def test_figures_have_labelled_axes_and_return_fig_ax():
    fig, ax = figure_three_level_flux(n_phi=21)
    assert ax is fig.axes[0]
    assert "D_0" in ax.get_ylabel() and "flux" in ax.get_xlabel()
    fig, axes = figure_four_level_flux(n_phi=21)
    assert axes.shape == (2, 2) and len(fig.axes) == 4 and all(a.get_ylabel() for a in fig.axes)


def test_cli_spectrum_writes_csv_and_plot(tmp_path):
    csv_path, png = tmp_path / "l.csv", tmp_path / "3ls.png"
    rc = main(["spectrum", "3ls", "--d0", "1", "--energies", "0.1,-0.05,-0.05", "--phi", "0:6.28:50",
               "--plot", str(png), "--csv", str(csv_path)])
    assert rc == 0 and png.stat().st_size > 1000
    rows = list(csv.reader(csv_path.open()))
    assert rows[0][0] == "phi" and len(rows) == 51
    lev = np.array([float(x) for x in rows[1][1:]])
    np.testing.assert_allclose(lev, np.linalg.eigvalsh(three_level([0.1, -0.05, -0.05], 1.0, 0.0).full()), atol=1e-12)


def test_cli_reports_bad_input_cleanly(capsys):
    rc = main(["spectrum", "3ls", "--d0", "1", "--energies", "0.1,0.1,0.1"])
    assert rc == 2
    assert "energies must sum to zero" in capsys.readouterr().err


def test_console_script_runs():
    out = subprocess.run([sys.executable, "-m", "tunnelsim.cli", "spectrum", "4ls", "--d1", "1", "--d2", "2",
                          "--energies", "0,0,0,0", "--phi", "0"], capture_output=True, text=True, check=True)
    values = [float(x) for x in out.stdout.splitlines()[1].split()[1:]]
    np.testing.assert_allclose(values, [-2, -2, 0, 4], atol=1e-12)
