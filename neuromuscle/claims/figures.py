"""One figure per claim, drawn from the panels its measurement returns.

A panel is a dict: ``{"kind": "bar", "title", "ylabel", "labels", "values", "threshold"?}``
or ``{"kind": "line", "title", "xlabel", "ylabel", "series": [{"label", "x", "y"}]}``. A
``threshold`` (with ``threshold_label``) is drawn as a dashed line: the criterion's value, so
the reader sees where the verdict's line is.
"""

from __future__ import annotations

import textwrap

import numpy as np

__all__ = ["draw_panels"]


def draw_panels(data: dict, numbers: dict, path: str, title: str = "") -> None:
    """Draw ``data["panels"]`` side by side into ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = data.get("panels") or [{"kind": "text", "title": "nothing measured",
                                     "text": "no simulation ran for this claim"}]
    fig, axes = plt.subplots(1, len(panels), figsize=(4.4 * len(panels), 3.8), squeeze=False)
    for ax, p in zip(axes[0], panels):
        kind = p.get("kind", "bar")
        if kind == "bar":
            values = np.array([np.nan if v is None else float(v) for v in p["values"]])
            colors = p.get("colors") or [f"C{i % 10}" for i in range(len(values))]
            ax.bar(range(len(values)), np.nan_to_num(values), color=colors)
            for i, v in enumerate(values):
                ax.text(i, 0 if not np.isfinite(v) else v, "n/a" if not np.isfinite(v) else f"{v:.3g}",
                        ha="center", va="bottom" if (not np.isfinite(v) or v >= 0) else "top", fontsize=7)
            ax.set_xticks(range(len(values)))
            ax.set_xticklabels(p["labels"], rotation=20, ha="right", fontsize=7)
            ax.axhline(0.0, color="0.5", lw=0.6)
        elif kind == "line":
            for s in p["series"]:
                ax.plot(np.asarray(s["x"]), np.asarray(s["y"]), s.get("style", "-"), label=s["label"], lw=1.2)
            ax.set_xlabel(p.get("xlabel", ""))
            ax.legend(frameon=False, fontsize=7)
        else:
            ax.axis("off")
            ax.text(0.5, 0.5, p.get("text", ""), ha="center", va="center", wrap=True, fontsize=9,
                    transform=ax.transAxes)
        if p.get("threshold") is not None:
            ax.axhline(p["threshold"], color="C3", ls="--", lw=1)
            ax.text(ax.get_xlim()[0], p["threshold"], " " + p.get("threshold_label", "criterion"), color="C3",
                    fontsize=7, va="bottom")
        ax.set_title("\n".join(textwrap.wrap(p.get("title", ""), 46)), fontsize=9)
        ax.set_ylabel(p.get("ylabel", ""), fontsize=8)
        ax.tick_params(labelsize=7)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
