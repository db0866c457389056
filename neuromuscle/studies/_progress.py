"""A light progress report for the studies."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence


def progress(items: Sequence, label: str, enabled: bool = True) -> Iterable:
    """Yield ``items``, printing ``label i/n`` on stderr (a light progress report)."""
    n = len(items)
    for i, item in enumerate(items, 1):
        if enabled:
            print(f"\r{label}: {i}/{n}", end="" if i < n else "\n", file=sys.stderr, flush=True)
        yield item
