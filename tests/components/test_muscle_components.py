"""Wallinga (1999) muscle membrane components against hand-computed values."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neuromuscle.components import Membrane, Parameter
from neuromuscle.components.ghk import Nernst
from neuromuscle.components.muscle_wallinga import (
    CationLeak,
    ClC1Chloride,
    InwardRectifier,
    NaKPump,
    WallingaDelayedRectifier,
    WallingaSodium,
    kir_open_fraction,
    wallinga_potassium_rates,
    wallinga_sodium_rates,
)
from neuromuscle.model import Model


def test_sodium_rates_hand_values():
    am, bm, _, _, _, _ = wallinga_sodium_rates(np.array([-46.0]))
    assert am[0] == pytest.approx(2.88, rel=1e-12)  # removable 0/0: limit 0.288 * 10
    assert bm[0] == pytest.approx(1.38)
    _, _, ah, bh, _, _ = wallinga_sodium_rates(np.array([-45.0]))
    assert ah[0] == pytest.approx(0.0081) and bh[0] == pytest.approx(2.19)
    s_inf = wallinga_sodium_rates(np.array([-78.0]))[4]
    tau_s = wallinga_sodium_rates(np.array([-90.0]))[5]
    assert s_inf[0] == pytest.approx(0.5) and tau_s[0] == pytest.approx(8571.0 / 0.2)


def test_potassium_rates_hand_values():
    an, bn, hk_inf, tau_hk = wallinga_potassium_rates(np.array([-40.0]))
    assert an[0] == pytest.approx(0.0131 * 7.0, rel=1e-12)  # removable 0/0 at -40 mV
    assert bn[0] == pytest.approx(0.067) and hk_inf[0] == pytest.approx(0.5) and tau_hk[0] == pytest.approx(1000.0)


def test_kir_hand_values_and_site_concentration():
    # K_o = K_i = 4 mM: E_K = 0, K_R = 4: gbar = 16/(950 + 16) = 0.016563;
    # at V = 0: y = 1 - 1/(1 + 1 (1 + 16/950)/(10^2)) = 0.0100661
    gbar, y = kir_open_fraction(0.0, 4.0, 4.0, 20.0, 0.4, 950.0, 1.0, 10.0)
    assert gbar == pytest.approx(16.0 / 966.0, rel=1e-12)
    assert y == pytest.approx(0.0100661, rel=1e-5)
    # K_R = K_o exp(-delta E_K F/RT) = K_o^(1 - delta) K_i^delta
    gbar, _ = kir_open_fraction(-90.0, 4.0, 150.0, 37.0, 0.4, 950.0, 1.0, 10.0)
    k_r = 4.0**0.6 * 150.0**0.4
    assert gbar == pytest.approx(k_r**2 / (950.0 + k_r**2), rel=1e-12)


@given(v1=st.floats(-150, 50), v2=st.floats(-150, 50), ko=st.floats(0.5, 20))
def test_kir_rectifies_and_rises_with_external_k(v1, v2, ko):
    lo, hi = min(v1, v2), max(v1, v2)
    _, y_lo = kir_open_fraction(lo, ko, 150.0, 37.0, 0.4, 950.0, 1.0, 10.0)
    _, y_hi = kir_open_fraction(hi, ko, 150.0, 37.0, 0.4, 950.0, 1.0, 10.0)
    assert y_lo >= y_hi - 1e-15  # block by internal cations grows with depolarisation
    g1, _ = kir_open_fraction(-90.0, ko, 150.0, 37.0, 0.4, 950.0, 1.0, 10.0)
    g2, _ = kir_open_fraction(-90.0, ko * 1.5, 150.0, 37.0, 0.4, 950.0, 1.0, 10.0)
    assert g2 > g1  # conductance falls as external K falls (why low K can depolarise muscle)


def test_clc1_gate_half_point():
    (i,) = ClC1Chloride.equations(70.0, -80.0, 19.65, 70.0, 150.0, 1.0)
    assert i == pytest.approx(19.65 * 0.5**4 * 150.0)


def test_pump_hand_value_and_saturation():
    # V = 0, 20 C: sigma = (e^(140/67.3) - 1)/7 = (8.006372 - 1)/7 = 1.000910;
    # f = 1/(1.12 + 0.04 sigma) = 0.862042;
    # I = 59.9 f / ((1 + 1/4)^2 (1 + 13/12)^3) = 59.9 * 0.862042 / (1.5625 * 9.042245) = 3.65476
    # ATP term: 8 mM ATP with K_ATP 3.5 uM gives 8/(8 + 0.0035) = 0.999563
    (i,) = NaKPump.equations(0.0, 4.0, 140.0, 12.0, 8.0, 20.0, 59.9, 1.0, 13.0, 3.5e-3)
    assert i == pytest.approx(3.65476 * 0.999563, rel=1e-5)
    (i_half,) = NaKPump.equations(0.0, 4.0, 140.0, 12.0, 3.5e-3, 20.0, 59.9, 1.0, 13.0, 3.5e-3)
    assert i_half == pytest.approx(3.65476 / 2, rel=1e-5)
    # mathematical limits: saturating K_o, Na_i and ATP, and f(V) -> 1 for large V, give I_max
    (i_max,) = NaKPump.equations(2000.0, 1e9, 140.0, 1e9, 1e9, 20.0, 59.9, 1.0, 13.0, 3.5e-3)
    assert i_max == pytest.approx(59.9, rel=1e-4)


def test_components_compose_and_compile_for_surface_and_tubule():
    glob = {k: Parameter(v, u, "test", k) for k, v, u in [
        ("celsius", 37.0, "degC"), ("dV_surface", 0.0, "mV"), ("K_o", 4.0, "mM"), ("K_i", 150.0, "mM"),
        ("Na_o", 140.0, "mM"), ("Na_i", 12.0, "mM"), ("Cl_o", 120.0, "mM"), ("Cl_i", 5.0, "mM"),
        ("K_t", 4.0, "mM"), ("ATP_i", 8.0, "mM")]}
    comps = [
        Membrane("membrane"), WallingaSodium("na"), WallingaDelayedRectifier("kdr"), InwardRectifier("kir"),
        ClC1Chloride("cl"), NaKPump("pump"), CationLeak("cat"),
        Nernst("E_K", "K", 1), Nernst("E_Na", "Na", 1), Nernst("E_Cl", "Cl", -1),
        InwardRectifier("kir_t", inputs={"K_o": "K_t"}, rename={"V": "u", "I_ion": "I_ion_t"}),
        Membrane("tubule", rename={"V": "u", "I_ion": "I_ion_t", "I_stim": "dV_surface"}),
    ]
    model = Model("surface_smoke", comps, glob)
    assert model.component("kir_t").inputs["V"] == "u"
    assert set(model.sums["I_ion_t"]) == {"kir_t.I"}
    from neuromuscle.engine import compiled_rhs

    p = model.full_parameters()
    y = model.quasi_steady_state(-80.0)
    y[model.state_index["u"]] = -80.0
    out = np.empty(y.size)
    compiled_rhs(model)(0.0, y, p, 0.0, out)
    np.testing.assert_allclose(out, model.rhs(0.0, y, p), rtol=1e-12, atol=1e-12)
