"""Command line and inputs a physicist touches: the magnetocapacitance subcommand (against the library call),
read_csv column mapping and DataFrames, errors naming the public function, one-line errors of the examples, no
source-line warnings from `tunnelsim cluster`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tunnelsim as ts
from tunnelsim.cli import main
from tunnelsim.response.datafiles import DataFileError

ROOT = Path(__file__).resolve().parents[1]


def test_magnetocapacitance_subcommand_matches_the_library(tmp_path, capsys):
    out_csv = tmp_path / "eps.csv"
    rc = main(["magnetocapacitance", "--fields", "0,2", "--temperatures", "0.01,0.1", "--systems", "300",
               "--n-theta", "2", "--csv", str(out_csv)])
    printed = capsys.readouterr().out
    assert rc == 0 and "chi_ats" in printed
    rows = np.loadtxt(out_csv, delimiter=",", skiprows=1)
    sample = ts.sample_ats(300, 1, d_min=0.01, d_max=1.0, d0_min=20.0, d0_max=200.0)
    total = ts.dielectric_ats_field([0.01, 0.1], 1e3, [0.0, 2.0], sample, 1e10, area=1e-18, charge=2.0, n_theta=2,
                                    seed=1)["total"]
    ref = total - total[:1]  # what a measurement gives: the B = 0 curve subtracted once
    np.testing.assert_allclose(rows[:, 1:], ref.T, rtol=1e-8, atol=1e-12)
    assert np.all(rows[:, 1] == 0.0)
    with pytest.raises(SystemExit) as info:  # a usage error: one line, status 2
        main(["magnetocapacitance", "--temperatures", "-1:0.5:3"])
    assert info.value.code == 2 and "start > 0" in capsys.readouterr().err


def test_read_csv_column_mapping_and_dataframe(tmp_path):
    pd = pytest.importorskip("pandas")
    path = tmp_path / "m.csv"
    path.write_text("temp_K,cp,junk,err\n0.1,1.0,x,0.1\n0.2,2.0,y,0.2\n")
    d = ts.read_csv(path, columns={"T": "temp_K", "C": "cp", "sigma": "err"})
    assert d.T.tolist() == [0.1, 0.2] and d.y.tolist() == [1.0, 2.0] and d.sigma.tolist() == [0.1, 0.2]
    with pytest.raises(DataFileError, match="lacks C"):
        ts.read_csv(path, columns={"T": "temp_K", "C": "heat"})
    with pytest.raises(ValueError, match="unknown name"):
        ts.read_csv(path, columns={"Temp": "temp_K"})
    frame = pd.DataFrame({"temp": [0.1, 0.2], "C": [1.0, 2.0]})
    d2 = ts.read_csv(frame, columns={"T": "temp"})
    assert d2.T.tolist() == [0.1, 0.2] and d2.sigma is None
    with pytest.raises(DataFileError, match="DataFrame, row 1: temperature T must be > 0"):
        ts.read_csv(pd.DataFrame({"T": [0.1, -0.2], "C": [1.0, 2.0]}))


def test_errors_name_the_public_function():
    with pytest.raises(TypeError, match=r"flux_spectrum\(\) got unknown keyword\(s\) 'get_eigenstates'.*keep_states"):
        ts.flux_spectrum("3ls", [0.0, 1.0], energies=[0, 0, 0], d0=1.0, get_eigenstates=True)
    with pytest.raises(TypeError, match=r"field_spectrum\(\) got unknown keyword"):
        ts.field_spectrum("4ls", [0.0], area=1e-18, energies=[0, 0, 0, 0], d1=1, d2=0, d0=1)


def test_cluster_command_prints_no_source_line_warning():
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    res = subprocess.run([sys.executable, "-m", "tunnelsim.cli", "cluster", "2ls", "--n", "20", "--coupling", "-5"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "levels = cl.eigenenergies" not in res.stderr and "Warning" not in res.stderr
    assert "coherent doublet" in res.stdout


@pytest.mark.parametrize("script, args", [("fit_heat_capacity.py", ["/no/such/file.csv"]),
                                          ("magnetocapacitance.py", ["--area", "-1", "--quick"])])
def test_examples_print_one_line_errors(script, args):
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    res = subprocess.run([sys.executable, str(ROOT / "examples" / script), *args], capture_output=True, text=True,
                         env=env, timeout=300)
    assert res.returncode != 0
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1, res.stderr
