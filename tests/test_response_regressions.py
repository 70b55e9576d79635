"""Regressions of issue 13 (nothing silent) and issue 12 (data files, fit results), each at the edge it failed on."""

import math
import tracemalloc
import warnings

import numpy as np
import pytest

import tunnelsim as ts
from tunnelsim.memory import MemoryBudgetError


def test_schottky_kernels_underflow_to_the_exact_zero():
    # was 9.9e95 and 1.5e96: y / cosh(min(y, 350)) for a huge y
    assert ts.schottky_2level(1.0, 1e-200) == 0.0
    assert ts.heat_capacity_fe(1e-200, 1.0, 0.5) == 0.0
    assert ts.heat_capacity_ats(1e-200, 1.0, 0.1) == 0.0
    y = np.array([1e-3, 0.3, 1.0, 5.0, 40.0, 300.0])  # against the textbook form where it does not overflow
    assert np.allclose(ts.schottky_2level(2 * y, 1.0), (y / np.cosh(y)) ** 2, rtol=1e-13, atol=0)


def test_dielectric_minimum_never_leaves_the_scanned_grid():
    silica = ts.get_preset("silica_dielectric")
    with pytest.raises(ValueError, match="no interior minimum"):  # was a 'minimum' at 10 K, outside 1-10 mK
        ts.dielectric_minimum(np.geomspace(1e-3, 1e-2, 20), 1e3, silica)
    t = np.geomspace(1e-3, 1.0, 40)
    tmin, _ = ts.dielectric_minimum(t, 1e3, silica)
    assert t[0] < tmin < t[-1] and 0.02 < tmin < 0.1
    # a curve decreasing to the end of its grid: the end sample, not an extrapolated vertex
    from tunnelsim.response.curves import parabolic_minimum

    tt = np.geomspace(1.0, 10.0, 5)
    assert parabolic_minimum(tt, (np.log(tt) - 5.0) ** 2)[:2] == (10.0, pytest.approx((np.log(10) - 5) ** 2))


def test_global_fit_refuses_under_determined_problems_and_bad_x():
    t = np.geomspace(0.05, 2.0, 5)
    c = ts.heat_capacity(t, ts.get_preset("k2o_silica_illustrative", x=0.1))
    with pytest.raises(ValueError, match="under-determined"):  # 6 parameters to 5 points reported success
        ts.fit_heat_capacity_global([(0.1, t, c)], components=("debye", "2ls", "ats", "fe"))
    for x in (float("nan"), 1.5, -0.1):
        with pytest.raises(ValueError, match=r"datasets\[0\] x"):
            ts.fit_heat_capacity_global([(x, np.geomspace(0.05, 2, 20), np.ones(20))])
    with pytest.raises(ValueError, match="under-determined"):
        ts.fit_heat_capacity(t[:3], c[:3], components=("debye", "2ls", "ats"))


def test_unidentifiable_parameters_are_not_a_success():
    t = np.geomspace(0.05, 2.0, 30)
    c = 0.7 * t  # only the linear term: the ATS amplitude and D_min trade freely at P* = 0
    r = ts.fit_heat_capacity(t, c, components=("2ls", "ats"), sigma=0.01)
    if r.params["p_star"] < 1e-6:
        assert not r.success and "not determined" in r.message


def test_ensemble_chunk_must_be_positive():
    s = ts.sample_ats(10, 1)
    with pytest.raises(ValueError, match="chunk"):  # chunk=-1 returned zeros
        ts.heat_capacity_ats_ensemble([0.1], s, 1.0, chunk=-1)


@pytest.mark.parametrize("call", [
    lambda: ts.dielectric_ats([1e-3, 1.0], 1e3, k_ats=1e-300),
    lambda: ts.dielectric_ats([1e-3, 1.0], 1e300, k_ats=1e300),
    lambda: ts.dielectric_stm([1e-300, 1.0, 1e300], 1e3),
    lambda: ts.dielectric_total([1e-3, 1.0], 1e3, chi=1, delta0_min=1e-7, k_relax=1e300),
    lambda: ts.dielectric_ats([1e-3, 1.0], 1e3, variant="stm", u_min=1e-12, k_ats=1e-300),
])
def test_no_runtime_warnings_at_extreme_constants(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = call()
    assert np.all(np.isfinite(out))


def test_dielectric_integrals_work_in_blocks_of_bounded_memory():
    t = np.geomspace(1e-3, 1.0, 60)
    tracemalloc.start()
    ts.dielectric_stm_parts(t, 1e3)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 60e6  # one block of 32 MB workspace; all 60 temperatures at once took ~160 MB


def test_dielectric_memory_estimated_before_allocating(monkeypatch):
    import tunnelsim.memory as mem

    monkeypatch.setattr(mem, "available_memory_bytes", lambda: 1e8)
    t = np.geomspace(1e-3, 1.0, 3_000_000)
    with pytest.raises(MemoryBudgetError, match="temperatures"):
        ts.dielectric_stm_parts(t, 1e3)


def test_write_csv_refuses_columns_of_different_lengths(tmp_path):
    with pytest.raises(ValueError, match="same length"):  # wrote 2 rows
        ts.write_csv(tmp_path / "a.csv", [0.1, 0.2], [1, 2, 3])
    assert not (tmp_path / "a.csv").exists()


def test_read_csv_takes_the_savetxt_header_a_bom_and_whitespace(tmp_path):
    t = np.array([0.1, 0.2, 0.4])
    c = np.array([1.0, 2.0, 3.5])
    p = tmp_path / "savetxt.csv"
    np.savetxt(p, np.c_[t, c, 0.01 * c], delimiter=",", header="T,C,sigma")
    d = ts.read_csv(p)
    assert np.allclose(d.T, t) and np.allclose(d.y, c) and np.allclose(d.sigma, 0.01 * c)
    p2 = tmp_path / "spaces.txt"
    np.savetxt(p2, np.c_[t, c], header="T C", comments="# measured 2024\n# ")
    assert np.allclose(ts.read_csv(p2).y, c)
    p3 = tmp_path / "bom.csv"
    p3.write_text("\ufeff# a comment\nT,C\n0.1,1\n0.2,2\n", encoding="utf-8")
    assert np.allclose(ts.read_csv(p3).T, [0.1, 0.2])


def test_read_csv_errors_name_the_line(tmp_path):
    cases = {"0.1,1\n": "line 1", "# just words\n0.1,1\n": "line 1", "T,C\n0.1,1\n0.2\n": "line 3",
             "# T,C\n0.1,oops\n": "line 2", "T,C,q\n0.1,1,1\n": "line 1", "T,C\n-0.1,1\n": "line 2"}
    for i, (text, where) in enumerate(cases.items()):
        p = tmp_path / f"bad{i}.csv"
        p.write_text(text)
        with pytest.raises(ts.DataFileError, match=where):
            ts.read_csv(p)
    p = tmp_path / "latin.csv"
    p.write_bytes(b"T,C\n0.1,1\xe9\n")
    with pytest.raises(ts.DataFileError, match="UTF-8"):
        ts.read_csv(p)


def test_fit_result_report_intervals_save_and_load(tmp_path):
    rng = np.random.default_rng(3)
    t = np.geomspace(0.03, 2.0, 40)
    c = ts.heat_capacity(t, c_debye=1.5, c_2ls=1.2, p_star=3.0, d_min=0.08)
    noisy = c * (1 + 0.01 * rng.standard_normal(t.size))
    r = ts.fit_heat_capacity(t, noisy, ("debye", "2ls", "ats"), sigma=0.01 * c)
    ci = r.conf_interval(0.95)
    for name, (lo, hi) in ci.items():
        assert lo <= r.params[name] <= hi
    lo, hi = ci["d_min"]  # fitted as ln D_min: symmetric in the logarithm
    assert math.isclose(math.log(r.params["d_min"] / lo), math.log(hi / r.params["d_min"]), rel_tol=1e-9)
    assert lo > 0
    wide, narrow = r.conf_interval(0.99)["c_2ls"], r.conf_interval(0.68)["c_2ls"]
    assert wide[1] - wide[0] > narrow[1] - narrow[0]
    text = r.report()
    assert "d_min" in text and "fitted as ln" in text and "reduced chi^2" in text
    back = ts.FitResult.load(r.save(tmp_path / "fit.json"))
    assert back.params == r.params and back.stderr == r.stderr and back.names == r.names
    assert np.allclose(back.model(t), r.model(t))
    with pytest.raises(ValueError, match="level"):
        r.conf_interval(1.5)
    (tmp_path / "other.json").write_text("{}")
    with pytest.raises(ValueError, match="not a"):
        ts.FitResult.load(tmp_path / "other.json")
