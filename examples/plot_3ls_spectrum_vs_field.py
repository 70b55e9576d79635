"""Question: how does the ATS (3LS) spectrum change with the magnetic field?

``tunnelsim.field_spectrum`` takes the field B in tesla, the area S of the tunneling loop, the angle between B and
the loop's normal and the tunneling charge Q; it returns a SpectrumData (levels in K versus B in T) from Viete's
closed form, checked here against diagonalising the QuTiP Hamiltonian. Run:
python examples/plot_3ls_spectrum_vs_field.py [--quick] [--out FILE]
"""

import argparse
import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import tunnelsim as ts


def main(argv=None) -> int:
    """Run the example (arguments as on the command line)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", default="out/example_3ls_vs_field.png")
    args = parser.parse_args(argv)

    d0 = 0.05  # hopping, K
    energies = [0.004, -0.001, -0.003]  # well energies, K (sum zero)
    area = 2e-18  # m^2: a loop of ~1.4 nm size
    charge = 20  # a cluster of 20 charges e tunnels coherently
    fields = np.linspace(0, 5, 51 if args.quick else 501)  # tesla
    spectrum = ts.field_spectrum("3ls", fields, area=area, charge=charge, energies=energies, d0=d0)
    phi = ts.flux_phase(fields, area, charge=charge)
    exact = np.array([ts.three_level(energies, d0, p).eigenenergies() for p in phi[::10]])
    print(f"closed form vs exact diagonalisation: max |diff| = {np.abs(spectrum.energies[::10] - exact).max():.1e} K")
    print(f"flux quanta through the loop at 5 T: {phi[-1] / (2 * np.pi):.2f}")

    fig, ax = spectrum.plot(relative=True, scale=1e-3, color="C0")
    ax.set_ylabel("E - E$_0$ (mK)")
    ax.set_title(f"3LS, D0 = {d0 * 1e3:g} mK, S = {area:g} m$^2$, Q = {charge} e", fontsize=9)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    fig.savefig(args.out, dpi=120, bbox_inches="tight")
    plt.close(fig)
    print(f"figure written to {args.out}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ValueError, TypeError, OSError, MemoryError) as exc:  # bad input: one line on stderr, no traceback
        sys.exit(f"{Path(sys.argv[0]).name}: error: {exc}")
    except KeyboardInterrupt:
        sys.exit(130)
