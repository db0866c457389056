"""The compartments of the fibre's Ca system and the pools every Ca/ATP process adds to.

The Ca system of :func:`~neuromuscle.muscle_ec` is a half-sarcomere cylinder (Shorten et al.
2007) with two myoplasmic compartments, the triad (``myo1``, 1 % of the myoplasm) and the
bulk (``myo2``), each beside its SR compartment (terminal SR ``sr1``, longitudinal SR
``sr2``). Each *pool* is a freely mixing species in one compartment: a state whose time
derivative is the sum of what every process contributes to it, as membrane currents add to
``I_ion``. A process (release, SERCA, a buffer, creatine kinase, ...) is a component of its
own that reads the pools' states and adds its rates to the sums

``J_<species>_<compartment>`` (mM/ms, per volume of that compartment),

e.g. ``J_Ca_myo1``, ``J_MgATP_myo2``, ``J_Ca_sr2``; the pool component (:class:`MyoplasmPools`,
:class:`SRPool`) reads the sums and returns them as its states' derivatives. A process that
moves an amount between two compartments divides it by each compartment's volume (the
shared variables ``V_myo1``, ``V_myo2``, ``V_sr1``, ``V_sr2``, um3, from
:class:`CaCompartments`), so amounts are conserved exactly.

Each component that holds Ca, Mg, adenine nucleotides or phosphate adds its content (amount
per volume of myoplasm, mM) to the sums ``Ca_total``, ``Mg_total``, ``adenine_total`` and
``phosphate_total``. Every content is linear in the states, so a model's totals can be read
and their conservation tested without knowing which components it has.

Adding a buffer or a flux is writing one component that adds to these sums; no other
component changes.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..citations import cite
from .base import Component, Output, Parameter, State

__all__ = ["CaCompartments", "MyoplasmPools", "SRPool", "TriadicMyoplasm", "BulkMyoplasm", "TerminalSR",
           "LongitudinalSR", "CompartmentExchange", "MYOPLASM_SPECIES",
           "shorten_source", "CA_TREF", "BENNETT", "pool_sum"]


def shorten_source(component: str, section: str) -> str:
    """Source text for a value of Shorten et al. 2007, by CellML component and the section of
    docs/research/calcium_atp.md that lists it."""
    return (f"{cite('shorten2007')} (CellML component {component}; "
            f"docs/research/calcium_atp.md {section})")


#: Temperature of the Ca system's rate constants. Shorten et al. give no temperature; their
#: buffer constants are Baylor & Hollingworth's 1998 values for 16 C, and the validation data
#: (Baylor & Hollingworth 2003) are at 16 C. Rates scale by q10 ** ((celsius - 16)/10);
#: equilibrium constants do not move (docs/research/calcium_atp.md 1.9).
CA_TREF = Parameter(16.0, "degC", f"{cite('baylor1998')} (16 C buffer constants, "
                    f"as used by {cite('shorten2007')})", "Temperature at which the Ca-system rates apply",
                    (0.0, 45.0))
BENNETT = f"{cite('bennett1984')} (rate processes of muscle: Q10 2.0-2.5); value an assumption"
_SH_GEOM = shorten_source("razumova", "1.1")
_SH_CA = shorten_source("razumova", "1.2")
_SH_BUF = f"{shorten_source('razumova', '1.4')}; frog values of {cite('baylor1998')}"


def pool_sum(species: str, compartment: str) -> str:
    """Name of the shared sum a process adds to for ``species`` in ``compartment``
    (``"myo1"``, ``"myo2"``, ``"sr1"``, ``"sr2"``): ``J_<species>_<compartment>``, mM/ms."""
    return f"J_{species}_{compartment}"


class CaCompartments(Component):
    """Geometry of the half-sarcomere cylinder (Shorten et al. 2007) and volume averages.

    Provides the compartment volumes ``V_myo1``, ``V_myo2``, ``V_sr1``, ``V_sr2`` and the
    myoplasm's ``V_myo`` (um3), and the volume-averaged free myoplasmic Ca ``Ca_cyt`` and
    MgATP ``MgATP_cyt`` (mM) of the pools ``myo1`` and ``myo2``.
    """

    states = ()
    outputs = (
        Output("V_1", "um3", "Triadic myoplasm volume", provides="V_myo1"),
        Output("V_2", "um3", "Bulk myoplasm volume", provides="V_myo2"),
        Output("V_SR1", "um3", "Terminal SR volume", provides="V_sr1"),
        Output("V_SR2", "um3", "Longitudinal SR volume", provides="V_sr2"),
        Output("V_myo", "um3", "Myoplasm volume", provides="V_myo"),
        Output("Ca_cyt", "mM", "Free myoplasmic Ca, volume average", provides="Ca_cyt", label="cytosolic_ca"),
        Output("MgATP_cyt", "mM", "MgATP, volume average", provides="MgATP_cyt", label="mgatp"),
    )
    citation = _SH_GEOM

    @classmethod
    def default_parameters(cls):
        return {
            "L_x": Parameter(1.1, "um", _SH_GEOM, "Half-sarcomere length", (1e-3, 100.0)),
            "R": Parameter(0.5, "um", _SH_GEOM, "Radius of the cylinder", (1e-3, 100.0)),
            "frac_myo": Parameter(0.95, "1", _SH_GEOM, "Myoplasm fraction of the cylinder", (0.0, 1.0)),
            "frac_1": Parameter(0.01, "1", _SH_GEOM, "Triadic fraction of myoplasm and of SR", (1e-6, 0.5)),
        }

    @classmethod
    def default_inputs(cls):
        return {"Ca_1": "myo1.Ca", "Ca_2": "myo2.Ca", "MgATP_1": "myo1.MgATP", "MgATP_2": "myo2.MgATP"}

    precomputed = ("V_1", "V_2", "V_SR1", "V_SR2")

    @staticmethod
    def precompute(L_x, R, frac_myo, frac_1):
        cylinder = L_x * np.pi * R * R
        v_myo, v_sr = frac_myo * cylinder, (1.0 - frac_myo) * cylinder
        return frac_1 * v_myo, (1.0 - frac_1) * v_myo, frac_1 * v_sr, (1.0 - frac_1) * v_sr

    @staticmethod
    def equations(Ca_1, Ca_2, MgATP_1, MgATP_2, V_1, V_2, V_SR1, V_SR2):
        v_myo = V_1 + V_2
        return (V_1, V_2, V_SR1, V_SR2, v_myo, (V_1 * Ca_1 + V_2 * Ca_2) / v_myo,
                (V_1 * MgATP_1 + V_2 * MgATP_2) / v_myo)


#: Freely mixing myoplasmic species (mobile: they also move between the compartments)
MYOPLASM_SPECIES = ("Ca", "CaATP", "MgATP", "ATP", "Mg", "ADP", "Pi", "PCr")
_KMW = (f"{cite('kushmerick1992')} (type 2a/2b rat and mouse fibres: 8 mM ATP, "
        "39 mM total creatine, 32 mM PCr, 0.8 mM Pi, 8 uM free ADP)")
#: mM: Shorten's initial state; ADP, Pi and PCr (not in Shorten): Kushmerick et al. 1992
_MYO_INITIAL = {"Ca": 1e-4, "CaATP": 4e-4, "MgATP": 7.2, "ATP": 0.7996, "Mg": 1.0, "ADP": 0.008, "Pi": 0.8,
                "PCr": 32.0}
_MYO_DESCRIBED = {"Ca": "free Ca", "CaATP": "Ca-ATP", "MgATP": "Mg-ATP", "ATP": "free ATP", "Mg": "free Mg",
                  "ADP": "ADP (free and Mg-bound, lumped)", "Pi": "inorganic phosphate", "PCr": "phosphocreatine"}


class MyoplasmPools(Component):
    """The freely mixing species of one myoplasmic compartment: free Ca, Mg and ATP, CaATP,
    MgATP, ADP, Pi and PCr (mM).

    Each state's derivative is the shared sum ``J_<species>_<name>`` (mM/ms) that the
    processes add to, ``<name>`` being this component's name (``myo1``, ``myo2``). Adds the
    compartment's Ca, Mg, adenine and phosphate to the model's totals.
    """

    states = tuple(State(s, "mM", _MYO_DESCRIBED[s], _MYO_INITIAL[s]) for s in MYOPLASM_SPECIES)
    outputs = (
        Output("Ca_content", "mM", "Ca in free Ca and CaATP, per myoplasm volume", adds_to="Ca_total"),
        Output("Mg_content", "mM", "Mg in free Mg and MgATP, per myoplasm volume", adds_to="Mg_total"),
        Output("adenine_content", "mM", "Adenine nucleotides, per myoplasm volume", adds_to="adenine_total"),
        Output("phosphate_content", "mM", "ATP species, PCr and Pi, per myoplasm volume", adds_to="phosphate_total"),
    )
    citation = f"{_SH_CA}; ADP, Pi, PCr: {_KMW}"

    def __post_init__(self) -> None:
        # the sums this pool collects are named after the pool: J_Ca_myo1, ...
        self.inputs = {**{f"J_{s}": pool_sum(s, self.name) for s in MYOPLASM_SPECIES},
                       "V": f"V_{self.name}", "V_myo": "V_myo", **self.inputs}
        super().__post_init__()

    @staticmethod
    def equations(J_Ca, J_CaATP, J_MgATP, J_ATP, J_Mg, J_ADP, J_Pi, J_PCr, V, V_myo,
                  Ca, CaATP, MgATP, ATP, Mg, ADP, Pi, PCr):
        w = V / V_myo
        atp = ATP + CaATP + MgATP
        return (w * (Ca + CaATP), w * (Mg + MgATP), w * (atp + ADP), w * (atp + PCr + Pi),
                J_Ca, J_CaATP, J_MgATP, J_ATP, J_Mg, J_ADP, J_Pi, J_PCr)


class SRPool(Component):
    """Free Ca in one SR compartment (mM), whose derivative is the shared sum
    ``J_Ca_<name>`` (``sr1``: terminal SR, ``sr2``: longitudinal SR). Adds its Ca to the
    model's total."""

    states = (State("Ca", "mM", "free Ca in the SR (resting load of Fryer & Stephenson 1996 / Ziman et al. 2010)",
                    0.35),)
    outputs = (Output("Ca_content", "mM", "Free SR Ca, per myoplasm volume", adds_to="Ca_total"),)
    citation = _SH_CA

    def __post_init__(self) -> None:
        self.inputs = {"J_Ca": pool_sum("Ca", self.name), "V": f"V_{self.name}", "V_myo": "V_myo", **self.inputs}
        super().__post_init__()

    @staticmethod
    def equations(J_Ca, V, V_myo, Ca):
        return (V / V_myo * Ca, J_Ca)


def _ca_labelled(cls: type, name: str, label: str, where: str) -> type:
    """``cls`` with its free Ca state carrying the semantic ``label`` (the pools are one class
    per kind, used for both compartments, so the label goes on a subclass per compartment)."""
    states = tuple(dataclasses.replace(st, label=label) if st.name == "Ca" else st for st in cls.states)
    return type(name, (cls,), {"states": states, "__doc__": f"{cls.__doc__.split('.')[0]}: {where}; its free Ca "
                                                          f"answers the label ``{label!r}``.",
                               "__module__": __name__})


TriadicMyoplasm = _ca_labelled(MyoplasmPools, "TriadicMyoplasm", "triadic_cytosolic_ca",
                               "the triadic compartment beside the release sites")
BulkMyoplasm = _ca_labelled(MyoplasmPools, "BulkMyoplasm", "bulk_cytosolic_ca",
                            "the bulk compartment, where the thin filament is")
TerminalSR = _ca_labelled(SRPool, "TerminalSR", "terminal_sr_free_ca", "the terminal SR beside the release sites")
LongitudinalSR = _ca_labelled(SRPool, "LongitudinalSR", "sr_free_ca", "the longitudinal (bulk) SR")


class CompartmentExchange(Component):
    """Diffusion of the mobile species between the triadic and bulk compartments
    (Shorten et al. 2007): ``tau (X_1 - X_2)`` (mM um3/ms) for free Ca, the ATP species, Mg,
    ADP, Pi and PCr in the myoplasm and for free Ca between the SR compartments. Bound forms
    (parvalbumin, calsequestrin, troponin) do not move. Creatine moves opposite to PCr, so its
    total stays uniform."""

    states = ()
    outputs = tuple(
        Output(f"{s}_{k}", "mM/ms", f"{s} exchange into compartment {k}", adds_to=pool_sum(s, f"myo{k}"))
        for s in MYOPLASM_SPECIES for k in (1, 2)) + tuple(
        Output(f"CaSR_{k}", "mM/ms", f"SR Ca exchange into compartment {k}", adds_to=pool_sum("Ca", f"sr{k}"))
        for k in (1, 2))
    citation = _SH_BUF

    @classmethod
    def default_parameters(cls):
        um3 = "um3"
        return {
            "tau_Ca": Parameter(0.75, f"{um3}/ms", _SH_BUF, "Myoplasmic Ca exchange between compartments",
                                (0.0, 1e6)),
            "tau_SR": Parameter(20.0, f"{um3}/ms", "fitted: large enough not to limit release: fitted with nu_rel and "
                                "kon_inact, it went to infinity, and above about 20 nothing depends on it "
                                "(experiments/calibrate_release.py; Shorten's 0.75 starves release at the measured "
                                "SR load)", "SR Ca exchange between compartments", (0.0, 1e6)),
            "tau_ATP": Parameter(0.375, f"{um3}/ms", _SH_BUF, "ATP species (and ADP, Pi, PCr) exchange",
                                 (0.0, 1e6)),
            "tau_Mg": Parameter(1.5, f"{um3}/ms", _SH_BUF, "Mg exchange", (0.0, 1e6)),
        }

    @classmethod
    def default_inputs(cls):
        names = {f"{s}_{k}": f"myo{k}.{s}" for s in MYOPLASM_SPECIES for k in (1, 2)}
        return {**names, "CaSR_1": "sr1.Ca", "CaSR_2": "sr2.Ca", "V_1": "V_myo1", "V_2": "V_myo2",
                "V_SR1": "V_sr1", "V_SR2": "V_sr2"}

    @staticmethod
    def equations(Ca_1, Ca_2, CaATP_1, CaATP_2, MgATP_1, MgATP_2, ATP_1, ATP_2, Mg_1, Mg_2, ADP_1, ADP_2,
                  Pi_1, Pi_2, PCr_1, PCr_2, CaSR_1, CaSR_2, V_1, V_2, V_SR1, V_SR2,
                  tau_Ca, tau_SR, tau_ATP, tau_Mg):
        # amounts per ms, 1 -> 2 positive
        x_ca = tau_Ca * (Ca_1 - Ca_2)
        x_catp = tau_ATP * (CaATP_1 - CaATP_2)
        x_matp = tau_ATP * (MgATP_1 - MgATP_2)
        x_atp = tau_ATP * (ATP_1 - ATP_2)
        x_mg = tau_Mg * (Mg_1 - Mg_2)
        x_adp = tau_ATP * (ADP_1 - ADP_2)
        x_pi = tau_ATP * (Pi_1 - Pi_2)
        x_pcr = tau_ATP * (PCr_1 - PCr_2)
        x_sr = tau_SR * (CaSR_1 - CaSR_2)
        return (-x_ca / V_1, x_ca / V_2, -x_catp / V_1, x_catp / V_2, -x_matp / V_1, x_matp / V_2,
                -x_atp / V_1, x_atp / V_2, -x_mg / V_1, x_mg / V_2, -x_adp / V_1, x_adp / V_2,
                -x_pi / V_1, x_pi / V_2, -x_pcr / V_1, x_pcr / V_2, -x_sr / V_SR1, x_sr / V_SR2)
