"""Ischaemia and its release on the myelinated axon: the ions the pump moves, periaxonal K, two rests.

A cuff that stops the blood stops the axon's Na/K pump. Na then stays in the axoplasm, and K
that leaves the internode stays in the periaxonal space, the 2-4 nm gap under the myelin.
When the cuff is released, the pump restarts against the Na it finds. Bostock, Baker & Reid
(1991) found motor axons hyperpolarised after release and some fasciculating; they explained
the discharges with two stable states of the axon membrane. Mogyoros, Bostock & Burke (2000)
explained post-ischaemic paraesthesiae by raised periaxonal K: the pump holds the axolemma
below the K reversal of the periaxonal space, so K current flows inward and can depolarise
the axon regeneratively.

The script asks the myelinated axon (published Gaines et al. channels and the fit to the human
battery, 11 nodes, 37 C, normal plasma) three questions, with the pump derived from the
axon's own resting Na influx (``pump_density="balance"``):

1. **The ion budget.** What the pump carries at rest, so how fast the axoplasmic Na rises
   and how fast K accumulates in the periaxonal space when it stops (with no clearance), and
   the time constant with which the restarted pump brings the axoplasmic Na back
   (:func:`neuromuscle.analysis.ischaemic_ion_budget`: derived from the model at its resting
   fluxes, a linear estimate).
2. **Ischaemia.** The node's potential and the 1 ms threshold with the pump blocked, the
   axoplasmic Na of ``ISCHAEMIA_MIN`` minutes of block, and the periaxonal K excess as an
   input (``dK_periaxonal``): how high it rises depends on clearance, which no source reached
   here measures, so the excess is scanned.
3. **Release.** The pump restarted (activity 1) against that axoplasmic Na, the periaxonal
   excess swept up and then down, each point run for ``SETTLE_MS`` from the last one's end:
   where the two sweeps end at different potentials the axon has two stable states, and every
   run is searched for spontaneous spikes. If the derived pump gives neither, the same sweeps
   with a stronger pump (``pump_density`` a multiple of the derived one, activity doubled,
   axoplasmic Na normal) look for the closest condition that does -- a search, not a
   calibration: no parameter is tuned.

4. **Activity, the pump's other test.** Kiernan, Lin & Burke (2004) stimulated the median nerve
   at 8 Hz for 10 min: the 1 ms threshold of motor axons rose 16.4 % (0.1 ms: 9.9 %), by the
   pump's hyperpolarisation, and recovered over 15-20 min. The script reads the Na of one action
   potential from a simulated one, loads the axoplasm with 10 min of them while the pump
   extrudes the excess (:func:`neuromuscle.analysis.activity_sodium_load`), and measures the
   1 ms threshold in that state against normal. At steady state a pump of any density carries
   out the train's Na, so its extra current is ``f q / 3``; the script sets that beside the
   extra outward pump current the model needs for the published rise (bisected), and asks
   whether tau_SD, refractoriness and superexcitability move as Kiernan, Lin & Burke found.

5. **A periaxonal K that follows its own balance.** The excess is an input above; here it
   is asked what it would do if it moved with the K the internode loses and a clearance of
   any time constant removed it (:func:`neuromuscle.analysis.periaxonal_k_balance`, the
   slow-clearance limit): the net K flux into the space at each excess, in normal plasma,
   during ischaemia and just after release; the excess at which the internode stops losing
   K (the ceiling, with no clearance at all); the clearance that holds the excess at 2 mM;
   and whether any clearance gives two stable excesses (a rise of periaxonal K that increases
   the internode's K efflux, the regenerative depolarisation of Mogyoros, Bostock & Burke).

6. **Where the pumps sit.** No measured node/internode ratio of pump density was reachable, so
   every question is asked twice: with one pump density along the axon (the default, which
   leaves 0.03 % of the pump current on the nodal membrane) and with every pump at the nodes
   (``pump_nodal_share=1``), where the Na of an action potential enters. The total pump current
   is the same; what differs is how much of it reaches the node: current leaving the internodal
   axolemma mostly returns across that axolemma through the periaxonal space, not through the
   node.

Run: ``python experiments/ischaemia_axon.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import math

import numpy as np

from neuromuscle.analysis import activity_sodium_load, ischaemic_ion_budget, periaxonal_k_balance
from neuromuscle.analysis.threshold_tracking import TrackingProtocol, threshold_tracking, tracking_axon
from neuromuscle.models.myelinated_axon import cable_rest_state
from neuromuscle.reporting import (
    docs_tables_folder,
    experiment_main,
    format_records,
    markdown_records,
    output_dir,
    write_table_page,
)
from neuromuscle.simulation import simulate

#: The axons: published channels and the fit to the human battery (never fitted to ischaemia),
#: each with its pumps spread at one density (the default) and with every pump at the nodes
#: (``pump_nodal_share=1``): no measured node/internode ratio of pump density was reachable, so the
#: two placements bound the question
AXONS = {"published": {"fit": None}, "fitted": {"fit": "human_battery"},
         "published, pumps at the nodes": {"fit": None, "pump_nodal_share": 1.0},
         "fitted, pumps at the nodes": {"fit": "human_battery", "pump_nodal_share": 1.0}}
QUICK_AXONS = ("fitted", "fitted, pumps at the nodes")
N_NODES = 11
#: Minutes of ischaemia (an input: the clinical ischaemia studies use about 10-13 min)
ISCHAEMIA_MIN = 10.0
#: Periaxonal K excess scanned, mM (an input: its size depends on the unmeasured clearance)
DK_LEVELS = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 15.0, 20.0)
DK_LEVELS_QUICK = (0.0, 4.0, 8.0, 15.0)
DK_ISCHAEMIA = (0.0, 2.0, 5.0, 10.0)
DK_ISCHAEMIA_QUICK = (0.0, 5.0)
#: Length of each run of a sweep, ms: longer than the slow K and HCN gates' time constants at 37 C
SETTLE_MS, SETTLE_MS_QUICK = 300.0, 150.0
#: Two sweeps ending further apart than this (mV) at one excess: two stable states
BISTABLE_MV = 2.0
#: Multiples of the derived pump density in the search for the closest condition (activity SEARCH_PUMP)
SEARCH_DENSITY = (10.0, 30.0)
SEARCH_DENSITY_QUICK = (30.0,)
SEARCH_PUMP = 2.0
#: Kiernan, Lin & Burke 2004 (J Physiol 558:341): 8 Hz for 10 min; motor 1 ms threshold +16.4 %
ACTIVITY = {"rate (Hz)": 8.0, "minutes": 10.0, "published 1 ms threshold rise (%)": 16.4}
#: Pump density (x the derived) whose activity is bisected for the current that gives the published rise
#: (pumps at one density; at the nodes the derived density, the node there being far more sensitive)
CURRENT_DENSITY, CURRENT_DENSITY_NODES = 5.0, 1.0
THRESHOLD = TrackingProtocol(sd_widths=(), te_delays=(), iv_currents=(), rc_intervals=(), rel_tol=0.005,
                             name="threshold")
#: The read-outs whose direction after the train Kiernan, Lin & Burke (2004) report (abstract): tau_SD
#: and refractoriness fall, superexcitability grows (more negative)
AFTER_TRAIN = TrackingProtocol(sd_widths=(0.2, 1.0), te_delays=(), iv_currents=(), rc_intervals=(2.0, 5.0, 6.3, 7.9),
                               rel_tol=0.005, name="after the train")
#: Excess grid of the periaxonal K balance, mM
BALANCE_EXCESS, BALANCE_EXCESS_QUICK = np.arange(0.0, 20.0 + 1e-9, 0.25), np.arange(0.0, 20.0 + 1e-9, 1.0)
#: The excess whose holding clearance the balance table gives, mM (about where the threshold falls by
#: a third during ischaemia, the ischaemia table)
BALANCE_HOLD = 2.0
KIERNAN_DIRECTIONS = {"tau_SD": -1, "refractoriness_at_2ms": -1, "superexcitability": -1}


def ion_budget(model, label: str):
    """The budget of :func:`~neuromuscle.analysis.ischaemic_ion_budget`, and it as a table row."""
    b = ischaemic_ion_budget(model, ISCHAEMIA_MIN)
    return b, {"axon": label, "pump current at rest (nA)": b.pump_current, "Na influx at rest (nA)": b.na_influx,
            "axoplasm (pL)": b.axoplasm_volume, "periaxonal space (pL)": b.periaxonal_volume,
            "Na_i rise, pump blocked (mM/min)": b.na_rise_rate,
            f"Na_i after {ISCHAEMIA_MIN:g} min (mM)": b.na_i_after,
            "pump activity at release (x rest)": b.pump_activity_at_release,
            "Na_i recovery time constant (min)": b.na_recovery_tau,
            "periaxonal K rise, no clearance (mM/s)": b.periaxonal_k_rise_rate,
            "clearance time constant for a 5 mM excess (s)": b.clearance_for(5.0)}


def _v_node(model, y) -> float:
    a, _, c = model.array_states["V"]
    return float(y[a + c * model.node_compartments[model.stim_node]])


def sweep(model, levels, base: dict, settle: float) -> list[dict]:
    """Excess swept up then down, each run from the last end state: end potential and spikes."""
    y = cable_rest_state(model, model.parameter_vector({**base, "dK_periaxonal": levels[0]}))
    if y is None:
        y = model.initial_state.copy()
    out = []
    for direction, seq in (("up", levels), ("down", levels[::-1])):
        for dk in seq:
            params = {**base, "dK_periaxonal": float(dk)}
            res = simulate(model, None, settle, params=params, y0=y)
            y = np.asarray(res.y)[:, -1].copy()
            spikes = np.asarray(res.spike_times)
            out.append({"direction": direction, "dK_periaxonal (mM)": float(dk), "V node (mV)": _v_node(model, y),
                        "spikes": int(spikes.size), "late spikes": int(np.sum(spikes >= settle / 2)),
                        "completed": bool(getattr(res, "success", True))})
    return out


def summarise(points: list[dict], label: str, condition: str) -> list[dict]:
    """One row per excess: the two sweeps' potentials, two stable states, spontaneous firing."""
    rows = []
    for dk in sorted({p["dK_periaxonal (mM)"] for p in points}):
        up = next(p for p in points if p["direction"] == "up" and p["dK_periaxonal (mM)"] == dk)
        down = next(p for p in points if p["direction"] == "down" and p["dK_periaxonal (mM)"] == dk)
        rows.append({"axon": label, "condition": condition, "dK_periaxonal (mM)": dk,
                     "V node, rising excess (mV)": up["V node (mV)"],
                     "V node, falling excess (mV)": down["V node (mV)"],
                     "two stable states": abs(up["V node (mV)"] - down["V node (mV)"]) > BISTABLE_MV,
                     "fires": bool(up["late spikes"] or down["late spikes"]),
                     "spikes": up["spikes"] + down["spikes"]})
    return rows


def current_for_rise(axon: dict, model, normal: float, rise: float, quick: bool = False):
    """Extra outward pump current (pA, placed as the axon's pumps are) that raises the 1 ms
    threshold by ``rise`` %: bisection on the activity of a pump ``CURRENT_DENSITY`` (at the
    nodes ``CURRENT_DENSITY_NODES``) times the derived density, axoplasmic Na normal; NaN if the
    range (0.05-9 times that pump's resting current) misses it. Also returns the strong-pump
    axon and its parameters at that current (None if missed). ``model`` is the axon built from
    ``axon``, whose derived density the strong pump multiplies."""
    mult = CURRENT_DENSITY_NODES if axon.get("pump_nodal_share") else CURRENT_DENSITY
    strong = tracking_axon(n_nodes=N_NODES, **axon, pump_density=mult * model.parameters["pump_nak.I_max"].value)
    i_p = ischaemic_ion_budget(strong).pump_current * 1e3  # pA at activity 1
    target = normal * (1.0 + rise / 100.0)

    def reaches(extra):  # the activity above 1 is the extra current, in units of i_p
        try:
            return _threshold(strong, {"pump": 1.0 + extra}) >= target
        except RuntimeError:  # driven past any rest in -150-60 mV: more than enough
            return True

    lo, hi = 0.05, 9.0
    if not reaches(hi) or reaches(lo):
        return float("nan"), strong, None
    for _ in range(5 if quick else 8):  # geometric bisection: to 18 % (quick) or 2 % of the current
        mid = math.sqrt(lo * hi)
        lo, hi = (lo, mid) if reaches(mid) else (mid, hi)
    return math.sqrt(lo * hi) * i_p, strong, {"pump": 1.0 + math.sqrt(lo * hi)}


def battery_changes(model, after: dict, before) -> dict:
    """Change of tau_SD (ms), refractoriness at 2 ms and superexcitability (points) from ``before``
    (the battery in normal plasma) to ``after``, and whether each moves as Kiernan, Lin & Burke
    (2004) found after the train (bisection to 0.5 %)."""
    later = threshold_tracking(model, after, protocol=AFTER_TRAIN, parts=("sd", "rc"))
    out = {}
    for key, sign in KIERNAN_DIRECTIONS.items():
        change = float(later[key]) - float(before[key])
        out[f"{key} change"] = change
        out[f"{key} as published"] = bool(np.sign(change) == sign)
    return out


def k_balance(model, label: str, bud, grid) -> tuple[list[dict], dict]:
    """The periaxonal K's own balance in normal plasma, during ischaemia and just after release."""
    rows, curves = [], {}
    for state, params in (("normal plasma", {}), ("pump blocked", bud.ischaemic_params()),
                          ("released", bud.released_params())):
        ds = periaxonal_k_balance(model, params, grid)
        curves[state] = ds
        tau = ds["clearance_tau"].values
        ok = np.isfinite(tau)
        hold = float(np.interp(BALANCE_HOLD, grid[ok], tau[ok])) if ok.sum() > 1 and grid[ok][-1] >= BALANCE_HOLD \
            else float("nan")
        ceiling = ds.attrs["ceiling"]
        v_ceiling = (float(np.interp(ceiling, grid, ds["V_node"].values)) if math.isfinite(ceiling) else float("nan"))
        rows.append({"axon": label, "state": state, "K flux into the space at zero excess (mM/s)":
                     float(ds["accumulation"].values[0]),
                     "ceiling, no clearance (mM)": ceiling, "V node at the ceiling (mV)": v_ceiling,
                     f"clearance holding {BALANCE_HOLD:g} mM (s)": hold,
                     "two stable states for some clearance": bool(ds.attrs["two_stable_states"]),
                     "space pumped below plasma K": bool(ds.attrs["depletes"])})
    return rows, curves


def _threshold(model, params) -> float:
    return float(threshold_tracking(model, params, protocol=THRESHOLD, parts=())["threshold_1ms"])


def run(quick: bool = False, out=None) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = output_dir("ischaemia_axon", out)
    axons = {k: AXONS[k] for k in QUICK_AXONS} if quick else AXONS
    levels = DK_LEVELS_QUICK if quick else DK_LEVELS
    settle = SETTLE_MS_QUICK if quick else SETTLE_MS
    search = SEARCH_DENSITY_QUICK if quick else SEARCH_DENSITY
    grid = BALANCE_EXCESS_QUICK if quick else BALANCE_EXCESS
    budget, ischaemia, release, activity, polarised, balance, curves = [], [], [], [], [], [], {}
    for label, axon in axons.items():
        model = tracking_axon(n_nodes=N_NODES, **axon)
        bud, b = ion_budget(model, label)
        budget.append(b)
        na_load = bud.na_i_after
        print(f"{label}: pump {b['pump current at rest (nA)']:.3g} nA, Na_i "
              f"+{b['Na_i rise, pump blocked (mM/min)']:.2f} mM/min, periaxonal K "
              f"+{b['periaxonal K rise, no clearance (mM/s)']:.2f} mM/s", flush=True)
        rows, curves[label] = k_balance(model, label, bud, grid)
        balance += rows
        normal = _threshold(model, None)
        # the pump blocked without and with the Na load; just after release, the pump restored
        # against the Na load (Bostock, Baker & Reid 1991: the threshold rises above its
        # pre-ischaemic value)
        conditions = [("pump blocked", {"pump": 0.0, "Na_i": bud.na_i_rest, "dK_periaxonal": 0.0}),
                      *(("pump blocked", bud.ischaemic_params(dk))
                        for dk in (DK_ISCHAEMIA_QUICK if quick else DK_ISCHAEMIA)),
                      ("released", bud.released_params(0.0))]
        for state, params in conditions:
            y = cable_rest_state(model, model.parameter_vector(params))
            ischaemia.append({"axon": label, "state": state, "Na_i (mM)": params["Na_i"],
                              "dK_periaxonal (mM)": params["dK_periaxonal"],
                              "V node (mV)": _v_node(model, y) if y is not None else float("nan"),
                              "threshold change (%)": 100.0 * (_threshold(model, params) / normal - 1.0)})
        act = activity_sodium_load(model, ACTIVITY["rate (Hz)"], ACTIVITY["minutes"])
        needed, strong, at_rise = current_for_rise(axon, model, normal, ACTIVITY["published 1 ms threshold rise (%)"],
                                                   quick)
        # at activity 1 the strong pump's current and its background cancel, so both axons share
        # the battery in normal plasma
        before = threshold_tracking(model, None, protocol=AFTER_TRAIN, parts=("sd", "rc"))
        if at_rise is not None:
            # the same read-outs with the hyperpolarisation alone, axoplasmic Na normal: Kuwabara
            # et al. (2001) reproduced the threshold, supernormality and tau_SD changes after a
            # contraction with hyperpolarising current, but not its rise in refractoriness
            polarised.append({"axon": label, "outward current (pA)": needed,
                              **battery_changes(strong, at_rise, before)})
        activity.append({"axon": label, "Na per AP (pC)": act.na_per_ap, "Na per AP (uM)": 1e3 * act.na_per_ap_mM,
                         "Na_i after the train (mM)": act.na_i_after,
                         "1 ms threshold rise (%)": 100.0 * (_threshold(model, act.after_params()) / normal - 1.0),
                         "published rise (%)": ACTIVITY["published 1 ms threshold rise (%)"],
                         "Na_i recovery time constant (min)": act.na_recovery_tau,
                         # at steady state the pump carries out the train's Na, 3 per charge, whatever
                         # its density: its extra current is f q / 3
                         "train's pump current, steady state (pA)": ACTIVITY["rate (Hz)"] * act.na_per_ap / 3.0,
                         "outward current for the published rise (pA)": needed,
                         **battery_changes(model, act.after_params(), before)})
        release += summarise(sweep(model, levels, {"pump": 1.0, "Na_i": na_load}, settle), label,
                             f"released after {ISCHAEMIA_MIN:g} min (derived pump)")
        print(f"{label}: release swept", flush=True)
        for mult in search if "pump_nodal_share" not in axon else ():  # the search: one density
            strong = tracking_axon(n_nodes=N_NODES, **axon,
                                   pump_density=mult * model.parameters["pump_nak.I_max"].value)
            release += summarise(sweep(strong, levels, {"pump": SEARCH_PUMP}, settle), label,
                                 f"pump x{mult:g} density, activity {SEARCH_PUMP:g}")
            print(f"{label}: pump x{mult:g} swept", flush=True)

    fig, axes = plt.subplots(1, len(axons), figsize=(max(7.5, 5.5 * len(axons)), 4.2), squeeze=False)
    for ax, label in zip(axes[0], axons):
        for i, cond in enumerate(dict.fromkeys(r["condition"] for r in release if r["axon"] == label)):
            rows = [r for r in release if r["axon"] == label and r["condition"] == cond]
            dk = [r["dK_periaxonal (mM)"] for r in rows]
            ax.plot(dk, [r["V node, rising excess (mV)"] for r in rows], "o-", color=f"C{i}", label=f"{cond}, rising")
            ax.plot(dk, [r["V node, falling excess (mV)"] for r in rows], "s--", color=f"C{i}", mfc="none",
                    label="falling")
            fired = [r for r in rows if r["fires"]]
            ax.plot([r["dK_periaxonal (mM)"] for r in fired], [r["V node, rising excess (mV)"] for r in fired],
                    "k*", ms=12, label="spontaneous spikes" if fired and i == 0 else None)
        isch = [r for r in ischaemia if r["axon"] == label]
        ax.plot([r["dK_periaxonal (mM)"] for r in isch], [r["V node (mV)"] for r in isch], "kx", ms=8,
                label="pump blocked (ischaemia)")
        ax.set_xlabel("Periaxonal K excess under the myelin (mM)")
        ax.set_ylabel("Potential of the stimulated node (mV)")
        ax.set_title(f"{label} axon")
        ax.legend(frameon=False, fontsize=6)
    fig.suptitle(f"Myelinated axon ({N_NODES} nodes, 37 C): periaxonal K, pump restarted")
    fig.tight_layout()
    fig.savefig(folder / "ischaemia_axon.png", dpi=120)
    plt.close(fig)

    fig, axes = plt.subplots(1, len(axons), figsize=(max(7.5, 5.5 * len(axons)), 4.2), squeeze=False)
    for ax, label in zip(axes[0], axons):
        for i, (state, ds) in enumerate(curves[label].items()):
            ax.plot(ds["excess"], ds["accumulation"], "-", color=f"C{i}", label=state)
        ax.axhline(0.0, color="0.6", lw=0.8)
        ax.set_xlabel("Periaxonal K excess under the myelin (mM)")
        ax.set_ylabel("Net K flux into the periaxonal space (mM/s)")
        ax.set_title(f"{label} axon")
        ax.legend(frameon=False, fontsize=7)
    fig.suptitle("Periaxonal K's own balance: a clearance dK/tau meets these curves where the excess is steady")
    fig.tight_layout()
    fig.savefig(folder / "ischaemia_axon_k_balance.png", dpi=120)
    plt.close(fig)

    print(format_records(budget))
    print(format_records(balance))
    print(format_records(ischaemia))
    print(format_records(activity))
    print(format_records(polarised))
    print(format_records(release, {k: k for k in ("axon", "condition", "dK_periaxonal (mM)",
                                                  "V node, rising excess (mV)", "V node, falling excess (mV)",
                                                  "two stable states", "fires")}))
    verdict = {"any spontaneous firing": any(r["fires"] for r in release),
               "two stable states with the derived pump": any(r["two stable states"] for r in release
                                                              if "derived" in r["condition"]),
               "two stable states with a stronger pump": any(r["two stable states"] for r in release
                                                             if "derived" not in r["condition"]),
               "two stable states of a periaxonal K with its own balance": any(
                   r["two stable states for some clearance"] for r in balance)}
    print(verdict)
    write_table_page(markdown(budget, ischaemia, release, verdict, settle, activity, polarised, balance), folder,
                     "ischaemia_axon",
                     docs_folder=docs_tables_folder(quick, out))
    print(f"\nfigures written to {folder.resolve()}")
    return {"budget": budget, "ischaemia": ischaemia, "release": release, "activity": activity,
            "hyperpolarised": polarised, "k_balance": balance, "verdict": verdict,
            "nodes": N_NODES, "ischaemia_min": ISCHAEMIA_MIN, "settle_ms": settle}


def markdown(budget, ischaemia, release, verdict, settle: float = SETTLE_MS, activity=(), polarised=(),
             balance=()) -> str:
    """The docs tables: budget, ischaemia, the release sweeps, the verdict."""
    def fmt(v):
        return "yes" if v else "no"

    return ("<!-- written by experiments/ischaemia_axon.py; do not edit -->\n\n"
            f"Ion budget at rest ({N_NODES} nodes, 37 C, normal plasma; the pump derived from the resting Na "
            "influx):\n\n" + markdown_records(budget, by="axon")
            + ("\n\nThe periaxonal K's own balance (slow-clearance limit; the axon's steady state at each "
               "excess): the net K flux into the internodes' periaxonal space with no excess, the excess at which "
               "the internode stops losing K (the ceiling: the steady excess with no clearance at all), the "
               f"clearance time constant that holds {BALANCE_HOLD:g} mM, and whether any clearance gives two stable "
               "excesses; pump blocked and released with the axoplasmic Na of "
               f"{ISCHAEMIA_MIN:g} min of block:\n\n" + markdown_records(balance) if balance else "")
            + f"\n\nIschaemia: pump blocked, axoplasmic Na of {ISCHAEMIA_MIN:g} min of block, periaxonal K excess "
            "as an input; and just after release, the pump restored against that Na (1 ms threshold against "
            "normal plasma):\n\n" + markdown_records(ischaemia)
            + f"\n\nRelease: periaxonal excess swept up, then down, {settle:g} ms per point from the last "
            f"one's end; two stable states where the sweeps end more than {BISTABLE_MV:g} mV apart; fires: spikes "
            "in the second half of a run; spikes: all spikes of its two runs, those at the step to the new "
            "excess included:\n\n"
            + markdown_records(release, {k: k for k in ("axon", "condition", "dK_periaxonal (mM)",
                                                        "V node, rising excess (mV)", "V node, falling excess (mV)",
                                                        "two stable states", "fires", "spikes")})
            + "\n\n" + "; ".join(f"{k}: {fmt(v)}" for k, v in verdict.items()) + ".\n"
            + (f"\n{ACTIVITY['minutes']:g} min at {ACTIVITY['rate (Hz)']:g} Hz (Kiernan, Lin & Burke 2004: motor 1 ms "
               "threshold +16.4 %, recovery over 15-20 min):\n\n" + markdown_records(activity) + "\n"
               if activity else "")
            + ("\nThe hyperpolarisation alone: the outward pump current that raises the 1 ms threshold 16.4 %, "
               "axoplasmic Na normal, and the same read-outs (Kuwabara et al. 2001 reproduced the threshold, "
               "supernormality and tau_SD changes after a contraction with hyperpolarising current):\n\n"
               + markdown_records(polarised) + "\n" if polarised else ""))


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "ischaemia_axon", argv,
                           quick_help="fitted axon only, four excess levels, one stronger pump")


if __name__ == "__main__":
    main()

