"""A mammalian (human) motor axon node of Ranvier at body temperature, driven by the
electrolytes.

Kinetics: Schwarz, Reid & Bostock (1995) human node (transient Na as a GHK permeability,
fast K, slow K) with the Wesselink et al. (1999) parameters, plus the persistent Na
current of Hennings et al. (2005). See :mod:`neuromuscle.components.node_srb` and
docs/models/motor_axon.md.

How the electrolytes enter:

* Na: GHK driving force of the transient and persistent Na currents (``Na_o``, ``Na_i``).
* K: Nernst potential of the fast and slow K currents (``K_o``, ``K_i``).
* Na and K: the leak reversal, by the GHK voltage equation with a fixed P_Na/P_K.
* Ca and Mg: the surface potential (Gouy-Chapman-Stern, Hille, Woodhull & Shapiro 1975
  parameters), which shifts every gate by ``dV_surface`` relative to normal plasma.
* Temperature: Q10 of every rate; RT/F in every Nernst/GHK term.
"""

from __future__ import annotations

import functools

from .._validate import check_real
from ..citations import cite
from ..components.base import Parameter
from ..components.declarations import ModelDeclarations
from ..components.environment import IonicEnvironment
from ..components.ghk import GHKLeakReversal, Nernst
from ..components.membrane import Membrane, ReversalLeak
from ..components.node_srb import SRBFastPotassium, SRBPersistentSodium, SRBSlowPotassium, SRBSodium
from ..components.surface_charge import SurfaceChargeShift, surface_solution
from ..electrochem import HILLE_1975, SurfaceCharge, ghk_permeability_ratio
from ..electrolytes import FIELD_OF_PARAMETER, Electrolytes, as_electrolytes, model_parameters
from ..model import Model

__all__ = ["motor_axon", "motor_axon_environment", "AXON_CYTOSOL", "AXON_ELECTROLYTES", "surface_ions"]

_WES = f"{cite('wesselink1999')} (SRB node parameters)"

#: Axoplasm concentrations, mM, used when the Electrolytes object gives none. The SRB node
#: parameterisation uses Na_i 35 and K_i 155 (public NEURON code of the Wesselink 1999
#: parameters); 35 mM Na is high next to measured cytosolic Na (10-15 mM) and is kept
#: because the Na permeability was set with it.
AXON_CYTOSOL = {
    "na_in": (35.0, f"{_WES}; high vs measured 10-15 mM, kept for consistency with P_Na"),
    "k_in": (155.0, _WES),
}

#: Resting potential the SRB/Wesselink node is built around, mV (its E_L and E_K).
_V_REST_SRB = -84.0


def surface_ions(e: Electrolytes) -> dict[str, float]:
    """Extracellular ions of ``e`` for the surface-charge model, mM
    (:func:`~neuromuscle.components.surface_charge.surface_solution`: ionised Ca and Mg, the
    anion gap as a monovalent anion ``A``)."""
    return {k: float(v) for k, v in surface_solution(e.na, e.k, e.cl, e.hco3, e.ca, e.mg).items()}


def _leak_ratio(k_o, k_i, na_o, na_i, celsius) -> float:
    """P_Na/P_K that puts the GHK leak reversal at -84 mV for the given concentrations."""
    return ghk_permeability_ratio(_V_REST_SRB, k_o, k_i, na_o, na_i, celsius)


@functools.cache
def _electrolyte_parameters() -> Model:
    """The model whose electrolyte parameters :func:`motor_axon_environment` sets (each
    :func:`motor_axon` has the same ones)."""
    return motor_axon()


#: The electrolyte parameters of :func:`motor_axon`.
AXON_ELECTROLYTES = ("celsius", "Na_o", "K_o", "Cl_o", "Ca_o", "Mg_o", "HCO3_o", "Na_i", "K_i")


def motor_axon_environment(electrolytes: Electrolytes, reference: Electrolytes | None = None) -> dict[str, float]:
    """Parameters of :func:`motor_axon` that put it in ``electrolytes`` (the axoplasm's own
    Na and K where the Electrolytes object gives none), and, if given, the ``reference``
    solution of the gating shift. Use it to vary electrolytes without rebuilding the model::

        model = motor_axon()
        nm.simulate(model, ..., params=motor_axon_environment(Electrolytes.preset("hypocalcaemia_severe")))

    The electrolyte parameters are :func:`neuromuscle.electrolytes.model_parameters` on
    :func:`motor_axon`, with ``Na_i`` and ``K_i`` of :data:`AXON_CYTOSOL` where the
    Electrolytes object gives none.
    """
    electrolytes = as_electrolytes("electrolytes", electrolytes)
    env = {par: AXON_CYTOSOL[FIELD_OF_PARAMETER[par]][0] for par in ("Na_i", "K_i")}
    env.update(model_parameters(_electrolyte_parameters(), electrolytes))
    if reference is not None:
        env.update({f"surface.{ion}_ref": float(v) for ion, v in surface_ions(reference).items() if ion != "A"})
    return env


def motor_axon(
    electrolytes: Electrolytes | None = None,
    *,
    nap_fraction: float | None = None,
    surface: SurfaceCharge = HILLE_1975,
) -> Model:
    """A human motor-axon node of Ranvier (single compartment) in the given electrolytes.

    Parameters
    ----------
    electrolytes : Electrolytes or str, optional
        The ionic environment, or a preset name; default normal plasma at 37 C.
    nap_fraction : float, optional
        Persistent fraction of the Na permeability (default 0.01; see
        :class:`~neuromuscle.components.node_srb.SRBPersistentSodium`). Excitability is
        sensitive to it; sweep it to see how much.
    surface : SurfaceCharge
        Surface-charge parameters for the Ca/Mg gating shift (default Hille et al. 1975).

    Returns
    -------
    Model
        States ``V, naf.m, naf.h, nap.p, kf.n, ks.s``; model-wide parameters ``celsius,
        Na_o, K_o, Cl_o, Ca_o, Mg_o, HCO3_o, Na_i, K_i`` (component ``environment``), from
        which the component ``surface`` computes the gating shift ``dV_surface``
        (``surface.dV_offset`` adds a shift by hand).

    Notes
    -----
    The kinetics are taken to describe the node in normal plasma: that is the reference
    solution of the gating shift, and the leak's P_Na/P_K (0.018) is fixed so that its
    reversal is the SRB model's -84 mV there. E_K is the Nernst potential (-96.4 mV in
    normal plasma), not the -84 mV the SRB model assumed, so the node rests at -85.5 mV.
    """
    e = as_electrolytes("electrolytes", electrolytes, default="normal")
    ref = Electrolytes.preset("normal")
    cytosol = {"Na_i": AXON_CYTOSOL["na_in"], "K_i": AXON_CYTOSOL["k_in"]}
    # The leak P_Na/P_K is fixed once, in the reference solution, so that the leak then
    # follows K and Na like a real mixed conductance instead of being re-fitted per condition.
    r_cyto_na = AXON_CYTOSOL["na_in"][0]
    r_cyto_k = AXON_CYTOSOL["k_in"][0]
    ratio = _leak_ratio(ref.k, r_cyto_k, ref.na, r_cyto_na, ref.celsius)
    nap = {} if nap_fraction is None else {"fraction": check_real("nap_fraction", nap_fraction)}
    comps = [
        IonicEnvironment.from_electrolytes(e, AXON_ELECTROLYTES, cytosol),
        SurfaceChargeShift("surface", surface),
        Membrane("membrane", parameters={"C_m": Parameter(
            2.8, "uF/cm2", f"{_WES}: 1.4 pF per 50 um2 node", "Nodal capacitance", (1e-3, 100.0))}),
        SRBSodium("naf"),
        SRBPersistentSodium("nap", parameters=nap),
        SRBFastPotassium("kf"),
        SRBSlowPotassium("ks"),
        ReversalLeak("leak", parameters={"g": Parameter(
            60.0, "mS/cm2", f"{_WES}: 30 nS per 50 um2 node", "Leak conductance", (0.0, 1e5))}),
        Nernst("E_K", "K"),
        GHKLeakReversal("E_L", parameters={"ratio": Parameter(
            ratio, "1",
            "derived: puts the leak reversal at the SRB model's -84 mV in normal plasma",
            "P_Na/P_K of the leak", (0.0, 100.0))}),
    ]
    # the electrolytes record travels with the components (a recomposed axon keeps it)
    comps.append(ModelDeclarations(components=[c.name for c in comps], electrolytes=e))
    model = Model(
        "motor_axon_node",
        comps,
        citation=(
            f"{cite('schwarz1995')}; {cite('wesselink1999')}; "
            f"persistent Na: {cite('hennings2005')}"
        ),
        description=(
            f"Human motor-axon node of Ranvier at {e.celsius:g} C in {e.name!r} electrolytes; "
            "GHK Na, Nernst K, GHK-reversal leak, Ca/Mg surface-charge gating shift."
        ),
    )
    return model
