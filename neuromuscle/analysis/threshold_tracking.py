"""Virtual nerve-excitability testing: the TRONDNF threshold-tracking battery on an axon model.

The clinical protocol (Kiernan, Burke, Andersen & Bostock 2000, Muscle Nerve 23:399; the
consensus guideline of Kiernan et al. 2020, Clin Neurophysiol 131:308) tracks the stimulus
current needed for a target compound muscle action potential (40 % of maximum) while the
nerve is conditioned. Here the threshold of a **single fibre** is tracked -- the stimulus
that makes an action potential reach the model's recorded node (3 nodes from the
stimulated one in :func:`tracking_axon`, an 11-node axon whose 1 ms threshold is 3 % below
the 21-node axon's), found by bisection on a log scale to the protocol's tolerance
(:data:`FULL` 0.5 %, :data:`QUICK` 1 %). A CMAP target of 40 % is the threshold of the median
fibre of the population; for a population of identical fibres that is the single fibre's
threshold, so every *relative* measure below (%, ms) is the clinical one. Only rheobase,
an absolute current, depends on the electrode geometry and is given per cm2 of the stimulated
node (and in nA). The stimulus is intracellular at a node; the clinic's is extracellular
(the cathode over the nerve), so rheobase is not comparable with milliamperes at the skin.

Battery (time in ms, threshold changes in % of the unconditioned 1 ms threshold):

* **Strength-duration**: thresholds for 0.2-1 ms pulses; a straight line through charge
  ``Q = I w`` against width ``w`` (Weiss's law) gives ``rheobase`` (slope) and the
  strength-duration time constant ``tau_SD`` = intercept / slope (Mogyoros et al. 1996).
* **Threshold electrotonus**: 100 ms polarising currents of +40 % (depolarising, TEd) and
  -40 % (hyperpolarising, TEh) of the 1 ms threshold; threshold *reduction* (positive when the
  axon becomes more excitable) of a 1 ms test pulse at delays from the current onset.
  Read-outs: mean reduction over 10-20, 40-60 and 90-100 ms (TEd), 90-100 ms (TEh).
* **Current-threshold (I/V) relation**: 200 ms polarising currents from +50 % to -100 %;
  threshold reduction at their end. The resting I/V slope is the slope of polarising
  current (%) against threshold reduction (%) by a straight line through the points within
  +-10 % current.
* **Recovery cycle**: a supramaximal 1 ms conditioning stimulus (2 x threshold), then a 1 ms
  test at intervals 1-200 ms. Refractoriness at 2 ms; relative refractory period (RRP) = the
  interval where the threshold change first falls to 0; superexcitability = the most negative
  mean of three adjacent points; late subexcitability = the largest mean of three adjacent
  points after 10 ms.

Efficiency: each conditioning run is integrated once and its state saved at every test time;
each bisection step then integrates only the few ms of the test from that state. Successive
searches start from a bracket around the previous threshold. Integration: by default the
compiled stiff engine (RODAS4 with the cable's sparse Jacobian; one compilation per cable
size, cached on disk, shared by every run and every environment of that model).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .. import engine as _engine
from ..model import Model
from ..protocols import MAX_AMPLITUDE, Pulse, Step
from ..simulation import SimulationError, simulate

__all__ = ["threshold_tracking", "plot_threshold_tracking", "readouts", "tracking_axon", "TrackingProtocol",
           "QUICK", "FULL", "READOUTS", "ENGINES"]

#: The read-outs of a battery, in the order of the clinical report.
READOUTS = ("threshold_1ms", "tau_SD", "rheobase", "rheobase_nA", "TEd(10-20ms)", "TEd(40-60ms)",
            "TEd(90-100ms)", "TEh(90-100ms)", "resting_IV_slope", "RRP", "refractoriness_at_2ms",
            "superexcitability", "late_subexcitability")


def readouts(ds) -> dict[str, float]:
    """The scalar read-outs of a :func:`threshold_tracking` result, ``{name: value}`` (NaN if not run)."""
    return {k: (float(ds[k]) if k in ds else float("nan")) for k in READOUTS}


def tracking_axon(electrolytes=None, *, n_nodes: int = 11, **kw) -> Model:
    """The myelinated motor axon set up for the battery: stimulus at the middle node, action
    potential detected 3 nodes further on.

    Parameters
    ----------
    electrolytes : Electrolytes or str, optional
        Environment or preset name (default normal plasma).
    n_nodes : int
        Nodes (>= 7). The clinical method stimulates one site and only asks whether an action
        potential leaves it, so the cable needs only enough nodes on each side of the
        stimulated one to load it; 11 nodes put the 1 ms threshold within 10 % of the 21-node
        axon's (see docs/models/myelinated_axon.md for the figures).
    **kw
        Passed to :func:`~neuromuscle.motor_axon_myelinated` (e.g. ``fibre_diameter``).
    """
    from ..models.myelinated_axon import motor_axon_myelinated

    if int(n_nodes) != n_nodes or n_nodes < 7:
        raise ValueError(f"n_nodes = {n_nodes!r} must be an integer >= 7 (stimulus node with 3 nodes on each side)")
    stim = int(n_nodes) // 2
    return motor_axon_myelinated(electrolytes, n_nodes=int(n_nodes), stim_node=stim, record_node=stim + 3, **kw)


@dataclass(frozen=True)
class TrackingProtocol:
    """Test times and tolerances of a battery."""

    sd_widths: tuple[float, ...]
    te_delays: tuple[float, ...]
    iv_currents: tuple[float, ...]
    rc_intervals: tuple[float, ...]
    rel_tol: float
    te_fraction: float = 0.4
    name: str = ""


FULL = TrackingProtocol(
    sd_widths=(0.2, 0.4, 0.6, 0.8, 1.0),
    te_delays=(1.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 15.0, 18.0, 20.0, 26.0, 33.0, 40.0, 50.0, 60.0, 70.0,
               80.0, 90.0, 95.0, 98.0, 102.0, 105.0, 110.0, 120.0, 140.0, 170.0, 200.0),
    iv_currents=(50.0, 40.0, 30.0, 20.0, 10.0, 0.0, -10.0, -20.0, -30.0, -40.0, -50.0, -60.0, -70.0, -80.0,
                 -90.0, -100.0),
    rc_intervals=(1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.5, 3.2, 4.0, 5.0, 6.3, 7.9, 10.0, 13.0, 16.0, 20.0, 25.0, 32.0,
                  40.0, 50.0, 63.0, 79.0, 100.0, 130.0, 160.0, 200.0),
    rel_tol=0.005, name="full",
)
QUICK = TrackingProtocol(
    sd_widths=(0.2, 0.6, 1.0),
    te_delays=(10.0, 15.0, 20.0, 40.0, 50.0, 60.0, 90.0, 98.0),
    iv_currents=(10.0, 0.0, -10.0, -50.0, -100.0),
    rc_intervals=(1.4, 2.0, 2.5, 3.2, 5.0, 6.3, 7.9, 13.0, 20.0, 32.0, 50.0),
    rel_tol=0.01, name="quick",
)

#: The options of :func:`neuromuscle.simulate` the battery runs with, by ``engine`` value,
#: where they are not just that engine: LSODA on the SciPy engine, with the cable's banded
#: Jacobian, on the NumPy equations (``"scipy"``) or on the numba-compiled ones (``"compiled"``,
#: a setting of the SciPy engine rather than an engine of its own).
_OPTIONS: dict[str, dict] = {"scipy": {"engine": "scipy", "method": "LSODA", "compiled": False},
                             "compiled": {"engine": "scipy", "method": "LSODA", "compiled": True}}

#: Accepted ``engine`` values of :func:`threshold_tracking`: ``"auto"``, the names of
#: :data:`neuromuscle.engine.ENGINES` and their aliases, and ``"compiled"``.
ENGINES = ("auto", *_engine.ENGINES, *_engine.ALIASES, "compiled")

_TEST_WINDOW = 2.5  # ms simulated from test onset (AP reaches the recorded node within ~0.5 ms)


class _Tracker:
    def __init__(self, model: Model, params, rtol, atol, engine):
        self.model = model
        self.params = dict(params or {})
        if engine not in ENGINES:
            raise ValueError(f"engine = {engine!r} is not one of {ENGINES}")
        if engine == "auto":
            engine = _engine.choose(model)  # the stiff engine for a cable (array states) when numba is there
        self.engine = engine
        self.kw = {"rtol": rtol, "atol": atol, **_OPTIONS.get(engine, {"engine": engine})}
        self.n_runs = 0
        self.n_searches = 0
        self.rest = simulate(model, None, 1e-3, params=self.params, **self.kw).y[:, 0]

    def density(self, nA):
        return nA * 1e-3 / self.model.stim_area_cm2

    def fires(self, y0, amp, width, background=0.0, background_until=np.inf):
        """Does a test pulse (uA/cm2, ms) from state ``y0`` reach the recorded node?"""
        proto = Pulse(amp, 0.0, width)
        if background != 0.0 and background_until > 0:
            bg = Step(background, 0.0, background_until) if np.isfinite(background_until) else Step(background)
            proto = proto + bg
        self.n_runs += 1
        try:
            res = simulate(self.model, proto, width + _TEST_WINDOW, params=self.params, y0=y0, **self.kw)
        except SimulationError as exc:
            res = exc.partial
        return bool(np.any(res.spike_times > 0.0))

    def threshold(self, y0, width, guess, rel_tol, **bg):
        """Bisection on a log scale, starting from a +-15 % bracket around ``guess``."""
        self.n_searches += 1
        lo, hi = guess / 1.15, guess * 1.15
        for _ in range(40):
            if hi > MAX_AMPLITUDE:  # unexcitable (e.g. absolutely refractory): no threshold
                return np.nan
            if self.fires(y0, hi, width, **bg):
                break
            lo, hi = hi, hi * 1.6
        else:
            return np.nan
        for _ in range(40):
            if lo <= 0 or not self.fires(y0, lo, width, **bg):
                break
            hi, lo = lo, lo / 1.6
        else:
            return np.nan
        while hi / lo > 1.0 + rel_tol:
            mid = np.sqrt(lo * hi)
            lo, hi = (lo, mid) if self.fires(y0, mid, width, **bg) else (mid, hi)
        return float(np.sqrt(lo * hi))

    def conditioning(self, protocol, times, t_end):
        """States at ``times`` (ms) during one conditioning run."""
        dt = 0.1
        try:
            res = simulate(self.model, protocol, t_end, params=self.params, y0=self.rest, dt=dt, **self.kw)
        except SimulationError as exc:
            res = exc.partial
        idx = [int(np.argmin(np.abs(res.t - t))) for t in times]
        return [res.y[:, i].copy() for i in idx]


def _mean3(x):
    return np.convolve(x, np.ones(3) / 3, mode="valid")


def threshold_tracking(
    model: Model,
    params: Mapping[str, float] | None = None,
    *,
    quick: bool = False,
    protocol: TrackingProtocol | None = None,
    rtol: float = 1e-4,
    atol: float = 1e-5,
    engine: str = "auto",
    parts: Sequence[str] = ("sd", "te", "iv", "rc"),
):
    """Run the threshold-tracking battery (see the module docstring) on an axon model.

    Parameters
    ----------
    model : Model
        A multi-node axon with a stimulated and a recorded node, e.g.
        :func:`~neuromuscle.motor_axon_myelinated`.
    params : mapping, optional
        Parameter overrides (e.g. ``neuromuscle.electrolytes.model_parameters(model, electrolytes)``).
    quick : bool
        Fewer test points and a 1 % tolerance (:data:`QUICK`) instead of :data:`FULL` (0.5 %).
    protocol : TrackingProtocol, optional
        Replaces the preset test points.
    rtol, atol : float
        Integrator tolerances (the same meaning on every engine). The defaults move the 1 ms threshold
        of the 21-node axon by less than the bisection tolerance (see
        docs/models/myelinated_axon.md).
    engine : str
        ``"auto"`` (default): the engine :func:`neuromuscle.engine.choose` picks for the model --
        the compiled stiff engine (Rosenbrock RODAS4, structural sparse Jacobian, band LU) for a
        compartmental axon, SciPy's LSODA without numba. ``"stiff"``, ``"explicit"`` (alias
        ``"fast"``): that engine of :func:`neuromuscle.simulate`. ``"scipy"``: the SciPy engine's
        LSODA with the cable's banded Jacobian on the NumPy equations (the reference);
        ``"compiled"``: the same on the numba-compiled equations (:data:`ENGINES` lists the
        values). The read-outs agree between engines within the bisection tolerance
        (``tests/analysis/test_threshold_tracking_engines.py``).
    parts : sequence of str
        Which parts to run: any of ``"sd", "te", "iv", "rc"``.

    Returns
    -------
    xarray.Dataset
        Curves ``sd_threshold`` (uA/cm2, by ``sd_width``), ``te`` (threshold reduction %, by
        ``te_polarisation`` and ``te_delay``), ``iv`` (threshold reduction %, by ``iv_current``),
        ``rc`` (threshold change %, by ``rc_interval``); read-outs under their conventional
        names: ``tau_SD`` (strength-duration time constant, ms), ``rheobase`` (uA/cm2; ``rheobase_nA``),
        ``TEd(10-20ms)``, ``TEd(40-60ms)``, ``TEd(90-100ms)``, ``TEh(90-100ms)`` (%),
        ``resting_IV_slope``, ``RRP`` (ms), ``refractoriness_at_2ms``, ``superexcitability``,
        ``late_subexcitability`` (%) (:data:`READOUTS`; :func:`readouts` gives them as a
        dict); attributes ``tracking``, ``wall_time`` (s), ``n_searches``, ``n_runs``, ``engine`` (the engine used).
    """
    import xarray as xr

    proto = protocol or (QUICK if quick else FULL)
    start = time.perf_counter()
    tr = _Tracker(model, params, rtol, atol, engine)
    tol = proto.rel_tol
    rest = tr.rest
    unit = getattr(model, "stimulus_unit", "uA/cm2")
    first_guess = 100.0 if unit == "uA" else tr.density(1.0)  # ~0.1 mA at 1 mm; ~1 nA at a node
    thr1 = tr.threshold(rest, 1.0, first_guess, tol)
    data, coords, scalars = {}, {}, {}
    if "sd" in parts and proto.sd_widths:
        widths = np.asarray(proto.sd_widths)
        guess, thr = thr1 * 3, []
        for w in widths:
            t = tr.threshold(rest, w, guess, tol)
            thr.append(t)
            guess = t if np.isfinite(t) else guess
        thr = np.asarray(thr)
        slope, intercept = np.polyfit(widths, thr * widths, 1)
        data["sd_threshold"] = ("sd_width", thr, {"units": unit, "long_name": "threshold"})
        coords["sd_width"] = ("sd_width", widths, {"units": "ms"})
        scalars["tau_SD"] = (intercept / slope, "ms")
        scalars["rheobase"] = (slope, unit)
        scalars["rheobase_nA"] = (slope * model.stim_area_cm2 * 1e3, "nA")
    if "te" in parts and proto.te_delays:
        delays = np.asarray(proto.te_delays)
        te = np.full((2, delays.size), np.nan)
        for j, sign in enumerate((1.0, -1.0)):
            i_pol = sign * proto.te_fraction * thr1
            states = tr.conditioning(Step(i_pol, 0.0, 100.0), delays, float(delays.max()) + 0.2)
            guess = thr1
            for k, (d, y) in enumerate(zip(delays, states)):
                until = 100.0 - d
                if 0 < until < 1.0 + _TEST_WINDOW:  # the test would straddle the current's end
                    continue
                t = tr.threshold(y, 1.0, guess, tol, background=i_pol if until > 0 else 0.0,
                                 background_until=until)
                te[j, k] = 100.0 * (thr1 - t) / thr1
                guess = t if np.isfinite(t) else guess
        data["te"] = (("te_polarisation", "te_delay"), te,
                      {"units": "%", "long_name": "threshold reduction"})
        coords["te_polarisation"] = ("te_polarisation", [100 * proto.te_fraction, -100 * proto.te_fraction],
                                     {"units": "% of threshold"})
        coords["te_delay"] = ("te_delay", delays, {"units": "ms"})

        def mean_te(j, a, b):
            sel = (delays >= a) & (delays <= b)
            return float(np.nanmean(te[j, sel])) if sel.any() else np.nan

        scalars["TEd(10-20ms)"] = (mean_te(0, 10, 20), "%")
        scalars["TEd(40-60ms)"] = (mean_te(0, 40, 60), "%")
        scalars["TEd(90-100ms)"] = (mean_te(0, 90, 100), "%")
        scalars["TEh(90-100ms)"] = (mean_te(1, 90, 100), "%")
    if "iv" in parts and proto.iv_currents:
        currents = np.asarray(proto.iv_currents)
        red = np.full(currents.size, np.nan)
        guess = thr1
        for k, c in enumerate(currents):
            i_pol = c / 100.0 * thr1
            y = rest if c == 0 else tr.conditioning(Step(i_pol, 0.0, 200.0), [199.0], 199.0 + 1e-6)[0]
            t = tr.threshold(y, 1.0, guess, tol, background=i_pol, background_until=np.inf)
            red[k] = 100.0 * (thr1 - t) / thr1
            guess = t if np.isfinite(t) else guess  # no threshold found: the next search starts from the last
        data["iv"] = ("iv_current", red, {"units": "%", "long_name": "threshold reduction"})
        coords["iv_current"] = ("iv_current", currents, {"units": "% of threshold"})
        near = np.abs(currents) <= 10.0
        scalars["resting_IV_slope"] = (float(np.polyfit(red[near], currents[near], 1)[0])
                                       if near.sum() >= 2 else np.nan, "1")
    if "rc" in parts and proto.rc_intervals:
        intervals = np.asarray(proto.rc_intervals)
        states = tr.conditioning(Pulse(2.0 * thr1, 0.0, 1.0), intervals, float(intervals.max()) + 0.2)
        rc = np.full(intervals.size, np.nan)
        guess = thr1 * 2
        for k, y in enumerate(states):
            t = tr.threshold(y, 1.0, guess, tol)
            rc[k] = 100.0 * (t - thr1) / thr1
            guess = t if np.isfinite(t) else guess
        data["rc"] = ("rc_interval", rc, {"units": "%", "long_name": "threshold change"})
        coords["rc_interval"] = ("rc_interval", intervals, {"units": "ms"})
        scalars["refractoriness_at_2ms"] = (float(np.interp(2.0, intervals, rc)), "%")
        neg = np.flatnonzero((rc[:-1] > 0) & (rc[1:] <= 0))
        if neg.size:
            k = neg[0]
            rrp = intervals[k] + (0 - rc[k]) * (intervals[k + 1] - intervals[k]) / (rc[k + 1] - rc[k])
        else:
            rrp = np.nan if np.all(rc > 0) else float(intervals[0])
        scalars["RRP"] = (float(rrp), "ms")
        m3 = _mean3(rc)
        scalars["superexcitability"] = (float(m3.min()), "%")
        late = intervals[1:-1] >= 10.0
        scalars["late_subexcitability"] = (float(m3[late].max()) if late.any() else np.nan, "%")
    ds = xr.Dataset(
        {**{k: (v[0], v[1], v[2]) for k, v in data.items()},
         **{k: ((), v, {"units": u}) for k, (v, u) in scalars.items()}},
        coords={k: (v[0], v[1], v[2]) for k, v in coords.items()},
    )
    ds["threshold_1ms"] = ((), thr1, {"units": unit})
    ds.attrs.update(
        model=model.name, description=model.description, protocol=proto.name,
        tracking=(f"single fibre: stimulus at node {model.stim_node}, action potential detected at node "
                  f"{model.record_node}; equal to the clinical 40 % CMAP target for a population of "
                  "identical fibres"),
        wall_time=time.perf_counter() - start, n_searches=tr.n_searches, n_runs=tr.n_runs, engine=tr.engine,
    )
    return ds


def plot_threshold_tracking(results, labels: Sequence[str] | None = None, axes=None):
    """The standard four-panel figure (SD, TE, I/V, RC) of one or several results.

    Parameters
    ----------
    results : xarray.Dataset or sequence of them
        From :func:`threshold_tracking`.
    labels : sequence of str, optional
        Legend entries.
    axes : array of 4 matplotlib axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    if not isinstance(results, (list, tuple)):
        results = [results]
    labels = list(labels) if labels is not None else [str(i) for i in range(len(results))]
    if axes is None:
        fig, axes = plt.subplots(2, 2, figsize=(9, 7))
        axes = np.asarray(axes).ravel()
    else:
        axes = np.asarray(axes).ravel()
        fig = axes[0].figure
    from matplotlib.ticker import NullFormatter

    for i, (ds, lab) in enumerate(zip(results, labels)):
        color = f"C{i}"  # one colour per result in every panel
        if "sd_threshold" in ds:
            w = ds["sd_width"].values
            axes[0].plot(w, ds["sd_threshold"].values * w, "o-", color=color, label=lab)
        if "te" in ds:
            for j in range(ds.sizes["te_polarisation"]):
                axes[1].plot(ds["te_delay"], ds["te"][j], "o-", ms=3, color=color, label=lab if j == 0 else None)
        if "iv" in ds:
            axes[2].plot(ds["iv"], ds["iv_current"], "o-", color=color, label=lab)
        if "rc" in ds:
            axes[3].semilogx(ds["rc_interval"], ds["rc"], "o-", color=color, label=lab)
    axes[3].xaxis.set_minor_formatter(NullFormatter())  # log-axis minor labels collide
    axes[0].set(xlabel="stimulus width (ms)", ylabel="charge (uA/cm2 x ms)", title="Strength-duration")
    axes[1].set(xlabel="delay (ms)", ylabel="threshold reduction (%)", title="Threshold electrotonus")
    axes[2].set(xlabel="threshold reduction (%)", ylabel="current (% threshold)", title="Current-threshold")
    axes[3].set(xlabel="interstimulus interval (ms)", ylabel="threshold change (%)", title="Recovery cycle")
    for ax in axes:
        ax.axhline(0, color="0.8", lw=0.8, zorder=0)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig
