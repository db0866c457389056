"""Redraw time of the classroom explorer (``neuromuscle explore``), model by model.

A redraw is :meth:`neuromuscle.explore.Explorer.compute` for one slider move (what the app
recomputes) plus :meth:`~neuromuscle.explore.Explorer.figure` (the matplotlib drawing).
For each model the first redraw (which builds and compiles the model and finds the full
resting state) is timed apart; then the K slider is moved up by one step (0.1 mM; the
temperature by 0.5 degC for the Hodgkin-Huxley model) at a time, and each redraw is timed.
The machine is shared, so every number is the minimum of the repeats (the least contended
run), and the median is given beside it.

Accuracy: the redraw's readouts (rest, threshold) are compared with those of a fresh
explorer that computes the same settings from scratch (full resting-state search, threshold
bisection from a wide bracket); the figures need rest to 0.1 mV and threshold to 2 %.

Run: ``python benchmarks/bench_explore.py [--repeats N] [--models a,b]``; writes
``benchmarks/results/bench_explore.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import time

import numpy as np

from neuromuscle import explore

RESULTS = pathlib.Path(__file__).resolve().parent / "results"
TARGET_S = 0.5


def bench(key: str, repeats: int) -> dict:
    ex = explore.Explorer(key)
    t0 = time.perf_counter()
    snap = ex.compute()
    ex.figure(snap)
    first = time.perf_counter() - t0
    k0 = ex.settings["k"] if "k" in explore.MODELS[key].controls else None
    times, draw = [], []
    c0 = ex.settings["celsius"]
    for i in range(1, repeats + 1):
        # a new slider position each time (no readout can be reused from an earlier redraw)
        if k0 is not None:
            ex.settings["k"] = k0 + 0.1 * i
        else:  # the Hodgkin-Huxley model: temperature is its only slider
            ex.settings["celsius"] = c0 + 0.5 * i
        t0 = time.perf_counter()
        snap = ex.compute()
        t1 = time.perf_counter()
        ex.figure(snap)
        t2 = time.perf_counter()
        times.append(t2 - t0)
        draw.append(t2 - t1)
    # accuracy: the last settings computed from scratch by a fresh explorer
    explore._REST_GUESS.clear()
    fresh = explore.Explorer(key)
    fresh.settings = dict(ex.settings)
    ref = fresh.compute()
    return {
        "model": key,
        "first redraw incl. build and compile s": first,
        "redraw s (min)": min(times),
        "redraw s (median)": statistics.median(times),
        "of which drawing s (min)": min(draw),
        "repeats": repeats,
        "under target": bool(min(times) < TARGET_S),
        "rest mV": snap.rest,
        "rest from scratch mV": ref.rest,
        "threshold uA/cm2": snap.threshold,
        "threshold from scratch uA/cm2": ref.threshold,
        "threshold relative difference": (float(abs(snap.threshold - ref.threshold) / ref.threshold)
                                          if np.isfinite(ref.threshold) and ref.threshold > 0 else float("nan")),
        "fires on its own": snap.fires_on_own,
        "fires on its own from scratch": ref.fires_on_own,
    }


def markdown(rows: list[dict]) -> str:
    lines = [f"Explorer redraw time (target < {TARGET_S} s once compiled; minimum of repeats on a shared "
             "2-core machine, median beside it)", "",
             "| model | first redraw (s) | redraw min (s) | redraw median (s) | drawing (s) | rest vs scratch (mV) "
             "| threshold vs scratch |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['model']} | {r['first redraw incl. build and compile s']:.2f} | {r['redraw s (min)']:.3f} "
                     f"| {r['redraw s (median)']:.3f} | {r['of which drawing s (min)']:.3f} "
                     f"| {abs(r['rest mV'] - r['rest from scratch mV']):.2g} "
                     f"| {r['threshold relative difference']:.1%} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=6)
    ap.add_argument("--models", default=",".join(explore.MODELS))
    args = ap.parse_args(argv)
    rows = []
    for key in args.models.split(","):
        row = bench(key, args.repeats)
        print(json.dumps(row))
        rows.append(row)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench_explore.json").write_text(json.dumps(rows, indent=2))
    (RESULTS / "bench_explore.md").write_text(markdown(rows))
    print(markdown(rows))
    return rows


if __name__ == "__main__":
    main()
