"""A new channel composed into each published model keeps the model's electrolytes, and a
sweep over ca, mg, k and na is a plain parameter sweep on the composed model.

Every public factory is covered: the single-node motor axon, the muscle fibre with and
without EC coupling, the Hodgkin-Huxley axon, the myelinated axon (5 nodes, the new channel
in every compartment) and the nerve-to-muscle chain. What a factory declares besides the
equations (rest finder, sub-models, aliases, pools, Jacobian band) travels with the
components, and a channel added to a model with sub-models joins the sub-model it belongs to,
so the rest the model finds is an equilibrium of the composed model.
"""

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.components.base import Component, Output, Parameter, State
from neuromuscle.components.declarations import ModelDeclarations
from neuromuscle.components.surface_charge import surface_shift
from neuromuscle.electrochem import nernst
from neuromuscle.model import Model
from neuromuscle.steady import resting_state
from neuromuscle.sweep import sweep

#: Every public model factory, as built for these tests (the myelinated axon with 5 nodes).
FACTORIES = {
    "motor_axon": nm.motor_axon, "muscle_fibre": nm.muscle_fibre, "muscle_ec": nm.muscle_ec,
    "motor_axon_myelinated": lambda: nm.motor_axon_myelinated(n_nodes=5), "nerve_muscle": nm.nerve_muscle,
}


class ProbeK(Component):
    """A K channel with one gate, ``x_inf = 1 / (1 + exp(-(V - dV_surface + 40) / 10))``:
    it reads the model's E_K and gating shift, so its current shows both electrolyte paths."""

    states = (State("x", "1", "gate", 0.5),)
    outputs = (Output("I", "uA/cm2", "probe current", adds_to="I_ion", carries=(("K", 1.0),)),)

    @classmethod
    def default_parameters(cls):
        return {"g": Parameter(1e-9, "mS/cm2", "test: tiny, so the host model is unchanged", "", (0.0, 100.0))}

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
    x = model.state_index.get("probe.x", model.state_index.get("probe.x[0]"))  # a cable: compartment 0
    return float(y[x]) + float(np.ravel(obs["E_K"])[0]) / 1000.0


def _expected(model, params):
    shift = surface_shift(model, params)
    p = {**{k: model.parameters[k].value for k in ("K_o", "K_i", "celsius")}, **params}
    e_k = float(nernst(p["K_o"], p["K_i"], 1, p["celsius"]))
    return 1.0 / (1.0 + np.exp(-(-60.0 - shift + 40.0) / 10.0)) + e_k / 1000.0


def _compose(host, **probe):
    """``host`` plus a probe channel (one per compartment in a cable), as a user composes it."""
    return Model(f"{host.name}+probe", host.components + [ProbeK("probe", compartments=host.n_compartments,
                                                                   **probe)])


@pytest.fixture(scope="module", params=list(FACTORIES))
def composed(request):
    host = FACTORIES[request.param]()
    return host, _compose(host)


def test_composed_model_keeps_its_electrolytes(composed):
    host, model = composed
    for name in ("celsius", "Na_o", "K_o", "Cl_o", "Ca_o", "Mg_o", "HCO3_o", "Na_i", "K_i"):
        assert model.parameters[name] == host.parameters[name], name
    assert surface_shift(model, {"Ca_o": 0.8}) == surface_shift(host, {"Ca_o": 0.8}) < 0.0
    # the host's own currents are the same in the composed model (the probe conducts ~nothing)
    y = model.quasi_steady_state(-70.0)
    y_host = host.quasi_steady_state(-70.0)
    i_host = host.observables(0.0, y_host)["I_ion"]
    np.testing.assert_allclose(model.observables(0.0, y)["I_ion"], i_host, rtol=1e-6)


def test_composed_model_keeps_what_the_factory_declared(composed):
    host, model = composed
    assert model.stiff == host.stiff and model.equilibrium_finder is host.equilibrium_finder
    assert model.aliases == host.aliases
    # a cable's band: one more state per compartment (the probe's gate)
    band = None if host.jacobian_bandwidth is None else tuple(b + 1 for b in host.jacobian_bandwidth)
    assert model.jacobian_bandwidth == band
    assert set(model.submodels) == set(host.submodels)
    assert {k: v for k, v in model.labels.items()} == host.labels
    assert model.electrolytes == host.electrolytes
    # the declared initial state (muscle_ec: Ca and Mg pools built to the resting free Ca and Mg)
    for name in host.state_names:
        assert model.initial_state[model.state_index[name]] == host.initial_state[host.state_index[name]], name
    for key in ("node_compartments", "stim_area_cm2", "geometry", "force", "axon_potential"):
        if key in host.__dict__:
            assert np.all(getattr(model, key) == getattr(host, key)), key


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


# a K channel that conducts: it moves the rest of the fibre, which the finders must see
_CONDUCTING = {"parameters": {"g": 20.0}}


@pytest.mark.parametrize("name", ["muscle_ec", "nerve_muscle"])
def test_rest_of_composed_model_with_submodels_sees_the_new_channel(name):
    # the rest comes from the sub-models' finders (the fibre's, then the Ca system relaxed at it);
    # the channel joins the fibre sub-model, so the rest is an equilibrium of the composed model
    host = FACTORIES[name]()
    model = _compose(host, **_CONDUCTING)
    fibre = model.fibre if name == "muscle_ec" else model.muscle.fibre
    assert "probe" in [c.name for c in fibre.components]
    if name == "nerve_muscle":
        assert "probe" not in [c.name for c in model.axon.components]  # it reads the fibre's V
    rest, rest_host = resting_state(model), resting_state(host)
    assert rest.v < rest_host.v - 0.5  # the probe's K current hyperpolarises the fibre (~0.9 mV)
    alone = resting_state(_compose(nm.muscle_fibre(), **_CONDUCTING))
    assert rest.v == pytest.approx(alone.v, abs=1e-6)  # the fibre with the channel, on its own
    # an equilibrium of the composed model: the probe's gate at rest (1e-9 per ms) and V as near rest
    # as the host's own (5.0e-5 mV/ms: the fibre's finder holds the pumps' MgATP at the fibre's fixed
    # ATP_i, the Ca system then relaxes it), not the 2e-3 mV/ms of a rest that missed the probe
    d, d_host = model.rhs(0.0, rest.y), host.rhs(0.0, rest_host.y)
    assert abs(d[model.state_index["probe.x"]]) < 1e-9
    assert abs(d[model.state_index["V"]]) < 2.0 * abs(d_host[host.state_index["V"]]) + 1e-9


def test_channel_on_the_chain_axon_joins_the_axon():
    host = nm.nerve_muscle()
    model = _compose(host, inputs={"V": "V_axon", "E": "E_K_axon", "dV_surface": "dV_surface_axon"},
                     rename={"I_ion": "I_ion_axon"}, **_CONDUCTING)
    assert "probe" in [c.name for c in model.axon.components]
    assert "probe" not in [c.name for c in model.muscle.components]
    rest = resting_state(model)
    d = model.rhs(0.0, rest.y)
    assert abs(d[model.state_index["V_axon"]]) < 1e-9 and abs(d[model.state_index["probe.x"]]) < 1e-9
    alone = resting_state(_compose(nm.motor_axon(), **_CONDUCTING))
    assert rest.y[model.state_index["V_axon"]] == pytest.approx(alone.v, abs=1e-6)
    assert alone.v < resting_state(nm.motor_axon()).v - 0.01  # the node's rest moves by 0.03 mV


def test_cable_composition_keeps_rest_finder_and_band():
    # the myelinated axon's rest is Newton on the banded cable: with the channel in every
    # compartment the band grows by one state per compartment and the rest holds everywhere
    host = FACTORIES["motor_axon_myelinated"]()
    model = _compose(host, **_CONDUCTING)
    assert model.jacobian_bandwidth == (host.jacobian_bandwidth[0] + 1,) * 2
    rest = resting_state(model)
    # Newton's residual: 3e-7 mV/ms in the internodes' periaxonal potential (tiny myelin capacitance),
    # as in the published cable
    assert np.max(np.abs(model.rhs(0.0, rest.y))) < 1e-6
    assert rest.v < resting_state(host).v - 0.1  # more K conductance: a more negative rest


def test_chain_has_one_calcium_that_reaches_axon_junction_and_muscle():
    # a ca sweep on the chain moves every compartment that reads Ca, each as the same part does on
    # its own at that Ca (axon, nerve terminal, fibre; tolerance 1e-9 relative)
    chain = nm.nerve_muscle()
    assert [n for n in chain.parameter_names if n.startswith(("Ca_o", "Mg_o"))] == ["Ca_o", "Mg_o"]
    readers = {c.name for c in chain.components if "Ca_o" in c.inputs.values()}
    assert {"axon_surface", "surface", "nmj"} <= readers
    axon, muscle, terminal = nm.motor_axon(), nm.muscle_ec(), nm.nerve_muscle(muscle=None)
    v_axon = chain.initial_state[chain.state_index["V_axon"]]

    def parts(model, params, ctx):
        p = model.parameter_vector(params)
        obs = model.observables(0.0, model.quasi_steady_state(-60.0, p), p)
        return np.array([obs["I_ion_axon"], obs["nmj.J"], obs["I_ion"]], dtype=float)

    def alone(ca):
        out = []
        for m, v, key in ((axon, v_axon, "I_ion"), (terminal, v_axon, "nmj.J"), (muscle, -60.0, "I_ion")):
            p = m.parameter_vector({"Ca_o": ca})
            out.append(float(m.observables(0.0, m.quasi_steady_state(v, p), p)[key]))
        return np.array(out)

    metrics = [lambda m, pr, c, k=k: parts(m, pr, c)[k] for k in range(3)]
    for f, n in zip(metrics, ("axon", "junction", "muscle")):
        f.__name__ = n
    cas = [0.6, 1.2, 2.4]
    ds = sweep(chain, {"ca": cas}, metrics=metrics, progress=False)
    assert (ds["error"] == "").all()
    got = np.array([[float(ds[n].sel(ca=ca)) for n in ("axon", "junction", "muscle")] for ca in cas])
    np.testing.assert_allclose(got, [alone(ca) for ca in cas], rtol=1e-9)
    assert np.all(np.abs(np.diff(got, axis=0)) > 0)  # each part follows Ca
    assert np.all(np.diff(got[:, 1]) > 0)  # more Ca, more Ca entry at the terminal


def test_declarations_are_a_component_without_equations():
    decl = next(c for c in nm.motor_axon_myelinated(n_nodes=3).components if isinstance(c, ModelDeclarations))
    assert decl.states == () and decl.outputs == () and decl.parameters == {}
    with pytest.raises(ValueError, match="jacobian_bandwidth"):
        ModelDeclarations(jacobian_bandwidth=(1,))
