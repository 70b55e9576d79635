"""How does a magnetic field change the two-pulse polarization echo of the ATS? A(B)/A(0) of exact 3LS ensembles.

Question answered: "for ATS of a given size (flux-threaded area S, charge Q, hopping D0), at my echo frequency and
pulse separation, how does the echo amplitude change with B?" (beyond the paper; docs/echo.md, docs/theory.md
sec. 6c). ATS are drawn from paper eq. 6 in the resonant band; each is evolved exactly through a pi/2 - pi sequence
with finite pulses (4-step phase cycle); the echo amplitude is the demodulated dipole at 2 tau, normalised to B = 0.
Reproduces the figure echo_B.png of the report (one sample instead of four).

Usage:
    python examples/echo_field_dependence.py [--fields 0.003,0.01,...] [--tau 3e-6] [--area 1e-18] [--charge 2]
                                             [--draws 300000] [--workers 2] [--quick] [--plot echo_B.png]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

import tunnelsim as ts
from tunnelsim.sweep import process_pool


def _fields(text: str) -> list[float]:
    try:
        return [float(b) for b in text.split(",") if b.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--fields must be comma-separated numbers in T, got {text!r}") from None


def _plot(path: str, r, tau: float) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.6, 3.9), layout="constrained")
    ax.semilogx(r.field.values[1:], r.values[1:], "o-", ms=4,
                label=rf"exact 3LS ensemble, $\tau$ = {tau * 1e6:g} $\mu$s")
    ax.axhline(1.0, color="k", lw=0.6)
    ax.set_xlabel("magnetic field B (T)")
    ax.set_ylabel(r"echo amplitude $|A(B)|\,/\,|A(0)|$")
    ax.legend(fontsize=8)
    fig.savefig(path, dpi=120)
    print(f"figure written to {path}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fields", type=_fields, default=list(np.geomspace(3e-3, 10.0, 10)),
                    help="comma-separated fields in T (B = 0 is added)")
    ap.add_argument("--tau", type=float, default=3e-6, help="pulse separation in s")
    ap.add_argument("--frequency", type=float, default=1e9, help="echo frequency in Hz")
    ap.add_argument("--rabi", type=float, default=2e6, help="F0 p*/h in Hz (pulses pi/2 - pi for a dipole p*/2)")
    ap.add_argument("--temperature", type=float, default=0.01, help="K")
    ap.add_argument("--area", type=float, default=1e-18, help="flux-threaded area S in m^2 (default 1 nm^2)")
    ap.add_argument("--charge", type=float, default=2.0, help="tunneling charge Q in units of e")
    ap.add_argument("--draws", type=int, default=300000, help="ATS drawn from eq. 6 (~0.5 %% are resonant)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2, help="processes for the field points (1: none)")
    ap.add_argument("--quick", action="store_true", help="60000 draws, 6 fields")
    ap.add_argument("--plot", default=None, help="save |A(B)|/|A(0)| versus B here (PNG)")
    a = ap.parse_args(argv)
    if a.workers < 1:
        ap.error(f"--workers must be >= 1, got {a.workers}")
    fields = list(np.geomspace(3e-3, 10.0, 6)) if a.quick else a.fields
    n = 60000 if a.quick else a.draws
    kw = dict(n=n, seed=a.seed, frequency=a.frequency, rabi=a.rabi, temperature=a.temperature, area=a.area,
              charge=a.charge)
    try:
        if a.workers == 1:
            r = ts.echo_vs_field(fields, a.tau, **kw)
        else:
            with process_pool(a.workers) as ex:  # clean workers that ignore Ctrl-C (the sweep stops them)
                r = ts.echo_vs_field(fields, a.tau, executor=ex, **kw)
    except (ValueError, TypeError) as exc:
        ap.error(str(exc))
    print(f"{n} ATS of eq. 6 (D0 20-200 K), S = {a.area:g} m^2, Q = {a.charge:g} e, f = {a.frequency:g} Hz, "
          f"tau = {a.tau:g} s, T = {a.temperature:g} K")
    print(f"{'B (T)':>10s} {'|A(B)|/|A(0)|':>14s} {'phase (rad)':>12s} {'resonant':>9s}")
    for b, v, amp, c in zip(r.field.values, r.values, r.amplitude.values, r.systems.values):
        print(f"{b:10.4g} {v:14.4f} {np.angle(amp):12.3f} {int(c):9d}")
    top = int(np.argmax(r.values))
    print(f"largest echo: {r.values[top]:.2f} x the zero-field one at B = {r.field.values[top]:.3g} T")
    if a.plot:
        _plot(a.plot, r, a.tau)
    return 0


if __name__ == "__main__":
    sys.exit(main())
