"""The voltage-controlled SR release channel: the 10-state allosteric
DHPR-RyR1 scheme of Stern, Pizarro & Rios 1997 with Shorten et al. 2007 values."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neuromuscle as nm
from neuromuscle.components.ec_coupling import SternRiosRelease, release_equilibrium, release_open_probability
from neuromuscle.model import Model

PAR = {k: p.value for k, p in SternRiosRelease.default_parameters().items() if k not in ("q10", "celsius_ref")}
KIN = {k: PAR[k] for k in ("k_L", "k_Lm", "f", "K", "V_bar")}


def _derivatives(v, occupancies):
    out = SternRiosRelease.equations(v, 0.0, *occupancies, **PAR, phi=1.0)
    return out[0], np.array(out[1:])


def test_open_probability_hand_values():
    # L = k_L/k_Lm = 2e-6, f = 0.2. At V = V_bar = -34.2 mV (J = 1): Po = L 26^4/(2^4 + L 26^4)
    # = 0.913952/16.913952 = 0.0540354. Fully activated sensors: Po = L f^-8/(1 + L f^-8)
    # = 0.78125/1.78125 = 0.4385965.
    assert release_open_probability(-34.2) == pytest.approx(0.0540354, rel=1e-6)
    assert release_open_probability(200.0) == pytest.approx(0.4385965, rel=1e-4)
    # at rest (-85 mV): J = exp(-50.8/8.7) = 2.910e-3, Po = L (1 + J/f^2)^4/((1 + J)^4 + ...)
    # = 2e-6 x 1.32451/1.01171 = 2.6184e-6
    assert release_open_probability(-85.0) == pytest.approx(2.6184e-6, rel=1e-4)


@settings(max_examples=50, deadline=None)
@given(st.floats(-150.0, 80.0))
def test_equilibrium_is_a_steady_state_and_matches_the_closed_form(v):
    occ = release_equilibrium(v, **KIN)
    po, d = _derivatives(v, occ)
    assert np.max(np.abs(d)) < 1e-9 * (PAR["k_Lm"] + PAR["alpha1"] * 1e3)
    assert po == pytest.approx(release_open_probability(v), rel=1e-9)
    assert sum(occ) == pytest.approx(1.0, rel=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.floats(-150.0, 80.0), st.lists(st.floats(0.0, 1.0), min_size=10, max_size=10))
def test_probability_is_conserved(v, raw):
    occ = np.array(raw) / max(sum(raw), 1e-12)
    _, d = _derivatives(v, occ)
    assert abs(d.sum()) < 1e-9


@settings(max_examples=30, deadline=None)
@given(st.floats(-150.0, 80.0))
def test_detailed_balance_around_every_loop(v):
    # C_i -> C_{i+1} -> O_{i+1} -> O_i -> C_i: product of forward rates = product of backward ones
    a = 0.5 * PAR["alpha1"] * np.exp((v - PAR["V_bar"]) / (8 * PAR["K"]))
    b = 0.5 * PAR["alpha1"] * np.exp((PAR["V_bar"] - v) / (8 * PAR["K"]))
    f, kl, klm = PAR["f"], PAR["k_L"], PAR["k_Lm"]
    for i in range(4):
        forward = (4 - i) * a * (kl / f ** (i + 1)) * ((i + 1) * f * b) * (klm * f**i)
        backward = (kl / f**i) * ((4 - i) * a / f) * (klm * f ** (i + 1)) * ((i + 1) * b)
        assert forward == pytest.approx(backward, rel=1e-12)


def test_release_driven_by_the_fibres_tubule_agrees_across_engines():
    fibre = nm.muscle_fibre(resting="published")
    model = Model("fibre_release", [*fibre.components, SternRiosRelease("ryr", inputs={"V": "u"})],
                  dict(fibre.global_parameters), stiff=True)
    model.equilibrium_finder = fibre.equilibrium_finder
    rest = nm.fibre_states(model, mode="chronic")[0]
    po_rest = sum(rest.y[model.state_index[f"ryr.O{i}"]] for i in range(5))
    assert po_rest == pytest.approx(release_open_probability(rest.y[model.state_index["u"]]), rel=1e-9)
    runs = [nm.simulate(model, nm.Pulse(400.0, 2.0, 0.5), 12.0, params=rest.params, y0=rest.y, engine=eng,
                        rtol=1e-8, atol=1e-10) for eng in ("fast", "scipy")]
    peaks = [r["Po_RyR"].max() for r in runs]
    assert peaks[0] == pytest.approx(peaks[1], rel=1e-3)
    # The tubular action potential opens channels, but only 20-fold over rest: at 37 C it lasts
    # ~0.3 ms, while Shorten's sensors (no temperature dependence) need milliseconds
    # (docs/models/muscle_fibre.md).
    assert peaks[0] > 10 * po_rest


def test_step_response_reaches_the_closed_form_equilibrium():
    from scipy.integrate import solve_ivp

    def rhs(t, y):
        return _derivatives(20.0, y)[1]

    y0 = np.array(release_equilibrium(-85.0, **KIN))
    sol = solve_ivp(rhs, (0.0, 300.0), y0, method="LSODA", rtol=1e-10, atol=1e-12, dense_output=True)
    po_inf = release_open_probability(20.0)  # 0.345
    assert sol.y[5:, -1].sum() == pytest.approx(po_inf, rel=1e-4)
    assert sol.sol(1.0)[5:].sum() < 0.5 * po_inf  # sensors take milliseconds (rate ~0.3/ms at +20 mV)


def test_release_and_sr_calcium_coupled_to_the_fibre_agree_across_engines():
    model = nm.muscle_ec()
    # fast: compiled DOP5 handing over to the stiff engine; auto: the compiled stiff engine (the
    # model is declared stiff); scipy: LSODA on the NumPy equations, the reference
    runs = [nm.simulate(model, nm.Pulse(700.0, 2.0, 0.5), 20.0, engine=eng, rtol=1e-10, atol=1e-13)
            for eng in ("fast", "auto", "scipy")]
    assert runs[1].engine == "stiff" and runs[2].method == "LSODA"
    ref_t, ref_ca = np.asarray(runs[2]["t"]), np.asarray(runs[2]["Ca_cyt"])
    for run in runs[:2]:
        # the engines report on different time grids: compare on the other run's grid
        t, ca = np.asarray(run["t"]), np.asarray(run["Ca_cyt"])
        assert np.max(np.abs(ca - np.interp(t, ref_t, ref_ca))) < 1e-4 * ca.max(), run.method
        assert ca.max() > 3 * ca[0]  # the action potential releases Ca
