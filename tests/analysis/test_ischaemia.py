"""The ion budget of ischaemia (``nm.analysis.ischaemic_ion_budget``) against hand values."""

import math

import numpy as np
import pytest

import neuromuscle as nm


@pytest.fixture(scope="module")
def axon():
    return nm.motor_axon_myelinated(n_nodes=5)


@pytest.fixture(scope="module")
def budget(axon):
    return nm.analysis.ischaemic_ion_budget(axon, minutes=10.0)


def test_volumes_are_the_mrg_cylinders_by_hand(axon, budget):
    # 5 nodes (1 um long, node diameter), 4 internodes of 2 MYSA (3 um), 2 FLUT and 6 STIN
    # (axon diameter); periaxonal annuli 2 nm (MYSA) and 4 nm (FLUT, STIN) wide
    g = axon.geometry

    def cyl(d, length):
        return math.pi * (d / 2) ** 2 * length  # um3

    def ring(d, w, length):
        return math.pi * ((d / 2 + w) ** 2 - (d / 2) ** 2) * length

    axo = 5 * cyl(g.node_diameter, 1.0) + 4 * (2 * cyl(g.mysa_diameter, 3.0) + 2 * cyl(g.axon_diameter, g.flut_length)
                                               + 6 * cyl(g.axon_diameter, g.stin_length))
    peri = 4 * (2 * ring(g.mysa_diameter, 0.002, 3.0) + 2 * ring(g.axon_diameter, 0.004, g.flut_length)
                + 6 * ring(g.axon_diameter, 0.004, g.stin_length))
    assert budget.axoplasm_volume == pytest.approx(axo * 1e-3, rel=1e-9)  # um3 = 1e-15 L = 1e-3 pL
    assert budget.periaxonal_volume == pytest.approx(peri * 1e-3, rel=1e-9)


def test_rates_follow_from_the_pump_current_by_hand(budget):
    f = 96485.33212
    assert budget.na_influx == pytest.approx(3.0 * budget.pump_current, rel=1e-12)
    na_rate = 3.0 * budget.pump_current * 1e-9 / f / (budget.axoplasm_volume * 1e-12) * 1e3 * 60.0
    assert budget.na_rise_rate == pytest.approx(na_rate, rel=1e-9)
    assert budget.na_i_after == pytest.approx(budget.na_i_rest + 10.0 * na_rate, rel=1e-12)
    # the pump's cubic Na activation, K_mNa 10 mM
    ratio = ((budget.na_i_after / (budget.na_i_after + 10.0)) / (budget.na_i_rest / (budget.na_i_rest + 10.0))) ** 3
    assert budget.pump_activity_at_release == pytest.approx(ratio, rel=1e-12)
    assert budget.released_params(3.0) == {"pump": 1.0, "Na_i": budget.na_i_after, "dK_periaxonal": 3.0}
    assert budget.ischaemic_params()["pump"] == 0.0


def test_pump_current_is_the_resting_na_influx_the_density_was_derived_from(axon, budget):
    # the pump's density was derived from the channels' Na currents at rest (its source gives
    # them) plus its own Na background, equal to the pump current: 3 I_p = I_channels + I_p; the
    # budget reads I_p back from the pump's own activation
    import re

    channels = float(re.search(r"\(([0-9.]+) nA\)", axon.parameters["pump_nak.I_max"].source).group(1))
    assert budget.pump_current == pytest.approx(channels / 2.0, rel=2e-3)
    assert budget.na_influx == pytest.approx(1.5 * channels, rel=2e-3)


def test_bad_input_names_the_argument(axon):
    with pytest.raises(ValueError, match="minutes"):
        nm.analysis.ischaemic_ion_budget(axon, minutes=-1.0)
    with pytest.raises(ValueError, match="pump"):
        nm.analysis.ischaemic_ion_budget(nm.motor_axon_myelinated(n_nodes=3, pump_density=0))
    with pytest.raises(ValueError, match="motor_axon_myelinated"):
        nm.analysis.ischaemic_ion_budget(nm.motor_axon())


def test_activity_load_follows_its_balance_by_hand(axon, budget):
    load = nm.analysis.activity_sodium_load(axon, rate=8.0, minutes=10.0)
    f = 96485.33212
    q_mM = load.na_per_ap * 1e-12 / f / (budget.axoplasm_volume * 1e-12) * 1e3
    assert load.na_per_ap_mM == pytest.approx(q_mM, rel=1e-12)
    tau = budget.na_recovery_tau
    expected = budget.na_i_rest + 8.0 * 60.0 * q_mM * tau * (1.0 - math.exp(-10.0 / tau))
    assert load.na_i_after == pytest.approx(expected, rel=1e-12)
    assert load.after_params() == {"Na_i": load.na_i_after, "pump": 1.0}
    # charge conservation: the Na of one AP at least charges every node's membrane (2 uF/cm2,
    # node area pi d 1 um) through a 100 mV upstroke, in pC
    g = axon.geometry
    c_nodes = axon.n_nodes * 2.0e-6 * math.pi * g.node_diameter * 1e-4 * 1e-4  # F
    assert load.na_per_ap > c_nodes * 0.1 * 1e12


def test_activity_load_bad_input_names_the_argument(axon):
    with pytest.raises(ValueError, match="rate"):
        nm.analysis.activity_sodium_load(axon, rate=0.0)
    with pytest.raises(RuntimeError, match="amplitude_nA"):
        nm.analysis.activity_sodium_load(axon, amplitude_nA=1e-6)


def test_pumps_at_the_nodes_keep_the_total_and_move_the_current_by_hand(axon, budget):
    # pump_nodal_share puts that share of the same total current on the nodal membrane: the
    # weights (density over the mean) are share x A/A_node at nodes and (1 - share) x A/A_inter
    # elsewhere; the whole budget but the periaxonal K (the internode's pumps) is unchanged
    area = axon.component("cable").constants["area"]
    node = axon.compartment_kind == "node"
    for share in (0.25, 1.0):
        moved = nm.motor_axon_myelinated(n_nodes=5, pump_nodal_share=share)
        w = moved.component("pump_nak").constants["weight"]
        assert w[node] == pytest.approx(share * area.sum() / area[node].sum(), rel=1e-12)
        assert w[~node] == pytest.approx((1 - share) * area.sum() / area[~node].sum(), rel=1e-12)
        assert float(w @ area) == pytest.approx(float(area.sum()), rel=1e-12)
        b = nm.analysis.ischaemic_ion_budget(moved, minutes=10.0)
        assert b.pump_current == pytest.approx(budget.pump_current, rel=1e-9)
        assert b.na_i_after == pytest.approx(budget.na_i_after, rel=1e-9)
        # the periaxonal K rise comes from the internodal pumps' share of the current alone:
        # uniform density puts 1 - A_node/A of it there
        uniform_inter = 1.0 - area[node].sum() / area.sum()
        assert b.periaxonal_k_rise_rate == pytest.approx(budget.periaxonal_k_rise_rate * (1 - share) / uniform_inter,
                                                         rel=1e-9, abs=1e-12)
    assert np.all(axon.component("pump_nak").constants["weight"] == 1.0)  # default: one density
    with pytest.raises(ValueError, match="pump_nodal_share"):
        nm.motor_axon_myelinated(n_nodes=3, pump_nodal_share=1.5)


def test_derived_pump_balances_the_axons_k_at_rest(axon, budget):
    # At a steady state the axolemma's net current is zero and only Na and K carry it; the derived
    # pump carries out the channels' Na influx plus its own Na background (3 per charge), so the
    # channels' K efflux equals the pump's 2 K per charge: the whole axon's net K current is zero.
    from neuromuscle.analysis.ischaemia import _k_current
    from neuromuscle.models.myelinated_axon import cable_rest_state

    pv = axon.parameter_vector()
    y = cable_rest_state(axon, pv)
    area = axon.component("cable").constants["area"]
    i_k = _k_current(axon, y, pv) * area * 1e3  # nA
    efflux = float(np.sum(np.clip(i_k, 0.0, None)))
    assert efflux > 0.05  # the channels do lose K (nA)
    assert abs(float(i_k.sum())) < 1e-9 * efflux
    # stopping the pump in that same state adds its internodal K uptake to the space's balance:
    # the budget's no-clearance rise (2 K per charge over the periaxonal volume), in mM/s
    on = nm.analysis.periaxonal_k_flux(axon, None, y)
    off = nm.analysis.periaxonal_k_flux(axon, {"pump": 0.0}, y)
    assert off - on == pytest.approx(budget.periaxonal_k_rise_rate, rel=1e-9)


def test_k_ceiling_is_where_the_internode_reaches_e_k(axon, budget):
    # Pump blocked: every K path of the internode (slow and fast K, the K shares of leak and HCN)
    # reverses at E_K, so the internode stops losing K where its potential reaches the Nernst E_K of
    # the periaxonal K. Hand check: E_K = (R T / F) ln((K_o + ceiling) / K_i), 37 C.
    from neuromuscle.models.myelinated_axon import cable_rest_state

    params = {"pump": 0.0, "Na_i": budget.na_i_rest}
    ds = nm.analysis.periaxonal_k_balance(axon, params, np.arange(0.0, 16.0, 0.5))
    ceiling = ds.attrs["ceiling"]
    assert 3.0 < ceiling < 16.0
    pv = axon.parameter_vector({**params, "dK_periaxonal": ceiling})
    y = cable_rest_state(axon, pv)
    a, _, c = axon.array_states["V"]
    v = y[a + c * np.arange(axon.n_compartments)]
    inter = axon.compartment_kind != "node"
    area = axon.component("cable").constants["area"]
    v_inter = float((v * area)[inter].sum() / area[inter].sum())
    e_k = 8.314462618 * 310.15 / 96485.33212 * 1e3 * math.log((4.2 + ceiling) / axon.parameters["K_i"].value)
    assert v_inter == pytest.approx(e_k, abs=0.5)  # mV; the grid's linear interpolation of the ceiling
    # below the ceiling K accumulates, above it the space loses K, and the accumulation falls as the
    # excess rises: no clearance gives two stable excesses
    acc = ds["accumulation"].values
    assert np.all(acc[ds["excess"].values < ceiling] > 0) and np.all(acc[ds["excess"].values > ceiling] < 0)
    assert ds.attrs["two_stable_states"] == 0 and ds.attrs["depletes"] == 0


def test_k_balance_bad_input_names_the_argument(axon):
    with pytest.raises(ValueError, match="excess"):
        nm.analysis.periaxonal_k_balance(axon, excess=[0.0, 2.0, 1.0])
    with pytest.raises(ValueError, match="excess"):
        nm.analysis.periaxonal_k_balance(axon, excess=[-1.0, 2.0])
    with pytest.raises(ValueError, match="motor_axon_myelinated"):
        nm.analysis.periaxonal_k_flux(nm.motor_axon())
