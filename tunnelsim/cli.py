"""Command-line interface: ``tunnelsim reproduce``, ``tunnelsim demo``, ``tunnelsim spectrum``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main"]


def _floats(text: str) -> list[float]:
    try:
        return [float(x) for x in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tunnelsim", description="Tunneling systems of multicomponent glasses.")
    sub = p.add_subparsers(dest="command", required=True)
    for name in ("reproduce", "demo"):
        r = sub.add_parser(name, help="regenerate every figure and the verification report")
        r.add_argument("--out", default="out", help="output folder (default: out)")
        r.add_argument("--quick", action="store_true", help="small sizes, under a minute")
        r.add_argument("--only", default=None, help="comma-separated step names")
        r.add_argument("--workers", type=int, default=0, help="processes for sweeps (0: in this process)")
        r.add_argument("--force", action="store_true", help="ignore cached results")
    s = sub.add_parser("spectrum", help="spectrum of a 3LS or 4LS versus the flux phase")
    s.add_argument("system", choices=["3ls", "4ls"])
    s.add_argument("--energies", type=_floats, required=True, help="well energies in K, summing to zero")
    s.add_argument("--d0", type=float, help="3LS hopping (K)")
    s.add_argument("--d1", type=float, help="4LS nearest-neighbour hopping (K)")
    s.add_argument("--d2", type=float, help="4LS diagonal hopping (K)")
    s.add_argument("--diagonal", default="symmetrised", choices=["symmetrised", "straight"])
    s.add_argument("--phi", default="0:6.283185307179586:200", help="start:stop:num or a list (radians)")
    s.add_argument("--method", default="closed_form", choices=["closed_form", "exact"])
    s.add_argument("--plot", help="write a PNG figure here")
    s.add_argument("--csv", help="write the levels as CSV here")
    return p


def _spectrum(args) -> int:
    from tunnelsim.single.spectra import flux_spectrum, parse_range

    phi = parse_range(args.phi)
    if args.system == "3ls":
        if args.d0 is None:
            raise ValueError("--d0 is required for the 3LS")
        params = {"energies": args.energies, "d0": args.d0}
    else:
        if args.d1 is None or args.d2 is None:
            raise ValueError("--d1 and --d2 are required for the 4LS")
        params = {"energies": args.energies, "d1": args.d1, "d2": args.d2, "diagonal": args.diagonal}
    sweep = flux_spectrum(args.system, phi, method=args.method, **params)
    if args.csv:
        Path(args.csv).parent.mkdir(parents=True, exist_ok=True)
        sweep.to_csv(args.csv)
    if args.plot:
        import numpy as np

        from tunnelsim.studies.figures import save_figure, use_file_backend

        use_file_backend()
        ax = sweep.plot(xscale=2 * np.pi, xlabel=r"flux $\varphi/2\pi$")
        ax.set_title(f"{args.system.upper()} levels, energies {args.energies} K")
        save_figure(ax.figure, args.plot)
    if not args.csv and not args.plot:
        print("# phi  levels (K)")
        for v, row in zip(sweep.values, sweep.energies):
            print(f"{v:.6g} " + " ".join(f"{x:.10g}" for x in row))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``tunnelsim`` console script."""
    args = _parser().parse_args(argv)
    try:
        if args.command in ("reproduce", "demo"):
            from tunnelsim.studies.runner import reproduce

            only = args.only.split(",") if args.only else None
            if args.workers > 0:
                from concurrent.futures import ProcessPoolExecutor

                with ProcessPoolExecutor(args.workers) as ex:
                    path = reproduce(args.out, quick=args.quick, only=only, executor=ex, force=args.force)
            else:
                path = reproduce(args.out, quick=args.quick, only=only, force=args.force)
            print(f"report written to {path}")
            return 0
        return _spectrum(args)
    except (ValueError, TypeError) as exc:
        print(f"tunnelsim: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
