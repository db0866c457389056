"""Low ionised calcium and the motor axon: threshold, rest, and spontaneous firing.

Popular claim: low calcium lowers the firing threshold of nerves and causes tetany
(twitches, spasms).

Mechanism modelled: Ca (and Mg) screen and bind the fixed negative charge on the outer
membrane surface (Gouy-Chapman-Stern; Frankenhaeuser & Hodgkin 1957; Hille, Woodhull &
Shapiro 1975). With less Ca the surface potential is more negative, so every gate
behaves as if the membrane were depolarised by a few mV: Na channels open at more
negative potentials and the threshold falls. The resting potential barely moves,
because Ca carries almost no resting current.

What the model says (numbers printed by the script):

* Threshold: yes -- it falls steadily as ionised Ca falls (by about a third for a 0.1 ms
  pulse between 1.3 and 0.4 mM). That is the hyperexcitability behind Chvostek's and
  Trousseau's signs.
* Spontaneous firing: this single human node does not fire on its own anywhere between
  1.3 and 0.3 mM ionised Ca. It would need a gating shift of about -10 mV; in plasma,
  where Mg and the high Na concentration also screen the surface, removing Ca
  *entirely* shifts gating by only about -8 mV. The classic tetany experiments used
  Ca-only bath solutions, where the shifts are much larger.
* With more persistent Na current (a poorly known quantity) the node becomes bistable
  and then sticks in a depolarised, inexcitable state instead of firing.

So the model supports "low Ca lowers threshold" and does not, by itself, produce tetany
in a single node: the spontaneous discharges of hypocalcaemia arise in whole axons
(internodes, axon branches, the terminal), are aided by alkalosis (which lowers ionised
Ca further) and ischaemia, none of which a single node contains.

Run: ``python experiments/low_calcium_axon.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import numpy as np

from neuromuscle.analysis import equilibria, firing_onset
from neuromuscle.electrochem import gating_shift
from neuromuscle.electrolytes import Electrolytes
from neuromuscle.models.motor_axon import motor_axon, motor_axon_environment, surface_ions
from neuromuscle.reporting import experiment_main, format_table, output_dir
from neuromuscle.studies import axon_electrolyte_series, column

CA_RANGE = (1.3, 0.4)  # mM ionised, the range asked about
NAP_FRACTIONS = (0.005, 0.01, 0.015, 0.02, 0.025, 0.03)


def classify(model, params) -> str:
    """quiescent / bistable / depolarised block / no stable rest (from the equilibria)."""
    eqs = equilibria(model, model.parameter_vector(params))
    stable = [e for e in eqs if e.stable]
    if not stable:
        return "no stable rest (fires)"
    if len(stable) > 1 or len(eqs) > 1:
        return "bistable" if stable[0].v < -70 else "depolarised block"
    return "quiescent" if stable[0].v < -70 else "depolarised block"


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = output_dir("low_calcium_axon", out)
    normal = Electrolytes.preset("normal")
    levels = np.linspace(*CA_RANGE, 3 if quick else 10)
    duration = 200.0 if quick else 500.0
    rows = axon_electrolyte_series("ca", levels, spontaneous_duration=duration, show_progress=show_progress)
    model = motor_axon()

    onset_ca = firing_onset(lambda ca: (model, motor_axon_environment(normal.replace(ca=ca))), 0.3, CA_RANGE[0],
                            tol=0.05 if quick else 0.01, duration=duration, n_scan=5 if quick else 11)
    onset_shift = firing_onset(lambda s: (model, {"surface.dV_offset": s}), -20.0, 0.0, tol=0.05 if quick else 0.01,
                               duration=duration, n_scan=21 if quick else 41)
    ca_free = float(gating_shift({**surface_ions(normal), "Ca": 0.0}, surface_ions(normal), celsius=37.0))
    fractions = NAP_FRACTIONS[::2] if quick else NAP_FRACTIONS
    sensitivity = []
    for f in fractions:
        m = motor_axon(nap_fraction=f)
        sensitivity.append([f, classify(m, None), classify(m, motor_axon_environment(normal.replace(ca=0.4)))])

    ca = column(rows, "ca")
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
    axes[0].plot(ca, column(rows, "gating shift (mV)"), "o-")
    if np.isfinite(onset_shift.level):
        axes[0].axhline(onset_shift.level, color="C3", ls="--", lw=1)
        axes[0].text(ca[0], onset_shift.level + 0.3, "shift needed to fire", color="C3", fontsize=8)
    axes[0].set_ylabel("Gating shift vs normal (mV)")
    axes[1].plot(ca, column(rows, "rest (mV)"), "o-")
    axes[1].set_ylabel("Resting potential (mV)")
    for key in ("threshold 0.1 ms (uA/cm2)", "threshold 1 ms (uA/cm2)"):
        axes[2].plot(ca, column(rows, key) / column(rows, key)[0], "o-", label=key.split(" (")[0])
    axes[2].set_ylabel(f"Threshold / threshold at {CA_RANGE[0]} mM")
    axes[2].legend(frameon=False)
    for ax in axes:
        ax.set_xlabel("Ionised Ca (mM)")
        ax.axvspan(1.15, 1.30, color="0.9", zorder=0)
        ax.invert_xaxis()
    fig.suptitle("Motor axon node, 37 C: lowering ionised Ca (grey: normal range)")
    fig.tight_layout()
    fig.savefig(folder / "low_calcium_axon.png", dpi=120)
    plt.close(fig)

    print(format_table(
        [[r["ca"], r["gating shift (mV)"], r["rest (mV)"], r["threshold 0.1 ms (uA/cm2)"],
          r["threshold 1 ms (uA/cm2)"], r["AP peak (mV)"], "yes" if r["spontaneous firing"] else "no"]
         for r in rows],
        ["Ca (mM)", "shift (mV)", "rest (mV)", "thr 0.1 ms", "thr 1 ms", "AP peak (mV)", "fires"],
    ))
    print()
    print(format_table(sensitivity, ["persistent Na fraction", "at normal Ca", "at 0.4 mM Ca"]))
    drop = 1.0 - rows[-1]["threshold 0.1 ms (uA/cm2)"] / rows[0]["threshold 0.1 ms (uA/cm2)"]
    print(f"\nThreshold (0.1 ms pulse) falls by {drop:.0%} from {CA_RANGE[0]} to {CA_RANGE[1]} mM ionised Ca.")
    if np.isnan(onset_ca.level):
        print(f"Spontaneous firing: none for ionised Ca from {CA_RANGE[0]} down to 0.3 mM ({onset_ca.message}).")
    else:
        print(f"Spontaneous firing begins below {onset_ca.level:.2f} mM ionised Ca.")
    if np.isfinite(onset_shift.level):
        print(f"The node starts firing at a gating shift of {onset_shift.level:.2f} mV; removing all Ca from "
              f"plasma shifts gating by {ca_free:.2f} mV.")
    print()
    print("\n".join(_verdicts(quick)))
    print(f"\nfigures written to {folder.resolve()}")
    return {"rows": rows, "onset_ca": onset_ca, "onset_shift": onset_shift, "ca_free_shift": ca_free,
            "threshold_drop": drop, "sensitivity": sensitivity}


def _verdicts(quick: bool) -> list[str]:
    """The claim's verdicts, decided by its criteria on its conditions (severe hypocalcaemia)."""
    from neuromuscle.claims import context, decide_lines
    from neuromuscle.claims import measures as cm

    ctx = context(quick)
    low, ref = cm.axon(ctx, Electrolytes.preset("hypocalcaemia_severe")), cm.axon(ctx, Electrolytes.preset("normal"))
    key = "threshold 0.1 ms (uA/cm2)"
    return decide_lines("calcium", {"axon threshold change, Ca 0.75 (%)": cm.pct(low[key], ref[key]),
                                    "axon node fires, Ca 0.75 (yes 1 / no 0)": low["fires"]}, ("threshold", "tetany"))


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "low_calcium_axon", argv)


if __name__ == "__main__":
    main()
