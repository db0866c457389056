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
from ..protocols import Pulse, PulseTrain, Step
from ..simulation import simulate
from ..steady import resting_state
from .spikes import action_potential, steady_firing_rate

__all__ = [
    "Threshold", "threshold_current", "rheobase",
    "StrengthDuration", "strength_duration", "FICurve", "fi_curve", "excitability_summary",
    "RefractoryPeriod", "refractory_period",
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
class RefractoryPeriod:
    """Shortest interval between two equal pulses at which the second fires an action
    potential, bracketed by bisection (:func:`refractory_period`).

    ``interval`` (ms, pulse onset to pulse onset) is the shortest interval found to give a
    second spike; ``lower`` the longest found not to; the true value lies between them.
    ``amplitude`` (uA/cm2) and ``duration`` (ms) are those of both pulses.
    """

    interval: float
    lower: float
    amplitude: float
    duration: float
    n_simulations: int

    @property
    def uncertainty(self) -> float:
        return self.interval - self.lower


def refractory_period(
    model: Model,
    amplitude: float,
    duration: float,
    *,
    params: Mapping[str, float] | None = None,
    tol: float = 0.01,
    max_interval: float = 200.0,
    delay: float = 1.0,
    post: float = 20.0,
    min_rise: float = 20.0,
    dt: float = 0.002,
    y0=None,
    **sim_kw,
) -> RefractoryPeriod:
    """Refractory period for a pair of equal square pulses: the shortest interval (ms,
    onset to onset) at which the second pulse fires a second action potential.

    The second response counts as an action potential if it overshoots the spike
    threshold (0 mV by default) *and* is regenerative: the membrane's own currents drive at
    least ``min_rise`` mV of depolarisation above the potential at the second pulse's onset
    (as in :func:`pulse_response`). The second condition keeps a strong pulse that merely
    charges a refractory membrane past 0 mV from counting. At an ``amplitude`` well above
    threshold the result approaches the absolute refractory period; nearer threshold it is
    the relative refractory period at that strength, as measured with paired stimuli.

    Parameters
    ----------
    model : Model
        Must have a component named ``membrane`` with the capacitance ``C_m``.
    amplitude : float
        Pulse amplitude, uA/cm2 (> 0); the first pulse must fire from ``y0``.
    duration : float
        Pulse duration, ms (> 0).
    params : mapping, optional
        Parameter overrides.
    tol : float
        Absolute tolerance, ms: bisection stops when ``interval - lower <= tol``.
    max_interval : float
        Longest interval tried, ms.
    delay, post : float
        Time at rest before the first pulse, and observed after the second, ms.
    min_rise : float
        Self-driven depolarisation (mV) that makes the second response regenerative.
    dt : float
        Output sampling interval of each simulation, ms (the ionic rate of rise is taken
        from the sampled trace).
    y0 : array_like, optional
        Starting state (default: the resting state).
    **sim_kw
        Passed to :func:`~neuromuscle.simulation.simulate` (method, rtol, ...).

    Returns
    -------
    RefractoryPeriod

    Raises
    ------
    ValueError
        If the first pulse alone does not fire an action potential (``amplitude`` below
        threshold), or the model has no ``membrane.C_m``.
    RuntimeError
        If the second pulse does not fire even ``max_interval`` after the first.

    Notes
    -----
    Bisection assumes one switch from "no second action potential" to "second action
    potential" as the interval grows, which holds while excitability recovers monotonically
    after a spike (a supernormal or subnormal period could add further switches).

    In a space-clamped model, use amplitudes up to about twice threshold. A stronger pulse
    charges the membrane most of the way to the overshoot by itself, so the response of a
    partly recovered membrane is not regenerative by the criterion above and the interval
    found can grow with the amplitude. (On a real fibre a strong extracellular stimulus
    starts a propagated action potential instead.)
    """
    amplitude = float(check_positive("amplitude", amplitude, "uA/cm2"))
    duration = float(check_positive("duration", duration, "ms"))
    check_range("tol", tol, 1e-6, 10.0, "ms")
    check_range("max_interval", max_interval, duration, 1e5, "ms", low_inclusive=False)
    check_positive("min_rise", min_rise, "mV")
    check_positive("dt", dt, "ms")
    c_m = _capacitance(model, params)
    if y0 is None:
        y0 = resting_state(model, model.parameter_vector(params)).y
    threshold = sim_kw.get("spike_threshold", 0.0)
    counter = [0]

    def response(interval: float | None) -> tuple[bool, bool]:
        """Whether the last pulse (the only one if ``interval`` is None) gives a spike, and
        whether that response is regenerative."""
        counter[0] += 1
        onset = delay if interval is None else delay + interval
        protocol = (Pulse(amplitude, delay, duration) if interval is None
                    else PulseTrain(amplitude, delay, duration, 1000.0 / interval, 2))
        res = simulate(model, protocol, onset + duration + post, params=params, y0=y0, dt=dt, **sim_kw)
        t, v = np.asarray(res["t"]), np.asarray(res[model.label("membrane_potential", default="V")])
        spikes = np.asarray(res.spike_times)
        n_before = 0 if interval is None else 1  # the first pulse's own spike
        if not np.any(spikes[n_before:] >= onset):
            return False, False
        # judge the last response from its onset, or from the end of the first spike if that
        # spike is still above threshold then: its upstroke is not the second response's
        k = int(np.searchsorted(t, onset))
        if n_before:
            i1 = int(np.searchsorted(t, spikes[0]))
            k = max(k, i1 + int(np.argmax(v[i1:] < threshold)))  # it fell below: a second spike followed
        stim = np.where((t >= onset) & (t < onset + duration), amplitude, 0.0)
        return True, _self_rise(t[k:], v[k:], stim[k:], c_m) > min_rise

    def fires(interval: float) -> bool:
        return all(response(interval))

    spiked, regenerative = response(None)
    if not (spiked and regenerative):
        why = (f"the pulse itself charges the membrane past {threshold:g} mV (its own currents add less than "
               f"min_rise = {min_rise:g} mV): use a weaker pulse, up to about twice threshold" if spiked
               else "it is below threshold")
        raise ValueError(f"amplitude = {amplitude:g} uA/cm2 with a {duration:g} ms pulse does not fire an action "
                         f"potential from the start state: {why}")
    if not fires(max_interval):
        raise RuntimeError(f"no second action potential with the pulses max_interval = {max_interval:g} ms apart")
    # the pulses must not overlap: the shortest interval tried is just above the duration
    lo, hi = duration * (1.0 + 1e-9), float(max_interval)
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if fires(mid):
            hi = mid
        else:
            lo = mid
    return RefractoryPeriod(interval=hi, lower=lo, amplitude=amplitude, duration=duration,
                            n_simulations=counter[0])


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
    ap = action_potential(res.t, res[model.label("membrane_potential", default="V")], t_start=1.0)
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
    t, v = np.asarray(res["t"]), np.asarray(res[model.label("membrane_potential", default="V")])
    c_m = _capacitance(model, params, "pulse_response")
    stim = np.where((t >= delay) & (t < delay + duration), amplitude, 0.0)
    after = t >= delay
    ionic = (np.gradient(v, t) - stim / c_m)[after]
    self_rise = _self_rise(t[after], v[after], stim[after], c_m)
    ap = action_potential(t, v, t_start=delay)
    return PulseResponse(rest=float(v[0]), peak=ap.peak, width=ap.width, max_ionic_dvdt=float(np.max(ionic)),
                         self_rise=self_rise, regenerative=self_rise > min_rise, trace=res)


def _capacitance(model: Model, params, who: str = "refractory_period") -> float:
    """The membrane capacitance ``membrane.C_m``, uF/cm2, or a ValueError naming ``who``."""
    if "membrane.C_m" not in model.parameter_index:
        raise ValueError(f"{who} needs the membrane capacitance 'membrane.C_m'; model {model.name!r} "
                         "has no component named 'membrane'")
    return float(model.parameter_vector(params)[model.parameter_index["membrane.C_m"]])


def _self_rise(t: np.ndarray, v: np.ndarray, stim: np.ndarray, c_m: float) -> float:
    """Depolarisation (mV) driven by the membrane's own currents, ``dV/dt - I_stim/C_m``,
    while ``v`` is above its first sample (``t``, ``v``, ``stim`` start at the pulse)."""
    ionic = np.gradient(v, t) - stim / c_m
    # count only depolarisation above the starting potential: the recovery from an
    # after-hyperpolarisation is self-driven too, but it is not excitation
    rise = np.where(v > v[0], np.maximum(ionic, 0.0), 0.0)
    return float(np.sum(0.5 * (rise[1:] + rise[:-1]) * np.diff(t)))
