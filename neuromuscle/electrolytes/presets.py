"""The presets, as data: each a name, a description, its sources and the fields it changes
from the "normal" values (which are also the :class:`~neuromuscle.electrolytes.Electrolytes`
defaults)."""

from __future__ import annotations

import types
from collections.abc import Mapping

from ..acid_base import PH_NORMAL, ionised_calcium_at_ph, ph_from_pco2

# Values of the "normal" preset, which are also the constructor defaults (sources: see the
# "normal" entry of PRESET_DATA below and REFERENCE_RANGES).
_NA, _K, _CL, _HCO3 = 140.0, 4.2, 104.0, 25.0
_CA_ION = 1.22  # ionised; total 2.40 mmol/L
_MG_ION = 0.52  # ionised; total 0.85 mmol/L
_BODY_CELSIUS = 37.0  # conventional human core temperature (textbook value, not from a cited source here)


# ------------------------------------------------------------------ presets
# pH change of halving PCO2 (40 -> 20 mmHg) with HCO3 25 -> 21 mM, Henderson-Hasselbalch
_DPH_HYPERVENTILATION = ph_from_pco2(20.0, _HCO3 - 4.0) - ph_from_pco2(40.0, _HCO3)


def _preset(name: str, description: str, claims, **values) -> Mapping[str, object]:
    """A preset's record fields; ``claims`` are its source's ``(text, confidence)`` pairs, in order."""
    return types.MappingProxyType({"name": name, "description": description,
                                   "source": "; ".join(text for text, _ in claims),
                                   "confidence": tuple(level for _, level in claims), **values})


# Each source is a sequence of claims, (text, confidence), the level being one of
# neuromuscle.electrolytes.CONFIDENCE.
_S_NORMAL = (
    ("Na 140 (reference 135-145; hyponatraemia < 135, Spasovski et al. 2014, Eur J Endocrinol 170:G1-G47)",
     "confirmed"),
    ("K 4.2 (3.5-5.0; Castro & Sharma, StatPearls NBK482465)", "secondary"),
    ("Cl 104 and HCO3 25 (laboratory tables)", "unchecked"),
    ("ionised Ca 1.22 (1.15-1.33, NHS Tayside)", "confirmed"),
    ("ionised Mg 0.52 (0.45-0.60)", "unchecked"),
    ("each value is a modelling choice within its interval", "unchecked"),
)
_S_TURNER = (
    "Turner J, Gittoes N, Selby P (2016) Society for Endocrinology emergency guidance, Endocr Connect "
    "5(5):G7-G8"
)
_S_HYPOMG = (
    ("hypomagnesaemia is total Mg < 0.70 mmol/L (RCPA lower reference limit)", "confirmed"),
    ("symptoms usually below 0.5 mmol/L", "secondary"),
    ("total 0.50 mmol/L is a modelling choice at that threshold", "unchecked"),
    ("ionised = 0.60 x total (modelling choice; 55 % ionised, Barbagallo et al. 2009; 67 %, Altura & Altura "
     "1994)", "unchecked"),
)
_S_HYPOK = ("StatPearls 'Hypokalemia' (Castro & Sharma, NBK482465, 2023): mild 3.0-3.5, moderate 2.5-3.0, "
            "severe < 2.5 mmol/L")
_S_RCEM = ("RCEM Learning", "confirmed")
_S_HYPONA = (
    "Spasovski et al. 2014, European clinical practice guideline on hyponatraemia (Eur J Endocrinol "
    "170:G1-G47): mild 130-135, moderate 125-129, profound < 125 mmol/L"
)
_S_VITD = (
    ("severe vitamin-D deficiency is a cause of acute hypocalcaemia (" + _S_TURNER + ")", "confirmed"),
    ("in 760 outpatients 25(OH)D did not correlate with corrected Ca (Mert et al. 2017, Open J Endocr Metab "
     "Dis)", "secondary"),
    ("secondary hyperparathyroidism keeps Ca low-normal (Holick 2007, N Engl J Med 357:266-281)", "unchecked"),
)

#: The presets as data: name -> the keyword arguments of its
#: :class:`~neuromuscle.electrolytes.Electrolytes` (fields not given keep the "normal" values).
PRESET_DATA: Mapping[str, Mapping[str, object]] = types.MappingProxyType({p["name"]: p for p in [
    _preset(
        "normal",
        "Typical adult plasma, with ionised Ca and Mg (total Ca 2.40, total Mg 0.85 mmol/L).",
        _S_NORMAL,
    ),
    _preset(
        "hypocalcaemia_mild",
        "Mild, asymptomatic hypocalcaemia: ionised Ca 1.00 mmol/L (total about 2.00); other ions normal.",
        [("modelling choice within the band of " + _S_TURNER + " (mild: adjusted Ca > 1.9 mmol/L, "
          "asymptomatic)", "confirmed"),
         ("ionised band 0.9-1.1 mmol/L", "secondary")],
        ca=1.00,
    ),
    _preset(
        "hypocalcaemia_severe",
        "Severe hypocalcaemia: ionised Ca 0.75 mmol/L (total about 1.70), the range of tetany and "
        "dysrhythmia; other ions normal.",
        [("modelling choice within the band of " + _S_TURNER + " (severe: adjusted Ca < 1.9 mmol/L or "
          "symptomatic)", "confirmed"),
         ("ionised Ca < 0.9 mmol/L treated urgently, < 0.8 associated with dysrhythmia (European "
          "trauma/transfusion guidance)", "secondary")],
        ca=0.75,
    ),
    _preset(
        "hypomagnesaemia",
        "Hypomagnesaemia alone: ionised Mg 0.30 mmol/L (total 0.50); other ions normal. Isolates the "
        "effect of Mg; in patients low Mg usually comes with low K and low Ca (see "
        "'hypomagnesaemia_combined').",
        _S_HYPOMG,
        mg=0.30,
    ),
    _preset(
        "hypomagnesaemia_combined",
        "Hypomagnesaemia with the hypokalaemia and hypocalcaemia that usually accompany it: ionised Mg "
        "0.30 (total 0.50), K 3.0, ionised Ca 1.00 (total 2.00) mmol/L.",
        [*_S_HYPOMG,
         ("hypokalaemia and hypocalcaemia commonly coexist", "secondary"),
         ("hypocalcaemia is resistant to treatment when secondary to hypomagnesaemia (aaamedicines "
          "hypocalcaemia guideline)", "confirmed"),
         ("K 3.0 and ionised Ca 1.00 are a modelling choice", "unchecked"),
         ("Cl 102 is illustrative (keeps the anion gap near 13, modelling choice)", "unchecked")],
        k=3.0, cl=102.0, ca=1.00, mg=0.30,
    ),
    _preset(
        "hypokalaemia_mild",
        "Mild hypokalaemia: K 3.2 mmol/L; Cl 100 and HCO3 27 illustrate the usual mild metabolic alkalosis.",
        [("modelling choice within the mild band of " + _S_HYPOK, "secondary"), _S_RCEM,
         ("Cl and HCO3 illustrative (modelling choice)", "unchecked")],
        k=3.2, cl=100.0, hco3=27.0,
    ),
    _preset(
        "hypokalaemia_severe",
        "Severe hypokalaemia: K 2.3 mmol/L; Cl 100 and HCO3 27 illustrate the usual metabolic alkalosis.",
        [("modelling choice within the severe band (< 2.5 mmol/L) of " + _S_HYPOK, "secondary"), _S_RCEM,
         ("Cl and HCO3 illustrative (modelling choice)", "unchecked")],
        k=2.3, cl=100.0, hco3=27.0,
    ),
    _preset(
        "hyponatraemia_mild",
        "Mild hyponatraemia: Na 132 mmol/L with Cl diluted to 96.",
        [("modelling choice within the mild band of " + _S_HYPONA, "confirmed"),
         ("K 4.0 and Cl 96 illustrative (modelling choice)", "unchecked")],
        na=132.0, k=4.0, cl=96.0,
    ),
    _preset(
        "hyponatraemia_moderate",
        "Moderate hyponatraemia: Na 127 mmol/L with Cl diluted to 92.",
        [("modelling choice within the moderate band of " + _S_HYPONA, "confirmed"),
         ("K 4.0 and Cl 92 illustrative (modelling choice)", "unchecked")],
        na=127.0, k=4.0, cl=92.0,
    ),
    _preset(
        "hyponatraemia_severe",
        "Profound ('severe') hyponatraemia: Na 118 mmol/L with Cl diluted to 85.",
        [("modelling choice within the profound band of " + _S_HYPONA, "confirmed"),
         ("K 4.0 and Cl 85 illustrative (modelling choice)", "unchecked")],
        na=118.0, k=4.0, cl=85.0,
    ),
    _preset(
        "hyperventilation",
        "Acute hyperventilation (respiratory alkalosis): PCO2 halved from 40 to 20 mmHg, HCO3 falls "
        "4 mmol/L to 21, pH 7.63, and ionised Ca falls with pH to 1.11 mmol/L; other ions normal.",
        [("paraesthesiae appear when alveolar PCO2 has fallen ~20 mmHg (Macefield & Burke 1991, Brain "
          "114:527, abstract)", "secondary"),
         ("pH by Henderson-Hasselbalch and ionised Ca by -0.05 mmol/L per +0.1 pH (neuromuscle.acid_base, "
          "cited there)", "unchecked"),
         ("HCO3 -2 mmol/L per -10 mmHg acute (textbook rule, modelling choice)", "unchecked")],
        hco3=21.0, ph=round(PH_NORMAL + _DPH_HYPERVENTILATION, 2),
        ca=round(ionised_calcium_at_ph(_CA_ION, PH_NORMAL + _DPH_HYPERVENTILATION), 2),
    ),
    _preset(
        "vitamin_d_deficiency",
        "Compensated vitamin-D deficiency: secondary hyperparathyroidism holds ionised Ca at the lower "
        "reference limit, 1.15 mmol/L (total about 2.20). Low phosphate and high PTH are not fields of "
        "this model.",
        [*_S_VITD, ("ionised Ca 1.15 is a modelling choice within the low-normal band 1.10-1.15 mmol/L",
                    "unchecked")],
        ca=1.15,
    ),
    _preset(
        "vitamin_d_deficiency_severe",
        "Severe, prolonged vitamin-D deficiency (osteomalacia) with frank hypocalcaemia: ionised Ca "
        "0.95 mmol/L; other ions normal.",
        [*_S_VITD, ("ionised Ca 0.95 is a modelling choice within the band 0.95-1.0 mmol/L", "unchecked")],
        ca=0.95,
    ),
    _preset(
        "exercise_hyponatraemia",
        "Exercise-associated hyponatraemia after hours of heavy sweating replaced with plain water: "
        "Na diluted to 128 mmol/L, K 3.8, Cl 95, HCO3 24, ionised Ca 1.20 and Mg 0.48 (totals 2.35 and 0.80).",
        [("definition Na < 135 mmol/L during or up to 24 h after prolonged exercise (Hew-Butler et al. "
          "2015, Clin J Sport Med 25:303-320)", "confirmed"),
         ("13 % of Boston Marathon runners <= 135 and 0.6 % <= 120 mmol/L (Almond et al. 2005, N Engl J "
          "Med 352:1550-1556)", "confirmed"),
         ("dilution estimate 126-135 mmol/L after 4 L sweat (50 mM Na) and 4-7 L water (Edelman relation)",
          "unchecked"),
         ("the values are a modelling choice", "unchecked")],
        na=128.0, k=3.8, cl=95.0, hco3=24.0, ca=1.20, mg=0.48,
    ),
]})
