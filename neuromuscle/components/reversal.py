"""Reversal potentials: fixed (classic model parameters) or Nernst from concentrations."""

from __future__ import annotations

from ..citations import cite
from ..electrochem import nernst_unchecked
from ..ions import IONS
from .base import Component, Output, Parameter

__all__ = ["FixedReversal", "NernstReversal", "ION_VALENCE"]

#: Valences of the ions a reversal potential may be computed for (from :data:`~neuromuscle.ions.IONS`).
ION_VALENCE = {name: ion.valence for name, ion in IONS.items() if ion.inside is not None}



class FixedReversal(Component):
    """A reversal potential given as a parameter; provides ``E_<ion>``."""

    states = ()
    citation = ""

    def __init__(self, name: str, ion: str, value: float, source: str, **kw) -> None:
        self.ion = ion
        params = kw.pop("parameters", {})
        params.setdefault(
            "E", Parameter(value, "mV", source, f"{ion} reversal potential", (-200.0, 200.0))
        )
        super().__init__(name, parameters=params, **kw)

    @property
    def outputs(self):  # type: ignore[override]
        return (Output("E", "mV", f"{self.ion} reversal potential", provides=f"E_{self.ion}"),)

    def default_parameters(self):  # type: ignore[override]
        return {"E": Parameter(0.0, "mV", "input: set by the model that uses it", "reversal potential",
                               (-200.0, 200.0))}

    @staticmethod
    def equations(E):
        return (E,)


class NernstReversal(Component):
    """Nernst potential ``E = (RT/zF) ln(c_out/c_in)`` from concentration parameters.

    Provides ``E_<ion>``; reads the model temperature ``celsius``. The concentrations are
    parameters (``c_out``, ``c_in``, mM) so that sweeps can vary them.
    """

    states = ()
    citation = cite("nernst1889")

    def __init__(self, name: str, ion: str, c_out: Parameter, c_in: Parameter, **kw) -> None:
        if ion not in ION_VALENCE:
            raise ValueError(f"ion must be one of {sorted(ION_VALENCE)}, got {ion!r}")
        self.ion = ion
        params = kw.pop("parameters", {})
        params.setdefault("c_out", c_out)
        params.setdefault("c_in", c_in)
        params.setdefault(
            "z", Parameter(float(ION_VALENCE[ion]), "1", "definition: the ion's valence", f"valence of {ion}", (-2, 2))
        )
        super().__init__(name, parameters=params, **kw)

    @property
    def outputs(self):  # type: ignore[override]
        return (Output("E", "mV", f"{self.ion} Nernst potential", provides=f"E_{self.ion}"),)

    def default_parameters(self):  # type: ignore[override]
        pos = (1e-9, 1e4)
        return {
            "c_out": Parameter(1.0, "mM", "input: set by the model that uses it", "extracellular concentration", pos),
            "c_in": Parameter(1.0, "mM", "input: set by the model that uses it", "intracellular concentration", pos),
            "z": Parameter(1.0, "1", "definition: the ion's valence", "valence", (-2, 2)),
        }

    def default_inputs(self):  # type: ignore[override]
        return {"celsius": "celsius"}

    @staticmethod
    def equations(celsius, c_out, c_in, z):
        return (nernst_unchecked(c_out, c_in, z, celsius),)
