"""Nothing lost or silent: size ceilings, memory estimates before allocation, checked kernels, conventions.

Every cost parameter (box sizes, sample and resample counts) gets every bad value of the property
engine; the memory checks are exercised with a small budget (the refusal comes before the
allocation, so these tests allocate nothing large); each numeric fix has a regression test at the
edge it failed on.
"""

from __future__ import annotations

import contextlib
import tracemalloc

import networkx as nx
import numpy as np
import pytest
from property_engine import BAD_VALUES, judge
from property_examples_lattices import COST_PARAMETERS, EXAMPLES

import lattices as lt
import tunnelsim.memory as memory
from lattices import _kernels

#: every bad value at every cost parameter; None where it is valid means the estimator's default sizes (a
#: legitimate computation of seconds to minutes, exercised by the demo), so it is left out here
COST_CASES = [(ex, param, kind) for ex in EXAMPLES for param in COST_PARAMETERS.get(ex.func.__name__, [])
              for kind in BAD_VALUES if kind not in ex.valid.get(param, set())]



@contextlib.contextmanager
def _peak_allocation():
    """Yield a callable giving the peak traced allocation (bytes) inside the block (numpy allocations included)."""
    tracemalloc.start()
    peak = {"bytes": 0}
    try:
        yield lambda: peak["bytes"]
    finally:
        peak["bytes"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

@pytest.mark.parametrize("example, param, kind", COST_CASES,
                         ids=[f"{e.func.__name__}:{p}:{k}" for e, p, k in COST_CASES])
def test_cost_parameters_refuse_bad_values(example, param, kind):
    failure = judge(example, param, kind, BAD_VALUES[kind])
    assert failure is None, f"{example.name}({param}={kind}): {failure}"


def test_every_cost_parameter_is_covered():
    assert set(COST_PARAMETERS) >= {"random_sites", "random_bonds", "lattice_graph", "newman_ziff",
                                    "percolation_threshold", "fractal_dimension", "correlation_length_exponent",
                                    "simulate_interface", "alpha_direct"}


# ---------------------------------------------------------------- ceilings


@pytest.mark.parametrize("call", [
    lambda: lt.box_shape("square", 50_000),
    lambda: lt.random_sites("simple_cubic", 2_000, 0.5),
    lambda: lt.lattice_graph("square", 10**6),
    lambda: lt.newman_ziff("square", 10**5, 1),
    lambda: lt.percolation_threshold("square", size=2**17, samples=20),
    lambda: lt.fractal_dimension("square", sizes=[16, 32, 10**5], samples=2),
    lambda: lt.simulate_interface("simple_cubic", size=2_000, samples=2),
])
def test_boxes_above_the_site_ceiling_are_refused_at_once(call):
    with _peak_allocation() as peak, pytest.raises(ValueError, match="size"):
        call()
    assert peak() < 64 * 2**20  # refused before any box was allocated (numpy reports to tracemalloc)


@pytest.mark.parametrize("call, name", [
    (lambda: lt.newman_ziff("square", 4, 10**8), "samples"),
    (lambda: lt.fractal_dimension("square", sizes=[4, 5, 6], samples=10**8), "samples"),
    (lambda: lt.simulate_interface("square", size=8, samples=10**8), "samples"),
    (lambda: lt.percolation_threshold("square", size=16, samples=20, n_boot=10**6), "n_boot"),
    (lambda: lt.correlation_length_exponent("square", sizes=[4, 8, 16], samples=10, n_boot=10**6), "n_boot"),
])
def test_sample_counts_have_a_ceiling(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ---------------------------------------------------------------- memory estimates before allocation


@pytest.fixture
def one_gib(monkeypatch):
    """Pretend 1 GiB is available (budget 0.8 GiB)."""
    monkeypatch.setattr(memory, "available_memory_bytes", lambda: 2.0**30)


@pytest.mark.parametrize("call, name", [
    (lambda: lt.random_sites("square", 12_000, 0.5), "size"),  # 1.2 GiB of uniforms
    (lambda: lt.random_bonds("simple_cubic", 400, 0.5), "size"),
    (lambda: lt.lattice_graph("square", 1_200), "size"),  # ~1.3 GiB of networkx dicts
    (lambda: lt.box_shape("square", 12_000) and lt.LATTICES["square"].bonds((12_000, 12_000)), "shape"),
    (lambda: lt.newman_ziff("square", 5_000, 1), "size"),
    (lambda: lt.newman_ziff("square", 1_500, 20, track_largest=True, chunks=20), "size"),
    (lambda: lt.percolation_threshold("square", size=5_000, samples=20), "size"),
    (lambda: lt.correlation_length_exponent("square", sizes=[16, 32, 5_000], samples=10), "size"),
    (lambda: lt.fractal_dimension("square", sizes=[16, 32, 3_000], samples=2), "sizes"),
    (lambda: lt.simulate_interface("square", size=4_000, samples=2), "size"),
])
def test_large_work_is_refused_before_allocation(one_gib, call, name):
    with _peak_allocation() as peak, pytest.raises(memory.MemoryBudgetError, match="GiB") as info:
        call()
    assert name in str(info.value) and "available" in str(info.value)
    assert peak() < 64 * 2**20  # refused before any sweep or allocation (no timing: a loaded machine is slow)


def test_labelling_an_existing_large_array_is_checked(one_gib, monkeypatch):
    monkeypatch.setattr(memory, "available_memory_bytes", lambda: 0.1 * 2.0**30)
    occ = np.zeros((1_800, 1_800), dtype=bool)  # 3 MB; the union-find needs ~130 MB
    with pytest.raises(memory.MemoryBudgetError, match="occupied"):
        lt.label_sites(occ, "square", periodic=True)
    with pytest.raises(memory.MemoryBudgetError, match="mask"):
        lt.hull_sites(np.zeros((3_000, 3_000), dtype=bool))


# ---------------------------------------------------------------- kernels check their sizes


def _square_geometry(shape):
    dirs, dpar = lt.LATTICES["square"].directions()
    return np.array(shape, dtype=np.int64), dirs, dpar


def test_union_find_refuses_a_size_mismatch():
    shape, dirs, dpar = _square_geometry((4, 4))
    with pytest.raises(ValueError, match="occ"):
        _kernels.uf_label_sites(np.ones(15, dtype=bool), shape, dirs, dpar, False)  # one site short
    with pytest.raises(ValueError, match="dirs"):
        _kernels.uf_label_sites(np.ones(16, dtype=bool), shape, dirs[:, :1].copy(), dpar, False)
    with pytest.raises(ValueError, match="bonds"):
        _kernels.uf_label_bonds(np.ones((16, 3), dtype=bool), shape, dirs, dpar, False)
    labels, n = _kernels.uf_label_sites(np.ones(16, dtype=bool), shape, dirs, dpar, False)
    assert n == 1 and labels.min() == 1


def test_newman_ziff_kernels_refuse_bad_orders():
    shape, dirs, dpar = _square_geometry((4, 4))
    with pytest.raises(ValueError, match="order"):
        _kernels.nz_sites(np.arange(17, dtype=np.int64), shape, dirs, dpar, True, np.zeros(17))
    with pytest.raises(ValueError, match="order"):
        _kernels.nz_sites(np.arange(16, dtype=np.int64) + 1, shape, dirs, dpar, True, np.zeros(17))
    with pytest.raises(ValueError, match="largest"):
        _kernels.nz_sites(np.arange(16, dtype=np.int64), shape, dirs, dpar, True, np.zeros(16))
    edges, kinds = lt.LATTICES["square"].bonds((4, 4), True)
    order, largest = np.arange(len(edges), dtype=np.int64), np.zeros(len(edges) + 1)
    bad = edges.copy()
    bad[0, 1] = 16  # a site outside the box
    with pytest.raises(ValueError, match="edges"):
        _kernels.nz_bonds(order, bad, kinds, shape, dirs, True, largest)
    with pytest.raises(ValueError, match="kinds"):
        _kernels.nz_bonds(order, edges, kinds + 4, shape, dirs, True, largest)


# ---------------------------------------------------------------- conventions


def test_cache_is_a_folder(tmp_path):
    a = lt.newman_ziff("square", 6, 4, seed=3, progress=False, cache=tmp_path)
    files = list(tmp_path.glob("*.jsonl"))
    assert len(files) == 1 and files[0].parent == tmp_path
    b = lt.newman_ziff("square", 6, 4, seed=3, progress=False, cache=tmp_path)  # reused
    np.testing.assert_array_equal(a.first_wrap, b.first_wrap)
    est = lt.fractal_dimension("square", sizes=[4, 5, 6], samples=4, seed=1, progress=False, cache=str(tmp_path))
    assert est.value > 0 and len(list(tmp_path.glob("fss_*.jsonl"))) == 1
    with pytest.raises(ValueError, match="cache"):
        lt.newman_ziff("square", 6, 4, cache=files[0])  # a file, not a folder
    with pytest.raises(TypeError, match="cache"):
        lt.simulate_interface("square", size=8, samples=2, cache=3)


def test_progress_bars_only_on_a_terminal(capfd):
    lt.newman_ziff("square", 6, 4, seed=1)
    lt.fractal_dimension("square", sizes=[4, 5, 6], samples=4, seed=1)
    assert capfd.readouterr().err == ""  # pytest's stderr is no terminal: progress=None shows nothing
    with pytest.raises(TypeError, match="progress"):
        lt.newman_ziff("square", 6, 4, progress="yes")
    with pytest.raises(TypeError, match="executor"):
        lt.simulate_interface("square", size=8, samples=2, executor="pool")


def test_seeds_are_an_int_or_a_generator():
    a = lt.newman_ziff("square", 6, 5, seed=np.random.default_rng(4), progress=False)
    b = lt.newman_ziff("square", 6, 5, seed=np.random.default_rng(4), progress=False)
    np.testing.assert_array_equal(a.first_wrap, b.first_wrap)
    x = lt.random_sites("square", 8, 0.5, seed=np.random.default_rng(7))
    y = lt.random_sites("square", 8, 0.5, seed=7)
    np.testing.assert_array_equal(x, y)
    for bad in (1.5, "7", True):
        with pytest.raises(TypeError, match="seed"):
            lt.percolate_graph(nx.path_graph(3), 0.5, seed=bad)


# ---------------------------------------------------------------- regressions at the edges that failed



def test_labels_with_a_huge_value_are_refused():
    labels = np.zeros((4, 4), dtype=np.int64)
    labels[0, 0] = 10**12  # bincount would allocate 8 TB
    for f in (lt.largest_cluster, lt.cluster_size_distribution, lt.mass_radius):
        with pytest.raises(ValueError, match="labels"):
            f(labels)


def test_ragged_input_is_refused_by_our_code():
    for call, name in ((lambda: lt.label_sites([[True, False], [True]]), "occupied"),
                       (lambda: lt.largest_cluster([[1, 2], [3]]), "labels"),
                       (lambda: lt.hull_sites([[True], [True, False]]), "mask")):
        with pytest.raises(ValueError, match=name):
            call()


def test_hull_walk_needs_one_cluster():
    m = np.zeros((5, 5), dtype=bool)
    m[1, 1] = m[3, 3] = True  # two clusters: the walk used to go round the first one only
    with pytest.raises(ValueError, match="one nearest-neighbour connected cluster"):
        lt.hull_walk(m)


def test_label_graph_occupied_is_checked():
    g = nx.path_graph(4)
    with pytest.raises(TypeError, match="occupied"):
        lt.label_graph(g, True)
    with pytest.raises(ValueError, match="occupied"):
        lt.label_graph(g, [[0, 1]])  # unhashable: was a bare "unhashable type" error
    with pytest.raises(TypeError, match="occupied"):
        lt.label_graph(g, lambda v: "yes")
    assert lt.label_graph(g, [0, 1, 3]) == {0: 0, 1: 0, 3: 1}


def test_probabilities_must_be_scalars_where_one_box_is_drawn():
    with pytest.raises(TypeError, match="p"):  # was: a numpy broadcasting error
        lt.random_sites("square", 4, [0.1, 0.2])
    with pytest.raises(TypeError, match="p"):
        lt.percolate_graph(nx.path_graph(3), [0.5])


def test_alpha_direct_checks_its_table():
    tab = lt.simulate_interface("square", x_values=[0.45, 0.5, 0.55, 0.58], size=12, samples=2, seed=1,
                                progress=False)
    with pytest.raises(ValueError, match="lattice"):  # was: the square table graded against the cubic x_c
        lt.alpha_direct("simple_cubic", table=tab)
    with pytest.raises(TypeError, match="table"):
        lt.alpha_direct("square", table=tab, size=8)
    with pytest.raises(ValueError, match="near"):
        lt.alpha_direct("square", table=tab, near=1e-6)


def test_nu_refuses_a_vanishing_slope():
    with pytest.raises(ValueError, match="p"):  # was: "y must be > 0" from the power-law fit
        lt.correlation_length_exponent("square", sizes=[4, 8, 16], samples=10, p=0.0, n_boot=2, progress=False)


def test_vectorised_wrapping_probability_equals_the_binomial_sum():
    from scipy import stats

    res = lt.newman_ziff("square", 8, 30, seed=2, progress=False)
    p = np.linspace(0.3, 0.9, 7)
    n_first = res.first_event("either")
    ref = [np.mean(stats.binom.sf(n_first - 1, res.n_units, q)) for q in p]
    np.testing.assert_allclose(res.probability(p), ref, rtol=1e-12, atol=1e-15)
