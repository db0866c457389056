"""The front door: :func:`sweep` and :func:`stability_map`."""

from __future__ import annotations

import math
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from pathlib import Path

import numpy as np

from ..electrolytes import Electrolytes, as_electrolytes
from ..model import Model, check_model
from ..protocols import NoStimulus, Protocol, check_protocol
from .checkpoint import Checkpoint, fingerprint
from .dataset import assemble
from .design import axis_kind, check_axis_values, make_design
from .metrics import resolve_metrics
from .runner import Spec, run_executor, run_local, run_serial

__all__ = ["sweep", "stability_map", "SweepInterrupted"]


class SweepInterrupted(KeyboardInterrupt):
    """Raised when Ctrl-C or SIGTERM stops a sweep; its message says how to resume."""


class _Terminated(KeyboardInterrupt):
    pass


def _number(name: str, value, *, positive: bool = False, minimum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} = {value!r} must be a number")
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{name} = {value!r} must be finite")
    if positive and x <= 0:
        raise ValueError(f"{name} = {value!r} must be > 0")
    if minimum is not None and x < minimum:
        raise ValueError(f"{name} = {value!r} must be >= {minimum:g}")
    return x


def _budget(max_steps, t_end: float) -> int:
    """The per-point step budget: given, or scaled to ``t_end``."""
    from ..engine.base import default_max_steps

    if max_steps is None:
        return default_max_steps(t_end)
    if isinstance(max_steps, bool) or not isinstance(max_steps, (int, np.integer)) or not 1 <= max_steps <= 1e15:
        raise ValueError(f"max_steps = {max_steps!r} must be a whole number of steps between 1 and 1e15 "
                         "(or None for the default scaled to t_end)")
    return int(max_steps)


def _workers(n_jobs, executor) -> int:
    if executor is not None:
        if not callable(getattr(executor, "submit", None)):
            raise TypeError(f"executor = {executor!r} has no submit(); give a concurrent.futures Executor or a "
                            "distributed.Client")
        return 0
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs = {n_jobs!r} must be a whole number >= 1, or -1 for all cores")
    return (os.cpu_count() or 1) if n_jobs == -1 else int(n_jobs)


def _check_output(output) -> Path | None:
    """Refuse an output path that could not be written, before any work is done."""
    if output is None:
        return None
    try:
        path = Path(output)
    except TypeError:
        raise TypeError(f"output = {output!r} must be a path") from None
    if path.is_dir():
        raise ValueError(f"output = {str(path)!r} is a folder; give a file name such as {str(path / 'sweep.nc')!r}")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ValueError(f"output = {str(path)!r}: the folder {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ValueError(f"output = {str(path)!r} cannot be written (permission denied)")
    return path


def _is_main_module_function(func) -> bool:
    target = getattr(func, "func", func) if not hasattr(func, "__module__") else func
    return getattr(target, "__module__", None) == "__main__" or getattr(type(target), "__module__", None) == "__main__"


def sweep(
    model: Model,
    axes: Mapping[str, Sequence[float]] | None = None,
    *,
    points: Mapping[str, Sequence[float]] | None = None,
    lhs: Mapping[str, tuple[float, float]] | None = None,
    n_samples: int | None = None,
    seed: int = 0,
    metrics: Sequence[str | object | Callable] = ("rest",),
    protocol: Protocol | None = None,
    t_end: float = 1000.0,
    params: Mapping[str, float] | None = None,
    base: Electrolytes | str | None = None,
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
    max_steps: int | None = None,
    spontaneous_duration: float = 500.0,
    threshold_tol: float = 1e-2,
):
    """Evaluate ``metrics`` over a design of points and return a labelled Dataset.

    Every argument is checked before any point runs.

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
        callables ``f(model, params, context) -> float``. With worker processes they must
        be importable from a module (not defined in ``__main__``, a notebook or a script).
    protocol, t_end :
        Stimulus and duration (ms, > 0) of the simulation for simulation metrics
        (``n_spikes``, ``rate``, ``first_spike``; they need a protocol: pass
        ``NoStimulus()`` to count spikes without one) and traces.
    params : mapping, optional
        Fixed parameter overrides for every point.
    base : Electrolytes or str, optional
        Electrolytes (or a preset name) every point starts from (default: the model's own
        parameters); the axes then change single fields of it.
    n_jobs : int
        Local worker processes (``-1``: one per core; ignored when ``executor`` is given).
        They are started once per session and reused, so each compiles a model only once.
    executor : Executor, optional
        Anything with ``submit`` returning futures, e.g. a ``ProcessPoolExecutor`` or a
        ``distributed.Client``.
    chunk_size : int, optional
        Points per task (default: about 4 chunks per worker, at most 250 points).
    checkpoint : path, optional
        Folder for finished chunks; running the same sweep again resumes from it. A folder
        holding another sweep is refused (the message says what differs); a damaged chunk
        is named in a :class:`~neuromuscle.sweep.CheckpointWarning` and recomputed.
    output : path, optional
        Write the Dataset to this netCDF file (the path is checked before the sweep runs).
    progress : bool
        Show a progress bar on stderr.
    keep_traces : bool
        Also keep V sampled every ``trace_dt`` ms (variable ``V_trace``).
    rtol, atol, spike_threshold :
        Solver settings for simulation metrics.
    max_steps : int, optional
        Step budget of each point's simulation (default
        :func:`~neuromuscle.engine.base.default_max_steps` of ``t_end``: 100 000 plus 2000
        per simulated ms). A point that needs more steps fails, its ``error`` says so, and
        the other points are computed. When given, it also bounds each simulation that the
        ``spontaneous`` and ``threshold:`` metrics run (by default theirs scale with their
        own durations).
    spontaneous_duration, threshold_tol :
        Settings of the ``spontaneous`` and ``threshold:`` metrics.

    Returns
    -------
    xarray.Dataset
        One variable per metric (with ``units`` and ``long_name``), an ``error`` variable
        (empty strings where the point succeeded), coordinates for each swept quantity.

    Raises
    ------
    TypeError, ValueError
        A bad argument (named, with its value and what is allowed), before any work.
    CheckpointMismatch
        ``checkpoint`` holds another sweep.
    SweepInterrupted
        Ctrl-C or SIGTERM; finished chunks are kept in ``checkpoint``.
    """
    check_model("model", model)
    design = make_design(axes, points, lhs, n_samples, seed)
    base = as_electrolytes("base", base) if base is not None else None
    kinds = [axis_kind(model, n) for n in design.names]
    for i, name in enumerate(design.names):
        check_axis_values(model, name, design.values[:, i])
    metric_list = resolve_metrics(metrics)
    t_end = _number("t_end", t_end, positive=True)
    if protocol is not None:
        check_protocol("protocol", protocol)
    needs_sim = [n for n, mt in metric_list if mt.needs_simulation]
    if protocol is None and (needs_sim or "amplitude" in design.names):
        what = f"metric {needs_sim[0]!r}" if needs_sim else "the 'amplitude' axis"
        raise ValueError(f"protocol = None: {what} needs a stimulus protocol, e.g. protocol=Step(10.0) "
                         "(pass protocol=NoStimulus() to simulate without one)")
    fixed = dict(params or {})
    try:
        model.parameter_vector(fixed)
    except KeyError as exc:
        raise ValueError(f"params: {exc.args[0]}") from None
    options = {"rtol": _number("rtol", rtol, positive=True), "atol": _number("atol", atol, positive=True),
               "spike_threshold": _number("spike_threshold", spike_threshold),
               "max_steps": _budget(max_steps, t_end)}
    context = {"spontaneous_duration": _number("spontaneous_duration", spontaneous_duration, positive=True),
               "threshold_tol": _number("threshold_tol", threshold_tol, positive=True)}
    if max_steps is not None:
        context["max_steps"] = options["max_steps"]
    trace_dt = _number("trace_dt", trace_dt, positive=True)
    workers = _workers(n_jobs, executor)
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer))
                                   or chunk_size < 1):
        raise ValueError(f"chunk_size = {chunk_size!r} must be a whole number of points >= 1 (or None)")
    out_path = _check_output(output)
    if workers > 1:
        for n, mt in metric_list:
            if _is_main_module_function(mt.func):
                raise ValueError(f"metric {n!r} is defined in __main__ (a script or notebook), which worker "
                                 "processes cannot import: move it to a module, or use n_jobs=1")

    spec = Spec(model=model, names=design.names, kinds=kinds, values=design.values, metrics=metric_list,
                protocol=protocol or NoStimulus(), t_end=t_end, context=context, sim_options=options,
                keep_traces=bool(keep_traces), trace_dt=trace_dt, base=base, fixed=fixed)
    n_points = design.n_points

    done: dict[int, dict] = {}  # start index -> chunk result
    ckpt = None
    if checkpoint is not None:
        ckpt = Checkpoint(checkpoint, fingerprint(spec), n_points, [n for n, _ in metric_list])
        done = ckpt.open()
    covered = np.zeros(n_points, dtype=bool)
    for res in done.values():
        covered[res["index"]] = True
    todo_idx = np.flatnonzero(~covered)
    n_tasks = 1 if workers == 1 else max(workers, 2 if executor is None else 8)
    if chunk_size is None:
        chunk_size = int(min(250, max(1, math.ceil(todo_idx.size / (4 * n_tasks))))) if todo_idx.size else 1
    # contiguous runs of the points still to do, cut into chunks
    runs = np.split(todo_idx, np.flatnonzero(np.diff(todo_idx) != 1) + 1) if todo_idx.size else []
    chunks = [run[s:s + chunk_size] for run in runs for s in range(0, run.size, chunk_size)]


    bar = _Progress(n_points, progress, initial=int(covered.sum()))
    kept = {"n": 0}
    start = time.perf_counter()

    def on_done(k, result, keep):
        done[int(result["index"][0])] = result
        if ckpt is not None and keep:
            ckpt.save(result)
            kept["n"] += 1
        bar.update(len(chunks[k]))

    restore = _stop_on_sigterm()
    try:
        if executor is not None:
            run_executor(executor, spec, chunks, on_done)
        elif workers > 1 and len(chunks) > 1:
            run_local(spec, chunks, min(workers, len(chunks)), on_done)
        else:
            run_serial(spec, chunks, on_done)
    except KeyboardInterrupt as exc:
        bar.close()
        n_done = sum(len(r["index"]) for r in done.values())
        how = "Ctrl-C" if not isinstance(exc, _Terminated) else "SIGTERM"
        if ckpt is not None:
            line = (f"sweep stopped by {how}: {n_done} of {n_points} points are kept in {str(ckpt.folder)!r}; "
                    "run the same sweep with the same checkpoint again to resume")
        else:
            line = (f"sweep stopped by {how} after {n_done} of {n_points} points; nothing is kept without a "
                    "checkpoint folder (checkpoint=DIR, --checkpoint DIR) to resume from")
        print(line, file=sys.stderr, flush=True)
        _quiet_if_uncaught()
        raise SweepInterrupted(line) from None
    finally:
        restore()
        bar.close()
    wall = time.perf_counter() - start

    from .._version import __version__

    ds = assemble(model, design, metric_list, done.values(), trace_dt, {
        "model": model.name,
        "citation": model.citation,
        "protocol": repr(spec.protocol),
        "t_end_ms": spec.t_end,
        "seed": seed,
        "rtol": options["rtol"],
        "atol": options["atol"],
        "max_steps": options["max_steps"],
        "wall_time_s": wall,
        "neuromuscle_version": __version__,
    })
    if out_path is not None:
        try:
            ds.to_netcdf(out_path)
        except OSError as exc:  # checked before the run, but a disk can fill: never lose the result
            import tempfile
            import warnings

            fallback = Path(tempfile.gettempdir()) / f"neuromuscle-sweep-{os.getpid()}-{out_path.name}"
            ds.to_netcdf(fallback)
            warnings.warn(f"could not write output {str(out_path)!r} ({exc}); the result is saved in "
                          f"{str(fallback)!r}", RuntimeWarning, stacklevel=2)
    return ds


def _quiet_if_uncaught() -> None:
    """If nothing catches the interrupt, end the script with the line already printed, no traceback."""
    previous = sys.excepthook
    if getattr(previous, "_neuromuscle_quiet", False):
        return

    def hook(kind, value, tb):
        if not issubclass(kind, SweepInterrupted):
            previous(kind, value, tb)

    hook._neuromuscle_quiet = True
    sys.excepthook = hook


def _stop_on_sigterm():
    """Turn SIGTERM into an interrupt for the duration of a sweep (main thread only)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        return lambda: None

    def handler(signum, frame):
        raise _Terminated()

    old = signal.signal(signal.SIGTERM, handler)
    return lambda: signal.signal(signal.SIGTERM, old)


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
            self.bar = None


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
