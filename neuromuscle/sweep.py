"""Parameter sweeps: N-D grids, point lists and Latin hypercubes, with labelled results.

:func:`sweep` evaluates metrics (from :data:`METRICS`, or your own functions) at every
point of a design over model parameters, electrolytes and the stimulus amplitude, and
returns an :class:`xarray.Dataset` whose variables and coordinates carry ``units`` and
``long_name`` attributes (so plots label themselves).

* **Resumable**: with ``checkpoint=DIR`` every finished chunk of points is written to
  ``DIR`` atomically as it completes; running the same sweep again skips finished chunks,
  so an interrupted sweep loses nothing and recomputes nothing.
* **Robust**: a point that fails is recorded (NaN plus its message in the ``error``
  variable) and the sweep goes on.
* **Parallel**: ``n_jobs`` local processes, or any ``concurrent.futures``-style executor
  (including a Dask ``distributed.Client``).
* **Fast**: simulation metrics of a chunk run on the compiled batch engine.
* **Bounded memory**: only metrics are kept, unless ``keep_traces=True``.
* **Reproducible**: same inputs (and ``seed`` for Latin hypercubes), same numbers,
  whatever the number of processes.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .analysis import equilibria, resting_state, spontaneous_activity, steady_firing_rate, threshold_current
from .electrolytes import PARAMETER_OF_FIELD, Electrolytes, model_parameters
from .model import Model
from .protocols import NoStimulus, Protocol

__all__ = [
    "sweep", "stability_map", "Metric", "METRICS", "latin_hypercube", "classify_stability", "STABILITY_CLASSES",
]

#: Codes of the ``stability`` metric.
STABILITY_CLASSES = {
    0: "quiescent (one stable rest state)",
    1: "bistable (stable rest and other equilibria or a second stable state)",
    2: "no stable equilibrium (oscillates / fires spontaneously)",
    3: "depolarised (only stable state above -50 mV: inexcitable block)",
}
#: Electrolyte fields an axis may name: each is the model parameter it maps to
#: (:data:`neuromuscle.electrolytes.PARAMETER_OF_FIELD`), so an electrolyte axis is a parameter axis.
_ELECTROLYTE_FIELDS = tuple(PARAMETER_OF_FIELD)


@dataclass(frozen=True)
class Metric:
    """A quantity computed at each sweep point.

    ``func(model, params, context) -> float`` for point metrics; simulation metrics
    (``needs_simulation=True``) get ``func(spike_times, t_end) -> float`` and share one
    batch simulation per chunk.
    """

    func: Callable
    unit: str
    long_name: str
    needs_simulation: bool = False


def classify_stability(model: Model, params) -> int:
    """Stability class of the equilibria (see :data:`STABILITY_CLASSES`)."""
    eqs = equilibria(model, model.parameter_vector(params))
    stable = [e for e in eqs if e.stable]
    if not stable:
        return 2
    if stable[0].v > -50.0:
        return 3
    return 1 if len(eqs) > 1 else 0


def _rest(model, params, ctx):
    return resting_state(model, model.parameter_vector(params)).v


def _rest_stable(model, params, ctx):
    return float(resting_state(model, model.parameter_vector(params)).stable)


def _spontaneous(model, params, ctx):
    return float(spontaneous_activity(model, params, duration=ctx.get("spontaneous_duration", 500.0)).firing)


def _spontaneous_rate(model, params, ctx):
    return spontaneous_activity(model, params, duration=ctx.get("spontaneous_duration", 500.0)).rate


def _stability(model, params, ctx):
    return float(classify_stability(model, params))


@dataclass(frozen=True)
class _Threshold:
    """Threshold current for a pulse of ``duration`` ms (a class, so it pickles)."""

    duration: float

    def __call__(self, model, params, ctx):
        return threshold_current(model, self.duration, params=params, tol=ctx.get("threshold_tol", 1e-2)).current


def _n_spikes(spikes, t_end):
    return float(spikes.size)


def _rate(spikes, t_end):
    return steady_firing_rate(spikes, t_end)


def _first_spike(spikes, t_end):
    return float(spikes[0]) if spikes.size else float("nan")


#: Built-in metrics by name. ``"threshold:<d>"`` (any pulse duration d in ms) is also accepted.
METRICS: dict[str, Metric] = {
    "rest": Metric(_rest, "mV", "Resting potential"),
    "rest_stable": Metric(_rest_stable, "1", "Rest state is stable (1) or not (0)"),
    # codes in STABILITY_CLASSES (0 quiescent, 1 bistable, 2 no stable rest, 3 depolarised)
    "stability": Metric(_stability, "1", "Stability class"),
    "spontaneous": Metric(_spontaneous, "1", "Fires spontaneously (1) or not (0)"),
    "spontaneous_rate": Metric(_spontaneous_rate, "Hz", "Spontaneous firing rate"),
    "n_spikes": Metric(_n_spikes, "1", "Spikes during the protocol", needs_simulation=True),
    "rate": Metric(_rate, "Hz", "Sustained firing rate (inverse mean interspike interval)", needs_simulation=True),
    "first_spike": Metric(_first_spike, "ms", "Time of the first spike", needs_simulation=True),
}


def _metric(name: str | Metric | Callable) -> Metric:
    if isinstance(name, Metric):
        return name
    if callable(name):
        return Metric(name, "", getattr(name, "__name__", "user metric"))
    if name in METRICS:
        return METRICS[name]
    if isinstance(name, str) and name.startswith("threshold:"):
        try:
            d = float(name.split(":", 1)[1])
        except ValueError:
            raise ValueError(f"metric {name!r}: write threshold:<pulse duration in ms>, e.g. threshold:0.1") from None

        return Metric(_Threshold(d), "uA/cm2", f"Threshold current for a {d:g} ms pulse")
    raise ValueError(f"unknown metric {name!r}; built-in: {sorted(METRICS)} or 'threshold:<ms>' or a callable")


def latin_hypercube(bounds: Mapping[str, tuple[float, float]], n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """``n`` points of a Latin hypercube over ``bounds`` (reproducible with ``seed``)."""
    from scipy.stats import qmc

    names = list(bounds)
    unit = qmc.LatinHypercube(d=len(names), seed=seed).random(n)
    lo = np.array([bounds[k][0] for k in names], dtype=float)
    hi = np.array([bounds[k][1] for k in names], dtype=float)
    return {k: lo[i] + unit[:, i] * (hi[i] - lo[i]) for i, k in enumerate(names)}


@dataclass
class _Spec:
    model: Model
    names: list[str]
    values: np.ndarray  # (n_points, n_vars)
    metrics: list[tuple[str, Metric]]
    protocol: Protocol
    t_end: float
    context: dict
    sim_options: dict
    keep_traces: bool
    trace_dt: float
    base: Electrolytes | None = None
    fixed: dict = field(default_factory=dict)

    def point_params(self, row: np.ndarray) -> tuple[dict, float]:
        """Parameter overrides and stimulus scale for one point."""
        params = {**(model_parameters(self.model, self.base) if self.base is not None else {}), **self.fixed}
        amplitude = 1.0
        for name, value in zip(self.names, row):
            if name == "amplitude":
                amplitude = float(value)
            else:
                params[PARAMETER_OF_FIELD.get(name, name)] = float(value)
        return params, amplitude


def _evaluate_chunk(spec: _Spec, index: np.ndarray) -> dict:
    """Metrics for the points ``index``; failures become NaN with their message."""
    from .engine import simulate_batch

    m = len(index)
    out = {name: np.full(m, np.nan) for name, _ in spec.metrics}
    errors = [""] * m
    prepared = []
    for j, i in enumerate(index):
        try:
            prepared.append(spec.point_params(spec.values[i]))
        except Exception as exc:  # a bad point is recorded, the sweep goes on
            errors[j] = f"{type(exc).__name__}: {exc}"
            prepared.append(None)
    ok = [j for j in range(m) if prepared[j] is not None]
    sim_metrics = [(n, mt) for n, mt in spec.metrics if mt.needs_simulation]
    traces = None
    if (sim_metrics or spec.keep_traces) and ok:
        try:
            P = np.column_stack([spec.model.parameter_vector(prepared[j][0]) for j in ok])
            amps = np.array([prepared[j][1] for j in ok])
            res = simulate_batch(spec.model, spec.protocol, spec.t_end, params=P, amplitude=amps,
                                 dt=spec.trace_dt if spec.keep_traces else None, **spec.sim_options)
            if spec.keep_traces:
                traces = np.full((m, res.sample_t.size), np.nan)
            for k, j in enumerate(ok):
                if res.status[k] < 0:
                    errors[j] = f"simulation {res.messages[k]} (t = {res.t_reached[k]:g} ms)"
                    continue
                spikes = res.spike_times(k)
                for name, mt in sim_metrics:
                    out[name][j] = mt.func(spikes, spec.t_end)
                if traces is not None:
                    traces[j] = res.trace("V", k)
        except Exception as exc:
            for j in ok:
                errors[j] = errors[j] or f"{type(exc).__name__}: {exc}"
    for j in ok:
        if errors[j]:
            continue
        params = prepared[j][0]
        for name, mt in spec.metrics:
            if mt.needs_simulation:
                continue
            try:
                out[name][j] = float(mt.func(spec.model, params, spec.context))
            except Exception as exc:
                errors[j] = f"{name}: {type(exc).__name__}: {exc}"
    result = {"index": np.asarray(index), "error": np.array(errors, dtype=object)}
    result.update(out)
    if traces is not None:
        result["V_trace"] = traces
    return result


class _Progress:
    def __init__(self, total: int, enabled: bool, initial: int = 0):
        self.bar = None
        if enabled:
            try:
                from tqdm.auto import tqdm

                self.bar = tqdm(total=total, initial=initial, unit="point", file=sys.stderr)
            except ImportError:  # pragma: no cover
                self.bar = None

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _fingerprint(spec: _Spec, chunk_size: int) -> str:
    desc = {
        "model": spec.model.name,
        "parameters": spec.model.parameter_vector(spec.fixed).round(12).tolist(),
        "names": spec.names,
        "values": hashlib.sha256(np.ascontiguousarray(spec.values).tobytes()).hexdigest(),
        "metrics": [n for n, _ in spec.metrics],
        "protocol": repr(spec.protocol.pieces()),
        "t_end": spec.t_end,
        "context": spec.context,
        "sim": spec.sim_options,
        "chunk_size": chunk_size,
        "traces": [spec.keep_traces, spec.trace_dt],
        "base": None if spec.base is None else repr(spec.base),
    }
    return hashlib.sha256(json.dumps(desc, sort_keys=True, default=str).encode()).hexdigest()


def _save_chunk(folder: Path, k: int, result: dict) -> None:
    tmp = folder / f".chunk_{k:06d}.tmp.npz"
    np.savez(tmp, **{key: (val.astype(str) if key == "error" else val) for key, val in result.items()})
    os.replace(tmp, folder / f"chunk_{k:06d}.npz")  # atomic: a killed run leaves no half chunk


def _load_chunk(path: Path) -> dict:
    with np.load(path, allow_pickle=False) as data:
        out = {k: data[k] for k in data.files}
    out["error"] = out["error"].astype(object)
    return out


def sweep(
    model: Model,
    axes: Mapping[str, Sequence[float]] | None = None,
    *,
    points: Mapping[str, Sequence[float]] | None = None,
    lhs: Mapping[str, tuple[float, float]] | None = None,
    n_samples: int | None = None,
    seed: int = 0,
    metrics: Sequence[str | Metric | Callable] = ("rest",),
    protocol: Protocol | None = None,
    t_end: float = 1000.0,
    params: Mapping[str, float] | None = None,
    base: Electrolytes | None = None,
    n_jobs: int = 1,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    checkpoint: str | os.PathLike | None = None,
    output: str | os.PathLike | None = None,
    progress: bool = True,
    keep_traces: bool = False,
    trace_dt: float = 0.1,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    spike_threshold: float = 0.0,
    spontaneous_duration: float = 500.0,
    threshold_tol: float = 1e-2,
):
    """Evaluate ``metrics`` over a design of points and return a labelled Dataset.

    Parameters
    ----------
    model : Model
    axes : mapping, optional
        Full N-D grid: ``{"ca": [0.4, 0.8, 1.2], "mg": [0.2, 0.5]}``. Names may be model
        parameters (``"na.g"``, ``"Ca_o"``), electrolyte fields (``"ca"``, ``"k"``..., the
        parameters ``Ca_o``, ``K_o``... of :data:`~neuromuscle.electrolytes.PARAMETER_OF_FIELD`) or
        ``"amplitude"`` (a factor on the protocol's current).
    points : mapping, optional
        Explicit points: ``{"ca": [...], "mg": [...]}`` of equal length.
    lhs, n_samples, seed :
        Latin hypercube: ``{"name": (low, high)}``, number of samples, random seed.
    metrics : sequence
        Names from :data:`METRICS`, ``"threshold:<ms>"``, :class:`Metric` objects, or
        callables ``f(model, params, context) -> float`` (module-level functions, so that
        worker processes can unpickle them).
    protocol, t_end :
        Stimulus and duration (ms) of the simulation for simulation metrics
        (``n_spikes``, ``rate``, ``first_spike``) and traces.
    params : mapping, optional
        Fixed parameter overrides for every point.
    base : Electrolytes, optional
        Electrolytes every point starts from (default: the model's own parameters); the
        axes then change single fields of it.
    n_jobs : int
        Local worker processes (ignored when ``executor`` is given). They are started once
        per session ("spawn") and reused, so each compiles a model only once.
    executor : Executor, optional
        Anything with ``submit`` returning futures, e.g. a ``ProcessPoolExecutor`` or a
        ``distributed.Client``.
    chunk_size : int, optional
        Points per task (default: about 4 chunks per worker, at most 250 points).
    checkpoint : path, optional
        Folder for finished chunks; re-running the same sweep resumes from it. A folder
        from a different sweep is refused.
    output : path, optional
        Write the Dataset to this netCDF file.
    progress : bool
        Show a progress bar on stderr.
    keep_traces : bool
        Also keep V sampled every ``trace_dt`` ms (variable ``V_trace``).
    rtol, atol, spike_threshold :
        Solver settings for simulation metrics.
    spontaneous_duration, threshold_tol :
        Settings of the ``spontaneous`` and ``threshold:`` metrics.

    Returns
    -------
    xarray.Dataset
        One variable per metric (with ``units`` and ``long_name``), an ``error`` variable
        (empty strings where the point succeeded), coordinates for each swept quantity.
    """
    import xarray as xr

    given = [x is not None for x in (axes, points, lhs)]
    if sum(given) != 1:
        raise ValueError("give exactly one of axes= (grid), points= (list) or lhs= (Latin hypercube)")
    if lhs is not None:
        if not n_samples or n_samples < 1:
            raise ValueError(f"n_samples = {n_samples!r}: a Latin hypercube needs a positive number of samples")
        points = latin_hypercube(lhs, int(n_samples), seed)
    if axes is not None:
        names = list(axes)
        grids = [np.asarray(axes[k], dtype=float).ravel() for k in names]
        if any(g.size == 0 for g in grids):
            raise ValueError("every axis needs at least one value")
        mesh = np.meshgrid(*grids, indexing="ij")
        values = np.column_stack([g.ravel() for g in mesh])
        shape = tuple(g.size for g in grids)
    else:
        names = list(points)
        cols = [np.asarray(points[k], dtype=float).ravel() for k in names]
        if len({c.size for c in cols}) != 1:
            raise ValueError(f"points: every quantity needs the same number of values, got {[c.size for c in cols]}")
        values = np.column_stack(cols)
        shape = (values.shape[0],)
    for name in names:
        if name not in model.parameter_index and name not in _ELECTROLYTE_FIELDS and name != "amplitude":
            raise ValueError(
                f"cannot sweep {name!r}: not a parameter of {model.name}, an electrolyte field "
                f"{_ELECTROLYTE_FIELDS} or 'amplitude'"
            )
        if name in _ELECTROLYTE_FIELDS and PARAMETER_OF_FIELD[name] not in model.parameter_index:
            raise ValueError(f"cannot sweep electrolyte {name!r}: model {model.name} has no parameter "
                             f"{PARAMETER_OF_FIELD[name]!r}")
    metric_list = [(m if isinstance(m, str) else getattr(m, "__name__", f"metric{i}"), _metric(m))
                   for i, m in enumerate(metrics)]
    metric_list = [(n.replace(":", "_") + ("ms" if n.startswith("threshold:") else ""), mt) for n, mt in metric_list]
    spec = _Spec(
        model=model, names=names, values=values, metrics=metric_list, protocol=protocol or NoStimulus(),
        t_end=float(t_end), context={"spontaneous_duration": spontaneous_duration, "threshold_tol": threshold_tol},
        sim_options={"rtol": rtol, "atol": atol, "spike_threshold": spike_threshold},
        keep_traces=keep_traces, trace_dt=trace_dt, base=base, fixed=dict(params or {}),
    )
    n_points = values.shape[0]
    workers = 1 if executor is None and n_jobs <= 1 else max(n_jobs, 2)
    if chunk_size is None:
        chunk_size = int(min(250, max(1, np.ceil(n_points / (4 * workers)))))
    chunks = [np.arange(s, min(s + chunk_size, n_points)) for s in range(0, n_points, chunk_size)]

    done: dict[int, dict] = {}
    folder = None
    if checkpoint is not None:
        folder = Path(checkpoint)
        folder.mkdir(parents=True, exist_ok=True)
        fp = _fingerprint(spec, chunk_size)
        meta = folder / "sweep.json"
        if meta.exists():
            old = json.loads(meta.read_text())
            if old.get("fingerprint") != fp:
                raise ValueError(
                    f"checkpoint folder {folder} belongs to a different sweep (inputs differ); "
                    "use another folder or delete it"
                )
        else:
            meta.write_text(json.dumps({"fingerprint": fp, "n_points": n_points, "chunk_size": chunk_size}))
        for k in range(len(chunks)):
            path = folder / f"chunk_{k:06d}.npz"
            if path.exists():
                done[k] = _load_chunk(path)

    todo = [k for k in range(len(chunks)) if k not in done]
    bar = _Progress(n_points, progress, initial=sum(len(chunks[k]) for k in done))
    start = time.perf_counter()

    def finish(k, result):
        done[k] = result
        if folder is not None:
            _save_chunk(folder, k, result)
        bar.update(len(chunks[k]))

    try:
        if executor is None and workers == 1:
            for k in todo:
                finish(k, _evaluate_chunk(spec, chunks[k]))
        else:
            pool = executor or _process_pool(workers)
            futures = {pool.submit(_evaluate_chunk, spec, chunks[k]): k for k in todo}
            try:
                for fut in _as_completed(pool, list(futures)):
                    finish(futures[fut], fut.result())
            except BaseException:
                for fut in futures:
                    fut.cancel()
                raise
    finally:
        bar.close()
    wall = time.perf_counter() - start

    flat = {name: np.full(n_points, np.nan) for name, _ in metric_list}
    errors = np.full(n_points, "", dtype=object)
    traces = None
    for res in done.values():
        idx = res["index"]
        for name, _ in metric_list:
            flat[name][idx] = res[name]
        errors[idx] = res["error"]
        if "V_trace" in res:
            if traces is None:
                traces = np.full((n_points, res["V_trace"].shape[1]), np.nan)
            traces[idx] = res["V_trace"]

    dims = tuple(names) if axes is not None else ("point",)
    coords = {}
    for i, name in enumerate(names):
        attrs = _attrs(model, name)
        if axes is not None:
            coords[name] = (name, grids[i], attrs)
        else:
            coords[name] = ("point", values[:, i], attrs)
    data_vars = {
        name: (dims, flat[name].reshape(shape), {"units": mt.unit, "long_name": mt.long_name})
        for name, mt in metric_list
    }
    data_vars["error"] = (dims, errors.astype(str).reshape(shape), {"long_name": "Error message ('' if none)"})
    if traces is not None:
        tgrid = np.arange(traces.shape[1]) * trace_dt
        coords["time"] = ("time", tgrid, {"units": "ms", "long_name": "Time"})
        data_vars["V_trace"] = (dims + ("time",), traces.reshape(shape + (tgrid.size,)),
                                {"units": "mV", "long_name": "Membrane potential"})
    ds = xr.Dataset(data_vars, coords=coords)
    ds.attrs.update({
        "model": model.name,
        "citation": model.citation,
        "protocol": repr(spec.protocol),
        "t_end_ms": spec.t_end,
        "design": "grid" if axes is not None else ("latin hypercube" if lhs is not None else "points"),
        "seed": seed,
        "n_failed": int(np.count_nonzero(errors != "")),
        "wall_time_s": wall,
        "neuromuscle_version": _version(),
    })
    if output is not None:
        ds.to_netcdf(output)
    return ds


def _version() -> str:
    from . import __version__

    return __version__


def _attrs(model: Model, name: str) -> dict:
    if name == "amplitude":
        return {"units": "1", "long_name": "Stimulus amplitude factor"}
    if name in model.parameter_index:
        info = model.info(name)
        return {"units": info.unit, "long_name": info.description or name}
    labels = {"na": "Na", "k": "K", "cl": "Cl", "ca": "Ionised Ca", "mg": "Ionised Mg", "hco3": "HCO3"}
    if name == "celsius":
        return {"units": "degC", "long_name": "Temperature"}
    base = name[:-3] if name.endswith("_in") else name
    where = "intracellular" if name.endswith("_in") else "extracellular"
    return {"units": "mM", "long_name": f"{labels.get(base, base)} ({where})"}


_POOLS: dict[int, ProcessPoolExecutor] = {}


def _process_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool kept for the session, so workers compile each model once.

    Workers are started with "spawn": forking a parent that runs threads (progress bars,
    executors, compilers) can deadlock a child, and spawn behaves the same on every OS.
    """
    import atexit
    import multiprocessing as mp

    pool = _POOLS.get(workers)
    if pool is None or getattr(pool, "_broken", False) or getattr(pool, "_shutdown_thread", False):
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"))
        _POOLS[workers] = pool
        if len(_POOLS) == 1:
            atexit.register(_shutdown_pools)
    return pool


def _shutdown_pools() -> None:
    for pool in _POOLS.values():
        pool.shutdown(wait=False, cancel_futures=True)
    _POOLS.clear()


def _as_completed(pool, futures):
    if type(pool).__module__.startswith("distributed"):
        from distributed import as_completed

        return as_completed(futures)
    from concurrent.futures import as_completed

    return as_completed(futures)


def stability_map(model: Model, axes: Mapping[str, Sequence[float]], *, confirm: bool = True,
                  extra_metrics: Sequence = (), **kw):
    """Classify every grid point from its equilibria, then confirm near class boundaries.

    The ``stability`` metric (eigenvalues of the Jacobian at every equilibrium; see
    :data:`STABILITY_CLASSES`) is cheap, so it is computed everywhere. Where a point's class
    differs from a grid neighbour's, the point is simulated (``spontaneous`` metric: a 1 mV
    kick from rest, no stimulus) to confirm whether it really fires. The result gains
    ``fires`` (1/0 where simulated, NaN elsewhere) and the attribute ``boundary_agreement``:
    the fraction of simulated points where "fires" agrees with "class 2 = no stable rest".

    Other keyword arguments go to :func:`sweep`.
    """
    ds = sweep(model, axes, metrics=["stability", "rest", *extra_metrics], **kw)
    cls = ds["stability"].values
    boundary = np.zeros(cls.shape, dtype=bool)
    for ax in range(cls.ndim):
        diff = np.diff(cls, axis=ax) != 0
        lo = [slice(None)] * cls.ndim
        hi = [slice(None)] * cls.ndim
        lo[ax] = slice(0, -1)
        hi[ax] = slice(1, None)
        boundary[tuple(lo)] |= diff
        boundary[tuple(hi)] |= diff
    fires = np.full(cls.shape, np.nan)
    if confirm and boundary.any():
        idx = np.argwhere(boundary)
        names = list(axes)
        pts = {n: np.asarray(ds[n].values)[idx[:, i]] for i, n in enumerate(names)}
        kw2 = {k: v for k, v in kw.items() if k not in ("checkpoint", "output")}
        check = sweep(model, points=pts, metrics=["spontaneous"], **kw2)
        fires[tuple(idx.T)] = check["spontaneous"].values
    ds["fires"] = (ds["stability"].dims, fires,
                   {"units": "1", "long_name": "Fires spontaneously in simulation (boundary points only)"})
    checked = ~np.isnan(fires)
    agree = float(np.mean((fires[checked] == 1) == (cls[checked] == 2))) if checked.any() else float("nan")
    ds.attrs["boundary_points"] = int(checked.sum())
    ds.attrs["boundary_agreement"] = agree
    return ds
