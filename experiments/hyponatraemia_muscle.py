"""Low sodium and the skeletal-muscle fibre: action-potential size, upstroke and failure.

Popular claim: sodium "carries the nerve signal", so low sodium weakens or disturbs muscle.

What the model computes (docs/models/muscle_fibre.md): the default fibre
(``nm.muscle_fibre()``, surface + t-tubule) at rest in a bath whose Na is lowered and
replaced by an impermeant cation (N-methyl-D-glucamine), Cl and every other ion kept, as in
the experiments of Cairns & Renaud (AuPS Proceedings 33:113P, mouse soleus at 25 C: no
change of the resting potential, overshoot +32 mV at 147 mM Na falling to -20 mV at 30 mM;
all fibres excitable down to 60 mM, 19 % and 40 % inexcitable at 40 and 30 mM). Levels
between 110 and 140 mM are clinical hyponatraemia; lower levels are bath solutions.

For each Na level and temperature (37 C and Cairns & Renaud's 25 C) the fibre starts at its
acute rest (myoplasmic ions unchanged: the seconds to minutes of a bath change); its
threshold for a 0.1 ms pulse is found (regenerative criterion: the membrane's own current
drives at least 20 mV of the depolarisation, ``nm.analysis.pulse_response``), and the
response to a fixed pulse of twice the 147 mM threshold (the same at every level, like a
supramaximal field stimulus) is measured. Reported: rest, threshold (none: inexcitable),
peak (overshoot), amplitude, maximal rate of rise and size of the self-driven
depolarisation, half-width, and the tubule's peak. Near the failure level much of a strong
pulse's response is the stimulus itself (small self-driven part): the threshold column
says whether the membrane can still fire.

Run: ``python experiments/hyponatraemia_muscle.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import numpy as np

from neuromuscle.reporting import experiment_main, format_table, output_dir

NA_LEVELS = (147.0, 140.0, 130.0, 120.0, 110.0, 100.0, 80.0, 60.0, 40.0, 30.0, 20.0)  # mM
TEMPERATURES = (37.0, 25.0)  # C: body; the bath of Cairns & Renaud
PULSE_MS = 0.1
DELAY_MS = 1.0
I_MAX = 2e4  # uA/cm2: largest 0.1 ms pulse tried
STIMULUS_X = 2.0  # the fixed stimulus, in multiples of the threshold at 147 mM


def bath(na: float, celsius: float):
    """Normal plasma with Na replaced by an impermeant cation (Cl and the rest unchanged)."""
    import neuromuscle as nm

    n = nm.Electrolytes.preset("normal")
    return nm.Electrolytes.solution(
        na=na, k=n.k, cl=n.cl, ca=n.ca, mg=n.mg, hco3=n.hco3, celsius=celsius, name=f"Na {na:g} mM, {celsius:g} C",
        description="Na replaced by N-methyl-D-glucamine", source="Cairns & Renaud, AuPS Proc 33:113P (protocol)")


def response(fibre, e, amplitude: float) -> dict:
    """Acute rest in ``e``; threshold of a 0.1 ms pulse (regenerative criterion); the
    response to the fixed ``amplitude``."""
    import neuromuscle as nm

    rest = [s for s in nm.fibre_states(fibre, e, mode="acute") if s.stable][0]
    try:
        threshold = nm.analysis.threshold_current(fibre, PULSE_MS, params=rest.params, y0=rest.y, post=10.0,
                                                  tol=1e-2, criterion="regenerative", i_max=I_MAX).current
    except RuntimeError:  # no regenerative response up to I_MAX: inexcitable
        threshold = float("nan")
    r = nm.analysis.pulse_response(fibre, amplitude, PULSE_MS, params=rest.params, y0=rest.y, delay=DELAY_MS)
    return {"rest": rest.v, "threshold": threshold, "peak": r.peak, "amplitude": r.peak - rest.v,
            "width": r.width, "max_ionic_dvdt": r.max_ionic_dvdt, "self_rise": r.self_rise,
            "regenerative": r.regenerative, "u_peak": float(np.max(r.trace["tubular_potential"]))}


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import neuromuscle as nm
    from neuromuscle.electrochem import nernst

    folder = output_dir("hyponatraemia_muscle", out)
    levels = (147.0, 60.0, 30.0) if quick else NA_LEVELS
    temps = (25.0,) if quick else TEMPERATURES
    rows = []
    for celsius in temps:
        fibre = nm.muscle_fibre(bath(147.0, celsius))
        na_i = fibre.parameters["Na_i"].value
        control = [s for s in nm.fibre_states(fibre, mode="acute") if s.stable][0]
        amplitude = STIMULUS_X * nm.analysis.threshold_current(
            fibre, PULSE_MS, params=control.params, y0=control.y, post=10.0, tol=1e-2, criterion="regenerative").current
        for na in levels:
            r = response(fibre, bath(na, celsius), amplitude)
            rows.append({"celsius": celsius, "Na_o (mM)": na, "E_Na (mV)": float(nernst(na, na_i, 1, celsius)),
                         "stimulus (uA/cm2)": amplitude, **r})

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for j, celsius in enumerate(temps):
        sub = [r for r in rows if r["celsius"] == celsius]
        na = [r["Na_o (mM)"] for r in sub]
        axes[0].plot(na, [r["peak"] for r in sub], f"C{j}o-", label=f"peak (overshoot), {celsius:g} C")
        axes[0].plot(na, [r["E_Na (mV)"] for r in sub], f"C{j}:", label=f"E_Na, {celsius:g} C")
        axes[1].plot(na, [r["max_ionic_dvdt"] for r in sub], f"C{j}o-", label=f"{celsius:g} C")
    axes[0].plot([147.0, 30.0], [32.0, -20.0], "ks", label="Cairns & Renaud, mouse soleus 25 C")
    axes[0].axhline(0.0, color="0.7", lw=0.8)
    axes[0].set_xlabel("Extracellular Na (mM)")
    axes[0].set_ylabel("mV")
    axes[0].legend(frameon=False, fontsize=8)
    axes[1].set_xlabel("Extracellular Na (mM)")
    axes[1].set_ylabel("Maximal rate of rise, ionic (V/s)")
    axes[1].legend(frameon=False, fontsize=8)
    fig.suptitle("Muscle fibre: action potential vs extracellular Na (Na replaced by NMDG)")
    fig.tight_layout()
    fig.savefig(folder / "hyponatraemia_muscle.png", dpi=120)
    plt.close(fig)

    print(format_table(
        [[r["celsius"], r["Na_o (mM)"], r["E_Na (mV)"], r["rest"], r["threshold"], r["peak"], r["amplitude"],
          r["max_ionic_dvdt"], r["self_rise"], r["width"], r["u_peak"]] for r in rows],
        ["T (C)", "Na_o (mM)", "E_Na (mV)", "rest (mV)", "threshold (uA/cm2)", "peak (mV)", "amplitude (mV)",
         "dV/dt max (V/s)", "self-driven (mV)", "width (ms)", "tubule peak (mV)"],
    ))
    failing = {c: [r["Na_o (mM)"] for r in rows if r["celsius"] == c and not np.isfinite(r["threshold"])]
               for c in temps}
    for c in temps:
        amp = next(r["stimulus (uA/cm2)"] for r in rows if r["celsius"] == c)
        print(f"{c:g} C: measures are the response to {amp:.0f} uA/cm2 x {PULSE_MS} ms ({STIMULUS_X:g} x threshold at "
              f"147 mM); inexcitable (no action potential for any pulse up to {I_MAX:g} uA/cm2) "
              + (f"at Na {', '.join(f'{x:g}' for x in failing[c])} mM" if failing[c] else "at none of the Na levels"))
    from neuromuscle.claims import context, decide_lines
    from neuromuscle.claims import measures as cm

    # the claim's own conditions: the clinical presets (not the NMDG baths above)
    ctx = context(quick)
    ref, low = cm.ec(ctx, "normal"), cm.ec(ctx, "Na 118", nm.Electrolytes.preset("hyponatraemia_severe"))
    print("\n".join(decide_lines("sodium", {"twitch change, Na 118 (%)": cm.pct(low["twitch"], ref["twitch"])},
                                 ("weakness",))))
    print(f"\nfigures written to {folder.resolve()}")
    return {"rows": rows, "failing": failing}


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "hyponatraemia_muscle", argv)


if __name__ == "__main__":
    main()
