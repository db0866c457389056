"""The documentation site builds without a warning, with every experiment in the gallery and
every tutorial notebook executed (``sphinx-build -W``; the same as CI's docs build)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path):
    pytest.importorskip("sphinx")  # the test extra installs the docs extra
    out = tmp_path / "html"
    # the gallery takes each experiment's quick run from experiments/_quick.py: the same runs
    # tests/test_experiments.py checks, run once by whichever asks first (build/quick-runs/)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
               MPLBACKEND="Agg")
    env.pop("NM_FIGURE_CHECK_WARN_ONLY", None)
    cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-j", "2", "-b", "html", str(DOCS), str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-8000:]
    # the gallery: one page per experiment script; the executed ones show figures and their data
    sys.path.insert(0, str(DOCS / "_ext"))
    import nm_docs

    for script in sorted((ROOT / "experiments").glob("[!_]*.py")):
        page = out / "auto_gallery" / f"gallery_{script.stem}.html"
        assert page.exists(), f"no gallery page for {script.name}"
        if script.stem not in nm_docs.NOT_EXECUTED:
            html = page.read_text()
            assert "nm-data" in html, f"{script.name}: no data table"
            assert "<img" in html or script.stem in nm_docs.DATA_ONLY, f"{script.name}: no figure"
    # the notebooks ran: their outputs (figures) are in the pages
    for nb in ("nernst_ghk", "action_potential", "low_calcium_tetany", "low_potassium", "calcium_atp_relaxation",
               "nerve_to_force"):
        html = (out / "tutorials" / f"{nb}.html").read_text()
        assert "cell_output" in html and "<img" in html, f"tutorial {nb} has no executed output"
        assert "Exercises" in html
    assert (out / "reference" / "cli.html").read_text().count("explore") > 0  # the CLI page comes from the parser
    assert (out / "references.html").exists()


def test_docs_tables_folder_only_for_a_full_default_run():
    from neuromuscle.reporting import DOCS_DATA, docs_tables_folder

    assert DOCS_DATA == DOCS / "models" / "data"
    assert docs_tables_folder(False, None) == DOCS_DATA
    assert docs_tables_folder(True, None) is None  # a quick run does not overwrite the docs' tables
    assert docs_tables_folder(False, "elsewhere") is None
    # one home: no experiment script defines its own docs folder
    for script in (ROOT / "experiments").glob("*.py"):
        assert "DOCS_DATA =" not in script.read_text(), script.name
