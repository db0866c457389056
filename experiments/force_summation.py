"""Why force does not summate at 37 C: the single twitch against the interval between
stimuli, and whether one action potential already saturates the thin filament.

One :func:`~neuromuscle.muscle_ec` fibre in normal plasma at 37 C, stimulated directly
(2 x threshold, 0.5 ms): a single twitch and 100 ms trains at 50-300 Hz. The table gives

* the single-AP Ca transient (peak, FDHM) and the twitch (peak, time to peak,
  half-relaxation, time to 90 % relaxation, and its duration: time to peak plus 90 %
  relaxation);
* the steady-state force the transient's peak Ca would hold (``calcium_force_relation``),
  relative to the filament's maximum: near 1 means the single AP already saturates troponin;
* the twitch relative to that maximum;
* the time constants the rates give at 37 C: crossbridge detachment ``1/g_o`` and troponin
  Ca release from an isolated unit ``1/koff_T`` and from a unit whose neighbours are all off
  ``1/(koff_T (1 + k_coop))``;
* per train: action potentials fired of the stimuli, fusion index, peak force over the
  twitch peak; and the fusion frequency (fusion index 0.9, trains the fibre followed);
* SR Ca release by the second of two APs relative to the first, at the train intervals
  (release inactivation, calibrated at 16 C to Baylor & Hollingworth 2007's second release
  at 50 ms), and, per train, the peak free Ca (bulk myoplasm) and the peak force in the
  last interval over those in the first;
* a counterfactual, not a fit: the same fibre with the thin-filament and crossbridge rates
  left at their 16 C values (``xb.q10_XB`` and ``xb.q10_buffer`` 1), i.e. about four times
  slower: does slower relaxation alone make force summate? And a second one: release
  inactivation switched off (``rel.kon_inact`` 0): does release that does not fall within a
  train make force summate? And the other filament structure, ``PermissiveFilament`` (troponin
  binding Ca at its own rates, fitted to the same force-pCa), at 37 C and for the single-AP
  transient at 16 C;
* where the Ca released by one AP is 2, 5, 10 and 20 ms after the stimulus, at 37 and 16 C:
  free, on ATP, on parvalbumin, on troponin, and the SR's net loss (released minus taken back);
* the three mechanisms that the counterfactuals point to -- the crossbridge cycle at Shorten's
  rates rather than Razumova et al.'s own, release inactivation, and parvalbumin -- removed in
  every combination (eight variants, counterfactuals, none adopted): twitch and largest train
  peak relative to each variant's steady-state maximum, twitch/tetanus and fusion; and the
  force-pCa relation (pCa50, Hill coefficient) with Razumova's rates beside the fitted one's,
  since the filament is not refitted for them.

Published (for comparison, not fitted): mouse FDB at 35 C, twitch time to peak 7-14 ms and
half-relaxation 6-15 ms (Lannergren & Westerblad 1987, as in docs/models/ec_coupling.md).

Run: ``python experiments/force_summation.py [--quick] [--out DIR]``; writes
``force_summation.json`` and ``force_summation.png`` in ``figures/force_summation``; a full run into the default folder
also writes ``docs/models/data/force_summation.md``, which the EC page includes.
"""

from __future__ import annotations

import math

from neuromuscle.reporting import docs_tables_folder, experiment_main, format_table, output_dir, write_table_page
from neuromuscle.reporting import markdown_number as _f

CELSIUS = 37.0
ROOM = 22.0  # degC: the single twitch is also reported here
COLD = 16.0  # degC: Baylor & Hollingworth's single-AP transient (18.5 uM, FDHM 4.9 ms) is compared here
#: Processes slowed one at a time to their 16 C speed (label, the Q10 parameter set to 1)
ABLATIONS = (("SERCA uptake", "serca.q10_SERCA"), ("parvalbumin binding", "parv.q10_buffer"),
             ("troponin Ca binding", "xb.q10_buffer"), ("filament switching and crossbridges", "xb.q10_XB"),
             ("release channel gating", "ryr.q10"), ("release inactivation", "rel.q10_inact"))
FREQUENCIES = (50.0, 100.0, 150.0, 200.0, 300.0)
#: Counterfactual mechanisms, removed in every combination: the crossbridge cycle at Razumova
#: et al.'s own rates, release inactivation switched off, parvalbumin removed
MECHANISMS = ("Razumova crossbridge rates", "no release inactivation", "no parvalbumin")
COMBINATIONS = tuple(tuple(m for j, m in enumerate(MECHANISMS) if n >> j & 1) for n in range(2 ** len(MECHANISMS)))



def markdown(result: dict) -> str:
    """The docs tables, rendered from the experiment's data."""
    lines = ["<!-- written by experiments/force_summation.py from force_summation.json; do not edit -->", "",
             "| quantity (37 C) | model | published |", "|---|---|---|"]
    pub = {"twitch time to peak (ms)": "7-14 (mouse FDB, 35 C)", "twitch half-relaxation (ms)": "6-15 (same)"}
    lines += [f"| {k} | {_f(v)} | {pub.get(k, '')} |" for k, v in result["single"].items()]
    lines += ["", "| train (Hz) | interval (ms) | second release / first | APs / stimuli | release flux peak, last / "
              "first interval | free SR Ca at the end / rest | Ca peak, last / first interval | "
              "force peak, last / first interval | bulk free Ca before the last AP (uM) | fusion index | "
              "peak / twitch peak |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in result["trains"]:
        lines.append(f"| {r['Hz']:g} | {_f(r['interval (ms)'])} | {_f(r['second release / first'])} | "
                     f"{r['action potentials']} / {r['stimuli']} | "
                     f"{_f(r['release flux peak, last interval / first'])} | "
                     f"{_f(r['free SR Ca at the end of the train / rest'])} | "
                     f"{_f(r['Ca peak, last interval / first'])} | "
                     f"{_f(r['force peak, last interval / first'])} | "
                     f"{_f(r['bulk free Ca before the last AP (uM)'])} | "
                     f"{_f(r['fusion index'])} | {_f(r['peak / twitch peak'])} |")
    lines += ["", f"Bulk free Ca at rest: {_f(result['trains'][0]['bulk free Ca at rest (uM)'])} uM.", "",
              f"twitch/tetanus {_f(result['twitch/tetanus'])}; fusion frequency (index 0.9, trains followed): "
              f"{_f(result['fusion frequency (Hz)'])} Hz.", "",
              "Counterfactual (not adopted): thin-filament and crossbridge rates at their 16 C values:", "",
              "| quantity | value |", "|---|---|"]
    lines += [f"| {k} | {_f(v)} |" for k, v in result["slow filament (16 C rates)"].items()]
    lines += ["", "Counterfactual (not adopted): release inactivation switched off:", "", "| quantity | value |",
              "|---|---|"]
    lines += [f"| {k} | {_f(v)} |" for k, v in result["no release inactivation"].items()]
    lines += ["", "Counterfactual (not adopted): both at once, 16 C filament rates and no release inactivation:", "",
              "| quantity | value |", "|---|---|"]
    lines += [f"| {k} | {_f(v)} |" for k, v in result["slow filament and no release inactivation"].items()]
    rz = result["Razumova crossbridge rates"]
    cols = list(rz)
    ratios = ", ".join(f"{k} / {_f(v)}" for k, v in result["Razumova rate ratios"].items())
    lines += ["", "Counterfactual (not adopted): Razumova et al.'s own crossbridge rates (Shorten's fast-twitch "
              f"rates {ratios}; CellML encodings of both), at {' and '.join(cols)}:", "",
              "| quantity | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    lines += [f"| {k} | " + " | ".join(_f(rz[c].get(k)) for c in cols) + " |" for k in rz[cols[0]]]
    combined = result["mechanisms combined"]
    heads = [k for k in combined[0] if k != "removed"]
    lines += ["", "Counterfactuals (not adopted): the three mechanisms above removed in every combination, at "
              f"{result['celsius']:g} C (parvalbumin removed with the resting pools rebuilt at the same SR load; "
              "the steady-state maximum is each variant's own):", "",
              "| removed | " + " | ".join(heads) + " |", "|---|" + "---|" * len(heads)]
    lines += [f"| {r['removed']} | " + " | ".join(_f(r[k]) for k in heads) + " |" for r in combined]
    fp = result["force-pCa with Razumova crossbridge rates"]
    lines += ["", f"With Razumova's crossbridge rates the filament, not refitted, has pCa50 {_f(fp['pCa50'])} and "
              f"Hill coefficient {_f(fp['Hill coefficient'])} (the model: {_f(fp['pCa50, the model'])} and "
              f"{_f(fp['Hill coefficient, the model'])})."]
    for temp, budget in result["Ca budget of one AP"].items():
        times = list(budget)
        lines += ["", f"Where the Ca released by one AP is, {temp} (change from rest per volume of myoplasm, uM; "
                  "the SR's loss is what the other pools hold):", "",
                  "| pool | " + " | ".join(f"{x} after the stimulus" for x in times) + " |",
                  "|---|" + "---|" * len(times)]
        lines += [f"| {pool} | " + " | ".join(_f(budget[x][pool]) for x in times) + " |" for pool in budget[times[0]]]
    lines += ["", "The other filament structure (not adopted): troponin binds Ca at its own rates and the "
              "cooperativity lies in the units' permissive transitions (`PermissiveFilament`, fitted to the same "
              "force-pCa), at 37 C:", "", "| quantity | value |", "|---|---|"]
    lines += [f"| {k} | {_f(v)} |" for k, v in result["permissive filament"].items()]
    lines += ["", "The single-AP transient at 16 C with each filament (Baylor & Hollingworth 2003: 18.5 uM, "
              "FDHM 4.9 ms):", "", "| filament | Delta Ca peak (uM) | Ca transient FDHM (ms) | "
              "twitch / steady-state maximum |", "|---|---|---|---|"]
    for k, v in result["16 C transient by filament"].items():
        lines.append(f"| {k} | {_f(v['Delta Ca peak (uM)'])} | {_f(v['Ca transient FDHM (ms)'])} | "
                     f"{_f(v['twitch / steady-state maximum'])} |")
    lines += ["", "The 37 C twitch with one process at a time at its 16 C speed (its Q10 set to 1):", "",
              "| process slowed | Q10 set to 1 | time to peak (ms) | half-relaxation (ms) | peak / default | "
              "Ca FDHM (ms) |", "|---|---|---|---|---|---|"]
    for k, v in result["twitch with one process at its 16 C speed"].items():
        lines.append(f"| {k} | `{v['Q10 set to 1']}` | {_f(v['twitch time to peak (ms)'])} | "
                     f"{_f(v['twitch half-relaxation (ms)'])} | {_f(v['twitch peak / default'])} | "
                     f"{_f(v['Ca transient FDHM (ms)'])} |")
    room = result["single twitch at room temperature"]
    lines += ["", f"The default fibre's single twitch at {room['celsius']:g} C:", "", "| quantity | value |",
              "|---|---|"]
    lines += [f"| {k} | {_f(v)} |" for k, v in room.items() if k != "celsius"]
    lines.append("")
    return "\n".join(lines)


def _volume_average(model, y, name: str):
    """``name`` (with ``{}`` for the compartment, 1 triadic, 2 bulk) averaged over the two
    compartments by volume: ``y`` is one state vector or states x times."""
    i, f1 = model.state_index, model.parameters["geom.frac_1"].value
    return f1 * y[i[name.format(1)]] + (1.0 - f1) * y[i[name.format(2)]]


def _sr_calcium(model, y):
    """The SR's total Ca (free and on calsequestrin, both compartments) per myoplasm volume, mM."""
    frac_myo = model.parameters["geom.frac_myo"].value
    v_sr = (1.0 - frac_myo) / frac_myo  # SR volume per myoplasm volume
    return v_sr * (_volume_average(model, y, "sr{}.Ca") + _volume_average(model, y, "csq.CaCS_{}"))


def _released_fraction(model, run, rest) -> float:
    """Ca released by the run (integral of the release flux, per myoplasm volume) over the SR's
    total Ca at rest (free and on calsequestrin, both compartments, per myoplasm volume)."""
    import numpy as np

    t, flux = np.asarray(run["t"]), np.asarray(run["ca_release_flux"])
    return float(np.trapezoid(flux - flux[0], t) / _sr_calcium(model, np.asarray(rest)))


#: Times after the stimulus at which the Ca budget of one AP is read (ms)
BUDGET_TIMES = (2.0, 5.0, 10.0, 20.0)


def _ca_budget(model, run, start: float = 5.0) -> dict:
    """Where the Ca released by one AP is, at ``BUDGET_TIMES`` after the stimulus: the change
    from rest of each pool, per volume of myoplasm (uM), compartments weighted by volume. The
    pools' changes add up to zero (Ca is conserved), so the SR's loss is what the rest hold."""
    import numpy as np
    from scipy.integrate import cumulative_trapezoid

    i, f1 = model.state_index, model.parameters["geom.frac_1"].value
    y, t = np.asarray(run.y), np.asarray(run["t"])
    # troponin Ca: the sites with Ca (PermissiveFilament), or the units that are on, with or without
    # a bridge (CooperativeFilament: an on unit holds one Ca)
    on = ("xb.CaTn",) if "xb.CaTn" in i else ("xb.N_on", "xb.A1", "xb.A2")
    pools = {"free": _volume_average(model, y, "myo{}.Ca"), "on ATP": _volume_average(model, y, "myo{}.CaATP"),
             "on parvalbumin": _volume_average(model, y, "parv.CaP_{}"),
             "on troponin": (1.0 - f1) * sum(y[i[n]] for n in on),
             "SR (free and on calsequestrin)": _sr_calcium(model, y)}
    flux = np.asarray(run["ca_release_flux"])
    released = cumulative_trapezoid(flux - flux[0], t, initial=0.0)
    out = {}
    for dt in BUDGET_TIMES:
        k = int(np.searchsorted(t, start + dt))
        out[f"{dt:g} ms"] = {"released so far": 1e3 * float(released[k]),
                             **{name: 1e3 * float(v[k] - v[0]) for name, v in pools.items()}}
    return out


def run(quick: bool = False, out=None) -> dict:
    import dataclasses

    import matplotlib
    import numpy as np

    import neuromuscle as nm
    from neuromuscle.analysis import resting_state
    from neuromuscle.studies import calcium_force_relation, contraction_study, release_per_action_potential

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = output_dir("force_summation", out)
    model = nm.muscle_ec(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=CELSIUS))
    freqs = (150.0,) if quick else FREQUENCIES
    probe = (150.0,) if quick else (50.0, 100.0, 150.0)
    c = contraction_study(model, frequencies=freqs, train_ms=40.0 if quick else 100.0, after_ms=40.0,
                          show_progress=False)
    tw, ca = c.twitch, c.calcium
    rest = resting_state(model).y
    rel = calcium_force_relation(model, y=rest)
    held = float(np.interp(np.log(ca.peak), np.log(rel.ca), rel.relative))
    xb = model.component("xb")
    p = {k: model.parameters[f"xb.{k}"].value for k in xb.parameters}
    phi_buf, phi_xb = xb.precompute(CELSIUS, p["celsius_ref"], p["q10_buffer"], p["q10_XB"])
    single = {
        "Ca transient peak (uM)": ca.peak, "Ca transient FDHM (ms)": ca.fdhm,
        "twitch peak (force units)": tw.amplitude, "twitch time to peak (ms)": tw.time_to_peak,
        "twitch half-relaxation (ms)": tw.half_relaxation, "twitch 90 % relaxation (ms)": tw.relaxation_90,
        "twitch duration: time to peak + 90 % relaxation (ms)": tw.time_to_peak + tw.relaxation_90,
        "steady force at the transient's peak Ca / maximum": held,
        "twitch peak / steady-state maximum": tw.amplitude / rel.force_max,
        "Ca released by one AP / SR Ca content at rest": _released_fraction(model, c.records["twitch"], rest),
        "1/g_o, crossbridge detachment (ms)": 1.0 / (phi_xb * p["g_o"]),
        "1/koff_T, isolated unit (ms)": 1.0 / (phi_buf * p["koff_T"]) if "koff_T" in p else math.nan,
        "1/(koff_T (1 + k_coop)), neighbours off (ms)": (1.0 / (phi_buf * p["koff_T"] * (1.0 + p["k_coop"]))
                                                         if "k_coop" in p else math.nan),
    }
    second = {f: float(release_per_action_potential(model, c.stimulus, n=2, interval_ms=1000.0 / f,
                                                     y0=rest).fraction[1]) for f in freqs}

    def before(study, f, name, periods):
        """``name`` in ``study``'s train at ``f`` just before ``periods`` intervals after the first stimulus."""
        t, y = np.asarray(study.records[f]["t"]), np.asarray(study.records[f][name])
        return float(y[np.searchsorted(t, 5.0 + periods * 1000.0 / f) - 1])

    def _sr_end(study, f):
        return before(study, f, "sr_free_ca", study.trains[f]["stimuli"]) / float(study.records[f]["sr_free_ca"][0])

    def last_over_first(f, name):
        run = c.records[f]
        t, y = np.asarray(run["t"]), np.asarray(run[name])
        n, period, start = c.trains[f]["stimuli"], 1000.0 / f, 5.0
        first = y[(t >= start) & (t < start + period)].max() - y[0]
        last = y[(t >= start + (n - 1) * period) & (t < start + n * period)].max() - y[0]
        return float(last / first)

    trains = [{"Hz": f, "interval (ms)": 1000.0 / f, "second release / first": second[f], "stimuli": v["stimuli"],
               "action potentials": v["action potentials"], "fusion index": v["fusion"],
               "peak / twitch peak": v["peak"] / tw.amplitude,
               "release flux peak, last interval / first": last_over_first(f, "ca_release_flux"),
               "free SR Ca at the end of the train / rest": _sr_end(c, f),
               "Ca peak, last interval / first": last_over_first(f, "bulk_cytosolic_ca"),
               "force peak, last interval / first": last_over_first(f, "force"),
               "bulk free Ca before the last AP (uM)": before(c, f, "bulk_cytosolic_ca", v["stimuli"] - 1) * 1e3,
               "bulk free Ca at rest (uM)": float(np.asarray(c.records[f]["bulk_cytosolic_ca"])[0]) * 1e3}
              for f, v in c.trains.items()]
    result = {"celsius": CELSIUS, "single": single, "trains": trains, "twitch/tetanus": c.twitch_tetanus,
              "fusion frequency (Hz)": c.fusion_frequency()}
    slow = model.with_parameters(xb__q10_XB=1.0, xb__q10_buffer=1.0)
    cs = contraction_study(slow, frequencies=probe, train_ms=40.0 if quick else 100.0, after_ms=40.0,
                           amplitude=c.stimulus, show_progress=False)
    result["slow filament (16 C rates)"] = {
        "twitch time to peak (ms)": cs.twitch.time_to_peak, "twitch half-relaxation (ms)": cs.twitch.half_relaxation,
        "twitch/tetanus": cs.twitch_tetanus, "fusion frequency (Hz)": cs.fusion_frequency(),
        **{f"fusion index, {f:g} Hz": v["fusion"] for f, v in cs.trains.items()}}
    key = [k for k in model.parameter_names if k.endswith("kon_inact")][0]
    ci = contraction_study(model.with_parameters(**{key.replace(".", "__"): 0.0}), frequencies=probe,
                           train_ms=40.0 if quick else 100.0, after_ms=40.0, amplitude=c.stimulus, show_progress=False)
    result["no release inactivation"] = {
        "twitch time to peak (ms)": ci.twitch.time_to_peak, "twitch half-relaxation (ms)": ci.twitch.half_relaxation,
        "twitch/tetanus": ci.twitch_tetanus, "fusion frequency (Hz)": ci.fusion_frequency(),
        **{f"fusion index, {f:g} Hz": v["fusion"] for f, v in ci.trains.items()}}
    # both at once: do the two mechanisms together account for the missing summation?
    both = slow.with_parameters(**{key.replace(".", "__"): 0.0})
    cb = contraction_study(both, frequencies=probe, train_ms=40.0 if quick else 100.0, after_ms=40.0,
                           amplitude=c.stimulus, show_progress=False)
    result["slow filament and no release inactivation"] = {
        "twitch time to peak (ms)": cb.twitch.time_to_peak, "twitch half-relaxation (ms)": cb.twitch.half_relaxation,
        "twitch/tetanus": cb.twitch_tetanus, "fusion frequency (Hz)": cb.fusion_frequency(),
        **{f"fusion index, {f:g} Hz": v["fusion"] for f, v in cb.trains.items()},
        **{f"free SR Ca at the end of the {f:g} Hz train / rest": _sr_end(cb, f) for f in cb.trains}}
    # Razumova et al.'s own crossbridge rates (Shorten's fast-twitch ones are 30 times faster): does
    # a slower crossbridge cycle make force summate, at 37 C and at 16 C?
    from neuromuscle.components.thin_filament import RAZUMOVA_XB_RATES

    razumova = {f"xb__{k}": v for k, v in RAZUMOVA_XB_RATES.items()}  # as overrides
    result["Razumova rate ratios"] = {k: model.parameters[f"xb.{k}"].value / v for k, v in RAZUMOVA_XB_RATES.items()}
    result["Razumova crossbridge rates"] = {}
    for temp, m0 in ((CELSIUS, model),
                     (COLD, nm.muscle_ec(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=COLD)))):
        cz = contraction_study(m0.with_parameters(**razumova),
                               frequencies=probe, train_ms=40.0 if quick else 100.0, after_ms=60.0,
                               show_progress=False)
        result["Razumova crossbridge rates"][f"{temp:g} C"] = {
            "twitch time to peak (ms)": cz.twitch.time_to_peak,
            "twitch half-relaxation (ms)": cz.twitch.half_relaxation,
            "twitch/tetanus": cz.twitch_tetanus, "fusion frequency (Hz)": cz.fusion_frequency(),
            **{f"fusion index, {f:g} Hz": v["fusion"] for f, v in cz.trains.items()},
            **{f"train peak / twitch peak, {f:g} Hz": v["peak"] / cz.twitch.amplitude for f, v in cz.trains.items()}}
    # the three mechanisms found above, removed in every combination (2 x 2 x 2): which of them
    # keep the tetanus from summating, and how near the filament's maximum does a train get?
    # Parvalbumin removed with its resting pools rebuilt at the same SR load and free Mg.
    from neuromuscle.models.muscle_ec import initial_pools

    rel_rz = calcium_force_relation(model.with_parameters(**razumova), y=rest)
    result["force-pCa with Razumova crossbridge rates"] = {
        "pCa50": rel_rz.pca50, "Hill coefficient": rel_rz.hill, "pCa50, the model": rel.pca50,
        "Hill coefficient, the model": rel.hill}
    result["mechanisms combined"] = []
    for combo in (COMBINATIONS[0], COMBINATIONS[-1]) if quick else COMBINATIONS:
        over = {}
        if "Razumova crossbridge rates" in combo:
            over.update(razumova)
        if "no release inactivation" in combo:
            over[key.replace(".", "__")] = 0.0
        if "no parvalbumin" in combo:
            over["parv__P_tot"] = 0.0
        mc = model.with_parameters(**over) if over else model
        if "no parvalbumin" in combo:
            mc.initial_state = initial_pools(mc)
        cc = contraction_study(mc, frequencies=probe, train_ms=40.0 if quick else 100.0, after_ms=60.0,
                               amplitude=c.stimulus, show_progress=False)
        f_max = calcium_force_relation(mc, y=resting_state(mc).y).force_max
        best = max(v["peak"] for v in cc.trains.values())
        result["mechanisms combined"].append({
            "removed": " + ".join(combo) if combo else "none (the model)",
            "twitch / steady-state maximum": cc.twitch.amplitude / f_max,
            "largest train peak / steady-state maximum": best / f_max,
            "twitch/tetanus": cc.twitch_tetanus,
            "twitch half-relaxation (ms)": cc.twitch.half_relaxation,
            **{f"fusion index, {f:g} Hz": v["fusion"] for f, v in cc.trains.items()}})
    # the other filament structure: troponin binding Ca at its own rates (PermissiveFilament,
    # fitted to the same force-pCa), at 37 C and for the 16 C transient of Baylor & Hollingworth
    from neuromuscle.components.thin_filament import PermissiveFilament

    perm = nm.muscle_ec(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=CELSIUS),
                        filament=PermissiveFilament("xb"))
    cp = contraction_study(perm, frequencies=probe, train_ms=40.0 if quick else 100.0, after_ms=40.0,
                           amplitude=c.stimulus, show_progress=False)
    perm_max = calcium_force_relation(perm, y=resting_state(perm).y).force_max
    perm_cold = nm.muscle_ec(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=COLD),
                             filament=PermissiveFilament("xb"))
    cold_default = nm.muscle_ec(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=COLD))
    cold_rows = {}
    for label, m in (("default filament", cold_default), ("permissive filament", perm_cold)):
        cc = contraction_study(m, frequencies=(), train_ms=60.0, after_ms=60.0, show_progress=False)
        cold_rows[label] = {"Delta Ca peak (uM)": cc.calcium.amplitude, "Ca transient FDHM (ms)": cc.calcium.fdhm,
                            "twitch / steady-state maximum": cc.twitch.amplitude / calcium_force_relation(
                                m, y=resting_state(m).y).force_max}
        if label == "default filament":
            cold_budget = _ca_budget(m, cc.records["twitch"])
    # where one AP's Ca goes, and how fast it is taken back, at 37 and at 16 C
    result["Ca budget of one AP"] = {f"{CELSIUS:g} C": _ca_budget(model, c.records["twitch"]),
                                     f"{COLD:g} C": cold_budget}
    result["permissive filament"] = {
        "Ca transient peak (uM)": cp.calcium.peak, "Ca transient FDHM (ms)": cp.calcium.fdhm,
        "twitch time to peak (ms)": cp.twitch.time_to_peak, "twitch half-relaxation (ms)": cp.twitch.half_relaxation,
        "twitch peak / steady-state maximum": cp.twitch.amplitude / perm_max,
        "twitch/tetanus": cp.twitch_tetanus, "fusion frequency (Hz)": cp.fusion_frequency(),
        **{f"fusion index, {f:g} Hz": v["fusion"] for f, v in cp.trains.items()}}
    result["16 C transient by filament"] = cold_rows
    # which process sets the twitch's duration: each in turn at its 16 C speed (its Q10 set to 1)
    result["twitch with one process at its 16 C speed"] = {}
    for label, q10 in ABLATIONS:
        ct = contraction_study(model.with_parameters(**{q10.replace(".", "__"): 1.0}), frequencies=(),
                               train_ms=40.0, after_ms=40.0, amplitude=c.stimulus, show_progress=False)
        result["twitch with one process at its 16 C speed"][label] = {
            "Q10 set to 1": q10, "twitch time to peak (ms)": ct.twitch.time_to_peak,
            "twitch half-relaxation (ms)": ct.twitch.half_relaxation,
            "twitch peak / default": ct.twitch.amplitude / tw.amplitude, "Ca transient FDHM (ms)": ct.calcium.fdhm}
    # the single twitch at room temperature, where most published twitch times were measured
    room = nm.muscle_ec(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=ROOM))
    cr = contraction_study(room, frequencies=(), train_ms=40.0, after_ms=80.0, show_progress=False)
    result["single twitch at room temperature"] = {
        "celsius": ROOM, "Ca transient peak (uM)": cr.calcium.peak, "Ca transient FDHM (ms)": cr.calcium.fdhm,
        "twitch time to peak (ms)": cr.twitch.time_to_peak, "twitch half-relaxation (ms)": cr.twitch.half_relaxation,
        "twitch 90 % relaxation (ms)": cr.twitch.relaxation_90}
    print(format_table([(k, v) for k, v in single.items()], ("quantity", "value")))
    print(format_table([[r[k] for k in r] for r in trains], list(trains[0])))
    print(f"twitch/tetanus {c.twitch_tetanus:.3g}; fusion frequency {result['fusion frequency (Hz)']}")
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    f_show = 150.0 if 150.0 in c.records else max(c.records.keys() - {"twitch"})
    for label, study in (("default", c), ("filament at 16 C rates", cs), ("no release inactivation", ci),
                         ("both", cb)):
        run_ = study.records[f_show]
        t = np.asarray(run_["t"])
        axes[0].plot(t, np.asarray(run_["force"]) - np.asarray(run_["force"])[0], label=label)
        axes[1].plot(t, np.asarray(run_["bulk_cytosolic_ca"]) * 1e3, label=label)
    tw_run = c.records["twitch"]
    axes[0].plot(np.asarray(tw_run["t"]), np.asarray(tw_run["force"]) - np.asarray(tw_run["force"])[0], "k--",
                 label="single twitch")
    axes[0].set_ylabel("force above rest (bridges per unit)")
    axes[1].set_ylabel("free Ca, bulk myoplasm (uM)")
    for ax in axes:
        ax.set_xlabel("time (ms)")
        ax.set_xlim(0.0, 60.0)
    axes[0].set_title(f"{f_show:g} Hz train, 37 C")
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(folder / "force_summation.png", dpi=120)
    plt.close(fig)
    write_table_page(markdown(result), folder, "force_summation", docs_folder=docs_tables_folder(quick, out))
    return result


def main(argv=None):
    return experiment_main(run, __doc__, "force_summation", argv)


if __name__ == "__main__":
    main()
