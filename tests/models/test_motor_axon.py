"""Unit tests of the SRB node components and the motor-axon factory."""

import numpy as np
import pytest

from neuromuscle.components.ghk import ghk_current_density
from neuromuscle.components.node_srb import srb_type1, srb_type2, srb_type3
from neuromuscle.electrochem import ghk_current
from neuromuscle.electrolytes import Electrolytes
from neuromuscle.models.motor_axon import _leak_ratio, motor_axon, motor_axon_environment, surface_ions


def test_rate_forms_and_removable_singularities():
    # type1 at V = B is the limit A*C: alpha_m(-18.4) = 1.86 * 10.3 = 19.158 /ms
    assert srb_type1(-18.4, 1.86, -18.4, 10.3) == pytest.approx(19.158, rel=1e-12)
    assert srb_type2(-22.7, 0.086, -22.7, 9.16) == pytest.approx(0.086 * 9.16, rel=1e-12)
    v = np.array([-18.4 - 1e-7, -18.4, -18.4 + 1e-7])
    assert np.ptp(srb_type1(v, 1.86, -18.4, 10.3)) < 1e-6
    # hand value away from the singularity: 1.86 * (0 + 18.4) / (1 - exp(-18.4/10.3))
    assert srb_type1(0.0, 1.86, -18.4, 10.3) == pytest.approx(1.86 * 18.4 / (1 - np.exp(-18.4 / 10.3)))
    assert srb_type3(-28.8, 2.3, -28.8, 13.4) == pytest.approx(1.15)


def test_ghk_density_matches_checked_public_function():
    v = np.linspace(-120, 60, 7)
    expected = ghk_current(v, 1.0, 140.0, 35.0, 1, 37.0)
    np.testing.assert_allclose(ghk_current_density(v, 140.0, 35.0, 1.0, 37.0), expected)


def test_leak_ratio_puts_reversal_at_minus_84():
    from neuromuscle.electrochem import ghk_voltage

    r = _leak_ratio(4.2, 155.0, 140.0, 35.0, 37.0)
    assert ghk_voltage([1.0, r], [4.2, 140.0], [155.0, 35.0], [1, 1], 37.0) == pytest.approx(-84.0, abs=1e-9)


def test_every_parameter_has_unit_and_source():
    m = motor_axon()
    for name, par in m.parameters.items():
        assert par.unit and par.source, name


def test_environment_of_normal_plasma_has_no_shift():
    from neuromuscle.components.surface_charge import surface_shift

    env = motor_axon_environment(Electrolytes.preset("normal"))
    assert env["K_o"] == 4.2 and env["celsius"] == 37.0 and env["Na_i"] == 35.0
    assert surface_shift(motor_axon(), env) == 0.0  # normal plasma is the reference solution
    low = motor_axon_environment(Electrolytes.preset("hypocalcaemia_severe"))
    assert surface_shift(motor_axon(), low) < 0.0  # less Ca screens less: gates shift down


def test_surface_ions_are_electroneutral():
    ions = surface_ions(Electrolytes.preset("hypocalcaemia_severe"))
    charge = ions["Na"] + ions["K"] + 2 * ions["Ca"] + 2 * ions["Mg"] - ions["Cl"] - ions["HCO3"] - ions["A"]
    assert charge == pytest.approx(0.0, abs=1e-12)


def test_nap_fraction_option():
    assert motor_axon(nap_fraction=0.02).parameters["nap.fraction"].value == 0.02
    with pytest.raises(ValueError, match="nap.fraction"):
        motor_axon(nap_fraction=2.0)
