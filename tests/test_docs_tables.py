"""The tables the EC page includes are not stale.

``docs/models/data/*.md`` are written by full runs of the experiments; the quick runs are
recorded in ``tests/regression/data``. Where a full and a quick run compute the same quantity
(the single twitch at 16 and 37 C; the SERCA, Mg and ATP-supply levels both runs have), the
committed table must state the recorded value to the digits it prints. A model change that
re-records the quick runs without rerunning the full experiments fails here.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from tests.regression.compare import _record

DATA = Path(__file__).resolve().parents[1] / "docs" / "models" / "data"


def _table(name: str) -> tuple[list[str], dict[str, list[str]]]:
    """The first Markdown table of ``docs/models/data/<name>.md``: header cells, rows by first cell."""
    lines = [ln for ln in (DATA / f"{name}.md").read_text().splitlines() if ln.startswith("|")]
    cells = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]
    header, rows = cells[0], cells[2:]
    first_table = []
    for r in rows:
        if len(r) != len(header):
            break
        first_table.append(r)
    return header, {r[0]: r[1:] for r in first_table}


def _number(cell: str) -> float:
    return float(re.match(r"[-+]?[0-9.]+(e[-+]?[0-9]+)?", cell).group(0))


def _close(cell: str, value: float, digits: int) -> bool:
    # a value printed to `digits` significant digits is within half a unit of its last digit
    half_unit = 0.5 * 10.0 ** (math.floor(math.log10(abs(value))) - digits + 1)
    return abs(_number(cell) - value) <= half_unit * (1 + 1e-9)


def test_muscle_twitch_table_states_the_recorded_single_twitch():
    rec = _record()["muscle_twitch"]
    header, rows = _table("muscle_twitch")
    assert header[1:3] == ["16 C", "37 C"]
    for col, temp in ((0, "16.0"), (1, "37.0")):
        assert _close(rows["peak Delta[Ca], uM (spatial average)"][col], rec[f"/{temp}/dCa peak (uM)"], 2)
        assert _close(rows["Ca FDHM, ms"][col], rec[f"/{temp}/Ca FDHM (ms)"], 2)
        ttp, half = rows["twitch time to peak / half-relaxation, ms"][col].split(" / ")
        assert _close(ttp, rec[f"/{temp}/twitch time to peak (ms)"], 3)
        assert _close(half, rec[f"/{temp}/twitch half-relaxation (ms)"], 3)
        assert _close(rows["Ca released per AP, uM"][col], rec[f"/{temp}/Ca released per AP (uM)"], 3)


@pytest.mark.parametrize("name, by, measures", [
    ("calcium_removal", "SERCA (%)", ("rest Ca (uM)", "dCa (uM)", "Ca FDHM (ms)", "twitch half-relax (ms)")),
    ("magnesium_in_muscle", "condition", ("net SR release per AP (uM)", "dCa (uM)", "twitch half-relax (ms)")),
])
def test_turned_tables_state_the_recorded_levels(name, by, measures):
    rec = _record()[name]
    header, rows = _table(name)
    n = 1 + max(int(k.split("/")[2]) for k in rec if k.startswith("/rows/"))
    matched = 0
    for i in range(n):
        level = rec[f"/rows/{i}/{by}"]
        label = level if isinstance(level, str) else f"{level:.3g}"
        col = header.index(label) - 1
        for m in measures:
            assert _close(rows[m][col], rec[f"/rows/{i}/{m}"], 3), (name, label, m)
        matched += 1
    assert matched == n >= 2


def test_atp_depletion_table_states_the_recorded_levels():
    rec = _record()["atp_depletion"]
    header, rows = _table("atp_depletion")
    n = 1 + max(int(k.split("/")[2]) for k in rec if k.startswith("/rows/"))
    assert n >= 2
    for i in range(n):
        row = rows[f"{rec[f'/rows/{i}/supply (%)']:.3g}"]
        for m in ("MgATP (mM)", "PCr (mM)", "half-relax after train (ms)", "force left 200 ms after"):
            assert _close(row[header.index(m) - 1], rec[f"/rows/{i}/{m}"], 3), (i, m)


def test_myelinated_potassium_table_states_the_recorded_single_rests():
    """Where the myelinated axon has one rest (K 2.6 and 3.0 mM, both ways), the committed
    table of the full run states the quick run's rest, slow K open fraction and E_K."""
    rec = _record()["low_potassium_axon"]
    lines = [ln for ln in (DATA / "low_potassium_axon_myelinated.md").read_text().splitlines()
             if ln.startswith("|")]
    cells = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]
    header, rows = cells[0], {(r[0], r[1]): r for r in cells[2:]}
    n = 1 + max(int(k.split("/")[2]) for k in rec if k.startswith("/myelinated/"))
    checked = 0
    for i in range(n):
        k, path = rec[f"/myelinated/{i}/K (mM)"], rec[f"/myelinated/{i}/direction"]
        if k not in (2.6, 3.0):
            continue
        row = rows[(f"{k:.3g}", path)]
        for m in ("rest (mV)", "slow K open at rest", "E_K (mV)"):
            assert _close(row[header.index(m)], rec[f"/myelinated/{i}/{m}"], 3), (k, path, m)
        checked += 1
    assert checked == 4


def test_performance_page_is_written_from_the_benchmark_results():
    """docs/performance.md is what ``benchmarks/make_performance_page.py`` writes from
    ``benchmarks/results/``: a rerun benchmark without the page rewritten, or a hand edit of a
    figure on the page, fails here."""
    import importlib.util

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("make_performance_page",
                                                  root / "benchmarks" / "make_performance_page.py")
    page = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(page)
    assert (root / "docs" / "performance.md").read_text() == page.page_text()


def test_ec_page_prose_names_rows_the_twitch_table_has():
    """The EC page's "What remains off" points to rows of the included twitch table by their
    quoted names instead of copying the numbers; each name it quotes must still head a row."""
    page = (Path(__file__).resolve().parents[1] / "docs" / "models" / "ec_coupling.md").read_text()
    section = " ".join(page[page.index("## What was fitted, to what, and what remains off"):].split())
    quoted = set(re.findall(r'"([^"]+)" row', section)) | set(re.findall(r'"([^"]+)" and "([^"]+)" rows', section)[0])
    assert {"twitch/tetanus", "peak Delta[Ca]", "Ca FDHM", "APs fired"} <= quoted
    rows = [ln.split("|")[1].strip() for ln in (DATA / "muscle_twitch.md").read_text().splitlines()
            if ln.startswith("| ")]
    for name in quoted:
        assert any(r.startswith(name) for r in rows), f"the EC page points to a row {name!r} the table lacks"
