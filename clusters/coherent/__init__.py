"""Exact effective Hamiltonians of the coherent model space of a cluster (docs/coherent_tunneling.md; theory sec. 3).

The model space P is spanned by the coherent states {|L...L>, |R...R>} of a 2LS cluster or
{|1...1>, |2...2>, |3...3>} of a 3LS cluster. Modules: :mod:`~clusters.coherent.partitioning`
(Loewdin partitioning by layered elimination: A(E), S(E)), :mod:`~clusters.coherent.mplinalg`
(extended-precision 2x2 / 3x3 algebra), :mod:`~clusters.coherent.effective` (self-consistent
centre and des Cloizeaux effective Hamiltonian), :mod:`~clusters.coherent.doublet` (2LS) and
:mod:`~clusters.coherent.multiplet` (3LS).

Whether the model space is the low-energy space is decided exactly: the coherent multiplet holds the
n lowest exact states iff E_max - QHQ is negative definite at the highest root E_max (Sylvester's law
of inertia on the Schur complement) and every exact multiplet state has a model-space weight above 1/2.
"""

from .checks import CoherentSpaceWarning
from .doublet import MAX_SHELL_N_TWO_LEVEL, CoherentDoublet, coherent_doublet
from .multiplet import MAX_SHELL_N_THREE_LEVEL, CoherentMultiplet, coherent_multiplet

__all__ = [
    "CoherentSpaceWarning",
    "CoherentDoublet",
    "CoherentMultiplet",
    "coherent_doublet",
    "coherent_multiplet",
    "MAX_SHELL_N_TWO_LEVEL",
    "MAX_SHELL_N_THREE_LEVEL",
]
