"""The percolation threshold of a user's own networkx graph, with an error bar (docs/fractal_clustering.md sec. 3).

A lattice has wrapping probabilities and several sizes (:func:`lattices.percolation_threshold`); a user's
graph has one size and no axes. Here a Newman-Ziff sweep (Newman and Ziff, PRE 64, 016706 (2001)) adds the
graph's nodes (site percolation) or edges (bond percolation) one by one in random order and records,
after each addition, the largest cluster S_max and the sum of squared cluster sizes sum s^2; the binomial
convolution (NZ eq. 2, :func:`lattices.canonical_average`) turns them into functions of p. Two finite-size
definitions of the threshold follow:

* the peak of the susceptibility chi(p) = (<sum s^2> - <S_max^2>) / N (mean size of the finite clusters),
  the estimate;
* the steepest rise of the largest cluster's share P(p) = <S_max> / N.

Both tend to p_c as the graph grows, from different finite-size shifts; their difference is the
systematic error (the finite-size uncertainty a single graph cannot remove), and a bootstrap over the
sweeps gives the statistical error. For a 64 x 64 square grid the estimate is within its error of
p_c = 0.592746 (Newman and Ziff 2000); larger graphs give smaller errors.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from tunnelsim.memory import check_memory
from tunnelsim.progress import progress_bar
from tunnelsim.stats import seed_entropy
from tunnelsim.validation import check_choice, check_int

from .estimate import Estimate

__all__ = ["graph_threshold"]


def _units(graph: nx.Graph, kind: str) -> tuple[int, list[list[int]] | np.ndarray]:
    """Number of nodes and, for sites, each node's neighbours; for bonds, the edge list as index pairs."""
    index = {v: i for i, v in enumerate(graph.nodes)}
    if kind == "site":
        return len(index), [[index[u] for u in graph.neighbors(v) if u != v] for v in graph.nodes]
    return len(index), np.array([(index[a], index[b]) for a, b in graph.edges if a != b], dtype=np.int64)


def _find(parent: np.ndarray, i: int) -> int:
    root = i
    while parent[root] != root:
        root = parent[root]
    while parent[i] != root:
        parent[i], i = root, parent[i]
    return root


def _sweep(n: int, units, kind: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """S_max and sum s^2 after each added unit (index 0: nothing added)."""
    m = n if kind == "site" else len(units)
    smax, sum2 = np.zeros(m + 1), np.zeros(m + 1)
    parent = np.full(n, -1, dtype=np.int64) if kind == "site" else np.arange(n, dtype=np.int64)
    size = np.zeros(n, dtype=np.int64) if kind == "site" else np.ones(n, dtype=np.int64)
    big, s2 = (0, 0) if kind == "site" else (min(n, 1), n)
    smax[0], sum2[0] = big, s2
    for k, u in enumerate(rng.permutation(m), start=1):
        if kind == "site":
            parent[u], size[u], s2, root, others = u, 1, s2 + 1, u, units[u]
        else:
            root, others = _find(parent, int(units[u, 0])), (int(units[u, 1]),)
        for j in others:
            if parent[j] < 0:
                continue
            rj = _find(parent, j)
            if rj == root:
                continue
            a, b = size[root], size[rj]
            if a < b:
                root, rj = rj, root
            parent[rj], size[root] = root, a + b
            s2 += 2 * a * b
        big = max(big, int(size[root]))
        smax[k], sum2[k] = big, s2
    return smax, sum2


def _canonical(micro: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Binomial convolution of each row of ``micro`` (shape (q, M + 1)) at every p, within +-12 sd of M p."""
    from scipy import stats as _st  # here: scipy.stats imports scipy.optimize, which `import lattices` avoids

    m = micro.shape[1] - 1
    out = np.empty((micro.shape[0], p.size))
    for i, pp in enumerate(p):
        sd = np.sqrt(m * pp * (1 - pp))
        lo, hi = max(0, int(m * pp - 12 * sd) - 1), min(m, int(m * pp + 12 * sd) + 2)
        k = np.arange(lo, hi + 1)
        out[:, i] = micro[:, lo:hi + 1] @ _st.binom.pmf(k, m, pp)
    return out


def _peaks(smax: np.ndarray, sum2: np.ndarray, n: int) -> tuple[float, float]:
    """(p of the susceptibility peak, p of the steepest rise of S_max / N), on a grid refined once."""
    micro = np.vstack([(sum2.mean(0) - (smax**2).mean(0)) / n, smax.mean(0) / n])
    found = []
    for row in (0, 1):
        grid = np.linspace(0.0, 1.0, 201)
        for width in (0.02, 0.001):  # coarse, then around the coarse maximum
            q = _canonical(micro[row:row + 1], grid)[0]
            score = q if row == 0 else np.gradient(q, grid)
            best = float(grid[int(np.argmax(score))])
            grid = np.clip(np.linspace(best - 10 * width, best + 10 * width, 201), 0.0, 1.0)
        found.append(best)
    return found[0], found[1]


def graph_threshold(graph: nx.Graph, *, kind: str = "site", samples: int = 200, seed=0, bootstrap: int = 40,
                    progress: bool | None = None) -> Estimate:
    """Percolation threshold p_c of any networkx graph by a Newman-Ziff sweep, with its error bar.

    The Newman-Ziff sweep of docs/fractal_clustering.md sec. 3 over nodes (site) or edges (bond); p_c is a probability.

    Parameters
    ----------
    graph : networkx.Graph
        The user's graph (at least 4 nodes, and for bonds at least 4 edges); directions are ignored.
    kind : {"site", "bond"}
        Site or bond percolation.
    samples : int
        Newman-Ziff sweeps (random orders), >= 4.
    seed : int or None
        The toolkit's seed convention (:func:`tunnelsim.stats.seed_entropy`).
    bootstrap : int
        Bootstrap resamples of the sweeps for the statistical error (>= 2).
    progress : bool or None
        Progress over the sweeps (None: a bar on a terminal, lines in a log).

    Returns
    -------
    Estimate
        ``value`` (the susceptibility peak), ``stat`` (bootstrap), ``sys`` (its distance to the steepest rise of
        the largest cluster: the finite-size uncertainty), ``stderr`` both combined; ``data["curves"]`` holds
        {N: (p, share of the largest cluster)} for :meth:`Estimate.plot`.

    Examples
    --------
    >>> import networkx as nx
    >>> est = graph_threshold(nx.grid_2d_graph(16, 16), samples=20, bootstrap=4, progress=False)
    >>> 0.45 < est.value < 0.75
    True
    """
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"graph_threshold: graph must be a networkx Graph, got {type(graph).__name__}")
    kind = check_choice(kind, "kind", ("site", "bond"))
    samples = check_int(samples, "samples", minimum=4, maximum=10**6)
    bootstrap = check_int(bootstrap, "bootstrap", minimum=2, maximum=10**4)
    g = nx.Graph(graph) if graph.is_directed() or graph.is_multigraph() else graph
    n, units = _units(g, kind)
    m = n if kind == "site" else len(units)
    if n < 4 or m < 4:
        raise ValueError(f"graph_threshold: graph needs at least 4 nodes and 4 {kind}s, got {n} nodes, {m} {kind}s")
    check_memory(2 * 8.0 * samples * (m + 1), f"graph_threshold ({samples} sweeps of {m} {kind}s)",
                 hint="use fewer samples")
    rng = np.random.default_rng(seed_entropy(seed))
    runs = [_sweep(n, units, kind, rng) for _ in progress_bar(range(samples), desc="graph p_c", progress=progress)]
    smax, sum2 = np.array([r[0] for r in runs]), np.array([r[1] for r in runs])
    p_chi, p_rise = _peaks(smax, sum2, n)
    boot = [_peaks(smax[i], sum2[i], n)[0] for i in (rng.integers(0, samples, samples) for _ in range(bootstrap))]
    p = np.linspace(0, 1, 201)
    share = _canonical(smax.mean(0)[None, :] / n, p)[0]
    return Estimate(name="p_c", value=p_chi, stat=float(np.std(boot, ddof=1)), sys=abs(p_rise - p_chi),
                    data={"curves": {n: (p, share)}, "susceptibility_peak": p_chi, "steepest_rise": p_rise,
                          "ylabel": "share of the largest cluster S_max / N", "curve_label": "graph, N = {} nodes"},
                    fit={"method": f"Newman-Ziff on a user graph ({kind})", "samples": samples})
