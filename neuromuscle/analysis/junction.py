"""Neuromuscular transmission: quantal content, safety factor, the Mg that blocks
transmission, and the readouts of a nerve-to-force run.

All measures are read off simulations of :func:`~neuromuscle.nerve_muscle` models, as
they would be measured on a nerve-muscle preparation: the nerve is stimulated with a
supramaximal pulse (:data:`NERVE_STIMULUS`), quanta are counted at the terminal, the
end-plate potential is recorded with the fibre's Na channels blocked (as with
mu-conotoxin), and transmission means a muscle action potential (upward crossing of
0 mV by the fibre's surface potential).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from ..electrolytes import Electrolytes, model_parameters
from ..model import Model
from ..protocols import Protocol, Pulse

__all__ = [
    "NERVE_STIMULUS", "QuantalContent", "quantal_content", "SafetyFactor", "safety_factor", "QuantalSize",
    "quantal_size",
    "transmits", "blocking_magnesium", "log_log_slope", "ChainResponse", "nerve_to_force",
]

#: Nerve stimulus (amplitude uA/cm2, duration ms, start ms): about 3 times the motor-axon
#: node's threshold for a 0.1 ms pulse in normal plasma at 37 C (1554 uA/cm2, tested), so
#: the axon fires in every condition studied.
NERVE_STIMULUS = (5000.0, 0.1, 1.0)
#: Time recorded after the nerve stimulus for one end-plate response, ms.
_RECORD_MS = 12.0


def _electrolytes(e, celsius):
    if isinstance(e, str):
        e = Electrolytes.preset(e)
    e = e or Electrolytes.preset("normal")
    if celsius is not None and celsius != e.celsius:
        e = e.replace(celsius=float(celsius))
    return e


def _pulse(stimulus) -> Protocol:
    amp, dur, start = stimulus
    return Pulse(amp, start, dur)


@functools.lru_cache(maxsize=8)
def _terminal_model() -> Model:
    from ..models.nerve_muscle import nerve_muscle

    return nerve_muscle(muscle=None)


@functools.lru_cache(maxsize=8)
def _junction_model() -> Model:
    """Axon, junction and the fibre membrane (no Ca system): what transmission needs."""
    from ..models.muscle_fibre import muscle_fibre
    from ..models.nerve_muscle import nerve_muscle

    return nerve_muscle(muscle=muscle_fibre)


def _run(model: Model, params: dict, stimulus, t_end: float, **kw):
    from ..simulation import simulate
    from ..steady import resting_state

    p = model.parameter_vector(params)
    y0 = resting_state(model, p).y
    return simulate(model, _pulse(stimulus), t_end, params=params, y0=y0, dt=kw.pop("dt", 0.01), **kw)


def _axon_spikes(t, v, threshold: float = 0.0) -> np.ndarray:
    v = np.asarray(v)
    k = np.flatnonzero((v[:-1] < threshold) & (v[1:] >= threshold))
    return np.asarray(t)[k + 1]


@dataclass(frozen=True)
class QuantalContent:
    """Quanta released by one nerve impulse (:func:`quantal_content`).

    ``mean`` is the deterministic model's release; ``samples`` (if asked for) are quantal
    contents drawn as binomial counts of the available pool with the release probability
    ``mean / pool`` (seeded), the variability a recording of successive impulses shows.
    """

    mean: float
    axon_fired: bool
    axon_spikes: int
    pool: float
    samples: np.ndarray | None
    electrolytes: Electrolytes

    @property
    def failure_fraction(self) -> float:
        """Fraction of the samples with no quantum released (nan without samples)."""
        return float(np.mean(self.samples == 0)) if self.samples is not None else math.nan


def quantal_content(electrolytes: Electrolytes | str | None = None, celsius: float | None = None, *,
                    model: Model | None = None, params: dict | None = None, n_trials: int | None = None,
                    seed: int | None = None, stimulus=NERVE_STIMULUS) -> QuantalContent:
    """Mean number of quanta one supramaximal nerve stimulus releases (over all the action
    potentials the axon fires to it: ``axon_spikes`` says how many).

    Parameters
    ----------
    electrolytes : Electrolytes or str, optional
        The ionic environment (default normal plasma); Ca_o and Mg_o act at the release
        site, all ions on the axon's action potential.
    celsius : float, optional
        Temperature, C (default the electrolytes').
    model : Model, optional
        A :func:`~neuromuscle.nerve_muscle` model (any muscle end, or ``muscle=None``);
        default the axon and terminal alone. Its electrolytes are replaced by the ones
        given.
    params : dict, optional
        Further parameter overrides (e.g. ``{"nmj.K_Mg": 2.0}``).
    n_trials, seed : int, optional
        Draw ``n_trials`` stochastic quantal contents (binomial, seeded).
    stimulus : (amplitude, duration, start)
        Nerve stimulus, uA/cm2, ms, ms.

    Returns
    -------
    QuantalContent
    """
    e = _electrolytes(electrolytes, celsius)
    model = model or _terminal_model()
    par = {**model_parameters(model, e), **(params or {})}
    run = _run(model, par, stimulus, stimulus[2] + stimulus[1] + 8.0)
    q = np.asarray(run[model.label("quanta_released")])
    n_spikes = len(_axon_spikes(run.t, run[model.label("axon_potential")]))
    fired = n_spikes > 0
    mean = float(q[-1] - q[0])
    pool = float(model.parameter_vector(par)[model.parameter_index["nmj.N_pool"]])
    samples = None
    if n_trials is not None:
        if n_trials < 1:
            raise ValueError(f"n_trials = {n_trials} must be at least 1")
        rng = np.random.default_rng(seed)
        n = int(round(pool))
        samples = rng.binomial(n, min(mean / n, 1.0), size=int(n_trials))
    return QuantalContent(mean, fired, n_spikes, pool, samples, e)


def transmits(model: Model, params: dict | None = None, stimulus=NERVE_STIMULUS) -> bool:
    """Whether one nerve stimulus gives a muscle action potential in ``model`` (a
    :func:`~neuromuscle.nerve_muscle` model with a muscle)."""
    run = _run(model, dict(params or {}), stimulus, stimulus[2] + _RECORD_MS)
    return bool(len(run.spike_times))


@dataclass(frozen=True)
class SafetyFactor:
    """Safety factor of neuromuscular transmission (:func:`safety_factor`).

    Attributes
    ----------
    value : float
        Ruff's (2011) safety factor: end-plate potential amplitude over the depolarisation
        needed to trigger an action potential, ``EPP / (E_AP - E_rest)``.
    quantal : float
        Quantal content over the threshold quantal content, ``m / m_threshold``.
    epp, epp_threshold : float
        EPP amplitude (mV) with the fibre's Na channels blocked, for the normal release and
        for the smallest release that fires the fibre (this is ``E_AP - E_rest``).
    m, m_threshold : float
        Quantal contents of the normal and of the threshold release.
    v_rest : float
        Fibre resting potential, mV.
    """

    value: float
    quantal: float
    epp: float
    epp_threshold: float
    m: float
    m_threshold: float
    v_rest: float
    electrolytes: Electrolytes | None = None
    definition: str = ("Ruff 2011 Muscle Nerve 44:854: EPP amplitude / (E_AP - E_rest), E_AP - E_rest read as the "
                       "EPP (Na channels blocked) of the smallest release that fires the fibre")


def _epp(model, par, stimulus):
    from ..models.nerve_muscle import na_block

    run = _run(model, {**par, **na_block(model)}, stimulus, stimulus[2] + _RECORD_MS)
    v = np.asarray(run[model.label("membrane_potential")])  # the fibre's
    q = np.asarray(run[model.label("quanta_released")])
    return float(v.max() - v[0]), float(q[-1] - q[0]), float(v[0])


def safety_factor(model_or_electrolytes: Model | Electrolytes | str | None = None, celsius: float | None = None, *,
                  params: dict | None = None, stimulus=NERVE_STIMULUS, rtol: float = 0.01) -> SafetyFactor:
    """Safety factor of transmission (Ruff 2011's definition) and its quantal form.

    Parameters
    ----------
    model_or_electrolytes : Model, Electrolytes or str, optional
        A :func:`~neuromuscle.nerve_muscle` model with a muscle (its parameters as they
        are), or electrolytes (then the axon, junction and fibre membrane without the Ca
        system, which does not act on the membrane within milliseconds).
    celsius : float, optional
        Temperature, C (with electrolytes; default theirs).
    params : dict, optional
        Parameter overrides.
    stimulus : (amplitude, duration, start)
        Nerve stimulus.
    rtol : float
        Relative tolerance of the threshold release (bisection on the release rate).

    Returns
    -------
    SafetyFactor
    """
    if isinstance(model_or_electrolytes, Model):
        model, e = model_or_electrolytes, None
        par = dict(params or {})
        if celsius is not None:
            raise ValueError("celsius is taken from the model; give electrolytes to set it")
    else:
        e = _electrolytes(model_or_electrolytes, celsius)
        model = _junction_model()
        par = {**model_parameters(model, e), **(params or {})}
    if model.muscle is None:
        raise ValueError("safety_factor needs a nerve_muscle model with a muscle")
    k0 = float(model.parameter_vector(par)[model.parameter_index["nmj.k_rel"]])
    epp, m, v_rest = _epp(model, par, stimulus)

    def fires(scale):
        return transmits(model, {**par, "nmj.k_rel": k0 * scale}, stimulus)

    lo, hi = 0.0, 1.0
    while fires(hi) is False:
        lo, hi = hi, hi * 4.0
        if hi > 1e4:
            raise RuntimeError("no release up to 1e4 times the normal one fires the fibre")
    if lo == 0.0:
        lo = hi / 4.0
        while fires(lo):
            hi, lo = lo, lo / 4.0
            if lo < 1e-6:
                raise RuntimeError("the fibre fires with almost no release: check its resting state")
    while hi - lo > rtol * hi:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if fires(mid) else (mid, hi)
    epp_thr, m_thr, _ = _epp(model, {**par, "nmj.k_rel": k0 * hi}, stimulus)
    return SafetyFactor(epp / epp_thr, m / m_thr, epp, epp_thr, m, m_thr, v_rest, e)


@dataclass(frozen=True)
class QuantalSize:
    """The response of the model fibre to one quantum (:func:`quantal_size`).

    Attributes
    ----------
    mepp : float
        Miniature end-plate potential, mV (peak depolarisation per quantum, fibre Na channels
        blocked, read off a release of about one quantum: in the linear range).
    mepc : float
        Peak miniature end-plate current at the resting potential, nA (inward positive here).
    charge : float
        Charge one quantum carries into the fibre at rest, pC.
    conductance : float
        Peak conductance per quantum at this temperature, nS.
    area : float
        Fibre area the end-plate current charges (``endplate.A_fibre``), cm2.
    """

    mepp: float
    mepc: float
    charge: float
    conductance: float
    area: float
    electrolytes: Electrolytes | None = None


def quantal_size(model_or_electrolytes: Model | Electrolytes | str | None = None, celsius: float | None = None, *,
                 params: dict | None = None, stimulus=NERVE_STIMULUS) -> QuantalSize:
    """Miniature end-plate potential and current of the model fibre.

    One quantum is put into the end-plate's transmitter state at rest (the nerve silent,
    the fibre's Na channels blocked, as when miniature potentials are recorded from a
    fibre that does not fire): the peak depolarisation, the peak current and its charge.
    Arguments as for :func:`safety_factor`.
    """
    if isinstance(model_or_electrolytes, Model):
        model, e, par = model_or_electrolytes, None, dict(params or {})
    else:
        e = _electrolytes(model_or_electrolytes, celsius)
        model = _junction_model()
        par = {**model_parameters(model, e), **(params or {})}
    if model.muscle is None:
        raise ValueError("quantal_size needs a nerve_muscle model with a muscle")
    from ..models.nerve_muscle import na_block, one_quantum

    run = one_quantum(model, par, _RECORD_MS)
    pv = model.parameter_vector({**par, **na_block(model), "nmj.k_rel": 0.0})
    t = np.asarray(run.t)
    v = np.asarray(run[model.label("membrane_potential")])
    i_na = np.asarray(run[model.label("endplate_current")])
    area = float(model.full_parameters(pv)[model.parameter_index[model.label("endplate_fibre_area")]])
    g_peak = float(np.max(np.asarray(run[model.label("endplate_conductance")]))) * area * 1e6  # mS/cm2 x cm2 -> nS
    # nA x ms = pC
    return QuantalSize(float(v.max() - v[0]), float(-i_na.min()), float(-np.trapezoid(i_na, t)), g_peak, area, e)


def blocking_magnesium(electrolytes: Electrolytes | str | None = None, celsius: float | None = None, *,
                       params: dict | None = None, mg_range=(0.5, 40.0), rtol: float = 0.02,
                       stimulus=NERVE_STIMULUS) -> float:
    """The extracellular Mg (mM) above which one nerve stimulus no longer fires the fibre.

    Mg acts at the release site (competing with Ca) and, through the surface charge, on the
    axon's and the fibre's gating; all three are in. Bisection on log Mg in ``mg_range``.
    Returns nan if transmission fails (or survives) across the whole range.
    """
    e = _electrolytes(electrolytes, celsius)
    model = _junction_model()
    extra = dict(params or {})

    def ok(mg):
        bath = e.replace(mg=float(mg), physiological=False)
        return transmits(model, {**model_parameters(model, bath), **extra}, stimulus)

    lo, hi = map(float, mg_range)
    if not ok(lo) or ok(hi):
        return math.nan
    while hi - lo > rtol * hi:
        mid = math.sqrt(lo * hi)
        lo, hi = (mid, hi) if ok(mid) else (lo, mid)
    return math.sqrt(lo * hi)


def log_log_slope(ca, m) -> float:
    """Least-squares slope of log(quantal content) against log(Ca)."""
    return float(np.polyfit(np.log(np.asarray(ca, float)), np.log(np.asarray(m, float)), 1)[0])


@dataclass
class ChainResponse:
    """Readouts of a nerve-to-force run (:func:`nerve_to_force`).

    Force is the muscle model's force output (force-bearing crossbridges per regulatory
    unit, relative units) above its resting value.
    """

    t: np.ndarray
    force: np.ndarray
    axon_spikes: np.ndarray
    muscle_spikes: np.ndarray
    quanta: np.ndarray
    peak_force: float
    fused_force: float
    half_relaxation: float
    failures: int
    result: object = field(repr=False, default=None)

    @property
    def transmitted(self) -> int:
        return len(self.axon_spikes) - self.failures


def nerve_to_force(model: Model, protocol: Protocol | None, t_end: float, *, y0=None, params=None,
                   dt: float = 0.05, last_interval: float | None = None, **sim_kw) -> ChainResponse:
    """Run a :func:`~neuromuscle.nerve_muscle` model and read force, relaxation and failures.

    Parameters
    ----------
    model : Model
        With a muscle that has force (default :func:`~neuromuscle.muscle_ec`).
    protocol : Protocol or None
        Current applied to the axon (None: spontaneous activity only).
    t_end : float
        Duration, ms.
    y0 : array, optional
        Start state (default rest).
    params : dict, optional
        Parameter overrides.
    dt : float
        Output sampling, ms (spikes of the axon are read from this grid).
    last_interval : float, optional
        For a train: its period, ms; the fused force is then the lowest force over the last
        period before the last stimulus (the trough an unfused tetanus returns to). Default:
        the lowest force between the last two axon spikes.

    Returns
    -------
    ChainResponse
        ``failures``: axon spikes not followed by a muscle action potential within 8 ms.
        ``half_relaxation``: time from the force peak after the last muscle action potential
        to half of it, ms (nan if force does not fall to half before the end).
    """
    from ..simulation import simulate
    from .transients import transient_metrics

    if model.force is None:
        raise ValueError(f"model {model.name!r} has no force output")
    run = simulate(model, protocol, t_end, params=params, y0=y0, dt=dt, **sim_kw)
    t = np.asarray(run.t)
    f = np.asarray(run[model.force])
    f = f - f[0]
    ax = _axon_spikes(t, run[model.label("axon_potential")])
    mus = np.asarray(run.spike_times)
    failures = sum(1 for s in ax if not np.any((mus >= s) & (mus <= s + 8.0)))
    q = np.asarray(run[model.label("quanta_released")])
    quanta = np.array([q[np.searchsorted(t, s + 3.0) - 1] - q[np.searchsorted(t, s - 0.5)]
                       for s in ax]) if len(ax) else np.empty(0)
    peak = float(f.max())
    fused = math.nan
    if len(ax) >= 2:
        a = ax[-1] - (last_interval if last_interval else ax[-1] - ax[-2])
        seg = (t >= a) & (t <= ax[-1])
        fused = float(f[seg].min()) if np.any(seg) else math.nan
    half = math.nan
    # relaxation after the last transmitted impulse (a failed last impulse adds no force)
    last = mus[-1] if len(mus) else (ax[-1] if len(ax) else None)
    if last is not None:
        after = t >= last
        if np.any(after) and f[after].max() > 0:
            m = transient_metrics(t[after], f[after], baseline=0.0)
            half = float(m.half_relaxation)
    return ChainResponse(t, f, ax, mus, quanta, peak, fused, half, int(failures), run)
