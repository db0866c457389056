"""The fibre with excitation-contraction coupling: resting state,
Ca release by an action potential, conservation through it, and the ATP budget."""

import numpy as np
import pytest

import neuromuscle as nm


@pytest.fixture(scope="module")
def model():
    return nm.muscle_ec()


@pytest.fixture(scope="module")
def rest(model):
    return nm.analysis.resting_state(model)


def _totals(model, y):
    """Ca, Mg, adenine and phosphate of the Ca system, per myoplasm volume (mM): the totals its
    components declare (written out by hand and checked against them in test_sr_calcium)."""
    obs = model.observables(0.0, np.asarray(y), model.parameter_vector())
    return np.array([float(obs[k]) for k in ("Ca_total", "Mg_total", "adenine_total", "phosphate_total")])


def test_rest_is_the_fibres_with_the_ca_system_settled(model, rest):
    fibre_rest = nm.analysis.resting_state(model.fibre)
    assert rest.stable
    assert rest.v == pytest.approx(fibre_rest.v, abs=1e-9)
    drift = model.rhs(0.0, rest.y, model.parameter_vector())
    sr = [i for n, i in model.state_index.items() if n not in model.fibre.state_index and not n.startswith("ryr.")]
    scale = np.abs(rest.y[sr]) + 1e-6
    assert np.max(np.abs(drift[sr]) / scale) < 1e-6  # per ms: settled
    assert 0.0 < float(model.observables(0.0, rest.y, model.parameter_vector())["Ca_cyt"]) < 1e-3  # mM


def test_pumps_read_the_myoplasms_mgatp(model):
    assert model.component("pump").inputs["ATP_i"] == "myo2.MgATP"
    assert model.component("pump_t").inputs["ATP_i"] == "myo2.MgATP"
    assert "ATP_i" not in model.parameters
    assert model.parameters["pump_atp.gamma"].value == model.parameters["access.gamma"].value


def test_pump_atp_use_hand_value(model, rest):
    # 1 ATP per pump cycle (one net charge): J = (I_s + gamma I_t) (2/r) / F
    obs = model.observables(0.0, rest.y, model.parameter_vector())
    current = float(obs["pump.I"]) + 4.8 * float(obs["pump_t.I"])  # uA/cm2
    expected = current * 1e-6 / 96485.33212 * (2 / 25e-4) * 1e3 * 1e3 * 1e-3  # mol/(s cm3) -> mM/ms
    assert float(obs["J_ATP_NaK"]) == pytest.approx(expected, rel=1e-9)


def test_an_action_potential_releases_ca_and_keeps_the_totals(model, rest):
    run = nm.simulate(model, nm.Pulse(700.0, 2.0, 0.5), 60.0, rtol=1e-8, atol=1e-12)
    ca = np.asarray(run["Ca_cyt"])
    force = np.asarray(run["force"])
    assert np.max(run["V"]) > 0.0  # the AP overshoots
    assert ca.max() > 3 * ca[0] and force.max() > 2 * force[0]
    y = np.array([np.asarray(run[n]) for n in model.state_names])
    totals = np.array([_totals(model, y[:, k]) for k in (0, -1)])
    # Ca, Mg are closed; adenine and phosphate are moved, not made, by hydrolysis, CK, supply
    np.testing.assert_allclose(totals[1], totals[0], rtol=1e-7)


def test_mg_inhibits_release_at_the_dutka_lamb_ratio(model, rest):
    # Dutka & Lamb 2004: free Mg 1 -> 3 mM cuts AP-induced release by about 40 %; the
    # inhibition factor (1 + Mg_ref/K)/(1 + Mg/K) with K = 2 mM is 0.6 at 3 mM, 1.2 at 0.5 mM.
    p = model.parameter_vector()
    i = model.state_index
    y = rest.y.copy()
    y[i["ryr.O4"]] += 0.3  # an open channel, to make the release flux large
    flux = {}
    for mg in (0.5, 1.0, 3.0):
        yy = y.copy()
        yy[i["myo1.Mg"]] = mg
        flux[mg] = float(model.observables(0.0, yy, p)["J_rel"])
    assert flux[3.0] / flux[1.0] == pytest.approx(0.6, rel=1e-9)
    assert flux[0.5] / flux[1.0] == pytest.approx(1.2, rel=1e-9)


def test_free_mg_sets_the_resting_mg(model):
    low = nm.muscle_ec(free_mg=0.4)
    y_low = nm.analysis.resting_state(low).y
    y = nm.analysis.resting_state(model).y
    mg_low, mg = y_low[low.state_index["myo2.Mg"]], y[model.state_index["myo2.Mg"]]
    assert mg == pytest.approx(1.0, rel=0.08) and mg_low == pytest.approx(0.4, rel=0.08)
    assert y_low[low.state_index["parv.MgP_2"]] < y[model.state_index["parv.MgP_2"]]
    with pytest.raises(ValueError, match="free_mg"):
        nm.muscle_ec(free_mg=0.0)


def test_a_fibre_without_parvalbumin_contracts_and_reports_no_occupancy(model):
    """Parvalbumin removed (P_tot 0, pools rebuilt): the fibre still twitches, its Ca transient
    is larger than with parvalbumin (one buffer fewer), and the occupancy is NaN, not an error."""
    from neuromuscle.models.muscle_ec import initial_pools
    from neuromuscle.studies import contraction_study

    bare = model.with_parameters(parv__P_tot=0.0)
    bare.initial_state = initial_pools(bare)
    with_parv = contraction_study(model, frequencies=(), train_ms=20.0, after_ms=20.0)
    without = contraction_study(bare, frequencies=(), train_ms=20.0, after_ms=20.0,
                                amplitude=with_parv.stimulus)
    assert np.isnan(without.rest["parvalbumin Ca (%)"]) and np.isnan(without.rest["parvalbumin Mg (%)"])
    assert without.twitch.amplitude > 0.0
    assert without.calcium.amplitude > with_parv.calcium.amplitude
