"""The pieces a claim is made of: criteria stated up front, sub-claims that apply them to
measured numbers, and claims that run their simulations and collect the verdicts.

A verdict is never written by hand. Each :class:`Criterion` compares one measured number
with a threshold chosen for a stated physiological reason; a :class:`SubClaim` turns the
outcomes of its criteria into a :class:`Verdict`; a :class:`Claim` combines its
sub-claims' verdicts. :meth:`Claim.decide` is a pure function of the numbers (and of the
capabilities of the installed models), so the same numbers always give the same verdict
and other numbers give another one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

__all__ = ["Verdict", "Criterion", "SubClaim", "Claim", "SubVerdict", "ClaimResult", "RunContext", "combine"]


class Verdict(str, Enum):
    """What the model says about a claim."""

    SUPPORTED = "supported"
    PARTLY = "partly supported"
    NOT_SUPPORTED = "not supported"
    OUTSIDE = "outside what the model can show"

    def __str__(self) -> str:  # the plain words, in tables and on the page
        return self.value


_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": lambda x, t: x >= t,
    "<=": lambda x, t: x <= t,
    ">": lambda x, t: x > t,
    "<": lambda x, t: x < t,
}


@dataclass(frozen=True)
class Criterion:
    """One quantitative test: ``numbers[key] <op> threshold``.

    Parameters
    ----------
    key : str
        Name of the measured number the criterion reads.
    op : {">=", "<=", ">", "<"}
        Comparison.
    threshold : float
        The value it is compared with, in ``unit``.
    unit : str
        Unit of the number and the threshold ("%", "mV", "1" for a yes/no measure: 1 yes, 0 no).
    meaning : str
        What passing means, in words ("the threshold falls by at least 10 %").
    reason : str
        Why the threshold sits there (the physiology or measurement that fixes it).
    """

    key: str
    op: str
    threshold: float
    unit: str
    meaning: str
    reason: str

    def __post_init__(self) -> None:
        if self.op not in _OPS:
            raise ValueError(f"Criterion {self.key!r}: op = {self.op!r}; valid: {', '.join(_OPS)}")

    def test(self, numbers: Mapping[str, float]) -> bool | None:
        """True or False from ``numbers[key]``; None when the number is missing or not finite."""
        value = numbers.get(self.key)
        if value is None:
            return None
        value = float(value)
        if not math.isfinite(value):
            return None
        return bool(_OPS[self.op](value, self.threshold))

    def describe(self) -> str:
        return f"{self.key} {self.op} {self.threshold:g} {self.unit}".rstrip()

    def as_dict(self) -> dict:
        return {"key": self.key, "op": self.op, "threshold": self.threshold, "unit": self.unit,
                "meaning": self.meaning, "reason": self.reason}


@dataclass(frozen=True)
class SubVerdict:
    """A sub-claim's verdict with the outcome of each criterion (None: not measured)."""

    key: str
    verdict: Verdict
    outcomes: tuple[tuple[str, bool | None], ...]
    explanation: str


@dataclass(frozen=True)
class SubClaim:
    """One statement of a claim, decided by its criteria.

    Parameters
    ----------
    key : str
        Short identifier, unique within the claim.
    statement : str
        The statement as the articles make it.
    criteria : sequence of Criterion
        The tests that decide it. With ``rule="all"`` every criterion passing gives
        *supported*, none *not supported*, a mixture *partly supported*; with ``rule="any"``
        one passing is enough for *supported*.
    requires : sequence of str
        Capabilities (:func:`neuromuscle.claims.capabilities`) the measurement needs; when
        one is missing the verdict is *outside what the model can show*, with its reason.
    outside : str, optional
        If given, the model cannot speak to this statement at all; the text says why.
    """

    key: str
    statement: str
    criteria: tuple[Criterion, ...] = ()
    rule: str = "all"
    requires: tuple[str, ...] = ()
    outside: str | None = None

    def __post_init__(self) -> None:
        if self.rule not in ("all", "any"):
            raise ValueError(f"SubClaim {self.key!r}: rule = {self.rule!r}; valid: 'all', 'any'")
        if not self.criteria and self.outside is None:
            raise ValueError(f"SubClaim {self.key!r} needs criteria or an 'outside' reason")

    def decide(self, numbers: Mapping[str, float], capabilities: Mapping[str, tuple[bool, str]]) -> SubVerdict:
        """The verdict from ``numbers`` (the measured values) and ``capabilities``."""
        if self.outside is not None:
            return SubVerdict(self.key, Verdict.OUTSIDE, (), self.outside)
        missing = [c for c in self.requires if not capabilities.get(c, (False, f"no capability {c!r}"))[0]]
        if missing:
            why = "; ".join(capabilities.get(c, (False, f"no capability {c!r}"))[1] for c in missing)
            return SubVerdict(self.key, Verdict.OUTSIDE, tuple((c.key, None) for c in self.criteria), why)
        outcomes = tuple((c.key, c.test(numbers)) for c in self.criteria)
        known = [ok for _, ok in outcomes if ok is not None]
        if not known:
            return SubVerdict(self.key, Verdict.OUTSIDE, outcomes,
                              "none of the numbers that decide this statement could be measured")
        passed = sum(known)
        if self.rule == "any":
            verdict = Verdict.SUPPORTED if passed else Verdict.NOT_SUPPORTED
        elif passed == len(self.criteria):
            verdict = Verdict.SUPPORTED
        elif passed == 0:
            verdict = Verdict.NOT_SUPPORTED
        else:
            verdict = Verdict.PARTLY
        parts = []
        for c, (_, ok) in zip(self.criteria, outcomes):
            value = numbers.get(c.key)
            if ok is None:
                shown = "not measured"
            elif c.unit == "1":  # a yes/no measure
                shown = "yes" if float(value) >= 0.5 else "no"
            else:
                shown = f"{float(value):.4g} {c.unit}"
            parts.append(f"{c.key} = {shown} ({'meets' if ok else 'misses' if ok is False else 'cannot test'} "
                         f"{c.op} {c.threshold:g})")
        return SubVerdict(self.key, verdict, outcomes, "; ".join(parts))


def combine(verdicts: Sequence[Verdict]) -> Verdict:
    """A claim's verdict from its sub-claims': those the model can judge decide it (all
    supported: supported; all not supported: not supported; otherwise partly); if it can
    judge none, the claim is outside what the model can show."""
    judged = [v for v in verdicts if v is not Verdict.OUTSIDE]
    if not judged:
        return Verdict.OUTSIDE
    if all(v is Verdict.SUPPORTED for v in judged):
        return Verdict.SUPPORTED
    if all(v is Verdict.NOT_SUPPORTED for v in judged):
        return Verdict.NOT_SUPPORTED
    return Verdict.PARTLY


@dataclass
class RunContext:
    """What a claim's measurement may use: quick or full mode, the capabilities of the
    installed models, a progress reporter, and a cache shared between claims (several
    claims read the same simulation, e.g. the axon's threshold in normal plasma)."""

    quick: bool = False
    capabilities: Mapping[str, tuple[bool, str]] = field(default_factory=dict)
    progress: Callable[[str], None] = lambda message: None
    cache: dict = field(default_factory=dict)

    def cached(self, key, compute: Callable[[], object]):
        """``compute()`` once per ``key`` and run."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


@dataclass
class ClaimResult:
    """A claim's measured numbers, the data its figure is drawn from, and its verdicts."""

    claim: Claim
    numbers: dict[str, float]
    data: dict
    verdict: Verdict
    sub_verdicts: list[SubVerdict]
    seconds: float = float("nan")
    figure: str | None = None
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        c = self.claim
        subs = {s.key: s for s in c.subclaims}
        return {
            "number": c.number, "key": c.key, "title": c.title, "statement": c.statement,
            "verdict": str(self.verdict), "mechanisms": list(c.mechanisms), "simulations": list(c.simulations),
            "numbers": {k: _jsonable(v) for k, v in self.numbers.items()},
            "units": dict(c.units),
            "sub_claims": [{
                "key": v.key, "statement": subs[v.key].statement, "verdict": str(v.verdict),
                "explanation": v.explanation, "rule": subs[v.key].rule,
                "requires": list(subs[v.key].requires),
                "criteria": [{**cr.as_dict(), "value": _jsonable(self.numbers.get(cr.key)), "passed": ok}
                             for cr, (_, ok) in zip(subs[v.key].criteria, v.outcomes or
                                                    tuple((cr.key, None) for cr in subs[v.key].criteria))],
            } for v in self.sub_verdicts],
            "limits": list(c.limits), "references": list(c.references),
            "figure": self.figure, "seconds": round(self.seconds, 2), "errors": list(self.errors),
        }


def _jsonable(v):
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f if math.isfinite(f) else None


@dataclass
class Claim:
    """A popular claim: its statement, what the model does about it, and how it is decided.

    Instances provide ``measure(ctx, numbers) -> (numbers, data)``, which fills ``numbers``
    as it goes (so a failure keeps what was measured), and ``plot(data, numbers, path)``;
    :meth:`decide` needs only the numbers.

    Parameters
    ----------
    number : int
        Position in the list of claims (1-9).
    key : str
        Short identifier (file names, JSON keys).
    title, statement : str
        A short title and the claim as the articles put it.
    mechanisms : sequence of str
        What the model contains that bears on the claim.
    simulations : sequence of str
        What is run (models, conditions, protocols), in words.
    subclaims : sequence of SubClaim
        The statements decided one by one.
    limits : sequence of str
        What the model leaves out that matters for this claim.
    references : sequence of str
        Sources for the mechanisms, the conditions and the thresholds.
    units : mapping of str to str
        Unit of each measured number.
    """

    number: int
    key: str
    title: str
    statement: str
    mechanisms: tuple[str, ...]
    simulations: tuple[str, ...]
    subclaims: tuple[SubClaim, ...]
    limits: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    units: Mapping[str, str] = field(default_factory=dict)
    measure: Callable[[RunContext, dict], tuple[dict, dict]] | None = None
    plot: Callable[[dict, dict, str], None] | None = None

    def criteria(self) -> list[Criterion]:
        return [c for s in self.subclaims for c in s.criteria]

    def decide(self, numbers: Mapping[str, float],
               capabilities: Mapping[str, tuple[bool, str]] | None = None) -> tuple[Verdict, list[SubVerdict]]:
        """Verdicts from measured numbers alone (pure: no simulation)."""
        caps = capabilities if capabilities is not None else {}
        subs = [s.decide(numbers, caps) for s in self.subclaims]
        return combine([s.verdict for s in subs]), subs

    def run(self, ctx: RunContext | None = None, figure_path: str | None = None) -> ClaimResult:
        """Measure, decide and (if ``figure_path``) draw the figure.

        A measurement that fails keeps the numbers it had; the criteria whose numbers are
        missing cannot be tested, and the error is recorded in the result.
        """
        ctx = ctx or RunContext()
        t0 = time.perf_counter()
        numbers, data, errors = {}, {}, []
        if self.measure is not None:
            try:
                numbers, data = self.measure(ctx, numbers)
            except Exception as exc:  # a failed simulation is reported, not hidden; the numbers so far are kept
                errors.append(f"{type(exc).__name__}: {exc}")
        verdict, subs = self.decide(numbers, ctx.capabilities)
        result = ClaimResult(self, dict(numbers), data, verdict, subs, errors=errors)
        if figure_path is not None and self.plot is not None:
            try:
                self.plot(data, numbers, figure_path)
                result.figure = figure_path
            except Exception as exc:
                errors.append(f"figure: {type(exc).__name__}: {exc}")
        result.seconds = time.perf_counter() - t0
        return result
