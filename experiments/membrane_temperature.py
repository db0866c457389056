"""The muscle fibre's action potential, refractory period and train following against
temperature, and against the temperature at which Wallinga's gating rates are taken to apply.

Model: ``nm.muscle_fibre()`` (docs/models/muscle_fibre.md), the membrane that drives
EC coupling in ``nm.muscle_ec()``. Its Na and K gating rates scale with Q10 2.3 and 2.5 from a
reference temperature that the sources do not settle: the model takes 37 C; Shorten et al.'s
CellML runs the same rates at 293 K and Senneff & Lowery's MATLAB code scales them from
20 C. The model's 16 C Ca transient misses Baylor & Hollingworth 2003 because its AP is long
there (experiments/ec_sensitivity.py), so this script asks what measured excitability says
about that reference. Rows other than 37 C are counterfactuals, not the model: 20 C is the
other published reading; 25 and 30 C are in between and have no source.

For each reference and each temperature (16 C: Baylor & Hollingworth's; 25 C: Cairns &
Renaud's; 35 C: the human refractory-period data) the script reports, at 0.5 ms pulses:

* the threshold, and the AP (2 x threshold): peak, half-width, and how much of its rise the
  membrane's own currents drive (``analysis.pulse_response``; near zero means the pulse
  alone carried the potential up, and no refractory period can be timed: NaN);
* the Na channels available at rest (fast times slow inactivation gate, surface);
* the paired-pulse refractory period (``analysis.refractory_period``) at 1.5 and 2 x
  threshold; the published absolute refractory period is reached once the test stimulus is
  about 1.5 x threshold;
* the APs fired by trains at 2 x threshold: at 16 C five shocks at 67 Hz; at 25 C 200 ms at
  50 and at 125 Hz; at 35 C 200 ms at 100 Hz.

Published numbers (read in abstracts; docs/research/calcium_atp.md 5.3):

* absolute refractory period of human muscle fibres stimulated directly, 34-36.5 C: 2.2-3.1 ms
  in one group of fibre bundles, 3.4-4.6 ms in another ("Refractory period of human muscle
  after the passage of a propagated action potential"; authors not shown in the stored page);
  human thenar muscle fibres: mostly 2.5-3.0 ms (Kopec, Delbeke & McComas 1978 J Neurol
  Neurosurg Psychiatry 41:54; temperature not stated);
* mouse fast-twitch fibres follow a five-shock 67 Hz train at 16 C (Baylor & Hollingworth
  2007 J Gen Physiol 130:283);
* mouse soleus fibres fire an AP on every stimulus of 2 s trains at 50 and 125 Hz at 25 C
  (Cairns & Renaud, Proc Aust Physiol Soc 33:113P; slow-twitch fibres).

Run: ``python experiments/membrane_temperature.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from neuromuscle.models.muscle_fibre import GATING_RATE_REFERENCES
from neuromuscle.reporting import experiment_main, format_table, output_dir

PULSE_MS = 0.5
#: temperature (C) at which the Na and K gating rates are taken to apply: the model's, then
#: the other published reading, then two values in between (no source)
REFERENCES = (37.0, 20.0, 25.0, 30.0)
QUICK_REFERENCES = (37.0, 20.0)
TEMPERATURES = (16.0, 25.0, 35.0)
#: trains per temperature: (frequency Hz, number of stimuli)
TRAINS = {16.0: ((67.0, 5),), 25.0: ((50.0, 10), (125.0, 25)), 35.0: ((100.0, 20),)}
QUICK_TRAINS = {16.0: ((67.0, 5),), 25.0: ((125.0, 10),), 35.0: ((100.0, 10),)}
AP_DELAY_MS = 5.0  # rest before the single-AP pulse
MULTIPLES = (1.5, 2.0)  # refractory period stimulus, x threshold
MIN_RISE_MV = 20.0  # membrane-driven rise that makes a response an AP (analysis.pulse_response default)
#: published absolute refractory period of human muscle fibres, 34-36.5 C, ms (two groups)
HUMAN_RP_MS = ((2.2, 3.1), (3.4, 4.6))


def fibre(celsius: float, rates_at: float):
    """The default fibre at ``celsius`` with its gating rates referred to ``rates_at`` C."""
    import neuromuscle as nm

    model = nm.muscle_fibre(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=celsius))
    return model.with_parameters(**{n.replace(".", "__"): rates_at for n in GATING_RATE_REFERENCES})


def measure(model, trains) -> dict:
    """Threshold, AP, Na availability, refractory periods and train following of ``model``."""
    import neuromuscle as nm
    from neuromuscle.analysis import (
        pulse_response,
        refractory_period,
        resting_state,
        threshold_current,
        transient_metrics,
    )
    from neuromuscle.protocols import PulseTrain

    y0 = resting_state(model).y
    i = model.state_index
    thr = threshold_current(model, PULSE_MS, y0=y0, post=10.0, tol=1e-3).current
    response = pulse_response(model, 2.0 * thr, PULSE_MS, y0=y0, delay=AP_DELAY_MS)
    run = response.trace
    ap = transient_metrics(np.asarray(run["t"]), np.asarray(run["membrane_potential"]), t_start=AP_DELAY_MS)
    row = {"threshold (uA/cm2)": thr, "AP peak (mV)": ap.peak, "AP half-width (ms)": ap.fdhm,
           "AP rise by the membrane, 2x (mV)": response.self_rise,
           "Na available at rest": float(y0[i["na.h"]] * y0[i["na.S"]])}
    for k in MULTIPLES:
        try:
            rp = refractory_period(model, k * thr, PULSE_MS, y0=y0, tol=0.01, max_interval=150.0).interval
        except ValueError:  # the pulse alone carries the membrane past 0 mV: no regenerative AP to time
            rp = float("nan")
        row[f"refractory period {k:g}x (ms)"] = rp
    for f_hz, n in trains:
        if row["AP rise by the membrane, 2x (mV)"] < MIN_RISE_MV:
            # the pulse alone crosses 0 mV: a count of crossings would not be a count of APs
            row[f"{f_hz:g} Hz: APs / stimuli"] = "no regenerative AP"
            continue
        t_end = 5.0 + n * 1000.0 / f_hz + 10.0
        r = nm.simulate(model, PulseTrain(2.0 * thr, 5.0, PULSE_MS, f_hz, n), t_end, y0=y0)
        row[f"{f_hz:g} Hz: APs / stimuli"] = f"{len(r.spike_times)}/{n}"
    return row


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from neuromuscle.studies import progress

    folder = output_dir("membrane_temperature", out)
    refs = QUICK_REFERENCES if quick else REFERENCES
    trains = QUICK_TRAINS if quick else TRAINS
    cases = [(r, c) for r in refs for c in TEMPERATURES]
    results: dict = {r: {} for r in refs}
    for rates_at, celsius in progress(cases, "fibres", show_progress):
        results[rates_at][celsius] = measure(fibre(celsius, rates_at), trains[celsius])

    for celsius in TEMPERATURES:
        keys = list(results[refs[0]][celsius])
        rows = []
        for key in keys:
            rows.append([key] + [results[r][celsius][key] for r in refs])
        print(f"\n{celsius:g} C: columns = temperature at which the gating rates apply "
              f"({refs[0]:g} C is the model)")
        print(format_table(rows, ["measure"] + [f"rates at {r:g} C" for r in refs]))
    lo, hi = HUMAN_RP_MS[0][0], HUMAN_RP_MS[1][1]
    print(f"\nPublished: absolute refractory period {HUMAN_RP_MS[0][0]}-{HUMAN_RP_MS[0][1]} and "
          f"{HUMAN_RP_MS[1][0]}-{HUMAN_RP_MS[1][1]} ms (human fibres, 34-36.5 C); fibres follow 67 Hz at 16 C "
          "(mouse fast-twitch) and 50 and 125 Hz at 25 C (mouse soleus).")

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for r in refs:
        style = "-o" if r == refs[0] else "--o"
        label = f"rates at {r:g} C" + (" (model)" if r == refs[0] else "")
        axes[0].plot(TEMPERATURES, [results[r][c]["AP half-width (ms)"] for c in TEMPERATURES], style, label=label)
        axes[1].plot(TEMPERATURES, [results[r][c]["refractory period 1.5x (ms)"] for c in TEMPERATURES], style,
                     label=label)
    axes[1].fill_between([34.0, 36.5], lo, hi, color="0.85", label="human fibres, 34-36.5 C")
    axes[0].set_ylabel("AP half-width, ms (2 x threshold)")
    axes[1].set_ylabel("refractory period, ms (1.5 x threshold)")
    for ax in axes:
        ax.set_xlabel("temperature, C")
        ax.set_yscale("log")
        ax.legend(fontsize=8)
    fig.suptitle("Muscle fibre: where the gating rates' reference temperature matters")
    fig.tight_layout()
    fig.savefig(folder / "membrane_temperature.png", dpi=120)
    plt.close(fig)
    print(f"\nfigures written to {folder.resolve()}")
    return results


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "membrane_temperature", argv)


if __name__ == "__main__":
    main()
