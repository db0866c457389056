"""Gouy-Chapman-Stern surface potential: hand-worked example, invariants, robustness."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuromuscle.electrochem import (
    HILLE_1975,
    ChargeGroup,
    SurfaceCharge,
    gating_shift,
    surface_potential,
    water_permittivity,
)

SINGLE = SurfaceCharge((ChargeGroup(-0.4),), k_ca=0.0, k_mg=0.0)  # 1 e per 250 A^2, no binding


def test_worked_example_screening_only():
    # 110 mM NaCl + 2 mM CaCl2, 20 C, eps_r 80, sigma = -1 e/250 A^2 = -0.0640871 C/m2.
    # 2 eps eps0 R T = 3.452970e-6; S = sigma^2 / that = 1189.455 mM;
    # S(u) = 110 (u-1) + 114 (1/u - 1) + 2 (u^2 - 1) = 1189.455 -> u = 10.69223
    # psi = -(RT/F) ln u = -25.26171 mV * 2.36949 = -59.858 mV
    psi = surface_potential({"Na": 110.0, "Cl": 114.0, "Ca": 2.0}, SINGLE, 20.0, eps_r=80.0)
    assert psi == pytest.approx(-59.858, abs=1e-3)


def test_worked_example_with_binding():
    # Same surface, K_Ca = 28 /M, complex keeps +1: b = 28 * 0.002 * u^2; at the solution
    # psi = -27.0095 mV (u = 2.91301, surface Ca 16.97 mM, b = 0.4752,
    # sigma = sigma_T (1 - b)/(1 + b) = -0.022799 C/m2, which the Grahame side matches).
    surf = SurfaceCharge((ChargeGroup(-0.4),), k_ca=28.0, k_mg=0.0, complex_charge=1)
    psi = surface_potential({"Na": 110.0, "Cl": 114.0, "Ca": 2.0}, surf, 20.0, eps_r=80.0)
    assert psi == pytest.approx(-27.0095, abs=1e-3)


def test_water_permittivity():
    # Malmberg & Maryott 1956: 80.10 at 20 C, 74.15 at 37 C (their eq. 6)
    assert water_permittivity(20.0) == pytest.approx(80.10, abs=0.01)
    assert water_permittivity(37.0) == pytest.approx(74.15, abs=0.01)


def test_more_salt_screens_more():
    psi = surface_potential({"Na": np.array([50.0, 100.0, 200.0]), "Cl": np.array([50.0, 100.0, 200.0])})
    assert np.all(np.diff(psi) > 0) and np.all(psi < 0)


@settings(max_examples=60, deadline=None)
@given(
    na=st.floats(0.0, 100.0), k=st.floats(0.0, 100.0), ca=st.floats(0.0, 100.0),
    mg=st.floats(0.0, 100.0), cl=st.floats(0.0, 100.0), t=st.floats(0.0, 50.0),
)
def test_solves_everywhere_in_0_to_100_mM(na, k, ca, mg, cl, t):
    conc = {"Na": na, "K": k, "Ca": ca, "Mg": mg, "Cl": cl}
    if na + k + ca + mg + cl == 0:
        return
    psi = surface_potential(conc, HILLE_1975, t)
    assert np.isfinite(psi) and -500.0 < psi < 500.0


@settings(max_examples=60, deadline=None)
@given(ca=st.floats(0.0, 50.0), extra=st.floats(0.01, 50.0))
def test_more_divalent_makes_surface_less_negative(ca, extra):
    base = {"Na": 140.0, "Cl": 140.0}
    a = surface_potential({**base, "Ca": ca}, HILLE_1975, 37.0)
    b = surface_potential({**base, "Ca": ca + extra}, HILLE_1975, 37.0)
    assert b > a


def test_gating_shift_sign_and_zero():
    ref = {"Na": 110.0, "Cl": 114.0, "Ca": 2.0}
    assert gating_shift(ref, ref) == 0.0
    assert gating_shift({"Na": 110.0, "Cl": 150.0, "Ca": 20.0}, ref) > 0


def test_errors_name_the_ion():
    with pytest.raises(ValueError, match="Ca"):
        surface_potential({"Na": 110.0, "Ca": -1.0})
    with pytest.raises(ValueError, match="Zn"):
        surface_potential({"Na": 110.0, "Zn": 1.0})
    with pytest.raises(ValueError, match="at least one"):
        surface_potential({"Na": 0.0})
