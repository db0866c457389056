"""Parameter sweeps: N-D grids, point lists and Latin hypercubes, with labelled results.

:func:`sweep` evaluates metrics (from :data:`METRICS`, or your own functions) at every
point of a design over model parameters, electrolytes and the stimulus amplitude, and
returns an :class:`xarray.Dataset` whose variables and coordinates carry ``units`` and
``long_name`` attributes (so plots label themselves).

* **Checked first**: every argument is checked before any point runs.
* **Resumable**: with ``checkpoint=DIR`` every finished chunk of points is written to
  ``DIR`` atomically, with the sweep's fingerprint and its own checksum; running the same
  sweep again skips finished chunks, recomputes damaged ones (named in a warning) and
  refuses a folder that holds another sweep, saying what differs.
* **Interruptible**: Ctrl-C or SIGTERM stops the workers at once, keeps every finished
  chunk and says how to resume; no worker outlives the process that started it.
* **Robust**: a point that fails is recorded (NaN plus its message in the ``error``
  variable) and the sweep goes on.
* **Parallel**: ``n_jobs`` local processes (from scripts, ``python -`` or Jupyter alike),
  or any ``concurrent.futures``-style executor (including a Dask ``distributed.Client``).
* **Fast**: simulation metrics of a chunk run on the compiled batch engine.
* **Reproducible**: same inputs (and ``seed`` for Latin hypercubes), same numbers,
  whatever the number of processes or the chunking.

Modules: :mod:`~neuromuscle.sweep.design` (where to look), :mod:`~neuromuscle.sweep.metrics`
(what to measure), :mod:`~neuromuscle.sweep.runner` (running chunks),
:mod:`~neuromuscle.sweep.checkpoint` (resuming) and :mod:`~neuromuscle.sweep.dataset`
(the labelled result).
"""

from .api import SweepInterrupted, stability_map, sweep
from .checkpoint import CheckpointMismatch, CheckpointWarning
from .design import ELECTROLYTE_FIELDS, latin_hypercube
from .metrics import METRICS, STABILITY_CLASSES, Metric, classify_stability
from .runner import shutdown_workers

__all__ = [
    "sweep", "stability_map", "Metric", "METRICS", "latin_hypercube", "classify_stability", "STABILITY_CLASSES",
    "SweepInterrupted", "CheckpointMismatch", "CheckpointWarning", "ELECTROLYTE_FIELDS", "shutdown_workers",
]
