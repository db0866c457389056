"""Redraw time and display accuracy of the classroom explorer (``neuromuscle explore``).

A redraw is what the app does after a slider move: :meth:`~neuromuscle.explore.Explorer.trace`
(resting state and the test-pulse response) and :meth:`~neuromuscle.explore.Explorer.png`
(the matplotlib drawing and its PNG, as the app sends it) -- the trace is on screen then --
followed by
:meth:`~neuromuscle.explore.Explorer.readouts` (threshold search and the spontaneous-firing
run), shown when they are done. Both are timed apart.

For each model the first redraw (which builds and compiles the model, finds the full resting
state and the test pulse) is timed apart; two slider moves warm up; then ``N`` slider moves
are timed. Each move sets one of the model's sliders (in turn) to a random position of its
range (seeded, on the slider's step), as a student dragging a slider does, so moves are
small and large and no setting repeats. A setting without a resting state (the app says so)
is listed, not timed, and the slider goes back to normal. Then each slider is moved from
normal to either end of its range (what the Home and End keys do), timed apart: the
extremes are where the resting state moves furthest and may lose its stability. The
machine is shared: the load average is recorded before and after each model, and the
median, the largest and the smallest time are given.

Accuracy, at normal settings and at the last setting: the drawn traces against the same test
pulse at rtol 1e-8 sampled ten times as often, as curves in the figure's pixels
(:func:`~neuromuscle.explore.trace_deviation_px`; the line width is 1.87 px), and the readouts
(rest, threshold) against a fresh explorer that computes the setting from scratch with
every run at rtol 1e-8 (full resting-state search, threshold bisection from a wide bracket).

Run: ``PYTHONPATH=. python benchmarks/bench_explorer.py [--moves N] [--models a,b]``; writes
``benchmarks/results/bench_explorer.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pathlib
import platform
import statistics
import time

import numpy as np

from neuromuscle import explore

RESULTS = pathlib.Path(__file__).resolve().parent / "results"
TARGET_S = 0.5
TIGHT = {"rtol": 1e-8, "atol": 1e-10}


def _redraw(ex: explore.Explorer):
    t0 = time.perf_counter()
    snap = ex.trace()
    ex.png(snap)
    t1 = time.perf_counter()
    snap = ex.readouts(snap)
    return snap, t1 - t0, time.perf_counter() - t1


def _tight_entry(entry: explore.ExplorerModel) -> explore.ExplorerModel:
    return dataclasses.replace(entry, sim_kw={**entry.sim_kw, **TIGHT}, dt=entry.sample_dt() / 10)


def _moves(entry: explore.ExplorerModel, n: int, rng: np.random.Generator) -> list[tuple[str, float]]:
    out = []
    keys = [k for k in explore.CONTROLS if k in entry.controls]
    for i in range(n):
        key = keys[i % len(keys)]
        c = explore.CONTROLS[key]
        start, end, _ = entry.ranges.get(key, (c.start, c.end, c.default))
        steps = int(round((end - start) / c.step))
        out.append((key, round(start + c.step * int(rng.integers(0, steps + 1)), 6)))
    return out


def bench(key: str, moves: int, seed: int = 1) -> dict:
    entry = explore.MODELS[key]
    load_before = os.getloadavg()
    explore.clear_caches()
    ex = explore.Explorer(key)
    t0 = time.perf_counter()
    first = ex.compute()
    ex.png(first)
    first_s = time.perf_counter() - t0
    rng = np.random.default_rng(seed)
    plan = _moves(entry, moves + 2, rng)
    trace_s, readout_s, failed = [], [], []
    for i, (k, v) in enumerate(plan):
        ex.settings[k] = v
        try:
            snap, a, b = _redraw(ex)
        except RuntimeError as exc:  # no resting state at this setting: the app says so
            failed.append({"settings": dict(ex.settings), "error": str(exc)})
            ex.settings[k] = entry.defaults()[k]
            continue
        if i >= 2:  # after two warm-up moves
            trace_s.append(a)
            readout_s.append(b)
    last = dict(ex.settings)
    # each slider to either end of its range from normal (what the Home and End keys do)
    ends, ends_over, defaults = [], [], entry.defaults()
    for k in (k for k in explore.CONTROLS if k in entry.controls):
        c = explore.CONTROLS[k]
        start, end, _ = entry.ranges.get(k, (c.start, c.end, c.default))
        for v in (start, end):
            ex.settings = {**defaults, k: v}
            try:
                _, a, _ = _redraw(ex)
            except RuntimeError as exc:
                failed.append({"settings": dict(ex.settings), "error": str(exc)})
                continue
            ends.append(a)
            if a >= TARGET_S:
                ends_over.append({"slider": k, "value": v, "trace s": a})
    ex.settings = last
    load_after = os.getloadavg()

    # accuracy of the drawing: the same test pulse at rtol 1e-8, output ten times as dense
    tight = _tight_entry(entry)
    ref_ex = explore.Explorer(key)
    ref_ex._pulse[key] = ex._pulse[key]
    explore.MODELS[key] = tight
    try:
        deviation = {}
        for name, settings in (("normal", entry.defaults()), ("last move", last)):
            shown = ex.trace(settings)
            ref = ref_ex.trace(settings)
            deviation[name] = explore.trace_deviation_px(shown, ref)
        # readouts from scratch, every run at rtol 1e-8
        explore.clear_caches()
        scratch = explore.Explorer(key)
        scratch._pulse[key] = ex._pulse[key]
        ref_last = scratch.compute(last)
    finally:
        explore.MODELS[key] = entry
    worst = max(max(d.values()) for d in deviation.values())
    return {
        "model": key,
        "label": entry.label,
        "engine": entry.run_kw(explore._built(key))["engine"],
        "rtol": entry.run_kw(explore._built(key))["rtol"],
        "display dt ms": entry.sample_dt(),
        "window ms": entry.t_end,
        "first redraw incl. build, compile and test pulse s": first_s,
        "moves": moves,
        "trace s (median)": statistics.median(trace_s),
        "trace s (max)": max(trace_s),
        "trace s (min)": min(trace_s),
        "readouts s (median)": statistics.median(readout_s),
        "readouts s (max)": max(readout_s),
        "trace under target (median)": bool(statistics.median(trace_s) < TARGET_S),
        "moves with trace over target": int(sum(t >= TARGET_S for t in trace_s)),
        "slider ends: moves": len(ends),
        "slider ends: trace s (median)": statistics.median(ends),
        "slider ends: trace s (max)": max(ends),
        "slider ends over target": ends_over,
        "moves without a resting state (not timed)": failed,
        "load average before (1, 5, 15 min)": [round(x, 2) for x in load_before],
        "load average after (1, 5, 15 min)": [round(x, 2) for x in load_after],
        "trace deviation px (largest)": worst,
        "trace deviation px": deviation,
        "line width px": explore.line_width_px(),
        "last settings": last,
        "rest mV": snap.rest,
        "rest from scratch at rtol 1e-8 mV": ref_last.rest,
        "threshold uA/cm2": snap.threshold,
        "threshold from scratch at rtol 1e-8 uA/cm2": ref_last.threshold,
        "threshold relative difference": (float(abs(snap.threshold - ref_last.threshold) / ref_last.threshold)
                                          if np.isfinite(ref_last.threshold) and ref_last.threshold > 0
                                          else float("nan")),
        "fires on its own": snap.fires_on_own,
        "fires on its own from scratch": ref_last.fires_on_own,
    }


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=12)
    ap.add_argument("--models", default=",".join(explore.MODELS))
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    rows = []
    for key in args.models.split(","):
        row = bench(key, args.moves, args.seed)
        print(json.dumps({k: v for k, v in row.items() if "deviation px" != k and k != "last settings"}))
        rows.append(row)
    out = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
           "target s": TARGET_S, "display rtol": explore.DISPLAY_RTOL, "reference": TIGHT, "seed": args.seed,
           "rows": rows}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench_explorer.json").write_text(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()
