"""The configuration energies D of eq. (3.1) built in parallel rows (clusters/diagonal.py) against the direct sum
over every configuration, written here: sum_i E^i_{a_i} + sum_{i<j} J_ij W(a_i, a_j), particle 0 the most
significant digit."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import clusters.diagonal as diagonal
from clusters.hamiltonians import configuration_energies


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
