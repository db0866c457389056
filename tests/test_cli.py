"""The command line: every command, and a one-line message with exit code 2 for every bad argument."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from neuromuscle import cli
from neuromuscle.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _fails(capsys, argv, *needles):
    """``argv`` exits 2 with one line on stderr that contains every needle, and no traceback."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture(scope="module")
def sweep_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "hh.nc"
    assert main(["sweep", "hodgkin_huxley", "--axis", "dV_surface=-12:0:3", "--axis", "celsius=6.3,16.3",
                 "--metric", "rest", "--metric", "stability", "--out", str(out), "--no-progress"]) == 0
    return out


def test_help_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ("models", "presets", "describe", "simulate", "experiment", "sweep", "plot", "claims", "explore"):
        assert f"    {name}" in out
    assert set(cli.COMMANDS) >= {"models", "presets", "describe", "simulate", "experiment", "sweep", "plot"}


def test_sweep_then_plot(sweep_file, tmp_path, capsys):
    ds = xr.open_dataset(sweep_file)
    assert ds.rest.shape == (3, 2) and ds.rest.attrs["units"] == "mV"
    assert ds.attrs["rtol"] == 1e-6
    png = tmp_path / "map.png"
    assert main(["plot", str(sweep_file), "rest", "--out", str(png)]) == 0
    assert png.stat().st_size > 5000
    line = tmp_path / "line.png"
    ds.isel(celsius=0).to_netcdf(tmp_path / "one.nc")
    assert main(["plot", str(tmp_path / "one.nc"), "rest", "--out", str(line)]) == 0 and line.exists()


def test_lists_and_describe(capsys):
    assert main(["models"]) == 0 and "motor_axon" in capsys.readouterr().out
    assert main(["presets"]) == 0 and "hypocalcaemia_severe" in capsys.readouterr().out
    assert main(["describe", "hodgkin_huxley"]) == 0
    out = capsys.readouterr().out
    assert "mS/cm2" in out and "Table 3" in out  # parameters with units and sources
    assert main(["describe", "motor_axon", "--preset", "hypocalcaemia_severe"]) == 0
    assert "hypocalcaemia_severe" in capsys.readouterr().out


def test_simulate_saves_figure_csv_and_netcdf(tmp_path, capsys):
    fig, csv, nc = tmp_path / "v.png", tmp_path / "v.csv", tmp_path / "v.nc"
    assert main(["simulate", "hodgkin_huxley", "--protocol", "step:10:1", "--t-end", "20", "--engine", "scipy",
                 "--dt", "0.05", "--var", "V", "--var", "na.m", "--param", "celsius=10", "--rtol", "1e-7",
                 "--figure", str(fig), "--out", str(csv), "--out", str(nc)]) == 0
    assert "spike" in capsys.readouterr().out and fig.stat().st_size > 5000
    table = np.loadtxt(csv, delimiter=",", skiprows=1)
    ds = xr.open_dataset(nc)
    np.testing.assert_allclose(table[:, 1], ds.V.values, rtol=1e-9)
    assert open(csv).readline().strip() == "time (ms),V (mV),na.m (1)"
    assert ds.V.attrs["units"] == "mV" and ds.attrs["rtol"] == 1e-7
    assert ds.V.max() > 0  # the 10 uA/cm2 step fires
    assert main(["simulate", "motor_axon", "--preset", "hypocalcaemia_severe", "--conc", "k=3.0", "--engine",
                 "scipy", "--t-end", "2", "--out", str(tmp_path / "axon.csv")]) == 0


def test_experiment_list_and_run(tmp_path, monkeypatch, capsys):
    assert main(["experiment", "list"]) == 0
    assert "hh_excitability" in capsys.readouterr().out
    (tmp_path / "experiments").mkdir()
    (tmp_path / "experiments" / "demo.py").write_text(
        '"""A demo."""\nimport sys\n\ndef main(argv=None):\n    print("ran", argv)\n')
    monkeypatch.setattr(cli, "_experiments_folder", lambda: tmp_path / "experiments")
    assert main(["experiment", "demo", "--quick", "--out", str(tmp_path / "o")]) == 0
    assert "ran ['--quick', '--out'" in capsys.readouterr().out
    assert main(["experiment", "all", "--quick"]) == 0
    _fails(capsys, ["experiment", "nope"], "'nope'", "demo")


BAD_SWEEPS = [  # (extra arguments, what the one line must name)
    (["--preset", "nope"], ["--preset", "'nope'", "normal"]),
    (["--axis", "CA=1,2"], ["--axis", "'CA'", "ca"]),
    (["--axis", "ca=1,2"], ["--axis", "'ca'", "no parameter 'Ca_o'"]),
    (["--metric", "colour"], ["--metric", "'colour'", "rest"]),
    (["--metric", "threshold:abc"], ["--metric", "'abc'", "> 0"]),
    (["--metric", "threshold:-1"], ["--metric", "'-1'", "> 0"]),
    (["--protocol", "step:abc"], ["--protocol", "'abc'", "not a number"]),
    (["--protocol", "zap:1"], ["--protocol", "'zap'", "step:AMP"]),
    (["--protocol", "step"], ["--protocol", "step takes 1-3"]),
    (["--protocol", "pulse:1:0:-1"], ["--protocol", "duration = -1", "(0, 1e+09]"]),
    (["--axis", "dV_surface=0:1:0"], ["--axis", "N = 0", ">= 1"]),
    (["--axis", "dV_surface=0:1:x"], ["--axis", "'x'", ">= 1"]),
    (["--axis", "dV_surface"], ["--axis", "NAME=START:STOP:N"]),
    (["--axis", "dV_surface=a,1"], ["--axis", "'a' is not a number"]),
    (["--axis", "celsius=-300,6.3"], ["--axis 'celsius'", "-300", "[0, 50]"]),
    (["--metric", "rate"], ["--protocol", "metric 'rate' needs a stimulus"]),
    (["--t-end", "0", "--metric", "rate", "--protocol", "step:1"], ["--t-end", "0", "> 0"]),
    (["--t-end", "abc"], ["--t-end", "'abc'"]),
    (["--n-jobs", "0"], ["--n-jobs", "0", "-1 for all cores"]),
    (["--chunk-size", "0"], ["--chunk-size", "0", ">= 1"]),
    (["--max-steps", "0"], ["--max-steps", "0", "between 1"]),
    (["--rtol", "5"], ["--rtol", "5", "between"]),
    (["--param", "nope=1"], ["--param", "'nope'", "celsius"]),
    (["--param", "celsius=99"], ["--param celsius=99", "celsius = 99", "[0, 50]"]),
]


@pytest.mark.parametrize("extra,needles", BAD_SWEEPS, ids=[" ".join(e) for e, _ in BAD_SWEEPS])
def test_sweep_bad_arguments(capsys, tmp_path, extra, needles):
    model = "motor_axon" if extra[:2] == ["--preset", "nope"] or extra[1:2] == ["CA=1,2"] else "hodgkin_huxley"
    argv = ["sweep", model, "--out", str(tmp_path / "x.nc"), "--no-progress"]
    if "--axis" not in extra:
        argv += ["--axis", "dV_surface=-1,0"]
    _fails(capsys, argv + extra, *needles)
    assert not (tmp_path / "x.nc").exists()


def test_output_paths_are_checked_before_any_work(capsys, tmp_path, monkeypatch):
    import neuromuscle.sweep as sw

    def no_work(*a, **k):
        raise AssertionError("the sweep ran although its output path was bad")

    monkeypatch.setattr(sw, "sweep", no_work)
    base = ["sweep", "motor_axon", "--axis", "ca=0.8,1.2", "--no-progress"]
    _fails(capsys, base + ["--out", str(tmp_path / "missing" / "x.nc")], "--out", "does not exist")
    (tmp_path / "dir.nc").mkdir()
    _fails(capsys, base + ["--out", str(tmp_path / "dir.nc")], "--out", "is a folder")
    _fails(capsys, base + ["--out", str(tmp_path / "x.csv")], "--out", ".nc")
    (tmp_path / "file").write_text("")
    _fails(capsys, base + ["--out", str(tmp_path / "x.nc"), "--checkpoint", str(tmp_path / "file")],
           "--checkpoint", "is a file")


def test_a_finished_result_is_never_lost_to_a_bad_path(tmp_path, capsys):
    ds = xr.Dataset({"a": ("x", [1.0, 2.0])})
    gone = tmp_path / "gone" / "x.nc"  # its folder vanished while the work ran
    written = cli._save(gone, ds.to_netcdf)
    assert written != gone and xr.open_dataset(written).a.values.tolist() == [1.0, 2.0]
    assert str(written) in capsys.readouterr().err
    written.unlink()


def test_plot_bad_arguments(sweep_file, tmp_path, capsys):
    _fails(capsys, ["plot", str(tmp_path / "missing.nc"), "rest"], "missing.nc", "does not exist")
    (tmp_path / "text.nc").write_text("not a netCDF file")
    _fails(capsys, ["plot", str(tmp_path / "text.nc"), "rest"], "text.nc", "not a netCDF")
    _fails(capsys, ["plot", str(sweep_file), "nope"], "'nope'", "rest, stability")
    _fails(capsys, ["plot", str(sweep_file), "rest", "--x", "time"], "--x", "'time'", "dV_surface, celsius")
    _fails(capsys, ["plot", str(sweep_file), "error"], "'error'", "text")
    _fails(capsys, ["plot", str(sweep_file), "rest", "--out", str(tmp_path / "no" / "a.png")], "--out",
           "does not exist")
    _fails(capsys, ["plot", str(sweep_file), "rest", "--out", str(tmp_path)], "--out")


def test_simulate_and_describe_bad_arguments(capsys, tmp_path):
    _fails(capsys, ["simulate", "hodgkin_huxley", "--preset", "normal"], "--preset", "not built in electrolytes")
    _fails(capsys, ["simulate", "hodgkin_huxley", "--conc", "ca=1"], "--conc", "not built in electrolytes")
    _fails(capsys, ["simulate", "nope"], "'nope'", "hodgkin_huxley")
    _fails(capsys, ["simulate", "motor_axon", "--conc", "CA=1"], "--conc", "'CA'", "ca")
    _fails(capsys, ["simulate", "motor_axon", "--conc", "ca=-1"], "--conc", "ca")
    _fails(capsys, ["simulate", "hodgkin_huxley", "--var", "nope"], "--var", "'nope'", "na.m")
    _fails(capsys, ["simulate", "hodgkin_huxley", "--t-end", "-5"], "--t-end", "> 0")
    _fails(capsys, ["simulate", "hodgkin_huxley", "--t-end", "nan"], "--t-end", "> 0")
    _fails(capsys, ["simulate", "hodgkin_huxley", "--out", str(tmp_path / "a.txt")], "--out", ".csv or .nc")
    _fails(capsys, ["simulate", "hodgkin_huxley", "--figure", str(tmp_path / "x" / "a.png")], "--figure",
           "does not exist")
    _fails(capsys, ["simulate", "hodgkin_huxley", "--engine", "gpu"], "--engine", "'gpu'", "scipy")
    _fails(capsys, ["simulate", "hodgkin_huxley", "--dt", "-1", "--engine", "scipy"], "--dt -1", "> 0")
    _fails(capsys, ["simulate", "hodgkin_huxley", "--param", "na.g=-5"], "--param na.g=-5", "na.g = -5")
    _fails(capsys, ["describe", "nope"], "'nope'", "motor_axon")
    _fails(capsys, ["describe", "hodgkin_huxley", "--preset", "normal"], "--preset")
    _fails(capsys, ["frobnicate"], "'frobnicate'", "sweep")


def test_lists_claims_and_explore_bad_arguments(capsys, tmp_path):
    (tmp_path / "file").write_text("x")
    _fails(capsys, ["models", "--bogus"], "--bogus")
    _fails(capsys, ["presets", "extra"], "unrecognized arguments: extra")
    _fails(capsys, ["claims", "--out", str(tmp_path / "file")], "--out", "is a file")
    _fails(capsys, ["claims", "--only", "bogus", "--out", str(tmp_path)], "--only", "'bogus'", "magnesium")
    _fails(capsys, ["explore", "--port", "0"], "--port 0", "between 1 and 65535")
    _fails(capsys, ["explore", "--port", "abc"], "--port", "'abc'")


def test_console_script_is_installed():
    res = subprocess.run([sys.executable, "-m", "neuromuscle.cli", "models"], capture_output=True, text=True,
                         cwd=ROOT)
    assert res.returncode == 0 and "hodgkin_huxley" in res.stdout


def test_plot_map_labels_from_attributes():
    import matplotlib

    matplotlib.use("Agg")
    from neuromuscle.plotting import plot_map

    ds = xr.Dataset(
        {"z": (("a", "b"), np.arange(6.0).reshape(2, 3), {"units": "Hz", "long_name": "Rate"})},
        coords={"a": ("a", [1.0, 2.0], {"units": "mM", "long_name": "Ca"}),
                "b": ("b", [0.1, 0.2, 0.3], {"units": "mM", "long_name": "Mg"})},
    )
    ax = plot_map(ds, "z")
    assert ax.get_xlabel() == "Mg (mM)" and ax.get_ylabel() == "Ca (mM)"
    assert ax.figure.axes[-1].get_ylabel() == "Rate (Hz)"


# ---------------------------------------------------------------------- threshold tracking
@pytest.mark.parametrize("argv, needles", [
    (["threshold-tracking", "no_such_model"], ("no_such_model", "motor_axon_myelinated")),
    (["threshold-tracking", "motor_axon"], ("motor_axon", "not a multi-node axon")),
    (["threshold-tracking", "motor_axon_myelinated", "--preset", "nope"], ("--preset", "nope", "normal")),
    (["threshold-tracking", "motor_axon_myelinated", "--json", "out.txt"], ("--json", ".json")),
    (["threshold-tracking", "motor_axon_myelinated", "--nodes", "3"], ("--nodes", "3", "at least 7")),
    (["threshold-tracking", "motor_axon_myelinated", "--conc", "zz=1"], ("--conc", "zz")),
    (["threshold-tracking", "motor_axon_myelinated", "--fit", "best"], ("--fit", "best", "human_battery")),
    (["threshold-tracking", "motor_axon_myelinated", "--ischaemia-minutes", "10"], ("--ischaemia-minutes",
                                                                                    "--ischaemia")),
    (["threshold-tracking", "motor_axon_myelinated", "--ischaemia", "--ischaemia-minutes", "-1"],
     ("--ischaemia-minutes", "-1", "0-120")),
    (["threshold-tracking", "motor_axon_myelinated", "--periaxonal-k", "nan"], ("--periaxonal-k", "nan", "0-100")),
    (["threshold-tracking", "motor_axon_myelinated", "--periaxonal-k", "500"], ("--periaxonal-k", "500", "0-100")),
])
def test_threshold_tracking_bad_arguments(capsys, argv, needles):
    _fails(capsys, argv, *needles)


def test_models_lists_the_myelinated_axon(capsys):
    assert main(["models"]) == 0
    assert "motor_axon_myelinated" in capsys.readouterr().out


@pytest.mark.slow
def test_threshold_tracking_writes_json(tmp_path, monkeypatch, capsys):
    """The command end to end, on a battery cut to the 1 ms threshold (one search at 5 %)."""
    import importlib
    import json

    tt = importlib.import_module("neuromuscle.analysis.threshold_tracking")

    tiny = tt.TrackingProtocol(sd_widths=(), te_delays=(), iv_currents=(), rc_intervals=(),
                               rel_tol=0.05, name="tiny")
    monkeypatch.setattr(tt, "QUICK", tiny)
    out = tmp_path / "tt.json"
    assert main(["threshold-tracking", "motor_axon_myelinated", "--preset", "hyperventilation", "--quick",
                 "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["preset"] == "hyperventilation"
    assert doc["readouts"]["threshold_1ms"] > 0 and doc["readouts"]["tau_SD"] is None  # not run: null
    assert "threshold_1ms" in capsys.readouterr().out
    # ischaemia with its Na load and a periaxonal K excess: the overrides reach the battery
    out2 = tmp_path / "isch.json"
    assert main(["threshold-tracking", "motor_axon_myelinated", "--ischaemia", "--ischaemia-minutes", "10",
                 "--periaxonal-k", "2", "--quick", "--json", str(out2)]) == 0
    doc2 = json.loads(out2.read_text())
    axon = tt.tracking_axon()
    na = __import__("neuromuscle").analysis.ischaemic_ion_budget(axon, 10.0).na_i_after
    assert doc2["params"] == pytest.approx({"pump": 0.0, "Na_i": na, "dK_periaxonal": 2.0})
    # 2 mM of periaxonal K makes the axon more excitable (experiments/ischaemia_axon.py: -33 %)
    assert doc2["readouts"]["threshold_1ms"] < 0.9 * doc["readouts"]["threshold_1ms"]


@pytest.mark.slow
def test_simulate_runs_the_myelinated_axon(tmp_path):
    """The default engine takes the compartmental axon (LSODA with its band); the recorded node
    is named by its compartment (node 15 = compartment 165) and by the label ``V``."""
    import xarray as xr

    out = tmp_path / "ax.nc"
    assert main(["simulate", "motor_axon_myelinated", "--protocol", "pulse:20000:1:0.1", "--t-end", "3",
                 "--var", "V[165]", "--var", "V", "--out", str(out)]) == 0
    ds = xr.load_dataset(out)
    np.testing.assert_array_equal(ds["V"].values, ds["V[165]"].values)
    assert ds["V"].values.max() > 0  # the action potential reaches the recorded node


def test_simulate_myelinated_axon_by_name_and_label(tmp_path, capsys):
    # the cable's V is the recorded node (an alias), membrane_potential its label; both name one trace
    csv = tmp_path / "cable.csv"
    assert main(["simulate", "motor_axon_myelinated", "--t-end", "1", "--var", "V", "--var", "membrane_potential",
                 "--var", "V_node0", "--out", str(csv)]) == 0
    assert open(csv).readline().strip() == "time (ms),V (mV),V_node0 (mV)"
    table = np.loadtxt(csv, delimiter=",", skiprows=1)
    assert table[0, 1] == pytest.approx(-85.9, abs=0.5)  # the published rest, -85.94 mV (Gaines et al. 2018)
    capsys.readouterr()
    # an unknown name: the compartments are listed once per state, with the labels
    _fails(capsys, ["simulate", "motor_axon_myelinated", "--t-end", "1", "--var", "nope"], "'nope'", "V[0..220]",
           "V_node20", "labels: membrane_potential")
