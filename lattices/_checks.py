"""Checks shared by the public functions of the package (private): size ceilings, memory estimates,
sample counts, and the executor / progress / cache conventions of the toolkit.

Every path that allocates per site estimates its peak bytes first (bytes per site times sites, the
constants below measured or counted from the arrays each path holds) and calls
:func:`tunnelsim.memory.check_memory`, which refuses with the GiB needed and the GiB available
(docs/fractal_clustering.md sec. 10, "Limits").
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from tunnelsim.memory import check_memory
from tunnelsim.validation import check_bool, check_int, describe

#: Largest box (sites): int32 displacements and labels, and > 10 GiB for any path beyond it.
MAX_SITES = 2**31 - 1
#: Largest number of samples (sweeps or boxes) per size.
MAX_SAMPLES = 10**7
#: Largest number of bootstrap resamples.
MAX_BOOT = 10**5

#: Peak bytes per site of each path (arrays held at once; see each function).
BYTES_RANDOM = 9  # float64 uniforms + the boolean result
BYTES_LABEL_UF = 40  # flat copy, parent, size, labels, root labels (int64)
BYTES_LABEL_ND = 12  # scipy.ndimage int32 labels + temporaries
BYTES_MASK_OBS = 16  # padded copy, int32 labels of the complement, boolean temporaries
BYTES_BOX = 80  # one estimator box: uniforms, mask, labels, observable masks
BYTES_GRAPH_NODE, BYTES_GRAPH_EDGE = 300, 150  # networkx dict-of-dicts (measured: 834 B/site square)


def check_samples(samples: object, name: str = "samples", minimum: int = 1) -> int:
    """An integer number of samples in [minimum, MAX_SAMPLES]."""
    return check_int(samples, name, minimum=minimum, maximum=MAX_SAMPLES)


def check_boot(n_boot: object, name: str = "n_boot") -> int:
    """An integer number of bootstrap resamples in [2, MAX_BOOT]."""
    return check_int(n_boot, name, minimum=2, maximum=MAX_BOOT)


def check_sites(shape: tuple[int, ...], name: str = "size") -> int:
    """Number of sites of ``shape``; ValueError naming ``name`` above :data:`MAX_SITES`."""
    n = 1
    for s in shape:
        n *= int(s)
    if n > MAX_SITES:
        raise ValueError(f"{name} gives a box of {n:.3g} sites, more than the {MAX_SITES:.3g} the package handles "
                         f"(int32 labels and displacements); use a smaller box")
    return n


def check_box_memory(n_sites: int, bytes_per_site: float, what: str, name: str = "size") -> None:
    """Refuse (MemoryBudgetError naming ``name``) when n_sites * bytes_per_site exceeds the memory budget."""
    check_memory(float(n_sites) * float(bytes_per_site), f"{what} ({name}: {n_sites:.3g} sites)",
                 hint=f"reduce {name}")


def check_executor(executor: object) -> object:
    """None or an object with ``submit`` (a concurrent.futures.Executor or a dask executor)."""
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise TypeError(f"executor must be a concurrent.futures.Executor (with a submit method) or None, "
                        f"got {describe(executor)}")
    return executor


def check_progress(progress: object) -> bool | None:
    """The tunnelsim.progress convention: None (a bar only on a terminal), True or False."""
    return None if progress is None else check_bool(progress, "progress")


def cache_dir(cache: object) -> Path | None:
    """``cache`` as a folder (None: no cache); TypeError / ValueError naming ``cache`` otherwise."""
    if cache is None:
        return None
    if not isinstance(cache, (str, os.PathLike)) or isinstance(cache, bytes):
        raise TypeError(f"cache must be a folder (str or path) or None, got {describe(cache)}")
    path = Path(cache)
    if not str(cache).strip():
        raise ValueError("cache must name a folder, got an empty string")
    if path.exists() and not path.is_dir():
        raise ValueError(f"cache must be a folder, but {str(path)!r} is a file")
    return path


def cache_file(cache: Path | None, stem: str) -> Path | None:
    """The sweep file ``cache / <stem>.jsonl`` (characters unsafe in file names replaced), or None."""
    if cache is None:
        return None
    return cache / (re.sub(r"[^A-Za-z0-9_.=-]", "_", stem) + ".jsonl")


def as_array(value: object, name: str) -> np.ndarray:
    """``numpy.asarray(value)`` with ragged input and object arrays refused naming ``name``."""
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name} must be a rectangular array, got {describe(value)}") from exc
    if arr.dtype == object:
        raise TypeError(f"{name} must be a numeric or boolean array, got {describe(value)}")
    return arr
