"""Multi-well systems on a polyhedron in a field (docs/theory.md sec. 1.5) against independent references.

References written here: the Peierls phase as a numerical line integral of the vector potential, the flux
through each face from its normal and area, scipy.constants for h/e, the complete graph K4's spectrum,
three_level / four_level (straight diagonal) as the triangle and the square.
"""

import networkx as nx
import numpy as np
import pytest
import scipy.constants as sc
from hypothesis import given, settings
from hypothesis import strategies as st

from tunnelsim import (
    four_level,
    loop_phase,
    multiwell,
    multiwell_field_spectrum,
    multiwell_orientation_average,
    polygon_positions,
    sphere_directions,
    tetrahedron_positions,
    three_level,
    wells_from_graph,
)

PHI0 = sc.h / sc.e
SQUARE_EDGES = [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2), (1, 3)]
K4_EDGES = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]  # the default edge order: every pair


def line_integral_phase(ra, rb, field, charge, origin, n=64):
    """(Q/hbar) int_ra^rb A.dl with A = B x (r - r0)/2, by Gauss-Legendre quadrature."""
    x, w = np.polynomial.legendre.leggauss(n)
    s = (x + 1) / 2
    pts = ra + np.outer(s, rb - ra)
    a = 0.5 * np.cross(field, pts - origin)
    return charge * sc.e / sc.hbar * np.sum(w / 2 * (a @ (rb - ra)))


def reference_matrix(r, energies, hops, edges, field, charge, origin):
    h = np.diag(np.asarray(energies, dtype=complex))
    for (a, b), t in zip(edges, hops):
        h[a, b] = t * np.exp(1j * line_integral_phase(r[a], r[b], field, charge, origin))
        h[b, a] = np.conj(h[a, b])
    return h


traceless3 = st.lists(st.floats(-1, 1), min_size=3, max_size=3).map(lambda v: np.array(v) - np.mean(v))


@settings(max_examples=40, deadline=None)
@given(traceless3, st.floats(0.05, 2), st.floats(-30, 30), st.floats(0, np.pi), st.sampled_from([1, -1, 2, 20]))
def test_triangle_is_three_level_with_its_sign_of_the_flux(e, d0, b, theta, q):
    area = 3e-18
    field = b * np.array([np.sin(theta), 0.0, np.cos(theta)])
    phi = 2 * np.pi * b * area * np.cos(theta) * q / PHI0  # paper: phi = 2 pi B S cos(theta) Q / h
    h = multiwell(polygon_positions(3, area), e, d0, field=field, charge=q).full()
    np.testing.assert_allclose(h, three_level(e, d0, phi).full(), atol=1e-13)
    assert np.angle(h[0, 1]) == pytest.approx(np.angle(np.exp(1j * phi / 3)), abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-1, 1), min_size=4, max_size=4).map(lambda v: np.array(v) - np.mean(v)),
       st.floats(0.05, 2), st.floats(0.0, 3), st.floats(-40, 40))
def test_square_with_its_diagonals_is_the_straight_four_level(e, d1, d2, b):
    area = 2e-18
    phi = 2 * np.pi * b * area / PHI0
    h = multiwell(polygon_positions(4, area), e, [d1] * 4 + [d2] * 2, edges=SQUARE_EDGES, field=(0, 0, b),
                  allow_negative_hopping=d2 == 0).full()
    np.testing.assert_allclose(h, four_level(e, d1, d2, phi, "straight").full(), atol=1e-13)


def test_phases_are_the_line_integral_of_the_vector_potential():
    rng = np.random.default_rng(5)
    r = rng.normal(size=(5, 3)) * 1e-9
    e = rng.normal(size=5)
    e -= e.mean()
    edges = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0), (0, 2), (1, 4)]
    hops = rng.uniform(0.2, 1.0, len(edges))
    field, origin = np.array([300.0, -200.0, 500.0]), np.array([1e-9, 2e-9, -1e-9])
    h = multiwell(r, e, hops, edges=edges, field=field, charge=-2, gauge_origin=origin).full()
    np.testing.assert_allclose(h, reference_matrix(r, e, hops, edges, field, -2, origin), atol=1e-12)
    assert np.allclose(h, h.conj().T)


def test_gauge_invariance_by_shifting_the_origin_and_faces_carry_their_flux():
    r = tetrahedron_positions(8e-9)
    e = np.array([0.02, -0.01, 0.03, -0.04])
    field = np.array([20.0, -35.0, 50.0])
    h0 = multiwell(r, e, 1.0, field=field, charge=3).full()
    for shift in ([1e-8, 0, 0], [0, -3e-9, 7e-9]):
        h1 = multiwell(r, e, 1.0, field=field, charge=3, gauge_origin=shift).full()
        assert np.max(np.abs(h1 - h0)) > 1e-3  # a different gauge ...
        np.testing.assert_allclose(np.linalg.eigvalsh(h1), np.linalg.eigvalsh(h0), atol=1e-13)  # ... same levels
        np.testing.assert_allclose(np.abs(h1), np.abs(h0), atol=1e-14)
    # every face: the loop product is exp(i 2 pi Q B.n S / Phi0), n the normal for the loop's orientation
    for face in ([0, 1, 2], [0, 3, 1], [1, 3, 2], [0, 2, 3]):
        a, b, c = r[face]
        vector_area = 0.5 * np.cross(b - a, c - a)
        flux_phase = 2 * np.pi * 3 * field @ vector_area / PHI0
        product = h0[face[0], face[1]] * h0[face[1], face[2]] * h0[face[2], face[0]]
        assert np.angle(product) == pytest.approx(np.angle(np.exp(1j * flux_phase)), abs=1e-12)
        assert loop_phase(r, face, field, charge=3) == pytest.approx(flux_phase, rel=1e-12)


def test_tetrahedron_ground_level_is_a_triplet_at_zero_field():
    """Complete graph K4 with t > 0: H = t (J - 1), levels 3t once and -t three times."""
    t = 0.7
    lev = np.linalg.eigvalsh(multiwell(tetrahedron_positions(), np.zeros(4), t).full())
    np.testing.assert_allclose(lev, [-t, -t, -t, 3 * t], atol=1e-14)


@pytest.mark.parametrize("direction", [(0, 0, 1), (1, 1, 1), (1, 0, 0), (0.3, 0.5, 0.8), (1, -2, 0.5)])
def test_field_splits_the_triplet_isotropically_at_first_order(direction):
    """-t -+ t phi_f / sqrt3 (phi_f: face flux phase at |B| along a face normal); middle level
    -t + t phi_f^2 (2 sum n^4 - 1) / 12 (n in the cube frame of the tetrahedron)."""
    t, edge = 1.0, 1e-8
    face_area = np.sqrt(3) / 4 * edge**2
    phi_f = 1e-3
    b = phi_f * PHI0 / (2 * np.pi * face_area)
    n = np.asarray(direction, float) / np.linalg.norm(direction)
    lev = multiwell_field_spectrum(tetrahedron_positions(edge), np.zeros(4), t, [b], direction=n).energies[0]
    assert (lev[2] - lev[0]) / 2 == pytest.approx(t * phi_f / np.sqrt(3), rel=1e-5)
    assert lev[1] + t == pytest.approx(t * phi_f**2 * (2 * np.sum(n**4) - 1) / 12, abs=1e-9 * phi_f**2 + 1e-15)
    # spectra are even in B (H(-B) = H(B)*)
    back = multiwell_field_spectrum(tetrahedron_positions(edge), np.zeros(4), t, [-b], direction=n).energies[0]
    np.testing.assert_allclose(back, lev, atol=1e-14)


def test_field_spectrum_equals_the_builder_and_carries_operators():
    r = tetrahedron_positions(1e-8)
    e = [0.05, -0.02, 0.0, -0.03]
    fields = np.linspace(0, 150, 4)
    s = multiwell_field_spectrum(r, e, 1.0, fields, direction=(1, 2, 2), operators=["P1", "dipole_z"],
                                 keep_states=True, charge=2)
    n = np.array([1, 2, 2]) / 3
    for k, b in enumerate(fields):
        ref = reference_matrix(r, e, [1.0] * 6, K4_EDGES, b * n, 2, r.mean(axis=0))
        np.testing.assert_allclose(s.energies[k], np.linalg.eigvalsh(ref), atol=1e-13)
    assert s.parameter == "B" and s.unit == "T" and s.states.shape == (4, 4, 4)
    z = r[:, 2] - r[:, 2].mean()
    np.testing.assert_allclose(np.real(np.trace(s.matrix_elements["dipole_z"], axis1=1, axis2=2)), 2 * z.sum(),
                               atol=1e-22)


def test_orientation_average_and_directions():
    d = sphere_directions(200)
    np.testing.assert_allclose(np.linalg.norm(d, axis=1), 1.0)
    assert np.all(np.abs(d.mean(axis=0)) < 0.01)
    r = tetrahedron_positions(1e-8)
    fields = [0.0, 60.0]
    one = multiwell_orientation_average(r, np.zeros(4), 1.0, fields, n_directions=1)
    ref = multiwell_field_spectrum(r, np.zeros(4), 1.0, fields, direction=sphere_directions(1)[0])
    np.testing.assert_allclose(one.energies, ref.energies)
    avg = multiwell_orientation_average(r, np.zeros(4), 1.0, fields, n_directions=30)
    np.testing.assert_allclose(avg.energies.sum(axis=1), 0.0, atol=1e-12)  # traceless for every direction
    assert avg.metadata["max_spread_K"] > 0


def test_networkx_graph_route():
    g = nx.Graph()
    for a, p in enumerate(polygon_positions(4, 2e-18)):
        g.add_node(f"w{a}", pos=tuple(p), energy=[0.1, -0.04, -0.06, 0.0][a])
    for a, b in SQUARE_EDGES:
        g.add_edge(f"w{a}", f"w{b}", hopping=1.0 if (a, b) in SQUARE_EDGES[:4] else 2.0)
    args = wells_from_graph(g)
    assert args.pop("nodes") == ["w0", "w1", "w2", "w3"]
    h = multiwell(**args, field=(0, 0, 50.0)).full()
    phi = 2 * np.pi * 50.0 * 2e-18 / PHI0
    np.testing.assert_allclose(h, four_level([0.1, -0.04, -0.06, 0.0], 1.0, 2.0, phi, "straight").full(), atol=1e-13)
    g.add_node("w4")
    with pytest.raises(ValueError, match="'pos'"):
        wells_from_graph(g)


def test_bad_input_is_refused_naming_the_parameter():
    r = tetrahedron_positions()
    with pytest.raises(ValueError, match="positions must be distinct"):
        multiwell([[0, 0, 0], [0, 0, 0], [1e-9, 0, 0]], np.zeros(3), 1.0)
    with pytest.raises(ValueError, match="edges must be pairs"):
        multiwell(r, np.zeros(4), 1.0, edges=[(0, 4)])
    with pytest.raises(ValueError, match="each pair once"):
        multiwell(r, np.zeros(4), 1.0, edges=[(0, 1), (1, 0)])
    with pytest.raises(ValueError, match="hoppings must be one number or one per edge"):
        multiwell(r, np.zeros(4), [1.0, 2.0])
    with pytest.raises(ValueError, match="hoppings must be > 0"):
        multiwell(r, np.zeros(4), -1.0)
    with pytest.raises(ValueError, match="energies must sum to zero"):
        multiwell(r, [1, 0, 0, 0], 1.0)
    with pytest.raises(ValueError, match="field must have shape"):
        multiwell(r, np.zeros(4), 1.0, field=1.0)
    with pytest.raises(ValueError, match="charge must be non-zero"):
        multiwell(r, np.zeros(4), 1.0, charge=0)
    with pytest.raises(ValueError, match="direction must be a non-zero vector"):
        multiwell_field_spectrum(r, np.zeros(4), 1.0, [1.0], direction=(0, 0, 0))
    with pytest.raises(ValueError, match="loop must list at least 3"):
        loop_phase(r, [0, 1], (0, 0, 1))


def test_regression_overflowing_phase_is_refused():
    """charge = 5.7e307 gave an infinite Peierls phase silently."""
    from tunnelsim import peierls_phases

    with pytest.raises(ValueError, match="non-finite Peierls phase"):
        peierls_phases(tetrahedron_positions(1e-8), (1.0, 2.0, 3.0), charge=1e308)
    with pytest.raises(ValueError, match="non-finite Peierls phase"):
        multiwell(tetrahedron_positions(1e-8), np.zeros(4), 1.0, field=(1e300, 0, 0), charge=1e20)
    assert np.all(np.isfinite(peierls_phases(tetrahedron_positions(1e-8), (1.0, 2.0, 3.0), charge=1e12)))
