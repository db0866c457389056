"""SR Ca release, uptake and buffering: the two-compartment Ca system of Shorten et al. 2007
with an ATP budget, composed of one component per process adding to shared pools; tested for
exact conservation (also with a buffer added as one new component), unit conversion, response
to a release pulse, and rigor without ATP."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from neuromuscle.components.base import Component, Output, Parameter, State
from neuromuscle.components.ca_system import CaCompartments, pool_sum
from neuromuscle.components.ec_coupling import ca_system
from neuromuscle.components.thin_filament import RBCFilament
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
    # the independent-unit filament, whose bound Ca _on_filament writes out by hand
    return Model("sr_calcium", [PrescribedRelease("clamp"), *ca_system(RBCFilament("xb"))], J_NAK)


def _volumes(model):
    p = model.parameter_vector()
    par = {k: p[model.parameter_index[f"geom.{k}"]] for k in ("L_x", "R", "frac_myo", "frac_1")}
    return CaCompartments.precompute(**par)


def _on_filament(s):
    """Ca bound to troponin in every regulatory-unit form (two sites; A1 and A2 carry two)."""
    return s["xb.CaT"] + 2 * s["xb.CaCaT"] + s["xb.D1"] + 2 * (s["xb.D2"] + s["xb.A1"] + s["xb.A2"])


def _by_name(model, y):
    return {n: y[i] for n, i in model.state_index.items()}


def _ca(model, s):
    """Ca of the system (free, ATP-, parvalbumin-, troponin- and calsequestrin-bound), mM um3,
    written out by hand."""
    v1, v2, vsr1, vsr2 = _volumes(model)
    return (v1 * (s["myo1.Ca"] + s["myo1.CaATP"] + s["parv.CaP_1"])
            + v2 * (s["myo2.Ca"] + s["myo2.CaATP"] + s["parv.CaP_2"] + _on_filament(s))
            + vsr1 * (s["sr1.Ca"] + s["csq.CaCS_1"]) + vsr2 * (s["sr2.Ca"] + s["csq.CaCS_2"]))


def _totals(model, y):
    v1, v2, _, _ = _volumes(model)
    s = _by_name(model, y)
    mg = v1 * (s["myo1.Mg"] + s["myo1.MgATP"] + s["parv.MgP_1"]) + v2 * (s["myo2.Mg"] + s["myo2.MgATP"]
                                                                       + s["parv.MgP_2"])
    return np.array([_ca(model, s), mg, *_nucleotides(s, v1, v2)])


def _nucleotides(s, v1, v2):
    """Adenine nucleotides (ATP species + ADP), creatine (PCr + Cr; Cr = Cr_tot - PCr, so
    PCr alone changes it) and phosphate (ATP species + PCr + Pi), volume-weighted."""
    atp = [s[f"myo{k}.ATP"] + s[f"myo{k}.CaATP"] + s[f"myo{k}.MgATP"] for k in (1, 2)]
    adenine = v1 * (atp[0] + s["myo1.ADP"]) + v2 * (atp[1] + s["myo2.ADP"])
    phosphate = v1 * (atp[0] + s["myo1.PCr"] + s["myo1.Pi"]) + v2 * (atp[1] + s["myo2.PCr"] + s["myo2.Pi"])
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
    assert abs(obs_rates[i["parv.CaP_2"]]) < 0.01 * kon_term
    assert model.initial_state[i["sr2.Ca"]] == 0.35
    assert model.initial_state[i["csq.CaCS_2"]] == pytest.approx(19.85, rel=1e-12)
    kon_cs = model.parameters["csq.kon_CS"].value * 0.35 * (31.0 - 19.85)
    k_d = model.parameters["csq.koff_CS"].value / model.parameters["csq.kon_CS"].value
    assert k_d == pytest.approx(0.19660, rel=1e-4)
    assert abs(obs_rates[i["csq.CaCS_2"]]) < 1e-9 * kon_cs


def _random_state(model, values, filament, inact):
    """A state vector from hypothesis draws: the clock, then every pool and buffer state (24
    values), the 7 filament states and the inactivated fraction, in the model's layout."""
    names = [n for n in model.state_names if n.split(".")[0] in ("myo1", "myo2", "sr1", "sr2", "parv", "csq")]
    y = np.zeros(len(model.state_names))
    y[[model.state_index[n] for n in names]] = values[: len(names)]
    y[[model.state_index[f"xb.{s.name}"] for s in model.component("xb").states]] = filament
    y[model.state_index["rel.I"]] = inact
    return y


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(1e-6, 40.0), min_size=24, max_size=24), st.lists(st.floats(0.0, 0.02), min_size=7,
                                                                               max_size=7), st.floats(0.0, 1.0),
       st.floats(0.0, 1e-2), st.floats(0.0, 1.0))
def test_calcium_magnesium_adenine_and_phosphate_are_conserved_exactly(model, values, filament, po, supply, inact):
    # Hydrolysis (SERCA, pump, myosin), creatine kinase and the metabolic supply move
    # phosphate between ATP, PCr and Pi and Mg between MgATP and free Mg, but create none;
    # the release channel's inactivation site binds a negligible amount of Ca (not counted).
    y = _random_state(model, values, filament, inact)
    p = model.parameter_vector({"clamp.Po_rest": po, "supply.V_supply": supply})
    dydt = model.rhs(0.0, y, p)
    v1, v2, _, _ = _volumes(model)
    rates = _totals(model, dydt)  # the totals are linear in the states: these are their rates
    scale = np.max(np.abs(dydt)) + 1.0
    for d in rates:
        assert abs(d) < 1e-11 * scale
    # the model's own totals (each component adds its content) are the hand-written ones
    obs = model.observables(0.0, y, p)
    v_myo = v1 + v2
    np.testing.assert_allclose([obs[k] * v_myo for k in ("Ca_total", "Mg_total", "adenine_total", "phosphate_total")],
                               _totals(model, y), rtol=1e-12)
    # and hydrolysis does happen: with no resupply, ADP and Pi rise at the reported ATP use
    q = model.parameter_vector({"clamp.Po_rest": po, "supply.V_supply": 0.0, "ck.k_CK": 0.0})
    d0 = model.rhs(0.0, y, q)
    i = model.state_index
    use = float(model.observables(0.0, y, q)["J_ATP"]) * v_myo
    assert use >= 1.4e-5 * v_myo  # at least the pump's
    for x in ("ADP", "Pi"):
        assert v1 * d0[i[f"myo1.{x}"]] + v2 * d0[i[f"myo2.{x}"]] == pytest.approx(use, rel=1e-9, abs=1e-15)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(1e-6, 40.0), min_size=24, max_size=24), st.lists(st.floats(0.0, 0.09), min_size=3,
                                                                               max_size=3), st.floats(0.0, 1.0))
def test_the_default_cooperative_filament_conserves_every_total(values, filament, po):
    # Any composition can be checked through the totals the components declare: each is
    # linear in the states, so its rate is its value along the derivative (central difference,
    # exact up to rounding).
    model = Model("sr_calcium", [PrescribedRelease("clamp"), *ca_system()], J_NAK)
    y = _random_state(model, values, filament, 0.3)
    p = model.parameter_vector({"clamp.Po_rest": po})
    dydt = model.rhs(0.0, y, p)
    names = ("Ca_total", "Mg_total", "adenine_total", "phosphate_total")
    h = 1e-3 / (np.max(np.abs(dydt)) + 1.0)
    plus, minus = (model.observables(0.0, y + s * h * dydt, p) for s in (1.0, -1.0))
    for n in names:
        rate = (float(plus[n]) - float(minus[n])) / (2 * h)
        assert abs(rate) < 1e-7 * (np.max(np.abs(dydt)) + 1.0), n


class Dye(Component):
    """A Ca indicator in the bulk myoplasm, written against the pools only: one state (Ca-bound
    dye), binding from the free-Ca pool ``myo2``, adding its rate to ``J_Ca_myo2`` and its Ca
    to ``Ca_total``. Nothing else is edited to add it."""

    states = (State("CaD", "mM", "Ca-bound dye", 0.0),)
    outputs = (Output("J", "mM/ms", "Ca taken up by the dye", adds_to=pool_sum("Ca", "myo2")),
               Output("Ca_content", "mM", "Ca on the dye, per myoplasm volume", adds_to="Ca_total"))

    @classmethod
    def default_parameters(cls):
        return {"D_tot": Parameter(0.1, "mM", "test", "dye", (0.0, 10.0)),
                "kon": Parameter(100.0, "1/(mM ms)", "test", "on-rate", (0.0, 1e6)),
                "koff": Parameter(0.1, "1/ms", "test", "off-rate", (0.0, 1e6))}

    @classmethod
    def default_inputs(cls):
        return {"Ca": "myo2.Ca", "V_2": "V_myo2", "V_myo": "V_myo"}

    @staticmethod
    def equations(Ca, V_2, V_myo, CaD, D_tot, kon, koff):
        b = kon * Ca * (D_tot - CaD) - koff * CaD
        return -b, V_2 * CaD / V_myo, b


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(1e-6, 40.0), min_size=24, max_size=24), st.lists(st.floats(0.0, 0.02), min_size=7,
                                                                               max_size=7),
       st.floats(0.0, 1.0), st.floats(0.0, 0.1), st.floats(1.0, 1e4))
def test_a_buffer_added_as_one_component_keeps_calcium_exact(values, filament, po, dye_ca, kon):
    # The dye is composed, not written into another component; Ca (now including the dye's)
    # stays conserved exactly, and the dye takes its Ca from the bulk free-Ca pool.
    dyed = Model("sr_calcium+dye", [PrescribedRelease("clamp"), *ca_system(RBCFilament("xb")), Dye("dye")], J_NAK)
    plain = Model("sr_calcium", [PrescribedRelease("clamp"), *ca_system(RBCFilament("xb"))], J_NAK)
    y = _random_state(dyed, values, filament, 0.0)
    y[dyed.state_index["dye.CaD"]] = dye_ca
    p = dyed.parameter_vector({"clamp.Po_rest": po, "dye.kon": kon})
    dydt = dyed.rhs(0.0, y, p)
    v1, v2, _, _ = _volumes(dyed)
    d_ca = _ca(dyed, _by_name(dyed, dydt)) + v2 * dydt[dyed.state_index["dye.CaD"]]
    assert abs(d_ca) < 1e-11 * (np.max(np.abs(dydt)) + 1.0)
    obs = dyed.observables(0.0, y, p)
    assert float(obs["Ca_total"]) * (v1 + v2) == pytest.approx(_ca(dyed, _by_name(dyed, y)) + v2 * dye_ca,
                                                             rel=1e-12)
    # the dye's binding is the only difference to the free bulk Ca's rate
    yp = np.array([y[dyed.state_index[n]] for n in plain.state_names])
    d_plain = plain.rhs(0.0, yp, plain.parameter_vector({"clamp.Po_rest": po}))
    binding = kon * y[dyed.state_index["myo2.Ca"]] * (0.1 - dye_ca) - 0.1 * dye_ca
    ca2 = dyed.state_index["myo2.Ca"]
    assert dydt[ca2] == pytest.approx(d_plain[plain.state_index["myo2.Ca"]] - binding,
                                      rel=1e-9, abs=1e-12 * (abs(binding) + np.max(np.abs(d_plain))))


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
    force = np.asarray(model.observables(0.0, ys, pulse)["force"])
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
        yy[i["myo2.MgATP"]] = mgatp
        yy[i["xb.A1"]] = 0.0  # no power stroke into A2: dA2/dt = -(h_p + g_eff) A2
        d = model.rhs(0.0, yy, p)[i["xb.A2"]]
        return -d / yy[i["xb.A2"]] - 0.18  # minus h_p

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
    starved = {**base, "supply.V_supply": 0.0}
    q = model.parameter_vector(starved)
    y = rest.copy()
    y[i["myo1.PCr"]] = y[i["myo2.PCr"]] = 0.0
    # resting use is about 0.03 mM/s (half of it the pump's fixed 0.014 mM/s): 8 mM lasts minutes
    y = solve_ivp(lambda t, yy: model.rhs(t, yy, q), (0.0, 1.5e6), y, method="BDF", rtol=1e-8, atol=1e-13).y[:, -1]
    y[i["clamp.clock"]] = 0.0
    assert y[i["myo2.MgATP"]] < 0.01  # mM: ATP has run out
    fed_t, fed, pf = _pulse_run(model, rest, base)
    dry_t, dry, pd = _pulse_run(model, y, starved)
    f_fed = np.asarray(model.observables(0.0, fed, pf)["force"])
    f_dry = np.asarray(model.observables(0.0, dry, pd)["force"])
    assert f_fed[-1] < 0.5 * f_fed.max()  # relaxes with ATP
    assert f_dry[-1] > 0.9 * f_dry.max()  # rigor: no relaxation without it
    assert f_dry.max() > f_fed.max()


def test_crossbridge_rates_are_shortens_thirty_times_razumovas():
    """The crossbridge rates' sources say: Shorten et al. 2007's fast-twitch values are 30 times
    Razumova et al. 1999's own (f_p 37.5 times), as read in the two models' CellML encodings
    (Shorten fast twitch: f_o 1.5, f_p 15, h_o 0.24, h_p 0.18, g_o 0.12 /ms; Razumova: f 50,
    f' 400, h 8, h' 6, g 4 /s). Exact to rounding."""
    from neuromuscle.components.thin_filament import RAZUMOVA_XB_RATES, CooperativeFilament, RBCFilament

    for filament in (RBCFilament, CooperativeFilament):
        p = filament.default_parameters()
        ratios = {k: p[k].value / v for k, v in RAZUMOVA_XB_RATES.items()}
        assert ratios == pytest.approx({"f_o": 30.0, "f_p": 37.5, "h_o": 30.0, "h_p": 30.0, "g_o": 30.0}, rel=1e-12)
