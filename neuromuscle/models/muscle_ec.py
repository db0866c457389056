"""The muscle fibre with excitation-contraction coupling: membrane, SR Ca, force and ATP.

:func:`muscle_ec` joins

* the fibre of :func:`~neuromuscle.models.muscle_fibre.muscle_fibre` (surface + t-tubule),
* the DHPR-RyR1 release channel (:class:`~neuromuscle.components.ec_coupling.SternRiosRelease`),
  whose voltage sensors sit in the t-tubular membrane (they read ``u``),
* the SR/myoplasm Ca system with buffers, crossbridges and ATP metabolism, one component per
  process adding to shared pools (:func:`~neuromuscle.components.ec_coupling.ca_system`), and
* the ATP the Na/K pump uses (:class:`~neuromuscle.components.ec_coupling.PumpATPDemand`),
  while the pumps read the myoplasm's MgATP instead of a fixed ``ATP_i``.

Nothing flows back from the Ca system to the membrane except through the pump's ATP (the
model has no Ca-activated or Ca currents), so the resting state is the fibre's, with the
Ca system relaxed at it (:func:`ec_equilibria`).

Temperature: the membrane follows ``celsius`` through its Q10s; the Ca system's rates apply
at 16 C (the temperature of Baylor & Hollingworth's data) and scale by theirs (see
docs/models/ec_coupling.md).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .._validate import check_range
from ..citations import cite
from ..components.base import Component
from ..components.declarations import ModelDeclarations
from ..components.ec_coupling import PumpATPDemand, SternRiosRelease, ca_system
from ..electrolytes import Electrolytes
from ..model import Model
from ..steady import Equilibrium, jacobian
from .muscle_fibre import muscle_fibre

__all__ = ["muscle_ec", "ec_equilibria", "initial_pools"]

#: Time the Ca system is given to settle at a clamped membrane state, ms. Its slowest
#: resting processes (Mg-parvalbumin, calsequestrin, creatine kinase near equilibrium) take
#: seconds; 200 s leaves the drift below the solver tolerance (tested).
_RELAX_MS = 2.0e5


#: Resting free Ca in the SR, mM: mouse fast-twitch fibres, 0.31 mM (quoted by Royer et al. 2010
#: J Gen Physiol 136:325) and 0.39 mM (Ziman et al. 2010 Biophys J 99:2705, fluo-5N in FDB).
SR_FREE_CA_REST = 0.35


def muscle_ec(electrolytes: Electrolytes | None = None, *, free_mg: float = 1.0,
              sr_free_ca: float = SR_FREE_CA_REST, filament: Component | None = None,
              extra: tuple[Component, ...] = (), **fibre_options) -> Model:
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
    sr_free_ca : float
        Resting free Ca in the SR, mM (default 0.35, the mean of two measurements in mouse
        fast-twitch fibres). It sets the fibre's total Ca, which the model then conserves:
        calsequestrin is loaded in equilibrium with it and the myoplasm's Ca pools with the
        resting free Ca that SR leak and SERCA balance at this load. The resting free SR Ca
        comes out within about 2 % of the value asked for.
    filament : Component, optional
        Thin filament and crossbridges, named ``xb`` (default the cooperative
        :class:`~neuromuscle.components.thin_filament.CooperativeFilament`).
    extra : tuple of Component
        Further Ca-system components (a buffer, a flux) composed with the others; each adds
        to the pools' sums (:mod:`neuromuscle.components.ca_system`).
    **fibre_options
        Passed to :func:`~neuromuscle.muscle_fibre` (``cation_leak``, ``na_conductance``,
        ``resting``, ``surface``, ``sodium``). ``sodium=NativeSodium``
        (:class:`~neuromuscle.components.muscle_sodium.NativeSodium`) gives Na fast gates at the
        speed measured in native fibres: the fibre then follows tetanic trains at 16 C, but its
        t-tubule no longer fires (docs/models/ec_coupling.md), so the default stays
        Wallinga's. The fibre must have its t-tubule: the release channel's voltage sensors
        are there.

    Returns
    -------
    Model
        The fibre's states and parameters, plus ``ryr.*`` (release channel), the Ca
        system's components (:func:`~neuromuscle.components.ec_coupling.ca_system`: pools
        ``myo1.*``, ``myo2.*``, ``sr1.Ca``, ``sr2.Ca``; ``rel.*``, ``serca.*``, ``parv.*``,
        ``csq.*``, ``xb.*``, ...) and ``pump_atp.*``; the pools answer the labels
        ``"sr_free_ca"`` (``sr2.Ca``), ``"terminal_sr_free_ca"`` (``sr1.Ca``),
        ``"bulk_cytosolic_ca"`` (``myo2.Ca``) and ``"triadic_cytosolic_ca"`` (``myo1.Ca``).
        Outputs include ``Ca_cyt`` (free Ca, mM), ``force`` (force-bearing bridges per
        regulatory unit), ``J_rel`` and ``J_up`` (release and uptake, mM/ms), ``J_ATP``
        (ATP use, mM/ms), ``MgATP_cyt`` and the conserved totals ``Ca_total``,
        ``Mg_total``, ``adenine_total``, ``phosphate_total`` (mM per myoplasm volume). Its
        equilibrium finder (:func:`ec_equilibria`) gives the resting state, so
        :func:`~neuromuscle.simulate` starts from rest.

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
        if c.name == "myoplasm" or isinstance(c, ModelDeclarations):
            continue  # the fibre's fixed ATP_i: the pumps read the myoplasm's MgATP instead
        if "ATP_i" in c.inputs:
            # the pumps use the myoplasm's MgATP: the bulk state, since the pump's ATP use feeds
            # back into the Ca system (an output there would close an algebraic loop)
            c = dataclasses.replace(c, inputs={**c.inputs, "ATP_i": "myo2.MgATP"})
        comps.append(c)
    gamma = fibre.parameters["access.gamma"]
    comps += [
        SternRiosRelease("ryr", inputs={"V": "u"}),
        PumpATPDemand("pump_atp", parameters={"gamma": gamma}),
        *ca_system(filament),
        *extra,
    ]
    globals_ = {k: v for k, v in fibre.global_parameters.items() if k != "ATP_i"}
    names = [c.name for c in comps]

    def build(initial=None):
        declarations = ModelDeclarations(components=names, equilibrium_finder=ec_equilibria,
                                         submodels={"fibre": fibre}, stiff=True, electrolytes=fibre.electrolytes,
                                         initial=initial)
        return Model(
            "muscle_ec", comps + [declarations], globals_,
            citation=f"{fibre.citation}; EC coupling, Ca and crossbridges: {cite('shorten2007')}",
            description=f"{fibre.description}, with SR Ca release, Ca buffering, crossbridges and ATP",
        )

    # the Ca and Mg pools are built to the resting free Ca and Mg, then declared as the initial
    # state, so a model recomposed from the components starts from the same pools
    first = build()
    return build(dict(zip(first.state_names, initial_pools(first, free_mg, sr_free_ca))))


def initial_pools(model: Model, free_mg: float = 1.0, sr_free_ca: float = SR_FREE_CA_REST) -> np.ndarray:
    """Initial state of a :func:`muscle_ec` model whose Mg and Ca pools give the resting free
    Mg ``free_mg`` and resting free SR Ca ``sr_free_ca`` (mM) with the model's parameters.

    Call it again after changing the Ca system's parameters with
    :meth:`~neuromuscle.model.Model.with_parameters` if the resting loads are to stay
    those asked for (with the old pools, total Ca and Mg are those of the old parameters).
    """
    check_range("sr_free_ca", sr_free_ca, 0.01, 5.0, "mM")
    i = model.state_index
    # a first rest from pools built at the current Ca gives the resting Ca (Mg hardly moves it)
    y0 = _with_sr_load(model, _with_free_mg(model, model.initial_state, free_mg, model.initial_state[i["myo2.Ca"]]),
                       sr_free_ca)
    rest = ec_equilibria(model, y0=y0)
    if not rest:
        return y0
    # At rest SERCA (Hill coefficient n) balances the leak, which grows in proportion to the
    # SR's free Ca: the resting myoplasmic Ca goes as (SR free Ca)**(1/n), so the pools are
    # rebuilt at the Ca that goes with sr_free_ca
    y = rest[0].y
    ca_rest = y[i["myo2.Ca"]] * (sr_free_ca / y[i["sr2.Ca"]]) ** (1.0 / model.parameters["serca.n_SR"].value)
    filament = [i[f"xb.{s.name}"] for s in model.component("xb").states] + [i["rel.I"]]
    y0[filament] = y[filament]
    return _with_sr_load(model, _with_free_mg(model, y0, free_mg, ca_rest), sr_free_ca)


def _with_sr_load(model: Model, y: np.ndarray, sr_free_ca: float) -> np.ndarray:
    """``y`` with free SR Ca ``sr_free_ca`` (mM) in both SR compartments and calsequestrin in
    equilibrium with it."""
    par = model.parameters
    k_d = par["csq.koff_CS"].value / par["csq.kon_CS"].value
    y = y.copy()
    for k in (1, 2):
        y[model.state_index[f"sr{k}.Ca"]] = sr_free_ca
        y[model.state_index[f"csq.CaCS_{k}"]] = par["csq.CS_tot"].value * sr_free_ca / (sr_free_ca + k_d)
    return y


def _with_free_mg(model: Model, y: np.ndarray, free_mg: float, ca: float) -> np.ndarray:
    """``y`` with Mg pools in equilibrium with ``free_mg`` at myoplasmic Ca ``ca`` (mM):
    ATP (its total kept) split into free, Mg- and Ca-bound forms; parvalbumin sites into free,
    Ca- and Mg-bound ones."""
    check_range("free_mg", free_mg, 0.01, 20.0, "mM")
    par = {k: v.value for k, v in model.parameters.items()}
    y = y.copy()
    i = model.state_index
    k_mgatp = par["atp.koff_MgATP"] / par["atp.kon_MgATP"]
    k_caatp = par["atp.koff_CaATP"] / par["atp.kon_CaATP"]
    k_cap = par["parv.koff_CaP"] / par["parv.kon_CaP"]
    k_mgp = par["parv.koff_MgP"] / par["parv.kon_MgP"]
    for k in (1, 2):
        atp_total = sum(y[i[f"myo{k}.{s}"]] for s in ("ATP", "MgATP", "CaATP"))
        free_atp = atp_total / (1.0 + free_mg / k_mgatp + ca / k_caatp)
        free_p = par["parv.P_tot"] / (1.0 + ca / k_cap + free_mg / k_mgp)
        y[i[f"myo{k}.Mg"]] = free_mg
        y[i[f"myo{k}.Ca"]] = ca
        y[i[f"myo{k}.ATP"]] = free_atp
        y[i[f"myo{k}.MgATP"]] = free_atp * free_mg / k_mgatp
        y[i[f"myo{k}.CaATP"]] = free_atp * ca / k_caatp
        y[i[f"parv.MgP_{k}"]] = free_p * free_mg / k_mgp
        y[i[f"parv.CaP_{k}"]] = free_p * ca / k_cap
    return y


def ec_equilibria(model: Model, p=None, i_stim: float = 0.0, v_range=(-170.0, -20.0), n_grid: int = 3001,
                  y0=None, relax_ms: float = _RELAX_MS):
    """Equilibria of a :func:`muscle_ec` model: each equilibrium of its fibre, with the Ca
    system relaxed at that membrane state (integrated for ``relax_ms``, default 200 s, with the
    membrane held, from ``y0``, default the model's initial state, whose totals it keeps).
    Where the ATP supply is below the resting demand, ATP runs down over tens of minutes:
    give ``relax_ms`` accordingly (``functools.partial`` on ``model.equilibrium_finder``).

    Eigenvalues are those of the full Jacobian without the zero ones that belong to the
    conserved totals (Ca, Mg, adenine nucleotides, creatine, phosphate, troponin), which
    make every state of the closed Ca system neutrally stable along them.
    """
    fibre = model.fibre
    p_full = model.parameter_vector() if p is None else np.asarray(p, dtype=float)[: len(model.parameter_names)]
    p_fibre = model.submodel_parameters("fibre", p_full)
    here = model.submodel_names["fibre"]["states"]
    held = np.array([model.state_index[here[n]] for n in fibre.state_names])
    found = []
    for eq in fibre.equilibrium_finder(fibre, p_fibre, i_stim, v_range, n_grid):
        start = (model.initial_state if y0 is None else np.asarray(y0, dtype=float)).copy()
        start[held] = eq.y

        def rhs(t, y):
            d = model.rhs(t, y, p_full, i_stim)
            d[held] = 0.0
            return d

        from scipy.integrate import solve_ivp
        sol = solve_ivp(rhs, (0.0, relax_ms), start, method="BDF", rtol=1e-9, atol=1e-13)
        if sol.status != 0:
            raise RuntimeError(f"ec_equilibria: relaxing the Ca system at V = {eq.v:.2f} mV failed: {sol.message}")
        y = sol.y[:, -1]
        eig = np.linalg.eigvals(jacobian(model, y, p_full, i_stim))
        eig = eig[np.abs(eig) > 1e-9 * max(1.0, float(np.max(np.abs(eig))))]
        found.append(Equilibrium(eq.v, y, eig[np.argsort(-eig.real)], float(i_stim)))
    return found
