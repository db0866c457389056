"""Cross-check against an independent implementation: NEURON's built-in ``hh``.

NEURON (Hines & Carnevale 1997; the ``neuron`` wheel from PyPI, in the ``test`` extra)
integrates the same HH equations with its own code. Settings: one compartment of
1e-4 cm2, rate tables off (``usetable_hh = 0``: with tables the 69th spike of a 1 s,
10 uA/cm2 train moves by ~1 ms), CVODE at rtol = atol = 1e-8, ``el_hh = -54.387`` to
match our E_L, both started from V = -65 mV with gates at steady state.
"""

import gc
import math

# NEURON is a declared dependency of the 'test' extra: a missing install is an error here,
# not a skip, so the cross-check can never pass silently.
import neuron  # noqa: E402,F401
import numpy as np
import pytest

import neuromuscle as nm

#: NEURON integrates every cell alive in its process together (one IDA/CVODE system): the modules
#: that build NEURON cells run on one xdist worker, module after module (``--dist loadgroup``)
pytestmark = pytest.mark.xdist_group("neuron")


@pytest.fixture(autouse=True, scope="module")
def _alone_in_neuron():
    """Collect the cells earlier modules on this worker left, so the patch is simulated alone."""
    gc.collect()


def _run_neuron(pulses, t_stop: float, el: float = -54.387, celsius: float = 6.3, record_dt=None):
    """One-compartment NEURON ``hh`` patch (1e-4 cm2) from -65 mV under square current
    ``pulses`` ``[(onset ms, duration ms, uA/cm2), ...]`` on CVODE; returns the spike times
    (upward crossings of 0 mV) and, with ``record_dt``, the potential sampled at that step."""
    from neuron import h

    h.load_file("stdrun.hoc")
    h.celsius = celsius
    h.usetable_hh = 0
    sec = h.Section(name="patch")
    sec.L = sec.diam = math.sqrt(1e4 / math.pi)  # um: lateral area pi d L = 1e4 um2 = 1e-4 cm2
    sec.insert("hh")
    seg = sec(0.5)
    seg.hh.el = el
    stims = []
    for onset, duration, density in pulses:
        stim = h.IClamp(seg)
        stim.delay, stim.dur = onset, duration
        stim.amp = density * seg.area() * 1e-8 * 1e3  # uA/cm2 * cm2 -> uA -> nA
        stims.append(stim)  # keep every IClamp alive until the run
    cvode = h.CVode()
    cvode.active(1)
    cvode.atol(1e-8)
    cvode.rtol(1e-8)
    cvode.condition_order(2)
    nc = h.NetCon(seg._ref_v, None, sec=sec)
    nc.threshold = 0.0
    times = h.Vector()
    nc.record(times)
    v = h.Vector().record(seg._ref_v, record_dt) if record_dt else None
    h.finitialize(-65.0)
    h.continuerun(t_stop)
    out = np.array(times), (np.array(v) if v is not None else None)
    cvode.active(0)
    return out


def _neuron_spikes(i_density: float, t_stop: float, el: float = -54.387, celsius: float = 6.3):
    """Spike times and the potential every 0.1 ms under a step of ``i_density`` uA/cm2."""
    return _run_neuron([(0.0, t_stop, i_density)], t_stop, el, celsius, record_dt=0.1)


@pytest.mark.parametrize("amplitude", [2.3, 6.5, 10.0])
def test_spike_times_match_neuron(hh, amplitude):
    t_stop = 300.0
    spikes_nrn, v_nrn = _neuron_spikes(amplitude, t_stop)
    y0 = hh.quasi_steady_state(-65.0)
    ours = nm.simulate(hh, nm.Step(amplitude), t_stop, y0=y0, method="DOP853", rtol=1e-10, atol=1e-10, dt=0.1)
    assert ours.spike_times.size == spikes_nrn.size > 0
    np.testing.assert_allclose(ours.spike_times, spikes_nrn, atol=1e-3)
    # mean absolute voltage difference over the whole trace (jaxley's criterion: < 0.05 mV)
    n = min(v_nrn.size, ours.t.size)
    assert np.mean(np.abs(ours["V"][:n] - v_nrn[:n])) < 0.05


@pytest.mark.parametrize("celsius", [18.5, 25.0])
def test_temperature_scaling_matches_neuron(celsius):
    # NEURON's hh scales rates by 3^((celsius - 6.3)/10) as HH 1952 did (p. 519)
    model = nm.hodgkin_huxley(celsius=celsius)
    spikes_nrn, _ = _neuron_spikes(20.0, 200.0, celsius=celsius)
    y0 = model.quasi_steady_state(-65.0)
    ours = nm.simulate(model, nm.Step(20.0), 200.0, y0=y0, method="DOP853", rtol=1e-10, atol=1e-10)
    assert ours.spike_times.size == spikes_nrn.size > 0
    np.testing.assert_allclose(ours.spike_times, spikes_nrn, atol=1e-3)


def _neuron_second_spike(amplitude: float, duration: float, interval: float, delay: float = 1.0,
                         post: float = 20.0) -> bool:
    """NEURON's hh patch (6.3 C) given two equal pulses ``interval`` ms apart: does the
    second fire a spike (a second upward crossing of 0 mV, after the second onset)?"""
    pulses = [(delay, duration, amplitude), (delay + interval, duration, amplitude)]
    times, _ = _run_neuron(pulses, delay + interval + duration + post)
    return times.size >= 2 and times[1] >= delay + interval


@pytest.mark.parametrize("multiple", [1.5, 2.0])
def test_refractory_period_matches_neuron(multiple):
    # the same paired-pulse bisection run on NEURON's hh; at up to twice threshold a 0.5 ms
    # pulse charges the membrane by well under the 65 mV to 0 mV, so NEURON's spike count
    # and our regenerative-overshoot criterion judge the same responses
    from neuromuscle.analysis import refractory_period, threshold_current

    model = nm.hodgkin_huxley()
    y0 = model.quasi_steady_state(-65.0)
    sim = {"method": "DOP853", "rtol": 1e-10, "atol": 1e-10}
    amplitude = multiple * threshold_current(model, 0.5, y0=y0, **sim).current
    ours = refractory_period(model, amplitude, 0.5, y0=y0, tol=0.01, dt=0.002, **sim)
    lo, hi = 0.5 * (1 + 1e-9), 100.0
    assert _neuron_second_spike(amplitude, 0.5, hi) and not _neuron_second_spike(amplitude, 0.5, 1.0)
    while hi - lo > 0.01:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if _neuron_second_spike(amplitude, 0.5, mid) else (mid, hi)
    # both brackets are 0.01 ms wide: they must overlap
    assert ours.lower < hi + 1e-9 and lo < ours.interval + 1e-9, (ours, lo, hi)
    assert 5.0 < ours.interval < 30.0  # 6.3 C: several ms, not an artefact of the bracket ends
