"""Closed-form real roots of the depressed cubic and quartic of Hermitian 3x3 and 4x4 matrices.

No eigensolver is called: the roots come from trigonometric (Viete) and Descartes-Ferrari
formulas, vectorised over any leading shape. See docs/theory.md sections 1.2 and 1.3.
"""

from __future__ import annotations

import numpy as np

__all__ = ["depressed_cubic_roots", "depressed_quartic_roots"]


def depressed_cubic_roots(p, q, discriminant=None) -> np.ndarray:
    """Real roots of lambda^3 - p lambda - q = 0, ascending, when all three are real.

    Viete's trigonometric solution (docs/theory.md eq. (1.4), paper eq. 7):
    lambda_k = 2 sqrt(p/3) cos(theta - 2 pi k / 3) with
    3 theta = arccos((3q / 2p) sqrt(3/p)) = atan2(sqrt(Delta), q/2),
    Delta = (p/3)^3 - (q/2)^2 >= 0. Passing ``discriminant`` (Delta computed without
    cancellation from the matrix elements) keeps near-degenerate roots accurate; otherwise
    Delta is formed from p and q and nearly equal roots carry an error ~ sqrt(eps) * scale.

    Parameters
    ----------
    p, q : array_like
        Coefficients (any common shape). Units: energy^2 and energy^3.
    discriminant : array_like, optional
        (p/3)^3 - (q/2)^2 computed stably by the caller.

    Returns
    -------
    numpy.ndarray
        Shape ``broadcast(p, q).shape + (3,)``, ascending.

    Examples
    --------
    >>> print(depressed_cubic_roots(3.0, 2.0) + 0.0)  # lambda^3 - 3 lambda - 2 = (lambda + 1)^2 (lambda - 2)
    [-1. -1.  2.]
    >>> print(depressed_cubic_roots(7.0, 6.0))  # roots -2, -1, 3
    [-2. -1.  3.]
    """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    p3 = np.maximum(p / 3.0, 0.0)
    if discriminant is None:
        discriminant = p3**3 - (q / 2.0) ** 2
    disc = np.maximum(np.asarray(discriminant, dtype=float), 0.0)
    theta = np.arctan2(np.sqrt(disc), q / 2.0) / 3.0
    r = 2.0 * np.sqrt(p3)
    k = np.arange(3)
    roots = r[..., None] * np.cos(theta[..., None] - 2.0 * np.pi * k / 3.0)
    # k = 0 is the largest, k = 1 the middle, k = 2 the smallest
    return roots[..., ::-1]


def _polish_quartic(x, a, b, c, iterations=2):
    """Guarded Newton steps on x^4 + a x^2 + b x + c (accepted only where |f| decreases)."""
    for _ in range(iterations):
        f = ((x * x + a) * x + b) * x + c
        df = (4.0 * x * x + 2.0 * a) * x + b
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(df != 0, f / df, 0.0)
        xn = x - step
        fn = ((xn * xn + a) * xn + b) * xn + c
        better = np.isfinite(xn) & (np.abs(fn) < np.abs(f))
        x = np.where(better, xn, x)
    return x


def depressed_quartic_roots(a, b, c) -> np.ndarray:
    """Real roots of lambda^4 + a lambda^2 + b lambda + c = 0, ascending, when all four are real.

    Descartes' solution (docs/theory.md eq. (1.9)): the resolvent cubic
    z^3 + 2a z^2 + (a^2 - 4c) z - b^2 = 0 has the roots z_j = (r_1 + r_{j+1})^2 >= 0, and the
    four roots are (+-sqrt z_1 +- sqrt z_2 +- sqrt z_3)/2 with an even number of minus signs
    when -b >= 0 (the product sqrt z_1 sqrt z_2 sqrt z_3 equals -b). The resolvent is solved by
    Viete's formula; two guarded Newton steps polish the roots. Nearly degenerate roots carry
    an error ~ sqrt(eps) * scale, the conditioning of any characteristic-polynomial method.

    Parameters
    ----------
    a, b, c : array_like
        Coefficients, any common shape (energy^2, energy^3, energy^4).

    Returns
    -------
    numpy.ndarray
        Shape ``broadcast(a, b, c).shape + (4,)``, ascending.

    Examples
    --------
    >>> import numpy as np
    >>> print(np.round(depressed_quartic_roots(-5.0, 0.0, 4.0), 9) + 0.0)  # (lambda^2 - 1)(lambda^2 - 4)
    [-2. -1.  1.  2.]
    >>> a, b, c = np.poly([-3.0, -1.0, 0.5, 3.5])[2:]  # monic, no cubic term: the roots sum to zero
    >>> print(np.round(depressed_quartic_roots(a, b, c), 9) + 0.0)
    [-3.  -1.   0.5  3.5]
    """
    a, b, c = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float), np.asarray(c, float))
    # resolvent z^3 + 2a z^2 + (a^2-4c) z - b^2 ; shift z = y - 2a/3 to depress it: y^3 - P y - Q = 0
    A2, A1, A0 = 2.0 * a, a * a - 4.0 * c, -b * b
    P = A2 * A2 / 3.0 - A1
    Q = -(2.0 * A2**3 / 27.0 - A2 * A1 / 3.0 + A0)
    y = depressed_cubic_roots(P, Q)
    z = np.maximum(y - (A2 / 3.0)[..., None], 0.0)
    s = np.sqrt(z)
    sign = np.where(b > 0, -1.0, 1.0)
    s1, s2, s3 = s[..., 2], s[..., 1], s[..., 0] * sign
    roots = 0.5 * np.stack([s1 + s2 + s3, s1 - s2 - s3, -s1 + s2 - s3, -s1 - s2 + s3], axis=-1)
    roots = _polish_quartic(roots, a[..., None], b[..., None], c[..., None])
    return np.sort(roots, axis=-1)
