"""What every cluster model shares: Hamiltonian, eigenenergies, eigenstates (docs/clusters.md secs. 1 and 3).

:class:`ClusterBase` is the one input of every cluster analysis (:mod:`clusters.coherent`,
:mod:`clusters.dipoles`, :mod:`clusters.rates`, :mod:`clusters.renormalisation`): they ask it for its
parts, its spaces, its Hamiltonian matrix, its symmetry sectors, its operators and its levels, and
never build a Hamiltonian or a sector themselves. A model supplies only its terms (docs/theory.md
sec. 3, eq. (3.1) of :mod:`clusters.hamiltonians`): ``_terms()`` -> (well energies (N, d),
one-particle hoppings (N, d, d)), the pair matrix ``pair``, ``_symmetry_name()`` ("parity", "z3" or
None) with ``_symmetry()`` (its symmetry sectors of the full space, :mod:`clusters.sectors`),
``_one_particle()`` (per-particle parameters, rows compared to find identical particles),
``_is_complex()``, ``_parameters()`` / ``_rebuild()`` (its constructor arguments, for
:meth:`ClusterBase.replace` and :meth:`~clusters.models.observables.Observables.spectrum_vs`) and,
for uniform clusters, ``sector_hamiltonian()`` (plus ``_sector_tridiagonal()`` with
``_sector_is_tridiagonal = True`` where the sector is tridiagonal). Everything else is built here
from :mod:`clusters.hamiltonians` and solved by :func:`clusters.solvers.solve` (memory estimate and
residual check included). Operators, matrix elements and spectra versus a parameter come from
:class:`~clusters.models.observables.Observables`.

**Uniform** has one meaning: a cluster built by a model's ``uniform(...)`` constructor
(:attr:`ClusterBase.is_uniform`, a flag). Every method and every analysis takes the symmetric sector
exactly for these; a cluster built from equal arrays is solved in the full space by all of them alike.

Uniform clusters keep their scalars: the per-particle arrays and the N x N couplings are built
only when something asks for them (a full-space method, or the attributes themselves).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import scipy.sparse as sp

from tunnelsim.validation import as_complex_array, as_real_array, as_real_scalar, check_choice, check_positive

from ..bases import ProductBasis, SymmetricSector, embed_symmetric_state
from ..hamiltonians import hamiltonian_csr
from ..memory import GIB, check_memory, qobj_bytes
from .observables import Observables
from .solving import FULL_SPACE_MAX_DIM, SectorLevels, Solving, has_identical_particles

__all__ = ["UnresolvedGapWarning", "ClusterBase", "SectorLevels", "HAMILTONIAN_MAX_BYTES", "FULL_SPACE_MAX_DIM",
           "frozen", "has_identical_particles", "check_cluster"]


class UnresolvedGapWarning(RuntimeWarning):
    """Two returned levels differ by less than the float64 resolution of the levels (an exact degeneracy,
    or a splitting only extended precision resolves: ``coherent_doublet`` / ``coherent_multiplet``).

    Examples
    --------
    >>> import warnings
    >>> from clusters import ThreeLevelCluster
    >>> with warnings.catch_warnings(record=True) as caught:   # phi = 0: the ATS levels -D0, -D0, 2 D0
    ...     warnings.simplefilter("always")
    ...     e = ThreeLevelCluster([[0.0, 0.0, 0.0]], [1.0], [[0.0]]).eigenenergies()
    >>> print(e.round(6) + 0.0, [w.category.__name__ for w in caught])
    [-1. -1.  2.] ['UnresolvedGapWarning']
    """

#: ``.hamiltonian()`` refuses to build a Qobj whose CSR data would exceed this many bytes (2 GiB).
HAMILTONIAN_MAX_BYTES = 2 * GIB


def frozen(arr: np.ndarray) -> np.ndarray:
    """A read-only float64 copy."""
    arr = np.array(arr, dtype=float)
    arr.setflags(write=False)
    return arr


def check_cluster(cluster: object, local_dim: int | None = None, name: str = "cluster") -> ClusterBase:
    """``cluster`` if it is a :class:`ClusterBase` (with ``local_dim`` wells when given), else a clear error.

    The boundary check of every cluster analysis (docs/architecture.md: a new model is a subclass).
    """
    if not isinstance(cluster, ClusterBase):
        raise TypeError(f"{name} must be a cluster model (a clusters.models.ClusterBase such as TwoLevelCluster "
                        f"or ThreeLevelCluster), got {type(cluster).__name__}")
    if local_dim is not None and cluster.local_dim != local_dim:
        kind = {2: "two-level (d = 2)", 3: "three-level (d = 3)"}.get(local_dim, f"d = {local_dim}")
        raise ValueError(f"{name} must be a cluster of {kind} particles, got {type(cluster).__name__} with "
                         f"d = {cluster.local_dim} wells per particle")
    return cluster


class ClusterBase(Solving, Observables):
    """Common interface of every cluster model (module docstring): parts, spaces, sectors, solving, operators.

    Attributes
    ----------
    n : int
        Number of particles N.
    local_dim : int
        Wells per particle d.
    pair : ndarray, shape (d, d)
        W(a, b) of the pair term J_ij W(a_i, a_j) (eq. 3.1).
    couplings : ndarray, shape (N, N)
        J_ij in K.
    is_uniform : bool
        Built by ``uniform(...)`` (module docstring).

    Examples
    --------
    >>> from clusters import ThreeLevelCluster, TwoLevelCluster
    >>> c = TwoLevelCluster.uniform(4, 0.0, 1.0, -1.0)
    >>> c.dimension, c.sector_dimension, c.is_uniform     # 2^N and N + 1
    (16, 5, True)
    >>> t = ThreeLevelCluster.uniform(4, [0.0, 0.0, 0.0], 1.0, -1.0)
    >>> t.dimension, t.sector_dimension                   # 3^N and (N + 1)(N + 2)/2
    (81, 15)
    """

    local_dim: int = 2
    pair: np.ndarray
    n: int
    coupling: float = 0.0
    _uniform: bool = False
    _couplings: np.ndarray | None = None

    # --- supplied by subclasses -------------------------------------------------------------
    def _terms(self) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _one_particle(self) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _is_complex(self) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def _symmetry_name(self) -> str | None:
        """"parity", "z3" or None: the symmetry of the full space that :meth:`_symmetry` splits (default none)."""
        return None

    def _symmetry(self):
        """(builder of the list of :class:`clusters.sectors.Sector`, [(name, is_complex, copies)]) or None."""
        return None

    def _parameters(self) -> dict:  # pragma: no cover - abstract
        """The constructor arguments of this cluster (the scalars of ``uniform(...)`` for uniform clusters)."""
        raise NotImplementedError

    def _rebuild(self, parameters: dict) -> ClusterBase:  # pragma: no cover - abstract
        """A cluster of the same kind (uniform or not) from ``parameters`` (keys of :meth:`_parameters`)."""
        raise NotImplementedError

    def sector_hamiltonian(self) -> sp.csr_matrix:
        """H in the symmetric sector of a uniform cluster, in K (basis of :class:`clusters.bases.SymmetricSector`)."""
        self._require_uniform()
        raise NotImplementedError(f"{type(self).__name__} has no symmetric-sector Hamiltonian")

    _sector_is_tridiagonal = False

    def sector_tridiagonal(self, number: str = "float", two_s: int | None = None):
        """(diagonal, off-diagonal) of the symmetric sector where it is tridiagonal (2LS: override), in K."""
        raise ValueError(f"{type(self).__name__} has no tridiagonal symmetric sector (use the full space)")

    def lowest_outside_sector(self) -> float:
        """Lowest level (K) outside the symmetric sector of a uniform cluster (models that can tell: override)."""
        raise ValueError(f"{type(self).__name__} cannot give its levels outside the symmetric sector")

    def _sector_tridiagonal(self) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - abstract
        raise NotImplementedError

    # --- parts ---------------------------------------------------------------------------------
    @property
    def is_uniform(self) -> bool:
        """True for a cluster built by ``uniform(...)``: the symmetric sector is its default space everywhere.

        The one notion of "uniform" of the package: :meth:`eigenenergies`, :meth:`eigenstates`,
        :meth:`matrix_elements`, ``coherent_doublet``, ``coherent_multiplet``, ``transition_dipole`` and
        ``leaving_variance`` all take the symmetric sector exactly when this is True.
        """
        return self._uniform

    @property
    def couplings(self) -> np.ndarray:
        """J_ij in K, shape (N, N) (built on first access for uniform clusters, after a memory check)."""
        if self._couplings is None:
            n = self.n
            check_memory(16.0 * n * n, f"the {n} x {n} coupling matrix of a uniform cluster (n={n})")
            self._couplings = frozen(self.coupling * (np.ones((n, n)) - np.eye(n)))
        return self._couplings

    def terms(self) -> tuple[np.ndarray, np.ndarray]:
        """(well energies E^i_a, shape (N, d); one-particle hoppings h^(i), shape (N, d, d)) in K (eq. 3.1)."""
        return self._terms()

    def symmetry(self) -> str | None:
        """The symmetry of the full space: "parity" (2LS, all Delta_i = 0), "z3" (3LS, all well energies 0) or None.

        The one home of these tests (:mod:`clusters.sectors`); solves split the space by it
        (``sectors="auto"``), and the coherent and dipole analyses use it.

        Examples
        --------
        >>> from clusters import TwoLevelCluster
        >>> TwoLevelCluster.uniform(3, 0.0, 1.0, -5.0).symmetry(), TwoLevelCluster.uniform(3, 0.1, 1.0, -5.0).symmetry()
        ('parity', None)
        """
        return self._symmetry_name() if self.n > 1 else None

    def parameters(self) -> dict:
        """The constructor arguments of this cluster (scalars for uniform clusters, arrays otherwise), in K / rad."""
        return dict(self._parameters())

    def replace(self, **changes) -> ClusterBase:
        """A new cluster of the same kind with some constructor arguments changed (:meth:`parameters`).

        Examples
        --------
        >>> from clusters import TwoLevelCluster
        >>> TwoLevelCluster.uniform(3, 0.0, 1.0, -5.0).replace(tunneling=2.0).tunneling
        2.0
        """
        params = self._parameters()
        for key in changes:
            if key not in params:
                raise ValueError(f"{key!r} is not a parameter of {type(self).__name__}"
                                 f"{'.uniform' if self.is_uniform else ''} (known: {', '.join(params)})")
        params.update(changes)
        return self._rebuild(params)

    def configuration_energy(self, configurations) -> np.ndarray:
        """Diagonal energies of product states given by their well labels, in K (eq. 3.1).

        E(a) = sum_i E^i_{a_i} + sum_{i<j} J_ij W(a_i, a_j) for each row a of ``configurations``
        (shape (M, N), well labels 0..d-1; basis of :mod:`clusters.bases`); O(M N^2), no d^N table.

        Examples
        --------
        >>> from clusters import TwoLevelCluster
        >>> c = TwoLevelCluster.uniform(3, 0.2, 1.0, -5.0)
        >>> c.configuration_energy([[0, 0, 0], [1, 0, 0]]).tolist()   # |LLL>: 3 Delta/2 + 3 J; one flip: Delta/2 - J
        [-14.7, 5.1]
        """
        labels = as_real_array(configurations, "configurations", shape=(None, self.n))
        if np.any(labels != np.round(labels)) or np.any(labels < 0) or np.any(labels >= self.local_dim):
            raise ValueError(f"configurations must hold integer well labels 0..{self.local_dim - 1}")
        conf = labels.astype(np.int64)
        check_memory(16.0 * conf.shape[0] * self.n, f"the energies of {conf.shape[0]} configurations")
        wells, j = self._terms()[0], self.couplings
        energy = wells[np.arange(self.n)[None, :], conf].sum(axis=1)
        for i in range(self.n):
            energy = energy + 0.5 * (self.pair[conf[:, i][:, None], conf] * j[i][None, :]).sum(axis=1)
        return energy

    # --- spaces -------------------------------------------------------------------------------
    @property
    def dimension(self) -> int:
        """Dimension d^N of the full product space (a Python int, exact; refused beyond 10^3000)."""
        if self._log2_dimension() > 10_000:
            raise ValueError(f"n={self.n}: the full space {self.local_dim}^{self.n} has more than 3000 digits; "
                             "use the symmetric sector of a uniform cluster")
        return self.local_dim**self.n

    def _log2_dimension(self) -> float:
        return self.n * math.log2(self.local_dim)

    @property
    def sector_dimension(self) -> int:
        """Dimension of the permutation-symmetric sector (2LS: N + 1; 3LS: (N+1)(N+2)/2)."""
        return SymmetricSector(self.n, self.local_dim).dimension

    @property
    def basis(self) -> ProductBasis:
        """The full product basis of :mod:`clusters.bases` (d^N states; particle 0 the leftmost factor)."""
        return ProductBasis(self.n, self.local_dim)

    @property
    def sector_basis(self) -> SymmetricSector:
        """The permutation-symmetric sector basis of :mod:`clusters.bases` (the space of uniform clusters)."""
        return SymmetricSector(self.n, self.local_dim)

    def space(self, space: str = "auto") -> str:
        """The space a computation works in: "sector" (symmetric sector; uniform clusters only) or "full".

        ``"auto"`` is "sector" exactly for uniform clusters (:attr:`is_uniform`).
        """
        space = check_choice(space, "space", ("auto", "sector", "full"))
        if space == "auto":
            return "sector" if self.is_uniform else "full"
        if space == "sector":
            self._require_uniform()
        return space

    def hamiltonian_matrix(self, space: str = "auto") -> sp.csr_matrix:
        """H (eq. 3.1) as a scipy CSR matrix in K: in the symmetric sector ("sector") or the product basis ("full").

        Memory is checked before the matrix is built (:func:`clusters.hamiltonians.hamiltonian_csr`).

        Examples
        --------
        >>> from clusters import TwoLevelCluster
        >>> c = TwoLevelCluster.uniform(2, 0.0, 1.0, -5.0)
        >>> c.hamiltonian_matrix().shape, c.hamiltonian_matrix("full").shape
        ((3, 3), (4, 4))
        """
        if self.space(space) == "sector":
            return sp.csr_matrix(self.sector_hamiltonian())
        self._check_full_size(None)
        return hamiltonian_csr(*self._full_parts())

    def _require_uniform(self) -> None:
        if not self.is_uniform:
            raise ValueError(
                "method='sector' needs a uniform cluster (identical particles, all-to-all coupling); "
                f"build it with {type(self).__name__}.uniform(...)"
            )

    # --- public -------------------------------------------------------------------------------
    def hamiltonian(self, max_bytes: float | None = None):
        """The full cluster Hamiltonian (eq. 3.1) as a :class:`qutip.Qobj` (CSR data), in K.

        dims are [[d]*N, [d]*N] with particle 0 the leftmost tensor factor (basis of :mod:`clusters.bases`).

        Parameters
        ----------
        max_bytes : float, optional
            Refuse (with :class:`~clusters.memory.ClusterMemoryError`) when the estimated size of
            the Qobj exceeds this many bytes; default ``HAMILTONIAN_MAX_BYTES`` (2 GiB), capped by
            the memory available.
        """
        limit = HAMILTONIAN_MAX_BYTES if max_bytes is None else float(check_positive(
            as_real_scalar(max_bytes, "max_bytes"), "max_bytes"))
        self._check_full_size(None)
        d, n = self.local_dim, self.n
        check_memory(qobj_bytes(self.dimension, 1 + n * (d - 1)),
                     f"hamiltonian() as a QuTiP Qobj for N={n} (dimension {d}^{n})", limit=limit)
        import qutip

        return qutip.Qobj(hamiltonian_csr(*self._full_parts()), dims=[[d] * n, [d] * n], isherm=True)

    def eigenenergies(self, k: int | None = None, method: str = "auto", sectors: str = "auto") -> np.ndarray:
        """Lowest k energy levels in K, ascending (docs/clusters.md sec. 3; eq. 3.1 of docs/theory.md sec. 3).

        Parameters
        ----------
        k : int, optional
            Number of levels; None gives all levels (dense, or the whole sector).
        method : str
            ``auto``: the symmetric sector for uniform clusters; otherwise the automatic choice of
            :func:`clusters.solvers.choose_backend` (dense up to dimension 256, the lean Lanczos of
            :mod:`clusters.lanczos` beyond). ``sector`` (uniform clusters only) returns the levels
            of the permutation-symmetric sector; a backend name (``dense``, ``lanczos``, ``sparse``,
            ``matrix_free``, ... see :func:`clusters.solvers.methods`) the levels of the full
            product space (which for a uniform cluster include the other symmetry sectors).
        sectors : {"auto", "none"}
            Full-space solves: ``auto`` splits the space into its symmetry sectors where the
            Hamiltonian has them (spin-flip parity when every Delta_i = 0, Z3 when every 3LS well
            energy is zero; :mod:`clusters.sectors`) and merges their levels; ``none`` does not.

        Returns
        -------
        ndarray, shape (k,)

        Warns
        -----
        RuntimeWarning
            When two returned levels differ by less than the float64 resolution of the levels (an
            exact degeneracy, or a splitting such as the coherent one that float64 cannot resolve).

        Examples
        --------
        >>> from clusters import TwoLevelCluster
        >>> pair = TwoLevelCluster([0.3, 0.5], [0.4, 1.2], [[0.0, 0.0], [0.0, 0.0]])   # uncoupled: E_1 = 0.5, E_2 = 1.3
        >>> print(pair.eigenenergies().round(6))              # the sums +-E_1/2 +- E_2/2
        [-0.9 -0.4  0.4  0.9]
        """
        e = self._solve(k, method, False, sectors)[0]
        self._warn_unresolved(e)
        return e

    def eigenstates(self, k: int | None = None, method: str = "auto", sectors: str = "auto"):
        """Lowest k eigenpairs (docs/clusters.md sec. 3); arguments as :meth:`eigenenergies`.

        Returns
        -------
        energies : ndarray, shape (k,)
            In K, ascending.
        states : ndarray, shape (dim, k)
            Always numpy columns. Full-space solves: dim = d^N, the product basis of
            :mod:`clusters.bases` (sector solves embedded there); :meth:`to_qobj` makes Qobj kets.
            Symmetric-sector solves (the default for uniform clusters): dim = the sector dimension,
            the sector basis of :mod:`clusters.bases` (embed with :func:`clusters.embed_symmetric_state`;
            :meth:`to_qobj` embeds them too).

        Examples
        --------
        >>> import numpy as np
        >>> from clusters import TwoLevelCluster
        >>> c = TwoLevelCluster([0.0], [1.0], [[0.0]])        # H = Delta0 sigma^x / 2: ground state (|L> - |R>)/sqrt(2)
        >>> e, v = c.eigenstates()
        >>> print(e.round(6), round(float(v[0, 0] * v[1, 0]), 6))
        [-0.5  0.5] -0.5
        >>> bool(np.allclose(c.hamiltonian_matrix() @ v, v * e))
        True
        """
        e, v, _ = self._solve(k, method, True, sectors)
        self._warn_unresolved(e)
        return e, v

    def to_qobj(self, states: np.ndarray) -> list:
        """Columns of :meth:`eigenstates` as a list of :class:`qutip.Qobj` kets (dims [[d]*N, [1]*N]).

        Columns in the symmetric-sector basis (uniform clusters) are embedded first (d^N <= 2^14).
        """
        v = as_complex_array(states, "states")
        if v.ndim == 1:
            v = v[:, None]
        self._check_full_size(None)
        if v.ndim != 2 or v.shape[0] not in (self.dimension, self.sector_dimension) or v.dtype.kind not in "fc":
            raise ValueError(f"states must be numeric columns with {self.dimension} rows (full space) or "
                             f"{self.sector_dimension} (symmetric sector), got shape {v.shape}")
        if not np.all(np.isfinite(v)):
            raise ValueError("states must be finite")
        if v.shape[0] != self.dimension:
            v = embed_symmetric_state(v, self.n, self.local_dim)
        import qutip

        dims = [[self.local_dim] * self.n, [1] * self.n]
        return [qutip.Qobj(v[:, j].reshape(-1, 1), dims=dims) for j in range(v.shape[1])]

    @staticmethod
    def _warn_unresolved(e: np.ndarray) -> None:
        if e.size < 2:
            return
        resolution = 8.0 * np.finfo(float).eps * max(float(np.max(np.abs(e))), 1e-300)
        gaps = np.diff(e)
        if np.any(gaps < resolution):
            j = int(np.argmin(gaps))
            warnings.warn(
                f"levels {j} and {j + 1} differ by {gaps[j]:.3g} K, below the float64 resolution of the levels "
                f"({resolution:.3g} K): an exact degeneracy, or a splitting that float64 cannot resolve. For the "
                "coherent tunneling splitting use clusters.coherent_doublet(cluster) (2LS) or "
                "clusters.coherent_multiplet(cluster) (3LS), which work in extended precision (mpmath)",
                UnresolvedGapWarning, stacklevel=3)
