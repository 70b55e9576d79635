"""Figure output of the studies: the file backend and the one atomic figure writer.

The matplotlib backend is chosen here (:func:`use_file_backend`, called by the runner) and in the
CLI only; library modules never call ``matplotlib.use``. :func:`save_figure` writes a PNG through
:func:`tunnelsim.files.atomic_write` (a truncated figure is never left behind), with tight bounding
boxes so labels are not clipped, and closes the figure.
"""

from __future__ import annotations

import os
from pathlib import Path

from tunnelsim.files import atomic_write

__all__ = ["DPI", "use_file_backend", "save_figure"]

#: Resolution of every report figure.
DPI = 120


def use_file_backend() -> None:
    """Select matplotlib's non-interactive Agg backend (before pyplot is used), unless MPLBACKEND is set."""
    import matplotlib

    if not os.environ.get("MPLBACKEND"):
        matplotlib.use("Agg")


def save_figure(fig, path: str | os.PathLike, *, dpi: int = DPI) -> Path:
    """Write ``fig`` as a PNG to ``path`` atomically (tight bounding box) and close it; returns the path."""
    import matplotlib.pyplot as plt

    path = Path(path)
    try:
        with atomic_write(path, "wb") as fh:
            fig.savefig(fh, format="png", dpi=dpi, bbox_inches="tight")
    finally:
        plt.close(fig)
    return path
