"""Human node of Ranvier: Schwarz, Reid & Bostock (1995) kinetics with a persistent Na current.

Schwarz JR, Reid G, Bostock H (1995) Action potentials and membrane currents in the
human node of Ranvier. Pflugers Arch 430:283-292 -- voltage clamp of human nodes at room
temperature; fast Na (a GHK permeability), fast K, slow K, leak.

Rate constants are at 20 C in absolute mV, scaled by Q10 (2.2 for m and p, 2.9 for h,
3.0 for n and s). The values below were read from two independent implementations that
agree: the Wesselink, Holsheimer & Boom (1999, Med Biol Eng Comput 37:228) parameterisation
of the SRB node in public NEURON code, and the authors' own code of Hennings,
Arendt-Nielsen & Andersen (2005, ModelDB 55749). The papers' own tables could not be
consulted; docs/models/motor_axon.md lists each value with its provenance.

Persistent Na (not part of SRB 1995) follows Hennings et al. (2005): p^3 gating with the
SRB m-rates halved and shifted by -20 mV, carried by a fraction of the Na permeability.

Every voltage-dependent rate is evaluated at ``V - dV_surface``: ``dV_surface`` is the
shift of gating produced by a change in surface charge screening and binding by Ca and
Mg relative to the solution in which the kinetics apply (see
:func:`neuromuscle.electrochem.gating_shift`).
"""

from __future__ import annotations

import numpy as np

from ..citations import cite
from ..mathfn import x_over_expm1
from .base import Component, Output, Parameter, State
from .gating import gate_derivative, q10_factor, q10_precompute
from .ghk import ghk_current_density

__all__ = [
    "SRBSodium", "SRBPersistentSodium", "SRBFastPotassium", "SRBSlowPotassium",
    "srb_type1", "srb_type2", "srb_type3",
]

_SRB = cite("schwarz1995")
_RATES = (f"{_SRB}; values as in the NEURON code of {cite('wesselink1999')} and ModelDB 55749 of "
          f"{cite('hennings2005')}")
_HEN = f"{cite('hennings2005')} (ModelDB 55749, model_Nap.m)"
_TREF = Parameter(20.0, "degC", f"{_SRB} (rates at 20 C)", "Temperature at which the rates apply", (0.0, 50.0))


def srb_type1(V, A, B, C):
    """``A (V - B) / (1 - exp((B - V)/C))``, 1/ms; finite at V = B (limit A C)."""
    return A * C * x_over_expm1(-(V - B) / C)


def srb_type2(V, A, B, C):
    """``A (B - V) / (1 - exp((V - B)/C))``, 1/ms; finite at V = B (limit A C)."""
    return A * C * x_over_expm1(-(B - V) / C)


def srb_type3(V, A, B, C):
    """``A / (1 + exp((B - V)/C))``, 1/ms."""
    return A / (1.0 + np.exp((B - V) / C))


def _na_rates(v):
    am = srb_type1(v, 1.86, -18.4, 10.3)
    bm = srb_type2(v, 0.086, -22.7, 9.16)
    ah = srb_type2(v, 0.0336, -111.0, 11.0)
    bh = srb_type3(v, 2.3, -28.8, 13.4)
    return am, bm, ah, bh


def _nap_rates(v):
    # Hennings et al. 2005: SRB m-rates x 0.5, shifted by -20 mV
    return srb_type1(v, 0.93, -38.4, 10.3), srb_type2(v, 0.043, -42.7, 9.16)


def _kf_rates(v):
    return srb_type1(v, 0.00798, -93.2, 1.1), srb_type2(v, 0.0142, -76.0, 10.5)


def _ks_rates(v):
    return srb_type1(v, 0.00122, -12.5, 23.6), srb_type2(v, 0.000739, -80.1, 21.8)


_COMMON_INPUTS = {"V": "V", "celsius": "celsius", "dV_surface": "dV_surface"}


class SRBSodium(Component):
    """Transient Na current, GHK form: ``I = P m^3 h * GHK(V, Na_o, Na_i)``."""

    states = (State("m", "1", "Na activation", 0.0), State("h", "1", "Na inactivation", 0.8))
    outputs = (Output("I", "uA/cm2", "Transient Na current", adds_to="I_ion"),)
    citation = _SRB

    @classmethod
    def default_parameters(cls):
        return {
            "P": Parameter(
                7.04e-3, "cm/s",
                f"{cite('wesselink1999')} (SRB node): 3.52e-9 cm3/s per 50 um2 node",
                "Maximal Na permeability", (0.0, 1.0),
            ),
            "q10_m": Parameter(2.2, "1", _RATES, "Q10 of m rates", (1.0, 10.0)),
            "q10_h": Parameter(2.9, "1", _RATES, "Q10 of h rates", (1.0, 10.0)),
            "celsius_ref": _TREF,
        }

    @classmethod
    def default_inputs(cls):
        return {**_COMMON_INPUTS, "c_out": "Na_o", "c_in": "Na_i"}

    precomputed = ("phi_m", "phi_h")

    @staticmethod
    def precompute(celsius, q10_m, q10_h, celsius_ref):
        return q10_factor(q10_m, celsius, celsius_ref), q10_factor(q10_h, celsius, celsius_ref)

    @staticmethod
    def equations(V, celsius, dV_surface, c_out, c_in, m, h, P, phi_m, phi_h):
        am, bm, ah, bh = _na_rates(V - dV_surface)
        current = P * m * m * m * h * ghk_current_density(V, c_out, c_in, 1.0, celsius)
        return current, gate_derivative(m, am, bm, phi_m), gate_derivative(h, ah, bh, phi_h)

    @staticmethod
    def steady_state(V, dV_surface):
        am, bm, ah, bh = _na_rates(V - dV_surface)
        return am / (am + bm), ah / (ah + bh)


class SRBPersistentSodium(Component):
    """Persistent Na current: ``I = f P p^3 * GHK(V, Na_o, Na_i)`` (Hennings et al. 2005).

    ``fraction`` is the share of the Na permeability that is persistent.
    """

    states = (State("p", "1", "Persistent Na activation", 0.0),)
    outputs = (Output("I", "uA/cm2", "Persistent Na current", adds_to="I_ion"),)
    citation = _HEN

    @classmethod
    def default_parameters(cls):
        return {
            "P": Parameter(7.04e-3, "cm/s", f"{cite('hennings2005')}: same as the transient Na permeability",
                           "Na permeability the fraction applies to", (0.0, 1.0)),
            "fraction": Parameter(
                0.01, "1",
                f"assumption: {cite('hennings2005')} use 2.5% in a node coupled to an internode; a single leaky node "
                "latches at ~-44 mV after one AP with 2.5% (docs/models/motor_axon.md), so 1% is used",
                "Persistent fraction of Na permeability", (0.0, 1.0),
            ),
            "q10": Parameter(2.2, "1", _HEN, "Q10 of p rates", (1.0, 10.0)),
            "celsius_ref": _TREF,
        }

    @classmethod
    def default_inputs(cls):
        return {**_COMMON_INPUTS, "c_out": "Na_o", "c_in": "Na_i"}

    precomputed = ("phi",)
    precompute = staticmethod(q10_precompute)

    @staticmethod
    def equations(V, celsius, dV_surface, c_out, c_in, p, P, fraction, phi):
        ap, bp = _nap_rates(V - dV_surface)
        current = fraction * P * p * p * p * ghk_current_density(V, c_out, c_in, 1.0, celsius)
        return current, gate_derivative(p, ap, bp, phi)

    @staticmethod
    def steady_state(V, dV_surface):
        ap, bp = _nap_rates(V - dV_surface)
        return (ap / (ap + bp),)


class _SRBPotassium(Component):
    """Shared declarations of the SRB K currents: ohmic, one gate, one Q10, E_K."""

    citation = _SRB
    precomputed = ("phi",)
    precompute = staticmethod(q10_precompute)

    @classmethod
    def default_inputs(cls):
        return {**_COMMON_INPUTS, "E": "E_K"}

    @classmethod
    def _parameters(cls, g, source, what, gate):
        return {
            "g": Parameter(g, "mS/cm2", source, f"Maximal {what} conductance", (0.0, 1e5)),
            "q10": Parameter(3.0, "1", _RATES, f"Q10 of {gate} rates", (1.0, 10.0)),
            "celsius_ref": _TREF,
        }


class SRBFastPotassium(_SRBPotassium):
    """Fast K current ``I = g n^4 (V - E_K)``."""

    states = (State("n", "1", "Fast K activation", 0.0),)
    outputs = (Output("I", "uA/cm2", "Fast K current", adds_to="I_ion"),)

    @classmethod
    def default_parameters(cls):
        return cls._parameters(30.0, f"{cite('wesselink1999')} (SRB node): 15 nS per 50 um2 node", "fast K", "n")

    @staticmethod
    def equations(V, dV_surface, E, n, g, phi):
        an, bn = _kf_rates(V - dV_surface)
        n2 = n * n
        return g * n2 * n2 * (V - E), gate_derivative(n, an, bn, phi)

    @staticmethod
    def steady_state(V, dV_surface):
        an, bn = _kf_rates(V - dV_surface)
        return (an / (an + bn),)


class SRBSlowPotassium(_SRBPotassium):
    """Slow K current ``I = g s (V - E_K)``."""

    states = (State("s", "1", "Slow K activation", 0.0),)
    outputs = (Output("I", "uA/cm2", "Slow K current", adds_to="I_ion"),)

    @classmethod
    def default_parameters(cls):
        return cls._parameters(60.0, f"{cite('wesselink1999')} (SRB node): 30 nS per 50 um2 node", "slow K", "s")

    @staticmethod
    def equations(V, dV_surface, E, s, g, phi):
        a, b = _ks_rates(V - dV_surface)
        return g * s * (V - E), gate_derivative(s, a, b, phi)

    @staticmethod
    def steady_state(V, dV_surface):
        a, b = _ks_rates(V - dV_surface)
        return (a / (a + b),)
