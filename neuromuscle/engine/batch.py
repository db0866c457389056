"""Many cells at once: :func:`simulate_batch`, and the argument checks both front doors share.

:func:`simulate_batch` integrates one model for many parameter sets (and/or stimulus
amplitudes) on the engine :func:`~neuromuscle.engine.choose` picks (or the one named),
one cell after another on one core; parallelism across cores comes from running batches
in several processes (:mod:`neuromuscle.sweep`).
"""

from __future__ import annotations

import time as _time
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .._validate import check_range
from ..model import Model
from ..protocols import NoStimulus, Protocol
from ..steady import resting_state
from . import base

__all__ = ["BatchResult", "simulate_batch", "build_problem", "check_common", "check_protocol", "sample_grid",
           "grid_size"]


def check_common(t_end, rtol, atol, dt, max_step, max_steps, spike_threshold):
    """Check the arguments both front doors take; returns them as floats/ints."""
    t_end = float(check_range("t_end", t_end, 0.0, 1e9, "ms", low_inclusive=False))
    check_range("rtol", rtol, 1e-14, 1e-1)
    check_range("atol", atol, 1e-16, 1.0)
    if dt is not None:
        check_range("dt", dt, 0.0, t_end, "ms", low_inclusive=False)
    max_step = float(check_range("max_step", max_step, 0.0, np.inf, "ms", low_inclusive=False))
    base.finite_or_raise("spike_threshold", spike_threshold)
    if max_steps is None:
        max_steps = base.default_max_steps(t_end)
    check_range("max_steps", max_steps, 1, 1e15)
    return t_end, float(rtol), float(atol), max_step, int(max_steps), float(spike_threshold)


def check_protocol(protocol: Protocol, t_end: float) -> None:
    T, c, s = protocol.pieces()
    for name, arr in (("protocol breakpoints", T), ("protocol amplitude", c), ("protocol slope", s)):
        base.finite_or_raise(name, arr)


def build_problem(model: Model, protocol: Protocol | None, t_end: float, P: np.ndarray, Y: np.ndarray,
                  amp: np.ndarray, *, rtol, atol, max_step, sample_t, threshold, max_spikes, max_steps,
                  options=None) -> base.Problem:
    """A :class:`~.base.Problem`; cells with non-finite inputs are marked ``bad``."""
    protocol = protocol or NoStimulus()
    Pfull = np.array(model.full_parameters(P), dtype=float, order="C")
    a, b, t0, c, s = protocol.segments(t_end)
    C = amp[:, None] * c[None, :]
    with np.errstate(invalid="ignore", over="ignore"):
        bad_msgs = base.bad_cells(model, Pfull, Y, amp, C)
    bad = np.zeros(Y.shape[1], dtype=bool)
    bad[list(bad_msgs)] = True
    return base.Problem(
        model=model, protocol=protocol, amplitude=np.ascontiguousarray(amp, dtype=float), p=Pfull,
        y0=np.array(Y, dtype=float, order="C"), t_start=0.0, t_end=t_end, rtol=rtol, atol=atol, max_step=max_step,
        sample_t=sample_t, threshold=threshold, max_spikes=int(max_spikes), max_steps=int(max_steps), bad=bad,
        bad_messages=bad_msgs, options=dict(options or {}),
    )


def grid_size(t_end: float, dt: float) -> int:
    """Number of points of :func:`sample_grid` (without building it)."""
    return int(np.floor(t_end / dt + 1e-9)) + 2


def sample_grid(t_end: float, dt: float) -> np.ndarray:
    """Uniform grid from 0 to ``t_end`` (included) every ``dt`` ms."""
    n = int(np.floor(t_end / dt + 1e-9))
    grid = np.arange(n + 1) * dt
    if grid[-1] < t_end * (1 - 1e-12):
        grid = np.append(grid, t_end)
    else:
        grid[-1] = min(grid[-1], t_end)
    return grid


@dataclass
class BatchResult:
    """Outcome of :func:`simulate_batch` for ``n`` cells.

    Attributes
    ----------
    p : ndarray
        Parameters, shape ``(n_parameters, n)``.
    amplitude : ndarray
        Stimulus scale per cell, shape ``(n,)``.
    status : ndarray of int
        Per cell: 0 reached ``t_end``; 1 reached it with more spikes than ``max_spikes``;
        2 stopped because the problem became stiff; negative: failed or not run (see
        ``messages`` and :data:`neuromuscle.engine.base.STATUS_TEXT`).
    t_reached : ndarray
        Time each cell reached, ms.
    n_spikes : ndarray of int
    spike_buffer : ndarray
        Spike times, ms, shape ``(n, max_spikes)``; row k valid up to ``n_spikes[k]``.
    final_state : ndarray
        Shape ``(n_states, n)``.
    sample_t, samples :
        Uniform output grid (ms) and states there, shape ``(n, n_samples, n_states)``,
        if ``dt`` was given; else empty. NaN after a cell's failure.
    n_steps, n_fev : ndarray of int
    wall_time : float
        Seconds of integration (excluding compilation).
    engine : str
        The engine that ran (a key of :data:`neuromuscle.engine.ENGINES`).
    """

    model: Model
    protocol: Protocol
    p: np.ndarray
    amplitude: np.ndarray
    t_end: float
    status: np.ndarray
    t_reached: np.ndarray
    n_spikes: np.ndarray
    spike_buffer: np.ndarray
    final_state: np.ndarray
    sample_t: np.ndarray
    samples: np.ndarray
    n_steps: np.ndarray
    n_fev: np.ndarray
    rtol: float
    atol: float
    wall_time: float = 0.0
    compile_time: float = 0.0
    engine: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.status.size

    def spike_times(self, k: int) -> np.ndarray:
        """Spike times of cell ``k``, ms."""
        return self.spike_buffer[k, : min(self.n_spikes[k], self.spike_buffer.shape[1])].copy()

    @property
    def success(self) -> np.ndarray:
        return self.status >= 0

    @property
    def messages(self) -> list[str]:
        own = self.extra.get("messages", {})
        return [own.get(k) or base.STATUS_TEXT.get(int(s), f"status {s}") for k, s in enumerate(self.status)]

    def trace(self, name: str, k: int) -> np.ndarray:
        """Sampled trace of state ``name`` for cell ``k`` (needs ``dt``)."""
        if self.samples.shape[1] == 0:
            raise ValueError("no samples were recorded: pass dt= to simulate_batch")
        return self.samples[k, :, self.model.state_index[name]]


def simulate_batch(
    model: Model,
    protocol: Protocol | None = None,
    t_end: float = 100.0,
    *,
    params: Mapping[str, object] | np.ndarray | None = None,
    amplitude=None,
    y0=None,
    engine: str = "auto",
    rtol: float = 1e-6,
    atol: float = 1e-8,
    max_step: float = np.inf,
    dt: float | None = None,
    spike_threshold: float = 0.0,
    max_spikes: int = 2000,
    max_steps: int | None = None,
    max_samples: int = base.MAX_SAMPLES,
    stiff_check: bool = False,
    block: int | None = None,
) -> BatchResult:
    """Integrate ``model`` for many parameter sets at once.

    Parameters
    ----------
    model : Model
    protocol : Protocol, optional
        Stimulus shape, shared by all cells; ``amplitude`` scales it per cell.
    t_end : float
        ms.
    params : mapping or ndarray, optional
        ``{"name": array}`` (arrays broadcast to one batch) or a parameter matrix of
        shape ``(n_parameters, n)``.
    amplitude : array_like, optional
        Per-cell factor on the protocol's current (default 1).
    y0 : ndarray, optional
        ``(n_states,)`` or ``(n_states, n)``. Default: each cell's resting state with no
        stimulus (computed once per distinct parameter set).
    engine : str
        ``"auto"`` (default: :func:`neuromuscle.engine.choose`), or a key of
        :data:`neuromuscle.engine.ENGINES`: ``"explicit"`` (``"fast"``), ``"stiff"``,
        ``"scipy"`` (LSODA per cell on the compiled equations).
    rtol, atol, max_step, spike_threshold :
        As in :func:`neuromuscle.simulate`.
    dt : float, optional
        Record all states every ``dt`` ms (memory ``n * t_end/dt * n_states`` floats).
    max_spikes : int
        Spike-time buffer per cell.
    max_steps : int, optional
        Step budget per cell (default :func:`neuromuscle.engine.base.default_max_steps`,
        scaled to ``t_end``); a cell over it fails with status -2 and the others go on.
    max_samples : int
        Largest output in values (times x states x cells); a larger ``dt`` grid is refused
        before any work.
    stiff_check : bool
        Explicit engine: stop a cell with status 2 when Hairer's stiffness test fires (off
        by default: the test also fires where a resting cell's step is limited by
        stability, which is cheap).
    block : int, optional
        Explicit engine: how many cells are integrated in lockstep, their right-hand sides
        evaluated together in vectorised loops (default
        :data:`neuromuscle.engine.explicit.BLOCK`, fewer for models with many states); 1
        integrates one cell after another. Each cell keeps its own step control, so the
        results agree with one-cell runs to rounding.

    Notes
    -----
    A cell whose parameters, initial state or stimulus are not finite is not run: status
    -5 with a message naming the value; the other cells go on. Models declared stiff run
    on the compiled stiff engine by default.
    """
    t_end, rtol, atol, max_step, max_steps, threshold = check_common(
        t_end, rtol, atol, dt, max_step, max_steps, spike_threshold)
    check_range("max_spikes", max_spikes, 1, 1e8)
    protocol = protocol or NoStimulus()
    check_protocol(protocol, t_end)
    from . import choose, get_engine

    name = choose(model) if engine == "auto" else engine
    eng = get_engine(name)
    if isinstance(params, np.ndarray) and params.ndim == 2:
        P = np.asarray(params, dtype=float)
        if P.shape[0] != len(model.parameter_names):
            raise ValueError(
                f"params matrix has {P.shape[0]} rows; the model has {len(model.parameter_names)} parameters"
            )
    else:
        P = model.parameter_vector(params)
    amp = np.ones(1) if amplitude is None else np.atleast_1d(np.asarray(amplitude, dtype=float))
    n = int(np.broadcast_shapes(P.shape[1:] or (1,), amp.shape)[0]) if P.ndim > 1 else amp.size
    P = np.ascontiguousarray(np.broadcast_to(P.reshape(P.shape[0], -1), (P.shape[0], n)))
    amp = np.broadcast_to(amp, (n,)).copy()
    ns = len(model.state_names)
    base.check_output_size(grid_size(t_end, dt) - 1 if dt else 0, ns, n, max_samples, "simulate_batch output")
    sample_t = sample_grid(t_end, dt) if dt else np.empty(0)
    rest_failures: dict[int, str] = {}
    if y0 is None:
        Y = np.full((ns, n), np.nan)
        good = np.flatnonzero(np.all(np.isfinite(P), axis=0))
        if good.size:
            cols, inverse = np.unique(P[:, good], axis=1, return_inverse=True)
            rests, why = [], {}
            for j in range(cols.shape[1]):
                try:
                    rests.append(resting_state(model, cols[:, j]).y)
                except (ValueError, ArithmeticError, RuntimeError) as exc:  # this cell is not run, the others are
                    rests.append(np.full(ns, np.nan))
                    why[j] = f"not run: no resting state for its parameters ({type(exc).__name__}: {exc})"
            Y[:, good] = np.column_stack(rests)[:, np.ravel(inverse)]
            for g, j in zip(good, np.ravel(inverse)):
                if j in why:
                    rest_failures[int(g)] = why[j]
    else:
        Y = np.array(np.broadcast_to(np.asarray(y0, dtype=float).reshape(ns, -1), (ns, n)))
    options = {"stiff_check": bool(stiff_check)} if eng.name == "explicit" else {}
    if block is not None:
        check_range("block", block, 1, 4096)
        if eng.name == "explicit":
            options["block"] = int(block)
    if eng.name == "scipy":
        options = {"method": "LSODA", "compiled": True}
    problem = build_problem(model, protocol, t_end, P, Y, amp, rtol=rtol, atol=atol, max_step=max_step,
                            sample_t=sample_t, threshold=threshold, max_spikes=max_spikes, max_steps=max_steps,
                            options=options)
    problem.bad_messages.update({k: v for k, v in rest_failures.items() if problem.bad[k]})
    c0 = _time.perf_counter()
    eng.prepare(problem)
    compile_time = _time.perf_counter() - c0
    start = _time.perf_counter()
    out = eng.run(problem)
    wall = _time.perf_counter() - start
    return BatchResult(
        model=model, protocol=protocol, p=P, amplitude=amp, t_end=t_end, status=out.status, t_reached=out.t_reached,
        n_spikes=out.n_spikes, spike_buffer=out.spikes, final_state=out.final_state, sample_t=sample_t,
        samples=out.samples, n_steps=out.n_steps, n_fev=out.n_fev, rtol=rtol, atol=atol, wall_time=wall,
        compile_time=compile_time, engine=eng.name, extra={"messages": out.messages, "method": out.method},
    )
