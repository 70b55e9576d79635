"""Fits through lmfit: recovery within the reported errors, AIC choosing the true model, profile intervals, a
confidence band, a checked file format, the CLI report and --save. The data come from an independent forward model
(adaptive quadrature of the DOS integrals, no toolkit code)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.integrate import quad

import tunnelsim as ts
from tunnelsim.cli import main


def _kern(e, t):
    y = e / (2 * t)
    return y * y / np.cosh(y) ** 2 if y < 300 else 0.0


def forward(t, c_debye, c_2ls, p_star, d_min, n_fe=0.0, delta_fe=1.0):
    out = []
    for ti in t:
        ats = quad(lambda e, ti=ti: _kern(e, ti) / e, d_min, np.inf, limit=200)[0]
        fe = quad(lambda d, ti=ti: d / delta_fe**2 * np.exp(-d / delta_fe) * _kern(d, ti), 0, np.inf, limit=200)[0]
        out.append(c_debye * ti**3 + c_2ls * ti + p_star * ats + n_fe * fe)
    return np.array(out)


TRUE = {"c_debye": 1.5, "c_2ls": 1.2, "p_star": 3.0, "d_min": 0.08}


@pytest.fixture(scope="module")
def data():
    t = np.geomspace(0.02, 2.0, 40)
    c = forward(t, **TRUE)
    rng = np.random.default_rng(3)
    return t, c * (1 + 0.01 * rng.standard_normal(t.size)), 0.01 * c


def test_recovers_known_parameters_within_reported_errors(data):
    t, y, s = data
    r = ts.fit_heat_capacity(t, y, components=("debye", "2ls", "ats"), sigma=s)
    assert r.success and r.lmfit_result is not None
    for name, value in TRUE.items():
        assert abs(r.params[name] - value) < 3 * r.stderr[name], (name, r.params[name], r.stderr[name])
        lo, hi = r.conf_interval(0.997)[name]
        assert lo < value < hi
    corr = r.correlations()
    assert set(corr) == {(a, b) for i, a in enumerate(r.names) for b in r.names[i + 1:]}
    assert all(-1.0 <= v <= 1.0 for v in corr.values())
    text = r.report()
    assert "AIC" in text and "BIC" in text and "correlations" in text and "95% interval" in text
    assert "[[Variables]]" in r.fit_report() and "ln_d_min" in r.fit_report()
    assert len(repr(r)) < 300 and "array" not in repr(r)


def test_aic_prefers_the_true_model_without_the_fe_term(data):
    t, y, s = data
    true = ts.fit_heat_capacity(t, y, components=("debye", "2ls", "ats"), sigma=s)
    extra = ts.fit_heat_capacity(t, y, components=("debye", "2ls", "ats", "fe"), sigma=s)
    assert true.aic < extra.aic and true.bic < extra.bic
    n, k = t.size, len(true.names)  # lmfit's definition, recomputed here
    assert true.aic == pytest.approx(n * np.log(true.chi2 / n) + 2 * k)


def test_aic_prefers_the_fe_term_when_the_data_hold_it():
    t = np.geomspace(0.02, 2.0, 40)
    c = forward(t, **TRUE, n_fe=2.0, delta_fe=0.5)
    y = c * (1 + 0.005 * np.random.default_rng(4).standard_normal(t.size))
    without = ts.fit_heat_capacity(t, y, components=("debye", "2ls", "ats"), sigma=0.005 * c)
    with_fe = ts.fit_heat_capacity(t, y, components=("debye", "2ls", "ats", "fe"), sigma=0.005 * c)
    assert with_fe.aic < without.aic - 10


def test_profile_intervals_and_confidence_band(data):
    t, y, s = data
    r = ts.fit_heat_capacity(t, y, components=("debye", "2ls", "ats"), sigma=s)
    prof, wald = r.conf_interval(0.68, method="profile"), r.conf_interval(0.68)
    for name in r.names:  # nearly linear problem: profile and Wald intervals agree roughly
        assert prof[name][0] < r.params[name] < prof[name][1]
        assert (prof[name][1] - prof[name][0]) == pytest.approx(wald[name][1] - wald[name][0], rel=0.3)
    half = r.eval_uncertainty(t, 0.95)
    assert half.shape == t.shape and np.all(half > 0)
    assert np.all(half < 0.05 * r.model(t))  # 1 % data: the band is narrow
    assert np.all(r.eval_uncertainty(t, 0.99) > half)


def test_global_fit_has_structured_names():
    t = np.geomspace(0.03, 2.0, 25)
    sets = [(x, t, forward(t, 1.5, 1.0 + x, 20 * x, 0.05)) for x in (0.1, 0.2)]
    g = ts.fit_heat_capacity_global(sets, components=("debye", "2ls", "ats"), shared=("d_min",))
    assert all("[" not in n for n in g.params)
    per = g.extra["per_dataset"]
    assert per[1]["names"]["p_star"] == "p_star_ds1" and per[0]["names"]["d_min"] == "d_min"
    assert g.params["p_star_ds1"] == per[1]["params"]["p_star"] == pytest.approx(4.0, rel=1e-3)


def test_load_refuses_inconsistent_files(tmp_path, data):
    t, y, s = data
    r = ts.fit_heat_capacity(t, y, components=("debye", "2ls"), sigma=s)
    path = r.save(tmp_path / "fit.json")
    back = ts.FitResult.load(path)
    assert back.params == r.params and back.aic == r.aic and back.lmfit_result is None
    assert back == r and not (back != r)  # value equality (arrays compared exactly)
    back.y[0] += 1e-12
    assert back != r
    raw = json.loads(path.read_text())
    raw["T"] = raw["T"][:-1]
    (tmp_path / "short.json").write_text(json.dumps(raw))
    with pytest.raises(ValueError, match="T, y, sigma and residuals"):
        ts.FitResult.load(tmp_path / "short.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ValueError, match="not JSON"):
        ts.FitResult.load(tmp_path / "bad.json")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)  # valid JSON nested past the parser
    with pytest.raises(ValueError, match="nested too deeply"):
        ts.FitResult.load(tmp_path / "deep.json")
    with pytest.raises(ValueError, match="profile"):
        back.conf_interval(method="profile")
    import pickle  # a fit returned from a worker process: the model is rebuilt, lmfit's objects dropped

    sent = pickle.loads(pickle.dumps(r))
    assert sent.params == r.params and np.array_equal(sent.model(t), r.model(t)) and sent.lmfit_result is None


def test_cli_fit_prints_the_report_and_saves_it(tmp_path, capsys, data):
    t, y, s = data
    csv = tmp_path / "c.csv"
    csv.write_text("temp,cp,err\n" + "\n".join(f"{a:.12g},{b:.12g},{c:.12g}" for a, b, c in zip(t, y, s)) + "\n")
    rc = main(["fit", str(csv), "--columns", "T=temp,C=cp,sigma=err", "--save", str(tmp_path / "fit.txt")])
    out = capsys.readouterr().out
    assert rc == 0 and "95% interval" in out and "AIC" in out
    assert "c_2ls" in (tmp_path / "fit.txt").read_text()
    rc = main(["fit", str(csv), "--columns", "T=temp,C=cp,sigma=err", "--save", str(tmp_path / "fit.json")])
    assert rc == 0 and ts.FitResult.load(tmp_path / "fit.json").params["d_min"] == pytest.approx(0.08, rel=0.05)


def test_a_fit_stopped_at_its_evaluation_limit_is_a_failed_fit_not_a_traceback(monkeypatch):
    """lmfit leaves no Jacobian when it stops at max_nfev: the result says the fit failed and its errors are
    unknown (nan), instead of an AttributeError from inside the engine."""
    import warnings

    import lmfit

    T = np.geomspace(0.01, 1, 30)
    y = 20 + ts.dielectric_total(T, 1e3, chi=1, delta0_min=1e-7, k_relax=1e8)
    minimize = lmfit.Minimizer.minimize
    monkeypatch.setattr(lmfit.Minimizer, "minimize", lambda self, *a, **k: minimize(self, *a, **{**k, "max_nfev": 3}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = ts.fit_dielectric(T, y, 1e3)
    assert not r.success and "no Jacobian" in r.message
    assert all(np.isnan(r.stderr[n]) for n in ("offset", "chi", "k_relax"))
