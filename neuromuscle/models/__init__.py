"""Published models, each built from components with its citation."""

from .hodgkin_huxley import SQUID_CONCENTRATIONS, hodgkin_huxley

__all__ = ["hodgkin_huxley", "SQUID_CONCENTRATIONS"]
