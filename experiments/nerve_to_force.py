"""From nerve to force: the whole chain (motor axon -> junction -> fibre -> Ca -> force)
under normal, low Ca, low Mg, low K, low Na and a short ATP supply.

For each condition one :func:`~neuromuscle.nerve_muscle` model (every compartment reads
the same electrolytes) is stimulated at the nerve: a single shock (twitch) and a 100 Hz
train (tetanus). Table: quantal content of the first impulse, twitch peak, tetanus peak
and fused force (the trough of the last interval), half-relaxation after the last impulse,
and transmission failures. Force is the muscle model's force output (relative units).

Run: ``python experiments/nerve_to_force.py [--quick] [--out DIR]``; writes
``nerve_to_force.json`` and ``nerve_to_force.png`` in ``figures/nerve_to_force``; a full run
into the default folder also writes the table the docs include,
``docs/models/data/nerve_to_force.md``.
"""

from __future__ import annotations

import json
import math
import time

from neuromuscle.reporting import docs_tables_folder, experiment_main, format_table, output_dir, write_table_page

CONDITIONS = ("normal", "hypocalcaemia_severe", "hypomagnesaemia", "hypokalaemia_severe", "hyponatraemia_severe",
              "ATP supply 1 %")
TRAIN_HZ = 100.0


def markdown(result: dict) -> str:
    """The docs table, rendered from the experiment's data."""
    keys = [k for k in result["rows"][0] if k != "wall time (s)"]
    lines = ["<!-- written by experiments/nerve_to_force.py from nerve_to_force.json; do not edit -->", "",
             "| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for r in result["rows"]:
        cells = [str(r[k]) if isinstance(r[k], (str, int)) else
                 ("n/a" if math.isnan(r[k]) else f"{r[k]:.3g}") for k in keys]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines + [""])


def _model(name: str):
    import neuromuscle as nm

    if name.startswith("ATP supply"):
        model = nm.nerve_muscle("normal")
        supply = model.label("atp_supply_capacity")
        return model.with_parameters(**{supply: 0.01 * model.parameters[supply].value})
    return nm.nerve_muscle(name)


def run(quick: bool = False, out=None) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import neuromuscle as nm
    from neuromuscle.analysis.junction import NERVE_STIMULUS

    folder = output_dir("nerve_to_force", out)
    amp, dur, start = NERVE_STIMULUS
    conditions = ("normal",) if quick else CONDITIONS
    twitch_ms, train_ms = (60.0, 60.0) if quick else (200.0, 300.0)
    rows, traces = [], {}
    for name in conditions:
        model = _model(name)
        rest = nm.analysis.resting_state(model).y
        t0 = time.perf_counter()
        tw = nm.analysis.nerve_to_force(model, nm.Pulse(amp, start, dur), twitch_ms, y0=rest)
        n = int(train_ms * TRAIN_HZ / 1000.0)
        tr = nm.analysis.nerve_to_force(model, nm.PulseTrain(amp, start, dur, TRAIN_HZ, n), train_ms + 100.0,
                                        y0=rest, last_interval=1000.0 / TRAIN_HZ)
        wall = time.perf_counter() - t0
        rows.append({
            "condition": name, "quantal content (1st impulse)": float(tw.quanta[0]) if len(tw.quanta) else 0.0,
            "twitch peak": tw.peak_force, "twitch half-relaxation (ms)": tw.half_relaxation,
            "tetanus peak": tr.peak_force, "fused force": tr.fused_force,
            "tetanus half-relaxation (ms)": tr.half_relaxation, "twitch/tetanus": tw.peak_force / tr.peak_force
            if tr.peak_force > 0 else float("nan"), "impulses": len(tr.axon_spikes), "failures": tr.failures,
            "wall time (s)": wall,
        })
        traces[name] = (tw.t, tw.force, tr.t, tr.force)
    keys = list(rows[0])
    print(format_table([[r[k] for k in keys] for r in rows], keys))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for name, (t1, f1, t2, f2) in traces.items():
        axes[0].plot(t1, f1, label=name)
        axes[1].plot(t2, f2, label=name)
    axes[0].set_title("twitch (one nerve shock)")
    axes[1].set_title(f"{TRAIN_HZ:g} Hz nerve train")
    for ax in axes:
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("force (relative)")
    axes[1].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(folder / "nerve_to_force.png", dpi=120)
    plt.close(fig)
    result = {"train_hz": TRAIN_HZ, "rows": rows}
    (folder / "nerve_to_force.json").write_text(json.dumps(result, indent=2, default=float))
    write_table_page(markdown(result), folder, "nerve_to_force", docs_folder=docs_tables_folder(quick, out))
    return result


def main(argv=None):
    return experiment_main(run, __doc__, "nerve_to_force", argv)


if __name__ == "__main__":
    main()
