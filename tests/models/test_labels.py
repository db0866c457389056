"""Every published model answers the semantic labels its kind of cell has, so studies read
membrane potential, force, Ca and ATP without knowing instance names."""

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.model import LABELS

MEMBRANE = {"membrane_potential"}
FIBRE = MEMBRANE | {"tubular_potential"}
JUNCTION = {"axon_potential", "quanta_released", "transmitter_release_rate", "releasable_pool", "endplate_current",
            "endplate_conductance", "endplate_transmitter", "endplate_fibre_area"}
EC = FIBRE | {"force", "ca_release_flux", "ca_uptake_flux", "cytosolic_ca", "mgatp", "atp_use", "pump_atp_use",
              "atp_supply_capacity", "serca_capacity", "sr_free_ca", "terminal_sr_free_ca", "bulk_cytosolic_ca",
              "triadic_cytosolic_ca"}


@pytest.fixture(scope="module")
def ec():
    return nm.muscle_ec()


@pytest.mark.parametrize("factory, expected", [
    ("hodgkin_huxley", MEMBRANE), ("motor_axon", MEMBRANE), ("motor_axon_myelinated", MEMBRANE),
    ("muscle_fibre", FIBRE),
])
def test_published_models_carry_their_labels(factory, expected):
    model = getattr(nm, factory)()
    assert set(model.labels) == expected
    assert model.label("membrane_potential") in model.state_index
    assert set(model.labels) <= set(LABELS)


def test_ec_and_chain_labels(ec):
    assert set(ec.labels) == EC
    assert ec.label("force") == "force" and ec.label("ca_release_flux") == "J_rel"
    assert ec.label("atp_supply_capacity") == "supply.V_supply"
    assert ec.info("cytosolic_ca").unit == "mM" and ec.info("atp_use").unit == "mM/ms"
    assert ec.label("pump_atp_use") == "J_ATP_NaK" and ec.info("pump_atp_use").unit == "mM/ms"
    chain = nm.nerve_muscle(muscle=ec)
    assert set(chain.labels) == EC | JUNCTION
    # the fibre's membrane is the chain's; the axon's potential is moved out of its way
    assert chain.label("membrane_potential") == "V" != chain.label("axon_potential")
    assert chain.label("axon_potential") in chain.state_index


def test_labels_follow_composition(ec):
    # a model recomposed from the components keeps the labels they declare
    again = nm.Model("again", ec.components, ec.global_parameters, stiff=True)
    assert again.labels == ec.labels
    y = ec.initial_state
    obs = ec.observables(0.0, y)
    assert float(obs[ec.label("atp_use")]) == pytest.approx(float(obs["J_ATP"]))
    assert np.isclose(float(obs[ec.label("cytosolic_ca")]), float(obs["Ca_cyt"]))


def test_missing_label_default():
    hh = nm.hodgkin_huxley()
    assert hh.label("force", default="none") == "none"
    with pytest.raises(KeyError, match="no label 'force'"):
        hh.label("force")


def test_endplate_labels(ec):
    # the junction's studies read the end plate by label: the transmitter a quantum puts in,
    # the conductance and the fibre area it charges
    chain = nm.nerve_muscle(muscle=ec)
    assert JUNCTION <= set(chain.labels)
    assert chain.label("endplate_transmitter") == "endplate.A" and "endplate.A" in chain.state_index
    assert chain.label("endplate_conductance") == "endplate.g" and chain.info("endplate_conductance").unit == "mS/cm2"
    assert chain.label("endplate_fibre_area") == "endplate.A_fibre" and "endplate.A_fibre" in chain.parameter_index
    assert chain.info("endplate_fibre_area").unit == "cm2"
    assert {"endplate_conductance", "endplate_transmitter", "endplate_fibre_area"} <= set(LABELS)
