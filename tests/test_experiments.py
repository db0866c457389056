"""The experiment scripts run (at reduced size) and report sensible numbers."""

import importlib.util
from pathlib import Path

import pytest

EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, EXPERIMENTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hh_excitability_quick(tmp_path, capsys):
    numbers = _load("hh_excitability").main(["--quick", "--out", str(tmp_path)])
    for fig in ("action_potential.png", "fi_curve.png", "strength_duration.png"):
        assert (tmp_path / fig).stat().st_size > 10_000
    assert numbers["rest potential (mV)"] == pytest.approx(-65.0, abs=0.01)
    assert numbers["Hopf bifurcation, lower (uA/cm2)"] == pytest.approx(9.78, abs=0.05)
    assert 2.2 < numbers["rheobase (uA/cm2)"] < 2.3
    assert "rheobase" in capsys.readouterr().out
