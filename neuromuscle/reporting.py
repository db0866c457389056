"""Small helpers for experiment scripts: output folders and plain-text tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = ["output_dir", "format_table"]


def output_dir(experiment: str, out: str | Path | None = None) -> Path:
    """Folder for an experiment's figures: ``out`` or ``./figures/<experiment>``, created."""
    path = Path(out) if out is not None else Path("figures") / experiment
    path.mkdir(parents=True, exist_ok=True)
    return path


def format_table(rows: Iterable[Sequence[object]], header: Sequence[str]) -> str:
    """A fixed-width text table; floats get 4 significant digits."""

    def fmt(x):
        if isinstance(x, float):
            return f"{x:.4g}"
        return str(x)

    cells = [[fmt(c) for c in header]] + [[fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def experiment_main(run, doc: str, name: str, argv=None, quick_help: str = "coarse version, a few seconds"):
    """The command line shared by the experiment scripts: ``[--quick] [--out DIR]``.

    Parses ``argv`` and calls ``run(quick=..., out=...)``, returning its result.
    """
    import argparse

    parser = argparse.ArgumentParser(description=doc.strip().split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--out", default=None, help=f"folder for figures (default figures/{name})")
    args = parser.parse_args(argv)
    return run(quick=args.quick, out=args.out)
