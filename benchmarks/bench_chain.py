"""Time to simulate 1 s of the nerve-to-force chain (``nm.nerve_muscle``: motor-axon node,
junction, fibre membrane with t-tubule, SR Ca, crossbridges and ATP; 66 states) in normal
plasma at 37 C: 20 nerve impulses at 20 Hz and 50 at 50 Hz, from rest, on the default engine
(LSODA on the compiled equations, rtol 1e-6), output every 0.05 ms. Compilation and the
resting state are excluded (timed separately). Accuracy: muscle spike times and peak force
against a reference run of the same engine at rtol = atol = 1e-9 (largest spike-time
difference, relative peak-force difference).

Run: ``python benchmarks/bench_chain.py``; writes ``benchmarks/results/bench_chain.json``.
Recorded in docs/performance.md.
"""

from __future__ import annotations

import json
import pathlib
import time

import numpy as np

import neuromuscle as nm
from neuromuscle.analysis.junction import NERVE_STIMULUS


def main() -> dict:
    amp, dur, start = NERVE_STIMULUS
    t0 = time.perf_counter()
    model = nm.nerve_muscle()
    rest = nm.analysis.resting_state(model).y
    setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    nm.simulate(model, nm.Pulse(amp, start, dur), 5.0, y0=rest, dt=0.05)  # compile
    compile_s = time.perf_counter() - t0
    out = {"setup (build + rest) s": setup, "first run incl. compilation s": compile_s}
    for hz in (20.0, 50.0):
        train = nm.PulseTrain(amp, start, dur, hz, int(hz))
        times = []
        for _ in range(2):
            t0 = time.perf_counter()
            run = nm.simulate(model, train, 1000.0, y0=rest, dt=0.05)
            times.append(time.perf_counter() - t0)
        out[f"1 s, {hz:g} Hz nerve train: wall s (best of 2)"] = min(times)
        out[f"1 s, {hz:g} Hz: muscle action potentials"] = len(run.spike_times)
        out[f"1 s, {hz:g} Hz: right-hand-side evaluations"] = run.nfev
        t0 = time.perf_counter()
        ref = nm.simulate(model, train, 1000.0, y0=rest, dt=0.05, rtol=1e-9, atol=1e-9)
        out[f"1 s, {hz:g} Hz: reference (rtol 1e-9) wall s"] = time.perf_counter() - t0
        a, b = np.asarray(run.spike_times), np.asarray(ref.spike_times)
        out[f"1 s, {hz:g} Hz: reference muscle action potentials"] = len(b)
        out[f"1 s, {hz:g} Hz: largest spike-time difference ms"] = (float(np.max(np.abs(a - b))) if len(a) == len(b)
                                                                     else float("nan"))
        fa, fb = np.asarray(run[model.force]), np.asarray(ref[model.force])
        out[f"1 s, {hz:g} Hz: peak force relative difference"] = float(abs(fa.max() - fb.max()) / fb.max())
    for k, v in out.items():
        print(f"{k}: {v:.4g}" if isinstance(v, float) else f"{k}: {v}")
    path = pathlib.Path(__file__).resolve().parent / "results" / "bench_chain.json"
    path.write_text(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()
