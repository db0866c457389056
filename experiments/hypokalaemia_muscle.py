"""Low potassium and the skeletal-muscle fibre: resting potential vs K_o on three time scales.

Popular claim: low potassium causes muscle cramps and spasms.

What the model computes (issue 4, in progress; docs/models/muscle_fibre.md): the steady
states of the Wallinga et al. (1999) surface + t-tubule fibre at 37 C as extracellular K
falls, on three time scales:

* acute (seconds): myoplasmic Na, K, Cl unchanged;
* chloride (minutes): Cl redistributed until no net Cl current flows;
* chronic (hours): Na, K and Cl re-settled under the Na/K pump;

next to the Nernst potential E_K, and with the non-selective cation leak of hypokalaemic
periodic paralysis fibres (Jurkat-Rott et al. 2009: 12-19.5 uS/cm2).

What it shows, honestly: once Cl has redistributed the fibre follows E_K and *hyperpolarises*
as K falls -- no spasm. Real fibres (Jurkat-Rott et al. 2009) instead flip to a depolarised,
inexcitable state near -60 mV below about 1 mM K (weakness, paralysis). With the published
Wallinga conductances the model does not reproduce that flip: its resting K conductance is
about 40 times the measured one (docs/models/muscle_fibre.md explains the consequences).
This script prints the states it finds, all of them, including any depolarised branch.

Run: ``python experiments/hypokalaemia_muscle.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from neuromuscle.reporting import experiment_main, format_table, output_dir

K_LEVELS = (0.8, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.2, 5.0, 6.0, 8.0, 10.0)  # mM (0.8: lowest plasma value accepted)
LEAKS = (0.0, 0.0195)  # mS/cm2: none, and the top of the HypoPP range


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import neuromuscle as nm
    from neuromuscle.electrochem import nernst

    folder = output_dir("hypokalaemia_muscle", out)
    normal = nm.Electrolytes.preset("normal")
    levels = (1.0, 2.0, 4.2, 8.0) if quick else K_LEVELS
    modes = ("acute", "chloride", "chronic")
    rows = []
    for leak in LEAKS:
        fibre = nm.muscle_fibre(cation_leak=leak)
        k_i = fibre.parameters["K_i"].value
        for k in levels:
            e = dataclasses.replace(normal, k=k, name=f"K {k} mM")
            row = {"leak (mS/cm2)": leak, "K_o (mM)": k, "E_K (mV)": float(nernst(k, k_i, 1, normal.celsius))}
            for mode in modes:
                states = [s for s in nm.fibre_states(fibre, e, mode=mode) if s.stable]
                row[f"{mode} (mV)"] = [s.v for s in states]
                if mode == "chronic":
                    row["chronic Na_i (mM)"] = [s.params["Na_i"] for s in states]
            rows.append(row)

    fig, axes = plt.subplots(1, len(LEAKS), figsize=(5 * len(LEAKS), 4), sharey=True)
    for ax, leak in zip(axes, LEAKS):
        sub = [r for r in rows if r["leak (mS/cm2)"] == leak]
        k = np.array([r["K_o (mM)"] for r in sub])
        ax.semilogx(k, [r["E_K (mV)"] for r in sub], "k--", label="Nernst E_K")
        for j, mode in enumerate(modes):
            pts = [(r["K_o (mM)"], v) for r in sub for v in r[f"{mode} (mV)"]]
            if pts:
                ax.semilogx(*zip(*pts), f"C{j}o", label=f"stable state, {mode}")
        ax.axvspan(3.5, 5.0, color="0.9", zorder=0)
        ax.set_xlabel("Extracellular K (mM, log scale)")
        ax.set_title(f"cation leak {leak * 1000:g} uS/cm2")
    axes[0].set_ylabel("Membrane potential (mV)")
    axes[0].legend(frameon=False, fontsize=8)
    fig.suptitle("Muscle fibre (Wallinga 1999 set), 37 C: steady states vs K (grey: normal)")
    fig.tight_layout()
    fig.savefig(folder / "hypokalaemia_muscle.png", dpi=120)
    plt.close(fig)

    def fmt(values):
        return ", ".join(f"{v:.1f}" for v in values) or "none found"

    print(format_table(
        [[r["leak (mS/cm2)"], r["K_o (mM)"], r["E_K (mV)"], fmt(r["acute (mV)"]), fmt(r["chloride (mV)"]),
          fmt(r["chronic (mV)"]), fmt(r["chronic Na_i (mM)"])] for r in rows],
        ["leak", "K_o", "E_K", "acute", "chloride", "chronic", "chronic Na_i"],
    ))
    fibre = nm.muscle_fibre()
    print("\nNormal plasma (K 4.2 mM), no leak:")
    for mode in modes:
        s = nm.fibre_states(fibre, normal, mode=mode)[0]
        c = s.cytosol
        print(f"  {mode:8s} rest {s.v:.1f} mV; Na_i {c['Na_i']:.1f}, K_i {c['K_i']:.1f}, Cl_i {c['Cl_i']:.2f} mM; "
              f"tubular K {s.y[fibre.state_index['K_t']]:.2f} mM")
    bistable = [r["K_o (mM)"] for r in rows if any(len(r[f"{m} (mV)"]) > 1 for m in modes)]
    print(
        "\nBistable levels (two stable states): " + (", ".join(f"{k:g}" for k in bistable) or "none") + ". "
        "With Cl redistributed the fibre follows E_K and hyperpolarises as K falls; with the published "
        "Wallinga conductances no depolarised second state appears (docs/models/muscle_fibre.md: the model's "
        "resting K conductance is about 40 times the measured one). Verdict on the claim: low K does not make "
        "this fibre hyperexcitable."
    )
    print(f"\nfigures written to {folder.resolve()}")
    return {"rows": rows, "bistable": bistable}


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "hypokalaemia_muscle", argv)


if __name__ == "__main__":
    main()
