"""Engines: integrators of a model's equations behind one contract.

Each engine is a module implementing the numbered contract of
:mod:`neuromuscle.engine.base` and is chosen by name through :data:`ENGINES`:

``"scipy"``
    :func:`scipy.integrate.solve_ivp` on the NumPy equations (:mod:`.scipy_engine`); the
    reference.
``"explicit"`` (alias ``"fast"``)
    Compiled Dormand-Prince 5(4) (:mod:`.explicit`), for non-stiff models.
``"native"``
    The same Dormand-Prince 5(4) compiled by the system C compiler and loaded with
    :mod:`ctypes` (:mod:`.native`): a process that runs a cached model needs neither numba
    nor SciPy. For one cell of a non-stiff model whose equations translate to C.
``"stiff"``
    Compiled Rosenbrock RODAS4 with a sparse Jacobian from the model's structure
    (:mod:`.stiff`), for stiff models (muscle fibres, cables).

:func:`choose` picks one for a model; :func:`neuromuscle.simulate` (one cell) and
:func:`simulate_batch` (many cells) are the front doors.
"""

from __future__ import annotations

from .base import Engine, Outcome, Problem
from .compile import CacheWarning, cache_directory, compiled_rhs, numba_available
from .explicit import ExplicitEngine
from .native import NativeEngine
from .scipy_engine import DEFAULT_METHOD, METHODS, ScipyEngine
from .stiff import StiffEngine

#: Engine name -> engine (as SciPy's ``METHODS`` for ``solve_ivp``).
ENGINES: dict[str, Engine] = {e.name: e for e in (ScipyEngine(), ExplicitEngine(), NativeEngine(), StiffEngine())}

#: Other accepted names.
ALIASES = {"fast": "explicit"}


def get_engine(name: str) -> Engine:
    """The engine called ``name`` (a key of :data:`ENGINES` or an alias)."""
    key = ALIASES.get(name, name)
    if key not in ENGINES:
        raise ValueError(f"engine = {name!r} is not one of {('auto', *ENGINES, *ALIASES)}")
    engine = ENGINES[key]
    if not engine.available():
        raise ValueError(f"engine {key!r} is not available here ({engine.unavailable})")
    return engine


def choose(model, cells: int | None = None) -> str:
    """The engine ``engine="auto"`` uses for ``model`` (``cells``: how many cells the run
    integrates, if known).

    ``"stiff"`` for a model declared stiff, ``"explicit"`` otherwise (an explicit run that
    turns stiff continues on ``"stiff"``); ``"scipy"`` when numba is missing. One cell
    (``cells=1``, as :func:`neuromuscle.simulate` asks) of a non-stiff model goes to
    ``"native"`` when its equations translate to C and a compiler (or its cached library) is
    there: the same integrator without numba's start-up, which dominates a short run in a
    new process; batches keep ``"explicit"``, whose lockstep kernel is faster per cell. Sweeps call
    this to pick the kernel for a chunk of points. Compartmental models (array states, such as
    the myelinated axon) are stiff: they go to ``"stiff"``, whose band LU follows the cable
    (measured faster than LSODA with the band at equal accuracy; see docs/engine.md).
    """
    plain = not getattr(model, "array_states", None) and not getattr(model, "stiff", False)
    if cells == 1 and plain and ENGINES["native"].usable(model):
        return "native"
    if not numba_available():
        return "scipy"
    if getattr(model, "array_states", None):
        return "stiff"
    return "stiff" if getattr(model, "stiff", False) else "explicit"


from .batch import BatchResult, simulate_batch  # noqa: E402  (batch uses get_engine/choose)

__all__ = ["ENGINES", "ALIASES", "get_engine", "choose", "Engine", "Problem", "Outcome", "BatchResult",
           "simulate_batch", "compiled_rhs", "numba_available", "cache_directory", "CacheWarning", "METHODS",
           "DEFAULT_METHOD"]
