"""The native engine: Dormand-Prince 5(4) compiled by the system C compiler, loaded with ctypes.

A model's generated ``rhs`` and every component function it calls are translated from
their Python source (the same code objects the numba engine compiles: one copy of the
physiology) into C, written after the C twin of the explicit integrator
(``kernels/dopri5.c``) and compiled once into a shared library with ``cc``. The library is
cached on disk under a hash of its C source and loaded with :mod:`ctypes`, so a process
that runs a cached model imports neither numba nor SciPy: a short script pays only for
NumPy and the package (docs/performance.md).

How it meets the contract of :mod:`neuromuscle.engine.base`:

1. name ``"native"``; available when a C compiler is found (``$CC``, else ``cc``, ``gcc``
   or ``clang`` on the ``PATH``) and the model's equations translate (:func:`supports`).
2. options: ``stiff_check`` and ``on_stiff``, as the explicit engine.
3. restarts at every protocol breakpoint;
4. SciPy's ``RK45`` error norm and step control;
5. spikes located on each accepted step by a cubic Hermite interpolant and bisection;
6. output on ``sample_t`` by the same interpolant (a grid is required);
7. ``max_steps`` accepted steps per cell;
8. non-finite states or derivatives, a collapsing step and the budget end the cell with its
   partial result. Points 3 to 8 are the explicit engine's, line for line
   (``kernels/dopri5.c`` follows ``kernels/dopri5.py`` and ``kernels/common.py``); cells
   run one after another.
9. ``prepare`` translates, compiles or loads the library.
10. an :class:`~neuromuscle.engine.base.Outcome` whose method is ``"DOP5 (native C)"``.

**What translates.** Functions of scalar floats: arithmetic, comparisons, ``and``/``or``/
``not``, conditional expressions, ``if``/``else``, assignments (also of tuples), ``return``
of a value or a tuple, calls to other such functions and to ``math``/``numpy`` functions
of a scalar (``exp``, ``expm1``, ``log``, ``log1p``, ``sqrt``, ``tanh``, ...), ``abs``,
``min``/``max`` of two values, and numeric constants from the functions' globals. The
numerical helpers with a scalar twin (:data:`~neuromuscle.engine.compile.SCALAR_TWINS`)
are translated through the twin. Anything else (loops, arrays of compartments, strings)
raises :class:`NotTranslatable`, and ``engine="auto"`` keeps the numba engine for that
model.

**Arithmetic.** The library is compiled with ``-O2`` and without fast-math, so it follows
IEEE arithmetic and the C library's ``exp``; the numba engine uses LLVM fast-math. The two
differ by rounding (tested against the explicit engine and SciPy).

**Cache.** ``$NEUROMUSCLE_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/neuromuscle`` (default
``~/.cache/neuromuscle``), folder ``native-<machine>``; files are written under a temporary
name and renamed, so parallel workers may share it. If it cannot be written the library is
built in a temporary folder for this process.
"""

from __future__ import annotations

import ast
import ctypes
import hashlib
import inspect
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import textwrap
import types
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from . import base
from .compile import SCALAR_TWINS, cache_base, make_writable_folder
from .explicit import ExplicitEngine

__all__ = ["NativeEngine", "NotTranslatable", "NativeWarning", "compiler", "supports", "c_source", "library",
           "native_rhs"]

#: Bump when the layout of the generated C source changes.
_FORMAT = 1

#: Compiler flags. No fast-math: NaN and inf keep their IEEE meaning, which the
#: integrator's finite checks and the math helpers' overflow branches rely on.
CFLAGS = ("-O2", "-std=c99", "-shared", "-fPIC", "-fno-fast-math")


class NativeWarning(UserWarning):
    """The native engine could not build a model's library (no compiler, or it failed)."""


_FAILED: set = set()


class NotTranslatable(ValueError):
    """A model's equations use a construct the C translation does not handle."""


# ---- translation --------------------------------------------------------------------------

#: ``math``/``numpy`` functions of one or two scalars -> C99 <math.h>.
_C_FUNCS = {
    "exp": "exp", "expm1": "expm1", "log": "log", "log1p": "log1p", "log10": "log10", "log2": "log2",
    "sqrt": "sqrt", "cbrt": "cbrt", "tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "tan": "tan",
    "sin": "sin", "cos": "cos", "arctan": "atan", "atan": "atan", "arcsin": "asin", "asin": "asin",
    "arccos": "acos", "acos": "acos", "fabs": "fabs", "absolute": "fabs", "floor": "floor",
    "ceil": "ceil", "power": "pow", "pow": "pow", "hypot": "hypot", "copysign": "copysign",
    "atan2": "atan2", "arctan2": "atan2", "erf": "erf", "erfc": "erfc", "isfinite": "isfinite",
    "isnan": "isnan", "isinf": "isinf", "fmin": "fmin", "fmax": "fmax", "maximum": "nm_np_max",
    "minimum": "nm_np_min",
}
_C_CONSTS = {"pi": repr(math.pi), "e": repr(math.e), "inf": "INFINITY", "nan": "NAN"}
_MATH_MODULES = {"math", "numpy"}
_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_CMPOPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}


def _literal(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        v = float(value)
        if math.isnan(v):
            return "NAN"
        if math.isinf(v):
            return "INFINITY" if v > 0 else "(-INFINITY)"
        return f"({v!r})"
    raise NotTranslatable(f"constant {value!r} is not a number")


class _Translator:
    """Translates Python functions of scalar floats into C functions (one translation unit)."""

    def __init__(self, namespace: dict[str, Callable]):
        self.namespace = namespace
        self.functions: dict[Callable, tuple[str, int]] = {}  # source function -> (C name, arity; 0: scalar)
        self.bodies: list[str] = []
        self.prototypes: list[str] = []

    # functions
    def function(self, func: Callable) -> tuple[str, int]:
        func = SCALAR_TWINS.get(func, func)
        if func in self.functions:
            return self.functions[func]
        if not isinstance(func, types.FunctionType):
            raise NotTranslatable(f"{func!r} is not a plain Python function")
        try:
            src = textwrap.dedent(inspect.getsource(func))
        except (OSError, TypeError) as exc:
            raise NotTranslatable(f"no source for {func.__qualname__}") from exc
        tree = ast.parse(src).body[0]
        if not isinstance(tree, ast.FunctionDef):
            raise NotTranslatable(f"{func.__qualname__} is not a def")
        cname = "nm_" + "".join(ch if ch.isalnum() else "_" for ch in f"{func.__module__}_{func.__qualname__}")
        cname = f"{cname}_{len(self.functions)}"
        arity = self._arity(tree, func)
        self.functions[func] = (cname, arity)
        body = _Body(self, func, tree, arity)
        params = [f"double {body.cn(a)}" for a in body.params]
        if arity:
            params.append("double *nm_out")
        proto = f"static {'void' if arity else 'double'} {cname}({', '.join(params) or 'void'})"
        self.prototypes.append(proto + ";")
        self.bodies.append(proto + " {\n" + body.text() + "}\n")
        return cname, arity

    def _arity(self, tree: ast.FunctionDef, func: Callable) -> int:
        arities = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Return):
                if node.value is None:
                    raise NotTranslatable(f"{func.__qualname__} returns nothing")
                value = node.value
                if isinstance(value, ast.Tuple):
                    arities.add(len(value.elts))
                elif isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                        and isinstance(func.__globals__.get(value.func.id), types.FunctionType):
                    arities.add(self.function(func.__globals__[value.func.id])[1])  # returns another's tuple
                else:
                    arities.add(0)
        if len(arities) != 1:
            raise NotTranslatable(f"{func.__qualname__} returns values of different shapes")
        return arities.pop()

    def rhs(self, source: str) -> str:
        """The generated ``rhs(t, y, p, I_stim, dydt)`` as a C function ``rhs``."""
        tree = ast.parse(source).body[0]
        if not isinstance(tree, ast.FunctionDef) or [a.arg for a in tree.args.args] != ["t", "y", "p", "I_stim",
                                                                                           "dydt"]:
            raise NotTranslatable("the generated rhs does not have the signature rhs(t, y, p, I_stim, dydt)")
        body = _Body(self, None, tree, 0, pointers=("y", "p", "dydt"))
        return ("static void rhs(double v_t, const double *y, const double *p, double v_I_stim, double *dydt) {\n"
                + body.text() + "}\n")


class _Body:
    """The statements of one function, with its local variables declared up front."""

    def __init__(self, tr: _Translator, func, tree: ast.FunctionDef, arity: int, pointers=()):
        self.tr, self.func, self.arity, self.pointers = tr, func, arity, set(pointers)
        args = tree.args
        if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
            raise NotTranslatable(f"{self.where()}: only positional arguments translate")
        self.params = [a.arg for a in args.args]
        self.scalars: dict[str, None] = {}
        self.arrays: dict[str, int] = {}  # local tuples -> length
        self.tmp = 0
        self.lines: list[str] = []
        stmts = tree.body
        if stmts and isinstance(stmts[0], ast.Expr) and isinstance(getattr(stmts[0], "value", None), ast.Constant):
            stmts = stmts[1:]  # docstring
        for s in stmts:
            self.stmt(s, 1)

    def where(self) -> str:
        return self.func.__qualname__ if self.func is not None else "rhs"

    def cn(self, name: str) -> str:
        """The C name of a Python local (prefixed, so no Python name is a C keyword)."""
        return name if name in self.pointers or name.startswith("nm_") else f"v_{name}"

    def text(self) -> str:
        decl = []
        names = [self.cn(n) for n in self.scalars if n not in self.params and n not in self.arrays]
        if names:
            decl.append("    double " + ", ".join(names) + ";\n")
        for name, k in self.arrays.items():
            decl.append(f"    double {self.cn(name)}[{max(k, 1)}];\n")
        return "".join(decl) + "".join(self.lines)

    def emit(self, text: str, depth: int) -> None:
        self.lines.append("    " * depth + text + "\n")

    # statements
    def stmt(self, s, depth: int) -> None:
        if isinstance(s, ast.Assign) and len(s.targets) == 1:
            self.assign(s.targets[0], s.value, depth)
        elif isinstance(s, ast.AugAssign) and isinstance(s.target, ast.Name) and type(s.op) in _BINOPS:
            name = self.local(s.target.id)
            self.emit(f"{name} = {name} {_BINOPS[type(s.op)]} ({self.expr(s.value)});", depth)
        elif isinstance(s, ast.Return):
            self.ret(s.value, depth)
        elif isinstance(s, ast.If):
            folded = self.constant_test(s.test)
            if folded is not None:
                for sub in (s.body if folded else s.orelse):
                    self.stmt(sub, depth)
                return
            self.emit(f"if ({self.expr(s.test)}) {{", depth)
            for sub in s.body:
                self.stmt(sub, depth + 1)
            if s.orelse:
                self.emit("} else {", depth)
                for sub in s.orelse:
                    self.stmt(sub, depth + 1)
            self.emit("}", depth)
        elif isinstance(s, ast.Pass):
            pass
        elif isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant):
            pass
        else:
            raise NotTranslatable(f"{self.where()}: statement {ast.dump(s)[:60]} does not translate")

    def local(self, name: str) -> str:
        if name in self.pointers or name in self.arrays:
            raise NotTranslatable(f"{self.where()}: {name} is rebound")
        self.scalars.setdefault(name)
        return self.cn(name)

    def assign(self, target, value, depth: int) -> None:
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) \
                and target.value.id in self.pointers:
            self.emit(f"{target.value.id}[{self.index(target.slice)}] = {self.expr(value)};", depth)
            return
        if isinstance(target, ast.Name):
            call = self.tuple_call(value)
            if call is not None:  # a name bound to a tuple from a call: a local array
                cname, args, k = call
                name = target.id
                if name in self.scalars or name in self.pointers:
                    raise NotTranslatable(f"{self.where()}: {name} holds a number and a tuple")
                self.arrays[name] = max(self.arrays.get(name, 0), k)
                self.emit(f"{cname}({', '.join([*args, self.cn(name)])});", depth)
                return
            self.emit(f"{self.local(target.id)} = {self.expr(value)};", depth)
            return
        if isinstance(target, ast.Tuple) and all(isinstance(e, ast.Name) for e in target.elts):
            names = [e.id for e in target.elts]
            if isinstance(value, ast.Tuple) and len(value.elts) == len(names):
                tmps = []
                for v in value.elts:  # evaluate every value before binding any name
                    tmp = self.temp_scalar()
                    self.emit(f"{tmp} = {self.expr(v)};", depth)
                    tmps.append(tmp)
                for name, tmp in zip(names, tmps):
                    self.emit(f"{self.local(name)} = {tmp};", depth)
                return
            call = self.tuple_call(value)
            if call is None or call[2] != len(names):
                raise NotTranslatable(f"{self.where()}: unpacking of {ast.dump(value)[:60]}")
            cname, args, k = call
            arr = self.temp_array(k)
            self.emit(f"{cname}({', '.join([*args, arr])});", depth)
            for i, name in enumerate(names):
                self.emit(f"{self.local(name)} = {arr}[{i}];", depth)
            return
        raise NotTranslatable(f"{self.where()}: assignment to {ast.dump(target)[:60]}")

    def ret(self, value, depth: int) -> None:
        if self.func is None:  # the generated rhs returns dydt
            self.emit("return;", depth)
            return
        if self.arity and not isinstance(value, ast.Tuple):  # the tuple of another function
            call = self.tuple_call(value)
            if call is None or call[2] != self.arity:
                raise NotTranslatable(f"{self.where()}: return of {ast.dump(value)[:60]}")
            self.emit(f"{call[0]}({', '.join([*call[1], 'nm_out'])});", depth)
            self.emit("return;", depth)
        elif self.arity:
            vals = [self.expr(v) for v in value.elts]
            for i, v in enumerate(vals):
                self.emit(f"nm_out[{i}] = {v};", depth)
            self.emit("return;", depth)
        else:
            self.emit(f"return {self.expr(value)};", depth)

    def temp_scalar(self) -> str:
        self.tmp += 1
        name = f"nm_t{self.tmp}"
        self.scalars[name] = None
        return name

    def temp_array(self, k: int) -> str:
        self.tmp += 1
        name = f"nm_a{self.tmp}"
        self.arrays[name] = k
        return name

    # expressions
    def resolve(self, name: str):
        if self.func is None:
            if name in self.tr.namespace:
                return self.tr.namespace[name]
            return {"math": math, "np": np, "numpy": np}.get(name, _MISSING)
        if name in self.func.__globals__:
            return self.func.__globals__[name]
        import builtins

        return getattr(builtins, name, _MISSING)

    def callee(self, node) -> tuple[str, object]:
        """``("c", name)`` for a C library function, ``("py", func)`` for a translated one,
        ``("builtin", name)`` for abs/min/max/float."""
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            mod = self.resolve(node.value.id)
            if isinstance(mod, types.ModuleType) and mod.__name__ in _MATH_MODULES and node.attr in _C_FUNCS:
                return "c", _C_FUNCS[node.attr]
            obj = getattr(mod, node.attr, None) if isinstance(mod, types.ModuleType) else None
            if isinstance(obj, types.FunctionType):
                return "py", obj
            raise NotTranslatable(f"{self.where()}: call of {node.value.id}.{node.attr}")
        if isinstance(node, ast.Name):
            if node.id in self.params or node.id in self.scalars:
                raise NotTranslatable(f"{self.where()}: call of the local {node.id}")
            obj = self.resolve(node.id)
            if obj in (abs, min, max, float):
                return "builtin", obj.__name__
            for mod in (math, np):
                for attr, cname in _C_FUNCS.items():
                    if getattr(mod, attr, None) is obj and obj is not None:
                        return "c", cname
            if isinstance(obj, types.FunctionType):
                return "py", obj
            raise NotTranslatable(f"{self.where()}: call of {node.id}")
        raise NotTranslatable(f"{self.where()}: call of {ast.dump(node)[:60]}")

    def tuple_call(self, node):
        """``(C name, argument texts, arity)`` if ``node`` calls a translated tuple function."""
        if not isinstance(node, ast.Call):
            return None
        kind, obj = self.callee(node.func)
        if kind != "py":
            return None
        cname, arity = self.tr.function(obj)
        if not arity:
            return None
        return cname, self.call_args(node, obj), arity

    def call_args(self, node: ast.Call, func) -> list[str]:
        if node.keywords:
            raise NotTranslatable(f"{self.where()}: keyword arguments in a call of {func.__qualname__}")
        args = [self.expr(a) for a in node.args]
        src = SCALAR_TWINS.get(func, func)
        n_params = src.__code__.co_argcount
        defaults = src.__defaults__ or ()
        missing = n_params - len(args)
        if missing < 0 or missing > len(defaults):
            raise NotTranslatable(f"{self.where()}: {func.__qualname__} called with {len(args)} arguments")
        if missing:
            args += [_literal(d) for d in defaults[len(defaults) - missing:]]
        return args

    def constant_test(self, node):
        """True/False for ``isinstance(x, float)``-style tests that are constant in compiled
        code (every value is a float scalar), else None."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "isinstance" \
                and len(node.args) == 2:
            kind = node.args[1]
            names = kind.elts if isinstance(kind, ast.Tuple) else [kind]
            for k in names:
                obj = self.resolve(k.id) if isinstance(k, ast.Name) else (
                    getattr(self.resolve(k.value.id), k.attr, None)
                    if isinstance(k, ast.Attribute) and isinstance(k.value, ast.Name) else None)
                if obj in (float, np.floating, np.float64):
                    return True
            return False
        return None

    def index(self, node) -> str:
        if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
            return str(node.value)
        raise NotTranslatable(f"{self.where()}: index {ast.dump(node)[:60]} is not a constant")

    def expr(self, node) -> str:
        if isinstance(node, ast.Constant):
            return _literal(node.value)
        if isinstance(node, ast.Name):
            if node.id in self.params or node.id in self.scalars:
                return self.cn(node.id)
            if node.id in self.arrays or node.id in self.pointers:
                raise NotTranslatable(f"{self.where()}: {node.id} used as a number")
            obj = self.resolve(node.id)
            if obj is _MISSING or isinstance(obj, (types.FunctionType, types.ModuleType)):
                raise NotTranslatable(f"{self.where()}: name {node.id}")
            return _literal(obj)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            mod = self.resolve(node.value.id)
            if isinstance(mod, types.ModuleType) and mod.__name__ in _MATH_MODULES and node.attr in _C_CONSTS:
                return _C_CONSTS[node.attr]
            obj = getattr(mod, node.attr, None) if isinstance(mod, types.ModuleType) else None
            if isinstance(obj, (int, float)):  # a module's numeric constant, frozen in as numba does
                return _literal(obj)
            raise NotTranslatable(f"{self.where()}: attribute {node.value.id}.{node.attr}")
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            name = node.value.id
            if name in self.pointers or name in self.arrays:
                return f"{self.cn(name)}[{self.index(node.slice)}]"
            raise NotTranslatable(f"{self.where()}: subscript of {name}")
        if isinstance(node, ast.BinOp):
            left, right = self.expr(node.left), self.expr(node.right)
            if type(node.op) in _BINOPS:
                return f"({left} {_BINOPS[type(node.op)]} {right})"
            if isinstance(node.op, ast.Pow):
                if isinstance(node.right, ast.Constant) and node.right.value in (2, 2.0):
                    return f"({left} * {left})" if isinstance(node.left, ast.Name) else f"pow({left}, 2.0)"
                return f"pow({left}, {right})"
            raise NotTranslatable(f"{self.where()}: operator {type(node.op).__name__}")
        if isinstance(node, ast.UnaryOp):
            operand = self.expr(node.operand)
            if isinstance(node.op, ast.USub):
                return f"(-{operand})"
            if isinstance(node.op, ast.UAdd):
                return operand
            if isinstance(node.op, ast.Not):
                return f"(!{operand})"
            raise NotTranslatable(f"{self.where()}: operator {type(node.op).__name__}")
        if isinstance(node, ast.BoolOp):
            op = " && " if isinstance(node.op, ast.And) else " || "
            return "(" + op.join(self.expr(v) for v in node.values) + ")"
        if isinstance(node, ast.Compare):
            parts, left = [], self.expr(node.left)
            for op, comp in zip(node.ops, node.comparators):
                if type(op) not in _CMPOPS:
                    raise NotTranslatable(f"{self.where()}: comparison {type(op).__name__}")
                right = self.expr(comp)
                parts.append(f"({left} {_CMPOPS[type(op)]} {right})")
                left = right
            return "(" + " && ".join(parts) + ")"
        if isinstance(node, ast.IfExp):
            folded = self.constant_test(node.test)
            if folded is not None:
                return self.expr(node.body if folded else node.orelse)
            return f"({self.expr(node.test)} ? {self.expr(node.body)} : {self.expr(node.orelse)})"
        if isinstance(node, ast.Call):
            kind, obj = self.callee(node.func)
            if node.keywords:
                raise NotTranslatable(f"{self.where()}: keyword arguments")
            if kind == "c":
                return f"{obj}({', '.join(self.expr(a) for a in node.args)})"
            if kind == "builtin":
                args = [self.expr(a) for a in node.args]
                if obj == "abs" and len(args) == 1:
                    return f"fabs({args[0]})"
                if obj == "float" and len(args) == 1:
                    return f"((double)({args[0]}))"
                if obj in ("min", "max") and len(args) == 2:
                    a, b = args
                    # Python's min(a, b) is b only if b < a; max(a, b) is b only if b > a
                    return f"nm_{obj}({a}, {b})"
                raise NotTranslatable(f"{self.where()}: {obj} with {len(args)} arguments")
            cname, arity = self.tr.function(obj)
            if arity:
                raise NotTranslatable(f"{self.where()}: a tuple of {obj.__qualname__} used as a number")
            return f"{cname}({', '.join(self.call_args(node, obj))})"
        raise NotTranslatable(f"{self.where()}: expression {ast.dump(node)[:60]}")


_MISSING = object()

_HELPERS = """\
static inline double nm_min(double a, double b) { return b < a ? b : a; }
static inline double nm_max(double a, double b) { return b > a ? b : a; }
/* numpy.maximum / numpy.minimum of two scalars: NaN if either is NaN */
static inline double nm_np_max(double a, double b) { return (a != a || b != b) ? NAN : (b > a ? b : a); }
static inline double nm_np_min(double a, double b) { return (a != a || b != b) ? NAN : (b < a ? b : a); }
"""


_SOURCES: dict = {}


def c_source(model) -> str:
    """The C translation unit of ``model``: its right-hand side and the integrator.

    Raises
    ------
    NotTranslatable
        If the model's equations use a construct that does not translate (module docstring).
    """
    if getattr(model, "array_states", None) or getattr(model, "constant_rows", None):
        raise NotTranslatable("compartmental models (array states) do not translate")
    text = model.source("rhs")
    ns = model.namespace()
    key = (text, tuple(sorted((k, id(v)) for k, v in ns.items())))
    if key in _SOURCES:
        if isinstance(_SOURCES[key], NotTranslatable):
            raise _SOURCES[key]
        return _SOURCES[key]
    try:
        tr = _Translator(ns)
        rhs = tr.rhs(text)
    except NotTranslatable as exc:
        _SOURCES[key] = exc
        raise
    except SyntaxError as exc:  # pragma: no cover - source of a component cannot be parsed
        _SOURCES[key] = NotTranslatable(str(exc))
        raise _SOURCES[key] from exc
    kernel = (Path(__file__).parent / "kernels" / "dopri5.c").read_text()
    includes, _, rest = kernel.partition("static const double C2")
    src = "\n".join([
        f"/* Generated by neuromuscle.engine.native (format {_FORMAT}): model {model.name}. */",
        includes.rstrip(), "", _HELPERS, *tr.prototypes, "", *tr.bodies, rhs,
        "/* the right-hand side on its own, for tests against the NumPy equations */",
        "void nm_rhs(double t, const double *y, const double *p, double I_stim, double *dydt) "
        "{ rhs(t, y, p, I_stim, dydt); }", "",
        "static const double C2" + rest,
    ])
    _SOURCES[key] = src
    return src


def supports(model) -> bool:
    """True if ``model``'s equations translate to C (:func:`c_source` raises nothing)."""
    try:
        c_source(model)
    except NotTranslatable:
        return False
    return True


_COMPILER: list = []


def compiler() -> str | None:
    """Path of the C compiler (``$CC``, else ``cc``, ``gcc`` or ``clang``), or None."""
    if not _COMPILER:
        found = None
        for name in (os.environ.get("CC"), "cc", "gcc", "clang"):
            if name:
                found = shutil.which(name)
                if found:
                    break
        _COMPILER.append(found)
    return _COMPILER[0]


def _cache_folder() -> Path | None:
    path = cache_base() / f"native-{platform.machine()}-{sys.platform}"
    try:
        make_writable_folder(path)
    except OSError:
        return None
    return path


_LIBS: dict[str, ctypes.CDLL] = {}
_TEMP_DIRS: list = []


def _hash(src: str) -> str:
    h = hashlib.sha256(f"{_FORMAT} {' '.join(CFLAGS)} {compiler()}".encode())
    h.update(src.encode())
    return h.hexdigest()[:24]


def library(model) -> ctypes.CDLL:
    """The loaded library of ``model`` (compiled once per machine, then read from the cache).

    Raises
    ------
    NotTranslatable
        If the model does not translate.
    RuntimeError
        If no C compiler is found or compilation fails (the message holds the compiler's).
    """
    src = c_source(model)
    key = _hash(src)
    if key in _LIBS:
        return _LIBS[key]
    folder = _cache_folder()
    if folder is None:
        tmp = tempfile.TemporaryDirectory(prefix="neuromuscle-native-")
        _TEMP_DIRS.append(tmp)
        folder = Path(tmp.name)
    path = folder / f"nm_{key}.so"
    if not path.exists():
        cc = compiler()
        if cc is None:
            raise RuntimeError("the native engine needs a C compiler (set CC, or install cc, gcc or clang)")
        fd, c_file = tempfile.mkstemp(dir=folder, prefix=f".nm_{key}-", suffix=".c")
        with os.fdopen(fd, "w") as fh:
            fh.write(src)
        out = c_file[:-2] + ".so"
        try:
            proc = subprocess.run([cc, *CFLAGS, "-o", out, c_file, "-lm"], capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"the C compiler {cc} failed on the model's equations: "
                                   f"{(proc.stderr or proc.stdout).strip()[:2000]}")
            os.replace(out, path)  # atomic: a worker never loads a half-written library
        finally:
            for f in (c_file, out):
                if os.path.exists(f):
                    os.unlink(f)
    lib = ctypes.CDLL(str(path))
    fn = lib.nm_dopri_batch
    i64, dbl, ptr = ctypes.c_int64, ctypes.c_double, ctypes.c_void_p
    fn.restype = i64
    fn.argtypes = [i64, i64, ptr, i64, ptr, i64, ptr, ptr, ptr, ptr, ptr, dbl, dbl, dbl, i64, dbl, ptr, i64, ptr,
                   i64, ptr, i64, i64, ptr, ptr, ptr, ptr, ptr, ptr]
    lib.nm_rhs.restype = None
    lib.nm_rhs.argtypes = [dbl, ptr, ptr, dbl, ptr]
    _LIBS[key] = lib
    return lib


def native_rhs(model) -> Callable:
    """The model's right-hand side from its native library, ``rhs(t, y, p, I_stim) -> dydt``
    (``p`` the full parameter vector, :meth:`~neuromuscle.model.Model.full_parameters`)."""
    lib = library(model)
    n = len(model.state_names)

    def rhs(t: float, y, p, I_stim: float) -> np.ndarray:
        y = np.ascontiguousarray(y, dtype=np.float64)
        p = np.ascontiguousarray(p, dtype=np.float64)
        if y.shape != (n,):
            raise ValueError(f"y has shape {y.shape}; model {model.name} has {n} states")
        out = np.empty(n)
        lib.nm_rhs(float(t), y.ctypes.data, p.ctypes.data, float(I_stim), out.ctypes.data)
        return out

    return rhs


class NativeEngine(ExplicitEngine):
    name = "native"
    description = "Dormand-Prince 5(4) compiled by the system C compiler, for non-stiff models"
    unavailable = "no C compiler is found"

    def available(self) -> bool:
        return compiler() is not None

    def usable(self, model) -> bool:
        """True if this engine can run ``model`` here: its equations translate and its
        library loads (from the cache, or compiled now). A compiler's failure is reported
        once as a :class:`NativeWarning` and the model is left to the other engines."""
        try:
            library(model)
        except NotTranslatable:
            return False
        except (RuntimeError, OSError) as exc:
            key = c_source(model)
            if key not in _FAILED:
                _FAILED.add(key)
                warnings.warn(f"the native engine cannot build model {model.name} ({exc}); using numba",
                              NativeWarning, stacklevel=3)
            return False
        return True

    def prepare(self, problem: base.Problem):
        try:
            return library(problem.model)
        except NotTranslatable as exc:
            raise ValueError(f"engine 'native' cannot run model {problem.model.name}: {exc}") from exc

    @staticmethod
    def lanes(problem: base.Problem) -> int:
        return 1

    def run(self, problem: base.Problem) -> base.Outcome:
        if problem.sample_t is None:
            raise ValueError("the native engine needs an output grid (sample_t)")
        lib = self.prepare(problem)
        out = problem.empty_outcome("DOP5 (native C)")
        a, b, t0, C, S = problem.segments()
        Y = np.array(problem.y0, dtype=float, order="C")
        P, a, b, t0, C, S, sample_t = (np.ascontiguousarray(x, dtype=float)
                                       for x in (problem.p, a, b, t0, C, S, problem.sample_t))
        skip = np.ascontiguousarray(problem.bad, dtype=np.uint8)
        n_fev = np.zeros(problem.n, dtype=np.int64)
        n, n_cells = Y.shape
        rc = lib.nm_dopri_batch(
            n, n_cells, Y.ctypes.data, P.shape[0], P.ctypes.data, a.size, a.ctypes.data, b.ctypes.data,
            t0.ctypes.data, C.ctypes.data, S.ctypes.data, float(problem.rtol), float(problem.atol),
            float(problem.max_step), int(problem.iv), float(problem.threshold), out.spikes.ctypes.data,
            out.spikes.shape[1], sample_t.ctypes.data, sample_t.size, out.samples.ctypes.data,
            int(problem.max_steps), int(bool(problem.options.get("stiff_check", False))), skip.ctypes.data,
            out.status.ctypes.data, out.t_reached.ctypes.data, out.n_spikes.ctypes.data, out.n_steps.ctypes.data,
            n_fev.ctypes.data)
        if rc != 0:
            raise MemoryError("the native engine could not allocate its work arrays")
        self._finish(problem, out, Y, n_fev)
        self._continue_stiff_cells(problem, out)
        return out
