"""Lattice geometry and cluster labelling: fast array path against the networkx path."""

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lattices.geometry import LATTICES, box_shape, lattice_graph
from lattices.labeling import (
    cluster_partition,
    label_bonds,
    label_graph,
    label_sites,
    percolate_graph,
    random_bonds,
    random_sites,
)

SMALL = {"square": 7, "triangular": 7, "honeycomb": 8, "simple_cubic": 4, "bcc": 4}


def _nx_partition(graph, shape, nodes):
    parts = {}
    for v, lab in label_graph(graph, nodes).items():
        parts.setdefault(lab, set()).add(int(np.ravel_multi_index(v, shape)))
    return {frozenset(s) for s in parts.values()}


@pytest.mark.parametrize("periodic", [False, True])
@pytest.mark.parametrize("lattice", list(LATTICES))
def test_coordination_and_bond_count(lattice, periodic):
    g = lattice_graph(lattice, SMALL[lattice], periodic)
    degrees = {d for _, d in g.degree()}
    z = {"square": 4, "triangular": 6, "honeycomb": 3, "simple_cubic": 6, "bcc": 8}[lattice]
    assert LATTICES[lattice].coordination == z
    if periodic:
        assert degrees == {z}
        assert g.number_of_edges() == z * g.number_of_nodes() // 2
    else:
        assert max(degrees) == z and min(degrees) < z
    assert nx.is_connected(g)


def test_honeycomb_is_bipartite_hexagonal():
    g = lattice_graph("honeycomb", 8, periodic=True)
    assert nx.is_bipartite(g)
    # every elementary cycle of the brick wall has 6 bonds: the girth is 6
    assert min(len(c) for c in nx.minimum_cycle_basis(g)) == 6


@pytest.mark.parametrize("periodic", [False, True])
@pytest.mark.parametrize("lattice", list(LATTICES))
def test_site_labels_match_networkx(lattice, periodic):
    rng = np.random.default_rng(abs(hash((lattice, periodic))) % 2**32)
    g = lattice_graph(lattice, SMALL[lattice], periodic)
    for p in (0.3, 0.55, 0.7):
        occ = random_sites(lattice, SMALL[lattice], p, rng)
        labels, n = label_sites(occ, lattice, periodic)
        nodes = [tuple(int(c) for c in v) for v in np.argwhere(occ)]
        expect = _nx_partition(g, occ.shape, nodes)
        assert cluster_partition(labels) == expect
        assert n == len(expect)


@pytest.mark.parametrize("periodic", [False, True])
@pytest.mark.parametrize("lattice", list(LATTICES))
def test_bond_labels_match_networkx(lattice, periodic):
    L = SMALL[lattice]
    bonds = random_bonds(lattice, L, 0.45, seed=3)
    labels, n = label_bonds(bonds, lattice, periodic)
    g = lattice_graph(lattice, L, periodic)
    shape = box_shape(lattice, L)
    kept = nx.Graph()
    kept.add_nodes_from(g.nodes)
    for a, b, data in g.edges(data=True):
        # the bond belongs to the site it leaves along +offset; find which end that is
        for u, v in ((a, b), (b, a)):
            off = np.asarray(LATTICES[lattice].offsets[data["offset"]])
            if tuple((np.array(u) + off) % np.array(shape)) == v and (periodic or np.all(np.array(u) + off < shape)):
                if bonds[u + (data["offset"],)]:
                    kept.add_edge(a, b)
                break
    expect = {frozenset(int(np.ravel_multi_index(v, shape)) for v in c) for c in nx.connected_components(kept)}
    assert cluster_partition(labels) == expect
    assert n == len(expect)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.booleans(), min_size=36, max_size=36))
def test_ndimage_and_unionfind_agree(bits):
    occ = np.array(bits).reshape(6, 6)
    a, _ = label_sites(occ, "square", periodic=False, method="ndimage")
    b, _ = label_sites(occ, "square", periodic=False, method="unionfind")
    assert cluster_partition(a) == cluster_partition(b)
    # periodic labels are a coarsening of open labels
    c, _ = label_sites(occ, "square", periodic=True)
    pc = cluster_partition(c)
    assert all(any(part <= big for big in pc) for part in cluster_partition(a))


def test_percolate_graph_limits_and_stats():
    g = nx.petersen_graph()
    assert percolate_graph(g, 1.0, seed=1) == [set(g.nodes)]
    assert percolate_graph(g, 0.0, seed=1) == []
    assert len(percolate_graph(g, 0.0, kind="bond", seed=1)) == 10
    # site percolation keeps each node with probability p
    kept = [sum(len(c) for c in percolate_graph(g, 0.3, seed=s)) for s in range(400)]
    assert abs(np.mean(kept) - 3.0) < 5 * np.sqrt(10 * 0.3 * 0.7 / 400)


def test_bad_input():
    with pytest.raises(ValueError, match="lattice"):
        lattice_graph("kagome", 4)
    with pytest.raises(ValueError, match="p"):
        random_sites("square", 4, 1.2)
    with pytest.raises(ValueError, match="p"):
        percolate_graph(nx.path_graph(3), -0.1)
    with pytest.raises(ValueError, match="graph"):
        percolate_graph(nx.Graph(), 0.5)
    with pytest.raises(ValueError, match="graph"):
        label_graph(nx.Graph())
    with pytest.raises(ValueError, match="size"):
        box_shape("honeycomb", 5, periodic=True)
    with pytest.raises(ValueError, match="occupied"):
        label_sites(np.ones((3, 3, 3), dtype=bool), "square")
    with pytest.raises(TypeError, match="occupied"):
        label_sites(np.ones((3, 3)), "square")
    with pytest.raises(ValueError, match="method"):
        label_sites(np.ones((3, 3), dtype=bool), "square", method="magic")
    with pytest.raises(ValueError, match="kind"):
        percolate_graph(nx.path_graph(3), 0.5, kind="edge")
    with pytest.raises(TypeError, match="periodic"):
        label_sites(np.ones((3, 3), dtype=bool), "square", periodic=1)
    with pytest.raises(TypeError, match="lattice"):
        label_sites(np.ones((3, 3), dtype=bool), 4)
    with pytest.raises(TypeError, match="seed"):
        random_sites("square", 4, 0.5, seed="x")
