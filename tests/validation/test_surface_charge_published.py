"""Divalent-cation shifts of Na-channel gating against Hille, Woodhull & Shapiro (1975).

Source: Hille B, Woodhull AM, Shapiro BI (1975) Negative surface charge near sodium
channels of nerve: divalent ions, monovalent ions, and pH. Phil Trans R Soc Lond B
270:301-318 (frog node of Ranvier; abstract): "a tenfold increase of concentration of
any of these [divalent] ions gives a shift of +20 to +25 mV"; "no added divalent ions
give a shift of -18 mV relative to 2 mM Ca"; potency order Ba = Sr < Mg < Ca.
Solution: frog Ringer approximated as 110 mM NaCl (K and buffer neglected), 20 C, pH 7.4.
"""

import pytest

from neuromuscle.electrochem import HILLE_1975, gating_shift


def ringer(ca=0.0, mg=0.0):
    return {"Na": 110.0, "Cl": 110.0 + 2 * ca + 2 * mg, "Ca": ca, "Mg": mg}


def test_tenfold_calcium_shifts_na_activation_20_to_25_mV():
    assert 20.0 <= gating_shift(ringer(ca=20.0), ringer(ca=2.0), HILLE_1975, 20.0) <= 25.0


def test_divalent_free_shift_about_minus_18_mV():
    assert gating_shift(ringer(), ringer(ca=2.0), HILLE_1975, 20.0) == pytest.approx(-18.0, abs=1.5)


def test_equimolar_magnesium_shifts_less_than_calcium():
    ca = gating_shift(ringer(ca=2.0), ringer(), HILLE_1975, 20.0)
    mg = gating_shift(ringer(mg=2.0), ringer(), HILLE_1975, 20.0)
    assert 0.0 < mg < ca
    # and a tenfold rise of Mg still lies in the published +20..+25 mV band ("any of these ions")
    assert 20.0 <= gating_shift(ringer(mg=20.0), ringer(mg=2.0), HILLE_1975, 20.0) <= 25.0
