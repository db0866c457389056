"""Excitation-contraction coupling: voltage-controlled opening of the SR Ca release channel.

:class:`SternRiosRelease` is the allosteric DHPR-RyR1 model of Stern, Pizarro & Ríos (1997)
in the 10-state form and with the values of the Shorten et al. (2007) whole-fibre model
(CellML component ``sternrios``; docs/research/calcium_atp.md section 1.2). Four voltage
sensors (the DHPR) move independently between resting and activated positions; the release
channel (RyR1) opens and closes with an equilibrium that each activated sensor shifts by the
allosteric factor ``f``:

* sensor activation ``k_C(V) = 0.5 alpha1 exp((V - V_bar)/(8 K))``, deactivation
  ``k_Cm(V) = 0.5 alpha1 exp((V_bar - V)/(8 K))``;
* C_i <-> C_{i+1}: ``(4 - i) k_C``, ``(i + 1) k_Cm``; O_i <-> O_{i+1}: ``(4 - i) k_C/f``,
  ``(i + 1) f k_Cm``;
* C_i <-> O_i: ``k_L/f^i``, ``k_Lm f^i``.

The scheme obeys detailed balance, so its equilibrium is closed-form
(:func:`release_open_probability`): with ``L = k_L/k_Lm`` and ``J(V) = k_C/k_Cm =
exp((V - V_bar)/(4 K))``, the occupancies are ``C_i ~ binom(4, i) J^i`` and
``O_i ~ L binom(4, i) (J/f^2)^i``, and ``Po = L (1 + J/f^2)^4 / ((1 + J)^4 + L (1 + J/f^2)^4)``.

Sensors feel the membrane field, so the voltage is taken at ``V - dV_surface`` (the
surface-charge gating shift used for every gate in the package). Rates are Shorten's; the
CellML has no temperature dependence, so they are taken to apply at 16 C and scale with
``q10`` (docs/models/ec_coupling.md).
"""

from __future__ import annotations

import numpy as np

from ..constants import FARADAY
from .base import Component, Output, Parameter, State

__all__ = ["SternRiosRelease", "SRCalcium", "PumpATPDemand", "release_open_probability", "release_equilibrium"]

def _shorten(component: str, section: str) -> str:
    """Source text for a value of Shorten et al. 2007, by CellML component and the section of
    docs/research/calcium_atp.md that lists it."""
    return (f"Shorten et al. 2007 J Muscle Res Cell Motil 28:293 (CellML component {component}; "
            f"docs/research/calcium_atp.md {section})")


_SHORTEN = _shorten("sternrios", "1.2")
#: Temperature of the Ca system's rate constants. Shorten et al. give no temperature; their
#: buffer constants are Baylor & Hollingworth's 1998 values for 16 C, and the validation data
#: (Baylor & Hollingworth 2003) are at 16 C. Rates scale by q10 ** ((celsius - 16)/10);
#: equilibrium constants do not move (docs/research/calcium_atp.md 1.9).
_CA_TREF = Parameter(16.0, "degC", "Baylor & Hollingworth 1998 J Gen Physiol 112:297 (16 C buffer constants, "
                     "as used by Shorten et al. 2007)", "Temperature at which the Ca-system rates apply",
                     (0.0, 45.0))
_BENNETT = "Bennett 1984 Am J Physiol 247:R217 (rate processes of muscle: Q10 2.0-2.5); value an assumption"
_Q10_RELEASE = Parameter(2.5, "1", _BENNETT, "Q10 of sensor movement and channel gating", (1.0, 10.0))
_SPR = "Stern, Pizarro & Rios 1997 J Gen Physiol 110:415"
_BINOM4 = (1.0, 4.0, 6.0, 4.0, 1.0)
#: Measured charge movement of mammalian fibres, used for the sensors' voltage dependence in
#: place of Shorten's (which is half as steep and gives a resting open probability, hence a
#: resting SR Ca cycling, about 5 times higher).
_SIMON_BEAM = "Simon & Beam 1985 J Gen Physiol 85:1 (rat omohyoid, 15 C: V_bar -34.2 mV, k 8.7 mV, Q_max 28.5 nC/uF)"


def release_equilibrium(V, k_L, k_Lm, f, K, V_bar):
    """Equilibrium occupancies ``(C0..C4, O0..O4)`` of the 10-state scheme at voltage ``V``
    (mV; the voltage the sensors feel)."""
    j = np.exp((np.asarray(V, dtype=float) - V_bar) / (4.0 * K))
    big_l = k_L / k_Lm
    closed = [b * j**i for i, b in enumerate(_BINOM4)]
    opened = [big_l * b * (j / (f * f)) ** i for i, b in enumerate(_BINOM4)]
    total = sum(closed) + sum(opened)
    return tuple(x / total for x in closed + opened)


def release_open_probability(V, k_L=0.002, k_Lm=1000.0, f=0.2, K=8.7 / 4.0, V_bar=-34.2):
    """Equilibrium open probability of the release channel at ``V`` (mV), closed form."""
    j = np.exp((np.asarray(V, dtype=float) - V_bar) / (4.0 * K))
    big_l = k_L / k_Lm
    opened = big_l * (1.0 + j / (f * f)) ** 4
    return opened / ((1.0 + j) ** 4 + opened)


class SternRiosRelease(Component):
    """Voltage-controlled SR Ca release channel: 10-state allosteric DHPR-RyR1 scheme.

    Provides ``Po_RyR``, the open probability, for a Ca-release flux. Renamed onto the
    t-tubular membrane with ``inputs={"V": "u"}``, as in Shorten et al. (2007), where the
    sensors sit.
    """

    states = tuple(State(f"C{i}", "1", f"Closed, {i} of 4 sensors activated", 1.0 if i == 0 else 0.0)
                   for i in range(5)) + tuple(
        State(f"O{i}", "1", f"Open, {i} of 4 sensors activated", 0.0) for i in range(5))
    outputs = (Output("P_open", "1", "Release channel open probability", provides="Po_RyR"),)
    citation = f"{_SPR}; values: {_SHORTEN}"

    @classmethod
    def default_parameters(cls):
        return {
            "k_L": Parameter(0.002, "1/ms", _SHORTEN, "Channel opening rate, no sensor activated", (0.0, 1e6)),
            "k_Lm": Parameter(1000.0, "1/ms", _SHORTEN, "Channel closing rate, no sensor activated", (1e-9, 1e9)),
            "f": Parameter(0.2, "1", _SHORTEN, "Allosteric factor per activated sensor", (1e-6, 1.0)),
            "alpha1": Parameter(0.2, "1/ms", _SHORTEN, "Sensor rate scale (k_C = k_Cm = alpha1/2 at V_bar)",
                                (1e-9, 1e6)),
            "K": Parameter(8.7 / 4.0, "mV", f"{_SIMON_BEAM}: Boltzmann slope k = 8.7 mV = 4 K (Shorten: K = 4.5)",
                           "Sensor voltage scale (J = exp((V - V_bar)/(4 K)))", (1e-3, 1e3)),
            "V_bar": Parameter(-34.2, "mV", f"{_SIMON_BEAM} (Shorten: -20)", "Sensor midpoint", (-200.0, 200.0)),
            "q10": _Q10_RELEASE,
            "celsius_ref": _CA_TREF,
        }

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "dV_surface": "dV_surface", "celsius": "celsius"}

    precomputed = ("phi",)

    @staticmethod
    def precompute(celsius, q10, celsius_ref):
        return (q10 ** ((celsius - celsius_ref) / 10.0),)

    @staticmethod
    def equations(V, dV_surface, C0, C1, C2, C3, C4, O0, O1, O2, O3, O4, k_L, k_Lm, f, alpha1, K, V_bar, phi):
        v = V - dV_surface
        a = 0.5 * phi * alpha1 * np.exp((v - V_bar) / (8.0 * K))  # k_C: one sensor activates
        b = 0.5 * phi * alpha1 * np.exp((V_bar - v) / (8.0 * K))  # k_Cm: one sensor deactivates
        k_L, k_Lm = phi * k_L, phi * k_Lm  # every rate scales alike: the equilibrium does not move
        # net fluxes of sensor movement, C_i -> C_{i+1} and O_i -> O_{i+1}
        c01, c12, c23, c34 = 4 * a * C0 - b * C1, 3 * a * C1 - 2 * b * C2, 2 * a * C2 - 3 * b * C3, a * C3 - 4 * b * C4
        o01 = 4 * a / f * O0 - f * b * O1
        o12 = 3 * a / f * O1 - 2 * f * b * O2
        o23 = 2 * a / f * O2 - 3 * f * b * O3
        o34 = a / f * O3 - 4 * f * b * O4
        # net opening fluxes, C_i -> O_i
        f2 = f * f
        l0 = k_L * C0 - k_Lm * O0
        l1 = k_L / f * C1 - k_Lm * f * O1
        l2 = k_L / f2 * C2 - k_Lm * f2 * O2
        l3 = k_L / (f2 * f) * C3 - k_Lm * f2 * f * O3
        l4 = k_L / (f2 * f2) * C4 - k_Lm * f2 * f2 * O4
        return (O0 + O1 + O2 + O3 + O4,
                -c01 - l0, c01 - c12 - l1, c12 - c23 - l2, c23 - c34 - l3, c34 - l4,
                -o01 + l0, o01 - o12 + l1, o12 - o23 + l2, o23 - o34 + l3, o34 + l4)

    @staticmethod
    def steady_state(V, dV_surface, k_L, k_Lm, f, K, V_bar):
        return release_equilibrium(V - dV_surface, k_L, k_Lm, f, K, V_bar)


_SH_CA = _shorten("razumova", "1.2")  # release, leak and initial state of the Ca system
_SH_BUF = f"{_shorten('razumova', '1.4')}; frog values of Baylor & Hollingworth 1998"
_SH_SERCA = _shorten("razumova", "1.5")
_SH_GEOM = _shorten("razumova", "1.1")


_SR_SPECIES = ("Ca", "CaATP", "MgATP", "ATP", "Mg", "CaP", "MgP", "CaSR", "CaCS", "ADP", "Pi", "PCr")
#: Calsequestrin (docs/research/calcium_atp.md 5). Shorten's k_off (0.005/ms) hands bound Ca
#: back so slowly that the SR's free Ca empties within a millisecond of release; mouse fibres
#: show near-equilibrium SR buffering through release instead (Manno et al. 2013). No in-situ
#: skeletal rate is published, so the rate is a fast one from a cardiac model, and the
#: affinity follows from two mammalian measurements, with Shorten's 31 mM of sites and SR
#: volume (5 % of the fibre): SR Ca content 1.01 mM per fibre volume (20.2 mM per SR volume)
#: at a free SR Ca of 0.35 mM give K_D = 0.35 (31 - 19.85)/19.85 = 0.197 mM.
_CSQ_RATE = ("Shannon et al. 2004 Biophys J 87:3351 (cardiac calsequestrin k_off 65/ms; fast against release, "
             "as the near-equilibrium SR buffering during release in mouse fibres requires: Manno et al. 2013 "
             "J Physiol 591:423; Beltran et al. 2006's 109/s for isolated junctional SR would limit release)")
_CSQ_AFFINITY = ("K_D 0.197 mM from Fryer & Stephenson 1996 J Physiol 493:357 (SR Ca content 1.01 mM per fibre "
                 "volume, rat fast-twitch) and a resting free SR Ca of 0.35 mM (0.31 mM mouse, quoted by Royer et al. "
                 "2010 J Gen Physiol 136:325; 0.39 mM, Ziman et al. 2010 Biophys J 99:2705), with 31 mM sites")
_CSQ_KOFF = 65.0  # 1/ms
_CSQ_KD = 0.35 * (31.0 - 19.85) / 19.85  # mM
#: mM: Shorten's initial state, except the SR load (free SR Ca 0.35 mM, calsequestrin in
#: equilibrium with it: the content of Fryer & Stephenson 1996); ADP, Pi and PCr (not in
#: Shorten): Kushmerick et al. 1992 (_KMW)
_SR_INITIAL = {"Ca": 1e-4, "CaATP": 4e-4, "MgATP": 7.2, "ATP": 0.7996, "Mg": 1.0, "CaP": 0.615, "MgP": 0.811,
               "CaSR": 0.35, "CaCS": 31.0 * 0.35 / (0.35 + _CSQ_KD), "ADP": 0.008, "Pi": 0.8, "PCr": 32.0}
_SR_DESCRIBED = {"Ca": "free Ca", "CaATP": "Ca-ATP", "MgATP": "Mg-ATP", "ATP": "free ATP", "Mg": "free Mg",
                 "CaP": "Ca-parvalbumin", "MgP": "Mg-parvalbumin", "CaSR": "free Ca in the SR",
                 "CaCS": "Ca-calsequestrin in the SR", "ADP": "ADP (free and Mg-bound, lumped)",
                 "Pi": "inorganic phosphate", "PCr": "phosphocreatine"}


#: Regulatory units of the thin filament and crossbridges (bulk compartment; Razumova, Bukatina
#: & Campbell 1999 as used by Shorten et al. 2007): name, description, Shorten's initial value (mM).
_XB_STATES = (
    ("CaT", "troponin with one Ca, non-permissive", 0.025),
    ("CaCaT", "troponin with two Ca, non-permissive", 0.003),
    ("D0", "permissive, detached, no Ca", 0.0008),
    ("D1", "permissive, detached, one Ca", 0.0012),
    ("D2", "permissive, detached, two Ca", 0.003),
    ("A1", "attached crossbridge, pre-power-stroke", 0.0003),
    ("A2", "attached crossbridge, post-power-stroke (force-bearing)", 0.00023),
)
_DUTKA_LAMB = ("derived from Dutka & Lamb 2004 J Physiol 560:451 (rat fast-twitch skinned fibres with working "
               "EC coupling: free Mg 1 -> 3 mM cut AP-induced release by about 40 %, so (1 + 1/K)/(1 + 3/K) = 0.6 "
               "gives K = 2 mM); Balog et al. 2001's I-site K_I,Mg of 0.3 mM (ryanodine binding) would give -61 %")
_FIBRE_RADIUS = ("assumption: fast-twitch rat and mouse limb fibres are 40-60 um across; the pump's ATP use "
                 "scales as 1/radius")
_RBC = "Razumova, Bukatina & Campbell 1999 Biophys J 77:1712, as used (with its values) by Shorten et al. 2007"
_FER = "Ferenczi, Goldman & Simmons 1984 J Physiol 350:519 (Km of MgATP for crossbridge turnover, frog, 0-5 C)"


#: ATP resupply (not in Shorten et al.; docs/research/calcium_atp.md 1.8). Creatine kinase runs
#: near equilibrium; the metabolic supply (glycolysis and oxidative phosphorylation, lumped)
#: rises as PCr falls and Pi rises, up to its capacity ``V_supply``, the knob for a reduced supply.
#: SERCA: the cooperative pump of Senneff & Lowery's whole-fibre model (Shorten's is
#: non-cooperative, K 1 uM), which pumps less at rest and so lets the measured SR load
#: (0.35 mM free) coexist with a resting myoplasmic Ca in the tens of nM
_SENNEFF_SERCA = ("Senneff & Lowery 2021 J Theor Biol 519:110656, code (SERCA: vusr, Kcsr, n_S); SERCA1 Ca "
                  "activation is cooperative (Hill coefficient near 2)")
#: Ca-dependent inactivation of release (Baylor & Hollingworth 2007): recovery measured, onset
#: calibrated (experiments/calibrate_release.py)
_BH07 = "Baylor & Hollingworth 2007 J Gen Physiol 130:283 (mouse fast-twitch fibres, 16 C)"
_CDI_KOFF = 0.007  # 1/ms: recovery rate constant 7/s of the second release in a two-AP protocol
_CDI_KON = 4.68  # 1/(mM ms): calibrated
_CDI = f"{_BH07}: recovery from inactivation 7/s (two-AP protocol)"
_CDI_ON = (f"calibrated with nu_rel (experiments/calibrate_release.py) to {_BH07}: peak release, release FDHM, "
           "and the second of two releases, 0.25 of the first at 15 ms recovering at 7/s (so 0.41 at 50 ms)")
_KMW = ("Kushmerick, Moerland & Wiseman 1992 PNAS 89:7521 (type 2a/2b rat and mouse fibres: 8 mM ATP, "
        "39 mM total creatine, 32 mM PCr, 0.8 mM Pi, 8 uM free ADP)")
_METABOLISM = {
    "Cr_tot": Parameter(39.0, "mM", _KMW, "Total creatine (PCr + Cr)", (0.0, 200.0)),
    "K_CK": Parameter(177.0, "1", "Teague & Dobson 1992 J Biol Chem 267:14084 (38 C, pH 7.0, 1 mM free Mg, "
                      "I 0.25 M: 177 +/- 7)", "Apparent CK equilibrium constant [Cr][ATP]/([PCr][ADP])", (1e-3, 1e6)),
    "k_CK": Parameter(0.05, "1/(mM ms)", "Kim et al. 2021 NMR Biomed 34:e4435 (mouse hindlimb in vivo: "
                      "PCr -> ATP rate constant 0.40/s) divided by the resting free ADP of 8 uM (Kushmerick et al. "
                      "1992)", "CK forward rate constant (PCr + ADP)", (0.0, 1e9)),
    "V_supply": Parameter(4.7e-3, "mM/ms", "Conley, Jubrias & Esselman 2000 J Physiol 526:203 (maximal oxidative "
                          "ATP synthesis 1.16 mM/s, human vastus lateralis) + Walter et al. 1999 J Physiol 519:901 "
                          "(peak glycolytic ATP synthesis 207 mM/min = 3.5 mM/s, human gastrocnemius)",
                          "Metabolic ATP supply capacity (oxidative + glycolytic)", (0.0, 1.0)),
    "K_PCr_Pi": Parameter(0.6, "1", "Chance et al. 1986 PNAS 83:9458 (human muscle in vivo, 31P-MRS: "
                          "V/V_max = 1/(1 + 0.6 PCr/Pi))", "PCr/Pi control constant of the supply", (1e-6, 1e3)),
}


def _per_mM(value_per_uM_ms: float) -> float:
    """A second-order rate constant from 1/(uM ms), as published, to 1/(mM ms)."""
    return value_per_uM_ms * 1000.0


class SRCalcium(Component):
    """Ca release, uptake and buffering in a triadic and a bulk myoplasmic compartment with
    their SR (Shorten et al. 2007), in mM and ms.

    Compartments (suffix ``_1``: triadic myoplasm, 1 % of the myoplasm, with the terminal SR,
    1 % of the SR; suffix ``_2``: bulk myoplasm and longitudinal SR) of a half-sarcomere
    cylinder. Each myoplasmic compartment holds free Ca, Mg and ATP, CaATP, MgATP and
    parvalbumin with Ca/Mg competition; each SR compartment holds free Ca and Ca-calsequestrin.
    Fluxes, each an amount per ms (mM um3/ms) divided by the volume it enters:

    * release ``nu_rel Po_RyR (1 - I_rel) g_Mg (Ca_SR_1 - Ca_1)`` from the terminal SR into the
      triad, with ``g_Mg = (1 + Mg_ref/K_I_Mg)/(1 + Mg_1/K_I_Mg)`` the inhibition by free Mg at
      the RyR (1 at Shorten's 1 mM; K_I_Mg derived from Dutka & Lamb 2004) and ``I_rel`` the
      fraction of channels inactivated by triadic Ca, ``dI_rel/dt = kon_inact Ca_1 (1 - I_rel)
      - koff_inact I_rel`` (recovery 7/s, Baylor & Hollingworth 2007; onset calibrated);
    * SERCA ``nu_SR Ca^n/(Ca^n + K_SR^n) MgATP/(K_MgATP + MgATP)`` in each compartment;
    * leak ``L_e (Ca_SR - Ca)`` in each compartment;
    * exchange ``tau (X_1 - X_2)`` of free Ca, ATP species and Mg between the myoplasmic
      compartments and of free Ca between the SR compartments (buffers do not move).

    In the bulk compartment Ca also binds troponin, and thin-filament regulatory units and
    crossbridges cycle (Razumova et al. 1999 scheme, Shorten's values): non-permissive T0, CaT,
    CaCaT; permissive detached D0, D1, D2; attached A1 and force-bearing A2 (force is taken as
    proportional to A2, as in Shorten). Detachment of A2 needs MgATP: its rate is Shorten's
    ``g_o`` times ``MgATP/(K_m + MgATP)`` normalised to 1 at 7.2 mM MgATP (K_m 0.47 mM,
    Ferenczi et al. 1984), so that without ATP the bridges stay attached (rigor).

    ATP budget (not in Shorten): MgATP is hydrolysed to ADP + Pi + free Mg by SERCA (one ATP
    per two Ca), by myosin (one per A2 detachment) and by the Na/K pump (input ``J_NaK``,
    mM/ms, from :class:`PumpATPDemand`); creatine kinase (near equilibrium, apparent constant
    ``K_CK`` on total ATP and ADP) and a metabolic supply ``V_supply/(1 + K_PCr_Pi PCr/Pi)``
    (the in-vivo control law of Chance et al. 1986, which also needs Pi as substrate)
    regenerate free ATP. ADP is lumped (free and Mg-bound).

    No reaction creates or destroys Ca or Mg; adenine nucleotides (ATP species + ADP) and
    phosphate (ATP species + PCr + Pi) are moved, not made (all tested).
    """

    states = tuple(State(f"{s}_{k}", "mM", f"{_SR_DESCRIBED[s]}, {'triadic' if k == 1 else 'bulk'} compartment",
                         _SR_INITIAL[s]) for k in (1, 2) for s in _SR_SPECIES) + tuple(
        State(name, "mM", desc, init) for name, desc, init in _XB_STATES) + (
        State("I_rel", "1", "Release channels with Ca at their inactivation site (fraction)", 0.0),)
    outputs = (
        Output("Ca_cyt", "mM", "Free myoplasmic Ca, volume average", provides="Ca_cyt"),
        Output("J_rel", "mM/ms", "Release flux, per volume of myoplasm"),
        Output("J_up", "mM/ms", "SERCA uptake flux, per volume of myoplasm"),
        Output("F_rel", "1", "Force-bearing crossbridges A2 as a fraction of regulatory units (force ~ A2)"),
        Output("MgATP_cyt", "mM", "MgATP, volume average", provides="MgATP_cyt"),
        Output("J_ATP", "mM/ms", "ATP hydrolysis (SERCA, Na/K pump, myosin), per volume of myoplasm"),
    )
    citation = f"{_SH_CA}; SERCA MgATP term: Senneff & Lowery 2021"

    @classmethod
    def default_parameters(cls):
        um3 = "um3"
        return {
            "L_x": Parameter(1.1, "um", _SH_GEOM, "Half-sarcomere length", (1e-3, 100.0)),
            "R": Parameter(0.5, "um", _SH_GEOM, "Radius of the cylinder", (1e-3, 100.0)),
            "frac_myo": Parameter(0.95, "1", _SH_GEOM, "Myoplasm fraction of the cylinder", (0.0, 1.0)),
            "frac_1": Parameter(0.01, "1", _SH_GEOM, "Triadic fraction of myoplasm and of SR", (1e-6, 0.5)),
            "nu_rel": Parameter(10.97, f"{um3}/ms", f"calibrated (experiments/calibrate_release.py) to {_BH07}: peak "
                                "release 200-225 uM/ms, FDHM 1.6 ms (Shorten's 300, for 1.5 mM free SR Ca, would "
                                "give a release limited by the exchange terms only)", "Release permeability x volume",
                                (0.0, 1e6)),
            "L_e": Parameter(2e-5, f"{um3}/ms", _SH_CA, "SR leak permeability x volume", (0.0, 1e3)),
            "kon_inact": Parameter(_CDI_KON, "1/(mM ms)", _CDI_ON, "Ca binding to the release channel's inactivation "
                                   "site (triadic Ca)", (0.0, 1e9)),
            "koff_inact": Parameter(_CDI_KOFF, "1/ms", _CDI, "Recovery from Ca-dependent inactivation", (0.0, 1e9)),
            "K_I_Mg": Parameter(2.0, "mM", _DUTKA_LAMB, "Free Mg inhibiting voltage-driven release by half",
                                (1e-6, 1e3)),
            "Mg_ref": Parameter(1.0, "mM", f"{_SH_CA}: free Mg of its initial state, at which nu_rel applies",
                                "Free Mg at which release is unmodified", (1e-6, 100.0)),
            "nu_SR": Parameter(2.4375e-3, f"mM {um3}/ms", f"{_SENNEFF_SERCA} (vusr 2.4375 uM um3/ms; Shorten: 4.875)",
                               "SERCA maximal flux per compartment", (0.0, 1e3)),
            "K_SR": Parameter(0.27 ** (1.0 / 1.7) * 1e-3, "mM", f"{_SENNEFF_SERCA} (Kcsr 0.27 uM^1.7, so "
                              "K = 0.463 uM; Shorten: 1 uM with n = 1)", "SERCA half-activation by Ca", (1e-9, 10.0)),
            "n_SR": Parameter(1.7, "1", _SENNEFF_SERCA, "Hill coefficient of SERCA's Ca activation", (0.5, 4.0)),
            "K_MgATP": Parameter(0.016, "mM", "Senneff & Lowery 2021 code (ATP dependence 'Lytton', 0.02 x 799.6 uM); "
                                 "original unconfirmed (docs/research/calcium_atp.md 1.5)",
                                 "SERCA half-activation by MgATP", (1e-9, 100.0)),
            "kon_CaATP": Parameter(_per_mM(0.15), "1/(mM ms)", _SH_BUF, "Ca-ATP on-rate", (0.0, 1e9)),
            "koff_CaATP": Parameter(30.0, "1/ms", _SH_BUF, "Ca-ATP off-rate", (0.0, 1e9)),
            "kon_MgATP": Parameter(_per_mM(0.0015), "1/(mM ms)", _SH_BUF, "Mg-ATP on-rate", (0.0, 1e9)),
            "koff_MgATP": Parameter(0.15, "1/ms", _SH_BUF, "Mg-ATP off-rate", (0.0, 1e9)),
            "kon_CaP": Parameter(_per_mM(0.0417), "1/(mM ms)", _SH_BUF, "Ca-parvalbumin on-rate", (0.0, 1e9)),
            "koff_CaP": Parameter(0.0005, "1/ms", _SH_BUF, "Ca-parvalbumin off-rate", (0.0, 1e9)),
            "kon_MgP": Parameter(_per_mM(3.3e-5), "1/(mM ms)", _SH_BUF, "Mg-parvalbumin on-rate", (0.0, 1e9)),
            "koff_MgP": Parameter(0.003, "1/ms", _SH_BUF, "Mg-parvalbumin off-rate", (0.0, 1e9)),
            "P_tot": Parameter(1.5, "mM", _SH_BUF, "Parvalbumin sites (Ca/Mg shared)", (0.0, 100.0)),
            "kon_CS": Parameter(_CSQ_KOFF / _CSQ_KD, "1/(mM ms)", f"k_off/K_D: {_CSQ_RATE}; {_CSQ_AFFINITY}",
                                "Ca-calsequestrin on-rate", (0.0, 1e9)),
            "koff_CS": Parameter(_CSQ_KOFF, "1/ms", _CSQ_RATE, "Ca-calsequestrin off-rate", (0.0, 1e9)),
            "CS_tot": Parameter(31.0, "mM", _SH_BUF, "Calsequestrin sites per SR volume", (0.0, 1e3)),
            "tau_Ca": Parameter(0.75, f"{um3}/ms", _SH_BUF, "Myoplasmic Ca exchange between compartments",
                                (0.0, 1e6)),
            "tau_SR": Parameter(20.0, f"{um3}/ms", "large enough not to limit release: fitted with nu_rel and "
                                "kon_inact, it went to infinity, and above about 20 nothing depends on it "
                                "(experiments/calibrate_release.py; Shorten's 0.75 starves release at the measured "
                                "SR load)", "SR Ca exchange between compartments", (0.0, 1e6)),
            "tau_ATP": Parameter(0.375, f"{um3}/ms", _SH_BUF, "ATP species exchange", (0.0, 1e6)),
            "tau_Mg": Parameter(1.5, f"{um3}/ms", _SH_BUF, "Mg exchange", (0.0, 1e6)),
            "kon_T": Parameter(_per_mM(0.04425), "1/(mM ms)", _RBC, "Ca-troponin on-rate (each of 2 sites)",
                               (0.0, 1e9)),
            "koff_T": Parameter(0.115, "1/ms", _RBC, "Ca-troponin off-rate", (0.0, 1e9)),
            "T_tot": Parameter(0.14, "mM", _RBC, "Regulatory units (bulk compartment)", (0.0, 100.0)),
            "k0_on": Parameter(0.0, "1/ms", _RBC, "T0 -> D0 and CaT -> D1 (permissive without 2 Ca)", (0.0, 1e6)),
            "k0_off": Parameter(0.15, "1/ms", _RBC, "D0 -> T0 and D1 -> CaT", (0.0, 1e6)),
            "kCa_on": Parameter(0.15, "1/ms", _RBC, "CaCaT -> D2", (0.0, 1e6)),
            "kCa_off": Parameter(0.05, "1/ms", _RBC, "D2 -> CaCaT", (0.0, 1e6)),
            "f_o": Parameter(1.5, "1/ms", _RBC, "Attachment D2 -> A1", (0.0, 1e6)),
            "f_p": Parameter(15.0, "1/ms", _RBC, "Detachment A1 -> D2", (0.0, 1e6)),
            "h_o": Parameter(0.24, "1/ms", _RBC, "Power stroke A1 -> A2", (0.0, 1e6)),
            "h_p": Parameter(0.18, "1/ms", _RBC, "Reverse stroke A2 -> A1", (0.0, 1e6)),
            "g_o": Parameter(0.12, "1/ms", f"{_RBC} (at Shorten's 7.2 mM MgATP)", "Detachment A2 -> D2",
                             (0.0, 1e6)),
            "K_m_XB": Parameter(0.47, "mM", _FER, "Half-saturation of detachment by MgATP", (1e-9, 100.0)),
            "MgATP_ref": Parameter(7.2, "mM", f"{_SH_CA}: MgATP of its initial state, where g_o applies",
                                   "MgATP at which the detachment rate is g_o", (1e-9, 100.0)),
            **_METABOLISM,
            "q10_SERCA": Parameter(2.5, "1", _BENNETT, "Q10 of SERCA's maximal rate", (1.0, 10.0)),
            "q10_buffer": Parameter(2.0, "1", _BENNETT, "Q10 of Ca/Mg binding and unbinding (ATP, parvalbumin, "
                                    "calsequestrin, troponin)", (1.0, 10.0)),
            "q10_XB": Parameter(2.0, "1", f"{_BENNETT}; Ranatunga 1984 J Physiol 351:517 (rat EDL V_max: 1.8 at "
                                "25-35 C, 2.4 below 20 C)", "Q10 of the thin-filament and crossbridge rates",
                                (1.0, 10.0)),
            "celsius_ref": _CA_TREF,
        }

    @classmethod
    def default_inputs(cls):
        return {"Po": "Po_RyR", "J_NaK": "J_ATP_NaK", "celsius": "celsius"}

    precomputed = ("V_1", "V_2", "V_SR1", "V_SR2", "phi_up", "phi_buf", "phi_xb")

    @staticmethod
    def precompute(L_x, R, frac_myo, frac_1, celsius=16.0, celsius_ref=16.0, q10_SERCA=1.0, q10_buffer=1.0,
                   q10_XB=1.0):
        cylinder = L_x * np.pi * R * R
        v_myo, v_sr = frac_myo * cylinder, (1.0 - frac_myo) * cylinder
        dt = (celsius - celsius_ref) / 10.0
        return (frac_1 * v_myo, (1.0 - frac_1) * v_myo, frac_1 * v_sr, (1.0 - frac_1) * v_sr,
                q10_SERCA ** dt, q10_buffer ** dt, q10_XB ** dt)

    @staticmethod
    def equations(Po, J_NaK, Ca_1, CaATP_1, MgATP_1, ATP_1, Mg_1, CaP_1, MgP_1, CaSR_1, CaCS_1, ADP_1, Pi_1, PCr_1,
                  Ca_2, CaATP_2, MgATP_2, ATP_2, Mg_2, CaP_2, MgP_2, CaSR_2, CaCS_2, ADP_2, Pi_2, PCr_2,
                  CaT, CaCaT, D0, D1, D2, A1, A2, I_rel,
                  nu_rel, kon_inact, koff_inact, L_e, K_I_Mg, Mg_ref, nu_SR, K_SR, n_SR, K_MgATP,
                  kon_CaATP, koff_CaATP, kon_MgATP, koff_MgATP,
                  kon_CaP, koff_CaP,
                  kon_MgP, koff_MgP, P_tot, kon_CS, koff_CS, CS_tot, tau_Ca, tau_SR, tau_ATP, tau_Mg,
                  kon_T, koff_T, T_tot, k0_on, k0_off, kCa_on, kCa_off, f_o, f_p, h_o, h_p, g_o, K_m_XB, MgATP_ref,
                  Cr_tot, K_CK, k_CK, V_supply, K_PCr_Pi,
                  V_1, V_2, V_SR1, V_SR2, phi_up, phi_buf, phi_xb):
        # temperature: binding rates (on and off alike, so affinities stay), SERCA and the
        # filament/crossbridge rates scale by their Q10s; release permeability, leak,
        # exchange and the ATP supply do not
        kon_CaATP, koff_CaATP = phi_buf * kon_CaATP, phi_buf * koff_CaATP
        kon_MgATP, koff_MgATP = phi_buf * kon_MgATP, phi_buf * koff_MgATP
        kon_CaP, koff_CaP = phi_buf * kon_CaP, phi_buf * koff_CaP
        kon_MgP, koff_MgP = phi_buf * kon_MgP, phi_buf * koff_MgP
        kon_CS, koff_CS = phi_buf * kon_CS, phi_buf * koff_CS
        kon_T, koff_T = phi_buf * kon_T, phi_buf * koff_T
        nu_SR = phi_up * nu_SR
        k0_on, k0_off, kCa_on, kCa_off = phi_xb * k0_on, phi_xb * k0_off, phi_xb * kCa_on, phi_xb * kCa_off
        f_o, f_p, h_o, h_p, g_o = phi_xb * f_o, phi_xb * f_p, phi_xb * h_o, phi_xb * h_p, phi_xb * g_o
        # binding reactions, net rates (mM/ms) in each compartment
        b_catp1 = kon_CaATP * Ca_1 * ATP_1 - koff_CaATP * CaATP_1
        b_catp2 = kon_CaATP * Ca_2 * ATP_2 - koff_CaATP * CaATP_2
        b_matp1 = kon_MgATP * Mg_1 * ATP_1 - koff_MgATP * MgATP_1
        b_matp2 = kon_MgATP * Mg_2 * ATP_2 - koff_MgATP * MgATP_2
        free_p1 = P_tot - CaP_1 - MgP_1
        free_p2 = P_tot - CaP_2 - MgP_2
        b_cap1 = kon_CaP * Ca_1 * free_p1 - koff_CaP * CaP_1
        b_cap2 = kon_CaP * Ca_2 * free_p2 - koff_CaP * CaP_2
        b_mgp1 = kon_MgP * Mg_1 * free_p1 - koff_MgP * MgP_1
        b_mgp2 = kon_MgP * Mg_2 * free_p2 - koff_MgP * MgP_2
        b_cs1 = kon_CS * CaSR_1 * (CS_tot - CaCS_1) - koff_CS * CaCS_1
        b_cs2 = kon_CS * CaSR_2 * (CS_tot - CaCS_2) - koff_CS * CaCS_2
        # membrane fluxes between SR and myoplasm (amount/ms, mM um3/ms), SR -> myoplasm positive
        # Mg at the RyR's inhibitory site lowers release; 1 at Shorten's 1 mM free Mg
        # and triadic Ca inactivates it (channels with Ca at the inactivation site do not conduct)
        rel = nu_rel * Po * (1.0 - I_rel) * (1.0 + Mg_ref / K_I_Mg) / (1.0 + Mg_1 / K_I_Mg) * (CaSR_1 - Ca_1)
        inact = phi_buf * (kon_inact * Ca_1 * (1.0 - I_rel) - koff_inact * I_rel)
        # (a solver's tiny negative Ca must not give a NaN power)
        c1, c2, k_n = np.maximum(Ca_1, 0.0) ** n_SR, np.maximum(Ca_2, 0.0) ** n_SR, K_SR**n_SR
        up1 = nu_SR * c1 / (c1 + k_n) * MgATP_1 / (K_MgATP + MgATP_1)
        up2 = nu_SR * c2 / (c2 + k_n) * MgATP_2 / (K_MgATP + MgATP_2)
        leak1 = L_e * (CaSR_1 - Ca_1)
        leak2 = L_e * (CaSR_2 - Ca_2)
        # exchange between compartments (amount/ms), 1 -> 2 positive
        x_ca = tau_Ca * (Ca_1 - Ca_2)
        x_sr = tau_SR * (CaSR_1 - CaSR_2)
        x_catp = tau_ATP * (CaATP_1 - CaATP_2)
        x_matp = tau_ATP * (MgATP_1 - MgATP_2)
        x_atp = tau_ATP * (ATP_1 - ATP_2)
        x_mg = tau_Mg * (Mg_1 - Mg_2)
        # thin filament and crossbridges (bulk compartment): Ca binding to each form ...
        t0 = T_tot - CaT - CaCaT - D0 - D1 - D2 - A1 - A2
        b_t0 = kon_T * Ca_2 * t0 - koff_T * CaT
        b_t1 = kon_T * Ca_2 * CaT - koff_T * CaCaT
        b_d0 = kon_T * Ca_2 * D0 - koff_T * D1
        b_d1 = kon_T * Ca_2 * D1 - koff_T * D2
        # ... permissive transitions and the cycle; A2 detachment needs MgATP
        p_0 = k0_on * t0 - k0_off * D0
        p_1 = k0_on * CaT - k0_off * D1
        p_2 = kCa_on * CaCaT - kCa_off * D2
        attach = f_o * D2 - f_p * A1
        stroke = h_o * A1 - h_p * A2
        g_eff = g_o * (MgATP_2 / (K_m_XB + MgATP_2)) * ((K_m_XB + MgATP_ref) / MgATP_ref)
        detach = g_eff * A2
        # ATP: MgATP -> ADP + Pi + Mg by SERCA (1 per 2 Ca), the Na/K pump (same rate per volume
        # everywhere) and myosin (1 per detachment); ADP -> ATP by creatine kinase (apparent
        # equilibrium constant on total ATP and ADP) and by the metabolic supply, which
        # rises as PCr falls and Pi rises (Chance et al. 1986)
        hyd1 = 0.5 * up1 / V_1 + J_NaK
        hyd2 = 0.5 * up2 / V_2 + J_NaK + detach
        ck1 = k_CK * (PCr_1 * ADP_1 - (Cr_tot - PCr_1) * (ATP_1 + MgATP_1 + CaATP_1) / K_CK)
        ck2 = k_CK * (PCr_2 * ADP_2 - (Cr_tot - PCr_2) * (ATP_2 + MgATP_2 + CaATP_2) / K_CK)
        sup1 = V_supply * Pi_1 / (Pi_1 + K_PCr_Pi * PCr_1)
        sup2 = V_supply * Pi_2 / (Pi_2 + K_PCr_Pi * PCr_2)
        x_adp = tau_ATP * (ADP_1 - ADP_2)
        x_pi = tau_ATP * (Pi_1 - Pi_2)
        x_pcr = tau_ATP * (PCr_1 - PCr_2)  # creatine moves the other way, so its total stays uniform
        v_myo = V_1 + V_2
        ca_cyt = (V_1 * Ca_1 + V_2 * Ca_2) / v_myo
        return (
            ca_cyt, rel / v_myo, (up1 + up2) / v_myo, A2 / T_tot,
            (V_1 * MgATP_1 + V_2 * MgATP_2) / v_myo, (V_1 * hyd1 + V_2 * hyd2) / v_myo,
            # compartment 1
            (rel - up1 + leak1 - x_ca) / V_1 - b_catp1 - b_cap1,
            -x_catp / V_1 + b_catp1,
            -x_matp / V_1 + b_matp1 - hyd1,
            -x_atp / V_1 - b_catp1 - b_matp1 + ck1 + sup1,
            -x_mg / V_1 - b_matp1 - b_mgp1 + hyd1,
            b_cap1,
            b_mgp1,
            (-rel + up1 - leak1 - x_sr) / V_SR1 - b_cs1,
            b_cs1,
            -x_adp / V_1 + hyd1 - ck1 - sup1,
            -x_pi / V_1 + hyd1 - sup1,
            -x_pcr / V_1 - ck1,
            # compartment 2
            (-up2 + leak2 + x_ca) / V_2 - b_catp2 - b_cap2 - b_t0 - b_t1 - b_d0 - b_d1,
            x_catp / V_2 + b_catp2,
            x_matp / V_2 + b_matp2 - hyd2,
            x_atp / V_2 - b_catp2 - b_matp2 + ck2 + sup2,
            x_mg / V_2 - b_matp2 - b_mgp2 + hyd2,
            b_cap2,
            b_mgp2,
            (up2 - leak2 + x_sr) / V_SR2 - b_cs2,
            b_cs2,
            x_adp / V_2 + hyd2 - ck2 - sup2,
            x_pi / V_2 + hyd2 - sup2,
            x_pcr / V_2 - ck2,
            # CaT, CaCaT, D0, D1, D2, A1, A2
            b_t0 - b_t1 - p_1,
            b_t1 - p_2,
            p_0 - b_d0,
            p_1 + b_d0 - b_d1,
            p_2 + b_d1 - attach + detach,
            attach - stroke,
            stroke - detach,
            inact,
        )


class PumpATPDemand(Component):
    """ATP used by the Na/K pump, per volume of myoplasm: one ATP per pump cycle, which moves
    one net charge, so ``J = (I_surface + gamma I_tubule) (A/V) / F`` with ``A/V = 2/r`` of a
    cylindrical fibre (surface only: the tubular membrane is counted through ``gamma``).

    Provides ``J_ATP_NaK`` (mM/ms) for :class:`SRCalcium`. Keep ``gamma`` equal to the
    fibre's ``access.gamma`` (:func:`neuromuscle.muscle_ec` does).
    """

    states = ()
    outputs = (Output("J", "mM/ms", "ATP used by the Na/K pump per volume of myoplasm", provides="J_ATP_NaK"),)
    citation = "stoichiometry 3 Na : 2 K : 1 ATP (Skou; Post & Jolly 1957)"

    @classmethod
    def default_parameters(cls):
        return {
            "gamma": Parameter(4.8, "1", "Wallinga et al. 1999 (tubular membrane per unit surface)",
                               "Tubular membrane area per unit surface area", (0.0, 100.0)),
            "radius": Parameter(25.0, "um", _FIBRE_RADIUS, "Fibre radius", (1.0, 500.0)),
        }

    @classmethod
    def default_inputs(cls):
        return {"I_s": "pump.I", "I_t": "pump_t.I"}

    @staticmethod
    def equations(I_s, I_t, gamma, radius):
        area_per_volume = 2.0 / (radius * 1e-4)  # cm^-1
        # uA/cm2 -> mol/(s cm2) is 1e-6/F; per cm3 -> M/s is x1e3; M/s -> mM/ms is x1
        return ((I_s + gamma * I_t) * area_per_volume * 1e-3 / FARADAY,)
