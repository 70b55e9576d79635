"""Study: how large can a cluster be, and what do exact low spectra say versus N (docs/clusters.md sec. 5).

Three sweeps, each through :func:`tunnelsim.sweep.run_sweep` (progress bar, one JSON line per
finished point, resumable; cached in ``out_dir/.cache``):

1. uniform 2LS clusters (Delta = 0, Delta0 = 1 K) for several J: the lowest levels versus N, up to
   N = 512 (symmetric sector, dimension N + 1), as one :class:`tunnelsim.results.SpectrumData` per J;
2. the lowest gap E1 - E0 versus N (the quantity the appendix's renormalisation
   Delta0_N = N Delta0 would predict to grow), graded where the coherent states are the low doublet;
3. uniform 3LS clusters (E = 0, D0 = 1 K, strong J < 0) versus N*phi: is the low multiplet a
   function of N*phi with period 2 pi, as a fictitious particle of charge N Q implies (appendix
   A.9-A.20)? One :class:`SpectrumData` per (N, J).

Figures ``clusters_size_*.png``, tables ``clusters_size_*.csv`` and spectra ``clusters_size_*.npz``
go to ``out_dir``. Report rows are :class:`tunnelsim.studies.claims.Claim` (graded in the paper's
regime) and :class:`~tunnelsim.studies.claims.Finding` (timings, observations).
"""

from __future__ import annotations

import contextlib
import math
import pathlib
import time
import warnings
from concurrent.futures import Executor
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from clusters import ThreeLevelCluster, TwoLevelCluster, UnresolvedGapWarning, coherent_doublet, coherent_multiplet
from tunnelsim.files import write_table
from tunnelsim.results import SpectrumData
from tunnelsim.studies.claims import Claim, Finding, FindingKind, Measured, Reference, Tolerance
from tunnelsim.studies.coherent_compare import COHERENT_REGIME
from tunnelsim.studies.figures import save_figure
from tunnelsim.sweep import grid, run_sweep

__all__ = ["run", "two_level_point", "three_level_point", "size_spectrum", "flux_spectrum", "COHERENT_REGIME"]

LEVELS = 6
WHERE_2LS = "tunnelsim.studies.cluster_size.two_level_point (TwoLevelCluster.uniform, S = N/2 sector)"
WHERE_3LS = "tunnelsim.studies.cluster_size.three_level_point (ThreeLevelCluster.uniform, symmetric sector)"
#: The appendix states its rules as equalities; 10 % (log10 1.1 in log space) is the margin granted.
RULE_TOLERANCE = Tolerance(math.log10(1.1), "the appendix states Delta0_N = sum Delta0_i as an equality; "
                                            "10 % (a factor 1.1)")
FLUX_TOLERANCE = Tolerance(0.05, "the fictitious particle neglects corrections of order D0/|J|; 5 % of the "
                                 "splitting scale")


@contextlib.contextmanager
def quiet_gaps():
    """Silence the unresolved-gap warning: the studies mark unresolved gaps in their tables and figures."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnresolvedGapWarning)
        yield


def two_level_point(n: int, coupling: float, tunneling: float = 1.0) -> dict:
    """Lowest LEVELS levels (K) of a uniform 2LS cluster (Delta = 0) in the S = N/2 sector, with timing."""
    t0 = time.perf_counter()
    with quiet_gaps():
        e = TwoLevelCluster.uniform(n, 0.0, tunneling, coupling).eigenenergies(min(LEVELS, n + 1))
    return {"levels": e.tolist(), "seconds": time.perf_counter() - t0}


def three_level_point(n: int, coupling: float, nphi: float, d0: float = 1.0) -> dict:
    """Lowest 3 levels (K) of a uniform 3LS cluster (E = 0) at flux phase phi = nphi / N (rad)."""
    t0 = time.perf_counter()
    c = ThreeLevelCluster.uniform(n, [0.0, 0.0, 0.0], d0, coupling, phi=nphi / n)
    with quiet_gaps():
        e = c.eigenenergies(3)
    return {"levels": e.tolist(), "seconds": time.perf_counter() - t0}


def _settings(quick: bool) -> dict[str, Any]:
    return dict(
        tag="quick" if quick else "full",
        ns=[2, 3, 4, 6, 8, 12, 16, 24, 32, 64, 128] if quick else
        [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512],
        couplings=[-0.01, -0.1, -1.0],
        n3_reachable=80 if quick else 200,
        n_list=[1, 2, 3] if quick else [1, 2, 3, 4],
        j_list=[-1.0, -10.0, -100.0, -300.0],
        nphis=np.linspace(0.0, 4 * np.pi, 65 if quick else 129),  # two periods of 2 pi, grid aligned
    )


def size_spectrum(rows: list[dict], coupling: float) -> SpectrumData:
    """The lowest levels versus N (NaN where N + 1 < LEVELS) of the 2LS sweep at one coupling (K)."""
    sel = sorted((r for r in rows if r["params"]["coupling"] == coupling), key=lambda r: r["params"]["n"])
    e = np.full((len(sel), LEVELS), np.nan)
    for i, r in enumerate(sel):
        lv = r["result"]["levels"]
        e[i, :len(lv)] = lv
    return SpectrumData("N", [r["params"]["n"] for r in sel], e, label=f"uniform 2LS, J = {coupling:g} K",
                        metadata={"coupling_K": coupling, "tunneling_K": 1.0, "asymmetry_K": 0.0})


def flux_spectrum(rows3: list[dict], n: int, coupling: float) -> SpectrumData:
    """The three lowest levels versus N phi (rad) of the 3LS sweep at one (N, J)."""
    sel = sorted((r for r in rows3 if r["params"]["n"] == n and r["params"]["coupling"] == coupling),
                 key=lambda r: r["params"]["nphi"])
    return SpectrumData("N phi", [r["params"]["nphi"] for r in sel], [r["result"]["levels"] for r in sel],
                        unit="rad", label=f"uniform 3LS, N = {n}, J = {coupling:g} K",
                        metadata={"n": n, "coupling_K": coupling, "d0_K": 1.0})


def _floor(spec: SpectrumData) -> np.ndarray:
    """Float64 resolution 4 eps max(1, |E0|) of each level difference (K)."""
    return 4 * np.finfo(float).eps * np.maximum(1.0, np.abs(spec.energies[:, 0]))


def _write_two_level_table(specs: dict[float, SpectrumData], rows: list[dict], path: pathlib.Path) -> None:
    """One row per (N, J): the gaps E_k - E0 (empty where N + 1 < LEVELS), then the seconds."""
    seconds = {(r["params"]["n"], r["params"]["coupling"]): r["result"]["seconds"] for r in rows}
    table = []
    for j, spec in specs.items():
        for n, gaps in zip(spec.values, spec.relative_to_ground()[:, 1:]):
            table.append([int(n), j, *["" if np.isnan(g) else float(g) for g in gaps], seconds[(int(n), j)]])
    write_table(path, ["N", "J_K", *[f"E{k}-E0_K" for k in range(1, LEVELS)], "seconds"], table)


def _fig_two_level_spectrum(specs: dict[float, SpectrumData], path: pathlib.Path) -> None:
    fig, axes = plt.subplots(1, len(specs), figsize=(4.2 * len(specs), 4.2), sharey=True)
    top = max(float(np.nanmax(spec.relative_to_ground())) for spec in specs.values()) * 3
    for ax, (j, spec) in zip(axes, specs.items()):
        gaps, floor = spec.relative_to_ground(), _floor(spec)
        for k in range(1, LEVELS):
            ok = gaps[:, k] > floor  # NaN (too few levels) and unresolved gaps are left out, never joined
            ax.plot(spec.values[ok], gaps[ok, k], "o-", ms=3, label=f"E{k} - E0")
        ax.fill_between(spec.values, 1e-17, floor, color="0.85", label="below float64 resolution")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(1e-17, top)
        ax.set_title(f"J = {j:g} K, Δ0 = 1 K, Δ = 0", fontsize=10)
        ax.set_xlabel("cluster size N")
    axes[0].set_ylabel("E$_k$ - E$_0$ (K)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=LEVELS, fontsize=9, frameon=False)
    fig.suptitle("uniform 2LS clusters: lowest levels of the S = N/2 sector", fontsize=10)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    save_figure(fig, path)


def _fig_gap(specs: dict[float, SpectrumData], path: pathlib.Path) -> None:
    fig, ax = plt.subplots(figsize=(5.8, 4.2))
    for j, spec in specs.items():
        gap, floor = spec.gaps()[:, 0], _floor(spec)
        ok = gap > floor
        ax.plot(spec.values[ok], gap[ok], "o-", ms=3, label=f"J = {j:g} K")
    spec = next(iter(specs.values()))
    ax.fill_between(spec.values, 1e-17, _floor(spec), color="0.85", label="below float64 resolution")
    ax.plot(spec.values, spec.values * 1.0, "k--", lw=1, label="N Δ0 (rule A.9-A.20)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-17, None)
    ax.set_xlabel("cluster size N")
    ax.set_ylabel("lowest gap E$_1$ - E$_0$ (K)")
    ax.set_title("uniform 2LS clusters, Δ0 = 1 K, Δ = 0", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, path)


def _low_doublet(n: int, j: float) -> int:
    return int(coherent_doublet(TwoLevelCluster.uniform(n, 0.0, 1.0, j), warn=False).model_space_is_low_energy)


def _claim_gap(j: float, spec: SpectrumData) -> Claim:
    """The lowest gap at the largest N where float64 resolves it within half the tolerance and (if any) the
    coherent doublet is low."""
    gap, floor = spec.gaps()[:, 0], _floor(spec)
    half = RULE_TOLERANCE.value / 2
    resolved = [i for i in range(len(spec)) if gap[i] > 0 and floor[i] / (gap[i] * math.log(10)) <= half]
    low = {i: _low_doublet(int(spec.values[i]), j) for i in resolved}
    pick = max((i for i in resolved if low[i]), default=max(resolved))
    n, g = int(spec.values[pick]), float(gap[pick])
    unresolved = [int(spec.values[i]) for i in range(len(spec)) if gap[i] <= floor[i]]
    return Claim(
        statement="A coherent cluster of N 2LS tunnels like one particle with Delta0_N = sum Delta0_i = N Delta0, "
                  "so the lowest gap at zero asymmetry grows like N Delta0",
        source="paper appendix A.9-A.15", regime=COHERENT_REGIME,
        conditions={"N": n, "coherent_states_low": low[pick], "J_K": j, "Delta0_K": 1.0},
        measured=Measured(math.log10(g), floor[pick] / (g * math.log(10)), "log10(E1 - E0 / K)"),
        reference=Reference(math.log10(n), 0.0, "log10(N Delta0), the appendix's rule"),
        tolerance=RULE_TOLERANCE, where=WHERE_2LS, figure="clusters_size_gap.png",
        detail=(f"gap {g:.4g} K at N = {n} (rule {n} K); below float64 resolution from N = "
                f"{min(unresolved) if unresolved else 'none'}"))


def _findings_reachable(n3: int) -> list[Finding]:
    with quiet_gaps():
        t0 = time.perf_counter()
        big2 = TwoLevelCluster.uniform(1000, 0.0, 1.0, -0.01).eigenenergies(6)
        t2 = time.perf_counter() - t0
        t0 = time.perf_counter()
        big3 = ThreeLevelCluster.uniform(n3, [0.05, -0.02, -0.03], 1.0, -0.01, phi=0.3).eigenenergies(6)
        t3 = time.perf_counter() - t0
    return [Finding(FindingKind.TIMING, "Exact low spectra of uniform clusters of the paper's sizes (N ~ 25-600)",
                    f"uniform 2LS N = 1000 (sector dim 1001): lowest 6 levels in {t2:.2g} s (E0 = {big2[0]:.6g} K); "
                    f"uniform 3LS N = {n3} (sector dim {(n3 + 1) * (n3 + 2) // 2}): lowest 6 levels in {t3:.2g} s "
                    f"(E0 = {big3[0]:.6g} K); disordered clusters: full space only, see the benchmarks",
                    "clusters.models (symmetric sector), clusters.solvers.solve")]


def _flux_periodicity(specs3: dict[tuple[int, float], SpectrumData]) -> dict[tuple[int, float], float]:
    """Per (N, J): max relative change of the two lowest splittings under N phi -> N phi + 2 pi."""
    err = {}
    for key, spec in specs3.items():
        split = spec.relative_to_ground()[:, 1:]
        half = (len(spec) - 1) // 2
        err[key] = float(np.max(np.abs(split[:half + 1] - split[half:])) / np.max(split))
    return err


def _fig_flux(specs3: dict[tuple[int, float], SpectrumData], s: dict[str, Any], path: pathlib.Path) -> None:
    n_list, j_list = s["n_list"], s["j_list"]
    fig, axes = plt.subplots(2, len(n_list), figsize=(3.4 * len(n_list), 5.6), sharex=True, squeeze=False)
    for col, n in enumerate(n_list):
        for c, j in enumerate(j_list):
            spec = specs3[(n, j)]
            split = spec.relative_to_ground()[:, 1:]
            for row in range(2):
                axes[row, col].plot(spec.values / (2 * np.pi), split[:, row] / np.max(split), color=f"C{c}",
                                    lw=1.4, label=f"J = {j:g} K")
        axes[0, col].set_title(f"N = {n}", fontsize=10)
        axes[1, col].set_xlabel("N φ / 2π (flux quanta of charge N Q)")
        for row in range(2):
            axes[row, col].axvline(1.0, color="0.6", lw=0.8, ls=":")
    axes[0, 0].set_ylabel("(E$_1$ - E$_0$) / max")
    axes[1, 0].set_ylabel("(E$_2$ - E$_0$) / max")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(j_list), fontsize=9, frameon=False)
    fig.suptitle("uniform 3LS clusters, E = 0, D0 = 1 K: is the low multiplet 2π-periodic in N φ?", fontsize=10)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    save_figure(fig, path)


def _low_multiplet(n: int, j: float) -> int:
    cl = ThreeLevelCluster.uniform(n, [0.0, 0.0, 0.0], 1.0, j, phi=0.0)
    return int(coherent_multiplet(cl, warn=False).model_space_is_low_energy)


def _claims_flux(err: dict[tuple[int, float], float], s: dict[str, Any]) -> list[Claim | Finding]:
    multi = [n for n in s["n_list"] if n > 1]
    rows: list[Claim | Finding] = [Finding(
        FindingKind.IDENTITY, "A single 3LS (N = 1) is 2π-periodic in phi (gauge invariance of the loop product)",
        f"max relative change under phi -> phi + 2π: {max(err[(1, j)] for j in s['j_list']):.1e}", WHERE_3LS)]
    for j in s["j_list"]:
        worst = max(multi, key=lambda n: err[(n, j)])
        rows.append(Claim(
            statement="The coherent 3LS cluster is a fictitious particle of charge N Q, so its low multiplet is a "
                      "function of N phi with period 2 pi (flux quantum divided by N)",
            source="paper appendix A.16-A.20", regime=COHERENT_REGIME,
            conditions={"N": (min(multi), max(multi)), "coherent_states_low": min(_low_multiplet(n, j) for n in multi),
                        "J_K": j, "D0_K": 1.0},
            measured=Measured(err[(worst, j)], 0.0, "max relative change of the splittings under N phi + 2 pi"),
            reference=Reference(0.0, 0.0, "exact 2 pi periodicity in N phi"), tolerance=FLUX_TOLERANCE,
            where=WHERE_3LS, figure="clusters_size_three_level_flux.png",
            detail="per N: " + ", ".join(f"N = {n}: {err[(n, j)]:.2g}" for n in multi)
                   + "; single particles' loop processes carry phase phi, not N phi"))
    return rows


def run(out_dir: pathlib.Path, quick: bool = False, executor: Executor | None = None) -> list[Claim | Finding]:
    """Run the cluster-size exploration; write figures, CSV tables and spectra; return the report rows.

    Parameters
    ----------
    out_dir : pathlib.Path
        Output folder (created). Sweep caches live in ``out_dir/.cache``.
    quick : bool
        Small sweep (a few seconds) for tests.
    executor : concurrent.futures.Executor, optional
        Passed to :func:`tunnelsim.sweep.run_sweep`.
    """
    out_dir = pathlib.Path(out_dir)
    cache = out_dir / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    s = _settings(quick)
    rows2 = run_sweep(two_level_point, grid(n=s["ns"], coupling=s["couplings"]),
                      cache / f"size_2ls_{s['tag']}.jsonl", executor=executor, desc="2LS clusters vs N")
    rows3 = run_sweep(three_level_point, grid(n=s["n_list"], coupling=s["j_list"], nphi=[float(v) for v in s["nphis"]]),
                      cache / f"size_3ls_{s['tag']}.jsonl", executor=executor, desc="3LS clusters vs N phi")
    specs = {j: size_spectrum(rows2, j) for j in s["couplings"]}
    specs3 = {(n, j): flux_spectrum(rows3, n, j) for n in s["n_list"] for j in s["j_list"]}
    for j, spec in specs.items():
        spec.save(out_dir / f"clusters_size_two_level_J{j:g}.npz")
    _write_two_level_table(specs, rows2, out_dir / "clusters_size_two_level.csv")
    write_table(out_dir / "clusters_size_three_level_flux.csv", ["N", "J_K", "N_phi_rad", "E1-E0_K", "E2-E0_K"],
                [[n, j, float(x), *map(float, g[1:])] for (n, j), sp in specs3.items()
                 for x, g in zip(sp.values, sp.relative_to_ground())])
    _fig_two_level_spectrum(specs, out_dir / "clusters_size_two_level_spectrum.png")
    _fig_gap(specs, out_dir / "clusters_size_gap.png")
    _fig_flux(specs3, s, out_dir / "clusters_size_three_level_flux.png")
    return ([_claim_gap(j, spec) for j, spec in specs.items()] + _findings_reachable(s["n3_reachable"])
            + _claims_flux(_flux_periodicity(specs3), s))
