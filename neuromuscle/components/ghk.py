"""GHK current density per unit permeability, and reversal components that read the
model's concentration parameters. Pure arithmetic (no argument checks) because these run
inside the right-hand side; the public, checked versions are in
:mod:`neuromuscle.electrochem`."""

from __future__ import annotations

import numpy as np

from ..constants import FARADAY, GAS_CONSTANT, ZERO_CELSIUS
from ..mathfn import x_over_expm1
from .base import Component, Output, Parameter

__all__ = ["ghk_current_density", "Nernst", "GHKLeakReversal"]

_R_OVER_F_MV = GAS_CONSTANT / FARADAY * 1e3  # mV per kelvin


def ghk_current_density(V, c_out, c_in, z, celsius):
    """GHK current per unit permeability, uA/cm2 per (cm/s): ``z F (c_in g(u) - c_out g(-u))``.

    Same formula as :func:`neuromuscle.electrochem.ghk_current` (which validates its
    arguments); ``g(u) = u / (1 - exp(-u))``, ``u = z V F / RT``.
    """
    u = z * V / (_R_OVER_F_MV * (celsius + ZERO_CELSIUS))
    return z * FARADAY * (c_in * x_over_expm1(-u) - c_out * x_over_expm1(u))


class Nernst(Component):
    """Nernst potential of ``ion`` from the model's concentration parameters
    ``<ion>_o`` and ``<ion>_i``; provides ``E_<ion>``."""

    states = ()
    citation = "Nernst W (1889) Z Phys Chem 4:129"

    def __init__(self, name: str, ion: str, z: int, **kw) -> None:
        self.ion = ion
        self.z = z
        kw.setdefault("inputs", {"celsius": "celsius", "c_out": f"{ion}_o", "c_in": f"{ion}_i"})
        super().__init__(name, **kw)

    @property
    def outputs(self):  # type: ignore[override]
        return (Output("E", "mV", f"{self.ion} Nernst potential", provides=f"E_{self.ion}"),)

    def default_parameters(self):  # type: ignore[override]
        return {"z": Parameter(float(self.z), "1", "valence", f"valence of {self.ion}", (-2.0, 2.0))}

    @staticmethod
    def equations(celsius, c_out, c_in, z):
        return (_R_OVER_F_MV * (celsius + ZERO_CELSIUS) / z * np.log(c_out / c_in),)


class GHKLeakReversal(Component):
    """Reversal potential of a leak permeable to K and Na with ``P_Na/P_K = ratio``:
    ``E_L = (RT/F) ln((K_o + r Na_o)/(K_i + r Na_i))`` (GHK voltage equation); provides ``E_L``.

    Lets the leak follow the electrolytes instead of sitting at a fixed potential.
    """

    states = ()
    outputs = (Output("E", "mV", "Leak reversal potential (GHK, K and Na)", provides="E_L"),)
    citation = "Goldman 1943; Hodgkin & Katz 1949"

    @classmethod
    def default_parameters(cls):
        return {"ratio": Parameter(0.05, "1", "", "P_Na/P_K of the leak", (0.0, 100.0))}

    @classmethod
    def default_inputs(cls):
        return {"celsius": "celsius", "K_o": "K_o", "K_i": "K_i", "Na_o": "Na_o", "Na_i": "Na_i"}

    @staticmethod
    def equations(celsius, K_o, K_i, Na_o, Na_i, ratio):
        vt = _R_OVER_F_MV * (celsius + ZERO_CELSIUS)
        return (vt * np.log((K_o + ratio * Na_o) / (K_i + ratio * Na_i)),)
