"""The ensembles and field sweeps of the magnetodielectric study: the ATS sampled, the sizes, one field point."""

from __future__ import annotations

import numpy as np

from tunnelsim.response.distributions import sample_ats
from tunnelsim.response.magnetodielectric import dielectric_ats_field

__all__ = ["ATS", "FIELD", "FIELDS", "settings", "field_point"]

#: The illustrative ATS of the field study: gaps 0.01-1 K, D0 20-200 K (|E_i|/D0 <= 0.05), loop S = 1 nm^2,
#: charge 2 e, K* = 1e10 K^-3 s^-1, 1 kHz.
ATS = dict(d_min=0.01, d_max=1.0, d0_min=20.0, d0_max=200.0)
FIELD = dict(area=1e-18, charge=2.0, k_ats=1e10, frequency=1e3)
FIELDS = (0.0, 0.1, 1.0, 10.0)


def settings(quick: bool) -> dict:
    """Sizes of the study (quick: a few thousand systems, about 10 s)."""
    if quick:
        return dict(tag="quick", n=4000, n_zero=10000, n_theta=6, n_t=30, b_sweep=list(np.geomspace(0.01, 30.0, 12)))
    return dict(tag="full", n=20000, n_zero=50000, n_theta=8, n_t=50, b_sweep=list(np.geomspace(0.01, 30.0, 16)))


def field_point(field: float, n: int, seed: int, n_theta: int, temperatures: list[float]) -> dict:
    """delta eps'/eps_r (units of chi_ats) of the exact 3LS ensemble at one field (T), orientation-averaged, at the
    ``temperatures`` (K), measured from the T -> 0, B = 0 value (so that two fields differ as a measurement does);
    module level so that process executors can run it."""
    s = sample_ats(n, seed, **ATS)
    r = dielectric_ats_field(temperatures, FIELD["frequency"], [field], s, FIELD["k_ats"], area=FIELD["area"],
                             charge=FIELD["charge"], n_theta=n_theta, seed=seed + 1)
    return {k: v[0].tolist() for k, v in r.items()}
