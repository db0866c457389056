"""Conduction along a multi-node axon: arrival times at the nodes and conduction velocity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..model import Model
from ..protocols import Pulse
from ..simulation import simulate

__all__ = ["Conduction", "conduction", "conduction_velocity", "node_positions", "crossing_times"]


def node_positions(model: Model) -> np.ndarray:
    """Positions of the nodes' centres along the axon, m (first node at 0).

    Needs a cable model that declares ``node_compartments`` and ``compartment_length_cm``
    (as :func:`~neuromuscle.motor_axon_myelinated` does).
    """
    _require_cable(model)
    L = np.asarray(model.compartment_length_cm) * 1e-2  # m
    centres = np.cumsum(L) - L / 2
    pos = centres[np.asarray(model.node_compartments)]
    return pos - pos[0]


def _require_cable(model: Model) -> None:
    missing = [a for a in ("node_compartments", "compartment_length_cm") if not hasattr(model, a)]
    if missing or "V" not in getattr(model, "array_states", {}):
        raise TypeError(f"model {model.name!r} is not a multi-node axon (it lacks {missing or ['an array V']}); "
                        "conduction needs a cable such as neuromuscle.motor_axon_myelinated()")


def crossing_times(t: np.ndarray, v: np.ndarray, level: float = 0.0, after: float = -np.inf) -> np.ndarray:
    """Times of upward crossings of ``level`` by ``v(t)`` after ``after``, linearly interpolated, ms."""
    t, v = np.asarray(t), np.asarray(v)
    k = np.flatnonzero((v[:-1] < level) & (v[1:] >= level))
    tc = t[k] + (level - v[k]) * (t[k + 1] - t[k]) / (v[k + 1] - v[k])
    return tc[tc > after]


@dataclass(frozen=True)
class Conduction:
    """Result of :func:`conduction`.

    Attributes
    ----------
    velocity : float
        Conduction velocity, m/s (least-squares slope of position against arrival time over
        the nodes used).
    nodes : ndarray of int
        Nodes used (at least two nodes away from the stimulus and the ends).
    arrival : ndarray
        Arrival time (upward 0 mV crossing) at each node used, ms.
    position : ndarray
        Their positions, m.
    """

    velocity: float
    nodes: np.ndarray
    arrival: np.ndarray
    position: np.ndarray


def conduction(
    model: Model,
    params: Mapping[str, float] | None = None,
    *,
    amplitude_nA: float = 5.0,
    duration: float = 0.1,
    t_end: float = 3.0,
    y0=None,
    **sim_kw,
) -> Conduction:
    """Stimulate the model's stimulus node and time the action potential along the axon.

    Parameters
    ----------
    model : Model
        A multi-node axon (see :func:`node_positions`).
    params : mapping, optional
        Parameter overrides.
    amplitude_nA, duration : float
        Stimulus, nA and ms (applied at 0.2 ms); default 5 nA for 0.1 ms, several times the
        threshold of the default axon.
    t_end : float
        Run length, ms.
    **sim_kw
        Passed to :func:`~neuromuscle.simulate` (default: LSODA on the NumPy equations, output
        every 2 us).

    Raises
    ------
    RuntimeError
        If fewer than two nodes are reached by the action potential.
    """
    _require_cable(model)
    sim_kw.setdefault("engine", "scipy")
    sim_kw.setdefault("method", "LSODA")
    sim_kw.setdefault("dt", 0.002)
    density = amplitude_nA * 1e-3 / model.stim_area_cm2  # nA -> uA, per cm2 of the stimulated node
    res = simulate(model, Pulse(density, 0.2, duration), t_end, params=params, y0=y0, **sim_kw)
    n = len(model.node_compartments)
    s = model.stim_node
    # away from the stimulus (initiation) and from the sealed ends, on the longer side
    side = range(s + 2, n - 2) if n - s > s else range(s - 2, 1, -1)
    nodes, arrival = [], []
    a, b, c = model.array_states["V"]
    for i in side:
        tc = crossing_times(res.t, res.y[a + c * int(model.node_compartments[i])], after=0.2)
        if tc.size:
            nodes.append(i)
            arrival.append(tc[0])
    if len(nodes) < 2:
        raise RuntimeError(f"the action potential reached {len(nodes)} node(s) of {list(side)}; need >= 2 "
                           f"(stimulus {amplitude_nA} nA for {duration} ms)")
    pos = node_positions(model)[nodes]
    arrival = np.asarray(arrival)
    slope = np.polyfit(arrival, pos, 1)[0]  # m per ms
    return Conduction(velocity=float(abs(slope) * 1e3), nodes=np.asarray(nodes), arrival=arrival, position=pos)


def conduction_velocity(model: Model, params: Mapping[str, float] | None = None, **kw) -> float:
    """Conduction velocity of a multi-node axon, m/s (see :func:`conduction`)."""
    return conduction(model, params, **kw).velocity
