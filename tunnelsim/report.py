"""Rows of the verification report: a claim of the theory against the exact or measured result.

Every demo step returns a list of :class:`Claim`; ``tunnelsim reproduce`` collects them into
``out/report.md`` (and ``out/report.html``).
"""

from __future__ import annotations

import csv
import os
from dataclasses import asdict, dataclass

__all__ = ["Claim", "verdict", "write_table"]

VERDICTS = ("agrees", "disagrees", "agrees in part")


@dataclass(frozen=True)
class Claim:
    """One row of the report.

    Attributes
    ----------
    claim : str
        What the theory (paper or THEORY.md) says, in one sentence, with its equation number.
    result : str
        What the toolkit computed, with numbers.
    verdict : str
        One of ``"agrees"``, ``"disagrees"``, ``"agrees in part"``.
    where : str
        The function or module that computed it.
    figure : str
        Optional file name of the figure that shows it (relative to the output folder).
    """

    claim: str
    result: str
    verdict: str
    where: str
    figure: str = ""

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")

    def as_dict(self) -> dict[str, str]:
        """The row as a plain dict (for JSON caching)."""
        return asdict(self)


def verdict(ok: bool) -> str:
    """``"agrees"`` if ``ok`` else ``"disagrees"``."""
    return "agrees" if ok else "disagrees"


def write_table(path: str | os.PathLike, header: list[str], rows: list[list], float_format: str | None = None) -> None:
    """Write a CSV table (one header row, then ``rows``) for the demo outputs.

    ``float_format`` (e.g. ``".8g"``) formats the float cells; other cells are written as they are.
    """
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for r in rows:
            w.writerow([format(v, float_format) if float_format and isinstance(v, float) else v for v in r])
