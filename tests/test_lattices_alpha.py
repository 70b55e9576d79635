"""The exponent alpha: heuristic nu (D - D_s), interface-site definitions, composition-law fit."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lattices.alpha import (
    alpha_direct,
    alpha_exponent,
    heuristic_alpha,
    interface_sites,
    simulate_interface,
)
from lattices.geometry import LATTICES
from lattices.labeling import label_sites
from lattices.observables import hull_sites, perimeter_sites


def test_heuristic_values():
    # docs/theory.md sec. 4: 2D hull (4/3)(91/48 - 7/4) = 7/36; 3D hull = bulk -> 0
    assert heuristic_alpha(2, "hull") == pytest.approx(7 / 36, abs=1e-15)
    assert heuristic_alpha(2, "external_perimeter") == pytest.approx(4 / 3 * (91 / 48 - 4 / 3))
    assert heuristic_alpha(2, "perimeter") == 0.0
    assert heuristic_alpha(3, "hull") == 0.0
    assert alpha_exponent(2.5, 2.0, 0.88) == pytest.approx(0.44)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.booleans(), min_size=49, max_size=49))
def test_all_cluster_hull_is_union_of_cluster_hulls(bits):
    occ = np.array(bits).reshape(7, 7)
    lab, n = label_sites(occ, "square")
    expect = np.zeros_like(occ)
    for i in range(1, n + 1):
        expect |= hull_sites(lab == i)
    got = interface_sites(occ, "hull", "all")
    np.testing.assert_array_equal(got, expect & ~occ)
    np.testing.assert_array_equal(interface_sites(occ, "hull", "all", "square"), got)
    assert np.all(got <= perimeter_sites(occ))


def test_direct_simulation_2d_and_3d():
    tab = simulate_interface("square", size=64, samples=3, seed=1, progress=False)
    # the perimeter of all clusters per site follows (1-x)(1-(1-x)^z) in the bulk (boundary lowers it)
    dens, err = tab.per_site("perimeter", "all")
    bulk = (1 - tab.x) * (1 - (1 - tab.x) ** 4)
    assert np.all(dens <= bulk + 5 * err) and np.all(dens > 0.9 * bulk)
    # hull <= perimeter; per perimeter normalisation of the perimeter gives exactly alpha = 0
    hull, _ = tab.per_nm_site("hull", "all")
    per, _ = tab.per_nm_site("perimeter", "all")
    assert np.all(hull <= per + 1e-12)
    est = alpha_direct("square", "perimeter", "all", table=tab, normalise="perimeter")
    assert abs(est.value) < 1e-9
    est = alpha_direct("square", "hull", "all", table=tab, normalise="perimeter")
    assert 0 < est.value < 0.5  # holes only matter near x_c: a positive exponent
    assert tab.lattice is LATTICES["square"]
    tab3 = simulate_interface(LATTICES["simple_cubic"], size=16, samples=2, seed=1, progress=False)
    r_h, _ = tab3.per_nm_site("hull", "largest")
    r_p, _ = tab3.per_nm_site("perimeter", "largest")
    np.testing.assert_allclose(r_h, r_p, rtol=0.02)  # 3D: the hull is (almost) all the perimeter


def test_bad_input():
    with pytest.raises(ValueError, match="nu"):
        alpha_exponent(1.9, 1.75, -1.0)
    with pytest.raises(ValueError, match="definition"):
        heuristic_alpha(2, "skin")
    with pytest.raises(ValueError, match="definition"):
        heuristic_alpha(2, "mass")  # not an interface observable
    with pytest.raises(ValueError, match="lattice"):
        interface_sites(np.ones((4, 4), dtype=bool), "hull", lattice="triangular")
    with pytest.raises(ValueError, match="near"):
        alpha_direct("square", near=0.0)
    with pytest.raises(ValueError, match="dim"):
        heuristic_alpha(4)
    with pytest.raises(ValueError, match="lattice"):
        simulate_interface("bcc", size=8, samples=2)
    with pytest.raises(ValueError, match="x_values"):
        simulate_interface("square", x_values=[0.2, 1.2], size=8, samples=2)
    with pytest.raises(ValueError, match="clusters"):
        interface_sites(np.ones((3, 3), dtype=bool), "hull", "some")
    tab = simulate_interface("square", x_values=[0.1, 0.2, 0.3], size=8, samples=2, seed=0, progress=False)
    with pytest.raises(ValueError, match="x_values"):
        alpha_direct("square", table=tab)
