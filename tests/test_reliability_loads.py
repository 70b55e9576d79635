"""Paths that can allocate or loop much estimate first (bytes and points) and refuse with the figure and the
budget, before any copy; received spectrum and cluster files are checked like every other file."""

from __future__ import annotations

import json
import os
import threading
import tracemalloc
import warnings

import numpy as np
import pytest

import tunnelsim as ts
from clusters import memory as cmem
from clusters.ensembles import EnsembleSpec, run_ensemble
from tunnelsim import memory
from tunnelsim.cli import main

GIB = 2**30


@pytest.fixture
def budget_1gib(monkeypatch):
    monkeypatch.setattr(memory, "available_memory_bytes", lambda: 1.25 * GIB)  # budget 1 GiB


def _peak_mib(func, *args, **kwargs) -> float:
    """Peak traced allocation (MiB) while ``func`` raises: refusals must come before the big copies."""
    tracemalloc.start()
    try:
        with pytest.raises((MemoryError, ValueError)) as info:
            func(*args, **kwargs)
        return tracemalloc.get_traced_memory()[1] / 2**20, info.value
    finally:
        tracemalloc.stop()


def test_spectrum_of_stack_estimates_before_the_copy(budget_1gib):
    stack = np.broadcast_to(np.eye(4), (10**7, 4, 4))  # a view: 1.2 GiB once copied
    peak, err = _peak_mib(ts.spectrum_of_stack, "x", np.zeros(10**7), stack)
    assert isinstance(err, memory.MemoryBudgetError)
    assert "the spectra of 10000000 matrices of size 4 x 4 would need about" in str(err)
    assert peak < 200  # the values array (76 MiB) is copied, the stack is not


def test_ats_linear_response_checks_before_copying_its_inputs(budget_1gib):
    n = 5 * 10**6
    energies = np.broadcast_to(np.array([0.1, -0.05, -0.05]), (n, 3))
    peak, err = _peak_mib(ts.ats_linear_response, np.linspace(0.1, 1, 10), energies, np.ones(n), energies)
    assert isinstance(err, memory.MemoryBudgetError) and f"{n} systems at 10 temperatures" in str(err)
    assert peak < 10


def test_explicit_chunk_is_checked_like_the_automatic_one(budget_1gib):
    sample = ts.sample_ats(4000, 1)
    temps = np.geomspace(0.01, 1.0, 2000)
    with pytest.raises(memory.MemoryBudgetError, match="exact 3LS dielectric response of 4000 systems"):
        ts.dielectric_ats_ensemble(temps, 1e3, sample, 1e10, chunk=4000)  # 4000 x 2000 x 320 B = 2.4 GiB


def test_dielectric_ats_field_refuses_a_million_fields_at_once():
    sample = ts.sample_ats(10, 1)
    with pytest.raises(ValueError, match="field has 1000000 values, which with n_theta = 8 makes 8000000"):
        ts.dielectric_ats_field([0.1], 1e3, np.linspace(0, 1, 10**6), sample, 1e10, area=1e-18)


def test_field_spectrum_refuses_1e8_fields_before_any_work():
    field = np.broadcast_to(1.0, (10**8,))
    peak, err = _peak_mib(ts.field_spectrum, "3ls", field, area=1e-18, d0=1.0, energies=[0.1, -0.05, -0.05])
    assert "field has 100000000 values, more than the 10000000" in str(err)
    assert peak < 10


def test_cli_range_is_bounded(capsys):
    assert _exit(["spectrum", "3ls", "--phi", "0:1:100000000"]) == 2
    assert "between 1 and 10000000" in capsys.readouterr().err


def _exit(argv) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse's usage errors
        return exc.code


def test_run_ensemble_estimates_before_building_its_points(budget_1gib):
    tracemalloc.start()
    try:
        with pytest.raises(memory.MemoryBudgetError, match="an ensemble of 100000000 clusters at N = 4"):
            run_ensemble(EnsembleSpec(4), 10**8, None, block_size=1, progress=False)
        assert tracemalloc.get_traced_memory()[1] < 10 * 2**20
    finally:
        tracemalloc.stop()


def test_ensemble_record_of_the_wrong_shape_is_recomputed(tmp_path):
    path = tmp_path / "ens.jsonl"
    spec = EnsembleSpec(2, j0=-5.0, delta_max=1.0, d0_min=0.5, d0_max=1.0)
    first = run_ensemble(spec, 20, path, seed=3, block_size=5, progress=False)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    rows[1]["result"]["gap"] = rows[1]["result"]["gap"][:2]  # the right key, a wrong result shape
    rows[2]["result"]["levels"] = 7
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.warns(RuntimeWarning, match=rf"{path.name}: removed 2 damaged line\(s\) \[2, 3\]"):
        again = run_ensemble(spec, 20, path, seed=3, block_size=5, progress=False)
    np.testing.assert_array_equal(again.gap, first.gap)
    np.testing.assert_array_equal(np.ma.getdata(again.levels), np.ma.getdata(first.levels))


@pytest.mark.parametrize("estimate, args", [(cmem.dense_bytes, (float("nan"),)), (cmem.csr_bytes, (10, -1)),
                                            (cmem.lanczos_bytes, (10, float("nan"))),
                                            (cmem.lean_lanczos_bytes, (-5, 2)), (cmem.qobj_bytes, (10, "3"))])
def test_cluster_memory_estimators_refuse_nonsense_sizes(estimate, args):
    with pytest.raises((ValueError, TypeError), match="dim|nnz_per_row|k must"):
        estimate(*args)


def test_cluster_check_memory_refuses_nan():
    with pytest.raises(ValueError, match="needed must be a number of bytes"):
        cmem.check_memory(float("nan"), "x")


def _no_block(func, *args):
    out = {}
    thread = threading.Thread(target=lambda: out.setdefault("v", func(*args)), daemon=True)
    thread.start()
    thread.join(20.0)
    assert not thread.is_alive(), "blocked"
    return out.get("v")


def test_load_spectrum_refuses_fifos_bombs_and_damaged_headers(tmp_path):
    fifo = tmp_path / "s.npz"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="FIFO"):
        ts.load_spectrum(fifo)
    good = ts.flux_spectrum("3ls", np.linspace(0, 1, 5), d0=1.0, energies=[0.1, -0.05, -0.05])
    path = tmp_path / "good.npz"
    good.save(path)
    assert ts.load_spectrum(path).energies.shape == (5, 3)
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    header = json.loads(str(arrays["header"]))
    header["metadata"] = ["not", "a", "dict"]
    arrays["header"] = np.array(json.dumps(header))
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ValueError, match=r"bad.npz is damaged: header entry 'metadata' must be a dict"):
        ts.load_spectrum(tmp_path / "bad.npz")
    arrays["header"] = np.array([1.0, 2.0])
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ValueError, match="header must be one text value"):
        ts.load_spectrum(tmp_path / "bad.npz")


@pytest.mark.parametrize("content, message", [(None, "FIFO"), (b"[1, 2, 3]", "must hold a JSON object"),
                                               (b'{"energies": "caf\xe9"}', "not valid UTF-8"),
                                               (b"{not json", "is not valid JSON")])
def test_cluster_file_is_checked(tmp_path, capsys, content, message):
    path = tmp_path / "c.json"
    if content is None:
        os.mkfifo(path)
    else:
        path.write_bytes(content)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        status = _no_block(_exit, ["cluster", "3ls", "--file", str(path)])
    assert status == 2
    assert message in capsys.readouterr().err
