"""Single tunneling systems: 2LS, 3LS (ATS) and 4LS Hamiltonians, closed forms, effective doublets, spectra.

The public names are on the face, :mod:`tunnelsim` (``tunnelsim.three_level`` etc.); docs/theory.md
sec. 1 holds the equations.
"""
