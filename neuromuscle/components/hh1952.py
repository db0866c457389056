"""Sodium and potassium channels of Hodgkin & Huxley (1952), squid giant axon.

Hodgkin AL, Huxley AF (1952) A quantitative description of membrane current and its
application to conduction and excitation in nerve. J Physiol 117:500-544.

The rate equations (eqs. 12, 13, 20, 21, 23, 24 of the paper) are written in the modern
convention: absolute membrane potential ``V`` in mV with the resting potential at
-65 mV, so the paper's depolarisation ``-V_HH`` becomes ``V + 65``. Rates are in 1/ms
at 6.3 C and scale with ``phi = 3 ** ((celsius - 6.3) / 10)`` (the paper's Q10 of 3,
p. 519). Rate constants with a removable 0/0 (alpha_m at V = -40, alpha_n at V = -55)
are evaluated with :func:`neuromuscle.mathfn.x_over_expm1`.

Rates are evaluated at ``V - dV_surface``, the gating shift caused by a change of surface
charge screening (Ca, Mg) relative to the solution the kinetics were measured in (sea
water for HH); 0 reproduces the paper.
"""

from __future__ import annotations

import numpy as np

from ..citations import cite
from ..mathfn import x_over_expm1
from .base import Component, Output, Parameter, State
from .gating import gate_derivative, q10_precompute

__all__ = ["HHSodium", "HHPotassium", "hh_rates", "hh_sodium_rates", "hh_potassium_rates"]

_SRC = cite("hodgkin1952")
_Q10 = Parameter(
    3.0, "1", f"{_SRC}, p. 519 (Q10 of 3 for the rate constants)", "Q10 of the gating rates", (1.0, 10.0)
)
_TREF = Parameter(
    6.3, "degC", f"{_SRC}, p. 519 (rates fitted at 6.3 C)", "Temperature at which the rates apply", (0.0, 50.0)
)


def hh_sodium_rates(V):
    """Na gate rate constants (1/ms) at 6.3 C: ``(alpha_m, beta_m, alpha_h, beta_h)``.

    alpha_m = 0.1 (V+40) / (1 - exp(-(V+40)/10))   [eq. 20]
    beta_m  = 4 exp(-(V+65)/18)                     [eq. 21]
    alpha_h = 0.07 exp(-(V+65)/20)                  [eq. 23]
    beta_h  = 1 / (1 + exp(-(V+35)/10))             [eq. 24]
    """
    # a (V - V0)/(1 - exp(-(V - V0)/k)) = a k * x/(1 - e^-x) = a k * x_over_expm1(-x), x = (V-V0)/k
    alpha_m = 1.0 * x_over_expm1(-(V + 40.0) / 10.0)
    beta_m = 4.0 * np.exp(-(V + 65.0) / 18.0)
    alpha_h = 0.07 * np.exp(-(V + 65.0) / 20.0)
    beta_h = 1.0 / (1.0 + np.exp(-(V + 35.0) / 10.0))
    return alpha_m, beta_m, alpha_h, beta_h


def hh_potassium_rates(V):
    """K gate rate constants (1/ms) at 6.3 C: ``(alpha_n, beta_n)``.

    alpha_n = 0.01 (V+55) / (1 - exp(-(V+55)/10))   [eq. 12]
    beta_n  = 0.125 exp(-(V+65)/80)                 [eq. 13]
    """
    alpha_n = 0.1 * x_over_expm1(-(V + 55.0) / 10.0)
    beta_n = 0.125 * np.exp(-(V + 65.0) / 80.0)
    return alpha_n, beta_n


def hh_rates(V):
    """All six HH rate constants (1/ms) at 6.3 C:
    ``(alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n)``."""
    return hh_sodium_rates(V) + hh_potassium_rates(V)


class HHSodium(Component):
    """HH transient sodium current ``I_Na = g m^3 h (V - E_Na)``."""

    states = (
        State("m", "1", "Na activation gate", 0.0529),
        State("h", "1", "Na inactivation gate", 0.5961),
    )
    outputs = (Output("I", "uA/cm2", "Sodium current", adds_to="I_ion"),)
    citation = f"{_SRC}, eqs. 14-16, 20-24"

    @classmethod
    def default_parameters(cls):
        return {
            "g": Parameter(120.0, "mS/cm2", f"{_SRC}, Table 3 (g_Na)", "Maximal Na conductance", (0.0, 1e5)),
            "q10": _Q10,
            "celsius_ref": _TREF,
        }

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "E": "E_Na", "celsius": "celsius", "dV_surface": "dV_surface"}

    precomputed = ("phi",)
    precompute = staticmethod(q10_precompute)

    @staticmethod
    def equations(V, E, dV_surface, m, h, g, phi):
        am, bm, ah, bh = hh_sodium_rates(V - dV_surface)
        current = g * m * m * m * h * (V - E)
        return current, gate_derivative(m, am, bm, phi), gate_derivative(h, ah, bh, phi)

    @staticmethod
    def steady_state(V, dV_surface):
        am, bm, ah, bh = hh_sodium_rates(V - dV_surface)
        return am / (am + bm), ah / (ah + bh)


class HHPotassium(Component):
    """HH delayed-rectifier potassium current ``I_K = g n^4 (V - E_K)``."""

    states = (State("n", "1", "K activation gate", 0.3177),)
    outputs = (Output("I", "uA/cm2", "Potassium current", adds_to="I_ion"),)
    citation = f"{_SRC}, eqs. 6-7, 12-13"

    @classmethod
    def default_parameters(cls):
        return {
            "g": Parameter(36.0, "mS/cm2", f"{_SRC}, Table 3 (g_K)", "Maximal K conductance", (0.0, 1e5)),
            "q10": _Q10,
            "celsius_ref": _TREF,
        }

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "E": "E_K", "celsius": "celsius", "dV_surface": "dV_surface"}

    precomputed = ("phi",)
    precompute = staticmethod(q10_precompute)

    @staticmethod
    def equations(V, E, dV_surface, n, g, phi):
        an, bn = hh_potassium_rates(V - dV_surface)
        n2 = n * n
        return g * n2 * n2 * (V - E), gate_derivative(n, an, bn, phi)

    @staticmethod
    def steady_state(V, dV_surface):
        an, bn = hh_potassium_rates(V - dV_surface)
        return (an / (an + bn),)
