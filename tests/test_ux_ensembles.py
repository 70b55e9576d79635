"""Ensembles as data: C(T) from the kept levels against a Schottky sum written here, the truncation warning,
to_xarray, a short repr, and the warning when Delta0_eff is nearly empty; p_c of a user's networkx graph."""

from __future__ import annotations

import math
import warnings

import networkx as nx
import numpy as np
import pytest

import lattices
from clusters.ensembles import EnsembleSpec, run_ensemble


def schottky(levels, t):
    """Independent C(T) of one system with the given levels (K): a plain loop over the Boltzmann sums."""
    out = []
    for ti in t:
        w = [math.exp(-(e - min(levels)) / ti) for e in levels]
        z = sum(w)
        m1 = sum(wi * e for wi, e in zip(w, levels)) / z
        m2 = sum(wi * e * e for wi, e in zip(w, levels)) / z
        out.append((m2 - m1 * m1) / ti**2)
    return np.array(out)


@pytest.fixture(scope="module")
def small():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return run_ensemble(EnsembleSpec(3, j0=0.5), 30, block_size=15, progress=False, levels=8)


def test_heat_capacity_against_an_independent_schottky_sum(small):
    t = np.array([0.02, 0.1, 0.5, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # all 2^3 = 8 levels kept: no truncation warning
        c = small.heat_capacity(t)
    ref = np.mean([schottky(list(np.asarray(row)), t) for row in small.levels], axis=0)
    np.testing.assert_allclose(c, ref, rtol=1e-10)
    assert small.heat_capacity(t, per_cluster=True).shape == (30, 4)
    with pytest.raises(ValueError, match="T"):
        small.heat_capacity([-1.0])


def test_truncation_warning_names_the_temperature():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ens = run_ensemble(EnsembleSpec(6), 20, block_size=20, progress=False, levels=3)
    with pytest.warns(RuntimeWarning, match="only 3 levels were kept; above T ="):
        ens.heat_capacity([0.01, 10.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ens.heat_capacity([1e-3])  # far below the kept levels: exact, no warning


def test_to_xarray_and_repr(small):
    ds = small.to_xarray()
    assert ds["levels"].dims == ("cluster", "level") and ds.sizes["cluster"] == 30
    np.testing.assert_array_equal(ds["gap"].values, small.gap)
    coherent = ds["coherent"].values
    assert np.all(np.isnan(ds["log10_d0_eff"].values[~coherent]))
    assert len(repr(small)) < 300 and "array" not in repr(small) and "N = 3" in repr(small)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        again = run_ensemble(EnsembleSpec(3, j0=0.5), 30, block_size=15, progress=False, levels=8)
    assert again == small  # value equality; the same seed gives the same ensemble
    again.gap[0] += 1e-9
    assert again != small


def test_nearly_empty_delta0_eff_is_warned():
    with pytest.warns(RuntimeWarning, match="Delta0_eff .* nearly empty"):
        ens = run_ensemble(EnsembleSpec(8), 40, block_size=20, progress=False)
    assert int(np.sum(ens.coherent)) < 10


def test_graph_threshold_of_a_square_grid_graph():
    est = lattices.graph_threshold(nx.grid_2d_graph(48, 48), samples=60, seed=2, progress=False)
    assert abs(est.value - 0.592746) < 2 * est.stderr, est  # Newman and Ziff 2000
    assert 0 < est.stderr < 0.05
    fig, ax = est.plot()
    assert "largest cluster" in ax.get_ylabel()


def test_graph_threshold_bond_and_bad_input():
    est = lattices.graph_threshold(nx.grid_2d_graph(32, 32), kind="bond", samples=40, seed=1, progress=False)
    assert abs(est.value - 0.5) < 2 * est.stderr, est  # bond p_c of the square lattice is exactly 1/2
    with pytest.raises(TypeError, match="graph must be a networkx Graph"):
        lattices.graph_threshold([(0, 1)])
    with pytest.raises(ValueError, match="at least 4 nodes"):
        lattices.graph_threshold(nx.path_graph(3))
