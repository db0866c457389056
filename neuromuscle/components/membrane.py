"""The membrane capacitor and the ohmic leak."""

from __future__ import annotations

from .base import Component, Output, Parameter, State

__all__ = ["Membrane", "Leak", "ReversalLeak"]


class Membrane(Component):
    """Membrane capacitance: ``C_m dV/dt = I_stim - I_ion``.

    Holds the membrane potential ``V`` (shared by every component). ``I_ion`` is the sum
    of all ionic currents (outward positive), ``I_stim`` the applied current (positive
    depolarises), as in Hodgkin & Huxley (1952), eq. 26.
    """

    states = (State("V", "mV", "Membrane potential (inside minus outside)", -65.0, shared=True),)
    outputs = ()
    citation = "Hodgkin AL, Huxley AF (1952) J Physiol 117:500-544, eq. 26"

    @classmethod
    def default_parameters(cls):
        return {
            "C_m": Parameter(
                1.0, "uF/cm2", "Hodgkin & Huxley 1952, p. 505 (squid axon, 1 uF/cm2)",
                "Specific membrane capacitance", (1e-3, 100.0),
            )
        }

    @classmethod
    def default_inputs(cls):
        return {"I_ion": "I_ion", "I_stim": "I_stim"}

    @staticmethod
    def equations(I_ion, I_stim, C_m):
        return ((I_stim - I_ion) / C_m,)


class Leak(Component):
    """Ohmic leak ``I = g (V - E)`` with a fixed reversal potential."""

    states = ()
    outputs = (Output("I", "uA/cm2", "Leak current", adds_to="I_ion"),)
    citation = "Hodgkin AL, Huxley AF (1952) J Physiol 117:500-544, eq. 26"

    @classmethod
    def default_parameters(cls):
        return {
            "g": Parameter(0.3, "mS/cm2", "Hodgkin & Huxley 1952, Table 3 (g_l)", "Leak conductance", (0.0, 1e4)),
            "E": Parameter(
                -54.387, "mV",
                "Hodgkin & Huxley 1952, Table 3: V_l = -10.613 mV from rest, with rest at -65 mV",
                "Leak reversal potential", (-200.0, 200.0),
            ),
        }

    @classmethod
    def default_inputs(cls):
        return {"V": "V"}

    @staticmethod
    def equations(V, g, E):
        return (g * (V - E),)


class ReversalLeak(Component):
    """Ohmic leak ``I = g (V - E_L)`` whose reversal potential is a shared variable ``E_L``
    (e.g. from :class:`~neuromuscle.components.ghk.GHKLeakReversal`)."""

    states = ()
    outputs = (Output("I", "uA/cm2", "Leak current", adds_to="I_ion"),)
    citation = ""

    @classmethod
    def default_parameters(cls):
        return {"g": Parameter(0.3, "mS/cm2", "", "Leak conductance", (0.0, 1e5))}

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "E": "E_L"}

    @staticmethod
    def equations(V, g, E):
        return (g * (V - E),)
