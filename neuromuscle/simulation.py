"""The front door for one cell: :func:`simulate` and its result.

:func:`simulate` checks its arguments, hands the integration to an engine chosen by
name (:data:`neuromuscle.engine.ENGINES`) and wraps the outcome. Every engine restarts
at every breakpoint of the stimulus protocol, so no pulse is stepped over, and locates
spikes (upward crossings of a threshold potential) within the step rather than on the
output grid.
"""

from __future__ import annotations

import time as _time
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .engine import DEFAULT_METHOD, METHODS, choose, get_engine
from .engine.base import MAX_SAMPLES, check_output_size, finite_or_raise
from .engine.batch import build_problem, check_common, check_protocol, grid_size, sample_grid
from .model import Model, check_model
from .protocols import NoStimulus, Protocol
from .protocols import check_protocol as _check_protocol_type
from .steady import jacobian, resting_state

__all__ = ["simulate", "SimulationResult", "SimulationError", "DEFAULT_METHOD", "METHODS"]



class SimulationError(RuntimeError):
    """The integrator failed. ``partial`` holds the result up to the failure."""

    def __init__(self, message: str, partial: SimulationResult) -> None:
        super().__init__(message)
        self.partial = partial


@dataclass
class SimulationResult:
    """The outcome of :func:`simulate`: traces, spikes and the solver's status.

    Index it by name: ``res["V"]``, ``res["na.m"]``, ``res["na.I"]``, ``res["I_ion"]``,
    ``res["E_Na"]``, ``res["I_stim"]``, or by the model's semantic labels:
    ``res["membrane_potential"]``, ``res["force"]`` (:meth:`~neuromuscle.model.Model.label`).
    States come straight from the solver; derived quantities (currents, reversal
    potentials) are computed from the states on demand.
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
    engine : str
        The engine that ran (a key of :data:`neuromuscle.engine.ENGINES`).
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
    engine: str = ""
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
        if name in self.model.labels:  # a semantic label: res["membrane_potential"]
            return self[self.model.labels[name]]
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
        if not t_stop > t_start:
            raise ValueError(f"t_stop = {t_stop} ms must be later than t_start = {t_start} ms")
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


def _rest_by_newton(model: Model, p) -> np.ndarray | None:
    """The state :func:`~neuromuscle.steady.resting_state` finds, without SciPy's optimisers.

    The same search (sign changes of dV/dt on the quasi-steady curve over -150..60 mV in
    0.05 mV steps), each root by bisection to 1e-12 mV on all brackets at once, then Newton's
    method on the full state (central-difference Jacobian) to a step below 1e-13 of the
    state, and the same choice (the most negative stable equilibrium, else the most
    negative). A script that simulates from rest then need not import ``scipy.optimize``
    (about 0.4 s of a process's start). None when the model has its own equilibrium
    finder or Newton does not converge: the caller then uses ``resting_state``.
    """
    if getattr(model, "equilibrium_finder", None) is not None or "V" not in model.state_index:
        return None
    p = model.full_parameters(p)
    iv = model.state_index["V"]

    def dv(v):
        return model.rhs(0.0, model.quasi_steady_state(v, p, 0.0), p, 0.0)[iv]

    grid = np.linspace(-150.0, 60.0, 4201)
    fgrid = dv(grid)
    if not np.all(np.isfinite(fgrid)):
        return None
    k = np.flatnonzero(np.sign(fgrid[:-1]) * np.sign(fgrid[1:]) < 0)
    lo, hi, flo = grid[k], grid[k + 1], fgrid[k]
    for _ in range(60):  # 0.05 mV / 2^60: far below 1e-12 mV
        mid = 0.5 * (lo + hi)
        fm = dv(mid) if mid.size else mid
        left = np.sign(fm) == np.sign(flo)
        lo, flo = np.where(left, mid, lo), np.where(left, fm, flo)
        hi = np.where(left, hi, mid)
    roots = sorted(list(grid[fgrid == 0.0]) + list(0.5 * (lo + hi)))
    found = []
    for v in roots:
        y = np.array(model.quasi_steady_state(v, p, 0.0), dtype=float)
        for _ in range(30):
            f = model.rhs(0.0, y, p, 0.0)
            try:
                step = np.linalg.solve(jacobian(model, y, p, 0.0), -f)
            except np.linalg.LinAlgError:
                return None
            y = y + step
            if np.max(np.abs(step) / np.maximum(1.0, np.abs(y))) < 1e-13:
                break
        else:
            return None
        if not np.all(np.isfinite(y)):
            return None
        if any(abs(yy[iv] - y[iv]) < 1e-6 for yy, _ in found):
            continue
        found.append((y, bool(np.all(np.linalg.eigvals(jacobian(model, y, p, 0.0)).real < 0))))
    if not found:
        return None
    stable = [y for y, ok in found if ok]
    return (stable or [found[0][0]])[0]


def _initial_state(model: Model, p: np.ndarray, y0) -> np.ndarray:
    if y0 is None or (isinstance(y0, str) and y0 == "rest"):
        y = _rest_by_newton(model, p)
        return resting_state(model, p, 0.0).y if y is None else y
    try:
        y = np.array(y0, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"y0 must be 'rest' or an array of numbers, got {y0!r}") from exc
    if y.shape != (len(model.state_names),):
        raise ValueError(
            f"y0 has shape {y.shape}; model {model.name} needs {len(model.state_names)} states "
            f"{model.state_names}"
        )
    return y


#: Runs up to this long (ms) on the SciPy engine without ``dt`` return the solver's own
#: steps; longer ones are sampled on the default grid (see :func:`simulate`).
OWN_STEPS_UP_TO = 2000.0


def _default_dt(t_end: float) -> float:
    """Default output interval: 0.01 ms, but never more than 200 000 intervals per run."""
    return max(0.01, t_end / 200_000)


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
    max_steps: int | None = None,
    max_samples: int = MAX_SAMPLES,
    compiled: bool = False,
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
    engine : str
        ``"auto"`` (default), or a key of :data:`neuromuscle.engine.ENGINES`:

        * ``"explicit"`` (alias ``"fast"``): the model's equations compiled with numba and
          integrated by a compiled Dormand-Prince 5(4) method (SciPy's ``RK45`` error
          control); if Hairer's stiffness test fires, the run continues on ``"stiff"``.
        * ``"stiff"``: compiled Rosenbrock RODAS4 with a sparse finite-difference Jacobian
          whose pattern comes from the model's structure, and a band LU.
        * ``"scipy"``: :func:`scipy.integrate.solve_ivp` with ``method`` on the NumPy
          right-hand side, the reference the compiled engines are tested against.

        ``"auto"``: :func:`neuromuscle.engine.choose` (``"stiff"`` for a model declared
        stiff, else ``"explicit"``; ``"scipy"`` without numba, or when ``method`` is given).
    method : str, optional
        SciPy method, one of :data:`METHODS` (default :data:`DEFAULT_METHOD`); implies
        the SciPy engine.
    rtol, atol : float
        Relative and absolute tolerances (same meaning on every engine).
    max_step : float
        Largest step, ms.
    dt : float, optional
        Output sampling interval, ms. Default: 0.01 ms, or ``t_end / 200000`` for runs
        longer than 2 s. On the SciPy engine only the requested points are kept; without
        ``dt``, runs up to 2000 ms return the solver's own steps instead.
    spike_threshold : float
        Potential whose upward crossing counts as a spike, mV.
    max_steps : int, optional
        Step budget (default :func:`neuromuscle.engine.base.default_max_steps`: 100 000
        plus 2000 per ms of ``t_end``). The SciPy engine counts 20 right-hand-side
        evaluations per step instead.
    max_samples : int
        Largest output, in values (time points x states); a longer grid is refused before
        any work, with the numbers.
    compiled : bool
        SciPy engine only: integrate the numba-compiled right-hand side instead of the NumPy
        one (same equations; worth its one-off compilation for many runs of a large model).

    Returns
    -------
    SimulationResult

    Raises
    ------
    ValueError
        For invalid arguments, including a non-finite parameter, initial state or stimulus
        (the message names it).
    SimulationError
        If the integration fails (non-finite states, a collapsing step, the step budget or
        the solver's own failure); its ``partial`` attribute holds the result up to the
        failure.
    """
    check_model("model", model)
    _check_protocol_type("protocol", protocol)
    if method is not None and method not in METHODS:
        raise ValueError(f"method = {method!r} is not one of {METHODS}")
    name = engine
    if engine == "auto":
        name = "scipy" if method is not None else choose(model, cells=1)
    eng = get_engine(name)
    if method is not None and eng.name != "scipy":
        raise ValueError(f"method selects a SciPy integrator; it cannot be combined with engine={engine!r}")
    t_end, rtol, atol, max_step, max_steps, threshold = check_common(
        t_end, rtol, atol, dt, max_step, max_steps, spike_threshold)
    protocol = protocol or NoStimulus()
    check_protocol(protocol, t_end)
    p = model.parameter_vector(params)
    if p.ndim != 1:
        raise ValueError("simulate() runs one parameter set; use neuromuscle.engine.simulate_batch for arrays")
    finite_or_raise("params", p, model.parameter_names)
    y = _initial_state(model, p, y0)
    finite_or_raise("y0", y, model.state_names)
    ns = len(model.state_names)
    if eng.own_steps and dt is None and t_end <= OWN_STEPS_UP_TO:
        sample_t = None
    else:
        step = dt if dt is not None else _default_dt(t_end)
        check_output_size(grid_size(t_end, step) - 1, ns, 1, max_samples, "simulate output")
        sample_t = sample_grid(t_end, step)
    if eng.name == "scipy":
        options = {"method": method or DEFAULT_METHOD, "compiled": bool(compiled)}
    elif eng.name in ("explicit", "native"):
        options = {"stiff_check": True, "on_stiff": "stiff"}
    else:
        options = {}
    problem = build_problem(model, protocol, t_end, p[:, None], y[:, None], np.ones(1), rtol=rtol, atol=atol,
                            max_step=max_step, sample_t=sample_t, threshold=threshold, max_spikes=100_000,
                            max_steps=max_steps, options=options)
    if problem.bad[0]:  # the derived parameters (Q10 factors ...) of valid inputs overflowed
        raise ValueError(problem.bad_messages[0])
    start = _time.perf_counter()
    out = eng.run(problem)
    wall = _time.perf_counter() - start
    code = int(out.status[0])
    if out.steps is not None:
        t, Y = out.steps[0]
    else:
        t, Y = sample_t, out.samples[0].T
        if code < 0:  # keep what was integrated
            keep = sample_t <= out.t_reached[0]
            t, Y = t[keep], Y[:, keep]
    status = 0 if code >= 0 else -1
    message = out.message(0)
    result = SimulationResult(
        model=model, protocol=protocol, p=p, t=t, y=Y, spike_times=out.spike_times(0),
        spike_threshold=threshold, method=out.method, rtol=rtol, atol=atol,
        success=status == 0, status=status, message=message, nfev=int(out.n_fev[0]), njev=int(out.n_jev[0]),
        nlu=int(out.n_lu[0]), wall_time=wall, engine=eng.name,
    )
    if status != 0:
        raise SimulationError(message, result)
    return result
