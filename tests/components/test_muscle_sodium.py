"""NativeSodium: Wallinga's muscle Na current with fast gates at the measured native speed."""

import numpy as np
import pytest

from neuromuscle.components.muscle_sodium import NativeSodium, gate_factors, native_sodium_rates

V = np.linspace(-150.0, 60.0, 21001)


def test_gates_have_the_measured_time_constants_and_midpoint():
    # Collins, Rojas & Suarez-Isla 1982 (15 C): largest tau_m 0.43 ms, largest tau_h 0.925 ms;
    # inactivation half at -70 mV (rat fibres)
    f = gate_factors(0.43, 0.925, -70.0)
    am, bm, ah, bh = native_sodium_rates(V, *f)
    assert np.max(1.0 / (am + bm)) == pytest.approx(0.43, rel=1e-3)
    assert np.max(1.0 / (ah + bh)) == pytest.approx(0.925, rel=1e-3)
    h_inf = ah / (ah + bh)
    assert np.interp(0.5, h_inf[::-1], V[::-1]) == pytest.approx(-70.0, abs=0.01)
    # m_inf is Wallinga's: one factor on both activation rates
    from neuromuscle.components.muscle_wallinga import wallinga_sodium_rates

    wam, wbm, *_ = wallinga_sodium_rates(V)
    np.testing.assert_allclose(am / (am + bm), wam / (wam + wbm), rtol=1e-12)


def test_batched_factors_match_the_scalar_ones():
    taus = np.array([0.3, 0.43, 1.0])
    fm, fa, fb = gate_factors(taus, 0.925 * np.ones(3), np.array([-75.0, -70.0, -65.0]))
    for k in range(3):
        one = gate_factors(float(taus[k]), 0.925, float([-75.0, -70.0, -65.0][k]))
        np.testing.assert_allclose([fm[k], fa[k], fb[k]], one, rtol=1e-12)


def test_recovery_near_rest_is_tens_of_times_faster_than_wallingas():
    # the reason for the channel: Wallinga's h recovers with tau ~33 ms at -80 mV at 16 C
    from neuromuscle.components.muscle_wallinga import wallinga_sodium_rates

    f = gate_factors(0.43, 0.925, -70.0)
    _, _, ah, bh = native_sodium_rates(np.array(-80.0), *f)
    _, _, wah, wbh, _, _ = wallinga_sodium_rates(np.array(-80.0))
    tau_w16 = 1.0 / ((wah + wbh) * 2.3 ** ((16.0 - 37.0) / 10.0))
    tau_n16 = 1.0 / ((ah + bh) * 2.3 ** ((16.0 - 15.0) / 10.0))
    assert tau_w16 == pytest.approx(33.0, rel=0.05)
    assert tau_n16 < 1.0 and tau_w16 / tau_n16 > 30


def test_parameter_names_are_wallingas_so_the_fibre_factory_can_swap_it():
    from neuromuscle.components.muscle_wallinga import WallingaSodium

    assert set(WallingaSodium.default_parameters()) <= set(NativeSodium.default_parameters())
