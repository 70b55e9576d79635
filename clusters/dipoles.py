"""Dipole moments of 2LS clusters: the dipole operator and the exact transition dipole of the lowest pair.

Particle i carries the dipole p_i (a 3-vector) between its wells: the cluster's dipole operator is

    D = sum_i (p_i / 2) sigma^z_i,                                                          (D.1)

so that one particle has <L|D|L> - <R|D|R> = p_i, the STM's dipole p (docs/theory.md sec. 6), and
the coherent states of a cluster differ by sum_i p_i. The transition dipole of the lowest pair is

    mu_01 = <0|D|1>,     p_N = 2 |mu_01|,                                                   (D.2)

p_N being the dipole of the equivalent single 2LS (p_N = p u for one particle, u = Delta0 / E).
Dipoles are in any unit (Debye, or e x length): every result carries the unit of ``dipoles``.
Energies in K. See docs/coherent_tunneling.md sec. 6.

Exactness: at zero asymmetries the global flip F = prod_i sigma^x_i commutes with H and D anticommutes
with it, so the lowest pair is the lowest even and the lowest odd state and mu_01 = sum_s psi_e(s)
psi_o(s) d(s) is computed in the two parity sectors separately, exact however small the splitting.
Uniform clusters use the S = N/2 sector (any N; <0|sigma^z_i|1> = 2 <0|S_z|1> / N for every i).
Otherwise the two lowest states come from :meth:`clusters.TwoLevelCluster.eigenstates`, and
``resolved`` says whether the gap is far above the float64 resolution of the energies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.linalg import eigh_tridiagonal
from scipy.sparse.linalg import eigsh

from tunnelsim.stats import as_generator
from tunnelsim.validation import as_real_array, as_real_scalar, check_bool, check_choice, check_int, check_positive

from .bases import ProductBasis
from .hamiltonians import hamiltonian_csr, two_level_parts, two_level_tridiagonal
from .models.parameters import is_uniform, two_level_arrays

__all__ = ["TransitionDipole", "random_dipoles", "transition_dipole", "dipole_diagonal", "MAX_PARITY_N", "RESOLUTION"]

#: Largest disordered cluster for the exact parity-sector route (two sectors of 2^(N-1) states).
MAX_PARITY_N = 18
#: A gap is resolved when above this many (1e3) float64 roundoffs of the largest |energy| (at least 1 K).
RESOLUTION = 1e3 * np.finfo(float).eps


@dataclass(frozen=True)
class TransitionDipole:
    """The transition dipole of the lowest pair of a 2LS cluster (eq. D.2; unit of the input dipoles).

    Attributes
    ----------
    vector : numpy.ndarray, shape (3,)
        mu_01 = <0|D|1> (real: the states are real).
    magnitude : float
        |mu_01|.
    effective_dipole : float
        p_N = 2 |mu_01|, the dipole of the equivalent single 2LS.
    coherent_dipole : float
        |sum_i p_i|, the dipole difference of the coherent states |L..L> and |R..R>.
    gap : float
        E1 - E0 in K.
    resolved : bool
        False when the gap is within 1e3 float64 roundoffs of the energies (then the states of the pair
        mix arbitrarily and mu_01 is not determined); always True for the exact parity and sector routes.
    method : str
        "symmetric-sector", "parity-sectors" or "states".
    """

    vector: np.ndarray
    magnitude: float
    effective_dipole: float
    coherent_dipole: float
    gap: float
    resolved: bool
    method: str


def random_dipoles(n: int, magnitude: float = 1.0, seed=None, *, aligned: bool = False,
                   axis=(0.0, 0.0, 1.0)) -> np.ndarray:
    """N dipole vectors of equal length: all along ``axis`` or in independent random directions.

    Parameters
    ----------
    n : int
        Number of particles.
    magnitude : float
        |p_i| (> 0), in the caller's dipole unit (Debye or e x length).
    seed : int, None or numpy.random.Generator
        Random stream for the directions (:func:`tunnelsim.stats.as_generator`).
    aligned : bool
        All along ``axis`` (no randomness) instead of isotropic random directions.
    axis : sequence of 3 floats
        The common direction (non-zero).

    Returns
    -------
    ndarray, shape (N, 3)
    """
    n = check_int(n, "n", minimum=1, maximum=10**7)
    magnitude = float(check_positive(as_real_scalar(magnitude, "magnitude"), "magnitude"))
    aligned = check_bool(aligned, "aligned")
    ax = as_real_array(axis, "axis", shape=(3,))
    if not np.any(ax):
        raise ValueError("axis must be a non-zero vector")
    if aligned:
        return np.tile(magnitude * ax / np.linalg.norm(ax), (n, 1))
    v = as_generator(seed).normal(size=(n, 3))
    return magnitude * v / np.linalg.norm(v, axis=1, keepdims=True)


def dipole_diagonal(n: int, dipoles: np.ndarray, states: np.ndarray | None = None) -> np.ndarray:
    """<s|D|s> = sum_i (p_i / 2) sigma^z_i(s) of eq. (D.1) for product states s (basis of :mod:`clusters.bases`).

    Parameters
    ----------
    n : int
        Number of particles.
    dipoles : ndarray, shape (N, 3)
        p_i (any dipole unit).
    states : ndarray of int, optional
        Product-state indices (default: all 2^N).

    Returns
    -------
    ndarray, shape (len(states), 3)
        In the unit of ``dipoles``; D is diagonal in the product basis (sigma^z = +1 in L).
    """
    return 0.5 * (1 - 2 * ProductBasis(n, 2).digits(states)) @ dipoles


def _sector_route(n: int, d0: float, j: float, dipoles: np.ndarray, delta: float):
    """<0|S_z|1> in the S = N/2 sector (m = number of R particles, S_z = (N - 2m)/2), by parity if Delta = 0."""
    diag, off = two_level_tridiagonal(n, delta, d0, j)
    sz = (n - 2 * np.arange(n + 1)) / 2.0
    if delta == 0.0 and n > 1:
        h = sp.diags([off, diag, off], [-1, 0, 1]).toarray()
        m = np.arange(n + 1)
        lo = m[m < n - m]
        vecs, energies = [], []
        for sign in (1.0, -1.0):
            # (|m> + sign |N-m>)/sqrt 2 for m < N - m, plus |N/2> in the even sector of even N
            cols = [(np.eye(n + 1)[k] + sign * np.eye(n + 1)[n - k]) / np.sqrt(2) for k in lo]
            if sign > 0 and n % 2 == 0:
                cols.append(np.eye(n + 1)[n // 2])
            basis = np.array(cols).T
            e, v = np.linalg.eigh(basis.T @ h @ basis)
            energies.append(e[0])
            vecs.append(basis @ v[:, 0])
        order = np.argsort(energies)
        psi0, psi1 = vecs[order[0]], vecs[order[1]]
        gap, resolved = float(abs(energies[1] - energies[0])), True
    else:
        e, v = eigh_tridiagonal(diag, off, select="i", select_range=(0, 1))
        psi0, psi1 = v[:, 0], v[:, 1]
        gap = float(e[1] - e[0])
        resolved = gap > RESOLUTION * max(1.0, float(np.max(np.abs(e))))
    s01 = float(psi0 @ (sz * psi1))
    return dipoles.sum(axis=0) / n * s01, gap, resolved


def _parity_route(delta: np.ndarray, d0: np.ndarray, j: np.ndarray, dipoles: np.ndarray):
    """mu_01 from the lowest even and odd states of the flip-symmetric cluster (all Delta_i = 0)."""
    n = d0.size
    h = hamiltonian_csr(*two_level_parts(delta, d0, j)).tocsr()
    dim = 2**n
    half = np.arange(dim // 2)
    flip = dim - 1 - half
    d_state = dipole_diagonal(n, dipoles, half)  # <s|D|s>, s in the first half
    states, energies = [], []
    for sign in (1.0, -1.0):
        hs = h[half][:, half] + sign * h[half][:, flip]
        if hs.shape[0] <= 512:
            e, v = np.linalg.eigh(hs.toarray())
        else:
            e, v = eigsh(hs, k=1, which="SA", tol=1e-13)
        energies.append(float(e[0]))
        states.append(v[:, 0])
    # <even_s|D|odd_t> = delta_st d(s): D maps even to odd
    vec = (states[0] * states[1]) @ d_state
    return vec, abs(energies[1] - energies[0]), True


def _states_route(cluster, dipoles: np.ndarray):
    e, states = cluster.eigenstates(2)
    v = np.real(states)
    gap = float(e[1] - e[0])
    resolved = gap > RESOLUTION * max(1.0, float(np.max(np.abs(e))))
    return (v[:, 0] * v[:, 1]) @ dipole_diagonal(cluster.n, dipoles), gap, resolved


def transition_dipole(cluster: object, dipoles, *, method: str = "auto") -> TransitionDipole:
    """The transition dipole mu_01 = <0|D|1> of the lowest pair, D = sum_i (p_i/2) sigma^z_i (eqs. D.1-D.2).

    Parameters
    ----------
    cluster : TwoLevelCluster or any object with ``asymmetries``, ``tunnelings``, ``couplings`` (K)
        (the "states" route needs a :class:`clusters.TwoLevelCluster`).
    dipoles : array_like, shape (N, 3)
        p_i in Debye or e x length (the result has the same unit); see :func:`random_dipoles`.
    method : {"auto", "symmetric", "parity", "states"}
        "symmetric": uniform clusters in the S = N/2 sector (any N; exact by parity at Delta = 0);
        "parity": all Delta_i = 0, the two flip-parity sectors of the full space (N <= ``MAX_PARITY_N``),
        exact; "states": the two lowest states of the full space (``resolved`` flags a gap below the
        float64 resolution); "auto": the first that applies.

    Returns
    -------
    TransitionDipole
    """
    method = check_choice(method, "method", ("auto", "symmetric", "parity", "states"))
    delta, d0, j = two_level_arrays(cluster)
    n = d0.size
    p = as_real_array(dipoles, "dipoles", shape=(n, 3))
    uniform = is_uniform((delta, d0), j)
    flip = bool(np.all(delta == 0))
    if method == "auto":
        method = "symmetric" if uniform else ("parity" if flip and n <= MAX_PARITY_N else "states")
    if method == "symmetric" and not uniform:
        raise ValueError("method='symmetric' needs a uniform cluster (equal asymmetries, tunnelings, couplings)")
    if method == "parity" and not (flip and 2 <= n <= MAX_PARITY_N):
        raise ValueError(f"method='parity' needs all asymmetries zero and 2 <= n <= {MAX_PARITY_N} particles")
    if method == "symmetric":
        vec, gap, ok = _sector_route(n, float(d0[0]), float(j[0, 1]) if n > 1 else 0.0, p, float(delta[0]))
    elif method == "parity":
        vec, gap, ok = _parity_route(delta, d0, j, p)
    else:
        if not hasattr(cluster, "eigenstates"):
            raise TypeError("method='states' needs a clusters.TwoLevelCluster (cluster.eigenstates)")
        vec, gap, ok = _states_route(cluster, p)
    vec = np.asarray(vec, dtype=float)
    mag = float(np.linalg.norm(vec))
    return TransitionDipole(vector=vec, magnitude=mag, effective_dipole=2 * mag,
                            coherent_dipole=float(np.linalg.norm(p.sum(axis=0))), gap=float(gap), resolved=bool(ok),
                            method={"symmetric": "symmetric-sector", "parity": "parity-sectors"}.get(method, method))
