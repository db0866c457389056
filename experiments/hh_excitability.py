"""Excitability of the Hodgkin-Huxley (1952) squid axon: action potential, f-I curve,
strength-duration curve, and the numbers behind them.

What it shows
-------------
* The action potential and the currents that make it (Na in, K out).
* The f-I curve of a long current step: one spike at low currents, then sustained firing
  that begins abruptly at about 6.3 uA/cm2 and ~50 Hz, not from zero (Hodgkin's class II
  excitability). Between ~6.3 and 9.8 uA/cm2 the rest state is still stable: firing and
  rest coexist (bistability); above 9.8 the rest state loses stability (a Hopf
  bifurcation, computed here from the Jacobian's eigenvalues).
* The strength-duration curve: brief pulses need more current; the rheobase and
  chronaxie summarise it.

Run ``python experiments/hh_excitability.py`` (figures go to ``figures/hh_excitability/``,
or ``--out DIR``); ``--quick`` runs a coarse version in a few seconds.
"""

from __future__ import annotations

import sys

import numpy as np

import neuromuscle as nm
from neuromuscle.analysis import (
    action_potential,
    equilibria,
    fi_curve,
    resting_state,
    strength_duration,
)
from neuromuscle.reporting import experiment_main, format_table, output_dir


def hopf_currents(model, brackets=((5.0, 20.0), (100.0, 200.0)), iterations=25):
    """Currents (uA/cm2) at which the rest state changes stability, by bisection."""
    out = []
    for lo, hi in brackets:
        stable_lo = equilibria(model, i_stim=lo)[0].stable
        for _ in range(iterations):
            mid = 0.5 * (lo + hi)
            if equilibria(model, i_stim=mid, v_range=(-80.0, 0.0), n_grid=801)[0].stable == stable_lo:
                lo = mid
            else:
                hi = mid
        out.append(0.5 * (lo + hi))
    return out


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    """Run the experiment, save figures, and return the measured numbers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = output_dir("hh_excitability", out)
    model = nm.hodgkin_huxley()
    numbers: dict[str, float] = {}

    rest = resting_state(model)
    numbers["rest potential (mV)"] = rest.v

    # 1. Action potential and its currents
    ap_run = nm.simulate(model, nm.Pulse(20.0, 1.0, 1.0), 20.0, dt=0.01)
    ap = action_potential(ap_run.t, ap_run["membrane_potential"])
    numbers.update({
        "AP peak (mV)": ap.peak, "AP amplitude (mV)": ap.amplitude,
        "AP width at half amplitude (ms)": ap.width, "AP max dV/dt (mV/ms)": ap.max_dvdt,
    })
    fig, axes = plt.subplots(3, 1, sharex=True, figsize=(7, 7))
    axes[0].plot(ap_run.t, ap_run["membrane_potential"], "k")
    axes[0].set_ylabel("V (mV)")
    for name, label in (("na.I", "I_Na"), ("k.I", "I_K"), ("leak.I", "I_L")):
        axes[1].plot(ap_run.t, ap_run[name], label=label)
    axes[1].set_ylabel("Current (uA/cm2)\n(outward +)")
    axes[1].legend(frameon=False)
    for name in ("na.m", "na.h", "k.n"):
        axes[2].plot(ap_run.t, ap_run[name], label=name)
    axes[2].set_ylabel("Gate (1)")
    axes[2].set_xlabel("Time (ms)")
    axes[2].legend(frameon=False)
    axes[0].set_title("HH 1952 action potential: 1 ms, 20 uA/cm2 pulse at 6.3 C")
    fig.tight_layout()
    fig.savefig(folder / "action_potential.png", dpi=120)
    plt.close(fig)

    # 2. f-I curve
    currents = np.arange(0.0, 20.01, 2.0 if quick else 0.5)
    duration = 300.0 if quick else 1000.0
    if show_progress:
        print(f"f-I curve: {currents.size} steps of {duration:g} ms ...", file=sys.stderr)
    fi = fi_curve(model, currents, duration)
    numbers["repetitive firing onset (uA/cm2)"] = fi.onset_current
    numbers["rate at onset (Hz)"] = fi.onset_rate
    hopf = hopf_currents(model, iterations=12 if quick else 25)
    numbers["Hopf bifurcation, lower (uA/cm2)"] = hopf[0]
    numbers["Hopf bifurcation, upper (uA/cm2)"] = hopf[1]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(fi.currents, fi.rates, "o-", ms=3)
    ax.axvline(hopf[0], color="0.6", ls="--", lw=1)
    ax.text(hopf[0], ax.get_ylim()[1] * 0.05, " rest unstable\n (Hopf)", color="0.4", fontsize=8)
    ax.set_xlabel("Step current (uA/cm2)")
    ax.set_ylabel("Sustained firing rate (Hz)")
    ax.set_title("HH f-I curve: firing starts at a non-zero rate (class II)")
    fig.tight_layout()
    fig.savefig(folder / "fi_curve.png", dpi=120)
    plt.close(fig)

    # 3. Strength-duration
    durations = [0.1, 0.5, 2.0, 10.0] if quick else [0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
    if show_progress:
        print(f"strength-duration: {len(durations)} durations ...", file=sys.stderr)
    sd = strength_duration(model, durations, tol=1e-2 if quick else 1e-3)
    numbers["rheobase (uA/cm2)"] = sd.rheobase
    numbers["chronaxie (ms)"] = sd.chronaxie
    numbers["Weiss tau_SD (ms)"] = sd.tau_sd
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.loglog(sd.durations, sd.thresholds, "o-")
    ax.axhline(sd.rheobase, color="0.6", ls="--", lw=1)
    ax.axhline(2 * sd.rheobase, color="0.8", ls=":", lw=1)
    ax.set_xlabel("Pulse duration (ms)")
    ax.set_ylabel("Threshold current (uA/cm2)")
    ax.set_title(f"Strength-duration: rheobase {sd.rheobase:.2f} uA/cm2, chronaxie {sd.chronaxie:.2f} ms")
    fig.tight_layout()
    fig.savefig(folder / "strength_duration.png", dpi=120)
    plt.close(fig)

    print(format_table(numbers.items(), ["quantity", "value"]))
    print(f"\nfigures written to {folder.resolve()}")
    return numbers


def main(argv=None) -> dict:
    return experiment_main(run, __doc__, "hh_excitability", argv)


if __name__ == "__main__":
    main()
