"""What the cluster-ensemble study samples: the STM box, N and counts per mode, the temperatures, the ensembles."""

from __future__ import annotations

import pathlib
import warnings
from typing import Any

import numpy as np

from clusters.ensembles import Ensemble, EnsembleSpec, run_ensemble
from tunnelsim.studies.claims import Regime

__all__ = ["SPEC", "WHERE", "CONJECTURE", "T_WINDOW", "settings", "temperatures", "sample"]

#: The ensemble's fixed parameters (K, units of r0).
SPEC = dict(density=1.0, j0=1.0, delta_max=1.0, d0_min=1e-3, d0_max=1.0, axes="random")
WHERE = "clusters.ensembles.run_ensemble / tunnelsim.studies.cluster_ensembles"
CONJECTURE = Regime("the paper's conjecture (sec. 2 and appendix, with eq. 2): the TM's tunneling 'particle' is a "
                    "fictitious particle replacing a cluster of N real STM particles, and the STM with its "
                    "distribution P(Delta, Delta0) describes it", {"N": (1, 600)})
T_WINDOW = (0.01, 0.1)  # K: 10 Delta0_min .. Delta_max / 10, where the STM's C(T) is a power law


def settings(quick: bool) -> dict[str, Any]:
    """Clusters per N (and the block size of the resumable sweep) in quick and full mode."""
    if quick:
        return dict(tag="quick", counts={1: 300, 2: 300, 4: 200, 8: 100}, block=50)
    # 10^4 clusters per N up to N = 12 (N = 12: ~2 min on 2 cores); at N = 16 an exact cluster costs ~0.3 s of a
    # core, so the demo samples 10^3 there (10^4 would take ~25 min; examples/cluster_ensemble.py runs any count,
    # resumably, on any executor)
    return dict(tag="full", counts={1: 10_000, 2: 10_000, 4: 10_000, 6: 10_000, 8: 10_000, 12: 10_000, 16: 1000},
                block=250)


def temperatures() -> np.ndarray:
    """The temperature grid of C(T) (K)."""
    return np.geomspace(1e-3, 3.0, 49)


def sample(out_dir: pathlib.Path, s: dict[str, Any], quick: bool, executor=None) -> dict[int, Ensemble]:
    """The ensembles per N, resumable from ``out_dir/.cache``.

    run_ensemble's warning that few clusters have a coherent doublet is silenced: the study counts them and
    tests the Delta0_eff distribution only where at least MIN_COHERENT exist (:mod:`.claims`).
    """
    cache = pathlib.Path(out_dir) / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="run_ensemble: only", category=RuntimeWarning)
        return _sample(cache, s, quick, executor)


def _sample(cache: pathlib.Path, s: dict[str, Any], quick: bool, executor) -> dict[int, Ensemble]:
    return {n: run_ensemble(EnsembleSpec(n, **SPEC), count, cache / f"ensemble_{s['tag']}_N{n}.jsonl",
                            seed=2013, executor=executor, progress=None if not quick else False,
                            block_size=min(s["block"], count))
            for n, count in s["counts"].items()}
