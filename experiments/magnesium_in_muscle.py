"""Magnesium inside and outside the muscle fibre: what it does to Ca release, buffering,
uptake, force and relaxation.

Popular claims: magnesium is a "natural calcium blocker"; magnesium is needed for the muscle
to relax; low magnesium causes cramps and spasms.

Model: ``nm.muscle_ec()`` (docs/models/ec_coupling.md), at 16 C (the Ca system's
validation temperature, where the model's t-tubule fires; see the known limitations for
37 C). Where Mg acts in the model:

* at the RyR: free Mg inhibits voltage-driven release, factor (1 + 1/2)/(1 + Mg/2 mM)
  (derived from Dutka & Lamb 2004);
* on parvalbumin: Mg competes with Ca for the same sites (Shorten et al. 2007);
* on ATP: SERCA and crossbridge detachment use MgATP (K_MgATP 0.1 mM for Mg-ATP binding);
* outside: extracellular Mg (and Ca) screen the membrane's surface charge and shift gating
  (Hille et al. 1975), which sets the excitation threshold.

Part 1 changes myoplasmic free Mg (``free_mg``) in normal plasma; part 2 changes plasma Mg
(presets ``hypomagnesaemia``, ``hypomagnesaemia_combined``) with myoplasmic Mg unchanged.
Every condition's fibre holds the same resting SR load (``nm.muscle_ec``'s ``sr_free_ca``,
0.35 mM free), and gets the same stimulus (twice the normal threshold, 0.5 ms); the script
reports: threshold, resting Ca, parvalbumin occupancy, SERCA rate at rest, the net Ca
release from the SR per AP, the Ca transient, the twitch and its relaxation, and a 300 ms
30 Hz train (the fastest the model fibre follows at 16 C with this stimulus).

Run: ``python experiments/magnesium_in_muscle.py [--quick] [--out DIR]``; a full run into the
default folder also writes ``docs/models/data/magnesium_in_muscle.md``, which the EC page includes.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from neuromuscle.reporting import (
    docs_tables_folder,
    experiment_main,
    format_table,
    markdown_records,
    output_dir,
    write_table_page,
)

CELSIUS = 16.0
TRAIN_HZ = 30.0
FREE_MG = (0.4, 0.7, 1.0, 2.0, 3.0)  # mM, myoplasmic
PLASMA = ("normal", "hypomagnesaemia", "hypomagnesaemia_combined")


def net_release(model, run) -> float:
    """Largest fall of the SR's total Ca (free + calsequestrin-bound) after the stimulus, per
    volume of myoplasm, uM: the net release (the triad's SERCA re-pumps part of the gross
    release flux at once, so its integral overstates what leaves the SR)."""
    from neuromuscle.components.ca_system import CaCompartments

    par = {k: model.parameters[f"geom.{k}"].value for k in ("L_x", "R", "frac_myo", "frac_1")}
    v1, v2, vsr1, vsr2 = CaCompartments.precompute(**par)
    sr = (vsr1 * (np.asarray(run["sr1.Ca"]) + np.asarray(run["csq.CaCS_1"]))
          + vsr2 * (np.asarray(run["sr2.Ca"]) + np.asarray(run["csq.CaCS_2"]))) / (v1 + v2)
    return 1e3 * float(sr[0] - sr.min())


def _row(label, model, c, normal_threshold) -> dict:
    released = net_release(model, c.records["twitch"])
    from neuromuscle.studies import ec_threshold

    threshold = ec_threshold(model, 0.5, c.records["rest_y"])
    top = c.trains[TRAIN_HZ]
    return {
        "condition": label, "threshold (uA/cm2)": threshold, "rest Ca (uM)": c.rest["Ca (uM)"],
        "free Mg (mM)": c.rest["free Mg (mM)"], "PV Ca (%)": c.rest["parvalbumin Ca (%)"],
        "PV Mg (%)": c.rest["parvalbumin Mg (%)"], "SR free Ca (mM)": c.rest["SR free Ca (mM)"],
        "SERCA Ca uptake at rest (mM/s)": 2 * c.rest["SERCA (mM/s)"],
        "net SR release per AP (uM)": released, "dCa (uM)": c.calcium.amplitude, "Ca FDHM (ms)": c.calcium.fdhm,
        "twitch": c.twitch.amplitude, "twitch half-relax (ms)": c.twitch.half_relaxation,
        f"{TRAIN_HZ:g} Hz peak": top["peak"], f"{TRAIN_HZ:g} Hz half-relax (ms)": top["half_relaxation"],
        "fires": c.calcium.amplitude > 1.0, "vs normal threshold": threshold / normal_threshold,
    }


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import neuromuscle as nm
    from neuromuscle.studies import contraction_study, ec_threshold, progress

    folder = output_dir("magnesium_in_muscle", out)
    cold = {name: dataclasses.replace(nm.Electrolytes.preset(name), celsius=CELSIUS) for name in PLASMA}
    mg_levels = (0.4, 1.0) if quick else FREE_MG
    plasma = ("normal", "hypomagnesaemia") if quick else PLASMA
    conditions = [(f"cytosolic Mg {m:g} mM", cold["normal"], m) for m in mg_levels]
    conditions += [(f"plasma {name}", cold[name], 1.0) for name in plasma if name != "normal"]

    normal_threshold = ec_threshold(nm.muscle_ec(cold["normal"]), 0.5)
    amplitude = 2.0 * normal_threshold
    rows, studies = [], {}
    for label, e, mg in progress(conditions, "conditions", show_progress):
        model = nm.muscle_ec(e, free_mg=mg)
        y0 = nm.analysis.resting_state(model).y
        c = contraction_study(model, amplitude=amplitude, frequencies=(TRAIN_HZ,), y0=y0)
        c.records["rest_y"] = y0
        studies[label] = c
        rows.append(_row(label, model, c, normal_threshold))

    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    cyt = [r for r in rows if r["condition"].startswith("cytosolic")]
    mg = [r["free Mg (mM)"] for r in cyt]
    axes[0].plot(mg, [r["net SR release per AP (uM)"] for r in cyt], "o-", label="net SR Ca release per AP (uM)")
    axes[0].plot(mg, [r["dCa (uM)"] for r in cyt], "s-", label="peak free-Ca rise (uM)")
    axes[0].set_xlabel("myoplasmic free Mg (mM)")
    axes[0].set_ylabel("Ca per AP (uM)")
    axes[0].legend(frameon=False, fontsize=8)
    axes[1].plot(mg, [r["PV Ca (%)"] for r in cyt], "o-", label="parvalbumin with Ca (%)")
    axes[1].plot(mg, [r["PV Mg (%)"] for r in cyt], "s-", label="parvalbumin with Mg (%)")
    axes[1].set_xlabel("myoplasmic free Mg (mM)")
    axes[1].set_ylabel("parvalbumin sites occupied (%)")
    axes[1].legend(frameon=False, fontsize=8)
    for label, c in studies.items():
        tw = c.records["twitch"]
        axes[2].plot(np.asarray(tw["t"]), np.asarray(tw["force"]), label=label)
    axes[2].set_xlabel("time (ms)")
    axes[2].set_ylabel("force (force-bearing bridges / RU)")
    axes[2].legend(frameon=False, fontsize=7)
    fig.suptitle(f"Magnesium and the fibre's Ca handling, {CELSIUS:g} C")
    fig.tight_layout()
    fig.savefig(folder / "magnesium_in_muscle.png", dpi=120)
    plt.close(fig)

    keys = [k for k in rows[0] if k not in ("fires",)]
    print(format_table([[r[k] for k in keys] for r in rows], keys))
    print(f"\nStimulus {amplitude:.0f} uA/cm2 x 0.5 ms (2 x the normal threshold) in every condition; {CELSIUS:g} C.")
    low, ref = cyt[0], next(r for r in cyt if r["condition"] == "cytosolic Mg 1 mM")
    print("\nThe articles' statements, in the model:")
    def change(key, fmt=".1f"):
        a, b = ref[key], low[key]
        return f"{'rises' if b > a else 'falls'} from {a:{fmt}} to {b:{fmt}}"

    print(f"- 'Mg is a natural calcium blocker': Mg does inhibit the RyR, yet lowering myoplasmic Mg from 1 to "
          f"{low['free Mg (mM)']:.2f} mM: the net SR release per AP {change('net SR release per AP (uM)')} uM, "
          f"the peak free-Ca rise {change('dCa (uM)')} uM and the twitch {change('twitch', '.4f')}, at the same "
          f"SR load (every fibre is built with {ref['SR free Ca (mM)']:.2f} mM free SR Ca at rest: the model has "
          "no sarcolemmal Ca flux to set it) and resting Ca "
          f"{change('rest Ca (uM)', '.3f')} uM. Less Mg frees more parvalbumin and ATP to bind the released Ca. "
          "Less Mg does not make this fibre contract harder.")
    print(f"- Parvalbumin: Mg-bound {ref['PV Mg (%)']:.0f} % at 1 mM, {low['PV Mg (%)']:.0f} % at "
          f"{low['free Mg (mM)']:.2f} mM; Ca-bound {change('PV Ca (%)', '.0f')} %.")
    print(f"- 'Mg is needed to relax': relaxation needs MgATP, which stays near 7 mM until free Mg is very low; "
          f"twitch half-relaxation {change('twitch half-relax (ms)')} ms.")
    from neuromuscle.claims import decide_lines

    lo_c, ref_c = studies[low["condition"]], studies[ref["condition"]]
    print("\n".join(decide_lines("magnesium", {
        "SR Ca release change, free Mg 1 -> 0.4 mM (%)": 100.0 * (lo_c.released / ref_c.released - 1.0),
        "peak Ca rise change, free Mg 1 -> 0.4 mM (%)": 100.0 * (low["dCa (uM)"] / ref["dCa (uM)"] - 1.0),
        "half-relaxation change, free Mg 1 -> 0.4 mM (%)":
            100.0 * (low["twitch half-relax (ms)"] / ref["twitch half-relax (ms)"] - 1.0),
    }, ("relax", "blocker"))))
    for r in rows:
        if r["condition"].startswith("plasma"):
            print(f"- {r['condition']}: threshold x{r['vs normal threshold']:.2f} of normal (surface charge), "
                  f"twitch {r['twitch']:.4f}.")
    write_table_page(markdown(rows, amplitude), folder, "magnesium_in_muscle",
                     docs_folder=docs_tables_folder(quick, out))
    print(f"\nfigures written to {folder.resolve()}")
    return {"rows": rows, "studies": studies}


def markdown(rows: list[dict], amplitude: float) -> str:
    """The docs table: one column per condition, from the experiment's rows."""
    columns = {k: k for k in rows[0] if k != "fires"}
    return ("<!-- written by experiments/magnesium_in_muscle.py; do not edit -->\n\n"
            f"Fibre at {CELSIUS:g} C, the same stimulus ({amplitude:.0f} uA/cm2 x 0.5 ms, twice the normal "
            "threshold) in every condition, the same resting SR load:\n\n"
            + markdown_records(rows, columns, by="condition") + "\n")


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "magnesium_in_muscle", argv)


if __name__ == "__main__":
    main()
