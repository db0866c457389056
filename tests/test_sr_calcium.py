"""SR Ca release, uptake and buffering (issue 5, in progress): SRCalcium, the two-compartment
Ca system of Shorten et al. 2007 with an ATP budget, tested for exact conservation, unit
conversion, response to a release pulse, and rigor without ATP."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from neuromuscle.components.base import Component, Output, Parameter, State
from neuromuscle.components.ec_coupling import SRCalcium
from neuromuscle.model import Model


class PrescribedRelease(Component):
    """Open probability ``Po_rest``, plus ``Po_peak`` between ``t_on`` and ``t_off`` (clock state)."""

    states = (State("clock", "ms", "time", 0.0),)
    outputs = (Output("Po", "1", "Prescribed open probability", provides="Po_RyR"),)

    @classmethod
    def default_parameters(cls):
        return {
            "Po_rest": Parameter(0.0, "1", "test", "resting Po", (0.0, 1.0)),
            "Po_peak": Parameter(0.0, "1", "test", "Po during the pulse", (0.0, 1.0)),
            "t_on": Parameter(5.0, "ms", "test", "pulse start", (0.0, 1e9)),
            "t_off": Parameter(7.0, "ms", "test", "pulse end", (0.0, 1e9)),
        }

    @classmethod
    def default_inputs(cls):
        return {}

    @staticmethod
    def equations(clock, Po_rest, Po_peak, t_on, t_off):
        return (Po_rest + Po_peak * (clock >= t_on) * (clock < t_off), 1.0 + 0.0 * clock)


#: ATP the Na/K pump uses, mM/ms: a global parameter here (the fibre's PumpATPDemand in muscle_ec)
J_NAK = {"J_ATP_NaK": Parameter(1.4e-5, "mM/ms", "test: the pump's use in the resting muscle_ec", "pump ATP use",
                                (0.0, 1.0)),
         "celsius": Parameter(16.0, "degC", "test: the Ca system's reference temperature", "temperature",
                              (0.0, 45.0))}


@pytest.fixture(scope="module")
def model():
    return Model("sr_calcium", [PrescribedRelease("clamp"), SRCalcium("sr")], J_NAK)


def _volumes(model):
    p = model.parameter_vector()
    par = {k: p[model.parameter_index[f"sr.{k}"]] for k in ("L_x", "R", "frac_myo", "frac_1")}
    return SRCalcium.precompute(**par)[:4]


def _on_filament(s):
    """Ca bound to troponin in every regulatory-unit form (two sites; A1 and A2 carry two)."""
    return s["CaT"] + 2 * s["CaCaT"] + s["D1"] + 2 * (s["D2"] + s["A1"] + s["A2"])


def _totals(model, y):
    v1, v2, vsr1, vsr2 = _volumes(model)
    s = {n.removeprefix("sr."): y[i] for n, i in model.state_index.items() if n.startswith("sr.")}
    ca = (v1 * (s["Ca_1"] + s["CaATP_1"] + s["CaP_1"]) + v2 * (s["Ca_2"] + s["CaATP_2"] + s["CaP_2"] + _on_filament(s))
          + vsr1 * (s["CaSR_1"] + s["CaCS_1"]) + vsr2 * (s["CaSR_2"] + s["CaCS_2"]))
    mg = v1 * (s["Mg_1"] + s["MgATP_1"] + s["MgP_1"]) + v2 * (s["Mg_2"] + s["MgATP_2"] + s["MgP_2"])
    return np.array([ca, mg, *_nucleotides(s, v1, v2)])


def _nucleotides(s, v1, v2):
    """Adenine nucleotides (ATP species + ADP), creatine (PCr + Cr; Cr = Cr_tot - PCr, so
    PCr alone changes it) and phosphate (ATP species + PCr + Pi), volume-weighted."""
    atp = [s[f"ATP_{k}"] + s[f"CaATP_{k}"] + s[f"MgATP_{k}"] for k in (1, 2)]
    adenine = v1 * (atp[0] + s["ADP_1"]) + v2 * (atp[1] + s["ADP_2"])
    phosphate = v1 * (atp[0] + s["PCr_1"] + s["Pi_1"]) + v2 * (atp[1] + s["PCr_2"] + s["Pi_2"])
    return adenine, phosphate


def test_volumes_hand_values(model):
    # cylinder 1.1 um x pi x 0.5^2 um2 = 0.863938 um3; myoplasm 95 %, triad 1 % of each
    v1, v2, vsr1, vsr2 = _volumes(model)
    assert v1 + v2 == pytest.approx(0.820741, rel=1e-5)
    assert v1 == pytest.approx(0.00820741, rel=1e-5) and vsr1 == pytest.approx(4.31969e-4, rel=1e-5)


def test_published_initial_buffers_are_near_equilibrium(model):
    # Shorten's initial state has parvalbumin bound at its equilibrium with 0.1 uM Ca: a check
    # that uM rate constants were converted to mM ones. Calsequestrin starts in equilibrium
    # with 0.35 mM free SR Ca at K_D = 0.35 (31 - 19.85)/19.85 mM (hand value, 19.85 mM bound).
    obs_rates = model.rhs(0.0, model.initial_state, model.parameter_vector())
    i = model.state_index
    kon_term = 41.7 * 1e-4 * (1.5 - 0.615 - 0.811)  # Ca-parvalbumin binding, mM/ms
    assert abs(obs_rates[i["sr.CaP_2"]]) < 0.01 * kon_term
    assert model.initial_state[i["sr.CaSR_2"]] == 0.35
    assert model.initial_state[i["sr.CaCS_2"]] == pytest.approx(19.85, rel=1e-12)
    kon_cs = model.parameters["sr.kon_CS"].value * 0.35 * (31.0 - 19.85)
    k_d = model.parameters["sr.koff_CS"].value / model.parameters["sr.kon_CS"].value
    assert k_d == pytest.approx(0.19660, rel=1e-4)
    assert abs(obs_rates[i["sr.CaCS_2"]]) < 1e-9 * kon_cs


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(1e-6, 40.0), min_size=24, max_size=24), st.lists(st.floats(0.0, 0.02), min_size=7,
                                                                               max_size=7), st.floats(0.0, 1.0),
       st.floats(0.0, 1e-2), st.floats(0.0, 1.0))
def test_calcium_magnesium_adenine_and_phosphate_are_conserved_exactly(model, values, filament, po, supply, inact):
    # Hydrolysis (SERCA, pump, myosin), creatine kinase and the metabolic supply move
    # phosphate between ATP, PCr and Pi and Mg between MgATP and free Mg, but create none;
    # the release channel's inactivation site binds a negligible amount of Ca (not counted).
    y = np.concatenate([[0.0], values, filament, [inact]])
    p = model.parameter_vector({"clamp.Po_rest": po, "sr.V_supply": supply})
    dydt = model.rhs(0.0, y, p)
    v1, v2, vsr1, vsr2 = _volumes(model)
    s = {n.removeprefix("sr."): dydt[i] for n, i in model.state_index.items() if n.startswith("sr.")}
    d_ca = (v1 * (s["Ca_1"] + s["CaATP_1"] + s["CaP_1"]) + v2 * (s["Ca_2"] + s["CaATP_2"] + s["CaP_2"]
                                                                   + _on_filament(s))
            + vsr1 * (s["CaSR_1"] + s["CaCS_1"]) + vsr2 * (s["CaSR_2"] + s["CaCS_2"]))
    d_mg = v1 * (s["Mg_1"] + s["MgATP_1"] + s["MgP_1"]) + v2 * (s["Mg_2"] + s["MgATP_2"] + s["MgP_2"])
    d_adenine, d_phosphate = _nucleotides(s, v1, v2)
    scale = np.max(np.abs(dydt)) + 1.0
    for d in (d_ca, d_mg, d_adenine, d_phosphate):
        assert abs(d) < 1e-11 * scale
    # and hydrolysis does happen: with no resupply, ADP and Pi rise at the reported ATP use
    q = model.parameter_vector({"clamp.Po_rest": po, "sr.V_supply": 0.0, "sr.k_CK": 0.0})
    d0 = model.rhs(0.0, y, q)
    i = model.state_index
    use = float(model.observables(0.0, y, q)["sr.J_ATP"]) * (v1 + v2)
    assert use >= 1.4e-5 * (v1 + v2)  # at least the pump's
    for x in ("ADP", "Pi"):
        assert v1 * d0[i[f"sr.{x}_1"]] + v2 * d0[i[f"sr.{x}_2"]] == pytest.approx(use, rel=1e-9, abs=1e-15)


def test_release_pulse_gives_a_transient_and_keeps_the_totals(model):
    p = model.parameter_vector({"clamp.Po_rest": 1.4e-5})  # the closed-form Po at -85 mV
    rest = solve_ivp(lambda t, y: model.rhs(t, y, p), (0.0, 2e5), model.initial_state, method="BDF",
                     rtol=1e-9, atol=1e-13).y[:, -1]
    drift = model.rhs(0.0, rest, p)
    drift[model.state_index["clamp.clock"]] = 0.0
    assert np.max(np.abs(drift)) < 1e-9  # a resting steady state
    rest[model.state_index["clamp.clock"]] = 0.0
    pulse = model.parameter_vector({"clamp.Po_rest": 1.4e-5, "clamp.Po_peak": 0.3})
    t, ys, y = [], [], rest
    for a, b in ((0.0, 5.0), (5.0, 7.0), (7.0, 100.0)):  # segments end at the switches of Po
        seg = solve_ivp(lambda tt, yy: model.rhs(tt, yy, pulse), (a, b), y, method="LSODA", rtol=1e-8,
                        atol=1e-12, max_step=0.05)
        t.append(seg.t)
        ys.append(seg.y)
        y = seg.y[:, -1]
    t, ys = np.concatenate(t), np.concatenate(ys, axis=1)
    ca = np.asarray(model.observables(0.0, ys, pulse)["Ca_cyt"])
    assert ca.max() > 20 * ca[0]  # a Ca transient
    assert 5.0 < t[np.argmax(ca)] < 8.0  # peaks during or just after the release
    assert ca[-1] < 0.2 * ca.max()  # and is mostly taken back up within 100 ms
    force = np.asarray(model.observables(0.0, ys, pulse)["sr.F_rel"])
    k = np.argmax(force)
    assert force[k] > 3 * force[0] and t[k] > t[np.argmax(ca)]  # force follows the Ca transient
    assert force[-1] < 0.5 * force[k]  # and relaxes
    totals = np.array([_totals(model, ys[:, k]) for k in (0, -1)])
    np.testing.assert_allclose(totals[1], totals[0], rtol=1e-8)  # linear invariants: kept by the solver


def test_crossbridge_detachment_needs_mgatp(model):
    # Shorten's g_o applies at 7.2 mM MgATP; half-saturation 0.47 mM (Ferenczi et al. 1984);
    # without MgATP the force-bearing bridges cannot detach (rigor).
    p = model.parameter_vector()
    i = model.state_index
    y = model.initial_state.copy()

    def detachment(mgatp):
        yy = y.copy()
        yy[i["sr.MgATP_2"]] = mgatp
        yy[i["sr.A1"]] = 0.0  # no power stroke into A2: dA2/dt = -(h_p + g_eff) A2
        d = model.rhs(0.0, yy, p)[i["sr.A2"]]
        return -d / yy[i["sr.A2"]] - 0.18  # minus h_p

    assert detachment(7.2) == pytest.approx(0.12, rel=1e-9)
    assert detachment(0.47) == pytest.approx(0.12 * 0.5 * (0.47 + 7.2) / 7.2, rel=1e-9)
    assert detachment(0.0) == pytest.approx(0.0, abs=1e-12)


def _pulse_run(model, y0, params, t_end=300.0):
    """Release pulse (Po 0.3 from 5 to 7 ms) from y0; returns t, states."""
    p = model.parameter_vector({"clamp.Po_peak": 0.3, **params})
    t, ys, y = [], [], y0.copy()
    for a, b in ((0.0, 5.0), (5.0, 7.0), (7.0, t_end)):
        seg = solve_ivp(lambda tt, yy: model.rhs(tt, yy, p), (a, b), y, method="BDF", rtol=1e-8, atol=1e-12,
                        max_step=0.5)
        t.append(seg.t)
        ys.append(seg.y)
        y = seg.y[:, -1]
    return np.concatenate(t), np.concatenate(ys, axis=1), p


def test_without_atp_force_stays_up(model):
    # Crossbridges detach only with MgATP (Ferenczi et al. 1984): with supply and PCr gone the
    # fibre's own ATP use exhausts MgATP, and after a release the force does not relax
    # (rigor; SERCA, which also needs MgATP, stops too). With ATP it relaxes.
    i = model.state_index
    base = {"clamp.Po_rest": 1.4e-5}
    p = model.parameter_vector(base)
    rest = solve_ivp(lambda t, y: model.rhs(t, y, p), (0.0, 2e5), model.initial_state, method="BDF",
                     rtol=1e-9, atol=1e-13).y[:, -1]
    rest[i["clamp.clock"]] = 0.0
    starved = {**base, "sr.V_supply": 0.0}
    q = model.parameter_vector(starved)
    y = rest.copy()
    y[i["sr.PCr_1"]] = y[i["sr.PCr_2"]] = 0.0
    # resting use is about 0.03 mM/s (half of it the pump's fixed 0.014 mM/s): 8 mM lasts minutes
    y = solve_ivp(lambda t, yy: model.rhs(t, yy, q), (0.0, 1.5e6), y, method="BDF", rtol=1e-8, atol=1e-13).y[:, -1]
    y[i["clamp.clock"]] = 0.0
    assert y[i["sr.MgATP_2"]] < 0.01  # mM: ATP has run out
    fed_t, fed, pf = _pulse_run(model, rest, base)
    dry_t, dry, pd = _pulse_run(model, y, starved)
    f_fed = np.asarray(model.observables(0.0, fed, pf)["sr.F_rel"])
    f_dry = np.asarray(model.observables(0.0, dry, pd)["sr.F_rel"])
    assert f_fed[-1] < 0.5 * f_fed.max()  # relaxes with ATP
    assert f_dry[-1] > 0.9 * f_dry.max()  # rigor: no relaxation without it
    assert f_dry.max() > f_fed.max()
