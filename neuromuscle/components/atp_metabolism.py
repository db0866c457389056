"""ATP use and resupply in the myoplasm: hydrolysis at a given rate (the Na/K pump's),
creatine kinase and the metabolic supply, each adding to the pools of
:mod:`neuromuscle.components.ca_system` (docs/research/calcium_atp.md 1.8).

MgATP is hydrolysed to ADP + Pi + free Mg; creatine kinase (near equilibrium, apparent
constant ``K_CK`` on total ATP and ADP) and a metabolic supply ``V_supply/(1 + K_PCr_Pi
PCr/Pi)`` (the in-vivo control law of Chance et al. 1986, which also needs Pi as substrate)
regenerate free ATP. ADP is lumped (free and Mg-bound).
"""

from __future__ import annotations

from ..citations import cite
from .base import Component, Output, Parameter
from .ca_system import pool_sum

__all__ = ["ATPHydrolysis", "CreatineKinase", "ATPSupply"]

_KMW = (f"{cite('kushmerick1992')} (type 2a/2b rat and mouse fibres: 8 mM ATP, "
        "39 mM total creatine, 32 mM PCr, 0.8 mM Pi, 8 uM free ADP)")


class ATPHydrolysis(Component):
    """MgATP -> ADP + Pi + Mg at the rate ``J`` (mM/ms per volume of myoplasm, the same in both
    compartments; input, by default ``J_ATP_NaK`` of
    :class:`~neuromuscle.components.ec_coupling.PumpATPDemand`). Adds ``J`` to ``J_ATP``."""

    states = ()
    outputs = (Output("J_ATP", "mM/ms", "ATP use, per volume of myoplasm", adds_to="J_ATP", label="atp_use"),) + tuple(
        Output(f"{s}_{k}", "mM/ms", f"{s} by hydrolysis, compartment {k}", adds_to=pool_sum(s, f"myo{k}"))
        for k in (1, 2) for s in ("MgATP", "Mg", "ADP", "Pi"))
    citation = "definition: MgATP + H2O -> ADP + Pi + Mg (ADP lumped)"

    @classmethod
    def default_inputs(cls):
        return {"J": "J_ATP_NaK"}

    @staticmethod
    def equations(J):
        return J, -J, J, J, J, -J, J, J, J


class CreatineKinase(Component):
    """PCr + ADP <-> Cr + ATP in both compartments, mass action on total ATP and ADP with the
    apparent equilibrium constant ``K_CK``; creatine is ``Cr_tot - PCr``."""

    states = ()
    outputs = tuple(Output(f"{s}_{k}", "mM/ms", f"{s} by creatine kinase, compartment {k}",
                           adds_to=pool_sum(s, f"myo{k}")) for k in (1, 2) for s in ("ATP", "ADP", "PCr"))
    citation = f"{cite('teague1992')}; {cite('kim2021')}"

    @classmethod
    def default_parameters(cls):
        return {
            "Cr_tot": Parameter(39.0, "mM", _KMW, "Total creatine (PCr + Cr)", (0.0, 200.0)),
            "K_CK": Parameter(177.0, "1", f"{cite('teague1992')} (38 C, pH 7.0, 1 mM free Mg, "
                              "I 0.25 M: 177 +/- 7)", "Apparent CK equilibrium constant [Cr][ATP]/([PCr][ADP])",
                              (1e-3, 1e6)),
            "k_CK": Parameter(0.05, "1/(mM ms)", f"{cite('kim2021')} (mouse hindlimb in vivo: "
                              "PCr -> ATP rate constant 0.40/s) divided by the resting free ADP of 8 uM "
                              f"({cite('kushmerick1992')})", "CK forward rate constant (PCr + ADP)", (0.0, 1e9)),
        }

    @classmethod
    def default_inputs(cls):
        return {f"{s}_{k}": f"myo{k}.{s}" for s in ("ATP", "MgATP", "CaATP", "ADP", "PCr") for k in (1, 2)}

    @staticmethod
    def equations(ATP_1, ATP_2, MgATP_1, MgATP_2, CaATP_1, CaATP_2, ADP_1, ADP_2, PCr_1, PCr_2, Cr_tot, K_CK, k_CK):
        ck1 = k_CK * (PCr_1 * ADP_1 - (Cr_tot - PCr_1) * (ATP_1 + MgATP_1 + CaATP_1) / K_CK)
        ck2 = k_CK * (PCr_2 * ADP_2 - (Cr_tot - PCr_2) * (ATP_2 + MgATP_2 + CaATP_2) / K_CK)
        return ck1, -ck1, -ck1, ck2, -ck2, -ck2


class ATPSupply(Component):
    """Metabolic ATP supply (glycolysis and oxidative phosphorylation, lumped) in both
    compartments: ADP + Pi -> ATP at ``V_supply Pi/(Pi + K_PCr_Pi PCr)``, rising as PCr falls
    and Pi rises up to the capacity ``V_supply`` (the knob for a reduced supply)."""

    states = ()
    outputs = tuple(Output(f"{s}_{k}", "mM/ms", f"{s} by the metabolic supply, compartment {k}",
                           adds_to=pool_sum(s, f"myo{k}")) for k in (1, 2) for s in ("ATP", "ADP", "Pi"))
    citation = cite("chance1986")

    @classmethod
    def default_parameters(cls):
        return {
            "V_supply": Parameter(4.7e-3, "mM/ms", f"{cite('conley2000')} (maximal "
                                  "oxidative ATP synthesis 1.16 mM/s, human vastus lateralis) + "
                                  f"{cite('walter1999')} (peak glycolytic ATP synthesis 207 mM/min = 3.5 mM/s, human "
                                  "gastrocnemius)", "Metabolic ATP supply capacity (oxidative + glycolytic)",
                                  (0.0, 1.0), label="atp_supply_capacity"),
            "K_PCr_Pi": Parameter(0.6, "1", f"{cite('chance1986')} (human muscle in vivo, 31P-MRS: "
                                  "V/V_max = 1/(1 + 0.6 PCr/Pi))", "PCr/Pi control constant of the supply",
                                  (1e-6, 1e3)),
        }

    @classmethod
    def default_inputs(cls):
        return {"Pi_1": "myo1.Pi", "Pi_2": "myo2.Pi", "PCr_1": "myo1.PCr", "PCr_2": "myo2.PCr"}

    @staticmethod
    def equations(Pi_1, Pi_2, PCr_1, PCr_2, V_supply, K_PCr_Pi):
        sup1 = V_supply * Pi_1 / (Pi_1 + K_PCr_Pi * PCr_1)
        sup2 = V_supply * Pi_2 / (Pi_2 + K_PCr_Pi * PCr_2)
        return sup1, -sup1, -sup1, sup2, -sup2, -sup2
