"""Helpers for Hodgkin-Huxley-type gates: temperature factors and gate kinetics."""

from __future__ import annotations

__all__ = ["q10_factor", "q10_precompute", "gate_derivative"]


def q10_factor(q10, celsius, celsius_ref):
    """Rate multiplier ``q10 ** ((celsius - celsius_ref) / 10)`` (dimensionless)."""
    return q10 ** ((celsius - celsius_ref) / 10.0)


def q10_precompute(celsius, q10, celsius_ref):
    """``precompute`` of a channel whose rates share one Q10: returns ``(phi,)``."""
    return (q10_factor(q10, celsius, celsius_ref),)


def gate_derivative(x, alpha, beta, phi):
    """``dx/dt = phi (alpha (1 - x) - beta x)`` per ms, for rates in 1/ms."""
    return phi * (alpha * (1.0 - x) - beta * x)
