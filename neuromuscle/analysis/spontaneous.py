"""Spontaneous firing: does the membrane fire with no stimulus, and at what electrolyte
level does it start?

Criterion (stated once, used everywhere): the resting state is displaced by ``kick`` mV
(V only; every other state stays at rest) and the model runs with no stimulus for
``duration`` ms. It *fires spontaneously* if at least ``min_spikes`` spikes (upward 0 mV
crossings) fall in the second half of the run. A stable rest state absorbs a small kick;
an unstable one (or one that sits on the edge of a firing regime) lets it grow into
sustained firing, the way thermal channel noise would in a real axon. Where the model
has no stable equilibrium, it starts from its most negative equilibrium.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .._validate import check_positive
from ..model import Model
from ..simulation import simulate
from ..steady import Equilibrium, equilibria

__all__ = ["SpontaneousActivity", "spontaneous_activity", "FiringOnset", "firing_onset", "stability_onset"]


@dataclass(frozen=True)
class SpontaneousActivity:
    """Result of :func:`spontaneous_activity`.

    Attributes
    ----------
    firing : bool
        Whether the criterion for spontaneous firing is met.
    rate : float
        Spike rate in the second half of the run, Hz.
    n_spikes : int
        Spikes in the whole run.
    rest_stable : bool
        Whether a stable equilibrium exists (False: the rest state is unstable or absent).
    v_rest : float
        Potential of the equilibrium started from, mV (nan if none was found).
    equilibria : list of Equilibrium
    """

    firing: bool
    rate: float
    n_spikes: int
    rest_stable: bool
    v_rest: float
    equilibria: list = field(default_factory=list, repr=False)


def spontaneous_activity(
    model: Model,
    params: Mapping[str, float] | None = None,
    *,
    duration: float = 1000.0,
    kick: float = 1.0,
    min_spikes: int = 2,
    **sim_kw,
) -> SpontaneousActivity:
    """Apply the module's criterion for spontaneous firing (see the module docstring).

    Parameters
    ----------
    model : Model
    params : mapping, optional
        Parameter overrides.
    duration : float
        Length of the run, ms.
    kick : float
        Initial displacement of V from rest, mV.
    min_spikes : int
        Spikes required in the second half of the run.
    **sim_kw
        Passed to :func:`~neuromuscle.simulation.simulate`.
    """
    check_positive("duration", duration, "ms")
    p = model.parameter_vector(params)
    i_v = model.state_index[model.label("membrane_potential", default="V")]
    eqs: list[Equilibrium] = equilibria(model, p)
    stable = [e for e in eqs if e.stable]
    start = (stable or eqs or [None])[0]
    if start is None:
        y0 = model.quasi_steady_state(model.initial_state[i_v], p)
        v_rest = float("nan")
    else:
        y0 = start.y.copy()
        v_rest = start.v
    y0[i_v] += kick
    res = simulate(model, None, duration, params=params, y0=y0, **sim_kw)
    late = res.spike_times[res.spike_times >= duration / 2]
    return SpontaneousActivity(
        firing=late.size >= min_spikes,
        rate=1000.0 * late.size / (duration / 2),
        n_spikes=int(res.spike_times.size),
        rest_stable=bool(stable),
        v_rest=v_rest,
        equilibria=eqs,
    )


@dataclass(frozen=True)
class FiringOnset:
    """Level of a control variable at which spontaneous firing begins.

    ``level`` is the bracket end nearer the quiescent side, within ``tol`` of the switch;
    nan if firing does not change within the searched range (``message`` says which way).
    """

    level: float
    bracket: tuple[float, float]
    firing_at_low: bool
    n_evaluations: int
    message: str = ""


def _bisect_switch(
    predicate: Callable[[float], bool], low: float, high: float, tol: float, n_scan: int = 9, start: str = "high"
) -> FiringOnset:
    """Find where ``predicate`` first changes value, walking from the ``start`` end of
    ``[low, high]`` over ``n_scan`` grid points, then bisecting that interval to ``tol``.

    The scan makes the search safe when the behaviour is not monotonic over the whole
    range (quiescent -> firing -> depolarisation block, for example): the switch nearest
    the ``start`` end is the one reported.
    """
    if not high > low:
        raise ValueError(f"high = {high} must be greater than low = {low}")
    if start not in ("low", "high"):
        raise ValueError(f"start must be 'low' or 'high', got {start!r}")
    check_positive("tol", tol)
    grid = np.linspace(low, high, max(int(n_scan), 2))
    if start == "high":
        grid = grid[::-1]
    values = [predicate(grid[0])]
    n = 1
    for a, b in zip(grid[:-1], grid[1:]):  # noqa: B007 (a, b are used after the loop)
        values.append(predicate(b))
        n += 1
        if values[-1] != values[-2]:
            break
    else:
        state = "fires" if values[0] else "is quiescent"
        return FiringOnset(float("nan"), (low, high), bool(values[0]), n,
                           f"the model {state} at every level scanned in [{low}, {high}]")
    # the switch lies between grid points a (value values[-2]) and b (value values[-1])
    lo, hi, f_lo = (b, a, values[-1]) if start == "high" else (a, b, values[-2])
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        n += 1
        if predicate(mid) == f_lo:
            lo = mid
        else:
            hi = mid
    return FiringOnset(float(hi if f_lo else lo), (float(lo), float(hi)), bool(f_lo), n, "")


def _built(make_model, level):
    built = make_model(level)
    return built if isinstance(built, tuple) else (built, None)


def firing_onset(
    make_model: Callable[[float], tuple[Model, Mapping[str, float] | None] | Model],
    low: float,
    high: float,
    *,
    tol: float = 0.01,
    n_scan: int = 9,
    start: str = "high",
    **kw,
) -> FiringOnset:
    """Bisection for the level (of any electrolyte or parameter) where spontaneous firing starts.

    Parameters
    ----------
    make_model : callable
        ``make_model(level)`` returns a model (or ``(model, params)``) for that level, e.g.
        ``lambda ca: motor_axon(normal.replace(ca=ca))``.
    low, high : float
        Range searched. If firing never changes over the scan, ``level`` is nan and
        ``message`` says so.
    tol : float
        Absolute tolerance on the level (in the level's unit).
    n_scan, start :
        The range is first scanned at ``n_scan`` levels from the ``start`` end ("high" or
        "low", typically the normal side) and the first change is bisected.
    **kw
        Passed to :func:`spontaneous_activity`.
    """
    return _bisect_switch(
        lambda x: spontaneous_activity(*_built(make_model, x), **kw).firing, low, high, tol, n_scan, start
    )


def stability_onset(
    make_model: Callable[[float], tuple[Model, Mapping[str, float] | None] | Model],
    low: float,
    high: float,
    *,
    tol: float = 0.01,
    n_scan: int = 9,
    start: str = "high",
) -> FiringOnset:
    """Bisection for the level where the resting state stops (or starts) being stable.

    ``firing_at_low`` in the result means "no stable rest at ``low``". Faster than
    :func:`firing_onset` (no simulation), and it finds where quiescence ends even when
    the membrane then goes into depolarisation block instead of firing.
    """

    def unstable(x):
        model, params = _built(make_model, x)
        return not any(e.stable for e in equilibria(model, model.parameter_vector(params)))

    return _bisect_switch(unstable, low, high, tol, n_scan, start)
