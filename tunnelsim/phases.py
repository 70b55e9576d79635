"""Aharonov-Bohm phases: wrapping and the Peierls hopping of a ring of wells (shared floor).

One home for the one-particle Peierls matrix used by the single 3LS/4LS Hamiltonians and by every
cluster of 3LS (docs/theory.md sec. 1.2): on a ring of n wells threaded by the flux phase phi, the
hop a -> a+1 (mod n) carries D e^{i phi/n}, its reverse the conjugate, so that the gauge-invariant
loop product is D^n e^{i phi}.
"""

from __future__ import annotations

import numpy as np

from .memory import check_memory
from .validation import as_real_array, as_real_pair, check_int

__all__ = ["wrap_phase", "ring_hopping", "MAX_WELLS"]

#: Largest ring :func:`ring_hopping` builds (a multi-well tunneling system has a handful of wells).
MAX_WELLS = 1024


def wrap_phase(phi):
    """Map phases to (-pi, pi], the representative nearest zero (radians).

    The flux phase phi of docs/theory.md sec. 0; the 3LS spectrum is 2 pi periodic in it (sec. 1.2).

    Parameters
    ----------
    phi : float or array_like
        Phases in radians (finite).

    Returns
    -------
    float or numpy.ndarray
        The wrapped phases; ``-pi`` maps to ``+pi``.

    Examples
    --------
    >>> import numpy as np
    >>> print(round(wrap_phase(3 * np.pi) / np.pi, 12), round(wrap_phase(-np.pi) / np.pi, 12))  # -pi maps to +pi
    1.0 1.0
    >>> print(np.round(wrap_phase(np.array([0.5, 2 * np.pi + 0.5, -4 * np.pi + 0.5])), 12))
    [0.5 0.5 0.5]
    """
    ph = as_real_array(phi, "phi")
    out = -np.remainder(-ph + np.pi, 2 * np.pi) + np.pi
    return float(out) if out.ndim == 0 else out


def ring_hopping(hoppings, phi=0.0, n_wells: int = 3) -> np.ndarray:
    """Peierls hopping matrices of rings of ``n_wells`` wells (docs/theory.md eq. (1.3)), in K.

    h[a, a+1 mod n] = D e^{i phi/n} and h[a+1 mod n, a] = D e^{-i phi/n}; the diagonal is zero. For
    n = 3 this is the off-diagonal part of the 3LS of paper eq. 3; real when every phi = 0.

    Parameters
    ----------
    hoppings : float or array_like, shape (N,)
        Hopping D of each ring in K (any sign).
    phi : float or array_like, shape (M,)
        Flux phase through the ring(s), radians (reduced mod 2 pi n before use, which leaves the
        matrix unchanged and keeps e^{i phi/n} accurate for huge phi). A 1-D phi with a scalar hopping
        gives one matrix per phase; with a hopping array of the same length, one per pair.
    n_wells : int
        Number of wells on the ring (3 <= n_wells <= MAX_WELLS).

    Returns
    -------
    numpy.ndarray, shape (n_wells, n_wells) or (K, n_wells, n_wells)
        Float when every phi = 0 (mod 2 pi n), complex otherwise; K = max(N, M).

    Examples
    --------
    >>> import numpy as np
    >>> h = ring_hopping(1.0, 0.3, n_wells=3)
    >>> loop = h[0, 1] * h[1, 2] * h[2, 0]  # gauge invariant: D^3 e^{i phi}
    >>> print(round(float(np.angle(loop)), 12), round(float(abs(loop)), 12))
    0.3 1.0
    >>> bool(np.allclose(h, h.conj().T))
    True
    """
    n = check_int(n_wells, "n_wells", minimum=3, maximum=MAX_WELLS)
    d, ph = as_real_pair(hoppings, "hoppings", phi, "phi")
    scalar = d.ndim == 0 and ph.ndim == 0
    count = max(d.size, ph.size)
    check_memory(16.0 * count * n * n, f"ring_hopping for {count} rings of {n} wells")
    ph = np.remainder(np.broadcast_to(ph, (count,)), 2 * np.pi * n)
    d = np.broadcast_to(d, (count,))
    w = d.astype(float) if np.all(ph == 0.0) else d * np.exp(1j * ph / n)
    h = np.zeros((count, n, n), dtype=w.dtype)
    for a in range(n):
        b = (a + 1) % n
        h[:, a, b] = w
        h[:, b, a] = np.conj(w)
    return h[0] if scalar else h
