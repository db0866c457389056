"""Ca and Mg buffers of the fibre: ATP, parvalbumin (myoplasm) and calsequestrin (SR).

Each binds from the pools of :mod:`neuromuscle.components.ca_system` and adds its binding
rates to their sums; binding and unbinding rates scale alike with temperature (Q10
``q10_buffer`` from 16 C), so affinities do not move.
"""

from __future__ import annotations

from ..citations import cite
from .base import Component, Output, Parameter, State
from .ca_system import _SH_BUF, BENNETT, CA_TREF, pool_sum
from .gating import q10_factor

__all__ = ["ATPBinding", "Parvalbumin", "Calsequestrin", "CSQ_KD"]

_Q10_BUFFER = Parameter(2.0, "1", BENNETT, "Q10 of binding and unbinding", (1.0, 10.0))


def _per_mM(value_per_uM_ms: float) -> float:
    """A second-order rate constant from 1/(uM ms), as published, to 1/(mM ms)."""
    return value_per_uM_ms * 1000.0


def _phi(celsius, celsius_ref, q10_buffer):
    return (q10_factor(q10_buffer, celsius, celsius_ref),)


class ATPBinding(Component):
    """Ca and Mg binding to ATP in both myoplasmic compartments (Shorten et al. 2007):
    ``Ca + ATP <-> CaATP``, ``Mg + ATP <-> MgATP``. The bound forms are mobile pools."""

    states = ()
    outputs = tuple(Output(f"{s}_{k}", "mM/ms", f"{s} by ATP binding, compartment {k}", adds_to=pool_sum(s, f"myo{k}"))
                    for k in (1, 2) for s in ("Ca", "CaATP", "MgATP", "ATP", "Mg"))
    citation = _SH_BUF

    @classmethod
    def default_parameters(cls):
        return {
            "kon_CaATP": Parameter(_per_mM(0.15), "1/(mM ms)", _SH_BUF, "Ca-ATP on-rate", (0.0, 1e9)),
            "koff_CaATP": Parameter(30.0, "1/ms", _SH_BUF, "Ca-ATP off-rate", (0.0, 1e9)),
            "kon_MgATP": Parameter(_per_mM(0.0015), "1/(mM ms)", _SH_BUF, "Mg-ATP on-rate", (0.0, 1e9)),
            "koff_MgATP": Parameter(0.15, "1/ms", _SH_BUF, "Mg-ATP off-rate", (0.0, 1e9)),
            "q10_buffer": _Q10_BUFFER,
            "celsius_ref": CA_TREF,
        }

    @classmethod
    def default_inputs(cls):
        pools = {f"{s}_{k}": f"myo{k}.{s}" for s in ("Ca", "CaATP", "MgATP", "ATP", "Mg") for k in (1, 2)}
        return {**pools, "celsius": "celsius"}

    precomputed = ("phi",)
    precompute = staticmethod(_phi)

    @staticmethod
    def equations(Ca_1, Ca_2, CaATP_1, CaATP_2, MgATP_1, MgATP_2, ATP_1, ATP_2, Mg_1, Mg_2,
                  kon_CaATP, koff_CaATP, kon_MgATP, koff_MgATP, phi):
        kon_c, koff_c, kon_m, koff_m = phi * kon_CaATP, phi * koff_CaATP, phi * kon_MgATP, phi * koff_MgATP
        b_c1 = kon_c * Ca_1 * ATP_1 - koff_c * CaATP_1
        b_c2 = kon_c * Ca_2 * ATP_2 - koff_c * CaATP_2
        b_m1 = kon_m * Mg_1 * ATP_1 - koff_m * MgATP_1
        b_m2 = kon_m * Mg_2 * ATP_2 - koff_m * MgATP_2
        return (-b_c1, b_c1, b_m1, -b_c1 - b_m1, -b_m1,
                -b_c2, b_c2, b_m2, -b_c2 - b_m2, -b_m2)


class Parvalbumin(Component):
    """Parvalbumin in both myoplasmic compartments: sites shared by Ca and Mg (Shorten et al.
    2007), immobile. States are the Ca- and Mg-bound sites (mM)."""

    states = (State("CaP_1", "mM", "Ca-parvalbumin, triadic compartment", 0.615),
              State("MgP_1", "mM", "Mg-parvalbumin, triadic compartment", 0.811),
              State("CaP_2", "mM", "Ca-parvalbumin, bulk compartment", 0.615),
              State("MgP_2", "mM", "Mg-parvalbumin, bulk compartment", 0.811))
    outputs = tuple(Output(f"{s}_{k}", "mM/ms", f"{s} by parvalbumin, compartment {k}", adds_to=pool_sum(s, f"myo{k}"))
                    for k in (1, 2) for s in ("Ca", "Mg")) + (
        Output("Ca_content", "mM", "Ca on parvalbumin, per myoplasm volume", adds_to="Ca_total"),
        Output("Mg_content", "mM", "Mg on parvalbumin, per myoplasm volume", adds_to="Mg_total"))
    citation = _SH_BUF

    @classmethod
    def default_parameters(cls):
        return {
            "kon_CaP": Parameter(_per_mM(0.0417), "1/(mM ms)", _SH_BUF, "Ca-parvalbumin on-rate", (0.0, 1e9)),
            "koff_CaP": Parameter(0.0005, "1/ms", _SH_BUF, "Ca-parvalbumin off-rate", (0.0, 1e9)),
            "kon_MgP": Parameter(_per_mM(3.3e-5), "1/(mM ms)", _SH_BUF, "Mg-parvalbumin on-rate", (0.0, 1e9)),
            "koff_MgP": Parameter(0.003, "1/ms", _SH_BUF, "Mg-parvalbumin off-rate", (0.0, 1e9)),
            "P_tot": Parameter(1.5, "mM", _SH_BUF, "Parvalbumin sites (Ca/Mg shared)", (0.0, 100.0)),
            "q10_buffer": _Q10_BUFFER,
            "celsius_ref": CA_TREF,
        }

    @classmethod
    def default_inputs(cls):
        return {"Ca_1": "myo1.Ca", "Ca_2": "myo2.Ca", "Mg_1": "myo1.Mg", "Mg_2": "myo2.Mg", "V_1": "V_myo1",
                "V_2": "V_myo2", "V_myo": "V_myo", "celsius": "celsius"}

    precomputed = ("phi",)
    precompute = staticmethod(_phi)

    @staticmethod
    def equations(Ca_1, Ca_2, Mg_1, Mg_2, V_1, V_2, V_myo, CaP_1, MgP_1, CaP_2, MgP_2,
                  kon_CaP, koff_CaP, kon_MgP, koff_MgP, P_tot, phi):
        kon_c, koff_c, kon_m, koff_m = phi * kon_CaP, phi * koff_CaP, phi * kon_MgP, phi * koff_MgP
        free1 = P_tot - CaP_1 - MgP_1
        free2 = P_tot - CaP_2 - MgP_2
        b_c1 = kon_c * Ca_1 * free1 - koff_c * CaP_1
        b_c2 = kon_c * Ca_2 * free2 - koff_c * CaP_2
        b_m1 = kon_m * Mg_1 * free1 - koff_m * MgP_1
        b_m2 = kon_m * Mg_2 * free2 - koff_m * MgP_2
        return (-b_c1, -b_m1, -b_c2, -b_m2,
                (V_1 * CaP_1 + V_2 * CaP_2) / V_myo, (V_1 * MgP_1 + V_2 * MgP_2) / V_myo,
                b_c1, b_m1, b_c2, b_m2)


#: Calsequestrin (docs/research/calcium_atp.md 5). Shorten's k_off (0.005/ms) hands bound Ca
#: back so slowly that the SR's free Ca empties within a millisecond of release; mouse fibres
#: show near-equilibrium SR buffering through release instead (Manno et al. 2013). No in-situ
#: skeletal rate is published, so the rate is a fast one from a cardiac model, and the
#: affinity follows from two mammalian measurements, with Shorten's 31 mM of sites and SR
#: volume (5 % of the fibre): SR Ca content 1.01 mM per fibre volume (20.2 mM per SR volume)
#: at a free SR Ca of 0.35 mM give K_D = 0.35 (31 - 19.85)/19.85 = 0.197 mM.
_CSQ_RATE = (f"{cite('shannon2004')} (cardiac calsequestrin k_off 65/ms; fast against release, "
             f"as the near-equilibrium SR buffering during release in mouse fibres requires: {cite('manno2013')}; "
             "Beltran et al. 2006's 109/s for isolated junctional SR would limit release)")
_CSQ_AFFINITY = (f"K_D 0.197 mM from {cite('fryer1996')} (SR Ca content 1.01 mM per fibre volume, rat "
                 "fast-twitch) and a resting free SR Ca of 0.35 mM (0.31 mM mouse, quoted by "
                 f"{cite('royer2010')}; 0.39 mM, {cite('ziman2010')}), with 31 mM sites")
_CSQ_KOFF = 65.0  # 1/ms
CSQ_KD = 0.35 * (31.0 - 19.85) / 19.85  # mM
_CS_REST = 31.0 * 0.35 / (0.35 + CSQ_KD)  # mM, in equilibrium with 0.35 mM free SR Ca


class Calsequestrin(Component):
    """Calsequestrin in both SR compartments, immobile; states the Ca-bound sites (mM per SR
    volume), loaded at rest in equilibrium with 0.35 mM free SR Ca."""

    states = (State("CaCS_1", "mM", "Ca-calsequestrin, terminal SR", _CS_REST),
              State("CaCS_2", "mM", "Ca-calsequestrin, longitudinal SR", _CS_REST))
    outputs = (Output("Ca_sr1", "mM/ms", "Ca by calsequestrin, terminal SR", adds_to=pool_sum("Ca", "sr1")),
               Output("Ca_sr2", "mM/ms", "Ca by calsequestrin, longitudinal SR", adds_to=pool_sum("Ca", "sr2")),
               Output("Ca_content", "mM", "Ca on calsequestrin, per myoplasm volume", adds_to="Ca_total"))
    citation = f"{_CSQ_RATE}; {_CSQ_AFFINITY}"

    @classmethod
    def default_parameters(cls):
        return {
            "kon_CS": Parameter(_CSQ_KOFF / CSQ_KD, "1/(mM ms)", f"derived: k_off/K_D: {_CSQ_RATE}; {_CSQ_AFFINITY}",
                                "Ca-calsequestrin on-rate", (0.0, 1e9)),
            "koff_CS": Parameter(_CSQ_KOFF, "1/ms", _CSQ_RATE, "Ca-calsequestrin off-rate", (0.0, 1e9)),
            "CS_tot": Parameter(31.0, "mM", _SH_BUF, "Calsequestrin sites per SR volume", (0.0, 1e3)),
            "q10_buffer": _Q10_BUFFER,
            "celsius_ref": CA_TREF,
        }

    @classmethod
    def default_inputs(cls):
        return {"CaSR_1": "sr1.Ca", "CaSR_2": "sr2.Ca", "V_SR1": "V_sr1", "V_SR2": "V_sr2", "V_myo": "V_myo",
                "celsius": "celsius"}

    precomputed = ("phi",)
    precompute = staticmethod(_phi)

    @staticmethod
    def equations(CaSR_1, CaSR_2, V_SR1, V_SR2, V_myo, CaCS_1, CaCS_2, kon_CS, koff_CS, CS_tot, phi):
        kon, koff = phi * kon_CS, phi * koff_CS
        b1 = kon * CaSR_1 * (CS_tot - CaCS_1) - koff * CaCS_1
        b2 = kon * CaSR_2 * (CS_tot - CaCS_2) - koff * CaCS_2
        return -b1, -b2, (V_SR1 * CaCS_1 + V_SR2 * CaCS_2) / V_myo, b1, b2
