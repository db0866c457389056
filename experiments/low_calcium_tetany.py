"""Low calcium and tetany: does a single node or a whole myelinated axon fire on its own?

Hypocalcaemic tetany, the paraesthesiae of hyperventilation and post-ischaemic
fasciculations are ectopic discharges of motor and sensory axons. This script asks the
package's two axon models the same questions in the same environments -- normal plasma,
severe hypocalcaemia, severe hypocalcaemia with alkalosis (pH 7.6, ionised Ca falling with
pH), hyperventilation and combined hypomagnesaemia:

* the single human node (:func:`neuromuscle.motor_axon`): fires spontaneously or not, and
  at what rate;
* the myelinated axon (:func:`neuromuscle.motor_axon_myelinated`, 11 nodes, MRG cable with
  Gaines et al. 2018 motor channels): fires or not, at which node the first spike starts,
  at what rate and after how long (:func:`neuromuscle.analysis.ectopic_activity`: rest
  displaced by 1 mV, no stimulus); and the same axon fitted to the human battery's shape
  (``fit="human_battery"``, experiments/axon_fit_search.py), fitted without ever looking at
  spontaneous firing.

Then the spontaneous-firing maps of each axon over ionised Ca x Mg, over ionised Ca x pH
(ionised Ca given at pH 7.4 and following pH acutely, as in hyperventilation) and over
plasma K, each with its onset bisected (the ionised Ca at the lowest Mg, the pH at the
lowest Ca, the K); and -- if nothing in the clinical range fires -- the closest of a list of
harsher conditions (more negative gating shift, pump block, high K) that does. Nothing is
tuned to make the axon fire: a "no" is the model's answer.

Run: ``python experiments/low_calcium_tetany.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import numpy as np

from neuromuscle.acid_base import ionised_calcium_at_ph
from neuromuscle.analysis import spontaneous_activity
from neuromuscle.analysis.ectopic import ectopic_activity, ectopic_map, ectopic_onset
from neuromuscle.analysis.spontaneous import FiringOnset
from neuromuscle.analysis.threshold_tracking import tracking_axon
from neuromuscle.electrolytes import Electrolytes, model_parameters
from neuromuscle.models.motor_axon import motor_axon, motor_axon_environment
from neuromuscle.reporting import (
    docs_tables_folder,
    experiment_main,
    format_records,
    markdown_records,
    output_dir,
    write_table_page,
)

ALKALOSIS_PH = 7.6
CA_MAP = (0.3, 1.22)  # mM ionised
MG_MAP = (0.1, 0.52)  # mM ionised
PH_MAP = (7.4, 7.7)  # respiratory alkalosis of hyperventilation reaches ~7.6-7.7
#: ionised Ca at pH 7.4 for the Ca x pH map: from 0.5 mM, which falls to 0.35 mM at pH 7.7
#: (the lowest level Electrolytes accepts for a person is 0.3 mM)
CA_PH_MAP = (0.5, 1.22)
K_MAP = (2.5, 8.0)  # mM: severe hypokalaemia to severe hyperkalaemia
#: The fitted axon mapped beside the published one (``motor_axon_myelinated(fit=FITTED)``,
#: experiments/axon_fit_search.py): fitted to the human strength-duration time constant and
#: recovery-cycle shape, never to firing.
FITTED = "human_battery"
N_NODES = 11  # nodes of both axons (the tracking axon's)

#: Harsher conditions tried, in order, when nothing in the clinical range fires:
#: (label, Electrolytes changes, model parameters)
HARSHER = (
    ("Ca 0.3, Mg 0.1, extra gating shift -20 mV", {"ca": 0.3, "mg": 0.1}, {"surface.dV_offset": -20.0}),
    ("Ca 0.3, Mg 0.1, Na/K pump blocked", {"ca": 0.3, "mg": 0.1}, {"pump": 0.0}),
    ("K 20 mM (bath-like; beyond the plasma range)", {}, {"K_o": 20.0}),
    ("Ca 0.3, Mg 0.1, extra gating shift -60 mV", {"ca": 0.3, "mg": 0.1}, {"surface.dV_offset": -60.0}),
    ("K 30 mM, pump blocked", {}, {"K_o": 30.0, "pump": 0.0}),
)


def environments():
    severe = Electrolytes.preset("hypocalcaemia_severe")
    alk_ca = ionised_calcium_at_ph(severe.ca, ALKALOSIS_PH, severe.ph)
    return [
        ("normal", Electrolytes.preset("normal")),
        ("hypocalcaemia (severe)", severe),
        (f"hypocalcaemia + alkalosis (pH {ALKALOSIS_PH})", severe.replace(ph=ALKALOSIS_PH, ca=round(alk_ca, 3))),
        ("hyperventilation", Electrolytes.preset("hyperventilation")),
        ("hypomagnesaemia (combined)", Electrolytes.preset("hypomagnesaemia_combined")),
    ]


def onset_along(axon, variable, levels, firing, base, tol, kw):
    """Onset of firing along ``levels`` of ``variable``, from a map's column ``firing``: the
    first change from the low end, bisected to ``tol`` (no new runs when nothing changes)."""
    change = np.flatnonzero(firing[1:] != firing[:-1])
    if change.size == 0:
        state = "fires" if firing[0] else "is quiescent"
        return FiringOnset(float("nan"), (float(levels[0]), float(levels[-1])), bool(firing[0]), 0,
                           f"the model {state} at every level mapped in [{levels[0]:g}, {levels[-1]:g}]")
    i = int(change[0])
    return ectopic_onset(axon, variable, float(levels[i]), float(levels[i + 1]), base=base, tol=tol, n_scan=2,
                         start="low", **kw)


def firing_maps(axon, quick: bool, kw, name: str) -> dict:
    """The spontaneous-firing maps of one axon (Ca x Mg, Ca x pH, K), each onset bisected, and --
    if nothing fires -- the harsher conditions tried in order until one does."""
    n_ca, n_mg = (3, 2) if quick else (6, 3)
    cas, mgs = np.linspace(*CA_MAP, n_ca), np.linspace(*MG_MAP, n_mg)
    grid = ectopic_map(axon, ("ca", cas), ("mg", mgs), **kw)
    n_fire = int(grid["firing"].sum())
    print(f"\n{name} axon: spontaneous-firing map, ionised Ca {CA_MAP[0]}-{CA_MAP[1]} x Mg {MG_MAP[0]}-{MG_MAP[1]} mM: "
          f"{n_fire} of {grid['firing'].size} points fire")
    onset = ectopic_onset(axon, "ca", CA_MAP[0], CA_MAP[1], base=Electrolytes.preset("normal").replace(mg=MG_MAP[0]),
                          tol=0.05 if quick else 0.02, n_scan=3 if quick else 7, **kw)
    if np.isfinite(onset.level):
        print(f"At Mg {MG_MAP[0]} mM the axon starts firing below {onset.level:.3f} mM ionised Ca.")
    else:
        print(f"At Mg {MG_MAP[0]} mM: no spontaneous firing between {CA_MAP[0]} and {CA_MAP[1]} mM ionised Ca "
              f"({onset.message}).")

    # Ca x pH: the Ca axis is the ionised Ca at pH 7.4; at higher pH it falls acutely
    phs, cas_ph = np.linspace(*PH_MAP, 2 if quick else 4), np.linspace(*CA_PH_MAP, 2 if quick else n_ca)
    grid_ph = ectopic_map(axon, ("ca", cas_ph), ("ph", phs), **kw)
    onset_ph = onset_along(axon, "ph", phs, grid_ph["firing"].values[0],
                           Electrolytes.preset("normal").replace(ca=CA_PH_MAP[0]), 0.05 if quick else 0.01, kw)
    # plasma K, one axis
    ks = np.linspace(*K_MAP, 3 if quick else 8)
    grid_k = ectopic_map(axon, ("k", ks), **kw)
    onset_k = onset_along(axon, "k", ks, grid_k["firing"].values, Electrolytes.preset("normal"),
                          0.2 if quick else 0.05, kw)
    n_fire_ph, n_fire_k = int(grid_ph["firing"].sum()), int(grid_k["firing"].sum())
    print(f"Ca {CA_PH_MAP[0]}-{CA_PH_MAP[1]} mM (at pH 7.4) x pH {PH_MAP[0]}-{PH_MAP[1]}: {n_fire_ph} of "
          f"{grid_ph['firing'].size} points fire; onset pH at Ca {CA_PH_MAP[0]} mM: "
          + (f"{onset_ph.level:.3f}" if np.isfinite(onset_ph.level) else f"none ({onset_ph.message})"))
    print(f"K {K_MAP[0]}-{K_MAP[1]} mM: {n_fire_k} of {grid_k['firing'].size} points fire; onset K: "
          + (f"{onset_k.level:.2f} mM" if np.isfinite(onset_k.level) else f"none ({onset_k.message})"))
    print(format_records({"K (mM)": k, "fires": bool(f), "rate (Hz)": r, "rest (mV)": v} for k, f, r, v in
                         zip(ks, grid_k["firing"].values, grid_k["rate"].values, grid_k["v_rest"].values)))

    closest = None
    tried = []
    if n_fire + n_fire_ph + n_fire_k == 0 and not np.isfinite(onset.level):
        normal = Electrolytes.preset("normal")
        for label, changes, params in (HARSHER[:2] if quick else HARSHER):
            r = ectopic_activity(axon, {**model_parameters(axon, normal.replace(**changes)), **params}, **kw)
            tried.append({"condition": label, "fires": bool(r.firing), "origin node": r.origin_node,
                          "rate (Hz)": r.rate, "latency (ms)": r.latency, "rest (mV)": r.v_rest})
            if r.firing:
                closest = tried[-1]
                break
        print(format_records(tried, {"harsher condition": "condition", "fires": "fires", "origin": "origin node",
                                     "rate (Hz)": "rate (Hz)", "latency (ms)": "latency (ms)",
                                     "rest (mV)": "rest (mV)"}))
        print("Closest firing condition: " + (closest["condition"] if closest else "none of those tried"))
    return {"grid": grid, "grid_ph": grid_ph, "grid_k": grid_k, "cas": cas, "mgs": mgs, "phs": phs,
            "cas_ph": cas_ph, "ks": ks, "onset": onset, "onset_ph": onset_ph, "onset_k": onset_k,
            "tried": tried, "closest": closest}


def _map_data(m: dict) -> dict:
    """The data-file entries of one axon's maps."""
    g, gp, gk = m["grid"], m["grid_ph"], m["grid_k"]
    return {"map": {"ca": m["cas"], "mg": m["mgs"], "firing": g["firing"].values, "v_rest": g["v_rest"].values,
                    "rate": g["rate"].values},
            "map_ca_ph": {"ca_at_ph_7_4": m["cas_ph"], "ph": m["phs"], "firing": gp["firing"].values,
                          "v_rest": gp["v_rest"].values, "rate": gp["rate"].values},
            "map_k": {"k": m["ks"], "firing": gk["firing"].values, "v_rest": gk["v_rest"].values,
                      "rate": gk["rate"].values},
            "onset_ca_at_low_mg": m["onset"].level, "onset_message": m["onset"].message,
            "onset_ph_at_low_ca": m["onset_ph"].level, "onset_ph_message": m["onset_ph"].message,
            "onset_k": m["onset_k"].level, "onset_k_message": m["onset_k"].message, "harsher_tried": m["tried"],
            "closest_firing": m["closest"]}


def figure(m: dict, rows: list, name: str, path, plt) -> None:
    """One axon's maps (Ca x Mg, Ca x pH, K) and the rates of every model in the conditions."""
    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    axes = axes.ravel()
    for ax, g, xs, ys, xlabel, title in ((axes[0], m["grid"], m["mgs"], m["cas"], "ionised Mg (mM)", "Ca x Mg"),
                                         (axes[1], m["grid_ph"], m["phs"], m["cas_ph"], "pH",
                                          "Ca x pH (Ca follows pH)")):
        im = ax.pcolormesh(xs, ys, g["v_rest"].values, shading="nearest", cmap="viridis")
        fig.colorbar(im, ax=ax, label="axon rest (mV)")
        fy, fx = np.nonzero(g["firing"].values)
        ax.plot(xs[fx], ys[fy], "r*", ms=12, label="fires")
        ax.set(xlabel=xlabel, ylabel="ionised Ca (mM)" + (" at pH 7.4" if g is m["grid_ph"] else ""),
               title=f"{name} axon, spontaneous firing: {title}")
    ks, gk = m["ks"], m["grid_k"]
    axes[2].plot(ks, gk["v_rest"].values, "o-", color="C0")
    fk = gk["firing"].values
    axes[2].plot(ks[fk], gk["v_rest"].values[fk], "r*", ms=12, label="fires")
    axes[2].set(xlabel="plasma K (mM)", ylabel="axon rest (mV)", title=f"{name} axon, spontaneous firing: K")
    labels = [r["condition"] for r in rows]
    y = np.arange(len(rows))
    for k, (col, lab) in enumerate((("node rate (Hz)", "single node"), ("axon rate (Hz)", "published axon"),
                                    ("fitted axon rate (Hz)", "fitted axon"))):
        axes[3].barh(y + 0.27 * (k - 1), [r[col] for r in rows], 0.27, label=lab)
    axes[3].set_yticks(y, labels, fontsize=8)
    axes[3].set(xlabel="spontaneous rate (Hz)", ylabel="condition", title="Who fires")
    axes[3].legend(frameon=False, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def run(quick: bool = False, out=None) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = output_dir("low_calcium_tetany", out)
    duration = 100.0 if quick else 300.0
    node = motor_axon()
    axons = {"published": tracking_axon(n_nodes=N_NODES), "fitted": tracking_axon(n_nodes=N_NODES, fit=FITTED)}
    kw = {"duration": duration, "compiled": True}
    rows = []
    for label, e in environments():
        single = spontaneous_activity(node, motor_axon_environment(e), duration=duration)
        row = {"condition": label, "ionised Ca (mM)": e.ca, "Mg (mM)": e.mg, "pH": e.ph,
               "node fires": bool(single.firing), "node rate (Hz)": single.rate, "node rest (mV)": single.v_rest}
        for name, ax in axons.items():
            ect = ectopic_activity(ax, model_parameters(ax, e), **kw)
            pre = "axon" if name == "published" else "fitted axon"
            row.update({f"{pre} fires": bool(ect.firing), f"{pre} origin node": ect.origin_node,
                        f"{pre} rate (Hz)": ect.rate, f"{pre} latency (ms)": ect.latency,
                        f"{pre} rest (mV)": ect.v_rest, f"{pre} rest stable": bool(ect.rest_stable)})
        rows.append(row)
    print(format_records(rows))

    maps = {name: firing_maps(ax, quick, kw, name) for name, ax in axons.items()}
    for name, m in maps.items():
        figure(m, rows, name, folder / f"low_calcium_tetany{'' if name == 'published' else '_' + name}.png", plt)
    write_table_page(markdown(rows, maps, duration), folder, "low_calcium_tetany",
                     docs_folder=docs_tables_folder(quick, out))
    print(f"\nfigures written to {folder.resolve()}")
    return {"rows": rows, "duration_ms": duration, **_map_data(maps["published"]),
            "fitted": {"model": axons["fitted"].description, **_map_data(maps["fitted"])}}


def _onset_text(o, unit: str) -> str:
    return f"{o.level:.3g} {unit}" if np.isfinite(o.level) else f"none ({o.message})"


def markdown(rows: list, maps: dict, duration: float) -> str:
    """The docs page: who fires in each condition, then each axon's maps, onsets and harsher conditions."""
    who = [{"condition": r["condition"], "ionised Ca (mM)": r["ionised Ca (mM)"], "Mg (mM)": r["Mg (mM)"],
            "pH": r["pH"], "node fires": r["node fires"], "node rate (Hz)": r["node rate (Hz)"],
            "published axon fires": r["axon fires"], "published rest (mV)": r["axon rest (mV)"],
            "fitted axon fires": r["fitted axon fires"], "fitted rest (mV)": r["fitted axon rest (mV)"]}
           for r in rows]
    summary, harsher = [], []
    for name, m in maps.items():
        summary.append({
            "axon": name,
            f"Ca {CA_MAP[0]}-{CA_MAP[1]} x Mg {MG_MAP[0]}-{MG_MAP[1]} mM: points firing":
                f"{int(m['grid']['firing'].sum())} / {m['grid']['firing'].size}",
            f"onset Ca at Mg {MG_MAP[0]} mM": _onset_text(m["onset"], "mM"),
            f"Ca {CA_PH_MAP[0]}-{CA_PH_MAP[1]} x pH {PH_MAP[0]}-{PH_MAP[1]}: points firing":
                f"{int(m['grid_ph']['firing'].sum())} / {m['grid_ph']['firing'].size}",
            f"onset pH at Ca {CA_PH_MAP[0]} mM": _onset_text(m["onset_ph"], ""),
            f"K {K_MAP[0]}-{K_MAP[1]} mM: points firing":
                f"{int(m['grid_k']['firing'].sum())} / {m['grid_k']['firing'].size}",
            "onset K": _onset_text(m["onset_k"], "mM"),
            f"rest at K {K_MAP[1]:g} mM (mV)": float(m["grid_k"]["v_rest"].values[-1]),
        })
        harsher += [{"axon": name, **t} for t in m["tried"]]
    text = ("<!-- written by experiments/low_calcium_tetany.py; do not edit -->\n\n"
            f"{duration:g} ms without a stimulus, rest displaced by 1 mV; {N_NODES}-node axons at "
            f"{Electrolytes.preset('normal').celsius:g} C. published: the "
            "Gaines et al. 2018 channel set; fitted: `fit=\"human_battery\"`. Who fires:\n\n"
            + markdown_records(who)
            + "\n\nSpontaneous-firing maps and their onsets (bisected where firing starts inside a map):\n\n"
            + markdown_records(summary, by="axon"))
    if harsher:
        text += ("\n\nHarsher conditions tried, in order, when nothing in the clinical range fires (the first that "
                 "fires ends an axon's list):\n\n" + markdown_records(harsher))
    return text + "\n"


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "low_calcium_tetany", argv,
                           quick_help="coarse map and 100 ms runs (about a minute)")


if __name__ == "__main__":
    main()
