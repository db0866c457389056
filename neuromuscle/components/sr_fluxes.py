"""Ca fluxes across the SR membrane: release (with Mg inhibition and Ca inactivation), the
SERCA pump and the leak. Each adds to the pools of :mod:`neuromuscle.components.ca_system`.
"""

from __future__ import annotations

import numpy as np

from ..citations import cite
from .base import Component, Output, Parameter, State
from .ca_system import BENNETT, CA_TREF, pool_sum, shorten_source
from .gating import q10_factor

__all__ = ["SRRelease", "Serca", "SRLeak"]

_SH_CA = shorten_source("razumova", "1.2")
_DUTKA_LAMB = (f"derived: from {cite('dutka2004')} (rat fast-twitch skinned fibres with working "
               "EC coupling: free Mg 1 -> 3 mM cut AP-induced release by about 40 %, so (1 + 1/K)/(1 + 3/K) = 0.6 "
               "gives K = 2 mM); Balog et al. 2001's I-site K_I,Mg of 0.3 mM (ryanodine binding) would give -61 %")
#: Ca-dependent inactivation of release (Baylor & Hollingworth 2007): recovery measured, onset
#: calibrated (experiments/calibrate_release.py)
_BH07 = f"{cite('baylor2007')} (mouse fast-twitch fibres, 16 C)"
_CDI_KOFF = 0.007  # 1/ms: recovery rate constant 7/s of the second release in a two-AP protocol
_CDI_KON = 7.54  # 1/(mM ms): calibrated
_NU_REL = 6.35  # um3/ms: calibrated
_CDI = f"{_BH07}: recovery from inactivation 7/s (two-AP protocol)"
_CDI_ON = (f"fitted: with nu_rel (experiments/calibrate_release.py) to {_BH07}: peak release, release FDHM, "
           "and the second of two releases, 0.25 of the first at 15 ms recovering at 7/s (so 0.41 at 50 ms)")
#: SERCA: maximal rate of Shorten's fast-twitch fibre; Ca activation cooperative, as in Senneff
#: & Lowery's code. The two come from different sources: Senneff & Lowery pair their cooperative
#: Ca activation with Shorten's slow-twitch maximal rate (2.4375), and Shorten's fast-twitch
#: rate goes with a non-cooperative pump (K 1 uM, n 1), which at the measured SR load (0.35 mM
#: free) would hold the resting myoplasmic Ca at 1.7 nM at 16 C and 0.22 nM at 37 C (11.6 and
#: 3.5 nM with this pair)
_SHORTEN_FAST_SERCA = (f"{cite('shorten2007')}, fast-twitch CellML (razumova.nu_SR 4.875 uM um3/ms, K_SR 1 uM, "
                       "n 1; slow-twitch CellML: 2.4375 uM um3/ms, K_SR 1 uM)")
_SENNEFF_SERCA = (f"{cite('senneff2021')}, code (SERCA: Kcsr, n_S; there paired with Shorten's slow-twitch "
                  "vusr 2.4375); SERCA1 Ca activation is cooperative (Hill coefficient near 2)")


class SRRelease(Component):
    """Ca release from the terminal SR into the triad through the open release channels.

    Flux (mM um3/ms) ``nu_rel Po_RyR (1 - I) g_Mg (Ca_sr1 - Ca_myo1)``, with ``Po_RyR`` the
    channel's open probability (from :class:`~neuromuscle.components.ec_coupling.SternRiosRelease`),
    ``g_Mg = (1 + Mg_ref/K_I_Mg)/(1 + Mg_myo1/K_I_Mg)`` the inhibition by free Mg at the RyR (1 at
    Shorten's 1 mM; K_I_Mg derived from Dutka & Lamb 2004) and ``I`` the fraction of channels
    inactivated by triadic Ca, ``dI/dt = phi (kon_inact Ca_myo1 (1 - I) - koff_inact I)``
    (recovery 7/s, Baylor & Hollingworth 2007; onset calibrated). The inactivation site binds
    a negligible amount of Ca (not counted in the totals).

    Outputs ``J_rel``, added to the shared sum ``J_rel``: the release flux per volume of
    myoplasm (mM/ms).
    """

    states = (State("I", "1", "Release channels with Ca at their inactivation site (fraction)", 0.0),)
    outputs = (
        Output("J_rel", "mM/ms", "Release flux, per volume of myoplasm", adds_to="J_rel", label="ca_release_flux"),
        Output("J_myo", "mM/ms", "Release into the triad", adds_to=pool_sum("Ca", "myo1")),
        Output("J_sr", "mM/ms", "Release out of the terminal SR", adds_to=pool_sum("Ca", "sr1")),
    )
    citation = f"{_SH_CA}; Mg inhibition: {cite('dutka2004')}; Ca inactivation: {_BH07}"

    @classmethod
    def default_parameters(cls):
        return {
            "nu_rel": Parameter(_NU_REL, "um3/ms", f"fitted: (experiments/calibrate_release.py) to {_BH07}: peak "
                                "release 200-225 uM/ms, FDHM 1.6 ms (Shorten's 300, for 1.5 mM free SR Ca, would "
                                "give a release limited by the exchange terms only)", "Release permeability x volume",
                                (0.0, 1e6)),
            "kon_inact": Parameter(_CDI_KON, "1/(mM ms)", _CDI_ON, "Ca binding to the release channel's inactivation "
                                   "site (triadic Ca)", (0.0, 1e9)),
            "koff_inact": Parameter(_CDI_KOFF, "1/ms", _CDI, "Recovery from Ca-dependent inactivation", (0.0, 1e9)),
            "K_I_Mg": Parameter(2.0, "mM", _DUTKA_LAMB, "Free Mg inhibiting voltage-driven release by half",
                                (1e-6, 1e3)),
            "Mg_ref": Parameter(1.0, "mM", f"{_SH_CA}: free Mg of its initial state, at which nu_rel applies",
                                "Free Mg at which release is unmodified", (1e-6, 100.0)),
            "q10_inact": Parameter(2.0, "1", BENNETT, "Q10 of Ca binding and unbinding at the inactivation site",
                                   (1.0, 10.0)),
            "celsius_ref": CA_TREF,
        }

    @classmethod
    def default_inputs(cls):
        return {"Po": "Po_RyR", "Ca_1": "myo1.Ca", "Mg_1": "myo1.Mg", "CaSR_1": "sr1.Ca", "V_1": "V_myo1",
                "V_SR1": "V_sr1", "V_myo": "V_myo", "celsius": "celsius"}

    precomputed = ("phi",)

    @staticmethod
    def precompute(celsius, celsius_ref, q10_inact):
        return (q10_factor(q10_inact, celsius, celsius_ref),)

    @staticmethod
    def equations(Po, Ca_1, Mg_1, CaSR_1, V_1, V_SR1, V_myo, I, nu_rel, kon_inact, koff_inact, K_I_Mg, Mg_ref,
                  phi):
        # channels with Ca at the inactivation site do not conduct; Mg at the inhibitory site
        # lowers release (1 at Mg_ref)
        rel = nu_rel * Po * (1.0 - I) * (1.0 + Mg_ref / K_I_Mg) / (1.0 + Mg_1 / K_I_Mg) * (CaSR_1 - Ca_1)
        inact = phi * (kon_inact * Ca_1 * (1.0 - I) - koff_inact * I)
        return rel / V_myo, rel / V_1, -rel / V_SR1, inact


class Serca(Component):
    """The SR Ca pump in both compartments: ``nu_SR Ca^n/(Ca^n + K_SR^n) MgATP/(K_MgATP + MgATP)``
    (mM um3/ms), moving Ca from each myoplasmic compartment into its SR and hydrolysing one
    MgATP to ADP + Pi + Mg per two Ca. The maximal rate is that of Shorten et al.'s (2007)
    fast-twitch fibre, the cooperative Ca activation (n 1.7, K 0.46 uM) that of Senneff &
    Lowery 2021.

    Adds to the shared sums ``J_up`` (uptake per volume of myoplasm) and ``J_ATP`` (its ATP
    use per volume of myoplasm), mM/ms.
    """

    states = ()
    outputs = (
        Output("J_up", "mM/ms", "SERCA uptake flux, per volume of myoplasm", adds_to="J_up", label="ca_uptake_flux"),
        Output("J_ATP", "mM/ms", "SERCA ATP use, per volume of myoplasm", adds_to="J_ATP", label="atp_use"),
    ) + tuple(Output(f"{name}_{k}", "mM/ms", f"{what}, compartment {k}", adds_to=pool_sum(species, f"{where}{k}"))
              for k in (1, 2) for name, species, where, what in (
                  ("Ca_myo", "Ca", "myo", "Uptake out of the myoplasm"), ("Ca_sr", "Ca", "sr", "Uptake into the SR"),
                  ("MgATP", "MgATP", "myo", "MgATP hydrolysed"), ("Mg", "Mg", "myo", "Mg freed by hydrolysis"),
                  ("ADP", "ADP", "myo", "ADP made"), ("Pi", "Pi", "myo", "Pi made")))
    citation = f"{_SHORTEN_FAST_SERCA}; Ca activation: {_SENNEFF_SERCA}"

    @classmethod
    def default_parameters(cls):
        um3 = "um3"
        return {
            "nu_SR": Parameter(4.875e-3, f"mM {um3}/ms", f"{_SHORTEN_FAST_SERCA}; with the Ca activation of "
                               f"{cite('senneff2021')} (K_SR, n_SR), a pairing of two sources",
                               "SERCA maximal flux per compartment", (0.0, 1e3), label="serca_capacity"),
            "K_SR": Parameter(0.27 ** (1.0 / 1.7) * 1e-3, "mM", f"{_SENNEFF_SERCA} (Kcsr 0.27 uM^1.7, so "
                              "K = 0.463 uM; Shorten, fast and slow twitch: 1 uM with n = 1)",
                              "SERCA half-activation by Ca", (1e-9, 10.0)),
            "n_SR": Parameter(1.7, "1", _SENNEFF_SERCA, "Hill coefficient of SERCA's Ca activation", (0.5, 4.0)),
            "K_MgATP": Parameter(0.016, "mM", f"{cite('senneff2021')} code (ATP dependence 'Lytton', 0.02 x 799.6 uM); "
                                 "original unconfirmed (docs/research/calcium_atp.md 1.5)",
                                 "SERCA half-activation by MgATP", (1e-9, 100.0)),
            "q10_SERCA": Parameter(2.5, "1", BENNETT, "Q10 of SERCA's maximal rate", (1.0, 10.0)),
            "celsius_ref": CA_TREF,
        }

    @classmethod
    def default_inputs(cls):
        return {"Ca_1": "myo1.Ca", "Ca_2": "myo2.Ca", "MgATP_1": "myo1.MgATP", "MgATP_2": "myo2.MgATP",
                "V_1": "V_myo1", "V_2": "V_myo2", "V_SR1": "V_sr1", "V_SR2": "V_sr2", "V_myo": "V_myo",
                "celsius": "celsius"}

    precomputed = ("phi",)

    @staticmethod
    def precompute(celsius, celsius_ref, q10_SERCA):
        return (q10_factor(q10_SERCA, celsius, celsius_ref),)

    @staticmethod
    def equations(Ca_1, Ca_2, MgATP_1, MgATP_2, V_1, V_2, V_SR1, V_SR2, V_myo, nu_SR, K_SR, n_SR, K_MgATP, phi):
        nu = phi * nu_SR
        # (a solver's tiny negative Ca must not give a NaN power)
        c1, c2, k_n = np.maximum(Ca_1, 0.0) ** n_SR, np.maximum(Ca_2, 0.0) ** n_SR, K_SR**n_SR
        up1 = nu * c1 / (c1 + k_n) * MgATP_1 / (K_MgATP + MgATP_1)
        up2 = nu * c2 / (c2 + k_n) * MgATP_2 / (K_MgATP + MgATP_2)
        h1, h2 = 0.5 * up1 / V_1, 0.5 * up2 / V_2
        return ((up1 + up2) / V_myo, 0.5 * (up1 + up2) / V_myo,
                -up1 / V_1, up1 / V_SR1, -h1, h1, h1, h1,
                -up2 / V_2, up2 / V_SR2, -h2, h2, h2, h2)


class SRLeak(Component):
    """Passive Ca leak out of the SR in both compartments, ``L_e (Ca_sr - Ca_myo)`` (mM um3/ms;
    Shorten et al. 2007)."""

    states = ()
    outputs = tuple(Output(f"{name}_{k}", "mM/ms", f"Leak, compartment {k}", adds_to=pool_sum("Ca", f"{where}{k}"))
                    for k in (1, 2) for name, where in (("myo", "myo"), ("sr", "sr")))
    citation = _SH_CA

    @classmethod
    def default_parameters(cls):
        return {"L_e": Parameter(2e-5, "um3/ms", _SH_CA, "SR leak permeability x volume", (0.0, 1e3))}

    @classmethod
    def default_inputs(cls):
        return {"Ca_1": "myo1.Ca", "Ca_2": "myo2.Ca", "CaSR_1": "sr1.Ca", "CaSR_2": "sr2.Ca", "V_1": "V_myo1",
                "V_2": "V_myo2", "V_SR1": "V_sr1", "V_SR2": "V_sr2"}

    @staticmethod
    def equations(Ca_1, Ca_2, CaSR_1, CaSR_2, V_1, V_2, V_SR1, V_SR2, L_e):
        leak1 = L_e * (CaSR_1 - Ca_1)
        leak2 = L_e * (CaSR_2 - Ca_2)
        return leak1 / V_1, -leak1 / V_SR1, leak2 / V_2, -leak2 / V_SR2
