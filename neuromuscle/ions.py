"""The ions the package knows, in one table: name, valence, molar mass and the names under
which they appear (the :class:`~neuromuscle.electrolytes.Electrolytes` field and the model
parameters outside and inside the cell).

Every other valence or naming table of the package is derived from :data:`IONS`.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Ion", "IONS"]


@dataclass(frozen=True)
class Ion:
    """One ion species."""

    #: Chemical name, as in component inputs and reversal potentials (``"Na"`` -> ``E_Na``).
    name: str
    #: Charge number z.
    valence: int
    #: Molar mass, g/mol (standard atomic weights; HCO3 = H + C + 3 O), for mg/dL.
    molar_mass: float
    #: Field of :class:`~neuromuscle.electrolytes.Electrolytes` (extracellular, ionised).
    field: str
    #: Model parameter of the extracellular concentration, mM.
    outside: str
    #: Model parameter of the cytosolic (free) concentration, mM, or None.
    inside: str | None


#: Name -> :class:`Ion`, in the order the package lists them.
IONS: Mapping[str, Ion] = types.MappingProxyType({ion.name: ion for ion in (
    Ion("Na", 1, 22.990, "na", "Na_o", "Na_i"),
    Ion("K", 1, 39.098, "k", "K_o", "K_i"),
    Ion("Cl", -1, 35.45, "cl", "Cl_o", "Cl_i"),
    Ion("Ca", 2, 40.078, "ca", "Ca_o", "Ca_i"),
    Ion("Mg", 2, 24.305, "mg", "Mg_o", "Mg_i"),
    Ion("HCO3", -1, 61.02, "hco3", "HCO3_o", None),
)})
