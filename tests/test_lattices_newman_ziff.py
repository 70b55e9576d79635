"""Newman-Ziff sweeps against exact enumeration (2x2, 3x3) and direct sampling at fixed p."""

import itertools
from collections import deque

import networkx as nx
import numpy as np
import pytest

from lattices.geometry import LATTICES, lattice_graph
from lattices.labeling import label_sites, random_sites
from lattices.newman_ziff import canonical_average, newman_ziff


def _spans(graph, nodes, axis, L):
    sub = graph.subgraph(nodes)
    return any({v[axis] for v in comp} >= {0, L - 1} for comp in nx.connected_components(sub))


def _wraps(L, dim, occupied_nodes, offsets):
    """Independent wrapping test: BFS on the unwrapped cover; a non-tree edge whose ends differ in
    unwrapped position closes a loop winding around the torus."""
    occ = set(occupied_nodes)
    wrap = np.zeros(dim, dtype=bool)
    pos = {}
    for start in occ:
        if start in pos:
            continue
        pos[start] = np.array(start)
        queue = deque([start])
        while queue:
            v = queue.popleft()
            for off in offsets:
                for sgn in (1, -1):
                    step = sgn * np.asarray(off)
                    w = tuple((np.array(v) + step) % L)
                    if w not in occ:
                        continue
                    target = pos[v] + step
                    if w not in pos:
                        pos[w] = target
                        queue.append(w)
                    else:
                        wrap |= pos[w] != target
    return wrap


def _exact_micro(L, event):
    """Exact microcanonical probability R_n (n = 0..N) by enumerating all 2^N site configurations."""
    n_sites = L * L
    nodes = list(itertools.product(range(L), range(L)))
    hits = np.zeros(n_sites + 1)
    totals = np.zeros(n_sites + 1)
    for bits in itertools.product([0, 1], repeat=n_sites):
        chosen = [v for v, b in zip(nodes, bits) if b]
        k = len(chosen)
        totals[k] += 1
        hits[k] += event(chosen)
    return hits / totals, hits, totals


def _poly(hits, p):
    n = len(hits) - 1
    return sum(h * p**k * (1 - p) ** (n - k) for k, h in enumerate(hits))


@pytest.mark.parametrize("L", [2, 3])
def test_spanning_polynomial_exact_and_nz(L):
    g = lattice_graph("square", L)
    micro, hits, _ = _exact_micro(L, lambda ch: _spans(g, ch, 0, L))
    if L == 2:  # a fully occupied column: 1 - (1 - p^2)^2
        for p in (0.2, 0.5, 0.9):
            assert _poly(hits, p) == pytest.approx(1 - (1 - p * p) ** 2, abs=1e-14)
    ps = np.linspace(0.05, 0.95, 7)
    # the binomial convolution of the exact microcanonical R_n is the exact polynomial
    np.testing.assert_allclose(canonical_average(micro, ps), [_poly(hits, p) for p in ps], atol=1e-13)
    # Newman-Ziff sampled spanning: statistically equal to the exact polynomial
    res = newman_ziff("square", L, 4000, seed=3, periodic=False, progress=False)
    got = res.probability(ps, "axis0")
    exact = np.array([_poly(hits, p) for p in ps])
    sigma = np.sqrt(exact * (1 - exact) / 4000) + 1e-9
    assert np.all(np.abs(got - exact) < 5 * sigma + 1e-3)
    # microcanonical: fraction of sweeps spanning after n sites
    n_first = res.first_event("axis0")
    frac = np.array([(n_first <= n).mean() for n in range(L * L + 1)])
    sig = np.sqrt(micro * (1 - micro) / 4000) + 1e-9
    assert np.all(np.abs(frac - micro) < 5 * sig + 1e-3)


def test_wrapping_3x3_torus_exact():
    L = 3
    offsets = [(1, 0), (0, 1)]  # written out: the reference shares no code with the lattice object
    micro_e, hits_e, _ = _exact_micro(L, lambda ch: _wraps(L, 2, ch, offsets).any())
    micro_b, hits_b, _ = _exact_micro(L, lambda ch: _wraps(L, 2, ch, offsets).all())
    assert micro_e[3] == pytest.approx(6 / 84)  # only full rows or columns wrap with 3 sites
    res = newman_ziff("square", L, 6000, seed=5, periodic=True, progress=False)
    for which, micro in (("either", micro_e), ("both", micro_b)):
        n_first = res.first_event(which)
        frac = np.array([(n_first <= n).mean() for n in range(L * L + 1)])
        sig = np.sqrt(micro * (1 - micro) / 6000) + 1e-9
        assert np.all(np.abs(frac - micro) < 5 * sig + 1e-3), which


def test_bond_spanning_2x2_exact():
    # open 2x2 square, 4 bonds; spanning top-bottom = at least one vertical bond: 1 - (1-p)^2
    res = newman_ziff("square", 2, 4000, seed=11, kind="bond", periodic=False, progress=False)
    assert res.n_units == 4
    for p in (0.2, 0.5, 0.8):
        exact = 1 - (1 - p) ** 2
        assert abs(res.probability(p, "axis0") - exact) < 5 * np.sqrt(exact * (1 - exact) / 4000)


@pytest.mark.parametrize("lattice,L,p", [("square", 24, 0.6), ("triangular", 24, 0.5), ("simple_cubic", 8, 0.32)])
def test_largest_cluster_matches_direct_sampling(lattice, L, p):
    res = newman_ziff(lattice, L, 300, seed=2, periodic=False, track_largest=True, progress=False)
    nz = res.largest_fraction(p)
    rng = np.random.default_rng(9)
    direct = []
    for _ in range(300):
        lab, _ = label_sites(random_sites(lattice, L, p, rng), lattice)
        direct.append(np.bincount(lab.ravel())[1:].max() / lab.size)
    direct = np.array(direct)
    err = direct.std() / np.sqrt(direct.size) * np.sqrt(2)
    assert abs(nz - direct.mean()) < 4.5 * err


def test_bond_largest_cluster_counts_all_sites():
    res = newman_ziff("honeycomb", 8, 20, seed=1, kind="bond", periodic=True, track_largest=True, progress=False)
    edges, _ = LATTICES["honeycomb"].bonds((8, 8), True)
    assert res.n_units == len(edges) == 8 * 8 * 3 // 2
    assert res.largest_mean[0] == 1 and res.largest_mean[-1] == 64
    assert res.largest_fraction(1.0) == pytest.approx(1.0)


def test_result_carries_the_lattice_object():
    res = newman_ziff("sc", 4, 2, seed=0, progress=False)
    assert res.lattice is LATTICES["simple_cubic"]
    gen = newman_ziff(LATTICES["square"], 4, 3, seed=np.random.default_rng(1), progress=False)
    assert gen.meta["entropy"] >= 0 and gen.samples == 3


def test_seed_reproducible_and_executor_independent():
    from concurrent.futures import ThreadPoolExecutor

    a = newman_ziff("bcc", 6, 12, seed=4, progress=False)
    with ThreadPoolExecutor(2) as ex:
        b = newman_ziff("bcc", 6, 12, seed=4, progress=False, executor=ex)
    np.testing.assert_array_equal(a.first_wrap, b.first_wrap)


def test_bad_input():
    with pytest.raises(ValueError, match="lattice"):
        newman_ziff("kagome", 8, 2)
    with pytest.raises(ValueError, match="kind"):
        newman_ziff("square", 8, 2, kind="site-bond")
    with pytest.raises(ValueError, match="size"):
        newman_ziff("square", 1, 2)
    with pytest.raises(TypeError, match="periodic"):
        newman_ziff("square", 4, 2, periodic="yes")
    with pytest.raises(ValueError, match="seed"):
        newman_ziff("square", 4, 2, seed=-1)
    res = newman_ziff("square", 4, 3, seed=0, progress=False)
    with pytest.raises(ValueError, match="p"):
        res.probability(1.5)
    with pytest.raises(ValueError, match="which"):
        res.probability(0.5, "sideways")
    with pytest.raises(ValueError, match="micro"):
        canonical_average([1.0], 0.5)
