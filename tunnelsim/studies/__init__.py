"""The verification report: an application on top of the library (nothing in the library imports it).

One study, one folder: a package per study (the steps of :data:`tunnelsim.studies.runner.STEPS`, named after
their packages: ``single``, ``polyhedron``, ``cluster_size``, ``coherent``, ``cluster_ensembles``, ``percolation``,
``response``, ``magnetodielectric``, ``echo``, ``benchmarks``), each with a ``run(out_dir, quick, executor)`` that
composes its settings, claims and figures; :mod:`tunnelsim.studies.runner` runs them (``tunnelsim reproduce``,
``make demo``) and :mod:`tunnelsim.studies.report` writes the report. docs/architecture.md says where a new study or
report row goes.
"""
