"""Stimulus protocols: applied current density as a function of time.

Every protocol is piecewise linear in time: a list of breakpoints ``T_k`` with, on each
interval ``[T_k, T_{k+1})``, a value ``c_k + s_k (t - T_k)`` (zero before ``T_0``). The
simulator restarts its integrator at every breakpoint, so short pulses are never
stepped over and the discontinuities never spoil the error control. Protocols add up
with ``+``.

Amplitudes are current densities in uA/cm2 (positive depolarises); times are in ms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validate import check_range

__all__ = ["Protocol", "NoStimulus", "Step", "Pulse", "PulseTrain", "Ramp", "Sum", "check_protocol"]

_MAX_BREAKPOINTS = 2_000_000


class Protocol:
    """Base class: a piecewise-linear current. Subclasses implement :meth:`pieces`."""

    def pieces(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Breakpoints ``T`` (ms), start values ``c`` (uA/cm2) and slopes ``s`` (uA/cm2/ms).

        Interval k is ``[T[k], T[k+1])``, the last one extends to infinity, and the current
        is zero before ``T[0]``.
        """
        raise NotImplementedError

    def __call__(self, t):
        """Current density at time(s) ``t``, uA/cm2 (right-continuous at breakpoints)."""
        T, c, s = self.pieces()
        t = np.asarray(t, dtype=float)
        k = np.searchsorted(T, t, side="right") - 1
        kk = np.clip(k, 0, len(T) - 1)
        val = c[kk] + s[kk] * (t - T[kk])
        return np.where(k < 0, 0.0, val)

    def breakpoints(self, t_end: float) -> np.ndarray:
        """Breakpoints strictly inside ``(0, t_end)``, where the integrator must restart."""
        T = self.pieces()[0]
        return T[(T > 0.0) & (T < t_end)]

    def segments(self, t_end: float, t_start: float = 0.0):
        """Integration segments between the breakpoints in ``(t_start, t_end)``.

        Returns arrays ``a, b, t0, c, s`` (one entry per segment): on ``[a[k], b[k]]`` the
        current is ``c[k] + s[k] (t - t0[k])``. Both engines integrate segment by segment.
        """
        T, c, s = self.pieces()
        inner = T[(T > t_start) & (T < t_end)]
        edges = np.concatenate([[t_start], inner, [t_end]])
        a, b = edges[:-1], edges[1:]
        k = np.searchsorted(T, a, side="right") - 1
        has = k >= 0
        kk = np.clip(k, 0, len(T) - 1)
        return a, b, np.where(has, T[kk], a), np.where(has, c[kk], 0.0), np.where(has, s[kk], 0.0)

    def __add__(self, other: Protocol) -> Sum:
        if not isinstance(other, Protocol):
            return NotImplemented
        return Sum(self, other)

    __radd__ = __add__


class NoStimulus(Protocol):
    """No applied current."""

    def pieces(self):
        return np.array([0.0]), np.array([0.0]), np.array([0.0])

    def __repr__(self) -> str:
        return "NoStimulus()"


def _time(name, value):
    return float(check_range(name, value, 0.0, 1e9, "ms"))


#: Largest stimulus current density accepted, uA/cm2 (1 A/cm2, far beyond any physiological
#: stimulus; it keeps the arithmetic of every engine finite).
MAX_AMPLITUDE = 1e6


def _amplitude(name, value):
    return float(check_range(name, value, -MAX_AMPLITUDE, MAX_AMPLITUDE, "uA/cm2"))


@dataclass(frozen=True)
class Step(Protocol):
    """A constant current switched on at ``start`` (and off at ``stop``, if given).

    Parameters
    ----------
    amplitude : float
        uA/cm2.
    start : float
        ms, default 0.
    stop : float
        ms, default infinity (stays on).
    """

    amplitude: float
    start: float = 0.0
    stop: float = math.inf

    def __post_init__(self):
        _amplitude("amplitude", self.amplitude)
        _time("start", self.start)
        if not self.stop > self.start:
            raise ValueError(f"stop = {self.stop} ms must be later than start = {self.start} ms")

    def pieces(self):
        a = float(self.amplitude)
        if math.isinf(self.stop):
            return np.array([self.start]), np.array([a]), np.array([0.0])
        return np.array([self.start, self.stop]), np.array([a, 0.0]), np.zeros(2)


def Pulse(amplitude: float, start: float, duration: float) -> Step:
    """A square pulse of ``amplitude`` (uA/cm2) from ``start`` lasting ``duration`` (ms)."""
    check_range("duration", duration, 0.0, 1e9, "ms", low_inclusive=False)
    return Step(amplitude, start, start + duration)


@dataclass(frozen=True)
class PulseTrain(Protocol):
    """``n_pulses`` square pulses at ``frequency`` (Hz), the first at ``start``."""

    amplitude: float
    start: float
    duration: float
    frequency: float
    n_pulses: int

    def __post_init__(self):
        _amplitude("amplitude", self.amplitude)
        _time("start", self.start)
        check_range("duration", self.duration, 0.0, 1e9, "ms", low_inclusive=False)
        check_range("frequency", self.frequency, 0.0, 1e5, "Hz", low_inclusive=False)
        check_range("n_pulses", self.n_pulses, 1, _MAX_BREAKPOINTS // 2)
        if self.duration >= 1000.0 / self.frequency:
            raise ValueError(
                f"duration = {self.duration} ms must be shorter than the period "
                f"{1000.0 / self.frequency:g} ms at frequency = {self.frequency} Hz"
            )

    def pieces(self):
        period = 1000.0 / self.frequency
        on = self.start + period * np.arange(int(self.n_pulses))
        T = np.column_stack([on, on + self.duration]).ravel()
        c = np.tile([float(self.amplitude), 0.0], int(self.n_pulses))
        return T, c, np.zeros_like(T)


@dataclass(frozen=True)
class Ramp(Protocol):
    """A current rising linearly from ``amplitude_start`` to ``amplitude_end`` over
    ``[start, start + duration)``; zero outside, unless ``hold`` keeps the final value."""

    amplitude_start: float
    amplitude_end: float
    start: float
    duration: float
    hold: bool = False

    def __post_init__(self):
        _amplitude("amplitude_start", self.amplitude_start)
        _amplitude("amplitude_end", self.amplitude_end)
        _time("start", self.start)
        check_range("duration", self.duration, 0.0, 1e9, "ms", low_inclusive=False)

    def pieces(self):
        slope = (self.amplitude_end - self.amplitude_start) / self.duration
        end_value = float(self.amplitude_end) if self.hold else 0.0
        T = np.array([self.start, self.start + self.duration])
        return T, np.array([float(self.amplitude_start), end_value]), np.array([slope, 0.0])


class Sum(Protocol):
    """The sum of several protocols."""

    def __init__(self, *protocols: Protocol) -> None:
        flat: list[Protocol] = []
        for p in protocols:
            if not isinstance(p, Protocol):
                raise TypeError(f"Sum takes Protocol objects, got {p!r}")
            flat.extend(p.protocols if isinstance(p, Sum) else [p])
        self.protocols = tuple(flat)

    def pieces(self):
        T = np.unique(np.concatenate([p.pieces()[0] for p in self.protocols]))
        c = np.zeros_like(T)
        s = np.zeros_like(T)
        for p in self.protocols:
            Tp, cp, sp = p.pieces()
            k = np.searchsorted(Tp, T, side="right") - 1
            kk = np.clip(k, 0, len(Tp) - 1)
            inside = k >= 0
            c += np.where(inside, cp[kk] + sp[kk] * (T - Tp[kk]), 0.0)
            s += np.where(inside, sp[kk], 0.0)
        return T, c, s

    def __repr__(self) -> str:
        return " + ".join(repr(p) for p in self.protocols)


def check_protocol(name: str, value, allow_none: bool = True):
    """A :class:`~neuromuscle.protocols.Protocol` (or ``None`` when allowed)."""
    if value is None and allow_none:
        return value
    if not isinstance(value, Protocol):
        hint = " (a current needs a protocol: nm.Step(10.0))" if isinstance(value, (int, float)) else ""
        raise TypeError(f"{name} must be a Protocol such as Step, Pulse or PulseTrain, got {value!r}{hint}")
    return value
