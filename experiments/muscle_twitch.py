"""Ca transient, twitch and tetanus of the fibre with excitation-contraction coupling, and
what the resting fibre spends in ATP.

Model: ``nm.muscle_ec()`` (docs/models/ec_coupling.md): the two-compartment fibre
(Wallinga-lineage membrane with calibrated resting densities), the Stern-Rios DHPR-RyR1
release channel driven by the t-tubular potential, and the Shorten et al. (2007) Ca system
with the cooperative thin filament carrying Shorten's crossbridges, and an ATP budget. The membrane follows the
temperature through its Q10s; the Ca system's rates apply at 16 C and scale by theirs.

For each temperature the script finds the resting state, stimulates at twice the
threshold (0.5 ms pulses), and reports:

* rest: free Ca, ATP use and who uses it, ADP, PCr, Pi;
* one action potential: peak of the spatially averaged free-Ca rise and its full duration at
  half maximum (FDHM), the peak release flux, the tubular potential's peak, and the twitch
  (force-bearing bridges per regulatory unit): peak, time to peak, half-relaxation time;
* trains (300 ms) at several frequencies: peak force, fusion index, APs fired, the twitch/tetanus
  ratio and the fusion frequency (fusion index 0.9, over the trains the fibre follows);
* at 16 C, Baylor & Hollingworth 2007's protocols: the second of two releases 50, 150 and
  300 ms apart, and a five-shock 67 Hz train (APs fired, release of APs 2-5 relative to the
  first) at 2 x threshold and at 5 x, which the fibre needs to follow 67 Hz;
* the thin filament's steady-state Ca-force relation (maximal force, Ca50, Hill coefficient;
  ``calcium_force_relation``, the analogue of a skinned-fibre force-pCa curve) and the twitch
  and the largest train as fractions of that maximum (figure ``calcium_force.png``);
* at 16 C, the same with the Na channel's fast gates at the native speed
  (``sodium=NativeSodium``): one AP and trains.

The numbers are written to ``muscle_twitch.json`` beside the figures; a full run into the
default folder also writes ``docs/models/data/muscle_twitch.md`` (the EC page's "Measured"
table, rendered from the same data).

Validation targets (docs/research/calcium_atp.md 3): Baylor & Hollingworth 2003 (J Physiol
551:125), mouse fast-twitch fibres at 16 C: peak Delta[Ca] 18.5 +/- 0.5 uM, FDHM 4.9 +/- 0.3
ms; Baylor & Hollingworth 2007 (J Gen Physiol 130:283): peak release flux 200-225 uM/ms, FDHM
1.6 ms at 16 C; resting ATP turnover of human muscle 0.0079 mM/s (Schmid et al., ISMRM 2011,
from the PCr fall in ischaemia); resting free Ca of mammalian fibres well below 0.1 uM.

Run: ``python experiments/muscle_twitch.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time

import numpy as np

from neuromuscle.reporting import docs_tables_folder, experiment_main, format_table, output_dir, write_table_page
from neuromuscle.reporting import markdown_number as _g

PULSE_MS = 0.5
TRAIN_MS = 300.0
RECOVERY_MS = (50.0, 150.0, 300.0)  # two-AP intervals
TRAIN67_STIMULI = (2.0, 5.0)  # multiples of the threshold for the 67 Hz train

#: The published column of the docs table: comparison only, nothing here is used by the model.
PUBLISHED = {
    "resting free Ca, uM": "well below 0.1 (no verified mouse value found)",
    "resting ATP use, mM/s (SERCA share)": "0.0079 (human, Schmid et al. 2011); SERCA 40-50 % of resting metabolism, "
                                           "mouse EDL at 30 C (Smith et al. 2013 PLoS One 8:e68924)",
    "resting ADP, uM / PCr, mM / Pi, mM": "8 / 32 / 0.8 (Kushmerick 1992)",
    "resting free SR Ca, mM": "0.31-0.39 (Royer et al. 2010; Ziman et al. 2010)",
    "peak Delta[Ca], uM (spatial average)": "18.5 +/- 0.5 at 16 C (Baylor & Hollingworth 2003)",
    "Ca FDHM, ms": "4.9 +/- 0.3 at 16 C (same)",
    "peak release flux, uM/ms": "200-225 at 16 C (Baylor & Hollingworth 2007)",
    "release FDHM, ms": "1.6 at 16 C (same)",
    "Ca released per AP, uM": "about 230 (Posterino & Lamb 2003); about 200 (Royer et al. 2010)",
    "second release 50 / 150 / 300 ms after the first": "0.41 / 0.72 / 0.90 from Baylor & Hollingworth 2007",
    "twitch time to peak / half-relaxation, ms": "7-14 / 6-15 at 35 C, mouse FDB (Lännergren & Westerblad 1987)",
    "twitch/tetanus (largest 300 ms train)": "see \"What remains off\"",
    "fusion frequency (fusion index 0.9, trains followed)": "about 100 Hz for maximal force in single intact fibres "
                                                            "(Sci Rep 2023)",
    "steady-state Ca-force: maximum (bridges / unit), Ca50, Hill coefficient": "fitted: pCa50 5.8, nH 4.0 "
                                                                               "(below)",
}
#: Quantities the release calibration (``experiments/calibrate_release.py``) was fitted to, at 16 C.
CALIBRATED_16C = ("peak release flux, uM/ms", "release FDHM, ms", "second release at 50 ms")


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import neuromuscle as nm
    from neuromuscle.studies import calcium_force_relation, contraction_study, release_per_action_potential

    folder = output_dir("muscle_twitch", out)
    temps = (16.0, 37.0)
    freqs = (20.0, 100.0) if quick else (10.0, 20.0, 40.0, 60.0, 100.0, 150.0)
    results, ca_force = {}, {}
    fig, axes = plt.subplots(2, len(temps), figsize=(5.5 * len(temps), 6.5), squeeze=False)
    for col, celsius in enumerate(temps):
        model = nm.muscle_ec(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=celsius))
        tic = time.perf_counter()
        c = contraction_study(model, pulse_ms=PULSE_MS, frequencies=freqs, train_ms=TRAIN_MS,
                              after_ms=100.0 if quick else 200.0)
        twitch = c.records["twitch"]
        t = np.asarray(twitch["t"])
        row = {
            "celsius": celsius, "rest": c.rest, "stimulus (uA/cm2)": c.stimulus,
            "V peak (mV)": float(np.max(twitch["membrane_potential"])),
            "u peak (mV)": float(np.max(twitch["tubular_potential"])),
            "dCa peak (uM)": c.calcium.amplitude, "Ca FDHM (ms)": c.calcium.fdhm,
            "release peak (uM/ms)": c.release.amplitude, "release FDHM (ms)": c.release.fdhm,
            "twitch peak": c.twitch.amplitude, "twitch time to peak (ms)": c.twitch.time_to_peak,
            "twitch half-relaxation (ms)": c.twitch.half_relaxation, "twitch/tetanus": c.twitch_tetanus,
            "fusion frequency, 90 % (Hz)": c.fusion_frequency(0.9),
            "study (s)": time.perf_counter() - tic, "trains": c.trains,
            "Ca released per AP (uM)": c.released,
        }
        # steady-state Ca-force relation of the same thin filament (skinned-fibre analogue)
        cf = calcium_force_relation(model, y=np.asarray(twitch.y)[:, 0])  # the twitch starts at rest
        row.update({"steady-state F_max": cf.force_max, "steady-state Ca50 (uM)": cf.ca50,
                    "steady-state Hill coefficient": cf.hill, "twitch / F_max": c.twitch.amplitude / cf.force_max,
                    "largest train / F_max": max(tr["peak"] for tr in c.trains.values()) / cf.force_max})
        ca_force[celsius] = cf
        if celsius == temps[0]:
            # recovery from Ca inactivation: the second of two releases (Baylor & Hollingworth 2007)
            for dt in (50.0,) if quick else RECOVERY_MS:
                pair = release_per_action_potential(model, c.stimulus, n=2, interval_ms=dt, pulse_ms=PULSE_MS)
                row[f"second release at {dt:g} ms"] = float(pair.fraction[1]) if pair.spikes == 2 else float("nan")
            # Baylor & Hollingworth 2007's five-shock 67 Hz train: APs fired, and the release of APs
            # 2-5 relative to the first (theirs: 0.25 falling to 0.15); at 2 x threshold and at a
            # stronger stimulus, which overcomes the model fibre's relative refractoriness
            for k in TRAIN67_STIMULI:
                tr = release_per_action_potential(model, k / 2.0 * c.stimulus, n=5, interval_ms=15.0,
                                                  pulse_ms=PULSE_MS)
                row[f"67 Hz x5 at {k:g} x threshold: APs"] = tr.spikes
                later = (f"{round(float(x), 2) + 0.0:.2f}" for x in tr.fraction[1:])  # no "-0.00"
                row[f"67 Hz x5 at {k:g} x threshold: release 2-5"] = " / ".join(later)
        force = np.asarray(twitch["force"])
        axes[0, col].plot(t, 1e3 * np.asarray(twitch["cytosolic_ca"]), label="free Ca")
        axes[0, col].set_ylabel("free Ca (uM)")
        axes[0, col].set_xlim(0, 60)
        axes[0, col].set_title(f"{celsius:g} C: one action potential")
        axes[0, col].set_xlabel("time (ms)")
        twin = axes[0, col].twinx()  # force on its own axis: it has its own unit
        twin.plot(t, force, color="C1", label="force")
        twin.set_ylabel("force (bridges / RU)")
        twin.spines["right"].set_visible(True)
        twin.grid(False)
        lines = axes[0, col].get_lines() + twin.get_lines()
        axes[0, col].legend(lines, [ln.get_label() for ln in lines], frameon=False, fontsize=8)
        for f_hz in freqs:
            r = c.records[f_hz]
            axes[1, col].plot(np.asarray(r["t"]), np.asarray(r["force"]), label=f"{f_hz:g} Hz")
        axes[1, col].set_title(f"{celsius:g} C: {TRAIN_MS:g} ms trains")
        axes[1, col].set_ylabel("force (bridges / RU)")
        axes[1, col].set_xlabel("time (ms)")
        axes[1, col].legend(frameon=False, fontsize=7)
        results[celsius] = row
        if show_progress:
            print(f"{celsius:g} C done", flush=True)
    fig.tight_layout()
    fig.savefig(folder / "muscle_twitch.png", dpi=120)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(4.8, 3.6))
    for celsius, cf in ca_force.items():
        ax.semilogx(cf.ca, cf.relative, label=f"{celsius:g} C: Ca50 {cf.ca50:.2g} uM, Hill {cf.hill:.2g}")
    ax.set_xlabel("free Ca (uM), held")
    ax.set_ylabel("steady-state force / maximum")
    ax.set_title("Thin filament and crossbridges at steady state")
    ax.legend(frameon=False, fontsize=7)
    fig.tight_layout()
    fig.savefig(folder / "calcium_force.png", dpi=120)
    plt.close(fig)

    print("\nResting state (bulk myoplasm):")
    keys = list(results[temps[0]]["rest"])
    print(format_table([[k] + [results[c]["rest"][k] for c in temps] for k in keys],
                       ["quantity"] + [f"{c:g} C" for c in temps]))
    print("\nOne action potential:")
    keys = ["stimulus (uA/cm2)", "V peak (mV)", "u peak (mV)", "dCa peak (uM)", "Ca FDHM (ms)",
            "release peak (uM/ms)", "release FDHM (ms)", "twitch peak", "twitch time to peak (ms)",
            "twitch half-relaxation (ms)", "twitch/tetanus", "fusion frequency, 90 % (Hz)", "Ca released per AP (uM)",
            "steady-state F_max",
            "steady-state Ca50 (uM)", "steady-state Hill coefficient", "twitch / F_max", "largest train / F_max",
            "study (s)"]
    keys += [k for k in results[temps[0]] if k.startswith(("second release", "67 Hz"))]
    print(format_table([[k] + [results[c].get(k, float("nan")) for c in temps] for k in keys],
                       ["quantity"] + [f"{c:g} C" for c in temps]))
    print("\nTrains (300 ms): peak force above rest / fusion index / APs fired of stimuli:")

    def cell(tr):
        return f"{tr['peak']:.4f} / {tr['fusion']:.2f} / {tr['action potentials']} of {tr['stimuli']}"

    print(format_table([[f] + [cell(results[c]["trains"][f]) for c in temps] for f in freqs],
                       ["Hz"] + [f"{c:g} C" for c in temps]))
    # the same 16 C fibre with Na fast gates at the speed measured in native fibres
    from neuromuscle.components.muscle_sodium import NativeSodium

    native = nm.muscle_ec(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=temps[0]), sodium=NativeSodium)
    cn = contraction_study(native, pulse_ms=PULSE_MS, frequencies=(100.0,) if quick else (67.0, 100.0, 150.0),
                           train_ms=TRAIN_MS, after_ms=100.0 if quick else 200.0)
    tw = cn.records["twitch"]
    results["native Na, 16 C"] = {
        "stimulus (uA/cm2)": cn.stimulus, "u peak (mV)": float(np.max(tw["tubular_potential"])),
        "dCa peak (uM)": cn.calcium.amplitude, "Ca FDHM (ms)": cn.calcium.fdhm,
        "release peak (uM/ms)": cn.release.amplitude, "release FDHM (ms)": cn.release.fdhm,
        "Ca released per AP (uM)": cn.released, "twitch peak": cn.twitch.amplitude,
        "twitch/tetanus": cn.twitch_tetanus, "trains": cn.trains}
    print(f"\nWith NativeSodium at {temps[0]:g} C (sodium=NativeSodium; not the default):")
    nat = results["native Na, 16 C"]
    print(format_table([[k, v] for k, v in nat.items() if k != "trains"]
                       + [[f"{f:g} Hz", cell(tr)] for f, tr in nat["trains"].items()], ["quantity", "value"]))
    data = _plain(results)
    (folder / "muscle_twitch.json").write_text(json.dumps(data, indent=1))
    write_table_page(markdown(data), folder, "muscle_twitch", docs_folder=docs_tables_folder(quick, out))
    print("\nBaylor & Hollingworth 2003 (mouse fast-twitch, 16 C): dCa 18.5 uM, FDHM 4.9 ms; "
          "2007: release 200-225 uM/ms, FDHM 1.6 ms; second release 0.25 at 15 ms, recovering at 7/s; "
          "APs 2-5 of a 67 Hz train release 0.25 falling to 0.15 of the first "
          "(0.41 / 0.72 / 0.90 at 50 / 150 / 300 ms). Ca released per AP: about 230 uM (Posterino & Lamb 2003). "
          "Resting ATP turnover measured: 0.0079 mM/s (human).")
    print(f"\nfigures written to {folder.resolve()}")
    return results


def markdown(data: dict) -> str:
    """The EC page's "Measured" table, rendered from ``muscle_twitch.json``'s data.

    ``data`` is the experiment's result with text keys, as in the JSON file (temperatures
    such as ``"16"`` or ``"16.0"``, and ``"native Na, 16 C"``).
    """
    temps = [k for k in data if k != "native Na, 16 C"]
    cold = temps[0]

    def cal(text, temp, key):
        return f"{text} (calibrated)" if temp == cold and key in CALIBRATED_16C else text

    def col(temp):
        r = data[temp]
        rest = r["rest"]
        trains = r["trains"]
        freqs = list(trains)
        return {
            "resting free Ca, uM": _g(rest["Ca (uM)"], 2),
            "resting ATP use, mM/s (SERCA share)":
                f"{_g(rest['ATP use (mM/s)'], 2)} ({rest['SERCA (mM/s)'] / rest['ATP use (mM/s)']:.2f})",
            "resting ADP, uM / PCr, mM / Pi, mM":
                f"{rest['ADP (uM)']:.1f} / {rest['PCr (mM)']:.1f} / {rest['Pi (mM)']:.2f}",
            "resting free SR Ca, mM": f"{rest['SR free Ca (mM)']:.3f} (set)",
            "surface / tubular AP peak, mV": f"{r['V peak (mV)']:+.1f} / {r['u peak (mV)']:+.1f}",
            "peak Delta[Ca], uM (spatial average)": _g(r["dCa peak (uM)"], 2),
            "Ca FDHM, ms": _g(r["Ca FDHM (ms)"], 2),
            "peak release flux, uM/ms": cal(f"{r['release peak (uM/ms)']:.0f}", temp, "peak release flux, uM/ms"),
            "release FDHM, ms": cal(_g(r["release FDHM (ms)"]), temp, "release FDHM, ms"),
            "Ca released per AP, uM": f"{r['Ca released per AP (uM)']:.0f}",
            "second release 50 / 150 / 300 ms after the first": " / ".join(
                cal(f"{r[k]:.2f}", temp, k) for k in r if k.startswith("second release at ")),
            "twitch time to peak / half-relaxation, ms":
                f"{_g(r['twitch time to peak (ms)'])} / {_g(r['twitch half-relaxation (ms)'])}",
            "twitch / steady-state maximum": _g(r["twitch / F_max"], 2),
            "twitch/tetanus (largest 300 ms train)": f"{r['twitch/tetanus']:.2f}",
            f"APs fired in 300 ms trains at {' / '.join(f'{float(f):g}' for f in freqs)} Hz":
                " / ".join(f"{tr['action potentials']:.0f} of {tr['stimuli']:.0f}" for tr in trains.values()),
            "fusion frequency (fusion index 0.9, trains followed)":
                (f"{r['fusion frequency, 90 % (Hz)']:g} Hz" if r["fusion frequency, 90 % (Hz)"] is not None
                 else f"not reached ({trains[freqs[-1]]['fusion']:.2f} at {float(freqs[-1]):g} Hz)"),
            "steady-state Ca-force: maximum (bridges / unit), Ca50, Hill coefficient":
                f"{r['steady-state F_max']:.3f}, {r['steady-state Ca50 (uM)']:.2f} uM "
                f"(pCa {6.0 - math.log10(r['steady-state Ca50 (uM)']):.2f}), {r['steady-state Hill coefficient']:.2g}",
        }

    cols = {t: col(t) for t in temps}
    labels = list(dict.fromkeys(k for c in cols.values() for k in c))
    lines = ["<!-- written by experiments/muscle_twitch.py from muscle_twitch.json; do not edit -->", "",
             "| | " + " | ".join(f"{float(t):g} C" for t in temps) + " | published |",
             "|---|" + "---|" * len(temps) + "---|"]
    for k in labels:
        lines.append(f"| {k} | " + " | ".join(cols[t].get(k, "") for t in temps) + f" | {PUBLISHED.get(k, '')} |")
    nat = data.get("native Na, 16 C")
    if nat is not None:
        lines += ["", f"With `sodium=NativeSodium` at {float(cold):g} C (not the default; same data file, "
                  "`native Na, 16 C`):", "",
                  "| quantity | value |", "|---|---|",
                  f"| tubular AP peak, mV | {nat['u peak (mV)']:+.1f} |",
                  f"| peak release flux, uM/ms / release FDHM, ms | {nat['release peak (uM/ms)']:.0f} / "
                  f"{_g(nat['release FDHM (ms)'], 2)} |",
                  f"| peak Delta[Ca], uM / Ca FDHM, ms | {_g(nat['dCa peak (uM)'], 2)} / {_g(nat['Ca FDHM (ms)'])} |",
                  f"| twitch/tetanus | {nat['twitch/tetanus']:.2f} |"]
        for f, tr in nat["trains"].items():
            lines.append(f"| {float(f):g} Hz train: APs / fusion index | {tr['action potentials']:.0f} of "
                         f"{tr['stimuli']:.0f} / {tr['fusion']:.2f} |")
    return "\n".join(lines) + "\n"


def _plain(obj):
    """``obj`` with numbers as floats (NaN as null) and keys as text, for the JSON data file."""
    if isinstance(obj, dict):
        return {f"{k:g}" if isinstance(k, float) else str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, (int, float, np.integer, np.floating)):
        return float(obj) if np.isfinite(obj) else None
    return obj


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "muscle_twitch", argv)


if __name__ == "__main__":
    main()
