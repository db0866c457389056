"""Argument checks that raise errors naming the argument, its value and the valid range.

Every public function that takes a physical quantity validates it here, so that a
user who passes ``celsius=310`` (kelvin by mistake) or a zero concentration learns
at once which argument is wrong and what would be accepted.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "check_range", "check_positive", "check_nonzero_int", "check_finite", "check_real", "check_choice",
]


def _as_array(name: str, value) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a number or an array of numbers, got {value!r}") from exc
    if np.any(np.isnan(arr)):
        raise ValueError(f"{name} must not be NaN, got {value!r}")
    return arr


def _show(arr: np.ndarray, bad: np.ndarray):
    """The offending value (the first one, for arrays)."""
    return arr[bad].flat[0] if arr.ndim else float(arr)


def check_range(
    name: str,
    value,
    low: float,
    high: float,
    unit: str = "",
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> np.ndarray:
    """Return ``value`` as a float array, or raise ``ValueError`` if any element is out of range."""
    arr = _as_array(name, value)
    too_low = arr < low if low_inclusive else arr <= low
    too_high = arr > high if high_inclusive else arr >= high
    bad = too_low | too_high
    if np.any(bad):
        lb = "[" if low_inclusive else "("
        hb = "]" if high_inclusive else ")"
        u = f" {unit}" if unit else ""
        raise ValueError(
            f"{name} = {_show(arr, bad):g}{u} is outside the valid range {lb}{low:g}, {high:g}{hb}{u}"
        )
    return arr


def check_positive(name: str, value, unit: str = "", *, upper: float = np.inf) -> np.ndarray:
    """Return ``value`` as a float array, or raise if any element is <= 0 (or above ``upper``)."""
    return check_range(name, value, 0.0, upper, unit, low_inclusive=False)


def check_nonzero_int(name: str, value) -> np.ndarray:
    """Valence check: a non-zero integer (array allowed)."""
    arr = _as_array(name, value)
    bad = (arr == 0) | (arr != np.round(arr))
    if np.any(bad):
        raise ValueError(
            f"{name} = {_show(arr, bad):g} is not a valid ion valence; it must be a non-zero "
            "integer such as +1 (Na, K), +2 (Ca, Mg) or -1 (Cl)"
        )
    return arr


def check_real(name: str, value) -> float:
    """A single real, finite number (not a bool, string or array): return it as a float."""
    import numbers

    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a single number, got {value!r}")
    x = float(value)
    if not np.isfinite(x):
        raise ValueError(f"{name} = {value!r} must be a finite number")
    return x


def check_finite(name: str, value) -> np.ndarray:
    """A number or array of numbers with no NaN or infinity."""
    arr = _as_array(name, value)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return arr


def check_choice(name: str, value, choices) -> str:
    """One of ``choices`` (strings)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} = {value!r} is not one of {', '.join(repr(c) for c in choices)}")
    return value
