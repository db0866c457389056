"""Nerve-excitability testing (threshold tracking) of the myelinated motor axon under electrolyte disorders.

The clinical battery (strength-duration, threshold electrotonus, current-threshold relation,
recovery cycle; Kiernan et al. 2000) run on :func:`neuromuscle.motor_axon_myelinated` in
normal plasma, hypo- and hyperkalaemia, hypocalcaemia, hypomagnesaemia, hyperventilation and
ischaemia (Na/K pump blocked). The threshold is tracked on a single fibre, stimulated at the
middle of an 11-node axon and detected 3 nodes away (see
:mod:`neuromuscle.analysis.threshold_tracking` for how that maps onto the clinical 40 % CMAP
target). Every condition's read-outs are printed as a table and written as JSON; the
four-panel figures of all conditions are drawn side by side.

Directions measured in people: raised K -> more refractoriness, less superexcitability,
smaller depolarising threshold electrotonus (Krishnan et al. 2005); ischaemia and
hyperventilation -> lower threshold. The printed "direction" column compares each condition
with normal plasma; it is computed, not asserted.

A full run measures two axons: the published Gaines et al. (2018) channel set, and the axon
fitted to the human strength-duration time constant and recovery-cycle shape
(``motor_axon_myelinated(fit="human_battery")``, ``experiments/axon_fit_search.py``), whose
responses to the disorders the fit did not see. The quick run measures the published axon.

Run: ``python experiments/threshold_tracking.py [--quick] [--out DIR]`` (quick: normal and
hyperkalaemia only, on a battery cut to the read-outs, 5 % bisection tolerance).
"""

from __future__ import annotations

from neuromuscle.analysis.threshold_tracking import (
    QUICK,
    TrackingProtocol,
    plot_threshold_tracking,
    readouts,
    threshold_tracking,
    tracking_axon,
)
from neuromuscle.electrolytes import Electrolytes
from neuromuscle.reporting import (
    docs_tables_folder,
    experiment_main,
    format_records,
    markdown_records,
    output_dir,
    write_table_page,
)

#: The battery of the quick run: the points each read-out needs, 5 % tolerance
TINY = TrackingProtocol(sd_widths=(0.2, 1.0), te_delays=(15.0, 95.0), iv_currents=(0.0, -10.0),
                        rc_intervals=(2.0, 5.0, 6.3, 7.9, 20.0), rel_tol=0.05, name="tiny")

HYPERKALAEMIA_K = 7.0  # mM, the pre-dialysis range of Krishnan et al. 2005


def conditions(quick: bool):
    """``(label, Electrolytes, parameter overrides)`` of every condition."""
    normal = Electrolytes.preset("normal")
    rows = [("normal", normal, None),
            ("hyperkalaemia (K 7 mM)", normal.replace(k=HYPERKALAEMIA_K), None)]
    if not quick:
        rows += [("hypokalaemia", Electrolytes.preset("hypokalaemia_severe"), None),
                 ("hypocalcaemia", Electrolytes.preset("hypocalcaemia_severe"), None),
                 ("hypomagnesaemia", Electrolytes.preset("hypomagnesaemia"), None),
                 ("hyperventilation", Electrolytes.preset("hyperventilation"), None),
                 ("ischaemia (pump blocked)", normal, {"pump": 0.0})]
    return rows


NAMES = ("threshold_1ms", "tau_SD", "TEd(10-20ms)", "TEd(40-60ms)", "TEd(90-100ms)", "TEh(90-100ms)",
         "resting_IV_slope", "RRP", "refractoriness_at_2ms", "superexcitability", "late_subexcitability")
#: The fitted axon a full run measures beside the published Gaines et al. set
#: (``motor_axon_myelinated(fit=FITTED)``, experiments/axon_fit_search.py).
FITTED = "human_battery"


def battery(fit, quick: bool, proto):
    """Every condition's battery on one axon: ``(results, table, directions)``."""
    results, table = [], {}
    for label, e, params in conditions(quick):
        ds = threshold_tracking(tracking_axon(e, fit=fit), params, protocol=proto)
        results.append((label, ds))
        table[label] = {**readouts(ds), "wall_time_s": float(ds.attrs["wall_time"]),
                        "n_searches": int(ds.attrs["n_searches"])}
        print(f"{fit or 'published'} axon, {label}: {ds.attrs['n_searches']} searches, "
              f"{ds.attrs['wall_time']:.0f} s", flush=True)
    print(format_records([{"read-out": k, **{lab: table[lab][k] for lab, _ in results}} for k in NAMES]))
    ref = table["normal"]
    directions = {}
    for lab, _ in results[1:]:
        r = table[lab]
        directions[lab] = {
            "threshold_1ms change (%)": 100 * (r["threshold_1ms"] / ref["threshold_1ms"] - 1),
            "refractoriness_at_2ms change (points)": r["refractoriness_at_2ms"] - ref["refractoriness_at_2ms"],
            "superexcitability change (points)": r["superexcitability"] - ref["superexcitability"],
            "TEd(40-60ms) change (points)": r["TEd(40-60ms)"] - ref["TEd(40-60ms)"],
        }
    print()
    print(format_records([{"vs normal": lab, **d} for lab, d in directions.items()]))
    return results, table, directions


def figure(results, path, plt):
    n = len(results)
    fig, axes = plt.subplots(4, n, figsize=(3.2 * n, 11), squeeze=False)
    for j, (lab, ds) in enumerate(results):
        plot_threshold_tracking([results[0][1], ds] if j else [ds], labels=["normal", lab] if j else [lab],
                                axes=axes[:, j])
        axes[0, j].set_title(lab, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _curves(results):
    return {lab: {"sd_width": ds["sd_width"].values, "sd_threshold": ds["sd_threshold"].values,
                  "te_delay": ds["te_delay"].values, "TEd": ds["te"].values[0], "TEh": ds["te"].values[1],
                  "iv_current": ds["iv_current"].values, "iv": ds["iv"].values,
                  "rc_interval": ds["rc_interval"].values, "rc": ds["rc"].values} for lab, ds in results}


def run(quick: bool = False, out=None) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = output_dir("threshold_tracking", out)
    proto = TINY if quick else QUICK
    results, table, directions = battery(None, quick, proto)
    figure(results, folder / "threshold_tracking.png", plt)
    out_data = {"protocol": proto.name, "bisection_tolerance": proto.rel_tol,
                "model": results[0][1].attrs["description"], "tracking": results[0][1].attrs["tracking"],
                "readouts": table, "vs_normal": directions,
                "curves": _curves(results)}
    if not quick:
        f_results, f_table, f_directions = battery(FITTED, quick, proto)
        figure(f_results, folder / "threshold_tracking_fitted.png", plt)
        out_data["fitted"] = {"model": f_results[0][1].attrs["description"], "readouts": f_table,
                              "vs_normal": f_directions, "curves": _curves(f_results)}
        write_table_page(markdown(table, f_table, directions, f_directions), folder, "threshold_tracking",
                         docs_folder=docs_tables_folder(quick, out))
    print(f"\nfigures written to {folder.resolve()}")
    return out_data


def markdown(table, f_table, directions, f_directions) -> str:
    """The docs table: every read-out of both axons, then the changes from normal plasma."""
    rows = [{"condition": lab, "axon": axon, **{k: t[lab][k] for k in NAMES}}
            for lab in table for axon, t in (("published", table), ("fitted", f_table))]
    changes = [{"condition": lab, "axon": axon, **d[lab]} for lab in directions
               for axon, d in (("published", directions), ("fitted", f_directions))]
    return ("<!-- written by experiments/threshold_tracking.py; do not edit -->\n\n"
            "11-node tracking axon, intracellular stimulus, 37 C; published: the Gaines et al. 2018 channel set; "
            "fitted: `fit=\"human_battery\"`. Read-outs per condition:\n\n"
            + markdown_records(rows)
            + "\n\nChanges from normal plasma (computed):\n\n" + markdown_records(changes) + "\n")


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "threshold_tracking", argv,
                           quick_help="normal and hyperkalaemia on a reduced battery (about a minute)")


if __name__ == "__main__":
    main()
