"""The engine targets, side by side: whole-process HH against NEURON, cold and warm cache,
1 s of the EC fibre on the stiff engine against LSODA, EC fibres in 2 processes, and the
CLI's 1000-point f-I sweep as a whole process against the same sweep as a NEURON script.

Every comparison is run interleaved (A, B, A, B, ...) and reported as a ratio with the
accuracy reached, because the machine may be shared. Writes
``benchmarks/results/bench_engine_targets.json`` and ``.md``.

Run: ``PYTHONPATH=. python benchmarks/bench_engine_targets.py [--quick] [--only PART,...]``
(parts: ``whole_process_hh``, ``ec_fibre_1s``, ``ec_fibres_2_processes``, ``cli_sweep``;
``--only`` keeps the other parts' figures of the existing results file, each with the
machine it was measured on).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"

NM_SCRIPT = """
import neuromuscle as nm
res = nm.simulate(nm.hodgkin_huxley(), nm.Step(10.0), 1000.0)
print(len(res.spike_times))
"""

#: The same script on the numba engine (the default before the native engine, and the
#: default for batches): what numba's start-up costs a short script.
NM_NUMBA_SCRIPT = NM_SCRIPT.replace("1000.0)", "1000.0, engine='explicit')")

NEURON_SCRIPT = """
from neuron import h
h.load_file("stdrun.hoc")
s = h.Section(name="soma"); s.L = s.diam = 10.0
s.insert("hh"); s.cm = 1.0
stim = h.IClamp(s(0.5)); stim.delay = 0; stim.dur = 1e9; stim.amp = 10.0 * s(0.5).area() * 1e-5
nc = h.NetCon(s(0.5)._ref_v, None, sec=s); nc.threshold = 0.0
spikes = h.Vector(); nc.record(spikes)
h.celsius = 6.3; h.dt = 0.025; h.finitialize(-65.0); h.continuerun(1000.0)
print(int(spikes.size()))
"""


#: The CLI's f-I sweep: 1000 amplitudes 0-20 uA/cm2, a 1 s step each, spikes counted.
CLI_SWEEP = ["-m", "neuromuscle.cli", "sweep", "hodgkin_huxley", "--axis", "amplitude=0:20:1000", "--protocol",
             "step:1", "--metric", "n_spikes", "--t-end", "1000", "--rtol", "5e-5", "--atol", "5e-7",
             "--no-progress"]

#: The same sweep as a NEURON script: 1000 one-compartment hh cells, fixed dt 0.025 ms
#: (backward Euler, rate tables on: NEURON's defaults), one thread.
NEURON_SWEEP_SCRIPT = """
from neuron import h
h.load_file("stdrun.hoc")
cells = []
n = 1000
for i in range(n):
    s = h.Section(name=f"c{i}"); s.L = s.diam = 10.0
    s.insert("hh"); s.cm = 1.0
    stim = h.IClamp(s(0.5)); stim.delay = 0; stim.dur = 1e9; stim.amp = 20.0 * i / (n - 1) * s(0.5).area() * 1e-5
    nc = h.NetCon(s(0.5)._ref_v, None, sec=s); nc.threshold = 0.0
    v = h.Vector(); nc.record(v)
    cells.append((s, stim, nc, v))
h.celsius = 6.3; h.dt = 0.025; h.finitialize(-65.0); h.continuerun(1000.0)
print(int(sum(c[3].size() for c in cells)))
"""


def cli_sweep(repeats: int) -> dict:
    """The CLI's 1000-point sweep and the NEURON script, each as a whole process, interleaved."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    nm_t, nrn_t, spikes = [], [], {}
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "fi.nc"
        cmd = [sys.executable, *CLI_SWEEP, "--out", str(out)]
        subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)  # fill the compiled-code cache
        for _ in range(repeats):
            out.unlink(missing_ok=True)
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
            nm_t.append(time.perf_counter() - t0)
            t, s = run_script(NEURON_SWEEP_SCRIPT, env)
            nrn_t.append(t)
            spikes["NEURON fixed dt 0.025"] = int(s)
        import xarray as xr

        with xr.open_dataset(out) as ds:
            spikes["neuromuscle"] = int(ds["n_spikes"].sum())
            n_failed = int(ds.attrs.get("n_failed", 0))
    return {"command": "python " + " ".join(CLI_SWEEP) + " --out fi.nc", "neuromuscle_s": min(nm_t),
            "neuron_s": min(nrn_t), "ratio": min(nm_t) / min(nrn_t), "walls_neuromuscle": nm_t,
            "walls_neuron": nrn_t, "total_spikes": spikes, "n_failed": n_failed, "repeats": repeats,
            "note": "total spikes over the 1000 cells; reference (rtol 1e-10, bench_fi_block.json) 51234 "
                    "from V = -65 mV; the CLI's sweep starts each cell from its resting state"}


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Linux {platform.release()}, Python {platform.python_version()}"


def run_script(code: str, env: dict) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - t0, out.stdout.strip()


#: The HH script with time stamps: interpreter start to the end of ``import neuromuscle``, the
#: simulation (loading the compiled code from the cache and integrating), and the script's
#: end to the end of the process (atexit handlers and the interpreter's teardown).
NM_PHASES_SCRIPT = """
import sys, time
t0 = time.time()
import neuromuscle as nm
t1 = time.time()
res = nm.simulate(nm.hodgkin_huxley(), nm.Step(10.0), 1000.0)
t2 = time.time()
print(len(res.spike_times), t0, t1, t2)
"""


def _phases(env: dict) -> dict:
    start = time.time()
    out = subprocess.run([sys.executable, "-c", NM_PHASES_SCRIPT], capture_output=True, text=True, env=env, check=True)
    end = time.time()
    _, t0, t1, t2 = map(float, out.stdout.split())
    return {"start_s": t0 - start, "import_s": t1 - t0, "simulate_s": t2 - t1, "exit_s": end - t2}


def whole_process(repeats: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cold = []
    for _ in range(max(1, repeats // 2)):
        with tempfile.TemporaryDirectory() as d:
            cold.append(run_script(NM_SCRIPT, dict(env, NEUROMUSCLE_CACHE_DIR=d))[0])
    run_script(NM_SCRIPT, env)  # fill the default cache
    run_script(NM_NUMBA_SCRIPT, env)
    nm_t, nrn_t, numba_t, spikes, phases = [], [], [], {}, []
    load = [os.getloadavg()[0]]
    for _ in range(repeats):
        t, s = run_script(NM_SCRIPT, env)
        nm_t.append(t)
        spikes["neuromuscle"] = int(s)
        t, s = run_script(NM_NUMBA_SCRIPT, env)
        numba_t.append(t)
        spikes["neuromuscle numba"] = int(s)
        t, s = run_script(NEURON_SCRIPT, env)
        nrn_t.append(t)
        spikes["NEURON"] = int(s)
        phases.append(_phases(env))
    load.append(os.getloadavg()[0])
    med = {k: float(np.median([p[k] for p in phases])) for k in phases[0]}
    return {"neuromuscle_warm_s": min(nm_t), "neuron_s": min(nrn_t), "ratio_warm": min(nm_t) / min(nrn_t),
            "neuromuscle_warm_median_s": float(np.median(nm_t)), "neuron_median_s": float(np.median(nrn_t)),
            "ratio_warm_median": float(np.median(nm_t) / np.median(nrn_t)), "walls_neuromuscle": nm_t,
            "walls_neuron": nrn_t, "phases_median_s": med, "load_average": [min(load), max(load)],
            "neuromuscle_cold_s": min(cold), "spikes": spikes, "repeats": repeats,
            "numba_warm_s": min(numba_t), "ratio_numba_warm": min(numba_t) / min(nrn_t), "walls_numba": numba_t,
            "engine": _engine_of_script(env)}


def _engine_of_script(env: dict) -> str:
    code = "import neuromuscle as nm\nprint(nm.simulate(nm.hodgkin_huxley(), nm.Step(10.0), 10.0).engine)"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          check=True).stdout.strip()


def ec_fibre(quick: bool) -> dict:
    import neuromuscle as nm
    from neuromuscle.engine import simulate_batch

    ec = nm.muscle_ec()
    rest = nm.analysis.resting_state(ec).y
    train = nm.PulseTrain(400.0, 5.0, 0.5, 20.0, 20)
    t_end = 1000.0
    ref = nm.simulate(ec, train, t_end, y0=rest, engine="stiff", rtol=1e-10, atol=1e-13, dt=0.1)
    rows = []
    for rtol in (1e-6, 1e-5, 1e-4, 1e-3):
        nm.simulate(ec, train, 10.0, y0=rest, engine="stiff", rtol=rtol, atol=rtol * 1e-2, dt=0.1)
        simulate_batch(ec, train, 10.0, y0=rest, engine="scipy", rtol=rtol, atol=rtol * 1e-2, dt=0.1)
        st, ls = [], []
        for _ in range(1 if quick else 3):
            r = nm.simulate(ec, train, t_end, y0=rest, engine="stiff", rtol=rtol, atol=rtol * 1e-2, dt=0.1)
            st.append(r.wall_time)
            b = simulate_batch(ec, train, t_end, y0=rest, engine="scipy", rtol=rtol, atol=rtol * 1e-2, dt=0.1)
            ls.append(b.wall_time)
        same = r.spike_times.size == ref.spike_times.size
        err = float(np.max(np.abs(r.spike_times - ref.spike_times))) if same else float("inf")
        ca_err = float(np.max(np.abs(r["Ca_cyt"] - ref["Ca_cyt"])) / np.max(ref["Ca_cyt"]))
        lsoda_same = b.n_spikes[0] == ref.spike_times.size
        lsoda_err = (float(np.max(np.abs(b.spike_times(0) - ref.spike_times))) if lsoda_same else float("inf"))
        rows.append({"rtol": rtol, "stiff_s": min(st), "lsoda_compiled_s": min(ls), "ratio": min(ls) / min(st),
                     "spikes": int(r.spike_times.size), "reference_spikes": int(ref.spike_times.size),
                     "max_spike_error_ms": err, "lsoda_max_spike_error_ms": lsoda_err, "ca_error_rel": ca_err})
    return {"rows": rows}


def _fibres(n: int) -> float:
    import neuromuscle as nm
    from neuromuscle.engine import simulate_batch

    ec = nm.muscle_ec()
    rest = nm.analysis.resting_state(ec).y
    train = nm.PulseTrain(400.0, 5.0, 0.5, 20.0, 20)
    simulate_batch(ec, train, 10.0, y0=rest, rtol=1e-4, atol=1e-6)
    b = simulate_batch(ec, train, 1000.0, y0=rest, amplitude=np.linspace(0.9, 1.1, n), rtol=1e-4, atol=1e-6)
    assert np.all(b.status == 0)
    return b.wall_time


def fibres_two_processes(n_total: int) -> dict:
    t0 = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        walls = list(pool.map(_fibres, [n_total // 2, n_total - n_total // 2]))
    total = time.perf_counter() - t0
    return {"n_fibres": n_total, "wall_s": total, "integration_s_per_process": walls,
            "fibres_per_s": n_total / max(walls)}


PARTS = ("whole_process_hh", "ec_fibre_1s", "ec_fibres_2_processes", "cli_sweep")


def main() -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--fibres", type=int, default=20)
    ap.add_argument("--only", default=",".join(PARTS), help="comma-separated parts to measure")
    args = ap.parse_args()
    only = [p for p in args.only.split(",") if p]
    unknown = set(only) - set(PARTS)
    if unknown:
        raise SystemExit(f"--only: unknown part(s) {sorted(unknown)}; choose from {PARTS}")
    path = RESULTS / "bench_engine_targets.json"
    out = json.loads(path.read_text()) if set(only) != set(PARTS) and path.exists() else {}
    out["machine"] = out.get("machine", machine())
    out["shared"] = "the machine was shared with other work: ratios were measured interleaved"
    machines = out.setdefault("machines", {})
    runs = {"whole_process_hh": lambda: whole_process(2 if args.quick else 5),
            "ec_fibre_1s": lambda: ec_fibre(args.quick),
            "ec_fibres_2_processes": lambda: fibres_two_processes(args.fibres),
            "cli_sweep": lambda: cli_sweep(2 if args.quick else 3)}
    for part in PARTS:
        if part in only:
            out[part] = runs[part]()
            machines[part] = machine()
            print(json.dumps(out[part], indent=1))
    RESULTS.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1))
    lines = [f"Machine: {out['machine']} ({out['shared']}).", "",
             "| work | neuromuscle | reference | ratio | accuracy | machine |", "|---|---|---|---|---|---|"]

    def where(part):
        return machines.get(part, out["machine"])

    if "whole_process_hh" in out:
        wp = out["whole_process_hh"]
        lines += [f"| HH script, 1 s, whole process, warm cache (engine {wp.get('engine', 'explicit')}) | "
                  f"{wp['neuromuscle_warm_s']:.2f} s | NEURON "
                  f"{wp['neuron_s']:.2f} s | {wp['ratio_warm']:.2f}x NEURON | spikes {wp['spikes']} | "
                  f"{where('whole_process_hh')} |"]
        if "ratio_warm_median" in wp:
            ph = wp["phases_median_s"]
            lines += [f"| same, medians of {wp['repeats']} (load average {wp['load_average'][0]:.1f}-"
                      f"{wp['load_average'][1]:.1f}) | {wp['neuromuscle_warm_median_s']:.2f} s (start "
                      f"{ph['start_s']:.2f}, import {ph['import_s']:.2f}, simulate {ph['simulate_s']:.2f}, exit "
                      f"{ph['exit_s']:.2f}) | NEURON {wp['neuron_median_s']:.2f} s | {wp['ratio_warm_median']:.2f}x "
                      f"NEURON | | |"]
        lines.append(f"| same, first run after install (cold cache) | {wp['neuromuscle_cold_s']:.1f} s | | | | |")
        if "numba_warm_s" in wp:
            lines.append(f"| same script with `engine='explicit'` (numba), warm cache | {wp['numba_warm_s']:.2f} s | "
                         f"NEURON {wp['neuron_s']:.2f} s | {wp['ratio_numba_warm']:.2f}x NEURON | | |")
    for r in out.get("ec_fibre_1s", {}).get("rows", []):
        lines.append(f"| 1 s muscle_ec (20 APs), stiff engine, rtol {r['rtol']:g} | {r['stiff_s']:.3f} s | LSODA "
                     f"(compiled equations) {r['lsoda_compiled_s']:.3f} s | {r['ratio']:.2f}x faster | spikes "
                     f"{r['spikes']}/{r['reference_spikes']}, max error {r['max_spike_error_ms']:.2g} ms (LSODA "
                     f"{r['lsoda_max_spike_error_ms']:.2g} ms), Ca {r['ca_error_rel']:.1e} of peak | "
                     f"{where('ec_fibre_1s')} |")
    if "ec_fibres_2_processes" in out:
        fb = out["ec_fibres_2_processes"]
        lines.append(f"| {fb['n_fibres']} EC fibres, 1 s each, 2 processes, rtol 1e-4 | {fb['wall_s']:.1f} s whole, "
                     f"{fb['fibres_per_s']:.2f} fibres/s integrating | | | all reached t_end | "
                     f"{where('ec_fibres_2_processes')} |")
    if "cli_sweep" in out:
        cs = out["cli_sweep"]
        lines.append(f"| CLI 1000-point HH f-I sweep (1 s each), whole process | {cs['neuromuscle_s']:.2f} s | NEURON "
                     f"script, fixed dt 0.025, {cs['neuron_s']:.2f} s | {cs['ratio']:.2f}x NEURON's time | total "
                     f"spikes {cs['total_spikes']}, {cs['n_failed']} failed | {where('cli_sweep')} |")
    (RESULTS / "bench_engine_targets.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return out


if __name__ == "__main__":
    main()
