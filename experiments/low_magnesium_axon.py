"""Low magnesium and the motor axon: how strong is Mg's effect next to Ca's?

Popular claim: magnesium deficiency causes twitches, cramps and spasms; Mg is a "natural
calcium blocker" that calms nerves.

Mechanism modelled: extracellular Mg, like Ca, screens and binds the negative surface
charge of the axon membrane, so less Mg shifts gating towards depolarisation and lowers
threshold. Mg binds the surface more weakly than Ca (Hille, Woodhull & Shapiro 1975:
potency Mg < Ca), so per millimole its effect is smaller.

What this model can and cannot say:

* The surface-charge effect of Mg alone is small: ionised Mg falling from 1.0 to 0.1 mM
  shifts gating by a few mV and lowers threshold modestly -- less than the same fall
  of Ca.
* Hypomagnesaemia in patients rarely comes alone: it impairs parathyroid hormone
  secretion and action (low Ca) and makes the kidney waste K (low K). The combined preset
  shows the net effect of those three changes on this node.
* Mg's best-known actions on excitability are elsewhere and are not in this node
  model: Mg competes with Ca at presynaptic Ca channels of the neuromuscular junction
  (less Mg -> more transmitter release; Dodge & Rahamimoff 1967), blocks NMDA receptors in
  the spinal cord, and inhibits the ryanodine receptor in muscle. The "calcium
  blocker" phrase is a loose description of those, not of anything in the axon membrane.

Run: ``python experiments/low_magnesium_axon.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import numpy as np

from neuromuscle.analysis import excitability_summary, spontaneous_activity
from neuromuscle.electrolytes import Electrolytes
from neuromuscle.models.motor_axon import motor_axon, motor_axon_environment
from neuromuscle.reporting import experiment_main, format_table, output_dir
from neuromuscle.studies import axon_electrolyte_series, column

MG_RANGE = (1.0, 0.1)  # mM ionised


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = output_dir("low_magnesium_axon", out)
    normal = Electrolytes.preset("normal")
    n = 3 if quick else 10
    duration = 200.0 if quick else 500.0
    mg_rows = axon_electrolyte_series("mg", np.linspace(*MG_RANGE, n), spontaneous_duration=duration,
                                      show_progress=show_progress)
    # Ca over the same absolute change (0.9 mM) from its normal value, for a like-for-like comparison
    ca_levels = normal.ca - (MG_RANGE[0] - np.linspace(*MG_RANGE, n))
    ca_rows = axon_electrolyte_series("ca", ca_levels[ca_levels >= 0.3], spontaneous_duration=duration,
                                      show_progress=show_progress)

    model = motor_axon()
    combined = Electrolytes.preset("hypomagnesaemia_combined")
    combo = excitability_summary(model, motor_axon_environment(combined))
    combo_fire = spontaneous_activity(model, motor_axon_environment(combined), duration=duration)
    base = excitability_summary(model, motor_axon_environment(normal))

    def slope(rows, field, key):
        x, y = column(rows, field), column(rows, key)
        return float(np.polyfit(x, y, 1)[0])

    potency = {
        "shift per mM Mg (mV/mM)": slope(mg_rows, "mg", "gating shift (mV)"),
        "shift per mM Ca (mV/mM)": slope(ca_rows, "ca", "gating shift (mV)"),
    }
    potency["Mg/Ca potency ratio"] = potency["shift per mM Mg (mV/mM)"] / potency["shift per mM Ca (mV/mM)"]

    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
    axes[0].plot(column(mg_rows, "mg"), column(mg_rows, "gating shift (mV)"), "o-", label="Mg varied")
    axes[0].plot(column(ca_rows, "ca"), column(ca_rows, "gating shift (mV)"), "s-", label="Ca varied")
    axes[0].set_xlabel("Ionised divalent (mM)")
    axes[0].set_ylabel("Gating shift vs normal (mV)")
    axes[0].legend(frameon=False)
    key = "threshold 0.1 ms (uA/cm2)"
    axes[1].plot(column(mg_rows, "mg"), column(mg_rows, key) / base[key], "o-", label="Mg varied")
    axes[1].plot(column(ca_rows, "ca"), column(ca_rows, key) / base[key], "s-", label="Ca varied")
    axes[1].set_xlabel("Ionised divalent (mM)")
    axes[1].set_ylabel("Threshold / normal (0.1 ms pulse)")
    axes[1].legend(frameon=False)
    labels = ["normal", "low Mg alone\n(0.30 mM)", "low Mg + low Ca\n+ low K"]
    alone = excitability_summary(model, motor_axon_environment(Electrolytes.preset("hypomagnesaemia")))
    axes[2].bar(labels, [1.0, alone[key] / base[key], combo[key] / base[key]], color=["0.6", "C0", "C3"])
    axes[2].set_ylabel("Threshold / normal")
    axes[2].set_xlabel("clinical preset")
    axes[2].set_title("Clinical presets", fontsize=10)
    fig.suptitle("Motor axon node, 37 C: magnesium vs calcium")
    fig.tight_layout()
    fig.savefig(folder / "low_magnesium_axon.png", dpi=120)
    plt.close(fig)

    header = ["Mg (mM)", "shift (mV)", "rest (mV)", "thr 0.1 ms", "thr 1 ms", "fires"]
    print(format_table(
        [[r["mg"], r["gating shift (mV)"], r["rest (mV)"], r["threshold 0.1 ms (uA/cm2)"],
          r["threshold 1 ms (uA/cm2)"], "yes" if r["spontaneous firing"] else "no"] for r in mg_rows],
        header,
    ))
    print()
    print(format_table(potency.items(), ["comparison", "value"]))
    print()
    print(format_table(
        [["normal", base["rest (mV)"], base[key]],
         ["hypomagnesaemia alone", alone["rest (mV)"], alone[key]],
         ["hypomagnesaemia + low Ca + low K", combo["rest (mV)"], combo[key]]],
        ["preset", "rest (mV)", "thr 0.1 ms (uA/cm2)"],
    ))
    if combo[key] > base[key]:
        combo_text = ("raises the axon's threshold: its low K hyperpolarises the node more than the low "
                      "divalents shift its gates")
    else:
        combo_text = "lowers the axon's threshold: the low divalents outweigh the hyperpolarisation by low K"
    print(
        f"\nPer mM, Mg shifts gating {potency['Mg/Ca potency ratio']:.2f} times as much as Ca (screening is the "
        "same for both; the difference is the weaker binding of Mg, K_Mg/K_Ca = 8/12, an assumption taken from "
        f"lipid data). The combined hypomagnesaemia preset {combo_text}. "
        f"Spontaneous firing with the combined preset: {'yes' if combo_fire.firing else 'no'}."
    )
    from neuromuscle.claims import decide_lines

    print("\n".join(decide_lines("magnesium", {
        "axon threshold change, Mg 0.30 (%)": 100.0 * (alone[key] / base[key] - 1.0),
        "axon fires, low Mg (yes 1 / no 0)": float(combo_fire.firing)}, ("cramps",))))
    print(f"\nfigures written to {folder.resolve()}")
    return {"mg_rows": mg_rows, "ca_rows": ca_rows, "potency": potency, "combined": combo,
            "combined_firing": combo_fire.firing, "normal": base, "mg_alone": alone}


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "low_magnesium_axon", argv)


if __name__ == "__main__":
    main()
