"""Benchmark: 1 s of Hodgkin-Huxley under a 10 uA/cm2 step, SciPy engine, every method.

(The compiled engine and the comparison with NEURON and Brian2: bench_engines.py.)

Measures wall time (best of ``--repeats`` runs, one core) and the largest spike-time
error against a tight-tolerance reference (DOP853, rtol = atol = 1e-12) for the default
method and for each SciPy method at several tolerances. Prints a Markdown table and
writes it, with the raw numbers as JSON, to ``benchmarks/results/``.

Run: ``python benchmarks/bench_hh.py`` (about 3 minutes) or ``--quick``.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import scipy

import neuromuscle as nm
from neuromuscle.simulation import DEFAULT_METHOD

T_END = 1000.0
AMPLITUDE = 10.0


def timed(model, repeats, **kw):
    best, res = np.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        res = nm.simulate(model, nm.Step(AMPLITUDE), T_END, **kw)
        best = min(best, time.perf_counter() - t0)
    return best, res


def spike_error(res, ref):
    if res.spike_times.size != ref.size:
        return float("inf")
    return float(np.max(np.abs(res.spike_times - ref)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="default method only, one repeat")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = parser.parse_args(argv)
    model = nm.hodgkin_huxley()

    t_ref, ref_run = timed(model, 1, method="DOP853", rtol=1e-12, atol=1e-12)
    ref = ref_run.spike_times
    rows = []
    t_def, res = timed(model, 1 if args.quick else args.repeats, engine="scipy")
    rows.append(dict(method=f"{DEFAULT_METHOD} (SciPy default)", rtol=res.rtol, atol=res.atol, wall_s=t_def,
                     max_spike_error_ms=spike_error(res, ref), n_spikes=int(res.spike_times.size), nfev=res.nfev))
    if not args.quick:
        for method in ("LSODA", "RK45", "DOP853", "BDF", "Radau"):
            for rtol in (1e-4, 1e-6, 1e-8):
                if method == "Radau" and rtol < 1e-6:
                    continue  # > 40 s; adds nothing to the comparison
                wall, res = timed(model, args.repeats if rtol > 1e-8 else 1, method=method, rtol=rtol, atol=rtol * 1e-2)
                rows.append(dict(method=method, rtol=rtol, atol=rtol * 1e-2, wall_s=wall,
                                 max_spike_error_ms=spike_error(res, ref),
                                 n_spikes=int(res.spike_times.size), nfev=res.nfev))

    header = (
        "| method | rtol | atol | wall time (s) | max spike-time error (ms) | spikes | rhs calls |\n"
        "|---|---|---|---|---|---|---|"
    )
    lines = [header] + [
        f"| {r['method']} | {r['rtol']:g} | {r['atol']:g} | {r['wall_s']:.3f} | {r['max_spike_error_ms']:.2e} | "
        f"{r['n_spikes']} | {r['nfev']} |"
        for r in rows
    ]
    env = (f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
           f"{platform.processor() or platform.machine()}; reference: DOP853 rtol=atol=1e-12 "
           f"({ref.size} spikes, last at {ref[-1]:.6f} ms, {t_ref:.1f} s)")
    table = "\n".join(lines)
    print(env)
    print(table)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_hh.md").write_text(env + "\n\n" + table + "\n")
    (out / "bench_hh.json").write_text(json.dumps(dict(environment=env, rows=rows), indent=1))


if __name__ == "__main__":
    main()
