"""Low calcium and tetany: does a single node or a whole myelinated axon fire on its own?

Hypocalcaemic tetany, the paraesthesiae of hyperventilation and post-ischaemic
fasciculations are ectopic discharges of motor and sensory axons. This script asks the
package's two axon models the same questions in the same environments -- normal plasma,
severe hypocalcaemia, severe hypocalcaemia with alkalosis (pH 7.6, ionised Ca falling with
pH), hyperventilation and combined hypomagnesaemia:

* the single human node (:func:`neuromuscle.motor_axon`): fires spontaneously or not, and
  at what rate;
* the myelinated axon (:func:`neuromuscle.motor_axon_myelinated`, 11 nodes, MRG cable with
  Gaines et al. 2018 motor channels): fires or not, at which node the first spike starts,
  at what rate and after how long (:func:`neuromuscle.analysis.ectopic_activity`: rest
  displaced by 1 mV, no stimulus).

Then the spontaneous-firing map of the axon over ionised Ca x Mg, the ionised Ca at which
firing starts bisected at the lowest Mg, and -- if nothing in the clinical range fires -- the
closest of a list of harsher conditions (more negative gating shift, pump block, high K)
that does. Nothing is tuned to make the axon fire: a "no" is the model's answer.

Run: ``python experiments/low_calcium_tetany.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import numpy as np

from neuromuscle.acid_base import ionised_calcium_at_ph
from neuromuscle.analysis import spontaneous_activity
from neuromuscle.analysis.ectopic import ectopic_activity, ectopic_map, ectopic_onset, environment_params
from neuromuscle.analysis.threshold_tracking import tracking_axon
from neuromuscle.electrolytes import Electrolytes
from neuromuscle.models.motor_axon import motor_axon, motor_axon_environment
from neuromuscle.reporting import experiment_main, format_records, output_dir

ALKALOSIS_PH = 7.6
CA_MAP = (0.3, 1.22)  # mM ionised
MG_MAP = (0.1, 0.52)  # mM ionised

#: Harsher conditions tried, in order, when nothing in the clinical range fires:
#: (label, Electrolytes changes, model parameters)
HARSHER = (
    ("Ca 0.3, Mg 0.1, extra gating shift -20 mV", {"ca": 0.3, "mg": 0.1}, {"surface.dV_offset": -20.0}),
    ("Ca 0.3, Mg 0.1, Na/K pump blocked", {"ca": 0.3, "mg": 0.1}, {"pump": 0.0}),
    ("K 20 mM (bath-like; beyond the plasma range)", {}, {"K_o": 20.0}),
    ("Ca 0.3, Mg 0.1, extra gating shift -60 mV", {"ca": 0.3, "mg": 0.1}, {"surface.dV_offset": -60.0}),
    ("K 30 mM, pump blocked", {}, {"K_o": 30.0, "pump": 0.0}),
)


def environments():
    severe = Electrolytes.preset("hypocalcaemia_severe")
    alk_ca = ionised_calcium_at_ph(severe.ca, ALKALOSIS_PH, severe.ph)
    return [
        ("normal", Electrolytes.preset("normal")),
        ("hypocalcaemia (severe)", severe),
        (f"hypocalcaemia + alkalosis (pH {ALKALOSIS_PH})", severe.replace(ph=ALKALOSIS_PH, ca=round(alk_ca, 3))),
        ("hyperventilation", Electrolytes.preset("hyperventilation")),
        ("hypomagnesaemia (combined)", Electrolytes.preset("hypomagnesaemia_combined")),
    ]


def run(quick: bool = False, out=None) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = output_dir("low_calcium_tetany", out)
    duration = 100.0 if quick else 300.0
    node = motor_axon()
    axon = tracking_axon()
    kw = {"duration": duration, "compiled": True}
    rows = []
    for label, e in environments():
        single = spontaneous_activity(node, motor_axon_environment(e), duration=duration)
        ect = ectopic_activity(axon, environment_params(axon, e), **kw)
        rows.append({"condition": label, "ionised Ca (mM)": e.ca, "Mg (mM)": e.mg, "pH": e.ph,
                     "node fires": bool(single.firing), "node rate (Hz)": single.rate,
                     "node rest (mV)": single.v_rest, "axon fires": bool(ect.firing),
                     "axon origin node": ect.origin_node, "axon rate (Hz)": ect.rate,
                     "axon latency (ms)": ect.latency, "axon rest (mV)": ect.v_rest,
                     "axon rest stable": bool(ect.rest_stable)})
    print(format_records(rows))

    n_ca, n_mg = (3, 2) if quick else (6, 3)
    cas, mgs = np.linspace(*CA_MAP, n_ca), np.linspace(*MG_MAP, n_mg)
    grid = ectopic_map(axon, ("ca", cas), ("mg", mgs), **kw)
    n_fire = int(grid["firing"].sum())
    print(f"\nSpontaneous-firing map, ionised Ca {CA_MAP[0]}-{CA_MAP[1]} x Mg {MG_MAP[0]}-{MG_MAP[1]} mM: "
          f"{n_fire} of {grid['firing'].size} points fire")
    onset = ectopic_onset(axon, "ca", CA_MAP[0], CA_MAP[1], base=Electrolytes.preset("normal").replace(mg=MG_MAP[0]),
                          tol=0.05 if quick else 0.02, n_scan=3 if quick else 7, **kw)
    if np.isfinite(onset.level):
        print(f"At Mg {MG_MAP[0]} mM the axon starts firing below {onset.level:.3f} mM ionised Ca.")
    else:
        print(f"At Mg {MG_MAP[0]} mM: no spontaneous firing between {CA_MAP[0]} and {CA_MAP[1]} mM ionised Ca "
              f"({onset.message}).")

    closest = None
    tried = []
    if n_fire == 0 and not np.isfinite(onset.level):
        normal = Electrolytes.preset("normal")
        for label, changes, params in (HARSHER[:2] if quick else HARSHER):
            r = ectopic_activity(axon, {**environment_params(axon, normal.replace(**changes)), **params}, **kw)
            tried.append({"condition": label, "fires": bool(r.firing), "origin node": r.origin_node,
                          "rate (Hz)": r.rate, "latency (ms)": r.latency, "rest (mV)": r.v_rest})
            if r.firing:
                closest = tried[-1]
                break
        print(format_records(tried, {"harsher condition": "condition", "fires": "fires", "origin": "origin node",
                                     "rate (Hz)": "rate (Hz)", "latency (ms)": "latency (ms)",
                                     "rest (mV)": "rest (mV)"}))
        print("Closest firing condition: " + (closest["condition"] if closest else "none of those tried"))

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    im = axes[0].pcolormesh(mgs, cas, grid["v_rest"].values, shading="nearest", cmap="viridis")
    fig.colorbar(im, ax=axes[0], label="axon rest (mV)")
    fy, fx = np.nonzero(grid["firing"].values)
    axes[0].plot(mgs[fx], cas[fy], "r*", ms=12, label="fires")
    axes[0].set(xlabel="ionised Mg (mM)", ylabel="ionised Ca (mM)", title="Spontaneous firing of the axon")
    labels = [r["condition"] for r in rows]
    y = np.arange(len(rows))
    axes[1].barh(y - 0.2, [r["node rate (Hz)"] for r in rows], 0.4, label="single node")
    axes[1].barh(y + 0.2, [r["axon rate (Hz)"] for r in rows], 0.4, label="myelinated axon")
    axes[1].set_yticks(y, labels, fontsize=8)
    axes[1].set(xlabel="spontaneous rate (Hz)", ylabel="condition", title="Who fires")
    axes[1].legend(frameon=False, fontsize=8)
    fig.tight_layout()
    fig.savefig(folder / "low_calcium_tetany.png", dpi=110)
    plt.close(fig)
    print(f"\nfigures written to {folder.resolve()}")
    return {"rows": rows, "duration_ms": duration,
            "map": {"ca": cas, "mg": mgs, "firing": grid["firing"].values, "v_rest": grid["v_rest"].values,
                    "rate": grid["rate"].values},
            "onset_ca_at_low_mg": onset.level, "onset_message": onset.message, "harsher_tried": tried,
            "closest_firing": closest}


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "low_calcium_tetany", argv,
                           quick_help="coarse map and 100 ms runs (about a minute)")


if __name__ == "__main__":
    main()
