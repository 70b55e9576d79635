"""Cluster observables: hand-made clusters with known hulls, closed-form densities, limits."""

import numpy as np
import pytest

from lattices import fractal_dimension, heuristic_alpha, interface_sites
from lattices.labeling import label_sites, random_sites
from lattices.observables import (
    SITE_OBSERVABLES,
    cluster_size_distribution,
    count_sites,
    external_perimeter_sites,
    get_site_observable,
    hull_sites,
    hull_walk,
    interface_definitions,
    largest_cluster,
    mass_radius,
    perimeter_sites,
    radius_of_gyration,
    site_observable,
    spanning_labels,
)


def _grid(rows):
    return np.array([[c == "#" for c in r] for r in rows])


def test_ring_hole_is_perimeter_but_not_hull():
    ring = _grid(["###", "#.#", "###"])
    per = perimeter_sites(ring)
    assert per[1, 1] and per.sum() == 1  # the box edge has no empty sites inside the box
    assert not hull_sites(ring)[1, 1]
    assert not external_perimeter_sites(ring)[1, 1]


def test_diagonal_neck_separates_hull_from_external_perimeter():
    # a C-shaped cluster whose mouth is closed by the diagonal pair (2,3)-(3,2)
    c = _grid([".....",
               ".###.",
               ".#.#.",
               ".##..",
               "....."])
    lab, n = label_sites(c, "square")
    assert n == 1
    hull = hull_sites(c)
    ext = external_perimeter_sites(c)
    per = perimeter_sites(c)
    # (2,2) is enclosed for nearest-neighbour walks, but the 8-connected complement passes the
    # diagonal neck from (3,3): the fjord belongs to the hull, not to the accessible perimeter
    assert per[2, 2] and per[3, 3]
    assert hull[2, 2] and hull[3, 3]
    assert not ext[2, 2] and ext[3, 3]
    assert per.sum() == hull.sum() == ext.sum() + 1


def test_perimeter_density_closed_form():
    # every empty site next to an occupied one: expected sum over sites (1-x)(1-(1-x)^{z_i})
    rng = np.random.default_rng(0)
    L, x = 200, 0.2
    occ = random_sites("square", L, x, rng)
    z = np.full((L, L), 4)
    z[0, :] -= 1
    z[-1, :] -= 1
    z[:, 0] -= 1
    z[:, -1] -= 1
    expect = np.sum((1 - x) * (1 - (1 - x) ** z))
    got = perimeter_sites(occ).sum()
    assert abs(got - expect) < 5 * np.sqrt(expect)


def test_isolated_site_density():
    rng = np.random.default_rng(1)
    p = 0.3
    occ = random_sites("square", 300, p, rng)
    lab, _ = label_sites(occ, "square")
    s, ns = cluster_size_distribution(lab)
    interior = p * (1 - p) ** 4
    assert s[0] == 1
    assert abs(ns[0] - interior) < 0.05 * interior


def test_radius_of_gyration_of_a_line_and_mass_radius():
    line = np.zeros((1, 9), dtype=bool)
    line[0, :] = True
    assert radius_of_gyration(line) == pytest.approx(np.sqrt((81 - 1) / 12))
    sq = np.zeros((10, 10), dtype=int)
    sq[2:6, 2:6] = 1
    s, rg = mass_radius(sq, min_size=2)
    assert s.tolist() == [16.0]
    assert rg[0] == pytest.approx(np.sqrt(2 * (16 - 1) / 12))


def test_spanning_and_largest():
    c = _grid(["#..", "##.", ".#."])
    lab, _ = label_sites(c, "square")
    assert spanning_labels(lab, 0).tolist() == [1]
    assert spanning_labels(lab, 1).size == 0
    assert largest_cluster(lab).sum() == 4
    assert count_sites(largest_cluster(lab), "mass") == 4


def test_3d_hull_of_a_hollow_cube():
    c = np.ones((3, 3, 3), dtype=bool)
    c[1, 1, 1] = False
    c = np.pad(c, 1)
    assert perimeter_sites(c)[2, 2, 2]
    assert not hull_sites(c)[2, 2, 2]
    assert count_sites(c, "surface") == count_sites(c, "hull") + 1


def test_boundary_walk_equals_flood_fill_hull():
    rng = np.random.default_rng(3)
    checked = 0
    for _ in range(60):
        L = int(rng.integers(3, 30))
        occ = rng.random((L, L)) < rng.uniform(0.35, 0.8)
        lab, n = label_sites(occ, "square")
        for i in rng.integers(1, n + 1, size=min(n, 3)):
            walk, length = hull_walk(lab == i)
            np.testing.assert_array_equal(walk, hull_sites(lab == i))
            assert length >= 4
            checked += 1
    assert checked > 100


def test_boundary_walk_lengths():
    one = np.zeros((3, 3), dtype=bool)
    one[1, 1] = True
    walk, length = hull_walk(one)
    assert length == 4 and walk.sum() == 4
    c = _grid([".....", ".###.", ".#.#.", ".##..", "....."])
    walk, length = hull_walk(c)
    # 7 sites, 6 bonds: 7 * 4 - 2 * 6 = 16 cracks, all walked -- the 4 around the fjord (2,2) too,
    # entered through the diagonal neck; the ring with a real hole walks only its 12 outer cracks
    assert walk[2, 2]
    assert length == 16
    ring = np.pad(_grid(["###", "#.#", "###"]), 1)
    walk, length = hull_walk(ring)
    assert length == 12 and not walk[2, 2]


def test_registry_names_and_reference_exponents():
    assert interface_definitions() == ("perimeter", "hull", "external_perimeter")
    assert get_site_observable("surface") is SITE_OBSERVABLES["perimeter"]
    assert {k: (o.symbol, o.exponent) for k, o in SITE_OBSERVABLES.items()} == {
        "mass": ("D", "mass"), "perimeter": ("D_s", "surface"), "hull": ("D_H", "hull"),
        "external_perimeter": ("D_EP", "external_perimeter")}
    with pytest.raises(ValueError, match="already"):
        site_observable("surface", symbol="X")(perimeter_sites)


@pytest.fixture
def new_observable():
    """A new observable is one registered function; removed again after the test."""

    @site_observable("hull_again", symbol="D_H2")
    def hull_again(mask, lattice=None):
        return hull_sites(mask, lattice)

    yield hull_again
    del SITE_OBSERVABLES["hull_again"]


def test_a_registered_observable_is_picked_up_by_name(new_observable):
    c = _grid([".....", ".###.", ".#.#.", ".##..", "....."])
    assert count_sites(c, "hull_again") == count_sites(c, "hull") == 12
    assert "hull_again" in interface_definitions()
    np.testing.assert_array_equal(interface_sites(c, "hull_again", "all"), interface_sites(c, "hull", "all"))
    est = fractal_dimension("square", "hull_again", sizes=[8, 16, 32], samples=8, seed=1, progress=False)
    ref = fractal_dimension("square", "hull", sizes=[8, 16, 32], samples=8, seed=1, progress=False)
    assert est.name == "D_H2" and est.value == ref.value and est.reference is None
    with pytest.raises(ValueError, match="hull_again"):
        heuristic_alpha(2, "hull_again")  # no literature dimension registered for it
    with pytest.raises(ValueError, match="lattice"):
        fractal_dimension("triangular", "hull_again", sizes=[8, 16, 32])


def test_bad_input():
    with pytest.raises(TypeError, match="mask"):
        perimeter_sites(np.ones((3, 3)))
    with pytest.raises(ValueError, match="kind"):
        count_sites(np.ones((3, 3), dtype=bool), "volume")
    with pytest.raises(ValueError, match="mask"):
        radius_of_gyration(np.zeros((3, 3), dtype=bool))
    with pytest.raises(ValueError, match="mask"):
        hull_walk(np.zeros((3, 3, 3), dtype=bool))
    with pytest.raises(ValueError, match="mask"):
        hull_walk(np.zeros((3, 3), dtype=bool))
    with pytest.raises(ValueError, match="axis"):
        spanning_labels(np.zeros((3, 3), dtype=int), axis=2)
    with pytest.raises(TypeError, match="labels"):
        largest_cluster(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="labels"):
        mass_radius(-np.ones((3, 3), dtype=int))
    with pytest.raises(ValueError, match="lattice"):
        hull_sites(np.ones((3, 3), dtype=bool), "triangular")
    with pytest.raises(ValueError, match="mask"):
        perimeter_sites(np.ones((3, 3), dtype=bool), "bcc")
