"""The native engine: equations translated to C, the explicit integrator's C twin, no numba.

Checked against the NumPy equations (the translation), against the numba explicit engine
step for step (the integrator), and for what a new process loads; the agreement with a tight
SciPy reference and the convergence in rtol are tests/engine/test_engine.py's, run on both
explicit engines.
"""

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neuromuscle as nm
from neuromuscle.components import Membrane
from neuromuscle.components.base import Component, Output, State
from neuromuscle.engine import choose, native, simulate_batch
from neuromuscle.model import Model

pytestmark = pytest.mark.skipif(native.compiler() is None, reason="no C compiler")

#: Models whose equations must translate (every non-stiff model, and the muscle fibres:
#: the stiff engine runs those, but their equations are the widest test of the translator).
TRANSLATED = {"hodgkin_huxley": nm.hodgkin_huxley, "motor_axon": nm.motor_axon, "muscle_fibre": nm.muscle_fibre,
              "muscle_ec": nm.muscle_ec}


@pytest.fixture(scope="module")
def built():
    return {name: f() for name, f in TRANSLATED.items()}


@pytest.mark.parametrize("name", sorted(TRANSLATED))
@settings(max_examples=25, deadline=None)
@given(v=st.floats(min_value=-120.0, max_value=60.0), jitter=st.floats(min_value=-0.05, max_value=0.05),
       i_stim=st.floats(min_value=-50.0, max_value=50.0))
def test_translated_rhs_equals_numpy_rhs(built, name, v, jitter, i_stim):
    """The C right-hand side equals the NumPy one (the translation changes no formula).

    Tolerance 1e-11 relative: the C library's exp and the order of a few operations differ
    from NumPy's by rounding only."""
    model = built[name]
    p = model.full_parameters(model.parameter_vector())
    y = np.array(model.initial_state, dtype=float)
    y[model.state_index["V"]] = v
    y = y * (1.0 + jitter)  # every state off its rest, V included
    ours = native.native_rhs(model)(0.3, y, p, i_stim)
    ref = model.rhs(0.3, y, p, i_stim)
    np.testing.assert_allclose(ours, ref, rtol=1e-11, atol=1e-12 * (1.0 + np.max(np.abs(ref))))


def test_native_follows_the_explicit_engine_step_for_step(hh):
    """The C twin takes the numba kernel's steps: the same method and step control, so the
    counts of evaluations agree to a few rejected steps and spike times to rounding."""
    a = nm.simulate(hh, nm.Step(10.0), 300.0, engine="native", rtol=1e-6, atol=1e-8)
    b = nm.simulate(hh, nm.Step(10.0), 300.0, engine="explicit", rtol=1e-6, atol=1e-8)
    assert a.spike_times.size == b.spike_times.size == 21
    np.testing.assert_allclose(a.spike_times, b.spike_times, atol=1e-5)
    assert abs(a.nfev - b.nfev) <= 0.01 * b.nfev


def test_native_motor_axon_fires_as_the_reference():
    # the single node fires on a 1200 uA/cm2, 0.1 ms pulse with a -5 mV gating shift
    axon = nm.motor_axon()
    kw = dict(params={"surface.dV_offset": -5.0})
    ours = nm.simulate(axon, nm.Pulse(1200.0, 1.0, 0.1), 10.0, engine="native", **kw)
    ref = nm.simulate(axon, nm.Pulse(1200.0, 1.0, 0.1), 10.0, method="DOP853", rtol=1e-10, atol=1e-12, **kw)
    assert ours.spike_times.size == ref.spike_times.size == 1
    np.testing.assert_allclose(ours.spike_times, ref.spike_times, atol=1e-3)
    np.testing.assert_allclose(ours["V"], np.interp(ours.t, ref.t, ref["V"]), atol=0.5)


def test_auto_runs_one_cell_natively_and_batches_on_numba(hh):
    assert choose(hh, cells=1) == "native" and choose(hh) == "explicit"
    assert nm.simulate(hh, nm.Step(10.0), 20.0).engine == "native"
    assert simulate_batch(hh, nm.Step(1.0), 20.0, amplitude=[5.0, 10.0]).engine == "explicit"
    assert choose(nm.muscle_ec(), cells=1) == "stiff"  # stiff models keep the stiff engine


def test_native_batch_equals_single_runs(hh):
    amps = np.array([0.0, 7.0, 15.0])
    batch = simulate_batch(hh, nm.Step(1.0), 100.0, amplitude=amps, engine="native", dt=0.5)
    assert batch.engine == "native" and np.all(batch.status == 0)
    for k, a in enumerate(amps):
        single = nm.simulate(hh, nm.Step(a), 100.0, engine="native", dt=0.5)
        np.testing.assert_allclose(batch.spike_times(k), single.spike_times, atol=1e-3)


class _Looping(Component):
    """A current summed in a loop: a construct the C translation does not handle."""

    states = (State("x", "1", "a gate", 0.1),)
    outputs = (Output("I", "uA/cm2", "current", adds_to="I_ion"),)

    @classmethod
    def default_parameters(cls):
        return {}

    @classmethod
    def default_inputs(cls):
        return {"V": "V"}

    @staticmethod
    def equations(V, x):
        total = 0.0
        for _ in range(3):
            total += 0.01 * (V + 65.0)
        return total, -x


def test_untranslatable_model_keeps_numba_and_says_why():
    model = Model("looping", [Membrane("membrane"), _Looping("loop")])
    assert not native.supports(model)
    with pytest.raises(native.NotTranslatable, match="_Looping.equations: statement"):
        native.c_source(model)
    assert choose(model, cells=1) == "explicit"
    with pytest.raises(ValueError, match="engine 'native' cannot run model looping"):
        nm.simulate(model, None, 1.0, y0=[-65.0, 0.1], engine="native")
    res = nm.simulate(model, None, 1.0, y0=[-65.0, 0.1])
    assert res.engine == "explicit" and res.success


def test_compiler_failure_warns_once_and_falls_back(hh, tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROMUSCLE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(native, "_COMPILER", ["/bin/false"])  # a "compiler" that always fails
    monkeypatch.setattr(native, "_LIBS", {})
    monkeypatch.setattr(native, "_FAILED", set())
    with pytest.warns(native.NativeWarning, match="cannot build model hodgkin_huxley"):
        assert choose(hh, cells=1) == "explicit"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once
        assert choose(hh, cells=1) == "explicit"
    with pytest.raises(RuntimeError, match="failed on the model's equations"):
        native.library(hh)
    assert not list(tmp_path.glob("native-*/*.so")) and not list(tmp_path.glob("native-*/.nm_*"))


def test_a_warm_process_loads_neither_numba_nor_scipy(tmp_path):
    """A second process that runs a cached model imports no numba and no SciPy: the start-up
    they cost (most of a short script's time) is what this engine removes."""
    script = ("import sys, neuromuscle as nm\n"
              "r = nm.simulate(nm.hodgkin_huxley(), nm.Step(10.0), 100.0)\n"
              "print(r.engine, r.spike_times.size, 'numba' in sys.modules, 'scipy' in sys.modules)\n")
    env = dict(os.environ, NEUROMUSCLE_CACHE_DIR=str(tmp_path))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    outs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True,
                           timeout=120).stdout.split() for _ in range(2)]
    assert outs[0][:2] == outs[1][:2] == ["native", "7"]
    assert outs[1][2:] == ["False", "False"]
    assert len(list(tmp_path.glob("native-*/nm_*.so"))) == 1
