"""The two-compartment muscle fibre: structure, ion balances of the
acute / chloride / chronic steady states, K dependence, action potential, engines."""

import dataclasses
import warnings

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.models.muscle_fibre import (
    NA_CONDUCTANCE,
    NA_CONDUCTANCE_RANGE,
    RESTING_TARGETS,
    TUBULAR_DENSITY,
    _slope,
    cation_permeability,
    ion_currents,
)

NORMAL = nm.Electrolytes.preset("normal")


@pytest.fixture(scope="module")
def fibre():
    return nm.muscle_fibre(resting="published")


def _plasma(k):
    return dataclasses.replace(NORMAL, k=k, name=f"K {k}")


def test_tubular_channels_are_scaled_copies_reading_the_lumen(fibre):
    par = fibre.parameters
    assert par["na_t.g"].value == pytest.approx(TUBULAR_DENSITY["na"] * par["na.g"].value)
    assert par["kir_t.G"].value == pytest.approx(TUBULAR_DENSITY["kir"] * par["kir.G"].value)
    assert par["pump_t.I_max"].value == pytest.approx(TUBULAR_DENSITY["pump"] * par["pump.I_max"].value)
    assert fibre.component("kir_t").inputs["K_o"] == "K_t"
    assert fibre.component("kdr_t").inputs["E"] == "E_K_t"
    assert fibre.component("kir_t").inputs["V"] == "u"
    assert set(fibre.state_names) >= {"V", "u", "K_t"}
    assert fibre.stiff


def test_background_na_balances_the_pump_in_normal_plasma(fibre):
    state = nm.fibre_states(fibre, mode="acute")[0]
    cur = ion_currents(fibre, state.y)
    pump = cur["pump.I"] + cur["pump_t.I"]
    assert pump > 1.0  # uA/cm2: the balance is not trivially 0 = 0
    assert abs(cur["Na"]) < 1e-6 * pump


@pytest.mark.parametrize("k", [3.0, 4.2, 8.0])
def test_chronic_state_has_no_net_flux_and_keeps_charge(fibre, k):
    e = _plasma(k)
    (state,) = [s for s in nm.fibre_states(fibre, e, mode="chronic") if s.stable]
    cur = ion_currents(fibre, state.y, fibre.parameter_vector(state.params))
    for ion in ("Na", "K", "Cl"):
        assert abs(cur[ion]) < 1e-6, ion
    c = state.cytosol
    ref = {n: fibre.parameters[n].value for n in ("Na_i", "K_i", "Cl_i")}
    assert c["Na_i"] + c["K_i"] - c["Cl_i"] == pytest.approx(ref["Na_i"] + ref["K_i"] - ref["Cl_i"], rel=1e-9)
    assert np.max(np.abs(fibre.rhs(0.0, state.y, fibre.parameter_vector(state.params)))) < 1e-8


def test_chloride_state_puts_e_cl_at_the_membrane_potential(fibre):
    state = nm.fibre_states(fibre, mode="chloride")[0]
    p = fibre.parameter_vector(state.params)
    obs = fibre.observables(0.0, state.y, p)
    assert abs(ion_currents(fibre, state.y, p)["Cl"]) < 1e-6
    # surface and tubular Cl currents cancel; E_Cl lies between V and u
    lo, hi = sorted([state.v, float(state.y[fibre.state_index["u"]])])
    assert lo - 1e-6 <= float(obs["E_Cl"]) <= hi + 1e-6


def test_tubular_k_accumulates_above_plasma_at_rest(fibre):
    state = nm.fibre_states(fibre, mode="acute")[0]
    assert state.y[fibre.state_index["K_t"]] > NORMAL.k


@pytest.mark.parametrize("mode", ["acute", "chloride", "chronic"])
def test_hyperkalaemia_depolarises(fibre, mode):
    v = [nm.fibre_states(fibre, _plasma(k), mode=mode)[0].v for k in (4.2, 6.0, 8.0)]
    assert v[0] < v[1] < v[2]


def test_with_chloride_redistributed_rest_follows_nernst_slope(fibre):
    # Cl passively distributed: the fibre follows E_K (Jurkat-Rott et al. 2009: P1 "follows
    # the Nernst equation") at 61.5 mV per decade at 37 C, within 15 %.
    k1, k2 = 4.2, 8.0
    v1, v2 = (nm.fibre_states(fibre, _plasma(k), mode="chloride")[0].v for k in (k1, k2))
    slope = (v2 - v1) / np.log10(k2 / k1)
    assert 0.85 * 61.5 < slope < 1.15 * 61.5


def test_unstimulated_tubule_fires_an_overshooting_action_potential(fibre):
    state = nm.fibre_states(fibre, mode="chronic")[0]
    res = nm.simulate(fibre, nm.Pulse(400.0, 5.0, 0.5), 20.0, params=state.params, y0=state.y)
    after = res["t"] > 5.5  # the pulse has ended; the tubule gets no stimulus of its own
    assert res["u"][after].max() > 10.0  # mV: overshoot
    assert res["V"][-1] == pytest.approx(state.v, abs=2.0)  # back near rest within 15 ms


def test_sub_threshold_pulse_gives_no_action_potential(fibre):
    state = nm.fibre_states(fibre, mode="chronic")[0]
    res = nm.simulate(fibre, nm.Pulse(100.0, 5.0, 0.5), 20.0, params=state.params, y0=state.y)
    assert res["V"].max() < -60.0 and res["u"].max() < -60.0


@pytest.mark.parametrize("resting", ["published", "calibrated"])
def test_fast_and_scipy_engines_agree(resting):
    fibre = nm.muscle_fibre(resting=resting)
    state = nm.fibre_states(fibre, mode="chronic")[0]
    # fast (compiled DOP5), auto (the compiled stiff engine: the fibre is declared
    # stiff) against scipy (LSODA on the NumPy equations)
    runs = [nm.simulate(fibre, nm.Pulse(400.0, 5.0, 0.5), 15.0, params=state.params, y0=state.y, engine=eng,
                        rtol=1e-8, atol=1e-10)
            for eng in ("fast", "auto", "scipy")]
    assert runs[1].engine == "stiff"
    grid = np.linspace(7.0, 15.0, 801)  # after the 0.1 ms upstrokes: compare traces there
    for run in runs[:2]:
        for name in ("V", "u"):
            a, b = (np.interp(grid, r["t"], r[name]) for r in (run, runs[2]))
            assert np.max(np.abs(a - b)) < 0.01, name  # mV
            peaks = [(r[name].max(), r["t"][np.argmax(r[name])]) for r in (run, runs[2])]
            assert peaks[0][0] == pytest.approx(peaks[1][0], abs=0.5), name  # mV, on sampled traces
            assert peaks[0][1] == pytest.approx(peaks[1][1], abs=0.01), name  # ms


def test_simulate_starts_from_the_fibres_rest(fibre):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        res = nm.simulate(fibre, None, 5.0)
    rest = nm.fibre_states(fibre, mode="acute")[0].v
    assert np.allclose(res["V"], rest, atol=1e-6)


def test_cation_permeability_round_trip():
    p = cation_permeability(0.0195)
    e = NORMAL
    from neuromuscle.electrochem import ghk_current, rt_over_f

    v = -85.0
    i = ghk_current(v, p, e.na, 14.7, 1) + ghk_current(v, p, e.k, 154.5, 1)
    e_rev = rt_over_f(37.0) * np.log((e.na + e.k) / (14.7 + 154.5))
    assert i / (v - e_rev) == pytest.approx(0.0195, rel=1e-9)
    assert -5.0 < e_rev < 0.0  # non-selective: reverses near 0 mV


def test_bad_arguments_are_refused(fibre):
    with pytest.raises(ValueError, match="cation_leak"):
        nm.muscle_fibre(cation_leak=-0.01)
    # a huge leak is refused by name and range, not left to overflow in the permeability
    with pytest.raises(ValueError, match=r"cation_leak = 1e\+308 mS/cm2 is outside the valid range \[0, 100\]"):
        nm.muscle_fibre(cation_leak=1e308)
    with pytest.raises(ValueError, match="mode"):
        nm.fibre_states(fibre, mode="weeks")


def test_with_parameters_keeps_the_fibres_equilibrium_finder(fibre):
    changed = fibre.with_parameters(cation_leak__P=cation_permeability(0.0195))
    assert changed.equilibrium_finder is fibre.equilibrium_finder
    assert nm.analysis.resting_state(changed).v == pytest.approx(
        nm.fibre_states(changed, mode="acute")[0].v, abs=1e-9)


# --- resting="calibrated": densities calibrated to measured resting conductances ----------

CAL_K = RESTING_TARGETS["k_o"][0]


@pytest.fixture(scope="module")
def calibrated():
    return nm.muscle_fibre(resting="calibrated")


def test_calibrated_fibre_holds_its_calibration(calibrated):
    # A check of the calibration solve, not a validation: rest -85 mV at K_o 4 mM
    # (Jurkat-Rott et al. 2009), K and Cl slope conductances 0.34 and 2.11 mS/cm2
    # (Palade & Barchi 1977), Na stationary, Cl passively distributed -- in every mode.
    for mode in ("acute", "chloride", "chronic"):
        (state,) = nm.fibre_states(calibrated, _plasma(CAL_K), mode=mode)
        assert state.v == pytest.approx(RESTING_TARGETS["v_rest"][0], abs=1e-3), mode
        assert state.stable
    p = calibrated.parameter_vector(state.params)
    assert _slope(calibrated, state.y, p, "K") == pytest.approx(RESTING_TARGETS["g_k"][0], rel=1e-4)
    assert _slope(calibrated, state.y, p, "Cl") == pytest.approx(RESTING_TARGETS["g_cl"][0], rel=1e-4)
    cur = ion_currents(calibrated, state.y, p)
    assert abs(cur["Na"]) < 1e-6 and abs(cur["Cl"]) < 1e-6
    assert cur["pump.I"] + cur["pump_t.I"] > 0.5  # uA/cm2: the Na balance is not 0 = 0
    assert calibrated.parameters["na.g"].value == pytest.approx(NA_CONDUCTANCE[0])


def _bath(k):
    """Normal plasma composition with K_o below the plasma limit (an in-vitro bath)."""
    fields = ("na", "cl", "ca", "mg", "hco3", "celsius")
    return nm.Electrolytes.solution(k=k, **{f: getattr(NORMAL, f) for f in fields})


def test_second_stable_state_appears_below_about_1_mm_k(calibrated):
    # Jurkat-Rott et al. 2009 PNAS 106:4036: as K_o falls the fibre hyperpolarises down to
    # about 1.5 mM; below about 1 mM a second stable state near -60 mV (P2) appears beside the
    # hyperpolarised one (P1). Model (docs/models/muscle_fibre.md): one state at 1.0 mM, two
    # at 0.5 mM (edge 0.59 mM with Cl redistributed).
    (only,) = nm.fibre_states(calibrated, _plasma(1.0), mode="chloride")
    assert only.v < -88.0
    states = nm.fibre_states(calibrated, _bath(0.5), mode="chloride")
    assert [s.stable for s in states] == [True, False, True]
    p1, _, p2 = states
    assert p1.v < -88.0 and -70.0 < p2.v < -55.0
    # after hours (Na, K, Cl re-settled) the depolarised state is there too, Na-loaded
    p2_chronic = [s for s in nm.fibre_states(calibrated, _bath(0.5), mode="chronic") if s.stable][-1]
    assert -70.0 < p2_chronic.v < -55.0
    assert p2_chronic.params["Na_i"] > 2.0 * calibrated.parameters["Na_i"].value


def test_p2_is_inexcitable_and_p1_fires(calibrated):
    # Jurkat-Rott et al. 2009: fibres in P2 are inexcitable.
    p1, p2 = (s for s in nm.fibre_states(calibrated, _bath(0.5), mode="chloride") if s.stable)
    peaks = [nm.analysis.pulse_response(calibrated, 400.0, 0.5, params=s.params, y0=s.y) for s in (p1, p2)]
    assert peaks[0].regenerative and peaks[0].peak > 10.0  # mV: overshoot from P1
    assert not (peaks[1].regenerative and peaks[1].peak > 0.0)  # no overshooting AP from P2


@pytest.fixture(scope="module")
def high_na():
    """The calibrated fibre with the peak Na conductance at the top of the measured range."""
    return nm.muscle_fibre(na_conductance=NA_CONDUCTANCE_RANGE[1])


def test_more_na_conductance_moves_p2_to_higher_k(high_na):
    # Sensitivity, not validation: the depolarised state is held by the Na window current,
    # so with gNa at the top of Almers et al.'s range (250 mS/cm2 at 23 C) it exists at 1 mM.
    states = [s for s in nm.fibre_states(high_na, _plasma(1.0), mode="chloride") if s.stable]
    assert len(states) == 2 and -70.0 < states[1].v < -55.0


def test_hypopp_cation_leak_depolarises_at_low_k(calibrated):
    # Jurkat-Rott et al. 2009: with the HypoPP cation leak (12-19.5 uS/cm2) the depolarised
    # state appears at K_o up to 4 mM (99 % of HypoPP fibres in P2 at 1.5 mM). At 1.5 mM the
    # default fibre has only a hyperpolarised state; with 19.5 uS/cm2 only a depolarised one.
    (normal,) = nm.fibre_states(calibrated, _plasma(1.5), mode="chloride")
    assert normal.v < -88.0
    leaky = nm.muscle_fibre(cation_leak=0.0195)
    (hypopp,) = [s for s in nm.fibre_states(leaky, _plasma(1.5), mode="chloride") if s.stable]
    assert -72.0 < hypopp.v < -55.0


@pytest.mark.parametrize("mode", ["acute", "chloride", "chronic"])
def test_default_fibre_depolarises_steadily_in_hyperkalaemia(calibrated, mode):
    # One state at each level, rising with K_o: no fold between normal K and 10 mM.
    v = []
    for k in (4.2, 6.0, 8.0, 10.0):
        (state,) = nm.fibre_states(calibrated, _plasma(k), mode=mode)
        v.append(state.v)
    assert np.all(np.diff(v) > 0)


def test_unknown_resting_set_is_refused():
    with pytest.raises(ValueError, match="resting"):
        nm.muscle_fibre(resting="fitted")
    with pytest.raises(ValueError, match="na_conductance"):
        nm.muscle_fibre(resting="published", na_conductance=100.0)


def test_pump_depends_on_myoplasmic_atp(calibrated):
    # Hyperbolic in ATP (Senneff & Lowery 2021): half of the ATP-saturated rate at ATP_i = K_ATP
    state = nm.fibre_states(calibrated, _plasma(CAL_K))[0]
    k_atp = calibrated.parameters["pump.K_ATP"].value
    p = calibrated.parameter_vector(state.params)

    def pump(atp):
        q = p.copy()
        q[calibrated.parameter_index["ATP_i"]] = atp
        return float(calibrated.observables(0.0, state.y, q)["pump.I"])

    saturated = pump(8.0) * (k_atp + 8.0) / 8.0
    assert pump(k_atp) == pytest.approx(0.5 * saturated, rel=1e-12)
    assert pump(0.0) == 0.0
    # with the pump stopped the fibre depolarises at once (its electrogenic share)
    q = p.copy()
    q[calibrated.parameter_index["ATP_i"]] = 0.0
    v_off = [e.v for e in nm.steady.equilibria(calibrated, q)]
    assert min(v_off) > state.v + 0.1


def test_chronic_scan_finds_sodium_loaded_states():
    # With the HypoPP leak at K_o 1.5 mM the chronic state carries about twice the normal
    # myoplasmic Na; the scan balances Na at every potential so that it is found (it was
    # missed when only Cl was balanced) and is an exact zero-flux state.
    fibre = nm.muscle_fibre(cation_leak=0.0195)
    states = nm.fibre_states(fibre, _plasma(1.5), mode="chronic")
    assert states
    for s in states:
        cur = ion_currents(fibre, s.y, fibre.parameter_vector(s.params))
        assert max(abs(cur[ion]) for ion in ("Na", "K", "Cl")) < 1e-6
    assert max(s.params["Na_i"] for s in states) > 20.0


def test_no_chronic_state_is_reported_with_a_warning(calibrated):
    # At 0.2 mM K_o the pump runs at a few % of its normal rate and cannot hold Na out at
    # constant volume: no chronic steady state, and the caller is told rather than handed [].
    with pytest.warns(RuntimeWarning, match="no steady state"):
        assert nm.fibre_states(calibrated, _bath(0.2), mode="chronic") == []


def test_cooling_keeps_the_rest_near_its_37_c_value():
    # Every passive pathway (Kir, ClC-1, the background) carries the same conductance Q10,
    # so cooling to room temperature moves rest by a few mV only. Before the background got
    # its Q10 the fibre depolarised to -66 mV at 22 C with Cl redistributed (the K and Cl
    # conductances shrank, the Na background did not).
    for celsius in (22.0, 30.0):
        e = dataclasses.replace(NORMAL, celsius=celsius)
        fibre = nm.muscle_fibre(e)
        for mode in ("acute", "chloride"):
            (state,) = nm.fibre_states(fibre, e, mode=mode)
            assert -88.0 < state.v < -79.0, (celsius, mode, state.v)
