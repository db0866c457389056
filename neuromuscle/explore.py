"""A browser app for the classroom: move the electrolytes, watch the membrane, Ca and force.

``neuromuscle explore`` serves it (Panel, on a local Bokeh server); in Jupyter,
``Explorer().panel()`` shows the same app in a cell. Sliders set extracellular Na, K, Ca,
Mg (and pH, where the electrolyte model has it), the temperature and the ATP supply; a
choice of model and one-click presets. Each change recomputes, for the chosen model:

* the resting state (potential, and whether it is stable);
* the response to a fixed test pulse (1.5 times the threshold in normal conditions, so a
  rise in threshold shows as a failed action potential): membrane potential and, where the
  model has them, free Ca and force;
* the threshold for the model's test pulse (bisection from rest);
* whether the cell fires on its own (no stimulus, a 1 mV kick from rest).

The first two make the trace (:meth:`Explorer.trace`), drawn as soon as it is computed; the
last two are the readouts (:meth:`Explorer.readouts`), computed after the trace is shown.
:meth:`Explorer.compute` does both. The traces are integrated at a display tolerance
(:data:`DISPLAY_RTOL`) on the compiled engines and sampled on a display grid: the drawn curve
stays within a line width of a tight reference (:func:`trace_deviation_px` measures it).
Resting states, traces and readouts are kept per slider setting, so going back to a setting
costs nothing. The computation is plain Python and tested on its own; the Panel layer only
draws it. Models are looked up in :data:`MODELS`, a registry that other models join with
:func:`register_model`. Each model is built and compiled once per process.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .electrolytes import model_parameters

__all__ = ["Control", "CONTROLS", "ExplorerModel", "MODELS", "register_model", "Snapshot", "Explorer", "serve",
           "settings_electrolytes", "DISPLAY_RTOL", "DISPLAY_ATOL", "trace_deviation_px", "line_width_px",
           "clear_caches"]

#: Relative tolerance of every explorer run (traces and readouts). A display tolerance: the
#: drawn traces stay within a line width of runs at rtol 1e-8 (tests/test_explore.py,
#: benchmarks/bench_explorer.py), several times faster than the library's default 1e-6.
DISPLAY_RTOL = 1e-4
#: Absolute tolerance of the explorer runs (states in mV, mM and fractions; resting free Ca
#: is ~5e-5 mM, so the absolute tolerance stays well below it).
DISPLAY_ATOL = 1e-8
#: Resolution of the drawn figure, dots per inch (the app's image).
FIGURE_DPI = 96.0


# ---------------------------------------------------------------- controls
@dataclass(frozen=True)
class Control:
    """A slider: the quantity it sets, its unit, range and step."""

    key: str
    label: str
    unit: str
    start: float
    end: float
    step: float
    default: float


def _electrolyte_fields() -> set[str]:
    from .electrolytes import Electrolytes

    return {f.name for f in dataclasses.fields(Electrolytes)}


def _ph_field() -> str | None:
    fields = _electrolyte_fields()
    return next((f for f in ("ph", "ph_o", "pH", "pH_o") if f in fields), None)


def _controls() -> dict[str, Control]:
    from .electrolytes import Electrolytes

    n = Electrolytes.preset("normal")
    # ranges inside the hard limits of a living person (Electrolytes refuses values outside)
    out = {
        "na": Control("na", "Na", "mM", 110.0, 170.0, 1.0, n.na),
        "k": Control("k", "K", "mM", 1.0, 8.0, 0.1, n.k),
        "ca": Control("ca", "Ca (ionised)", "mM", 0.4, 2.0, 0.05, n.ca),
        "mg": Control("mg", "Mg (ionised)", "mM", 0.1, 2.0, 0.05, n.mg),
    }
    ph = _ph_field()
    if ph is not None:
        out["ph"] = Control(ph, "pH", "", 6.9, 7.8, 0.01, float(getattr(n, ph)))
    out["celsius"] = Control("celsius", "Temperature", "degC", 20.0, 42.0, 0.5, n.celsius)
    out["atp"] = Control("atp", "ATP supply", "% of normal", 0.2, 100.0, 0.2, 100.0)
    return out


#: The sliders, by key. ``ph`` exists only if :class:`~neuromuscle.electrolytes.Electrolytes`
#: has a pH field.
CONTROLS: dict[str, Control] = _controls()


def settings_electrolytes(settings: Mapping[str, float]):
    """The :class:`~neuromuscle.electrolytes.Electrolytes` of a set of slider values
    (normal plasma with the electrolyte and temperature fields replaced)."""
    from .electrolytes import Electrolytes

    fields = _electrolyte_fields()
    changes = {k: float(v) for k, v in settings.items() if k in fields}
    ph = _ph_field()
    if ph is not None and "ph" in settings:
        changes[ph] = float(settings["ph"])
    e = Electrolytes.preset("normal")
    return e.replace(**changes, name="explorer") if changes else e


# ---------------------------------------------------------------- model registry
@dataclass
class ExplorerModel:
    """How the explorer runs one model.

    Attributes
    ----------
    key, label : str
        Registry key and the name shown in the app.
    build : callable
        ``build() -> Model`` in normal conditions (called once per process; the sliders then
        act through ``params``, so the compiled model is reused).
    controls : tuple of str
        The slider keys that act on this model; the others are disabled while it is shown.
    params : callable
        ``params(model, settings) -> dict`` of parameter overrides for the slider values.
    pulse_ms, t_end, stim_at : float
        Test-pulse duration, simulated time and pulse onset, ms.
    traces : dict
        Names of the traces to draw, one panel each in this order: ``"V"`` (required; the
        readout's peak and its time are read from it), ``"Ca"`` and ``"force"`` (optional) and
        further potentials under keys starting with ``"V"``; each ``(name, scale, label)``,
        ``name`` a variable or a semantic label of the model (:data:`~neuromuscle.model.LABELS`,
        e.g. ``"membrane_potential"``).
    excitable : callable, optional
        ``excitable(model) -> Model`` whose threshold is measured (default the model).
    rest : callable, optional
        ``rest(model, p) -> (v, stable, y)``; default :func:`~neuromuscle.steady.resting_state`.
        ``stable`` may be None, to be decided with the readouts by ``stability``.
    stability : callable, optional
        ``stability(model, p, y) -> bool`` for a ``rest`` that leaves stability open.
    description : str
    ranges : dict
        Slider ranges that differ for this model: ``{key: (start, end, default)}``.
    sim_kw : dict
        Keyword arguments of every :func:`~neuromuscle.simulate` call (engine, tolerances);
        default the compiled engine :func:`~neuromuscle.engine.choose` picks, at
        :data:`DISPLAY_RTOL` and :data:`DISPLAY_ATOL`.
    dt : float, optional
        Sampling interval of the drawn traces, ms; default ``t_end / 1500`` (a sample every
        0.4 px of the drawn time axis). The integration keeps its own steps and locates
        spikes within them; only the output grid is this coarse.
    threshold_guess : float
        Where the first threshold search starts, uA/cm2 (near the real threshold saves the
        search a dozen runs).
    slow : bool
        Its readouts take long (the app says so while they are computed).
    """

    key: str
    label: str
    build: Callable
    controls: tuple[str, ...]
    params: Callable
    pulse_ms: float
    t_end: float
    traces: dict
    stim_at: float = 2.0
    excitable: Callable | None = None
    rest: Callable | None = None
    stability: Callable | None = None
    description: str = ""
    sim_kw: dict = field(default_factory=dict)
    ranges: dict = field(default_factory=dict)
    threshold_guess: float = 1.0
    slow: bool = False
    dt: float | None = None

    def sample_dt(self) -> float:
        """The drawn traces' sampling interval, ms."""
        return float(self.dt) if self.dt is not None else self.t_end / 1500.0

    def run_kw(self, model) -> dict:
        """Keyword arguments of this model's :func:`~neuromuscle.simulate` calls."""
        from .engine import choose

        return {"engine": choose(model), "rtol": DISPLAY_RTOL, "atol": DISPLAY_ATOL, **self.sim_kw}

    def defaults(self) -> dict[str, float]:
        """Slider values of normal conditions for this model."""
        out = {k: c.default for k, c in CONTROLS.items()}
        out.update({k: r[2] for k, r in self.ranges.items()})
        return out


#: The explorer's models, by key (in the order shown).
MODELS: dict[str, ExplorerModel] = {}


def register_model(entry: ExplorerModel) -> ExplorerModel:
    """Add (or replace) a model in :data:`MODELS`; returns it."""
    if not isinstance(entry, ExplorerModel):
        raise TypeError(f"register_model needs an ExplorerModel, got {type(entry).__name__}")
    MODELS[entry.key] = entry
    _built.cache_clear()
    return entry


@functools.cache
def _built(key: str):
    return MODELS[key].build()


def _environment(model, settings):
    return model_parameters(model, settings_electrolytes(settings))


def _hh_params(model, settings):
    return {"celsius": float(settings.get("celsius", 6.3))}


def _ec_params(model, settings):
    env = model_parameters(model, settings_electrolytes(settings))
    supply = model.label("atp_supply_capacity")
    env[supply] = model.parameters[supply].value * float(settings.get("atp", 100.0)) / 100.0
    return env


_REST_GUESS: dict[str, np.ndarray] = {}


def _continue_rest(model, p, guess: np.ndarray):
    """Newton continuation of a resting state from ``guess``, keeping its conserved totals.

    Closed pools (Ca, Mg, adenine nucleotides, ...) make the Jacobian singular: its left null
    vectors ``w`` are conservation laws (``w . dy/dt = 0``). Each Newton step solves the
    right-hand side together with ``w . (y - guess) = 0`` (least squares), so the totals
    stay those of the cell the sliders act on. Returns ``(y, stable)`` or ``None`` if Newton
    did not converge. Stability is judged on the eigenvalues without the zero ones of the
    conservation laws.
    """
    from .steady import jacobian

    jac = jacobian(model, guess, p, 0.0)
    u, s, _ = np.linalg.svd(jac)
    laws = u[:, s <= 1e-10 * s[0]]
    y = np.array(guess, dtype=float)
    for _ in range(20):
        a = np.vstack([jac, laws.T])
        step = np.linalg.lstsq(a, -np.concatenate([model.rhs(0.0, y, p, 0.0), laws.T @ (y - guess)]),
                               rcond=None)[0]
        y = y + step
        if not np.all(np.isfinite(y)):
            return None
        jac = jacobian(model, y, p, 0.0)
        if np.all(np.abs(step) <= 1e-10 * np.maximum(1.0, np.abs(y))):
            break
    else:
        return None
    scale = np.maximum(1.0, np.abs(y))
    if np.max(np.abs(model.rhs(0.0, y, p, 0.0)) / scale) > 1e-8:
        return None
    eig = np.linalg.eigvals(jac)
    eig = eig[np.argsort(np.abs(eig))][laws.shape[1]:]
    return y, bool(np.all(eig.real < 0))


_REST_FROM: dict[str, np.ndarray] = {}  # the parameter vector of each _REST_GUESS
_REST_CACHE: dict[tuple, tuple] = {}  # (key, parameters) -> (v, stable, y)
_CACHE_SIZE = 512  # entries per cache before it is emptied (a lesson moves a few sliders)


def _remember(cache: dict, key, value):
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value


def _rest(model, p, key=None):
    """Resting state ``(v, stable, y)``, continued from the last one found for this model.

    A slider step moves the rest a little, so Newton's method started from the previous
    rest (:func:`_continue_rest`, with the conserved totals kept) finds it in milliseconds;
    a longer move that Newton does not cross in one go is walked in four equal steps of the
    parameters. The full search of :func:`~neuromuscle.steady.resting_state` (a scan over V,
    a second for the nerve-to-force chain) runs the first time and whenever the continuation
    fails or lands on an unstable state. Near a bistable range the explorer thus follows the
    branch the cell is on, as a real cell does. Each result is kept for its parameters.
    """
    from .steady import resting_state

    key = key or model.name
    p = np.asarray(p, dtype=float)
    memo = (key, p.tobytes())
    if memo in _REST_CACHE:
        return _REST_CACHE[memo]
    iv = model.state_index[model.label("membrane_potential")]
    guess, p_from = _REST_GUESS.get(key), _REST_FROM.get(key)
    if guess is not None:
        found = _continue_rest(model, p, guess)
        if (found is None or not found[1]) and p_from is not None and p_from.shape == p.shape:
            y = guess
            for w in (0.25, 0.5, 0.75, 1.0):
                found = _continue_rest(model, p_from + w * (p - p_from), y)
                if found is None or not found[1]:
                    break
                y = found[0]
        if found is not None and found[1]:
            _REST_GUESS[key], _REST_FROM[key] = found[0], p
            return _remember(_REST_CACHE, memo, (float(found[0][iv]), True, found[0]))
    eq = resting_state(model, p)
    _REST_GUESS[key], _REST_FROM[key] = eq.y, p
    return _remember(_REST_CACHE, memo, (float(eq.v), bool(eq.stable), eq.y))


def _ec_rest(model, p):
    """Rest of the EC fibre: the membrane's resting state in these conditions, with the Ca
    system in the resting state the model was built with (relaxing the Ca system for every
    redraw would take seconds; over one twitch it does not move)."""
    fibre = model.fibre
    p_fibre = fibre.parameter_vector()
    for name, i in fibre.parameter_index.items():
        if name in model.parameter_index:
            p_fibre[i] = p[model.parameter_index[name]]
    v, stable, y_fibre = _rest(fibre, p_fibre, key="muscle_ec.fibre")
    y = np.array(model.initial_state, dtype=float)
    y[[model.state_index[n] for n in fibre.state_names]] = y_fibre
    return v, stable, y


def _cable_rest(model, p):
    """Rest of a cable model: Newton on the banded Jacobian
    (:func:`~neuromuscle.models.myelinated_axon.cable_rest_state`), started from the last rest
    found for this cable (in four parameter steps if one Newton solve does not reach it; from
    uniform V the first time, or if that fails). Its stability
    (ARPACK on the slowest modes, a tenth of a second) is left to :func:`_cable_stable`, run
    with the readouts; the dense continuation of :func:`_rest` does not apply to array states."""
    from .models.myelinated_axon import cable_rest_state

    p = np.asarray(p, dtype=float)
    memo = (model.name, p.tobytes())
    if memo not in _REST_CACHE:
        guess, p_from = _REST_GUESS.get(model.name), _REST_FROM.get(model.name)
        y = cable_rest_state(model, p, y0=guess) if guess is not None else None
        if y is None and guess is not None:  # a long move: walk it in four parameter steps
            y = guess
            for w in (0.25, 0.5, 0.75, 1.0):
                y = cable_rest_state(model, p_from + w * (p - p_from), y0=y)
                if y is None:
                    break
        if y is None:
            y = cable_rest_state(model, p)
        if y is None:
            raise RuntimeError("no resting state found for these settings")
        _REST_GUESS[model.name], _REST_FROM[model.name] = y, p
        _remember(_REST_CACHE, memo, (float(y[model.state_index["V"]]), None, y))
    return _REST_CACHE[memo]


def _cable_stable(model, p, y) -> bool:
    """Whether the cable's rest ``y`` is stable: every one of its slowest modes decays."""
    from .models.myelinated_axon import cable_slowest_modes

    return bool(np.all(cable_slowest_modes(model, y, p).real < 0))


#: The explorer's myelinated axon: a short cable (the stimulated node with one node on its
#: near side, the action potential recorded four internodes on), enough to show conduction.
MYELINATED_NODES, MYELINATED_STIM, MYELINATED_RECORD = 7, 1, 5


def _myelinated():
    from .models import motor_axon_myelinated

    return motor_axon_myelinated(n_nodes=MYELINATED_NODES, stim_node=MYELINATED_STIM, record_node=MYELINATED_RECORD)


def _default_models() -> None:
    from . import models

    register_model(ExplorerModel(
        "motor_axon", "Motor axon node (human, 37 C)", lambda: models.motor_axon(),
        ("na", "k", "ca", "mg", "ph", "celsius"), _environment, pulse_ms=0.1, t_end=20.0,
        traces={"V": ("membrane_potential", 1.0, "V (mV)")},
        description="Single node of Ranvier of a human motor axon (Schwarz, Reid & Bostock 1995 kinetics).",
    ))
    register_model(ExplorerModel(
        "myelinated_axon", f"Myelinated motor axon ({MYELINATED_NODES} nodes, 37 C)", _myelinated,
        ("na", "k", "ca", "mg", "ph", "celsius"), _environment, pulse_ms=0.1, t_end=6.0, stim_at=1.0,
        traces={"V": ("V", 1.0, f"V node {MYELINATED_RECORD} (mV)"),
                "V_stim": (f"V_node{MYELINATED_STIM}", 1.0, f"V node {MYELINATED_STIM} (mV)")},
        rest=_cable_rest, stability=_cable_stable, threshold_guess=1e4, slow=True,
        description=(f"A myelinated human motor axon (MRG double cable with the Gaines et al. 2018 channels), "
                     f"{MYELINATED_NODES} nodes: the pulse goes to node {MYELINATED_STIM} (current per cm2 of node "
                     f"membrane), the action potential is recorded at node {MYELINATED_RECORD}, four internodes "
                     "on. The threshold follows the trace after about a second."),
    ))
    register_model(ExplorerModel(
        "hodgkin_huxley", "Hodgkin-Huxley squid axon", lambda: models.hodgkin_huxley(),
        ("celsius",), _hh_params, pulse_ms=0.5, t_end=30.0,
        traces={"V": ("membrane_potential", 1.0, "V (mV)")}, ranges={"celsius": (0.0, 30.0, 6.3)},
        description="Hodgkin & Huxley 1952 (squid axon in sea water): only temperature acts on it.",
    ))
    register_model(ExplorerModel(
        "muscle_fibre", "Muscle fibre (surface + t-tubule, 37 C)", lambda: models.muscle_fibre(),
        ("na", "k", "ca", "mg", "ph", "celsius"), _environment, pulse_ms=0.5, t_end=20.0,
        traces={"V": ("membrane_potential", 1.0, "V (mV)")},
        description="Mammalian fast-twitch fibre (Wallinga et al. 1999 membrane, calibrated rest).",
    ))
    register_model(ExplorerModel(
        "muscle_ec", "Muscle fibre with Ca and force", lambda: models.muscle_ec(),
        ("na", "k", "ca", "mg", "ph", "celsius", "atp"), _ec_params, pulse_ms=0.5, t_end=60.0,
        traces={"V": ("membrane_potential", 1.0, "V (mV)"), "Ca": ("cytosolic_ca", 1e3, "free Ca (uM)"),
                "force": ("force", 1.0, "force (relative)")},
        excitable=lambda m: m.fibre, rest=_ec_rest,
        description="The fibre with SR Ca release, buffers, crossbridges and ATP (Shorten et al. 2007).",
    ))
    register_model(ExplorerModel(
        "nerve_muscle", "Nerve to force (axon, junction, fibre)", lambda: models.nerve_muscle(),
        ("na", "k", "ca", "mg", "ph", "celsius", "atp"), _ec_params, pulse_ms=0.1, t_end=40.0,
        traces={"V": ("V", 1.0, "muscle V (mV)"), "Ca": ("Ca_cyt", 1e3, "free Ca (uM)"),
                "force": ("force", 1.0, "force (relative)")},
        description=("The whole chain: a motor-axon node, the nerve terminal and end-plate, the fibre with "
                     "Ca and force, all in the same plasma. The pulse goes to the axon; the threshold is the "
                     "smallest nerve pulse the muscle fibre follows with an action potential."),
    ))


_default_models()


# ---------------------------------------------------------------- computation
def clear_caches() -> None:
    """Forget every resting state the explorer has found (the next ones are searched afresh)."""
    _REST_GUESS.clear()
    _REST_FROM.clear()
    _REST_CACHE.clear()


@dataclass
class Snapshot:
    """What one redraw shows.

    A snapshot from :meth:`Explorer.trace` has the trace and the rest; its readouts
    (``threshold``, ``fires_on_own``) are filled in by :meth:`Explorer.readouts`
    (``pending`` until then).
    """

    model: str
    settings: dict
    t: np.ndarray
    traces: dict  # label -> array
    rest: float  # mV
    rest_stable: bool | None  # None until the readouts decide it (models with a costly test)
    responds: bool  # the test pulse fired an action potential
    test_pulse: float  # uA/cm2
    notes: list
    seconds: float  # the trace's computation, s
    atp_use: float = float("nan")  # mM/s at rest (models with an ATP budget)
    atp_supply: float = float("nan")  # mM/s, supply capacity
    threshold: float = float("nan")  # uA/cm2, nan if none below the search limit
    fires_on_own: bool | None = None  # None until the readouts are computed
    readout_seconds: float = float("nan")  # the readouts' computation, s

    @property
    def pending(self) -> bool:
        """The readouts (threshold, firing on its own) are not computed yet."""
        return self.fires_on_own is None

    @property
    def peak_time(self) -> float:
        """Time of the membrane potential's maximum, ms."""
        v = next(iter(self.traces.values()))
        return float(self.t[int(np.argmax(v))])

    def summary(self) -> dict:
        """The readout as plain numbers."""
        return {"rest (mV)": self.rest, "rest stable": self.rest_stable, "threshold (uA/cm2)": self.threshold,
                "fires on its own": self.fires_on_own, "test pulse fires": self.responds,
                "test pulse (uA/cm2)": self.test_pulse, "trace (s)": self.seconds,
                "readouts (s)": self.readout_seconds}


def _settings_key(entry: ExplorerModel, settings: Mapping[str, float]) -> tuple:
    return (entry.key, tuple((k, float(settings[k])) for k in sorted(entry.controls) if k in settings))


#: Smallest y range of each kind of drawn trace, in its drawn unit (V in mV, free Ca in uM,
#: force relative to the maximum): a trace that moves less is drawn flat in the middle (or,
#: for a quantity that is never negative, from just below 0).
MIN_SPAN = {"V": 20.0, "Ca": 0.5, "force": 0.05}


class Explorer:
    """The explorer's state and computation; :meth:`panel` builds the app around it."""

    def __init__(self, model: str = "motor_axon"):
        if model not in MODELS:
            raise ValueError(f"model = {model!r} is not known; valid: {', '.join(MODELS)}")
        self.model_key = model
        self.settings = MODELS[model].defaults()
        self._pulse: dict[str, float] = {}
        self._last_threshold: dict[str, float] = {}
        self._threshold_memo: dict[tuple, float] = {}
        self._snapshots: dict[tuple, Snapshot] = {}

    # ---- numbers
    def _test_pulse(self, entry: ExplorerModel, model) -> float:
        """1.5 x the threshold in normal conditions (computed once per model)."""
        if entry.key not in self._pulse:
            thr = self._threshold(entry, model, entry.defaults())
            self._pulse[entry.key] = 1.5 * thr
        return self._pulse[entry.key]

    def _params(self, entry, model, settings):
        return entry.params(model, settings)

    def _rest(self, entry, model, p):
        if entry.rest is not None:
            return entry.rest(model, p)
        return _rest(model, p, entry.key)

    def _threshold(self, entry, model, settings, y=None) -> float:
        """Threshold (uA/cm2) of the model's test pulse from rest, to 2 %.

        A bisection like :func:`~neuromuscle.analysis.threshold_current`, bracketed within
        4 % of the last threshold found for this model (a slider step moves it by a few per
        cent; the bracket widens when it does not hold), so a redraw needs about four short
        runs instead of twenty. The result is kept for the parameters and resting state it
        was found at: a slider that does not act on the excitable part (the ATP supply of
        the fibre with Ca and force) costs no new search.
        """
        from .protocols import Pulse
        from .simulation import simulate

        params = self._params(entry, model, settings)
        target = entry.excitable(model) if entry.excitable else model
        kw = {k: v for k, v in params.items() if k in target.parameter_index}
        try:
            if y is None:
                y = self._rest(entry, model, model.parameter_vector(params))[2]
            if target is not model:
                y = y[[model.state_index[n] for n in target.state_names]]
        except Exception:  # no equilibrium to start from
            return float("nan")
        delay, post = 1.0, 8.0
        memo_key = (entry.key, tuple(sorted(kw.items())), np.asarray(y, dtype=float).round(12).tobytes())
        if memo_key in self._threshold_memo:
            return self._threshold_memo[memo_key]
        run_kw = entry.run_kw(target)

        def fires(amplitude):
            res = simulate(target, Pulse(amplitude, delay, entry.pulse_ms), delay + entry.pulse_ms + post,
                           params=kw, y0=y, dt=post, **run_kw)
            return res.spike_times.size > 0

        guess = self._last_threshold.get(entry.key)
        widen = 1.25 if guess is None else 1.04
        guess = entry.threshold_guess if guess is None else guess
        lo, hi = guess / widen, guess * widen
        while fires(lo):
            hi, lo = lo, lo / widen
            widen = min(2.0, widen * 1.5)
            if lo < 1e-6:
                return 0.0
        limit = min(5e5, 100.0 * max(1e3, entry.threshold_guess))  # "none found" above this
        while not fires(hi):
            lo, hi = hi, hi * widen
            widen = min(2.0, widen * 1.5)
            if hi > limit:
                return float("nan")
        while hi - lo > 0.02 * hi:
            mid = 0.5 * (lo + hi)
            if fires(mid):
                hi = mid
            else:
                lo = mid
        self._last_threshold[entry.key] = hi
        self._threshold_memo[memo_key] = float(hi)
        return float(hi)

    def _entry_settings(self, settings, model):
        key = model or self.model_key
        entry = MODELS[key]
        if settings is None:
            settings = dict(self.settings) if key == self.model_key else entry.defaults()
        else:
            settings = {**entry.defaults(), **settings}
        return entry, settings

    def trace(self, settings: Mapping[str, float] | None = None, model: str | None = None) -> Snapshot:
        """The resting state and the response to the test pulse: what is drawn.

        ``settings`` (slider key -> value) change the model's normal conditions
        (:meth:`ExplorerModel.defaults`); without it the explorer's current settings are used.
        The snapshot's readouts are pending unless this setting was computed before
        (:meth:`readouts` fills them in).
        """
        from .protocols import Pulse
        from .simulation import simulate

        tic = time.perf_counter()
        entry, settings = self._entry_settings(settings, model)
        memo = _settings_key(entry, settings)
        if memo in self._snapshots:
            return dataclasses.replace(self._snapshots[memo], settings=settings)
        m = _built(entry.key)
        params = self._params(entry, m, settings)
        p = m.parameter_vector(params)
        notes = []
        rest, stable, y0 = self._rest(entry, m, p)
        amplitude = self._test_pulse(entry, m)
        res = simulate(m, Pulse(amplitude, entry.stim_at, entry.pulse_ms), entry.t_end, params=params, y0=y0,
                       dt=entry.sample_dt(), **entry.run_kw(m))
        if stable is False:
            notes.append("no stable resting state")
        traces = {label: scale * np.asarray(res[name]) for name, scale, label in entry.traces.values()}
        use = supply = float("nan")
        if "atp" in entry.controls:
            obs = m.observables(0.0, y0, p)
            use = 1e3 * float(obs[m.label("atp_use")])
            supply = 1e3 * float(params[m.label("atp_supply_capacity")])
            notes.append(f"resting ATP use {use:.3g} mM/s; supply capacity {supply:.3g} mM/s"
                         + (" (below resting use: ATP runs down over minutes)" if supply < use else ""))
        snap = Snapshot(entry.key, settings, np.asarray(res.t), traces, float(rest), stable,
                        bool(res.spike_times.size), float(amplitude), notes, time.perf_counter() - tic, use, supply)
        _remember(self._snapshots, memo, snap)
        return snap

    def readouts(self, snap: Snapshot) -> Snapshot:
        """``snap`` with its readouts: the threshold (:meth:`_threshold`) and whether the cell
        fires on its own (two or more spikes in 50 ms without a stimulus, from rest kicked by
        1 mV: the criterion of :func:`neuromuscle.analysis.spontaneous_activity`, shorter)."""
        from .simulation import simulate

        if not snap.pending:
            return snap
        tic = time.perf_counter()
        entry = MODELS[snap.model]
        m = _built(entry.key)
        params = self._params(entry, m, snap.settings)
        _, _, y0 = self._rest(entry, m, m.parameter_vector(params))
        threshold = self._threshold(entry, m, snap.settings, y0)
        y_kick = np.array(y0, dtype=float)
        y_kick[m.state_index[m.label("membrane_potential")]] += 1.0
        free = simulate(m, None, 50.0, params=params, y0=y_kick, dt=50.0, **entry.run_kw(m))
        stable, notes = snap.rest_stable, snap.notes
        if stable is None:
            stable = entry.stability(m, m.parameter_vector(params), y0)
            notes = notes + ([] if stable else ["no stable resting state"])
        done = dataclasses.replace(snap, threshold=float(threshold), fires_on_own=bool(free.spike_times.size >= 2),
                                   rest_stable=bool(stable), notes=notes, readout_seconds=time.perf_counter() - tic)
        memo = _settings_key(entry, snap.settings)
        if memo in self._snapshots:
            self._snapshots[memo] = done
        return done

    def compute(self, settings: Mapping[str, float] | None = None, model: str | None = None) -> Snapshot:
        """The trace and the readouts (:meth:`trace`, then :meth:`readouts`)."""
        return self.readouts(self.trace(settings, model))

    # ---- drawing
    @staticmethod
    def figure(snap: Snapshot):
        """A matplotlib figure of a snapshot, in the package style."""
        from matplotlib.figure import Figure

        from .plotting import COLOURS, use_style

        use_style()
        n = len(snap.traces)
        fig = Figure(figsize=(7.0, 1.9 + 1.5 * n))
        axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
        # each trace in the colour of its kind (a second potential, e.g. another node, is a V too)
        kinds = [k if k in COLOURS else ("V" if k.startswith("V") else "threshold") for k in MODELS[snap.model].traces]
        colours = [COLOURS[k] for k in kinds]
        for ax, (label, y), colour, kind in zip(axes, snap.traces.items(), colours, kinds):
            ax.plot(snap.t, y, color=colour)
            ax.set_ylabel(label)
            lo, hi = float(np.min(y)), float(np.max(y))
            span = MIN_SPAN.get(kind, 0.0)
            if hi - lo < span:  # a flat trace is drawn flat, not its last digits magnified
                bottom = 0.5 * (lo + hi) - 0.55 * span
                if lo >= 0.0:  # Ca and force: the axis starts near 0, not below it
                    bottom = max(bottom, -0.05 * span)
                ax.set_ylim(bottom, bottom + 1.1 * span)
        axes[0].axhline(snap.rest, color=COLOURS["rest"], lw=0.8, ls="--", label=f"rest {snap.rest:.1f} mV")
        axes[0].legend(loc="upper right")
        axes[0].set_title(f"{MODELS[snap.model].label}: test pulse {snap.test_pulse:.3g} uA/cm2 "
                          f"x {MODELS[snap.model].pulse_ms:g} ms at {MODELS[snap.model].stim_at:g} ms")
        axes[-1].set_xlabel("time (ms)")
        # a fixed layout (tight_layout costs a tenth of a second per redraw); the tests check
        # that no text is clipped or overlaps (neuromuscle.plotting.text_problems)
        fig.subplots_adjust(left=0.12, right=0.97, top=1 - 0.35 / fig.get_figheight(),
                            bottom=0.5 / fig.get_figheight(), hspace=0.18)
        return fig

    @staticmethod
    def png(snap: Snapshot) -> bytes:
        """The figure of a snapshot as the app shows it: PNG at :data:`FIGURE_DPI` (the layout
        is fixed, so no tight box is needed; fast zlib compression)."""
        import io

        buf = io.BytesIO()
        Explorer.figure(snap).savefig(buf, format="png", dpi=FIGURE_DPI, pil_kwargs={"compress_level": 1})
        return buf.getvalue()

    @staticmethod
    def readout_html(snap: Snapshot) -> str:
        """The readout: numbers in the text, and as data attributes for scripts and tests
        (``data-pending="1"`` while the threshold and firing on its own are computed)."""
        import html
        import json

        stability = {True: "stable", False: "not stable", None: "stability computing..."}[snap.rest_stable]
        if snap.pending:
            thr = fires = "computing..."
        else:
            thr = "none found" if not np.isfinite(snap.threshold) else f"{snap.threshold:.4g} uA/cm2"
            fires = "yes" if snap.fires_on_own else "no"
        v = np.asarray(next(iter(snap.traces.values())))
        settings = html.escape(json.dumps({k: round(float(v), 6) for k, v in sorted(snap.settings.items())}))
        attrs = (f'data-model="{snap.model}" data-settings="{settings}" data-rest="{snap.rest:.6g}" '
                 f'data-pending="{int(snap.pending)}" data-threshold="{snap.threshold:.6g}" '
                 f'data-fires="{-1 if snap.pending else int(snap.fires_on_own)}" data-responds="{int(snap.responds)}" '
                 f'data-vmax="{float(np.max(v)):.6g}" data-tpeak="{snap.peak_time:.6g}" '
                 f'data-atp-use="{snap.atp_use:.6g}" data-atp-supply="{snap.atp_supply:.6g}" '
                 f'data-seconds="{snap.seconds:.4g}" data-readout-seconds="{snap.readout_seconds:.4g}"')
        extra = "".join(f"<li>{n}</li>" for n in snap.notes)
        extras = f"<ul>{extra}</ul>" if extra else ""
        took = f"trace computed in {snap.seconds:.2f} s"
        if not snap.pending:
            took += f", readouts in {snap.readout_seconds:.2f} s"
        return (f'<div class="nm-readout" {attrs}>'
                f"<b>Resting potential</b> {snap.rest:.1f} mV ({stability})<br>"
                f"<b>Threshold</b> ({MODELS[snap.model].pulse_ms:g} ms pulse) {thr}<br>"
                f"<b>Fires on its own</b> {fires}<br>"
                f"<b>Test pulse</b> {'fires an action potential' if snap.responds else 'fails'}<br>"
                f"<small>{took}</small>{extras}</div>")

    # ---- the app
    def panel(self):
        """The app as a Panel layout (serve it, or show it in a Jupyter cell).

        The first drawing happens here; after that every change recomputes in a worker
        thread (an asyncio executor), so the page stays responsive and shows "computing..."
        meanwhile. The trace is drawn as soon as it is computed; the threshold and firing on
        its own follow. Changes made during a computation are gathered into one more
        computation with the latest values when it ends (the readouts of a setting already
        left are not computed).
        """
        import asyncio

        import panel as pn

        from .electrolytes import Electrolytes, preset_names

        model_select = pn.widgets.Select(name="Model", options={e.label: k for k, e in MODELS.items()},
                                         value=self.model_key, css_classes=["nm-model"])
        sliders = {}
        for key, c in CONTROLS.items():
            unit = f" ({c.unit})" if c.unit else ""
            sliders[key] = pn.widgets.FloatSlider(
                name=f"{c.label}{unit}", start=c.start, end=c.end, step=c.step, value=c.default,
                css_classes=[f"nm-slider-{key}"], width=280)
        buttons = []
        for name in preset_names():
            b = pn.widgets.Button(name=name.replace("_", " "), button_type="light", css_classes=[f"nm-preset-{name}"],
                                  width=135)
            buttons.append((name, b))
        readout = pn.pane.HTML("", css_classes=["nm-readout-pane"], width=330)
        status = pn.pane.HTML("", css_classes=["nm-status-pane"], width=330)
        plot = pn.pane.PNG(None, width=int(7.0 * FIGURE_DPI), css_classes=["nm-plot"])
        info = pn.pane.Markdown("", width=330)
        state = {"busy": False, "running": False, "dirty": False}

        def take_settings():
            self.model_key = model_select.value
            self.settings = {k: s.value for k, s in sliders.items()}

        def trace_and_draw():  # in the worker thread: the PNG is rendered there too
            snap = self.trace()
            return snap, self.png(snap)

        def show(snap, image):
            plot.object = image
            readout.object = self.readout_html(snap)
            info.object = MODELS[snap.model].description

        def show_error(exc):  # show the problem instead of a dead app
            readout.object = f'<div class="nm-readout" data-error="1">Could not compute: {exc}</div>'

        def set_ranges():
            entry = MODELS[model_select.value]
            state["busy"] = True
            try:
                for key, sl in sliders.items():
                    c = CONTROLS[key]
                    start, end, default = entry.ranges.get(key, (c.start, c.end, c.default))
                    sl.param.update(start=start, end=end, value=default)
                    sl.disabled = key not in entry.controls
            finally:
                state["busy"] = False

        async def redraw(*_):
            if state["busy"]:
                return
            state["dirty"] = True
            if state["running"]:
                return  # the computation under way starts one more with the latest values
            state["running"] = True
            loop = asyncio.get_running_loop()
            try:
                while state["dirty"]:
                    state["dirty"] = False
                    take_settings()
                    slow = MODELS[self.model_key].slow
                    status.object = '<div class="nm-computing">computing...</div>'
                    plot.loading = True
                    try:
                        snap, fig = await loop.run_in_executor(None, trace_and_draw)
                    except Exception as exc:
                        show_error(exc)
                        continue
                    finally:
                        plot.loading = False
                    show(snap, fig)
                    if not snap.pending or state["dirty"]:
                        continue
                    status.object = ('<div class="nm-computing">computing the threshold'
                                     + (" (this model takes longer)" if slow else "") + "...</div>")
                    try:
                        snap = await loop.run_in_executor(None, self.readouts, snap)
                    except Exception as exc:
                        show_error(exc)
                        continue
                    if not state["dirty"]:
                        readout.object = self.readout_html(snap)
            finally:
                state["running"] = False
                plot.loading = False
                status.object = ""

        async def set_model(*_):
            set_ranges()
            await redraw()

        async def apply_preset(name):
            e = Electrolytes.preset(name)
            state["busy"] = True
            try:
                for key in ("na", "k", "ca", "mg"):
                    c = CONTROLS[key]
                    sliders[key].value = float(min(max(getattr(e, key), c.start), c.end))
                if "ph" in sliders:
                    sliders["ph"].value = float(getattr(e, CONTROLS["ph"].key))
            finally:
                state["busy"] = False
            await redraw()

        def preset_callback(name):
            async def clicked(event):
                await apply_preset(name)
            return clicked

        for name, b in buttons:
            b.on_click(preset_callback(name))
        model_select.param.watch(set_model, "value")
        for s in sliders.values():
            s.param.watch(redraw, "value_throttled")
        # the first drawing, before the page is shown (it compiles the model)
        set_ranges()
        take_settings()
        try:
            snap, fig = trace_and_draw()
            show(self.readouts(snap), fig)
        except Exception as exc:
            show_error(exc)
        controls = pn.Column(
            "## neuromuscle explorer", model_select, *sliders.values(), "**Presets**",
            pn.FlexBox(*(b for _, b in buttons), width=300), width=320)
        return pn.Row(controls, pn.Column(plot, status, pn.Row(readout, info)))


def _densify(xy: np.ndarray, spacing: float) -> np.ndarray:
    """Points along the polyline ``xy`` no further apart than ``spacing``."""
    seg = np.diff(xy, axis=0)
    n = np.maximum(1, np.ceil(np.hypot(seg[:, 0], seg[:, 1]) / spacing).astype(int))
    frac = np.concatenate([np.arange(k) / k for k in n])
    start = np.repeat(np.arange(len(seg)), n)
    return np.vstack([xy[start] + frac[:, None] * seg[start], xy[-1:]])


def trace_deviation_px(snap: Snapshot, ref: Snapshot, dpi: float = FIGURE_DPI) -> dict[str, float]:
    """How far the drawn curves of ``snap`` lie from those of ``ref``, in pixels of the figure.

    Both snapshots' traces are mapped into the pixel coordinates of :meth:`Explorer.figure`
    for ``snap`` (axes scaled to ``snap``'s data) at ``dpi``, and compared as curves: the
    symmetric Hausdorff distance between the two polylines (each densified to 0.1 px, so the
    figure is exact to 0.05 px). A time shift counts along the curve, not as the vertical
    difference of a steep upstroke. Compare with the line width, ``lines.linewidth`` of
    :data:`~neuromuscle.plotting.STYLE` (1.4 pt, 1.9 px at 96 dpi).

    Returns
    -------
    dict
        Trace label -> distance, px.
    """
    from scipy.spatial import cKDTree

    fig = Explorer.figure(snap)
    fig.set_dpi(dpi)
    out = {}
    for ax, label in zip(fig.axes, snap.traces):
        ax.get_xlim(), ax.get_ylim()  # autoscale now
        a = _densify(ax.transData.transform(np.column_stack([snap.t, snap.traces[label]])), 0.1)
        b = _densify(ax.transData.transform(np.column_stack([ref.t, ref.traces[label]])), 0.1)
        out[label] = float(max(cKDTree(b).query(a)[0].max(), cKDTree(a).query(b)[0].max()))
    return out


def line_width_px(dpi: float = FIGURE_DPI) -> float:
    """Width of a drawn trace, px (``lines.linewidth`` of the package style, in points)."""
    from .plotting import STYLE

    return float(STYLE["lines.linewidth"]) / 72.0 * dpi


def serve(port: int = 5006, address: str = "localhost", show: bool = True, **kw):
    """Serve the explorer on ``http://address:port`` (blocks until stopped)."""
    import panel as pn

    origins = [f"{address}:{port}", f"localhost:{port}", f"127.0.0.1:{port}"]
    return pn.serve({"/": lambda: Explorer().panel()}, port=port, address=address, show=show,
                    title="neuromuscle explorer", websocket_origin=origins, **kw)
