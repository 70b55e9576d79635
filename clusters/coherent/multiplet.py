"""The exact coherent multiplet of a 3LS cluster (docs/coherent_tunneling.md sec. 2; docs/theory.md sec. 3).

The model space is {|1...1>, |2...2>, |3...3>}. Uniform clusters are partitioned in the
Schwinger-boson sector (dimension (N+1)(N+2)/2), disordered ones in the full 3^N space (N <= 8),
both by layer elimination in float64, one layering per pair of wells.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np

from tunnelsim.validation import check_bool, check_choice, check_int

from .._threads import single_blas_thread
from ..bases import ProductBasis, SymmetricSector
from ..hamiltonians import hamiltonian_csr, three_level_parts, three_level_sector_hamiltonian
from ..models.parameters import is_uniform, pair_matrix, three_level_arrays, uniform_scalars
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


def _sector_problem(e: np.ndarray, d0: np.ndarray, j: np.ndarray, phi: float):
    n = d0.size
    check_int(n, "cluster.n", maximum=MAX_SECTOR_N_THREE_LEVEL)
    coupling = float(j[0, 1]) if n > 1 else 0.0
    sector = SymmetricSector(n, 3)
    model = np.array([sector.coherent_state(a) for a in range(3)])
    return three_level_sector_hamiltonian(n, e[0], float(d0[0]), coupling, phi), sector.occupations(), model


def _full_problem(e: np.ndarray, d0: np.ndarray, j: np.ndarray, phi: float):
    n = d0.size
    if n > MAX_SHELL_N_THREE_LEVEL:
        raise ValueError(f"cluster of n = {n} particles is too large for the full-space layer elimination "
                         f"(n <= {MAX_SHELL_N_THREE_LEVEL}, 3^n states); uniform clusters use method='symmetric'")
    basis = ProductBasis(n, 3)
    model = np.array([basis.coherent_state(a) for a in range(3)])
    return hamiltonian_csr(*three_level_parts(e, d0, j, phi)), basis.occupations(), model


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
    cluster : ThreeLevelCluster or any object with ``energies`` (N, 3), ``d0s`` (N,),
        ``couplings`` (N, N) in K and ``phi`` in rad.
    method : {"auto", "symmetric", "layers"}
        "symmetric": Schwinger-boson sector, dimension (N+1)(N+2)/2 (uniform clusters only, N <= 400);
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
    """
    method = check_choice(method, "method", ("auto", "symmetric", "layers"))
    warn = check_bool(warn, "warn")
    scalars = uniform_scalars(cluster, ("energy", "d0", "coupling", "phi")) if method != "layers" else None
    if scalars is not None:  # a .uniform(...) cluster: its scalars, never the N x N coupling matrix
        n, e1, dz, jj, phi = scalars
        e, d0 = np.tile(np.asarray(e1, dtype=float), (n, 1)), np.full(n, float(dz))
        j, uniform = pair_matrix(n, float(jj)), True
    else:
        e, d0, j, phi = three_level_arrays(cluster)
        uniform = is_uniform((e, d0), j)
    if method == "symmetric" and not uniform:
        raise ValueError("method='symmetric' needs a uniform cluster (equal energies, d0s and all-to-all "
                         "couplings); use method='layers'")
    if method == "auto":
        method = "symmetric" if uniform else "layers"
    if method == "symmetric":
        h, occupations, model = _sector_problem(e, d0, j, phi)
    else:
        h, occupations, model = _full_problem(e, d0, j, phi)
    if d0.size == 1:
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
    out = _result(d0.size, res, label)
    if warn:
        warn_not_low(out.model_space_is_low_energy, out.weights, "multiplet")
    return out
