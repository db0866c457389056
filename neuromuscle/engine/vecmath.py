"""``exp`` and ``expm1`` written in arithmetic only, so that LLVM can vectorise loops that call them.

numba compiles ``math.exp`` to a call of the C library's ``exp``, which stops LLVM from
vectorising a loop over cells (there is no vector math library here). The batch kernel
(:mod:`neuromuscle.engine.kernels.dopri5_block`) evaluates the right-hand side of a block
of cells in one loop; its copies of the component equations call these functions instead,
which compile to plain multiply-adds, a rounding and an integer-to-float bit cast.

Method (Cody & Waite range reduction, Tang-style): ``x = k ln 2 + r`` with integer ``k``
and ``|r| <= ln(2)/2``; ``exp(r)`` by its Taylor polynomial of degree 13 (truncation
below 4e-18 relative); ``2^k`` built from the exponent bits in two halves, so results
from the largest double down into the subnormals are right. ``expm1`` uses its own Taylor
polynomial for ``|x| < ln(2)/2`` (no cancellation) and ``exp(x) - 1`` outside it. Errors
are a few units in the last place (tested against the C library over the whole range,
``tests/engine/test_vecmath.py``); NaN and infinities give what the C library gives.

The functions are plain Python: :mod:`neuromuscle.engine.compile` compiles them inlined
into the block right-hand side (``numba.njit(inline="always")``).
"""

from __future__ import annotations

import math

import numba
from llvmlite import ir
from numba.core import types
from numba.extending import intrinsic

__all__ = ["exp", "expm1", "log", "bits_to_float", "float_to_bits"]

_LOG2E = 1.4426950408889634
# ln 2 split so that k * _LN2_HI is exact for |k| < 2^20 (fdlibm's constants)
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_HALF_LN2 = 0.34657359027997264
#: ln(largest double): above it exp overflows to inf.
_OVERFLOW = 709.782712893384
#: below it exp is 0 in double precision
_UNDERFLOW = -745.2


@intrinsic
def bits_to_float(typingctx, x):
    """The float64 whose bits are the int64 ``x`` (an LLVM bit cast: vectorisable)."""
    if not isinstance(x, types.Integer):
        return None
    sig = types.float64(types.int64)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return sig, codegen


@intrinsic
def float_to_bits(typingctx, x):
    """The int64 whose bits are the float64 ``x`` (an LLVM bit cast: vectorisable)."""
    if not isinstance(x, types.Float):
        return None
    sig = types.int64(types.float64)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return sig, codegen


_SQRT2 = 1.4142135623730951
_LN2 = 0.6931471805599453


def log(x):
    """``log(x)`` for positive normal ``x`` in vectorisable arithmetic (a few ulp).

    ``x = m 2^e`` with ``m`` in ``[sqrt(1/2), sqrt(2))`` from the bits; ``log m =
    2 atanh(s)``, ``s = (m - 1)/(m + 1)``, ``|s| < 0.172``, by its series to ``s^17``
    (truncation below 1e-15 relative). No checks for zero, negative, subnormal or
    non-finite arguments: the callers (step-size control) exclude them.
    """
    b = float_to_bits(x)
    e = ((b >> 52) & 0x7FF) - 1023
    m = bits_to_float((b & 0xFFFFFFFFFFFFF) | (1023 << 52))
    if m > _SQRT2:
        m = 0.5 * m
        e = e + 1
    s = (m - 1.0) / (m + 1.0)
    s2 = s * s
    q = 1.0 / 17.0
    q = q * s2 + 1.0 / 15.0
    q = q * s2 + 1.0 / 13.0
    q = q * s2 + 1.0 / 11.0
    q = q * s2 + 1.0 / 9.0
    q = q * s2 + 1.0 / 7.0
    q = q * s2 + 1.0 / 5.0
    q = q * s2 + 1.0 / 3.0
    q = q * s2 + 1.0
    return e * _LN2 + 2.0 * s * q


def _exp_poly(r):
    """exp(r) for |r| <= ln(2)/2: Taylor polynomial of degree 13, Horner form."""
    p = 1.0 / 6227020800.0
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    return p * r + 1.0


def exp(x):
    """``exp(x)`` in vectorisable arithmetic (a few ulp; inf above 709.78, 0 below -745.2)."""
    xs = x
    if not (xs > _UNDERFLOW):  # also NaN: computed on a finite value, replaced below
        xs = _UNDERFLOW
    if xs > 710.0:
        xs = 710.0
    k = math.floor(xs * _LOG2E + 0.5)
    r = (xs - k * _LN2_HI) - k * _LN2_LO
    ki = numba.int64(k)
    k1 = ki >> 1
    k2 = ki - k1
    res = _exp_poly(r) * bits_to_float((k1 + 1023) << 52) * bits_to_float((k2 + 1023) << 52)
    if x > _OVERFLOW:
        res = math.inf
    if not (x >= _UNDERFLOW):
        res = 0.0
    if x != x:
        res = x
    return res


def expm1(x):
    """``exp(x) - 1`` in vectorisable arithmetic, accurate near 0 (a few ulp)."""
    # Taylor polynomial of expm1(x)/x, degree 12 (truncation below 2e-17 relative)
    q = 1.0 / 6227020800.0
    q = q * x + 1.0 / 479001600.0
    q = q * x + 1.0 / 39916800.0
    q = q * x + 1.0 / 3628800.0
    q = q * x + 1.0 / 362880.0
    q = q * x + 1.0 / 40320.0
    q = q * x + 1.0 / 5040.0
    q = q * x + 1.0 / 720.0
    q = q * x + 1.0 / 120.0
    q = q * x + 1.0 / 24.0
    q = q * x + 1.0 / 6.0
    q = q * x + 0.5
    q = q * x + 1.0
    small = q * x
    big = exp(x) - 1.0
    return small if abs(x) < _HALF_LN2 else big
