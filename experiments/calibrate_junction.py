"""Fit the three junction constants no reachable source states, each to one behaviour.

1. ``nmj.K_Ca`` (Dodge & Rahamimoff's K1): the log-log slope of quantal content against
   Ca over the low-Ca range 0.2-0.5 mM (no Mg, 37 C, normal plasma otherwise) equals the
   measured 3.78 (Dodge & Rahamimoff 1967, 28 frog junctions).
2. ``nmj.K_Mg`` (K2) and ``nmj.k_rel`` (release rate) together: in Tyrode's solution
   6 mM Mg just blocks transmission to a single nerve shock at 37 C and 10 mM at 22 C
   (rat phrenic-diaphragm). The release at those two points equals the fibre's threshold
   release; the ratio of the two conditions fixes K_Mg, either one then fixes k_rel.

Quantal content is ``k_rel x^n I`` with ``x`` the Dodge-Rahamimoff occupancy (a closed
form in K_Ca, K_Mg) and ``I`` the integral the axon's action potential gives (independent
of the three constants up to pool depletion, ~5 % per impulse): the sims are run once per
condition and the constants solved for from them. Run: ``python
experiments/calibrate_junction.py``; prints the values and writes
``figures/calibrate_junction/calibration.json``.
"""

from __future__ import annotations

import json
import pathlib

import numpy as np
from scipy import optimize

import neuromuscle as nm
from neuromuscle.analysis import junction
from neuromuscle.components.nmj import PresynapticRelease

OUT = pathlib.Path(__file__).resolve().parent.parent / "figures" / "calibrate_junction"
SLOPE = 3.78
CA_LOW = np.geomspace(0.2, 0.5, 5)
MG_BLOCK_37 = 6.0
MG_BLOCK_22 = 10.0


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


def main() -> dict:
    model = junction._terminal_model()
    par = {k: model.parameters[k].value for k in ("nmj.K_Ca", "nmj.K_Mg", "nmj.k_rel", "nmj.n")}
    n = par["nmj.n"]
    normal = nm.Electrolytes.preset("normal")
    low = [normal.replace(ca=float(c), mg=0.0, physiological=False) for c in CA_LOW]
    i_low = np.array([integral(e, par) for e in low])

    def slope(k_ca):
        x = PresynapticRelease.occupancy(CA_LOW, 0.0, k_ca, 1.0)
        return junction.log_log_slope(CA_LOW, x ** n * i_low)

    k_ca = optimize.brentq(lambda k: slope(k) - SLOPE, 0.05, 100.0)

    # the Mg that just blocks at 37 C and at 22 C: release there equals the fibre's threshold release
    i_37, i_22 = integral(tyrode(MG_BLOCK_37), par), integral(tyrode(MG_BLOCK_22, 22.0), par)
    thr_37 = junction.safety_factor(tyrode(MG_BLOCK_37)).m_threshold
    thr_22 = junction.safety_factor(tyrode(MG_BLOCK_22, 22.0)).m_threshold

    def occ(k_mg, mg):
        return PresynapticRelease.occupancy(1.8, mg, k_ca, k_mg) ** n

    def mismatch(k_mg):
        return np.log((occ(k_mg, MG_BLOCK_37) * i_37 / thr_37) / (occ(k_mg, MG_BLOCK_22) * i_22 / thr_22))

    grid = np.geomspace(0.01, 100.0, 41)
    print("mismatch over K_Mg:", [round(float(mismatch(k)), 3) for k in grid[::5]])
    k_mg = optimize.brentq(mismatch, 0.01, 100.0)
    k_rel = thr_37 / (occ(k_mg, MG_BLOCK_37) * i_37)
    out = {"K_Ca": k_ca, "K_Mg": k_mg, "k_rel": k_rel, "targets": {
        "slope_0.2-0.5mM_Ca_no_Mg": SLOPE, "Mg_block_Tyrode_37C": MG_BLOCK_37, "Mg_block_Tyrode_22C": MG_BLOCK_22},
        "threshold_quantal_content": {"Tyrode_6mM_Mg_37C": thr_37, "Tyrode_10mM_Mg_22C": thr_22}}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "calibration.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()
