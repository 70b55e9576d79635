"""The Conclusions' prediction that the magnetic response of the mixed alkali silicates scales like x.

Paper sec. 5: "the magnetic response of the mixed alkali-silicate glasses should be important and scale like the
molar alkali concentration x". In the model the field acts only on the ATS, whose density P*(x) is linear in x
(paper eq. 31, the main result) and whose other parameters (D_min, p*) do not depend on x (the paper: p* is
found "independently of x"). So the field-dependent parts C(T, B) - C(T, 0) and eps'(T, B) - eps'(T, 0) are
P*(x) times a per-ATS response: proportional to x by construction (an identity of the model, not a test of the
paper). What a measurement normalised to the zero-field value sees, [C(T, B) - C(T, 0)]/C(T, 0), is not: the
2LS and Debye terms dilute it, so it is proportional to x only while the ATS term is small. Both are shown,
with the composition law of the illustrative K2O preset (the paper's Tables 1-2 are not available).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tunnelsim.response.distributions import sample_ats
from tunnelsim.response.heat_capacity import heat_capacity
from tunnelsim.response.magnetodielectric import magnetocapacitance
from tunnelsim.response.presets import COMPOSITIONS, PRESETS
from tunnelsim.studies.claims import Finding, FindingKind
from tunnelsim.studies.response import figures

__all__ = ["rows"]

_PRESET = "k2o_silica_illustrative"
#: The temperature (K) and field (T) at which the x dependence is quoted.
T_QUOTE, B_QUOTE = 0.1, 1.0


def _magnetocapacitance_per_ats(n: int) -> float:
    """eps'(T, B) - eps'(T, 0) of exact 3LS ATS at T_QUOTE, B_QUOTE (units of chi_ats; the magnetodielectric
    study's ATS: gaps 0.01-1 K, D0 20-200 K, S = 1 nm^2, Q = 2 e, 1 kHz)."""
    s = sample_ats(n, 31, d_min=0.01, d_max=1.0, d0_min=20.0, d0_max=200.0)
    r = magnetocapacitance([T_QUOTE], 1e3, [B_QUOTE], s, 1e10, area=1e-18, charge=2.0, n_theta=4, seed=32)
    return float(r["change"][0, 0])


def rows(out: Path, field_res: list[dict], s: dict) -> list[Finding]:
    """The x dependence of the magnetic response: an identity in absolute terms, an observation relative to C(T, 0).

    ``field_res``: the C(T, B) sweep of the study (exact ATS ensemble, C/P* at B = 0, 1, 3, 10 T).
    """
    preset = PRESETS[_PRESET]
    xs = np.array(sorted({0.005, 0.01, 0.02, *(x for x in COMPOSITIONS if x > 0)}))  # down to where the ATS are small
    t = np.array(field_res[0]["result"]["T"])
    per = {r["params"]["field"]: np.array(r["result"]["C"]) for r in field_res}  # C_ATS / P*
    i = int(np.argmin(np.abs(t - T_QUOTE)))
    d_c, rel = [], []
    for x in xs:
        p = preset.at(float(x))
        parts = heat_capacity(t, p, parts=True)
        zero = parts["total"] - parts["ats"] + p.p_star * per[0.0]  # the ATS term: the exact ensemble at B = 0
        change = p.p_star * (per[B_QUOTE] - per[0.0])
        d_c.append(change)
        rel.append(change / zero)
    d_c, rel = np.array(d_c), np.array(rel)
    mc = _magnetocapacitance_per_ats(s["n_mc"])
    d_eps = mc * xs / xs[-1]  # chi_ats(x) = chi_ats(x_max) x / x_max: P*(x) p*^2 / D_min with x-free p*, D_min
    figures.x_scaling(out / "response_magnetic_x.png", xs, d_c[:, i], rel[:, i], d_eps, T_QUOTE, B_QUOTE)
    spread = float(np.ptp(d_c[:, i] / xs) / np.mean(np.abs(d_c[:, i] / xs)))
    per_x = rel[:, i] / xs
    where, fig = "tunnelsim.heat_capacity_ats_field + tunnelsim.magnetocapacitance", "response_magnetic_x.png"
    return [Finding(
        FindingKind.IDENTITY,
        "The Conclusions' prediction that the magnetic response of the mixed alkali silicates scales like x "
        "(paper sec. 5): in the model the field-dependent parts are P*(x) times a per-ATS response, P*(x) linear "
        "in x (paper eq. 31) and D_min, p* free of x, so they are proportional to x by construction",
        f"C(T, {B_QUOTE:g} T) - C(T, 0) at {T_QUOTE * 1e3:g} mK for x = {', '.join(f'{x:g}' for x in xs)} "
        f"({_PRESET}, exact ATS ensemble of the C(T, B) sweep): "
        f"{', '.join(f'{v:+.3g}' for v in d_c[:, i])} uJ g^-1 K^-1, divided by x constant to {spread:.1g}; "
        f"eps'(T, B) - eps'(T, 0) = {mc:+.3f} chi_ats(x) (exact 3LS, S = 1 nm^2, Q = 2 e), chi_ats proportional "
        f"to x. Not a test of the paper: no field data, and the proportionality is the composition law itself",
        where, fig), Finding(
        FindingKind.OBSERVATION,
        "What a measurement normalised to zero field sees, [C(T, B) - C(T, 0)]/C(T, 0), scales like x only while "
        "the ATS term is small beside the 2LS and Debye terms (x -> 0): the regime of the paper's prediction",
        f"at {T_QUOTE * 1e3:g} mK, {B_QUOTE:g} T: relative change / x = "
        f"{', '.join(f'{v:+.3g}' for v in per_x)} for x = {', '.join(f'{x:g}' for x in xs)}: it changes by "
        f"{abs(per_x[-1] / per_x[0] - 1) * 100:.0f} % between x = {xs[0]:g} and {xs[-1]:g} (the ATS share of "
        f"C(T, 0) grows with x); the absolute change stays proportional to x", where, fig)]
