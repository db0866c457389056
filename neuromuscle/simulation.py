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

from ._validate import check_range
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
        t_stop = self.t[-1] if t_stop is None else t_stop
        n = np.count_nonzero((self.spike_times >= t_start) & (self.spike_times < t_stop))
        return 1000.0 * n / (t_stop - t_start)

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


def simulate(
    model: Model,
    protocol: Protocol | None = None,
    t_end: float = 100.0,
    *,
    params: Mapping[str, float] | None = None,
    y0=None,
    method: str = DEFAULT_METHOD,
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
    method : str
        One of :data:`METHODS`; default :data:`DEFAULT_METHOD`.
    rtol, atol : float
        Relative and absolute tolerances passed to the solver.
    max_step : float
        Largest step, ms.
    dt : float, optional
        If given, output is sampled every ``dt`` ms (dense output); otherwise the solver's
        own steps are returned.
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
    if method not in METHODS:
        raise ValueError(f"method = {method!r} is not one of {METHODS}")
    t_end = float(check_range("t_end", t_end, 0.0, 1e9, "ms", low_inclusive=False))
    check_range("rtol", rtol, 1e-14, 1e-1)
    check_range("atol", atol, 1e-16, 1.0)
    if dt is not None:
        check_range("dt", dt, 0.0, t_end, "ms", low_inclusive=False)
    protocol = protocol or NoStimulus()
    p = model.parameter_vector(params)
    if p.ndim != 1:
        raise ValueError("simulate() runs one parameter set; use neuromuscle.sweep for arrays of values")
    if y0 is None or (isinstance(y0, str) and y0 == "rest"):
        y = resting_state(model, p, 0.0).y
    else:
        y = np.array(y0, dtype=float)
        if y.shape != (len(model.state_names),):
            raise ValueError(
                f"y0 has shape {y.shape}; model {model.name} needs {len(model.state_names)} states "
                f"{model.state_names}"
            )
    rhs = model.function("rhs")
    T, c, s = protocol.pieces()
    edges = np.concatenate([[0.0], protocol.breakpoints(t_end), [t_end]])
    iv = model.state_index["V"]
    event = _SpikeEvent(iv, spike_threshold)

    ts, ys, spikes = [np.array([0.0])], [y[:, None]], []
    nfev = njev = nlu = 0
    status, message, success = 0, "The solver successfully reached the end of the integration interval.", True
    start = _time.perf_counter()
    for a, b in zip(edges[:-1], edges[1:]):
        k = np.searchsorted(T, a, side="right") - 1
        c0, s0, T0 = (c[k], s[k], T[k]) if k >= 0 else (0.0, 0.0, a)

        def fun(t, yy, c0=c0, s0=s0, T0=T0):
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
        with np.errstate(over="ignore", invalid="ignore"):
            sol = solve_ivp(
                fun, (a, b), y, method=method, rtol=rtol, atol=atol, max_step=max_step,
                events=event, t_eval=t_eval, vectorized=method in ("BDF", "Radau"),
            )
        nfev += sol.nfev
        njev += sol.njev
        nlu += sol.nlu
        spikes.append(sol.t_events[0])
        keep = sol.t > a
        ts.append(sol.t[keep])
        ys.append(sol.y[:, keep])
        if sol.status == -1 or not np.all(np.isfinite(sol.y)):
            status, success = -1, False
            message = (
                f"{method} failed at t = {sol.t[-1]:g} ms (segment {a:g}-{b:g} ms): {sol.message}"
                if sol.status == -1
                else f"{method} produced non-finite states by t = {sol.t[-1]:g} ms"
            )
            break
        y = sol.y[:, -1]
    result = SimulationResult(
        model=model, protocol=protocol, p=p, t=np.concatenate(ts), y=np.concatenate(ys, axis=1),
        spike_times=np.concatenate(spikes) if spikes else np.array([]),
        spike_threshold=spike_threshold, method=method, rtol=rtol, atol=atol,
        success=success, status=status, message=message, nfev=nfev, njev=njev, nlu=nlu,
        wall_time=_time.perf_counter() - start,
    )
    if not success:
        raise SimulationError(message, result)
    return result
