"""Analysis functions on synthetic data with known answers, and on HH."""

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.analysis import (
    action_potential,
    equilibria,
    firing_rate,
    jacobian,
    spike_times,
    steady_firing_rate,
    strength_duration,
    threshold_current,
)


def test_spike_times_linear_interpolation():
    t = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    v = np.array([-60.0, -20.0, 20.0, -60.0, 10.0, 30.0])
    # crossings of 0: between t=1 (-20) and 2 (20) at 1.5; between 3 (-60) and 4 (10) at 3 + 60/70
    np.testing.assert_allclose(spike_times(t, v, 0.0), [1.5, 3.0 + 60.0 / 70.0])


def test_firing_rates():
    spikes = np.arange(10.0, 1000.0, 20.0)  # 50 Hz
    assert firing_rate(spikes, 0.0, 1000.0) == pytest.approx(50.0)
    assert steady_firing_rate(spikes, 1000.0) == pytest.approx(50.0)
    assert steady_firing_rate(np.array([5.0, 30.0]), 1000.0) == 0.0
    # a train that stopped long before the end is not sustained firing
    assert steady_firing_rate(np.array([5.0, 25.0, 45.0, 65.0]), 1000.0) == 0.0
    with pytest.raises(ValueError, match="t_stop"):
        firing_rate(spikes, 10.0, 10.0)


def test_action_potential_on_triangle():
    t = np.linspace(0.0, 10.0, 10001)
    v = np.where(t < 2, -70.0, np.where(t < 4, -70 + 55 * (t - 2), np.where(t < 8, 40 - 27.5 * (t - 4), -70.0)))
    ap = action_potential(t, v)
    assert ap.peak == pytest.approx(40.0)
    assert ap.amplitude == pytest.approx(110.0)
    # half amplitude -15 mV: reached at t = 3.0 on the way up, 6.0 on the way down
    assert ap.width == pytest.approx(3.0, abs=2e-3)
    assert ap.max_dvdt == pytest.approx(55.0, rel=1e-6)
    with pytest.raises(ValueError, match="no action potential"):
        action_potential(t, -70.0 - t)


def test_jacobian_matches_analytic_leak():
    from neuromuscle.components import Leak, Membrane
    from neuromuscle.model import Model

    m = Model("passive", [Membrane("membrane"), Leak("leak")])
    jac = jacobian(m, np.array([-60.0]))
    # dV/dt = -(g/C)(V - E): Jacobian -g/C = -0.3 /ms
    assert jac[0, 0] == pytest.approx(-0.3, rel=1e-8)
    eq = equilibria(m)
    assert len(eq) == 1 and eq[0].v == pytest.approx(-54.387) and eq[0].stable


def test_threshold_bracket_and_tolerance(hh):
    th = threshold_current(hh, 1.0, tol=1e-2)
    assert th.lower < th.current and th.uncertainty <= 1e-2 * th.current
    assert nm.simulate(hh, nm.Pulse(th.current, 1.0, 1.0), 60.0).spike_times.size >= 1
    assert nm.simulate(hh, nm.Pulse(th.lower, 1.0, 1.0), 60.0).spike_times.size == 0


def test_threshold_reports_inexcitable(hh):
    with pytest.raises(RuntimeError, match="no spike"):
        threshold_current(hh, 1.0, params={"na.g": 0.0}, i_max=50.0)


def test_strength_duration_summary(hh):
    sd = strength_duration(hh, [0.2, 1.0, 5.0], tol=1e-2)
    assert np.all(np.diff(sd.thresholds) < 0)
    assert sd.thresholds[-1] > sd.rheobase
    assert 0.2 < sd.chronaxie < 5.0 and sd.tau_sd > 0


def test_pulse_response_separates_regenerative_from_passive(hh):
    th = threshold_current(hh, 1.0, tol=1e-2)
    below = nm.analysis.pulse_response(hh, th.lower * 0.8, 1.0, post=20.0)
    above = nm.analysis.pulse_response(hh, th.current * 1.2, 1.0, post=20.0)
    assert not below.regenerative and below.peak < -40.0 and below.self_rise < 10.0
    assert above.regenerative and above.peak > 20.0 and above.self_rise > 60.0
    # the ionic rate of rise of an HH spike is about 100 V/s or more at 6.3 C
    assert above.max_ionic_dvdt > 100.0
    # a passive, strong pulse (Na channels removed): large depolarisation, never regenerative
    passive = nm.analysis.pulse_response(hh, 200.0, 1.0, params={"na.g": 0.0})
    assert passive.peak > -30.0 and not passive.regenerative and passive.self_rise < 1.0


def test_pulse_response_names_what_it_needs():
    from neuromuscle.components import Leak, Membrane
    from neuromuscle.model import Model

    m = Model("renamed", [Membrane("cap"), Leak("leak")], {})
    with pytest.raises(ValueError, match="membrane.C_m"):
        nm.analysis.pulse_response(m, 1.0, 1.0)
