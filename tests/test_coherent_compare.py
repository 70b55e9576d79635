"""Comparison table, verdicts, resume, and the coherent-tunneling demo (quick mode)."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from tunnelsim.studies.claims import Claim, Finding, Verdict
from tunnelsim.studies.coherent_compare import (
    TOLERANCE,
    compare_renormalisation,
    doublet_point,
    loop_phase_point,
    make_two_level_cluster,
    table_rows,
)

AGREES, DISAGREES = str(Verdict.AGREES), str(Verdict.DISAGREES)

SMALL = dict(ns=(1, 2, 6), large_ns=(30,), couplings=(-0.1, -5.0), coupling_n=4, disorders=(0.3,), disorder_n=4,
             biases=(0.2,), dipolar_seeds=(0,), phis=(0.5,), phase_ns=(1, 2, 3), phase_couplings=(-300.0,),
             progress=False)


def test_table_verdicts_and_resume(tmp_path):
    results = compare_renormalisation(tmp_path, **SMALL)
    with open(tmp_path / "coherent_comparison.csv") as fh:
        rows = list(csv.DictReader(fh))
    tun = {int(r["n"]): r for r in rows if r["study"] == "n" and r["quantity"] == "log10_tunneling"}
    # N = 1: the rule is exact; N = 2 (exact 0.09902 K, docs/coherent_tunneling.md) vs rule 2 K: disagrees
    assert tun[1]["rule_verdict"] == AGREES
    assert float(tun[2]["exact"]) == pytest.approx(math.log10(0.09902), abs=1e-4)
    assert tun[2]["rule_verdict"] == DISAGREES and tun[2]["perturbative_verdict"] == AGREES
    assert tun[30]["rule_verdict"] == DISAGREES
    # the asymmetry rule in the bias study: 6 * 0.2 K, agreeing within the tolerance
    bias = [r for r in rows if r["study"] == "bias" and r["quantity"] == "asymmetry"][0]
    assert float(bias["rule"]) == pytest.approx(6 * 0.2)
    assert abs(float(bias["exact"]) / float(bias["rule"]) - 1) < TOLERANCE and bias["rule_verdict"] == AGREES
    # loop phase at |J| = 300: odd N agree with N phi, N = 2 is off by pi
    ph = {int(r["n"]): r for r in rows if r["quantity"] == "loop_phase"}
    assert ph[3]["rule_verdict"] == AGREES and ph[2]["rule_verdict"] == DISAGREES
    assert ph[2]["perturbative_verdict"] == AGREES
    assert all(r["rule_verdict"] in (AGREES, DISAGREES) for r in rows)
    # resume: the cache files hold each point once, and a second run does not recompute or append
    lines = (tmp_path / ".cache" / "coherent_n.jsonl").read_text().splitlines()
    assert len(lines) == 4
    again = compare_renormalisation(tmp_path, **SMALL)
    assert (tmp_path / ".cache" / "coherent_n.jsonl").read_text().splitlines() == lines
    assert again["n"] == results["n"]


def test_point_functions_against_direct_numbers():
    r = doublet_point(3, -5.0)
    assert r["rule_tunneling"] == pytest.approx(3.0)
    assert r["log10_perturbative_tunneling"] == pytest.approx(math.log10(2 * 3 * 0.5**3 / (10**2 * 2)))
    assert r["interaction_energy"] == pytest.approx(-15.0)
    p = loop_phase_point(1, 0.4, -10.0)
    assert p["exact_loop_phase"] == pytest.approx(0.4)
    assert p["exact_hopping"] == pytest.approx(1.0)


def test_make_cluster_kinds_and_errors():
    for kind in ("uniform", "random", "dipolar"):
        cl = make_two_level_cluster(5, -5.0, kind=kind, disorder=0.2, seed=3)
        assert np.allclose(cl.couplings, cl.couplings.T) and np.all(np.diag(cl.couplings) == 0)
    dip = make_two_level_cluster(6, -5.0, kind="dipolar", seed=1)
    off = dip.couplings[~np.eye(6, dtype=bool)]
    assert np.mean(np.abs(off)) == pytest.approx(5.0)
    # the couplings come from clusters.couplings on the same stream (asymmetries, tunnelings, couplings)
    from clusters import dipolar_couplings, random_couplings, random_positions_in_sphere

    rng = np.random.default_rng(3)
    rng.normal(size=5), rng.uniform(size=5)
    rand = make_two_level_cluster(5, -5.0, kind="random", disorder=0.2, seed=3)
    assert np.array_equal(rand.couplings, random_couplings(5, 1.0, rng, distribution="relative_uniform", mean=-5.0))
    rng = np.random.default_rng(1)
    rng.normal(size=6), rng.uniform(size=6)
    pos = random_positions_in_sphere(6, radius=1.0, seed=rng, min_distance=0.2)
    assert np.array_equal(dip.couplings, dipolar_couplings(pos, -5.0, normalise=True))
    with pytest.raises(ValueError, match="kind"):
        make_two_level_cluster(3, -1.0, kind="ising")
    with pytest.raises(ValueError, match="disorder_n"):
        compare_renormalisation("unused", disorder_n=30, progress=False)


def test_table_rows_flag_nonfinite():
    rows = table_rows({"x": [{"params": {"n": 2, "coupling": -1.0}, "result": {
        "log10_exact_tunneling": float("nan"), "exact_tunneling": float("nan"), "rule_tunneling": 2.0,
        "log10_perturbative_tunneling": -1.0, "exact_asymmetry": 0.0, "rule_asymmetry": 0.0,
        "interaction_energy": -1.0, "min_weight": 0.3, "low_energy": False, "method": "m"}}]})
    assert rows[0]["rule_verdict"] == str(Verdict.INCONCLUSIVE)


def test_demo_quick(tmp_path):
    from tunnelsim.studies.coherent import run

    rows = run(tmp_path, quick=True)
    for name in ("coherent_comparison.csv", "coherent_tunneling_vs_n.png", "coherent_tunneling_vs_j.png",
                 "coherent_asymmetry.png", "coherent_loop_phase.png"):
        assert (tmp_path / name).stat().st_size > 0
    claims = [r for r in rows if isinstance(r, Claim)]
    assert len(claims) >= 10 and all(isinstance(r, (Claim, Finding)) for r in rows)
    for c in claims:
        assert c.statement and c.regime.text and c.tolerance.reason and c.where
        if c.figure:
            assert (tmp_path / c.figure).exists()
        # graded exactly where the coherent states are the low doublet (multiplet)
        assert (c.verdict is Verdict.BEYOND) == bool(c.regime.outside(c.conditions))
    first = claims[0]
    assert first.verdict is Verdict.DISAGREES and first.conditions["N"] == 2
    assert first.measured.value == pytest.approx(math.log10(0.09902), abs=1e-4)
    # the loop phase rule: odd N agrees at |J| = 200 K, even N is off by pi
    loop = {(c.conditions["J_K"], c.statement.endswith("(odd N)"), c.conditions["cluster"]): c for c in claims
            if "loop phase N phi" in c.statement}
    assert loop[(-200.0, True, "uniform, zero well energies")].verdict is Verdict.AGREES
    assert loop[(-200.0, False, "uniform, zero well energies")].verdict is Verdict.DISAGREES
    # the dipolar points are not the low doublet: shown, not graded
    asym = [c for c in claims if "asymmetry" in c.statement]
    assert {c.verdict for c in asym} == {Verdict.AGREES, Verdict.BEYOND}
    # the claims the report missed (issue 11 item 4), with their figures
    by = {c.statement: c for c in claims}
    dip = [c for s, c in by.items() if "dipole moment much smaller" in s]
    assert len(dip) == 2 and all(c.verdict is Verdict.DISAGREES for c in dip)
    premise = {c.statement.endswith("(odd N)"): c for c in claims if "premise D > 0" in c.statement}
    assert premise[True].verdict is Verdict.AGREES and premise[False].verdict is Verdict.DISAGREES
    a11 = next(c for c in claims if "magnetic parameter" in c.statement)
    assert a11.verdict is Verdict.DISAGREES and a11.reconstruction
    assert any(isinstance(r, Finding) and r.result.startswith("undefined") for r in rows)
    rate = next(c for c in claims if "probabilities of the N particles add up" in c.statement)
    assert rate.verdict is Verdict.DISAGREES
    assert rate.measured.value == pytest.approx(0.5 * math.log10(rate.conditions["N"]), abs=1e-9)  # sqrt(N) Delta0
    for name in ("coherent_dipole.png", "coherent_magnetic_n.png", "coherent_3ls_premise.png", "coherent_sum_rule.png"):
        assert (tmp_path / name).stat().st_size > 1000
