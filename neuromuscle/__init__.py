"""neuromuscle: how electrolyte disorders change nerve and skeletal-muscle behaviour.

Units (a package-wide rule; names carry a unit only where it is not one of these):

=====================  ==========
quantity               unit
=====================  ==========
membrane potential     mV
time                   ms
concentration          mM
current density        uA/cm2
conductance density    mS/cm2
capacitance            uF/cm2
permeability           cm/s
temperature            degrees C (arguments are named ``celsius``)
rates                  1/ms
=====================  ==========

Sign conventions: membrane potential is inside minus outside; ionic current is
positive outward; applied (stimulus) current is positive when it depolarises.
"""

from . import electrochem, electrolytes, protocols
from ._version import __version__
from .electrolytes import Electrolytes
from .model import Model
from .models import (
    fibre_states,
    hodgkin_huxley,
    motor_axon,
    motor_axon_myelinated,
    muscle_ec,
    muscle_fibre,
    nerve_muscle,
)
from .protocols import NoStimulus, Pulse, PulseTrain, Ramp, Step
from .simulation import SimulationError, SimulationResult, simulate

__all__ = [
    "analysis", "electrochem", "electrolytes", "protocols", "Electrolytes", "Model",
    "hodgkin_huxley", "motor_axon", "motor_axon_myelinated", "muscle_fibre", "fibre_states", "muscle_ec",
    "nerve_muscle",
    "simulate", "SimulationResult", "SimulationError",
    "Step", "Pulse", "PulseTrain", "Ramp", "NoStimulus", "__version__",
]


def __getattr__(name: str):
    # ``analysis`` (about a third of the package's own import time) is imported on first
    # use, so a script that only builds and simulates a model does not pay for it.
    if name == "analysis":
        import neuromuscle.analysis  # not "from . import": that would look the name up here again

        return neuromuscle.analysis
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
