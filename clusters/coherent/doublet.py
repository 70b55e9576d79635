"""The exact coherent doublet of a 2LS cluster (docs/coherent_tunneling.md sec. 2; docs/theory.md sec. 3).

The model space is {|L...L>, |R...R>} (states 0 and 2^N - 1 of :class:`clusters.bases.ProductBasis`;
m = 0 and m = N of the S = N/2 sector). Uniform clusters (:attr:`clusters.models.ClusterBase.is_uniform`)
are partitioned in the S = N/2 sector in mpmath (any N), all others in the full 2^N space by layer
elimination in float64 (N <= 14). Everything about the cluster (its matrices, bases, symmetry,
blocks of other total spin) comes from the cluster model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import mpmath
import numpy as np

from tunnelsim.validation import check_bool, check_choice, check_int

from .._threads import single_blas_thread
from ..models import ClusterBase, check_cluster
from ..perturbative import log10_hopping_from_parts
from .checks import degenerate_error, warn_not_low
from .effective import effective_hamiltonian
from .mplinalg import log10_abs
from .partitioning import merged_evaluator, two_level_sector_evaluator

__all__ = ["CoherentDoublet", "coherent_doublet", "MAX_SHELL_N_TWO_LEVEL"]

#: Largest disordered 2LS cluster for the full-space layer elimination (largest layer C(14, 7) = 3432).
MAX_SHELL_N_TWO_LEVEL = 14


@dataclass(frozen=True)
class CoherentDoublet:
    """Exact effective 2LS of the coherent doublet {|L..L>, |R..R>} (energies in K).

    H_eff = offset + 1/2 (asymmetry sz + tunneling_signed sx), so that at zero asymmetry
    ``tunneling`` equals the doublet splitting (docs/theory.md sec. 1.1 convention).

    Attributes
    ----------
    n : int
        Number of particles.
    asymmetry : float
        Effective asymmetry h_LL - h_RR.
    tunneling : float
        Effective tunneling |2 h_LR| (>= 0; 0.0 where it underflows float64, see ``log10_tunneling``).
    hopping : float
        The signed element h_LR = <L..L|h|R..R> (its sign is (-1)^(N-1) for ferromagnetic clusters).
    log10_tunneling : float
        log10 of ``tunneling`` (log10 of K), finite even below 1e-308 (``-inf`` only when some Delta0_i = 0).
    offset : float
        (h_LL + h_RR) / 2.
    splitting : float
        sqrt(asymmetry^2 + tunneling^2), the exact gap of the doublet.
    energies : tuple of float
        The two exact doublet energies (ascending).
    weights : tuple of float
        Model-space weight |P psi|^2 of the two exact doublet states (ascending energy).
    model_space_is_low_energy : bool
        True when the two lowest exact states are the doublet, each mainly (> 1/2) in the model space
        (for uniform clusters: of the whole 2^N space, every total-spin sector S < N/2 checked to lie higher).
    energy_residual : float
        Error estimate of the linearisation, max_k |eig_k A(lambda_k) - lambda_k| (K).
    h_eff : numpy.ndarray
        The 2x2 effective Hamiltonian (float64; tiny elements may underflow).
    method : str
        "symmetric-sector/mpmath" or "layers/float64".

    Examples
    --------
    >>> import math
    >>> from clusters import TwoLevelCluster, coherent_doublet
    >>> d = coherent_doublet(TwoLevelCluster.uniform(2, 0.3, 1.0, -20.0))
    >>> gap = d.energies[1] - d.energies[0]
    >>> print(round(d.splitting, 6), round(math.hypot(d.asymmetry, d.tunneling), 6), round(gap, 6))
    0.600333 0.600333 0.600333
    >>> round(d.asymmetry, 3)                             # ~ N Delta at |J| >> Delta0
    0.6
    """

    n: int
    asymmetry: float
    tunneling: float
    hopping: float
    log10_tunneling: float
    offset: float
    splitting: float
    energies: tuple[float, float]
    weights: tuple[float, float]
    model_space_is_low_energy: bool
    energy_residual: float
    h_eff: np.ndarray
    method: str


def _sector(cluster: ClusterBase, dps: int, flip: bool) -> dict:
    evaluate, start = two_level_sector_evaluator(*cluster.sector_tridiagonal(number="mpmath"))
    return effective_hamiltonian(evaluate, 2, start, dps, float_engine=False, flip_symmetric=flip)


def _layers(cluster: ClusterBase, flip: bool) -> dict:
    n = cluster.n
    if n > MAX_SHELL_N_TWO_LEVEL:
        raise ValueError(f"cluster of n = {n} particles is too large for the full-space layer "
                         f"elimination (n <= {MAX_SHELL_N_TWO_LEVEL}: the middle layer alone needs "
                         f"{math.comb(n, n // 2) ** 2 * 8 / 2**30:.1f} GiB); uniform clusters use "
                         f"method='symmetric'")
    h = cluster.hamiltonian_matrix("full")
    basis = cluster.basis
    model = np.array([basis.coherent_state(0), basis.coherent_state(1)])
    evaluate = merged_evaluator(h, basis.occupations(), model)
    with single_blas_thread():
        return effective_hamiltonian(evaluate, 2, float(np.min(h.diagonal()[model].real)), 30, float_engine=True,
                                     flip_symmetric=flip)


def _underflow_log10(cluster: ClusterBase) -> float:
    """log10 of the splitting 2|t| where h_LR underflowed float64 (layers method).

    h_LR underflows only when the tunnelings are tiny against the energy denominators, where the N-th
    order term is exact to relative order (Delta0/gap)^2, i.e. to float64 precision; it is summed in
    log space (:func:`clusters.perturbative.log10_hopping_from_parts`) from the cluster's configuration
    energies and one-particle hoppings <L|h_i|R>.
    """
    hop = np.abs(cluster.terms()[1][:, 0, 1])
    if np.any(hop == 0):
        return -math.inf
    energies = cluster.hamiltonian_matrix("full").diagonal().real
    sign, log10_t = log10_hopping_from_parts(energies, hop, max_n=MAX_SHELL_N_TWO_LEVEL)
    return math.log10(2.0) + log10_t if sign else -math.inf


def _result(n: int, res: dict, dps: int, label: str, cluster: ClusterBase | None = None) -> CoherentDoublet:
    with mpmath.workdps(dps):
        k = res["k"]
        hop = mpmath.re(k[0, 1])
        asym = mpmath.re(k[0, 0] - k[1, 1])
        tun = 2 * abs(hop)
        log10_tun = log10_abs(tun)
        if tun == 0 and cluster is not None and n > 1:
            log10_tun = _underflow_log10(cluster)
        h_eff = np.array([[float(res["centre"] + mpmath.re(k[0, 0])), float(hop)],
                          [float(hop), float(res["centre"] + mpmath.re(k[1, 1]))]])
        weights = tuple(res["weights"])
        return CoherentDoublet(
            n=int(n), asymmetry=float(asym), tunneling=float(tun), hopping=float(hop),
            log10_tunneling=log10_tun, offset=float(res["centre"] + mpmath.re(k[0, 0] + k[1, 1]) / 2),
            splitting=float(mpmath.sqrt(asym**2 + tun**2)),
            energies=(float(res["roots"][0]), float(res["roots"][1])), weights=weights,
            model_space_is_low_energy=bool(res["negdef"] and min(weights) > 0.5),
            energy_residual=res["residual"], h_eff=h_eff, method=label)


def coherent_doublet(cluster: object, *, method: str = "auto", dps: int = 50, warn: bool = True) -> CoherentDoublet:
    """Exact effective 2LS of the coherent states {|L..L>, |R..R>} of a 2LS cluster (energies in K).

    Loewdin partitioning (:mod:`clusters.coherent.partitioning`), solved self-consistently and
    turned into the Hermitian (des Cloizeaux) effective Hamiltonian by eq. (2) of
    :mod:`clusters.coherent.effective`; docs/theory.md sec. 3 ("Exact counterpart"), to be compared
    with the appendix's rule Delta0_N = sum Delta0_i (paper A.13-A.15). Accurate to relative
    precision for splittings far below the float64 resolution of the total energy.

    Parameters
    ----------
    cluster : TwoLevelCluster or any cluster model with two wells per particle (:class:`clusters.models.ClusterBase`)
    method : {"auto", "symmetric", "layers"}
        "symmetric": S = N/2 sector in mpmath (uniform clusters only, ``cluster.is_uniform``; any N);
        "layers": full space 2^N, layer elimination in float64 (N <= 14);
        "auto": "symmetric" for uniform clusters, else "layers".
    dps : int
        mpmath decimal digits for the symmetric-sector method.
    warn : bool
        Warn (:class:`~clusters.coherent.CoherentSpaceWarning`) when the coherent states are not the
        lowest doublet (``model_space_is_low_energy`` False).

    Returns
    -------
    CoherentDoublet

    Raises
    ------
    ValueError
        When the model space is exactly degenerate with other configurations (e.g. N >= 2 identical
        uncoupled particles, all J_ij = 0): the effective Hamiltonian does not exist there.

    Examples
    --------
    >>> from clusters import TwoLevelCluster, coherent_doublet, uniform_couplings
    >>> d = coherent_doublet(TwoLevelCluster.uniform(2, 0.0, 1.0, -20.0))   # |J| >> Delta0: Delta0^2/(2|J|) (eq. 3.5)
    >>> print(round(d.tunneling, 4), 1.0**2 / (2 * 20.0), d.hopping < 0, d.model_space_is_low_energy)
    0.025 0.025 True True
    >>> same = coherent_doublet(TwoLevelCluster([0.0, 0.0], [1.0, 1.0], uniform_couplings(2, -20.0)))   # full space
    >>> print(same.method, round(same.tunneling, 10) == round(d.tunneling, 10))
    layers/float64 True
    """
    cluster = check_cluster(cluster, local_dim=2)
    method = check_choice(method, "method", ("auto", "symmetric", "layers"))
    dps = check_int(dps, "dps", minimum=20, maximum=2000)
    warn = check_bool(warn, "warn")
    if method == "symmetric" and not cluster.is_uniform:
        raise ValueError("method='symmetric' needs a uniform cluster (built by TwoLevelCluster.uniform(...): "
                         "cluster.is_uniform); use method='layers'")
    if method == "auto":
        method = "symmetric" if cluster.is_uniform else "layers"
    flip = cluster.symmetry() == "parity"
    try:
        if method == "symmetric":
            out = _result(cluster.n, _sector(cluster, dps, flip), dps, "symmetric-sector/mpmath")
            other = cluster.lowest_outside_sector()
            if math.isfinite(other) and other <= max(out.energies) + 1e-12 * (1 + abs(other)):
                out = replace(out, model_space_is_low_energy=False)
        else:
            out = _result(cluster.n, _layers(cluster, flip), dps, "layers/float64", cluster)
    except (ZeroDivisionError, RuntimeError) as exc:
        raise degenerate_error("doublet", exc) from exc
    if warn:
        warn_not_low(out.model_space_is_low_energy, out.weights, "doublet")
    return out
