"""Published models, each built from components with its citation."""

from .hodgkin_huxley import SQUID_CONCENTRATIONS, hodgkin_huxley
from .motor_axon import motor_axon, motor_axon_environment

__all__ = ["hodgkin_huxley", "SQUID_CONCENTRATIONS", "motor_axon", "motor_axon_environment"]
