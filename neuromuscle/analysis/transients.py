"""Calcium transients and force records of a skeletal-muscle fibre: time course and fusion.

Pure-numpy measures on sampled records; nothing here runs a model. Every function
takes the time ``t`` in ms (strictly increasing, not necessarily uniform) and a signal
``x`` in any unit (Ca in mM or uM, or force relative to maximum); results carry the
unit of ``x`` unless stated otherwise. Crossing times are linearly interpolated
between samples, so durations do not snap to the sampling grid and a piecewise-linear
signal is measured exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "TransientMetrics",
    "transient_metrics",
    "twitch_tetanus_ratio",
    "fusion_index",
    "fusion_frequency",
    "residual_force",
]

_NAN = float("nan")


@dataclass(frozen=True)
class TransientMetrics:
    """Time course of one Ca transient or twitch.

    Durations are NaN if the transient has no amplitude or the level is not reached
    inside the window.

    Attributes
    ----------
    baseline : float
        Resting level, unit of ``x`` (by default the first sample in the window).
    peak : float
        Largest sample in the window, unit of ``x``.
    amplitude : float
        ``peak - baseline``, unit of ``x``; 0.0 if the signal never rises above baseline.
    t_peak : float
        Time of the (first) largest sample, ms, on the clock of ``t``.
    time_to_peak : float
        ``t_peak`` minus ``t_start`` (or minus the first sample time in the window), ms.
    fdhm : float
        Full duration at half maximum, ms: time between the rising and falling crossings
        of ``baseline + amplitude/2``, both linearly interpolated.
    half_relaxation : float
        Time from the peak to the first fall below ``baseline + amplitude/2``, ms.
    relaxation_90 : float
        Time from the peak to the first fall below ``baseline + 0.1 * amplitude``
        (90 % relaxation), ms.
    residual : float
        Last sample in the window minus baseline, as a fraction of ``amplitude``
        (dimensionless): 0 for full relaxation, 1 for none.
    """

    baseline: float
    peak: float
    amplitude: float
    t_peak: float
    time_to_peak: float
    fdhm: float
    half_relaxation: float
    relaxation_90: float
    residual: float


# --------------------------------------------------------------------------- checks


def _record(t, x) -> tuple[np.ndarray, np.ndarray]:
    """``t`` and ``x`` as validated 1-D float arrays of equal length (>= 3 samples)."""
    t = np.asarray(t, dtype=float)
    x = np.asarray(x, dtype=float)
    for name, arr in (("t", t), ("x", x)):
        if arr.ndim != 1:
            raise ValueError(f"{name} must be 1-D, got an array of shape {arr.shape}")
        bad = np.flatnonzero(~np.isfinite(arr))
        if bad.size:
            i = int(bad[0])
            raise ValueError(f"{name}[{i}] = {arr[i]} is not finite; every sample must be a finite number")
    if x.size != t.size:
        raise ValueError(f"x has {x.size} samples but t has {t.size}; they must be the same length")
    if t.size < 3:
        raise ValueError(f"t has {t.size} samples; at least 3 are needed")
    bad = np.flatnonzero(np.diff(t) <= 0)
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"t must be strictly increasing, but t[{i + 1}] = {t[i + 1]:g} ms does not exceed t[{i}] = {t[i]:g} ms"
        )
    return t, x


def _finite(name: str, value, unit: str = "") -> float:
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a number, got {value!r}") from exc
    if not math.isfinite(v):
        raise ValueError(f"{name} = {v} is not finite; it must be a finite number{unit}")
    return v


def _baseline(value) -> float:
    b = _finite("baseline", value)
    # Concentrations and forces are non-negative; a negative baseline is a unit or sign slip.
    if b < 0:
        raise ValueError(f"baseline = {b:g} is outside the valid range [0, inf) (unit of x)")
    return b


def _in_record(name: str, value, t: np.ndarray) -> float:
    v = _finite(name, value, " of ms")
    if not t[0] <= v <= t[-1]:
        raise ValueError(f"{name} = {v:g} ms is outside the record [{t[0]:g}, {t[-1]:g}] ms")
    return v


# ---------------------------------------------------------------------- crossings


def _fall_time(t: np.ndarray, x: np.ndarray, k: int, level: float) -> float:
    """Interpolated time of the first fall below ``level`` after index ``k``; NaN if none."""
    j = np.flatnonzero((x[k:-1] >= level) & (x[k + 1 :] < level))
    if not j.size:
        return _NAN
    i = k + int(j[0])
    return float(t[i] + (x[i] - level) / (x[i] - x[i + 1]) * (t[i + 1] - t[i]))


def _rise_time(t: np.ndarray, x: np.ndarray, k: int, level: float) -> float:
    """Interpolated time of the last rise to ``level`` before index ``k``; NaN if none.

    The last crossing, not the first, so that noise on the foot of the transient
    does not lengthen the FDHM.
    """
    j = np.flatnonzero((x[:k] < level) & (x[1 : k + 1] >= level))
    if not j.size:
        return _NAN
    i = int(j[-1])
    return float(t[i] + (level - x[i]) / (x[i + 1] - x[i]) * (t[i + 1] - t[i]))


def _segment(t: np.ndarray, x: np.ndarray, a: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    """The linear interpolant of ``x`` on ``[a, b]``: interior samples plus both end points.

    Including the interpolated ends makes window measures independent of where the
    samples happen to fall relative to the window edges.
    """
    inside = (t > a) & (t < b)
    tt = np.concatenate(([a], t[inside], [b]))
    xx = np.concatenate(([np.interp(a, t, x)], x[inside], [np.interp(b, t, x)]))
    return tt, xx


# ---------------------------------------------------------------------- measures


def transient_metrics(
    t,
    x,
    *,
    baseline: float | None = None,
    t_start: float | None = None,
    t_stop: float | None = None,
) -> TransientMetrics:
    """Amplitude and time course of a single Ca transient or twitch.

    Parameters
    ----------
    t : array_like
        Time, ms, strictly increasing (non-uniform sampling allowed).
    x : array_like
        Signal (Ca in mM or uM, or relative force), same length as ``t``.
    baseline : float, optional
        Resting level, unit of ``x``, >= 0. Default: the first sample inside the window.
    t_start, t_stop : float, optional
        Window, ms, inside the record; default: the whole record. Only samples with
        ``t_start <= t <= t_stop`` are used; the window must hold at least 3.

    Returns
    -------
    TransientMetrics
        Peak is the largest sample (not interpolated); crossing times are linearly
        interpolated; a sample exactly on a level counts as not yet below it, so the
        FDHM is the span over which ``x >= baseline + amplitude/2`` around the peak.
        If ``peak <= baseline`` the amplitude is 0.0 and ``t_peak``,
        ``time_to_peak``, all durations and ``residual`` are NaN. ``fdhm`` is NaN if the
        rise through half maximum is not inside the window (e.g. ``x`` already starts
        above it) or the signal has not fallen back below half maximum by ``t_stop``.

    Raises
    ------
    ValueError
        If ``t``/``x`` are malformed, the window is outside the record or holds fewer
        than 3 samples, or ``baseline`` is negative.

    Examples
    --------
    A triangle rising 0 -> 1 over 2 ms and falling back over 4 ms:

    >>> m = transient_metrics([0, 0.5, 2, 3, 6, 7], [0, 0.25, 1, 0.75, 0, 0])
    >>> m.time_to_peak, m.fdhm, m.half_relaxation, m.relaxation_90
    (2.0, 3.0, 2.0, 3.6)
    """
    t, x = _record(t, x)
    sel = np.ones(t.size, dtype=bool)
    if t_start is not None:
        t_start = _in_record("t_start", t_start, t)
        sel &= t >= t_start
    if t_stop is not None:
        t_stop = _in_record("t_stop", t_stop, t)
        sel &= t <= t_stop
    if t_start is not None and t_stop is not None and not t_stop > t_start:
        raise ValueError(f"t_stop = {t_stop:g} ms must be later than t_start = {t_start:g} ms")
    tw, xw = t[sel], x[sel]
    if tw.size < 3:
        lo = tw[0] if t_start is None else t_start
        hi = tw[-1] if t_stop is None else t_stop
        raise ValueError(
            f"the window [t_start, t_stop] = [{lo:g}, {hi:g}] ms holds {tw.size} samples; at least 3 are needed"
        )
    base = float(xw[0]) if baseline is None else _baseline(baseline)
    k = int(np.argmax(xw))
    peak = float(xw[k])
    amp = peak - base
    if not amp > 0:
        return TransientMetrics(base, peak, 0.0, _NAN, _NAN, _NAN, _NAN, _NAN, _NAN)

    t_peak = float(tw[k])
    t0 = float(tw[0]) if t_start is None else t_start
    half = base + 0.5 * amp
    t_half_down = _fall_time(tw, xw, k, half)
    return TransientMetrics(
        baseline=base,
        peak=peak,
        amplitude=amp,
        t_peak=t_peak,
        time_to_peak=t_peak - t0,
        fdhm=t_half_down - _rise_time(tw, xw, k, half),  # NaN propagates if either is missing
        half_relaxation=t_half_down - t_peak,
        relaxation_90=_fall_time(tw, xw, k, base + 0.1 * amp) - t_peak,
        residual=float((xw[-1] - base) / amp),
    )


def twitch_tetanus_ratio(twitch_peak: float, tetanus_peak: float, *, baseline: float = 0.0) -> float:
    """Twitch-to-tetanus ratio, ``(twitch_peak - baseline) / (tetanus_peak - baseline)``.

    Parameters
    ----------
    twitch_peak, tetanus_peak : float
        Peak force (or Ca) of a single twitch and of a fused tetanus, same unit.
    baseline : float, default 0.0
        Resting level in that unit, >= 0.

    Returns
    -------
    float
        Dimensionless ratio (human motor units in vivo: 0.11-0.58, median 0.30; J Physiol,
        PMC1779696 Table 1; docs/research/calcium_atp.md 5.3).

    Raises
    ------
    ValueError
        If any argument is not finite, ``baseline`` is negative, or
        ``tetanus_peak <= baseline`` (no tetanic amplitude to divide by).

    Examples
    --------
    >>> twitch_tetanus_ratio(0.3, 1.2, baseline=0.2)
    0.1
    """
    tw = _finite("twitch_peak", twitch_peak)
    te = _finite("tetanus_peak", tetanus_peak)
    b = _baseline(baseline)
    if not te > b:
        raise ValueError(
            f"tetanus_peak = {te:g} must exceed baseline = {b:g}; the tetanus amplitude must be > 0"
        )
    return (tw - b) / (te - b)


def fusion_index(t, x, *, t_stop: float, interval_ms: float, baseline: float = 0.0) -> float:
    """Degree of fusion of a tetanus over its last stimulus interval.

    With ``y = x - baseline`` on the window ``[t_stop - interval_ms, t_stop]``::

        fusion index = 1 - (max y - min y) / max y

    which equals ``min y / max y``: the classic index of Celichowski & Grottel (Arch
    Ital Biol, 1995), the level to which the force relaxes before the last response
    divided by the peak of that response. It is 1 for a perfectly fused (flat) record
    and 0 for twitches that relax fully to the baseline between stimuli; it goes
    negative if ``x`` dips below ``baseline``. Extrema are taken over the linear
    interpolant of the record, so the window edges need not fall on samples.

    Parameters
    ----------
    t : array_like
        Time, ms, strictly increasing.
    x : array_like
        Force (or Ca), same length as ``t``.
    t_stop : float
        End of the tetanus (last time to include), ms, inside the record.
    interval_ms : float
        Stimulus period, ms (1000 / frequency in Hz); > 0 and the window must start
        inside the record.
    baseline : float, default 0.0
        Resting level, unit of ``x``, >= 0.

    Returns
    -------
    float
        Dimensionless fusion index, <= 1.

    Raises
    ------
    ValueError
        If ``t``/``x`` are malformed, the window is outside the record, ``interval_ms``
        is not positive, ``baseline`` is negative, or ``x`` never exceeds ``baseline``
        in the window (no contraction).

    Examples
    --------
    >>> t = np.linspace(0.0, 100.0, 1001)
    >>> round(fusion_index(t, 0.9 + 0.1 * np.sin(2 * np.pi * t / 20.0), t_stop=100.0, interval_ms=20.0), 6)
    0.8
    """
    t, x = _record(t, x)
    t_stop = _in_record("t_stop", t_stop, t)
    dt = _finite("interval_ms", interval_ms, " of ms")
    if not dt > 0:
        raise ValueError(f"interval_ms = {dt:g} ms is outside the valid range (0, inf) ms")
    t_from = t_stop - dt
    if t_from < t[0]:
        raise ValueError(
            f"interval_ms = {dt:g} ms reaches back to {t_from:g} ms, before the record starts at {t[0]:g} ms; "
            f"the valid range is (0, {t_stop - t[0]:g}] ms for t_stop = {t_stop:g} ms"
        )
    b = _baseline(baseline)
    _, y = _segment(t, x, t_from, t_stop)
    y = y - b
    top = float(np.max(y))
    if not top > 0:
        raise ValueError(
            f"x never exceeds baseline = {b:g} in the window [{t_from:g}, {t_stop:g}] ms; "
            "there is no contraction to measure"
        )
    return 1.0 - (top - float(np.min(y))) / top


def fusion_frequency(frequencies, indices, *, level: float = 0.9) -> float:
    """Lowest stimulation frequency at which the fusion index reaches ``level``.

    The crossing is linearly interpolated between the two measured frequencies that
    bracket the first point at or above ``level``.

    Parameters
    ----------
    frequencies : array_like
        Stimulation frequencies, Hz, strictly ascending; at least 2.
    indices : array_like
        Fusion index at each frequency (see :func:`fusion_index`), dimensionless.
    level : float, default 0.9
        Fusion index regarded as "fused", in (0, 1].

    Returns
    -------
    float
        Frequency, Hz. NaN if no measured index reaches ``level``. If the lowest
        frequency already reaches it, that frequency is returned: the true crossing
        lies at or below it and is not resolved by the data.

    Raises
    ------
    ValueError
        If the lengths differ, fewer than 2 points are given, the frequencies are not
        strictly ascending or not positive, any value is not finite, or ``level`` is
        outside (0, 1].

    Examples
    --------
    >>> fusion_frequency([10, 20, 40], [0.2, 0.6, 1.0], level=0.8)
    30.0
    """
    f = np.asarray(frequencies, dtype=float)
    y = np.asarray(indices, dtype=float)
    if f.ndim != 1 or y.ndim != 1:
        raise ValueError(f"frequencies and indices must be 1-D, got shapes {f.shape} and {y.shape}")
    if y.size != f.size:
        raise ValueError(
            f"indices has {y.size} values but frequencies has {f.size}; they must be the same length"
        )
    if f.size < 2:
        raise ValueError(f"frequencies has {f.size} values; at least 2 are needed to interpolate")
    for name, arr in (("frequencies", f), ("indices", y)):
        bad = np.flatnonzero(~np.isfinite(arr))
        if bad.size:
            i = int(bad[0])
            raise ValueError(f"{name}[{i}] = {arr[i]} is not finite; every value must be a finite number")
    if f[0] <= 0:
        raise ValueError(f"frequencies[0] = {f[0]:g} Hz is outside the valid range (0, inf) Hz")
    bad = np.flatnonzero(np.diff(f) <= 0)
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"frequencies must be strictly ascending, but frequencies[{i + 1}] = {f[i + 1]:g} Hz "
            f"does not exceed frequencies[{i}] = {f[i]:g} Hz"
        )
    lv = _finite("level", level)
    if not 0 < lv <= 1:
        raise ValueError(f"level = {lv:g} is outside the valid range (0, 1]")
    hit = np.flatnonzero(y >= lv)
    if not hit.size:
        return _NAN
    i = int(hit[0])
    if i == 0:
        return float(f[0])
    # y[i-1] < level <= y[i], so the denominator is positive.
    return float(f[i - 1] + (lv - y[i - 1]) / (y[i] - y[i - 1]) * (f[i] - f[i - 1]))


def residual_force(t, x, *, t_after: float, baseline: float = 0.0, peak: float | None = None) -> float:
    """Force left after relaxation, as a fraction of the peak: a measure of contracture.

    ``(mean of x over [t_after, t[-1]] - baseline) / (peak - baseline)``, where the mean
    is time-weighted (trapezoidal integral of the linear interpolant divided by the
    duration), so uneven sampling does not bias it.

    Parameters
    ----------
    t : array_like
        Time, ms, strictly increasing.
    x : array_like
        Force (or Ca), same length as ``t``.
    t_after : float
        Start of the averaging window, ms; ``t[0] <= t_after < t[-1]``.
    baseline : float, default 0.0
        Resting level, unit of ``x``, >= 0.
    peak : float, optional
        Reference peak, unit of ``x``; default ``max(x)`` over the whole record.

    Returns
    -------
    float
        Dimensionless: 0 for full relaxation, 1 if the force stays at the peak.

    Raises
    ------
    ValueError
        If ``t``/``x`` are malformed, ``t_after`` is outside the valid range,
        ``baseline`` is negative, or ``peak <= baseline``.

    Examples
    --------
    >>> residual_force([0, 10, 20, 30], [0.0, 1.0, 0.2, 0.4], t_after=20.0)
    0.3
    """
    t, x = _record(t, x)
    ta = _finite("t_after", t_after, " of ms")
    if not t[0] <= ta < t[-1]:
        raise ValueError(f"t_after = {ta:g} ms is outside the valid range [{t[0]:g}, {t[-1]:g}) ms")
    b = _baseline(baseline)
    p = float(np.max(x)) if peak is None else _finite("peak", peak)
    if not p > b:
        raise ValueError(f"peak = {p:g} must exceed baseline = {b:g}; the amplitude must be > 0")
    tt, xx = _segment(t, x, ta, float(t[-1]))
    mean = float(np.sum(0.5 * (xx[1:] + xx[:-1]) * np.diff(tt)) / (tt[-1] - tt[0]))
    return (mean - b) / (p - b)
