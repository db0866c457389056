"""Excitability: threshold currents, rheobase, strength-duration and f-I curves.

Every measure here is obtained by simulating the model from rest, exactly as it would be
measured on a cell: a spike is an upward crossing of ``spike_threshold`` (0 mV by default).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .._validate import check_positive, check_range
from ..model import Model
from ..protocols import Pulse, Step
from ..simulation import simulate
from ..steady import resting_state
from .spikes import action_potential, steady_firing_rate

__all__ = [
    "Threshold", "threshold_current", "rheobase",
    "StrengthDuration", "strength_duration", "FICurve", "fi_curve", "excitability_summary",
]

#: Duration of the "long" pulse used for rheobase, ms. Long enough that the HH threshold
#: no longer changes with duration (the strength-duration curve is flat beyond ~50 ms).
RHEOBASE_DURATION = 200.0


@dataclass(frozen=True)
class Threshold:
    """Threshold current for a square pulse, bracketed by bisection.

    ``current`` is the smallest amplitude found to fire (uA/cm2); ``lower`` the largest
    found not to; the true threshold lies between them.
    """

    current: float
    lower: float
    duration: float
    n_simulations: int

    @property
    def uncertainty(self) -> float:
        return self.current - self.lower


def _fires(model, amplitude, duration, delay, post, params, y0, sim_kw, criterion="spike") -> bool:
    if criterion == "regenerative":
        return pulse_response(model, amplitude, duration, params=params, y0=y0, delay=delay, post=post,
                              **sim_kw).regenerative
    res = simulate(
        model, Pulse(amplitude, delay, duration), delay + duration + post,
        params=params, y0=y0, **sim_kw,
    )
    return res.spike_times.size > 0


def threshold_current(
    model: Model,
    duration: float,
    *,
    params: Mapping[str, float] | None = None,
    tol: float = 1e-3,
    i_max: float = 1e4,
    delay: float = 1.0,
    post: float = 50.0,
    criterion: str = "spike",
    y0=None,
    **sim_kw,
) -> Threshold:
    """Smallest square-pulse current (uA/cm2) that fires one spike, from rest.

    Parameters
    ----------
    model : Model
    duration : float
        Pulse duration, ms.
    params : mapping, optional
        Parameter overrides.
    tol : float
        Relative tolerance: bisection stops when ``(upper - lower) <= tol * upper``.
    i_max : float
        Largest current tried, uA/cm2.
    delay, post : float
        Time at rest before the pulse and observed after it, ms.
    criterion : {"spike", "regenerative"}
        ``"spike"``: an upward crossing of the spike threshold (0 mV by default).
        ``"regenerative"``: the membrane's own current drives the depolarisation
        (:func:`pulse_response`), which also counts action potentials that do not
        overshoot (low Na, depolarised fibres).
    y0 : array_like, optional
        Starting state (default: the resting state).
    **sim_kw
        Passed to :func:`~neuromuscle.simulation.simulate` (method, rtol, ...).

    Raises
    ------
    RuntimeError
        If even ``i_max`` does not fire.
    """
    check_positive("duration", duration, "ms")
    check_range("tol", tol, 1e-9, 0.5)
    if criterion not in ("spike", "regenerative"):
        raise ValueError(f"criterion must be 'spike' or 'regenerative', got {criterion!r}")
    if y0 is None:
        y0 = resting_state(model, model.parameter_vector(params)).y
    lo, hi, n = 0.0, 1.0, 0
    while True:
        n += 1
        if _fires(model, hi, duration, delay, post, params, y0, sim_kw, criterion):
            break
        lo, hi = hi, hi * 2.0
        if hi > i_max:
            raise RuntimeError(
                f"no spike for a {duration} ms pulse up to i_max = {i_max} uA/cm2 "
                "(the model may be inexcitable, e.g. depolarisation block)"
            )
    while hi - lo > tol * hi:
        mid = 0.5 * (lo + hi)
        n += 1
        if _fires(model, mid, duration, delay, post, params, y0, sim_kw, criterion):
            hi = mid
        else:
            lo = mid
    return Threshold(current=hi, lower=lo, duration=float(duration), n_simulations=n)


def rheobase(model: Model, duration: float = RHEOBASE_DURATION, **kw) -> Threshold:
    """Threshold for a long pulse (default :data:`RHEOBASE_DURATION` ms), uA/cm2."""
    return threshold_current(model, duration, **kw)


@dataclass(frozen=True)
class StrengthDuration:
    """A strength-duration curve with Weiss-law summary.

    Attributes
    ----------
    durations, thresholds : ndarray
        Pulse durations (ms) and threshold currents (uA/cm2).
    rheobase : float
        Threshold for a long pulse, uA/cm2.
    chronaxie : float
        Duration at which the threshold is twice the rheobase (log-log interpolation), ms.
    tau_sd : float
        Strength-duration time constant of the Weiss law ``I = I_rh (1 + tau_sd / d)``
        fitted by least squares to ``I * d`` versus ``d``, ms.
    """

    durations: np.ndarray
    thresholds: np.ndarray
    rheobase: float
    chronaxie: float
    tau_sd: float


def strength_duration(
    model: Model, durations: Sequence[float], rheobase_duration: float = RHEOBASE_DURATION, **kw
) -> StrengthDuration:
    """Threshold current at each pulse duration (ms), plus rheobase and chronaxie."""
    durations = np.sort(check_positive("durations", durations, "ms").ravel())
    thr = np.array([threshold_current(model, d, **kw).current for d in durations])
    rh = threshold_current(model, rheobase_duration, **kw).current
    ratio = thr / rh
    chron = float("nan")
    k = np.flatnonzero((ratio[:-1] >= 2.0) & (ratio[1:] < 2.0))
    if k.size:
        i = k[0]
        x0, x1 = np.log(durations[i]), np.log(durations[i + 1])
        y0, y1 = np.log(ratio[i]), np.log(ratio[i + 1])
        chron = float(np.exp(x0 + (np.log(2.0) - y0) * (x1 - x0) / (y1 - y0)))
    # Weiss: charge Q = I d = I_rh d + I_rh tau  -> linear in d
    slope, intercept = np.polyfit(durations, thr * durations, 1)
    return StrengthDuration(durations, thr, rh, chron, float(intercept / slope))


@dataclass(frozen=True)
class FICurve:
    """Firing rate against step current.

    Attributes
    ----------
    currents : ndarray
        Step amplitudes, uA/cm2.
    rates : ndarray
        Sustained firing rate (Hz; 0 if firing stopped), from
        :func:`~neuromuscle.analysis.spikes.steady_firing_rate`.
    n_spikes : ndarray
        Spikes during the step.
    duration : float
        Step duration, ms.
    """

    currents: np.ndarray
    rates: np.ndarray
    n_spikes: np.ndarray
    duration: float
    spike_times: list = field(default_factory=list, repr=False)

    @property
    def onset_current(self) -> float:
        """Smallest current with sustained firing (nan if none)."""
        firing = self.rates > 0
        return float(self.currents[firing][0]) if firing.any() else float("nan")

    @property
    def onset_rate(self) -> float:
        """Rate at the onset current, Hz: non-zero for class II excitability."""
        firing = self.rates > 0
        return float(self.rates[firing][0]) if firing.any() else float("nan")


def fi_curve(
    model: Model,
    currents: Sequence[float],
    duration: float = 1000.0,
    *,
    params: Mapping[str, float] | None = None,
    **sim_kw,
) -> FICurve:
    """Firing rate for current steps of each amplitude, each started from rest."""
    currents = np.asarray(currents, dtype=float)
    check_positive("duration", duration, "ms")
    y0 = resting_state(model, model.parameter_vector(params)).y
    rates, counts, trains = [], [], []
    for amp in currents:
        res = simulate(model, Step(float(amp)), duration, params=params, y0=y0, **sim_kw)
        trains.append(res.spike_times)
        counts.append(res.spike_times.size)
        rates.append(steady_firing_rate(res.spike_times, duration))
    return FICurve(currents, np.array(rates), np.array(counts), float(duration), trains)


def excitability_summary(
    model: Model,
    params: Mapping[str, float] | None = None,
    *,
    pulse_durations: Sequence[float] = (0.1, 1.0),
    test_pulse: tuple[float, float] | None = None,
    tol: float = 1e-2,
    **sim_kw,
) -> dict[str, float]:
    """The standard excitability measures of one condition, as a flat dict of numbers.

    Keys: ``"rest (mV)"``, ``"rest stable"`` (1/0), ``"threshold <d> ms (uA/cm2)"`` for each
    pulse duration (nan if inexcitable up to the bisection limit), and, for the AP evoked by
    ``test_pulse = (amplitude, duration)`` (default: 1.2 x the threshold of the first
    duration, so the stimulus itself adds little to the peak), ``"AP peak (mV)"``,
    ``"AP amplitude (mV)"``, ``"AP width (ms)"``,
    ``"AP max dV/dt (mV/ms)"`` (nan when no AP).
    """
    from .spikes import action_potential

    out: dict[str, float] = {}
    p = model.parameter_vector(params)
    rest = resting_state(model, p)
    out["rest (mV)"] = rest.v
    out["rest stable"] = float(rest.stable)
    first = None
    for d in pulse_durations:
        try:
            th = threshold_current(model, d, params=params, tol=tol, **sim_kw).current
        except RuntimeError:
            th = float("nan")
        out[f"threshold {d:g} ms (uA/cm2)"] = th
        first = th if first is None else first
    if test_pulse is None:
        test_pulse = (1.2 * first, pulse_durations[0]) if first is not None and np.isfinite(first) else None
    keys = ("AP peak (mV)", "AP amplitude (mV)", "AP width (ms)", "AP max dV/dt (mV/ms)")
    if test_pulse is None:
        out.update({k: float("nan") for k in keys})
        return out
    amp, dur = test_pulse
    res = simulate(model, Pulse(amp, 1.0, dur), 1.0 + dur + 20.0, params=params, y0=rest.y, dt=0.002, **sim_kw)
    if res.spike_times.size == 0:
        out.update({k: float("nan") for k in keys})
        return out
    ap = action_potential(res.t, res["V"], t_start=1.0)
    out.update(dict(zip(keys, (ap.peak, ap.peak - rest.v, ap.width, ap.max_dvdt))))
    return out


@dataclass(frozen=True)
class PulseResponse:
    """Response to one square current pulse from a given state.

    Attributes
    ----------
    rest : float
        Potential before the pulse, mV.
    peak : float
        Highest potential after the pulse began, mV (the overshoot when above 0).
    width : float
        Duration at half amplitude, ms (nan if the trace does not come back).
    max_ionic_dvdt : float
        Largest rate of change driven by the membrane's own currents,
        ``dV/dt - I_stim/C_m``, mV/ms (= V/s).
    self_rise : float
        Depolarisation driven by the membrane's own currents: the integral of the positive
        part of ``dV/dt - I_stim/C_m`` while the potential is above its starting value, mV.
        Zero for a passive response (the ionic current
        is outward, restoring, throughout); a few mV for a local response just below
        threshold; most of the amplitude for an action potential.
    regenerative : bool
        ``self_rise > min_rise``: an action potential started, whether or not it
        overshoots.
    trace : SimulationResult
        The simulation, for any other variable.
    """

    rest: float
    peak: float
    width: float
    max_ionic_dvdt: float
    self_rise: float
    regenerative: bool
    trace: object = field(default=None, repr=False)


def pulse_response(
    model: Model,
    amplitude: float,
    duration: float,
    *,
    params: Mapping[str, float] | None = None,
    y0=None,
    delay: float = 1.0,
    post: float = 10.0,
    dt: float = 0.002,
    min_rise: float = 20.0,
    **sim_kw,
) -> PulseResponse:
    """Apply one square pulse (``amplitude`` uA/cm2, ``duration`` ms) from ``y0`` (default:
    rest) and measure the response; see :class:`PulseResponse`. ``min_rise`` (mV) is the
    self-driven depolarisation that counts as regenerative.

    Unlike a 0 mV spike criterion this separates a small action potential (one that does
    not overshoot, as in low Na) from the passive charging by a strong pulse.
    """
    check_positive("duration", duration, "ms")
    res = simulate(model, Pulse(amplitude, delay, duration), delay + duration + post, params=params, y0=y0,
                   dt=dt, **sim_kw)
    t, v = np.asarray(res["t"]), np.asarray(res["V"])
    if "membrane.C_m" not in model.parameter_index:
        raise ValueError(f"pulse_response needs the membrane capacitance 'membrane.C_m'; model {model.name!r} "
                         "has no component named 'membrane'")
    c_m = float(model.parameter_vector(params)[model.parameter_index["membrane.C_m"]])
    stim = np.where((t >= delay) & (t < delay + duration), amplitude, 0.0)
    after = t >= delay
    ionic = (np.gradient(v, t) - stim / c_m)[after]
    # count only depolarisation above the starting potential: the recovery from an
    # after-hyperpolarisation is self-driven too, but it is not excitation
    rise = np.where(v[after] > v[0], np.maximum(ionic, 0.0), 0.0)
    self_rise = float(np.sum(0.5 * (rise[1:] + rise[:-1]) * np.diff(t[after])))
    ap = action_potential(t, v, t_start=delay)
    return PulseResponse(rest=float(v[0]), peak=ap.peak, width=ap.width, max_ionic_dvdt=float(np.max(ionic)),
                         self_rise=self_rise, regenerative=self_rise > min_rise, trace=res)
