"""Symmetry sectors of the full product space (docs/clusters.md sec. 3; docs/theory.md sec. 3).

* **Spin-flip parity** (2LS clusters with every Delta_i = 0). P = prod_i sigma^x_i flips every
  particle and commutes with H. With representatives r = states with particle 0 in L (index
  < 2^(N-1)), the states |r, +-> = (|r> +- P|r>)/sqrt(2) span the sectors P = +-1, each of
  dimension 2^(N-1). On them H acts on particles 1..N-1 as usual, with the diagonal of particle 0
  fixed in L (:func:`clusters.hamiltonians.fixed_first_energies`), and the hopping of particle 0
  becomes the global term +- (Delta0_0/2) x[flip(r)] (flip of the N - 1 remaining particles).
  The members of the coherent doublet (|L..L> +- |R..R>) lie in different sectors, so its
  splitting is the difference of the two sector ground levels.
* **Cyclic well permutation Z3** (3LS clusters with every well energy zero). T shifts every
  particle's well by one (a -> a + 1 mod 3); the Peierls hopping and the same-well pair term are
  invariant. With representatives r = states with particle 0 in well 0 and w = exp(2 pi i/3),
  |r, q> = sum_k w^(-q k) T^k |r> / sqrt(3) (q = 0, 1, 2) has T = w^q; H acts on particles 1..N-1
  as usual and the hopping of particle 0 gives sum_{g=1,2} h^0_{g0} w^(q g) x[every digit + g].
  At phi = 0, the sectors q = 1 and 2 are complex conjugates (equal levels).

:class:`Sector` holds the parts of one sector (diagonal, hoppings, global term: the
:class:`clusters.kernels.ProductKernel` form) and embeds sector vectors in the full space.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tunnelsim.phases import ring_hopping
from tunnelsim.validation import as_real_array, as_real_scalar, check_square_symmetric

from .bases import shift_wells
from .hamiltonians import SAME_WELL_PAIR, SPIN_PAIR, fixed_first_energies, two_level_terms

__all__ = ["Sector", "parity_sectors", "z3_sectors", "has_parity_symmetry", "has_z3_symmetry"]

OMEGA = np.exp(2j * np.pi / 3)


@dataclass(frozen=True)
class Sector:
    """One symmetry sector: H restricted to it in the :class:`~clusters.kernels.ProductKernel` form.

    Attributes
    ----------
    name : str
        "P=+1", "P=-1" (parity) or "q=0", "q=1", "q=2" (Z3).
    n, d : int
        Particles of the full cluster and wells per particle (the sector has d^(N-1) states).
    charge : int
        +1 / -1 for parity, q for Z3.
    copies : int
        How many sectors share these levels (2 for q = 1 at phi = 0, whose partner q = 2 is not solved).

    Examples
    --------
    >>> from clusters import uniform_couplings
    >>> [(s.name, s.charge, s.diag.size) for s in parity_sectors([0.0] * 3, [1.0] * 3, uniform_couplings(3, -1.0))]
    [('P=+1', 1, 4), ('P=-1', -1, 4)]
    """

    name: str
    n: int
    d: int
    charge: int
    copies: int
    diag: np.ndarray
    hoff: np.ndarray
    glob: np.ndarray

    @property
    def dimension(self) -> int:
        """d^(N-1)."""
        return self.d ** (self.n - 1)

    def embed(self, vecs: np.ndarray, conjugate: bool = False) -> np.ndarray:
        """Sector columns (shape (d^(N-1), k)) written in the full product basis (shape (d^N, k)).

        ``conjugate``: embed into the partner sector q -> 3 - q (Z3 at phi = 0; the conjugate vector).
        """
        v = np.asarray(vecs)
        one = v.ndim == 1
        v = v.reshape(v.shape[0], -1)
        if self.d == 2:
            out = np.concatenate([v, self.charge * v[::-1]], axis=0) / math.sqrt(2.0)
        else:
            q = (3 - self.charge) % 3 if conjugate else self.charge
            v = v.conj() if conjugate else v
            rest = self.n - 1
            r = np.arange(self.dimension, dtype=np.int64)
            out = np.zeros((3 * self.dimension, v.shape[1]), dtype=complex)
            for k in range(3):
                out[k * self.dimension + shift_wells(r, rest, 3, k)] = OMEGA ** (-q * k) * v / math.sqrt(3.0)
        return out[:, 0] if one else out


def has_parity_symmetry(asymmetries: np.ndarray) -> bool:
    """Whether every Delta_i is zero (then P = prod sigma^x commutes with the 2LS cluster H).

    Examples
    --------
    >>> import numpy as np
    >>> has_parity_symmetry(np.zeros(3)), has_parity_symmetry(np.array([0.0, 1e-3]))
    (True, False)
    """
    return bool(np.all(as_real_array(asymmetries, "asymmetries", ndim=1) == 0.0))


def has_z3_symmetry(energies: np.ndarray) -> bool:
    """Whether every well energy is zero (then the cyclic well shift commutes with the 3LS cluster H).

    Examples
    --------
    >>> import numpy as np
    >>> has_z3_symmetry(np.zeros((2, 3))), has_z3_symmetry(np.array([[0.1, -0.05, -0.05]]))
    (True, False)
    """
    return bool(np.all(as_real_array(energies, "energies", shape=(None, 3)) == 0.0))


def parity_sectors(asymmetries, tunnelings, couplings) -> list[Sector]:
    """The P = +1 and P = -1 sectors of a 2LS cluster with every Delta_i = 0 (module docstring), in K.

    Examples
    --------
    >>> import numpy as np
    >>> from clusters import uniform_couplings
    >>> from clusters.hamiltonians import hamiltonian_csr, two_level_parts
    >>> J, tun = uniform_couplings(3, -1.0), np.array([1.0, 0.5, 0.7])
    >>> sectors = parity_sectors([0.0] * 3, tun, J)
    >>> split = [np.linalg.eigvalsh(hamiltonian_csr(s.diag, s.hoff, s.glob).toarray()) for s in sectors]
    >>> full = np.linalg.eigvalsh(hamiltonian_csr(*two_level_parts(np.zeros(3), tun, J)).toarray())
    >>> bool(np.allclose(np.sort(np.concatenate(split)), full))        # the two sectors hold every level
    True
    """
    wells, hop = two_level_terms(asymmetries, tunnelings)
    n = wells.shape[0]
    couplings = check_square_symmetric(couplings, "couplings", n)
    if not has_parity_symmetry(asymmetries):
        raise ValueError("asymmetries must all be zero for the spin-flip parity sectors")
    diag = fixed_first_energies(wells, couplings, SPIN_PAIR)
    t0 = float(hop[0, 0, 1])
    return [Sector(f"P={s:+d}", n, 2, s, 1, diag, np.ascontiguousarray(hop[1:]), np.array([0.0, s * t0]))
            for s in (1, -1)]


def z3_sectors(energies, d0s, couplings, phi) -> list[Sector]:
    """The Z3 sectors of a 3LS cluster with every well energy zero (module docstring), in K.

    With real hoppings (phi = 0 mod 3 pi) only q = 0 and q = 1 are returned (q = 1 with ``copies = 2``:
    its levels are those of q = 2 as well); otherwise q = 0, 1, 2.

    Examples
    --------
    >>> import numpy as np
    >>> from clusters import uniform_couplings
    >>> from clusters.hamiltonians import hamiltonian_csr, three_level_parts
    >>> E, d0, J = np.zeros((2, 3)), np.array([1.0, 0.5]), uniform_couplings(2, -1.0)
    >>> sectors = z3_sectors(E, d0, J, 0.3)
    >>> split = [np.linalg.eigvalsh(hamiltonian_csr(s.diag, s.hoff, s.glob).toarray()) for s in sectors]
    >>> full = np.linalg.eigvalsh(hamiltonian_csr(*three_level_parts(E, d0, J, 0.3)).toarray())
    >>> bool(np.allclose(np.sort(np.concatenate(split)), full))        # q = 0, 1, 2 hold every level
    True
    """
    e = as_real_array(energies, "energies", shape=(None, 3))
    n = e.shape[0]
    d0 = as_real_array(d0s, "d0s", shape=(n,))
    couplings = check_square_symmetric(couplings, "couplings", n)
    phi = as_real_scalar(phi, "phi")
    if not has_z3_symmetry(e):
        raise ValueError("energies must all be zero for the Z3 sectors")
    hop = ring_hopping(d0, phi, n_wells=3)
    hop = hop.reshape(n, 3, 3)
    diag = fixed_first_energies(e, couplings, SAME_WELL_PAIR)
    real_field = not np.any(np.imag(hop))  # real hopping: the sectors q = 1 and 2 are complex conjugates
    charges = (0, 1) if real_field else (0, 1, 2)
    out = []
    for q in charges:
        glob = np.array([0.0, hop[0, 1, 0] * OMEGA**q, hop[0, 2, 0] * OMEGA ** (2 * q)], dtype=complex)
        rest = np.ascontiguousarray(hop[1:])
        if q == 0 and np.isrealobj(hop):
            glob = glob.real.copy()
        out.append(Sector(f"q={q}", n, 3, q, 2 if (real_field and q == 1) else 1, diag, rest, glob))
    return out
