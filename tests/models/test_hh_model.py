"""HH rate functions and factory against hand-computed values."""

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.components.hh1952 import hh_rates


def test_rates_hand_values():
    am, bm, ah, bh, an, bn = hh_rates(np.array([-65.0, -40.0, -55.0, -35.0]))
    # at V = -65: beta_m = 4, alpha_h = 0.07, beta_n = 0.125 (exponents vanish)
    assert bm[0] == pytest.approx(4.0) and ah[0] == pytest.approx(0.07) and bn[0] == pytest.approx(0.125)
    # removable singularities: alpha_m(-40) = 0.1 * 10 = 1, alpha_n(-55) = 0.01 * 10 = 0.1
    assert am[1] == pytest.approx(1.0, rel=1e-12)
    assert an[2] == pytest.approx(0.1, rel=1e-12)
    # beta_h(-35) = 1/2
    assert bh[3] == pytest.approx(0.5)
    # alpha_m(-65) = 0.1 * (-25) / (1 - e^{2.5}) = -2.5 / (1 - 12.18249) = 0.223564
    assert am[0] == pytest.approx(0.223564, abs=1e-6)


def test_rates_continuous_across_singularities():
    v = np.array([-40.0 - 1e-9, -40.0, -40.0 + 1e-9])
    am = hh_rates(v)[0]
    assert np.ptp(am) < 1e-9
    v = np.array([-55.0 - 1e-9, -55.0, -55.0 + 1e-9])
    assert np.ptp(hh_rates(v)[4]) < 1e-9


def test_resting_gates_match_published_values(hh):
    # m, h, n at -65 mV: 0.0529, 0.5961, 0.3177 (e.g. NEURON hh.mod initial values;
    # follow from HH 1952 eqs. 12-13, 20-24 at V = -65 mV)
    y = hh.quasi_steady_state(-65.0)
    np.testing.assert_allclose(y[1:], [0.0529, 0.5961, 0.3177], atol=1e-4)


def test_q10_speeds_gates(hh):
    y = hh.quasi_steady_state(-65.0)
    y[0] = -40.0
    d6 = hh.rhs(0.0, y)
    d16 = nm.hodgkin_huxley(celsius=16.3).rhs(0.0, y)
    np.testing.assert_allclose(d16[1:], 3.0 * d6[1:], rtol=1e-12)


def test_nernst_option():
    m = nm.hodgkin_huxley(reversal="nernst")
    obs = m.observables(0.0, m.quasi_steady_state(-65.0))
    # 24.08 mV * ln(440/50) = 52.37 mV; 24.08 * ln(20/400) = -72.14 mV at 6.3 C
    assert float(obs["E_Na"]) == pytest.approx(52.37, abs=0.01)
    assert float(obs["E_K"]) == pytest.approx(-72.14, abs=0.01)
    m2 = nm.hodgkin_huxley(reversal="nernst", concentrations={"K": (10.0, 400.0)})
    obs2 = m2.observables(0.0, m2.quasi_steady_state(-65.0))
    assert float(obs2["E_K"]) < float(obs["E_K"])


def test_factory_errors():
    with pytest.raises(ValueError, match="celsius"):
        nm.hodgkin_huxley(celsius=80.0)
    with pytest.raises(ValueError, match="reversal"):
        nm.hodgkin_huxley(reversal="ghk")
    with pytest.raises(ValueError, match="Cl"):
        nm.hodgkin_huxley(reversal="nernst", concentrations={"Cl": (100.0, 10.0)})
    with pytest.raises(ValueError, match="K_o"):
        nm.hodgkin_huxley(reversal="nernst", concentrations={"K": (-1.0, 400.0)}).parameter_vector()
