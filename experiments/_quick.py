"""One quick run per experiment, shared by the tests and the docs gallery.

``tests/test_experiments.py`` checks the numbers of every script's ``--quick`` mode and the
docs build shows the same runs' figures and data in its gallery. :func:`run` runs a script's
quick mode once and keeps what it wrote (figures, data file, printed output, returned result)
in a folder keyed by everything the run depends on: the source of the package and of the
experiment scripts and the versions of the numerical libraries. Whoever asks second, the
test or the gallery, in this process or another, reuses that folder instead of running the
script again; a change to any source file gives a new key, so a stale run is never reused.

Concurrency: each run holds a file lock for its experiment, so two processes (pytest-xdist
workers, sphinx-gallery's) asking for the same experiment at once run it once; the second
waits and reuses. Nothing depends on which comes first: whoever is first runs the script.

The folder is ``$NM_QUICK_RUNS`` or ``build/quick-runs/`` in the repository (git-ignored);
``NM_QUICK_RUNS=off`` runs every request afresh in a temporary folder.

Every figure a run saves is checked for clipped or overlapping text and unlabelled axes
(:func:`neuromuscle.plotting.text_problems`, :func:`~neuromuscle.plotting.label_problems`);
the problems are kept with the run for the gallery to report.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.util
import io
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from pathlib import Path

EXPERIMENTS = Path(__file__).resolve().parent
ROOT = EXPERIMENTS.parent
PACKAGE = ROOT / "neuromuscle"
_DONE = "_quick_run.json"  # written last: a folder without it is not a finished run


@dataclasses.dataclass
class QuickRun:
    """A finished quick run: the folder it wrote to and what it returned and printed."""

    name: str
    folder: Path
    result: object
    stdout: str
    problems: list
    seconds: float  # wall time of the run itself (not of a reuse)
    reused: bool


def _library_versions() -> str:
    import matplotlib
    import numpy
    import scipy

    versions = [sys.version, numpy.__version__, scipy.__version__, matplotlib.__version__]
    for optional in ("numba", "xarray"):
        try:
            versions.append(importlib.import_module(optional).__version__)
        except Exception:  # not installed: the runs do not depend on it
            versions.append("-")
    return "|".join(versions)


def source_key() -> str:
    """Hash of what a quick run depends on: every file of the package and the experiment
    scripts (bytes; not this runner's), and the versions of Python and the numerical
    libraries."""
    h = hashlib.sha256(_library_versions().encode())
    files = [p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
    files += [p for p in EXPERIMENTS.glob("*.py") if p.name != Path(__file__).name]  # not this runner
    for path in sorted(files):
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:20]


def cache_root() -> Path | None:
    """Where finished runs are kept (``None``: not kept)."""
    setting = os.environ.get("NM_QUICK_RUNS", "")
    if setting.lower() == "off":
        return None
    return Path(setting) if setting else ROOT / "build" / "quick-runs"


def finished_folder(name: str) -> Path | None:
    """The folder of a finished quick run of ``name`` for the current sources, if any."""
    root = cache_root()
    if root is None:
        return None
    folder = root / source_key() / name
    return folder if (folder / _DONE).exists() else None


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"experiment_{name}", EXPERIMENTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    # registered, so that classes the script defines can be pickled with its result and
    # unpickled in another process (after loading the script there too)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class _CheckedSavefig:
    """While active, every ``Figure.savefig`` first checks the figure's text layout."""

    def __init__(self):
        self.problems: list[str] = []

    def __enter__(self):
        from matplotlib.figure import Figure

        from neuromuscle.plotting import label_problems, text_problems

        self._original = original = Figure.savefig
        checker = self

        def savefig(fig, fname, *args, **kwargs):
            for p in text_problems(fig) + label_problems(fig):
                checker.problems.append(f"{Path(str(fname)).name}: {p}")
            return original(fig, fname, *args, **kwargs)

        Figure.savefig = savefig
        return self

    def __exit__(self, *exc):
        from matplotlib.figure import Figure

        Figure.savefig = self._original
        return False


class _Tee(io.TextIOBase):
    """Writes to the real stdout and keeps a copy."""

    def __init__(self, stream):
        self.stream, self.copy = stream, io.StringIO()

    def write(self, s):
        self.copy.write(s)
        return self.stream.write(s)

    def flush(self):
        self.stream.flush()


def _execute(name: str, folder: Path) -> QuickRun:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from neuromuscle.plotting import use_style
    from neuromuscle.reporting import write_results

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    module = _load(name)
    use_style()
    cwd = os.getcwd()
    tee = _Tee(sys.stdout)
    tic = time.perf_counter()
    try:
        os.chdir(folder)  # scripts without --out write into ./figures/<name>
        with _CheckedSavefig() as check, contextlib.redirect_stdout(tee):
            try:
                result = module.main(["--quick", "--out", str(folder)])
            except SystemExit:  # a script without --out
                result = module.main(["--quick"])
    finally:
        os.chdir(cwd)
        plt.close("all")
    seconds = time.perf_counter() - tic
    if not (folder / f"{name}.json").exists():
        write_results(result, folder, name)
    return QuickRun(name, folder, result, tee.copy.getvalue(), check.problems, seconds, False)


#: Largest result kept, bytes. A few scripts return whole simulation records (hundreds of
#: MB); for them a test asking second runs the script again, the gallery still reuses the files.
MAX_PICKLE = 20_000_000


def _store(run: QuickRun) -> None:
    try:
        blob = pickle.dumps(run.result, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # not picklable: a reuse reruns for the result (the files are kept)
        blob = None
    if blob is not None and len(blob) > MAX_PICKLE:
        blob = None
    if blob is not None:
        (run.folder / "_result.pickle").write_bytes(blob)
    (run.folder / "_stdout.txt").write_text(run.stdout)
    done = {"problems": run.problems, "seconds": run.seconds, "pickled": blob is not None}
    tmp = run.folder / (_DONE + ".tmp")
    tmp.write_text(json.dumps(done))
    tmp.replace(run.folder / _DONE)


def _reuse(name: str, folder: Path, need_result: bool) -> QuickRun | None:
    done = json.loads((folder / _DONE).read_text())
    result = None
    if need_result:
        if not done["pickled"]:
            return None
        if f"experiment_{name}" not in sys.modules:
            _load(name)
        result = pickle.loads((folder / "_result.pickle").read_bytes())
    stdout = (folder / "_stdout.txt").read_text()
    sys.stdout.write(stdout)  # what the run printed, as if it ran here
    return QuickRun(name, folder, result, stdout, list(done["problems"]), float(done["seconds"]), True)


def _prune(root: Path, age_s: float = 3600.0) -> None:
    """Remove runs of other source versions untouched for ``age_s`` (they are never reused)."""
    if not root.is_dir():
        return
    now = time.time()
    for old in root.iterdir():
        if old.is_dir() and now - old.stat().st_mtime > age_s:
            shutil.rmtree(old, ignore_errors=True)


def run(name: str, need_result: bool = True) -> QuickRun:
    """The quick run of ``experiments/<name>.py``: reused if one for the current sources is
    finished, else run now (and kept). ``need_result=False``: the caller needs only the files
    (the gallery), so a run whose result could not be pickled is still reused."""
    if not (EXPERIMENTS / f"{name}.py").exists():
        raise ValueError(f"no experiment script experiments/{name}.py")
    root = cache_root()
    if root is None:
        return _execute(name, Path(tempfile.mkdtemp(prefix=f"nm-quick-{name}-")))
    base = root / source_key()
    if not base.exists():
        _prune(root)
    base.mkdir(parents=True, exist_ok=True)
    folder = base / name
    with open(base / f"{name}.lock", "w") as lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        except ImportError:  # pragma: no cover - no fcntl (Windows): no cross-process dedupe
            pass
        if (folder / _DONE).exists():
            reused = _reuse(name, folder, need_result)
            if reused is not None:
                return reused
            # finished, but its result could not be kept: run again elsewhere, leaving the
            # kept files to whoever reads them
            return _execute(name, Path(tempfile.mkdtemp(prefix=f"nm-quick-{name}-")))
        done = _execute(name, folder)
        _store(done)
        return done
