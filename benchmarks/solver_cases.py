"""One solve of the cluster benchmark, run in a fresh interpreter: time, peak RSS and levels (JSON on stdout).

Usage: python benchmarks/solver_cases.py METHOD N [KIND]
METHOD: a backend of clusters.solvers ("lanczos", "matrix_free", "sparse", "dense", "auto") or a baseline:
"reference" (benchmarks/reference_lanczos.py, a fused threaded plain Lanczos), "quspin" (QuSpin 1.0: basis + CSR
hamiltonian + eigsh at the toolkit's tolerance), "quspin_default" (the same at eigsh's default tol = 0),
"primme" (PRIMME eigsh on our matrix-free LinearOperator), "qutip" (naive QuTiP: tensor products
of one-site operators, then eigenenergies(sparse=True)). KIND: "two_level" (default; the issue's
disordered 2LS cluster) or "three_level" (disordered 3LS in a field, phi = 0.5).
Every method, ours and the baselines alike, is imported and warmed on a small cluster of the same kind before
the timed block (numba compilation, first-call set-up and imports are never timed), then timed from the cluster
parameters to the levels (operator construction included). The timed block also reports the machine's load
average at its start.
"""

from __future__ import annotations

import json
import pathlib
import resource
import sys
import time
import warnings

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from clusters import ThreeLevelCluster, TwoLevelCluster, random_couplings  # noqa: E402

K = 4


def two_level(n: int, seed: int = 3) -> TwoLevelCluster:
    """Issue 15's cluster: Delta_i ~ U(-1, 1) K, Delta0_i ~ U(0.1, 1) K, J_ij ~ N(0, 0.3^2) K, seed 3."""
    rng = np.random.default_rng(seed)
    return TwoLevelCluster(rng.uniform(-1, 1, n), rng.uniform(0.1, 1, n), random_couplings(n, 0.3, rng))


def three_level(n: int, seed: int = 1, phi: float = 0.5) -> ThreeLevelCluster:
    """E^i ~ N(0, 0.3^2) K (mean removed), D0_i ~ U(0.5, 1.5) K, J_ij ~ N(0, 0.3^2) K, phi = 0.5."""
    rng = np.random.default_rng(seed)
    e = rng.normal(scale=0.3, size=(n, 3))
    e -= e.mean(axis=1, keepdims=True)
    return ThreeLevelCluster(e, rng.uniform(0.5, 1.5, n), random_couplings(n, 0.3, seed), phi)


def _same_tolerance(c: TwoLevelCluster) -> float:
    """ARPACK's relative tol that matches the toolkit's stopping rule (Ritz residual <= LANCZOS_RTOL ||H||_bound)."""
    from clusters.solvers import LANCZOS_RTOL

    bound = 0.5 * np.sum(np.abs(c.asymmetries)) + 0.5 * np.sum(np.abs(c.tunnelings)) + np.sum(
        np.abs(np.triu(c.couplings, 1)))
    e0 = max(abs(float(np.sum(-np.abs(c.asymmetries)) / 2)), 1e-3)  # |lambda| ~ the ground level's magnitude
    return LANCZOS_RTOL * bound / e0


def _quspin(c: TwoLevelCluster, tol: float | None = None) -> np.ndarray:
    from quspin.basis import spin_basis_1d
    from quspin.operators import hamiltonian

    n = c.n
    basis = spin_basis_1d(n, pauli=1)
    static = [["z", [[0.5 * c.asymmetries[i], i] for i in range(n)]],
              ["x", [[0.5 * c.tunnelings[i], i] for i in range(n)]],
              ["zz", [[c.couplings[i, j], i, j] for i in range(n) for j in range(i + 1, n)]]]
    h = hamiltonian(static, [], basis=basis, dtype=np.float64, check_symm=False, check_herm=False,
                    check_pcon=False)
    tol = _same_tolerance(c) if tol is None else tol
    return np.sort(h.eigsh(k=K, which="SA", return_eigenvectors=False, tol=tol))


def _primme(c: TwoLevelCluster) -> np.ndarray:
    import primme

    from clusters.hamiltonians import hamiltonian_operator, norm_bound, two_level_parts

    parts = two_level_parts(c.asymmetries, c.tunnelings, c.couplings)
    op = hamiltonian_operator(*parts)
    e = primme.eigsh(op, k=K, which="SA", tol=1e-10 / norm_bound(*parts) * 10, return_eigenvectors=False)
    return np.sort(e)


def _qutip(c: TwoLevelCluster) -> np.ndarray:
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
    return np.sort(np.real(h.eigenenergies(sparse=True, eigvals=K)))


def _reference(c: TwoLevelCluster) -> tuple[np.ndarray, int]:
    from reference_lanczos import lowest_levels

    return lowest_levels(c.asymmetries, c.tunnelings, c.couplings, k=K)


def _solve(method: str, c):
    """The levels (and Lanczos steps when known) of cluster ``c`` by ``method``."""
    if method == "quspin":
        return _quspin(c), None
    if method == "quspin_default":
        return _quspin(c, tol=0.0), None
    if method == "primme":
        return _primme(c), None
    if method == "qutip":
        return _qutip(c), None
    if method == "reference":
        return _reference(c)
    return c.eigenenergies(K, method=method), None


def _warm_up(method: str, kind: str) -> None:
    """Import and run the method once on a small cluster of the same kind (not timed), ours and baselines alike."""
    small = two_level(10) if kind == "two_level" else three_level(5)
    _solve(method, small)


def run(method: str, n: int, kind: str = "two_level") -> dict:
    """Time one solve; return seconds, peak RSS (GiB), levels, the load average and the Lanczos steps when known."""
    import os

    warnings.simplefilter("ignore")
    _warm_up(method, kind)
    c = two_level(n) if kind == "two_level" else three_level(n)
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    levels, steps = _solve(method, c)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 2**30
    return {"method": method, "n": n, "kind": kind, "seconds": seconds, "peak_gib": peak, "load": load,
            "levels": [float(x) for x in levels], "steps": steps}


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "two_level")))
