"""Exponent and threshold estimators against literature values (docs/theory.md sec. 4), at small sizes.

Each check asks the literature value to lie within 3 of the estimator's own standard errors
(statistical + finite-size systematic), so a biased estimator or a too-small error bar fails.
"""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from lattices import LATTICES, Estimate
from lattices.exponents import correlation_length_exponent, fractal_dimension, percolation_threshold
from lattices.reference import EXPONENTS, PC_SITE
from tunnelsim import stats


@pytest.mark.parametrize("lattice,kind,size,samples", [
    ("square", "site", 64, 400),
    ("square", "bond", 64, 300),
    ("triangular", "site", 32, 300),
    ("honeycomb", "bond", 32, 300),
    ("simple_cubic", "site", 16, 200),
])
def test_percolation_threshold(lattice, kind, size, samples):
    est = percolation_threshold(lattice, size=size, samples=samples, seed=7, kind=kind, progress=False)
    assert est.agrees(3.0), est
    assert est.stderr < 0.02
    assert est.stderr > 0


def test_threshold_square_target_accuracy():
    est = percolation_threshold(LATTICES["square"], size=64, samples=600, seed=3, progress=False)
    assert abs(est.value - PC_SITE["square"].value) / PC_SITE["square"].value < 0.003
    assert isinstance(est, Estimate) and isinstance(est, stats.Estimate)
    _, ax = est.plot()
    assert "wrapping" in ax.get_ylabel()


def test_mass_dimension_2d():
    est = fractal_dimension("square", "mass", sizes=[16, 32, 64, 128], samples=300, seed=1, progress=False)
    assert est.agrees(3.0), est
    assert est.deviation() < 0.02
    _, ax = est.plot()
    assert ax.get_xscale() == "log"


def test_hull_dimension_2d():
    est = fractal_dimension("square", "hull", sizes=[16, 32, 64, 128], samples=300, seed=2, progress=False)
    assert est.agrees(3.0), est
    assert est.deviation() < 0.03


def test_mass_dimension_3d():
    est = fractal_dimension("simple_cubic", "mass", sizes=[6, 8, 12, 16, 24], samples=200, seed=3, progress=False)
    assert est.agrees(3.0), est


def test_mass_dimension_other_lattices_agree_universality():
    est = fractal_dimension("triangular", "mass", sizes=[16, 32, 64], samples=200, seed=4, progress=False)
    assert est.agrees(3.0), est


def test_nu_2d():
    est = correlation_length_exponent("square", sizes=[16, 32, 64], samples=500, seed=5, progress=False)
    assert est.agrees(3.0), est
    assert est.stderr < 0.3


def test_bad_input():
    with pytest.raises(ValueError, match="sizes"):
        fractal_dimension("square", sizes=[16, 32], samples=2, progress=False)
    with pytest.raises(ValueError, match="sizes"):
        fractal_dimension("square", sizes=[2, 4, 8], samples=2, progress=False)
    with pytest.raises(ValueError, match="kind"):
        fractal_dimension("square", kind="volume")
    with pytest.raises(ValueError, match="lattice"):
        fractal_dimension("honeycomb", kind="hull", sizes=[8, 16, 32])
    with pytest.raises(ValueError, match="lattice"):
        percolation_threshold("diamond")
    with pytest.raises(ValueError, match="p"):
        fractal_dimension("square", sizes=[8, 16, 32], samples=2, p=1.5)
    with pytest.raises(ValueError, match="periodic"):
        fractal_dimension("square", "hull", sizes=[8, 16, 32], samples=2, periodic=True)
    with pytest.raises(ValueError, match="method"):
        percolation_threshold("triangular", method="universal")
    with pytest.raises(ValueError, match="size"):
        percolation_threshold("square", size=8)
    with pytest.raises(ValueError, match="sizes"):
        correlation_length_exponent("square", sizes=[8, 16])
    with pytest.raises(ValueError, match="which"):
        correlation_length_exponent("square", which="one")
    with pytest.raises(TypeError, match="periodic"):
        fractal_dimension("square", sizes=[8, 16, 32], samples=2, periodic="no")
    with pytest.raises(ValueError, match="n_boot"):
        percolation_threshold("square", size=16, samples=20, n_boot=1)


def test_perimeter_dimension_on_the_triangular_lattice():
    # the perimeter scales like the mass on any lattice: D_s = D = 91/48 (open boxes, small sizes: loose)
    est = fractal_dimension("triangular", "perimeter", sizes=[16, 32, 64], samples=60, seed=6, progress=False)
    assert est.name == "D_s" and est.reference is EXPONENTS[2]["surface"]
    assert est.data["periodic"] is False
    assert est.agrees(3.0) and abs(est.value - 91 / 48) < 0.15, est


def test_seeded_estimates_are_reproducible():
    a = fractal_dimension("square", sizes=[8, 16, 32], samples=20, seed=9, progress=False)
    b = fractal_dimension("square", sizes=[8, 16, 32], samples=20, seed=9, progress=False)
    assert a.value == b.value and np.isfinite(a.stderr)
