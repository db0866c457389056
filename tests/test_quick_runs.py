"""experiments/_quick.py: one quick run per experiment, kept per source version and reused by
whoever asks next (the tests and the docs gallery), with what it printed, returned and saved."""

import importlib.util
import sys
from pathlib import Path

import pytest

EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"

DEMO = '''"""A demo experiment: counts its runs, prints, saves a figure with an unlabelled axis."""
import os
from pathlib import Path


def main(argv):
    out = Path(argv[argv.index("--out") + 1])
    count = Path(os.environ["NM_DEMO_COUNT"])
    n = int(count.read_text()) + 1 if count.exists() else 1
    count.write_text(str(n))
    print("demo ran", n)
    from matplotlib.figure import Figure

    fig = Figure()
    fig.subplots().plot([0, 1], [0, 1])
    fig.savefig(out / "demo.png")
    return {"runs": n, "value (mV)": 1.5}
'''


@pytest.fixture
def runner(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("quick_under_test", EXPERIMENTS / "_quick.py")
    q = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "quick_under_test", q)
    spec.loader.exec_module(q)
    (tmp_path / "experiments").mkdir()
    (tmp_path / "experiments" / "demo.py").write_text(DEMO)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "core.py").write_text("X = 1\n")
    monkeypatch.setattr(q, "EXPERIMENTS", tmp_path / "experiments")
    monkeypatch.setattr(q, "ROOT", tmp_path)
    monkeypatch.setattr(q, "PACKAGE", tmp_path / "pkg")
    monkeypatch.setenv("NM_QUICK_RUNS", str(tmp_path / "runs"))
    monkeypatch.setenv("NM_DEMO_COUNT", str(tmp_path / "count.txt"))
    return q


def test_a_finished_run_is_reused_until_a_source_changes(runner, tmp_path, capsys):
    first = runner.run("demo")
    assert not first.reused and first.result == {"runs": 1, "value (mV)": 1.5}
    assert (first.folder / "demo.png").exists() and (first.folder / "demo.json").exists()
    assert any("demo.png" in p for p in first.problems)  # the unlabelled axes are reported
    assert "demo ran 1" in capsys.readouterr().out
    assert runner.finished_folder("demo") == first.folder

    again = runner.run("demo")  # reused: the script does not run again ...
    assert again.reused and again.result == first.result and again.problems == first.problems
    assert (tmp_path / "count.txt").read_text() == "1"
    assert "demo ran 1" in capsys.readouterr().out  # ... but what it printed is printed again

    (tmp_path / "pkg" / "core.py").write_text("X = 2\n")  # any source change: a new run
    assert runner.finished_folder("demo") is None
    changed = runner.run("demo")
    assert not changed.reused and changed.result["runs"] == 2 and changed.folder != first.folder


def test_off_runs_every_time_and_unknown_names_are_refused(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("NM_QUICK_RUNS", "off")
    assert runner.run("demo").result["runs"] == 1
    assert runner.run("demo").result["runs"] == 2
    assert runner.finished_folder("demo") is None
    with pytest.raises(ValueError, match="no experiment script"):
        runner.run("no_such_experiment")
