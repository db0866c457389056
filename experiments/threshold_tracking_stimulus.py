"""Why the myelinated axon's battery misses superexcitability, slow electrotonus and tau_SD.

The same reduced battery (strength-duration, threshold electrotonus, recovery cycle) on the
11-node :func:`neuromuscle.analysis.threshold_tracking.tracking_axon` in normal plasma, in
three set-ups:

* ``intracellular``: current injected into the stimulated node (the battery's default);
* ``extracellular``: a cathodic point electrode 0.4 mm from the stimulated node in the
  anisotropic medium of Gaines et al. 2018 -- the clinical stimulus is extracellular;
* ``intracellular, MRG internode``: the same cable with the internodal channels of McIntyre,
  Richardson & Grill 2002 instead of Gaines et al.'s (internode passive only,
  g = 1 mS/cm2 x paraD1/D in the MYSA, 0.1 mS/cm2 x d/D in FLUT and STIN; no nodal fast K).

If the MRG internode gives superexcitability and a rising TEd on this cable while the Gaines
channels do not, the cable (periaxonal pathway) works and the Gaines internodal channel set
is what removes them. Each set-up's read-outs and curves are written as JSON.

Run: ``python experiments/threshold_tracking_stimulus.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

from neuromuscle.analysis.threshold_tracking import TrackingProtocol, readouts, threshold_tracking, tracking_axon
from neuromuscle.reporting import experiment_main, format_table

PROTOCOL = TrackingProtocol(sd_widths=(0.2, 0.6, 1.0), te_delays=(10.0, 20.0, 40.0, 60.0, 90.0), iv_currents=(),
                            rc_intervals=(2.0, 2.5, 3.2, 4.0, 5.0, 6.3, 7.9, 10.0, 13.0, 20.0, 32.0),
                            rel_tol=0.01, name="stimulus-comparison")
QUICK_PROTOCOL = TrackingProtocol(sd_widths=(0.2, 1.0), te_delays=(20.0, 90.0), iv_currents=(),
                                  rc_intervals=(3.2, 5.0, 10.0), rel_tol=0.03, name="stimulus-comparison quick")


def mrg_internode(model) -> dict[str, float]:
    """Parameter overrides giving ``model`` the MRG 2002 internode (passive) and node (no fast K)."""
    g = model.geometry
    D = g.fibre_diameter
    p = {f"{ch}.g_{s}": 0.0 for ch in ("kf", "ks", "hcn") for s in ("mysa", "flut", "stin")}
    p["kf.g_node"] = 0.0
    # MRG 2002 hoc: g_pas 0.001 S/cm2 x paraD1/fiberD (MYSA), 0.0001 x paraD2/fiberD (FLUT),
    # 0.0001 x axonD/fiberD (STIN)
    p.update({"leak.g_mysa": 1.0 * g.mysa_diameter / D, "leak.g_flut": 0.1 * g.flut_diameter / D,
              "leak.g_stin": 0.1 * g.axon_diameter / D})
    return p


def run(quick: bool = False, out=None) -> dict:
    proto = QUICK_PROTOCOL if quick else PROTOCOL
    setups = {
        "intracellular": (tracking_axon(), None),
        "extracellular (0.4 mm)": (tracking_axon(stimulus="extracellular"), None),
    }
    m = tracking_axon(pump_density=0.0)
    setups["intracellular, MRG internode"] = (m, mrg_internode(m))
    table, curves = {}, {}
    for label, (model, params) in setups.items():
        ds = threshold_tracking(model, params, protocol=proto, parts=("sd", "te", "rc"))
        table[label] = {**readouts(ds), "threshold_unit": str(ds["threshold_1ms"].attrs["units"]),
                        "wall_time_s": float(ds.attrs["wall_time"])}
        curves[label] = {"te_delay": ds["te_delay"].values, "TEd": ds["te"].values[0], "TEh": ds["te"].values[1],
                         "rc_interval": ds["rc_interval"].values, "rc": ds["rc"].values}
        print(f"{label}: {ds.attrs['wall_time']:.0f} s", flush=True)
    names = ("tau_SD", "TEd(10-20ms)", "TEd(40-60ms)", "TEd(90-100ms)", "TEh(90-100ms)", "refractoriness_at_2ms",
             "superexcitability", "late_subexcitability")
    print(format_table([[k] + [table[lab][k] for lab in setups] for k in names], ["read-out"] + list(setups)))
    return {"protocol": proto.name, "readouts": table, "curves": curves}


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "threshold_tracking_stimulus", argv,
                           quick_help="fewer test points, 3 % tolerance")


if __name__ == "__main__":
    main()
