"""The lattices demo in quick mode writes its figures and tables and returns well-formed claims."""

from tunnelsim.studies.percolation import run
from tunnelsim.studies.report import Claim


def test_demo_quick(tmp_path):
    claims = run(tmp_path, quick=True)
    assert len(claims) >= 10
    for c in claims:
        assert isinstance(c, Claim)
        assert c.claim and c.result and c.where.startswith("lattices.")
        assert any(ch.isdigit() for ch in c.result)
        if c.figure:
            assert (tmp_path / c.figure).stat().st_size > 5000
    for name in ("lattices_cluster_hull.png", "lattices_wrapping_probability.png", "lattices_fractal_fits.png",
                 "lattices_alpha_comparison.png", "lattices_exponents.csv", "lattices_alpha.csv",
                 "lattices_interface_2d.csv", "lattices_interface_3d.csv"):
        assert (tmp_path / name).exists(), name
    # the claims cover the exponents asked for
    text = " ".join(c.claim for c in claims)
    for key in ("p_c", "91/48", "7/4", "nu", "alpha", "3D"):
        assert key in text
    # a second run reuses the cache
    again = run(tmp_path, quick=True)
    assert [c.result for c in again] == [c.result for c in claims]
