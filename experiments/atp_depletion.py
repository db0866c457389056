"""ATP supply and relaxation: what a reduced metabolic supply does to the resting fibre, to
relaxation after a train of APs, and to the force left afterwards (contracture).

Popular claim: ATP (made with the help of B vitamins) powers relaxation.

Model: ``nm.muscle_ec()`` (docs/models/ec_coupling.md) at 16 C (where the model's trains
summate; see its known limitations for 37 C). The metabolic supply capacity ``supply.V_supply``
(oxidative + glycolytic ATP synthesis, 4.7 mM/s by default; the "B-vitamin" knob) is
scaled down. For each level the script finds the fibre's resting steady state under that
supply (ATP, PCr, ADP, Pi settle where supply meets the resting demand), then gives one
300 ms, 30 Hz train (the fastest the model fibre follows at 16 C with this stimulus; see
docs/models/ec_coupling.md) and measures the force, the half-relaxation time after the last
stimulus and the force left 200 ms later. The resting state under each supply is found by
relaxing the Ca and ATP system for an hour (ATP runs down slowly when the supply is short).

What it shows: while the supply covers the resting demand, creatine kinase keeps ATP near
normal and relaxation is unchanged; as the supply approaches the demand, PCr and then ATP
fall and relaxation slows; below it ATP runs out, the bridges cannot detach and force stays
up after the train (rigor contracture) -- weakness and stiffness, not spasm. The model's
resting demand is about 0.03 mM/s (half SERCA, half the Na/K pump), 0.6 % of the default
capacity, so the supply has to fall below about 1 % of it before anything happens.

Run: ``python experiments/atp_depletion.py [--quick] [--out DIR]``; a full run into the default
folder also writes ``docs/models/data/atp_depletion.md``, which the EC page includes.
"""

from __future__ import annotations

import dataclasses
import functools

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
SUPPLY = (1.0, 0.1, 0.02, 0.01, 0.008, 0.007, 0.006, 0.005, 0.003)  # fraction of the default capacity
TRAIN_HZ = 30.0
RELAX_MS = 3.6e6  # an hour


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import neuromuscle as nm
    from neuromuscle.models.muscle_ec import ec_equilibria
    from neuromuscle.studies import contraction_study, progress

    folder = output_dir("atp_depletion", out)
    levels = (1.0, 0.01, 0.003) if quick else SUPPLY
    base = nm.muscle_ec(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=CELSIUS))
    v_supply = base.parameters[base.label("atp_supply_capacity")].value
    rows, studies = [], {}
    amplitude = None
    for level in progress(list(levels), "supply levels", show_progress):
        model = base.with_parameters(**{base.label("atp_supply_capacity"): level * v_supply})
        model.equilibrium_finder = functools.partial(ec_equilibria, relax_ms=RELAX_MS)
        c = contraction_study(model, amplitude=amplitude, frequencies=(TRAIN_HZ,))
        amplitude = amplitude or c.stimulus
        studies[level] = c
        tet = c.trains[TRAIN_HZ]
        rows.append({
            "supply (%)": 100 * level, "supply (mM/s)": 1e3 * level * v_supply,
            "rest ATP use (mM/s)": c.rest["ATP use (mM/s)"], "MgATP (mM)": c.rest["MgATP (mM)"],
            "PCr (mM)": c.rest["PCr (mM)"], "ADP (uM)": c.rest["ADP (uM)"], "Pi (mM)": c.rest["Pi (mM)"],
            "rest Ca (uM)": c.rest["Ca (uM)"], "train peak": tet["peak"],
            "half-relax after train (ms)": tet["half_relaxation"], "force left 200 ms after": tet["residual"],
        })

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for level, c in studies.items():
        r = c.records[TRAIN_HZ]
        axes[0].plot(np.asarray(r["t"]), np.asarray(r["force"]), label=f"supply {100 * level:g} %")
    axes[0].set_xlabel("time (ms)")
    axes[0].set_ylabel("force (bridges / RU)")
    axes[0].set_title(f"300 ms, {TRAIN_HZ:g} Hz train")
    axes[0].legend(frameon=False, fontsize=7)
    sup = [r["supply (%)"] for r in rows]
    # concentrations on the left axis (mM), the relaxation time on its own axis (ms)
    axes[1].plot(sup, [r["MgATP (mM)"] for r in rows], "o-", label="resting MgATP")
    axes[1].plot(sup, [r["PCr (mM)"] for r in rows], "s-", label="resting PCr")
    axes[1].set_ylabel("concentration (mM)")
    twin = axes[1].twinx()
    twin.plot(sup, [r["half-relax after train (ms)"] for r in rows], "^-", color="C2", label="half-relaxation")
    twin.set_ylabel("half-relaxation after the train (ms)")
    twin.spines["right"].set_visible(True)
    twin.grid(False)
    axes[1].set_xlabel("metabolic supply capacity (% of default)")
    lines = axes[1].get_lines() + twin.get_lines()
    axes[1].legend(lines, [ln.get_label() for ln in lines], frameon=False, fontsize=8)
    fig.suptitle(f"ATP supply and relaxation, {CELSIUS:g} C")
    fig.tight_layout()
    fig.savefig(folder / "atp_depletion.png", dpi=120)
    plt.close(fig)

    keys = list(rows[0])
    print(format_table([[r[k] for k in keys] for r in rows], keys))
    print(f"\nStimulus {amplitude:.0f} uA/cm2 x 0.5 ms; {CELSIUS:g} C; default capacity {1e3 * v_supply:.1f} mM/s.")
    from neuromuscle.claims import decide_lines

    by = {round(r["supply (%)"], 6): r for r in rows}
    if 10.0 in by and 0.5 in by:  # the claim's criteria read supply 10 % and 0.5 % (the full run has both)
        key = "force left 200 ms after"
        print("\n".join(decide_lines("b_vitamins", {
            "force left 200 ms after the train, supply 0.5 % (%)": 100.0 * by[0.5][key],
            "force left 200 ms after the train, supply 10 % (%)": 100.0 * by[10.0][key],
        }, ("vitamins", "atp"))))
    else:
        print("The claim's criteria read supply 10 % and 0.5 % of the default; run without --quick for them.")
    write_table_page(markdown(rows, amplitude, 1e3 * v_supply), folder, "atp_depletion",
                     docs_folder=docs_tables_folder(quick, out))
    print(f"\nfigures written to {folder.resolve()}")
    return {"rows": rows, "studies": studies}


def markdown(rows: list[dict], amplitude: float, capacity: float) -> str:
    """The docs table: one row per supply level, from the experiment's rows."""
    return ("<!-- written by experiments/atp_depletion.py; do not edit -->\n\n"
            f"Fibre at {CELSIUS:g} C, default supply capacity {capacity:.1f} mM/s; resting state after an hour "
            f"under each supply, then a 300 ms {TRAIN_HZ:g} Hz train ({amplitude:.0f} uA/cm2 x 0.5 ms):\n\n"
            + markdown_records(rows) + "\n")


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "atp_depletion", argv)


if __name__ == "__main__":
    main()
