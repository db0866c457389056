"""Spontaneous-firing criterion and onset bisection, on HH with a gating shift."""

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.analysis import firing_onset, spontaneous_activity


def test_normal_hh_is_quiescent(hh):
    act = spontaneous_activity(hh, duration=300.0)
    assert not act.firing and act.rest_stable and act.rate == 0.0
    assert act.v_rest == pytest.approx(-65.0, abs=0.01)


def test_negative_gating_shift_makes_hh_fire(hh):
    # Lowering divalent cations shifts gating negative (Frankenhaeuser & Hodgkin 1957):
    # HH fires repetitively once the rest state loses stability.
    act = spontaneous_activity(hh, {"dV_surface": -12.0}, duration=300.0)
    assert act.firing and not act.rest_stable and act.rate > 40.0


def test_gating_shift_equals_voltage_translation():
    m = nm.hodgkin_huxley(gating_shift=10.0)
    ref = nm.hodgkin_huxley()
    np.testing.assert_allclose(m.quasi_steady_state(-55.0)[1:], ref.quasi_steady_state(-65.0)[1:], rtol=1e-12)


def test_firing_onset_bisection(hh):
    onset = firing_onset(lambda s: (hh, {"dV_surface": s}), -12.0, 0.0, tol=0.05, duration=300.0)
    assert onset.firing_at_low
    assert -10.5 < onset.level < -5.0
    assert onset.bracket[1] - onset.bracket[0] <= 0.05
    # the onset agrees with the loss of stability of the rest state
    below = spontaneous_activity(hh, {"dV_surface": onset.bracket[0]}, duration=300.0)
    above = spontaneous_activity(hh, {"dV_surface": onset.bracket[1]}, duration=300.0)
    assert below.firing and not above.firing


def test_no_onset_in_range_is_reported(hh):
    onset = firing_onset(lambda s: (hh, {"dV_surface": s}), -4.0, 0.0, tol=0.1, duration=200.0)
    assert np.isnan(onset.level) and "quiescent at every level" in onset.message


def test_scan_finds_switch_nearest_the_start_end(hh):
    # HH with a gating shift: quiescent at 0, firing near -10 to -15, quiescent again at
    # large shifts (depolarisation block); scanning from 0 finds the first onset.
    onset = firing_onset(lambda s: (hh, {"dV_surface": s}), -40.0, 0.0, tol=0.05, duration=300.0, n_scan=17)
    assert -10.5 < onset.level < -5.0


def test_stability_onset_matches_firing_onset(hh):
    from neuromuscle.analysis import stability_onset

    st = stability_onset(lambda s: (hh, {"dV_surface": s}), -12.0, 0.0, tol=0.01)
    fo = firing_onset(lambda s: (hh, {"dV_surface": s}), -12.0, 0.0, tol=0.05, duration=300.0)
    assert st.firing_at_low and abs(st.level - fo.level) < 0.5
