"""Command line: ``neuromuscle sweep ...``, ``neuromuscle plot ...``, ``neuromuscle models``.

Examples::

    neuromuscle sweep motor_axon --axis ca=0.3:1.3:21 --axis mg=0.1:1.0:10 \\
        --metric rest --metric stability --metric threshold:0.1 --n-jobs 2 --out camg.nc
    neuromuscle sweep hodgkin_huxley --axis amplitude=0:20:81 --protocol step:1 \\
        --t-end 1000 --metric rate --out fi.nc
    neuromuscle plot camg.nc threshold_0.1ms --out camg.png
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

__all__ = ["main", "MODELS"]


def _models():
    from .models import hodgkin_huxley, motor_axon

    return {"hodgkin_huxley": lambda e: hodgkin_huxley(), "motor_axon": lambda e: motor_axon(e)}


MODELS = ("hodgkin_huxley", "motor_axon")


def _axis(text: str) -> tuple[str, np.ndarray]:
    try:
        name, spec = text.split("=", 1)
        if ":" in spec:
            start, stop, num = spec.split(":")
            return name, np.linspace(float(start), float(stop), int(num))
        return name, np.array([float(v) for v in spec.split(",")])
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--axis {text!r}: write NAME=START:STOP:N or NAME=V1,V2,..." ) from None


def _protocol(text: str | None):
    from .protocols import Pulse, PulseTrain, Step

    if not text:
        return None
    kind, *vals = text.split(":")
    nums = [float(v) for v in vals]
    try:
        if kind == "step":
            return Step(*nums)
        if kind == "pulse":
            return Pulse(*nums)
        if kind == "train":
            amp, start, dur, freq, n = nums
            return PulseTrain(amp, start, dur, freq, int(n))
    except TypeError:
        pass
    raise argparse.ArgumentTypeError(
        f"--protocol {text!r}: use step:AMP[:START[:STOP]], pulse:AMP:START:DURATION or "
        "train:AMP:START:DURATION:HZ:N"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="neuromuscle", description="Electrolytes, nerve and muscle: simulations.")
    sub = parser.add_subparsers(dest="command", required=True)

    sw = sub.add_parser("sweep", help="run a parameter sweep and write a netCDF file")
    sw.add_argument("model", choices=MODELS)
    sw.add_argument("--preset", default="normal", help="electrolyte preset the model is built in")
    sw.add_argument("--axis", action="append", type=_axis, required=True,
                    help="NAME=START:STOP:N or NAME=V1,V2,... (repeat for an N-D grid)")
    sw.add_argument("--metric", action="append", default=None, help="metric name (repeatable); default rest")
    sw.add_argument("--protocol", default=None, help="stimulus for simulation metrics, e.g. step:1")
    sw.add_argument("--t-end", type=float, default=1000.0, help="simulated time, ms")
    sw.add_argument("--n-jobs", type=int, default=1)
    sw.add_argument("--checkpoint", default=None, help="folder for resumable progress")
    sw.add_argument("--out", required=True, help="output netCDF file")
    sw.add_argument("--no-progress", action="store_true")

    pl = sub.add_parser("plot", help="plot a variable of a sweep file")
    pl.add_argument("file")
    pl.add_argument("var")
    pl.add_argument("--x", default=None)
    pl.add_argument("--y", default=None)
    pl.add_argument("--contour", action="store_true")
    pl.add_argument("--out", default=None, help="PNG file (default: FILE_VAR.png)")

    sub.add_parser("models", help="list the models")
    sub.add_parser("presets", help="list the electrolyte presets")

    args = parser.parse_args(argv)
    if args.command == "models":
        for name in MODELS:
            print(name)
        return 0
    if args.command == "presets":
        from .electrolytes import Electrolytes, preset_names

        for name in preset_names():
            print(f"{name:30s} {Electrolytes.preset(name).description}")
        return 0
    if args.command == "sweep":
        from .electrolytes import Electrolytes
        from .sweep import sweep

        model = _models()[args.model](Electrolytes.preset(args.preset))
        ds = sweep(
            model, dict(args.axis), metrics=args.metric or ["rest"], protocol=_protocol(args.protocol),
            t_end=args.t_end, n_jobs=args.n_jobs, checkpoint=args.checkpoint, output=args.out,
            progress=not args.no_progress,
        )
        print(ds)
        print(f"written to {args.out}; {ds.attrs['n_failed']} failed point(s); {ds.attrs['wall_time_s']:.1f} s")
        return 0
    if args.command == "plot":
        import matplotlib

        matplotlib.use("Agg")
        import xarray as xr

        from .plotting import plot_line, plot_map

        ds = xr.open_dataset(args.file)
        if args.var not in ds:
            print(f"no variable {args.var!r} in {args.file}; it has {list(ds.data_vars)}", file=sys.stderr)
            return 2
        if ds[args.var].ndim == 1:
            ax = plot_line(ds, args.var, args.x)
        else:
            ax = plot_map(ds, args.var, args.x, args.y, contour=args.contour)
        out = args.out or f"{args.file.rsplit('.', 1)[0]}_{args.var}.png"
        ax.figure.tight_layout()
        ax.figure.savefig(out, dpi=120)
        print(f"written to {out}")
        return 0
    return 1  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
