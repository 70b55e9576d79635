"""Benchmarks of the cluster solver backends (docs/clusters.md sec. 3; collected into docs/benchmarks.md).

Every solve goes through ``clusters.solvers.solve`` with the named backend (``method=``). Rows:
- disordered 2LS cluster, lowest 4 levels at N = 18 (quick: 14): ours (the ``sparse`` backend, CSR
  Lanczos built directly, and the ``matrix_free`` backend) against the naive QuTiP route (a Qobj summed from
  ``qutip.tensor`` products of one-site operators, then ``H.eigenenergies(sparse=True, eigvals=4)``),
  measured in the same run; the levels must agree to 1e-8 K;
- disordered 2LS N = 24 matrix-free (not quick; in a subprocess, reporting time and peak RSS);
- disordered 3LS in a field, N = 14 matrix-free (not quick; 3^14 = 4.8 M complex amplitudes);
- uniform clusters in the symmetric sector: 2LS N = 1000 (``tridiagonal`` backend) and 3LS N = 200
  (quick: 100; ``sparse`` backend on the sector);
- a scaling figure (time and peak numpy memory versus N per method) written to
  ``docs/figures/clusters_scaling.png`` (quick mode: ``out/benchmarks/clusters_scaling_quick.png``).
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from clusters import ThreeLevelCluster, TwoLevelCluster, random_couplings  # noqa: E402
from tunnelsim.studies.benchmarks import disordered_two_level, plot_scaling, solver_scaling  # noqa: E402


def disordered_three_level(n: int, seed: int = 1, phi: float = 0.5) -> ThreeLevelCluster:
    """E^i ~ N(0, 0.3^2) K (mean removed), D0_i ~ U(0.5, 1.5) K, J_ij ~ N(0, 0.3^2) K, phi = 0.5."""
    rng = np.random.default_rng(seed)
    e = rng.normal(scale=0.3, size=(n, 3))
    e -= e.mean(axis=1, keepdims=True)
    return ThreeLevelCluster(e, rng.uniform(0.5, 1.5, n), random_couplings(n, 0.3, seed), phi)


def naive_qutip_levels(c: TwoLevelCluster, k: int = 4) -> np.ndarray:
    """The textbook QuTiP route: sum of tensor products of one-site operators, then a sparse solve."""
    import qutip

    n = c.n
    ident = qutip.qeye(2)

    def site(op, i):
        return qutip.tensor([op if j == i else ident for j in range(n)])

    sz = [site(qutip.sigmaz(), i) for i in range(n)]
    h = 0
    for i in range(n):
        h = h + 0.5 * c.asymmetries[i] * sz[i] + 0.5 * c.tunnelings[i] * site(qutip.sigmax(), i)
    for i in range(n):
        for j in range(i + 1, n):
            h = h + c.couplings[i, j] * sz[i] * sz[j]
    return np.sort(np.real(h.eigenenergies(sparse=True, eigvals=k)))


def _timed(func):
    t0 = time.perf_counter()
    out = func()
    return out, time.perf_counter() - t0


def _subprocess_solve(kind: str, n: int, method: str, k: int = 4) -> dict:
    """Solve in a fresh interpreter; return seconds, peak RSS (GiB) and levels."""
    code = f"""
import json, resource, time, sys
sys.path.insert(0, {str(ROOT)!r})
from benchmarks.bench_clusters import disordered_three_level
from tunnelsim.studies.benchmarks import disordered_two_level
c = disordered_{kind}({n})
t0 = time.perf_counter()
e = c.eigenenergies({k}, method={method!r})
dt = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1024**3
print(json.dumps({{"seconds": dt, "peak_gib": rss, "levels": e.tolist()}}))
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def _row(name, ours, base, baseline, notes):
    ratio = base / ours if (base == base and ours > 0) else float("nan")
    return {"benchmark": name, "ours_s": ours, "baseline_s": base, "baseline": baseline, "ratio": ratio,
            "notes": notes}


def main(quick: bool = False) -> list[dict]:
    """Run the benchmarks; return rows (see module docstring)."""
    rows = []
    n = 14 if quick else 18
    c = disordered_two_level(n)
    c.eigenenergies(4, method="matrix_free")  # JIT warm-up of the numba kernel, not timed
    ref, t_naive = _timed(lambda: naive_qutip_levels(c))
    for method in ("sparse", "matrix_free"):
        times = []
        for _ in range(2):  # best of two (the machine is shared); each run builds its operator afresh
            fresh = disordered_two_level(n)
            ours, t = _timed(lambda f=fresh, m=method: f.eigenenergies(4, method=m))
            times.append(t)
        t_ours = min(times)
        diff = float(np.max(np.abs(ours - ref)))
        rows.append(_row(f"2LS disordered N={n}, lowest 4 ({method})", t_ours, t_naive,
                         "naive QuTiP: tensor-built Qobj + eigenenergies(sparse=True, eigvals=4)",
                         f"max |E_ours - E_qutip| = {diff:.1e} K ({'OK' if diff < 1e-8 else 'MISMATCH'} at 1e-8); "
                         f"ours best of 2 ({times[0]:.3g} s, {times[1]:.3g} s)"))
    extra = []
    if not quick:
        r24 = _subprocess_solve("two_level", 24, "matrix_free")
        extra.append({"n": 24, **r24})
        rows.append(_row("2LS disordered N=24, lowest 4 (matrix_free)", r24["seconds"], float("nan"), "none",
                         f"dimension 2^24 = 16.8 M; peak RSS {r24['peak_gib']:.2f} GiB; E0 = {r24['levels'][0]:.8f} K"))
        r3 = _subprocess_solve("three_level", 14, "matrix_free")
        rows.append(_row("3LS disordered N=14 in a field (phi=0.5), lowest 4 (matrix_free)", r3["seconds"],
                         float("nan"), "none",
                         f"dimension 3^14 = 4.8 M complex; peak RSS {r3['peak_gib']:.2f} GiB; "
                         f"E0 = {r3['levels'][0]:.8f} K"))
    u2 = TwoLevelCluster.uniform(1000, 0.1, 1.0, -0.01)
    e2, t2 = _timed(lambda: u2.eigenenergies(6))
    dense_sector = u2.sector_hamiltonian().toarray()
    e2d, t2d = _timed(lambda: np.linalg.eigvalsh(dense_sector)[:6])
    rows.append(_row("2LS uniform N=1000, lowest 6 (sector, tridiagonal)", t2, t2d,
                     "numpy eigvalsh of the dense 1001 x 1001 sector matrix",
                     f"max diff {np.max(np.abs(e2 - e2d)):.1e} K"))
    n3 = 100 if quick else 200
    u3 = ThreeLevelCluster.uniform(n3, [0.05, -0.02, -0.03], 1.0, -0.01, phi=0.3)
    e3, t3 = _timed(lambda: u3.eigenenergies(6))
    rows.append(_row(f"3LS uniform N={n3} in a field, lowest 6 (sector, CSR Lanczos)", t3, float("nan"), "none",
                     f"sector dimension {(n3 + 1) * (n3 + 2) // 2}; E0 = {e3[0]:.8f} K"))
    pts = solver_scaling(quick)
    fig = ROOT / "out" / "benchmarks" / "clusters_scaling_quick.png" if quick else \
        ROOT / "docs" / "figures" / "clusters_scaling.png"
    plot_scaling(pts, fig, extra)
    for method in dict.fromkeys(p["method"] for p in pts):
        sel = [p for p in pts if p["method"] == method]
        last = sel[-1]
        series = ", ".join(f"N={p['n']}: {p['seconds']:.3g} s / {p['peak_bytes'] / 1024**2:.3g} MiB" for p in sel)
        rows.append(_row(f"scaling: {method} up to N={last['n']} (2LS, lowest 4)", last["seconds"], float("nan"),
                         "none", f"time / peak numpy memory: {series}"))
    return rows


if __name__ == "__main__":
    for row in main(quick="--quick" in sys.argv):
        print(row)
