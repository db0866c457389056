"""The code blocks of docs/architecture.md run, in order, in one namespace (each ends in
assertions: a label read, a channel and a buffer composed, an engine registered and
compared with SciPy's), so the page cannot drift from the package."""

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

PAGE = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"


def test_architecture_examples_run():
    blocks = re.findall(r"^```python\n(.*?)^```", PAGE.read_text(), flags=re.S | re.M)
    assert len(blocks) == 4  # labels, a channel, a pool contribution, an engine
    namespace: dict = {"__name__": "architecture_md"}
    for i, code in enumerate(blocks):
        exec(compile(code, f"{PAGE.name}[block {i}]", "exec"), namespace)
    assert "rk4" not in namespace["ENGINES"]  # the example leaves the registry as it was
