"""The compiled stiff engine: RODAS4 in numba with a structural sparse Jacobian.

How it meets the contract of :mod:`neuromuscle.engine.base`:

1. name ``"stiff"``; available when numba is.
2. options ``jac_reuse`` (:data:`JAC_REUSE`) and ``sparse_lu`` (False: always the band LU);
   the Jacobian's sparsity, colouring, band ordering and LU pattern come from the model's
   structure (:func:`neuromuscle.engine.structure.jacobian_structure`, computed once per
   model and cached on it).
3. restarts at every protocol breakpoint.
4. error estimate of the embedded order-3 solution in SciPy's norm.
5. spikes located on each accepted step by a cubic Hermite interpolant and bisection.
6. output on ``sample_t`` by the same interpolant (a grid is required).
7. ``max_steps`` accepted steps per cell.
8. as the explicit engine; a singular iteration matrix shrinks the step.

Nothing inside the integration calls Python: the right-hand side, the finite-difference
Jacobian (one evaluation per colour), the sparse or band LU and the stages are all compiled.
"""

from __future__ import annotations

import numpy as np

from . import base
from .compile import numba_available, ready
from .structure import jacobian_structure, probed_sparsity

__all__ = ["StiffEngine", "structure_of"]

_STRUCTURES: dict = {}

#: Accepted steps a Jacobian is kept for before it is recomputed (0: every step). A
#: rejected step refreshes a kept Jacobian before the step is shrunk further.
JAC_REUSE = 0


def structure_of(model):
    """The model's :class:`~.structure.JacobianStructure` (cached per model object)."""
    key = id(model)
    hit = _STRUCTURES.get(key)
    if hit is None or hit[0] is not model:
        hit = (model, jacobian_structure(model, probed_sparsity(model)))
        _STRUCTURES[key] = hit
    return hit[1]


class StiffEngine(base.Engine):
    name = "stiff"
    description = "compiled Rosenbrock RODAS4 (numba) with a structural sparse Jacobian and band LU"
    unavailable = "numba cannot be imported"

    def available(self) -> bool:
        return numba_available()

    def prepare(self, problem: base.Problem):
        tiny = problem.tiny()
        return ready(problem.model, "rodas", lambda kern, mod: self._kernel(kern, mod, tiny))

    def run(self, problem: base.Problem) -> base.Outcome:
        if problem.sample_t is None:
            raise ValueError("the stiff engine needs an output grid (sample_t)")
        return self._kernel(*self.prepare(problem), problem)

    @staticmethod
    def _kernel(kern, mod, problem: base.Problem) -> base.Outcome:
        js = structure_of(problem.model)
        out = problem.empty_outcome("RODAS4 (compiled, sparse Jacobian)")
        a, b, t0, C, S = problem.segments()
        Y = np.array(problem.y0, dtype=float, order="C")
        P = np.array(problem.p, dtype=float, order="C")
        skip = np.array(problem.bad, dtype=np.bool_)
        kern.rodas_batch(mod.rhs_c, Y, P, a, b, t0, C, S, float(problem.rtol), float(problem.atol),
                         float(problem.max_step),
                        problem.iv, float(problem.threshold), out.spikes, problem.sample_t, out.samples,
                        int(problem.max_steps), js.jac_ptr, js.jac_rows, js.color_ptr, js.color_cols, js.perm,
                        js.pinv, int(js.kl), int(js.ku), bool(js.t_dependent),
                        int(problem.options.get("jac_reuse", JAC_REUSE)), skip,
                        out.status, out.t_reached, out.n_spikes, out.n_steps, out.n_fev, out.n_jev, out.n_lu,
                        js.lu_ptr, js.lu_cols, js.lu_diag, bool(problem.options.get("sparse_lu", js.sparse_lu)))
        out.final_state[:] = np.where(skip[None, :], problem.y0, Y)
        out.t_reached[skip] = problem.t_start
        for k in np.flatnonzero(out.status < 0):
            out.messages.setdefault(int(k), f"{base.STATUS_TEXT[int(out.status[k])]} at t = {out.t_reached[k]:g} ms")
        return out
