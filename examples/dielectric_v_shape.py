"""Where is the minimum of delta eps'/eps, how steep are the two arms of the V, and what ATS would change them?

Questions answered: "at my measuring frequency, what does the standard tunneling model (plus the
ATS, optionally) predict for the temperature of the minimum and the slopes per unit ln T?" and,
with --target-ratio, "which ATS parameters (chi_ats, D_min, K*) give a V with that slope ratio,
and where does the minimum end up then?" (a -1:1 V is --target-ratio 1).

Usage:
    python examples/dielectric_v_shape.py [--frequency 1000] [--chi-ats 0] [--quick]
    python examples/dielectric_v_shape.py --preset multicomponent_dielectric_v
    python examples/dielectric_v_shape.py --target-ratio 1 [--t-min-max 0.1] [--scan-file scan.jsonl]
    python examples/dielectric_v_shape.py --target-ratio 1 --t-min-max 0.2 --variant stm

--variant picks the form of the paper's eq. 14 (not available, see docs/theory.md sec. 6): "isotropic"
(the toolkit's, what exact 3LS give) or "stm" (eq. 8 verbatim with the ATS density P*/E).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from tunnelsim.response.parameters import GlassParameters
from tunnelsim.response.presets import PRESETS
from tunnelsim.response.v_shape import T_GRID, ats_parameters_for_ratio, ats_v_scan, closest_ratio, dielectric_v_shape


def _print_shape(label: str, s) -> None:
    print(f"{label}: minimum at T = {s.t_min * 1e3:.2f} mK")
    print(f"slope below = {s.slope_below:.3f}, slope above = {s.slope_above:.3f} (per unit ln T, units of chi); "
          f"ratio {s.ratio:.2f}:1")
    print(f"arms fitted over {s.window_below[0]:.3g}-{s.window_below[1]:.3g} K and "
          f"{s.window_above[0]:.3g}-{s.window_above[1]:.3g} K; bend {s.bend_below:+.2f} / "
          f"{s.bend_above:+.2f} (change of slope across the arm / slope: 0 = straight, a parabola +0.51)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--frequency", type=float, default=1e3, help="Hz")
    ap.add_argument("--preset", help="a dielectric preset of tunnelsim.PRESETS (overrides the model options)")
    ap.add_argument("--chi", type=float, default=1.0)
    ap.add_argument("--delta0-min", type=float, default=1e-7, help="K")
    ap.add_argument("--k-relax", type=float, default=1e8, help="K^-3 s^-1")
    ap.add_argument("--chi-ats", type=float, default=0.0)
    ap.add_argument("--d-min", type=float, default=1e-3, help="ATS D_min in K")
    ap.add_argument("--k-ats", type=float, default=1e10)
    ap.add_argument("--target-ratio", type=float, help="search ATS parameters for this |slope below/slope above|")
    ap.add_argument("--t-min-max", type=float, default=np.inf, help="with --target-ratio: keep T_min below this (K)")
    ap.add_argument("--scan-file", help="with --target-ratio: JSON-lines file for the scan (resumable)")
    ap.add_argument("--variant", choices=("isotropic", "stm"), default="isotropic", help="form of eq. 14")
    ap.add_argument("--quick", action="store_true", help="coarser grids")
    a = ap.parse_args(argv)
    params = GlassParameters(chi=a.chi, delta0_min=a.delta0_min, k_relax=a.k_relax, chi_ats=a.chi_ats,
                             d_min=a.d_min, k_ats=a.k_ats)
    if a.preset:
        preset = PRESETS.get(a.preset)
        if preset is None or preset.composition is not None or preset.parameters.chi is None:
            ap.error(f"--preset {a.preset!r} is not a dielectric preset (one of "
                     f"{', '.join(k for k, v in PRESETS.items() if v.parameters.chi is not None)})")
        params = preset.parameters
    stm = GlassParameters(chi=params.chi, delta0_min=params.delta0_min, k_relax=params.k_relax)
    _print_shape(f"f = {a.frequency:g} Hz", dielectric_v_shape(T_GRID, a.frequency, params, ats_variant=a.variant))
    if a.target_ratio is None:
        return 0
    m = 5 if a.quick else 9
    rows = ats_v_scan(a.frequency, np.geomspace(0.1, 10.0, m), np.geomspace(1e-4, 0.3, m), [1e8, 1e12], stm,
                      path=a.scan_file, progress=None, ats_variant=a.variant)
    start = closest_ratio(rows, a.target_ratio, (0.0, a.t_min_max))
    if start is None:
        print(f"no scanned ATS parameters give a V with T_min <= {a.t_min_max:g} K")
        return 1
    found, shape = ats_parameters_for_ratio(a.target_ratio, a.frequency, start, stm, t_min_bounds=(0.0, a.t_min_max),
                                            max_evaluations=40 if a.quick else 120, ats_variant=a.variant)
    if found["chi_ats"] < 1e-6 * stm.chi:
        print(f"not reached: the search switched the ATS off (chi_ats -> {found['chi_ats']:.1e}); no ATS "
              f"parameters do better than the bare STM here")
        _print_shape("bare STM", shape)
        return 0
    reached = abs(np.log(shape.ratio / a.target_ratio)) < 0.05
    print(f"{'reached' if reached else 'not reached, closest'} ratio {shape.ratio:.3f} (target {a.target_ratio:g}): "
          f"chi_ats = {found['chi_ats']:.3g}, D_min = {found['d_min']:.3g} K, K* = {found['k_ats']:.3g} K^-3 s^-1")
    _print_shape("STM + those ATS", shape)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ValueError, TypeError, OSError, MemoryError) as exc:  # bad input: one line on stderr, no traceback
        sys.exit(f"{Path(sys.argv[0]).name}: error: {exc}")
    except KeyboardInterrupt:
        sys.exit(130)
