"""Report rows whose verdicts are computed, never written: claims graded in the paper's own regime.

A :class:`Claim` holds the statement of the theory, where the paper makes it (equation or section),
the regime the paper states (:class:`Regime`: parameter bounds plus the paper's words), where it was
measured (``conditions``), the measured quantity (:class:`Measured`: value and uncertainty), the
reference (:class:`tunnelsim.stats.Reference`: value, uncertainty, source) and a
:class:`Tolerance` with its reason. Its :attr:`Claim.verdict` is computed (docs/architecture.md,
"Report rows"):

* measured outside the paper's regime -> :attr:`Verdict.BEYOND` (shown with its numbers, not graded);
* a non-finite measurement -> :attr:`Verdict.INCONCLUSIVE`;
* with ``d = |measured - reference|`` and ``u`` the combined one-sigma uncertainty (both on the tolerance's
  scale): ``d + 2u <= tolerance`` -> :attr:`Verdict.AGREES` (inside the tolerance at 2 sigma),
  ``d - 2u > tolerance`` -> :attr:`Verdict.DISAGREES` (outside at 2 sigma), otherwise
  :attr:`Verdict.INCONCLUSIVE`: no firm verdict within 2 sigma of the tolerance edge (the rule is
  :func:`~tunnelsim.studies.grading.inside` / :func:`~tunnelsim.studies.grading.outside`);
* a claim made in a limit carries its :class:`~tunnelsim.studies.grading.Trend` and is graded by the
  extrapolated deviation (the trend's intercept and its error), never by one point;
* a claim about a shape carries its :class:`~tunnelsim.studies.grading.GoodnessOfFit` and is graded by its
  p-value (rejected below :data:`~tunnelsim.studies.grading.SHAPE_ALPHA`), never by one fitted parameter.

A claim must cite the paper (``source`` names it); it holds all the conditions it was measured under as
:class:`~tunnelsim.studies.grading.Case` rows and says how they combine (``combine``): one graded row per
claim, identified by ``key``, and the report refuses two graded rows with one key. Where the model's own
control differs from the idealised law, the control is the reference and the idealised value is shown
beside it (``ideal``).

Rows that cannot fail are not claims: an identity (the toolkit's closed form against its own exact
solution), a control, a timing or a finding beyond the paper is a :class:`Finding` (ungraded, counted
apart). :class:`Verdict` is the one place where the verdict words are spelled.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import Enum

from tunnelsim.stats import Reference
from tunnelsim.studies.grading import SHAPE_ALPHA, Case, GoodnessOfFit, Trend, fmt, inside, outside

__all__ = ["Verdict", "FindingKind", "Regime", "Measured", "Tolerance", "Claim", "Finding", "Reference",
           "Case", "Trend", "GoodnessOfFit", "row_from_dict", "round_condition"]


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
    CONTROL = "control"
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
    """The measured (computed) quantity: value, one-sigma uncertainty (0 if exact), what it is, unit.

    ``bound`` is ``"<"`` when the value is only an upper bound (the quantity lies below the numerical
    resolution): it is shown as ``< value``, never as a value.
    """

    value: float
    uncertainty: float = 0.0
    what: str = ""
    unit: str = ""
    bound: str = ""

    def __post_init__(self) -> None:
        if self.bound not in ("", "<"):
            raise ValueError(f"bound must be '' or '<', got {self.bound!r}")


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
    key : str
        The claim's identity (default: the statement): the report holds at most one graded row per key.
    cases : tuple of Case
        Every condition the claim was measured under, with what was found there (shown inside the row).
    combine : str
        How the cases combine into the verdict (e.g. "holds in the paper's premise; fails where ...").
    trend : Trend, optional
        For a claim made in a limit: the deviation against the small parameter; ``measured`` must be its
        extrapolation (intercept and error). Build it with :meth:`Claim.limit`.
    gof : GoodnessOfFit, optional
        For a claim about a shape: its chi-square. Build it with :meth:`Claim.shape`.
    ideal : Reference, optional
        The idealised law's value, shown beside the reference when the model's own control is the reference.
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
    key: str = ""
    cases: tuple[Case, ...] = ()
    combine: str = ""
    trend: Trend | None = None
    gof: GoodnessOfFit | None = None
    ideal: Reference | None = None

    def __post_init__(self) -> None:
        if "paper" not in self.source.lower():
            raise ValueError(f"a graded claim must cite the paper in its source, got {self.source!r}: a statement "
                             "the paper does not make is a Finding, not a Claim")
        if self.tolerance.relative and self.reference.value == 0:
            raise ValueError("a relative tolerance needs a non-zero reference value")
        if self.trend is not None and self.gof is not None:
            raise ValueError("a claim is graded by a trend or by a goodness of fit, not both")
        if self.trend is not None and (self.measured.value, self.measured.uncertainty) != (
                self.trend.intercept, self.trend.intercept_err):
            raise ValueError("a claim made in a limit is graded by its trend's extrapolation: measured must be "
                             "the trend's intercept and its error (use Claim.limit)")
        object.__setattr__(self, "cases", tuple(self.cases))
        if not self.key:
            object.__setattr__(self, "key", self.statement)
        self.regime.outside(self.conditions)  # every bounded parameter must be given

    @classmethod
    def limit(cls, statement: str, source: str, regime: Regime, conditions: Mapping[str, object], trend: Trend,
              tolerance: Tolerance, where: str, *, what: str = "deviation left in the limit", unit: str = "",
              reference: Reference | None = None, **kw) -> Claim:
        """A claim made in a limit: graded by the trend's extrapolated deviation against 0 (or ``reference``)."""
        ref = reference or Reference(0.0, 0.0, f"the limit law ({trend.parameter} -> 0)")
        return cls(statement, source, regime, conditions, Measured(trend.intercept, trend.intercept_err, what, unit),
                   ref, tolerance, where, trend=trend, **kw)

    @classmethod
    def shape(cls, statement: str, source: str, regime: Regime, conditions: Mapping[str, object],
              gof: GoodnessOfFit, where: str, **kw) -> Claim:
        """A claim about a shape: graded by the chi-square p-value of the shape against the data."""
        return cls(statement, source, regime, conditions,
                   Measured(gof.chi2 / gof.dof, math.sqrt(2.0 / gof.dof), "chi2/dof"),
                   Reference(1.0, 0.0, f"{gof.shape} (chi2/dof = 1 +- sqrt(2/dof) if it holds)"),
                   Tolerance(SHAPE_ALPHA, f"rejected when p < {SHAPE_ALPHA} (two-sided 2 sigma)"), where, gof=gof,
                   **kw)

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
        if self.gof is not None:
            p = self.gof.p_value
            return Verdict.INCONCLUSIVE if not math.isfinite(p) else (
                Verdict.AGREES if p >= SHAPE_ALPHA else Verdict.DISAGREES)
        if not (math.isfinite(self.measured.value) and math.isfinite(self.uncertainty)):
            return Verdict.INCONCLUSIVE
        d, u, tol = self.deviation, self.uncertainty, self.tolerance.value
        if inside(d, u, tol):
            return Verdict.AGREES
        if outside(d, u, tol):
            return Verdict.DISAGREES
        return Verdict.INCONCLUSIVE

    @property
    def graded(self) -> bool:
        """Whether the claim is graded (measured inside the paper's regime)."""
        return self.verdict is not Verdict.BEYOND

    def conditions_text(self) -> str:
        """Where it was measured: the conditions, ``name = value`` (a range as (min, max))."""
        return ", ".join(f"{k} = {v}" for k, v in self.conditions.items())

    def cases_text(self) -> str:
        """The cases, one ``conditions: value`` each, and how they combine."""
        parts = [c.text() for c in self.cases]
        text = "; ".join(parts)
        if self.combine:
            text = (text + ". " if text else "") + self.combine
        return text

    def result_text(self) -> str:
        """The measurement, the reference and the tolerance, in words."""
        m, r, t = self.measured, self.reference, self.tolerance
        if self.gof is not None:
            return self.gof.text()
        unit = f" {m.unit}" if m.unit else ""
        # float(): every number of a row is shown to 4 significant digits, an int too (fmt shows ints whole)
        pm = f" +- {fmt(float(m.uncertainty))}" if m.uncertainty else ""
        meas = f"{m.what + ' = ' if m.what else ''}{'< ' if m.bound else ''}{fmt(float(m.value))}{pm}"
        ref = f"{fmt(float(r.value))}{' +- ' + fmt(float(r.stderr)) if r.stderr else ''} ({r.source})"
        if self.ideal is not None:
            ref += f" [idealised law: {fmt(float(self.ideal.value))} ({self.ideal.source})]"
        tol = f"{fmt(float(t.value * 100)) + ' %' if t.relative else fmt(float(t.value)) + unit} ({t.reason})"
        text = f"measured {meas}{unit}; reference {ref}; tolerance {tol}"
        if self.trend is not None:
            text += f"; {self.trend.text()}"
        return text

    def as_dict(self) -> dict:
        """Plain data (for the JSON cache); the verdict is not stored, it is recomputed on load."""
        d = {f: getattr(self, f) for f in ("statement", "source", "where", "figure", "detail", "reconstruction",
                                           "key", "combine")}
        d["regime"] = {"text": self.regime.text, "bounds": {k: list(v) for k, v in self.regime.bounds.items()}}
        d["conditions"] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.conditions.items()}
        d["measured"], d["tolerance"] = asdict(self.measured), asdict(self.tolerance)
        d["reference"] = asdict(self.reference)
        d["ideal"] = asdict(self.ideal) if self.ideal is not None else None
        d["cases"] = [c.as_dict() for c in self.cases]
        d["trend"] = self.trend.as_dict() if self.trend is not None else None
        d["gof"] = self.gof.as_dict() if self.gof is not None else None
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
    ideal, trend, gof = data.pop("ideal", None), data.pop("trend", None), data.pop("gof", None)
    return Claim(regime=regime, conditions=conditions, measured=Measured(**data.pop("measured")),
                 reference=Reference(**data.pop("reference")), tolerance=Tolerance(**data.pop("tolerance")),
                 ideal=Reference(**ideal) if ideal is not None else None,
                 cases=tuple(Case.from_dict(c) for c in data.pop("cases", ())),
                 trend=Trend.from_dict(trend) if trend is not None else None,
                 gof=GoodnessOfFit.from_dict(gof) if gof is not None else None, **data)
