"""The configuration energies D of eq. (3.1) built in parallel rows (clusters/diagonal.py) against the direct sum
over every configuration, written here: sum_i E^i_{a_i} + sum_{i<j} J_ij W(a_i, a_j), particle 0 the most
significant digit."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import clusters.diagonal as diagonal
from clusters.hamiltonians import configuration_energies, configuration_rows


def _direct(wells, couplings, pair):
    n, d = wells.shape
    out = []
    for a in itertools.product(range(d), repeat=n):  # the first digit is particle 0
        e = sum(wells[i, a[i]] for i in range(n))
        e += sum(couplings[i, j] * pair[a[i], a[j]] for i in range(n) for j in range(i + 1, n))
        out.append(e)
    return np.array(out)


def _random(n, d, seed):
    rng = np.random.default_rng(seed)
    wells = rng.normal(size=(n, d))
    j = np.triu(rng.normal(size=(n, n)), 1)
    pair = rng.normal(size=(d, d))
    return wells, j + j.T, pair + pair.T


@pytest.mark.parametrize("d, n", [(2, 1), (2, 5), (2, 9), (3, 4), (3, 6)])
def test_rows_match_the_direct_sum_at_every_depth(monkeypatch, d, n):
    """A tiny low block (8 states) forces rows, rows of rows and a high part of one particle or none."""
    monkeypatch.setattr(diagonal, "LOW_STATES", 8)
    wells, couplings, pair = _random(n, d, seed=10 * d + n)
    assert np.allclose(diagonal.energies(wells, couplings, pair), _direct(wells, couplings, pair), atol=1e-12)


def test_the_public_builder_matches_the_direct_sum_across_the_row_size():
    """N = 13 two-level particles: one high particle above the default low block of 2^12 states."""
    wells, couplings, pair = _random(13, 2, seed=3)
    assert diagonal.low_particles(2) == 12
    assert np.allclose(configuration_energies(wells, couplings, pair), _direct(wells, couplings, pair), atol=1e-11)


@pytest.mark.parametrize("d, n, m", [(2, 5, 0), (2, 5, 3), (2, 6, 6), (3, 4, 2), (3, 5, 1)])
def test_row_tables_give_every_row_and_the_largest_energy(d, n, m):
    """Rows of the last m particles (none, some, all): each built alone, all together, and max |D| without them."""
    wells, couplings, pair = _random(n, d, seed=7 * n + m)
    direct = _direct(wells, couplings, pair)
    rows = diagonal.row_tables(wells, couplings, pair, m)
    assert rows.dim == d**n and rows.size == d**m
    buf, row = np.empty(d * m + 1), np.empty(d**m)
    for h in range(d ** (n - m)):
        diagonal.row_energies(row, h, *rows, buf)
        assert np.allclose(row, direct[h * d**m:(h + 1) * d**m], atol=1e-12)
    assert np.allclose(rows.energies(), direct, atol=1e-12)
    assert rows.max_abs() == pytest.approx(np.max(np.abs(direct)), abs=1e-12)


def test_configuration_rows_check_the_row_size():
    wells, couplings, pair = _random(4, 2, seed=1)
    with pytest.raises(ValueError, match="m"):
        configuration_rows(wells, couplings, pair, 5)
    assert np.allclose(configuration_rows(wells, couplings, pair, 2).energies(), _direct(wells, couplings, pair))
