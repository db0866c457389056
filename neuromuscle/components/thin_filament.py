"""Thin-filament regulation and crossbridges (bulk myoplasm): Ca binding to troponin, the
permissive transitions of the regulatory units and the crossbridge cycle, with myosin's ATP
use. Adds its Ca binding and ATP hydrolysis to the pools of
:mod:`neuromuscle.components.ca_system`; provides ``force``.
"""

from __future__ import annotations

import numpy as np

from ..citations import cite
from .base import Component, Output, Parameter, State
from .ca_system import BENNETT, CA_TREF, pool_sum
from .gating import q10_factor

__all__ = ["RBCFilament", "CooperativeFilament", "PermissiveFilament", "XB_STATES", "FILAMENT_TARGETS"]

_RBC = f"{cite('shorten2007')} fast-twitch values (CellML), in the scheme of {cite('razumova1999')}"
#: The crossbridge rates are Shorten et al.'s fast-twitch values, not Razumova et al.'s own: the
#: CellML encodings of the two give f 50, f' 400, h 8, h' 6, g 4 /s (Razumova et al. 1999) and
#: 30 times those (f' 37.5 times) for Shorten's fast-twitch fibre; neither states a temperature.
#: Values in 1/ms, keyed by this module's parameter names.
RAZUMOVA_XB_RATES = {"f_o": 0.05, "f_p": 0.4, "h_o": 0.008, "h_p": 0.006, "g_o": 0.004}
_XB = f"{_RBC}; Razumova et al.'s own crossbridge rates (CellML) are 30 times slower (f_p 37.5 times)"
_FER = f"{cite('ferenczi1984')} (Km of MgATP for crossbridge turnover, frog, 0-5 C)"
_SH_CA = (f"{cite('shorten2007')} (CellML component razumova; "
          "docs/research/calcium_atp.md 1.2)")

#: Regulatory units of the thin filament and crossbridges (Razumova, Bukatina & Campbell 1999
#: as used by Shorten et al. 2007): name, description, Shorten's initial value (mM).
XB_STATES = (
    ("CaT", "troponin with one Ca, non-permissive", 0.025),
    ("CaCaT", "troponin with two Ca, non-permissive", 0.003),
    ("D0", "permissive, detached, no Ca", 0.0008),
    ("D1", "permissive, detached, one Ca", 0.0012),
    ("D2", "permissive, detached, two Ca", 0.003),
    ("A1", "attached crossbridge, pre-power-stroke", 0.0003),
    ("A2", "attached crossbridge, post-power-stroke (force-bearing)", 0.00023),
)
_HYDROLYSIS = (("MgATP", -1.0), ("Mg", 1.0), ("ADP", 1.0), ("Pi", 1.0))


def _rbc_equations(Ca, MgATP, V_2, V_myo, CaT, CaCaT, D0, D1, D2, A1, A2,
                   kon_T, koff_T, T_tot, k0_on, k0_off, kCa_on, kCa_off, f_o, f_p, h_o, h_p, g_o, K_m_XB, MgATP_ref,
                   phi_buf, phi_xb):
    """Right-hand side of the independent-unit scheme (:class:`RBCFilament`); the cooperative
    filament calls it with its neighbour-dependent permissive rates."""
    kon_T, koff_T = phi_buf * kon_T, phi_buf * koff_T
    k0_on, k0_off, kCa_on, kCa_off = phi_xb * k0_on, phi_xb * k0_off, phi_xb * kCa_on, phi_xb * kCa_off
    f_o, f_p, h_o, h_p, g_o = phi_xb * f_o, phi_xb * f_p, phi_xb * h_o, phi_xb * h_p, phi_xb * g_o
    # Ca binding to each form ...
    t0 = T_tot - CaT - CaCaT - D0 - D1 - D2 - A1 - A2
    b_t0 = kon_T * Ca * t0 - koff_T * CaT
    b_t1 = kon_T * Ca * CaT - koff_T * CaCaT
    b_d0 = kon_T * Ca * D0 - koff_T * D1
    b_d1 = kon_T * Ca * D1 - koff_T * D2
    # ... permissive transitions and the cycle; A2 detachment needs MgATP
    p_0 = k0_on * t0 - k0_off * D0
    p_1 = k0_on * CaT - k0_off * D1
    p_2 = kCa_on * CaCaT - kCa_off * D2
    attach = f_o * D2 - f_p * A1
    stroke = h_o * A1 - h_p * A2
    g_eff = g_o * (MgATP / (K_m_XB + MgATP)) * ((K_m_XB + MgATP_ref) / MgATP_ref)
    detach = g_eff * A2
    bound = CaT + 2.0 * CaCaT + D1 + 2.0 * (D2 + A1 + A2)
    return (A2 / T_tot, V_2 * detach / V_myo, -b_t0 - b_t1 - b_d0 - b_d1, V_2 * bound / V_myo,
            -detach, detach, detach, detach,
            b_t0 - b_t1 - p_1, b_t1 - p_2, p_0 - b_d0, p_1 + b_d0 - b_d1, p_2 + b_d1 - attach + detach,
            attach - stroke, stroke - detach)


class RBCFilament(Component):
    """Troponin, regulatory units and crossbridges of Razumova, Bukatina & Campbell (1999) in the
    bulk compartment, with Shorten et al.'s (2007) values.

    Non-permissive T0, CaT, CaCaT; permissive detached D0, D1, D2; attached A1 and
    force-bearing A2 (force is taken as proportional to A2, as in Shorten: ``force = A2/T_tot``,
    force-bearing bridges per regulatory unit). Each unit carries two troponin Ca sites.
    Detachment of A2 needs MgATP: its rate is ``g_o MgATP/(K_m + MgATP)`` normalised to 1 at
    7.2 mM (K_m 0.47 mM, Ferenczi et al. 1984), so that without ATP the bridges stay attached
    (rigor); each detachment hydrolyses one MgATP. The units are independent, so the
    steady-state Hill coefficient of force on Ca cannot exceed 2.
    """

    states = tuple(State(name, "mM", desc, init) for name, desc, init in XB_STATES)
    outputs = (
        Output("F_rel", "1", "Force-bearing crossbridges A2 as a fraction of regulatory units (force ~ A2)",
               provides="force", label="force"),
        Output("J_ATP", "mM/ms", "Myosin ATP use, per volume of myoplasm", adds_to="J_ATP", label="atp_use"),
        Output("Ca_2", "mM/ms", "Ca by troponin", adds_to=pool_sum("Ca", "myo2")),
        Output("Ca_content", "mM", "Ca on troponin, per myoplasm volume", adds_to="Ca_total"),
    ) + tuple(Output(f"{s}_2", "mM/ms", f"{s} by myosin's ATP hydrolysis", adds_to=pool_sum(s, "myo2"))
              for s, _ in _HYDROLYSIS)
    citation = _RBC

    @classmethod
    def default_parameters(cls):
        return {
            "kon_T": Parameter(0.04425 * 1000.0, "1/(mM ms)", _RBC, "Ca-troponin on-rate (each of 2 sites)",
                               (0.0, 1e9)),
            "koff_T": Parameter(0.115, "1/ms", _RBC, "Ca-troponin off-rate", (0.0, 1e9)),
            "T_tot": Parameter(0.14, "mM", _RBC, "Regulatory units (bulk compartment)", (0.0, 100.0)),
            "k0_on": Parameter(0.0, "1/ms", _RBC, "T0 -> D0 and CaT -> D1 (permissive without 2 Ca)", (0.0, 1e6)),
            "k0_off": Parameter(0.15, "1/ms", _RBC, "D0 -> T0 and D1 -> CaT", (0.0, 1e6)),
            "kCa_on": Parameter(0.15, "1/ms", _RBC, "CaCaT -> D2", (0.0, 1e6)),
            "kCa_off": Parameter(0.05, "1/ms", _RBC, "D2 -> CaCaT", (0.0, 1e6)),
            "f_o": Parameter(1.5, "1/ms", _XB, "Attachment D2 -> A1", (0.0, 1e6)),
            "f_p": Parameter(15.0, "1/ms", _XB, "Detachment A1 -> D2", (0.0, 1e6)),
            "h_o": Parameter(0.24, "1/ms", _XB, "Power stroke A1 -> A2", (0.0, 1e6)),
            "h_p": Parameter(0.18, "1/ms", _XB, "Reverse stroke A2 -> A1", (0.0, 1e6)),
            "g_o": Parameter(0.12, "1/ms", f"{_XB} (at Shorten's 7.2 mM MgATP)", "Detachment A2 -> D2",
                             (0.0, 1e6)),
            "K_m_XB": Parameter(0.47, "mM", _FER, "Half-saturation of detachment by MgATP", (1e-9, 100.0)),
            "MgATP_ref": Parameter(7.2, "mM", f"{_SH_CA}: MgATP of its initial state, where g_o applies",
                                   "MgATP at which the detachment rate is g_o", (1e-9, 100.0)),
            "q10_buffer": Parameter(2.0, "1", BENNETT, "Q10 of Ca binding and unbinding at troponin", (1.0, 10.0)),
            "q10_XB": Parameter(2.0, "1", f"{BENNETT}; {cite('ranatunga1984')} (rat EDL V_max: 1.8 "
                                "at 25-35 C, 2.4 below 20 C)", "Q10 of the thin-filament and crossbridge rates",
                                (1.0, 10.0)),
            "celsius_ref": CA_TREF,
        }

    @classmethod
    def default_inputs(cls):
        return {"Ca": "myo2.Ca", "MgATP": "myo2.MgATP", "V_2": "V_myo2", "V_myo": "V_myo", "celsius": "celsius"}

    precomputed = ("phi_buf", "phi_xb")

    @staticmethod
    def precompute(celsius, celsius_ref, q10_buffer, q10_XB):
        return q10_factor(q10_buffer, celsius, celsius_ref), q10_factor(q10_XB, celsius, celsius_ref)

    equations = staticmethod(_rbc_equations)


_CAMPBELL = (f"{cite('campbell2018')} and Campbell et al. 2020 (thin filament: "
             "J_on = k_on Ca N_off (1 + k_coop N_on/N), J_off = k_off (N_on - N_bound) (1 + k_coop N_off/N); "
             "k_coop 5 in Table S1 of the 2020 model, cardiac, 37 C)")
#: Fit targets of the cooperative filament (experiments/fit_thin_filament.py): the steady-state
#: force-pCa of skinned mammalian fast-twitch fibres at 15-22 C. No reachable text gave the
#: numbers; these are the reference notes' indicative values (pCa50 5.7-6.0, nH 3-5), taken at
#: their middle. Stephenson & Williams 1981 (rat EDL, 3-35 C; abstract) confirm the
#: direction: fast fibres have a steeper force-pCa curve than slow ones (six Ca per
#: regulatory unit at 3-5 C).
FILAMENT_TARGETS = {"pCa50": 5.8, "hill": 4.0}
_FIT = ("fitted: (experiments/fit_thin_filament.py) with koff_T to a steady-state force-pCa with pCa50 5.8 and Hill "
        "coefficient 4.0, the middle of the indicative skinned fast-fibre values (pCa50 5.7-6.0, nH 3-5 at 15-22 C; "
        "not read in a primary text); steeper in fast than slow fibres: "
        f"{cite('stephenson1981')}")
_K_COOP = 9.25  # fitted
_KOFF_T = 0.0825  # 1/ms, fitted


def _cooperative_equations(Ca, MgATP, V_2, V_myo, N_on, A1, A2, kon_T, koff_T, N_tot, k_coop, f_o, f_p, h_o, h_p,
                           g_o, K_m_XB, MgATP_ref, phi_buf, phi_xb):
    """Right-hand side of :class:`CooperativeFilament`."""
    kon_T, koff_T = phi_buf * kon_T, phi_buf * koff_T
    f_o, f_p, h_o, h_p, g_o = phi_xb * f_o, phi_xb * f_p, phi_xb * h_o, phi_xb * h_p, phi_xb * g_o
    active = N_on + A1 + A2  # units on (Ca bound), with or without a bridge
    off = N_tot - active
    # Ca binding turns a unit on, faster the more neighbours are on; a unit without a bridge
    # loses its Ca and turns off, faster the more neighbours are off (Campbell et al.)
    j_on = kon_T * Ca * off * (1.0 + k_coop * active / N_tot)
    j_off = koff_T * N_on * (1.0 + k_coop * off / N_tot)
    attach = f_o * N_on - f_p * A1
    stroke = h_o * A1 - h_p * A2
    g_eff = g_o * (MgATP / (K_m_XB + MgATP)) * ((K_m_XB + MgATP_ref) / MgATP_ref)
    detach = g_eff * A2
    return (A2 / N_tot, V_2 * detach / V_myo, -(j_on - j_off), V_2 * active / V_myo,
            -detach, detach, detach, detach,
            j_on - j_off - attach + detach, attach - stroke, stroke - detach)


class CooperativeFilament(Component):
    """A cooperative thin filament (Campbell et al. 2018, 2020, mean-field nearest-neighbour
    form) carrying Shorten's crossbridge cycle, in the bulk compartment.

    Regulatory units (one regulatory Ca site each, ``N_tot``) are off or on; Ca binding turns
    a unit on, ``J_on = kon_T Ca N_off (1 + k_coop N_active/N_tot)``, and an on unit without a
    bridge loses its Ca and turns off, ``J_off = koff_T N_on (1 + k_coop N_off/N_tot)``, so a
    unit's neighbours being on make it turn on faster and off slower; attached bridges hold
    their units on. On units cycle as in :class:`RBCFilament` (attachment to A1, stroke to the
    force-bearing A2, MgATP-dependent detachment back to ``N_on``), with Shorten's rates;
    ``force = A2/N_tot``. Without bridges the steady-state Hill coefficient is ``1 +
    k_coop/2`` (so 4 needs ``k_coop`` 6, the 3-5 of fast fibres 4-8). ``k_coop`` and
    ``koff_T`` are fitted to a force-pCa (``FILAMENT_TARGETS``).
    """

    states = (State("N_on", "mM", "Regulatory units on (Ca bound), no bridge attached", 0.0),
              State("A1", "mM", "Attached crossbridge, pre-power-stroke", 0.0),
              State("A2", "mM", "Attached crossbridge, post-power-stroke (force-bearing)", 0.0))
    outputs = RBCFilament.outputs
    citation = f"{_CAMPBELL}; crossbridges: {_RBC}"

    @classmethod
    def default_parameters(cls):
        rbc = RBCFilament.default_parameters()
        keep = ("kon_T", "f_o", "f_p", "h_o", "h_p", "g_o", "K_m_XB", "MgATP_ref", "q10_buffer", "q10_XB",
                "celsius_ref")
        return {
            **{k: rbc[k] for k in keep},
            "koff_T": Parameter(_KOFF_T, "1/ms", f"{_FIT} (RBC/Shorten: 0.115)", "Ca-troponin off-rate (unit turning "
                                "off, no neighbour on)", (0.0, 1e9)),
            "N_tot": Parameter(0.28, "mM", f"{_RBC}: 0.14 mM units with two Ca sites each, counted as sites",
                               "Regulatory Ca sites (bulk compartment)", (1e-9, 100.0)),
            "k_coop": Parameter(_K_COOP, "1", f"{_FIT}; form: {_CAMPBELL}",
                                "Nearest-neighbour cooperativity of the regulatory units", (0.0, 1e3)),
        }

    @classmethod
    def default_inputs(cls):
        return RBCFilament.default_inputs()

    precomputed = RBCFilament.precomputed
    precompute = staticmethod(RBCFilament.precompute)
    equations = staticmethod(_cooperative_equations)


_RICE = (f"{cite('rice2008')} (regulatory-unit transitions: kn_p = kn_p0 permtot, kp_n = kp_n0 min(1/permtot, 100), "
         "permtot = (1 + (perm50/TRPN)^nperm)^(-1/2); rat cardiac trabeculae, rates at 37 C)")
_FIT_RICE = ("fitted: (experiments/fit_thin_filament.py) nperm and perm50 together, to a steady-state force-pCa "
             "with pCa50 5.8 and Hill coefficient 4.0, the cooperative filament's targets (FILAMENT_TARGETS)")
_NPERM = 6.5773  # fitted
_PERM50 = 0.55837  # fitted


def _permissive_equations(Ca, MgATP, V_2, V_myo, CaTn, N_off, A1, A2, kon_T, koff_T, N_tot, kn_p, kp_n, perm50,
                          nperm, f_o, f_p, h_o, h_p, g_o, K_m_XB, MgATP_ref, phi_buf, phi_xb, phi_perm):
    """Right-hand side of :class:`PermissiveFilament`."""
    kon_T, koff_T = phi_buf * kon_T, phi_buf * koff_T
    f_o, f_p, h_o, h_p, g_o = phi_xb * f_o, phi_xb * f_p, phi_xb * h_o, phi_xb * h_p, phi_xb * g_o
    # troponin binds Ca at its own (non-cooperative) rates ...
    bind = kon_T * Ca * (N_tot - CaTn) - koff_T * CaTn
    # ... and the fraction of sites with Ca sets the units' permissive transitions
    trpn = np.maximum(CaTn / N_tot, 1e-12)
    permtot = np.sqrt(1.0 / (1.0 + (perm50 / trpn) ** nperm))
    n_to_p = phi_perm * kn_p * permtot
    p_to_n = phi_perm * kp_n * np.minimum(1.0 / permtot, 100.0)
    on = N_tot - N_off - A1 - A2  # permissive, no bridge
    switch = n_to_p * N_off - p_to_n * on
    attach = f_o * on - f_p * A1
    stroke = h_o * A1 - h_p * A2
    g_eff = g_o * (MgATP / (K_m_XB + MgATP)) * ((K_m_XB + MgATP_ref) / MgATP_ref)
    detach = g_eff * A2
    return (A2 / N_tot, V_2 * detach / V_myo, -bind, V_2 * CaTn / V_myo,
            -detach, detach, detach, detach,
            bind, -switch, attach - stroke, stroke - detach)


class PermissiveFilament(Component):
    """A thin filament whose troponin binds Ca at its own, non-cooperative rates, with the
    cooperativity in the regulatory units' permissive transitions (Rice et al. 2008), carrying
    Shorten's crossbridge cycle, in the bulk compartment.

    Ca binds the regulatory sites (``CaTn`` of ``N_tot``) with Shorten's troponin rates,
    whatever the units are doing. Units are non-permissive (``N_off``) or permissive; the
    transitions depend steeply on the fraction of sites with Ca, ``TRPN = CaTn/N_tot``:
    ``N -> P`` at ``kn_p permtot`` and ``P -> N`` at ``kp_n min(1/permtot, 100)``, with
    ``permtot = (1 + (perm50/TRPN)^nperm)^(-1/2)``. Permissive units without a bridge
    cycle as in :class:`RBCFilament`; ``force = A2/N_tot``. Without bridges the permissive
    fraction is ``1/(1 + (kp_n/kn_p)(1 + (perm50/TRPN)^nperm))``.

    The alternative to :class:`CooperativeFilament`, whose mean-field cooperativity speeds
    Ca binding itself (up to ``1 + k_coop`` times), so that troponin there buffers Ca faster
    than its measured rates. Here the Ca buffering is troponin's; ``nperm`` and ``perm50``
    are fitted to the same force-pCa targets (``FILAMENT_TARGETS``).
    """

    states = (State("CaTn", "mM", "Ca on the regulatory sites", 0.0),
              State("N_off", "mM", "Regulatory units non-permissive", 0.28),
              State("A1", "mM", "Attached crossbridge, pre-power-stroke", 0.0),
              State("A2", "mM", "Attached crossbridge, post-power-stroke (force-bearing)", 0.0))
    outputs = RBCFilament.outputs
    citation = f"{_RICE}; crossbridges: {_RBC}"

    @classmethod
    def default_parameters(cls):
        rbc = RBCFilament.default_parameters()
        keep = ("kon_T", "koff_T", "f_o", "f_p", "h_o", "h_p", "g_o", "K_m_XB", "MgATP_ref", "q10_buffer", "q10_XB",
                "celsius_ref")
        return {
            **{k: rbc[k] for k in keep},
            "N_tot": Parameter(0.28, "mM", f"{_RBC}: 0.14 mM units with two Ca sites each, counted as sites",
                               "Regulatory Ca sites (bulk compartment)", (1e-9, 100.0)),
            "kn_p": Parameter(0.5, "1/ms", _RICE, "Non-permissive -> permissive at full Ca, 37 C", (0.0, 1e6)),
            "kp_n": Parameter(0.05, "1/ms", _RICE, "Permissive -> non-permissive at full Ca, 37 C", (0.0, 1e6)),
            "perm50": Parameter(_PERM50, "1", f"{_FIT_RICE} (Rice et al.: 0.5)",
                                "Fraction of sites with Ca at half-permissive transitions", (1e-6, 1.0)),
            "nperm": Parameter(_NPERM, "1", f"{_FIT_RICE} (Rice et al.: 15)",
                               "Steepness of the permissive transitions on TRPN", (0.1, 100.0)),
            "q10_perm": Parameter(1.6, "1", f"{cite('rice2008')} (Qkn_p, Qkp_n)",
                                  "Q10 of the permissive transitions", (1.0, 10.0)),
            "celsius_perm": Parameter(37.0, "degC", f"{cite('rice2008')}", "Temperature at which kn_p and kp_n apply",
                                      (0.0, 45.0)),
        }

    @classmethod
    def default_inputs(cls):
        return CooperativeFilament.default_inputs()

    precomputed = ("phi_buf", "phi_xb", "phi_perm")

    @staticmethod
    def precompute(celsius, celsius_ref, q10_buffer, q10_XB, q10_perm, celsius_perm):
        return (q10_factor(q10_buffer, celsius, celsius_ref), q10_factor(q10_XB, celsius, celsius_ref),
                q10_factor(q10_perm, celsius, celsius_perm))

    equations = staticmethod(_permissive_equations)
