"""The exact coherent multiplet of a 3LS cluster (docs/coherent_tunneling.md sec. 2; docs/theory.md sec. 3).

The model space is {|1...1>, |2...2>, |3...3>}. Uniform clusters are partitioned in the
Schwinger-boson sector (dimension (N+1)(N+2)/2), all others in the full 3^N space (N <= 8), both by
layer elimination in float64, one layering per pair of wells; the matrices and bases come from the
cluster model.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np

from tunnelsim.validation import check_bool, check_choice, check_int

from .._threads import single_blas_thread
from ..models import ClusterBase, check_cluster
from .checks import degenerate_error, warn_not_low
from .effective import effective_hamiltonian
from .mplinalg import log10_abs
from .partitioning import merged_evaluator

__all__ = ["CoherentMultiplet", "coherent_multiplet", "MAX_SHELL_N_THREE_LEVEL", "MAX_SECTOR_N_THREE_LEVEL"]

#: Largest disordered 3LS cluster for the full-space layer elimination (3^8 = 6561 states).
MAX_SHELL_N_THREE_LEVEL = 8
#: Largest uniform 3LS cluster for the sector elimination.
MAX_SECTOR_N_THREE_LEVEL = 400


@dataclass(frozen=True)
class CoherentMultiplet:
    """Exact effective 3LS of the coherent multiplet {|1..1>, |2..2>, |3..3>} (K, rad).

    Attributes
    ----------
    n : int
        Number of particles.
    well_energies : tuple of float
        h_aa - offset (sum to zero).
    offset : float
        tr h / 3.
    hoppings : tuple of float
        |h_12|, |h_23|, |h_31| (0.0 where they underflow, see ``log10_hoppings``).
    log10_hoppings : tuple of float
        log10 of the hoppings.
    loop_phase : float
        arg(h_12 h_23 h_31) in (-pi, pi] (rad), the gauge-invariant flux phase of the effective 3LS
        (NaN only where a hopping vanishes or underflows, see ``log10_hoppings``).
    energies : tuple of float
        The three exact multiplet energies (ascending).
    weights : tuple of float
        Model-space weights of the three exact states.
    model_space_is_low_energy : bool
        True when the three lowest exact states are the multiplet, each mainly in the model space.
    energy_residual : float
        Linearisation error estimate (K).
    h_eff : numpy.ndarray
        The 3x3 complex effective Hamiltonian.
    method : str
        "symmetric-sector/float64" or "layers/float64".

    Examples
    --------
    >>> from clusters import ThreeLevelCluster, coherent_multiplet
    >>> m = coherent_multiplet(ThreeLevelCluster.uniform(2, [0.0, 0.0, 0.0], 0.01, -10.0, phi=0.3))
    >>> [round(h / (2 * 0.01**2 / 10.0), 2) for h in m.hoppings]   # each ~ 2 D0^2/|J| (two flip orders)
    [1.0, 1.0, 1.0]
    """

    n: int
    well_energies: tuple[float, float, float]
    offset: float
    hoppings: tuple[float, float, float]
    log10_hoppings: tuple[float, float, float]
    loop_phase: float
    energies: tuple[float, float, float]
    weights: tuple[float, float, float]
    model_space_is_low_energy: bool
    energy_residual: float
    h_eff: np.ndarray
    method: str


def _problem(cluster: ClusterBase, space: str):
    """(H, occupations, model-state indices) of the symmetric sector or the full space, from the cluster model."""
    n = cluster.n
    if space == "sector":
        check_int(n, "cluster.n", maximum=MAX_SECTOR_N_THREE_LEVEL)
        basis = cluster.sector_basis
        occupations = basis.occupations()
    else:
        if n > MAX_SHELL_N_THREE_LEVEL:
            raise ValueError(f"cluster of n = {n} particles is too large for the full-space layer elimination "
                             f"(n <= {MAX_SHELL_N_THREE_LEVEL}, 3^n states); uniform clusters use method='symmetric'")
        basis = cluster.basis
        occupations = basis.occupations()
    model = np.array([basis.coherent_state(a) for a in range(3)])
    return cluster.hamiltonian_matrix(space), occupations, model


def _result(n: int, res: dict, label: str) -> CoherentMultiplet:
    with mpmath.workdps(30):
        k = res["k"]
        c = res["centre"]
        hmat = np.array([[complex(c * (a == b) + k[a, b]) for b in range(3)] for a in range(3)])
        offset = float(mpmath.re(k[0, 0] + k[1, 1] + k[2, 2]) / 3)
        pairs = [(0, 1), (1, 2), (2, 0)]
        loop = k[0, 1] * k[1, 2] * k[2, 0]
        weights = tuple(res["weights"])
        return CoherentMultiplet(
            n=int(n), well_energies=tuple(float(mpmath.re(k[a, a]) - offset) for a in range(3)),
            offset=float(c) + offset, hoppings=tuple(float(abs(k[a, b])) for a, b in pairs),
            log10_hoppings=tuple(log10_abs(k[a, b]) for a, b in pairs),
            loop_phase=float(mpmath.arg(loop)) if loop != 0 else float("nan"),
            energies=tuple(float(r) for r in res["roots"]), weights=weights,
            model_space_is_low_energy=bool(res["negdef"] and min(weights) > 0.5),
            energy_residual=res["residual"], h_eff=hmat, method=label)


def coherent_multiplet(cluster: object, *, method: str = "auto", warn: bool = True) -> CoherentMultiplet:
    """Exact effective 3LS of the coherent states {|1..1>, |2..2>, |3..3>} of a 3LS cluster (K, rad).

    Loewdin partitioning and des Cloizeaux orthonormalisation, eqs. (1)-(2) of
    :mod:`clusters.coherent.effective` (docs/theory.md sec. 3), to be compared with the appendix's
    rules D_N = sum D0_i, summed well energies, charge N Q and loop phase N phi (paper A.16-A.20).

    Parameters
    ----------
    cluster : ThreeLevelCluster or any cluster model with 3 wells per particle (:class:`clusters.models.ClusterBase`)
    method : {"auto", "symmetric", "layers"}
        "symmetric": Schwinger-boson sector, dimension (N+1)(N+2)/2 (uniform clusters only, ``cluster.is_uniform``;
        N <= 400);
        "layers": full space 3^N (N <= 8); "auto" picks "symmetric" for uniform clusters.
        Both eliminate Q layer by layer in float64 (hoppings below ~1e-300 K underflow).
    warn : bool
        Warn (:class:`~clusters.coherent.CoherentSpaceWarning`) when the coherent states are not the
        lowest multiplet (``model_space_is_low_energy`` False).

    Returns
    -------
    CoherentMultiplet

    Raises
    ------
    ValueError
        When the model space is exactly degenerate with other configurations (e.g. identical uncoupled
        particles).

    Examples
    --------
    >>> import math
    >>> from clusters import ThreeLevelCluster, coherent_multiplet
    >>> m = coherent_multiplet(ThreeLevelCluster.uniform(2, [0.0, 0.0, 0.0], 0.01, -10.0, phi=0.3))
    >>> print(round(m.loop_phase, 2), round(2 * 0.3 + math.pi - 2 * math.pi, 2))   # N phi + pi: each hopping < 0
    -2.54 -2.54
    """
    cluster = check_cluster(cluster, local_dim=3)
    method = check_choice(method, "method", ("auto", "symmetric", "layers"))
    warn = check_bool(warn, "warn")
    if method == "symmetric" and not cluster.is_uniform:
        raise ValueError("method='symmetric' needs a uniform cluster (built by ThreeLevelCluster.uniform(...): "
                         "cluster.is_uniform); use method='layers'")
    if method == "auto":
        method = "symmetric" if cluster.is_uniform else "layers"
    h, occupations, model = _problem(cluster, "sector" if method == "symmetric" else "full")
    if cluster.n == 1:
        evaluate = lambda energy: (h.toarray(), np.eye(3, dtype=complex), True)  # noqa: E731
    else:
        evaluate = merged_evaluator(h, occupations, model)
    try:
        with single_blas_thread():
            res = effective_hamiltonian(evaluate, 3, float(np.min(h.diagonal()[model].real)), 30,
                                        float_engine=True, flip_symmetric=False)
    except (ZeroDivisionError, RuntimeError) as exc:
        raise degenerate_error("multiplet", exc) from exc
    label = "symmetric-sector/float64" if method == "symmetric" else "layers/float64"
    out = _result(cluster.n, res, label)
    if warn:
        warn_not_low(out.model_space_is_low_energy, out.weights, "multiplet")
    return out
