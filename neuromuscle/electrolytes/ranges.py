"""Fields of an :class:`~neuromuscle.electrolytes.Electrolytes` record, their hard limits and
reference ranges, and the confidence of the sources behind them."""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass

from .._validate import check_choice
from ..constants import CELSIUS_RANGE
from ..electrochem import MAX_CONCENTRATION

# ------------------------------------------------------------------ ranges
#: How firm a sourced value is, firmest first: the level -> what it means.
CONFIDENCE = {
    "confirmed": "checked against the cited publication",
    "secondary": "checked against a secondary account of it (an abstract, a summary, a review)",
    "computed": "computed from other sourced values",
    "unchecked": "recalled from the literature or a modelling choice; not checked against a publication",
}


@dataclass(frozen=True)
class Range:
    """A closed (by default) interval with its unit and the source of its bounds.

    ``confidence`` is the :data:`CONFIDENCE` level of the bounds: that of the least firm
    claim in ``source`` (``"unchecked"`` unless stated).
    """

    low: float
    high: float
    unit: str
    source: str
    low_inclusive: bool = True
    high_inclusive: bool = True
    confidence: str = "unchecked"

    def __post_init__(self) -> None:
        check_choice("confidence", self.confidence, CONFIDENCE)


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
                "acute salt ingestion; salt-overdose survivors 150-228 mmol/L; limits = these extremes plus "
                "a margin (modelling choice)", confidence="unchecked"),
    "k": Range(0.8, 15.0, "mM",
               "non-fatal K 14 mmol/L with full recovery (Tran HA 2005, 'Extreme hyperkalemia', South Med J); "
               "survivors near 1.0 mmol/L; plus a margin (modelling choice)", confidence="unchecked"),
    "cl": Range(50.0, 160.0, "mM",
                "Cl 60 mmol/L in a survivor (beer-potomania case report, Na 98); lower limit adds a margin; "
                "upper limit is a modelling choice", confidence="unchecked"),
    "hco3": Range(2.0, 60.0, "mM", "modelling choice", confidence="unchecked"),
    "ca": Range(0.3, 3.5, "mM",
                "ionised Ca; modelling choice well outside laboratory critical limits (survey means "
                "0.82 and 1.55 mmol/L)", confidence="unchecked"),
    "mg": Range(0.05, 6.0, "mM",
                "ionised Mg; modelling choice scaled from total-Mg limits 0.1-10 mmol/L (toxicity bands "
                "from MgSO4 labelling)", confidence="unchecked"),
    "na_in": Range(1.0, 80.0, "mM", "cytosolic Na; modelling choice"),
    "k_in": Range(50.0, 200.0, "mM", "cytosolic K; modelling choice"),
    "cl_in": Range(0.0, 160.0, "mM",
                   "cytosolic Cl; modelling choice of this module (no cited limit): > 0 and at most the "
                   "plasma Cl hard maximum", low_inclusive=False),
    "ca_in": Range(0.0, 0.01, "mM",
                   "free cytosolic Ca at rest; modelling choice: sustained micromolar Ca activates proteases "
                   "and causes contracture, resting level is 50-100 nM (Hille 2001, Table 1.1: ~1e-7 M; "
                   "~100 nM)", low_inclusive=False, high_inclusive=False, confidence="unchecked"),
    "mg_in": Range(0.05, 5.0, "mM",
                   "free cytosolic Mg; highest (electrode) estimate 3.3 mM, frog muscle (Hess, Metzger & "
                   "Weingart 1982, J Physiol 333:173-188); limits are a modelling choice", confidence="unchecked"),
    "celsius": Range(15.0, 45.0, "degC",
                     "core temperature of a living human; modelling choice (Q10 scaling of human channel "
                     "kinetics is not meaningful outside this range)", confidence="unchecked"),
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
                "guideline, Eur J Endocrinol 170:G1-G47); 135-145 quoted as normal in case reports",
                confidence="confirmed"),
    "k": Range(3.5, 5.0, "mM",
               "lower limit 3.5 mmol/L: Castro & Sharma, StatPearls 'Hypokalemia' (NBK482465, 2023); upper "
               "limit 5.0 is a common laboratory value (laboratories use 5.0-5.3; hyperkalaemia > 5.5, RCEM "
               "Learning)", confidence="secondary"),
    "cl": Range(98.0, 107.0, "mM",
                "laboratory tables (Tietz / Harrison); RCPA/AACB harmonised 95-110", confidence="unchecked"),
    "hco3": Range(22.0, 29.0, "mM", "total CO2, laboratory tables; RCPA 22-32", confidence="unchecked"),
    "ca": Range(1.15, 1.30, "mM",
                "ionised Ca: 1.15-1.33 mmol/L (NHS Tayside pathway); 1.1-1.3 (European trauma guidelines) "
                "and 1.16-1.32 (ASCP); laboratories use 1.10-1.35", confidence="unchecked"),
    "mg": Range(0.45, 0.60, "mM",
                "ionised Mg, ion-selective-electrode reference intervals (e.g. NOVA analysers)",
                confidence="unchecked"),
    "na_in": Range(5.0, 30.0, "mM", _SOFT_CYTOSOL),
    "k_in": Range(100.0, 170.0, "mM", _SOFT_CYTOSOL),
    "ca_in": Range(20e-6, 300e-6, "mM", "20-300 nM; " + _SOFT_CYTOSOL),
    "mg_in": Range(0.2, 1.5, "mM",
                   _SOFT_CYTOSOL + "; human calf muscle 0.56 +/- 0.10 mM (Ryschon et al. 1996, J Lab Clin "
                   "Med 127:207-213)", confidence="unchecked"),
    "celsius": Range(30.0, 42.0, "degC",
                     "band in which a core temperature is unremarkable for the model / modelling choice; "
                     "not a clinical normal range", confidence="unchecked"),
})
