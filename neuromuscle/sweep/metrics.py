"""What a sweep measures at each point: the built-in metrics and how names resolve."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ..analysis import equilibria, resting_state, spontaneous_activity, steady_firing_rate, threshold_current
from ..model import Model

__all__ = ["Metric", "METRICS", "STABILITY_CLASSES", "classify_stability", "resolve_metrics"]

#: Codes of the ``stability`` metric.
STABILITY_CLASSES = {
    0: "quiescent (one stable rest state)",
    1: "bistable (stable rest and other equilibria or a second stable state)",
    2: "no stable equilibrium (oscillates / fires spontaneously)",
    3: "depolarised (only stable state above -50 mV: inexcitable block)",
}


@dataclass(frozen=True)
class Metric:
    """A quantity computed at each sweep point.

    ``func(model, params, context) -> float`` for point metrics; simulation metrics
    (``needs_simulation=True``) get ``func(spike_times, t_end) -> float`` and share one
    batch simulation per chunk.
    """

    func: Callable
    unit: str
    long_name: str
    needs_simulation: bool = False


def classify_stability(model: Model, params) -> int:
    """Stability class of the equilibria (see :data:`STABILITY_CLASSES`)."""
    eqs = equilibria(model, model.parameter_vector(params))
    stable = [e for e in eqs if e.stable]
    if not stable:
        return 2
    if stable[0].v > -50.0:
        return 3
    return 1 if len(eqs) > 1 else 0


def _rest(model, params, ctx):
    return resting_state(model, model.parameter_vector(params)).v


def _rest_stable(model, params, ctx):
    return float(resting_state(model, model.parameter_vector(params)).stable)


def _budget(ctx) -> dict:
    """The sweep's step budget, when one was given, for the simulations a point metric runs."""
    return {"max_steps": ctx["max_steps"]} if ctx.get("max_steps") is not None else {}


def _spontaneous(model, params, ctx):
    return float(spontaneous_activity(model, params, duration=ctx.get("spontaneous_duration", 500.0),
                                      **_budget(ctx)).firing)


def _spontaneous_rate(model, params, ctx):
    return spontaneous_activity(model, params, duration=ctx.get("spontaneous_duration", 500.0), **_budget(ctx)).rate


def _stability(model, params, ctx):
    return float(classify_stability(model, params))


@dataclass(frozen=True)
class _Threshold:
    """Threshold current for a pulse of ``duration`` ms (a class, so it pickles)."""

    duration: float

    def __call__(self, model, params, ctx):
        return threshold_current(model, self.duration, params=params, tol=ctx.get("threshold_tol", 1e-2),
                                 **_budget(ctx)).current


def _n_spikes(spikes, t_end):
    return float(spikes.size)


def _rate(spikes, t_end):
    return steady_firing_rate(spikes, t_end)


def _first_spike(spikes, t_end):
    return float(spikes[0]) if spikes.size else float("nan")


#: Built-in metrics by name. ``"threshold:<d>"`` (any pulse duration d in ms) is also accepted.
METRICS: dict[str, Metric] = {
    "rest": Metric(_rest, "mV", "Resting potential"),
    "rest_stable": Metric(_rest_stable, "1", "Rest state is stable (1) or not (0)"),
    # codes in STABILITY_CLASSES (0 quiescent, 1 bistable, 2 no stable rest, 3 depolarised)
    "stability": Metric(_stability, "1", "Stability class"),
    "spontaneous": Metric(_spontaneous, "1", "Fires spontaneously (1) or not (0)"),
    "spontaneous_rate": Metric(_spontaneous_rate, "Hz", "Spontaneous firing rate"),
    "n_spikes": Metric(_n_spikes, "1", "Spikes during the protocol", needs_simulation=True),
    "rate": Metric(_rate, "Hz", "Sustained firing rate (inverse mean interspike interval)", needs_simulation=True),
    "first_spike": Metric(_first_spike, "ms", "Time of the first spike", needs_simulation=True),
}

_ALLOWED = f"one of {', '.join(sorted(METRICS))}, 'threshold:<pulse ms>' (e.g. threshold:0.1), a Metric or a callable"


def metric(name: str | Metric | Callable) -> Metric:
    """The :class:`Metric` for a name, a :class:`Metric` or a callable (checked)."""
    if isinstance(name, Metric):
        return name
    if callable(name):
        return Metric(name, "", getattr(name, "__name__", "user metric"))
    if not isinstance(name, str):
        raise TypeError(f"metric = {name!r} is not {_ALLOWED}")
    if name in METRICS:
        return METRICS[name]
    if name.startswith("threshold:"):
        text = name.split(":", 1)[1]
        try:
            d = float(text)
        except ValueError:
            d = math.nan
        if not (math.isfinite(d) and d > 0):
            raise ValueError(f"metric = {name!r}: the pulse duration {text!r} must be a number of ms > 0, "
                             "e.g. threshold:0.1")
        return Metric(_Threshold(d), "uA/cm2", f"Threshold current for a {d:g} ms pulse")
    raise ValueError(f"metric = {name!r} is unknown; use {_ALLOWED}")


def metric_name(m, i: int) -> str:
    """The variable name a metric gets in the Dataset (``threshold:0.1`` -> ``threshold_0.1ms``)."""
    if isinstance(m, str):
        return m.replace(":", "_") + "ms" if m.startswith("threshold:") else m
    func = m.func if isinstance(m, Metric) else m
    return getattr(func, "__name__", f"metric{i}")


def resolve_metrics(metrics) -> list[tuple[str, Metric]]:
    """``[(variable name, Metric), ...]``, every entry checked; names must be unique."""
    if isinstance(metrics, (str, Metric)) or callable(metrics):
        metrics = [metrics]
    try:
        metrics = list(metrics)
    except TypeError:
        raise TypeError(f"metrics = {metrics!r} must be a list of metrics ({_ALLOWED})") from None
    if not metrics:
        raise ValueError(f"metrics = []: give at least one metric ({_ALLOWED})")
    out = [(metric_name(m, i), metric(m)) for i, m in enumerate(metrics)]
    names = [n for n, _ in out]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ValueError(f"metrics: {dup} given more than once")
    return out
