"""The solver front door: results, events, protocols, failures."""

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.components import Component, Membrane, Output, Parameter
from neuromuscle.model import Model


@pytest.mark.parametrize("engine", ["scipy", "fast"])
def test_steady_state_stays_steady(hh, engine):
    res = nm.simulate(hh, None, 200.0, engine=engine, rtol=1e-8, atol=1e-10)
    assert res.success and res.status == 0
    assert np.max(np.abs(res["V"] - res["V"][0])) < 1e-6
    # every state stays within the solver's tolerance of its initial value
    assert np.all(np.abs(res.y - res.y[:, :1]) <= 10 * (1e-10 + 1e-8 * np.abs(res.y[:, :1])))
    assert res.spike_times.size == 0


def test_rest_potential_is_minus_65(hh):
    res = nm.simulate(hh, None, 1.0)
    assert res["V"][0] == pytest.approx(-65.0, abs=0.01)


def test_result_names_units_and_derived(hh):
    res = nm.simulate(hh, nm.Step(10.0), 30.0, dt=0.1)
    assert np.allclose(np.diff(res.t), 0.1)
    for name in ["V", "na.m", "na.I", "k.I", "leak.I", "I_ion", "E_Na", "E_K", "I_stim"]:
        assert res[name].shape == res.t.shape, name
    assert res.info("na.I").unit == "uA/cm2"
    np.testing.assert_allclose(res["I_ion"], res["na.I"] + res["k.I"] + res["leak.I"])
    np.testing.assert_allclose(res["E_Na"], 50.0)
    with pytest.raises(KeyError, match="available"):
        res["nope"]


def test_event_spike_times_match_fine_trace(hh):
    res = nm.simulate(hh, nm.Step(10.0), 100.0, dt=0.001, rtol=1e-9, atol=1e-10)
    interp = nm.analysis.spike_times(res.t, res["V"], 0.0)
    assert interp.size == res.spike_times.size >= 5
    np.testing.assert_allclose(interp, res.spike_times, atol=2e-4)


def test_short_pulse_is_not_stepped_over(hh):
    # A 0.05 ms pulse placed late in a long quiet run: the solver would take steps of
    # many ms at rest and could miss it without restarting at the breakpoints.
    res = nm.simulate(hh, nm.Pulse(400.0, 700.0, 0.05), 800.0)
    assert res.spike_times.size == 1 and 700.0 < res.spike_times[0] < 705.0


def test_params_override_changes_behaviour(hh):
    res = nm.simulate(hh, nm.Step(10.0), 100.0, params={"na.g": 0.0})
    assert res.spike_times.size == 0


@pytest.mark.parametrize("method", ["LSODA", "RK45", "DOP853", "BDF", "Radau"])
def test_methods_agree(hh, method, hh_reference_10ua):
    res = nm.simulate(hh, nm.Step(10.0), 200.0, method=method, rtol=1e-8, atol=1e-10)
    ref = hh_reference_10ua.spike_times
    assert res.spike_times.size == ref.size
    np.testing.assert_allclose(res.spike_times, ref, atol=5e-3)


def test_continue_from_final_state(hh):
    full = nm.simulate(hh, nm.Step(10.0), 60.0, rtol=1e-10, atol=1e-12)
    first = nm.simulate(hh, nm.Step(10.0), 30.0, rtol=1e-10, atol=1e-12)
    # the protocol is time-invariant after t = 0, so restarting at t = 0 from the state at
    # 30 ms must reproduce the second half shifted by 30 ms
    second = nm.simulate(hh, nm.Step(10.0), 30.0, y0=first.final_state, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(second.final_state, full.final_state, rtol=1e-5, atol=1e-6)


class _Runaway(Component):
    """dV/dt grows as V^2: blows up in finite time, so the solver must fail."""

    outputs = (Output("I", "uA/cm2", "runaway current", adds_to="I_ion"),)

    @classmethod
    def default_inputs(cls):
        return {"V": "V"}

    @classmethod
    def default_parameters(cls):
        return {"k": Parameter(1.0, "1/(mV ms)", "test", "growth")}

    @staticmethod
    def equations(V, k):
        return (-k * V * V,)


def test_solver_failure_raises_with_partial_result():
    model = Model("runaway", [Membrane("membrane"), _Runaway("r")])
    with pytest.raises(nm.SimulationError) as err:
        nm.simulate(model, None, 10.0, y0=[1.0], method="RK45")
    partial = err.value.partial
    assert not partial.success and partial.status == -1
    assert partial.t[-1] < 10.0 and partial.t.size > 1
    assert "failed" in str(err.value) or "non-finite" in str(err.value)


@pytest.mark.parametrize("stiff", [False, True])
def test_lsoda_on_a_runaway_stops_instead_of_hanging(stiff):
    # LSODA keeps stepping without advancing once V = 1/(1 - t) has overflowed; the guard on
    # evaluations without progress turns that into a failure that keeps the finished segments
    model = Model("runaway", [Membrane("membrane"), _Runaway("r")], stiff=stiff)
    with pytest.raises(nm.SimulationError, match="no progress past t = 0.99") as err:
        nm.simulate(model, nm.Pulse(0.0, 0.5, 0.1), 10.0, y0=[1.0], engine="scipy")
    partial = err.value.partial
    assert not partial.success and partial.t[-1] == pytest.approx(0.6)  # the segments before the blow-up
    assert partial["V"][-1] == pytest.approx(1.0 / (1.0 - 0.6), rel=1e-4)


@pytest.mark.parametrize("engine", ["explicit", "stiff"])
def test_compiled_engines_stop_on_a_runaway_with_the_partial_result(engine):
    # V = 1/(1 - t) blows up at t = 1 ms: the step collapses there; the samples before it are kept
    model = Model("runaway", [Membrane("membrane"), _Runaway("r")])
    with pytest.raises(nm.SimulationError, match="failed") as err:
        nm.simulate(model, nm.Pulse(0.0, 0.5, 0.1), 10.0, y0=[1.0], engine=engine, dt=0.01)
    partial = err.value.partial
    assert not partial.success and 0.98 < partial.t[-1] <= 1.0
    early = partial.t < 0.99
    np.testing.assert_allclose(partial["V"][early], 1.0 / (1.0 - partial.t[early]), rtol=1e-3)


def test_bad_arguments(hh):
    with pytest.raises(ValueError, match="method"):
        nm.simulate(hh, None, 10.0, method="Euler")
    with pytest.raises(ValueError, match="engine"):
        nm.simulate(hh, None, 10.0, engine="gpu")
    with pytest.raises(ValueError, match="engine='fast'"):  # an alias of 'explicit'
        nm.simulate(hh, None, 10.0, engine="fast", method="BDF")
    with pytest.raises(ValueError, match="t_end"):
        nm.simulate(hh, None, -1.0)
    with pytest.raises(ValueError, match="y0"):
        nm.simulate(hh, None, 10.0, y0=[0.0, 1.0])


def test_fast_engine_default_sampling_is_bounded(hh):
    short = nm.simulate(hh, None, 50.0, engine="fast")
    assert np.allclose(np.diff(short.t), 0.01)
    long = nm.simulate(hh, None, 10_000.0, engine="fast")
    assert long.t.size <= 200_002 and long.t[-1] == pytest.approx(10_000.0)
