"""A reversal potential given as a parameter (classic models); a Nernst potential from the
model's concentrations is :class:`~neuromuscle.components.ghk.Nernst`."""

from __future__ import annotations

from .base import Component, Output, Parameter

__all__ = ["FixedReversal"]




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
