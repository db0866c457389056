"""A mammalian fast-twitch skeletal-muscle fibre: surface membrane plus a lumped t-tubule,
driven by the electrolytes.

Channels, pump and tubule are those of Wallinga et al. (1999), as transcribed by Shorten et
al. (2007, CellML) and Senneff & Lowery (2021, code), at 37 C with the Senneff & Lowery
Q10s (:mod:`neuromuscle.components.muscle_wallinga`, docs/models/muscle_fibre.md). The
surface membrane (potential ``V``) carries Na (fast and slow inactivation), delayed-rectifier
K, inward-rectifier K (Standen-Stanfield K_o dependence), ClC-1, the Na/K pump, a GHK Na
background and an optional non-selective cation leak. The tubular membrane (potential ``u``,
``gamma`` = 4.8 cm2 per cm2 of surface) carries the same channels at densities ``eta`` times
the surface ones and is reached through the access resistance ``R_a``; K leaving the
tubular membrane accumulates in the lumen (``K_t``).

How the electrolytes enter: Nernst potentials of Na, K and Cl; K_o in the inward rectifier
(conductance and block) and the pump; Na_o in the pump; Ca and Mg through the surface
potential (a gating shift, as for the axon). Intracellular Na, K and Cl are parameters:
an *acute* change of the plasma keeps them, :func:`fibre_states` with ``mode="chloride"``
or ``"chronic"`` lets them re-settle (see its docstring).
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field

import numpy as np

from .._validate import check_real
from ..citations import cite
from ..components.base import Parameter
from ..components.environment import IonicEnvironment
from ..components.ghk import Nernst
from ..components.membrane import AccessResistance, Membrane, TubularMembrane
from ..components.muscle_wallinga import (
    CationLeak,
    ClC1Chloride,
    GHKBackground,
    InwardRectifier,
    NaKPump,
    TubularPotassium,
    WallingaDelayedRectifier,
    WallingaSodium,
)
from ..components.surface_charge import SurfaceChargeShift
from ..electrochem import HILLE_1975, SurfaceCharge, ghk_current_density, ghk_voltage, rt_over_f
from ..electrolytes import FIELD_OF_PARAMETER, Electrolytes, as_electrolytes, model_parameters
from ..model import Model
from ..steady import Equilibrium, jacobian
from .motor_axon import surface_ions

__all__ = [
    "muscle_fibre", "muscle_environment", "FIBRE_ELECTROLYTES", "MUSCLE_CYTOSOL", "RESTING_TARGETS", "NA_CONDUCTANCE",
    "NA_CONDUCTANCE_RANGE", "TUBULAR_DENSITY", "GATING_RATE_REFERENCES",
    "FibreState", "fibre_states",
    "ion_currents", "cation_permeability",
]

_SL = f"{cite('senneff2021')} (code defaults, 37 C fast-twitch fibre)"
#: Parameters holding the temperature (C) at which the Na and K gating rates apply, surface
#: and tubule: set them together to refer the fibre's gating to another temperature (the
#: sources differ, docs/models/muscle_fibre.md)
GATING_RATE_REFERENCES = ("na.celsius_ref_rates", "na_t.celsius_ref_rates", "kdr.celsius_ref_rates",
                          "kdr_t.celsius_ref_rates")
_TX = (f"{cite('wallinga1999')} as transcribed in the Shorten et al. 2007 CellML and the Senneff & Lowery "
       "2021 code (docs/research/muscle_membrane.md)")

#: Myoplasmic Na and K, mM, used when the Electrolytes object gives none: the values the
#: Wallinga-lineage model is run with. Na_i 14.7 is at the top of measured free Na (about
#: 10-14 mM, e.g. Juel 1986 Pflugers Arch 406:458); K_i 154.5 is within measured 150-180 mM.
#: Myoplasmic Cl is not a fixed number: it is passively distributed at rest (see
#: :data:`RESTING_TARGETS`), about 4.3 mM in normal plasma.
MUSCLE_CYTOSOL = {
    "na_in": (14.7, _SL),
    "k_in": (154.5, _SL),
}

_PB77 = f"{cite('palade1977')} (rat diaphragm, 37 C, cable analysis)"

#: Measured resting properties the fibre's resting conductances are calibrated to, in
#: normal plasma with K_o = 4 mM at 37 C: (value, unit, source). Wallinga's published
#: resting conductances are far above measured ones (Kir about 40 times, ClC-1 about 8
#: times; docs/models/muscle_fibre.md), so Kir, ClC-1 and pump densities (surface and
#: tubule alike) and the background Na permeability are solved for so that these hold.
RESTING_TARGETS = {
    "v_rest": (-85.0, "mV", f"{cite('jurkatrott2009')}: normal fibres rest near -85 mV at K_o 4 mM "
               "(state P1)"),
    "k_o": (4.0, "mM", "Jurkat-Rott et al. 2009 (the K_o of the -85 mV rest)"),
    "g_k": (0.34, "mS/cm2", f"{_PB77}: resting non-Cl (K) slope conductance per cm2 of surface"),
    "g_cl": (2.11, "mS/cm2", f"{_PB77}: resting Cl slope conductance per cm2 of surface"),
}
_PASSIVE_CL = (f"{cite('mccaig1984')} (rat EDL, Cl passively distributed); Aickin et al. 1989 "
               "J Physiol 411:437 (E_Cl within 3 mV of rest)")
_NA_BALANCE = "myoplasmic Na stationary at rest: Na entering = 3x the pump current (pump-leak balance)"

#: Peak Na conductance, mS/cm2 at 20 C (Wallinga's 804 is several times any measured value).
#: Almers, Roberts & Ruff 1984 J Physiol 347:751 measured 100-250 mS/cm2 in rat muscle
#: (loose patch, 23 C): :data:`NA_CONDUCTANCE_RANGE`. The default is the middle of that
#: range, referred to 20 C with the conductance Q10 of 1.5. Where in the range it lies
#: sets the K_o below which a normal fibre is bistable (docs/models/muscle_fibre.md).
NA_CONDUCTANCE_RANGE = (100.0 / 1.5 ** 0.3, 250.0 / 1.5 ** 0.3)
NA_CONDUCTANCE = (175.0 / 1.5 ** 0.3, f"{cite('almers1984')}: rat 100-250 mS/cm2 at 23 C; "
                  "middle value, referred to 20 C with Q10 1.5")

#: Tubular channel density relative to the surface (``eta``), Wallinga et al. 1999.
TUBULAR_DENSITY = {"na": 0.1, "kdr": 0.45, "kir": 1.0, "cl": 0.1, "pump": 0.1}

_SCALED = {"kir": ("kir.G", "kir_t.G"), "cl": ("cl.g", "cl_t.g"), "pump": ("pump.I_max", "pump_t.I_max")}


#: The electrolyte parameters of :func:`muscle_fibre`.
FIBRE_ELECTROLYTES = ("celsius", "Na_o", "K_o", "Cl_o", "Ca_o", "Mg_o", "HCO3_o", "Na_i", "K_i", "Cl_i")


def muscle_environment(electrolytes: Electrolytes, reference: Electrolytes | None = None) -> dict[str, float]:
    """Parameters of :func:`muscle_fibre` that put it in ``electrolytes``.

    Extracellular ions and the temperature; intracellular values only when the
    Electrolytes object gives them (an acute change keeps the fibre's own); the
    ``reference`` solution of the gating shift if given. Equivalent to
    :func:`neuromuscle.electrolytes.model_parameters` on the model.
    """
    electrolytes = as_electrolytes("electrolytes", electrolytes)
    env = {par: float(getattr(electrolytes, FIELD_OF_PARAMETER[par])) for par in FIBRE_ELECTROLYTES
           if getattr(electrolytes, FIELD_OF_PARAMETER[par]) is not None}
    if reference is not None:
        env.update({f"surface.{ion}_ref": float(v) for ion, v in surface_ions(reference).items() if ion != "A"})
    return env


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
        Nernst("E_K", "K", 1), Nernst("E_Na", "Na", 1), Nernst("E_Cl", "Cl", -1),
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
            Nernst("E_K_t", "K", 1, inputs={"celsius": "celsius", "c_out": "K_t", "c_in": "K_i"},
                   rename={"E_K": "E_K_t"}),
        ]
    model = Model(
        "muscle_fibre", comps,
        citation=(f"{cite('wallinga1999')}; Q10s: Senneff & Lowery 2021; resting "
                  "conductances calibrated to Palade & Barchi 1977 and Jurkat-Rott et al. 2009"),
        description=(f"Mammalian fast-twitch muscle fibre at {e.celsius:g} C in {e.name!r} electrolytes: "
                     + ("surface + t-tubule" if tubule else "surface membrane only")),
        stiff=True,
        equilibrium_finder=_equilibria,
        electrolytes=e,
    )
    return model


def _published_values() -> dict:
    return {
        "na.g": (WallingaSodium.default_parameters()["g"].value, _TX),
        "kir.G": (InwardRectifier.default_parameters()["G"].value, _TX),
        "cl.g": (ClC1Chloride.default_parameters()["g"].value, _TX),
        "pump.I_max": (NaKPump.default_parameters()["I_max"].value, _TX),
        "Cl_i": (5.83, f"{_SL} (above passive distribution)"),
        "cation_leak.P": (0.0, "off"),
    }


@functools.lru_cache(maxsize=4)
def _published(tubule: bool) -> dict:
    """Wallinga's densities plus the background Na permeability from the pump-leak balance in
    normal plasma (cached): ``{parameter: (value, source)}``."""
    ref = Electrolytes.preset("normal").replace(celsius=37.0)
    values = {**_published_values(), "background.P_Na": (0.0, "trial")}
    model = _build(ref, Electrolytes.preset("normal"), HILLE_1975, values, tubule)
    p = model.parameter_vector()
    i_bg = model.parameter_index["background.P_Na"]
    for _ in range(30):
        y = _states(model, p, "acute", 0.0, (-120.0, -40.0), 321)[0][0]
        cur = ion_currents(model, y, p)
        # Na current needed from the background: minus (3 I_pump + other Na currents)
        need = -(cur["Na"] - cur["background.I_Na"])
        per_p = float(ghk_current_density(y[model.state_index["V"]], ref.na, MUSCLE_CYTOSOL["na_in"][0], 1.0,
                                          37.0))
        new = need / per_p
        done = abs(new - p[i_bg]) <= 1e-9 * abs(new)
        p[i_bg] = new
        if done:
            break
    src = ("derived: Na influx through all Na pathways equals 3x the pump current at rest in normal plasma, so "
           "myoplasmic Na is stationary there (pump-leak balance)")
    return {**_published_values(), "background.P_Na": (float(p[i_bg]), src)}


def _slope(model: Model, y, p, ion: str, dv: float = 1e-3) -> float:
    """Slope conductance (mS/cm2 of surface) of the current carried by ``ion``, with the
    surface and tubular potentials moved together and every other state held."""
    idx = [model.state_index[k] for k in ("V", "u") if k in model.state_index]
    up, down = y.copy(), y.copy()
    up[idx] += dv
    down[idx] -= dv
    return (ion_currents(model, up, p)[ion] - ion_currents(model, down, p)[ion]) / (2.0 * dv)


@functools.lru_cache(maxsize=8)
def _calibration(tubule: bool, g_na: float | None = None, sodium: type = WallingaSodium) -> dict:
    """Resting densities: ``{parameter: (value, source)}`` (cached).

    Solves, in normal plasma with K_o = 4 mM at 37 C, for the Kir, ClC-1 and pump densities
    (Wallinga's values times one factor each, surface and tubule alike), the background Na
    permeability and the myoplasmic Cl such that the fibre rests at ``RESTING_TARGETS``
    with the measured K and Cl slope conductances, Na stationary (pump-leak balance) and Cl
    passively distributed. All states are solved with them, so the result is an exact
    steady state. ``g_na``: peak Na conductance (mS/cm2 at 20 C) if not :data:`NA_CONDUCTANCE`.
    """
    na = NA_CONDUCTANCE if g_na is None else (g_na, "na_conductance argument of muscle_fibre")
    e = Electrolytes.preset("normal").replace(k=RESTING_TARGETS["k_o"][0], celsius=37.0)
    v_rest, g_k, g_cl = (RESTING_TARGETS[k][0] for k in ("v_rest", "g_k", "g_cl"))
    vt = rt_over_f(37.0)
    # Wallinga's densities are the base the scale factors multiply
    values = {**_published_values(), "na.g": na, "background.P_Na": (1e-7, "trial"),
              "Cl_i": (e.cl * np.exp(v_rest / vt), "trial")}
    model = _build(e, Electrolytes.preset("normal"), HILLE_1975, values, tubule, sodium)
    ip, n = model.parameter_index, len(model.state_names)
    p0 = model.parameter_vector()
    scaled = [[ip[name] for name in names if name in ip] for names in _SCALED.values()]
    log_states = [model.state_index["K_t"]] if tubule else []

    def unpack(z):
        y = z[:n].copy()
        y[log_states] = np.exp(y[log_states])
        p = p0.copy()
        for idx, f in zip(scaled, np.exp(z[n:n + 3])):
            p[idx] = p0[idx] * f
        p[ip["background.P_Na"]], p[ip["Cl_i"]] = np.exp(z[n + 3:])
        return y, p

    def residual(z):
        y, p = unpack(z)
        cur = ion_currents(model, y, p)
        return np.concatenate([model.rhs(0.0, y, p), [
            (y[model.state_index["V"]] - v_rest) / 10.0,
            _slope(model, y, p, "K") / g_k - 1.0,
            _slope(model, y, p, "Cl") / g_cl - 1.0,
            cur["Na"], cur["Cl"]]])

    # Start: the factors found for the published model (docs/models/muscle_fibre.md)
    x0 = np.log([0.033, 0.12, 0.42, 1e-7, p0[ip["Cl_i"]]])
    _, p_start = unpack(np.concatenate([np.zeros(n), x0]))
    y0 = _relaxed(model, np.array(v_rest), p_start, 0.0)
    z0 = np.concatenate([y0, x0])
    z0[log_states] = np.log(z0[log_states])
    from scipy import optimize  # imported when used (keeps `import neuromuscle` light)

    sol = optimize.root(residual, z0, method="hybr", tol=1e-12)
    if not np.all(np.abs(sol.fun) < 1e-8):
        raise RuntimeError(f"muscle fibre calibration did not converge (max residual {np.max(np.abs(sol.fun)):.3g})")
    _, p = unpack(sol.x)
    target = (f"fitted: rest {v_rest:g} mV at K_o {RESTING_TARGETS['k_o'][0]:g} mM, 37 C, with K slope "
              f"conductance {g_k:g} and Cl slope conductance {g_cl:g} mS/cm2 ({RESTING_TARGETS['v_rest'][2]}; {_PB77})")
    out = {"na.g": na, "cation_leak.P": (0.0, "off")}
    for names, idx in zip(_SCALED.values(), scaled):
        factor = p[idx[0]] / p0[idx[0]]
        out[names[0]] = (float(p[idx[0]]), f"{target}: Wallinga's value times {factor:.4g}")
    out["background.P_Na"] = (float(p[ip["background.P_Na"]]), f"{target}; {_NA_BALANCE}")
    out["Cl_i"] = (float(p[ip["Cl_i"]]), f"derived: passive distribution at the calibrated rest ({_PASSIVE_CL})")
    return out


def muscle_fibre(
    electrolytes: Electrolytes | None = None,
    *,
    cation_leak: float = 0.0,
    tubule: bool = True,
    surface: SurfaceCharge = HILLE_1975,
    resting: str = "calibrated",
    na_conductance: float | None = None,
    sodium: type = WallingaSodium,
) -> Model:
    """A mammalian fast-twitch skeletal-muscle fibre (surface membrane + t-tubule).

    Parameters
    ----------
    electrolytes : Electrolytes, optional
        The ionic environment (default normal plasma, 37 C). Intracellular Na, K, Cl come
        from it when given, else from :data:`MUSCLE_CYTOSOL` and the calibrated passive Cl.
    cation_leak : float
        Conductance of an added non-selective cation leak, mS/cm2, as its chord conductance
        at -85 mV in normal plasma (hypokalaemic periodic paralysis fibres: 0.012-0.0195,
        Jurkat-Rott et al. 2009). Converted to a GHK permeability by
        :func:`cation_permeability`.
    tubule : bool
        Include the t-tubular compartment (default). Without it the model is the surface
        membrane alone.
    surface : SurfaceCharge
        Surface-charge parameters for the Ca/Mg gating shift (default Hille et al. 1975).
    resting : {"calibrated", "published"}
        Densities that set the resting state. ``"calibrated"`` (default): Kir, ClC-1 and
        pump densities, background Na and Cl_i calibrated to the measured resting
        conductances and rest potential of :data:`RESTING_TARGETS`, and the measured peak
        Na conductance :data:`NA_CONDUCTANCE` (see Notes and docs/models/muscle_fibre.md).
        ``"published"``: Wallinga's channel densities and pump, Cl_i 5.83 mM, and a
        background Na permeability from the pump-leak balance in normal plasma; its
        resting K conductance is about 40 times the measured one.
    na_conductance : float, optional
        Peak Na conductance, mS/cm2 at 20 C (conductance Q10 1.5), for
        ``resting="calibrated"``; default :data:`NA_CONDUCTANCE`. The calibration is
        redone for it (the Na window current enters the Na balance).
    sodium : type
        Na channel class of the surface and tubular membranes (default
        :class:`~neuromuscle.components.muscle_wallinga.WallingaSodium`; with
        ``resting="calibrated"`` the resting densities are calibrated with it).

    Returns
    -------
    Model
        States ``V``, gates, and (with the tubule) ``u``, tubular gates and ``K_t``. Global
        parameters ``celsius, Na_o, Na_i, K_o, K_i, Cl_o, Cl_i, ATP_i, dV_surface``. Declared stiff
        (slow inactivation time constants of tens of seconds next to 0.02 ms Na activation).

    Notes
    -----
    Channel kinetics are Wallinga's. With ``resting="calibrated"`` the *densities* that set
    the resting state are not. Wallinga's resting K and Cl conductances are many times the measured ones, so the Kir,
    ClC-1 and pump densities, a background Na permeability (Wallinga has none) and the
    myoplasmic Cl are calibrated once, for normal plasma with K_o 4 mM at 37 C, to the
    measured resting K and Cl conductances and rest potential in :data:`RESTING_TARGETS`,
    with myoplasmic Na stationary (pump-leak balance) and Cl passively distributed. The
    peak Na conductance is the measured one (:data:`NA_CONDUCTANCE`). Nothing is re-fitted
    per condition: every other electrolyte state follows from the equations.
    """
    e = as_electrolytes("electrolytes", electrolytes, default="normal")
    ref = Electrolytes.preset("normal")
    if check_real("cation_leak", cation_leak) < 0:
        raise ValueError(f"cation_leak must be >= 0 mS/cm2, got {cation_leak}")
    if resting == "calibrated":
        values = dict(_calibration(tubule, na_conductance, sodium))
    elif resting == "published" and na_conductance is None and sodium is WallingaSodium:
        values = dict(_published(tubule))
    else:
        raise ValueError("resting must be 'published' or 'calibrated' (na_conductance and sodium only with "
                         f"'calibrated'), got {resting!r}")
    values["cation_leak.P"] = (cation_permeability(cation_leak),
                               f"input: cation_leak = {cation_leak:g} mS/cm2 (chord at -85 mV) argument of "
                               "muscle_fibre "
                               "(Jurkat-Rott et al. 2009: 12-19.5 uS/cm2 in HypoPP fibres)")
    return _build(e, ref, surface, values, tubule, sodium)


def ion_currents(model: Model, y, p=None) -> dict[str, float]:
    """Membrane current carried by each ion, uA per cm2 of *surface* (tubular currents times
    ``gamma``), outward positive; also every contributing output by name. Floats for one
    state; arrays for states given as columns.

    Uses the ``carries`` declarations of the outputs (the pump counts as 3 Na out and 2 K
    in). The access current carries no net ion across the membrane and is not counted.
    """
    obs = model.observables(0.0, y, p)
    gamma = 1.0
    if "access.gamma" in model.parameter_index:
        pv = model.parameter_vector() if p is None else p
        gamma = np.asarray(pv, dtype=float)[model.parameter_index["access.gamma"]]
    out: dict[str, float] = {}
    for comp in model.components:
        for o in comp.outputs:
            if not o.carries:
                continue
            name = comp.output_name(o)
            weight = gamma if comp.sum_name(o) == "I_ion_t" else 1.0
            value = np.asarray(obs[name], dtype=float) * weight
            value = float(value) if value.ndim == 0 else value
            out[name] = value
            for ion, factor in o.carries:
                out[ion] = out.get(ion, 0.0) + factor * value
    return out


@dataclass
class FibreState:
    """A steady state of the fibre.

    Attributes
    ----------
    v : float
        Surface membrane potential, mV.
    stable : bool
        Stable with the intracellular ions held (fast stability) and, for ``"chloride"``
        and ``"chronic"``, also against the slow ion movement (the reduced current-voltage
        relation with Cl at equilibrium rises through the point).
    mode : str
        ``"acute"``, ``"chloride"`` or ``"chronic"``.
    y : ndarray
        Full state vector.
    params : dict
        Parameter overrides that reproduce the state (intracellular ions and, when
        electrolytes were given, the extracellular ions and temperature); pass to
        :func:`~neuromuscle.simulate` as ``params``.
    equilibrium : Equilibrium
        Eigenvalues etc. with the intracellular ions held.
    """

    v: float
    stable: bool
    mode: str
    y: np.ndarray
    params: dict[str, float] = field(default_factory=dict)
    equilibrium: Equilibrium | None = None

    @property
    def cytosol(self) -> dict[str, float]:
        """Myoplasmic Na, K, Cl (mM) of this state."""
        return {k: self.params[k] for k in ("Na_i", "K_i", "Cl_i")}


_MODES = ("acute", "chloride", "chronic")


def fibre_states(
    model: Model,
    electrolytes: Electrolytes | None = None,
    mode: str = "acute",
    v_range: tuple[float, float] = (-170.0, -20.0),
    n_grid: int = 3001,
) -> list[FibreState]:
    """All steady states of the fibre in ``electrolytes`` (default: the model's own), by
    how long the fibre has had to adapt.

    Parameters
    ----------
    model : Model
        From :func:`muscle_fibre`.
    electrolytes : Electrolytes, optional
        New extracellular ions (intracellular ones, if given, are used as the start).
    mode : {"acute", "chloride", "chronic"}
        ``"acute"``: seconds after the change; myoplasmic Na, K and Cl as before.
        ``"chloride"``: minutes; Cl has redistributed (ClC-1 is the largest resting
        conductance) until no net Cl current flows; Na and K as before.
        ``"chronic"``: hours; Na, K and Cl have re-settled under the pump until no net flux
        of any of them remains, at constant cell volume and fixed impermeant anion (so
        ``Na_i + K_i - Cl_i`` is conserved).
    v_range, n_grid
        Potentials scanned for equilibria (mV) and grid size.

    Returns
    -------
    list of FibreState
        Sorted by potential. Several stable states mean the fibre is bistable: which one
        it is in depends on its history. Empty (with a ``RuntimeWarning``) when none is
        found, e.g. in chronic mode at K_o of a few tenths of a mM, where the pump cannot
        balance the Na leak.
    """
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}, got {mode!r}")
    base = {name: float(model.parameters[name].value) for name in ("Na_i", "K_i", "Cl_i")}
    e = as_electrolytes("electrolytes", electrolytes) if electrolytes is not None else model.electrolytes
    params = {**base, **model_parameters(model, e)} if e is not None else dict(base)
    p0 = model.parameter_vector(params)
    found = []
    for y, p_sol, eq, reduced_stable in _states(model, p0, mode, 0.0, v_range, n_grid):
        stable = eq.stable and (mode == "acute" or reduced_stable)
        out = {n: float(p_sol[model.parameter_index[n]]) for n in params}
        found.append(FibreState(eq.v, stable, mode, y, out, eq))
    if not found:
        hint = (" In chronic mode there may be none: a pump slowed by low K_o cannot balance the Na "
                "leak at constant volume." if mode == "chronic" else "")
        warnings.warn(f"fibre_states: no steady state found for V in {v_range} mV (mode {mode!r}).{hint}",
                      RuntimeWarning, stacklevel=2)
    return found


def _equilibria(model: Model, p=None, i_stim: float = 0.0, v_range=(-170.0, -20.0), n_grid: int = 3001):
    """Equilibrium finder for the fibre with fixed parameters (used by
    :func:`neuromuscle.steady.equilibria`): the generic one cannot guess ``u`` and ``K_t``."""
    p0 = model.parameter_vector() if p is None else np.asarray(p, dtype=float)[: len(model.parameter_names)]
    return [eq for _, _, eq, _ in _states(model, p0, "acute", i_stim, v_range, n_grid)]


def _states(model: Model, p0, mode, i_stim, v_range, n_grid):
    """Scan V, then solve each bracketed equilibrium exactly: (y, p, Equilibrium, reduced_stable)."""
    ip = model.parameter_index
    iv = model.state_index["V"]
    vt = rt_over_f(float(p0[ip["celsius"]]))
    grid = np.linspace(*v_range, n_grid)
    pg = np.repeat(p0[:, None], n_grid, axis=1)
    conserved = p0[ip["Na_i"]] + p0[ip["K_i"]] - p0[ip["Cl_i"]]
    if mode != "acute":  # no net Cl current (and, chronic, no net Na flux) at every grid potential
        pg[ip["Cl_i"]] = p0[ip["Cl_o"]] * np.exp(grid / vt)
        for _ in range(2):
            # E_Cl lies between V and u (their Cl currents cancel): one secant step in E_Cl on
            # the (ohmic) Cl current, then re-relax the tubule
            yg = _relaxed(model, grid, pg, i_stim)
            i_cl = ion_currents(model, yg, pg)["Cl"]
            shifted = pg.copy()
            shifted[ip["Cl_i"]] *= np.exp(0.01 / vt)
            d_e = -0.01 * i_cl / (ion_currents(model, yg, shifted)["Cl"] - i_cl)
            pg[ip["Cl_i"]] *= np.exp(d_e / vt)
            if mode == "chronic":
                _balance_sodium(model, yg, pg, conserved)
    yg = _relaxed(model, grid, pg, i_stim)
    fgrid = model.rhs(0.0, yg, pg, i_stim)[iv]
    unknown = {"acute": [], "chloride": ["Cl_i"], "chronic": ["Cl_i", "Na_i", "K_i"]}[mode]
    found = []
    for k in np.flatnonzero(np.sign(fgrid[:-1]) * np.sign(fgrid[1:]) < 0):
        x0 = np.concatenate([yg[:, k], [pg[ip[n], k] for n in unknown]])
        sol = _solve(model, p0, x0, unknown, conserved, i_stim)
        if sol is None:
            continue
        y, values = sol
        p_sol = p0.copy()
        for n, val in zip(unknown, values):
            p_sol[ip[n]] = val
        if any(abs(f[0][iv] - y[iv]) < 1e-6 for f in found):
            continue
        eig = np.linalg.eigvals(jacobian(model, y, p_sol, i_stim))
        eq = Equilibrium(float(y[iv]), y, eig[np.argsort(-eig.real)], float(i_stim))
        found.append((y, p_sol, eq, bool(fgrid[k] > 0 > fgrid[k + 1])))
    return sorted(found, key=lambda f: f[2].v)


def _balance_sodium(model: Model, y, p, conserved, n_iter: int = 40) -> None:
    """Set myoplasmic Na in every column of ``p`` (in place) so that no net Na flux flows, with
    K_i = conserved - Na_i + Cl_i (constant volume); bisection on log Na_i (the net Na efflux
    rises with Na_i: the pump speeds up and the inward driving force falls). Used by the
    chronic scan, whose states can carry several times the normal Na."""
    ip = model.parameter_index
    lo = np.full(p.shape[1], np.log(0.1))
    hi = np.log(np.maximum(conserved + p[ip["Cl_i"]] - 1.0, 0.2))  # K_i stays >= 1 mM
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        p[ip["Na_i"]] = np.exp(mid)
        p[ip["K_i"]] = conserved - p[ip["Na_i"]] + p[ip["Cl_i"]]
        efflux = ion_currents(model, y, p)["Na"] > 0
        hi = np.where(efflux, mid, hi)
        lo = np.where(efflux, lo, mid)
    p[ip["Na_i"]] = np.exp(0.5 * (lo + hi))
    p[ip["K_i"]] = conserved - p[ip["Na_i"]] + p[ip["Cl_i"]]


def _relaxed(model: Model, v, p, i_stim, n_iter: int = 40):
    """States at surface potential ``v`` with every gate at its steady state and the
    tubule (potential ``u``, lumen K ``K_t``) at its own balance.

    The tubule is not at ``v``: its membrane differs from the surface one (pump and Kir
    densities, lumen K), so at rest a steady current flows through the access resistance
    and ``u`` differs from ``v`` by a fraction of a mV to a few mV. Against resting
    conductances of a few mS/cm2 that offset matters, so ``u`` is solved for too: Newton on
    (u, log K_t) from u = v, with nested bisection for any point where Newton fails.
    """
    y = model.quasi_steady_state(v, p, i_stim)
    if "u" not in model.state_index:
        if "K_t" in model.state_index:
            y[model.state_index["K_t"]] = _lumen_k(model, y, p, i_stim, model.state_index["K_t"], n_iter)
        return y
    iu, ik = model.state_index["u"], model.state_index["K_t"]
    tubular = _tubular_gates(model)

    def at(u, log_k, base, pp):
        return _compose(model, base[model.state_index["V"]], u, np.exp(log_k), pp, i_stim, tubular, base)

    def f(u, log_k, base, pp):
        d = model.rhs(0.0, at(u, log_k, base, pp), pp, i_stim)
        return d[iu], d[ik] / np.exp(log_k)  # relative rate for K_t

    u = np.array(y[iu], dtype=float)
    log_k = np.log(_lumen_k(model, y, p, i_stim, ik, n_iter))
    with np.errstate(all="ignore"):
        for _ in range(15):
            fu, fk = f(u, log_k, y, p)
            fu_u, fk_u = f(u + 1e-4, log_k, y, p)
            fu_k, fk_k = f(u, log_k + 1e-6, y, p)
            a, b = (fu_u - fu) / 1e-4, (fu_k - fu) / 1e-6
            c, d = (fk_u - fk) / 1e-4, (fk_k - fk) / 1e-6
            det = a * d - b * c
            du = np.clip((-fu * d + b * fk) / det, -5.0, 5.0)
            dk = np.clip((-a * fk + c * fu) / det, -0.5, 0.5)
            u, log_k = u + np.nan_to_num(du), log_k + np.nan_to_num(dk)
        fu, fk = f(u, log_k, y, p)
    bad = ~((np.abs(fu) < 1e-9) & (np.abs(fk) < 1e-9) & np.isfinite(u) & np.isfinite(log_k))
    if np.any(bad):  # fall back to nested bisection on those points
        cols = np.flatnonzero(np.atleast_1d(bad))
        pp = p[:, cols] if np.ndim(p) == 2 else p
        sub = y[:, cols] if y.ndim == 2 else y
        lo, hi = sub[iu] - 40.0, sub[iu] + 40.0
        for _ in range(n_iter):
            mid = 0.5 * (lo + hi)
            trial = at(mid, 0.0, sub, pp)
            trial[ik] = _lumen_k(model, trial, pp, i_stim, ik, n_iter)
            up = model.rhs(0.0, trial, pp, i_stim)[iu] > 0
            lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
        trial = at(0.5 * (lo + hi), 0.0, sub, pp)
        k_sub = _lumen_k(model, trial, pp, i_stim, ik, n_iter)
        if y.ndim == 2:
            u[cols], log_k[cols] = trial[iu], np.log(k_sub)
        else:
            u, log_k = trial[iu], np.log(k_sub)
    return at(u, log_k, y, p)


def _lumen_k(model: Model, y, p, i_stim, ik, n_iter):
    """Tubular K at its balance for the other states in ``y``, by bisection on log K_t.

    dK_t/dt is positive for K_t -> 0 and negative for large K_t, but not monotone in between
    (Kir conductance rises with K_t), so Newton from K_o can walk away from the root.
    """
    y = y.copy()
    lo = np.full(np.shape(y[ik]), np.log(1e-3))
    hi = np.full(np.shape(y[ik]), np.log(2000.0))
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        y[ik] = np.exp(mid)
        up = model.rhs(0.0, y, p, i_stim)[ik] > 0
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    return np.exp(0.5 * (lo + hi))


def _compose(model: Model, v, u, k_t, p, i_stim, tubular, surface=None):
    """Full state with the surface gates at steady state at ``v``, the tubular ones at ``u``.
    ``surface``: the quasi-steady state at ``v`` if already computed."""
    y = model.quasi_steady_state(v, p, i_stim) if surface is None else surface.copy()
    if "u" in model.state_index:
        y[tubular] = model.quasi_steady_state(u, p, i_stim)[tubular]
        y[model.state_index["u"]] = u
    if "K_t" in model.state_index:
        y[model.state_index["K_t"]] = k_t
    return y


def _tubular_gates(model: Model) -> list[int]:
    return [model.state_index[c.state_name(s)] for c in model.components
            if c.inputs.get("V") == "u" for s in c.states if not s.shared]


def _solve(model: Model, p0, x0, unknown, conserved, i_stim=0.0):
    """Root of rhs = 0 plus, per unknown ion, its balance; None if it fails.

    At a steady state every gate sits at its steady-state value, so only the potentials
    ``V`` and ``u``, the lumen K and the unknown myoplasmic ions are solved for (a small,
    well-scaled system); the full right-hand side is checked at the end. Concentrations are
    solved for in log space so that Newton steps cannot make them negative.
    """
    ip, si = model.parameter_index, model.state_index
    n = len(model.state_names)
    tubular = _tubular_gates(model)
    slow = [si[k] for k in ("u", "K_t") if k in si]
    has_k = "K_t" in si

    def unpack(z):
        v = z[0]
        u = z[1] if "u" in si else v
        k_t = np.exp(z[1 + ("u" in si)]) if has_k else 1.0
        p = p0.copy()
        for j, name in enumerate(unknown):
            p[ip[name]] = np.exp(z[1 + len(slow) + j])
        return _compose(model, v, u, k_t, p, i_stim, tubular), p

    def residual(z):
        y, p = unpack(z)
        d = model.rhs(0.0, y, p, i_stim)
        r = [d[si["V"]]] + [d[k] / (y[k] if k == si.get("K_t") else 1.0) for k in slow]
        if unknown:
            cur = ion_currents(model, y, p)
            r.append(cur.get("Cl", 0.0))
            if "Na_i" in unknown:
                ions = p[[ip["Cl_i"], ip["Na_i"], ip["K_i"]]]
                r.append(cur.get("Na", 0.0))
                r.append((ions[1] + ions[2] - ions[0] - conserved) / conserved)
        return np.asarray(r)

    x0 = np.asarray(x0, dtype=float)
    z0 = [x0[si["V"]]] + ([x0[si["u"]]] if "u" in si else []) + ([np.log(x0[si["K_t"]])] if has_k else [])
    z0 = np.array(z0 + list(np.log(x0[n:])))

    def err(z):
        if not np.all(np.isfinite(z)):
            return np.inf
        y, p = unpack(z)
        return max(np.max(np.abs(residual(z))), np.max(np.abs(model.rhs(0.0, y, p, i_stim))))

    from scipy import optimize

    with np.errstate(all="ignore"):
        z = optimize.root(residual, z0, method="hybr", tol=1e-13).x
        if err(z) > 1e-8:  # Powell's hybrid method can stall near folds: Levenberg-Marquardt, then polish
            z = optimize.root(residual, z0, method="lm", options={"maxiter": 2000, "xtol": 1e-15}).x
            if np.all(np.isfinite(z)):
                z = optimize.root(residual, z, method="hybr", tol=1e-13).x
        if err(z) > 1e-8:
            return None
    y, p = unpack(z)
    return y, np.array([p[ip[name]] for name in unknown])
