"""Spike trains and action-potential shape."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["spike_times", "firing_rate", "steady_firing_rate", "ActionPotential", "action_potential"]


def spike_times(t, v, threshold: float = 0.0) -> np.ndarray:
    """Times (ms) at which ``v`` crosses ``threshold`` (mV) upwards, linearly interpolated.

    For a :class:`~neuromuscle.simulation.SimulationResult` prefer its ``spike_times``
    attribute, located by the solver's dense output and thus more accurate.
    """
    t = np.asarray(t, dtype=float)
    v = np.asarray(v, dtype=float)
    k = np.flatnonzero((v[:-1] < threshold) & (v[1:] >= threshold))
    frac = (threshold - v[k]) / (v[k + 1] - v[k])
    return t[k] + frac * (t[k + 1] - t[k])


def firing_rate(spikes, t_start: float, t_stop: float) -> float:
    """Mean rate (Hz) of the spikes in ``[t_start, t_stop)`` ms."""
    if not t_stop > t_start:
        raise ValueError(f"t_stop = {t_stop} ms must be later than t_start = {t_start} ms")
    spikes = np.asarray(spikes)
    n = np.count_nonzero((spikes >= t_start) & (spikes < t_stop))
    return 1000.0 * n / (t_stop - t_start)


def steady_firing_rate(spikes, t_stop: float, min_spikes: int = 3, skip: int = 1) -> float:
    """Rate (Hz) of sustained firing: the inverse of the mean interspike interval after the
    first ``skip`` intervals, or 0 if fewer than ``min_spikes`` spikes occurred or the train
    stopped (the last spike is more than two mean intervals before ``t_stop``).
    """
    spikes = np.asarray(spikes, dtype=float)
    if spikes.size < max(min_spikes, skip + 2):
        return 0.0
    isi = np.diff(spikes)[skip:]
    mean_isi = float(np.mean(isi))
    if t_stop - spikes[-1] > 2.0 * mean_isi:
        return 0.0
    return 1000.0 / mean_isi


@dataclass(frozen=True)
class ActionPotential:
    """Shape of one action potential.

    Attributes
    ----------
    peak : float
        Peak potential, mV.
    baseline : float
        Potential before the spike, mV (the first sample of the window).
    amplitude : float
        ``peak - baseline``, mV.
    overshoot : float
        Peak above 0 mV, mV.
    width : float
        Duration at half amplitude, ms.
    max_dvdt : float
        Maximal rate of rise, mV/ms.
    t_peak : float
        Time of the peak, ms.
    """

    peak: float
    baseline: float
    amplitude: float
    overshoot: float
    width: float
    max_dvdt: float
    t_peak: float


def action_potential(t, v, t_start: float | None = None, t_stop: float | None = None) -> ActionPotential:
    """Measure the largest action potential of ``v(t)`` inside ``[t_start, t_stop]`` ms.

    The baseline is the potential at ``t_start`` (default: the first sample). Sample the
    trace finely (``simulate(..., dt=0.01)``) for accurate widths.

    Raises
    ------
    ValueError
        If the window holds fewer than three samples or no peak above the baseline.
    """
    t = np.asarray(t, dtype=float)
    v = np.asarray(v, dtype=float)
    sel = np.ones_like(t, dtype=bool)
    if t_start is not None:
        sel &= t >= t_start
    if t_stop is not None:
        sel &= t <= t_stop
    tw, vw = t[sel], v[sel]
    if tw.size < 3:
        raise ValueError("the window [t_start, t_stop] holds fewer than 3 samples")
    base = vw[0]
    k = int(np.argmax(vw))
    peak = vw[k]
    if peak <= base:
        raise ValueError("no action potential: the trace never rises above its starting value")
    half = base + 0.5 * (peak - base)
    up = np.flatnonzero((vw[:k] < half) & (vw[1 : k + 1] >= half))
    down = np.flatnonzero((vw[k:-1] >= half) & (vw[k + 1 :] < half))
    if up.size and down.size:
        i, j = up[-1], k + down[0]
        t_up = tw[i] + (half - vw[i]) / (vw[i + 1] - vw[i]) * (tw[i + 1] - tw[i])
        t_dn = tw[j] + (half - vw[j]) / (vw[j + 1] - vw[j]) * (tw[j + 1] - tw[j])
        width = t_dn - t_up
    else:
        width = float("nan")
    dvdt = np.diff(vw) / np.diff(tw)
    return ActionPotential(
        peak=float(peak), baseline=float(base), amplitude=float(peak - base),
        overshoot=float(peak), width=float(width), max_dvdt=float(np.max(dvdt)), t_peak=float(tw[k]),
    )
