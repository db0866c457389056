"""Electrolyte environment: conversions against hand values, limits, presets, reports."""

import dataclasses
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neuromuscle import electrolytes as el
from neuromuscle.electrolytes import Electrolytes

IONS = ["na", "k", "cl", "ca", "mg", "hco3"]

REQUIRED_PRESETS = [
    "normal",
    "hypocalcaemia_mild",
    "hypocalcaemia_severe",
    "hypomagnesaemia",
    "hypomagnesaemia_combined",
    "hypokalaemia_mild",
    "hypokalaemia_severe",
    "hyponatraemia_mild",
    "hyponatraemia_severe",
    "vitamin_d_deficiency",
    "vitamin_d_deficiency_severe",
    "exercise_hyponatraemia",
]

BATH = dict(na=115.0, k=2.5, cl=120.0, ca=0.0, mg=0.0, hco3=0.0, celsius=20.0)


def flagged(e):
    return {(r.field, r.verdict) for r in e.out_of_range()}


# ---------------------------------------------------------------- unit conversion, hand values
def test_calcium_conversions():
    # 2.5 mmol/L * 40.078 g/mol / 10 = 10.0195 mg/dL; * |z| = 2 -> 5.0 mEq/L
    assert el.from_mM(2.5, "mg/dL", "ca") == pytest.approx(10.0195, abs=1e-10)
    assert round(el.from_mM(2.5, "mg/dL", "ca"), 2) == 10.02
    assert el.from_mM(2.5, "mEq/L", "ca") == pytest.approx(5.0, rel=1e-15)
    assert el.to_mM(10.0195, "mg/dL", "ca") == pytest.approx(2.5, rel=1e-12)
    assert el.to_mM(5.0, "mEq/L", "ca") == pytest.approx(2.5, rel=1e-15)


def test_magnesium_conversions():
    # 0.70 * 24.305 / 10 = 1.70135 mg/dL; 0.70 * 2 = 1.40 mEq/L
    assert el.from_mM(0.70, "mg/dL", "mg") == pytest.approx(1.70135, abs=1e-10)
    assert el.from_mM(0.70, "mEq/L", "mg") == pytest.approx(1.40, rel=1e-15)
    assert el.to_mM(1.70, "mg/dL", "mg") == pytest.approx(0.699444, abs=1e-6)  # 17.0 / 24.305


def test_monovalent_conversions():
    # Na: 140 mM * 22.990 / 10 = 321.86 mg/dL; K: 4.2 * 39.098 / 10 = 16.42116 mg/dL
    assert el.from_mM(140.0, "mg/dL", "na") == pytest.approx(321.86, abs=1e-9)
    assert el.from_mM(4.2, "mg/dL", "k") == pytest.approx(16.42116, abs=1e-9)
    # Cl: 100 mg/dL -> 1000 mg/L / 35.45 = 28.2087 mM; anions: mEq/L = mM too (|z| = 1)
    assert el.to_mM(100.0, "mg/dL", "cl") == pytest.approx(28.208745, abs=1e-6)
    assert el.to_mM(104.0, "mEq/L", "cl") == 104.0
    assert el.to_mM(25.0, "mEq/L", "hco3") == 25.0
    assert el.to_mM(132.0, "mEq/L", "na") == 132.0


def test_unit_and_ion_spellings():
    assert el.to_mM(2.4, "mmol/L", "ca") == 2.4
    assert el.to_mM(2.4, "mM", "ca") == 2.4
    assert el.to_mM(9.6, "MG/DL", "Ca2+") == el.to_mM(9.6, "mg/dL", "ca")
    assert el.to_mM(2.0, " meq/l ", "Magnesium") == 1.0


def test_conversion_of_arrays():
    out = el.to_mM(np.array([2.0, 4.0]), "mEq/L", "ca")
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, [1.0, 2.0], rtol=1e-15)


def test_unknown_unit_error_lists_valid_units():
    with pytest.raises(ValueError, match=r"unit = 'mg/L' is not supported; use one of mM, mmol/L, mEq/L, mg/dL"):
        el.to_mM(1.0, "mg/L", "ca")
    with pytest.raises(ValueError, match="unit = 'umol/L'"):
        el.from_mM(1.0, "umol/L", "ca")


def test_unknown_ion_error_lists_valid_ions():
    with pytest.raises(ValueError, match=r"ion = 'po4' is not known; use one of na, k, cl, ca, mg, hco3"):
        el.to_mM(1.0, "mM", "po4")
    with pytest.raises(ValueError, match="ion = 'glucose'"):
        el.from_mM(1.0, "mg/dL", "glucose")


def test_negative_concentration_is_refused():
    with pytest.raises(ValueError, match=r"value = -1 mg/dL is outside the valid range"):
        el.to_mM(-1.0, "mg/dL", "ca")


@given(
    value=st.floats(min_value=0.0, max_value=1e4, allow_nan=False),
    unit=st.sampled_from(el.UNITS),
    ion=st.sampled_from(IONS),
)
def test_round_trip(value, unit, ion):
    assert el.from_mM(el.to_mM(value, unit, ion), unit, ion) == pytest.approx(value, rel=1e-12, abs=1e-300)
    assert el.to_mM(el.from_mM(value, unit, ion), unit, ion) == pytest.approx(value, rel=1e-12, abs=1e-300)


@given(value=st.floats(min_value=1e-6, max_value=1e4), ion=st.sampled_from(IONS))
def test_meq_is_mmol_times_valence(value, ion):
    assert el.from_mM(value, "mEq/L", ion) == pytest.approx(value * abs(el.VALENCE[ion]), rel=1e-14)


# ---------------------------------------------------------------- total -> ionised
def test_payne_worked_example():
    # 1.83 + 0.02 * (40 - 26) = 1.83 + 0.28 = 2.11 mmol/L
    assert el.payne_adjusted_calcium(1.83, 26.0) == pytest.approx(2.11, abs=1e-12)
    assert el.payne_adjusted_calcium(2.40, 40.0) == pytest.approx(2.40, abs=1e-12)  # reference albumin
    assert el.payne_adjusted_calcium(2.40, 45.0) == pytest.approx(2.30, abs=1e-12)  # high albumin lowers it


def test_ionised_calcium():
    assert el.ionised_calcium(2.5) == pytest.approx(1.2, rel=1e-14)  # 0.48 * 2.5
    assert el.ionised_calcium(1.83, 26.0) == pytest.approx(0.48 * 2.11, rel=1e-12)  # = 1.0128
    assert el.ionised_calcium(2.0, fraction=0.5) == pytest.approx(1.0, rel=1e-14)
    np.testing.assert_allclose(el.ionised_calcium(np.array([2.0, 2.4])), [0.96, 1.152], rtol=1e-14)


def test_ionised_magnesium():
    assert el.ionised_magnesium(0.85) == pytest.approx(0.51, rel=1e-14)  # 0.60 * 0.85
    assert el.ionised_magnesium(0.50, fraction=0.55) == pytest.approx(0.275, rel=1e-14)


def test_total_to_ionised_argument_errors():
    with pytest.raises(ValueError, match=r"fraction = 0.95 is outside the valid range \[0.3, 0.8\]"):
        el.ionised_calcium(2.4, fraction=0.95)
    with pytest.raises(ValueError, match=r"fraction = 0.2 is outside the valid range \[0.4, 0.9\]"):
        el.ionised_magnesium(0.8, fraction=0.2)
    with pytest.raises(ValueError, match=r"total_mM = 9.6 mM is outside the valid range \[0.8, 6\] mM"):
        el.ionised_calcium(9.6)  # mg/dL passed as mM
    with pytest.raises(ValueError, match=r"total_mM = 0 mM"):
        el.ionised_magnesium(0.0)
    # albumin in g/dL passed as g/L: the message says how to fix it
    with pytest.raises(ValueError, match=r"albumin_g_per_L = 3 g/L is outside .*multiply it by 10"):
        el.ionised_calcium(2.0, albumin_g_per_L=3.0)


# ---------------------------------------------------------------- from_clinical
def test_from_clinical_example():
    e = Electrolytes.from_clinical(
        na=(132, "mEq/L"), ca_total=(7.6, "mg/dL"), albumin=(30, "g/L"), mg_total=(1.2, "mg/dL"), k=3.1
    )
    # Ca: 7.6 mg/dL / 4.0078 = 1.896302 mM; Payne + 0.02 * 10 = 2.096302; * 0.48 = 1.006225
    assert e.ca == pytest.approx(1.006225, abs=1e-6)
    # Mg: 1.2 mg/dL / 2.4305 = 0.493726 mM; * 0.60 = 0.296235
    assert e.mg == pytest.approx(0.296235, abs=1e-6)
    assert (e.na, e.k) == (132.0, 3.1)
    assert (e.cl, e.hco3) == (104.0, 25.0)  # not given -> normal preset
    assert e.physiological
    for text in ("Payne", "albumin 30 g/L", "0.48", "0.6", "na 132 mEq/L", "cl, hco3"):
        assert text in e.description


def test_from_clinical_albumin_in_g_per_dL_and_fractions():
    a = Electrolytes.from_clinical(ca_total=(2.0, "mmol/L"), albumin=(3.0, "g/dL"))
    b = Electrolytes.from_clinical(ca_total=2.0, albumin=30.0)
    assert a.ca == pytest.approx(b.ca, rel=1e-15) == pytest.approx(0.48 * 2.2, rel=1e-14)
    c = Electrolytes.from_clinical(ca_total=2.0, mg_total=0.8, ca_fraction=0.45, mg_fraction=0.7)
    assert c.ca == pytest.approx(0.9, rel=1e-14)
    assert c.mg == pytest.approx(0.56, rel=1e-14)
    assert "albumin not given" in c.description


def test_from_clinical_ionised_values_and_intracellular():
    e = Electrolytes.from_clinical(ca=(4.8, "mg/dL"), mg=(1.0, "mEq/L"), k_in=150, celsius=36.5, name="pt 7")
    assert e.ca == pytest.approx(4.8 / 4.0078, rel=1e-12)  # 1.19767 mM
    assert e.mg == pytest.approx(0.5, rel=1e-15)
    assert (e.k_in, e.celsius, e.name) == (150.0, 36.5, "pt 7")


def test_from_clinical_errors():
    with pytest.raises(ValueError, match="either ca .ionised. or ca_total"):
        Electrolytes.from_clinical(ca=1.2, ca_total=2.4)
    with pytest.raises(TypeError, match="unknown field.* phosphate"):
        Electrolytes.from_clinical(phosphate=1.0)
    with pytest.raises(ValueError, match="unit = 'mg/L'"):
        Electrolytes.from_clinical(ca_total=(90, "mg/L"))
    with pytest.raises(ValueError, match="albumin"):
        Electrolytes.from_clinical(ca_total=2.0, albumin=(30, "mg/dL"))
    # the converted value still meets the hard limits: 0.8 mmol/L ionised Mg x 10 by mistake
    with pytest.raises(ValueError, match=r"mg = 8 mM is outside the valid range \[0.05, 6\] mM"):
        Electrolytes.from_clinical(mg=8.0)


# ---------------------------------------------------------------- hard limits
@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("na", 300, r"na = 300 mM is outside the valid range \[80, 230\] mM"),
        ("k", 20, r"k = 20 mM is outside the valid range \[0.8, 15\] mM"),
        ("cl", 40, r"cl = 40 mM is outside the valid range \[50, 160\] mM"),
        ("ca", 2.4, None),  # total Ca passed as ionised is still possible (<= 3.5): accepted
        ("ca", 9.6, r"ca = 9.6 mM is outside the valid range \[0.3, 3.5\] mM"),
        ("mg", 7, r"mg = 7 mM is outside the valid range \[0.05, 6\] mM"),
        ("hco3", 1, r"hco3 = 1 mM is outside the valid range \[2, 60\] mM"),
        ("na_in", 100, r"na_in = 100 mM is outside the valid range \[1, 80\] mM"),
        ("k_in", 30, r"k_in = 30 mM is outside the valid range \[50, 200\] mM"),
        ("cl_in", 200, r"cl_in = 200 mM is outside the valid range \(0, 160\] mM"),
        ("ca_in", 0.1, r"ca_in = 0.1 mM is outside the valid range \(0, 0.01\) mM"),
        ("ca_in", 0.01, r"ca_in = 0.01 mM is outside the valid range \(0, 0.01\) mM"),
        ("mg_in", 6, r"mg_in = 6 mM is outside the valid range \[0.05, 5\] mM"),
        ("celsius", 310.15, r"celsius = 310.15 degC is outside the valid range \[15, 45\] degC"),
        ("celsius", 6.3, r"celsius = 6.3 degC is outside the valid range \[15, 45\] degC"),
    ],
)
def test_hard_limits(field, value, expected):
    if expected is None:
        assert getattr(Electrolytes(**{field: value}), field) == value
        return
    with pytest.raises(ValueError, match=expected) as info:
        Electrolytes(**{field: value})
    assert "Electrolytes.solution()" in str(info.value)


@pytest.mark.parametrize("field", IONS + ["na_in", "k_in", "cl_in", "ca_in", "mg_in"])
@pytest.mark.parametrize("value", [0.0, -1.0])
def test_zero_and_negative_are_refused(field, value):
    with pytest.raises(ValueError, match=rf"{field} = {value:g} mM is outside the valid range"):
        Electrolytes(**{field: value})


def test_limits_are_inclusive_where_stated():
    e = Electrolytes(na=80.0, k=15.0, ca=0.3, mg=6.0, celsius=45.0, na_in=1.0, k_in=200.0, mg_in=0.05)
    assert (e.na, e.k, e.ca) == (80.0, 15.0, 0.3)


def test_all_problems_are_listed_at_once():
    with pytest.raises(ValueError, match=r"na = 300 mM .*; k = 0 mM .*; ca_in = 0.5 mM") as info:
        Electrolytes(na=300, k=0, ca_in=0.5)
    assert "[80, 230]" in str(info.value) and "[0.8, 15]" in str(info.value)


def test_gradient_direction_rule():
    with pytest.raises(ValueError, match=r"na_in = 80 mM must be below na = 80 mM"):
        Electrolytes(na=80.0, na_in=80.0)
    Electrolytes(na=81.0, na_in=80.0)  # a gradient of 1 mM is allowed


@pytest.mark.parametrize(
    "value, exc, text",
    [
        (float("nan"), ValueError, "na must not be NaN"),
        ("140", TypeError, "na must be a single number, got .140."),
        (None, TypeError, "na must be a single number, got None"),
        (True, TypeError, "na must be a single number, got True"),
        (np.array([140.0, 141.0]), TypeError, "na must be a single number"),
        (float("inf"), ValueError, r"na = inf mM is outside"),
    ],
)
def test_non_numbers_are_refused(value, exc, text):
    with pytest.raises(exc, match=text):
        Electrolytes(na=value)


def test_values_are_stored_as_floats_and_text_fields_checked():
    e = Electrolytes(na=np.float32(140), k=4, ca_in=np.float64(1e-4))
    assert type(e.na) is float and type(e.k) is float and type(e.ca_in) is float
    with pytest.raises(TypeError, match="name must be a string"):
        Electrolytes(name=3)


def test_positional_construction_is_refused():
    with pytest.raises(TypeError):
        Electrolytes(140.0, 4.2)


def test_frozen():
    e = Electrolytes()
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.na = 120.0


# ---------------------------------------------------------------- soft (reference) ranges
def test_out_of_range_values_are_allowed_silently():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = Electrolytes(na=118.0, k=2.0, ca=0.5, mg=0.1, ca_in=5e-3, celsius=20.0)
    assert flagged(e) == {("na", "low"), ("k", "low"), ("ca", "low"), ("mg", "low"), ("ca_in", "high"),
                          ("celsius", "low")}


def test_normal_reports_nothing():
    assert Electrolytes.preset("normal").out_of_range() == []
    assert Electrolytes().out_of_range() == []
    assert "All values are within their reference ranges." in Electrolytes().report()


def test_hypokalaemia_severe_reports_k_low():
    (rec,) = Electrolytes.preset("hypokalaemia_severe").out_of_range()
    assert (rec.field, rec.value, rec.low, rec.high, rec.unit, rec.verdict) == ("k", 2.3, 3.5, 5.0, "mM", "low")
    assert "StatPearls" in rec.source


def test_high_verdict_and_bounds_are_inclusive():
    (rec,) = Electrolytes(k=6.0).out_of_range()
    assert (rec.field, rec.verdict) == ("k", "high")
    assert Electrolytes(na=135.0, k=5.0, ca=1.15, mg=0.60).out_of_range() == []


def test_intracellular_values_are_checked_only_when_set():
    assert Electrolytes(k_in=155.0, na_in=12.0, mg_in=0.56, ca_in=1e-4, cl_in=4.0).out_of_range() == []
    assert flagged(Electrolytes(k_in=90.0, na_in=40.0)) == {("k_in", "low"), ("na_in", "high")}


def test_report_text():
    text = Electrolytes.preset("hypokalaemia_severe").report()
    assert "'hypokalaemia_severe'" in text
    assert "k = 2.3 mM is low (reference 3.5-5)" in text
    k_line = next(line for line in text.splitlines() if line.strip().startswith("k "))
    assert k_line.endswith("LOW")
    assert "cell model's own cytosolic values apply: na_in, k_in, cl_in, ca_in, mg_in" in text
    assert "anion gap na - (cl + hco3) = 13 mM" in text


def test_anion_gap():
    assert Electrolytes().anion_gap == pytest.approx(11.0)  # 140 - (104 + 25)


# ---------------------------------------------------------------- replace / as_dict
def test_replace_returns_new_validated_object():
    normal = Electrolytes.preset("normal")
    e = normal.replace(k=3.0)
    assert e.k == 3.0 and normal.k == 4.2
    assert e.name == "normal (modified)"
    assert "k 4.2 -> 3.0" in e.description
    assert e.replace(k=2.0).name == "normal (modified)"  # the suffix is not repeated
    assert normal.replace(k=3.0, name="mine").name == "mine"
    assert normal.replace() == normal
    with pytest.raises(ValueError, match=r"k = 20 mM is outside the valid range \[0.8, 15\] mM"):
        normal.replace(k=20.0)
    with pytest.raises(TypeError, match="unknown field.* potassium"):
        normal.replace(potassium=3.0)


def test_as_dict_round_trip():
    e = Electrolytes.preset("hypomagnesaemia_combined").replace(k_in=150.0)
    d = e.as_dict()
    assert d["mg"] == 0.30 and d["k_in"] == 150.0 and d["na_in"] is None and d["physiological"] is True
    assert set(d) == {f.name for f in dataclasses.fields(Electrolytes)}
    assert Electrolytes(**d) == e


# ---------------------------------------------------------------- presets
def test_required_presets_exist():
    names = el.preset_names()
    assert set(REQUIRED_PRESETS) <= set(names)
    assert names[0] == "normal"
    assert list(el.PRESETS) == names


@pytest.mark.parametrize("name", el.preset_names())
def test_every_preset_is_valid_and_documented(name):
    e = Electrolytes.preset(name)
    assert e is el.PRESETS[name]
    assert e.name == name
    assert e.physiological
    assert len(e.description) > 20 and e.description.endswith(".")
    assert len(e.source) > 20
    assert Electrolytes(**e.as_dict()) == e  # passes the hard limits
    assert all(getattr(e, f) is None for f in el.INTRACELLULAR_FIELDS)
    assert e.celsius == 37.0


def test_normal_preset_equals_defaults():
    assert Electrolytes.preset("normal") == dataclasses.replace(
        Electrolytes(), name="normal", description=el.PRESETS["normal"].description, source=el.PRESETS["normal"].source
    )


@pytest.mark.parametrize(
    "name, flags",
    [
        ("hypocalcaemia_mild", {("ca", "low")}),
        ("hypocalcaemia_severe", {("ca", "low")}),
        ("hypomagnesaemia", {("mg", "low")}),
        ("hypomagnesaemia_combined", {("mg", "low"), ("k", "low"), ("ca", "low")}),
        ("hypokalaemia_mild", {("k", "low")}),
        ("hypokalaemia_severe", {("k", "low")}),
        ("hyponatraemia_mild", {("na", "low"), ("cl", "low")}),
        ("hyponatraemia_severe", {("na", "low"), ("cl", "low")}),
        ("vitamin_d_deficiency", set()),  # compensated: low-normal Ca
        ("vitamin_d_deficiency_severe", {("ca", "low")}),
        ("exercise_hyponatraemia", {("na", "low"), ("cl", "low")}),
    ],
)
def test_preset_flags(name, flags):
    assert flagged(Electrolytes.preset(name)) == flags


def test_preset_grades_follow_the_cited_bands():
    p = el.PRESETS
    normal = p["normal"]
    # hypocalcaemia: severe below mild below normal; severe ionised Ca < 0.9 mmol/L
    assert p["hypocalcaemia_severe"].ca < 0.9 < p["hypocalcaemia_mild"].ca < normal.ca
    # hypomagnesaemia: total 0.50 * 0.60 = ionised 0.30
    assert p["hypomagnesaemia"].mg == pytest.approx(el.ionised_magnesium(0.50))
    assert p["hypomagnesaemia"].k == normal.k and p["hypomagnesaemia"].ca == normal.ca
    # hypokalaemia: mild 3.0-3.5, severe < 2.5 (StatPearls)
    assert 3.0 <= p["hypokalaemia_mild"].k < 3.5 and p["hypokalaemia_severe"].k < 2.5
    # hyponatraemia: mild 130-135, moderate 125-129, profound < 125 (Spasovski 2014)
    assert 130 <= p["hyponatraemia_mild"].na < 135
    assert 125 <= p["hyponatraemia_moderate"].na <= 129
    assert p["hyponatraemia_severe"].na < 125
    assert p["exercise_hyponatraemia"].na < 135
    # vitamin D: compensated Ca low-normal, severe below the normal range
    assert p["vitamin_d_deficiency_severe"].ca < p["vitamin_d_deficiency"].ca < normal.ca


def test_unknown_preset_lists_valid_names():
    with pytest.raises(ValueError, match=r"preset name = 'hypocalcemia' is not known; valid names: normal, ") as info:
        Electrolytes.preset("hypocalcemia")
    assert "exercise_hyponatraemia" in str(info.value)


def test_presets_are_read_only():
    with pytest.raises(TypeError):
        el.PRESETS["normal"] = Electrolytes()


# ---------------------------------------------------------------- bath solutions
def test_solution_allows_divalent_free_bath():
    bath = Electrolytes.solution(**BATH)
    assert (bath.ca, bath.mg, bath.hco3) == (0.0, 0.0, 0.0)
    assert not bath.physiological
    assert bath.name == "solution"
    with pytest.raises(ValueError, match=r"ca = 0 mM is outside the valid range \[0.3, 3.5\] mM"):
        Electrolytes(**BATH)


def test_solution_allows_squid_sea_water_and_cold():
    sea = Electrolytes.solution(na=460.0, k=10.0, cl=540.0, ca=10.0, mg=53.0, hco3=0.0, celsius=6.3)
    assert sea.na == 460.0 and sea.celsius == 6.3
    assert ("na", "high") in flagged(sea)  # compared with human reference values on request
    assert sea.replace(k=20.0).k == 20.0  # replace keeps the solution limits


def test_solution_limits():
    with pytest.raises(ValueError, match=r"ca = -0.1 mM is outside the valid range \[0, 10000\] mM"):
        Electrolytes.solution(**{**BATH, "ca": -0.1})
    with pytest.raises(ValueError, match=r"na = 20000 mM is outside the valid range \[0, 10000\] mM"):
        Electrolytes.solution(**{**BATH, "na": 20000.0})
    with pytest.raises(ValueError, match=r"celsius = 60 degC is outside the valid range \[0, 50\] degC"):
        Electrolytes.solution(**{**BATH, "celsius": 60.0})


def test_solution_requires_every_ion():
    partial = {k: v for k, v in BATH.items() if k != "mg"}
    with pytest.raises(TypeError, match="mg"):
        Electrolytes.solution(**partial)


# ------------------------------------------------------------------ confidence as data
def _all_ranges():
    from neuromuscle.electrolytes import clinical, ranges

    out = {f"HARD_LIMITS[{f!r}]": r for f, r in el.HARD_LIMITS.items()}
    out.update({f"REFERENCE_RANGES[{f!r}]": r for f, r in el.REFERENCE_RANGES.items()})
    out.update({f"_SOLUTION_LIMITS[{f!r}]": r for f, r in ranges._SOLUTION_LIMITS.items()})
    out.update({name: getattr(clinical, name) for name in ("_TOTAL_CA", "_TOTAL_MG", "_ALBUMIN", "_CA_FRACTION",
                                                           "_MG_FRACTION")})
    return out


def test_no_source_text_carries_a_confidence_tag():
    # the confidence is a field; no text holds a "[...]" note or "UNCONFIRMED"
    for name in el.preset_names():
        e = el.PRESETS[name]
        for text in (e.report(), e.source, e.description, str(el.PRESET_DATA[name]["source"])):
            assert "[" not in text and "]" not in text and "UNCONFIRMED" not in text, name
    for where, rng in _all_ranges().items():
        assert "[" not in rng.source and "UNCONFIRMED" not in rng.source, where


def test_confidence_is_a_field_of_ranges_and_presets():
    for where, rng in _all_ranges().items():
        assert rng.confidence in el.CONFIDENCE, where
    assert el.REFERENCE_RANGES["na"].confidence == "confirmed"
    assert el.REFERENCE_RANGES["k"].confidence == "secondary"  # StatPearls via a summary
    assert el.REFERENCE_RANGES["cl"].confidence == "unchecked"
    assert {r.confidence for r in el.HARD_LIMITS.values()} == {"unchecked"}
    for name in el.preset_names():
        e = el.PRESETS[name]
        pairs = e.sources()
        assert len(pairs) == len(e.confidence) >= 1 and all(c in el.CONFIDENCE for _, c in pairs), name
        assert tuple(el.PRESET_DATA[name]["confidence"]) == e.confidence, name
    normal = dict(el.PRESETS["normal"].sources())
    # Na from the European guideline (checked), K via a summary, Cl and HCO3 from laboratory tables (not checked)
    assert [c for claim, c in normal.items() if claim.startswith("Na 140")] == ["confirmed"]
    assert [c for claim, c in normal.items() if claim.startswith("K 4.2")] == ["secondary"]
    assert normal["Cl 104 and HCO3 25 (laboratory tables)"] == "unchecked"
    levels = dict(el.PRESETS["exercise_hyponatraemia"].sources()).values()
    assert list(levels) == ["confirmed", "confirmed", "unchecked", "unchecked"]


def test_confidence_defaults_and_checks():
    assert el.Range(0.0, 1.0, "mM", "z").confidence == "unchecked"
    assert el.Range(0.0, 1.0, "mM", "z", confidence="computed").confidence == "computed"
    with pytest.raises(ValueError, match="confidence"):
        el.Range(0.0, 1.0, "mM", "z", confidence="sure")
    assert el.weakest(["confirmed", "computed", "secondary"]) == "computed" and el.weakest([]) == "unchecked"
    e = Electrolytes(source="lab A (x; y); lab B", confidence=("confirmed", "secondary"))
    assert e.sources() == [("lab A (x; y)", "confirmed"), ("lab B", "secondary")]
    assert Electrolytes(source="a; b").confidence == ("unchecked", "unchecked")
    with pytest.raises(ValueError, match="confidence"):
        Electrolytes(source="a; b", confidence=("confirmed",))
    with pytest.raises(ValueError, match="confidence"):
        Electrolytes(source="a", confidence=("sure",))
    # a new source drops the levels of the old one
    assert el.PRESETS["normal"].replace(source="my laboratory").confidence == ("unchecked",)
