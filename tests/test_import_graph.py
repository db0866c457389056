"""The package's import graph, read from the source with :mod:`ast`: no import cycle and
no import that runs up a layer.

The layers, lowest first, are :data:`LAYERS` (also in docs/architecture.md). A module may
import modules of its own layer or of lower layers; every import counts, including those
inside functions (a lazy import is still a dependency). Cycles are looked for among
modules: an edge from a module to its own package (``engine.batch`` reading
``engine.ENGINES``) is the package's namespace, not a cycle, and is left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "neuromuscle"

#: Layers, lowest first: (name, module prefixes relative to ``neuromuscle``). ``""`` is the
#: package namespace (``neuromuscle/__init__.py``), which re-exports the public API.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("_version", "constants", "ions", "citations", "mathfn", "_validate", "electrochem", "acid_base",
                    "electrolytes", "plotting")),
    ("components", ("components",)),
    ("model", ("model", "protocols")),
    ("solvers", ("engine", "steady", "simulation")),
    ("models", ("models",)),
    ("analysis", ("analysis", "sweep")),
    ("studies", ("studies", "reporting")),
    ("namespace", ("",)),
    ("applications", ("claims", "cli", "explore")),
]


def _modules() -> dict[str, tuple[Path, bool]]:
    out = {}
    for f in PACKAGE.rglob("*.py"):
        parts = list(f.relative_to(PACKAGE).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        out[".".join(parts)] = (f, is_pkg)
    return out


MODULES = _modules()


def _targets(module: str, is_pkg: bool, node: ast.AST) -> list[str]:
    """Package modules (relative names, ``""`` for the namespace) an import statement reads."""
    def rel(name: str) -> str | None:
        if name == "neuromuscle":
            return ""
        return name[len("neuromuscle."):] if name.startswith("neuromuscle.") else None

    if isinstance(node, ast.Import):
        return [r for a in node.names if (r := rel(a.name)) is not None]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        base = module.split(".") if module else []
        if not is_pkg:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        name = ".".join(base + ([node.module] if node.module else []))
    else:
        r = rel(node.module or "")
        if r is None:
            return []
        name = r
    out = []
    for alias in node.names:  # "from . import x": the submodule x if there is one
        sub = f"{name}.{alias.name}" if name else alias.name
        out.append(sub if sub in MODULES else name)
    return out


def _graph() -> dict[str, set[str]]:
    graph = {}
    for module, (path, is_pkg) in MODULES.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        graph[module] = {t for n in ast.walk(tree) for t in _targets(module, is_pkg, n) if t != module}
    return graph


def _layer(module: str) -> int:
    best = None
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if module == p or (p and module.startswith(p + ".")):
                if best is None or len(p) > best[1]:
                    best = (i, len(p))
    if best is None:
        raise AssertionError(f"module neuromuscle.{module} is in no layer: add it to LAYERS (and the docs)")
    return best[0]


def _is_ancestor(package: str, module: str) -> bool:
    return package == "" or module.startswith(package + ".")


def test_every_module_has_a_layer():
    for module in MODULES:
        _layer(module)


def test_no_upward_import():
    graph = _graph()
    upward = [f"neuromuscle.{m or '__init__'} ({LAYERS[_layer(m)][0]}) imports neuromuscle.{t or '__init__'} "
              f"({LAYERS[_layer(t)][0]})"
              for m, targets in sorted(graph.items()) for t in sorted(targets) if _layer(t) > _layer(m)]
    assert not upward, "imports that run up a layer:\n" + "\n".join(upward)


def test_no_import_cycle():
    graph = {m: {t for t in ts if not _is_ancestor(t, m)} for m, ts in _graph().items()}
    cycles, state = [], {}

    def visit(m, path):
        state[m] = "open"
        for t in sorted(graph.get(m, ())):
            if state.get(t) == "open":
                cycles.append(" -> ".join(path[path.index(t):] + [t]))
            elif t not in state:
                visit(t, path + [t])
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_checker_sees_upward_and_cyclic_imports(tmp_path):
    # the parser resolves relative imports as Python does
    node = ast.parse("from ..model import Model\nfrom . import base\nimport neuromuscle.steady").body
    assert _targets("components.membrane", False, node[0]) == ["model"]
    assert _targets("components.membrane", False, node[1]) == ["components.base"]
    assert _targets("analysis", True, node[2]) == ["steady"]
    assert _layer("model") < _layer("simulation") < _layer("analysis.spikes") < _layer("claims.base")
    with pytest.raises(AssertionError, match="no layer"):
        _layer("nowhere")


def test_the_namespace_imports_analysis_on_first_use():
    # a script that only simulates does not import the analysis package; nm.analysis still works
    import os
    import subprocess
    import sys

    code = ("import sys, neuromuscle as nm\n"
            "print('neuromuscle.analysis' in sys.modules)\n"
            "print(nm.analysis.spike_times.__module__, 'analysis' in dir(nm))\n"
            "from neuromuscle import *\n"
            "print(analysis.__name__)\n")
    env = dict(os.environ, PYTHONPATH=str(PACKAGE.parent))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                         timeout=120).stdout.split()
    assert out == ["False", "neuromuscle.analysis.spikes", "True", "neuromuscle.analysis"]
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        import neuromuscle

        neuromuscle.not_a_name  # noqa: B018
