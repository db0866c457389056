"""Building blocks of models: channels, leak, membrane, reversal potentials."""

from .base import Component, Output, Parameter, State
from .ec_coupling import PumpATPDemand, SternRiosRelease, ca_system
from .ghk import Nernst
from .hh1952 import HHPotassium, HHSodium
from .membrane import Leak, Membrane
from .reversal import FixedReversal

__all__ = [
    "Component", "Output", "Parameter", "State",
    "HHSodium", "HHPotassium", "Leak", "Membrane", "FixedReversal", "Nernst", "SternRiosRelease",
    "ca_system", "PumpATPDemand",
]
