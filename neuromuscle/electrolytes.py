"""The ionic environment of a nerve or muscle cell: plasma electrolytes, presets, conversions.

An :class:`Electrolytes` object holds the extracellular (plasma / interstitial) concentrations
that set the driving forces and the surface charge of a membrane model, optionally the
cytosolic ones, and the temperature. Units follow the package rule: mM (= mmol/L) and
degrees C (``celsius``).

Extracellular Ca and Mg are the **ionised (free)** concentrations, because only free
divalent ions permeate channels and screen or bind membrane surface charge; skeletal-muscle
interstitial fluid is close to a protein-free plasma ultrafiltrate. Laboratories usually
report *total* Ca and Mg, so this module converts totals to ionised values with stated
assumptions (:func:`ionised_calcium`, :func:`ionised_magnesium`, :meth:`Electrolytes.from_clinical`).

Two kinds of range are kept apart:

* **hard limits** (:data:`HARD_LIMITS`): values not compatible with a living person. The
  constructor refuses them. Experimental bath solutions (squid sea water, divalent-free
  Ringer) are built with :meth:`Electrolytes.solution` instead, which requires only
  0 <= c <= 10 M.
* **reference intervals** (:data:`REFERENCE_RANGES`): the usual adult ranges. Values
  outside them are allowed and silent; :meth:`Electrolytes.out_of_range` and
  :meth:`Electrolytes.report` list them on request.

Reference intervals differ between laboratories and methods; the presets are typical values
for modelling, not diagnostic cut-offs. Every number carries its source next to it, and a
``confidence`` (:data:`CONFIDENCE`) says how firm that source is: checked against the
cited publication, against a secondary summary of it, computed, or not yet checked. See
``docs/electrolytes.md`` for the tables.
"""

from __future__ import annotations

import dataclasses
import numbers
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ._validate import check_choice, check_range
from .acid_base import PH_NORMAL, ionised_calcium_at_ph, ph_from_pco2
from .constants import CELSIUS_RANGE
from .electrochem import MAX_CONCENTRATION
from .ions import IONS

__all__ = [
    "as_electrolytes",
    "CONFIDENCE",
    "split_confidence",
    "Electrolytes",
    "OutOfRange",
    "Range",
    "PRESETS",
    "preset_names",
    "HARD_LIMITS",
    "REFERENCE_RANGES",
    "MOLAR_MASS",
    "VALENCE",
    "UNITS",
    "to_mM",
    "from_mM",
    "payne_adjusted_calcium",
    "ionised_calcium",
    "ionised_magnesium",
    "PARAMETER_OF_FIELD",
    "FIELD_OF_PARAMETER",
    "model_parameters",
]


# ------------------------------------------------------------------ ranges
@dataclass(frozen=True)
class Range:
    """A closed (by default) interval with its unit and the source of its bounds.

    ``confidence`` is the weakest :data:`CONFIDENCE` level of the claims in ``source``
    (``"unchecked"`` when the source states none).
    """

    low: float
    high: float
    unit: str
    source: str
    low_inclusive: bool = True
    high_inclusive: bool = True
    confidence: str = ""

    def __post_init__(self) -> None:
        text, levels = split_confidence(self.source)
        object.__setattr__(self, "source", text)
        if not self.confidence:
            object.__setattr__(self, "confidence", weakest(levels))
        check_choice("confidence", self.confidence, CONFIDENCE)


#: How firm a sourced value is, firmest first: the level -> what it means.
CONFIDENCE = {
    "confirmed": "checked against the cited publication",
    "secondary": "checked against a secondary account of it (an abstract, a summary, a review)",
    "computed": "computed from other sourced values",
    "unchecked": "recalled from the literature or a modelling choice; not checked against a publication",
}

#: Notations in the source texts of this module and what level each states.
_CONFIDENCE_NOTES = [
    (re.compile(r"\s*\[confirmed (?:abstract|via [^\]]*)\]"), "secondary"),
    (re.compile(r"\s*\[confirmed\]"), "confirmed"),
    (re.compile(r"\s*\[secondary\]"), "secondary"),
    (re.compile(r"\s*\[computed\]"), "computed"),
    (re.compile(r"\s*\[MEMORY[^\]]*\]"), "unchecked"),
    (re.compile(r",? citation MEMORY - UNCONFIRMED"), "unchecked"),
]


def split_confidence(text: str) -> tuple[str, tuple[str, ...]]:
    """A source text without its confidence notes, and the level of each claim.

    Claims are separated by ``"; "``; a claim's level is the weakest note in it, and
    ``"unchecked"`` if it has none.

    >>> split_confidence("Na 140 (Spasovski 2014) [confirmed]; Cl 104 [MEMORY - UNCONFIRMED]")
    ('Na 140 (Spasovski 2014); Cl 104', ('confirmed', 'unchecked'))
    """
    claims, levels = [], []
    for claim in _claims(text):
        found = []
        for pattern, level in _CONFIDENCE_NOTES:
            if pattern.search(claim):
                found.append(level)
                claim = pattern.sub("", claim)
        claims.append(re.sub(r"^/\s*", "", claim.strip()))
        levels.append(weakest(found))
    return "; ".join(c for c in claims if c), tuple(lv for c, lv in zip(claims, levels) if c)


def _claims(text: str) -> list[str]:
    """``text`` split at the ``"; "`` outside parentheses."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and text.startswith("; ", i):
            out.append(text[start:i])
            start = i + 2
    return out + [text[start:]] if text else out


def weakest(levels) -> str:
    """The least firm of ``levels`` (:data:`CONFIDENCE` order); ``"unchecked"`` if none."""
    order = list(CONFIDENCE)
    return max(levels, key=order.index) if levels else "unchecked"


#: Extracellular fields (plasma / interstitial; Ca and Mg ionised), in the order shown.
EXTRACELLULAR_FIELDS = ("na", "k", "cl", "ca", "mg", "hco3")
#: Intracellular (cytosolic, free) fields; ``None`` means "use the cell model's own values".
INTRACELLULAR_FIELDS = ("na_in", "k_in", "cl_in", "ca_in", "mg_in")
_CONCENTRATION_FIELDS = EXTRACELLULAR_FIELDS + INTRACELLULAR_FIELDS
_NUMERIC_FIELDS = _CONCENTRATION_FIELDS + ("celsius", "ph")
_TEXT_FIELDS = ("name", "description", "source")

_LABEL = {
    "na": "Na", "k": "K", "cl": "Cl", "ca": "Ca (ionised)", "mg": "Mg (ionised)", "hco3": "HCO3",
    "na_in": "Na in", "k_in": "K in", "cl_in": "Cl in", "ca_in": "Ca in (free)", "mg_in": "Mg in (free)",
    "celsius": "temperature", "ph": "pH",
}

#: Hard limits for a living adult human. Values outside cannot occur in a living person (or
#: only as a unit mistake), so :class:`Electrolytes` refuses them. Each limit is the most
#: extreme value documented in survivors plus a margin, or a stated modelling choice.
HARD_LIMITS: Mapping[str, Range] = types.MappingProxyType({
    "na": Range(80.0, 230.0, "mM",
                "survivors reported at plasma Na 92-99 mmol/L (case reports) and up to 196 mmol/L after "
                "acute salt ingestion [confirmed]; salt-overdose survivors 150-228 mmol/L [secondary]; "
                "limits = these extremes plus a margin (modelling choice)"),
    "k": Range(0.8, 15.0, "mM",
               "non-fatal K 14 mmol/L with full recovery (Tran HA 2005, 'Extreme hyperkalemia', South Med J) "
               "[confirmed abstract]; survivors near 1.0 mmol/L [MEMORY - UNCONFIRMED]; plus a margin "
               "(modelling choice)"),
    "cl": Range(50.0, 160.0, "mM",
                "Cl 60 mmol/L in a survivor (beer-potomania case report, Na 98) [confirmed]; lower limit "
                "adds a margin; upper limit is a modelling choice"),
    "hco3": Range(2.0, 60.0, "mM", "[MEMORY - UNCONFIRMED] / modelling choice"),
    "ca": Range(0.3, 3.5, "mM",
                "ionised Ca; modelling choice well outside laboratory critical limits (survey means "
                "0.82 and 1.55 mmol/L [secondary])"),
    "mg": Range(0.05, 6.0, "mM",
                "ionised Mg; modelling choice scaled from total-Mg limits 0.1-10 mmol/L (toxicity bands "
                "from MgSO4 labelling [MEMORY - UNCONFIRMED])"),
    "na_in": Range(1.0, 80.0, "mM", "cytosolic Na; modelling choice"),
    "k_in": Range(50.0, 200.0, "mM", "cytosolic K; modelling choice"),
    "cl_in": Range(0.0, 160.0, "mM",
                   "cytosolic Cl; modelling choice of this module (no cited limit): > 0 and at most the "
                   "plasma Cl hard maximum", low_inclusive=False),
    "ca_in": Range(0.0, 0.01, "mM",
                   "free cytosolic Ca at rest; modelling choice: sustained micromolar Ca activates proteases "
                   "and causes contracture, resting level is 50-100 nM (Hille 2001, Table 1.1: ~1e-7 M "
                   "[MEMORY - UNCONFIRMED]; ~100 nM [secondary])", low_inclusive=False, high_inclusive=False),
    "mg_in": Range(0.05, 5.0, "mM",
                   "free cytosolic Mg; highest (electrode) estimate 3.3 mM, frog muscle (Hess, Metzger & "
                   "Weingart 1982, J Physiol 333:173-188) [confirmed]; limits are a modelling choice"),
    "celsius": Range(15.0, 45.0, "degC",
                     "core temperature of a living human; [MEMORY - UNCONFIRMED] / modelling choice (Q10 "
                     "scaling of human channel kinetics is not meaningful outside this range)"),
    "ph": Range(6.8, 7.8, "", "arterial pH compatible with life (textbook bound; modelling choice)"),
})

#: Limits for experimental bath solutions (:meth:`Electrolytes.solution`): anything from
#: zero (e.g. a divalent-free bath) up to 10 M, the package-wide bound above which a value is
#: a unit mistake (see :data:`neuromuscle.electrochem.MAX_CONCENTRATION`); temperature 0-50 C
#: as everywhere else in the package.
_SOLUTION_LIMITS: Mapping[str, Range] = types.MappingProxyType({
    **{f: Range(0.0, MAX_CONCENTRATION, "mM", "package-wide concentration bound") for f in _CONCENTRATION_FIELDS},
    "celsius": Range(*CELSIUS_RANGE, "degC", "package-wide temperature bound"),
    "ph": Range(5.0, 9.0, "", "bath pH (buffered solutions)"),
})

_SOFT_CYTOSOL = "soft band for cytosol, modelling choice; not a clinical reference interval"

#: Usual adult ranges (plasma; Ca and Mg ionised) and, for the cytosolic fields and the
#: temperature, the band outside which a value is unusual. Outside them a value is *reported*
#: by :meth:`Electrolytes.out_of_range`, never refused. ``cl_in`` has no cited band.
REFERENCE_RANGES: Mapping[str, Range] = types.MappingProxyType({
    "na": Range(135.0, 145.0, "mM",
                "hyponatraemia is Na < 135 mmol/L (Spasovski et al. 2014, European clinical practice "
                "guideline, Eur J Endocrinol 170:G1-G47) [confirmed]; 135-145 quoted as normal in case "
                "reports [confirmed]"),
    "k": Range(3.5, 5.0, "mM",
               "lower limit 3.5 mmol/L: Castro & Sharma, StatPearls 'Hypokalemia' (NBK482465, 2023) "
               "[confirmed via summary]; upper limit 5.0 is a common laboratory value (laboratories use "
               "5.0-5.3; hyperkalaemia > 5.5, RCEM Learning [confirmed])"),
    "cl": Range(98.0, 107.0, "mM",
                "laboratory tables (Tietz / Harrison) [MEMORY - UNCONFIRMED]; RCPA/AACB harmonised 95-110"),
    "hco3": Range(22.0, 29.0, "mM", "total CO2, laboratory tables [MEMORY - UNCONFIRMED]; RCPA 22-32"),
    "ca": Range(1.15, 1.30, "mM",
                "ionised Ca: 1.15-1.33 mmol/L (NHS Tayside pathway) [confirmed]; 1.1-1.3 (European trauma "
                "guidelines) and 1.16-1.32 (ASCP) [secondary]; laboratories use 1.10-1.35"),
    "mg": Range(0.45, 0.60, "mM",
                "ionised Mg, ion-selective-electrode reference intervals (e.g. NOVA analysers) "
                "[MEMORY - UNCONFIRMED]"),
    "na_in": Range(5.0, 30.0, "mM", _SOFT_CYTOSOL),
    "k_in": Range(100.0, 170.0, "mM", _SOFT_CYTOSOL),
    "ca_in": Range(20e-6, 300e-6, "mM", "20-300 nM; " + _SOFT_CYTOSOL),
    "mg_in": Range(0.2, 1.5, "mM",
                   _SOFT_CYTOSOL + "; human calf muscle 0.56 +/- 0.10 mM (Ryschon et al. 1996, J Lab Clin "
                   "Med 127:207-213) [confirmed]"),
    "celsius": Range(30.0, 42.0, "degC",
                     "band in which a core temperature is unremarkable for the model "
                     "[MEMORY - UNCONFIRMED] / modelling choice; not a clinical normal range"),
})


# ------------------------------------------------------------------ unit conversion
#: Molar masses by field, g/mol (from :data:`neuromuscle.ions.IONS`).
MOLAR_MASS: Mapping[str, float] = types.MappingProxyType({i.field: i.molar_mass for i in IONS.values()})

#: Valences (charge numbers) by field, used for mEq/L (from :data:`neuromuscle.ions.IONS`).
VALENCE: Mapping[str, int] = types.MappingProxyType({i.field: i.valence for i in IONS.values()})

#: Units accepted by :func:`to_mM` and :func:`from_mM` (case-insensitive).
UNITS = ("mM", "mmol/L", "mEq/L", "mg/dL")
_UNIT_KEY = {u.lower(): u for u in UNITS}

_ION_ALIASES = {
    "na": "na", "na+": "na", "sodium": "na",
    "k": "k", "k+": "k", "potassium": "k",
    "cl": "cl", "cl-": "cl", "chloride": "cl",
    "ca": "ca", "ca2+": "ca", "ca++": "ca", "calcium": "ca",
    "mg": "mg", "mg2+": "mg", "mg++": "mg", "magnesium": "mg",
    "hco3": "hco3", "hco3-": "hco3", "bicarbonate": "hco3",
}


def _unit(unit: str) -> str:
    key = str(unit).strip().lower() if isinstance(unit, str) else None
    if key not in _UNIT_KEY:
        raise ValueError(f"unit = {unit!r} is not supported; use one of {', '.join(UNITS)}")
    return _UNIT_KEY[key]


def _ion(ion: str) -> str:
    key = ion.strip().lower() if isinstance(ion, str) else None
    if key not in _ION_ALIASES:
        raise ValueError(f"ion = {ion!r} is not known; use one of {', '.join(MOLAR_MASS)}")
    return _ION_ALIASES[key]


def _out(arr: np.ndarray):
    """A 0-d array as a Python float, anything else unchanged."""
    return float(arr) if arr.ndim == 0 else arr


def _mM_per_unit(unit: str, ion: str) -> float:
    """Factor f with ``c[mM] = f * c[unit]``."""
    if unit in ("mM", "mmol/L"):
        return 1.0
    if unit == "mEq/L":
        return 1.0 / abs(VALENCE[ion])  # mEq = mmol * |z|
    # mg/dL -> mg/L (x 10) -> mmol/L (/ M in g/mol = mg/mmol)
    return 10.0 / MOLAR_MASS[ion]


def to_mM(value, unit: str, ion: str):
    """Convert a concentration to mM (= mmol/L).

    Parameters
    ----------
    value : float or array_like
        Concentration in ``unit`` (>= 0).
    unit : {"mM", "mmol/L", "mEq/L", "mg/dL"}
        Unit of ``value`` (case-insensitive). ``mEq/L = mmol/L * |z|``;
        ``mg/dL = mmol/L * M / 10`` with M the molar mass in g/mol (:data:`MOLAR_MASS`).
    ion : {"na", "k", "cl", "ca", "mg", "hco3"}
        The ion (case-insensitive; "Ca2+", "calcium" etc. are accepted).

    Returns
    -------
    float or ndarray
        Concentration, mM.

    Notes
    -----
    Clinical "mmol/L" is per litre of plasma, not of plasma water, and ion-selective
    electrodes report activity-based values; like most models, this package uses the
    reported plasma value as is.

    Examples
    --------
    >>> round(to_mM(10.02, "mg/dL", "ca"), 3)
    2.5
    >>> to_mM(1.4, "mEq/L", "mg")
    0.7
    """
    u, i = _unit(unit), _ion(ion)
    arr = check_range("value", value, 0.0, np.inf, u, high_inclusive=False)
    return _out(arr * _mM_per_unit(u, i))


def from_mM(value, unit: str, ion: str):
    """Convert a concentration in mM to ``unit``; the inverse of :func:`to_mM`.

    Parameters
    ----------
    value : float or array_like
        Concentration, mM (>= 0).
    unit, ion : str
        As in :func:`to_mM`.

    Returns
    -------
    float or ndarray
        Concentration in ``unit``.

    Examples
    --------
    >>> round(from_mM(2.5, "mg/dL", "ca"), 2), from_mM(2.5, "mEq/L", "ca")
    (10.02, 5.0)
    """
    u, i = _unit(unit), _ion(ion)
    arr = check_range("value", value, 0.0, np.inf, "mM", high_inclusive=False)
    return _out(arr / _mM_per_unit(u, i))


# ------------------------------------------------------------------ total -> ionised
#: Plausible total (not ionised) plasma concentrations, mM, for the conversion helpers.
_TOTAL_CA = Range(0.8, 6.0, "mM",
                  "total Ca; Ca 1.47 mmol/L in a survivor [confirmed], hypercalcaemic crisis rarely > 5 mmol/L "
                  "[MEMORY]; plus a margin (modelling choice)")
_TOTAL_MG = Range(0.1, 10.0, "mM",
                  "total Mg; cardiac arrest above ~7.5-12 mmol/L (MgSO4 labelling, obstetric literature) "
                  "[MEMORY - UNCONFIRMED]; modelling choice")
#: Albumin accepted by the Payne adjustment, g/L. A modelling choice of this module (no cited
#: bound): it is wide enough for severe hypoalbuminaemia and catches g/dL passed as g/L.
_ALBUMIN = Range(5.0, 80.0, "g/L", "modelling choice of this module")
#: Payne et al. 1973 (BMJ 4:643-646): adjusted Ca = total + 0.02 (40 - albumin), SI units.
PAYNE_SLOPE = 0.02  # mmol/L of Ca per g/L of albumin
PAYNE_REFERENCE_ALBUMIN = 40.0  # g/L
#: Default ionised fractions. Ca: 45-50 % ionised, ~40 % protein-bound, 10-15 % complexed
#: (MSD Manual, guideline summaries); 0.48 is a modelling choice within that band.
#: Mg: 55 % (Barbagallo et al. 2009, Magnes Res 22:235) to 67 % (Altura & Altura 1994, Scand J
#: Clin Lab Invest 54 Suppl 217:83-87) ionised; 0.60 is a modelling choice.
CA_IONISED_FRACTION = 0.48
MG_IONISED_FRACTION = 0.60
#: Fractions accepted: the ionised/total bands outside which the value is implausible
#: (modelling choice derived from the fractions above).
_CA_FRACTION = Range(0.30, 0.80, "", "modelling choice")
_MG_FRACTION = Range(0.40, 0.90, "", "modelling choice")


def _check(name: str, value, rng: Range) -> np.ndarray:
    return check_range(name, value, rng.low, rng.high, rng.unit,
                       low_inclusive=rng.low_inclusive, high_inclusive=rng.high_inclusive)


def _albumin_g_per_L(albumin_g_per_L) -> np.ndarray:
    try:
        return _check("albumin_g_per_L", albumin_g_per_L, _ALBUMIN)
    except ValueError as exc:
        raise ValueError(f"{exc} (if the value is in g/dL, multiply it by 10)") from None


def payne_adjusted_calcium(total_mM, albumin_g_per_L):
    """Albumin-adjusted total calcium, mM (Payne et al. 1973).

    ``adjusted = total + 0.02 * (40 - albumin)`` with albumin in g/L: the total Ca the patient
    would have at the reference albumin of 40 g/L, because about 40 % of plasma Ca is bound,
    mostly to albumin.

    Parameters
    ----------
    total_mM : float or array_like
        Measured total plasma Ca, mM (0.8-6).
    albumin_g_per_L : float or array_like
        Plasma albumin, g/L (5-80; the value in g/dL times 10).

    Returns
    -------
    float or ndarray
        Adjusted total Ca, mM.

    Notes
    -----
    Payne RB, Little AJ, Williams RB, Milner JR (1973) BMJ 4(5893):643-646. The formula was
    derived from about 200 patients at one laboratory. It is inaccurate in critical illness,
    chronic kidney disease and acid-base disturbance; a directly measured ionised Ca is the
    gold standard.

    Examples
    --------
    >>> round(payne_adjusted_calcium(1.83, 26.0), 2)
    2.11
    """
    total = _check("total_mM", total_mM, _TOTAL_CA)
    alb = _albumin_g_per_L(albumin_g_per_L)
    return _out(total + PAYNE_SLOPE * (PAYNE_REFERENCE_ALBUMIN - alb))


def ionised_calcium(total_mM, albumin_g_per_L=None, fraction: float = CA_IONISED_FRACTION):
    """Estimate ionised (free) plasma Ca from total Ca, mM.

    ``iCa = fraction * total``, with ``total`` first adjusted for albumin by
    :func:`payne_adjusted_calcium` when ``albumin_g_per_L`` is given.

    Parameters
    ----------
    total_mM : float or array_like
        Measured total plasma Ca, mM (0.8-6).
    albumin_g_per_L : float or array_like, optional
        Plasma albumin, g/L. If omitted, albumin is assumed normal (no adjustment).
    fraction : float
        Ionised fraction of the (adjusted) total, 0.30-0.80; default 0.48.

    Returns
    -------
    float or ndarray
        Estimated ionised Ca, mM.

    Notes
    -----
    No validated universal formula converts total to ionised Ca. The assumptions here:

    * About 45-50 % of plasma Ca is ionised, ~40 % is protein-bound (mostly to albumin) and
      10-15 % is complexed with citrate, phosphate, bicarbonate or lactate (MSD Manual and
      guideline summaries). The default 0.48 is a modelling choice within that
      band; values of 0.40-0.55 are defensible.
    * The fraction applies at normal albumin; the Payne adjustment removes the effect of an
      abnormal albumin on the bound part.
    * pH is ignored: a rise of 0.1 pH unit lowers ionised Ca by about 0.05 mmol/L because
      alkalosis increases albumin binding. Citrate (massive transfusion) and
      renal failure raise the complexed part, which this estimate also ignores.

    Measure ionised Ca directly when it matters.

    Examples
    --------
    >>> ionised_calcium(2.5)
    1.2
    >>> round(ionised_calcium(1.83, albumin_g_per_L=26.0), 4)  # 0.48 * 2.11
    1.0128
    """
    f = float(_check("fraction", fraction, _CA_FRACTION))
    if albumin_g_per_L is None:
        total = _check("total_mM", total_mM, _TOTAL_CA)
    else:
        total = np.asarray(payne_adjusted_calcium(total_mM, albumin_g_per_L))
    return _out(f * total)


def ionised_magnesium(total_mM, fraction: float = MG_IONISED_FRACTION):
    """Estimate ionised (free) plasma Mg from total Mg, mM: ``iMg = fraction * total``.

    Parameters
    ----------
    total_mM : float or array_like
        Measured total plasma Mg, mM (0.1-10).
    fraction : float
        Ionised fraction, 0.40-0.90; default 0.60.

    Returns
    -------
    float or ndarray
        Estimated ionised Mg, mM.

    Notes
    -----
    Measured fractions: 55 % ionised, 25 % albumin-bound, 8 % globulin-bound, 12 % chelated
    (Barbagallo et al. 2009, Magnes Res 22:235, via BioNumbers 114371); 67 %
    ionised, 19 % protein-bound, 14 % complexed (Altura & Altura 1994, Scand J Clin Lab
    Invest 54 Suppl 217:83-87). The default 0.60 is a modelling choice
    within 0.55-0.70. An albumin correction for Mg exists (Kroll & Elin 1985, Clin Chem), but
    its formula was not retrieved, so none is applied.

    Examples
    --------
    >>> round(ionised_magnesium(0.85), 3)
    0.51
    """
    f = float(_check("fraction", fraction, _MG_FRACTION))
    return _out(f * _check("total_mM", total_mM, _TOTAL_MG))


# ------------------------------------------------------------------ the environment
@dataclass(frozen=True)
class OutOfRange:
    """One value outside its reference range (see :meth:`Electrolytes.out_of_range`)."""

    field: str
    value: float
    low: float
    high: float
    unit: str
    verdict: str  # "low" or "high"
    source: str

    def __str__(self) -> str:
        return f"{self.field} = {self.value:g} {self.unit} is {self.verdict} (reference {self.low:g}-{self.high:g})"


# Values of the "normal" preset, which are also the constructor defaults (sources: see the
# "normal" entry of PRESETS below and REFERENCE_RANGES).
_NA, _K, _CL, _HCO3 = 140.0, 4.2, 104.0, 25.0
_CA_ION = 1.22  # ionised; total 2.40 mmol/L
_MG_ION = 0.52  # ionised; total 0.85 mmol/L
_BODY_CELSIUS = 37.0  # conventional human core temperature (textbook value, not from a cited source here)


@dataclass(frozen=True, kw_only=True)
class Electrolytes:
    """The ionic environment of a cell: extracellular and (optionally) cytosolic ions, temperature.

    All concentrations in mM. Construct with keywords; the defaults are the ``"normal"``
    preset (typical adult plasma). The constructor checks every value against the hard limits
    of a living person (:data:`HARD_LIMITS`); use :meth:`solution` for experimental bath
    solutions and :meth:`from_clinical` for laboratory values in other units or as totals.

    Parameters
    ----------
    na, k, cl, hco3 : float
        Extracellular (plasma / interstitial) Na, K, Cl and HCO3, mM.
    ca, mg : float
        Extracellular **ionised (free)** Ca and Mg, mM; not the total reported by most
        laboratories (see :func:`ionised_calcium`, :func:`ionised_magnesium`).
    na_in, k_in, cl_in, ca_in, mg_in : float or None
        Cytosolic free concentrations, mM. ``None`` (default) means "use the cell model's own
        cited cytosolic values".
    celsius : float
        Temperature, degrees C (15-45 for a living person).
    name, description, source : str
        A short name, a sentence saying what the environment represents, and where its
        numbers come from.
    physiological : bool
        True (default): human hard limits apply. False: only 0 <= c <= 10 M and 0-50 C (a bath
        solution); prefer :meth:`solution`, which asks for every ion explicitly.

    Raises
    ------
    ValueError
        If a value is outside its hard limits, naming the field, its value, the valid range
        and the unit (all problems are listed at once).
    TypeError
        If a value is not a single real number (or a text field is not a string).

    Examples
    --------
    >>> e = Electrolytes(k=2.3)
    >>> [str(r) for r in e.out_of_range()]
    ['k = 2.3 mM is low (reference 3.5-5)']
    """

    na: float = _NA
    k: float = _K
    cl: float = _CL
    ca: float = _CA_ION
    mg: float = _MG_ION
    hco3: float = _HCO3
    na_in: float | None = None
    k_in: float | None = None
    cl_in: float | None = None
    ca_in: float | None = None
    mg_in: float | None = None
    celsius: float = _BODY_CELSIUS
    #: Plasma (extracellular) pH; it does not change the other fields by itself (see
    #: :mod:`neuromuscle.acid_base` for the ionised Ca that follows it).
    ph: float = 7.40
    name: str = "custom"
    description: str = ""
    source: str = ""
    physiological: bool = True
    #: Confidence (:data:`CONFIDENCE`) of each claim of ``source`` (claims are separated by
    #: ``"; "`` outside parentheses), in order: data, not printed (:meth:`sources` pairs them).
    confidence: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        for f in _TEXT_FIELDS:
            if not isinstance(getattr(self, f), str):
                raise TypeError(f"{f} must be a string, got {getattr(self, f)!r}")
        text, levels = split_confidence(self.source)
        object.__setattr__(self, "source", text)
        given = tuple(self.confidence)
        if len(given) != len(levels) or any(g not in CONFIDENCE for g in given):
            given = levels
        object.__setattr__(self, "confidence", given)
        if not isinstance(self.physiological, bool):
            raise TypeError(f"physiological must be True or False, got {self.physiological!r}")
        limits = HARD_LIMITS if self.physiological else _SOLUTION_LIMITS
        problems = []
        for f in _NUMERIC_FIELDS:
            value = getattr(self, f)
            if value is None and f in INTRACELLULAR_FIELDS:
                continue
            # a real scalar only: bools, strings and arrays are mistakes, not concentrations
            if not isinstance(value, numbers.Real) or isinstance(value, bool):
                raise TypeError(f"{f} must be a single number, got {value!r}")
            try:
                x = float(_check(f, value, limits[f]))
            except ValueError as exc:
                problems.append(str(exc))
                continue
            object.__setattr__(self, f, x)  # store plain floats (not ints / numpy scalars)
        if self.physiological and not problems:
            problems += self._gradient_problems()
        if problems:
            where = (
                "hard limit for a living person; for an experimental bath solution use Electrolytes.solution()"
                if self.physiological
                else "experimental solution"
            )
            raise ValueError(f"Electrolytes({self.name!r}): " + "; ".join(problems) + f" ({where})")

    def _gradient_problems(self) -> list[str]:
        # A living cell at rest keeps Na and Ca lower and K higher inside than outside; a
        # reversed or absent gradient means dead or depolarised tissue. The hard limits imply
        # this for K and Ca; for Na they leave the single case na_in = na = 80 mM.
        out = []
        for ion, inside_lower in (("na", True), ("k", False), ("ca", True)):
            c_in, c_out = getattr(self, ion + "_in"), getattr(self, ion)
            if c_in is not None and (c_in >= c_out if inside_lower else c_in <= c_out):
                rel = "below" if inside_lower else "above"
                out.append(f"{ion}_in = {c_in:g} mM must be {rel} {ion} = {c_out:g} mM in a living cell at rest")
        return out

    # ------------------------------------------------------------ constructors
    @classmethod
    def solution(
        cls,
        *,
        na: float,
        k: float,
        cl: float,
        ca: float,
        mg: float,
        hco3: float,
        celsius: float,
        na_in: float | None = None,
        k_in: float | None = None,
        cl_in: float | None = None,
        ca_in: float | None = None,
        mg_in: float | None = None,
        name: str = "solution",
        description: str = "",
        source: str = "",
    ) -> Electrolytes:
        """An experimental bath (and pipette) solution, outside the human hard limits.

        Every extracellular ion and the temperature must be given, because human plasma
        defaults would be silently wrong for, say, squid sea water. Concentrations need only
        be within 0-10,000 mM (0 is allowed: divalent-free or K-free baths, HCO3-free
        HEPES-buffered Ringer), temperature within 0-50 C.

        Examples
        --------
        >>> bath = Electrolytes.solution(na=115, k=2.5, cl=120, ca=0, mg=0, hco3=0, celsius=20)
        >>> bath.ca, bath.physiological
        (0.0, False)
        """
        return cls(
            na=na, k=k, cl=cl, ca=ca, mg=mg, hco3=hco3, celsius=celsius,
            na_in=na_in, k_in=k_in, cl_in=cl_in, ca_in=ca_in, mg_in=mg_in,
            name=name, description=description, source=source, physiological=False,
        )

    @classmethod
    def from_clinical(
        cls,
        *,
        ca_fraction: float = CA_IONISED_FRACTION,
        mg_fraction: float = MG_IONISED_FRACTION,
        **values,
    ) -> Electrolytes:
        """Build from laboratory values in clinical units, converting totals to ionised.

        Parameters
        ----------
        ca_fraction, mg_fraction : float
            Ionised fractions passed to :func:`ionised_calcium` and :func:`ionised_magnesium`.
        **values
            Any of ``na, k, cl, hco3, ca, mg`` (ionised), ``ca_total, mg_total``, ``albumin``,
            the intracellular fields, ``celsius``, ``name``, ``description``, ``source``.
            A concentration is either a number (mM) or a pair ``(value, unit)`` with a unit
            from :data:`UNITS`. ``albumin`` is a number (g/L) or ``(value, "g/L" | "g/dL")``;
            it is used (Payne adjustment) only with ``ca_total``. ``celsius`` is a number.
            Extracellular ions not given take the ``"normal"`` preset values.

        Returns
        -------
        Electrolytes
            Its ``description`` records each conversion and assumption.

        Examples
        --------
        >>> e = Electrolytes.from_clinical(na=(132, "mEq/L"), ca_total=(7.6, "mg/dL"),
        ...                                albumin=(30, "g/L"), mg_total=(1.2, "mg/dL"), k=3.1)
        >>> round(e.ca, 3), round(e.mg, 3), e.na, e.k
        (1.006, 0.296, 132.0, 3.1)
        """
        allowed = set(_CONCENTRATION_FIELDS) | {"ca_total", "mg_total", "albumin", "celsius"} | set(_TEXT_FIELDS)
        unknown = sorted(set(values) - allowed)
        if unknown:
            raise TypeError(
                f"from_clinical got unknown field(s) {', '.join(unknown)}; valid fields: {', '.join(sorted(allowed))}"
            )
        for ion in ("ca", "mg"):
            if ion in values and f"{ion}_total" in values:
                raise ValueError(
                    f"from_clinical: give either {ion} (ionised) or {ion}_total, not both "
                    f"({ion} = {values[ion]!r}, {ion}_total = {values[ion + '_total']!r})"
                )
        notes: list[str] = []
        fields: dict = {}

        def conc(key: str, ion: str) -> float:
            v = values[key]
            if isinstance(v, tuple):
                if len(v) != 2:
                    raise ValueError(f"{key} = {v!r}: expected a number (mM) or a pair (value, unit)")
                c = float(to_mM(v[0], v[1], ion))
                if _unit(v[1]) not in ("mM", "mmol/L"):
                    notes.append(f"{key} {v[0]:g} {v[1]} = {c:.4g} mM")
                return c
            return float(to_mM(v, "mM", ion))

        for f in _CONCENTRATION_FIELDS:
            if f in values:
                fields[f] = conc(f, f.removesuffix("_in"))
        for f in ("celsius",) + _TEXT_FIELDS:
            if f in values:
                fields[f] = values[f]
        fields.setdefault("name", "clinical")

        albumin = None
        if "albumin" in values:
            a = values["albumin"]
            if isinstance(a, tuple):
                if len(a) != 2 or not isinstance(a[1], str) or a[1].strip().lower() not in ("g/l", "g/dl"):
                    raise ValueError(f"albumin = {a!r}: expected a number (g/L) or (value, 'g/L' or 'g/dL')")
                albumin = float(a[0]) * (10.0 if a[1].strip().lower() == "g/dl" else 1.0)
            else:
                albumin = float(a)
        if "ca_total" in values:
            total = conc("ca_total", "ca")
            if albumin is None:
                fields["ca"] = float(ionised_calcium(total, None, ca_fraction))
                notes.append(
                    f"ionised Ca = {ca_fraction:g} x total {total:.4g} mM = {fields['ca']:.4g} mM "
                    "(albumin not given, assumed normal; ionised fraction "
                    f"{ca_fraction:g} is a modelling choice, 45-50 % ionised in plasma; pH ignored)"
                )
            else:
                adjusted = float(payne_adjusted_calcium(total, albumin))
                fields["ca"] = float(ionised_calcium(total, albumin, ca_fraction))
                notes.append(
                    f"total Ca {total:.4g} mM adjusted for albumin {albumin:g} g/L to {adjusted:.4g} mM "
                    f"(Payne et al. 1973: + 0.02 x (40 - albumin)); ionised Ca = {ca_fraction:g} x "
                    f"{adjusted:.4g} = {fields['ca']:.4g} mM (ionised fraction {ca_fraction:g} is a modelling "
                    "choice, 45-50 % ionised in plasma; pH ignored)"
                )
        elif albumin is not None:
            _albumin_g_per_L(albumin)  # still refuse an impossible value
            notes.append(f"albumin {albumin:g} g/L not used (calcium not given as a total)")
        if "mg_total" in values:
            total = conc("mg_total", "mg")
            fields["mg"] = float(ionised_magnesium(total, mg_fraction))
            notes.append(
                f"ionised Mg = {mg_fraction:g} x total {total:.4g} mM = {fields['mg']:.4g} mM (ionised fraction "
                f"{mg_fraction:g} is a modelling choice within 0.55-0.67 measured; no albumin correction)"
            )
        defaulted = [f for f in EXTRACELLULAR_FIELDS if f not in fields]
        if defaulted:
            notes.append(f"not given, 'normal' preset values used: {', '.join(defaulted)}")
        text = "From clinical values: " + "; ".join(notes) + "." if notes else "From clinical values (all in mM)."
        given = fields.get("description", "")
        fields["description"] = f"{given} {text}".strip()
        return cls(**fields)

    @classmethod
    def preset(cls, name: str) -> Electrolytes:
        """The named preset (see :data:`PRESETS` and :func:`preset_names`)."""
        try:
            return PRESETS[name]
        except (KeyError, TypeError):
            raise ValueError(
                f"preset name = {name!r} is not known; valid names: {', '.join(preset_names())}"
            ) from None

    # ------------------------------------------------------------ derived
    def replace(self, **changes) -> Electrolytes:
        """A new, validated object with some fields changed.

        Unless ``name`` / ``description`` are among the changes, the name gets the suffix
        " (modified)" and the description records what changed, so a modified preset is
        never mistaken for the original.

        Examples
        --------
        >>> e = Electrolytes.preset("normal").replace(k=3.0)
        >>> e.k, e.name
        (3.0, 'normal (modified)')
        """
        valid = [f.name for f in dataclasses.fields(self)]
        unknown = sorted(set(changes) - set(valid))
        if unknown:
            raise TypeError(f"replace got unknown field(s) {', '.join(unknown)}; valid fields: {', '.join(valid)}")
        changed = [f for f in _NUMERIC_FIELDS if f in changes and changes[f] != getattr(self, f)]
        if changed and "name" not in changes and not self.name.endswith(" (modified)"):
            changes["name"] = f"{self.name} (modified)"
        if changed and "description" not in changes:
            what = ", ".join(f"{f} {getattr(self, f)} -> {changes[f]}" for f in changed)
            changes["description"] = f"{self.description} Modified from {self.name!r}: {what}.".strip()
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict:
        """All fields as a plain dict (``Electrolytes(**e.as_dict()) == e``)."""
        return dataclasses.asdict(self)

    @property
    def anion_gap(self) -> float:
        """``na - (cl + hco3)``, mM; typically about 8-16 mM in plasma."""
        return self.na - (self.cl + self.hco3)

    def out_of_range(self) -> list[OutOfRange]:
        """Values outside their reference ranges (:data:`REFERENCE_RANGES`), in field order.

        Extracellular values are compared with adult plasma reference intervals; the
        cytosolic values (when set) and the temperature with the bands listed there. The
        comparison is made for bath solutions too, against the same human values.

        Returns
        -------
        list of OutOfRange
            Empty when everything is within range.
        """
        flags = []
        for f in _NUMERIC_FIELDS:
            value, rng = getattr(self, f), REFERENCE_RANGES.get(f)
            if value is None or rng is None:
                continue
            if value < rng.low or value > rng.high:
                verdict = "low" if value < rng.low else "high"
                flags.append(OutOfRange(f, value, rng.low, rng.high, rng.unit, verdict, rng.source))
        return flags

    def sources(self) -> list[tuple[str, str]]:
        """Each claim of :attr:`source` with its confidence (:data:`CONFIDENCE`)."""
        return list(zip(_claims(self.source), self.confidence))

    def report(self) -> str:
        """Human-readable table of the values, their reference ranges and the flags."""
        kind = "human plasma / interstitial fluid" if self.physiological else "experimental solution"
        lines = [f"Electrolytes {self.name!r} ({kind}, {self.celsius:g} degC)"]
        if self.description:
            lines.append(self.description)
        if self.source:
            lines.append(f"Source: {self.source}")
        flagged = {r.field: r for r in self.out_of_range()}
        lines.append(f"  {'field':<8}{'label':<15}{'value':>10}  {'reference':<15}unit")
        for f in _NUMERIC_FIELDS:
            value = getattr(self, f)
            if value is None:
                continue
            rng = REFERENCE_RANGES.get(f)
            ref = f"{rng.low:g}-{rng.high:g}" if rng else "-"
            unit = "degC" if f == "celsius" else "mM"
            flag = flagged[f].verdict.upper() if f in flagged else ""
            lines.append(f"  {f:<8}{_LABEL[f]:<15}{value:>10.4g}  {ref:<15}{unit:<6}{flag}".rstrip())
        unset = [f for f in INTRACELLULAR_FIELDS if getattr(self, f) is None]
        if unset:
            lines.append(f"  not set, the cell model's own cytosolic values apply: {', '.join(unset)}")
        lines.append(f"  anion gap na - (cl + hco3) = {self.anion_gap:.4g} mM (typically about 8-16)")
        if flagged:
            lines.append("Outside the reference range: " + "; ".join(str(r) for r in flagged.values()) + ".")
        else:
            lines.append("All values are within their reference ranges.")
        lines.append(
            "Reference ranges are typical adult values; they differ between laboratories and are not "
            "diagnostic cut-offs."
        )
        return "\n".join(lines)


# ------------------------------------------------------------------ presets
# pH change of halving PCO2 (40 -> 20 mmHg) with HCO3 25 -> 21 mM, Henderson-Hasselbalch
_DPH_HYPERVENTILATION = ph_from_pco2(20.0, _HCO3 - 4.0) - ph_from_pco2(40.0, _HCO3)


def _preset(name: str, description: str, source: str, **values) -> Electrolytes:
    return Electrolytes(name=name, description=description, source=source, **values)


_S_NORMAL = (
    "Na 140 (reference 135-145; hyponatraemia < 135, Spasovski et al. 2014, Eur J Endocrinol "
    "170:G1-G47) [confirmed]; K 4.2 (3.5-5.0; Castro & Sharma, StatPearls NBK482465) [confirmed via "
    "summary]; Cl 104 and HCO3 25 [MEMORY - UNCONFIRMED, laboratory tables]; ionised Ca 1.22 (1.15-1.33, "
    "NHS Tayside) [confirmed]; ionised Mg 0.52 (0.45-0.60) [MEMORY - UNCONFIRMED]; each value is a modelling "
    "choice within its interval"
)
_S_TURNER = (
    "Turner J, Gittoes N, Selby P (2016) Society for Endocrinology emergency guidance, Endocr Connect "
    "5(5):G7-G8"
)
_S_HYPOMG = (
    "hypomagnesaemia is total Mg < 0.70 mmol/L (RCPA lower reference limit) [confirmed]; symptoms usually "
    "below 0.5 mmol/L [secondary]; total 0.50 mmol/L is a modelling choice at that threshold; ionised = "
    "0.60 x total (modelling choice; 55 % ionised, Barbagallo et al. 2009; 67 %, Altura & Altura 1994)"
)
_S_HYPOK = (
    "StatPearls 'Hypokalemia' (Castro & Sharma, NBK482465, 2023): mild 3.0-3.5, moderate 2.5-3.0, "
    "severe < 2.5 mmol/L [confirmed via summary]; RCEM Learning [confirmed]"
)
_S_HYPONA = (
    "Spasovski et al. 2014, European clinical practice guideline on hyponatraemia (Eur J Endocrinol "
    "170:G1-G47): mild 130-135, moderate 125-129, profound < 125 mmol/L [confirmed]"
)
_S_VITD = (
    "severe vitamin-D deficiency is a cause of acute hypocalcaemia (" + _S_TURNER + ") [confirmed]; "
    "in 760 outpatients 25(OH)D did not correlate with corrected Ca (Mert et al. 2017, Open J Endocr Metab "
    "Dis) [confirmed abstract]; secondary hyperparathyroidism keeps Ca low-normal (Holick 2007, N Engl J "
    "Med 357:266-281) [MEMORY - UNCONFIRMED]"
)

PRESETS: Mapping[str, Electrolytes] = types.MappingProxyType({p.name: p for p in [
    _preset(
        "normal",
        "Typical adult plasma, with ionised Ca and Mg (total Ca 2.40, total Mg 0.85 mmol/L).",
        _S_NORMAL,
    ),
    _preset(
        "hypocalcaemia_mild",
        "Mild, asymptomatic hypocalcaemia: ionised Ca 1.00 mmol/L (total about 2.00); other ions normal.",
        "modelling choice within the band of " + _S_TURNER + " (mild: adjusted Ca > 1.9 mmol/L, "
        "asymptomatic) [confirmed]; ionised band 0.9-1.1 mmol/L [secondary]",
        ca=1.00,
    ),
    _preset(
        "hypocalcaemia_severe",
        "Severe hypocalcaemia: ionised Ca 0.75 mmol/L (total about 1.70), the range of tetany and "
        "dysrhythmia; other ions normal.",
        "modelling choice within the band of " + _S_TURNER + " (severe: adjusted Ca < 1.9 mmol/L or "
        "symptomatic) [confirmed]; ionised Ca < 0.9 mmol/L treated urgently, < 0.8 associated with "
        "dysrhythmia (European trauma/transfusion guidance) [secondary]",
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
        _S_HYPOMG + "; hypokalaemia and hypocalcaemia commonly coexist [secondary]; hypocalcaemia is "
        "resistant to treatment when secondary to hypomagnesaemia (aaamedicines hypocalcaemia guideline) "
        "[confirmed]; K 3.0 and ionised Ca 1.00 are a modelling choice; Cl 102 is illustrative (keeps the "
        "anion gap near 13, modelling choice)",
        k=3.0, cl=102.0, ca=1.00, mg=0.30,
    ),
    _preset(
        "hypokalaemia_mild",
        "Mild hypokalaemia: K 3.2 mmol/L; Cl 100 and HCO3 27 illustrate the usual mild metabolic alkalosis.",
        "modelling choice within the mild band of " + _S_HYPOK + "; Cl and HCO3 illustrative "
        "(modelling choice)",
        k=3.2, cl=100.0, hco3=27.0,
    ),
    _preset(
        "hypokalaemia_severe",
        "Severe hypokalaemia: K 2.3 mmol/L; Cl 100 and HCO3 27 illustrate the usual metabolic alkalosis.",
        "modelling choice within the severe band (< 2.5 mmol/L) of " + _S_HYPOK + "; Cl and HCO3 "
        "illustrative (modelling choice)",
        k=2.3, cl=100.0, hco3=27.0,
    ),
    _preset(
        "hyponatraemia_mild",
        "Mild hyponatraemia: Na 132 mmol/L with Cl diluted to 96.",
        "modelling choice within the mild band of " + _S_HYPONA + "; K 4.0 and Cl 96 illustrative "
        "(modelling choice)",
        na=132.0, k=4.0, cl=96.0,
    ),
    _preset(
        "hyponatraemia_moderate",
        "Moderate hyponatraemia: Na 127 mmol/L with Cl diluted to 92.",
        "modelling choice within the moderate band of " + _S_HYPONA + "; K 4.0 and Cl 92 illustrative "
        "(modelling choice)",
        na=127.0, k=4.0, cl=92.0,
    ),
    _preset(
        "hyponatraemia_severe",
        "Profound ('severe') hyponatraemia: Na 118 mmol/L with Cl diluted to 85.",
        "modelling choice within the profound band of " + _S_HYPONA + "; K 4.0 and Cl 85 illustrative "
        "(modelling choice)",
        na=118.0, k=4.0, cl=85.0,
    ),
    _preset(
        "hyperventilation",
        "Acute hyperventilation (respiratory alkalosis): PCO2 halved from 40 to 20 mmHg, HCO3 falls "
        "4 mmol/L to 21, pH 7.63, and ionised Ca falls with pH to 1.11 mmol/L; other ions normal.",
        "paraesthesiae appear when alveolar PCO2 has fallen ~20 mmHg (Macefield & Burke 1991, Brain "
        "114:527, abstract) [secondary]; pH by Henderson-Hasselbalch and ionised Ca by -0.05 mmol/L per "
        "+0.1 pH (neuromuscle.acid_base, cited there); HCO3 -2 mmol/L per -10 mmHg acute (textbook rule, "
        "modelling choice)",
        hco3=21.0, ph=round(PH_NORMAL + _DPH_HYPERVENTILATION, 2),
        ca=round(ionised_calcium_at_ph(_CA_ION, PH_NORMAL + _DPH_HYPERVENTILATION), 2),
    ),
    _preset(
        "vitamin_d_deficiency",
        "Compensated vitamin-D deficiency: secondary hyperparathyroidism holds ionised Ca at the lower "
        "reference limit, 1.15 mmol/L (total about 2.20). Low phosphate and high PTH are not fields of "
        "this model.",
        _S_VITD + "; ionised Ca 1.15 is a modelling choice within the low-normal band 1.10-1.15 mmol/L",
        ca=1.15,
    ),
    _preset(
        "vitamin_d_deficiency_severe",
        "Severe, prolonged vitamin-D deficiency (osteomalacia) with frank hypocalcaemia: ionised Ca "
        "0.95 mmol/L; other ions normal.",
        _S_VITD + "; ionised Ca 0.95 is a modelling choice within the band 0.95-1.0 mmol/L",
        ca=0.95,
    ),
    _preset(
        "exercise_hyponatraemia",
        "Exercise-associated hyponatraemia after hours of heavy sweating replaced with plain water: "
        "Na diluted to 128 mmol/L, K 3.8, Cl 95, HCO3 24, ionised Ca 1.20 and Mg 0.48 (totals 2.35 and 0.80).",
        "definition Na < 135 mmol/L during or up to 24 h after prolonged exercise (Hew-Butler et al. 2015, "
        "Clin J Sport Med 25:303-320) [confirmed]; 13 % of Boston Marathon runners <= 135 and 0.6 % <= 120 "
        "mmol/L (Almond et al. 2005, N Engl J Med 352:1550-1556) [confirmed]; dilution estimate 126-135 "
        "mmol/L after 4 L sweat (50 mM Na) and 4-7 L water (Edelman relation, citation MEMORY - UNCONFIRMED) "
        "[computed]; the values are a modelling choice",
        na=128.0, k=3.8, cl=95.0, hco3=24.0, ca=1.20, mg=0.48,
    ),
]})


def preset_names() -> list[str]:
    """Names of the presets, in definition order (``"normal"`` first)."""
    return list(PRESETS)


# ------------------------------------------------------------------ electrolytes -> model parameters
#: The model parameter that carries each field (the names every model is built to).
PARAMETER_OF_FIELD: Mapping[str, str] = types.MappingProxyType({
    **{i.field: i.outside for i in IONS.values()},
    **{f"{i.field}_in": i.inside for i in IONS.values() if i.inside is not None},
    "celsius": "celsius", "ph": "pH_o",
})
#: The field each electrolyte parameter comes from (inverse of :data:`PARAMETER_OF_FIELD`).
FIELD_OF_PARAMETER: Mapping[str, str] = types.MappingProxyType({v: k for k, v in PARAMETER_OF_FIELD.items()})


def model_parameters(model, electrolytes: Electrolytes | str) -> dict[str, float]:
    """Parameter overrides that put ``model`` in ``electrolytes``.

    Sets whichever of the electrolyte parameters (:data:`PARAMETER_OF_FIELD`) the model
    declares; cytosolic fields left unset (``None``) keep the model's own values. Anything
    computed from the electrolytes (the surface-charge gating shift, Nernst potentials)
    follows inside the model.

    Parameters
    ----------
    model : Model
        Any model built to the names of :data:`PARAMETER_OF_FIELD`.
    electrolytes : Electrolytes or str
        The environment, or a preset name.

    Returns
    -------
    dict
        ``{parameter name: value}``, for :func:`~neuromuscle.simulate` ``params`` or
        :meth:`~neuromuscle.model.Model.parameter_vector`.

    Examples
    --------
    >>> import neuromuscle as nm
    >>> model_parameters(nm.motor_axon(), "hypocalcaemia_severe")["Ca_o"]
    0.75
    """
    e = Electrolytes.preset(electrolytes) if isinstance(electrolytes, str) else electrolytes
    declared = model.parameter_index
    out = {}
    for field_name, par in PARAMETER_OF_FIELD.items():
        value = getattr(e, field_name)
        if par in declared and value is not None:
            out[par] = float(value)
    return out


def as_electrolytes(name: str, value, default: str | None = None):
    """An :class:`~neuromuscle.Electrolytes` from an object or a preset name (``None``: ``default``)."""
    if value is None and default is not None:
        value = default
    if isinstance(value, Electrolytes):
        return value
    if isinstance(value, str):
        try:
            return Electrolytes.preset(value)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    raise TypeError(f"{name} must be an Electrolytes object or a preset name, got {value!r}")
