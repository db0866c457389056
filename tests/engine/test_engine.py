"""The compiled engine: same equations as the SciPy path, agreement, batch = single."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import neuromuscle as nm
from neuromuscle.engine import native, simulate_batch
from neuromuscle.engine.compile import SCALAR_TWINS


@given(st.floats(min_value=-800.0, max_value=800.0) | st.floats(min_value=-1e-4, max_value=1e-4))
def test_scalar_twins_equal_numpy_versions(x):
    for numpy_version, twin in SCALAR_TWINS.items():
        a, b = float(numpy_version(np.array(x))), twin(x)
        assert a == pytest.approx(b, rel=1e-14) or (math.isinf(a) and math.isinf(b))


def test_compiled_rhs_equals_numpy_rhs(hh):
    from neuromuscle.engine import compiled_rhs

    rhs = compiled_rhs(hh)
    p = hh.full_parameters(hh.parameter_vector({"celsius": 18.5}))  # the compiled rhs reads the full vector
    for v in (-80.0, -55.0, -40.0, 0.0, 30.0):
        y = hh.quasi_steady_state(v, p)
        y[1] += 0.01
        out = np.empty(4)
        rhs(0.0, y, p, 3.0, out)
        np.testing.assert_allclose(out, hh.rhs(0.0, y, p, 3.0), rtol=1e-12, atol=1e-14)


#: The compiled explicit engines: numba's and its C twin (skipped without a C compiler),
#: with the engine name and the method each reports.
COMPILED_EXPLICIT = [
    pytest.param("fast", "explicit", "DOP5 (compiled)", id="fast"),
    pytest.param("native", "native", "DOP5 (native C)", id="native",
                 marks=pytest.mark.skipif(native.compiler() is None, reason="no C compiler")),
]


@pytest.mark.parametrize("engine, name, method", COMPILED_EXPLICIT)
@pytest.mark.parametrize("amplitude", [2.5, 6.5, 10.0, 20.0])
def test_fast_and_scipy_paths_agree(hh, amplitude, engine, name, method):
    # same spike counts, spike times within 0.01 ms of DOP853 at rtol 1e-10
    fast = nm.simulate(hh, nm.Step(amplitude), 300.0, engine=engine)
    ref = nm.simulate(hh, nm.Step(amplitude), 300.0, method="DOP853", rtol=1e-10, atol=1e-10)
    assert fast.engine == name and fast.method.startswith(method)
    assert fast.spike_times.size == ref.spike_times.size > 0
    np.testing.assert_allclose(fast.spike_times, ref.spike_times, atol=0.01)


@pytest.mark.parametrize("engine, name, method", COMPILED_EXPLICIT)
def test_fast_engine_converges(hh, hh_reference_10ua, engine, name, method):
    ref = hh_reference_10ua.spike_times
    errors = []
    for rtol in (1e-4, 1e-6, 1e-8):
        res = nm.simulate(hh, nm.Step(10.0), 200.0, engine=engine, rtol=rtol, atol=rtol * 1e-2)
        assert res.spike_times.size == ref.size
        errors.append(np.max(np.abs(res.spike_times - ref)))
    assert errors[0] > errors[1] > errors[2] and errors[2] < 1e-5


def test_batch_equals_single_runs(hh):
    amps = np.array([0.0, 3.0, 7.0, 15.0])
    gna = np.array([120.0, 120.0, 100.0, 140.0])
    batch = simulate_batch(hh, nm.Step(1.0), 200.0, amplitude=amps, params={"na.g": gna}, dt=0.5)
    for k, (a, g) in enumerate(zip(amps, gna)):
        single = nm.simulate(hh, nm.Step(a), 200.0, params={"na.g": g}, engine="fast", dt=0.5)
        # the single-cell path hands quiet stretches to LSODA (stiffness test), the batch
        # does not: agreement is to solver tolerance, not to the last bit
        np.testing.assert_allclose(batch.spike_times(k), single.spike_times, atol=1e-3)
        np.testing.assert_allclose(batch.trace("V", k), single["V"], atol=1e-3)
    assert np.all(batch.status == 0) and batch.n == 4


def test_batch_full_parameter_matrix_and_axon():
    axon = nm.motor_axon()
    p = axon.parameter_vector({"surface.dV_offset": np.array([0.0, -5.0])})
    batch = simulate_batch(axon, nm.Pulse(1.0, 1.0, 0.1), 10.0, params=p, amplitude=[1200.0, 1200.0])
    # the gating shift lowers threshold: the same pulse fails at 0 mV shift, fires at -5 mV
    assert batch.n_spikes.tolist() == [0, 1]
    ref = nm.simulate(axon, nm.Pulse(1200.0, 1.0, 0.1), 10.0, params={"surface.dV_offset": -5.0}, method="DOP853",
                      rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(batch.spike_times(1), ref.spike_times, atol=1e-3)


@pytest.mark.parametrize("engine", ["auto", "scipy"])
def test_batch_of_a_stiff_model_agrees_with_scipy(engine):
    # the muscle fibre with EC coupling is declared stiff: the batch runs each cell on the
    # compiled stiff engine (default) or on LSODA with the compiled equations, per-cell
    # amplitude and parameters, and must agree with the SciPy engine on the NumPy equations
    # (spike times to 1e-4 ms, the Ca trace to 0.1 % of its peak)
    ec = nm.muscle_ec()
    rest = nm.analysis.resting_state(ec).y
    g_na = ec.parameters["na.g"].value
    batch = simulate_batch(ec, nm.Pulse(1.0, 2.0, 0.5), 30.0, amplitude=[400.0, 400.0, 50.0],
                           params={"na.g": np.array([g_na, 0.5 * g_na, g_na])}, y0=rest, dt=0.05, engine=engine)
    assert batch.engine == ("stiff" if engine == "auto" else "scipy") and np.all(batch.status == 0)
    assert batch.n_spikes.tolist() == [1, 1, 0]  # 50 uA/cm2 for 0.5 ms is below threshold
    for k, (amp, g) in enumerate([(400.0, g_na), (400.0, 0.5 * g_na)]):
        ref = nm.simulate(ec, nm.Pulse(amp, 2.0, 0.5), 30.0, params={"na.g": g}, y0=rest, engine="scipy")
        np.testing.assert_allclose(batch.spike_times(k), ref.spike_times, atol=1e-4)
        ca = 1e3 * np.interp(batch.sample_t, ref["t"], ref["myo2.Ca"])
        np.testing.assert_allclose(1e3 * batch.trace("myo2.Ca", k), ca, atol=1e-3 * ca.max())
    # half the Na conductance: a later spike (slower upstroke)
    assert batch.spike_times(1)[0] > batch.spike_times(0)[0]


def test_batch_of_a_stiff_model_records_a_failed_cell_and_goes_on():
    from neuromuscle.components import Membrane
    from neuromuscle.model import Model
    from tests.test_simulation import _Runaway

    # dV/dt = V^2 from V = -1 decays as -1/(1 + t); a non-finite start cannot be integrated
    model = Model("runaway", [Membrane("membrane"), _Runaway("r")], stiff=True)
    batch = simulate_batch(model, None, 10.0, y0=np.array([[-1.0, np.nan]]), amplitude=[1.0, 1.0], dt=1.0)
    assert batch.status.tolist() == [0, -5]  # not run: its y0 is not finite
    assert batch.messages[0] == "reached t_end" and "y0 'V' = nan is not finite" in batch.messages[1]
    np.testing.assert_allclose(batch.trace("V", 0), -1.0 / (1.0 + batch.sample_t), rtol=1e-4)
    assert np.all(np.isnan(batch.trace("V", 1)))


def test_fast_failure_raises_with_partial_result():
    from neuromuscle.components import Membrane
    from neuromuscle.model import Model
    from tests.test_simulation import _Runaway

    model = Model("runaway", [Membrane("membrane"), _Runaway("r")])
    with pytest.raises(nm.SimulationError) as err:
        nm.simulate(model, None, 10.0, y0=[1.0], engine="fast")
    assert err.value.partial.status == -1 and err.value.partial.t[-1] < 10.0
    assert "failed" in str(err.value)


@pytest.mark.parametrize("factory", [nm.hodgkin_huxley, nm.motor_axon])
def test_rest_without_scipy_optimize_is_the_resting_state(factory):
    """simulate's start from rest (bisection + Newton in NumPy) finds the state that
    steady.resting_state finds with SciPy's brentq and hybr, to rounding."""
    from neuromuscle.simulation import _rest_by_newton

    model = factory()
    y = _rest_by_newton(model, model.parameter_vector())
    ref = nm.analysis.resting_state(model).y
    np.testing.assert_allclose(y, ref, rtol=1e-12, atol=1e-14)
    assert np.max(np.abs(model.rhs(0.0, y, model.parameter_vector(), 0.0))) < 1e-10
