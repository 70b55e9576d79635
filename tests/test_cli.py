"""The command line: subcommands, negative values, units of the flux axis, one-line errors and exit codes."""

from __future__ import annotations

import csv
import subprocess
import sys

import numpy as np
import pytest

from tunnelsim.cli import main

HC_OVER_E = 6.62607015e-34 / 1.602176634e-19  # the flux quantum h/e in Wb (exact SI values)


def run_cli(args, capsys):
    rc = main(args)
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.startswith("tunnelsim 0.")


def test_negative_values_need_no_equals_sign(capsys):
    rc, out, _ = run_cli(["spectrum", "3ls", "--energies", "-0.1,0.05,0.05", "--d0", "1", "--phi", "0"], capsys)
    assert rc == 0
    levels = np.array([float(x) for x in out.splitlines()[1].split()[1:]])
    h = np.array([[-0.1, 1, 1], [1, 0.05, 1], [1, 1, 0.05]])
    np.testing.assert_allclose(levels, np.linalg.eigvalsh(h), atol=1e-12)


def test_negative_hopping_is_refused_with_the_cli_flag_named(capsys):
    rc, _, err = run_cli(["spectrum", "3ls", "--energies", "0,0,0", "--d0", "-1"], capsys)
    assert rc == 2 and "--allow-negative-hopping" in err and err.count("\n") == 1


def test_field_axis_in_tesla_matches_the_flux_quantum(tmp_path, capsys):
    path = tmp_path / "b.csv"
    area = 1e-18
    rc, _, _ = run_cli(["spectrum", "3ls", "--energies", "0,0,0", "--d0", "1", "--field", "0:2:5", "--area",
                        str(area), "--csv", str(path)], capsys)
    assert rc == 0
    rows = list(csv.reader(path.open()))
    assert rows[0][0] == "B_T"
    b = np.array([float(r[0]) for r in rows[1:]])
    levels = np.array([[float(x) for x in r[1:]] for r in rows[1:]])
    phi = 2 * np.pi * b * area / HC_OVER_E
    closed = np.sort(2 * np.cos((phi[:, None] + 2 * np.pi * np.arange(3)) / 3), axis=1)  # all E_i = 0
    np.testing.assert_allclose(levels, closed, atol=1e-12)


def test_flux_in_quanta_is_two_pi_periodic(capsys):
    rc, out, _ = run_cli(["spectrum", "3ls", "--energies", "0.1,-0.05,-0.05", "--d0", "1", "--flux", "0.2,1.2"],
                         capsys)
    rows = [[float(x) for x in line.split()] for line in out.splitlines()[1:]]
    assert rc == 0 and np.allclose(rows[0][1:], rows[1][1:], atol=1e-12)


@pytest.mark.parametrize("args, phrase", [
    (["spectrum", "3ls", "--energies", "0.1,0.1,0.1", "--d0", "1"], "energies must sum to zero"),
    (["spectrum", "3ls", "--energies", "0,0,0", "--d0", "1", "--plot", "/no/such/folder/x.png"], "does not exist"),
    (["spectrum", "3ls", "--energies", "0,0,0", "--d0", "1", "--field", "0:1:3"], "--field needs --area"),
    (["spectrum", "3ls", "--energies", "a,b"], "comma-separated numbers"),
    (["reproduce", "--out", ""], "expected a folder name"),
    (["reproduce", "--only", "", "--out", "unused"], "only must name at least one"),
    (["reproduce", "--workers", "-1"], "expected a number >= 0"),
    (["cluster", "2ls"], "give --n"),
    (["fit", "/no/such/file.csv"], "is not a file"),
])
def test_expected_failures_are_one_line_exit_2(args, phrase, capsys):
    try:
        rc = main(args)
    except SystemExit as exc:  # argparse usage errors
        rc = exc.code
    err = capsys.readouterr().err
    assert rc == 2 and phrase in err and err.count("\n") == 1, err


def test_interrupt_exits_130(monkeypatch, capsys):
    import tunnelsim.cli as cli

    def boom(args):
        raise KeyboardInterrupt

    monkeypatch.setitem(cli._COMMANDS, "spectrum", boom)
    rc, _, err = run_cli(["spectrum", "3ls", "--energies", "0,0,0", "--d0", "1"], capsys)
    assert rc == 130 and err.strip().startswith("tunnelsim: interrupted") and len(err.strip().splitlines()) == 1


def test_cluster_uniform_two_level(capsys):
    """N = 2, J = 0: independent 2LS, levels -E, 0, 0, E with E = sqrt(Delta^2 + Delta0^2)."""
    rc, out, _ = run_cli(["cluster", "2ls", "--n", "2", "--asymmetry", "0.3", "--tunneling", "0.4", "--coupling", "0",
                          "--levels", "3", "--method", "sector", "--no-coherent"], capsys)
    levels = [float(x) for x in out.splitlines()[1].split()]
    assert rc == 0 and np.allclose(levels, [-0.5, 0.0, 0.5], atol=1e-12)


def test_cluster_from_file_and_coherent_doublet(tmp_path, capsys):
    path = tmp_path / "c.npz"
    j = -5.0 * (np.ones((3, 3)) - np.eye(3))
    np.savez(path, asymmetries=np.zeros(3), tunnelings=np.ones(3), couplings=j)
    rc, out, _ = run_cli(["cluster", "2ls", "--file", str(path), "--levels", "2"], capsys)
    assert rc == 0 and "coherent doublet" in out
    levels = [float(x) for x in out.splitlines()[1].split()]
    h = _dense_two_level(np.zeros(3), np.ones(3), j)
    np.testing.assert_allclose(levels, np.linalg.eigvalsh(h)[:2], atol=1e-10)


def _dense_two_level(delta, d0, j):
    sx, sz, one = np.array([[0, 1], [1, 0]]), np.diag([1.0, -1.0]), np.eye(2)

    def site(op, i):
        out = np.ones((1, 1))
        for k in range(len(delta)):
            out = np.kron(out, op if k == i else one)
        return out

    h = sum(0.5 * (delta[i] * site(sz, i) + d0[i] * site(sx, i)) for i in range(len(delta)))
    return h + sum(j[a, b] * site(sz, a) @ site(sz, b) for a in range(len(delta)) for b in range(a + 1, len(delta)))


def test_fit_heat_capacity_from_a_savetxt_file(tmp_path, capsys):
    t = np.geomspace(0.1, 2.0, 25)
    c = 3e-4 * t**3 + 2e-5 * t
    path = tmp_path / "c.csv"
    path.write_text("T,C\n" + "\n".join(f"{a:.10g},{b:.10g}" for a, b in zip(t, c)) + "\n")
    rc, out, _ = run_cli(["fit", str(path), "--components", "debye,2ls"], capsys)
    values = {line.split()[0]: line.split()[1] for line in out.splitlines() if line.startswith("c_")}
    assert rc == 0 and "interval" in out
    assert float(values["c_debye"]) == pytest.approx(3e-4, rel=1e-5)
    assert float(values["c_2ls"]) == pytest.approx(2e-5, rel=1e-5)


def test_percolate_small_square(capsys):
    rc, out, _ = run_cli(["percolate", "--lattice", "square", "--size", "32", "--samples", "100"], capsys)
    p = float(out.split("=")[1].split("+-")[0])
    assert rc == 0 and abs(p - 0.592746) < 0.02


def test_console_script_entry_point():
    res = subprocess.run([sys.executable, "-m", "tunnelsim.cli", "--version"], capture_output=True, text=True)
    assert res.returncode == 0 and "tunnelsim" in res.stdout
