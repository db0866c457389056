"""The command line and the labelled plots."""

import subprocess
import sys

import numpy as np
import pytest
import xarray as xr

from neuromuscle.cli import main


def test_cli_sweep_then_plot(tmp_path, capsys):
    out = tmp_path / "hh.nc"
    assert main(["sweep", "hodgkin_huxley", "--axis", "dV_surface=-12:0:3", "--axis", "celsius=6.3,16.3",
                 "--metric", "rest", "--metric", "stability", "--out", str(out), "--no-progress"]) == 0
    ds = xr.open_dataset(out)
    assert ds.rest.shape == (3, 2) and ds.rest.attrs["units"] == "mV"
    png = tmp_path / "map.png"
    assert main(["plot", str(out), "rest", "--out", str(png)]) == 0
    assert png.stat().st_size > 5000
    assert main(["plot", str(out), "nope"]) == 2


def test_cli_rejects_bad_axis():
    with pytest.raises(SystemExit):
        main(["sweep", "hodgkin_huxley", "--axis", "celsius", "--out", "x.nc"])


def test_cli_lists(capsys):
    assert main(["models"]) == 0 and "motor_axon" in capsys.readouterr().out
    assert main(["presets"]) == 0 and "hypocalcaemia_severe" in capsys.readouterr().out


def test_console_script_is_installed():
    res = subprocess.run([sys.executable, "-m", "neuromuscle.cli", "models"], capture_output=True, text=True)
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
