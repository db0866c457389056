"""The membrane capacitor and the ohmic leak."""

from __future__ import annotations

from ..citations import cite
from .base import Component, Output, Parameter, State
from .muscle_wallinga import WALLINGA_TRANSCRIBED

__all__ = ["Membrane", "TubularMembrane", "Leak", "ReversalLeak", "AccessResistance"]


class Membrane(Component):
    """Membrane capacitance: ``C_m dV/dt = I_stim - I_ion``.

    Holds the membrane potential ``V`` (shared by every component). ``I_ion`` is the sum
    of all ionic currents (outward positive), ``I_stim`` the applied current (positive
    depolarises), as in Hodgkin & Huxley (1952), eq. 26.
    """

    states = (State("V", "mV", "Membrane potential (inside minus outside)", -65.0, shared=True,
                    label="membrane_potential"),)
    outputs = ()
    citation = cite("hodgkin1952", "eq. 26")

    @classmethod
    def default_parameters(cls):
        return {
            "C_m": Parameter(
                1.0, "uF/cm2", cite("hodgkin1952", "p. 505 (squid axon, 1 uF/cm2)"),
                "Specific membrane capacitance", (1e-3, 100.0),
            )
        }

    @classmethod
    def default_inputs(cls):
        return {"I_ion": "I_ion", "I_stim": "I_stim"}

    @staticmethod
    def equations(I_ion, I_stim, C_m):
        return ((I_stim - I_ion) / C_m,)


class TubularMembrane(Component):
    """Membrane of a lumped t-tubule compartment: ``C_m du/dt = -I_ion_t``.

    Holds the tubular membrane potential ``u``; ``I_ion_t`` is the sum of the tubular ionic
    currents and of the current arriving from the surface through the access resistance,
    per cm2 of tubular membrane (:class:`AccessResistance`). No stimulus is applied here.
    """

    states = (State("u", "mV", "Tubular membrane potential", -85.0, shared=True, label="tubular_potential"),)
    outputs = ()
    citation = cite("adrian1973")

    @classmethod
    def default_parameters(cls):
        return {"C_m": Parameter(1.0, "uF/cm2", f"assumption: equal to the surface membrane ({cite('wallinga1999')})",
                                 "Specific capacitance of the tubular membrane", (1e-3, 100.0))}

    @classmethod
    def default_inputs(cls):
        return {"I_ion": "I_ion_t", "V": "V"}

    @staticmethod
    def equations(I_ion, C_m):
        return (-I_ion / C_m,)

    @staticmethod
    def steady_state(V):
        # Start of an equilibrium search: at rest almost no current crosses the access
        # resistance, so the tubule sits within a fraction of a mV of the surface.
        return (V,)


def ohmic_current(g, V, E):
    """Ohmic current ``g (V - E)``: uA/cm2 for ``g`` in mS/cm2 and ``V``, ``E`` in mV.

    The current law of :class:`Leak` and its subclasses, a module-level function so that
    compiled equations of other modules can call it.
    """
    return g * (V - E)


class Leak(Component):
    """Ohmic leak ``I = g (V - E)`` with a fixed reversal potential (:func:`ohmic_current`).

    Subclasses change where ``g`` and ``E`` come from (:class:`ReversalLeak`; the cable's
    per-section leaks in :mod:`neuromuscle.components.mrg`), not the current.
    """

    states = ()
    outputs = (Output("I", "uA/cm2", "Leak current", adds_to="I_ion"),)
    citation = cite("hodgkin1952", "eq. 26")

    @classmethod
    def default_parameters(cls):
        return {
            "g": Parameter(0.3, "mS/cm2", cite("hodgkin1952", "Table 3 (g_l)"), "Leak conductance", (0.0, 1e4)),
            "E": Parameter(
                -54.387, "mV",
                cite("hodgkin1952", "Table 3: V_l = -10.613 mV from rest, with rest at -65 mV"),
                "Leak reversal potential", (-200.0, 200.0),
            ),
        }

    @classmethod
    def default_inputs(cls):
        return {"V": "V"}

    @staticmethod
    def equations(V, g, E):
        return (ohmic_current(g, V, E),)


class ReversalLeak(Leak):
    """The :class:`Leak` with its reversal potential read from the shared variable ``E_L``
    (e.g. from :class:`~neuromuscle.components.ghk.GHKLeakReversal`) instead of a parameter."""

    citation = ""

    @classmethod
    def default_parameters(cls):
        return {"g": Parameter(0.3, "mS/cm2", "input: set by the model that uses it", "Leak conductance", (0.0, 1e5))}

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "E": "E_L"}


class AccessResistance(Component):
    """Resistive link from the surface membrane to a lumped t-tubule compartment.

    The current ``I_T = 1000 (V - u) / R_a`` (uA/cm2 of surface for V, u in mV and R_a in
    Ohm cm2) leaves the surface (adds to ``I_ion``) and enters the tubular membrane, where it
    is spread over ``gamma`` times the surface area (adds ``-I_T / gamma`` to ``I_ion_t``,
    per cm2 of tubular membrane). The Adrian & Peachey (1973) lumped scheme as used by
    Wallinga et al. (1999).
    """

    states = ()
    outputs = (
        Output("I_surface", "uA/cm2", "Current into the tubule, per surface area", adds_to="I_ion"),
        Output("I_tubule", "uA/cm2", "Current from the surface, per tubular area (negative: inward)",
               adds_to="I_ion_t"),
    )
    citation = f"{cite('adrian1973')}; {cite('wallinga1999')}"

    @classmethod
    def default_parameters(cls):
        src = f"{WALLINGA_TRANSCRIBED} (not checked against the paper's table)"
        return {
            "R_a": Parameter(150.0, "Ohm cm2", src, "Access resistance of the t-tubular system", (1e-3, 1e7)),
            "gamma": Parameter(4.8, "1", src, "Tubular membrane area per unit surface area", (1e-3, 1e3)),
        }

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "u": "u"}

    @staticmethod
    def equations(V, u, R_a, gamma):
        i_t = 1000.0 * (V - u) / R_a
        return i_t, -i_t / gamma
