"""The numpydoc ``Examples`` of the library run as doctests, and every public physics function has one.

Each example is a small independent check of the function it documents (a known limit, a symmetry, a closed
form, a sum rule or a literature value, printed rounded so that the output is the same on every platform).
Here they run with the standard library :mod:`doctest` (one case per module, kind ``physics``: each example
is such a check), and a census (kind ``engineering``, a documentation rule) counts the public
names with and without an ``Examples`` section per package: tunnelsim.single, tunnelsim.response and lattices
must have one on every public function and class, except the modules of :data:`NOT_YET` and the names of
:data:`EXCEPTIONS`, each with its reason. For ``clusters`` the rule covers its public API: every name of
``clusters.__all__`` defined in the package and the model methods of :data:`CLUSTER_METHODS` (its solver,
kernel and GPU internals are counted in the census table but not required).
"""

from __future__ import annotations

import contextlib
import doctest
import importlib
import inspect
import io
import pkgutil

import pytest

#: Packages whose modules' doctests run here (tunnelsim.studies is the report application, tunnelsim.cli the
#: command line: their examples are whole runs, tested elsewhere).
PACKAGES = ("tunnelsim", "clusters", "lattices")
EXCLUDED_PREFIXES = ("tunnelsim.studies", "tunnelsim.cli")
OPTIONFLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS

#: Packages that must have an Examples section on every public function and class.
REQUIRED = ("tunnelsim.single", "tunnelsim.response", "lattices")
#: Packages whose public API must have an Examples section: every name of the package's ``__all__`` that the
#: package itself defines (re-exports from elsewhere follow their own package's rule).
REQUIRED_API = ("clusters",)
#: Methods of the cluster models that a physicist calls: each must have an Examples section.
CLUSTER_METHODS = {
    "clusters.models.base.ClusterBase": ("eigenenergies", "eigenstates", "solve_sectors", "operator",
                                         "matrix_elements", "spectrum_vs", "hamiltonian_matrix",
                                         "configuration_energy", "replace", "symmetry"),
    "clusters.models.two_level.TwoLevelCluster": ("uniform", "sector_tridiagonal", "lowest_outside_sector"),
    "clusters.models.three_level.ThreeLevelCluster": ("uniform",),
}
#: Modules of the required packages that may still lack Examples, each with its reason.
NOT_YET: dict[str, str] = {}
_CAP = "module at the 500-line cap of tests/test_architecture.py"
#: Single public names that may lack Examples, each with its reason.
EXCEPTIONS = {
    "lattices.alpha.InterfaceTable": f"data container of simulate_interface; {_CAP}",
    "lattices.alpha.simulate_interface": f"a simulation run with no fast independent check; {_CAP}",
    "lattices.alpha.alpha_direct": f"a fit over simulation runs, no fast independent check; {_CAP}",
    "lattices.exponents.correlation_length_exponent": f"nu = 4/3 needs boxes beyond a fast example; {_CAP}",
    "lattices.observables.SiteObservable": f"registry plumbing, not physics; {_CAP}",
    "lattices.observables.site_observable": f"registry plumbing, not physics; {_CAP}",
    "lattices.observables.get_site_observable": f"registry plumbing, not physics; {_CAP}",
    "lattices.observables.site_kinds": f"registry plumbing, not physics; {_CAP}",
    "lattices.observables.interface_definitions": f"registry plumbing, not physics; {_CAP}",
    "lattices.observables.checked_mask": f"input validation, not physics; {_CAP}",
    "lattices.observables.count_sites": f"sum of a registered observable (shown by perimeter/hull); {_CAP}",
    "lattices.observables.mass_sites": f"a copy of the mask (the registry's mass entry); {_CAP}",
    "lattices.observables.cluster_sizes": f"building block of cluster_size_distribution (which has one); {_CAP}",
    "lattices.observables.spanning_labels": f"building block of the spanning probability; {_CAP}",
    "clusters.solvers.ConvergenceError": "an exception class; no fast example makes a solver fail to converge "
                                         "(raised in tests/test_clusters_solvers.py)",
    "clusters.ensembles.EnsembleSpec": f"data container, built in the Examples of sample_cluster, run_ensemble; {_CAP}",
    "clusters.ensembles.SampledCluster": f"data container returned by sample_cluster (whose Examples use it); {_CAP}",
    "clusters.ensembles.Ensemble": f"data container returned by run_ensemble (whose Examples use it); {_CAP}",
}


def _modules() -> list[str]:
    """Every module of PACKAGES but the excluded ones (which are never imported here)."""
    names, todo = [], list(PACKAGES)
    while todo:
        package = todo.pop()
        names.append(package)
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__, prefix=f"{package}."):
            if info.name.startswith(EXCLUDED_PREFIXES):
                continue
            (todo if info.ispkg else names).append(info.name)
    return sorted(names)


MODULES = _modules()


@pytest.mark.physics
@pytest.mark.parametrize("name", MODULES)
def test_doctests_run(name):
    """Every ``>>>`` example of the module gives the output its docstring shows."""
    module = importlib.import_module(name)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        failed, attempted = doctest.testmod(module, optionflags=OPTIONFLAGS, report=True, verbose=False)
    assert failed == 0, f"{failed} of {attempted} doctest examples of {name} fail:\n{out.getvalue()}"


def _public(module) -> list[tuple[str, object]]:
    """The public functions and classes a module defines: its ``__all__`` (or its non-underscore names)."""
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in vars(module) if not n.startswith("_")]
    found = []
    for n in names:
        obj = getattr(module, n, None)
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module.__name__:
            found.append((n, obj))
    return found


def examples_census() -> dict[str, dict[str, list[str]]]:
    """Per package: the public names (``module.name``) with and without an ``Examples`` section."""
    census: dict[str, dict[str, list[str]]] = {}
    for name in MODULES:
        if name.rsplit(".", 1)[-1].startswith("_"):
            continue
        module = importlib.import_module(name)
        package = name if module.__name__ == getattr(module, "__package__", None) else name.rsplit(".", 1)[0]
        entry = census.setdefault(package, {"with": [], "without": []})
        for n, obj in _public(module):
            entry["with" if _has_examples(obj) else "without"].append(f"{name}.{n}")
    return census


def _has_examples(obj) -> bool:
    """The docstring of ``obj`` has a numpydoc ``Examples`` section."""
    return "\nExamples\n--------\n" in f"\n{inspect.getdoc(obj) or ''}\n"


def api_without_examples() -> list[str]:
    """The public API of :data:`REQUIRED_API` (``module.name`` / ``module.Class.method``) without Examples."""
    missing = []
    for package in REQUIRED_API:
        module = importlib.import_module(package)
        for n in module.__all__:
            obj = getattr(module, n)
            if obj.__module__.startswith(f"{package}.") and not _has_examples(obj):
                missing.append(f"{obj.__module__}.{n}")
    for qualified, names in CLUSTER_METHODS.items():
        module_name, cls_name = qualified.rsplit(".", 1)
        cls = getattr(importlib.import_module(module_name), cls_name)
        missing += [f"{qualified}.{m}" for m in names if not _has_examples(getattr(cls, m))]
    return [q for q in missing if q not in EXCEPTIONS]


@pytest.mark.engineering
def test_every_public_physics_function_has_examples():
    """tunnelsim.single, tunnelsim.response and lattices: an Examples section on every public name."""
    census = examples_census()
    table = "\n".join(f"{p:32s} {len(c['with']):4d} with, {len(c['without']):4d} without"
                      for p, c in sorted(census.items()))
    missing = [q for p, c in census.items() if p.startswith(REQUIRED) for q in c["without"]
               if q.rsplit(".", 1)[0] not in NOT_YET and q not in EXCEPTIONS]
    assert not missing, f"public names without an Examples section:\n{missing}\n\ncensus:\n{table}"
    assert sum(len(census[p]["with"]) for p in census if p.startswith(REQUIRED)) >= 120, table  # the census found them


@pytest.mark.engineering
def test_every_public_cluster_name_has_examples():
    """clusters: an Examples section on every name of ``clusters.__all__`` and on the model methods one calls."""
    missing = api_without_examples()
    assert not missing, f"public cluster names without an Examples section:\n{missing}"
    census = examples_census()
    assert sum(len(census[p]["with"]) for p in census if p.startswith(REQUIRED_API)) >= 40, census  # found them
