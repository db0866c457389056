"""Junction components and the nerve-muscle chain: hand-computed values and invariants."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

import neuromuscle as nm
from neuromuscle.components.nmj import (
    OPEN_TIME,
    EndPlateCurrent,
    PresynapticRelease,
    cable_peak_factor,
    fibre_input_area,
)


def _epc_precompute(celsius, **over):
    par = {k: p.value for k, p in EndPlateCurrent.default_parameters().items()}
    par.update(over)
    return EndPlateCurrent.precompute(celsius, par["tau_open"], par["celsius_open"], par["q10"], par["rise"],
                                      par["q10_g"], par["g_q"], par["A_fibre"]), par


@pytest.mark.parametrize("tau, celsius", OPEN_TIME)
def test_epc_decay_is_the_measured_open_time(tau, celsius):
    # Dreyer et al. 1976: 0.3 ms at 39 C and 1.0 ms at 23 C; the Q10 is derived from the pair
    (tau_d, _, _), _ = _epc_precompute(celsius)
    assert tau_d == pytest.approx(tau, rel=1e-12)


def test_one_quantum_peaks_at_the_quantal_conductance():
    (tau_d, tau_r, norm), par = _epc_precompute(37.0)

    def f(t, y):
        out = EndPlateCurrent.equations(-80.0, 0.0, y[0], y[1], par["E"], par["A_fibre"], tau_d, tau_r, norm)
        return [out[3], out[4]]

    sol = solve_ivp(f, (0.0, 10 * tau_d), [1.0, 0.0], rtol=1e-10, atol=1e-12, dense_output=True)
    t = np.linspace(0, 10 * tau_d, 20001)
    g = norm * sol.sol(t)[1]  # mS/cm2
    g_q = par["g_q"] * par["q10_g"] ** 0.0
    assert g.max() * par["A_fibre"] * 1e6 == pytest.approx(g_q, rel=1e-5)  # nS
    # and the open-channel integral of one quantum is tau_d (in quantum units)
    assert np.trapezoid(sol.sol(t)[1], t) == pytest.approx(tau_d, rel=1e-3)


def test_fibre_input_area_hand_value():
    # d = 50 um, R_i = 125 Ohm cm, g = 2.5 mS/cm2: R_m 400 Ohm cm2, lambda = sqrt(50e-4*400/500) cm
    lam = math.sqrt(50e-4 * 400.0 / (4 * 125.0))
    assert fibre_input_area(2.5, 50e-4, 125.0) == pytest.approx(2 * lam * math.pi * 50e-4, rel=1e-12)


@pytest.mark.parametrize("width", [0.2, 1.0, 20.0])
def test_cable_peak_factor_is_the_infinite_cable_by_hand(width):
    # A rectangular current of width w into an RC patch (tau 2 ms) and into the middle of an infinite
    # cable of the same membrane and DC input resistance. Cable Green's function at x = 0 over the
    # patch's: 1 / sqrt(pi t / tau) (Jack, Noble & Tsien 1975), so both peak at t = w and
    # V_cable / V_patch = erf(sqrt(w / tau)) / (1 - exp(-w / tau)): 3.63, 1.74, 1.00. Tolerance 1 %,
    # the grid's resolution of the rectangle's edges.
    tau = 2.0
    t = np.arange(0.0, 60.0 + width, 0.002)
    i = np.where(t < width, 1.0, 0.0)
    v = tau * np.where(t < width, 1 - np.exp(-t / tau), (1 - np.exp(-width / tau)) * np.exp(-(t - width) / tau))
    expected = math.erf(math.sqrt(width / tau)) / (1 - math.exp(-width / tau))
    assert cable_peak_factor(t, i, v) == pytest.approx(expected, rel=0.01)


def test_cable_peak_factor_rejects_bad_records():
    t = np.arange(0.0, 5.0, 0.01)
    with pytest.raises(ValueError, match="record longer"):
        cable_peak_factor(t, np.ones_like(t), np.ones_like(t))
    with pytest.raises(ValueError, match="uniform"):
        cable_peak_factor(t ** 2, np.ones_like(t), np.exp(-t))


def test_endplate_area_makes_the_patch_peak_that_of_the_cable():
    # the chain's end-plate area is the DC patch over the cable factor of its own miniature EPP: a
    # brief quantum charges less than a length constant of fibre, so the area is smaller than the DC
    # one; the miniature EPP then lies in the 0.4-1 mV usually quoted for mammalian end-plates
    # (reference notes, secondary; not fitted)
    from neuromuscle.models.nerve_muscle import _endplate_area

    area, a_dc, factor = _endplate_area()
    assert 1.2 < factor < 3.0 and area == pytest.approx(a_dc / factor, rel=1e-12)
    assert 0.35 < nm.analysis.quantal_size("normal").mepp < 1.0


@settings(max_examples=50, deadline=None)
@given(mg=st.floats(0.0, 10.0), k_ca=st.floats(0.3, 5.0), k_mg=st.floats(0.3, 10.0))
def test_mg_is_a_parallel_shift_at_low_ca(mg, k_ca, k_mg):
    # Dodge & Rahamimoff's form: at Ca << K_Ca, release x^4 goes as Ca^4 and Mg divides it by (1 + Mg/K_Mg)^4
    ca = np.array([1e-4, 2e-4]) * k_ca
    x = PresynapticRelease.occupancy(ca, mg, k_ca, k_mg) ** 4
    slope = np.log(x[1] / x[0]) / np.log(2.0)
    assert slope == pytest.approx(4.0, abs=2e-3)
    x0 = PresynapticRelease.occupancy(ca[0], 0.0, k_ca, k_mg) ** 4
    assert x0 / x[0] == pytest.approx((1 + mg / k_mg) ** 4, rel=1e-3)


@pytest.fixture(scope="module")
def terminal():
    return nm.nerve_muscle(muscle=None)


def test_quantal_content_stochastic_is_seeded(terminal):
    a = nm.analysis.quantal_content(n_trials=200, seed=3, model=terminal)
    b = nm.analysis.quantal_content(n_trials=200, seed=3, model=terminal)
    assert a.axon_fired
    np.testing.assert_array_equal(a.samples, b.samples)
    # binomial: mean close to the deterministic one, variance n p (1 - p)
    p = a.mean / a.pool
    assert a.samples.mean() == pytest.approx(a.mean, rel=5 * math.sqrt((1 - p) / (a.mean * 200)))


def test_no_release_without_an_axon_spike(terminal):
    q = nm.analysis.quantal_content(model=terminal, stimulus=(100.0, 0.1, 1.0))  # far below threshold
    assert not q.axon_fired
    assert q.mean < 1e-6


def test_chain_names_and_rest():
    model = nm.nerve_muscle(muscle=nm.muscle_fibre)
    for name in ("V", "V_axon", "nmj.m", "endplate.G", "u"):
        assert name in model.state_index
    assert "I_ion_axon" in model.sums and "I_ion" in model.sums
    assert "Na_i_axon" in model.parameter_index  # the axoplasm's Na is not the myoplasm's
    rest = nm.analysis.resting_state(model)
    ax = nm.analysis.resting_state(nm.motor_axon())
    fib = nm.analysis.resting_state(nm.muscle_fibre())
    assert rest.y[model.state_index["V_axon"]] == pytest.approx(ax.v, abs=1e-9)
    assert rest.v == pytest.approx(fib.v, abs=1e-9)
    d = model.rhs(0.0, rest.y)
    assert np.max(np.abs(d)) < 1e-6
    # the applied current drives the axon, not the fibre (release switched off)
    run = nm.simulate(model, nm.Pulse(2000.0, 0.5, 0.1), 1.0, y0=rest.y, dt=0.01, engine="scipy",
                      params={"nmj.k_rel": 0.0})
    assert run["V_axon"].max() > rest.y[model.state_index["V_axon"]] + 10.0
    assert abs(run["V"][-1] - rest.v) < 0.1


def test_replaceable_axon_end():
    # any axon model works as the axon end: here the squid axon of Hodgkin & Huxley
    model = nm.nerve_muscle(axon=nm.hodgkin_huxley(), muscle=None)
    assert model.axon_potential == "V"
    assert "axon_na.m" in model.state_index


def test_bad_junction_key():
    with pytest.raises(KeyError, match="junction keys"):
        nm.nerve_muscle(muscle=None, junction={"K_Mg": 2.0})


def test_docs_table_states_the_package_constants():
    # docs/models/data/calibrate_junction.md is written by experiments/calibrate_junction.py; the
    # constants it states must be the package's defaults (4 significant digits, as printed)
    import re
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "models" / "data" / "calibrate_junction.md").read_text()
    p = PresynapticRelease.default_parameters()
    k_ca = float(re.search(r"`nmj.K_Ca` \| ([0-9.e+-]+) mM", text).group(1))
    k_mg, k_rel = map(float, re.search(r"\| ([0-9.e+-]+) mM, ([0-9.e+-]+) /ms \|", text).groups())
    assert k_ca == pytest.approx(p["K_Ca"].value, rel=1e-3)
    assert k_mg == pytest.approx(p["K_Mg"].value, rel=1e-3)
    assert k_rel == pytest.approx(p["k_rel"].value, rel=3e-3)


def test_quantal_size_hand_values():
    # one quantum at rest: peak current g_q (V_rest - E) (g_q 50 nS at 37 C), charge g_q (V_rest - E) times the
    # integral of the normalised conductance, tau_d / peak (hand-computed from the biexponential)
    qs = nm.analysis.quantal_size("normal")
    (tau_d, tau_r, norm), par = _epc_precompute(37.0)
    v_rest = nm.analysis.resting_state(nm.muscle_fibre()).v
    drive = (par["E"] - v_rest) * 1e-3  # V
    assert qs.conductance == pytest.approx(par["g_q"], rel=1e-3)
    assert qs.mepc == pytest.approx(par["g_q"] * drive, rel=0.02)  # nS x V = nA; V moves < 1 mV
    t_pk = math.log(tau_d / tau_r) * tau_d * tau_r / (tau_d - tau_r)
    peak = (math.exp(-t_pk / tau_d) - math.exp(-t_pk / tau_r)) * tau_d / (tau_d - tau_r)
    assert qs.charge == pytest.approx(par["g_q"] * drive * tau_d / peak, rel=0.02)  # nA x ms = pC
    # the miniature EPP cannot exceed the charge over the surface capacitance of the area it charges
    c_surface = qs.area * 1.0e3  # nF (1 uF/cm2)
    assert 0.0 < qs.mepp < qs.charge / c_surface


def test_junction_states_have_semantic_labels():
    model = nm.nerve_muscle(muscle=nm.muscle_fibre)
    assert model.label("quanta_released") == "nmj.Q"
    assert model.label("transmitter_release_rate") == "R_release"  # the shared name it provides
    assert model.label("releasable_pool") == "nmj.N"
    assert model.label("endplate_current") == "endplate.I_nA"
    assert model.label("axon_potential") == "V_axon"
