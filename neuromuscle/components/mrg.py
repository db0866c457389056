"""Channels of the MRG / Gaines myelinated motor axon, as compartmental components.

Sources
-------
* McIntyre CC, Richardson AG, Grill WM (2002) Modeling the excitability of mammalian nerve
  fibers: influence of afterpotentials on the recovery cycle. J Neurophysiol 87:995-1006
  (MRG): nodal fast Na, persistent Na, slow K and leak; ModelDB 3810.
* Gaines JS, Finn KE, Slopsema JP, Heyboer LA, Polasek KH (2018) A model of motor and sensory
  axon activation in the median nerve using surface electrical stimulation. J Comput Neurosci
  45:29-43 (Gaines): the human *motor* parameter set -- MRG with a fast K current at node and
  internode and an HCN current in the internode, fitted to the threshold-tracking data of
  Howells et al. (2012). ModelDB 243841 holds the authors' hoc (``motor_final.hoc``) and
  channel files (``{node,mysa,flut,stin}_motor.mod``); every value below is the one in those
  files (S/cm2 there, mS/cm2 here), and the copies redistributed by the NRV framework
  (``nrv/_misc/mods/*_motor.mod``) carry the same values. The authors' files, compiled in
  NEURON on the hoc's cable, give the same thresholds, threshold electrotonus and recovery
  cycle as this model (``tests/helpers/gaines_modeldb.py``).

Where other public copies disagree with the authors' files (recorded here; the authors'
values are used):

* ASCENT (``wmglab-duke/ascent``, ``gaines_node.mod``) has a nodal fast-K density of
  25.68 S/cm2 against 0.02568 S/cm2 in the authors' file -- a factor 1000, a slip in that
  copy; ASCENT's FLUT/STIN fast-K density is 0.002568 S/cm2 (authors 0.02568).
* ASCENT refers the internodal Ks/Kf/HCN Q10 to 34 C ("Howells measurements at 34 C"); the
  authors' files refer every K and HCN rate, node and internode, to 36 C (``q10_3 =
  3^((celsius-36)/10)``), and the Na rates to 20 C (Q10 2.2 for m and p, 2.9 for h), as MRG.
  ASCENT's internodal leak reversal is -80 mV, the authors' -90 mV.
* Gaines' motor nodal Na activation has ``B = 20.4`` mV in alpha_m, MRG 21.4 mV.

Every rate is written in absolute mV and evaluated at ``V - dV_surface`` (the Ca/Mg
surface-charge gating shift relative to normal plasma, in which the published kinetics are
taken to apply). Conductance densities are in mS/cm2 per unit area of the section as NEURON
builds it (``pi * diam * L`` with ``diam`` = fibre diameter for the internodal sections, as
in the hoc files; the Gaines internodal densities are *not* rescaled by paraD/fibreD the way
MRG's passive conductances are). Each component spans every compartment; its density is zero
where the channel is absent (a node has no HCN, an internode no Na), which keeps one state
layout for the whole cable.
"""

from __future__ import annotations

import numpy as np

from ..citations import cite
from .base import Component, Output, Parameter, State
from .gating import gate_derivative, q10_factor
from .membrane import ReversalLeak, ohmic_current

__all__ = [
    "MRGSodium", "MRGPersistentSodium", "MRGSlowPotassium", "GainesFastPotassium", "GainesHCN",
    "SectionLeak", "SECTION_TYPES", "mrg_rates", "MRG2002Sodium", "MRGPassiveLeak",
]

MRG = f"{cite('mcintyre2002')} (ModelDB 3810)"
GAINES = (f"{cite('gaines2018')}, motor set "
          "(ModelDB 243841: motor_final.hoc and {node,mysa,flut,stin}_motor.mod)")
#: Section types of the MRG cable, in the order of the density masks.
SECTION_TYPES = ("node", "mysa", "flut", "stin")
_INPUTS = {"V": "V", "celsius": "celsius", "dV_surface": "dV_surface"}


def _xe(x):
    """``x / (exp(x) - 1)`` for arrays, in a form numba compiles for arrays too (the package's
    :func:`~neuromuscle.mathfn.x_over_expm1` has a scalar compiled twin only); series near 0."""
    small = np.abs(x) < 1e-6
    xs = np.where(small, 1.0, x)
    return np.where(small, 1.0 - 0.5 * x, xs / np.expm1(xs))


def _t1(v, A, B, C):
    """``A (v + B) / (1 - exp(-(v + B)/C))`` (finite at v = -B)."""
    return A * C * _xe(-(v + B) / C)


def _t2(v, A, B, C):
    """``A (-(v + B)) / (1 - exp((v + B)/C))`` (finite at v = -B)."""
    return A * C * _xe((v + B) / C)


#: alpha_m offset B, mV: Gaines motor node 20.4 (node_motor.mod), MRG 21.4 (AXNODE.mod amB)
_AM_B_GAINES, _AM_B_MRG = 20.4, 21.4


def _naf_rates(v, am_b):
    # MRG rates; alpha_m offset am_b (Gaines motor node 20.4, MRG 21.4)
    return (_t1(v, 1.86, am_b, 10.3), _t2(v, 0.086, 25.7, 9.16),
            _t2(v, 0.062, 114.0, 11.0), 2.3 / (1.0 + np.exp(-(v + 31.8) / 13.4)))


def _nap_rates(v):
    return _t1(v, 0.01, 27.0, 10.2), _t2(v, 0.00025, 34.0, 10.0)


def _ks_rates(v):
    v2 = v + 80.0  # MRG's "Traub convention", V relative to -80 mV
    return 0.3 / (1.0 + np.exp((v2 - 27.0) / -5.0)), 0.03 / (1.0 + np.exp((v2 + 10.0) / -1.0))


def _kf_rates(v):
    # an = 0.0462 (v + 83.2)/(1 - exp(-(v + 83.2)/1.1)); bn = 0.0824 (-66 - v)/(1 - exp((v + 66)/10.5))
    return _t1(v, 0.0462, 83.2, 1.1), _t2(v, 0.0824, 66.0, 10.5)


def _hcn_rates(v, v_half):
    return 0.00522 * np.exp(-(v - v_half) / 12.2), 0.00522 * np.exp((v - v_half) / 12.2)


def mrg_rates(v):
    """All opening/closing rates at 20 C (Na) or 36 C (K, HCN), 1/ms, as a dict (for tests)."""
    am, bm, ah, bh = _naf_rates(v, _AM_B_GAINES)
    ap, bp = _nap_rates(v)
    a_s, b_s = _ks_rates(v)
    an, bn = _kf_rates(v)
    aq, bq = _hcn_rates(v, -107.3)
    return {"am": am, "bm": bm, "ah": ah, "bh": bh, "ap": ap, "bp": bp, "as": a_s, "bs": b_s,
            "an": an, "bn": bn, "aq": aq, "bq": bq}


def _density(g_node, g_mysa, g_flut, g_stin, is_node, is_mysa, is_flut, is_stin):
    return g_node * is_node + g_mysa * is_mysa + g_flut * is_flut + g_stin * is_stin


def _g(value, source, what):
    return Parameter(value, "mS/cm2", source, what, (0.0, 1e5))


def _q10(value, ref, source, what):
    return {"q10": Parameter(value, "1", source, f"Q10 of {what}", (1.0, 10.0)),
            "celsius_ref": Parameter(ref, "degC", source, f"Reference temperature of {what}", (0.0, 50.0))}


class _Compartmental(Component):
    """Shared declarations: inputs, one Q10 factor ``phi``."""

    precomputed = ("phi",)

    @classmethod
    def default_inputs(cls):
        return dict(_INPUTS)

    @staticmethod
    def precompute(celsius, q10, celsius_ref):
        return (q10_factor(q10, celsius, celsius_ref),)


class MRGSodium(_Compartmental):
    """Nodal fast Na current ``I = g m^3 h (V - E_Na)``; absent from the internode."""

    states = (State("m", "1", "Fast Na activation", 0.0), State("h", "1", "Fast Na inactivation", 0.7))
    outputs = (Output("I", "uA/cm2", "Fast Na current", adds_to="I_ion", carries=(("Na", 1.0),)),)
    citation = f"{MRG}; {GAINES}"
    precomputed = ("phi_m", "phi_h")

    @classmethod
    def default_parameters(cls):
        return {
            "g": _g(3000.0, f"{MRG}: gnabar 3.0 S/cm2 (same in Gaines)", "Nodal fast Na conductance"),
            "q10_m": Parameter(2.2, "1", f"{MRG} (axnode.mod q10_1)", "Q10 of m rates", (1.0, 10.0)),
            "q10_h": Parameter(2.9, "1", f"{MRG} (axnode.mod q10_2)", "Q10 of h rates", (1.0, 10.0)),
            "celsius_ref": Parameter(20.0, "degC", MRG, "Reference temperature of the Na rates", (0.0, 50.0)),
            # 1 = the published rates; experiments/axon_fit_search.py scales it (slower recovery
            # from inactivation lengthens refractoriness) without moving h_inf
            "h_rate": Parameter(1.0, "1", f"{MRG}: 1 (the published h rates)",
                                "Factor on both inactivation rates (alpha_h, beta_h)", (0.01, 100.0)),
        }

    @classmethod
    def default_inputs(cls):
        return {**_INPUTS, "E": "E_Na"}

    @staticmethod
    def precompute(celsius, q10_m, q10_h, celsius_ref, h_rate):
        return q10_factor(q10_m, celsius, celsius_ref), h_rate * q10_factor(q10_h, celsius, celsius_ref)

    @staticmethod
    def equations(V, dV_surface, E, m, h, g, is_node, phi_m, phi_h):
        am, bm, ah, bh = _naf_rates(V - dV_surface, _AM_B_GAINES)
        return (g * is_node * m * m * m * h * (V - E),
                gate_derivative(m, am, bm, phi_m), gate_derivative(h, ah, bh, phi_h))

    @staticmethod
    def steady_state(V, dV_surface):
        am, bm, ah, bh = _naf_rates(V - dV_surface, _AM_B_GAINES)
        return am / (am + bm), ah / (ah + bh)


class MRG2002Sodium(MRGSodium):
    """Nodal fast Na current of McIntyre et al. (2002) itself: as :class:`MRGSodium` with the MRG
    alpha_m offset ``B = 21.4`` mV (``AXNODE.mod`` amB) instead of Gaines et al.'s 20.4 mV."""

    citation = MRG

    @staticmethod
    def equations(V, dV_surface, E, m, h, g, is_node, phi_m, phi_h):
        am, bm, ah, bh = _naf_rates(V - dV_surface, _AM_B_MRG)
        return (g * is_node * m * m * m * h * (V - E),
                gate_derivative(m, am, bm, phi_m), gate_derivative(h, ah, bh, phi_h))

    @staticmethod
    def steady_state(V, dV_surface):
        am, bm, ah, bh = _naf_rates(V - dV_surface, _AM_B_MRG)
        return am / (am + bm), ah / (ah + bh)


class MRGPersistentSodium(_Compartmental):
    """Nodal persistent Na current ``I = g p^3 (V - E_Na)``."""

    states = (State("p", "1", "Persistent Na activation", 0.0),)
    outputs = (Output("I", "uA/cm2", "Persistent Na current", adds_to="I_ion", carries=(("Na", 1.0),)),)
    citation = f"{MRG}; {GAINES}"

    @classmethod
    def default_parameters(cls):
        return {"g": _g(10.0, f"{MRG}: gnapbar 0.01 S/cm2 (same in Gaines)", "Nodal persistent Na conductance"),
                **_q10(2.2, 20.0, f"{MRG} (axnode.mod q10_1 from 20 C)", "p rates")}

    @classmethod
    def default_inputs(cls):
        return {**_INPUTS, "E": "E_Na"}

    @staticmethod
    def equations(V, dV_surface, E, p, g, is_node, phi):
        a, b = _nap_rates(V - dV_surface)
        return g * is_node * p * p * p * (V - E), gate_derivative(p, a, b, phi)

    @staticmethod
    def steady_state(V, dV_surface):
        a, b = _nap_rates(V - dV_surface)
        return (a / (a + b),)


class MRGSlowPotassium(_Compartmental):
    """Slow K current ``I = g s (V - E_K)`` at the node (MRG) and in the internode (Gaines)."""

    states = (State("s", "1", "Slow K activation", 0.0),)
    outputs = (Output("I", "uA/cm2", "Slow K current", adds_to="I_ion", carries=(("K", 1.0),)),)
    citation = f"{MRG}; {GAINES}"

    @classmethod
    def default_parameters(cls):
        return {
            "g_node": _g(80.0, f"{MRG}: gkbar 0.08 S/cm2 (same in Gaines)", "Nodal slow K conductance"),
            "g_mysa": _g(2.581, f"{GAINES}: gkbar 0.002581 S/cm2", "MYSA slow K conductance"),
            "g_flut": _g(2.581, f"{GAINES}: gkbar 0.002581 S/cm2", "FLUT slow K conductance"),
            "g_stin": _g(2.581, f"{GAINES}: gkbar 0.002581 S/cm2", "STIN slow K conductance"),
            **_q10(3.0, 36.0, f"{MRG} (q10_3 = 3^((T-36)/10)); the same in the Gaines files", "s rates"),
        }

    @classmethod
    def default_inputs(cls):
        return {**_INPUTS, "E": "E_K"}

    @staticmethod
    def equations(V, dV_surface, E, s, g_node, g_mysa, g_flut, g_stin, is_node, is_mysa, is_flut, is_stin, phi):
        a, b = _ks_rates(V - dV_surface)
        g = _density(g_node, g_mysa, g_flut, g_stin, is_node, is_mysa, is_flut, is_stin)
        return g * s * (V - E), gate_derivative(s, a, b, phi)

    @staticmethod
    def steady_state(V, dV_surface):
        a, b = _ks_rates(V - dV_surface)
        return (a / (a + b),)


class GainesFastPotassium(_Compartmental):
    """Fast K current ``I = g n^4 (V - E_K)`` at node and internode (Gaines et al. 2018).

    The rates are the Schwarz-Reid-Bostock human-node fast-K rates referred to 36 C and shifted
    by +10 mV.
    """

    states = (State("n", "1", "Fast K activation", 0.0),)
    outputs = (Output("I", "uA/cm2", "Fast K current", adds_to="I_ion", carries=(("K", 1.0),)),)
    citation = GAINES

    @classmethod
    def default_parameters(cls):
        return {
            "g_node": _g(25.68, f"{GAINES}: gkfbar 0.02568 S/cm2 (ASCENT copy: 25.68 S/cm2, a x1000 slip)",
                         "Nodal fast K conductance"),
            "g_mysa": _g(150.74, f"{GAINES}: gkf 0.15074 S/cm2", "MYSA fast K conductance"),
            "g_flut": _g(25.68, f"{GAINES}: gkf 0.02568 S/cm2 (ASCENT copy 0.002568)", "FLUT fast K conductance"),
            "g_stin": _g(25.68, f"{GAINES}: gkf 0.02568 S/cm2 (ASCENT copy 0.002568)", "STIN fast K conductance"),
            **_q10(3.0, 36.0, f"{GAINES} (q10_3 from 36 C; ASCENT copy 34 C for the internode)", "n rates"),
        }

    @classmethod
    def default_inputs(cls):
        return {**_INPUTS, "E": "E_K"}

    @staticmethod
    def equations(V, dV_surface, E, n, g_node, g_mysa, g_flut, g_stin, is_node, is_mysa, is_flut, is_stin, phi):
        a, b = _kf_rates(V - dV_surface)
        g = _density(g_node, g_mysa, g_flut, g_stin, is_node, is_mysa, is_flut, is_stin)
        n2 = n * n
        return g * n2 * n2 * (V - E), gate_derivative(n, a, b, phi)

    @staticmethod
    def steady_state(V, dV_surface):
        a, b = _kf_rates(V - dV_surface)
        return (a / (a + b),)


class GainesHCN(_Compartmental):
    """Internodal HCN current ``I = g q (V - E_h)`` (Gaines et al. 2018, after Howells et al. 2012).

    ``E_h`` is a shared variable (the model gives it as a GHK Na/K reversal that equals the
    published -54.9 mV in normal plasma).
    """

    states = (State("q", "1", "HCN activation", 0.0),)
    outputs = (Output("I", "uA/cm2", "HCN (Ih) current", adds_to="I_ion"),)
    citation = GAINES

    @classmethod
    def default_parameters(cls):
        return {
            "g_mysa": _g(2.232, f"{GAINES}: gq 0.002232 S/cm2", "MYSA HCN conductance"),
            "g_flut": _g(2.232, f"{GAINES}: gq 0.002232 S/cm2", "FLUT HCN conductance"),
            "g_stin": _g(2.232, f"{GAINES}: gq 0.002232 S/cm2", "STIN HCN conductance"),
            "v_half": Parameter(-107.3, "mV", f"{GAINES}: aqB = bqB = -107.3 mV (motor; sensory -94.2)",
                                "Half-activation of HCN", (-200.0, 0.0)),
            **_q10(3.0, 36.0, f"{GAINES} (q10_3 from 36 C; ASCENT copy 34 C)", "q rates"),
        }

    @classmethod
    def default_inputs(cls):
        return {**_INPUTS, "E": "E_h"}

    @staticmethod
    def equations(V, dV_surface, E, q, g_mysa, g_flut, g_stin, v_half, is_mysa, is_flut, is_stin, phi):
        a, b = _hcn_rates(V - dV_surface, v_half)
        g = g_mysa * is_mysa + g_flut * is_flut + g_stin * is_stin
        return g * q * (V - E), gate_derivative(q, a, b, phi)

    @staticmethod
    def steady_state(V, dV_surface, v_half):
        a, b = _hcn_rates(V - dV_surface, v_half)
        return (a / (a + b),)


class SectionLeak(ReversalLeak):
    """The :class:`~neuromuscle.components.membrane.ReversalLeak` ``I = g (V - E_L)`` with a
    density per section type: ``g`` is ``g_node``, ``g_mysa``, ``g_flut`` or ``g_stin`` as the
    compartment's section masks select; ``E_L`` a shared variable."""

    citation = f"{MRG}; {GAINES}"

    @classmethod
    def default_parameters(cls):
        return {
            "g_node": _g(7.0, f"{MRG}: gl 0.007 S/cm2 (same in Gaines)", "Nodal leak conductance"),
            "g_mysa": _g(2.0, f"{GAINES}: gl 0.002 S/cm2", "MYSA leak conductance"),
            "g_flut": _g(0.2, f"{GAINES}: gl 0.0002 S/cm2", "FLUT leak conductance"),
            "g_stin": _g(0.2, f"{GAINES}: gl 0.0002 S/cm2", "STIN leak conductance"),
        }

    @staticmethod
    def equations(V, E, g_node, g_mysa, g_flut, g_stin, is_node, is_mysa, is_flut, is_stin):
        return (ohmic_current(_density(g_node, g_mysa, g_flut, g_stin, is_node, is_mysa, is_flut, is_stin), V, E),)


class MRGPassiveLeak(SectionLeak):
    """Leak of the McIntyre et al. (2002) cable: the nodal leak reverses at ``E_L`` and the passive
    internode (MYSA, FLUT, STIN; NEURON's ``pas``) at its own ``E_inter`` (shared variables).

    In ``MRGaxon.hoc`` the nodal leak reverses at -90 mV (``AXNODE.mod`` el) and the internodal
    ``e_pas`` is -80 mV; the internodal densities scale with the section's axon diameter (set by
    the model from the geometry; the defaults are those of the 10 um fibre of the MRG table).
    """

    citation = MRG

    @classmethod
    def default_parameters(cls):
        src = f"{MRG}: MRGaxon.hoc g_pas"
        return {
            "g_node": _g(7.0, f"{MRG}: AXNODE.mod gl 0.007 S/cm2", "Nodal leak conductance"),
            "g_mysa": _g(0.33, f"{src} 0.001 S/cm2 x paraD1/fiberD (3.3/10 um)", "MYSA passive conductance"),
            "g_flut": _g(0.069, f"{src} 0.0001 S/cm2 x paraD2/fiberD (6.9/10 um)", "FLUT passive conductance"),
            "g_stin": _g(0.069, f"{src} 0.0001 S/cm2 x axonD/fiberD (6.9/10 um)", "STIN passive conductance"),
        }

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "E": "E_L", "E_inter": "E_pas"}

    @staticmethod
    def equations(V, E, E_inter, g_node, g_mysa, g_flut, g_stin, is_node, is_mysa, is_flut, is_stin):
        g_inter = g_mysa * is_mysa + g_flut * is_flut + g_stin * is_stin
        return (ohmic_current(g_node * is_node, V, E) + ohmic_current(g_inter, V, E_inter),)
