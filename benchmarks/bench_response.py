"""Benchmark: glass-response integrals and ensembles against textbook baselines, timed in the same run.

* ATS ensemble heat capacity: vectorised Viete levels + vectorised Schottky average, against a
  plain loop of numpy.linalg.eigvalsh over the explicit 3x3 matrices.
* STM dielectric constant: the vectorised Gauss-Legendre integrals, against nested adaptive
  scipy.integrate.quad per temperature.
* ATS dielectric constant: the relaxation integrals tabulated once in ln u_c^2, against the direct double sum over
  (E, psi) nodes (what the toolkit did before), and the exact 3LS linear response eps(T, B) (batched LAPACK
  eigenpairs with dipole matrix elements) against a loop of numpy.linalg.eigh per system.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import quad

from tunnelsim.response.dielectric import dielectric_ats_parts, dielectric_stm_parts
from tunnelsim.response.distributions import sample_ats
from tunnelsim.response.heat_capacity import heat_capacity_ats_ensemble
from tunnelsim.response.magnetodielectric import ats_dipole_wells, ats_linear_response
from tunnelsim.studies.benchmarks import best_time, timed


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


def _direct_ats_rel(t, d_min=0.01, k=1e10, f=1e3):
    """The ATS REL of the isotropic form as the plain double Gauss-Legendre sum over (ln E, psi) (no table)."""
    w = 2 * np.pi * f
    x, wx = np.polynomial.legendre.leggauss(160)
    xp, wp = np.polynomial.legendre.leggauss(256)
    psi, wpsi = np.pi / 4 * (xp + 1), np.pi / 4 * wp
    out = []
    for ti in t:
        z0, z1 = np.log(d_min / (2 * ti)), np.log(40.0)
        if z0 >= z1:
            out.append(0.0)
            continue
        z = 0.5 * (z1 - z0) * (x + 1) + z0
        y = np.exp(z)
        e = 2 * ti * y
        uc2 = w * np.tanh(y) / (k * e**3)
        inner = (2 / np.pi) * (wpsi * np.cos(psi) ** 2 / (1 + (uc2[:, None] / np.sin(psi) ** 2) ** 2)).sum(axis=1)
        out.append(d_min * 0.5 * (z1 - z0) * (wx * inner / ti / np.cosh(y) ** 2).sum())
    return np.array(out)


def _loop_response(t, s, dip):
    """Per system: numpy eigh of the explicit 3x3 Hamiltonian, then the van Vleck + fluctuation sums."""
    out = np.zeros((t.size, len(s.d0)))
    for i, (e, d, dp) in enumerate(zip(s.energies, s.d0, dip)):
        lev, v = np.linalg.eigh(np.array([[e[0], d, d], [d, e[1], d], [d, d, e[2]]]))
        m = v.T @ np.diag(dp) @ v
        for j, ti in enumerate(t):
            p = np.exp(-(lev - lev[0]) / ti)
            p /= p.sum()
            res = sum(2 * (p[a] - p[b]) * m[a, b] ** 2 / (lev[b] - lev[a]) for a in range(3) for b in range(a + 1, 3))
            dd = np.diag(m)
            out[j, i] = res + (p @ dd**2 - (p @ dd) ** 2) / ti
    return out


def main(quick: bool = False) -> list[dict]:
    rows = []
    n = 2000 if quick else 20000
    t = np.geomspace(1e-3, 1.0, 20)
    s = sample_ats(n, 1, d_min=0.01, d_max=1.0, d0_min=1.0, d0_max=10.0)
    ours = best_time(lambda: heat_capacity_ats_ensemble(t, s, 1.0))
    ref, base = timed(lambda: _loop_ensemble(t, s))
    diff = np.max(np.abs(heat_capacity_ats_ensemble(t, s, 1.0) - ref))
    rows.append({"benchmark": f"ATS ensemble C(T), {n} 3LS x 20 T", "ours_s": ours, "baseline_s": base,
                 "baseline": "loop of numpy eigvalsh per system", "ratio": base / ours,
                 "notes": f"max |diff| {diff:.1e} P*"})
    nt = 5 if quick else 20
    td = np.geomspace(2e-3, 1.0, nt)
    ours = best_time(lambda: dielectric_stm_parts(td, 1e3))
    ref, base = timed(lambda: _quad_dielectric(td))
    diff = np.max(np.abs(dielectric_stm_parts(td, 1e3)["rel"] - ref))
    rows.append({"benchmark": f"STM dielectric (REL) at {nt} temperatures", "ours_s": ours, "baseline_s": base,
                 "baseline": "nested scipy quad per T", "ratio": base / ours,
                 "notes": f"max |diff| {diff:.1e} chi"})
    ta = np.geomspace(1e-3, 1.0, 20 if quick else 200)
    ours = best_time(lambda: dielectric_ats_parts(ta, 1e3, 1.0, 0.01, 1e10))
    ref, base = timed(lambda: _direct_ats_rel(ta))
    diff = np.max(np.abs(dielectric_ats_parts(ta, 1e3, 1.0, 0.01, 1e10)["rel"] - ref))
    rows.append({"benchmark": f"ATS dielectric (REL, isotropic) at {ta.size} temperatures", "ours_s": ours,
                 "baseline_s": base, "baseline": "direct (E, psi) double sum per T", "ratio": base / ours,
                 "notes": f"max |diff| {diff:.1e} chi_ats"})
    ns = 500 if quick else 5000
    s = sample_ats(ns, 2, d_min=0.01, d_max=1.0, d0_min=20.0, d0_max=200.0)
    dip = ats_dipole_wells(np.full(ns, 1.2), np.linspace(0, 6, ns))
    tt = np.geomspace(2e-3, 0.5, 10)
    ours = best_time(lambda: ats_linear_response(tt, s.energies, s.d0, dip))
    ref, base = timed(lambda: _loop_response(tt, s, dip))
    r = ats_linear_response(tt, s.energies, s.d0, dip)
    diff = np.max(np.abs(r["res"] + r["fluct"] - ref))
    rows.append({"benchmark": f"exact 3LS dielectric response, {ns} systems x 10 T", "ours_s": ours,
                 "baseline_s": base, "baseline": "loop of numpy eigh + sums per system", "ratio": base / ours,
                 "notes": f"max |diff| {diff:.1e} p*^2/K; {ns * 10 / ours:.3g} system-temperatures/s"})
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
