"""Time to simulate 1 s of the muscle fibre (issue 4): 20 action potentials at 20 Hz from the
chronic rest in normal plasma, on the default engine and on SciPy's LSODA; also 1 s at rest.
And 1 s of the full fibre with EC coupling, Ca, force and ATP (``nm.muscle_ec``, issue 5), and a
batch of 8 fibres on the batch engine (what sweeps use).

Run: ``python benchmarks/bench_muscle.py``. Results are recorded in docs/models/muscle_fibre.md,
docs/models/ec_coupling.md and docs/performance.md.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

import neuromuscle as nm


def main() -> dict:
    fibre = nm.muscle_fibre()
    rest = nm.fibre_states(fibre, mode="chronic")[0]
    train = nm.PulseTrain(amplitude=400.0, start=5.0, duration=0.5, frequency=20.0, n_pulses=20)
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for label, protocol in (("20 APs", train), ("rest", None)):
            for engine in ("auto", "scipy"):
                nm.simulate(fibre, protocol, 50.0, params=rest.params, y0=rest.y, engine=engine)  # compile/warm up
                times = []
                for _ in range(3):
                    t0 = time.perf_counter()
                    res = nm.simulate(fibre, protocol, 1000.0, params=rest.params, y0=rest.y, engine=engine)
                    times.append(time.perf_counter() - t0)
                out[(label, engine)] = min(times)
                print(f"1 s of fibre, {label:6s}, engine {engine:5s}: {min(times):.3f} s "
                      f"(best of 3; {len(res.spike_times)} surface spikes)")
    ec = nm.muscle_ec()
    rest_ec = nm.analysis.resting_state(ec)
    for label, protocol in (("20 APs", train), ("rest", None)):
        for engine in ("auto", "scipy"):
            nm.simulate(ec, protocol, 50.0, y0=rest_ec.y, engine=engine)
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                res = nm.simulate(ec, protocol, 1000.0, y0=rest_ec.y, engine=engine)
                times.append(time.perf_counter() - t0)
            out[("ec", label, engine)] = min(times)
            print(f"1 s of fibre + EC coupling/Ca/force/ATP ({len(ec.state_names)} states), {label:6s}, engine "
                  f"{engine:5s}: {min(times):.3f} s (best of 3; {len(res.spike_times)} surface spikes)")
    # the batch engine (what sweeps use) on the stiff fibre: each cell on LSODA, compiled
    from neuromuscle.engine import simulate_batch

    amps = np.linspace(300.0, 500.0, 8)
    simulate_batch(fibre, train, 50.0, params=rest.params, y0=rest.y, amplitude=amps[:1] / 400.0)  # compile
    t0 = time.perf_counter()
    batch = simulate_batch(fibre, train, 1000.0, params=rest.params, y0=rest.y, amplitude=amps / 400.0)
    out[("fibre batch", len(amps))] = time.perf_counter() - t0
    print(f"batch of {len(amps)} fibres, 1 s each, 20 pulses at 20 Hz: {out[('fibre batch', len(amps))]:.3f} s "
          f"({batch.extra['method']}; spikes {batch.n_spikes.tolist()})")
    return out


if __name__ == "__main__":
    main()
