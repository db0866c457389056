"""The neuromuscular junction: release against Ca and Mg, the Mg that blocks transmission,
and the safety factor across electrolytes and temperature.

Three tables, all from :func:`~neuromuscle.nerve_muscle` models stimulated at the nerve:

1. Quantal content against Ca at three Mg levels (37 C), with the log-log slope over the
   low-Ca range (0.27-0.6 mM) at each Mg: Dodge & Rahamimoff's steep, parallel curves.
2. The Mg that just blocks transmission to one nerve shock in Tyrode's solution at 37 and
   22 C (fitted points, see experiments/calibrate_junction.py), and the Ca below which
   transmission fails at each temperature (a prediction: rat diaphragm needs about 4 times
   less Ca at 22 C than at 37 C).
3. Safety factor (Ruff 2011) and quantal content for clinical electrolyte presets.

Then the "Mg is a natural calcium blocker" claim at the junction, answered from the
numbers: how much plasma Mg changes release, against how much plasma Ca does, and whether
either blocks transmission within the human ranges.

Run: ``python experiments/neuromuscular_junction.py [--quick] [--out DIR]``; writes
``junction.json`` and ``neuromuscular_junction.png`` in ``figures/neuromuscular_junction``;
a full run into the default folder also writes the tables the docs page includes,
``docs/models/data/neuromuscular_junction.md`` (rendered from the same data).
"""

from __future__ import annotations

import json
import math

import numpy as np

from neuromuscle.electrolytes import model_parameters
from neuromuscle.reporting import docs_tables_folder, experiment_main, format_table, output_dir, write_table_page
from neuromuscle.reporting import markdown_number as _f

CA = (0.27, 0.35, 0.45, 0.6, 0.8, 1.2, 2.0)
MG = (0.0, 1.0, 3.0)
PRESETS = ("normal", "hypocalcaemia_mild", "hypocalcaemia_severe", "hypomagnesaemia", "hypokalaemia_severe",
           "hyponatraemia_severe")


def tyrode(mg: float, celsius: float = 37.0, ca: float = 1.8):
    import neuromuscle as nm

    return nm.Electrolytes.solution(na=149.3, k=2.7, cl=137.0 + 2.7 + 2 * ca + 2 * mg, ca=ca, mg=mg, hco3=11.9,
                                    celsius=celsius, name=f"Tyrode, Ca {ca:g}, Mg {mg:g} mM, {celsius:g} C")


def blocking_calcium(celsius: float, lo: float = 0.02, hi: float = 1.8, rtol: float = 0.03) -> float:
    """Ca (mM) below which one nerve shock no longer fires the fibre, in Tyrode (Mg 1 mM)."""
    from neuromuscle.analysis import junction

    model = junction._junction_model()

    def ok(ca):
        return junction.transmits(model, model_parameters(model, tyrode(1.0, celsius, ca)))

    if ok(lo) or not ok(hi):
        return math.nan
    while hi - lo > rtol * hi:
        mid = math.sqrt(lo * hi)
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return math.sqrt(lo * hi)



def markdown(result: dict) -> str:
    """The docs page's tables, rendered from the experiment's data."""
    lines = ["<!-- written by experiments/neuromuscular_junction.py from junction.json; do not edit -->", ""]
    q = result["quantal_content_vs_ca"]
    mgs = list(q["by_mg"])
    lines += ["| Ca (mM) | " + " | ".join(f"m, Mg {mg} mM" for mg in mgs) + " |",
              "|---|" + "---|" * len(mgs)]
    for k, c in enumerate(q["ca_mM"]):
        lines.append(f"| {c:g} | " + " | ".join(_f(q["by_mg"][mg][k], 4) for mg in mgs) + " |")
    lines += ["", "| measure | model | published |", "|---|---|---|"]
    for mg, v in result["low_ca_slope_by_mg"].items():
        fitted = " (fitted)" if float(mg) == 1.0 else " (not fitted)"
        axon = result.get("low_ca_slope_axon_part_by_mg", {}).get(mg)
        part = f" (of which the axon's action potential: {_f(axon, 2)})" if axon is not None else ""
        lines.append(f"| log-log slope, 0.27-0.6 mM Ca, Mg {mg} mM{fitted} | {_f(v)}{part} | 3.78 +/- 0.2, unchanged "
                     "by Mg (Dodge & Rahamimoff 1967) |")
    for mg, v in result.get("normal_ca_slope_by_mg", {}).items():
        lines.append(f"| log-log slope, 1.2-2 mM Ca, Mg {mg} mM | {_f(v)} | falls towards normal Ca (same) |")
    pub = {"37.0": "6 mM (fitted)", "22.0": "10 mM (not fitted)"}
    for t, v in result["mg_block_mM"].items():
        lines.append(f"| Mg blocking transmission, Tyrode, {float(t):g} C (mM) | {_f(v)} | {pub.get(t, '')} rat "
                     "diaphragm |")
    cb = result.get("ca_block_mM", {})
    for t, v in cb.items():
        lines.append(f"| Ca below which transmission fails, Tyrode + 1 mM Mg, {float(t):g} C (mM) | {_f(v)} | |")
    if "37.0" in cb and "22.0" in cb:
        lines.append(f"| ratio of those Ca, 37 C / 22 C (not fitted) | {_f(cb['37.0'] / cb['22.0'])} | about 4 "
                     "(rat diaphragm) |")
    lines += ["", "| preset | Ca | Mg | K | quantal content m | threshold m | EPP (mV) | E_AP - E_rest (mV) | "
              "safety factor (Ruff) | m / m_threshold |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in result["safety_factor"]:
        vals = list(r.values())
        lines.append("| " + " | ".join([str(vals[0])] + [_f(v) for v in vals[1:]]) + " |")
    if "cold_safety_factor" in result:
        c = result["cold_safety_factor"]
        lines.append(f"| normal, 22 C | | | | {_f(c['m'])} | {_f(c['m_threshold'])} | {_f(c['epp'])} | "
                     f"{_f(c['epp_threshold'])} | {_f(c['value'])} | {_f(c['quantal'])} |")
    if result.get("quantal_content_decomposition"):
        lines += ["", "Where the quantal content comes from:", "", "| quantity | value |", "|---|---|"]
        lines += [f"| {k.strip()} | {_f(v)} |" for k, v in result["quantal_content_decomposition"].items()]
    lines += ["", "Mg as a calcium blocker at the junction:", ""]
    lines += [f"- {k}: {_f(v)}" for k, v in result["mg_calcium_blocker"].items()]
    lines += ["", result["verdict"] + ".", ""]
    return "\n".join(lines)


def run(quick: bool = False, out=None) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import neuromuscle as nm
    from neuromuscle.analysis import junction

    folder = output_dir("neuromuscular_junction", out)
    normal = nm.Electrolytes.preset("normal")
    ca_list = (0.27, 0.4, 0.6) if quick else CA
    mg_list = (0.0, 1.0) if quick else MG
    curves, slopes = {}, {}
    for mg in mg_list:
        m = [nm.analysis.quantal_content(normal.replace(ca=c, mg=mg, physiological=False)).mean for c in ca_list]
        curves[mg] = m
        low = [k for k, c in enumerate(ca_list) if c <= 0.6]
        slopes[mg] = junction.log_log_slope(np.asarray(ca_list)[low], np.asarray(m)[low])
    # the part of each slope that is the axon's (release over the Dodge-Rahamimoff occupancy^n)
    from neuromuscle.components.nmj import PresynapticRelease

    term = junction._terminal_model()
    k_ca, k_mg, n_ca = (term.parameters[f"nmj.{k}"].value for k in ("K_Ca", "K_Mg", "n"))
    axon_part = {}
    for mg in mg_list:
        low = [k for k, c in enumerate(ca_list) if c <= 0.6]
        ca_arr = np.asarray(ca_list)[low]
        occ = PresynapticRelease.occupancy(ca_arr, mg, k_ca, k_mg) ** n_ca
        axon_part[mg] = junction.log_log_slope(ca_arr, np.asarray(curves[mg])[low] / occ)
    rows1 = [[c] + [curves[mg][k] for mg in mg_list] for k, c in enumerate(ca_list)]
    print("Quantal content against Ca (37 C, normal plasma otherwise)")
    print(format_table(rows1, ["Ca (mM)"] + [f"Mg {mg:g} mM" for mg in mg_list]))
    high = {}
    if not quick:
        top = [k for k, c in enumerate(ca_list) if c >= 1.2]
        high = {mg: junction.log_log_slope(np.asarray(ca_list)[top], np.asarray(curves[mg])[top]) for mg in mg_list}
        print("log-log slope, 1.2-2 mM Ca: " + ", ".join(f"Mg {mg:g}: {s:.2f}" for mg, s in high.items())
              + "  (Dodge & Rahamimoff: the slope falls as Ca approaches normal)")
    print("log-log slope, 0.27-0.6 mM Ca: " + ", ".join(f"Mg {mg:g}: {s:.2f}" for mg, s in slopes.items())
          + "  (Dodge & Rahamimoff 1967: 3.78 +/- 0.2, unchanged by Mg)")

    temps = (37.0,) if quick else (37.0, 22.0)
    block = {t: junction.blocking_magnesium(tyrode(1.0, t), params=None) for t in temps}
    ca_block = {} if quick else {t: blocking_calcium(t) for t in temps}
    print("\nMg that just blocks transmission (Tyrode): " + ", ".join(f"{t:g} C: {v:.2f} mM" for t, v in block.items())
          + "  (rat diaphragm: 6 mM at 37 C, fitted; 10 mM at 22 C, not fitted)")
    if ca_block:
        ratio = ca_block[37.0] / ca_block[22.0]
        print("Ca below which transmission fails (Tyrode, Mg 1 mM): " + ", ".join(
            f"{t:g} C: {v:.3f} mM" for t, v in ca_block.items())
              + f"; ratio 37/22 C = {ratio:.2f} (rat diaphragm: about 4)")

    presets = ("normal",) if quick else PRESETS
    rows3, sf_rows = [], []
    for name in presets:
        e = nm.Electrolytes.preset(name)
        sf = nm.analysis.safety_factor(e)
        rows3.append([name, e.ca, e.mg, e.k, sf.m, sf.m_threshold, sf.epp, sf.epp_threshold, sf.value, sf.quantal])
        sf_rows.append(dict(zip(["preset", "Ca_o", "Mg_o", "K_o", "quantal content", "threshold quanta",
                                 "EPP (mV)", "E_AP - E_rest (mV)", "safety factor (Ruff)", "m/m_threshold"],
                                rows3[-1])))
    print("\nSafety factor (37 C)")
    print(format_table(rows3, ["preset", "Ca", "Mg", "K", "m", "m thr", "EPP mV", "thr mV", "SF", "m/m_thr"]))
    if not quick:
        cold = nm.analysis.safety_factor(normal, celsius=22.0)
        cold_sf = {k: getattr(cold, k) for k in ("value", "quantal", "m", "m_threshold", "epp", "epp_threshold")}
        print(f"normal plasma at 22 C: SF {cold.value:.2f}, m/m_thr {cold.quantal:.2f}")

    # Mg as a "calcium blocker" at the junction: release per unit change of plasma Mg and Ca
    base = nm.analysis.quantal_content(normal).mean
    hi_mg = nm.analysis.quantal_content(normal.replace(mg=1.5)).mean
    lo_mg = nm.analysis.quantal_content(normal.replace(mg=0.25)).mean
    lo_ca = nm.analysis.quantal_content(normal.replace(ca=0.9)).mean
    block_37 = block[37.0]
    claim = {
        "quantal content, normal plasma": base,
        "change with Mg 0.52 -> 1.5 mM (%)": 100 * (hi_mg / base - 1),
        "change with Mg 0.52 -> 0.25 mM (%)": 100 * (lo_mg / base - 1),
        "change with Ca 1.22 -> 0.9 mM (%)": 100 * (lo_ca / base - 1),
        "Mg blocking transmission at 37 C (mM, Tyrode)": block_37,
        "Mg blocking / highest plasma Mg of the hard limits (6 mM)": block_37 / 6.0,
    }
    verdict = ("Mg competes with Ca at the release site: raising plasma Mg from 0.52 to 1.5 mM lowers release by "
               f"{-claim['change with Mg 0.52 -> 1.5 mM (%)']:.0f} %, less than lowering Ca from 1.22 to 0.9 mM "
               f"({-claim['change with Ca 1.22 -> 0.9 mM (%)']:.0f} %)" if hi_mg > lo_ca else
               "Mg competes with Ca at the release site: raising plasma Mg from 0.52 to 1.5 mM lowers release by "
               f"{-claim['change with Mg 0.52 -> 1.5 mM (%)']:.0f} %, more than lowering Ca from 1.22 to 0.9 mM "
               f"({-claim['change with Ca 1.22 -> 0.9 mM (%)']:.0f} %)")
    verdict += (f"; transmission fails only near {block_37:.1f} mM Mg in Tyrode at 37 C, so within plasma ranges Mg "
                "acts as a calcium antagonist at release without blocking transmission"
                if block_37 > 3.0 else f"; transmission already fails at {block_37:.1f} mM Mg")
    print("\nMg as a calcium blocker at the junction:")
    for k, v in claim.items():
        print(f"  {k}: {v:.4g}")
    print("  " + verdict)

    decomposition = {}
    if not quick:  # (about 10 s: a threshold search in Tyrode)
        # quantal content = margin x threshold quantal content; the threshold quantal content is the
        # depolarisation to threshold over the quantal size (with the EPP's approach to the end-plate reversal)
        t6 = tyrode(6.0)
        size = nm.analysis.quantal_size(normal)
        size_22 = nm.analysis.quantal_size(normal, celsius=22.0)
        thr_t6 = nm.analysis.safety_factor(t6).m_threshold
        sf0 = sf_rows[0]
        decomposition = {
            "quantal content m, normal plasma": base,
            "threshold quantal content, normal plasma": sf0["threshold quanta"],
            "margin m / m_threshold, normal plasma (fitted: Paton & Waud 1967, 4.1-12)": base / sf0["threshold quanta"],
            "depolarisation to threshold E_AP - E_rest (mV)": sf0["E_AP - E_rest (mV)"],
            "miniature EPP, 37 C (mV)": size.mepp,
            "miniature EPP, 22 C (mV)": size_22.mepp,
            "miniature EPC peak at rest, 37 C (nA)": size.mepc,
            "charge per quantum, 37 C (pC)": size.charge,
            "conductance per quantum, 37 C (nS)": size.conductance,
            "fibre area charged (cm2)": size.area,
            "(E_AP - E_rest) / mEPP: threshold quanta without saturation": sf0["E_AP - E_rest (mV)"] / size.mepp,
            "threshold quantal content, Tyrode 6 mM Mg, 37 C": thr_t6,
            "threshold ratio Tyrode 6 mM Mg / normal (Mg on the fibre, Tyrode ions)": thr_t6 / sf0["threshold quanta"],
        }
        print("\nWhere the quantal content comes from:")
        for k, v in decomposition.items():
            print(f"  {k}: {v:.4g}")

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for mg in mg_list:
        axes[0].loglog(ca_list, curves[mg], "o-", label=f"Mg {mg:g} mM (slope {slopes[mg]:.2f})")
    axes[0].set_xlabel("extracellular Ca (mM)")
    axes[0].set_ylabel("quantal content")
    axes[0].legend()
    axes[1].bar(range(len(rows3)), [r[8] for r in rows3])
    axes[1].set_xticks(range(len(rows3)), [r[0] for r in rows3], rotation=45, ha="right", fontsize=7)
    axes[1].axhline(1.0, color="k", lw=0.8)
    axes[1].set_ylabel("safety factor (Ruff 2011)")
    axes[1].set_xlabel("condition")
    fig.tight_layout()
    fig.savefig(folder / "neuromuscular_junction.png", dpi=120)
    plt.close(fig)
    result = {
        "quantal_content_vs_ca": {"ca_mM": list(ca_list), "by_mg": {str(k): v for k, v in curves.items()}},
        "low_ca_slope_by_mg": {str(k): v for k, v in slopes.items()},
        "low_ca_slope_axon_part_by_mg": {str(k): v for k, v in axon_part.items()},
        "normal_ca_slope_by_mg": {str(k): v for k, v in high.items()},
        "mg_block_mM": {str(k): v for k, v in block.items()},
        "ca_block_mM": {str(k): v for k, v in ca_block.items()},
        "safety_factor": sf_rows, "mg_calcium_blocker": claim, "verdict": verdict,
        "quantal_content_decomposition": decomposition,
    }
    if not quick:
        result["cold_safety_factor"] = cold_sf
    (folder / "junction.json").write_text(json.dumps(result, indent=2))
    write_table_page(markdown(result), folder, "junction", docs_folder=docs_tables_folder(quick, out),
                     docs_name="neuromuscular_junction")
    return result


def main(argv=None):
    return experiment_main(run, __doc__, "neuromuscular_junction", argv)


if __name__ == "__main__":
    main()
