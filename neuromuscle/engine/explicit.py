"""The compiled explicit engine: Dormand-Prince 5(4) in numba on the model's generated equations.

How it meets the contract of :mod:`neuromuscle.engine.base`:

1. name ``"explicit"`` (alias ``"fast"``); available when numba is.
2. options: ``block`` (lanes of the lockstep kernel for a batch, default :data:`BLOCK`;
   0 or 1: one cell after another), ``stiff_check`` (stop a cell with status :data:`~.base.STIFF` when Hairer's
   stiffness test fires) and ``on_stiff`` (an engine name, e.g. ``"stiff"``: continue such a
   cell there from the time it stopped).
3. restarts at every protocol breakpoint.
4. SciPy's ``RK45`` error norm and step control.
5. spikes located on each accepted step by a cubic Hermite interpolant and bisection.
6. output on ``sample_t`` by the same interpolant (a grid is required).
7. ``max_steps`` accepted steps per cell.
8. non-finite states or derivatives, a step size below the resolution of ``t`` (also a NaN
   step) and the budget end the cell with its partial result; the kernel cannot loop
   without either advancing ``t`` or shrinking the step.

A batch of several cells runs in lockstep blocks (``dopri_block``): every cell keeps its
own step control and breakpoints, the block shares the evaluations of the right-hand side,
which are vectorised across cells (see :mod:`neuromuscle.engine.kernels.dopri5_block`).
One cell, or a model without a block right-hand side, runs on the one-cell kernel.
"""

from __future__ import annotations

import numpy as np

from . import base
from .compile import compiled_block_module, numba_available, ready

__all__ = ["ExplicitEngine", "BLOCK"]

#: Lanes of the lockstep kernel (cells integrated together), at most. On the 1000-cell HH
#: f-I sweep 8, 16, 32, 64 and 128 lanes were measured (benchmarks/bench_engines.py); wider
#: blocks amortise the kernel's per-step bookkeeping, and the gain flattens past 64.
BLOCK = 64

#: The block's working arrays (about 14 arrays of n_states x lanes) are kept under this many
#: bytes, so that a model with many states still integrates in cache.
BLOCK_BYTES = 512 * 1024


class ExplicitEngine(base.Engine):
    name = "explicit"
    description = "compiled Dormand-Prince 5(4) (numba), for non-stiff models"
    unavailable = "numba cannot be imported"

    def available(self) -> bool:
        return numba_available()

    def prepare(self, problem: base.Problem):
        tiny = problem.tiny()
        kern, mod = ready(problem.model, "dopri", lambda kern, mod: self._kernel(kern, mod, tiny))
        lanes = self.lanes(problem)
        if lanes > 1:
            blk = compiled_block_module(problem.model)
            ready(problem.model, "dopri_block", lambda kern, mod: self._kernel(kern, mod, tiny, blk, 2))
            return kern, mod, blk, lanes
        return kern, mod, None, 1

    @staticmethod
    def lanes(problem: base.Problem) -> int:
        """Lanes the batch runs on: 1 (one cell after another) or the lockstep block width."""
        lanes = int(problem.options.get("block", BLOCK))
        if problem.n < 2 or lanes < 2 or compiled_block_module(problem.model) is None:
            return 1
        n_states = problem.y0.shape[0]
        lanes = min(lanes, max(2, BLOCK_BYTES // (14 * 8 * n_states)))
        return min(lanes, problem.n)

    def run(self, problem: base.Problem) -> base.Outcome:
        if problem.sample_t is None:
            raise ValueError("the explicit engine needs an output grid (sample_t)")
        kern, mod, blk, lanes = self.prepare(problem)
        out = self._kernel(kern, mod, problem, blk, lanes)
        self._continue_stiff_cells(problem, out)
        return out

    @staticmethod
    def _kernel(kern, mod, problem: base.Problem, blk=None, lanes=1) -> base.Outcome:
        out = problem.empty_outcome("DOP5 (compiled)" if blk is None else f"DOP5 (compiled, {lanes} cells in lockstep)")
        a, b, t0, C, S = problem.segments()
        Y = np.array(problem.y0, dtype=float, order="C")
        P = np.array(problem.p, dtype=float, order="C")
        skip = np.array(problem.bad, dtype=np.bool_)
        n_fev = np.zeros(problem.n, dtype=np.int64)
        args = (Y, P, a, b, t0, C, S, float(problem.rtol), float(problem.atol), float(problem.max_step),
                problem.iv, float(problem.threshold), out.spikes, problem.sample_t, out.samples,
                int(problem.max_steps), bool(problem.options.get("stiff_check", False)), skip,
                out.status, out.t_reached, out.n_spikes, out.n_steps, n_fev)
        if blk is None:
            kern.dopri_batch(mod.rhs_c, *args)
        else:
            kern.dopri_block(mod.rhs_c, blk.rhs_blk_c, int(lanes), *args)
        return ExplicitEngine._finish(problem, out, Y, n_fev)

    @staticmethod
    def _finish(problem: base.Problem, out: base.Outcome, Y: np.ndarray, n_fev: np.ndarray) -> base.Outcome:
        """Fill ``out`` from a kernel's final states ``Y`` and evaluation counts; messages of failed cells."""
        skip = np.asarray(problem.bad, dtype=bool)
        out.n_fev[:] = n_fev
        out.final_state[:] = np.where(skip[None, :], problem.y0, Y)
        out.t_reached[skip] = problem.t_start
        for k in np.flatnonzero(out.status < 0):
            out.messages.setdefault(int(k), f"{base.STATUS_TEXT[int(out.status[k])]} at t = {out.t_reached[k]:g} ms")
        return out

    @classmethod
    def _continue_stiff_cells(cls, problem: base.Problem, out: base.Outcome) -> None:
        """Continue the cells that stopped with status STIFF on the ``on_stiff`` engine, if asked."""
        on_stiff = problem.options.get("on_stiff")
        stiff_cells = np.flatnonzero(out.status == base.STIFF)
        if on_stiff and stiff_cells.size:
            from . import get_engine

            cls._continue(problem, out, stiff_cells, get_engine(on_stiff))

    @staticmethod
    def _continue(problem, out, cells, engine) -> None:
        """Continue the cells that turned stiff on ``engine``, each from where it stopped."""
        first = out.method
        for k in cells:
            tk = float(out.t_reached[k])
            sample_t = problem.sample_t[problem.sample_t > tk] if problem.sample_t is not None else None
            sub = base.Problem(
                model=problem.model, protocol=problem.protocol, amplitude=problem.amplitude[k:k + 1],
                p=problem.p[:, k:k + 1], y0=out.final_state[:, k:k + 1].copy(), t_start=tk, t_end=problem.t_end,
                rtol=problem.rtol, atol=problem.atol, max_step=problem.max_step, sample_t=sample_t,
                threshold=problem.threshold, max_spikes=problem.max_spikes,
                max_steps=max(1, int(problem.max_steps) - int(out.n_steps[k])), bad=np.zeros(1, dtype=bool),
                options={},
            )
            res = engine.run(sub)
            n0 = int(out.n_spikes[k])
            ns = int(res.n_spikes[0])
            room = max(0, out.spikes.shape[1] - n0)
            m = min(ns, room, res.spikes.shape[1])
            out.spikes[k, n0:n0 + m] = res.spikes[0, :m]
            out.n_spikes[k] = n0 + ns
            if sample_t is not None and sample_t.size:
                out.samples[k, problem.sample_t > tk, :] = res.samples[0]
            out.status[k] = res.status[0]
            if out.status[k] == base.OK and out.n_spikes[k] > out.spikes.shape[1]:
                out.status[k] = base.SPIKE_BUFFER_FULL
            out.t_reached[k] = res.t_reached[0]
            out.final_state[:, k] = res.final_state[:, 0]
            out.n_steps[k] += res.n_steps[0]
            out.n_fev[k] += res.n_fev[0]
            out.n_jev[k] += res.n_jev[0]
            out.n_lu[k] += res.n_lu[0]
            out.messages[int(k)] = (f"stiff at t = {tk:.4g} ms, continued on {res.method}: {res.message(0)}")
            out.method = f"{first}, then {res.method} where the problem turned stiff"
