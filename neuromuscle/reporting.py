"""Small helpers for experiment scripts: output folders and plain-text tables."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

__all__ = ["output_dir", "DOCS_DATA", "docs_tables_folder", "format_table", "format_records", "markdown_number",
           "markdown_records", "to_jsonable", "write_results", "experiment_main", "TABLE_WIDTH"]

#: Widest printed table, characters: wider ones are split into blocks of columns, each
#: repeating the first (label) column, so a table reads on a terminal or a docs page.
TABLE_WIDTH = 100

#: Folder of the tables the model pages include (``docs/models/data`` of the checkout the
#: package is imported from; it does not exist in an installed wheel).
DOCS_DATA = Path(__file__).resolve().parent.parent / "docs" / "models" / "data"


def output_dir(experiment: str, out: str | Path | None = None) -> Path:
    """Folder for an experiment's figures: ``out`` or ``./figures/<experiment>``, created."""
    path = Path(out) if out is not None else Path("figures") / experiment
    path.mkdir(parents=True, exist_ok=True)
    return path


def docs_tables_folder(quick: bool, out: str | Path | None) -> Path | None:
    """Where an experiment's run writes the table the docs include: :data:`DOCS_DATA` for a
    full run into the default folder, ``None`` (no docs table) for a ``--quick`` run, a run
    with ``--out``, or a package outside a checkout (no ``docs/`` folder)."""
    if quick or out is not None or not DOCS_DATA.parent.is_dir():
        return None
    return DOCS_DATA


def write_table_page(text: str, folder: str | Path, name: str, *, docs_folder: str | Path | None = None,
                     docs_name: str | None = None) -> Path:
    """Write an experiment's Markdown table as ``<folder>/<name>.md``.

    With ``docs_folder`` (the scripts give it on a full run into their default folder) the
    same text also goes to ``<docs_folder>/<docs_name or name>.md``, which the model pages
    include: the docs show the numbers of the last full run, never numbers copied by hand.
    """
    path = Path(folder) / f"{name}.md"
    path.write_text(text)
    if docs_folder is not None:
        Path(docs_folder).mkdir(parents=True, exist_ok=True)
        (Path(docs_folder) / f"{docs_name or name}.md").write_text(text)
    return path


def format_table(rows: Iterable[Sequence[object]], header: Sequence[str], width: int = TABLE_WIDTH) -> str:
    """A fixed-width text table; floats get 4 significant digits.

    A table wider than ``width`` characters is printed as several blocks of columns, each
    starting with the first column, separated by a blank line.
    """

    def fmt(x):
        if isinstance(x, float):
            return f"{x:.4g}"
        return str(x)

    cells = [[fmt(c) for c in header]] + [[fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    blocks, current = [], [0]
    for i in range(1, len(header)):
        if current[1:] and sum(widths[j] + 2 for j in current) + widths[i] > width:
            blocks.append(current)
            current = [0]
        current.append(i)
    blocks.append(current)
    out = []
    for cols in blocks:
        lines = ["  ".join(r[i].ljust(widths[i]) for i in cols).rstrip() for r in cells]
        lines.insert(1, "  ".join("-" * widths[i] for i in cols))
        out.append("\n".join(lines))
    return "\n\n".join(out)


def format_records(records: Iterable[Mapping[str, object]], columns: Mapping[str, str] | None = None,
                   width: int = TABLE_WIDTH) -> str:
    """:func:`format_table` of ``records``, one row per mapping; booleans print as yes/no.

    ``columns`` maps each header to the key it shows (default: the first record's keys, as
    headers and keys).

    >>> print(format_records([{"ion": "K", "low": True, "mM": 2.345678}]))
    ion  low  mM
    ---  ---  -----
    K    yes  2.346
    """
    records = list(records)
    columns = dict(columns) if columns is not None else {k: k for k in (records[0] if records else {})}

    def cell(x):
        return ("yes" if x else "no") if isinstance(x, bool) else x

    return format_table([[cell(r[k]) for k in columns.values()] for r in records], list(columns), width)


def markdown_number(value, digits: int = 3) -> str:
    """A number for a docs table: ``digits`` significant digits, "n/a" for ``None`` or NaN.

    >>> markdown_number(2.345678), markdown_number(float("nan")), markdown_number(12, 2)
    ('2.35', 'n/a', '12')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.{digits}g}"


def markdown_records(records: Iterable[Mapping[str, object]], columns: Mapping[str, str] | None = None,
                     digits: int = 3, by: str | None = None) -> str:
    """A Markdown table of ``records``, one row per mapping, for the pages the docs include.

    ``columns`` maps each header to the key it shows (default: the first record's keys).
    Floats get ``digits`` significant digits; NaN and ``None`` print as "n/a", booleans as
    yes/no. With ``by`` (a key) the table is turned: one column per record, headed by its
    ``by`` value, and one row per other column, for records with many quantities.

    >>> rows = [{"ion": "K", "mM": 2.345678, "low": True}, {"ion": "Na", "mM": None, "low": False}]
    >>> print(markdown_records(rows))
    | ion | mM | low |
    |---|---|---|
    | K | 2.35 | yes |
    | Na | n/a | no |
    >>> print(markdown_records(rows, by="ion"))
    | ion | K | Na |
    |---|---|---|
    | mM | 2.35 | n/a |
    | low | yes | no |
    """
    records = list(records)
    columns = dict(columns) if columns is not None else {k: k for k in (records[0] if records else {})}

    def cell(x):
        if isinstance(x, bool):
            return "yes" if x else "no"
        if x is None or isinstance(x, float):
            return markdown_number(x, digits)
        return str(x)

    if by is not None:
        head = [by] + [cell(r.get(by)) for r in records]
        body = [[h] + [cell(r.get(k)) for r in records] for h, k in columns.items() if k != by]
    else:
        head = list(columns)
        body = [[cell(r.get(k)) for k in columns.values()] for r in records]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


#: Longest array written to an experiment's data file; longer ones (time courses) are
#: figures, not table data, and are left out.
_MAX_ARRAY = 2000


def to_jsonable(obj, _depth: int = 0):
    """``obj`` as plain JSON data: dicts, lists, numbers, strings and ``None``.

    NumPy scalars and arrays become numbers and lists, xarray objects their ``to_dict()``,
    dataclasses and other plain objects their fields; mapping keys become strings (tuples
    are joined with ", "); NaN and infinities become ``None``. Time courses (arrays longer
    than 2000 values), models, figures and functions are left out.
    """
    import dataclasses
    import math

    import numpy as np

    if _depth > 12:
        return None
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        return x if math.isfinite(x) else None
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.ndarray):
        if obj.size > _MAX_ARRAY or obj.dtype == object and obj.size > 100:
            return _SKIP
        return to_jsonable(obj.tolist(), _depth + 1)
    if hasattr(obj, "to_dict") and type(obj).__module__.startswith("xarray"):
        return to_jsonable(obj.to_dict(), _depth + 1)
    if isinstance(obj, dict) or hasattr(obj, "items") and callable(obj.items):
        out = {}
        for k, v in obj.items():
            key = ", ".join(str(x) for x in k) if isinstance(k, tuple) else str(k)
            v = to_jsonable(v, _depth + 1)
            if v is not _SKIP:
                out[key] = v
        return out
    if isinstance(obj, (list, tuple)):
        if len(obj) > _MAX_ARRAY:
            return _SKIP
        items = [to_jsonable(v, _depth + 1) for v in obj]
        return [v for v in items if v is not _SKIP]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        fields = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
        return to_jsonable(fields, _depth + 1)
    module = type(obj).__module__
    if callable(obj) or module.startswith(("matplotlib", "neuromuscle.model")):
        return _SKIP
    if hasattr(obj, "__dict__"):
        return to_jsonable({k: v for k, v in vars(obj).items() if not k.startswith("_")}, _depth + 1)
    return str(obj)


_SKIP = object()


def write_results(result, folder: str | Path, name: str) -> Path:
    """Write an experiment's returned data as ``<folder>/<name>.json`` (see :func:`to_jsonable`)."""
    import json

    data = to_jsonable(result)
    if data is _SKIP:
        data = None
    path = Path(folder) / f"{name}.json"
    path.write_text(json.dumps(data, indent=1, allow_nan=False))
    return path


def experiment_main(run, doc: str, name: str, argv=None, quick_help: str = "coarse version, a few seconds"):
    """The command line shared by the experiment scripts: ``[--quick] [--out DIR]``.

    Parses ``argv``, sets the package's figure style (:func:`neuromuscle.plotting.use_style`),
    calls ``run(quick=..., out=...)`` and writes its result as data next to the figures
    (``<out>/<name>.json``, :func:`write_results`); returns the result.
    """
    import argparse

    parser = argparse.ArgumentParser(description=doc.strip().split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--out", default=None, help=f"folder for figures (default figures/{name})")
    args = parser.parse_args(argv)
    from .plotting import use_style

    use_style()
    result = run(quick=args.quick, out=args.out)
    path = write_results(result, output_dir(name, args.out), name)
    print(f"data written to {path}")
    return result
