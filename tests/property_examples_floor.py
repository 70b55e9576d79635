"""Valid calls of the shared floor's public functions (for tests/test_property.py)."""

from property_engine import Example

import tunnelsim as ts
from tunnelsim.phases import ring_hopping
from tunnelsim.stats import as_generator, line_fit, power_law_fit, seed_entropy


def _square(x):
    return x * x


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
]
