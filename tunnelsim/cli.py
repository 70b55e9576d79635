"""Command-line interface: ``tunnelsim spectrum | cluster | percolate | fit | magnetocapacitance | reproduce``.

docs/cli.md describes every subcommand; ``--help`` shows every option with its default.

Every expected failure (a bad value, a missing or unwritable file, too little memory, another run
holding the output folder) is one line on standard error and exit status 2; Ctrl-C exits with 130.
Values may start with a minus sign (``--energies -0.1,0.05,0.05``, ``--d0 -1``).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from tunnelsim import __version__
from tunnelsim.cli_response import column_map, magnetocapacitance, magnetocapacitance_parser
from tunnelsim.validation import MAX_GRID_POINTS, as_real_scalar

__all__ = ["main"]

_NEGATIVE = re.compile(r"^-(\d|\.\d|inf|nan)", re.IGNORECASE)


# ----------------------------------------------------------------------------------- value parsers
def _floats(text: str) -> list[float]:
    try:
        return [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {value}")
    return value


def _range(text: str):
    """``start:stop:num`` (inclusive, num points) or a comma-separated list, as a numpy array."""
    import numpy as np

    if ":" in text:
        parts = text.split(":")
        if len(parts) != 3:
            raise argparse.ArgumentTypeError(f"expected start:stop:num, got {text!r}")
        try:
            start, stop, num = float(parts[0]), float(parts[1]), int(parts[2])
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected start:stop:num with numbers, got {text!r}") from None
        if not 1 <= num <= MAX_GRID_POINTS:
            raise argparse.ArgumentTypeError(f"num must be between 1 and {MAX_GRID_POINTS} in start:stop:num, got "
                                             f"{num}")
        return np.linspace(start, stop, num)
    return np.array(_floats(text))


def _output_file(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a file name, got an empty string")
    path = Path(text)
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"the folder {str(path.parent)!r} of {text!r} does not exist; create it first")
    return path


def _folder(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a folder name, got an empty string")
    return text


# ----------------------------------------------------------------------------------------- parser
class _Parser(argparse.ArgumentParser):
    """Usage errors are one line on standard error and exit status 2 (``--help`` shows the usage)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


class _Formatter(argparse.ArgumentDefaultsHelpFormatter):
    """``--help`` shows each option's default (not for flags and options without one)."""

    def _get_help_string(self, action):
        if action.default is None or isinstance(action.default, bool) or action.default is argparse.SUPPRESS:
            return action.help
        return super()._get_help_string(action)


def _add(sub, name: str, help: str):
    return sub.add_parser(name, help=help, description=help, formatter_class=_Formatter)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="tunnelsim", description="Tunneling systems of multicomponent glasses "
                                "(energies in kelvin, k_B = 1).", formatter_class=_Formatter)
    p.add_argument("--version", action="version", version=f"tunnelsim {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    _spectrum_parser(sub)
    _cluster_parser(sub)
    _percolate_parser(sub)
    _fit_parser(sub)
    magnetocapacitance_parser(sub, _add, _floats, _positive_int, _output_file, _range)
    for name in ("reproduce", "demo"):
        r = _add(sub, name, "regenerate every figure and the verification report")
        r.add_argument("--out", type=_folder, default="out", help="output folder")
        r.add_argument("--quick", action="store_true", help="small sizes (a few minutes on 2 cores)")
        r.add_argument("--only", default=None, help="comma-separated study names")
        r.add_argument("--workers", type=_positive_int, default=0, help="processes for sweeps (0: this process)")
        r.add_argument("--force", action="store_true", help="ignore cached results")
    return p


def _spectrum_parser(sub) -> None:
    s = _add(sub, "spectrum", "levels of a 3LS or 4LS versus the flux phase or the magnetic field")
    s.add_argument("system", choices=["3ls", "4ls"])
    s.add_argument("--energies", type=_floats, required=True, help="well energies in K, summing to zero")
    s.add_argument("--d0", type=float, help="3LS hopping (K)")
    s.add_argument("--d1", type=float, help="4LS nearest-neighbour hopping (K)")
    s.add_argument("--d2", type=float, help="4LS diagonal hopping (K; 0 = the plain square)")
    s.add_argument("--diagonal", default="symmetrised", choices=["symmetrised", "straight"])
    s.add_argument("--allow-negative-hopping", action="store_true", help="accept hoppings <= 0")
    x = s.add_mutually_exclusive_group()
    x.add_argument("--phi", type=_range, help="flux phase in rad: start:stop:num or a list "
                   "(if no axis is given: 0:2pi:200)")
    x.add_argument("--flux", type=_range, help="flux in flux quanta Phi/Phi_0: start:stop:num or a list")
    x.add_argument("--field", type=_range, help="magnetic field in tesla: start:stop:num (needs --area)")
    s.add_argument("--area", type=float, help="flux-threaded area in m^2 (with --field)")
    s.add_argument("--theta", type=float, default=0.0, help="angle field / loop normal in rad")
    s.add_argument("--charge", type=float, default=1.0, help="tunneling charge in units of e")
    s.add_argument("--method", default="auto", choices=["auto", "exact", "closed_form"],
                   help="auto: closed form where it is accurate, exact diagonalisation otherwise")
    s.add_argument("--plot", type=_output_file, help="write a PNG figure here")
    s.add_argument("--csv", type=_output_file, help="write the levels as CSV here")


def _cluster_parser(sub) -> None:
    c = _add(sub, "cluster", "lowest levels and coherent doublet of an interacting cluster")
    c.add_argument("system", choices=["2ls", "3ls"])
    c.add_argument("--n", type=_positive_int, help="uniform cluster: number of particles")
    c.add_argument("--file", type=Path, help="cluster file (.npz or .json) with arrays asymmetries, tunnelings, "
                   "couplings (2LS) or energies, d0s, couplings, phi (3LS)")
    c.add_argument("--asymmetry", type=float, default=0.0, help="2LS Delta (K)")
    c.add_argument("--tunneling", type=float, default=1.0, help="2LS Delta0 (K)")
    c.add_argument("--energies", type=_floats, default=[0.0, 0.0, 0.0], help="3LS well energies (K)")
    c.add_argument("--d0", type=float, default=1.0, help="3LS hopping (K)")
    c.add_argument("--phi", type=float, default=0.0, help="3LS flux phase (rad)")
    c.add_argument("--coupling", type=float, default=-1.0, help="all-to-all coupling J (K)")
    c.add_argument("--levels", type=_positive_int, default=4, help="number of levels")
    c.add_argument("--method", default="auto", help="solver")
    c.add_argument("--no-coherent", action="store_true", help="skip the exact coherent doublet / multiplet")


def _percolate_parser(sub) -> None:
    q = _add(sub, "percolate", "percolation threshold and fractal dimension of a lattice")
    q.add_argument("--lattice", default="square", help="square, triangular, honeycomb, simple_cubic, bcc")
    q.add_argument("--kind", default="site", choices=["site", "bond"])
    q.add_argument("--size", type=_positive_int, help="largest box side L")
    q.add_argument("--samples", type=_positive_int, help="samples per size")
    q.add_argument("--seed", type=_positive_int, default=0, help="random seed")
    q.add_argument("--dimension", action="store_true", help="also the fractal dimension D of the largest cluster")


def _fit_parser(sub) -> None:
    f = _add(sub, "fit", "fit C(T) or delta eps(T) data from a CSV file")
    f.add_argument("data", type=Path, help="CSV with columns T, C (or T, eps), optionally sigma")
    f.add_argument("--kind", default="C", choices=["C", "eps"], help="what the data column holds")
    f.add_argument("--columns", default=None, help="column names of the file for T, C/eps, sigma, e.g. "
                   "T=temp_K,C=cp,sigma=dcp")
    f.add_argument("--components", default="debye,2ls,ats", help="heat-capacity components (kind C)")
    f.add_argument("--frequency", type=float, help="measuring frequency in Hz (kind eps)")
    f.add_argument("--with-ats", action="store_true", help="include the ATS term (kind eps)")
    f.add_argument("--plot", type=_output_file, help="write the fit figure here (PNG)")
    f.add_argument("--level", type=float, default=0.95, help="confidence level of the reported intervals")
    f.add_argument("--save", type=_output_file, help="save the fit: .json (FitResult.load reads it) or a text "
                   "report (any other suffix)")


# ------------------------------------------------------------------------------------- commands
def _flux_axis(args):
    """(phi in rad or None for a field sweep, x values, x label, CSV column name) from --phi, --flux or --field."""
    import numpy as np

    if args.field is not None:
        if args.area is None:
            raise ValueError("--field needs --area (the flux-threaded area in m^2)")
        return None, args.field, "magnetic field B (T)", "B_T"
    if args.flux is not None:
        return 2 * np.pi * args.flux, args.flux, r"flux $\Phi/\Phi_0$", "flux_quanta"
    phi = args.phi if args.phi is not None else np.linspace(0, 2 * np.pi, 200)
    return phi, phi, r"flux phase $\varphi$ (rad)", "phi"


def _spectrum(args) -> int:
    from tunnelsim.files import write_table
    from tunnelsim.single.spectra import field_spectrum, flux_spectrum

    phi, xs, xlabel, column = _flux_axis(args)
    extra = {"allow_negative_hopping": True} if args.allow_negative_hopping else {}
    if args.system == "3ls":
        if args.d0 is None:
            raise ValueError("--d0 is required for the 3LS")
        params = {"energies": args.energies, "d0": args.d0, **extra}
    else:
        if args.d1 is None or args.d2 is None:
            raise ValueError("--d1 and --d2 are required for the 4LS")
        params = {"energies": args.energies, "d1": args.d1, "d2": args.d2, "diagonal": args.diagonal, **extra}
    if phi is None:
        sweep = field_spectrum(args.system, xs, area=args.area, theta=args.theta, charge=args.charge,
                               method=args.method, **params)
    else:
        sweep = flux_spectrum(args.system, phi, method=args.method, **params)
    header = [column] + [f"E{k}_K" for k in range(sweep.energies.shape[1])]
    rows = [[float(x), *map(float, e)] for x, e in zip(xs, sweep.energies)]
    if args.csv:
        write_table(args.csv, header, rows, float_format=".10g")
    if args.plot:
        _plot_levels(xs, sweep.energies, xlabel, f"{args.system.upper()} levels, energies {args.energies} K",
                     args.plot)
    if not args.csv and not args.plot:
        print(f"# {xlabel}  levels (K)")
        for row in rows:
            print(" ".join(f"{v:.10g}" for v in row))
    return 0


def _plot_levels(xs, energies, xlabel: str, title: str, path: Path) -> None:
    from tunnelsim.studies.figures import save_figure, use_file_backend

    use_file_backend()
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(xs, energies, "-")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("energy (K)")
    ax.set_title(title)
    save_figure(fig, path)


def _cluster_file(path):
    """The arrays of a ``cluster --file`` (untrusted: a regular file, sizes checked before reading, a JSON object)."""
    import json

    from tunnelsim.files import load_npz_checked, read_text_checked

    if path.suffix == ".json":
        try:
            data = json.loads(read_text_checked(path, "--file", max_bytes=256 * 2**20))
        except (json.JSONDecodeError, RecursionError):
            raise ValueError(f"--file {str(path)!r} is not valid JSON") from None
        if not isinstance(data, dict):
            raise ValueError(f"--file {str(path)!r} must hold a JSON object of named arrays, got a "
                             f"{type(data).__name__}")
        return data
    if path.suffix == ".npz":
        return load_npz_checked(path, "--file")
    raise ValueError(f"--file must be a .json or .npz file, got {str(path)!r}")


def _load_cluster(args):
    import clusters

    if args.file is not None:
        data = _cluster_file(args.file)
        keys = ("asymmetries", "tunnelings", "couplings") if args.system == "2ls" else ("energies", "d0s", "couplings")
        missing = [k for k in keys if k not in data]
        if missing:
            raise ValueError(f"{args.file} lacks the arrays {missing}")
        if args.system == "2ls":
            return clusters.TwoLevelCluster(*(data[k] for k in keys))
        phi = as_real_scalar(data.get("phi", 0.0), f"phi in {args.file}")
        return clusters.ThreeLevelCluster(*(data[k] for k in keys), phi=phi)
    if args.n is None:
        raise ValueError("give --n (a uniform cluster) or --file (any cluster)")
    if args.system == "2ls":
        return clusters.TwoLevelCluster.uniform(args.n, args.asymmetry, args.tunneling, args.coupling)
    return clusters.ThreeLevelCluster.uniform(args.n, args.energies, args.d0, args.coupling, args.phi)


def _cluster(args) -> int:
    import warnings

    import clusters

    cl = _load_cluster(args)
    with warnings.catch_warnings(record=True) as caught:  # one line each, never a source line
        warnings.simplefilter("always")
        levels = cl.eigenenergies(min(args.levels, cl.sector_dimension if cl.is_uniform else cl.dimension),
                                  method=args.method)
    print(f"# {cl!r}: lowest {len(levels)} levels (K)")
    print(" ".join(f"{e:.12g}" for e in levels))
    for w in caught:
        if args.no_coherent or "coherent_doublet" not in str(w.message) and "coherent_multiplet" not in str(w.message):
            print(f"tunnelsim: warning: {w.message}", file=sys.stderr)
        else:  # the exact doublet below resolves what float64 cannot
            print("# (the lowest splitting is below float64 resolution; the coherent result below is exact)")
    if not args.no_coherent:
        if args.system == "2ls":
            d = clusters.coherent_doublet(cl)
            print(f"# coherent doublet: asymmetry {d.asymmetry:.10g} K, tunneling 10^{d.log10_tunneling:.6f} K, "
                  f"low-energy space: {d.model_space_is_low_energy}")
        else:
            m = clusters.coherent_multiplet(cl)
            print(f"# coherent multiplet: hoppings 10^{max(m.log10_hoppings):.6f} K, loop phase {m.loop_phase:.6f} "
                  f"rad, low-energy space: {m.model_space_is_low_energy}")
    return 0


def _percolate(args) -> int:
    import lattices

    est = lattices.percolation_threshold(args.lattice, size=args.size, samples=args.samples, seed=args.seed,
                                         kind=args.kind)
    print(f"p_c = {est.value:.6f} +- {est.stderr:.2g}" + (f" (literature {est.reference.value:.6f})"
                                                           if est.reference is not None else ""))
    if args.dimension:
        dim = lattices.fractal_dimension(args.lattice, "mass", seed=args.seed)
        print(f"D = {dim.value:.4f} +- {dim.stderr:.2g}" + (f" (literature {dim.reference.value:.4f})"
                                                            if dim.reference is not None else ""))
    return 0


def _fit(args) -> int:
    import tunnelsim as ts

    data = ts.read_csv(args.data, kind=args.kind, columns=column_map(args.columns))
    if args.kind == "C":
        res = ts.fit_heat_capacity(data.T, data.y, [c for c in args.components.split(",") if c], sigma=data.sigma)
    else:
        if args.frequency is None:
            raise ValueError("--frequency (Hz) is required to fit the dielectric constant")
        res = ts.fit_dielectric(data.T, data.y, args.frequency, with_ats=args.with_ats, sigma=data.sigma)
    report = res.report(args.level)
    print(report)
    if args.save is not None:
        if args.save.suffix == ".json":
            res.save(args.save)
        else:
            from tunnelsim.files import write_text_atomic

            write_text_atomic(args.save, report + "\n")
        print(f"fit saved to {args.save}")
    if args.plot:
        from tunnelsim.studies.figures import use_file_backend

        use_file_backend()
        res.plot(path=args.plot, ylabel="C" if args.kind == "C" else "delta eps / eps")
    return 0


def _reproduce(args) -> int:
    from tunnelsim.studies.runner import reproduce

    only = args.only.split(",") if args.only is not None else None
    if args.workers > 0:
        from tunnelsim.sweep import process_pool

        with process_pool(args.workers) as ex:
            path = reproduce(args.out, quick=args.quick, only=only, executor=ex, force=args.force)
    else:
        path = reproduce(args.out, quick=args.quick, only=only, force=args.force)
    print(f"report written to {path}")
    return 0


_COMMANDS = {"spectrum": _spectrum, "cluster": _cluster, "percolate": _percolate, "fit": _fit,
             "magnetocapacitance": magnetocapacitance, "reproduce": _reproduce, "demo": _reproduce}


def _join_negative_values(argv: list[str]) -> list[str]:
    """``--opt -0.1,0.2`` -> ``--opt=-0.1,0.2`` so that argparse does not read the value as an option."""
    out: list[str] = []
    for tok in argv:
        if out and out[-1].startswith("--") and "=" not in out[-1] and _NEGATIVE.match(tok):
            out[-1] = f"{out[-1]}={tok}"
        else:
            out.append(tok)
    return out


#: The library's keyword advice, in the words of this command line.
_CLI_WORDS = {"Pass allow_negative_hopping=True": "Add --allow-negative-hopping"}


def _in_cli_words(message: str) -> str:
    for python, flag in _CLI_WORDS.items():
        message = message.replace(python, flag)
    return message


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``tunnelsim`` console script; returns the exit status."""
    args = _parser().parse_args(_join_negative_values(list(sys.argv[1:] if argv is None else argv)))
    from tunnelsim.interrupts import interrupts_delivered
    from tunnelsim.progress import log_lines, show_progress
    from tunnelsim.sweep import is_interrupt

    # a log, not a terminal: one line per finished item instead of bars, for this command only
    before = None if show_progress(None) else log_lines(True)
    try:
        with interrupts_delivered():  # a Ctrl-C landing in a garbage-collection callback is not lost
            return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("tunnelsim: interrupted (finished work is kept; rerun to resume)", file=sys.stderr)
        return 130
    except Exception as exc:
        if is_interrupt(exc):  # Ctrl-C inside a compiled kernel (numba wraps it in SystemError)
            print("tunnelsim: interrupted (finished work is kept; rerun to resume)", file=sys.stderr)
            return 130
        return _failure(exc)
    finally:
        if before is not None:  # the command's setting ends with it (main() may run inside another program)
            log_lines(before)


def _failure(exc: Exception) -> int:
    """One line on standard error and exit status 2 for an expected failure; anything else propagates."""
    if isinstance(exc, MemoryError):
        print(f"tunnelsim: not enough memory: {exc}", file=sys.stderr)
    elif isinstance(exc, (ValueError, TypeError, OSError)):
        print(f"tunnelsim: error: {_in_cli_words(str(exc))}", file=sys.stderr)
    elif isinstance(exc, RuntimeError):  # a study failed (its traceback is in the report), another run holds the folder
        print(f"tunnelsim: {exc}", file=sys.stderr)
    else:
        raise exc
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
