"""Compile a model's generated equations and the integrators with numba, cached on disk.

The generated source of :meth:`neuromuscle.model.Model.source` calls each component's
``equations`` function. Here every such function, and every plain-Python helper it calls
(found through its global names, recursively), is re-bound to a numba-compiled copy of
*the same code object*: there is one copy of the physiology. Only a few numerical helpers
whose NumPy form uses constructs numba lacks (``np.errstate``, ``isinstance``) have a
scalar twin registered in :data:`SCALAR_TWINS`; they are mathematics, not physiology,
and are tested against their NumPy versions.

**Disk cache.** numba can cache compiled code only for functions defined in a real file,
so generated source is written to the cache directory and compiled with ``cache=True``:
one module holds the integrators (the template source of
:mod:`neuromuscle.engine.kernels`), shared by every model, and one module per model its
``rhs`` and a C callback ``rhs_c`` of it. The integrators take the right-hand side as a
function pointer, so they are compiled once per machine, not once per model; a new model
costs only the compilation of its equations. A file's name is a hash of everything the
machine code depends on: the generated source, the templates, the code objects and
constant globals of every component function it calls, the fast-math flags and the
numba, NumPy and Python versions. A second process (or a second run of a script) therefore loads the machine
code instead of compiling it; a changed component gets a new file. Files are created
atomically (a finished file is never rewritten), so parallel workers may share the
directory. The directory is ``$NEUROMUSCLE_CACHE_DIR`` if set, else
``$XDG_CACHE_HOME/neuromuscle`` (default ``~/.cache/neuromuscle``); if it cannot be
written the code is compiled in memory for this process only and a
:class:`CacheWarning` says so once.

**Exit.** Once numba is loaded, the interpreter's final garbage collection at exit walks
numba's compiler objects and LLVM's (about 0.4 s of a 1 s script, measured on the
project's machine). A process that has loaded numba through this module therefore calls
:func:`gc.freeze` from an :mod:`atexit` handler: the objects still alive at exit are left
to the operating system instead of being collected one by one. Objects that are not in a
reference cycle are still released as usual when the modules are torn down (open files are
closed and flushed); ``__del__`` methods of objects kept alive only by a cycle do not run
at exit, which Python never guarantees either.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import importlib.util
import math
import os
import sys
import tempfile
import types
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .. import mathfn

__all__ = ["numba_available", "compiled_rhs", "compiled_module", "compiled_block_module", "block_source", "kernels",
           "ready", "cache_base", "make_writable_folder", "cache_directory", "CacheWarning", "SCALAR_TWINS", "FASTMATH"]

#: LLVM fast-math flags for compiled code: contraction (fused multiply-add), reciprocal
#: approximation, reassociation, approximate functions, no signed zeros. "nnan" and "ninf"
#: are deliberately left out, so NaN/inf still behave as in IEEE arithmetic and the
#: integrators' non-finite checks and the overflow branches of the math helpers keep
#: working. Results differ from the NumPy path by rounding only (tested to 1e-12).
FASTMATH = {"contract", "arcp", "nsz", "afn", "reassoc"}

#: Fast-math flags of the integrators: as :data:`FASTMATH` but without reassociation.
#: Reassociation would let LLVM vectorise the error norm's sum with a start that depends
#: on the arrays' alignment in memory, i.e. on where they happen to be allocated.
KERNEL_FASTMATH = FASTMATH - {"reassoc"}

#: Bump when the layout of the generated module changes.
_FORMAT = 2


class CacheWarning(UserWarning):
    """The compiled-code cache directory cannot be used; code is compiled in memory."""


def numba_available() -> bool:
    """True if numba can be imported (the compiled engines need it)."""
    try:
        import numba  # noqa: F401
    except Exception:  # pragma: no cover - depends on the environment
        return False
    _freeze_at_exit()
    return True


_FREEZE_REGISTERED: list[bool] = []


def _freeze_at_exit() -> None:
    """Register (once) an :mod:`atexit` handler that calls :func:`gc.freeze` (module docstring, *Exit*)."""
    if not _FREEZE_REGISTERED:
        atexit.register(gc.freeze)
        _FREEZE_REGISTERED.append(True)


def _x_over_expm1_scalar(x):
    if abs(x) < mathfn._SERIES_CUTOFF:
        return 1.0 / (1.0 + x / 2.0 + x * x / 6.0)
    if x > mathfn._OVERFLOW:
        return 0.0
    return x / math.expm1(x)


def _exprel_scalar(x):
    if abs(x) < mathfn._SERIES_CUTOFF:
        return 1.0 + x / 2.0 + x * x / 6.0
    if x > mathfn._OVERFLOW:
        return math.inf
    return math.expm1(x) / x


#: NumPy helper -> scalar twin used in compiled code (same formulas, same cut-offs).
SCALAR_TWINS: dict[Callable, Callable] = {
    mathfn.x_over_expm1: _x_over_expm1_scalar,
    mathfn.exprel: _exprel_scalar,
}

_JITTED: dict[Callable, Callable] = {}


def _called_functions(func: Callable, seen: dict) -> None:
    """Every plain-Python function reachable from ``func`` through its globals (into ``seen``)."""
    src = SCALAR_TWINS.get(func, func)
    if func in seen:
        return
    seen[func] = src
    for name in src.__code__.co_names:
        obj = src.__globals__.get(name)
        if isinstance(obj, types.FunctionType) and obj is not src:
            _called_functions(obj, seen)


def _code_bytes(code: types.CodeType) -> bytes:
    """A deterministic serialisation of a code object (``marshal`` output depends on
    reference counts, so it differs between processes)."""
    parts = [code.co_code, repr(code.co_names).encode(), repr(code.co_varnames).encode(),
             repr(code.co_freevars).encode(), repr(code.co_cellvars).encode(), code.co_name.encode()]
    for c in code.co_consts:
        parts.append(_code_bytes(c) if isinstance(c, types.CodeType) else repr(c).encode())
    return b"\1".join(parts)


def _fingerprint(func: Callable) -> bytes:
    """What the compiled code of ``func`` depends on: its code and the constants it reads."""
    code = func.__code__
    parts = [_code_bytes(code), repr(func.__defaults__).encode()]
    for name in code.co_names:
        obj = func.__globals__.get(name)
        if isinstance(obj, (int, float, complex, str, bytes, bool, tuple)):  # frozen in as constants
            parts.append(f"{name}={obj!r}".encode())
        elif isinstance(obj, types.ModuleType):
            parts.append(f"{name}=<module {obj.__name__}>".encode())
    return b"\0".join(parts)


def _jit(func: Callable) -> Callable:
    """numba.njit a copy of ``func`` whose Python-function globals are jitted too."""
    import numba

    if func in _JITTED:
        return _JITTED[func]
    src = SCALAR_TWINS.get(func, func)
    glob = dict(src.__globals__)
    for name in src.__code__.co_names:
        obj = glob.get(name)
        if isinstance(obj, types.FunctionType) and obj is not src:
            glob[name] = _jit(obj)
    clone = types.FunctionType(src.__code__, glob, src.__name__, src.__defaults__, src.__closure__)
    # Not cached by itself: the cached functions of the generated module carry its machine code.
    # error_model="numpy": a division by zero gives inf/NaN (caught by the integrators'
    # finite checks) instead of raising ZeroDivisionError out of compiled code
    jitted = numba.njit(cache=False, error_model="numpy", fastmath=FASTMATH)(clone)
    _JITTED[func] = jitted
    return jitted


_JITTED_VEC: dict[Callable, Callable] = {}


def _vector_modules():
    """Stand-ins for ``numpy`` and ``math`` whose ``exp``/``expm1`` are :mod:`.vecmath`'s."""
    from . import vecmath

    out = []
    for mod in (np, math):
        shim = types.ModuleType(f"neuromuscle_vector_{mod.__name__}")
        shim.__dict__.update({k: v for k, v in mod.__dict__.items() if not k.startswith("__")})
        out.append(shim)
    return {id(np): out[0], id(math): out[1], id(np.exp): vecmath.exp, id(math.exp): vecmath.exp,
            id(np.expm1): vecmath.expm1, id(math.expm1): vecmath.expm1}


def _vector_substitute(obj):
    if not _VECTOR_SUBSTITUTES:
        from . import vecmath

        _VECTOR_SUBSTITUTES.update(_vector_modules())
        for shim in (_VECTOR_SUBSTITUTES[id(np)], _VECTOR_SUBSTITUTES[id(math)]):
            shim.exp = _jit_vector(vecmath.exp)
            shim.expm1 = _jit_vector(vecmath.expm1)
    sub = _VECTOR_SUBSTITUTES.get(id(obj))
    if isinstance(sub, types.FunctionType):
        return _jit_vector(sub)
    return sub


_VECTOR_SUBSTITUTES: dict = {}


def _jit_vector(func: Callable) -> Callable:
    """As :func:`_jit`, but ``exp`` and ``expm1`` are the vectorisable ones of :mod:`.vecmath`
    (for the block right-hand side, whose loop over cells LLVM can then vectorise)."""
    import numba

    if func in _JITTED_VEC:
        return _JITTED_VEC[func]
    src = SCALAR_TWINS.get(func, func)
    glob = dict(src.__globals__)
    for name in src.__code__.co_names:
        obj = glob.get(name)
        sub = _vector_substitute(obj) if isinstance(obj, (types.ModuleType, types.BuiltinFunctionType, np.ufunc)) \
            else None
        if sub is not None:
            glob[name] = sub
        elif isinstance(obj, types.FunctionType) and obj is not src:
            glob[name] = _jit_vector(obj)
    clone = types.FunctionType(src.__code__, glob, src.__name__, src.__defaults__, src.__closure__)
    # without reassociation, which would undo the two-part range reduction of vecmath.exp
    # (the loop over cells needs none to vectorise)
    jitted = numba.njit(cache=False, error_model="numpy", fastmath=KERNEL_FASTMATH, inline="always")(clone)
    _JITTED_VEC[func] = jitted
    return jitted


def _template_text() -> str:
    """The integrators' source, without the imports that only keep the templates importable."""
    from . import kernels

    parts = []
    for name in kernels.TEMPLATES:
        text = (Path(kernels.__file__).parent / f"{name}.py").read_text()
        out, skipping = [], False
        for line in text.splitlines():
            if line.startswith("from ."):  # the templates' imports of each other
                skipping = not line.rstrip().endswith(")") and "(" in line
                continue
            if skipping:
                skipping = not line.startswith(")")
                continue
            out.append(line)
        parts.append(f"# ---- template {name}\n" + "\n".join(out))
    return "\n\n".join(parts)


#: Functions of the templates compiled with numba (all the others are helpers they call).
_KERNEL_FUNCTIONS = ("_norm", "_hermite", "_all_finite", "_record", "_ev", "_initial_step", "dopri_cell",
                     "dopri_batch", "_lane_start", "dopri_block", "_fd_jacobian", "_band_lu", "_band_solve",
                     "_sparse_lu", "_sparse_solve", "_residual_ok", "_lu_solve", "rodas_cell", "rodas_batch")

#: C signature of a model's right-hand side as the integrators call it:
#: ``rhs(t, y*, p*, I_stim, dydt*)``.
RHS_SIGNATURE = "void(float64, CPointer(float64), CPointer(float64), float64, CPointer(float64))"


def _kernels_text(cache: bool) -> str:
    lines = [
        '"""Generated by neuromuscle.engine.compile: the compiled integrators (shared by every model)."""',
        "import math",
        "import numpy as np",
        "import numba",
        "",
        _template_text(),
        "",
        f"_njit = numba.njit(cache={cache}, error_model='numpy', fastmath=set({sorted(KERNEL_FASTMATH)!r}))",
    ]
    lines += [f"{name} = _njit({name})" for name in _KERNEL_FUNCTIONS]
    return "\n".join(lines) + "\n"


def _module_text(model, cache: bool) -> str:
    # the full parameter vector: parameters, derived quantities and per-compartment constants
    n = len(model.state_names)
    n_p = int(getattr(model, "_n_full", len(model.parameter_names) + len(model.derived_names)))
    lines = [
        '"""Generated by neuromuscle.engine.compile: the compiled equations of one model."""',
        "import math",
        "import numpy as np",
        "import numba",
        "from numba import carray",
        "",
        model.source("rhs"),
        "",
        f"rhs = numba.njit(cache={cache}, error_model='numpy', fastmath=set({sorted(FASTMATH)!r}))(rhs)",
        "",
        "",
        f"@numba.cfunc({RHS_SIGNATURE!r}, cache={cache}, error_model='numpy')",
        "def rhs_c(t, y_, p_, I_stim, dydt_):",
        f"    rhs(t, carray(y_, ({n},)), carray(p_, ({n_p},)), I_stim, carray(dydt_, ({n},)))",
    ]
    return "\n".join(lines) + "\n"


#: C signature of a model's block right-hand side: ``rhs_blk(B, t*, y*, p*, I_stim*, dydt*)``
#: on ``B`` cells, arrays laid out state-major (``y[i * B + c]``: state i of cell c).
BLOCK_SIGNATURE = ("void(int64, CPointer(float64), CPointer(float64), CPointer(float64), CPointer(float64), "
                   "CPointer(float64))")


def block_source(model) -> str | None:
    """The generated ``rhs`` rewritten as a loop over a block of cells, or None if the model
    does not fit (array states or per-compartment constants: those use the one-cell kernel).

    ``rhs_blk(T, Y, P, I_S, DY)``: ``Y`` and ``DY`` of shape ``(n_states, B)``, ``P`` of
    shape ``(n_parameters, B)``, ``T`` and ``I_S`` of shape ``(B,)``; every cell has its own
    time, state, parameters and stimulus.
    """
    import re

    if getattr(model, "array_states", None) or getattr(model, "constant_rows", None):
        return None
    src = model.source("rhs").splitlines()
    if not src or src[0] != "def rhs(t, y, p, I_stim, dydt):":
        return None
    out = ["def rhs_blk(T, Y, P, I_S, DY):", "    for c in range(Y.shape[1]):", "        t = T[c]",
           "        I_stim = I_S[c]"]
    load = re.compile(r"^    (\w+) = ([yp])\[(\d+)\]$")
    store = re.compile(r"^    dydt\[(\d+)\] = (.*)$")
    for line in src[1:]:
        if line == "    return dydt":
            continue
        m = load.match(line)
        if m:
            out.append(f"        {m[1]} = {'Y' if m[2] == 'y' else 'P'}[{m[3]}, c]")
            continue
        m = store.match(line)
        if m:
            out.append(f"        DY[{m[1]}, c] = {m[2]}")
            continue
        if re.search(r"\b(y|p|dydt)\b", line.split("#")[0]):
            return None  # a use of the state or parameter vector this rewrite does not know
        out.append("    " + line)
    return "\n".join(out) + "\n"


def _block_text(model, body: str, cache: bool) -> str:
    n = len(model.state_names)
    n_p = int(getattr(model, "_n_full", len(model.parameter_names) + len(model.derived_names)))
    lines = [
        '"""Generated by neuromuscle.engine.compile: the block right-hand side of one model."""',
        "import math",
        "import numpy as np",
        "import numba",
        "from numba import carray",
        "",
        body,
        "",
        f"rhs_blk = numba.njit(cache={cache}, error_model='numpy', fastmath=set({sorted(KERNEL_FASTMATH)!r}))(rhs_blk)",
        "",
        "",
        f"@numba.cfunc({BLOCK_SIGNATURE!r}, cache={cache}, error_model='numpy')",
        "def rhs_blk_c(B, t_, y_, p_, I_, dydt_):",
        f"    rhs_blk(carray(t_, (B,)), carray(y_, ({n}, B)), carray(p_, ({n_p}, B)), carray(I_, (B,)), "
        f"carray(dydt_, ({n}, B)))",
    ]
    return "\n".join(lines) + "\n"


def _key(model, text: str, ns: dict) -> str:
    import numba

    h = hashlib.sha256()
    h.update(f"{_FORMAT} numba {numba.__version__} numpy {np.__version__} python {sys.version}".encode())
    h.update(repr((sorted(FASTMATH), sorted(KERNEL_FASTMATH))).encode())
    h.update(text.encode())
    seen: dict = {}
    for name in sorted(ns):
        _called_functions(ns[name], seen)
    for f in sorted(seen.values(), key=lambda f: (f.__module__ or "", f.__qualname__)):
        h.update(f"{f.__module__}.{f.__qualname__}".encode())
        h.update(_fingerprint(f))
    return h.hexdigest()[:24]


_WARNED = False
_DIRECTORY: Path | None | bool = False  # False: not decided yet; None: no usable directory


def cache_base() -> Path:
    """The folder of every compiled-code cache: ``$NEUROMUSCLE_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/neuromuscle`` (default ``~/.cache/neuromuscle``)."""
    env = os.environ.get("NEUROMUSCLE_CACHE_DIR")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "neuromuscle"


def make_writable_folder(path: Path) -> None:
    """Create ``path`` if needed and check a file can be written in it (raises OSError if not)."""
    path.mkdir(parents=True, exist_ok=True)
    tempfile.NamedTemporaryFile(dir=path, prefix=".probe-", delete=True).close()


def cache_directory() -> Path | None:
    """The directory compiled code is cached in, or None if none can be written."""
    global _DIRECTORY, _WARNED
    if _DIRECTORY is not False:
        return _DIRECTORY
    import numba

    path = cache_base() / f"numba-{numba.__version__}-py{sys.version_info[0]}{sys.version_info[1]}"
    try:
        make_writable_folder(path)
        make_writable_folder(path / "__pycache__")
        _DIRECTORY = path
    except OSError as exc:
        _DIRECTORY = None
        if not _WARNED:
            _WARNED = True
            warnings.warn(
                f"neuromuscle cannot write its compiled-code cache in {path} ({exc.strerror or exc}); "
                "compiling in memory for this process only (set NEUROMUSCLE_CACHE_DIR to a writable folder)",
                CacheWarning, stacklevel=3,
            )
    return _DIRECTORY


def _reset_cache_directory() -> None:
    """Forget the chosen directory (tests that change ``NEUROMUSCLE_CACHE_DIR``)."""
    global _DIRECTORY, _WARNED
    _DIRECTORY, _WARNED = False, False


_MODULES: dict[str, types.ModuleType] = {}


def _load(key: str, text: str, ns: dict) -> types.ModuleType:
    _freeze_at_exit()
    directory = cache_directory()
    modname = f"neuromuscle_generated_{key}"
    if directory is None:
        module = types.ModuleType(modname)
        module.__dict__.update(ns)
        exec(compile(text.replace("cache=True", "cache=False"), f"<neuromuscle generated {key}>", "exec"),
             module.__dict__)
        return module
    path = directory / f"nm_{key}.py"
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".nm_{key}-", suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        try:
            os.link(tmp, path)  # atomic and never overwrites: a file another worker wrote stays as it is
        except FileExistsError:
            pass
        except OSError:  # no hard links on this file system
            os.replace(tmp, path) if not path.exists() else None
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    spec = importlib.util.spec_from_file_location(modname, path)
    module = importlib.util.module_from_spec(spec)
    module.__dict__.update(ns)
    sys.modules[modname] = module
    spec.loader.exec_module(module)
    return module


_KERNELS: list = []


def kernels() -> types.ModuleType:
    """The compiled integrators (one module for every model; cached on disk)."""
    if not _KERNELS:
        import numba

        text = _kernels_text(cache=True)
        h = hashlib.sha256(f"{_FORMAT} numba {numba.__version__} numpy {np.__version__} python {sys.version}"
                           .encode())
        h.update(text.encode())
        from . import vecmath

        for f in (vecmath.exp, vecmath._exp_poly, vecmath.log):
            h.update(_fingerprint(f))
        # the lockstep kernel's step-size control uses the vectorisable exp and log
        ns = {"_vexp": _jit_vector(vecmath.exp), "_vlog": _jit_vector(vecmath.log)}
        _KERNELS.append(_load("k" + h.hexdigest()[:23], text, ns))
    return _KERNELS[0]


def compiled_module(model) -> types.ModuleType:
    """The generated module of ``model``: ``rhs`` (numba) and ``rhs_c`` (its C callback), cached.

    Rebuilding an identical model (e.g. with other parameter values) reuses the module in
    this process and its machine code across processes.
    """
    text = _module_text(model, cache=True)
    raw = model.namespace()
    key = _key(model, text, raw)
    if key not in _MODULES:
        ns = {name: _jit(func) for name, func in raw.items()}
        _MODULES[key] = _load(key, text, ns)
    return _MODULES[key]


def compiled_block_module(model) -> types.ModuleType | None:
    """The block right-hand side of ``model`` (``rhs_blk`` and its C callback ``rhs_blk_c``),
    cached on disk as :func:`compiled_module`; None if the model has no block form
    (:func:`block_source`)."""
    body = block_source(model)
    if body is None:
        return None
    text = _block_text(model, body, cache=True)
    raw = model.namespace()
    from . import vecmath

    key = "b" + _key(model, text + "".join(_fingerprint(f).hex() for f in (vecmath.exp, vecmath.expm1,
                                                                              vecmath._exp_poly)), raw)[:23]
    if key not in _MODULES:
        ns = {name: _jit_vector(func) for name, func in raw.items()}
        _MODULES[key] = _load(key, text, ns)
    return _MODULES[key]


_READY: set = set()


def ready(model, tag: str, warm: Callable) -> tuple[types.ModuleType, types.ModuleType]:
    """``(kernels(), compiled_module(model))`` after ``warm(kernels, module)`` has run once.

    ``warm`` makes a call with the real call's argument types, so that compilation (or
    loading from the disk cache) happens there and not inside a timed run. A process that
    compiled the code and one that loaded it from the disk cache can differ in the last
    bits of their results (rounding only); processes that load from the cache agree bit
    for bit.
    """
    k, mod = kernels(), compiled_module(model)
    key = (mod.__name__, tag)
    if key not in _READY:
        from numba.core.errors import NumbaExperimentalFeatureWarning

        with warnings.catch_warnings():
            # the integrators take the right-hand side as a function pointer (numba's
            # first-class functions), which numba flags as experimental while compiling
            warnings.simplefilter("ignore", NumbaExperimentalFeatureWarning)
            warm(k, mod)
        _READY.add(key)
    return k, mod


def compiled_rhs(model) -> Callable:
    """The model's right-hand side ``rhs(t, y, p, I_stim, dydt)`` compiled with numba."""
    return compiled_module(model).rhs
