"""The ``neuromuscle`` command line.

Examples::

    neuromuscle models
    neuromuscle describe motor_axon
    neuromuscle simulate motor_axon --preset hypocalcaemia_severe --protocol pulse:2000:5:0.1 \\
        --t-end 30 --figure ap.png --out ap.csv --out ap.nc
    neuromuscle experiment list
    neuromuscle experiment hh_excitability --quick
    neuromuscle sweep motor_axon --axis ca=0.3:1.3:21 --axis mg=0.1:1.0:10 \\
        --metric rest --metric stability --metric threshold:0.1 --n-jobs 2 --out camg.nc
    neuromuscle sweep hodgkin_huxley --axis amplitude=0:20:81 --protocol step:1 \\
        --t-end 1000 --metric rate --out fi.nc
    neuromuscle plot camg.nc threshold_0.1ms --out camg.png
    neuromuscle claims --quick --out report/

Every command is one function plus a registration with :func:`command`: its arguments
are added by a ``configure(parser)`` function, and it runs as ``run(args) -> exit code``.
A bad argument ends in a one-line message naming the argument, its value and what is
allowed, with exit code 2; output paths are checked before any work starts.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["main", "MODELS", "COMMANDS", "command", "UsageError"]


class UsageError(Exception):
    """A bad command-line argument: printed as one line, exit code 2."""


# ---------------------------------------------------------------------- registry
@dataclass(frozen=True)
class Command:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


#: The subcommands, in the order ``--help`` lists them.
COMMANDS: dict[str, Command] = {}


def command(name: str, help: str, configure: Callable[[argparse.ArgumentParser], None] | None = None):
    """Register ``run(args) -> int`` as the subcommand ``name`` (decorator)."""

    def register(run):
        COMMANDS[name] = Command(name, help, configure or (lambda parser: None), run)
        return run

    return register


@dataclass(frozen=True)
class ModelEntry:
    factory: Callable
    electrolytes: bool  # built in an ionic environment (accepts --preset / --conc)
    description: str


def _entry(module: str, name: str, electrolytes: bool, description: str) -> ModelEntry:
    def factory(*args, **kw):
        import importlib

        return getattr(importlib.import_module(module), name)(*args, **kw)

    return ModelEntry(factory, electrolytes, description)


#: Models the command line can build, by name.
MODELS: dict[str, ModelEntry] = {
    "hodgkin_huxley": _entry("neuromuscle.models", "hodgkin_huxley", False,
                             "Hodgkin & Huxley 1952 squid giant axon membrane (6.3 C)"),
    "motor_axon": _entry("neuromuscle.models", "motor_axon", True,
                         "human motor-axon node of Ranvier in plasma electrolytes (37 C)"),
    "muscle_fibre": _entry("neuromuscle.models", "muscle_fibre", True,
                           "mammalian fast-twitch muscle fibre, surface membrane + t-tubule (stiff)"),
    "muscle_ec": _entry("neuromuscle.models", "muscle_ec", True,
                        "muscle fibre with SR Ca release, buffering, crossbridges and ATP (stiff)"),
    "motor_axon_myelinated": _entry("neuromuscle.models", "motor_axon_myelinated", True,
                                    "myelinated human motor axon, MRG double cable with Gaines 2018 motor "
                                    "channels, 21 nodes (stiff)"),
}

#: Models the threshold-tracking battery accepts (it needs a multi-node axon).
TRACKING_MODELS = ("motor_axon_myelinated",)


# ---------------------------------------------------------------------- parsing helpers
class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (raised, so :func:`main` prints and returns 2)."""

    def error(self, message):
        raise UsageError(f"{self.prog}: {message}")


def _float(label: str, text: str) -> float:
    """``float(text)``; ``label`` (e.g. ``"--axis 'ca=x'"``) names the argument in the error."""
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{label}: {text!r} is not a number") from None
    if not np.isfinite(value):
        raise UsageError(f"{label}: {text!r} is not a finite number")
    return value


def _assignments(option: str, items, allowed=None) -> dict[str, float]:
    """``["ca=0.8", "k=3"]`` -> ``{"ca": 0.8, "k": 3.0}``, names checked against ``allowed``."""
    out = {}
    for text in items or []:
        name, sep, value = text.partition("=")
        if not sep or not name:
            raise UsageError(f"{option} {text!r}: write NAME=VALUE")
        if allowed is not None and name not in allowed:
            raise UsageError(f"{option} {text!r}: {name!r} is not one of {', '.join(allowed)}")
        out[name] = _float(f"{option} {text!r}", value)
    return out


def _axis(text: str) -> tuple[str, np.ndarray]:
    form = "write NAME=START:STOP:N (N >= 1 points) or NAME=V1,V2,..."
    name, sep, spec = text.partition("=")
    if not sep or not name or not spec:
        raise UsageError(f"--axis {text!r}: {form}")
    if ":" in spec:
        parts = spec.split(":")
        if len(parts) != 3:
            raise UsageError(f"--axis {text!r}: {form}")
        start, stop = (_float(f"--axis {text!r}", p) for p in parts[:2])
        try:
            num = int(parts[2])
        except ValueError:
            raise UsageError(f"--axis {text!r}: N = {parts[2]!r} must be a whole number of points >= 1") from None
        if num < 1:
            raise UsageError(f"--axis {text!r}: N = {num} must be >= 1 (the number of points)")
        return name, np.linspace(start, stop, num)
    return name, np.array([_float(f"--axis {text!r}", v) for v in spec.split(",")])


_PROTOCOL_FORMS = ("step:AMP[:START[:STOP]], pulse:AMP:START:DURATION, train:AMP:START:DURATION:HZ:N, "
                   "ramp:START:DURATION:AMP0:AMP1 or none (uA/cm2, ms, Hz)")


def _protocol(text: str | None):
    """A protocol from ``KIND:NUMBERS``; UsageError naming the option otherwise."""
    from .protocols import NoStimulus, Pulse, PulseTrain, Ramp, Step

    if text is None:
        return None
    kind, *vals = text.split(":")
    kinds = {"step": (Step, 1, 3), "pulse": (Pulse, 3, 3), "train": (PulseTrain, 5, 5), "ramp": (Ramp, 4, 4),
             "none": (NoStimulus, 0, 0)}
    if kind not in kinds:
        raise UsageError(f"--protocol {text!r}: unknown kind {kind!r}; use {_PROTOCOL_FORMS}")
    cls, lo, hi = kinds[kind]
    if not lo <= len(vals) <= hi:
        raise UsageError(f"--protocol {text!r}: {kind} takes {lo}{'' if lo == hi else f'-{hi}'} numbers; "
                         f"use {_PROTOCOL_FORMS}")
    nums = [_float(f"--protocol {text!r}", v) for v in vals]
    if kind == "train":
        if nums[4] != int(nums[4]):
            raise UsageError(f"--protocol {text!r}: the number of pulses {vals[4]!r} must be a whole number")
        nums[4] = int(nums[4])
    try:
        return cls(*nums)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"--protocol {text!r}: {exc}") from None


def _output(option: str, path: str | None, suffixes: tuple[str, ...]) -> Path | None:
    """Check an output path before any work: its folder exists, it is not a folder, the suffix fits."""
    if path is None:
        return None
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise UsageError(f"{option} {path!r}: the file name must end in {' or '.join(suffixes)}")
    if p.is_dir():
        raise UsageError(f"{option} {path!r} is a folder; give a file name such as {str(p / ('out' + suffixes[0]))!r}")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{option} {path!r}: the folder {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise UsageError(f"{option} {path!r} cannot be written (permission denied)")
    return p


def _save(path: Path, write: Callable[[Path], None]) -> Path:
    """Write with ``write(path)``; if that fails after the work is done, save beside it or in a temp folder."""
    try:
        write(path)
        return path
    except OSError as exc:
        import tempfile

        fallback = Path(tempfile.gettempdir()) / f"neuromuscle-{os.getpid()}-{path.name}"
        write(fallback)
        print(f"could not write {str(path)!r} ({exc}); the result is saved in {str(fallback)!r}", file=sys.stderr)
        return fallback


def _add_model_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help=f"one of: {', '.join(MODELS)}")
    p.add_argument("--preset", default=None, help="electrolyte preset the model is built in (see 'presets')")
    p.add_argument("--conc", action="append", metavar="FIELD=mM",
                   help="an explicit electrolyte value on top of the preset, e.g. ca=0.8, k=3.0, celsius=30 "
                        "(repeatable)")


def _build_model(args, *, allow_electrolytes: bool = True):
    """The model named on the command line, in its preset and explicit electrolytes."""
    from .electrolytes import Electrolytes, preset_names
    from .sweep import ELECTROLYTE_FIELDS

    entry = MODELS.get(args.model)
    if entry is None:
        raise UsageError(f"model {args.model!r} is not one of {', '.join(MODELS)}")
    conc = _assignments("--conc", args.conc, ELECTROLYTE_FIELDS)
    if not entry.electrolytes and (args.preset is not None or conc):
        which = "--preset" if args.preset is not None else "--conc"
        value = args.preset if args.preset is not None else args.conc[0]
        raise UsageError(f"{which} {value!r}: model {args.model} is not built in electrolytes; it takes "
                         "--param instead (e.g. --param celsius=10)")
    if not entry.electrolytes:
        return entry.factory()
    if args.preset is not None and args.preset not in preset_names():
        raise UsageError(f"--preset {args.preset!r} is not one of {', '.join(preset_names())}")
    e = Electrolytes.preset(args.preset or "normal")
    if conc:
        try:
            e = e.replace(**conc)
        except (TypeError, ValueError) as exc:
            raise UsageError(f"--conc {' '.join(args.conc)}: {exc}") from None
    return entry.factory(e)


def _parameters(args, model) -> dict[str, float]:
    """``--param NAME=VALUE`` overrides, names and ranges checked against ``model``."""
    params = _assignments("--param", args.param, model.parameter_names)
    try:
        model.parameter_vector(params)
    except ValueError as exc:
        raise UsageError(f"--param {' '.join(args.param)}: {exc}") from None
    return params


def _add_solver_arguments(p: argparse.ArgumentParser, rtol: float = 1e-6, atol: float = 1e-8) -> None:
    p.add_argument("--rtol", type=float, default=rtol, help=f"relative tolerance of the integrator (default {rtol:g})")
    p.add_argument("--atol", type=float, default=atol, help=f"absolute tolerance of the integrator (default {atol:g})")


def _check_tolerances(args) -> None:
    for name, value, lo, hi in (("--rtol", args.rtol, 1e-14, 0.1), ("--atol", args.atol, 1e-16, 1.0)):
        if not (np.isfinite(value) and lo <= value <= hi):
            raise UsageError(f"{name} {value!r}: must be between {lo:g} and {hi:g}")


# ---------------------------------------------------------------------- commands
@command("models", "list the models")
def _models(args) -> int:
    for name, entry in MODELS.items():
        tag = "electrolytes" if entry.electrolytes else "parameters only"
        print(f"{name:16s} {entry.description} [{tag}]")
    return 0


@command("presets", "list the electrolyte presets")
def _presets(args) -> int:
    from .electrolytes import Electrolytes, preset_names

    for name in preset_names():
        print(f"{name:30s} {Electrolytes.preset(name).description}")
    return 0


@command("describe", "describe a model: parameters with units and sources", _add_model_arguments)
def _describe(args) -> int:
    model = _build_model(args)
    print(model.describe())
    print(f"States: {', '.join(model.state_names)}")
    return 0


def _simulate_arguments(p: argparse.ArgumentParser) -> None:
    _add_model_arguments(p)
    p.add_argument("--param", action="append", metavar="NAME=VALUE", help="a model parameter, e.g. na.g=100")
    p.add_argument("--protocol", default=None, help=f"stimulus: {_PROTOCOL_FORMS}")
    p.add_argument("--t-end", type=float, default=100.0, help="simulated time, ms (default 100)")
    p.add_argument("--dt", type=float, default=None, help="output sampling interval, ms")
    p.add_argument("--engine", default="auto", choices=("auto", "fast", "scipy"),
                   help="integrator: compiled (fast), SciPy, or chosen for the model (auto, default)")
    p.add_argument("--var", action="append", default=None,
                   help="variable to plot and save, by name or semantic label such as membrane_potential "
                        "(repeatable; default V)")
    p.add_argument("--figure", default=None, help="figure file (.png, .pdf or .svg)")
    p.add_argument("--out", action="append", default=None, help="data file, .csv or .nc (repeatable)")
    _add_solver_arguments(p)


def _result_dataset(res, names):
    import xarray as xr

    data = {}
    for n in names:
        info = res.info(n) if n not in ("t", "I_stim") else None
        attrs = ({"units": info.unit, "long_name": info.description or n} if info is not None
                 else {"units": "uA/cm2", "long_name": "Applied current"})
        data[n] = ("time", np.asarray(res[n], dtype=float), attrs)
    ds = xr.Dataset(data, coords={"time": ("time", res.t, {"units": "ms", "long_name": "Time"})})
    ds.attrs.update({"model": res.model.name, "protocol": repr(res.protocol), "method": res.method,
                     "rtol": res.rtol, "atol": res.atol, "n_spikes": int(res.spike_times.size)})
    return ds


def _known_names(known: list[str]) -> str:
    """The variable names, a compartmental state once as ``name[0..n-1]`` (a cable has thousands)."""
    out: list[str] = []  # plain names, and "<state>[" placeholders for compartmental ones
    counts: dict[str, int] = {}
    for n in dict.fromkeys(known):
        m = re.fullmatch(r"(.+)\[(\d+)\]", n)
        if m is None:
            out.append(n)
            continue
        if m.group(1) not in counts:
            out.append(m.group(1) + "[")
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    return ", ".join(f"{n}0..{counts[n[:-1]] - 1}]" if n.endswith("[") else n for n in out)


def _write_csv(ds, path: Path) -> None:
    names = list(ds.data_vars)
    header = ",".join(["time (ms)"] + [f"{n} ({ds[n].attrs.get('units', '')})" for n in names])
    table = np.column_stack([ds["time"].values] + [ds[n].values for n in names])
    np.savetxt(path, table, delimiter=",", header=header, comments="", fmt="%.10g")


@command("simulate", "simulate a model under a preset or explicit concentrations; save a figure and data",
         _simulate_arguments)
def _simulate(args) -> int:
    from .simulation import SimulationError, simulate

    figure = _output("--figure", args.figure, (".png", ".pdf", ".svg"))
    outs = [_output("--out", o, (".csv", ".nc")) for o in args.out or []]
    _check_tolerances(args)
    if not (np.isfinite(args.t_end) and args.t_end > 0):
        raise UsageError(f"--t-end {args.t_end!r}: must be a number of ms > 0")
    if args.dt is not None and not (np.isfinite(args.dt) and 0 < args.dt <= args.t_end):
        raise UsageError(f"--dt {args.dt!r}: must be a number of ms > 0 and <= --t-end ({args.t_end:g})")
    protocol = _protocol(args.protocol)
    model = _build_model(args)
    params = _parameters(args, model)
    names = args.var or ["V"]
    from .simulation import SimulationResult

    # aliases: names such as a cable's "V" (the recorded node) and "V_node<i>"
    known = ["I_stim", *model.state_names, *model.output_names, *model.sums, *model.aliases]
    # a semantic label names the variable behind it (the cable's membrane_potential: V, the recorded node)
    names = [n if n in known else model.labels.get(n, n) for n in names]
    for n in names:
        if n not in known:
            raise UsageError(f"--var {n!r} is not a variable of {args.model}; it has {_known_names(known)}; "
                             f"labels: {', '.join(sorted(model.labels))}")
    try:
        res = simulate(model, protocol, args.t_end, params=params, rtol=args.rtol, atol=args.atol, dt=args.dt,
                       engine=args.engine)
    except SimulationError as exc:
        print(f"simulation failed: {exc}; the partial result is saved", file=sys.stderr)
        res = exc.partial
    except (TypeError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    assert isinstance(res, SimulationResult)
    ds = _result_dataset(res, names)
    for out in outs:
        written = _save(out, (lambda p: _write_csv(ds, p)) if out.suffix.lower() == ".csv" else ds.to_netcdf)
        print(f"data written to {written}")
    if figure is not None:
        import matplotlib

        matplotlib.use("Agg")
        from .plotting import plot_traces

        axes = plot_traces(res, names)
        axes[0].figure.tight_layout()
        written = _save(figure, lambda p: axes[0].figure.savefig(p, dpi=120))
        print(f"figure written to {written}")
    print(f"{args.model}: {res.t[-1]:g} ms, {res.spike_times.size} spike(s)"
          + (f", first at {res.spike_times[0]:.3f} ms" if res.spike_times.size else ""))
    return 0 if res.success else 1


def _experiments_folder() -> Path:
    folder = Path(__file__).resolve().parents[1] / "experiments"
    if not folder.is_dir():
        raise UsageError("the experiment scripts are not installed with this copy of neuromuscle (they live in "
                         "the source repository's experiments/ folder)")
    return folder


def _experiments() -> dict[str, Path]:
    return {p.stem: p for p in sorted(_experiments_folder().glob("*.py")) if not p.stem.startswith("_")}


def _experiment_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", help="an experiment name, 'list' or 'all'")
    p.add_argument("--quick", action="store_true", help="the coarse version (seconds instead of minutes)")
    p.add_argument("--out", default=None, help="folder for figures and data (default figures/<experiment>/)")


def _tracking_arguments(p: argparse.ArgumentParser) -> None:
    _add_model_arguments(p)
    p.add_argument("--nodes", type=int, default=11,
                   help="nodes of the axon (>= 7, default 11; stimulus at the middle node)")
    p.add_argument("--ischaemia", action="store_true", help="block the Na/K pump (pump = 0), as in ischaemia")
    p.add_argument("--ischaemia-minutes", type=float, default=None, metavar="MIN",
                   help="with --ischaemia: also load the axoplasm with the Na that MIN minutes of block bring in "
                        "(derived from the axon's resting fluxes, nm.analysis.ischaemic_ion_budget)")
    p.add_argument("--periaxonal-k", type=float, default=0.0, metavar="MM",
                   help="K excess in the internodes' periaxonal space over plasma K, mM (0-100, default 0)")
    p.add_argument("--fit", choices=("human_battery",), default=None,
                   help="the axon fitted to the human strength-duration time constant and recovery-cycle "
                        "shape instead of the published channel densities")
    p.add_argument("--quick", action="store_true", help="fewer test points and a 1 %% bisection tolerance")
    p.add_argument("--json", default=None, help="write the read-outs and curves as JSON")
    p.add_argument("--figure", default=None, help="four-panel figure (.png, .pdf or .svg)")
    _add_solver_arguments(p, rtol=1e-4, atol=1e-5)


def _check_tracking_conditions(args) -> None:
    """The ischaemia options' values, checked before anything runs."""
    import math

    if args.ischaemia_minutes is not None:
        if not args.ischaemia:
            raise UsageError("--ischaemia-minutes needs --ischaemia (the Na load is that of a blocked pump)")
        if not (math.isfinite(args.ischaemia_minutes) and 0.0 < args.ischaemia_minutes <= 120.0):
            raise UsageError(f"--ischaemia-minutes {args.ischaemia_minutes:g}: must be within 0-120 min")
    if not (math.isfinite(args.periaxonal_k) and 0.0 <= args.periaxonal_k <= 100.0):
        raise UsageError(f"--periaxonal-k {args.periaxonal_k:g}: must be within 0-100 mM")


def _tracking_params(args, model) -> dict | None:
    """Parameter overrides of the battery: pump block, its Na load, the periaxonal K excess."""
    params: dict = {}
    if args.ischaemia:
        params["pump"] = 0.0
        if args.ischaemia_minutes is not None:
            from .analysis.ischaemia import ischaemic_ion_budget

            params["Na_i"] = ischaemic_ion_budget(model, args.ischaemia_minutes).na_i_after
    if args.periaxonal_k:
        params["dK_periaxonal"] = float(args.periaxonal_k)
    return params or None


@command("threshold-tracking", "the nerve-excitability battery (strength-duration, threshold electrotonus, "
         "I/V, recovery cycle) on an axon", _tracking_arguments)
def _threshold_tracking(args) -> int:
    import json

    from .analysis.threshold_tracking import readouts, threshold_tracking, tracking_axon
    from .electrolytes import Electrolytes, preset_names
    from .sweep import ELECTROLYTE_FIELDS

    if args.model not in MODELS:
        raise UsageError(f"model {args.model!r} is not one of {', '.join(MODELS)}")
    if args.model not in TRACKING_MODELS:
        raise UsageError(f"model {args.model!r} is not a multi-node axon; threshold tracking runs on "
                         f"{', '.join(TRACKING_MODELS)}")
    if args.nodes < 7:
        raise UsageError(f"--nodes {args.nodes}: must be at least 7 (the stimulus node with 3 nodes on each side)")
    _check_tolerances(args)
    _check_tracking_conditions(args)
    out = _output("--json", args.json, (".json",))
    figure = _output("--figure", args.figure, (".png", ".pdf", ".svg"))
    if args.preset is not None and args.preset not in preset_names():
        raise UsageError(f"--preset {args.preset!r} is not one of {', '.join(preset_names())}")
    e = Electrolytes.preset(args.preset or "normal")
    conc = _assignments("--conc", args.conc, ELECTROLYTE_FIELDS)
    if conc:
        try:
            e = e.replace(**conc)
        except (TypeError, ValueError) as exc:
            raise UsageError(f"--conc {' '.join(args.conc)}: {exc}") from None
    model = tracking_axon(e, n_nodes=args.nodes, fit=args.fit)
    params = _tracking_params(args, model)
    ds = threshold_tracking(model, params, quick=args.quick, rtol=args.rtol, atol=args.atol)
    values = readouts(ds)
    for k, v in values.items():
        unit = ds[k].attrs.get("units", "") if k in ds else ""
        print(f"{k:24s} {v:10.4g} {unit}")
    print(f"({ds.attrs['tracking']}; {ds.attrs['n_searches']} threshold searches, {ds.attrs['wall_time']:.0f} s)")
    if out is not None:
        curves = {name: {"x": ds[ds[name].dims[-1]].values.tolist(), "values": ds[name].values.tolist()}
                  for name in ("sd_threshold", "te", "iv", "rc") if name in ds}
        doc = {"model": args.model, "preset": args.preset or "normal", "ischaemia": bool(args.ischaemia),
               "ischaemia_minutes": args.ischaemia_minutes, "periaxonal_k": args.periaxonal_k,
               "params": params,
               "electrolytes": repr(e), "readouts": values,
               "units": {k: ds[k].attrs.get("units", "") for k in values if k in ds},
               "curves": curves, "attrs": {k: (v if isinstance(v, (int, float, str)) else str(v))
                                           for k, v in ds.attrs.items()}}
        from .reporting import to_jsonable

        _save(out, lambda path: path.write_text(json.dumps(to_jsonable(doc), indent=1, allow_nan=False)))
    if figure is not None:
        from .analysis.threshold_tracking import plot_threshold_tracking

        fig = plot_threshold_tracking(ds, labels=[args.preset or "normal"])
        _save(figure, lambda path: fig.savefig(path, dpi=120))
    return 0


@command("experiment", "run one experiment script, or all of them ('experiment list' names them)",
         _experiment_arguments)
def _experiment(args) -> int:
    import ast
    import runpy

    scripts = _experiments()
    if args.name == "list":
        for name, path in scripts.items():
            doc = ast.get_docstring(ast.parse(path.read_text())) or ""
            print(f"{name:28s} {doc.strip().splitlines()[0] if doc.strip() else ''}")
        return 0
    if args.name != "all" and args.name not in scripts:
        raise UsageError(f"experiment {args.name!r} is not one of: list, all, {', '.join(scripts)}")
    if args.out is not None:
        out = Path(args.out)
        if out.exists() and not out.is_dir():
            raise UsageError(f"--out {args.out!r} is a file; give a folder")
    chosen = list(scripts) if args.name == "all" else [args.name]
    argv = (["--quick"] if args.quick else [])
    sys.path.insert(0, str(_experiments_folder().parent))
    for name in chosen:
        extra = ["--out", str(Path(args.out) / name if args.name == "all" else Path(args.out))] if args.out else []
        print(f"== {name}", flush=True)
        module = runpy.run_path(str(scripts[name]), run_name=f"neuromuscle_experiment_{name}")
        module["main"](argv + extra)
    return 0


def _sweep_arguments(p: argparse.ArgumentParser) -> None:
    _add_model_arguments(p)
    p.add_argument("--axis", action="append", required=True,
                   help="NAME=START:STOP:N or NAME=V1,V2,... (repeat for an N-D grid); NAME is a model "
                        "parameter, an electrolyte field (ca, mg, k, na, ...) or amplitude")
    p.add_argument("--param", action="append", metavar="NAME=VALUE", help="a fixed model parameter (repeatable)")
    p.add_argument("--metric", action="append", default=None,
                   help="rest, rest_stable, stability, spontaneous, spontaneous_rate, threshold:<ms>, n_spikes, "
                        "rate, first_spike (repeatable; default rest)")
    p.add_argument("--protocol", default=None, help=f"stimulus for simulation metrics: {_PROTOCOL_FORMS}")
    p.add_argument("--t-end", type=float, default=1000.0, help="simulated time, ms (default 1000)")
    p.add_argument("--n-jobs", type=int, default=1, help="worker processes (-1: one per core)")
    p.add_argument("--chunk-size", type=int, default=None, help="points per task")
    p.add_argument("--checkpoint", default=None, help="folder for resumable progress")
    p.add_argument("--out", required=True, help="output netCDF file (.nc)")
    p.add_argument("--spike-threshold", type=float, default=0.0, help="mV (default 0)")
    p.add_argument("--max-steps", type=int, default=None,
                   help="step budget of each point's simulation; a point over it fails and the sweep goes on "
                        "(default 100000 + 2000 per simulated ms)")
    _add_solver_arguments(p)
    p.add_argument("--no-progress", action="store_true")


@command("sweep", "sweep any model over parameters or electrolytes with any built-in metric; write netCDF",
         _sweep_arguments)
def _sweep(args) -> int:
    from .sweep import sweep

    out = _output("--out", args.out, (".nc",))
    if args.checkpoint is not None and Path(args.checkpoint).exists() and not Path(args.checkpoint).is_dir():
        raise UsageError(f"--checkpoint {args.checkpoint!r} is a file; give a folder")
    axes = {}
    for text in args.axis:
        name, values = _axis(text)
        if name in axes:
            raise UsageError(f"--axis {text!r}: {name!r} is given twice")
        axes[name] = values
    _check_tolerances(args)
    protocol = _protocol(args.protocol)
    model = _build_model(args)
    params = _parameters(args, model)
    try:
        ds = sweep(model, axes, metrics=args.metric or ["rest"], protocol=protocol, t_end=args.t_end,
                   params=params, n_jobs=args.n_jobs, chunk_size=args.chunk_size, checkpoint=args.checkpoint,
                   progress=not args.no_progress, rtol=args.rtol, atol=args.atol,
                   spike_threshold=args.spike_threshold, max_steps=args.max_steps)
    except (TypeError, ValueError) as exc:  # the sweep checks every argument before it runs a point
        option = {"axis": "--axis", "metric": "--metric", "protocol": "--protocol", "t_end": "--t-end",
                  "n_jobs": "--n-jobs", "chunk_size": "--chunk-size", "checkpoint": "--checkpoint",
                  "max_steps": "--max-steps"}
        text = str(exc)
        for k, v in option.items():
            if text.startswith(k + " = "):
                text = f"{v} {text[len(k) + 3:]}"
                break
            if text.startswith(k):
                text = v + text[len(k):]
                break
        raise UsageError(text) from None
    written = _save(out, ds.to_netcdf)
    print(ds)
    print(f"written to {written}; {ds.attrs['n_failed']} failed point(s); {ds.attrs['wall_time_s']:.1f} s")
    return 0


def _plot_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="a netCDF file written by 'sweep'")
    p.add_argument("var", help="the variable to plot")
    p.add_argument("--x", default=None, help="dimension on the x axis")
    p.add_argument("--y", default=None, help="dimension on the y axis (maps)")
    p.add_argument("--contour", action="store_true", help="filled contours instead of a heat map")
    p.add_argument("--out", default=None, help="figure file, .png, .pdf or .svg (default: FILE_VAR.png)")


@command("plot", "plot a variable of a sweep file", _plot_arguments)
def _plot(args) -> int:
    import xarray as xr

    src = Path(args.file)
    if not src.is_file():
        why = "does not exist" if not src.exists() else "is not a file"
        raise UsageError(f"file {args.file!r} {why}")
    out = _output("--out", args.out or f"{args.file.rsplit('.', 1)[0]}_{args.var}.png", (".png", ".pdf", ".svg"))
    try:
        ds = xr.open_dataset(src)
    except Exception as exc:  # each backend fails its own way on a file it cannot read
        raise UsageError(f"file {args.file!r} is not a netCDF file xarray can read ({type(exc).__name__})") from None
    if args.var not in ds.data_vars:
        raise UsageError(f"var {args.var!r} is not in {args.file}; it has {', '.join(ds.data_vars)}")
    da = ds[args.var]
    for option, dim in (("--x", args.x), ("--y", args.y)):
        if dim is not None and dim not in da.dims:
            raise UsageError(f"{option} {dim!r} is not a dimension of {args.var}; its dimensions are "
                             f"{', '.join(da.dims)}")
    if da.ndim not in (1, 2):
        raise UsageError(f"var {args.var!r} has {da.ndim} dimensions ({', '.join(da.dims)}); plot draws 1 or 2")
    if np.issubdtype(da.dtype, np.str_) or da.dtype == object:
        raise UsageError(f"var {args.var!r} holds text, not numbers")
    import matplotlib

    matplotlib.use("Agg")
    from .plotting import plot_line, plot_map

    if da.ndim == 1:
        if args.y is not None:
            raise UsageError(f"--y {args.y!r}: {args.var} has one dimension; a line plot takes --x only")
        ax = plot_line(ds, args.var, args.x)
    else:
        ax = plot_map(ds, args.var, args.x, args.y, contour=args.contour)
    ax.figure.tight_layout()
    written = _save(out, lambda p: ax.figure.savefig(p, dpi=120))
    print(f"written to {written}")
    return 0


def _claims_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quick", action="store_true", help="the coarse version, for CI (a few minutes at most)")
    p.add_argument("--out", required=True, help="report folder: claims.json, claims.html, claims.md, figures")
    p.add_argument("--only", action="append", default=None, help="a claim's key or number (repeatable)")


@command("claims", "run every popular claim and write the report (JSON, one figure per claim, HTML, Markdown)",
         _claims_arguments)
def _claims(args) -> int:
    from .claims import CLAIMS, run_claims

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {args.out!r} is a file; give a folder")
    known = {c.key for c in CLAIMS} | {str(c.number) for c in CLAIMS}
    for key in args.only or []:
        if key not in known:
            raise UsageError(f"--only {key!r} is not a claim; use one of {', '.join(c.key for c in CLAIMS)} or 1-9")
    for r in run_claims(args.only, quick=args.quick, out=out):
        print(f"{r.claim.number}. {r.claim.title}: {r.verdict}")
    print(f"report written to {out / 'claims.html'} (and claims.json, claims.md, one figure per claim)")
    return 0


def _explore_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=5006, help="port on localhost (default 5006)")
    p.add_argument("--address", default="localhost", help="address to listen on (default localhost)")
    p.add_argument("--no-browser", action="store_true", help="serve without opening a browser")


@command("explore", "open the classroom explorer (a browser app: sliders for the electrolytes) on a local server",
         _explore_arguments)
def _explore(args) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: must be between 1 and 65535")
    from .explore import serve

    print(f"neuromuscle explorer on http://{args.address}:{args.port} (Ctrl-C stops it)", flush=True)
    serve(port=args.port, address=args.address, show=not args.no_browser)
    return 0


# ---------------------------------------------------------------------- entry point
def build_parser() -> argparse.ArgumentParser:
    """The parser with every registered command (also used to document the command line)."""
    parser = _Parser(prog="neuromuscle", description="Electrolytes, nerve and muscle: simulations.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    for cmd in COMMANDS.values():
        cmd.configure(sub.add_parser(cmd.name, help=cmd.help, description=cmd.help))
    return parser


def main(argv=None) -> int:
    """Run the command line; return the exit code (0 success, 1 failure, 2 bad argument, 130 interrupted)."""
    from .sweep import SweepInterrupted

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return COMMANDS[args.command].run(args)
    except UsageError as exc:
        text = str(exc)
        prog = "neuromuscle" + (f" {args.command}" if "args" in locals() else "")
        print(text if text.startswith("neuromuscle") else f"{prog}: {text}", file=sys.stderr)
        return 2
    except SweepInterrupted:
        return 130  # the sweep has printed how to resume
    except KeyboardInterrupt:
        print("neuromuscle: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except BrokenPipeError:  # output piped into head & co.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
