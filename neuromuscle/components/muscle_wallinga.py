"""Skeletal-muscle fibre membrane currents of Wallinga et al. (1999).

Wallinga W, Meijer SL, Alberink MJ, Vliek M, Wienk ED, Ypey DL (1999) Modelling action
potentials and membrane currents of mammalian skeletal muscle fibres in coherence with
potassium concentration changes in the T-tubular system. Eur Biophys J 28:317-329.

The equations and values were read from two independent machine-readable transcriptions
of this model, not from the paper's tables: the Physiome Model Repository CellML of
Shorten et al. (2007, J Muscle Res Cell Motil 28:293), whose electrical part is Wallinga's,
and the code of Senneff & Lowery (2021, J Theor Biol 519:110656). Where the two disagree
the choice is stated. docs/research/muscle_membrane.md lists every value with its
provenance.

Rates are in 1/ms at the reference temperature 20 C (both transcriptions run or scale from
20 C); conductances also scale with temperature (Q10 values of Senneff & Lowery 2021).
Every voltage-dependent gate is evaluated at ``V - dV_surface`` (surface-charge gating
shift, as in the axon). Instances can be renamed onto the t-tubule compartment
(``rename={"V": "u", "I_ion": "I_ion_t"}``, ``inputs={"K_o": "K_t"}``).

The fibre model that composes them is :func:`neuromuscle.models.muscle_fibre`.
"""

from __future__ import annotations

import numpy as np

from ..citations import cite
from ..constants import FARADAY
from ..electrochem import ghk_current_density, nernst_unchecked, rt_over_f
from ..mathfn import x_over_expm1
from .base import Component, Output, Parameter, State
from .gating import gate_derivative, q10_factor, q10_precompute

__all__ = [
    "WallingaSodium", "WallingaDelayedRectifier", "InwardRectifier", "ClC1Chloride", "NaKPump", "GHKBackground",
    "CationLeak", "TubularPotassium",
    "wallinga_sodium_rates", "wallinga_potassium_rates", "kir_open_fraction",
]

_WAL = cite("wallinga1999")
#: Source of the Wallinga values read from the two machine-readable transcriptions (module
#: docstring); docs/research/muscle_membrane.md lists every value with its provenance.
WALLINGA_TRANSCRIBED = (f"{_WAL}, as transcribed in the {cite('shorten2007')} CellML and the "
                        f"{cite('senneff2021')} code (docs/research/muscle_membrane.md)")
_TX = WALLINGA_TRANSCRIBED
_SL = f"{cite('senneff2021')} (code; Q10 referred to 20 C)"
_TREF = Parameter(20.0, "degC", f"{_TX} (conductances referred to 20 C, as Senneff & Lowery's MATLAB code does)",
                  "Temperature at which the conductances apply", (0.0, 50.0))
#: Wallinga's gating rates are taken as body-temperature values: the Wallinga group's data
#: were intracellular APs of rat muscle in vivo (Wallinga et al. 1985), Senneff & Lowery's
#: Python code and Shorten's CellML use the rates unscaled, and scaling them from 20 C (Senneff
#: & Lowery's MATLAB code) gives a 0.2 ms AP at 37 C, far briefer than a mammalian fibre's.
_TREF_RATES = Parameter(37.0, "degC", f"{cite('wallinga1985')} (rat, in "
                        "vivo); rates unscaled at 37 C in Senneff & Lowery's Python code (docs/models/muscle_fibre.md)",
                        "Temperature at which the gating rates apply", (0.0, 50.0))


def wallinga_sodium_rates(V):
    """``(alpha_m, beta_m, alpha_h, beta_h, S_inf, tau_S)`` at 20 C; rates 1/ms, tau_S in ms.

    alpha_m = 0.288 (V+46)/(1 - exp(-(V+46)/10)); beta_m = 1.38 exp(-(V+46)/18);
    alpha_h = 0.0081 exp(-(V+45)/14.7); beta_h = 4.38/(1 + exp(-(V+45)/9));
    S_inf = 1/(1 + exp((V+78)/5.8)); tau_S = 8571/(0.2 + 5.65 ((V+90)/100)^2).
    (tau_S: the Shorten CellML value; the Senneff code uses 7 times longer.)
    """
    alpha_m = 0.288 * 10.0 * x_over_expm1(-(V + 46.0) / 10.0)
    beta_m = 1.38 * np.exp(-(V + 46.0) / 18.0)
    alpha_h = 0.0081 * np.exp(-(V + 45.0) / 14.7)
    beta_h = 4.38 / (1.0 + np.exp(-(V + 45.0) / 9.0))
    s_inf = 1.0 / (1.0 + np.exp((V + 78.0) / 5.8))
    x = (V + 90.0) / 100.0
    tau_s = 8571.0 / (0.2 + 5.65 * x * x)
    return alpha_m, beta_m, alpha_h, beta_h, s_inf, tau_s


def wallinga_potassium_rates(V):
    """``(alpha_n, beta_n, hK_inf, tau_hK)`` at 20 C; rates 1/ms, tau_hK in ms.

    alpha_n = 0.0131 (V+40)/(1 - exp(-(V+40)/7)); beta_n = 0.067 exp(-(V+40)/40);
    hK_inf = 1/(1 + exp((V+40)/7.5)); tau_hK = 1000 exp(-(V+40)/25.75).
    """
    alpha_n = 0.0131 * 7.0 * x_over_expm1(-(V + 40.0) / 7.0)
    beta_n = 0.067 * np.exp(-(V + 40.0) / 40.0)
    hk_inf = 1.0 / (1.0 + np.exp((V + 40.0) / 7.5))
    tau_hk = 1000.0 * np.exp(-(V + 40.0) / 25.75)
    return alpha_n, beta_n, hk_inf, tau_hk


def kir_open_fraction(V, K_o, K_i, celsius, delta, K_K, K_S, S_i):
    """Standen-Stanfield inward rectifier: ``(gbar_factor, y)``.

    ``K_R = K_o exp(-delta E_K F/RT)`` (K at the blocking site), ``gbar_factor =
    K_R^2/(K_K + K_R^2)`` (conductance rises with external K: the reason low K can
    depolarise muscle), and ``y = 1 - 1/(1 + K_S (1 + K_R^2/K_K) / (S_i^2 exp(2 (1 - delta)
    V F/RT)))``, the fraction not blocked by internal cations (which rises as V falls).
    """
    vt = rt_over_f(celsius)
    e_k = nernst_unchecked(K_o, K_i, 1.0, celsius)
    k_r = K_o * np.exp(-delta * e_k / vt)
    k_r2 = k_r * k_r
    gbar_factor = k_r2 / (K_K + k_r2)
    y = 1.0 - 1.0 / (1.0 + K_S * (1.0 + k_r2 / K_K) / (S_i * S_i * np.exp(2.0 * (1.0 - delta) * V / vt)))
    return gbar_factor, y


def _rate_and_conductance_q10(celsius, q10, q10_g, celsius_ref, celsius_ref_rates):
    """``(phi, phi_g)``: temperature factors of the gating rates and of the conductance."""
    return q10_factor(q10, celsius, celsius_ref_rates), q10_factor(q10_g, celsius, celsius_ref)


def _g_param(value, what):
    return Parameter(value, "mS/cm2", f"{_TX}", f"Maximal {what} conductance at 20 C", (0.0, 1e5))


def _q10(value, what, source=_SL):
    return Parameter(value, "1", source, f"Q10 of {what}", (1.0, 10.0))


class WallingaSodium(Component):
    """Na current with fast and slow inactivation, ``I = g m^3 h S (V - E_Na)``."""

    states = (
        State("m", "1", "Na activation", 0.03),
        State("h", "1", "Na fast inactivation", 0.6),
        State("S", "1", "Na slow inactivation", 0.6),
    )
    outputs = (Output("I", "uA/cm2", "Na current", adds_to="I_ion", carries=(("Na", 1.0),)),)
    citation = _WAL
    precomputed = ("phi", "phi_g")

    @classmethod
    def default_parameters(cls):
        return {"g": _g_param(804.0, "Na"), "q10": _q10(2.3, "m and h rates"),
                "q10_g": _q10(1.5, "the Na conductance"), "celsius_ref": _TREF, "celsius_ref_rates": _TREF_RATES}

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "E": "E_Na", "dV_surface": "dV_surface", "celsius": "celsius"}

    precompute = staticmethod(_rate_and_conductance_q10)

    @staticmethod
    def equations(V, E, dV_surface, m, h, S, g, phi, phi_g):
        am, bm, ah, bh, s_inf, tau_s = wallinga_sodium_rates(V - dV_surface)
        current = phi_g * g * m * m * m * h * S * (V - E)
        return (current, gate_derivative(m, am, bm, phi), gate_derivative(h, ah, bh, phi),
                (s_inf - S) / tau_s)

    @staticmethod
    def steady_state(V, dV_surface):
        am, bm, ah, bh, s_inf, _ = wallinga_sodium_rates(V - dV_surface)
        return am / (am + bm), ah / (ah + bh), s_inf


class WallingaDelayedRectifier(Component):
    """Delayed-rectifier K current with slow inactivation, ``I = g n^4 hK (V - E_K)``."""

    states = (State("n", "1", "K activation", 0.01), State("hK", "1", "K slow inactivation", 0.99))
    outputs = (Output("I", "uA/cm2", "Delayed-rectifier K current", adds_to="I_ion", carries=(("K", 1.0),)),)
    citation = _WAL
    precomputed = ("phi", "phi_g")

    @classmethod
    def default_parameters(cls):
        return {"g": _g_param(64.8, "delayed-rectifier K"), "q10": _q10(2.5, "n rates"),
                "q10_g": _q10(1.5, "the K conductance"), "celsius_ref": _TREF, "celsius_ref_rates": _TREF_RATES}

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "E": "E_K", "dV_surface": "dV_surface", "celsius": "celsius"}

    precompute = staticmethod(_rate_and_conductance_q10)

    @staticmethod
    def equations(V, E, dV_surface, n, hK, g, phi, phi_g):
        an, bn, hk_inf, tau_hk = wallinga_potassium_rates(V - dV_surface)
        n2 = n * n
        return phi_g * g * n2 * n2 * hK * (V - E), gate_derivative(n, an, bn, phi), (hk_inf - hK) / tau_hk

    @staticmethod
    def steady_state(V, dV_surface):
        an, bn, hk_inf, _ = wallinga_potassium_rates(V - dV_surface)
        return an / (an + bn), hk_inf


class InwardRectifier(Component):
    """Inward-rectifier K current (Kir2.1), Standen & Stanfield (1978) form as in Wallinga 1999:
    ``I = G K_R^2/(K_K + K_R^2) * y(V) * (V - E_K)`` (see :func:`kir_open_fraction`).

    Reads ``K_o`` and ``K_i`` (rename ``K_o`` to the tubular K for a t-tubule instance).
    """

    states = ()
    outputs = (Output("I", "uA/cm2", "Inward-rectifier K current", adds_to="I_ion", carries=(("K", 1.0),)),)
    citation = f"{cite('standen1978')}; {_WAL}"
    precomputed = ("phi_g",)

    @classmethod
    def default_parameters(cls):
        return {
            "G": _g_param(11.1, "inward-rectifier K"),
            "delta": Parameter(0.4, "1", _TX, "Electrical distance of the K site", (0.0, 1.0)),
            "K_K": Parameter(950.0, "mM2", _TX, "Half-activation constant for K_R^2", (1e-6, 1e7)),
            "K_S": Parameter(1.0, "mM2", _TX, "Block constant", (1e-9, 1e6)),
            "S_i": Parameter(10.0, "mM", _TX, "Internal blocking cation", (1e-6, 1e4)),
            "q10_g": _q10(1.55, "the Kir conductance"),
            "celsius_ref": _TREF,
        }

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "E": "E_K", "K_o": "K_o", "K_i": "K_i", "celsius": "celsius"}

    @staticmethod
    def precompute(celsius, q10_g, celsius_ref):
        return (q10_factor(q10_g, celsius, celsius_ref),)

    @staticmethod
    def equations(V, E, K_o, K_i, celsius, G, delta, K_K, K_S, S_i, phi_g):
        gbar_factor, y = kir_open_fraction(V, K_o, K_i, celsius, delta, K_K, K_S, S_i)
        return (phi_g * G * gbar_factor * y * (V - E),)


class ClC1Chloride(Component):
    """ClC-1 chloride current with Wallinga's instantaneous gate:
    ``A = 1/(1 + exp((V - V_a)/A_a))``, ``I = g A^4 (V - E_Cl)``."""

    states = ()
    outputs = (Output("I", "uA/cm2", "ClC-1 chloride current", adds_to="I_ion", carries=(("Cl", 1.0),)),)
    citation = _WAL
    precomputed = ("phi_g",)

    @classmethod
    def default_parameters(cls):
        return {
            "g": _g_param(19.65, "ClC-1 chloride"),
            "V_a": Parameter(70.0, "mV", _TX, "Gate half-point", (-200.0, 200.0)),
            "A_a": Parameter(150.0, "mV", _TX, "Gate slope", (1e-3, 1e4)),
            "q10_g": _q10(1.5, "the Cl conductance"),
            "celsius_ref": _TREF,
        }

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "E": "E_Cl", "celsius": "celsius"}

    @staticmethod
    def precompute(celsius, q10_g, celsius_ref):
        return (q10_factor(q10_g, celsius, celsius_ref),)

    @staticmethod
    def equations(V, E, g, V_a, A_a, phi_g):
        a = 1.0 / (1.0 + np.exp((V - V_a) / A_a))
        a2 = a * a
        return (phi_g * g * a2 * a2 * (V - E),)


class NaKPump(Component):
    """Na/K pump current (3 Na out, 2 K in; outward positive), Wallinga 1999 form with an ATP
    term: ``I = I_max f(V) ATP_i/(K_ATP + ATP_i) / ((1 + K_mK/K_o)^2 (1 + K_mNa/Na_i)^3)``,
    ``f(V) = 1/(1 + 0.12 exp(-0.1 V F/RT) + 0.04 sigma exp(-V F/RT))``,
    ``sigma = (exp(Na_o/67.3) - 1)/7`` (Na_o in mM).

    Three variants of the K and Na terms exist in the transcriptions; this is the Shorten
    CellML one (docs/research/muscle_membrane.md). The ATP term is the hyperbolic one of
    Senneff & Lowery 2021 (their code applies it to the tubular pump; here to every pump):
    with several mM of ATP it is 1, so it matters only when ATP runs out.
    """

    states = ()
    outputs = (Output("I", "uA/cm2", "Na/K pump current", adds_to="I_ion", carries=(("Na", 3.0), ("K", -2.0))),)
    citation = _WAL

    @classmethod
    def default_parameters(cls):
        return {
            "I_max": Parameter(59.9, "uA/cm2", f"{_TX}: F * J_NaK = 96485 C/mol * 6.21e-4 umol/(cm2 s)",
                               "Maximal pump current", (0.0, 1e4)),
            "K_mK": Parameter(1.0, "mM", _TX, "Half-activation by external K", (1e-6, 1e4)),
            "K_mNa": Parameter(13.0, "mM", _TX, "Half-activation by internal Na", (1e-6, 1e4)),
            "K_ATP": Parameter(3.5e-3, "mM", f"{_SL}: K_ATP = 3.5 uM (an older version of their code used 540 uM)",
                               "Half-activation by myoplasmic ATP", (1e-9, 1e3)),
        }

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "K_o": "K_o", "Na_o": "Na_o", "Na_i": "Na_i", "ATP_i": "ATP_i", "celsius": "celsius"}

    @staticmethod
    def equations(V, K_o, Na_o, Na_i, ATP_i, celsius, I_max, K_mK, K_mNa, K_ATP):
        vt = rt_over_f(celsius)
        sigma = (np.exp(Na_o / 67.3) - 1.0) / 7.0
        f_v = 1.0 / (1.0 + 0.12 * np.exp(-0.1 * V / vt) + 0.04 * sigma * np.exp(-V / vt))
        k_term = 1.0 + K_mK / K_o
        na_term = 1.0 + K_mNa / Na_i
        atp = ATP_i / (K_ATP + ATP_i)
        return (I_max * f_v * atp / (k_term * k_term * na_term * na_term * na_term),)


def _ghk_na_k(V, Na_o, Na_i, K_o, K_i, celsius, P_Na, P_K):
    """``(I_Na, I_K)``, uA/cm2: GHK currents through Na and K permeabilities (cm/s)."""
    return (P_Na * ghk_current_density(V, Na_o, Na_i, 1.0, celsius),
            P_K * ghk_current_density(V, K_o, K_i, 1.0, celsius))


#: Permeability Q10 of the background and leak pathways. No measured value for these pathways;
#: the conductance Q10 every channel of the model carries is used, referred to 37 C, where the
#: background is calibrated. Without it, cooling shrinks the K and Cl conductances (Q10 1.5)
#: but not the Na background, and the fibre depolarises by 20 mV from 37 to 16 C: an artefact.
_BG_Q10 = Parameter(1.5, "1", f"{_SL} (conductance Q10 of every channel, used here by analogy)",
                    "Permeability Q10", (1.0, 10.0))
_BG_TREF = Parameter(37.0, "degC", "input: temperature at which the background is calibrated (muscle_fibre)",
                     "Temperature at which the permeabilities apply", (0.0, 50.0))


class GHKBackground(Component):
    """Background (leak) current through a pathway permeable to Na and K, each by the GHK
    current equation: ``I_Na = phi P_Na G(V, Na)``, ``I_K = phi P_K G(V, K)`` with ``G`` the GHK
    current per unit permeability (:func:`~neuromuscle.electrochem.ghk_current_density`) and
    ``phi = q10 ** ((celsius - celsius_ref)/10)``.

    Written with permeabilities so that its reversal and its Na and K shares follow the
    concentrations; outputs are split by ion so that ion balances can be kept.
    """

    states = ()
    outputs = (
        Output("I_Na", "uA/cm2", "Background current carried by Na", adds_to="I_ion", carries=(("Na", 1.0),)),
        Output("I_K", "uA/cm2", "Background current carried by K", adds_to="I_ion", carries=(("K", 1.0),)),
    )
    citation = f"{cite('goldman1943')}; {cite('hodgkin1949')}"
    precomputed = ("phi",)

    @classmethod
    def default_parameters(cls):
        return {
            "P_Na": Parameter(0.0, "cm/s", "input: set by the model factory", "Na permeability", (0.0, 1.0)),
            "P_K": Parameter(0.0, "cm/s", "input: set by the model factory", "K permeability", (0.0, 1.0)),
            "q10": _BG_Q10,
            "celsius_ref": _BG_TREF,
        }

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "Na_o": "Na_o", "Na_i": "Na_i", "K_o": "K_o", "K_i": "K_i", "celsius": "celsius"}

    precompute = staticmethod(q10_precompute)

    @staticmethod
    def equations(V, Na_o, Na_i, K_o, K_i, celsius, P_Na, P_K, phi):
        return _ghk_na_k(V, Na_o, Na_i, K_o, K_i, celsius, phi * P_Na, phi * P_K)


class CationLeak(GHKBackground):
    """Non-selective monovalent cation leak (``P_Na = P_K = P``), the leak Jurkat-Rott et al.
    (2009) found in fibres of hypokalaemic periodic paralysis patients: 12-19.5 uS/cm2.
    Default off. With equal permeabilities it reverses near 0 mV (-3 mV in plasma). Same
    permeability Q10 as :class:`GHKBackground`."""

    citation = cite("jurkatrott2009")

    @classmethod
    def default_parameters(cls):
        return {"P": Parameter(0.0, "cm/s", "input: off by default; see muscle_fibre(cation_leak=...)",
                               "Cation leak permeability (Na and K alike)", (0.0, 1.0)),
                "q10": _BG_Q10, "celsius_ref": _BG_TREF}

    @staticmethod
    def equations(V, Na_o, Na_i, K_o, K_i, celsius, P, phi):
        return _ghk_na_k(V, Na_o, Na_i, K_o, K_i, celsius, phi * P, phi * P)


class TubularPotassium(Component):
    """K concentration in the t-tubular lumen, ``K_t`` (mM), Wallinga et al. (1999):

    ``dK_t/dt = I_K,t / (F tau_si) - (K_t - K_o)/tau_K``

    where ``I_K,t`` is the K current leaving the tubular membrane (inward rectifier plus
    delayed rectifier minus twice the pump current, per cm2 of tubular membrane),
    ``tau_si`` the tubular volume per tubular membrane area, and ``tau_K`` the time
    constant of exchange with the bulk extracellular fluid. With I in uA/cm2, F in C/mol and
    tau_si in cm, ``I/(F tau_si)`` is in mM/s; divided by 1000 it is mM/ms.
    """

    states = (State("K_t", "mM", "K concentration in the t-tubular lumen", 4.0, shared=True),)
    outputs = ()
    citation = _WAL

    @classmethod
    def default_parameters(cls):
        return {
            "tau_si": Parameter(1e-6, "cm", f"{_TX} (tsi)", "Tubular volume per tubular membrane area",
                                (1e-9, 1.0)),
            "tau_K": Parameter(350.0, "ms", f"{_TX} (tau_K)", "Tubule-to-bulk K exchange time constant",
                               (1e-3, 1e7)),
        }

    @classmethod
    def default_inputs(cls):
        return {"I_IR": "kir_t.I", "I_DR": "kdr_t.I", "I_pump": "pump_t.I", "K_o": "K_o"}

    @staticmethod
    def equations(I_IR, I_DR, I_pump, K_o, K_t, tau_si, tau_K):
        efflux = I_IR + I_DR - 2.0 * I_pump
        return (efflux / (1000.0 * FARADAY * tau_si) - (K_t - K_o) / tau_K,)

    @staticmethod
    def steady_state(K_o):
        # Start of the equilibrium search: the tubular K current at rest is small, so K_t ~ K_o;
        # the search then solves for the exact value.
        return (K_o,)
