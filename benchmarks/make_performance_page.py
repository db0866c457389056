"""Write docs/performance.md from the files the benchmarks wrote in benchmarks/results/.

Every figure on the page comes from a results file; the page names the file and the
script that wrote it. A missing file gives a row that says which script to run.

Run: ``python benchmarks/make_performance_page.py`` (after the benchmarks).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PAGE = ROOT / "docs" / "performance.md"


def _json(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _md(name: str) -> str | None:
    path = RESULTS / f"{name}.md"
    return path.read_text() if path.exists() else None


def _demote(text: str, drop: tuple[str, ...] = ()) -> str:
    """Headings one level down (the page has its own); sections named in ``drop`` left out."""
    out, skipping = [], False
    for line in text.splitlines():
        m = re.match(r"^(#+) (.*)", line)
        if m:
            skipping = any(m.group(2).startswith(d) for d in drop)
            if skipping:
                continue
            if len(m.group(1)) == 1:
                continue  # the file's title: the page section says what it is
            line = "#" + line
        if not skipping:
            out.append(line)
    return "\n".join(out).strip() + "\n"


def _missing(script: str) -> str:
    return f"not measured yet: run `PYTHONPATH=. python benchmarks/{script}`"


def _fi_block_row(fb: dict, name: str, title: str) -> str:
    """The targets-table row of one ``bench_fi_block.py`` results file."""
    by = {r["what"]: r for r in fb["rows"]}
    new = by[f"neuromuscle block {fb['default_block']}"]
    old = by["neuromuscle block 1"]
    ra = fb["ratios"]
    versus = [f"one cell after another {old['throughput']:.0f} cell-s/s"]
    ratios = [f"{ra['default block / one-cell kernel']:.2f}x one cell after another"]
    if "default block / NEURON fixed dt 0.025" in ra:
        nrn = by["NEURON fixed dt 0.025 ms"]
        versus.append(f"NEURON fixed dt 0.025 ms {nrn['throughput']:.0f} cell-s/s (its spike counts differ in "
                      f"{nrn['n_cells_mismatch']} cells)")
        ratios.append(f"{ra['default block / NEURON fixed dt 0.025']:.2f}x NEURON")
    if "default block / Brian2 rk4 dt 0.05" in ra:
        b2 = by["Brian2 Cython rk4 dt 0.05 ms"]
        versus.append(f"Brian2 rk4 dt 0.05 ms {b2['throughput']:.0f} cell-s/s")
        ratios.append(f"{ra['default block / Brian2 rk4 dt 0.05']:.2f}x Brian2")
    elif fb.get("old_brian2"):
        versus.append(f"Brian2 not run here ({fb['old_brian2']['throughput']:.0f} cell-s/s recorded on "
                      f"{fb['old_brian2']['machine']})")
    return (f"| {title}, {fb['default_block']} cells in lockstep, rtol {fb['rtol']:g} | "
            f"{new['throughput']:.0f} cell-s/s | " + "; ".join(versus) + " | " + ", ".join(ratios)
            + f" | spike counts {'exact' if new['counts_match'] else 'differ'}, "
            f"within {new['max_err_ms']:.2g} ms | {name}.json |")


def summary() -> list[str]:
    rows = ["| work | neuromuscle | compared with | ratio | accuracy | data |", "|---|---|---|---|---|---|"]
    tg = _json("bench_engine_targets")
    if tg:
        wp = tg["whole_process_hh"]
        rows.append(f"| one HH simulation as a whole process (import, build, simulate 1 s), second run | "
                    f"{wp['neuromuscle_warm_s']:.2f} s | NEURON script {wp['neuron_s']:.2f} s | "
                    f"{wp['ratio_warm']:.2f}x NEURON's time"
                    + (f" (medians {wp['ratio_warm_median']:.2f}x, load average {wp['load_average'][1]:.1f} on "
                       f"{tg.get('machines', {}).get('whole_process_hh', tg['machine'])})"
                       if "ratio_warm_median" in wp else "")
                    + f" | spikes {wp['spikes']['neuromuscle']} "
                    f"(NEURON {wp['spikes']['NEURON']}) | bench_engine_targets.json |")
        rows.append(f"| same, first run after install (empty compiled-code cache) | {wp['neuromuscle_cold_s']:.1f} s "
                    "| | | | bench_engine_targets.json |")
        if "numba_warm_s" in wp:
            rows.append(f"| same script on the numba engine (`engine='explicit'`), second run | "
                        f"{wp['numba_warm_s']:.2f} s | NEURON script {wp['neuron_s']:.2f} s | "
                        f"{wp['ratio_numba_warm']:.2f}x NEURON's time | spikes {wp['spikes']['neuromuscle numba']} | "
                        "bench_engine_targets.json |")
        for r in tg["ec_fibre_1s"]["rows"]:
            rows.append(f"| 1 s of `muscle_ec` (20 APs), stiff engine, rtol {r['rtol']:g} | {r['stiff_s']:.3f} s | "
                        f"LSODA on the compiled equations {r['lsoda_compiled_s']:.3f} s | {r['ratio']:.2f}x faster | "
                        f"spikes {r['spikes']}/{r['reference_spikes']}, within {r['max_spike_error_ms']:.2g} ms | "
                        "bench_engine_targets.json |")
        fb = tg["ec_fibres_2_processes"]
        rows.append(f"| {fb['n_fibres']} EC fibres, 1 s each, 2 processes, rtol 1e-4 | {fb['wall_s']:.1f} s "
                    f"({fb['fibres_per_s']:.2f} fibres/s integrating) | | | all reached t_end | "
                    "bench_engine_targets.json |")
        cs = tg.get("cli_sweep")
        if cs:
            sp = cs["total_spikes"]
            rows.append(f"| CLI 1000-point HH f-I sweep (`neuromuscle sweep`, 1 s each, 1 process), whole process | "
                        f"{cs['neuromuscle_s']:.2f} s | NEURON script (1000 cells, fixed dt 0.025 ms) "
                        f"{cs['neuron_s']:.2f} s | {cs['ratio']:.2f}x NEURON's time | total spikes "
                        f"{sp['neuromuscle']} (NEURON {sp['NEURON fixed dt 0.025']}), {cs['n_failed']} failed | "
                        "bench_engine_targets.json |")
        else:
            script = "bench_engine_targets.py --only cli_sweep"
            rows.append(f"| CLI 1000-point sweep, whole process | {_missing(script)} | | | | |")
    else:
        rows.append(f"| whole-process HH, muscle_ec, EC fibres | {_missing('bench_engine_targets.py')} | | | | |")
    fb = _json("bench_fi_block")
    if fb:
        rows.append(_fi_block_row(fb, "bench_fi_block", "1000-cell HH f-I sweep (0-20 uA/cm2, 1 s), 1 process, "
                                                       f"on {fb['machine'].split(',')[0]}"))
        # the same script run earlier on other CPUs (``--name bench_fi_block_<cpu>``): the ratios
        # depend on the CPU, so those runs stay on the page beside this one
        for other in sorted(RESULTS.glob("bench_fi_block_*.json")):
            ob = _json(other.stem)
            rows.append(_fi_block_row(ob, other.stem, f"same, on {ob['machine'].split(',')[0]}"))
    en = _json("bench_engines")
    if en and not fb:
        chosen = [r for r in en["rows"] if r.get("part") == 2 and r.get("key") == "fi_chosen"] or \
                 [r for r in en["rows"] if r.get("part") == 2 and "chosen" in str(r.get("what", ""))]
        fi = en["ratios_fi"]
        if chosen:
            c = chosen[0]
            rows.append(f"| 1000-cell HH f-I sweep (0-20 uA/cm2, 1 s), 1 process | {c['throughput']:.0f} cell-s/s | "
                        f"NEURON fixed dt 0.025 ms; Brian2 rk4 dt 0.05 ms | "
                        f"{fi['neuron_fixed_dt0.025']['one_process']:.2f}x NEURON, "
                        f"{fi['brian2_best_accurate']['one_process']:.2f}x Brian2 | "
                        f"spike counts exact, within {c['max_err_ms']:.2g} ms | bench_engines.json |"
                        if isinstance(fi.get("neuron_fixed_dt0.025"), dict) else
                        f"| 1000-cell HH f-I sweep (0-20 uA/cm2, 1 s), 1 process | {c['throughput']:.0f} cell-s/s | "
                        "see the f-I table below | | | bench_engines.json |")
    elif not fb:
        rows.append(f"| 1000-cell HH f-I sweep | {_missing('bench_engines.py')} | | | | |")
    ax = _json("bench_stiff_axon")
    if ax:
        by = {r["rtol"]: r for r in ax["rows"]}
        for rtol, r in sorted(by.items(), reverse=True):
            s, lsoda = r["RODAS4 compiled"], r["LSODA band"]
            rows.append(f"| {ax['model']}, 100 ms, one AP, rtol {rtol:g} | {s['wall s (best)']:.2f} s (RODAS4) | "
                        f"LSODA with the band {lsoda['wall s (best)']:.2f} s | {r['ratio RODAS4 / LSODA']:.2f}x "
                        f"LSODA's time | spike time within {s['spike-time error ms']:.1g} ms (LSODA "
                        f"{lsoda['spike-time error ms']:.1g} ms) | bench_stiff_axon.json |")
        if 1e-4 in by and 1e-5 in by:
            a, b = by[1e-4]["RODAS4 compiled"], by[1e-5]["LSODA band"]
            rows.append(f"| same, at equal accuracy: RODAS4 rtol 1e-4 against LSODA rtol 1e-5 | "
                        f"{a['wall s (best)']:.2f} s | {b['wall s (best)']:.2f} s | "
                        f"{a['wall s (best)'] / b['wall s (best)']:.2f}x | {a['spike-time error ms']:.1g} ms against "
                        f"{b['spike-time error ms']:.1g} ms | bench_stiff_axon.json |")
    else:
        rows.append(f"| myelinated axon, stiff engine against LSODA | {_missing('bench_stiff_axon.py')} | | | | |")
    my = _json("bench_myelinated_axon") or {}
    for what in ("full battery, 21 nodes", "quick battery, 11 nodes"):
        if f"{what}: wall s" in my:
            rows.append(f"| threshold-tracking battery, {what.split(', ')[1]}, {what.split(' ')[0]} protocol | "
                        f"{my[f'{what}: wall s']:.0f} s ({my.get(f'{what}: engine', '?')} engine) | | "
                        f"{my.get(f'{what}: threshold searches', '?')} threshold searches, "
                        f"{my.get(f'{what}: runs', '?')} runs | | bench_myelinated_axon.json |")
    nrn = _json("bench_myelinated_axon_neuron")
    if nrn:
        r = nrn["rows"]
        # one row per NEURON run (fixed step as MRG uses it, CVODE at each tolerance that ran): the fastest
        # neuromuscle run whose integration error is no larger, each error against its own simulator's
        # converged solution
        for nname, pair in nrn.get("same_accuracy", {}).items():
            theirs, ours = r[nname], r[pair["neuromuscle"]]
            rows.append(f"| {nrn['work']}, against {nname}, same accuracy | {ours['wall_s']:.2f} s "
                        f"({pair['neuromuscle']}) | {nname} {theirs['wall_s']:.2f} s | {pair['ratio']:.2f}x "
                        f"NEURON's time | last-node spike {1e3 * ours['spike_time_error_ms']:+.2f} us from its "
                        f"converged solution (NEURON {1e3 * theirs['spike_time_error_ms']:+.2f} us), CV "
                        f"{ours['cv_error_pct']:+.2f} % (NEURON {theirs['cv_error_pct']:+.2f} %); the two converged "
                        f"solutions differ by {nrn['model_difference_us']:+.1f} us | "
                        "bench_myelinated_axon_neuron.json |")
        for name in nrn.get("neuron_cvode_failed", {}):
            rows.append(f"| {nrn['work']}, against {name} | | {name} failed | | | bench_myelinated_axon_neuron.json |")
    else:
        rows.append("| 21-node myelinated axon, 100 ms, one AP, against NEURON (fixed step as MRG uses it, and "
                    f"CVODE) | {_missing('bench_myelinated_axon.py')} | | | | bench_myelinated_axon.json |")
    ex = _json("bench_explorer")
    if ex:
        for r in ex["rows"]:
            load = max(r["load average before (1, 5, 15 min)"][0], r["load average after (1, 5, 15 min)"][0])
            rows.append(f"| explorer redraw after a slider move, {r['model']} ({r['engine']} engine, rtol "
                        f"{r['rtol']:g}, {r['window ms']:g} ms), median of {r['moves']} moves, load average up to "
                        f"{load:.2f} on 2 shared cores | "
                        f"{r['trace s (median)']:.3f} s to the drawn trace (max {r['trace s (max)']:.3f} s); readouts "
                        f"{r['readouts s (median)']:.3f} s after | target {ex['target s']:g} s | "
                        f"{r['trace s (median)'] / ex['target s']:.2f}x the target | traces within "
                        f"{r['trace deviation px (largest)']:.2f} px of rtol 1e-8 (line {r['line width px']:.2f} px); "
                        f"threshold within {100 * r['threshold relative difference']:.2g} % | bench_explorer.json |")
    else:
        rows.append(f"| explorer redraw | {_missing('bench_explorer.py')} | | | | |")
    return rows


def explorer_section() -> list[str]:
    """The explorer's redraw, model by model, from bench_explorer.json."""
    ex = _json("bench_explorer")
    if not ex:
        return [_missing("bench_explorer.py"), ""]
    out = [f"Each model: the first redraw (build, compile, full rest, test pulse), then {ex['rows'][0]['moves']} "
           "random slider moves after two warm-up moves; a redraw is the rest, the test-pulse run and the "
           "PNG the app sends (the trace on screen), then the readouts (threshold search, 50 ms "
           f"spontaneous-firing run). Display tolerance rtol {ex['display rtol']:g}; accuracy against rtol "
           f"{ex['reference']['rtol']:g} with output ten times as dense, measured as curves in the figure's "
           "pixels (symmetric Hausdorff distance). Machine: " + ex["machine"] + ".", "",
           "| model | engine | window (ms) | first redraw (s) | trace median (s) | trace max (s) | readouts median (s) "
           "| readouts max (s) | largest trace deviation (px; line width) | threshold vs rtol 1e-8 from scratch "
           "| load average (before, after) |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in ex["rows"]:
        out.append(f"| {r['model']} | {r['engine']} | {r['window ms']:g} | "
                   f"{r['first redraw incl. build, compile and test pulse s']:.2f} | {r['trace s (median)']:.3f} | "
                   f"{r['trace s (max)']:.3f} | {r['readouts s (median)']:.3f} | {r['readouts s (max)']:.3f} | "
                   f"{r['trace deviation px (largest)']:.2f} ({r['line width px']:.2f}) | "
                   f"{100 * r['threshold relative difference']:.2g} % | "
                   f"{r['load average before (1, 5, 15 min)'][0]:.2f}, "
                   f"{r['load average after (1, 5, 15 min)'][0]:.2f} |")
    out += ["", "Each slider from normal to either end of its range (Home and End):", "",
            "| model | moves | trace median (s) | trace max (s) | over the target |", "|---|---|---|---|---|"]
    for r in ex["rows"]:
        if "slider ends: moves" in r:
            over = ", ".join(f"{o['slider']} = {o['value']:g}: {o['trace s']:.2f} s"
                             for o in r["slider ends over target"])
            out.append(f"| {r['model']} | {r['slider ends: moves']} | {r['slider ends: trace s (median)']:.3f} | "
                       f"{r['slider ends: trace s (max)']:.3f} | {over or 'none'} |")
    failed = [(r["model"], f) for r in ex["rows"] for f in r.get("moves without a resting state (not timed)", [])]
    for model, f in failed:
        out.append("")
        out.append(f"{model}: no resting state at {f['settings']} (the app says so; not timed).")
    return out + [""]


def limits() -> list[str]:
    """What limits the figures, with the numbers read from the results."""
    out = []
    tg = _json("bench_engine_targets")
    if tg:
        wp = tg["whole_process_hh"]
        text = (f"* **A whole process** ({wp['neuromuscle_warm_s']:.2f} s against NEURON's {wp['neuron_s']:.2f} s): "
                "the integration of 1 s of HH is a few milliseconds; the rest is starting up and shutting down. ")
        if "phases_median_s" in wp:
            ph = wp["phases_median_s"]
            text += (f"Median phases of the script (load average {wp['load_average'][0]:.1f}-"
                     f"{wp['load_average'][1]:.1f}): interpreter start {ph['start_s']:.2f} s, `import neuromuscle` "
                     f"{ph['import_s']:.2f} s, `simulate` {ph['simulate_s']:.2f} s, exit {ph['exit_s']:.2f} s. ")
        if "numba_warm_s" in wp:
            text += (f"One cell of a non-stiff model runs on the native engine (`{wp.get('engine', 'native')}` here): "
                     "the model's equations translated to C with the explicit integrator's C twin, compiled once "
                     "by the system compiler and loaded with `ctypes`, so the process imports neither numba nor "
                     "SciPy. On the numba engine the same script takes "
                     f"{wp['numba_warm_s']:.2f} s ({wp['ratio_numba_warm']:.2f}x NEURON's time): "
                     "profiled with `python -X importtime` and cProfile, that `simulate` is almost all numba: "
                     "importing it, then its initialisation of the compiler target when the first cached function "
                     "loads (which imports SciPy's BLAS bindings), then loading the machine code. ")
        text += ("The interpreter's final garbage collection of numba's and LLVM's objects (0.4-0.6 s, measured) "
                 "is skipped by a `gc.freeze()` at exit; the analysis functions are imported on first use of "
                 "`nm.analysis`; the resting state is found without `scipy.optimize`. A first run after install "
                 f"(empty cache, the C library compiled) takes {wp['neuromuscle_cold_s']:.1f} s.")
        out.append(text)
        rows = tg["ec_fibre_1s"]["rows"]
        if rows:
            best = min(rows, key=lambda r: r["stiff_s"])
            out.append(
                f"* **The EC fibre** (51 states, 20 APs per second) takes {best['stiff_s']:.3f} s at rtol "
                f"{best['rtol']:g} on RODAS4: every step costs a finite-difference Jacobian (one evaluation per "
                "colour of independent columns, from the probed pattern: 15 of the 22 evaluations of a step) and "
                "an LU decomposition of the iteration matrix, on the pattern of its factors (480 entries) rather "
                "than the nearly full band; "
                "the action potentials and Ca transients force short steps.")
    ax = _json("bench_stiff_axon")
    if ax:
        out.append(
            f"* **The myelinated axon** ({ax['model']}): RODAS4's cost is dominated by right-hand-side "
            "evaluations (six stages and one per Jacobian colour every step); its band LU follows the "
            "cable's band. Keeping a Jacobian for more than one step was tried and rejected by "
            "measurement (docs/engine.md).")
    out.append(
        "* **Many HH cells**: the batch kernel integrates blocks of cells in lockstep, each with its own "
        "step control; the stages evaluate the right-hand side of the whole block in one loop that LLVM "
        "vectorises (4 double lanes of 256-bit vectors; the exponentials are arithmetic, not library calls). "
        "What is left per step and cell is scalar bookkeeping (acceptance, spike test, breakpoints), a large "
        "share of the time for a model as small as HH.")
    fb = _json("bench_fi_block")
    others = [(_json(o.stem), o.stem) for o in sorted(RESULTS.glob("bench_fi_block_*.json"))]
    if fb and others:
        def ratio_text(b):
            ra = b["ratios"]
            parts = [f"{ra[k]:.2f}x {who}" for k, who in (("default block / NEURON fixed dt 0.025", "NEURON"),
                                                           ("default block / Brian2 rk4 dt 0.05", "Brian2"))
                     if k in ra]
            return ", ".join(parts)
        runs = "; ".join(f"{b['machine'].split(',')[0]} ({name}.json): {ratio_text(b)}" for b, name in
                         [(fb, "bench_fi_block")] + others)
        out.append("* **The CPU matters** to the f-I ratios, not only to the absolute figures: the same script, "
                   "same accuracy, gave " + runs + ". The contenders were run beside the kernel on each machine.")
    if fb and fb.get("load_average_at_end"):
        out.append(
            f"* **Absolute throughput** of the f-I sweep was measured with a load average of "
            f"{fb['load_average_at_end'][0]:.1f} (at the end of the run) on "
            f"{fb['machine'].split(', ')[1]}"
            + (" (other work on the machine): the cell-s/s figures are those of a shared core"
               if fb["load_average_at_end"][0] > 1.5 else ": the machine ran the benchmark alone")
            + "; the ratios were measured interleaved. Under load the contenders that start a process "
            "per round (NEURON, Brian2) lose more than the in-process kernel, so the ratios are "
            "measured on a quiet machine.")
    return out


def page_text() -> str:
    """The whole page, from the files in ``benchmarks/results/``."""
    tg = _json("bench_engine_targets") or {}
    machine = tg.get("machine", "see each results file")
    parts = [
        "# Performance",
        "",
        "<!-- Generated by benchmarks/make_performance_page.py from benchmarks/results/; edit that "
        "script, not this file. -->",
        "",
        "What is measured, how, and on what machine. Every figure below is read from a file in "
        "`benchmarks/results/` written by the script named with it; rerun the script and then "
        "`python benchmarks/make_performance_page.py` to refresh this page.",
        "",
        "**How.** Each comparison runs its contenders interleaved (A, B, A, B, ...) in one session and "
        "reports the best time of each and their ratio, because the machine may be shared with other "
        "work: read the ratios rather than the seconds. Accuracy is part of every figure: spike counts "
        "against a tight reference and the largest spike-time difference. Compilation is excluded from "
        "integration times and reported apart (the compiled code is cached on disk, so only the first "
        "run on a machine pays it).",
        "",
        f"**Machine** (as the benchmarks recorded it): {machine}. Other results files name their own "
        "machine in their first lines.",
        "",
        "## Summary",
        "",
        *summary(),
        "",
        "## What limits the figures",
        "",
        *limits(),
        "",
    ]
    sections = [
        ("Engine comparisons (whole process, EC fibre)", "bench_engine_targets", "bench_engine_targets.py", ()),
        ("The myelinated axon on the stiff engine", "bench_stiff_axon", "bench_stiff_axon.py", ()),
        ("The HH f-I sweep: lockstep kernel, one-cell kernel, NEURON, Brian2", "bench_fi_block",
         "bench_fi_block.py", ()),
        ("Hodgkin-Huxley against NEURON and Brian2", "bench_engines", "bench_engines.py", ("Targets",)),
        ("SciPy's methods on Hodgkin-Huxley", "bench_hh", "bench_hh.py", ()),
    ]
    for title, name, script, drop in sections:
        text = _md(name)
        parts += [f"## {title}", "", f"Written by `benchmarks/{script}` to `benchmarks/results/{name}.md`.", ""]
        parts.append(_demote(text, drop) if text else _missing(script) + "\n")
    parts += ["## The classroom explorer", "",
              "Written by `benchmarks/bench_explorer.py` to `benchmarks/results/bench_explorer.json`.", ""]
    parts += explorer_section()
    for title, name, script in (("Nerve-to-force chain", "bench_chain", "bench_chain.py"),
                                ("Myelinated axon and the threshold-tracking battery", "bench_myelinated_axon",
                                 "bench_myelinated_axon.py")):
        data = _json(name)
        parts += [f"## {title}", "", f"Written by `benchmarks/{script}` to `benchmarks/results/{name}.json`.", ""]
        if data:
            parts += ["| quantity | value |", "|---|---|"]
            parts += [f"| {k} | {v:.4g} |" if isinstance(v, float) else f"| {k} | {v} |" for k, v in data.items()]
        else:
            parts.append(_missing(script))
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def main() -> None:
    PAGE.write_text(page_text())
    print(f"wrote {PAGE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
