"""Benchmark: closed-form flux spectra (vectorised Viete / Descartes) against QuTiP per phi.

The timing lives in :func:`tunnelsim.studies.benchmarks.closed_form_timings` (also used by the demo).
"""

from __future__ import annotations

from tunnelsim.studies.benchmarks import closed_form_timings


def main(quick: bool = False) -> list[dict]:
    return closed_form_timings(quick)


if __name__ == "__main__":
    for row in main():
        print(row)
