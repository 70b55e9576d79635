"""The Lattice object: construction, names, validation, and a user-defined lattice carried through the API.

The user lattice is the square lattice with next-nearest neighbours (the matching lattice of the square
lattice), whose site threshold is exactly 1 - p_c(square) (Sykes and Essam 1964); its labels are checked
against scipy.ndimage with the 8-neighbourhood.
"""

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage

from lattices import (
    LATTICES,
    Lattice,
    as_lattice,
    box_shape,
    label_sites,
    lattice_graph,
    newman_ziff,
    percolation_threshold,
    perimeter_sites,
    random_sites,
)
from lattices.labeling import cluster_partition
from lattices.reference import PC_SITE
from tunnelsim.stats import Reference

MATCHING = Lattice("square_nnn", ((1, 0), (0, 1), (1, 1), (1, -1)), (-1, -1, -1, -1),
                   pc_site=Reference(1 - 0.59274605079210, 2e-14, "matching lattice: 1 - p_c(square)"))


def test_names_aliases_and_objects_resolve_to_one_lattice():
    sq = as_lattice("square")
    assert as_lattice("SQUARE") is sq and as_lattice(sq) is sq
    assert as_lattice("sc") is LATTICES["simple_cubic"]
    assert sq == Lattice("square", [[1, 0], [0, 1]], [-1, -1])  # equality by structure, thresholds aside
    assert hash(sq) == hash(Lattice("square", ((1, 0), (0, 1)), (-1, -1)))
    assert sq.pc_site is PC_SITE["square"] and sq.threshold("bond").value == 0.5
    assert sq.hypercubic and LATTICES["simple_cubic"].hypercubic
    assert not LATTICES["triangular"].hypercubic and not MATCHING.hypercubic
    assert LATTICES["honeycomb"].parity_dependent and not LATTICES["bcc"].parity_dependent
    assert [lat.dim for lat in LATTICES.values()] == [2, 2, 2, 3, 3]


@pytest.mark.parametrize("lattice", list(LATTICES))
def test_json_round_trip_returns_the_registered_lattice(lattice):
    lat = LATTICES[lattice]
    back = Lattice.from_dict(lat.to_dict())
    assert back is lat
    own = Lattice.from_dict(MATCHING.to_dict())
    assert own == MATCHING and own.pc_site is None


def test_directions_cover_the_graph_neighbours():
    for name, lat in LATTICES.items():
        g = lat.graph(6 if name != "bcc" else 4, periodic=True)
        dirs, dpar = lat.directions()
        assert len(dirs) == 2 * len(lat.offsets)
        for v in list(g.nodes)[:20]:
            psum = sum(v) % 2
            got = {tuple((np.array(v) + d) % g.graph["shape"][0]) for d, p in zip(dirs, dpar) if p < 0 or p == psum}
            assert got == set(g.neighbors(v)), (name, v)


def test_bad_lattices_and_boxes():
    with pytest.raises(TypeError, match="lattice"):
        as_lattice(3)
    with pytest.raises(ValueError, match="lattice"):
        as_lattice("kagome")
    with pytest.raises(ValueError, match="offsets"):
        Lattice("line", ((1,),), (-1,))
    with pytest.raises(ValueError, match="offsets"):
        Lattice("zero", ((0, 0), (1, 0)), (-1, -1))
    with pytest.raises(ValueError, match="parity"):
        Lattice("odd", ((1, 0), (0, 1)), (-1, 2))
    with pytest.raises(ValueError, match="parity"):
        Lattice("short", ((1, 0), (0, 1)), (-1,))
    with pytest.raises(ValueError, match="threshold"):
        Lattice("free", ((1, 0), (0, 1)), (-1, -1)).threshold()
    with pytest.raises(TypeError, match="periodic"):
        box_shape("square", 4, periodic="yes")
    with pytest.raises(ValueError, match="size"):
        box_shape("simple_cubic", (4, 4))
    with pytest.raises(ValueError, match="size"):
        Lattice("long", ((2, 0), (0, 1)), (-1, -1)).box_shape(4, periodic=True)


@pytest.mark.parametrize("periodic", [False, True])
def test_user_lattice_graph_is_the_eight_neighbourhood(periodic):
    g = lattice_graph(MATCHING, 6, periodic)
    assert MATCHING.coordination == 8
    degrees = {d for _, d in g.degree()}
    if periodic:
        assert degrees == {8}
    else:
        assert max(degrees) == 8 and min(degrees) == 3
    assert g.graph["lattice"] is MATCHING


@settings(max_examples=25, deadline=None)
@given(st.lists(st.booleans(), min_size=49, max_size=49))
def test_user_lattice_labels_match_ndimage_eight_connectivity(bits):
    occ = np.array(bits).reshape(7, 7)
    labels, n = label_sites(occ, MATCHING)
    ref, n_ref = ndimage.label(occ, structure=np.ones((3, 3), dtype=bool))
    assert cluster_partition(labels) == cluster_partition(ref) and n == n_ref
    per = perimeter_sites(occ, MATCHING)
    np.testing.assert_array_equal(per, ndimage.binary_dilation(occ, structure=np.ones((3, 3))) & ~occ)


@pytest.mark.parametrize("lattice", ["triangular", "honeycomb", "bcc"])
def test_perimeter_on_other_lattices_matches_networkx(lattice):
    lat = LATTICES[lattice]
    L = 8 if lat.dim == 2 else 5
    occ = random_sites(lat, L, 0.3, seed=4)
    g = lattice_graph(lat, L)
    expect = np.zeros_like(occ)
    for v in g.nodes:
        if not occ[v] and any(occ[w] for w in g.neighbors(v)):
            expect[v] = True
    np.testing.assert_array_equal(perimeter_sites(occ, lat), expect)
    assert nx.is_connected(g)


def test_user_lattice_threshold_is_one_minus_square():
    res = newman_ziff(MATCHING, 8, 5, seed=1, progress=False)
    assert res.lattice is MATCHING and res.n_units == 64
    est = percolation_threshold(MATCHING, size=32, samples=300, seed=3, progress=False)
    assert est.fit["method"] == "crossing"
    assert est.reference is MATCHING.pc_site
    assert est.agrees(3.0), est
