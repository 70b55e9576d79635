"""The tetrahedron study: quick run, its rows (findings, nothing graded) and its new numbers against references here.

References written here, sharing no code with the toolkit: a regular tetrahedron's vertices, the Peierls phases
(e/hbar) B . (r_a x r_b) / 2 of the symmetric gauge (exact for straight bonds), numpy eigvalsh, scipy.constants for
h/e, the 3LS moment (t/sqrt3) 2 pi e S_f / h by hand, and the entropy of a set of levels from its partition function.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.constants as sc

from tunnelsim.studies.claims import Claim, Finding, FindingKind

EDGE, T = 1e-8, 1.0  # the study's tetrahedron: edge in m, hopping in K


def vertices(edge):
    v = np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]], dtype=float)
    return v * edge / (2 * np.sqrt(2))


def hamiltonian(field, edge=EDGE, t=T):
    r = vertices(edge)
    h = np.zeros((4, 4), dtype=complex)
    for a in range(4):
        for b in range(a + 1, 4):
            phase = sc.e / sc.hbar * 0.5 * np.dot(field, np.cross(r[a], r[b]))
            h[a, b] = t * np.exp(1j * phase)
            h[b, a] = np.conj(h[a, b])
    return h


def lowest_slope(direction, level=0, db=1e-3):
    n = np.asarray(direction, float) / np.linalg.norm(direction)
    e = [np.linalg.eigvalsh(hamiltonian(k * db * n))[level] for k in (0, 1, 2)]
    return -(4 * (e[1] - e[0]) - (e[2] - e[0])) / (2 * db)


def entropy(levels, temp):
    e = np.sort(levels) - np.min(levels)
    w = np.exp(-e / temp)
    p = w / w.sum()
    return -np.sum(p[p > 0] * np.log(p[p > 0]))


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    from tunnelsim.studies.polyhedron import run

    out = tmp_path_factory.mktemp("polyhedron")
    return out, run(out, quick=True)


def test_quick_run_writes_figures_and_grades_nothing(rows):
    out, result = rows
    for name in ("tetrahedron_spectrum_field", "tetrahedron_vs_3ls", "tetrahedron_entropy"):
        assert (out / f"{name}.png").stat().st_size > 1000
    # the paper defers the tetrahedral 4LS to its ref. 59: no graded row, findings only
    assert not [r for r in result if isinstance(r, Claim)]
    assert all(isinstance(r, Finding) for r in result)
    triplet = [r for r in result if r.kind is FindingKind.BEYOND_PAPER and "threefold" in r.statement]
    assert len(triplet) == 1 and "ln 3" in triplet[0].statement and triplet[0].figure == "tetrahedron_entropy.png"
    assert any(r.kind is FindingKind.IDENTITY for r in result)


def test_triplet_moment_is_the_3ls_moment_in_every_direction():
    from tunnelsim.studies.polyhedron.triplet import triplet

    dirs = np.array([[0, 0, 1], [1, 1, 1], [1, -2, 0.5], [0.3, 0.9, -0.2]], dtype=float)
    tr = triplet(1, directions=dirs)
    face = np.sqrt(3) / 4 * EDGE**2
    m3 = T / np.sqrt(3) * 2 * np.pi * sc.e * face / sc.h  # K/T: -dE0/dB of the 3LS of one face, B along its normal
    assert tr.moment_3ls == pytest.approx(m3, rel=1e-6)
    ref = np.array([lowest_slope(d) for d in dirs])
    np.testing.assert_allclose(ref, m3, rtol=1e-5)  # the independent Hamiltonian: isotropic, the 3LS's moment
    np.testing.assert_allclose(tr.moments, ref, rtol=1e-5)
    assert np.max(np.abs(tr.middle_moments)) < 1e-6 * m3
    assert np.max(np.abs([lowest_slope(d, level=1) for d in dirs])) < 1e-4 * m3


def test_triplet_degeneracy_and_entropy_ln3():
    from tunnelsim.studies.polyhedron.triplet import TEMPERATURES, triplet

    tr = triplet(2)
    lev = np.linalg.eigvalsh(hamiltonian(np.zeros(3)))
    np.testing.assert_allclose(tr.levels, lev, atol=1e-12)
    np.testing.assert_allclose(lev, [-T, -T, -T, 3 * T], atol=1e-12)  # K4: -t three times, 3t
    assert tr.degeneracy == 3 and tr.gap_above == pytest.approx(4 * T)
    ref = [entropy(lev, x * T) for x in TEMPERATURES]
    np.testing.assert_allclose(tr.entropy, ref, rtol=1e-10, atol=1e-14)
    assert tr.entropy[TEMPERATURES.index(0.2)] == pytest.approx(np.log(3), abs=1e-7)  # T well below the gap 4t
    assert tr.entropy_3ls[TEMPERATURES.index(0.2)] == pytest.approx(np.log(2), abs=1e-5)  # the 3LS: ln 2, gap 3t
    assert tr.entropy[-1] == pytest.approx(np.log(4), abs=1e-3)
    # a weak field lifts the triplet: the entropy falls below ln 3 once T << t phi_f / sqrt3
    weak = np.linalg.eigvalsh(hamiltonian(np.array([0, 0, 1.0]) * 0.05 / (2 * np.pi * sc.e / sc.h * np.sqrt(3) / 4
                                                                          * EDGE**2)))
    assert entropy(weak, 1e-3 * T) < 0.05
