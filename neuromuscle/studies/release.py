"""SR Ca release per action potential of a train."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .contraction import _RELEASE_WINDOW_MS, _SAMPLE_MS, _released


@dataclass
class ReleaseTrain:
    """SR Ca released by each action potential of a train (:func:`release_per_action_potential`).

    Attributes
    ----------
    released : numpy.ndarray
        Ca released per AP, uM (per volume of myoplasm): the release flux above its resting
        value, integrated from each stimulus to the next (the last to the end of the run).
    fraction : numpy.ndarray
        ``released`` relative to the first AP's.
    spikes : int
        Action potentials fired (surface potential crossing 0 mV upwards); fewer than the
        stimuli means some failed.
    record : SimulationResult
        The run.
    """

    released: np.ndarray
    fraction: np.ndarray
    spikes: int
    record: object


def release_per_action_potential(model, amplitude: float, *, n: int = 2, interval_ms: float = 50.0,
                                 pulse_ms: float = 0.5, after_ms: float = _RELEASE_WINDOW_MS, y0=None,
                                 rtol: float = 1e-7, atol: float = 1e-10, dt: float = _SAMPLE_MS) -> ReleaseTrain:
    """SR Ca released by each of ``n`` stimuli ``interval_ms`` apart in a
    :func:`~neuromuscle.muscle_ec` model: the measure of release inactivation that Baylor &
    Hollingworth (2007) infer from two-AP and train protocols.

    ``amplitude`` is the pulse, uA/cm2; ``y0`` the start state (default: rest); ``dt`` the
    output sampling interval (ms) on which the release flux is integrated.
    """
    from ..analysis import resting_state
    from ..protocols import PulseTrain
    from ..simulation import simulate

    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    y0 = resting_state(model).y if y0 is None else np.asarray(y0, dtype=float)
    start = 5.0
    t_end = start + (n - 1) * interval_ms + after_ms
    run = simulate(model, PulseTrain(amplitude, start, pulse_ms, 1000.0 / interval_ms, n), t_end, y0=y0,
                   rtol=rtol, atol=atol, dt=dt)
    edges = [start + k * interval_ms for k in range(n)] + [t_end]
    released = _released(np.asarray(run["t"]), 1e3 * np.asarray(run["ca_release_flux"]), edges)
    return ReleaseTrain(released, released / released[0], len(run.spike_times), run)
