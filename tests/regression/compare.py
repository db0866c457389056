"""Compare an experiment's quick output with the record made before a refactor.

The records (every ``data/experiments_quick_*.json``, written by ``record_experiments.py``)
hold every number and text an experiment's quick run returned: ``experiments_quick_bf4cc49.json``
the experiments recorded before the model-graph refactor, ``experiments_quick_extra.json``
(recorded at 48b5e00) the junction, nerve-to-force, thin-filament, force-summation, tetany
and threshold-tracking experiments added to the comparison afterwards. Each experiment is in
exactly one file, so re-recording one file leaves the others as they are. A refactor that is not
meant to change the physiology must reproduce them: texts exactly, numbers to
:data:`RTOL` relative or :data:`ATOL` absolute. Why not to the last bit: recomposing a
model reorders its state vector, which changes the pivoting of the stiff solver's LU
decompositions and with it the adaptive steps, so integrated quantities move by about the
solvers' tolerances (1e-6 to 1e-9 relative); a residual force of 1.2e-3 moved by 3.6e-9
and elasticities that are numerical zeros (AP to SERCA, ~1e-8) by 1e-7.
Both tolerances are far below any digit the experiments print. Slopes taken by finite
differences of a sampled trace (keys with ``dvdt`` or ``dV/dt``, e.g. ``max_ionic_dvdt`` from
``np.gradient`` on a 0.002 ms grid) divide the states' error by the grid step, so they are
compared to :data:`SLOPE_RTOL`: on another CPU (other SIMD widths in the compiled kernels
change the last bits, then the adaptive steps) the maximum dV/dt at Na 30 mM moved by
3.8e-5 relative while every state-derived value stayed within :data:`RTOL`. Not compared: raw state
vectors kept in ``records`` (their layout is the model's, not a figure), wall-clock times (``wall
time (s)``, ``wall_time_s``) and
source texts.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from .record_experiments import flatten

DATA = Path(__file__).parent / "data"
#: The first record file; :func:`_records` reads every ``experiments_quick_*.json`` in ``DATA``.
RECORD = DATA / "experiments_quick_bf4cc49.json"
RTOL = 1e-5
ATOL = 1e-6
#: Relative tolerance for finite-difference slopes of sampled traces (see the module text).
SLOPE_RTOL = 2e-4
SLOPE_KEYS = ("dvdt", "dv/dt")
#: Paths that are not figures: raw records (state layout), wall-clock times, and the source
#: texts and confidence of electrolyte presets (provenance, reworded when the confidence
#: notes became data).
IGNORED = ("/records/", "study (s)", "/seconds", "/source", "/confidence/", "wall time (s)", "wall_time_s")


@lru_cache(maxsize=1)
def _records() -> dict[str, tuple[str, dict]]:
    """Experiment name -> (record file name, its flattened numbers), from every record file."""
    out: dict[str, tuple[str, dict]] = {}
    for path in sorted(DATA.glob("experiments_quick_*.json")):
        for name, numbers in json.loads(path.read_text()).items():
            if name in out:
                raise ValueError(f"{name} is recorded in both {out[name][0]} and {path.name}")
            out[name] = (path.name, numbers)
    return out


def _record() -> dict:
    """Every recorded experiment's numbers, by experiment name."""
    return {name: numbers for name, (_, numbers) in _records().items()}


def differences(name: str, result, rtol: float = RTOL, atol: float = ATOL) -> list[str]:
    """Every value of ``result`` (an experiment's return value) that differs from the record."""
    def keep(d):
        return {k: v for k, v in d.items() if not any(i in k for i in IGNORED)}

    old, new = keep(_record()[name]), keep(flatten(result))
    out = [f"{k}: missing (was {old[k]!r})" for k in sorted(set(old) - set(new))]
    out += [f"{k}: new ({new[k]!r})" for k in sorted(set(new) - set(old))]
    for k in sorted(set(old) & set(new)):
        a, b = old[k], new[k]
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
            tol = max(rtol, SLOPE_RTOL) if any(m in k.lower() for m in SLOPE_KEYS) else rtol
            if not math.isclose(a, b, rel_tol=tol, abs_tol=atol):
                out.append(f"{k}: {a!r} -> {b!r}")
        elif a != b:
            out.append(f"{k}: {a!r} -> {b!r}")
    return out


def assert_as_recorded(name: str, result) -> None:
    """Fail, listing what changed, if ``result`` differs from the record."""
    diff = differences(name, result)
    assert not diff, f"{name}: {len(diff)} value(s) differ from {_records()[name][0]}:\n" + "\n".join(diff[:40])
