"""The shared floor: validation refuses non-numbers before conversion, atomic files, locks, the memory
budget, fits and the seed convention. References are independent (numpy.polyfit, closed forms)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tunnelsim import files, memory, phases, stats, validation

ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------------------------ validation
@pytest.mark.parametrize("bad, word", [("0.1", "string"), (b"1", "string"), (None, "None"), (True, "boolean"),
                                       (np.bool_(False), "boolean"), (object(), "object")])
def test_scalar_refuses_non_numbers(bad, word):
    with pytest.raises(TypeError, match=rf"x must be numeric.*{word}"):
        validation.as_real_scalar(bad, "x")


@pytest.mark.parametrize("bad", [["0.1", -0.05], [0.1, None], [[1.0, 2.0], [True, 3.0]], np.array([True, False]),
                                 np.array(["1", "2"])])
def test_array_refuses_non_numbers_inside(bad):
    with pytest.raises(TypeError, match="energies must be numeric|energies must hold real numbers"):
        validation.as_real_array(bad, "energies")


def test_array_messages_name_shape_and_nan():
    with pytest.raises(ValueError, match=r"e must have shape \(3\), got shape \(2,\)"):
        validation.as_real_array([1, 2], "e", shape=(3,))
    with pytest.raises(ValueError, match="e must be finite.*index \\(1,\\)"):
        validation.as_real_array([1, np.nan], "e")
    with pytest.raises(ValueError, match="rectangular"):
        validation.as_real_array([[1, 2], [3]], "e")
    with pytest.raises(TypeError, match="complex"):
        validation.as_real_array([1 + 1j], "e")


def test_flags_ints_ranges_and_lengths():
    assert validation.check_bool(np.bool_(True), "periodic") is True
    for bad in ("no", 0, 1.0, None):
        with pytest.raises(TypeError, match="periodic must be True or False"):
            validation.check_bool(bad, "periodic")
    assert validation.check_int(4.0, "n") == 4
    for bad in (True, 2.5, "3", np.nan):
        with pytest.raises(TypeError, match="n must be an integer"):
            validation.check_int(bad, "n")
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\], got 1.5"):
        validation.check_probability(1.5, "p")
    with pytest.raises(ValueError, match=r"x must lie in \(0, 1\]"):
        validation.check_range(0.0, "x", 0.0, 1.0, lo_open=True)
    with pytest.raises(ValueError, match="T and C must have the same length, got 2 and 3"):
        validation.check_same_length("T", [1, 2], "C", [1, 2, 3])


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=1, max_size=20))
def test_real_arrays_round_trip(values):
    out = validation.as_real_array(values, "v")
    assert out.dtype == np.float64 and np.array_equal(out, np.array(values, dtype=float))


# ------------------------------------------------------------------------------------------ phases
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_wrap_phase_representative(phi):
    w = phases.wrap_phase(phi)
    assert -np.pi < w <= np.pi
    assert np.isclose(np.cos(w), np.cos(phi), atol=1e-8) and np.isclose(np.sin(w), np.sin(phi), atol=1e-8)


@given(st.floats(min_value=-50, max_value=50), st.floats(min_value=-3, max_value=3), st.integers(3, 6))
def test_ring_hopping_is_hermitian_with_loop_phase(phi, d, n):
    h = phases.ring_hopping(d, phi, n)
    assert np.allclose(h, h.conj().T)
    loop = np.prod([h[a, (a + 1) % n] for a in range(n)])
    assert np.isclose(loop, d**n * np.exp(1j * phi), atol=1e-9 * max(1.0, abs(d) ** n))


def test_ring_hopping_huge_phase_is_reduced_exactly():
    # phi = 2 pi n k + 0.3 gives the same matrix as 0.3 (reduction before the exponential)
    h = phases.ring_hopping(1.0, 0.3 + 2 * np.pi * 3 * 10**6, 3)
    assert np.allclose(h, phases.ring_hopping(1.0, 0.3, 3), atol=1e-6)


# -------------------------------------------------------------------------------------------- stats
def test_line_fit_matches_polyfit_and_errors():
    rng = np.random.default_rng(1)
    x = np.linspace(0, 1, 30)
    y = 2.5 * x - 1.0 + rng.normal(scale=0.1, size=x.size)
    fit = stats.line_fit(x, y)
    slope, intercept = np.polyfit(x, y, 1)
    assert fit.slope == pytest.approx(slope) and fit.intercept == pytest.approx(intercept)
    _, cov = np.polyfit(x, y, 1, cov="unscaled")
    resid = y - (slope * x + intercept)
    assert fit.slope_err == pytest.approx(np.sqrt(cov[0, 0] * np.sum(resid**2) / (x.size - 2)), rel=1e-9)
    with pytest.raises(ValueError, match="at least 2 points"):
        stats.line_fit([1.0], [2.0])
    with pytest.raises(ValueError, match="sigma spans too many orders of magnitude"):  # found by hypothesis
        stats.line_fit([0, 1, 2], [1, 3, 5.1], sigma=[1, 1, 1.29e-189])


def test_power_law_fit_recovers_exponent():
    x = np.array([8.0, 16, 32, 64, 128])
    params, _ = stats.power_law_fit(x, 3.0 * x**1.896, 0.01 * x**1.896)
    assert params[1] == pytest.approx(1.896, abs=1e-10) and np.exp(params[0]) == pytest.approx(3.0)


def test_seed_convention():
    assert stats.as_generator(3).random() == np.random.default_rng(3).random()
    g = np.random.default_rng(5)
    assert stats.as_generator(g) is g
    for bad in (True, 1.5, "3"):
        with pytest.raises(TypeError, match="seed must be an int"):
            stats.as_generator(bad)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        stats.seed_entropy(-1)
    assert stats.seed_entropy(np.random.default_rng(2)) == stats.seed_entropy(np.random.default_rng(2))


def test_estimate_agreement():
    est = stats.Estimate("D", 1.90, 0.005, 0.003, stats.Reference(91 / 48, 0.0, "exact"))
    assert est.stderr == pytest.approx(np.hypot(0.005, 0.003))
    assert est.agrees(2.0) and est.deviation() == pytest.approx(abs(1.90 - 91 / 48) / (91 / 48))


# -------------------------------------------------------------------------------------------- files
def test_atomic_write_keeps_old_file_on_error(tmp_path):
    target = tmp_path / "a" / "report.md"
    files.write_text_atomic(target, "complete")
    with pytest.raises(RuntimeError), files.atomic_write(target) as fh:
        fh.write("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "complete"
    assert [p.name for p in target.parent.iterdir()] == ["report.md"]  # no temporary left behind


def test_atomic_files_get_the_permissions_of_a_plain_write(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("x")  # what open(path, "w") leaves under this process's umask
    new = files.write_bytes_atomic(tmp_path / "new.png", b"\x89PNG")
    assert new.read_bytes() == b"\x89PNG"
    assert new.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777  # not mkstemp's 0o600
    plain.chmod(0o640)
    files.write_text_atomic(plain, "y")  # an existing file keeps its own mode
    assert plain.stat().st_mode & 0o777 == 0o640 and plain.read_text() == "y"


def test_write_table_refuses_ragged_rows(tmp_path):
    with pytest.raises(ValueError, match="row 1 .* has 1 cells, the header has 2"):
        files.write_table(tmp_path / "t.csv", ["T", "C"], [[1.0, 2.0], [3.0]])
    path = files.write_table(tmp_path / "t.csv", ["T", "C"], [[1.0, 2.0]], float_format=".3g")
    assert path.read_text().splitlines() == ["T,C", "1,2"]
    files.write_table(path, ["T", "C"], [[0.5, 3.0]], comment="measured\nrun 2")
    assert path.read_bytes() == b"# measured\n# run 2\nT,C\n0.5,3.0\n"  # comments first, plain newlines


def test_check_writable(tmp_path):
    with pytest.raises(ValueError, match="must name a folder"):
        files.check_writable("  ")
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OSError, match="is not writable"):
        files.check_writable(blocker / "out")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if os.access(ro, os.W_OK):  # running as root: permissions do not bind
            pytest.skip("permissions are not enforced for this user")
        with pytest.raises(PermissionError, match="is not writable"):
            files.check_writable(ro / "sub")
    finally:
        ro.chmod(0o700)


def test_folder_lock_refuses_second_holder(tmp_path):
    code = ("import sys, time; from tunnelsim.files import folder_lock\n"
            "with folder_lock(sys.argv[1]):\n    print('locked', flush=True); time.sleep(5)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(files.FolderLockedError, match="another run is writing"), files.folder_lock(tmp_path):
            pass
    finally:
        proc.kill()
        proc.wait()
    with files.folder_lock(tmp_path):  # released when the holder died
        pass


# ------------------------------------------------------------------------------------------- memory
def test_budget_honours_rlimit_as():
    code = ("import resource; from tunnelsim import memory\n"
            "resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, resource.RLIM_INFINITY))\n"
            "print(memory.available_memory_bytes() / 2**30)\n"
            "try:\n    memory.check_memory(5 * 2**30, 'a test array')\n"
            "except memory.MemoryBudgetError as e:\n    print('refused:', e)\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    lines = res.stdout.splitlines()
    assert float(lines[0]) < 3.0
    assert lines[1].startswith("refused: a test array would need about 5 GiB")


def test_budget_honours_cgroup(monkeypatch, tmp_path):
    # A fake cgroup v2 tree (the root of the hierarchy); nested and v1 trees: tests/test_reliability_memory.py.
    (tmp_path / "proc" / "self").mkdir(parents=True)
    (tmp_path / "proc" / "self" / "cgroup").write_text("0::/\n")
    (tmp_path / "proc" / "self" / "mountinfo").write_text("41 31 0:38 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n")
    tmp_path = tmp_path / "sys" / "fs" / "cgroup"
    tmp_path.mkdir(parents=True)
    monkeypatch.setattr(memory, "PROC_ROOT", tmp_path.parents[2] / "proc")
    monkeypatch.setattr(memory, "SYS_ROOT", tmp_path.parents[2])
    (tmp_path / "memory.max").write_text(str(2 * 2**30))
    (tmp_path / "memory.current").write_text(str(2**30))
    assert memory._cgroup_headroom() == pytest.approx(2**30)
    assert memory.available_memory_bytes() <= 2**30
    with pytest.raises(memory.MemoryBudgetError, match="1 GiB available"):
        memory.check_memory(2**30, "x")
    (tmp_path / "memory.max").write_text("max")
    assert memory._cgroup_headroom() is None


def test_ring_hopping_vectorised_over_phases_equals_one_by_one():
    phis = np.array([0.0, 0.3, -2.0, 1e6])
    stack = phases.ring_hopping(0.7, phis, 4)
    assert stack.shape == (4, 4, 4)
    for h, p in zip(stack, phis):
        np.testing.assert_allclose(h, phases.ring_hopping(0.7, float(p), 4), atol=1e-12)
    pairs = phases.ring_hopping([1.0, 2.0], [0.1, 0.2], 3)
    np.testing.assert_allclose(pairs[1], phases.ring_hopping(2.0, 0.2, 3))
    with pytest.raises(ValueError, match="same length"):
        phases.ring_hopping([1.0, 2.0], [0.1, 0.2, 0.3], 3)


def test_real_pair_names_both_parameters_and_keeps_scalars():
    from tunnelsim.validation import as_real_pair

    a, b = as_real_pair(2, "theta", [0.1, 0.2], "alpha")
    assert a.ndim == 0 and b.shape == (2,)
    with pytest.raises(ValueError, match="theta and alpha must have the same length, got 3 and 2"):
        as_real_pair([1, 2, 3], "theta", [0.1, 0.2], "alpha")
    with pytest.raises(ValueError, match=r"numbers or 1-D arrays, got shapes \(2, 2\) and \(\)"):
        as_real_pair(np.ones((2, 2)), "theta", 0.5, "alpha")
    with pytest.raises(TypeError, match="alpha"):
        as_real_pair(1.0, "theta", "x", "alpha")


def test_flux_phase_overflow_is_refused():
    from tunnelsim.constants import flux_phase

    with pytest.raises(ValueError, match="overflows double precision"):  # found by hypothesis
        flux_phase(1e308, 1e10)
