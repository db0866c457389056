"""Model composition: layout, ordering, checks, batch evaluation."""

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.components import Component, Leak, Membrane, Output, Parameter, State
from neuromuscle.model import Model


def test_layout_and_names(hh):
    assert hh.state_names[0] == "V"
    assert set(hh.state_names) == {"V", "na.m", "na.h", "k.n"}
    assert {"na.I", "k.I", "leak.I", "E_Na", "E_K"} <= set(hh.output_names)
    assert hh.sums["I_ion"] == ["leak.I", "na.I", "k.I"] or set(hh.sums["I_ion"]) == {"leak.I", "na.I", "k.I"}
    assert hh.info("na.g").unit == "mS/cm2"
    assert "Hodgkin" in hh.parameters["na.g"].source


def test_every_parameter_has_unit_and_source(hh):
    for name, par in hh.parameters.items():
        assert par.unit, name
        assert par.source, name


def test_batch_evaluation_equals_loop(hh):
    gs = np.array([80.0, 120.0, 160.0])
    p = hh.parameter_vector({"na.g": gs})
    y = hh.quasi_steady_state(-60.0)
    batch = hh.rhs(0.0, y[:, None], p, 3.0)
    for k, g in enumerate(gs):
        single = hh.rhs(0.0, y, hh.parameter_vector({"na.g": g}), 3.0)
        np.testing.assert_allclose(batch[:, k], single, rtol=1e-14)


def test_sum_of_currents_balances_membrane(hh):
    y = hh.quasi_steady_state(-50.0)
    obs = hh.observables(0.0, y)
    assert obs["I_ion"] == pytest.approx(obs["na.I"] + obs["k.I"] + obs["leak.I"])
    assert hh.rhs(0.0, y, None, 2.0)[0] == pytest.approx(2.0 - float(obs["I_ion"]))


def test_unknown_parameter_is_named(hh):
    with pytest.raises(KeyError, match="na.gbar"):
        hh.parameter_vector({"na.gbar": 1.0})


def test_out_of_bounds_parameter_is_named(hh):
    with pytest.raises(ValueError, match="na.g"):
        hh.parameter_vector({"na.g": -5.0})
    with pytest.raises(ValueError, match="celsius"):
        hh.parameter_vector({"celsius": 300.0})


def test_with_parameters_returns_new_model(hh):
    m2 = hh.with_parameters(na__g=100.0, celsius=20.0)
    assert m2.parameters["na.g"].value == 100.0
    assert hh.parameters["na.g"].value == 120.0
    assert m2.parameters["celsius"].value == 20.0


def test_missing_input_is_reported():
    with pytest.raises(ValueError, match="E_Na"):
        Model(
            "broken",
            [Membrane("membrane"), nm.components.HHSodium("na"), Leak("leak")],
            {"celsius": Parameter(6.3, "degC", "test")},
        )


class _Bad(Component):
    states = ()
    outputs = (Output("I", "mA/cm2", "wrong unit", adds_to="I_ion"),)

    @classmethod
    def default_inputs(cls):
        return {"V": "V"}

    @staticmethod
    def equations(V):
        return (V,)


def test_unit_mismatch_in_sum_is_reported():
    with pytest.raises(ValueError, match="mA/cm2"):
        Model("bad", [Membrane("membrane"), Leak("leak"), _Bad("bad")])


class _A(Component):
    outputs = (Output("x", "1", "x", provides="x"),)

    @classmethod
    def default_inputs(cls):
        return {"y": "y"}

    @staticmethod
    def equations(y):
        return (y,)


class _B(Component):
    outputs = (Output("y", "1", "y", provides="y"),)

    @classmethod
    def default_inputs(cls):
        return {"x": "x"}

    @staticmethod
    def equations(x):
        return (x,)


def test_cycle_is_reported():
    with pytest.raises(ValueError, match="cycle"):
        Model("cyclic", [_A("a"), _B("b")])


def test_equations_signature_checked():
    class _Typo(Component):
        states = (State("q", "1", "q", 0.0),)
        outputs = ()

        @staticmethod
        def equations(qq):
            return (0.0,)

    with pytest.raises(TypeError, match="qq"):
        _Typo("t")


def test_generated_source_calls_each_component_once(hh):
    src = hh.source("rhs")
    for comp in hh.components:
        # a component of parameters only (the environment) has no equations to call
        assert src.count(f"_f_equations_{comp.name}(") == (1 if comp.states or comp.outputs else 0)


def test_describe_lists_sources(hh):
    text = hh.describe()
    assert "Table 3" in text and "mS/cm2" in text


def test_a_component_can_read_another_components_output():
    class _Doubler(Component):
        outputs = (Output("x", "uA/cm2", "twice the leak current"),)

        @classmethod
        def default_inputs(cls):
            return {"i": "leak.I"}

        @staticmethod
        def equations(i):
            return (2.0 * i,)

    m = Model("reader", [_Doubler("double"), Membrane("membrane"), Leak("leak")])
    assert [c.name for c in m.components].index("leak") < [c.name for c in m.components].index("double")
    obs = m.observables(0.0, np.array([-40.0]))
    assert float(obs["double.x"]) == pytest.approx(2.0 * float(obs["leak.I"]))


# ------------------------------------------------------------------ semantic labels
def test_labels_from_components_and_constructor():
    hh = nm.hodgkin_huxley()
    assert hh.label("membrane_potential") == "V"
    assert hh.info("membrane_potential").unit == "mV"
    with pytest.raises(KeyError, match="no label 'force'.*membrane_potential"):
        hh.label("force")
    # a renamed membrane (another compartment) does not claim the label
    two = nm.Model("two", [Membrane("m"), Leak("l"), Membrane("t", rename={"V": "u", "I_ion": "I_t"}),
                           Leak("lt", rename={"V": "u", "I_ion": "I_t"})])
    assert two.label("membrane_potential") == "V"
    tubule_only = nm.Model("t", [Membrane("t", rename={"V": "u", "I_ion": "I_t"}),
                                 Leak("lt", rename={"V": "u", "I_ion": "I_t"})])
    assert "membrane_potential" not in tubule_only.labels
    relabelled = nm.Model("r", hh.components, labels={"membrane_potential": "na.m"})
    assert relabelled.label("membrane_potential") == "na.m"
    with pytest.raises(ValueError, match="not a variable"):
        nm.Model("bad", hh.components, labels={"force": "nothing.here"})
    assert hh.with_parameters(celsius=10.0).labels == hh.labels


def test_results_are_indexable_by_label():
    hh = nm.hodgkin_huxley()
    res = nm.simulate(hh, nm.Step(10.0), 5.0)
    np.testing.assert_array_equal(res["membrane_potential"], res["V"])


def test_sources_cite_the_registry():
    # a parameter's source is a registered reference plus where in it (Hodgkin & Huxley
    # 1952, Table 3: g_Na = 120 mS/cm2)
    from neuromuscle.citations import REFERENCES, cite

    hh = nm.hodgkin_huxley()
    assert hh.parameters["na.g"].source == cite("hodgkin1952", "Table 3 (g_Na)")
    assert hh.parameters["na.g"].value == 120.0
    assert hh.citation == REFERENCES["hodgkin1952"].full
    with pytest.raises(KeyError, match="registered"):
        cite("nobody2099")
