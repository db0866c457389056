"""The contract every engine implements, and what the engines share.

An engine integrates one model for one or more cells (parameter sets and stimulus
amplitudes) from ``t_start`` to ``t_end``. The front doors (:func:`neuromuscle.simulate`
and :func:`neuromuscle.engine.simulate_batch`) check the arguments, build a
:class:`Problem` and pass it to the engine chosen by name in
:data:`neuromuscle.engine.ENGINES`; they never integrate themselves.

The contract (each engine module states how it meets every point):

1. **Name.** An engine is an :class:`Engine` with a ``name`` (its key in ``ENGINES``) and
   ``available()``, which is False when a dependency (numba) is missing.
2. **Input.** ``run(problem)`` receives a :class:`Problem` whose inputs have been checked
   by the front door: finite parameters, states and stimulus, valid tolerances, a
   sample grid within the memory limit. Cells whose inputs are not finite are marked in
   ``problem.bad`` and are not integrated (status :data:`BAD_INPUT`).
3. **Breakpoints.** The integration restarts at every breakpoint of the protocol
   (:meth:`Problem.segments`), so no pulse is stepped over.
4. **Tolerances.** ``rtol`` and ``atol`` bound the local error per step in SciPy's norm:
   ``sqrt(mean((err / (atol + rtol |y|))^2)) <= 1``.
5. **Spikes.** Every upward crossing of ``threshold`` by the state ``V`` is located
   within the step by an interpolant of at least third order and stored (up to
   ``max_spikes`` per cell; more sets status :data:`SPIKE_BUFFER_FULL`).
6. **Output.** States on the grid ``sample_t`` (``Outcome.samples``); an engine that can
   (SciPy) may instead return its own steps when ``sample_t`` is None.
7. **Budget.** At most ``max_steps`` steps per cell; past it the cell stops with
   :data:`TOO_MANY_STEPS`. An engine that cannot count steps counts right-hand-side
   evaluations (:data:`EVALUATIONS_PER_STEP` per step) instead.
8. **Failure never hangs and never raises.** A non-finite state, a step size that
   collapses below the resolution of ``t``, the budget or the solver's own failure ends
   that cell with a negative status, its message, the time reached and everything
   computed up to then; the other cells go on. Only invalid arguments raise.
9. **Preparation.** ``prepare(problem)`` compiles or loads whatever ``run`` needs, so a
   caller can time compilation apart from integration; ``run`` calls it too.
10. **Result.** An :class:`Outcome` with per-cell arrays of statuses, times reached,
    spikes, final states, samples and counters, and the method's description.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "OK", "SPIKE_BUFFER_FULL", "STIFF", "STEP_TOO_SMALL", "TOO_MANY_STEPS", "NOT_FINITE", "SOLVER_FAILED",
    "BAD_INPUT", "STATUS_TEXT", "Problem", "Outcome", "Engine", "default_max_steps", "check_output_size",
    "MAX_SAMPLES", "EVALUATIONS_PER_STEP",
]

OK = 0
SPIKE_BUFFER_FULL = 1  # completed, but more spikes occurred than the buffer holds
STIFF = 2  # the explicit engine stopped because the problem became stiff
STEP_TOO_SMALL = -1
TOO_MANY_STEPS = -2
NOT_FINITE = -3
SOLVER_FAILED = -4
BAD_INPUT = -5

STATUS_TEXT = {
    OK: "reached t_end",
    SPIKE_BUFFER_FULL: "reached t_end; more spikes than max_spikes (extra spikes not stored)",
    STIFF: "stopped: the problem became stiff (Hairer's test); continue with an implicit method",
    STEP_TOO_SMALL: "failed: step size fell below the resolution of t",
    TOO_MANY_STEPS: "failed: more than max_steps steps (the step budget)",
    NOT_FINITE: "failed: a state or its derivative became non-finite",
    SOLVER_FAILED: "failed: the solver reported a failure",
    BAD_INPUT: "not run: a parameter, a state or the stimulus of this cell is not finite",
}

#: Largest output a run may store, in values (time points x states x cells): 1e8 values
#: are 0.8 GB. A larger request is refused before any work.
MAX_SAMPLES = 100_000_000

#: On an engine that counts right-hand-side evaluations instead of steps, the budget is
#: this many evaluations per step of ``max_steps``.
EVALUATIONS_PER_STEP = 20


def default_max_steps(t_end: float) -> int:
    """Default step budget per cell: 100 000 plus 2000 per ms of simulated time.

    HH firing at 70 Hz takes about 10 explicit steps per ms at ``rtol`` 1e-6, so the
    budget leaves a factor of 200; it grows with ``t_end`` so that long runs are not cut
    short by a fixed cap.
    """
    return int(100_000 + 2000.0 * float(t_end))


def check_output_size(n_times: int, n_states: int, n_cells: int, limit: int, what: str) -> None:
    """Refuse, before any work, an output larger than ``limit`` values."""
    values = float(n_times) * n_states * n_cells
    if values > limit:
        raise ValueError(
            f"{what}: {n_times:.6g} time points x {n_states} states x {n_cells} cell(s) = {values:.3g} values "
            f"({values * 8 / 2**30:.3g} GiB) exceeds the limit of max_samples = {limit:.3g} values; "
            "pass a larger dt (or a larger max_samples)"
        )


@dataclass
class Problem:
    """What an engine integrates: one model, ``n`` cells (see the module docstring).

    Attributes
    ----------
    model : Model
    protocol : Protocol
        Stimulus shape; cell k receives ``amplitude[k]`` times its current.
    amplitude : ndarray, shape (n,)
    p : ndarray, shape (n_full_parameters, n)
        Full parameter vectors (:meth:`Model.full_parameters`), C-ordered.
    y0 : ndarray, shape (n_states, n)
    t_start, t_end : float
        ms.
    rtol, atol, max_step : float
    sample_t : ndarray or None
        Output grid, ms; None: the engine's own steps (SciPy only).
    threshold : float
        Spike threshold on V, mV.
    max_spikes, max_steps : int
    bad : ndarray of bool, shape (n,)
        Cells not to integrate (non-finite inputs); ``bad_messages`` says why.
    options : dict
        Engine-specific options (``method`` for SciPy, ``stiff_check`` for the explicit one).
    """

    model: object
    protocol: object
    amplitude: np.ndarray
    p: np.ndarray
    y0: np.ndarray
    t_start: float
    t_end: float
    rtol: float
    atol: float
    max_step: float
    sample_t: np.ndarray | None
    threshold: float
    max_spikes: int
    max_steps: int
    bad: np.ndarray
    bad_messages: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.y0.shape[1]

    @property
    def iv(self) -> int:
        return self.model.state_index["V"]

    def segments(self, t_start: float | None = None):
        """``a, b, t0`` (ms) and per-cell stimulus ``C, S`` of shape ``(n, n_segments)``.

        On segment k the current of cell i is ``C[i, k] + S[i, k] (t - t0[k])``.
        """
        a, b, t0, c, s = self.protocol.segments(self.t_end, self.t_start if t_start is None else t_start)
        amp = self.amplitude[:, None]
        return (a, b, t0, np.ascontiguousarray(amp * c[None, :]), np.ascontiguousarray(amp * s[None, :]))

    def tiny(self) -> Problem:
        """A one-cell copy that integrates nothing but has every array type of this problem
        (to compile kernels for exactly the real call's signature)."""
        import copy

        tiny = copy.copy(self)
        tiny.amplitude = self.amplitude[:1].copy()
        tiny.p = np.array(self.p[:, :1], order="C")
        tiny.y0 = np.zeros_like(self.y0[:, :1], order="C")
        tiny.bad = np.ones(1, dtype=bool)
        tiny.bad_messages = {}
        tiny.max_steps = 1
        tiny.options = {k: v for k, v in self.options.items() if k != "on_stiff"}
        if self.sample_t is not None:
            tiny.sample_t = self.sample_t[:2].copy()
        return tiny

    def empty_outcome(self, method: str) -> Outcome:
        """An :class:`Outcome` with arrays allocated for every cell (samples NaN)."""
        n, ns = self.n, self.y0.shape[0]
        m = 0 if self.sample_t is None else self.sample_t.size
        out = Outcome(
            status=np.zeros(n, dtype=np.int64), t_reached=np.full(n, self.t_start),
            n_spikes=np.zeros(n, dtype=np.int64),
            spikes=np.full((n, max(int(self.max_spikes), 1)), np.nan), final_state=self.y0.copy(),
            samples=np.full((n, m, ns), np.nan), n_steps=np.zeros(n, dtype=np.int64),
            n_fev=np.zeros(n, dtype=np.int64), n_jev=np.zeros(n, dtype=np.int64), n_lu=np.zeros(n, dtype=np.int64),
            method=method,
        )
        for k in np.flatnonzero(self.bad):
            out.status[k] = BAD_INPUT
            out.messages[int(k)] = self.bad_messages.get(int(k), STATUS_TEXT[BAD_INPUT])
        return out


@dataclass
class Outcome:
    """What an engine returns for the ``n`` cells of a :class:`Problem`.

    ``samples`` has shape ``(n, n_samples, n_states)``; entries after a failure are NaN.
    ``steps`` (SciPy engine without a sample grid) holds ``(t, Y)`` per cell instead.
    ``messages`` maps a cell index to its own message where the status text is not enough.
    """

    status: np.ndarray
    t_reached: np.ndarray
    n_spikes: np.ndarray
    spikes: np.ndarray
    final_state: np.ndarray
    samples: np.ndarray
    n_steps: np.ndarray
    n_fev: np.ndarray
    n_jev: np.ndarray
    n_lu: np.ndarray
    method: str
    messages: dict = field(default_factory=dict)
    steps: list | None = None

    def message(self, k: int) -> str:
        return self.messages.get(k) or STATUS_TEXT.get(int(self.status[k]), f"status {self.status[k]}")

    def spike_times(self, k: int) -> np.ndarray:
        return self.spikes[k, : min(int(self.n_spikes[k]), self.spikes.shape[1])].copy()


class Engine:
    """Base class of the engines (see the numbered contract in the module docstring)."""

    #: Key in :data:`neuromuscle.engine.ENGINES`.
    name: str = ""
    #: One line for users.
    description: str = ""
    #: Whether the engine can return its own steps (``Problem.sample_t`` None).
    own_steps: bool = False
    #: Why :meth:`available` can be False (for the error that names the engine).
    unavailable: str = "a dependency is missing"

    def available(self) -> bool:
        return True

    def prepare(self, problem: Problem) -> None:
        """Compile (or load from the disk cache) what :meth:`run` needs for ``problem``."""

    def run(self, problem: Problem) -> Outcome:  # pragma: no cover - interface
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<engine {self.name!r}: {self.description}>"


def finite_or_raise(name: str, values, labels=None) -> None:
    """Raise ``ValueError`` naming ``name`` (and the label of the first bad entry) if not finite."""
    arr = np.asarray(values, dtype=float)
    bad = ~np.isfinite(arr)
    if np.any(bad):
        i = int(np.flatnonzero(bad.ravel())[0])
        where = ""
        if labels is not None and arr.ndim >= 1:
            j = np.unravel_index(i, arr.shape)[0]
            where = f"[{labels[j]!r}]" if j < len(labels) else f"[{j}]"
        raise ValueError(
            f"{name}{where} = {float(arr.ravel()[i])!r} is not finite; every value must be a finite number"
        )


def bad_cells(model, P: np.ndarray, Y: np.ndarray, amplitude: np.ndarray, C: np.ndarray) -> dict[int, str]:
    """Cells with a non-finite parameter, initial state or stimulus, with the reason."""
    out = {}
    names = list(model.parameter_names) + list(model.derived_names)
    for k in range(Y.shape[1]):
        for label, col, nm in (("parameter", P[:, k], names), ("y0", Y[:, k], model.state_names)):
            bad = np.flatnonzero(~np.isfinite(col))
            if bad.size:
                j = int(bad[0])
                what = nm[j] if j < len(nm) else str(j)
                out[k] = f"not run: {label} {what!r} = {float(col[j])!r} is not finite"
                break
        else:
            if not math.isfinite(float(amplitude[k])) or not np.all(np.isfinite(C[k])):
                out[k] = f"not run: the stimulus amplitude {float(amplitude[k])!r} is not finite"
    return out
