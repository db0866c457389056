"""Low sodium and the motor axon: overshoot, threshold and conduction failure.

Popular claim: sodium (with potassium) "carries the nerve signal", so low sodium disturbs
nerve and muscle function.

Biophysics: the upstroke of the action potential is Na entry; its peak approaches the
Na equilibrium potential, which falls by RT/F ln(Na_o ratio) -- about 4.6 mV from 140 to
118 mM at 37 C. So hyponatraemia lowers the overshoot and the rate of rise a little. The
threshold rises slightly: the resting leak carries some Na, so less Na hyperpolarises the
node a little (partly offset by a small negative gating shift, because a weaker salt
solution screens the surface charge less). Even at 110 mM the node still fires a full-size action
potential: the sodium gradient has a large safety margin. The dangerous effects of
hyponatraemia are on the brain (cell swelling from the osmotic shift), not on the axon's
action potential, and they are not what this membrane model represents.

Run: ``python experiments/low_sodium_axon.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import numpy as np

from neuromuscle.reporting import experiment_main, format_table, output_dir
from neuromuscle.studies import axon_electrolyte_series, column

NA_RANGE = (145.0, 110.0)  # mM


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = output_dir("low_sodium_axon", out)
    levels = np.linspace(*NA_RANGE, 3 if quick else 8)
    rows = axon_electrolyte_series("na", levels, spontaneous_duration=200.0 if quick else 500.0,
                                   show_progress=show_progress)
    na = column(rows, "na")
    failed = [r["na"] for r in rows if np.isnan(r["AP peak (mV)"])]

    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
    axes[0].plot(na, column(rows, "AP peak (mV)"), "o-", label="AP peak")
    axes[0].plot(na, column(rows, "E_Na (mV)"), "k--", label="E_Na (Nernst)")
    axes[0].set_ylabel("Potential (mV)")
    axes[0].legend(frameon=False)
    axes[1].plot(na, column(rows, "AP max dV/dt (mV/ms)"), "o-")
    axes[1].set_ylabel("Max rate of rise (mV/ms)")
    axes[2].plot(na, column(rows, "threshold 0.1 ms (uA/cm2)"), "o-", label="0.1 ms")
    axes[2].plot(na, column(rows, "threshold 1 ms (uA/cm2)"), "s-", label="1 ms")
    axes[2].set_ylabel("Threshold (uA/cm2)")
    axes[2].legend(frameon=False)
    for ax in axes:
        ax.set_xlabel("Extracellular Na (mM)")
        ax.axvspan(135, 145, color="0.9", zorder=0)
    fig.suptitle("Motor axon node, 37 C: lowering Na (grey: normal range)")
    fig.tight_layout()
    fig.savefig(folder / "low_sodium_axon.png", dpi=120)
    plt.close(fig)

    print(format_table(
        [[r["na"], r["E_Na (mV)"], r["AP peak (mV)"], r["AP amplitude (mV)"], r["AP max dV/dt (mV/ms)"],
          r["threshold 0.1 ms (uA/cm2)"], r["rest (mV)"]] for r in rows],
        ["Na (mM)", "E_Na", "AP peak", "AP amplitude", "max dV/dt", "thr 0.1 ms", "rest"],
    ))
    drop = rows[0]["AP peak (mV)"] - rows[-1]["AP peak (mV)"]
    print(
        f"\nFrom {NA_RANGE[0]:g} to {NA_RANGE[1]:g} mM Na the overshoot falls by {drop:.1f} mV "
        f"(E_Na by {rows[0]['E_Na (mV)'] - rows[-1]['E_Na (mV)']:.1f} mV). "
        + ("Action potentials fail at " + ", ".join(f"{x:g}" for x in failed) + " mM."
           if failed else f"No failure of the action potential down to {NA_RANGE[1]:g} mM.")
    )
    from neuromuscle.claims import context, decide_lines
    from neuromuscle.claims import measures as cm
    from neuromuscle.electrolytes import Electrolytes

    ctx = context(quick)
    ex = Electrolytes.preset("exercise_hyponatraemia")
    a, a0 = cm.axon(ctx, ex), cm.axon(ctx, Electrolytes.preset("normal"))
    f, f0 = cm.fibre(ctx, ex), cm.fibre(ctx, Electrolytes.preset("normal"))
    thr = "threshold 0.1 ms (uA/cm2)"
    print("\n".join(decide_lines("sodium", {
        "largest threshold fall, axon or muscle, Na 128 (%)": min(
            cm.pct(a[thr], a0[thr]), cm.pct(f["threshold (uA/cm2)"], f0["threshold (uA/cm2)"])),
        "axon fires, Na 128 (yes 1 / no 0)": a["fires"]}, ("cramps", "brain"))))
    print(f"\nfigures written to {folder.resolve()}")
    return {"rows": rows, "overshoot_drop": drop, "failed_at": failed}


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "low_sodium_axon", argv)


if __name__ == "__main__":
    main()
