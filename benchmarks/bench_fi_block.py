"""Benchmark: the 1000-cell HH f-I sweep on one process -- lockstep kernel, one-cell kernel, NEURON, Brian2.

The f-I sweep of ``bench_engines.py`` (amplitudes ``np.linspace(0, 20, 1000)`` uA/cm2, 1 s
each, V = -65 mV with the gates at steady state, spikes at 0 mV), with its contenders run
interleaved in rounds (A, B, C, ..., A, B, C, ...) so that load from other work on the
machine falls on all of them alike; each figure is the best round.

- neuromuscle ``simulate_batch`` on the explicit engine, one process: the lockstep kernel at
  several block widths, and the one-cell kernel (``block=1``, the kernel before lockstep
  blocks), at the loosest rtol of a ladder that keeps every spike within 0.1 ms;
- NEURON 1000 one-compartment ``hh`` cells, fixed step dt 0.025 ms (backward Euler), one
  thread (``bench_engines.neuron_worker``, a fresh process per round);
- Brian2 Cython, rk4 dt 0.05 ms (its cheapest accurate setting in ``bench_engines``), in its
  own interpreter if one is given or found (``--brian2-python``, default
  ``/work/venv-brian2/bin/python``); else the figure recorded in
  ``results/bench_engines.json`` is quoted as an old measurement from another machine.

Accuracy: spike counts and the largest spike-time difference against the one-cell kernel at
rtol = atol = 1e-10 (cross-checked against SciPy DOP853 in ``bench_engines.py``).

Writes ``benchmarks/results/bench_fi_block.{json,md}``. Run:
``PYTHONPATH=. python benchmarks/bench_fi_block.py [--cells N] [--rounds R]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_engines as be  # noqa: E402  (the NEURON and Brian2 workers, the accuracy measure)

T_END = 1000.0
RTOLS = (1e-4, 5e-5, 2e-5)
BLOCKS = (1, 16, 32, 64, 128)
DEFAULT_BRIAN2 = Path("/work/venv-brian2/bin/python")


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cells", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--brian2-python", default=str(DEFAULT_BRIAN2) if DEFAULT_BRIAN2.exists() else None)
    ap.add_argument("--skip-neuron", action="store_true")
    ap.add_argument("--name", default="bench_fi_block")
    args = ap.parse_args(argv)

    import neuromuscle as nm
    from neuromuscle.engine import explicit, simulate_batch

    model = nm.hodgkin_huxley()
    y0 = model.quasi_steady_state(be.V_INIT)
    amps = np.linspace(0.0, 20.0, args.cells)
    n = args.cells

    def run(rtol, block):
        return simulate_batch(model, nm.Step(1.0), T_END, amplitude=amps, y0=y0, rtol=rtol, atol=rtol * 1e-2,
                              block=block)

    be.log("compiling (or loading) both kernels")
    run(1e-4, 1)
    run(1e-4, 16)
    be.log(f"reference: one-cell kernel, rtol = atol = 1e-10, {n} cells")
    t0 = time.perf_counter()
    ref_res = simulate_batch(model, nm.Step(1.0), T_END, amplitude=amps, y0=y0, rtol=1e-10, atol=1e-10, block=1)
    ref = be.batch_trains(ref_res)
    ref_wall = time.perf_counter() - t0

    # the loosest accurate rtol, chosen on the default block width and checked on every width
    ladder = []
    for rt in RTOLS:
        res = run(rt, explicit.BLOCK)
        acc = be.spike_accuracy(be.batch_trains(res), ref)
        ladder.append(dict(rtol=rt, wall_s=res.wall_time, **acc))
    ok = [r for r in ladder if r["accurate"]]
    rtol = max(ok, key=lambda r: r["rtol"])["rtol"] if ok else RTOLS[-1]

    brian2 = None
    if args.brian2_python:
        okb, info = be._probe_brian2(args.brian2_python)
        brian2 = args.brian2_python if okb else None
        brian2_note = f"{args.brian2_python}: {info}"
    else:
        brian2_note = "no Brian2 interpreter given or found"

    walls: dict[str, list[float]] = {}
    accs: dict[str, dict] = {}
    extra: dict[str, dict] = {}
    for rnd in range(args.rounds):
        be.log(f"round {rnd + 1}/{args.rounds}")
        for block in BLOCKS:
            key = f"neuromuscle block {block}"
            t0 = time.perf_counter()
            res = run(rtol, block)
            walls.setdefault(key, []).append(time.perf_counter() - t0)
            accs[key] = be.spike_accuracy(be.batch_trains(res), ref)
            extra[key] = dict(integration_s=float(res.wall_time), method=res.extra["method"],
                              n_steps=int(res.n_steps.sum()))
        if not args.skip_neuron:
            out = be.run_neuron(amps, [dict(kind="fixed", dt=0.025, secondorder=0, repeats=1)])
            key = "NEURON fixed dt 0.025 ms"
            if "error" in out or "error" in out["runs"][0]:
                extra[key] = dict(error=out.get("error") or out["runs"][0]["error"])
            else:
                r = out["runs"][0]
                walls.setdefault(key, []).append(r["wall_s"])
                accs[key] = be.spike_accuracy([np.asarray(s) for s in r["spikes"]], ref)
                extra[key] = dict(neuron=out["neuron"], setup_s=out["setup_s"])
        if brian2:
            out = be.run_brian2(brian2, amps, y0, [dict(method="rk4", dt=0.05, repeats=1)])
            key = "Brian2 Cython rk4 dt 0.05 ms"
            if "error" in out or "error" in out["runs"][0]:
                extra[key] = dict(error=out.get("error") or out["runs"][0]["error"])
            else:
                r = out["runs"][0]
                walls.setdefault(key, []).append(r["wall_s"])
                accs[key] = be.spike_accuracy([np.asarray(s) for s in r["spikes"]], ref)
                extra[key] = dict(brian2=out["brian2"], numpy=out["numpy"], compile_s=r.get("compile_s"))

    rows = []
    for key, w in walls.items():
        best = min(w)
        rows.append(dict(what=key, wall_s=best, walls=w, throughput=n * T_END / 1000.0 / best, **accs[key],
                         **extra.get(key, {})))
    by = {r["what"]: r for r in rows}
    new = by[f"neuromuscle block {explicit.BLOCK}"]
    old = by["neuromuscle block 1"]
    ratios = {"default block / one-cell kernel": new["throughput"] / old["throughput"]}
    nrn = by.get("NEURON fixed dt 0.025 ms")
    if nrn:
        ratios["default block / NEURON fixed dt 0.025"] = new["throughput"] / nrn["throughput"]
        ratios["one-cell kernel / NEURON fixed dt 0.025"] = old["throughput"] / nrn["throughput"]
    b2 = by.get("Brian2 Cython rk4 dt 0.05 ms")
    old_brian2 = None
    if b2:
        ratios["default block / Brian2 rk4 dt 0.05"] = new["throughput"] / b2["throughput"]
    else:
        try:
            prev = json.loads((HERE / "results" / "bench_engines.json").read_text())
            for r in prev["rows"]:
                if r.get("what", "").startswith("Brian2") and "rk4, dt 0.05" in r.get("settings", ""):
                    old_brian2 = dict(throughput=r["throughput"], machine=prev["environment"]["cpu"])
        except (OSError, KeyError, ValueError):
            pass
    result = dict(
        machine=f"{be._cpu_name()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
                f"Python {platform.python_version()}",
        load_average_at_end=os.getloadavg(), cells=n, t_end_ms=T_END, rtol=rtol, atol=rtol * 1e-2,
        rounds=args.rounds,
        default_block=explicit.BLOCK, reference=dict(what="one-cell kernel, rtol = atol = 1e-10", wall_s=ref_wall,
                                                     n_spikes=int(sum(r.size for r in ref))),
        ladder=ladder, rows=rows, ratios=ratios, brian2=brian2_note, old_brian2=old_brian2,
        targets={"cell-s/s per core": 2000, "x NEURON fixed dt 0.025": 8, "x Brian2 rk4 dt 0.05": 4},
    )
    out_dir = HERE / "results"
    (out_dir / f"{args.name}.json").write_text(json.dumps(result, indent=1, default=float))
    (out_dir / f"{args.name}.md").write_text(render(result))
    print(render(result))
    return result


def render(res) -> str:
    ladder = ", ".join(format(r["rtol"], "g") for r in res["ladder"])
    lines = [f"HH f-I sweep, {res['cells']} cells x {res['t_end_ms']:g} ms, one process; rtol {res['rtol']:g}, "
             f"atol {res['atol']:g} (loosest of {ladder} with every "
             f"spike within 0.1 ms). Best of {res['rounds']} interleaved rounds. Machine: {res['machine']}.", "",
             "| contender | wall s (best) | cell-s / wall-s | spike counts exact | max spike error (ms) | note |",
             "|---|---|---|---|---|---|"]
    for r in res["rows"]:
        note = r.get("method") or (f"NEURON {r['neuron']}" if "neuron" in r else
                                   f"Brian2 {r.get('brian2', '')}")
        err = "—" if r.get("max_err_ms") is None else f"{r['max_err_ms']:.3g}"
        counts = "yes" if r["counts_match"] else f"no: {r['n_cells_mismatch']} cells differ"
        lines.append(f"| {r['what']} | {r['wall_s']:.3f} | {r['throughput']:.0f} | {counts} | {err} | {note} |")
    lines += ["", "| ratio (throughput) | value |", "|---|---|"]
    lines += [f"| {k} | {v:.2f}x |" for k, v in res["ratios"].items()]
    if res.get("old_brian2"):
        b = res["old_brian2"]
        lines += ["", f"Brian2 was not run here ({res['brian2']}); bench_engines.json recorded Brian2 rk4 dt 0.05 "
                      f"at {b['throughput']:.0f} cell-s/s on {b['machine']} (another machine: not a ratio)."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
