"""The human motor-axon node against published properties. Each test names its source."""

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.analysis import action_potential, resting_state, strength_duration
from neuromuscle.electrolytes import Electrolytes
from neuromuscle.models.motor_axon import motor_axon, motor_axon_environment


@pytest.fixture(scope="module")
def axon():
    return motor_axon()


def test_resting_potential(axon):
    # SRB/Wesselink node rests at -84 mV (Wesselink et al. 1999; E_K = E_L = -84 there).
    # Here E_K is the Nernst potential in plasma (-96.4 mV), which deepens rest slightly.
    rest = resting_state(axon)
    assert rest.stable and -88.0 < rest.v < -83.0


def test_full_size_action_potential(axon):
    # Human nodal APs: ~110-120 mV amplitude with overshoot (Schwarz et al. 1995, model and
    # recordings "closely matched"); brief at 37 C.
    res = nm.simulate(axon, nm.Pulse(2000.0, 1.0, 0.1), 10.0, dt=0.002)
    ap = action_potential(res.t, res["V"])
    assert ap.peak > 15.0
    assert 100.0 < ap.amplitude < 125.0
    assert 0.15 < ap.width < 0.5


def test_strength_duration_time_constant(axon):
    # tau_SD of human myelinated axons: SRB-based single-fibre model 0.128-0.183 ms (Smit,
    # Hanekom & Hanekom 2009, Biol Cybern 101:115); human motor axons in vivo ~0.4-0.5 ms
    # (Mogyoros, Kiernan & Burke 1996, Brain 119:439). The single node sits in that band.
    sd = strength_duration(axon, [0.05, 0.1, 0.2, 0.5, 1.0], tol=1e-2)
    assert 0.12 < sd.tau_sd < 0.5
    assert np.all(np.diff(sd.thresholds) < 0)


def test_cooling_slows_the_action_potential():
    # Q10 of 2.2-3 on every rate (SRB 1995): a node at 27 C has a wider AP than at 37 C.
    widths = []
    for celsius in (37.0, 27.0):
        m = motor_axon(Electrolytes.preset("normal").replace(celsius=celsius))
        res = nm.simulate(m, nm.Pulse(3000.0, 1.0, 0.1), 10.0, dt=0.002)
        widths.append(action_potential(res.t, res["V"]).width)
    assert widths[1] > 1.5 * widths[0]


def test_electrolytes_enter_as_parameters(axon):
    low_k = motor_axon_environment(Electrolytes.preset("hypokalaemia_severe"))
    rest_normal = resting_state(axon).v
    rest_low_k = resting_state(axon, axon.parameter_vector(low_k)).v
    assert rest_low_k < rest_normal - 5.0  # K 4.2 -> 2.3 mM hyperpolarises (Nernst direction)
    built = motor_axon(Electrolytes.preset("hypokalaemia_severe"))
    assert resting_state(built).v == pytest.approx(rest_low_k, abs=1e-9)


@pytest.mark.parametrize("engine", ["scipy", "fast"])
def test_steady_state_stays_steady(axon, engine):
    res = nm.simulate(axon, None, 100.0, engine=engine)
    # every state stays within ten local tolerances (defaults rtol 1e-6, atol 1e-8): the
    # global error of an adaptive method may exceed one step's tolerance, not by orders
    assert np.all(np.abs(res.y - res.y[:, :1]) <= 10 * (1e-8 + 1e-6 * np.abs(res.y[:, :1])))


def test_low_calcium_lowers_threshold_high_calcium_raises_it(axon):
    # Frankenhaeuser & Hodgkin 1957; Hille et al. 1975: less divalent -> gates shift
    # negative -> lower threshold.
    from neuromuscle.analysis import threshold_current

    normal = Electrolytes.preset("normal")
    thr = {ca: threshold_current(axon, 0.1, params=motor_axon_environment(normal.replace(ca=ca)), tol=1e-3).current
           for ca in (0.6, 1.22, 2.0)}
    assert thr[0.6] < thr[1.22] < thr[2.0]
