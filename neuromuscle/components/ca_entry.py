"""Ca entry and extrusion across the muscle fibre's own membrane (the sarcolemma and the
t-tubule), so that "how much Ca gets into the cell" can be measured against the plasma.

:class:`SarcolemmalCalcium` adds three fluxes to the fibre with EC coupling
(``nm.muscle_ec(..., extra=(sarcolemmal_calcium(),))``), all across the t-tubular membrane,
where the L-type channels (the DHPR, CaV1.1) sit, into the triadic myoplasm:

* **L-type Ca current** ``I_CaL = P_CaL d b GHK_Ca(u)``: one activation gate ``d``
  (Boltzmann, voltage-independent time constant; the channel's inactivation takes seconds
  and is left out, so runs should stay below about a second), read at ``u - dV_surface``
  like every gate in the package (so extracellular Ca and Mg shift it through the surface
  charge), and a pore factor ``b = (1 + Ca_o/K_Ca)/(1 + Ca_o/K_Ca + Mg_o/K_Mg)``:
  extracellular Mg competes with Ca for the pore's high-affinity site and, once bound,
  passes too slowly to carry current (Lansman, Hess & Tsien 1986; Kuo & Hess 1993).
* **Background Ca entry** ``I_Cab = P_Cab GHK_Ca(u)`` (a constitutive leak of unknown
  molecular identity; Noble et al. 2019 add one to the Shorten fibre for the same reason).
* **Surface Ca pump** (PMCA, Ca out for H in, electroneutral) ``J_PMCA = J_max Ca/(K_PMCA +
  Ca)``.

The currents add to the tubular membrane current (``I_ion_t``) and carry Ca; the net Ca flux
enters the triadic free Ca pool (adds to ``J_Ca_myo1``, the pool sum of
:mod:`neuromuscle.components.ca_system`), so composing it is adding one component:
``nm.muscle_ec(electrolytes, extra=(sarcolemmal_calcium(),))``.

The background permeability is set so that entry balances the pump at the fibre's resting
state in normal plasma (a derived constant, not a measurement: see its source); everything
else is taken from the sources named on each parameter.
"""

from __future__ import annotations

import numpy as np

from ..citations import cite
from ..constants import FARADAY
from ..electrochem import ghk_current_density
from .base import Component, Output, Parameter, State
from .ca_system import pool_sum
from .gating import q10_factor

__all__ = ["SarcolemmalCalcium", "l_type_pore_factor", "sarcolemmal_calcium", "balancing_background"]

_Q10 = f"{cite('bennett1984')} (rate processes of muscle: Q10 2.0-2.5); value an assumption"
_DHPR_MOUSE = ("assumption: mouse FDB fibres, whole-cell Ca current in 2 mM Ca at room temperature: "
               "activation midpoint "
               "near +5 mV, slope about 6 mV, time to peak 50-100 ms (e.g. "
               f"{cite('ursu2004')}; {cite('avila2000')}); values rounded")
_HESS = (f"{cite('hess1984')} (Ca blocks monovalent current through L-type channels, K_D about "
         "0.7 uM: the pore's high-affinity site)")
_MG_PORE = (f"{cite('lansman1986')} and {cite('kuo1993')} (3-8 uM "
            "external Mg blocks the L-type pore at the same site as Ca, Mg leaving it slowly); K_Mg = 10 K_Ca "
            "is an assumption within those data")
_PMCA = (f"{cite('courtemanche1998')}: PMCA half-activation 0.5 uM and maximal current 0.55 uA/cm2 of this "
         "cell model, used for want of a skeletal-muscle value")


def l_type_pore_factor(Ca_o, Mg_o, K_Ca, K_Mg):
    """Fraction of L-type pores not occupied by Mg (mM in, 0-1 out)."""
    a = 1.0 + Ca_o / K_Ca
    return a / (a + Mg_o / K_Mg)


class SarcolemmalCalcium(Component):
    """L-type Ca current, background Ca entry and the surface Ca pump of a muscle fibre.

    Inputs: tubular membrane potential ``u``, ``dV_surface``, ``Ca_o`` and ``Mg_o`` (mM),
    triadic free Ca (the pool state ``myo1.Ca``), ``celsius``, the volumes ``V_myo`` and
    ``V_myo1``. Outputs: ``I_CaL`` and ``I_Cab`` (uA/cm2 of tubular membrane, adding to
    ``I_ion_t``), ``J_PMCA``, ``J_in`` and the net influx ``J`` (mM/ms of myoplasm), and
    ``J_triad``, the same per volume of the triad, which adds to ``J_Ca_myo1``.
    """

    states = (State("d", "1", "L-type Ca channel activation", 0.0),)
    outputs = (
        Output("I_CaL", "uA/cm2", "L-type Ca current (tubular membrane)", adds_to="I_ion", carries=(("Ca", 1.0),)),
        Output("I_Cab", "uA/cm2", "Background Ca current (tubular membrane)", adds_to="I_ion",
               carries=(("Ca", 1.0),)),
        Output("J_PMCA", "mM/ms", "Ca extruded by the surface pump, per volume of myoplasm"),
        Output("J_in", "mM/ms", "Ca entering through L-type and background channels, per volume of myoplasm"),
        Output("J", "mM/ms", "Net sarcolemmal Ca influx, per volume of myoplasm"),
        Output("J_triad", "mM/ms", "Net influx into the triadic free Ca pool, per volume of the triad",
               adds_to=pool_sum("Ca", "myo1")),
    )
    citation = "derived: L-type Ca channel, background Ca entry and PMCA; see each parameter"

    @classmethod
    def default_parameters(cls):
        return {
            "P_CaL": Parameter(2.4e-5, "cm/s", f"{_DHPR_MOUSE}; gives -3 uA/cm2 at +15 mV, 1.22 mM Ca (about -5 uA/uF "
                               "in 2 mM Ca)", "L-type Ca permeability, fully activated", (0.0, 1.0)),
            "V_half": Parameter(5.0, "mV", _DHPR_MOUSE, "Activation midpoint", (-100.0, 100.0)),
            "k": Parameter(6.0, "mV", _DHPR_MOUSE, "Activation slope", (0.1, 50.0)),
            "tau_d": Parameter(25.0, "ms", f"{_DHPR_MOUSE} (time constant about a third of the time to peak)",
                               "Activation time constant at celsius_ref", (0.01, 1e4)),
            "q10": Parameter(2.5, "1", _Q10, "Q10 of activation", (1.0, 10.0)),
            "celsius_ref": Parameter(22.0, "degC", _DHPR_MOUSE, "Temperature of the kinetic data", (0.0, 45.0)),
            "K_Ca": Parameter(0.7e-3, "mM", _HESS, "Ca affinity of the pore's high-affinity site", (1e-9, 10.0)),
            "K_Mg": Parameter(7e-3, "mM", _MG_PORE, "Mg affinity of the same site", (1e-9, 100.0)),
            "P_Cab": Parameter(3.06e-9, "cm/s", "derived: entry balances the surface pump at the fibre's resting "
                               "state in normal plasma, 37 C (u -85.4 mV, triadic Ca 4.2 nM; "
                               "neuromuscle.components.ca_entry.balancing_background, tested)",
                               "Background Ca permeability", (0.0, 1.0)),
            "I_PMCA": Parameter(0.55, "uA/cm2", _PMCA, "Surface pump maximal rate, as a current of 2 charges per Ca",
                                (0.0, 100.0)),
            "K_PMCA": Parameter(0.5e-3, "mM", _PMCA, "Surface pump half-activation", (1e-9, 10.0)),
            "q10_PMCA": Parameter(2.5, "1", _Q10, "Q10 of the surface pump's rate (I_PMCA applies at 37 C)",
                                  (1.0, 10.0)),
            "gamma": Parameter(4.8, "1", f"{cite('wallinga1999')} (tubular membrane per unit surface)",
                               "Tubular membrane area per unit surface area", (0.0, 100.0)),
            "radius": Parameter(25.0, "um", "assumption: fast-twitch rat and mouse limb fibres are 40-60 um across",
                                "Fibre radius", (1.0, 500.0)),
        }

    @classmethod
    def default_inputs(cls):
        return {"V": "u", "dV_surface": "dV_surface", "Ca_o": "Ca_o", "Mg_o": "Mg_o", "Ca_i": "myo1.Ca",
                "celsius": "celsius", "V_myo": "V_myo", "V_myo1": "V_myo1"}

    precomputed = ("phi", "phi_pmca", "to_flux")

    @staticmethod
    def precompute(celsius, q10, celsius_ref, q10_PMCA, gamma, radius):
        # uA per cm2 of tubular membrane -> mM/ms of myoplasm: tubular area per volume is
        # gamma 2/r (cm^-1); 1 uA/cm2 = 1e-6/(2F) mol Ca/(s cm2); per cm3 and in mM/ms: x 1e3 x 1e-3
        return (q10_factor(q10, celsius, celsius_ref), q10_factor(q10_PMCA, celsius, 37.0),
                gamma * 2.0 / (radius * 1e-4) * 1e-3 / (2.0 * FARADAY))

    @staticmethod
    def equations(V, dV_surface, Ca_o, Mg_o, Ca_i, celsius, V_myo, V_myo1, d, P_CaL, V_half, k, tau_d, K_Ca, K_Mg,
                  P_Cab, I_PMCA,
                  K_PMCA, phi, phi_pmca, to_flux):
        ca_i = np.maximum(Ca_i, 1e-12)  # a solver's tiny negative Ca must not enter the GHK term
        ghk = ghk_current_density(V, Ca_o, ca_i, 2, celsius)
        d_inf = 1.0 / (1.0 + np.exp(-(V - dV_surface - V_half) / k))
        i_cal = P_CaL * d * l_type_pore_factor(Ca_o, Mg_o, K_Ca, K_Mg) * ghk
        i_cab = P_Cab * ghk
        j_in = -(i_cal + i_cab) * to_flux
        j_pmca = phi_pmca * I_PMCA * to_flux * ca_i / (K_PMCA + ca_i)
        net = j_in - j_pmca
        return i_cal, i_cab, j_pmca, j_in, net, net * V_myo / V_myo1, phi * (d_inf - d) / tau_d

    @staticmethod
    def steady_state(V, dV_surface, V_half, k):
        return (1.0 / (1.0 + np.exp(-(V - dV_surface - V_half) / k)),)


def balancing_background(u: float, ca_i: float, ca_o: float = 1.22, celsius: float = 37.0,
                         dV_surface: float = 0.0, mg_o: float = 0.52) -> float:
    """Background permeability (cm/s) at which entry (background + the L-type channels'
    steady window current) equals the surface pump at tubular potential ``u`` (mV) and
    triadic Ca ``ca_i`` (mM)."""
    p = {k: v.value for k, v in SarcolemmalCalcium.default_parameters().items()}
    ghk = float(ghk_current_density(u, ca_o, ca_i, 2, celsius))
    d = 1.0 / (1.0 + np.exp(-(u - dV_surface - p["V_half"]) / p["k"]))
    i_cal = p["P_CaL"] * d * l_type_pore_factor(ca_o, mg_o, p["K_Ca"], p["K_Mg"]) * ghk
    i_pump = p["I_PMCA"] * ca_i / (p["K_PMCA"] + ca_i)  # as a current of 2 charges per Ca
    return float((-i_pump - i_cal) / ghk)


def sarcolemmal_calcium(gamma: Parameter | None = None, name: str = "ca_sl") -> SarcolemmalCalcium:
    """The component ready to compose into :func:`~neuromuscle.muscle_ec` (``extra=(...,)``):
    currents on the tubular membrane (``I_ion_t``); ``gamma`` should be the fibre's
    ``access.gamma`` (the default, 4.8, is the default fibre's); it reads the environment's
    ionised ``Ca_o`` and ``Mg_o``."""
    return SarcolemmalCalcium(name, parameters={"gamma": gamma} if gamma is not None else {},
                              rename={"I_ion": "I_ion_t"})
