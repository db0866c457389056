"""Every popular claim, decided by the models: runs all of them and writes the report.

The report folder gets ``claims.json`` (every verdict, number and criterion), one figure
per claim, ``claims.html`` (a short paper: claim, what the model does, verdict, figure,
limits, references) and the same as ``claims.md``. With ``--docs`` the Markdown is also
written to ``docs/claims.md``, with its figures linked from the report folder (by default
``figures/claims``, relative to the repository), so the docs page is always the
program's output.

Run: ``python experiments/run_all.py [--quick] [--out DIR] [--docs]`` (the same as
``neuromuscle claims``).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from neuromuscle.claims import run_claims
from neuromuscle.claims.report import markdown

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> list:
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="coarser runs, for CI (a few minutes at most)")
    parser.add_argument("--out", default=str(ROOT / "figures" / "claims"), help="report folder")
    parser.add_argument("--docs", action="store_true", help="also write docs/claims.md from the report")
    args = parser.parse_args(argv)
    results = run_claims(quick=args.quick, out=args.out)
    for r in results:
        print(f"{r.claim.number}. {r.claim.title}: {r.verdict}")
    if args.docs:
        report = json.loads((Path(args.out) / "claims.json").read_text())
        docs = ROOT / "docs" / "claims.md"
        prefix = os.path.relpath(Path(args.out).resolve(), docs.parent) + "/"
        docs.write_text(markdown(report, figure_prefix=prefix, myst=True))
        print(f"docs written to {docs}")
    print(f"report written to {Path(args.out).resolve()}")
    return results


if __name__ == "__main__":
    main()
