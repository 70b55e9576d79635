"""The optional GPU backend: never required, selected only with CuPy and a device (no GPU needed here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
        gpu.GpuKernel(k)
