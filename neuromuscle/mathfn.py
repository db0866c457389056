"""Numerically safe elementary functions shared by the physiology.

The rate equations of Hodgkin-Huxley-type models and the GHK current equation contain
``x / (exp(x) - 1)``, which is 0/0 at ``x = 0`` although the limit is 1. These helpers
evaluate such terms without dividing by zero. They use only numpy ufuncs and
``np.where`` so that they broadcast over a batch axis and can be compiled by numba.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["exprel", "x_over_expm1"]

# Below this |x| the two-term Taylor series of exprel is exact to double precision
# (the next term, x**3/24, is < 1e-17 relative).
_SERIES_CUTOFF = 1e-5
#: ln(largest double): above it exp overflows, so exprel is inf and x/expm1(x) is 0.
_OVERFLOW = 709.782712893384


def exprel(x):
    """Relative exponential ``(exp(x) - 1) / x``, equal to 1 at ``x = 0``.

    Parameters
    ----------
    x : float or ndarray
        Dimensionless argument.

    Returns
    -------
    float or ndarray
        ``expm1(x) / x``, with the series ``1 + x/2 + x**2/6`` near zero.
    """
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < _SERIES_CUTOFF
    safe = np.where(small, 1.0, x)
    # expm1 overflows to inf for x > ~709; 1/exprel is then correctly 0.
    with np.errstate(over="ignore", under="ignore"):
        return np.where(small, 1.0 + x / 2.0 + x * x / 6.0, np.expm1(safe) / safe)


def x_over_expm1(x):
    """``x / (exp(x) - 1)``, equal to 1 at ``x = 0`` and to 0 as ``x -> +inf``.

    This is ``1 / exprel(x)``; it is the form in which the HH rate constants
    ``a (V - V0) / (1 - exp(-(V - V0)/k))`` are written safely.
    """
    if isinstance(x, float):
        # Scalar fast path (the SciPy integrators call the right-hand side with one state
        # vector at a time); same formulas as exprel, without array overhead.
        if abs(x) < _SERIES_CUTOFF:
            return 1.0 / (1.0 + x / 2.0 + x * x / 6.0)
        if x > _OVERFLOW:  # expm1 would overflow; the value is below the smallest double
            return 0.0
        return x / math.expm1(x)
    return 1.0 / exprel(x)
