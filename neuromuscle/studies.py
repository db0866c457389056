"""Ready-made studies shared by the experiment scripts: the standard excitability measures
of the motor axon over a series of levels of one electrolyte, and the resting energy
budget, twitch and tetanic trains of the fibre with EC coupling.

This is the top layer (it uses models and analysis); sweeps over several parameters at
once belong to :mod:`neuromuscle.sweep` (issue 6).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .analysis import TransientMetrics, excitability_summary, spontaneous_activity
from .components.surface_charge import surface_shift
from .electrochem import nernst
from .electrolytes import Electrolytes
from .models.motor_axon import motor_axon, motor_axon_environment

__all__ = ["axon_electrolyte_series", "progress", "contraction_study", "Contraction", "release_per_action_potential",
           "ReleaseTrain", "ec_threshold"]


def progress(items: Sequence, label: str, enabled: bool = True) -> Iterable:
    """Yield ``items``, printing ``label i/n`` on stderr (a light progress report)."""
    n = len(items)
    for i, item in enumerate(items, 1):
        if enabled:
            print(f"\r{label}: {i}/{n}", end="" if i < n else "\n", file=sys.stderr, flush=True)
        yield item


def axon_electrolyte_series(
    field: str,
    levels: Sequence[float],
    *,
    base: Electrolytes | None = None,
    nap_fraction: float | None = None,
    pulse_durations: Sequence[float] = (0.1, 1.0),
    spontaneous_duration: float = 500.0,
    show_progress: bool = True,
) -> list[dict]:
    """Excitability of the motor-axon node at each ``level`` of one electrolyte ``field``.

    Each row holds the level, the gating shift, E_K and E_Na, the measures of
    :func:`~neuromuscle.analysis.excitability_summary`, and the spontaneous-firing verdict
    and rate of :func:`~neuromuscle.analysis.spontaneous_activity`. The electrolyte change is
    applied to ``base`` (default normal plasma); the model is built once and the
    electrolytes enter as parameters.
    """
    base = base or Electrolytes.preset("normal")
    model = motor_axon(base, nap_fraction=nap_fraction)
    rows = []
    for level in progress(list(levels), f"{field} series", show_progress):
        e = base.replace(**{field: float(level)})
        env = motor_axon_environment(e)
        row = {field: float(level), "gating shift (mV)": surface_shift(model, env)}
        row["E_K (mV)"] = float(nernst(e.k, env["K_i"], 1, e.celsius))
        row["E_Na (mV)"] = float(nernst(e.na, env["Na_i"], 1, e.celsius))
        row.update(excitability_summary(model, env, pulse_durations=pulse_durations))
        act = spontaneous_activity(model, env, duration=spontaneous_duration)
        row["spontaneous firing"] = float(act.firing)
        row["spontaneous rate (Hz)"] = act.rate
        rows.append(row)
    return rows


def column(rows: list[dict], key: str) -> np.ndarray:
    """One column of a list of row dicts as an array."""
    return np.array([r[key] for r in rows], dtype=float)


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
        from .analysis import fusion_frequency

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
    from .analysis import resting_state, threshold_current

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
    total, serca, pump = float(obs[lab("atp_use")]), 0.5 * float(obs[lab("ca_uptake_flux")]), float(obs["J_ATP_NaK"])
    p_tot = model.parameters["parv.P_tot"].value
    return {
        "Ca (uM)": 1e3 * float(obs[lab("cytosolic_ca")]),
        "ATP use (mM/s)": 1e3 * total, "SERCA (mM/s)": 1e3 * serca, "Na/K pump (mM/s)": 1e3 * pump,
        "myosin (mM/s)": 1e3 * (total - serca - pump),
        "ADP (uM)": 1e3 * float(y[i["myo2.ADP"]]), "PCr (mM)": float(y[i["myo2.PCr"]]),
        "Pi (mM)": float(y[i["myo2.Pi"]]), "MgATP (mM)": float(y[i["myo2.MgATP"]]),
        "free Mg (mM)": float(y[i["myo2.Mg"]]), "SR free Ca (mM)": float(y[i["sr2.Ca"]]),
        "parvalbumin Ca (%)": 100 * float(y[i["parv.CaP_2"]]) / p_tot,
        "parvalbumin Mg (%)": 100 * float(y[i["parv.MgP_2"]]) / p_tot,
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
    from .analysis import resting_state, transient_metrics
    from .analysis.transients import fusion_index
    from .protocols import Pulse, PulseTrain
    from .simulation import simulate

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


@dataclass
class ReleaseTrain:
    """SR Ca released by each action potential of a train (:func:`release_per_action_potential`).

    Attributes
    ----------
    released : numpy.ndarray
        Ca released per AP, uM (per volume of myoplasm): the release flux above its resting
        value, integrated from each stimulus to the next (the last to the end of the run).
    fraction : numpy.ndarray
        ``released`` relative to the first AP's.
    spikes : int
        Action potentials fired (surface potential crossing 0 mV upwards); fewer than the
        stimuli means some failed.
    record : SimulationResult
        The run.
    """

    released: np.ndarray
    fraction: np.ndarray
    spikes: int
    record: object


def release_per_action_potential(model, amplitude: float, *, n: int = 2, interval_ms: float = 50.0,
                                 pulse_ms: float = 0.5, after_ms: float = _RELEASE_WINDOW_MS, y0=None,
                                 rtol: float = 1e-7, atol: float = 1e-10, dt: float = _SAMPLE_MS) -> ReleaseTrain:
    """SR Ca released by each of ``n`` stimuli ``interval_ms`` apart in a
    :func:`~neuromuscle.muscle_ec` model: the measure of release inactivation that Baylor &
    Hollingworth (2007) infer from two-AP and train protocols.

    ``amplitude`` is the pulse, uA/cm2; ``y0`` the start state (default: rest); ``dt`` the
    output sampling interval (ms) on which the release flux is integrated.
    """
    from .analysis import resting_state
    from .protocols import PulseTrain
    from .simulation import simulate

    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    y0 = resting_state(model).y if y0 is None else np.asarray(y0, dtype=float)
    start = 5.0
    t_end = start + (n - 1) * interval_ms + after_ms
    run = simulate(model, PulseTrain(amplitude, start, pulse_ms, 1000.0 / interval_ms, n), t_end, y0=y0,
                   rtol=rtol, atol=atol, dt=dt)
    edges = [start + k * interval_ms for k in range(n)] + [t_end]
    released = _released(np.asarray(run["t"]), 1e3 * np.asarray(run["ca_release_flux"]), edges)
    return ReleaseTrain(released, released / released[0], len(run.spike_times), run)


@dataclass(frozen=True)
class CalciumForce:
    """Steady-state force against clamped free Ca (:func:`calcium_force_relation`).

    Attributes
    ----------
    ca : numpy.ndarray
        Free Ca, uM.
    force : numpy.ndarray
        Steady-state force, as force-bearing bridges per regulatory unit (``force``).
    force_max : float
        The same at saturating Ca (troponin fully loaded).
    ca50 : float
        Free Ca giving half of ``force_max``, uM (interpolated on log Ca; NaN if ``ca`` does not
        span it).
    hill : float
        Hill coefficient: slope of log(F/(F_max - F)) against log Ca, fitted between 10 % and
        90 % of ``force_max`` (NaN with fewer than two values there).
    """

    ca: np.ndarray
    force: np.ndarray
    force_max: float
    ca50: float
    hill: float

    @property
    def pca50(self) -> float:
        """-log10 of ``ca50`` in M."""
        return float(-np.log10(self.ca50 * 1e-6))

    @property
    def relative(self) -> np.ndarray:
        """``force / force_max``."""
        return self.force / self.force_max


def calcium_force_relation(model, ca=None, *, y=None) -> CalciumForce:
    """Steady-state Ca–force relation of a :func:`~neuromuscle.muscle_ec` model's thin filament
    and crossbridges, the analogue of a skinned-fibre force–pCa curve.

    Free Ca in the bulk myoplasm is held at each value and the states of the thin filament
    and crossbridges (component ``xb``: troponin Ca binding, regulatory-unit transitions,
    crossbridge cycle) are solved for their steady state with the model's own equations
    (Newton's method, continued from one Ca to the next; for a scheme linear in its states, as
    the independent-unit one, the first step is already exact); MgATP and the rates'
    temperature are those of ``y``. So the relation is exact, not a long simulation.

    Parameters
    ----------
    model : Model
        From :func:`~neuromuscle.muscle_ec`.
    ca : array_like, optional
        Free Ca, uM, each > 0 (default 60 values from 0.01 to 1000 uM, log-spaced).
    y : array, optional
        State supplying MgATP and the other fixed quantities (default the model's resting
        state).

    Returns
    -------
    CalciumForce
    """
    from scipy.integrate import solve_ivp

    from .analysis import resting_state

    try:
        filament = model.component("xb")
    except KeyError:
        raise ValueError(f"model {model.name!r} has no thin-filament component 'xb'; use nm.muscle_ec()") from None
    ca = np.geomspace(0.01, 1000.0, 60) if ca is None else np.atleast_1d(np.asarray(ca, dtype=float))
    if not np.all(np.isfinite(ca)) or np.any(ca <= 0):
        raise ValueError(f"ca must be finite and > 0 uM, got {ca[(~np.isfinite(ca)) | (ca <= 0)][:3]}")
    y = resting_state(model).y if y is None else np.asarray(y, dtype=float)
    idx = [model.state_index[filament.state_name(s)] for s in filament.states]
    i_ca = model.state_index[filament.inputs["Ca"]]
    k = len(idx)
    p = model.parameter_vector()

    def solve(c_uM: float, x: np.ndarray) -> tuple[float, np.ndarray]:
        ys = np.repeat(y[:, None], k + 1, axis=1)
        ys[i_ca, :] = 1e-3 * c_uM
        h = 1e-7  # mM: the states are tenths of a mM

        def newton(x):
            for _ in range(50):
                ys[idx, :] = x[:, None]
                ys[idx, np.arange(1, k + 1)] += h
                d = model.rhs(0.0, ys, p)[idx]
                step = np.linalg.solve((d[:, 1:] - d[:, :1]) / h, -d[:, 0])
                x = x + step
                if np.max(np.abs(step)) <= 1e-12 * max(float(np.max(np.abs(x))), 1e-9):
                    return x
            return None

        found = newton(x)
        if found is None:
            # far from the last steady state (a steep, cooperative relation): approach this one
            # in time with Ca held, then polish
            def rates(_, xx):
                yy = ys[:, 0].copy()
                yy[idx] = xx
                return model.rhs(0.0, yy, p)[idx]

            x = solve_ivp(rates, (0.0, 1e5), x, method="LSODA", rtol=1e-10, atol=1e-14).y[:, -1]
            found = newton(x)
        if found is None:
            raise RuntimeError(f"calcium_force_relation: no steady state found at {c_uM:g} uM Ca")
        x = found
        ys[idx, 0] = x
        return float(model.observables(0.0, ys[:, 0], p)[model.label("force")]), x

    force, x = [], np.zeros(k)
    for c in ca:
        f, x = solve(c, x)
        force.append(f)
    force = np.array(force)
    force_max = solve(1e6, x)[0]  # 1 M: every troponin site loaded
    rel = force / force_max
    logc = np.log(ca)
    order = np.argsort(logc)
    ca50 = hill = float("nan")
    if rel.min() < 0.5 < rel.max():
        ca50 = float(np.exp(np.interp(0.5, rel[order], logc[order])))
    mid = (rel > 0.1) & (rel < 0.9)
    if mid.sum() >= 2:
        hill = float(np.polyfit(logc[mid], np.log(rel[mid] / (1.0 - rel[mid])), 1)[0])
    return CalciumForce(ca, force, force_max, ca50, hill)
