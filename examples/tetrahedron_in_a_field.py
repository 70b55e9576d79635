"""Question: does a tetrahedral 4-well system behave like the 3LS in a magnetic field?

The paper defers "the tetrahedral 4LS in a magnetic field" to later work. Four wells on a regular tetrahedron with
equal hopping t on its six edges (``tunnelsim.multiwell``) have a triply degenerate ground level -t at zero field.
This example compares the three lowest levels in a weak field, for several field directions, with the 3LS on one
face (the field along its normal). Run: python examples/tetrahedron_in_a_field.py [--quick] [--out FILE]
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
    parser.add_argument("--out", default="out/example_tetrahedron.png")
    args = parser.parse_args(argv)

    t, edge, charge = 1.0, 1e-8, 1  # K, m, e
    face = np.sqrt(3) / 4 * edge**2  # m^2
    b_quantum = ts.FLUX_QUANTUM / face  # T: one flux quantum through a face at normal incidence
    fields = np.linspace(0, 0.1 * b_quantum, 21 if args.quick else 201)
    positions = ts.tetrahedron_positions(edge)
    print("zero-field levels (K):", np.round(ts.multiwell(positions, np.zeros(4), t).eigenenergies(), 12) + 0.0)

    fig, ax = plt.subplots(figsize=(6, 4))
    for direction, color in (((0, 0, 1), "C0"), ((1, 1, 1), "C1"), ((1, -2, 0.5), "C2")):
        s = ts.multiwell_field_spectrum(positions, np.zeros(4), t, fields, direction=direction, charge=charge)
        lines = ax.plot(fields, s.energies[:, :3] + t, color=color)
        lines[0].set_label(f"tetrahedron, B along {direction}")
        weak = 1e-3 * b_quantum / (2 * np.pi)  # a face flux phase of 1e-3 rad
        e0 = ts.multiwell_field_spectrum(positions, np.zeros(4), t, [weak], direction=direction, charge=charge).energies
        slope = -(e0[0, 0] + t) / 1e-3
        print(f"B along {direction}: ground level moves by {slope:.5f} t per unit face flux "
              f"(3LS: {1 / np.sqrt(3):.5f})")
    three = ts.field_spectrum("3ls", fields, area=face, charge=charge, energies=np.zeros(3), d0=t)
    lines = ax.plot(fields, three.energies[:, :2] + t, "k--")
    lines[0].set_label("3LS on one face (field along its normal)")
    ax.set_xlabel("magnetic field |B| (T)")
    ax.set_ylabel("E + t (K): the three lowest levels")
    ax.set_title(f"tetrahedral 4LS: edge {edge * 1e9:g} nm, t = {t:g} K, Q = {charge} e", fontsize=9)
    ax.legend(fontsize=7)
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
