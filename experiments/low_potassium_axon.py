"""Low potassium and the motor axon: resting potential (model vs Nernst vs GHK) and threshold.

Popular claim: low potassium causes muscle cramps and twitches because K "carries the
nerve signal".

Biophysics: the resting potential of an axon sits close to the K equilibrium potential.
Lowering extracellular K makes E_K more negative (Nernst: -26.7 mV per e-fold at 37 C,
-61.5 mV per tenfold), so the membrane *hyperpolarises* and moves away from threshold:
the axon becomes *less* excitable, not more. The model's rest follows E_K less steeply
than Nernst because the resting membrane is also permeable to Na (GHK voltage equation).
Hypokalaemia's real clinical picture in nerve and muscle is weakness; its cramps and
the paralysis of severe hypokalaemia arise in muscle, where the inward rectifier changes
the picture (``experiments/hypokalaemia_muscle.py``).

Curves drawn:

* model: the node's resting potential (all its currents);
* Nernst: E_K;
* GHK: the GHK voltage equation with the node's resting K and Na permeabilities
  (leak P_Na/P_K = 0.018).

Run: ``python experiments/low_potassium_axon.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import numpy as np

from neuromuscle.electrochem import ghk_voltage
from neuromuscle.reporting import experiment_main, format_table, output_dir
from neuromuscle.studies import axon_electrolyte_series, column

K_RANGE = (5.5, 1.5)  # mM


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from neuromuscle.models.motor_axon import AXON_CYTOSOL, motor_axon

    folder = output_dir("low_potassium_axon", out)
    levels = np.linspace(*K_RANGE, 3 if quick else 9)
    rows = axon_electrolyte_series("k", levels, spontaneous_duration=200.0 if quick else 500.0,
                                   show_progress=show_progress)
    ratio = motor_axon().parameters["E_L.ratio"].value
    k = column(rows, "k")
    na_o = 140.0
    ghk = ghk_voltage([[1.0], [ratio]], [k, np.full_like(k, na_o)],
                      [[AXON_CYTOSOL["k_in"][0]], [AXON_CYTOSOL["na_in"][0]]], [[1], [1]], 37.0)
    for r, g in zip(rows, ghk):
        r["GHK (mV)"] = float(g)

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    axes[0].semilogx(k, column(rows, "E_K (mV)"), "k--", label="Nernst E_K")
    axes[0].semilogx(k, ghk, "C1-", label="GHK (K, Na)")
    axes[0].semilogx(k, column(rows, "rest (mV)"), "C0o-", label="model rest")
    axes[0].set_xlabel("Extracellular K (mM, log scale)")
    axes[0].set_ylabel("Potential (mV)")
    axes[0].legend(frameon=False)
    axes[0].axvspan(3.5, 5.0, color="0.9", zorder=0)
    for key in ("threshold 0.1 ms (uA/cm2)", "threshold 1 ms (uA/cm2)"):
        axes[1].plot(k, column(rows, key), "o-", label=key.split(" (")[0])
    axes[1].set_xlabel("Extracellular K (mM)")
    axes[1].set_ylabel("Threshold current (uA/cm2)")
    axes[1].legend(frameon=False)
    axes[1].axvspan(3.5, 5.0, color="0.9", zorder=0)
    fig.suptitle("Motor axon node, 37 C: lowering K hyperpolarises and raises threshold (grey: normal)")
    fig.tight_layout()
    fig.savefig(folder / "low_potassium_axon.png", dpi=120)
    plt.close(fig)

    print(format_table(
        [[r["k"], r["E_K (mV)"], r["GHK (mV)"], r["rest (mV)"], r["threshold 0.1 ms (uA/cm2)"],
          r["threshold 1 ms (uA/cm2)"], "yes" if r["spontaneous firing"] else "no"] for r in rows],
        ["K (mM)", "Nernst E_K", "GHK", "model rest", "thr 0.1 ms", "thr 1 ms", "fires"],
    ))
    slope_nernst = np.polyfit(np.log10(k), column(rows, "E_K (mV)"), 1)[0]
    slope_model = np.polyfit(np.log10(k), column(rows, "rest (mV)"), 1)[0]
    rise = rows[-1]["threshold 0.1 ms (uA/cm2)"] / rows[0]["threshold 0.1 ms (uA/cm2)"] - 1.0
    print(
        f"\nRest changes by {slope_model:.1f} mV per tenfold K (Nernst: {slope_nernst:.1f}). From {K_RANGE[0]} to "
        f"{K_RANGE[1]} mM K the threshold rises by {rise:.0%}."
    )
    from neuromuscle.claims import context, decide_lines
    from neuromuscle.claims import measures as cm
    from neuromuscle.electrolytes import Electrolytes

    ctx = context(quick)
    low, ref = cm.axon(ctx, Electrolytes.preset("hypokalaemia_severe")), cm.axon(ctx, Electrolytes.preset("normal"))
    thr = "threshold 0.1 ms (uA/cm2)"
    print("\n".join(decide_lines("potassium", {"axon threshold change, K 2.3 (%)": cm.pct(low[thr], ref[thr])},
                                 ("signalling",))))
    print(f"\nfigures written to {folder.resolve()}")
    return {"rows": rows, "slope_model": slope_model, "slope_nernst": slope_nernst, "threshold_rise": rise}


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "low_potassium_axon", argv)


if __name__ == "__main__":
    main()
