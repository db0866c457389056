"""Excitation-contraction coupling: voltage-controlled opening of the SR Ca release channel.

:class:`SternRiosRelease` is the allosteric DHPR-RyR1 model of Stern, Pizarro & Ríos (1997)
in the 10-state form and with the values of the Shorten et al. (2007) whole-fibre model
(CellML component ``sternrios``; docs/research/calcium_atp.md section 1.2). Four voltage
sensors (the DHPR) move independently between resting and activated positions; the release
channel (RyR1) opens and closes with an equilibrium that each activated sensor shifts by the
allosteric factor ``f``:

* sensor activation ``k_C(V) = 0.5 alpha1 exp((V - V_bar)/(8 K))``, deactivation
  ``k_Cm(V) = 0.5 alpha1 exp((V_bar - V)/(8 K))``;
* C_i <-> C_{i+1}: ``(4 - i) k_C``, ``(i + 1) k_Cm``; O_i <-> O_{i+1}: ``(4 - i) k_C/f``,
  ``(i + 1) f k_Cm``;
* C_i <-> O_i: ``k_L/f^i``, ``k_Lm f^i``.

The scheme obeys detailed balance, so its equilibrium is closed-form
(:func:`release_open_probability`): with ``L = k_L/k_Lm`` and ``J(V) = k_C/k_Cm =
exp((V - V_bar)/(4 K))``, the occupancies are ``C_i ~ binom(4, i) J^i`` and
``O_i ~ L binom(4, i) (J/f^2)^i``, and ``Po = L (1 + J/f^2)^4 / ((1 + J)^4 + L (1 + J/f^2)^4)``.

Sensors feel the membrane field, so the voltage is taken at ``V - dV_surface`` (the
surface-charge gating shift used for every gate in the package). Rates are Shorten's; the
CellML has no temperature dependence, so they are taken to apply at 16 C and scale with
``q10`` (docs/models/ec_coupling.md).
"""

from __future__ import annotations

import numpy as np

from ..citations import cite
from ..constants import FARADAY
from .atp_metabolism import ATPHydrolysis, ATPSupply, CreatineKinase
from .base import Component, Output, Parameter, State
from .ca_buffers import ATPBinding, Calsequestrin, Parvalbumin
from .ca_system import (
    BENNETT,
    CA_TREF,
    BulkMyoplasm,
    CaCompartments,
    CompartmentExchange,
    LongitudinalSR,
    TerminalSR,
    TriadicMyoplasm,
    shorten_source,
)
from .gating import q10_factor
from .sr_fluxes import Serca, SRLeak, SRRelease
from .thin_filament import CooperativeFilament

__all__ = ["SternRiosRelease", "PumpATPDemand", "ca_system", "release_open_probability", "release_equilibrium"]


_SHORTEN = shorten_source("sternrios", "1.2")
_CA_TREF = CA_TREF
_BENNETT = BENNETT
_Q10_RELEASE = Parameter(2.5, "1", _BENNETT, "Q10 of sensor movement and channel gating", (1.0, 10.0))
_SPR = cite("stern1997")
_BINOM4 = (1.0, 4.0, 6.0, 4.0, 1.0)
#: Measured charge movement of mammalian fibres, used for the sensors' voltage dependence in
#: place of Shorten's (which is half as steep and gives a resting open probability, hence a
#: resting SR Ca cycling, about 5 times higher).
_SIMON_BEAM = f"{cite('simon1985')} (rat omohyoid, 15 C: V_bar -34.2 mV, k 8.7 mV, Q_max 28.5 nC/uF)"


def release_equilibrium(V, k_L, k_Lm, f, K, V_bar):
    """Equilibrium occupancies ``(C0..C4, O0..O4)`` of the 10-state scheme at voltage ``V``
    (mV; the voltage the sensors feel)."""
    j = np.exp((np.asarray(V, dtype=float) - V_bar) / (4.0 * K))
    big_l = k_L / k_Lm
    closed = [b * j**i for i, b in enumerate(_BINOM4)]
    opened = [big_l * b * (j / (f * f)) ** i for i, b in enumerate(_BINOM4)]
    total = sum(closed) + sum(opened)
    return tuple(x / total for x in closed + opened)


def release_open_probability(V, k_L=0.002, k_Lm=1000.0, f=0.2, K=8.7 / 4.0, V_bar=-34.2):
    """Equilibrium open probability of the release channel at ``V`` (mV), closed form."""
    j = np.exp((np.asarray(V, dtype=float) - V_bar) / (4.0 * K))
    big_l = k_L / k_Lm
    opened = big_l * (1.0 + j / (f * f)) ** 4
    return opened / ((1.0 + j) ** 4 + opened)


class SternRiosRelease(Component):
    """Voltage-controlled SR Ca release channel: 10-state allosteric DHPR-RyR1 scheme.

    Provides ``Po_RyR``, the open probability, for a Ca-release flux. Renamed onto the
    t-tubular membrane with ``inputs={"V": "u"}``, as in Shorten et al. (2007), where the
    sensors sit.
    """

    states = tuple(State(f"C{i}", "1", f"Closed, {i} of 4 sensors activated", 1.0 if i == 0 else 0.0)
                   for i in range(5)) + tuple(
        State(f"O{i}", "1", f"Open, {i} of 4 sensors activated", 0.0) for i in range(5))
    outputs = (Output("P_open", "1", "Release channel open probability", provides="Po_RyR"),)
    citation = f"{_SPR}; values: {_SHORTEN}"

    @classmethod
    def default_parameters(cls):
        return {
            "k_L": Parameter(0.002, "1/ms", _SHORTEN, "Channel opening rate, no sensor activated", (0.0, 1e6)),
            "k_Lm": Parameter(1000.0, "1/ms", _SHORTEN, "Channel closing rate, no sensor activated", (1e-9, 1e9)),
            "f": Parameter(0.2, "1", _SHORTEN, "Allosteric factor per activated sensor", (1e-6, 1.0)),
            "alpha1": Parameter(0.2, "1/ms", _SHORTEN, "Sensor rate scale (k_C = k_Cm = alpha1/2 at V_bar)",
                                (1e-9, 1e6)),
            "K": Parameter(8.7 / 4.0, "mV", f"{_SIMON_BEAM}: Boltzmann slope k = 8.7 mV = 4 K (Shorten: K = 4.5)",
                           "Sensor voltage scale (J = exp((V - V_bar)/(4 K)))", (1e-3, 1e3)),
            "V_bar": Parameter(-34.2, "mV", f"{_SIMON_BEAM} (Shorten: -20)", "Sensor midpoint", (-200.0, 200.0)),
            "q10": _Q10_RELEASE,
            "celsius_ref": _CA_TREF,
        }

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "dV_surface": "dV_surface", "celsius": "celsius"}

    precomputed = ("phi",)

    @staticmethod
    def precompute(celsius, q10, celsius_ref):
        return (q10_factor(q10, celsius, celsius_ref),)

    @staticmethod
    def equations(V, dV_surface, C0, C1, C2, C3, C4, O0, O1, O2, O3, O4, k_L, k_Lm, f, alpha1, K, V_bar, phi):
        v = V - dV_surface
        a = 0.5 * phi * alpha1 * np.exp((v - V_bar) / (8.0 * K))  # k_C: one sensor activates
        b = 0.5 * phi * alpha1 * np.exp((V_bar - v) / (8.0 * K))  # k_Cm: one sensor deactivates
        k_L, k_Lm = phi * k_L, phi * k_Lm  # every rate scales alike: the equilibrium does not move
        # net fluxes of sensor movement, C_i -> C_{i+1} and O_i -> O_{i+1}
        c01, c12, c23, c34 = 4 * a * C0 - b * C1, 3 * a * C1 - 2 * b * C2, 2 * a * C2 - 3 * b * C3, a * C3 - 4 * b * C4
        o01 = 4 * a / f * O0 - f * b * O1
        o12 = 3 * a / f * O1 - 2 * f * b * O2
        o23 = 2 * a / f * O2 - 3 * f * b * O3
        o34 = a / f * O3 - 4 * f * b * O4
        # net opening fluxes, C_i -> O_i
        f2 = f * f
        l0 = k_L * C0 - k_Lm * O0
        l1 = k_L / f * C1 - k_Lm * f * O1
        l2 = k_L / f2 * C2 - k_Lm * f2 * O2
        l3 = k_L / (f2 * f) * C3 - k_Lm * f2 * f * O3
        l4 = k_L / (f2 * f2) * C4 - k_Lm * f2 * f2 * O4
        return (O0 + O1 + O2 + O3 + O4,
                -c01 - l0, c01 - c12 - l1, c12 - c23 - l2, c23 - c34 - l3, c34 - l4,
                -o01 + l0, o01 - o12 + l1, o12 - o23 + l2, o23 - o34 + l3, o34 + l4)

    @staticmethod
    def steady_state(V, dV_surface, k_L, k_Lm, f, K, V_bar):
        return release_equilibrium(V - dV_surface, k_L, k_Lm, f, K, V_bar)



_FIBRE_RADIUS = ("assumption: fast-twitch rat and mouse limb fibres are 40-60 um across; the pump's ATP use "
                 "scales as 1/radius")


def ca_system(filament: Component | None = None) -> list[Component]:
    """The fibre's Ca system as components, one per process (docs/models/ec_coupling.md).

    The half-sarcomere's compartments (``geom``), the pools of the triadic and bulk myoplasm
    (``myo1``, ``myo2``) and of the terminal and longitudinal SR (``sr1``, ``sr2``), their
    exchange (``exchange``), release (``rel``, read from ``Po_RyR``), SERCA (``serca``), the SR
    leak (``sr_leak``), the buffers ATP (``atp``), parvalbumin (``parv``) and calsequestrin
    (``csq``), the thin filament and crossbridges (``xb``: ``filament``, default the cooperative
    :class:`~neuromuscle.components.thin_filament.CooperativeFilament`; the independent-unit
    :class:`~neuromuscle.components.thin_filament.RBCFilament` of Shorten et al. is the other),
    creatine kinase (``ck``), the metabolic ATP supply (``supply``) and the ATP used at the rate
    ``J_ATP_NaK`` (``nak_atp``).
    Add a buffer or a flux by composing one more component that adds to the pools' sums
    (:mod:`neuromuscle.components.ca_system`).
    """
    return [CaCompartments("geom"), TriadicMyoplasm("myo1"), BulkMyoplasm("myo2"), TerminalSR("sr1"),
            LongitudinalSR("sr2"), CompartmentExchange("exchange"), SRRelease("rel"), Serca("serca"),
            SRLeak("sr_leak"), ATPBinding("atp"),
            Parvalbumin("parv"), Calsequestrin("csq"), CooperativeFilament("xb") if filament is None else filament,
            CreatineKinase("ck"), ATPSupply("supply"), ATPHydrolysis("nak_atp")]


class PumpATPDemand(Component):
    """ATP used by the Na/K pump, per volume of myoplasm: one ATP per pump cycle, which moves
    one net charge, so ``J = (I_surface + gamma I_tubule) (A/V) / F`` with ``A/V = 2/r`` of a
    cylindrical fibre (surface only: the tubular membrane is counted through ``gamma``).

    Provides ``J_ATP_NaK`` (mM/ms, label ``"pump_atp_use"``), which the Ca system's ``nak_atp``
    hydrolyses. Keep ``gamma`` equal to the fibre's ``access.gamma`` (:func:`neuromuscle.muscle_ec` does).
    """

    states = ()
    outputs = (Output("J", "mM/ms", "ATP used by the Na/K pump per volume of myoplasm", provides="J_ATP_NaK",
                      label="pump_atp_use"),)
    citation = "definition: stoichiometry 3 Na : 2 K : 1 ATP (Skou; Post & Jolly 1957)"

    @classmethod
    def default_parameters(cls):
        return {
            "gamma": Parameter(4.8, "1", f"{cite('wallinga1999')} (tubular membrane per unit surface)",
                               "Tubular membrane area per unit surface area", (0.0, 100.0)),
            "radius": Parameter(25.0, "um", _FIBRE_RADIUS, "Fibre radius", (1.0, 500.0)),
        }

    @classmethod
    def default_inputs(cls):
        return {"I_s": "pump.I", "I_t": "pump_t.I"}

    @staticmethod
    def equations(I_s, I_t, gamma, radius):
        area_per_volume = 2.0 / (radius * 1e-4)  # cm^-1
        # uA/cm2 -> mol/(s cm2) is 1e-6/F; per cm3 -> M/s is x1e3; M/s -> mM/ms is x1
        return ((I_s + gamma * I_t) * area_per_volume * 1e-3 / FARADAY,)
