"""Which parameters set the 16 C Ca transient: local sensitivities of the fibre with EC coupling.

Why: at 16 C the model's Ca transient misses what Baylor & Hollingworth (2003) measured
(18.5 uM, FDHM 4.9 ms; the model's figures are on docs/models/ec_coupling.md). This script
measures where the miss comes from, without changing the model: for each parameter group
it scales the group by 0.95 and 1.05, rebuilds the resting pools at the same measured SR load
and free Mg (``initial_pools``), stimulates with the same pulse (twice the unperturbed
fibre's threshold, 0.5 ms) and reports the elasticity d ln(measure) / d ln(parameter) of:

* the surface action potential's peak and half-width (full duration at half amplitude from
  rest);
* the peak release flux, its FDHM and the Ca released by the AP;
* the peak of the spatially averaged free-Ca rise and its FDHM, and the peak free Ca in the
  triadic compartment beside the release sites (release is driven by the SR-to-triad
  gradient, so triadic Ca above a few tens of uM cuts the flux);
* the twitch peak.

The groups are the membrane's gating Q10s and conductances (surface and tubule together;
the gating rates apply at 37 C and are scaled to 16 C by their Q10s, so a larger Q10 means
slower gates at 16 C) and the Ca system's release, inactivation, uptake and buffers, the
thin filament's Ca on-rate and cooperativity (cooperative units bind Ca faster when their
neighbours are on, so ``k_coop`` also sets how fast troponin takes Ca up), and the exchange
of free Ca between the triadic and bulk compartments.

Two counterfactuals, labelled as such and not adopted: the membrane's gating rates referred
to 20 C (as Shorten et al.'s CellML, unscaled at 293 K, and Senneff & Lowery's MATLAB code
treat them) or to 25 C, instead of 37 C (Wallinga et al.'s in-vivo rat data; the model's
choice, docs/models/muscle_fibre.md). They show how much of the transient the membrane's
low-temperature kinetics decide; no measurement of mammalian channel kinetics at 16 C was
found to choose between them (docs/research/calcium_atp.md 5.2). A third, on the Ca side:
free Ca exchanged between the triadic and bulk compartments 100 times faster than Shorten's
``tau_Ca``, which shows how much the triad's own Ca limits release.

Run: ``python experiments/ec_sensitivity.py [--quick] [--out DIR]``; a full run into the default
folder also writes ``docs/models/data/ec_sensitivity.md``, which the EC page includes.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from neuromuscle.models.muscle_fibre import GATING_RATE_REFERENCES
from neuromuscle.reporting import (
    docs_tables_folder,
    experiment_main,
    format_table,
    markdown_records,
    output_dir,
    write_table_page,
)

CELSIUS = 16.0
PULSE_MS = 0.5
STEP = 0.05  # relative perturbation
#: label: parameters scaled together
GROUPS = {
    "Na gating Q10": ("na.q10", "na_t.q10"),
    "K gating Q10": ("kdr.q10", "kdr_t.q10"),
    "Na conductance": ("na.g", "na_t.g"),
    "K conductance": ("kdr.g", "kdr_t.g"),
    "sensor rate alpha1": ("ryr.alpha1",),
    "release nu_rel": ("rel.nu_rel",),
    "inactivation onset kon_inact": ("rel.kon_inact",),
    "SERCA nu_SR": ("serca.nu_SR",),
    "parvalbumin P_tot": ("parv.P_tot",),
    "troponin sites N_tot": ("xb.N_tot",),
    "troponin Ca on-rate kon_T": ("xb.kon_T",),
    "filament cooperativity k_coop": ("xb.k_coop",),
    "triad-bulk Ca exchange tau_Ca": ("exchange.tau_Ca",),
}
QUICK_GROUPS = ("K gating Q10", "SERCA nu_SR")
#: label: temperature (C) at which the membrane's gating rates are taken to apply
COUNTERFACTUALS = {"rates referred to 20 C": 20.0, "rates referred to 25 C": 25.0}
#: label: parameter -> factor of a counterfactual on the Ca side (not adopted): free Ca exchanged
#: between the triadic and bulk compartments 100 times faster than Shorten's tau_Ca, so that the
#: triad's Ca no longer cuts the release's driving force
CA_COUNTERFACTUALS = {"triad-bulk exchange x 100": {"exchange.tau_Ca": 100.0}}
MEASURES = ("AP peak (mV)", "AP half-width (ms)", "release peak (uM/ms)", "release FDHM (ms)", "released (uM)",
            "dCa peak (uM)", "Ca FDHM (ms)", "triadic Ca peak (uM)", "twitch peak")


def measure(model, amplitude: float) -> dict:
    """The measures of one AP of ``model`` (from its resting state) at ``amplitude``."""
    from neuromuscle.analysis import transient_metrics
    from neuromuscle.studies import contraction_study

    c = contraction_study(model, amplitude=amplitude, pulse_ms=PULSE_MS, frequencies=(), train_ms=60.0,
                          after_ms=60.0)
    rec = c.records["twitch"]
    ap = transient_metrics(np.asarray(rec["t"]), np.asarray(rec["membrane_potential"]), t_start=5.0)
    return {"AP peak (mV)": ap.peak, "AP half-width (ms)": ap.fdhm, "release peak (uM/ms)": c.release.amplitude,
            "release FDHM (ms)": c.release.fdhm, "released (uM)": c.released,
            "dCa peak (uM)": c.calcium.amplitude, "Ca FDHM (ms)": c.calcium.fdhm,
            "triadic Ca peak (uM)": 1e3 * float(np.max(rec["triadic_cytosolic_ca"])),
            "twitch peak": c.twitch.amplitude}


def _rebuilt(base, values: dict):
    """``base`` with parameters set to ``values`` and its resting pools rebuilt at the same SR
    load and free Mg."""
    from neuromuscle.models.muscle_ec import initial_pools

    model = base.with_parameters(**{n.replace(".", "__"): v for n, v in values.items()})
    model.initial_state = initial_pools(model)
    return model


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import neuromuscle as nm
    from neuromuscle.studies import ec_threshold, progress

    folder = output_dir("ec_sensitivity", out)
    base = nm.muscle_ec(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=CELSIUS))
    amplitude = 2.0 * ec_threshold(base, PULSE_MS)
    ref = measure(base, amplitude)
    groups = {k: GROUPS[k] for k in QUICK_GROUPS} if quick else GROUPS
    elasticity = {}
    for label, names in progress(list(groups.items()), "parameter groups", show_progress):
        lo, hi = (measure(_rebuilt(base, {n: f * base.parameters[n].value for n in names}), amplitude)
                  for f in (1.0 - STEP, 1.0 + STEP))
        elasticity[label] = {m: float(np.log(hi[m] / lo[m]) / np.log((1.0 + STEP) / (1.0 - STEP))) for m in MEASURES}
    counterfactual = {}
    for label, ref_c in COUNTERFACTUALS.items():
        counterfactual[label] = measure(_rebuilt(base, dict.fromkeys(GATING_RATE_REFERENCES, ref_c)), amplitude)
    for label, factors in CA_COUNTERFACTUALS.items():
        counterfactual[label] = measure(_rebuilt(base, {n: f * base.parameters[n].value for n, f in factors.items()}),
                                        amplitude)

    fig, axes = plt.subplots(1, 2, figsize=(10, 0.45 * len(groups) + 1.5), sharey=True)
    labels = list(elasticity)
    y = np.arange(len(labels))
    for ax, m in zip(axes, ("dCa peak (uM)", "Ca FDHM (ms)")):
        ax.barh(y, [elasticity[g][m] for g in labels], color="tab:blue")
        ax.axvline(0.0, color="k", lw=0.8)
        ax.set_title(f"elasticity of {m.split(' (')[0]}")
        ax.set_xlabel("d ln(measure) / d ln(parameter)")
    axes[0].set_yticks(y, labels)
    axes[0].set_ylabel("parameter group")
    fig.suptitle(f"Ca transient of one AP at {CELSIUS:g} C: local sensitivities")
    fig.tight_layout()
    fig.savefig(folder / "ec_sensitivity.png", dpi=120)
    plt.close(fig)

    print(f"\nOne AP at {CELSIUS:g} C, stimulus {amplitude:.0f} uA/cm2 x {PULSE_MS:g} ms:")
    print(format_table([[m, ref[m]] + [cf[m] for cf in counterfactual.values()] for m in MEASURES],
                       ["measure", "model (rates referred to 37 C)"] + [f"if {k}" for k in counterfactual]))
    print(f"\nElasticities (parameters x {1 - STEP:g} and x {1 + STEP:g}, same SR load):")
    print(format_table([[g] + [elasticity[g][m] for m in MEASURES] for g in labels], ["group"] + list(MEASURES)))
    print("\nBaylor & Hollingworth 2003 (mouse fast-twitch, 16 C): dCa 18.5 uM, FDHM 4.9 ms; 2007: release "
          "200-225 uM/ms, FDHM 1.6 ms. The counterfactuals are not the model: they show how much of the "
          "transient the membrane's unmeasured low-temperature kinetics decide.")
    result = {"stimulus (uA/cm2)": amplitude, "model": ref, "elasticity": elasticity, "counterfactual": counterfactual}
    write_table_page(markdown(result), folder, "ec_sensitivity", docs_folder=docs_tables_folder(quick, out))
    print(f"\nfigures written to {folder.resolve()}")
    return result


#: Baylor & Hollingworth's 16 C values beside the measures they are compared with (2003: the
#: transient; 2007: release); comparison only.
PUBLISHED = {"release peak (uM/ms)": "200-225 (2007)", "release FDHM (ms)": "1.6 (2007)",
             "dCa peak (uM)": "18.5 (2003)", "Ca FDHM (ms)": "4.9 (2003)"}


def markdown(result: dict) -> str:
    """The docs tables: the model beside the two counterfactuals, and the elasticities."""
    cf = result["counterfactual"]
    rows = [{"measure": m, "model (rates referred to 37 C)": result["model"][m],
             **{k: v[m] for k, v in cf.items()}, "Baylor & Hollingworth": PUBLISHED.get(m, "")} for m in MEASURES]
    elastic = [{"group": g, **e} for g, e in result["elasticity"].items()]
    return ("<!-- written by experiments/ec_sensitivity.py; do not edit -->\n\n"
            f"One AP at {CELSIUS:g} C, stimulus {result['stimulus (uA/cm2)']:.0f} uA/cm2 x {PULSE_MS:g} ms; the "
            "counterfactuals (not adopted) take the membrane's gating rates to apply at 20 or 25 C, or exchange "
            "free Ca between the triadic and bulk compartments "
            f"{CA_COUNTERFACTUALS['triad-bulk exchange x 100']['exchange.tau_Ca']:g} times faster (`exchange.tau_Ca`):"
            "\n\n"
            + markdown_records(rows)
            + f"\n\nElasticities d ln(measure) / d ln(parameter), each group scaled by {1 - STEP:g} and "
            f"{1 + STEP:g} at the same SR load and free Mg:\n\n" + markdown_records(elastic, digits=2) + "\n")


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "ec_sensitivity", argv)


if __name__ == "__main__":
    main()
