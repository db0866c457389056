"""ATP supply and relaxation: what a reduced metabolic supply does to the resting fibre, to
relaxation after a tetanus, and to the force left afterwards (contracture).

Popular claim: ATP (made with the help of B vitamins) powers relaxation.

Model: ``nm.muscle_ec()`` (docs/models/ec_coupling.md) at 16 C (where the model's trains
summate; see its known limitations for 37 C). The metabolic supply capacity ``sr.V_supply``
(oxidative + glycolytic ATP synthesis, 4.7 mM/s by default; the "B-vitamin" knob) is
scaled down. For each level the script finds the fibre's resting steady state under that
supply (ATP, PCr, ADP, Pi settle where supply meets the resting demand), then gives one
300 ms, 100 Hz tetanus and measures the force, the half-relaxation time after the last
stimulus and the force left 200 ms later.

What it shows: while the supply covers the resting demand, creatine kinase keeps ATP near
normal and relaxation is unchanged; as the supply approaches the demand, PCr and then ATP
fall and relaxation slows; below it ATP runs out, the bridges cannot detach and force stays
up after the tetanus (rigor contracture) -- weakness and stiffness, not spasm. The model's
resting demand is itself too high (about 1 mM/s, see docs/models/ec_coupling.md), so the
supply level at which this happens is too high by the same factor.

Run: ``python experiments/atp_depletion.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from neuromuscle.reporting import experiment_main, format_table, output_dir

CELSIUS = 16.0
SUPPLY = (1.0, 0.5, 0.35, 0.3, 0.25, 0.22, 0.2, 0.1)  # fraction of the default capacity


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import neuromuscle as nm
    from neuromuscle.studies import contraction_study, progress

    folder = output_dir("atp_depletion", out)
    levels = (1.0, 0.25, 0.1) if quick else SUPPLY
    base = nm.muscle_ec(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=CELSIUS))
    v_supply = base.parameters["sr.V_supply"].value
    rows, studies = [], {}
    amplitude = None
    for level in progress(list(levels), "supply levels", show_progress):
        model = base.with_parameters(sr__V_supply=level * v_supply)
        c = contraction_study(model, amplitude=amplitude, frequencies=(100.0,))
        amplitude = amplitude or c.stimulus
        studies[level] = c
        tet = c.trains[100.0]
        rows.append({
            "supply (%)": 100 * level, "supply (mM/s)": 1e3 * level * v_supply,
            "rest ATP use (mM/s)": c.rest["ATP use (mM/s)"], "MgATP (mM)": c.rest["MgATP (mM)"],
            "PCr (mM)": c.rest["PCr (mM)"], "ADP (uM)": c.rest["ADP (uM)"], "Pi (mM)": c.rest["Pi (mM)"],
            "rest Ca (uM)": c.rest["Ca (uM)"], "tetanus peak": tet["peak"],
            "half-relax after tetanus (ms)": tet["half_relaxation"], "force left 200 ms after": tet["residual"],
        })

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for level, c in studies.items():
        r = c.records[100.0]
        axes[0].plot(np.asarray(r["t"]), np.asarray(r["sr.F_rel"]), label=f"supply {100 * level:g} %")
    axes[0].set_xlabel("ms")
    axes[0].set_ylabel("force-bearing bridges / RU")
    axes[0].set_title("300 ms, 100 Hz tetanus")
    axes[0].legend(frameon=False, fontsize=7)
    sup = [r["supply (%)"] for r in rows]
    axes[1].plot(sup, [r["MgATP (mM)"] for r in rows], "o-", label="resting MgATP (mM)")
    axes[1].plot(sup, [r["PCr (mM)"] / 4 for r in rows], "s-", label="resting PCr / 4 (mM)")
    axes[1].plot(sup, [r["half-relax after tetanus (ms)"] / 10 for r in rows], "^-", label="half-relaxation / 10 (ms)")
    axes[1].set_xlabel("metabolic supply capacity (% of default)")
    axes[1].legend(frameon=False, fontsize=8)
    fig.suptitle(f"ATP supply and relaxation, {CELSIUS:g} C")
    fig.tight_layout()
    fig.savefig(folder / "atp_depletion.png", dpi=120)
    plt.close(fig)

    keys = list(rows[0])
    print(format_table([[r[k] for k in keys] for r in rows], keys))
    print(f"\nStimulus {amplitude:.0f} uA/cm2 x 0.5 ms; {CELSIUS:g} C; default capacity {1e3 * v_supply:.1f} mM/s.")
    print("Verdict: ATP does power relaxation (SERCA and crossbridge detachment use MgATP), but a fibre with a "
          "supply above its resting demand keeps ATP near normal through creatine kinase; only when the supply "
          "cannot cover the demand does ATP fall, relaxation slow and force stay up (rigor): stiffness and "
          "weakness, not spasm.")
    print(f"\nfigures written to {folder.resolve()}")
    return {"rows": rows, "studies": studies}


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "atp_depletion", argv)


if __name__ == "__main__":
    main()
