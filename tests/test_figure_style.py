"""The figure style and its checker, the experiment data files and the printed tables."""

import dataclasses
import json

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from neuromuscle.plotting import PALETTE, label_problems, text_problems, use_style  # noqa: E402
from neuromuscle.reporting import TABLE_WIDTH, format_table, to_jsonable, write_results  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _clean_figure():
    use_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("V (mV)")
    fig.tight_layout()
    return fig


def test_clean_figure_has_no_problems():
    fig = _clean_figure()
    assert text_problems(fig) == []
    assert label_problems(fig) == []


def test_clipped_label_is_found():
    # the y label of a big-font axis pushed against the left edge: cut off, as `plot ... rate` was
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1])
    ax.set_ylabel("a long label (uA/cm2)", fontsize=14)
    fig.subplots_adjust(left=0.02)
    problems = text_problems(fig)
    assert any("cut off" in p and "long label" in p for p in problems)


def test_overlapping_labels_are_found():
    # two stacked axes without layout: the top one's x label runs into the lower title
    fig, (a, b) = plt.subplots(2, 1, figsize=(4, 3))
    for ax in (a, b):
        ax.plot([0, 1], [0, 1])
        ax.set_xlabel("time (ms)", fontsize=12)
        ax.set_ylabel("V (mV)")
        ax.set_title("a title that sits under the x label", fontsize=12)
    fig.subplots_adjust(hspace=0.0)
    assert any("overlaps" in p for p in text_problems(fig))


def test_ticks_outside_the_view_do_not_count():
    fig = _clean_figure()
    ax = fig.axes[0]
    ax.set_xlim(0.05, 0.95)  # tick labels at 0 and 1 exist but are not drawn
    fig.tight_layout()
    assert text_problems(fig) == []


def test_unlabelled_axes_are_found():
    fig, (a, b) = plt.subplots(1, 2)
    a.plot([0, 1], [0, 1])
    a.set_xlabel("ms")
    b.plot([0, 1], [1, 0])
    b.set_ylabel("force")
    problems = label_problems(fig)
    assert any("y axis has no label" in p for p in problems)
    assert any("x axis has no label" in p for p in problems)


def test_palette_is_okabe_ito_and_set_by_the_style():
    assert len(set(PALETTE)) == 8 and "#0072B2" in PALETTE and "#D55E00" in PALETTE
    use_style()
    assert list(matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]) == [c for c in PALETTE]


def test_simulation_result_plot_has_no_overlaps(hh):
    import neuromuscle as nm
    from neuromuscle.plotting import plot_traces

    res = nm.simulate(hh, nm.Pulse(10.0, 1.0, 1.0), 10.0, engine="scipy", dt=0.1)
    axes = plot_traces(res, ["V", "na.I", "k.I", "na.m"])
    axes[0].figure.tight_layout()
    assert text_problems(axes[0].figure) == []
    assert label_problems(axes[0].figure) == []


def test_sweep_plot_labels(tmp_path):
    import xarray as xr

    from neuromuscle.plotting import plot_line, plot_map

    ds = xr.Dataset({"rate": (("amplitude",), np.linspace(0, 150, 5), {"units": "Hz", "long_name": "Firing rate"})},
                    coords={"amplitude": ("amplitude", np.linspace(0, 20, 5),
                                          {"units": "uA/cm2", "long_name": "Stimulus amplitude"})})
    ax = plot_line(ds, "rate")
    assert ax.get_ylabel() == "Firing rate (Hz)"
    assert text_problems(ax.figure) == []
    grid = xr.Dataset({"thr": (("ca", "mg"), np.ones((3, 2)), {"units": "uA/cm2", "long_name": "Threshold"})},
                      coords={"ca": ("ca", [0.5, 1.0, 1.5], {"units": "mM", "long_name": "ionised Ca"}),
                              "mg": ("mg", [0.2, 0.6], {"units": "mM", "long_name": "ionised Mg"})})
    ax = plot_map(grid, "thr")
    assert text_problems(ax.figure) == [] and label_problems(ax.figure) == []


# ---------------------------------------------------------------- printed tables
def test_wide_tables_are_split_into_blocks_that_fit():
    header = ["K_o (mM)"] + [f"measure number {i} (mV)" for i in range(12)]
    rows = [[k] + [float(i) * k for i in range(12)] for k in (1.0, 2.0, 4.0)]
    text = format_table(rows, header)
    assert max(len(line) for line in text.splitlines()) <= TABLE_WIDTH
    blocks = text.split("\n\n")
    assert len(blocks) > 1 and all(b.startswith("K_o (mM)") for b in blocks)  # label column repeated
    # every value is still there, once
    for i in range(12):
        assert text.count(f"measure number {i} (mV)") == 1


def test_narrow_table_is_unchanged():
    assert format_table([[1.0, "a"]], ["x (mM)", "y"]) == "x (mM)  y\n------  -\n1       a"


# ---------------------------------------------------------------- data files
@dataclasses.dataclass
class _Row:
    v: float
    arr: np.ndarray


def test_to_jsonable_turns_results_into_plain_data(tmp_path):
    data = {(0.0, "chloride"): [(0.5, 0.6)], "row": _Row(np.float64(-85.0), np.arange(3)), "nan": float("nan"),
            "n": np.int64(3), "flag": np.bool_(True), "trace": np.zeros(10_000), "f": lambda x: x}
    out = to_jsonable(data)
    assert out == {"0.0, chloride": [[0.5, 0.6]], "row": {"v": -85.0, "arr": [0, 1, 2]}, "nan": None, "n": 3,
                   "flag": True}
    path = write_results(data, tmp_path, "x")
    assert json.loads(path.read_text()) == out


def test_cli_plot_of_a_rate_sweep_keeps_its_labels(tmp_path):
    # the sweep's own attributes for the "rate" metric: a long name that ran off the figure
    import xarray as xr

    from neuromuscle import cli
    from neuromuscle.sweep import METRICS

    rate = METRICS["rate"]
    ds = xr.Dataset({"rate": (("amplitude",), np.linspace(0, 150, 9),
                              {"units": rate.unit, "long_name": rate.long_name})},
                    coords={"amplitude": ("amplitude", np.linspace(0, 20, 9),
                                          {"units": "1", "long_name": "Stimulus amplitude factor"})})
    ds.to_netcdf(tmp_path / "fi.nc")
    seen = []
    original = matplotlib.figure.Figure.savefig

    def savefig(fig, *a, **k):
        seen.append(text_problems(fig) + label_problems(fig))
        return original(fig, *a, **k)

    matplotlib.figure.Figure.savefig = savefig
    try:
        assert cli.main(["plot", str(tmp_path / "fi.nc"), "rate", "--out", str(tmp_path / "fi.png")]) == 0
    finally:
        matplotlib.figure.Figure.savefig = original
    assert seen == [[]]


def test_twin_axes_do_not_count_their_hidden_ticks():
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot([0, 100], [0, 1])
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("concentration (mM)")
    twin = ax.twinx()
    twin.plot([0, 100], [5, 1])
    twin.set_ylabel("time (ms)")
    fig.tight_layout()
    assert text_problems(fig) == [] and label_problems(fig) == []
