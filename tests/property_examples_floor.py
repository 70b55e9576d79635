"""Valid calls of the shared floor's public functions (for tests/test_property.py)."""

import tempfile
from pathlib import Path

import numpy as np
from property_engine import Example

import tunnelsim as ts
from tunnelsim import files, memory, validation
from tunnelsim.phases import ring_hopping
from tunnelsim.stats import as_generator, line_fit, power_law_fit, seed_entropy


def _square(x):
    return x * x


def _received_files() -> dict[str, Path]:
    """Small valid files for the readers of received files (a temporary folder, removed with the process's /tmp)."""
    folder = Path(tempfile.mkdtemp(prefix="tunnelsim-property-"))
    (folder / "a.txt").write_text("text")
    np.save(folder / "a.npy", np.arange(3.0))
    np.savez(folder / "a.npz", x=np.arange(3.0))
    return {"txt": folder / "a.txt", "npy": folder / "a.npy", "npz": folder / "a.npz"}


_FILES = _received_files()
_NAME = "name is the label of the parameter in messages (any text)"


EXAMPLES = [
    Example(ts.flux_phase, {"field": 1.0, "area": 1e-19, "theta": 0.0, "charge": 1.0},
            valid={"field": {"negative", "zero", "huge"}, "theta": {"negative", "zero", "huge"},
                   "charge": {"negative", "huge"}, "area": {"negative", "zero", "huge"}}),
    Example(ts.frequency_to_kelvin, {"frequency": 1e3}, valid={"frequency": {"negative", "zero", "huge"}}),
    Example(ts.wrap_phase, {"phi": 0.3}, valid={"phi": {"negative", "zero", "huge"}}),
    Example(ring_hopping, {"hoppings": 1.0, "phi": 0.3, "n_wells": 3},
            valid={"hoppings": {"negative", "zero", "huge"}, "phi": {"negative", "zero", "huge"}}),
    Example(ts.grid, {"x": [1, 2]}, skip={"x"}, why="axis values are the user's data, of any type"),
    Example(ts.run_sweep, {"func": _square, "points": [{"x": 2}], "path": None},
            skip={"path"}, why="paths: tests/test_floor_sweep.py"),
    Example(line_fit, {"x": [0.0, 1.0, 2.0], "y": [1.0, 3.0, 5.1], "sigma": None}, valid={"sigma": {"none"}}),
    Example(power_law_fit, {"x": [8.0, 16.0, 32.0], "y": [2.0, 4.1, 8.0], "yerr": [0.1, 0.1, 0.1], "omega": None},
            valid={"omega": {"none"}}),
    Example(as_generator, {"seed": 3}, valid={"seed": {"zero", "huge", "none"}}),
    Example(seed_entropy, {"seed": 3}, valid={"seed": {"zero", "huge", "none"}}),
    Example(files.regular_file, {"path": _FILES["txt"], "name": "path"}, skip={"name"}, why=_NAME),
    Example(files.read_text_checked, {"path": _FILES["txt"], "name": "path", "max_bytes": None},
            valid={"max_bytes": {"none", "huge"}}, skip={"name"}, why=_NAME),
    Example(files.read_bytes_checked, {"path": _FILES["txt"], "name": "path", "max_bytes": 100},
            valid={"max_bytes": {"none", "huge"}}, skip={"name"}, why=_NAME),
    Example(files.load_npy_checked, {"path": _FILES["npy"], "name": "path", "max_bytes": None},
            valid={"max_bytes": {"none", "huge"}}, skip={"name"}, why=_NAME),
    Example(files.load_npz_checked, {"path": _FILES["npz"], "name": "path", "max_bytes": None},
            valid={"max_bytes": {"none", "huge"}}, skip={"name"}, why=_NAME),
    Example(memory.check_memory, {"needed": 1.0, "what": "x", "fraction": 0.8}, aliases={"needed": ("would need",)},
            valid={"needed": {"zero", "inf"}}, skip={"what"}, why="what names the allocation in messages (any text)"),
    Example(validation.check_grid_size, {"count": 10, "name": "phi"}, aliases={"count": ("phi",)}, skip={"name"},
            why=_NAME),
]
