"""Benchmark: glass-response integrals and ensembles against textbook baselines, timed in the same run.

* ATS ensemble heat capacity: vectorised Viete levels + vectorised Schottky average, against a
  plain loop of numpy.linalg.eigvalsh over the explicit 3x3 matrices.
* STM dielectric constant: the vectorised Gauss-Legendre integrals, against nested adaptive
  scipy.integrate.quad per temperature.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import quad

from tunnelsim.response.dielectric import dielectric_stm_parts
from tunnelsim.response.distributions import sample_ats
from tunnelsim.response.heat_capacity import heat_capacity_ats_ensemble
from tunnelsim.studies.benchmarks import best_time


def _loop_ensemble(t, s):
    acc = np.zeros_like(t)
    for e, d in zip(s.energies, s.d0):
        h = np.array([[e[0], d, d], [d, e[1], d], [d, d, e[2]]])
        lev = np.linalg.eigvalsh(h)
        x = (lev - lev[0])[None, :] / t[:, None]
        w = np.exp(-x)
        z = w.sum(1)
        acc += (w * x * x).sum(1) / z - ((w * x).sum(1) / z) ** 2
    return acc * np.log(s.d_max / s.d_min) / len(s.d0)


def _quad_dielectric(t, d0=1e-7, k=1e8, f=1e3):
    w = 2 * np.pi * f
    out = []
    for ti in t:
        def inner(e, ti=ti):
            uc2 = w * np.tanh(e / (2 * ti)) / (k * e**3)
            return quad(lambda u: np.sqrt(1 - u * u) / u / (1 + (uc2 / (u * u)) ** 2), d0 / e, 1, limit=200)[0]
        rel = quad(lambda s, ti=ti: np.exp(s) * inner(np.exp(s)) / ti / np.cosh(np.exp(s) / (2 * ti)) ** 2,
                   np.log(d0) + 1e-9, np.log(80 * ti), limit=200)[0]
        out.append(rel)
    return np.array(out)


def main(quick: bool = False) -> list[dict]:
    rows = []
    n = 2000 if quick else 20000
    t = np.geomspace(1e-3, 1.0, 20)
    s = sample_ats(n, 1, d_min=0.01, d_max=1.0, d0_min=1.0, d0_max=10.0)
    ours = best_time(lambda: heat_capacity_ats_ensemble(t, s, 1.0))
    base = best_time(lambda: _loop_ensemble(t, s), repeat=1)
    diff = np.max(np.abs(heat_capacity_ats_ensemble(t, s, 1.0) - _loop_ensemble(t, s)))
    rows.append({"benchmark": f"ATS ensemble C(T), {n} 3LS x 20 T", "ours_s": ours, "baseline_s": base,
                 "baseline": "loop of numpy eigvalsh per system", "ratio": base / ours,
                 "notes": f"max |diff| {diff:.1e} P*"})
    nt = 5 if quick else 20
    td = np.geomspace(2e-3, 1.0, nt)
    ours = best_time(lambda: dielectric_stm_parts(td, 1e3))
    base = best_time(lambda: _quad_dielectric(td), repeat=1)
    diff = np.max(np.abs(dielectric_stm_parts(td, 1e3)["rel"] - _quad_dielectric(td)))
    rows.append({"benchmark": f"STM dielectric (REL) at {nt} temperatures", "ours_s": ours, "baseline_s": base,
                 "baseline": "nested scipy quad per T", "ratio": base / ours,
                 "notes": f"max |diff| {diff:.1e} chi"})
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
