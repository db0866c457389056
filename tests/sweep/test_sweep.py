"""Sweeps: designs, labels, failures, up-front checks, processes, Dask, the README snippet.

Checkpoints, kill -9, damaged chunks and interrupts: tests/sweep/test_sweep_faults.py.
"""

import os
import re
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.sweep import latin_hypercube, sweep
from tests.helpers.sweep_metrics import fails_below_minus_10

ROOT = Path(__file__).resolve().parents[2]


def test_grid_labels_and_values(hh):
    ds = sweep(hh, {"dV_surface": [-12.0, 0.0], "celsius": [6.3, 16.3]}, metrics=["rest", "stability"],
               progress=False)
    assert ds.rest.dims == ("dV_surface", "celsius") and ds.rest.shape == (2, 2)
    assert ds.rest.attrs["units"] == "mV" and ds.celsius.attrs["units"] == "degC"
    assert ds.dV_surface.attrs["units"] == "mV"
    rest = nm.analysis.resting_state(hh, hh.parameter_vector({"dV_surface": -12.0, "celsius": 16.3})).v
    assert ds.rest.sel(dV_surface=-12.0, celsius=16.3) == pytest.approx(rest)
    assert ds.stability.sel(dV_surface=0.0, celsius=6.3) == 0
    assert ds.stability.sel(dV_surface=-12.0, celsius=6.3) == 2  # no stable rest: fires
    assert (ds.error == "").all()


def test_fi_sweep_on_the_batch_engine(hh):
    ds = sweep(hh, {"amplitude": [2.0, 2.5, 10.0]}, metrics=["n_spikes", "rate", "first_spike"],
               protocol=nm.Step(1.0), t_end=500.0, progress=False)
    assert ds.n_spikes.values.tolist()[:2] == [0, 1]
    single = nm.simulate(hh, nm.Step(10.0), 500.0)
    assert ds.n_spikes.values[2] == single.spike_times.size
    assert ds.first_spike.values[2] == pytest.approx(single.spike_times[0], abs=1e-3)
    assert 60 < ds.rate.values[2] < 75


def test_points_and_latin_hypercube(hh):
    ds = sweep(hh, points={"dV_surface": [0.0, -3.0, -6.0], "celsius": [6.3, 10.0, 20.0]}, progress=False)
    assert ds.rest.dims == ("point",) and ds.celsius.values.tolist() == [6.3, 10.0, 20.0]
    a = latin_hypercube({"x": (0, 1), "y": (10, 20)}, 8, seed=3)
    b = latin_hypercube({"x": (0, 1), "y": (10, 20)}, 8, seed=3)
    np.testing.assert_array_equal(a["x"], b["x"])
    # one sample per stratum in each dimension
    assert sorted(np.floor(a["x"] * 8).astype(int)) == list(range(8))
    ds = sweep(hh, lhs={"dV_surface": (-5.0, 0.0)}, n_samples=5, seed=1, progress=False)
    assert ds.sizes["point"] == 5 and ds.attrs["design"] == "latin hypercube"


def test_electrolyte_axes_use_the_model_environment():
    axon = nm.motor_axon()
    ds = sweep(axon, {"k": [2.5, 4.2, 5.5]}, metrics=["rest"], progress=False)
    assert ds.k.attrs["units"] == "mM"
    assert np.all(np.diff(ds.rest.values) > 0)  # more K, more depolarised


def test_failed_points_are_recorded_and_the_sweep_goes_on(hh):
    ds = sweep(hh, {"dV_surface": [-20.0, -5.0, 0.0]}, metrics=[fails_below_minus_10, "rest"], progress=False)
    assert np.isnan(ds.fails_below_minus_10.values[0]) and "deliberate failure" in str(ds.error.values[0])
    assert ds.fails_below_minus_10.values[1] == -5.0 and ds.error.values[1] == ""
    assert ds.attrs["n_failed"] == 1


def test_bad_sweep_arguments(hh):
    with pytest.raises(ValueError, match="exactly one"):
        sweep(hh, {"celsius": [6.3]}, points={"celsius": [6.3]}, progress=False)
    with pytest.raises(ValueError, match="nope"):
        sweep(hh, {"nope": [1.0]}, progress=False)
    with pytest.raises(ValueError, match="is unknown"):
        sweep(hh, {"celsius": [6.3]}, metrics=["colour"], progress=False)
    with pytest.raises(ValueError, match="electrolyte"):
        sweep(hh, {"ca": [1.0]}, progress=False)


def test_sweep_wide_arguments_are_checked_before_any_point_runs(hh, tmp_path, monkeypatch):
    import neuromuscle.sweep.runner as runner

    def no_work(*a, **k):
        raise AssertionError("a point ran although an argument was bad")

    monkeypatch.setattr(runner, "evaluate_chunk", no_work)
    ax = {"dV_surface": [-1.0, 0.0]}
    step = nm.Step(1.0)
    cases = [
        (dict(t_end=0.0, metrics=["rate"], protocol=step), "t_end = 0.0 must be > 0"),
        (dict(t_end=-5.0, metrics=["rate"], protocol=step), "t_end = -5.0"),
        (dict(t_end=float("nan")), "t_end = nan must be finite"),
        (dict(metrics=["threshold:-1"]), "threshold:-1"),
        (dict(metrics=["threshold:0"]), "> 0"),
        (dict(metrics=["rate"]), "metric 'rate' needs a stimulus protocol"),
        (dict(metrics=["rest", "rest"]), "more than once"),
        (dict(metrics=[]), "at least one metric"),
        (dict(n_jobs=0), "n_jobs = 0"),
        (dict(n_jobs=-2), "-1 for all cores"),
        (dict(n_jobs=1.5), "n_jobs = 1.5"),
        (dict(chunk_size=0), "chunk_size = 0"),
        (dict(rtol=-1.0), "rtol"),
        (dict(trace_dt=0.0), "trace_dt"),
        (dict(params={"nope": 1.0}), "params"),
        (dict(params={"celsius": 99.0}), "celsius = 99"),
        (dict(base="nope"), "base: preset name = 'nope'"),
        (dict(output=tmp_path / "missing" / "x.nc"), "does not exist"),
        (dict(output=tmp_path), "is a folder"),
        (dict(protocol=10.0), "protocol must be a Protocol"),
    ]
    for kw, message in cases:
        with pytest.raises((ValueError, TypeError), match=re.escape(message)):
            sweep(hh, ax, progress=False, **kw)
    with pytest.raises(ValueError, match=re.escape("axis 'celsius': celsius = -300 degC is outside the valid range")):
        sweep(hh, {"celsius": [-300.0, 6.3]}, progress=False)
    with pytest.raises(ValueError, match="amplitude"):
        sweep(hh, {"amplitude": [1.0]}, progress=False)
    with pytest.raises(ValueError, match="not finite"):
        sweep(hh, {"dV_surface": [0.0, float("nan")]}, progress=False)
    with pytest.raises(ValueError, match="has no values"):
        sweep(hh, {"dV_surface": []}, progress=False)
    with pytest.raises(ValueError, match=re.escape("axis 'k': K_o = -1 mM is outside the valid range")):
        sweep(nm.motor_axon(), {"k": [4.0, -1.0]}, progress=False)
    with pytest.raises(TypeError, match="model must be a Model"):
        sweep(nm.hodgkin_huxley, ax, progress=False)


def test_n_jobs_minus_one_means_all_cores():
    from neuromuscle.sweep.api import _workers

    assert _workers(-1, None) == os.cpu_count()
    assert _workers(3, None) == 3


def test_processes_give_the_same_numbers(hh, tmp_path):
    axes = {"dV_surface": np.linspace(-12.0, 0.0, 6)}
    one = sweep(hh, axes, metrics=["rest", "stability"], progress=False)
    two = sweep(hh, axes, metrics=["rest", "stability"], n_jobs=-1, chunk_size=2, progress=False,
                output=tmp_path / "two.nc")
    np.testing.assert_array_equal(one.rest.values, two.rest.values)
    import xarray as xr

    back = xr.open_dataset(tmp_path / "two.nc")
    np.testing.assert_array_equal(back.rest.values, one.rest.values)
    assert back.rest.attrs["units"] == "mV"


def test_any_executor(hh):
    with ProcessPoolExecutor(2) as pool:
        ds = sweep(hh, {"dV_surface": [-6.0, 0.0]}, executor=pool, chunk_size=1, progress=False)
    assert ds.rest.shape == (2,)


def test_checkpoint_of_another_sweep_is_refused(hh, tmp_path):
    sweep(hh, {"dV_surface": [0.0, -1.0]}, checkpoint=tmp_path, progress=False)
    with pytest.raises(ValueError, match="another sweep"):
        sweep(hh, {"dV_surface": [0.0, -2.0]}, checkpoint=tmp_path, progress=False)


def test_dask_local_cluster(hh):
    import distributed  # a declared dependency of the test extra: missing is an error, not a skip
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        with distributed.Client(c) as client:
            ds = sweep(hh, {"dV_surface": np.linspace(-12.0, 0.0, 4)}, metrics=["rest", "stability"],
                       executor=client, chunk_size=1, progress=False)
    local = sweep(hh, {"dV_surface": np.linspace(-12.0, 0.0, 4)}, metrics=["rest", "stability"], progress=False)
    np.testing.assert_array_equal(ds.rest.values, local.rest.values)


def test_sweep_on_a_stiff_model_runs_each_point_on_lsoda():
    # the muscle fibre is declared stiff: the batch engine integrates each point with LSODA
    # on the compiled equations; counts must equal single runs on the SciPy engine
    fibre = nm.muscle_fibre()
    train = nm.PulseTrain(amplitude=1.0, start=5.0, duration=0.5, frequency=50.0, n_pulses=3)
    ds = sweep(fibre, {"amplitude": [20.0, 400.0]}, metrics=["n_spikes", "first_spike"], protocol=train,
               t_end=60.0, progress=False)
    assert (ds.error == "").all()
    for amp, n, first in zip(ds.amplitude.values, ds.n_spikes.values, ds.first_spike.values):
        ref = nm.simulate(fibre, nm.PulseTrain(amp, 5.0, 0.5, 50.0, 3), 60.0, engine="scipy")
        assert n == ref.spike_times.size
        if n:
            assert first == pytest.approx(ref.spike_times[0], abs=1e-3)
    assert ds.n_spikes.values.tolist() == [0, 3]


def _readme_sweep_snippet() -> str:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    snippet = [b for b in blocks if "n_jobs=2" in b]
    assert len(snippet) == 1, "the README has one parallel sweep snippet"
    return snippet[0]


@pytest.mark.parametrize("how", ["script", "stdin"])
def test_readme_sweep_snippet_runs_as_written(tmp_path, how):
    """Saved as a script (no __main__ guard) or piped to python -, on the default start method."""
    code = _readme_sweep_snippet()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if how == "script":
        (tmp_path / "snippet.py").write_text(code)
        res = subprocess.run([sys.executable, "snippet.py"], cwd=tmp_path, env=env, capture_output=True, text=True,
                             timeout=300)
    else:
        res = subprocess.run([sys.executable, "-"], input=code, cwd=tmp_path, env=env, capture_output=True,
                             text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    rest = [float(v) for v in res.stdout.strip().strip("[]").split()]
    assert len(rest) == 3 and all(-100 < v < -60 for v in rest)


def test_a_metric_workers_cannot_import_is_refused_in_one_line(tmp_path):
    code = textwrap.dedent("""
        import neuromuscle as nm
        from neuromuscle.sweep import sweep

        def mine(model, params, ctx):
            return 1.0

        sweep(nm.hodgkin_huxley(), {"dV_surface": [0.0, -1.0]}, metrics=[mine], n_jobs=2, progress=False)
    """)
    res = subprocess.run([sys.executable, "-"], input=code, cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert res.returncode == 1
    assert "metric 'mine' is defined in __main__" in res.stderr and "n_jobs=1" in res.stderr


def test_a_worker_that_dies_fails_its_points_and_the_sweep_goes_on(hh, tmp_path):
    from tests.helpers.sweep_metrics import dies_below_minus_10

    ds = sweep(hh, {"dV_surface": [-12.0, -6.0, -3.0, 0.0]}, metrics=[dies_below_minus_10], n_jobs=2, chunk_size=1,
               checkpoint=tmp_path, progress=False)
    assert ds.error.values[0].startswith("worker process died")
    assert ds.dies_below_minus_10.values[1:].tolist() == [-6.0, -3.0, 0.0] and ds.attrs["n_failed"] == 1
    # the lost chunk is not kept as a result: a resumed run tries it again
    assert sorted(p.name for p in tmp_path.glob("chunk_*.npz")) == [
        "chunk_0000001-0000002.npz", "chunk_0000002-0000003.npz", "chunk_0000003-0000004.npz"]


@pytest.mark.slow
def test_parallel_sweep_in_a_jupyter_kernel():
    """The same snippet in a real IPython kernel (as a notebook runs it), on two workers."""
    from jupyter_client import KernelManager

    km = KernelManager()
    km.start_kernel(env={**os.environ, "PYTHONPATH": str(ROOT)})
    kc = km.client()
    try:
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        msg_id = kc.execute(_readme_sweep_snippet())
        out, errors = "", []
        while True:
            msg = kc.get_iopub_msg(timeout=300)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
                out += msg["content"]["text"]
            elif msg["msg_type"] == "error":
                errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert not errors, errors
    rest = [float(v) for v in out.strip().strip("[]").split()]
    assert len(rest) == 3 and all(-100 < v < -60 for v in rest)
