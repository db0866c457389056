"""The solver front door: :func:`simulate` and its result.

Integration uses :func:`scipy.integrate.solve_ivp`. The time axis is cut at every
breakpoint of the stimulus protocol and the solver restarted there, so no pulse is
stepped over. Spikes are located by a solver event (upward crossing of a threshold
potential), accurate to the solver's dense output rather than to the output grid.
"""

from __future__ import annotations

import time as _time
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.integrate import solve_ivp

from ._validate import check_range, check_simulation_inputs
from .model import Model
from .protocols import NoStimulus, Protocol
from .steady import resting_state

__all__ = ["simulate", "SimulationResult", "SimulationError", "DEFAULT_METHOD", "METHODS"]

#: Default integrator. LSODA switches between a non-stiff Adams and a stiff BDF method
#: by itself, so it copes with stiff models (fast Ca buffers) without paying BDF's cost
#: on HH, where it is several times faster than SciPy's BDF or Radau at the same
#: accuracy. Figures: docs/performance.md (benchmarks/bench_hh.py).
DEFAULT_METHOD = "LSODA"
METHODS = ("LSODA", "RK45", "DOP853", "Radau", "BDF", "RK23")


class SimulationError(RuntimeError):
    """The integrator failed. ``partial`` holds the result up to the failure."""

    def __init__(self, message: str, partial: SimulationResult) -> None:
        super().__init__(message)
        self.partial = partial


@dataclass
class SimulationResult:
    """The outcome of :func:`simulate`: traces, spikes and the solver's status.

    Index it by name: ``res["V"]``, ``res["na.m"]``, ``res["na.I"]``, ``res["I_ion"]``,
    ``res["E_Na"]``, ``res["I_stim"]``. States come straight from the solver; derived
    quantities (currents, reversal potentials) are computed from the states on demand.
    Every name has a unit and a description: :meth:`info`.

    Attributes
    ----------
    t : ndarray
        Times, ms.
    y : ndarray
        States, shape ``(n_states, n_times)``.
    spike_times : ndarray
        Times of upward crossings of ``spike_threshold`` by V, ms.
    success, status, message :
        As reported by the solver (``status`` 0 = reached ``t_end``, -1 = failed).
    nfev, njev, nlu : int
        Right-hand-side evaluations, Jacobian evaluations and LU decompositions.
    wall_time : float
        Seconds spent integrating.
    """

    model: Model
    protocol: Protocol
    p: np.ndarray
    t: np.ndarray
    y: np.ndarray
    spike_times: np.ndarray
    spike_threshold: float
    method: str
    rtol: float
    atol: float
    success: bool = True
    status: int = 0
    message: str = ""
    nfev: int = 0
    njev: int = 0
    nlu: int = 0
    wall_time: float = 0.0
    _derived: dict = field(default_factory=dict, repr=False)

    @property
    def names(self) -> list[str]:
        """Every name that can be looked up."""
        return ["t", "I_stim", *self.model.state_names, *self.model.output_names, *self.model.sums]

    def __getitem__(self, name: str) -> np.ndarray:
        if name == "t":
            return self.t
        if name == "I_stim":
            return self.protocol(self.t)
        if name in self.model.state_index:
            return self.y[self.model.state_index[name]]
        if name in self.model.output_names or name in self.model.sums:
            if not self._derived:
                self._derived = self.model.observables(self.t, self.y, self.p, self.protocol(self.t))
            return np.asarray(self._derived[name])
        raise KeyError(f"no variable {name!r} in this result; available: {self.names}")

    def info(self, name: str):
        """Unit and description of ``name``."""
        return self.model.info(name)

    @property
    def final_state(self) -> np.ndarray:
        """The last state vector (to continue a run)."""
        return self.y[:, -1].copy()

    def firing_rate(self, t_start: float = 0.0, t_stop: float | None = None) -> float:
        """Spikes per second between ``t_start`` and ``t_stop`` (ms), Hz."""
        from .analysis.spikes import firing_rate  # lazy: analysis imports this module

        return firing_rate(self.spike_times, t_start, self.t[-1] if t_stop is None else t_stop)

    def plot(self, *names: str, ax=None):
        """Plot traces against time (matplotlib imported only here)."""
        from .plotting import plot_traces

        return plot_traces(self, names or ("V",), ax=ax)

    def __repr__(self) -> str:
        return (
            f"<SimulationResult {self.model.name}: {self.t[0]:g}-{self.t[-1]:g} ms, "
            f"{len(self.t)} points, {len(self.spike_times)} spikes, {self.method} "
            f"status={self.status} ({self.message})>"
        )


class _SpikeEvent:
    """Event: V crosses ``threshold`` upwards (non-terminal)."""

    direction = 1.0
    terminal = False

    def __init__(self, index: int, threshold: float) -> None:
        self.index = index
        self.threshold = threshold

    def __call__(self, t, y):
        return y[self.index] - self.threshold


def _initial_state(model: Model, p: np.ndarray, y0) -> np.ndarray:
    if y0 is None or (isinstance(y0, str) and y0 == "rest"):
        return resting_state(model, p, 0.0).y
    y = np.array(y0, dtype=float)
    if y.shape != (len(model.state_names),):
        raise ValueError(
            f"y0 has shape {y.shape}; model {model.name} needs {len(model.state_names)} states "
            f"{model.state_names}"
        )
    return y


#: Evaluations of the right-hand side without the time advancing after which a SciPy
#: integration is taken to have stalled
_MAX_STALLED_CALLS = 100_000


class _Stalled(ArithmeticError):
    """The integrator keeps evaluating without advancing in time."""


def _integrate_scipy(model, protocol, p, y, t_start, t_end, method, rtol, atol, max_step, dt, threshold,
                     rhs=None):
    """SciPy integration from ``t_start``, restarting at protocol breakpoints.

    ``rhs``: the right-hand side to use (default the model's NumPy one; the compiled one for
    stiff models on the auto engine). Returns ``(t, Y, spikes, counters, status, message)``;
    ``t`` starts after ``t_start``.
    """
    rhs = model.function("rhs") if rhs is None else rhs
    p = model.full_parameters(p)
    event = _SpikeEvent(model.state_index["V"], threshold)
    ts, ys, spikes = [], [], []
    counters = np.zeros(3, dtype=int)  # nfev, njev, nlu
    status, message = 0, "The solver successfully reached the end of the integration interval."
    stall = [-np.inf, 0]  # latest time evaluated, evaluations since it last advanced
    for a, b, T0, c0, s0 in zip(*protocol.segments(t_end, t_start)):

        def fun(t, yy, c0=c0, s0=s0, T0=T0):
            # LSODA does not return once the states have run off to infinity: its steps stop
            # advancing and solve_ivp calls it for ever. A healthy step needs at most a few
            # hundred evaluations (a finite-difference Jacobian is one per state).
            if t > stall[0]:
                stall[0], stall[1] = t, 0
            else:
                stall[1] += 1
                if stall[1] > _MAX_STALLED_CALLS:
                    raise _Stalled(f"{method} made no progress past t = {stall[0]:g} ms in "
                                   f"{_MAX_STALLED_CALLS} evaluations (the states ran off?)")
            out = np.empty(yy.shape)
            return rhs(t, yy, p, c0 + s0 * (t - T0), out)

        t_eval = None
        if dt is not None:
            grid = np.arange(np.ceil(a / dt), np.floor(b / dt) + 1) * dt
            t_eval = grid[(grid > a) & (grid <= b)]
            if t_eval.size == 0 or t_eval[-1] != b:
                t_eval = np.append(t_eval, b)
        # Implicit methods probe trial states far from the solution; exp() may overflow
        # there. The step is then rejected by the error control, so the warning is noise.
        # a cable ordered along its length declares its Jacobian's band; LSODA then estimates
        # and factors a banded Jacobian (2 band + 1 evaluations instead of one per state)
        band = getattr(model, "jacobian_bandwidth", None)
        band_kw = {"lband": band[0], "uband": band[1]} if band is not None and method == "LSODA" else {}
        with np.errstate(over="ignore", invalid="ignore"):
            try:
                sol = solve_ivp(
                    fun, (a, b), y, method=method, rtol=rtol, atol=atol, max_step=max_step,
                    events=event, t_eval=t_eval, vectorized=method in ("BDF", "Radau"), **band_kw,
                )
            except _Stalled as exc:  # what was integrated before this segment is kept
                status, message = -1, f"{exc} (segment {a:g}-{b:g} ms)"
                break
        counters += (sol.nfev, sol.njev, sol.nlu)
        spikes.append(sol.t_events[0])
        keep = sol.t > a
        ts.append(sol.t[keep])
        ys.append(sol.y[:, keep])
        if sol.status == -1 or not np.all(np.isfinite(sol.y)):
            status = -1
            message = (
                f"{method} failed at t = {sol.t[-1]:g} ms (segment {a:g}-{b:g} ms): {sol.message}"
                if sol.status == -1
                else f"{method} produced non-finite states by t = {sol.t[-1]:g} ms"
            )
            break
        y = sol.y[:, -1]
    if not ts:  # stalled in the first segment: nothing but the start
        return np.empty(0), np.empty((y.size, 0)), np.empty(0), counters, status, message
    return (np.concatenate(ts), np.concatenate(ys, axis=1), np.concatenate(spikes), counters, status, message)


def _integrate_fast(model, protocol, p, y, t_end, rtol, atol, max_step, dt, threshold):
    """Compiled DOP5 for one cell, sampled every ``dt``; hands over to LSODA if stiff."""
    from .engine import dopri
    from .engine.batch import kernels, segments

    integrate_cell, _ = kernels(model)
    p = model.full_parameters(p)
    a, b, t0, C, S = segments(protocol, t_end)
    sample_t = np.arange(0.0, t_end + 0.5 * dt, dt)
    sample_t[-1] = min(sample_t[-1], t_end)
    samples = np.empty((sample_t.size, y.size))
    spikes = np.full(100_000, np.nan)
    yy = y.copy()
    status, t_reached, n_spikes, n_steps, n_fev = integrate_cell(
        yy, p, a, b, t0, C[0], S[0], float(rtol), float(atol), float(max_step), model.state_index["V"],
        float(threshold), spikes, sample_t, samples, 10_000_000, True,
    )
    done = sample_t <= t_reached if status != dopri.OK else np.ones(sample_t.size, dtype=bool)
    t, Y = sample_t[done], samples[done].T
    spk = spikes[: min(n_spikes, spikes.size)]
    counters = np.array([n_fev, 0, 0])
    method = "DOP5 (compiled)"
    message = dopri.STATUS_TEXT[int(status)]
    if status == dopri.STIFF and t_reached < t_end:
        from .engine import compiled_rhs

        t2, Y2, spk2, cnt2, st2, msg2 = _integrate_scipy(
            model, protocol, p, yy, t_reached, t_end, "LSODA", rtol, atol, max_step, dt, threshold,
            rhs=compiled_rhs(model),
        )
        t, Y = np.concatenate([t, t2]), np.concatenate([Y, Y2], axis=1)
        spk = np.concatenate([spk, spk2])
        counters += cnt2
        method = f"DOP5 (compiled) to {t_reached:.4g} ms, then LSODA (stiff)"
        return t, Y, spk, counters, st2, msg2 if st2 else "reached t_end", method
    st = 0 if status >= 0 else -1
    if st:
        message = f"{method} {message} at t = {t_reached:g} ms"
    return t, Y, spk, counters, st, message, method


def simulate(
    model: Model,
    protocol: Protocol | None = None,
    t_end: float = 100.0,
    *,
    params: Mapping[str, float] | None = None,
    y0=None,
    engine: str = "auto",
    method: str | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    max_step: float = np.inf,
    dt: float | None = None,
    spike_threshold: float = 0.0,
) -> SimulationResult:
    """Integrate ``model`` under ``protocol`` from 0 to ``t_end`` ms.

    Parameters
    ----------
    model : Model
        The model, e.g. :func:`neuromuscle.hodgkin_huxley`.
    protocol : Protocol, optional
        Applied current; default none.
    t_end : float
        End time, ms.
    params : mapping, optional
        Parameter overrides by name (``{"na.g": 100.0}``).
    y0 : array_like or "rest", optional
        Initial state. Default (or ``"rest"``): the resting state with no applied
        current (see :func:`neuromuscle.steady.resting_state`), as if the cell had been
        at rest before the protocol began.
    engine : {"auto", "fast", "scipy"}
        ``"fast"``: the model's equations compiled with numba and integrated by a compiled
        Dormand-Prince 5(4) method (same error control as SciPy's RK45), which hands over
        to LSODA if the problem turns stiff; output sampled every ``dt`` (default 0.01 ms).
        ``"scipy"``: :func:`scipy.integrate.solve_ivp` with ``method`` on the NumPy
        right-hand side. ``"auto"`` (default): ``"fast"`` when numba is installed, the model
        is not declared stiff and no ``method`` is given; a stiff model with numba and no
        ``method`` runs LSODA on the compiled right-hand side (the integrator of ``"scipy"``,
        about ten times faster for the muscle fibre); otherwise ``"scipy"``.
    method : str, optional
        SciPy method, one of :data:`METHODS` (default :data:`DEFAULT_METHOD`); implies
        the SciPy engine.
    rtol, atol : float
        Relative and absolute tolerances (same meaning on both engines).
    max_step : float
        Largest step, ms.
    dt : float, optional
        Output sampling interval, ms. SciPy engine: if omitted, the solver's own steps are
        returned. Fast engine: default 0.01 ms (or ``t_end/200000`` for long runs).
    spike_threshold : float
        Potential whose upward crossing counts as a spike, mV.

    Returns
    -------
    SimulationResult

    Raises
    ------
    SimulationError
        If the solver fails; its ``partial`` attribute holds the result up to the failure.
    """
    if engine not in ("auto", "fast", "scipy"):
        raise ValueError(f"engine = {engine!r} is not one of ('auto', 'fast', 'scipy')")
    if method is not None and method not in METHODS:
        raise ValueError(f"method = {method!r} is not one of {METHODS}")
    if method is not None and engine == "fast":
        raise ValueError("method selects a SciPy integrator; it cannot be combined with engine='fast'")
    check_simulation_inputs(model, protocol)
    t_end = float(check_range("t_end", t_end, 0.0, 1e9, "ms", low_inclusive=False))
    check_range("rtol", rtol, 1e-14, 1e-1)
    check_range("atol", atol, 1e-16, 1.0)
    if dt is not None:
        check_range("dt", dt, 0.0, t_end, "ms", low_inclusive=False)
    protocol = protocol or NoStimulus()
    p = model.parameter_vector(params)
    if p.ndim != 1:
        raise ValueError("simulate() runs one parameter set; use neuromuscle.engine.simulate_batch for arrays")
    y = _initial_state(model, p, y0)
    compiled = None
    if engine == "auto":
        from .engine import compiled_rhs, numba_available

        engine = "fast" if (method is None and not model.stiff and numba_available()) else "scipy"
        if engine == "scipy" and method is None and numba_available():
            # a stiff model: LSODA as on the SciPy engine, on the compiled equations (the
            # Python right-hand side costs most of the time of a long run)
            compiled = compiled_rhs(model)
    start = _time.perf_counter()
    if engine == "fast":
        # default sampling: every 0.01 ms, but never more than 200 000 samples per run
        dt_fast = dt if dt is not None else max(0.01, t_end / 200_000)
        t, Y, spikes, counters, status, message, method_used = _integrate_fast(
            model, protocol, p, y, t_end, rtol, atol, max_step, dt_fast, spike_threshold
        )
        t, Y = (t, Y) if t.size and t[0] == 0.0 else (np.concatenate([[0.0], t]), np.concatenate([y[:, None], Y], 1))
    else:
        method_used = method or DEFAULT_METHOD
        t, Y, spikes, counters, status, message = _integrate_scipy(
            model, protocol, p, y, 0.0, t_end, method_used, rtol, atol, max_step, dt, spike_threshold,
            rhs=compiled,
        )
        if compiled is not None:
            method_used += " (compiled equations)"
        t, Y = np.concatenate([[0.0], t]), np.concatenate([y[:, None], Y], axis=1)
    result = SimulationResult(
        model=model, protocol=protocol, p=p, t=t, y=Y, spike_times=np.asarray(spikes, dtype=float),
        spike_threshold=spike_threshold, method=method_used, rtol=rtol, atol=atol,
        success=status == 0, status=status, message=message, nfev=int(counters[0]), njev=int(counters[1]),
        nlu=int(counters[2]), wall_time=_time.perf_counter() - start,
    )
    if status != 0:
        raise SimulationError(message, result)
    return result
