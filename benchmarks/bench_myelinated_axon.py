"""Time of the myelinated motor axon: one 100 ms run of the 21-node axon and the full
threshold-tracking battery.

* 100 ms of the 21-node axon (221 compartments, 1768 states) in normal plasma, one 0.1 ms
  5 nA pulse at 1 ms (one action potential), output every 0.1 ms: LSODA with the cable's
  banded Jacobian on the compiled equations (rtol 1e-5, atol 1e-6), best of 2, compilation
  and the resting state excluded (timed separately); and the same run on the NumPy equations.
* The full battery (:data:`neuromuscle.analysis.threshold_tracking.FULL`, 0.5 % bisection)
  and the quick battery (1 %) on the 11-node axon the battery uses, normal plasma.

Run: ``python benchmarks/bench_myelinated_axon.py [--no-full]``; writes
``benchmarks/results/bench_myelinated_axon.json``. Recorded in docs/performance.md.
"""

from __future__ import annotations

import json
import pathlib
import sys
import time

import neuromuscle as nm
from neuromuscle.analysis.threshold_tracking import threshold_tracking, tracking_axon


def main(full: bool = True) -> dict:
    out = {}
    model = nm.motor_axon_myelinated()
    amp = 5e-3 / model.stim_area_cm2
    kw = {"engine": "scipy", "method": "LSODA", "rtol": 1e-5, "atol": 1e-6, "dt": 0.1}
    t0 = time.perf_counter()
    rest = nm.simulate(model, None, 1e-3, compiled=True, **{k: v for k, v in kw.items() if k != "dt"}).y[:, 0]
    out["21 nodes: rest + compilation (or cache load) s"] = time.perf_counter() - t0
    for compiled in (True, False):
        times = []
        for _ in range(2 if compiled else 1):
            t0 = time.perf_counter()
            res = nm.simulate(model, nm.Pulse(amp, 1.0, 0.1), 100.0, y0=rest, compiled=compiled, **kw)
            times.append(time.perf_counter() - t0)
        tag = "compiled" if compiled else "NumPy"
        out[f"21 nodes, 100 ms, one action potential, {tag} equations: wall s"] = min(times)
        out[f"21 nodes, 100 ms, {tag}: right-hand-side evaluations"] = res.nfev
        out[f"21 nodes, 100 ms, {tag}: spikes at the recorded node"] = int(res.spike_times.size)
    axon = tracking_axon()
    for quick in ((True, False) if full else (True,)):
        ds = threshold_tracking(axon, quick=quick)
        name = "quick" if quick else "full"
        out[f"{name} battery, 11 nodes: wall s"] = float(ds.attrs["wall_time"])
        out[f"{name} battery: threshold searches"] = int(ds.attrs["n_searches"])
        out[f"{name} battery: runs"] = int(ds.attrs["n_runs"])
    out["machine"] = "2 cores shared with other jobs (load ~8 during the measurement)"
    path = pathlib.Path(__file__).parent / "results" / "bench_myelinated_axon.json"
    path.write_text(json.dumps(out, indent=1))
    for k, v in out.items():
        print(f"{k}: {v:.4g}" if isinstance(v, float) else f"{k}: {v}")
    return out


if __name__ == "__main__":
    main(full="--no-full" not in sys.argv)
