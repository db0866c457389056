"""Plotting helpers and the package's figure style.

One look for the experiments, the docs and the explorer: :func:`use_style` sets it
(a colour-blind-safe palette, :data:`PALETTE`; readable sizes; no top/right spines), the
helpers label every axis with its quantity and unit, and :func:`text_problems` finds
clipped or overlapping text in a drawn figure (the docs build and the tests check every
experiment figure with it).

matplotlib is imported inside the functions, never at import time, so the package imports
fast and works without a display.
"""

from __future__ import annotations

__all__ = ["plot_traces", "axis_label", "plot_map", "plot_line", "PALETTE", "COLOURS", "STYLE", "use_style",
           "text_problems", "label_problems"]

#: Okabe & Ito's colour-blind-safe palette (Okabe M, Ito K 2008, "Color Universal Design"),
#: in the order the style cycles through it; yellow last because it is faint on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")

#: Fixed colours for the quantities that recur across figures, so a reader learns them once.
COLOURS = {"V": "#0072B2", "Ca": "#009E73", "force": "#D55E00", "atp": "#E69F00", "threshold": "#CC79A7",
           "rest": "#000000"}

#: matplotlib rcParams of the package style.
STYLE = {
    "axes.prop_cycle": None,  # filled in by use_style (needs matplotlib's cycler)
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "grid.linewidth": 0.6,
    "axes.titlesize": 10,
    "axes.titleweight": "normal",
    "axes.labelsize": 9.5,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "lines.linewidth": 1.4,
    "font.size": 9.5,
    "figure.dpi": 100,
    "savefig.dpi": 120,
    "image.cmap": "viridis",
}


def use_style() -> None:
    """Set the package's figure style (:data:`STYLE`, :data:`PALETTE`) in matplotlib's rcParams."""
    import matplotlib as mpl
    from cycler import cycler

    style = dict(STYLE, **{"axes.prop_cycle": cycler(color=list(PALETTE))})
    mpl.rcParams.update(style)


def _texts(fig):
    """Visible, non-empty text artists that ``fig`` draws.

    Tick labels count only for the ticks an axis draws (matplotlib keeps labels of ticks
    outside the view limits, which it does not draw).
    """
    from matplotlib.text import Text

    all_ticks, drawn = set(), set()
    for ax in fig.axes:
        for axis in (getattr(ax, "xaxis", None), getattr(ax, "yaxis", None)):
            if axis is None:
                continue
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                all_ticks.update({id(tick.label1), id(tick.label2)})
            if not axis.get_visible():  # e.g. the shared x axis of a twinx axes
                continue
            for tick in axis._update_ticks():
                if tick.label1On if hasattr(tick, "label1On") else True:
                    drawn.add(id(tick.label1))
                if tick.label2On if hasattr(tick, "label2On") else True:
                    drawn.add(id(tick.label2))
    out = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip():
            continue
        if t.axes is not None and not t.axes.get_visible():
            continue
        if id(t) in all_ticks and id(t) not in drawn:
            continue
        out.append(t)
    return out


def _describe(t) -> str:
    text = " ".join(t.get_text().split())
    return repr(text[:40] + ("..." if len(text) > 40 else ""))


def text_problems(fig, tolerance: float = 1.0) -> list[str]:
    """Clipped or overlapping text in ``fig``, as readable sentences (empty if none).

    Draws the figure, then compares the bounding boxes (display pixels) of all visible
    text: a text that reaches outside the figure by more than ``tolerance`` pixels is
    clipped; two texts whose boxes overlap by more than ``tolerance`` pixels in both
    directions overlap. Tick labels are included (crowded ticks overlap too); a text
    inside a legend is only compared with text outside that legend's axes.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not hasattr(fig.canvas, "get_renderer"):  # a bare Figure: give it an Agg canvas
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    fbox = fig.bbox
    texts = _texts(fig)
    boxes = []
    problems = []
    for t in texts:
        try:
            b = t.get_window_extent(renderer)
        except Exception:  # pragma: no cover - artists without an extent
            continue
        if b.width <= 0 or b.height <= 0:
            continue
        if (b.x0 < fbox.x0 - tolerance or b.y0 < fbox.y0 - tolerance or b.x1 > fbox.x1 + tolerance
                or b.y1 > fbox.y1 + tolerance):
            problems.append(f"text {_describe(t)} is cut off at the figure's edge")
        boxes.append((t, b))
    for i in range(len(boxes)):
        ti, bi = boxes[i]
        for j in range(i + 1, len(boxes)):
            tj, bj = boxes[j]
            dx = min(bi.x1, bj.x1) - max(bi.x0, bj.x0)
            dy = min(bi.y1, bj.y1) - max(bi.y0, bj.y0)
            if dx > tolerance and dy > tolerance:
                problems.append(f"text {_describe(ti)} overlaps {_describe(tj)}")
    return problems


def label_problems(fig) -> list[str]:
    """Axes of ``fig`` that show data without a labelled x or y axis (empty if none).

    An x (y) axis shared with a labelled axes of the same column (row) counts as labelled. Colour
    bars must carry a label too.
    """
    problems = []
    axes = [a for a in fig.axes if a.get_visible()]
    for ax in axes:
        has_data = bool(ax.lines or ax.collections or ax.images or ax.patches)
        is_cbar = hasattr(ax, "_colorbar") or ax.get_label() == "<colorbar>"
        if is_cbar:
            if not (ax.get_ylabel().strip() or ax.get_xlabel().strip()):
                problems.append("a colour bar has no label")
            continue
        if not has_data:
            continue
        name = ax.get_title() or f"axes {axes.index(ax)}"
        if not ax.get_ylabel().strip():
            shared = ax.get_shared_y_axes().get_siblings(ax)
            if not any(s.get_ylabel().strip() for s in shared if s is not ax):
                problems.append(f"{name!r}: the y axis has no label")
        if not ax.get_xlabel().strip():
            shared = ax.get_shared_x_axes().get_siblings(ax)
            if not any(s.get_xlabel().strip() for s in shared if s is not ax):
                problems.append(f"{name!r}: the x axis has no label")
    return problems


def axis_label(model, name: str) -> str:
    """``"description (unit)"`` for a model variable."""
    info = model.info(name)
    return f"{info.description} ({info.unit})" if info.unit not in ("", "1") else info.description


def _short_label(model, name: str) -> str:
    """``"name (unit)"``: short enough for a y axis of a stacked panel."""
    unit = model.info(name).unit
    return f"{name} ({unit})" if unit not in ("", "1") else f"{name} (1)"


def plot_traces(result, names, ax=None):
    """Plot named traces of a :class:`~neuromuscle.simulation.SimulationResult` against time.

    Without ``ax``: one panel per name, sharing the time axis; each y axis is labelled with
    the name and unit, the panel's title says what the quantity is. With ``ax``: all traces on
    that axes, with a legend (the y label gives the unit, or the units).
    """
    import matplotlib.pyplot as plt

    names = list(names)
    model = result.model
    if ax is None:
        use_style()
        fig, axes = plt.subplots(len(names), 1, sharex=True, figsize=(7, 1.3 + 1.6 * len(names)), squeeze=False)
        axes = list(axes[:, 0])
        for a, name in zip(axes, names):
            a.plot(result.t, result[name])
            a.set_ylabel(_short_label(model, name))
            a.set_title(model.info(name).description, loc="left", fontsize="small")
        axes[-1].set_xlabel("time (ms)")
        fig.align_ylabels(axes)
        fig.tight_layout()
        return axes
    units = []
    for name in names:
        info = model.info(name)
        ax.plot(result.t, result[name], label=f"{name}: {info.description}")
        if info.unit not in units:
            units.append(info.unit)
    if len(names) == 1:
        ax.set_ylabel(_short_label(model, names[0]))
    else:
        ax.set_ylabel(", ".join(u if u not in ("", "1") else "1" for u in units))
        ax.legend()
    ax.set_xlabel("time (ms)")
    return [ax]


def _label(da, width: int = 36) -> str:
    """``"long_name (units)"`` from a data array's attributes, wrapped onto lines of at most
    ``width`` characters (a long name on a y axis otherwise runs off the figure)."""
    import textwrap

    name = da.attrs.get("long_name", da.name)
    unit = da.attrs.get("units", "")
    text = f"{name} ({unit})" if unit not in ("", "1") else str(name)
    return "\n".join(textwrap.wrap(text, width)) or text


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
