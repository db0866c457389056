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
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from .._validate import check_positive
from ..constants import FARADAY

__all__ = ["IschaemicBudget", "ischaemic_ion_budget", "ActivityLoad", "activity_sodium_load"]


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
    from ..models.myelinated_axon import cable_rest_state, pump_activation

    check_positive("minutes", minutes, "min")
    if "pump_nak.I_max" not in model.parameters or not hasattr(model, "geometry"):
        raise ValueError("model must be a motor_axon_myelinated axon with its Na/K pump (pump_density > 0)")
    pv = model.parameter_vector()
    y = cable_rest_state(model, pv)
    if y is None:
        raise RuntimeError("the axon's rest was not found, so its resting pump current is unknown")
    k_face = np.asarray(model.observables(0.0, y, pv)["K_face"], dtype=float)
    par = {k: model.parameters[f"pump_nak.{k}"].value for k in ("I_max", "K_mK", "K_mNa")}
    na_i = model.parameters["Na_i"].value
    act = pump_activation(k_face, na_i, par["K_mK"], par["K_mNa"])
    weight = model.component("pump_nak").constants["weight"]  # where the pumps sit (mean 1)
    i = par["I_max"] * weight * act * model.component("cable").constants["area"] * 1e3  # uA/cm2 x cm2 -> nA
    inter = model.compartment_kind != "node"
    axoplasm, peri = _volumes(model)
    i_all, i_inter = float(i.sum()), float(i[inter].sum())
    # 3 Na out and 2 K in per charge; at rest the channels carry the same back
    na_rate = 3.0 * i_all * 1e-9 / FARADAY / axoplasm * 1e3 * 60.0  # mM/min
    k_rate = 2.0 * i_inter * 1e-9 / FARADAY / peri * 1e3  # mM/s
    na_after = na_i + na_rate * float(minutes)
    k_mna = par["K_mNa"]
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
