"""The lockstep batch kernel: vectorisable exp/expm1, block right-hand side, agreement with one-cell runs."""

import math

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neuromuscle as nm
from neuromuscle.engine import compile as ecompile
from neuromuscle.engine import simulate_batch, vecmath

_EPS = np.finfo(float).eps


@pytest.fixture(scope="module")
def vector_math():
    vexp = ecompile._jit_vector(vecmath.exp)
    vexpm1 = ecompile._jit_vector(vecmath.expm1)

    @numba.njit(fastmath=ecompile.KERNEL_FASTMATH)
    def both(x, e, em1):  # a loop LLVM vectorises, as in the block right-hand side
        for i in range(x.size):
            e[i] = vexp(x[i])
            em1[i] = vexpm1(x[i])

    def run(x):
        x = np.ascontiguousarray(x, dtype=float)
        e, em1 = np.empty_like(x), np.empty_like(x)
        both(x, e, em1)
        return e, em1

    return run


def test_vector_exp_matches_libm_over_the_whole_range(vector_math):
    x = np.concatenate([np.linspace(-745.0, 709.78, 400_001), np.linspace(-1.0, 1.0, 100_001),
                        np.linspace(-1e-6, 1e-6, 1001), [0.0, -0.0, 709.782712893384, -708.3964]])
    e, em1 = vector_math(x)
    ref_e = np.exp(x)
    normal = ref_e > 1e-300
    # a few units in the last place (hand bound: Cody-Waite reduction + degree-13 Taylor)
    assert np.max(np.abs(e[normal] / ref_e[normal] - 1.0)) <= 3 * _EPS
    assert np.max(np.abs(e[~normal] - ref_e[~normal])) < 1e-300  # subnormal range: absolute
    ref_m = np.expm1(x)
    nz = ref_m != 0.0
    assert np.max(np.abs(em1[nz] / ref_m[nz] - 1.0)) <= 5 * _EPS
    assert np.array_equal(em1[~nz], ref_m[~nz])


def test_vector_log_matches_libm():
    vlog = ecompile._jit_vector(vecmath.log)

    @numba.njit(fastmath=ecompile.KERNEL_FASTMATH)
    def run(x, out):
        for i in range(x.size):
            out[i] = vlog(x[i])

    x = np.concatenate([np.geomspace(1e-300, 1e300, 200_001), np.linspace(0.5, 2.0, 100_001)])
    out = np.empty_like(x)
    run(x, out)
    ref = np.log(x)
    big = np.abs(ref) > 0.1
    assert np.max(np.abs(out[big] / ref[big] - 1.0)) <= 8 * _EPS
    assert np.max(np.abs(out[~big] - ref[~big])) <= 8 * _EPS * 0.1


def test_vector_exp_special_values(vector_math):
    x = np.array([np.inf, -np.inf, np.nan, 710.0, 1e300, -746.0, -1e300])
    e, em1 = vector_math(x)
    np.testing.assert_array_equal(e, [np.inf, 0.0, np.nan, np.inf, np.inf, 0.0, 0.0])
    np.testing.assert_array_equal(em1, [np.inf, -1.0, np.nan, np.inf, np.inf, -1.0, -1.0])


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-700.0, max_value=700.0) | st.floats(min_value=-1e-3, max_value=1e-3))
def test_vector_exp_hypothesis(vector_math, x):
    e, em1 = vector_math(np.array([x]))
    assert e[0] == pytest.approx(math.exp(x), rel=3 * _EPS, abs=0.0)
    assert em1[0] == pytest.approx(math.expm1(x), rel=5 * _EPS, abs=1e-320)


def test_block_source_is_the_rhs_per_cell(hh):
    mod = ecompile.compiled_block_module(hh)
    p = hh.full_parameters(hh.parameter_vector({"celsius": 18.5}))
    V = np.linspace(-90.0, 40.0, 13)
    Y = np.column_stack([hh.quasi_steady_state(v, p) for v in V])
    Y[1] += 0.01
    P = np.ascontiguousarray(np.repeat(p[:, None], V.size, axis=1))
    I = np.linspace(-5.0, 20.0, V.size)
    T = np.zeros(V.size)
    out = np.empty_like(Y)
    mod.rhs_blk(T, np.ascontiguousarray(Y), P, I, out)
    ref = np.column_stack([hh.rhs(0.0, Y[:, c], p, I[c]) for c in range(V.size)])
    np.testing.assert_allclose(out, ref, rtol=1e-12, atol=1e-13)


def _batch(hh, block, **kw):
    amps = np.array([0.0, 2.0, 4.0, 6.5, 9.0, 12.0, 15.0, 20.0, 30.0, 1e5, np.nan, 8.0])
    gna = np.array([120.0, 120.0, 110.0, 120.0, 130.0, 120.0, 100.0, 120.0, 120.0, 120.0, 120.0, 140.0])
    # a pulse train: many protocol breakpoints, each cell restarts at every one
    protocol = nm.PulseTrain(1.0, 20.0, 5.0, 40.0, 4)
    return simulate_batch(hh, protocol, 150.0, amplitude=amps, params={"na.g": gna}, dt=0.25, block=block, **kw)


#: The batches the two comparisons below use, computed in a child process that loads every
#: kernel from the compiled-code cache. Code that numba compiles in the running process and the
#: same code loaded from its cache can differ at rounding level (the right-hand side is
#: compiled with reassociation, and what LLVM reassociates depends on what it compiles with it),
#: which an adaptive step sequence carries to ~5e-6 mV: the comparison is of the block kernel
#: with the one-cell kernel, so both must come from the same place. A first child fills the
#: cache; the second loads from it.
_BATCH_CHILD = """
import pickle, sys
import neuromuscle as nm
from tests.engine.test_block import _batch
hh = nm.hodgkin_huxley()
out = {"one": _batch(hh, 1), "blk": _batch(hh, 4),
       "one_budget": _batch(hh, 1, stiff_check=True, max_steps=400),
       "blk_budget": _batch(hh, 5, stiff_check=True, max_steps=400)}
with open(sys.argv[1], "wb") as fh:
    pickle.dump(out, fh)
"""


@pytest.fixture(scope="module")
def cached_batches(tmp_path_factory, hh):
    import os
    import pickle
    import subprocess
    import sys
    from pathlib import Path

    directory = ecompile.cache_directory()
    if directory is None:  # no cache here: everything is compiled in this process, consistently
        return {"one": _batch(hh, 1), "blk": _batch(hh, 4),
                "one_budget": _batch(hh, 1, stiff_check=True, max_steps=400),
                "blk_budget": _batch(hh, 5, stiff_check=True, max_steps=400)}
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]),
               NEUROMUSCLE_CACHE_DIR=str(directory.parent))
    out = tmp_path_factory.mktemp("batches") / "batches.pkl"
    for _ in range(2):  # the first run fills the cache, the second loads every kernel from it
        subprocess.run([sys.executable, "-c", _BATCH_CHILD, str(out)], env=env, check=True, timeout=600,
                       capture_output=True)
    with open(out, "rb") as fh:
        return pickle.load(fh)


def test_block_kernel_equals_one_cell_kernel(cached_batches):
    one = cached_batches["one"]
    blk = cached_batches["blk"]  # fewer lanes than cells: lanes take new cells as theirs end
    assert "lockstep" in blk.extra["method"] and "lockstep" not in one.extra["method"]
    np.testing.assert_array_equal(blk.status, one.status)
    assert blk.status[10] == -5  # NaN stimulus: not run, the others go on
    assert np.all(np.delete(blk.status, 10) == 0)
    np.testing.assert_array_equal(blk.n_spikes, one.n_spikes)
    assert blk.n_spikes.sum() > 20
    ok = blk.status == 0
    # same steps, rounding-level differences only (the block's exp is not libm's)
    assert np.max(np.abs(blk.n_steps[ok] - one.n_steps[ok])) <= 2
    for k in np.flatnonzero(ok):
        np.testing.assert_allclose(blk.spike_times(k), one.spike_times(k), atol=1e-7)
    np.testing.assert_allclose(blk.samples[ok], one.samples[ok], atol=1e-6)
    np.testing.assert_allclose(blk.final_state[:, ok], one.final_state[:, ok], atol=1e-7)
    np.testing.assert_allclose(blk.t_reached, one.t_reached, rtol=1e-9)


def test_block_kernel_stiffness_test_and_budget(cached_batches):
    one = cached_batches["one_budget"]
    blk = cached_batches["blk_budget"]
    np.testing.assert_array_equal(blk.status, one.status)
    assert set(blk.status.tolist()) >= {-2, -5}  # the budget ends the busy cells
    assert np.max(np.abs(blk.n_steps - one.n_steps)) <= 2
    # where a resting cell's step is limited by stability the step sizes oscillate, and
    # rounding changes their sequence: the time reached after 400 steps agrees to a few %
    np.testing.assert_allclose(blk.t_reached, one.t_reached, rtol=0.05)
