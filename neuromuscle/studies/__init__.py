"""Ready-made studies shared by the experiment scripts: the standard excitability measures
of the motor axon over a series of levels of one electrolyte, and the resting energy
budget, twitch and tetanic trains of the fibre with EC coupling.

This is the top layer (it uses models and analysis); sweeps over several parameters at
once belong to :mod:`neuromuscle.sweep`. The package is split by study (:mod:`.axon`,
:mod:`.contraction`, :mod:`.release`, :mod:`.calcium_force`); everything is importable from
here.
"""

from __future__ import annotations

from ._progress import progress
from .axon import axon_electrolyte_series, column  # noqa: F401
from .calcium_force import CalciumForce, calcium_force_relation  # noqa: F401
from .contraction import Contraction, _rest_summary, contraction_study, ec_threshold  # noqa: F401
from .release import ReleaseTrain, release_per_action_potential

__all__ = ["axon_electrolyte_series", "progress", "contraction_study", "Contraction", "release_per_action_potential",
           "ReleaseTrain", "ec_threshold"]
