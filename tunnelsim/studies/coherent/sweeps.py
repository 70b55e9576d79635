"""The appendix's renormalisation rules against the exact coherent effective Hamiltonians.

Sweeps (each through :func:`tunnelsim.sweep.run_sweep`, so they resume from their JSON-lines
file) over the cluster size N, the coupling J/Delta0, the disorder strength, a uniform bias,
dipolar clusters and, for 3LS clusters in a field, the flux phase. Every point yields the exact
value (:mod:`clusters.coherent`), the appendix's rule (:mod:`clusters.renormalisation`) and,
for the tunneling, the N-th order perturbative value (:mod:`clusters.perturbative`). The table
(:func:`write_comparison`) holds numbers only: exact, rule, N-th order and their deviations; the
verdicts are computed by the report's claims (:mod:`tunnelsim.studies.coherent.renormalisation`,
:mod:`tunnelsim.studies.coherent.loop_phase`) from the same numbers. Equations: docs/theory.md sec. 3 and
docs/coherent_tunneling.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from clusters import (
    ThreeLevelCluster,
    TwoLevelCluster,
    coherent_doublet,
    coherent_multiplet,
    dipolar_couplings,
    log10_perturbative_tunneling,
    perturbative_hopping,
    random_couplings,
    random_positions_in_sphere,
    renormalise_three_level,
    renormalise_two_level,
    uniform_couplings,
)
from tunnelsim.files import write_table
from tunnelsim.phases import wrap_phase
from tunnelsim.stats import as_generator
from tunnelsim.sweep import run_sweep
from tunnelsim.validation import as_real_array, check_choice, check_int

__all__ = [
    "TOLERANCE",
    "PHASE_TOLERANCE",
    "make_two_level_cluster",
    "doublet_point",
    "loop_phase_point",
    "compare_renormalisation",
    "write_comparison",
    "table_rows",
]

#: The appendix speaks of coherently tunneling clusters (the coherent states are the low doublet /
#: Relative tolerance of the graded rules (10 %).
TOLERANCE = 0.10
#: Tolerance of the loop-phase claims (rad).
PHASE_TOLERANCE = 0.10


def _spread(rng: np.random.Generator, value: float, disorder: float, size: int) -> np.ndarray:
    """value (1 + disorder u_i), u_i uniform in [-1/2, 1/2]: the relative spread of one-particle parameters."""
    return value * (1 + disorder * rng.uniform(-0.5, 0.5, size=size))


def make_two_level_cluster(n: int, coupling: float, tunneling: float = 1.0, bias: float = 0.0,
                           disorder: float = 0.0, kind: str = "uniform", seed: int = 0) -> TwoLevelCluster:
    """The 2LS cluster of one comparison point (energies in K).

    Parameters
    ----------
    n : int
        Number of particles.
    coupling : float
        J (K): the all-to-all coupling ("uniform"), the mean coupling ("random": J_ij = J (1 + u_ij),
        u_ij uniform in [-1/2, 1/2], :func:`clusters.random_couplings` with ``relative_uniform``), or the
        signed mean |J_ij| of dipolar couplings ("dipolar": :func:`clusters.dipolar_couplings` with
        ``normalise``, for positions in a unit ball at least 0.2 apart).
    tunneling : float
        Delta0 (K); "random" and "dipolar" draw Delta0_i = Delta0 (1 + disorder * u_i), u_i in [-1/2, 1/2].
    bias : float
        Uniform asymmetry per particle (K).
    disorder : float
        Width (K) of the Gaussian random asymmetries added to ``bias`` (and relative spread of Delta0_i).
    kind : {"uniform", "random", "dipolar"}
    seed : int or numpy.random.Generator
        Random stream (:func:`tunnelsim.stats.as_generator`): asymmetries, tunnelings, then couplings.

    Returns
    -------
    clusters.TwoLevelCluster
    """
    n = check_int(n, "n", minimum=1)
    kind = check_choice(kind, "kind", ("uniform", "random", "dipolar"))
    if kind == "uniform":
        return TwoLevelCluster.uniform(n, bias, tunneling, coupling)
    rng = as_generator(seed)
    delta = bias + disorder * rng.normal(size=n)
    d0 = _spread(rng, tunneling, disorder, n)
    if kind == "random":
        j = random_couplings(n, 1.0, rng, distribution="relative_uniform", mean=coupling)
    else:
        j = dipolar_couplings(random_positions_in_sphere(n, radius=1.0, seed=rng, min_distance=0.2), coupling,
                              normalise=True)
    return TwoLevelCluster(delta, d0, j)


def doublet_point(n: int, coupling: float, tunneling: float = 1.0, bias: float = 0.0, disorder: float = 0.0,
                  kind: str = "uniform", seed: int = 0) -> dict[str, Any]:
    """Exact coherent doublet, appendix rule and N-th order value for one cluster (K).

    See :func:`make_two_level_cluster` for the parameters. The perturbative value is the closed
    form 2 N (Delta0/2)^N / ((2|J|)^(N-1) (N-1)!) for uniform clusters and the subset sum of
    :func:`clusters.perturbative.perturbative_hopping` (N <= 14) otherwise.
    """
    cl = make_two_level_cluster(n, coupling, tunneling, bias, disorder, kind, seed)
    exact = coherent_doublet(cl, warn=False)  # the flag is recorded: "low_energy"
    rule = renormalise_two_level(cl)
    if kind == "uniform" and n > 1:
        log_pert = log10_perturbative_tunneling(n, tunneling, coupling)
    elif n == 1:
        log_pert = math.log10(abs(cl.tunnelings[0])) if cl.tunnelings[0] else -math.inf
    elif n <= 14:
        t = perturbative_hopping(cl.asymmetries, cl.tunnelings, cl.couplings, max_n=14)
        log_pert = math.log10(2 * abs(t)) if t else -math.inf
    else:
        log_pert = math.nan
    return {
        "log10_exact_tunneling": exact.log10_tunneling,
        "exact_tunneling": exact.tunneling,
        "rule_tunneling": rule.tunneling,
        "log10_perturbative_tunneling": log_pert,
        "exact_asymmetry": exact.asymmetry,
        "rule_asymmetry": rule.asymmetry,
        "interaction_energy": rule.interaction_energy,
        "min_weight": min(exact.weights),
        "low_energy": exact.model_space_is_low_energy,
        "method": exact.method,
    }


def loop_phase_point(n: int, phi: float, coupling: float, d0: float = 1.0, disorder: float = 0.0,
                     seed: int = 0) -> dict[str, Any]:
    """Exact effective loop phase, hopping and well energies of a 3LS cluster vs the rules (K, rad).

    ``disorder = 0``: uniform cluster with zero well energies (symmetric sector). ``disorder > 0``:
    random well energies E^i_a (Gaussian of width ``disorder`` K, each row shifted to zero sum),
    D0_i = d0 (1 + disorder u_i), u_i in [-1/2, 1/2], and the uniform all-to-all J (full 3^N space,
    N <= 8). Returns the exact arg(h12 h23 h31), the rule N phi (wrapped), the exact |h12| and the
    rule D_N = sum D0_i, the exact effective and the summed well energies, the weight and flag.
    """
    if disorder > 0:
        rng = as_generator(seed)
        e = disorder * rng.normal(size=(n, 3))
        e -= e.mean(axis=1, keepdims=True)
        cl = ThreeLevelCluster(e, _spread(rng, d0, disorder, n), uniform_couplings(n, coupling), phi)
    else:
        cl = ThreeLevelCluster.uniform(n, [0.0, 0.0, 0.0], d0, coupling, phi)
    exact = coherent_multiplet(cl, warn=False)  # the flag is recorded: "low_energy"
    rule = renormalise_three_level(cl)
    return {
        "exact_loop_phase": exact.loop_phase,
        "rule_loop_phase": wrap_phase(rule.loop_phase),
        "exact_hopping": exact.hoppings[0],
        "log10_exact_hopping": exact.log10_hoppings[0],
        "rule_hopping": rule.hopping,
        "exact_well_energies": list(exact.well_energies),
        "rule_well_energies": list(rule.well_energies),
        "min_weight": min(exact.weights),
        "low_energy": exact.model_space_is_low_energy,
    }


def _dev(exact: float, other, *, phase: bool = False):
    """other - exact (phases wrapped to (-pi, pi]); "" where there is no value, NaN where one is not finite."""
    if other == "":
        return ""
    if not (math.isfinite(exact) and math.isfinite(other)):
        return math.nan
    return wrap_phase(other - exact) if phase else other - exact


def _phase_rows(common: dict[str, Any], p: dict[str, Any], r: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of a 3LS point: loop phase (rule N phi; N-th order N phi + (N-1) pi), well energies, log10 hopping."""
    ex = r["exact_loop_phase"]
    shifted = wrap_phase(r["rule_loop_phase"] + (p["n"] - 1) * math.pi)
    rows = [{**common, "quantity": "loop_phase", "exact": ex, "rule": r["rule_loop_phase"], "perturbative": shifted,
             "rule_deviation": _dev(ex, r["rule_loop_phase"], phase=True),
             "perturbative_deviation": _dev(ex, shifted, phase=True)}]
    if p.get("disorder", 0):
        for a in range(3):
            ex, ru = r["exact_well_energies"][a], r["rule_well_energies"][a]
            rows.append({**common, "quantity": f"well_energy_{a + 1}_3ls", "exact": ex, "rule": ru,
                         "perturbative": "", "rule_deviation": _dev(ex, ru), "perturbative_deviation": ""})
    lr = math.log10(r["rule_hopping"])
    rows.append({**common, "quantity": "log10_hopping_3ls", "exact": r["log10_exact_hopping"], "rule": lr,
                 "perturbative": "", "rule_deviation": _dev(r["log10_exact_hopping"], lr),
                 "perturbative_deviation": ""})
    return rows


def _doublet_rows(common: dict[str, Any], r: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of a 2LS point: log10 tunneling (rule and N-th order) and asymmetry."""
    lr = math.log10(r["rule_tunneling"]) if r["rule_tunneling"] > 0 else -math.inf
    lp = r["log10_perturbative_tunneling"]
    ex = r["log10_exact_tunneling"]
    return [{**common, "quantity": "log10_tunneling", "exact": ex, "rule": lr, "perturbative": lp,
             "rule_deviation": _dev(ex, lr), "perturbative_deviation": _dev(ex, lp)},
            {**common, "quantity": "asymmetry", "exact": r["exact_asymmetry"], "rule": r["rule_asymmetry"],
             "perturbative": "", "rule_deviation": _dev(r["exact_asymmetry"], r["rule_asymmetry"]),
             "perturbative_deviation": ""}]


def table_rows(results: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Flatten the sweep results into table rows of numbers (no verdicts: the report grades, the table measures).

    Columns: study, quantity, n, coupling, tunneling, bias, disorder, kind, seed, phi, exact, rule,
    perturbative, rule_deviation, perturbative_deviation, low_energy, min_weight. Tunnelings and hoppings are
    given in log10 (the exact values reach 1e-600 K), so their deviations are in decades; phases in rad
    (deviation wrapped to (-pi, pi]); asymmetries and well energies in K. A deviation is rule - exact
    (N-th order - exact); NaN where a value is not finite.
    """
    rows = []
    base = dict.fromkeys(("n", "coupling", "tunneling", "bias", "disorder", "kind", "seed", "phi"), "")
    for study, res in results.items():
        for item in res:
            p, r = item["params"], item["result"]
            common = {**base, **{k: v for k, v in p.items() if k in base}, "study": study,
                      "low_energy": r["low_energy"], "min_weight": r["min_weight"]}
            rows.extend(_phase_rows(common, p, r) if "exact_loop_phase" in r else _doublet_rows(common, r))
    return rows


COLUMNS = ["study", "quantity", "n", "coupling", "tunneling", "bias", "disorder", "kind", "seed", "phi",
           "exact", "rule", "perturbative", "rule_deviation", "perturbative_deviation", "low_energy", "min_weight"]


def write_comparison(rows: Sequence[dict[str, Any]], path: str | Path) -> Path:
    """Write the comparison rows as CSV atomically (columns ``COLUMNS``; floats with 10 significant digits)."""
    return write_table(path, COLUMNS, [[row.get(c, "") for c in COLUMNS] for row in rows], float_format=".10g")


def compare_renormalisation(out_dir: str | Path, *, ns: Sequence[int] = tuple(range(1, 13)),
                            large_ns: Sequence[int] = (25, 50, 100, 200, 400, 600),
                            couplings: Sequence[float] = (-0.1, -0.2, -0.5, -1.0, -2.0, -5.0, -10.0, -20.0, -50.0),
                            coupling_n: int = 6, disorders: Sequence[float] = (0.0, 0.1, 0.3, 1.0),
                            disorder_n: int = 8, biases: Sequence[float] = (0.01, 0.1, 0.5),
                            dipolar_seeds: Sequence[int] = (0, 1, 2), phis: Sequence[float] = (0.3, 1.0),
                            phase_ns: Sequence[int] = (1, 2, 3, 4, 5, 6, 8),
                            phase_couplings: Sequence[float] = (-20.0, -200.0),
                            phase_disorders: Sequence[float] = (0.1, 0.5), phase_disorder_ns: Sequence[int] = (2, 3, 4),
                            executor=None, progress: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Run every comparison sweep and write the CSV table ``coherent_comparison.csv`` into ``out_dir``.

    Studies (Delta0 = 1 K, J = -5 K unless swept): "n" (uniform, N in ``ns`` and ``large_ns``),
    "coupling" (uniform N = ``coupling_n``, J in ``couplings``), "disorder" (random couplings and
    asymmetries, N = ``disorder_n``), "bias" (uniform N = 6 with a bias per particle), "dipolar"
    (dipolar couplings, mean |J| = 5 K ferro sign, N = ``disorder_n``), "loop_phase" (uniform 3LS,
    D0 = 1 K, N in ``phase_ns``, phases ``phis``, couplings ``phase_couplings``), "loop_phase_disorder"
    (3LS with random well energies and hoppings, widths ``phase_disorders``, N in ``phase_disorder_ns``
    (<= 8), the last of ``phase_couplings``).
    Each sweep resumes from ``out_dir/.cache/coherent_<study>.jsonl``.

    Returns
    -------
    dict
        study name -> list of {"params", "result"} (as from run_sweep).
    """
    grids = _checked_grids(ns=ns, large_ns=large_ns, couplings=couplings, coupling_n=coupling_n, disorders=disorders,
                           disorder_n=disorder_n, biases=biases, dipolar_seeds=dipolar_seeds, phis=phis,
                           phase_ns=phase_ns, phase_couplings=phase_couplings, phase_disorders=phase_disorders,
                           phase_disorder_ns=phase_disorder_ns)
    out_dir = Path(out_dir)
    results: dict[str, list[dict[str, Any]]] = {}
    for name, (func, points) in _study_points(grids).items():
        results[name] = run_sweep(func, points, out_dir / ".cache" / f"coherent_{name}.jsonl", executor=executor,
                                  progress=progress, desc=f"coherent {name}")
    write_comparison(table_rows(results), out_dir / "coherent_comparison.csv")
    return results


def _checked_grids(**g: Any) -> dict[str, Any]:
    """The sweep axes of :func:`compare_renormalisation`, validated (ValueError/TypeError naming the axis)."""
    out = {name: [check_int(v, name, minimum=1) for v in g[name]] for name in ("ns", "large_ns", "phase_ns")}
    for name in ("couplings", "disorders", "biases", "phis", "phase_couplings"):
        out[name] = as_real_array(g[name], name, ndim=1).tolist()
    out["phase_disorders"] = as_real_array(g["phase_disorders"], "phase_disorders", ndim=1, allow_empty=True).tolist()
    out["phase_disorder_ns"] = [check_int(v, "phase_disorder_ns", minimum=1, maximum=8) for v in g["phase_disorder_ns"]]
    out["dipolar_seeds"] = [check_int(v, "dipolar_seeds", minimum=0) for v in g["dipolar_seeds"]]
    out["disorder_n"] = check_int(g["disorder_n"], "disorder_n", minimum=2, maximum=12)
    out["coupling_n"] = check_int(g["coupling_n"], "coupling_n", minimum=2, maximum=400)
    return out


def _study_points(g: dict[str, Any]) -> dict[str, tuple[Any, list[dict[str, Any]]]]:
    """study name -> (point function, parameter points); see :func:`compare_renormalisation`."""
    studies = {
        "n": (doublet_point, [dict(n=n, coupling=-5.0) for n in g["ns"] + g["large_ns"]]),
        "coupling": (doublet_point, [dict(n=g["coupling_n"], coupling=j) for j in g["couplings"]]),
        "disorder": (doublet_point, [dict(n=g["disorder_n"], coupling=-5.0, disorder=w, kind="random", seed=s)
                                     for w in g["disorders"] for s in (0, 1)]),
        "bias": (doublet_point, [dict(n=6, coupling=-5.0, bias=b) for b in g["biases"]]),
        "dipolar": (doublet_point, [dict(n=g["disorder_n"], coupling=-5.0, disorder=0.1, kind="dipolar", seed=s)
                                    for s in g["dipolar_seeds"]]),
        "loop_phase": (loop_phase_point, [dict(n=n, phi=ph, coupling=j) for j in g["phase_couplings"]
                                          for ph in g["phis"] for n in g["phase_ns"]]),
    }
    disorder_points = [dict(n=n, phi=ph, coupling=g["phase_couplings"][-1], disorder=w, seed=0)
                       for w in g["phase_disorders"] for ph in g["phis"] for n in g["phase_disorder_ns"]]
    if disorder_points:
        studies["loop_phase_disorder"] = (loop_phase_point, disorder_points)
    return studies
