"""Phase diagrams of the motor-axon node over Ca x Mg and K x Na.

For every point of each grid the equilibria of the node and the eigenvalues of the
Jacobian there classify the membrane as quiescent, bistable, without a stable rest state
(it oscillates / fires) or stuck depolarised; points next to a class boundary are then
simulated (1 mV kick from rest, no stimulus) to confirm whether they fire. A coarser grid
gives the threshold current for a 0.1 ms pulse.

What to look for: over the whole clinical range of ionised Ca and Mg the node stays
quiescent -- its threshold falls as the divalents fall, but it does not fire on its own.
High K depolarises the node; very high K (well above the clinical range) removes the
stable rest state. Low Na hardly matters.

Run: ``python experiments/axon_phase_diagrams.py [--quick] [--out DIR]`` (2 processes).
"""

from __future__ import annotations

import numpy as np

from neuromuscle.models.motor_axon import motor_axon
from neuromuscle.reporting import experiment_main, format_table, output_dir
from neuromuscle.sweep import STABILITY_CLASSES, stability_map, sweep

GRIDS = {
    "Ca x Mg": {"ca": (0.3, 1.6), "mg": (0.05, 1.5)},
    "K x Na": {"k": (1.5, 12.0), "na": (110.0, 160.0)},
}


def run(quick: bool = False, out=None, show_progress: bool = True) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm, ListedColormap

    from neuromuscle.plotting import plot_map

    folder = output_dir("axon_phase_diagrams", out)
    model = motor_axon()
    n_fine, n_coarse = (8, 4) if quick else (40, 12)
    results = {}
    cmap = ListedColormap(["#4c72b0", "#dd8452", "#c44e52", "#8c8c8c"])
    norm = BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5], cmap.N)
    fig, axes = plt.subplots(2, 2, figsize=(12, 9))
    rows = []
    for r, (title, grid) in enumerate(GRIDS.items()):
        axes_fine = {k: np.linspace(*v, n_fine) for k, v in grid.items()}
        axes_coarse = {k: np.linspace(*v, n_coarse) for k, v in grid.items()}
        smap = stability_map(model, axes_fine, n_jobs=2, progress=show_progress)
        thr = sweep(model, axes_coarse, metrics=["threshold:0.1"], n_jobs=2, progress=show_progress)
        x, y = list(grid)[0], list(grid)[1]
        plot_map(smap, "stability", x=x, y=y, ax=axes[r, 0], cmap=cmap)
        axes[r, 0].collections[0].set_norm(norm)
        axes[r, 0].set_title(f"{title}: stability class", fontsize=10)
        plot_map(thr, "threshold_0.1ms", x=x, y=y, ax=axes[r, 1], contour=True)
        axes[r, 1].set_title(f"{title}: threshold, 0.1 ms pulse", fontsize=10)
        counts = {c: int(np.sum(smap.stability.values == c)) for c in STABILITY_CLASSES}
        rows.append([title, *[counts[c] for c in STABILITY_CLASSES], smap.attrs["boundary_points"],
                     smap.attrs["boundary_agreement"]])
        results[title] = {"stability": smap, "threshold": thr}
    fig.suptitle("Motor-axon node, 37 C: classes 0 quiescent (blue), 1 bistable (orange), "
                 "2 no stable rest (red), 3 depolarised (grey)", fontsize=10)
    fig.tight_layout()
    fig.savefig(folder / "axon_phase_diagrams.png", dpi=120)
    plt.close(fig)
    print(format_table(rows, ["grid", "quiescent", "bistable", "no stable rest", "depolarised",
                              "boundary points simulated", "agreement"]))
    k_na = results["K x Na"]["stability"]
    unstable = k_na.stability.where(k_na.stability == 2, drop=True)
    if unstable.size:
        print(f"\nK x Na: the rest state is lost above K = {float(unstable.k.min()):.1f} mM (at some Na).")
    print(f"\nfigures written to {folder.resolve()}")
    return results


def main(argv=None):
    return experiment_main(run, __doc__, "axon_phase_diagrams", argv)


if __name__ == "__main__":
    main()
