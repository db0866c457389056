"""Plotting helpers. matplotlib is imported inside the functions, never at import time,
so the package imports fast and works without a display."""

from __future__ import annotations

__all__ = ["plot_traces", "axis_label"]


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
