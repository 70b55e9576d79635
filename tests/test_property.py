"""The property suite (issue: nothing silent): every public function, every argument, every bad value.

Valid calls are registered per area in ``tests/property_examples_*.py`` (a list ``EXAMPLES`` of
:class:`property_engine.Example`); the engine replaces one argument at a time by each value of
``property_engine.BAD_VALUES`` and by hypothesis-drawn extremes, and requires a clear error naming the
parameter, raised by the toolkit's own code, or a finite result.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from property_engine import BAD_VALUES, cases, judge

HERE = Path(__file__).resolve().parent
EXAMPLES = []
for _path in sorted(HERE.glob("property_examples_*.py")):
    EXAMPLES += importlib.import_module(_path.stem).EXAMPLES
CASES = cases(EXAMPLES)


@pytest.mark.parametrize("example, param, kind", CASES, ids=[f"{e.name}:{p}:{k}" for e, p, k in CASES])
def test_bad_value_is_refused_or_harmless(example, param, kind):
    failure = judge(example, param, kind, BAD_VALUES[kind])
    assert failure is None, f"{example.name}({param}={kind}): {failure}"


EXTREMES = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(2**70), 2**70),
                     st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=5),
                     st.sampled_from(list(BAD_VALUES.values())))


def _classify(value) -> str:
    """A drawn value's kind: NaN anywhere must be refused; other extremes may give a finite result."""
    items = value if isinstance(value, list) else [value]
    return "nan_list" if any(isinstance(v, float) and v != v for v in items) else "drawn"


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_extreme_values_are_refused_or_finite(data):
    example = data.draw(st.sampled_from(EXAMPLES), label="function")
    params = [p for p in example.kwargs if p not in example.skip]
    if not params:
        return
    param = data.draw(st.sampled_from(params), label="parameter")
    value = data.draw(EXTREMES, label="value")
    kind = next((k for k, v in BAD_VALUES.items() if v is value), None) or _classify(value)
    failure = judge(example, param, kind, value)
    assert failure is None, f"{example.name}({param}={value!r}): {failure}"
