"""Engines that cannot hang: hostile inputs on every engine, single and batch.

Each call runs in a forked child with a time limit (signals cannot interrupt compiled
code), so a hang fails the test instead of stalling the suite.
"""

import math
import multiprocessing as mp

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import neuromuscle as nm
from neuromuscle.engine import base, simulate_batch

ENGINES = ("explicit", "native", "stiff", "scipy")
LIMIT = 60.0  # s per call; a healthy call takes well under a second


def _child(conn, fn):
    try:
        conn.send(("ok", fn()))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        conn.send(("raised", type(exc).__name__, str(exc)))


def limited(fn, limit=LIMIT):
    """Run ``fn()`` in a forked child; fail if it does not finish within ``limit`` seconds."""
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn))
    proc.start()
    try:
        if not recv.poll(limit):
            pytest.fail(f"the call did not return within {limit} s (hang)")
        return recv.recv()
    finally:
        proc.kill()
        proc.join()


@pytest.fixture(scope="module")
def hh_warm():
    """HH with every engine's kernels compiled in this process (children inherit them)."""
    hh = nm.hodgkin_huxley()
    for eng in ENGINES:
        nm.simulate(hh, nm.Step(10.0), 2.0, engine=eng, dt=0.1)
        simulate_batch(hh, nm.Step(10.0), 2.0, amplitude=[1.0, 2.0], engine=eng, dt=0.1)
    return hh


hostile = st.sampled_from([math.nan, math.inf, -math.inf, 1e300, -1e300, 1e30, -1e30, 1e6])


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=hostile, where=st.sampled_from(["y0_V", "y0_gate", "param", "amplitude"]))
def test_hostile_values_never_hang(hh_warm, engine, value, where):
    hh = hh_warm
    y0 = hh.initial_state.copy()
    y0[:] = [-65.0, 0.05, 0.6, 0.32]
    params, amp = None, 10.0
    if where == "y0_V":
        y0[0] = value
    elif where == "y0_gate":
        y0[2] = value
    elif where == "param":
        params = {"na.g": value}
    else:
        amp = value

    def single():
        return nm.simulate(hh, nm.Step(amp), 5.0, params=params, y0=y0, engine=engine, dt=0.05).status

    out = limited(single)
    finite = math.isfinite(value)
    if not finite:
        # rejected up front, by name
        assert out[0] == "raised" and out[1] == "ValueError", out
        named = {"y0_V": "y0", "y0_gate": "y0", "param": "na.g", "amplitude": "amplitude"}[where]
        assert named in out[2], out
    else:
        # a huge finite value: either integrates or stops with a SimulationError / a range error
        assert out[0] == "ok" or out[1] in ("SimulationError", "ValueError"), out

    def batch():
        P = np.column_stack([hh.parameter_vector(), hh.parameter_vector()])
        Y = np.column_stack([y0, [-65.0, 0.05, 0.6, 0.32]])
        if where == "param":
            P[hh.parameter_index["na.g"], 0] = value
        res = simulate_batch(hh, nm.Step(1.0), 5.0, params=P, y0=Y, amplitude=[amp if where == "amplitude" else 10.0,
                                                                                 10.0], engine=engine, dt=0.05)
        return res.status.tolist(), res.messages, res.n_spikes.tolist()

    out = limited(batch)
    assert out[0] == "ok", out
    status, messages, n_spikes = out[1]
    assert status[1] >= 0 and n_spikes[1] == 1  # the healthy cell is unaffected
    if not finite:
        assert status[0] == base.BAD_INPUT and "not finite" in messages[0]
    else:
        assert status[0] in (base.OK, base.SPIKE_BUFFER_FULL, base.STEP_TOO_SMALL, base.NOT_FINITE,
                             base.TOO_MANY_STEPS, base.SOLVER_FAILED), (status, messages)


@pytest.mark.parametrize("engine", ENGINES)
def test_step_budget_fails_the_point_and_keeps_the_partial_result(hh_warm, engine):
    hh = hh_warm
    with pytest.raises(nm.SimulationError, match="max_steps|budget") as err:
        nm.simulate(hh, nm.Step(10.0), 50.0, engine=engine, max_steps=100, dt=0.01)
    partial = err.value.partial
    assert partial.t[-1] < 50.0 and np.all(np.isfinite(partial.y))
    if engine != "scipy":  # the SciPy engine keeps finished protocol segments only (here none)
        assert partial.t[-1] > 0.0
    # in a batch only the cell over budget fails: a resting cell takes few steps (measured:
    # explicit 61, stiff 9, SciPy 5 evaluations), a firing one many (568, 925, 2168)
    res = simulate_batch(hh, nm.Step(1.0), 50.0, amplitude=[0.0, 10.0], engine=engine, max_steps=100)
    assert res.status[0] == base.OK and res.status[1] == base.TOO_MANY_STEPS
    assert res.t_reached[1] < 50.0


def test_output_too_large_is_refused_before_any_work(hh_warm):
    with pytest.raises(ValueError, match=r"1e\+11 time points x 4 states .* max_samples"):
        nm.simulate(hh_warm, None, 1e9, dt=0.01)
    with pytest.raises(ValueError, match="max_samples"):
        simulate_batch(hh_warm, None, 1e6, amplitude=np.ones(200), dt=0.01)


def test_default_budget_scales_with_t_end():
    assert base.default_max_steps(1e6) > 1000 * base.default_max_steps(100.0) / 10
    assert base.default_max_steps(0.1) >= 100_000


def test_long_scipy_run_is_sampled_not_kept_step_by_step(hh_warm):
    # beyond 2 s without dt, the SciPy engine keeps the default grid, not every step
    res = nm.simulate(hh_warm, None, 2500.0, engine="scipy")
    assert res.t.size == 200_001 and np.allclose(np.diff(res.t), 2500.0 / 200_000)
    short = nm.simulate(hh_warm, None, 100.0, engine="scipy")  # short runs: the solver's own steps
    assert short.t.size < 1000 and not np.allclose(np.diff(short.t), np.diff(short.t)[0])
