"""Measures that answer users' questions: rest, stability, spikes, threshold, f-I."""

from ..steady import Equilibrium, equilibria, jacobian, resting_state
from .excitability import (
    FICurve,
    PulseResponse,
    StrengthDuration,
    Threshold,
    excitability_summary,
    fi_curve,
    pulse_response,
    rheobase,
    strength_duration,
    threshold_current,
)
from .spikes import ActionPotential, action_potential, firing_rate, spike_times, steady_firing_rate
from .spontaneous import (
    FiringOnset,
    SpontaneousActivity,
    firing_onset,
    spontaneous_activity,
    stability_onset,
)

__all__ = [
    "Equilibrium", "equilibria", "jacobian", "resting_state",
    "Threshold", "threshold_current", "rheobase", "StrengthDuration", "strength_duration",
    "FICurve", "fi_curve", "excitability_summary", "PulseResponse", "pulse_response",
    "SpontaneousActivity", "spontaneous_activity", "FiringOnset", "firing_onset", "stability_onset",
    "ActionPotential", "action_potential", "spike_times", "firing_rate", "steady_firing_rate",
]
