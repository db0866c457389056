"""The muscle fibre with excitation-contraction coupling: membrane, SR Ca, force and ATP.

:func:`muscle_ec` joins

* the fibre of :func:`~neuromuscle.models.muscle_fibre.muscle_fibre` (surface + t-tubule),
* the DHPR-RyR1 release channel (:class:`~neuromuscle.components.ec_coupling.SternRiosRelease`),
  whose voltage sensors sit in the t-tubular membrane (they read ``u``),
* the SR/myoplasm Ca system with buffers, crossbridges and ATP metabolism
  (:class:`~neuromuscle.components.ec_coupling.SRCalcium`), and
* the ATP the Na/K pump uses (:class:`~neuromuscle.components.ec_coupling.PumpATPDemand`),
  while the pumps read the myoplasm's MgATP instead of a fixed ``ATP_i``.

Nothing flows back from the Ca system to the membrane except through the pump's ATP (the
model has no Ca-activated or Ca currents), so the resting state is the fibre's, with the
Ca system relaxed at it (:func:`ec_equilibria`).

Temperature: the membrane follows ``celsius`` through its Q10s; the Ca system's rate
constants are Shorten et al.'s and are not scaled (see docs/models/ec_coupling.md).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy.integrate import solve_ivp

from .._validate import check_range
from ..components.ec_coupling import PumpATPDemand, SRCalcium, SternRiosRelease
from ..electrolytes import Electrolytes
from ..model import Model
from ..steady import Equilibrium, jacobian
from .muscle_fibre import muscle_fibre

__all__ = ["muscle_ec", "ec_equilibria"]

#: Time the Ca system is given to settle at a clamped membrane state, ms. Its slowest
#: resting processes (Mg-parvalbumin, calsequestrin, creatine kinase near equilibrium) take
#: seconds; 200 s leaves the drift below the solver tolerance (tested).
_RELAX_MS = 2.0e5


def muscle_ec(electrolytes: Electrolytes | None = None, *, free_mg: float = 1.0, **fibre_options) -> Model:
    """The fibre of :func:`~neuromuscle.muscle_fibre` with voltage-driven SR Ca release,
    Ca buffering, crossbridges and an ATP budget.

    Parameters
    ----------
    electrolytes : Electrolytes, optional
        Ionic environment (default normal plasma, 37 C). Extracellular Ca and Mg act on the
        membrane (surface-charge gating shift).
    free_mg : float
        Myoplasmic free Mg, mM, from which the Mg pools (free Mg, MgATP, Mg-parvalbumin) are
        set, at the resting Ca, before the resting state is found (default 1.0, Shorten et
        al. 2007; about 1 mM is the usual estimate in mammalian fibres). Total Mg is then
        conserved, and the resting free Mg equals ``free_mg`` to within about 6 % (ATP use
        at rest shifts the Mg-binding pools a little).
    **fibre_options
        Passed to :func:`~neuromuscle.muscle_fibre` (``cation_leak``, ``na_conductance``,
        ``resting``, ``surface``). The fibre must have its t-tubule: the release channel's
        voltage sensors are there.

    Returns
    -------
    Model
        The fibre's states and parameters, plus ``ryr.*`` (release channel), ``sr.*`` (Ca,
        Mg, ATP, ADP, Pi, PCr in a triadic and a bulk compartment, troponin and
        crossbridges) and ``pump_atp.*``. Outputs include ``Ca_cyt`` (free Ca, mM),
        ``sr.F_rel`` (force-bearing bridges per regulatory unit), ``sr.J_ATP`` (ATP use,
        mM/ms) and ``sr.MgATP_cyt``. Its equilibrium finder (:func:`ec_equilibria`) gives
        the resting state, so :func:`~neuromuscle.simulate` starts from rest.

    Examples
    --------
    >>> import neuromuscle as nm
    >>> model = nm.muscle_ec()                                      # doctest: +SKIP
    >>> run = nm.simulate(model, nm.Pulse(700.0, 5.0, 0.5), 100.0)  # doctest: +SKIP
    >>> run["Ca_cyt"].max()                                         # doctest: +SKIP
    """
    if fibre_options.get("tubule", True) is False:
        raise ValueError("muscle_ec needs the t-tubule (tubule=True): the release channel's sensors are there")
    fibre = muscle_fibre(electrolytes, **fibre_options)
    comps = []
    for c in fibre.components:
        if "ATP_i" in c.inputs:
            # the pumps use the myoplasm's MgATP: the bulk state, since the pump's ATP use feeds
            # back into the Ca system (an output there would close an algebraic loop)
            c = dataclasses.replace(c, inputs={**c.inputs, "ATP_i": "sr.MgATP_2"})
        comps.append(c)
    gamma = fibre.parameters["access.gamma"]
    comps += [
        SternRiosRelease("ryr", inputs={"V": "u"}),
        PumpATPDemand("pump_atp", parameters={"gamma": gamma}),
        SRCalcium("sr"),
    ]
    globals_ = {k: v for k, v in fibre.global_parameters.items() if k != "ATP_i"}
    model = Model(
        "muscle_ec", comps, globals_,
        citation=f"{fibre.citation}; EC coupling, Ca and crossbridges: Shorten et al. 2007 J Muscle Res Cell "
                 "Motil 28:293",
        description=f"{fibre.description}, with SR Ca release, Ca buffering, crossbridges and ATP",
        stiff=True,
    )
    model.electrolytes = fibre.electrolytes
    model.environment = fibre.environment
    model.fibre = fibre
    model.equilibrium_finder = ec_equilibria
    # Mg pools in equilibrium with free_mg at the resting Ca: a first rest gives that Ca
    # (Mg hardly moves it), the second initial state is built on it
    model.initial_state = _with_free_mg(model, free_mg, model.initial_state[model.state_index["sr.Ca_2"]])
    rest = ec_equilibria(model)
    ca_rest = rest[0].y[model.state_index["sr.Ca_2"]] if rest else model.initial_state[model.state_index["sr.Ca_2"]]
    model.initial_state = _with_free_mg(model, free_mg, ca_rest)
    return model


def _with_free_mg(model: Model, free_mg: float, ca: float) -> np.ndarray:
    """Initial state with Mg pools in equilibrium with ``free_mg`` at myoplasmic Ca ``ca`` (mM):
    ATP (8.0 mM total) split into free, Mg- and Ca-bound forms; parvalbumin sites into free,
    Ca- and Mg-bound ones."""
    check_range("free_mg", free_mg, 0.01, 20.0, "mM")
    par = {k: v.value for k, v in model.parameters.items() if k.startswith("sr.")}
    y = model.initial_state.copy()
    i = model.state_index
    k_mgatp = par["sr.koff_MgATP"] / par["sr.kon_MgATP"]
    k_caatp = par["sr.koff_CaATP"] / par["sr.kon_CaATP"]
    k_cap = par["sr.koff_CaP"] / par["sr.kon_CaP"]
    k_mgp = par["sr.koff_MgP"] / par["sr.kon_MgP"]
    for k in (1, 2):
        atp_total = sum(y[i[f"sr.{s}_{k}"]] for s in ("ATP", "MgATP", "CaATP"))
        free_atp = atp_total / (1.0 + free_mg / k_mgatp + ca / k_caatp)
        free_p = par["sr.P_tot"] / (1.0 + ca / k_cap + free_mg / k_mgp)
        y[i[f"sr.Mg_{k}"]] = free_mg
        y[i[f"sr.Ca_{k}"]] = ca
        y[i[f"sr.ATP_{k}"]] = free_atp
        y[i[f"sr.MgATP_{k}"]] = free_atp * free_mg / k_mgatp
        y[i[f"sr.CaATP_{k}"]] = free_atp * ca / k_caatp
        y[i[f"sr.MgP_{k}"]] = free_p * free_mg / k_mgp
        y[i[f"sr.CaP_{k}"]] = free_p * ca / k_cap
    return y


def ec_equilibria(model: Model, p=None, i_stim: float = 0.0, v_range=(-170.0, -20.0), n_grid: int = 3001):
    """Equilibria of a :func:`muscle_ec` model: each equilibrium of its fibre, with the Ca
    system relaxed at that membrane state (integrated for 200 s with the membrane held).

    Eigenvalues are those of the full Jacobian without the zero ones that belong to the
    conserved totals (Ca, Mg, adenine nucleotides, creatine, phosphate, troponin), which
    make every state of the closed Ca system neutrally stable along them.
    """
    fibre = model.fibre
    p_full = model.parameter_vector() if p is None else np.asarray(p, dtype=float)[: len(model.parameter_names)]
    p_fibre = fibre.parameter_vector()
    for name, i in fibre.parameter_index.items():
        if name in model.parameter_index:
            p_fibre[i] = p_full[model.parameter_index[name]]
    held = np.array([model.state_index[n] for n in fibre.state_names])
    found = []
    for eq in fibre.equilibrium_finder(fibre, p_fibre, i_stim, v_range, n_grid):
        y0 = model.initial_state.copy()
        y0[held] = eq.y

        def rhs(t, y):
            d = model.rhs(t, y, p_full, i_stim)
            d[held] = 0.0
            return d

        sol = solve_ivp(rhs, (0.0, _RELAX_MS), y0, method="BDF", rtol=1e-9, atol=1e-13)
        if sol.status != 0:
            raise RuntimeError(f"ec_equilibria: relaxing the Ca system at V = {eq.v:.2f} mV failed: {sol.message}")
        y = sol.y[:, -1]
        eig = np.linalg.eigvals(jacobian(model, y, p_full, i_stim))
        eig = eig[np.abs(eig) > 1e-9 * max(1.0, float(np.max(np.abs(eig))))]
        found.append(Equilibrium(eq.v, y, eig[np.argsort(-eig.real)], float(i_stim)))
    return found
