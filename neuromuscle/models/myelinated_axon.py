"""A myelinated human motor axon: MRG double cable with the Gaines et al. (2018) motor channels.

Geometry and cable constants: McIntyre, Richardson & Grill (2002) -- per internode two MYSA,
two FLUT and six STIN sections, every section one compartment (``nseg = 1``), axoplasmic
resistivity 70 Ohm cm, myelin 0.1 uF/cm2 and 1 mS/cm2 per lamella membrane (two membranes
per lamella), periaxonal spaces 2 nm (node, MYSA) and 4 nm (FLUT, STIN). Diameters, lengths
and lamella count for any fibre diameter from the Gaines et al. (2018) interpolation of the
MRG table (ModelDB 243841, ``motor_final.hoc``). Channels: :mod:`neuromuscle.components.mrg`.

How the electrolytes enter (the same names as every model of the package):

* ``Na_o``/``Na_i`` and ``K_o``/``K_i``: Nernst potentials of every Na and K current in every
  compartment. The axoplasmic Na and K defaults are those that make the Nernst potentials
  equal the published E_Na = +50 mV and E_K = -90 mV in normal plasma at 37 C.
* The leak reversal and the HCN reversal are GHK Na/K reversals whose permeability ratios are
  fixed once, in normal plasma, to give the published -90 and -54.9 mV; they then follow Na
  and K.
* Ca and Mg (and the other ions, through ionic strength): the Gouy-Chapman-Stern surface
  potential shift ``dV_surface`` applied to every gate of every compartment.
* ``celsius``: the Q10 of every rate, RT/F of every Nernst/GHK term.
* ``pump``: Na/K pump activity (1 normal, 0 blocked as in ischaemia, > 1 the post-ischaemic
  hyperactivity), see :class:`AxonNaKPump`.
* ``dK_periaxonal``: K in the internodes' periaxonal space above plasma K_o (mM, 0 in health),
  read by every K-dependent term under the myelin while the nodes face the plasma, see
  :class:`PeriaxonalPotassium`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from .._validate import check_range, check_real
from ..citations import cite
from ..components.base import Component, Output, Parameter
from ..components.cable import DoubleCable
from ..components.declarations import BANDED_BY_COMPARTMENT, ModelDeclarations
from ..components.environment import IonicEnvironment
from ..components.ghk import GHKLeakReversal, Nernst
from ..components.mrg import (
    GAINES,
    MRG,
    GainesFastPotassium,
    GainesHCN,
    MRG2002Sodium,
    MRGPassiveLeak,
    MRGPersistentSodium,
    MRGSlowPotassium,
    MRGSodium,
    SectionLeak,
)
from ..components.surface_charge import SurfaceChargeShift
from ..electrochem import HILLE_1975, SurfaceCharge, ghk_permeability_ratio, rt_over_f
from ..electrolytes import Electrolytes, as_electrolytes, model_parameters
from ..model import Model
from ..steady import Equilibrium

__all__ = ["motor_axon_myelinated", "MRGGeometry", "mrg_geometry", "mrg_table_geometry", "CHANNEL_SETS",
           "AxonNaKPump", "PeriaxonalPotassium", "E_NA_PUBLISHED", "E_K_PUBLISHED", "cable_rest_state",
           "cable_slowest_modes", "HUMAN_BATTERY_FIT", "fit_overrides"]

#: Published reversal potentials of the Gaines/MRG model, mV (``node_motor.mod``, ``*_motor.mod``)
E_NA_PUBLISHED, E_K_PUBLISHED, E_L_PUBLISHED, E_H_PUBLISHED = 50.0, -90.0, -90.0, -54.9
#: Internodal ``e_pas`` of McIntyre et al. 2002, mV (MRGaxon.hoc)
E_PAS_MRG = -80.0
#: Resting potential of the Gaines motor axon, mV (motor_final.hoc v_init)
V_REST_PUBLISHED = -85.9411
_RHO_A = 70.0  # Ohm cm (MRG rhoa = 0.7e6 Ohm um)
_MY_CM, _MY_GM = 0.1, 1.0  # uF/cm2 and mS/cm2 per lamella membrane (MRG mycm 0.1, mygm 0.001 S/cm2)
_SPACE_P1, _SPACE_P2, _SPACE_I = 0.002, 0.004, 0.004  # um, periaxonal widths (MRG)
_NODE_L, _MYSA_L = 1.0, 3.0  # um


@dataclass(frozen=True)
class MRGGeometry:
    """Geometry of one MRG internode for fibre diameter ``D`` (um; lengths in um)."""

    fibre_diameter: float
    axon_diameter: float
    node_diameter: float
    mysa_diameter: float
    flut_diameter: float
    internode_length: float  # node-to-node distance (deltax)
    flut_length: float
    stin_length: float
    lamellae: float
    source: str


def mrg_geometry(fibre_diameter: float) -> MRGGeometry:
    """MRG geometry for a fibre diameter, by the Gaines et al. (2018) interpolation.

    Gaines et al. fitted the MRG table (5.7-16 um) with lines (diameters, FLUT length) and
    logarithms (node spacing, lamellae); for 10 um it gives deltax 1087 um and 119 lamellae
    against MRG's tabulated 1150 um and 120.
    """
    D = float(fibre_diameter)
    if not 5.7 <= D <= 16.0:
        raise ValueError(f"fibre_diameter = {D} um is outside 5.7-16 um, the range of the MRG table "
                         "the geometry is interpolated from")
    deltax = 969.3 * math.log(D) - 1144.6
    flut = 2.5811 * D + 19.59
    axon = 0.889 * D - 1.9104
    return MRGGeometry(
        fibre_diameter=D, axon_diameter=axon, node_diameter=0.3449 * D - 0.1484,
        mysa_diameter=0.3527 * D - 0.1804, flut_diameter=axon, internode_length=deltax,
        flut_length=flut, stin_length=(deltax - _NODE_L - 2 * _MYSA_L - 2 * flut) / 6.0,
        lamellae=65.897 * math.log(D) - 32.666,
        source=f"{GAINES}: interpolation of the MRG 2002 geometry table",
    )


#: The MRG 2002 geometry table (MRGaxon.hoc): fibre diameter -> (axonD, nodeD, paraD1, paraD2,
#: deltax, FLUT length, lamellae), um
_MRG_TABLE = {
    5.7: (3.4, 1.9, 1.9, 3.4, 500.0, 35.0, 80), 7.3: (4.6, 2.4, 2.4, 4.6, 750.0, 38.0, 100),
    8.7: (5.8, 2.8, 2.8, 5.8, 1000.0, 40.0, 110), 10.0: (6.9, 3.3, 3.3, 6.9, 1150.0, 46.0, 120),
    11.5: (8.1, 3.7, 3.7, 8.1, 1250.0, 50.0, 130), 12.8: (9.2, 4.2, 4.2, 9.2, 1350.0, 54.0, 135),
    14.0: (10.4, 4.7, 4.7, 10.4, 1400.0, 56.0, 140), 15.0: (11.5, 5.0, 5.0, 11.5, 1450.0, 58.0, 145),
    16.0: (12.7, 5.5, 5.5, 12.7, 1500.0, 60.0, 150),
}


def mrg_table_geometry(fibre_diameter: float) -> MRGGeometry:
    """The MRG (2002) geometry of one of the nine tabulated fibre diameters (5.7-16 um).

    Raises
    ------
    ValueError
        If ``fibre_diameter`` is not a row of the table (``MRGaxon.hoc``).
    """
    D = float(fibre_diameter)
    if D not in _MRG_TABLE:
        raise ValueError(f"fibre_diameter = {D} um is not in the MRG 2002 table ({sorted(_MRG_TABLE)})")
    axon, node, para1, para2, deltax, flut, nl = _MRG_TABLE[D]
    return MRGGeometry(
        fibre_diameter=D, axon_diameter=axon, node_diameter=node, mysa_diameter=para1, flut_diameter=para2,
        internode_length=deltax, flut_length=flut, stin_length=(deltax - _NODE_L - 2 * _MYSA_L - 2 * flut) / 6.0,
        lamellae=float(nl), source=f"{MRG}: geometry table (MRGaxon.hoc)",
    )


def _sections(geo: MRGGeometry, n_nodes: int):
    """Per compartment: type, length, NEURON diameter, axial diameter, periaxonal width."""
    D = geo.fibre_diameter
    node = ("node", _NODE_L, geo.node_diameter, geo.node_diameter, _SPACE_P1)
    mysa = ("mysa", _MYSA_L, D, geo.mysa_diameter, _SPACE_P1)
    flut = ("flut", geo.flut_length, D, geo.flut_diameter, _SPACE_P2)
    stin = ("stin", geo.stin_length, D, geo.axon_diameter, _SPACE_I)
    out = []
    for i in range(n_nodes):
        out.append(node)
        if i < n_nodes - 1:
            out += [mysa, flut] + [stin] * 6 + [flut, mysa]
    return out


#: Conductivities of the extracellular medium along and across the nerve, S/cm, of the point
#: source of Gaines et al. 2018 (ModelDB 243841, BasicPointSourceScript.m: 1/(3e6) and
#: 1/(1.2e7) 1/(Ohm um), i.e. 300 and 1200 Ohm cm)
SIGMA_LONG, SIGMA_TRANS = 1.0 / 300.0, 1.0 / 1200.0


def _cable_constants(geo: MRGGeometry, n_nodes: int, stim_node: int, stimulus: str = "intracellular",
                     electrode_distance: float = 0.4) -> dict[str, np.ndarray]:
    secs = _sections(geo, n_nodes)
    kind = np.array([s[0] for s in secs])
    L = np.array([s[1] for s in secs]) * 1e-4  # cm
    diam = np.array([s[2] for s in secs]) * 1e-4
    d_ax = np.array([s[3] for s in secs]) * 1e-4
    width = np.array([s[4] for s in secs]) * 1e-4
    is_node = (kind == "node").astype(float)
    area = np.pi * diam * L  # cm2, the area NEURON gives the section
    # capacitance 2 uF/cm2 of axolemma (MRG: cm = 2 at the node, 2 paraD/fibreD on the fibre-diameter area)
    cm = np.where(is_node > 0, 2.0, 2.0 * d_ax / diam)
    c_my = (1.0 - is_node) * _MY_CM / (2.0 * geo.lamellae)
    g_my = (1.0 - is_node) * _MY_GM / (2.0 * geo.lamellae)
    r_half = _RHO_A * (L / 2) / (np.pi * (d_ax / 2) ** 2)  # Ohm
    # periaxonal resistance per length (MRG: rhoa 0.01 / (pi ((d/2 + w)^2 - (d/2)^2)) MOhm/cm)
    rp_half = _RHO_A * (L / 2) / (np.pi * ((d_ax / 2 + width) ** 2 - (d_ax / 2) ** 2))
    g_link = 1e3 / (r_half[:-1] + r_half[1:])  # mS
    gp_link = 1e3 / (rp_half[:-1] + rp_half[1:])
    z = np.zeros(1)
    stim = np.zeros(len(secs))
    phi = np.zeros(len(secs))
    centre = np.cumsum(L) - L / 2  # cm, compartment centres along the axon
    if stimulus == "intracellular":
        stim[11 * stim_node] = area[11 * stim_node]
    else:
        # Point electrode at distance d above the stimulated node in an anisotropic medium
        # (Gaines et al. 2018): Ve_k = -I / (4 pi sqrt(s_l s_t d^2 + s_t^2 z_k^2)) for a cathodic
        # (positive) current I, z_k the distance along the axon. With every potential
        # taken relative to the local Ve, the field enters the cable only through the axial
        # currents (the activating function), g_k,k+-1 (Ve_k+-1 - Ve_k), injected into the axoplasm.
        # The periaxonal axial path, ~400 x less conductive than the axoplasm, is left out.
        zpos = centre - centre[11 * stim_node]
        d = electrode_distance * 0.1  # mm -> cm
        phi = -1.0 / (4 * np.pi * np.sqrt(SIGMA_LONG * SIGMA_TRANS * d**2 + SIGMA_TRANS**2 * zpos**2))  # Ohm
        phi_k = phi * 1e-3  # kOhm: Ve (mV) per uA of cathodic current
        stim[1:] += g_link * (phi_k[:-1] - phi_k[1:])
        stim[:-1] += g_link * (phi_k[1:] - phi_k[:-1])  # mS * kOhm: uA injected per uA of electrode current
    return {
        "kind": kind, "area": area, "cm": cm, "c_my": c_my, "g_my": g_my,
        "g_left": np.concatenate([z, g_link]), "g_right": np.concatenate([g_link, z]),
        "gp_left": np.concatenate([z, gp_link]), "gp_right": np.concatenate([gp_link, z]),
        "is_node": is_node, "stim_area": stim, "length": L, "centre": centre, "phi": phi * 1e-3,
    }


#: Axoplasmic Na and K, mM: the values at which the Nernst potentials are the published +50
#: and -90 mV in normal plasma at 37 C (derived; measured axoplasmic K is 120-155 mM, Na 10-30 mM).
def axoplasm_defaults(reference: Electrolytes | None = None) -> dict[str, float]:
    """``{"Na_i", "K_i"}`` (mM) that put E_Na at +50 and E_K at -90 mV in ``reference`` plasma."""
    ref = reference or Electrolytes.preset("normal")
    rtf = rt_over_f(ref.celsius)
    return {"Na_i": ref.na * math.exp(-E_NA_PUBLISHED / rtf), "K_i": ref.k * math.exp(-E_K_PUBLISHED / rtf)}


#: Accepted ``channels`` of :func:`motor_axon_myelinated`.
CHANNEL_SETS = ("gaines2018", "mrg2002")


def _g0(source: str) -> Parameter:
    return Parameter(0.0, "mS/cm2", source, "Conductance (absent)", (0.0, 1e5))


def _ghk_ratio(e_rev, ref: Electrolytes, na_i, k_i) -> float:
    """P_Na/P_K whose GHK reversal is ``e_rev`` (mV) in ``ref`` plasma (clipped at 0)."""
    return max(ghk_permeability_ratio(e_rev, ref.k, k_i, ref.na, na_i, ref.celsius), 0.0)


#: Inputs of a GHK Na/K reversal (:class:`GHKLeakReversal`), K_o then redirected to ``K_face``.
_GHK_INPUTS = GHKLeakReversal.default_inputs()

#: The electrolyte parameters of :func:`motor_axon_myelinated`.
AXON_ELECTROLYTES = ("celsius", "Na_o", "K_o", "Cl_o", "Ca_o", "Mg_o", "HCO3_o", "Na_i", "K_i", "pH_o")


class PeriaxonalPotassium(Component):
    """K concentration at the outer face of each compartment's axolemma, ``K_face`` (mM).

    At a node the axolemma faces the plasma (``K_o``). Under the myelin it faces the periaxonal
    space, 2-4 nm wide (McIntyre et al. 2002), where K that leaves the internode accumulates when
    the pump that takes it back up stops: ``K_face = K_o + dK_periaxonal`` there. Every K-dependent
    term of an internodal compartment (the Nernst E_K of its K channels, the GHK reversals of its
    leak and HCN current, the pump's K activation) reads ``K_face``. ``dK_periaxonal`` is a model
    input (0 in health): how high it rises depends on the periaxonal clearance, which no source
    reached here measures (docs/models/myelinated_axon.md gives the model's own K efflux).
    """

    states = ()
    outputs = (Output("K", "mM", "K at the outer face of the axolemma (plasma at nodes, periaxonal "
                      "space under the myelin)", provides="K_face"),)
    citation = (f"{cite('bostock1991')}; {cite('mogyoros2000')} (raised periaxonal K after ischaemia); "
                f"periaxonal space widths: {cite('mcintyre2002')}")

    @classmethod
    def default_inputs(cls):
        return {"K_o": "K_o", "dK": "dK_periaxonal"}

    @staticmethod
    def equations(K_o, dK, is_node):
        return (K_o + (1.0 - is_node) * dK,)


class AxonNaKPump(Component):
    """Electrogenic Na/K pump with an activity factor, and the Na leak that balances it at rest.

    ``I = pump I_max * f(K_o) * g(Na_i)`` (outward), with the Na/K-ATPase's half-activation by
    external K (``K_mK`` 1.5 mM) and internal Na (``K_mNa`` ~10 mM, cubic) taken as for the muscle
    pump of the package. The published axon has no pump: its leak already holds the resting
    potential. So that normal activity leaves that rest unchanged, an inward Na "background"
    current equal to the resting pump current (``I_max f g`` at normal K_o and Na_i) is added;
    blocking the pump (``pump = 0``, ischaemia) removes the outward pump current and depolarises
    the axon, ``pump > 1`` (post-ischaemic hyperactivity) hyperpolarises it. ``I_max`` is the
    axon's mean density; the constant ``weight`` (per compartment, mean 1 by area) says where the
    pumps sit.
    """

    states = ()
    outputs = (Output("I", "uA/cm2", "Na/K pump current minus its resting Na background", adds_to="I_ion",
                      carries=(("Na", 3.0), ("K", -2.0))),)
    citation = ("assumption: Na/K-ATPase activation by K_o and Na_i (see parameters); activity factor as a "
                "model input")

    @classmethod
    def default_parameters(cls):
        src = (f"{cite('bostock1991')} and Kiernan & Bostock 2000 Brain 123:2542 "
               "describe ischaemic depolarisation and post-ischaemic hyperpolarisation by the pump; "
               "density a modelling choice (see docs/models/myelinated_axon.md)")
        return {
            "I_max": Parameter(0.0, "uA/cm2", src, "Maximal pump current density (nodes and internode)",
                               (0.0, 1e4)),
            "K_mK": Parameter(1.5, "mM", "assumption: as the muscle Na/K-ATPase of the package "
                              "(components/muscle_wallinga.py)", "K_o half-activation", (1e-3, 100.0)),
            "K_mNa": Parameter(10.0, "mM", "assumption: as the muscle Na/K-ATPase of the package",
                               "Na_i half-activation", (1e-3, 100.0)),
            "K_o_ref": Parameter(4.2, "mM", "input: normal plasma", "K_o at which the background is set", (0.1, 20.0)),
            "Na_i_ref": Parameter(21.5, "mM", "input: the axoplasm default", "Na_i at which the background is set",
                                  (0.1, 100.0)),
        }

    @classmethod
    def default_inputs(cls):
        return {"K_o": "K_o", "Na_i": "Na_i", "pump": "pump"}

    @staticmethod
    def equations(K_o, Na_i, pump, I_max, K_mK, K_mNa, K_o_ref, Na_i_ref, weight):
        def act(k, na):
            return (k / (k + K_mK)) * (na / (na + K_mNa)) ** 3

        # weight: this compartment's density over the axon's mean (1 everywhere when uniform)
        return (I_max * weight * (pump * act(K_o, Na_i) - act(K_o_ref, Na_i_ref)),)


def pump_activation(k_o, na_i, k_mk, k_mna):
    """The Na/K pump's activation ``(K/(K + K_mK)) (Na/(Na + K_mNa))^3`` of :class:`AxonNaKPump`."""
    return (k_o / (k_o + k_mk)) * (na_i / (na_i + k_mna)) ** 3


def _pump_weight(share, area, is_node) -> np.ndarray:
    """Per-compartment pump density over the axon's mean (by area) for a nodal share of the current."""
    if share is None:
        return np.ones(area.size)
    share = float(check_range("pump_nodal_share", check_real("pump_nodal_share", share), 0.0, 1.0))
    total, nodal = float(area.sum()), float(area @ is_node)
    return share * total / nodal * is_node + (1.0 - share) * total / (total - nodal) * (1.0 - is_node)


def _balancing_pump_density(comps, n, const, ref, axo) -> tuple[float, str]:
    """Pump density whose current at rest carries out (3 Na : 1 charge) the axon's resting Na influx.

    The influx is the channels' (fast and persistent Na, HCN's Na share) plus the pump's own Na
    background, which equals the pump current ``I_p``: ``3 I_p = I_channels + I_p``, so
    ``I_p = I_channels / 2``."""
    probe = Model("probe", comps, stiff=True, aliases={"V": "V[0]"})
    probe.jacobian_bandwidth = (len(probe.array_states) + 1,) * 2
    probe.node_compartments = np.arange(0, n, 11)
    probe.stim_area_cm2 = float(const["stim_area"].max())
    eq = _equilibrium_finder(probe, probe.parameter_vector(model_parameters(probe, ref)))
    obs = probe.observables(0.0, eq[0].y)
    area = const["area"]
    # HCN carries Na and K; its Na share follows from the reversal potentials
    f_na = (E_H_PUBLISHED - E_K_PUBLISHED) / (E_NA_PUBLISHED - E_K_PUBLISHED)
    i_na = area @ (np.asarray(obs["naf.I"]) + np.asarray(obs["nap.I"]) + f_na * np.asarray(obs["hcn.I"]))
    defaults = AxonNaKPump.default_parameters()
    act = pump_activation(ref.k, axo["Na_i"], defaults["K_mK"].value, defaults["K_mNa"].value)
    density = max(-i_na / 2.0, 0.0) / (act * area.sum())
    return density, (f"derived: the pump carries out, 3 Na per charge, the resting Na influx of the channels in "
                     f"normal plasma ({-i_na * 1e3:.3g} nA) and of its own Na background (equal to its current): "
                     "current = channel influx / 2, as the mean density over the axon's membrane (where the "
                     "pumps sit: pump_nodal_share); HCN Na share (E_h - E_K)/(E_Na - E_K)")


def _banded_jacobian(f, y, band: int, f0=None):
    """Forward-difference Jacobian in LAPACK banded storage (``(2 band + 1, n)``)."""
    n = y.size
    f0 = f(y) if f0 is None else f0
    width = 2 * band + 1
    ab = np.zeros((width, n))
    h = 1e-7 * np.maximum(1.0, np.abs(y))
    for g in range(width):
        cols = np.arange(g, n, width)
        yy = y.copy()
        yy[cols] += h[cols]
        df = (f(yy) - f0)
        for c in cols:
            lo, hi = max(0, c - band), min(n, c + band + 1)
            ab[band + np.arange(lo, hi) - c, c] = df[lo:hi] / h[c]
    return ab


def _uniform_rest_guess(model, p, i_stim) -> float:
    """Uniform potential at which the whole cable's ionic current (gates at steady state)
    balances the applied current: the start of the Newton iteration (nearest to -86 mV)."""
    grid = np.arange(-130.0, -30.0, 0.5)
    yy = model.quasi_steady_state(grid, p[:, None], i_stim)
    i_ion = model.observables(0.0, yy, p[:, None], i_stim)["I_ion"]
    area = model.component("cable").constants["area"]
    net = area @ i_ion - i_stim * model.component("cable").constants["stim_area"].sum()
    k = np.flatnonzero(np.sign(net[:-1]) * np.sign(net[1:]) < 0)
    if k.size == 0:
        return V_REST_PUBLISHED
    roots = grid[k] - net[k] * 0.5 / (net[k + 1] - net[k])
    return float(roots[np.argmin(np.abs(roots - V_REST_PUBLISHED))])


def cable_rest_state(model, p=None, i_stim: float = 0.0, y0=None) -> np.ndarray | None:
    """A steady state of the cable: Newton's method on the full state with a banded Jacobian,
    and pseudo-transient continuation where Newton does not converge.

    Newton's method (30 steps) is tried first. Where it fails -- far from the rest, or where
    the Jacobian is nearly singular because the slowest mode has a time constant of minutes
    (the nodal slow K gate at hyperpolarised potentials in hypokalaemia, see
    docs/models/myelinated_axon.md) -- the state is advanced by implicit Euler steps whose
    length grows as the residual falls (switched evolution relaxation: Kelley & Keyes 1998,
    SIAM J Numer Anal 35:508), which follows the axon's own dynamics into the rest and ends
    in Newton's quadratic convergence. That fallback reaches only stable (attracting) rests.

    Parameters
    ----------
    model : Model
        A cable from :func:`motor_axon_myelinated`.
    p : array_like, optional
        Parameter vector (default the model's).
    i_stim : float
        Constant applied current, uA/cm2.
    y0 : array_like, optional
        Where the iteration starts (a nearby steady state, e.g. the rest before a small change
        of the parameters); default uniform V at the single-node rest with every gate at its
        steady state.

    Returns
    -------
    ndarray or None
        The state, or None if neither Newton (30 steps) nor the continuation (400 steps)
        converged.
    """
    from scipy.linalg import LinAlgError, solve_banded

    p = model.full_parameters(p)
    band = model.jacobian_bandwidth[0]
    rhs = model.function("rhs")

    def f(y):
        return rhs(0.0, y, p, i_stim, np.empty_like(y))

    if y0 is None:
        start = model.quasi_steady_state(_uniform_rest_guess(model, p, i_stim), p, i_stim)
    else:
        start = np.array(y0, dtype=float)
    a, b, c = model.array_states["Vp"]
    frozen = np.arange(a, b, c)[model.node_compartments]
    live = np.ones(start.size, dtype=bool)
    live[frozen] = False

    def step_from(y, f0, inv_dt=0.0):
        ab = _banded_jacobian(f, y, band, f0)
        ab[band, live] -= inv_dt  # implicit Euler: (I/dt - J) step = f
        ab[band, frozen] = 1.0  # states held fixed (periaxonal potential at the nodes)
        return solve_banded((band, band), ab, -f0)

    def converged(y, step):
        return np.max(np.abs(step)) < 1e-10 * max(1.0, np.max(np.abs(y)))

    with np.errstate(all="ignore"):  # a diverging iterate is caught below, not warned about
        y = start.copy()
        try:
            for _ in range(30):
                step = step_from(y, f(y))
                y = y + step
                if not np.all(np.isfinite(y)):
                    break
                if converged(y, step):
                    return y
        except (LinAlgError, ValueError):  # singular Jacobian or non-finite entries
            pass
        # pseudo-transient continuation from the same start: dt grows as |f| falls
        y, dt = start.copy(), 0.1  # ms: shorter than the gates' fastest time constants
        f0 = f(y)
        norm = np.linalg.norm(f0)
        try:
            for _ in range(400):
                step = step_from(y, f0, 1.0 / dt)
                y = y + step
                f0 = f(y)
                new = np.linalg.norm(f0)
                if not np.isfinite(new):
                    return None
                dt = min(dt * norm / max(new, 1e-300), 1e12)
                norm = new
                if dt >= 1e6 and converged(y, step):  # steps far longer than any mode: steady
                    return y
        except (LinAlgError, ValueError):
            return None
    return None


def cable_slowest_modes(model, y, p=None, i_stim: float = 0.0) -> np.ndarray:
    """The six eigenvalues of the cable's Jacobian at ``y`` nearest 0 (1/ms), slowest first
    (the fast modes are far in the left half-plane); ``[nan]`` if ARPACK does not converge."""
    from scipy.sparse import diags
    from scipy.sparse.linalg import eigs

    p = model.full_parameters(p)
    band = model.jacobian_bandwidth[0]
    rhs = model.function("rhs")
    ab = _banded_jacobian(lambda x: rhs(0.0, x, p, i_stim, np.empty_like(x)), y, band)
    n = y.size
    # J[i, j] sits at ab[band + i - j, j]; diagonal k (j - i = k) holds ab[band - k, j] for j >= k
    J = diags([ab[band - k, max(k, 0): n + min(k, 0)] for k in range(-band, band + 1)],
              list(range(-band, band + 1)), shape=(n, n), format="csc")
    a, b, c = model.array_states["Vp"]
    frozen = np.arange(a, b, c)[model.node_compartments]
    keep = np.setdiff1d(np.arange(n), frozen)
    J = J[keep][:, keep]
    try:  # the slowest modes, nearest 0, decide stability; the fast ones are far in the left half-plane
        eig = eigs(J, k=6, sigma=1e-4, which="LM", return_eigenvectors=False)
    except Exception:  # ARPACK did not converge: stability unknown (nan), callers then simulate
        eig = np.array([complex("nan")])
    return eig[np.argsort(-eig.real)]


def _equilibrium_finder(model, p=None, i_stim=0.0, v_range=None, n_grid=None):
    """Rest of the cable: Newton on the full state with a banded Jacobian, from uniform V."""
    y = cable_rest_state(model, p, i_stim)
    if y is None:
        return []
    eig = cable_slowest_modes(model, y, p, i_stim)
    iv = model.state_index["V"]
    return [Equilibrium(float(y[iv]), y, eig, float(i_stim))]


def motor_axon_myelinated(
    electrolytes: Electrolytes | str | None = None,
    *,
    fibre_diameter: float = 10.0,
    n_nodes: int = 21,
    stim_node: int | None = None,
    record_node: int | None = None,
    pump_density: float | str = "balance",
    pump_nodal_share: float | None = None,
    surface: SurfaceCharge = HILLE_1975,
    lamellae: float | None = None,
    stimulus: str = "intracellular",
    electrode_distance: float = 0.4,
    channels: str = "gaines2018",
    fit: str | dict[str, float] | None = None,
) -> Model:
    """A myelinated human motor axon (MRG double cable, Gaines et al. 2018 motor channels).

    Parameters
    ----------
    electrolytes : Electrolytes or str, optional
        Environment or preset name; default normal plasma at 37 C.
    fibre_diameter : float
        Fibre diameter, um (5.7-16; the median-nerve motor axons of the clinic are ~10-13 um).
    n_nodes : int
        Nodes of Ranvier (>= 3); internodes between them.
    stim_node : int, optional
        Node whose axoplasm receives ``I_stim`` (default the middle node).
    record_node : int, optional
        Node whose potential is ``"V"`` (spike detection; default 5 nodes past ``stim_node``,
        or the last node).
    pump_density : float or "balance"
        Maximal Na/K pump current density, uA/cm2 (the mean over the axon's membrane; where the
        pumps sit is ``pump_nodal_share``). ``"balance"``
        (default): the density at which the pump extrudes, in normal plasma at rest, the Na that
        enters the whole axon through its channels and through the pump's own Na background (3 Na
        per net charge) -- derived, not fitted. 0: no pump. The pump
        and its balancing Na background cancel in normal plasma, so the published model is
        unchanged there; the global parameter ``pump`` (activity, 1 = normal, 0 = blocked as in
        ischaemia, > 1 post-ischaemic) and K_o/Na_i then move it.
    pump_nodal_share : float, optional
        Where the pumps sit: the share (0-1) of the axon's pump current carried by the nodal
        membrane, the rest spread uniformly over the internode; the total (``pump_density`` times
        the axon's area) is unchanged. ``None`` (default): one density everywhere, so the nodes,
        0.03 % of the membrane of a 10 um fibre, carry 0.03 % of it. No measured node/internode
        ratio of pump density was reachable: Na/K-ATPase immunoreactivity is seen at the nodal
        axolemma (Ariyasu, Nichol & Ellisman 1987, mouse spinal roots) and ouabain-sensitive
        activity along the axolemma (Dolapchieva 1995, rat sciatic nerve). 1 puts every pump at
        the nodes, where the Na of an action potential enters; the two ends bound the question
        (docs/models/myelinated_axon.md, "Ischaemia and periaxonal K").
    surface : SurfaceCharge
        Surface-charge parameters for the Ca/Mg gating shift.
    lamellae : float, optional
        Myelin lamellae per internode (default: the Gaines et al. 2018 interpolation for
        ``fibre_diameter``, 119 at 10 um). Fewer lamellae model demyelination: the myelin's
        capacitance and conductance scale as 1/lamellae (MRG: 0.1 uF/cm2 and 1 mS/cm2 per
        lamella membrane, two membranes per lamella), while the fibre's diameters, the
        periaxonal spaces and the nodes are kept.
    stimulus : {"intracellular", "extracellular"}
        ``"intracellular"`` (default): ``I_stim`` (uA/cm2 of node membrane) is injected into the
        axoplasm of the stimulated node. ``"extracellular"``: ``I_stim`` is the current (uA,
        positive = cathodic) of a point electrode ``electrode_distance`` above the stimulated
        node, in the anisotropic medium of Gaines et al. 2018 (300 Ohm cm along, 1200 Ohm cm
        across the nerve; their ModelDB point-source script): every compartment sees
        ``Ve = -I_stim / (4 pi sqrt(s_l s_t d^2 + s_t^2 z^2))`` through the axial currents
        (the activating function), as NEURON's ``extracellular`` mechanism applies
        ``e_extracellular``; the periaxonal axial path (~400 x less conductive than the
        axoplasm) is not driven.
    electrode_distance : float
        Distance of the point electrode from the axon, mm (extracellular stimulus only; default
        0.4 mm, the Gaines et al. script's).
    channels : {"gaines2018", "mrg2002"}
        ``"gaines2018"`` (default): the human motor channel set of Gaines et al. (2018) on the
        Gaines interpolation of the MRG geometry. ``"mrg2002"``: the model of McIntyre,
        Richardson & Grill (2002) itself (ModelDB 3810): nodal fast Na with the MRG alpha_m offset
        (21.4 mV), persistent Na, slow K and leak; no fast K and no HCN; a passive internode
        (1 mS/cm2 x paraD1/D in the MYSA, 0.1 mS/cm2 x paraD2/D and x axonD/D in FLUT and STIN)
        reversing at -80 mV in normal plasma (a GHK Na/K reversal, as the leak); the geometry of
        the MRG table when ``fibre_diameter`` is one of its rows, else the interpolation. The
        cable constants, stimulus and electrolyte inputs are the same for both.
    fit : {None, "human_battery"} or dict, optional
        ``None`` (default): the published values. ``"human_battery"``: the factors of
        :data:`HUMAN_BATTERY_FIT` on the Gaines et al. densities and Na inactivation rates -- a
        fit of four factors to the human median-motor strength-duration time constant and the
        recovery cycle's shape (``experiments/axon_fit_search.py``; every scaled parameter's
        source says so). A dict gives other factors (keys ``leak``, ``k_hcn``, ``nap``,
        ``h_rate``, as :func:`fit_overrides`). Gaines channels only; the balancing pump is
        derived for the scaled axon.

    Returns
    -------
    Model
        Compartments in spatial order (node 0, MYSA, FLUT, 6 STIN, FLUT, MYSA, node 1, ...);
        node i is compartment ``11 i``. States are arrays over compartments, interleaved by
        compartment (banded Jacobian); ``"V_node<i>"`` names each node's potential and ``"V"``
        the recorded node. ``I_stim`` is in uA/cm2 of the stimulated node's membrane
        (:attr:`Model.stim_area_cm2` converts: ``I[nA] = 1e3 * I_stim * area``).
    """
    e = as_electrolytes("electrolytes", electrolytes, default="normal")
    ref = Electrolytes.preset("normal")
    if int(n_nodes) != n_nodes or n_nodes < 3:
        raise ValueError(f"n_nodes = {n_nodes!r} must be an integer >= 3")
    n_nodes = int(n_nodes)
    stim_node = n_nodes // 2 if stim_node is None else int(stim_node)
    if not 0 <= stim_node < n_nodes:
        raise ValueError(f"stim_node = {stim_node} must be within 0-{n_nodes - 1}")
    record_node = min(stim_node + 5, n_nodes - 1) if record_node is None else int(record_node)
    if not 0 <= record_node < n_nodes:
        raise ValueError(f"record_node = {record_node} must be within 0-{n_nodes - 1}")
    if channels not in CHANNEL_SETS:
        raise ValueError(f"channels = {channels!r} must be one of {CHANNEL_SETS}")
    mrg2002 = channels == "mrg2002"
    factors = _fit_factors(fit, channels)
    fitted = _fitted_parameters(factors, fit)
    D = float(fibre_diameter)
    geo = mrg_table_geometry(D) if mrg2002 and D in _MRG_TABLE else mrg_geometry(D)
    if lamellae is not None:
        if isinstance(lamellae, bool) or not isinstance(lamellae, (int, float, np.integer, np.floating)):
            raise TypeError(f"lamellae = {lamellae!r} must be a number of myelin lamellae")
        if not (math.isfinite(lamellae) and 1.0 <= lamellae <= 1000.0):
            raise ValueError(f"lamellae = {lamellae!r} must be between 1 and 1000 (normal myelin has "
                             f"{geo.lamellae:.0f} at {geo.fibre_diameter:g} um)")
        geo = replace(geo, lamellae=float(lamellae),
                      source=f"{geo.source}; lamellae set to {float(lamellae):g} (demyelination)")
    if stimulus not in ("intracellular", "extracellular"):
        raise ValueError(f"stimulus = {stimulus!r} must be 'intracellular' or 'extracellular'")
    if not (isinstance(electrode_distance, (int, float)) and 0.01 <= electrode_distance <= 100.0):
        raise ValueError(f"electrode_distance = {electrode_distance!r} mm must be within 0.01-100 mm")
    const = _cable_constants(geo, n_nodes, stim_node, stimulus, float(electrode_distance))
    n = const["area"].size
    masks = {f"is_{k}": (const["kind"] == k).astype(float) for k in ("node", "mysa", "flut", "stin")}
    axo = axoplasm_defaults(ref)
    derived = "derived: E_{} = {} mV (Gaines/MRG) in normal plasma at 37 C"
    environment = IonicEnvironment.from_electrolytes(
        e, AXON_ELECTROLYTES,
        cytosol={"Na_i": (axo["Na_i"], derived.format("Na", "+50")), "K_i": (axo["K_i"], derived.format("K", "-90"))},
        extra={"pump": Parameter(1.0, "1", "input: 1 normal, 0 blocked (ischaemia), >1 post-ischaemic",
                                 "Na/K pump activity", (0.0, 10.0)),
               "dK_periaxonal": Parameter(0.0, "mM", "input: 0 in health; raised by ischaemia (see "
                                          "PeriaxonalPotassium)", "K excess in the internodes' periaxonal "
                                          "space over plasma K_o", (0.0, 100.0))})
    # every K-dependent term reads the K its membrane faces: plasma at nodes, periaxonal space inside
    k_face = {"K_o": "K_face"}
    cable_keys = ("area", "cm", "c_my", "g_my", "g_left", "g_right", "gp_left", "gp_right", "is_node",
                  "stim_area")
    if mrg2002:
        # McIntyre et al. 2002: no fast K, no HCN, no internodal slow K (kept at zero density so the
        # state layout is that of the Gaines axon); passive internode scaled by the axial diameters
        absent = f"{MRG}: absent from the MRG 2002 model"
        zero = {s: _g0(absent) for s in ("g_node", "g_mysa", "g_flut", "g_stin")}
        kf_p, hcn_p = zero, {s: _g0(absent) for s in ("g_mysa", "g_flut", "g_stin")}
        ks_p = {s: _g0(absent) for s in ("g_mysa", "g_flut", "g_stin")}
        hoc = f"{MRG}: MRGaxon.hoc g_pas"
        leak = MRGPassiveLeak("leak", compartments=n, constants=masks, parameters={
            "g_mysa": Parameter(1.0 * geo.mysa_diameter / D, "mS/cm2", f"{hoc} 0.001 S/cm2 x paraD1/fiberD",
                                "MYSA passive conductance", (0.0, 1e5)),
            "g_flut": Parameter(0.1 * geo.flut_diameter / D, "mS/cm2", f"{hoc} 0.0001 S/cm2 x paraD2/fiberD",
                                "FLUT passive conductance", (0.0, 1e5)),
            "g_stin": Parameter(0.1 * geo.axon_diameter / D, "mS/cm2", f"{hoc} 0.0001 S/cm2 x axonD/fiberD",
                                "STIN passive conductance", (0.0, 1e5))})
        extra_rev = [GHKLeakReversal("E_pas", rename={"E_L": "E_pas"}, inputs={**_GHK_INPUTS, **k_face},
                                     parameters={"ratio": Parameter(
            _ghk_ratio(E_PAS_MRG, ref, axo["Na_i"], axo["K_i"]), "1",
            f"derived: the internodal e_pas is the published {E_PAS_MRG:g} mV in normal plasma ({MRG})",
            "P_Na/P_K of the internodal passive conductance", (0.0, 100.0))})]
        sodium = MRG2002Sodium("naf", compartments=n, constants={"is_node": masks["is_node"]})
    else:
        ks_p, kf_p, hcn_p, extra_rev = fitted.get("ks", {}), fitted.get("kf", {}), fitted.get("hcn", {}), []
        leak = SectionLeak("leak", compartments=n, constants=masks, parameters=fitted.get("leak", {}))
        sodium = MRGSodium("naf", compartments=n, constants={"is_node": masks["is_node"]},
                           parameters=fitted.get("naf", {}))
    comps = [
        environment,
        PeriaxonalPotassium("k_face", compartments=n, constants={"is_node": masks["is_node"]}),
        SurfaceChargeShift("surface", surface),
        DoubleCable("cable", compartments=n, constants={k: const[k] for k in cable_keys}),
        sodium,
        MRGPersistentSodium("nap", compartments=n, constants={"is_node": masks["is_node"]},
                            parameters=fitted.get("nap", {})),
        MRGSlowPotassium("ks", compartments=n, constants=masks, parameters=ks_p),
        GainesFastPotassium("kf", compartments=n, constants=masks, parameters=kf_p),
        GainesHCN("hcn", compartments=n, constants={k: masks[k] for k in ("is_mysa", "is_flut", "is_stin")},
                  parameters=hcn_p),
        leak,
        Nernst("E_Na", "Na"),
        Nernst("E_K", "K", inputs={"celsius": "celsius", "c_out": "K_face", "c_in": "K_i"}),
        GHKLeakReversal("E_L", inputs={**_GHK_INPUTS, **k_face}, parameters={"ratio": Parameter(
            _ghk_ratio(E_L_PUBLISHED, ref, axo["Na_i"], axo["K_i"]), "1",
            "derived: the leak reversal is the published -90 mV (= E_K) in normal plasma", "P_Na/P_K of the leak",
            (0.0, 100.0))}),
        GHKLeakReversal("E_h", rename={"E_L": "E_h"}, inputs={**_GHK_INPUTS, **k_face}, parameters={"ratio": Parameter(
            _ghk_ratio(E_H_PUBLISHED, ref, axo["Na_i"], axo["K_i"]), "1",
            f"derived: the HCN reversal is the published {E_H_PUBLISHED} mV in normal plasma ({GAINES})",
            "P_Na/P_K of HCN", (0.0, 100.0))}),
        *extra_rev,
    ]
    if pump_density == "balance":
        pump_density, pump_src = _balancing_pump_density(comps, n, const, ref, axo)
    else:
        pump_src = ("input: user-set pump_density (default 'balance': the density that extrudes the "
                    "resting Na influx in normal plasma)")
    weight = _pump_weight(pump_nodal_share, const["area"], masks["is_node"])
    if pump_density > 0:
        comps.append(AxonNaKPump("pump_nak", compartments=n, inputs={**AxonNaKPump.default_inputs(), **k_face},
                                 constants={"weight": weight}, parameters={
            "I_max": Parameter(float(pump_density), "uA/cm2", pump_src, "Maximal pump current density",
                               (0.0, 1e4)),
            "K_o_ref": ref.k, "Na_i_ref": axo["Na_i"]}))
    aliases = {"V": f"V[{11 * record_node}]"}
    aliases.update({f"V_node{i}": f"V[{11 * i}]" for i in range(n_nodes)})
    attributes = {
        "geometry": geo, "channels": channels, "fit": factors, "n_nodes": n_nodes, "stim_node": stim_node,
        "record_node": record_node,
        "node_compartments": np.arange(n_nodes) * 11, "stimulus": stimulus,
        "electrode_distance_mm": float(electrode_distance) if stimulus == "extracellular" else None,
        # I_stim in uA/cm2 of the stimulated node; extracellular: electrode current in uA, so an area
        # of 1 makes ``I[nA] = 1e3 * I_stim * stim_area_cm2`` hold for both
        "stim_area_cm2": float(const["area"][11 * stim_node]) if stimulus == "intracellular" else 1.0,
        "stimulus_unit": "uA/cm2" if stimulus == "intracellular" else "uA",
        # extracellular potential per uA of electrode current at each compartment, mV (0: intracellular)
        "extracellular_potential": const["phi"],
        "compartment_length_cm": const["length"], "compartment_kind": const["kind"],
    }
    # the cable's structure travels with its components: a channel composed into the axon (one
    # instance per compartment) keeps the rest finder, the node names and the banded Jacobian
    comps.append(ModelDeclarations(
        components=[c.name for c in comps], equilibrium_finder=_equilibrium_finder, aliases=aliases,
        labels={"membrane_potential": "V"},  # the recorded node
        jacobian_bandwidth=BANDED_BY_COMPARTMENT, attributes=attributes, stiff=True, electrolytes=e))
    model = Model(
        "motor_axon_myelinated", comps,
        citation=MRG if mrg2002 else f"{MRG}; {GAINES}",
        description=(f"Myelinated {'mammalian motor axon (MRG 2002 channels)' if mrg2002 else 'human motor axon'}"
                     + (" (fitted: " + ", ".join(f"{k} x{v:g}" for k, v in factors.items()) + ")" if factors else "")
                     + f", {geo.fibre_diameter:g} um fibre, {n_nodes} nodes "
                     f"({n} compartments), {e.celsius:g} C, {e.name!r} electrolytes."),
    )
    return model


#: Internodal sections whose leak, fast K, slow K and HCN densities :func:`fit_overrides` scales.
_INTERNODE = ("mysa", "flut", "stin")

#: Factors on the published Gaines et al. (2018) values at the nearest point of the grid of
#: ``experiments/axon_fit_search.py`` (``figures/axon_fit_search/axon_fit_search.json``): among
#: the points refractory at 2 ms and superexcitable after it (the shape of the human
#: median-motor recovery cycle), the one whose strength-duration time constant is nearest the
#: human median-motor mean, 0.459 ms (Mogyoros, Kiernan & Burke 1996, Brain 119:439). Fitted to
#: that one number and that shape, on an 11-node axon without the Na/K pump at 37 C; not the
#: default (the default is the published set). Keys: ``leak`` (internodal leak), ``k_hcn``
#: (internodal fast K, slow K and HCN together), ``nap`` (nodal persistent Na), ``h_rate``
#: (both nodal fast-Na inactivation rates).
HUMAN_BATTERY_FIT = {"leak": 0.1, "k_hcn": 1.0, "nap": 3.0, "h_rate": 0.3}


_INTERNODE_G = tuple(f"g_{s}" for s in _INTERNODE)
#: What each fit factor scales: ``(component name in the axon, its class, its parameters)``;
#: read by the build (:func:`motor_axon_myelinated` ``fit``) and by :func:`fit_overrides`.
_FIT_TARGETS = {
    "leak": (("leak", SectionLeak, _INTERNODE_G),),
    "k_hcn": (("ks", MRGSlowPotassium, _INTERNODE_G), ("kf", GainesFastPotassium, _INTERNODE_G),
              ("hcn", GainesHCN, _INTERNODE_G)),
    "nap": (("nap", MRGPersistentSodium, ("g",)),),
    "h_rate": (("naf", MRGSodium, ("h_rate",)),),
}
_FIT_KEYS = tuple(_FIT_TARGETS)


def _check_factor(name: str, value) -> float:
    value = float(value)
    if not (np.isfinite(value) and value >= 0.0) or (name == "h_rate" and value <= 0.0):
        raise ValueError(f"{name} = {value!r} must be a finite factor {'> 0' if name == 'h_rate' else '>= 0'}")
    return value


def _fit_factors(fit, channels: str) -> dict[str, float] | None:
    """The factors of ``fit`` (None: the published values), checked."""
    if fit is None:
        return None
    if channels != "gaines2018":
        raise ValueError(f"fit = {fit!r} scales the Gaines et al. 2018 channel set; channels = {channels!r}")
    if isinstance(fit, str):
        if fit != "human_battery":
            raise ValueError(f"fit = {fit!r}: expected None, 'human_battery' or a dict of factors {_FIT_KEYS}")
        fit = HUMAN_BATTERY_FIT
    unknown = set(fit) - set(_FIT_KEYS)
    if unknown:
        raise ValueError(f"fit has unknown keys {sorted(unknown)}; valid keys: {_FIT_KEYS}")
    return {k: _check_factor(k, fit.get(k, 1.0)) for k in _FIT_KEYS}


def _fitted_parameters(factors: dict[str, float] | None, fit) -> dict[str, dict[str, Parameter]]:
    """``{component name: {parameter: Parameter}}``: the published parameters each factor scales,
    times the factor, their sources saying so (a factor of 1 keeps the published value)."""
    out: dict[str, dict[str, Parameter]] = {}
    if factors is None:
        return out
    why = f"the {fit if isinstance(fit, str) else 'given'} fit (experiments/axon_fit_search.py)"
    for key, targets in _FIT_TARGETS.items():
        factor = factors[key]
        if factor == 1.0:
            continue
        for comp, cls, names in targets:
            d = cls.default_parameters()
            out.setdefault(comp, {}).update(
                {k: replace(d[k], value=factor * d[k].value, source=f"{d[k].source}; fitted: x {factor:g}, {why}")
                 for k in names})
    return out


def fit_overrides(model: Model, leak: float = 1.0, k_hcn: float = 1.0, nap: float = 1.0,
                  h_rate: float = 1.0) -> dict[str, float]:
    """Parameter overrides that scale a Gaines-channel axon's values by factors (without a rebuild).

    The factors multiply ``model``'s own values (the published ones unless it was built with
    ``fit``). Unlike ``motor_axon_myelinated(fit=...)``, the pump density stays the one derived
    for the model as built, so grid searches use an axon without the pump.

    Parameters
    ----------
    model : Model
        A :func:`motor_axon_myelinated` with ``channels="gaines2018"``.
    leak, k_hcn, nap, h_rate : float
        Factors (>= 0; ``h_rate`` > 0) on the internodal leak densities (MYSA, FLUT, STIN), the
        internodal fast K, slow K and HCN densities (one common factor), the nodal persistent Na
        density, and both nodal fast-Na inactivation rates. ``fit_overrides(model,
        **HUMAN_BATTERY_FIT)`` gives the fitted point of :data:`HUMAN_BATTERY_FIT`.

    Returns
    -------
    dict
        ``{parameter name: value}`` for ``nm.simulate(..., params=...)`` or
        :func:`~neuromuscle.analysis.threshold_tracking`.
    """
    if getattr(model, "channels", None) != "gaines2018":
        raise ValueError(f"model channels = {getattr(model, 'channels', None)!r}: fit_overrides scales the "
                         "Gaines et al. 2018 channel set (channels='gaines2018')")
    factors = {"leak": leak, "k_hcn": k_hcn, "nap": nap, "h_rate": h_rate}
    for name, value in factors.items():
        _check_factor(name, value)
    base = model.parameters
    return {f"{comp}.{k}": factors[key] * base[f"{comp}.{k}"].value
            for key, targets in _FIT_TARGETS.items() for comp, _, names in targets for k in names}
