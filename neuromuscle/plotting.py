"""Plotting helpers. matplotlib is imported inside the functions, never at import time,
so the package imports fast and works without a display."""

from __future__ import annotations

__all__ = ["plot_traces", "axis_label", "plot_map", "plot_line"]


def axis_label(model, name: str) -> str:
    """``"description (unit)"`` for a model variable."""
    info = model.info(name)
    return f"{info.description} ({info.unit})" if info.unit not in ("", "1") else info.description


def plot_traces(result, names, ax=None):
    """Plot named traces of a :class:`~neuromuscle.simulation.SimulationResult` against time."""
    import matplotlib.pyplot as plt

    names = list(names)
    if ax is None:
        fig, axes = plt.subplots(len(names), 1, sharex=True, figsize=(7, 2.2 * len(names)), squeeze=False)
        axes = axes[:, 0]
    else:
        axes = [ax] * len(names)
    for a, name in zip(axes, names):
        a.plot(result.t, result[name], lw=1)
        a.set_ylabel(axis_label(result.model, name))
    axes[-1].set_xlabel("Time (ms)")
    return axes


def _label(da) -> str:
    name = da.attrs.get("long_name", da.name)
    unit = da.attrs.get("units", "")
    return f"{name} ({unit})" if unit not in ("", "1") else str(name)


def plot_map(ds, var: str, x: str | None = None, y: str | None = None, *, ax=None, contour: bool = False,
             levels=None, cmap: str = "viridis"):
    """Heatmap (or filled contours) of ``ds[var]`` over two swept quantities.

    Axis and colour-bar labels come from the ``long_name`` and ``units`` attributes that
    :func:`neuromuscle.sweep.sweep` writes.
    """
    import matplotlib.pyplot as plt

    da = ds[var]
    dims = list(da.dims)
    if len(dims) != 2:
        raise ValueError(f"{var} has dimensions {dims}; a map needs exactly two")
    x = x or dims[1]
    y = y or [d for d in dims if d != x][0]
    da = da.transpose(y, x)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    xs, ys = ds[x].values, ds[y].values
    if contour:
        mappable = ax.contourf(xs, ys, da.values, levels=levels or 12, cmap=cmap)
    else:
        mappable = ax.pcolormesh(xs, ys, da.values, shading="nearest", cmap=cmap)
    cbar = ax.figure.colorbar(mappable, ax=ax)
    cbar.set_label(_label(da))
    ax.set_xlabel(_label(ds[x]))
    ax.set_ylabel(_label(ds[y]))
    return ax


def plot_line(ds, var: str, x: str | None = None, *, ax=None, **kw):
    """``ds[var]`` against one swept quantity, labelled from the attributes."""
    import matplotlib.pyplot as plt

    da = ds[var]
    x = x or da.dims[0]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    ax.plot(ds[x].values, da.values, "o-", **kw)
    ax.set_xlabel(_label(ds[x]))
    ax.set_ylabel(_label(da))
    return ax
