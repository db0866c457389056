"""Equilibria (resting states) of a model and their stability.

The search reduces the system to one dimension first: with every state that has a
steady-state function held at its steady state for a given membrane potential, the
net membrane current is a function of V alone. Its zeros on a fine V grid locate every
equilibrium (several where the membrane is bistable, as in a low-K muscle fibre); each
is then polished with a root finder on the full system. Stability comes from the
eigenvalues of the full Jacobian at the equilibrium.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import Model

__all__ = ["Equilibrium", "equilibria", "jacobian", "resting_state"]


@dataclass(frozen=True)
class Equilibrium:
    """An equilibrium of the model at a constant applied current.

    Attributes
    ----------
    v : float
        Membrane potential, mV.
    y : ndarray
        Full state vector.
    eigenvalues : ndarray
        Eigenvalues of the Jacobian, 1/ms, sorted by decreasing real part.
    i_stim : float
        The constant applied current, uA/cm2.
    """

    v: float
    y: np.ndarray
    eigenvalues: np.ndarray
    i_stim: float

    @property
    def stable(self) -> bool:
        """True if every eigenvalue has a negative real part (a stable rest state)."""
        return bool(np.all(self.eigenvalues.real < 0))

    @property
    def kind(self) -> str:
        """"stable node", "stable focus", "unstable focus", "saddle" or "unstable node"."""
        lead = self.eigenvalues[0]
        n_unstable = int(np.sum(self.eigenvalues.real > 0))
        if n_unstable == 0:
            return "stable focus" if np.any(np.abs(self.eigenvalues.imag) > 0) else "stable node"
        if n_unstable < len(self.eigenvalues) and abs(lead.imag) == 0:
            return "saddle"
        return "unstable focus" if abs(lead.imag) > 0 else "unstable node"


def jacobian(model: Model, y, p=None, i_stim: float = 0.0) -> np.ndarray:
    """Jacobian ``d(dy/dt)/dy`` (1/ms) by central differences, one batched rhs call."""
    p = model.parameter_vector() if p is None else p
    y = np.asarray(y, dtype=float)
    n = y.size
    h = 1e-6 * np.maximum(1.0, np.abs(y))
    cols = np.concatenate([y[:, None] + np.diag(h), y[:, None] - np.diag(h)], axis=1)
    f = model.rhs(0.0, cols, p, i_stim)
    return (f[:, :n] - f[:, n:]) / (2 * h)


def _polish(model: Model, y0, p, i_stim):
    from scipy import optimize  # imported when used: a script that never solves pays nothing
    sol = optimize.root(lambda y: model.rhs(0.0, y, p, i_stim), y0, method="hybr", tol=1e-12)
    return sol.x if sol.success else None


def equilibria(
    model: Model,
    p=None,
    i_stim: float = 0.0,
    v_range: tuple[float, float] = (-150.0, 60.0),
    n_grid: int = 4201,
) -> list[Equilibrium]:
    """All equilibria with V in ``v_range``, at constant applied current ``i_stim``.

    Parameters
    ----------
    model : Model
    p : ndarray, optional
        Parameter vector (default: the model's).
    i_stim : float
        Constant applied current, uA/cm2.
    v_range : (float, float)
        Potentials searched, mV.
    n_grid : int
        Grid points for the sign-change scan (0.05 mV spacing by default); two
        equilibria closer than the spacing may be missed.

    Returns
    -------
    list of Equilibrium
        Sorted by membrane potential.
    """
    if getattr(model, "equilibrium_finder", None) is not None:
        return model.equilibrium_finder(model, p, i_stim, v_range, n_grid)
    p = model.full_parameters(p)  # derived quantities once, not at every call below
    iv = model.state_index["V"]
    grid = np.linspace(*v_range, n_grid)
    ygrid = model.quasi_steady_state(grid, p, i_stim)
    fgrid = model.rhs(0.0, ygrid, p, i_stim)[iv]

    def g(v):
        return float(model.rhs(0.0, model.quasi_steady_state(v, p, i_stim), p, i_stim)[iv])

    roots = [grid[k] for k in np.flatnonzero(fgrid == 0.0)]
    for k in np.flatnonzero(np.sign(fgrid[:-1]) * np.sign(fgrid[1:]) < 0):
        from scipy import optimize
        roots.append(optimize.brentq(g, grid[k], grid[k + 1], xtol=1e-12))
    found: list[Equilibrium] = []
    for v in sorted(roots):
        y0 = model.quasi_steady_state(v, p, i_stim)
        y = _polish(model, y0, p, i_stim)
        if y is None:
            continue
        if any(abs(e.v - y[iv]) < 1e-6 for e in found):
            continue
        eig = np.linalg.eigvals(jacobian(model, y, p, i_stim))
        eig = eig[np.argsort(-eig.real)]
        found.append(Equilibrium(float(y[iv]), y, eig, float(i_stim)))
    return found


def resting_state(model: Model, p=None, i_stim: float = 0.0, **kw) -> Equilibrium:
    """The resting state: the most negative stable equilibrium.

    If no equilibrium is stable (the membrane fires on its own), the most negative
    equilibrium is returned; check :attr:`Equilibrium.stable`.

    Raises
    ------
    RuntimeError
        If no equilibrium exists in the searched range.
    """
    eqs = equilibria(model, p, i_stim, **kw)
    if not eqs:
        raise RuntimeError(
            f"no equilibrium of {model.name} with V in {kw.get('v_range', (-150.0, 60.0))} mV "
            f"at i_stim = {i_stim} uA/cm2"
        )
    stable = [e for e in eqs if e.stable]
    return (stable or eqs)[0]
