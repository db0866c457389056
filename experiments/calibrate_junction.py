"""Fit the three junction constants no reachable source states, each to one behaviour.

1. ``nmj.K_Ca`` (Dodge & Rahamimoff's K1): the log-log slope of quantal content against
   Ca over the low-Ca range 0.27-0.6 mM (Mg 1 mM, 37 C, normal plasma otherwise) equals the
   measured 3.78 (Dodge & Rahamimoff 1967, 28 frog junctions). With 1 mM Mg the model
   axon's action potential hardly changes over that range (its part of the slope is below
   0.1), so the slope is the release site's; without Mg the axon, near repetitive firing,
   adds about 1.5 to it (experiments/neuromuscular_junction.py reports both).
2. ``nmj.K_Mg`` (K2) and ``nmj.k_rel`` (release rate) together, from two measurements:
   the margin of safety of transmission in normal plasma at 37 C, the factor by which the
   end-plate's response can be cut before a fibre fails (Paton & Waud 1967, cat: 4.1 for
   the most sensitive and 12 for the most resistant fibres; the model fibre is given the
   geometric middle, 7.0), and the 6 mM Mg that just blocks transmission to a single
   nerve shock in Tyrode's solution at 37 C (rat phrenic-diaphragm). Cutting the
   end-plate's response by a factor is, in the model, cutting the release by it (quanta
   add their conductances), so the margin is the quantal content over the threshold
   quantal content. The two conditions fix K_Mg through their ratio, either then k_rel.

The quantal content then follows from the fibre's threshold quantal content and the
margin: it is not a fit target, nor are the Mg that blocks at 22 C, the Ca that
transmission needs at 22 and 37 C, the slope with Mg present and Ruff's safety factor.

Quantal content is ``k_rel x^n I`` with ``x`` the Dodge-Rahamimoff occupancy (a closed
form in K_Ca, K_Mg) and ``I`` the integral the axon's action potential gives (independent
of the three constants up to pool depletion): the sims are run per condition, the
constants solved for from them, and the passes repeated from the new constants until they
move by less than 0.2 %. Run: ``python
experiments/calibrate_junction.py [--quick] [--out DIR]``; prints the values and writes
``figures/calibrate_junction/calibrate_junction.json``; a full run into the default folder
also writes the docs table ``docs/models/data/calibrate_junction.md``.
"""

from __future__ import annotations

import json

import numpy as np
from scipy import optimize

import neuromuscle as nm
from neuromuscle.analysis import junction
from neuromuscle.components.nmj import PresynapticRelease
from neuromuscle.reporting import docs_tables_folder, experiment_main, output_dir, write_table_page

SLOPE = 3.78
CA_LOW = np.geomspace(0.27, 0.6, 5)
MG_SLOPE = 1.0
MG_BLOCK_37 = 6.0
#: Margin of safety, Paton & Waud 1967 J Physiol 191:59 (cat tibialis and sartorius, receptor occupancy by
#: tubocurarine at threshold block 0.76 and at nearly complete block 0.917: margins 4.1 and 12); the geometric
#: middle of the two stands for the one model fibre.
MARGIN_RANGE = (4.1, 12.0)
MARGIN = float(np.sqrt(MARGIN_RANGE[0] * MARGIN_RANGE[1]))


def tyrode(mg: float, celsius: float = 37.0, ca: float = 1.8) -> nm.Electrolytes:
    """Tyrode's solution (NaCl 137, KCl 2.7, CaCl2 1.8, NaHCO3 11.9, NaH2PO4 0.4 mM) with
    ``mg`` mM Mg; the anions not listed (phosphate) are left to the anion gap."""
    return nm.Electrolytes.solution(na=149.3, k=2.7, cl=137.0 + 2.7 + 2 * ca + 2 * mg, ca=ca, mg=mg, hco3=11.9,
                                    celsius=celsius, name=f"Tyrode, Mg {mg:g} mM, {celsius:g} C")


def integral(e: nm.Electrolytes, par: dict) -> float:
    """``m / (k_rel x^n)`` for the given electrolytes (the axon's part of release)."""
    q = junction.quantal_content(e, params=par)
    x = PresynapticRelease.occupancy(e.ca, e.mg, par["nmj.K_Ca"], par["nmj.K_Mg"])
    return q.mean / (par["nmj.k_rel"] * x ** par["nmj.n"])


def fit_once(par: dict) -> dict:
    """One pass of the three fits with the integrals run at ``par``."""
    n = par["nmj.n"]
    normal = nm.Electrolytes.preset("normal")
    low = [normal.replace(ca=float(c), mg=MG_SLOPE, physiological=False) for c in CA_LOW]
    i_low = np.array([integral(e, par) for e in low])

    def slope(k_ca):  # (with K_Mg from the previous pass: the passes converge on both)
        x = PresynapticRelease.occupancy(CA_LOW, MG_SLOPE, k_ca, par["nmj.K_Mg"])
        return junction.log_log_slope(CA_LOW, x ** n * i_low)

    k_ca = optimize.brentq(lambda k: slope(k) - SLOPE, 0.05, 100.0)

    # normal plasma releases MARGIN times its threshold; Tyrode with 6 mM Mg exactly its threshold
    i_n, i_37 = integral(normal, par), integral(tyrode(MG_BLOCK_37), par)
    thr_n = junction.safety_factor(normal, params=par).m_threshold
    thr_37 = junction.safety_factor(tyrode(MG_BLOCK_37), params=par).m_threshold

    def occ(k_mg, ca, mg):
        return PresynapticRelease.occupancy(ca, mg, k_ca, k_mg) ** n

    def mismatch(k_mg):
        return np.log((occ(k_mg, normal.ca, normal.mg) * i_n / (MARGIN * thr_n))
                      / (occ(k_mg, 1.8, MG_BLOCK_37) * i_37 / thr_37))

    lo, hi = 0.01, 1e3
    if mismatch(lo) * mismatch(hi) > 0:
        raise RuntimeError(f"no K_Mg in {lo}-{hi} mM meets both targets (mismatch {mismatch(lo):.3g}, "
                           f"{mismatch(hi):.3g}): the Mg block and the margin are inconsistent in this model")
    k_mg = optimize.brentq(mismatch, lo, hi)
    k_rel = thr_37 / (occ(k_mg, 1.8, MG_BLOCK_37) * i_37)
    return {"nmj.K_Ca": k_ca, "nmj.K_Mg": k_mg, "nmj.k_rel": k_rel, "nmj.n": n,
            "thr": {"normal_plasma_37C": thr_n, "Tyrode_6mM_Mg_37C": thr_37}}


def markdown(out: dict) -> str:
    """The fitted constants as the docs table, rendered from the calibration data."""
    thr = out["threshold_quantal_content"]
    rows = [
        ("`nmj.K_Ca`", f"{out['K_Ca']:.4g} mM", f"log-log slope {SLOPE} (Dodge & Rahamimoff 1967) over "
         f"{CA_LOW[0]:g}-{CA_LOW[-1]:g} mM Ca, Mg {MG_SLOPE:g} mM, 37 C"),
        ("`nmj.K_Mg`, `nmj.k_rel`", f"{out['K_Mg']:.4g} mM, {out['k_rel']:.4g} /ms",
         f"margin of safety {MARGIN:.2g} in normal plasma at 37 C (quantal content / threshold quantal content; "
         f"Paton & Waud 1967: {MARGIN_RANGE[0]:g}-{MARGIN_RANGE[1]:g}, geometric middle) and rat diaphragm in "
         f"Tyrode: {MG_BLOCK_37:g} mM Mg just blocks at 37 C (threshold quantal content there: "
         f"{thr['normal_plasma_37C']:.3g} and {thr['Tyrode_6mM_Mg_37C']:.3g})"),
    ]
    lines = ["<!-- written by experiments/calibrate_junction.py from calibrate_junction.json; do not edit -->", "",
             "| constant | value | fitted to |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    n = len(out["passes"])
    lines += ["", ("Converged" if out["converged"] else "Not converged") + f" after {n} pass{'es' if n > 1 else ''} "
              f"(largest change in the last pass {100 * out['passes'][-1]['max_change']:.2g} %).", ""]
    return "\n".join(lines)


def run(quick: bool = False, out=None, max_passes: int = 12, rtol: float = 2e-3) -> dict:
    """Repeat the fits until the constants stop moving: the integrals depend on them only
    through pool depletion, so each pass starts from the previous pass's constants
    (``quick``: one pass from the committed constants, which shows how far they are from
    a fixed point)."""
    max_passes = 1 if quick else max_passes
    model = junction._terminal_model()
    par = {k: model.parameters[k].value for k in ("nmj.K_Ca", "nmj.K_Mg", "nmj.k_rel", "nmj.n")}
    history = []
    for i in range(max_passes):
        new = fit_once(par)
        thr = new.pop("thr")
        change = max(abs(new[k] / par[k] - 1.0) for k in ("nmj.K_Ca", "nmj.K_Mg", "nmj.k_rel"))
        par = new
        history.append({"pass": i + 1, **{k.split(".")[1]: v for k, v in new.items()}, "max_change": change})
        print(f"pass {i + 1}: K_Ca {new['nmj.K_Ca']:.4g} mM, K_Mg {new['nmj.K_Mg']:.4g} mM, "
              f"k_rel {new['nmj.k_rel']:.4g} /ms (largest change {100 * change:.2g} %)", flush=True)
        if change < rtol:
            break
    else:
        print(f"not converged to {rtol:g} after {max_passes} passes")
    result = {"K_Ca": par["nmj.K_Ca"], "K_Mg": par["nmj.K_Mg"], "k_rel": par["nmj.k_rel"],
              "converged": change < rtol, "passes": history, "targets": {
                  "slope_0.27-0.6mM_Ca_1mM_Mg": SLOPE, "Mg_block_Tyrode_37C": MG_BLOCK_37,
                  "margin_of_safety_normal_plasma_37C": MARGIN},
              "threshold_quantal_content": thr}
    print(json.dumps({k: v for k, v in result.items() if k != "passes"}, indent=2))
    write_table_page(markdown(result), output_dir("calibrate_junction", out), "calibrate_junction",
                     docs_folder=docs_tables_folder(quick, out))
    return result


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "calibrate_junction", argv,
                           quick_help="one pass from the committed constants (about 10 s)")


if __name__ == "__main__":
    main()
