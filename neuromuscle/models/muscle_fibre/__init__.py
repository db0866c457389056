"""A mammalian fast-twitch skeletal-muscle fibre: surface membrane plus a lumped t-tubule,
driven by the electrolytes.

Channels, pump and tubule are those of Wallinga et al. (1999), as transcribed by Shorten et
al. (2007, CellML) and Senneff & Lowery (2021, code), at 37 C with the Senneff & Lowery
Q10s (:mod:`neuromuscle.components.muscle_wallinga`, docs/models/muscle_fibre.md). The
surface membrane (potential ``V``) carries Na (fast and slow inactivation), delayed-rectifier
K, inward-rectifier K (Standen-Stanfield K_o dependence), ClC-1, the Na/K pump, a GHK Na
background and an optional non-selective cation leak. The tubular membrane (potential ``u``,
``gamma`` = 4.8 cm2 per cm2 of surface) carries the same channels at densities ``eta`` times
the surface ones and is reached through the access resistance ``R_a``; K leaving the
tubular membrane accumulates in the lumen (``K_t``).

How the electrolytes enter: Nernst potentials of Na, K and Cl; K_o in the inward rectifier
(conductance and block) and the pump; Na_o in the pump; Ca and Mg through the surface
potential (a gating shift, as for the axon). Intracellular Na, K and Cl are parameters:
an *acute* change of the plasma keeps them, :func:`fibre_states` with ``mode="chloride"``
or ``"chronic"`` lets them re-settle (see its docstring).

The package is split by concern: :mod:`.build` (the components and the model builder),
:mod:`.calibration` (resting densities calibrated to measured resting properties),
:mod:`.steady_state` (ion currents, resting states and their solver) and :mod:`.factory`
(:func:`muscle_fibre`). Everything public is importable from here.
"""

from __future__ import annotations

from .build import (
    FIBRE_ELECTROLYTES,
    GATING_RATE_REFERENCES,
    MUSCLE_CYTOSOL,
    TUBULAR_DENSITY,
    cation_permeability,
)
from .calibration import NA_CONDUCTANCE, NA_CONDUCTANCE_RANGE, RESTING_TARGETS, _slope  # noqa: F401
from .factory import muscle_fibre
from .steady_state import FibreState, fibre_states, ion_currents

__all__ = [
    "muscle_fibre", "FIBRE_ELECTROLYTES", "MUSCLE_CYTOSOL", "RESTING_TARGETS", "NA_CONDUCTANCE",
    "NA_CONDUCTANCE_RANGE", "TUBULAR_DENSITY", "GATING_RATE_REFERENCES",
    "FibreState", "fibre_states",
    "ion_currents", "cation_permeability",
]
