"""The optional GPU backend: never required, selected only with CuPy and a device (no GPU needed here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import clusters.gpu as gpu
import clusters.solvers as solvers
from clusters import TwoLevelCluster

ROOT = Path(__file__).resolve().parent.parent


def _problem(dim, *, is_complex=False, local_dim=2, degenerate=False):
    unused = lambda *a: None  # noqa: E731
    return solvers.Problem(dimension=dim, nnz_per_row=21, is_complex=is_complex, label="test", csr=unused,
                           operator=unused, apply=unused, scale=unused, kernel=unused, local_dim=local_dim,
                           degenerate=degenerate)


def test_auto_takes_the_gpu_only_when_available_and_worth_it(monkeypatch):
    monkeypatch.setattr(gpu, "gpu_available", lambda: True)
    assert solvers.choose_backend(_problem(gpu.GPU_MIN_DIM), 4) == "gpu"
    assert solvers.choose_backend(_problem(gpu.GPU_MIN_DIM - 1), 4) == "lanczos"
    assert solvers.choose_backend(_problem(3**13, is_complex=True, local_dim=3), 4) == "lanczos"
    assert solvers.choose_backend(_problem(3**13, local_dim=3), 4) == "lanczos"  # the GPU kernel is 2LS only
    assert solvers.choose_backend(_problem(gpu.GPU_MIN_DIM), None) == "dense"
    # identical particles: exact degeneracies expected, the host Lanczos with locking resolves them
    assert solvers.choose_backend(_problem(gpu.GPU_MIN_DIM, degenerate=True), 4) == "lanczos"
    monkeypatch.setattr(gpu, "gpu_available", lambda: False)
    assert solvers.choose_backend(_problem(gpu.GPU_MIN_DIM), 4) == "lanczos"


def test_gpu_available_is_false_without_cupy_or_device():
    try:
        import cupy  # noqa: F401
    except ImportError:
        assert gpu.gpu_available() is False


def test_method_gpu_without_a_device_says_what_to_use(monkeypatch):
    monkeypatch.setattr(gpu, "gpu_available", lambda: False)
    c = TwoLevelCluster([0.1, 0.2, -0.3, 0.4, 0.0], [1.0, 0.5, 0.7, 0.9, 0.3], [[0.0] * 5] * 5)
    with pytest.raises(ValueError, match="method='gpu' needs CuPy.*method='lanczos'"):
        c.eigenenergies(2, method="gpu")
    same = TwoLevelCluster([0.1] * 5, [0.5] * 5, [[0.0] * 5] * 5)  # identical particles: degeneracies expected
    with pytest.raises(ValueError, match="method='gpu' needs CuPy"):  # asked for, not silently run on the host
        same.eigenenergies(2, method="gpu", sectors="none")


def test_import_clusters_stays_light():
    """No CuPy, QuTiP or matplotlib at `import clusters` (the GPU module checks lazily)."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); import clusters; "
            "print(sorted(m for m in ('cupy', 'qutip', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_gpu_kernel_refuses_non_xor_kernels():
    pytest.importorskip("cupy")
    from clusters.hamiltonians import three_level_parts
    from clusters.kernels import ProductKernel

    k = ProductKernel(*three_level_parts([[0.0, 0.0, 0.0]], [1.0], [[0.0]], 0.3))
    with pytest.raises(ValueError, match="2LS"):
        gpu.GpuKernel.from_host(k)


def test_xor_coefficients_follow_the_bit_order_and_refuse_other_forms():
    """Bit j belongs to particle N-1-j (the host kernel's order); anything but t sigma^x is refused."""
    from clusters.kernels import ProductKernel

    hoff = np.zeros((6, 2, 2))
    hoff[:, 0, 1] = hoff[:, 1, 0] = np.arange(1.0, 7.0)
    assert np.array_equal(gpu.xor_coefficients(hoff), ProductKernel(np.zeros(64), hoff).coef)
    bad = hoff.copy()
    bad[2, 0, 0] = 0.1
    with pytest.raises(ValueError, match="zero diagonal"):
        gpu.xor_coefficients(bad)
    with pytest.raises(ValueError, match="2LS"):
        gpu.xor_coefficients(np.zeros((3, 3, 3)))
    with pytest.raises(ValueError, match="shapes"):
        gpu.check_tables(np.zeros((5, 2)), hoff, np.zeros((6, 6)), np.eye(2))
    with pytest.raises(ValueError, match="symmetric"):
        gpu.check_tables(np.zeros((6, 2)), hoff, np.triu(np.ones((6, 6)), 1), np.eye(2))


def test_device_estimate_fits_n32_on_one_card_and_host_keeps_no_vector():
    """N = 32 (32 GiB a vector): diagonal + two vectors fit 90 % of a 139 GiB card, with states they do not;
    built from tables, the host needs no array of 2^N entries."""
    card = 139.0 * 2**30
    assert gpu.estimate_gpu_device_bytes(2**32, 4, False) == pytest.approx(3 * 2**35 + gpu.DEVICE_SLACK)
    assert gpu.device_fits(2**32, 4, False, free_bytes=card)
    assert not gpu.device_fits(2**32, 4, True, free_bytes=card)
    assert not gpu.device_fits(2**33, 4, False, free_bytes=card)
    assert gpu.estimate_gpu_host_bytes(2**32, 4, False, tables=True) < 2**27
    assert gpu.estimate_gpu_host_bytes(2**32, 4, False, tables=False) >= 2.5 * 2**35
    assert gpu.estimate_gpu_host_bytes(2**32, 4, True, tables=True) >= 4 * 2**35


def test_method_gpu_refuses_what_does_not_fit_with_the_gib(monkeypatch):
    monkeypatch.setattr(gpu, "gpu_available", lambda: True)
    monkeypatch.setattr(gpu, "device_fits", lambda dim, k, vectors: False)
    c = TwoLevelCluster([0.1, 0.2, -0.3, 0.4, 0.0], [1.0, 0.5, 0.7, 0.9, 0.3], [[0.0] * 5] * 5)
    with pytest.raises(ValueError, match=r"needs about .* GiB of device memory.*method='lanczos'"):
        c.eigenenergies(2, method="gpu", sectors="none")


def test_small_spaces_are_refused_before_cupy_is_needed():
    with pytest.raises(ValueError, match="N >= 5"):
        gpu.GpuKernel(None, np.ones(4), 0.0, 4)


def test_lanczos_uses_the_kernels_own_start_vector():
    """The device path draws its start vector through the kernel (``random_vector``); a host stand-in with that
    hook runs the same driver to the dense levels, and the hook is what is called."""
    from cluster_factories import fast_two_level, random_two_level

    from clusters.hamiltonians import two_level_parts
    from clusters.kernels import ProductKernel
    from clusters.lanczos import lanczos_lowest

    calls = []

    class DrawingKernel(ProductKernel):
        def random_vector(self, seed):
            calls.append(seed)
            return np.random.default_rng(seed + 1).standard_normal(self.dim)

    c = random_two_level(9, 4)
    k = DrawingKernel(*two_level_parts(c.asymmetries, c.tunnelings, c.couplings))
    res = lanczos_lowest(k, 3, tol=1e-10, merge_tol=1e-11, vectors=True, seed=7)
    ref = np.linalg.eigvalsh(fast_two_level(c.asymmetries, c.tunnelings, c.couplings))[:3]
    assert res.converged and np.allclose(res.energies, ref, atol=1e-9)
    assert calls == [7, 7]  # the first pass and the regenerating second pass draw the same vector
