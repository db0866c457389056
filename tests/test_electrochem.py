"""Electrochemistry against hand-computed values, plus invariants (hypothesis)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuromuscle import electrochem as ec
from neuromuscle.constants import FARADAY, GAS_CONSTANT

conc = st.floats(min_value=1e-4, max_value=1000.0)
temp = st.floats(min_value=0.0, max_value=50.0)
valence = st.sampled_from([-2, -1, 1, 2])
volt = st.floats(min_value=-150.0, max_value=150.0)


# ---------------------------------------------------------------- hand-computed values
def test_thermal_voltage_values():
    # R T / F = 8.314462618 * 310.15 / 96485.33212 = 0.02672666 V
    assert ec.thermal_voltage(37.0) == pytest.approx(26.72666, abs=1e-5)
    assert ec.thermal_voltage(6.3) == pytest.approx(8.314462618 * 279.45 / 96485.33212 * 1e3, rel=1e-12)


def test_nernst_potassium_muscle():
    # 26.72666 mV * ln(4/155) = 26.72666 * (-3.657131) = -97.743 mV
    assert ec.nernst(4.0, 155.0, 1, 37.0) == pytest.approx(-97.743, abs=1e-3)


def test_nernst_calcium_divalent():
    # (26.72666/2) * ln(2 / 1e-4) = 13.36333 * 9.903488 = 132.344 mV
    assert ec.nernst(2.0, 1e-4, 2, 37.0) == pytest.approx(132.344, abs=1e-3)


def test_nernst_chloride_anion_sign():
    # Cl: z = -1, Clo 120, Cli 10 -> -26.72666 * ln 12 = -66.413 mV
    assert ec.nernst(120.0, 10.0, -1, 37.0) == pytest.approx(-66.413, abs=1e-3)


def test_ghk_current_at_zero_volts_is_limit():
    # I(0) = z F P (ci - co) = 96485.33212 * 1e-5 * (10 - 100) = -86.836798908 uA/cm2
    assert ec.ghk_current(0.0, 1e-5, 100.0, 10.0, 1, 37.0) == pytest.approx(-86.836798908, rel=1e-10)


def test_ghk_current_hand_value():
    # V = -80 mV, K: P = 1e-6 cm/s, co = 4, ci = 155, 37 C.
    u = -80.0 / (GAS_CONSTANT * 310.15 / FARADAY * 1e3)
    expected = FARADAY * 1e-6 * u * (155.0 - 4.0 * math.exp(-u)) / (1.0 - math.exp(-u))
    assert ec.ghk_current(-80.0, 1e-6, 4.0, 155.0, 1, 37.0) == pytest.approx(expected, rel=1e-12)
    # hand: u = -2.99327, e^-u = 19.9507; I = 0.0964853 * -2.99327 * (155 - 79.80)/(1-19.95) = 1.1460
    assert expected == pytest.approx(1.1460, abs=2e-4)


def test_ghk_flux_is_current_over_zF():
    i = ec.ghk_current(-30.0, 2e-6, 2.0, 1e-4, 2, 37.0)
    j = ec.ghk_flux(-30.0, 2e-6, 2.0, 1e-4, 2, 37.0)
    assert j == pytest.approx(i * 1e-6 / (2 * FARADAY) * 1e12, rel=1e-12)


def test_ghk_voltage_monovalent_closed_form():
    # PK:PNa:PCl = 1:0.05:0.5, Ko 4, Nao 140, Clo 120, Ki 150, Nai 10, Cli 10, 37 C
    num = 1 * 4 + 0.05 * 140 + 0.5 * 10
    den = 1 * 150 + 0.05 * 10 + 0.5 * 120
    expected = 26.726659 * math.log(num / den)  # = -68.8718 mV
    v = ec.ghk_voltage([1, 0.05, 0.5], [4, 140, 120], [150, 10, 10], [1, 1, -1], 37.0)
    assert v == pytest.approx(expected, abs=1e-4)


def test_ghk_voltage_with_divalent_has_zero_net_current():
    p, co, ci, z = [1e-6, 5e-8, 1e-7], [4.0, 140.0, 2.0], [150.0, 10.0, 1e-4], [1, 1, 2]
    v = ec.ghk_voltage(p, co, ci, z, 37.0)
    total = sum(ec.ghk_current(v, *args, 37.0) for args in zip(p, co, ci, z))
    assert abs(total) < 1e-9
    e = [ec.nernst(c_o, c_i, zz, 37.0) for c_o, c_i, zz in zip(co, ci, z)]
    assert min(e) < v < max(e)


def test_broadcasting():
    v = ec.nernst(np.array([2.0, 4.0, 8.0]), 150.0, 1, np.array([[20.0], [37.0]]))
    assert v.shape == (2, 3)
    vg = ec.ghk_voltage([[1.0, 1.0], [0.05, 0.1]], [[4, 4], [140, 140]], [[150, 150], [10, 10]], [[1], [1]])
    assert vg.shape == (2,) and vg[1] > vg[0]


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: ec.nernst(-1.0, 150.0, 1), "c_out"),
        (lambda: ec.nernst(4.0, 0.0, 1), "c_in"),
        (lambda: ec.nernst(4.0, 150.0, 0), "z"),
        (lambda: ec.nernst(4.0, 150.0, 1.5), "z"),
        (lambda: ec.nernst(4.0, 150.0, 1, 310.0), "celsius"),
        (lambda: ec.nernst(4.0, 150.0, 1, -5.0), "celsius"),
        (lambda: ec.ghk_current(0.0, -1e-6, 4.0, 150.0, 1), "permeability"),
        (lambda: ec.ghk_voltage([0.0, 0.0], [4, 140], [150, 10], [1, 1]), "permeability"),
        (lambda: ec.nernst(4.0e6, 150.0, 1), "c_out"),
    ],
)
def test_bad_input_names_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_error_states_value_and_range():
    with pytest.raises(ValueError) as err:
        ec.nernst(4.0, 150.0, 1, 310.0)
    msg = str(err.value)
    assert "310" in msg and "[0, 50]" in msg and "degC" in msg


# ---------------------------------------------------------------- properties
@settings(max_examples=200, deadline=None)
@given(co=conc, ci=conc, z=valence, t=temp)
def test_nernst_antisymmetric(co, ci, z, t):
    assert ec.nernst(co, ci, z, t) == pytest.approx(-ec.nernst(ci, co, z, t), abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(co=conc, ci=conc, z=valence, t=temp)
def test_ghk_one_ion_equals_nernst(co, ci, z, t):
    v = ec.ghk_voltage([1e-6], [co], [ci], [z], t)
    assert v == pytest.approx(ec.nernst(co, ci, z, t), abs=1e-7)


@settings(max_examples=200, deadline=None)
@given(co=conc, ci=conc, z=valence, t=temp, p=st.floats(1e-9, 1e-3))
def test_ghk_current_zero_at_reversal(co, ci, z, t, p):
    e = ec.nernst(co, ci, z, t)
    scale = abs(z) * 96485.33212 * p * max(co, ci)
    assert abs(ec.ghk_current(e, p, co, ci, z, t)) <= 1e-9 * scale


@settings(max_examples=200, deadline=None)
@given(co=conc, ci=conc, z=valence, t=temp)
def test_ghk_current_continuous_at_zero(co, ci, z, t):
    at0 = ec.ghk_current(0.0, 1e-6, co, ci, z, t)
    near = ec.ghk_current(np.array([-1e-7, 1e-7]), 1e-6, co, ci, z, t)
    assert at0 == pytest.approx(z * 96485.33212 * 1e-6 * (ci - co), rel=1e-9, abs=1e-15)
    # |dI/dV| <= |z| F P max(c) |z|/(RT/F) * O(1): a 1e-7 mV step changes I by < 1e-7 relative
    assert np.all(np.abs(near - at0) <= 1e-6 * (abs(at0) + abs(z) * 0.0965 * max(co, ci)))


@settings(max_examples=100, deadline=None)
@given(co=conc, ci=conc, z=valence, t=temp, v1=volt, v2=volt)
def test_ghk_current_increases_with_voltage(co, ci, z, t, v1, v2):
    lo, hi = min(v1, v2), max(v1, v2)
    assert ec.ghk_current(hi, 1e-6, co, ci, z, t) >= ec.ghk_current(lo, 1e-6, co, ci, z, t) - 1e-12


def test_one_ion_table_behind_every_valence_table():
    # the electrolyte fields, the surface-charge ions and the reversal potentials all read
    # neuromuscle.ions.IONS (valence of Ca 2, of Cl -1; Ca 40.078 g/mol: IUPAC standard weight)
    from neuromuscle import electrochem, electrolytes
    from neuromuscle.components.ghk import Nernst
    from neuromuscle.ions import IONS

    assert IONS["Ca"].valence == 2 and IONS["Cl"].valence == -1 and IONS["Ca"].molar_mass == 40.078
    for ion in IONS.values():
        assert electrolytes.VALENCE[ion.field] == electrochem.SURFACE_ION_VALENCE[ion.name] == ion.valence
        assert electrolytes.PARAMETER_OF_FIELD[ion.field] == ion.outside
        if ion.inside:
            assert Nernst(f"E_{ion.name}", ion.name).z == ion.valence
            assert electrolytes.PARAMETER_OF_FIELD[f"{ion.field}_in"] == ion.inside
