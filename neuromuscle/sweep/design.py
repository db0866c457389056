"""Where a sweep looks: grids, point lists, Latin hypercubes, and what a name on an axis means."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..electrolytes import PARAMETER_OF_FIELD, Electrolytes, model_parameters
from ..model import Model

__all__ = ["latin_hypercube", "Design", "make_design", "ELECTROLYTE_FIELDS", "electrolyte_parameters",
           "parameter_of", "check_axis_values"]

#: Electrolyte fields an axis may name: each is the model parameter it maps to
#: (:data:`neuromuscle.electrolytes.PARAMETER_OF_FIELD`), so an electrolyte axis is a parameter axis.
ELECTROLYTE_FIELDS = tuple(PARAMETER_OF_FIELD)


def electrolyte_parameters(model: Model, base: Electrolytes | None) -> dict:
    """Parameter overrides that put ``model`` in the electrolytes ``base`` (none: its own).

    With :func:`parameter_of`, the one place where the sweep turns electrolytes into
    model parameters.
    """
    return model_parameters(model, base) if base is not None else {}


def parameter_of(name: str) -> str:
    """The model parameter an axis name sets (an electrolyte field maps to its parameter)."""
    return PARAMETER_OF_FIELD.get(name, name)


def axis_kind(model: Model, name: str) -> str:
    """``"amplitude"`` or ``"parameter"``; ValueError if ``name`` cannot be swept."""
    if name == "amplitude":
        return "amplitude"
    if isinstance(name, str) and name in model.parameter_index:
        return "parameter"
    if name in ELECTROLYTE_FIELDS:
        if PARAMETER_OF_FIELD[name] not in model.parameter_index:
            raise ValueError(f"axis {name!r}: model {model.name} has no parameter {PARAMETER_OF_FIELD[name]!r}, so "
                             f"this electrolyte cannot be swept; its parameters are "
                             f"{', '.join(model.parameter_names)}")
        return "parameter"
    raise ValueError(
        f"axis {name!r} is not a parameter of {model.name} ({', '.join(model.parameter_names)}), "
        f"an electrolyte ({', '.join(ELECTROLYTE_FIELDS)}) or 'amplitude'"
    )


def check_axis_values(model: Model, name: str, values: np.ndarray) -> None:
    """Refuse, before any point runs, a value no point could use (out of bounds, not finite)."""
    values = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(values)):
        raise ValueError(f"axis {name!r}: value {values[~np.isfinite(values)][0]} is not finite")
    if axis_kind(model, name) == "parameter":
        try:
            model.parameter_vector({parameter_of(name): values})
        except ValueError as exc:
            raise ValueError(f"axis {name!r}: {exc}") from None


def latin_hypercube(bounds: Mapping[str, tuple[float, float]], n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """``n`` points of a Latin hypercube over ``bounds`` (reproducible with ``seed``)."""
    from scipy.stats import qmc

    names = list(bounds)
    unit = qmc.LatinHypercube(d=len(names), seed=seed).random(n)
    lo = np.array([bounds[k][0] for k in names], dtype=float)
    hi = np.array([bounds[k][1] for k in names], dtype=float)
    return {k: lo[i] + unit[:, i] * (hi[i] - lo[i]) for i, k in enumerate(names)}


@dataclass
class Design:
    """The points of a sweep: ``values[i]`` holds point ``i``'s value of each of ``names``."""

    kind: str  # "grid", "points" or "latin hypercube"
    names: list[str]
    values: np.ndarray  # (n_points, n_names)
    shape: tuple[int, ...]  # result shape (grid dims, or (n_points,))
    grids: list[np.ndarray] | None = None  # axis values of a grid

    @property
    def n_points(self) -> int:
        return self.values.shape[0]


def _floats(label: str, values) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise TypeError(f"{label} = {values!r} must be a sequence of numbers") from None
    return arr


def make_design(axes=None, points=None, lhs=None, n_samples=None, seed=0) -> Design:
    """A :class:`Design` from exactly one of ``axes`` (grid), ``points`` or ``lhs``."""
    given = [x is not None for x in (axes, points, lhs)]
    if sum(given) != 1:
        raise ValueError("give exactly one of axes= (grid), points= (list) or lhs= (Latin hypercube)")
    for label, m in (("axes", axes), ("points", points), ("lhs", lhs)):
        if m is not None and (not isinstance(m, Mapping) or not m):
            raise TypeError(f"{label} = {m!r} must be a non-empty mapping of name to values")
    if lhs is not None:
        if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
            raise ValueError(f"n_samples = {n_samples!r}: a Latin hypercube needs a whole number of samples >= 1")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"seed = {seed!r} must be an integer")
        for k, b in lhs.items():
            lo_hi = _floats(f"lhs[{k!r}]", b)
            if lo_hi.size != 2 or not np.all(np.isfinite(lo_hi)) or lo_hi[0] >= lo_hi[1]:
                raise ValueError(f"lhs[{k!r}] = {b!r} must be (low, high) with finite low < high")
        cols = latin_hypercube(lhs, int(n_samples), int(seed))
        names = list(cols)
        values = np.column_stack([cols[k] for k in names])
        return Design("latin hypercube", names, values, (values.shape[0],))
    if axes is not None:
        names = list(axes)
        grids = [_floats(f"axis {k!r}", axes[k]) for k in names]
        for k, g in zip(names, grids):
            if g.size == 0:
                raise ValueError(f"axis {k!r} has no values; every axis needs at least one")
        mesh = np.meshgrid(*grids, indexing="ij")
        values = np.column_stack([g.ravel() for g in mesh])
        return Design("grid", names, values, tuple(g.size for g in grids), grids)
    names = list(points)
    cols = [_floats(f"points[{k!r}]", points[k]) for k in names]
    if len({c.size for c in cols}) != 1 or cols[0].size == 0:
        raise ValueError(f"points: every quantity needs the same number (>= 1) of values, got {[c.size for c in cols]}")
    values = np.column_stack(cols)
    return Design("points", names, values, (values.shape[0],))
