"""Which internodal channels of the Gaines axon remove superexcitability and shorten tau_SD.

The default myelinated axon (Gaines et al. 2018 motor channels) has no superexcitable period,
a flat threshold electrotonus and a short strength-duration time constant, while the same
cable with the passive internode of McIntyre, Richardson & Grill (2002) has a superexcitable
period (``experiments/threshold_tracking_stimulus.py``). The Gaines internode differs from
MRG's in four ways: fast K, slow K and HCN channels in the internodal axolemma, and a leak of
another density and reversal. This script changes one of them at a time, and then all of
them, and runs the same reduced battery each time (strength-duration, threshold electrotonus,
recovery cycle; 11-node tracking axon, intracellular stimulus, normal plasma, 37 C):

* ``Gaines``: the default channels;
* ``no internodal fast K`` / ``no internodal slow K`` / ``no internodal HCN``: that channel's
  MYSA, FLUT and STIN densities set to zero;
* ``MRG internodal leak``: the internodal leak densities of the MRG 2002 hoc (1 mS/cm2 x
  paraD1/D in the MYSA, 0.1 mS/cm2 x paraD2/D and x d/D in FLUT and STIN), its reversal kept;
* ``no nodal fast K``: the one nodal channel MRG does not have;
* ``no internodal K or HCN``: the three internodal channels removed together, Gaines leak;
* ``MRG internode and node``: everything above at once (the set-up of
  ``threshold_tracking_stimulus``).

The electrogenic pump is left out of every set-up (its density is balanced for the default
channels only), so the ``Gaines`` row differs from the battery's default by that alone. A
channel removed also moves the resting potential, which the table reports: a change of
read-out is the channel's effect through its current at rest and through its gating, not
the gating alone. The variants are counterfactuals that explain the published model; none
is offered as a better human axon.

Run: ``python experiments/internode_channels.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

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

PROTOCOL = TrackingProtocol(sd_widths=(0.2, 0.6, 1.0), te_delays=(10.0, 20.0, 40.0, 60.0, 90.0), iv_currents=(),
                            rc_intervals=(2.0, 2.5, 3.2, 4.0, 5.0, 6.3, 7.9, 10.0, 13.0, 20.0, 32.0),
                            rel_tol=0.01, name="internode channels")
QUICK_PROTOCOL = TrackingProtocol(sd_widths=(0.2, 1.0), te_delays=(20.0, 90.0), iv_currents=(),
                                  rc_intervals=(3.2, 5.0, 10.0), rel_tol=0.03, name="internode channels quick")
SECTIONS = ("mysa", "flut", "stin")
#: Variants run in the quick mode
QUICK_VARIANTS = ("Gaines", "no internodal HCN", "MRG internodal leak", "MRG internode and node")
READ = ("tau_SD", "TEd(40-60ms)", "TEd(90-100ms)", "TEh(90-100ms)", "refractoriness_at_2ms", "superexcitability",
        "late_subexcitability")


def _mrg_internode():
    spec = importlib.util.spec_from_file_location(
        "threshold_tracking_stimulus", Path(__file__).with_name("threshold_tracking_stimulus.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.mrg_internode


def variants(model) -> dict[str, dict[str, float]]:
    """Parameter overrides of each set-up, ``{label: {parameter: value}}``."""
    mrg = _mrg_internode()(model)
    out = {"Gaines": {}}
    for ch, label in (("kf", "fast K"), ("ks", "slow K"), ("hcn", "HCN")):
        out[f"no internodal {label}"] = {f"{ch}.g_{s}": 0.0 for s in SECTIONS}
    out["MRG internodal leak"] = {k: v for k, v in mrg.items() if k.startswith("leak.")}
    out["no nodal fast K"] = {"kf.g_node": 0.0}
    out["no internodal K or HCN"] = {f"{ch}.g_{s}": 0.0 for ch in ("kf", "ks", "hcn") for s in SECTIONS}
    out["MRG internode and node"] = mrg
    return out


def run(quick: bool = False, out=None) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    folder = output_dir("internode_channels", out)
    proto = QUICK_PROTOCOL if quick else PROTOCOL
    model = tracking_axon(pump_density=0.0)
    v_index = model.state_names.index(f"V[{int(model.node_compartments[model.stim_node])}]")
    setups = variants(model)
    if quick:
        setups = {k: setups[k] for k in QUICK_VARIANTS}
    rows, curves = [], {}
    for label, params in setups.items():
        ds = threshold_tracking(model, params or None, protocol=proto, parts=("sd", "te", "rc"))
        rest = float(simulate(model, None, 1e-3, params=params or None).y[v_index, 0])
        r = readouts(ds)
        rows.append({"set-up": label, "rest (mV)": rest, **{k: r[k] for k in READ},
                     "threshold 1 ms": r["threshold_1ms"], "threshold unit": str(ds["threshold_1ms"].attrs["units"]),
                     "wall time (s)": float(ds.attrs["wall_time"])})
        curves[label] = {"te_delay": ds["te_delay"].values, "TEd": ds["te"].values[0], "TEh": ds["te"].values[1],
                         "rc_interval": ds["rc_interval"].values, "rc": ds["rc"].values}
        print(f"{label}: rest {rest:.1f} mV, tau_SD {r['tau_SD']:.3f} ms, superexcitability "
              f"{r['superexcitability']:.1f} % ({ds.attrs['wall_time']:.0f} s)", flush=True)

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for i, (label, c) in enumerate(curves.items()):
        style = dict(color=f"C{i}", lw=2.0 if label in ("Gaines", "MRG internode and node") else 1.0)
        axes[0].semilogx(c["rc_interval"], c["rc"], "o-", ms=3, label=label, **style)
        axes[1].plot(c["te_delay"], c["TEd"], "o-", ms=3, **style)
        axes[1].plot(c["te_delay"], c["TEh"], "s--", ms=3, **style)
    axes[0].axhline(0.0, color="0.5", lw=0.5)
    # the clinical intervals as plain numbers, not powers of ten
    axes[0].set_xticks([2, 3, 5, 10, 20, 30])
    axes[0].xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
    axes[0].xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    axes[0].set_xlabel("Interstimulus interval (ms, log scale)")
    axes[0].set_ylabel("Threshold change (%)")
    axes[0].set_title("Recovery cycle (below 0: superexcitable)")
    axes[0].legend(frameon=False, fontsize=7)
    axes[1].axhline(0.0, color="0.5", lw=0.5)
    axes[1].set_xlabel("Delay from the start of the polarising current (ms)")
    axes[1].set_ylabel("Threshold reduction (%)")
    axes[1].set_title("Threshold electrotonus (+/-40 %: TEd solid, TEh dashed)")
    fig.suptitle("Myelinated motor axon, Gaines et al. 2018 channels: one internodal difference from MRG at a time")
    fig.tight_layout()
    fig.savefig(folder / "internode_channels.png", dpi=120)
    plt.close(fig)

    print(format_table([[r["set-up"], r["rest (mV)"]] + [r[k] for k in READ] for r in rows],
                       ["set-up", "rest (mV)"] + list(READ)))
    write_table_page(markdown(rows, proto), folder, "internode_channels", docs_folder=docs_tables_folder(quick, out))
    print(f"\nfigures written to {folder.resolve()}")
    return {"protocol": proto.name, "rows": rows, "curves": curves}


def markdown(rows: list[dict], proto: TrackingProtocol) -> str:
    """The docs table: one row per set-up."""
    columns = {"set-up": "set-up", "rest, stimulated node (mV)": "rest (mV)", "tau_SD (ms)": "tau_SD",
               "TEd 40-60 ms (%)": "TEd(40-60ms)", "TEd 90-100 ms (%)": "TEd(90-100ms)",
               "TEh 90-100 ms (%)": "TEh(90-100ms)", "refractoriness at 2 ms (%)": "refractoriness_at_2ms",
               "superexcitability (%)": "superexcitability", "late subexcitability (%)": "late_subexcitability"}
    return ("<!-- written by experiments/internode_channels.py; do not edit -->\n\n"
            "11-node tracking axon, intracellular stimulus, normal plasma, 37 C, no pump; bisection to "
            f"{100 * proto.rel_tol:g} %. TE is the threshold reduction during +/-40 % polarising currents; "
            "superexcitability the most negative mean of three adjacent points of the recovery cycle (negative: "
            "the axon is more excitable than at rest), late subexcitability the largest after 10 ms:\n\n"
            + markdown_records(rows, columns) + "\n")


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "internode_channels", argv,
                           quick_help=f"{len(QUICK_VARIANTS)} set-ups, fewer test points, 3 % tolerance")


if __name__ == "__main__":
    main()
