"""The standard excitability measures of the motor axon over a series of levels of one
electrolyte."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..analysis import excitability_summary, spontaneous_activity
from ..components.surface_charge import surface_shift
from ..electrochem import nernst
from ..electrolytes import Electrolytes
from ..models.motor_axon import motor_axon, motor_axon_environment
from ._progress import progress


def axon_electrolyte_series(
    field: str,
    levels: Sequence[float],
    *,
    base: Electrolytes | None = None,
    nap_fraction: float | None = None,
    pulse_durations: Sequence[float] = (0.1, 1.0),
    spontaneous_duration: float = 500.0,
    show_progress: bool = True,
) -> list[dict]:
    """Excitability of the motor-axon node at each ``level`` of one electrolyte ``field``.

    Each row holds the level, the gating shift, E_K and E_Na, the measures of
    :func:`~neuromuscle.analysis.excitability_summary`, and the spontaneous-firing verdict
    and rate of :func:`~neuromuscle.analysis.spontaneous_activity`. The electrolyte change is
    applied to ``base`` (default normal plasma); the model is built once and the
    electrolytes enter as parameters.
    """
    base = base or Electrolytes.preset("normal")
    model = motor_axon(base, nap_fraction=nap_fraction)
    rows = []
    for level in progress(list(levels), f"{field} series", show_progress):
        e = base.replace(**{field: float(level)})
        env = motor_axon_environment(e)
        row = {field: float(level), "gating shift (mV)": surface_shift(model, env)}
        row["E_K (mV)"] = float(nernst(e.k, env["K_i"], 1, e.celsius))
        row["E_Na (mV)"] = float(nernst(e.na, env["Na_i"], 1, e.celsius))
        row.update(excitability_summary(model, env, pulse_durations=pulse_durations))
        act = spontaneous_activity(model, env, duration=spontaneous_duration)
        row["spontaneous firing"] = float(act.firing)
        row["spontaneous rate (Hz)"] = act.rate
        rows.append(row)
    return rows


def column(rows: list[dict], key: str) -> np.ndarray:
    """One column of a list of row dicts as an array."""
    return np.array([r[key] for r in rows], dtype=float)
