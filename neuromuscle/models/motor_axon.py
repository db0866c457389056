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
import math

from ..components.base import Parameter
from ..components.ghk import GHKLeakReversal, Nernst
from ..components.membrane import Membrane, ReversalLeak
from ..components.node_srb import SRBFastPotassium, SRBPersistentSodium, SRBSlowPotassium, SRBSodium
from ..constants import FARADAY, GAS_CONSTANT, ZERO_CELSIUS
from ..electrochem import HILLE_1975, SurfaceCharge, gating_shift
from ..electrolytes import Electrolytes
from ..model import Model

__all__ = ["motor_axon", "motor_axon_environment", "AXON_CYTOSOL", "surface_ions"]

_WES = "Wesselink, Holsheimer & Boom 1999 Med Biol Eng Comput 37:228 (SRB node parameters)"

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
    """Extracellular ions for the surface-charge model, mM.

    Ionised Ca and Mg are used (protein-bound Ca does not screen the membrane). The
    unmeasured anions (proteins, phosphate, lactate: the anion gap) are added as a
    monovalent anion ``A`` so the solution is electroneutral.
    """
    cations = e.na + e.k + 2.0 * e.ca + 2.0 * e.mg
    anions = e.cl + e.hco3
    return {"Na": e.na, "K": e.k, "Cl": e.cl, "HCO3": e.hco3, "Ca": e.ca, "Mg": e.mg,
            "A": max(cations - anions, 0.0)}


def _leak_ratio(k_o, k_i, na_o, na_i, celsius) -> float:
    """P_Na/P_K that puts the GHK leak reversal at -84 mV for the given concentrations."""
    e = math.exp(_V_REST_SRB / (GAS_CONSTANT * (celsius + ZERO_CELSIUS) / FARADAY * 1e3))
    return (k_i * e - k_o) / (na_o - na_i * e)


def motor_axon_environment(
    electrolytes: Electrolytes,
    reference: Electrolytes | None = None,
    surface: SurfaceCharge = HILLE_1975,
) -> dict[str, float]:
    """Model parameters that carry the electrolytes: concentrations, temperature and the
    gating shift ``dV_surface`` (mV) of ``electrolytes`` relative to ``reference``
    (default: normal plasma). Use it to vary electrolytes without rebuilding the model::

        model = motor_axon()
        nm.simulate(model, ..., params=motor_axon_environment(Electrolytes.preset("hypocalcaemia_severe")))
    """
    ref = reference or Electrolytes.preset("normal")
    na_in = electrolytes.na_in if electrolytes.na_in is not None else AXON_CYTOSOL["na_in"][0]
    k_in = electrolytes.k_in if electrolytes.k_in is not None else AXON_CYTOSOL["k_in"][0]
    shift = gating_shift(surface_ions(electrolytes), surface_ions(ref), surface, electrolytes.celsius)
    return {
        "celsius": electrolytes.celsius, "Na_o": electrolytes.na, "Na_i": na_in,
        "K_o": electrolytes.k, "K_i": k_in, "dV_surface": float(shift),
    }


def motor_axon(
    electrolytes: Electrolytes | None = None,
    *,
    nap_fraction: float | None = None,
    surface: SurfaceCharge = HILLE_1975,
) -> Model:
    """A human motor-axon node of Ranvier (single compartment) in the given electrolytes.

    Parameters
    ----------
    electrolytes : Electrolytes, optional
        The ionic environment; default normal plasma at 37 C.
    nap_fraction : float, optional
        Persistent fraction of the Na permeability (default 0.01; see
        :class:`~neuromuscle.components.node_srb.SRBPersistentSodium`). Excitability is
        sensitive to it; sweep it to see how much.
    surface : SurfaceCharge
        Surface-charge parameters for the Ca/Mg gating shift (default Hille et al. 1975).

    Returns
    -------
    Model
        States ``V, naf.m, naf.h, nap.p, kf.n, ks.s``; global parameters ``celsius, Na_o,
        Na_i, K_o, K_i, dV_surface``.

    Notes
    -----
    The kinetics are taken to describe the node in normal plasma: that is the reference
    solution of the gating shift, and the leak's P_Na/P_K (0.018) is fixed so that its
    reversal is the SRB model's -84 mV there. E_K is the Nernst potential (-96.4 mV in
    normal plasma), not the -84 mV the SRB model assumed, so the node rests at -85.5 mV.
    """
    e = electrolytes or Electrolytes.preset("normal")
    ref = Electrolytes.preset("normal")
    env = motor_axon_environment(e, ref, surface)
    src_e = f"electrolytes {e.name!r}"
    globals_ = {
        "celsius": Parameter(env["celsius"], "degC", src_e, "Temperature", (0.0, 50.0)),
        "Na_o": Parameter(env["Na_o"], "mM", src_e, "Extracellular Na", (1e-3, 1e4)),
        "Na_i": Parameter(env["Na_i"], "mM", AXON_CYTOSOL["na_in"][1] if e.na_in is None else src_e,
                          "Axoplasmic Na", (1e-3, 1e4)),
        "K_o": Parameter(env["K_o"], "mM", src_e, "Extracellular K", (1e-3, 1e4)),
        "K_i": Parameter(env["K_i"], "mM", AXON_CYTOSOL["k_in"][1] if e.k_in is None else src_e,
                         "Axoplasmic K", (1e-3, 1e4)),
        "dV_surface": Parameter(
            env["dV_surface"], "mV",
            f"Gouy-Chapman-Stern shift vs normal plasma ({surface.source})",
            "Gating shift from Ca/Mg surface-charge screening and binding", (-200.0, 200.0),
        ),
    }
    # The leak P_Na/P_K is fixed once, in the reference solution, so that the leak then
    # follows K and Na like a real mixed conductance instead of being re-fitted per condition.
    r_cyto_na = AXON_CYTOSOL["na_in"][0]
    r_cyto_k = AXON_CYTOSOL["k_in"][0]
    ratio = _leak_ratio(ref.k, r_cyto_k, ref.na, r_cyto_na, ref.celsius)
    nap = {} if nap_fraction is None else {"fraction": nap_fraction}
    comps = [
        Membrane("membrane", parameters={"C_m": Parameter(
            2.8, "uF/cm2", f"{_WES}: 1.4 pF per 50 um2 node", "Nodal capacitance", (1e-3, 100.0))}),
        SRBSodium("naf"),
        SRBPersistentSodium("nap", parameters=nap),
        SRBFastPotassium("kf"),
        SRBSlowPotassium("ks"),
        ReversalLeak("leak", parameters={"g": Parameter(
            60.0, "mS/cm2", f"{_WES}: 30 nS per 50 um2 node", "Leak conductance", (0.0, 1e5))}),
        Nernst("E_K", "K", 1),
        GHKLeakReversal("E_L", parameters={"ratio": Parameter(
            ratio, "1",
            "derived: puts the leak reversal at the SRB model's -84 mV in normal plasma",
            "P_Na/P_K of the leak", (0.0, 100.0))}),
    ]
    model = Model(
        "motor_axon_node",
        comps,
        globals_,
        citation=(
            "Schwarz, Reid & Bostock 1995 Pflugers Arch 430:283; Wesselink et al. 1999; "
            "persistent Na: Hennings et al. 2005"
        ),
        description=(
            f"Human motor-axon node of Ranvier at {e.celsius:g} C in {e.name!r} electrolytes; "
            "GHK Na, Nernst K, GHK-reversal leak, Ca/Mg surface-charge gating shift."
        ),
    )
    model.electrolytes = e
    model.environment = functools.partial(motor_axon_environment, reference=ref, surface=surface)
    return model
