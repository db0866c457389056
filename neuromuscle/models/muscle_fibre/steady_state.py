"""Steady states of the fibre: ion currents, resting states in acute, chloride and chronic
modes, and the solver behind them."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ...electrochem import rt_over_f
from ...electrolytes import Electrolytes, as_electrolytes, model_parameters
from ...model import Model
from ...steady import Equilibrium, jacobian


def ion_currents(model: Model, y, p=None) -> dict[str, float]:
    """Membrane current carried by each ion, uA per cm2 of *surface* (tubular currents times
    ``gamma``), outward positive; also every contributing output by name. Floats for one
    state; arrays for states given as columns.

    Uses the ``carries`` declarations of the outputs (the pump counts as 3 Na out and 2 K
    in). The access current carries no net ion across the membrane and is not counted.
    """
    obs = model.observables(0.0, y, p)
    gamma = 1.0
    if "access.gamma" in model.parameter_index:
        pv = model.parameter_vector() if p is None else p
        gamma = np.asarray(pv, dtype=float)[model.parameter_index["access.gamma"]]
    out: dict[str, float] = {}
    for comp in model.components:
        for o in comp.outputs:
            if not o.carries:
                continue
            name = comp.output_name(o)
            weight = gamma if comp.sum_name(o) == "I_ion_t" else 1.0
            value = np.asarray(obs[name], dtype=float) * weight
            value = float(value) if value.ndim == 0 else value
            out[name] = value
            for ion, factor in o.carries:
                out[ion] = out.get(ion, 0.0) + factor * value
    return out


@dataclass
class FibreState:
    """A steady state of the fibre.

    Attributes
    ----------
    v : float
        Surface membrane potential, mV.
    stable : bool
        Stable with the intracellular ions held (fast stability) and, for ``"chloride"``
        and ``"chronic"``, also against the slow ion movement (the reduced current-voltage
        relation with Cl at equilibrium rises through the point).
    mode : str
        ``"acute"``, ``"chloride"`` or ``"chronic"``.
    y : ndarray
        Full state vector.
    params : dict
        Parameter overrides that reproduce the state (intracellular ions and, when
        electrolytes were given, the extracellular ions and temperature); pass to
        :func:`~neuromuscle.simulate` as ``params``.
    equilibrium : Equilibrium
        Eigenvalues etc. with the intracellular ions held.
    """

    v: float
    stable: bool
    mode: str
    y: np.ndarray
    params: dict[str, float] = field(default_factory=dict)
    equilibrium: Equilibrium | None = None

    @property
    def cytosol(self) -> dict[str, float]:
        """Myoplasmic Na, K, Cl (mM) of this state."""
        return {k: self.params[k] for k in ("Na_i", "K_i", "Cl_i")}


_MODES = ("acute", "chloride", "chronic")


def fibre_states(
    model: Model,
    electrolytes: Electrolytes | None = None,
    mode: str = "acute",
    v_range: tuple[float, float] = (-170.0, -20.0),
    n_grid: int = 3001,
) -> list[FibreState]:
    """All steady states of the fibre in ``electrolytes`` (default: the model's own), by
    how long the fibre has had to adapt.

    Parameters
    ----------
    model : Model
        From :func:`muscle_fibre`.
    electrolytes : Electrolytes, optional
        New extracellular ions (intracellular ones, if given, are used as the start).
    mode : {"acute", "chloride", "chronic"}
        ``"acute"``: seconds after the change; myoplasmic Na, K and Cl as before.
        ``"chloride"``: minutes; Cl has redistributed (ClC-1 is the largest resting
        conductance) until no net Cl current flows; Na and K as before.
        ``"chronic"``: hours; Na, K and Cl have re-settled under the pump until no net flux
        of any of them remains, at constant cell volume and fixed impermeant anion (so
        ``Na_i + K_i - Cl_i`` is conserved).
    v_range, n_grid
        Potentials scanned for equilibria (mV) and grid size.

    Returns
    -------
    list of FibreState
        Sorted by potential. Several stable states mean the fibre is bistable: which one
        it is in depends on its history. Empty (with a ``RuntimeWarning``) when none is
        found, e.g. in chronic mode at K_o of a few tenths of a mM, where the pump cannot
        balance the Na leak.
    """
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}, got {mode!r}")
    base = {name: float(model.parameters[name].value) for name in ("Na_i", "K_i", "Cl_i")}
    e = as_electrolytes("electrolytes", electrolytes) if electrolytes is not None else model.electrolytes
    params = {**base, **model_parameters(model, e)} if e is not None else dict(base)
    p0 = model.parameter_vector(params)
    found = []
    for y, p_sol, eq, reduced_stable in _states(model, p0, mode, 0.0, v_range, n_grid):
        stable = eq.stable and (mode == "acute" or reduced_stable)
        out = {n: float(p_sol[model.parameter_index[n]]) for n in params}
        found.append(FibreState(eq.v, stable, mode, y, out, eq))
    if not found:
        hint = (" In chronic mode there may be none: a pump slowed by low K_o cannot balance the Na "
                "leak at constant volume." if mode == "chronic" else "")
        warnings.warn(f"fibre_states: no steady state found for V in {v_range} mV (mode {mode!r}).{hint}",
                      RuntimeWarning, stacklevel=2)
    return found


def _equilibria(model: Model, p=None, i_stim: float = 0.0, v_range=(-170.0, -20.0), n_grid: int = 3001):
    """Equilibrium finder for the fibre with fixed parameters (used by
    :func:`neuromuscle.steady.equilibria`): the generic one cannot guess ``u`` and ``K_t``."""
    p0 = model.parameter_vector() if p is None else np.asarray(p, dtype=float)[: len(model.parameter_names)]
    return [eq for _, _, eq, _ in _states(model, p0, "acute", i_stim, v_range, n_grid)]


def _states(model: Model, p0, mode, i_stim, v_range, n_grid):
    """Scan V, then solve each bracketed equilibrium exactly: (y, p, Equilibrium, reduced_stable)."""
    ip = model.parameter_index
    iv = model.state_index["V"]
    vt = rt_over_f(float(p0[ip["celsius"]]))
    grid = np.linspace(*v_range, n_grid)
    pg = np.repeat(p0[:, None], n_grid, axis=1)
    conserved = p0[ip["Na_i"]] + p0[ip["K_i"]] - p0[ip["Cl_i"]]
    if mode != "acute":  # no net Cl current (and, chronic, no net Na flux) at every grid potential
        pg[ip["Cl_i"]] = p0[ip["Cl_o"]] * np.exp(grid / vt)
        for _ in range(2):
            # E_Cl lies between V and u (their Cl currents cancel): one secant step in E_Cl on
            # the (ohmic) Cl current, then re-relax the tubule
            yg = _relaxed(model, grid, pg, i_stim)
            i_cl = ion_currents(model, yg, pg)["Cl"]
            shifted = pg.copy()
            shifted[ip["Cl_i"]] *= np.exp(0.01 / vt)
            d_e = -0.01 * i_cl / (ion_currents(model, yg, shifted)["Cl"] - i_cl)
            pg[ip["Cl_i"]] *= np.exp(d_e / vt)
            if mode == "chronic":
                _balance_sodium(model, yg, pg, conserved)
    yg = _relaxed(model, grid, pg, i_stim)
    fgrid = model.rhs(0.0, yg, pg, i_stim)[iv]
    unknown = {"acute": [], "chloride": ["Cl_i"], "chronic": ["Cl_i", "Na_i", "K_i"]}[mode]
    found = []
    for k in np.flatnonzero(np.sign(fgrid[:-1]) * np.sign(fgrid[1:]) < 0):
        x0 = np.concatenate([yg[:, k], [pg[ip[n], k] for n in unknown]])
        sol = _solve(model, p0, x0, unknown, conserved, i_stim)
        if sol is None:
            continue
        y, values = sol
        p_sol = p0.copy()
        for n, val in zip(unknown, values):
            p_sol[ip[n]] = val
        if any(abs(f[0][iv] - y[iv]) < 1e-6 for f in found):
            continue
        eig = np.linalg.eigvals(jacobian(model, y, p_sol, i_stim))
        eq = Equilibrium(float(y[iv]), y, eig[np.argsort(-eig.real)], float(i_stim))
        found.append((y, p_sol, eq, bool(fgrid[k] > 0 > fgrid[k + 1])))
    return sorted(found, key=lambda f: f[2].v)


def _balance_sodium(model: Model, y, p, conserved, n_iter: int = 40) -> None:
    """Set myoplasmic Na in every column of ``p`` (in place) so that no net Na flux flows, with
    K_i = conserved - Na_i + Cl_i (constant volume); bisection on log Na_i (the net Na efflux
    rises with Na_i: the pump speeds up and the inward driving force falls). Used by the
    chronic scan, whose states can carry several times the normal Na."""
    ip = model.parameter_index
    lo = np.full(p.shape[1], np.log(0.1))
    hi = np.log(np.maximum(conserved + p[ip["Cl_i"]] - 1.0, 0.2))  # K_i stays >= 1 mM
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        p[ip["Na_i"]] = np.exp(mid)
        p[ip["K_i"]] = conserved - p[ip["Na_i"]] + p[ip["Cl_i"]]
        efflux = ion_currents(model, y, p)["Na"] > 0
        hi = np.where(efflux, mid, hi)
        lo = np.where(efflux, lo, mid)
    p[ip["Na_i"]] = np.exp(0.5 * (lo + hi))
    p[ip["K_i"]] = conserved - p[ip["Na_i"]] + p[ip["Cl_i"]]


def _relaxed(model: Model, v, p, i_stim, n_iter: int = 40):
    """States at surface potential ``v`` with every gate at its steady state and the
    tubule (potential ``u``, lumen K ``K_t``) at its own balance.

    The tubule is not at ``v``: its membrane differs from the surface one (pump and Kir
    densities, lumen K), so at rest a steady current flows through the access resistance
    and ``u`` differs from ``v`` by a fraction of a mV to a few mV. Against resting
    conductances of a few mS/cm2 that offset matters, so ``u`` is solved for too: Newton on
    (u, log K_t) from u = v, with nested bisection for any point where Newton fails.
    """
    y = model.quasi_steady_state(v, p, i_stim)
    if "u" not in model.state_index:
        if "K_t" in model.state_index:
            y[model.state_index["K_t"]] = _lumen_k(model, y, p, i_stim, model.state_index["K_t"], n_iter)
        return y
    iu, ik = model.state_index["u"], model.state_index["K_t"]
    tubular = _tubular_gates(model)

    def at(u, log_k, base, pp):
        return _compose(model, base[model.state_index["V"]], u, np.exp(log_k), pp, i_stim, tubular, base)

    def f(u, log_k, base, pp):
        d = model.rhs(0.0, at(u, log_k, base, pp), pp, i_stim)
        return d[iu], d[ik] / np.exp(log_k)  # relative rate for K_t

    u = np.array(y[iu], dtype=float)
    log_k = np.log(_lumen_k(model, y, p, i_stim, ik, n_iter))
    with np.errstate(all="ignore"):
        for _ in range(15):
            fu, fk = f(u, log_k, y, p)
            fu_u, fk_u = f(u + 1e-4, log_k, y, p)
            fu_k, fk_k = f(u, log_k + 1e-6, y, p)
            a, b = (fu_u - fu) / 1e-4, (fu_k - fu) / 1e-6
            c, d = (fk_u - fk) / 1e-4, (fk_k - fk) / 1e-6
            det = a * d - b * c
            du = np.clip((-fu * d + b * fk) / det, -5.0, 5.0)
            dk = np.clip((-a * fk + c * fu) / det, -0.5, 0.5)
            u, log_k = u + np.nan_to_num(du), log_k + np.nan_to_num(dk)
        fu, fk = f(u, log_k, y, p)
    bad = ~((np.abs(fu) < 1e-9) & (np.abs(fk) < 1e-9) & np.isfinite(u) & np.isfinite(log_k))
    if np.any(bad):  # fall back to nested bisection on those points
        cols = np.flatnonzero(np.atleast_1d(bad))
        pp = p[:, cols] if np.ndim(p) == 2 else p
        sub = y[:, cols] if y.ndim == 2 else y
        lo, hi = sub[iu] - 40.0, sub[iu] + 40.0
        for _ in range(n_iter):
            mid = 0.5 * (lo + hi)
            trial = at(mid, 0.0, sub, pp)
            trial[ik] = _lumen_k(model, trial, pp, i_stim, ik, n_iter)
            up = model.rhs(0.0, trial, pp, i_stim)[iu] > 0
            lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
        trial = at(0.5 * (lo + hi), 0.0, sub, pp)
        k_sub = _lumen_k(model, trial, pp, i_stim, ik, n_iter)
        if y.ndim == 2:
            u[cols], log_k[cols] = trial[iu], np.log(k_sub)
        else:
            u, log_k = trial[iu], np.log(k_sub)
    return at(u, log_k, y, p)


def _lumen_k(model: Model, y, p, i_stim, ik, n_iter):
    """Tubular K at its balance for the other states in ``y``, by bisection on log K_t.

    dK_t/dt is positive for K_t -> 0 and negative for large K_t, but not monotone in between
    (Kir conductance rises with K_t), so Newton from K_o can walk away from the root.
    """
    y = y.copy()
    lo = np.full(np.shape(y[ik]), np.log(1e-3))
    hi = np.full(np.shape(y[ik]), np.log(2000.0))
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        y[ik] = np.exp(mid)
        up = model.rhs(0.0, y, p, i_stim)[ik] > 0
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    return np.exp(0.5 * (lo + hi))


def _compose(model: Model, v, u, k_t, p, i_stim, tubular, surface=None):
    """Full state with the surface gates at steady state at ``v``, the tubular ones at ``u``.
    ``surface``: the quasi-steady state at ``v`` if already computed."""
    y = model.quasi_steady_state(v, p, i_stim) if surface is None else surface.copy()
    if "u" in model.state_index:
        y[tubular] = model.quasi_steady_state(u, p, i_stim)[tubular]
        y[model.state_index["u"]] = u
    if "K_t" in model.state_index:
        y[model.state_index["K_t"]] = k_t
    return y


def _tubular_gates(model: Model) -> list[int]:
    return [model.state_index[c.state_name(s)] for c in model.components
            if c.inputs.get("V") == "u" for s in c.states if not s.shared]


def _solve(model: Model, p0, x0, unknown, conserved, i_stim=0.0):
    """Root of rhs = 0 plus, per unknown ion, its balance; None if it fails.

    At a steady state every gate sits at its steady-state value, so only the potentials
    ``V`` and ``u``, the lumen K and the unknown myoplasmic ions are solved for (a small,
    well-scaled system); the full right-hand side is checked at the end. Concentrations are
    solved for in log space so that Newton steps cannot make them negative.
    """
    ip, si = model.parameter_index, model.state_index
    n = len(model.state_names)
    tubular = _tubular_gates(model)
    slow = [si[k] for k in ("u", "K_t") if k in si]
    has_k = "K_t" in si

    def unpack(z):
        v = z[0]
        u = z[1] if "u" in si else v
        k_t = np.exp(z[1 + ("u" in si)]) if has_k else 1.0
        p = p0.copy()
        for j, name in enumerate(unknown):
            p[ip[name]] = np.exp(z[1 + len(slow) + j])
        return _compose(model, v, u, k_t, p, i_stim, tubular), p

    def residual(z):
        y, p = unpack(z)
        d = model.rhs(0.0, y, p, i_stim)
        r = [d[si["V"]]] + [d[k] / (y[k] if k == si.get("K_t") else 1.0) for k in slow]
        if unknown:
            cur = ion_currents(model, y, p)
            r.append(cur.get("Cl", 0.0))
            if "Na_i" in unknown:
                ions = p[[ip["Cl_i"], ip["Na_i"], ip["K_i"]]]
                r.append(cur.get("Na", 0.0))
                r.append((ions[1] + ions[2] - ions[0] - conserved) / conserved)
        return np.asarray(r)

    x0 = np.asarray(x0, dtype=float)
    z0 = [x0[si["V"]]] + ([x0[si["u"]]] if "u" in si else []) + ([np.log(x0[si["K_t"]])] if has_k else [])
    z0 = np.array(z0 + list(np.log(x0[n:])))

    def err(z):
        if not np.all(np.isfinite(z)):
            return np.inf
        y, p = unpack(z)
        return max(np.max(np.abs(residual(z))), np.max(np.abs(model.rhs(0.0, y, p, i_stim))))

    from scipy import optimize

    with np.errstate(all="ignore"):
        z = optimize.root(residual, z0, method="hybr", tol=1e-13).x
        if err(z) > 1e-8:  # Powell's hybrid method can stall near folds: Levenberg-Marquardt, then polish
            z = optimize.root(residual, z0, method="lm", options={"maxiter": 2000, "xtol": 1e-15}).x
            if np.all(np.isfinite(z)):
                z = optimize.root(residual, z, method="hybr", tol=1e-13).x
        if err(z) > 1e-8:
            return None
    y, p = unpack(z)
    return y, np.array([p[ip[name]] for name in unknown])
