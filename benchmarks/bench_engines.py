"""Benchmark: neuromuscle's engines against NEURON and Brian2 on Hodgkin-Huxley, accuracy included.

Measured side by side in one run (wall time; one-time compilation excluded from the timings
and reported separately):

1. One HH cell, 1 s, 10 uA/cm2 step from t = 0: neuromuscle's default path
   (``nm.simulate``, engine "auto"), its fastest path (``simulate_batch`` with one cell at
   the loosest tolerance that keeps every spike within 0.1 ms), the SciPy LSODA path, NEURON
   CVODE (tables off; loosest tolerance within 0.1 ms) and NEURON fixed step (dt 0.025 ms).
   Best of ``--repeats`` (3) runs.
2. HH f-I sweep, amplitudes ``np.linspace(0, 20, 1000)`` uA/cm2, 1 s each: ``simulate_batch``
   on one process, ``neuromuscle.sweep.sweep`` on 1 and 2 processes, NEURON (1000
   one-compartment cells in one model: fixed step, global CVODE, local-step CVODE) and
   Brian2's Cython target (1000 neurons, same equations).
3. ``simulate_batch`` wall time against the number of cells (100, 300, 1000).
4. The motor-axon Ca x Mg stability map (100 x 100 points) on 2 processes.

Accuracy is part of every figure. Reference spike times: neuromuscle's compiled engine at
rtol = atol = 1e-10, cross-checked for a few cells against SciPy DOP853 at rtol = atol =
1e-12. Every engine and setting gets the largest spike-time error over all spikes of all
cells whose spike count matches the reference, and whether every cell's count matches.
A setting is "accurate" when all counts match and every spike is within 0.1 ms.

Common model and initial state: HH 1952, modern convention (rest -65 mV, gNa 120, gK 36,
gL 0.3 mS/cm2, ENa 50, EK -77, EL -54.387 mV, C 1 uF/cm2, 6.3 C); V = -65 mV with the gates
at their steady state at -65 mV for every engine; a spike is an upward crossing of 0 mV.

NEURON runs in subprocesses of this script (``--neuron-worker``), one fresh NEURON per
configuration. Brian2 runs in a subprocess with its own interpreter: this venv's if Brian2
imports there, else ``/tmp/brian2venv`` (created here with numpy < 2.4 if missing: Brian2
<= 2.9.0 uses ``ndarray.ptp``, which numpy 2.4 removed).

Writes ``benchmarks/results/bench_engines.{json,md}`` (``--quick``: ``bench_engines_quick.*``).

Run: ``python benchmarks/bench_engines.py`` (about 7-8 minutes on 2 cores) or ``--quick``
(under 2 minutes: 100-cell f-I sweep, 30 x 30 map, scaling to 300 cells).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
T_END = 1000.0  # ms
STEP_AMPLITUDE = 10.0  # uA/cm2, part 1
ACCURACY_MS = 0.1  # a setting is "accurate" if every spike is within this of the reference
AREA_CM2 = 1e-4  # NEURON compartment area (the cross-check test's)
E_LEAK = -54.387  # mV
V_INIT = -65.0  # mV
BRIAN2_VENV = Path("/tmp/brian2venv")

# Tolerance ladders (loosest first)
NM_SINGLE_RTOLS = (1e-4, 1e-5)  # the brief's ladder for the "fastest path"
NM_SINGLE_EXTRA_RTOLS = (1e-3, 1e-6)  # context rows (not eligible as the headline)
NM_FI_RTOLS = (1e-4, 5e-5, 2e-5, 1e-5)
NRN_CVODE_TOLS = ((1e-3, 0.0), (1e-3, 1e-3), (1e-4, 0.0), (1e-4, 1e-4), (1e-5, 0.0), (1e-5, 1e-5))  # (atol, rtol)
BRIAN2_FI_RUNS = (  # (method, dt ms); rk4 dt 0.01 is the brief's setting, the others find the loosest accurate dt
    ("rk4", 0.01), ("rk4", 0.025), ("rk4", 0.05), ("rk4", 0.1), ("exponential_euler", 0.01),
)

TARGETS = {
    "default_vs_cvode": 1.0,  # default wall / NEURON-CVODE wall <= 1
    "cvode_vs_fastest": 10.0,  # NEURON-CVODE wall / fastest wall >= 10
    "fi_vs_neuron": 2.0,  # neuromuscle / NEURON throughput >= 2
    "fi_vs_brian2": 4.0,  # neuromuscle / Brian2 Cython throughput >= 4
    "map_seconds": 300.0,  # Ca x Mg map wall < 300 s
    "process_efficiency": 0.85,  # t1 / (2 t2) >= 85 %
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------
# accuracy
# --------------------------------------------------------------------------------------


def spike_accuracy(spikes, ref) -> dict:
    """Compare per-cell spike trains with the reference trains."""
    errs, nearest, n_mis, tot, tot_ref = [], [], 0, 0, 0
    for s, r in zip(spikes, ref):
        s = np.sort(np.asarray(s, dtype=float))
        tot += s.size
        tot_ref += r.size
        if s.size and r.size:  # distance from each reference spike to the nearest spike of the engine
            j = np.searchsorted(s, r)
            lo, hi = np.clip(j - 1, 0, s.size - 1), np.clip(j, 0, s.size - 1)
            nearest.append(float(np.max(np.minimum(np.abs(s[lo] - r), np.abs(s[hi] - r)))))
        if s.size != r.size:
            n_mis += 1
            continue
        if r.size:
            errs.append(float(np.max(np.abs(s - r))))
    max_err = max(errs) if errs else (0.0 if n_mis == 0 else None)
    return dict(max_err_ms=max_err, counts_match=n_mis == 0, n_cells_mismatch=n_mis, n_cells=len(ref),
                n_spikes=tot, n_spikes_ref=tot_ref, max_err_nearest_ms=max(nearest, default=None),
                accurate=bool(n_mis == 0 and max_err is not None and max_err <= ACCURACY_MS))


def batch_trains(res) -> list[np.ndarray]:
    return [res.spike_times(k) for k in range(res.n)]


# --------------------------------------------------------------------------------------
# NEURON (subprocess worker)
# --------------------------------------------------------------------------------------


def neuron_worker(cfg_path: str, out_path: str) -> None:
    """Build ``len(amps)`` one-compartment hh cells and run each configuration of ``runs``."""
    cfg = json.loads(Path(cfg_path).read_text())
    import neuron
    from neuron import h

    h.load_file("stdrun.hoc")
    h.celsius = 6.3
    h.usetable_hh = 0  # rate tables off: exact rate functions, as in neuromuscle
    t0 = time.perf_counter()
    diam = math.sqrt(AREA_CM2 * 1e8 / math.pi)  # um; lateral area pi d L = 1e4 um2 = 1e-4 cm2
    cells = []
    for i, amp in enumerate(cfg["amps"]):
        sec = h.Section(name=f"cell{i}")
        sec.L = sec.diam = diam
        sec.nseg = 1
        sec.insert("hh")
        seg = sec(0.5)
        seg.hh.el = E_LEAK
        stim = h.IClamp(seg)
        stim.delay, stim.dur = 0.0, 1e9
        stim.amp = amp * seg.area() * 1e-8 * 1e3  # uA/cm2 * um2 * 1e-8 cm2/um2 -> uA; * 1e3 -> nA
        nc = h.NetCon(seg._ref_v, None, sec=sec)
        nc.threshold = 0.0
        vec = h.Vector()
        nc.record(vec)
        cells.append((sec, stim, nc, vec))
    setup = time.perf_counter() - t0
    cvode = h.CVode()
    pc = h.ParallelContext()
    out = {"neuron": neuron.__version__, "setup_s": setup, "runs": []}
    for run in cfg["runs"]:
        rec = dict(run)
        try:
            pc.nthread(int(run.get("threads", 1)))
            cvode.condition_order(2)  # threshold crossing located by interpolation, not at step ends
            if run["kind"] == "fixed":
                cvode.active(0)
                h.secondorder = int(run.get("secondorder", 0))
                h.dt = run["dt"]
                h.steps_per_ms = 1.0 / run["dt"]
            else:
                h.secondorder = 0
                cvode.active(1)
                cvode.use_local_dt(1 if run["kind"] == "lvardt" else 0)
                cvode.atol(run["atol"])
                cvode.rtol(run["rtol"])
            walls = []
            for k in range(int(run["repeats"]) + (1 if run.get("warmup") else 0)):
                t1 = time.perf_counter()
                h.finitialize(V_INIT)  # hh INITIAL: gates at steady state at -65 mV
                h.continuerun(cfg["t_end"])
                if k or not run.get("warmup"):
                    walls.append(time.perf_counter() - t1)
            rec.update(wall_s=min(walls), walls=walls, spikes=[list(c[3]) for c in cells], dt_used=h.dt)
        except Exception as exc:  # recorded, the others go on
            rec["error"] = f"{type(exc).__name__}: {exc}"
        out["runs"].append(rec)
    Path(out_path).write_text(json.dumps(out))


def run_neuron(amps, runs, t_end=T_END, timeout=900.0) -> dict:
    """Run NEURON configurations in a fresh subprocess; returns the worker's output."""
    with tempfile.TemporaryDirectory() as tmp:
        cfg_path, out_path = Path(tmp) / "cfg.json", Path(tmp) / "out.json"
        cfg_path.write_text(json.dumps({"amps": [float(a) for a in amps], "runs": runs, "t_end": t_end}))
        try:
            proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--neuron-worker", str(cfg_path),
                                   str(out_path)], capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"error": f"not measured: did not finish within {timeout:.0f} s"}
        if proc.returncode != 0 or not out_path.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return {"error": "NEURON worker failed: " + " | ".join(tail)}
        return json.loads(out_path.read_text())


# --------------------------------------------------------------------------------------
# Brian2 (subprocess worker, possibly another interpreter)
# --------------------------------------------------------------------------------------

BRIAN2_WORKER = r'''
import json, sys, time, traceback
cfg = json.load(open(sys.argv[1]))
import numpy as np
import brian2
from brian2 import NeuronGroup, SpikeMonitor, Network, prefs, ms, mV, uF, cm, msiemens, uA
prefs.codegen.target = "cython"  # no silent fallback to numpy: a Cython failure raises
EQS = """
dv/dt = (I - gNa*m**3*h*(v - ENa) - gK*n**4*(v - EK) - gL*(v - EL)) / Cm : volt
dm/dt = am*(1 - m) - bm*m : 1
dh/dt = ah*(1 - h) - bh*h : 1
dn/dt = an*(1 - n) - bn*n : 1
am = 1/exprel(-(v + 40*mV)/(10*mV)) / ms : Hz
bm = 4*exp(-(v + 65*mV)/(18*mV)) / ms : Hz
ah = 0.07*exp(-(v + 65*mV)/(20*mV)) / ms : Hz
bh = 1/(1 + exp(-(v + 35*mV)/(10*mV))) / ms : Hz
an = 0.1/exprel(-(v + 55*mV)/(10*mV)) / ms : Hz
bn = 0.125*exp(-(v + 65*mV)/(80*mV)) / ms : Hz
I : amp/meter**2 (constant)
"""
# am = 0.1(V+40)/(1-exp(-(V+40)/10)) = 1/exprel(-(V+40)/10); an likewise (exprel is safe at the 0/0 points)
NS = dict(gNa=120*msiemens/cm**2, gK=36*msiemens/cm**2, gL=0.3*msiemens/cm**2, ENa=50*mV, EK=-77*mV,
          EL=-54.387*mV, Cm=1*uF/cm**2)
amps = np.asarray(cfg["amps"], dtype=float)
y0 = cfg["y0"]
out = {"brian2": brian2.__version__, "numpy": np.__version__, "python": sys.version.split()[0],
       "executable": sys.executable, "runs": []}
try:
    import Cython
    out["cython"] = Cython.__version__
except ImportError:
    out["cython"] = None
for run in cfg["runs"]:
    rec = dict(run)
    try:
        G = NeuronGroup(amps.size, EQS, threshold="v > 0*mV", refractory="v > 0*mV", method=run["method"],
                        namespace=NS, dt=run["dt"]*ms)
        G.v = y0[0]*mV
        G.m = y0[1]
        G.h = y0[2]
        G.n = y0[3]
        G.I = amps*uA/cm**2
        S = SpikeMonitor(G)
        net = Network(G, S)
        net.store()
        t0 = time.perf_counter()
        net.run(1*ms)  # code generation and Cython compilation (cached on disk across runs)
        rec["compile_s"] = time.perf_counter() - t0
        walls = []
        for _ in range(int(run["repeats"])):
            net.restore()
            t1 = time.perf_counter()
            net.run(cfg["t_end"]*ms)
            walls.append(time.perf_counter() - t1)
        i = np.asarray(S.i[:])
        t = np.asarray(S.t[:]/ms)
        trains = [[] for _ in range(amps.size)]
        for ii, tt in zip(i.tolist(), t.tolist()):
            trains[ii].append(tt)
        rec.update(wall_s=min(walls), walls=walls, spikes=trains, codeobj=type(G.state_updater.codeobj).__name__)
    except Exception as exc:
        cause = exc.__cause__ or exc.__context__
        msg = type(exc).__name__ + (" caused by " + type(cause).__name__ + ": " + str(cause)
                                    if cause else ": " + str(exc))
        rec["error"] = " ".join(msg.split())[:300]
    out["runs"].append(rec)
json.dump(out, open(sys.argv[2], "w"))
'''


def _probe_brian2(python: str) -> tuple[bool, str]:
    """Does Brian2 import (with Cython) under ``python``? Returns (ok, version or reason)."""
    code = "import brian2, Cython, numpy; print(brian2.__version__, numpy.__version__)"
    try:
        proc = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"{type(exc).__name__}: {exc}"
    if proc.returncode == 0:
        return True, proc.stdout.strip()
    lines = (proc.stderr or proc.stdout).strip().splitlines()
    return False, lines[-1] if lines else f"exit code {proc.returncode}"


def find_brian2(args) -> tuple[str | None, str]:
    """Interpreter that runs Brian2, and a note on how it was found (or why not)."""
    if args.brian2_python:
        ok, info = _probe_brian2(args.brian2_python)
        return (args.brian2_python, f"--brian2-python {args.brian2_python} ({info})") if ok else (
            None, f"--brian2-python {args.brian2_python}: {info}")
    ok, info = _probe_brian2(sys.executable)
    if ok:
        return sys.executable, f"Brian2 runs in the benchmark's own interpreter (brian2, numpy = {info})"
    own_reason = info
    venv_py = BRIAN2_VENV / "bin" / "python"
    if not venv_py.exists() and not args.no_brian2_venv:
        log(f"Brian2 does not import here ({own_reason}); creating {BRIAN2_VENV} with numpy<2.4")
        try:
            subprocess.run([sys.executable, "-m", "venv", str(BRIAN2_VENV)], check=True, capture_output=True,
                           timeout=300)
            subprocess.run([str(venv_py), "-m", "pip", "install", "-q", "numpy<2.4", "brian2", "cython"],
                           check=True, capture_output=True, timeout=900)
        except (subprocess.SubprocessError, OSError) as exc:
            return None, f"Brian2 does not import here ({own_reason}) and creating {BRIAN2_VENV} failed: {exc}"
    if venv_py.exists():
        ok, info = _probe_brian2(str(venv_py))
        if ok:
            return str(venv_py), (f"Brian2 does not import in the benchmark venv ({own_reason}); it runs in its own "
                                  f"venv {BRIAN2_VENV} (brian2, numpy = {info}) through a subprocess")
        return None, f"Brian2 does not import here ({own_reason}) nor in {BRIAN2_VENV} ({info})"
    return None, f"Brian2 does not import here ({own_reason}); no separate venv (--no-brian2-venv)"


def run_brian2(python, amps, y0, runs, t_end=T_END, timeout=1800.0) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        script, cfg_path, out_path = Path(tmp) / "b2.py", Path(tmp) / "cfg.json", Path(tmp) / "out.json"
        script.write_text(BRIAN2_WORKER)
        cfg_path.write_text(json.dumps({"amps": [float(a) for a in amps], "y0": [float(v) for v in y0],
                                        "runs": runs, "t_end": t_end}))
        try:
            proc = subprocess.run([python, str(script), str(cfg_path), str(out_path)], capture_output=True,
                                  text=True, timeout=timeout, cwd=tmp)
        except subprocess.TimeoutExpired:
            return {"error": f"did not finish within {timeout:.0f} s"}
        if proc.returncode != 0 or not out_path.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return {"error": "Brian2 worker failed: " + " | ".join(tail)}
        return json.loads(out_path.read_text())


# --------------------------------------------------------------------------------------
# the benchmark
# --------------------------------------------------------------------------------------


def best_of(fn, repeats, warmup=False):
    """Best wall time of ``repeats`` calls (after one untimed call if ``warmup``), and that call's result."""
    if warmup:
        fn()
    best, out = np.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        res = fn()
        wall = time.perf_counter() - t0
        if wall < best:
            best, out = wall, res
    return best, out


def row(part, what, settings, wall, cells=1, acc=None, **extra):
    r = dict(part=part, what=what, settings=settings, wall_s=wall, n_cells=cells,
             throughput=(cells * T_END / 1000.0 / wall) if wall and np.isfinite(wall) else None)
    if acc is not None:
        r.update(acc)
    r.update(extra)
    return r


def not_measured(part, what, settings, reason, cells=1):
    return dict(part=part, what=what, settings=settings, wall_s=None, n_cells=cells, throughput=None,
                not_measured=reason)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small version (< 2 minutes)")
    parser.add_argument("--repeats", type=int, default=3, help="best of N for single-cell runs (default 3)")
    parser.add_argument("--batch-repeats", type=int, default=None,
                        help="best of N for the headline many-cell runs (default 3; --quick 1)")
    parser.add_argument("--out", default=str(HERE / "results"), help="results folder")
    parser.add_argument("--name", default=None, help="file stem (default bench_engines, --quick bench_engines_quick)")
    parser.add_argument("--brian2-python", default=None, help="interpreter with a working Brian2")
    parser.add_argument("--no-brian2-venv", action="store_true", help=f"do not create {BRIAN2_VENV}")
    parser.add_argument("--skip-brian2", action="store_true")
    parser.add_argument("--skip-neuron", action="store_true")
    parser.add_argument("--neuron-worker", nargs=2, metavar=("CFG", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.neuron_worker:
        neuron_worker(*args.neuron_worker)
        return
    t_start = time.perf_counter()
    quick = args.quick
    brep = args.batch_repeats or (1 if quick else 3)
    rep = args.repeats
    n_fi = 100 if quick else 1000
    scaling_ns = (100, 300) if quick else (100, 300, 1000)
    map_n = 30 if quick else 100
    name = args.name or ("bench_engines_quick" if quick else "bench_engines")
    argv_used = sys.argv[1:] if argv is None else list(argv)
    command = "/tmp/venv/bin/python benchmarks/bench_engines.py" + (" " + shlex.join(argv_used) if argv_used else "")
    problems: list[str] = []

    import numba
    import scipy

    import neuromuscle as nm
    from neuromuscle.engine import simulate_batch
    from neuromuscle.sweep import sweep

    model = nm.hodgkin_huxley()
    y0 = model.quasi_steady_state(V_INIT)
    env = dict(python=platform.python_version(), numpy=np.__version__, scipy=scipy.__version__,
               numba=numba.__version__, neuromuscle=nm.__version__, machine=platform.machine(),
               cpu=_cpu_name(), cores=os.cpu_count(), platform=platform.platform(), git=_git_state())

    # ---- one-time compilation (excluded from all timings below) --------------------------------
    log("compiling neuromuscle's engine (first calls)")
    t0 = time.perf_counter()
    first = simulate_batch(model, nm.Step(STEP_AMPLITUDE), 1.0, y0=y0)
    compile_batch = time.perf_counter() - t0
    t0 = time.perf_counter()
    nm.simulate(model, nm.Step(STEP_AMPLITUDE), 1.0, y0=y0)
    compile_cell = time.perf_counter() - t0
    compile_info = dict(simulate_batch_first_call_s=compile_batch, simulate_first_call_s=compile_cell,
                        batch_reported_compile_time_s=first.compile_time,
                        batch_first_call_integration_s=first.wall_time)
    if first.wall_time > 0.1:
        problems.append(
            f"neuromuscle: BatchResult.compile_time ({first.compile_time:.2f} s) under-reports compilation: the "
            f"warm-up inside simulate_batch passes a writable parameter matrix but the real call a read-only "
            f"broadcast view, so numba compiles a second signature inside the timed call "
            f"(wall_time {first.wall_time:.2f} s for 1 ms of one cell on the first call). Timings here exclude it.")

    rows: list[dict] = []

    # ---- part 1: one cell ------------------------------------------------------------------------
    log("part 1: one HH cell, 1 s, 10 uA/cm2")
    ref1 = simulate_batch(model, nm.Step(STEP_AMPLITUDE), T_END, y0=y0, rtol=1e-10, atol=1e-10).spike_times(0)
    t0 = time.perf_counter()
    dop = nm.simulate(model, nm.Step(STEP_AMPLITUDE), T_END, y0=y0, method="DOP853", rtol=1e-12, atol=1e-12)
    crosscheck = [dict(amplitude=STEP_AMPLITUDE, n_spikes_ref=int(ref1.size), n_spikes_dop853=int(dop.spike_times.size),
                       max_diff_ms=float(np.max(np.abs(dop.spike_times - ref1))) if dop.spike_times.size == ref1.size
                       else float("inf"), dop853_wall_s=time.perf_counter() - t0)]

    wall, res = best_of(lambda: nm.simulate(model, nm.Step(STEP_AMPLITUDE), T_END, y0=y0), rep, warmup=True)
    default = row(1, "neuromuscle default: nm.simulate (engine auto)",
                  f"{res.method}, rtol {res.rtol:g}, atol {res.atol:g}, output dt 0.01 ms", wall,
                  acc=spike_accuracy([res.spike_times], [ref1]), key="default")
    rows.append(default)

    fast_rows = []
    for rt in NM_SINGLE_EXTRA_RTOLS[:1] + NM_SINGLE_RTOLS + NM_SINGLE_EXTRA_RTOLS[1:]:
        wall, res = best_of(lambda rt=rt: simulate_batch(model, nm.Step(STEP_AMPLITUDE), T_END, y0=y0, rtol=rt,
                                                         atol=rt * 1e-2), rep, warmup=True)
        r = row(1, "neuromuscle simulate_batch, 1 cell", f"DOP5 compiled, rtol {rt:g}, atol {rt * 1e-2:g}", wall,
                acc=spike_accuracy(batch_trains(res), [ref1]), rtol=rt, n_steps=int(res.n_steps[0]),
                ladder=rt in NM_SINGLE_RTOLS, integration_s=float(res.wall_time))
        fast_rows.append(r)
    eligible = [r for r in fast_rows if r["ladder"] and r["accurate"]]
    fastest = max(eligible, key=lambda r: r["rtol"]) if eligible else min(
        (r for r in fast_rows if r["ladder"]), key=lambda r: r["rtol"])
    if not eligible:
        problems.append("part 1: no rtol of the ladder keeps every spike within 0.1 ms; using the tightest")
    fastest["key"] = "fastest"
    fastest["what"] = "neuromuscle fastest: simulate_batch, 1 cell"
    rows += fast_rows

    wall, res = best_of(lambda: nm.simulate(model, nm.Step(STEP_AMPLITUDE), T_END, y0=y0, engine="scipy"), rep,
                        warmup=True)
    rows.append(row(1, "neuromuscle SciPy path (engine='scipy')", f"{res.method}, rtol {res.rtol:g}, atol {res.atol:g}",
                    wall, acc=spike_accuracy([res.spike_times], [ref1])))

    nrn_cvode_single = None
    neuron_version = None
    if args.skip_neuron:
        rows.append(not_measured(1, "NEURON", "", "skipped (--skip-neuron)"))
    else:
        runs = [dict(kind="cvode", atol=a, rtol=r, repeats=rep, warmup=True) for a, r in NRN_CVODE_TOLS]
        runs += [dict(kind="fixed", dt=0.025, secondorder=0, repeats=rep, warmup=True),
                 dict(kind="fixed", dt=0.025, secondorder=2, repeats=rep, warmup=True),
                 dict(kind="fixed", dt=0.01, secondorder=2, repeats=rep, warmup=True)]
        out = run_neuron([STEP_AMPLITUDE], runs)
        if "error" in out:
            rows.append(not_measured(1, "NEURON", "", out["error"]))
            problems.append(f"NEURON (part 1): {out['error']}")
        else:
            neuron_version = out["neuron"]
            cv_rows = []
            for run in out["runs"]:
                if "error" in run:
                    rows.append(not_measured(1, "NEURON", json.dumps(run), run["error"]))
                    continue
                acc = spike_accuracy([np.asarray(s) for s in run["spikes"]], [ref1])
                if run["kind"] == "cvode":
                    r = row(1, "NEURON CVODE, tables off", f"atol {run['atol']:g}, rtol {run['rtol']:g}",
                            run["wall_s"], acc=acc, atol=run["atol"], rtol=run["rtol"])
                    cv_rows.append(r)
                else:
                    scheme = "backward Euler (secondorder 0)" if run["secondorder"] == 0 else \
                        f"Crank-Nicolson (secondorder {run['secondorder']})"
                    r = row(1, "NEURON fixed step, tables off", f"dt {run['dt']:g} ms, {scheme}", run["wall_s"],
                            acc=acc, dt=run["dt"], secondorder=run["secondorder"])
                    if run["dt"] == 0.025 and run["secondorder"] == 0:
                        r["key"] = "neuron_fixed"
                rows.append(r)
            ok = [r for r in cv_rows if r["accurate"]]
            if ok:
                nrn_cvode_single = min(ok, key=lambda r: r["wall_s"])  # loosest = cheapest accurate setting
                nrn_cvode_single["key"] = "neuron_cvode"
            else:
                problems.append("part 1: no NEURON CVODE tolerance of the ladder keeps every spike within 0.1 ms")
    ratios1 = {}
    if nrn_cvode_single:
        ratios1["default_vs_cvode"] = default["wall_s"] / nrn_cvode_single["wall_s"]
        ratios1["cvode_vs_fastest"] = nrn_cvode_single["wall_s"] / fastest["wall_s"]
        ratios1["cvode_vs_fastest_integration_only"] = nrn_cvode_single["wall_s"] / fastest["integration_s"]
        loose = [r for r in fast_rows if not r["ladder"] and r["accurate"] and r["rtol"] > fastest["rtol"]]
        if loose:
            ratios1[f"cvode_vs_rtol_{loose[0]['rtol']:g}"] = nrn_cvode_single["wall_s"] / loose[0]["wall_s"]

    # ---- part 2: f-I sweep ---------------------------------------------------------------------------
    amps = np.linspace(0.0, 20.0, n_fi)
    log(f"part 2: f-I sweep, {n_fi} cells x 1 s: reference (rtol = atol = 1e-10)")
    t0 = time.perf_counter()
    ref_fi_res = simulate_batch(model, nm.Step(1.0), T_END, amplitude=amps, y0=y0, rtol=1e-10, atol=1e-10)
    ref_fi = batch_trains(ref_fi_res)
    ref_fi_wall = time.perf_counter() - t0
    check_idx = [n_fi - 1] if quick else [int(round(f * (n_fi - 1))) for f in (0.3, 0.7, 1.0)]
    for k in check_idx:
        t0 = time.perf_counter()
        d = nm.simulate(model, nm.Step(float(amps[k])), T_END, y0=y0, method="DOP853", rtol=1e-12, atol=1e-12)
        crosscheck.append(dict(amplitude=float(amps[k]), n_spikes_ref=int(ref_fi[k].size),
                               n_spikes_dop853=int(d.spike_times.size),
                               max_diff_ms=float(np.max(np.abs(d.spike_times - ref_fi[k])))
                               if d.spike_times.size == ref_fi[k].size else float("inf"),
                               dop853_wall_s=time.perf_counter() - t0))

    log("part 2: neuromuscle simulate_batch (one process)")
    nm_fi_rows = []
    for rt in NM_FI_RTOLS:
        wall, res = best_of(lambda rt=rt: simulate_batch(model, nm.Step(1.0), T_END, amplitude=amps, y0=y0, rtol=rt,
                                                         atol=rt * 1e-2), 1)
        nm_fi_rows.append(row(2, "neuromuscle simulate_batch, 1 process", f"rtol {rt:g}, atol {rt * 1e-2:g}", wall,
                              cells=n_fi, acc=spike_accuracy(batch_trains(res), ref_fi), rtol=rt,
                              integration_s=float(res.wall_time)))
    ok = [r for r in nm_fi_rows if r["accurate"]]
    nm_fi = max(ok, key=lambda r: r["rtol"]) if ok else nm_fi_rows[-1]
    if not ok:
        problems.append("part 2: no rtol of the ladder keeps every spike within 0.1 ms; using the tightest")
    fi_rtol = nm_fi["rtol"]
    if brep > 1:  # best of brep for the chosen setting
        wall, _ = best_of(lambda: simulate_batch(model, nm.Step(1.0), T_END, amplitude=amps, y0=y0, rtol=fi_rtol,
                                                 atol=fi_rtol * 1e-2), brep - 1)
        nm_fi["wall_s"] = min(nm_fi["wall_s"], wall)
        nm_fi["throughput"] = n_fi * T_END / 1000.0 / nm_fi["wall_s"]
    nm_fi["key"] = "nm_fi"
    nm_fi["what"] = "neuromuscle simulate_batch, 1 process (chosen)"
    rows += nm_fi_rows

    log("part 2: neuromuscle sweep() on 1 and 2 processes")
    sweep_kw = dict(metrics=["n_spikes", "first_spike"], protocol=nm.Step(1.0), t_end=T_END, rtol=fi_rtol,
                    atol=fi_rtol * 1e-2, progress=False)
    sweep(model, {"amplitude": amps[:4]}, n_jobs=1, **sweep_kw)  # warm (compiled code is inherited by forks)
    sweep_walls = {}
    ds = None
    for jobs in (1, 2):
        sweep_walls[jobs], ds = best_of(lambda jobs=jobs: sweep(model, {"amplitude": amps}, n_jobs=jobs, **sweep_kw),
                                        brep)
    ref_n = np.array([r.size for r in ref_fi])
    sweep_n = np.asarray(ds["n_spikes"].values)
    first_ref = np.array([r[0] if r.size else np.nan for r in ref_fi])
    first_sw = np.asarray(ds["first_spike"].values)
    both = np.isfinite(first_ref) & np.isfinite(first_sw)
    from neuromuscle.steady import resting_state

    sweep_check = dict(n_spikes_equal_ref=int(np.count_nonzero(sweep_n == ref_n)), n_points=n_fi,
                       rest_v_mV=float(resting_state(model, model.parameter_vector(None)).v),
                       max_first_spike_diff_ms=float(np.max(np.abs(first_sw[both] - first_ref[both])))
                       if both.any() else None, n_failed=int(ds.attrs["n_failed"]))
    eff = sweep_walls[1] / (2 * sweep_walls[2])
    sweep_acc = {k: nm_fi[k] for k in ("max_err_ms", "counts_match", "n_cells_mismatch", "n_cells", "n_spikes",
                                       "n_spikes_ref", "accurate")}
    rows.append(row(2, "neuromuscle sweep(), n_jobs=1", f"rtol {fi_rtol:g} (accuracy: simulate_batch, same rtol)",
                    sweep_walls[1], cells=n_fi, acc=sweep_acc, key="sweep1"))
    rows.append(row(2, "neuromuscle sweep(), n_jobs=2", f"rtol {fi_rtol:g} (accuracy: simulate_batch, same rtol)",
                    sweep_walls[2], cells=n_fi, acc=sweep_acc, key="sweep2", efficiency=eff))

    competitor_rows = []
    if args.skip_neuron:
        rows.append(not_measured(2, "NEURON", "", "skipped (--skip-neuron)", cells=n_fi))
    else:
        cv_atol = nrn_cvode_single["atol"] if nrn_cvode_single else 1e-5
        cv_rtol = nrn_cvode_single["rtol"] if nrn_cvode_single else 1e-5
        nrn_runs = [
            ("NEURON fixed step, 1 thread", "dt 0.025 ms, backward Euler", dict(kind="fixed", dt=0.025, repeats=brep),
             "neuron_fi_fixed"),
            ("NEURON fixed step, 2 threads", "dt 0.025 ms, backward Euler, pc.nthread(2)",
             dict(kind="fixed", dt=0.025, threads=2, repeats=brep), "neuron_fi_fixed2"),
            ("NEURON fixed step, 1 thread", "dt 0.025 ms, Crank-Nicolson (secondorder 2)",
             dict(kind="fixed", dt=0.025, secondorder=2, repeats=brep), None),
            ("NEURON fixed step, 1 thread", "dt 0.01 ms, Crank-Nicolson (secondorder 2)",
             dict(kind="fixed", dt=0.01, secondorder=2, repeats=brep), None),
            ("NEURON CVODE, one global over all cells", f"atol {cv_atol:g}, rtol {cv_rtol:g}",
             dict(kind="cvode", atol=cv_atol, rtol=cv_rtol, repeats=1), "neuron_fi_cvode"),
            ("NEURON CVODE, local step per cell (lvardt)", f"atol {cv_atol:g}, rtol {cv_rtol:g}",
             dict(kind="lvardt", atol=cv_atol, rtol=cv_rtol, repeats=1), None),
        ]
        for what, settings, run, key in nrn_runs:
            log(f"part 2: {what}, {settings}")
            out = run_neuron(amps, [run], timeout=600.0)
            rec = out["runs"][0] if "runs" in out else {"error": out["error"]}
            if "error" in rec:
                rows.append(not_measured(2, what, settings, rec["error"], cells=n_fi))
                problems.append(f"{what} ({settings}): {rec['error']}")
                continue
            neuron_version = out["neuron"]
            r = row(2, what, settings, rec["wall_s"], cells=n_fi,
                    acc=spike_accuracy([np.asarray(s) for s in rec["spikes"]], ref_fi), engine="NEURON",
                    setup_s=out["setup_s"], threads=run.get("threads", 1))
            if key:
                r["key"] = key
            rows.append(r)
            competitor_rows.append(r)

    brian2_note = "skipped (--skip-brian2)"
    brian2_info = {}
    if args.skip_brian2:
        rows.append(not_measured(2, "Brian2", "", brian2_note, cells=n_fi))
    else:
        b2_python, brian2_note = find_brian2(args)
        log(f"part 2: Brian2: {brian2_note}")
        if b2_python is None:
            rows.append(not_measured(2, "Brian2 Cython", "", brian2_note, cells=n_fi))
            problems.append(f"Brian2: not measured, {brian2_note}")
        else:
            b2_runs = BRIAN2_FI_RUNS if not quick else (("rk4", 0.01), ("rk4", 0.05))
            runs = [dict(method=m, dt=dt, repeats=brep if (m, dt) == ("rk4", 0.01) else 1) for m, dt in b2_runs]
            out = run_brian2(b2_python, amps, y0, runs)
            if "error" in out:
                rows.append(not_measured(2, "Brian2 Cython", "", out["error"], cells=n_fi))
                problems.append(f"Brian2: not measured, {out['error']}")
            else:
                brian2_info = {k: out[k] for k in ("brian2", "numpy", "cython", "python", "executable")}
                for rec in out["runs"]:
                    settings = f"{rec['method']}, dt {rec['dt']:g} ms"
                    if "error" in rec:
                        rows.append(not_measured(2, "Brian2 Cython, 1 thread", settings, rec["error"], cells=n_fi))
                        continue
                    r = row(2, "Brian2 Cython, 1 thread", settings, rec["wall_s"], cells=n_fi,
                            acc=spike_accuracy([np.asarray(s) for s in rec["spikes"]], ref_fi), engine="Brian2",
                            compile_s=rec["compile_s"], codeobj=rec["codeobj"])
                    if "Cython" not in rec["codeobj"]:
                        problems.append(f"Brian2 ran {rec['codeobj']}, not Cython, for {settings}")
                    if (rec["method"], rec["dt"]) == ("rk4", 0.01):
                        r["key"] = "brian2_fi"
                    rows.append(r)
                    competitor_rows.append(r)

    def best_accurate(engine, threads=1):
        ok = [r for r in competitor_rows if r.get("engine") == engine and r["accurate"]
              and r.get("threads", 1) == threads]
        return max(ok, key=lambda r: r["throughput"]) if ok else None

    by_key = {r["key"]: r for r in rows if r.get("key")}
    nm_tp, nm2_tp = nm_fi["throughput"], by_key["sweep2"]["throughput"]
    ratios2 = {}
    for label, ref_row in (("neuron_fixed_dt0.025", by_key.get("neuron_fi_fixed")),
                           ("neuron_fixed_dt0.025_2threads", by_key.get("neuron_fi_fixed2")),
                           ("neuron_best_accurate", best_accurate("NEURON")),
                           ("neuron_global_cvode", by_key.get("neuron_fi_cvode")),
                           ("brian2_rk4_dt0.01", by_key.get("brian2_fi")),
                           ("brian2_best_accurate", best_accurate("Brian2"))):
        if ref_row and ref_row.get("throughput"):
            ratios2[label] = dict(vs=f"{ref_row['what']}, {ref_row['settings']}",
                                  one_process=nm_tp / ref_row["throughput"],
                                  two_processes=nm2_tp / ref_row["throughput"])
    for r in competitor_rows:
        r["ratio_nm"] = nm_tp / r["throughput"]

    # ---- part 3: scaling -------------------------------------------------------------------------------
    log("part 3: scaling of simulate_batch with the number of cells")
    scaling = []
    for n in scaling_ns:
        a = np.linspace(0.0, 20.0, n)
        wall, _ = best_of(lambda a=a: simulate_batch(model, nm.Step(1.0), T_END, amplitude=a, y0=y0, rtol=fi_rtol,
                                                     atol=fi_rtol * 1e-2), brep)
        scaling.append(dict(n_cells=n, wall_s=wall, ms_per_cell=1000 * wall / n, throughput=n * T_END / 1000 / wall))
    for s in scaling:
        s["per_cell_vs_smallest"] = s["ms_per_cell"] / scaling[0]["ms_per_cell"]

    # ---- part 4: Ca x Mg map ------------------------------------------------------------------------------
    log(f"part 4: motor-axon Ca x Mg map, {map_n} x {map_n} points, 2 processes")
    axon = nm.motor_axon()
    t0 = time.perf_counter()
    sweep(axon, {"ca": np.linspace(0.3, 1.5, 3), "mg": np.linspace(0.05, 1.5, 3)}, metrics=["stability", "rest"],
          n_jobs=1, progress=False)  # warm-up (compilation, caches), not timed
    map_warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    mds = sweep(axon, {"ca": np.linspace(0.3, 1.5, map_n), "mg": np.linspace(0.05, 1.5, map_n)},
                metrics=["stability", "rest"], n_jobs=2, progress=False)
    map_wall = time.perf_counter() - t0
    stab = np.asarray(mds["stability"].values).ravel()
    rest = np.asarray(mds["rest"].values)
    cam = dict(points=map_n * map_n, wall_s=map_wall, points_per_s=map_n * map_n / map_wall, warmup_s=map_warm,
               n_failed=int(mds.attrs["n_failed"]),
               stability_counts={str(int(k)): int(v) for k, v in zip(*np.unique(stab[np.isfinite(stab)],
                                                                                return_counts=True))},
               rest_range_mV=[float(np.nanmin(rest)), float(np.nanmax(rest))])
    if quick:
        cam["extrapolated_100x100_s"] = map_wall * 1e4 / (map_n * map_n)

    # ---- targets -----------------------------------------------------------------------------------------
    targets = []

    def target(name, measured, goal, higher_is_better, what, note=""):
        if measured is None:
            targets.append(dict(target=name, what=what, measured=None, goal=goal, met=None, margin=None, note=note))
            return
        met = measured >= goal if higher_is_better else measured <= goal
        margin = measured / goal if higher_is_better else goal / measured
        targets.append(dict(target=name, what=what, measured=measured, goal=goal, met=bool(met), margin=margin,
                            higher_is_better=higher_is_better, note=note))

    cv_desc = (f"NEURON CVODE atol {nrn_cvode_single['atol']:g} rtol {nrn_cvode_single['rtol']:g}"
               if nrn_cvode_single else "NEURON CVODE")
    target("default <= NEURON-CVODE time (same accuracy)", ratios1.get("default_vs_cvode"), 1.0, False,
           f"default wall / {cv_desc} wall")
    target("fastest >= 10x faster than NEURON-CVODE", ratios1.get("cvode_vs_fastest"), 10.0, True,
           f"{cv_desc} wall / simulate_batch rtol {fastest['rtol']:g} wall (whole call)",
           note=(f"integration only (BatchResult.wall_time, without simulate_batch's Python set-up): "
                 f"{ratios1['cvode_vs_fastest_integration_only']:.1f}x") if ratios1 else "")
    for label, goal, name_ in (("neuron_fixed_dt0.025", 2.0, "f-I >= 2x NEURON (fixed dt 0.025, as specified)"),
                               ("neuron_best_accurate", 2.0, "f-I >= 2x NEURON (fastest NEURON setting within 0.1 ms)"),
                               ("brian2_rk4_dt0.01", 4.0, "f-I >= 4x Brian2 Cython (rk4 dt 0.01, as specified)"),
                               ("brian2_best_accurate", 4.0,
                                "f-I >= 4x Brian2 Cython (fastest Brian2 setting within 0.1 ms)")):
        rr = ratios2.get(label)
        target(name_, rr["one_process"] if rr else None, goal, True,
               f"neuromuscle simulate_batch (1 process, rtol {fi_rtol:g}) / {rr['vs'] if rr else 'not measured'}",
               note=f"2 processes: {rr['two_processes']:.2f}x" if rr else "not measured")
    target("Ca x Mg map < 300 s" + (" (extrapolated from 30 x 30)" if quick else ""),
           cam.get("extrapolated_100x100_s", map_wall), 300.0, False, f"{map_n} x {map_n} points, 2 processes")
    target("process efficiency >= 85% at 2", eff, 0.85, True, "sweep(): t(n_jobs=1) / (2 t(n_jobs=2))",
           note="quick mode: 100 points, dominated by pool start-up" if quick else "")

    env.update(neuron=neuron_version, brian2=brian2_info.get("brian2"), brian2_numpy=brian2_info.get("numpy"),
               brian2_cython=brian2_info.get("cython"), brian2_python=brian2_info.get("executable"),
               brian2_note=brian2_note)
    total = time.perf_counter() - t_start
    result = dict(
        environment=env, command=command, quick=quick, total_wall_s=total, repeats_single=rep, repeats_batch=brep,
        accuracy_criterion_ms=ACCURACY_MS, compile=compile_info,
        reference=dict(method="neuromuscle simulate_batch rtol = atol = 1e-10", n_spikes_single=int(ref1.size),
                       last_spike_single_ms=float(ref1[-1]), fi_wall_s=ref_fi_wall,
                       fi_n_spikes=int(sum(r.size for r in ref_fi)), crosscheck_dop853_1e12=crosscheck),
        rows=rows, ratios_single=ratios1, ratios_fi=ratios2, sweep_check=sweep_check, process_efficiency=eff,
        scaling=scaling, ca_mg_map=cam, targets=targets, problems=problems,
    )
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    md = render_markdown(result)
    (out_dir / f"{name}.json").write_text(json.dumps(result, indent=1, default=_json_default))
    (out_dir / f"{name}.md").write_text(md)
    print(md)
    log(f"done in {total:.0f} s; wrote {out_dir / name}.json and .md")


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    return str(o)


def _git_state() -> dict:
    """Commit of the work tree and the tracked files that differ from it (what was measured)."""
    root = HERE.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=30).stdout.split("\n")
        return dict(commit=commit or None, modified=[line[3:] for line in dirty if line.strip()])
    except (OSError, subprocess.SubprocessError):
        return dict(commit=None, modified=[])


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


# --------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------


def _f(x, fmt=".3f"):
    return "—" if x is None else format(x, fmt)


def _cell(text) -> str:
    return " ".join(str(text).split()).replace("|", "/")


def _counts(r):
    if r.get("not_measured"):
        return "—"
    if r["counts_match"]:
        return f"yes ({r['n_spikes']})"
    return f"**no**: {r['n_cells_mismatch']}/{r['n_cells']} cells differ ({r['n_spikes']} vs {r['n_spikes_ref']})"


def _err(r):
    if r.get("not_measured"):
        return "—"
    if r["max_err_ms"] is None:
        near = r.get("max_err_nearest_ms")
        return "n/a (count differs" + (f"; nearest-spike {near:.2e})" if near is not None else ")")
    s = f"{r['max_err_ms']:.2e}"
    if r["accurate"]:
        return s
    return f"**{s}**" + (" (cells with matching counts)" if not r["counts_match"] else "")


def render_markdown(res) -> str:
    env, rows = res["environment"], res["rows"]
    by_key = {r["key"]: r for r in rows if r.get("key")}
    quick = res["quick"]
    L = []
    L.append(f"# Engines benchmark: neuromuscle vs NEURON vs Brian2 (Hodgkin-Huxley){' — QUICK' if quick else ''}\n")
    L.append(f"Command: `{res['command']}` (total {res['total_wall_s']:.0f} s wall).\n")
    L.append(f"Machine: {env['cpu']}, {env['cores']} cores, {env['platform']}. Versions: Python {env['python']}, "
             f"numpy {env['numpy']}, scipy {env['scipy']}, numba {env['numba']}, neuromuscle {env['neuromuscle']}, "
             f"NEURON {env['neuron'] or 'not measured'}, Brian2 {env['brian2'] or 'not measured'}"
             + (f" (in {env['brian2_python']}, numpy {env['brian2_numpy']}, Cython {env['brian2_cython']})"
                if env.get("brian2") else "") + ".\n")
    git = env.get("git") or {}
    if git.get("commit"):
        L.append(f"Code measured: commit {git['commit'][:12]}"
                 + (f", with uncommitted changes to {', '.join(git['modified'])}" if git["modified"] else
                    ", no uncommitted changes to tracked files") + ".\n")
    L.append(f"Brian2: {env['brian2_note']}.\n" if env.get("brian2")
             else f"Brian2: not measured, {env['brian2_note']}.\n")
    ref = res["reference"]
    cc = "; ".join(f"{c['amplitude']:g} uA/cm2: {c['n_spikes_dop853']}/{c['n_spikes_ref']} spikes, "
                   f"max diff {c['max_diff_ms']:.1e} ms" for c in ref["crosscheck_dop853_1e12"])
    L.append(f"Reference: {ref['method']} ({ref['n_spikes_single']} spikes at 10 uA/cm2, last at "
             f"{ref['last_spike_single_ms']:.6f} ms; f-I: {ref['fi_n_spikes']} spikes, {ref['fi_wall_s']:.1f} s). "
             f"Cross-check against SciPy DOP853 rtol = atol = 1e-12: {cc}.\n")
    c = res["compile"]
    L.append(f"One-time compilation (excluded from the timings): first `simulate_batch` call "
             f"{c['simulate_batch_first_call_s']:.2f} s (of which `BatchResult.compile_time` reports "
             f"{c['batch_reported_compile_time_s']:.2f} s), first `nm.simulate` fast-path call "
             f"{c['simulate_first_call_s']:.2f} s; Brian2 code generation + Cython build per setting in the table "
             f"(on-disk cache may be warm); NEURON needs none (built-in `hh`).\n")
    L.append(f"Accuracy: max |spike time - reference| over all spikes of all cells whose spike count matches; "
             f"**bold** = outside {ACCURACY_MS} ms or counts differ. Single-cell wall times: best of "
             f"{res['repeats_single']}; many-cell headline runs: best of {res['repeats_batch']} (tolerance-ladder "
             f"and NEURON CVODE runs: 1).\n")

    hdr = ("| what | settings | wall time (s) | throughput (cell-s / wall-s) | max spike error (ms) | "
           "spike counts match | ratio / target |\n|---|---|---|---|---|---|---|")
    r1 = res["ratios_single"]
    L.append("## 1. One HH cell, 1 s, 10 uA/cm2 step\n")
    L.append(hdr)
    fastest = by_key.get("fastest")
    for r in (x for x in rows if x["part"] == 1):
        ratio = ""
        if r.get("key") == "default" and "default_vs_cvode" in r1:
            ratio = f"default/NEURON-CVODE = {r1['default_vs_cvode']:.2f} (target <= 1)"
        elif r.get("key") == "fastest" and "cvode_vs_fastest" in r1:
            ratio = (f"NEURON-CVODE/fastest = {r1['cvode_vs_fastest']:.1f}x (target >= 10x; integration only "
                     f"{r1['cvode_vs_fastest_integration_only']:.1f}x)")
        elif r.get("key") == "neuron_cvode":
            ratio = "chosen NEURON-CVODE (cheapest setting within 0.1 ms)"
        elif r.get("wall_s") and fastest:
            ratio = f"{r['wall_s'] / fastest['wall_s']:.1f}x the fastest path's time"
        what = f"**{r['what']}**" if r.get("key") in ("default", "fastest", "neuron_cvode") else r["what"]
        if r.get("not_measured"):
            L.append(f"| {what} | {r['settings']} | not measured: {_cell(r['not_measured'])} | | | | |")
            continue
        settings = r["settings"] + (f"; integration only {r['integration_s']:.4f} s" if "integration_s" in r else "")
        L.append(f"| {what} | {settings} | {r['wall_s']:.4f} | {r['throughput']:.1f} | {_err(r)} | "
                 f"{_counts(r)} | {ratio} |")
    L.append("")

    L.append(f"## 2. HH f-I sweep: {by_key['nm_fi']['n_cells']} amplitudes np.linspace(0, 20), 1 s each\n")
    L.append(hdr)
    for r in (x for x in rows if x["part"] == 2):
        what = f"**{r['what']}**" if r.get("key") else r["what"]
        if r.get("not_measured"):
            L.append(f"| {what} | {r['settings']} | not measured: {_cell(r['not_measured'])} | | | | |")
            continue
        ratio = ""
        if "ratio_nm" in r:
            ratio = f"neuromuscle (1 proc) / this = {r['ratio_nm']:.2f}x"
        elif r.get("key") == "sweep2":
            ratio = f"process efficiency t1/(2 t2) = {100 * r['efficiency']:.0f}% (target >= 85%)"
        elif r.get("key") == "nm_fi":
            ratio = "chosen: loosest rtol within 0.1 ms"
        extra = f"; compile {r['compile_s']:.1f} s" if "compile_s" in r else ""
        extra += f"; model build {r['setup_s']:.2f} s" if "setup_s" in r else ""
        extra += f"; integration only {r['integration_s']:.2f} s" if "integration_s" in r else ""
        L.append(f"| {what} | {r['settings']}{extra} | {r['wall_s']:.2f} | {r['throughput']:.1f} | {_err(r)} | "
                 f"{_counts(r)} | {ratio} |")
    sc = res["sweep_check"]
    L.append(f"\nsweep() starts each cell from its resting state with no stimulus (V = "
             f"{sc['rest_v_mV']:.4f} mV), not from V = -65 mV: its n_spikes equal the reference's at "
             f"{sc['n_spikes_equal_ref']}/{sc['n_points']} points, first spikes within "
             f"{_f(sc['max_first_spike_diff_ms'], '.2e')} ms; {sc['n_failed']} failed points.\n")
    same = [s for s in res["scaling"] if s["n_cells"] == by_key["nm_fi"]["n_cells"]]
    if same:
        L.append(f"Run-to-run noise on this shared machine: the chosen simulate_batch run above is the same "
                 f"computation as the {same[0]['n_cells']}-cell run of part 3, which took {same[0]['wall_s']:.2f} s "
                 f"({same[0]['throughput']:.0f} cell-s / wall-s) there.\n")
    L.append("Ratios (neuromuscle throughput / other throughput):\n")
    L.append("| against | 1 process (simulate_batch) | 2 processes (sweep) |\n|---|---|---|")
    seen = set()
    for rr in res["ratios_fi"].values():
        if rr["vs"] in seen:
            continue
        seen.add(rr["vs"])
        L.append(f"| {rr['vs']} | {rr['one_process']:.2f}x | {rr['two_processes']:.2f}x |")
    L.append("")

    L.append("## 3. simulate_batch scaling (one process)\n")
    L.append("| cells | wall time (s) | ms per cell | cell-s / wall-s | per-cell cost vs smallest |\n"
             "|---|---|---|---|---|")
    for s in res["scaling"]:
        L.append(f"| {s['n_cells']} | {s['wall_s']:.3f} | {s['ms_per_cell']:.3f} | {s['throughput']:.1f} | "
                 f"{s['per_cell_vs_smallest']:.2f} |")
    L.append(f"\nAmplitudes np.linspace(0, 20, n) at rtol {by_key['nm_fi']['rtol']:g}; a ratio of 1.00 = linear.\n")

    cam = res["ca_mg_map"]
    L.append("## 4. Motor-axon Ca x Mg map (metrics stability, rest; n_jobs = 2)\n")
    L.append("| points | wall time (s) | points / s | failed | stability classes (code: count) | rest range (mV) |\n"
             "|---|---|---|---|---|---|")
    L.append(f"| {cam['points']} | {cam['wall_s']:.1f} | {cam['points_per_s']:.1f} | {cam['n_failed']} | "
             f"{cam['stability_counts']} | {cam['rest_range_mV'][0]:.2f} to {cam['rest_range_mV'][1]:.2f} |")
    if "extrapolated_100x100_s" in cam:
        L.append(f"\nExtrapolated to 100 x 100: {cam['extrapolated_100x100_s']:.0f} s.")
    L.append("")

    L.append("## Targets\n")
    L.append("| target | measured as | measured | goal | met | margin | note |\n|---|---|---|---|---|---|---|")
    for t in res["targets"]:
        if t["measured"] is None:
            L.append(f"| {t['target']} | {t['what']} | not measured | {t['goal']:g} | — | — | {t['note']} |")
            continue
        pct = "%" in t["target"]
        meas = f"{100 * t['measured']:.0f}%" if pct else f"{t['measured']:.3g}"
        goal = f"{100 * t['goal']:.0f}%" if pct else f"{t['goal']:g}"
        met = "**yes**" if t["met"] else "**NO**"
        margin = (f"{t['margin']:.2f}x {'better' if t['met'] else 'short'}")
        L.append(f"| {t['target']} | {t['what']} | {meas} | {goal} | {met} | {margin} | {t['note']} |")
    L.append("")
    if res["problems"]:
        L.append("## Problems met\n")
        L += [f"- {p}" for p in res["problems"]]
        L.append("")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
