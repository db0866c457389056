"""Reversal components that read the model's concentration parameters.

They use the unchecked kernels of :mod:`neuromuscle.electrochem` (``nernst_unchecked``,
``rt_over_f``; ``ghk_current_density`` is re-exported here for channel modules), because
they run inside the right-hand side; the public functions there validate their arguments
and call the same kernels."""

from __future__ import annotations

import numpy as np

from ..citations import cite
from ..electrochem import ghk_current_density, nernst_unchecked, rt_over_f
from ..ions import IONS
from .base import Component, Output, Parameter

__all__ = ["ghk_current_density", "Nernst", "GHKLeakReversal"]


class Nernst(Component):
    """Nernst potential of ``ion`` from the model's concentration parameters
    ``<ion>_o`` and ``<ion>_i``; provides ``E_<ion>``. The valence ``z`` defaults to the
    ion's in :data:`neuromuscle.ions.IONS`."""

    states = ()
    citation = cite("nernst1889")

    def __init__(self, name: str, ion: str, z: int | None = None, **kw) -> None:
        if ion not in IONS:
            raise ValueError(f"ion must be one of {sorted(IONS)}, got {ion!r}")
        self.ion = ion
        self.z = IONS[ion].valence if z is None else z
        kw.setdefault("inputs", {"celsius": "celsius", "c_out": f"{ion}_o", "c_in": f"{ion}_i"})
        super().__init__(name, **kw)

    @property
    def outputs(self):  # type: ignore[override]
        return (Output("E", "mV", f"{self.ion} Nernst potential", provides=f"E_{self.ion}"),)

    def default_parameters(self):  # type: ignore[override]
        return {"z": Parameter(float(self.z), "1", "definition: the ion's valence", f"valence of {self.ion}",
                               (-2.0, 2.0))}

    @staticmethod
    def equations(celsius, c_out, c_in, z):
        return (nernst_unchecked(c_out, c_in, z, celsius),)


class GHKLeakReversal(Component):
    """Reversal potential of a leak permeable to K and Na with ``P_Na/P_K = ratio``:
    ``E_L = (RT/F) ln((K_o + r Na_o)/(K_i + r Na_i))`` (GHK voltage equation); provides ``E_L``.

    Lets the leak follow the electrolytes instead of sitting at a fixed potential.
    """

    states = ()
    outputs = (Output("E", "mV", "Leak reversal potential (GHK, K and Na)", provides="E_L"),)
    citation = f"{cite('goldman1943')}; {cite('hodgkin1949')}"

    @classmethod
    def default_parameters(cls):
        return {"ratio": Parameter(0.05, "1", "input: set by the model that uses it", "P_Na/P_K of the leak",
                                   (0.0, 100.0))}

    @classmethod
    def default_inputs(cls):
        return {"celsius": "celsius", "K_o": "K_o", "K_i": "K_i", "Na_o": "Na_o", "Na_i": "Na_i"}

    @staticmethod
    def equations(celsius, K_o, K_i, Na_o, Na_i, ratio):
        return (rt_over_f(celsius) * np.log((K_o + ratio * Na_o) / (K_i + ratio * Na_i)),)
