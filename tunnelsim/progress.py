"""One progress convention for the whole toolkit (shared floor).

A bar is shown only when standard error is a terminal (``progress=None``, the default everywhere),
so logs and CI output never fill with cursor codes; ``progress=True`` / ``False`` force it. Bars are
one level deep: inside an outer bar, inner loops pass ``progress=False``.

Logs: where standard error is not a terminal (a log file, ``nohup``, a batch system) a bar would be
invisible, so :func:`log_lines` (the ``tunnelsim`` command calls it, or set the environment variable
``TUNNELSIM_PROGRESS=lines``) turns every ``progress=None`` bar into plain lines, one per finished item
(at most about 100 for a long loop): ``sweep: 3/40 done, 12 s``. Those lines appear whatever the bar depth,
so the inner steps of a long study show too.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable

from tqdm.auto import tqdm

from .validation import check_bool

__all__ = ["show_progress", "progress_bar", "log_lines", "lines_enabled"]

_LINES = {"on": False}


def log_lines(enabled: bool = True) -> bool:
    """Print one line per finished item (to standard error) wherever a ``progress=None`` bar is not shown.

    Returns the previous setting (to restore it).
    """
    before, _LINES["on"] = _LINES["on"], check_bool(enabled, "enabled")
    return before


def lines_enabled() -> bool:
    """Whether :func:`log_lines` (or ``TUNNELSIM_PROGRESS=lines``) is in effect."""
    return _LINES["on"] or os.environ.get("TUNNELSIM_PROGRESS", "").strip().lower() == "lines"


def show_progress(progress: object = None) -> bool:
    """Resolve a ``progress`` argument: None means "only on a terminal"; True/False force it."""
    if progress is None:
        try:
            return bool(sys.stderr.isatty())
        except (AttributeError, ValueError):
            return False
    return check_bool(progress, "progress")


class _Lines:
    """A tqdm look-alike that writes one plain line per finished item (for logs; no cursor codes)."""

    def __init__(self, iterable, total, desc, initial):
        self.iterable, self.desc, self.n = iterable, desc or "progress", initial
        self.total = total if total is not None else (len(iterable) if hasattr(iterable, "__len__") else None)
        self.postfix = ""
        self.start = time.monotonic()

    def __iter__(self):
        for item in self.iterable:
            yield item
            self.update(1)

    def set_postfix_str(self, text: str = "", refresh: bool = True) -> None:
        self.postfix = str(text)

    def update(self, n: int = 1) -> None:
        before, self.n = self.n, self.n + n
        every = max(1, -(-self.total // 100)) if self.total else 1  # at most ~100 lines for a long loop
        if self.total and self.n < self.total and self.n // every == before // every:
            return
        of = f"/{self.total}" if self.total is not None else ""
        item = f" ({self.postfix})" if self.postfix else ""
        print(f"{self.desc}: {self.n}{of} done{item}, {time.monotonic() - self.start:.0f} s",
              file=sys.stderr, flush=True)

    def set_description(self, desc: str = "", refresh: bool = True) -> None:
        self.desc = str(desc) or self.desc

    def refresh(self) -> None:
        pass

    @staticmethod
    def write(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def close(self) -> None:
        pass

    def __enter__(self) -> _Lines:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def progress_bar(iterable: Iterable | None = None, *, total: int | None = None, desc: str = "",
                 progress: object = None, initial: int = 0):
    """A tqdm bar, disabled unless :func:`show_progress` says otherwise (plain lines in logs: :func:`log_lines`)."""
    shown = show_progress(progress)
    if not shown and progress is None and lines_enabled():
        return _Lines(iterable, total, desc, initial)
    return tqdm(iterable, total=total, desc=desc, initial=initial, disable=not shown,
                leave=False, dynamic_ncols=True)
