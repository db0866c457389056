"""Sweeps: designs, labels, failures, checkpoint/resume after a killed run, processes, Dask."""

import os
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.sweep import latin_hypercube, sweep
from tests.helpers.sweep_metrics import fails_below_minus_10, logged_rest

ROOT = Path(__file__).resolve().parents[1]


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


def test_processes_give_the_same_numbers(hh, tmp_path):
    axes = {"dV_surface": np.linspace(-12.0, 0.0, 6)}
    one = sweep(hh, axes, metrics=["rest", "stability"], progress=False)
    two = sweep(hh, axes, metrics=["rest", "stability"], n_jobs=2, chunk_size=2, progress=False,
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


def test_resume_after_killed_run(tmp_path):
    """Kill a sweep mid-way; resuming recomputes no finished point and loses none."""
    ckpt, log = tmp_path / "ckpt", tmp_path / "calls.log"
    script = textwrap.dedent(f"""
        import numpy as np, neuromuscle as nm
        from neuromuscle.sweep import sweep
        from tests.helpers.sweep_metrics import logged_rest
        sweep(nm.hodgkin_huxley(), {{"dV_surface": np.linspace(-8, 0, 12)}}, metrics=[logged_rest],
              chunk_size=2, checkpoint={str(ckpt)!r}, progress=False)
    """)
    env = {**os.environ, "NM_SWEEP_LOG": str(log), "NM_SWEEP_DELAY": "0.3", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=ROOT)
    deadline = time.time() + 120
    while len(list(ckpt.glob("chunk_*.npz"))) < 2 and time.time() < deadline:
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    finished = sorted(ckpt.glob("chunk_*.npz"))
    assert 2 <= len(finished) < 6, "the run must be killed part-way"
    calls_before = log.read_text().split()
    os.environ["NM_SWEEP_LOG"] = str(log)
    try:
        ds = sweep(nm.hodgkin_huxley(), {"dV_surface": np.linspace(-8, 0, 12)}, metrics=[logged_rest],
                   chunk_size=2, checkpoint=ckpt, progress=False)
    finally:
        del os.environ["NM_SWEEP_LOG"]
    calls_after = log.read_text().split()[len(calls_before):]
    done_points = {f"{v:.6f}" for k in range(len(finished)) for v in np.linspace(-8, 0, 12)[2 * k: 2 * k + 2]}
    assert not done_points & set(calls_after), "finished points were recomputed"
    assert len(calls_after) == 12 - 2 * len(finished)
    fresh = sweep(nm.hodgkin_huxley(), {"dV_surface": np.linspace(-8, 0, 12)}, metrics=["rest"], progress=False)
    np.testing.assert_allclose(ds.logged_rest.values, fresh.rest.values)


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
