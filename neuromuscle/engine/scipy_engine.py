"""The SciPy engine: :func:`scipy.integrate.solve_ivp` on the model's NumPy equations.

The reference the compiled engines are tested against. How it meets the contract of
:mod:`neuromuscle.engine.base`:

1. name ``"scipy"``; always available.
2. option ``method`` (one of :data:`METHODS`, default :data:`DEFAULT_METHOD`) and
   ``compiled`` (use the numba-compiled right-hand side instead of the NumPy one).
3. one ``solve_ivp`` call per protocol segment.
4. SciPy's own error control.
5. spikes by a solver event, located on SciPy's dense output.
6. output on ``sample_t`` (``t_eval``: only those points are stored, not every step), or
   the solver's own steps when ``sample_t`` is None.
7. the budget counts right-hand-side evaluations, :data:`~.base.EVALUATIONS_PER_STEP`
   per step of ``max_steps``.
8. a failure of ``solve_ivp``, non-finite states, the budget, or evaluations that stop
   advancing in time (LSODA does not return once the states have run off to infinity)
   end the cell with the segments finished before it.
"""

from __future__ import annotations

import numpy as np

from . import base

__all__ = ["ScipyEngine", "METHODS", "DEFAULT_METHOD"]

#: Default integrator. LSODA switches between a non-stiff Adams and a stiff BDF method
#: by itself, so it copes with stiff models (fast Ca buffers) without paying BDF's cost
#: on HH, where it is several times faster than SciPy's BDF or Radau at the same
#: accuracy. Figures: docs/performance.md (benchmarks/bench_hh.py).
DEFAULT_METHOD = "LSODA"
METHODS = ("LSODA", "RK45", "DOP853", "Radau", "BDF", "RK23")

#: Evaluations of the right-hand side without the time advancing after which a SciPy
#: integration is taken to have stalled (a healthy step needs a few, plus one per state
#: for a finite-difference Jacobian)
MAX_STALLED_CALLS = 20_000


class _Stopped(ArithmeticError):
    """Raised inside the right-hand side to end an integration (stall or budget)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class _SpikeEvent:
    """Event: V crosses ``threshold`` upwards (non-terminal)."""

    direction = 1.0
    terminal = False

    def __init__(self, index: int, threshold: float) -> None:
        self.index = index
        self.threshold = threshold

    def __call__(self, t, y):
        return y[self.index] - self.threshold


def integrate(model, segs, p, y, method, rtol, atol, max_step, sample_t, threshold, max_evaluations, rhs=None):
    """One cell from ``segs[0][0]`` to ``segs[1][-1]``, restarting at every segment.

    ``segs``: ``(a, b, t0, c, s)`` for this cell. Returns ``(t, Y, spikes, counters, status,
    message)`` where ``t`` starts after the first segment's start.
    """
    rhs = model.function("rhs") if rhs is None else rhs
    event = _SpikeEvent(model.state_index["V"], threshold)
    # A cable declares its Jacobian's band: LSODA then differences ~2 band + 1 columns per
    # Jacobian instead of one per state (1768 for a 21-node myelinated axon)
    band = getattr(model, "jacobian_bandwidth", None)
    band_kw = {"lband": band[0], "uband": band[1]} if band is not None and method == "LSODA" else {}
    ts, ys, spikes = [], [], []
    counters = np.zeros(3, dtype=int)  # nfev, njev, nlu
    status, message = base.OK, base.STATUS_TEXT[base.OK]
    track = [-np.inf, 0, 0]  # latest time evaluated, evaluations since it last advanced, all evaluations
    for a, b, T0, c0, s0 in zip(*segs):

        def fun(t, yy, c0=c0, s0=s0, T0=T0):
            if t > track[0]:
                track[0], track[1] = t, 0
            else:
                track[1] += 1
                if track[1] > MAX_STALLED_CALLS:
                    raise _Stopped(f"{method} made no progress past t = {track[0]:g} ms in "
                                   f"{MAX_STALLED_CALLS} evaluations (the states ran off?)", base.STEP_TOO_SMALL)
            track[2] += 1 if yy.ndim == 1 else yy.shape[1]
            if track[2] > max_evaluations:
                raise _Stopped(f"{method} exceeded the budget of {max_evaluations} right-hand-side evaluations "
                               f"at t = {track[0]:g} ms (max_steps)", base.TOO_MANY_STEPS)
            out = np.empty(yy.shape)
            return rhs(t, yy, p, c0 + s0 * (t - T0), out)

        t_eval = None
        if sample_t is not None:
            t_eval = sample_t[(sample_t > a) & (sample_t <= b)]
            if t_eval.size == 0 or t_eval[-1] != b:
                t_eval = np.append(t_eval, b)  # the segment's end: the state to restart from
        # Implicit methods probe trial states far from the solution; exp() may overflow
        # there. The step is then rejected by the error control, so the warning is noise.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            try:
                from scipy.integrate import solve_ivp  # imported when the engine runs
                sol = solve_ivp(
                    fun, (a, b), y, method=method, rtol=rtol, atol=atol, max_step=max_step,
                    events=event, t_eval=t_eval, vectorized=method in ("BDF", "Radau"), **band_kw,
                )
            except _Stopped as exc:  # what was integrated before this segment is kept
                status, message = exc.status, f"failed: {exc} (segment {a:g}-{b:g} ms)"
                break
        counters += (sol.nfev, sol.njev, sol.nlu)
        spikes.append(sol.t_events[0])
        keep = sol.t > a
        ts.append(sol.t[keep])
        ys.append(sol.y[:, keep])
        if sol.status == -1 or not np.all(np.isfinite(sol.y)):
            if sol.status == -1:
                status = base.SOLVER_FAILED
                message = f"failed: {method} at t = {sol.t[-1]:g} ms (segment {a:g}-{b:g} ms): {sol.message}"
            else:
                status = base.NOT_FINITE
                message = f"failed: {method} produced non-finite states by t = {sol.t[-1]:g} ms"
            break
        y = sol.y[:, -1]
    if not ts:  # stopped in the first segment: nothing but the start
        return np.empty(0), np.empty((y.size, 0)), np.empty(0), counters, status, message
    return (np.concatenate(ts), np.concatenate(ys, axis=1), np.concatenate(spikes), counters, status, message)


class ScipyEngine(base.Engine):
    name = "scipy"
    description = "scipy.integrate.solve_ivp (LSODA by default) on the NumPy equations; the reference"
    own_steps = True

    def run(self, problem: base.Problem) -> base.Outcome:
        method = problem.options.get("method") or DEFAULT_METHOD
        if method not in METHODS:
            raise ValueError(f"method = {method!r} is not one of {METHODS}")
        rhs = None
        label = method
        if problem.options.get("compiled"):
            from .compile import compiled_rhs

            rhs = compiled_rhs(problem.model)
            label += " (compiled equations)"
        out = problem.empty_outcome(label)
        a, b, t0, C, S = problem.segments()
        budget = int(problem.max_steps) * base.EVALUATIONS_PER_STEP
        steps = [] if problem.sample_t is None else None
        for k in range(problem.n):
            y0 = problem.y0[:, k].copy()
            if problem.bad[k]:
                if steps is not None:
                    steps.append((np.array([problem.t_start]), y0[:, None]))
                continue
            t, Y, spk, counters, st, message = integrate(
                problem.model, (a, b, t0, C[k], S[k]), np.ascontiguousarray(problem.p[:, k]), y0, method,
                problem.rtol, problem.atol, problem.max_step, problem.sample_t, problem.threshold, budget, rhs=rhs,
            )
            t_full = np.concatenate([[problem.t_start], t])
            Y_full = np.concatenate([y0[:, None], Y], axis=1)
            out.t_reached[k] = t_full[-1]
            out.final_state[:, k] = Y_full[:, -1]
            out.n_spikes[k] = spk.size
            m = min(spk.size, out.spikes.shape[1])
            out.spikes[k, :m] = spk[:m]
            out.n_steps[k] = t.size
            out.n_fev[k], out.n_jev[k], out.n_lu[k] = counters
            if st != 0:
                out.status[k] = st
                out.messages[k] = message
            elif spk.size > out.spikes.shape[1]:
                out.status[k] = base.SPIKE_BUFFER_FULL
            if steps is not None:
                steps.append((t_full, Y_full))
            else:
                # t_eval points are exact; the segment ends appended for restarts are dropped
                pos = np.searchsorted(t_full, problem.sample_t)
                hit = (pos < t_full.size) & (t_full[np.minimum(pos, t_full.size - 1)] == problem.sample_t)
                out.samples[k, hit, :] = Y_full[:, pos[hit]].T
        out.steps = steps
        return out
