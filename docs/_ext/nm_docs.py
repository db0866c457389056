"""Sphinx helpers of the neuromuscle docs: the experiment gallery and the CLI reference.

Gallery: :func:`write_gallery_sources` writes one small sphinx-gallery example per script in
``experiments/`` (so a new experiment appears in the gallery without editing the docs). Each
example calls :func:`run_experiment`, which takes the script's quick run from
``experiments/_quick.py`` (the same runs the tests check: run once, by whichever asks first,
and kept per source version in ``build/quick-runs/``); :func:`gallery_scraper` hands the PNG
files the script wrote to sphinx-gallery, and the data file the script wrote
(``<experiment>.json``) is rendered as tables. Every figure is checked for clipped or
overlapping text when it is saved (:func:`neuromuscle.plotting.text_problems`); a problem
fails the build.

CLI reference: :func:`cli_parser` returns the ``neuromuscle`` command's argparse parser for
sphinx-argparse, whichever way ``neuromuscle.cli`` builds it.
"""

from __future__ import annotations

import html
import importlib.util
import json
import math
import os
import shutil
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent
ROOT = DOCS.parent
EXPERIMENTS = ROOT / "experiments"
GALLERY_SRC = DOCS / "gallery_src"

#: Scripts shown in the gallery without being run by the docs build, with the reason
#: (printed on their page). Every other script is run in its quick mode.
#: Executed scripts that write data but no figure (calibrations): their page shows the data.
DATA_ONLY: frozenset[str] = frozenset({"calibrate_release"})

NOT_EXECUTED: dict[str, str] = {
    "calibrate_junction": "it is a calibration that writes constants, not figures (about 30 s); the junction "
                          "page shows what it fitted",
    "run_all": "it runs every claim of the claims report (minutes even with --quick); the report is the "
               "claims page, and `neuromuscle claims` writes it",
    "hypokalaemia_muscle": "its quick mode takes about a minute (a bisection over K for three leak levels)",
    "membrane_temperature": "its quick mode takes about a minute (refractory periods at three temperatures)",
    "muscle_resting_calibration": "its quick mode takes 45 s or more (steady states of three modes over K)",
    "threshold_tracking_stimulus": "its quick mode runs the threshold-tracking battery in three set-ups "
                                   "(about a minute) and writes data, not figures",
    "axon_fit_search": "its quick mode runs eight reduced threshold-tracking batteries (about 40 s); the "
                       "myelinated-axon page includes the full run's table",
    "axon_phase_diagrams": "its quick mode runs two sweeps in a process pool (20 s alone, minutes beside the "
                           "rest of the build)",
}

_pending: list[Path] = []  # PNGs written by the last example block, for the scraper


# ---------------------------------------------------------------- gallery sources
def _title_and_body(doc: str, name: str) -> tuple[str, str]:
    doc = textwrap.dedent(doc or "").strip()
    paragraphs = doc.split("\n\n")
    first = " ".join(paragraphs[0].split())
    title = f"{name.replace('_', ' ').capitalize()}"
    return title, f"*{first}*\n\n" + "\n\n".join(paragraphs[1:])


def write_gallery_sources() -> list[str]:
    """Write ``gallery_src/gallery_<name>.py`` for every experiment script; return the names."""
    import ast

    GALLERY_SRC.mkdir(exist_ok=True)
    readme = GALLERY_SRC / "README.rst"
    readme.write_text(
        "Gallery of experiments\n======================\n\n"
        "Every script in ``experiments/`` run in its quick mode (``--quick``) by the docs build: the\n"
        "figures below are the ones the scripts write, the tables are read from the data file each\n"
        "script writes next to its figures (``<experiment>.json``). Run a script without ``--quick``\n"
        "for the full-resolution version.\n"
    )
    names = []
    # NM_GALLERY_SKIP="a,b": scripts to leave out of a local build (not for CI: the gallery
    # is meant to show every experiment)
    skip = {n.strip() for n in os.environ.get("NM_GALLERY_SKIP", "").split(",") if n.strip()}
    for script in sorted(EXPERIMENTS.glob("*.py")):
        name = script.stem
        if name.startswith("_") or name in skip:
            continue
        doc = ast.get_docstring(ast.parse(script.read_text())) or name
        title, body = _title_and_body(doc, name)
        body = body.replace('"""', "'''")
        underline = "=" * len(title)
        if name in NOT_EXECUTED:
            body += (f"\n\n.. note::\n\n   Not run by the docs build, to keep it short: {NOT_EXECUTED[name]}. "
                     f"Run ``python experiments/{name}.py --quick`` to see its figures and table.\n")
            code = f"# python experiments/{name}.py --quick\n"
        else:
            code = (
                "from nm_docs import run_experiment\n\n"
                f"result = run_experiment({name!r})\n\n"
                "# %%\n# The data the script wrote (``" + name + ".json``):\n\n"
                "result\n"
            )
        text = f'"""\n{title}\n{underline}\n\n{body}\n\n"""\n\n{code}'
        target = GALLERY_SRC / f"gallery_{name}.py"
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
        names.append(name)
    for stale in GALLERY_SRC.glob("gallery_*.py"):
        if stale.stem[len("gallery_"):] not in names:
            stale.unlink()
    return names


# ---------------------------------------------------------------- running an experiment
def _quick():
    """``experiments/_quick.py``: one quick run per experiment, shared with the tests."""
    name = "neuromuscle_experiments_quick"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, EXPERIMENTS / "_quick.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _warn(message: str) -> None:
    if os.environ.get("NM_FIGURE_CHECK_WARN_ONLY"):
        print("WARNING:", message, file=sys.stderr, flush=True)
    try:
        from sphinx.util import logging

        logging.getLogger("nm_docs").warning(message)
    except Exception:  # pragma: no cover - outside Sphinx
        print("WARNING:", message, file=sys.stderr)


def run_experiment(name: str) -> Results:
    """The quick run of ``experiments/<name>.py`` (``experiments/_quick.py``: reused if the
    tests already ran it on the same sources, else run now); its data for display.

    The figures it wrote are queued for the gallery's scraper. Clipped or overlapping text,
    or an axis without a label, in any of them is an error (so the docs build fails on it).
    """
    run = _quick().run(name, need_result=False)
    if run.problems and not os.environ.get("NM_FIGURE_CHECK_WARN_ONLY"):
        raise RuntimeError(f"experiment {name}: figure problems:\n  " + "\n  ".join(run.problems))
    for problem in run.problems:
        _warn(f"experiment {name}: {problem}")
    data_file = run.folder / f"{name}.json"
    pngs = sorted(run.folder.rglob("*.png"), key=lambda p: p.stat().st_mtime)
    _pending.extend(pngs)
    return Results(name, json.loads(data_file.read_text()))


def gallery_scraper(block, block_vars, gallery_conf):
    """sphinx-gallery image scraper: the PNGs the last block's experiment wrote."""
    from sphinx_gallery.scrapers import figure_rst

    paths = []
    for png, target in zip(list(_pending), block_vars["image_path_iterator"]):
        shutil.copyfile(png, target)
        paths.append(target)
    _pending.clear()
    return figure_rst(paths, gallery_conf["src_dir"])


# ---------------------------------------------------------------- data as tables
def _cell(v) -> str:
    if isinstance(v, float):
        if math.isnan(v):
            return "–"
        return f"{v:.4g}"
    if isinstance(v, list) and all(isinstance(x, (int, float, str)) or x is None for x in v) and len(v) <= 12:
        return ", ".join(_cell(x) for x in v)
    if isinstance(v, (dict, list)):
        return html.escape(json.dumps(v)[:120] + ("…" if len(json.dumps(v)) > 120 else ""))
    return html.escape(str(v))


def _is_records(v) -> bool:
    return isinstance(v, list) and len(v) > 0 and all(isinstance(r, dict) for r in v)


def _html(key: str, v, depth: int = 0) -> str:
    h = f"h{min(4 + depth, 6)}"
    if _is_records(v):
        cols: list[str] = []
        for r in v:
            cols += [c for c in r if c not in cols]
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
        body = "".join("<tr>" + "".join(f"<td>{_cell(r.get(c))}</td>" for c in cols) + "</tr>" for r in v)
        return f"<{h}>{html.escape(key)}</{h}><table class='nm-data'><tr>{head}</tr>{body}</table>"
    if isinstance(v, dict):
        scalars = {k: x for k, x in v.items()
                   if not isinstance(x, (dict, list)) or not (_is_records(x) or isinstance(x, dict))}
        nested = {k: x for k, x in v.items() if k not in scalars}
        out = f"<{h}>{html.escape(key)}</{h}>" if key else ""
        if scalars:
            rows = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{_cell(x)}</td></tr>" for k, x in scalars.items())
            out += f"<table class='nm-data'>{rows}</table>"
        for k, x in nested.items():
            out += _html(str(k), x, depth + 1)
        return out
    return f"<p>{html.escape(key)}: {_cell(v)}</p>"


class Results:
    """An experiment's data file, shown as HTML tables in the gallery."""

    def __init__(self, name: str, data):
        self.name = name
        self.data = data

    def _repr_html_(self) -> str:
        return f"<div class='nm-results'>{_html('', self.data)}</div>"


# ---------------------------------------------------------------- CLI parser
def cli_parser():
    """The ``neuromuscle`` command's parser, however ``neuromuscle.cli`` builds it."""
    import argparse

    from neuromuscle import cli

    for attr in ("build_parser", "make_parser", "parser"):
        obj = getattr(cli, attr, None)
        if callable(obj):
            return obj()
        if isinstance(obj, argparse.ArgumentParser):
            return obj

    class _Got(Exception):
        pass

    original = argparse.ArgumentParser.parse_args

    def grab(self, *args, **kwargs):
        raise _Got(self)

    argparse.ArgumentParser.parse_args = grab
    try:
        cli.main(["--help"])
    except _Got as got:
        return got.args[0]
    finally:
        argparse.ArgumentParser.parse_args = original
    raise RuntimeError("neuromuscle.cli.main did not build an argparse parser")


def _missing_images(app, docname, source):
    """Generated pages (the claims report) link figures written by a program the docs build
    does not run; a missing one becomes a note saying which command writes it."""
    import re

    if not source:
        return
    here = (DOCS / docname).parent

    def replace(match):
        target = match.group(2)
        if target.startswith(("http:", "https:")) or (here / target).exists():
            return match.group(0)
        return f"*{match.group(1)}: `{Path(target).name}`, written by `neuromuscle claims`.*"

    source[0] = re.sub(r"!\[([^\]]*)\]\(([^)\s]+)\)", replace, source[0])


# ---------------------------------------------------------------- tables from experiment data
def results_file(name: str) -> Path | None:
    """The data file ``<name>.json`` an experiment wrote: a full run's ``figures/<name>/`` if
    there is one, else a finished quick run on the current sources (the gallery's or the
    tests')."""
    path = ROOT / "figures" / name / f"{name}.json"
    if path.exists():
        return path
    folder = _quick().finished_folder(name)
    if folder is not None and (folder / f"{name}.json").exists():
        return folder / f"{name}.json"
    return None


def table_lines(data: dict, key: str) -> list[str]:
    """reST ``list-table`` of ``data[key]``: a mapping of columns to mappings of rows, or a list
    of records (one row each)."""
    block = data.get(key)
    if isinstance(block, list) and block and all(isinstance(r, dict) for r in block):
        cols = list(block[0])
        lines = [".. list-table::", "   :header-rows: 1", ""]
        lines += ["   * - " + cols[0]] + [f"     - {c}" for c in cols[1:]]
        for r in block:
            lines += ["   * - " + _cell(r.get(cols[0]))] + [f"     - {_cell(r.get(c))}" for c in cols[1:]]
        return lines
    if not (isinstance(block, dict) and block and all(isinstance(v, dict) for v in block.values())):
        return [f"``{key}``: {_cell(block)}", ""]
    cols = list(block)
    rows = list(block[cols[0]])
    lines = [".. list-table::", "   :header-rows: 1", "", "   * - " + key]
    lines += [f"     - {c}" for c in cols]
    for r in rows:
        lines.append(f"   * - {r}")
        lines += [f"     - {_cell(block[c].get(r))}" for c in cols]
    return lines


def setup(app):
    app.connect("source-read", _missing_images)
    from docutils.parsers.rst import Directive, directives
    from docutils.statemachine import StringList

    class ResultsTable(Directive):
        """``.. nm-results-table:: <experiment> <key>``: a table read from the experiment's data file."""

        required_arguments = 2
        has_content = False
        option_spec = {"note": directives.unchanged}

        def run(self):
            from docutils import nodes

            name, key = self.arguments
            path = results_file(name)
            if path is None:
                text = f"(run ``python experiments/{name}.py`` to produce this table)"
                return [nodes.paragraph(text=text)]
            data = json.loads(path.read_text())
            container = nodes.container()
            self.state.nested_parse(StringList(table_lines(data, key), source=str(path)), self.content_offset,
                                    container)
            caption = f"From {path.name} ({data.get('protocol', 'quick') if isinstance(data, dict) else ''} run)."
            return [container, nodes.paragraph(text=caption)]

    app.add_directive("nm-results-table", ResultsTable)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
