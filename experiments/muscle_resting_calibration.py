"""The muscle fibre with resting densities calibrated to measured conductances.

``nm.muscle_fibre(resting="calibrated")`` keeps Wallinga et al.'s (1999) channel kinetics but
calibrates the Kir, ClC-1 and pump densities, a background Na permeability and myoplasmic Cl
to measured resting values (rest -85 mV at K_o 4 mM: Jurkat-Rott et al. 2009; K and Cl
slope conductances 0.34 and 2.11 mS/cm2: Palade & Barchi 1977), with the measured peak Na
conductance (Almers, Roberts & Ruff 1984: 100-250 mS/cm2, default the middle). This script
prints the calibrated densities; the steady states it finds as K_o changes, on the three
time scales of ``fibre_states``, with and without the HypoPP cation leak (Jurkat-Rott et
al. 2009: 19.5 uS/cm2); how the Cl-redistributed states depend on where in the measured
range the peak Na conductance lies; and the rest in normal plasma from 16 to 37 C.

Run: ``python experiments/muscle_resting_calibration.py [--quick]``.
"""

from __future__ import annotations

import argparse
import dataclasses

import neuromuscle as nm

MODES = ("acute", "chloride", "chronic")


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="three K_o values, no leak, two Na conductances")
    args = ap.parse_args(argv)
    ko = (1.0, 4.0, 6.0) if args.quick else (0.8, 1.0, 1.5, 2.0, 3.0, 4.0, 4.2, 5.0, 6.0, 10.0)
    leaks = (0.0,) if args.quick else (0.0, 0.0195)
    normal = nm.Electrolytes.preset("normal")
    table = {}
    for leak in leaks:
        fibre = nm.muscle_fibre(resting="calibrated", cation_leak=leak)
        if leak == 0.0:
            print("Calibrated densities (37 C; surface, tubule = eta x surface):")
            for name in ("na.g", "kir.G", "cl.g", "pump.I_max", "background.P_Na", "Cl_i"):
                par = fibre.parameters[name]
                print(f"  {name:16s} {par.value:10.4g} {par.unit:7s} {par.source[:110]}")
        print(f"\ncation leak {leak * 1000:g} uS/cm2: stable (u = unstable) states, mV")
        print(f"{'K_o':>5} " + " ".join(f"{m:>26}" for m in MODES))
        for k in ko:
            e = dataclasses.replace(normal, k=k, name=f"K {k}")
            row = {m: nm.fibre_states(fibre, e, mode=m) for m in MODES}
            table[(leak, k)] = {m: [(s.v, s.stable) for s in row[m]] for m in MODES}
            cells = [",".join(f"{s.v:.1f}{'' if s.stable else 'u'}" for s in row[m]) or "not found" for m in MODES]
            print(f"{k:5g} " + " ".join(f"{c:>26}" for c in cells), flush=True)

    g23 = (175.0, 250.0) if args.quick else (100.0, 175.0, 250.0, 360.0)  # mS/cm2 at 23 C
    print("\nStable states with Cl redistributed (chloride mode) vs peak Na conductance (mS/cm2 at 23 C; "
          "Almers et al. 1984 measured 100-250 in rat, 44-360 in human):")
    print(f"{'gNa':>5} " + " ".join(f"{k:>11g}" for k in ko))
    sensitivity = {}
    for g in g23:
        fibre = nm.muscle_fibre(na_conductance=g / 1.5 ** 0.3)
        cells = []
        for k in ko:
            e = dataclasses.replace(normal, k=k, name=f"K {k}")
            states = [s.v for s in nm.fibre_states(fibre, e, mode="chloride") if s.stable]
            sensitivity[(g, k)] = states
            cells.append("/".join(f"{v:.0f}" for v in states) or "not found")
        print(f"{g:5g} " + " ".join(f"{c:>11}" for c in cells), flush=True)
    table["sensitivity"] = sensitivity

    print("\nRest in normal plasma vs temperature (every passive pathway carries Q10 1.5), mV (Na_i, mM):")
    print(f"{'C':>5} " + " ".join(f"{m:>16}" for m in MODES))
    for celsius in (22.0, 37.0) if args.quick else (16.0, 22.0, 25.0, 30.0, 37.0):
        e = dataclasses.replace(normal, celsius=celsius)
        fibre = nm.muscle_fibre(e)
        row = {m: [s for s in nm.fibre_states(fibre, e, mode=m) if s.stable] for m in MODES}
        table[("celsius", celsius)] = {m: [s.v for s in row[m]] for m in MODES}
        cells = ["/".join(f"{s.v:.1f} ({s.params['Na_i']:.1f})" for s in row[m]) or "not found" for m in MODES]
        print(f"{celsius:5g} " + " ".join(f"{c:>16}" for c in cells), flush=True)

    published = nm.muscle_fibre(resting="published")
    print("\nFor comparison, Wallinga's published densities (resting='published'), stable states, mV:")
    print(f"{'K_o':>5} " + " ".join(f"{m:>14}" for m in MODES))
    for k in (1.0, 4.2) if args.quick else (0.8, 1.0, 2.0, 4.0, 4.2, 6.0, 10.0):
        e = dataclasses.replace(normal, k=k, name=f"K {k}")
        row = {m: [s.v for s in nm.fibre_states(published, e, mode=m) if s.stable] for m in MODES}
        table[("published", k)] = row
        print(f"{k:5g} " + " ".join(f"{'/'.join(f'{v:.1f}' for v in row[m]) or 'not found':>14}" for m in MODES))
    return table


if __name__ == "__main__":
    main()
