"""Measures that answer users' questions: rest, stability, spikes, threshold, f-I, Ca
transients and force (peak, FDHM, relaxation, fusion, contracture), neuromuscular
transmission (quantal content, safety factor), nerve-to-force readouts and the ion budget
of ischaemia."""

from ..steady import Equilibrium, equilibria, jacobian, resting_state
from .conduction import Conduction, conduction, conduction_velocity, node_positions
from .ectopic import EctopicActivity, ectopic_activity, ectopic_map, ectopic_onset
from .excitability import (
    FICurve,
    PulseResponse,
    RefractoryPeriod,
    StrengthDuration,
    Threshold,
    excitability_summary,
    fi_curve,
    pulse_response,
    refractory_period,
    rheobase,
    strength_duration,
    threshold_current,
)
from .ischaemia import (
    ActivityLoad,
    IschaemicBudget,
    activity_sodium_load,
    ischaemic_ion_budget,
    periaxonal_k_balance,
    periaxonal_k_flux,
)
from .junction import (
    ChainResponse,
    QuantalContent,
    QuantalSize,
    SafetyFactor,
    blocking_magnesium,
    nerve_to_force,
    quantal_content,
    quantal_size,
    safety_factor,
)
from .spikes import ActionPotential, action_potential, firing_rate, spike_times, steady_firing_rate
from .spontaneous import (
    FiringOnset,
    SpontaneousActivity,
    firing_onset,
    spontaneous_activity,
    stability_onset,
)
from .threshold_tracking import plot_threshold_tracking, threshold_tracking
from .transients import (
    TransientMetrics,
    fusion_frequency,
    fusion_index,
    residual_force,
    transient_metrics,
    twitch_tetanus_ratio,
)

__all__ = [
    "Conduction", "conduction", "conduction_velocity", "node_positions",
    "EctopicActivity", "ectopic_activity", "ectopic_map", "ectopic_onset",
    "threshold_tracking", "plot_threshold_tracking",
    "Equilibrium", "equilibria", "jacobian", "resting_state",
    "Threshold", "threshold_current", "rheobase", "StrengthDuration", "strength_duration",
    "FICurve", "fi_curve", "excitability_summary", "PulseResponse", "pulse_response",
    "RefractoryPeriod", "refractory_period",
    "SpontaneousActivity", "spontaneous_activity", "FiringOnset", "firing_onset", "stability_onset",
    "ActionPotential", "action_potential", "spike_times", "firing_rate", "steady_firing_rate",
    "TransientMetrics", "transient_metrics", "twitch_tetanus_ratio", "fusion_index", "fusion_frequency",
    "residual_force",
    "QuantalContent", "quantal_content", "SafetyFactor", "safety_factor", "QuantalSize", "quantal_size",
    "blocking_magnesium",
    "ChainResponse", "nerve_to_force",
    "IschaemicBudget", "ischaemic_ion_budget", "ActivityLoad", "activity_sodium_load",
    "periaxonal_k_flux", "periaxonal_k_balance",
]
