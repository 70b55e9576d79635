"""Leading (N-th) order perturbation theory for the coherent tunneling of a cluster.

For a cluster whose coherent states |L...L> and |R...R> are degenerate (all Delta_i = 0)
and far below every other configuration (ferromagnetic J_ij, |J| >> Delta0), the lowest
order at which the two are coupled is N: every particle must flip once. Summing over the N!
orders of the flips, each flip carrying the matrix element Delta0_i / 2 and each intermediate
configuration S (the set already flipped) an energy denominator E_0 - E(S), gives the
effective hopping (docs/theory.md sec. 3, "Exact counterpart [check]")

    t = sum_{orders} prod_i (Delta0_i / 2) / prod_{k=1}^{N-1} (E_0 - E(S_k)),

and the splitting 2 |t|. For the uniform all-to-all cluster E(S_k) - E_0 = 2 |J| k (N - k),
so that the splitting has the closed form 2 N (Delta0/2)^N / ((2|J|)^(N-1) (N-1)!).
It is exponentially small in N, not N * Delta0.
"""

from __future__ import annotations

import math

import numpy as np

from tunnelsim.validation import as_real_array, as_real_scalar, check_int, check_square_symmetric

from .bases import ProductBasis
from .hamiltonians import two_level_parts
from .memory import check_memory

__all__ = [
    "perturbative_tunneling",
    "log10_perturbative_tunneling",
    "perturbative_hopping",
    "log10_perturbative_hopping",
    "log10_hopping_from_parts",
    "MAX_HOPPING_N",
]

#: Largest cluster for the subset sum of :func:`perturbative_hopping` (2^28 subsets: about 2 GiB per array).
MAX_HOPPING_N = 28


def _check_uniform(n: object, tunneling: object, coupling: object) -> tuple[int, float, float]:
    n = check_int(n, "n", minimum=1)
    tunneling = as_real_scalar(tunneling, "tunneling")
    coupling = as_real_scalar(coupling, "coupling")
    if n > 1 and coupling == 0.0:
        raise ValueError("coupling must be non-zero for the N-th order formula (it divides by |J|)")
    return n, tunneling, coupling


def log10_perturbative_tunneling(n: int, tunneling: float, coupling: float) -> float:
    """log10 of the N-th order splitting of a uniform cluster (never underflows).

    Parameters
    ----------
    n : int
        Number of particles N >= 1.
    tunneling : float
        Tunneling element Delta0 of each particle (K).
    coupling : float
        All-to-all coupling J (K); only |J| enters.

    Returns
    -------
    float
        log10 of 2 N (|Delta0|/2)^N / ((2|J|)^(N-1) (N-1)!) (docs/theory.md sec. 3).

    Raises
    ------
    ValueError
        For Delta0 = 0 (the splitting vanishes: its log10 is -inf).

    Examples
    --------
    >>> import math
    >>> from clusters import log10_perturbative_tunneling
    >>> print(round(log10_perturbative_tunneling(3, 1.0, -10.0), 9), round(math.log10(6 * 0.5**3 / (20.0**2 * 2)), 9))
    -3.028028724 -3.028028724
    """
    n, tunneling, coupling = _check_uniform(n, tunneling, coupling)
    if tunneling == 0.0:
        raise ValueError("tunneling = 0: the splitting vanishes and has no finite log10 (perturbative_tunneling "
                         "gives 0.0)")
    value = math.log10(2 * n) + n * math.log10(abs(tunneling) / 2)
    if n > 1:
        value -= (n - 1) * math.log10(2 * abs(coupling)) + math.lgamma(n) / math.log(10)
    return value


def perturbative_tunneling(n: int, tunneling: float, coupling: float) -> float:
    """N-th order effective tunneling (doublet splitting) of a uniform cluster, in K.

    Implements 2 N (Delta0/2)^N / ((2|J|)^(N-1) (N-1)!) (eq. 3.5 of docs/theory.md sec. 3), valid for
    Delta = 0 and |J| >> Delta0. Returns 0.0 where the value underflows float64 (use
    :func:`log10_perturbative_tunneling` there).

    Parameters
    ----------
    n : int
        Number of particles N >= 1.
    tunneling : float
        Tunneling element Delta0 of each particle (K).
    coupling : float
        All-to-all coupling J (K).

    Examples
    --------
    >>> from clusters import perturbative_tunneling
    >>> perturbative_tunneling(1, 0.7, -3.0)             # N = 1: the bare Delta0
    0.7
    >>> print(round(perturbative_tunneling(2, 1.0, -20.0), 12), 1.0**2 / (2 * 20.0))   # N = 2: Delta0^2/(2|J|)
    0.025 0.025
    """
    n, tunneling, coupling = _check_uniform(n, tunneling, coupling)
    if tunneling == 0.0:
        return 0.0
    value = log10_perturbative_tunneling(n, tunneling, coupling)
    if value > 307.0:
        raise ValueError(f"the N-th order splitting for n = {n}, tunneling = {tunneling:g} K, coupling = "
                         f"{coupling:g} K is 10^{value:.4g} K, beyond float64: use log10_perturbative_tunneling")
    return 10.0**value


def perturbative_hopping(asymmetries: object, tunnelings: object, couplings: object,
                         max_n: int = 16) -> float:
    """N-th order effective hopping <L..L|H_eff|R..R> of an arbitrary 2LS cluster, in K.

    Sums the N! flip orders by dynamic programming over the 2^N subsets S of flipped
    particles: f(S) = sum_{i in S} f(S - {i}) (Delta0_i/2) / (E_0 - E(S)), with
    E_0 = (E(L..L) + E(R..R))/2 the (mean) model-space energy and E(S) the diagonal
    (classical) energy H = sum_i Delta_i s_i / 2 + sum_{i<j} J_ij s_i s_j of the configuration
    (docs/theory.md sec. 3; :func:`clusters.hamiltonians.configuration_energies`, the subsets S
    being the product states of :class:`clusters.bases.ProductBasis` with digit 1 = flipped to R).
    The effective tunneling in the 2LS convention is 2 t. For the uniform cluster this reproduces
    the closed form of :func:`perturbative_tunneling` with the sign (-1)^(N-1). Use
    :func:`log10_perturbative_hopping` where t underflows float64.

    Parameters
    ----------
    asymmetries, tunnelings : array_like, shape (N,)
        Delta_i and Delta0_i (K).
    couplings : array_like, shape (N, N)
        Symmetric J_ij with zero diagonal (K).
    max_n : int
        Refuse N above this (1 <= max_n <= ``MAX_HOPPING_N``; the sum costs 2^N N operations and
        about 2^N (N + 3) x 8 bytes, checked against the available memory).

    Returns
    -------
    float
        The signed N-th order hopping t (K).

    Examples
    --------
    >>> from clusters import perturbative_hopping, perturbative_tunneling, uniform_couplings
    >>> t = perturbative_hopping([0.0, 0.0], [1.0, 1.0], uniform_couplings(2, -10.0))
    >>> print(round(t, 12))                               # 2 orders of (1/2)(1/2) / (E0 - E(flip)) = 0.25 / -20
    -0.025
    >>> t3 = perturbative_hopping([0.0] * 3, [1.0] * 3, uniform_couplings(3, -10.0))   # sign (-1)^(N-1) = +1
    >>> print(round(2 * t3, 15) == round(perturbative_tunneling(3, 1.0, -10.0), 15), t3 > 0)
    True True
    """
    sign, log10_t = _hopping(asymmetries, tunnelings, couplings, max_n)
    return sign * 10.0**log10_t if sign else 0.0


def log10_perturbative_hopping(asymmetries: object, tunnelings: object, couplings: object,
                               max_n: int = 16) -> tuple[float, float]:
    """Sign and log10 |t| of the N-th order hopping of :func:`perturbative_hopping` (never underflows).

    The sum is homogeneous of degree N in the Delta0_i, so it is evaluated with Delta0_i / max Delta0
    and rescaled in log space: finite for tunnelings of 1e-300 K or N in the hundreds of orders.

    Parameters
    ----------
    asymmetries, tunnelings, couplings, max_n
        As for :func:`perturbative_hopping` (K).

    Returns
    -------
    sign : float
        +1.0, -1.0, or 0.0 when t = 0 (some Delta0_i = 0).
    log10_abs : float
        log10 |t / K| (``-inf`` when t = 0).

    Examples
    --------
    >>> from clusters import log10_perturbative_hopping, uniform_couplings
    >>> sign, lg = log10_perturbative_hopping([0.0, 0.0], [1.0, 1.0], uniform_couplings(2, -10.0))
    >>> print(sign, round(10**lg, 12))                    # t = -0.025 K
    -1.0 0.025
    >>> sign, lg = log10_perturbative_hopping([0.0, 0.0], [1e-200, 1e-200], uniform_couplings(2, -10.0))
    >>> print(sign, round(lg, 6))                         # degree N = 2 in Delta0: log10(0.025) - 400, no underflow
    -1.0 -401.60206
    """
    return _hopping(asymmetries, tunnelings, couplings, max_n)


def log10_hopping_from_parts(configuration_energies: object, hoppings: object, max_n: int = 16
                             ) -> tuple[float, float]:
    """Sign and log10 |t| of the N-th order hopping from a cluster's parts (any 2-well model), never underflowing.

    The subset sum of :func:`perturbative_hopping` with the diagonal energies E(s) of every product
    state (length 2^N, basis of :class:`clusters.bases.ProductBasis`, digit 1 = flipped to R) and the
    one-particle elements t_i = <L|h_i|R> (Delta0_i / 2 for a 2LS), in K (docs/theory.md sec. 3).

    Parameters
    ----------
    configuration_energies : array_like, shape (2**N,)
        E(s) in K (e.g. the diagonal of ``cluster.hamiltonian_matrix("full")``).
    hoppings : array_like, shape (N,)
        t_i >= 0 in K.
    max_n : int
        As for :func:`perturbative_hopping`.

    Returns
    -------
    sign : float
        +1.0, -1.0, or 0.0 when t = 0.
    log10_abs : float
        log10 |t / K| (``-inf`` when t = 0).

    Examples
    --------
    >>> import numpy as np
    >>> sign, lg = log10_hopping_from_parts(np.array([-5.0, 5.0, 5.0, -5.0]), np.array([0.5, 0.5]))
    >>> sign, round(10**lg, 12)   # 2 orders, each (1/2)(1/2) / (E0 - E(flip)) = 0.25 / -10
    (-1.0, 0.05)
    """
    t = as_real_array(hoppings, "hoppings", ndim=1)
    n = t.size
    max_n = check_int(max_n, "max_n", minimum=1, maximum=MAX_HOPPING_N)
    if n > max_n:
        raise ValueError(f"n = {n} particles exceeds max_n = {max_n} (the sum costs 2^N N operations and "
                         f"2^N (N + 3) x 8 bytes)")
    energy = as_real_array(configuration_energies, "configuration_energies", ndim=1)
    if energy.size != 2**n:
        raise ValueError(f"configuration_energies must have 2^N entries for the N = {n} hoppings given, got "
                         f"{energy.size} energies and {n} hoppings")
    if np.any(t < 0):
        raise ValueError("hoppings must be >= 0 (K)")
    check_memory(8.0 * 2.0**n * (n + 3), f"the 2^{n} subset sum of perturbative_hopping")
    scale = float(t.max()) if n else 0.0
    if scale == 0.0 or np.any(t == 0.0):
        return 0.0, -math.inf
    value = _subset_sum(energy, t / scale)
    if value == 0.0:
        return 0.0, -math.inf
    return math.copysign(1.0, value), math.log10(abs(value)) + n * math.log10(scale)


def _hopping(asymmetries: object, tunnelings: object, couplings: object, max_n: object) -> tuple[float, float]:
    d0 = as_real_array(tunnelings, "tunnelings", ndim=1)
    delta = as_real_array(asymmetries, "asymmetries", ndim=1)
    n = d0.size
    if delta.shape != d0.shape:
        raise ValueError(f"asymmetries and tunnelings must have one entry per particle, got lengths {delta.size} "
                         f"and {n}")
    j = check_square_symmetric(couplings, "couplings", n)
    max_n = check_int(max_n, "max_n", minimum=1, maximum=MAX_HOPPING_N)
    if np.any(d0 < 0):
        raise ValueError("tunnelings must be >= 0 (K)")
    if n > max_n:
        raise ValueError(f"n = {n} particles exceeds max_n = {max_n} (the sum costs 2^N N operations and "
                         f"2^N (N + 3) x 8 bytes)")
    check_memory(8.0 * 2.0**n * (n + 3), f"the 2^{n} subset sum of perturbative_hopping")
    return log10_hopping_from_parts(two_level_parts(delta, d0, j)[0], 0.5 * d0, max_n)


def _subset_sum(energy: np.ndarray, t: np.ndarray) -> float:
    """f(full set) of the dynamic programme, layer by layer (number of flipped particles), vectorised."""
    n = t.size
    basis = ProductBasis(n, 2)
    flipped = basis.digits().astype(bool)
    stride = np.array([basis.stride(i) for i in range(n)])
    e0 = 0.5 * (energy[0] + energy[-1])
    count = flipped.sum(axis=1)
    middle = (count > 0) & (count < n)
    if np.any(energy[middle] == e0):
        raise ValueError("an intermediate configuration is degenerate with the coherent states (E(S) = E0 for "
                         "these asymmetries and couplings): the N-th order sum diverges, perturbation theory "
                         "does not apply")
    f = np.zeros(basis.dimension)
    f[0] = 1.0
    for k in range(1, n + 1):
        states = np.flatnonzero(count == k)
        acc = np.zeros(states.size)
        for i in range(n):
            has = flipped[states, i]
            acc[has] += f[states[has] - stride[i]] * t[i]
        f[states] = acc if k == n else acc / (e0 - energy[states])
    return float(f[-1])
