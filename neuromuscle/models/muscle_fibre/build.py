"""The fibre's components and how they are put together: cytosol, tubular densities,
electrolyte parameters and the model builder the factory and the calibration share."""

from __future__ import annotations

from ...citations import cite
from ...components.base import Parameter
from ...components.declarations import ModelDeclarations
from ...components.environment import IonicEnvironment
from ...components.ghk import Nernst
from ...components.membrane import AccessResistance, Membrane, TubularMembrane
from ...components.muscle_wallinga import (
    WALLINGA_TRANSCRIBED,
    CationLeak,
    ClC1Chloride,
    GHKBackground,
    InwardRectifier,
    NaKPump,
    TubularPotassium,
    WallingaDelayedRectifier,
    WallingaSodium,
)
from ...components.surface_charge import SurfaceChargeShift
from ...electrochem import SurfaceCharge, ghk_current_density, ghk_voltage
from ...electrolytes import Electrolytes, as_electrolytes
from ...model import Model
from .steady_state import _equilibria

_SL = f"{cite('senneff2021')} (code defaults, 37 C fast-twitch fibre)"
#: Parameters holding the temperature (C) at which the Na and K gating rates apply, surface
#: and tubule: set them together to refer the fibre's gating to another temperature (the
#: sources differ, docs/models/muscle_fibre.md)
GATING_RATE_REFERENCES = ("na.celsius_ref_rates", "na_t.celsius_ref_rates", "kdr.celsius_ref_rates",
                          "kdr_t.celsius_ref_rates")
_TX = WALLINGA_TRANSCRIBED

#: Myoplasmic Na and K, mM, used when the Electrolytes object gives none: the values the
#: Wallinga-lineage model is run with. Na_i 14.7 is at the top of measured free Na (about
#: 10-14 mM, e.g. Juel 1986 Pflugers Arch 406:458); K_i 154.5 is within measured 150-180 mM.
#: Myoplasmic Cl is not a fixed number: it is passively distributed at rest (see
#: :data:`RESTING_TARGETS`), about 4.3 mM in normal plasma.
MUSCLE_CYTOSOL = {
    "na_in": (14.7, _SL),
    "k_in": (154.5, _SL),
}

#: Tubular channel density relative to the surface (``eta``), Wallinga et al. 1999.
TUBULAR_DENSITY = {"na": 0.1, "kdr": 0.45, "kir": 1.0, "cl": 0.1, "pump": 0.1}


#: The electrolyte parameters of :func:`muscle_fibre`.
FIBRE_ELECTROLYTES = ("celsius", "Na_o", "K_o", "Cl_o", "Ca_o", "Mg_o", "HCO3_o", "Na_i", "K_i", "Cl_i")


def cation_permeability(g: float, v: float = -85.0, electrolytes: Electrolytes | None = None,
                        cytosol: dict[str, float] | None = None) -> float:
    """Permeability P (cm/s) of a non-selective cation pathway (``P_Na = P_K = P``) whose
    chord conductance at ``v`` (mV) in ``electrolytes`` (default normal plasma) is ``g``
    (mS/cm2). Converts a measured leak conductance such as Jurkat-Rott et al.'s 12-19.5
    uS/cm2 into the GHK form used by :class:`~neuromuscle.components.muscle_wallinga.CationLeak`.
    """
    e = as_electrolytes("electrolytes", electrolytes, default="normal")
    c = cytosol or {k: MUSCLE_CYTOSOL[k][0] for k in MUSCLE_CYTOSOL}
    i_per_p = (ghk_current_density(v, e.na, c["na_in"], 1.0, e.celsius)
               + ghk_current_density(v, e.k, c["k_in"], 1.0, e.celsius))
    e_rev = ghk_voltage([1.0, 1.0], [e.na, e.k], [c["na_in"], c["k_in"]], [1, 1], e.celsius)
    return float(g * (v - e_rev) / i_per_p)


def _build(e: Electrolytes, ref: Electrolytes, surface: SurfaceCharge, values: dict, tubule: bool,
           sodium: type = WallingaSodium) -> Model:
    """The fibre with surface densities ``values`` (parameter name -> (value, source); a density
    not given keeps the component's default); the tubular densities are ``eta`` times the
    surface ones."""
    cytosol = {"Na_i": MUSCLE_CYTOSOL["na_in"], "K_i": MUSCLE_CYTOSOL["k_in"], "Cl_i": values["Cl_i"]}

    def density(cls, name, par, eta=1.0, **kw):
        base = cls.default_parameters()[par]
        value, source = values.get(f"{name.removesuffix('_t')}.{par}", (base.value, base.source))
        if eta != 1.0:
            value, source = eta * value, f"{source}; times eta = {eta} ({_TX})"
        return cls(name, parameters={par: base.with_value(value, source)}, **kw)

    atp = {"ATP_i": Parameter(8.0, "mM", f"{cite('baylor1998')} (8 mM total myoplasmic "
                              "ATP)", "Myoplasmic ATP (drives the Na/K pump)", (0.0, 100.0))}
    p_bg, src_bg = values["background.P_Na"]
    p_cat, src_cat = values["cation_leak.P"]
    comps = [
        IonicEnvironment.from_electrolytes(e, FIBRE_ELECTROLYTES, cytosol),
        # the pump's fixed ATP (a fibre with EC coupling replaces it by the myoplasm's MgATP)
        IonicEnvironment("myoplasm", atp),
        SurfaceChargeShift("surface", surface),
        Membrane("membrane", parameters={"C_m": Parameter(1.0, "uF/cm2", _TX, "Specific capacitance",
                                                          (1e-3, 100.0))}),
        density(sodium, "na", "g"), density(WallingaDelayedRectifier, "kdr", "g"),
        density(InwardRectifier, "kir", "G"),
        density(ClC1Chloride, "cl", "g"), density(NaKPump, "pump", "I_max"),
        GHKBackground("background", parameters={"P_Na": Parameter(
            p_bg, "cm/s", src_bg, "Background Na permeability", (0.0, 1.0))}),
        CationLeak("cation_leak", parameters={"P": Parameter(
            p_cat, "cm/s", src_cat, "Non-selective cation leak permeability", (0.0, 1.0))}),
        Nernst("E_K", "K"), Nernst("E_Na", "Na"), Nernst("E_Cl", "Cl"),
    ]
    if tubule:
        t = {"V": "u", "I_ion": "I_ion_t"}
        eta = TUBULAR_DENSITY
        comps += [
            TubularMembrane("tubule"), AccessResistance("access"), TubularPotassium("k_tubule"),
            density(sodium, "na_t", "g", eta["na"], rename=t),
            density(WallingaDelayedRectifier, "kdr_t", "g", eta["kdr"], rename=t, inputs={"E": "E_K_t"}),
            density(InwardRectifier, "kir_t", "G", eta["kir"], rename=t, inputs={"K_o": "K_t", "E": "E_K_t"}),
            density(ClC1Chloride, "cl_t", "g", eta["cl"], rename=t),
            density(NaKPump, "pump_t", "I_max", eta["pump"], rename=t, inputs={"K_o": "K_t"}),
            Nernst("E_K_t", "K", inputs={"celsius": "celsius", "c_out": "K_t", "c_in": "K_i"},
                   rename={"E_K": "E_K_t"}),
        ]
    # the resting-state search travels with the components (a recomposed fibre keeps it)
    comps.append(ModelDeclarations(components=[c.name for c in comps], equilibrium_finder=_equilibria,
                                   stiff=True, electrolytes=e))
    model = Model(
        "muscle_fibre", comps,
        citation=(f"{cite('wallinga1999')}; Q10s: {cite('senneff2021')}; resting conductances calibrated "
                  f"to {cite('palade1977')} and {cite('jurkatrott2009')}"),
        description=(f"Mammalian fast-twitch muscle fibre at {e.celsius:g} C in {e.name!r} electrolytes: "
                     + ("surface + t-tubule" if tubule else "surface membrane only")),
    )
    return model
