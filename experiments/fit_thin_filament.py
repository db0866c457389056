"""Fit the cooperative thin filament to a fast-twitch force-pCa curve.

Model: ``nm.muscle_ec(..., filament=CooperativeFilament("xb"))`` (docs/models/ec_coupling.md),
at 16 C (the steady-state relation does not depend on temperature: troponin and crossbridge
rates scale alike). Two constants that no reachable source states are fitted, by least
squares on the steady-state relation of :func:`neuromuscle.studies.calcium_force_relation`:

* ``xb.k_coop``: nearest-neighbour cooperativity (mean-field form of Campbell et al.), which
  sets the Hill coefficient;
* ``xb.koff_T``: the troponin Ca off-rate (on-rate kept at Shorten's), which sets pCa50.

The same targets are fitted for the alternative filament, ``PermissiveFilament``, whose troponin
binds Ca at its own (non-cooperative) rates and whose cooperativity lies in the regulatory units'
permissive transitions (Rice et al. 2008): ``xb.nperm`` (steepness) and ``xb.perm50`` (the
fraction of sites with Ca at half-transition).

Targets (``FILAMENT_TARGETS`` in ``neuromuscle/components/thin_filament.py``): pCa50 5.8 and a
Hill coefficient of 4.0, the middle of the indicative skinned mammalian fast-fibre values
(pCa50 5.7-6.0, nH 3-5 at 15-22 C) of the project's reference notes; no primary text with the
numbers was reachable. Twitch, tetanus, force-frequency curve and fusion frequency are not
fitted: experiments/muscle_twitch.py predicts them.

Writes ``thin_filament_fit.json`` (the fits, the relations at the fitted values, and the
independent-unit filament's relation for comparison) and ``force_pca.png``.

Run: ``python experiments/fit_thin_filament.py [--quick] [--out DIR]`` (--quick evaluates the
package's values without fitting).
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np

from neuromuscle.reporting import experiment_main, format_table, output_dir

CELSIUS = 16.0
FITTED = ("xb.k_coop", "xb.koff_T")
FITTED_PERMISSIVE = ("xb.nperm", "xb.perm50")


def relation(model, y):
    from neuromuscle.studies import calcium_force_relation

    return calcium_force_relation(model, np.geomspace(0.05, 100.0, 80), y=y)


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from scipy.optimize import least_squares

    import neuromuscle as nm
    from neuromuscle.analysis import resting_state
    from neuromuscle.components.thin_filament import (
        FILAMENT_TARGETS,
        CooperativeFilament,
        PermissiveFilament,
        RBCFilament,
    )

    folder = output_dir("fit_thin_filament", out)
    cold = dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=CELSIUS)
    target = np.array([FILAMENT_TARGETS["pCa50"], FILAMENT_TARGETS["hill"]])

    def fit_filament(filament, names):
        """(start, fitted, relation, [pCa50, nH]) of ``names`` on ``muscle_ec`` with ``filament``."""
        model = nm.muscle_ec(cold, filament=filament)
        y = resting_state(model).y
        start = {k: model.parameters[k].value for k in names}

        def measure(values):
            m = model.with_parameters(**{k.replace(".", "__"): v for k, v in values.items()})
            r = relation(m, y)
            return r, np.array([r.pca50, r.hill])

        def residual(logs):
            got = measure(dict(zip(names, np.exp(logs))))[1]
            if show_progress:
                print("  " + ", ".join(f"{v:.4g}" for v in np.exp(logs)) + " -> " + ", ".join(f"{g:.4g}" for g in got))
            return (got - target) / np.array([0.01, 0.05])

        if quick:
            fitted = start
        else:
            fit = least_squares(residual, np.log([start[k] for k in names]), diff_step=1e-3, xtol=1e-6)
            fitted = dict(zip(names, np.exp(fit.x)))
        return (start, fitted, *measure(fitted))

    start, fitted, rel, got = fit_filament(CooperativeFilament("xb"), FITTED)
    p_start, p_fitted, p_rel, p_got = fit_filament(PermissiveFilament("xb"), FITTED_PERMISSIVE)
    independent = nm.muscle_ec(cold, filament=RBCFilament("xb"))
    plain = relation(independent, resting_state(independent).y)
    rows = [("pCa50", target[0], got[0], p_got[0], plain.pca50),
            ("Hill coefficient", target[1], got[1], p_got[1], plain.hill),
            ("maximum force (A2 per unit)", float("nan"), rel.force_max, p_rel.force_max, plain.force_max)]
    print(format_table(rows, ("measure", "target", "cooperative", "permissive", "independent units")))
    print(format_table([(k, start[k], fitted[k]) for k in FITTED] + [(k, p_start[k], p_fitted[k])
                                                                      for k in FITTED_PERMISSIVE],
                       ("parameter", "start", "fitted")))
    result = {"targets": dict(FILAMENT_TARGETS), "fitted": fitted, "start": start,
              "cooperative": {"pCa50": got[0], "hill": got[1], "force_max": rel.force_max,
                              "ca50 (uM)": rel.ca50},
              "permissive": {"fitted": p_fitted, "start": p_start, "pCa50": p_got[0], "hill": p_got[1],
                             "force_max": p_rel.force_max, "ca50 (uM)": p_rel.ca50},
              "independent units": {"pCa50": plain.pca50, "hill": plain.hill, "force_max": plain.force_max,
                                    "ca50 (uM)": plain.ca50},
              "curve": {"ca (uM)": rel.ca.tolist(), "relative force": rel.relative.tolist(),
                        "permissive": p_rel.relative.tolist(), "independent units": plain.relative.tolist()}}
    (folder / "thin_filament_fit.json").write_text(json.dumps(result, indent=2))
    fig, ax = plt.subplots(figsize=(5, 4))
    pca = -np.log10(rel.ca * 1e-6)
    ax.plot(pca, rel.relative, label=f"cooperative (pCa50 {got[0]:.2f}, nH {got[1]:.2f})")
    ax.plot(pca, p_rel.relative, ":", label=f"permissive (pCa50 {p_got[0]:.2f}, nH {p_got[1]:.2f})")
    ax.plot(pca, plain.relative, "--", label=f"independent units (pCa50 {plain.pca50:.2f}, nH {plain.hill:.2f})")
    ax.invert_xaxis()
    ax.set_xlabel("pCa")
    ax.set_ylabel("relative steady-state force")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(folder / "force_pca.png", dpi=120)
    plt.close(fig)
    print(f"figures written to {folder}")
    return result


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "fit_thin_filament", argv, quick_help="evaluate the current values, no fit")


if __name__ == "__main__":
    main()
