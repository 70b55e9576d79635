"""The two bases of a cluster of N particles with d wells each (docs/theory.md sec. 3; docs/clusters.md sec. 2).

This module is the ONE place where the basis conventions are defined; every operator
(:mod:`clusters.hamiltonians`), solver, coherent partitioning and perturbative sum uses them.

**Full product space** (:class:`ProductBasis`, dimension d^N). A basis state is the tuple of well
labels (a_0, ..., a_{N-1}), a_i in 0..d-1, with index

    s = sum_i a_i d^(N-1-i):

particle 0 is the most significant digit, i.e. the leftmost factor of ``qutip.tensor``. For a 2LS,
a_i = 0 is |L> (sigma^z = +1) and a_i = 1 is |R> (sigma^z = -1); for a 3LS, a_i = 0, 1, 2 are the
wells 1, 2, 3. The coherent state |a...a> has index a (d^N - 1)/(d - 1).

**Symmetric sector** (:class:`SymmetricSector`). Permutation-symmetric states are labelled by the
occupations (n_0, ..., n_{d-1}), sum n_a = N (Schwinger bosons), normalised as
``sqrt(n_0! ... n_{d-1}! / N!) sum_{configurations} |config>``. **Order**: n_0 descending, then n_1
descending, ...:

* 2LS (total spin S = N/2, dimension N + 1): (N, 0), (N-1, 1), ..., (0, N); the index is
  m = n_1, the number of particles in R, so m = 0 is |L...L>, m = N is |R...R>, and |m> is
  |S = N/2, M = N/2 - m>.
* 3LS (dimension (N+1)(N+2)/2): (N,0,0), (N-1,1,0), (N-1,0,1), (N-2,2,0), (N-2,1,1), ...; the index of
  (n_0, n_1, n_2) is r (r + 1)/2 + n_2 with r = N - n_0.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from tunnelsim.validation import as_complex_array, check_int

__all__ = [
    "ProductBasis",
    "SymmetricSector",
    "MAX_EMBED_DIM",
    "embed_symmetric_state",
    "symmetric_isometry",
    "shift_wells",
]

#: Largest full-space dimension into which sector states are embedded (2^14 = 16384; 3^9 = 19683 is refused).
MAX_EMBED_DIM = 2**14


def _check_local_dim(local_dim: object) -> int:
    return check_int(local_dim, "local_dim", minimum=2, maximum=3)


class ProductBasis:
    """The full product basis of N particles with d wells each (module docstring).

    Parameters
    ----------
    n : int
        Number of particles N >= 0 (0: the one empty configuration, e.g. the rest of a one-particle sector).
    local_dim : int
        Number of wells d per particle (2 <= d <= 64).

    Examples
    --------
    >>> import numpy as np
    >>> b = ProductBasis(3, 2)
    >>> b.dimension, b.digits(np.array([0, 5, 7])).tolist(), b.coherent_state(1)   # 5 = |RLR>, 7 = |RRR>
    (8, [[0, 0, 0], [1, 0, 1], [1, 1, 1]], 7)
    """

    def __init__(self, n: int, local_dim: int) -> None:
        self.n = check_int(n, "n", minimum=0)
        self.local_dim = check_int(local_dim, "local_dim", minimum=2, maximum=64)

    def __repr__(self) -> str:
        return f"ProductBasis(n={self.n}, local_dim={self.local_dim})"

    @property
    def dimension(self) -> int:
        """d^N (a Python int, exact for any N)."""
        return self.local_dim**self.n

    def stride(self, particle: int) -> int:
        """d^(N-1-i): the index step of one well of particle i."""
        return self.local_dim ** (self.n - 1 - particle)

    def digit(self, states: np.ndarray, particle: int) -> np.ndarray:
        """Well label a_i of particle i in each product state: (s // d^(N-1-i)) mod d (shape of ``states``)."""
        return (np.asarray(states) // self.stride(particle)) % self.local_dim

    def digits(self, states: np.ndarray | None = None) -> np.ndarray:
        """Well labels a_i of each state, shape (len(states), N) (all d^N states by default)."""
        s = np.arange(self.dimension, dtype=np.int64) if states is None else np.asarray(states, dtype=np.int64)
        powers = self.local_dim ** np.arange(self.n - 1, -1, -1, dtype=np.int64)
        return (s[:, None] // powers[None, :]) % self.local_dim

    def occupations(self, states: np.ndarray | None = None) -> np.ndarray:
        """Number of particles in each well, shape (len(states), d) (all states by default)."""
        digits = self.digits(states)
        return np.stack([(digits == a).sum(axis=1) for a in range(self.local_dim)], axis=1)

    def coherent_state(self, well: int) -> int:
        """Index of |a...a> (every particle in well a): a (d^N - 1)/(d - 1)."""
        well = check_int(well, "well", minimum=0, maximum=self.local_dim - 1)
        return well * (self.dimension - 1) // (self.local_dim - 1)


def shift_wells(states: np.ndarray, n: int, local_dim: int, shift: int) -> np.ndarray:
    """Index of each product state with every particle's well moved by ``shift`` (mod d).

    The global operation of the symmetry sectors (:mod:`clusters.sectors`; docs/theory.md sec. 3):
    for d = 2 and shift 1 the flip of every particle (s -> 2^N - 1 - s), for d = 3 the cyclic well
    shift a -> a + shift (mod 3) applied to every digit of s = sum_i a_i d^(N-1-i).

    Parameters
    ----------
    states : ndarray of int
        Indices in the product basis of ``n`` particles (not modified).
    n : int
        Number of particles (digits of each index; 0 gives all zeros).
    local_dim : {2, 3}
        Wells per particle d.
    shift : int
        Well shift applied to every particle.

    Returns
    -------
    ndarray of int, the shape of ``states``

    Examples
    --------
    >>> import numpy as np
    >>> shift_wells(np.array([0, 1, 5]), 3, 2, 1).tolist()           # flip every 2LS: s -> 2^N - 1 - s
    [7, 6, 2]
    """
    local_dim = _check_local_dim(local_dim)
    shift = check_int(shift, "shift")
    states = np.asarray(states)
    if states.dtype.kind not in "iu":
        raise TypeError(f"states must be integer indices of product states, got dtype {states.dtype}")
    out = np.zeros_like(states)
    rest, p = np.array(states, copy=True), 1
    for _ in range(check_int(n, "n", minimum=0)):
        out += ((rest % local_dim + shift) % local_dim) * p
        rest //= local_dim
        p *= local_dim
    return out


class SymmetricSector:
    """The permutation-symmetric sector of N identical particles with d wells (module docstring).

    Parameters
    ----------
    n : int
        Number of particles N >= 1.
    local_dim : {2, 3}
        Number of wells d per particle.

    Examples
    --------
    >>> s = SymmetricSector(2, 3)                                     # (N + 1)(N + 2)/2 states
    >>> s.dimension, int(s.multiplicities().sum())                   # the multiplicities count all 3^N states
    (6, 9)
    """

    def __init__(self, n: int, local_dim: int) -> None:
        self.n = check_int(n, "n", minimum=1)
        self.local_dim = _check_local_dim(local_dim)

    def __repr__(self) -> str:
        return f"SymmetricSector(n={self.n}, local_dim={self.local_dim})"

    @property
    def dimension(self) -> int:
        """C(N + d - 1, d - 1): N + 1 for 2LS, (N + 1)(N + 2)/2 for 3LS."""
        return math.comb(self.n + self.local_dim - 1, self.local_dim - 1)

    def occupations(self) -> np.ndarray:
        """Occupations (n_0, ..., n_{d-1}) of the basis states, in basis order; shape (dimension, d)."""
        n = self.n
        if self.local_dim == 2:
            m = np.arange(n + 1, dtype=np.int64)
            return np.stack([n - m, m], axis=1)
        states = [(n - r, r - n2, n2) for r in range(n + 1) for n2 in range(r + 1)]
        return np.array(states, dtype=np.int64)

    def index(self, occupations: np.ndarray) -> np.ndarray:
        """Basis index of occupation tuples (last axis of length d)."""
        occ = np.asarray(occupations)
        if self.local_dim == 2:
            return occ[..., 1]
        r = occ[..., 1] + occ[..., 2]
        return r * (r + 1) // 2 + occ[..., 2]

    def coherent_state(self, well: int) -> int:
        """Index of the occupation N e_a (every particle in well a)."""
        well = check_int(well, "well", minimum=0, maximum=self.local_dim - 1)
        occ = np.zeros(self.local_dim, dtype=np.int64)
        occ[well] = self.n
        return int(self.index(occ))

    def multiplicities(self) -> np.ndarray:
        """N! / (n_0! ... n_{d-1}!): the number of configurations in each basis state (float)."""
        f = math.factorial
        return np.array([f(self.n) / math.prod(f(int(x)) for x in occ) for occ in self.occupations()])

    def isometry(self) -> sp.csr_matrix:
        """V, shape (d^N, dimension): the sector basis states written in the product basis.

        V has orthonormal columns; ``V^T H V`` is the sector Hamiltonian and ``V V^T`` the projector
        onto the symmetric subspace. Refused (ValueError) above ``MAX_EMBED_DIM`` full states.
        """
        if self.n * math.log2(self.local_dim) > math.log2(MAX_EMBED_DIM):
            raise ValueError(
                f"n={self.n} gives a full space of dimension {self.local_dim}^{self.n}, too large to embed "
                f"symmetric states (limit {MAX_EMBED_DIM}); work in the symmetric sector instead"
            )
        full = ProductBasis(self.n, self.local_dim)
        col = self.index(full.occupations())
        vals = 1.0 / np.sqrt(self.multiplicities()[col])
        rows = np.arange(full.dimension)
        return sp.csr_matrix((vals, (rows, col)), shape=(full.dimension, self.dimension))


def symmetric_isometry(n: int, local_dim: int) -> sp.csr_matrix:
    """Columns = the symmetric-sector basis states in the product basis (:meth:`SymmetricSector.isometry`).

    Parameters
    ----------
    n : int
        Number of particles, with d^N <= MAX_EMBED_DIM.
    local_dim : {2, 3}
        d.

    Returns
    -------
    scipy.sparse.csr_matrix, shape (d^N, sector dimension)

    Examples
    --------
    >>> import numpy as np
    >>> V = symmetric_isometry(3, 2)
    >>> V.shape, bool(np.allclose((V.T @ V).toarray(), np.eye(4)))    # N + 1 orthonormal columns
    ((8, 4), True)
    """
    return SymmetricSector(n, local_dim).isometry()


def embed_symmetric_state(vec: np.ndarray, n: int, local_dim: int = 2) -> np.ndarray:
    """Embed symmetric-sector vectors into the full product space (d^N <= MAX_EMBED_DIM; docs/theory.md sec. 3).

    Parameters
    ----------
    vec : array_like, shape (sector dimension,) or (sector dimension, k)
        Coefficients in the sector basis of this module (e.g. columns of ``.eigenstates`` of a
        uniform cluster; dimensionless amplitudes).
    n : int
        Number of particles.
    local_dim : {2, 3}
        2 for 2LS clusters, 3 for 3LS clusters.

    Returns
    -------
    ndarray, shape (d**N,) or (d**N, k)
        The same state(s) in the product basis of this module (particle 0 leftmost).

    Examples
    --------
    >>> import numpy as np
    >>> from clusters import embed_symmetric_state
    >>> v = embed_symmetric_state([0.0, 1.0, 0.0], 2)      # m = 1 of N = 2: (|LR> + |RL>)/sqrt(2)
    >>> print(v.round(6) + 0.0, round(float(np.linalg.norm(v)), 12))
    [0.       0.707107 0.707107 0.      ] 1.0
    """
    iso = symmetric_isometry(n, local_dim)
    v = as_complex_array(vec, "vec")
    v = v.real.copy() if not np.any(v.imag) else v
    if v.ndim not in (1, 2) or v.shape[0] != iso.shape[1]:
        raise ValueError(f"vec must have {iso.shape[1]} rows (the sector dimension for n={n}), got shape {v.shape}")
    return iso @ v
