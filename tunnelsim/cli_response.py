"""The response subcommands' pieces of the command line: ``magnetocapacitance`` and fit's ``--columns`` (docs/cli.md).

Kept apart from :mod:`tunnelsim.cli` so that each module stays small; ``tunnelsim.cli.main`` dispatches here.
"""

from __future__ import annotations

import argparse

__all__ = ["column_map", "magnetocapacitance", "magnetocapacitance_parser"]


def _geometric(grid):
    """The argparse type ``start:stop:num`` spaced geometrically (temperatures), or a comma-separated list, from
    tunnelsim.cli's linear ``grid`` type (passed in: this module imports nothing back from tunnelsim.cli)."""
    import numpy as np

    def parse(text: str):
        values = grid(text)
        if ":" in text and values.size > 1:
            if values[0] <= 0 or values[-1] <= 0:
                raise argparse.ArgumentTypeError(f"expected start > 0 and stop > 0 in start:stop:num, got {text!r}")
            return np.geomspace(values[0], values[-1], values.size)
        return values

    return parse


def magnetocapacitance_parser(sub, add, floats, positive_int, output_file, grid) -> None:
    """The ``magnetocapacitance`` subparser (``add`` makes a subparser; the others are tunnelsim.cli's types)."""
    m = add(sub, "magnetocapacitance", "delta eps'/eps_r(T, B) of exact 3LS (ATS) in a magnetic field")
    m.add_argument("--area", type=float, default=1e-18, help="flux-threaded area S in m^2")
    m.add_argument("--charge", type=float, default=2.0, help="tunneling charge Q in units of e")
    m.add_argument("--fields", type=floats, default=[0.0, 0.1, 1.0, 10.0], help="comma-separated fields B in T")
    m.add_argument("--temperatures", type=_geometric(grid), default=None,
                   help="temperatures in K: start:stop:num (geometric) or a list (if omitted: 2e-3:0.5:20)")
    m.add_argument("--frequency", type=float, default=1e3, help="measuring frequency in Hz")
    m.add_argument("--k-ats", type=float, default=1e10, help="ATS relaxation constant K* in K^-3 s^-1")
    m.add_argument("--systems", type=positive_int, default=20000, help="ATS in the ensemble")
    m.add_argument("--n-theta", type=positive_int, default=8, help="Gauss-Legendre nodes of cos(theta)")
    m.add_argument("--seed", type=positive_int, default=1, help="random seed")
    m.add_argument("--csv", type=output_file, help="write T and delta eps'/eps_r per field as CSV here")


def column_map(text: str | None) -> dict[str, str] | None:
    """``T=temp,C=cp`` -> {"T": "temp", "C": "cp"} (the read_csv column mapping)."""
    if text is None:
        return None
    out = {}
    for item in filter(None, (t.strip() for t in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"--columns expects NAME=COLUMN pairs such as T=temp_K,C=cp; got {item!r}")
        out[key.strip()] = value.strip()
    return out


def magnetocapacitance(args) -> int:
    """``tunnelsim magnetocapacitance``: [eps'(T, B) - eps'(T, 0)]/eps_r of exact ATS (tunnelsim.magnetocapacitance).

    The B = 0 curve is subtracted once, as a measurement does; the field's change of the T -> 0 van Vleck term is
    kept (docs/theory.md sec. 6b).
    """
    import numpy as np

    import tunnelsim as ts

    if args.systems < 1:
        raise ValueError(f"--systems must be >= 1, got {args.systems}")
    if args.temperatures is None:
        t = np.geomspace(2e-3, 0.5, 20)
    else:
        t = np.asarray(args.temperatures, dtype=float)
    sample = ts.sample_ats(args.systems, args.seed, d_min=0.01, d_max=1.0, d0_min=20.0, d0_max=200.0)
    r = ts.magnetocapacitance(t, args.frequency, args.fields, sample, args.k_ats, area=args.area,
                              charge=args.charge, n_theta=args.n_theta, seed=args.seed)
    header = ["T_K"] + [f"B={b:g}T" for b in args.fields]
    rows = [[float(t[i]), *(float(r["change"][j, i]) for j in range(len(args.fields)))] for i in range(t.size)]
    print(f"# {args.systems} exact 3LS (gaps 0.01-1 K, D0 20-200 K), S = {args.area:g} m^2, Q = {args.charge:g} e, "
          f"f = {args.frequency:g} Hz: [eps'(T, B) - eps'(T, 0)]/eps_r in units of chi_ats (the B = 0 curve "
          "subtracted once; the field's change of the van Vleck term kept)")
    print("  ".join(f"{h:>12s}" for h in header))
    for row in rows:
        print("  ".join(f"{v:12.6g}" for v in row))
    if args.csv:
        from tunnelsim.files import write_table

        write_table(args.csv, header, rows, float_format=".10g")
    return 0
