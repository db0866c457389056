"""The myelinated axon on the compiled stiff engine against LSODA with the cable's band.

Both runs use the compiled equations, the same tolerances and the same resting state;
they are interleaved (A, B, A, B) because the machine may be shared, and reported as a
ratio with the accuracy each reaches against a tight reference (LSODA, rtol 1e-8):

* the time of the action potential at the recorded node (the engines' spike time, ms);
* the conduction velocity between the nodes 2 before and 2 after the recorded one, from
  the -20 mV crossings of the node potentials on a 5 us grid (m/s).

Run: ``PYTHONPATH=. python benchmarks/bench_stiff_axon.py [--quick]`` (quick: the 11-node
axon the threshold-tracking battery uses, 20 ms). Writes
``benchmarks/results/bench_stiff_axon.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

import neuromuscle as nm
from neuromuscle.models.myelinated_axon import mrg_geometry

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def crossing(t, v, level=-20.0):
    k = np.flatnonzero((v[:-1] < level) & (v[1:] >= level))
    if k.size == 0:
        return np.nan
    k = k[0]
    return float(t[k] + (level - v[k]) * (t[k + 1] - t[k]) / (v[k + 1] - v[k]))


def run(model, engine, rest, prot, t_end, rtol, atol, dt):
    kw = {"engine": engine, "rtol": rtol, "atol": atol, "dt": dt, "y0": rest}
    if engine == "scipy":
        kw.update(method="LSODA", compiled=True)
    t0 = time.perf_counter()
    res = nm.simulate(model, prot, t_end, **kw)
    return time.perf_counter() - t0, res


def measures(model, res, record):
    """(spike time at the recorded node, conduction velocity m/s)."""
    a, b = f"V_node{record - 2}", f"V_node{record + 2}"
    ta, tb = crossing(res.t, res[a]), crossing(res.t, res[b])
    dist_m = 4 * mrg_geometry(10.0).internode_length * 1e-6
    return float(res.spike_times[0]) if res.spike_times.size else np.nan, dist_m / ((tb - ta) * 1e-3)


def main(quick: bool = False, repeats: int = 2) -> dict:
    from benchmarks.bench_engine_targets import machine

    n_nodes = 11 if quick else 21
    t_end = 20.0 if quick else 100.0
    record = n_nodes // 2 + 3
    model = nm.motor_axon_myelinated(n_nodes=n_nodes, stim_node=n_nodes // 2, record_node=record)
    prot = nm.Pulse(5e-3 / model.stim_area_cm2, 1.0, 0.1)  # 5 nA, 0.1 ms at 1 ms: one action potential
    rest = nm.simulate(model, None, 1e-3, engine="scipy", method="LSODA", compiled=True).y[:, 0]
    out = {"machine": machine(), "model": f"{n_nodes}-node myelinated axon, {len(model.state_names)} states",
           "protocol": f"{t_end:g} ms, one 5 nA 0.1 ms pulse at 1 ms (one action potential), output every 0.1 ms",
           "rows": []}
    # accuracy on a 5 us grid over the first 5 ms (the action potential's passage)
    _, ref = run(model, "scipy", rest, prot, 5.0, 1e-8, 1e-9, 0.005)
    ref_t, ref_cv = measures(model, ref, record)
    out["reference"] = {"solver": "LSODA rtol 1e-8 atol 1e-9", "spike time ms": ref_t,
                        "conduction velocity m/s": ref_cv}
    for rtol, atol in ((1e-5, 1e-6), (1e-4, 1e-5)):
        acc = {}
        for eng in ("stiff", "scipy"):
            _, r = run(model, eng, rest, prot, 5.0, rtol, atol, 0.005)
            st, cv = measures(model, r, record)
            acc[eng] = (abs(st - ref_t), abs(cv - ref_cv) / ref_cv)
        run(model, "stiff", rest, prot, 2.0, rtol, atol, 0.1)  # compile / load before timing
        times = {"stiff": [], "scipy": []}
        spikes = {}
        for _ in range(repeats):
            for eng in ("stiff", "scipy"):
                w, r = run(model, eng, rest, prot, t_end, rtol, atol, 0.1)
                times[eng].append(w)
                spikes[eng] = (int(r.spike_times.size), int(r.nfev))
        row = {"rtol": rtol, "atol": atol}
        for eng, label in (("stiff", "RODAS4 compiled"), ("scipy", "LSODA band")):
            row[label] = {"wall s (best)": min(times[eng]), "spikes": spikes[eng][0], "rhs evaluations": spikes[eng][1],
                          "spike-time error ms": acc[eng][0], "CV relative error": acc[eng][1]}
        row["ratio RODAS4 / LSODA"] = min(times["stiff"]) / min(times["scipy"])
        out["rows"].append(row)
        print(json.dumps(row))
    name = "bench_stiff_axon" + ("_quick" if quick else "")
    (RESULTS / f"{name}.json").write_text(json.dumps(out, indent=1))
    lines = [f"{out['model']}; {out['protocol']}. Machine: {out['machine']}.", "",
             "| rtol | engine | wall s | spikes | spike-time error (ms) | CV error | RODAS4 / LSODA |",
             "|---|---|---|---|---|---|---|"]
    for row in out["rows"]:
        for label in ("RODAS4 compiled", "LSODA band"):
            r = row[label]
            lines.append(f"| {row['rtol']:g} | {label} | {r['wall s (best)']:.3g} | {r['spikes']} | "
                         f"{r['spike-time error ms']:.2g} | {r['CV relative error']:.2g} | "
                         f"{row['ratio RODAS4 / LSODA']:.2f} |")
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    main(ap.parse_args().quick)
