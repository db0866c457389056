"""The neuromuscular junction: presynaptic Ca entry and transmitter release, and the
end-plate current into the muscle fibre.

Two components, which meet through the shared release rate:

:class:`PresynapticRelease`
    The motor-nerve terminal. Its potential is the axon's (``V`` renamed to the axon's
    potential in a nerve-muscle model). Voltage-gated Ca channels (Borst & Sakmann 1998
    kinetics, ``m^2``) let Ca in through a site that Ca and Mg compete for (Dodge &
    Rahamimoff 1967: ``x = (Ca_o/K_Ca) / (1 + Ca_o/K_Ca + Mg_o/K_Mg)``); the instantaneous
    release rate is proportional to the fourth power of the Ca entry (four Ca ions cooperate)
    and to the fraction of the readily releasable pool still available::

        J  = m^2 x phi(V)                         (Ca entry, relative)
        R  = k_rel N J^n                          (quanta per ms)
        dN/dt = (1 - N)/tau_rec - R/N_pool

    ``phi(V)`` is the GHK voltage factor of a divalent cation entering against no internal
    Ca (``xi/(exp(xi) - 1)``, ``xi = 2FV/RT``, 1 at 0 mV): the entry falls at the peak of the
    action potential and is largest on its falling phase. At low Ca the quantal content
    goes as ``Ca_o^n`` and Mg divides it by ``(1 + Mg_o/K_Mg)^n`` without changing the
    log-log slope, as Dodge & Rahamimoff found.

:class:`EndPlateCurrent`
    The postsynaptic conductance: each quantum opens channels with a rise time ``tau_r``
    and a decay ``tau_d`` equal to the mean open time of the end-plate channel (mouse:
    0.3 ms at 39 C, 1.0 ms at 23 C), ``g(t) = g_q G(t)`` with ``dA/dt = R - A/tau_r``,
    ``dG/dt = A/tau_r - G/tau_d`` normalised so that one quantum peaks at ``g_q``. The
    current ``I = g (V - E_ep)`` adds to the fibre's ionic current over the fibre area the
    end-plate current reaches (``A_fibre``: the patch of :func:`fibre_input_area` with the
    fibre's DC input resistance, made smaller by :func:`cable_peak_factor` so that a quantum's
    peak depolarisation is that of a long fibre, which a brief current charges over less than
    a length constant).

Temperature enters through the Ca-channel rates (Q10), the end-plate channel's open time
(Q10 from the two measured temperatures) and, in a nerve-muscle model, through the
axon's action potential, whose duration sets how long Ca enters.
"""

from __future__ import annotations

import math

import numpy as np

from ..citations import cite
from ..electrochem import rt_over_f
from ..mathfn import x_over_expm1
from .base import Component, Output, Parameter, State
from .gating import gate_derivative, q10_factor

__all__ = ["PresynapticRelease", "EndPlateCurrent", "fibre_input_area", "cable_peak_factor", "FIBRE_CABLE",
           "DR1967", "BS1998", "DWP1976"]

DR1967 = cite("dodge1967")
BS1998 = f"{cite('borst1998')} (Fig. 8 legend; rat calyx of Held, 23-24 C)"
DWP1976 = (f"{cite('dreyer1976')} (mouse omohyoid end-plates, noise analysis; "
           "abstract)")
_FIT = "fitted: by experiments/calibrate_junction.py (docs/models/neuromuscular_junction.md)"
_ASSUMED = "assumption: (docs/models/neuromuscular_junction.md)"

#: Open time of the mouse end-plate channel: (ms, degC) pairs measured by noise analysis.
OPEN_TIME = ((0.3, 39.0), (1.0, 23.0))
#: Q10 of the open time implied by the two measurements, (1.0/0.3)^(10/16) = 2.12.
OPEN_TIME_Q10 = (OPEN_TIME[1][0] / OPEN_TIME[0][0]) ** (10.0 / (OPEN_TIME[0][1] - OPEN_TIME[1][1]))

#: Cable constants from which the fibre area an end-plate current charges is derived:
#: (value, unit, source).
FIBRE_CABLE = {
    "diameter": (50.0e-4, "cm", "mammalian fast-twitch fibre, 50 um (rat EDL/diaphragm fibres are 30-60 um; "
                 f"{_ASSUMED})"),
    "R_i": (125.0, "Ohm cm", "myoplasmic resistivity of mammalian muscle at 37 C, ~125 Ohm cm (order of "
            f"published values; {_ASSUMED})"),
}


def fibre_input_area(g_rest: float, diameter: float = FIBRE_CABLE["diameter"][0],
                     r_i: float = FIBRE_CABLE["R_i"][0]) -> float:
    """Membrane area (cm2) of a compact patch with the DC input resistance of a long fibre
    injected in its middle.

    A fibre of diameter ``d`` (cm), myoplasmic resistivity ``R_i`` (Ohm cm) and resting
    conductance ``g_rest`` (mS/cm2 of surface) has length constant
    ``lambda = sqrt(d R_m / (4 R_i))`` (``R_m = 1000/g_rest`` Ohm cm2) and input resistance
    ``R_in = r_i lambda / 2`` (both directions); the patch with that resistance has area
    ``R_m / R_in = 2 lambda pi d``. A brief current charges less than this
    (:func:`cable_peak_factor`).
    """
    r_m = 1000.0 / g_rest
    lam = math.sqrt(diameter * r_m / (4.0 * r_i))
    return 2.0 * lam * math.pi * diameter


def cable_peak_factor(t, current, v_patch) -> float:
    """Peak response at the injection point of a long fibre over the peak of the compact patch
    with the fibre's DC input resistance, for the same brief current.

    A uniform infinite cable injected in its middle has input impedance
    ``Z_in(s) = (1/2) sqrt(r_i / y(s))`` (``y`` the membrane admittance per length), and the patch of
    :func:`fibre_input_area` has ``Z_patch(s) = 1 / (A y_a(s))`` with the same membrane (``y_a`` per
    area), so ``Z_in(s) = sqrt(Z_in(0) Z_patch(s))``: equal at DC, larger at the frequencies of a
    current lasting a fraction of the membrane time constant, because the charge has not yet
    spread over a length constant (Jack, Noble & Tsien 1975, Electric Current Flow in Excitable
    Cells, ch. 3). The patch's own response gives ``Z_patch`` whatever its membrane is (t-tubules
    with their access resistance included), provided the response is linear.

    Parameters
    ----------
    t : array_like
        Uniform time grid, ms, from the start of the current.
    current : array_like
        The current on that grid (any unit; inward positive).
    v_patch : array_like
        The patch's depolarisation from rest on that grid, mV; it must have decayed by the end.

    Returns
    -------
    float
        ``max V_cable / max V_patch``; 1 for a current slow against the membrane.
    """
    t, i, v = (np.asarray(a, dtype=float) for a in (t, current, v_patch))
    if not (t.ndim == 1 and t.size > 8 and i.shape == t.shape and v.shape == t.shape):
        raise ValueError("t, current and v_patch must be 1-D arrays of one length (> 8)")
    dt = np.diff(t)
    if not np.allclose(dt, dt[0], rtol=1e-6, atol=0.0) or dt[0] <= 0.0:
        raise ValueError("t must be a uniform, increasing time grid")
    peak = float(np.max(v))
    if not peak > 0.0:
        raise ValueError("v_patch must be a depolarisation (positive peak)")
    if abs(v[-1]) > 0.01 * peak:
        raise ValueError(f"v_patch ends at {v[-1]:.3g} mV, more than 1 % of its peak: record longer")
    n = 4 * t.size  # zero padding: the responses are causal and decayed, so no wrap-around
    vi, ii = np.fft.rfft(v, n), np.fft.rfft(i, n)
    keep = np.abs(ii) > 1e-12 * np.abs(ii).max()
    z = np.where(keep, vi / np.where(keep, ii, 1.0), 0.0)
    z0 = float(z[0].real)
    if not z0 > 0.0:
        raise ValueError("the patch's DC input resistance from v_patch and current is not positive")
    v_cable = np.fft.irfft(ii * np.sqrt(z0 * z), n)[: t.size]  # principal root: Re >= 0, a passive impedance
    return float(np.max(v_cable) / peak)


class PresynapticRelease(Component):
    """Ca entry and quantal release at a motor-nerve terminal (see the module docstring).

    Outputs ``R`` (quanta/ms, the release rate the end-plate reads) and ``J`` (the
    relative Ca entry). States: Ca-channel activation ``m``, available fraction of the
    readily releasable pool ``N``, and ``Q``, the quanta released so far (a counter:
    quantal content of a stimulus is its increase).
    """

    states = (
        State("m", "1", "Activation of the terminal's voltage-gated Ca channels", 0.0),
        State("N", "1", "Available fraction of the readily releasable pool", 1.0, label="releasable_pool"),
        State("Q", "quanta", "Quanta released since the start (counter)", 0.0, label="quanta_released"),
    )
    outputs = (
        Output("J", "1", "Ca entry relative to fully open channels with all sites Ca-bound at 0 mV"),
        Output("R", "1/ms", "Transmitter release rate, quanta per ms", provides="R_release",
               label="transmitter_release_rate"),
    )
    citation = f"{DR1967}; Ca channel: {BS1998}"
    precomputed = ("phi_m",)

    @classmethod
    def default_parameters(cls):
        return {
            "K_Ca": Parameter(4.227, "mM", f"{_FIT}: log-log slope 3.78 ({DR1967}) over 0.27-0.6 mM Ca, Mg 1 mM",
                              "Dissociation constant of Ca at the release site (D&R's K1)", (1e-3, 1e3)),
            "K_Mg": Parameter(4.913, "mM", f"{_FIT}: with k_rel, to 6 mM Mg blocking at 37 C (rat diaphragm) and the "
                             f"margin of safety ({cite('paton1967')})",
                              "Dissociation constant of Mg at the release site (D&R's K2)", (1e-3, 1e3)),
            "n": Parameter(4.0, "1", f"{DR1967}: release goes as the fourth power of CaX", "Ca cooperativity",
                           (1.0, 6.0)),
            "k_rel": Parameter(2.721e+05, "1/ms", f"{_FIT}: with K_Mg, to the same two measurements",
                               "Release rate at full Ca entry and full pool", (0.0, 1e15)),
            "N_pool": Parameter(1.0e4, "quanta", f"{_ASSUMED}: large enough that one impulse in normal plasma "
                                "releases a small fraction of it", "Readily releasable pool", (1.0, 1e7)),
            "tau_rec": Parameter(2000.0, "ms", f"{_ASSUMED}: recovery of the pool over seconds",
                                 "Time constant of pool refilling", (1.0, 1e7)),
            "surface": Parameter(0.0, "1", f"{_ASSUMED}: off. Dodge & Rahamimoff's K1 and K2 are the empirical "
                                 "constants of the whole Ca and Mg dependence of release, screening of the terminal's "
                                 "Ca channels included; shifting their gating as well would count the divalent ions "
                                 "twice (with 1, normal plasma releases ~8 times more than Tyrode with 6 mM Mg on "
                                 "this account alone)", "Fraction of dV_surface applied to the Ca-channel gating",
                                 (0.0, 1.0)),
            "q10": Parameter(3.0, "1", f"{BS1998} rates; Q10 3 as in the NEURON implementation of the same "
                             "kinetics (Manis, ModelDB), an assumption", "Q10 of the Ca-channel rates", (1.0, 10.0)),
            "celsius_ref": Parameter(23.5, "degC", BS1998, "Temperature of the Ca-channel rates", (0.0, 50.0)),
        }

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "Ca_o": "Ca_o", "Mg_o": "Mg_o", "celsius": "celsius", "dV_surface": "dV_surface"}

    @staticmethod
    def precompute(celsius, q10, celsius_ref):
        return (q10_factor(q10, celsius, celsius_ref),)

    @staticmethod
    def occupancy(Ca_o, Mg_o, K_Ca, K_Mg):
        """Fraction of release-site Ca entry sites holding Ca (Dodge & Rahamimoff)."""
        return (Ca_o / K_Ca) / (1.0 + Ca_o / K_Ca + Mg_o / K_Mg)

    @staticmethod
    def equations(V, Ca_o, Mg_o, celsius, dV_surface, m, N, Q, K_Ca, K_Mg, n, k_rel, N_pool, tau_rec, surface,
                  phi_m):
        v = V - surface * dV_surface
        alpha = 1.78 * np.exp(v / 23.3)
        beta = 0.140 * np.exp(-v / 15.0)
        x = (Ca_o / K_Ca) / (1.0 + Ca_o / K_Ca + Mg_o / K_Mg)
        xi = 2.0 * V / rt_over_f(celsius)
        j = m * m * x * x_over_expm1(xi)
        rate = k_rel * N * j ** n
        return (j, rate, gate_derivative(m, alpha, beta, phi_m), (1.0 - N) / tau_rec - rate / N_pool, rate)

    @staticmethod
    def steady_state(V, dV_surface, surface):
        v = V - surface * dV_surface
        alpha = 1.78 * np.exp(v / 23.3)
        beta = 0.140 * np.exp(-v / 15.0)
        # at rest the release rate is ~1e-20 quanta/ms: the pool is full
        return alpha / (alpha + beta), 1.0 + 0.0 * V, 0.0 * V


class EndPlateCurrent(Component):
    """The end-plate conductance and current (see the module docstring).

    Reads the release rate ``R_release`` and the fibre's potential ``V``; adds ``I`` to the
    fibre's ionic current ``I_ion`` (outward positive: the end-plate current is inward).
    """

    states = (
        State("A", "quanta", "Released transmitter not yet acting (fast transfer)", 0.0,
              label="endplate_transmitter"),
        State("G", "quanta", "Open end-plate channels, in units of a quantum's integral", 0.0),
    )
    outputs = (
        Output("I", "uA/cm2", "End-plate current over the fibre area it charges", adds_to="I_ion"),
        Output("g", "mS/cm2", "End-plate conductance", label="endplate_conductance"),
        Output("I_nA", "nA", "End-plate current (total, inward negative)", label="endplate_current"),
    )
    citation = f"{DWP1976}; {cite('magleby1972')} (EPC decay = channel closing)"
    precomputed = ("tau_d", "tau_r", "norm")

    @classmethod
    def default_parameters(cls):
        return {
            "g_q": Parameter(50.0, "nS", "assumption: peak conductance of one quantum at 37 C: a miniature end-plate "
                             "current of ~4 nA at -80 mV in rat and mouse end-plates (typical value; "
                             "docs/models/neuromuscular_junction.md)", "Quantal conductance", (0.0, 1e4)),
            "E": Parameter(-5.0, "mV", "assumption: end-plate current reversal near -5 mV (frog -6.6 +/- 2.2 mV, "
                           "Lambert et al. 1981; mammalian end-plates similar)",
                           "Reversal potential of the end-plate current",
                           (-60.0, 40.0)),
            "tau_open": Parameter(OPEN_TIME[0][0], "ms", f"{DWP1976}: mean open time 0.3 ms at 39 C",
                                  "Mean open time of the end-plate channel at celsius_open", (1e-3, 100.0)),
            "celsius_open": Parameter(OPEN_TIME[0][1], "degC", DWP1976, "Temperature of tau_open", (0.0, 50.0)),
            "q10": Parameter(OPEN_TIME_Q10, "1", f"derived: from {DWP1976}: 1.0 ms at 23 C and 0.3 ms at 39 C give "
                             "(1.0/0.3)^(10/16) = 2.12", "Q10 of the channel's closing rate", (1.0, 10.0)),
            "rise": Parameter(0.25, "1", f"{_ASSUMED}: rise time constant a quarter of the decay (end-plate "
                              "currents rise in ~0.2-0.5 ms at 35-37 C)", "tau_r / tau_d", (1e-3, 0.99)),
            "q10_g": Parameter(1.3, "1", f"{_ASSUMED}: single-channel conductance Q10 ~1.3", "Q10 of g_q",
                               (1.0, 5.0)),
            "A_fibre": Parameter(1.04e-3, "cm2", "derived: fibre_input_area() with the model fibre's "
                                 "resting conductance, over cable_peak_factor() for its miniature EPP",
                                 "Fibre membrane area the end-plate current charges", (1e-7, 1.0),
                                 label="endplate_fibre_area"),
        }

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "R": "R_release", "celsius": "celsius"}

    @staticmethod
    def precompute(celsius, tau_open, celsius_open, q10, rise, q10_g, g_q, A_fibre):
        tau_d = tau_open * q10_factor(q10, celsius_open, celsius)  # the open time shortens on warming
        tau_r = rise * tau_d
        # peak of G for one quantum: (tau_d/(tau_d - tau_r)) (exp(-t/tau_d) - exp(-t/tau_r)) at its maximum
        t_pk = np.log(tau_d / tau_r) * tau_d * tau_r / (tau_d - tau_r)
        peak = (np.exp(-t_pk / tau_d) - np.exp(-t_pk / tau_r)) * tau_d / (tau_d - tau_r)
        g_scale = g_q * q10_factor(q10_g, celsius, 37.0)
        # nS -> mS (1e-6), per fibre area: mS/cm2 per unit G, so that one quantum peaks at g_q
        return tau_d, tau_r, 1e-6 * g_scale / (A_fibre * peak)

    @staticmethod
    def equations(V, R, A, G, E, A_fibre, tau_d, tau_r, norm):
        g = norm * G
        i = g * (V - E)
        return i, g, 1e3 * i * A_fibre, R - A / tau_r, A / tau_r - G / tau_d

    @staticmethod
    def steady_state(R):
        return 0.0 * R, 0.0 * R
