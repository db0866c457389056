"""A new channel composed into each published model keeps the model's electrolytes, and a
sweep over ca, mg, k and na is a plain parameter sweep on the composed model."""

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.components.base import Component, Output, Parameter, State
from neuromuscle.components.surface_charge import surface_shift
from neuromuscle.electrochem import nernst
from neuromuscle.model import Model
from neuromuscle.sweep import sweep


class ProbeK(Component):
    """A K channel with one gate, ``x_inf = 1 / (1 + exp(-(V - dV_surface + 40) / 10))``:
    it reads the model's E_K and gating shift, so its current shows both electrolyte paths."""

    states = (State("x", "1", "gate", 0.5),)
    outputs = (Output("I", "uA/cm2", "probe current", adds_to="I_ion", carries=(("K", 1.0),)),)

    @classmethod
    def default_parameters(cls):
        return {"g": Parameter(1e-9, "mS/cm2", "test: tiny, so the host model is unchanged", "", (0.0, 1.0))}

    @classmethod
    def default_inputs(cls):
        return {"V": "V", "E": "E_K", "dV_surface": "dV_surface"}

    @staticmethod
    def equations(V, E, dV_surface, x, g):
        x_inf = 1.0 / (1.0 + np.exp(-(V - dV_surface + 40.0) / 10.0))
        return g * x * (V - E), (x_inf - x) / 1.0

    @staticmethod
    def steady_state(V, dV_surface):
        return (1.0 / (1.0 + np.exp(-(V - dV_surface + 40.0) / 10.0)),)


def probe_metric(model, params, ctx):
    """The probe's gate at steady state at -60 mV plus E_K/1000: both must follow the axes."""
    p = model.parameter_vector(params)
    y = model.quasi_steady_state(-60.0, p)
    obs = model.observables(0.0, y, p)
    return float(y[model.state_index["probe.x"]]) + float(obs["E_K"]) / 1000.0


def _expected(model, params):
    shift = surface_shift(model, params)
    p = {**{k: model.parameters[k].value for k in ("K_o", "K_i", "celsius")}, **params}
    e_k = float(nernst(p["K_o"], p["K_i"], 1, p["celsius"]))
    return 1.0 / (1.0 + np.exp(-(-60.0 - shift + 40.0) / 10.0)) + e_k / 1000.0


@pytest.fixture(scope="module", params=["motor_axon", "muscle_fibre", "muscle_ec"])
def composed(request):
    host = getattr(nm, request.param)()
    return host, Model(f"{host.name}+probe", host.components + [ProbeK("probe")], stiff=host.stiff)


def test_composed_model_keeps_its_electrolytes(composed):
    host, model = composed
    for name in ("celsius", "Na_o", "K_o", "Cl_o", "Ca_o", "Mg_o", "HCO3_o", "Na_i", "K_i"):
        assert model.parameters[name] == host.parameters[name], name
    assert surface_shift(model, {"Ca_o": 0.8}) == surface_shift(host, {"Ca_o": 0.8}) < 0.0
    # the host's own currents are the same in the composed model (the probe conducts ~nothing)
    y = model.quasi_steady_state(-70.0)
    y_host = host.quasi_steady_state(-70.0)
    i_host = host.observables(0.0, y_host)["I_ion"]
    assert float(model.observables(0.0, y)["I_ion"]) == pytest.approx(float(i_host), rel=1e-6)


@pytest.mark.parametrize("axis, values", [("ca", [0.6, 1.2, 2.0]), ("mg", [0.2, 1.0]), ("k", [2.5, 6.0]),
                                          ("na", [125.0, 145.0])])
def test_electrolyte_sweep_on_composed_model(composed, axis, values):
    host, model = composed
    ds = sweep(model, {axis: values}, metrics=[probe_metric], progress=False)
    assert (ds["error"] == "").all()
    par = nm.electrolytes.PARAMETER_OF_FIELD[axis]
    for v in values:
        assert float(ds.probe_metric.sel({axis: v})) == pytest.approx(_expected(model, {par: v}), rel=1e-9)
    if axis in ("ca", "mg"):  # more divalents: gates shift to depolarised potentials, less x at -60 mV
        assert np.all(np.diff(ds.probe_metric.values) < 0)


def test_hodgkin_huxley_composes_with_its_parameters():
    hh = nm.hodgkin_huxley(reversal="nernst")
    model = Model("hh+probe", hh.components + [ProbeK("probe")])
    assert set(hh.parameter_names) <= set(model.parameter_names)
    ds = sweep(model, {"k": [10.0, 20.0], "na": [400.0, 440.0]}, metrics=[probe_metric], progress=False)
    assert float(ds.probe_metric.sel(k=20.0, na=440.0)) == pytest.approx(_expected(model, {"K_o": 20.0}), rel=1e-9)
