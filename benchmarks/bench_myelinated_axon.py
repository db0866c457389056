"""Time of the myelinated motor axon: one 100 ms run of the 21-node axon and the full
threshold-tracking battery.

* 100 ms of the 21-node axon (221 compartments, 1768 states) in normal plasma, one 0.1 ms
  5 nA pulse at 1 ms (one action potential), output every 0.1 ms, rtol 1e-4, atol 1e-5 (the
  battery's tolerances), compilation and the resting state excluded (timed separately): the
  default engine (compiled RODAS4 with the cable's sparse Jacobian) and LSODA with the cable's
  banded Jacobian on the compiled equations, interleaved, best of 3.
* The full battery (:data:`neuromuscle.analysis.threshold_tracking.FULL`, 0.5 % bisection) on
  the 21-node axon (stimulus at node 10, detection at node 13) with the default engine, normal
  plasma, with its read-outs; and the quick battery on the 11-node axon the experiments use.

* Against NEURON (``--neuron``): the same 21-node axon built in NEURON from the package's NMODL
  files (``tests/helpers/neuron_mrg.py``), 100 ms with one action potential, at NEURON's fixed
  step as Gaines et al. use it (``dt = 0.005`` ms, ``motor_final.hoc``; backward Euler, the
  ``extracellular`` layer of the double cable) and CVODE at three tolerances, against
  neuromuscle's RODAS4 and LSODA on the compiled equations; interleaved, best of 2. Accuracy:
  spike time at the last node and conduction velocity (nodes 12-19), each against the
  converged solution of the same simulator (see :func:`neuron_comparison`). Writes
  ``benchmarks/results/bench_myelinated_axon_neuron.{json,md}``.

Run: ``PYTHONPATH=. python benchmarks/bench_myelinated_axon.py [--no-full] [--neuron]``; writes
``benchmarks/results/bench_myelinated_axon.json``.
"""

from __future__ import annotations

import json
import pathlib
import sys
import time

import neuromuscle as nm
from neuromuscle.analysis.threshold_tracking import readouts, threshold_tracking, tracking_axon


def main(full: bool = True) -> dict:
    from benchmarks.bench_engine_targets import machine

    out = {"machine": machine() + " (shared with other jobs: read the ratio rather than the seconds)"}
    model = nm.motor_axon_myelinated()
    amp = 5e-3 / model.stim_area_cm2
    tol = {"rtol": 1e-4, "atol": 1e-5}
    t0 = time.perf_counter()
    rest = nm.simulate(model, None, 1e-3, **tol).y[:, 0]
    nm.simulate(model, None, 1e-3, engine="scipy", method="LSODA", compiled=True, **tol)
    out["21 nodes: rest + compilation (or cache load) s"] = time.perf_counter() - t0
    engines = {"RODAS4 (default engine)": {}, "LSODA with the band, compiled": {"engine": "scipy", "method": "LSODA",
                                                                             "compiled": True}}
    walls = {k: [] for k in engines}
    for _ in range(3):  # interleaved
        for name, kw in engines.items():
            t0 = time.perf_counter()
            res = nm.simulate(model, nm.Pulse(amp, 1.0, 0.1), 100.0, y0=rest, dt=0.1, **tol, **kw)
            walls[name].append(time.perf_counter() - t0)
            out[f"21 nodes, 100 ms, {name}: spikes at the recorded node"] = int(res.spike_times.size)
            out[f"21 nodes, 100 ms, {name}: spike time ms"] = float(res.spike_times[0])
    for name in engines:
        out[f"21 nodes, 100 ms, one action potential, {name}: wall s"] = min(walls[name])
    out["21 nodes, 100 ms: RODAS4 / LSODA wall"] = (min(walls["RODAS4 (default engine)"])
                                                    / min(walls["LSODA with the band, compiled"]))
    batteries = [("quick battery, 11 nodes", tracking_axon(), True)]
    if full:
        batteries.append(("full battery, 21 nodes", tracking_axon(n_nodes=21), False))
    for name, axon, quick in batteries:
        ds = threshold_tracking(axon, quick=quick)
        out[f"{name}: wall s"] = float(ds.attrs["wall_time"])
        out[f"{name}: engine"] = str(ds.attrs["engine"])
        out[f"{name}: threshold searches"] = int(ds.attrs["n_searches"])
        out[f"{name}: runs"] = int(ds.attrs["n_runs"])
        for k, v in readouts(ds).items():
            out[f"{name}: {k} ({ds[k].attrs.get('units', '')})"] = v
        print(f"{name}: {ds.attrs['wall_time']:.0f} s", flush=True)
    path = pathlib.Path(__file__).parent / "results" / "bench_myelinated_axon.json"
    path.write_text(json.dumps(out, indent=1))
    for k, v in out.items():
        print(f"{k}: {v:.4g}" if isinstance(v, float) else f"{k}: {v}")
    return out


def neuron_comparison(rounds: int = 2) -> dict:
    """The 21-node axon, 100 ms with one AP: NEURON (fixed dt 0.005 ms, CVODE) against neuromuscle.

    Accuracy is the integration error of each run: its last-node spike time against the
    converged solution of the same simulator (NEURON: backward Euler at dt 0.5 and 0.25 us,
    crossings interpolated within the step, extrapolated to dt 0; cross-checked with CVODE at
    atol 1e-6 where it runs; neuromuscle: RODAS4 at rtol 1e-8).
    The two simulators' converged solutions differ by a few microseconds (their discretisations of
    the same equations); that difference is reported once, not counted as an integration error.
    """
    import tempfile

    import numpy as np

    from benchmarks.bench_engine_targets import machine
    from neuromuscle.analysis.conduction import crossing_times
    from neuromuscle.models.myelinated_axon import V_REST_PUBLISHED
    from tests.helpers.neuron_mrg import NeuronAxon, compile_mods

    model = nm.motor_axon_myelinated()
    compile_mods(pathlib.Path(tempfile.mkdtemp()))
    nrn = NeuronAxon(model)
    pulse_nA = 5.0
    pos = nm.analysis.node_positions(model)  # m
    last = model.n_nodes - 1
    sel = np.arange(12, 20)  # one side of the stimulus (node 10), away from the sealed end

    def cv(times):
        return float(np.polyfit(times[sel], pos[sel], 1)[0] * 1e3)  # m/ms -> m/s

    def run_neuron(dt, t_stop=100.0):
        t0 = time.perf_counter()
        spikes, _ = nrn.run([(1.0, 0.1, pulse_nA)], t_stop, V_REST_PUBLISHED, dt=dt)
        return time.perf_counter() - t0, np.array([sp[0] if sp.size else np.nan for sp in spikes])

    def run_cvode(atol, t_stop=100.0):
        h = nrn.h
        seg = nrn.nodes[nrn.stim_node](0.5)
        st = h.IClamp(seg)
        st.delay, st.dur, st.amp = 1.0, 0.1, pulse_nA
        ncs, vecs = nrn.spike_recorders()
        cv_ = h.CVode()
        cv_.active(1)
        cv_.atol(atol)
        try:
            t0 = time.perf_counter()
            h.finitialize(V_REST_PUBLISHED)
            h.continuerun(t_stop)
            wall = time.perf_counter() - t0
        finally:
            cv_.active(0)
        return wall, np.array([v[0] if v.size() else np.nan for v in vecs])

    kw = {"engine": "scipy", "method": "LSODA", "rtol": 1e-5, "atol": 1e-6, "dt": 0.1, "compiled": True}
    rest = nm.simulate(model, None, 1e-3, **{k: v for k, v in kw.items() if k != "dt"}).y[:, 0]
    a, _, c = model.array_states["V"]
    pulse = nm.Pulse(pulse_nA * 1e-3 / model.stim_area_cm2, 1.0, 0.1)

    def spikes_ours(kw, t_stop=5.0):
        # spike times from a 0.5 us resampling of the first 5 ms (dense output), for accuracy only
        fine = nm.simulate(model, pulse, t_stop, y0=rest, **{**kw, "dt": 0.0005})
        return np.array([crossing_times(fine.t, fine.y[a + c * k])[0] for k in model.node_compartments])

    def run_ours(kw=kw):
        t0 = time.perf_counter()
        nm.simulate(model, pulse, 100.0, y0=rest, **kw)
        return time.perf_counter() - t0, spikes_ours(kw)

    def crossings_neuron(dt, t_stop=5.0):
        # NEURON's fixed-step NetCon reports the step at which V crossed (a multiple of dt): the
        # converged reference interpolates the crossing within the step from the recorded V
        _, traces = nrn.run([(1.0, 0.1, pulse_nA)], t_stop, V_REST_PUBLISHED, dt=dt, record_dt=dt)
        t = np.arange(traces.shape[1]) * dt
        return np.array([crossing_times(t, v)[0] for v in traces])

    # converged solutions of each simulator (first 5 ms: the spike is at about 1.2 ms)
    be_05 = crossings_neuron(0.0005)
    be_025 = crossings_neuron(0.00025)
    be_extrapolated = 2.0 * be_025 - be_05  # backward Euler is first order in dt
    ref_neuron = be_extrapolated
    ref_ours = spikes_ours({"engine": "stiff", "rtol": 1e-8, "atol": 1e-9})
    references = {
        "NEURON backward Euler dt 0.5 us": float(be_05[last]),
        "NEURON backward Euler dt 0.25 us": float(be_025[last]),
        "NEURON backward Euler extrapolated to dt 0 (dt 0.5 and 0.25 us)": float(be_extrapolated[last]),
        "neuromuscle RODAS4 rtol 1e-8": float(ref_ours[last]),
    }
    try:  # a cross-check only: NEURON's CVODE often fails on this axon at tight tolerances
        references["NEURON CVODE atol 1e-6"] = float(run_cvode(1e-6, 5.0)[1][last])
    except Exception as exc:
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        references_note = f"NEURON CVODE atol 1e-6 failed ({why})"
    else:
        references_note = "NEURON CVODE atol 1e-6 ran"

    stiff = {"engine": "stiff", "rtol": 1e-4, "atol": 1e-5, "dt": 0.1}
    nm.simulate(model, None, 1.0, y0=rest, **stiff)  # compile / load the stiff engine before timing
    ours = {"neuromuscle LSODA compiled rtol 1e-5": kw,
            "neuromuscle RODAS4 compiled rtol 1e-4": stiff,
            "neuromuscle RODAS4 compiled rtol 1e-3": {**stiff, "rtol": 1e-3, "atol": 1e-4}}
    cvodes = {f"NEURON CVODE atol {atol:g}": atol for atol in (1e-3, 1e-4, 1e-5)}
    walls = {name: [] for name in ["NEURON fixed dt 0.005 ms", *ours, *cvodes]}
    times = {}
    cvode_failed = {}
    for _ in range(rounds):  # interleaved
        w, times["NEURON fixed dt 0.005 ms"] = run_neuron(0.005)
        walls["NEURON fixed dt 0.005 ms"].append(w)
        for name, k in ours.items():
            w, times[name] = run_ours(k)
            walls[name].append(w)
        for name, atol in cvodes.items():
            try:
                w, times[name] = run_cvode(atol)
            except Exception as exc:  # NEURON's CVODE on the xg = 1e10, xc = 0 nodal layer
                cvode_failed[name] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                continue
            walls[name].append(w)
    walls = {k: v for k, v in walls.items() if v}
    rows = {}
    for name, ws in walls.items():
        ref = ref_neuron if name.startswith("NEURON") else ref_ours
        rows[name] = {"wall_s": min(ws), "spike_time_last_node_ms": float(times[name][last]),
                      "spike_time_error_ms": float(times[name][last] - ref[last]),
                      "spike_time_vs_neuron_converged_ms": float(times[name][last] - ref_neuron[last]),
                      "cv_m_per_s": cv(times[name]), "cv_error_pct": 100 * (cv(times[name]) / cv(ref) - 1)}
    # same accuracy: for each NEURON run, the fastest neuromuscle run whose integration error is no larger
    same = {}
    for nname, nrow in rows.items():
        if not nname.startswith("NEURON"):
            continue
        ok = [(r["wall_s"], k) for k, r in rows.items()
              if k.startswith("neuromuscle") and abs(r["spike_time_error_ms"]) <= abs(nrow["spike_time_error_ms"])
              and abs(r["cv_error_pct"]) <= max(abs(nrow["cv_error_pct"]), 0.05)]
        if ok:
            w, k = min(ok)
            same[nname] = {"neuromuscle": k, "ratio": w / nrow["wall_s"]}
    best = min((r["wall_s"], k) for k, r in rows.items() if k.startswith("neuromuscle"))
    ratio = best[0] / rows["NEURON fixed dt 0.005 ms"]["wall_s"]
    out = {"work": "21-node myelinated axon, 100 ms, one AP (5 nA, 0.1 ms at node 10)",
           "reference": ("each simulator's converged solution (NEURON backward Euler extrapolated to dt 0 "
                         "from dt 0.5 and 0.25 us; neuromuscle RODAS4 rtol 1e-8)"),
           "references_note": references_note,
           "references_last_node_ms": references,
           "model_difference_us": 1e3 * (ref_ours[last] - ref_neuron[last]),
           "reference_cv_m_per_s": {"NEURON": cv(ref_neuron), "neuromuscle": cv(ref_ours)},
           "rows": rows, "fastest_neuromuscle": best[1],
           "ratio_neuromuscle_over_neuron_fixed": ratio, "same_accuracy": same,
           "neuron_cvode_failed": cvode_failed, "rounds": rounds,
           "machine": machine() + " (shared with other jobs: read the ratio rather than the seconds)"}
    res_dir = pathlib.Path(__file__).parent / "results"
    (res_dir / "bench_myelinated_axon_neuron.json").write_text(json.dumps(out, indent=1))
    lines = ["| engine | wall (s) | spike time, last node (ms) | integration error (us) "
             "| against NEURON converged (us) | CV (m/s) | CV error (%) |", "|---|---|---|---|---|---|---|"]
    for name, r in rows.items():
        lines.append(f"| {name} | {r['wall_s']:.3f} | {r['spike_time_last_node_ms']:.5f} | "
                     f"{1e3 * r['spike_time_error_ms']:+.2f} | {1e3 * r['spike_time_vs_neuron_converged_ms']:+.2f} | "
                     f"{r['cv_m_per_s']:.2f} | {r['cv_error_pct']:+.3f} |")
    lines += ["", "| NEURON run | fastest neuromuscle run with no larger spike-time and CV error | time ratio |",
              "|---|---|---|"]
    lines += [f"| {k} | {v['neuromuscle']} | {v['ratio']:.2f}x |" for k, v in same.items()]
    lines += ["", "Converged last-node spike times (ms): "
              + "; ".join(f"{k} {v:.5f}" for k, v in references.items()) + ".",
              f"The simulators' converged solutions differ by {out['model_difference_us']:+.1f} us at the last node "
              f"(CV {cv(ref_ours):.2f} against {cv(ref_neuron):.2f} m/s): integration errors are measured against each "
              f"simulator's own converged solution; {references_note}."]
    lines += [f"{k} failed ({v}): no row." for k, v in cvode_failed.items()]
    (res_dir / "bench_myelinated_axon_neuron.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return out


if __name__ == "__main__":
    if "--neuron" in sys.argv:
        neuron_comparison()
    else:
        main(full="--no-full" not in sys.argv)
