"""Where is the minimum of delta eps'/eps and how steep are the two arms of the V?

Question answered: "at my measuring frequency, what does the standard tunneling model (plus the
ATS, optionally) predict for the temperature of the minimum and the slopes per unit ln T?"

Usage:
    python examples/dielectric_v_shape.py [--frequency 1000] [--chi-ats 0] [--quick]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from tunnelsim.dielectric import dielectric_minimum, dielectric_total, log_slope


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--frequency", type=float, default=1e3, help="Hz")
    ap.add_argument("--chi", type=float, default=1.0)
    ap.add_argument("--delta0-min", type=float, default=1e-7, help="K")
    ap.add_argument("--k-relax", type=float, default=1e8, help="K^-3 s^-1")
    ap.add_argument("--chi-ats", type=float, default=0.0)
    ap.add_argument("--d-min", type=float, default=1e-3, help="ATS D_min in K")
    ap.add_argument("--k-ats", type=float, default=1e10)
    ap.add_argument("--quick", action="store_true", help="coarser temperature grid")
    a = ap.parse_args(argv)
    kw = dict(chi=a.chi, delta0_min=a.delta0_min, k_relax=a.k_relax, chi_ats=a.chi_ats, d_min=a.d_min,
              k_ats=a.k_ats)
    tmin, vmin = dielectric_minimum(a.frequency, (1e-4, 10.0), 80 if a.quick else 200, **kw)
    t = np.geomspace(tmin / 40, min(tmin * 40, 10.0), 40 if a.quick else 120)
    v = dielectric_total(t, a.frequency, **kw)
    lo = log_slope(t, v, tmin / 30, tmin / 5)
    hi = log_slope(t, v, tmin * 5, min(tmin * 30, 10.0))
    print(f"f = {a.frequency:g} Hz: minimum at T = {tmin * 1e3:.2f} mK")
    print(f"slope below = {lo:.3f}, slope above = {hi:.3f} (per unit ln T, units of chi); ratio {lo / hi:.2f}:1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
