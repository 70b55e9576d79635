"""Report rows whose verdicts are computed, never written: claims graded in the paper's own regime.

A :class:`Claim` holds the statement of the theory, where the paper makes it (equation or section),
the regime the paper states (:class:`Regime`: parameter bounds plus the paper's words), where it was
measured (``conditions``), the measured quantity (:class:`Measured`: value and uncertainty), the
reference (:class:`tunnelsim.stats.Reference`: value, uncertainty, source) and a
:class:`Tolerance` with its reason. Its :attr:`Claim.verdict` is computed (docs/architecture.md,
"Report rows"):

* measured outside the paper's regime -> :attr:`Verdict.BEYOND` (shown with its numbers, not graded);
* combined uncertainty larger than the tolerance, or a non-finite measurement -> :attr:`Verdict.INCONCLUSIVE`;
* |measured - reference| <= tolerance -> :attr:`Verdict.AGREES`; otherwise :attr:`Verdict.DISAGREES`.

Rows that cannot fail are not claims: an identity, a timing or a finding beyond the paper is a
:class:`Finding` (ungraded). :class:`Verdict` is the one place where the verdict words are spelled.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import Enum

from tunnelsim.stats import Reference

__all__ = ["Verdict", "FindingKind", "Regime", "Measured", "Tolerance", "Claim", "Finding", "Reference",
           "row_from_dict", "round_condition"]


class Verdict(str, Enum):
    """The verdict vocabulary (the only place these words are written)."""

    AGREES = "agrees"
    DISAGREES = "disagrees"
    INCONCLUSIVE = "inconclusive"
    BEYOND = "beyond the paper's regime"

    def __str__(self) -> str:
        return self.value


class FindingKind(str, Enum):
    """Kinds of ungraded rows."""

    IDENTITY = "identity"
    TIMING = "timing"
    BEYOND_PAPER = "beyond the paper"
    RECONSTRUCTION = "reconstruction"
    OBSERVATION = "observation"

    def __str__(self) -> str:
        return self.value


Bound = tuple[float | None, float | None]


@dataclass(frozen=True)
class Regime:
    """Where the paper makes a claim: parameter bounds (inclusive; None = open) and the paper's words.

    Attributes
    ----------
    text : str
        The paper's own statement of the regime (e.g. "weak fields, phi << 1").
    bounds : mapping of str to (low, high)
        Parameter name -> interval; a claim measured with a condition outside it is not graded.
    """

    text: str
    bounds: Mapping[str, Bound] = field(default_factory=dict)

    def outside(self, conditions: Mapping[str, object]) -> list[str]:
        """Names of the conditions that leave the bounds (a condition is a number or a (min, max) range)."""
        bad = []
        for name, (lo, hi) in self.bounds.items():
            if name not in conditions:
                raise ValueError(f"the claim's conditions must give {name!r} (the regime bounds it)")
            value = conditions[name]
            vmin, vmax = (value, value) if isinstance(value, (int, float)) else tuple(value)
            if (lo is not None and vmin < lo) or (hi is not None and vmax > hi):
                bad.append(name)
        return bad

    def describe(self) -> str:
        """The paper's words and the bounds, as one line."""
        parts = [f"{lo if lo is not None else '-inf'} <= {n} <= {hi if hi is not None else 'inf'}"
                 for n, (lo, hi) in self.bounds.items()]
        return self.text + (f" ({'; '.join(parts)})" if parts else "")


@dataclass(frozen=True)
class Measured:
    """The measured (computed) quantity: value, one-sigma uncertainty (0 if exact), what it is, unit."""

    value: float
    uncertainty: float = 0.0
    what: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Tolerance:
    """How close counts as agreement, and why (``relative``: a fraction of |reference|)."""

    value: float
    reason: str
    relative: bool = False

    def __post_init__(self) -> None:
        if not (self.value > 0 and math.isfinite(self.value)):
            raise ValueError(f"tolerance must be a finite number > 0, got {self.value!r}")
        if not self.reason.strip():
            raise ValueError("a tolerance needs its reason")


def round_condition(x: float) -> float:
    """``x`` to 4 significant digits, as a claim's conditions quote a measured value or range end."""
    return float(f"{float(x):.4g}")


def _fmt(x: float) -> str:
    return f"{x:.4g}" if math.isfinite(x) else str(x)


@dataclass(frozen=True)
class Claim:
    """A claim of the theory against the toolkit's measurement; the verdict is a computed property.

    Attributes
    ----------
    statement : str
        What the theory says, in one sentence.
    source : str
        The paper's equation or section (or docs/theory.md section for a derived check).
    regime : Regime
        Where the paper makes the claim.
    conditions : mapping
        Where it was measured: parameter -> value or (min, max) over the points used.
    measured : Measured
    reference : tunnelsim.stats.Reference
    tolerance : Tolerance
    where : str
        The function that computed the measurement.
    figure : str
        Optional figure file (relative to the output folder).
    detail : str
        Further numbers (shown in the report).
    reconstruction : str
        Non-empty when the paper's equation is not available: what the toolkit used instead and the
        alternative(s) also tried, with their results.
    """

    statement: str
    source: str
    regime: Regime
    conditions: Mapping[str, object]
    measured: Measured
    reference: Reference
    tolerance: Tolerance
    where: str
    figure: str = ""
    detail: str = ""
    reconstruction: str = ""

    def __post_init__(self) -> None:
        if self.tolerance.relative and self.reference.value == 0:
            raise ValueError("a relative tolerance needs a non-zero reference value")
        self.regime.outside(self.conditions)  # every bounded parameter must be given

    @property
    def deviation(self) -> float:
        """|measured - reference| (relative to |reference| for a relative tolerance)."""
        dev = abs(self.measured.value - self.reference.value)
        return dev / abs(self.reference.value) if self.tolerance.relative else dev

    @property
    def uncertainty(self) -> float:
        """Combined uncertainty sqrt(u_measured^2 + u_reference^2), on the tolerance's scale."""
        u = math.hypot(self.measured.uncertainty, self.reference.stderr)
        return u / abs(self.reference.value) if self.tolerance.relative else u

    @property
    def verdict(self) -> Verdict:
        """Computed: beyond the regime, inconclusive, agrees or disagrees (module docstring)."""
        if self.regime.outside(self.conditions):
            return Verdict.BEYOND
        if not (math.isfinite(self.measured.value) and math.isfinite(self.uncertainty)):
            return Verdict.INCONCLUSIVE
        if self.uncertainty > self.tolerance.value:
            return Verdict.INCONCLUSIVE
        return Verdict.AGREES if self.deviation <= self.tolerance.value else Verdict.DISAGREES

    @property
    def graded(self) -> bool:
        """Whether the claim is graded (measured inside the paper's regime)."""
        return self.verdict is not Verdict.BEYOND

    def conditions_text(self) -> str:
        """Where it was measured: the conditions, ``name = value`` (a range as (min, max))."""
        return ", ".join(f"{k} = {v}" for k, v in self.conditions.items())

    def result_text(self) -> str:
        """The measurement, the reference and the tolerance, in words."""
        m, r, t = self.measured, self.reference, self.tolerance
        unit = f" {m.unit}" if m.unit else ""
        pm = f" +- {_fmt(m.uncertainty)}" if m.uncertainty else ""
        meas = f"{m.what + ' = ' if m.what else ''}{_fmt(m.value)}{pm}"
        ref = f"{_fmt(r.value)}{' +- ' + _fmt(r.stderr) if r.stderr else ''} ({r.source})"
        tol = f"{_fmt(t.value * 100) + ' %' if t.relative else _fmt(t.value) + unit} ({t.reason})"
        return f"measured {meas}{unit}; reference {ref}; tolerance {tol}"

    def as_dict(self) -> dict:
        """Plain data (for the JSON cache); the verdict is not stored, it is recomputed on load."""
        d = asdict(self)
        d["regime"]["bounds"] = {k: list(v) for k, v in self.regime.bounds.items()}
        d["conditions"] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.conditions.items()}
        return {"row": "claim", **d}


@dataclass(frozen=True)
class Finding:
    """An ungraded row: an identity, a timing, a reconstruction or a finding beyond the paper."""

    kind: FindingKind
    statement: str
    result: str
    where: str
    figure: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", FindingKind(self.kind))

    def as_dict(self) -> dict:
        """Plain data for the JSON cache."""
        return {"row": "finding", **asdict(self), "kind": self.kind.value}


def row_from_dict(data: Mapping) -> Claim | Finding:
    """Rebuild a :class:`Claim` or :class:`Finding` from :meth:`as_dict` output."""
    data = dict(data)
    kind = data.pop("row")
    if kind == "finding":
        return Finding(**data)
    regime = data.pop("regime")
    regime = Regime(regime["text"], {k: tuple(v) for k, v in regime["bounds"].items()})
    conditions = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.pop("conditions").items()}
    return Claim(regime=regime, conditions=conditions, measured=Measured(**data.pop("measured")),
                 reference=Reference(**data.pop("reference")), tolerance=Tolerance(**data.pop("tolerance")), **data)
