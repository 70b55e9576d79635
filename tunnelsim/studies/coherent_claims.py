"""Graded report rows of the coherent study: the appendix's rules against the exact effective Hamiltonians.

Every row holds one measured number from :func:`tunnelsim.studies.coherent_compare.compare_renormalisation`,
its reference (the appendix's rule, or the N-th order formula of docs/theory.md sec. 3) and a tolerance
with its reason; points where the coherent states are not the low doublet (multiplet) are outside the
paper's regime (:data:`~tunnelsim.studies.coherent_compare.COHERENT_REGIME`) and shown ungraded.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from tunnelsim.phases import wrap_phase
from tunnelsim.studies.claims import Claim, Finding, FindingKind, Measured, Reference, Regime, Tolerance
from tunnelsim.studies.coherent_compare import COHERENT_REGIME, PHASE_TOLERANCE, TOLERANCE

__all__ = ["CLAIMS", "points"]

WHERE = "tunnelsim.studies.coherent_compare.compare_renormalisation / clusters.coherent"
LOG_TOL = Tolerance(math.log10(1 + TOLERANCE), f"the appendix states its rules as equalities; {TOLERANCE:.0%} "
                                               "(tunnelings compared in log10: a factor 1.1)")
REL_TOL = Tolerance(TOLERANCE, f"the appendix states its rules as equalities; {TOLERANCE:.0%} of the rule")
PHASE_TOL = Tolerance(PHASE_TOLERANCE, "the fictitious particle neglects corrections of order D0/|J|; 0.1 rad")
#: The N-th order formula of docs/theory.md sec. 3 is a strong-coupling result: |J| >> Delta0, read as |J| >= 2 Delta0.
STRONG = Regime("strong ferromagnetic coupling |J| >> Delta0 (read as |J| >= 2 Delta0), coherent states low",
                {"J_over_Delta0": (2.0, None), "coherent_states_low": (1, 1)})


def points(results, study: str) -> list[tuple[dict, dict]]:
    """(params, result) of each point of one study of the sweep results (none when the study was not run)."""
    return [(item["params"], item["result"]) for item in results.get(study, [])]


def _low(pts) -> int:
    return int(all(r["low_energy"] for _, r in pts))


def _n_range(pts):
    ns = [p["n"] for p, _ in pts]
    return min(ns) if min(ns) == max(ns) else (min(ns), max(ns))


def _rule_claim(p: dict, r: dict, label: str) -> Claim:
    """Delta0_N = sum Delta0_i at one point, in log10."""
    return Claim(
        statement="A coherent cluster tunnels as one particle with Delta0_N = sum_i Delta0_i",
        source="paper appendix A.13-A.15", regime=COHERENT_REGIME,
        conditions={"N": p["n"], "coherent_states_low": int(r["low_energy"]), "J_K": p["coupling"], "cluster": label},
        measured=Measured(r["log10_exact_tunneling"], 0.0, "log10(exact splitting / K)"),
        reference=Reference(math.log10(r["rule_tunneling"]), 0.0, "log10(sum Delta0_i / K)"),
        tolerance=LOG_TOL, where=WHERE, figure="coherent_tunneling_vs_n.png",
        detail=f"exact 10^{r['log10_exact_tunneling']:.4f} K vs rule {r['rule_tunneling']:.4g} K; min model-space "
               f"weight {r['min_weight']:.3f}")


def claims_tunneling_rule(results, s: dict[str, Any]) -> list[Claim]:
    """Delta0_N rule: N = 2, the largest N <= 12, the most favourable coupling, the most favourable random cluster."""
    by_n = {p["n"]: (p, r) for p, r in points(results, "n")}
    small = [n for n in by_n if 2 <= n <= 12]
    rows = [_rule_claim(*by_n[n], "uniform, Delta0 = 1 K") for n in sorted({min(small), max(small)})]
    for study, label in (("coupling", "uniform, most favourable J"), ("disorder", "random couplings, best point"),
                         ("dipolar", "dipolar couplings, best point")):
        pts = points(results, study)
        low = [pr for pr in pts if pr[1]["low_energy"]] or pts
        if low:
            rows.append(_rule_claim(*max(low, key=lambda pr: pr[1]["log10_exact_tunneling"]), label))
    return rows


def claims_nth_order(results, s: dict[str, Any]) -> list[Claim]:
    """The N-th order formula in its regime (|J| >= 2 Delta0, low doublet) and beyond it."""
    pts = [(p, r) for study in ("n", "coupling") for p, r in points(results, study)
           if p["n"] > 1 and math.isfinite(r["log10_perturbative_tunneling"])]
    rows = []
    for strong in (True, False):
        sel = [(p, r) for p, r in pts if (abs(p["coupling"]) >= 2.0 and r["low_energy"]) == strong]
        if not sel:
            continue
        dev = [abs(r["log10_exact_tunneling"] - r["log10_perturbative_tunneling"]) for _, r in sel]
        worst = sel[dev.index(max(dev))]
        js = [abs(p["coupling"]) for p, _ in sel]
        rows.append(Claim(
            statement="N-th order splitting 2N (Delta0/2)^N / ((2|J|)^(N-1) (N-1)!) of a uniform cluster",
            source="docs/theory.md sec. 3 [check]", regime=STRONG,
            conditions={"J_over_Delta0": (min(js), max(js)), "coherent_states_low": _low(sel), "N": _n_range(sel)},
            measured=Measured(max(dev), 0.0, "max |log10 exact - log10 N-th order|"),
            reference=Reference(0.0, 0.0, "the N-th order formula"), tolerance=LOG_TOL, where=WHERE,
            figure="coherent_tunneling_vs_j.png",
            detail=f"{len(sel)} points; worst at N = {worst[0]['n']}, J = {worst[0]['coupling']:g} K"))
    return rows


def claims_asymmetry(results, s: dict[str, Any]) -> list[Claim]:
    """Delta_N = sum Delta_i where the doublet is low (graded) and where it is not (shown)."""
    pts = [(p, r) for study in ("disorder", "bias", "dipolar") for p, r in points(results, study)
           if r["rule_asymmetry"] != 0]
    rows = []
    for low in (True, False):
        sel = [(p, r) for p, r in pts if bool(r["low_energy"]) == low]
        if not sel:
            continue
        dev = [abs(r["exact_asymmetry"] - r["rule_asymmetry"]) / abs(r["rule_asymmetry"]) for _, r in sel]
        worst = sel[dev.index(max(dev))][1]
        rows.append(Claim(
            statement="The coherent cluster's asymmetry is Delta_N = sum_i Delta_i (the interaction energy "
                      "sum_{i<j} J_ij shifts both coherent states equally and cancels)",
            source="paper appendix A.9-A.12", regime=COHERENT_REGIME,
            conditions={"N": _n_range(sel), "coherent_states_low": int(low),
                        "clusters": ", ".join(sorted({p.get("kind", "uniform") for p, _ in sel}))},
            measured=Measured(max(dev), 0.0, "max |exact - rule| / |rule|"),
            reference=Reference(0.0, 0.0, "the rule sum_i Delta_i"), tolerance=REL_TOL, where=WHERE,
            figure="coherent_asymmetry.png",
            detail=f"{len(sel)} points; worst: exact {worst['exact_asymmetry']:.4g} K vs rule "
                   f"{worst['rule_asymmetry']:.4g} K (min weight {worst['min_weight']:.2f})"))
    return rows


def _phase_dev(p: dict, r: dict) -> float:
    return abs(wrap_phase(r["exact_loop_phase"] - p["n"] * p["phi"]))


def _loop_claim(sel, parity: str, label: str) -> Claim:
    dev = [_phase_dev(p, r) for p, r in sel]
    return Claim(
        statement=f"A coherent 3LS cluster has charge N Q and loop phase N phi ({parity} N)",
        source="paper appendix A.16-A.20", regime=COHERENT_REGIME,
        conditions={"N": _n_range(sel), "coherent_states_low": _low(sel), "J_K": sel[0][0]["coupling"],
                    "cluster": label},
        measured=Measured(max(dev), 0.0, "max |wrap(exact loop phase - N phi)|", "rad"),
        reference=Reference(0.0, 0.0, "the rule N phi"), tolerance=PHASE_TOL, where=WHERE,
        figure="coherent_loop_phase.png",
        detail=", ".join(f"N = {p['n']}, phi = {p['phi']:g}: {d:.3f}" for (p, _), d in zip(sel, dev)))


def claims_loop_phase(results, s: dict[str, Any]) -> list[Claim | Finding]:
    """Loop phase N phi, odd and even N separately, per coupling; disordered clusters too."""
    rows: list[Claim | Finding] = []
    for study, label in (("loop_phase", "uniform, zero well energies"), ("loop_phase_disorder", "random 3LS")):
        pts = [(p, r) for p, r in points(results, study) if p["n"] > 1]
        for j in sorted({p["coupling"] for p, _ in pts}, key=abs):
            for parity, rem in (("odd", 1), ("even", 0)):
                sel = [(p, r) for p, r in pts if p["coupling"] == j and p["n"] % 2 == rem]
                if sel:
                    rows.append(_loop_claim(sel, parity, label))
    pts = [(p, r) for p, r in points(results, "loop_phase") if p["n"] > 1]
    strong = max(abs(p["coupling"]) for p, _ in pts)
    shift = max(abs(wrap_phase(r["exact_loop_phase"] - p["n"] * p["phi"] - (p["n"] - 1) * math.pi))
                for p, r in pts if abs(p["coupling"]) == strong)
    rows.append(Finding(FindingKind.OBSERVATION,
                        "The exact loop phase is N phi + (N-1) pi: every effective hopping carries the sign "
                        "(-1)^(N-1) (N-th order count, docs/coherent_tunneling.md sec. 3)",
                        f"uniform 3LS clusters, D0 = 1 K, |J| = {strong:g} K: within {shift:.3f} rad for N <= "
                        f"{max(p['n'] for p, _ in pts)}", WHERE, "coherent_loop_phase.png"))
    return rows


def claims_disordered_wells(results, s: dict[str, Any]) -> list[Claim]:
    """Well energies summed per well (random 3LS clusters)."""
    pts = points(results, "loop_phase_disorder")
    if not pts:
        return []
    dev = [max(abs(e - f) for e, f in zip(r["exact_well_energies"], r["rule_well_energies"]))
           / max(abs(f) for f in r["rule_well_energies"]) for _, r in pts]
    return [Claim(
        statement="The coherent 3LS cluster's well energies are the per-well sums E_a^N = sum_i E_a^i",
        source="paper appendix A.16-A.20", regime=COHERENT_REGIME,
        conditions={"N": _n_range(pts), "coherent_states_low": _low(pts), "J_K": pts[0][0]["coupling"]},
        measured=Measured(max(dev), 0.0, "max |exact - rule| / max |rule|"),
        reference=Reference(0.0, 0.0, "the rule sum_i E_a^i"), tolerance=REL_TOL, where=WHERE,
        detail=f"{len(pts)} random clusters, widths {sorted({p['disorder'] for p, _ in pts})} K")]


def claims_hopping_rule(results, s: dict[str, Any]) -> list[Claim]:
    """D_N = sum D0_i at N = 2 and the most favourable (weakest) coupling."""
    pts = [(p, r) for p, r in points(results, "loop_phase") if p["n"] == 2]
    p, r = min(pts, key=lambda pr: abs(pr[0]["coupling"]))
    return [Claim(
        statement="The coherent 3LS cluster hops with D_N = sum_i D0_i", source="paper appendix A.16-A.20",
        regime=COHERENT_REGIME,
        conditions={"N": 2, "coherent_states_low": int(r["low_energy"]), "J_K": p["coupling"]},
        measured=Measured(r["log10_exact_hopping"], 0.0, "log10(|h12| / K)"),
        reference=Reference(math.log10(r["rule_hopping"]), 0.0, "log10(sum D0_i / K)"), tolerance=LOG_TOL,
        where=WHERE, detail=f"exact |h12| = {r['exact_hopping']:.4g} K vs rule {r['rule_hopping']:.4g} K")]


def claims_cited_size(results, s: dict[str, Any]) -> list[Claim]:
    """The cited N ~ 200 cluster: its exact tunneling against N Delta0."""
    by_n = {p["n"]: (p, r) for p, r in points(results, "n")}
    n = 200 if 200 in by_n else max(by_n)
    p, r = by_n[n]
    claim = _rule_claim(p, r, "uniform, the cited N ~ 200")
    return [replace(claim, statement="Clusters of the cited size N ~ 200 tunnel coherently with Delta0_N = N Delta0")]


CLAIMS = (claims_tunneling_rule, claims_nth_order, claims_asymmetry, claims_loop_phase, claims_disordered_wells,
          claims_hopping_rule, claims_cited_size)
