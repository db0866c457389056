"""Analysis of the EC fibre's contraction: the steady-state Ca-force relation of its thin
filament and crossbridges (:func:`neuromuscle.studies.calcium_force_relation`), checked against
a hand-built rate matrix of the independent-unit scheme (Razumova, Bukatina & Campbell 1999 as
used by Shorten et al. 2007) and for its physical properties; the cooperative filament's
closed-form steady state; and the fusion frequency of a :class:`~neuromuscle.studies.Contraction`."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neuromuscle as nm
from neuromuscle.components.thin_filament import (
    FILAMENT_TARGETS,
    CooperativeFilament,
    PermissiveFilament,
    RBCFilament,
)
from neuromuscle.studies import calcium_force_relation

COLD = dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=16.0)


@pytest.fixture(scope="module")
def model():
    # 16 C: the Ca system's reference temperature, so the rates are the parameter values
    return nm.muscle_ec(COLD, filament=RBCFilament("xb"))


@pytest.fixture(scope="module")
def cooperative():
    return nm.muscle_ec(COLD, filament=CooperativeFilament("xb"))


@pytest.fixture(scope="module")
def permissive():
    return nm.muscle_ec(COLD, filament=PermissiveFilament("xb"))


@pytest.fixture(scope="module")
def rest(model):
    return nm.analysis.resting_state(model).y


def _hand_force(model, mgatp, ca_mM):
    """Stationary A2/T_tot of the 8-state regulatory unit, written out by hand from the
    scheme: troponin Ca binding on non-permissive (T0, CaT, CaCaT) and permissive (D0, D1, D2)
    forms, permissive transitions, attachment D2 -> A1, stroke A1 -> A2, detachment A2 -> D2
    scaled by MgATP (Km 0.47 mM, g_o at the reference MgATP)."""
    p = {k.removeprefix("xb."): v.value for k, v in model.parameters.items() if k.startswith("xb.")}
    on, off = p["kon_T"] * ca_mM, p["koff_T"]
    g = p["g_o"] * mgatp / (p["K_m_XB"] + mgatp) * (p["K_m_XB"] + p["MgATP_ref"]) / p["MgATP_ref"]
    rates = [  # (from, to, rate); states T0 CaT CaCaT D0 D1 D2 A1 A2
        (0, 1, on), (1, 0, off), (1, 2, on), (2, 1, off),
        (3, 4, on), (4, 3, off), (4, 5, on), (5, 4, off),
        (0, 3, p["k0_on"]), (3, 0, p["k0_off"]), (1, 4, p["k0_on"]), (4, 1, p["k0_off"]),
        (2, 5, p["kCa_on"]), (5, 2, p["kCa_off"]),
        (5, 6, p["f_o"]), (6, 5, p["f_p"]), (6, 7, p["h_o"]), (7, 6, p["h_p"]), (7, 5, g),
    ]
    q = np.zeros((8, 8))
    for i, j, r in rates:
        q[i, j] += r
        q[i, i] -= r
    a = np.vstack([q.T, np.ones(8)])
    b = np.r_[np.zeros(8), 1.0]
    return np.linalg.lstsq(a, b, rcond=None)[0][7]


def test_matches_the_hand_built_rate_matrix(model, rest):
    ca = np.array([0.3, 1.0, 3.0, 10.0, 100.0])
    rel = calcium_force_relation(model, ca, y=rest)
    mgatp = rest[model.state_index["myo2.MgATP"]]
    expected = [_hand_force(model, mgatp, 1e-3 * c) for c in ca]
    np.testing.assert_allclose(rel.force, expected, rtol=1e-9)
    assert rel.force_max == pytest.approx(_hand_force(model, mgatp, 1e3), rel=1e-6)


def test_hill_summary_of_the_curve(model, rest):
    rel = calcium_force_relation(model, y=rest)
    # half-maximal force at ca50, by construction of the interpolation
    at50 = calcium_force_relation(model, [rel.ca50], y=rest).force[0] / rel.force_max
    assert at50 == pytest.approx(0.5, abs=0.01)
    assert rel.pca50 == pytest.approx(-np.log10(rel.ca50 * 1e-6))
    # two Ca sites per regulatory unit: a Hill coefficient between 1 and 2
    assert 1.0 < rel.hill < 2.0


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(1e-3, 1e4), min_size=2, max_size=6, unique=True))
def test_force_rises_with_calcium_and_stays_below_its_maximum(model, rest, ca):
    ca = np.sort(ca)
    force = calcium_force_relation(model, np.r_[ca, 1e-3, 1e4], y=rest).force[:-2]
    fmax = _hand_force(model, rest[model.state_index["myo2.MgATP"]], 1e3)
    assert np.all(np.diff(force) >= -1e-15)
    assert np.all((force >= 0) & (force <= fmax * (1 + 1e-9)))


def test_less_mgatp_leaves_more_bridges_attached(model, rest):
    # detachment needs MgATP (Ferenczi, Goldman & Simmons 1984: isometric force rises as
    # MgATP falls towards 30-100 uM); the model has detachment only, so force rises (by half
    # at 10 uM Ca when detachment slows tenfold at 50 uM MgATP)
    low = rest.copy()
    low[model.state_index["myo2.MgATP"]] = 0.05
    force = [calcium_force_relation(model, [10.0], y=y).force[0] for y in (low, rest)]
    assert force[0] / force[1] > 1.3


def test_bad_input_is_refused(model, rest):
    with pytest.raises(ValueError, match="ca must be"):
        calcium_force_relation(model, [1.0, -2.0], y=rest)
    few = calcium_force_relation(model, [0.01, 0.02], y=rest)  # too few to summarise, not an error
    assert np.isnan(few.ca50) and np.isnan(few.hill) and np.all(few.force > 0)
    with pytest.raises(ValueError, match="thin-filament"):
        calcium_force_relation(nm.muscle_fibre(), [1.0])


def test_fusion_frequency_counts_only_trains_the_fibre_follows():
    from neuromuscle.studies import Contraction

    def train(fusion, aps, stimuli):
        return {"peak": 1.0, "fusion": fusion, "half_relaxation": 10.0, "residual": 0.0,
                "stimuli": stimuli, "action potentials": aps}

    c = Contraction(rest={}, stimulus=1.0, calcium=None, release=None, twitch=None,
                    trains={10.0: train(0.2, 3, 3), 20.0: train(0.6, 6, 6), 40.0: train(1.0, 12, 12)})
    assert c.fusion_frequency(0.8) == pytest.approx(30.0)  # halfway between 0.6 and 1.0
    # a 40 Hz train with failed APs is a smooth record, not a tetanus: it is left out
    c.trains[40.0] = train(0.95, 2, 12)
    assert np.isnan(c.fusion_frequency(0.8))
    c.trains[60.0] = train(0.9, 18, 18)
    assert c.fusion_frequency(0.8) == pytest.approx(20.0 + (0.8 - 0.6) / (0.9 - 0.6) * 40.0)


def test_cooperative_units_without_bridges_follow_the_closed_form(cooperative):
    # With attachment off the two-state units obey kon Ca (1 - th)(1 + k th) = koff th (1 + k (1 - th)):
    # half on at Ca = koff/kon, where the log-log slope of th/(1 - th) is 1 + k/2 (hand-derived)
    m = cooperative.with_parameters(xb__f_o=0.0)
    rest = nm.analysis.resting_state(cooperative).y
    par = {k: m.parameters[f"xb.{k}"].value for k in ("kon_T", "koff_T", "k_coop", "N_tot")}
    i = m.state_index

    def on_fraction(ca_mM):
        y = rest.copy()
        y[i["myo2.Ca"]] = ca_mM
        y[i["xb.A1"]] = y[i["xb.A2"]] = 0.0

        def rate(th):
            y[i["xb.N_on"]] = th * par["N_tot"]
            return m.rhs(0.0, y)[i["xb.N_on"]]

        from scipy.optimize import brentq

        return brentq(rate, 1e-12, 1.0 - 1e-12, xtol=1e-15)

    k50 = par["koff_T"] / par["kon_T"]
    assert on_fraction(k50) == pytest.approx(0.5, abs=1e-9)
    h = 1e-4
    lo, hi = on_fraction(k50 * np.exp(-h)), on_fraction(k50 * np.exp(h))
    slope = (np.log(hi / (1 - hi)) - np.log(lo / (1 - lo))) / (2 * h)
    assert slope == pytest.approx(1.0 + par["k_coop"] / 2.0, rel=1e-6)


def test_cooperative_filament_has_the_fitted_force_pca(cooperative):
    # the fit of experiments/fit_thin_filament.py holds for the committed values (to the
    # rounding of the constants: 0.01 pCa unit, 0.05 in the Hill coefficient)
    rel = calcium_force_relation(cooperative, np.geomspace(0.05, 100.0, 80), y=nm.analysis.resting_state(cooperative).y)
    assert rel.pca50 == pytest.approx(FILAMENT_TARGETS["pCa50"], abs=0.01)
    assert rel.hill == pytest.approx(FILAMENT_TARGETS["hill"], abs=0.05)


@pytest.mark.parametrize("trpn", [0.3, 0.5, 0.56, 0.7, 0.95])
def test_permissive_units_without_bridges_follow_the_closed_form(permissive, trpn):
    # Rice et al. 2008's transitions with attachment off: at a fixed fraction TRPN of sites
    # with Ca the permissive fraction is 1/(1 + (kp_n/kn_p)(1 + (perm50/TRPN)^nperm)) while
    # 1/permtot < 100 (hand-derived; the temperature factor cancels)
    m = permissive.with_parameters(xb__f_o=0.0)
    rest = nm.analysis.resting_state(permissive).y
    par = {k: m.parameters[f"xb.{k}"].value for k in ("kn_p", "kp_n", "perm50", "nperm", "N_tot")}
    assert (1.0 + (par["perm50"] / trpn) ** par["nperm"]) ** 0.5 < 100.0  # the cap is not reached
    i = m.state_index
    y = rest.copy()
    y[i["xb.CaTn"]] = trpn * par["N_tot"]
    y[i["xb.A1"]] = y[i["xb.A2"]] = 0.0

    def rate(p_on):
        y[i["xb.N_off"]] = (1.0 - p_on) * par["N_tot"]
        return m.rhs(0.0, y)[i["xb.N_off"]]

    from scipy.optimize import brentq

    expected = 1.0 / (1.0 + par["kp_n"] / par["kn_p"] * (1.0 + (par["perm50"] / trpn) ** par["nperm"]))
    assert brentq(rate, 1e-15, 1.0 - 1e-15, xtol=1e-16) == pytest.approx(expected, rel=1e-9)


def test_permissive_filament_binds_ca_at_troponins_own_rates(permissive):
    # the Ca buffering is troponin's, whatever the units do: d CaTn/dt = kon Ca (N - CaTn) - koff CaTn,
    # the same with all units non-permissive and with bridges attached (hand-computed)
    rest = nm.analysis.resting_state(permissive).y
    par = {k: permissive.parameters[f"xb.{k}"].value for k in ("kon_T", "koff_T", "N_tot")}
    i = permissive.state_index
    ca, catn = 2e-3, 0.1
    expected = par["kon_T"] * ca * (par["N_tot"] - catn) - par["koff_T"] * catn
    for n_off, a2 in ((par["N_tot"], 0.0), (0.05, 0.02)):
        y = rest.copy()
        y[i["myo2.Ca"]], y[i["xb.CaTn"]], y[i["xb.N_off"]], y[i["xb.A1"]], y[i["xb.A2"]] = ca, catn, n_off, 0.0, a2
        assert permissive.rhs(0.0, y)[i["xb.CaTn"]] == pytest.approx(expected, rel=1e-12)


def test_permissive_filament_has_the_fitted_force_pca(permissive):
    # the fit of experiments/fit_thin_filament.py holds for the committed values (0.01 pCa
    # unit, 0.05 in the Hill coefficient: the rounding of the constants)
    rel = calcium_force_relation(permissive, np.geomspace(0.05, 100.0, 80), y=nm.analysis.resting_state(permissive).y)
    assert rel.pca50 == pytest.approx(FILAMENT_TARGETS["pCa50"], abs=0.01)
    assert rel.hill == pytest.approx(FILAMENT_TARGETS["hill"], abs=0.05)
