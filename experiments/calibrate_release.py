"""Calibrate SR Ca release of ``nm.muscle_ec`` against Baylor & Hollingworth (2007).

Two parameters of the Ca system cannot be taken from a measurement:

* ``rel.nu_rel``: release permeability x volume (um3/ms), a lumped quantity of the
  two-compartment geometry (Shorten et al. 2007), fitted there to a different SR (1.5 mM free
  Ca with slow calsequestrin, where ours holds the measured 0.35 mM with fast calsequestrin);
* ``rel.kon_inact``: Ca binding to the release channel's inactivation site (1/(mM ms)); the
  recovery rate ``rel.koff_inact`` is measured (7/s).

A third, ``exchange.tau_SR`` (Ca exchange between terminal and longitudinal SR), was fitted with
them once: the fit drove it to infinity, and above about 20 um3/ms nothing depends on it (the
two SR compartments act as one pool; Shorten's 0.75 um3/ms starves release at the measured SR
load). It is set to 20 um3/ms and no longer fitted.

The two are fitted, at 16 C and a stimulus of twice the fibre's threshold (0.5 ms), to three
numbers of Baylor & Hollingworth 2007 (J Gen Physiol 130:283; mouse fast-twitch fibres,
16 C), by least squares on relative errors:

* peak release flux 212.5 uM/ms (their range 200-225);
* release FDHM 1.6 ms;
* a second AP 50 ms after the first releases 0.41 of the first: they find 0.25 at 15 ms (the
  second AP of a 67 Hz train) and recovery at 7/s, so 1 - 0.75 exp(-0.007 x 35) = 0.41.
  The model fibre does not follow 67 Hz at 16 C at this stimulus (its AP lasts 4 ms, see
  docs/models/ec_coupling.md), hence the longer interval.

Everything else the model reports about the Ca transient (its peak and FDHM, Ca released per
AP, release in trains, twitch) is then a prediction, compared with data in
tests/validation/test_ec_validation.py and docs/models/ec_coupling.md.

Run: ``python experiments/calibrate_release.py [--quick] [--out DIR]``; ``--quick`` evaluates
the targets at the package's current values without fitting. The fitted values are written
to ``calibration.json`` in the output folder; copy them into
``neuromuscle/components/sr_fluxes.py`` by hand (rounded to 3 digits). A full run into the
default folder also writes ``docs/models/data/calibrate_release.md``, which the EC page
includes.
"""

from __future__ import annotations

import dataclasses
import json
import time

import numpy as np

from neuromuscle.reporting import docs_tables_folder, experiment_main, format_table, output_dir, write_table_page

CELSIUS = 16.0
PULSE_MS = 0.5
#: name: (target, source)
TARGETS = {
    "peak release (uM/ms)": (212.5, "Baylor & Hollingworth 2007: 200-225 uM/ms"),
    "release FDHM (ms)": (1.6, "Baylor & Hollingworth 2007: 1.6 ms"),
    "second release at 50 ms (fraction)": (1.0 - 0.75 * np.exp(-0.007 * 35.0),
                                           "Baylor & Hollingworth 2007: 0.25 at 15 ms, recovery 7/s"),
}
FITTED = ("rel.nu_rel", "rel.kon_inact")


def markdown(result: dict) -> str:
    """The calibration as the docs tables, rendered from its data."""
    lines = ["<!-- written by experiments/calibrate_release.py from calibration.json; do not edit -->", "",
             "| measure (16 C, 2 x threshold) | target | model | source |", "|---|---|---|---|"]
    lines += [f"| {k} | {TARGETS[k][0]:.3g} | {result['measures'][k]:.3g} | {TARGETS[k][1]} |" for k in TARGETS]
    lines += ["", "| parameter | start | fitted |", "|---|---|---|"]
    lines += [f"| `{k}` | {result['start'][k]:.4g} | {result['fitted'][k]:.4g} |" for k in FITTED]
    lines += ["", f"{result['evaluations']} model evaluations; stimulus {result['stimulus (uA/cm2)']:.4g} uA/cm2 "
              f"for {PULSE_MS} ms.", ""]
    return "\n".join(lines)


def measure(model, amplitude: float) -> dict:
    """The three calibration measures of a :func:`neuromuscle.muscle_ec` model at rest."""
    from neuromuscle.analysis import resting_state, transient_metrics
    from neuromuscle.studies import release_per_action_potential

    pair = release_per_action_potential(model, amplitude, n=2, interval_ms=50.0, pulse_ms=PULSE_MS,
                                        y0=resting_state(model).y)
    # the first AP's release waveform, up to the second stimulus (5 ms + 50 ms)
    rel = transient_metrics(np.asarray(pair.record["t"]), 1e3 * np.asarray(pair.record["ca_release_flux"]), t_start=5.0,
                            t_stop=55.0)
    if pair.spikes != 2:
        raise RuntimeError(f"calibration: the fibre fired {pair.spikes} APs to 2 stimuli")
    return {"peak release (uM/ms)": rel.amplitude, "release FDHM (ms)": rel.fdhm,
            "second release at 50 ms (fraction)": float(pair.fraction[1])}


def build(values: dict | None = None):
    """The 16 C model with the fitted parameters set to ``values`` and its pools rebuilt."""
    import neuromuscle as nm
    from neuromuscle.models.muscle_ec import initial_pools

    model = nm.muscle_ec(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=CELSIUS))
    if values:
        model = model.with_parameters(**values)
        model.initial_state = initial_pools(model)
    return model


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    from scipy.optimize import least_squares

    from neuromuscle.studies import ec_threshold

    folder = output_dir("calibrate_release", out)
    model = build()
    amplitude = 2.0 * ec_threshold(model, PULSE_MS)  # the stimulus of studies.contraction_study
    start = {k: model.parameters[k].value for k in FITTED}
    names = list(TARGETS)
    target = np.array([TARGETS[k][0] for k in names])
    tic = time.perf_counter()
    evaluations = []

    def residual(log_values):
        values = dict(zip(FITTED, np.exp(log_values)))
        got = measure(build(values), amplitude)
        evaluations.append((values, got))
        if show_progress:
            print(f"  eval {len(evaluations)}: " + ", ".join(f"{k}={v:.4g}" for k, v in values.items())
                  + " -> " + ", ".join(f"{got[k]:.4g}" for k in names), flush=True)
        return np.array([got[k] for k in names]) / target - 1.0

    if quick:
        fitted, got = start, measure(model, amplitude)
    else:
        fit = least_squares(residual, np.log([start[k] for k in FITTED]), diff_step=0.02, xtol=1e-3, ftol=1e-4,
                            max_nfev=60)
        fitted = dict(zip(FITTED, np.exp(fit.x)))
        got = measure(build(fitted), amplitude)
    rows = [(k, TARGETS[k][0], got[k], TARGETS[k][1]) for k in names]
    print(f"stimulus {amplitude:.4g} uA/cm2 ({PULSE_MS} ms), {CELSIUS:g} C")
    print(format_table(rows, ("measure", "target", "model", "source")))
    print(format_table([(k, start[k], fitted[k]) for k in FITTED], ("parameter", "start", "fitted")))
    result = {"fitted": fitted, "start": start, "measures": got,
              "targets": {k: TARGETS[k][0] for k in names}, "stimulus (uA/cm2)": amplitude,
              "evaluations": len(evaluations), "seconds": time.perf_counter() - tic}
    (folder / "calibration.json").write_text(json.dumps(result, indent=2))
    write_table_page(markdown(result), folder, "calibrate_release", docs_folder=docs_tables_folder(quick, out))
    return result


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "calibrate_release", argv, quick_help="evaluate the current values, no fit")


if __name__ == "__main__":
    main()
