"""The myelinated axon's strength-duration time constant against the electrode's distance.

The battery's default stimulus is current injected into one node. The clinical stimulus is a
cathode on the skin, millimetres from the axon. Rattay, Paredes & Leao (2012, Neuroscience
214:1, compartment models of intra- and extracellular stimulation) explain why the two give
different chronaxies. A nearby extracellular cathode depolarises a short stretch of fibre and
hyperpolarises the membrane on each side of it, which shortens the chronaxie against
intracellular injection. The depolarised stretch lengthens with the electrode's distance, and
a distant electrode excites the fibre with a time course like that of intracellular
stimulation.

For each electrode distance this script measures the strength-duration time constant
tau_SD and the rheobase. It uses the battery's definition: thresholds of 0.2-1 ms
cathodic pulses, and Weiss's charge-duration line through them. The electrode is a point
cathode above the stimulated node, in the anisotropic medium of the Gaines et al. (2018)
point-source script. The axon is run with the default Gaines et al. channels and with
McIntyre, Richardson & Grill's (``channels="mrg2002"``), each beside its intracellular value.
The farthest distances are repeated on a longer cable, to show how little the cable's ends
set the result, and the full run measures the recovery cycle with the electrode 8 mm away, to
see whether distance brings back the superexcitable period. A point source in a uniform
medium is not the arm's skin, fat and muscle, so the distances are a scale, not a model of
one patient.

Run: ``python experiments/strength_duration_distance.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

from neuromuscle.analysis.threshold_tracking import TrackingProtocol, threshold_tracking, tracking_axon
from neuromuscle.reporting import (
    docs_tables_folder,
    experiment_main,
    format_table,
    markdown_records,
    output_dir,
    write_table_page,
)

#: Electrode-axon distances, mm. 0.4 mm is the Gaines et al. script's.
DISTANCES = (0.4, 1.0, 2.0, 4.0, 8.0, 12.0)
DISTANCES_QUICK = (0.4, 2.0, 8.0)
#: Nodes of the cable: the field of an electrode d mm away spreads over about +/- d along the
#: fibre (internode about 1.1 mm at 10 um), so 31 nodes keep the cable's ends beyond +/- 15 mm
NODES, NODES_QUICK, NODES_CHECK = 31, 21, 41
#: The battery's strength-duration widths (ms); the bisection's relative tolerance
PROTOCOL = TrackingProtocol(sd_widths=(0.2, 0.4, 0.6, 0.8, 1.0), te_delays=(), iv_currents=(), rc_intervals=(),
                            rel_tol=0.005, name="strength-duration")
PROTOCOL_QUICK = TrackingProtocol(sd_widths=(0.2, 1.0), te_delays=(), iv_currents=(), rc_intervals=(),
                                  rel_tol=0.01, name="strength-duration quick")
#: The recovery cycle is measured at this distance in the full run (mm), at these intervals (ms)
RC_DISTANCE = 8.0
RC_PROTOCOL = TrackingProtocol(sd_widths=(), te_delays=(), iv_currents=(),
                               rc_intervals=(2.5, 3.2, 4.0, 5.0, 6.3, 7.9, 10.0, 13.0), rel_tol=0.01,
                               name="recovery cycle")
#: Mogyoros, Kiernan & Burke 1996 (Brain 119:439): human median motor axons, mean and SD, ms
HUMAN_TAU_SD = (0.459, 0.126)


def measure(channels: str, distance: float | None, n_nodes: int, protocol: TrackingProtocol) -> dict:
    """tau_SD and rheobase of one set-up (``distance`` None: intracellular injection)."""
    kw = {} if channels == "gaines2018" else {"channels": channels}
    if distance is not None:
        kw.update(stimulus="extracellular", electrode_distance=float(distance))
    ds = threshold_tracking(tracking_axon(n_nodes=n_nodes, **kw), protocol=protocol, parts=("sd",))
    return {"channels": channels, "stimulus": "intracellular" if distance is None else "extracellular",
            "distance (mm)": float("nan") if distance is None else float(distance), "nodes": int(n_nodes),
            "tau_SD (ms)": float(ds["tau_SD"]), "rheobase": float(ds["rheobase"]),
            "rheobase unit": str(ds["rheobase"].attrs.get("units", "")),
            "wall time (s)": float(ds.attrs["wall_time"])}


def run(quick: bool = False, out=None) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    folder = output_dir("strength_duration_distance", out)
    proto = PROTOCOL_QUICK if quick else PROTOCOL
    nodes = NODES_QUICK if quick else NODES
    distances = DISTANCES_QUICK if quick else DISTANCES
    channel_sets = ("gaines2018",) if quick else ("gaines2018", "mrg2002")
    rows = []
    for ch in channel_sets:
        for d in (None, *distances):
            rows.append(measure(ch, d, nodes, proto))
            r = rows[-1]
            print(f"{ch}, {r['stimulus']}" + ("" if d is None else f" {d:g} mm")
                  + f": tau_SD {r['tau_SD (ms)']:.3f} ms ({r['wall time (s)']:.0f} s)", flush=True)
    check = []
    if not quick:
        for ch in channel_sets:
            for d in distances[-2:]:
                longer = measure(ch, d, NODES_CHECK, proto)
                base = next(r for r in rows if r["channels"] == ch and r["distance (mm)"] == d)
                check.append({"channels": ch, "distance (mm)": d, f"tau_SD, {nodes} nodes (ms)": base["tau_SD (ms)"],
                              f"tau_SD, {NODES_CHECK} nodes (ms)": longer["tau_SD (ms)"],
                              "relative difference": longer["tau_SD (ms)"] / base["tau_SD (ms)"] - 1.0})

        # does a farther electrode bring the superexcitable period back? (Gaines channels)
        ds = threshold_tracking(tracking_axon(n_nodes=nodes, stimulus="extracellular",
                                              electrode_distance=RC_DISTANCE), protocol=RC_PROTOCOL, parts=("rc",))
        recovery = {"channels": "gaines2018", "distance (mm)": RC_DISTANCE, "nodes": nodes,
                    **{f"{i:g} ms (%)": float(v) for i, v in zip(ds["rc_interval"].values, ds["rc"].values)},
                    "superexcitability (%)": float(ds["superexcitability"])}
        print(f"recovery cycle at {RC_DISTANCE:g} mm: superexcitability {recovery['superexcitability (%)']:.1f} %")
    else:
        recovery = {}

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    mean, sd = HUMAN_TAU_SD
    axes[0].axhspan(mean - 2 * sd, mean + 2 * sd, color="0.9", zorder=0,
                    label="human median motor, mean +/- 2 SD (Mogyoros et al. 1996)")
    for i, ch in enumerate(channel_sets):
        ext = [r for r in rows if r["channels"] == ch and r["stimulus"] == "extracellular"]
        intra = next(r for r in rows if r["channels"] == ch and r["stimulus"] == "intracellular")
        label = "Gaines et al. 2018 (default)" if ch == "gaines2018" else "MRG 2002"
        axes[0].semilogx([r["distance (mm)"] for r in ext], [r["tau_SD (ms)"] for r in ext], "o-", color=f"C{i}",
                         label=f"{label}, point electrode")
        axes[0].axhline(intra["tau_SD (ms)"], color=f"C{i}", ls="--", label=f"{label}, intracellular")
        axes[1].loglog([r["distance (mm)"] for r in ext], [r["rheobase"] for r in ext], "o-", color=f"C{i}",
                       label=label)
    for ax in axes:  # the distances as plain numbers, not powers of ten
        ax.set_xticks(distances)
        ax.xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    axes[0].set_xlabel("Electrode-axon distance (mm, log scale)")
    axes[0].set_ylabel("Strength-duration time constant (ms)")
    axes[0].legend(frameon=False, fontsize=7)
    axes[1].set_xlabel("Electrode-axon distance (mm, log scale)")
    axes[1].set_ylabel("Rheobase, electrode current (uA, log scale)")
    axes[1].legend(frameon=False)
    fig.suptitle(f"Myelinated motor axon ({nodes} nodes, 37 C, normal plasma): tau_SD lengthens with distance")
    fig.tight_layout()
    fig.savefig(folder / "strength_duration_distance.png", dpi=120)
    plt.close(fig)

    print(format_table([[r["channels"], r["stimulus"], r["distance (mm)"], r["tau_SD (ms)"], r["rheobase"],
                         r["rheobase unit"]] for r in rows],
                       ["channels", "stimulus", "distance (mm)", "tau_SD (ms)", "rheobase", "unit"]))
    if check:
        print("\nLonger cable at the farthest distances:")
        print(format_table([list(c.values()) for c in check], list(check[0])))
    write_table_page(markdown(rows, check, nodes, recovery), folder, "strength_duration_distance",
                     docs_folder=docs_tables_folder(quick, out))
    print(f"\nfigures written to {folder.resolve()}")
    return {"protocol": proto.name, "nodes": nodes, "rows": rows, "cable_check": check, "recovery_cycle": recovery}


def markdown(rows: list[dict], check: list[dict], nodes: int, recovery: dict | None = None) -> str:
    """The docs table: tau_SD and rheobase per set-up, the longer-cable check, the recovery cycle."""
    text = ("<!-- written by experiments/strength_duration_distance.py; do not edit -->\n\n"
            f"Strength-duration time constant and rheobase ({nodes} nodes, 37 C, normal plasma; thresholds of "
            "0.2-1 ms pulses; point cathode above the stimulated node, or current injected into it):\n\n"
            + markdown_records(rows, {"channels": "channels", "stimulus": "stimulus",
                                      "electrode distance (mm)": "distance (mm)", "tau_SD (ms)": "tau_SD (ms)",
                                      "rheobase": "rheobase", "unit": "rheobase unit"}))
    if check:
        text += ("\n\nThe farthest distances on a longer cable (tau_SD, ms):\n\n"
                 + markdown_records(check, {k: k for k in check[0]}))
    if recovery:
        text += (f"\n\nRecovery cycle with the electrode {recovery['distance (mm)']:g} mm away (threshold change "
                 "after a supramaximal conditioning stimulus; negative: superexcitable):\n\n"
                 + markdown_records([recovery], {k: k for k in recovery}))
    return text + "\n"


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "strength_duration_distance", argv,
                           quick_help=f"Gaines channels only, {NODES_QUICK} nodes, three distances")


if __name__ == "__main__":
    main()
