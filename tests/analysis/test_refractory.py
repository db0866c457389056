"""Paired-pulse refractory period (analysis.refractory_period) on the HH model.

NEURON's hh gives the same interval (tests/validation/test_neuron_crosscheck.py); here, the
bracket itself, the direction of its dependences and the errors.
"""

import pytest

import neuromuscle as nm
from neuromuscle.analysis import refractory_period, threshold_current
from neuromuscle.protocols import PulseTrain

SIM = {"method": "DOP853", "rtol": 1e-9, "atol": 1e-9}


@pytest.fixture(scope="module")
def hh_threshold():
    model = nm.hodgkin_huxley()
    return model, threshold_current(model, 0.5, **SIM).current


def _spikes(model, amplitude, interval):
    run = nm.simulate(model, PulseTrain(amplitude, 1.0, 0.5, 1000.0 / interval, 2), interval + 25.0, **SIM)
    return run.spike_times.size


def test_bracket_is_a_real_switch(hh_threshold):
    model, thr = hh_threshold
    r = refractory_period(model, 2.0 * thr, 0.5, tol=0.02, **SIM)
    assert 0.0 < r.uncertainty <= 0.02 and r.interval > 0.5
    # the interval found fires a second spike; the one just below does not
    assert _spikes(model, r.amplitude, r.interval) == 2
    assert _spikes(model, r.amplitude, r.lower) == 1
    assert r.n_simulations > 5


def test_stronger_pulses_and_warmer_membranes_recover_sooner(hh_threshold):
    model, thr = hh_threshold
    near = refractory_period(model, 1.2 * thr, 0.5, tol=0.02, **SIM).interval
    far = refractory_period(model, 2.0 * thr, 0.5, tol=0.02, **SIM).interval
    assert far < near - 0.5  # the relative refractory period shortens with strength
    warm = nm.hodgkin_huxley(celsius=16.3)
    warm_thr = threshold_current(warm, 0.5, **SIM).current
    assert refractory_period(warm, 2.0 * warm_thr, 0.5, tol=0.02, **SIM).interval < far / 2.0  # rates x 3


def test_bad_input_is_refused_with_the_reason(hh_threshold):
    model, thr = hh_threshold
    with pytest.raises(ValueError, match="amplitude"):
        refractory_period(model, -1.0, 0.5)
    with pytest.raises(ValueError, match="below threshold"):
        refractory_period(model, 0.5 * thr, 0.5, **SIM)
    with pytest.raises(ValueError, match="weaker pulse"):
        refractory_period(model, 100.0 * thr, 0.5, **SIM)
    with pytest.raises(ValueError, match="max_interval"):
        refractory_period(model, 2.0 * thr, 0.5, max_interval=0.4)
    with pytest.raises(RuntimeError, match="max_interval"):
        refractory_period(model, 2.0 * thr, 0.5, max_interval=3.0, **SIM)
