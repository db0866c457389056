"""The printed report of an :class:`~neuromuscle.electrolytes.Electrolytes` record."""

from __future__ import annotations

from .ranges import _LABEL, _NUMERIC_FIELDS, INTRACELLULAR_FIELDS, REFERENCE_RANGES

__all__ = ["report"]


def report(e) -> str:
    """Human-readable table of the values of ``e`` (an
    :class:`~neuromuscle.electrolytes.Electrolytes`), their reference ranges and the flags.

    The source is printed as text; the confidence of each of its claims is data
    (``e.confidence``, paired by :meth:`~neuromuscle.electrolytes.Electrolytes.sources`)."""
    kind = "human plasma / interstitial fluid" if e.physiological else "experimental solution"
    lines = [f"Electrolytes {e.name!r} ({kind}, {e.celsius:g} degC)"]
    if e.description:
        lines.append(e.description)
    if e.source:
        lines.append(f"Source: {e.source}")
    flagged = {r.field: r for r in e.out_of_range()}
    lines.append(f"  {'field':<8}{'label':<15}{'value':>10}  {'reference':<15}unit")
    for f in _NUMERIC_FIELDS:
        value = getattr(e, f)
        if value is None:
            continue
        rng = REFERENCE_RANGES.get(f)
        ref = f"{rng.low:g}-{rng.high:g}" if rng else "-"
        unit = "degC" if f == "celsius" else "mM"
        flag = flagged[f].verdict.upper() if f in flagged else ""
        lines.append(f"  {f:<8}{_LABEL[f]:<15}{value:>10.4g}  {ref:<15}{unit:<6}{flag}".rstrip())
    unset = [f for f in INTRACELLULAR_FIELDS if getattr(e, f) is None]
    if unset:
        lines.append(f"  not set, the cell model's own cytosolic values apply: {', '.join(unset)}")
    lines.append(f"  anion gap na - (cl + hco3) = {e.anion_gap:.4g} mM (typically about 8-16)")
    if flagged:
        lines.append("Outside the reference range: " + "; ".join(str(r) for r in flagged.values()) + ".")
    else:
        lines.append("All values are within their reference ranges.")
    lines.append(
        "Reference ranges are typical adult values; they differ between laboratories and are not "
        "diagnostic cut-offs."
    )
    return "\n".join(lines)
