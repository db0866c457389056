"""Record the numbers every experiment's quick run returns, flattened to ``{path: value}``.

Run from a checkout: ``python tests/regression/record_experiments.py OUT.json [name ...]``
(without names: the experiments :data:`RECORD_FILE` puts in a file of that name).
The file it writes is what :mod:`tests.regression.compare` compares against (``tests/test_experiments.py``):
the quick outputs of the experiments before a refactor, so that the refactor can be shown
not to change any figure.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
EXPERIMENTS = ROOT / "experiments"

#: Experiments with a quick mode (those tests/test_experiments.py runs), with the arguments.
QUICK = {
    "hh_excitability": ["--quick"], "low_calcium_axon": ["--quick"], "low_magnesium_axon": ["--quick"],
    "low_potassium_axon": ["--quick"], "low_sodium_axon": ["--quick"], "axon_phase_diagrams": ["--quick"],
    "hypokalaemia_muscle": ["--quick"], "muscle_resting_calibration": ["--quick"],
    "hyponatraemia_muscle": ["--quick"], "muscle_twitch": ["--quick"], "calcium_removal": ["--quick"],
    "magnesium_in_muscle": ["--quick"], "atp_depletion": ["--quick"], "calibrate_release": ["--quick"],
    "ec_sensitivity": ["--quick"], "membrane_temperature": ["--quick"],
}

#: Experiments recorded later, into ``data/experiments_quick_extra.json`` (at 48b5e00;
#: force_summation and nerve_to_force again at bbe9bd6, after the fast-twitch SERCA): every
#: experiment with a quick mode is compared. Quick-run times measured on the 2-core CI machine
#: under load: fit_thin_filament 5 s, calibrate_junction 13 s, nerve_to_force 3 s,
#: neuromuscular_junction 5 s, force_summation 28 s, threshold_tracking 23 s,
#: low_calcium_tetany 18 s; strength_duration_distance (added later) 25 s alone,
#: internode_channels 20 s alone, axon_fit_search 40 s alone, ischaemia_axon 45 s alone.
EXTRA = {name: ["--quick"] for name in (
    "fit_thin_filament", "calibrate_junction", "force_summation", "low_calcium_tetany", "nerve_to_force",
    "neuromuscular_junction", "threshold_tracking", "threshold_tracking_stimulus", "strength_duration_distance",
    "internode_channels", "axon_fit_search", "ischaemia_axon")}
#: Quick runs slower than about a minute, with the reason; still recorded and compared, in tests
#: marked ``slow`` (as every experiment test is).
SLOW_QUICK = {
    "threshold_tracking_stimulus": "69 s: three threshold-tracking batteries (intracellular, MRG "
                                   "internode, extracellular electrode) on the 21-node myelinated cable",
}
#: Which record file each experiment is in (run ``main`` with that file to re-record it).
RECORD_FILE = {**{n: "experiments_quick_bf4cc49.json" for n in QUICK},
               **{n: "experiments_quick_extra.json" for n in EXTRA}}

#: Arrays longer than this are traces, not figures: left out.
MAX_ARRAY = 1000


def flatten(obj, prefix: str = "", out: dict | None = None) -> dict:
    """Every number and text in ``obj`` (nested dicts, lists, dataclasses, arrays, xarray objects)
    under a path such as ``rows/0/rest (mV)``; NaN and inf are kept as strings."""
    out = {} if out is None else out
    if type(obj).__name__ in ("SimulationResult", "BatchResult", "Model"):
        return out  # whole simulation records: the figures of merit are read from them elsewhere
    if hasattr(obj, "data_vars") and hasattr(obj, "coords"):  # xarray Dataset
        for name in list(obj.data_vars) + list(obj.coords):
            flatten(obj[name].values, f"{prefix}/{name}", out)
        return out
    if hasattr(obj, "dims") and hasattr(obj, "values") and hasattr(obj, "coords"):  # DataArray
        return flatten(obj.values, prefix, out)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            if f.name.startswith("_"):
                continue
            flatten(getattr(obj, f.name), f"{prefix}/{f.name}", out)
        return out
    if isinstance(obj, dict):
        for k, v in obj.items():
            flatten(v, f"{prefix}/{k}", out)
        return out
    if isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            flatten(v, f"{prefix}/{i}", out)
        return out
    if isinstance(obj, (bool, np.bool_)):
        out[prefix] = bool(obj)
        return out
    if isinstance(obj, (int, float, np.integer, np.floating)):
        x = float(obj)
        out[prefix] = x if np.isfinite(x) else str(x)
        return out
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "biuf" and obj.size <= MAX_ARRAY:
            for i, v in enumerate(obj.ravel()):
                flatten(v.item(), f"{prefix}[{i}]", out)
        return out
    if isinstance(obj, str):
        out[prefix] = obj
    return out  # figures, functions: not figures of merit


def run(name: str) -> dict:
    spec = importlib.util.spec_from_file_location(name, EXPERIMENTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with tempfile.TemporaryDirectory() as tmp:
        argv = list({**QUICK, **EXTRA}[name])
        if name != "muscle_resting_calibration":
            argv += ["--out", tmp]
        return flatten(module.main(argv))


def main(argv: list[str]) -> None:
    out = Path(argv[0])
    names = argv[1:] or [n for n, f in RECORD_FILE.items() if f == out.name] or list(QUICK)
    data = json.loads(out.read_text()) if out.exists() else {}
    for name in names:
        t0 = time.time()
        data[name] = run(name)
        print(f"{name}: {len(data[name])} numbers in {time.time() - t0:.1f} s", flush=True)
        out.write_text(json.dumps(data, indent=0, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1:])
