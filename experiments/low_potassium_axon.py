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
  (leak P_Na/P_K = 0.018);
* the myelinated axon (``motor_axon_myelinated``, 21 nodes): its rest followed down in K
  from 5.5 mM and back up again, each rest started from the previous one, with the open
  fraction of the stimulated node's slow K gate at rest and the time constant of the
  slowest mode. Below about 2.7 mM the rest falls steeply towards E_K and, in a narrow
  range, depends on the way there: the MRG 2002 slow K gate (kept by Gaines et al. 2018)
  opens again below about -92 mV, because its closing rate falls with a 1 mV slope faster
  than its opening rate, and its time constant there is tens of seconds.

Run: ``python experiments/low_potassium_axon.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import numpy as np

from neuromuscle.electrochem import ghk_voltage
from neuromuscle.reporting import (
    docs_tables_folder,
    experiment_main,
    format_table,
    markdown_records,
    output_dir,
    write_table_page,
)
from neuromuscle.studies import axon_electrolyte_series, column

K_RANGE = (5.5, 1.5)  # mM
#: K levels (mM) at which the myelinated axon's rest is followed, down and back up: fine
#: where the rest changes branch (2-3 mM).
MYELINATED_K = np.round(np.concatenate([np.arange(5.5, 3.0, -0.5), np.arange(3.0, 1.95, -0.1), [1.5]]), 2)
MYELINATED_K_QUICK = np.array([3.0, 2.6, 2.4, 2.0])  # levels of the full grid too


def myelinated_series(levels, show_progress: bool = True) -> list[dict]:
    """The 21-node myelinated axon's rest at each K of ``levels`` (mM, normal plasma
    otherwise), followed from the first level to the last and back: each rest is found by
    :func:`~neuromuscle.models.myelinated_axon.cable_rest_state` started from the previous
    one, so two branches of rests show up as two values at one K."""
    from neuromuscle.electrolytes import Electrolytes
    from neuromuscle.models.myelinated_axon import cable_rest_state, cable_slowest_modes, motor_axon_myelinated
    from neuromuscle.studies import progress

    normal = Electrolytes.preset("normal")
    levels = [float(k) for k in levels]
    path = [("down", k) for k in levels] + [("up", k) for k in levels[::-1][1:]]
    rows, y = [], None
    for direction, k in progress(path, "myelinated axon rest", show_progress):
        model = motor_axon_myelinated(normal.replace(k=k))
        p = model.parameter_vector()
        y = cable_rest_state(model, p, y0=y) if y is not None else cable_rest_state(model, p)
        if y is None:  # no rest reached from the previous one: start again from uniform V
            y = cable_rest_state(model, p)
        if y is None:
            rows.append({"K (mM)": k, "direction": direction, "rest (mV)": float("nan"),
                         "E_K (mV)": float("nan"), "slow K open at rest": float("nan"),
                         "slowest mode (s)": float("nan"), "stable": False})
            continue
        node = len(model.node_compartments) // 2  # the default stimulated node
        comp = int(model.node_compartments[node])
        obs = model.observables(0.0, y, p)
        modes = cable_slowest_modes(model, y, p)
        lead = float(np.max(modes.real))
        rows.append({"K (mM)": k, "direction": direction,
                     "rest (mV)": float(y[model.state_index[f"V_node{node}"]]),
                     "E_K (mV)": float(np.max(obs["E_K"])),
                     "slow K open at rest": float(y[model.state_index[f"ks.s[{comp}]"]]),
                     "slowest mode (s)": (-1e-3 / lead) if lead < 0 else float("nan"),
                     "stable": bool(lead < 0)})
    return rows


def branch_summary(rows: list[dict], tol: float = 0.05) -> dict:
    """Where the rests followed down and up differ by more than ``tol`` mV (two stable
    branches), and the steepest fall of the rest between neighbouring levels (mV per mM)."""
    down = {r["K (mM)"]: r["rest (mV)"] for r in rows if r["direction"] == "down"}
    up = {r["K (mM)"]: r["rest (mV)"] for r in rows if r["direction"] == "up"}
    two = sorted(k for k in down if k in up and abs(down[k] - up[k]) > tol)
    ks = sorted(down)
    slopes = [(down[b] - down[a]) / (b - a) for a, b in zip(ks[:-1], ks[1:])]
    i = int(np.argmax(slopes)) if slopes else 0
    return {"K with two rests (mM)": two,
            "steepest rest slope (mV/mM)": float(slopes[i]) if slopes else float("nan"),
            "steepest between (mM)": [ks[i], ks[i + 1]] if slopes else []}


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

    cable = myelinated_series(MYELINATED_K_QUICK if quick else MYELINATED_K, show_progress)
    branches = branch_summary(cable)

    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    axes[0].semilogx(k, column(rows, "E_K (mV)"), "k--", label="Nernst E_K (node)")
    axes[0].semilogx(k, ghk, "C1-", label="GHK (K, Na; node)")
    axes[0].semilogx(k, column(rows, "rest (mV)"), "C0o-", label="single node rest")
    for direction, style in (("down", "C2v-"), ("up", "C3^:")):
        part = [r for r in cable if r["direction"] == direction]
        axes[0].semilogx([r["K (mM)"] for r in part], [r["rest (mV)"] for r in part], style, ms=4,
                         label=f"myelinated axon, K {'lowered' if direction == 'down' else 'raised'}")
        axes[2].plot([r["K (mM)"] for r in part], [r["slow K open at rest"] for r in part], style, ms=4,
                     label=f"K {'lowered' if direction == 'down' else 'raised'}")
    axes[2].set_xlabel("Extracellular K (mM)")
    axes[2].set_ylabel("Slow K open fraction at rest (stimulated node)")
    axes[2].set_title("Myelinated axon (21 nodes)")
    axes[2].legend(frameon=False)
    axes[2].axvspan(3.5, 5.0, color="0.9", zorder=0)
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
    fig.suptitle("Motor axon, 37 C: lowering K hyperpolarises and raises threshold (grey: normal)")
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
    print("\nMyelinated axon (21 nodes), rest followed down in K and back up:")
    print(format_table([[r["K (mM)"], r["direction"], r["E_K (mV)"], r["rest (mV)"], r["slow K open at rest"],
                         r["slowest mode (s)"], "yes" if r["stable"] else "no"] for r in cable],
                       ["K (mM)", "path", "E_K", "rest", "slow K open", "slowest mode (s)", "stable"]))
    two = branches["K with two rests (mM)"]
    a, b = branches["steepest between (mM)"] or (float("nan"), float("nan"))
    print(f"\nThe myelinated axon's rest falls most steeply between {a:g} and {b:g} mM K "
          f"({branches['steepest rest slope (mV/mM)']:.1f} mV per mM); "
          + (f"two stable rests (the way there decides) at K {', '.join(f'{x:g}' for x in two)} mM."
             if two else "one rest at every K followed."))
    write_table_page(markdown(cable, branches), folder, "low_potassium_axon_myelinated",
                     docs_folder=docs_tables_folder(quick, out))
    from neuromuscle.claims import context, decide_lines
    from neuromuscle.claims import measures as cm
    from neuromuscle.electrolytes import Electrolytes

    ctx = context(quick)
    low, ref = cm.axon(ctx, Electrolytes.preset("hypokalaemia_severe")), cm.axon(ctx, Electrolytes.preset("normal"))
    thr = "threshold 0.1 ms (uA/cm2)"
    print("\n".join(decide_lines("potassium", {"axon threshold change, K 2.3 (%)": cm.pct(low[thr], ref[thr])},
                                 ("signalling",))))
    print(f"\nfigures written to {folder.resolve()}")
    return {"rows": rows, "slope_model": slope_model, "slope_nernst": slope_nernst, "threshold_rise": rise,
            "myelinated": cable, "myelinated_branches": branches}


def markdown(cable: list[dict], branches: dict) -> str:
    """The docs table of the myelinated axon's rest against K, from the experiment's rows."""
    two = branches["K with two rests (mM)"]
    rows = [{**r, "stable": r["stable"]} for r in cable]
    return ("<!-- written by experiments/low_potassium_axon.py; do not edit -->\n\n"
            "Myelinated axon (21 nodes, normal plasma otherwise, 37 C), rest at the stimulated node "
            "followed down in K and back up, each rest started from the previous one:\n\n"
            + markdown_records(rows, {"K (mM)": "K (mM)", "path": "direction", "E_K (mV)": "E_K (mV)",
                                      "rest (mV)": "rest (mV)", "slow K open at rest": "slow K open at rest",
                                      "slowest mode (s)": "slowest mode (s)", "stable": "stable"})
            + "\n\nTwo stable rests at K "
            + (", ".join(f"{x:g}" for x in two) + " mM" if two else "none of the levels")
            + f"; steepest fall {branches['steepest rest slope (mV/mM)']:.3g} mV per mM, between "
            + " and ".join(f"{x:g}" for x in branches["steepest between (mM)"]) + " mM.\n")


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "low_potassium_axon", argv)


if __name__ == "__main__":
    main()
