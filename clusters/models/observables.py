"""Operators, matrix elements and spectra versus a parameter of a cluster model (docs/clusters.md sec. 1).

:class:`Observables` is a base of :class:`clusters.models.base.ClusterBase`: every model gets

* ``operator(name, particle=None, weights=None, well=0, space="auto")``: a one-particle operator of
  particle i, or the weighted sum over the particles, as a CSR matrix in the product basis ("full")
  or in the symmetric sector of a uniform cluster ("sector"), both of :mod:`clusters.bases`;
* ``matrix_elements(op, k)``: <i|O|j> between the k lowest levels (scqubits' ``matrixelement_table``);
* ``spectrum_vs(parameter, values)``: a :class:`tunnelsim.results.SpectrumData` of the levels (and
  matrix elements) versus one constructor argument (scqubits' ``get_spectrum_vs_paramvals``).

The operators (dimensionless; particle i, wells a of :mod:`clusters.bases`):

* ``sigma_z`` (d = 2): |0><0| - |1><1| (+1 in L);
* ``sigma_x`` (d = 2): |0><1| + |1><0|;
* ``dipole`` (d = 2): sigma_z / 2, so that weights p_i give sum_i (p_i / 2) sigma^z_i (eq. D.1 of
  :mod:`clusters.dipoles`);
* ``projector`` (any d): |a><a| for ``well`` = a.

In the symmetric sector a state is symmetric under every permutation, so the sector block of O_i is
the same for every particle: sum_i w_i O_i acts there as mean(w) sum_i O_i (with sum_i sigma^z_i =
n_0 - n_1, sum_i |a><a|_i = n_a, and <m+1| sum_i sigma^x_i |m> = sqrt((m + 1)(N - m)); docs/theory.md sec. 3).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp

from tunnelsim.results import SpectrumData
from tunnelsim.validation import as_complex_array, as_real_array, check_choice, check_int

from ..memory import check_memory

__all__ = ["Observables", "OPERATORS"]

#: The operator names of :meth:`Observables.operator` and the number of wells d they need (None: any).
OPERATORS = {"sigma_z": 2, "sigma_x": 2, "dipole": 2, "projector": None}


class Observables:
    """Operators, matrix elements and parameter sweeps of a cluster model (module docstring)."""

    # ------------------------------------------------------------------------------ operators
    def operator(self, name: str, particle: int | None = None, *, weights=None, well: int = 0,
                 space: str = "auto") -> sp.csr_matrix:
        """A one-particle operator (or a weighted sum over particles) as a CSR matrix (module docstring).

        Parameters
        ----------
        name : {"sigma_z", "sigma_x", "dipole", "projector"}
            The operator (``OPERATORS``; the first three need d = 2).
        particle : int, optional
            Particle i (0..N-1); None: the sum over all particles, weighted by ``weights``.
        weights : array_like, shape (N,), optional
            w_i of sum_i w_i O_i (default 1; e.g. one component of the dipoles p_i for ``"dipole"``).
        well : int
            Well a of ``"projector"``.
        space : {"auto", "sector", "full"}
            The basis (:meth:`clusters.models.base.ClusterBase.space`; "auto": the symmetric sector for uniform
            clusters).

        Returns
        -------
        scipy.sparse.csr_matrix
            Dimensionless (times the unit of ``weights``), Hermitian.

        Examples
        --------
        >>> from clusters import TwoLevelCluster
        >>> c = TwoLevelCluster([0.0, 0.0], [1.0, 1.0], [[0.0, -1.0], [-1.0, 0.0]])
        >>> c.operator("sigma_z", 0).diagonal().tolist()
        [1.0, 1.0, -1.0, -1.0]
        """
        name = check_choice(name, "name", tuple(OPERATORS))
        if OPERATORS[name] is not None and self.local_dim != OPERATORS[name]:
            raise ValueError(f"operator {name!r} needs particles with {OPERATORS[name]} wells; this cluster has "
                             f"d = {self.local_dim} (use 'projector')")
        well = check_int(well, "well", minimum=0, maximum=self.local_dim - 1)
        w = self._operator_weights(particle, weights)
        if self.space(space) == "sector":
            return self._sector_operator(name, well, float(np.mean(w)))
        return self._full_operator(name, well, w)

    def _operator_weights(self, particle, weights) -> np.ndarray:
        if particle is not None:
            if weights is not None:
                raise ValueError("give either particle or weights, not both")
            w = np.zeros(self.n)
            w[check_int(particle, "particle", minimum=0, maximum=self.n - 1)] = 1.0
            return w
        return np.ones(self.n) if weights is None else as_real_array(weights, "weights", shape=(self.n,))

    def _full_operator(self, name: str, well: int, w: np.ndarray) -> sp.csr_matrix:
        basis = self.basis
        self._check_full_size(None)
        dim = basis.dimension
        check_memory(40.0 * dim * (1 + (name == "sigma_x")), f"the operator {name!r} of N={self.n} particles")
        states = np.arange(dim, dtype=np.int64)
        used = np.flatnonzero(w)
        if name == "sigma_x":
            mats = []
            for i in used:
                digit = basis.digit(states, int(i))
                cols = states + (1 - 2 * digit) * basis.stride(int(i))
                mats.append(sp.csr_matrix((np.full(dim, w[i]), (states, cols)), shape=(dim, dim)))
            return sum(mats, sp.csr_matrix((dim, dim)))
        diag = np.zeros(dim)
        for i in used:
            digit = basis.digit(states, int(i))
            diag += w[i] * (digit == well if name == "projector" else (1.0 - 2.0 * digit) * (0.5 if name == "dipole"
                                                                                               else 1.0))
        return sp.diags(diag, format="csr")

    def _sector_operator(self, name: str, well: int, mean: float) -> sp.csr_matrix:
        occ = self.sector_basis.occupations().astype(float)
        if name == "sigma_x":
            m = occ[:-1, 1]
            off = mean * np.sqrt((m + 1.0) * (self.n - m))
            return sp.diags([off, off], [-1, 1], format="csr")
        if name == "projector":
            return sp.diags(mean * occ[:, well], format="csr")
        return sp.diags(mean * (occ[:, 0] - occ[:, 1]) * (0.5 if name == "dipole" else 1.0), format="csr")

    # ------------------------------------------------------------------------ matrix elements
    def matrix_elements(self, op, k: int | None = 2, *, states=None, method: str = "auto",
                        **operator_args) -> np.ndarray:
        """<i|O|j> between the k lowest eigenstates (or the given ``states``), shape (k, k).

        Parameters
        ----------
        op : str or matrix
            An operator name of :meth:`operator` (``operator_args`` go to it) or a matrix of the
            dimension of the states (full space d^N, or the symmetric sector of a uniform cluster).
        k : int or None
            Number of levels (None: all; ignored when ``states`` is given).
        states : ndarray, shape (dim, k), optional
            Columns of :meth:`~clusters.models.base.ClusterBase.eigenstates` (default: computed, with ``method``).
        method : str
            As :meth:`~clusters.models.base.ClusterBase.eigenstates`.

        Returns
        -------
        ndarray, shape (k, k)
            Complex for complex states, real otherwise; in the unit of the operator.

        Examples
        --------
        >>> from clusters import TwoLevelCluster
        >>> c = TwoLevelCluster.uniform(1, 0.0, 1.0, 0.0)
        >>> abs(round(float(c.matrix_elements("sigma_z", 2)[0, 1]), 12))
        1.0
        """
        if isinstance(op, str) and op not in OPERATORS:
            raise ValueError(f"op must be one of {', '.join(repr(o) for o in OPERATORS)} or a matrix, got {op!r}")
        if states is None:
            states = self.eigenstates(k, method)[1]
        v = as_complex_array(states, "states")
        v = v[:, None] if v.ndim == 1 else v
        space = {self.dimension: "full"} if self.n * np.log2(self.local_dim) <= 62 else {}
        if self.is_uniform:
            space[self.sector_dimension] = "sector"
        if v.ndim != 2 or v.shape[0] not in space:
            raise ValueError(f"states must be columns of dimension {' or '.join(str(d) for d in space)}, got shape "
                             f"{v.shape}")
        if isinstance(op, str):
            mat = self.operator(op, space=space[v.shape[0]], **operator_args)
        else:
            if operator_args:
                raise ValueError(f"operator arguments {sorted(operator_args)} apply only to a named operator")
            mat = op if sp.issparse(op) else as_complex_array(op, "op", ndim=2)
            if mat.shape != (v.shape[0], v.shape[0]):
                raise ValueError(f"op must have shape ({v.shape[0]}, {v.shape[0]}) like the states, got {mat.shape}")
        out = v.conj().T @ (mat @ v)
        return out.real.copy() if not np.any(np.imag(out)) and not np.iscomplexobj(states) else out

    # ------------------------------------------------------------------- spectrum vs parameter
    def spectrum_vs(self, parameter: str, values, k: int = 4, *, method: str = "auto",
                    operators: Mapping | None = None, unit: str = "") -> SpectrumData:
        """The k lowest levels versus one constructor argument, as a :class:`tunnelsim.results.SpectrumData`.

        Each value builds the cluster :meth:`~clusters.models.base.ClusterBase.replace` (parameter=value)
        and solves it like :meth:`~clusters.models.base.ClusterBase.eigenenergies`. A scalar argument
        (``tunneling``, ``coupling``, ``phi``, ``n``, ...) takes the values themselves; an array argument
        (``asymmetries``, ``couplings``, ...) is multiplied by each value (a scale factor). Rows with
        fewer than k levels (small ``n``) are padded with NaN.

        Parameters
        ----------
        parameter : str
            A key of :meth:`~clusters.models.base.ClusterBase.parameters`.
        values : array_like, shape (M,)
            Parameter values (K, rad, or a scale factor; a count for ``n``).
        k : int
            Levels per value (at most the largest space of the sweep: fewer columns come back otherwise).
        method : str
            As :meth:`~clusters.models.base.ClusterBase.eigenenergies`.
        operators : mapping of str to (str or dict), optional
            label -> operator name or keyword arguments of :meth:`operator`: their matrix elements between
            the k levels at each value (``SpectrumData.matrix_elements[label]``).
        unit : str
            Unit of the parameter, for labels.

        Returns
        -------
        SpectrumData

        Examples
        --------
        >>> from clusters import TwoLevelCluster
        >>> c = TwoLevelCluster.uniform(2, 0.0, 1.0, -3.0)
        >>> c.spectrum_vs("tunneling", [0.5, 1.0], k=2).energies.shape
        (2, 2)
        """
        params = self.parameters()
        if not isinstance(parameter, str) or parameter not in params:
            raise ValueError(f"parameter must be one of {', '.join(repr(p) for p in params)}, got {parameter!r}")
        vals = as_real_array(values, "values", ndim=1)
        k = check_int(k, "k", minimum=1)
        specs = _operator_specs(operators)
        scaled = np.ndim(params[parameter]) > 0
        points = [self._point(parameter, params[parameter], x, scaled) for x in vals]
        levels = [min(k, c.sector_dimension if c.space("auto") == "sector" and method in ("auto", "sector")
                      else c.dimension) for c in points]
        k = max(levels, default=1)
        check_memory(8.0 * vals.size * k * (1.0 + 2.0 * k * len(specs)), f"spectrum_vs: {vals.size} x {k} levels")
        energies = np.full((vals.size, k), np.nan)
        elements = {label: np.full((vals.size, k, k), np.nan, dtype=complex) for label in specs}
        for row, (cluster, kk) in enumerate(zip(points, levels)):
            if specs:
                e, v = cluster.eigenstates(kk, method)
                for label, spec in specs.items():
                    args = {a: b for a, b in spec.items() if a != "name"}
                    elements[label][row, :kk, :kk] = cluster.matrix_elements(spec["name"], states=v, **args)
            else:
                e = cluster.eigenenergies(kk, method)
            if not np.all(np.isfinite(e)):
                raise ValueError(f"values[{row}] = {vals[row]:g} makes the levels overflow float64 ({parameter}); use "
                                 f"smaller values")
            energies[row, :kk] = e
        fixed = {key: (val if np.ndim(val) == 0 else np.asarray(val).tolist()) for key, val in params.items()
                 if key != parameter}
        return SpectrumData(parameter=parameter, values=vals, energies=energies, unit=unit, label=repr(self),
                            metadata=fixed,
                            matrix_elements={label: (m.real if not np.any(np.imag(m[np.isfinite(m)])) else m)
                                             for label, m in elements.items()})


    def _point(self, parameter: str, current, x: float, scaled: bool):
        """The model at one value of spectrum_vs (a scale factor of an array argument, or the value itself)."""
        try:
            return self.replace(**{parameter: np.asarray(current) * x if scaled
                                   else (check_int(x, "values", minimum=1) if parameter == "n" else x)})
        except (ValueError, TypeError) as exc:
            if "values" in str(exc):
                raise
            raise type(exc)(f"values: {parameter} at the value {x:g} is not a valid model: {exc}") from None

def _operator_specs(operators) -> dict:
    """{label: operator keyword arguments} from ``operators`` of :meth:`Observables.spectrum_vs`, checked."""
    if operators is None:
        return {}
    if not isinstance(operators, Mapping):
        raise TypeError(f"operators must be a mapping label -> operator name (or dict of operator arguments), got "
                        f"{type(operators).__name__}")
    specs = {}
    for label, spec in operators.items():
        if isinstance(spec, str):
            spec = {"name": spec}
        if not isinstance(spec, Mapping) or spec.get("name") not in OPERATORS:
            raise ValueError(f"operators[{label!r}] must be an operator name ({', '.join(OPERATORS)}) or a dict with "
                             f"such a 'name', got {spec!r}")
        specs[str(label)] = dict(spec)
    return specs
