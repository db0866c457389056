"""Published models, each built from components with its citation."""

from .hodgkin_huxley import SQUID_CONCENTRATIONS, hodgkin_huxley
from .motor_axon import motor_axon, motor_axon_environment
from .muscle_ec import muscle_ec
from .muscle_fibre import fibre_states, muscle_fibre
from .myelinated_axon import motor_axon_myelinated
from .nerve_muscle import nerve_muscle

__all__ = ["hodgkin_huxley", "SQUID_CONCENTRATIONS", "motor_axon", "motor_axon_environment", "muscle_fibre",
           "fibre_states", "muscle_ec", "motor_axon_myelinated", "nerve_muscle"]
