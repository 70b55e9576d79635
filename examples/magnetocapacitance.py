"""How does a magnetic field change the dielectric constant of the ATS? eps(T, B) of exact three-level systems.

Question answered: "for ATS of a given size (flux-threaded area S, charge Q), by how much does delta eps'/eps
move at my temperature when I apply B?" (beyond the paper; docs/theory.md sec. 6b). Each ATS drawn from the
distribution of docs/theory.md sec. 2 is diagonalised exactly in the field; the resonant part comes from all level
pairs, the relaxational part from the thermal fluctuation of the dipole with the ATS relaxation time. Results in
units of chi_ats = P* p*^2/(3 eps0 eps_r D_min), so that B = 0 gives the effective-2LS ATS term of
tunnelsim.dielectric_ats_parts.

Usage:
    python examples/magnetocapacitance.py [--area 1e-18] [--charge 2] [--fields 0,0.1,1,10] [--quick] [--plot fig.png]
"""

from __future__ import annotations

import argparse
import sys

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
    n = 2000 if a.quick else a.systems
    t = np.geomspace(2e-3, 0.5, 12 if a.quick else 30)
    sample = ts.sample_ats(n, a.seed, d_min=0.01, d_max=1.0, d0_min=20.0, d0_max=200.0)
    r = ts.dielectric_ats_field(t, a.frequency, fields, sample, a.k_ats, area=a.area, charge=a.charge,
                                n_theta=4 if a.quick else 8, seed=a.seed)
    print(f"{n} exact 3LS (gaps 0.01-1 K, D0 20-200 K), S = {a.area:g} m^2, Q = {a.charge:g} e, "
          f"f = {a.frequency:g} Hz; delta eps'/eps_r of the ATS in units of chi_ats")
    print(f"{'T (mK)':>8s}" + "".join(f"{f'B = {b:g} T':>12s}" for b in fields))
    for i in range(0, t.size, max(1, t.size // 6)):
        print(f"{t[i] * 1e3:8.2f}" + "".join(f"{r['total'][j, i]:12.4f}" for j in range(len(fields))))
    eff = ts.dielectric_ats_parts(t, a.frequency, 1.0, 0.01, a.k_ats, 1.0)["total"]
    if 0.0 in fields:
        dev = np.max(np.abs(r["total"][fields.index(0.0)] - eff))
        print(f"B = 0 against the effective-2LS ATS term (tunnelsim.dielectric_ats_parts): largest difference "
              f"{dev:.3f} chi_ats (sampling noise)")
    if a.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(5.5, 4))
        for j, b in enumerate(fields):
            ax.semilogx(t, r["total"][j], label=f"B = {b:g} T")
        ax.semilogx(t, eff, "k--", alpha=0.5, label="effective 2LS, B = 0")
        ax.set_xlabel("T (K)")
        ax.set_ylabel("delta eps'/eps_r of the ATS (units of chi_ats)")
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(a.plot, dpi=120)
        print(f"figure written to {a.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
