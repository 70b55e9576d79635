import os

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

settings.register_profile("ci", deadline=None, max_examples=60, derandomize=True)
settings.load_profile("ci")


# --- What each test proves (docs/architecture.md, "Tests"): every test carries exactly one kind. -------------
#: physics: a result held against an independent reference (closed form, exact diagonalisation built in the
#:          test, sum rule, symmetry, known limit, literature value with its error bar);
#: contract: the generated bad-input cases and hand-written input contracts of the public API;
#: engineering: files, memory, sweeps, locks, the report machinery, the architecture and lint;
#: study: whole studies, examples, docs pages and CLI runs.
KINDS = ("physics", "contract", "engineering", "study")
#: First matching pattern (fnmatch on the file name) wins; a test may override with its own marker.
KIND_OF_FILE = (
    ("test_study_*.py", "study"), ("test_*_examples.py", "study"), ("test_*_docs.py", "study"),
    ("test_cli*.py", "study"), ("test_coherent_compare.py", "study"), ("test_sweep_and_report.py", "study"),
    ("test_single_spectra_cli.py", "study"), ("test_docs_*.py", "study"),
    ("test_property*.py", "contract"), ("test_*bad_input*.py", "contract"), ("test_*regressions.py", "contract"),
    ("test_coherent_edges.py", "contract"), ("test_contract_*.py", "contract"),
    ("test_architecture.py", "engineering"), ("test_lint.py", "engineering"), ("test_floor*.py", "engineering"),
    ("test_sweep_*.py", "engineering"), ("test_verdict_vocabulary.py", "engineering"),
    ("test_report_*.py", "engineering"), ("test_reliability_*.py", "engineering"),
    ("test_lattices_limits.py", "engineering"), ("test_clusters_solvers_gpu.py", "engineering"),
    ("test_ux_*.py", "engineering"), ("test_engineering_*.py", "engineering"),
    ("test_*.py", "physics"),
)


def kind_of_file(name: str) -> str:
    """The kind of the tests in a file (first matching pattern of KIND_OF_FILE)."""
    import fnmatch

    return next(kind for pattern, kind in KIND_OF_FILE if fnmatch.fnmatch(name, pattern))


def pytest_collection_modifyitems(config, items):
    import pytest

    for item in items:
        own = [k for k in KINDS if item.get_closest_marker(k) is not None]
        if len(own) > 1:
            raise pytest.UsageError(f"{item.nodeid} carries several kinds {own}: one of {KINDS}")
        if not own:
            item.add_marker(getattr(pytest.mark, kind_of_file(item.path.name)))
