"""Can a refit of the Gaines internode and the nodal persistent Na give a human battery?

The default myelinated axon (Gaines et al. 2018 motor channels) has a strength-duration time
constant below the human median-motor range and no superexcitable period
(``docs/models/myelinated_axon.md``, Limits; ``experiments/internode_channels.py`` takes the
internodal differences from MRG 2002 away one at a time). Before calling the clinical values
out of reach, this script asks whether a fit could reach them: it searches a grid over the
three densities that set the afterpotentials and the strength-duration time constant,

* ``leak``: all internodal leak densities (MYSA, FLUT, STIN) times a factor;
* ``K+HCN``: the internodal fast K, slow K and HCN densities times one common factor;
* ``NaP``: the nodal persistent Na density times a factor,

and runs a reduced battery at each point (strength-duration at 0.2 and 1 ms, recovery cycle at
2-20 ms; 11-node tracking axon, intracellular stimulus, normal plasma, 37 C, no pump, as
``internode_channels``). Each point is compared with

* ``tau_SD`` of human median motor axons, 0.459 +/- 0.126 ms (mean +/- SD, Mogyoros, Kiernan
  & Burke 1996, Brain 119:439): in range = within 2 SD;
* the recovery cycle's shape: refractory at 2 ms (threshold raised) *and* superexcitable after
  it (threshold lowered by more than 10 %). The clinical magnitudes (refractoriness at 2 ms
  about +25 to +40 %, superexcitability about -22 to -27 %) are indicative values of the
  project's reference notes that no reachable text confirmed, so only the shape is scored.

No point is adopted: the grid is a search for whether any such fit exists, and its answer is
the table. Run: ``python experiments/axon_fit_search.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import itertools

from neuromuscle.analysis.threshold_tracking import TrackingProtocol, readouts, threshold_tracking, tracking_axon
from neuromuscle.reporting import (
    docs_tables_folder,
    experiment_main,
    format_table,
    markdown_records,
    output_dir,
    write_table_page,
)
from neuromuscle.simulation import simulate

PROTOCOL = TrackingProtocol(sd_widths=(0.2, 1.0), te_delays=(), iv_currents=(),
                            rc_intervals=(2.0, 3.2, 5.0, 7.0, 10.0, 20.0), rel_tol=0.02, name="axon fit search")
#: Factors on the published densities: (leak, K+HCN, NaP) grids, full and quick.
GRID = {"leak": (1.0, 0.3, 0.1), "K+HCN": (1.0, 0.5, 0.0), "NaP": (1.0, 2.0, 3.0)}
QUICK_GRID = {"leak": (1.0, 0.3), "K+HCN": (1.0, 0.0), "NaP": (1.0, 3.0)}
SECTIONS = ("mysa", "flut", "stin")
#: Mogyoros, Kiernan & Burke 1996 (Brain 119:439), median motor axons: mean, SD (ms).
TAU_SD_HUMAN = (0.459, 0.126)
#: Recovery-cycle shape scored: threshold raised at 2 ms, and lowered by more than this (%) later.
SUPEREXCITABLE_BELOW = -10.0


def overrides(model, leak: float, k_hcn: float, nap: float) -> dict[str, float]:
    """Parameter overrides of one grid point: the published densities times the factors."""
    base = model.parameters
    p = {"nap.g": nap * base["nap.g"].value}
    for s in SECTIONS:
        p[f"leak.g_{s}"] = leak * base[f"leak.g_{s}"].value
        for ch in ("kf", "ks", "hcn"):
            p[f"{ch}.g_{s}"] = k_hcn * base[f"{ch}.g_{s}"].value
    return p


def run(quick: bool = False, out=None) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = output_dir("axon_fit_search", out)
    grid = QUICK_GRID if quick else GRID
    model = tracking_axon(pump_density=0.0)
    v_index = model.state_names.index(f"V[{int(model.node_compartments[model.stim_node])}]")
    mean, sd = TAU_SD_HUMAN
    rows, curves = [], {}
    points = list(itertools.product(*grid.values()))
    for i, (leak, k_hcn, nap) in enumerate(points, 1):
        params = overrides(model, leak, k_hcn, nap)
        ds = threshold_tracking(model, params, protocol=PROTOCOL, parts=("sd", "rc"))
        r = readouts(ds)
        rest = float(simulate(model, None, 1e-3, params=params).y[v_index, 0])
        tau = float(r["tau_SD"])
        refr, sup = float(r["refractoriness_at_2ms"]), float(r["superexcitability"])
        row = {"leak": leak, "K+HCN": k_hcn, "NaP": nap, "rest (mV)": rest, "tau_SD": tau,
               "refractoriness_at_2ms": refr, "superexcitability": sup,
               "late_subexcitability": float(r["late_subexcitability"]),
               "tau_SD in human range": bool(abs(tau - mean) <= 2.0 * sd),
               "refractory then superexcitable": bool(refr > 0.0 and sup < SUPEREXCITABLE_BELOW)}
        row["both"] = row["tau_SD in human range"] and row["refractory then superexcitable"]
        rows.append(row)
        curves[f"{leak:g}/{k_hcn:g}/{nap:g}"] = {"rc_interval": ds["rc_interval"].values, "rc": ds["rc"].values}
        print(f"[{i}/{len(points)}] leak x{leak:g}, K+HCN x{k_hcn:g}, NaP x{nap:g}: rest {rest:.1f} mV, "
              f"tau_SD {tau:.3f} ms, refractoriness {refr:.1f} %, superexcitability {sup:.1f} %", flush=True)

    n_tau = sum(r["tau_SD in human range"] for r in rows)
    n_shape = sum(r["refractory then superexcitable"] for r in rows)
    n_both = sum(r["both"] for r in rows)
    summary = {"points": len(rows), "tau_SD in human range": n_tau, "refractory then superexcitable": n_shape,
               "both": n_both, "largest tau_SD (ms)": max(r["tau_SD"] for r in rows),
               "superexcitability of the refractory points (%, most negative)":
                   min((r["superexcitability"] for r in rows if r["refractoriness_at_2ms"] > 0.0), default=None)}

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for r in rows:
        colour = "C2" if r["both"] else ("C0" if r["tau_SD in human range"] else "0.6")
        axes[0].plot(r["refractoriness_at_2ms"], r["superexcitability"], "o", color=colour,
                     ms=4 + 2 * r["NaP"])
    axes[0].axvline(0.0, color="0.5", lw=0.5)
    axes[0].axhline(SUPEREXCITABLE_BELOW, color="0.5", lw=0.5, ls="--")
    axes[0].set_xlabel("Refractoriness at 2 ms (%)")
    axes[0].set_ylabel("Superexcitability (%)")
    axes[0].set_title("Recovery cycle over the grid (size: NaP factor;\nblue: tau_SD in the human range)")
    axes[1].axhspan(mean - 2 * sd, mean + 2 * sd, color="C0", alpha=0.15, label="human median motor, mean +/- 2 SD")
    for j, leak in enumerate(grid["leak"]):
        sel = [r for r in rows if r["leak"] == leak]
        axes[1].plot(range(len(sel)), [r["tau_SD"] for r in sel], "o-", color=f"C{j + 1}", ms=3,
                     label=f"internodal leak x{leak:g}")
    axes[1].set_xlabel("grid point (K+HCN, NaP factors) at each leak")
    axes[1].set_ylabel("tau_SD (ms)")
    axes[1].set_title("Strength-duration time constant")
    axes[1].legend(frameon=False, fontsize=7)
    fig.suptitle("Gaines et al. 2018 axon: internodal leak, internodal K+HCN and nodal NaP scaled together")
    fig.tight_layout()
    fig.savefig(folder / "axon_fit_search.png", dpi=120)
    plt.close(fig)

    cols = ["leak", "K+HCN", "NaP", "rest (mV)", "tau_SD", "refractoriness_at_2ms", "superexcitability",
            "late_subexcitability", "both"]
    print(format_table([[r[k] for k in cols] for r in rows], cols))
    print("\n".join(f"{k}: {v}" for k, v in summary.items()))
    write_table_page(markdown(rows, summary), folder, "axon_fit_search", docs_folder=docs_tables_folder(quick, out))
    print(f"\nfigures written to {folder.resolve()}")
    return {"protocol": PROTOCOL.name, "grid": {k: list(v) for k, v in grid.items()}, "rows": rows,
            "summary": summary, "curves": curves}


def markdown(rows: list[dict], summary: dict) -> str:
    """The docs table: one row per grid point, then the counts."""
    columns = {"leak x": "leak", "K+HCN x": "K+HCN", "NaP x": "NaP", "rest (mV)": "rest (mV)",
               "tau_SD (ms)": "tau_SD", "refractoriness at 2 ms (%)": "refractoriness_at_2ms",
               "superexcitability (%)": "superexcitability", "late subexcitability (%)": "late_subexcitability",
               "tau_SD in range": "tau_SD in human range", "refractory, then superexcitable":
               "refractory then superexcitable"}
    mean, sd = TAU_SD_HUMAN
    return ("<!-- written by experiments/axon_fit_search.py; do not edit -->\n\n"
            "11-node tracking axon, intracellular stimulus, normal plasma, 37 C, no pump; bisection to "
            f"{100 * PROTOCOL.rel_tol:g} %. Factors on the published internodal leak, internodal fast K + slow K + "
            f"HCN and nodal persistent Na densities. tau_SD in range: within {mean:g} +/- 2 x {sd:g} ms "
            "(Mogyoros et al. 1996); refractory, then superexcitable: threshold raised at 2 ms and lowered by more "
            f"than {-SUPEREXCITABLE_BELOW:g} % later (negative: more excitable than at rest):\n\n"
            + markdown_records(rows, columns)
            + f"\n\n{summary['points']} points: {summary['tau_SD in human range']} with tau_SD in range, "
            f"{summary['refractory then superexcitable']} refractory then superexcitable, {summary['both']} both; "
            f"largest tau_SD {summary['largest tau_SD (ms)']:.3f} ms.\n")


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "axon_fit_search", argv,
                           quick_help=f"{len(list(itertools.product(*QUICK_GRID.values())))} grid points")


if __name__ == "__main__":
    main()
