"""Acid-base status: pH from PCO2 and HCO3, and the ionised Ca that follows pH.

* Henderson-Hasselbalch for the CO2/HCO3 buffer of plasma at 37 C:
  ``pH = pK' + log10(HCO3 / (s * PCO2))`` with pK' = 6.1 and CO2 solubility
  s = 0.0307 mmol/L/mmHg (the standard constants of the Henderson-Hasselbalch equation for
  plasma at 37 C, e.g. Siggaard-Andersen, *The acid-base status of the blood*, 4th ed. 1974).
* Ionised Ca against pH: in serum measured with a Ca ion-selective electrode at 37 C, acute
  respiratory alkalosis (hyperventilation) lowered ionised Ca by 0.05 +/- 0.02 (2 SD) mmol/L
  per +0.1 pH ("Determination of ionized calcium in serum by use of an ion-selective
  electrode", Clin Chem, 84 normal subjects; abstract). The relation is used as that linear
  slope, -0.50 mmol/L per pH unit, over +-0.4 pH of 7.40. It agrees with the log-linear
  correction used by laboratories, ``iCa(pH) = iCa(7.4) 10^(-0.178 (pH - 7.4))`` (-4 % per
  +0.1 pH at 1.2 mM).
* Acute hypocapnia lowers plasma HCO3 by about 2 mmol/L per 10 mmHg fall of PCO2 (the
  textbook rule of acute respiratory compensation; a modelling choice here, not from a
  cited measurement).

pH also titrates the membrane's surface charge directly; that effect is not modelled (the
package's surface-charge model has Ca, Mg and monovalent ions only).
"""

from __future__ import annotations

import math

from ._validate import check_range

__all__ = ["PK_CO2", "CO2_SOLUBILITY", "CA_PH_SLOPE", "ph_from_pco2", "ionised_calcium_at_ph",
           "acute_hco3", "PH_NORMAL", "PCO2_NORMAL"]

PK_CO2 = 6.1  # pK' of the CO2/HCO3 system in plasma, 37 C
CO2_SOLUBILITY = 0.0307  # mmol/L per mmHg, plasma, 37 C
#: d(ionised Ca)/d(pH), mmol/L per pH unit, acute respiratory alkalosis (ISE study above)
CA_PH_SLOPE = -0.50
PH_NORMAL = 7.40
PCO2_NORMAL = 40.0  # mmHg


def ph_from_pco2(pco2_mmHg: float, hco3_mM: float) -> float:
    """Plasma pH from PCO2 (mmHg) and HCO3 (mM) by Henderson-Hasselbalch at 37 C.

    >>> round(ph_from_pco2(40.0, 24.0), 2)
    7.39
    """
    check_range("pco2_mmHg", pco2_mmHg, 5.0, 150.0, "mmHg")
    check_range("hco3_mM", hco3_mM, 1.0, 60.0, "mM")
    return PK_CO2 + math.log10(hco3_mM / (CO2_SOLUBILITY * pco2_mmHg))


def acute_hco3(pco2_mmHg: float, hco3_normal: float = 24.0) -> float:
    """HCO3 (mM) after an acute change of PCO2 from 40 mmHg: -2 mM per -10 mmHg (textbook rule)."""
    check_range("pco2_mmHg", pco2_mmHg, 5.0, 150.0, "mmHg")
    return hco3_normal + 0.2 * (pco2_mmHg - PCO2_NORMAL)


def ionised_calcium_at_ph(ca_at_normal_ph: float, ph: float, ph_reference: float = PH_NORMAL) -> float:
    """Ionised Ca (mM) at ``ph`` for a subject whose ionised Ca is ``ca_at_normal_ph`` at ``ph_reference``.

    Linear in pH with :data:`CA_PH_SLOPE` (valid for acute changes within +-0.4 pH).

    >>> round(ionised_calcium_at_ph(1.22, 7.60), 3)
    1.12
    """
    check_range("ph", ph, ph_reference - 0.4, ph_reference + 0.4)
    return ca_at_normal_ph + CA_PH_SLOPE * (ph - ph_reference)
