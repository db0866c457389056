"""Twitch and tetanic trains of the fibre with EC coupling, its resting energy budget and
the threshold of EC coupling."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..analysis import TransientMetrics
from ._progress import progress


@dataclass
class Contraction:
    """What one :func:`contraction_study` measured (times ms, Ca uM, release uM/ms, force as
    force-bearing bridges per regulatory unit, ATP fluxes mM/s).

    Attributes
    ----------
    rest : dict
        Resting state: free Ca, ATP use (total and by SERCA, Na/K pump, myosin), ADP, PCr,
        Pi, free Mg, SR free Ca, parvalbumin occupancy by Ca and by Mg (bulk compartment).
    stimulus : float
        Pulse amplitude used, uA/cm2.
    calcium, release, twitch : TransientMetrics
        One action potential: spatially averaged free Ca, release flux, force.
    released : float
        Ca released by that action potential, uM of myoplasm (release flux above rest,
        integrated over 60 ms from the stimulus, as :func:`release_per_action_potential`).
    trains : dict
        Per frequency (Hz): ``peak`` force above rest, ``fusion`` index, and after the
        train ``half_relaxation`` (ms) and ``residual`` (force 200 ms after the train, as a
        fraction of its peak above rest); ``stimuli`` and ``action potentials`` fired (fewer
        APs than stimuli: the fibre did not follow the train).
    records : dict
        The simulation results, ``"twitch"`` and per frequency.
    """

    rest: dict
    stimulus: float
    calcium: TransientMetrics
    release: TransientMetrics
    twitch: TransientMetrics
    released: float = float("nan")
    trains: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)

    @property
    def twitch_tetanus(self) -> float:
        """Twitch peak over the largest train peak (nan without trains)."""
        best = max((v["peak"] for v in self.trains.values()), default=float("nan"))
        return self.twitch.amplitude / best if best > 0 else float("nan")

    def fusion_frequency(self, level: float = 0.9) -> float:
        """Lowest train frequency (Hz, interpolated) whose fusion index reaches ``level``
        (:func:`~neuromuscle.analysis.fusion_frequency`), over the trains in which every
        stimulus fired an action potential: a train the fibre fails to follow has a smooth
        force record that is not a tetanus. NaN if fewer than two such trains or none
        reaches ``level``.
        """
        from ..analysis import fusion_frequency

        followed = sorted(f for f, v in self.trains.items()
                          if v["action potentials"] == v["stimuli"] > 1 and np.isfinite(v["fusion"]))
        if len(followed) < 2:
            return float("nan")
        return fusion_frequency(followed, [self.trains[f]["fusion"] for f in followed], level=level)


#: Window over which one AP's release is integrated, ms (the flux is back at rest well before)
_RELEASE_WINDOW_MS = 60.0
#: Output sampling of the EC studies, ms: a fixed grid fine against the fastest measured
#: feature (the release flux's FDHM, about 0.6 ms at 37 C)
_SAMPLE_MS = 0.02


def ec_threshold(model, pulse_ms: float = 0.5, y0=None) -> float:
    """Threshold (uA/cm2) of a :func:`~neuromuscle.muscle_ec` model's fibre for a
    ``pulse_ms`` pulse, from the membrane part of ``y0`` (default: the model at rest). The
    EC studies stimulate at twice this."""
    from ..analysis import resting_state, threshold_current

    y = resting_state(model).y if y0 is None else np.asarray(y0, dtype=float)
    fibre_y = y[[model.state_index[n] for n in model.fibre.state_names]]
    return threshold_current(model.fibre, pulse_ms, y0=fibre_y, post=10.0, tol=1e-2).current


def _released(t: np.ndarray, flux: np.ndarray, edges) -> np.ndarray:
    """Ca released (uM) between consecutive ``edges`` (ms): the release flux (uM/ms) above its
    first value, integrated."""
    flux = flux - flux[0]
    return np.array([np.trapezoid(flux[(t >= a) & (t <= b)], t[(t >= a) & (t <= b)])
                     for a, b in zip(edges[:-1], edges[1:])])


def _rest_summary(model, y) -> dict:
    p = model.parameter_vector()
    obs = model.observables(0.0, y, p)
    i = model.state_index
    lab = model.label
    total, serca = float(obs[lab("atp_use")]), 0.5 * float(obs[lab("ca_uptake_flux")])
    pump = float(obs[lab("pump_atp_use")])
    p_tot = model.parameters["parv.P_tot"].value
    return {
        "Ca (uM)": 1e3 * float(obs[lab("cytosolic_ca")]),
        "ATP use (mM/s)": 1e3 * total, "SERCA (mM/s)": 1e3 * serca, "Na/K pump (mM/s)": 1e3 * pump,
        "myosin (mM/s)": 1e3 * (total - serca - pump),
        "ADP (uM)": 1e3 * float(y[i["myo2.ADP"]]), "PCr (mM)": float(y[i["myo2.PCr"]]),
        "Pi (mM)": float(y[i["myo2.Pi"]]), "MgATP (mM)": float(y[i["myo2.MgATP"]]),
        "free Mg (mM)": float(y[i["myo2.Mg"]]), "SR free Ca (mM)": float(y[i["sr2.Ca"]]),
        # a fibre without parvalbumin (P_tot 0) has no occupancy to report
        "parvalbumin Ca (%)": 100 * float(y[i["parv.CaP_2"]]) / p_tot if p_tot > 0 else float("nan"),
        "parvalbumin Mg (%)": 100 * float(y[i["parv.MgP_2"]]) / p_tot if p_tot > 0 else float("nan"),
    }


def contraction_study(
    model,
    *,
    amplitude: float | None = None,
    pulse_ms: float = 0.5,
    frequencies: Sequence[float] = (20.0, 50.0, 100.0, 150.0),
    train_ms: float = 300.0,
    after_ms: float = 300.0,
    y0=None,
    rtol: float = 1e-7,
    atol: float = 1e-10,
    dt: float = _SAMPLE_MS,
    show_progress: bool = False,
) -> Contraction:
    """Resting budget, one twitch and trains of a :func:`~neuromuscle.muscle_ec` model.

    Parameters
    ----------
    model : Model
        From :func:`~neuromuscle.muscle_ec` (any parameters).
    amplitude : float, optional
        Stimulus, uA/cm2; default twice the fibre's threshold for ``pulse_ms``.
    pulse_ms : float
        Stimulus pulse duration, ms.
    frequencies : sequence of float
        Train frequencies, Hz (empty: twitch only).
    train_ms, after_ms : float
        Train duration and the time recorded after it, ms.
    y0 : array, optional
        Start state (default the model's resting state).
    rtol, atol : float
        Solver tolerances.
    dt : float
        Output sampling interval, ms. Peaks, times and integrals are read from this fixed
        grid, so they do not depend on the steps the solver happened to take.
    show_progress : bool
        Print a progress line per train.
    """
    from ..analysis import resting_state, transient_metrics
    from ..analysis.transients import fusion_index
    from ..protocols import Pulse, PulseTrain
    from ..simulation import simulate

    y_rest = resting_state(model).y if y0 is None else np.asarray(y0, dtype=float)
    if amplitude is None:
        amplitude = 2.0 * ec_threshold(model, pulse_ms, y_rest)
    start = 5.0
    twitch = simulate(model, Pulse(amplitude, start, pulse_ms), start + train_ms + after_ms, y0=y_rest,
                      rtol=rtol, atol=atol, dt=dt)
    t = np.asarray(twitch["t"])
    out = Contraction(
        rest=_rest_summary(model, y_rest), stimulus=float(amplitude),
        calcium=transient_metrics(t, 1e3 * np.asarray(twitch["cytosolic_ca"]), t_start=start),
        release=transient_metrics(t, 1e3 * np.asarray(twitch["ca_release_flux"]), t_start=start),
        twitch=transient_metrics(t, np.asarray(twitch["force"]), t_start=start),
        released=float(_released(t, 1e3 * np.asarray(twitch["ca_release_flux"]),
                                 (start, start + _RELEASE_WINDOW_MS))[0]),
        records={"twitch": twitch},
    )
    for f_hz in progress(list(frequencies), "trains", show_progress):
        n = max(1, int(round(train_ms * f_hz / 1000.0)))
        period = 1000.0 / f_hz
        run = simulate(model, PulseTrain(amplitude, start, pulse_ms, f_hz, n), start + train_ms + after_ms,
                       y0=y_rest, rtol=rtol, atol=atol, dt=dt)
        tt, ff = np.asarray(run["t"]), np.asarray(run["force"])
        base = float(ff[0])
        last = start + (n - 1) * period
        after = transient_metrics(tt, ff, baseline=base, t_start=last)
        k = np.searchsorted(tt, last + period + 200.0)
        out.trains[float(f_hz)] = {
            "peak": float(ff.max()) - base,
            "fusion": fusion_index(tt, ff, t_stop=last + 0.5 * period, interval_ms=period, baseline=base)
            if n > 1 else float("nan"),
            "half_relaxation": after.half_relaxation,
            "residual": (float(ff[min(k, len(ff) - 1)]) - base) / max(float(ff.max()) - base, 1e-30),
            "stimuli": n,
            "action potentials": len(run.spike_times),
        }
        out.records[float(f_hz)] = run
    return out
