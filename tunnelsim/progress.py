"""One progress-bar convention for the whole toolkit (shared floor).

A bar is shown only when standard error is a terminal (``progress=None``, the default everywhere),
so logs and CI output never fill with cursor codes; ``progress=True`` / ``False`` force it. Bars are
one level deep: inside an outer bar, inner loops pass ``progress=False``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from tqdm.auto import tqdm

from .validation import check_bool

__all__ = ["show_progress", "progress_bar"]


def show_progress(progress: object = None) -> bool:
    """Resolve a ``progress`` argument: None means "only on a terminal"; True/False force it."""
    if progress is None:
        try:
            return bool(sys.stderr.isatty())
        except (AttributeError, ValueError):
            return False
    return check_bool(progress, "progress")


def progress_bar(iterable: Iterable | None = None, *, total: int | None = None, desc: str = "",
                 progress: object = None, initial: int = 0) -> tqdm:
    """A tqdm bar that is disabled unless :func:`show_progress` says otherwise."""
    return tqdm(iterable, total=total, desc=desc, initial=initial, disable=not show_progress(progress),
                leave=False, dynamic_ncols=True)
