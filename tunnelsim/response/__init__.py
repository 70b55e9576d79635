"""The glass response: parameter distributions, heat capacity, dielectric constant, composition laws, fits.

The public names are on the face, :mod:`tunnelsim` (``tunnelsim.heat_capacity`` etc.); docs/theory.md
secs. 2, 5 and 6 hold the equations.
"""
