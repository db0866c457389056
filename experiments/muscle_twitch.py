"""Ca transient, twitch and tetanus of the fibre with excitation-contraction coupling, and
what the resting fibre spends in ATP.

Model: ``nm.muscle_ec()`` (issue 5; docs/models/ec_coupling.md): the two-compartment fibre
(Wallinga-lineage membrane with calibrated resting densities), the Stern-Rios DHPR-RyR1
release channel driven by the t-tubular potential, and the Shorten et al. (2007) Ca system
with troponin, Razumova crossbridges and an ATP budget. The membrane follows the
temperature through its Q10s; the Ca system's rate constants are Shorten's, unscaled.

For each temperature the script finds the resting state, stimulates at twice the
threshold (0.5 ms pulses), and reports:

* rest: free Ca, ATP use and who uses it, ADP, PCr, Pi;
* one action potential: peak of the spatially averaged free-Ca rise and its full duration at
  half maximum (FDHM), the peak release flux, the tubular potential's peak, and the twitch
  (force-bearing bridges per regulatory unit): peak, time to peak, half-relaxation time;
* trains (300 ms) at several frequencies: peak force, fusion index, and the twitch/tetanus
  ratio.

Validation targets (docs/research/calcium_atp.md 3): Baylor & Hollingworth 2003 (J Physiol
551:125), mouse fast-twitch fibres at 16 C: peak Delta[Ca] 18.5 +/- 0.5 uM, FDHM 4.9 +/- 0.3
ms; Baylor & Hollingworth 2007 (J Gen Physiol 130:283): peak release flux 200-225 uM/ms, FDHM
1.6 ms at 16 C; resting ATP turnover of human muscle 0.0079 mM/s (Schmid et al., ISMRM 2011,
from the PCr fall in ischaemia); resting free Ca of mammalian fibres well below 0.1 uM.

Run: ``python experiments/muscle_twitch.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from neuromuscle.reporting import experiment_main, format_table, output_dir

PULSE_MS = 0.5
TRAIN_MS = 300.0


def resting_budget(model, y) -> dict:
    """Resting Ca, ATP use (mM/s) by consumer, and metabolites of the bulk compartment."""
    p = model.parameter_vector()
    obs = model.observables(0.0, y, p)
    i = model.state_index
    v = {k: model.parameters[f"sr.{k}"].value for k in ("L_x", "R", "frac_myo", "frac_1")}
    from neuromuscle.components.ec_coupling import SRCalcium

    v1, v2 = SRCalcium.precompute(**v)[:2]
    serca = 0.5 * float(obs["sr.J_up"])  # mM/ms per myoplasm volume
    pump = float(obs["J_ATP_NaK"])
    total = float(obs["sr.J_ATP"])
    return {
        "Ca (uM)": 1e3 * float(obs["Ca_cyt"]),
        "ATP use (mM/s)": 1e3 * total,
        "SERCA (mM/s)": 1e3 * serca,
        "Na/K pump (mM/s)": 1e3 * pump,
        "myosin (mM/s)": 1e3 * (total - serca - pump),
        "ADP (uM)": 1e3 * y[i["sr.ADP_2"]],
        "PCr (mM)": y[i["sr.PCr_2"]],
        "Pi (mM)": y[i["sr.Pi_2"]],
        "free Mg (mM)": y[i["sr.Mg_2"]],
        "SR free Ca (mM)": y[i["sr.CaSR_2"]],
    }


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import neuromuscle as nm
    from neuromuscle.analysis import fusion_index, transient_metrics

    folder = output_dir("muscle_twitch", out)
    temps = (16.0, 37.0)
    freqs = (20.0, 100.0) if quick else (10.0, 20.0, 40.0, 60.0, 100.0, 150.0)
    results = {}
    fig, axes = plt.subplots(2, len(temps), figsize=(5.5 * len(temps), 6.5), squeeze=False)
    for col, celsius in enumerate(temps):
        e = dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=celsius)
        model = nm.muscle_ec(e)
        rest = nm.analysis.resting_state(model)
        budget = resting_budget(model, rest.y)
        fibre_y0 = rest.y[[model.state_index[n] for n in model.fibre.state_names]]
        amp = 2.0 * nm.analysis.threshold_current(model.fibre, PULSE_MS, y0=fibre_y0, post=10.0, tol=1e-2).current
        tic = time.perf_counter()
        twitch = nm.simulate(model, nm.Pulse(amp, 5.0, PULSE_MS), 200.0 if quick else 400.0, y0=rest.y,
                             rtol=1e-7, atol=1e-10)
        twitch_s = time.perf_counter() - tic
        t = np.asarray(twitch["t"])
        ca = 1e3 * np.asarray(twitch["Ca_cyt"])  # uM
        force = np.asarray(twitch["sr.F_rel"])
        m_ca = transient_metrics(t, ca, t_start=5.0)
        m_rel = transient_metrics(t, 1e3 * np.asarray(twitch["sr.J_rel"]), t_start=5.0)  # uM/ms
        m_f = transient_metrics(t, force, t_start=5.0)
        row = {
            "celsius": celsius, "rest": budget, "stimulus (uA/cm2)": amp,
            "V peak (mV)": float(np.max(twitch["V"])), "u peak (mV)": float(np.max(twitch["u"])),
            "dCa peak (uM)": m_ca.amplitude, "Ca FDHM (ms)": m_ca.fdhm,
            "release peak (uM/ms)": m_rel.amplitude, "release FDHM (ms)": m_rel.fdhm,
            "twitch peak": m_f.amplitude, "twitch time to peak (ms)": m_f.time_to_peak,
            "twitch half-relaxation (ms)": m_f.half_relaxation, "twitch sim (s)": twitch_s,
            "trains": {},
        }
        axes[0, col].plot(t, ca, label="free Ca (uM)")
        axes[0, col].plot(t, m_f.peak and force / max(m_f.peak, 1e-12) * m_ca.peak, label="force (scaled)")
        axes[0, col].set_xlim(0, 60)
        axes[0, col].set_title(f"{celsius:g} C: one action potential")
        axes[0, col].set_xlabel("ms")
        axes[0, col].legend(frameon=False, fontsize=8)
        for f_hz in freqs:
            n = max(1, int(round(TRAIN_MS * f_hz / 1000.0)))
            train = nm.simulate(model, nm.PulseTrain(amp, 5.0, PULSE_MS, f_hz, n), 5.0 + TRAIN_MS + 100.0,
                                y0=rest.y, rtol=1e-7, atol=1e-10)
            tt = np.asarray(train["t"])
            ff = np.asarray(train["sr.F_rel"])
            base = float(ff[0])
            row["trains"][f_hz] = {
                "peak": float(ff.max()) - base,
                "fusion": fusion_index(tt, ff, t_stop=5.0 + (n - 0.5) * 1000.0 / f_hz, interval_ms=1000.0 / f_hz,
                                       baseline=base) if n > 1 else float("nan"),
            }
            axes[1, col].plot(tt, ff, label=f"{f_hz:g} Hz")
        best = max(v["peak"] for v in row["trains"].values())
        row["twitch/tetanus"] = row["twitch peak"] / best if best > 0 else float("nan")
        axes[1, col].set_title(f"{celsius:g} C: {TRAIN_MS:g} ms trains (force-bearing bridges / RU)")
        axes[1, col].set_xlabel("ms")
        axes[1, col].legend(frameon=False, fontsize=7)
        results[celsius] = row
        if show_progress:
            print(f"{celsius:g} C done", flush=True)
    fig.tight_layout()
    fig.savefig(folder / "muscle_twitch.png", dpi=120)
    plt.close(fig)

    print("\nResting state (bulk myoplasm):")
    keys = list(results[temps[0]]["rest"])
    print(format_table([[k] + [results[c]["rest"][k] for c in temps] for k in keys],
                       ["quantity"] + [f"{c:g} C" for c in temps]))
    print("\nOne action potential:")
    keys = ["stimulus (uA/cm2)", "V peak (mV)", "u peak (mV)", "dCa peak (uM)", "Ca FDHM (ms)",
            "release peak (uM/ms)", "release FDHM (ms)", "twitch peak", "twitch time to peak (ms)",
            "twitch half-relaxation (ms)", "twitch/tetanus", "twitch sim (s)"]
    print(format_table([[k] + [results[c][k] for c in temps] for k in keys],
                       ["quantity"] + [f"{c:g} C" for c in temps]))
    print("\nTrains (300 ms): peak force above rest / fusion index:")
    print(format_table([[f] + [f"{results[c]['trains'][f]['peak']:.4f} / {results[c]['trains'][f]['fusion']:.2f}"
                                for c in temps] for f in freqs], ["Hz"] + [f"{c:g} C" for c in temps]))
    print("\nBaylor & Hollingworth 2003 (mouse fast-twitch, 16 C): dCa 18.5 uM, FDHM 4.9 ms; "
          "2007: release 200-225 uM/ms, FDHM 1.6 ms. Resting ATP turnover measured: 0.0079 mM/s (human).")
    print(f"\nfigures written to {folder.resolve()}")
    return results


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "muscle_twitch", argv)


if __name__ == "__main__":
    main()
