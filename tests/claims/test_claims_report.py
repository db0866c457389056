"""``neuromuscle claims --quick`` end to end: the report folder it writes, and the page
opened in a real headless Chromium (Debian's package, driven by Playwright, as the
explorer's test), where every figure must load."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from neuromuscle.claims import CLAIMS, Verdict

CHROMIUM = "/usr/bin/chromium"
FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    from neuromuscle.cli import main

    out = tmp_path_factory.mktemp("claims_report")
    assert main(["claims", "--quick", "--out", str(out)]) == 0
    return out


@pytest.mark.slow
def test_quick_run_writes_json_figures_and_pages(report, capsys):
    data = json.loads((report / "claims.json").read_text())
    assert data["mode"] == "quick" and len(data["claims"]) == 9
    verdicts = {str(v) for v in Verdict}
    for c, r in zip(CLAIMS, data["claims"]):
        assert r["key"] == c.key and r["verdict"] in verdicts and not r["errors"], r["errors"]
        fig = report / Path(r["figure"]).name
        assert fig.exists() and fig.stat().st_size > 5000
        measured = [cr for s in r["sub_claims"] for cr in s["criteria"] if cr["value"] is not None]
        if r["key"] != "junction" or data["capabilities"]["junction"]["available"]:
            assert measured, f"claim {c.key}: no criterion got a number"
    # the verdicts are the criteria's reading of the numbers in the file
    for c, r in zip(CLAIMS, data["claims"]):
        numbers = {k: (float("nan") if v is None else v) for k, v in r["numbers"].items()}
        caps = {k: (v["available"], v["reason"]) for k, v in data["capabilities"].items()}
        assert str(c.decide(numbers, caps)[0]) == r["verdict"]
    md = (report / "claims.md").read_text()
    assert md.count("![Figure for claim") == 9


@pytest.mark.slow
def test_page_figures_load_in_headless_chromium(report, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing (.ci/run installs Debian's chromium)")
    shot = tmp_path / "claims_page.png"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(FLAGS))
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto((report / "claims.html").resolve().as_uri(), wait_until="load")
            images = page.evaluate(
                "Array.from(document.images).map(i => [i.getAttribute('src'), i.complete, i.naturalWidth])")
            rows = page.locator("#verdicts tr").count()
            sections = page.locator("section.claim").count()
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert sections == 9 and rows == 10
    assert len(images) == 9
    for src, complete, width in images:
        assert complete and width > 0, f"figure {src} did not load"
    assert shot.stat().st_size > 10000
