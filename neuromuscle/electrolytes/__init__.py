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

The package is split by concern: :mod:`.ranges` (fields, hard limits, reference ranges,
confidence), :mod:`.clinical` (unit conversion, total -> ionised), :mod:`.presets` (the presets
as data), :mod:`.record` (the :class:`Electrolytes` record), :mod:`.report` (its printed
table) and :mod:`.parameters` (from a record to model parameters). Everything public is
importable from here.
"""

from __future__ import annotations

# Re-exports: the public names of the submodules (the package's API is ``__all__``; the
# other names stay importable from here as they were).
from .clinical import (  # noqa: F401
    CA_IONISED_FRACTION,
    MG_IONISED_FRACTION,
    MOLAR_MASS,
    PAYNE_REFERENCE_ALBUMIN,
    PAYNE_SLOPE,
    UNITS,
    VALENCE,
    from_mM,
    ionised_calcium,
    ionised_magnesium,
    payne_adjusted_calcium,
    to_mM,
)
from .parameters import FIELD_OF_PARAMETER, PARAMETER_OF_FIELD, as_electrolytes, model_parameters
from .presets import PRESET_DATA  # noqa: F401
from .ranges import (  # noqa: F401
    CONFIDENCE,
    EXTRACELLULAR_FIELDS,
    HARD_LIMITS,
    INTRACELLULAR_FIELDS,
    REFERENCE_RANGES,
    Range,
    weakest,
)
from .record import PRESETS, Electrolytes, OutOfRange, preset_names

__all__ = [
    "as_electrolytes",
    "CONFIDENCE",
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
