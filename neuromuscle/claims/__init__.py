"""Popular claims about minerals, nerves and muscles, each decided by the models.

Every claim (:data:`CLAIMS`) states up front the quantitative criteria that decide it and
why each threshold sits where it does; :meth:`Claim.run` runs the simulations the installed
models allow, and the verdict (supported / partly supported / not supported / outside what
the model can show) follows from the numbers alone (:meth:`Claim.decide`).

Examples
--------
>>> from neuromuscle.claims import claim, Verdict
>>> c = claim("calcium")
>>> v, subs = c.decide({"axon threshold change, Ca 0.75 (%)": -30.0,
...                     "axon node fires, Ca 0.75 (yes 1 / no 0)": 0.0,
...                     "twitch without SR Ca release (% of normal)": 0.1,
...                     "half-relaxation change, SERCA 50 % (%)": 40.0})
>>> str(v), [str(s.verdict) for s in subs]
('partly supported', ['supported', 'not supported', 'outside what the model can show', 'supported', 'supported'])
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable

from .base import Claim, ClaimResult, Criterion, RunContext, SubClaim, SubVerdict, Verdict, combine
from .capabilities import capabilities
from .catalogue import CLAIMS, claim

__all__ = ["Claim", "ClaimResult", "Criterion", "SubClaim", "SubVerdict", "Verdict", "RunContext", "combine",
           "capabilities", "CLAIMS", "claim", "run_claims", "verdict_lines", "decide_lines", "context"]


def run_claims(keys: Iterable[str] | None = None, *, quick: bool = False, out=None, progress: bool = True,
               ctx: RunContext | None = None) -> list[ClaimResult]:
    """Run the claims (all, or those in ``keys``) and, with ``out``, write the report there
    (:func:`neuromuscle.claims.report.write_report`: claims.json, one figure per claim,
    claims.html and claims.md).

    Progress goes to stderr: one line per claim and per simulation.
    """
    from pathlib import Path

    chosen = list(CLAIMS) if keys is None else [claim(k) for k in keys]
    start = time.perf_counter()

    def say(message: str) -> None:
        if progress:
            print(f"[{time.perf_counter() - start:6.1f} s]   {message}", file=sys.stderr, flush=True)

    ctx = ctx or RunContext(quick=quick, capabilities=capabilities(), progress=say)
    folder = Path(out) if out is not None else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    results = []
    for i, c in enumerate(chosen, 1):
        if progress:
            print(f"[{time.perf_counter() - start:6.1f} s] claim {i}/{len(chosen)}: {c.title}", file=sys.stderr,
                  flush=True)
        fig = str(folder / f"claim{c.number}_{c.key}.png") if folder is not None else None
        r = c.run(ctx, fig)
        if progress:
            print(f"[{time.perf_counter() - start:6.1f} s]   -> {r.verdict}" +
                  (f" ({'; '.join(r.errors)})" if r.errors else ""), file=sys.stderr, flush=True)
        results.append(r)
    if folder is not None:
        from .report import write_report

        write_report(results, folder, quick=ctx.quick, capabilities=ctx.capabilities,
                     seconds=time.perf_counter() - start)
    return results


def verdict_lines(result: ClaimResult) -> list[str]:
    """The verdicts of a result as printable lines (what the experiment scripts print)."""
    lines = [f"Verdict on '{result.claim.statement}': {result.verdict}."]
    subs = {s.key: s for s in result.claim.subclaims}
    for v in result.sub_verdicts:
        lines.append(f"  - {subs[v.key].statement} {str(v.verdict).upper()}: {v.explanation}")
    return lines


def context(quick: bool = False, progress: bool = False) -> RunContext:
    """A run context with the installed package's capabilities (for scripts that measure a
    claim's numbers with :mod:`neuromuscle.claims.measures`)."""
    def say(message: str) -> None:
        print(f"  {message}", file=sys.stderr, flush=True)

    return RunContext(quick=quick, capabilities=capabilities(), progress=say if progress else (lambda m: None))


def decide_lines(key: str, numbers: dict, subclaims: Iterable[str] | None = None) -> list[str]:
    """The verdicts of claim ``key``'s sub-claims (all, or those named) from ``numbers``, as
    printable lines: what an experiment script prints after measuring those numbers. Each
    line gives the statement, the verdict and every criterion with its measured value."""
    c = claim(key)
    caps = capabilities()
    wanted = [s for s in c.subclaims if subclaims is None or s.key in subclaims]
    lines = [f"Verdicts (criteria of neuromuscle.claims, claim {c.number}: {c.title}):"]
    for s in wanted:
        v = s.decide(numbers, caps)
        lines.append(f"  - {s.statement} {str(v.verdict).upper()}: {v.explanation}")
    return lines
