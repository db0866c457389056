"""Picklable user metrics for the sweep tests."""

import os
import time

import numpy as np


def logged_rest(model, params, ctx):
    """Resting potential, appending the point to $NM_SWEEP_LOG (to count evaluations)."""
    from neuromuscle.analysis import resting_state

    path = os.environ.get("NM_SWEEP_LOG")
    if path:
        with open(path, "a") as fh:
            fh.write(f"{params.get('dV_surface', 0.0):.6f}\n")
    delay = float(os.environ.get("NM_SWEEP_DELAY", "0"))
    if delay:
        time.sleep(delay)
    return resting_state(model, model.parameter_vector(params)).v


def fails_below_minus_10(model, params, ctx):
    if params["dV_surface"] < -10:
        raise RuntimeError("deliberate failure for the test")
    return float(np.float64(params["dV_surface"]))


def dies_below_minus_10(model, params, ctx):
    """Kills the worker process that evaluates a point below -10 mV (never the test process)."""
    if params["dV_surface"] < -10 and os.environ.get("NEUROMUSCLE_SWEEP_PARENT"):
        os._exit(3)
    return float(params["dV_surface"])
