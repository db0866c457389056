"""Low potassium and the skeletal-muscle fibre: resting potential vs K_o on three time scales,
both stable branches, and whether the fibre can fire from each.

Popular claim: low potassium causes muscle cramps and spasms.

What the model computes (docs/models/muscle_fibre.md): the steady states of the
default fibre (``nm.muscle_fibre()``: Wallinga et al. 1999 channels, resting densities
calibrated to measured conductances) at 37 C as extracellular K changes, on three time
scales:

* acute (seconds): myoplasmic Na, K, Cl unchanged;
* chloride (minutes): Cl redistributed until no net Cl current flows;
* chronic (hours): Na, K and Cl re-settled under the Na/K pump;

next to the Nernst potential E_K and a constant-field (GHK) curve, with and without the
non-selective cation leak of hypokalaemic periodic paralysis fibres (Jurkat-Rott et al.
2009: 12-19.5 uS/cm2). From every stable state the fibre gets the same 0.5 ms pulse (twice
its threshold in normal plasma); the response is an action potential if the membrane's own
current drives it (``nm.analysis.pulse_response``).

K_o below 0.8 mM is outside what a living person's plasma can hold; those levels are bath
solutions (``Electrolytes.solution``) of the same composition, as in the in-vitro experiments
of Jurkat-Rott et al. The edges of each bistable K_o range are located by bisection.

What it shows: as K falls the fibre first hyperpolarises (less excitable, no spasm); below
about 0.6 mM (Cl redistributed; 0.8 mM after hours) a second, depolarised state near -65 mV
appears, from which the fibre cannot fire (Jurkat-Rott et al. 2009: P2 near -60 mV below
about 1 mM, inexcitable) -- weakness and paralysis, not spasm. The HypoPP leak moves that
state to higher K.

Run: ``python experiments/hypokalaemia_muscle.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import dataclasses
import sys
import warnings

import numpy as np

from neuromuscle.reporting import experiment_main, format_table, output_dir

# mM; below 0.8 (the lowest plasma value accepted) these are bath solutions
K_LEVELS = (0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 4.5, 5.0, 6.0, 8.0, 10.0)
LEAKS = (0.0, 0.012, 0.0195)  # mS/cm2: none, and the HypoPP range (Jurkat-Rott et al. 2009)
MODES = ("acute", "chloride", "chronic")
PULSE_MS = 0.5


def ghk_rest(k_o, fibre, normal):
    """Constant-field potential with P_Na/P_K chosen so that it passes through the fibre's
    rest in normal plasma (Cl passive, so it drops out): the textbook curve to compare with."""
    import neuromuscle as nm
    from neuromuscle.electrochem import ghk_permeability_ratio, ghk_voltage

    par = {n: fibre.parameters[n].value for n in ("Na_i", "K_i")}
    v_rest = nm.fibre_states(fibre, normal, mode="chloride")[0].v
    ratio = ghk_permeability_ratio(v_rest, normal.k, par["K_i"], normal.na, par["Na_i"], normal.celsius)  # P_Na/P_K
    return ratio, [float(ghk_voltage([1.0, ratio], [k, normal.na], [par["K_i"], par["Na_i"]], [1, 1],
                                     normal.celsius)) for k in k_o]


def bath(normal, k):
    """Normal plasma with K_o changed; a bath solution of the same composition below 0.8 mM."""
    import neuromuscle as nm

    if k >= 0.8:
        return dataclasses.replace(normal, k=k, name=f"K {k:g} mM")
    fields = ("na", "cl", "ca", "mg", "hco3", "celsius")
    return nm.Electrolytes.solution(k=k, name=f"K {k:g} mM bath", **{f: getattr(normal, f) for f in fields})


def n_stable(fibre, e, mode):
    import neuromuscle as nm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return sum(s.stable for s in nm.fibre_states(fibre, e, mode=mode))


def bistable_ranges(fibre, normal, levels, counts, mode, n_bisect=6):
    """K_o ranges (mM) with two stable states: each edge found in the grid ``levels`` (stable
    state ``counts`` there) and refined by bisection on log K_o to 1/2**n_bisect of the grid step.
    An edge at the end of the grid is given as that end (the range may go further)."""
    two = [c >= 2 for c in counts]
    ranges = []
    j = 0
    while j < len(levels):
        if not two[j]:
            j += 1
            continue
        start = j
        while j + 1 < len(levels) and two[j + 1]:
            j += 1
        edges = []
        for inside, outside in ((levels[start], levels[start - 1] if start > 0 else None),
                                (levels[j], levels[j + 1] if j + 1 < len(levels) else None)):
            if outside is None:
                edges.append(inside)
                continue
            a, b = np.log(inside), np.log(outside)
            for _ in range(n_bisect):
                mid = 0.5 * (a + b)
                if n_stable(fibre, bath(normal, float(np.exp(mid))), mode) >= 2:
                    a = mid
                else:
                    b = mid
            edges.append(float(np.exp(0.5 * (a + b))))
        ranges.append(tuple(edges))
        j += 1
    return ranges


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import neuromuscle as nm
    from neuromuscle.electrochem import nernst

    folder = output_dir("hypokalaemia_muscle", out)
    normal = nm.Electrolytes.preset("normal")
    levels = (0.5, 1.0, 2.0, 4.0, 8.0) if quick else K_LEVELS
    rows = []
    # one stimulus for every state and leak: twice the threshold of the normal fibre in plasma
    base = nm.fibre_states(nm.muscle_fibre(), normal, mode="acute")[0]
    amplitude = 2.0 * nm.analysis.threshold_current(nm.muscle_fibre(), PULSE_MS, params=base.params,
                                                     post=10.0, tol=1e-2).current
    for leak in LEAKS:
        fibre = nm.muscle_fibre(cation_leak=leak)
        k_i = fibre.parameters["K_i"].value
        for k in levels:
            if show_progress:  # a long run: say where it is
                print(f"leak {leak * 1000:g} uS/cm2, K_o {k:g} mM ...", file=sys.stderr, flush=True)
            e = bath(normal, k)
            row = {"leak (mS/cm2)": leak, "K_o (mM)": k, "E_K (mV)": float(nernst(k, k_i, 1, normal.celsius))}
            for mode in MODES:
                with warnings.catch_warnings():  # "none found" goes into the table instead
                    warnings.simplefilter("ignore", RuntimeWarning)
                    states = [s for s in nm.fibre_states(fibre, e, mode=mode) if s.stable]
                row[f"{mode} (mV)"] = [s.v for s in states]
                if mode == "chloride":  # the minutes-scale states: can the fibre fire from each?
                    row["chloride AP peak (mV)"] = []
                    row["chloride excitable"] = []
                    for s in states:
                        r = nm.analysis.pulse_response(fibre, amplitude, PULSE_MS, params=s.params, y0=s.y)
                        row["chloride AP peak (mV)"].append(r.peak)
                        row["chloride excitable"].append(r.regenerative and r.peak > 0.0)
                if mode == "chronic":
                    row["chronic Na_i (mM)"] = [s.params["Na_i"] for s in states]
            rows.append(row)
    ratio, ghk = ghk_rest(np.array(levels), nm.muscle_fibre(), normal)

    fig, axes = plt.subplots(1, len(LEAKS), figsize=(5.5 * len(LEAKS), 4.2), sharey=True)
    for ax, leak in zip(axes, LEAKS):
        sub = [r for r in rows if r["leak (mS/cm2)"] == leak]
        k = np.array([r["K_o (mM)"] for r in sub])
        ax.semilogx(k, [r["E_K (mV)"] for r in sub], "k--", label="Nernst E_K")
        ax.semilogx(k, ghk, "k:", label=f"GHK, P_Na/P_K {ratio:.3f}")
        for j, mode in enumerate(MODES):
            pts = [(r["K_o (mM)"], v) for r in sub for v in r[f"{mode} (mV)"]]
            if pts:
                ax.semilogx(*zip(*pts), f"C{j}o", ms=4, label=f"stable state, {mode}")
        dead = [(r["K_o (mM)"], v) for r in sub for v, ok in zip(r["chloride (mV)"], r["chloride excitable"])
                if not ok]
        if dead:
            ax.semilogx(*zip(*dead), "kx", ms=9, label="inexcitable (chloride states)")
        ax.axvspan(3.5, 5.0, color="0.9", zorder=0)
        ax.set_xlabel("Extracellular K (mM, log scale)")
        ax.set_title(f"cation leak {leak * 1000:g} uS/cm2")
    axes[0].set_ylabel("Membrane potential (mV)")
    axes[0].legend(frameon=False, fontsize=7)
    fig.suptitle("Muscle fibre, 37 C: steady states vs K (grey: normal plasma)")
    fig.tight_layout()
    fig.savefig(folder / "hypokalaemia_muscle.png", dpi=120)
    plt.close(fig)

    def fmt(values, spec=".1f"):
        return ", ".join(f"{v:{spec}}" for v in values) or "none found"

    print(format_table(
        [[r["leak (mS/cm2)"], r["K_o (mM)"], r["E_K (mV)"], fmt(r["acute (mV)"]), fmt(r["chloride (mV)"]),
          fmt(r["chloride AP peak (mV)"]), fmt(r["chronic (mV)"]), fmt(r["chronic Na_i (mM)"])] for r in rows],
        ["leak", "K_o", "E_K", "acute", "chloride", "AP peak from each", "chronic", "chronic Na_i"],
    ))
    fibre = nm.muscle_fibre()
    print(f"\nStimulus: 2 x threshold in normal plasma, {PULSE_MS} ms. GHK curve: P_Na/P_K = {ratio:.4f} "
          "(through the chloride-mode rest in normal plasma).")
    print("Normal plasma (K 4.2 mM), no leak:")
    for mode in MODES:
        s = nm.fibre_states(fibre, normal, mode=mode)[0]
        c = s.cytosol
        print(f"  {mode:8s} rest {s.v:.1f} mV; Na_i {c['Na_i']:.1f}, K_i {c['K_i']:.1f}, Cl_i {c['Cl_i']:.2f} mM; "
              f"tubular K {s.y[fibre.state_index['K_t']]:.2f} mM")
    bistable = {}
    for leak in LEAKS:
        sub = [r for r in rows if r["leak (mS/cm2)"] == leak]
        fibre = nm.muscle_fibre(cation_leak=leak)
        for mode in ("chloride", "chronic"):
            ranges = bistable_ranges(fibre, normal, [r["K_o (mM)"] for r in sub],
                                     [len(r[f"{mode} (mV)"]) for r in sub], mode, n_bisect=2 if quick else 6)
            bistable[(leak, mode)] = ranges
            lowest = sub[0]["K_o (mM)"]
            text = "; ".join((f"{a:.2f}" if a > lowest else f"{a:g} (lowest tested)") + f" to {b:.2f}"
                             for a, b in ranges) or "none"
            print(f"Bistable K_o range ({mode}), leak {leak * 1000:g} uS/cm2: {text} mM")
    from neuromuscle.claims import decide_lines

    def stuck(leak):  # an inexcitable stable state (Cl redistributed) at clinical K, >= 1.5 mM
        return float(any(not ok for r in rows if r["leak (mS/cm2)"] == leak and r["K_o (mM)"] >= 1.5
                         for ok in r["chloride excitable"]))

    print()
    print("\n".join(decide_lines("potassium", {
        "inexcitable state at K >= 1.5, normal fibre (yes 1 / no 0)": stuck(0.0),
        "inexcitable state at K >= 1.5, HypoPP leak (yes 1 / no 0)": stuck(max(LEAKS))}, ("weakness",))))
    print(f"\nfigures written to {folder.resolve()}")
    return {"rows": rows, "bistable": bistable, "ghk_ratio": ratio}


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "hypokalaemia_muscle", argv)


if __name__ == "__main__":
    main()
