"""What slower Ca removal (SERCA) does to the Ca transient and to force.

Popular claim: calcium must be pumped away for the muscle to relax.

Model: ``nm.muscle_ec()`` (docs/models/ec_coupling.md) at the validation temperature of the
Ca system (16 C; at this stimulus the model fibre follows trains up to about 30 Hz there,
see the known limitations). SERCA's maximal rate (``serca.nu_SR``) is scaled from 100 %
down to 25 %; for each level the script finds the new resting state and measures the Ca
transient of one action potential, the twitch, and 300 ms trains (peak force, fusion, and
relaxation after the train: half-relaxation time and the force left 200 ms later).

What it shows: slower uptake raises resting Ca a little, prolongs the Ca transient and the
twitch, slows relaxation after a train, and increases fusion; the claim
holds in the model: removal by SERCA is what ends contraction.

Run: ``python experiments/calcium_removal.py [--quick] [--out DIR]``; a full run into the
default folder also writes ``docs/models/data/calcium_removal.md``, which the EC page includes.
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
SERCA = (1.0, 0.75, 0.5, 0.25)  # fraction of the default maximal rate
FREQS = (10.0, 20.0, 30.0)


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import neuromuscle as nm
    from neuromuscle.studies import contraction_study, progress

    folder = output_dir("calcium_removal", out)
    levels = (1.0, 0.5) if quick else SERCA
    freqs = (30.0,) if quick else FREQS
    base = nm.muscle_ec(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=CELSIUS))
    nu = base.parameters[base.label("serca_capacity")].value
    rows, studies = [], {}
    amplitude = None
    for level in progress(list(levels), "SERCA levels", show_progress):
        model = base.with_parameters(**{base.label("serca_capacity"): level * nu})
        c = contraction_study(model, amplitude=amplitude, frequencies=freqs)
        amplitude = amplitude or c.stimulus  # the same stimulus at every level
        studies[level] = c
        top = c.trains[max(freqs)]
        rows.append({
            "SERCA (%)": 100 * level, "rest Ca (uM)": c.rest["Ca (uM)"], "SR free Ca (mM)": c.rest["SR free Ca (mM)"],
            "dCa (uM)": c.calcium.amplitude, "Ca FDHM (ms)": c.calcium.fdhm, "twitch": c.twitch.amplitude,
            "twitch half-relax (ms)": c.twitch.half_relaxation,
            f"{max(freqs):g} Hz peak": top["peak"], f"{max(freqs):g} Hz half-relax (ms)": top["half_relaxation"],
            f"{max(freqs):g} Hz residual": top["residual"],
            **{f"fusion {f:g} Hz": c.trains[f]["fusion"] for f in freqs},
        })

    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    for level, c in studies.items():
        tw = c.records["twitch"]
        t = np.asarray(tw["t"])
        axes[0].plot(t, 1e3 * np.asarray(tw["cytosolic_ca"]), label=f"SERCA {100 * level:g} %")
        axes[1].plot(t, np.asarray(tw["force"]), label=f"SERCA {100 * level:g} %")
        tr = c.records[max(freqs)]
        axes[2].plot(np.asarray(tr["t"]), np.asarray(tr["force"]), label=f"SERCA {100 * level:g} %")
    axes[0].set_xlim(0, 40)
    axes[0].set_ylabel("free Ca (uM)")
    axes[1].set_ylabel("force-bearing bridges / RU")
    axes[2].set_ylabel("force-bearing bridges / RU")
    for ax, title in zip(axes, ("Ca transient, one AP", "twitch", f"{max(freqs):g} Hz, 300 ms")):
        ax.set_xlabel("ms")
        ax.set_title(title)
        ax.legend(frameon=False, fontsize=8)
    fig.suptitle(f"Slower SR Ca uptake, fibre at {CELSIUS:g} C")
    fig.tight_layout()
    fig.savefig(folder / "calcium_removal.png", dpi=120)
    plt.close(fig)

    keys = list(rows[0])
    print(format_table([[r[k] for k in keys] for r in rows], keys))
    print(f"\nStimulus {amplitude:.0f} uA/cm2 x 0.5 ms at every level; {CELSIUS:g} C.")
    slow = rows[-1]
    print(f"With SERCA at {slow['SERCA (%)']:g} % the twitch half-relaxation goes from "
          f"{rows[0]['twitch half-relax (ms)']:.1f} to {slow['twitch half-relax (ms)']:.1f} ms.")
    from neuromuscle.claims import decide_lines

    half = next(r for r in rows if r["SERCA (%)"] == 50.0)
    print("\n".join(decide_lines("calcium", {"half-relaxation change, SERCA 50 % (%)": 100.0 * (
        half["twitch half-relax (ms)"] / rows[0]["twitch half-relax (ms)"] - 1.0)}, ("removal",))))
    write_table_page(markdown(rows, amplitude), folder, "calcium_removal", docs_folder=docs_tables_folder(quick, out))
    print(f"\nfigures written to {folder.resolve()}")
    return {"rows": rows, "studies": studies}


def markdown(rows: list[dict], amplitude: float) -> str:
    """The docs table: one row per SERCA level, from the experiment's rows."""
    return ("<!-- written by experiments/calcium_removal.py; do not edit -->\n\n"
            f"Fibre at {CELSIUS:g} C, the same stimulus ({amplitude:.0f} uA/cm2 x 0.5 ms) at every SERCA level; "
            "trains last 300 ms, residual is the force left 200 ms after a train:\n\n"
            + markdown_records(rows, by="SERCA (%)") + "\n")


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "calcium_removal", argv)


if __name__ == "__main__":
    main()
