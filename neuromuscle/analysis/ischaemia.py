"""The ion budget of ischaemia on a myelinated axon: what the stopped pump leaves behind.

A blocked Na/K pump (ischaemia, ``pump = 0``) stops extruding the Na that enters through the
channels and stops taking back the K that leaves. :func:`ischaemic_ion_budget` reads, from the
axon at rest in its own environment, the current the pump carries (3 Na out, 2 K in per
charge) and the volumes that receive the ions, and returns

* how fast the axoplasmic Na rises with the pump blocked (mM/min) and where it is after the
  given minutes: a linear estimate at the resting influx (the influx changes as the axon
  depolarises and E_Na falls; the estimate says what the resting fluxes alone give);
* the pump's activity when it restarts against that Na (its cubic Na_i activation), and the
  time constant with which it brings the excess back (linearised about rest);
* how fast K would accumulate in the internodes' periaxonal space (McIntyre et al. 2002
  widths) with no clearance at all (mM/s): the periaxonal excess itself depends on clearance
  along the 2-4 nm space and across the myelin, which the model does not contain, so it stays
  the input ``dK_periaxonal``.

The numbers follow from the model's derived pump (``pump_density="balance"``); a pump set by
hand gives its own.

:func:`activity_sodium_load` is the pump's other test: the Na that a train of action potentials
brings in (read from one simulated AP) and the axoplasmic Na at the end of the train, with the
pump extruding the excess at the budget's time constant.

:func:`periaxonal_k_balance` asks what a periaxonal K that follows its own balance would do:
the net K flux into the internodes' periaxonal space at each excess, from the axon's steady
state there. With a clearance of time constant ``tau`` (any mechanism linear in the excess),
``d dK/dt = r(dK) - dK / tau``; the steady excesses are where ``dK / r(dK) = tau``, and two
stable ones exist for some ``tau`` only if ``dK / r(dK)`` is not monotonic, i.e. only if a
rise of the excess increases the internode's K efflux enough (the regenerative
depolarisation of Mogyoros, Bostock & Burke 2000). The reading is the slow-clearance
(adiabatic) limit: the membrane settles at each excess before the excess moves.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from .._validate import check_positive
from ..constants import FARADAY

__all__ = ["IschaemicBudget", "ischaemic_ion_budget", "ActivityLoad", "activity_sodium_load",
           "periaxonal_k_flux", "periaxonal_k_balance"]


@dataclass(frozen=True)
class IschaemicBudget:
    """Result of :func:`ischaemic_ion_budget` (units in the field names' docs).

    Attributes
    ----------
    minutes : float
        Duration of the block, min.
    pump_current : float
        Outward current of the pump itself at rest (without its Na background), whole axon, nA.
    na_influx : float
        Na the channels let in at rest, which the pump carries out (3 per charge), nA.
    axoplasm_volume, periaxonal_volume : float
        Axoplasm of the whole axon and periaxonal space of its internodes, pL.
    na_rise_rate : float
        Rise of axoplasmic Na with the pump blocked, mM/min.
    na_i_rest, na_i_after : float
        Axoplasmic Na at rest and after ``minutes`` of block, mM.
    pump_activity_at_release : float
        Pump current when it restarts against ``na_i_after``, relative to rest.
    na_recovery_tau : float
        Time constant of the return of axoplasmic Na after release (linearised), min.
    periaxonal_k_rise_rate : float
        Rise of periaxonal K with the pump blocked and no clearance, mM/s.
    """

    minutes: float
    pump_current: float
    na_influx: float
    axoplasm_volume: float
    periaxonal_volume: float
    na_rise_rate: float
    na_i_rest: float
    na_i_after: float
    pump_activity_at_release: float
    na_recovery_tau: float
    periaxonal_k_rise_rate: float

    def ischaemic_params(self, dK_periaxonal: float = 0.0) -> dict[str, float]:
        """Parameter overrides of the axon at the end of the block: pump off, Na loaded."""
        return {"pump": 0.0, "Na_i": self.na_i_after, "dK_periaxonal": float(dK_periaxonal)}

    def released_params(self, dK_periaxonal: float = 0.0) -> dict[str, float]:
        """Parameter overrides just after release: pump restored (activity 1) against the Na load."""
        return {"pump": 1.0, "Na_i": self.na_i_after, "dK_periaxonal": float(dK_periaxonal)}

    def clearance_for(self, excess: float) -> float:
        """Periaxonal clearance time constant (s) at which the no-clearance rise holds ``excess`` mM
        (infinite when no pump sits under the myelin: the block then leaves no K there)."""
        rate = self.periaxonal_k_rise_rate
        return float(excess) / rate if rate > 0.0 else math.inf

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def _volumes(model) -> tuple[float, float]:
    from ..models.myelinated_axon import _sections

    secs = _sections(model.geometry, model.n_nodes)
    L = np.array([s[1] for s in secs]) * 1e-4  # cm
    d_ax = np.array([s[3] for s in secs]) * 1e-4
    w = np.array([s[4] for s in secs]) * 1e-4
    inter = np.array([s[0] != "node" for s in secs])
    axoplasm = float(np.sum(np.pi * (d_ax / 2) ** 2 * L)) * 1e-3  # cm3 -> L
    peri = float(np.sum((np.pi * ((d_ax / 2 + w) ** 2 - (d_ax / 2) ** 2) * L)[inter])) * 1e-3
    return axoplasm, peri


def ischaemic_ion_budget(model, minutes: float = 10.0) -> IschaemicBudget:
    """The Na and K a blocked pump leaves behind in a myelinated axon (see the module docstring).

    Parameters
    ----------
    model : Model
        A :func:`~neuromuscle.motor_axon_myelinated` axon with its Na/K pump.
    minutes : float
        Duration of the block, min (the clinical ischaemia studies use about 10-13 min).

    Returns
    -------
    IschaemicBudget
    """
    from ..models.myelinated_axon import cable_rest_state

    check_positive("minutes", minutes, "min")
    if "pump_nak.I_max" not in model.parameters or not hasattr(model, "geometry"):
        raise ValueError("model must be a motor_axon_myelinated axon with its Na/K pump (pump_density > 0)")
    pv = model.parameter_vector()
    y = cable_rest_state(model, pv)
    if y is None:
        raise RuntimeError("the axon's rest was not found, so its resting pump current is unknown")
    k_face = model.observables(0.0, y, pv)["K_face"]
    i = _pump_own_current(model, pv, k_face) * model.component("cable").constants["area"] * 1e3  # uA/cm2 x cm2 -> nA
    na_i = model.parameters["Na_i"].value
    k_mna = model.parameters["pump_nak.K_mNa"].value
    inter = model.compartment_kind != "node"
    axoplasm, peri = _volumes(model)
    i_all, i_inter = float(i.sum()), float(i[inter].sum())
    # 3 Na out and 2 K in per charge; at rest the channels carry the same back
    na_rate = 3.0 * i_all * 1e-9 / FARADAY / axoplasm * 1e3 * 60.0  # mM/min
    k_rate = 2.0 * i_inter * 1e-9 / FARADAY / peri * 1e3  # mM/s
    na_after = na_i + na_rate * float(minutes)
    # extra extrusion per mM of Na excess: d ln(act)/d Na_i = 3 K_mNa / (Na_i (Na_i + K_mNa))
    tau = 1.0 / (na_rate * 3.0 * k_mna / (na_i * (na_i + k_mna)))
    ratio = ((na_after / (na_after + k_mna)) / (na_i / (na_i + k_mna))) ** 3
    return IschaemicBudget(float(minutes), i_all, 3.0 * i_all, axoplasm * 1e12, peri * 1e12, na_rate, na_i,
                           na_after, ratio, tau, k_rate)


@dataclass(frozen=True)
class ActivityLoad:
    """Result of :func:`activity_sodium_load`.

    Attributes
    ----------
    rate : float
        Impulse rate of the train, Hz.
    minutes : float
        Duration of the train, min.
    na_per_ap : float
        Na charge one action potential brings into the whole axon above the resting influx, pC.
    na_per_ap_mM : float
        The same as a rise of axoplasmic Na, mM.
    na_i_after : float
        Axoplasmic Na at the end of the train, mM.
    na_recovery_tau : float
        Time constant of the pump's return of the excess, min (as :class:`IschaemicBudget`).
    """

    rate: float
    minutes: float
    na_per_ap: float
    na_per_ap_mM: float
    na_i_after: float
    na_recovery_tau: float

    def after_params(self) -> dict[str, float]:
        """Parameter overrides at the end of the train: the Na load, pump at normal activity."""
        return {"Na_i": self.na_i_after, "pump": 1.0}


def activity_sodium_load(model, rate: float = 8.0, minutes: float = 10.0, *, amplitude_nA: float = 5.0,
                         window: float = 20.0) -> ActivityLoad:
    """Axoplasmic Na at the end of a train of ``minutes`` at ``rate`` Hz.

    One action potential is started at the stimulated node (``amplitude_nA``, 0.1 ms) and its Na
    charge (fast and persistent Na currents above their resting values, every compartment, over
    ``window`` ms) is divided by the axoplasm's volume. The train's load ``f q`` is then
    extruded by the pump at the time constant of :func:`ischaemic_ion_budget`, so
    ``dNa/dt = f q - (Na - Na_rest) / tau`` and ``Na(T) = Na_rest + f q tau (1 - exp(-T / tau))``.
    The axoplasm is taken as well mixed (Na diffuses about 1 mm, one internode, in 10 min).

    Parameters
    ----------
    model : Model
        A :func:`~neuromuscle.motor_axon_myelinated` axon with its Na/K pump.
    rate : float
        Impulse rate, Hz (the clinical study of activity-dependent hyperpolarisation uses 8 Hz).
    minutes : float
        Duration of the train, min.
    amplitude_nA : float
        Amplitude of the 0.1 ms pulse that starts the action potential, nA (suprathreshold).
    window : float
        Integration window after the pulse, ms.
    """
    from ..models.myelinated_axon import cable_rest_state
    from ..protocols import Pulse
    from ..simulation import simulate

    check_positive("rate", rate, "Hz")
    check_positive("minutes", minutes, "min")
    check_positive("amplitude_nA", amplitude_nA, "nA")
    check_positive("window", window, "ms")
    budget = ischaemic_ion_budget(model, minutes)
    pv = model.parameter_vector()
    y0 = cable_rest_state(model, pv)
    res = simulate(model, Pulse(amplitude_nA * 1e-3 / model.stim_area_cm2, 1.0, 0.1), 1.0 + window, y0=y0,
                   dt=0.01)
    if len(res.spike_times) == 0:
        raise RuntimeError(f"amplitude_nA = {amplitude_nA!r} started no action potential; give a larger pulse")
    Y = np.asarray(res.y)
    na = np.empty((model.n_compartments, Y.shape[1]))
    for k in range(Y.shape[1]):
        obs = model.observables(0.0, Y[:, k], pv)
        na[:, k] = np.asarray(obs["naf.I"]) + np.asarray(obs["nap.I"])
    area = model.component("cable").constants["area"]
    q = -float(np.trapezoid((na - na[:, :1]) * area[:, None], res.t, axis=1).sum()) * 1e3  # uA ms = nC -> pC
    q_mM = q * 1e-12 / FARADAY / (budget.axoplasm_volume * 1e-12) * 1e3
    tau = budget.na_recovery_tau
    load = rate * 60.0 * q_mM * tau * (1.0 - np.exp(-float(minutes) / tau))  # mM
    return ActivityLoad(float(rate), float(minutes), q, q_mM, budget.na_i_rest + float(load), tau)


def _pump_own_current(model, pv, k_face) -> np.ndarray:
    """Outward current density of the pump itself in every compartment, uA/cm2: its maximum
    at the compartment's weight times its activity (periaxonal K, axoplasmic Na) and the
    ``pump`` switch (0 when ischaemia blocks it)."""
    from ..models.myelinated_axon import pump_activation

    ix = model.parameter_index
    full = model.full_parameters(pv)
    act = pump_activation(np.asarray(k_face, dtype=float), full[ix["Na_i"]], full[ix["pump_nak.K_mK"]],
                          full[ix["pump_nak.K_mNa"]])
    weight = model.component("pump_nak").constants["weight"]  # where the pumps sit (mean 1)
    return full[ix["pump_nak.I_max"]] * weight * full[ix["pump"]] * act


def _k_share(e_rev, e_na, e_k):
    """K's share of a Na/K conductance reversing at ``e_rev``: the parallel-conductance split
    ``g_K = g (E_Na - E_rev) / (E_Na - E_K)``, which keeps the current and its reversal."""
    return (e_na - np.asarray(e_rev, dtype=float)) / (e_na - e_k)


def _k_current(model, y, pv) -> np.ndarray:
    """Outward K current density of every compartment's axolemma, uA/cm2 (pump uptake included)."""
    obs = model.observables(0.0, y, pv)
    e_na, e_k = np.asarray(obs["E_Na"], dtype=float), np.asarray(obs["E_K"], dtype=float)
    inter = model.compartment_kind != "node"
    # the MRG 2002 internode's passive conductance reverses at its own E_pas
    e_leak = np.where(inter, obs["E_pas"], obs["E_L"]) if "E_pas" in obs else obs["E_L"]
    i_k = (np.asarray(obs["ks.I"]) + np.asarray(obs["kf.I"]) + _k_share(e_leak, e_na, e_k) * np.asarray(obs["leak.I"])
           + _k_share(obs["E_h"], e_na, e_k) * np.asarray(obs["hcn.I"]))
    if "pump_nak.I_max" in model.parameters:
        i_k = i_k - 2.0 * _pump_own_current(model, pv, obs["K_face"])  # 2 K in per charge
    return i_k


def periaxonal_k_flux(model, params: dict | None = None, y=None) -> float:
    """Net K flux into the internodes' periaxonal space, mM/s of that space.

    The outward K current of every internodal compartment (slow and fast K; the K share of the
    leak and of HCN, split as parallel K and Na conductances that keep each current's reversal;
    minus 2 K taken up per charge of the pump's own current) over the periaxonal volume of the
    McIntyre et al. (2002) widths. Positive: K accumulates.

    Parameters
    ----------
    model : Model
        A :func:`~neuromuscle.motor_axon_myelinated` axon.
    params : dict, optional
        Parameter overrides (the state's pump activity, axoplasmic Na, periaxonal excess).
    y : array_like, optional
        The axon's state (default its steady state at ``params``).
    """
    from ..models.myelinated_axon import cable_rest_state

    if not hasattr(model, "geometry") or not hasattr(model, "compartment_kind"):
        raise ValueError("model must be a motor_axon_myelinated axon")
    pv = model.parameter_vector(params or {})
    if y is None:
        y = cable_rest_state(model, pv)
        if y is None:
            raise RuntimeError(f"no steady state of the axon was found at params = {params!r}")
    return _flux(model, y, pv, _volumes(model)[1])


def _flux(model, y, pv, peri: float) -> float:
    """:func:`periaxonal_k_flux` of a checked axon at state ``y``, parameters ``pv`` and
    periaxonal volume ``peri`` (L)."""
    i_k = _k_current(model, y, pv)
    inter = model.compartment_kind != "node"
    area = model.component("cable").constants["area"]
    # uA -> A, / F -> mol/s, / L -> M/s, x 1e3 -> mM/s
    return float((i_k * area)[inter].sum()) * 1e-6 / FARADAY / peri * 1e3


def periaxonal_k_balance(model, params: dict | None = None, excess=None):
    """The periaxonal K's own balance over a range of excesses (see the module docstring).

    Parameters
    ----------
    model : Model
        A :func:`~neuromuscle.motor_axon_myelinated` axon.
    params : dict, optional
        The state's other overrides (for example :meth:`IschaemicBudget.ischaemic_params`); its
        ``dK_periaxonal`` is replaced by each excess.
    excess : array_like, optional
        Periaxonal K excesses over plasma K, mM, increasing, within 0-100 (default 0-20 mM in
        0.5 mM steps).

    Returns
    -------
    xarray.Dataset
        Over ``excess`` (mM): ``accumulation`` (net K flux into the space, mM/s), ``clearance_tau``
        (the clearance time constant, s, for which that excess is steady: ``excess /
        accumulation``, NaN where the space loses K), ``V_node`` (the recorded node's potential,
        mV). Attributes: ``ceiling`` (mM; the excess at which the internode stops losing K, the
        steady excess with no clearance at all; NaN if not reached in the range),
        ``two_stable_states`` (1 if some clearance time constant gives two stable excesses, i.e.
        ``clearance_tau`` falls somewhere as the excess rises; else 0), ``depletes`` (1 if the
        space loses K already at zero excess, so any clearance leaves it at or below plasma K).
        Excesses without a steady state are NaN.
    """
    import xarray as xr

    from ..models.myelinated_axon import cable_rest_state

    x = np.arange(0.0, 20.0 + 1e-9, 0.5) if excess is None else np.asarray(excess, dtype=float)
    if x.ndim != 1 or x.size < 2 or not np.all(np.isfinite(x)) or np.any(np.diff(x) <= 0):
        raise ValueError(f"excess = {excess!r} must be an increasing 1-D array of at least two values (mM)")
    if x[0] < 0.0 or x[-1] > 100.0:
        raise ValueError(f"excess = {excess!r} must lie within 0-100 mM (the range of dK_periaxonal)")
    if not hasattr(model, "geometry") or not hasattr(model, "compartment_kind"):
        raise ValueError("model must be a motor_axon_myelinated axon")
    base = {k: v for k, v in (params or {}).items() if k != "dK_periaxonal"}
    peri = _volumes(model)[1]
    rate, v = np.full(x.size, np.nan), np.full(x.size, np.nan)
    node_v = model.state_index[model.aliases["V"]]
    y = None
    for k, dk in enumerate(x):
        pv = model.parameter_vector({**base, "dK_periaxonal": float(dk)})
        y = cable_rest_state(model, pv, y0=y)  # continuation from the last excess
        if y is None:
            continue
        rate[k], v[k] = _flux(model, y, pv, peri), float(y[node_v])
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = np.where((rate > 0.0) & (x > 0.0), x / rate, np.nan)
    ceiling = math.nan
    cross = np.flatnonzero((rate[:-1] > 0.0) & (rate[1:] <= 0.0))
    if cross.size:
        k = int(cross[0])
        ceiling = float(x[k] + rate[k] * (x[k + 1] - x[k]) / (rate[k] - rate[k + 1]))
    valid = tau[np.isfinite(tau)]
    ds = xr.Dataset(
        {"accumulation": ("excess", rate, {"units": "mM/s", "long_name": "net K flux into the periaxonal space"}),
         "clearance_tau": ("excess", tau, {"units": "s", "long_name": "clearance time constant that holds the excess"}),
         "V_node": ("excess", v, {"units": "mV", "long_name": "potential of the recorded node"})},
        coords={"excess": ("excess", x, {"units": "mM", "long_name": "periaxonal K over plasma K"})},
        attrs={"ceiling": ceiling, "ceiling_units": "mM",
               "two_stable_states": int(bool(valid.size > 1 and np.any(np.diff(valid) < 0.0))),
               "depletes": int(bool(np.isfinite(rate[0]) and rate[0] <= 0.0)),
               "params": repr(base)})
    return ds
