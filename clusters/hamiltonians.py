"""The one builder of every cluster operator (docs/theory.md sec. 3; docs/clusters.md sec. 1).

Every cluster of this package has the form

    H = sum_i H^(i) + sum_{i<j} J_ij W(a_i, a_j),                                            (3.1)

with one-particle terms H^(i) (diagonal: well energies E^i_a; off-diagonal: hopping h^(i)_ab) and a
pair term that depends only on the wells a_i, a_j of the two particles:

* 2LS (paper eq. 1 per particle, appendix A.9): E^i = (Delta_i/2, -Delta_i/2),
  h^(i) = (Delta0_i/2) sigma^x, and W = sigma^z sigma^z (+1 in the same well, -1 otherwise):
  H = sum_i 1/2 (Delta_i sigma^z_i + Delta0_i sigma^x_i) + sum_{i<j} J_ij sigma^z_i sigma^z_j;
* 3LS (paper eq. 3 with the Peierls phase, docs/theory.md sec. 1.2): E^i = (E^i_1, E^i_2, E^i_3),
  h^(i) = :func:`tunnelsim.phases.ring_hopping` (D0_i, phi) (h_{a,a+1} = D0 e^{i phi/3}), and
  W = delta(a_i, a_j) (J_ij for each pair in the same well).

In the product basis of :mod:`clusters.bases`, H = diag(D) + sum_i h_i with the configuration
energies D (:func:`configuration_energies`) and h_i acting on particle i. From (diag, hoff) this
module builds the CSR matrix, the matrix-free product (fused numba kernels of
:mod:`clusters.kernels`) and a norm bound; a symmetry sector (:mod:`clusters.sectors`) adds one
global term (``glob``: the flip of every particle, or the cyclic shift of every well). For uniform
clusters it builds the symmetric-sector matrices (basis of :class:`clusters.bases.SymmetricSector`):
the S = N/2 tridiagonal of 2LS clusters, in float64 or in mpmath (:func:`two_level_tridiagonal`),
and the Schwinger-boson sector of 3LS clusters.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator

from tunnelsim.phases import ring_hopping
from tunnelsim.validation import (
    as_real_array,
    as_real_scalar,
    check_choice,
    check_int,
    check_positive,
    check_square_symmetric,
    check_sum_zero,
)

from .bases import ProductBasis, SymmetricSector, shift_wells
from .diagonal import LOW_STATES, RowTables, energies, row_tables
from .kernels import ProductKernel
from .memory import check_memory, csr_bytes

__all__ = [
    "SPIN_PAIR",
    "SAME_WELL_PAIR",
    "two_level_terms",
    "three_level_terms",
    "configuration_energies",
    "configuration_rows",
    "fixed_first_energies",
    "two_level_parts",
    "three_level_parts",
    "apply_hamiltonian",
    "hamiltonian_operator",
    "hamiltonian_csr",
    "norm_bound",
    "two_level_tridiagonal",
    "two_level_sector_hamiltonian",
    "three_level_sector_hamiltonian",
]

#: W(a, b) of the 2LS pair term J sigma^z_i sigma^z_j (+1 same well, -1 otherwise).
SPIN_PAIR = np.array([[1.0, -1.0], [-1.0, 1.0]])
#: W(a, b) of the 3LS pair term J delta(a_i, a_j).
SAME_WELL_PAIR = np.eye(3)


# ------------------------------------------------------------------------ one-particle terms
def two_level_terms(asymmetries: np.ndarray, tunnelings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Well energies (Delta_i/2, -Delta_i/2) and hoppings (Delta0_i/2) sigma^x of N 2LS, in K (eq. 3.1).

    Returns
    -------
    wells : ndarray, shape (N, 2)
    hopping : ndarray, shape (N, 2, 2), float

    Examples
    --------
    >>> import numpy as np
    >>> wells, hop = two_level_terms(np.array([0.3]), np.array([0.4]))
    >>> wells.tolist(), hop[0].tolist()
    ([[0.15, -0.15]], [[0.0, 0.2], [0.2, 0.0]])
    """
    asym = as_real_array(asymmetries, "asymmetries", ndim=1)
    tun = as_real_array(tunnelings, "tunnelings", shape=asym.shape)
    wells = np.stack([0.5 * asym, -0.5 * asym], axis=1)
    hop = np.zeros((asym.size, 2, 2))
    hop[:, 0, 1] = hop[:, 1, 0] = 0.5 * tun
    return wells, hop


def three_level_terms(energies: np.ndarray, d0s: np.ndarray, phi: float) -> tuple[np.ndarray, np.ndarray]:
    """Well energies E^i_a and Peierls hoppings of N 3LS, in K (eq. 3.1; docs/theory.md sec. 1.2).

    Returns
    -------
    wells : ndarray, shape (N, 3)
    hopping : ndarray, shape (N, 3, 3)
        :func:`tunnelsim.phases.ring_hopping`; real when phi = 0, complex otherwise.
    """
    e = as_real_array(energies, "energies", shape=(None, 3))
    return e, ring_hopping(as_real_array(d0s, "d0s", shape=(e.shape[0],)), phi, n_wells=3)


# ------------------------------------------------------------------------- full product space
def configuration_energies(wells: np.ndarray, couplings: np.ndarray, pair: np.ndarray) -> np.ndarray:
    """Diagonal D of eq. (3.1) in the product basis, in K (docs/theory.md sec. 3).

    D(a_0..a_{N-1}) = sum_i E^i_{a_i} + sum_{i<j} J_ij W(a_i, a_j). Built by :mod:`clusters.diagonal`:
    rows of d^m states in parallel (each the low particles' pair energies plus a separable sum of their
    wells shifted by the high particles), every amplitude written once; below 4096 states particle by
    particle in numpy.

    Parameters
    ----------
    wells : ndarray, shape (N, d)
        Well energies E^i_a in K.
    couplings : ndarray, shape (N, N)
        Symmetric J_ij in K with zero diagonal.
    pair : ndarray, shape (d, d)
        W(a, b) (:data:`SPIN_PAIR` or :data:`SAME_WELL_PAIR`).

    Returns
    -------
    ndarray, shape (d**N,)

    Examples
    --------
    >>> import numpy as np
    >>> wells = np.array([[0.1, -0.1], [0.2, -0.2]])                   # Delta_i/2 = 0.1, 0.2
    >>> D = configuration_energies(wells, np.array([[0.0, -1.0], [-1.0, 0.0]]), SPIN_PAIR)
    >>> print(D.round(12))                        # LL: 0.3 + J, LR: -0.1 - J, RL: 0.1 - J, RR: -0.3 + J
    [-0.7  0.9  1.1 -1.3]
    """
    wells, couplings, pair = _checked_tables(wells, couplings, pair)
    n, d = wells.shape
    check_memory(8.0 * float(d**n) * (1.0 + 2.0 / LOW_STATES), f"the {d}^{n} configuration energies")
    return energies(wells, couplings, pair)


def _checked_tables(wells, couplings, pair) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(wells (N, d), couplings (N, N), pair (d, d)) checked (eq. 3.1's tables), before any work."""
    wells = as_real_array(wells, "wells", ndim=2)
    n, d = wells.shape
    couplings = check_square_symmetric(couplings, "couplings", n)
    pair = as_real_array(pair, "pair", shape=(d, d))
    if n * np.log2(max(d, 2)) > 62:
        raise ValueError(f"wells describe N={n} particles: d^N = {d}^{n} configuration energies are beyond any memory")
    return wells, couplings, pair


def configuration_rows(wells: np.ndarray, couplings: np.ndarray, pair: np.ndarray, m: int) -> RowTables:
    """The configuration energies D of eq. (3.1) as rows of the last m particles, kept as small tables (K).

    The same D as :func:`configuration_energies` (docs/theory.md sec. 3), without an array of d^N entries: the
    pair energies of the last m particles (d^m), D of the first N - m particles (d^(N-m)) and the couplings between
    the two groups; :class:`clusters.diagonal.RowTables` builds any row, all of them, or max |D|. A
    :class:`clusters.kernels.ProductKernel` given them (rows of :func:`clusters.kernels.row_particles` particles)
    builds each block's diagonal on the fly.

    Parameters
    ----------
    wells, couplings, pair : ndarray
        As in :func:`configuration_energies` (K).
    m : int
        Particles of a row, 0 <= m <= N.

    Returns
    -------
    clusters.diagonal.RowTables

    Examples
    --------
    >>> import numpy as np
    >>> wells = np.array([[0.1, -0.1], [0.2, -0.2], [0.0, 0.0]])
    >>> J = -(np.ones((3, 3)) - np.eye(3))
    >>> rows = configuration_rows(wells, J, SPIN_PAIR, 2)
    >>> bool(np.allclose(rows.energies(), configuration_energies(wells, J, SPIN_PAIR))), round(rows.max_abs(), 12)
    (True, 3.3)
    """
    wells, couplings, pair = _checked_tables(wells, couplings, pair)
    m = check_int(m, "m (particles of a row)", minimum=0, maximum=wells.shape[0])
    check_memory(8.0 * float(wells.shape[1] ** (wells.shape[0] - m) + wells.shape[1] ** m),
                 f"the row tables of {wells.shape[0]} particles")
    return row_tables(wells, couplings, pair, m)


def fixed_first_energies(wells: np.ndarray, couplings: np.ndarray, pair: np.ndarray, well: int = 0) -> np.ndarray:
    """Diagonal D of eq. (3.1) on the states with particle 0 in ``well``, over particles 1..N-1, in K.

    D(a, a_1..a_{N-1}) = E^0_a + sum_{i>=1} (E^i_{a_i} + J_0i W(a, a_i)) + sum_{1<=i<j} J_ij W(a_i, a_j):
    :func:`configuration_energies` of N - 1 particles whose well energies absorb the pair term with
    particle 0 (the diagonal of a symmetry sector, :mod:`clusters.sectors`; length d^(N-1)).
    """
    wells = as_real_array(wells, "wells", ndim=2)
    n, d = wells.shape
    couplings = check_square_symmetric(couplings, "couplings", n)
    pair = as_real_array(pair, "pair", shape=(d, d))
    well = check_int(well, "well", minimum=0, maximum=d - 1)
    shifted = wells[1:] + couplings[0, 1:, None] * pair[well][None, :]
    if n == 1:
        return np.full(1, wells[0, well])
    return configuration_energies(shifted, couplings[1:, 1:], pair) + wells[0, well]


def two_level_parts(asymmetries: np.ndarray, tunnelings: np.ndarray, couplings: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """(diagonal D, one-particle hoppings) of a 2LS cluster (eq. 3.1), in K; inputs as :func:`two_level_terms`."""
    wells, hop = two_level_terms(asymmetries, tunnelings)
    return configuration_energies(wells, couplings, SPIN_PAIR), hop


def three_level_parts(energies: np.ndarray, d0s: np.ndarray, couplings: np.ndarray, phi: float
                      ) -> tuple[np.ndarray, np.ndarray]:
    """(diagonal D, one-particle hoppings) of a 3LS cluster (eq. 3.1), in K; inputs as :func:`three_level_terms`."""
    wells, hop = three_level_terms(energies, d0s, phi)
    return configuration_energies(wells, couplings, SAME_WELL_PAIR), hop


def _check_parts(diag: np.ndarray, hoff: np.ndarray) -> tuple[int, int]:
    """O(1) checks that (diag, hoff) are the parts of one cluster Hamiltonian; returns (N, d)."""
    if not (isinstance(diag, np.ndarray) and diag.ndim == 1):
        raise TypeError(f"diag must be a 1-D numpy array (configuration energies), got {type(diag).__name__}")
    n, d = _check_hoff(hoff)
    if diag.shape[0] != d**n:
        raise ValueError(f"diag must have length d^N = {d}^{n} = {d**n} to match hoff, got {diag.shape[0]}")
    return n, d


def _check_hoff(hoff: np.ndarray) -> tuple[int, int]:
    """(N, d) of one-particle hoppings of shape (N, d, d)."""
    if not (isinstance(hoff, np.ndarray) and hoff.ndim == 3 and hoff.shape[1] == hoff.shape[2]):
        raise TypeError("hoff must be a numpy array of shape (N, d, d) (one-particle hoppings)")
    return hoff.shape[0], hoff.shape[1]


def apply_hamiltonian(diag: np.ndarray, hoff: np.ndarray, x: np.ndarray, glob: np.ndarray | None = None) -> np.ndarray:
    """y = H x without storing H (eq. 3.1 in the product basis; docs/clusters.md sec. 3).

    Parameters
    ----------
    diag : ndarray, shape (d**N,)
        Configuration energies in K (:func:`configuration_energies`).
    hoff : ndarray, shape (N, d, d)
        One-particle hoppings h_i in K (zero diagonal).
    x : ndarray, shape (d**N,)
        State vector.
    glob : ndarray, shape (d,), optional
        Global term of a symmetry sector (:class:`clusters.kernels.ProductKernel`).

    Returns
    -------
    ndarray, shape (d**N,)
        In K times the units of x.
    """
    _check_parts(diag, hoff)
    kernel = ProductKernel(diag, hoff, glob)
    if not isinstance(x, np.ndarray) or x.size != kernel.dim:
        raise ValueError(f"x must have {kernel.dim} amplitudes, got shape {np.shape(x)}")
    dtype = np.result_type(kernel.dtype, x.dtype)
    if dtype != kernel.dtype:
        kernel = ProductKernel(diag, hoff.astype(dtype), None if glob is None else np.asarray(glob, dtype=dtype))
    return kernel.apply(x.reshape(-1))


def hamiltonian_operator(diag: np.ndarray, hoff: np.ndarray, glob: np.ndarray | None = None) -> LinearOperator:
    """H of eq. (3.1) as a Hermitian :class:`scipy.sparse.linalg.LinearOperator` (matrix-free), in K.

    Its dtype is complex when ``hoff`` (or ``glob``) is complex (3LS in a field). Each product
    runs the fused kernel of :mod:`clusters.kernels` into a fresh output vector.
    """
    _check_parts(diag, hoff)
    kernel = ProductKernel(diag, hoff, glob)

    def mv(x: np.ndarray) -> np.ndarray:
        return kernel.apply(np.ascontiguousarray(x.reshape(-1), dtype=kernel.dtype))

    def mm(xs: np.ndarray) -> np.ndarray:
        return np.column_stack([mv(xs[:, j]) for j in range(xs.shape[1])])

    return LinearOperator((kernel.dim, kernel.dim), matvec=mv, rmatvec=mv, matmat=mm, dtype=kernel.dtype)


def hamiltonian_csr(diag: np.ndarray, hoff: np.ndarray, glob: np.ndarray | None = None) -> sp.csr_matrix:
    """H of eq. (3.1) as a scipy CSR matrix in the product basis, in K (docs/clusters.md sec. 3).

    Each row holds exactly ``1 + N (d - 1)`` entries (the diagonal and one neighbour for every
    other well of every particle), plus d - 1 for the global term ``glob`` of a symmetry sector
    (:class:`clusters.kernels.ProductKernel`), so the CSR arrays are filled directly, without a
    COO sort. Explicit zeros (e.g. a zero tunneling) are kept; they do not change any product.

    Returns
    -------
    scipy.sparse.csr_matrix, shape (d**N, d**N)

    Examples
    --------
    >>> import numpy as np
    >>> H = hamiltonian_csr(*two_level_parts(np.array([0.3, 0.5]), np.array([0.4, 1.2]), np.zeros((2, 2))))
    >>> H.shape, H.nnz == 4 * (1 + 2)                                 # 1 + N (d - 1) entries per row
    ((4, 4), True)
    >>> print(np.linalg.eigvalsh(H.toarray()).round(6))              # uncoupled: +-E_1/2 +- E_2/2, E = 0.5, 1.3
    [-0.9 -0.4  0.4  0.9]
    """
    n, d = _check_parts(diag, hoff)
    dim = diag.shape[0]
    extra = 0 if glob is None else d - 1
    width = 1 + n * (d - 1) + extra
    check_memory(csr_bytes(dim, width, bool(np.iscomplexobj(hoff) or np.iscomplexobj(glob))),
                 f"the CSR matrix of {n} particles (dimension {dim})")
    itype = np.int32 if dim * width < 2**31 else np.int64
    dtype = np.result_type(diag.dtype, hoff.dtype, np.asarray(glob if glob is not None else 0.0).dtype)
    cols = np.empty((dim, width), dtype=itype)
    vals = np.empty((dim, width), dtype=dtype)
    rows = np.arange(dim, dtype=itype)
    cols[:, 0] = rows
    vals[:, 0] = diag
    col = 1
    basis = ProductBasis(n, d)
    for i in range(n):
        p = basis.stride(i)
        digit = basis.digit(rows, i)
        for shift in range(1, d):
            other = (digit + shift) % d
            cols[:, col] = rows + (other - digit) * p
            vals[:, col] = hoff[i][digit, other]
            col += 1
    for g in range(1, extra + 1):
        cols[:, col] = shift_wells(rows.astype(np.int64), n, d, g)
        vals[:, col] = glob[g]
        col += 1
    indptr = np.arange(0, dim * width + 1, width, dtype=itype)
    mat = sp.csr_matrix((vals.reshape(-1), cols.reshape(-1), indptr), shape=(dim, dim))
    mat.sum_duplicates()
    return mat


def norm_bound(diag: np.ndarray | RowTables, hoff: np.ndarray) -> float:
    """Upper bound on ||H|| in K: max |D| + the sum over particles of the largest row sum of |h_i|.

    Scales the residual tolerance of the iterative solvers. ``diag``: the configuration energies, or their row
    tables (:func:`configuration_rows`: max |D| row by row, no array of d^N entries).

    Examples
    --------
    >>> import numpy as np
    >>> parts = two_level_parts(np.zeros(3), np.array([1.0, 0.5, 0.7]), -(np.ones((3, 3)) - np.eye(3)))
    >>> bound = norm_bound(*parts)                                    # 3 |J| + (1.0 + 0.5 + 0.7)/2
    >>> print(round(bound, 12), bool(np.abs(np.linalg.eigvalsh(hamiltonian_csr(*parts).toarray())).max() <= bound))
    4.1 True
    """
    if isinstance(diag, RowTables):
        diag.check(*_check_hoff(hoff))
    else:
        _check_parts(diag, hoff)
    off = float(np.sum(np.max(np.sum(np.abs(hoff), axis=2), axis=1))) if hoff.size else 0.0
    if isinstance(diag, RowTables):
        return diag.max_abs() + off
    return max(float(np.max(diag)), -float(np.min(diag))) + off  # max |D| without a 2^N temporary of |D|


# ------------------------------------------------------------------------- symmetric sectors
def two_level_tridiagonal(n: int, asymmetry, tunneling, coupling, number: str = "float", two_s: int | None = None):
    """A total-spin block of a uniform 2LS cluster, by default S = N/2 (basis m = number of R particles), in K.

    H = Delta S_z + Delta0 S_x + J ((2 S_z)^2 - N)/2 depends on total-spin operators only, so every
    total spin S is a tridiagonal block in k = S - S_z = 0..2S (docs/theory.md sec. 3):

        <k|H|k>   = Delta (2S - 2k)/2 + J ((2S - 2k)^2 - N)/2,
        <k+1|H|k> = (Delta0/2) sqrt((k + 1)(2S - k)).

    For S = N/2, k = m: sum_i sigma^z_i = N - 2m and sum_{i<j} sigma^z_i sigma^z_j = ((N - 2m)^2 - N)/2.
    The same expressions are evaluated in float64 or in mpmath (at the current mpmath precision).

    Parameters
    ----------
    n : int
        N >= 1.
    asymmetry, tunneling, coupling : float
        Delta, Delta0, J in K.
    number : {"float", "mpmath"}
        Number type of the result.
    two_s : int, optional
        2S of the block, 0 <= 2S <= N with N - 2S even; default N (the symmetric sector).

    Returns
    -------
    diagonal, off_diagonal
        float64 arrays of lengths 2S + 1 and 2S, or lists of ``mpmath.mpf``.

    Examples
    --------
    >>> diag, off = two_level_tridiagonal(2, 0.2, 1.0, -0.5)          # S = 1: m = 0, 1, 2
    >>> print(diag.round(12).tolist(), off.round(6).tolist())        # Delta + J, -J, -Delta + J; Delta0/sqrt(2)
    [-0.3, 0.5, -0.7] [0.707107, 0.707107]
    >>> two_level_tridiagonal(2, 0.2, 1.0, -0.5, two_s=0)[0].tolist()   # S = 0: the singlet, -J
    [0.5]
    """
    n = check_int(n, "n", minimum=1)
    two_s = n if two_s is None else check_int(two_s, "two_s", minimum=0, maximum=n)
    if (n - two_s) % 2:
        raise ValueError(f"two_s must have the parity of n = {n} (S = N/2, N/2 - 1, ...), got {two_s}")
    asymmetry, tunneling, coupling = (as_real_scalar(v, name) for v, name in
                                      ((asymmetry, "asymmetry"), (tunneling, "tunneling"), (coupling, "coupling")))
    number = check_choice(number, "number", ("float", "mpmath"))
    check_memory((400.0 if number == "mpmath" else 40.0) * (two_s + 1.0),
                 f"the S = {two_s}/2 block of n={n} particles ({number} entries)")
    if number == "float":  # the expressions below on whole arrays of k
        k = np.arange(two_s + 1, dtype=float)
        return _tridiagonal_entries(k, float(two_s), float(n), asymmetry, tunneling, coupling, np.sqrt)
    import mpmath

    num = mpmath.mpf
    entries = [_tridiagonal_entries(num(k), num(two_s), num(n), num(asymmetry), num(tunneling), num(coupling),
                                    mpmath.sqrt) for k in range(two_s + 1)]
    return [e[0] for e in entries], [e[1] for e in entries[:-1]]


def _tridiagonal_entries(k, two_s, n, delta, d0, j, sqrt):
    """<k|H|k> and <k+1|H|k> of :func:`two_level_tridiagonal` (k a number or an array; the last off entry is unused)."""
    diag = delta / 2 * (two_s - 2 * k) + j * ((two_s - 2 * k) ** 2 - n) / 2
    off = d0 / 2 * sqrt((k + 1) * abs(two_s - k))
    return (diag, off[:-1]) if isinstance(k, np.ndarray) else (diag, off)


def two_level_sector_hamiltonian(n: int, asymmetry: float, tunneling: float, coupling: float) -> sp.csr_matrix:
    """Uniform 2LS cluster Hamiltonian in the S = N/2 sector, in K (eq. 3.2 of docs/theory.md sec. 3).

    Parameters
    ----------
    n : int
        Number of particles N >= 1.
    asymmetry, tunneling, coupling : float
        Delta, Delta0 and J of every particle / pair, in K.

    Returns
    -------
    scipy.sparse.csr_matrix, shape (N + 1, N + 1)
        Real symmetric tridiagonal, in the basis of :class:`clusters.bases.SymmetricSector`.

    Examples
    --------
    >>> import numpy as np
    >>> from clusters import TwoLevelCluster, two_level_sector_hamiltonian, uniform_couplings
    >>> print(two_level_sector_hamiltonian(1, 0.3, 0.4, 0.0).toarray())   # N = 1: (Delta sigma^z + Delta0 sigma^x)/2
    [[ 0.15  0.2 ]
     [ 0.2  -0.15]]
    >>> h = two_level_sector_hamiltonian(3, 0.2, 1.0, -0.5).toarray()     # eq. 3.2, dimension N + 1
    >>> full = TwoLevelCluster([0.2] * 3, [1.0] * 3, uniform_couplings(3, -0.5))   # the product space 2^3
    >>> print(round(float(np.linalg.eigvalsh(h)[0]), 6), round(float(full.eigenenergies(1)[0]), 6))
    -2.163995 -2.163995
    """
    diag, off = two_level_tridiagonal(n, asymmetry, tunneling, coupling)
    return sp.diags([off, diag, off], [-1, 0, 1], format="csr")


def three_level_sector_hamiltonian(n: int, energies: np.ndarray, d0: float, coupling: float,
                                   phi: float = 0.0) -> sp.csr_matrix:
    """Uniform 3LS cluster Hamiltonian in the Schwinger-boson sector, in K (eq. 3.3 of docs/theory.md sec. 3).

    With occupations n_a (basis of :class:`clusters.bases.SymmetricSector`) and the one-particle
    hopping h_ab of docs/theory.md sec. 1.2 (:func:`tunnelsim.phases.ring_hopping`):

        <n|H|n> = sum_a E_a n_a + J sum_a n_a (n_a - 1)/2,
        <n + e_a - e_b| H |n> = h_ab sqrt((n_a + 1) n_b)    (a != b).

    Parameters
    ----------
    n : int
        Number of particles N >= 1.
    energies : array_like, shape (3,)
        Well energies (E1, E2, E3) in K, summing to zero.
    d0 : float
        Hopping D0 > 0 in K.
    coupling : float
        J in K, felt by each pair in the same well.
    phi : float
        Flux phase (rad) felt by each particle.

    Returns
    -------
    scipy.sparse.csr_matrix, shape ((N+1)(N+2)/2,) * 2
        Real for phi = 0, complex otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> from clusters import three_level_sector_hamiltonian
    >>> h = three_level_sector_hamiltonian(3, [0.1, -0.05, -0.05], 1.0, -0.5, phi=0.3).toarray()
    >>> h.shape, bool(np.allclose(h, h.conj().T))         # (N + 1)(N + 2)/2 = 10, Hermitian
    ((10, 10), True)
    >>> one = three_level_sector_hamiltonian(1, [0.0, 0.0, 0.0], 1.0, 0.0, phi=0.3).toarray()   # N = 1: the ATS ring
    >>> print(np.round(np.linalg.eigvalsh(one), 6))
    [-1.167921 -0.822088  1.990008]
    >>> print(np.round(np.sort(2 * np.cos((0.3 + 2 * np.pi * np.arange(3)) / 3)), 6))   # 2 D0 cos((phi + 2 pi k)/3)
    [-1.167921 -0.822088  1.990008]
    """
    n = check_int(n, "n", minimum=1)
    e = as_real_array(energies, "energies", shape=(3,))
    check_sum_zero(e, "energies")
    d0 = float(check_positive(as_real_scalar(d0, "d0"), "d0"))
    coupling = as_real_scalar(coupling, "coupling")
    h1 = ring_hopping(d0, as_real_scalar(phi, "phi"), n_wells=3)
    sector = SymmetricSector(n, 3)
    check_memory(7.0 * 3.0 * (16.0 + 8.0) * sector.dimension,
                 f"the Schwinger-boson sector of n={n} particles (dimension {sector.dimension})")
    occ = sector.occupations()
    dim = occ.shape[0]
    nf = occ.astype(float)
    rows, cols = [np.arange(dim)], [np.arange(dim)]
    vals = [(nf @ e + 0.5 * coupling * np.sum(nf * (nf - 1.0), axis=1)).astype(h1.dtype)]
    src = np.arange(dim)
    for a in range(3):
        for b in range(3):
            if a == b:
                continue
            ok = occ[:, b] > 0
            new = occ[ok].copy()
            new[:, a] += 1
            new[:, b] -= 1
            rows.append(sector.index(new))
            cols.append(src[ok])
            vals.append(h1[a, b] * np.sqrt((occ[ok, a] + 1.0) * occ[ok, b]))
    mat = sp.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(dim, dim))
    return mat.tocsr()
