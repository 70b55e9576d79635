"""How does a magnetic field change the dielectric constant of the ATS? eps(T, B) of exact three-level systems.

Question answered: "for ATS of a given size (flux-threaded area S, charge Q), by how much does delta eps'/eps
move at my temperature when I apply B?" (beyond the paper; docs/theory.md sec. 6b). Each ATS drawn from the
distribution of docs/theory.md sec. 2 is diagonalised exactly in the field; the resonant part comes from all level
pairs, the relaxational part from the thermal fluctuation of the dipole with the ATS relaxation time. Results in
units of chi_ats = P* p*^2/(3 eps0 eps_r D_min), so that B = 0 gives the effective-2LS ATS term of
tunnelsim.dielectric_ats_parts. The magnetocapacitance is printed as a measurement gives it,
[eps'(T, B) - eps'(T, 0)]/eps_r (tunnelsim.magnetocapacitance): the B = 0 curve subtracted once, so the change of
the T -> 0 van Vleck polarizability with B (printed apart) is part of it.

Usage:
    python examples/magnetocapacitance.py [--area 1e-18] [--charge 2] [--fields 0,0.1,1,10] [--quick] [--plot fig.png]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import tunnelsim as ts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--area", type=float, default=1e-18, help="flux-threaded area S in m^2 (default 1 nm^2)")
    ap.add_argument("--charge", type=float, default=2.0, help="tunneling charge Q in units of e")
    ap.add_argument("--fields", default="0,0.1,1,10", help="comma-separated fields in T")
    ap.add_argument("--frequency", type=float, default=1e3, help="Hz")
    ap.add_argument("--k-ats", type=float, default=1e10, help="ATS relaxation constant K* in K^-3 s^-1")
    ap.add_argument("--systems", type=int, default=20000, help="ATS in the ensemble")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--plot", default=None, help="save delta eps'/eps_r versus T here (PNG)")
    ap.add_argument("--quick", action="store_true", help="2000 systems, 4 orientations")
    a = ap.parse_args(argv)
    fields = [float(b) for b in a.fields.split(",") if b.strip()]
    if 0.0 not in fields:
        fields = [0.0, *fields]  # the reference of the magnetocapacitance
    n = 2000 if a.quick else a.systems
    t = np.geomspace(2e-3, 0.5, 12 if a.quick else 30)
    sample = ts.sample_ats(n, a.seed, d_min=0.01, d_max=1.0, d0_min=20.0, d0_max=200.0)
    r = ts.dielectric_ats_field(t, a.frequency, fields, sample, a.k_ats, area=a.area, charge=a.charge,
                                n_theta=4 if a.quick else 8, seed=a.seed)
    zero = fields.index(0.0)
    mc = r["total"] - r["total"][zero]  # = tunnelsim.magnetocapacitance: one set of orientations, B = 0 subtracted
    print(f"{n} exact 3LS (gaps 0.01-1 K, D0 20-200 K), S = {a.area:g} m^2, Q = {a.charge:g} e, "
          f"f = {a.frequency:g} Hz; units of chi_ats")
    print("magnetocapacitance [eps'(T, B) - eps'(T, 0)]/eps_r:")
    print(f"{'T (mK)':>8s}" + "".join(f"{f'B = {b:g} T':>12s}" for b in fields))
    for i in range(0, t.size, max(1, t.size // 6)):
        print(f"{t[i] * 1e3:8.2f}" + "".join(f"{mc[j, i]:12.4f}" for j in range(len(fields))))
    print(f"{'of which the T -> 0 van Vleck change':>8s}: "
          + ", ".join(f"{r['van_vleck'][j, 0]:+.4f} ({b:g} T)" for j, b in enumerate(fields)))
    eff = ts.dielectric_ats_parts(t, a.frequency, 1.0, 0.01, a.k_ats, 1.0)["total"]
    dev = np.max(np.abs(r["total"][zero] - eff))
    print(f"B = 0 against the effective-2LS ATS term (tunnelsim.dielectric_ats_parts): largest difference "
          f"{dev:.3f} chi_ats (sampling noise)")
    if a.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(5.8, 4.2), layout="constrained")
        for j, b in enumerate(fields):
            if j != zero:
                line, = ax.semilogx(t, mc[j], label=f"B = {b:g} T")
                ax.axhline(r["van_vleck"][j, 0], color=line.get_color(), ls=":", lw=1)
        ax.axhline(0.0, color="k", lw=0.5)
        ax.set_xlabel("T (K)")
        ax.set_ylabel(r"$[\varepsilon'(T,B) - \varepsilon'(T,0)]/\varepsilon_r$ (units of $\chi_\mathrm{ats}$)")
        ax.set_title(r"magnetocapacitance of exact 3LS ATS (dotted: $T\to0$ van Vleck change)", fontsize=9)
        ax.legend(fontsize=8)
        fig.savefig(a.plot, dpi=120)
        print(f"figure written to {a.plot}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ValueError, TypeError, OSError, MemoryError) as exc:  # bad input: one line on stderr, no traceback
        sys.exit(f"{Path(sys.argv[0]).name}: error: {exc}")
    except KeyboardInterrupt:
        sys.exit(130)
